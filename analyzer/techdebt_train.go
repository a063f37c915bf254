package analyzer

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// DebtExample is one labelled text for TrainDebtModel.
type DebtExample struct {
	Title, Body string
	Debt        bool
	// Group is where the example comes from (a project): see MinGroups,
	// and RandomFolds for how it can choose the threshold.
	Group string
	// Aux marks extra training signal (a labelled comment or section, not
	// a whole issue): fitted with Weight, never used to choose the threshold.
	Aux    bool
	Weight float64 // 0 means 1
}

// DebtTrainOptions fix everything that shapes a trained model, so the same
// examples and options always give the same bytes. Zero values take the
// defaults noted.
type DebtTrainOptions struct {
	Version    string // written into the model; the trainer adds the data hash
	DataSHA256 string
	Trainer    string // how to reproduce, written into the model

	MinDF    int // drop terms in fewer training examples (default 2)
	MaxTerms int // keep the terms with the highest df (0 = all)
	// MinGroups drops terms seen in fewer groups: words only one project
	// uses (its module and class names) teach that project's base rate,
	// not what debt reads like.
	MinGroups   int
	StopWords   bool    // keep stop-words as terms ("should be", "no longer")
	NoBigrams   bool    // unigrams only
	TitleWeight float64 // title term count multiplier (default 2)
	Lambda      float64 // L2 strength per unit of example weight (default 1e-3)
	Iterations  int     // gradient steps (default 400)
	Balance     bool    // weight classes to equal total weight
	// RandomFolds chooses the threshold on this many seeded random folds
	// instead of one fold per group. A model fitted on one project scores
	// another much lower than a model fitted on two does, so thresholds
	// from group folds come out too low.
	RandomFolds int
	Seed        uint64
	// CharGrams adds character n-grams of these lengths [min, max] inside
	// words, hashed into 2^CharBits buckets, as a second block weighing
	// CharShare of each vector (see debtModelFile). [0, 0]: words only.
	CharGrams [2]int
	CharBits  int
	CharShare float64
}

func (o *DebtTrainOptions) defaults() {
	if o.MinDF == 0 {
		o.MinDF = 2
	}
	if o.TitleWeight == 0 {
		o.TitleWeight = 2
	}
	if o.Lambda == 0 {
		o.Lambda = 1e-3
	}
	if o.Iterations == 0 {
		o.Iterations = 400
	}
}

// TrainDebtModel fits a DebtModel to examples: vocabulary by document
// frequency, L2-regularised logistic regression by accelerated full-batch
// gradient descent (no sampling, so no randomness), and a threshold that
// maximises F1 on held-out non-auxiliary examples (see chooseThreshold).
func TrainDebtModel(examples []DebtExample, opt DebtTrainOptions) (*DebtModel, error) {
	opt.defaults()
	if len(examples) == 0 {
		return nil, errors.New("techdebt train: no examples")
	}
	th, err := chooseThreshold(examples, opt)
	if err != nil {
		return nil, err
	}
	m := fitDebt(examples, opt)
	m.file.Threshold = round6(th)
	return m, nil
}

// chooseThreshold scores each fold's examples with a model fitted on the
// other folds and returns the threshold with the best F1 over all of them.
// Folds are the groups, or seeded random folds (RandomFolds, or five when
// there is only one group).
func chooseThreshold(examples []DebtExample, opt DebtTrainOptions) (float64, error) {
	fold := make([]int, len(examples))
	var groups []string
	for i, e := range examples {
		k := slices.Index(groups, e.Group)
		if k < 0 {
			k = len(groups)
			groups = append(groups, e.Group)
		}
		fold[i] = k
	}
	nFolds := len(groups)
	if nFolds < 2 || opt.RandomFolds > 0 {
		nFolds = cmp.Or(opt.RandomFolds, 5)
		r := rand.New(rand.NewPCG(opt.Seed, 0x7ec4deb7))
		for i := range fold {
			fold[i] = r.IntN(nFolds)
		}
	}
	var scored []scoredLabel
	for f := range nFolds {
		var train, test []DebtExample
		for i, e := range examples {
			if fold[i] == f {
				if !e.Aux {
					test = append(test, e)
				}
			} else {
				train = append(train, e)
			}
		}
		if len(train) == 0 || len(test) == 0 {
			continue
		}
		m := fitDebt(train, opt)
		for _, e := range test {
			s := m.probability(e.Title, e.Body)
			scored = append(scored, scoredLabel{s, e.Debt})
		}
	}
	if len(scored) == 0 {
		return 0, errors.New("techdebt train: no held-out examples to choose a threshold on")
	}
	return bestF1Threshold(scored), nil
}

