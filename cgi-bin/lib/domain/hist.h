/*
 * hist.h — the history of an application (the journal's История tab).
 *
 * One row per change, written in the transaction of the change: when, who
 * (account and role), what (an event code shown through L.History.<event>,
 * with up to three parameters such as a referral number or a DDO name).
 * Prefix hist_.
 */
#ifndef KG_HIST_H
#define KG_HIST_H

/* actor_role: "citizen", "staff", "reviewer", "support" or "system".
 * Returns 0 or -1. */
int hist_add(long long application_id, long long actor_id, const char *actor_role, const char *event,
	     const char *p1, const char *p2, const char *p3);

/* Queues an SMS to the application's parent (sms.h's outbox) and writes
 * its history row "sms_<kind>" with the masked phone, in the caller's
 * transaction; application_id 0 (a message to a DDO) has no history.
 * Returns the outbox row id, or -1. */
long long hist_notify(long long application_id, const char *phone, const char *kind, const char *text);

#endif
