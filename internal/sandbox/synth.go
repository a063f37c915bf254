package sandbox

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ladderhq/ladder"
)

// Synthetic issues are for benchmarks: cheap, deterministic, plausible enough
// for the analyzer's text and graph code to do real work, and computable one at
// a time so a benchmark over a million issues never holds them all.
//
// Issue i goes to GitHub when i%5 < 2 and to Jira otherwise; GitHub issues are
// spread over synthRepos repositories, Jira issues over synthProjects projects,
// with keys numbered in order. Every link points to an earlier issue of the
// same tracker, so any prefix Synthetic(n) is closed under its links.

var (
	synthRepos = [...]string{
		"acme/web", "acme/mobile", "acme/platform-sdk", "acme/api", "acme/admin",
		"acme/docs", "acme/infra", "acme/billing-ui", "acme/search", "acme/notifications",
	}
	synthProjects = [...]string{"PAY", "PLAT", "DATA", "GROW", "MOB"}
)

// Synthetic returns n synthetic issues split between GitHub (about 40%) and
// Jira (about 60%). The same n, seed and now always give the same issues, and
// Synthetic(n)'s issues are SyntheticIssue(0..n-1).
func Synthetic(n int, seed int64, now time.Time) (github, jira []ladder.Issue) {
	github = make([]ladder.Issue, 0, n*2/5+2)
	jira = make([]ladder.Issue, 0, n*3/5+3)
	for i := range n {
		is := SyntheticIssue(i, seed, now)
		if is.Tracker == GitHubTracker {
			github = append(github, is)
		} else {
			jira = append(jira, is)
		}
	}
	return github, jira
}

// SyntheticOrg is the sample organisation's teams, goals and config over n
// synthetic issues instead of its written ones: a large backlog to run the
// whole pipeline against. Its config syncs the synthetic repositories and
// projects, and it keeps the sample's summary issue, acme/planning#1.
func SyntheticOrg(n int, seed int64, now time.Time) Org {
	sample := SampleOrg(now)
	gh, jira := Synthetic(n, seed, now)
	for _, is := range sample.GitHub {
		if is.Key == SummaryIssue {
			gh = append(gh, is)
		}
	}
	return Org{
		GitHub: gh,
		Jira:   jira,
		Teams:  sample.Teams,
		Goals:  sample.Goals,
		Config: orgConfig(sample.Teams, sample.Goals, synthRepos[:], synthProjects[:]),
		Story: fmt.Sprintf(`%d synthetic issues over the sample organisation's teams and goals: a
backlog too large to read, where every list in the report is bounded and every
count is complete.`, n),
	}
}

