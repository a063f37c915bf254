package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/config"
	"github.com/ladderhq/ladder/internal/store"
)

type explainOptions struct {
	Ref    string
	Format string
	AsOf   asOf
}

func newExplainCmd(g *globals) *cobra.Command {
	var opts explainOptions
	cmd := &cobra.Command{
		Use:   "explain REF",
		Short: "Show one issue's verdict with every reason",
		Long: `Show one issue's verdict with every reason behind it. REF is tracker:KEY
(jira:PAY-12, gh:acme/web#7) or just the key when only one tracker has it.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ref = args[0]
			return runExplain(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "text", "text | json")
	opts.AsOf.register(cmd)
	return cmd
}

func runExplain(ctx context.Context, g *globals, opts explainOptions) error {
	if opts.Format != "text" && opts.Format != "json" {
		return usageError{fmt.Errorf("--format %q: want text or json", opts.Format)}
	}
	if strings.HasPrefix(opts.Ref, "http://") || strings.HasPrefix(opts.Ref, "https://") {
		key, ok := keyOfURL(opts.Ref)
		if !ok {
			return usageError{fmt.Errorf("explain %s: not the address of an issue (a Jira …/browse/PAY-12 or a GitHub …/owner/repo/issues/7)", opts.Ref)}
		}
		opts.Ref = key
	}
	if strings.Contains(opts.Ref, ":") {
		if _, err := ladder.ParseRef(opts.Ref); err != nil {
			return usageError{fmt.Errorf("explain: %w", err)}
		}
	}
	cfg, a, st, err := g.openAnalysis(ctx, opts.AsOf)
	if err != nil {
		return err
	}
	defer st.Close()

	match := func(r ladder.Ref) bool { return r.String() == opts.Ref }
	if !strings.Contains(opts.Ref, ":") {
		match = func(r ladder.Ref) bool { return r.Key == opts.Ref }
	}
	found, err := a.Explain(readAhead(ctx, st), match)
	if err != nil {
		return err
	}
	switch len(found) {
	case 0:
		return notExplained(ctx, cfg, st, opts.Ref)
	case 1:
	default:
		var refs []string
		for _, v := range found {
			refs = append(refs, v.Ref.String())
		}
		return usageError{fmt.Errorf("explain %s: several trackers have it, say which: %s", opts.Ref, strings.Join(refs, ", "))}
	}
	v := *found[0]
	if err := withTitles(ctx, st, &v); err != nil {
		return err
	}
	if opts.Format == "json" {
		enc := json.NewEncoder(g.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(v)
	}
	writeExplanation(g.Stdout, &v)
	return nil
}

// notExplained says why the analysis has no verdict for ref: a gone issue
// is still in the store, so it says so rather than "no such issue" — for a
// bare key too, when one tracker had it, and naming the trackers to choose
// from when several did.
func notExplained(ctx context.Context, cfg *config.Config, st ladderStore, ref string) error {
	var candidates []ladder.Ref
	if r, err := ladder.ParseRef(ref); err == nil {
		candidates = []ladder.Ref{r}
	} else {
		names, err := st.Trackers(ctx)
		if err != nil {
			return err
		}
		for _, t := range cfg.Trackers {
			if !slices.Contains(names, t.Name) {
				names = append(names, t.Name)
			}
		}
		for _, n := range names {
			candidates = append(candidates, ladder.Ref{Tracker: n, Key: ref})
		}
	}
	var gone []ladder.Ref
	var goneErr error
	for _, r := range candidates {
		_, err := st.Issue(ctx, r)
		switch {
		case errors.Is(err, store.ErrGone):
			gone = append(gone, r)
			goneErr = err
		case err != nil && !errors.Is(err, store.ErrNotFound):
			return err
		}
	}
	switch len(gone) {
	case 0:
		if hint, err := otherCase(ctx, st, candidates, strings.Contains(ref, ":")); err != nil {
			return err
		} else if hint != "" {
			return fmt.Errorf("explain %s: no such issue in the store; did you mean %s?", ref, hint)
		}
		return fmt.Errorf("explain %s: no such issue in the store (run `ladder sync` first, or check the key)", ref)
	case 1:
		return fmt.Errorf("explain %s: %w", gone[0], goneErr)
	}
	refs := make([]string, len(gone))
	for i, r := range gone {
		refs[i] = r.String()
	}
	return usageError{fmt.Errorf("explain %s: several trackers had it, all of them gone upstream since; say which: %s", ref, strings.Join(refs, ", "))}
}

// otherCase looks for the candidates with their key in upper case (Jira
// keys are: pay-12 is PAY-12) and returns the first that is stored, as the
// reference was written (with its tracker or without).
func otherCase(ctx context.Context, st ladderStore, candidates []ladder.Ref, withTracker bool) (string, error) {
	for _, r := range candidates {
		up := ladder.Ref{Tracker: r.Tracker, Key: strings.ToUpper(r.Key)}
		if up == r {
			continue
		}
		_, err := st.Issue(ctx, up)
		switch {
		case err == nil && withTracker:
			return up.String(), nil
		case err == nil:
			return up.Key, nil
		case !errors.Is(err, store.ErrNotFound):
			return "", err
		}
	}
	return "", nil
}

// keyOfURL reads the issue key from an issue's address as a browser shows
// it: Jira's …/browse/PAY-12 (or a board's ?selectedIssue=PAY-12) and
// GitHub's …/owner/repo/issues/7 (GitHub Enterprise alike).
func keyOfURL(s string) (string, bool) {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return "", false
	}
	if k := u.Query().Get("selectedIssue"); k != "" {
		return k, true
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	for i, p := range parts {
		if p == "browse" && i+1 < len(parts) && parts[i+1] != "" {
			return parts[i+1], true
		}
		if (p == "issues" || p == "pull") && i >= 2 && i+1 < len(parts) {
			if _, err := strconv.ParseUint(parts[i+1], 10, 64); err == nil {
				return parts[i-2] + "/" + parts[i-1] + "#" + parts[i+1], true
			}
		}
	}
	return "", false
}

func writeExplanation(w io.Writer, v *ladder.Verdict) {
	fmt.Fprintf(w, "%s  %s\n", v.Ref, v.Title)
	if v.URL != "" {
		fmt.Fprintf(w, "  %s\n", v.URL)
	}
	team := v.Team
	if team == "" {
		team = "unknown (no team owns it)"
	}
	fmt.Fprintf(w, "\nteam       %s\nquarter    %s\nstatus     %s\n", team, v.Quarter, v.Status)
	fmt.Fprintf(w, "category   %s (tech-debt score %.2f)\n", v.Category, v.TechDebtScore)
	if v.Aligned {
		fmt.Fprintln(w, "goals")
		for _, m := range v.Goals {
			fmt.Fprintf(w, "  %-20s %.2f  %s\n", m.ID, m.Score, m.Path)
		}
	} else {
		fmt.Fprintln(w, "goals      does not ladder up to any goal")
	}
	if len(v.Dependencies) > 0 {
		fmt.Fprintln(w, "dependencies")
		for _, d := range v.Dependencies {
			state := "done"
			if d.Open {
				state = "open"
			}
			if !d.Known {
				state = "not synced"
			}
			other := d.Team
			if other == "" {
				other = "unknown team"
			}
			cross := ""
			if d.CrossTeam {
				cross = " cross-team"
			}
			title := ""
			if d.Title != "" {
				title = " " + strconv.Quote(d.Title)
			}
			fmt.Fprintf(w, "  %-10s %s%s (%s, %s%s) via %s\n", d.Kind, d.Ref, title, other, state, cross, d.Via)
		}
	}
	if v.DebtAdmitted {
		fmt.Fprintln(w, "debt       new debt admitted in comments")
	}
	for _, o := range v.Overlaps {
		other, team := o.B, o.BTeam
		if other == v.Ref {
			other, team = o.A, o.ATeam
		}
		fmt.Fprintf(w, "overlap    %s (%s) looks like the same work (%.2f)\n", other, team, o.Score)
	}
	fmt.Fprintln(w, "\nreasons")
	for _, r := range v.Reasons {
		fmt.Fprintf(w, "  - %s\n", r)
	}
}
