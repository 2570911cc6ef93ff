/* sigrec.c — see sigrec.h. */
#include "base/sigrec.h"

#include <string.h>

#include "base/db.h"
#include "base/metrics.h"
#include "base/util.h"

static enum sign_err refused(enum sign_err e, const char *key, const char **msg_key)
{
	*msg_key = key;
	return e;
}

/* A refusal of this module's own, for /metrics (a proof refused by its
 * verification was counted there: esig_verify). */
static enum sign_err counted(enum sign_err e, const char *key, const char **msg_key)
{
	met_signature(e);
	return refused(e, key, msg_key);
}

enum sign_err sigrec_store(const struct sign_proof *p, long long account_id, const char *expect_iin,
			   const char *expect_bin, const char *object_type, long long *id, const char **msg_key)
{
	*id = 0;
	if (p->err != SIGN_OK)
		return refused(p->err, p->msg_key ? p->msg_key : "Eds.internal", msg_key);
	if (!p->content || !p->cms || !p->challenge_id)
		return counted(SIGN_E_INTERNAL, "Eds.internal", msg_key);
	if (expect_iin) {
		enum sign_err e = sign_check_person(&p->signer, expect_iin, expect_bin);
		if (e == SIGN_E_WRONG_PERSON)
			return counted(e, "Eds.wrong_person", msg_key);
		if (e == SIGN_E_WRONG_BIN)
			return counted(e, "Eds.wrong_bin", msg_key);
		if (e != SIGN_OK)
			return counted(e, "Eds.internal", msg_key);
	}
	/* Single use, even against a concurrent second POST of the same CMS. */
	if (db_exec("UPDATE challenge SET used_at = ? WHERE id = ? AND used_at IS NULL", "II", u_now(), p->challenge_id) !=
		    SQLITE_DONE ||
	    db_changes() != 1)
		return counted(SIGN_E_CONTENT, "Eds.challenge_used", msg_key);
	if (db_exec("INSERT INTO signature(account_id, method, purpose, action, object_type, object_id, content, cms, "
		    "cert, signer_iin, signer_bin, cert_serial, cert_issuer, signed_at) "
		    "VALUES (NULLIF(?, 0), 'eds', ?, ?, ?, NULLIF(?, 0), ?, ?, ?, ?, NULLIF(?, ''), ?, ?, ?)",
		    "ItttIbbbttttI", account_id, p->purpose, p->action, object_type ? object_type : "", p->object_id,
		    p->content, (int)p->content_len, p->cms, (int)p->cms_len, p->signer.cert_der, (int)p->signer.cert_len,
		    p->signer.iin, p->signer.bin, p->signer.serial_hex, p->signer.issuer, u_now()) != SQLITE_DONE)
		return counted(SIGN_E_INTERNAL, "Eds.internal", msg_key);
	*id = db_last_id();
	*msg_key = "Eds.ok";
	met_signature(SIGN_OK);
	return SIGN_OK;
}

long long sigrec_store_otp(long long account_id, const char *action, const char *object_type, long long object_id,
			   const char *content, const char *phone)
{
	if (db_exec("INSERT INTO signature(account_id, method, purpose, action, object_type, object_id, content, "
		    "otp_phone, signed_at) VALUES (NULLIF(?, 0), 'otp', 'action', ?, ?, NULLIF(?, 0), ?, ?, ?)",
		    "IttIbtI", account_id, action, object_type, object_id, content, (int)strlen(content), phone,
		    u_now()) != SQLITE_DONE)
		return -1;
	return db_last_id();
}
