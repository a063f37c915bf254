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
