package main

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
)

// TestJSONWriterStreamsOneDocument: the streamed json output is byte for
// byte the document encoding everything at once gives.
func TestJSONWriterStreamsOneDocument(t *testing.T) {
	sum := &ladder.Summary{GeneratedAt: time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC), UnknownTeamTotal: 1,
		UnknownTeam: []ladder.Ref{{Tracker: "jira", Key: "OPS-1"}}}
	verdicts := []*ladder.Verdict{
		{Ref: ladder.Ref{Tracker: "jira", Key: "PAY-1"}, Title: "<b>Checkout</b> & cart", Team: "payments", Aligned: true,
			Goals: []ladder.GoalMatch{{ID: "pay-checkout", Score: 1, Path: "label goal:checkout → pay-checkout"}}, Reasons: ladder.Reasons{{Text: "a"}, {Text: "b"}}},
		{Ref: ladder.Ref{Tracker: "gh", Key: "acme/web#2"}, Title: "Second", Reasons: ladder.Reasons{{Text: "c"}}},
	}
	for _, n := range []int{0, 1, 2} {
		var got bytes.Buffer
		w := newJSONWriter(&got)
		for _, v := range verdicts[:n] {
			if err := w.write(v); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.close(sum); err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(struct {
			Verdicts []*ladder.Verdict `json:"verdicts"`
			Summary  *ladder.Summary   `json:"summary"`
		}{append([]*ladder.Verdict{}, verdicts[:n]...), sum}); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%d verdicts:\ngot\n%s\nwant\n%s", n, got.String(), want.String())
		}
	}
}
