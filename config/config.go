// Package config loads and checks ladder.yaml: discovery (--config,
// LADDER_CONFIG, ./ladder.yaml), LADDER_* environment overrides for scalar
// keys, defaults, and validation that names the offending key and line before
// any network call. Secrets are never part of the file: trackers name the
// environment variables that hold them (token_env, user_env).
//
// The key names are Ladder's documented interface; unknown keys are an
// error, so a typo cannot silently disable a team.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/viper"
)

// DefaultFile is the config file looked for in the working directory.
const DefaultFile = "ladder.yaml"

// EnvConfig names the environment variable that points at the config file.
const EnvConfig = "LADDER_CONFIG"

// Config is a parsed, validated ladder.yaml.
type Config struct {
	Store                string    `mapstructure:"store"`
	FiscalYearStartMonth int       `mapstructure:"fiscal_year_start_month"`
	Trackers             []Tracker `mapstructure:"trackers"`
	Teams                []Team    `mapstructure:"teams"`
	Goals                []Goal    `mapstructure:"goals"`
	TechDebt             TechDebt  `mapstructure:"techdebt"`
	Analysis             Analysis  `mapstructure:"analysis"`
	Writeback            Writeback `mapstructure:"writeback"`
	Serve                Serve     `mapstructure:"serve"`

	// File is where the config was read from ("" when built in code).
	File string `mapstructure:"-"`
	// lines maps key paths (teams[1].name) to their line in File, values
	// the scalars written there, and env the keys LADDER_* variables
	// override to the variable's name.
	lines  map[string]int
	values map[string]string
	env    map[string]string
}

// Tracker is one GitHub or Jira connection.
type Tracker struct {
	Name string `mapstructure:"name"`
	Kind string `mapstructure:"kind"` // github | jira
	URL  string `mapstructure:"url"`
	// TokenEnv and UserEnv name environment variables; the secrets never
	// appear in the file.
	TokenEnv string `mapstructure:"token_env"`
	UserEnv  string `mapstructure:"user_env"`
	// App authenticates a github tracker as a GitHub App installation
	// instead of with the token in TokenEnv.
	App *App `mapstructure:"app"`

	// GitHub
	Repos []string `mapstructure:"repos"`
	Orgs  []string `mapstructure:"orgs"`
	// Login is the account Ladder comments as (acme-ladder[bot],
	// github-actions[bot]); optional: by default it is learnt from the token.
	Login string `mapstructure:"login"`

	// Jira
	Deployment       string `mapstructure:"deployment"` // cloud | datacenter
	JQL              string `mapstructure:"jql"`
	StoryPointsField string `mapstructure:"story_points_field"`
	// LinkTypes maps a site's link type names to dependency kinds
	// (blocks, depends_on, relates …), on top of the built-in mapping.
	LinkTypes map[string]string `mapstructure:"link_types"`
	// Overlap widens the incremental window (Jira search is eventually consistent).
	Overlap time.Duration `mapstructure:"overlap"`
	// WriteInterval is the minimum gap between two writes.
	WriteInterval time.Duration `mapstructure:"write_interval"`
}

// App is a GitHub App installation Ladder authenticates as: it signs a JWT
// with the App's private key and trades it for installation tokens. The key
// is read from the environment variable PrivateKeyEnv or the file
// PrivateKeyFile (relative to the config file), never from the config.
type App struct {
	ID             int64  `mapstructure:"id"`
	InstallationID int64  `mapstructure:"installation_id"`
	PrivateKeyEnv  string `mapstructure:"private_key_env"`
	PrivateKeyFile string `mapstructure:"private_key_file"`
}

// Team is a group that owns work.
type Team struct {
	Name           string   `mapstructure:"name"`
	JiraProjects   []string `mapstructure:"jira_projects"`
	GitHubRepos    []string `mapstructure:"github_repos"`
	Components     []string `mapstructure:"components"`
	Labels         []string `mapstructure:"labels"`
	Members        []string `mapstructure:"members"`
	TechDebtTarget *Band    `mapstructure:"tech_debt_target"`
}

// Band is a target share range, 0..1.
type Band struct {
	Min float64 `mapstructure:"min"`
	Max float64 `mapstructure:"max"`
}

// Goal is a company goal (no team) or a team goal with a parent.
type Goal struct {
	ID          string   `mapstructure:"id"`
	Title       string   `mapstructure:"title"`
	Description string   `mapstructure:"description"`
	Team        string   `mapstructure:"team"`
	Parent      string   `mapstructure:"parent"`
	Quarter     string   `mapstructure:"quarter"`
	Keywords    []string `mapstructure:"keywords"`
	Labels      []string `mapstructure:"labels"`
	Epics       []string `mapstructure:"epics"`
}

// TechDebt lists the explicit debt signals that decide before the classifier.
type TechDebt struct {
	Labels []string `mapstructure:"labels"`
	Types  []string `mapstructure:"types"`
	// Threshold overrides the model's own decision threshold (0 = the model's).
	Threshold float64 `mapstructure:"threshold"`
	// Model is a classifier file to use instead of the embedded one (the
	// trainer writes them; used to reproduce the cross-project evaluation).
	Model string `mapstructure:"model"`
}

