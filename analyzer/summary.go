package analyzer

import (
	"cmp"
	"math"
	"slices"

	"github.com/ladderhq/ladder"
)

// summer is the summary's state in a run: it aggregates verdicts per team
// and quarter as the second pass emits them, keeping counters and bounded
// lists, never verdicts.
type summer struct {
	a  *Analyzer
	tq map[tqKey]*tqAgg
	// unknown keeps the first issues no team owns; unknownN counts them all.
	unknown  firstN[ladder.Ref]
	unknownN int
	stamp    []int32 // goal → last verdict counted, so roll-ups count an issue once
	n        int32
}

type tqKey struct {
	team int16
	q    ladder.Quarter
}

type tqAgg struct {
	tq        ladder.TeamQuarter
	goals     []ladder.Share // by goal index
	unaligned firstN[ladder.IssueLine]
}

// firstN keeps the first lim of the items added, in cmp order, in memory
// bounded by lim whatever order they come in: past 2·lim it sorts and cuts
// to lim, and from then on drops what sorts after the last item kept.
// lim <= 0 keeps everything.
type firstN[T any] struct {
	items   []T
	worst   T // the last item kept at the latest cut
	trimmed bool
}

func (f *firstN[T]) add(x T, lim int, cmp func(a, b T) int) {
	if f.trimmed && cmp(x, f.worst) >= 0 {
		return
	}
	f.items = append(f.items, x)
	if lim > 0 && len(f.items) >= 2*lim {
		slices.SortFunc(f.items, cmp)
		f.items = f.items[:lim]
		f.worst, f.trimmed = f.items[lim-1], true
	}
}

// list returns the first lim items, sorted.
func (f *firstN[T]) list(lim int, cmp func(a, b T) int) []T {
	slices.SortFunc(f.items, cmp)
	if lim > 0 && len(f.items) > lim {
		f.items = f.items[:lim]
	}
	return f.items
}

func newSummer(a *Analyzer) summer {
	return summer{a: a, tq: map[tqKey]*tqAgg{}, stamp: make([]int32, len(a.goals.goals))}
}

func (s *summer) agg(team int16, q ladder.Quarter) *tqAgg {
	k := tqKey{team, q}
	a := s.tq[k]
	if a == nil {
		t := s.a.cfg.Teams[team]
		a = &tqAgg{
			tq:    ladder.TeamQuarter{Team: t.Name, Quarter: q.String(), DebtTarget: t.TechDebtTarget},
			goals: make([]ladder.Share, len(s.a.goals.goals)),
		}
		s.tq[k] = a
	}
	return a
}

func addTo(sh *ladder.Share, points float64, estimated bool) {
	sh.Issues++
	if estimated {
		sh.Points += points
	}
}

// add counts one verdict. An issue counts once for each goal it matches and
// once for each goal those ladder up to.
func (s *summer) add(v *ladder.Verdict, team int, q ladder.Quarter) {
	if team < 0 {
		s.unknownN++
		s.unknown.add(v.Ref, s.a.listLimit, compareRefs)
		return
	}
	a := s.agg(int16(team), q)
	est := v.Estimate != nil
	var pts float64
	if est {
		pts = *v.Estimate
	}
	a.tq.Issues++
	if est {
		a.tq.Estimated++
		a.tq.Points += pts
	}
	s.n++
	t := s.a.goals
	for _, m := range v.Goals {
		for g := t.byID[m.ID]; g >= 0 && s.stamp[g] != s.n; g = t.parent[g] {
			s.stamp[g] = s.n
			addTo(&a.goals[g], pts, est)
		}
	}
	if !v.Aligned {
		addTo(&a.tq.Unaligned, pts, est)
		l := ladder.IssueLine{Ref: v.Ref, Title: v.Title, Status: v.Status, URL: v.URL}
		a.unaligned.add(l, s.a.listLimit, compareLines)
	}
	if v.TechDebt {
		addTo(&a.tq.Debt, pts, est)
		if v.Status == ladder.StatusDone {
			a.tq.DebtPaid++
		}
	}
	if v.DebtAdmitted {
		a.tq.DebtAdmitted++
	}
}

// compareLines puts open issues first, then orders by ref.
func compareLines(a, b ladder.IssueLine) int {
	return cmp.Or(cmp.Compare(boolInt(a.Status == ladder.StatusDone), boolInt(b.Status == ladder.StatusDone)), compareRefs(a.Ref, b.Ref))
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

func share(sh *ladder.Share, tq *ladder.TeamQuarter) {
	if tq.Issues > 0 {
		sh.ShareCount = round4(float64(sh.Issues) / float64(tq.Issues))
	}
	if tq.Points > 0 {
		sh.ShareEstimate = round4(sh.Points / tq.Points)
	}
}

// debtStatus compares the debt share by count with the team's band. Counts
// are there for every issue; story points are missing for most GitHub work
// and mean different things to different teams. The share by estimate is in
// the report next to it.
func debtStatus(tq *ladder.TeamQuarter) string {
	if tq.DebtTarget.IsZero() {
		return "no target"
	}
	switch sh := tq.Debt.ShareCount; {
	case sh < tq.DebtTarget.Min:
		return "below"
	case sh > tq.DebtTarget.Max:
		return "above"
	}
	return "within"
}

// summary finishes the aggregates: every team appears at least in the
// current quarter; teams in config order, quarters oldest first. deps, the
// strongest overlaps and how many there are in all come from their measures.
func (s *summer) summary(deps ladder.DepSummary, overlaps []ladder.Overlap, overlapsTotal int) *ladder.Summary {
	an := s.a
	for t := range an.cfg.Teams {
		s.agg(int16(t), an.now)
	}
	keys := make([]tqKey, 0, len(s.tq))
	for k := range s.tq {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b tqKey) int {
		return cmp.Or(cmp.Compare(a.team, b.team), cmp.Compare(a.q.FY, b.q.FY), cmp.Compare(a.q.Q, b.q.Q))
	})
	out := &ladder.Summary{
		GeneratedAt:  an.cfg.Now,
		Teams:        make([]ladder.TeamQuarter, 0, len(keys)),
		Dependencies: deps,
		Goals:        an.cfg.Goals,
	}
	for _, k := range keys {
		a := s.tq[k]
		tq := a.tq
		tq.Goals = []ladder.GoalShare{}
		for g, sh := range a.goals {
			if sh.Issues == 0 {
				continue
			}
			share(&sh, &tq)
			tq.Goals = append(tq.Goals, ladder.GoalShare{Goal: an.goals.goals[g].ID, Title: an.goals.goals[g].Title, Share: sh})
		}
		share(&tq.Unaligned, &tq)
		share(&tq.Debt, &tq)
		tq.DebtStatus = debtStatus(&tq)
		tq.UnalignedIssues = a.unaligned.list(an.listLimit, compareLines)
		out.Teams = append(out.Teams, tq)
	}
	out.UnknownTeam, out.UnknownTeamTotal = s.unknown.list(an.listLimit, compareRefs), s.unknownN
	out.Overlaps, out.OverlapsTotal = overlaps, overlapsTotal
	return out
}
