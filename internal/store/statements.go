package store

import (
	"context"
	"database/sql"
	"errors"
)

// issueColumns is the column order of every issue read; scanIssue follows
// it. issueTextColumns reads an empty string in place of the raw markup.
const (
	issueColumns     = issueColumnsHead + `body_raw` + issueColumnsTail
	issueTextColumns = issueColumnsHead + `''` + issueColumnsTail
	issueColumnsHead = `pk, tracker, id, key, url, project, type, title, body, `
	issueColumnsTail = `,
	labels, components, status, status_category, assignee, reporter,
	created, updated, resolved, due, estimate, parent, milestone`
)

const (
	// "id <> ''" repeats the partial index's condition: without it SQLite
	// cannot prove the index covers the row and scans the table.
	sqlIssueByID  = `SELECT pk, id, key, hash, gone IS NOT NULL FROM issues WHERE tracker = ? AND id = ? AND id <> ''`
	sqlIssueByKey = `SELECT pk, id, key, hash, gone IS NOT NULL FROM issues WHERE tracker = ? AND key = ?`
	// sqlSeen records that a sweep listed the issue (an empty stamp keeps
	// the old one) and brings a gone issue back.
	sqlSeen   = `UPDATE issues SET seen = coalesce(nullif(?, ''), seen), gone = NULL WHERE pk = ?`
	sqlInsert = `INSERT INTO issues (tracker, id, key, url, project, type, title, body, body_raw,
		labels, components, status, status_category, assignee, reporter,
		created, updated, resolved, due, estimate, parent, milestone, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	sqlUpdate = `UPDATE issues SET tracker = ?, id = ?, key = ?, url = ?, project = ?, type = ?,
		title = ?, body = ?, body_raw = ?, labels = ?, components = ?, status = ?,
		status_category = ?, assignee = ?, reporter = ?, created = ?, updated = ?,
		resolved = ?, due = ?, estimate = ?, parent = ?, milestone = ?, hash = ?
		WHERE pk = ?`
	sqlDeleteIssue = `DELETE FROM issues WHERE pk = ?`
	sqlDropLinks   = `DELETE FROM links WHERE issue = ?`
	sqlAddLink     = `INSERT INTO links (issue, seq, kind, to_tracker, to_key, via) VALUES (?, ?, ?, ?, ?, ?)`
	// The WHERE clause makes re-putting an identical comment a no-op rather
	// than a rewrite, so an unchanged re-sync changes no rows.
	sqlPutComment = `INSERT INTO comments (issue, ckey, comment_id, author, created, updated, body, raw)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (issue, ckey) DO UPDATE SET
			comment_id = excluded.comment_id, author = excluded.author,
			created = excluded.created, updated = excluded.updated,
			body = excluded.body, raw = excluded.raw
		WHERE comment_id IS NOT excluded.comment_id OR author IS NOT excluded.author
			OR created IS NOT excluded.created OR updated IS NOT excluded.updated
			OR body IS NOT excluded.body OR raw IS NOT excluded.raw`
	sqlMovePublication = `UPDATE OR REPLACE publications SET key = ? WHERE tracker = ? AND key = ?`
	sqlDropPublication = `DELETE FROM publications WHERE tracker = ? AND key = ?`
)

// statements are prepared once on the single write connection; a
// transaction binds them with tx.StmtContext without preparing again.
type statements struct {
	byID, byKey, insert, update, deleteIssue, dropLinks, addLink, putComment,
	movePub, dropPub, seen *sql.Stmt
}

func (st *statements) prepare(ctx context.Context, db *sql.DB) error {
	for _, p := range []struct {
		dst   **sql.Stmt
		query string
	}{
		{&st.byID, sqlIssueByID},
		{&st.byKey, sqlIssueByKey},
		{&st.insert, sqlInsert},
		{&st.update, sqlUpdate},
		{&st.deleteIssue, sqlDeleteIssue},
		{&st.dropLinks, sqlDropLinks},
		{&st.addLink, sqlAddLink},
		{&st.putComment, sqlPutComment},
		{&st.movePub, sqlMovePublication},
		{&st.dropPub, sqlDropPublication},
		{&st.seen, sqlSeen},
	} {
		s, err := db.PrepareContext(ctx, p.query)
		if err != nil {
			return err
		}
		*p.dst = s
	}
	return nil
}

// in binds the statements to one transaction.
func (st *statements) in(ctx context.Context, tx *sql.Tx) *statements {
	b := func(s *sql.Stmt) *sql.Stmt { return tx.StmtContext(ctx, s) }
	return &statements{
		byID: b(st.byID), byKey: b(st.byKey), insert: b(st.insert), update: b(st.update),
		deleteIssue: b(st.deleteIssue), dropLinks: b(st.dropLinks), addLink: b(st.addLink),
		putComment: b(st.putComment), movePub: b(st.movePub), dropPub: b(st.dropPub),
		seen: b(st.seen),
	}
}

func (st *statements) close() {
	for _, s := range []*sql.Stmt{st.byID, st.byKey, st.insert, st.update, st.deleteIssue,
		st.dropLinks, st.addLink, st.putComment, st.movePub, st.dropPub, st.seen} {
		if s != nil {
			s.Close()
		}
	}
}

// write runs fn in one write transaction: all of it lands or none of it.
func (s *Store) write(ctx context.Context, fn func(st *statements) error) error {
	if err := s.writable(); err != nil {
		return err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(s.st.in(ctx, tx)); err != nil {
		return errors.Join(err, ignoreDone(tx.Rollback()))
	}
	return tx.Commit()
}

// ignoreDone drops the error of rolling back a transaction that database/sql
// already rolled back because its context ended.
func ignoreDone(err error) error {
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}
