package jira

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// WikiToText reduces Jira wiki markup to plain text for analysis: headings,
// bullets, tables, emphasis, colours and panels lose their markup; links keep
// their text; {code} and {noformat} keep their content verbatim; mentions of
// [~accountid:…] are dropped (an id is not a name) and [~name] becomes name;
// images go. Markup that is odd or never closed is left as text rather than
// swallowing what follows.
func WikiToText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if strings.ContainsFunc(s, isEscaped) {
		s = strings.Map(func(r rune) rune {
			if isEscaped(r) {
				return utf8.RuneError
			}
			return r
		}, s)
	}
	var out strings.Builder
	out.Grow(len(s))
	for len(s) > 0 {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			writeProse(&out, s)
			break
		}
		name, tagEnd, ok := macroAt(s, i)
		if !ok {
			// Not a macro ("{{mono}}", JSON, a lone brace): prose up to and
			// including the brace; the inline pass deals with {{…}}.
			j := i + 1
			if strings.HasPrefix(s[i:], "{{") {
				j = i + 2
				if k := strings.Index(window(s[j:]), "}}"); k >= 0 {
					j += k + 2
				}
			}
			writeProse(&out, s[:j])
			s = s[j:]
			continue
		}
		writeProse(&out, s[:i])
		s = s[tagEnd:]
		if name == "code" || name == "noformat" {
			closing := "{" + name + "}"
			k := indexFold(s, closing)
			if k < 0 {
				k = len(s)
			}
			if !atLineStart(&out) {
				out.WriteByte('\n')
			}
			out.WriteString(strings.Trim(s[:k], "\n"))
			s = s[min(k+len(closing), len(s)):]
			if !strings.HasPrefix(s, "\n") {
				out.WriteByte('\n')
			}
		}
		// Other macros ({quote}, {color:red}, {panel:title=…}) frame text:
		// the tag goes, the text stays.
	}
	return tidy(out.String())
}

// macroAt reads a macro tag {name} or {name:params} at s[i]; tagEnd is just
// past its closing brace.
func macroAt(s string, i int) (name string, tagEnd int, ok bool) {
	j := i + 1
	for j < len(s) && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z') {
		j++
	}
	if j == i+1 || j >= len(s) {
		return "", 0, false
	}
	name = strings.ToLower(s[i+1 : j])
	switch s[j] {
	case '}':
		return name, j + 1, true
	case ':':
		k := strings.IndexByte(window(s[j:]), '}')
		if k < 0 {
			return "", 0, false
		}
		return name, j + k + 1, true
	}
	return "", 0, false
}

// indexFold finds sub (ASCII) in s ignoring case, stopping at the first hit.
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); {
		k := strings.IndexByte(s[i:], sub[0])
		if k < 0 {
			return -1
		}
		i += k
		if i+len(sub) <= len(s) && strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
		i++
	}
	return -1
}

// maxInline bounds how far a link, macro tag or {{monospace}} may reach for
// its closing mark: real ones are short, and an unclosed one must not make
// every later character rescan the rest of the text.
const maxInline = 2048

// window is s up to the end of its line, at most maxInline bytes.
func window(s string) string {
	if len(s) > maxInline {
		s = s[:maxInline]
	}
	if k := strings.IndexByte(s, '\n'); k >= 0 {
		s = s[:k]
	}
	return s
}

func atLineStart(out *strings.Builder) bool {
	s := out.String()
	return s == "" || s[len(s)-1] == '\n'
}

// writeProse converts markup outside code blocks, line by line. A piece that
// continues a line (after a {color} tag, say) has no line prefixes to read.
func writeProse(out *strings.Builder, s string) {
	lines := strings.Split(s, "\n")
	for n, line := range lines {
		if n > 0 {
			out.WriteByte('\n')
		}
		if n == 0 && !atLineStart(out) {
			out.WriteString(inline(line))
			continue
		}
		out.WriteString(proseLine(line))
	}
}

func proseLine(line string) string {
	t := strings.TrimLeft(line, " \t")
	// Block prefixes: headings, quotes, bullets, rules.
	if len(t) >= 3 && t[0] == 'h' && t[1] >= '1' && t[1] <= '6' && t[2] == '.' {
		t = strings.TrimLeft(t[3:], " ")
	} else if strings.HasPrefix(t, "bq.") {
		t = strings.TrimLeft(t[3:], " ")
	} else if strings.Trim(t, "-") == "" && len(t) >= 4 {
		return ""
	} else {
		k := 0
		for k < len(t) && (t[k] == '*' || t[k] == '#' || t[k] == '-') {
			k++
		}
		if k > 0 && k < len(t) && t[k] == ' ' {
			t = strings.TrimLeft(t[k:], " ")
		}
	}
	table := strings.HasPrefix(t, "|")
	t = inline(t)
	if table {
		cells := strings.FieldsFunc(t, func(r rune) bool { return r == '|' })
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		t = strings.Join(cells, " ")
	}
	return t
}

