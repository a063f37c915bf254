// Package analyzer judges issues. For every issue it decides which team owns
// it, which goals it ladders up to and through what evidence, whether it is
// technical debt, what other teams' work it waits on (or holds up), and which
// other teams seem to be doing the same work; then it sums the verdicts up per
// team and fiscal quarter.
//
// The analyzer is pure: issues, config and "now" go in, verdicts and a
// Summary come out, with no I/O and the same output for the same input. It
// makes two passes over the issues and keeps between them only a compact
// entry per issue (key, team, parent, state, its own goal matches), the
// dependency edges, and for recent work the words overlap detection
// compares; never whole issues or verdicts.
//
// The rules a PM will ask about:
//
//   - Team: the first rule that names a team wins, in this order: a component
//     the team owns, a label it owns, its Jira project or GitHub repository,
//     then the assignee being one of its members. Components and labels come
//     before the project because they are how one shared project is split
//     between teams. Within a rule, the issue's own order (first component,
//     first label) and then config order decide. No rule, no team: the issue
//     is listed as unowned, never guessed.
//   - Quarter: done work counts in the fiscal quarter it was done in
//     (Resolved; Updated when a tracker gives no resolution time), work in
//     progress in the current quarter (the quarter of Now), and work not yet
//     started in the quarter it was filed: years of untouched backlog would
//     otherwise swamp the current quarter.
//   - Goals: a goal with a Quarter (or under a parent that has one) is a goal
//     of that quarter. Explicit evidence — a goal label, a goal epic, an
//     aligned ancestor — always counts, whatever the quarter and whoever owns
//     the goal: someone chose to tie the work to it. Text relevance only
//     matches the issue's own team's goals active in the issue's quarter;
//     company goals are reached through the goal tree, never by text.
//   - Alignment flows down the parent chain: an issue's own goal labels and
//     goal epics (the issue is one, or its parent is) come first, then the
//     nearest ancestor with such evidence,
//     then text relevance of the ancestors from the top down (an epic's
//     subject decides for its stories), then the issue's own text.
//   - Dependencies are links that make one issue wait on another (blocked
//     by, depends on, blocks), parent/child links that cross teams, and
//     references in text, across trackers. Only open issues wait: the
//     dependency graph for cycles and chains has the open waits between
//     issues in the store. A blocker of another team is covered when it
//     ladders up to a goal of its own team; company goals alone do not
//     schedule work.
//   - Debt status compares the debt share by count with the team's band;
//     the share by estimate is reported next to it.
//   - Overlap compares the work of the last four quarters (and everything
//     open) across teams; see overlap.go.
package analyzer

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ladderhq/ladder"
)

// Default thresholds, used when Config leaves them at zero.
const (
	// DefaultAlignThreshold: a goal's strongest keyword in the issue title
	// scores about 0.67, two of its keywords in the body about the same, one
	// keyword in the body alone about 0.33. At 0.5 the first two align and
	// the last does not.
	DefaultAlignThreshold = 0.5
	// DefaultOverlapThreshold is the cosine similarity (IDF-weighted, title
	// words double, see overlap.go) at which two issues of different teams
	// read as the same work. Two titles that share four of five words and
	// bodies that share a few more score about 0.55–0.65.
	DefaultOverlapThreshold = 0.5
	// DefaultListLimit caps each team-quarter's list of unaligned issues.
	DefaultListLimit = 100
)

