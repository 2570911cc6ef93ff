-- 220_year.sql — the refresh of the queue and the August transfer period
-- (issue 17 items 1 and 2; cgi-bin/lib/domain/refresh.h, place.h).
--
-- The end date of a benefit's supporting document (a disability
-- certificate, a large family's certificate are issued for a term): the
-- parent gives it with the document, or none when the document has no
-- term. The refresh moves an application whose benefit documents have all
-- ended to the category they still support. Once given it is evidence and
-- stays as it is.
ALTER TABLE document ADD COLUMN valid_until TEXT
  CHECK (valid_until IS NULL OR valid_until = date(valid_until, '+0 days'));
CREATE TRIGGER document_valid_until_fixed BEFORE UPDATE OF valid_until ON document
  WHEN OLD.valid_until IS NOT NULL AND NEW.valid_until IS NOT OLD.valid_until
BEGIN
  SELECT RAISE(ABORT, 'a document cannot be edited');
END;

-- A published record withdrawn by support during the transfer period
-- (place.h, place_withdraw): when, by whom, why. It stays in the base,
-- shown as withdrawn, never deleted. Only a record nobody ever got a
-- referral for may be withdrawn, once; the withdrawal takes its free count
-- to 0 (so every reader that asks for a free place passes it by, and the
-- schema's trigger marks it exhausted), and nothing moves it afterwards:
-- for a withdrawn record free = 0, for every other free = total minus the
-- referrals holding a place.
ALTER TABLE free_place ADD COLUMN withdrawn_at INTEGER;
ALTER TABLE free_place ADD COLUMN withdrawn_by INTEGER REFERENCES account(id);
ALTER TABLE free_place ADD COLUMN withdrawn_reason TEXT;

CREATE TRIGGER free_place_withdraw BEFORE UPDATE OF withdrawn_at, withdrawn_by, withdrawn_reason ON free_place
  WHEN OLD.withdrawn_at IS NOT NULL
    OR NEW.withdrawn_at IS NULL OR NEW.withdrawn_by IS NULL
    OR length(trim(coalesce(NEW.withdrawn_reason, ''))) = 0
    OR NEW.free <> 0 OR OLD.free <> OLD.total
    OR EXISTS (SELECT 1 FROM referral WHERE free_place_id = OLD.id)
BEGIN
  SELECT RAISE(ABORT, 'only a record without referrals may be withdrawn, once, with a reason');
END;
-- The free count of a withdrawn record stays 0 (no referral can take a
-- place of it: the CHECK free >= 0 refuses one anyway).
CREATE TRIGGER free_place_withdrawn_final BEFORE UPDATE OF free ON free_place
  WHEN OLD.withdrawn_at IS NOT NULL AND NEW.free IS NOT OLD.free
BEGIN
  SELECT RAISE(ABORT, 'a withdrawn free-place record cannot change');
END;
