/* esig.c — see esig.h. */
#include "web/esig.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/http.h>
#include <openssl/sha.h>

#include "base/conf.h"
#include "base/db.h"
#include "base/log.h"
#include "base/metrics.h"
#include "base/sigrec.h"
#include "base/util.h"
#include "web/view.h"

/* The trust store, loaded on first use and again when the CA or CRL file
 * changes (a deployment refreshes the CRLs from НУЦ РК's distribution
 * point). A load that fails, or a CRL older than one already loaded,
 * leaves no store at all: every signature is then refused (fail closed)
 * until a good file is in place. In memory per worker process. */
static struct sign_trust *trust;
static int tried;                      /* a load was attempted */
static enum esig_crl crl_state = ESIG_CRL_UNREADABLE;
static char crl_why[256];              /* the log's reason when not ok */

/* Answers kept until their nextUpdate, by SHA-256 of the certificate, in
 * this worker's memory (each worker asks once per certificate and period). */
#define OCSP_CACHE 128
static struct ocsp_cached {
	unsigned char cert[32];
	enum sign_ocsp_status status;
	long long until; /* 0: a free slot */
} ocsp_cache[OCSP_CACHE];

const char *const esig_crl_names[ESIG_CRL__MAX] = {
	[ESIG_CRL_OK] = "ok",
	[ESIG_CRL_STALE] = "stale",
	[ESIG_CRL_UNREADABLE] = "unreadable",
	[ESIG_CRL_ROLLED_BACK] = "rolled_back",
};

/* What identifies a version of a file: a replaced, rewritten or deleted
 * file gives another. */
struct file_id {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
};
static struct file_id crl_id, ca_id;

static struct file_id file_id_of(const char *path)
{
	struct stat st;
	if (!path || !*path || stat(path, &st) < 0)
		return (struct file_id){0};
	return (struct file_id){st.st_dev, st.st_ino, st.st_size, st.st_mtim};
}

static int same_file(const struct file_id *a, const struct file_id *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size && a->mtime.tv_sec == b->mtime.tv_sec &&
	       a->mtime.tv_nsec == b->mtime.tv_nsec;
}

#define MAX_CRLS 64

/* 1 if crls[i] is the highest numbered signed CRL of its issuer and kind
 * in the file (only that one is compared and recorded). */
static int highest_of_its_kind(const struct sign_crl_info *c, int n, int i)
{
	if (!c[i].verified || !c[i].number[0])
		return 0;
	for (int j = 0; j < n; j++)
		if (j != i && c[j].verified && c[j].delta == c[i].delta && strcmp(c[j].issuer, c[i].issuer) == 0 &&
		    (strcmp(c[j].number, c[i].number) > 0 || (j < i && strcmp(c[j].number, c[i].number) == 0)))
			return 0;
	return 1;
}

/* The CRL numbers of t against the highest ones ever loaded (eds_crl):
 * 0 and the record raised, or -1 with crl_why when one went back. A
 * database error is logged and does not refuse the CRL (it was checked
 * against what could be read). */
static int crl_numbers_ok(const struct sign_trust *t)
{
	struct sign_crl_info c[MAX_CRLS];
	int n = sign_trust_crls(t, c, MAX_CRLS);
	if (n > MAX_CRLS)
		n = MAX_CRLS;
	for (int i = 0; i < n; i++) {
		char seen[48] = "";
		if (!highest_of_its_kind(c, n, i) ||
		    db_text(seen, sizeof seen, "SELECT number FROM eds_crl WHERE issuer = ? AND delta = ?", "tI",
			    c[i].issuer, (long long)c[i].delta) <= 0 ||
		    strcmp(seen, c[i].number) <= 0)
			continue;
		snprintf(crl_why, sizeof crl_why, "%sCRL of %.120s has number %s, lower than %s loaded before",
			 c[i].delta ? "delta " : "", c[i].issuer, c[i].number, seen);
		return -1;
	}
	int own = !db_in_tx();
	if (own && db_begin() < 0) {
		log_err("EDS CRL numbers not recorded: the database is busy");
		return 0;
	}
	int bad = 0;
	for (int i = 0; i < n && !bad; i++)
		if (highest_of_its_kind(c, n, i) &&
		    db_exec("INSERT INTO eds_crl(issuer, delta, number, loaded_at) VALUES (?, ?, ?, ?) "
			    "ON CONFLICT(issuer, delta) DO UPDATE SET number = excluded.number, loaded_at = excluded.loaded_at "
			    "WHERE excluded.number > eds_crl.number",
			    "tItI", c[i].issuer, (long long)c[i].delta, c[i].number, u_now()) != SQLITE_DONE)
			bad = 1;
	if (own && (bad ? db_rollback() : db_commit()) < 0)
		bad = 1;
	if (bad)
		log_err("EDS CRL numbers not recorded: database error");
	return 0;
}

