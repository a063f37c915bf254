package pgstore_test

import (
	"testing"

	"github.com/ladderhq/ladder/internal/pgstore"
	"github.com/ladderhq/ladder/internal/storetest"
)

// TestContract runs the store contract on a fresh schema per test of the
// server LADDER_TEST_POSTGRES_URL names.
func TestContract(t *testing.T) {
	t.Parallel()
	storetest.PostgresURL(t) // skips the whole suite without a server
	storetest.Run(t, func(t *testing.T) storetest.Opener {
		url := storetest.PostgresURL(t)
		return func(t *testing.T) storetest.Store {
			t.Helper()
			s, err := pgstore.Open(t.Context(), url)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			return s
		}
	})
}
