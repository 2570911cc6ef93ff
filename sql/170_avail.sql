-- 170_avail.sql — an outbox message is handed to the gateway at most once.
--
-- A sender (a worker after its response, `kgctl tick`) claimed a message
-- by stamping claimed_at and counting the attempt, called the gateway and
-- then wrote sent_at; a claim older than Sms.ClaimSeconds was taken for a
-- sender that died and the message was sent again, so a sender killed
-- between the gateway's "accepted" and its own "sent" made the citizen
-- receive it twice. Now the hand-over is recorded before the call:
--   queued       waiting to be sent (again, after a gateway's refusal)
--   sending      handed over under handover_id (passed to the gateway),
--                its outcome not yet recorded
--   sent         the gateway accepted it (sent_at)
--   unconfirmed  handed over, and its sender died or the gateway did not
--                answer in time: it may or may not have gone out. Never
--                sent again by the service; listed for the operator
--                (README, "SMS").
-- A crash can lose the "sent" mark, never cause a second send.
ALTER TABLE notification ADD COLUMN state TEXT NOT NULL DEFAULT 'queued'
  CHECK (state IN ('queued', 'sending', 'sent', 'unconfirmed'));
ALTER TABLE notification ADD COLUMN handover_id TEXT;
UPDATE notification SET state = 'sent' WHERE sent_at IS NOT NULL;
-- Claimed and never marked: handed over by a sender that stopped.
UPDATE notification SET state = 'unconfirmed' WHERE sent_at IS NULL AND claimed_at IS NOT NULL;
CREATE INDEX notification_state ON notification(state, created_at) WHERE state <> 'sent';
