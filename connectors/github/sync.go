package github

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	gogithub "github.com/google/go-github/v62/github"

	"github.com/ladderhq/ladder"
)

// cursor is what a repository scope remembers between syncs. Since values
// are GitHub's own updated_at timestamps (never the local clock), and the
// ETags are those of the exact first-page URLs the next sync will request,
// so that an unchanged repository is answered 304 twice and costs no quota.
type cursor struct {
	Version       int               `json:"v"`
	IssuesSince   string            `json:"issues_since,omitempty"`
	CommentsSince string            `json:"comments_since,omitempty"`
	ETags         map[string]string `json:"etags,omitempty"`
	// Resume is set while the repository's issue listing is under way,
	// saved after every stored page, so a sync interrupted halfway through
	// a large repository carries on instead of starting it over.
	Resume *resumeAt `json:"resume,omitempty"`
}

// resumeAt is an issue listing under way: the last page stored, which the
// next run reads again first (pages only grow at the end while issues are
// listed in creation order, but a deleted issue pulls the ones after it
// back), and what the listing had learnt by then.
type resumeAt struct {
	Page       string    `json:"page"`
	Started    time.Time `json:"started,omitzero"`
	MaxUpdated time.Time `json:"max_updated,omitzero"`
}

const cursorVersion = 1

// orgCursor remembers an org's repository listing page by page, so an
// unchanged org costs 304s too.
type orgCursor struct {
	Pages []orgPage `json:"pages"`
}

type orgPage struct {
	URL   string   `json:"url"`
	ETag  string   `json:"etag"`
	Next  string   `json:"next,omitempty"`
	Repos []string `json:"repos"`
}

// Sync pulls every configured repository into sink: issues first (pull
// requests dropped; dependencies and sub-issues fetched only where the
// issue's summary says there are some), then the repository's comments from
// one repo-wide listing. Each repository is one scope whose cursor is saved
// only after its issues and comments were all put, so an interrupted sync
// re-fetches from the old cursor and converges. full ignores saved cursors.
func (c *Client) Sync(ctx context.Context, sink ladder.Sink, full bool, progress func(scope string, issues int)) (stats ladder.SyncStats, err error) {
	stats = ladder.SyncStats{Tracker: c.cfg.Name, QuotaRemaining: -1}
	before := c.tr.counters()
	defer func() {
		after := c.tr.counters()
		stats.Requests = after.requests - before.requests
		stats.NotModified = after.notModified - before.notModified
		stats.Waited = after.waited - before.waited
		stats.QuotaRemaining = after.remaining
	}()
	if progress == nil {
		progress = func(string, int) {}
	}
	c.mu.Lock()
	c.totals = nil // a new listing, of a size of its own
	c.mu.Unlock()
	notes := newSyncNotes()
	defer func() {
		stats.Malformed = len(notes.malformed)
		stats.Degraded = notes.degraded(c)
	}()
	repos, err := c.allRepos(ctx, sink, full)
	if err != nil {
		return stats, err
	}
	for _, repo := range repos {
		run := &repoRun{c: c, sink: sink, repo: repo, progress: progress, seen: map[int64]uint64{}, notes: notes}
		err := run.sync(ctx, full)
		stats.Scopes++
		stats.Issues.Add(run.issues)
		stats.Comments += run.comments
		if err != nil {
			return stats, c.wrap("sync "+repo, err)
		}
	}
	return stats, nil
}

// allRepos is the configured repositories plus every repository of the
// configured orgs that has issues switched on.
func (c *Client) allRepos(ctx context.Context, sink ladder.Sink, full bool) ([]string, error) {
	repos := append([]string(nil), c.repos...)
	for _, org := range c.cfg.Orgs {
		names, err := c.orgRepos(ctx, sink, org, full)
		if err != nil {
			return nil, c.wrap("list repos of org "+org, err)
		}
		for _, n := range names {
			if !containsFold(repos, n) {
				repos = append(repos, n)
			}
		}
	}
	return repos, nil
}

