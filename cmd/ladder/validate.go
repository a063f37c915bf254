package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/ladderhq/ladder/config"
)

type validateOptions struct {
	Offline    bool
	HTTPClient *http.Client
}

func newValidateCmd(g *globals) *cobra.Command {
	var opts validateOptions
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check the config, then each tracker: auth, scope visible, permission to comment",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runValidate(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Offline, "offline", false, "check the config only; make no network call")
	return cmd
}

func runValidate(ctx context.Context, g *globals, opts validateOptions) error {
	load := g.loadTrackerConfig
	if opts.Offline {
		load = func(string) (*config.Config, error) { return g.loadConfig() }
	}
	cfg, err := load("")
	if err != nil {
		return err
	}
	if _, err := newAnalyzer(cfg, time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(g.Stdout, "%s: config ok (%d trackers, %d teams, %d goals)\n", cfg.File, len(cfg.Trackers), len(cfg.Teams), len(cfg.Goals))
	if opts.Offline {
		return nil
	}
	trackers, err := openTrackers(cfg, "", g.Getenv, g.Logger, opts.HTTPClient)
	if err != nil {
		return err
	}
	var failed []error
	for _, t := range trackers {
		if err := t.source.Validate(ctx); err != nil {
			fmt.Fprintf(g.Stdout, "%s: FAILED: %v%s\n", t.cfg.Name, err, unreachableHint(t.cfg, err))
			failed = append(failed, err)
			continue
		}
		if id, ok := t.source.(identifier); ok && t.cfg.App != nil {
			fmt.Fprintf(g.Stdout, "%s: ok (authenticates as %s; repositories in the installation, may comment)\n", t.cfg.Name, id.Identity())
			continue
		}
		fmt.Fprintf(g.Stdout, "%s: ok (token accepted, scope visible, may comment)\n", t.cfg.Name)
	}
	return errors.Join(failed...)
}
