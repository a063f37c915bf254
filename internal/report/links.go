package report

import (
	"strings"

	"github.com/ladderhq/ladder"
)

// links finds an issue's address for the HTML report, which links every key
// it shows. The summary names most issues by ref alone (cycles, the longest
// chain, overlaps, issues no team owns); the issue lines it does carry give,
// per tracker, the address of one issue, and from it the address of any:
// Jira's is <site>/browse/<KEY> and GitHub's <web host>/<owner>/<repo>/issues/<n>
// (github.com or an Enterprise host), whatever the API's own URL. A tracker
// none of whose issues came with an address gets no links. Only the HTML
// report links: Markdown and wiki text go to trackers, where a link to an
// issue would notify it.
type links struct {
	base map[string]string // tracker → base address
}

func newLinks(s *ladder.Summary) links {
	l := links{base: map[string]string{}}
	if s == nil {
		return l
	}
	for _, tq := range s.Teams {
		for _, is := range tq.UnalignedIssues {
			l.learn(is)
		}
	}
	for _, b := range s.Dependencies.Uncovered {
		l.learn(b.Waiting)
		l.learn(b.Blocker)
	}
	for _, p := range s.Dependencies.Pairs {
		for _, b := range p.Blockers {
			l.learn(b.Waiting)
			l.learn(b.Blocker)
		}
	}
	return l
}

// issuePath is the end of an issue's address that its key determines.
func issuePath(key string) string {
	if repo, num, ok := strings.Cut(key, "#"); ok && strings.Contains(repo, "/") {
		return "/" + repo + "/issues/" + num
	}
	return "/browse/" + key
}

func (l links) learn(is ladder.IssueLine) {
	if is.URL == "" || l.base[is.Tracker] != "" {
		return
	}
	if !strings.HasPrefix(is.URL, "https://") && !strings.HasPrefix(is.URL, "http://") {
		return
	}
	if base, ok := strings.CutSuffix(is.URL, issuePath(is.Key)); ok && strings.Count(base, "/") >= 2 {
		l.base[is.Tracker] = base
	}
}

// url is r's address, or "" when its tracker's is unknown.
func (l links) url(r ladder.Ref) string {
	base := l.base[r.Tracker]
	if base == "" || r.Key == "" {
		return ""
	}
	return base + issuePath(r.Key)
}

// line fills in the address of an issue line that came without one.
func (l links) line(is ladder.IssueLine) ladder.IssueLine {
	if is.URL == "" {
		is.URL = l.url(is.Ref)
	}
	return is
}

// keyLink is an issue key as the page shows it, with its address if known.
type keyLink struct {
	Key, URL string
}

func (l links) key(r ladder.Ref) keyLink { return keyLink{Key: r.Key, URL: l.url(r)} }

func (l links) keys(rs []ladder.Ref) []keyLink {
	out := make([]keyLink, len(rs))
	for i, r := range rs {
		out[i] = l.key(r)
	}
	return out
}
