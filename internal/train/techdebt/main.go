// Command techdebt trains the analyzer's technical-debt model from labelled
// Jira issues (testdata/eval/techdebt/train-sections.csv), prints how well
// it generalises to a project it has not seen (train on all projects but
// one, test on that one, each in turn) and writes the model trained on every
// project to analyzer/model/techdebt.json, which the analyzer embeds.
//
//	go run ./internal/train/techdebt -data testdata/eval/techdebt/train-sections.csv -out analyzer/model/techdebt.json
//	go run ./internal/train/techdebt -data … -eval
//	go run ./internal/train/techdebt -data … -export-jsonl issues.jsonl -export-truth truth.csv
//	go run ./internal/train/techdebt -data … -holdout CAMEL -out camel-fold.json
//	go run ./internal/train/techdebt -score verdicts.jsonl -truth truth.csv
//
// -holdout writes the model of one cross-project fold (trained on the other
// projects, threshold chosen on them), and -project limits an export to one
// project: with `ladder import` and `ladder analyze --format jsonl` they
// reproduce the cross-project table through the CLI, which -score then
// scores (scripts/techdebt-cli-eval.sh does all of it).
//
// With an export and neither -eval nor -out, nothing is trained.
//
// Training is deterministic: the same data and flags give the same bytes.
package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/analyzer"
)

// modelRecipe names the training recipe; bump it when features or training
// change, so verdicts can tell models apart.
const modelRecipe = "techdebt-lrc-4"

type options struct {
	data        string
	out         string
	evalOnly    bool
	exportJSONL string
	exportTruth string
	errors      string
	holdout     string
	project     string
	score       string
	truth       string
	outSet      bool // -out given: with an export, train as well

	recipe recipe
	train  analyzer.DebtTrainOptions
}

func main() {
	var o options
	flag.StringVar(&o.data, "data", "testdata/eval/techdebt/train-sections.csv", "labelled sections CSV")
	flag.StringVar(&o.out, "out", "analyzer/model/techdebt.json", "where to write the model trained on every project")
	flag.BoolVar(&o.evalOnly, "eval", false, "print the cross-project table only; write no model")
	flag.StringVar(&o.exportJSONL, "export-jsonl", "", "write the issues as canonical JSON Lines (for ladder import) to `FILE`")
	flag.StringVar(&o.exportTruth, "export-truth", "", "write the issue-level truth (key,debt,admitted) as CSV to `FILE`")
	flag.StringVar(&o.errors, "errors", "", "print the issues of `PROJECT` that the model trained on the other projects gets wrong")
	flag.StringVar(&o.holdout, "holdout", "", "train without `PROJECT` (one cross-project fold) and write that model to -out")
	flag.StringVar(&o.project, "project", "", "export only the issues of `PROJECT`")
	flag.StringVar(&o.score, "score", "", "score `VERDICTS` (ladder analyze --format jsonl) against -truth and exit")
	flag.StringVar(&o.truth, "truth", "", "issue-level truth CSV written by -export-truth")
	o.recipe, o.train = defaultRecipe()
	flag.BoolVar(&o.recipe.sections, "sections", o.recipe.sections, "also learn from summary and description alone, with their own labels")
	flag.Float64Var(&o.recipe.auxWeight, "section-weight", o.recipe.auxWeight, "weight of section examples")
	flag.Float64Var(&o.recipe.debtComments, "debt-comments", o.recipe.debtComments, "weight of comments labelled debt as extra positives (0: none)")
	flag.Float64Var(&o.recipe.plainComments, "plain-comments", o.recipe.plainComments, "weight of comments labelled non-debt as extra negatives (0: none)")
	flag.IntVar(&o.train.MinDF, "min-df", o.train.MinDF, "drop terms in fewer training examples")
	flag.IntVar(&o.train.MaxTerms, "max-terms", o.train.MaxTerms, "keep at most this many terms, most frequent first (0: all)")
	flag.IntVar(&o.train.MinGroups, "min-projects", o.train.MinGroups, "drop terms seen in fewer training projects")
	flag.BoolVar(&o.train.StopWords, "stop-words", o.train.StopWords, "keep stop-words as terms")
	flag.IntVar(&o.train.RandomFolds, "random-folds", o.train.RandomFolds, "choose the threshold on random folds")
	flag.BoolVar(&o.train.NoBigrams, "no-bigrams", o.train.NoBigrams, "unigrams only")
	flag.Float64Var(&o.train.TitleWeight, "title-weight", o.train.TitleWeight, "term count multiplier for the title")
	flag.Float64Var(&o.train.Lambda, "lambda", o.train.Lambda, "L2 regularisation per example")
	flag.IntVar(&o.train.Iterations, "iterations", o.train.Iterations, "gradient steps")
	flag.BoolVar(&o.train.Balance, "balance", o.train.Balance, "weight classes to equal total weight")
	flag.IntVar(&o.train.CharGrams[0], "char-min", o.train.CharGrams[0], "shortest character n-gram inside words (0: no character n-grams)")
	flag.IntVar(&o.train.CharGrams[1], "char-max", o.train.CharGrams[1], "longest character n-gram inside words")
	flag.IntVar(&o.train.CharBits, "char-bits", o.train.CharBits, "hash character n-grams into 2^N buckets")
	flag.Float64Var(&o.train.CharShare, "char-share", o.train.CharShare, "weight of the character n-gram block in each vector (0..1)")
	flag.Parse()
	flag.Visit(func(f *flag.Flag) { o.outSet = o.outSet || f.Name == "out" })
	if err := run(o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "techdebt:", err)
		os.Exit(1)
	}
}

