-- 215_protocol.sql — what the distribution protocols and the published
-- audit heads need (issue 18, items 3 and 4).
--
-- offer.position: the applicant's overall queue position (district and
-- group year, queue.h) when the offer was made, written by offer_fill in
-- the offer's own transaction. NULL for offers made before it was kept:
-- the protocol shows «—» for them. A closed offer never changes (the
-- trigger offer_final), so neither does its position.
ALTER TABLE offer ADD COLUMN position INTEGER CHECK (position IS NULL OR position >= 1);

-- The district's protocols of a month (protocol.h): the records by
-- district and time are already indexed (free_place_district); the
-- referrals of a record by referral_place, its offers by offer_place.

-- A published head of the audit chain (audit.h): once a day the tick
-- signs "date, row count, hash of the row at that count" with the
-- service's key (Audit.SigningKey) and keeps it here; /audit/heads shows
-- every one. text is exactly the signed bytes, cms the detached CMS (DER).
-- A published head is never changed or removed.
CREATE TABLE audit_head (
  day        TEXT PRIMARY KEY CHECK (day = date(day, '+0 days')),
  count      INTEGER NOT NULL CHECK (count >= 0),
  hash       BLOB NOT NULL CHECK (length(hash) = 32),
  text       BLOB NOT NULL,
  cms        BLOB NOT NULL,
  signed_at  INTEGER NOT NULL
);
CREATE TRIGGER audit_head_no_update BEFORE UPDATE ON audit_head
BEGIN SELECT RAISE(ABORT, 'a published audit head cannot change'); END;
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN SELECT RAISE(ABORT, 'a published audit head cannot change'); END;

-- A signed decision's download (proof.h) finds the decision by its
-- signature.
CREATE INDEX enrollment_signature ON enrollment(signature_id);
CREATE INDEX enrollment_departure_signature ON enrollment(departure_signature_id)
  WHERE departure_signature_id IS NOT NULL;
CREATE INDEX refusal_signature ON refusal(signature_id);
CREATE INDEX refusal_review_signature ON refusal(review_signature_id) WHERE review_signature_id IS NOT NULL;
CREATE INDEX referral_contract_signature ON referral(contract_signature_id) WHERE contract_signature_id IS NOT NULL;
