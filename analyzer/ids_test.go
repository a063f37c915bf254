package analyzer

import "testing"

func TestIDTable(t *testing.T) {
	var entries []entry
	var tab idTable
	key := func(i int) refKey {
		// Keys alike but for one part, as a tracker's keys are.
		return refKey{tracker: uint16(i % 3), prefix: uint32(i % 7), num: uint32(i / 21)}
	}
	for i := range 50_000 {
		k := key(i)
		if _, ok := tab.find(entries, k); ok {
			t.Fatalf("key %d found before it was added", i)
		}
		entries = append(entries, entry{tracker: k.tracker, prefix: k.prefix, num: k.num})
		tab.add(entries, int32(i))
	}
	if n := len(tab.slots); n < 2*len(entries) || n&(n-1) != 0 {
		t.Errorf("%d slots for %d entries: want a power of two at least twice as many", n, len(entries))
	}
	for i := range entries {
		if id, ok := tab.find(entries, key(i)); !ok || id != int32(i) {
			t.Fatalf("key %d: found %d, %v", i, id, ok)
		}
	}
	for _, k := range []refKey{{0, 0, 1 << 30}, {3, 0, 0}, {0, 7, 0}} {
		if id, ok := tab.find(entries, k); ok {
			t.Errorf("absent key %v found as %d", k, id)
		}
	}
}
