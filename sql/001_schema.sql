-- 001_schema.sql — the whole domain of the kindergarten queue.
-- Dates are checked with date(x, '+0 days'), which normalises 30 February
-- to 2 March (plain date(x) passes it through unchanged).
--
-- Times are INTEGER seconds since the epoch (UTC); calendar dates are TEXT
-- 'yyyy-mm-dd'. Closed sets are TEXT with a CHECK. The rules that must never
-- break live here as constraints and triggers, so a bug in one screen
-- cannot break them:
--   * a published free-place record is never edited (only its free count
--     moves, and only through referrals) and never deleted;
--   * the free count equals total minus the referrals holding a place;
--   * a child has at most one active application in the region;
--   * the audit log, the history and the signatures are append-only.
-- Applied by `kgctl migrate` (PRAGMA user_version tracks the number).

-- ---------------------------------------------------------------- places
CREATE TABLE region (
  id      INTEGER PRIMARY KEY,                 -- KATO region code (Akmola: 11)
  name_ru TEXT NOT NULL,
  name_kk TEXT NOT NULL
);

CREATE TABLE district (
  id        INTEGER PRIMARY KEY,               -- KATO prefix, e.g. 1110 Кокшетау
  region_id INTEGER NOT NULL REFERENCES region(id),
  kind      TEXT NOT NULL CHECK (kind IN ('city','district')),
  name_ru   TEXT NOT NULL,
  name_kk   TEXT NOT NULL,
  sort      INTEGER NOT NULL
);
CREATE INDEX district_region ON district(region_id, sort);

-- -------------------------------------------------------------- accounts
-- roles is a bit set: 1 citizen, 2 DDO staff, 4 reviewer (education
-- department), 8 support.
CREATE TABLE account (
  id             INTEGER PRIMARY KEY,
  iin            TEXT NOT NULL UNIQUE CHECK (length(iin) = 12 AND iin NOT GLOB '*[^0-9]*'),
  surname        TEXT NOT NULL,
  name           TEXT NOT NULL,
  patronymic     TEXT NOT NULL DEFAULT '',
  roles          INTEGER NOT NULL DEFAULT 1 CHECK (roles BETWEEN 0 AND 15),
  phone          TEXT NOT NULL DEFAULT '',
  email          TEXT NOT NULL DEFAULT '',
  pw_hash        TEXT,                          -- Argon2id encoded string (carries its parameters)
  pw_must_change INTEGER NOT NULL DEFAULT 0 CHECK (pw_must_change IN (0,1)),
  active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);

