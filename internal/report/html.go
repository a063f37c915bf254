package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/ladderhq/ladder"
)

//go:embed report.html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"pct":          pct,
	"band":         bandText,
	"points":       pointsGrouped,
	"status":       statusWord,
	"debtSentence": debtSentence,
	"plural":       plural,
	"asOf": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2 January 2006")
	},
	"quarterRange": quarterRange,
	"pctNum":       func(f float64) float64 { return math.Round(f*1000) / 10 },
	"add":          func(a, b float64) float64 { return a + b },
	"debtPct": func(tq ladder.TeamQuarter) string {
		share, _ := debtShare(tq)
		return pct(share)
	},
	"debtBasis": func(tq ladder.TeamQuarter) string {
		_, basis := debtShare(tq)
		return basis
	},
	"statusLabel": func(status string, b ladder.Band) string {
		if status == "" || status == "no target" || b.IsZero() {
			return "no target"
		}
		return status + " " + bandText(b)
	},
	"f1":    func(f float64) string { return fmt.Sprintf("%.1f", f) },
	"score": func(f float64) string { return fmt.Sprintf("%.2f", f) },
	"join":  strings.Join,
	"num":   thousands,
	"max":   func(a, b int) int { return max(a, b) },
}).Parse(htmlSource))

// pointsGrouped writes story points as the page writes issue counts, with
// thousands separated (12,264 points beside 3,973 issues), to one decimal.
func pointsGrouped(p float64) string {
	whole, frac, _ := strings.Cut(points(p), ".")
	n, err := strconv.Atoi(whole)
	if err != nil || n < 0 {
		return points(p)
	}
	if frac != "" {
		return thousands(n) + "." + frac
	}
	return thousands(n)
}

// uncoveredShown is how many blockers nobody plans to do the page shows
// before folding the rest of the list away: enough to make the case, few
// enough that the goals and teams are still near the top on a phone.
const uncoveredShown = 10

// goalColours are distinct at a glance and each keeps at least 4.5:1
// contrast with white, so the white gaps and labels stay readable.
var goalColours = []string{"#1d4ed8", "#0f766e", "#7e22ce", "#be185d", "#c2410c", "#4d7c0f", "#0369a1", "#a16207"}

const unalignedColour = "#cbd5e1"

// statusColour is the bar colour of a debt share against its band.
var statusColour = map[string]string{
	"within": "#15803d",
	"above":  "#b91c1c",
	"below":  "#b45309",
}

// htmlView adds what only the page draws: charts and matrix shading.
type htmlView struct {
	*view
	Teams     []htmlTeam
	Matrix    [][]matrixCell
	Attention []note
	GoalTree  []htmlGoal
	// The keys the page shows, each linked to its issue where its
	// address is known.
	// UncoveredShown are the first blockers nobody plans to do, open on
	// the page; UncoveredMore the rest of the list, folded away.
	UncoveredShown, UncoveredMore []ladder.Blocker
	Cycles                        [][]keyLink // each closed: the first key again at the end
	Chain                         []keyLink
	OverlapRows                   []overlapRow
	UnknownKeys                   []keyLink
}

type overlapRow struct {
	A, B         keyLink
	ATeam, BTeam string
	Score        float64
	Words        []string
}

// htmlGoal is one line of the goal tree.
type htmlGoal struct {
	goalNode
	Work string // "" when there is none: the page says "no work yet"
}

type htmlTeam struct {
	teamView
	// Unaligned is Cur.UnalignedIssues with every address filled in.
	Unaligned []ladder.IssueLine
	ID        string
	Aligned   float64
	Bar       []segment
	Rows      []goalLine
	Chart     debtChart
}

// goalLine is a row of the goal table with the colour of its bar segment.
type goalLine struct {
	goalRow
	Colour string
}

type segment struct {
	X, W   float64
	Colour string
	Label  string
}

