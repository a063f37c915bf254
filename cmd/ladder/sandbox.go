package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ladderhq/ladder/internal/sandbox"
)

type sandboxOptions struct {
	Out        string
	Force      bool
	Deployment string
	Issues     int
	GitHubAddr string
	JiraAddr   string
	Port       int
	RateLimit  int
	AsOf       asOf
	// ready, when set, is called once the trackers serve and the config is
	// written, with the config's path ("" when it went to stdout); tests
	// wait on it.
	ready func(config string)
}

func newSandboxCmd(g *globals) *cobra.Command {
	var opts sandboxOptions
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Serve the sandbox GitHub and Jira trackers until interrupted, with a config to try Ladder on",
		Long: `Serve the sample organisation's fake GitHub and Jira (Cloud, or Data Center with
--deployment datacenter) on loopback until interrupted (Ctrl-C), for every other
command to run against as it would against real trackers. --issues N serves a
synthetic organisation of N issues instead, to see Ladder on a large backlog.

With --out DIR the config for them goes to DIR/ladder.yaml (an existing one is
kept unless --force) and the store beside it; without, the config is printed on
stdout and everything else on stderr. Either way the export lines for the
credentials the config names are printed: they are the sandbox's own, good for
nothing else.

The trackers listen on free ports unless --github-addr, --jira-addr or --port
(GitHub on it, Jira on the next) fix them, so a config written once keeps working
across restarts. They keep what is written to them in memory only: a restarted
sandbox starts afresh, as if nothing was ever published.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSandbox(cmd.Context(), g, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Out, "out", "", "write DIR/ladder.yaml for the trackers (default: print it)")
	f.BoolVar(&opts.Force, "force", false, "overwrite an existing DIR/ladder.yaml")
	f.StringVar(&opts.Deployment, "deployment", "cloud", "the Jira site: cloud | datacenter")
	f.IntVar(&opts.Issues, "issues", 0, "serve a synthetic organisation of this many issues instead of the sample one")
	f.StringVar(&opts.GitHubAddr, "github-addr", "", "serve GitHub on this loopback host:port (default: a free port)")
	f.StringVar(&opts.JiraAddr, "jira-addr", "", "serve Jira on this loopback host:port (default: a free port)")
	f.IntVar(&opts.Port, "port", 0, "serve GitHub on 127.0.0.1:PORT and Jira on PORT+1")
	f.IntVar(&opts.RateLimit, "github-rate-limit", 0, "GitHub's requests per hour (default 5,000, as GitHub gives a token; with --issues, enough for a first sync)")
	opts.AsOf.register(cmd)
	return cmd
}

func runSandbox(ctx context.Context, g *globals, opts sandboxOptions) error {
	now, err := opts.AsOf.time()
	if err != nil {
		return err
	}
	ghAddr, jiraAddr, err := opts.addrs()
	if err != nil {
		return err
	}
	if opts.RateLimit < 0 {
		return usageError{fmt.Errorf("--github-rate-limit %d: want a number of requests per hour (0 for the default)", opts.RateLimit)}
	}
	if opts.Out == "" && opts.Force {
		return usageError{errors.New("--force overwrites the config --out writes: give --out DIR")}
	}
	var cfgPath string
	if opts.Out != "" {
		// Checked before anything listens, so a refusal leaves no server behind.
		cfgPath = filepath.Join(opts.Out, "ladder.yaml")
		if fileExists(cfgPath) && !opts.Force {
			return usageError{fmt.Errorf("%s already exists; pass --force to overwrite it", cfgPath)}
		}
	}

	t, err := sandbox.StartTrackers(sandbox.TrackersOptions{
		Now: now, Issues: opts.Issues, Deployment: opts.Deployment,
		GitHubAddr: ghAddr, JiraAddr: jiraAddr, GitHubRateLimit: opts.RateLimit,
	})
	if err != nil {
		return usageError{err}
	}
	defer t.Close()
	cfg, err := t.Config("ladder.db")
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}

	// People read what the trackers are and what to run on stdout, unless
	// the config itself goes there.
	info := g.Stdout
	if cfgPath == "" {
		info = g.Stderr
		if _, err := io.WriteString(g.Stdout, cfg); err != nil {
			return err
		}
	} else if err := writeConfig(cfgPath, cfg, opts.Force); err != nil {
		return err
	}

	jiraKind := "Jira Cloud"
	if t.Deployment == "datacenter" {
		jiraKind = "Jira Data Center"
	}
	what := "the sample organisation"
	if opts.Issues > 0 {
		what = fmt.Sprintf("a synthetic organisation of %d issues", opts.Issues)
	}
	fmt.Fprintf(info, "Sandbox trackers serving %s:\n  GitHub      %s  (%d issues, and %s for the summary report)\n  %-11s %s  (%d issues)\n",
		what, t.GitHub.URL(), len(t.Org.GitHub)-1, sandbox.SummaryIssue, jiraKind, t.Jira.URL(), len(t.Org.Jira))
	if cfgPath != "" {
		fmt.Fprintf(info, "wrote %s\n", cfgPath)
		if db := filepath.Join(opts.Out, "ladder.db"); fileExists(db) {
			// The store remembers the comments an earlier sandbox was given;
			// this one starts with none.
			fmt.Fprintf(info, "note: %s is from an earlier run: delete it for a fresh start, or run `ladder publish --verify` to re-read the comments\n", db)
		}
	}
	exports := make([]string, 0, 3)
	for _, e := range t.Env() {
		exports = append(exports, e.Name+"="+e.Value)
	}
	fmt.Fprintf(info, "\nIn another terminal:\n  export %s\n", strings.Join(exports, " "))
	if cfgPath != "" {
		fmt.Fprintf(info, "  cd %s\n", opts.Out)
	} else {
		fmt.Fprintln(info, "  # with the config above saved as ladder.yaml")
	}
	fmt.Fprintln(info, "  ladder validate && ladder sync && ladder analyze && ladder report -o report.html && ladder publish")
	fmt.Fprintln(info, "\nServing until interrupted (Ctrl-C). What is published lives in memory only.")
	if opts.ready != nil {
		opts.ready(cfgPath)
	}

	<-ctx.Done()
	fmt.Fprintln(info, "sandbox: stopped")
	return nil
}

// addrs resolves --port into the two trackers' addresses; an explicit
// --github-addr or --jira-addr wins over it.
func (o sandboxOptions) addrs() (gh, jira string, err error) {
	gh, jira = o.GitHubAddr, o.JiraAddr
	if o.Port != 0 {
		if o.Port < 1 || o.Port > 65534 {
			return "", "", usageError{fmt.Errorf("--port %d: want 1 to 65534 (Jira takes the next port)", o.Port)}
		}
		if gh == "" {
			gh = net.JoinHostPort("127.0.0.1", strconv.Itoa(o.Port))
		}
		if jira == "" {
			jira = net.JoinHostPort("127.0.0.1", strconv.Itoa(o.Port+1))
		}
	}
	return gh, jira, nil
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// writeConfig writes the sandbox's config like init writes a starter one:
// never over an existing file unless forced.
func writeConfig(path, text string, force bool) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(path, flags, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return usageError{fmt.Errorf("%s already exists; pass --force to overwrite it", path)}
	}
	if err != nil {
		return err
	}
	if _, err := io.WriteString(f, text); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