func (c *Client) orgRepos(ctx context.Context, sink ladder.Sink, org string, full bool) ([]string, error) {
	scope := "org:" + org
	var old orgCursor
	if !full {
		if raw, err := sink.Cursor(ctx, c.cfg.Name, scope); err != nil {
			return nil, fmt.Errorf("read cursor: %w", err)
		} else if raw != "" && json.Unmarshal([]byte(raw), &old) != nil {
			c.log.Warn("github: unreadable org cursor, listing again", "org", org)
			old = orgCursor{}
		}
	}
	stored := map[string]orgPage{}
	for _, p := range old.Pages {
		stored[p.URL] = p
	}
	var cur orgCursor
	var names []string
	visited := map[string]bool{}
	for u := "orgs/" + url.PathEscape(org) + "/repos?per_page=" + strconv.Itoa(perPage); u != "" && !visited[u]; {
		visited[u] = true
		var page []gogithub.Repository
		res, err := c.send(ctx, http.MethodGet, u, nil, stored[u].ETag, &page)
		if err != nil {
			return nil, err
		}
		p := orgPage{URL: u, ETag: res.etag, Next: res.next}
		if res.notModified {
			p = stored[u]
		} else {
			for _, r := range page {
				if r.HasIssues != nil && !*r.HasIssues {
					continue
				}
				p.Repos = append(p.Repos, r.GetFullName())
			}
		}
		cur.Pages = append(cur.Pages, p)
		names = append(names, p.Repos...)
		u = p.Next
	}
	raw, err := json.Marshal(cur)
	if err != nil {
		return nil, err
	}
	if err := sink.SaveCursor(ctx, c.cfg.Name, scope, string(raw)); err != nil {
		return nil, fmt.Errorf("save cursor: %w", err)
	}
	return names, nil
}

// repoRun is one repository's sync.
type repoRun struct {
	c        *Client
	sink     ladder.Sink
	repo     string
	progress func(string, int)
	// seen holds a hash of the JSON of every issue put in this run, so the
	// ETag capture and overlapping pages do not put (or fetch detail for)
	// the same version twice, while a version that changed within the same
	// second (same updated_at) is still put.
	seen     map[int64]uint64
	issues   ladder.PutStats
	comments int
	put      int
	notes    *syncNotes
}

// syncNotes gathers, over one Sync, what GitHub sent that could not be read
// whole: issues kept without a field, items that were not issues at all,
// relations not served. Each is logged once, when first met.
type syncNotes struct {
	malformed         map[string]bool // issue keys
	malformedComments map[int64]bool
	skipped           map[uint64]bool // hashes of listed items that could not be read as issues or comments
	// gone counts, per relation path, issues whose relation answered 404 or
	// 410; skipped marks relations not asked because the server lacks them.
	gone         map[string]int
	goneStatus   map[string]int
	relSkipped   map[string]bool
	relNames     map[string]string
	relationSeen []string // relation paths in the order first noted
}

func newSyncNotes() *syncNotes {
	return &syncNotes{malformed: map[string]bool{}, malformedComments: map[int64]bool{}, skipped: map[uint64]bool{},
		gone: map[string]int{}, goneStatus: map[string]int{}, relSkipped: map[string]bool{}, relNames: map[string]string{}}
}

// skip notes an unreadable item, logged the first time this sync meets it
// (pages are read again: a resumed page, the request that learns an ETag).
func (n *syncNotes) skip(log *slog.Logger, raw json.RawMessage, msg string, attrs ...any) {
	h := fnv.New64a()
	h.Write(raw)
	if k := h.Sum64(); !n.skipped[k] {
		n.skipped[k] = true
		log.Warn(msg, attrs...)
	}
}

func (n *syncNotes) relation(rel relation) {
	if n.relNames[rel.path] == "" {
		n.relNames[rel.path] = rel.name
		n.relationSeen = append(n.relationSeen, rel.path)
	}
}

func (n *syncNotes) relationSkipped(rel relation) {
	n.relation(rel)
	n.relSkipped[rel.path] = true
}

