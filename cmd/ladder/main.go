// Command ladder syncs issues from Jira and GitHub into a local store, labels
// each by goal alignment, technical debt and cross-team dependency, writes the
// verdicts back as one comment per issue and reports per team and quarter.
//
// This package is the only one that knows every other: it wires config,
// connectors, store, analyzer and renderers into subcommands. Each subcommand
// is an options struct plus a runX function, so flag parsing and behaviour are
// tested separately; exit codes are decided in one place (exitCode).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/ladderhq/ladder/config"
)

// Exit codes (DESIGN §6).
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
	exitPartial = 3
)

// usageError marks bad usage or a bad config: exit 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// partialError marks a run in which some trackers failed and others synced: exit 3.
type partialError struct{ err error }

func (e partialError) Error() string { return e.err.Error() }
func (e partialError) Unwrap() error { return e.err }

func exitCode(err error) int {
	var ue usageError
	var pe partialError
	var ce *config.Error
	var ces config.Errors
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &pe):
		return exitPartial
	case errors.As(err, &ue), errors.As(err, &ce), errors.As(err, &ces):
		return exitUsage
	default:
		return exitFailure
	}
}

// globals are the flags every subcommand shares.
type globals struct {
	ConfigPath string
	StorePath  string
	LogLevel   string
	LogFormat  string

	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	Logger *slog.Logger
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	g := &globals{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	code := execute(ctx, g, os.Args[1:])
	stop()
	os.Exit(code)
}

// execute runs one command line and returns its exit code, having reported
// the error it ended with.
func execute(ctx context.Context, g *globals, args []string) int {
	cmd := newRootCmd(g)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	if err != nil {
		g.fail(err)
	}
	return exitCode(err)
}

// fail reports the error a command ended with: a line for people, or with
// --log-format json a record like every other line on stderr.
func (g *globals) fail(err error) {
	if g.LogFormat == "json" && g.Logger != nil {
		g.Logger.Error("ladder failed", "err", err.Error(), "exit", exitCode(err))
		return
	}
	fmt.Fprintln(g.Stderr, "ladder:", err)
}

// record logs a command's summary (a tracker synced, a publication) when
// stderr carries JSON records for a collector; people read the same on
// stdout.
func (g *globals) record(msg string, args ...any) {
	if g.LogFormat == "json" && g.Logger != nil {
		g.Logger.Info(msg, args...)
	}
}

func newRootCmd(g *globals) *cobra.Command {
	root := &cobra.Command{
		Use:   "ladder",
		Short: "Does your work ladder up? Goal alignment, tech debt and cross-team dependencies for Jira and GitHub issues",
		Long: `Ladder pulls issues from Jira (Cloud and Data Center) and GitHub Issues, labels each
one by goal alignment, technical debt and cross-team dependency, writes the verdicts
back as one comment per issue and reports per team and fiscal quarter.

Start with 'ladder demo' (no trackers needed), then 'ladder init' for your own config.`,
		SilenceErrors: true,
		SilenceUsage:  true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			logger, err := newLogger(g.Stderr, g.LogLevel, g.LogFormat)
			if err != nil {
				return usageError{err}
			}
			g.Logger = logger
			return nil
		},
	}
	root.SetOut(g.Stdout)
	root.SetErr(g.Stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	pf := root.PersistentFlags()
	pf.StringVar(&g.ConfigPath, "config", "", "config file (default $LADDER_CONFIG, else ./ladder.yaml)")
	pf.StringVar(&g.StorePath, "store", "", "SQLite store path (overrides the config's store)")
	pf.StringVar(&g.LogLevel, "log-level", "info", "debug | info | warn | error")
	pf.StringVar(&g.LogFormat, "log-format", "text", "text | json")

	root.AddCommand(
		newInitCmd(g),
		newValidateCmd(g),
		newSyncCmd(g),
		newImportCmd(g),
		newAnalyzeCmd(g),
		newExplainCmd(g),
		newReportCmd(g),
		newPublishCmd(g),
		newRunCmd(g),
		newDemoCmd(g),
		newSandboxCmd(g),
	)
	return root
}

func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	default:
		return nil, fmt.Errorf("--log-format %q: want text or json", format)
	}
}
