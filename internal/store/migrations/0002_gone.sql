-- A full sync is a census of its tracker: seen is the stamp of the last full
-- sync that listed the issue, gone is when a full sync first missed it
-- (deleted upstream, or moved out of every synced scope). Gone issues stay
-- stored, with their comments, but leave analysis; seen again, they return.
ALTER TABLE issues ADD COLUMN seen TEXT NOT NULL DEFAULT '';
ALTER TABLE issues ADD COLUMN gone TEXT;
