package pgstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/store"
)

const (
	sqlIssueByID  = `SELECT pk, id, key, hash, gone IS NOT NULL FROM issues WHERE tracker = $1 AND id = $2 AND id <> ''`
	sqlIssueByKey = `SELECT pk, id, key, hash, gone IS NOT NULL FROM issues WHERE tracker = $1 AND key = $2`
	sqlSeen       = `UPDATE issues SET seen = coalesce(nullif($1, ''), seen), gone = NULL WHERE pk = $2`
	sqlInsert     = `INSERT INTO issues (tracker, id, key, url, project, type, title, body, body_raw,
		labels, components, status, status_category, assignee, reporter,
		created, updated, resolved, due, estimate, parent, milestone, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
		RETURNING pk`
	sqlUpdate = `UPDATE issues SET tracker = $1, id = $2, key = $3, url = $4, project = $5, type = $6,
		title = $7, body = $8, body_raw = $9, labels = $10, components = $11, status = $12,
		status_category = $13, assignee = $14, reporter = $15, created = $16, updated = $17,
		resolved = $18, due = $19, estimate = $20, parent = $21, milestone = $22, hash = $23
		WHERE pk = $24`
	sqlPutComment = `INSERT INTO comments (issue, ckey, comment_id, author, created, updated, body, raw)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (issue, ckey) DO UPDATE SET
			comment_id = excluded.comment_id, author = excluded.author,
			created = excluded.created, updated = excluded.updated,
			body = excluded.body, raw = excluded.raw
		WHERE comments.comment_id IS DISTINCT FROM excluded.comment_id OR comments.author IS DISTINCT FROM excluded.author
			OR comments.created IS DISTINCT FROM excluded.created OR comments.updated IS DISTINCT FROM excluded.updated
			OR comments.body IS DISTINCT FROM excluded.body OR comments.raw IS DISTINCT FROM excluded.raw`
)

var issueCopyColumns = []string{"pk", "tracker", "id", "key", "url", "project", "type", "title", "body", "body_raw",
	"labels", "components", "status", "status_category", "assignee", "reporter",
	"created", "updated", "resolved", "due", "estimate", "parent", "milestone", "hash", "seen"}

// PutIssues upserts a batch of issue snapshots in one transaction, with the
// SQLite store's rules (internal/store): an issue is found by (tracker, ID),
// else by key; links are replaced, comments accumulate; stats compare a hash
// without the comments. A batch of issues none of which is stored yet (the
// first sync of a tracker) goes in through COPY, several times faster than
// row by row.
func (s *Store) PutIssues(ctx context.Context, issues []ladder.Issue) (ladder.PutStats, error) {
	var stats ladder.PutStats
	if len(issues) == 0 {
		return stats, nil
	}
	for i := range issues {
		if err := store.CheckIssue(&issues[i]); err != nil {
			return stats, fmt.Errorf("store: put %d issues: issue %s: %w", len(issues), issues[i].Ref, err)
		}
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if ok, err := s.allNew(ctx, tx, issues); err != nil {
			return err
		} else if ok {
			stats.New = len(issues)
			return s.copyNew(ctx, tx, issues)
		}
		for i := range issues {
			if err := ctx.Err(); err != nil {
				return err
			}
			o, err := s.putIssue(ctx, tx, &issues[i])
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

// allNew reports whether no issue of the batch is stored (by ID or key) and
// none appears twice in it: then every one is simply inserted.
func (s *Store) allNew(ctx context.Context, tx pgx.Tx, issues []ladder.Issue) (bool, error) {
	type ident struct{ tracker, x string }
	seen := make(map[ident]bool, 2*len(issues))
	var trackers, ids, keys []string
	for i := range issues {
		is := &issues[i]
		k := ident{is.Tracker, "k" + is.Key}
		if seen[k] {
			return false, nil
		}
		seen[k] = true
		if is.ID != "" {
			d := ident{is.Tracker, "i" + is.ID}
			if seen[d] {
				return false, nil
			}
			seen[d] = true
		}
		trackers, ids, keys = append(trackers, is.Tracker), append(ids, is.ID), append(keys, is.Key)
	}
	var any bool
	// Two probes, each through its own unique index: one condition with
	// an OR between them would scan every issue of the tracker per item.
	err := tx.QueryRow(ctx, `SELECT EXISTS (
			SELECT 1 FROM unnest($1::text[], $3::text[]) AS b(tracker, key)
			JOIN issues i ON i.tracker = b.tracker AND i.key = b.key)
		OR EXISTS (
			SELECT 1 FROM unnest($1::text[], $2::text[]) AS b(tracker, id)
			JOIN issues i ON i.tracker = b.tracker AND i.id = b.id AND i.id <> ''
			WHERE b.id <> '')`,
		trackers, ids, keys).Scan(&any)
	return !any, err
}

// copyNew inserts issues none of which is stored, with their links and
// comments, through COPY; their row numbers are drawn from the sequence
// first, so links and comments can name them.
func (s *Store) copyNew(ctx context.Context, tx pgx.Tx, issues []ladder.Issue) error {
	rows, err := tx.Query(ctx, `SELECT nextval(pg_get_serial_sequence('issues', 'pk')) FROM generate_series(1, $1)`, len(issues))
	if err != nil {
		return err
	}
	pks, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return err
	}
	var issueRows, linkRows, commentRows [][]any
	for i := range issues {
		if err := ctx.Err(); err != nil {
			return err
		}
		is := &issues[i]
		args, err := issueArgs(is, is.ID, store.HashIssue(is, is.ID))
		if err != nil {
			return fmt.Errorf("issue %s: %w", is.Ref, err)
		}
		issueRows = append(issueRows, append(append([]any{pks[i]}, args...), s.sweepStamp(is.Tracker)))
		for j, l := range is.Links {
			linkRows = append(linkRows, []any{pks[i], j, string(l.Kind), l.To.Tracker, enc(l.To.Key), enc(l.Via)})
		}
		for _, c := range dedupComments(is.Comments) {
			commentRows = append(commentRows, commentArgs(pks[i], &c))
		}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"issues"}, issueCopyColumns, pgx.CopyFromRows(issueRows)); err != nil {
		return err
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"links"}, []string{"issue", "seq", "kind", "to_tracker", "to_key", "via"}, pgx.CopyFromRows(linkRows)); err != nil {
		return err
	}
	_, err = tx.CopyFrom(ctx, pgx.Identifier{"comments"}, []string{"issue", "ckey", "comment_id", "author", "created", "updated", "body", "raw"}, pgx.CopyFromRows(commentRows))
	return err
}

