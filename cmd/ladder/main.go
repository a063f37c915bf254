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
	"strconv"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/ladderhq/ladder/config"
)

// Exit codes, as the README's table and `ladder --help` list them.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
	exitPartial = 3
	// An interrupted run exits as shells report a process a signal
	// stopped: 128 + the signal's number.
	exitInterrupted = 130 // SIGINT (Ctrl-C)
	exitTerminated  = 143 // SIGTERM (kill, a scheduler's timeout, Kubernetes)
)

// exitCodesHelp is the exit code table `ladder --help` ends with.
const exitCodesHelp = `Exit codes:
  0    ok
  1    failure
  2    bad usage or config: unknown command or flag, wrong arguments, a config
       problem, a store that does not exist (nothing was fetched)
  3    partial: some trackers failed, the others were synced (and, with
       'ladder run', analyzed and published)
  130  interrupted by SIGINT (Ctrl-C); what was done so far is saved
  143  interrupted by SIGTERM; what was done so far is saved`

// usageError marks bad usage or a bad config: exit 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// partialError marks a run in which some trackers failed and others synced: exit 3.
type partialError struct{ err error }

func (e partialError) Error() string { return e.err.Error() }
func (e partialError) Unwrap() error { return e.err }

// interruption is the cause of a context a signal canceled.
type interruption struct{ sig os.Signal }

func (i interruption) Error() string { return signalName(i.sig) + " received" }

func signalName(sig os.Signal) string {
	switch sig {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return sig.String()
}

// interruptedError ends a command a signal stopped: said once, with what
// became of the work, and an exit code of its own.
type interruptedError struct {
	sig     os.Signal
	command string
}

func (e interruptedError) Error() string {
	return fmt.Sprintf("interrupted by %s during `%s`; %s", signalName(e.sig), e.command, interruptedNote(e.command))
}

// interruptedNote says what an interrupted command leaves behind.
func interruptedNote(command string) string {
	switch strings.TrimPrefix(command, "ladder ") {
	case "sync", "run":
		return "its progress is saved: the next run carries on where this one stopped"
	case "import":
		return "the batches already written are saved: importing the file again finishes it (issues already stored come out unchanged)"
	case "publish":
		return "the comments already written are saved: the next publish carries on"
	case "demo":
		return "run it again to start over"
	}
	return "nothing was changed"
}

// interruptContext is canceled, with an interruption as its cause, by the
// first SIGINT or SIGTERM. From then on the signals have their default
// effect again, so a second Ctrl-C stops a run that is slow to wind down
// at once (the store is safe against that too).
func interruptContext(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case sig := <-ch:
			signal.Stop(ch)
			cancel(interruption{sig})
		case <-ctx.Done():
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		cancel(nil)
	}
}

// interrupted reports the signal that canceled ctx, if one did.
func interrupted(ctx context.Context) (os.Signal, bool) {
	var i interruption
	if errors.As(context.Cause(ctx), &i) {
		return i.sig, true
	}
	return nil, false
}

func exitCode(err error) int {
	var ue usageError
	var pe partialError
	var ie interruptedError
	var ce *config.Error
	var ces config.Errors
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ie):
		if ie.sig == syscall.SIGTERM {
			return exitTerminated
		}
		return exitInterrupted
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

	// progressTo, when set, gets the sync progress line as a terminal on
	// stderr would (tests).
	progressTo io.Writer

	// started is set once the command line parsed and a command began:
	// an error before that is bad usage.
	started bool
}

func main() {
	ctx, stop := interruptContext(context.Background())
	g := &globals{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	code := execute(ctx, g, os.Args[1:])
	stop()
	os.Exit(code)
}

// execute runs one command line and returns its exit code, having reported
// the error it ended with. Errors cobra finds before a command runs (an
// unknown command or flag, the wrong number of arguments) are bad usage;
// a command stopped by a signal is reported as interrupted, once, whatever
// error the interruption surfaced as.
func execute(ctx context.Context, g *globals, args []string) int {
	root := newRootCmd(g)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err != nil && !g.started {
		err = usageError{fmt.Errorf("%s (see '%s --help')", usageMessage(cmd, err), cmd.CommandPath())}
	}
	if sig, ok := interrupted(ctx); ok && err != nil {
		err = interruptedError{sig: sig, command: cmd.CommandPath()}
	}
	if err != nil {
		g.fail(err, args)
	}
	return exitCode(err)
}

// usageMessage rewords cobra's command line errors: NoArgs calls an extra
// argument an unknown command, ExactArgs counts "arg(s)", and suggestions
// come on lines of their own.
func usageMessage(cmd *cobra.Command, err error) string {
	msg := err.Error()
	if head, sugg, ok := strings.Cut(msg, "\n\nDid you mean this?\n"); ok {
		var names []string
		for _, f := range strings.Fields(sugg) {
			names = append(names, strconv.Quote(f))
		}
		msg = fmt.Sprintf("%s (did you mean %s?)", head, strings.Join(names, " or "))
	}
	var got int
	switch {
	case strings.HasPrefix(msg, "unknown command") && !cmd.HasSubCommands():
		arg, _, _ := strings.Cut(strings.TrimPrefix(msg, "unknown command "), " for ")
		return fmt.Sprintf("'%s' takes no arguments, got %s", cmd.CommandPath(), arg)
	case strings.HasPrefix(msg, "accepts "):
		if i := strings.LastIndex(msg, "received "); i >= 0 {
			got, _ = strconv.Atoi(msg[i+len("received "):])
		}
		return fmt.Sprintf("usage: %s (got %d arguments)", cmd.UseLine(), got)
	}
	return msg
}

// fail reports the error a command ended with: a line for people, or with
// --log-format json a record like every other line on stderr — errors in
// the command line itself included, found before the logger was made.
func (g *globals) fail(err error, args []string) {
	logger := g.Logger
	if logger == nil && logFormatOf(args) == "json" {
		logger, _ = newLogger(g.Stderr, "info", "json")
	}
	if logger != nil && (g.LogFormat == "json" || logFormatOf(args) == "json") {
		logger.Error("ladder failed", "err", err.Error(), "exit", exitCode(err))
		return
	}
	fmt.Fprintln(g.Stderr, "ladder:", err)
}

// logFormatOf reads --log-format from a command line cobra may not have
// finished parsing (it stops at the first bad flag).
func logFormatOf(args []string) string {
	for i, a := range args {
		if a == "--" {
			break
		}
		if v, ok := strings.CutPrefix(a, "--log-format="); ok {
			return v
		}
		if a == "--log-format" && i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
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

Start with 'ladder demo' (no trackers needed), then 'ladder init' for your own config.

` + exitCodesHelp,
		SilenceErrors: true,
		SilenceUsage:  true,
		Version:       currentBuild().Version,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			g.started = true
			logger, err := newLogger(g.Stderr, g.LogLevel, g.LogFormat)
			if err != nil {
				return usageError{err}
			}
			g.Logger = logger
			return nil
		},
	}
	// --version prints what `ladder version` does.
	root.SetVersionTemplate(currentBuild().String())
	root.InitDefaultVersionFlag()
	root.Flags().Lookup("version").Usage = "print the version, commit and build date"
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
		newVersionCmd(g),
		newServeCmd(g),
		newStoreCmd(g),
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
