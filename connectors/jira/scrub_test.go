package jira

import (
	"errors"
	"testing"
)

func TestScrub(t *testing.T) {
	tests := []struct{ msg, token, want string }{
		{`Get "https://x/rest/api/2/myself": token s3cr3t-t0ken-value rejected`, "s3cr3t-t0ken-value", `Get "https://x/rest/api/2/myself": token [token] rejected`},
		{"abcs3cr3t-t0ken-valuexyz", "s3cr3t-t0ken-value", "abc[token]xyz"},
		// A short token (a placeholder) only where it stands alone.
		{`Get "https://x/rest/api/2/myself": dial tcp: lookup x`, "y", `Get "https://x/rest/api/2/myself": dial tcp: lookup x`},
		{"bad credentials hunter2 for hunter2x", "hunter2", "bad credentials [token] for hunter2x"},
		{"hunter2", "hunter2", "[token]"},
		{"nothing here", "", "nothing here"},
	}
	for _, tt := range tests {
		if got := scrub(errors.New(tt.msg), tt.token).Error(); got != tt.want {
			t.Errorf("scrub(%q, %q) = %q, want %q", tt.msg, tt.token, got, tt.want)
		}
	}
}
