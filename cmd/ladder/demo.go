package main

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/sandbox"
)

// The demo's credentials exist only inside this process's sandbox servers.
const (
	demoGitHubToken = sandbox.GitHubToken
	demoJiraEmail   = sandbox.JiraEmail
	demoJiraToken   = sandbox.JiraToken
)

type demoOptions struct {
	Out  string
	AsOf asOf
}

func newDemoCmd(g *globals) *cobra.Command {
	opts := demoOptions{Out: "ladder-demo"}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the whole pipeline against built-in sandbox trackers (no accounts needed)",
		Long: `Start fake GitHub and Jira Cloud servers on loopback with a sample organisation
(teams, company and team goals, a few hundred issues with epics, sub-issues, blockers
across teams and trackers, and real-sounding tech-debt work), then over HTTP:
sync into a fresh SQLite store, sync again (incremental: nothing changed, nothing
fetched), analyze, publish comments (twice: the second run changes nothing) and write
the report as HTML, Markdown and JSON into --out.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !cmd.Flags().Changed("log-level") {
				// One info line per comment written drowns the story; the
				// summary lines say the same.
				logger, err := newLogger(g.Stderr, "warn", g.LogFormat)
				if err != nil {
					return usageError{err}
				}
				g.Logger = logger
			}
			return runDemo(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Out, "out", opts.Out, "directory for the store, config and reports")
	opts.AsOf.register(cmd)
	return cmd
}

func runDemo(ctx context.Context, g *globals, opts demoOptions) error {
	now, err := opts.AsOf.time()
	if err != nil {
		return err
	}
	trackers, err := sandbox.StartTrackers(sandbox.TrackersOptions{Now: now})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer trackers.Close()
	org, gh, jira := trackers.Org, trackers.GitHub, trackers.Jira

	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return err
	}
	storePath := filepath.Join(opts.Out, "ladder.db")
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(storePath + suffix); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("demo: fresh store: %w", err)
		}
	}
	cfgPath := filepath.Join(opts.Out, "ladder.yaml")
	cfgText, err := trackers.Config("ladder.db")
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := os.WriteFile(cfgPath, []byte(cfgText), 0o644); err != nil {
		return err
	}

	// The demo's tokens reach the connectors the same way real ones do:
	// through the env var names in the config.
	env := map[string]string{}
	for _, e := range trackers.Env() {
		env[e.Name] = e.Value
	}
	dg := *g
	dg.ConfigPath, dg.StorePath = cfgPath, ""
	dg.Getenv = func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		return g.Getenv(k)
	}
	out := g.Stdout
	cfg, err := dg.loadConfig()
	if err != nil {
		return fmt.Errorf("demo config: %w", err)
	}

	// The summary issue sits in a repository the config does not sync.
	fmt.Fprintf(out, "Sandbox trackers: GitHub %s, Jira Cloud %s (%d + %d issues, and %s for the summary report)\n\n",
		gh.URL(), jira.URL(), len(org.GitHub)-1, len(org.Jira), sandbox.SummaryIssue)
	fmt.Fprintln(out, "1. sync into a fresh store")
	if _, err := runSync(ctx, &dg, cfg, syncOptions{}); err != nil {
		return err
	}
	fmt.Fprintln(out, "\n2. sync again (incremental: only conditional requests, nothing changed)")
	if _, err := runSync(ctx, &dg, cfg, syncOptions{}); err != nil {
		return err
	}

	fmt.Fprintln(out, "\n3. analyze")
	summary, err := summarize(ctx, &dg, cfg, now)
	if err != nil {
		return err
	}
	printHighlights(&dg, summary, now, time.Month(cfg.FiscalYearStartMonth))

	fmt.Fprintln(out, "\n4. publish one comment per selected issue (--apply, against the sandbox)")
	if _, err := runPublish(ctx, &dg, cfg, publishOptions{Apply: true, Quiet: true, AsOf: opts.AsOf}); err != nil {
		return err
	}
	fmt.Fprintln(out, "   and again: the verdicts did not change, so nothing is written")
	if _, err := runPublish(ctx, &dg, cfg, publishOptions{Apply: true, Quiet: true, AsOf: opts.AsOf}); err != nil {
		return err
	}
	writes := gh.Count(func(r sandbox.Request) bool { return r.Write() }) + jira.Harness().Count(func(r sandbox.Request) bool { return r.Write() })
	fmt.Fprintf(out, "   write requests served by the sandbox in total: %d\n", writes)

	fmt.Fprintln(out, "\n5. reports")
	for _, f := range []struct{ name, format string }{{"report.html", "html"}, {"report.md", "md"}, {"report.json", "json"}} {
		render, _ := reportRenderer(f.format)
		var buf bytes.Buffer
		if err := render(&buf, summary, reportOpts(cfg, now, 4)); err != nil {
			return fmt.Errorf("demo: %s: %w", f.name, err)
		}
		p := filepath.Join(opts.Out, f.name)
		if err := writeFileAtomic(p, buf.Bytes()); err != nil {
			return err
		}
		fmt.Fprintf(out, "   %s\n", p)
	}
	if org.Story != "" {
		fmt.Fprintf(out, "\nWhat to notice\n%s\n", org.Story)
	}
	example := "jira:PAY-1"
	if u := summary.Dependencies.Uncovered; len(u) > 0 {
		example = u[0].Waiting.Ref.String()
	}
	fmt.Fprintf(out, "\nOpen %s in a browser. Explore further with, e.g.:\n  ladder --config %s analyze --team platform\n  ladder --config %s explain %s\n(from a checkout without a built binary, `ladder` is `go run ./cmd/ladder`)\n",
		filepath.Join(opts.Out, "report.html"), cfgPath, cfgPath, example)
	return nil
}

// printHighlights prints one line per team for the current quarter.
func printHighlights(g *globals, s *ladder.Summary, now time.Time, fyStart time.Month) {
	q := ladder.QuarterOf(now, fyStart).String()
	for _, tq := range s.Teams {
		if tq.Quarter != q {
			continue
		}
		aligned := 1 - tq.Unaligned.ShareCount
		// Rounded half up, as the reports round.
		fmt.Fprintf(g.Stdout, "   %-10s %s: %3d issues, %3.0f%% aligned, tech debt %3.0f%% (%s)\n",
			tq.Team, tq.Quarter, tq.Issues, math.Round(100*aligned), math.Round(100*tq.Debt.ShareCount), tq.DebtStatus)
	}
	open := 0
	for _, p := range s.Dependencies.Pairs {
		open += p.Open
	}
	fmt.Fprintf(g.Stdout, "   %s, %d not on any goal of the blocking team; %s; %s\n",
		count(open, "open cross-team blocker"), s.Dependencies.UncoveredTotal,
		count(len(s.Dependencies.Cycles), "dependency cycle"), count(s.OverlapsTotal, "possible duplicate effort"))
	if n := s.UnknownTeamTotal; n > 0 {
		fmt.Fprintf(g.Stdout, "   %s no team owns\n", count(n, "issue"))
	}
}

// count says "1 issue" or "3 issues".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
