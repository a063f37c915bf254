package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/ladderhq/ladder"
)

type renderer func(io.Writer, *ladder.Summary, Options) error

var renderers = []struct {
	name   string
	render renderer
}{
	{"md", Markdown},
	{"html", HTML},
	{"json", JSON},
}

func render(t *testing.T, r renderer, s *ladder.Summary, o Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := r(&buf, s, o); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestReportGolden(t *testing.T) {
	for _, r := range []struct {
		name   string
		render renderer
		file   string
	}{
		{"markdown", Markdown, "report.md.golden"},
		{"jira wiki", JiraWiki, "report.jira.golden"},
		{"json", JSON, "report.json.golden"},
	} {
		t.Run(r.name, func(t *testing.T) {
			got := render(t, r.render, fixtureSummary(), fixtureOptions())
			golden(t, r.file, []byte(got))
			if again := render(t, r.render, fixtureSummary(), fixtureOptions()); again != got {
				t.Errorf("two renderings differ:\n%s", Diff(got, again))
			}
		})
	}
}

// TestReportContent checks what every format must say about the fixture.
func TestReportContent(t *testing.T) {
	for _, r := range renderers {
		t.Run(r.name, func(t *testing.T) {
			got := render(t, r.render, fixtureSummary(), fixtureOptions())
			for _, want := range []string{
				"FY2027-Q1", "FY2026-Q2", // current quarter and the start of the trend
				"payments", "platform", "search", "growth", "mobile",
				"One-page checkout", "Grow self-serve revenue", // goal and its company goal
				"Token exchange for payments", // an uncovered blocker
				"OPS-9",                       // unknown team
				"acme/search#9",               // an overlap
				"DATA-4",                      // end of the longest chain
			} {
				if !strings.Contains(got, want) {
					t.Errorf("%s report lacks %q", r.name, want)
				}
			}
			if strings.Contains(got, "FY2025-Q4") {
				t.Errorf("%s report shows FY2025-Q4, before the 4-quarter trend", r.name)
			}
		})
	}
}

func TestReportTeamOrder(t *testing.T) {
	v := newView(fixtureSummary(), fixtureOptions())
	var got []string
	for _, tv := range v.Teams {
		got = append(got, tv.Name)
	}
	// Config order first, then teams only the data knows, by name.
	want := []string{"payments", "platform", "search", "growth", "mobile"}
	if !slices.Equal(got, want) {
		t.Errorf("teams %v, want %v", got, want)
	}
	if v.Quarter.String() != "FY2027-Q1" {
		t.Errorf("quarter %s, want FY2027-Q1 (mid-March with a February fiscal year)", v.Quarter)
	}
}

func TestReportQuarters(t *testing.T) {
	tests := []struct {
		name     string
		now      time.Time
		fyStart  time.Month
		quarters int
		want     []string
	}{
		{"default four, February year", time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC), time.February, 0,
			[]string{"FY2026-Q2", "FY2026-Q3", "FY2026-Q4", "FY2027-Q1"}},
		{"calendar year across new year", time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), time.January, 3,
			[]string{"FY2025-Q3", "FY2025-Q4", "FY2026-Q1"}},
		{"one quarter", time.Date(2025, 11, 30, 0, 0, 0, 0, time.UTC), time.July, 1, []string{"FY2026-Q2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newView(&ladder.Summary{}, Options{Now: tt.now, FiscalYearStartMonth: tt.fyStart, Quarters: tt.quarters})
			var got []string
			for _, q := range v.Quarters {
				got = append(got, q.String())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("quarters %v, want %v", got, tt.want)
			}
		})
	}
}

// TestReportEmpty renders a store with nothing in it, and a nil summary:
// every format must still produce a valid document that says so.
func TestReportEmpty(t *testing.T) {
	clocks := []Options{{Now: time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)}, {}}
	for _, s := range []*ladder.Summary{nil, {}} {
		for _, o := range clocks {
			for _, r := range renderers {
				t.Run(r.name, func(t *testing.T) {
					got := render(t, r.render, s, o)
					if strings.Contains(got, "FY0") {
						t.Errorf("%s report names a quarter of year 0:\n%s", r.name, got)
					}
					switch r.name {
					case "json":
						var doc map[string]any
						if err := json.Unmarshal([]byte(got), &doc); err != nil {
							t.Fatalf("invalid JSON: %v", err)
						}
						for _, k := range []string{"teams", "headline", "goals", "overlaps", "unknown_team"} {
							if _, ok := doc[k].([]any); !ok {
								t.Errorf("%q is %v, want an empty list", k, doc[k])
							}
						}
					case "html":
						parseHTML(t, got)
						fallthrough
					default:
						if !strings.Contains(got, "No teams and no issues yet") {
							t.Errorf("empty %s report does not say it is empty:\n%s", r.name, got)
						}
					}
				})
			}
		}
	}
}

