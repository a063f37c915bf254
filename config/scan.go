package config

import (
	"fmt"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
)

// scanned is what scanYAML learns of a document before it is decoded.
type scanned struct {
	// lines maps every key path (teams[1].name) to its line; values maps
	// the paths of scalar values to their text.
	lines  map[string]int
	values map[string]string
	// problems are unknown and repeated keys.
	problems Errors
	// duplicates is set when a mapping repeats a key, which the YAML
	// decoder refuses outright.
	duplicates bool
}

// scanYAML walks the YAML document against Config's keys. It returns the line
// of every key path (for messages), every key that Config does not know and
// every key a mapping repeats. viper lower-cases keys and drops what it cannot
// map, so a typo such as `jira_project:` would otherwise vanish silently and
// leave a team owning nothing.
func scanYAML(name string, data []byte) (*scanned, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &Error{File: name, Msg: "not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	s := &scanned{lines: map[string]int{}, values: map[string]string{}}
	if len(doc.Content) == 0 {
		return s, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, &Error{File: name, Line: root.Line, Msg: "the config must be a mapping of keys (store:, trackers:, teams: …)"}
	}
	s.walk(name, root, reflect.TypeOf(Config{}), "")
	return s, nil
}

func (s *scanned) walk(file string, n *yaml.Node, t reflect.Type, path string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode {
		s.values[path] = n.Value
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return // the decoder reports the type mismatch
		}
		fields := keysOf(t)
		seen := map[string]int{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			p := join(path, k.Value)
			if s.repeated(file, k, p, seen) {
				continue
			}
			s.lines[p] = k.Line
			ft, ok := fields[k.Value]
			if !ok {
				s.problems = append(s.problems, &Error{File: file, Line: k.Line, Key: p,
					Msg: "unknown key" + suggest(k.Value, fields)})
				continue
			}
			s.walk(file, val, ft, p)
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return
		}
		for i, item := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			s.lines[p] = item.Line
			s.walk(file, item, t.Elem(), p)
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return
		}
		seen := map[string]int{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			p := join(path, k.Value)
			if s.repeated(file, k, p, seen) {
				continue
			}
			s.lines[p] = k.Line
			s.walk(file, val, t.Elem(), p)
		}
	}
}

// repeated reports (and records as a problem) a key its mapping already has.
func (s *scanned) repeated(file string, k *yaml.Node, path string, seen map[string]int) bool {
	if first, dup := seen[k.Value]; dup {
		s.problems = append(s.problems, &Error{File: file, Line: k.Line, Key: path,
			Msg: fmt.Sprintf("repeated (first at line %d); keep one", first)})
		s.duplicates = true
		return true
	}
	seen[k.Value] = k.Line
	return false
}

func keysOf(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("mapstructure")
		if tag == "" || tag == "-" || !f.IsExported() {
			continue
		}
		out[tag] = f.Type
	}
	return out
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// suggest names the closest known key, for typos.
func suggest(key string, known map[string]reflect.Type) string {
	best, bestD := "", 4
	for k := range known {
		if d := distance(key, k); d < bestD || (d == bestD && k < best) {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// distance is the Levenshtein edit distance.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
