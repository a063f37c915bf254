package analyzer

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestDefaultDebtModel(t *testing.T) {
	m := DefaultDebtModel()
	if !strings.HasPrefix(m.Version(), "techdebt-") {
		t.Errorf("Version() = %q, want a techdebt-… recipe name", m.Version())
	}
	if th := m.Threshold(); th <= 0 || th >= 1 {
		t.Fatalf("threshold %v outside (0, 1)", th)
	}
	if DefaultDebtModel() != m {
		t.Error("DefaultDebtModel parsed the embedded model twice")
	}
	tests := []struct {
		name        string
		title, body string
		debt        bool
		anyWord     []string // one of these must be among the reasons
	}{
		{"refactor and dead code", "Refactor the legacy connection pool and remove dead code", "", true,
			[]string{"refactor", "dead code", "remove", "legacy", "remove dead", "dead"}},
		{"flaky test", "TestReplication is flaky", "The test fails intermittently on the build server; we should fix the race or rewrite it.", true,
			[]string{"flaky", "test", "rewrite", "we should", "should"}},
		{"typo in docs", "Fix typos in the javadoc of Exchange", "", true,
			[]string{"typos", "javadoc", "typos in"}},
		{"new feature", "Add support for Kafka headers", "", false, nil},
		{"new component", "New component for AWS SQS", "Users would like to consume messages from SQS queues.", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			score, words := m.Score(tt.title, tt.body)
			if score < 0 || score > 1 {
				t.Fatalf("score %v outside [0, 1]", score)
			}
			if got := score >= m.Threshold(); got != tt.debt {
				t.Errorf("Score = %.3f (threshold %.3f, words %q), want debt=%v", score, m.Threshold(), words, tt.debt)
			}
			if len(words) > 5 {
				t.Errorf("words = %q, want at most 5", words)
			}
			if tt.anyWord != nil && !slices.ContainsFunc(words, func(w string) bool { return slices.Contains(tt.anyWord, w) }) {
				t.Errorf("words = %q, want one of %q", words, tt.anyWord)
			}
			for _, w := range words {
				if !strings.Contains(strings.ToLower(tt.title+" "+tt.body), strings.Fields(w)[0]) {
					t.Errorf("word %q is not from the issue's text", w)
				}
			}
		})
	}
}

func TestDebtScoreEmpty(t *testing.T) {
	score, words := DefaultDebtModel().Score("", "")
	if score <= 0 || score >= 1 {
		t.Errorf("Score of nothing = %v, want inside (0, 1)", score)
	}
	if len(words) != 0 {
		t.Errorf("words of nothing = %q", words)
	}
}

