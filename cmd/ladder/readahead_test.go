package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/store"
)

// aheadStore is a real store holding more issues than the read-ahead keeps
// in flight, so the reader blocks on a slow consumer along the way.
func aheadStore(t *testing.T, n int) *store.Store {
	t.Helper()
	st, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "ladder.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var batch []ladder.Issue
	for i := range n {
		batch = append(batch, ladder.Issue{
			Ref: ladder.Ref{Tracker: "jira", Key: fmt.Sprintf("PAY-%05d", i)}, ID: fmt.Sprint(i), Title: fmt.Sprint("issue ", i),
			Comments: []ladder.Comment{{ID: fmt.Sprint("c", i), Body: fmt.Sprint("comment on ", i)}},
		})
	}
	if _, err := st.PutIssues(t.Context(), batch); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestReadAhead(t *testing.T) {
	const n = aheadBatch*aheadBatches*2 + 17
	st := aheadStore(t, n)

	t.Run("every issue, in store order, whole", func(t *testing.T) {
		var want []string
		if err := st.EachForAnalysis(t.Context(), func(is *ladder.Issue) error {
			want = append(want, is.Ref.String()+"|"+is.Comments[0].Body)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		for pass := range 2 { // the analyzer calls it twice
			var got []string
			if err := readAhead(t.Context(), st)(func(is *ladder.Issue) error {
				got = append(got, is.Ref.String()+"|"+is.Comments[0].Body)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if len(got) != n || fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("pass %d: %d issues, want the %d of Each in its order", pass, len(got), n)
			}
		}
	})

	t.Run("an error from fn stops the read and is returned", func(t *testing.T) {
		stop := errors.New("stop here")
		seen := 0
		err := readAhead(t.Context(), st)(func(is *ladder.Issue) error {
			if seen++; seen == aheadBatch+3 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || seen != aheadBatch+3 {
			t.Errorf("error %v after %d issues; want %v after %d", err, seen, stop, aheadBatch+3)
		}
		// The reader has let go of the store: a write goes through.
		if _, err := st.PutIssues(t.Context(), []ladder.Issue{{Ref: ladder.Ref{Tracker: "jira", Key: "PAY-99999"}, Title: "after"}}); err != nil {
			t.Errorf("write after a stopped read: %v", err)
		}
	})

	t.Run("a failing store read is returned", func(t *testing.T) {
		broken := aheadStore(t, 10)
		broken.Close()
		err := readAhead(t.Context(), broken)(func(*ladder.Issue) error { return nil })
		if err == nil {
			t.Error("reading a closed store: no error")
		}
	})
}
