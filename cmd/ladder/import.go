package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

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
	open := func() (io.ReadCloser, error) {
		if opts.File == "-" {
			return io.NopCloser(os.Stdin), nil
		}
		return os.Open(opts.File)
	}
	if opts.File == "-" {
		// stdin can be read once: keep it for the second pass.
		data, err := io.ReadAll(os.Stdin)
		if err != nil {
			return fmt.Errorf("import: read stdin: %w", err)
		}
		open = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	}

	// Pass 1 checks every line, so a bad line 90,000 writes nothing.
	n := 0
	if err := readIssues(open, opts.Tracker, func([]ladder.Issue) error { return nil }, opts.Batch, &n); err != nil {
		return usageError{err}
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
	if err := readIssues(open, opts.Tracker, put, opts.Batch, new(int)); err != nil {
		return fmt.Errorf("import %s: %w", opts.File, err)
	}
	fmt.Fprintf(g.Stdout, "imported %d issues: %d new, %d updated, %d unchanged\n", n, stats.New, stats.Updated, stats.Unchanged)
	return nil
}

// readIssues decodes the JSON Lines file in batches; count gets the number of issues.
func readIssues(open func() (io.ReadCloser, error), tracker string, put func([]ladder.Issue) error, batchSize int, count *int) error {
	f, err := open()
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	var batch []ladder.Issue
	line := 0
	for sc.Scan() {
		line++
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		var is ladder.Issue
		dec := json.NewDecoder(bytes.NewReader(text))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&is); err != nil {
			return fmt.Errorf("line %d: %v", line, err)
		}
		if is.Tracker == "" {
			is.Tracker = tracker
		}
		switch {
		case is.Tracker == "":
			return fmt.Errorf("line %d: no \"tracker\"; pass --tracker NAME for files without one", line)
		case is.Key == "":
			return fmt.Errorf("line %d: \"key\" is required", line)
		}
		for i := range is.Links {
			if is.Links[i].To.Tracker == "" {
				is.Links[i].To.Tracker = is.Tracker
			}
			if is.Links[i].To.Key == "" || is.Links[i].Kind == "" {
				return fmt.Errorf("line %d: links[%d] needs \"kind\" and \"key\"", line, i)
			}
		}
		if is.Body == "" && is.BodyRaw != "" {
			is.Body = is.BodyRaw
		}
		batch = append(batch, is)
		*count++
		if len(batch) >= batchSize {
			if err := put(batch); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("line %d: %w", line+1, err)
	}
	if len(batch) > 0 {
		return put(batch)
	}
	return nil
}
