package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/ladderhq/ladder"
)

const (
	sqlIssue         = `SELECT ` + issueColumns + ` FROM issues WHERE tracker = ? AND key = ? AND gone IS NULL`
	sqlIssueGone     = `SELECT gone FROM issues WHERE tracker = ? AND key = ? AND gone IS NOT NULL`
	sqlIssueLinks    = `SELECT issue, kind, to_tracker, to_key, via FROM links WHERE issue = ? ORDER BY seq`
	sqlIssueComments = `SELECT issue, comment_id, author, created, updated, body, raw
		FROM comments WHERE issue = ? ORDER BY created, rowid`

	// Each walks these three side by side. CROSS JOIN pins issues as the
	// outer loop, read through the (tracker, key) index, so links and
	// comments come out in issue order without a sort that would hold the
	// whole result.
	// All three skip gone issues (sweep.go) alike, or the cursors would
	// fall out of step.
	sqlEachIssue = `SELECT ` + issueColumns + eachIssueFrom
	sqlEachLink  = `SELECT l.issue, l.kind, l.to_tracker, l.to_key, l.via
		FROM issues i CROSS JOIN links l ON l.issue = i.pk
		WHERE i.gone IS NULL
		ORDER BY i.tracker, i.key, l.seq`
	sqlEachComment = `SELECT c.issue, c.comment_id, c.author, c.created, c.updated, c.body, c.raw` + eachCommentFrom

	// EachForAnalysis's issues and comments: the same columns, the raw
	// markup read as ''.
	sqlEachIssueText   = `SELECT ` + issueTextColumns + eachIssueFrom
	sqlEachCommentText = `SELECT c.issue, c.comment_id, c.author, c.created, c.updated, c.body, ''` + eachCommentFrom

	eachIssueFrom   = ` FROM issues WHERE gone IS NULL ORDER BY tracker, key`
	eachCommentFrom = `
		FROM issues i CROSS JOIN comments c ON c.issue = i.pk
		WHERE i.gone IS NULL
		ORDER BY i.tracker, i.key, c.created, c.rowid`
)

// Issue returns one stored issue with its links and comments (comments in
// created order). It wraps ErrNotFound when the store does not hold ref.
func (s *Store) Issue(ctx context.Context, ref ladder.Ref) (ladder.Issue, error) {
	var is ladder.Issue
	err := s.read(ctx, func(tx *sql.Tx) error {
		row := tx.QueryRowContext(ctx, sqlIssue, ref.Tracker, ref.Key)
		pk, err := scanIssue(row, &is)
		if errors.Is(err, sql.ErrNoRows) {
			var gone string
			switch err := tx.QueryRowContext(ctx, sqlIssueGone, ref.Tracker, ref.Key).Scan(&gone); {
			case err == nil:
				return fmt.Errorf("%w: %w (a full sync first missed it on %s)", ErrNotFound, ErrGone, gone[:min(len(gone), 10)])
			case !errors.Is(err, sql.ErrNoRows):
				return err
			}
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		links, err := tx.QueryContext(ctx, sqlIssueLinks, pk)
		if err != nil {
			return err
		}
		lc := linkCursor{rows: links}
		for lc.next() && lc.issue == pk {
			is.Links = append(is.Links, lc.link)
		}
		if err := lc.close(); err != nil {
			return err
		}
		comments, err := tx.QueryContext(ctx, sqlIssueComments, pk)
		if err != nil {
			return err
		}
		cc := commentCursor{rows: comments}
		for cc.next() && cc.issue == pk {
			is.Comments = append(is.Comments, cc.comment)
		}
		return cc.close()
	})
	if err != nil {
		return ladder.Issue{}, fmt.Errorf("store: issue %s: %w", ref, err)
	}
	return is, nil
}

// Title returns the title of a stored issue that is not gone; ok is false
// when the store does not hold it.
func (s *Store) Title(ctx context.Context, ref ladder.Ref) (title string, ok bool, err error) {
	err = s.r.QueryRowContext(ctx, `SELECT title FROM issues WHERE tracker = ? AND key = ? AND gone IS NULL`,
		ref.Tracker, ref.Key).Scan(&title)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("store: title of %s: %w", ref, err)
	}
	return title, true, nil
}

// Each calls fn for every stored issue that is not gone (sweep.go), with
// its labels, components, links and comments, ordered by tracker and key,
// from one consistent snapshot of the store. It streams: three cursors (issues, links, comments) walk the
// same order side by side, so memory stays flat however large the store. fn
// owns the issue it is given; an error from fn stops the walk and is
// returned as is.
func (s *Store) Each(ctx context.Context, fn func(*ladder.Issue) error) error {
	return s.each(ctx, sqlEachIssue, sqlEachComment, fn)
}

// EachForAnalysis is Each without the raw markup of bodies and comments
// (Issue.BodyRaw and Comment.Raw stay empty): analysis reads only the text,
// and the markup is as much again to copy out of the file.
func (s *Store) EachForAnalysis(ctx context.Context, fn func(*ladder.Issue) error) error {
	return s.each(ctx, sqlEachIssueText, sqlEachCommentText, fn)
}

