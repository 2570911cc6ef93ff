-- 140_offers.sql — places offered in queue order (issue 16 item 2;
-- cgi-bin/lib/domain/offer.h has the rules).
--
-- An offer reserves one place of a free-place record in its priority
-- window for one applicant: until (the record's window_until) it alone may
-- take that place. category is the applicant's benefit when offered (the
-- interleave counts a record's offers by it).
CREATE TABLE offer (
  id             INTEGER PRIMARY KEY,
  place_id       INTEGER NOT NULL REFERENCES free_place(id),
  application_id INTEGER NOT NULL REFERENCES application(id),
  category       TEXT NOT NULL CHECK (category IN ('out_of_turn','first_priority','none')),
  offered_at     INTEGER NOT NULL,
  until          INTEGER NOT NULL,
  status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','accepted','declined','lapsed')),
  closed_at      INTEGER,
  CHECK ((status = 'open') = (closed_at IS NULL))
);
-- At most one open offer per application.
CREATE UNIQUE INDEX offer_open_application ON offer(application_id) WHERE status = 'open';
-- The open offers of a record (what reserves its places).
CREATE INDEX offer_open_place ON offer(place_id) WHERE status = 'open';
-- The offers of an application (the screens; "had an offer of this record").
CREATE INDEX offer_application ON offer(application_id, place_id);
-- Every offer of a record, by category (the interleave).
CREATE INDEX offer_place ON offer(place_id, category);
-- The open offers whose window is over (the timed lapse).
CREATE INDEX offer_open_until ON offer(until) WHERE status = 'open';

-- A closed offer stays as it is; an offer is never deleted.
CREATE TRIGGER offer_final BEFORE UPDATE ON offer
  WHEN OLD.status <> 'open' OR NEW.place_id IS NOT OLD.place_id OR NEW.application_id IS NOT OLD.application_id
BEGIN
  SELECT RAISE(ABORT, 'a closed offer cannot change');
END;
CREATE TRIGGER offer_no_delete BEFORE DELETE ON offer
BEGIN SELECT RAISE(ABORT, 'offers are never deleted'); END;

-- An application that leaves the queue (a referral elsewhere, a
-- withdrawal, an archiving, anything) loses its open offer at once, with
-- its history row, so no code path can forget it; the path that changed the status passes the
-- place on (offer_fill) in the same transaction, and the timed job
-- catches any it did not.
CREATE TRIGGER offer_lapse_on_status AFTER UPDATE OF status ON application
  WHEN NEW.status <> 'queued' AND OLD.status = 'queued'
BEGIN
  INSERT INTO history(application_id, at, actor_id, actor_role, event, p1, p2, p3)
    SELECT NEW.id, NEW.updated_at, NULL, 'system', 'offer_cancelled', d.name_ru, o.place_id, NULL
    FROM offer o JOIN free_place f ON f.id = o.place_id JOIN ddo d ON d.id = f.ddo_id
    WHERE o.application_id = NEW.id AND o.status = 'open';
  UPDATE offer SET status = 'lapsed', closed_at = NEW.updated_at WHERE application_id = NEW.id AND status = 'open';
END;
