-- 242_exchange.sql — two enrolled children swap their DDOs (issue 17 item
-- 6; cgi-bin/lib/domain/transfer.h, "Exchange").
--
-- Parent A proposes (by B's application number), parent B agrees, then the
-- staff of each DDO accepts with a signature; the second acceptance moves
-- both enrollments (enrollment.ddo_id swapped) in its transaction. A
-- refusal of either DDO, or either parent's cancellation, ends it and
-- nothing moves. ddo_a and ddo_b are where the children were.
CREATE TABLE exchange (
  id          INTEGER PRIMARY KEY,
  app_a       INTEGER NOT NULL REFERENCES application(id),
  app_b       INTEGER NOT NULL REFERENCES application(id),
  enr_a       INTEGER NOT NULL REFERENCES enrollment(id),
  enr_b       INTEGER NOT NULL REFERENCES enrollment(id),
  ddo_a       INTEGER NOT NULL REFERENCES ddo(id),
  ddo_b       INTEGER NOT NULL REFERENCES ddo(id),
  status      TEXT NOT NULL DEFAULT 'proposed'
                CHECK (status IN ('proposed','agreed','done','refused','cancelled')),
  proposed_at INTEGER NOT NULL,
  agreed_at   INTEGER,
  a_by        INTEGER REFERENCES account(id),     -- DDO A's acceptance
  a_sig       INTEGER REFERENCES signature(id),
  b_by        INTEGER REFERENCES account(id),     -- DDO B's acceptance
  b_sig       INTEGER REFERENCES signature(id),
  closed_by   INTEGER REFERENCES account(id),     -- who refused or cancelled
  closed_sig  INTEGER REFERENCES signature(id),
  closed_at   INTEGER,
  CHECK (app_a <> app_b AND ddo_a <> ddo_b),
  CHECK ((status IN ('done','refused','cancelled')) = (closed_at IS NOT NULL)),
  CHECK (status <> 'done' OR (a_sig IS NOT NULL AND b_sig IS NOT NULL))
);
CREATE INDEX exchange_app_a ON exchange(app_a, status);
CREATE INDEX exchange_app_b ON exchange(app_b, status);
CREATE INDEX exchange_ddo_a ON exchange(ddo_a, status);
CREATE INDEX exchange_ddo_b ON exchange(ddo_b, status);
-- A closed exchange stays as it is.
CREATE TRIGGER exchange_final BEFORE UPDATE ON exchange
  WHEN OLD.status IN ('done','refused','cancelled')
BEGIN
  SELECT RAISE(ABORT, 'a closed exchange cannot change');
END;
CREATE TRIGGER exchange_no_delete BEFORE DELETE ON exchange
BEGIN SELECT RAISE(ABORT, 'exchanges are never deleted'); END;
