package report

import (
	"regexp"
	"strings"
	"testing"
)

// hostile is an issue title that tries every way text can act on GitHub or
// Jira: mention everyone, reference and backlink issues, inject HTML, mention
// a Jira account and open wiki markup.
const hostile = "@everyone see #1 <script>x</script> [~accountid:abc] acme/platform#12 https://github.com/a/b/issues/3 GH-7 www.example.com [~bob] [click|https://evil.example] {code}x{code} !https://evil.example/i.png! *bold* `tick` a\\b | cell"

// activeGitHub are the forms that act when GitHub renders Markdown.
var activeGitHub = []struct {
	name string
	re   *regexp.Regexp
}{
	{"mention", regexp.MustCompile(`@[A-Za-z0-9]`)},
	{"issue reference", regexp.MustCompile(`#[0-9]`)},
	{"GH- reference", regexp.MustCompile(`(?i)\bGH-[0-9]`)},
	{"autolinked URL", regexp.MustCompile(`(?i)https?://`)},
	{"www autolink", regexp.MustCompile(`(?i)\bwww\.`)},
	{"HTML tag", regexp.MustCompile(`<[A-Za-z/!]`)},
}

// activeWiki are the forms that act when Jira renders wiki markup. Raw HTML
// is not among them (wiki markup shows "<b>" as typed), but an entity is:
// Data Center decodes it and Jira Cloud shows it literally, so neither
// reads the text as written.
var activeWiki = []struct {
	name string
	re   *regexp.Regexp
}{
	{"autolinked URL", regexp.MustCompile(`(?i)https?://`)},
	{"mention", regexp.MustCompile(`@[A-Za-z0-9]`)},
	{"entity", regexp.MustCompile(`&[#A-Za-z0-9]+;`)},
}

// unescaped returns the characters of special that s leaves active: not
// preceded by a backslash escape. With mono, "{{" and "}}" (the Jira
// comment's own monospace) are allowed.
func unescaped(s, special string, mono bool) string {
	var out []byte
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\':
			i++ // the escaped character is literal
		case mono && (strings.HasPrefix(s[i:], "{{") || strings.HasPrefix(s[i:], "}}")):
			i++
		case strings.IndexByte(special, s[i]) >= 0:
			out = append(out, s[i])
		}
	}
	return string(out)
}

// Markdown and wiki characters that open structure when not escaped.
const (
	gfmSpecial  = "[]`|*_~\\"
	wikiSpecial = "[]{}|!*"
)

func TestInert(t *testing.T) {
	tests := []struct {
		name string
		in   string
		// want is the exact output where it is worth pinning.
		want string
		// visible must survive when invisible joiners are removed and
		// escapes are read back: the words stay readable.
		visible string
	}{
		{name: "plain text unchanged", in: "Refactor the card vault client", want: "Refactor the card vault client"},
		{name: "mention", in: "ping @alice and @acme/payments", visible: "ping @alice and @acme/payments"},
		{name: "issue number", in: "see #12 and #x", visible: "see #12 and #x"},
		{name: "cross-repo reference", in: "acme/platform#12", visible: "acme/platform#12"},
		{name: "GH reference", in: "fixes GH-33", visible: "fixes GH-33"},
		{name: "issue URL", in: "https://github.com/a/b/issues/3", visible: "https://github.com/a/b/issues/3"},
		{name: "HTML", in: "<script>alert(1)</script> & co", want: "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"},
		{name: "emphasis and links", in: "*a* _b_ [c](d) ~e~", want: `\*a\* \_b\_ \[c\](d) \~e\~`},
		{name: "code span and backslash", in: "`x` a\\b", want: "\\`x\\` a\\\\b"},
		{name: "table pipe", in: "a | b", want: `a \| b`},
		{name: "newlines collapse", in: "line one\n\n# heading\r\n> quote", want: "line one # heading &gt; quote"},
		{name: "leading heading", in: "# not a heading", want: `\# not a heading`},
		{name: "leading list item", in: "- not a list", want: `\- not a list`},
		{name: "hyphen in word kept", in: "cross-team work", want: "cross-team work"},
		{name: "hostile title", in: hostile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Inert(tt.in)
			if tt.want != "" && got != tt.want {
				t.Errorf("Inert(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if tt.visible != "" && strings.ReplaceAll(got, zwj, "") != tt.visible {
				t.Errorf("Inert(%q) reads %q once joiners are removed, want %q", tt.in, strings.ReplaceAll(got, zwj, ""), tt.visible)
			}
			if strings.Contains(got, "\n") {
				t.Errorf("Inert(%q) = %q spans lines", tt.in, got)
			}
			for _, a := range activeGitHub {
				if a.re.MatchString(got) {
					t.Errorf("Inert(%q) = %q keeps an active %s", tt.in, got, a.name)
				}
			}
			if u := unescaped(got, gfmSpecial, false); u != "" {
				t.Errorf("Inert(%q) = %q leaves %q unescaped", tt.in, got, u)
			}
		})
	}
}

