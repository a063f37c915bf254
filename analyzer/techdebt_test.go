package analyzer

import (
	"strings"
	"testing"
)

func TestDefaultDebtModel(t *testing.T) {
	m := DefaultDebtModel()
	if m.Version() == "" {
		t.Fatal("embedded model has no version")
	}
	if th := m.Threshold(); th <= 0 || th >= 1 {
		t.Fatalf("threshold %v outside (0, 1)", th)
	}
	tests := []struct {
		name        string
		title, body string
		debt        bool
	}{
		{"refactor and dead code", "Refactor the legacy connection pool and remove dead code", "", true},
		{"new feature", "Add support for Kafka headers", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			score, words := m.Score(tt.title, tt.body)
			if got := score >= m.Threshold(); got != tt.debt {
				t.Errorf("Score(%q) = %.3f (threshold %.3f, words %q), want debt=%v", tt.title, score, m.Threshold(), words, tt.debt)
			}
		})
	}
}

func TestLoadDebtModelErrors(t *testing.T) {
	tests := []struct {
		name, json string
	}{
		{"not json", "{"},
		{"no version", `{"threshold":0.5,"terms":[]}`},
		{"bad threshold", `{"version":"x","threshold":1.5,"terms":[]}`},
		{"bad term", `{"version":"x","threshold":0.5,"terms":[["a",1]]}`},
		{"duplicate term", `{"version":"x","threshold":0.5,"terms":[["a",1,1],["a",1,1]]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := LoadDebtModel(strings.NewReader(tt.json)); err == nil {
				t.Error("LoadDebtModel succeeded, want an error")
			}
		})
	}
}
