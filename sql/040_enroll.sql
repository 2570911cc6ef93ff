-- 040_enroll.sql — document submission (the parent's forms and contract)
-- and the journal of applications.
--
-- A referral has at most one contract: the system generates it once, and
-- the parent signs exactly that file (its SHA-256 is in the signed text).
CREATE UNIQUE INDEX document_contract ON document(referral_id)
  WHERE kind = 'contract' AND origin = 'system';
-- The documents of a referral (the enroll screen, the staff cabinet).
CREATE INDEX document_referral ON document(referral_id, kind) WHERE referral_id IS NOT NULL;
-- The journal's IIN filter (which also finds archived applications) uses
-- application_child(child_id, id) of 020; every referral of an
-- application in order comes from referral_application(application_id, id)
-- of 030: ids follow issue times.
-- The journal of the support role lists every application, newest first.
CREATE INDEX application_created ON application(created_at);

-- A document row is evidence: once written only two things may happen to
-- it, each once: an applicant's file is marked replaced by a newer one,
-- and a generated document gets its check code. An applicant's form of a
-- referral may be replaced only while the referral is 'issued': once the
-- contract is signed (or the referral closed) the forms are final.
CREATE TRIGGER document_immutable BEFORE UPDATE ON document
  WHEN NEW.id IS NOT OLD.id OR NEW.application_id IS NOT OLD.application_id
    OR NEW.referral_id IS NOT OLD.referral_id OR NEW.kind IS NOT OLD.kind
    OR NEW.origin IS NOT OLD.origin OR NEW.sha256 IS NOT OLD.sha256
    OR NEW.size IS NOT OLD.size OR NEW.mime IS NOT OLD.mime
    OR NEW.filename IS NOT OLD.filename OR NEW.number IS NOT OLD.number
    OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by
    OR (OLD.replaced_at IS NOT NULL AND NEW.replaced_at IS NOT OLD.replaced_at)
    OR (OLD.check_code IS NOT NULL AND NEW.check_code IS NOT OLD.check_code)
BEGIN
  SELECT RAISE(ABORT, 'a document cannot be edited');
END;
CREATE TRIGGER document_forms_final BEFORE UPDATE OF replaced_at ON document
  WHEN OLD.origin = 'applicant' AND OLD.kind IN ('form065','form027','form052_2')
   AND OLD.referral_id IS NOT NULL
   AND (SELECT status FROM referral WHERE id = OLD.referral_id) IS NOT 'issued'
BEGIN
  SELECT RAISE(ABORT, 'the forms of a signed or closed referral cannot be replaced');
END;
CREATE TRIGGER document_no_delete BEFORE DELETE ON document
BEGIN
  SELECT RAISE(ABORT, 'documents are never deleted');
END;
