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

#include <stddef.h>

#include "base/actor.h"
#include "base/util.h"

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

/* ---- published heads (issue 18, item 4) ----
 * Once a day the tick publishes the head of the chain: the day (local
 * date), the row count and the hash of the row at that count, signed by
 * the service's own key (Audit.SigningKey, a PEM private key, with its
 * certificate Audit.SigningCert) as a detached CMS (DER, SHA-256, binary)
 * over the head's text (audit_head_text). Anyone who keeps a head can
 * later check a copy of the log against it: rewriting a row at or before
 * the count changes the chain's hash there, even when the rewriter
 * recomputed every later hash (kgctl audit-verify --heads FILE). */
struct audit_head {
	char day[11];             /* yyyy-mm-dd */
	long long count;
	unsigned char hash[32];
	unsigned char *cms;       /* DER (audit_heads_parse: malloc'd; audit_heads_free) */
	size_t cms_len;
	long long signed_at;
};

/* The signed text of a head: "kg-audit-head v1\nday=...\ncount=...\nhash=<64 hex>\n"
 * into out (at least 160 bytes). Returns its length. */
size_t audit_head_text(const struct audit_head *h, char out[160]);

/* Publishes today's head (the local day of now) when there is none yet and
 * a signing key is set: 1 published, 0 nothing to do (already published,
 * or no Audit.SigningKey), -1 on an error (a key or certificate that
 * cannot be read is one: logged). The job "audit_head" of `kgctl tick`. */
int audit_publish_head(long long now);

/* Calls fn for each published head, newest first (h->cms points into the
 * row: valid during the call). Returns how many, or -1. */
int audit_heads_each(void (*fn)(void *arg, const struct audit_head *h), void *arg);

/* The published heads as CSV (what /audit/heads.csv serves and what
 * audit-verify --heads reads): a head row "day;count;hash;signed_at;cms",
 * then one row per head, newest first: hash in hex, signed_at in seconds,
 * cms the detached CMS in base64. CRLF. Appends to out. 0 or -1. */
int audit_heads_csv(struct buf *out);

/* Reads such a CSV (pure): at most max heads into out, the head row
 * skipped, blank lines ignored. Returns how many, or -1 with the 1-based
 * line number of the first bad line in *bad_line. Free with
 * audit_heads_free. */
int audit_heads_parse(const char *text, struct audit_head *out, int max, int *bad_line);
void audit_heads_free(struct audit_head *h, int n);

/* Does h's signature verify: a CMS over audit_head_text(h) by the
 * certificate of cert_file (or a certificate chaining to one of its
 * certificates; time not checked: an old head stays checkable)? 1 yes, 0
 * no (why says why, in English), -1 when cert_file cannot be read. */
int audit_head_signed(const struct audit_head *h, const char *cert_file, char *why, size_t wn);

/* Recomputes the chain from its first row and compares it, at each head's
 * count, with the head's hash. Returns 0 when every head matches and the
 * chain is intact up to the largest count; else the 1-based index in
 * heads of the first head that does not match (or whose count is beyond
 * the log), or -1 on a database error. *broken_row: the id of the first
 * row where the stored chain breaks (0 if none before the last head). */
int audit_heads_match(const struct audit_head *heads, int n, long long *broken_row);

#endif
