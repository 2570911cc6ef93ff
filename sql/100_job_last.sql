-- 100_job_last.sql — when a timed job that runs less often than the tick
-- (every minute) last ran: the sweep of stored files without a document
-- row (cgi-bin/lib/doc.h, doc_sweep) runs once in Files.SweepHours.
CREATE TABLE job_last (
  name TEXT PRIMARY KEY,
  at   INTEGER NOT NULL
) WITHOUT ROWID;