// Analysis tunes text matching.
type Analysis struct {
	AlignThreshold   float64 `mapstructure:"align_threshold"`
	OverlapThreshold float64 `mapstructure:"overlap_threshold"`
}

// Writeback controls what `ladder publish` writes.
type Writeback struct {
	// DryRun defaults to true: nothing is written until turned off or --apply.
	DryRun       bool     `mapstructure:"dry_run"`
	CommentOn    []string `mapstructure:"comment_on"`
	OptOutLabel  string   `mapstructure:"opt_out_label"`
	SummaryIssue string   `mapstructure:"summary_issue"`
	// MaxWrites caps writes per run, a safety valve against a runaway plan.
	MaxWrites int `mapstructure:"max_writes"`
}

// Serve configures the long-running `ladder serve`: where it listens, when
// it runs the pipeline, and the webhook receivers' secrets.
type Serve struct {
	// Listen is host:port; the --listen flag overrides it.
	Listen string `mapstructure:"listen"`
	// Schedule is a standard 5-field cron expression (minute hour
	// day-of-month month day-of-week) or a descriptor such as @daily,
	// read in Timezone. Empty: no scheduled runs.
	Schedule string `mapstructure:"schedule"`
	// Timezone is an IANA name (Europe/Berlin); default UTC.
	Timezone string `mapstructure:"timezone"`
	// Jitter is the upper bound of a random delay added to each scheduled
	// start, so that many installations do not hit a tracker at 02:30:00.
	Jitter   time.Duration `mapstructure:"jitter"`
	Webhooks Webhooks      `mapstructure:"webhooks"`
}

// Webhooks name the environment variables holding the webhook secrets; a
// receiver is disabled while its variable is unset.
type Webhooks struct {
	GitHubSecretEnv string `mapstructure:"github_secret_env"`
	JiraSecretEnv   string `mapstructure:"jira_secret_env"`
}

// CommentOnValues are the selectors writeback.comment_on accepts. Publish
// gives each its meaning in a table keyed by these names; a test there keeps
// the two sets equal, so a selector is added in both places or fails.
var CommentOnValues = []string{"all", "cross_team", "unaligned", "tech_debt", "debt_admitted", "aligned", "overlap"}

func setDefaults(v *viper.Viper) {
	v.SetDefault("store", "ladder.db")
	v.SetDefault("fiscal_year_start_month", 1)
	v.SetDefault("writeback.dry_run", true)
	v.SetDefault("writeback.comment_on", []string{"cross_team", "unaligned", "tech_debt"})
	v.SetDefault("writeback.opt_out_label", "ladder-ignore")
	v.SetDefault("writeback.summary_issue", "")
	v.SetDefault("writeback.max_writes", 200)
	v.SetDefault("techdebt.threshold", 0.0)
	v.SetDefault("techdebt.model", "")
	v.SetDefault("analysis.align_threshold", 0.0)
	v.SetDefault("analysis.overlap_threshold", 0.0)
	v.SetDefault("serve.listen", "127.0.0.1:8080")
	v.SetDefault("serve.schedule", "")
	v.SetDefault("serve.timezone", "UTC")
	v.SetDefault("serve.jitter", "0s")
	v.SetDefault("serve.webhooks.github_secret_env", "")
	v.SetDefault("serve.webhooks.jira_secret_env", "")
}

// Error is a config problem tied to a key and to where its value came from:
// a line of File, or the LADDER_* environment variable that overrides it.
type Error struct {
	File string
	Line int
	// Env names the environment variable the value came from, when it did.
	Env string
	Key string
	Msg string
}

func (e *Error) Error() string {
	var b strings.Builder
	switch {
	case e.Env != "" && e.File != "" && e.Line > 0:
		fmt.Fprintf(&b, "%s (overrides %s:%d): ", e.Env, e.File, e.Line)
	case e.Env != "":
		fmt.Fprintf(&b, "%s: ", e.Env)
	case e.File != "":
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
		}
		b.WriteString(": ")
	}
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem found in one config, reported together so a user
// fixes them in one round.
type Errors []*Error

func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// sort puts the problems in the order a reader meets them: environment
// variables first (they apply before the file), then by line.
func (es Errors) sort() {
	slices.SortStableFunc(es, func(a, b *Error) int {
		if (a.Env != "") != (b.Env != "") {
			if a.Env != "" {
				return -1
			}
			return 1
		}
		return a.Line - b.Line
	})
}

// Find returns the config file to use: the explicit path, else $LADDER_CONFIG
// (read through getenv; nil means os.Getenv), else ./ladder.yaml. It returns
// an error when none exists.
func Find(explicit string, getenv func(string) string) (string, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	switch {
	case explicit != "":
		return explicit, nil
	case getenv(EnvConfig) != "":
		return getenv(EnvConfig), nil
	}
	if _, err := os.Stat(DefaultFile); err == nil {
		return DefaultFile, nil
	}
	return "", fmt.Errorf("no config: pass --config FILE, set %s, or run `ladder init` to write ./%s", EnvConfig, DefaultFile)
}

