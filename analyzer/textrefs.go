package analyzer

import (
	"strconv"
	"strings"
)

// textRef is an issue reference found in text: a Jira key (PLAT-88), a
// GitHub reference (acme/platform#12, or #12 within a repository), or an
// issue URL of either tracker.
type textRef struct {
	prefix  string
	num     uint32
	host    string
	kind    edgeKind
	reverse bool
}

// Words after a phrase such as "blocked by" that may stand before the
// reference it announces; a reference keeps the phrase alive for a list.
const (
	phraseReach = 6
	listReach   = 1
)

// scanRefs calls fn for each issue reference in text. A reference is a
// mention unless a phrase announces it: "blocked by", "waiting on", "blocker:"
// (it waits), "depends on", "requires" (it depends), "blocks" (the other
// issue waits on this one). "not blocked by" announces nothing. selfRepo is
// the issue's own "owner/repo#" prefix for bare #12 references, "" outside
// GitHub.
func scanRefs(text, selfRepo string, fn func(textRef)) {
	if strings.IndexByte(text, '-') < 0 && strings.IndexByte(text, '#') < 0 && strings.IndexByte(text, ':') < 0 {
		return // no reference without a dash, a hash or a scheme
	}
	mode, reverse, budget := edgeMention, false, 0
	prev := ""
	n := len(text)
	for i := 0; i < n; {
		newlines := 0
		for i < n && isBlank(text[i]) {
			if text[i] == '\n' {
				newlines++
			}
			i++
		}
		if newlines >= 2 {
			mode = edgeMention // a blank line ends what a phrase announced
		}
		j := i
		for j < n && !isBlank(text[j]) {
			j++
		}
		if j == i {
			break
		}
		w := text[i:j]
		i = j
		core, tail := trimWord(w)
		if mayBeRef(w) {
			if ref, ok := parseRef(w, core, selfRepo); ok {
				ref.kind, ref.reverse = mode, reverse && mode != edgeMention
				fn(ref)
				budget = listReach
				if hasAny(tail, ".;!?") {
					mode = edgeMention
				}
				prev = ""
				continue
			}
		}
		if k, rev, ok := trigger(core, prev); ok {
			mode, reverse, budget = k, rev, phraseReach
		} else if len(core) > 1 && !isConnector(core) {
			// One-character words are list markup ("- [x]"), not prose.
			if budget--; budget <= 0 {
				mode = edgeMention
			}
		}
		if tail != "" && tail != ":" && hasAny(tail, ".,;!?)") {
			mode = edgeMention
		}
		prev = core
	}
}

func isBlank(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// trimWord strips markup and punctuation around a word; tail is what came
// off the end. A possessive 's goes too: PLAT-88's.
func trimWord(w string) (core, tail string) {
	i, j := 0, len(w)
	for i < j && isLeadMark(w[i]) {
		i++
	}
	for j > i && isTrailMark(w[j-1]) {
		j--
	}
	core, tail = w[i:j], w[j:]
	if n := len(core); n > 2 && (core[n-2] == '\'') && (core[n-1] == 's' || core[n-1] == 'S') {
		core = core[:n-2]
	}
	return core, tail
}

func isLeadMark(c byte) bool {
	switch c {
	case '(', '[', '{', '<', '"', '\'', '*', '_', '~', '>', '`':
		return true
	}
	return false
}

func isTrailMark(c byte) bool {
	switch c {
	case ')', ']', '}', '>', '"', '\'', '*', '_', '~', '`', '.', ',', ';', ':', '!', '?':
		return true
	}
	return false
}

// hasAny is strings.ContainsAny for a few ASCII marks, without its setup cost.
func hasAny(s, marks string) bool {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(marks, s[i]) >= 0 {
			return true
		}
	}
	return false
}

// mayBeRef reports whether a word has what every reference has: a dash
// (PLAT-88), a hash (#12) or a colon (https:).
func mayBeRef(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c == '-' || c == '#' || c == ':' {
			return true
		}
	}
	return false
}

func isConnector(w string) bool {
	if c := w[0] | 0x20; c != 'a' && c != 'o' && c != 'p' {
		return false
	}
	switch len(w) {
	case 2:
		return strings.EqualFold(w, "or")
	case 3:
		return strings.EqualFold(w, "and")
	case 4:
		return strings.EqualFold(w, "also") || strings.EqualFold(w, "plus")
	}
	return false
}

