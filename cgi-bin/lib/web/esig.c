/* esig.c — see esig.h. */
#include "web/esig.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "base/conf.h"
#include "base/db.h"
#include "base/log.h"
#include "base/sigrec.h"
#include "base/util.h"
#include "web/view.h"

/* The trust store, loaded on first use and again when the CRL file
 * changes (a deployment refreshes it from НУЦ РК's CRL distribution). */
static struct sign_trust *trust;
static struct timespec crl_mtime, ca_mtime;

static struct timespec mtime_of(const char *path)
{
	struct stat st;
	if (!path || !*path || stat(path, &st) < 0)
		return (struct timespec){0, 0};
	return st.st_mtim;
}

static const struct sign_trust *get_trust(void)
{
	const char *ca = conf_get("Eds.CaFile", "");
	const char *crl = conf_get("Eds.CrlFile", "");
	struct timespec cm = mtime_of(crl), am = mtime_of(ca);
	if (trust && cm.tv_sec == crl_mtime.tv_sec && cm.tv_nsec == crl_mtime.tv_nsec &&
	    am.tv_sec == ca_mtime.tv_sec && am.tv_nsec == ca_mtime.tv_nsec)
		return trust;
	char err[256] = "";
	struct sign_trust *t = sign_trust_load(ca, *crl ? crl : NULL, err, sizeof err);
	if (!t) {
		log_err("EDS trust anchors %s / CRL %s: %s", ca, crl, err);
		return trust; /* keep the previous store, if any (it may fail on CRL dates: closed) */
	}
	sign_trust_free(trust);
	trust = t;
	crl_mtime = cm;
	ca_mtime = am;
	return trust;
}

void esig_free(void)
{
	sign_trust_free(trust);
	trust = NULL;
}

const char *esig_challenge(struct req *r, const char *purpose, const char *action, long long object_id,
			   const char *text, char nonce[44])
{
	if (!r->s || u_token(nonce) < 0)
		return NULL;
	long long now = u_now();
	char when[17];
	u_fmt_datetime(now, when);
	const char *content;
	if (strcmp(purpose, "auth") == 0 && !text)
		content = arena_printf(r->a, "AKMOLA.KZ login %s %s", nonce, when);
	else
		content = arena_printf(r->a, "%s\n\n%s: %s\n%s: %s", text ? text : "", view_t(r, "Eds.code"), nonce,
				       view_t(r, "Eds.time"), when);
	if (!content)
		return NULL;
	long long ttl = conf_int("Eds.ChallengeTtlSeconds", 300);
	if (db_exec("INSERT INTO challenge(nonce, session_id, account_id, purpose, action, object_id, content, "
		    "created_at, expires_at) VALUES (?, ?, NULLIF(?, 0), ?, ?, NULLIF(?, 0), ?, ?, ?)",
		    "tIIttIbII", nonce, r->s->id, r->s->account_id, purpose, action, object_id, content,
		    (int)strlen(content), now, now + ttl) != SQLITE_DONE) {
		log_err("cannot store a challenge for %s", action);
		return NULL;
	}
	return content;
}

void esig_view(struct req *r, const char *prefix, const char *content, const char *nonce)
{
	size_t n = strlen(content);
	char *b64 = arena_alloc(r->a, 4 * ((n + 2) / 3) + 1);
	if (!b64)
		return;
	EVP_EncodeBlock((unsigned char *)b64, (const unsigned char *)content, (int)n);
	char k[96];
	snprintf(k, sizeof k, "%s.challenge", prefix);
	view_set(r, k, b64);
	snprintf(k, sizeof k, "%s.nonce", prefix);
	view_set(r, k, nonce);
	snprintf(k, sizeof k, "%s.text", prefix);
	view_set(r, k, content);
}

/* A refused proof: why, and the message. */
static int refuse(struct sign_proof *p, enum sign_err e, const char *key)
{
	p->err = e;
	p->msg_key = key;
	return -1;
}