// SyntheticIssue returns the i-th synthetic issue without generating the others.
func SyntheticIssue(i int, seed int64, now time.Time) ladder.Issue {
	r := synthRand(uint64(seed)*0x9e3779b97f4a7c15 ^ uint64(i)*0xbf58476d1ce4e5b9)
	is := ladder.Issue{Ref: synthRef(i)}
	gh := is.Tracker == GitHubTracker

	// Work kinds, roughly as real backlogs split: features, bugs, debt, chores.
	kind := r.n(100)
	var title string
	switch {
	case kind < 40:
		title = pick(&r, synthFeatureVerbs) + " " + pick(&r, synthThings) + " " + pick(&r, synthFeatureTails)
		is.Type = "Story"
	case kind < 65:
		title = pick(&r, synthThings) + " " + pick(&r, synthBugSymptoms) + " " + pick(&r, synthBugTails)
		is.Type = "Bug"
	case kind < 85:
		title = pick(&r, synthDebtVerbs) + " " + pick(&r, synthDebtThings) + " in " + pick(&r, synthThings)
		// Like real trackers, only some debt work says so in its type.
		is.Type = "Task"
		if r.n(3) == 0 {
			is.Type = "Technical Debt"
		}
	default:
		title = pick(&r, synthChores) + " " + pick(&r, synthThings)
		is.Type = "Task"
	}
	is.Title = strings.ToUpper(title[:1]) + title[1:]

	var b strings.Builder
	b.Grow(256)
	b.WriteString(pick(&r, synthOpenings))
	b.WriteString(" the ")
	b.WriteString(pick(&r, synthThings))
	b.WriteString(". ")
	b.WriteString(pick(&r, synthMiddles))
	b.WriteString(" ")
	b.WriteString(pick(&r, synthClosings))

	// Links: about 10% wait on an earlier issue of the same tracker (natively),
	// about 3% name one in text, across trackers.
	if i >= 5 && r.n(10) == 0 {
		back := 1 + r.n(min(i/5, 50))
		to := synthRef(i - 5*back)
		via := "Blocks"
		if gh {
			via = "github dependency"
		}
		is.Links = append(is.Links, ladder.Link{Kind: ladder.BlockedBy, To: to, Via: via})
	}
	if i >= 10 && r.n(33) == 0 {
		to := synthRef(r.n(i))
		b.WriteString(" Blocked by ")
		if repo, num, ok := strings.Cut(to.Key, "#"); ok && r.n(2) == 0 {
			b.WriteString("https://github.com/" + repo + "/issues/" + num)
		} else {
			b.WriteString(to.Key)
		}
		b.WriteByte('.')
	}
	is.Body = b.String()
	is.BodyRaw = is.Body

	// Epics and sub-issues, about 5% each: every 100 issues of a tracker
	// open with one parent per project (or repo), and the next ones of the
	// same project are its children.
	if gh {
		gi := synthSeq(i)
		repo, num := gi%len(synthRepos), gi/len(synthRepos)+1
		is.Project = synthRepos[repo]
		is.URL = "https://github.com/" + is.Project + "/issues/" + strconv.Itoa(num)
		is.ID = strconv.Itoa(3000000000 + i)
		is.Type = ""
		if off := gi % 100; off >= 10 && off < 20 {
			is.Parent = synthGitHubKey(gi - 10)
		}
	} else {
		ji := synthSeq(i)
		is.Project = synthProjects[ji%len(synthProjects)]
		is.URL = "https://acme.atlassian.net/browse/" + is.Key
		is.ID = strconv.Itoa(100000 + i)
		switch off := ji % 100; {
		case off < 5:
			is.Type = "Epic"
		case off < 10:
			is.Parent = synthJiraKey(ji - 5)
		}
		if r.n(100) < 85 {
			is.Estimate = new(synthPoints[r.n(len(synthPoints))])
		}
		is.Components = []string{pick(&r, synthComponents)}
	}

	// Labels: debt labels on about half the debt work, goal labels on some.
	if debt := kind >= 65 && kind < 85; debt && r.n(2) == 0 {
		is.Labels = append(is.Labels, "tech-debt")
	}
	if r.n(5) == 0 {
		is.Labels = append(is.Labels, pick(&r, synthGoalLabels))
	}
	if gh && kind >= 40 && kind < 65 {
		is.Labels = append(is.Labels, "bug")
	}

	// Times: created within the last year, most work done within weeks.
	ageMin := 60 + r.n(365*24*60)
	is.Created = now.Add(-time.Duration(ageMin) * time.Minute).Truncate(time.Minute)
	is.Reporter = pick(&r, synthPeople)
	if r.n(5) != 0 {
		is.Assignee = synthPeople[r.n(len(synthPeople))]
	}
	end := now
	switch st := r.n(10); {
	case st < 6:
		is.StatusCategory = ladder.StatusDone
		took := time.Duration(1+r.n(min(ageMin, 30*24*60))) * time.Minute
		res := is.Created.Add(took)
		is.Resolved = &res
		end = res
	case st < 8:
		is.StatusCategory = ladder.StatusInProgress
	default:
		is.StatusCategory = ladder.StatusTodo
	}
	if gh {
		is.Status = "open"
		if is.StatusCategory == ladder.StatusDone {
			is.Status = "closed"
		}
	} else {
		is.Status = jiraStatus[is.StatusCategory]
	}

	// Two or three comments between creation and the end of the work; one
	// in twelve admits new debt.
	nc := 2 + r.n(2)
	is.Comments = make([]ladder.Comment, nc)
	span := end.Sub(is.Created)
	for k := range is.Comments {
		text := pick(&r, poolNotes)
		if r.n(12) == 0 {
			text = pick(&r, synthAdmissions)
		}
		is.Comments[k] = ladder.Comment{
			ID:      strconv.Itoa(i*4 + k),
			Author:  synthPeople[r.n(len(synthPeople))],
			Created: is.Created.Add(span * time.Duration(k+1) / time.Duration(nc+1)).Truncate(time.Second),
			Body:    text,
			Raw:     text,
		}
	}
	is.Updated = is.Comments[nc-1].Created
	return is
}

// synthRef names the i-th synthetic issue.
func synthRef(i int) ladder.Ref {
	if i%5 < 2 {
		return ladder.Ref{Tracker: GitHubTracker, Key: synthGitHubKey(synthSeq(i))}
	}
	return ladder.Ref{Tracker: JiraTracker, Key: synthJiraKey(synthSeq(i))}
}

// synthSeq is issue i's position among the issues of its tracker.
func synthSeq(i int) int {
	block, r := i/5, i%5
	if r < 2 {
		return block*2 + r
	}
	return block*3 + r - 2
}

func synthGitHubKey(gi int) string {
	return synthRepos[gi%len(synthRepos)] + "#" + strconv.Itoa(gi/len(synthRepos)+1)
}