func (n *syncNotes) relationGone(log *slog.Logger, rel relation, key string, status int) {
	n.relation(rel)
	if n.gone[rel.path] == 0 {
		log.Warn("github: "+rel.name+" of an issue not served (moved or deleted since it was listed?); kept without them",
			"issue", key, "status", status)
	}
	n.gone[rel.path]++
	n.goneStatus[rel.path] = status
}

// degraded is SyncStats.Degraded: one line per kind of thing not read.
func (n *syncNotes) degraded(c *Client) []string {
	var out []string
	for _, path := range n.relationSeen {
		name := n.relNames[path]
		switch {
		case n.relSkipped[path] || c.relationMissing(relation{path: path}):
			out = append(out, fmt.Sprintf("%s not served by this GitHub (404): synced without them", name))
		case n.gone[path] > 0:
			out = append(out, fmt.Sprintf("%s of %d issues not served (%d: moved or deleted meanwhile): kept without them", name, n.gone[path], n.goneStatus[path]))
		}
	}
	if k := len(n.malformedComments); k > 0 {
		out = append(out, fmt.Sprintf("%d comments with a field that could not be read (kept without it)", k))
	}
	if k := len(n.skipped); k > 0 {
		out = append(out, fmt.Sprintf("%d listed items that could not be read at all (skipped, see the log)", k))
	}
	return out
}

// listing is what paging through one listing found.
type listing struct {
	notModified bool
	// etag is the first page's; reusable says that page was the whole
	// listing with room to spare, so its ETag covers everything the URL lists.
	etag       string
	reusable   bool
	maxUpdated time.Time
	// started is the server's time when it answered the first page: an
	// edit after it may have missed the pages already read.
	started time.Time
}

// resumeFrom is where the next run's since starts after a listing: the
// newest updated_at it saw, but never after the listing started. An issue
// edited while its page was already behind the listing (and so not seen
// with the edit) carries an updated_at after the start, so the next run
// asks for it again; when nothing was edited meanwhile, the start is later
// than everything seen and the cursor is the newest updated_at, as before.
func (l listing) resumeFrom() time.Time {
	if !l.started.IsZero() && l.maxUpdated.After(l.started) {
		return l.started
	}
	return l.maxUpdated
}

func (r *repoRun) sync(ctx context.Context, full bool) error {
	var old cursor
	if !full {
		raw, err := r.sink.Cursor(ctx, r.c.cfg.Name, r.repo)
		if err != nil {
			return fmt.Errorf("read cursor: %w", err)
		}
		if raw != "" && (json.Unmarshal([]byte(raw), &old) != nil || old.Version != cursorVersion) {
			r.c.log.Warn("github: unreadable cursor, syncing the repository in full", "repo", r.repo)
			old = cursor{}
		}
	}
	issuesURL := r.issuesURL(old.IssuesSince)
	var from *resumeAt
	if res := old.Resume; res != nil {
		if ownsPage(r.repo, issuesURL, res.Page) {
			from = res
			r.c.log.Info("github: resuming an interrupted listing", "repo", r.repo)
		} else {
			r.c.log.Warn("github: saved listing progress is for another listing; listing from the start", "repo", r.repo)
		}
	}
	// Progress keeps the cursor the listing started from, so an
	// interruption costs at most the page it stopped on.
	save := func(page string, l listing) error {
		raw, err := json.Marshal(cursor{Version: cursorVersion, IssuesSince: old.IssuesSince, CommentsSince: old.CommentsSince,
			Resume: &resumeAt{Page: page, Started: l.started, MaxUpdated: l.maxUpdated}})
		if err != nil {
			return err
		}
		if err := r.sink.SaveCursor(ctx, r.c.cfg.Name, r.repo, string(raw)); err != nil {
			return fmt.Errorf("save progress: %w", err)
		}
		return nil
	}
	is, err := r.listIssues(ctx, issuesURL, old.ETags[issuesURL], from, save)
	if errors.Is(err, errOtherRepository) {
		r.c.log.Warn("github: saved listing progress lists another repository now; listing from the start", "repo", r.repo)
		is, err = r.listIssues(ctx, issuesURL, old.ETags[issuesURL], nil, save)
	}
	if err != nil {
		return err
	}
	commentsURL := r.commentsURL(old.CommentsSince)
	cs, err := r.listComments(ctx, commentsURL, old.ETags[commentsURL])
	if err != nil {
		return err
	}
	if is.notModified && cs.notModified {
		return nil // the saved cursor still describes the next run exactly
	}

	next := cursor{Version: cursorVersion, ETags: map[string]string{},
		IssuesSince: later(old.IssuesSince, is.resumeFrom()), CommentsSince: later(old.CommentsSince, cs.resumeFrom())}
	// The next run asks for items updated since the newest one seen here
	// (since is inclusive, so that boundary item comes back and nothing
	// updated in the same second is lost). That URL differs from the ones
	// just paged, so its ETag is unknown: request it once now to learn it.
	// Whatever this answer lists is put too, so a change that slipped in
	// meanwhile is not hidden behind the ETag. The ETag is kept only when the
	// answer was one page with room to spare: then any later change to the
	// repository alters that very page.
	if u := r.issuesURL(next.IssuesSince); u == issuesURL && (is.notModified || is.reusable) {
		next.ETags[u] = cmp.Or(is.etag, old.ETags[u])
	} else if l, err := r.listIssues(ctx, u, "", nil, nil); err != nil {
		return err
	} else if l.reusable {
		next.ETags[u] = l.etag
	}
	if u := r.commentsURL(next.CommentsSince); u == commentsURL && (cs.notModified || cs.reusable) {
		next.ETags[u] = cmp.Or(cs.etag, old.ETags[u])
	} else if l, err := r.listComments(ctx, u, ""); err != nil {
		return err
	} else if l.reusable {
		next.ETags[u] = l.etag
	}
	raw, err := json.Marshal(next)
	if err != nil {
		return err
	}
	if err := r.sink.SaveCursor(ctx, r.c.cfg.Name, r.repo, string(raw)); err != nil {
		return fmt.Errorf("save cursor: %w", err)
	}
	return nil
}