type scoredLabel struct {
	score float64
	debt  bool
}

// bestF1Threshold returns the threshold that maximises F1 over scored
// examples: the midpoint between the lowest score called debt and the next
// lower score, so it is not tied to one example's exact score.
func bestF1Threshold(scored []scoredLabel) float64 {
	s := slices.Clone(scored)
	slices.SortFunc(s, func(a, b scoredLabel) int { return cmp.Compare(b.score, a.score) })
	pos := 0
	for _, x := range s {
		if x.debt {
			pos++
		}
	}
	best, bestF1, tp := 0.5, -1.0, 0
	for i, x := range s {
		if x.debt {
			tp++
		}
		if i+1 < len(s) && s[i+1].score == x.score {
			continue
		}
		f1 := 2 * float64(tp) / float64(i+1+pos)
		if f1 > bestF1 {
			bestF1 = f1
			lower := 0.0
			if i+1 < len(s) {
				lower = s[i+1].score
			}
			best = (x.score + lower) / 2
		}
	}
	return min(max(best, 1e-6), 1-1e-6)
}

// fitDebt builds the vocabulary of examples and fits the weights.
func fitDebt(examples []DebtExample, opt DebtTrainOptions) *DebtModel {
	vocab := debtVocab(examples, opt)
	chars := debtCharBuckets(examples, opt)
	n := float64(len(examples))
	f := debtModelFile{
		debtModelHeader: debtModelHeader{
			Version:     opt.Version,
			DataSHA256:  opt.DataSHA256,
			Trainer:     opt.Trainer,
			Threshold:   0.5,
			TitleWeight: opt.TitleWeight,
			StopWords:   opt.StopWords,
			CharGrams:   opt.CharGrams,
			CharBits:    opt.CharBits,
			CharShare:   opt.CharShare,
		},
		Terms: make([]debtTerm, len(vocab)),
		Chars: chars,
	}
	for i, v := range vocab {
		// Smoothed idf, as scikit-learn computes it.
		idf := 1 + math.Log((1+n)/(1+float64(v.df)))
		f.Terms[i] = debtTerm{Term: v.term, IDF: round6(idf)}
	}
	m, err := newDebtModel(f)
	if err != nil {
		panic(err) // vocab terms are unique by construction
	}

	xs, ys, ws := debtTrainingSet(m, examples, opt.Balance)
	w, bias := fitLogistic(xs, ys, ws, len(m.w), opt.Lambda, opt.Iterations)
	for i := range m.file.Terms {
		m.file.Terms[i].Weight = round6(w[i])
	}
	m.file.NoBody = round6(w[len(m.file.Terms)])
	for i := range m.file.Chars {
		m.file.Chars[i].Weight = round6(w[len(m.file.Terms)+1+i])
	}
	m.file.Bias = round6(bias)
	// Rebuild from the rounded file so a model in memory scores exactly as
	// the same model read back from disk.
	m, err = newDebtModel(m.file)
	if err != nil {
		panic(err)
	}
	return m
}

type termDF struct {
	term string
	df   int
}

