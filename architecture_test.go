package ladder_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The import rule of ARCHITECTURE.md, checked: imports between Ladder's own
// packages flow one way. cmd/ wires everything; the connectors, analyzer,
// store, report and sandbox speak only the root package's domain types; config
// knows nothing of ours; the root package needs the standard library alone.
// Tests may also import the fake trackers (internal/sandbox) and the contract
// suites (a package whose name ends in "test"), which stand for the outside
// world and for the contracts the package must meet.

const module = "github.com/ladderhq/ladder"

// importRule is what one package directory may import of ours.
type importRule struct {
	// may lists our packages it may import ("" is the root package); nil with
	// anything set means any of ours.
	may      []string
	anything bool
	// stdlibOnly forbids every import outside the standard library.
	stdlibOnly bool
}

// rules is matched by the longest directory prefix. A new package matches
// nothing and fails the test until it is given a place here and in
// ARCHITECTURE.md.
var rules = map[string]importRule{
	".":              {stdlibOnly: true},
	"config":         {},
	"analyzer":       {may: []string{""}},
	"connectors":     {may: []string{""}},
	"internal/store": {may: []string{""}},
	// The store contract suite speaks the SQLite store's record types
	// (Publication, Holder), which every store shares.
	"internal/storetest": {may: []string{"", "internal/store"}},
	// The PostgreSQL store keeps the SQLite store's stored forms (hash, time
	// and list encodings, record types), so the two read back alike.
	"internal/pgstore": {may: []string{"", "internal/store"}},
	"internal/report":  {may: []string{""}},
	"internal/sandbox": {may: []string{""}},
	// The contract suite for trackers drives a connector's fake tracker.
	"internal/trackertest": {may: []string{"", "internal/sandbox"}},
	"internal/webhook":     {may: []string{""}},
	// The trainer writes the analyzer's embedded model, so it is a program
	// over the analyzer like cmd/ladder.
	"internal/train": {may: []string{"", "analyzer"}},
	"cmd":            {anything: true},
}

func ruleFor(dir string) (string, importRule, bool) {
	best, found := "", false
	for prefix := range rules {
		if (dir == prefix || strings.HasPrefix(dir, prefix+"/")) && len(prefix) >= len(best) {
			best, found = prefix, true
		}
	}
	return best, rules[best], found
}

// testOnly says whether a test may import pkg (relative to the module) even
// though the package itself may not.
func testOnly(pkg string) bool {
	return pkg == "internal/sandbox" || strings.HasSuffix(pkg, "test")
}

func TestImportsFlowOneWay(t *testing.T) {
	imports, dirs := moduleImports(t, ".")
	if len(dirs) < 5 {
		t.Fatalf("found only %d packages under the module: the walk is broken", len(dirs))
	}
	for _, dir := range dirs {
		if _, _, ok := ruleFor(dir); !ok {
			t.Errorf("package %s has no place in the import rule: give it one here and in ARCHITECTURE.md", dir)
		}
	}
	for _, imp := range imports {
		prefix, rule, ok := ruleFor(imp.dir)
		if !ok {
			continue
		}
		if msg := rule.forbids(imp, prefix); msg != "" {
			t.Errorf("%s imports %q: %s", imp.file, imp.path, msg)
		}
	}
}

func (r importRule) forbids(imp importEdge, prefix string) string {
	ours, isOurs := strings.CutPrefix(imp.path, module)
	if isOurs && ours != "" && !strings.HasPrefix(ours, "/") {
		isOurs = false // a module whose name merely starts like ours
	}
	ours = strings.TrimPrefix(ours, "/")
	stdlib := !strings.Contains(strings.SplitN(imp.path, "/", 2)[0], ".")
	switch {
	case r.stdlibOnly && !stdlib && !(imp.test && isOurs && testOnly(ours)):
		return "the root package holds domain types and needs the standard library only"
	case !isOurs || r.anything:
		return ""
	case ours == imp.dir || imp.dir == "." && ours == "":
		return "" // a package's external test importing the package
	case slices.Contains(r.may, ours):
		return ""
	case imp.test && testOnly(ours):
		return ""
	}
	return "packages under " + prefix + "/ may import only " + describe(r.may) + " of ours (ARCHITECTURE.md, \"The import rule\")"
}

func describe(may []string) string {
	if len(may) == 0 {
		return "nothing"
	}
	var out []string
	for _, m := range may {
		if m == "" {
			m = "the root package"
		}
		out = append(out, m)
	}
	return strings.Join(out, " and ")
}

type importEdge struct {
	dir  string // package directory relative to the module root, "." for the root
	file string
	path string
	test bool
}

// moduleImports parses the import block of every Go file of the module
// (skipping testdata and hidden directories) and lists the package directories.
func moduleImports(t *testing.T, root string) ([]importEdge, []string) {
	t.Helper()
	var out []importEdge
	var dirs []string
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(filepath.Dir(path))
		if !slices.Contains(dirs, dir) {
			dirs = append(dirs, dir)
		}
		for _, spec := range f.Imports {
			p, err := strconv.Unquote(spec.Path.Value)
			if err != nil {
				return err
			}
			out = append(out, importEdge{dir: dir, file: filepath.ToSlash(path), path: p, test: strings.HasSuffix(name, "_test.go")})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, dirs
}

// TestImportRuleCatchesASidewaysImport feeds the rule the imports it exists
// to refuse, so a rule table that allowed everything would fail here.
func TestImportRuleCatchesASidewaysImport(t *testing.T) {
	for _, tc := range []struct {
		name string
		imp  importEdge
		bad  bool
	}{
		{"analyzer imports the store", importEdge{dir: "analyzer", path: module + "/internal/store"}, true},
		{"github connector imports jira", importEdge{dir: "connectors/github", path: module + "/connectors/jira"}, true},
		{"report imports config", importEdge{dir: "internal/report", path: module + "/config"}, true},
		{"config imports the root", importEdge{dir: "config", path: module}, true},
		{"root imports viper", importEdge{dir: ".", path: "github.com/spf13/viper"}, true},
		{"store test imports the analyzer", importEdge{dir: "internal/store", path: module + "/analyzer", test: true}, true},
		{"connector imports the root", importEdge{dir: "connectors/jira", path: module}, false},
		{"connector test imports the sandbox", importEdge{dir: "connectors/jira", path: module + "/internal/sandbox", test: true}, false},
		{"connector imports the sandbox", importEdge{dir: "connectors/jira", path: module + "/internal/sandbox"}, true},
		{"cmd imports everything", importEdge{dir: "cmd/ladder", path: module + "/internal/store"}, false},
		{"root imports fmt", importEdge{dir: ".", path: "fmt"}, false},
		{"a look-alike module is not ours", importEdge{dir: "analyzer", path: module + "x/y"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			prefix, rule, ok := ruleFor(tc.imp.dir)
			if !ok {
				t.Fatalf("no rule for %s", tc.imp.dir)
			}
			if got := rule.forbids(tc.imp, prefix) != ""; got != tc.bad {
				t.Errorf("forbidden = %v, want %v", got, tc.bad)
			}
		})
	}
	if _, _, ok := ruleFor("internal/newthing"); ok {
		t.Error("an unlisted package matched a rule; it must fail until it is placed")
	}
}

func TestMain(m *testing.M) {
	// The walk starts at the module root, where `go test` runs this package.
	if _, err := os.Stat("go.mod"); err != nil {
		panic("architecture test must run in the module root: " + err.Error())
	}
	os.Exit(m.Run())
}
