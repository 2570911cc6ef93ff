-- 110_session_ip.sql — the anonymous sessions one client address started
-- in the last minute (Session.AnonPerMinute, cgi-bin/lib/sess.c) are
-- counted through this index, not by reading the session table.
CREATE INDEX session_anon_ip ON session(ip, created_at) WHERE account_id IS NULL;
