package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/ladderhq/ladder"
)

// asOf is the "now" analysis judges by; fixed in tests and reruns.
type asOf struct{ value string }

func (a *asOf) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&a.value, "as-of", "", "judge as of this date (YYYY-MM-DD or RFC 3339) instead of now")
}

func (a asOf) time() (time.Time, error) {
	if a.value == "" {
		return time.Now().UTC(), nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, a.value); err == nil {
			return t, nil
		}
	}
	return time.Time{}, usageError{fmt.Errorf("--as-of %q: want YYYY-MM-DD or RFC 3339", a.value)}
}

type analyzeOptions struct {
	Format  string
	Team    string
	Quarter string
	AsOf    asOf
}

func newAnalyzeCmd(g *globals) *cobra.Command {
	var opts analyzeOptions
	cmd := &cobra.Command{
		Use:   "analyze",
		Short: "Label every stored issue: goal alignment, tech debt, cross-team dependencies",
		Long: `Label every stored issue and print the verdicts: a table for people, or json / jsonl
(one verdict per line, the README's "Per-issue output") for tools. Filter with --team and --quarter (FY2027-Q1).
Use --team unknown for issues no team owns.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runAnalyze(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "table", "table | json | jsonl")
	cmd.Flags().StringVar(&opts.Team, "team", "", "only this team's issues (unknown = issues no team owns)")
	cmd.Flags().StringVar(&opts.Quarter, "quarter", "", "only this fiscal quarter, e.g. FY2027-Q1")
	opts.AsOf.register(cmd)
	return cmd
}

func (o analyzeOptions) keep(v *ladder.Verdict) bool {
	if o.Team != "" {
		team := v.Team
		if team == "" {
			team = "unknown"
		}
		if team != o.Team {
			return false
		}
	}
	return o.Quarter == "" || v.Quarter == o.Quarter
}

func runAnalyze(ctx context.Context, g *globals, opts analyzeOptions) error {
	switch opts.Format {
	case "table", "json", "jsonl":
	default:
		return usageError{fmt.Errorf("--format %q: want table, json or jsonl", opts.Format)}
	}
	if opts.Quarter != "" {
		if _, err := ladder.ParseQuarter(opts.Quarter); err != nil {
			return usageError{err}
		}
	}
	cfg, a, st, err := g.openAnalysis(ctx, opts.AsOf)
	if err != nil {
		return err
	}
	defer st.Close()
	if opts.Team != "" && opts.Team != "unknown" {
		var names []string
		for _, t := range cfg.Teams {
			names = append(names, t.Name)
		}
		if !slices.Contains(names, opts.Team) {
			return usageError{fmt.Errorf("--team %q: %s has no such team (teams: %s; unknown for issues no team owns)",
				opts.Team, cfg.File, strings.Join(names, ", "))}
		}
	}

	stdout := bufio.NewWriterSize(g.Stdout, 64<<10)
	var out verdictWriter
	switch opts.Format {
	case "jsonl":
		out = newJSONLWriter(stdout)
	case "json":
		out = newJSONWriter(stdout)
	default:
		out = newTableWriter(stdout)
	}
	kept := 0
	summary, err := analyze(ctx, st, a, func(v *ladder.Verdict) error {
		if !opts.keep(v) {
			return nil
		}
		kept++
		return out.write(v)
	})
	if err != nil {
		stdout.Flush() // what was judged before the failure
		return err
	}
	if err := out.close(summary); err != nil {
		return err
	}
	if err := stdout.Flush(); err != nil {
		return err
	}
	if kept == 0 && (opts.Team != "" || opts.Quarter != "") {
		fmt.Fprintf(g.Stderr, "no stored issue is in %s\n", strings.Join(filterWords(opts), " and "))
	}
	return nil
}

func filterWords(o analyzeOptions) []string {
	var w []string
	if o.Team != "" {
		w = append(w, "team "+o.Team)
	}
	if o.Quarter != "" {
		w = append(w, "quarter "+o.Quarter)
	}
	return w
}

type verdictWriter interface {
	write(v *ladder.Verdict) error
	close(s *ladder.Summary) error
}

type jsonlWriter struct{ enc *json.Encoder }

func newJSONLWriter(w io.Writer) *jsonlWriter {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &jsonlWriter{enc: enc}
}

func (j *jsonlWriter) write(v *ladder.Verdict) error { return j.enc.Encode(v) }
func (j *jsonlWriter) close(*ladder.Summary) error   { return nil }

// jsonWriter writes {"verdicts": [...], "summary": {...}} as one indented
// document, streaming the verdicts as they come and the summary when the
// run ends, so a million issues need no more memory than one.
type jsonWriter struct {
	w   io.Writer
	n   int
	buf bytes.Buffer
	enc *json.Encoder
}

func newJSONWriter(w io.Writer) *jsonWriter {
	j := &jsonWriter{w: w}
	j.enc = json.NewEncoder(&j.buf)
	j.enc.SetEscapeHTML(false)
	return j
}

// put writes head, then v indented as a value whose lines start with prefix.
func (j *jsonWriter) put(head string, v any, prefix string) error {
	j.buf.Reset()
	j.buf.WriteString(head)
	j.enc.SetIndent(prefix, "  ")
	if err := j.enc.Encode(v); err != nil {
		return err
	}
	j.buf.Truncate(j.buf.Len() - 1) // Encode's newline
	_, err := j.w.Write(j.buf.Bytes())
	return err
}

func (j *jsonWriter) write(v *ladder.Verdict) error {
	head := ",\n    "
	if j.n == 0 {
		head = "{\n  \"verdicts\": [\n    "
	}
	j.n++
	return j.put(head, v, "    ")
}

func (j *jsonWriter) close(s *ladder.Summary) error {
	head := "\n  ],\n  \"summary\": "
	if j.n == 0 {
		head = "{\n  \"verdicts\": [],\n  \"summary\": "
	}
	if err := j.put(head, s, "  "); err != nil {
		return err
	}
	_, err := io.WriteString(j.w, "\n}\n")
	return err
}

// tableBlock rows are lined up together.
const tableBlock = 1000

type tableWriter struct {
	tw *tabwriter.Writer
	n  int
}

func newTableWriter(w io.Writer) *tableWriter {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ISSUE\tTEAM\tQUARTER\tCATEGORY\tGOAL\tWAITS ON\tTITLE")
	return &tableWriter{tw: tw}
}

func (t *tableWriter) write(v *ladder.Verdict) error {
	t.n++
	team := v.Team
	if team == "" {
		team = "(unknown)"
	}
	goal := "-"
	if len(v.Goals) > 0 {
		goal = v.Goals[0].ID
	}
	var waits []string
	for _, d := range v.Dependencies {
		if d.Kind.Waits() && d.Open {
			w := d.Ref.String()
			if d.CrossTeam {
				w += " (" + d.Team + ")"
			}
			waits = append(waits, w)
		}
	}
	dep := "-"
	if len(waits) > 0 {
		dep = strings.Join(waits, ", ")
	}
	cat := string(v.Category)
	if v.DebtAdmitted {
		cat += "+admitted"
	}
	if _, err := fmt.Fprintf(t.tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", v.Ref, team, v.Quarter, cat, goal, dep, clip(v.Title, 60)); err != nil {
		return err
	}
	// tabwriter holds rows until a flush to line their columns up: a
	// block at a time keeps a large store's table out of memory.
	if t.n%tableBlock == 0 {
		return t.tw.Flush()
	}
	return nil
}

func (t *tableWriter) close(*ladder.Summary) error {
	if err := t.tw.Flush(); err != nil {
		return err
	}
	return nil
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