/* Loads the store again when a file changed; NULL when signatures must be
 * refused (crl_state says why). */
static const struct sign_trust *get_trust(void)
{
	const char *ca = conf_get("Eds.CaFile", "");
	const char *crl = conf_get("Eds.CrlFile", "");
	struct file_id cf = file_id_of(crl), af = file_id_of(ca);
	if (tried && same_file(&cf, &crl_id) && same_file(&af, &ca_id))
		return trust;
	tried = 1;
	crl_id = cf;
	ca_id = af;
	sign_trust_free(trust);
	trust = NULL;
	char err[200] = "";
	struct sign_trust *t = *crl ? sign_trust_load(ca, crl, err, sizeof err) : NULL;
	if (!*crl)
		snprintf(err, sizeof err, "Eds.CrlFile is not set");
	if (!t) {
		crl_state = ESIG_CRL_UNREADABLE;
		snprintf(crl_why, sizeof crl_why, "%s", err);
		log_err("EDS trust anchors %s / CRL %s: %s; signatures are refused until they can be loaded", ca, crl,
			err);
		return NULL;
	}
	if (crl_numbers_ok(t) < 0) {
		crl_state = ESIG_CRL_ROLLED_BACK;
		log_err("EDS CRL %s: %s; signatures are refused until a current CRL is in place", crl, crl_why);
		sign_trust_free(t);
		return NULL;
	}
	crl_state = ESIG_CRL_OK;
	crl_why[0] = '\0';
	trust = t;
	return trust;
}

int esig_crl_status(long long now, struct esig_crl_status *out)
{
	memset(out, 0, sizeof *out);
	const struct sign_trust *t = get_trust();
	out->state = crl_state;
	snprintf(out->detail, sizeof out->detail, "%s", crl_why);
	if (!t)
		return -1;
	struct sign_crl_info c[MAX_CRLS];
	int n = sign_trust_crls(t, c, MAX_CRLS);
	for (int i = 0; i < n && i < MAX_CRLS; i++) {
		long long nu = c[i].next_update;
		if (out->next_update == 0 || (nu && nu < out->next_update))
			out->next_update = nu;
		if (!nu || nu <= now) {
			out->state = ESIG_CRL_STALE;
			snprintf(out->detail, sizeof out->detail, "CRL of %.120s %s", c[i].issuer,
				 nu ? "is past its nextUpdate" : "has no nextUpdate");
		}
	}
	return out->state == ESIG_CRL_OK ? 0 : -1;
}

