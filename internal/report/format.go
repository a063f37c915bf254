package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/ladderhq/ladder"
)

// pct formats a 0..1 share as a whole percentage; a share that rounds to 0
// but is not 0 shows as "<1%" so a little work never reads as none.
func pct(f float64) string {
	switch {
	case f <= 0:
		return "0%"
	case f < 0.005:
		return "<1%"
	case f > 0.995 && f < 1:
		return ">99%"
	}
	return strconv.Itoa(int(math.Round(f*100))) + "%"
}

// thousands formats n with commas between groups of three digits: 4,287.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// bandText is a target band as "15–25%", or "none".
func bandText(b ladder.Band) string {
	if b.IsZero() {
		return "none"
	}
	return fmt.Sprintf("%d–%d%%", int(math.Round(b.Min*100)), int(math.Round(b.Max*100)))
}

// points formats story points without trailing zeros: 3, 2.5, 0.5.
func points(p float64) string {
	return strconv.FormatFloat(math.Round(p*10)/10, 'f', -1, 64)
}

func statusWord(s ladder.StatusCategory) string {
	switch s {
	case ladder.StatusTodo:
		return "to do"
	case ladder.StatusInProgress:
		return "in progress"
	case ladder.StatusDone:
		return "done"
	}
	return "state unknown"
}

// shortQuarter is "Q2 FY26", for chart axes.
func shortQuarter(q ladder.Quarter) (string, string) {
	return "Q" + strconv.Itoa(q.Q), "FY" + strconv.Itoa(q.FY%100)
}

// debtSentence says where a debt share stands against its band.
func debtSentence(status string, b ladder.Band) string {
	switch status {
	case "below":
		return "below the " + bandText(b) + " target"
	case "above":
		return "above the " + bandText(b) + " target"
	case "within":
		return "within the " + bandText(b) + " target"
	}
	return "no target set"
}

func quarterRange(qs []ladder.Quarter) string {
	if len(qs) == 0 {
		return ""
	}
	if len(qs) == 1 {
		return qs[0].String()
	}
	return qs[0].String() + " to " + qs[len(qs)-1].String()
}

func joinNonEmpty(sep string, xs ...string) string {
	var out []string
	for _, x := range xs {
		if x != "" {
			out = append(out, x)
		}
	}
	return strings.Join(out, sep)
}

// prefix returns p+s, or "" when s is empty.
func prefix(p, s string) string {
	if s == "" {
		return ""
	}
	return p + s
}
