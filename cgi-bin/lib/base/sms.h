/*
 * sms.h — text messages to citizens' phones, and the outbox of
 * notifications.
 *
 * The gateway is chosen by the setting Sms.Gateway:
 *   spool    one file per message in Sms.Spool (demonstrations and tests,
 *            which read one-time codes from there): "To: +7...\n\n<text>\n",
 *            named so that the names sort in the order of sending;
 *   command  runs Sms.Command PHONE TEXT (no shell), how a hosting team
 *            plugs in its provider; exit status 0 means sent, another
 *            status not sent, no answer within Sms.CommandTimeoutMs (or
 *            a signal) an unknown outcome. An outbox message's hand-over
 *            id ("kg-ID-ATTEMPT") is in the environment as KG_SMS_ID, for
 *            a provider that takes an idempotency key.
 *
 * One-time codes are sent at once with sms_send (never stored in clear).
 * Notifications about an application (referral issued, deadline near,
 * annulment, decisions) are written to the outbox with notify_queue (the
 * domain's hist_notify, which adds the application's history row) in the
 * transaction of the change, so a rolled-back change sends nothing; the
 * request loop sends them after the response (notify_flush), and
 * `kgctl tick` retries what the gateway refused.
 *
 * AT MOST ONCE: a message's hand-over (state 'sending', sql/170) is
 * committed before the gateway is called, and its outcome after. A
 * message whose outcome was never recorded (its sender was killed) or is
 * unknown (the gateway did not answer) is marked 'unconfirmed' and never
 * sent again: a crash can lose the "sent" mark, never send twice.
 * Prefixes sms_, notify_.
 */
#ifndef KG_SMS_H
#define KG_SMS_H

/* Sends one message now. 0, or -1 when the gateway failed (logged without
 * the text). */
int sms_send(const char *phone, const char *text);

/* With sms_defer(1) (once, in a program's init) sms_send keeps the message
 * in the process's memory and returns 0; the request loop sends it right
 * after the response has left (notify_pending/notify_flush). Then the time
 * a response takes does not tell whether a message was sent: the login
 * screen uses it so that nobody can learn from the clock whether a phone
 * and IIN are in БМГ. A gateway failure is then only logged. */
void sms_defer(int on);

/* Queues a notification in the caller's transaction (application_id 0:
 * none). Returns the outbox row id, or -1. kind: a short code such as
 * "referral", "reminder", "annulled". */
long long notify_queue(long long application_id, const char *phone, const char *kind, const char *text);

/* Sends up to max queued notifications (oldest first; 0 = no limit) whose
 * attempts are below Sms.MaxAttempts, after marking 'unconfirmed' the
 * hand-overs older than Sms.ClaimSeconds that were never finished.
 * Returns how many were sent, -1 on a database error. */
int notify_flush(int max);

/* Did this process queue notifications since the last flush? The request
 * loop then flushes the outbox after the response, once no other request
 * waits (req_after), so a burst is answered first. */
int notify_pending(void);

/* Sends the messages sms_defer held (one-time codes), now. The request
 * loop calls it right after every response. Returns how many. */
int sms_send_deferred(void);

#endif