func TestInertWiki(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "plain text unchanged", in: "Refactor the card vault client", want: "Refactor the card vault client"},
		{name: "account mention", in: "[~accountid:5b10a2844c20165700ede21g]", want: `\[\~accountid:5b10a2844c20165700ede21g\]`},
		{name: "user mention", in: "[~bob]", want: `\[\~bob\]`},
		{name: "link", in: "[click|https://evil.example]", want: `\[click\|https:` + zwj + `//evil.example\]`},
		{name: "macro", in: "{code}x{code} {color:red}", want: `\{code\}x\{code\} \{color:red\}`},
		{name: "image", in: "!https://evil.example/i.png!", want: `\!https:` + zwj + `//evil.example/i.png\!`},
		{name: "effects at word edges", in: "*bold* _em_ -strike- +ins+ ^sup^ ~sub~ ??cite??", want: `\*bold\* \_em\_ \-strike\- \+ins\+ \^sup\^ \~sub\~ \?\?cite\?\?`},
		{name: "inside a word stays plain", in: "cross-team snake_case C++ x^2", want: `cross-team snake_case C\+\+ x^2`},
		{name: "backslash is no escape", in: `a\\b \[`, want: `a\` + zwj + `\` + zwj + `b \` + zwj + `\[`},
		{name: "HTML is plain text", in: "<b>x</b> & y", want: "<b>x</b> & y"},
		{name: "comparison in a reason", in: "debt model 0.12 < 0.29", want: "debt model 0.12 < 0.29"},
		{name: "entity stays as typed", in: "&lt; &#92; AT&T; R&D", want: "&" + zwj + "lt; &" + zwj + `\#92; AT&` + zwj + "T; R&D"},
		{name: "heading at start", in: "h1. big", want: "h" + zwj + "1. big"},
		{name: "list at start", in: "# item", want: `\# item`},
		{name: "newlines collapse", in: "a\n* b\n|| c", want: `a \* b \|\| c`},
		{name: "mention-like at sign", in: "@here", want: "@" + zwj + "here"},
		{name: "hostile title"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			if tt.name == "hostile title" {
				in = hostile
			}
			got := InertWiki(in)
			if tt.want != "" && got != tt.want {
				t.Errorf("InertWiki(%q) = %q, want %q", in, got, tt.want)
			}
			for _, a := range activeWiki {
				if a.re.MatchString(got) {
					t.Errorf("InertWiki(%q) = %q keeps an active %s", in, got, a.name)
				}
			}
			if u := unescaped(got, wikiSpecial, false); u != "" {
				t.Errorf("InertWiki(%q) = %q leaves %q unescaped", in, got, u)
			}
			if strings.Contains(got, `\\`) {
				t.Errorf("InertWiki(%q) = %q has a line break", in, got)
			}
		})
	}
}

func TestCode(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "acme/platform#12", "`acme/platform#12`"},
		{"empty", "", ""},
		{"inner backtick", "a`b", "``a`b``"},
		{"run of backticks", "a``b`c", "```a``b`c```"},
		{"edge backtick is padded", "`x", "`` `x ``"},
		{"newline", "a\nb", "`a b`"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Code(tt.in); got != tt.want {
				t.Errorf("Code(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
