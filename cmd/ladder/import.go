package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/ladderhq/ladder"
)

type importOptions struct {
	File    string
	Tracker string
	Batch   int
}

func newImportCmd(g *globals) *cobra.Command {
	opts := importOptions{Batch: 500}
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Load issues from JSON Lines in the canonical issue format",
		Long: `Load issues from a JSON Lines file (one canonical issue per line; '-' reads stdin).
The whole file is checked first: a malformed line is reported with its line number and
nothing is written. Issues are upserted, so importing the same file twice changes nothing.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			return runImport(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Tracker, "tracker", "", "tracker name for lines that carry none")
	return cmd
}

func runImport(ctx context.Context, g *globals, opts importOptions) error {
	if strings.ContainsAny(opts.Tracker, ": \t") {
		return usageError{fmt.Errorf("--tracker %q: a tracker name has no spaces or colons", opts.Tracker)}
	}
	open := func() (io.ReadCloser, error) {
		if opts.File == "-" {
			return io.NopCloser(os.Stdin), nil
		}
		return os.Open(opts.File)
	}
	if opts.File == "-" {
		if term.IsTerminal(int(os.Stdin.Fd())) {
			// Otherwise a person who typed '-' by mistake waits on nothing.
			fmt.Fprintln(g.Stderr, "import: reading issues from the terminal, one JSON object a line; end with Ctrl-D")
		}
		// stdin can be read once: keep it for the second pass.
		data, err := io.ReadAll(os.Stdin)
		if err != nil {
			return fmt.Errorf("import: read stdin: %w", err)
		}
		open = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	}

	// Pass 1 checks every line, so a bad line 90,000 writes nothing.
	name := opts.File
	if name == "-" {
		name = "stdin"
	}
	n := 0
	if err := readIssues(open, name, opts.Tracker, func([]ladder.Issue) error { return nil }, opts.Batch, &n); err != nil {
		return err
	}
	cfg, err := g.optionalConfig()
	if err != nil {
		return err
	}
	st, err := g.openStore(ctx, cfg, storeFills)
	if err != nil {
		return err
	}
	defer st.Close()
	var stats ladder.PutStats
	put := func(batch []ladder.Issue) error {
		s, err := st.PutIssues(ctx, batch)
		stats.Add(s)
		return err
	}
	if err := readIssues(open, name, opts.Tracker, put, opts.Batch, new(int)); err != nil {
		return fmt.Errorf("import %s: %w", opts.File, err)
	}
	fmt.Fprintf(g.Stdout, "imported %d %s: %d new, %d updated, %d unchanged\n", n, plural(n, "issue", "issues"), stats.New, stats.Updated, stats.Unchanged)
	return nil
}

// maxImportProblems caps the problems one run reports: past it a file is
// more likely in the wrong format than wrong in places.
const maxImportProblems = 20

// importProblems are every bad line of a file, found before anything is
// written. Each names the file and the line, like config errors do.
type importProblems struct {
	file  string
	lines []string // "FILE:LINE: problem", in file order, at most maxImportProblems
	more  int      // problems past the cap
}

func (p *importProblems) add(line int, format string, args ...any) {
	if len(p.lines) >= maxImportProblems {
		p.more++
		return
	}
	p.lines = append(p.lines, fmt.Sprintf("%s:%d: %s", p.file, line, fmt.Sprintf(format, args...)))
}

func (p *importProblems) err() error {
	if len(p.lines) == 0 {
		return nil
	}
	msg := strings.Join(p.lines, "\n")
	if p.more > 0 {
		msg += fmt.Sprintf("\nand %d more", p.more)
	}
	n := len(p.lines) + p.more
	return fmt.Errorf("%s: %d %s, nothing imported:\n%s", p.file, n, plural(n, "problem", "problems"), msg)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// readIssues decodes the JSON Lines file and hands put the issues in
// batches; count gets the number of issues. It reads the whole file,
// collecting every problem (decodeIssue says which) instead of stopping at
// the first, and once a line is bad put is not called again: the import
// runs it twice, first with a put that stores nothing.
func readIssues(open func() (io.ReadCloser, error), name, tracker string, put func([]ladder.Issue) error, batchSize int, count *int) error {
	f, err := open()
	if err != nil {
		// A file that is not there is a wrong argument, not a failure.
		return usageError{fmt.Errorf("import: %w", err)}
	}
	defer f.Close()
	if st, ok := f.(interface{ Stat() (os.FileInfo, error) }); ok {
		if fi, err := st.Stat(); err == nil && fi.IsDir() {
			return usageError{fmt.Errorf("import %s: a directory; want a JSON Lines file", name)}
		}
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	problems := importProblems{file: name}
	// seen maps each issue to the line it was on: the same issue twice in
	// one file would silently keep whichever came last.
	seen := map[ladder.Ref]int{}
	var batch []ladder.Issue
	line := 0
	for sc.Scan() {
		line++
		text := bytes.TrimSpace(sc.Bytes())
		if line == 1 {
			// Spreadsheet and Windows tools start UTF-8 files with a BOM.
			text = bytes.TrimPrefix(text, []byte("\ufeff"))
		}
		if len(text) == 0 {
			continue
		}
		if !utf8.Valid(text) {
			// encoding/json would quietly turn each bad byte into U+FFFD.
			problems.add(line, "not UTF-8 text (a file saved in another encoding? convert it first, e.g. iconv -f latin1 -t utf-8)")
			continue
		}
		is, errs := decodeIssue(text, tracker)
		for _, e := range errs {
			problems.add(line, "%s", e)
		}
		if len(errs) > 0 {
			continue
		}
		if first, ok := seen[is.Ref]; ok {
			problems.add(line, "%s is already on line %d (one line per issue)", is.Ref, first)
			continue
		}
		seen[is.Ref] = line
		*count++
		if len(problems.lines) > 0 {
			continue // nothing is written once a line is bad
		}
		batch = append(batch, is)
		if len(batch) >= batchSize {
			if err := put(batch); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			problems.add(line+1, "line longer than 64 MiB")
		} else {
			return fmt.Errorf("import %s: line %d: %w", name, line+1, err)
		}
	}
	if err := problems.err(); err != nil {
		return usageError{err}
	}
	if len(batch) > 0 {
		return put(batch)
	}
	return nil
}

// The values the canonical format allows.
var (
	statusCategories = []ladder.StatusCategory{ladder.StatusTodo, ladder.StatusInProgress, ladder.StatusDone}
	linkKinds        = []ladder.LinkKind{ladder.Blocks, ladder.BlockedBy, ladder.DependsOn, ladder.ParentOf,
		ladder.ChildOf, ladder.Relates, ladder.Duplicates, ladder.Mentions}
)

// shadowIssue holds the fields encoding/json reports poorly, raw, so
// checkShadow can name the field at fault.
type shadowIssue struct {
	Created  json.RawMessage `json:"created"`
	Updated  json.RawMessage `json:"updated"`
	Resolved json.RawMessage `json:"resolved"`
	Due      json.RawMessage `json:"due"`
	Links    json.RawMessage `json:"links"`
	Comments []struct {
		Created json.RawMessage `json:"created"`
		Updated json.RawMessage `json:"updated"`
	} `json:"comments"`
}

// strictLink is a link field by field: ladder.Link reads itself leniently
// (it is the store's format too), so an unknown field in a link would
// otherwise pass unseen.
type strictLink struct {
	Kind    ladder.LinkKind `json:"kind"`
	Tracker string          `json:"tracker"`
	Key     string          `json:"key"`
	Via     string          `json:"via"`
}

// checkShadow reports times that are not RFC 3339 and unknown fields in
// links, each with its field's name.
func checkShadow(text []byte) []string {
	var sh shadowIssue
	if err := json.Unmarshal(text, &sh); err != nil {
		return nil // the full decode reports it
	}
	var errs []string
	checkTime := func(field string, raw json.RawMessage) {
		if len(raw) == 0 || string(raw) == "null" {
			return
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			errs = append(errs, fmt.Sprintf("%q: want an RFC 3339 time string (2026-03-01T09:00:00Z), got %s", field, raw))
			return
		}
		if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
			errs = append(errs, fmt.Sprintf("%q %q: not an RFC 3339 time (want e.g. 2026-03-01T09:00:00Z, with its zone)", field, s))
		}
	}
	checkTime("created", sh.Created)
	checkTime("updated", sh.Updated)
	checkTime("resolved", sh.Resolved)
	checkTime("due", sh.Due)
	for i, c := range sh.Comments {
		checkTime(fmt.Sprintf("comments[%d].created", i), c.Created)
		checkTime(fmt.Sprintf("comments[%d].updated", i), c.Updated)
	}
	if len(sh.Links) > 0 && string(sh.Links) != "null" {
		dec := json.NewDecoder(bytes.NewReader(sh.Links))
		dec.DisallowUnknownFields()
		var links []strictLink
		if err := dec.Decode(&links); err != nil {
			if _, ok := errors.AsType[*json.UnmarshalTypeError](err); !ok {
				errs = append(errs, "links: "+jsonProblem(err))
			}
		}
	}
	return errs
}

// decodeIssue reads one line into an issue and checks every value against
// its domain, returning all the problems it finds (none means the issue
// may be stored as is).
func decodeIssue(text []byte, tracker string) (ladder.Issue, []string) {
	var is ladder.Issue
	if text[0] != '{' {
		if text[0] == '[' {
			return is, []string{"a JSON array; want one issue object per line (JSON Lines)"}
		}
		return is, []string{"not a JSON object; want one issue object per line (JSON Lines)"}
	}
	var errs []string
	dups, err := duplicateKeys(text)
	if err != nil {
		return is, []string{jsonProblem(err)}
	}
	for _, d := range dups {
		errs = append(errs, fmt.Sprintf("%s appears more than once in the object (which one is meant?)", d))
	}
	// Times and links first: encoding/json names neither the field of a
	// time it cannot parse nor an unknown field inside a link.
	shadowErrs := checkShadow(text)
	errs = append(errs, shadowErrs...)
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&is); err != nil {
		var pe *time.ParseError
		if errors.As(err, &pe) && len(shadowErrs) > 0 {
			return is, errs // already said which field
		}
		return is, append(errs, jsonProblem(err))
	}
	if dec.More() {
		return is, append(errs, "more than one JSON value on the line (one issue per line)")
	}
	if len(shadowErrs) > 0 {
		return is, errs
	}

	if is.Tracker == "" {
		is.Tracker = tracker
	}
	switch {
	case is.Tracker == "":
		errs = append(errs, `no "tracker"; pass --tracker NAME for files without one`)
	case strings.ContainsAny(is.Tracker, ": \t"):
		errs = append(errs, fmt.Sprintf(`"tracker" %q: a tracker name has no spaces or colons`, is.Tracker))
	}
	if strings.TrimSpace(is.Key) == "" {
		errs = append(errs, `"key" is required`)
	} else if strings.ContainsAny(is.Key, " \t") {
		errs = append(errs, fmt.Sprintf(`"key" %q: a key has no spaces`, is.Key))
	}
	if is.URL != "" {
		// Reports and comments link to it.
		if u, err := url.Parse(is.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			errs = append(errs, fmt.Sprintf(`"url" %q: want the issue's http(s) address`, is.URL))
		}
	}
	if is.StatusCategory != "" && !slices.Contains(statusCategories, is.StatusCategory) {
		errs = append(errs, fmt.Sprintf(`"status_category" %q: want todo, in_progress or done`, is.StatusCategory))
	}
	if is.Estimate != nil && *is.Estimate < 0 {
		errs = append(errs, fmt.Sprintf(`"estimate" %v: an estimate is not negative (null or no "estimate" means not estimated)`, *is.Estimate))
	}
	if !is.Created.IsZero() && !is.Updated.IsZero() && is.Updated.Before(is.Created) {
		errs = append(errs, fmt.Sprintf(`"updated" %s is before "created" %s`, is.Updated.Format(time.RFC3339), is.Created.Format(time.RFC3339)))
	}
	if is.Resolved != nil && !is.Created.IsZero() && is.Resolved.Before(is.Created) {
		errs = append(errs, fmt.Sprintf(`"resolved" %s is before "created" %s`, is.Resolved.Format(time.RFC3339), is.Created.Format(time.RFC3339)))
	}
	for i, l := range is.Labels {
		if strings.TrimSpace(l) == "" {
			errs = append(errs, fmt.Sprintf(`labels[%d]: an empty label`, i))
		}
	}
	for i, c := range is.Components {
		if strings.TrimSpace(c) == "" {
			errs = append(errs, fmt.Sprintf(`components[%d]: an empty component`, i))
		}
	}
	if is.Parent != "" && is.Parent == is.Key {
		errs = append(errs, fmt.Sprintf(`"parent" %q is the issue itself`, is.Parent))
	}
	for i := range is.Links {
		l := &is.Links[i]
		if l.To.Tracker == "" {
			l.To.Tracker = is.Tracker
		}
		switch {
		case l.Kind == "" || l.To.Key == "":
			errs = append(errs, fmt.Sprintf(`links[%d] needs "kind" and "key"`, i))
		case !slices.Contains(linkKinds, l.Kind):
			errs = append(errs, fmt.Sprintf(`links[%d]: kind %q: want one of %s%s`, i, l.Kind, joinKinds(), suggestKind(l.Kind)))
		case l.To == is.Ref:
			errs = append(errs, fmt.Sprintf(`links[%d] points at the issue itself`, i))
		}
	}
	for i, c := range is.Comments {
		if strings.TrimSpace(c.Body) == "" && c.Raw == "" {
			errs = append(errs, fmt.Sprintf(`comments[%d] has no "body"`, i))
		}
		if !c.Created.IsZero() && !c.Updated.IsZero() && c.Updated.Before(c.Created) {
			errs = append(errs, fmt.Sprintf(`comments[%d]: "updated" is before "created"`, i))
		}
	}
	if is.Body == "" && is.BodyRaw != "" {
		is.Body = is.BodyRaw
	}
	return is, errs
}

