-- 030_places.sql — the free places base and referrals (issue 5).
--
-- A saved free-place record carries the random token of the confirmation
-- it was saved from, so a confirmation sent twice (a double click on «ОК»,
-- a reload of the POST) saves one record, never two: the second insert
-- breaks the unique index and the staff member is told the record is
-- already saved. The token cannot change afterwards (a saved record is
-- never edited).
ALTER TABLE free_place ADD COLUMN form_token TEXT;
CREATE UNIQUE INDEX free_place_form_token ON free_place(form_token) WHERE form_token IS NOT NULL;
CREATE TRIGGER free_place_token_fixed BEFORE UPDATE OF form_token ON free_place
  WHEN NEW.form_token IS NOT OLD.form_token
BEGIN
  SELECT RAISE(ABORT, 'a saved free-place record cannot be edited');
END;

-- The timed rules find their rows through these: records whose priority
-- window has ended, records whose places came back after being exhausted,
-- referrals due for the reminder.
CREATE INDEX free_place_waiting ON free_place(window_until) WHERE status = 'waiting';
CREATE INDEX free_place_reopened ON free_place(id) WHERE status = 'exhausted' AND free > 0;
CREATE INDEX referral_remind ON referral(deadline_at) WHERE status = 'issued' AND reminded_at IS NULL;
-- A citizen's referrals (the referral page, the choice screen).
CREATE INDEX referral_application ON referral(application_id, id);
