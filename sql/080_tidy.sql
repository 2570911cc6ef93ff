-- 080_tidy.sql — indexes for the timed purges of `kgctl tick` (tidy).
--
-- The list queries of /journal, /cabinet, /review and /admin were checked
-- with EXPLAIN QUERY PLAN on the national-scale data of `make bench-data`:
-- each reads through an index, except those no index can serve (a count
-- of a whole table, an ORDER BY chosen per request); see the journal's
-- notes in cgi-bin/lib/journal.c.

-- The purges of what every request can add (cgi-bin/cli/kgctl.c, jobs[]):
-- each deletes the rows older than a cutoff, so each needs its time
-- indexed, or every tick reads the whole table inside a write transaction.
CREATE INDEX challenge_expires ON challenge(expires_at);
CREATE INDEX otp_expires ON otp(expires_at);
CREATE INDEX rate_event_at ON rate_event(at);