func joinKinds() string {
	s := make([]string, len(linkKinds))
	for i, k := range linkKinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// suggestKind names the link kind a typo most likely meant ("blocks_by",
// "blockedby", "Blocked By").
func suggestKind(k ladder.LinkKind) string {
	norm := func(s string) string {
		return strings.NewReplacer("_", "", "-", "", " ", "").Replace(strings.ToLower(s))
	}
	for _, want := range linkKinds {
		if norm(string(k)) == norm(string(want)) {
			return fmt.Sprintf(` (did you mean %q?)`, want)
		}
	}
	if strings.HasPrefix(norm(string(k)), "block") && strings.Contains(string(k), "by") {
		return fmt.Sprintf(` (did you mean %q?)`, ladder.BlockedBy)
	}
	return ""
}

// jsonProblem rewords encoding/json's errors for a person fixing a file:
// the field and what it should hold, not Go's type names.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			return fmt.Sprintf("a JSON %s where an issue object belongs", te.Value)
		}
		return fmt.Sprintf("%q: want %s, got a JSON %s", field, goTypeInWords(te.Type.String()), te.Value)
	case errors.As(err, &se):
		return fmt.Sprintf("not valid JSON at byte %d: %v", se.Offset, se)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "the JSON object does not end on this line (one issue per line: a pretty-printed file needs `jq -c .` first)"
	}
	msg := err.Error()
	if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return fmt.Sprintf("unknown field %s (see the canonical issue format in the README)", f)
	}
	return strings.TrimPrefix(msg, "json: ")
}

