/*
 * sigrec.h — the record of a signature, stored with the change it
 * authorises.
 *
 * The request's floor verifies what was posted against the challenge it
 * issued (esig_verify, web/esig.h) and hands the result on as a struct
 * sign_proof (sign.h); whoever makes the change stores it here, inside
 * the change's own BEGIN IMMEDIATE transaction, so that a rollback forgets
 * both:
 *
 *      db_begin();
 *      ... the checks of the change ...
 *      long long sig;
 *      const char *key;
 *      if (sigrec_store(proof, actor.id, my_iin, ddo_bin_or_NULL, "referral", &sig, &key) != SIGN_OK)
 *              roll back, tell key;
 *      ... the change, with sig ...; db_commit();
 *
 * Prefix sigrec_.
 */
#ifndef KG_SIGREC_H
#define KG_SIGREC_H

#include "base/sign.h"

/* Records proof p (method 'eds'), in the caller's open transaction:
 * requires p->err == SIGN_OK and its signer to be expect_iin (NULL: anyone,
 * for login, where the caller finds the account by the signer's IIN) and,
 * when expect_bin is given, an employee of that BIN; then marks the
 * challenge used, once even against a concurrent second POST of the same
 * CMS, and inserts the signature row (CMS, certificate, IIN, BIN, serial,
 * issuer, time, the signed content, the object) for account_id (0: none).
 * Returns SIGN_OK with *id, or why not with *msg_key (lang key, L.Eds.*):
 * p->err, SIGN_E_WRONG_PERSON, SIGN_E_WRONG_BIN, SIGN_E_CONTENT when the
 * challenge was used meanwhile, SIGN_E_INTERNAL on a database error.
 * Nothing is written unless SIGN_OK. */
enum sign_err sigrec_store(const struct sign_proof *p, long long account_id, const char *expect_iin,
			   const char *expect_bin, const char *object_type, long long *id, const char **msg_key);

/* Records a confirmation by one-time code (method 'otp': a citizen who
 * logged in by code signs the contract this way), purpose 'action': the
 * content confirmed and the phone the code went to, for account_id (0:
 * none), in the caller's open transaction. Returns the row id, or -1. */
long long sigrec_store_otp(long long account_id, const char *action, const char *object_type, long long object_id,
			   const char *content, const char *phone);

#endif