// dedupComments keeps the last of comments sharing an upsert key, in the
// position of the first, as the row-by-row upsert does.
func dedupComments(cs []ladder.Comment) []ladder.Comment {
	if len(cs) < 2 {
		return cs
	}
	at := make(map[string]int, len(cs))
	out := make([]ladder.Comment, 0, len(cs))
	for _, c := range cs {
		k := store.CommentKey(&c)
		if i, ok := at[k]; ok {
			out[i] = c
			continue
		}
		at[k] = len(out)
		out = append(out, c)
	}
	return out
}

type outcome int

const (
	unchanged outcome = iota
	created
	changed
)

type stored struct {
	pk      int64
	id, key string
	hash    []byte
	gone    bool
}

func lookup(ctx context.Context, tx pgx.Tx, query, tracker, x string) (r stored, ok bool, err error) {
	err = tx.QueryRow(ctx, query, tracker, x).Scan(&r.pk, &r.id, &r.key, &r.hash, &r.gone)
	if errors.Is(err, pgx.ErrNoRows) {
		return stored{}, false, nil
	}
	return r, err == nil, err
}

func (s *Store) putIssue(ctx context.Context, tx pgx.Tx, is *ladder.Issue) (outcome, error) {
	o, pk, wasGone, err := upsertIssue(ctx, tx, is)
	if err != nil {
		return 0, err
	}
	if stamp := s.sweepStamp(is.Tracker); stamp != "" || wasGone {
		if _, err := tx.Exec(ctx, sqlSeen, stamp, pk); err != nil {
			return 0, err
		}
	}
	return o, nil
}

