-- 150_benefit.sql — benefits confirmed by the education department before
-- the referral's documents (issue 16 item 3, cgi-bin/lib/domain/benefit.h).
--
-- benefit_check of a referral:
--   ''          no confirmation needed (no benefit, or a first-priority one
--               where Benefit.ConfirmFirstPriority = 0), or issued before
--               this rule
--   pending     the district's education department has until
--               benefit_due_at to confirm the supporting document; while
--               pending the referral stays 'issued' and its deadline_at
--               holds that due time (the document deadline has not started)
--   confirmed   confirmed (benefit_by, benefit_comment, the signature,
--               benefit_decided_at): the document deadline started then
--   refused     refused with a comment, signed: the referral is annulled
--   lapsed      not answered by benefit_due_at: the referral is annulled
-- The decided columns are written in the same statement that closes the
-- referral (the trigger referral_final keeps a closed referral as it is).
ALTER TABLE referral ADD COLUMN benefit_check TEXT NOT NULL DEFAULT ''
  CHECK (benefit_check IN ('', 'pending', 'confirmed', 'refused', 'lapsed'));
ALTER TABLE referral ADD COLUMN benefit_due_at INTEGER;
ALTER TABLE referral ADD COLUMN benefit_by INTEGER REFERENCES account(id);
ALTER TABLE referral ADD COLUMN benefit_comment TEXT;
ALTER TABLE referral ADD COLUMN benefit_signature_id INTEGER REFERENCES signature(id);
ALTER TABLE referral ADD COLUMN benefit_decided_at INTEGER;

-- The confirmations awaiting a decision, oldest first (the review tab, its
-- count, the lapse job).
CREATE INDEX referral_benefit_pending ON referral(benefit_due_at, id) WHERE benefit_check = 'pending';
