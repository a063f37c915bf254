package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/ladderhq/ladder"
)

// Text report limits: the report is also the body of the summary comment,
// whose size GitHub caps at 65,536 characters and Jira at 32,767.
const (
	mdMaxIssues   = 15
	mdMaxBlockers = 40
	mdMaxOverlaps = 20
	// mdMaxChars and wikiMaxChars leave room under each cap for what
	// publish adds.
	mdMaxChars   = 60000
	wikiMaxChars = 32000
)

// dialect is what the text report's two markups differ in: GitHub-flavoured
// Markdown and Jira wiki markup. text and code make issue-derived strings
// inert in every position, table cells included.
type dialect struct {
	markup
	cell     func(string) string // code inside a table cell
	heading  func(level int) string
	numbered func(i int) string
	// head and row render a table's header (with each column's alignment,
	// 'l' or 'r') and one of its rows.
	head     func(cells []string, align string) string
	row      func(cells []string) string
	maxChars int
	cut      string // the note that ends a report cut to fit
}

var gfmReport = dialect{
	markup:   gfm,
	cell:     cellCode,
	heading:  func(level int) string { return strings.Repeat("#", level) + " " },
	numbered: func(i int) string { return fmt.Sprintf("%d. ", i) },
	head: func(cells []string, align string) string {
		var b strings.Builder
		b.WriteString("|")
		for _, c := range cells {
			b.WriteString(" " + c + " |")
		}
		b.WriteString("\n|")
		for i := range cells {
			if i < len(align) && align[i] == 'r' {
				b.WriteString(" --: |")
			} else {
				b.WriteString(" --- |")
			}
		}
		return b.String()
	},
	row: func(cells []string) string {
		var b strings.Builder
		b.WriteString("|")
		for _, c := range cells {
			if c == "" {
				b.WriteString(" |")
			} else {
				b.WriteString(" " + c + " |")
			}
		}
		return b.String()
	},
	maxChars: mdMaxChars,
	cut:      "_The report is cut here to fit in an issue; `ladder report --format html` has all of it._",
}

var wikiReport = dialect{
	markup:   wiki,
	cell:     wikiCode,
	heading:  func(level int) string { return fmt.Sprintf("h%d. ", level) },
	numbered: func(int) string { return "# " },
	head: func(cells []string, _ string) string {
		return "||" + strings.Join(cells, "||") + "||"
	},
	row: func(cells []string) string {
		for i, c := range cells {
			if c == "" {
				cells[i] = " " // an empty cell would merge with the next
			}
		}
		return "|" + strings.Join(cells, "|") + "|"
	},
	maxChars: wikiMaxChars,
	cut:      "_The report is cut here to fit in a comment; {{ladder report --format html}} has all of it._",
}

// Markdown writes the team/quarter report as GitHub-flavoured Markdown. It
// is posted to the summary issue, so like a comment it is inert: issues are
// named in code spans, never linked, and no text from an issue can mention,
// reference or inject anything.
//
// A report too long for an issue body drops the per-team issue lists and
// trend tables, then, if it must, stops with a pointer to the HTML report.
func Markdown(w io.Writer, s *ladder.Summary, o Options) error {
	if _, err := io.WriteString(w, renderText(newView(s, o), gfmReport)); err != nil {
		return fmt.Errorf("write markdown report: %w", err)
	}
	return nil
}

// JiraWiki writes the same report as Markdown in Jira wiki markup, for the
// summary comment on a Jira issue: as inert, and cut to fit a Jira comment.
func JiraWiki(w io.Writer, s *ladder.Summary, o Options) error {
	if _, err := io.WriteString(w, renderText(newView(s, o), wikiReport)); err != nil {
		return fmt.Errorf("write wiki report: %w", err)
	}
	return nil
}

// renderText renders the whole report, or the compact one when that is too
// long, or as much of the compact one as fits; then the footer. The title
// line and the footer are the report's signature (ladder.IsLadderText), by
// which Ladder never reads its own summary comment as evidence: the title
// stays first and the footer last, whatever is cut.
func renderText(v *view, d dialect) string {
	footer := "\n" + d.em(ladder.SummaryFooter) + "\n"
	room := d.maxChars - utf8.RuneCountInString(footer)
	out := renderDialect(v, d, false)
	if utf8.RuneCountInString(out) > room {
		out = renderDialect(v, d, true)
	}
	if utf8.RuneCountInString(out) > room {
		more := "\n" + d.cut + "\n"
		cut := out[:runeOffset(out, room-utf8.RuneCountInString(more))]
		out = cut[:strings.LastIndexByte(cut, '\n')+1] + more
	}
	return out + footer
}

