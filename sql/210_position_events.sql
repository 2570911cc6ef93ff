-- 210_position_events.sql — the events that move queue positions (issue 18,
-- cgi-bin/lib/domain/qhist.h): why a number moved, and the pace of referrals.
--
-- One row per change of the queue (status 'queued') of a district and group
-- year, written by triggers on application, so that no code path can forget
-- one. A row carries the application's key in the queue order before the
-- change (old_rank, old_at; NULL when it was not in this queue) and after it
-- (new_rank, new_at; NULL when it left). The key is (benefit_rank, queued_at,
-- application id), the order of cgi-bin/lib/domain/queue.h. The number of
-- applications ahead of any key K changes by [new before K] - [old before K].
--
-- cause:
--   registered     a new application entered the queue
--   returned       back to the queue (a refusal confirmed, a benefit not
--                  confirmed, a restored inactive application)
--   referred       left with a referral
--   withdrawn      left: withdrawn by the applicant
--   archived       left: archived for another reason (deadline, school age,
--                  voucher refused or lapsed)
--   left           left otherwise (inactive, deleted)
--   moved          moved to or from another district or group year
--   recategorised  its category changed while queued
--   redated        its queue time changed while queued
-- at is the application's updated_at of the change: the programs' clock.
-- language is the application's, for the pace of referrals per language.
--
-- The rows start empty: the history before this migration is not in the
-- history rows with the keys it needs. qh_start holds the moment recording
-- began; the pages say that positions before it are unknown.
CREATE TABLE position_event (
  id          INTEGER PRIMARY KEY,
  district_id INTEGER NOT NULL,
  group_year  INTEGER NOT NULL,
  at          INTEGER NOT NULL,
  app_id      INTEGER NOT NULL,
  cause       TEXT NOT NULL CHECK (cause IN ('registered','returned','referred','withdrawn','archived','left',
                                             'moved','recategorised','redated')),
  language    TEXT NOT NULL,
  old_rank    INTEGER,
  old_at      INTEGER,
  new_rank    INTEGER,
  new_at      INTEGER,
  CHECK ((old_rank IS NULL) = (old_at IS NULL) AND (new_rank IS NULL) = (new_at IS NULL)
         AND (old_rank IS NOT NULL OR new_rank IS NOT NULL))
);
-- A queue's events by time, covering what the counting reads.
CREATE INDEX position_event_queue ON position_event(district_id, group_year, at, old_rank, old_at, new_rank,
                                                    new_at, app_id, cause);
-- One application's own events (its own key over time).
CREATE INDEX position_event_app ON position_event(app_id, at);
-- The referrals of a queue and language by time (the pace of the wait).
CREATE INDEX position_event_referred ON position_event(district_id, group_year, language, at)
  WHERE cause = 'referred';
CREATE TRIGGER position_event_no_update BEFORE UPDATE ON position_event
BEGIN SELECT RAISE(ABORT, 'position events are append-only'); END;
CREATE TRIGGER position_event_no_delete BEFORE DELETE ON position_event
BEGIN SELECT RAISE(ABORT, 'position events are append-only'); END;

CREATE TABLE qh_start (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  at INTEGER NOT NULL
);
INSERT INTO qh_start(id, at) VALUES (1, unixepoch());

-- The queued applications of a queue per language in queue order: the
-- applications of one's language ahead (the wait estimate).
CREATE INDEX application_queue_lang ON application(district_id, group_year, language, benefit_rank, queued_at, id)
  WHERE status = 'queued';

CREATE TRIGGER position_event_ins AFTER INSERT ON application
  WHEN NEW.status = 'queued'
BEGIN
  INSERT INTO position_event(district_id, group_year, at, app_id, cause, language, new_rank, new_at)
    VALUES (NEW.district_id, NEW.group_year, NEW.updated_at, NEW.id, 'registered', NEW.language,
            NEW.benefit_rank, NEW.queued_at);
END;

-- Leaving a queue: the status is no longer 'queued', or the application
-- moved to another district or group year.
CREATE TRIGGER position_event_out AFTER UPDATE OF status, district_id, group_year ON application
  WHEN OLD.status = 'queued' AND (NEW.status <> 'queued' OR NEW.district_id <> OLD.district_id
                                  OR NEW.group_year <> OLD.group_year)
BEGIN
  INSERT INTO position_event(district_id, group_year, at, app_id, cause, language, old_rank, old_at)
    VALUES (OLD.district_id, OLD.group_year, NEW.updated_at, OLD.id,
            CASE WHEN NEW.status = 'queued' THEN 'moved'
                 WHEN NEW.status = 'referred' THEN 'referred'
                 WHEN NEW.status = 'archived' AND NEW.archive_reason = 'withdrawn' THEN 'withdrawn'
                 WHEN NEW.status = 'archived' THEN 'archived'
                 ELSE 'left' END,
            OLD.language, OLD.benefit_rank, OLD.queued_at);
END;

-- Entering a queue: back to 'queued', or moved in from another queue.
CREATE TRIGGER position_event_in AFTER UPDATE OF status, district_id, group_year ON application
  WHEN NEW.status = 'queued' AND (OLD.status <> 'queued' OR NEW.district_id <> OLD.district_id
                                  OR NEW.group_year <> OLD.group_year)
BEGIN
  INSERT INTO position_event(district_id, group_year, at, app_id, cause, language, new_rank, new_at)
    VALUES (NEW.district_id, NEW.group_year, NEW.updated_at, NEW.id,
            CASE WHEN OLD.status = 'queued' THEN 'moved' ELSE 'returned' END,
            NEW.language, NEW.benefit_rank, NEW.queued_at);
END;

-- A new key inside the same queue: a category or a queue time changed.
CREATE TRIGGER position_event_rekey AFTER UPDATE OF benefit, queued_at ON application
  WHEN OLD.status = 'queued' AND NEW.status = 'queued' AND NEW.district_id = OLD.district_id
       AND NEW.group_year = OLD.group_year
       AND (NEW.benefit_rank <> OLD.benefit_rank OR NEW.queued_at <> OLD.queued_at)
BEGIN
  INSERT INTO position_event(district_id, group_year, at, app_id, cause, language, old_rank, old_at, new_rank, new_at)
    VALUES (NEW.district_id, NEW.group_year, NEW.updated_at, NEW.id,
            CASE WHEN NEW.benefit_rank <> OLD.benefit_rank THEN 'recategorised' ELSE 'redated' END,
            NEW.language, OLD.benefit_rank, OLD.queued_at, NEW.benefit_rank, NEW.queued_at);
END;

CREATE TRIGGER position_event_del AFTER DELETE ON application
  WHEN OLD.status = 'queued'
BEGIN
  INSERT INTO position_event(district_id, group_year, at, app_id, cause, language, old_rank, old_at)
    VALUES (OLD.district_id, OLD.group_year, OLD.updated_at, OLD.id, 'left', OLD.language,
            OLD.benefit_rank, OLD.queued_at);
END;