// TestReportInert feeds hostile titles, team names and words through the
// reports: Markdown must stay inert like a comment (it is posted to the
// summary issue) and HTML must escape everything.
func TestReportInert(t *testing.T) {
	s := fixtureSummary()
	s.Teams[3].UnalignedIssues[0].Title = hostile
	s.Teams[3].Goals[0].Title = hostile
	s.Dependencies.Uncovered[0].Blocker.Title = hostile
	s.Dependencies.Uncovered[0].BlockerTeam = "@everyone"
	s.Dependencies.Uncovered[1].Blocker.URL = "javascript:alert(1)"
	s.Overlaps[0].Words = []string{"@everyone", "#1", "<script>x</script>"}
	s.Teams = append(s.Teams, ladder.TeamQuarter{Team: "<script>alert(1)</script> @org/team", Quarter: "FY2027-Q1", Issues: 1, Unaligned: share(1, 1, 0, 0)})
	o := fixtureOptions()
	o.Title = "Report for @everyone #1 <img src=x>"

	t.Run("markdown", func(t *testing.T) {
		got := render(t, Markdown, s, o)
		prose := codeSpan.ReplaceAllString(got, "")
		for _, a := range activeGitHub {
			if a.re.MatchString(prose) {
				t.Errorf("Markdown report keeps an active %s: %q", a.name, a.re.FindString(prose))
			}
		}
		// Tables are the report's own pipes; brackets, backticks and
		// emphasis from issue text must stay escaped.
		if u := unescaped(prose, "[]`~", false); u != "" {
			t.Errorf("Markdown report leaves %q active outside code spans", u)
		}
	})
	t.Run("jira wiki", func(t *testing.T) {
		got := render(t, JiraWiki, s, o)
		for _, a := range activeWiki {
			if a.re.MatchString(got) {
				t.Errorf("wiki report keeps an active %s: %q", a.name, a.re.FindString(got))
			}
		}
		// Tables are the report's own pipes, and {{monospace}} its own
		// braces: strip both, then nothing from issue text may be active.
		var prose strings.Builder
		for _, l := range strings.Split(got, "\n") {
			l = strings.TrimPrefix(strings.TrimPrefix(l, "||"), "|")
			l = strings.TrimSuffix(strings.TrimSuffix(l, "||"), "|")
			prose.WriteString(strings.NewReplacer("||", " ", " | ", " ", "| ", " ", " |", " ").Replace(l) + "\n")
		}
		if u := unescaped(prose.String(), "[]{}!", true); u != "" {
			t.Errorf("wiki report leaves %q active:\n%s", u, got)
		}
		for _, bad := range []string{"[~accountid:abc]", "[click|", "{code}", "@everyone"} {
			if strings.Contains(got, bad) {
				t.Errorf("wiki report contains %q", bad)
			}
		}
		// Issue text never adds a table cell: every row of a table has
		// as many cells as its header.
		cells := -1
		for _, l := range strings.Split(got, "\n") {
			switch {
			case strings.HasPrefix(l, "||"):
				cells = strings.Count(l, "||") - 1
			case strings.HasPrefix(l, "|") && cells > 0:
				if n := countCells(l); n != cells {
					t.Errorf("row has %d cells, header %d: %s", n, cells, l)
				}
			default:
				cells = -1
			}
		}
	})
	t.Run("html", func(t *testing.T) {
		got := render(t, HTML, s, o)
		doc := parseHTML(t, got)
		for _, el := range doc.elements {
			if el == "img" {
				t.Errorf("issue text became a <%s> element", el)
			}
		}
		if doc.scripts > 0 {
			t.Errorf("%d <script> elements", doc.scripts)
		}
		if strings.Contains(got, "javascript:") {
			t.Error("a javascript: URL reached an href")
		}
	})
}

type htmlDoc struct {
	elements []string
	scripts  int
	svgs     int
	// fetches are attributes that make a browser load something.
	fetches []string
	hrefs   []string
	text    string
}

