package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/ladderhq/ladder"
)

// asOf is the "now" analysis judges by; fixed in tests and reruns.
type asOf struct{ value string }

func (a *asOf) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&a.value, "as-of", "", "judge as of this date (YYYY-MM-DD or RFC 3339) instead of now")
}

func (a asOf) time() (time.Time, error) {
	if a.value == "" {
		return time.Now().UTC(), nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, a.value); err == nil {
			return t, nil
		}
	}
	return time.Time{}, usageError{fmt.Errorf("--as-of %q: want YYYY-MM-DD or RFC 3339", a.value)}
}

type analyzeOptions struct {
	Format  string
	Team    string
	Quarter string
	AsOf    asOf
}

func newAnalyzeCmd(g *globals) *cobra.Command {
	var opts analyzeOptions
	cmd := &cobra.Command{
		Use:   "analyze",
		Short: "Label every stored issue: goal alignment, tech debt, cross-team dependencies",
		Long: `Label every stored issue and print the verdicts: a table for people, or json / jsonl
(one verdict per line, DESIGN §6) for tools. Filter with --team and --quarter (FY2027-Q1).
Use --team unknown for issues no team owns.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runAnalyze(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "table", "table | json | jsonl")
	cmd.Flags().StringVar(&opts.Team, "team", "", "only this team's issues (unknown = issues no team owns)")
	cmd.Flags().StringVar(&opts.Quarter, "quarter", "", "only this fiscal quarter, e.g. FY2027-Q1")
	opts.AsOf.register(cmd)
	return cmd
}

func (o analyzeOptions) keep(v *ladder.Verdict) bool {
	if o.Team != "" {
		team := v.Team
		if team == "" {
			team = "unknown"
		}
		if team != o.Team {
			return false
		}
	}
	return o.Quarter == "" || v.Quarter == o.Quarter
}

func runAnalyze(ctx context.Context, g *globals, opts analyzeOptions) error {
	switch opts.Format {
	case "table", "json", "jsonl":
	default:
		return usageError{fmt.Errorf("--format %q: want table, json or jsonl", opts.Format)}
	}
	if opts.Quarter != "" {
		if _, err := ladder.ParseQuarter(opts.Quarter); err != nil {
			return usageError{err}
		}
	}
	_, a, st, err := g.openAnalysis(ctx, opts.AsOf)
	if err != nil {
		return err
	}
	defer st.Close()

	var out verdictWriter
	switch opts.Format {
	case "jsonl":
		out = newJSONLWriter(g.Stdout)
	case "json":
		out = &jsonWriter{w: g.Stdout}
	default:
		out = newTableWriter(g.Stdout)
	}
	summary, err := analyze(ctx, st, a, func(v *ladder.Verdict) error {
		if !opts.keep(v) {
			return nil
		}
		return out.write(v)
	})
	if err != nil {
		return err
	}
	return out.close(summary)
}

type verdictWriter interface {
	write(v *ladder.Verdict) error
	close(s *ladder.Summary) error
}

type jsonlWriter struct{ enc *json.Encoder }

func newJSONLWriter(w io.Writer) *jsonlWriter {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &jsonlWriter{enc: enc}
}

func (j *jsonlWriter) write(v *ladder.Verdict) error { return j.enc.Encode(v) }
func (j *jsonlWriter) close(*ladder.Summary) error   { return nil }

// jsonWriter holds the filtered verdicts: json is for exports people ask for
// on purpose; jsonl streams.
type jsonWriter struct {
	w        io.Writer
	verdicts []*ladder.Verdict
}

func (j *jsonWriter) write(v *ladder.Verdict) error {
	c := *v
	j.verdicts = append(j.verdicts, &c)
	return nil
}

func (j *jsonWriter) close(s *ladder.Summary) error {
	enc := json.NewEncoder(j.w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if j.verdicts == nil {
		j.verdicts = []*ladder.Verdict{}
	}
	return enc.Encode(struct {
		Verdicts []*ladder.Verdict `json:"verdicts"`
		Summary  *ladder.Summary   `json:"summary"`
	}{j.verdicts, s})
}

type tableWriter struct {
	tw *tabwriter.Writer
	n  int
}

func newTableWriter(w io.Writer) *tableWriter {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ISSUE\tTEAM\tQUARTER\tCATEGORY\tGOAL\tWAITS ON\tTITLE")
	return &tableWriter{tw: tw}
}

func (t *tableWriter) write(v *ladder.Verdict) error {
	t.n++
	team := v.Team
	if team == "" {
		team = "(unknown)"
	}
	goal := "-"
	if len(v.Goals) > 0 {
		goal = v.Goals[0].ID
	}
	var waits []string
	for _, d := range v.Dependencies {
		if d.Kind.Waits() && d.Open {
			w := d.Ref.String()
			if d.CrossTeam {
				w += " (" + d.Team + ")"
			}
			waits = append(waits, w)
		}
	}
	dep := "-"
	if len(waits) > 0 {
		dep = strings.Join(waits, ", ")
	}
	cat := string(v.Category)
	if v.DebtAdmitted {
		cat += "+admitted"
	}
	_, err := fmt.Fprintf(t.tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", v.Ref, team, v.Quarter, cat, goal, dep, clip(v.Title, 60))
	return err
}

func (t *tableWriter) close(*ladder.Summary) error {
	if err := t.tw.Flush(); err != nil {
		return err
	}
	return nil
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