func (s *Store) each(ctx context.Context, issueQuery, commentQuery string, fn func(*ladder.Issue) error) error {
	var fnErr error
	err := s.read(ctx, func(tx *sql.Tx) error {
		issues, err := tx.QueryContext(ctx, issueQuery)
		if err != nil {
			return err
		}
		defer issues.Close()
		links, err := tx.QueryContext(ctx, sqlEachLink)
		if err != nil {
			return err
		}
		lc := linkCursor{rows: links}
		defer lc.close()
		comments, err := tx.QueryContext(ctx, commentQuery)
		if err != nil {
			return err
		}
		cc := commentCursor{rows: comments}
		defer cc.close()

		lc.next()
		cc.next()
		for issues.Next() {
			is := new(ladder.Issue)
			pk, err := scanIssue(issues, is)
			if err != nil {
				return err
			}
			for ; lc.ok && lc.issue == pk; lc.next() {
				is.Links = append(is.Links, lc.link)
			}
			for ; cc.ok && cc.issue == pk; cc.next() {
				is.Comments = append(is.Comments, cc.comment)
			}
			if lc.err != nil {
				return lc.err
			}
			if cc.err != nil {
				return cc.err
			}
			if err := fn(is); err != nil {
				fnErr = err
				return err
			}
		}
		if err := issues.Err(); err != nil {
			return err
		}
		if err := lc.close(); err != nil {
			return err
		}
		return cc.close()
	})
	if fnErr != nil {
		return fnErr
	}
	if err != nil {
		return fmt.Errorf("store: read issues: %w", err)
	}
	return nil
}

// Count returns how many issues the store holds, gone ones aside.
func (s *Store) Count(ctx context.Context) (int, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM issues WHERE gone IS NULL`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count issues: %w", err)
	}
	return n, nil
}

// Trackers returns the names of the trackers the stored issues (gone ones
// aside) come from, sorted.
func (s *Store) Trackers(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT DISTINCT tracker FROM issues WHERE gone IS NULL ORDER BY tracker`)
	if err != nil {
		return nil, fmt.Errorf("store: list trackers: %w", err)
	}
	defer rows.Close()
	var ts []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, fmt.Errorf("store: list trackers: %w", err)
		}
		ts = append(ts, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list trackers: %w", err)
	}
	return ts, nil
}

// read runs fn in a read transaction, which in WAL mode sees one snapshot
// however long it runs, while writes go on.
func (s *Store) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}

type scanner interface {
	Scan(dest ...any) error
}

func scanIssue(row scanner, is *ladder.Issue) (int64, error) {
	var (
		pk               int64
		labels, comps    string
		status           string
		created, updated string
		resolved, due    sql.NullString
		estimate         sql.NullFloat64
	)
	err := row.Scan(&pk, &is.Tracker, &is.ID, &is.Key, &is.URL, &is.Project, &is.Type, &is.Title,
		&is.Body, &is.BodyRaw, &labels, &comps, &is.Status, &status, &is.Assignee, &is.Reporter,
		&created, &updated, &resolved, &due, &estimate, &is.Parent, &is.Milestone)
	if err != nil {
		return 0, err
	}
	is.StatusCategory = ladder.StatusCategory(status)
	if is.Labels, err = decodeList(labels); err != nil {
		return 0, fmt.Errorf("issue %s: labels: %w", is.Ref, err)
	}
	if is.Components, err = decodeList(comps); err != nil {
		return 0, fmt.Errorf("issue %s: components: %w", is.Ref, err)
	}
	if is.Created, err = parseTime(created); err != nil {
		return 0, fmt.Errorf("issue %s: created: %w", is.Ref, err)
	}
	if is.Updated, err = parseTime(updated); err != nil {
		return 0, fmt.Errorf("issue %s: updated: %w", is.Ref, err)
	}
	if is.Resolved, err = parseOptTime(resolved); err != nil {
		return 0, fmt.Errorf("issue %s: resolved: %w", is.Ref, err)
	}
	if is.Due, err = parseOptTime(due); err != nil {
		return 0, fmt.Errorf("issue %s: due: %w", is.Ref, err)
	}
	if estimate.Valid {
		e := estimate.Float64
		is.Estimate = &e
	}
	return pk, nil
}

// linkCursor walks link rows one ahead of the issue they belong to.
type linkCursor struct {
	rows  *sql.Rows
	ok    bool
	err   error
	issue int64
	link  ladder.Link
}

func (c *linkCursor) next() bool {
	c.ok = c.rows.Next()
	if !c.ok {
		c.err = c.rows.Err()
		return false
	}
	var kind string
	c.link = ladder.Link{}
	if c.err = c.rows.Scan(&c.issue, &kind, &c.link.To.Tracker, &c.link.To.Key, &c.link.Via); c.err != nil {
		c.ok = false
		return false
	}
	c.link.Kind = ladder.LinkKind(kind)
	return true
}

func (c *linkCursor) close() error {
	if err := c.rows.Close(); err != nil {
		return err
	}
	return c.err
}

// commentCursor walks comment rows one ahead of the issue they belong to.
type commentCursor struct {
	rows    *sql.Rows
	ok      bool
	err     error
	issue   int64
	comment ladder.Comment
}

func (c *commentCursor) next() bool {
	c.ok = c.rows.Next()
	if !c.ok {
		c.err = c.rows.Err()
		return false
	}
	var created, updated string
	c.comment = ladder.Comment{}
	if c.err = c.rows.Scan(&c.issue, &c.comment.ID, &c.comment.Author, &created, &updated,
		&c.comment.Body, &c.comment.Raw); c.err != nil {
		c.ok = false
		return false
	}
	if c.comment.Created, c.err = parseTime(created); c.err != nil {
		c.ok = false
		return false
	}
	if c.comment.Updated, c.err = parseTime(updated); c.err != nil {
		c.ok = false
		return false
	}
	return true
}

func (c *commentCursor) close() error {
	if err := c.rows.Close(); err != nil {
		return err
	}
	return c.err
}
