-- Issues are keyed by their row number; (tracker, id) and (tracker, key) are
-- both unique so a moved issue (same id, new key) stays one row.
-- Optional times and the estimate are NULL when absent, never a made-up zero.
-- Times are RFC 3339 UTC text with nine fractional digits, so they sort as text.
CREATE TABLE issues (
	pk              INTEGER PRIMARY KEY,
	tracker         TEXT NOT NULL,
	id              TEXT NOT NULL DEFAULT '',
	key             TEXT NOT NULL,
	url             TEXT NOT NULL DEFAULT '',
	project         TEXT NOT NULL DEFAULT '',
	type            TEXT NOT NULL DEFAULT '',
	title           TEXT NOT NULL DEFAULT '',
	body            TEXT NOT NULL DEFAULT '',
	body_raw        TEXT NOT NULL DEFAULT '',
	labels          TEXT NOT NULL DEFAULT '', -- JSON array, '' when none
	components      TEXT NOT NULL DEFAULT '', -- JSON array, '' when none
	status          TEXT NOT NULL DEFAULT '',
	status_category TEXT NOT NULL DEFAULT '',
	assignee        TEXT NOT NULL DEFAULT '',
	reporter        TEXT NOT NULL DEFAULT '',
	created         TEXT NOT NULL DEFAULT '',
	updated         TEXT NOT NULL DEFAULT '',
	resolved        TEXT,
	due             TEXT,
	estimate        REAL,
	parent          TEXT NOT NULL DEFAULT '',
	milestone       TEXT NOT NULL DEFAULT '',
	hash            BLOB NOT NULL
);
CREATE UNIQUE INDEX issues_key ON issues (tracker, key);
CREATE UNIQUE INDEX issues_id ON issues (tracker, id) WHERE id <> '';

-- Links are replaced by each snapshot; seq keeps the snapshot's order.
CREATE TABLE links (
	issue      INTEGER NOT NULL REFERENCES issues (pk) ON DELETE CASCADE,
	seq        INTEGER NOT NULL,
	kind       TEXT NOT NULL,
	to_tracker TEXT NOT NULL,
	to_key     TEXT NOT NULL,
	via        TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (issue, seq)
) WITHOUT ROWID;

-- Comments accumulate: a snapshot that lacks one never deletes it. ckey is
-- the upsert key: the tracker's comment id, or author and created time for
-- comments that have none.
CREATE TABLE comments (
	issue      INTEGER NOT NULL REFERENCES issues (pk) ON DELETE CASCADE,
	ckey       TEXT NOT NULL,
	comment_id TEXT NOT NULL DEFAULT '',
	author     TEXT NOT NULL DEFAULT '',
	created    TEXT NOT NULL DEFAULT '',
	updated    TEXT NOT NULL DEFAULT '',
	body       TEXT NOT NULL DEFAULT '',
	raw        TEXT NOT NULL DEFAULT '',
	UNIQUE (issue, ckey)
);
CREATE INDEX comments_order ON comments (issue, created);

CREATE TABLE cursors (
	tracker    TEXT NOT NULL,
	scope      TEXT NOT NULL,
	value      TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	PRIMARY KEY (tracker, scope)
) WITHOUT ROWID;

-- What Ladder last wrote on an issue, by reference: the summary issue it
-- edits need not be a synced issue.
CREATE TABLE publications (
	tracker    TEXT NOT NULL,
	key        TEXT NOT NULL,
	comment_id TEXT NOT NULL,
	hash       TEXT NOT NULL,
	at         TEXT NOT NULL,
	PRIMARY KEY (tracker, key)
) WITHOUT ROWID;
