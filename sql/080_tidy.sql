-- 080_tidy.sql — indexes for the timed purges of `kgctl tick` and for the
-- lists that read whole tables (tidy).

-- The purges of what every request can add (cgi-bin/cli/kgctl.c, jobs[]):
-- each deletes the rows older than a cutoff, so each needs its time
-- indexed, or every tick reads the whole table inside a write transaction.
CREATE INDEX challenge_expires ON challenge(expires_at);
CREATE INDEX otp_expires ON otp(expires_at);
CREATE INDEX rate_event_at ON rate_event(at);