CREATE TABLE ddo (
  id          INTEGER PRIMARY KEY,
  district_id INTEGER NOT NULL REFERENCES district(id),
  kind        TEXT NOT NULL CHECK (kind IN ('state','private_subsidised','mini_centre')),
  name_ru     TEXT NOT NULL CHECK (length(name_ru) BETWEEN 1 AND 300),
  name_kk     TEXT NOT NULL CHECK (length(name_kk) BETWEEN 1 AND 300),
  address     TEXT NOT NULL,
  phone       TEXT NOT NULL,
  website     TEXT NOT NULL DEFAULT '',
  bin         TEXT CHECK (bin IS NULL OR (length(bin) = 12 AND bin NOT GLOB '*[^0-9]*')),
  owner_iin   TEXT NOT NULL CHECK (length(owner_iin) = 12 AND owner_iin NOT GLOB '*[^0-9]*'),
  owner_phone TEXT NOT NULL,
  owner_email TEXT NOT NULL,
  capacity    INTEGER NOT NULL DEFAULT 0 CHECK (capacity BETWEEN 0 AND 100000),
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX ddo_district ON ddo(district_id, kind);

CREATE TABLE ddo_staff (
  account_id INTEGER NOT NULL REFERENCES account(id),
  ddo_id     INTEGER NOT NULL REFERENCES ddo(id),
  since      INTEGER NOT NULL,
  PRIMARY KEY (account_id, ddo_id)
) WITHOUT ROWID;
CREATE INDEX ddo_staff_ddo ON ddo_staff(ddo_id);

CREATE TABLE reviewer_district (
  account_id  INTEGER NOT NULL REFERENCES account(id),
  district_id INTEGER NOT NULL REFERENCES district(id),
  since       INTEGER NOT NULL,
  PRIMARY KEY (account_id, district_id)
) WITHOUT ROWID;
CREATE INDEX reviewer_district_district ON reviewer_district(district_id);

-- БМГ: the national registry of phone numbers bound to IINs (a local copy
-- imported by support; a deployment may replace the lookup).
CREATE TABLE bmg (
  phone       TEXT NOT NULL CHECK (phone GLOB '+7[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'),
  iin         TEXT NOT NULL CHECK (length(iin) = 12 AND iin NOT GLOB '*[^0-9]*'),
  imported_at INTEGER NOT NULL,
  PRIMARY KEY (phone, iin)
) WITHOUT ROWID;

-- ----------------------------------------------------------- the queue
CREATE TABLE child (
  id         INTEGER PRIMARY KEY,
  iin        TEXT NOT NULL UNIQUE CHECK (length(iin) = 12 AND iin NOT GLOB '*[^0-9]*'),
  surname    TEXT NOT NULL,
  name       TEXT NOT NULL,
  patronymic TEXT NOT NULL DEFAULT '',
  birth_date TEXT NOT NULL CHECK (birth_date = date(birth_date, '+0 days')),
  sex        TEXT NOT NULL CHECK (sex IN ('M','F')),
  created_at INTEGER NOT NULL
);

-- Application numbers UO.<year>.<6-digit sequence>.<n>: the sequence per year.
CREATE TABLE app_seq (
  year INTEGER PRIMARY KEY,
  last INTEGER NOT NULL CHECK (last >= 0)
);

CREATE TABLE application (
  id             INTEGER PRIMARY KEY,
  number         TEXT NOT NULL UNIQUE,
  child_id       INTEGER NOT NULL REFERENCES child(id),
  applicant_id   INTEGER NOT NULL REFERENCES account(id),
  district_id    INTEGER NOT NULL REFERENCES district(id),
  group_year     INTEGER NOT NULL CHECK (group_year BETWEEN 2000 AND 2100),
  language       TEXT NOT NULL CHECK (language IN ('kk','ru','en')),
  benefit        TEXT NOT NULL CHECK (benefit IN ('none','first_priority','out_of_turn')),
  -- 0 out of turn, 1 first priority, 2 none: the first key of the queue order.
  benefit_rank   INTEGER GENERATED ALWAYS AS
                   (CASE benefit WHEN 'out_of_turn' THEN 0 WHEN 'first_priority' THEN 1 ELSE 2 END) VIRTUAL,
  benefit_ground TEXT NOT NULL DEFAULT '',      -- the category's legal ground (code)
  ddo1           INTEGER REFERENCES ddo(id),
  ddo2           INTEGER REFERENCES ddo(id),
  ddo3           INTEGER REFERENCES ddo(id),
  phone          TEXT NOT NULL,
  email          TEXT NOT NULL DEFAULT '',
  status         TEXT NOT NULL CHECK (status IN
                   ('queued','referred','docs_submitted','enrolled','refusal_review','departed','archived')),
  archive_reason TEXT CHECK (archive_reason IN ('withdrawn','deadline','departed')),
  queued_at      INTEGER NOT NULL,              -- the queue date: kept when a refusal is confirmed
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  CHECK (CASE status WHEN 'archived' THEN archive_reason IN ('withdrawn','deadline')
                     WHEN 'departed' THEN archive_reason = 'departed'
                     ELSE archive_reason IS NULL END)
);
-- One active application per child in the whole region.
CREATE UNIQUE INDEX application_child_active ON application(child_id)
  WHERE status NOT IN ('archived','departed');
-- The queue order (per district and group year): category, queue time, id.
CREATE INDEX application_queue ON application(district_id, group_year, benefit_rank, queued_at, id)
  WHERE status = 'queued';
CREATE INDEX application_applicant ON application(applicant_id, status);
CREATE INDEX application_district_status ON application(district_id, status, group_year);

-- ----------------------------------------------------- free places base
CREATE TABLE free_place (
  id           INTEGER PRIMARY KEY,
  ddo_id       INTEGER NOT NULL REFERENCES ddo(id),
  district_id  INTEGER NOT NULL REFERENCES district(id),  -- the DDO's, kept for the district list
  group_year   INTEGER NOT NULL CHECK (group_year BETWEEN 2000 AND 2100),
  language     TEXT NOT NULL CHECK (language IN ('kk','ru','en')),
  total        INTEGER NOT NULL CHECK (total BETWEEN 1 AND 1000),
  free         INTEGER NOT NULL CHECK (free BETWEEN 0 AND total),
  created_by   INTEGER NOT NULL REFERENCES account(id),
  created_at   INTEGER NOT NULL,
  window_until INTEGER NOT NULL,   -- end of the priority window (benefit holders only until then)
  status       TEXT NOT NULL CHECK (status IN ('waiting','free_choice','exhausted'))
);
CREATE INDEX free_place_district ON free_place(district_id, created_at);
CREATE INDEX free_place_match ON free_place(district_id, group_year, language, free);
CREATE INDEX free_place_ddo ON free_place(ddo_id, created_at);

CREATE TRIGGER free_place_immutable BEFORE UPDATE ON free_place
  WHEN NEW.ddo_id IS NOT OLD.ddo_id OR NEW.district_id IS NOT OLD.district_id
    OR NEW.group_year IS NOT OLD.group_year OR NEW.language IS NOT OLD.language
    OR NEW.total IS NOT OLD.total OR NEW.created_by IS NOT OLD.created_by
    OR NEW.created_at IS NOT OLD.created_at OR NEW.window_until IS NOT OLD.window_until
BEGIN
  SELECT RAISE(ABORT, 'a saved free-place record cannot be edited');
END;
CREATE TRIGGER free_place_no_delete BEFORE DELETE ON free_place
BEGIN
  SELECT RAISE(ABORT, 'a saved free-place record cannot be deleted');
END;
-- A new record starts with all its places free.
CREATE TRIGGER free_place_insert_full BEFORE INSERT ON free_place
  WHEN NEW.free <> NEW.total
BEGIN
  SELECT RAISE(ABORT, 'a new free-place record starts with free = total');
END;

-- ------------------------------------------------------------ signatures
-- Challenges: what the server asked to sign (a random login challenge or
-- the canonical text of an action), single-use, expiring.
CREATE TABLE challenge (
  id         INTEGER PRIMARY KEY,
  nonce      TEXT NOT NULL UNIQUE,
  session_id INTEGER NOT NULL,
  account_id INTEGER REFERENCES account(id),
  purpose    TEXT NOT NULL CHECK (purpose IN ('auth','action')),
  action     TEXT NOT NULL,
  object_id  INTEGER,
  content    BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER
);
CREATE INDEX challenge_session ON challenge(session_id, action);

-- Every accepted signature, stored with the change it authorises.
CREATE TABLE signature (
  id          INTEGER PRIMARY KEY,
  account_id  INTEGER REFERENCES account(id),
  method      TEXT NOT NULL CHECK (method IN ('eds','otp')),
  purpose     TEXT NOT NULL CHECK (purpose IN ('auth','action')),
  action      TEXT NOT NULL,
  object_type TEXT NOT NULL DEFAULT '',
  object_id   INTEGER,
  content     BLOB NOT NULL,      -- exactly the bytes that were signed
  cms         BLOB,
  cert        BLOB,
  signer_iin  TEXT,
  signer_bin  TEXT,
  cert_serial TEXT,
  cert_issuer TEXT,
  otp_phone   TEXT,
  signed_at   INTEGER NOT NULL,
  CHECK (method = 'otp' OR (cms IS NOT NULL AND cert IS NOT NULL AND signer_iin IS NOT NULL))
);
CREATE INDEX signature_object ON signature(object_type, object_id);
CREATE TRIGGER signature_no_update BEFORE UPDATE ON signature
BEGIN SELECT RAISE(ABORT, 'signatures are append-only'); END;
CREATE TRIGGER signature_no_delete BEFORE DELETE ON signature
BEGIN SELECT RAISE(ABORT, 'signatures are append-only'); END;

-- ------------------------------------------------------------- referrals
CREATE TABLE referral (
  id                INTEGER PRIMARY KEY,
  number            TEXT NOT NULL UNIQUE CHECK (length(number) = 10 AND number NOT GLOB '*[^0-9]*'),
  application_id    INTEGER NOT NULL REFERENCES application(id),
  free_place_id     INTEGER NOT NULL REFERENCES free_place(id),
  ddo_id            INTEGER NOT NULL REFERENCES ddo(id),
  status            TEXT NOT NULL CHECK (status IN
                      ('issued','docs_submitted','enrolled','refused','must_enroll','annulled','refusal_confirmed')),
  voucher           TEXT NOT NULL DEFAULT 'active' CHECK (voucher IN ('active','bound','annulled')),
  issued_at         INTEGER NOT NULL,
  deadline_at       INTEGER NOT NULL,
  reminded_at       INTEGER,
  docs_submitted_at INTEGER,
  contract_signature_id INTEGER REFERENCES signature(id),
  closed_at         INTEGER
);
-- One live referral per application.
CREATE UNIQUE INDEX referral_application_live ON referral(application_id)
  WHERE status NOT IN ('annulled','refusal_confirmed');
CREATE INDEX referral_ddo ON referral(ddo_id, status);
CREATE INDEX referral_deadline ON referral(deadline_at) WHERE status = 'issued';
CREATE INDEX referral_place ON referral(free_place_id);

-- The free count moves only through referrals: a new referral takes a
-- place (the CHECK free >= 0 refuses the last+1), an annulled referral or
-- a confirmed refusal gives it back.
CREATE TRIGGER referral_takes_place AFTER INSERT ON referral
BEGIN
  UPDATE free_place SET free = free - 1 WHERE id = NEW.free_place_id;
END;
CREATE TRIGGER referral_returns_place AFTER UPDATE OF status ON referral
  WHEN OLD.status NOT IN ('annulled','refusal_confirmed')
   AND NEW.status IN ('annulled','refusal_confirmed')
BEGIN
  UPDATE free_place SET free = free + 1 WHERE id = NEW.free_place_id;
END;
CREATE TRIGGER referral_final BEFORE UPDATE ON referral
  WHEN OLD.status IN ('annulled','refusal_confirmed')
    OR NEW.free_place_id IS NOT OLD.free_place_id
    OR NEW.application_id IS NOT OLD.application_id
    OR NEW.number IS NOT OLD.number
BEGIN
  SELECT RAISE(ABORT, 'a closed referral cannot change');
END;
CREATE TRIGGER referral_no_delete BEFORE DELETE ON referral
BEGIN SELECT RAISE(ABORT, 'referrals are never deleted'); END;
-- The stored status of a record follows its free count.
CREATE TRIGGER free_place_exhausted AFTER UPDATE OF free ON free_place
  WHEN NEW.free = 0 AND NEW.status <> 'exhausted'
BEGIN
  UPDATE free_place SET status = 'exhausted' WHERE id = NEW.id;
END;

-- ---------------------------------------------------------- enrollment
CREATE TABLE enrollment (
  id                     INTEGER PRIMARY KEY,
  referral_id            INTEGER NOT NULL UNIQUE REFERENCES referral(id),
  application_id         INTEGER NOT NULL REFERENCES application(id),
  ddo_id                 INTEGER NOT NULL REFERENCES ddo(id),
  child_id               INTEGER NOT NULL REFERENCES child(id),
  enrolled_at            INTEGER NOT NULL,
  enrolled_by            INTEGER NOT NULL REFERENCES account(id),
  signature_id           INTEGER NOT NULL REFERENCES signature(id),
  departed_on            TEXT CHECK (departed_on IS NULL OR departed_on = date(departed_on, '+0 days')),
  departure_reason       TEXT,
  departed_by            INTEGER REFERENCES account(id),
  departure_signature_id INTEGER REFERENCES signature(id),
  departed_at            INTEGER,
  CHECK ((departed_on IS NULL) = (departure_reason IS NULL)),
  CHECK ((departed_on IS NULL) = (departure_signature_id IS NULL))
);
CREATE INDEX enrollment_ddo_current ON enrollment(ddo_id, enrolled_at) WHERE departed_on IS NULL;
CREATE UNIQUE INDEX enrollment_child_current ON enrollment(child_id) WHERE departed_on IS NULL;
CREATE INDEX enrollment_ddo_departed ON enrollment(ddo_id, departed_at) WHERE departed_on IS NOT NULL;
CREATE TRIGGER enrollment_departure_final BEFORE UPDATE ON enrollment
  WHEN OLD.departed_on IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a departure cannot be changed'); END;

-- Motivated refusals and their review by the education department.
CREATE TABLE refusal (
  id                  INTEGER PRIMARY KEY,
  referral_id         INTEGER NOT NULL REFERENCES referral(id),
  ddo_id              INTEGER NOT NULL REFERENCES ddo(id),
  district_id         INTEGER NOT NULL REFERENCES district(id),
  reason              TEXT NOT NULL CHECK (length(trim(reason)) > 0),
  refused_by          INTEGER NOT NULL REFERENCES account(id),
  refused_at          INTEGER NOT NULL,
  signature_id        INTEGER NOT NULL REFERENCES signature(id),
  status              TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','confirmed','rejected')),
  reviewer_id         INTEGER REFERENCES account(id),
  review_comment      TEXT,
  reviewed_at         INTEGER,
  review_signature_id INTEGER REFERENCES signature(id),
  CHECK ((status = 'pending') = (reviewed_at IS NULL)),
  CHECK (status = 'pending' OR (length(trim(review_comment)) > 0 AND review_signature_id IS NOT NULL))
);
CREATE UNIQUE INDEX refusal_pending_referral ON refusal(referral_id) WHERE status = 'pending';
CREATE INDEX refusal_pending_district ON refusal(district_id, refused_at) WHERE status = 'pending';
CREATE TRIGGER refusal_decided_final BEFORE UPDATE ON refusal
  WHEN OLD.status <> 'pending'
BEGIN SELECT RAISE(ABORT, 'a reviewed refusal cannot change'); END;

-- ------------------------------------------------------------ documents
-- Files live outside htdocs under the data directory, named by SHA-256.
CREATE TABLE document (
  id             INTEGER PRIMARY KEY,
  application_id INTEGER NOT NULL REFERENCES application(id),
  referral_id    INTEGER REFERENCES referral(id),
  kind           TEXT NOT NULL CHECK (kind IN
                   ('form065','form027','form052_2','benefit','referral','contract','decision','child_card')),
  origin         TEXT NOT NULL CHECK (origin IN ('applicant','system')),
  sha256         TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
  size           INTEGER NOT NULL CHECK (size > 0),
  mime           TEXT NOT NULL CHECK (mime IN ('application/pdf','image/jpeg','image/png')),
  filename       TEXT NOT NULL,
  number         TEXT,                 -- a generated document's number
  created_at     INTEGER NOT NULL,
  created_by     INTEGER REFERENCES account(id),
  replaced_at    INTEGER               -- an applicant's file replaced by a newer one
);
CREATE INDEX document_application ON document(application_id, origin, kind);
CREATE INDEX document_sha ON document(sha256);
CREATE UNIQUE INDEX document_current ON document(application_id, referral_id, kind)
  WHERE replaced_at IS NULL AND origin = 'applicant' AND kind <> 'benefit';

-- --------------------------------------------------- history and audit
-- The application's history, shown in the journal's История tab.
CREATE TABLE history (
  id             INTEGER PRIMARY KEY,
  application_id INTEGER NOT NULL REFERENCES application(id),
  at             INTEGER NOT NULL,
  actor_id       INTEGER REFERENCES account(id),
  actor_role     TEXT NOT NULL CHECK (actor_role IN ('citizen','staff','reviewer','support','system')),
  event          TEXT NOT NULL,
  p1             TEXT,
  p2             TEXT,
  p3             TEXT
);
CREATE INDEX history_application ON history(application_id, id);
CREATE TRIGGER history_no_update BEFORE UPDATE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER history_no_delete BEFORE DELETE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;

-- The audit log is hash-chained: hash = SHA-256(prev_hash || the row's
-- canonical content), written by the library in the same transaction as
-- the change it records; `kgctl audit-verify` recomputes the chain.
CREATE TABLE audit (
  id          INTEGER PRIMARY KEY,
  at          INTEGER NOT NULL,
  actor_id    INTEGER,
  actor_role  TEXT NOT NULL,
  ip          TEXT NOT NULL DEFAULT '',
  action      TEXT NOT NULL,
  object_type TEXT NOT NULL DEFAULT '',
  object_id   INTEGER,
  outcome     TEXT NOT NULL DEFAULT 'ok',
  details     TEXT NOT NULL DEFAULT '',
  prev_hash   BLOB NOT NULL CHECK (length(prev_hash) = 32),
  hash        BLOB NOT NULL UNIQUE CHECK (length(hash) = 32)
);
CREATE INDEX audit_object ON audit(object_type, object_id);
CREATE INDEX audit_actor ON audit(actor_id, at);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log cannot be edited'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log cannot be edited'); END;