// parseHTML reads the page with encoding/xml in its lenient HTML mode,
// failing the test if the page is not well formed.
func parseHTML(t *testing.T, page string) htmlDoc {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(page))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	var doc htmlDoc
	var text strings.Builder
	var stack []string
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("page does not parse: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(tok.Name.Local)
			doc.elements = append(doc.elements, name)
			stack = append(stack, name)
			switch name {
			case "script":
				doc.scripts++
			case "svg":
				doc.svgs++
			case "link", "iframe", "object", "embed", "img", "video", "audio", "source":
				doc.fetches = append(doc.fetches, "<"+name+">")
			}
			for _, a := range tok.Attr {
				switch strings.ToLower(a.Name.Local) {
				case "src", "srcset", "data", "poster", "background":
					doc.fetches = append(doc.fetches, a.Name.Local+"="+a.Value)
				case "href":
					if name != "a" {
						doc.fetches = append(doc.fetches, name+" href="+a.Value)
					}
					doc.hrefs = append(doc.hrefs, a.Value)
				case "style":
					if strings.Contains(a.Value, "url(") {
						doc.fetches = append(doc.fetches, "style url()")
					}
				}
			}
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			if slices.Contains(stack, "style") {
				if s := string(tok); strings.Contains(s, "url(") || strings.Contains(s, "@import") {
					doc.fetches = append(doc.fetches, "stylesheet url()/@import")
				}
			}
			text.Write(tok)
		}
	}
	doc.text = text.String()
	return doc
}

func TestHTMLSelfContained(t *testing.T) {
	page := render(t, HTML, fixtureSummary(), fixtureOptions())
	doc := parseHTML(t, page)
	if len(doc.fetches) > 0 {
		t.Errorf("page fetches: %v", doc.fetches)
	}
	if doc.scripts > 0 {
		t.Errorf("page has %d <script> elements; it must work without", doc.scripts)
	}
	if !slices.Contains(doc.elements, "style") {
		t.Error("no inline <style>")
	}
	for _, h := range doc.hrefs {
		if !strings.HasPrefix(h, "#") && !regexp.MustCompile(`^https?://`).MatchString(h) {
			t.Errorf("link %q is neither in-page nor http(s)", h)
		}
	}
	// One goal bar and one debt chart per team with issues (growth has none).
	if want := 2 * 4; doc.svgs != want {
		t.Errorf("%d <svg> charts, want %d", doc.svgs, want)
	}
	for _, want := range []string{"Needs attention", "Blockers nobody plans to do", "Open blockers by team pair", "Cycles", "Longest chain", "target 15–25%"} {
		if !strings.Contains(doc.text, want) {
			t.Errorf("page text lacks %q", want)
		}
	}
	// The matrix shades payments → platform, the busiest pair, darkest.
	if !strings.Contains(page, `<td class="m4" title="payments waits on platform: 3 open">3</td>`) {
		t.Error("matrix cell payments → platform is not the darkest")
	}
}

// TestMarkdownFitsAnIssue grows the organisation until the Markdown report
// must shrink to stay under GitHub's 65,536-character issue body.
func TestMarkdownFitsAnIssue(t *testing.T) {
	tests := []struct {
		name     string
		extra    int
		want     string // a sign of how the report shrank
		wantNone string
	}{
		{"fits as is", 0, "**Not aligned to any goal**", "cut here"},
		{"drops issue lists", 40, "## team-039", "**Not aligned to any goal**"},
		{"cut with a pointer", 400, "cut here to fit in an issue", "## team-399"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, o := manyTeamsSummary()
			for i := range tt.extra {
				name := fmt.Sprintf("team-%03d", i)
				o.Teams = append(o.Teams, ladder.Team{Name: name})
				tq := ladder.TeamQuarter{Team: name, Quarter: "FY2027-Q1", Issues: 20, Unaligned: share(20, 20, 0, 0)}
				for k := range 20 {
					tq.UnalignedIssues = append(tq.UnalignedIssues, line("jira", fmt.Sprintf("T%d-%d", i, k), strings.Repeat("long title ", 8), ladder.StatusTodo))
				}
				s.Teams = append(s.Teams, tq)
			}
			got := render(t, Markdown, s, o)
			if n := utf8.RuneCountInString(got); n > 65536 {
				t.Errorf("%d characters, over GitHub's issue body limit", n)
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("report lacks %q", tt.want)
			}
			if strings.Contains(got, tt.wantNone) {
				t.Errorf("report has %q", tt.wantNone)
			}
		})
	}
}

