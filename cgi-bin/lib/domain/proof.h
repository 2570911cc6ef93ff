/*
 * proof.h — signed decisions as evidence (issue 18, item 4): every
 * decision signed with EDS (a DDO's «Принять в ДДО» and «Отказать», the
 * education department's review of a refusal, a departure, the parent's
 * contract) can be downloaded with its CMS and the exact text that was
 * signed, and checked by anyone with OpenSSL against the trusted roots:
 *
 *   openssl cms -verify -binary -inform DER -in decision-N.p7s \
 *     -content decision-N.txt -CAfile roots.pem -purpose any -out /dev/null
 *
 * WHO MAY DOWNLOAD, checked in the query (journal.h's reader): the parent
 * of the application, the staff of the decision's DDO, the reviewers of
 * the application's district, support. Anyone else: not found. Prefix
 * proof_.
 */
#ifndef KG_PROOF_H
#define KG_PROOF_H

#include <stddef.h>

#include "domain/journal.h"

enum proof_kind { PROOF_ACCEPT, PROOF_REFUSAL, PROOF_REVIEW, PROOF_DEPARTURE, PROOF_CONTRACT, PROOF__MAX };
/* "accept", "refusal", "review", "departure", "contract", NULL */
extern const char *const proof_kind_names[PROOF__MAX + 1];

/* A signed decision. content and cms are malloc'd: proof_free. */
struct proof {
	long long id;               /* signature.id */
	enum proof_kind kind;
	long long application_id, signed_at;
	int eds;                    /* 1: an EDS signature (cms set); 0: a one-time code (text only) */
	unsigned char *content;     /* exactly the signed bytes */
	size_t content_len;
	unsigned char *cms;         /* DER */
	size_t cms_len;
};

/* Signature id if the reader may see it: 1 found, 0 not (or not
 * visible), -1 on an error. */
int proof_get(const struct jrn_reader *w, long long id, struct proof *out);
void proof_free(struct proof *p);

/* The signed decisions of an application the reader may see (the reader
 * must see the application), oldest first: fn for each (content and cms
 * not loaded). Returns how many, or -1. */
int proof_each(const struct jrn_reader *w, long long app_id, void (*fn)(void *arg, const struct proof *p), void *arg);

/* The signature of a decision: kind and its object (an enrollment for
 * accept and departure, a refusal for refusal and review, a referral for
 * contract); 0 when there is none (yet), -1 on an error. The screens that
 * show a decision link its files (/journal/sig/ID.p7s and .txt) with it;
 * the download checks who asks. */
long long proof_sig_of(enum proof_kind kind, long long object_id);

/* A CMS as stored (the base64 NCALayer sent, PEM, or DER) as DER (pure):
 * malloc'd into *der; 0, or -1 when it is not one CMS. */
int proof_der(const unsigned char *in, size_t n, unsigned char **der, size_t *der_len);

#endif
