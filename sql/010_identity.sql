-- 010_identity.sql — what logging in and the support screen keep besides
-- the accounts themselves.

-- A login half done, bound to the visitor's (anonymous) session:
--   eds       the certificate was verified (signature_id); the page shows
--             the owner's IIN and name (seed 000, figure 7) and waits for
--             «Войти» or «Отмена»;
--   password  the one-time password given by support was right; the
--             account must choose its own password before it gets a
--             session (account.pw_must_change).
-- Rows live minutes; `kgctl tick` deletes stale ones.
CREATE TABLE login_pending (
  session_id   INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL CHECK (kind IN ('eds','password')),
  account_id   INTEGER REFERENCES account(id),
  signature_id INTEGER REFERENCES signature(id),
  -- who: from the certificate (eds) or the account (password)
  iin          TEXT NOT NULL CHECK (length(iin) = 12 AND iin NOT GLOB '*[^0-9]*'),
  surname      TEXT NOT NULL DEFAULT '',
  name         TEXT NOT NULL DEFAULT '',
  patronymic   TEXT NOT NULL DEFAULT '',
  organization TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL,
  CHECK ((kind = 'eds') = (signature_id IS NOT NULL)),
  CHECK (kind = 'eds' OR account_id IS NOT NULL)
);
CREATE INDEX login_pending_created ON login_pending(created_at);

-- Every БМГ import by support, with its report (rejected lines), shown
-- once after the upload and kept for the record.
CREATE TABLE bmg_import (
  id          INTEGER PRIMARY KEY,
  at          INTEGER NOT NULL,
  actor_id    INTEGER REFERENCES account(id),
  filename    TEXT NOT NULL DEFAULT '',
  sha256      TEXT NOT NULL,
  -- replace: the file is the whole registry (pairs not in it are removed);
  -- refused: a replacing file with rejected lines changes nothing.
  mode        TEXT NOT NULL CHECK (mode IN ('add','replace')),
  status      TEXT NOT NULL CHECK (status IN ('done','refused')),
  lines       INTEGER NOT NULL,
  added       INTEGER NOT NULL,
  known       INTEGER NOT NULL,
  removed     INTEGER NOT NULL DEFAULT 0,
  rejected    INTEGER NOT NULL,
  report      TEXT NOT NULL DEFAULT ''   -- "line<TAB>code" per rejected line (no personal data)
);

-- Lists of the support screen.
CREATE INDEX account_staff_name ON account(surname, name) WHERE roles > 1;
CREATE INDEX ddo_name ON ddo(name_ru);
CREATE INDEX audit_action ON audit(action, id);

-- Session ids are rowids and SQLite hands a deleted row's id out again when
-- it was the largest. Whatever was bound to a session (a login half done, a
-- signing challenge, a one-time code) must therefore end with the session,
-- or a later visitor who gets the same id would inherit it.
CREATE TRIGGER session_bound_state_ends AFTER DELETE ON session
BEGIN
  DELETE FROM login_pending WHERE session_id = OLD.id;
  UPDATE challenge SET used_at = coalesce(used_at, -1) WHERE session_id = OLD.id AND used_at IS NULL;
  UPDATE otp SET used_at = coalesce(used_at, -1) WHERE session_id = OLD.id AND used_at IS NULL;
END;
