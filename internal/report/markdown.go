package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/ladderhq/ladder"
)

// Markdown limits: the report is also the body of the summary issue, whose
// size GitHub caps at 65,536 characters.
const (
	mdMaxIssues   = 15
	mdMaxBlockers = 40
	mdMaxOverlaps = 20
	// mdMaxChars leaves room under GitHub's cap for the marker publish adds.
	mdMaxChars = 60000
)

// Markdown writes the team/quarter report as GitHub-flavoured Markdown. It
// is posted to the summary issue, so like a comment it is inert: issues are
// named in code spans, never linked, and no text from an issue can mention,
// reference or inject anything.
//
// A report too long for an issue body drops the per-team issue lists and
// trend tables, then, if it must, stops with a pointer to the HTML report.
func Markdown(w io.Writer, s *ladder.Summary, o Options) error {
	v := newView(s, o)
	out := renderMarkdown(v, false)
	if utf8.RuneCountInString(out) > mdMaxChars {
		out = renderMarkdown(v, true)
	}
	if utf8.RuneCountInString(out) > mdMaxChars {
		const more = "\n_The report is cut here to fit in an issue; `ladder report --format html` has all of it._\n"
		cut := out[:runeOffset(out, mdMaxChars-utf8.RuneCountInString(more))]
		out = cut[:strings.LastIndexByte(cut, '\n')+1] + more
	}
	if _, err := io.WriteString(w, out); err != nil {
		return fmt.Errorf("write markdown report: %w", err)
	}
	return nil
}

func renderMarkdown(v *view, compact bool) string {
	var b strings.Builder
	bw := bufio.NewWriter(&b)
	md := &mdWriter{w: bw, compact: compact}
	md.render(v)
	bw.Flush() // a strings.Builder does not fail
	return b.String()
}

