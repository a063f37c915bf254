package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ladderhq/ladder/analyzer"
)

// only returns the dataset restricted to one project.
func (d *dataset) only(project string) (*dataset, error) {
	out := *d
	out.issues = nil
	for _, is := range d.issues {
		if strings.EqualFold(is.project, project) {
			out.issues = append(out.issues, is)
		}
	}
	if len(out.issues) == 0 {
		return nil, fmt.Errorf("no project %q (have %s)", project, strings.Join(d.projects(), ", "))
	}
	return &out, nil
}

// writeFold trains the cross-project fold that leaves o.holdout out, exactly
// as crossProject does, and writes it to o.out.
func writeFold(stdout io.Writer, d *dataset, o options) error {
	var train []*issue
	for _, is := range d.issues {
		if !strings.EqualFold(is.project, o.holdout) {
			train = append(train, is)
		}
	}
	if len(train) == len(d.issues) {
		return fmt.Errorf("no project %q (have %s)", o.holdout, strings.Join(d.projects(), ", "))
	}
	opt := o.train
	opt.Version += "-without-" + strings.ToLower(o.holdout)
	m, err := analyzer.TrainDebtModel(examples(train, o.recipe), opt)
	if err != nil {
		return err
	}
	if err := writeFile(o.out, m.WriteJSON); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: version %s, threshold %.4f (trained without %s)\n", o.out, m.Version(), m.Threshold(), o.holdout)
	return nil
}

// scoreVerdicts compares `ladder analyze --format jsonl` output with the
// exported truth: tech_debt against the issue-level debt label, and
// debt_admitted against debt labelled only in comments.
func scoreVerdicts(w io.Writer, verdictsPath, truthPath string) error {
	if truthPath == "" {
		return fmt.Errorf("-score needs -truth FILE (written by -export-truth)")
	}
	type truth struct{ debt, admitted bool }
	tf, err := os.Open(truthPath)
	if err != nil {
		return err
	}
	defer tf.Close()
	rows, err := csv.NewReader(tf).ReadAll()
	if err != nil {
		return fmt.Errorf("%s: %w", truthPath, err)
	}
	want := map[string]truth{}
	for _, r := range rows[1:] {
		if len(r) != 3 {
			return fmt.Errorf("%s: want key,debt,admitted rows", truthPath)
		}
		want[r[0]] = truth{debt: r[1] == "true", admitted: r[2] == "true"}
	}
	vf, err := os.Open(verdictsPath)
	if err != nil {
		return err
	}
	defer vf.Close()
	var debt, admitted counts
	seen := 0
	sc := bufio.NewScanner(vf)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var v struct {
			Key          string `json:"key"`
			TechDebt     bool   `json:"tech_debt"`
			DebtAdmitted bool   `json:"debt_admitted"`
		}
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			return fmt.Errorf("%s: %w", verdictsPath, err)
		}
		t, ok := want[v.Key]
		if !ok {
			continue
		}
		seen++
		debt.add(v.TechDebt, t.debt)
		if !t.debt {
			admitted.add(v.DebtAdmitted, t.admitted)
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if seen != len(want) {
		return fmt.Errorf("%d verdicts match the %d issues of %s", seen, len(want), truthPath)
	}
	fmt.Fprintf(w, "tech_debt vs truth: %d issues, %d debt; precision %.3f recall %.3f F1 %.3f\n",
		seen, debt.tp+debt.fn, debt.precision(), debt.recall(), debt.f1())
	fmt.Fprintf(w, "debt_admitted vs debt only in comments: precision %.3f recall %.3f F1 %.3f\n",
		admitted.precision(), admitted.recall(), admitted.f1())
	return nil
}
