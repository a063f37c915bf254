package ladder

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
)

// TestReasonsJSON checks that reasons are written exactly as their texts as
// a []string would be, whether the encoder escapes HTML or not, and read
// back as the same texts.
func TestReasonsJSON(t *testing.T) {
	tests := []struct {
		name  string
		texts []string
	}{
		{"plain", []string{"team payments: owns project PAY", "tech debt: label refactor"}},
		{"quotes and backslashes", []string{`debt admitted: a comment says "hack \ later"`}},
		{"html", []string{"mentions <b>X-1</b> & more", "a > b"}},
		{"unicode", []string{"aligned to g: label goal:x → g → company", "line\u2028separator", "tab\there"}},
		{"invalid utf-8", []string{"bad \xff byte"}},
		{"control", []string{"nul \x00 and \x1f"}},
		{"empty text", []string{""}},
		{"every ASCII byte", []string{asciiBytes()}},
		{"named escapes and DEL", []string{"\b\f\n\r\t\x7f"}},
		{"separators", []string{"\u2028\u2029", "a\u2029b"}},
		{"broken runes", []string{"\xe2\x80", "\xed\xa0\x80 surrogate", "\xf0\x9f\x98\x80 emoji \xf0\x9f"}},
		{"no reasons", []string{}},
		{"nil", nil},
	}
	encode := func(t *testing.T, v any, escapeHTML bool) []byte {
		t.Helper()
		var b bytes.Buffer
		e := json.NewEncoder(&b)
		e.SetEscapeHTML(escapeHTML)
		if err := e.Encode(v); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rs Reasons
			if tt.texts != nil {
				rs = Reasons{}
			}
			for _, s := range tt.texts {
				rs = append(rs, Reason{Kind: ReasonDependency, Text: s})
			}
			for _, esc := range []bool{true, false} {
				want := encode(t, struct {
					Reasons []string `json:"reasons"`
				}{tt.texts}, esc)
				got := encode(t, Verdict{Reasons: rs}, esc)
				if i := bytes.Index(got, []byte(`"reasons":`)); i < 0 || !bytes.HasSuffix(want, got[i:]) {
					t.Errorf("escapeHTML %v: reasons written as\n%s\nwant\n%s", esc, got, want)
				}
			}
			indented, err := json.MarshalIndent(map[string][]string{"reasons": tt.texts}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			if got, err := json.MarshalIndent(map[string]Reasons{"reasons": rs}, "", "  "); err != nil || !bytes.Equal(got, indented) {
				t.Errorf("indented: reasons written as\n%s\nwant\n%s (%v)", got, indented, err)
			}
			b, err := json.Marshal(rs)
			if err != nil {
				t.Fatal(err)
			}
			var back Reasons
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			var want []string // what a []string reads back: invalid UTF-8 is replaced
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(back.Texts(), want) || (back == nil) != (rs == nil) {
				t.Errorf("read back %q, want %q", back.Texts(), want)
			}
		})
	}
}

func asciiBytes() string {
	b := make([]byte, 128)
	for i := range b {
		b[i] = byte(i)
	}
	return string(b)
}

// TestReasonsJSONAnyText compares the reasons' JSON with encoding/json's
// over pseudo-random byte strings, weighted to the bytes that need care.
func TestReasonsJSONAnyText(t *testing.T) {
	pieces := []string{"a", "Z", " ", "\"", "\\", "<", ">", "&", "\n", "\x00", "\x1f", "\x7f", "→", "—", "\u2028", "\u2029", "\xff", "\xe2\x80", "😀", "\xf0"}
	x := uint64(1)
	for range 2000 {
		var b []byte
		for range 12 {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			b = append(b, pieces[x%uint64(len(pieces))]...)
		}
		texts := []string{string(b)}
		want, err := json.Marshal(texts)
		if err != nil {
			t.Fatal(err)
		}
		got, err := json.Marshal(Reasons{{Text: texts[0]}})
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%q: written as %s, want %s (%v)", texts[0], got, want, err)
		}
	}
}

// BenchmarkReasonsJSON writes a typical verdict's reasons, as Reasons and,
// for comparison, as the []string they used to be.
func BenchmarkReasonsJSON(b *testing.B) {
	texts := []string{
		"team payments: owns project PAY",
		"feature: no debt, bug or maintenance signal (debt model 0.05 < 0.29)",
		"aligned to pay-wallets: epic PAY-1 → pay-wallets → self-serve",
		"blocked by PLAT-88 (platform, open); PLAT-88 (platform) is not on any platform goal — at risk of never being scheduled",
	}
	rs := Reasons{}
	for _, t := range texts {
		rs = append(rs, Reason{Kind: ReasonDependency, Text: t})
	}
	for _, bc := range []struct {
		name string
		v    any
	}{{"strings", texts}, {"reasons", rs}, {"reasons-ascii", rs[:2]}, {"strings-ascii", texts[:2]}} {
		b.Run(bc.name, func(b *testing.B) {
			var buf bytes.Buffer
			e := json.NewEncoder(&buf)
			for b.Loop() {
				buf.Reset()
				if err := e.Encode(bc.v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