// countCells counts the cells of a wiki table row, skipping escaped pipes.
func countCells(row string) int {
	n := 0
	for i := 0; i < len(row); i++ {
		switch row[i] {
		case '\\':
			i++
		case '|':
			n++
		}
	}
	return n - 1
}

func TestWikiFitsAComment(t *testing.T) {
	s, o := manyTeamsSummary()
	for i := range 400 {
		name := fmt.Sprintf("team-%03d", i)
		o.Teams = append(o.Teams, ladder.Team{Name: name})
		s.Teams = append(s.Teams, ladder.TeamQuarter{Team: name, Quarter: "FY2027-Q1", Issues: 20, Unaligned: share(20, 20, 0, 0)})
	}
	got := render(t, JiraWiki, s, o)
	if n := utf8.RuneCountInString(got); n > 32767 {
		t.Errorf("%d characters, over Jira's comment limit", n)
	}
	if !strings.Contains(got, "cut here to fit in a comment") || !strings.HasPrefix(got, "h1. ") {
		t.Errorf("a report too long for a Jira comment is not cut with a pointer:\n%s", got[len(got)-300:])
	}
}

// TestGoalBar checks the stacked bar of a team's goals: company goals stay
// out (they count their team goals' issues again) and the segments never
// run past the bar, even when an issue serves two team goals.
func TestGoalBar(t *testing.T) {
	tests := []struct {
		name      string
		goals     []ladder.GoalShare
		unaligned ladder.Share
		segments  int
	}{
		{"team goals and the rest", []ladder.GoalShare{{Goal: "pay-checkout", Share: share(6, 10, 0, 0)}, {Goal: "pay-wallets", Share: share(2, 10, 0, 0)}}, share(2, 10, 0, 0), 3},
		{"company goal left out", []ladder.GoalShare{{Goal: "self-serve", Share: share(8, 10, 0, 0)}, {Goal: "pay-checkout", Share: share(8, 10, 0, 0)}}, share(2, 10, 0, 0), 2},
		{"overlapping team goals", []ladder.GoalShare{{Goal: "pay-checkout", Share: share(9, 10, 0, 0)}, {Goal: "pay-wallets", Share: share(7, 10, 0, 0)}}, share(1, 10, 0, 0), 3},
		{"nothing aligned", nil, share(4, 4, 0, 0), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &ladder.Summary{Teams: []ladder.TeamQuarter{{Team: "payments", Quarter: "FY2027-Q1", Issues: 10, Goals: tt.goals, Unaligned: tt.unaligned}}}
			v := newView(s, fixtureOptions())
			ht := newHTMLTeam(0, v.Teams[0], v.Quarter)
			if len(ht.Bar) != tt.segments {
				t.Fatalf("%d segments, want %d: %+v", len(ht.Bar), tt.segments, ht.Bar)
			}
			end := 0.0
			for _, sg := range ht.Bar {
				if sg.X < end-1e-9 {
					t.Errorf("segment %q starts at %.2f, inside the one before", sg.Label, sg.X)
				}
				end = sg.X + sg.W
			}
			if end > 100+1e-9 {
				t.Errorf("bar runs to %.2f of 100", end)
			}
			company := ""
			for _, r := range ht.Rows {
				if r.IsCompany {
					company = r.Goal
				} else if company != "" {
					t.Errorf("company goal %s is listed before team goal %s", company, r.Goal)
				}
			}
		})
	}
}

func TestHTMLManyTeams(t *testing.T) {
	s, o := manyTeamsSummary()
	page := render(t, HTML, s, o)
	doc := parseHTML(t, page)
	if len(doc.fetches) > 0 || doc.scripts > 0 {
		t.Errorf("page fetches %v, has %d scripts", doc.fetches, doc.scripts)
	}
	for _, team := range o.Teams {
		if strings.Count(doc.text, team.Name) < 2 {
			t.Errorf("team %q is missing from the cards or its section", team.Name)
		}
	}
	if !strings.Contains(page, `class="matrix tall"`) {
		t.Error("a matrix of many teams does not turn its column headers")
	}
	v := newView(s, o)
	if len(v.Quarters) != 8 {
		t.Errorf("%d trend quarters, want 8", len(v.Quarters))
	}
}

