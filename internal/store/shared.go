package store

import (
	"time"

	"github.com/ladderhq/ladder"
)

// The encodings below are the store format both stores share (the SQLite
// store here and the PostgreSQL one), so that an issue hashes, orders and
// reads back the same whichever holds it, and a copy between them changes
// nothing.

// HashIssue digests an issue without its comments (see hashIssue); id is the
// identity its row will carry.
func HashIssue(is *ladder.Issue, id string) []byte { return hashIssue(is, id) }

// CheckIssue rejects an issue the stores cannot keep faithfully.
func CheckIssue(is *ladder.Issue) error { return check(is) }

// CheckComment rejects a comment the stores cannot keep faithfully.
func CheckComment(c *ladder.Comment) error { return checkComment(c) }

// CommentKey is a comment's upsert key within its issue.
func CommentKey(c *ladder.Comment) string { return commentKey(c) }

// FormatTime is the stored form of a time: RFC 3339 UTC with nine
// fractional digits, so text order is time order; the zero time is "".
func FormatTime(t time.Time) string { return formatTime(t) }

// ParseTime reads what FormatTime wrote.
func ParseTime(s string) (time.Time, error) { return parseTime(s) }

// EncodeList stores a list as a JSON array, "" when empty.
func EncodeList(xs []string) (string, error) { return encodeList(xs) }

// DecodeList reads what EncodeList wrote.
func DecodeList(s string) ([]string, error) { return decodeList(s) }
