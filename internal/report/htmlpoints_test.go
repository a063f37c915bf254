package report

import (
	"strings"
	"testing"
)

// TestHTMLGroupsThousandsOfPoints: story points are written as issue
// counts are, "13,142.5 points" beside "2,436 estimated", in the team's
// heading, its goal table and the goal tree.
func TestHTMLGroupsThousandsOfPoints(t *testing.T) {
	s := fixtureSummary()
	tq := &s.Teams[3] // payments FY2027-Q1, the page's quarter
	tq.Estimated, tq.Points = 2436, 13142.5
	tq.Unaligned.Points = 1234
	page := render(t, HTML, s, fixtureOptions())
	for _, want := range []string{"2,436 estimated (13,142.5 points)", `<td class="n narrow-hide">1,234</td>`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, bad := range []string{"13142", ">1234<"} {
		if strings.Contains(page, bad) {
			t.Errorf("page writes %q without a thousands separator", bad)
		}
	}
}

func TestPointsGrouped(t *testing.T) {
	tests := []struct {
		name string
		in   float64
		want string
	}{
		{"small", 42, "42"},
		{"a decimal", 2.5, "2.5"},
		{"thousands", 12264, "12,264"},
		{"thousands and a decimal", 13142.46, "13,142.5"},
		{"a million", 1234567, "1,234,567"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pointsGrouped(tt.in); got != tt.want {
				t.Errorf("pointsGrouped(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
