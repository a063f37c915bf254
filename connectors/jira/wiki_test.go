package jira

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestWikiToText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "plain", in: "Just text.", want: "Just text."},
		{name: "heading", in: "h1. Checkout\nbody", want: "Checkout\nbody"},
		{name: "bold italic strike", in: "*Fast* _one-page_ checkout, -not- +really+ ^up^ ~down~", want: "Fast one-page checkout, not really up down"},
		{name: "emphasis needs boundaries", in: "snake_case_name and re-run and 2*3*4 and a * b", want: "snake_case_name and re-run and 2*3*4 and a * b"},
		{name: "bullets", in: "* one\n** two\n# three\n- four", want: "one\ntwo\nthree\nfour"},
		{name: "link with text", in: "see [the docs|https://docs.example.com/a|tip] now", want: "see the docs now"},
		{name: "bare link", in: "see [https://example.com]", want: "see https://example.com"},
		{name: "attachment and anchor", in: "[^trace.log] and [#Section]", want: "trace.log and Section"},
		{name: "mention by account id dropped", in: "[~accountid:5b10a2844c20165700ede21g] please look", want: "please look"},
		{name: "mention by name kept", in: "ping [~jsmith]", want: "ping jsmith"},
		{name: "code kept verbatim", in: "before\n{code:java}\nint *p = _x_;\n{code}\nafter", want: "before\nint *p = _x_;\nafter"},
		{name: "noformat kept verbatim", in: "{noformat}*raw* [x|y]{noformat}", want: "*raw* [x|y]"},
		{name: "quote and color", in: "{quote}we should {color:red}clean this up{color} later{quote}", want: "we should clean this up later"},
		{name: "panel with params", in: "{panel:title=Note|borderStyle=dashed}Careful{panel}", want: "Careful"},
		{name: "monospace", in: "run {{make test}} first", want: "run make test first"},
		{name: "table", in: "||Team||Goal||\n|payments|[checkout|http://x]|", want: "Team Goal\npayments checkout"},
		{name: "image dropped, exclamation kept", in: "Wow! !screenshot.png|thumbnail! done!", want: "Wow! done!"},
		{name: "quote prefix and rule", in: "bq. quoted\n----\nend", want: "quoted\n\nend"},
		{name: "line break and escapes", in: "a\\\\b \\*not bold\\*", want: "a\nb *not bold*"},
		{name: "citation", in: "as ??someone?? said", want: "as someone said"},
		{name: "unterminated code keeps the rest", in: "x {code}y *z*", want: "x\ny *z*"},
		{name: "unterminated link stays text", in: "a [b|c and more", want: "a [b|c and more"},
		{name: "unterminated bold stays", in: "*open bold", want: "*open bold"},
		{name: "json braces stay", in: `payload {"a": 1}`, want: `payload {"a": 1}`},
		{name: "unclosed macro params", in: "{color:red text", want: "{color:red text"},
		{name: "crlf", in: "h2. A\r\nb", want: "A\nb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := WikiToText(tt.in); got != tt.want {
				t.Errorf("WikiToText(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzWikiToText(f *testing.F) {
	for _, s := range []string{
		"h1. x", "*a* _b_ -c-", "[a|b]", "[~accountid:1]", "{code}x", "{code:java}x{code}", "{{m}}",
		"||a||b||\n|c|d|", "!i.png!", "{color:red}x{color}", "\\\\", "??a??", "{", "[", "!", "*", "{x:", "{{", "\xff\xfe",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := WikiToText(in)
		if !utf8.ValidString(out) {
			t.Errorf("invalid UTF-8 out of %q", in)
		}
		if len(out) > 3*len(in)+8 {
			t.Errorf("output of %d bytes from %d bytes of input", len(out), len(in))
		}
		if utf8.ValidString(in) && !strings.ContainsAny(in, "[]{}|!~^?*_+-#\\") && strings.TrimSpace(in) != "" && !strings.Contains(in, "bq.") && !strings.Contains(in, "\r") {
			// Text without markup characters passes through apart from spacing.
			if strings.Join(strings.Fields(out), " ") != strings.Join(strings.Fields(headingless(in)), " ") {
				t.Errorf("markup-free %q became %q", in, out)
			}
		}
	})
}

// headingless drops h1.–h6. prefixes, the one markup a markup-free string
// can still carry.
func headingless(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		t := strings.TrimLeft(l, " \t")
		if len(t) >= 3 && t[0] == 'h' && t[1] >= '1' && t[1] <= '6' && t[2] == '.' {
			lines[i] = t[3:]
		}
	}
	return strings.Join(lines, "\n")
}

// BenchmarkWikiToText covers ordinary markup and unclosed marks that must not
// make the conversion quadratic.
func BenchmarkWikiToText(b *testing.B) {
	inputs := map[string]string{
		"ordinary":      strings.Repeat("h2. Why\n*Faster* checkout for [the docs|https://x.example/a]. {code}x := 1{code}\n* item\n", 200),
		"unclosed tags": strings.Repeat("{x:", 20000) + strings.Repeat("[", 20000) + strings.Repeat("??a", 20000),
	}
	for name, in := range inputs {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				WikiToText(in)
			}
		})
	}
}