func TestLoadDebtModelErrors(t *testing.T) {
	tests := []struct {
		name, json string
	}{
		{"not json", "{"},
		{"no version", `{"threshold":0.5,"terms":[]}`},
		{"bad threshold", `{"version":"x","threshold":1.5,"terms":[]}`},
		{"bad term", `{"version":"x","threshold":0.5,"terms":[["a",1]]}`},
		{"duplicate term", `{"version":"x","threshold":0.5,"terms":[["a",1,1],["a",1,1]]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := LoadDebtModel(strings.NewReader(tt.json)); err == nil {
				t.Error("LoadDebtModel succeeded, want an error")
			}
		})
	}
}

// toyExamples are made-up issues of two projects, enough to train on.
func toyExamples() []DebtExample {
	debt := []string{
		"Refactor the %s module and remove dead code",
		"Clean up unused imports in %s",
		"Remove the deprecated %s API",
		"Fix the flaky %s test",
		"Simplify the duplicated %s logic",
		"Fix javadoc typos in %s",
	}
	feature := []string{
		"Add support for %s headers",
		"New %s component for consuming messages",
		"Allow configuring the %s timeout",
		"%s consumer loses messages on restart",
		"Support streaming in the %s producer",
		"Expose %s metrics over JMX",
	}
	var out []DebtExample
	for gi, group := range []string{"alpha", "beta"} {
		for _, thing := range []string{"Kafka", "JMS", "HTTP", "FTP", "region server", "scheduler"} {
			for k := range debt {
				out = append(out,
					DebtExample{Title: fmt.Sprintf(debt[(k+gi)%len(debt)], thing), Body: "It has bothered us for a while.", Debt: true, Group: group},
					DebtExample{Title: fmt.Sprintf(feature[(k+gi)%len(feature)], thing), Body: "Users asked for it.", Group: group},
				)
			}
		}
		out = append(out, DebtExample{Body: "we should clean this up later, it is a hack", Debt: true, Group: group, Aux: true, Weight: 0.5})
	}
	return out
}

func TestTrainDebtModel(t *testing.T) {
	opt := DebtTrainOptions{Version: "techdebt-test", StopWords: true, MinGroups: 2, Iterations: 200, Seed: 1}
	m, err := TrainDebtModel(toyExamples(), opt)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		title string
		debt  bool
	}{
		{"Refactor the AMQP module and remove dead code", true},
		{"Remove unused code in the SMTP client", true},
		{"Add support for AMQP headers", false},
		{"New SMTP component for consuming messages", false},
	}
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			score, words := m.Score(tt.title, "Reported by a user.")
			if got := score >= m.Threshold(); got != tt.debt {
				t.Errorf("Score = %.3f (threshold %.3f, words %q), want debt=%v", score, m.Threshold(), words, tt.debt)
			}
		})
	}

	t.Run("round trip", func(t *testing.T) {
		var b bytes.Buffer
		if err := m.WriteJSON(&b); err != nil {
			t.Fatal(err)
		}
		back, err := LoadDebtModel(bytes.NewReader(b.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if back.Version() != m.Version() || back.Threshold() != m.Threshold() {
			t.Errorf("read back %s/%v, wrote %s/%v", back.Version(), back.Threshold(), m.Version(), m.Threshold())
		}
		for _, tt := range tests {
			s1, w1 := m.Score(tt.title, "")
			s2, w2 := back.Score(tt.title, "")
			if s1 != s2 || !slices.Equal(w1, w2) {
				t.Errorf("%q: trained model scores %v %q, read back %v %q", tt.title, s1, w1, s2, w2)
			}
		}
	})

	t.Run("deterministic", func(t *testing.T) {
		var a, b bytes.Buffer
		if err := m.WriteJSON(&a); err != nil {
			t.Fatal(err)
		}
		again, err := TrainDebtModel(toyExamples(), opt)
		if err != nil {
			t.Fatal(err)
		}
		if err := again.WriteJSON(&b); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Error("training twice on the same examples gave different model bytes")
		}
	})
}

func TestTrainDebtModelNoExamples(t *testing.T) {
	if _, err := TrainDebtModel(nil, DebtTrainOptions{Version: "x"}); err == nil {
		t.Error("TrainDebtModel(nil) succeeded, want an error")
	}
}

func TestBestF1Threshold(t *testing.T) {
	tests := []struct {
		name   string
		scored []scoredLabel
		lo, hi float64 // the threshold must fall in [lo, hi)
	}{
		{"separable", []scoredLabel{{0.9, true}, {0.8, true}, {0.3, false}, {0.1, false}}, 0.3, 0.8},
		{"one positive below a negative", []scoredLabel{{0.9, true}, {0.7, false}, {0.6, true}, {0.2, false}}, 0.2, 0.6},
		{"ties are not split", []scoredLabel{{0.5, true}, {0.5, false}, {0.1, false}}, 0.1, 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			th := bestF1Threshold(tt.scored)
			if th < tt.lo || th >= tt.hi {
				t.Errorf("threshold %v, want in [%v, %v)", th, tt.lo, tt.hi)
			}
		})
	}
}

func TestAdmitsDebt(t *testing.T) {
	tests := []struct {
		comment string
		want    bool
		phrase  string
	}{
		{"This is a workaround for now, we should clean this up later.", true, "workaround for now"},
		{"Committed a temporary fix; the real one needs the new API.", true, "temporary fix"},
		{"// TODO: handle the retry case", true, "todo"},
		{"It's a bit of a HACK but it works", true, "hack"},
		{"Adds more technical debt to the client.", true, "technical debt"},
		{"Let's clean up later once 2.0 is out", true, "clean up later"},
		{"The old method is now unused.", true, "unused"},
		{"+1, looks good. Committed to trunk.", false, ""},
		{"Thanks for the patch!", false, ""},
		{"Hackathon results are in", false, ""},      // word boundary
		{"I have no todos on this one", false, ""},   // todos is not TODO
		{"See the stack trace attached.", false, ""}, // nothing admitted
	}
	for _, tt := range tests {
		t.Run(tt.comment, func(t *testing.T) {
			got, phrase := AdmitsDebt(tt.comment)
			if got != tt.want || phrase != tt.phrase {
				t.Errorf("AdmitsDebt = %v, %q; want %v, %q", got, phrase, tt.want, tt.phrase)
			}
		})
	}
}

// benchIssues are issues of the shape the analyzer meets: a title and a
// body of a few sentences with some markup.
var benchIssues = [][2]string{
	{"Refactor the legacy connection pool", benchText},
	{"Add support for Kafka headers", "Users would like to map Kafka record headers to Camel message headers and back. See [the docs|https://kafka.apache.org/documentation/] for the header API."},
	{"NPE in RegionServer when the WAL is closed", "{noformat}java.lang.NullPointerException\n\tat org.apache.hadoop.hbase.regionserver.HRegion.close(HRegion.java:1234){noformat}\nHappens on shutdown when a flush is running."},
	{"Upgrade Jetty to 9.4.51", ""},
}

func BenchmarkScore(b *testing.B) {
	m := DefaultDebtModel()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		is := benchIssues[i%len(benchIssues)]
		m.Score(is[0], is[1])
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "issues/s")
}

func BenchmarkAdmitsDebt(b *testing.B) {
	comments := []string{
		"+1, looks good. Committed to trunk. Thanks for the patch, and for the tests!",
		"This is a workaround for now, we should clean this up later.",
		"I verified both test failures. They are not related to the patch imo. In the first case the test took too long.",
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		AdmitsDebt(comments[i%len(comments)])
		i++
	}
}
