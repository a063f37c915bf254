package github

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/ladderhq/ladder"
)

// relation is one kind of issue relation GitHub serves from an endpoint of
// its own (…/issues/{n}/sub_issues, …/issues/{n}/dependencies/blocked_by),
// announced by a summary in the issue itself.
type relation struct {
	name string // for people: "sub-issues"
	path string // under …/issues/{n}/
	kind ladder.LinkKind
	via  string
	// count reads the issue's summary; ok is false when the issue carries
	// none (an Enterprise Server older than the feature).
	count func(*wireIssue) (n int, ok bool)
}

var relations = []relation{
	{name: "issue dependencies", path: "dependencies/blocked_by", kind: ladder.BlockedBy, via: "github dependency",
		count: func(w *wireIssue) (int, bool) {
			if w.IssueDependenciesSummary == nil {
				return 0, false
			}
			return w.IssueDependenciesSummary.TotalBlockedBy, true
		}},
	{name: "sub-issues", path: "sub_issues", kind: ladder.ChildOf, via: "sub-issue",
		count: func(w *wireIssue) (int, bool) {
			if w.SubIssuesSummary == nil {
				return 0, false
			}
			return w.SubIssuesSummary.Total, true
		}},
}

// relationState is what one GitHub has shown of a relation's endpoint. An
// answer proves the endpoint exists, and a 404 after that is about the
// issue (transferred or deleted between the listing and the request). A
// 404 before any answer may be either; missingAfter of them in a row mean
// the server lacks the endpoint (GitHub Enterprise Server before the
// feature), and it is not asked again.
type relationState struct {
	served  bool
	misses  int
	missing bool
}

const missingAfter = 2

// relationMissing reports whether this GitHub has shown it lacks rel.
func (c *Client) relationMissing(rel relation) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.rels[rel.path]
	return st != nil && st.missing
}

// relationAnswered records an answer from rel's endpoint, or a 404/410
// (found false); it reports whether the endpoint now counts as missing and
// whether it has only just come to.
func (c *Client) relationAnswered(rel relation, found bool) (missing, now bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.rels[rel.path]
	if st == nil {
		st = &relationState{}
		c.rels[rel.path] = st
	}
	switch {
	case found:
		st.served, st.misses = true, 0
	case !st.served && !st.missing:
		st.misses++
		if st.misses >= missingAfter {
			st.missing = true
			return true, true
		}
	}
	return st.missing, false
}

// links fetches an issue's blockers and sub-issues. Where the issue carries
// a summary, only when it says there is something to fetch: most issues
// have neither, and asking anyway would cost two requests per issue. Where
// it carries none, Ladder cannot know, so it asks until the server has
// shown it lacks the endpoint. A 404 or 410 keeps the issue without those
// links and is noted once per kind; any other failure fails the sync.
func (r *repoRun) links(ctx context.Context, w *wireIssue) ([]ladder.Link, error) {
	var out []ladder.Link
	for _, rel := range relations {
		if n, ok := rel.count(w); ok && n == 0 {
			continue
		}
		if r.c.relationMissing(rel) {
			r.notes.relationSkipped(rel)
			continue
		}
		related, err := r.related(ctx, fmt.Sprintf("repos/%s/issues/%d/%s", r.repo, w.Number, rel.path))
		if status := statusOf(err); status == http.StatusNotFound || status == http.StatusGone {
			missing, now := r.c.relationAnswered(rel, false)
			switch {
			case now:
				r.c.log.Warn("github: this GitHub does not serve "+rel.name+"; syncing without them", "status", status, "path", rel.path)
			case !missing:
				r.notes.relationGone(r.c.log, rel, fmt.Sprintf("%s#%d", r.repo, w.Number), status)
			}
			if missing {
				r.notes.relationSkipped(rel)
			}
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("list %s of #%d: %w", rel.name, w.Number, err)
		}
		r.c.relationAnswered(rel, true)
		out = append(out, relatedLinks(r.c.cfg.Name, rel.kind, rel.via, related)...)
	}
	return out, nil
}

// related pages through a dependencies or sub-issues listing. An item that
// cannot be read as an issue is skipped: it names no issue to link to.
func (r *repoRun) related(ctx context.Context, path string) ([]wireIssue, error) {
	var all []wireIssue
	for u := path + "?per_page=" + strconv.Itoa(perPage); u != ""; {
		var page []json.RawMessage
		res, err := r.c.send(ctx, http.MethodGet, u, nil, "", &page)
		if err != nil {
			return nil, err
		}
		for _, raw := range page {
			if w, _, err := decodeLenient[wireIssue](raw); err == nil {
				all = append(all, w)
			}
		}
		u = res.next
	}
	return all, nil
}
