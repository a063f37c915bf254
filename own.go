package ladder

import "strings"

// Ladder signs everything it writes into a tracker, so that what it wrote is
// never read back as evidence about an issue: its verdict comment says
// "possible duplicate: PLAT-80" and "Tech debt no", and a tracker that handed
// those words back to the analyzer would turn them into a dependency and an
// admission of debt. The signature is in the text, not in who posted it: a
// bot account is renamed, a GitHub App replaces a token, a store is lost,
// and Ladder's words must still not count.
//
// It cannot rely on anything invisible either. GitHub's hidden markers are
// HTML comments, which the reduction to plain text drops, and Jira's comment
// properties come back from neither search results nor comment listings. So
// a Ladder comment is recognised by two visible lines that survive every
// reduction (Markdown, Jira wiki markup, plain text): the line it opens with
// and the footer it closes with. Both must be there, at the very start and
// the very end, so a person quoting a line of Ladder's comment — or the
// whole of it, above or below words of their own — is still heard.
const (
	// VerdictMarker opens and closes Ladder's verdict comment on a GitHub
	// issue: an HTML comment, invisible when rendered, by which publish
	// finds its own comment again.
	VerdictMarker = "<!-- ladder:verdict v1 -->"
	// SummaryMarker opens Ladder's summary comment on a GitHub issue.
	SummaryMarker = "<!-- ladder:summary v1 -->"

	// VerdictOpener begins the heading of every verdict comment
	// ("Ladder: aligned · tech debt").
	VerdictOpener = "Ladder: "
	// VerdictFooter is the last line of every verdict comment.
	VerdictFooter = "Ladder keeps this comment up to date and edits it in place when the verdict changes."
	// SummaryFooter is the last line of the summary report, in a comment as
	// in a file; its first line is the report's title, "<title> — <period>".
	SummaryFooter = "Ladder writes this report from the trackers and rewrites it on every run: edits made here will be replaced."
	// SummaryAnyQuarter is the period a report names when there is neither
	// a clock nor data to tell which quarter it covers.
	SummaryAnyQuarter = "this quarter"
)

// ByLadder reports whether Ladder wrote c, by its text alone (see
// IsLadderText): whoever the tracker says posted it. It judges Body, the
// text analysis reads, and Raw only when there is no Body.
func (c *Comment) ByLadder() bool {
	if strings.TrimSpace(c.Body) != "" {
		return IsLadderText(c.Body)
	}
	return IsLadderText(c.Raw)
}

// IsLadderText reports whether s is a verdict comment or a summary report
// that Ladder wrote, as GitHub Markdown, Jira wiki markup or the plain text
// either is reduced to: it opens with a verdict heading and closes with the
// verdict footer, or opens with a report title and closes with the summary
// footer. Ladder's hidden markers, blank lines, heading markup (#, h1.) and
// emphasis around the footer (_…_, *…*) are looked past; anything else
// before the opening line or after the footer is somebody's own words.
func IsLadderText(s string) bool {
	first, last, ok := edgeLines(s)
	if !ok {
		return false
	}
	first, last = unheading(first), unemphasis(last)
	switch last {
	case VerdictFooter:
		return strings.HasPrefix(first, VerdictOpener)
	case SummaryFooter:
		return isReportTitle(first)
	}
	return false
}

// edgeLines returns the first and last lines of s that are neither blank
// nor one of Ladder's markers, trimmed; ok is false unless they are two
// different lines. Only the edges of s are read, however long it is.
func edgeLines(s string) (first, last string, ok bool) {
	start, end := 0, len(s)
	for start < end {
		i := strings.IndexByte(s[start:end], '\n')
		line := s[start:end]
		next := end
		if i >= 0 {
			line, next = s[start:start+i], start+i+1
		}
		if t := strings.TrimSpace(line); t != "" && !isMarker(t) {
			first = t
			break
		}
		start = next
	}
	if first == "" {
		return "", "", false
	}
	for end > start {
		i := strings.LastIndexByte(s[start:end], '\n')
		line, prev := s[start+i+1:end], start+max(i, 0)
		if t := strings.TrimSpace(line); t != "" && !isMarker(t) {
			// The line found from the end is the first line itself when
			// s holds only one.
			return first, t, i >= 0
		}
		if i < 0 {
			break
		}
		end = prev
	}
	return "", "", false
}

func isMarker(line string) bool { return line == VerdictMarker || line == SummaryMarker }

// unheading drops a Markdown ("### ") or Jira wiki ("h3. ") heading prefix.
func unheading(line string) string {
	if t := strings.TrimLeft(line, "#"); len(t) < len(line) && len(line)-len(t) <= 6 && strings.HasPrefix(t, " ") {
		return strings.TrimSpace(t)
	}
	if len(line) > 4 && line[0] == 'h' && line[1] >= '1' && line[1] <= '6' && line[2] == '.' && line[3] == ' ' {
		return strings.TrimSpace(line[4:])
	}
	return line
}

// unemphasis drops one pair of emphasis marks around the whole line: _…_
// or *…*, or Jira's braced {_}…{_} and {*}…{*}, which Jira Cloud may hand
// back for emphasis it stored as rich text.
func unemphasis(line string) string {
	for _, m := range []string{"{_}", "{*}", "_", "*"} {
		if len(line) > 2*len(m) && strings.HasPrefix(line, m) && strings.HasSuffix(line, m) {
			return strings.TrimSpace(line[len(m) : len(line)-len(m)])
		}
	}
	return line
}

// isReportTitle reports whether line reads "<title> — <period>", the first
// line of every summary report.
func isReportTitle(line string) bool {
	i := strings.LastIndex(line, " — ")
	if i <= 0 {
		return false
	}
	period := line[i+len(" — "):]
	if period == SummaryAnyQuarter {
		return true
	}
	q, err := ParseQuarter(period)
	return err == nil && q.String() == period
}
