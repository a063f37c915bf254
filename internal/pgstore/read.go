package pgstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/store"
)

const (
	issueColumnsHead = `pk, tracker, id, key, url, project, type, title, body, `
	issueColumnsTail = `,
	labels, components, status, status_category, assignee, reporter,
	created, updated, resolved, due, estimate, parent, milestone`
	issueColumns     = issueColumnsHead + `body_raw` + issueColumnsTail
	issueTextColumns = issueColumnsHead + `''` + issueColumnsTail

	sqlIssue     = `SELECT ` + issueColumns + ` FROM issues WHERE tracker = $1 AND key = $2 AND gone IS NULL`
	sqlIssueGone = `SELECT gone FROM issues WHERE tracker = $1 AND key = $2 AND gone IS NOT NULL`

	// Each reads the issues through a server-side cursor, eachChunk rows at
	// a time, and the links and comments of each chunk with one query
	// apiece, all in one snapshot: memory holds a chunk, however large the
	// store.
	sqlEachIssue     = `SELECT ` + issueColumns + ` FROM issues WHERE gone IS NULL ORDER BY tracker, key`
	sqlEachIssueText = `SELECT ` + issueTextColumns + ` FROM issues WHERE gone IS NULL ORDER BY tracker, key`
	sqlLinksOf       = `SELECT issue, kind, to_tracker, to_key, via FROM links WHERE issue = ANY($1) ORDER BY issue, seq`
	sqlCommentsOf    = `SELECT issue, comment_id, author, created, updated, body, raw
		FROM comments WHERE issue = ANY($1) ORDER BY issue, created, seq`
	sqlCommentsTextOf = `SELECT issue, comment_id, author, created, updated, body, ''
		FROM comments WHERE issue = ANY($1) ORDER BY issue, created, seq`
)

// eachChunk is how many issues Each fetches from its cursor at a time.
const eachChunk = 1000

