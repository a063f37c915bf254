package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/robfig/cron/v3"
	"go.yaml.in/yaml/v3"
)

// The recipes in deploy/ are checked here as far as this machine can: their
// files parse, they have the properties that matter (a timer that catches up,
// a CronJob that never runs twice at once, probes on the right endpoints,
// tokens from secrets, a static non-root image), the ladder command lines
// they hold are ones ladder accepts, and the system's own checkers
// (systemd-analyze, promtool) pass them when installed.

const deployDir = "../../deploy"

// unitFile is a systemd unit: section → key → values (a key may repeat).
type unitFile map[string]map[string][]string

func readUnit(t *testing.T, name string) unitFile {
	t.Helper()
	f, err := os.Open(filepath.Join(deployDir, "systemd", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	u := unitFile{}
	section := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			section = line[1 : len(line)-1]
			u[section] = map[string][]string{}
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok || section == "" {
				t.Fatalf("%s:%d: not key=value in a section: %q", name, n, line)
			}
			u[section][k] = append(u[section][k], v)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return u
}

func (u unitFile) get(section, key string) string {
	vs := u[section][key]
	if len(vs) == 0 {
		return ""
	}
	return vs[len(vs)-1]
}

// acceptsCommandLine checks that ladder parses args (without the program
// name) as a command and its flags, so a recipe cannot drift from the CLI.
func acceptsCommandLine(t *testing.T, where string, args []string) {
	t.Helper()
	g := &globals{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }}
	root := newRootCmd(g)
	cmd, rest, err := root.Find(args)
	if err != nil || cmd == root {
		t.Errorf("%s: %q is not a ladder command: %v", where, args, err)
		return
	}
	if err := cmd.ParseFlags(rest); err != nil {
		t.Errorf("%s: ladder %s: %v", where, strings.Join(args, " "), err)
	}
	if len(cmd.Flags().Args()) != 0 {
		t.Errorf("%s: ladder %s: unexpected arguments %q", where, strings.Join(args, " "), cmd.Flags().Args())
	}
}

func execArgs(t *testing.T, u unitFile) []string {
	t.Helper()
	f := strings.Fields(u.get("Service", "ExecStart"))
	if len(f) < 2 || filepath.Base(f[0]) != "ladder" {
		t.Fatalf("ExecStart = %q, want the ladder binary", u.get("Service", "ExecStart"))
	}
	return f[1:]
}

func TestDeploySystemd(t *testing.T) {
	timer := readUnit(t, "ladder-run.timer")
	run := readUnit(t, "ladder-run.service")
	serve := readUnit(t, "ladder-serve.service")

	checks := []struct {
		name      string
		got, want string
	}{
		{"timer catches up a missed night", timer.get("Timer", "Persistent"), "true"},
		{"timer starts the run service", timer.get("Timer", "Unit"), "ladder-run.service"},
		{"timer is enabled with the timers", timer.get("Install", "WantedBy"), "timers.target"},
		{"run is a oneshot", run.get("Service", "Type"), "oneshot"},
		{"serve stops with SIGTERM", serve.get("Service", "KillSignal"), "SIGTERM"},
		{"run stops with SIGTERM", run.get("Service", "KillSignal"), "SIGTERM"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
	if timer.get("Timer", "OnCalendar") == "" {
		t.Error("the timer has no OnCalendar")
	}
	for name, u := range map[string]unitFile{"ladder-run.service": run, "ladder-serve.service": serve} {
		if u.get("Service", "User") == "" || u.get("Service", "User") == "root" {
			t.Errorf("%s runs as %q: want a user of its own", name, u.get("Service", "User"))
		}
		if u.get("Service", "EnvironmentFile") == "" {
			t.Errorf("%s: the tokens should come from an EnvironmentFile", name)
		}
		for _, env := range u["Service"]["Environment"] {
			if strings.Contains(strings.ToUpper(env), "TOKEN") {
				t.Errorf("%s: a token in the unit itself: Environment=%s", name, env)
			}
		}
	}
	runArgs, serveArgs := execArgs(t, run), execArgs(t, serve)
	if runArgs[0] != "run" || serveArgs[0] != "serve" {
		t.Errorf("ExecStart: ladder %v and ladder %v, want run and serve", runArgs, serveArgs)
	}
	acceptsCommandLine(t, "ladder-run.service", runArgs)
	acceptsCommandLine(t, "ladder-serve.service", serveArgs)

	sa, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Log("systemd-analyze not on PATH: the units were checked by parsing only")
		return
	}
	// verify wants ExecStart's binary to exist: point the copies at a stand-in.
	dir := t.TempDir()
	bin := filepath.Join(dir, "ladder")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	var units []string
	for _, name := range []string{"ladder-run.service", "ladder-run.timer", "ladder-serve.service"} {
		data, err := os.ReadFile(filepath.Join(deployDir, "systemd", name))
		if err != nil {
			t.Fatal(err)
		}
		data = bytes.ReplaceAll(data, []byte("/usr/local/bin/ladder"), []byte(bin))
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
		units = append(units, filepath.Join(dir, name))
	}
	cmd := exec.Command(sa, append([]string{"verify", "--man=no"}, units...)...)
	if out, err := cmd.CombinedOutput(); err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}

// yamlDocs decodes every document of a YAML file.
func yamlDocs(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(filepath.Join(deployDir, path))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var docs []map[string]any
	dec := yaml.NewDecoder(f)
	for {
		var d map[string]any
		err := dec.Decode(&d)
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		docs = append(docs, d)
	}
}

// at walks a decoded YAML value by keys and list indexes.
func at(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func docOfKind(t *testing.T, docs []map[string]any, kind string) map[string]any {
	t.Helper()
	for _, d := range docs {
		if d["kind"] == kind {
			return d
		}
	}
	t.Fatalf("no %s", kind)
	return nil
}

func stringList(v any) []string {
	var out []string
	l, _ := v.([]any)
	for _, x := range l {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

// checkPod checks what both workloads need of their pod: the tokens from
// a Secret, the store on a persistent volume, non-root, args ladder accepts.
func checkPod(t *testing.T, where string, pod any, wantCommand string) {
	t.Helper()
	c := at(pod, "containers", 0)
	args := stringList(at(c, "args"))
	if len(args) == 0 || args[0] != wantCommand {
		t.Errorf("%s: args %q, want ladder %s", where, args, wantCommand)
	}
	acceptsCommandLine(t, where, args)
	if at(pod, "securityContext", "runAsNonRoot") != true {
		t.Errorf("%s: not runAsNonRoot", where)
	}
	env := map[string]any{}
	envs, _ := at(c, "env").([]any)
	for _, e := range envs {
		env[at(e, "name").(string)] = e
	}
	for _, name := range []string{"GITHUB_TOKEN", "JIRA_EMAIL", "JIRA_API_TOKEN"} {
		e, ok := env[name]
		if !ok || at(e, "valueFrom", "secretKeyRef", "name") == nil || at(e, "value") != nil {
			t.Errorf("%s: %s should come from a Secret (valueFrom.secretKeyRef), got %v", where, name, e)
		}
	}
	store, _ := at(env["LADDER_STORE"], "value").(string)
	mounted := false
	mounts, _ := at(c, "volumeMounts").([]any)
	for _, m := range mounts {
		if mp, _ := at(m, "mountPath").(string); store != "" && strings.HasPrefix(store, mp+"/") {
			vols, _ := at(pod, "volumes").([]any)
			for _, v := range vols {
				if at(v, "name") == at(m, "name") && at(v, "persistentVolumeClaim", "claimName") != nil {
					mounted = true
				}
			}
		}
	}
	if !mounted {
		t.Errorf("%s: LADDER_STORE %q is not on a persistent volume", where, store)
	}
}

func TestDeployKubernetes(t *testing.T) {
	t.Run("CronJob", func(t *testing.T) {
		cj := docOfKind(t, yamlDocs(t, "kubernetes/cronjob.yaml"), "CronJob")
		spec := at(cj, "spec")
		if got := at(spec, "concurrencyPolicy"); got != "Forbid" {
			t.Errorf("concurrencyPolicy = %v, want Forbid", got)
		}
		if s, _ := at(spec, "schedule").(string); s == "" {
			t.Error("no schedule")
		} else if _, err := cron.ParseStandard(s); err != nil {
			t.Errorf("schedule %q: %v", s, err)
		}
		checkPod(t, "CronJob", at(spec, "jobTemplate", "spec", "template", "spec"), "run")
	})
	t.Run("Deployment and Service", func(t *testing.T) {
		docs := yamlDocs(t, "kubernetes/serve.yaml")
		dep, svc := docOfKind(t, docs, "Deployment"), docOfKind(t, docs, "Service")
		pod := at(dep, "spec", "template", "spec")
		checkPod(t, "Deployment", pod, "serve")
		c := at(pod, "containers", 0)
		for probe, path := range map[string]string{"livenessProbe": "/healthz", "readinessProbe": "/readyz"} {
			if got := at(c, probe, "httpGet", "path"); got != path {
				t.Errorf("%s on %v, want %s", probe, got, path)
			}
		}
		if got := at(dep, "spec", "replicas"); got != 1 {
			t.Errorf("replicas = %v: SQLite wants one", got)
		}
		if got := at(dep, "spec", "strategy", "type"); got != "Recreate" {
			t.Errorf("strategy = %v, want Recreate (two pods must not share the store)", got)
		}
		podLabels, _ := at(dep, "spec", "template", "metadata", "labels").(map[string]any)
		sel, _ := at(svc, "spec", "selector").(map[string]any)
		for k, v := range sel {
			if podLabels[k] != v {
				t.Errorf("the Service selects %s=%v, which the pods do not carry", k, v)
			}
		}
		args := stringList(at(c, "args"))
		if i := slices.Index(args, "--listen"); i < 0 || i+1 >= len(args) || strings.HasPrefix(args[i+1], "127.") {
			t.Errorf("serve in a pod must listen beyond loopback: args %q", args)
		}
	})
}

func TestDeployGitHubActions(t *testing.T) {
	docs := yamlDocs(t, "github-actions/ladder.yml")
	wf := docs[0]
	crons := at(wf, "on", "schedule")
	if at(crons, 0, "cron") == nil {
		t.Fatal("no on.schedule cron")
	}
	if _, err := cron.ParseStandard(at(crons, 0, "cron").(string)); err != nil {
		t.Errorf("cron: %v", err)
	}
	if at(wf, "concurrency", "group") == nil || at(wf, "concurrency", "cancel-in-progress") != false {
		t.Errorf("concurrency = %v: want one run at a time, never cancelled mid-run", at(wf, "concurrency"))
	}
	if at(wf, "permissions", "issues") != "write" {
		t.Errorf("permissions = %v: publishing needs issues: write", at(wf, "permissions"))
	}
	raw, err := os.ReadFile(filepath.Join(deployDir, "github-actions/ladder.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var ran []string
	steps, _ := at(wf, "jobs", "run", "steps").([]any)
	for _, s := range steps {
		if uses, _ := at(s, "uses").(string); strings.HasPrefix(uses, "actions/cache") {
			t.Errorf("the store in the Actions cache would be evicted: %s", uses)
		}
		if r, _ := at(s, "run").(string); strings.HasPrefix(r, "ladder ") {
			ran = append(ran, r)
			for name, v := range map[string]any{"GITHUB_TOKEN": at(s, "env", "GITHUB_TOKEN"), "JIRA_API_TOKEN": at(s, "env", "JIRA_API_TOKEN")} {
				if sv, _ := v.(string); v != nil && !strings.Contains(sv, "secrets.") {
					t.Errorf("%s is not from secrets: %v", name, v)
				}
			}
		}
	}
	if len(ran) == 0 || !strings.HasPrefix(ran[0], "ladder run") {
		t.Errorf("the workflow does not run `ladder run`: %q", ran)
	}
	for _, r := range ran {
		line, _, _ := strings.Cut(r, " 2>")
		line, _, _ = strings.Cut(line, " ||")
		acceptsCommandLine(t, "workflow", strings.Fields(line)[1:])
	}
	if !bytes.Contains(raw, []byte("Do not keep it in the\n# Actions cache")) {
		t.Error("the workflow should say where its store lives and why not the Actions cache")
	}
}

func TestDeployContainerfile(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(deployDir, "Containerfile"))
	if err != nil {
		t.Fatal(err)
	}
	var froms, users []string
	cgoOff := false
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || strings.HasPrefix(f[0], "#") {
			continue
		}
		switch strings.ToUpper(f[0]) {
		case "FROM":
			froms = append(froms, f[1])
		case "USER":
			users = append(users, f[1])
		case "RUN":
			if strings.Contains(line, "CGO_ENABLED=0") && strings.Contains(line, "go build") {
				cgoOff = true
			}
		}
	}
	if len(froms) == 0 {
		t.Fatal("no FROM")
	}
	final := froms[len(froms)-1]
	if !strings.HasPrefix(final, "gcr.io/distroless/static") && final != "scratch" {
		t.Errorf("final image %s: want distroless static or scratch", final)
	}
	if !cgoOff {
		t.Error("the binary is not built with CGO_ENABLED=0")
	}
	if len(users) == 0 {
		t.Fatal("no USER: the image would run as root")
	}
	if u, _, _ := strings.Cut(users[len(users)-1], ":"); u == "0" || u == "root" {
		t.Errorf("USER %s is root", users[len(users)-1])
	}
}

func TestDeployAlertRules(t *testing.T) {
	docs := yamlDocs(t, "prometheus/ladder-alerts.yml")
	var exprs []string
	groups, _ := at(docs[0], "groups").([]any)
	for _, g := range groups {
		rules, _ := at(g, "rules").([]any)
		for _, r := range rules {
			if e, _ := at(r, "expr").(string); e != "" {
				exprs = append(exprs, e)
			}
		}
	}
	if !slices.ContainsFunc(exprs, func(e string) bool {
		return strings.Contains(e, "ladder_run_last_success_timestamp_seconds") && strings.Contains(e, "2 * 86400")
	}) {
		t.Errorf("no rule for no successful run in two nightly intervals: %q", exprs)
	}
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Log("promtool not on PATH (Debian package prometheus): the rules were checked by parsing only")
		return
	}
	for _, args := range [][]string{{"check", "rules", "ladder-alerts.yml"}, {"test", "rules", "ladder-alerts.test.yml"}} {
		cmd := exec.Command(promtool, args...)
		cmd.Dir = filepath.Join(deployDir, "prometheus")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}