// debtVocab is the model's vocabulary: the terms in at least MinDF examples
// of at least MinGroups groups, the MaxTerms most frequent (ties broken by
// term), in term order.
func debtVocab(examples []DebtExample, opt DebtTrainOptions) []termDF {
	df := make(map[string]int)
	groupsOf := make(map[string][]string)
	seen := make(map[string]bool)
	for _, e := range examples {
		clear(seen)
		for _, t := range debtTermsOf(e.Title, e.Body, !opt.NoBigrams, opt.StopWords) {
			if !seen[t] {
				seen[t] = true
				df[t]++
				if g := groupsOf[t]; !slices.Contains(g, e.Group) {
					groupsOf[t] = append(g, e.Group)
				}
			}
		}
	}
	var vocab []termDF
	for t, n := range df {
		if n >= opt.MinDF && len(groupsOf[t]) >= opt.MinGroups {
			vocab = append(vocab, termDF{t, n})
		}
	}
	slices.SortFunc(vocab, func(a, b termDF) int {
		if c := cmp.Compare(b.df, a.df); c != 0 {
			return c
		}
		return strings.Compare(a.term, b.term)
	})
	if opt.MaxTerms > 0 && len(vocab) > opt.MaxTerms {
		vocab = vocab[:opt.MaxTerms]
	}
	slices.SortFunc(vocab, func(a, b termDF) int { return strings.Compare(a.term, b.term) })
	return vocab
}

// debtCharBuckets are the character n-gram buckets in at least MinDF
// examples of at least MinGroups groups, with their smoothed idf, in bucket
// order; none when the options ask for no character n-grams.
func debtCharBuckets(examples []DebtExample, opt DebtTrainOptions) []debtBucket {
	if opt.CharGrams[0] <= 0 {
		return nil
	}
	cm := &DebtModel{file: debtModelFile{debtModelHeader: debtModelHeader{CharGrams: opt.CharGrams, CharBits: opt.CharBits}}}
	charDF := make(map[uint32]int)
	charGroups := make(map[uint32][]string)
	seen := make(map[uint32]bool)
	var buf []byte
	for _, e := range examples {
		clear(seen)
		for _, text := range [2]string{e.Title, e.Body} {
			scanWords(text, opt.StopWords, func(_ string, start, end int) {
				buf = cm.charGrams(buf, text, start, end, func(b uint32) {
					if !seen[b] {
						seen[b] = true
						charDF[b]++
						if g := charGroups[b]; !slices.Contains(g, e.Group) {
							charGroups[b] = append(g, e.Group)
						}
					}
				})
			})
		}
	}
	var chars []debtBucket
	for b, n := range charDF {
		if n >= opt.MinDF && len(charGroups[b]) >= opt.MinGroups {
			chars = append(chars, debtBucket{Bucket: b, IDF: round6(1 + math.Log((1+float64(len(examples)))/(1+float64(n))))})
		}
	}
	slices.SortFunc(chars, func(a, b debtBucket) int { return cmp.Compare(a.Bucket, b.Bucket) })
	return chars
}

// debtTrainingSet computes each example's feature vector by the same code
// that scores at run time, its label and its weight; balance reweighs the
// two classes to the same total.
func debtTrainingSet(m *DebtModel, examples []DebtExample, balance bool) (xs [][]debtEntry, ys, ws []float64) {
	xs = make([][]debtEntry, len(examples))
	ys = make([]float64, len(examples))
	ws = make([]float64, len(examples))
	var wPos, wNeg float64
	s := &debtScratch{}
	for i, e := range examples {
		s.reset()
		s.title, s.body = e.Title, e.Body
		m.vectorize(s, nil)
		xs[i] = slices.Clone(s.vec)
		ws[i] = cmp.Or(e.Weight, 1)
		if e.Debt {
			ys[i] = 1
			wPos += ws[i]
		} else {
			wNeg += ws[i]
		}
	}
	if balance && wPos > 0 && wNeg > 0 {
		for i := range ws {
			if ys[i] == 1 {
				ws[i] *= (wPos + wNeg) / (2 * wPos)
			} else {
				ws[i] *= (wPos + wNeg) / (2 * wNeg)
			}
		}
	}
	return xs, ys, ws
}

