package analyzer

// idTable finds an index entry by its key: open addressing with linear
// probing over entry ids (id+1; 0 is an empty slot), at most half full, the
// key compared in the entry itself. A slot is 4 bytes, so the table costs
// 8–16 bytes an issue where a Go map from refKey to id costs 20–40.
type idTable struct {
	slots []uint32
	n     int
}

// keyHash mixes a key's parts (the finaliser of MurmurHash3's 64-bit hash).
func keyHash(k refKey) uint64 {
	h := uint64(k.prefix)<<32 | uint64(k.num)
	h ^= uint64(k.tracker) * 0x9e3779b97f4a7c15
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

func (t *idTable) find(entries []entry, k refKey) (int32, bool) {
	if len(t.slots) == 0 {
		return -1, false
	}
	mask := uint64(len(t.slots) - 1)
	for i := keyHash(k) & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return -1, false
		}
		if e := &entries[s-1]; e.num == k.num && e.prefix == k.prefix && e.tracker == k.tracker {
			return int32(s - 1), true
		}
	}
}

// add files entries[id], which must not be in the table yet. Entries are
// added in id order, so growing re-files entries[:n].
func (t *idTable) add(entries []entry, id int32) {
	if 2*(t.n+1) > len(t.slots) {
		t.slots = make([]uint32, max(1024, 2*len(t.slots)))
		for i := range t.n {
			t.put(entries, int32(i))
		}
	}
	t.put(entries, id)
	t.n++
}

func (t *idTable) put(entries []entry, id int32) {
	e := &entries[id]
	mask := uint64(len(t.slots) - 1)
	i := keyHash(refKey{e.tracker, e.prefix, e.num}) & mask
	for t.slots[i] != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = uint32(id) + 1
}
