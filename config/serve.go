package config

import (
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// Location is the time zone serve.schedule is read in (UTC when unset).
func (s Serve) Location() (*time.Location, error) {
	if s.Timezone == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(s.Timezone)
	if err != nil {
		return nil, fmt.Errorf("%q is not a time zone name (want an IANA name such as UTC or Europe/Berlin)", s.Timezone)
	}
	return loc, nil
}

// ParseSchedule parses serve.schedule with the standard 5-field cron parser
// (minute, hour, day of month, month, day of week; or @daily, @hourly,
// @every 6h), in the zone of serve.timezone. A schedule that is not set
// returns nil and no error.
func (s Serve) ParseSchedule() (cron.Schedule, error) {
	spec := strings.TrimSpace(s.Schedule)
	if spec == "" {
		return nil, nil
	}
	// The parser would take a zone from the expression too; one place to
	// say it keeps the config readable.
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		return nil, fmt.Errorf("%q: set the time zone with serve.timezone, not in the expression", s.Schedule)
	}
	loc, err := s.Location()
	if err != nil {
		return nil, err
	}
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("%q: %v (want 5 fields: minute hour day-of-month month day-of-week, e.g. \"30 2 * * *\")", s.Schedule, err)
	}
	if spec, ok := sched.(*cron.SpecSchedule); ok {
		spec.Location = loc
	}
	return sched, nil
}

func (c *Config) validateServe(bad func(key, format string, args ...any)) {
	s := c.Serve
	if s.Listen != "" {
		if _, port, err := net.SplitHostPort(s.Listen); err != nil || port == "" {
			bad("serve.listen", "%q: want host:port, e.g. 127.0.0.1:8080 or :8080", s.Listen)
		}
	}
	if _, err := s.Location(); err != nil {
		bad("serve.timezone", "%v", err)
	} else if _, err := s.ParseSchedule(); err != nil {
		bad("serve.schedule", "%v", err)
	}
	if s.Jitter < 0 {
		bad("serve.jitter", "must not be negative")
	}
	for key, name := range map[string]string{
		"serve.webhooks.github_secret_env": s.Webhooks.GitHubSecretEnv,
		"serve.webhooks.jira_secret_env":   s.Webhooks.JiraSecretEnv,
	} {
		if name != "" && !envNameRe.MatchString(name) {
			bad(key, "must be an environment variable NAME, not the secret itself")
		}
	}
}