// TestHTMLDebtChart checks the chart's geometry against the data: the band
// spans its min..max and bars are as tall as their share.
func TestHTMLDebtChart(t *testing.T) {
	v := newView(fixtureSummary(), fixtureOptions())
	for _, tv := range v.Teams {
		if !tv.HasTrend || tv.Band.IsZero() {
			continue
		}
		c := newDebtChart(tv, v.Quarter)
		plot := c.Bottom - c.Top
		scale := plot / c.YMax
		if top := c.Grid[len(c.Grid)-1]; top.Label != pct(c.YMax) || !near(top.Y, c.Top) {
			t.Errorf("%s: top grid line %+v, want %s at the top", tv.Name, top, pct(c.YMax))
		}
		if got, want := c.Band.H/scale, tv.Band.Max-tv.Band.Min; !near(got, want) {
			t.Errorf("%s: band height %.3f of the axis, want %.3f", tv.Name, got, want)
		}
		for i, p := range tv.Trend {
			b := c.Bars[i]
			if b.Has != p.Has {
				t.Fatalf("%s %s: bar present %v, data %v", tv.Name, p.Quarter, b.Has, p.Has)
			}
			share, _ := debtShare(p.TQ)
			if p.Has && !near(b.H/scale, share) && b.H > 1.5 {
				t.Errorf("%s %s: bar %.3f, judged share %.3f", tv.Name, p.Quarter, b.H/scale, share)
			}
			if want := statusColour[p.Status]; p.Has && want != "" && b.Colour != want {
				t.Errorf("%s %s: bar colour %s, want %s for %s", tv.Name, p.Quarter, b.Colour, want, p.Status)
			}
			if p.Has && b.Y < c.Top-0.01 {
				t.Errorf("%s %s: bar rises above the plot", tv.Name, p.Quarter)
			}
		}
	}
}

func near(a, b float64) bool { return a-b < 1e-6 && b-a < 1e-6 }

