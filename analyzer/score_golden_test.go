package analyzer

import (
	"bufio"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"hash"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/sandbox"
)

// The golden digests pin the exact output of the text models and of a whole
// Run: every debt score (all 64 bits), its words, every token, every verdict
// and the summary. Speed work on the scorer and tokenizer must leave them
// unchanged. A digest moves when the model, the tokenizer or the analyzer's
// rules change on purpose, or when the sandbox's generated issues change
// (each source has its own digest, so the failing name says which): then
// check the change is the intended one and rewrite the file with
//
//	go test ./analyzer -run TestGolden -update-golden
var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/golden.txt")

const goldenFile = "testdata/golden.txt"

// goldenTexts are the odd cases: markup, unicode, stop-words only, long
// runs, empty fields.
var goldenTexts = [][2]string{
	{"", ""},
	{"Refactor", ""},
	{"", "should be removed"},
	{"should not be", "no longer the only one"},
	{"TODO: clean up the deprecated ConnectionPool", "{code}int x = 1;{code} then {{HTTPServer}} and `inline` and ```\nfenced\n``` done"},
	{"Überarbeitung der Datenbankschicht", "Straße café naïve résumé — ünïcödé wörds; 日本語のテキスト and Ελληνικά"},
	{"Remove dead code in user's module", "It’s don't won't can't that'll user’s parsers' HBase XMLHttpRequest getHTTPResponseCode"},
	{"Deprecate the API", "See https://example.org/x?y=1 and www.example.com, mail a@b.org, [~jdoe], !shot.png|thumbnail!, &nbsp; &#160; 3f2a9b1c 2024 x"},
	{"h1. Heading", "h2. Sub\n* bullet {color:red}red{color} {quote}quoted{quote} {panel:title=x}inside{panel} {noformat}skipped stack{noformat}"},
	{strings.Repeat("a", 300), strings.Repeat("Refactoring ", 200)},
	{"snake_case and dotted.names and kebab-case", "unusedImports @Deprecated deprecation deprecated CheckStyle warnings javadoc"},
	{"Refactor refactor REFACTOR ReFactor", "cleanup cleanup cleanup tech debt tech debt technical debt"},
	{"\x00\xff\xfe invalid utf8 \xc3", "bytes \xe2\x80 cut"},
	{"emoji 🙂 test 🚀 rocket", "zero\u200bwidth com\u0301bining"},
}

func TestGolden(t *testing.T) {
	now := time.Date(2026, time.May, 20, 9, 0, 0, 0, time.UTC)
	org := sandbox.SampleOrg(now)
	orgTexts := func(yield func(title, body string)) {
		for _, is := range org.Issues() {
			yield(is.Title, is.Body)
			for _, c := range is.Comments {
				yield("", c.Body)
				yield(c.Body, "")
			}
		}
	}
	synthTexts := func(yield func(title, body string)) {
		for i := range 3000 {
			is := sandbox.SyntheticIssue(i, 7, now)
			yield(is.Title, is.Body)
		}
	}
	localTexts := func(yield func(title, body string)) {
		for _, x := range goldenTexts {
			yield(x[0], x[1])
			yield(x[1], x[0])
		}
		for _, x := range benchIssues {
			yield(x[0], x[1])
		}
		yield(benchText, benchText)
		// Mixtures of the model's own terms, so that bigrams and
		// character n-grams of known words are hit in many combinations.
		m := DefaultDebtModel()
		var words []string
		for _, tm := range m.file.Terms {
			words = append(words, tm.Term)
		}
		for i := range 2000 {
			var title, body []string
			for k := range 3 + i%5 {
				title = append(title, words[int(rng(uint64(i*31+k))%uint64(len(words)))])
			}
			for k := range i % 60 {
				body = append(body, words[int(rng(uint64(i*977+k+1))%uint64(len(words)))])
			}
			yield(strings.Join(title, " "), strings.Join(body, " "))
		}
	}

	got := map[string]string{
		"score/sample-org": scoreDigest(orgTexts),
		"score/synthetic":  scoreDigest(synthTexts),
		"score/local":      scoreDigest(localTexts),
		"tokens/synthetic": tokenDigest(synthTexts),
		"tokens/local":     tokenDigest(localTexts),
		"run/sample-org":   runDigest(t, org, now),
		"run/synth-org":    synthRunDigest(t, 20_000),
	}
	if *updateGolden {
		writeGolden(t, got)
		return
	}
	want := readGolden(t)
	for _, name := range slices.Sorted(maps.Keys(got)) {
		if want[name] != got[name] {
			t.Errorf("%s: digest %s, golden %s", name, got[name], want[name])
		}
	}
}

// scoreDigest hashes every score (as %b: exact bits) and its words.
func scoreDigest(texts func(yield func(title, body string))) string {
	m := DefaultDebtModel()
	h := sha256.New()
	n := 0
	texts(func(title, body string) {
		s, words := m.Score(title, body)
		fmt.Fprintf(h, "%b %q\n", s, words)
		if p := m.probability(title, body); p != s {
			fmt.Fprintf(h, "probability %b\n", p)
		}
		n++
	})
	return digest(h, n)
}

func tokenDigest(texts func(yield func(title, body string))) string {
	h := sha256.New()
	n := 0
	texts(func(title, body string) {
		for _, text := range [2]string{title, body} {
			scanWords(text, true, func(stem string, start, end int) { fmt.Fprintf(h, "%s %d %d|", stem, start, end) })
			fmt.Fprintf(h, "\n%q\n", Tokenize(text))
			n++
		}
	})
	return digest(h, n)
}

func runDigest(t *testing.T, org sandbox.Org, now time.Time) string {
	t.Helper()
	cfg := Config{
		Teams: org.Teams, Goals: org.Goals, FiscalYearStartMonth: sandbox.FiscalYearStart,
		TechDebtLabels: []string{"tech-debt", "refactor"}, TechDebtTypes: []string{"Technical Debt"}, Now: now,
	}
	return hashRun(t, cfg, stream(org.Issues()))
}

func synthRunDigest(t *testing.T, n int) string {
	t.Helper()
	org := newSynthOrg(n)
	return hashRun(t, org.cfg, org.each)
}

// hashRun hashes the JSON of every verdict, in emitted order, and of the
// summary.
func hashRun(t *testing.T, cfg Config, each func(fn func(*ladder.Issue) error) error) string {
	t.Helper()
	a, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	h := sha256.New()
	enc := json.NewEncoder(h)
	n := 0
	sum, err := a.Run(each, func(v *ladder.Verdict) error {
		n++
		return enc.Encode(v)
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if err := enc.Encode(sum); err != nil {
		t.Fatal(err)
	}
	return digest(h, n)
}

func digest(h hash.Hash, n int) string { return fmt.Sprintf("%x/%d", h.Sum(nil)[:16], n) }

func readGolden(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(goldenFile)
	if err != nil {
		t.Fatalf("%v (write it with -update-golden)", err)
	}
	defer f.Close()
	m := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if name, d, ok := strings.Cut(sc.Text(), " "); ok {
			m[name] = d
		}
	}
	return m
}

func writeGolden(t *testing.T, m map[string]string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("# go test ./analyzer -run TestGolden -update-golden (see score_golden_test.go)\n")
	for _, k := range slices.Sorted(maps.Keys(m)) {
		fmt.Fprintf(&b, "%s %s\n", k, m[k])
	}
	if err := os.MkdirAll(filepath.Dir(goldenFile), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(goldenFile, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
