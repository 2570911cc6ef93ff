-- 090_security.sql — the security review.
--
-- EDS challenges and one-time codes were kept for ever: every visit of the
-- login page's EDS tab (anonymous included) and every signing form wrote a
-- challenge, every code request an otp row with a phone and an IIN. `kgctl
-- tick` now deletes both a day after they expired (job "challenges"); these
-- indexes make that a range delete. A used challenge's text lives on in the
-- signature row it produced, so nothing a decision needs is lost.
CREATE INDEX challenge_expires ON challenge(expires_at);
CREATE INDEX otp_expires ON otp(expires_at);