// inline handles links, mentions, images, {{monospace}}, line breaks,
// escapes and emphasis within one line.
func inline(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && s[i+1] == '\\':
			b.WriteByte('\n')
			i += 2
			continue
		case c == '\\' && i+1 < len(s) && strings.IndexByte("*_+-^~?[]{}!|#\\", s[i+1]) >= 0:
			// Shifted out of emphasis's way, restored below.
			b.WriteRune(escapeBase + rune(s[i+1]))
			i += 2
			continue
		case c == '[':
			if k := strings.IndexByte(window(s[i+1:]), ']'); k >= 0 {
				b.WriteString(linkText(s[i+1 : i+1+k]))
				i += k + 2
				continue
			}
		case c == '!':
			if k := strings.IndexByte(window(s[i+1:]), '!'); k > 0 && isImage(s[i+1:i+1+k]) {
				i += k + 2
				if i < len(s) && s[i] == ' ' && strings.HasSuffix(b.String(), " ") {
					i++
				}
				continue
			}
		case c == '{' && strings.HasPrefix(s[i:], "{{"):
			if k := strings.Index(window(s[i+2:]), "}}"); k >= 0 {
				b.WriteString(s[i+2 : i+2+k])
				i += k + 4
				continue
			}
		}
		b.WriteByte(c)
		i++
	}
	out := emphasis(b.String())
	if !strings.ContainsFunc(out, isEscaped) {
		return out
	}
	return strings.Map(func(r rune) rune {
		if isEscaped(r) {
			return r - escapeBase
		}
		return r
	}, out)
}

// escapeBase shifts escaped ASCII markup into the Unicode private use area
// while emphasis runs.
const escapeBase = 0xF000

func isEscaped(r rune) bool { return r >= escapeBase && r < escapeBase+0x80 }

// linkText renders the inside of [...]: [text|url] → text, [~name] → name,
// [~accountid:…] → nothing, [^file] → file, [#anchor] → anchor, [url] → url.
func linkText(in string) string {
	if strings.HasPrefix(in, "~") {
		who := in[1:]
		if strings.HasPrefix(strings.ToLower(who), "accountid:") {
			return ""
		}
		return who
	}
	text, _, hasBar := strings.Cut(in, "|")
	if hasBar && strings.TrimSpace(text) != "" {
		return text
	}
	if hasBar {
		_, rest, _ := strings.Cut(in, "|")
		text, _, _ = strings.Cut(rest, "|")
	}
	return strings.TrimLeft(text, "^#")
}

// isImage tells !file.png! and !https://…|thumbnail! from exclamations.
func isImage(s string) bool {
	if s == "" || strings.ContainsAny(s, " \t") && !strings.Contains(s, "|") {
		return false
	}
	name, _, _ := strings.Cut(s, "|")
	return !strings.ContainsAny(name, " \t") && (strings.Contains(name, ".") || strings.Contains(name, "/"))
}

// emphasis drops paired *bold*, _italic_, -strike-, +inserted+, ^sup^,
// ~sub~ and ??cite?? markers. A marker opens only after a boundary and before
// a non-space, and closes only after a non-space and before a boundary, so
// snake_case, re-run, 2*3*4 and lone stars stay as written.
func emphasis(s string) string {
	if !strings.ContainsAny(s, "*_-+^~?") {
		return s
	}
	s = pairCite(s)
	rs := []rune(s)
	drop := make([]bool, len(rs))
	for _, m := range []rune{'*', '_', '-', '+', '^', '~'} {
		open := -1
		for i, r := range rs {
			if r != m || drop[i] {
				continue
			}
			if open < 0 {
				if boundary(rs, i-1) && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]) && rs[i+1] != m {
					open = i
				}
				continue
			}
			if i > open+1 && !unicode.IsSpace(rs[i-1]) && boundary(rs, i+1) {
				drop[open], drop[i] = true, true
				open = -1
			} else if boundary(rs, i-1) && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]) {
				open = i
			}
		}
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range rs {
		if !drop[i] {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// pairCite removes ??citation?? markers when they pair up.
func pairCite(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "??")
		if i < 0 {
			break
		}
		j := strings.Index(s[i+2:], "??")
		if j <= 0 {
			break
		}
		b.WriteString(s[:i])
		b.WriteString(s[i+2 : i+2+j])
		s = s[i+2+j+2:]
	}
	if b.Len() == 0 {
		return s
	}
	b.WriteString(s)
	return b.String()
}

func boundary(rs []rune, i int) bool {
	if i < 0 || i >= len(rs) {
		return true
	}
	r := rs[i]
	return unicode.IsSpace(r) || unicode.IsPunct(r) && r != '_' || unicode.IsSymbol(r)
}

// tidy trims line ends and squeezes runs of blank lines.
func tidy(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	blank := 0
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			blank++
			if blank > 1 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}