// defaultRecipe is the recipe the shipped model is trained with; see
// analyzer/model/README.md for what each choice was measured to do.
func defaultRecipe() (recipe, analyzer.DebtTrainOptions) {
	return recipe{debtComments: 0.3, plainComments: 0.3},
		analyzer.DebtTrainOptions{
			MinDF:       3,
			MinGroups:   2,
			StopWords:   true,
			TitleWeight: 2,
			Lambda:      1e-4,
			Iterations:  1000,
			RandomFolds: 5,
			Seed:        1,
			CharGrams:   [2]int{3, 5},
			CharBits:    18,
			CharShare:   0.5,
		}
}

func run(o options, stdout io.Writer) error {
	if o.score != "" {
		return scoreVerdicts(stdout, o.score, o.truth)
	}
	d, err := loadDataset(o.data)
	if err != nil {
		return err
	}
	if o.project != "" {
		if d, err = d.only(o.project); err != nil {
			return err
		}
	}
	o.train.Version = modelRecipe + "+" + d.sha256[:12]
	o.train.DataSHA256 = d.sha256
	o.train.Trainer = "go run ./internal/train/techdebt -data testdata/eval/techdebt/train-sections.csv -out analyzer/model/techdebt.json"

	if o.exportJSONL != "" {
		if err := writeFile(o.exportJSONL, func(w io.Writer) error { return exportJSONL(w, d) }); err != nil {
			return err
		}
	}
	if o.exportTruth != "" {
		if err := writeFile(o.exportTruth, func(w io.Writer) error { return exportTruth(w, d) }); err != nil {
			return err
		}
	}
	if (o.exportJSONL != "" || o.exportTruth != "") && !o.evalOnly && !o.outSet {
		return nil // export only
	}

	if o.errors != "" {
		return printErrors(stdout, d, o.recipe, o.train, o.errors)
	}
	if o.holdout != "" {
		return writeFold(stdout, d, o)
	}
	folds, err := crossProject(d, o.recipe, o.train)
	if err != nil {
		return err
	}
	printTable(stdout, folds)
	printAdmits(stdout, d)
	if o.evalOnly {
		return nil
	}

	m, err := analyzer.TrainDebtModel(examples(d.issues, o.recipe), o.train)
	if err != nil {
		return err
	}
	if err := writeFile(o.out, m.WriteJSON); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nwrote %s: version %s, threshold %.4f\n", o.out, m.Version(), m.Threshold())
	return nil
}

func printTable(w io.Writer, folds []foldResult) {
	fmt.Fprintf(w, "cross-project, issue level (train on the other projects, test on this one)\n")
	fmt.Fprintf(w, "%-8s %6s %5s %9s %9s %6s %6s %6s %7s\n", "test", "issues", "debt", "threshold", "precision", "recall", "F1", "AUC", "best F1")
	for _, fr := range folds {
		fmt.Fprintf(w, "%-8s %6d %5d %9.3f %9.3f %6.3f %6.3f %6.3f %7.3f\n", fr.project, fr.tp+fr.fp+fr.fn+fr.tn, fr.tp+fr.fn,
			fr.threshold, fr.precision(), fr.recall(), fr.f1(), fr.auc, fr.bestF1)
	}
	p, r, f := meanOf(folds)
	var auc, best float64
	for _, fr := range folds {
		auc += fr.auc / float64(len(folds))
		best += fr.bestF1 / float64(len(folds))
	}
	fmt.Fprintf(w, "%-8s %6s %5s %9s %9.3f %6.3f %6.3f %6.3f %7.3f\n", "mean", "", "", "", p, r, f, auc, best)
	fmt.Fprintf(w, "(AUC: ranking quality; best F1: with the threshold that would have been best for the test project, for reference only)\n")
	fmt.Fprintf(w, "\nwhat techdebt.threshold trades (mean over the same folds, every project at that threshold)\n")
	fmt.Fprintf(w, "%9s %9s %6s %6s\n", "threshold", "precision", "recall", "F1")
	for _, t := range sweepThresholds {
		p, r, f := sweep(folds, t)
		fmt.Fprintf(w, "%9.2f %9.3f %6.3f %6.3f\n", t, p, r, f)
	}
}

