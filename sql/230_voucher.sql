-- 230_voucher.sql — vouchers per district (issue 17 item 3;
-- cgi-bin/lib/domain/voucher.h has the rules).
--
-- A district's financing: 'state' (offers as offer.h says) or 'voucher'
-- (per-capita financing: every offer made there is a voucher the parent
-- must confirm). Support sets it in /admin.
ALTER TABLE district ADD COLUMN financing TEXT NOT NULL DEFAULT 'state'
  CHECK (financing IN ('state','voucher'));

-- One voucher per offer made in a voucher district. Its times say what
-- happened to it; status is where it is now:
--   issued     waiting for the parent's consent until consent_until
--   confirmed  consented: the right to choose a place until choose_until
--   used       a place was taken with it (a referral)
--   refused    the parent refused it: the application is archived
--   lapsed     not confirmed in time: the application became 'inactive'
--              (restore_until is the end of its restore period)
--   expired    confirmed, but no place was chosen by choose_until
--   void       the application left the queue otherwise before an answer
-- A lapsed voucher whose application was restored keeps 'lapsed' with
-- restored_at; one archived at the end of the restore period keeps
-- 'lapsed' with archived_at.
CREATE TABLE voucher (
  id             INTEGER PRIMARY KEY,
  offer_id       INTEGER NOT NULL UNIQUE REFERENCES offer(id),
  application_id INTEGER NOT NULL REFERENCES application(id),
  district_id    INTEGER NOT NULL REFERENCES district(id),
  status         TEXT NOT NULL DEFAULT 'issued'
                 CHECK (status IN ('issued','confirmed','used','refused','lapsed','expired','void')),
  issued_at      INTEGER NOT NULL,
  consent_until  INTEGER NOT NULL,
  confirmed_at   INTEGER,
  choose_until   INTEGER,
  used_at        INTEGER,
  refused_at     INTEGER,
  lapsed_at      INTEGER,
  restore_until  INTEGER,
  restored_at    INTEGER,
  archived_at    INTEGER,
  closed_at      INTEGER,
  CHECK ((status = 'confirmed') <= (confirmed_at IS NOT NULL AND choose_until IS NOT NULL)),
  CHECK ((status = 'lapsed') <= (lapsed_at IS NOT NULL AND restore_until IS NOT NULL))
);
-- The live voucher of an application (at most one: one open offer).
CREATE INDEX voucher_application ON voucher(application_id, status);
-- What the timed job looks at: the answers due, the restores due.
CREATE INDEX voucher_due ON voucher(status, consent_until) WHERE status IN ('issued','confirmed');
CREATE INDEX voucher_restore_due ON voucher(restore_until)
  WHERE status = 'lapsed' AND restored_at IS NULL AND archived_at IS NULL;
-- The statistics count by district.
CREATE INDEX voucher_district ON voucher(district_id);

CREATE TRIGGER voucher_no_delete BEFORE DELETE ON voucher
BEGIN SELECT RAISE(ABORT, 'vouchers are never deleted'); END;