int esig_verify(struct req *r, const char *nonce, const char *cms, const char *purpose, const char *action,
		long long object_id, struct sign_proof *p)
{
	memset(p, 0, sizeof *p);
	p->purpose = purpose;
	p->action = action;
	p->object_id = object_id;
	if (!r->s || !nonce || !*nonce)
		return refuse(p, SIGN_E_CONTENT, "Eds.challenge_unknown");
	if (!cms || !*cms)
		return refuse(p, SIGN_E_EMPTY, "Eds.empty");
	sqlite3_stmt *st = db_query("SELECT id, content, expires_at, used_at, action, coalesce(object_id, 0), purpose "
				    "FROM challenge WHERE nonce = ? AND session_id = ?",
				    "tI", nonce, r->s->id);
	if (!db_row(st)) {
		db_done(st);
		return refuse(p, SIGN_E_CONTENT, "Eds.challenge_unknown");
	}
	long long cid = sqlite3_column_int64(st, 0);
	int clen = sqlite3_column_bytes(st, 1);
	unsigned char *content = arena_alloc(r->a, (size_t)clen + 1);
	if (content && clen)
		memcpy(content, sqlite3_column_blob(st, 1), (size_t)clen);
	long long expires = sqlite3_column_int64(st, 2);
	int used = sqlite3_column_type(st, 3) != SQLITE_NULL;
	int same = strcmp(db_col(st, 4), action) == 0 && sqlite3_column_int64(st, 5) == object_id &&
		   strcmp(db_col(st, 6), purpose) == 0;
	db_done(st);
	if (!content || !same)
		return refuse(p, SIGN_E_CONTENT, "Eds.challenge_unknown");
	if (used)
		return refuse(p, SIGN_E_CONTENT, "Eds.challenge_used");
	if (u_now() >= expires)
		return refuse(p, SIGN_E_CONTENT, "Eds.challenge_expired");
	size_t cmslen = strlen(cms);
	if (cmslen > SIGN_MAX_INPUT)
		return refuse(p, SIGN_E_TOO_LARGE, "Eds.too_large");
	const struct sign_trust *t = get_trust();
	if (!t)
		return refuse(p, SIGN_E_CRL, "Eds.crl");
	enum sign_purpose sp = strcmp(purpose, "auth") == 0 ? SIGN_PURPOSE_AUTH : SIGN_PURPOSE_ACTION;
	enum sign_err e = sign_verify(t, (const unsigned char *)cms, cmslen, content, (size_t)clen, sp, u_now(),
				      &p->signer);
	if (e != SIGN_OK) {
		char detail[160];
		snprintf(detail, sizeof detail, "%s", p->signer.detail);
		sign_signer_clear(&p->signer);
		snprintf(p->signer.detail, sizeof p->signer.detail, "%s", detail);
		return refuse(p, e, arena_printf(r->a, "Eds.%s", sign_err_name(e)));
	}
	p->challenge_id = cid;
	p->content = content;
	p->content_len = (size_t)clen;
	p->cms = cms;
	p->cms_len = cmslen;
	p->err = SIGN_OK;
	p->msg_key = "Eds.ok";
	return 0;
}

int esig_accept(struct req *r, const char *nonce, const char *cms, const char *purpose, const char *action,
		long long object_id, const char *object_type, const char *expect_iin, const char *expect_bin,
		struct esig_result *res)
{
	memset(res, 0, sizeof *res);
	struct sign_proof p;
	long long id = 0;
	const char *key = NULL;
	enum sign_err e = esig_verify(r, nonce, cms, purpose, action, object_id, &p) < 0
				  ? p.err
				  : sigrec_store(&p, r->s->account_id, expect_iin, expect_bin, object_type, &id, &key);
	res->signer = p.signer; /* the result owns the certificate now */
	res->err = e;
	res->msg_key = key ? key : p.msg_key;
	res->signature_id = id;
	if (e == SIGN_OK)
		return 0;
	/* The log keeps the detail of a refused verification or person; a
	 * challenge used meanwhile or a row not stored leaves none. */
	char detail[160];
	snprintf(detail, sizeof detail, "%s", e == SIGN_E_WRONG_PERSON || e == SIGN_E_WRONG_BIN || p.err != SIGN_OK
						      ? res->signer.detail
						      : "");
	sign_signer_clear(&res->signer);
	snprintf(res->signer.detail, sizeof res->signer.detail, "%s", detail);
	return -1;
}

void esig_result_clear(struct esig_result *res)
{
	if (res)
		sign_signer_clear(&res->signer);
}
