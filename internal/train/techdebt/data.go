package main

import (
	"cmp"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/ladderhq/ladder/analyzer"
)

// section is one labelled row of train-sections.csv.
type section struct {
	project string // lower-case, as in the file
	number  int
	name    string // summary, description, comment_N
	text    string
	debt    bool
}

// issue gathers an issue's sections. Debt is the issue-level truth: its
// summary or description is labelled debt. Admitted: only comments are.
type issue struct {
	project     string // upper-case Jira project key
	number      int
	summary     section
	description section
	comments    []section // by N
	debt        bool
	admitted    bool
}

func (i *issue) key() string { return i.project + "-" + strconv.Itoa(i.number) }

// dataset is the training file read once, with its hash for the model's version.
type dataset struct {
	sha256 string
	issues []*issue // by project, then number
}

func loadDataset(path string) (*dataset, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read data: %w", err)
	}
	sum := sha256.Sum256(b)
	secs, err := readSections(strings.NewReader(string(b)))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	issues, err := buildIssues(secs)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return &dataset{sha256: hex.EncodeToString(sum[:]), issues: issues}, nil
}

func readSections(r io.Reader) ([]section, error) {
	cr := csv.NewReader(r)
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	for _, want := range []string{"project", "issue_number", "issue_section", "text", "classification"} {
		if _, ok := col[want]; !ok {
			return nil, fmt.Errorf("header: no column %q", want)
		}
	}
	var out []section
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		n, err := strconv.Atoi(rec[col["issue_number"]])
		if err != nil {
			return nil, fmt.Errorf("line %d: issue_number: %w", line, err)
		}
		text := rec[col["text"]]
		if text == "None" { // how the study's export writes an empty field
			text = ""
		}
		out = append(out, section{
			project: rec[col["project"]],
			number:  n,
			name:    rec[col["issue_section"]],
			text:    text,
			debt:    rec[col["classification"]] != "non_debt",
		})
	}
}

func buildIssues(secs []section) ([]*issue, error) {
	type id struct {
		project string
		number  int
	}
	byID := map[id]*issue{}
	var issues []*issue
	for _, s := range secs {
		k := id{s.project, s.number}
		is := byID[k]
		if is == nil {
			is = &issue{project: strings.ToUpper(s.project), number: s.number}
			byID[k] = is
			issues = append(issues, is)
		}
		switch {
		case s.name == "summary":
			is.summary = s
		case s.name == "description":
			is.description = s
		case strings.HasPrefix(s.name, "comment_"):
			is.comments = append(is.comments, s)
		default:
			return nil, fmt.Errorf("%s-%d: unknown section %q", is.project, s.number, s.name)
		}
	}
	for _, is := range issues {
		slices.SortStableFunc(is.comments, func(a, b section) int { return cmp.Compare(commentN(a.name), commentN(b.name)) })
		is.debt = is.summary.debt || is.description.debt
		if !is.debt {
			for _, c := range is.comments {
				if c.debt {
					is.admitted = true
				}
			}
		}
	}
	slices.SortStableFunc(issues, func(a, b *issue) int {
		return cmp.Or(cmp.Compare(a.project, b.project), cmp.Compare(a.number, b.number))
	})
	return issues, nil
}

func commentN(name string) int {
	n, _ := strconv.Atoi(strings.TrimPrefix(name, "comment_"))
	return n
}

func (d *dataset) projects() []string {
	var ps []string
	for _, is := range d.issues {
		if !slices.Contains(ps, is.project) {
			ps = append(ps, is.project)
		}
	}
	return ps
}

// recipe says which examples the model learns from besides the issues.
type recipe struct {
	sections      bool    // summary and description alone, with their own labels
	debtComments  float64 // weight of comments labelled debt as extra positives (0: none)
	auxWeight     float64 // weight of section examples
	plainComments float64 // weight of comments labelled non-debt as extra negatives (0: none)
}

// examples turns issues into training examples. Issue examples come first,
// then auxiliary sections, all in the dataset's order.
func examples(issues []*issue, r recipe) []analyzer.DebtExample {
	var out []analyzer.DebtExample
	for _, is := range issues {
		out = append(out, analyzer.DebtExample{
			Title: is.summary.text, Body: is.description.text, Debt: is.debt, Group: is.project,
		})
	}
	for _, is := range issues {
		if r.sections {
			out = append(out,
				analyzer.DebtExample{Title: is.summary.text, Debt: is.summary.debt, Group: is.project, Aux: true, Weight: r.auxWeight},
			)
			if is.description.text != "" {
				out = append(out, analyzer.DebtExample{Body: is.description.text, Debt: is.description.debt, Group: is.project, Aux: true, Weight: r.auxWeight})
			}
		}
		for _, c := range is.comments {
			switch {
			case c.debt && r.debtComments > 0:
				out = append(out, analyzer.DebtExample{Body: c.text, Debt: true, Group: is.project, Aux: true, Weight: r.debtComments})
			case !c.debt && r.plainComments > 0:
				out = append(out, analyzer.DebtExample{Body: c.text, Group: is.project, Aux: true, Weight: r.plainComments})
			}
		}
	}
	return out
}

