-- Parentage (ГБД ФЛ, the national register of persons): who may register a
-- child. gbd.h explains the lookup; guardian.h the requests of guardians
-- and other legal representatives the register does not show.

-- The local copy of the register (Gbd.Lookup = table), imported by support
-- (/admin/gbd, `kgctl gbd-import`): one row per child and representative.
CREATE TABLE gbd_person (
  child_iin          TEXT NOT NULL CHECK (length(child_iin) = 12 AND child_iin NOT GLOB '*[^0-9]*'),
  surname            TEXT NOT NULL CHECK (surname <> ''),
  name               TEXT NOT NULL CHECK (name <> ''),
  patronymic         TEXT NOT NULL DEFAULT '',
  birth_date         TEXT NOT NULL CHECK (birth_date = date(birth_date, '+0 days')),
  representative_iin TEXT NOT NULL CHECK (length(representative_iin) = 12 AND representative_iin NOT GLOB '*[^0-9]*'),
  relation           TEXT NOT NULL CHECK (relation IN ('mother','father','guardian','trustee','adoptive')),
  imported_at        INTEGER NOT NULL,
  PRIMARY KEY (child_iin, representative_iin)
) WITHOUT ROWID;

CREATE TABLE gbd_import (
  id          INTEGER PRIMARY KEY,
  at          INTEGER NOT NULL,
  actor_id    INTEGER REFERENCES account(id),
  filename    TEXT NOT NULL DEFAULT '',
  sha256      TEXT NOT NULL,
  -- replace: the file is the whole register (rows not in it are removed);
  -- refused: a replacing file with rejected lines changes nothing.
  mode        TEXT NOT NULL CHECK (mode IN ('add','replace')),
  status      TEXT NOT NULL CHECK (status IN ('done','refused')),
  lines       INTEGER NOT NULL,
  added       INTEGER NOT NULL,
  known       INTEGER NOT NULL,     -- rows already there (updated with the file's names)
  removed     INTEGER NOT NULL DEFAULT 0,
  rejected    INTEGER NOT NULL,
  report      TEXT NOT NULL DEFAULT ''   -- "line<TAB>code" per rejected line (no personal data)
);

-- A registration by a guardian (or another legal representative) whom the
-- register does not show: the form's data and a supporting document,
-- waiting for the education department of the district. Confirmed, it
-- becomes an application queued at created_at (application_id); refused,
-- it keeps the reviewer's reason. It is not in the queue meanwhile.
CREATE TABLE guardian_request (
  id               INTEGER PRIMARY KEY,
  applicant_id     INTEGER NOT NULL REFERENCES account(id),
  child_iin        TEXT NOT NULL CHECK (length(child_iin) = 12 AND child_iin NOT GLOB '*[^0-9]*'),
  child_surname    TEXT NOT NULL,
  child_name       TEXT NOT NULL,
  child_patronymic TEXT NOT NULL DEFAULT '',
  birth_date       TEXT NOT NULL CHECK (birth_date = date(birth_date, '+0 days')),
  sex              TEXT NOT NULL CHECK (sex IN ('M','F')),
  district_id      INTEGER NOT NULL REFERENCES district(id),
  group_year       INTEGER NOT NULL CHECK (group_year BETWEEN 2000 AND 2100),
  language         TEXT NOT NULL CHECK (language IN ('kk','ru','en')),
  benefit_ground   TEXT NOT NULL DEFAULT '',
  ddo1             INTEGER REFERENCES ddo(id),
  ddo2             INTEGER REFERENCES ddo(id),
  ddo3             INTEGER REFERENCES ddo(id),
  phone            TEXT NOT NULL,
  email            TEXT NOT NULL DEFAULT '',
  -- the supporting document of the representation (stored by doc_store)
  doc_sha256       TEXT NOT NULL CHECK (length(doc_sha256) = 64 AND doc_sha256 NOT GLOB '*[^0-9a-f]*'),
  doc_size         INTEGER NOT NULL CHECK (doc_size > 0),
  doc_mime         TEXT NOT NULL CHECK (doc_mime IN ('application/pdf','image/jpeg','image/png')),
  doc_name         TEXT NOT NULL,
  -- the benefit's document, when a ground is given
  benefit_sha256   TEXT CHECK (benefit_sha256 IS NULL OR length(benefit_sha256) = 64),
  benefit_size     INTEGER NOT NULL DEFAULT 0,
  benefit_mime     TEXT,
  benefit_name     TEXT,
  status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','confirmed','refused')),
  created_at       INTEGER NOT NULL,
  reviewer_id      INTEGER REFERENCES account(id),
  reason           TEXT NOT NULL DEFAULT '',
  decided_at       INTEGER,
  application_id   INTEGER REFERENCES application(id),
  signature_id     INTEGER REFERENCES signature(id),   -- the reviewer's EDS signature of the decision
  CHECK (CASE status WHEN 'pending' THEN decided_at IS NULL AND application_id IS NULL AND signature_id IS NULL
                     WHEN 'confirmed' THEN decided_at IS NOT NULL AND application_id IS NOT NULL AND signature_id IS NOT NULL
                     ELSE decided_at IS NOT NULL AND reason <> '' AND signature_id IS NOT NULL END)
);
-- One pending request per child in the whole region.
CREATE UNIQUE INDEX guardian_request_child_pending ON guardian_request(child_iin) WHERE status = 'pending';
CREATE INDEX guardian_request_applicant ON guardian_request(applicant_id, status);
CREATE INDEX guardian_request_district ON guardian_request(district_id, status, created_at);
-- The file sweep (doc.h) asks whether a stored file is still named.
CREATE INDEX guardian_request_doc ON guardian_request(doc_sha256);
CREATE INDEX guardian_request_benefit_doc ON guardian_request(benefit_sha256) WHERE benefit_sha256 IS NOT NULL;