func synthJiraKey(ji int) string {
	return synthProjects[ji%len(synthProjects)] + "-" + strconv.Itoa(ji/len(synthProjects)+1)
}

// synthRand is splitmix64: tiny, fast and good enough to pick words.
type synthRand uint64

func (r *synthRand) next() uint64 {
	*r += 0x9e3779b97f4a7c15
	z := uint64(*r)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// n returns a number in [0, k).
func (r *synthRand) n(k int) int { return int(r.next() % uint64(k)) }

func pick(r *synthRand, words []string) string { return words[r.n(len(words))] }

var (
	synthPoints = []float64{1, 2, 3, 5, 8, 13}

	synthFeatureVerbs = []string{"add", "support", "show", "let admins configure", "export", "allow bulk edit of",
		"introduce", "build", "offer self-serve", "surface", "prefill", "localise"}
	synthFeatureTails = []string{"in the dashboard", "for enterprise accounts", "on the checkout page", "in the mobile app",
		"via the public API", "for returning customers", "behind a feature flag", "in the partner portal", "per workspace", "with audit history"}
	synthThings = []string{"invoice listing", "payout schedule", "card form", "webhook delivery", "API key rotation",
		"sign-up flow", "refund sheet", "ledger client", "settlement reconciler", "currency conversion",
		"session handling", "search index", "rate limiter", "export job", "notification preferences",
		"subscription renewal", "dispute evidence upload", "customer profile", "revenue report", "onboarding checklist",
		"retry queue", "tax calculation", "receipt email", "login form", "pagination cursor"}
	synthBugSymptoms = []string{"times out", "shows the wrong total", "crashes", "drops events", "double-counts refunds",
		"returns 500", "ignores the time zone", "leaks connections", "renders blank", "loses state"}
	synthBugTails = []string{"on Safari", "after a plan change", "for accounts in JPY", "under load", "after the last deploy",
		"when the session expires", "on Android 14", "at month end", "for large accounts", "on retry"}
	synthDebtVerbs = []string{"remove the legacy", "replace the hand-rolled", "migrate off the deprecated", "delete the unused",
		"consolidate the duplicated", "upgrade the outdated", "untangle the", "fix the flaky test for the", "split the oversized", "drop the dual-write"}
	synthDebtThings = []string{"retry loop", "config loader", "v1 dispatcher", "feature flags", "HTTP client wrapper",
		"date library", "cron job", "shim layer", "god object", "ORM mapping", "build script", "polling worker"}
	synthChores = []string{"rotate the credentials of the", "bump dependencies of the", "document the", "add alerts for the",
		"renew the certificate of the", "write a runbook for the", "audit access to the", "archive old data of the"}
	synthComponents = []string{"Checkout", "Ledger", "Billing", "API Gateway", "Auth", "Job Runner", "Warehouse",
		"Pipelines", "Dashboards", "Mobile API", "Infrastructure"}
	synthGoalLabels = []string{"goal:checkout", "goal:sdk-v2", "goal:availability", "goal:revenue-dashboard",
		"goal:freshness", "goal:onboarding", "goal:wallet", "goal:crash-free"}
	synthOpenings = []string{"Customers report that", "Support escalated a problem with", "We want to improve", "Finance asked about",
		"Since the last release we see issues with", "Partners keep asking for changes to", "On-call was paged twice for"}
	synthMiddles = []string{"It affects about 3% of accounts.", "The current code path was written before the ledger migration.",
		"Logs show the failures cluster around deploys.", "The design is in the linked doc.",
		"Nobody owns this part of the code today.", "There is a workaround documented in the support macro.",
		"Latency doubles for the largest accounts.", "The old implementation has no tests."}
	synthClosings = []string{"Acceptance: covered by an end-to-end test.", "Needs a product decision on the edge cases.",
		"Estimate assumes no schema change.", "Rollout behind a flag, 10% first.", "Ship before the quarter ends.",
		"Coordinate with the owning team before merging."}
	synthAdmissions = []string{"Merged a workaround for now, we'll clean this up later.", "Quick hack to unblock the release; needs a proper fix.",
		"Temporary: hard-coded the limit until the config service supports it.", "TODO: remove this shim once the migration is done."}
	synthPeople = []string{"priya-raman", "lukas-berg", "sofia-alvarez", "daniel-okafor", "hannah-weiss", "ravi-kumar",
		"jonas-lind", "marta-kowalska", "yusuf-demir", "chen-wei", "fatima-haddad", "olu-adeyemi", "emma-dubois",
		"noah-fischer", "isabel-costa", "sam-porter", "mei-tanaka", "tomas-novak", "ama-owusu", "kofi-mensah"}
)
