package main

import (
	"os"
	"strings"
	"testing"
)

// TestReportToADirectoryIsRefused: -o naming a directory is bad usage,
// said before the analysis, and leaves no temp file behind.
func TestReportToADirectoryIsRefused(t *testing.T) {
	e := newEnv(t)
	e.mustRun(t, "sync")
	before, err := os.ReadDir(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	if code := e.run(t, "report", "-o", e.dir); code != exitUsage || !strings.Contains(e.stderr.String(), "is a directory: give a file name") {
		t.Fatalf("report -o DIR: exit %d, want %d\n%s", code, exitUsage, e.stderr)
	}
	after, err := os.ReadDir(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		var names []string
		for _, f := range after {
			names = append(names, f.Name())
		}
		t.Errorf("report -o DIR left files behind: %v", names)
	}
}