func TestJSONFields(t *testing.T) {
	got := render(t, JSON, fixtureSummary(), fixtureOptions())
	var doc struct {
		Quarter  string   `json:"quarter"`
		Quarters []string `json:"quarters"`
		Headline []struct {
			Team         string  `json:"team"`
			AlignedShare float64 `json:"aligned_share"`
			DebtStatus   string  `json:"debt_status"`
			WaitsOnOpen  int     `json:"waits_on_open"`
		} `json:"headline"`
		Goals []struct {
			ID, Company string
		} `json:"goals"`
		Teams []struct {
			Team     string               `json:"team"`
			Quarters []ladder.TeamQuarter `json:"quarters"`
		} `json:"teams"`
	}
	if err := json.Unmarshal([]byte(got), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Quarter != "FY2027-Q1" || len(doc.Quarters) != 4 {
		t.Errorf("quarter %q over %v", doc.Quarter, doc.Quarters)
	}
	if len(doc.Headline) != 5 || doc.Headline[0].Team != "payments" || doc.Headline[0].WaitsOnOpen != 3 || doc.Headline[1].DebtStatus != "above" {
		t.Errorf("headline %+v", doc.Headline)
	}
	if a := doc.Headline[0].AlignedShare; !near(a, 17.0/24) {
		t.Errorf("payments aligned share %v, want 17/24", a)
	}
	for _, g := range doc.Goals {
		if g.ID == "plat-api" && g.Company != "reliability" {
			t.Errorf("plat-api ladders up to %q, want reliability", g.Company)
		}
	}
	if n := len(doc.Teams[0].Quarters); n != 4 {
		t.Errorf("payments has %d quarters in the trend, want 4", n)
	}
	// Keys are snake_case throughout.
	keys := regexp.MustCompile(`"([^"]+)":`).FindAllStringSubmatch(got, -1)
	for _, k := range keys {
		if k[1] != strings.ToLower(k[1]) || strings.ContainsAny(k[1], " -") {
			t.Errorf("key %q is not snake_case", k[1])
		}
	}
}

func BenchmarkHTML(b *testing.B) {
	s, o := fixtureSummary(), fixtureOptions()
	for b.Loop() {
		if err := HTML(io.Discard, s, o); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarkdown(b *testing.B) {
	s, o := fixtureSummary(), fixtureOptions()
	for b.Loop() {
		if err := Markdown(io.Discard, s, o); err != nil {
			b.Fatal(err)
		}
	}
}

// TestReportCountsOverlapsItDoesNotList: the summary lists the strongest
// overlaps only; every format says how many there are in all.
func TestReportCountsOverlapsItDoesNotList(t *testing.T) {
	s := fixtureSummary()
	s.OverlapsTotal = 250
	o := fixtureOptions()
	for _, tt := range []struct {
		name   string
		render renderer
		want   string
	}{
		{"markdown", Markdown, "… and 248 more"},
		{"jira wiki", JiraWiki, "… and 248 more"},
		{"html", HTML, "The 2 strongest of 250."},
		{"json", JSON, `"overlaps_total": 250`},
	} {
		got := render(t, tt.render, s, o)
		if !strings.Contains(got, tt.want) {
			t.Errorf("%s report lacks %q", tt.name, tt.want)
		}
		if tt.name != "json" && !strings.Contains(got, "250 possible duplicates") {
			t.Errorf("%s report does not count all 250 overlaps where it needs attention", tt.name)
		}
	}
}

// TestReportCountsListsItDoesNotList: the analyzer lists only the first
// issues without a team and the first uncovered blockers of a large
// backlog; every report counts them all.
func TestReportCountsListsItDoesNotList(t *testing.T) {
	s := fixtureSummary()
	s.UnknownTeamTotal = 5000
	s.Dependencies.UncoveredTotal = 70
	s.Dependencies.Pairs[0].Uncovered = 60
	s.Dependencies.Pairs[3].Uncovered = 10
	o := fixtureOptions()
	for _, tt := range []struct {
		name   string
		render renderer
		want   []string
	}{
		{"markdown", Markdown, []string{"Issues with no team (5,000)", "`OPS-9`, … and 4,997 more", "… and 68 more", "70 open cross-team blockers no goal covers.", "5,000 issues"}},
		{"jira wiki", JiraWiki, []string{"Issues with no team (5,000)", "… and 4,997 more", "… and 68 more", "70 open cross-team blockers no goal covers.", "5,000 issues"}},
		{"html", HTML, []string{"Issues with no team (5,000)", "The first 3 of 5,000, by key:", "The first 2 of 70, in order of the issue waited on.", "70 open cross-team blockers no goal covers.", "5,000 issues"}},
		{"json", JSON, []string{`"unknown_team_total": 5000`, `"uncovered_total": 70`, `"waits_on_uncovered": 60`, `"waits_on_uncovered": 10`}},
	} {
		got := render(t, tt.render, s, o)
		for _, want := range tt.want {
			if !strings.Contains(got, want) {
				t.Errorf("%s report lacks %q", tt.name, want)
			}
		}
	}
}

// TestReportOfASummaryWithoutTotals: a summary from before the analyzer
// counted uncovered blockers per pair and in total still counts them from
// its lists.
func TestReportOfASummaryWithoutTotals(t *testing.T) {
	s := fixtureSummary()
	s.UnknownTeamTotal, s.Dependencies.UncoveredTotal = 0, 0
	for i := range s.Dependencies.Pairs {
		s.Dependencies.Pairs[i].Uncovered = 0
	}
	got := render(t, JSON, s, fixtureOptions())
	for _, want := range []string{`"unknown_team_total": 3`, `"uncovered_total": 2`, `"waits_on_uncovered": 2`} {
		if !strings.Contains(got, want) {
			t.Errorf("json report lacks %q", want)
		}
	}
	if md := render(t, Markdown, s, fixtureOptions()); !strings.Contains(md, "Issues with no team (3)") || !strings.Contains(md, "`acme/sandbox#1`, `OPS-7`, `OPS-9`\n") {
		t.Error("markdown report miscounts the listed issues without a team")
	}
}

// TestReportGoalsWithoutWork: every goal of the quarter appears in every
// format, under its parent, and one nobody works on says so; a goal of
// another quarter does not appear as one of this quarter's.
func TestReportGoalsWithoutWork(t *testing.T) {
	idle := []string{"Launch in the EU", "SEPA Direct Debit", "Localise the web signup"}
	for _, tt := range []struct {
		name   string
		render renderer
		want   []string
	}{
		{"markdown", Markdown, []string{
			"**3 goals with no work yet:** Launch in the EU, SEPA Direct Debit, Localise the web signup.",
			"| Launch in the EU `eu-launch` | _company_ | **no work yet** |",
			"| ↳ SEPA Direct Debit `pay-sepa` | payments | **no work yet** |",
			"| ↳ Localise the web signup `growth-localise` | growth | **no work yet** |",
			"| SEPA Direct Debit `pay-sepa` _no work yet_ | Launch in the EU `eu-launch` |",
			"No work yet on its goal: Localise the web signup `growth-localise`.",
		}},
		{"jira wiki", JiraWiki, []string{
			"|Launch in the EU {{eu-launch}}|_company_|*no work yet*|",
			"|↳ Localise the web signup {{growth-localise}}|growth|*no work yet*|",
		}},
		{"html", HTML, []string{
			`<span class="gname">Launch in the EU <code>eu-launch</code></span><span class="gteam">company goal</span><span class="gwork"><span class="pill nowork">no work yet</span></span>`,
			`<span class="gname"><span class="up-arrow" aria-hidden="true">↳</span>SEPA Direct Debit <code>pay-sepa</code></span><span class="gteam">payments</span><span class="gwork"><span class="pill nowork">no work yet</span></span>`,
			`Localise the web signup <code>growth-localise</code><span class="up"> · ladders up to Launch in the EU</span></span><span class="pill nowork">no work yet</span>`,
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := render(t, tt.render, fixtureSummary(), fixtureOptions())
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("%s report lacks %q", tt.name, w)
				}
			}
			for _, g := range idle {
				if strings.Count(got, g) < 2 {
					t.Errorf("%s report names %q fewer than twice (tree and team)", tt.name, g)
				}
			}
			if strings.Contains(got, "Retire the legacy runner") {
				t.Errorf("%s report shows plat-legacy, a goal of FY2026-Q4, in FY2027-Q1", tt.name)
			}
		})
	}

	t.Run("json", func(t *testing.T) {
		var doc struct {
			Goals []struct {
				ID        string   `json:"id"`
				Parent    string   `json:"parent"`
				InQuarter bool     `json:"in_quarter"`
				Children  []string `json:"children"`
				Issues    int      `json:"issues"`
				Teams     []any    `json:"teams"`
			} `json:"goals"`
			Teams []struct {
				Team     string               `json:"team"`
				Quarters []ladder.TeamQuarter `json:"quarters"`
			} `json:"teams"`
		}
		if err := json.Unmarshal([]byte(render(t, JSON, fixtureSummary(), fixtureOptions())), &doc); err != nil {
			t.Fatal(err)
		}
		byID := map[string]int{}
		for i, g := range doc.Goals {
			byID[g.ID] = i
		}
		for _, c := range []struct {
			id, parent string
			in         bool
			issues     int
		}{
			{"eu-launch", "", true, 0},
			{"pay-sepa", "eu-launch", true, 0},
			{"growth-localise", "eu-launch", true, 0},
			{"plat-legacy", "reliability", false, 0},
			{"self-serve", "", true, 24},
		} {
			i, ok := byID[c.id]
			if !ok {
				t.Errorf("goal %s missing", c.id)
				continue
			}
			g := doc.Goals[i]
			if g.Parent != c.parent || g.InQuarter != c.in || g.Issues != c.issues || (c.issues == 0) != (len(g.Teams) == 0) {
				t.Errorf("goal %s: %+v, want parent %q, in quarter %v, %d issues", c.id, g, c.parent, c.in, c.issues)
			}
		}
		if eu := doc.Goals[byID["eu-launch"]]; !slices.Equal(eu.Children, []string{"pay-sepa", "growth-localise"}) {
			t.Errorf("eu-launch children %v", eu.Children)
		}
		// A goal without a quarter of its own or above it belongs to every
		// quarter: platform's earlier quarters list plat-api with no work;
		// plat-legacy only in its own quarter.
		quarterGoals := map[string][]string{}
		for _, tm := range doc.Teams {
			if tm.Team != "platform" {
				continue
			}
			for _, q := range tm.Quarters {
				for _, g := range q.Goals {
					quarterGoals[q.Quarter] = append(quarterGoals[q.Quarter], g.Goal)
				}
			}
		}
		for q, want := range map[string][]string{
			"FY2026-Q3": {"reliability", "plat-api", "plat-obs"},
			"FY2026-Q4": {"reliability", "plat-api", "plat-obs", "plat-legacy"},
			"FY2027-Q1": {"plat-api", "plat-obs", "reliability"},
		} {
			if got := quarterGoals[q]; !slices.Equal(got, want) {
				t.Errorf("platform %s lists goals %v, want %v", q, got, want)
			}
		}
	})
}

// TestHTMLCountsWhatItDoesNotList: a team's unaligned list is bounded, and
// its heading counts them all.
func TestHTMLCountsWhatItDoesNotList(t *testing.T) {
	s := fixtureSummary()
	tq := &s.Teams[3] // payments FY2027-Q1
	tq.Unaligned.Issues = 4287
	tq.UnalignedIssues = nil
	for i := range 100 {
		tq.UnalignedIssues = append(tq.UnalignedIssues, line("jira", fmt.Sprintf("PAY-%d", 1000+i), "Unaligned work", ladder.StatusTodo))
	}
	page := render(t, HTML, s, fixtureOptions())
	for _, want := range []string{"Not aligned to any goal (4,287)", "The first 100 of 4,287, open ones first."} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, "Not aligned to any goal (100)") {
		t.Error("the heading counts the listed issues, not all of them")
	}
	// Seven listed of seven: no "first n of" note.
	if small := render(t, HTML, fixtureSummary(), fixtureOptions()); !strings.Contains(small, "Not aligned to any goal (7)") || strings.Contains(small, "The first 7 of") {
		t.Error("a complete list is not counted plainly")
	}
}

