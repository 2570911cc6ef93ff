-- 060_perf.sql — performance by design (the perf round).
--
-- A referral's PDF is made after the response of the choice (~6 ms of
-- CPU that the parent need not wait for, lib/referral.h): the referrals
-- whose PDF is still to be made, with the language of the page the parent
-- chose in. The worker that issued the referral makes it right after the
-- response; `kgctl tick` makes any still here (a worker that died in
-- between). Written in the choice's transaction, deleted in the PDF's.
CREATE TABLE referral_pdf_due (
  referral_id INTEGER PRIMARY KEY REFERENCES referral(id),
  lang        TEXT NOT NULL CHECK (lang IN ('ru','kk')),
  due_at      INTEGER NOT NULL
);
