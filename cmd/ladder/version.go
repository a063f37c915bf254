package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// Set at link time to override what the build records, for builds made
// outside a git checkout (a release tarball, a distribution's package):
//
//	go build -ldflags "-X main.version=1.4.0 -X main.commit=3f2c1a9 -X main.date=2026-12-01T10:00:00Z" ./cmd/ladder
var (
	version string
	commit  string
	date    string
)

// buildInfo is what `ladder version` says about the binary.
type buildInfo struct {
	Version  string
	Commit   string
	Modified bool   // built from a checkout with uncommitted changes
	Date     string // the build date given at link time, else the commit's time
	DateKind string // "built" or "committed"
	Go       string
}

// readBuildInfo takes what the Go toolchain recorded in the binary (the
// module version `go install …@v1.4.0` stamps, and the vcs.revision,
// vcs.time and vcs.modified settings of a build inside a git checkout),
// then lets the link-time variables win.
func readBuildInfo(bi *debug.BuildInfo, ok bool) buildInfo {
	info := buildInfo{Version: "devel", Go: runtime.Version()}
	if ok {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			info.Version = v
		}
		if bi.GoVersion != "" {
			info.Go = bi.GoVersion
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				info.Commit = s.Value
			case "vcs.time":
				info.Date, info.DateKind = s.Value, "committed"
			case "vcs.modified":
				info.Modified = s.Value == "true"
			}
		}
	}
	if version != "" {
		info.Version = version
	}
	if commit != "" {
		info.Commit, info.Modified = commit, false
	}
	if date != "" {
		info.Date, info.DateKind = date, "built"
	}
	return info
}

func (b buildInfo) String() string {
	var s strings.Builder
	fmt.Fprintf(&s, "ladder %s\n", b.Version)
	switch {
	case b.Commit == "":
		s.WriteString("commit    unknown (not recorded: built outside a git clone, or with -buildvcs=false; see -ldflags -X main.commit)\n")
	case b.Modified:
		fmt.Fprintf(&s, "commit    %s (with uncommitted changes)\n", b.Commit)
	default:
		fmt.Fprintf(&s, "commit    %s\n", b.Commit)
	}
	if b.Date != "" {
		fmt.Fprintf(&s, "%-9s %s\n", b.DateKind, b.Date)
	}
	fmt.Fprintf(&s, "go        %s\n", b.Go)
	return s.String()
}

func currentBuild() buildInfo { return readBuildInfo(debug.ReadBuildInfo()) }

func newVersionCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print Ladder's version, commit and build date",
		Long: `Print the version, the commit it was built from (and whether the checkout had
uncommitted changes) and the commit's time, as the Go toolchain records them in
the binary. Builds made outside a git checkout can set them at link time:
  go build -ldflags "-X main.version=1.4.0 -X main.commit=3f2c1a9 -X main.date=2026-12-01T10:00:00Z" ./cmd/ladder
('ladder --version' prints the same.)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprint(g.Stdout, currentBuild())
			return err
		},
	}
}