-- ---------------------------------------------- sessions and sign-in
CREATE TABLE session (
  id          INTEGER PRIMARY KEY,
  token_hash  BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  account_id  INTEGER REFERENCES account(id),
  csrf        TEXT NOT NULL,
  auth_method TEXT CHECK (auth_method IN ('password','eds','otp')),
  otp_phone   TEXT,
  district_id INTEGER,
  created_at  INTEGER NOT NULL,
  seen_at     INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,     -- absolute expiry
  ip          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX session_seen ON session(seen_at);
CREATE INDEX session_account ON session(account_id);

-- One-time codes: stored hashed, expiring, with limited attempts.
CREATE TABLE otp (
  id         INTEGER PRIMARY KEY,
  phone      TEXT NOT NULL,
  iin        TEXT NOT NULL,
  purpose    TEXT NOT NULL DEFAULT 'login' CHECK (purpose IN ('login','sign')),
  code_hash  BLOB NOT NULL,
  session_id INTEGER,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  attempts   INTEGER NOT NULL DEFAULT 0,
  used_at    INTEGER
);
CREATE INDEX otp_phone ON otp(phone, created_at);
CREATE INDEX otp_session ON otp(session_id, created_at);

-- Events counted for rate limits (failed logins, code requests, searches).
CREATE TABLE rate_event (
  key TEXT NOT NULL,
  at  INTEGER NOT NULL
);
CREATE INDEX rate_event_key ON rate_event(key, at);

-- ------------------------------------------------------------- calendar
CREATE TABLE holiday (
  day     TEXT PRIMARY KEY CHECK (day = date(day, '+0 days')),
  kind    TEXT NOT NULL CHECK (kind IN ('holiday','day_off','work_day')),
  name_ru TEXT NOT NULL,
  name_kk TEXT NOT NULL
) WITHOUT ROWID;

-- --------------------------------------------------------- notifications
-- SMS outbox: written in the transaction of the change, sent after commit
-- and retried by `kgctl tick`.
CREATE TABLE notification (
  id             INTEGER PRIMARY KEY,
  application_id INTEGER REFERENCES application(id),
  phone          TEXT NOT NULL,
  kind           TEXT NOT NULL,
  text           TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  sent_at        INTEGER,
  attempts       INTEGER NOT NULL DEFAULT 0,
  last_error     TEXT
);
CREATE INDEX notification_unsent ON notification(created_at) WHERE sent_at IS NULL;

-- ----------------------------------------------------- cache versions
-- Public pages are rendered once and served from memory until the data
-- they show changes: these counters tell them.
CREATE TABLE data_version (
  name TEXT PRIMARY KEY,
  v    INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO data_version(name, v) VALUES ('queue', 0), ('places', 0), ('referrals', 0), ('ddo', 0), ('reference', 0);

CREATE TRIGGER dv_application_ins AFTER INSERT ON application
BEGIN UPDATE data_version SET v = v + 1 WHERE name = 'queue'; END;
CREATE TRIGGER dv_application_upd AFTER UPDATE ON application
BEGIN UPDATE data_version SET v = v + 1 WHERE name = 'queue'; END;
CREATE TRIGGER dv_free_place_ins AFTER INSERT ON free_place
BEGIN UPDATE data_version SET v = v + 1 WHERE name = 'places'; END;
CREATE TRIGGER dv_free_place_upd AFTER UPDATE ON free_place
BEGIN UPDATE data_version SET v = v + 1 WHERE name = 'places'; END;
CREATE TRIGGER dv_referral_ins AFTER INSERT ON referral
BEGIN UPDATE data_version SET v = v + 1 WHERE name = 'referrals'; END;
CREATE TRIGGER dv_referral_upd AFTER UPDATE ON referral
BEGIN UPDATE data_version SET v = v + 1 WHERE name = 'referrals'; END;
CREATE TRIGGER dv_ddo_ins AFTER INSERT ON ddo
BEGIN UPDATE data_version SET v = v + 1 WHERE name = 'ddo'; END;
CREATE TRIGGER dv_ddo_upd AFTER UPDATE ON ddo
BEGIN UPDATE data_version SET v = v + 1 WHERE name = 'ddo'; END;
CREATE TRIGGER dv_enrollment_ins AFTER INSERT ON enrollment
BEGIN UPDATE data_version SET v = v + 1 WHERE name = 'referrals'; END;
CREATE TRIGGER dv_enrollment_upd AFTER UPDATE ON enrollment
BEGIN UPDATE data_version SET v = v + 1 WHERE name = 'referrals'; END;
CREATE TRIGGER dv_holiday_ins AFTER INSERT ON holiday
BEGIN UPDATE data_version SET v = v + 1 WHERE name = 'reference'; END;
CREATE TRIGGER dv_holiday_upd AFTER UPDATE ON holiday
BEGIN UPDATE data_version SET v = v + 1 WHERE name = 'reference'; END;
CREATE TRIGGER dv_holiday_del AFTER DELETE ON holiday
BEGIN UPDATE data_version SET v = v + 1 WHERE name = 'reference'; END;
