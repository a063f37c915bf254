package store

import (
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/ladderhq/ladder"
)

// timeLayout is RFC 3339 in UTC with a fixed nine-digit fraction: every
// stored time has the same width, so text order is time order.
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

// formatTime stores the zero time as "" so that an unknown Created stays unknown.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339Nano, s)
}

// optTime keeps the difference between nil (absent) and a set time.
func optTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Format(timeLayout)
}

func parseOptTime(ns sql.NullString) (*time.Time, error) {
	if !ns.Valid {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339Nano, ns.String)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

func optFloat(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

// encodeList stores a list as a JSON array; an empty list is "" and reads
// back as nil.
func encodeList(xs []string) (string, error) {
	if len(xs) == 0 {
		return "", nil
	}
	b, err := json.Marshal(xs)
	return string(b), err
}

// decodeList reads what encodeList wrote. Lists of plain strings (no
// escapes, as labels and components almost always are) are split in place,
// several times faster than encoding/json, which reads the rest.
func decodeList(s string) ([]string, error) {
	if s == "" {
		return nil, nil
	}
	if xs, ok := splitPlainList(s); ok {
		return xs, nil
	}
	var xs []string
	err := json.Unmarshal([]byte(s), &xs)
	return xs, err
}

// splitPlainList splits ["a","b"] when no string holds a backslash or a
// control character; ok is false for anything else.
func splitPlainList(s string) (xs []string, ok bool) {
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' || strings.IndexByte(s, '\\') >= 0 {
		return nil, false
	}
	rest := s[1 : len(s)-1]
	for rest != "" {
		if rest[0] != '"' {
			return nil, false
		}
		end := strings.IndexByte(rest[1:], '"')
		if end < 0 {
			return nil, false
		}
		item := rest[1 : 1+end]
		for i := 0; i < len(item); i++ {
			if item[i] < 0x20 {
				return nil, false
			}
		}
		xs = append(xs, item)
		rest = rest[2+end:]
		if rest == "" {
			break
		}
		if rest[0] != ',' || len(rest) == 1 {
			return nil, false
		}
		rest = rest[1:]
	}
	return xs, xs != nil
}

// check rejects what the store cannot keep faithfully, before it is written:
// a time RFC 3339 cannot spell would make every later read of the store fail.
func check(is *ladder.Issue) error {
	switch {
	case is.Tracker == "":
		return fmt.Errorf("issue %q has no tracker", is.Key)
	case is.Key == "":
		return fmt.Errorf("issue in %s (id %q) has no key", is.Tracker, is.ID)
	case is.Estimate != nil && (math.IsNaN(*is.Estimate) || math.IsInf(*is.Estimate, 0)):
		return fmt.Errorf("estimate %v is not a number of story points", *is.Estimate)
	}
	for _, t := range []struct {
		name string
		t    *time.Time
	}{{"created", &is.Created}, {"updated", &is.Updated}, {"resolved", is.Resolved}, {"due", is.Due}} {
		if t.t != nil {
			if err := checkTime(*t.t); err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
		}
	}
	for i := range is.Comments {
		if err := checkComment(&is.Comments[i]); err != nil {
			return err
		}
	}
	return nil
}

func checkComment(c *ladder.Comment) error {
	if err := checkTime(c.Created); err != nil {
		return fmt.Errorf("comment %q: created: %w", commentKey(c), err)
	}
	if err := checkTime(c.Updated); err != nil {
		return fmt.Errorf("comment %q: updated: %w", commentKey(c), err)
	}
	return nil
}

func checkTime(t time.Time) error {
	if y := t.UTC().Year(); y < 0 || y > 9999 {
		return fmt.Errorf("year %d is outside 0000-9999", y)
	}
	return nil
}

// hashIssue digests the canonical issue without its comments: comments
// arrive separately and accumulate, so they must not make an issue look
// changed. id is the identity the row will carry (an incoming issue without
// an ID keeps the one already stored). Fields are length-prefixed so that no
// two different issues share an encoding, and times go through formatTime so
// that the same instant in another zone hashes the same.
func hashIssue(is *ladder.Issue, id string) []byte {
	h := sha256.New()
	var buf [binary.MaxVarintLen64]byte
	str := func(s string) {
		n := binary.PutUvarint(buf[:], uint64(len(s)))
		h.Write(buf[:n])
		h.Write([]byte(s))
	}
	num := func(x uint64) {
		n := binary.PutUvarint(buf[:], x)
		h.Write(buf[:n])
	}
	optT := func(t *time.Time) {
		if t == nil {
			num(0)
			return
		}
		num(1)
		str(t.UTC().Format(timeLayout))
	}
	list := func(xs []string) {
		num(uint64(len(xs)))
		for _, x := range xs {
			str(x)
		}
	}
	num(1) // encoding version
	str(is.Tracker)
	str(is.Key)
	str(id)
	str(is.URL)
	str(is.Project)
	str(is.Type)
	str(is.Title)
	str(is.Body)
	str(is.BodyRaw)
	list(is.Labels)
	list(is.Components)
	str(is.Status)
	str(string(is.StatusCategory))
	str(is.Assignee)
	str(is.Reporter)
	str(formatTime(is.Created))
	str(formatTime(is.Updated))
	optT(is.Resolved)
	optT(is.Due)
	if is.Estimate == nil {
		num(0)
	} else {
		num(1)
		num(math.Float64bits(*is.Estimate + 0)) // -0 reads back from SQLite as 0
	}
	str(is.Parent)
	str(is.Milestone)
	num(uint64(len(is.Links)))
	for _, l := range is.Links {
		str(string(l.Kind))
		str(l.To.Tracker)
		str(l.To.Key)
		str(l.Via)
	}
	return h.Sum(nil)
}

// commentKey is the upsert key of a comment within its issue: the tracker's
// comment id, or author and created time for comments that carry none.
func commentKey(c *ladder.Comment) string {
	if c.ID != "" {
		return "id:" + c.ID
	}
	return "at:" + formatTime(c.Created) + "\x00" + c.Author
}