// Issue returns one stored issue with its links and comments. It wraps
// store.ErrNotFound (and store.ErrGone) when the store does not hold ref.
func (s *Store) Issue(ctx context.Context, ref ladder.Ref) (ladder.Issue, error) {
	var is ladder.Issue
	err := s.snapshot(ctx, func(tx pgx.Tx) error {
		pk, err := scanIssue(tx.QueryRow(ctx, sqlIssue, ref.Tracker, ref.Key), &is)
		if errors.Is(err, pgx.ErrNoRows) {
			var gone string
			switch err := tx.QueryRow(ctx, sqlIssueGone, ref.Tracker, ref.Key).Scan(&gone); {
			case err == nil:
				return fmt.Errorf("%w: %w (a full sync first missed it on %s)", store.ErrNotFound, store.ErrGone, gone[:min(len(gone), 10)])
			case !errors.Is(err, pgx.ErrNoRows):
				return err
			}
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		byIssue := map[int64]*ladder.Issue{pk: &is}
		if err := attachLinks(ctx, tx, []int64{pk}, byIssue); err != nil {
			return err
		}
		return attachComments(ctx, tx, sqlCommentsOf, []int64{pk}, byIssue)
	})
	if err != nil {
		return ladder.Issue{}, fmt.Errorf("store: issue %s: %w", ref, err)
	}
	return is, nil
}

// Title returns the title of a stored issue that is not gone.
func (s *Store) Title(ctx context.Context, ref ladder.Ref) (title string, ok bool, err error) {
	err = s.pool.QueryRow(ctx, `SELECT title FROM issues WHERE tracker = $1 AND key = $2 AND gone IS NULL`,
		ref.Tracker, ref.Key).Scan(&title)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	if err == nil {
		title, err = dec(title)
	}
	if err != nil {
		return "", false, fmt.Errorf("store: title of %s: %w", ref, err)
	}
	return title, true, nil
}

// Each calls fn for every stored issue that is not gone, with its links and
// comments, ordered by tracker and key (byte order), from one snapshot.
func (s *Store) Each(ctx context.Context, fn func(*ladder.Issue) error) error {
	return s.each(ctx, sqlEachIssue, sqlCommentsOf, fn)
}

// EachForAnalysis is Each without the raw markup of bodies and comments.
func (s *Store) EachForAnalysis(ctx context.Context, fn func(*ladder.Issue) error) error {
	return s.each(ctx, sqlEachIssueText, sqlCommentsTextOf, fn)
}

func (s *Store) each(ctx context.Context, issueQuery, commentQuery string, fn func(*ladder.Issue) error) error {
	var fnErr error
	err := s.snapshot(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DECLARE ladder_each NO SCROLL CURSOR FOR `+issueQuery); err != nil {
			return err
		}
		for {
			rows, err := tx.Query(ctx, fmt.Sprintf(`FETCH FORWARD %d FROM ladder_each`, eachChunk))
			if err != nil {
				return err
			}
			var chunk []*ladder.Issue
			var pks []int64
			byIssue := make(map[int64]*ladder.Issue, eachChunk)
			for rows.Next() {
				is := new(ladder.Issue)
				pk, err := scanIssue(rows, is)
				if err != nil {
					rows.Close()
					return err
				}
				chunk, pks = append(chunk, is), append(pks, pk)
				byIssue[pk] = is
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if len(chunk) == 0 {
				return nil
			}
			if err := attachLinks(ctx, tx, pks, byIssue); err != nil {
				return err
			}
			if err := attachComments(ctx, tx, commentQuery, pks, byIssue); err != nil {
				return err
			}
			for _, is := range chunk {
				if err := fn(is); err != nil {
					fnErr = err
					return err
				}
			}
			if len(chunk) < eachChunk {
				return nil
			}
		}
	})
	if fnErr != nil {
		return fnErr
	}
	if err != nil {
		return fmt.Errorf("store: read issues: %w", err)
	}
	return nil
}

func attachLinks(ctx context.Context, tx pgx.Tx, pks []int64, byIssue map[int64]*ladder.Issue) error {
	rows, err := tx.Query(ctx, sqlLinksOf, pks)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var pk int64
		var kind string
		var l ladder.Link
		if err := rows.Scan(&pk, &kind, &l.To.Tracker, &l.To.Key, &l.Via); err != nil {
			return err
		}
		l.Kind = ladder.LinkKind(kind)
		if l.To.Key, err = dec(l.To.Key); err != nil {
			return err
		}
		if l.Via, err = dec(l.Via); err != nil {
			return err
		}
		is := byIssue[pk]
		is.Links = append(is.Links, l)
	}
	return rows.Err()
}

func attachComments(ctx context.Context, tx pgx.Tx, query string, pks []int64, byIssue map[int64]*ladder.Issue) error {
	rows, err := tx.Query(ctx, query, pks)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var pk int64
		var c ladder.Comment
		var created, updated string
		if err := rows.Scan(&pk, &c.ID, &c.Author, &created, &updated, &c.Body, &c.Raw); err != nil {
			return err
		}
		if err := decAll(&c.ID, &c.Author, &c.Body, &c.Raw); err != nil {
			return err
		}
		if c.Created, err = store.ParseTime(created); err != nil {
			return err
		}
		if c.Updated, err = store.ParseTime(updated); err != nil {
			return err
		}
		is := byIssue[pk]
		is.Comments = append(is.Comments, c)
	}
	return rows.Err()
}

func decAll(ss ...*string) error {
	for _, p := range ss {
		v, err := dec(*p)
		if err != nil {
			return err
		}
		*p = v
	}
	return nil
}

// Count returns how many issues the store holds, gone ones aside.
func (s *Store) Count(ctx context.Context) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM issues WHERE gone IS NULL`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count issues: %w", err)
	}
	return n, nil
}

// Trackers returns the names of the trackers of the stored issues, sorted.
func (s *Store) Trackers(ctx context.Context) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT tracker FROM issues WHERE gone IS NULL ORDER BY tracker`)
	if err != nil {
		return nil, fmt.Errorf("store: list trackers: %w", err)
	}
	ts, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("store: list trackers: %w", err)
	}
	return ts, nil
}

// snapshot runs fn in a read-only REPEATABLE READ transaction: one snapshot
// however long it runs, while writes go on.
func (s *Store) snapshot(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, fn)
}

func scanIssue(row pgx.Row, is *ladder.Issue) (int64, error) {
	var (
		pk               int64
		labels, comps    string
		status           string
		created, updated string
		resolved, due    *string
		estimate         *float64
	)
	err := row.Scan(&pk, &is.Tracker, &is.ID, &is.Key, &is.URL, &is.Project, &is.Type, &is.Title,
		&is.Body, &is.BodyRaw, &labels, &comps, &is.Status, &status, &is.Assignee, &is.Reporter,
		&created, &updated, &resolved, &due, &estimate, &is.Parent, &is.Milestone)
	if err != nil {
		return 0, err
	}
	if err := decAll(&is.URL, &is.Project, &is.Type, &is.Title, &is.Body, &is.BodyRaw, &labels, &comps,
		&is.Status, &is.Assignee, &is.Reporter, &is.Parent, &is.Milestone); err != nil {
		return 0, fmt.Errorf("issue %s: %w", is.Ref, err)
	}
	is.StatusCategory = ladder.StatusCategory(status)
	if is.Labels, err = store.DecodeList(labels); err != nil {
		return 0, fmt.Errorf("issue %s: labels: %w", is.Ref, err)
	}
	if is.Components, err = store.DecodeList(comps); err != nil {
		return 0, fmt.Errorf("issue %s: components: %w", is.Ref, err)
	}
	if is.Created, err = store.ParseTime(created); err != nil {
		return 0, fmt.Errorf("issue %s: created: %w", is.Ref, err)
	}
	if is.Updated, err = store.ParseTime(updated); err != nil {
		return 0, fmt.Errorf("issue %s: updated: %w", is.Ref, err)
	}
	for _, t := range []struct {
		src *string
		dst **time.Time
	}{{resolved, &is.Resolved}, {due, &is.Due}} {
		if t.src != nil {
			v, err := store.ParseTime(*t.src)
			if err != nil {
				return 0, fmt.Errorf("issue %s: %w", is.Ref, err)
			}
			*t.dst = &v
		}
	}
	is.Estimate = estimate
	return pk, nil
}