// issuesURL lists issues in creation order: pages then only grow at the
// end while a sync runs, so paging never skips an issue (sorting by updated
// would move an issue edited mid-sync past the page being read).
func (r *repoRun) issuesURL(since string) string {
	q := url.Values{"state": {"all"}, "sort": {"created"}, "direction": {"asc"}, "per_page": {strconv.Itoa(perPage)}}
	if since != "" {
		q.Set("since", since)
	}
	return "repos/" + r.repo + "/issues?" + q.Encode()
}

// commentsURL lists every comment of the repository, in creation order for
// the same reason as issuesURL.
func (r *repoRun) commentsURL(since string) string {
	q := url.Values{"sort": {"created"}, "direction": {"asc"}, "per_page": {strconv.Itoa(perPage)}}
	if since != "" {
		q.Set("since", since)
	}
	return "repos/" + r.repo + "/issues/comments?" + q.Encode()
}

// ownsPage reports whether page, saved progress, is a page of listing, the
// repository's issue listing this run would make. GitHub's Link headers name
// the repository by its id, not by owner/repo
// (https://api.github.com/repositories/515435940/issues?per_page=100&page=2),
// so the path may be either form; the query, but for page, must be the
// listing's own (the same since, order and page size), or the page belongs
// to another listing.
func ownsPage(repo, listing, page string) bool {
	p, err := url.Parse(page)
	if err != nil {
		return false
	}
	l, err := url.Parse(listing)
	if err != nil {
		return false
	}
	path := "/" + strings.TrimPrefix(p.Path, "/") // the first page is saved relative to the API base
	if !strings.HasSuffix(strings.ToLower(path), "/repos/"+strings.ToLower(repo)+"/issues") && !repositoryIssues.MatchString(path) {
		return false
	}
	pq, lq := p.Query(), l.Query()
	pq.Del("page")
	lq.Del("page")
	return pq.Encode() == lq.Encode()
}

var repositoryIssues = regexp.MustCompile(`/repositories/\d+/issues$`)

// errOtherRepository says a resumed listing lists issues of another
// repository: the saved page names a repository id, and the name it was
// saved under now belongs to another repository (renamed, then recreated).
var errOtherRepository = errors.New("the saved page lists another repository")

