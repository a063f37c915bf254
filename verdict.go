package ladder

import "time"

// Category is what kind of work an issue is.
type Category string

const (
	Feature     Category = "feature"
	Bug         Category = "bug"
	TechDebt    Category = "tech_debt"
	Maintenance Category = "maintenance"
)

// GoalMatch is one goal an issue ladders up to, with the path of evidence
// that connects them: "label goal:checkout → pay-checkout → self-serve",
// "epic PAY-1 → pay-checkout → self-serve", "text 0.41: checkout, cart".
type GoalMatch struct {
	ID    string  `json:"id"`
	Score float64 `json:"score"`
	Path  string  `json:"path"`
	// Company is the company goal this match ladders up to, if any.
	Company string `json:"company,omitempty"`
}

// Dependency is an issue this one waits on, or that waits on it, with the
// other side's team and whether the other side ladders up to one of its own
// team's goals (if it does not, nobody may ever schedule it).
type Dependency struct {
	Ref
	Title     string   `json:"title,omitempty"`
	Team      string   `json:"team"`
	Kind      LinkKind `json:"kind"`
	Open      bool     `json:"open"`
	Via       string   `json:"via"`
	CrossTeam bool     `json:"cross_team"`
	// Known is false when the other issue is not in the store (another
	// tracker or project Ladder does not sync); Team, Open and goals are then unknown.
	Known bool `json:"known"`
	// OtherGoals are the goals of the other issue's own team it ladders up to.
	OtherGoals   []string `json:"other_goals,omitempty"`
	OtherAligned bool     `json:"other_aligned"`
}

// Verdict is the analyzer's judgement of one issue. Every label carries the
// reasons that produced it.
type Verdict struct {
	Ref
	Title    string         `json:"title,omitempty"`
	URL      string         `json:"url,omitempty"`
	Team     string         `json:"team"` // "" when no rule assigns one
	Quarter  string         `json:"quarter,omitempty"`
	Status   StatusCategory `json:"status,omitempty"`
	Estimate *float64       `json:"estimate,omitempty"`

	Category      Category `json:"category"`
	TechDebt      bool     `json:"tech_debt"`
	TechDebtScore float64  `json:"tech_debt_score"`

	Aligned bool        `json:"aligned"`
	Goals   []GoalMatch `json:"goals"`

	CrossTeam    bool         `json:"cross_team"`
	Dependencies []Dependency `json:"dependencies"`

	DebtAdmitted bool `json:"debt_admitted"`
	// Overlaps are issues of other teams that look like the same work.
	Overlaps []Overlap `json:"overlaps,omitempty"`

	// Reasons say in words what produced each label, each with the kind of
	// label it explains.
	Reasons Reasons `json:"reasons"`
}

// ReasonKind says which part of a verdict a reason explains. A report places
// each reason next to that part by its kind alone, never by its words, so
// rewording a reason cannot move it.
type ReasonKind string

const (
	// ReasonTeam says why the issue has its team, or why it has none.
	ReasonTeam ReasonKind = "team"
	// ReasonCategory says why the issue is tech debt, a bug, maintenance or
	// a feature.
	ReasonCategory ReasonKind = "category"
	// ReasonGoal names one goal the issue ladders up to and the path of
	// evidence to it: what the verdict's Goals say.
	ReasonGoal ReasonKind = "goal"
	// ReasonUnaligned says what evidence of a goal was looked for and not
	// found.
	ReasonUnaligned ReasonKind = "unaligned"
	// ReasonDependency is one of the verdict's Dependencies in words.
	ReasonDependency ReasonKind = "dependency"
	// ReasonOverlap is one of the verdict's Overlaps in words.
	ReasonOverlap ReasonKind = "overlap"
	// ReasonDebtAdmitted quotes the comment that admitted new debt.
	ReasonDebtAdmitted ReasonKind = "debt_admitted"
)

// Reason is one piece of a verdict's evidence: what it explains (Kind) and
// the analyzer's sentence (Text). A reason without a kind explains nothing in
// particular; a report shows it apart.
type Reason struct {
	Kind ReasonKind
	Text string
}

func (r Reason) String() string { return r.Text }

// Reasons are a verdict's reasons. In JSON they are the list of their
// texts, the shape verdicts have always had; the kinds are for placing them.
type Reasons []Reason

// Texts returns the reasons' texts in order.
func (rs Reasons) Texts() []string {
	if rs == nil {
		return nil
	}
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Text
	}
	return out
}

// MarshalText is the reason's text: encoding/json writes a reason as the
// JSON string of its text, quoted and escaped exactly as a string of that
// text would be, so a verdict's reasons read as a list of strings.
func (r Reason) MarshalText() ([]byte, error) { return []byte(r.Text), nil }

