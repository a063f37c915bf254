package sandbox

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
)

func TestSyntheticCountsAndShape(t *testing.T) {
	tests := []struct {
		name string
		n    int
		seed int64
	}{
		{"empty", 0, 1},
		{"one", 1, 1},
		{"small", 7, 42},
		{"thousand", 1000, 42},
		{"other seed", 5000, -9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gh, jira := Synthetic(tt.n, tt.seed, testNow)
			if got := len(gh) + len(jira); got != tt.n {
				t.Fatalf("Synthetic(%d) returned %d issues", tt.n, got)
			}
			if tt.n >= 1000 {
				if share := float64(len(gh)) / float64(tt.n); share < 0.35 || share > 0.45 {
					t.Errorf("GitHub share = %.2f, want about 0.4", share)
				}
			}
			all := slices.Concat(gh, jira)
			keys := map[ladder.Ref]*ladder.Issue{}
			for i := range all {
				is := &all[i]
				if keys[is.Ref] != nil {
					t.Fatalf("duplicate key %v", is.Ref)
				}
				keys[is.Ref] = is
			}
			var blocked, parents, estimated, jiraN int
			for _, is := range all {
				checkSyntheticIssue(t, is, testNow)
				for _, l := range is.Links {
					if keys[l.To] == nil {
						t.Errorf("%v links to %v, which is not among the %d issues", is.Ref, l.To, tt.n)
					}
					if l.To.Tracker != is.Tracker {
						t.Errorf("%v has a native link into another tracker: %v", is.Ref, l.To)
					}
					blocked++
				}
				if is.Parent != "" {
					parents++
					p := keys[ladder.Ref{Tracker: is.Tracker, Key: is.Parent}]
					if p == nil {
						t.Errorf("%v names parent %s, which is not among the issues", is.Ref, is.Parent)
					} else if p.Project != is.Project {
						t.Errorf("%v (project %s) has parent %s in project %s", is.Ref, is.Project, p.Key, p.Project)
					}
				}
				if is.Tracker == JiraTracker {
					jiraN++
					if is.Estimate != nil {
						estimated++
					}
				}
			}
			if tt.n >= 1000 {
				if f := float64(blocked) / float64(tt.n); f < 0.06 || f > 0.14 {
					t.Errorf("%.3f of issues have a blocked_by link, want about 0.10", f)
				}
				if f := float64(parents) / float64(tt.n); f < 0.03 || f > 0.10 {
					t.Errorf("%.3f of issues have a parent, want about 0.05", f)
				}
				if f := float64(estimated) / float64(jiraN); f < 0.75 || f > 0.95 {
					t.Errorf("%.2f of Jira issues are estimated, want most", f)
				}
			}
		})
	}
}

func checkSyntheticIssue(t *testing.T, is ladder.Issue, now time.Time) {
	t.Helper()
	switch {
	case is.Title == "" || is.Body == "":
		t.Errorf("%v: empty title or body", is.Ref)
	case is.Created.After(now) || is.Updated.Before(is.Created) || is.Updated.After(now):
		t.Errorf("%v: created %v, updated %v, now %v", is.Ref, is.Created, is.Updated, now)
	case len(is.Comments) < 2 || len(is.Comments) > 3:
		t.Errorf("%v: %d comments, want 2 or 3", is.Ref, len(is.Comments))
	case (is.StatusCategory == ladder.StatusDone) != (is.Resolved != nil):
		t.Errorf("%v: status %s with resolved %v", is.Ref, is.StatusCategory, is.Resolved)
	case is.Estimate != nil && *is.Estimate <= 0:
		t.Errorf("%v: estimate %v; unknown must be nil, never 0", is.Ref, *is.Estimate)
	case is.Tracker == GitHubTracker && is.Estimate != nil:
		t.Errorf("%v: GitHub issue with an estimate", is.Ref)
	}
}

func TestSyntheticDeterministic(t *testing.T) {
	gh1, jira1 := Synthetic(500, 7, testNow)
	gh2, jira2 := Synthetic(500, 7, testNow)
	if !reflect.DeepEqual(gh1, gh2) || !reflect.DeepEqual(jira1, jira2) {
		t.Fatal("Synthetic(500, 7, now) differs between two calls")
	}
	gh3, _ := Synthetic(500, 8, testNow)
	if reflect.DeepEqual(gh1, gh3) {
		t.Error("seeds 7 and 8 give the same issues")
	}
	// A longer run extends a shorter one: issue i does not depend on n.
	gh4, jira4 := Synthetic(800, 7, testNow)
	if !reflect.DeepEqual(gh1, gh4[:len(gh1)]) || !reflect.DeepEqual(jira1, jira4[:len(jira1)]) {
		t.Error("Synthetic(500) is not a prefix of Synthetic(800)")
	}
}

func TestSyntheticIssueMatchesSynthetic(t *testing.T) {
	gh, jira := Synthetic(200, 3, testNow)
	var gi, ji int
	for i := range 200 {
		got := SyntheticIssue(i, 3, testNow)
		var want ladder.Issue
		if got.Tracker == GitHubTracker {
			want, gi = gh[gi], gi+1
		} else {
			want, ji = jira[ji], ji+1
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("SyntheticIssue(%d) = %v, Synthetic has %v", i, got.Ref, want.Ref)
		}
	}
}

// BenchmarkSyntheticIssue reports generated issues per second; the
// analyzer's million-issue benchmarks need well over 200k/s.
func BenchmarkSyntheticIssue(b *testing.B) {
	now := time.Date(2026, 5, 20, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_ = SyntheticIssue(i, 1, now)
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "issues/s")
}

func BenchmarkSynthetic10k(b *testing.B) {
	now := time.Date(2026, 5, 20, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		Synthetic(10000, 1, now)
	}
	b.ReportMetric(10000*float64(b.N)/b.Elapsed().Seconds(), "issues/s")
}

func BenchmarkSampleOrg(b *testing.B) {
	now := time.Date(2026, 5, 20, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		SampleOrg(now)
	}
}
