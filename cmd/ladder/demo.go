package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
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
	Out   string
	Force bool
	AsOf  asOf
}

// demoMarker marks a directory `ladder demo` made, with the hash of the
// config it wrote there, so a later demo knows the directory is its own.
const demoMarker = ".ladder-demo"

// demoFiles are what a demo writes into its directory.
var demoFiles = []string{"ladder.db", "ladder.db-wal", "ladder.db-shm", "ladder.yaml", "report.html", "report.md", "report.json", demoMarker}

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
the report as HTML, Markdown and JSON into --out.

A directory an earlier demo made (and nobody changed since) is replaced, so the demo
can be run again and again; a directory holding anything else is refused unless
--force, which replaces the demo's files there and leaves the others alone.`,
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
	cmd.Flags().BoolVar(&opts.Force, "force", false, "replace the store, config and reports in --out even if an earlier demo did not make them")
	opts.AsOf.register(cmd)
	return cmd
}

func runDemo(ctx context.Context, g *globals, opts demoOptions) error {
	now, err := opts.AsOf.time()
	if err != nil {
		return err
	}
	replacing, err := demoDir(opts.Out, opts.Force)
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
		return fmt.Errorf("demo: %w", err)
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
		return fmt.Errorf("demo: %w", err)
	}
	if err := os.WriteFile(filepath.Join(opts.Out, demoMarker), []byte(markerText(cfgText)), 0o644); err != nil {
		return fmt.Errorf("demo: %w", err)
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

	if replacing {
		fmt.Fprintf(out, "Replacing the earlier demo in %s (store, config and reports).\n", opts.Out)
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

// demoDir decides whether the demo may write into dir: a missing or empty
// directory, or with force, always; one an earlier demo made, holding
// nothing else and with its config as the demo wrote it, too (replacing
// reports true). Anything else might be somebody's real store and config,
// which the demo would delete and overwrite: refused, saying what to do.
func demoDir(dir string, force bool) (replacing bool, err error) {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		if fi, serr := os.Stat(dir); serr == nil && !fi.IsDir() {
			return false, usageError{fmt.Errorf("demo: --out %s is a file, not a directory", dir)}
		}
		return false, fmt.Errorf("demo: %w", err)
	case len(entries) == 0:
		return false, nil
	}
	var ours, foreign []string
	for _, e := range entries {
		if slices.Contains(demoFiles, e.Name()) {
			ours = append(ours, e.Name())
		} else {
			foreign = append(foreign, e.Name())
		}
	}
	if force {
		return len(ours) > 0, nil
	}
	what := "pass --force to replace its ladder.db, ladder.yaml and reports (other files stay), or choose another directory with --out DIR"
	marker, merr := os.ReadFile(filepath.Join(dir, demoMarker))
	switch {
	case merr != nil:
		return false, usageError{fmt.Errorf("demo: %s is not a directory an earlier `ladder demo` made (it holds %s): %s",
			dir, listSome(entries), what)}
	case len(foreign) > 0:
		return false, usageError{fmt.Errorf("demo: %s also holds files the demo did not make (%s): %s",
			dir, strings.Join(foreign[:min(len(foreign), 5)], ", "), what)}
	}
	cfg, err := os.ReadFile(filepath.Join(dir, "ladder.yaml"))
	if err == nil && string(marker) != markerText(string(cfg)) {
		return false, usageError{fmt.Errorf("demo: %s was edited since `ladder demo` wrote it: %s",
			filepath.Join(dir, "ladder.yaml"), what)}
	}
	return true, nil
}

// markerText is the demo marker's content for the config the demo wrote.
func markerText(cfg string) string {
	sum := sha256.Sum256([]byte(cfg))
	return "This directory was made by `ladder demo`, which replaces it when run again\n" +
		"(as long as ladder.yaml is as it wrote it and nothing else is added here).\n" +
		"ladder.yaml sha256 " + hex.EncodeToString(sum[:]) + "\n"
}

// listSome names up to five directory entries.
func listSome(entries []os.DirEntry) string {
	var names []string
	for _, e := range entries[:min(len(entries), 5)] {
		names = append(names, e.Name())
	}
	if len(entries) > 5 {
		names = append(names, fmt.Sprintf("and %d more", len(entries)-5))
	}
	return strings.Join(names, ", ")
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
