package jira

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ladderhq/ladder"
)

// The real link types of public Jira sites (Montgomery, Lüders, Maalej, MSR
// 2022, CC BY 4.0), kept in the repository's testdata/eval/deps.
const linkData = "../../testdata/eval/deps/jira-linktype-mapping"

type realLinkType struct {
	ID, Name, Inward, Outward string
}

func loadLinkData(t *testing.T) (map[string]string, map[string]map[string]realLinkType) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(linkData, "jira_issue_linktype_mapping.json"))
	if err != nil {
		t.Fatal(err)
	}
	var mapping struct {
		LinkTypes map[string]string `json:"link types"`
	}
	if err := json.Unmarshal(raw, &mapping); err != nil {
		t.Fatal(err)
	}
	raw, err = os.ReadFile(filepath.Join(linkData, "jira_issuelinktype_information.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sites map[string]map[string]realLinkType
	if err := json.Unmarshal(raw, &sites); err != nil {
		t.Fatal(err)
	}
	return mapping.LinkTypes, sites
}

func TestCategoryTableMatchesDataset(t *testing.T) {
	mapping, _ := loadLinkData(t)
	for name, want := range mapping {
		if got := category(name); got != want {
			t.Errorf("category(%q) = %q, want %q", name, got, want)
		}
	}
}

func valid(k ladder.LinkKind) bool {
	switch k {
	case ladder.Blocks, ladder.BlockedBy, ladder.DependsOn, ladder.ParentOf, ladder.ChildOf,
		ladder.Relates, ladder.Duplicates, ladder.Mentions:
		return true
	}
	return false
}

func TestLinkKindsOnRealSites(t *testing.T) {
	mapping, sites := loadLinkData(t)
	lk, _ := newLinkKinds(nil)
	n := 0
	for site, types := range sites {
		for _, lt := range types {
			n++
			in := lk.kind(lt.Name, lt.Inward, lt.Outward, true)
			out := lk.kind(lt.Name, lt.Inward, lt.Outward, false)
			where := site + " " + lt.Name + " (" + lt.Inward + " / " + lt.Outward + ")"
			if !valid(in) || !valid(out) {
				t.Errorf("%s: kinds %q/%q", where, in, out)
				continue
			}
			switch cat := mapping[lt.Name]; cat {
			case "Block", "Depend", "Require":
				if in.Waits() == out.Waits() || (in.Waits() && out != ladder.Blocks) || (out.Waits() && in != ladder.Blocks) {
					t.Errorf("%s: inward %s, outward %s; want one side waiting, the other blocking", where, in, out)
				}
			case "Relate":
				if in != ladder.Relates || out != ladder.Relates {
					t.Errorf("%s: inward %s, outward %s; want relates", where, in, out)
				}
			case "Clone": // some sites word clones as "duplicates"
				if in != out || in != ladder.Relates && in != ladder.Duplicates {
					t.Errorf("%s: inward %s, outward %s; want relates or duplicates", where, in, out)
				}
			case "Duplicate":
				if in != ladder.Duplicates || out != ladder.Duplicates {
					t.Errorf("%s: inward %s, outward %s; want duplicates", where, in, out)
				}
			case "Parent-Child", "Incorporate":
				if !(in == ladder.ParentOf && out == ladder.ChildOf || in == ladder.ChildOf && out == ladder.ParentOf) {
					t.Errorf("%s: inward %s, outward %s; want parent and child", where, in, out)
				}
			case "Cause", "Fix", "Test", "Documented", "Implement", "Split", "Backport", "Bonfire Testing",
				"Derive", "Detail", "Trigger", "Replace", "Supercede", "Breaks", "Follow", "start-start", "start-finish":
				if in.Waits() || out.Waits() || in == ladder.Blocks || out == ladder.Blocks {
					t.Errorf("%s (%s): inward %s, outward %s; not a dependency", where, cat, in, out)
				}
			}
			// Whatever the name, a phrase that says who waits decides.
			for _, side := range []struct {
				phrase string
				got    ladder.LinkKind
			}{{lt.Inward, in}, {lt.Outward, out}} {
				p := normPhrase(side.phrase)
				if normPhrase(lt.Inward) == normPhrase(lt.Outward) {
					continue
				}
				switch {
				case strings.Contains(p, "blocked by") && side.got != ladder.BlockedBy,
					(p == "blocks" || p == "is blocking") && side.got != ladder.Blocks,
					(strings.HasPrefix(p, "depends on") || strings.HasPrefix(p, "depends upon")) && side.got != ladder.DependsOn,
					strings.Contains(p, "depended") && side.got != ladder.Blocks:
					t.Errorf("%s: phrase %q read as %s", where, side.phrase, side.got)
				}
			}
		}
	}
	if n < 150 {
		t.Errorf("only %d link types read; the dataset has about 200", n)
	}
}

func TestLinkKindsNamedCases(t *testing.T) {
	_, sites := loadLinkData(t)
	lk, _ := newLinkKinds(nil)
	tests := []struct {
		site, name   string
		inward, outw ladder.LinkKind
	}{
		{"Apache", "Blocker", ladder.BlockedBy, ladder.Blocks},
		{"Apache", "Blocked", ladder.BlockedBy, ladder.Blocks}, // phrases "Blocked"/"Blocked": by name
		{"Apache", "Dependency", ladder.Blocks, ladder.DependsOn},
		{"Apache", "dependent", ladder.Blocks, ladder.DependsOn},
		{"Apache", "Required", ladder.Blocks, ladder.DependsOn},
		{"Apache", "Child-Issue", ladder.ParentOf, ladder.ChildOf},
		{"Apache", "Incorporates", ladder.ParentOf, ladder.ChildOf},
		{"Sakai", "5 - Depend", ladder.DependsOn, ladder.Blocks}, // sides swapped on this site
		{"Sakai", "6 - Blocks", ladder.BlockedBy, ladder.Blocks},
		{"JFrog", "Dependency", ladder.Blocks, ladder.DependsOn},
		{"JFrog", "Finish-to-Start link (WBSGantt)", ladder.DependsOn, ladder.Blocks},
		{"Qt", "Dependency", ladder.Blocks, ladder.DependsOn},
		{"IntelDAOS", "Blocker", ladder.BlockedBy, ladder.Blocks},
		{"IntelDAOS", "Gantt End to Start", ladder.DependsOn, ladder.Blocks},
		{"MongoDB", "Gantt Dependency", ladder.DependsOn, ladder.Blocks},
		{"JiraEcosystem", "Epic", ladder.ChildOf, ladder.ParentOf},
		{"JiraEcosystem", "Preceded By", ladder.DependsOn, ladder.Blocks},
		{"RedHat", "is-subtask-of", ladder.ChildOf, ladder.ParentOf},
		{"SecondLife", "Cloners", ladder.Duplicates, ladder.Duplicates},
		{"Jira", "Cause", ladder.Relates, ladder.Relates},
		{"JFrog", "Trigger", ladder.Relates, ladder.Relates},
	}
	for _, tt := range tests {
		t.Run(tt.site+" "+tt.name, func(t *testing.T) {
			lt, ok := sites[tt.site][tt.name]
			if !ok {
				t.Fatalf("%s has no link type %q", tt.site, tt.name)
			}
			if got := lk.kind(lt.Name, lt.Inward, lt.Outward, true); got != tt.inward {
				t.Errorf("inward %q = %s, want %s", lt.Inward, got, tt.inward)
			}
			if got := lk.kind(lt.Name, lt.Inward, lt.Outward, false); got != tt.outw {
				t.Errorf("outward %q = %s, want %s", lt.Outward, got, tt.outw)
			}
		})
	}
}

func TestLinkKindsUnknownAndOverridden(t *testing.T) {
	tests := []struct {
		name                    string
		overrides               map[string]string
		typ, inward, outward    string
		wantInward, wantOutward ladder.LinkKind
	}{
		{name: "unknown relates", typ: "Polaris issue link", inward: "is implemented by", outward: "implements", wantInward: ladder.Relates, wantOutward: ladder.Relates},
		{name: "unknown name, telling phrase", typ: "Waits", inward: "is waited on by", outward: "waits for", wantInward: ladder.Blocks, wantOutward: ladder.DependsOn},
		{name: "name hints at blocking", typ: "Hard Blocker", inward: "x", outward: "y", wantInward: ladder.BlockedBy, wantOutward: ladder.Blocks},
		{name: "override by name beats phrase", overrides: map[string]string{"Blocks": "relates"}, typ: "Blocks", inward: "is blocked by", outward: "blocks", wantInward: ladder.Relates, wantOutward: ladder.Relates},
		{name: "override by name is case blind", overrides: map[string]string{"implements": "depends_on"}, typ: "Implements", inward: "is implemented by", outward: "implements", wantInward: ladder.Blocks, wantOutward: ladder.DependsOn},
		{name: "override by ordinal name", overrides: map[string]string{"Needs": "DEPENDS_ON"}, typ: "7 - Needs", inward: "is needed by", outward: "needs", wantInward: ladder.Blocks, wantOutward: ladder.DependsOn},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lk, err := newLinkKinds(tt.overrides)
			if err != nil {
				t.Fatal(err)
			}
			if got := lk.kind(tt.typ, tt.inward, tt.outward, true); got != tt.wantInward {
				t.Errorf("inward = %s, want %s", got, tt.wantInward)
			}
			if got := lk.kind(tt.typ, tt.inward, tt.outward, false); got != tt.wantOutward {
				t.Errorf("outward = %s, want %s", got, tt.wantOutward)
			}
		})
	}
}
