-- 020_queue.sql — what the queue's screens need beyond 001.
--
-- The public search finds a child's applications by the child (any
-- status: the newest first), and the numbering counts a child's earlier
-- applications (the <n> of UO.<year>.<seq>.<n>).
CREATE INDEX application_child ON application(child_id, id);

-- Counters of the queue (status 'queued'), so that a position costs a
-- bounded number of row reads however long the queue is (see
-- cgi-bin/lib/queue.h): per category and language (also the statistics'
-- figures), per 32-day block of queue time, and per day of queue time.
-- Days are UTC days of queued_at (queued_at / 86400); a block is 32 such
-- days (day / 32). Triggers keep them: no code writes them.
CREATE TABLE queue_count (
  district_id INTEGER NOT NULL,
  group_year  INTEGER NOT NULL,
  rank        INTEGER NOT NULL,
  language    TEXT NOT NULL,
  n           INTEGER NOT NULL CHECK (n >= 0),
  PRIMARY KEY (district_id, group_year, rank, language)
) WITHOUT ROWID;

CREATE TABLE queue_block (
  district_id INTEGER NOT NULL,
  group_year  INTEGER NOT NULL,
  rank        INTEGER NOT NULL,
  block       INTEGER NOT NULL,
  n           INTEGER NOT NULL CHECK (n >= 0),
  PRIMARY KEY (district_id, group_year, rank, block)
) WITHOUT ROWID;

CREATE TABLE queue_day (
  district_id INTEGER NOT NULL,
  group_year  INTEGER NOT NULL,
  rank        INTEGER NOT NULL,
  day         INTEGER NOT NULL,
  n           INTEGER NOT NULL CHECK (n >= 0),
  PRIMARY KEY (district_id, group_year, rank, day)
) WITHOUT ROWID;

INSERT INTO queue_count(district_id, group_year, rank, language, n)
  SELECT district_id, group_year, benefit_rank, language, count(*) FROM application
  WHERE status = 'queued' GROUP BY 1, 2, 3, 4;
INSERT INTO queue_block(district_id, group_year, rank, block, n)
  SELECT district_id, group_year, benefit_rank, queued_at / 86400 / 32, count(*) FROM application
  WHERE status = 'queued' GROUP BY 1, 2, 3, 4;
INSERT INTO queue_day(district_id, group_year, rank, day, n)
  SELECT district_id, group_year, benefit_rank, queued_at / 86400, count(*) FROM application
  WHERE status = 'queued' GROUP BY 1, 2, 3, 4;

-- An application enters the queue (inserted as queued).
CREATE TRIGGER queue_count_ins AFTER INSERT ON application
  WHEN NEW.status = 'queued'
BEGIN
  INSERT INTO queue_count(district_id, group_year, rank, language, n)
    VALUES (NEW.district_id, NEW.group_year, NEW.benefit_rank, NEW.language, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
  INSERT INTO queue_block(district_id, group_year, rank, block, n)
    VALUES (NEW.district_id, NEW.group_year, NEW.benefit_rank, NEW.queued_at / 86400 / 32, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
  INSERT INTO queue_day(district_id, group_year, rank, day, n)
    VALUES (NEW.district_id, NEW.group_year, NEW.benefit_rank, NEW.queued_at / 86400, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- An update that touches the status or a key of the order takes the old
-- row out of the counters (if it was queued) and puts the new one in (if
-- it is queued): a refusal confirmed back to 'queued', a withdrawal, a
-- referral, a correction.
CREATE TRIGGER queue_count_upd_old AFTER UPDATE OF status, district_id, group_year, benefit, language, queued_at
  ON application WHEN OLD.status = 'queued'
BEGIN
  UPDATE queue_count SET n = n - 1 WHERE district_id = OLD.district_id AND group_year = OLD.group_year
    AND rank = OLD.benefit_rank AND language = OLD.language;
  UPDATE queue_block SET n = n - 1 WHERE district_id = OLD.district_id AND group_year = OLD.group_year
    AND rank = OLD.benefit_rank AND block = OLD.queued_at / 86400 / 32;
  UPDATE queue_day SET n = n - 1 WHERE district_id = OLD.district_id AND group_year = OLD.group_year
    AND rank = OLD.benefit_rank AND day = OLD.queued_at / 86400;
END;
CREATE TRIGGER queue_count_upd_new AFTER UPDATE OF status, district_id, group_year, benefit, language, queued_at
  ON application WHEN NEW.status = 'queued'
BEGIN
  INSERT INTO queue_count(district_id, group_year, rank, language, n)
    VALUES (NEW.district_id, NEW.group_year, NEW.benefit_rank, NEW.language, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
  INSERT INTO queue_block(district_id, group_year, rank, block, n)
    VALUES (NEW.district_id, NEW.group_year, NEW.benefit_rank, NEW.queued_at / 86400 / 32, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
  INSERT INTO queue_day(district_id, group_year, rank, day, n)
    VALUES (NEW.district_id, NEW.group_year, NEW.benefit_rank, NEW.queued_at / 86400, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER queue_count_del AFTER DELETE ON application
  WHEN OLD.status = 'queued'
BEGIN
  UPDATE queue_count SET n = n - 1 WHERE district_id = OLD.district_id AND group_year = OLD.group_year
    AND rank = OLD.benefit_rank AND language = OLD.language;
  UPDATE queue_block SET n = n - 1 WHERE district_id = OLD.district_id AND group_year = OLD.group_year
    AND rank = OLD.benefit_rank AND block = OLD.queued_at / 86400 / 32;
  UPDATE queue_day SET n = n - 1 WHERE district_id = OLD.district_id AND group_year = OLD.group_year
    AND rank = OLD.benefit_rank AND day = OLD.queued_at / 86400;
END;
