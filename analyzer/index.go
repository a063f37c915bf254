package analyzer

import (
	"strconv"
	"strings"

	"github.com/ladderhq/ladder"
)

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
// "PAY-" 12, "acme/web#" 48. It is the one state every measure shares:
// each refers to an issue by its entry id, and what a measure keeps per
// issue beyond the entry lives in a pool of its own the entry points into
// (goal matches, overlap terms) or in a slice by entry id (debt scores).
// The first pass adds an entry for every issue and every issue it links
// to; resolving text references between the passes adds those they name.
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

// openWait reports whether e is a wait between two open issues of the store.
func (x *index) openWait(e edge) bool {
	return e.kind.waits() && x.entries[e.from].open() && x.entries[e.to].open()
}

// crossTeam reports whether a and b belong to two different known teams.
func (x *index) crossTeam(a, b int32) bool {
	ta, tb := x.entries[a].team, x.entries[b].team
	return ta >= 0 && tb >= 0 && ta != tb
}