// listIssues pages through u (or, resuming, from's page on) and puts every
// issue. save, when set, is called after each stored page but the last with
// that page's URL and what the listing has learnt.
//
// Each issue is decoded on its own: an issue with a field that cannot be
// read is stored without it (and logged and counted once), an item that
// cannot be read as an issue at all is skipped, and neither costs the rest
// of the page. A page that is not a JSON array fails the listing.
func (r *repoRun) listIssues(ctx context.Context, u, etag string, from *resumeAt, save func(page string, l listing) error) (listing, error) {
	var l listing
	fresh := from == nil
	if !fresh {
		u, etag = from.Page, ""
		l.started, l.maxUpdated = from.Started, from.MaxUpdated
	}
	for first := true; u != ""; first = false {
		var raws []json.RawMessage
		res, err := r.c.send(ctx, http.MethodGet, u, nil, etag, &raws)
		if err != nil {
			return l, fmt.Errorf("list issues: %w", err)
		}
		if res.notModified {
			l.notModified = true
			return l, nil
		}
		if first && fresh {
			l.etag, l.reusable, l.started = res.etag, res.next == "" && len(raws) < perPage, res.date
		}
		var batch []ladder.Issue
		var versions []uint64
		for i, raw := range raws {
			w, ok := r.decodeIssue(raw, i, u)
			if !ok {
				continue
			}
			if w.UpdatedAt.After(l.maxUpdated) {
				l.maxUpdated = w.UpdatedAt
			}
			if w.PullRequest != nil {
				continue // GitHub lists pull requests as issues too
			}
			if first && !fresh {
				if other, ok := repoFromAPIURL(w.RepositoryURL); ok && !strings.EqualFold(other, r.repo) {
					return l, errOtherRepository
				}
			}
			h := fnv.New64a()
			h.Write(raw)
			version := h.Sum64()
			if r.seen[w.ID] == version {
				continue
			}
			links, err := r.links(ctx, &w)
			if err != nil {
				return l, err
			}
			batch = append(batch, convertIssue(r.c.cfg.Name, r.repo, &w, links))
			versions = append(versions, version)
		}
		if len(batch) > 0 {
			st, err := r.sink.PutIssues(ctx, batch)
			if err != nil {
				return l, fmt.Errorf("put issues: %w", err)
			}
			r.issues.Add(st)
			r.put += len(batch)
			for i, is := range batch {
				id, _ := strconv.ParseInt(is.ID, 10, 64)
				r.seen[id] = versions[i]
			}
		}
		r.noteTotal(res, first && fresh, len(raws))
		r.progress(r.repo, r.put)
		if save != nil && res.next != "" {
			if err := save(u, l); err != nil {
				return l, err
			}
		}
		u, etag = res.next, ""
	}
	return l, nil
}

// decodeIssue reads the i-th item of the listing page u. An issue is kept
// whatever else fails as long as its id and number can be read: without
// them it cannot be stored or named.
func (r *repoRun) decodeIssue(raw json.RawMessage, i int, u string) (wireIssue, bool) {
	w, bad, err := decodeLenient[wireIssue](raw)
	if err == nil && (slices.Contains(bad, "id") || slices.Contains(bad, "number") || w.ID == 0 || w.Number <= 0) {
		err = errors.New("no readable id and number")
	}
	if err != nil {
		r.notes.skip(r.c.log, raw, "github: listed item is not a readable issue; skipped", "repo", r.repo, "item", i, "page", u, "err", err)
		return wireIssue{}, false
	}
	if len(bad) > 0 && w.PullRequest == nil { // pull requests are dropped anyway
		key := fmt.Sprintf("%s#%d", r.repo, w.Number)
		if !r.notes.malformed[key] {
			r.notes.malformed[key] = true
			r.c.log.Warn("github: issue has fields that could not be read; stored without them", "issue", key, "fields", bad)
		}
	}
	return w, true
}

