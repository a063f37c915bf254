package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/ladderhq/ladder"
)

// PutIssues upserts a batch of issue snapshots in one transaction. An issue is
// found by (tracker, ID), or by (tracker, key) when it has no ID, so an issue
// that moved or was renamed keeps its row and its comments and takes the new
// key. Its links are replaced by the snapshot's; the snapshot's comments are
// added to the stored ones, never removing any. Stats compare a hash of the
// issue without its comments: re-putting the same data changes no rows.
func (s *Store) PutIssues(ctx context.Context, issues []ladder.Issue) (ladder.PutStats, error) {
	var stats ladder.PutStats
	if len(issues) == 0 {
		return stats, nil
	}
	err := s.write(ctx, func(st *statements) error {
		for i := range issues {
			if err := ctx.Err(); err != nil {
				return err
			}
			o, err := putIssue(ctx, st, &issues[i], s.sweepStamp(issues[i].Tracker))
			if err != nil {
				return fmt.Errorf("issue %s: %w", issues[i].Ref, err)
			}
			switch o {
			case created:
				stats.New++
			case changed:
				stats.Updated++
			default:
				stats.Unchanged++
			}
		}
		return nil
	})
	if err != nil {
		return ladder.PutStats{}, fmt.Errorf("store: put %d issues: %w", len(issues), err)
	}
	return stats, nil
}

type outcome int

const (
	unchanged outcome = iota
	created
	changed
)

// stored is what a write needs to know of an issue's row.
type stored struct {
	pk      int64
	id, key string
	hash    []byte
	gone    bool
}

// lookup runs byID or byKey; ok is false when no row matches.
func lookup(ctx context.Context, stmt *sql.Stmt, tracker, x string) (r stored, ok bool, err error) {
	err = stmt.QueryRowContext(ctx, tracker, x).Scan(&r.pk, &r.id, &r.key, &r.hash, &r.gone)
	if errors.Is(err, sql.ErrNoRows) {
		return stored{}, false, nil
	}
	return r, err == nil, err
}

// putIssue upserts one issue; stamp is the open sweep of its tracker ("" if
// none), recorded with the issue whatever the outcome.
func putIssue(ctx context.Context, st *statements, is *ladder.Issue, stamp string) (outcome, error) {
	o, pk, wasGone, err := upsertIssue(ctx, st, is)
	if err != nil {
		return 0, err
	}
	if stamp != "" || wasGone {
		if _, err := st.seen.ExecContext(ctx, stamp, pk); err != nil {
			return 0, err
		}
	}
	return o, nil
}

// upsertIssue writes the issue's row, links and comments; wasGone says its
// row was marked gone before.
func upsertIssue(ctx context.Context, st *statements, is *ladder.Issue) (o outcome, pk int64, wasGone bool, err error) {
	if err := check(is); err != nil {
		return 0, 0, false, err
	}
	var cur stored
	var found bool
	if is.ID != "" {
		if cur, found, err = lookup(ctx, st.byID, is.Tracker, is.ID); err != nil {
			return 0, 0, false, err
		}
	}
	if !found {
		if cur, found, err = lookup(ctx, st.byKey, is.Tracker, is.Key); err != nil {
			return 0, 0, false, err
		}
		if found && is.ID != "" && cur.id != "" && cur.id != is.ID {
			// Another issue held this key and has moved away (its own
			// snapshot brings its new key); the key now names this one.
			if err := displace(ctx, st, cur.pk, is.Tracker, is.Key); err != nil {
				return 0, 0, false, err
			}
			found = false
		}
	}

	// An incoming issue without an ID (an import) keeps the identity the
	// store already knows.
	id := is.ID
	if id == "" && found {
		id = cur.id
	}
	hash := hashIssue(is, id)
	if found && bytes.Equal(hash, cur.hash) {
		return unchanged, cur.pk, cur.gone, putComments(ctx, st, cur.pk, is.Comments)
	}

	if found && cur.key != is.Key {
		holder, held, err := lookup(ctx, st.byKey, is.Tracker, is.Key)
		if err != nil {
			return 0, 0, false, err
		}
		if held {
			if err := displace(ctx, st, holder.pk, is.Tracker, is.Key); err != nil {
				return 0, 0, false, err
			}
		}
		// Ladder's comment moved with the issue.
		if _, err := st.movePub.ExecContext(ctx, is.Key, is.Tracker, cur.key); err != nil {
			return 0, 0, false, err
		}
	}

	args, err := issueArgs(is, id, hash)
	if err != nil {
		return 0, 0, false, err
	}
	pk, o = cur.pk, changed
	if found {
		if _, err := st.update.ExecContext(ctx, append(args, pk)...); err != nil {
			return 0, 0, false, err
		}
		if _, err := st.dropLinks.ExecContext(ctx, pk); err != nil {
			return 0, 0, false, err
		}
	} else {
		res, err := st.insert.ExecContext(ctx, args...)
		if err != nil {
			return 0, 0, false, err
		}
		if pk, err = res.LastInsertId(); err != nil {
			return 0, 0, false, err
		}
		o = created
	}
	for i, l := range is.Links {
		if _, err := st.addLink.ExecContext(ctx, pk, i, string(l.Kind), l.To.Tracker, l.To.Key, l.Via); err != nil {
			return 0, 0, false, fmt.Errorf("link %d: %w", i, err)
		}
	}
	return o, pk, found && cur.gone, putComments(ctx, st, pk, is.Comments)
}