// UnmarshalText reads a reason's text. The kind is not in JSON: a reason
// read back has none.
func (r *Reason) UnmarshalText(b []byte) error {
	*r = Reason{Text: string(b)}
	return nil
}

// Overlap is a pair of issues in different teams that describe the same work.
type Overlap struct {
	A     Ref      `json:"a"`
	ATeam string   `json:"a_team"`
	B     Ref      `json:"b"`
	BTeam string   `json:"b_team"`
	Score float64  `json:"score"`
	Words []string `json:"words,omitempty"`
}

// Summary is the team/quarter report built from all verdicts.
type Summary struct {
	GeneratedAt time.Time     `json:"generated_at"`
	Teams       []TeamQuarter `json:"teams"`
	// UnknownTeam lists issues no team owns, at most the list limit;
	// UnknownTeamTotal counts them all.
	UnknownTeam      []Ref      `json:"unknown_team,omitempty"`
	UnknownTeamTotal int        `json:"unknown_team_total"`
	Dependencies     DepSummary `json:"dependencies"`
	// Overlaps are the strongest possible duplicates, at most a hundred;
	// OverlapsTotal counts them all.
	Overlaps      []Overlap `json:"overlaps,omitempty"`
	OverlapsTotal int       `json:"overlaps_total,omitempty"`
	Goals         []Goal    `json:"-"`
}

// TeamQuarter aggregates one team's issues in one fiscal quarter.
type TeamQuarter struct {
	Team    string `json:"team"`
	Quarter string `json:"quarter"`
	// Issues counts issues; Estimated counts those with an estimate, whose
	// story points add up to Points.
	Issues    int     `json:"issues"`
	Estimated int     `json:"estimated"`
	Points    float64 `json:"points"`

	Goals     []GoalShare `json:"goals"`
	Unaligned Share       `json:"unaligned"`
	// UnalignedIssues lists the unaligned issues (open ones first).
	UnalignedIssues []IssueLine `json:"unaligned_issues,omitempty"`

	Debt       Share  `json:"debt"`
	DebtTarget Band   `json:"debt_target"`
	DebtStatus string `json:"debt_status"` // below | within | above | no target
	// DebtPaid counts debt issues done in the quarter; DebtAdmitted counts
	// issues whose comments admitted new debt.
	DebtPaid     int `json:"debt_paid"`
	DebtAdmitted int `json:"debt_admitted"`
}

// Share is a slice of a TeamQuarter by count and by estimate.
type Share struct {
	Issues        int     `json:"issues"`
	Points        float64 `json:"points"`
	ShareCount    float64 `json:"share_count"`
	ShareEstimate float64 `json:"share_estimate"` // of estimated issues only
}

// GoalShare is the part of a team's quarter that ladders up to one goal.
type GoalShare struct {
	Goal  string `json:"goal"`
	Title string `json:"title"`
	Share
}

// IssueLine is an issue as a report lists it.
type IssueLine struct {
	Ref
	Title  string         `json:"title"`
	Status StatusCategory `json:"status"`
	URL    string         `json:"url,omitempty"`
}

// DepSummary is the cross-team dependency picture.
type DepSummary struct {
	// Pairs counts open cross-team blockers per (waiting team, blocking team).
	Pairs []TeamPair `json:"pairs"`
	// Cycles are strongly connected components of the waits-on graph.
	Cycles [][]Ref `json:"cycles,omitempty"`
	// LongestChain is the longest chain of open waits-on edges.
	LongestChain []Ref `json:"longest_chain,omitempty"`
	// Uncovered are open cross-team blockers that no goal of their own team
	// covers, at most the list limit (by blocker); UncoveredTotal counts them
	// all.
	Uncovered      []Blocker `json:"uncovered,omitempty"`
	UncoveredTotal int       `json:"uncovered_total"`
}

// TeamPair counts open blockers from one team on another.
type TeamPair struct {
	Waiting  string `json:"waiting"`
	Blocking string `json:"blocking"`
	Open     int    `json:"open"`
	// Uncovered counts the open blockers no goal of the blocking team covers.
	Uncovered int `json:"uncovered"`
	// Blockers lists the open blockers, at most the list limit (by waiting
	// issue); Open counts them all.
	Blockers []Blocker `json:"blockers"`
}

// Blocker is one open cross-team wait: Waiting waits on Blocker.
type Blocker struct {
	Waiting      IssueLine `json:"waiting"`
	WaitingTeam  string    `json:"waiting_team"`
	Blocker      IssueLine `json:"blocker"`
	BlockerTeam  string    `json:"blocker_team"`
	BlockerGoals []string  `json:"blocker_goals,omitempty"`
}
