package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
)

var jiraT0 = time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)

func jiraSample() []ladder.Issue {
	var out []ladder.Issue
	for i := 1; i <= 7; i++ {
		is := ladder.Issue{
			Ref: ladder.Ref{Key: "PAY-" + strconv.Itoa(i)}, Title: "t" + strconv.Itoa(i), Type: "Story",
			Created: jiraT0.Add(time.Duration(i) * time.Hour), Updated: jiraT0.Add(time.Duration(i) * time.Hour),
		}
		if i == 1 {
			is.Type = "Epic"
		} else {
			is.Parent = "PAY-1"
		}
		if i == 3 {
			is.Links = []ladder.Link{{Kind: ladder.BlockedBy, To: ladder.Ref{Key: "PAY-2"}, Via: "Blocks"}}
			for k := 0; k < 25; k++ {
				is.Comments = append(is.Comments, ladder.Comment{Author: "ann", Raw: "c" + strconv.Itoa(k)})
			}
		}
		out = append(out, is)
	}
	out = append(out, ladder.Issue{Ref: ladder.Ref{Key: "OPS-1"}, Title: "other project", Created: jiraT0, Updated: jiraT0})
	return out
}

// jiraGet sends one request with the site's credentials and decodes JSON.
func jiraGet(t *testing.T, j *Jira, method, path string, body string) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, j.URL()+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if j.cloud {
		req.SetBasicAuth("bot@example.com", "tok")
	} else {
		req.Header.Set("Authorization", "Bearer tok")
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if len(b) > 0 && b[0] == '{' {
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
	return resp.StatusCode, m
}

func q(jql string, extra ...string) string {
	v := url.Values{"jql": {jql}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return v.Encode()
}

func TestJiraSearchShapes(t *testing.T) {
	cloud := NewJira(jiraSample(), JiraOptions{Email: "bot@example.com", Token: "tok", CommentCap: 20})
	defer cloud.Close()
	dc := NewJira(jiraSample(), JiraOptions{Deployment: "datacenter", Token: "tok", MaxResultsClamp: 3})
	defer dc.Close()
	ms := strconv.FormatInt(jiraT0.Add(5*time.Hour).UnixMilli(), 10)

	tests := []struct {
		name   string
		site   *Jira
		method string
		path   string
		status int
		check  func(t *testing.T, m map[string]any)
	}{
		{name: "cloud removed search v2", site: cloud, method: "GET", path: "/rest/api/2/search?" + q("project = PAY"), status: 410},
		{name: "cloud removed search v3 POST", site: cloud, method: "POST", path: "/rest/api/3/search", status: 410},
		{name: "cloud ids only without fields", site: cloud, method: "GET", path: "/rest/api/2/search/jql?" + q("project = PAY ORDER BY created ASC", "maxResults", "5"), status: 200,
			check: func(t *testing.T, m map[string]any) {
				issues := m["issues"].([]any)
				first := issues[0].(map[string]any)
				if len(issues) != 5 || first["key"] != "PAY-1" || first["fields"] != nil {
					t.Errorf("page %v", m)
				}
				if m["nextPageToken"] == nil || m["isLast"] != false || m["total"] != nil || m["startAt"] != nil {
					t.Errorf("paging keys %v", m)
				}
			}},
		{name: "cloud last page has no token", site: cloud, method: "GET", path: "/rest/api/2/search/jql?" + q("project = PAY AND updated >= "+ms, "fields", "summary,comment,parent,issuelinks"), status: 200,
			check: func(t *testing.T, m map[string]any) {
				if _, has := m["nextPageToken"]; has || m["isLast"] != true {
					t.Errorf("last page %v", m)
				}
				if n := len(m["issues"].([]any)); n != 3 {
					t.Errorf("%d issues updated since +5h, want 3", n)
				}
			}},
		{name: "cloud fields: parent, links, capped comments", site: cloud, method: "GET", path: "/rest/api/2/search/jql?" + q("key = PAY-3", "fields", "summary,comment,parent,issuelinks"), status: 200,
			check: func(t *testing.T, m map[string]any) {
				f := m["issues"].([]any)[0].(map[string]any)["fields"].(map[string]any)
				if f["parent"].(map[string]any)["key"] != "PAY-1" {
					t.Errorf("parent %v", f["parent"])
				}
				c := f["comment"].(map[string]any)
				if c["total"] != 25.0 || len(c["comments"].([]any)) != 20 {
					t.Errorf("comment page total %v with %d embedded", c["total"], len(c["comments"].([]any)))
				}
				link := f["issuelinks"].([]any)[0].(map[string]any)
				if link["inwardIssue"].(map[string]any)["key"] != "PAY-2" || link["type"].(map[string]any)["inward"] != "is blocked by" {
					t.Errorf("link %v", link)
				}
				if _, has := f["description"]; has {
					t.Errorf("unrequested field served: %v", f)
				}
			}},
		{name: "link mirrored on the other end", site: cloud, method: "GET", path: "/rest/api/2/issue/PAY-2?fields=issuelinks", status: 200,
			check: func(t *testing.T, m map[string]any) {
				link := m["fields"].(map[string]any)["issuelinks"].([]any)[0].(map[string]any)
				if link["outwardIssue"].(map[string]any)["key"] != "PAY-3" {
					t.Errorf("mirrored link %v", link)
				}
			}},
		{name: "empty jql", site: cloud, method: "GET", path: "/rest/api/2/search/jql?jql=", status: 400},
		{name: "only ORDER BY is unbounded", site: dc, method: "GET", path: "/rest/api/2/search?" + q("ORDER BY created"), status: 400},
		{name: "unknown field", site: dc, method: "GET", path: "/rest/api/2/search?" + q("sprint = 5"), status: 400,
			check: func(t *testing.T, m map[string]any) {
				if msgs := m["errorMessages"].([]any); len(msgs) == 0 || !strings.Contains(msgs[0].(string), "sprint") {
					t.Errorf("errorMessages %v", m)
				}
			}},
		{name: "dc clamps and echoes maxResults", site: dc, method: "GET", path: "/rest/api/2/search?" + q("project in (PAY, OPS) ORDER BY created ASC", "startAt", "2", "maxResults", "100"), status: 200,
			check: func(t *testing.T, m map[string]any) {
				if m["maxResults"] != 3.0 || m["startAt"] != 2.0 || m["total"] != 8.0 || len(m["issues"].([]any)) != 3 {
					t.Errorf("page %v", m)
				}
			}},
		{name: "dc epic link field, no comments by default", site: dc, method: "GET", path: "/rest/api/2/search?" + q("key = PAY-3"), status: 200,
			check: func(t *testing.T, m map[string]any) {
				f := m["issues"].([]any)[0].(map[string]any)["fields"].(map[string]any)
				if f["customfield_10101"] != "PAY-1" || f["parent"] != nil || f["comment"] != nil {
					t.Errorf("fields %v", f)
				}
			}},
		{name: "dc has no search/jql", site: dc, method: "GET", path: "/rest/api/2/search/jql?" + q("project = PAY"), status: 404},
		{name: "date string in the user's zone", site: dc, method: "GET", path: "/rest/api/2/search?" + q(`updated >= "2026-01-05 16:00"`), status: 200,
			check: func(t *testing.T, m map[string]any) {
				// 16:00 CET is 15:00 UTC: PAY-5, PAY-6, PAY-7.
				if m["total"] != 3.0 {
					t.Errorf("total %v, want 3", m["total"])
				}
			}},
		{name: "dc myself names the user", site: dc, method: "GET", path: "/rest/api/2/myself", status: 200,
			check: func(t *testing.T, m map[string]any) {
				if m["name"] != "ladder-bot-account" || m["accountId"] != nil {
					t.Errorf("myself %v", m)
				}
			}},
		{name: "permissions need the parameter", site: cloud, method: "GET", path: "/rest/api/2/mypermissions", status: 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, m := jiraGet(t, tt.site, tt.method, tt.path, "")
			if status != tt.status {
				t.Fatalf("status %d, want %d (%v)", status, tt.status, m)
			}
			if tt.check != nil {
				tt.check(t, m)
			}
		})
	}
}

func TestJiraAuth(t *testing.T) {
	tests := []struct {
		name       string
		deployment string
		set        func(*http.Request)
		status     int
	}{
		{name: "cloud basic", deployment: "cloud", set: func(r *http.Request) { r.SetBasicAuth("bot@example.com", "tok") }, status: 200},
		{name: "cloud wrong email", deployment: "cloud", set: func(r *http.Request) { r.SetBasicAuth("eve@example.com", "tok") }, status: 401},
		{name: "cloud bearer is not basic", deployment: "cloud", set: func(r *http.Request) { r.Header.Set("Authorization", "Bearer tok") }, status: 401},
		{name: "dc bearer PAT", deployment: "datacenter", set: func(r *http.Request) { r.Header.Set("Authorization", "Bearer tok") }, status: 200},
		{name: "dc wrong PAT", deployment: "datacenter", set: func(r *http.Request) { r.Header.Set("Authorization", "Bearer nope") }, status: 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := NewJira(nil, JiraOptions{Deployment: tt.deployment, Email: "bot@example.com", Token: "tok"})
			defer j.Close()
			req, _ := http.NewRequestWithContext(t.Context(), "GET", j.URL()+"/rest/api/2/myself", nil)
			tt.set(req)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
		})
	}
}