func renderDialect(v *view, d dialect, compact bool) string {
	var b strings.Builder
	bw := bufio.NewWriter(&b)
	md := &mdWriter{w: bw, d: d, compact: compact}
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
	d dialect
	// compact leaves out per-team issue lists and trend tables.
	compact bool
}

func (m *mdWriter) h(level int, text string) {
	m.p("%s%s", m.d.heading(level), text)
	m.p("")
}

func (m *mdWriter) head(align string, cells ...string) { m.p("%s", m.d.head(cells, align)) }
func (m *mdWriter) row(cells ...string)                { m.p("%s", m.d.row(cells)) }

func (m *mdWriter) p(format string, args ...any) {
	fmt.Fprintf(m.w, format, args...)
	m.w.WriteByte('\n')
}

func (m *mdWriter) render(v *view) {
	d := m.d
	m.h(1, d.text(v.Title)+" — "+v.Period)
	m.p("%s", d.em(joinNonEmpty(" · ",
		asOfText(v),
		"fiscal year starts in "+v.FYStart.String(),
		prefix("trend ", quarterRange(v.Quarters)))))
	m.p("")
	m.glance(v)
	m.attention(v)
	m.goals(v)
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
	d := m.d
	m.h(2, "At a glance")
	if len(v.Teams) == 0 {
		m.p("No teams and no issues yet: configure teams in ladder.yaml, then run %s.", d.code("ladder sync"))
		m.p("")
		return
	}
	m.head("lrrlrrr", "Team", "Issues", "Aligned to a goal", "Tech debt", "Debt target", "Waits on other teams", "Other teams wait on it")
	for _, t := range v.Teams {
		c := t.Cur
		if c.Issues == 0 {
			m.row(d.text(t.Name), "0", "—", "—", bandText(c.DebtTarget), waitsText(t), count(t.BlocksOpen))
			continue
		}
		share, basis := debtShare(c)
		debt := pct(share) + " of " + basis
		if st := c.DebtStatus; st == "below" || st == "above" {
			debt += " " + d.bold(st)
		} else if st == "within" {
			debt += " within"
		}
		m.row(d.text(t.Name), fmt.Sprint(c.Issues), pct(aligned(c)), debt,
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
	m.h(3, "Needs attention")
	for _, n := range notes {
		m.p("%s%s %s", m.d.bullet, m.d.bold(m.d.text(n.Lead)), m.d.text(n.Text))
	}
	m.p("")
}

func (m *mdWriter) team(v *view, t teamView) {
	d := m.d
	c := t.Cur
	m.h(2, d.text(t.Name))
	if c.Issues == 0 {
		m.p("No issues in %s.", v.Period)
		m.p("")
		var idle []string
		for _, g := range t.Goals {
			if !g.IsCompany {
				idle = append(idle, joinNonEmpty(" ", d.text(g.Title), d.code(g.Goal)))
			}
		}
		if len(idle) > 0 {
			m.p("No work yet on its %s: %s.", plural(len(idle), "goal", "goals"), strings.Join(idle, ", "))
			m.p("")
		}
		m.trend(t)
		return
	}
	if c.Estimated > 0 {
		m.p("%d %s in %s; %d with estimates (%s points).", c.Issues, plural(c.Issues, "issue", "issues"), v.Period, c.Estimated, points(c.Points))
	} else {
		m.p("%d %s in %s; none estimated.", c.Issues, plural(c.Issues, "issue", "issues"), v.Period)
	}
	m.p("")

	m.h(3, "Goals")
	m.head("llrrrr", "Goal", "Ladders up to", "Issues", "Share", "Points", "Share of points")
	for _, g := range t.Goals {
		up := "—"
		switch {
		case g.IsCompany:
			up = d.em("company goal")
		case g.Company != "":
			up = joinNonEmpty(" ", d.text(g.CompanyTitle), d.cell(g.Company))
		}
		goal := joinNonEmpty(" ", d.text(g.Title), d.cell(g.Goal))
		if g.Issues == 0 {
			goal += " " + d.em("no work yet")
		}
		m.row(goal, up,
			fmt.Sprint(g.Issues), pct(g.ShareCount), points(g.Points), estShare(c, g.ShareEstimate))
	}
	m.row(d.bold("No goal"), "", fmt.Sprint(c.Unaligned.Issues), pct(c.Unaligned.ShareCount), points(c.Unaligned.Points), estShare(c, c.Unaligned.ShareEstimate))
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
		m.p("%s (%s):", d.bold("Not aligned to any goal"), thousands(c.Unaligned.Issues))
		m.p("")
		shown := min(len(c.UnalignedIssues), mdMaxIssues)
		for _, is := range c.UnalignedIssues[:shown] {
			m.p("%s%s", d.bullet, m.issueLine(is))
		}
		if more := max(len(c.UnalignedIssues), c.Unaligned.Issues) - shown; more > 0 {
			m.p("%s… and %s more", d.bullet, thousands(more))
		}
		m.p("")
	}

	m.h(3, "Tech debt")
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
		m.h(3, "Cross-team")
		if len(t.WaitsOn) > 0 {
			m.p("%sWaits on: %s", d.bullet, m.pairList(t.WaitsOn, func(p ladder.TeamPair) string { return p.Blocking }))
		}
		if len(t.Blocks) > 0 {
			m.p("%sBlocks: %s", d.bullet, m.pairList(t.Blocks, func(p ladder.TeamPair) string { return p.Waiting }))
		}
		if t.Uncovered > 0 {
			m.p("%s%d of the blockers it waits on %s in no goal of the team that must do %s.", d.bullet, t.Uncovered, plural(t.Uncovered, "is", "are"), plural(t.Uncovered, "it", "them"))
		}
		m.p("")
	}
}

