package ladder

import (
	"fmt"
	"time"
)

// Team is a group that owns work. Ownership comes first from what the team
// owns in the trackers (Jira projects and components, GitHub repos, labels),
// then from its members as assignees.
type Team struct {
	Name           string
	JiraProjects   []string
	Components     []string
	GitHubRepos    []string
	Labels         []string
	Members        []string
	TechDebtTarget Band
}

// Band is an inclusive target range for a share, 0..1. A zero Band has no target.
type Band struct {
	Min float64 `json:"min"`
	Max float64 `json:"max"`
}

// IsZero reports whether no target was set.
func (b Band) IsZero() bool { return b.Min == 0 && b.Max == 0 }

// Goal is a company goal (Team empty) or a team goal that names its Parent.
type Goal struct {
	ID          string
	Title       string
	Description string
	Team        string
	Parent      string
	Quarter     string
	Keywords    []string
	Labels      []string
	Epics       []string // issue keys of epics that serve this goal
}

// IsCompany reports whether g belongs to the company rather than one team.
func (g Goal) IsCompany() bool { return g.Team == "" }

// Quarter is one quarter of a fiscal year. FY is named after the calendar
// year in which the fiscal year ends, so with a February start, February 2026
// is FY2027-Q1; with a January start, fiscal and calendar years coincide.
type Quarter struct {
	FY int
	Q  int // 1..4
}

func (q Quarter) String() string { return fmt.Sprintf("FY%d-Q%d", q.FY, q.Q) }

// IsZero reports whether q is unset.
func (q Quarter) IsZero() bool { return q.FY == 0 }

// QuarterOf returns the fiscal quarter containing t for a fiscal year that
// starts in startMonth (1..12).
func QuarterOf(t time.Time, startMonth time.Month) Quarter {
	if startMonth < 1 || startMonth > 12 {
		startMonth = 1
	}
	m, y := t.Month(), t.Year()
	offset := (int(m) - int(startMonth) + 12) % 12
	fy := y
	if startMonth != 1 && m >= startMonth {
		fy = y + 1
	}
	return Quarter{FY: fy, Q: offset/3 + 1}
}

// ParseQuarter reads "FY2027-Q1".
func ParseQuarter(s string) (Quarter, error) {
	var q Quarter
	if _, err := fmt.Sscanf(s, "FY%d-Q%d", &q.FY, &q.Q); err != nil || q.Q < 1 || q.Q > 4 || q.FY < 1000 {
		return Quarter{}, fmt.Errorf("quarter %q: want FYyyyy-Qn, e.g. FY2027-Q1", s)
	}
	return q, nil
}

// Prev returns the quarter before q.
func (q Quarter) Prev() Quarter {
	if q.Q == 1 {
		return Quarter{FY: q.FY - 1, Q: 4}
	}
	return Quarter{FY: q.FY, Q: q.Q - 1}
}

// Start returns the first instant of q in loc for a fiscal year starting in startMonth.
func (q Quarter) Start(startMonth time.Month, loc *time.Location) time.Time {
	if startMonth < 1 || startMonth > 12 {
		startMonth = 1
	}
	year := q.FY
	if startMonth != 1 {
		year = q.FY - 1
	}
	return time.Date(year, startMonth+time.Month(3*(q.Q-1)), 1, 0, 0, 0, 0, loc)
}