func TestJiraCommentWrites(t *testing.T) {
	now := jiraT0.Add(48 * time.Hour)
	j := NewJira(jiraSample(), JiraOptions{Email: "bot@example.com", Token: "tok", Now: func() time.Time { return now }})
	defer j.Close()
	status, m := jiraGet(t, j, "POST", "/rest/api/2/issue/PAY-2/comment?expand=properties", `{"body":"hi","properties":[{"key":"ladder","value":{"v":1}}]}`)
	if status != 201 || m["author"].(map[string]any)["accountId"] != "ladder-bot-account" {
		t.Fatalf("create: %d %v", status, m)
	}
	if _, has := m["properties"]; has {
		t.Errorf("Cloud's create documents expand=renderedBody only, yet served properties: %v", m)
	}
	id := m["id"].(string)
	if status, _ := jiraGet(t, j, "PUT", "/rest/api/2/issue/PAY-2/comment/"+id, `{"body":"edited"}`); status != 200 {
		t.Fatalf("edit: %d", status)
	}
	if status, m := jiraGet(t, j, "GET", "/rest/api/2/comment/"+id+"/properties/ladder", ""); status != 200 || m["value"].(map[string]any)["v"] != 1.0 {
		t.Errorf("property: %d %v", status, m)
	}
	other, _ := j.AddComment("PAY-2", "mallory", "mine")
	if status, _ := jiraGet(t, j, "PUT", "/rest/api/2/issue/PAY-2/comment/"+other, `{"body":"taken over"}`); status != 403 {
		t.Errorf("editing someone else's comment: %d, want 403", status)
	}
	_, m = jiraGet(t, j, "GET", "/rest/api/2/issue/PAY-2?fields=updated,comment", "")
	f := m["fields"].(map[string]any)
	if f["updated"] != now.Format(jiraTime) {
		t.Errorf("updated %v, want bumped to %s", f["updated"], now.Format(jiraTime))
	}
	if cs := j.Comments("PAY-2"); len(cs) != 2 || cs[0].Raw != "edited" {
		t.Errorf("comments %+v", cs)
	}
}

