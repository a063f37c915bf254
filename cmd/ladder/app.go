package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/analyzer"
	"github.com/ladderhq/ladder/config"
	"github.com/ladderhq/ladder/internal/pgstore"
	"github.com/ladderhq/ladder/internal/store"
)

// loadConfig finds, reads and validates the config; every problem is a usage error.
func (g *globals) loadConfig() (*config.Config, error) {
	return g.loadConfigOpts(config.Options{})
}

// loadTrackerConfig is loadConfig for commands that talk to the trackers
// (only the one named, when tracker is set): unset credential variables are
// reported with the file's other problems, before any request.
func (g *globals) loadTrackerConfig(tracker string) (*config.Config, error) {
	return g.loadConfigOpts(config.Options{Secrets: true, Tracker: tracker})
}

func (g *globals) loadConfigOpts(opts config.Options) (*config.Config, error) {
	path, err := config.Find(g.ConfigPath, g.Getenv)
	if err != nil {
		return nil, usageError{err}
	}
	opts.Getenv = g.Getenv
	cfg, err := config.Load(path, opts)
	if err != nil {
		return nil, usageError{err}
	}
	return cfg, nil
}

// storeUse says what a command does with the store.
type storeUse int

const (
	// storeFills: sync, import, run, demo; creates the store when missing.
	storeFills storeUse = iota
	// storeReads: analyze, report, explain; the store must exist, and is
	// opened read-only (a pending schema upgrade opens it for writing when
	// this user may).
	storeReads
	// storeReadsMayRecord: a dry-run publish; the store must exist, and is
	// opened for writing when this user may (to record what the trackers
	// already show), read-only otherwise.
	storeReadsMayRecord
	// storeWrites: publish --apply; the store must exist and be writable.
	storeWrites
)

// storeChoice is the store a command uses and how it was chosen: a
// mistyped path is only noticed when a message says where it came from.
type storeChoice struct {
	kind config.StoreKind
	path string // the SQLite file, or the PostgreSQL URL (never with a password)
	how  string
}

// chooseStore picks the store: --store, else the config's store (itself
// from LADDER_STORE, the store: key or the default), else, with no config,
// LADDER_STORE or ./ladder.db. A value with a scheme selects the backend
// (postgres://, postgresql://; sqlite: or file: for a file); an unknown
// scheme, or a password inside a URL, is a usage error saying where the
// value came from and never repeating it.
func (g *globals) chooseStore(cfg *config.Config) (storeChoice, error) {
	var c storeChoice
	switch env := g.Getenv(config.EnvName("store")); {
	case g.StorePath != "":
		c = storeChoice{path: g.StorePath, how: "the --store flag"}
	case cfg != nil:
		how := cfg.Origin("store")
		if strings.HasPrefix(how, "the default") {
			how += ", which puts it next to the config"
		}
		// The config validated its store value, and resolved a relative
		// path against its own directory.
		kind, _, _ := config.ParseStore(cfg.Store)
		return storeChoice{kind: kind, path: cfg.StorePath(), how: how}, nil
	case env != "":
		c = storeChoice{path: env, how: "the " + config.EnvName("store") + " environment variable"}
	default:
		return storeChoice{kind: config.StoreSQLite, path: "ladder.db", how: "the default (no config file, so ./ladder.db)"}, nil
	}
	kind, where, err := config.ParseStore(c.path)
	if err != nil {
		return storeChoice{}, usageError{fmt.Errorf("the store given by %s %w", c.how, err)}
	}
	c.kind, c.path = kind, where
	return c, nil
}

// openStore opens the store chooseStore picks, as use needs it.
func (g *globals) openStore(ctx context.Context, cfg *config.Config, use storeUse) (ladderStore, error) {
	c, err := g.chooseStore(cfg)
	if err != nil {
		return nil, err
	}
	if c.kind == config.StorePostgres {
		// A database is never created by Ladder, and an empty one is
		// migrated on open; who may write is the role's business.
		st, err := pgstore.Open(ctx, c.path)
		if err != nil {
			return nil, fmt.Errorf("%w (chosen by %s)", err, c.how)
		}
		return st, nil
	}
	if use != storeFills {
		if _, err := os.Stat(c.path); errors.Is(err, fs.ErrNotExist) {
			return nil, usageError{fmt.Errorf("no store at %s (chosen by %s): nothing was ever synced into it; "+
				"check the path, or fill it first with `ladder sync` or `ladder import FILE`", c.path, c.how)}
		}
	}
	var st *store.Store
	switch use {
	case storeReads:
		st, err = store.OpenReadOnly(ctx, c.path)
		if errors.Is(err, store.ErrOlderSchema) {
			if rw, rwErr := store.Open(ctx, c.path); rwErr == nil {
				st, err = rw, nil
			}
		}
	case storeReadsMayRecord:
		st, err = store.Open(ctx, c.path)
		if errors.Is(err, fs.ErrPermission) {
			st, err = store.OpenReadOnly(ctx, c.path)
		}
	default:
		_, statErr := os.Stat(c.path)
		st, err = store.Open(ctx, c.path)
		if err == nil && errors.Is(statErr, fs.ErrNotExist) {
			g.Logger.Info("created a new store", "path", c.path, "chosen_by", c.how)
		}
	}
	if err != nil {
		return nil, err
	}
	return st, nil
}

// teams converts config teams to domain teams.
func teams(cfg *config.Config) []ladder.Team {
	out := make([]ladder.Team, 0, len(cfg.Teams))
	for _, t := range cfg.Teams {
		lt := ladder.Team{
			Name: t.Name, JiraProjects: t.JiraProjects, Components: t.Components,
			GitHubRepos: t.GitHubRepos, Labels: t.Labels, Members: t.Members,
		}
		if t.TechDebtTarget != nil {
			lt.TechDebtTarget = ladder.Band{Min: t.TechDebtTarget.Min, Max: t.TechDebtTarget.Max}
		}
		out = append(out, lt)
	}
	return out
}