// goals writes the goal tree of the quarter: each company goal, the team
// goals under it, and the work that ladders up to each, or "no work yet".
func (m *mdWriter) goals(v *view) {
	if len(v.Goals) == 0 {
		return
	}
	d := m.d
	m.h(2, "Goals in "+v.Period)
	m.head("lll", "Goal", "Team", "Work")
	for _, n := range v.Goals {
		goal := joinNonEmpty(" ", d.text(n.Title), d.cell(n.ID))
		if n.Depth > 0 {
			goal = strings.Repeat("· ", n.Depth-1) + "↳ " + goal
		}
		if !n.InQuarter {
			goal += " " + d.em("("+n.Quarter+")")
		}
		team := d.em("company")
		if n.Team != "" {
			team = d.text(n.Team)
		}
		work := n.workText(d.text)
		if n.Issues == 0 && n.InQuarter {
			work = d.bold(work)
		}
		m.row(goal, team, work)
	}
	m.p("")
	m.p("A company goal counts the work of every goal under it; an issue counts once per goal it ladders up to.")
	m.p("")
}

func (m *mdWriter) trend(t teamView) {
	if m.compact {
		return
	}
	head := []string{"Debt trend"}
	share := []string{"Debt share"}
	status := []string{"Against target"}
	align := "l"
	has := false
	for _, p := range t.Trend {
		head = append(head, p.Quarter.String())
		align += "r"
		if !p.Has {
			share = append(share, "—")
			status = append(status, "—")
			continue
		}
		has = true
		sh, basis := debtShare(p.TQ)
		share = append(share, pct(sh)+" of "+basis)
		status = append(status, p.Status)
	}
	if !has {
		return
	}
	m.head(align, head...)
	m.row(share...)
	m.row(status...)
	m.p("")
}

func (m *mdWriter) pairList(ps []ladder.TeamPair, other func(ladder.TeamPair) string) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = fmt.Sprintf("%s (%d)", m.d.text(other(p)), p.Open)
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
func (m *mdWriter) issueCell(is ladder.IssueLine) string {
	return joinNonEmpty(" ", m.d.cell(is.Key), m.d.text(is.Title))
}

// issueLine names an issue inertly: its key as code, then its title.
func (m *mdWriter) issueLine(is ladder.IssueLine) string {
	return joinNonEmpty(" ", m.d.code(is.Key), m.d.text(is.Title), "("+statusWord(is.Status)+")")
}

