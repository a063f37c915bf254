package report

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// zwj is a zero-width joiner. Put between "@" and a handle, "#" and a number,
// or "https:" and "//", it breaks the pattern GitHub matches for mentions,
// issue references and autolinks while the text reads the same.
const zwj = "\u200d"

// Inert makes text taken from an issue safe to place inline in GitHub
// Markdown: it renders as the same words but cannot mention anyone
// (@handle, @org/team), reference an issue (#12, owner/repo#12, GH-12),
// autolink a URL (a pasted issue URL creates a backlink on that issue), inject
// HTML or open Markdown structure (emphasis, links, tables, code). Newlines
// collapse to spaces: the result is one line, safe inside a table cell.
func Inert(s string) string {
	s = oneLine(s)
	var b strings.Builder
	b.Grow(len(s) + 8)
	if len(s) > 0 && strings.ContainsRune("#>-+=", rune(s[0])) {
		// Only matters if a caller starts a line with the text: a heading,
		// quote, list item or setext underline.
		b.WriteByte('\\')
	}
	for i, r := range s {
		next := s[i+utf8.RuneLen(r):]
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '\\', '`', '*', '_', '[', ']', '~', '|':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '@':
			b.WriteString("@" + zwj)
		case '#':
			b.WriteRune(r)
			if startsWithDigit(next) {
				b.WriteString(zwj)
			}
		case '-':
			b.WriteRune(r)
			// GitHub links GH-123 like #123.
			if startsWithDigit(next) && wordBefore(s[:i], "gh") {
				b.WriteString(zwj)
			}
		default:
			breakLink(&b, s, i, r, next)
		}
	}
	return b.String()
}

// InertWiki makes text taken from an issue safe to place inline in Jira wiki
// markup: no [~accountid:…] or [~user] mention, no [text|url] link, no
// {macro}, no !image! fetch, no table cell, no text effect, no autolinked
// URL. The result is one line and must not start a line of markup.
//
// It writes no HTML entity. Wiki markup has no raw HTML (only the {html}
// macro, whose brace is escaped here), so "<", ">" and "&" are plain text:
// Data Center's renderer escapes them itself, and Jira Cloud, which turns a
// REST v2 body into its own document format, shows an entity such as "&lt;"
// literally. Data Center keeps an entity already in the text, so an "&"
// that would start one ("&lt;", "&#92;") gets a joiner and reads as typed.
func InertWiki(s string) string {
	s = oneLine(s)
	var b strings.Builder
	b.Grow(len(s) + 8)
	var prev rune
	for i, r := range s {
		next := s[i+utf8.RuneLen(r):]
		nr, _ := utf8.DecodeRuneInString(next)
		switch r {
		case '\\':
			// A backslash escapes the punctuation after it and two make a
			// line break; followed by a joiner it is neither, and shows.
			b.WriteString(`\` + zwj)
		case '&':
			b.WriteByte('&')
			if startsEntity(next) {
				b.WriteString(zwj)
			}
		case '{', '}', '[', ']', '|', '*', '!':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '-', '_', '+', '^', '~', '?', '#':
			// Text effects (-strike-, _em_, +ins+, ^sup^, ~sub~, ??cite??)
			// only open or close at a word boundary; inside a word
			// (cross-team, snake_case) the character is plain.
			if i > 0 && isAlnum(prev) && isAlnum(nr) {
				b.WriteRune(r)
			} else {
				b.WriteByte('\\')
				b.WriteRune(r)
			}
		case '@':
			b.WriteString("@" + zwj)
		default:
			if i == 0 && wikiBlockStart(s) {
				b.WriteRune(r)
				b.WriteString(zwj)
				break
			}
			breakLink(&b, s, i, r, next)
		}
		prev = r
	}
	return b.String()
}

// breakLink writes r, first breaking the two autolink triggers both markups
// share: a scheme's "://" and a leading "www.".
func breakLink(b *strings.Builder, s string, i int, r rune, next string) {
	switch {
	case r == ':' && strings.HasPrefix(next, "//"):
		b.WriteString(":" + zwj)
	case r == '.' && wordBefore(s[:i], "www"):
		b.WriteString(zwj + ".")
	default:
		b.WriteRune(r)
	}
}

// Code renders s as a GitHub code span: literal text that GitHub never turns
// into a mention, reference, link or HTML. The fence is one backtick longer
// than the longest run of backticks inside s.
func Code(s string) string {
	s = oneLine(s)
	if s == "" {
		return ""
	}
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || (strings.HasPrefix(s, " ") && strings.HasSuffix(s, " ")) {
		// CommonMark strips one space from each side, so the padding is
		// not shown, and a backtick touching the fence stays content.
		s = " " + s + " "
	}
	return fence + s + fence
}

// cellCode is Code for a GFM table cell: the table is split on "|" before
// code spans are parsed, so a pipe inside the span must be escaped too.
func cellCode(s string) string {
	return strings.ReplaceAll(Code(s), "|", `\|`)
}

// wikiCode renders s in Jira monospace with its content made inert.
func wikiCode(s string) string {
	s = InertWiki(s)
	if s == "" {
		return ""
	}
	return "{{" + s + "}}"
}

// oneLine collapses every run of whitespace (newlines included) into one
// space and drops control characters, so text from an issue cannot start a
// new block of markup.
func oneLine(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range strings.TrimSpace(s) {
		switch {
		case unicode.IsSpace(r):
			space = true
		case unicode.IsControl(r) || r == utf8.RuneError:
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// startsEntity reports whether s, following an "&", would make it an HTML
// entity reference: a name or #number closed by ";".
func startsEntity(s string) bool {
	end := strings.IndexByte(s, ';')
	if end <= 0 {
		return false
	}
	for _, r := range s[:end] {
		if r != '#' && !(r < utf8.RuneSelf && isAlnum(r)) {
			return false
		}
	}
	return true
}

func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// wordBefore reports whether before ends with the whole word w (any case).
func wordBefore(before, w string) bool {
	if len(before) < len(w) || !strings.EqualFold(before[len(before)-len(w):], w) {
		return false
	}
	rest := before[:len(before)-len(w)]
	last, _ := utf8.DecodeLastRuneInString(rest)
	return rest == "" || !isAlnum(last)
}

// wikiBlockStart reports whether s begins like a Jira block (h1. … h6., bq.),
// which would take effect if a caller ever put s at the start of a line.
func wikiBlockStart(s string) bool {
	if len(s) >= 3 && s[0] == 'h' && s[1] >= '1' && s[1] <= '6' && s[2] == '.' {
		return true
	}
	return strings.HasPrefix(s, "bq.")
}
