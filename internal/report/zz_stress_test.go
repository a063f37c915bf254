package report

import (
	"bytes"
	"fmt"
	"os"
	"testing"

	"github.com/ladderhq/ladder"
)

func TestZZStress(t *testing.T) {
	s := fixtureSummary()
	o := fixtureOptions()
	o.Quarters = 8
	for i := 0; i < 12; i++ {
		name := fmt.Sprintf("team-%02d", i)
		if i == 3 {
			name = "developer-experience-and-internal-platform-tooling-guild"
		}
		o.Teams = append(o.Teams, ladder.Team{Name: name, TechDebtTarget: ladder.Band{Min: 0.1, Max: 0.3}})
		tq := ladder.TeamQuarter{Team: name, Quarter: "FY2027-Q1", Issues: 10 + i, Estimated: i, Points: float64(3 * i),
			Unaligned: share(i, 10+i, 0, 0), Debt: share(i%5, 10+i, 0, 0)}
		for g := 0; g < i%9; g++ {
			tq.Goals = append(tq.Goals, ladder.GoalShare{Goal: fmt.Sprintf("goal-%d-with-a-rather-long-identifier", g), Title: "A goal whose title goes on and on to see how the table wraps it", Share: share(1, 10+i, 1, 3)})
		}
		for k := 0; k < i; k++ {
			tq.UnalignedIssues = append(tq.UnalignedIssues, line("gh", fmt.Sprintf("acme/very-long-repository-name-%d#%d", i, 1000+k), "Supercalifragilisticexpialidocious_identifier_without_any_spaces_at_all_that_must_wrap_somewhere_in_the_layout", ladder.StatusTodo))
		}
		s.Teams = append(s.Teams, tq)
		s.Dependencies.Pairs = append(s.Dependencies.Pairs, ladder.TeamPair{Waiting: name, Blocking: "platform", Open: i + 1})
	}
	var buf bytes.Buffer
	if err := HTML(&buf, s, o); err != nil {
		t.Fatal(err)
	}
	os.WriteFile("/tmp/stress.html", buf.Bytes(), 0o644)
	buf.Reset()
	HTML(&buf, nil, Options{})
	os.WriteFile("/tmp/empty.html", buf.Bytes(), 0o644)
}