func upsertIssue(ctx context.Context, tx pgx.Tx, is *ladder.Issue) (o outcome, pk int64, wasGone bool, err error) {
	var cur stored
	var found bool
	if is.ID != "" {
		if cur, found, err = lookup(ctx, tx, sqlIssueByID, is.Tracker, is.ID); err != nil {
			return 0, 0, false, err
		}
	}
	if !found {
		if cur, found, err = lookup(ctx, tx, sqlIssueByKey, is.Tracker, is.Key); err != nil {
			return 0, 0, false, err
		}
		if found && is.ID != "" && cur.id != "" && cur.id != is.ID {
			// Another issue held this key and has moved away; the key now
			// names this one.
			if err := displace(ctx, tx, cur.pk, is.Tracker, is.Key); err != nil {
				return 0, 0, false, err
			}
			found = false
		}
	}
	id := is.ID
	if id == "" && found {
		id = cur.id
	}
	hash := store.HashIssue(is, id)
	if found && bytes.Equal(hash, cur.hash) {
		return unchanged, cur.pk, cur.gone, putComments(ctx, tx, cur.pk, is.Comments)
	}
	if found && cur.key != is.Key {
		holder, held, err := lookup(ctx, tx, sqlIssueByKey, is.Tracker, is.Key)
		if err != nil {
			return 0, 0, false, err
		}
		if held {
			if err := displace(ctx, tx, holder.pk, is.Tracker, is.Key); err != nil {
				return 0, 0, false, err
			}
		}
		// Ladder's comment moved with the issue.
		if _, err := tx.Exec(ctx, `DELETE FROM publications WHERE tracker = $1 AND key = $2`, is.Tracker, is.Key); err != nil {
			return 0, 0, false, err
		}
		if _, err := tx.Exec(ctx, `UPDATE publications SET key = $1 WHERE tracker = $2 AND key = $3`, is.Key, is.Tracker, cur.key); err != nil {
			return 0, 0, false, err
		}
	}
	args, err := issueArgs(is, id, hash)
	if err != nil {
		return 0, 0, false, err
	}
	pk, o = cur.pk, changed
	if found {
		if _, err := tx.Exec(ctx, sqlUpdate, append(args, pk)...); err != nil {
			return 0, 0, false, err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM links WHERE issue = $1`, pk); err != nil {
			return 0, 0, false, err
		}
	} else {
		if err := tx.QueryRow(ctx, sqlInsert, args...).Scan(&pk); err != nil {
			return 0, 0, false, err
		}
		o = created
	}
	if len(is.Links) > 0 {
		var b pgx.Batch
		for i, l := range is.Links {
			b.Queue(`INSERT INTO links (issue, seq, kind, to_tracker, to_key, via) VALUES ($1, $2, $3, $4, $5, $6)`,
				pk, i, string(l.Kind), l.To.Tracker, enc(l.To.Key), enc(l.Via))
		}
		if err := tx.SendBatch(ctx, &b).Close(); err != nil {
			return 0, 0, false, fmt.Errorf("links: %w", err)
		}
	}
	return o, pk, found && cur.gone, putComments(ctx, tx, pk, is.Comments)
}

func displace(ctx context.Context, tx pgx.Tx, pk int64, tracker, key string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM issues WHERE pk = $1`, pk); err != nil {
		return fmt.Errorf("free key: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM publications WHERE tracker = $1 AND key = $2`, tracker, key); err != nil {
		return fmt.Errorf("free key: %w", err)
	}
	return nil
}

func issueArgs(is *ladder.Issue, id string, hash []byte) ([]any, error) {
	labels, err := store.EncodeList(is.Labels)
	if err != nil {
		return nil, err
	}
	comps, err := store.EncodeList(is.Components)
	if err != nil {
		return nil, err
	}
	return []any{
		is.Tracker, id, is.Key, enc(is.URL), enc(is.Project), enc(is.Type), enc(is.Title), enc(is.Body), enc(is.BodyRaw),
		enc(labels), enc(comps), enc(is.Status), string(is.StatusCategory), enc(is.Assignee), enc(is.Reporter),
		store.FormatTime(is.Created), store.FormatTime(is.Updated), optTime(is.Resolved), optTime(is.Due),
		optFloat(is.Estimate), enc(is.Parent), enc(is.Milestone), hash,
	}, nil
}

func optTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return store.FormatTime(*t)
}

func optFloat(f *float64) any {
	if f == nil {
		return nil
	}
	return *f + 0 // -0 reads back as 0, as from SQLite
}

func commentArgs(pk int64, c *ladder.Comment) []any {
	return []any{pk, enc(store.CommentKey(c)), enc(c.ID), enc(c.Author), store.FormatTime(c.Created), store.FormatTime(c.Updated), enc(c.Body), enc(c.Raw)}
}

// putComments upserts an issue's comments in one round trip.
func putComments(ctx context.Context, tx pgx.Tx, pk int64, cs []ladder.Comment) error {
	if len(cs) == 0 {
		return nil
	}
	var b pgx.Batch
	for i := range cs {
		b.Queue(sqlPutComment, commentArgs(pk, &cs[i])...)
	}
	if err := tx.SendBatch(ctx, &b).Close(); err != nil {
		return fmt.Errorf("comments: %w", err)
	}
	return nil
}

// PutComments upserts comments addressed to their issues, in one
// transaction; comments of issues the store does not hold are skipped. The
// issues are looked up in one query and the upserts sent in one batch: a
// repository-wide GitHub listing brings a hundred comments a page.
func (s *Store) PutComments(ctx context.Context, comments []ladder.IssueComment) error {
	if len(comments) == 0 {
		return nil
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var trackers, keys []string
		pks := make(map[ladder.Ref]int64) // 0: not stored
		for i := range comments {
			ref := comments[i].Issue
			if _, ok := pks[ref]; !ok {
				pks[ref] = 0
				trackers, keys = append(trackers, ref.Tracker), append(keys, ref.Key)
			}
		}
		rows, err := tx.Query(ctx, `SELECT i.pk, i.tracker, i.key FROM unnest($1::text[], $2::text[]) AS b(tracker, key)
			JOIN issues i ON i.tracker = b.tracker AND i.key = b.key`, trackers, keys)
		if err != nil {
			return err
		}
		for rows.Next() {
			var pk int64
			var ref ladder.Ref
			if err := rows.Scan(&pk, &ref.Tracker, &ref.Key); err != nil {
				rows.Close()
				return err
			}
			pks[ref] = pk
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		var b pgx.Batch
		for i := range comments {
			if err := ctx.Err(); err != nil {
				return err
			}
			c := &comments[i]
			pk := pks[c.Issue]
			if pk == 0 {
				continue
			}
			if err := store.CheckComment(&c.Comment); err != nil {
				return fmt.Errorf("issue %s: %w", c.Issue, err)
			}
			b.Queue(sqlPutComment, commentArgs(pk, &c.Comment)...)
		}
		if b.Len() == 0 {
			return nil
		}
		return tx.SendBatch(ctx, &b).Close()
	})
	if err != nil {
		return fmt.Errorf("store: put %d comments: %w", len(comments), err)
	}
	return nil
}
