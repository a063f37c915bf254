package analyzer

import "encoding/binary"

// wordTable is one Run's own cache of the words it reads: for each distinct
// lower-cased word, its term as the shared stem cache has it (with the
// run's debt model's features) and what the run has looked up about its
// stem since (see recGoal, recVocab). A run reads tens of words of every
// issue and nearly all of them many times over, so this lookup is the inner
// loop of the analysis, and what it costs is memory traffic: each word is
// one record of int32s, header, key and character n-grams together (about
// 90 bytes), in the order first read, so the words read most sit together;
// the table is a flat open-addressing index of hashes and record offsets.
// Nothing is a string or a pointer but the stems, kept aside.
//
// A table belongs to one goroutine: no locks. It holds at most wordTableMax
// words in wordTableMaxRecs int32s of records (about 10 MB with its slots
// and stems); past that it starts again empty (between issues, see trim),
// so memory stays bounded on streams of one-off identifiers.
type wordTable struct {
	model *DebtModel
	// slots hold h<<32 | offset+1 of each word's record (0: empty), h being
	// the word's wordHash, so a probe reads a record only when the hashes
	// agree. A power of two, at most half full.
	slots []uint64
	recs  []int32
	stems []string // by recStem
	n     int
	cur   term // what get hands out, refilled by every call

	// The words of the text being read, looked up together by flush.
	pending []pendingWord
	keys    []byte
	sink    uint64 // what flush's touching loads add up to, kept so they are not optimised away
}

type pendingWord struct {
	h          uint32
	key        int32 // keys[key:key+n]
	n          uint8
	ascii      bool
	start, end int32
}

// A record is these int32s, then the key's bytes packed four to an int32
// (little-endian, zero-padded), then the character n-gram features.
const (
	recHead  = iota // key length | n-gram count<<8 | recStop
	recWord         // wordFeatures.word
	recUni          // wordFeatures.uni
	recGoal         // the run's goal query term of the stem +2; 0: not looked up yet
	recVocab        // the run's overlap vocabulary id of the stem +1 (0: not looked up yet) | recSpelled
	recStem         // index in stems
	recKey

	recStop    = 1 << 30
	recSpelled = 1 << 30 // the stem's overlap spelling is this word or before it (see keepTerms)
)

const (
	wordTableMin     = 1 << 10
	wordTableMax     = 1 << 16
	wordTableMaxRecs = 1 << 21
)

func newWordTable(m *DebtModel) *wordTable {
	return &wordTable{model: m, slots: make([]uint64, wordTableMin)}
}

// wordHash is 32-bit FNV-1a, the hash the shared stem cache shards by.
func wordHash(word []byte) uint32 {
	h := uint32(2166136261)
	for _, b := range word {
		h = (h ^ uint32(b)) * 16777619
	}
	return h
}

// get returns the term of a lower-cased word whose wordHash is h, with the
// table's model's features; t.rec is its record. The term is the table's
// and valid until the next call.
func (w *wordTable) get(word []byte, h uint32) *term {
	mask := uint32(len(w.slots) - 1)
	i := h & mask
	for {
		s := w.slots[i]
		if s == 0 {
			break
		}
		if uint32(s>>32) == h && w.is(int32(uint32(s)-1), word) {
			return w.term(int32(uint32(s) - 1))
		}
		i = (i + 1) & mask
	}
	rec := w.add(word, stems.get(word, h, w.model))
	w.slots[i] = uint64(h)<<32 | uint64(rec+1)
	if w.n++; 2*w.n > len(w.slots) {
		w.grow()
	}
	return w.term(rec)
}

// is reports whether the record at rec is word's.
func (w *wordTable) is(rec int32, word []byte) bool {
	r := w.recs[rec:]
	if int(r[recHead]&0xff) != len(word) {
		return false
	}
	key := r[recKey:]
	i := 0
	for ; i+4 <= len(word); i += 4 {
		if uint32(key[i/4]) != binary.LittleEndian.Uint32(word[i:]) {
			return false
		}
	}
	return i == len(word) || uint32(key[i/4]) == packTail(word[i:])
}

