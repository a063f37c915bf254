package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/ladderhq/ladder/config"
)

// TestUnreachableHint: a tracker nobody listens for (a stopped sandbox)
// gets a hint after the error, naming what to check; other errors get none.
func TestUnreachableHint(t *testing.T) {
	// A port that was just free: connecting to it is refused.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := "http://" + l.Addr().String()
	l.Close()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, addr+"/rest/api/2/field", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, refused := http.DefaultClient.Do(req)
	if refused == nil {
		t.Skip("something listens on the freed port")
	}
	// As the connectors wrap it.
	wrapped := fmt.Errorf("jira %q: list fields: gave up after 5 attempts: %w", "jira", refused)

	tests := []struct {
		name string
		url  string
		err  error
		want string
	}{
		{"the sandbox stopped", addr, wrapped, "is the sandbox still running?"},
		{"a remote tracker", "https://acme.atlassian.net", wrapped, "nothing listens at https://acme.atlassian.net: check the tracker's url: and the network"},
		{"no such host", "https://acme.atlassian.net", fmt.Errorf("jira: %w", &net.DNSError{Err: "no such host", Name: "acme.atlassian.net", IsNotFound: true}),
			"host acme.atlassian.net not found: check the network, and the tracker's url:"},
		{"another error", addr, context.DeadlineExceeded, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := unreachableHint(config.Tracker{Name: "jira", URL: tt.url}, tt.err)
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Errorf("hint %q, want one saying %q", got, tt.want)
			}
		})
	}
}
