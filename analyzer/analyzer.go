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
//
// Reading the code: run.go drives one Run (the first pass, link between
// the passes, the second pass) and says which measure does what. Each
// measure keeps its own state in a type of its own file, and its comment
// says what it keeps between the passes and why: textReader (reader.go, an
// issue's words, read once), debtRules (category.go), aligner
// (alignment.go), depEdges (dependency.go, with textrefs.go for references
// in text), depGraph (graph.go), overlapFinder (overlap.go) and summer
// (summary.go). They share only the key index (index.go), one compact entry
// per issue; what one measure needs of another is passed to it. Every
// reason a verdict gives carries its ladder.ReasonKind, set where it is
// written, and reports place it by that kind.
package analyzer

import (
	"errors"
	"fmt"
	"slices"
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