func printAdmits(w io.Writer, d *dataset) {
	cm, im := admitsFigures(d)
	fmt.Fprintf(w, "\nAdmitsDebt vs comment labels: %d comments, %d labelled debt; flagged %d: precision %.3f recall %.3f F1 %.3f\n",
		cm.tp+cm.fp+cm.fn+cm.tn, cm.tp+cm.fn, cm.tp+cm.fp, cm.precision(), cm.recall(), cm.f1())
	fmt.Fprintf(w, "AdmitsDebt vs admitted issues (non-debt issues with debt only in comments): %d issues, %d admitted; flagged %d: precision %.3f recall %.3f F1 %.3f\n",
		im.tp+im.fp+im.fn+im.tn, im.tp+im.fn, im.tp+im.fp, im.precision(), im.recall(), im.f1())
}

// printErrors lists the false positives and false negatives of one
// project's fold, with the words that drove each score: for reading, not
// for tuning to that project.
func printErrors(w io.Writer, d *dataset, r recipe, opt analyzer.DebtTrainOptions, project string) error {
	var train, test []*issue
	for _, is := range d.issues {
		if is.project == project {
			test = append(test, is)
		} else {
			train = append(train, is)
		}
	}
	if len(test) == 0 {
		return fmt.Errorf("no project %q (have %s)", project, strings.Join(d.projects(), ", "))
	}
	m, err := analyzer.TrainDebtModel(examples(train, r), opt)
	if err != nil {
		return err
	}
	for _, is := range test {
		s, words := m.Score(is.summary.text, is.description.text)
		if pred := s >= m.Threshold(); pred == is.debt {
			continue
		}
		kind := "FP"
		if is.debt {
			kind = "FN"
		}
		desc := is.description.text
		if len(desc) > 160 {
			desc = desc[:160] + "…"
		}
		fmt.Fprintf(w, "%s %s %.2f %q | %s || %s\n", kind, is.key(), s, words, is.summary.text, desc)
	}
	return nil
}

// writeFile writes through a buffer so a failed run leaves the old file.
func writeFile(path string, write func(io.Writer) error) error {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		return err
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// exportJSONL writes one canonical issue a line. The truth stays out of the
// issues (no label, no type), so an analyzer reading them cannot cheat.
func exportJSONL(w io.Writer, d *dataset) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, is := range d.issues {
		out := ladder.Issue{
			Ref:     ladder.Ref{Tracker: "apache", Key: is.key()},
			URL:     "https://issues.apache.org/jira/browse/" + is.key(),
			Project: is.project,
			Title:   is.summary.text,
			Body:    wikiToPlain(is.description.text),
		}
		if out.Body != is.description.text {
			out.BodyRaw = is.description.text
		}
		for _, c := range is.comments {
			cm := ladder.Comment{ID: c.name, Body: wikiToPlain(c.text)}
			if cm.Body != c.text {
				cm.Raw = c.text
			}
			out.Comments = append(out.Comments, cm)
		}
		if err := enc.Encode(out); err != nil {
			return fmt.Errorf("export %s: %w", is.key(), err)
		}
	}
	return nil
}

func exportTruth(w io.Writer, d *dataset) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"key", "debt", "admitted"}); err != nil {
		return err
	}
	for _, is := range d.issues {
		if err := cw.Write([]string{is.key(), strconv.FormatBool(is.debt), strconv.FormatBool(is.admitted)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// wikiToPlain reduces the Jira wiki markup found in the data to plain text:
// {{monospace}} and [text|url] keep their text, {code}/{noformat} blocks
// become ``` fences (which Tokenize skips, as it skips {code}), other macro
// tags and h1. heading marks go.
func wikiToPlain(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "{{"):
			end := strings.Index(s[i+2:], "}}")
			if end < 0 {
				b.WriteString(s[i:])
				return b.String()
			}
			b.WriteString(s[i+2 : i+2+end])
			i += 2 + end + 2
		case s[i] == '{':
			end := strings.IndexByte(s[i:], '}')
			name, _, _ := strings.Cut(s[i+1:i+max(end, 1)], ":")
			if end < 0 || !isMacroName(name) {
				b.WriteByte(s[i])
				i++
				continue
			}
			if name == "code" || name == "noformat" {
				b.WriteString("\n```\n")
			}
			i += end + 1
		case s[i] == '[':
			// args[0] is code, not a link: links follow a space or punctuation.
			end := strings.IndexByte(s[i:], ']')
			if end < 0 || i > 0 && isWordByte(s[i-1]) {
				b.WriteByte(s[i])
				i++
				continue
			}
			inner := s[i+1 : i+end]
			text, _, _ := strings.Cut(inner, "|")
			b.WriteString(strings.TrimPrefix(text, "~"))
			i += end + 1
		case (i == 0 || s[i-1] == '\n') && len(s) > i+3 && s[i] == 'h' && s[i+1] >= '1' && s[i+1] <= '6' && s[i+2] == '.' && s[i+3] == ' ':
			i += 4
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String()
}

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

func isMacroName(s string) bool {
	switch s {
	case "code", "noformat", "quote", "color", "panel", "anchor", "toc":
		return true
	}
	return false
}
