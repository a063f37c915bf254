-- The run lock: at most one row, the lease of the run that holds the store
-- (lock.go). A holder renews expires while it runs; a killed holder stops
-- renewing, and once expires passes the next run may take the lease over.
CREATE TABLE run_lock (
	name    TEXT PRIMARY KEY,
	token   TEXT NOT NULL,
	host    TEXT NOT NULL,
	pid     INTEGER NOT NULL,
	since   TEXT NOT NULL,
	expires TEXT NOT NULL
) WITHOUT ROWID;
