package main

import (
	"slices"
	"strings"
)

// writeBudget is how many creates and updates one publish may plan:
// writeback.max_writes (what the process's pacer still allows of it), and
// within it what each tracker's hour limit still allows.
type writeBudget struct {
	left     int
	why      string // why nothing more once left is spent
	trackers map[string]*allowance
}

type allowance struct {
	left int
	why  string
}

func newWriteBudget(left int, why string) *writeBudget {
	return &writeBudget{left: left, why: why, trackers: map[string]*allowance{}}
}

// limit caps the tracker's writes too.
func (b *writeBudget) limit(tracker string, left int, why string) {
	b.trackers[tracker] = &allowance{left: left, why: why}
}

// deferral says why a write on the tracker cannot be planned, "" when it can.
func (b *writeBudget) deferral(tracker string) string {
	if b.left <= 0 {
		return b.why
	}
	if a := b.trackers[tracker]; a != nil && a.left <= 0 {
		return a.why
	}
	return ""
}

func (b *writeBudget) spend(tracker string) {
	b.left--
	if a := b.trackers[tracker]; a != nil {
		a.left--
	}
}

// spendBudget decides which planned items are looked up and may be
// written. The summary comes first: it is what people read, so it has the
// first claim. Then the issues, in key order, so that runs cut short by the
// budget carry on where the last one stopped. An item the budget can no
// longer act on is deferred unread, its body dropped (a dry run defers as a
// real run would); look plans the others, and only the creates and updates
// it plans spend the budget. Items already decided (unchanged by the
// store, opted out) are left as they are. items is sorted in place.
func spendBudget(b *writeBudget, summary *planItem, items []planItem, look func(it *planItem, summary bool) error) error {
	claim := func(it *planItem, summary bool) error {
		if why := b.deferral(it.Ref.Tracker); why != "" {
			it.Action, it.Body, it.Why = actDeferred, "", why
			return nil
		}
		if err := look(it, summary); err != nil {
			return err
		}
		if it.Action == actCreate || it.Action == actUpdate {
			b.spend(it.Ref.Tracker)
		}
		return nil
	}
	if summary != nil {
		if err := claim(summary, true); err != nil {
			return err
		}
	}
	slices.SortFunc(items, func(a, b planItem) int { return strings.Compare(a.Ref.String(), b.Ref.String()) })
	for i := range items {
		if items[i].Action != "" {
			continue
		}
		if err := claim(&items[i], false); err != nil {
			return err
		}
	}
	return nil
}
