/*
 * esig.h — signing an action or a login with EDS through NCALayer: the
 * server's half around the pure verification core (sign.h).
 *
 * 1. The page that offers a signed action asks for a challenge: the exact
 *    text the person signs, in words they can read (what, which child,
 *    which referral, which DDO), followed by a single-use code and the
 *    time. It is stored server-side, bound to the session, the action and
 *    the object, and expires after Eds.ChallengeTtlSeconds.
 *
 *      char nonce[44];
 *      const char *content = esig_challenge(r, "action", "accept", referral_id, text, nonce);
 *      esig_view(r, "Sign", content, nonce);   // Sign.challenge (base64), Sign.nonce, Sign.text
 *
 *    The template puts them on a <form data-eds data-eds-purpose="sign"
 *    data-eds-challenge="<?cs var:Sign.challenge ?>"> with a hidden field
 *    `nonce` (htdocs/js/ncalayer.js signs and adds the field `cms`).
 *
 * 2. The POST verifies and records, inside the transaction of the change
 *    it authorises, so that the signature is stored with the change and a
 *    rollback forgets both:
 *
 *      struct esig_result res;
 *      db_begin();
 *      if (esig_accept(r, nonce, cms, "action", "accept", referral_id, "referral",
 *                      r->s->iin, ddo_bin_or_NULL, &res) < 0) {
 *              db_rollback();
 *              audit_act(req_actor(r, ROLE_STAFF), "accept", "referral", id, sign_err_name(res.err), res.signer.detail);
 *              show view_t(r, res.msg_key) at the form;
 *      } else { ... the change, with res.signature_id ...; db_commit(); }
 *      esig_result_clear(&res);
 *
 *    A change the domain makes (a decision, a contract) is split in two
 *    halves instead: the screen verifies (esig_verify, below) and hands the
 *    proof to the domain, which records it with sigrec_store (base/sigrec.h)
 *    inside the change's transaction; esig_accept is those two halves in
 *    one call.
 *
 * A challenge is used once: a replay gets Eds.challenge_used, an old one
 * Eds.challenge_expired, one of another session, action or object
 * Eds.challenge_unknown. Every sign_err has its message under
 * L.Eds.<sign_err_name>. Prefix esig_.
 */
#ifndef KG_ESIG_H
#define KG_ESIG_H

#include "web/req.h"
#include "base/sign.h"

/* Creates a challenge in the request's session (which must exist).
 * purpose "auth" (login: text may be NULL, a random text is made) or
 * "action"; action is a short code ("login", "accept", "refuse",
 * "departure", "review", "contract"); object_id 0 when none. Returns the
 * exact content to sign (arena) and fills nonce; NULL on error (logged). */
const char *esig_challenge(struct req *r, const char *purpose, const char *action, long long object_id,
			   const char *text, char nonce[44]);

/* Puts <prefix>.challenge (base64 of content), <prefix>.nonce and
 * <prefix>.text into the view. */
void esig_view(struct req *r, const char *prefix, const char *content, const char *nonce);

struct esig_result {
	long long signature_id;    /* the stored signature row (on success) */
	enum sign_err err;         /* SIGN_OK, or why the CMS was refused */
	const char *msg_key;       /* lang key of the message for the person */
	struct sign_signer signer; /* who signed (on success; .detail always) */
};

/* Verifies the CMS (base64, as posted) against the challenge `nonce` of
 * this session, action and object; checks the signer is expect_iin (NULL:
 * anyone, for login, where the caller finds the account by
 * res->signer.iin) and, when expect_bin is given, an employee of that BIN;
 * then marks the challenge used and stores the signature (CMS,
 * certificate, IIN, BIN, serial, issuer, time, the signed content, the
 * object) — all in the caller's open transaction. Returns 0, or -1 with
 * res->err and res->msg_key set (nothing written). */
int esig_accept(struct req *r, const char *nonce, const char *cms, const char *purpose, const char *action,
		long long object_id, const char *object_type, const char *expect_iin, const char *expect_bin,
		struct esig_result *res);

/* The request's half of esig_accept, for a change the domain makes and
 * records (sigrec.h): checks that `nonce` is a challenge of this session
 * for this purpose, action and object, unused and unexpired, and verifies
 * the CMS (base64, as posted) over its content with the key usage of the
 * purpose. Writes nothing. Fills *p: p->err SIGN_OK, or why not with
 * p->msg_key; the person, the BIN and the single use of the challenge are
 * checked by sigrec_store in the transaction of the change. Returns 0 or
 * -1 (p->err). Always sign_signer_clear(&p->signer) afterwards.
 *
 *      struct sign_proof p;
 *      esig_verify(r, nonce, cms, "action", "accept", referral_id, &p);
 *      enum dec_err e = dec_accept(r->a, req_actor(r, ROLE_STAFF), r->lang, referral_id, &p, &res);
 *      sign_signer_clear(&p.signer);
 */
int esig_verify(struct req *r, const char *nonce, const char *cms, const char *purpose, const char *action,
		long long object_id, struct sign_proof *p);

/* Frees what a result holds (always call it). */
void esig_result_clear(struct esig_result *res);

/* Burns the challenge `nonce` of this session (marks it used), in a
 * transaction of its own (none may be open): a refused signature, or a
 * refused change it was for, leaves nothing to try again with. A missing
 * or used challenge is no error. */
void esig_burn(struct req *r, const char *nonce);

/* The message for a refused signed action: the reason (lang key) and the
 * request for a fresh signature (Eds.sign_again), in r's language. */
const char *esig_refusal_text(struct req *r, const char *msg_key);

/* The state of the revocation lists, for the health check:
 *	ok           loaded, every CRL within its nextUpdate;
 *	stale        loaded, but a CRL is past its nextUpdate (verifications
 *	             fail with Eds.crl until a fresh one is in place);
 *	unreadable   the CA or CRL file cannot be loaded (missing, garbage,
 *	             Eds.CrlFile unset): every signature is refused;
 *	rolled_back  a CRL's number is lower than one loaded before (eds_crl):
 *	             every signature is refused. */
enum esig_crl { ESIG_CRL_OK, ESIG_CRL_STALE, ESIG_CRL_UNREADABLE, ESIG_CRL_ROLLED_BACK, ESIG_CRL__MAX };
extern const char *const esig_crl_names[ESIG_CRL__MAX];

struct esig_crl_status {
	enum esig_crl state;
	long long next_update; /* the earliest nextUpdate of the CRLs (0: none loaded) */
	char detail[256];      /* why, in English, for the log (empty when ok) */
};

/* Reloads the files if they changed (as a verification would) and
 * reports their state at `now`. Returns 0 when ok, -1 otherwise. Call it
 * outside a transaction. */
int esig_crl_status(long long now, struct esig_crl_status *out);

/* Eds.Ocsp: off (the CRL alone), prefer (OCSP when the responder gives a
 * usable answer, else the CRL alone), require (no usable answer: refused).
 * A revoked or unknown answer refuses in both. The responder is
 * Eds.OcspUrl when set, else the certificate's AIA; Eds.OcspTimeoutMs
 * bounds the exchange (rounded up to whole seconds). Answers are kept in
 * the worker's memory until their nextUpdate. */
enum esig_ocsp { ESIG_OCSP_OFF, ESIG_OCSP_PREFER, ESIG_OCSP_REQUIRE, ESIG_OCSP__MAX };
extern const char *const esig_ocsp_names[ESIG_OCSP__MAX];

/* Frees the trust store (end of process). */
void esig_free(void);

#endif
