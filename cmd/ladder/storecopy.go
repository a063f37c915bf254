package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/config"
	"github.com/ladderhq/ladder/internal/pgstore"
	"github.com/ladderhq/ladder/internal/store"
)

// copyStore is what `store copy` needs of either end: every store's
// contract plus the listings of its bookkeeping.
type copyStore interface {
	ladderStore
	Cursors(ctx context.Context) ([]store.Cursor, error)
	Publications(ctx context.Context) ([]store.Publication, error)
}

var (
	_ copyStore = (*store.Store)(nil)
	_ copyStore = (*pgstore.Store)(nil)
)

type storeCopyOptions struct {
	Force bool
}

func newStoreCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "store",
		Short: "work on the store itself (copy it between SQLite and PostgreSQL)",
		Args:  cobra.NoArgs,
	}
	var opts storeCopyOptions
	copyCmd := &cobra.Command{
		Use:   "copy FROM TO",
		Short: "copy a whole store: SQLite → PostgreSQL or back",
		Long: `Copy everything a store holds — issues with their links and comments, sync
cursors, and the record of what Ladder published — from FROM to TO. Each is a
store value as in the config's store: key: a file path (or sqlite:PATH), or a
postgres:// URL (the password from PGPASSWORD or a passfile). TO must be empty
(a new file or schema) unless --force, which writes over what TO holds.
Issues a full sync marked gone are not copied. The next sync into TO carries
on from the copied cursors.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStoreCopy(cmd.Context(), g, args[0], args[1], opts)
		},
	}
	copyCmd.Flags().BoolVar(&opts.Force, "force", false, "copy into a store that already holds something")
	cmd.AddCommand(copyCmd)
	return cmd
}

// openCopyEnd opens one end of a copy: the source must exist; the target is
// created if it is a missing file.
func openCopyEnd(ctx context.Context, which, value string, source bool) (copyStore, error) {
	kind, where, err := config.ParseStore(value)
	if err != nil {
		return nil, usageError{fmt.Errorf("store copy: %s %w", which, err)}
	}
	if kind == config.StorePostgres {
		return pgstore.Open(ctx, where)
	}
	if source {
		if _, err := os.Stat(where); errors.Is(err, fs.ErrNotExist) {
			return nil, usageError{fmt.Errorf("store copy: %s: no store at %s", which, where)}
		}
		return store.OpenReadOnly(ctx, where)
	}
	return store.Open(ctx, where)
}

// copyBatch is how many issues go into the target per transaction.
const copyBatch = 500

func runStoreCopy(ctx context.Context, g *globals, from, to string, opts storeCopyOptions) error {
	src, err := openCopyEnd(ctx, "FROM", from, true)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := openCopyEnd(ctx, "TO", to, false)
	if err != nil {
		return err
	}
	defer dst.Close()

	// The copy writes the target, so it holds the target's run lock: a
	// sync into it meanwhile would interleave.
	host, _ := os.Hostname()
	unlock, err := dst.Lock(ctx, store.Holder{Host: host, PID: os.Getpid()}, store.DefaultLockTTL)
	if err != nil {
		return fmt.Errorf("store copy: TO: %w", err)
	}
	defer unlock()

	if !opts.Force {
		n, err := dst.Count(ctx)
		if err != nil {
			return err
		}
		cs, err := dst.Cursors(ctx)
		if err != nil {
			return err
		}
		ps, err := dst.Publications(ctx)
		if err != nil {
			return err
		}
		if n+len(cs)+len(ps) > 0 {
			return usageError{fmt.Errorf("store copy: TO already holds %d issues, %d cursors and %d publications: "+
				"copy into an empty store, or pass --force to write over it", n, len(cs), len(ps))}
		}
	}

	var issues, comments int
	batch := make([]ladder.Issue, 0, copyBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if _, err := dst.PutIssues(ctx, batch); err != nil {
			return err
		}
		batch = batch[:0]
		return nil
	}
	err = src.Each(ctx, func(is *ladder.Issue) error {
		issues++
		comments += len(is.Comments)
		batch = append(batch, *is)
		if len(batch) == copyBatch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return fmt.Errorf("store copy: %w", err)
	}
	cs, err := src.Cursors(ctx)
	if err != nil {
		return fmt.Errorf("store copy: %w", err)
	}
	for _, c := range cs {
		if err := dst.SaveCursor(ctx, c.Tracker, c.Scope, c.Value); err != nil {
			return fmt.Errorf("store copy: %w", err)
		}
	}
	ps, err := src.Publications(ctx)
	if err != nil {
		return fmt.Errorf("store copy: %w", err)
	}
	for _, p := range ps {
		if err := dst.SavePublished(ctx, p); err != nil {
			return fmt.Errorf("store copy: %w", err)
		}
	}
	fmt.Fprintf(g.Stdout, "copied %d issues (%d comments), %d cursors and %d publications\n", issues, comments, len(cs), len(ps))
	return nil
}