// Config is everything the analyzer judges by.
type Config struct {
	Teams []ladder.Team
	Goals []ladder.Goal
	// FiscalYearStartMonth is the first month of the fiscal year; 0 means January.
	FiscalYearStartMonth time.Month
	// TechDebtLabels and TechDebtTypes are explicit debt signals; they decide
	// before the model.
	TechDebtLabels []string
	TechDebtTypes  []string
	// DebtThreshold overrides the model's own threshold; 0 keeps the model's.
	DebtThreshold float64
	// AlignThreshold is the normalised (0..1) text relevance an issue needs
	// to align with a goal by text alone; 0 means DefaultAlignThreshold.
	AlignThreshold float64
	// OverlapThreshold is the similarity (0..1) at which two teams' open
	// issues count as the same work; 0 means DefaultOverlapThreshold.
	OverlapThreshold float64
	// Now fixes the current quarter; the analyzer never reads the clock.
	Now time.Time
	// DebtModel scores issues without an explicit debt signal; nil means
	// DefaultDebtModel().
	DebtModel *DebtModel
	// ListLimit caps TeamQuarter.UnalignedIssues (open issues first); 0
	// means DefaultListLimit, negative means no cap.
	ListLimit int
}

// Analyzer judges issues by one Config. It is immutable after New and safe
// for concurrent Runs.
type Analyzer struct {
	cfg       Config
	fyStart   time.Month
	teams     *teamRules
	goals     *goalTree
	text      *goalIndex
	model     *DebtModel
	debtLabel map[string]bool // lower-case
	debtType  map[string]bool // lower-case
	debtThr   float64
	alignThr  float64
	overlap   float64
	listLimit int
	now       ladder.Quarter
}

// New checks cfg and prepares an Analyzer. Errors name the team or goal at
// fault: duplicate names or ids, a goal whose parent or team does not exist,
// a loop in the goal tree, a quarter that does not parse.
func New(cfg Config) (*Analyzer, error) {
	a := &Analyzer{cfg: cfg, fyStart: cfg.FiscalYearStartMonth}
	if a.fyStart == 0 {
		a.fyStart = time.January
	}
	if a.fyStart < time.January || a.fyStart > time.December {
		return nil, fmt.Errorf("analyzer: fiscal year start month %d: want 1..12", int(cfg.FiscalYearStartMonth))
	}
	if cfg.Now.IsZero() {
		return nil, errors.New("analyzer: Now is not set: the current quarter depends on it")
	}
	a.now = ladder.QuarterOf(cfg.Now, a.fyStart)
	var err error
	if a.teams, err = newTeamRules(cfg.Teams); err != nil {
		return nil, err
	}
	if a.goals, err = newGoalTree(cfg.Goals, a.teams); err != nil {
		return nil, err
	}
	a.text = newGoalIndex(cfg.Goals)
	a.model = cfg.DebtModel
	if a.model == nil {
		a.model = DefaultDebtModel()
	}
	a.debtThr = a.model.Threshold()
	if cfg.DebtThreshold != 0 {
		a.debtThr = cfg.DebtThreshold
	}
	a.alignThr, err = threshold("align", cfg.AlignThreshold, DefaultAlignThreshold)
	if err != nil {
		return nil, err
	}
	a.overlap, err = threshold("overlap", cfg.OverlapThreshold, DefaultOverlapThreshold)
	if err != nil {
		return nil, err
	}
	if a.debtThr < 0 || a.debtThr > 1 {
		return nil, fmt.Errorf("analyzer: debt threshold %g: want 0..1", a.debtThr)
	}
	a.debtLabel = lowerSet(cfg.TechDebtLabels)
	a.debtType = lowerSet(cfg.TechDebtTypes)
	a.listLimit = cfg.ListLimit
	if a.listLimit == 0 {
		a.listLimit = DefaultListLimit
	}
	return a, nil
}

func threshold(name string, v, def float64) (float64, error) {
	if v == 0 {
		return def, nil
	}
	if v < 0 || v > 1 {
		return 0, fmt.Errorf("analyzer: %s threshold %g: want 0..1", name, v)
	}
	return v, nil
}

func lowerSet(xs []string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[strings.ToLower(x)] = true
	}
	return m
}

