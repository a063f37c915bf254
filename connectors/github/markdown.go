package github

import (
	"html"
	"regexp"
	"strings"
)

var (
	mdHTMLComment = regexp.MustCompile(`(?s)<!--.*?-->`)
	mdFence       = regexp.MustCompile("^\\s{0,3}(```|~~~)")
	mdRule        = regexp.MustCompile(`^\s{0,3}([-*_])(\s*[-*_]){2,}\s*$`)
	mdTableRule   = regexp.MustCompile(`^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$`)
	mdBlockPrefix = regexp.MustCompile(`^\s*(>\s?)+|^\s{0,3}#{1,6}\s+|^\s*([-*+]|\d+[.)])\s+(\[[ xX]\]\s+)?`)
	mdHeading     = regexp.MustCompile(`^\s{0,3}#{1,6}\s`)
	mdHeadingTail = regexp.MustCompile(`\s+#+\s*$`)
	mdImage       = regexp.MustCompile(`!\[([^\]]*)\]\([^)]*\)`)
	mdLink        = regexp.MustCompile(`\[([^\]]+)\](\([^)]*\)|\[[^\]]*\])`)
	mdAutolink    = regexp.MustCompile(`<((?:https?|mailto):[^>\s]+)>`)
	mdTag         = regexp.MustCompile(`</?[a-zA-Z][a-zA-Z0-9-]*(\s[^<>]*)?/?>`)
	mdStrong      = regexp.MustCompile(`\*\*|~~|\*`)
	mdUnderscore  = regexp.MustCompile(`(^|[^\w])_+|_+([^\w]|$)`)
	mdSpaces      = regexp.MustCompile(`[ \t]+`)
)

// plainText reduces GitHub-flavoured Markdown to the words a reader sees, for
// analysis. HTML comments (Ladder's own marker among them) and tags go;
// fenced and inline code keep their text; links and images keep their text;
// emphasis, headings, quotes, list, task and table markup go. Issue
// references such as #12 and acme/api#7 and snake_case words are kept.
func plainText(md string) string {
	md = strings.ReplaceAll(md, "\r\n", "\n")
	md = mdHTMLComment.ReplaceAllString(md, "")
	var out []string
	inFence := false
	for _, line := range strings.Split(md, "\n") {
		if mdFence.MatchString(line) {
			inFence = !inFence
			continue
		}
		if inFence {
			if s := strings.TrimSpace(line); s != "" {
				out = append(out, s)
			}
			continue
		}
		if mdRule.MatchString(line) || strings.Contains(line, "|") && mdTableRule.MatchString(line) {
			continue
		}
		line = inlineText(line)
		if line == "" {
			if len(out) > 0 && out[len(out)-1] != "" {
				out = append(out, "")
			}
			continue
		}
		out = append(out, line)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// inlineText strips one line's markup. Each pattern runs only when the line
// holds the character it needs: most lines of most issues are plain prose.
func inlineText(line string) string {
	if t := strings.TrimLeft(line, " \t"); t != "" && strings.ContainsRune(">#-*+0123456789", rune(t[0])) {
		heading := mdHeading.MatchString(line)
		// Prefixes nest ("> - [ ] item"): strip until none is left.
		for range 4 {
			s := mdBlockPrefix.ReplaceAllString(line, "")
			if s == line {
				break
			}
			line = s
		}
		if heading {
			line = mdHeadingTail.ReplaceAllString(line, "")
		}
	}
	if strings.HasPrefix(strings.TrimSpace(line), "|") {
		line = strings.ReplaceAll(line, "|", " ")
	}
	if strings.Contains(line, "](") || strings.Contains(line, "][") {
		line = mdImage.ReplaceAllString(line, "$1")
		line = mdLink.ReplaceAllString(line, "$1")
	}
	if strings.Contains(line, "<") {
		line = mdAutolink.ReplaceAllString(line, "$1")
		line = mdTag.ReplaceAllString(line, "")
	}
	line = strings.ReplaceAll(line, "`", "")
	if strings.ContainsAny(line, "*~") {
		line = mdStrong.ReplaceAllString(line, "")
	}
	if strings.Contains(line, "_") {
		line = mdUnderscore.ReplaceAllString(line, "$1$2")
	}
	if strings.Contains(line, "&") {
		line = html.UnescapeString(line)
	}
	return strings.TrimSpace(mdSpaces.ReplaceAllString(line, " "))
}
