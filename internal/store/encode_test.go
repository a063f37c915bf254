package store

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestDecodeList checks the fast path against encoding/json on what
// encodeList writes, and that it declines anything it cannot read exactly.
func TestDecodeList(t *testing.T) {
	lists := [][]string{
		{"tech-debt"},
		{"goal:checkout", "team:payments", "ladder:ignore"},
		{""},
		{"", "a", ""},
		{"comma, inside", "bracket ] inside", "[", "]"},
		{"quote \" inside"},
		{`back\slash`},
		{"tab\there", "new\nline"},
		{"ünïcödé", "emoji 🚀", "<html> & stuff"},
		{"\u2028 separator"},
	}
	for _, want := range lists {
		enc, err := encodeList(want)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeList(enc)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("decodeList(%s) = %q, %v; want %q", enc, got, err, want)
		}
	}
	for _, s := range []string{`["a"`, `["a",]`, `["a" ,"b"]`, `[1]`, `["a"]x`, `[]`} {
		if _, ok := splitPlainList(s); ok {
			var xs []string
			if err := json.Unmarshal([]byte(s), &xs); err != nil {
				t.Errorf("splitPlainList(%s) accepts what encoding/json refuses", s)
			}
		}
	}
}
