package analyzer

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/ladderhq/ladder"
)

// debtRules is the category rules' state in a run: technical debt (the
// configured labels and types, then the debt model), bug, maintenance,
// feature, and debt admitted in comments. The first pass reads each issue's
// text for goal matching and overlap anyway, so the model scores it then;
// the score is kept by entry so that the second pass reads the text again
// only for the words of an issue that scores as debt.
type debtRules struct {
	a    *Analyzer
	debt []float64 // by entry id: the model's score, NaN for none
	buf  []byte
}

// keep stores the model's score of the issue at entry id.
func (dr *debtRules) keep(id int32, score float64) {
	for int(id) >= len(dr.debt) {
		dr.debt = append(dr.debt, math.NaN())
	}
	dr.debt[id] = score
}

// judge decides TechDebt and the category. Configured labels and types
// decide debt before the model. A non-debt issue is a bug by its type or a
// bug label, maintenance when it is a chore (type or label chore,
// maintenance or dependencies; a title like "Bump x", "Upgrade y",
// "chore: …", "build(deps): …"), a feature otherwise.
func (dr *debtRules) judge(id int32, is *ladder.Issue, v *ladder.Verdict) {
	explicit := dr.explicit(is)
	thr := strconv.FormatFloat(dr.a.debtThr, 'f', 2, 64)
	model := ""
	if explicit != "" {
		v.TechDebt, v.TechDebtScore = true, 1
	} else {
		score := math.NaN()
		if int(id) < len(dr.debt) {
			score = dr.debt[id]
		}
		var words []string
		if math.IsNaN(score) || score >= dr.a.debtThr {
			score, words = dr.a.model.Score(is.Title, is.Body)
		}
		v.TechDebtScore = math.Round(score*1000) / 1000
		// Written from the score the verdict shows, so the two never
		// round apart (0.125 shown as 0.12 beside "debt model 0.13").
		s := strconv.FormatFloat(v.TechDebtScore, 'f', 2, 64)
		if score >= dr.a.debtThr {
			v.TechDebt = true
			explicit = "the debt model scores " + s + " (threshold " + thr + ")"
			if len(words) > 0 {
				explicit += " on " + strings.Join(words, ", ")
			}
		} else {
			model = " (debt model " + s + " < " + thr + ")"
		}
	}
	if v.TechDebt {
		v.Category = ladder.TechDebt
		v.Reasons = append(v.Reasons, ladder.Reason{Kind: ladder.ReasonCategory, Text: "tech debt: " + explicit})
		return
	}
	if why := bugSignal(is); why != "" {
		v.Category = ladder.Bug
		v.Reasons = append(v.Reasons, ladder.Reason{Kind: ladder.ReasonCategory, Text: "bug: " + why + model})
		return
	}
	if why := choreSignal(is); why != "" {
		v.Category = ladder.Maintenance
		v.Reasons = append(v.Reasons, ladder.Reason{Kind: ladder.ReasonCategory, Text: "maintenance: " + why + model})
		return
	}
	v.Category = ladder.Feature
	v.Reasons = append(v.Reasons, ladder.Reason{Kind: ladder.ReasonCategory, Text: "feature: no debt, bug or maintenance signal" + model})
}

// explicit names the configured label or type that makes the issue debt
// whatever the model says; "" for none.
func (dr *debtRules) explicit(is *ladder.Issue) string {
	for _, l := range is.Labels {
		if dr.buf = appendLower(dr.buf[:0], l); dr.a.debtLabel[string(dr.buf)] {
			return "label " + l
		}
	}
	if is.Type != "" {
		if dr.buf = appendLower(dr.buf[:0], is.Type); dr.a.debtType[string(dr.buf)] {
			return "type " + is.Type
		}
	}
	return ""
}

func bugSignal(is *ladder.Issue) string {
	if foldIn(is.Type, "bug", "defect") {
		return "type " + is.Type
	}
	for _, l := range is.Labels {
		if tagIs(l, "bug", "defect") {
			return "label " + l
		}
	}
	return ""
}

func choreSignal(is *ladder.Issue) string {
	if foldIn(is.Type, "chore", "maintenance", "dependencies", "dependency") {
		return "type " + is.Type
	}
	for _, l := range is.Labels {
		if tagIs(l, "chore", "maintenance", "dependencies", "deps") {
			return "label " + l
		}
	}
	t := strings.ToLower(strings.TrimSpace(is.Title))
	for _, p := range []string{"bump ", "upgrade ", "update dependency", "update dependencies", "chore:", "chore(", "build(deps", "deps:", "deps("} {
		if strings.HasPrefix(t, p) {
			return "title starts with " + strconv.Quote(strings.TrimSpace(is.Title[:len(p)]))
		}
	}
	return ""
}

// tagIs matches a label such as "bug", "type:bug", "kind/bug" or "Type: Bug".
func tagIs(label string, words ...string) bool {
	if i := strings.LastIndexAny(label, ":/"); i >= 0 {
		label = strings.TrimSpace(label[i+1:])
	}
	return foldIn(label, words...)
}

// admitted marks issues whose comments admit new debt, quoting the first.
func (dr *debtRules) admitted(is *ladder.Issue, v *ladder.Verdict) {
	for _, c := range is.Comments {
		ok, phrase := AdmitsDebt(c.Body)
		if !ok {
			continue
		}
		v.DebtAdmitted = true
		who := "a comment"
		if c.Author != "" {
			who = "a comment by " + c.Author
		}
		if !c.Created.IsZero() {
			who += " on " + c.Created.Format(time.DateOnly)
		}
		v.Reasons = append(v.Reasons, ladder.Reason{Kind: ladder.ReasonDebtAdmitted, Text: "debt admitted: " + who + " says " + strconv.Quote(trimPhrase(phrase))})
		return
	}
}

func trimPhrase(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}