type matrixCell struct {
	Waiting, Blocking string
	Open              int
	Level             int // 0 none, 1..4 shading
	Self              bool
}

// debtChart is the per-team bar chart of debt share per quarter over its
// target band, laid out in SVG user units.
type debtChart struct {
	W, H, Left, Right, Top, Bottom float64
	YMax                           float64 // share at the top of the axis
	ByPoints, ByIssues             bool    // which bases the bars use
	Band                           *rect
	BandLabel                      string
	Grid                           []gridLine
	Bars                           []debtBar
	Label                          string
}

type rect struct{ X, Y, W, H float64 }

type gridLine struct {
	Y     float64
	Label string
}

type debtBar struct {
	rect
	CX, LabelY   float64
	Has, Current bool
	Colour       string
	Basis        string // "points" or "issues"
	Value        string
	Q, FY        string
}

// HTML writes the report as one self-contained page: inline CSS and inline
// SVG charts, no script, font, image or stylesheet fetched from anywhere,
// so it opens offline and prints cleanly. html/template escapes all text.
func HTML(w io.Writer, s *ladder.Summary, o Options) error {
	v := newView(s, o)
	hv := htmlView{view: v, Attention: v.attention()}
	l := newLinks(s)
	for _, b := range v.Deps.Uncovered {
		b.Waiting, b.Blocker = l.line(b.Waiting), l.line(b.Blocker)
		if len(hv.UncoveredShown) < uncoveredShown {
			hv.UncoveredShown = append(hv.UncoveredShown, b)
		} else {
			hv.UncoveredMore = append(hv.UncoveredMore, b)
		}
	}
	for _, c := range v.Deps.Cycles {
		if len(c) > 0 {
			hv.Cycles = append(hv.Cycles, l.keys(append(c[:len(c):len(c)], c[0])))
		}
	}
	hv.Chain = l.keys(v.Deps.LongestChain)
	for _, o := range v.Overlaps {
		hv.OverlapRows = append(hv.OverlapRows, overlapRow{A: l.key(o.A), B: l.key(o.B), ATeam: o.ATeam, BTeam: o.BTeam, Score: o.Score, Words: o.Words})
	}
	hv.UnknownKeys = l.keys(v.Unknown)
	for _, n := range v.Goals {
		g := htmlGoal{goalNode: n}
		if n.Issues > 0 {
			g.Work = n.workText(func(s string) string { return s })
		}
		hv.GoalTree = append(hv.GoalTree, g)
	}
	for i, t := range v.Teams {
		ht := newHTMLTeam(i, t, v.Quarter)
		for _, is := range t.Cur.UnalignedIssues {
			ht.Unaligned = append(ht.Unaligned, l.line(is))
		}
		hv.Teams = append(hv.Teams, ht)
	}
	maxOpen := 0
	for _, p := range v.Deps.Pairs {
		maxOpen = max(maxOpen, p.Open)
	}
	for _, row := range v.TeamNames {
		var cells []matrixCell
		for _, col := range v.TeamNames {
			c := matrixCell{Waiting: row, Blocking: col, Self: row == col}
			if !c.Self {
				c.Open = v.pair(row, col)
			}
			if c.Open > 0 {
				c.Level = int(math.Ceil(4 * float64(c.Open) / float64(maxOpen)))
			}
			cells = append(cells, c)
		}
		hv.Matrix = append(hv.Matrix, cells)
	}
	if err := htmlTemplate.Execute(w, hv); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	return nil
}

