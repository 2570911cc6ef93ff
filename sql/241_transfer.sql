-- 241_transfer.sql — transfers of enrolled children to another DDO (issue
-- 17 item 5; cgi-bin/lib/domain/transfer.h has the model).
--
-- A transfer request is an application row of its own with transfer_of =
-- the enrolled application it would replace: status 'queued' while it
-- waits, then referred, documents, enrolled like any application. The
-- child stays enrolled (the old row 'enrolled') until the new DDO accepts
-- it; then the old enrollment ends with the reason «перевод».
ALTER TABLE application ADD COLUMN transfer_of INTEGER REFERENCES application(id);

-- One active application per child still, except that a pending transfer
-- request lives beside the enrolled application: the request is counted
-- with the first index once it is itself enrolled (the old one has then
-- departed), and at most one request is pending per child.
DROP INDEX application_child_active;
CREATE UNIQUE INDEX application_child_active ON application(child_id)
  WHERE status NOT IN ('archived','departed') AND (transfer_of IS NULL OR status = 'enrolled');
CREATE UNIQUE INDEX application_child_transfer ON application(child_id)
  WHERE status NOT IN ('archived','departed','enrolled') AND transfer_of IS NOT NULL;
-- The pending requests of a key in their queue order (offer_fill's
-- fourth category, tr_next_candidate): few rows, whatever the queue's length.
CREATE INDEX application_transfer_queue ON application(district_id, group_year, language, queued_at, id)
  WHERE status = 'queued' AND transfer_of IS NOT NULL;

-- An offer to a transfer request has the category 'transfer' (offers are
-- counted by category for the interleave of first-priority and ordinary
-- applicants, which transfers stay out of). Widening a CHECK changes
-- nothing stored, so the table's text is edited in place as in 200.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql,
    'category IN (''out_of_turn'',''first_priority'',''none'')',
    'category IN (''out_of_turn'',''first_priority'',''none'',''transfer'')')
  WHERE type = 'table' AND name = 'offer';
PRAGMA writable_schema = OFF;
