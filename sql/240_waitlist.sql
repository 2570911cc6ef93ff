-- 240_waitlist.sql — waiting lists of DDOs (issue 17 item 4;
-- cgi-bin/lib/domain/waitlist.h has the rules).
--
-- A queued application may be on the waiting lists of up to 3 DDOs of its
-- district. Being on a list changes nobody's turn: places are still offered
-- in queue order (offer.h); the list only tells its applicants when that
-- DDO publishes a record of their group year and language.
CREATE TABLE waitlist (
  application_id INTEGER NOT NULL REFERENCES application(id),
  ddo_id         INTEGER NOT NULL REFERENCES ddo(id),
  added_at       INTEGER NOT NULL,
  PRIMARY KEY (application_id, ddo_id)
) WITHOUT ROWID;
-- The list of a DDO (the notices, the cabinet's sizes).
CREATE INDEX waitlist_ddo ON waitlist(ddo_id);

-- The database refuses a fourth list, a DDO of another district and an
-- application that is not queued, whatever the screen does.
CREATE TRIGGER waitlist_cap BEFORE INSERT ON waitlist
  WHEN (SELECT count(*) FROM waitlist WHERE application_id = NEW.application_id) >= 3
BEGIN
  SELECT RAISE(ABORT, 'an application is on at most 3 waiting lists');
END;
CREATE TRIGGER waitlist_own_district BEFORE INSERT ON waitlist
  WHEN NOT EXISTS (SELECT 1 FROM application a JOIN ddo d ON d.district_id = a.district_id
                   WHERE a.id = NEW.application_id AND d.id = NEW.ddo_id AND a.status = 'queued')
BEGIN
  SELECT RAISE(ABORT, 'a waiting list is of a DDO of the queued application''s district');
END;
-- An application that leaves the queue (a referral, a withdrawal, an
-- archiving) leaves every list at once, so no code path can forget it.
CREATE TRIGGER waitlist_leave AFTER UPDATE OF status ON application
  WHEN OLD.status = 'queued' AND NEW.status <> 'queued'
BEGIN
  DELETE FROM waitlist WHERE application_id = NEW.id;
END;

-- What a list's applicants were told: a record of the DDO matching their
-- group year and language was published (SMS and «Мои заявления»). One
-- notice per application and record.
CREATE TABLE waitlist_notice (
  id             INTEGER PRIMARY KEY,
  application_id INTEGER NOT NULL REFERENCES application(id),
  place_id       INTEGER NOT NULL REFERENCES free_place(id),
  created_at     INTEGER NOT NULL,
  UNIQUE (application_id, place_id)
);