// runeOffset is the byte offset of the n-th rune of s.
func runeOffset(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

type mdWriter struct {
	w *bufio.Writer
	// compact leaves out per-team issue lists and trend tables.
	compact bool
}

func (m *mdWriter) p(format string, args ...any) {
	fmt.Fprintf(m.w, format, args...)
	m.w.WriteByte('\n')
}

func (m *mdWriter) render(v *view) {
	m.p("# %s — %s", Inert(v.Title), v.Period)
	m.p("")
	m.p("_%s_", joinNonEmpty(" · ",
		asOfText(v),
		"fiscal year starts in "+v.FYStart.String(),
		prefix("trend ", quarterRange(v.Quarters))))
	m.p("")
	m.glance(v)
	m.attention(v)
	for _, t := range v.Teams {
		m.team(v, t)
	}
	m.deps(v)
	m.overlaps(v)
	m.unknown(v)
}

func asOfText(v *view) string {
	if v.AsOf.IsZero() {
		return ""
	}
	return "as of " + v.AsOf.UTC().Format("2006-01-02")
}

func (m *mdWriter) glance(v *view) {
	m.p("## At a glance")
	m.p("")
	if len(v.Teams) == 0 {
		m.p("No teams and no issues yet: configure teams in ladder.yaml, then run `ladder sync`.")
		m.p("")
		return
	}
	m.p("| Team | Issues | Aligned to a goal | Tech debt | Debt target | Waits on other teams | Other teams wait on it |")
	m.p("| --- | --: | --: | --- | --: | --: | --: |")
	for _, t := range v.Teams {
		c := t.Cur
		if c.Issues == 0 {
			m.p("| %s | 0 | — | — | %s | %s | %s |", Inert(t.Name), bandText(c.DebtTarget), waitsText(t), count(t.BlocksOpen))
			continue
		}
		share, basis := debtShare(c)
		debt := pct(share) + " of " + basis
		if st := c.DebtStatus; st == "below" || st == "above" {
			debt += " **" + st + "**"
		} else if st == "within" {
			debt += " within"
		}
		m.p("| %s | %d | %s | %s | %s | %s | %s |", Inert(t.Name), c.Issues, pct(aligned(c)), debt,
			bandText(c.DebtTarget), waitsText(t), count(t.BlocksOpen))
	}
	m.p("")
	m.p("Shares count issues in %s. A blocker is an open issue of another team that this team's open work waits on.", v.Period)
	m.p("")
}

func waitsText(t teamView) string {
	s := count(t.WaitsOnOpen)
	if t.Uncovered > 0 {
		s += fmt.Sprintf(" (%d in no goal)", t.Uncovered)
	}
	return s
}

func count(n int) string {
	if n == 0 {
		return "—"
	}
	return fmt.Sprint(n)
}

func (m *mdWriter) attention(v *view) {
	notes := v.attention()
	if len(notes) == 0 {
		return
	}
	m.p("### Needs attention")
	m.p("")
	for _, n := range notes {
		m.p("- **%s** %s", Inert(n.Lead), Inert(n.Text))
	}
	m.p("")
}

func (m *mdWriter) team(v *view, t teamView) {
	c := t.Cur
	m.p("## %s", Inert(t.Name))
	m.p("")
	if c.Issues == 0 {
		m.p("No issues in %s.", v.Period)
		m.p("")
		m.trend(t)
		return
	}
	if c.Estimated > 0 {
		m.p("%d %s in %s; %d with estimates (%s points).", c.Issues, plural(c.Issues, "issue", "issues"), v.Period, c.Estimated, points(c.Points))
	} else {
		m.p("%d %s in %s; none estimated.", c.Issues, plural(c.Issues, "issue", "issues"), v.Period)
	}
	m.p("")

	m.p("### Goals")
	m.p("")
	m.p("| Goal | Ladders up to | Issues | Share | Points | Share of points |")
	m.p("| --- | --- | --: | --: | --: | --: |")
	for _, g := range t.Goals {
		up := "—"
		switch {
		case g.IsCompany:
			up = "_company goal_"
		case g.Company != "":
			up = joinNonEmpty(" ", Inert(g.CompanyTitle), cellCode(g.Company))
		}
		m.p("| %s | %s | %d | %s | %s | %s |", joinNonEmpty(" ", Inert(g.Title), cellCode(g.Goal)), up,
			g.Issues, pct(g.ShareCount), points(g.Points), estShare(c, g.ShareEstimate))
	}
	m.p("| **No goal** | | %d | %s | %s | %s |", c.Unaligned.Issues, pct(c.Unaligned.ShareCount), points(c.Unaligned.Points), estShare(c, c.Unaligned.ShareEstimate))
	m.p("")
	if t.Overlapping {
		m.p("An issue counts toward every goal it ladders up to (a team goal and its company goal), so shares add up to more than 100%%.")
		m.p("")
	}
	switch {
	case c.Estimated == 0:
		m.p("No issue had an estimate, so there are no shares of points.")
		m.p("")
	case c.Estimated < c.Issues:
		m.p("Shares of points count the %d estimated %s only.", c.Estimated, plural(c.Estimated, "issue", "issues"))
		m.p("")
	}
	if len(c.UnalignedIssues) > 0 && !m.compact {
		m.p("**Not aligned to any goal** (%d):", c.Unaligned.Issues)
		m.p("")
		shown := min(len(c.UnalignedIssues), mdMaxIssues)
		for _, is := range c.UnalignedIssues[:shown] {
			m.p("- %s", issueLine(is))
		}
		if more := max(len(c.UnalignedIssues), c.Unaligned.Issues) - shown; more > 0 {
			m.p("- … and %d more", more)
		}
		m.p("")
	}

	m.p("### Tech debt")
	m.p("")
	est := ""
	if c.Estimated > 0 {
		est = fmt.Sprintf(" and %s of points", pct(c.Debt.ShareEstimate))
	}
	_, basis := debtShare(c)
	m.p("%s of issues%s are debt paydown: %s, judged by %s. Paid down: %d debt %s done; admitted: %d %s whose comments take on new debt.",
		pct(c.Debt.ShareCount), est, debtSentence(c.DebtStatus, c.DebtTarget), basis,
		c.DebtPaid, plural(c.DebtPaid, "issue", "issues"), c.DebtAdmitted, plural(c.DebtAdmitted, "issue", "issues"))
	m.p("")
	m.trend(t)

	if len(t.WaitsOn)+len(t.Blocks) > 0 {
		m.p("### Cross-team")
		m.p("")
		if len(t.WaitsOn) > 0 {
			m.p("- Waits on: %s", pairList(t.WaitsOn, func(p ladder.TeamPair) string { return p.Blocking }))
		}
		if len(t.Blocks) > 0 {
			m.p("- Blocks: %s", pairList(t.Blocks, func(p ladder.TeamPair) string { return p.Waiting }))
		}
		if t.Uncovered > 0 {
			m.p("- %d of the blockers it waits on %s in no goal of the team that must do %s.", t.Uncovered, plural(t.Uncovered, "is", "are"), plural(t.Uncovered, "it", "them"))
		}
		m.p("")
	}
}

func (m *mdWriter) trend(t teamView) {
	if m.compact {
		return
	}
	var head, sep, share, status strings.Builder
	head.WriteString("| Debt trend |")
	sep.WriteString("| --- |")
	share.WriteString("| Debt share |")
	status.WriteString("| Against target |")
	has := false
	for _, p := range t.Trend {
		fmt.Fprintf(&head, " %s |", p.Quarter)
		sep.WriteString(" --: |")
		if !p.Has {
			share.WriteString(" — |")
			status.WriteString(" — |")
			continue
		}
		has = true
		sh, basis := debtShare(p.TQ)
		fmt.Fprintf(&share, " %s of %s |", pct(sh), basis)
		fmt.Fprintf(&status, " %s |", p.Status)
	}
	if !has {
		return
	}
	m.p("%s", head.String())
	m.p("%s", sep.String())
	m.p("%s", share.String())
	m.p("%s", status.String())
	m.p("")
}

func pairList(ps []ladder.TeamPair, other func(ladder.TeamPair) string) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = fmt.Sprintf("%s (%d)", Inert(other(p)), p.Open)
	}
	return strings.Join(parts, ", ")
}

