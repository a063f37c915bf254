package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestServeBlock(t *testing.T) {
	doc := minimal + `serve:
  listen: 0.0.0.0:9090
  schedule: "30 2 * * *"
  timezone: Europe/Berlin
  jitter: 10m
  webhooks:
    github_secret_env: LADDER_GITHUB_WEBHOOK_SECRET
    jira_secret_env: LADDER_JIRA_WEBHOOK_SECRET
`
	cfg, err := Parse("x.yaml", []byte(doc), Options{Getenv: envOf(nil)})
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.Serve
	if s.Listen != "0.0.0.0:9090" || s.Jitter != 10*time.Minute ||
		s.Webhooks.GitHubSecretEnv != "LADDER_GITHUB_WEBHOOK_SECRET" || s.Webhooks.JiraSecretEnv != "LADDER_JIRA_WEBHOOK_SECRET" {
		t.Errorf("serve = %+v", s)
	}
	sched, err := s.ParseSchedule()
	if err != nil {
		t.Fatal(err)
	}
	// 02:30 in Berlin is 01:30 UTC in winter.
	from := time.Date(2026, 12, 3, 5, 0, 0, 0, time.UTC)
	if got, want := sched.Next(from), time.Date(2026, 12, 4, 1, 30, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("next run after %s = %s, want %s", from, got.UTC(), want)
	}
}

func TestServeDefaults(t *testing.T) {
	cfg, err := Parse("x.yaml", []byte(minimal), Options{Getenv: envOf(nil)})
	if err != nil {
		t.Fatal(err)
	}
	if s := cfg.Serve; s.Listen != "127.0.0.1:8080" || s.Timezone != "UTC" || s.Jitter != 0 || s.Schedule != "" {
		t.Errorf("serve defaults = %+v", s)
	}
	if sched, err := cfg.Serve.ParseSchedule(); sched != nil || err != nil {
		t.Errorf("no schedule: got %v, %v", sched, err)
	}
}

func TestServeProblemsHaveTheirLine(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		env  map[string]string
		want string
	}{
		{"six fields", "serve:\n  schedule: \"0 30 2 * * *\"\n",
			nil, `x.yaml:11: serve.schedule: "0 30 2 * * *": expected exactly 5 fields, found 6: [0 30 2 * * *] (want 5 fields`},
		{"out of range", "serve:\n  schedule: \"61 2 * * *\"\n",
			nil, `x.yaml:11: serve.schedule: "61 2 * * *": end of range (61) above maximum (59): 61`},
		{"zone in the expression", "serve:\n  schedule: \"CRON_TZ=UTC 30 2 * * *\"\n",
			nil, `x.yaml:11: serve.schedule: "CRON_TZ=UTC 30 2 * * *": set the time zone with serve.timezone`},
		{"unknown zone", "serve:\n  schedule: \"30 2 * * *\"\n  timezone: Mars/Olympus\n",
			nil, `x.yaml:12: serve.timezone: "Mars/Olympus" is not a time zone name`},
		{"negative jitter", "serve:\n  jitter: -1m\n",
			nil, `x.yaml:11: serve.jitter: must not be negative`},
		{"bad listen", "serve:\n  listen: localhost\n",
			nil, `x.yaml:11: serve.listen: "localhost": want host:port`},
		{"secret instead of a name", "serve:\n  webhooks:\n    github_secret_env: s3cr3t-value!\n",
			nil, `x.yaml:12: serve.webhooks.github_secret_env: must be an environment variable NAME`},
		{"unknown key", "serve:\n  shedule: \"30 2 * * *\"\n",
			nil, `x.yaml:11: serve.shedule: unknown key (did you mean "schedule"?)`},
		{"schedule from the environment", "serve:\n  schedule: \"30 2 * * *\"\n",
			map[string]string{"LADDER_SERVE_SCHEDULE": "every night"}, `LADDER_SERVE_SCHEDULE (overrides x.yaml:11): serve.schedule: "every night"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.yaml", []byte(minimal+tt.yaml), Options{Getenv: envOf(tt.env)})
			var errs Errors
			if !errors.As(err, &errs) || len(errs) != 1 || !strings.Contains(errs[0].Error(), tt.want) {
				t.Errorf("err = %v\nwant one problem containing %q", err, tt.want)
			}
		})
	}
}
