package config

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

var (
	quarterRe = regexp.MustCompile(`^FY\d{4}-Q[1-4]$`)
	repoRe    = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`)
	projectRe = regexp.MustCompile(`^[A-Z][A-Z0-9_]+$`)
	envNameRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

// Validate checks everything that can be checked without the network and
// returns every problem at once, each naming its key and line.
func (c *Config) Validate() error {
	if errs := c.validate(nil); len(errs) > 0 {
		return errs
	}
	return nil
}

// validate is Validate, quiet about keys related to one already reported
// (failed): a value that could not be read, or a team holding an unknown
// key, would otherwise come back as "is required" or "owns nothing".
func (c *Config) validate(failed []string) Errors {
	var errs Errors
	bad := func(key, format string, args ...any) {
		if related(key, failed) {
			return
		}
		errs = append(errs, c.problem(key, fmt.Sprintf(format, args...)))
	}

	if c.Store == "" {
		bad("store", "must name a SQLite file (ladder.db) or a PostgreSQL URL (postgres://ladder@db.internal/ladder)")
	} else if _, _, err := ParseStore(c.Store); err != nil {
		bad("store", "%v", err)
	}
	if c.FiscalYearStartMonth < 1 || c.FiscalYearStartMonth > 12 {
		bad("fiscal_year_start_month", "must be a month number 1..12, got %d", c.FiscalYearStartMonth)
	}
	trackers := map[string]bool{}
	for i, t := range c.Trackers {
		c.validateTracker(fmt.Sprintf("trackers[%d]", i), t, trackers, bad)
	}
	teams := c.validateTeams(bad)
	c.validateGoals(teams, bad)
	c.validateServe(bad)
	c.validateThresholds(bad)
	c.validateWriteback(trackers, bad)
	return errs
}

// validateTracker checks tracker t, at key k: a name no other tracker has
// (added to names), an http(s) url, credentials named by env var (or an
// App), and what its kind needs and does not take.
func (c *Config) validateTracker(k string, t Tracker, names map[string]bool, bad func(key, format string, args ...any)) {
	switch {
	case t.Name == "":
		bad(k+".name", "is required (it names the tracker in issue references, e.g. gh:acme/web#7)")
	case strings.ContainsAny(t.Name, ": "):
		bad(k+".name", "%q must not contain ':' or spaces", t.Name)
	case names[t.Name]:
		bad(k+".name", "%q is used by another tracker", t.Name)
	}
	names[t.Name] = true
	if t.URL != "" {
		if u, err := url.Parse(t.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad(k+".url", "%q is not an http(s) URL", t.URL)
		}
	}
	switch {
	case t.App != nil:
		c.validateApp(k, t, bad)
	case t.TokenEnv == "" && t.Kind == "github":
		bad(k+".token_env", "is required: the name of the environment variable holding the token (secrets never go in the file), or an app: block to authenticate as a GitHub App")
	case t.TokenEnv == "":
		bad(k+".token_env", "is required: the name of the environment variable holding the token (secrets never go in the file)")
	case !envNameRe.MatchString(t.TokenEnv):
		bad(k+".token_env", "must be an environment variable NAME, not the token itself")
	}
	if t.UserEnv != "" && !envNameRe.MatchString(t.UserEnv) {
		bad(k+".user_env", "must be an environment variable NAME")
	}
	if t.Overlap < 0 || t.WriteInterval < 0 {
		bad(k, "overlap and write_interval must not be negative")
	}
	switch t.Kind {
	case "github":
		c.validateGitHubTracker(k, t, bad)
	case "jira":
		c.validateJiraTracker(k, t, bad)
	case "":
		bad(k+".kind", "is required: github or jira")
	default:
		bad(k+".kind", "%q: want github or jira", t.Kind)
	}
}

// validateGitHubTracker checks what a github tracker needs: repos or orgs
// as owner/repo, a login as GitHub writes it, no Jira-only keys.
func (c *Config) validateGitHubTracker(k string, t Tracker, bad func(key, format string, args ...any)) {
	if len(t.Repos) == 0 && len(t.Orgs) == 0 {
		bad(k+".repos", "a github tracker needs repos: [owner/repo] or orgs: [org]")
	}
	for j, r := range t.Repos {
		if !repoRe.MatchString(r) {
			bad(fmt.Sprintf("%s.repos[%d]", k, j), "%q is not owner/repo", r)
		}
	}
	if strings.ContainsAny(t.Login, "/#@ ") {
		bad(k+".login", "%q: want the account's login as GitHub writes it, e.g. acme-ladder[bot], without @", t.Login)
	}
	for _, key := range []string{"deployment", "jql", "story_points_field"} {
		if c.has(k + "." + key) {
			bad(k+"."+key, "applies to jira trackers only")
		}
	}
}

// validateJiraTracker checks what a jira tracker needs: a url, a
// deployment (Cloud also a user_env), a bounded jql, known link kinds, no
// GitHub-only keys.
func (c *Config) validateJiraTracker(k string, t Tracker, bad func(key, format string, args ...any)) {
	if t.URL == "" {
		bad(k+".url", "is required for jira (https://SITE.atlassian.net or your Data Center base URL)")
	}
	switch t.Deployment {
	case "cloud":
		if t.UserEnv == "" {
			bad(k+".user_env", "jira cloud authenticates with email + API token: name the env var holding the email")
		}
	case "datacenter":
	case "":
		bad(k+".deployment", "is required for jira: cloud or datacenter")
	default:
		bad(k+".deployment", "%q: want cloud or datacenter", t.Deployment)
	}
	if strings.TrimSpace(t.JQL) == "" {
		bad(k+".jql", "is required: Jira refuses unbounded searches (e.g. project in (PAY, PLAT))")
	}
	for name, kind := range t.LinkTypes {
		if !slices.Contains(linkKinds, kind) {
			bad(k+".link_types."+name, "%q: want one of %s", kind, strings.Join(linkKinds, ", "))
		}
	}
	if len(t.Repos) > 0 || len(t.Orgs) > 0 {
		bad(k+".repos", "applies to github trackers only")
	}
	if t.Login != "" {
		bad(k+".login", "applies to github trackers only")
	}
}

// validateTeams checks each team (a unique name, something it owns,
// well-formed projects and repos, a debt target within [0, 1]) and returns
// the names it saw, for the goals' owners.
func (c *Config) validateTeams(bad func(key, format string, args ...any)) map[string]bool {
	teams := map[string]bool{}
	for i, t := range c.Teams {
		k := fmt.Sprintf("teams[%d]", i)
		switch {
		case t.Name == "":
			bad(k+".name", "is required")
		case teams[t.Name]:
			bad(k+".name", "%q is used by another team", t.Name)
		}
		teams[t.Name] = true
		if len(t.JiraProjects)+len(t.GitHubRepos)+len(t.Components)+len(t.Labels)+len(t.Members) == 0 {
			bad(k, "team %q owns nothing: give it jira_projects, github_repos, components, labels or members", t.Name)
		}
		for j, p := range t.JiraProjects {
			if !projectRe.MatchString(p) {
				bad(fmt.Sprintf("%s.jira_projects[%d]", k, j), "%q is not a Jira project key (upper case, e.g. PAY)", p)
			}
		}
		for j, r := range t.GitHubRepos {
			if !repoRe.MatchString(r) {
				bad(fmt.Sprintf("%s.github_repos[%d]", k, j), "%q is not owner/repo", r)
			}
		}
		if b := t.TechDebtTarget; b != nil {
			if b.Min < 0 || b.Max > 1 || b.Min > b.Max {
				bad(k+".tech_debt_target", "want 0 <= min <= max <= 1 (shares, e.g. {min: 0.15, max: 0.25}), got {min: %g, max: %g}", b.Min, b.Max)
			}
		}
	}
	return teams
}

// validateThresholds checks the tech-debt labels and the thresholds of the
// classifier, alignment and overlap.
func (c *Config) validateThresholds(bad func(key, format string, args ...any)) {
	for i, l := range c.TechDebt.Labels {
		if strings.TrimSpace(l) == "" {
			bad(fmt.Sprintf("techdebt.labels[%d]", i), "must not be empty")
		}
	}
	if th := c.TechDebt.Threshold; th < 0 || th >= 1 {
		bad("techdebt.threshold", "want 0 (the model's own) or a value in (0, 1), got %g", th)
	}
	if th := c.Analysis.AlignThreshold; th < 0 || th >= 1 {
		bad("analysis.align_threshold", "want a value in [0, 1), got %g", th)
	}
	if th := c.Analysis.OverlapThreshold; th < 0 || th >= 1 {
		bad("analysis.overlap_threshold", "want a value in [0, 1), got %g", th)
	}
}

// validateWriteback checks the comment_on selectors, max_writes and that
// the summary issue names a configured tracker.
func (c *Config) validateWriteback(trackers map[string]bool, bad func(key, format string, args ...any)) {
	for i, s := range c.Writeback.CommentOn {
		if !slices.Contains(CommentOnValues, s) {
			bad(fmt.Sprintf("writeback.comment_on[%d]", i), "%q: want one of %s", s, strings.Join(CommentOnValues, ", "))
		}
	}
	if c.Writeback.MaxWrites < 0 {
		bad("writeback.max_writes", "must not be negative")
	}
	if s := c.Writeback.SummaryIssue; s != "" {
		tracker, key, ok := strings.Cut(s, ":")
		switch {
		case !ok || key == "":
			bad("writeback.summary_issue", "%q: want tracker:KEY, e.g. gh:acme/planning#1 or jira:PLAN-1", s)
		case !trackers[tracker]:
			bad("writeback.summary_issue", "%q: no tracker named %q", s, tracker)
		}
	}
}

// related reports whether key is one of failed, lies inside one, or holds one.
func related(key string, failed []string) bool {
	within := func(inner, outer string) bool {
		return inner == outer || strings.HasPrefix(inner, outer+".") || strings.HasPrefix(inner, outer+"[")
	}
	for _, f := range failed {
		if f != "" && (within(key, f) || within(f, key)) {
			return true
		}
	}
	return false
}

var linkKinds = []string{"blocks", "blocked_by", "depends_on", "parent", "child", "relates", "duplicates", "mentions", "ignore"}

func (c *Config) validateGoals(teams map[string]bool, bad func(key, format string, args ...any)) {
	ids := map[string]int{}
	for i, g := range c.Goals {
		k := fmt.Sprintf("goals[%d]", i)
		switch {
		case g.ID == "":
			bad(k+".id", "is required")
		case strings.ContainsAny(g.ID, " \t→"):
			bad(k+".id", "%q must not contain spaces", g.ID)
		default:
			if _, dup := ids[g.ID]; dup {
				bad(k+".id", "%q is used by another goal", g.ID)
			}
			ids[g.ID] = i
		}
		if g.Title == "" {
			bad(k+".title", "is required")
		}
		if g.Team != "" && !teams[g.Team] {
			bad(k+".team", "goal %q names team %q, which is not in teams", g.ID, g.Team)
		}
		if g.Quarter != "" && !quarterRe.MatchString(g.Quarter) {
			bad(k+".quarter", "%q: want FYyyyy-Qn, e.g. FY2027-Q1", g.Quarter)
		}
	}
	for i, g := range c.Goals {
		if g.Parent == "" {
			continue
		}
		k := fmt.Sprintf("goals[%d].parent", i)
		if _, ok := ids[g.Parent]; !ok {
			bad(k, "goal %q names parent %q, which is not a goal id", g.ID, g.Parent)
			continue
		}
		// Follow the parent chain; coming back to g means a cycle.
		seen := map[string]bool{g.ID: true}
		chain := []string{g.ID}
		for p := g.Parent; p != ""; {
			chain = append(chain, p)
			if seen[p] {
				if p == g.ID {
					bad(k, "goals form a cycle: %s", strings.Join(chain, " → "))
				}
				break
			}
			seen[p] = true
			j, ok := ids[p]
			if !ok {
				break
			}
			p = c.Goals[j].Parent
		}
	}
}

// validateApp checks a tracker's app: block: a github tracker's, instead of
// token_env, with positive ids and exactly one place to read the key from.
func (c *Config) validateApp(k string, t Tracker, bad func(key, format string, args ...any)) {
	a := t.App
	if t.Kind != "github" {
		bad(k+".app", "applies to github trackers only")
		return
	}
	if c.has(k+".token_env") || t.TokenEnv != "" {
		bad(k+".token_env", "and app: are exclusive: a GitHub App authenticates with its private key, not a token; remove one")
	}
	if t.UserEnv != "" {
		bad(k+".user_env", "applies to jira trackers only")
	}
	if a.ID <= 0 {
		bad(k+".app.id", "must be the App's positive id (the App's settings page: App ID), got %d", a.ID)
	}
	if a.InstallationID <= 0 {
		bad(k+".app.installation_id", "must be the installation's positive id (the number ending the installation's settings URL, …/installations/7890123), got %d", a.InstallationID)
	}
	switch {
	case a.PrivateKeyEnv == "" && a.PrivateKeyFile == "":
		bad(k+".app", "needs the App's private key: private_key_env: (an environment variable holding the PEM) or private_key_file: (a path)")
	case a.PrivateKeyEnv != "" && a.PrivateKeyFile != "":
		bad(k+".app.private_key_file", "and private_key_env are exclusive: give one")
	case a.PrivateKeyEnv != "" && !envNameRe.MatchString(a.PrivateKeyEnv):
		bad(k+".app.private_key_env", "must be an environment variable NAME, not the key itself")
	}
}

func (c *Config) line(key string) int {
	for k := key; k != ""; {
		if l, ok := c.lines[k]; ok {
			return l
		}
		i := strings.LastIndexAny(k, ".[")
		if i < 0 {
			break
		}
		k = k[:i]
	}
	return 0
}

func (c *Config) has(key string) bool {
	_, ok := c.lines[key]
	return ok
}
