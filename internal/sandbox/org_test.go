package sandbox

import (
	"reflect"
	"testing"
	"time"
)

var testNow = time.Date(2026, time.May, 20, 9, 30, 0, 0, time.UTC)

func TestSampleOrgDeterministic(t *testing.T) {
	a, b := SampleOrg(testNow), SampleOrg(testNow)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("SampleOrg(now) differs between two calls with the same now")
	}
	if len(a.Jira) == 0 || len(a.GitHub) == 0 {
		t.Fatalf("SampleOrg has %d Jira and %d GitHub issues, want both non-empty", len(a.Jira), len(a.GitHub))
	}
}
