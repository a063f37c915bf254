package analyzer

import (
	"testing"

	"github.com/ladderhq/ladder"
)

// textScore is the normalised relevance of an issue to one goal.
func textScore(t *testing.T, goals []ladder.Goal, goal int, title, body string) float64 {
	t.Helper()
	x := newGoalIndex(goals)
	queries := func(text string) []int32 {
		var q []int32
		for _, stem := range Tokenize(text) {
			q = append(q, x.queryOf(stem))
		}
		return q
	}
	ms := x.match(queries(title), queries(body), []int{goal}, 0, x.scratch(), nil)
	if len(ms) == 0 {
		return 0
	}
	return ms[0].score
}

func TestTextRelevance(t *testing.T) {
	goals := testConfig().Goals
	const checkout = 2 // pay-checkout: "One-page checkout", keywords checkout, cart, payment form
	tests := []struct {
		name        string
		title, body string
		min, max    float64
	}{
		{"keyword in the title", "Checkout button misaligned", "", 0.6, 0.8},
		{"same keyword only in the body", "Button misaligned", "It sits on the checkout screen.", 0.3, 0.4},
		{"two keywords in the body", "Button misaligned", "The cart total on checkout is wrong.", 0.6, 0.9},
		{"the whole core in the title", "Checkout cart payment form", "", 1, 1},
		{"nothing in common", "Quarterly offsite", "Book the venue.", 0, 0},
		{"only description words never align", "Customers buy more", "", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := textScore(t, goals, checkout, tt.title, tt.body)
			if got < tt.min || got > tt.max {
				t.Errorf("score = %.3f, want %.2f..%.2f", got, tt.min, tt.max)
			}
		})
	}
}

func TestTextRelevanceOrdering(t *testing.T) {
	goals := testConfig().Goals
	const checkout = 2
	score := func(title, body string) float64 { return textScore(t, goals, checkout, title, body) }
	tests := []struct {
		name          string
		higher, lower [2]string
	}{
		{"title weighs more than body", [2]string{"Cart total wrong", ""}, [2]string{"Total wrong", "in the cart"}},
		{"a phrase together beats its words apart", [2]string{"Fix", "the payment form"}, [2]string{"Fix", "payment retries on the form"}},
		{"more keywords score higher", [2]string{"Fix", "cart and checkout"}, [2]string{"Fix", "the cart"}},
		{"repeating a word adds nothing", [2]string{"Fix", "cart checkout"}, [2]string{"Fix", "cart cart cart cart"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, l := score(tt.higher[0], tt.higher[1]), score(tt.lower[0], tt.lower[1])
			if h <= l {
				t.Errorf("%q scores %.3f, not above %q at %.3f", tt.higher, h, tt.lower, l)
			}
		})
	}
}

// The threshold is inclusive: an issue scoring exactly the threshold aligns.
func TestAlignThresholdEdge(t *testing.T) {
	is := jira("PAY-4", "Button misaligned", body("The cart total on checkout is wrong."))
	s := textScore(t, testConfig().Goals, 2, is.Title, is.Body)
	if s <= 0 || s >= 1 {
		t.Fatalf("score %.3f leaves no room for the edge", s)
	}
	for _, tc := range []struct {
		name    string
		thr     float64
		aligned bool
	}{
		{"at the score", s, true},
		{"just above", s + 1e-6, false},
		{"just below", s - 1e-6, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig()
			cfg.AlignThreshold = tc.thr
			vs, _ := analyze(t, cfg, []ladder.Issue{is})
			if v := vs["jira:PAY-4"]; v.Aligned != tc.aligned {
				t.Errorf("threshold %.6f, score %.6f: aligned = %v, want %v", tc.thr, s, v.Aligned, tc.aligned)
			}
		})
	}
}

func TestDefaultThresholdReadsLikeAPM(t *testing.T) {
	tests := []struct {
		title, body string
		aligned     bool
	}{
		{"Checkout button misaligned", "", true},
		{"Button misaligned", "The cart total on checkout is wrong.", true},
		{"Button misaligned", "It sits on the checkout screen.", false},
		{"Fix page layout", "", false}, // "page" is only a title word of the goal
	}
	for _, tt := range tests {
		is := jira("PAY-4", tt.title, body(tt.body))
		vs, _ := analyze(t, testConfig(), []ladder.Issue{is})
		if v := vs["jira:PAY-4"]; v.Aligned != tt.aligned {
			t.Errorf("%q / %q: aligned = %v, want %v (%q)", tt.title, tt.body, v.Aligned, tt.aligned, v.Reasons)
		}
	}
}
