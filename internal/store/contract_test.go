package store_test

import (
	"path/filepath"
	"testing"

	"github.com/ladderhq/ladder/internal/store"
	"github.com/ladderhq/ladder/internal/storetest"
)

// TestContract runs the store contract on real SQLite files.
func TestContract(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) storetest.Opener {
		path := filepath.Join(t.TempDir(), "ladder.db")
		return func(t *testing.T) storetest.Store {
			t.Helper()
			s, err := store.Open(t.Context(), path)
			if err != nil {
				t.Fatalf("Open(%s): %v", path, err)
			}
			return s
		}
	})
}
