package main

import (
	"bytes"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

// TestVersionCommandAndFlag: `ladder version` and `ladder --version` print
// the same lines, with the Go version the binary was built with.
func TestVersionCommandAndFlag(t *testing.T) {
	var outs []string
	for _, args := range [][]string{{"version"}, {"--version"}} {
		var stdout, stderr bytes.Buffer
		g := &globals{Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }}
		if code := execute(t.Context(), g, args); code != exitOK {
			t.Fatalf("ladder %s: exit %d\n%s", args[0], code, &stderr)
		}
		outs = append(outs, stdout.String())
	}
	if outs[0] != outs[1] {
		t.Errorf("version and --version differ:\n%s\n---\n%s", outs[0], outs[1])
	}
	if !strings.HasPrefix(outs[0], "ladder ") || !strings.Contains(outs[0], "commit ") || !strings.Contains(outs[0], runtime.Version()) {
		t.Errorf("version output:\n%s", outs[0])
	}
}

// TestReadBuildInfo: what the toolchain stamps (module version, vcs.*)
// is read, and the -ldflags -X variables override it.
func TestReadBuildInfo(t *testing.T) {
	stamped := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "github.com/ladderhq/ladder", Version: "v1.3.0"},
		Settings: []debug.BuildSetting{
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: "f888514c0ffee"},
			{Key: "vcs.time", Value: "2026-12-02T18:00:00Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	tests := []struct {
		name                  string
		bi                    *debug.BuildInfo
		ok                    bool
		version, commit, date string // link-time overrides
		want                  []string
	}{
		{name: "stamped by the toolchain", bi: stamped, ok: true,
			want: []string{"ladder v1.3.0\n", "commit    f888514c0ffee (with uncommitted changes)\n", "committed 2026-12-02T18:00:00Z\n", "go        go1.26.8\n"}},
		{name: "overridden at link time", bi: stamped, ok: true, version: "1.4.0", commit: "3f2c1a9", date: "2026-12-03T07:00:00Z",
			want: []string{"ladder 1.4.0\n", "commit    3f2c1a9\n", "built     2026-12-03T07:00:00Z\n"}},
		{name: "a devel build outside git", bi: &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, ok: true,
			want: []string{"ladder devel\n", "commit    unknown (not recorded: built outside a git clone"}},
		{name: "no build info", ok: false, want: []string{"ladder devel\n", "go        " + runtime.Version()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			saved := [3]string{version, commit, date}
			version, commit, date = tt.version, tt.commit, tt.date
			t.Cleanup(func() { version, commit, date = saved[0], saved[1], saved[2] })
			got := readBuildInfo(tt.bi, tt.ok).String()
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("no %q in:\n%s", w, got)
				}
			}
		})
	}
}