// Options are what Load and Parse read besides the file.
type Options struct {
	// Getenv reads the LADDER_* overrides and the trackers' credentials;
	// nil means os.Getenv.
	Getenv func(string) string
	// Secrets also checks that the environment variables the trackers
	// name are set (only Tracker's, when Tracker is set), as CheckSecrets
	// does, reporting them with the file's other problems.
	Secrets bool
	Tracker string
}

// Load reads, overrides from LADDER_* env vars, defaults and validates the
// config at path. It makes no network call.
func Load(path string, opts Options) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Msg: "cannot read the config: " + pathErrorText(err)}
	}
	return Parse(path, data, opts)
}

// Parse is Load on bytes already read; name is used in messages. Every
// problem is reported at once: unknown keys, values of the wrong type,
// values that fail validation and (with opts.Secrets) unset credential
// variables, each with its line (or the environment variable it came
// from), each once.
func Parse(name string, data []byte, opts Options) (*Config, error) {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	scan, err := scanYAML(name, data)
	if err != nil {
		return nil, err
	}
	problems := scan.problems
	if scan.duplicates {
		// The YAML decoder refuses a repeated key outright; the scan has
		// said which, at which lines.
		problems.sort()
		return nil, problems
	}
	v := viper.New()
	v.SetConfigType("yaml")
	setDefaults(v)
	if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
		return nil, &Error{File: name, Msg: "not valid YAML: " + err.Error()}
	}
	cfg := &Config{File: name, lines: scan.lines, values: scan.values}
	cfg.env = applyEnv(v, getenv, cfg.values)
	err = v.Unmarshal(cfg, func(dc *mapstructure.DecoderConfig) {
		dc.DecodeHook = mapstructure.ComposeDecodeHookFunc(
			mapstructure.StringToTimeDurationHookFunc(),
			mapstructure.StringToSliceHookFunc(","),
		)
	})
	decodeProblems := cfg.decodeErrors(err)
	problems = append(problems, decodeProblems...)
	// A key that could not be read, or that holds an unknown key, would
	// only be reported again by validation as empty or owning nothing.
	var failed []string
	for _, p := range problems {
		failed = append(failed, p.Key)
	}
	problems = append(problems, cfg.validate(failed)...)
	cfg.resolveKeyFiles()
	if opts.Secrets {
		if err := cfg.CheckSecrets(getenv, opts.Tracker); err != nil {
			problems = append(problems, err.(Errors)...)
		}
	}
	if len(problems) > 0 {
		problems.sort()
		return nil, problems
	}
	return cfg, nil
}

// resolveKeyFiles makes relative private_key_file paths relative to the
// config file, as the store's path is.
func (c *Config) resolveKeyFiles() {
	for i := range c.Trackers {
		a := c.Trackers[i].App
		if a != nil && a.PrivateKeyFile != "" && !filepath.IsAbs(a.PrivateKeyFile) {
			copied := *a
			copied.PrivateKeyFile = filepath.Join(c.Dir(), a.PrivateKeyFile)
			c.Trackers[i].App = &copied
		}
	}
}

// pathErrorText is a file error without the path it repeats.
func pathErrorText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Dir returns the directory of the config file, against which a relative
// store path is resolved.
func (c *Config) Dir() string {
	if c.File == "" {
		return "."
	}
	return filepath.Dir(c.File)
}

// StorePath returns the store: a PostgreSQL URL as it is, an SQLite file
// as its path (sqlite: and file: dropped), relative paths taken from the
// config's directory.
func (c *Config) StorePath() string {
	kind, where, err := ParseStore(c.Store)
	if err != nil || kind != StoreSQLite {
		return c.Store
	}
	if where == "" || filepath.IsAbs(where) {
		return where
	}
	return filepath.Join(c.Dir(), where)
}

// Tracker returns the tracker named name.
func (c *Config) Tracker(name string) (Tracker, bool) {
	for _, t := range c.Trackers {
		if t.Name == name {
			return t, true
		}
	}
	return Tracker{}, false
}

// Secrets reads the tracker's credentials from the environment variables its
// config names. The error names the key and the variable, never a value.
func (t Tracker) Secrets(getenv func(string) string) (user, token string, err error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if t.App != nil {
		return "", "", nil // the App's key is read by AppKey
	}
	token = getenv(t.TokenEnv)
	if token == "" {
		return "", "", fmt.Errorf("tracker %q: environment variable %s (token_env) is not set", t.Name, t.TokenEnv)
	}
	if t.UserEnv != "" {
		user = getenv(t.UserEnv)
		if user == "" {
			return "", "", fmt.Errorf("tracker %q: environment variable %s (user_env) is not set", t.Name, t.UserEnv)
		}
	}
	return user, token, nil
}