void esig_free(void)
{
	sign_trust_free(trust);
	trust = NULL;
	tried = 0;
	crl_state = ESIG_CRL_UNREADABLE;
	memset(ocsp_cache, 0, sizeof ocsp_cache);
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

/* ---------------------------------------------------------------- OCSP */

const char *const esig_ocsp_names[ESIG_OCSP__MAX] = {
	[ESIG_OCSP_OFF] = "off",
	[ESIG_OCSP_PREFER] = "prefer",
	[ESIG_OCSP_REQUIRE] = "require",
};

/* Eds.Ocsp; a value that is none of the names is taken as require (and
 * logged): a mistyped setting must not switch a check off. */
static enum esig_ocsp ocsp_mode(void)
{
	const char *v = conf_get("Eds.Ocsp", "off");
	for (int i = 0; i < ESIG_OCSP__MAX; i++)
		if (strcmp(v, esig_ocsp_names[i]) == 0)
			return (enum esig_ocsp)i;
	log_err("Eds.Ocsp = %s is not off, prefer or require: taken as require", v);
	return ESIG_OCSP_REQUIRE;
}

static struct ocsp_cached *cache_find(const unsigned char h[32], long long now)
{
	for (int i = 0; i < OCSP_CACHE; i++)
		if (ocsp_cache[i].until > now && memcmp(ocsp_cache[i].cert, h, 32) == 0)
			return &ocsp_cache[i];
	return NULL;
}

static void cache_put(const unsigned char h[32], enum sign_ocsp_status st, long long until, long long now)
{
	struct ocsp_cached *slot = &ocsp_cache[0];
	for (int i = 0; i < OCSP_CACHE; i++) {
		if (ocsp_cache[i].until <= now || memcmp(ocsp_cache[i].cert, h, 32) == 0) {
			slot = &ocsp_cache[i];
			break;
		}
		if (ocsp_cache[i].until < slot->until)
			slot = &ocsp_cache[i];
	}
	memcpy(slot->cert, h, 32);
	slot->status = st;
	slot->until = until;
}

/* POSTs the request to url (http only, as OCSP is) and returns the
 * answer's DER (malloc'd) in *resp; 0, or -1 with why. */
static int ocsp_post(const char *url, const unsigned char *req, size_t req_len, unsigned char **resp, size_t *resp_len,
		     char *why, size_t whylen)
{
	char *host = NULL, *port = NULL, *path = NULL;
	int ssl = 0, rc = -1;
	BIO *in = NULL, *out = NULL;
	*resp = NULL;
	*resp_len = 0;
	if (!OSSL_HTTP_parse_url(url, &ssl, NULL, &host, &port, NULL, &path, NULL, NULL) || ssl) {
		snprintf(why, whylen, "OCSP: responder URL %.100s is not http://", url);
		goto done;
	}
	/* OpenSSL's HTTP client counts whole seconds */
	long long ms = conf_int("Eds.OcspTimeoutMs", 3000);
	int timeout = (int)(ms <= 0 ? 1 : (ms + 999) / 1000);
	if ((in = BIO_new_mem_buf(req, (int)req_len)) == NULL)
		goto done;
	/* proxy "": never a proxy from the environment */
	out = OSSL_HTTP_transfer(NULL, host, port, path, 0, "", NULL, NULL, NULL, NULL, NULL, 0, NULL,
				 "application/ocsp-request", in, "application/ocsp-response", 1, 64 * 1024, timeout, 0);
	if (!out) {
		unsigned long e = ERR_peek_last_error();
		char buf[120] = "";
		if (e)
			ERR_error_string_n(e, buf, sizeof buf);
		snprintf(why, whylen, "OCSP: no answer from %.80s (%s)", url, buf);
		goto done;
	}
	unsigned char chunk[4096];
	int n;
	size_t cap = 0;
	while ((n = BIO_read(out, chunk, sizeof chunk)) > 0) {
		if (*resp_len + (size_t)n > cap) {
			size_t ncap = (*resp_len + (size_t)n) * 2;
			unsigned char *b = realloc(*resp, ncap);
			if (!b)
				goto done;
			*resp = b;
			cap = ncap;
		}
		memcpy(*resp + *resp_len, chunk, (size_t)n);
		*resp_len += (size_t)n;
	}
	rc = *resp_len > 0 ? 0 : -1;
	if (rc < 0)
		snprintf(why, whylen, "OCSP: empty answer from %.80s", url);
done:
	if (rc < 0) {
		free(*resp);
		*resp = NULL;
	}
	BIO_free(in);
	BIO_free_all(out);
	OPENSSL_free(host);
	OPENSSL_free(port);
	OPENSSL_free(path);
	ERR_clear_error();
	return rc;
}

/* Asks the responder (Eds.OcspUrl, else the certificate's AIA) about the
 * signer's certificate; caches a current answer. */
static enum sign_ocsp_status ocsp_ask(const struct sign_trust *t, const struct sign_signer *s,
				      const unsigned char h[32], long long now, char *why, size_t whylen)
{
	struct sign_ocsp *o = sign_ocsp_begin(t, s->cert_der, s->cert_len, why, whylen);
	if (!o)
		return SIGN_OCSP_INVALID;
	const char *url = conf_get("Eds.OcspUrl", "");
	if (!*url)
		url = sign_ocsp_aia(o);
	enum sign_ocsp_status st = SIGN_OCSP_INVALID;
	unsigned char *resp = NULL;
	size_t req_len, resp_len;
	const unsigned char *req = sign_ocsp_der(o, &req_len);
	if (!*url) {
		snprintf(why, whylen, "OCSP: no responder (no AIA in the certificate, Eds.OcspUrl unset)");
	} else if (ocsp_post(url, req, req_len, &resp, &resp_len, why, whylen) == 0) {
		long long next = 0;
		st = sign_ocsp_finish(t, o, resp, resp_len, now, &next, why, whylen);
		if (st != SIGN_OCSP_INVALID && next > now)
			cache_put(h, st, next, now);
	}
	free(resp);
	sign_ocsp_free(o);
	return st;
}

/* After a valid signature: the signer's certificate by OCSP, as Eds.Ocsp
 * says. SIGN_OK, or the refusal with *key (lang key). The CRL has been
 * checked already (sign_verify): prefer falls back to it when there is no
 * usable answer, require refuses then. */
static enum sign_err ocsp_check(const struct sign_trust *t, struct sign_signer *s, const char **key)
{
	enum esig_ocsp mode = ocsp_mode();
	if (mode == ESIG_OCSP_OFF)
		return SIGN_OK;
	long long now = u_now();
	unsigned char h[32];
	char why[160] = "";
	SHA256(s->cert_der, s->cert_len, h);
	struct ocsp_cached *c = cache_find(h, now);
	enum sign_ocsp_status st = c ? c->status : ocsp_ask(t, s, h, now, why, sizeof why);
	if (c)
		snprintf(why, sizeof why, "OCSP: %s (cached)", sign_ocsp_status_names[st]);
	switch (st) {
	case SIGN_OCSP_GOOD:
		return SIGN_OK;
	case SIGN_OCSP_REVOKED:
		snprintf(s->detail, sizeof s->detail, "%s", why);
		*key = "Eds.revoked";
		return SIGN_E_REVOKED;
	case SIGN_OCSP_UNKNOWN:
		snprintf(s->detail, sizeof s->detail, "%s", why);
		*key = "Eds.ocsp_unknown";
		return SIGN_E_OCSP;
	default:
		if (mode == ESIG_OCSP_PREFER) {
			log_err("%s; Eds.Ocsp = prefer: the CRL decides", why);
			return SIGN_OK;
		}
		snprintf(s->detail, sizeof s->detail, "%s", why);
		*key = "Eds.ocsp";
		return SIGN_E_OCSP;
	}
}

/* A refused proof: why, and the message. */
static int refuse(struct sign_proof *p, enum sign_err e, const char *key)
{
	met_signature(e);
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
	if (!t) {
		snprintf(p->signer.detail, sizeof p->signer.detail, "CRL %s: %.120s", esig_crl_names[crl_state], crl_why);
		return refuse(p, SIGN_E_CRL, "Eds.crl_unavailable");
	}
	enum sign_purpose sp = strcmp(purpose, "auth") == 0 ? SIGN_PURPOSE_AUTH : SIGN_PURPOSE_ACTION;
	enum sign_err e = sign_verify(t, (const unsigned char *)cms, cmslen, content, (size_t)clen, sp, u_now(),
				      &p->signer);
	const char *key = NULL;
	if (e == SIGN_OK)
		e = ocsp_check(t, &p->signer, &key);
	if (e != SIGN_OK) {
		char detail[160];
		snprintf(detail, sizeof detail, "%s", p->signer.detail);
		sign_signer_clear(&p->signer);
		snprintf(p->signer.detail, sizeof p->signer.detail, "%s", detail);
		return refuse(p, e, key ? key : arena_printf(r->a, "Eds.%s", sign_err_name(e)));
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

void esig_burn(struct req *r, const char *nonce)
{
	if (!r->s || !nonce || !*nonce || db_begin() < 0)
		return;
	if (db_exec("UPDATE challenge SET used_at = ? WHERE nonce = ? AND session_id = ? AND used_at IS NULL", "ItI",
		    u_now(), nonce, r->s->id) != SQLITE_DONE || db_commit() < 0) {
		db_rollback();
		log_err("cannot use up a refused signature's challenge");
	}
}

const char *esig_refusal_text(struct req *r, const char *msg_key)
{
	const char *why = view_t(r, msg_key ? msg_key : "Eds.internal");
	const char *again = view_t(r, "Eds.sign_again");
	const char *t = arena_printf(r->a, "%s %s", why, again);
	return t ? t : why;
}

void esig_result_clear(struct esig_result *res)
{
	if (res)
		sign_signer_clear(&res->signer);
}