func estShare(c ladder.TeamQuarter, share float64) string {
	if c.Estimated == 0 {
		return "—"
	}
	return pct(share)
}

// issueCell is issueLine without the state, for a table cell.
func issueCell(is ladder.IssueLine) string {
	return joinNonEmpty(" ", cellCode(is.Key), Inert(is.Title))
}

// issueLine names an issue inertly: its key in a code span, then its title.
func issueLine(is ladder.IssueLine) string {
	return joinNonEmpty(" ", Code(is.Key), Inert(is.Title), "("+statusWord(is.Status)+")")
}

func refList(rs []ladder.Ref) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = Code(r.Key)
	}
	return strings.Join(parts, " → ")
}

func (m *mdWriter) deps(v *view) {
	d := v.Deps
	if len(v.TeamNames) == 0 && len(d.Cycles) == 0 && len(d.LongestChain) == 0 && len(d.Uncovered) == 0 {
		return
	}
	m.p("## Cross-team dependencies")
	m.p("")
	if len(v.TeamNames) > 0 {
		m.p("Open blockers: each row is a team that waits, each column the team it waits on.")
		m.p("")
		var head, sep strings.Builder
		head.WriteString("| Waits ↓ on → |")
		sep.WriteString("| --- |")
		for _, n := range v.TeamNames {
			fmt.Fprintf(&head, " %s |", Inert(n))
			sep.WriteString(" --: |")
		}
		m.p("%s", head.String())
		m.p("%s", sep.String())
		for _, row := range v.TeamNames {
			var b strings.Builder
			fmt.Fprintf(&b, "| **%s** |", Inert(row))
			for _, col := range v.TeamNames {
				if n := v.pair(row, col); n > 0 && row != col {
					fmt.Fprintf(&b, " %d |", n)
				} else {
					b.WriteString(" · |")
				}
			}
			m.p("%s", b.String())
		}
		m.p("")
	}
	if len(d.Uncovered) > 0 {
		m.p("### Blockers nobody plans to do")
		m.p("")
		m.p("Open blockers that no goal of their own team covers. To unblock, ask that team to take them into a goal, or make the case with the goal your work serves.")
		m.p("")
		m.p("| Waiting | Team | Waits on | Team | State |")
		m.p("| --- | --- | --- | --- | --- |")
		for i, b := range d.Uncovered {
			if i == mdMaxBlockers {
				m.p("| … and %d more | | | | |", len(d.Uncovered)-i)
				break
			}
			m.p("| %s | %s | %s | **%s** | %s |", issueCell(b.Waiting), Inert(b.WaitingTeam), issueCell(b.Blocker), Inert(b.BlockerTeam), statusWord(b.Blocker.Status))
		}
		m.p("")
	}
	if len(d.Cycles) > 0 {
		m.p("### Cycles")
		m.p("")
		for i, c := range d.Cycles {
			loop := c
			if len(c) > 0 {
				loop = append(append([]ladder.Ref(nil), c...), c[0])
			}
			m.p("%d. %s", i+1, refList(loop))
		}
		m.p("")
	}
	if len(d.LongestChain) > 1 {
		m.p("### Longest chain")
		m.p("")
		m.p("%d issues, each waiting on the next: %s", len(d.LongestChain), refList(d.LongestChain))
		m.p("")
	}
}

func (m *mdWriter) overlaps(v *view) {
	if len(v.Overlaps) == 0 {
		return
	}
	m.p("## Possible duplicate effort")
	m.p("")
	for i, o := range v.Overlaps {
		if i == mdMaxOverlaps {
			m.p("- … and %d more", len(v.Overlaps)-i)
			break
		}
		s := fmt.Sprintf("- %s (%s) and %s (%s), similarity %.2f", Code(o.A.Key), Inert(o.ATeam), Code(o.B.Key), Inert(o.BTeam), o.Score)
		if len(o.Words) > 0 {
			s += "; shared words: " + Inert(strings.Join(o.Words, ", "))
		}
		m.p("%s", s)
	}
	m.p("")
}

func (m *mdWriter) unknown(v *view) {
	if len(v.Unknown) == 0 {
		return
	}
	m.p("## Issues with no team (%d)", len(v.Unknown))
	m.p("")
	m.p("No team in ladder.yaml owns their project, repository, component or label, and no member is assigned.")
	m.p("")
	keys := make([]string, 0, min(len(v.Unknown), mdMaxBlockers))
	for i, r := range v.Unknown {
		if i == mdMaxBlockers {
			keys = append(keys, fmt.Sprintf("… and %d more", len(v.Unknown)-i))
			break
		}
		keys = append(keys, Code(r.Key))
	}
	m.p("%s", strings.Join(keys, ", "))
}
