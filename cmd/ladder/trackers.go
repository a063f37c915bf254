package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/config"
	"github.com/ladderhq/ladder/connectors/github"
	"github.com/ladderhq/ladder/connectors/jira"
)

// source is a tracker Ladder can pull from.
type source interface {
	Sync(ctx context.Context, sink ladder.Sink, full bool, progress func(scope string, issues int)) (ladder.SyncStats, error)
	Validate(ctx context.Context) error
}

// identifier is a source that can say how it authenticates, once validated
// ("GitHub App 123 installation 456 as acme-ladder[bot]").
type identifier interface{ Identity() string }

// commenter is a tracker Ladder can write its one comment per issue to. find
// returns only a comment that we wrote (our marker or property AND our own
// account), never somebody else's.
type commenter interface {
	find(ctx context.Context, key, marker string) (ladder.Comment, bool, error)
	create(ctx context.Context, key, marker, body string) (ladder.Comment, error)
	edit(ctx context.Context, key, commentID, body string) error
	// markup is "markdown" or "jira".
	markup() string
}

// tracker is one configured tracker with its client.
type tracker struct {
	cfg    config.Tracker
	source source
	writer commenter
}

// openTrackers builds a client for each configured tracker (only the one named,
// when name is set). Secrets are read here, from the env vars the config names.
func openTrackers(cfg *config.Config, name string, getenv func(string) string, logger *slog.Logger, hc *http.Client) ([]tracker, error) {
	if _, ok := cfg.Tracker(name); name != "" && !ok {
		return nil, usageError{fmt.Errorf("--tracker %q: no tracker of that name in %s", name, cfg.File)}
	}
	// Every missing variable at once, before any tracker is asked anything.
	if err := cfg.CheckSecrets(getenv, name); err != nil {
		return nil, usageError{err}
	}
	var out []tracker
	for _, tc := range cfg.Trackers {
		if name != "" && tc.Name != name {
			continue
		}
		t, err := openTracker(tc, getenv, logger, hc)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func openTracker(tc config.Tracker, getenv func(string) string, logger *slog.Logger, hc *http.Client) (tracker, error) {
	user, token, err := tc.Secrets(getenv)
	if err != nil {
		return tracker{}, usageError{err}
	}
	switch tc.Kind {
	case "github":
		log := logger.With("tracker", tc.Name)
		var app *github.App
		if tc.App != nil {
			key, err := tc.AppKey(getenv)
			if err != nil {
				return tracker{}, usageError{err}
			}
			app = &github.App{ID: tc.App.ID, InstallationID: tc.App.InstallationID, PrivateKey: key}
		}
		c, err := github.New(github.Config{
			Name: tc.Name, URL: tc.URL, Token: token, App: app, Repos: tc.Repos, Orgs: tc.Orgs, Login: tc.Login,
			HTTPClient: hc, Logger: log, WriteSpacing: tc.WriteInterval,
		})
		if err != nil {
			return tracker{}, usageError{err}
		}
		return tracker{cfg: tc, source: c, writer: githubWriter{c}}, nil
	case "jira":
		c, err := jira.New(jira.Config{
			Name: tc.Name, URL: tc.URL, Deployment: tc.Deployment, User: user, Token: token,
			JQL: tc.JQL, StoryPointsField: tc.StoryPointsField, LinkKinds: tc.LinkTypes,
			// The Jira client names its tracker on every record itself.
			Overlap: tc.Overlap, HTTPClient: hc, Logger: logger, WriteSpacing: tc.WriteInterval,
		})
		if err != nil {
			return tracker{}, usageError{err}
		}
		return tracker{cfg: tc, source: c, writer: jiraWriter{c}}, nil
	}
	return tracker{}, usageError{fmt.Errorf("tracker %q: unknown kind %q", tc.Name, tc.Kind)}
}

// githubWriter finds our comment by the hidden marker in its body and our login.
type githubWriter struct{ c *github.Client }

func (w githubWriter) find(ctx context.Context, key, marker string) (ladder.Comment, bool, error) {
	return w.c.FindComment(ctx, key, marker)
}

func (w githubWriter) create(ctx context.Context, key, _, body string) (ladder.Comment, error) {
	return w.c.CreateComment(ctx, key, body)
}

func (w githubWriter) edit(ctx context.Context, key, id, body string) error {
	return w.c.EditComment(ctx, key, id, body)
}

func (githubWriter) markup() string { return "markdown" }

// jiraWriter finds our comment by a comment property and our account id;
// Jira wiki markup has no invisible marker that survives editing.
type jiraWriter struct{ c *jira.Client }

func (w jiraWriter) find(ctx context.Context, key, property string) (ladder.Comment, bool, error) {
	return w.c.FindComment(ctx, key, property)
}

func (w jiraWriter) create(ctx context.Context, key, property, body string) (ladder.Comment, error) {
	return w.c.CreateComment(ctx, key, body, property)
}

func (w jiraWriter) edit(ctx context.Context, key, id, body string) error {
	return w.c.EditComment(ctx, key, id, body)
}

func (jiraWriter) markup() string { return "jira" }