// debtTermsOf lists the unigram and (optionally) bigram terms of an issue,
// as vectorize looks them up.
func debtTermsOf(title, body string, bigrams, stopWords bool) []string {
	var out []string
	for _, text := range [2]string{title, body} {
		prev := ""
		scanWords(text, stopWords, func(stem string, _, _ int) {
			out = append(out, stem)
			if bigrams && prev != "" {
				out = append(out, prev+" "+stem)
			}
			prev = stem
		})
	}
	return out
}

// sparseRows holds feature vectors compactly (CSR) for the many passes of
// the optimiser.
type sparseRows struct {
	start []int // row i is idx/val[start[i]:start[i+1]]
	idx   []int32
	val   []float64
}

func toRows(xs [][]debtEntry) sparseRows {
	r := sparseRows{start: make([]int, 0, len(xs)+1)}
	for _, x := range xs {
		r.start = append(r.start, len(r.idx))
		for _, e := range x {
			r.idx = append(r.idx, e.idx)
			r.val = append(r.val, e.val)
		}
	}
	r.start = append(r.start, len(r.idx))
	return r
}

// fitLogistic minimises the weighted mean log-loss plus lambda/2·|w|² (bias
// not regularised) with Nesterov's accelerated gradient and a fixed step.
// Rows are L2-normalised, so the loss's curvature is bounded by (1+1)/4
// (the bias counts as one more feature) and a step of its inverse is safe.
func fitLogistic(xs [][]debtEntry, ys, ws []float64, dim int, lambda float64, iters int) ([]float64, float64) {
	rows := toRows(xs)
	var wsum float64
	for _, w := range ws {
		wsum += w
	}
	var maxSq float64
	for i := range xs {
		var sq float64
		for _, v := range rows.val[rows.start[i]:rows.start[i+1]] {
			sq += v * v
		}
		maxSq = max(maxSq, sq)
	}
	step := 1 / ((maxSq+1)/4 + lambda)

	w := make([]float64, dim+1) // last is the bias
	prev := make([]float64, dim+1)
	look := make([]float64, dim+1)
	grad := make([]float64, dim+1)
	for k := 1; k <= iters; k++ {
		mom := float64(k-1) / float64(k+2)
		for j := range look {
			look[j] = w[j] + mom*(w[j]-prev[j])
		}
		clear(grad)
		for i := range xs {
			idx := rows.idx[rows.start[i]:rows.start[i+1]]
			val := rows.val[rows.start[i]:rows.start[i+1]]
			z := look[dim]
			for k, j := range idx {
				z += look[j] * val[k]
			}
			g := ws[i] / wsum * (1/(1+math.Exp(-z)) - ys[i])
			for k, j := range idx {
				grad[j] += g * val[k]
			}
			grad[dim] += g
		}
		for j := range dim {
			grad[j] += lambda * look[j]
		}
		w, prev = prev, w
		for j := range w {
			w[j] = look[j] - step*grad[j]
		}
	}
	return w[:dim], w[dim]
}

// WriteJSON writes the model in the form LoadDebtModel reads: one term a
// line, sorted, so versions diff well.
func (m *DebtModel) WriteJSON(w io.Writer) error {
	f := m.file
	h := f.debtModelHeader
	h.Threshold = round6(h.Threshold)
	head, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("techdebt model: encode: %w", err)
	}
	var b strings.Builder
	b.Write(head[:len(head)-1])
	b.WriteString(`,"terms":[`)
	for i, t := range f.Terms {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
		line, err := t.MarshalJSON()
		if err != nil {
			return fmt.Errorf("techdebt model: encode term %q: %w", t.Term, err)
		}
		b.Write(line)
	}
	b.WriteString("\n],\"chars\":[")
	for i, c := range f.Chars {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
		line, err := c.MarshalJSON()
		if err != nil {
			return fmt.Errorf("techdebt model: encode char bucket %d: %w", c.Bucket, err)
		}
		b.Write(line)
	}
	b.WriteString("\n]}\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("techdebt model: write: %w", err)
	}
	return nil
}