func trigger(w, prev string) (edgeKind, bool, bool) {
	if w == "" {
		return 0, false, false
	}
	switch w[0] | 0x20 {
	case 'b', 'w', 'd', 'r', 'a', 'p':
	default:
		return 0, false, false
	}
	if isNegation(prev) {
		return 0, false, false
	}
	switch {
	case foldIn(w, "blocked", "blocker", "blockers", "waiting", "waits", "wait", "awaiting"):
		return edgeBlockedBy, false, true
	case foldIn(w, "depends", "dependent", "depending", "dependency", "dependencies", "requires", "prerequisite", "prerequisites"):
		return edgeDependsOn, false, true
	case foldIn(w, "blocks", "blocking"):
		return edgeBlockedBy, true, true
	}
	return 0, false, false
}

func isNegation(w string) bool {
	return foldIn(w, "not", "no", "longer", "never", "isn't", "aren't", "wasn't", "un")
}

func foldIn(w string, words ...string) bool {
	for _, x := range words {
		if len(x) == len(w) && strings.EqualFold(w, x) {
			return true
		}
	}
	return false
}

// parseRef reads one word as an issue reference.
func parseRef(w, core, selfRepo string) (textRef, bool) {
	if k := strings.Index(w, "http"); k >= 0 && strings.Contains(w[k:], "://") {
		return parseIssueURL(w[k:])
	}
	if len(core) < 2 {
		return textRef{}, false
	}
	if h := strings.IndexByte(core, '#'); h >= 0 {
		num, ok := parseNum(core[h+1:])
		if !ok {
			return textRef{}, false
		}
		if h == 0 {
			return textRef{prefix: selfRepo, num: num}, selfRepo != ""
		}
		if !isRepo(core[:h]) {
			return textRef{}, false
		}
		return textRef{prefix: core[:h+1], num: num}, true
	}
	if p, num, ok := jiraKey(core); ok {
		return textRef{prefix: p, num: num}, true
	}
	return textRef{}, false
}

// jiraKey reads PROJ-123: an upper-case letter, more upper-case letters,
// digits or underscores, a dash and a number.
func jiraKey(s string) (string, uint32, bool) {
	d := strings.IndexByte(s, '-')
	if d < 2 || s[0] < 'A' || s[0] > 'Z' {
		return "", 0, false
	}
	for i := 1; i < d; i++ {
		if c := s[i]; !('A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') {
			return "", 0, false
		}
	}
	num, ok := parseNum(s[d+1:])
	return s[:d+1], num, ok
}

func parseNum(s string) (uint32, bool) {
	if s == "" || len(s) > 9 || s[0] == '0' {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, _ := strconv.ParseUint(s, 10, 32)
	return uint32(n), true
}

func isRepo(s string) bool {
	slash := strings.IndexByte(s, '/')
	if slash <= 0 || slash == len(s)-1 || strings.Count(s, "/") != 1 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '/') {
			return false
		}
	}
	return true
}

// parseIssueURL reads a Jira browse URL (https://x.atlassian.net/browse/PAY-1)
// or a GitHub issue URL, web or API, github.com or Enterprise
// (https://github.com/acme/api/issues/7, …/repos/acme/api/issues/7).
// Pull request URLs are not issues.
func parseIssueURL(u string) (textRef, bool) {
	for len(u) > 0 && isTrailMark(u[len(u)-1]) {
		u = u[:len(u)-1]
	}
	s := strings.Index(u, "://")
	rest := u[s+3:]
	slash := strings.IndexByte(rest, '/')
	if slash <= 0 {
		return textRef{}, false
	}
	host := strings.ToLower(rest[:slash])
	path := rest[slash:]
	if q := strings.IndexAny(path, "?#"); q >= 0 {
		path = path[:q]
	}
	if k := strings.Index(path, "/browse/"); k >= 0 {
		key := path[k+len("/browse/"):]
		if e := strings.IndexByte(key, '/'); e >= 0 {
			key = key[:e]
		}
		if p, num, ok := jiraKey(key); ok {
			return textRef{prefix: p, num: num, host: host}, true
		}
		return textRef{}, false
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i := 2; i+1 < len(segs); i++ {
		if segs[i] != "issues" {
			continue
		}
		num, ok := parseNum(segs[i+1])
		repo := segs[i-2] + "/" + segs[i-1]
		if ok && isRepo(repo) && (i+2 == len(segs)) {
			return textRef{prefix: repo + "#", num: num, host: host}, true
		}
	}
	return textRef{}, false
}
