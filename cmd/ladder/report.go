package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/config"
	"github.com/ladderhq/ladder/internal/report"
)

type reportOptions struct {
	Format    string
	FormatSet bool
	Output    string
	Quarters  int
	AsOf      asOf
}

func newReportCmd(g *globals) *cobra.Command {
	opts := reportOptions{Quarters: 4}
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Write the team/quarter summary: goals, tech-debt balance, cross-team dependencies",
		Long: `Write the summary report per team and fiscal quarter: share of work per goal, the
unaligned list, tech-debt share against each team's target band with its trend,
cross-team blockers (and those no goal of their own team covers), cycles, overlaps.
Formats: md (Markdown), html (one self-contained page that opens offline), json.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.FormatSet = cmd.Flags().Changed("format")
			return runReport(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "md", "md | html | json (default from -o's extension)")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "write to this file instead of stdout")
	cmd.Flags().IntVar(&opts.Quarters, "quarters", 4, "how many quarters the trend shows")
	opts.AsOf.register(cmd)
	return cmd
}

func runReport(ctx context.Context, g *globals, opts reportOptions) error {
	if !opts.FormatSet && opts.Output != "" {
		switch filepath.Ext(opts.Output) {
		case ".html", ".htm":
			opts.Format = "html"
		case ".json":
			opts.Format = "json"
		}
	}
	render, err := reportRenderer(opts.Format)
	if err != nil {
		return err
	}
	// Said before the analysis, which takes a while on a large store.
	if fi, err := os.Stat(opts.Output); opts.Output != "" && err == nil && fi.IsDir() {
		return usageError{fmt.Errorf("-o %s is a directory: give a file name, e.g. %s", opts.Output, filepath.Join(opts.Output, "report."+opts.Format))}
	}
	now, err := opts.AsOf.time()
	if err != nil {
		return err
	}
	cfg, err := g.loadConfig()
	if err != nil {
		return err
	}
	summary, err := summarize(ctx, g, cfg, now)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := render(&buf, summary, reportOpts(cfg, now, opts.Quarters)); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if opts.Output == "" {
		_, err := g.Stdout.Write(buf.Bytes())
		return err
	}
	if err := writeFileAtomic(opts.Output, buf.Bytes()); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	fmt.Fprintf(g.Stdout, "wrote %s\n", opts.Output)
	return nil
}

func reportRenderer(format string) (func(io.Writer, *ladder.Summary, report.Options) error, error) {
	switch format {
	case "md", "markdown":
		return report.Markdown, nil
	case "html":
		return report.HTML, nil
	case "json":
		return report.JSON, nil
	}
	return nil, usageError{fmt.Errorf("--format %q: want md, html or json", format)}
}

func reportOpts(cfg *config.Config, now time.Time, quarters int) report.Options {
	return report.Options{
		Title:                "Ladder report",
		Now:                  now,
		FiscalYearStartMonth: time.Month(cfg.FiscalYearStartMonth),
		Quarters:             quarters,
		Goals:                goals(cfg),
		Teams:                teams(cfg),
	}
}

// summarize analyses the store and returns the summary only.
func summarize(ctx context.Context, g *globals, cfg *config.Config, now time.Time) (*ladder.Summary, error) {
	a, err := newAnalyzer(cfg, now)
	if err != nil {
		return nil, err
	}
	st, err := g.openStore(ctx, cfg, storeReads)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return analyze(ctx, st, a, nil)
}

// writeFileAtomic writes through a temp file and rename, so a reader (or a
// web server) never sees half a report.
func writeFileAtomic(path string, data []byte) error {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name()) // no half-named leftovers beside the target
		return err
	}
	return nil
}