// Run analyses every issue. each must call fn for every issue, the same ones
// each time it is called; Run calls it twice. emit receives each verdict in
// the order of the second pass (nil skips them). Issues are not retained
// after fn returns.
func (a *Analyzer) Run(each func(fn func(*ladder.Issue) error) error, emit func(*ladder.Verdict) error) (*ladder.Summary, error) {
	each = evidence(each)
	r := newRun(a)
	if err := each(func(is *ladder.Issue) error {
		r.index(is)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("analyze: index issues: %w", err)
	}
	r.link()
	if err := each(func(is *ladder.Issue) error {
		v := r.verdict(is)
		if v == nil || emit == nil {
			return nil
		}
		return emit(v)
	}); err != nil {
		return nil, fmt.Errorf("analyze: judge issues: %w", err)
	}
	return r.summary(), nil
}

// Explain returns the verdicts of the issues whose refs match, with every
// cross-issue fact a Run gives them: the first pass reads every issue, the
// second judges only the matching ones (kept from the first), so it takes
// about half as long as a Run and builds no summary. The verdicts are in
// stream order; when nothing matches there are none, and no error.
func (a *Analyzer) Explain(each func(fn func(*ladder.Issue) error) error, match func(ladder.Ref) bool) ([]*ladder.Verdict, error) {
	each = evidence(each)
	r := newRun(a)
	var picked []*ladder.Issue
	if err := each(func(is *ladder.Issue) error {
		r.index(is)
		if match(is.Ref) {
			picked = append(picked, cloneIssue(is))
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("analyze: index issues: %w", err)
	}
	r.link()
	var out []*ladder.Verdict
	for _, is := range picked {
		if v := r.verdict(is); v != nil {
			out = append(out, v)
		}
	}
	return out, nil
}

// evidence streams the issues of each without the comments Ladder wrote
// (ladder.IsLadderText), whoever posted them: its verdict and summary
// comments restate verdicts, and read back they would become evidence for
// new ones (a "possible duplicate" line turned into a dependency, "Tech debt
// no" into admitted debt). Run and Explain read issues only through it, so
// every verdict, summary and explanation follows the rule. An issue with none of Ladder's comments passes through as it is; one with
// some is passed as a copy, leaving the caller's issue untouched.
func evidence(each func(fn func(*ladder.Issue) error) error) func(fn func(*ladder.Issue) error) error {
	return func(fn func(*ladder.Issue) error) error {
		return each(func(is *ladder.Issue) error {
			i := slices.IndexFunc(is.Comments, func(c ladder.Comment) bool { return c.ByLadder() })
			if i < 0 {
				return fn(is)
			}
			c := *is
			c.Comments = slices.Clone(is.Comments[:i])
			for _, cm := range is.Comments[i+1:] {
				if !cm.ByLadder() {
					c.Comments = append(c.Comments, cm)
				}
			}
			return fn(&c)
		})
	}
}

// cloneIssue copies what the stream may reuse once fn returns.
func cloneIssue(is *ladder.Issue) *ladder.Issue {
	c := *is
	c.Labels, c.Components = slices.Clone(is.Labels), slices.Clone(is.Components)
	c.Links, c.Comments = slices.Clone(is.Links), slices.Clone(is.Comments)
	for _, p := range []**time.Time{&c.Resolved, &c.Due} {
		if *p != nil {
			t := **p
			*p = &t
		}
	}
	if c.Estimate != nil {
		e := *c.Estimate
		c.Estimate = &e
	}
	return &c
}

// Issue states kept in the index.
const (
	stateUnknown uint8 = iota // referenced, but not in the store
	stateTodo
	stateInProgress
	stateDone
)

func stateOf(c ladder.StatusCategory) uint8 {
	switch c {
	case ladder.StatusDone:
		return stateDone
	case ladder.StatusInProgress:
		return stateInProgress
	}
	return stateTodo
}

// entry is what the index keeps of one issue between the passes: about 32
// bytes, plus its goal matches and (open issues) overlap words in pools.
type entry struct {
	prefix  uint32 // key = prefixes[prefix] + num; num 0: the prefix is the whole key
	num     uint32
	parent  int32 // entry of the parent issue, -1 for none
	mOff    int32 // matches[mOff : mOff+nm]
	tOff    int32 // tokens[tOff : tOff+nt]
	tracker uint16
	team    int16 // -1 for none
	state   uint8
	nm      uint8
	nt      uint8
}

func (e *entry) known() bool { return e.state != stateUnknown }
func (e *entry) open() bool  { return e.state == stateTodo || e.state == stateInProgress }

// refKey finds an entry: tracker and key, with the key split into its
// project/repository prefix and its number so no key string is stored twice.
type refKey struct {
	tracker uint16
	prefix  uint32
	num     uint32
}

// index maps refs to entries. Keys are stored as (prefix, number) pairs:
// "PAY-" 12, "acme/web#" 48.
type index struct {
	entries  []entry
	ids      idTable
	trackers []string
	trackerN map[string]uint16
	prefixes []string
	prefixN  map[string]uint32
	// prefixMask says which trackers hold issues with each prefix.
	prefixMask []uint64
	hosts      []string
	hostN      map[string]uint16
	hostMask   []uint64
}

func newIndex() *index {
	return &index{
		trackerN: make(map[string]uint16),
		prefixN:  make(map[string]uint32),
		hostN:    map[string]uint16{"": 0},
		hosts:    []string{""},
		hostMask: []uint64{0},
	}
}

// splitKey splits PAY-12 into "PAY-" and 12 and acme/web#48 into "acme/web#"
// and 48. Keys of any other shape are their own prefix with number 0.
func splitKey(key string) (string, uint32) {
	i := len(key)
	for i > 0 && key[i-1] >= '0' && key[i-1] <= '9' {
		i--
	}
	if i == 0 || i == len(key) || len(key)-i > 9 || key[i] == '0' || (key[i-1] != '-' && key[i-1] != '#') {
		return key, 0
	}
	n, _ := strconv.ParseUint(key[i:], 10, 32)
	return key[:i], uint32(n)
}

func (x *index) tracker(name string) uint16 {
	if t, ok := x.trackerN[name]; ok {
		return t
	}
	t := uint16(len(x.trackers))
	name = strings.Clone(name)
	x.trackers = append(x.trackers, name)
	x.trackerN[name] = t
	return t
}

func (x *index) prefix(p string) uint32 {
	if id, ok := x.prefixN[p]; ok {
		return id
	}
	id := uint32(len(x.prefixes))
	p = strings.Clone(p)
	x.prefixes = append(x.prefixes, p)
	x.prefixN[p] = id
	x.prefixMask = append(x.prefixMask, 0)
	return id
}

func (x *index) host(h string) uint16 {
	if id, ok := x.hostN[h]; ok {
		return id
	}
	if len(x.hosts) >= 1<<16-1 {
		return 0
	}
	id := uint16(len(x.hosts))
	h = strings.Clone(h)
	x.hosts = append(x.hosts, h)
	x.hostN[h] = id
	x.hostMask = append(x.hostMask, 0)
	return id
}

// lookup finds ref without adding it.
func (x *index) lookup(ref ladder.Ref) (int32, bool) {
	t, ok := x.trackerN[ref.Tracker]
	if !ok {
		return -1, false
	}
	p, n := splitKey(ref.Key)
	pid, ok := x.prefixN[p]
	if !ok {
		return -1, false
	}
	return x.ids.find(x.entries, refKey{t, pid, n})
}

// get finds or adds the entry of ref; a new entry is in state unknown until
// the issue itself is indexed.
func (x *index) get(ref ladder.Ref) int32 {
	p, n := splitKey(ref.Key)
	return x.getKey(x.tracker(ref.Tracker), x.prefix(p), n)
}

func (x *index) getKey(t uint16, p, n uint32) int32 {
	if id, ok := x.ids.find(x.entries, refKey{t, p, n}); ok {
		return id
	}
	id := int32(len(x.entries))
	x.entries = append(x.entries, entry{prefix: p, num: n, tracker: t, parent: -1, team: -1})
	x.ids.add(x.entries, id)
	return id
}

// ref rebuilds the Ref of an entry.
func (x *index) ref(id int32) ladder.Ref {
	e := &x.entries[id]
	return ladder.Ref{Tracker: x.trackers[e.tracker], Key: x.key(e)}
}

func (x *index) key(e *entry) string {
	if e.num == 0 {
		return x.prefixes[e.prefix]
	}
	return x.prefixes[e.prefix] + strconv.FormatUint(uint64(e.num), 10)
}

// compare orders entries by tracker name, then key with numbers compared as
// numbers (PAY-9 before PAY-10), so every list the analyzer produces has the
// same order whatever order the store streams issues in.
func (x *index) compare(a, b int32) int {
	if a == b {
		return 0
	}
	ea, eb := &x.entries[a], &x.entries[b]
	if c := strings.Compare(x.trackers[ea.tracker], x.trackers[eb.tracker]); c != 0 {
		return c
	}
	if c := strings.Compare(x.prefixes[ea.prefix], x.prefixes[eb.prefix]); c != 0 {
		return c
	}
	return int(ea.num) - int(eb.num)
}

// compareRefs orders refs the way index.compare orders entries.
func compareRefs(a, b ladder.Ref) int {
	if c := strings.Compare(a.Tracker, b.Tracker); c != 0 {
		return c
	}
	pa, na := splitKey(a.Key)
	pb, nb := splitKey(b.Key)
	if c := strings.Compare(pa, pb); c != 0 {
		return c
	}
	return int(na) - int(nb)
}

func sortRefs(refs []ladder.Ref) { slices.SortFunc(refs, compareRefs) }

// hostOf returns the host of an http(s) URL, "" for anything else.
func hostOf(u string) string {
	i := strings.Index(u, "://")
	if i < 0 {
		return ""
	}
	u = u[i+3:]
	if j := strings.IndexAny(u, "/?#"); j >= 0 {
		u = u[:j]
	}
	return strings.ToLower(u)
}

// run is one Run's working state: the index the first pass builds, what is
// derived from it between the passes, and the second pass's aggregates.
type run struct {
	a       *Analyzer
	ix      *index
	buf     []byte
	wordTab *wordTable // the words every issue's text is read through

	// First pass: goal matches, overlap terms, dependency edges.
	title, body   []token      // terms of the issue at hand
	titleQ, bodyQ []int32      // and their goal query terms
	tee           teeFunc      // collects them behind the debt model
	scan          [2]pieceFunc // or, by field, without it (explicit debt)
	// debt is the debt model's score of each entry's issue (NaN: none),
	// found in the first pass while the text is read for goal matching
	// anyway; the second pass reads the text again only for the words of
	// an issue that scores as debt.
	debt     []float64
	matches  []match
	texts    []textMatch
	textS    *textScratch
	allow    map[allowKey][]int
	vocab    map[string]uint32
	words    []string
	df       []uint32
	seen     []uint32
	stamp    uint32
	terms    []uint32
	edges    []edge
	pending  []pendingRef
	children []pendingChild
	vias     []string
	viaN     map[string]uint8

	// Between the passes.
	linked     bool
	prefixFold map[string]uint32
	epics      map[int32][]int
	byTo       []int32
	overlaps   []overlapRec
	overlapOf  []shownOverlaps // by entry id, only issues that show some
	cycles     [][]ladder.Ref
	chainRefs  []ladder.Ref
	blockers   []edge // open cross-team waits, until pickBlockers
	pairs      []blockerPair
	uncovered  []edge // kept for the summary
	// uncoveredTotal counts open cross-team blockers no goal covers.
	uncoveredTotal int
	lines          map[int32]*ladder.IssueLine

	// Second pass.
	judged    []uint64 // bit per entry: verdict emitted
	unaligned map[allowKey]string
	chainBuf  []int32
	goalSeen  []int
	sum       *summer
}

func newRun(a *Analyzer) *run {
	r := &run{
		a:         a,
		ix:        newIndex(),
		wordTab:   newWordTable(a.model),
		textS:     a.text.scratch(),
		allow:     map[allowKey][]int{},
		vocab:     map[string]uint32{},
		vias:      []string{viaText},
		viaN:      map[string]uint8{viaText: 0},
		lines:     map[int32]*ladder.IssueLine{},
		unaligned: map[allowKey]string{},
	}
	r.sum = newSummer(r)
	r.tee = func(field int, t *term, start, end int) {
		if t.stop {
			return // the model reads stop-words; Tokenize drops them
		}
		tok := token{rec: t.rec, start: int32(start), end: int32(end)}
		if field == 0 {
			r.title = append(r.title, tok)
			r.titleQ = append(r.titleQ, r.goalQuery(t.rec))
		} else {
			r.body = append(r.body, tok)
			r.bodyQ = append(r.bodyQ, r.goalQuery(t.rec))
		}
	}
	for field := range r.scan {
		r.scan[field] = func(t *term, _ bool, start, end int) { r.tee(field, t, start, end) }
	}
	return r
}

// token is a term of the issue at hand: its word's record in the run's
// wordTable and where in the text the word stands.
type token struct{ rec, start, end int32 }

// goalQuery is the goal index's query term of the stem of the word at rec
// (see goalIndex.queryOf), looked up once per word.
func (r *run) goalQuery(rec int32) int32 {
	q := &r.wordTab.recs[rec+recGoal]
	if *q == 0 {
		*q = r.a.text.queryOf(r.wordTab.stem(rec)) + 2
	}
	return *q - 2
}

// quarterOf is the quarter an issue's work counts in: done work in the
// quarter it was done, work in progress in the current quarter, and work not
// started in the quarter it was filed — so a backlog of old tickets nobody
// has picked up does not swamp the current quarter, and shows where it was
// planned.
func (r *run) quarterOf(is *ladder.Issue) ladder.Quarter {
	var t time.Time
	switch is.StatusCategory {
	case ladder.StatusDone:
		t = is.Updated
		if is.Resolved != nil && !is.Resolved.IsZero() {
			t = *is.Resolved
		}
	case ladder.StatusInProgress:
		return r.a.now
	default:
		t = is.Created
	}
	if t.IsZero() || t.After(r.a.cfg.Now) {
		return r.a.now
	}
	return ladder.QuarterOf(t, r.a.fyStart)
}

// index is the first pass over one issue. The first copy of an issue wins.
func (r *run) index(is *ladder.Issue) {
	x := r.ix
	id := x.get(is.Ref)
	if x.entries[id].known() {
		return
	}
	team, _, _ := r.a.teams.of(is, r.buf)
	q := r.quarterOf(is)
	if is.Parent != "" {
		if p := x.get(ladder.Ref{Tracker: is.Tracker, Key: is.Parent}); p != id {
			x.entries[id].parent = p
		}
	}
	e := &x.entries[id]
	e.team = int16(team)
	e.state = stateOf(is.StatusCategory)
	if t := e.tracker; t < 64 {
		x.prefixMask[e.prefix] |= 1 << t
		if h := hostOf(is.URL); h != "" {
			x.hostMask[x.host(h)] |= 1 << t
		}
	}
	r.title, r.titleQ, r.body, r.bodyQ = r.title[:0], r.titleQ[:0], r.body[:0], r.bodyQ[:0]
	r.wordTab.trim()
	recent := e.open() || r.inWindow(q)
	needsText := r.needsText(is, e.team, q, recent)
	switch {
	case r.explicitDebt(is) == "":
		var tee teeFunc
		if needsText {
			tee = r.tee
		}
		for int(id) >= len(r.debt) {
			r.debt = append(r.debt, math.NaN())
		}
		r.debt[id] = r.a.model.probabilityTee(is.Title, is.Body, r.wordTab, tee)
	case needsText:
		// Tokenize's terms, keeping where each word stood.
		scanPieces(is.Title, false, r.a.model, r.wordTab, r.scan[0])
		scanPieces(is.Body, false, r.a.model, r.wordTab, r.scan[1])
	}
	r.ownMatches(is, e, q, r.titleQ, r.bodyQ)
	if r.linked {
		return // judged late: overlaps and edges are settled
	}
	if e.team >= 0 && recent {
		r.keepTerms(e, is)
	}
	r.collectLinks(id, is)
}

// link derives the cross-issue facts once every issue is indexed.
func (r *run) link() {
	r.linkEpics()
	r.linkDependencies()
	r.graph()
	r.findOverlaps()
	// Overlap terms are only needed to find overlaps (their words, to spell
	// the evidence of those found), and the second pass reads words only of
	// issues the first did not see.
	r.terms, r.vocab, r.df, r.seen = nil, nil, nil, nil
	if len(r.overlaps) == 0 {
		r.words = nil
	}
	r.wordTab = newWordTable(r.a.model)
	r.judged = make([]uint64, len(r.ix.entries)/64+1)
	r.linked = true
}

// verdict is the second pass over one issue.
func (r *run) verdict(is *ladder.Issue) *ladder.Verdict {
	id, ok := r.ix.lookup(is.Ref)
	if !ok || !r.ix.entries[id].known() {
		// Not seen by the first pass (the store changed in between): judge
		// it on its own, without the cross-issue facts it would have added.
		r.index(is)
		id, _ = r.ix.lookup(is.Ref)
	}
	if w := int(id) / 64; w >= len(r.judged) {
		r.judged = append(r.judged, make([]uint64, w-len(r.judged)+1)...)
	}
	if r.judged[id/64]&(1<<(id%64)) != 0 {
		return nil
	}
	r.judged[id/64] |= 1 << (id % 64)

	team, rule, value := r.a.teams.of(is, r.buf)
	q := r.quarterOf(is)
	v := &ladder.Verdict{
		Ref:     is.Ref,
		Title:   is.Title,
		URL:     is.URL,
		Quarter: q.String(),
		Status:  cmp.Or(is.StatusCategory, ladder.StatusTodo),
		Reasons: []string{r.a.teams.reason(is, team, rule, value)},
	}
	if team >= 0 {
		v.Team = r.a.teams.names[team]
	}
	if is.Estimate != nil {
		est := *is.Estimate
		v.Estimate = &est
	}
	r.judgeDebt(id, is, v)
	v.Goals = r.goalMatches(id)
	v.Aligned = len(v.Goals) > 0
	for _, g := range v.Goals {
		v.Reasons = append(v.Reasons, "aligned to "+g.ID+": "+g.Path)
	}
	if !v.Aligned {
		v.Reasons = append(v.Reasons, r.unalignedReason(int16(team), q))
	}
	r.dependencies(id, v)
	r.overlapsOf(id, v)
	r.admitted(is, v)
	if _, ok := r.lines[id]; ok {
		r.lines[id] = &ladder.IssueLine{Ref: is.Ref, Title: is.Title, Status: v.Status, URL: is.URL}
	}
	r.sum.add(id, v, team, q)
	return v
}

func (r *run) summary() *ladder.Summary { return r.sum.summary() }

// judgeDebt decides TechDebt and the category. Configured labels and types
// decide debt before the model. A non-debt issue is a bug by its type or a
// bug label, maintenance when it is a chore (type or label chore,
// maintenance or dependencies; a title like "Bump x", "Upgrade y",
// "chore: …", "build(deps): …"), a feature otherwise.
func (r *run) judgeDebt(id int32, is *ladder.Issue, v *ladder.Verdict) {
	explicit := r.explicitDebt(is)
	thr := strconv.FormatFloat(r.a.debtThr, 'f', 2, 64)
	model := ""
	if explicit != "" {
		v.TechDebt, v.TechDebtScore = true, 1
	} else {
		score := math.NaN()
		if int(id) < len(r.debt) {
			score = r.debt[id]
		}
		var words []string
		if math.IsNaN(score) || score >= r.a.debtThr {
			score, words = r.a.model.Score(is.Title, is.Body)
		}
		v.TechDebtScore = math.Round(score*1000) / 1000
		// Written from the score the verdict shows, so the two never
		// round apart (0.125 shown as 0.12 beside "debt model 0.13").
		s := strconv.FormatFloat(v.TechDebtScore, 'f', 2, 64)
		if score >= r.a.debtThr {
			v.TechDebt = true
			explicit = "the debt model scores " + s + " (threshold " + thr + ")"
			if len(words) > 0 {
				explicit += " on " + strings.Join(words, ", ")
			}
		} else {
			model = " (debt model " + s + " < " + thr + ")"
		}
	}
	if v.TechDebt {
		v.Category = ladder.TechDebt
		v.Reasons = append(v.Reasons, "tech debt: "+explicit)
		return
	}
	if why := bugSignal(is); why != "" {
		v.Category = ladder.Bug
		v.Reasons = append(v.Reasons, "bug: "+why+model)
		return
	}
	if why := choreSignal(is); why != "" {
		v.Category = ladder.Maintenance
		v.Reasons = append(v.Reasons, "maintenance: "+why+model)
		return
	}
	v.Category = ladder.Feature
	v.Reasons = append(v.Reasons, "feature: no debt, bug or maintenance signal"+model)
}

// explicitDebt names the configured label or type that makes the issue debt
// whatever the model says; "" for none.
func (r *run) explicitDebt(is *ladder.Issue) string {
	for _, l := range is.Labels {
		if r.a.debtLabel[string(appendLower(r.buf[:0], l))] {
			return "label " + l
		}
	}
	if is.Type != "" && r.a.debtType[string(appendLower(r.buf[:0], is.Type))] {
		return "type " + is.Type
	}
	return ""
}

func bugSignal(is *ladder.Issue) string {
	if foldIn(is.Type, "bug", "defect") {
		return "type " + is.Type
	}
	for _, l := range is.Labels {
		if tagIs(l, "bug", "defect") {
			return "label " + l
		}
	}
	return ""
}

func choreSignal(is *ladder.Issue) string {
	if foldIn(is.Type, "chore", "maintenance", "dependencies", "dependency") {
		return "type " + is.Type
	}
	for _, l := range is.Labels {
		if tagIs(l, "chore", "maintenance", "dependencies", "deps") {
			return "label " + l
		}
	}
	t := strings.ToLower(strings.TrimSpace(is.Title))
	for _, p := range []string{"bump ", "upgrade ", "update dependency", "update dependencies", "chore:", "chore(", "build(deps", "deps:", "deps("} {
		if strings.HasPrefix(t, p) {
			return "title starts with " + strconv.Quote(strings.TrimSpace(is.Title[:len(p)]))
		}
	}
	return ""
}

// tagIs matches a label such as "bug", "type:bug", "kind/bug" or "Type: Bug".
func tagIs(label string, words ...string) bool {
	if i := strings.LastIndexAny(label, ":/"); i >= 0 {
		label = strings.TrimSpace(label[i+1:])
	}
	return foldIn(label, words...)
}

// admitted marks issues whose comments admit new debt, quoting the first.
func (r *run) admitted(is *ladder.Issue, v *ladder.Verdict) {
	for _, c := range is.Comments {
		ok, phrase := AdmitsDebt(c.Body)
		if !ok {
			continue
		}
		v.DebtAdmitted = true
		who := "a comment"
		if c.Author != "" {
			who = "a comment by " + c.Author
		}
		if !c.Created.IsZero() {
			who += " on " + c.Created.Format(time.DateOnly)
		}
		v.Reasons = append(v.Reasons, "debt admitted: "+who+" says "+strconv.Quote(trimPhrase(phrase)))
		return
	}
}

func trimPhrase(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}