func newHTMLTeam(i int, t teamView, cur ladder.Quarter) htmlTeam {
	ht := htmlTeam{teamView: t, ID: fmt.Sprintf("team-%d", i+1), Aligned: aligned(t.Cur)}
	// The bar stacks team goals and the unaligned rest. An issue serving
	// two team goals counts in both, so the bar is scaled to fit when the
	// parts add up to more than the whole.
	total := t.Cur.Unaligned.ShareCount
	j := 0
	for _, g := range t.Goals {
		if g.IsCompany || g.Issues == 0 {
			ht.Rows = append(ht.Rows, goalLine{goalRow: g})
			continue
		}
		colour := goalColours[j%len(goalColours)]
		j++
		ht.Rows = append(ht.Rows, goalLine{goalRow: g, Colour: colour})
		total += g.ShareCount
	}
	scale := 100.0
	if total > 1 {
		scale = 100 / total
	}
	x := 0.0
	for _, g := range ht.Rows {
		if g.Colour == "" || g.ShareCount <= 0 {
			continue
		}
		ht.Bar = append(ht.Bar, segment{X: x, W: g.ShareCount * scale, Colour: g.Colour,
			Label: fmt.Sprintf("%s: %s", joinNonEmpty(" ", g.Title, "("+g.Goal+")"), pct(g.ShareCount))})
		x += g.ShareCount * scale
	}
	if u := t.Cur.Unaligned.ShareCount; u > 0 {
		ht.Bar = append(ht.Bar, segment{X: x, W: u * scale, Colour: unalignedColour, Label: "No goal: " + pct(u)})
	}
	ht.Chart = newDebtChart(t, cur)
	return ht
}

func newDebtChart(t teamView, cur ladder.Quarter) debtChart {
	c := debtChart{W: 360, H: 178, Left: 40, Right: 350, Top: 18, Bottom: 136}
	top := math.Max(0.3, t.Band.Max)
	for _, p := range t.Trend {
		if p.Has {
			share, _ := debtShare(p.TQ)
			top = math.Max(top, share)
		}
	}
	// A multiple of 20% keeps the middle grid line on a round 10%.
	yMax := math.Min(1, math.Ceil((top+0.05)*5)/5)
	c.YMax = yMax
	y := func(f float64) float64 { return c.Bottom - f/yMax*(c.Bottom-c.Top) }
	for _, f := range []float64{0, yMax / 2, yMax} {
		c.Grid = append(c.Grid, gridLine{Y: y(f), Label: pct(f)})
	}
	if !t.Band.IsZero() {
		c.Band = &rect{X: c.Left, Y: y(t.Band.Max), W: c.Right - c.Left, H: y(t.Band.Min) - y(t.Band.Max)}
		c.BandLabel = "target " + bandText(t.Band)
	}
	slot := (c.Right - c.Left) / float64(max(1, len(t.Trend)))
	w := math.Min(slot*0.56, 40)
	var desc []string
	for i, p := range t.Trend {
		b := debtBar{Has: p.Has, Current: p.Quarter == cur}
		b.Q, b.FY = shortQuarter(p.Quarter)
		b.CX = c.Left + slot*float64(i) + slot/2
		b.X = b.CX - w/2
		b.W = w
		if !p.Has {
			b.LabelY = c.Bottom - 6
			b.Value = "—"
			desc = append(desc, p.Quarter.String()+" no data")
			c.Bars = append(c.Bars, b)
			continue
		}
		share, basis := debtShare(p.TQ)
		b.Basis = basis
		b.Y = y(share)
		b.H = c.Bottom - b.Y
		if share > 0 && b.H < 1.5 {
			b.H, b.Y = 1.5, c.Bottom-1.5
		}
		b.LabelY = b.Y - 5
		b.Value = pct(share)
		b.Colour = statusColour[p.Status]
		if b.Colour == "" {
			b.Colour = "#1d4ed8"
		}
		desc = append(desc, fmt.Sprintf("%s %s of %s (%s)", p.Quarter, b.Value, basis, p.Status))
		if basis == "points" {
			c.ByPoints = true
		} else {
			c.ByIssues = true
		}
		c.Bars = append(c.Bars, b)
	}
	c.Label = fmt.Sprintf("Tech-debt share per quarter for %s, target %s: %s", t.Name, bandText(t.Band), strings.Join(desc, ", "))
	return c
}
