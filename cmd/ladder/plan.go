package main

import (
	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/store"
)

// selectors implements writeback.comment_on, one predicate per name. The
// names are config.CommentOnValues: config validates them, this table gives
// them their meaning, and a test keeps the two the same set.
var selectors = map[string]func(*ladder.Verdict) bool{
	"all":           func(*ladder.Verdict) bool { return true },
	"cross_team":    func(v *ladder.Verdict) bool { return v.CrossTeam },
	"unaligned":     func(v *ladder.Verdict) bool { return !v.Aligned },
	"aligned":       func(v *ladder.Verdict) bool { return v.Aligned },
	"tech_debt":     func(v *ladder.Verdict) bool { return v.TechDebt },
	"debt_admitted": func(v *ladder.Verdict) bool { return v.DebtAdmitted },
	"overlap":       func(v *ladder.Verdict) bool { return len(v.Overlaps) > 0 },
}

// selects reports whether writeback.comment_on selects the verdict: any of
// its selectors does.
func selects(on []string, v *ladder.Verdict) bool {
	for _, s := range on {
		if sel := selectors[s]; sel != nil && sel(v) {
			return true
		}
	}
	return false
}

// planRules decide, from the verdict alone, whether an issue gets a
// comment: the trackers being published, writeback.comment_on, done issues
// (only with --include-done) and the opt-out label.
type planRules struct {
	Trackers    map[string]bool
	CommentOn   []string
	IncludeDone bool
	OptedOut    map[ladder.Ref]bool
}

// decide returns the plan item, ok false when publish leaves the
// issue alone. The item's Action is actOptedOut for an issue that carries
// the opt-out label (it is counted, never written), else empty: what to
// write is decided later, against the tracker.
func (r planRules) decide(v *ladder.Verdict) (planItem, bool) {
	if !r.Trackers[v.Tracker] || !selects(r.CommentOn, v) {
		return planItem{}, false
	}
	if !r.IncludeDone && v.Status == ladder.StatusDone {
		return planItem{}, false
	}
	item := planItem{Ref: v.Ref}
	if r.OptedOut[v.Ref] {
		item.Action = actOptedOut
	}
	return item, true
}

// knownUnchanged applies what the store says Ladder last wrote on the
// issue: when it is this body, the item is unchanged and costs no request.
// verify (--verify) trusts the tracker only.
func knownUnchanged(item *planItem, pub store.Publication, ok, verify bool) {
	if ok && !verify && pub.Hash == bodyHash(item.Body) {
		item.Action, item.Body, item.CommentID = actUnchanged, "", pub.CommentID
	}
}
