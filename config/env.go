package config

import (
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"

	"github.com/spf13/viper"
)

// EnvPrefix starts the name of every environment variable that overrides a
// key: LADDER_STORE, LADDER_WRITEBACK_DRY_RUN.
const EnvPrefix = "LADDER_"

// EnvName is the environment variable that overrides key (writeback.dry_run
// → LADDER_WRITEBACK_DRY_RUN).
func EnvName(key string) string {
	return EnvPrefix + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// EnvKeys lists the keys an environment variable may override: every key
// not inside a list or a map (store, fiscal_year_start_month,
// writeback.dry_run, techdebt.labels …), sorted. Lists among them take
// comma-separated values.
func EnvKeys() []string {
	var keys []string
	var walk func(t reflect.Type, path string)
	walk = func(t reflect.Type, path string) {
		for name, ft := range keysOf(t) {
			p := join(path, name)
			if ft.Kind() == reflect.Struct {
				walk(ft, p)
				continue
			}
			if ft.Kind() == reflect.Slice && ft.Elem().Kind() != reflect.String {
				continue // trackers, teams, goals
			}
			if ft.Kind() == reflect.Map || ft.Kind() == reflect.Pointer {
				continue
			}
			keys = append(keys, p)
		}
	}
	walk(reflect.TypeOf(Config{}), "")
	sort.Strings(keys)
	return keys
}

// applyEnv sets every key whose LADDER_* variable getenv finds, and returns
// which variable set which key, so that a bad value is blamed on the
// variable and not on the file's line; values gets the values in effect.
func applyEnv(v *viper.Viper, getenv func(string) string, values map[string]string) map[string]string {
	set := map[string]string{}
	for _, key := range EnvKeys() {
		name := EnvName(key)
		val := getenv(name)
		if val == "" {
			continue
		}
		v.Set(key, val)
		set[key] = name
		values[key] = val
	}
	return set
}

// problem makes an Error about key, tied to where its value came from.
func (c *Config) problem(key, msg string) *Error {
	if env := c.envOf(key); env != "" {
		// Only the key's own line is what the variable overrides.
		return &Error{File: c.File, Line: c.lines[key], Env: env, Key: key, Msg: msg}
	}
	return &Error{File: c.File, Line: c.line(key), Key: key, Msg: msg}
}

// envOf is the variable that set key or one of its parents, "" if none did.
func (c *Config) envOf(key string) string {
	for k := key; k != ""; {
		if e, ok := c.env[k]; ok {
			return e
		}
		i := strings.LastIndexAny(k, ".[")
		if i < 0 {
			break
		}
		k = k[:i]
	}
	return ""
}

// Origin says in words where a key's value came from: its environment
// variable, its line in the file, or the default — what a message needs
// when the value itself may be the mistake (a mistyped store path).
func (c *Config) Origin(key string) string {
	if e := c.envOf(key); e != "" {
		return "the " + e + " environment variable"
	}
	if l, ok := c.lines[key]; ok && c.File != "" {
		return fmt.Sprintf("the %s: key at %s:%d", key, c.File, l)
	}
	if c.File != "" {
		return fmt.Sprintf("the default (%s sets no %s:)", c.File, key)
	}
	return "the default"
}

// CheckSecrets checks that the environment variables the trackers name
// (token_env, user_env, app.private_key_env) are set and that a GitHub
// App's private key is one, every one of them at once: a first run
// should not take three attempts to learn three missing variables. Only the
// tracker called only is checked when only is not empty. The errors name
// the key, its line and the variable, never a value.
func (c *Config) CheckSecrets(getenv func(string) string, only string) error {
	if getenv == nil {
		getenv = os.Getenv
	}
	var errs Errors
	for i, t := range c.Trackers {
		if only != "" && t.Name != only {
			continue
		}
		if t.App != nil {
			// The key is read and checked here, so a key that is not one
			// is reported with the other problems, before any request.
			if _, err := t.AppKey(getenv); err != nil {
				key := fmt.Sprintf("trackers[%d].app.private_key_env", i)
				if t.App.PrivateKeyEnv == "" {
					key = fmt.Sprintf("trackers[%d].app.private_key_file", i)
				}
				errs = append(errs, &Error{File: c.File, Line: c.line(key), Msg: err.Error()})
			}
			continue
		}
		for _, s := range []struct{ key, name string }{{"token_env", t.TokenEnv}, {"user_env", t.UserEnv}} {
			if s.name == "" || getenv(s.name) != "" {
				continue
			}
			key := fmt.Sprintf("trackers[%d].%s", i, s.key)
			errs = append(errs, &Error{File: c.File, Line: c.line(key),
				Msg: fmt.Sprintf("tracker %q: environment variable %s (%s) is not set", t.Name, s.name, s.key)})
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}