func (m *mdWriter) refList(rs []ladder.Ref) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = m.d.code(r.Key)
	}
	return strings.Join(parts, " → ")
}

func (m *mdWriter) deps(v *view) {
	d := v.Deps
	w := m.d
	if len(v.TeamNames) == 0 && len(d.Cycles) == 0 && len(d.LongestChain) == 0 && v.UncoveredTotal == 0 {
		return
	}
	m.h(2, "Cross-team dependencies")
	if len(v.TeamNames) > 0 {
		m.p("Open blockers: each row is a team that waits, each column the team it waits on.")
		m.p("")
		head := []string{"Waits ↓ on →"}
		align := "l"
		for _, n := range v.TeamNames {
			head = append(head, w.text(n))
			align += "r"
		}
		m.head(align, head...)
		for _, row := range v.TeamNames {
			cells := []string{w.bold(w.text(row))}
			for _, col := range v.TeamNames {
				if n := v.pair(row, col); n > 0 && row != col {
					cells = append(cells, fmt.Sprint(n))
				} else {
					cells = append(cells, "·")
				}
			}
			m.row(cells...)
		}
		m.p("")
	}
	if v.UncoveredTotal > 0 {
		m.h(3, "Blockers nobody plans to do")
		m.p("Open blockers that no goal of their own team covers. To unblock, ask that team to take them into a goal, or make the case with the goal your work serves.")
		m.p("")
		m.head("lllll", "Waiting", "Team", "Waits on", "Team", "State")
		shown := d.Uncovered[:min(len(d.Uncovered), mdMaxBlockers)]
		for _, b := range shown {
			m.row(m.issueCell(b.Waiting), w.text(b.WaitingTeam), m.issueCell(b.Blocker), w.bold(w.text(b.BlockerTeam)), statusWord(b.Blocker.Status))
		}
		if more := v.UncoveredTotal - len(shown); more > 0 {
			m.row("… and "+thousands(more)+" more", "", "", "", "")
		}
		m.p("")
	}
	if len(d.Cycles) > 0 {
		m.h(3, "Cycles")
		for i, c := range d.Cycles {
			loop := c
			if len(c) > 0 {
				loop = append(append([]ladder.Ref(nil), c...), c[0])
			}
			m.p("%s%s", w.numbered(i+1), m.refList(loop))
		}
		m.p("")
	}
	if len(d.LongestChain) > 1 {
		m.h(3, "Longest chain")
		m.p("%d issues, each waiting on the next: %s", len(d.LongestChain), m.refList(d.LongestChain))
		m.p("")
	}
}

func (m *mdWriter) overlaps(v *view) {
	if len(v.Overlaps) == 0 {
		return
	}
	d := m.d
	m.h(2, "Possible duplicate effort")
	for i, o := range v.Overlaps {
		if i == mdMaxOverlaps {
			m.p("%s… and %s more", d.bullet, thousands(v.OverlapsTotal-i))
			break
		}
		s := fmt.Sprintf("%s%s (%s) and %s (%s), similarity %.2f", d.bullet, d.code(o.A.Key), d.text(o.ATeam), d.code(o.B.Key), d.text(o.BTeam), o.Score)
		if len(o.Words) > 0 {
			s += "; shared words: " + d.text(strings.Join(o.Words, ", "))
		}
		m.p("%s", s)
	}
	if more := v.OverlapsTotal - len(v.Overlaps); more > 0 && len(v.Overlaps) <= mdMaxOverlaps {
		m.p("%s… and %s more", d.bullet, thousands(more))
	}
	m.p("")
}

func (m *mdWriter) unknown(v *view) {
	if v.UnknownTotal == 0 {
		return
	}
	m.h(2, "Issues with no team ("+thousands(v.UnknownTotal)+")")
	m.p("No team in ladder.yaml owns their project, repository, component or label, and no member is assigned.")
	m.p("")
	shown := v.Unknown[:min(len(v.Unknown), mdMaxBlockers)]
	keys := make([]string, 0, len(shown)+1)
	for _, r := range shown {
		keys = append(keys, m.d.code(r.Key))
	}
	if more := v.UnknownTotal - len(shown); more > 0 {
		keys = append(keys, "… and "+thousands(more)+" more")
	}
	m.p("%s", strings.Join(keys, ", "))
}