func TestJiraCommentProperties(t *testing.T) {
	cloud := NewJira(jiraSample(), JiraOptions{Email: "bot@example.com", Token: "tok"})
	defer cloud.Close()
	dc := NewJira(jiraSample(), JiraOptions{Deployment: "datacenter", Token: "tok"})
	defer dc.Close()
	for _, j := range []*Jira{cloud, dc} {
		for i, body := range []string{"first", "second"} {
			id, err := j.AddComment("PAY-4", "ladder-bot-account", body)
			if err != nil {
				t.Fatal(err)
			}
			if i == 1 {
				if err := j.SetCommentProperty(id, "ladder", map[string]any{"v": 1}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	ids := func(j *Jira) (string, string) {
		cs := j.Comments("PAY-4")
		return cs[0].ID, cs[1].ID
	}
	first, second := ids(cloud)
	dcFirst, _ := ids(dc)
	tests := []struct {
		name   string
		site   *Jira
		method string
		path   string
		body   string
		status int
		check  func(t *testing.T, m map[string]any)
	}{
		{name: "listing ignores expand=properties", site: cloud, method: "GET", path: "/rest/api/2/issue/PAY-4/comment?expand=properties", status: 200,
			check: func(t *testing.T, m map[string]any) {
				for _, c := range m["comments"].([]any) {
					if _, has := c.(map[string]any)["properties"]; has {
						t.Errorf("listing served properties: %v", c)
					}
				}
			}},
		{name: "listing newest first", site: cloud, method: "GET", path: "/rest/api/2/issue/PAY-4/comment?orderBy=-created", status: 200,
			check: func(t *testing.T, m map[string]any) {
				if cs := m["comments"].([]any); cs[0].(map[string]any)["id"] != second {
					t.Errorf("first of -created is %v, want %s", cs[0], second)
				}
			}},
		{name: "listing refuses another order", site: cloud, method: "GET", path: "/rest/api/2/issue/PAY-4/comment?orderBy=updated", status: 400},
		{name: "comment/list with properties", site: cloud, method: "POST", path: "/rest/api/2/comment/list?expand=properties", body: `{"ids":[` + first + `,` + second + `,999]}`, status: 200,
			check: func(t *testing.T, m map[string]any) {
				vs := m["values"].([]any)
				if len(vs) != 2 || m["isLast"] != true {
					t.Fatalf("values %v", m)
				}
				if ps := vs[0].(map[string]any)["properties"].([]any); len(ps) != 0 {
					t.Errorf("first comment properties %v", ps)
				}
				if ps := vs[1].(map[string]any)["properties"].([]any); len(ps) != 1 || ps[0].(map[string]any)["key"] != "ladder" {
					t.Errorf("second comment properties %v", ps)
				}
			}},
		{name: "comment/list without expand", site: cloud, method: "POST", path: "/rest/api/2/comment/list", body: `{"ids":[` + second + `]}`, status: 200,
			check: func(t *testing.T, m map[string]any) {
				if _, has := m["values"].([]any)[0].(map[string]any)["properties"]; has {
					t.Errorf("properties without expand: %v", m)
				}
			}},
		{name: "comment/list ids are numbers", site: cloud, method: "POST", path: "/rest/api/2/comment/list", body: `{"ids":["` + second + `"]}`, status: 400},
		{name: "comment/list needs ids", site: cloud, method: "POST", path: "/rest/api/2/comment/list", body: `{"ids":[]}`, status: 400},
		{name: "data center has no comment/list", site: dc, method: "POST", path: "/rest/api/2/comment/list", body: `{"ids":[` + dcFirst + `]}`, status: 404},
		{name: "data center property endpoint", site: dc, method: "GET", path: "/rest/api/2/comment/" + dcFirst + "/properties/ladder", status: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, m := jiraGet(t, tt.site, tt.method, tt.path, tt.body)
			if status != tt.status {
				t.Fatalf("status %d, want %d (%v)", status, tt.status, m)
			}
			if tt.check != nil {
				tt.check(t, m)
			}
		})
	}
}

func TestJiraEditsRecordNotifyUsers(t *testing.T) {
	tests := []struct {
		name   string
		opts   JiraOptions
		query  string
		status int
		want   []CommentEdit
	}{
		{name: "quiet edit", query: "?notifyUsers=false", status: 200, want: []CommentEdit{{NotifyUsers: "false"}}},
		{name: "plain edit", status: 200, want: []CommentEdit{{}}},
		{name: "quiet edit refused", opts: JiraOptions{RefuseQuietEdits: true}, query: "?notifyUsers=false", status: 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Email, tt.opts.Token = "bot@example.com", "tok"
			j := NewJira(jiraSample(), tt.opts)
			defer j.Close()
			id, _ := j.AddComment("PAY-2", "ladder-bot-account", "v1")
			if status, m := jiraGet(t, j, "PUT", "/rest/api/2/issue/PAY-2/comment/"+id+tt.query, `{"body":"v2"}`); status != tt.status {
				t.Fatalf("edit: %d %v", status, m)
			}
			got := j.CommentEdits()
			for i := range tt.want {
				tt.want[i].CommentID = id
			}
			if len(got) != len(tt.want) || len(got) > 0 && got[0] != tt.want[0] {
				t.Errorf("edits %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestJiraApplyThenFail(t *testing.T) {
	j := NewJira(jiraSample(), JiraOptions{Email: "bot@example.com", Token: "tok"})
	defer j.Close()
	j.ApplyThenFail(func(r *http.Request) bool { return r.Method == http.MethodPost }, 1, http.StatusServiceUnavailable)
	if status, _ := jiraGet(t, j, "POST", "/rest/api/2/issue/PAY-5/comment", `{"body":"made anyway"}`); status != 503 {
		t.Fatalf("status %d, want 503", status)
	}
	if cs := j.Comments("PAY-5"); len(cs) != 1 || cs[0].Raw != "made anyway" {
		t.Fatalf("comments %+v: want the comment made despite the 503", cs)
	}
	if status, _ := jiraGet(t, j, "POST", "/rest/api/2/issue/PAY-5/comment", `{"body":"second"}`); status != 201 {
		t.Errorf("after the fault: %d", status)
	}
}

func TestJiraSearchWindow(t *testing.T) {
	var issues []ladder.Issue
	for i := 1; i <= 30; i++ {
		issues = append(issues, ladder.Issue{Ref: ladder.Ref{Key: "PAY-" + strconv.Itoa(i)}, Title: "t", Created: jiraT0.Add(time.Duration(i) * time.Minute)})
	}
	tests := []struct {
		name          string
		opts          JiraOptions
		startAt, max  string
		status, count int
		msg           string
	}{
		{name: "last page inside the window", startAt: "15", max: "5", status: 200, count: 5},
		{name: "past the window", startAt: "20", max: "5", status: 500, msg: "Search limit exceeded. We couldn't complete your search because it requests 25 results which exceeded the search platform limit of 20."},
		{name: "past the window, empty page", opts: JiraOptions{SearchWindowEmpty: true}, startAt: "20", max: "5", status: 200, count: 0},
		{name: "the default window is 10,000", opts: JiraOptions{SearchWindow: -1}, startAt: "9950", max: "100", status: 500, msg: "requests 10,050 results which exceeded the search platform limit of 10,000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			opts.Deployment, opts.Token = "datacenter", "tok"
			if opts.SearchWindow == 0 {
				opts.SearchWindow = 20
			}
			j := NewJira(issues, opts)
			defer j.Close()
			status, m := jiraGet(t, j, "GET", "/rest/api/2/search?"+q("project = PAY ORDER BY created ASC", "startAt", tt.startAt, "maxResults", tt.max), "")
			if status != tt.status {
				t.Fatalf("status %d, want %d (%v)", status, tt.status, m)
			}
			if tt.msg != "" {
				if msgs, _ := m["errorMessages"].([]any); len(msgs) != 1 || !strings.Contains(msgs[0].(string), tt.msg) {
					t.Errorf("errorMessages %v, want %q", m["errorMessages"], tt.msg)
				}
				return
			}
			if n := len(m["issues"].([]any)); n != tt.count || m["total"] != 30.0 {
				t.Errorf("%d issues of total %v, want %d of 30", n, m["total"], tt.count)
			}
		})
	}
}

func TestJiraKeyComparisons(t *testing.T) {
	j := NewJira(jiraSample(), JiraOptions{Deployment: "datacenter", Token: "tok"})
	defer j.Close()
	tests := []struct {
		jql    string
		status int
		keys   []string
	}{
		{jql: `key > "PAY-5" ORDER BY key ASC`, status: 200, keys: []string{"PAY-6", "PAY-7"}},
		{jql: `project in (PAY, OPS) AND key <= PAY-2 ORDER BY key ASC`, status: 200, keys: []string{"PAY-1", "PAY-2"}},
		{jql: `(project = PAY AND key > "PAY-6") OR project not in ("PAY") ORDER BY key ASC`, status: 200, keys: []string{"OPS-1", "PAY-7"}},
		{jql: `key > "PAY-99"`, status: 400},
	}
	for _, tt := range tests {
		t.Run(tt.jql, func(t *testing.T) {
			status, m := jiraGet(t, j, "GET", "/rest/api/2/search?"+q(tt.jql, "fields", "summary"), "")
			if status != tt.status {
				t.Fatalf("status %d, want %d (%v)", status, tt.status, m)
			}
			if status != 200 {
				return
			}
			var keys []string
			for _, is := range m["issues"].([]any) {
				keys = append(keys, is.(map[string]any)["key"].(string))
			}
			if strings.Join(keys, ",") != strings.Join(tt.keys, ",") {
				t.Errorf("keys %v, want %v", keys, tt.keys)
			}
		})
	}
}
