package jira

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/sandbox"
	"github.com/ladderhq/ladder/internal/trackertest"
)

// The connector against bodies of exactly the shapes Atlassian's OpenAPI
// description gives (testdata/README.md says where they come from).

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// openAPI is the excerpt of the description the connector relies on.
type openAPI struct {
	Info  map[string]any `json:"info"`
	Paths map[string]map[string]struct {
		Parameters []struct {
			Name        string `json:"name"`
			In          string `json:"in"`
			Description string `json:"description"`
		} `json:"parameters"`
		Responses map[string]struct {
			Content map[string]struct {
				Example json.RawMessage `json:"example"`
			} `json:"content"`
		} `json:"responses"`
	} `json:"paths"`
	Components struct {
		Schemas map[string]struct {
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"schemas"`
	} `json:"components"`
}

func loadOpenAPI(t *testing.T) openAPI {
	t.Helper()
	var o openAPI
	if err := json.Unmarshal(readTestdata(t, "openapi-excerpt.json"), &o); err != nil {
		t.Fatal(err)
	}
	return o
}

// operation finds the documented operation of a v2 request: the same path
// under /rest/api/3, with {templates} matching one segment.
func (o openAPI) operation(method, path string) (string, bool) {
	v3 := strings.Replace(path, "/rest/api/2/", "/rest/api/3/", 1)
	got := strings.Split(v3, "/")
	for tmpl, ops := range o.Paths {
		if _, ok := ops[strings.ToLower(method)]; !ok {
			continue
		}
		want := strings.Split(tmpl, "/")
		if len(want) != len(got) {
			continue
		}
		match := true
		for i := range want {
			if !strings.HasPrefix(want[i], "{") && want[i] != got[i] {
				match = false
				break
			}
		}
		if match {
			return tmpl, true
		}
	}
	return "", false
}

// undocumentedQuery lists the query parameters of a request that its
// operation does not document, and expand values its description of expand
// does not name (in backquotes: "accepts `renderedBody`").
func (o openAPI) undocumentedQuery(method, path, rawQuery string) (op string, bad []string, known bool) {
	op, known = o.operation(method, path)
	if !known {
		return "", nil, false
	}
	documented := map[string]string{}
	for _, p := range o.Paths[op][strings.ToLower(method)].Parameters {
		if p.In == "query" {
			documented[p.Name] = p.Description
		}
	}
	q, _ := url.ParseQuery(rawQuery)
	for k, vs := range q {
		desc, ok := documented[k]
		if !ok {
			bad = append(bad, k)
			continue
		}
		if k != "expand" {
			continue
		}
		for _, v := range vs {
			for _, e := range strings.Split(v, ",") {
				if !strings.Contains(desc, "`"+e+"`") {
					bad = append(bad, "expand="+e)
				}
			}
		}
	}
	return op, bad, true
}

// schemaKeys is the set of properties a schema documents.
func (o openAPI) schemaKeys(t *testing.T, name string) map[string]bool {
	t.Helper()
	s, ok := o.Components.Schemas[name]
	if !ok {
		t.Fatalf("schema %s not in the excerpt", name)
	}
	keys := map[string]bool{}
	for k := range s.Properties {
		keys[k] = true
	}
	return keys
}

func TestTestdataIsTheOpenAPIExample(t *testing.T) {
	o := loadOpenAPI(t)
	if v, _ := o.Info["version"].(string); !strings.HasPrefix(v, "1001.0.0-SNAPSHOT-57a0ca5b") {
		t.Errorf("excerpt of info.version %q", v)
	}
	for file, at := range map[string][3]string{
		"search-jql.json":       {"/rest/api/3/search/jql", "get", "200"},
		"comments.json":         {"/rest/api/3/issue/{issueIdOrKey}/comment", "get", "200"},
		"comment-created.json":  {"/rest/api/3/issue/{issueIdOrKey}/comment", "post", "201"},
		"comment-updated.json":  {"/rest/api/3/issue/{issueIdOrKey}/comment/{id}", "put", "200"},
		"comment-list.json":     {"/rest/api/3/comment/list", "post", "200"},
		"comment-property.json": {"/rest/api/3/comment/{commentId}/properties/{propertyKey}", "get", "200"},
		"myself.json":           {"/rest/api/3/myself", "get", "200"},
		"field.json":            {"/rest/api/3/field", "get", "200"},
	} {
		t.Run(file, func(t *testing.T) {
			raw := o.Paths[at[0]][at[1]].Responses[at[2]].Content["application/json"].Example
			var s string // the description keeps examples as JSON strings
			if err := json.Unmarshal(raw, &s); err != nil {
				t.Fatalf("example of %s %s: %v", at[1], at[0], err)
			}
			var want, got any
			if err := json.Unmarshal([]byte(s), &want); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(readTestdata(t, file), &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s differs from the description's example", file)
			}
		})
	}
}

// vendorSite serves testdata bodies on the v2 paths with the headers Jira
// Cloud sends, records every request, and checks each against the
// documented parameters of its operation.
type vendorSite struct {
	t   *testing.T
	api openAPI
	srv *httptest.Server

	mu     sync.Mutex
	routes map[string]http.HandlerFunc // "METHOD /path"
	seen   []string
}

func newVendorSite(t *testing.T) *vendorSite {
	v := &vendorSite{t: t, api: loadOpenAPI(t), routes: map[string]http.HandlerFunc{}}
	v.srv = httptest.NewServer(http.HandlerFunc(v.serve))
	t.Cleanup(v.srv.Close)
	v.file("GET /rest/api/2/myself", "myself.json")
	v.file("GET /rest/api/2/field", "field.json")
	return v
}

func (v *vendorSite) handle(route string, h http.HandlerFunc) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.routes[route] = h
}

// file answers route with a testdata body.
func (v *vendorSite) file(route, name string) {
	body := readTestdata(v.t, name)
	status := http.StatusOK
	if strings.HasPrefix(route, "POST ") && strings.HasSuffix(route, "/comment") {
		status = http.StatusCreated
	}
	v.handle(route, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, status, body) })
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("X-AAccountId", "5b10a2844c20165700ede21g")
	w.WriteHeader(status)
	w.Write(body)
}

func (v *vendorSite) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Date", time.Now().UTC().Format(http.TimeFormat))
	route := r.Method + " " + r.URL.Path
	v.mu.Lock()
	h := v.routes[route]
	v.seen = append(v.seen, route)
	v.mu.Unlock()
	if op, bad, known := v.api.undocumentedQuery(r.Method, r.URL.Path, r.URL.RawQuery); !known {
		v.t.Errorf("%s: no such operation in the description", route)
	} else if len(bad) > 0 {
		v.t.Errorf("%s?%s: query parameters %v are not documented for %s", route, r.URL.RawQuery, bad, op)
	}
	if h == nil {
		writeJSON(w, http.StatusNotFound, []byte(`{"errorMessages":["null for uri: `+r.URL.Path+`"],"errors":{}}`))
		return
	}
	h(w, r)
}

func (v *vendorSite) client(t *testing.T, edit func(*Config)) *Client {
	t.Helper()
	cfg := Config{Name: "jira", URL: v.srv.URL, Deployment: "cloud", User: testEmail, Token: testToken,
		JQL: "project = EX", Sleep: (&sleeps{}).sleep, WriteSpacing: time.Millisecond}
	if edit != nil {
		edit(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (v *vendorSite) requests() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return slices.Clone(v.seen)
}

func TestConformanceSearchJQL(t *testing.T) {
	v := newVendorSite(t)
	v.file("GET /rest/api/2/search/jql", "search-jql.json")
	logs := &logBuffer{}
	c := v.client(t, func(c *Config) { c.Logger = logs.logger() })
	sink := trackertest.NewSink()
	stats, err := c.Sync(t.Context(), sink, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(sink.Issues()) != 1 {
		t.Fatalf("stored %d issues, want the example's one", len(sink.Issues()))
	}
	got := sink.Issues()["10002"]
	want := ladder.Issue{
		Ref: ladder.Ref{Tracker: "jira", Key: "ED-1"}, ID: "10002", URL: v.srv.URL + "/browse/ED-1",
		Project: "EX", BodyRaw: "Main order flow broken", Body: "Main order flow broken",
		Links: []ladder.Link{
			// "Dependent": ED-1 "is depended by" PR-2, and "depends on" PR-3.
			{Kind: ladder.Blocks, To: ladder.Ref{Tracker: "jira", Key: "PR-2"}, Via: "Dependent"},
			{Kind: ladder.DependsOn, To: ladder.Ref{Tracker: "jira", Key: "PR-3"}, Via: "Dependent"},
		},
		Comments: []ladder.Comment{{
			ID: "10000", Author: "Mia Krystof",
			Created: time.Date(2021, 1, 17, 12, 34, 0, 0, time.UTC), Updated: time.Date(2021, 1, 18, 23, 45, 0, 0, time.UTC),
			Raw:  "Lorem ipsum dolor sit amet, consectetur adipiscing elit. Pellentesque eget venenatis elit. Duis eu justo eget augue iaculis fermentum. Sed semper quam laoreet nisi egestas at posuere augue semper.",
			Body: "Lorem ipsum dolor sit amet, consectetur adipiscing elit. Pellentesque eget venenatis elit. Duis eu justo eget augue iaculis fermentum. Sed semper quam laoreet nisi egestas at posuere augue semper.",
		}},
	}
	if canon(got) != canon(want) {
		t.Errorf("issue\n got %s\nwant %s", canon(got), canon(want))
	}
	// The example's "updated": 1 is no instant: kept without it, said once.
	if stats.Malformed != 1 || !strings.Contains(logs.String(), "issue=ED-1 fields=updated") {
		t.Errorf("Malformed = %d, log %q", stats.Malformed, logs.String())
	}
	if n := strings.Count(strings.Join(v.requests(), "\n"), "/search/jql"); n != 1 {
		t.Errorf("%d searches; isLast and no nextPageToken end the listing", n)
	}
}

// commentListHandler checks the request body is an IssueCommentListRequestBean
// ({"ids": [integers]}, nothing else) and answers the comment/list example,
// its comments carrying props when given (each shaped as the
// comment-property example, an EntityProperty).
func commentListHandler(t *testing.T, props []json.RawMessage, gotIDs *[]int64) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil || len(in) != 1 {
			t.Errorf("comment/list body %v: want {\"ids\": [...]} alone", in)
		}
		if err := json.Unmarshal(in["ids"], gotIDs); err != nil {
			t.Errorf("comment/list ids %s: want integers: %v", in["ids"], err)
		}
		var page map[string]any
		json.Unmarshal(readTestdata(t, "comment-list.json"), &page)
		if props != nil {
			for _, v := range page["values"].([]any) {
				v.(map[string]any)["properties"] = props
			}
		}
		b, _ := json.Marshal(page)
		writeJSON(w, http.StatusOK, b)
	}
}

// ourProperty is the comment-property example with Ladder's key.
func ourProperty(t *testing.T) json.RawMessage {
	var p map[string]any
	json.Unmarshal(readTestdata(t, "comment-property.json"), &p)
	p["key"] = prop
	b, _ := json.Marshal(p)
	return b
}

func TestConformanceFindComment(t *testing.T) {
	tests := []struct {
		name      string
		setup     func(t *testing.T, v *vendorSite, ids *[]int64)
		wantFound bool
	}{
		{name: "comment/list shows our property", wantFound: true, setup: func(t *testing.T, v *vendorSite, ids *[]int64) {
			v.handle("POST /rest/api/2/comment/list", commentListHandler(t, []json.RawMessage{ourProperty(t)}, ids))
		}},
		{name: "comment/list as in the example: no properties", wantFound: false, setup: func(t *testing.T, v *vendorSite, ids *[]int64) {
			v.handle("POST /rest/api/2/comment/list", commentListHandler(t, nil, ids))
		}},
		{name: "no comment/list: the property endpoint", wantFound: true, setup: func(t *testing.T, v *vendorSite, ids *[]int64) {
			v.file("GET /rest/api/2/comment/10000/properties/"+prop, "comment-property.json")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newVendorSite(t)
			v.file("GET /rest/api/2/issue/EX-1/comment", "comments.json")
			var ids []int64
			tt.setup(t, v, &ids)
			c := v.client(t, nil)
			got, found, err := c.FindComment(t.Context(), "EX-1", prop)
			if err != nil {
				t.Fatal(err)
			}
			if found != tt.wantFound {
				t.Fatalf("found %v, want %v", found, tt.wantFound)
			}
			if found && (got.ID != "10000" || got.Author != "Mia Krystof" || !got.Created.Equal(time.Date(2021, 1, 17, 12, 34, 0, 0, time.UTC))) {
				t.Errorf("comment %+v", got)
			}
			if ids != nil && !slices.Equal(ids, []int64{10000}) {
				t.Errorf("comment/list asked for %v, want [10000]", ids)
			}
		})
	}
}

func TestConformanceCreateAndEditComment(t *testing.T) {
	v := newVendorSite(t)
	o := v.api
	comment := o.schemaKeys(t, "Comment")
	entity := o.schemaKeys(t, "EntityProperty")
	checkComment := func(r *http.Request) {
		var in map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			t.Errorf("%s body: %v", r.URL.Path, err)
		}
		for k := range in {
			if !comment[k] {
				t.Errorf("%s body key %q is not in the Comment schema", r.URL.Path, k)
			}
		}
		var ps []map[string]json.RawMessage
		if raw, ok := in["properties"]; ok {
			if err := json.Unmarshal(raw, &ps); err != nil {
				t.Errorf("properties %s: %v", raw, err)
			}
		}
		for _, p := range ps {
			for k := range p {
				if !entity[k] {
					t.Errorf("property key %q is not in the EntityProperty schema", k)
				}
			}
		}
	}
	v.handle("POST /rest/api/2/issue/EX-1/comment", func(w http.ResponseWriter, r *http.Request) {
		checkComment(r)
		writeJSON(w, http.StatusCreated, readTestdata(t, "comment-created.json"))
	})
	var puts []string
	v.handle("PUT /rest/api/2/comment/10000/properties/"+prop, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if !json.Valid(b) || len(b) == 0 {
			t.Errorf("property value %q is not a JSON value", b)
		}
		puts = append(puts, string(b))
		w.WriteHeader(http.StatusCreated)
	})
	var edits []string
	v.handle("PUT /rest/api/2/issue/EX-1/comment/10000", func(w http.ResponseWriter, r *http.Request) {
		checkComment(r)
		edits = append(edits, r.URL.Query().Get("notifyUsers"))
		writeJSON(w, http.StatusOK, readTestdata(t, "comment-updated.json"))
	})
	c := v.client(t, nil)
	// No property endpoint answer yet: 404, so the property is set there.
	created, err := c.CreateComment(t.Context(), "EX-1", "h3. Ladder", prop)
	if err != nil {
		t.Fatal(err)
	}
	if created.ID != "10000" || created.Author != "Mia Krystof" {
		t.Errorf("created %+v", created)
	}
	if len(puts) != 1 || !strings.Contains(puts[0], `"managed_by":"ladder"`) {
		t.Errorf("property PUTs %q", puts)
	}
	// The site was seen to drop the property: the next create sets it
	// without asking first.
	if _, err := c.CreateComment(t.Context(), "EX-1", "h3. Ladder", prop); err != nil {
		t.Fatal(err)
	}
	if len(puts) != 2 {
		t.Errorf("%d property PUTs after a second create on a site that drops them, want 2", len(puts))
	}
	// On a site whose property endpoint shows the property, a create sets
	// nothing more.
	v.file("GET /rest/api/2/comment/10000/properties/"+prop, "comment-property.json")
	keeps := v.client(t, nil)
	for range 2 {
		if _, err := keeps.CreateComment(t.Context(), "EX-1", "h3. Ladder", prop); err != nil {
			t.Fatal(err)
		}
	}
	if len(puts) != 2 {
		t.Errorf("%d property PUTs, want none for a comment that has it", len(puts)-2)
	}
	if err := c.EditComment(t.Context(), "EX-1", "10000", "h3. Ladder\nnow"); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(edits, []string{"false"}) {
		t.Errorf("edits sent notifyUsers %q, want [false]", edits)
	}
}

// TestSandboxAgreesWithOpenAPI runs a sync and a write-back against the
// Cloud sandbox and checks that every request uses only documented query
// parameters and that the sandbox answers with keys the schemas document.
func TestSandboxAgreesWithOpenAPI(t *testing.T) {
	o := loadOpenAPI(t)
	s := newSite(t, "cloud", sampleIssues(120), sandbox.JiraOptions{}, nil)
	ctx := t.Context()
	if _, err := s.client.Sync(ctx, trackertest.NewSink(), false, nil); err != nil {
		t.Fatal(err)
	}
	created, err := s.client.CreateComment(ctx, "PAY-2", "verdict", prop)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.client.FindComment(ctx, "PAY-2", prop); err != nil {
		t.Fatal(err)
	}
	if err := s.client.EditComment(ctx, "PAY-2", created.ID, "verdict 2"); err != nil {
		t.Fatal(err)
	}
	settle(s.jira)
	for _, r := range s.jira.Harness().Requests() {
		op, bad, known := o.undocumentedQuery(r.Method, r.Path, r.Query)
		switch {
		case !known:
			t.Errorf("%s %s: not an operation of the description", r.Method, r.Path)
		case len(bad) > 0:
			t.Errorf("%s %s?%s: %v not documented for %s", r.Method, r.Path, r.Query, bad, op)
		}
	}

	// The sandbox's bodies carry only documented keys.
	j := sandbox.NewJira(sampleIssues(3), sandbox.JiraOptions{})
	defer j.Close()
	id, _ := j.AddComment("PAY-2", "ladder-bot-account", "x")
	get := func(method, path, body string) map[string]any {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, method, j.URL()+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		return m
	}
	undocumented := func(what string, m map[string]any, schema string) {
		keys := o.schemaKeys(t, schema)
		for k := range m {
			if !keys[k] {
				t.Errorf("%s: key %q is not in %s", what, k, schema)
			}
		}
	}
	search := get("GET", "/rest/api/2/search/jql?jql=project+%3D+PAY&fields=summary,comment&maxResults=2", "")
	undocumented("search/jql", search, "SearchAndReconcileResults")
	for _, is := range search["issues"].([]any) {
		undocumented("search/jql issue", is.(map[string]any), "IssueBean")
	}
	page := get("GET", "/rest/api/2/issue/PAY-2/comment", "")
	undocumented("comment listing", page, "PageOfComments")
	for _, c := range page["comments"].([]any) {
		undocumented("listed comment", c.(map[string]any), "Comment")
	}
	list := get("POST", "/rest/api/2/comment/list?expand=properties", `{"ids":[`+id+`]}`)
	undocumented("comment/list", list, "PageBeanComment")
	for _, c := range list["values"].([]any) {
		undocumented("comment/list value", c.(map[string]any), "Comment")
		for _, p := range c.(map[string]any)["properties"].([]any) {
			undocumented("comment property", p.(map[string]any), "EntityProperty")
		}
	}
	undocumented("created comment", get("POST", "/rest/api/2/issue/PAY-2/comment", `{"body":"y"}`), "Comment")
}
