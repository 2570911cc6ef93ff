/*
 * guardian.h — registrations by a guardian, trustee or another legal
 * representative whom the register of persons (gbd.h) does not show for
 * the child (DOMAIN.md, "Parentage"). The applicant submits the form with
 * a supporting document; the request is not in the queue. The education
 * department of the request's district (a reviewer of that district)
 * confirms it, and the child is queued with the date of the request, or
 * refuses it with a reason. The parent is told by SMS either way and sees
 * the request and its outcome on «Мои заявления».
 *
 * While a request for a child is pending, no one else may register that
 * child or ask for it (queue_admissible), and the request counts towards
 * the applicant's cap. Prefix guardian_.
 */
#ifndef KG_GUARDIAN_H
#define KG_GUARDIAN_H

#include <stddef.h>

#include "base/actor.h"
#include "base/sign.h"
#include "domain/queue.h"

/* The supporting document, already stored by doc_store. */
struct guardian_doc {
	const char *sha, *mime, *name;
	size_t size;
};

/* Submits a request in one transaction: queue_admissible (the child free,
 * the applicant below the cap), the request row with the form's data
 * (in: as for queue_register; its benefit document kept for the
 * confirmation) and the document, and an audit row. Returns QUEUE_OK with
 * *id; QUEUE_DUPLICATE, QUEUE_PENDING (number filled) or QUEUE_CAP (nothing
 * written); QUEUE_FAILED on a database error. */
int guardian_submit(struct actor who, const struct queue_reg *in, const struct guardian_doc *doc, long long *id,
		    char number[32]);

enum guardian_err {
	GUARDIAN_OK,
	GUARDIAN_NOT_FOUND,  /* no such request in the reviewer's districts */
	GUARDIAN_DECIDED,    /* it is no longer pending */
	GUARDIAN_BLOCKED,    /* confirm: the child was queued meanwhile, or the cap (queue_admissible) */
	GUARDIAN_SIGNATURE,  /* the EDS signature is refused (*msg_key says why): nothing written */
	GUARDIAN_FAILED,     /* database error: nothing written */
	GUARDIAN__MAX
};

/* The action a decision's EDS challenge names (esig.h): "guardian_confirm"
 * or "guardian_refuse". */
const char *guardian_sign_action(int confirm);

/* The reviewer's decision, in one transaction. It is signed with EDS: p
 * is the screen's verified proof (esig_verify) of the challenge of
 * guardian_sign_action(confirm) for this request, by the reviewer; it is
 * recorded (sigrec_store) with the decision. confirm: queue_register_tx
 * with the request's data, queued at the request's creation time; the
 * history says the education department confirmed the representation
 * (event 'guardian_confirmed', p1 the request's id, p2 the reason text).
 * refuse: status refused with the reason. Either way the request records
 * reviewer, reason and time, an SMS goes to the request's phone (texts
 * L.Guardian.sms_confirmed / sms_refused in the applicant's language,
 * acct_lang) and an audit row is
 * written. reason: required text (the screen checks it is not empty).
 * number: the new application's number when confirmed. */
enum guardian_err guardian_decide(struct actor who, long long id, int confirm, const char *reason,
				  const struct sign_proof *p, const char **msg_key, char number[32]);

#endif
