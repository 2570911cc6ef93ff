/*
 * audit.h — the hash-chained audit log.
 *
 * Each row's hash is SHA-256 over the previous row's hash and the row's
 * canonical content (fields joined by 0x1F), so removing, reordering or
 * editing a row breaks the chain from there on; triggers also refuse
 * UPDATE and DELETE. Write the audit row in the same transaction as the
 * change it records (audit_write joins the open transaction, or opens its
 * own for events with no other change, such as a refused login). IINs in
 * details are masked; never put secrets in details. Prefix audit_.
 */
#ifndef KG_AUDIT_H
#define KG_AUDIT_H

#include "base/actor.h"

/* Appends a row. actor_role: "citizen", "staff", "reviewer", "support",
 * "system" or "anonymous". outcome: "ok" or a refusal code. Returns 0/-1. */
int audit_log(long long actor_id, const char *actor_role, const char *ip, const char *action,
	      const char *object_type, long long object_id, const char *outcome, const char *details);
/* The same for an actor (req_actor gives the request's). */
int audit_act(struct actor a, const char *action, const char *object_type, long long object_id,
	      const char *outcome, const char *details);
/* Recomputes the chain. Returns 0 when intact, else the id of the first
 * bad row (and -1 on a database error). */
long long audit_verify(void);

#endif