// counts is a confusion matrix.
type counts struct{ tp, fp, fn, tn int }

func (c *counts) add(pred, truth bool) {
	switch {
	case pred && truth:
		c.tp++
	case pred:
		c.fp++
	case truth:
		c.fn++
	default:
		c.tn++
	}
}

func (c counts) precision() float64 { return ratio(c.tp, c.tp+c.fp) }
func (c counts) recall() float64    { return ratio(c.tp, c.tp+c.fn) }
func (c counts) f1() float64        { return ratio(2*c.tp, 2*c.tp+c.fp+c.fn) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// foldResult is one project held out: trained on the others, tested on it.
type foldResult struct {
	project   string
	threshold float64
	counts
	auc    float64 // probability a debt issue scores above a non-debt one
	bestF1 float64 // F1 at the threshold best for this project (hindsight)
	scores []scored
}

// crossProject trains on all projects but one and tests on that one, each
// in turn. The threshold comes from the training projects only.
func crossProject(d *dataset, r recipe, opt analyzer.DebtTrainOptions) ([]foldResult, error) {
	var res []foldResult
	for _, p := range d.projects() {
		var train, test []*issue
		for _, is := range d.issues {
			if is.project == p {
				test = append(test, is)
			} else {
				train = append(train, is)
			}
		}
		m, err := analyzer.TrainDebtModel(examples(train, r), opt)
		if err != nil {
			return nil, fmt.Errorf("fold %s: %w", p, err)
		}
		fr := foldResult{project: p, threshold: m.Threshold()}
		var xs []scored
		for _, is := range test {
			s, _ := m.Score(is.summary.text, is.description.text)
			fr.add(s >= m.Threshold(), is.debt)
			xs = append(xs, scored{s, is.debt})
		}
		fr.auc, fr.bestF1 = ranking(xs)
		fr.scores = xs
		res = append(res, fr)
	}
	return res, nil
}

type scored struct {
	score float64
	debt  bool
}

// ranking returns the AUC of scores (ties count half) and the best F1 any
// threshold reaches on them.
func ranking(xs []scored) (auc, bestF1 float64) {
	xs = slices.Clone(xs)
	slices.SortStableFunc(xs, func(a, b scored) int { return cmp.Compare(b.score, a.score) })
	pos := 0
	for _, x := range xs {
		if x.debt {
			pos++
		}
	}
	neg := len(xs) - pos
	if pos == 0 || neg == 0 {
		return 0, 0
	}
	tp, fp := 0, 0
	for i := 0; i < len(xs); {
		j, dp, dn := i, 0, 0
		for ; j < len(xs) && xs[j].score == xs[i].score; j++ {
			if xs[j].debt {
				dp++
			} else {
				dn++
			}
		}
		// Positives in this tie group beat the negatives below it and half
		// of the negatives beside them.
		auc += float64(dp) * (float64(neg-fp-dn) + float64(dn)/2)
		tp, fp = tp+dp, fp+dn
		bestF1 = max(bestF1, 2*float64(tp)/float64(tp+fp+pos))
		i = j
	}
	return auc / float64(pos*neg), bestF1
}

// sweepThresholds are the techdebt.threshold values the -eval table shows.
var sweepThresholds = []float64{0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6}

// sweep gives the folds' mean precision, recall and F1 had every test
// project used threshold t: what setting techdebt.threshold trades.
func sweep(folds []foldResult, t float64) (p, r, f float64) {
	at := make([]foldResult, len(folds))
	for i, fr := range folds {
		for _, x := range fr.scores {
			at[i].add(x.score >= t, x.debt)
		}
	}
	return meanOf(at)
}

// meanOf averages precision, recall and F1 over folds (macro average).
func meanOf(folds []foldResult) (p, r, f float64) {
	for _, fr := range folds {
		p += fr.precision()
		r += fr.recall()
		f += fr.f1()
	}
	n := float64(len(folds))
	return p / n, r / n, f / n
}

// admitsFigures measures AdmitsDebt against the comment-level labels, and
// at issue level against "admitted" (debt in comments only).
func admitsFigures(d *dataset) (comments, issues counts) {
	for _, is := range d.issues {
		any := false
		for _, c := range is.comments {
			ok, _ := analyzer.AdmitsDebt(c.text)
			comments.add(ok, c.debt)
			any = any || ok
		}
		if !is.debt {
			issues.add(any, is.admitted)
		}
	}
	return comments, issues
}