// packTail packs the last one to three bytes of a key as its record does.
func packTail(b []byte) uint32 {
	var x uint32
	for j := len(b) - 1; j >= 0; j-- {
		x = x<<8 | uint32(b[j])
	}
	return x
}

func (w *wordTable) add(word []byte, t *term) int32 {
	rec := int32(len(w.recs))
	head := int32(len(word)) | int32(len(t.feat.chars))<<8
	if t.stop {
		head |= recStop
	}
	w.recs = append(w.recs, head, t.feat.word, t.feat.uni, 0, 0, int32(len(w.stems)))
	w.stems = append(w.stems, t.stem)
	i := 0
	for ; i+4 <= len(word); i += 4 {
		w.recs = append(w.recs, int32(binary.LittleEndian.Uint32(word[i:])))
	}
	if i < len(word) {
		w.recs = append(w.recs, int32(packTail(word[i:])))
	}
	w.recs = append(w.recs, t.feat.chars...)
	return rec
}

// term fills w.cur from the record at rec.
func (w *wordTable) term(rec int32) *term {
	r := w.recs[rec:]
	head := r[recHead]
	chars := r[recKey+(head&0xff+3)/4:]
	t := &w.cur
	t.stem, t.stop = "", head&recStop != 0
	if t.stop {
		t.stem = w.stems[r[recStem]] // a stop-word's stem is the word, or "" for none
	}
	t.model = w.model
	t.feat.word, t.feat.uni = r[recWord], r[recUni]
	n := head >> 8 & (recStop>>8 - 1)
	t.feat.chars = chars[:n:n]
	t.rec = rec
	return t
}

// queue adds a word of the text being read for flush to look up.
func (w *wordTable) queue(word []byte, h uint32, ascii bool, start, end int) {
	w.pending = append(w.pending, pendingWord{h: h, key: int32(len(w.keys)), n: uint8(len(word)), ascii: ascii, start: int32(start), end: int32(end)})
	w.keys = append(w.keys, word...)
}

// flush looks up the queued words and hands their terms to emit, in order,
// as scanPieces would have one by one (stop-words only with keepStop).
// Nearly every lookup misses the processor's caches twice, on its slot and
// on its record; one word after another each miss waits for the one
// before, while touching every queued word's slot and then record first,
// in loops whose loads do not depend on each other, lets the memory system
// serve them together.
func (w *wordTable) flush(keepStop bool, emit pieceFunc) {
	mask := uint32(len(w.slots) - 1)
	sink := w.sink
	for _, p := range w.pending {
		sink += w.slots[p.h&mask]
	}
	for _, p := range w.pending {
		if s := w.slots[p.h&mask]; s != 0 {
			sink += uint64(w.recs[uint32(s)-1])
		}
	}
	w.sink = sink
	for _, p := range w.pending {
		t := w.get(w.keys[p.key:p.key+int32(p.n)], p.h)
		if !t.stop || keepStop && t.stem != "" {
			emit(t, p.ascii, int(p.start), int(p.end))
		}
	}
	w.pending, w.keys = w.pending[:0], w.keys[:0]
}

func (w *wordTable) grow() {
	old := w.slots
	w.slots = make([]uint64, 2*len(old))
	mask := uint32(len(w.slots) - 1)
	for _, s := range old {
		if s == 0 {
			continue
		}
		i := uint32(s>>32) & mask
		for w.slots[i] != 0 {
			i = (i + 1) & mask
		}
		w.slots[i] = s
	}
}

// stem is the stem of the word at rec.
func (w *wordTable) stem(rec int32) string { return w.stems[w.recs[rec+recStem]] }

// trim empties a full table. Call it only between issues: records handed
// out before are no longer the table's.
func (w *wordTable) trim() {
	if w.n >= wordTableMax || len(w.recs) >= wordTableMaxRecs {
		clear(w.slots)
		w.recs, w.stems, w.n = w.recs[:0], nil, 0
	}
}