// TestHTMLKeysAreLinks: every key the cycle, chain, duplicate and no-team
// sections show links to its issue, at the address its tracker gives issues;
// a tracker whose addresses the summary never shows gets no made-up links.
func TestHTMLKeysAreLinks(t *testing.T) {
	page := render(t, HTML, fixtureSummary(), fixtureOptions())
	keys := sectionKeys(t, page, "deps", "overlaps", "unknown")
	if len(keys) < 12 {
		t.Fatalf("found %d keys in the sections, want at least 12: %v", len(keys), keys)
	}
	for _, k := range keys {
		if k.href == "" {
			t.Errorf("key %s in section %s is not a link", k.text, k.section)
		}
	}
	want := map[string]string{
		"acme/mobile#2":    "https://github.com/acme/mobile/issues/2",    // chain
		"DATA-4":           "https://acme.atlassian.net/browse/DATA-4",   // chain, another tracker
		"acme/search#9":    "https://github.com/acme/search/issues/9",    // overlap
		"OPS-9":            "https://acme.atlassian.net/browse/OPS-9",    // no team
		"PAY-50":           "https://acme.atlassian.net/browse/PAY-50",   // overlap
		"acme/payments#12": "https://github.com/acme/payments/issues/12", // cycle
	}
	for _, k := range keys {
		if w, ok := want[k.text]; ok && k.href != w {
			t.Errorf("%s links to %q, want %q", k.text, k.href, w)
		}
	}

	s := fixtureSummary()
	s.Teams[3].UnalignedIssues[1].URL = "" // the only Jira address
	for _, k := range sectionKeys(t, render(t, HTML, s, fixtureOptions()), "unknown") {
		if k.text != "acme/sandbox#1" && k.href != "" {
			t.Errorf("%s links to %q with no Jira address to go by", k.text, k.href)
		}
	}
}

type pageKey struct{ section, text, href string }

// sectionKeys returns the elements of class "key" inside the sections
// labelled by the given heading ids, with their link if they are one.
func sectionKeys(t *testing.T, page string, sections ...string) []pageKey {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(page))
	d.Strict, d.AutoClose, d.Entity = false, xml.HTMLAutoClose, xml.HTMLEntity
	var out []pageKey
	var stack []string // the section each open element is in
	var cur *pageKey
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("page does not parse: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			in := ""
			if len(stack) > 0 {
				in = stack[len(stack)-1]
			}
			var class, href, label string
			for _, a := range tok.Attr {
				switch a.Name.Local {
				case "class":
					class = a.Value
				case "href":
					href = a.Value
				case "aria-labelledby":
					label = a.Value
				}
			}
			if tok.Name.Local == "section" && slices.Contains(sections, label) {
				in = label
			}
			stack = append(stack, in)
			if in != "" && slices.Contains(strings.Fields(class), "key") {
				if tok.Name.Local != "a" {
					href = ""
				}
				out = append(out, pageKey{section: in, href: href})
				cur = &out[len(out)-1]
			}
		case xml.CharData:
			if cur != nil {
				cur.text += string(tok)
			}
		case xml.EndElement:
			cur = nil
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
}