func goTypeInWords(t string) string {
	switch {
	case t == "string", strings.HasSuffix(t, "LinkKind"), strings.HasSuffix(t, "StatusCategory"):
		return "a string"
	case t == "float64", t == "*float64":
		return "a number"
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case t == "time.Time", t == "*time.Time":
		return "an RFC 3339 time string"
	}
	return "an object"
}

// duplicateKeys lists the keys that occur twice in one object anywhere in
// data ("title", "links[0].kind"). encoding/json keeps the last silently and
// matches field names regardless of case, so "Title" and "title" count as
// the same key too.
func duplicateKeys(data []byte) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var dups []string
	var walk func(path string) error
	walk = func(path string) error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		d, ok := tok.(json.Delim)
		if !ok {
			return nil
		}
		switch d {
		case '{':
			seen := map[string]string{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return err
				}
				k := kt.(string)
				child := k
				if path != "" {
					child = path + "." + k
				}
				if prev, ok := seen[strings.ToLower(k)]; ok {
					if prev == k {
						dups = append(dups, strconv.Quote(child))
					} else {
						dups = append(dups, fmt.Sprintf("%q (as %q and %q)", child, prev, k))
					}
				} else {
					seen[strings.ToLower(k)] = k
				}
				if err := walk(child); err != nil {
					return err
				}
			}
		case '[':
			for i := 0; dec.More(); i++ {
				if err := walk(fmt.Sprintf("%s[%d]", path, i)); err != nil {
					return err
				}
			}
		}
		_, err = dec.Token() // the closing delimiter
		return err
	}
	if err := walk(""); err != nil {
		return nil, err
	}
	return dups, nil
}
