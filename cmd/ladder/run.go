package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/spf13/cobra"
)

type runOptions struct {
	Full       bool
	Apply      bool
	Wait       time.Duration // how long to wait for the run lock
	HTTPClient *http.Client
	// MetricsFile, when set, gets the run's metrics in node_exporter's
	// textfile format.
	MetricsFile string
	// Metrics, when not nil, counts the run (serve's, or MetricsFile's).
	Metrics *runMetrics
	// Pacer, when not nil, paces publish's writes across runs (serve's,
	// kept for the process); nil: a fresh one for this run.
	Pacer *pacer
}

func newRunCmd(g *globals) *cobra.Command {
	var opts runOptions
	cmd := &cobra.Command{
		Use:   "run",
		Short: "sync → analyze → publish, for schedulers (cron, Kubernetes CronJob, CI)",
		Long: `Run the nightly job: sync every tracker, analyze, then publish (dry-run unless
writeback.dry_run is false or --apply). The exit code says what failed: 1 failure,
2 bad usage or config, 3 some trackers failed to sync (the rest were still analyzed
and published), 130 / 143 interrupted by SIGINT / SIGTERM (what was synced is saved,
nothing is published; the next run carries on).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.MetricsFile == "" {
				return g.skipIfHeld(runRun(cmd.Context(), g, opts))
			}
			return g.skipIfHeld(runRunWithMetricsFile(cmd.Context(), g, opts))
		},
	}
	cmd.Flags().BoolVar(&opts.Full, "full", false, "full sync instead of incremental; also marks issues deleted upstream as gone")
	cmd.Flags().BoolVar(&opts.Apply, "apply", false, "write comments even if writeback.dry_run is true")
	cmd.Flags().StringVar(&opts.MetricsFile, "metrics-file", "", "write the run's metrics to this file for node_exporter's textfile collector (e.g. /var/lib/node_exporter/ladder.prom)")
	cmd.Flags().DurationVar(&opts.Wait, "wait", 0, "wait up to this long for another run on the store to end (default: skip at once)")
	return cmd
}

// runRunWithMetricsFile is runRun that then writes its metrics to
// opts.MetricsFile, whatever the run's result (a failed run is what an
// alert needs to see), the counters carried over from the file's last
// version.
func runRunWithMetricsFile(ctx context.Context, g *globals, opts runOptions) error {
	cfg, err := g.loadTrackerConfig("")
	if err != nil {
		return err
	}
	opts.Metrics = newRunMetrics(cfg, time.Now)
	if err := opts.Metrics.carryOver(opts.MetricsFile); err != nil {
		return usageError{err}
	}
	runErr := runRun(ctx, g, opts)
	if err := opts.Metrics.writeTextfile(opts.MetricsFile); err != nil {
		return errors.Join(runErr, err)
	}
	return runErr
}

func runRun(ctx context.Context, g *globals, opts runOptions) (err error) {
	m := opts.Metrics
	m.beginRun()
	start := time.Now()
	defer func() { m.runDone(err, time.Since(start), ctx.Err() != nil) }()
	opts.HTTPClient = m.instrument(opts.HTTPClient)
	cfg, err := g.loadTrackerConfig("")
	if err != nil {
		return err
	}
	// What publish will need of the config (a techdebt.model file, the
	// goal tree) is checked now, before the sync's first request.
	if _, err := newAnalyzer(cfg, time.Now()); err != nil {
		return err
	}
	// One run at a time per store: the lock covers the sync and the publish.
	ctx, release, err := g.takeRunLock(ctx, cfg, storeFills, opts.Wait)
	if err != nil {
		return err
	}
	defer release()
	synced, syncErr := runSync(ctx, g, cfg, syncOptions{Full: opts.Full, HTTPClient: opts.HTTPClient})
	m.syncedTrackers(synced)
	var partial partialError
	if syncErr != nil && !errors.As(syncErr, &partial) {
		return fmt.Errorf("sync: %w", syncErr)
	}
	// Publish only where the sync worked: a tracker that refused the sync
	// (revoked token, outage) would refuse every comment too.
	ok := []string{}
	for _, s := range synced {
		ok = append(ok, s.Tracker)
	}
	res, err := runPublish(ctx, g, cfg, publishOptions{Apply: opts.Apply, Quiet: true, HTTPClient: opts.HTTPClient, Trackers: ok, Pacer: opts.Pacer})
	m.published(res)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	return syncErr
}