// displace removes the stale row that holds a key another issue now carries,
// with its links, comments and the record of Ladder's comment on it.
func displace(ctx context.Context, st *statements, pk int64, tracker, key string) error {
	if _, err := st.deleteIssue.ExecContext(ctx, pk); err != nil {
		return fmt.Errorf("free key: %w", err)
	}
	if _, err := st.dropPub.ExecContext(ctx, tracker, key); err != nil {
		return fmt.Errorf("free key: %w", err)
	}
	return nil
}

func issueArgs(is *ladder.Issue, id string, hash []byte) ([]any, error) {
	labels, err := encodeList(is.Labels)
	if err != nil {
		return nil, err
	}
	comps, err := encodeList(is.Components)
	if err != nil {
		return nil, err
	}
	return []any{
		is.Tracker, id, is.Key, is.URL, is.Project, is.Type, is.Title, is.Body, is.BodyRaw,
		labels, comps, is.Status, string(is.StatusCategory), is.Assignee, is.Reporter,
		formatTime(is.Created), formatTime(is.Updated), optTime(is.Resolved), optTime(is.Due),
		optFloat(is.Estimate), is.Parent, is.Milestone, hash,
	}, nil
}

func putComments(ctx context.Context, st *statements, pk int64, cs []ladder.Comment) error {
	for i := range cs {
		c := &cs[i]
		if _, err := st.putComment.ExecContext(ctx, pk, commentKey(c), c.ID, c.Author,
			formatTime(c.Created), formatTime(c.Updated), c.Body, c.Raw); err != nil {
			return fmt.Errorf("comment %q: %w", commentKey(c), err)
		}
	}
	return nil
}

// PutComments upserts comments addressed to their issues, in one
// transaction. Comments of issues the store does not hold are skipped: a
// repository-wide GitHub listing also delivers pull-request comments.
func (s *Store) PutComments(ctx context.Context, comments []ladder.IssueComment) error {
	if len(comments) == 0 {
		return nil
	}
	err := s.write(ctx, func(st *statements) error {
		pks := make(map[ladder.Ref]int64) // 0: not stored
		for i := range comments {
			if err := ctx.Err(); err != nil {
				return err
			}
			c := &comments[i]
			pk, seen := pks[c.Issue]
			if !seen {
				r, _, err := lookup(ctx, st.byKey, c.Issue.Tracker, c.Issue.Key)
				if err != nil {
					return fmt.Errorf("issue %s: %w", c.Issue, err)
				}
				pk = r.pk
				pks[c.Issue] = pk
			}
			if pk == 0 {
				continue
			}
			if err := checkComment(&c.Comment); err != nil {
				return fmt.Errorf("issue %s: %w", c.Issue, err)
			}
			if err := putComments(ctx, st, pk, []ladder.Comment{c.Comment}); err != nil {
				return fmt.Errorf("issue %s: %w", c.Issue, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: put %d comments: %w", len(comments), err)
	}
	return nil
}