// noteTotal estimates, from a page of the issue listing, how many items the
// listing holds. GitHub says no count, but its Link header names the last
// page: that many pages of perPage is the listing's size to within a page,
// pull requests included (they are listed as issues and dropped), so an
// estimate. A listing of one page holds exactly what it returned. The
// repository's open_issues_count is no total: it counts open issues and
// open pull requests only.
func (r *repoRun) noteTotal(res response, firstPage bool, items int) {
	total := 0
	if last, ok := lastPage(res.header.Get("Link")); ok {
		total = last * perPage
	} else if firstPage && res.next == "" {
		total = items
	}
	if total == 0 {
		return
	}
	r.c.mu.Lock()
	defer r.c.mu.Unlock()
	if r.c.totals == nil {
		r.c.totals = map[string]int{}
	}
	// The first page of a repository's first listing in this sync sizes it;
	// the requests after it that learn the next run's ETags list less.
	if _, ok := r.c.totals[r.repo]; !ok {
		r.c.totals[r.repo] = total
	}
}

// ListingTotal returns the estimated number of items in the listing of
// repository scope the running sync is paging (pull requests included),
// once its first page has come; ok is false before, or when GitHub sent no
// page links.
func (c *Client) ListingTotal(scope string) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, ok := c.totals[scope]
	return n, ok
}

// lastPage reads the page number of a Link header's rel="last".
func lastPage(header string) (int, bool) {
	for _, part := range strings.Split(header, ",") {
		target, params, ok := strings.Cut(strings.TrimSpace(part), ";")
		if !ok || !strings.Contains(params, `rel="last"`) {
			continue
		}
		u, err := url.Parse(strings.Trim(strings.TrimSpace(target), "<>"))
		if err != nil {
			return 0, false
		}
		n, err := strconv.Atoi(u.Query().Get("page"))
		return n, err == nil && n > 0
	}
	return 0, false
}

// listComments pages through the repository's comments and puts them.
// Like issues, each comment is decoded on its own: one whose id or issue
// cannot be read is skipped, any other unreadable field is left out.
func (r *repoRun) listComments(ctx context.Context, u, etag string) (listing, error) {
	var l listing
	for first := true; u != ""; first = false {
		var raws []json.RawMessage
		res, err := r.c.send(ctx, http.MethodGet, u, nil, etag, &raws)
		if err != nil {
			return l, fmt.Errorf("list comments: %w", err)
		}
		if res.notModified {
			l.notModified = true
			return l, nil
		}
		if first {
			l.etag, l.reusable, l.started = res.etag, res.next == "" && len(raws) < perPage, res.date
		}
		batch := make([]ladder.IssueComment, 0, len(raws))
		for i, raw := range raws {
			w, bad, err := decodeLenient[wireComment](raw)
			if err == nil && (slices.Contains(bad, "id") || w.ID == 0) {
				err = errors.New("no readable id")
			}
			if err != nil {
				r.notes.skip(r.c.log, raw, "github: listed item is not a readable comment; skipped", "repo", r.repo, "item", i, "page", u, "err", err)
				continue
			}
			if len(bad) > 0 && !r.notes.malformedComments[w.ID] {
				r.notes.malformedComments[w.ID] = true
				r.c.log.Warn("github: comment has fields that could not be read; kept without them", "repo", r.repo, "comment", w.ID, "fields", bad)
			}
			if w.UpdatedAt.After(l.maxUpdated) {
				l.maxUpdated = w.UpdatedAt
			}
			if ic, ok := convertComment(r.c.cfg.Name, &w); ok {
				batch = append(batch, ic)
			}
		}
		if len(batch) > 0 {
			if err := r.sink.PutComments(ctx, batch); err != nil {
				return l, fmt.Errorf("put comments: %w", err)
			}
			r.comments += len(batch)
		}
		u, etag = res.next, ""
	}
	return l, nil
}

// later returns the later of a cursor timestamp and t, as RFC 3339 UTC.
func later(since string, t time.Time) string {
	if t.IsZero() {
		return since
	}
	if s, err := time.Parse(time.RFC3339, since); err == nil && !t.After(s) {
		return since
	}
	return t.UTC().Format(time.RFC3339)
}