// goals converts config goals to domain goals.
func goals(cfg *config.Config) []ladder.Goal {
	out := make([]ladder.Goal, 0, len(cfg.Goals))
	for _, g := range cfg.Goals {
		out = append(out, ladder.Goal{
			ID: g.ID, Title: g.Title, Description: g.Description, Team: g.Team, Parent: g.Parent,
			Quarter: g.Quarter, Keywords: g.Keywords, Labels: g.Labels, Epics: g.Epics,
		})
	}
	return out
}

// newAnalyzer builds the analyzer the config describes, judging as of now.
func newAnalyzer(cfg *config.Config, now time.Time) (*analyzer.Analyzer, error) {
	var model *analyzer.DebtModel
	if cfg.TechDebt.Model != "" {
		path := cfg.TechDebt.Model
		if !filepath.IsAbs(path) {
			path = filepath.Join(cfg.Dir(), path)
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, usageError{fmt.Errorf("techdebt.model: %w", err)}
		}
		defer f.Close()
		if model, err = analyzer.LoadDebtModel(f); err != nil {
			return nil, usageError{fmt.Errorf("techdebt.model %s: %w", path, err)}
		}
	}
	a, err := analyzer.New(analyzer.Config{
		DebtModel:            model,
		DebtThreshold:        cfg.TechDebt.Threshold,
		Teams:                teams(cfg),
		Goals:                goals(cfg),
		FiscalYearStartMonth: time.Month(cfg.FiscalYearStartMonth),
		TechDebtLabels:       cfg.TechDebt.Labels,
		TechDebtTypes:        cfg.TechDebt.Types,
		AlignThreshold:       cfg.Analysis.AlignThreshold,
		OverlapThreshold:     cfg.Analysis.OverlapThreshold,
		Now:                  now,
	})
	if err != nil {
		return nil, usageError{fmt.Errorf("%s: %w", cfg.File, err)}
	}
	return a, nil
}

// withTitles fills in the titles of the issues v waits on, blocks or is
// linked with, which the analyzer does not keep (it would hold every
// title), so a comment names the other team's work and not only its key.
func withTitles(ctx context.Context, st ladderStore, v *ladder.Verdict) error {
	for i := range v.Dependencies {
		d := &v.Dependencies[i]
		if !d.Known || d.Title != "" {
			continue
		}
		t, ok, err := st.Title(ctx, d.Ref)
		if err != nil {
			return err
		}
		if ok {
			d.Title = t
		}
	}
	return nil
}

// analyze runs the analyzer over every stored issue.
func analyze(ctx context.Context, st ladderStore, a *analyzer.Analyzer, emit func(*ladder.Verdict) error) (*ladder.Summary, error) {
	s, err := a.Run(readAhead(ctx, st), emit)
	if err != nil {
		return nil, fmt.Errorf("analyze: %w", err)
	}
	return s, nil
}

// Read-ahead hands issues from the store reader to the analyzer in batches
// of aheadBatch, with at most aheadBatches waiting.
const (
	aheadBatch   = 256
	aheadBatches = 8
)

// readAhead is st.EachForAnalysis for the analyzer, with the store read in
// a goroutine of its own: decoding SQLite rows and analysing them take about
// as long as each other, so on two cores they overlap instead of adding up. fn still
// sees every issue in order, from one goroutine; memory stays bounded by the
// issues in flight.
func readAhead(ctx context.Context, st ladderStore) func(fn func(*ladder.Issue) error) error {
	return func(fn func(*ladder.Issue) error) error {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		batches := make(chan []*ladder.Issue, aheadBatches)
		readErr := make(chan error, 1)
		go func() {
			defer close(batches)
			var batch []*ladder.Issue
			send := func() error {
				select {
				case batches <- batch:
					batch = nil
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			err := st.EachForAnalysis(ctx, func(is *ladder.Issue) error {
				if batch == nil {
					batch = make([]*ladder.Issue, 0, aheadBatch)
				}
				batch = append(batch, is)
				if len(batch) == aheadBatch {
					return send()
				}
				return nil
			})
			if err == nil && len(batch) > 0 {
				err = send()
			}
			readErr <- err
		}()
		for batch := range batches {
			for _, is := range batch {
				if err := fn(is); err != nil {
					cancel()
					for range batches { // let the reader see the cancel and stop
					}
					<-readErr
					return err
				}
			}
		}
		return <-readErr
	}
}

// openAnalysis loads the config, builds the analyzer judging as of asOf and
// opens the store: what every reading command starts with. The caller closes
// the store.
func (g *globals) openAnalysis(ctx context.Context, asOf asOf) (*config.Config, *analyzer.Analyzer, ladderStore, error) {
	now, err := asOf.time()
	if err != nil {
		return nil, nil, nil, err
	}
	cfg, err := g.loadConfig()
	if err != nil {
		return nil, nil, nil, err
	}
	a, err := newAnalyzer(cfg, now)
	if err != nil {
		return nil, nil, nil, err
	}
	st, err := g.openStore(ctx, cfg, storeReads)
	if err != nil {
		return nil, nil, nil, err
	}
	return cfg, a, st, nil
}

// optionalConfig loads the config when one can be found; commands that work
// on the store alone (import) run without one.
func (g *globals) optionalConfig() (*config.Config, error) {
	path, err := config.Find(g.ConfigPath, g.Getenv)
	if err != nil {
		return nil, nil
	}
	cfg, err := config.Load(path, config.Options{Getenv: g.Getenv})
	if err != nil {
		return nil, usageError{err}
	}
	return cfg, nil
}
