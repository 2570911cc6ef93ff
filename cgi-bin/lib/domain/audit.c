/* audit.c — see audit.h. */
#include "domain/audit.h"

#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "base/cal.h"
#include "base/conf.h"
#include "base/db.h"
#include "base/log.h"
#include "base/util.h"

static void row_hash(const unsigned char prev[32], long long at, long long actor, const char *role,
		     const char *ip, const char *action, const char *otype, long long oid,
		     const char *outcome, const char *details, unsigned char out[32])
{
	struct buf b;
	buf_init(&b);
	buf_add(&b, prev, 32);
	buf_printf(&b, "%lld\x1f%lld\x1f%s\x1f%s\x1f%s\x1f%s\x1f%lld\x1f%s\x1f%s", at, actor, role, ip,
		   action, otype, oid, outcome, details);
	u_sha256(b.s, b.len, out);
	buf_free(&b);
}

int audit_log(long long actor_id, const char *role, const char *ip, const char *action,
	      const char *otype, long long oid, const char *outcome, const char *details)
{
	int own = !db_in_tx();
	if (own && db_begin() < 0)
		return -1;
	unsigned char prev[32] = {0}, h[32];
	sqlite3_stmt *st = db_query("SELECT hash FROM audit ORDER BY id DESC LIMIT 1", NULL);
	if (db_row(st) && sqlite3_column_bytes(st, 0) == 32)
		memcpy(prev, sqlite3_column_blob(st, 0), 32);
	db_done(st);
	char *d = strdup(details ? details : "");
	if (!d)
		goto fail;
	u_mask_iins_in(d);
	long long at = u_now();
	ip = ip ? ip : "";
	otype = otype ? otype : "";
	outcome = outcome ? outcome : "ok";
	row_hash(prev, at, actor_id, role, ip, action, otype, oid, outcome, d, h);
	int rc = db_exec("INSERT INTO audit(at, actor_id, actor_role, ip, action, object_type, object_id, "
			 "outcome, details, prev_hash, hash) VALUES (?, NULLIF(?, 0), ?, ?, ?, ?, NULLIF(?, 0), ?, ?, ?, ?)",
			 "IIttttIttbb", at, actor_id, role, ip, action, otype, oid, outcome, d, prev, 32, h, 32);
	free(d);
	if (rc != SQLITE_DONE)
		goto fail;
	if (own && db_commit() < 0)
		goto fail;
	return 0;
fail:
	if (own)
		db_rollback();
	log_err("audit write failed for %s", action);
	return -1;
}

int audit_act(struct actor a, const char *action, const char *otype, long long oid, const char *outcome,
	      const char *details)
{
	return audit_log(a.id, a.role, a.ip, action, otype, oid, outcome, details);
}

long long audit_verify(void)
{
	unsigned char prev[32] = {0}, h[32];
	sqlite3_stmt *st = db_query(
		"SELECT id, at, coalesce(actor_id, 0), actor_role, ip, action, object_type, coalesce(object_id, 0), "
		"outcome, details, prev_hash, hash FROM audit ORDER BY id", NULL);
	if (!st)
		return -1;
	long long bad = 0;
	while (db_row(st)) {
		long long id = sqlite3_column_int64(st, 0);
		if (sqlite3_column_bytes(st, 10) != 32 || memcmp(sqlite3_column_blob(st, 10), prev, 32) != 0) {
			bad = id;
			break;
		}
		row_hash(prev, sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2), db_col(st, 3),
			 db_col(st, 4), db_col(st, 5), db_col(st, 6), sqlite3_column_int64(st, 7), db_col(st, 8),
			 db_col(st, 9), h);
		if (sqlite3_column_bytes(st, 11) != 32 || memcmp(sqlite3_column_blob(st, 11), h, 32) != 0) {
			bad = id;
			break;
		}
		memcpy(prev, h, 32);
	}
	db_done(st);
	return bad;
}

/* ---- published heads ---- */

size_t audit_head_text(const struct audit_head *h, char out[160])
{
	char hex[65];
	u_hex(h->hash, 32, hex);
	int n = snprintf(out, 160, "kg-audit-head v1\nday=%s\ncount=%lld\nhash=%s\n", h->day, h->count, hex);
	return n < 0 ? 0 : (size_t)n;
}

/* The detached CMS (DER, malloc'd) of text by the key and certificate of
 * the settings. 0 or -1 (logged). */
static int sign_text(const char *text, size_t n, unsigned char **der, size_t *der_len)
{
	const char *key_file = conf_get("Audit.SigningKey", ""), *cert_file = conf_get("Audit.SigningCert", "");
	int rc = -1;
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	CMS_ContentInfo *cms = NULL;
	BIO *in = NULL, *kb = BIO_new_file(key_file, "r"), *cb = BIO_new_file(cert_file, "r");
	*der = NULL;
	if (!kb || !cb || !(key = PEM_read_bio_PrivateKey(kb, NULL, NULL, NULL)) ||
	    !(cert = PEM_read_bio_X509(cb, NULL, NULL, NULL))) {
		log_err("audit head: cannot read Audit.SigningKey (%s) or Audit.SigningCert (%s)", key_file, cert_file);
		goto out;
	}
	if (X509_check_private_key(cert, key) != 1) {
		log_err("audit head: Audit.SigningKey is not the key of Audit.SigningCert");
		goto out;
	}
	in = BIO_new_mem_buf(text, (int)n);
	if (!in || !(cms = CMS_sign(cert, key, NULL, in, CMS_BINARY | CMS_DETACHED)))
		goto out;
	int len = i2d_CMS_ContentInfo(cms, der);
	if (len <= 0) {
		*der = NULL;
		goto out;
	}
	*der_len = (size_t)len;
	rc = 0;
out:
	if (rc < 0)
		log_err("audit head: signing failed");
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	BIO_free(kb);
	BIO_free(cb);
	X509_free(cert);
	EVP_PKEY_free(key);
	ERR_clear_error();
	return rc;
}

int audit_publish_head(long long now)
{
	if (!*conf_get("Audit.SigningKey", ""))
		return 0;
	struct audit_head h;
	memset(&h, 0, sizeof h);
	cal_format_iso(cal_day_from_unix(now), h.day);
	if (db_int("SELECT count(*) FROM audit_head WHERE day = ?", -1, "t", h.day) != 0)
		return 0;
	/* The head as it is now, read in one transaction with its row. */
	if (db_begin() < 0)
		return -1;
	sqlite3_stmt *st = db_query("SELECT (SELECT count(*) FROM audit), (SELECT hash FROM audit ORDER BY id DESC LIMIT 1)", NULL);
	if (db_row(st)) {
		h.count = sqlite3_column_int64(st, 0);
		if (sqlite3_column_bytes(st, 1) == 32)
			memcpy(h.hash, sqlite3_column_blob(st, 1), 32);
	}
	if (db_end(st) < 0)
		goto fail;
	char text[160];
	size_t n = audit_head_text(&h, text);
	unsigned char *der = NULL;
	size_t der_len = 0;
	if (sign_text(text, n, &der, &der_len) < 0)
		goto fail;
	int rc = db_exec("INSERT INTO audit_head(day, count, hash, text, cms, signed_at) VALUES (?, ?, ?, ?, ?, ?)",
			 "tIbbbI", h.day, h.count, h.hash, 32, text, (int)n, der, (int)der_len, u_now());
	OPENSSL_free(der);
	if (rc != SQLITE_DONE || db_commit() < 0)
		goto fail;
	return 1;
fail:
	db_rollback();
	return -1;
}

int audit_heads_each(void (*fn)(void *arg, const struct audit_head *h), void *arg)
{
	sqlite3_stmt *st = db_query("SELECT day, count, hash, cms, signed_at FROM audit_head ORDER BY day DESC", NULL);
	int n = 0;
	while (db_row(st)) {
		struct audit_head h;
		memset(&h, 0, sizeof h);
		u_copy(h.day, sizeof h.day, db_col(st, 0));
		h.count = sqlite3_column_int64(st, 1);
		if (sqlite3_column_bytes(st, 2) == 32)
			memcpy(h.hash, sqlite3_column_blob(st, 2), 32);
		h.cms = (unsigned char *)sqlite3_column_blob(st, 3);
		h.cms_len = (size_t)sqlite3_column_bytes(st, 3);
		h.signed_at = sqlite3_column_int64(st, 4);
		fn(arg, &h);
		n++;
	}
	return db_end(st) < 0 ? -1 : n;
}

struct csv_out { struct buf *b; int bad; };

static void csv_row(void *arg, const struct audit_head *h)
{
	struct csv_out *c = arg;
	char hex[65];
	u_hex(h->hash, 32, hex);
	size_t cap = 4 * ((h->cms_len + 2) / 3) + 1;
	unsigned char *b64 = malloc(cap);
	if (!b64) {
		c->bad = 1;
		return;
	}
	EVP_EncodeBlock(b64, h->cms, (int)h->cms_len);
	c->bad |= buf_printf(c->b, "%s;%lld;%s;%lld;%s\r\n", h->day, h->count, hex, h->signed_at, (char *)b64);
	free(b64);
}

int audit_heads_csv(struct buf *out)
{
	struct csv_out c = {out, buf_adds(out, "day;count;hash;signed_at;cms\r\n")};
	if (audit_heads_each(csv_row, &c) < 0)
		return -1;
	return c.bad ? -1 : 0;
}

/* One field of a line (up to ';' or the end) into a malloc'd string. */
static char *field(const char **p, const char *end)
{
	const char *s = *p, *e = s;
	while (e < end && *e != ';')
		e++;
	*p = e < end ? e + 1 : e;
	return strndup(s, (size_t)(e - s));
}

static int hex_to(const char *s, unsigned char out[32])
{
	if (strlen(s) != 64)
		return -1;
	for (int i = 0; i < 32; i++) {
		unsigned v = 0;
		for (int k = 0; k < 2; k++) {
			char c = s[2 * i + k];
			v = v * 16 + (unsigned)(c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
						: c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99);
		}
		if (v > 255)
			return -1;
		out[i] = (unsigned char)v;
	}
	return 0;
}

/* One data line into h. 0 or -1. */
static int parse_line(const char *s, const char *end, struct audit_head *h)
{
	char *f[5];
	for (int i = 0; i < 5; i++)
		f[i] = field(&s, end);
	int bad = !f[0] || !f[1] || !f[2] || !f[3] || !f[4] || s != end;
	int day;
	long long v;
	if (!bad)
		bad = strlen(f[0]) != 10 || cal_parse_iso(f[0], &day) < 0 || u_strtoll(f[1], 0, 1LL << 60, &h->count) < 0 ||
		      hex_to(f[2], h->hash) < 0 || u_strtoll(f[3], 0, 1LL << 40, &v) < 0;
	if (!bad) {
		u_copy(h->day, sizeof h->day, f[0]);
		h->signed_at = v;
		size_t n = strlen(f[4]);
		h->cms = n && n % 4 == 0 && n < (1u << 20) ? malloc(n) : NULL;
		int len = h->cms ? EVP_DecodeBlock(h->cms, (unsigned char *)f[4], (int)n) : -1;
		if (len < 0) {
			bad = 1;
		} else {
			/* EVP_DecodeBlock counts the padding as zero bytes. */
			len -= (f[4][n - 1] == '=') + (f[4][n - 2] == '=');
			h->cms_len = (size_t)len;
		}
	}
	for (int i = 0; i < 5; i++)
		free(f[i]);
	return bad ? -1 : 0;
}

int audit_heads_parse(const char *text, struct audit_head *out, int max, int *bad_line)
{
	int n = 0, line = 0;
	*bad_line = 0;
	for (const char *p = text; *p && n < max;) {
		const char *e = strchr(p, '\n');
		const char *next = e ? e + 1 : p + strlen(p);
		if (!e)
			e = next;
		if (e > p && e[-1] == '\r')
			e--;
		line++;
		if (e > p && !(line == 1 && strncmp(p, "day;", 4) == 0)) {
			memset(&out[n], 0, sizeof out[n]);
			if (parse_line(p, e, &out[n]) < 0) {
				audit_heads_free(out, n + 1);
				*bad_line = line;
				return -1;
			}
			n++;
		}
		p = next;
	}
	return n;
}

void audit_heads_free(struct audit_head *h, int n)
{
	for (int i = 0; i < n; i++) {
		free(h[i].cms);
		h[i].cms = NULL;
	}
}

int audit_head_signed(const struct audit_head *h, const char *cert_file, char *why, size_t wn)
{
	snprintf(why, wn, "ok");
	X509_STORE *store = X509_STORE_new();
	STACK_OF(X509_INFO) *infos = NULL;
	BIO *cb = BIO_new_file(cert_file, "r");
	int rc = -1, certs = 0;
	if (!store || !cb || !(infos = PEM_X509_INFO_read_bio(cb, NULL, NULL, NULL))) {
		snprintf(why, wn, "cannot read %s", cert_file);
		goto out;
	}
	for (int i = 0; i < sk_X509_INFO_num(infos); i++) {
		X509_INFO *xi = sk_X509_INFO_value(infos, i);
		if (xi->x509 && X509_STORE_add_cert(store, xi->x509) == 1)
			certs++;
	}
	if (!certs) {
		snprintf(why, wn, "no certificate in %s", cert_file);
		goto out;
	}
	/* The certificate itself is the anchor (it need not be a CA's root);
	 * an old head stays checkable after the certificate expires. */
	X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN | X509_V_FLAG_NO_CHECK_TIME);
	X509_STORE_set_purpose(store, X509_PURPOSE_ANY);
	char text[160];
	size_t n = audit_head_text(h, text);
	const unsigned char *p = h->cms;
	CMS_ContentInfo *cms = h->cms_len ? d2i_CMS_ContentInfo(NULL, &p, (long)h->cms_len) : NULL;
	BIO *content = BIO_new_mem_buf(text, (int)n);
	rc = 0;
	if (!cms || p != h->cms + h->cms_len)
		snprintf(why, wn, "the signature is not a CMS");
	else if (!content || CMS_verify(cms, NULL, store, content, NULL, CMS_BINARY) != 1)
		snprintf(why, wn, "the signature does not verify: %s", ERR_reason_error_string(ERR_peek_last_error()) ?
			 ERR_reason_error_string(ERR_peek_last_error()) : "?");
	else
		rc = 1;
	CMS_ContentInfo_free(cms);
	BIO_free(content);
out:
	sk_X509_INFO_pop_free(infos, X509_INFO_free);
	BIO_free(cb);
	X509_STORE_free(store);
	ERR_clear_error();
	return rc;
}

int audit_heads_match(const struct audit_head *heads, int n, long long *broken_row)
{
	*broken_row = 0;
	long long last = 0;
	for (int i = 0; i < n; i++)
		if (heads[i].count > last)
			last = heads[i].count;
	unsigned char prev[32] = {0}, h[32];
	int *seen = calloc((size_t)n + 1, sizeof *seen);
	if (!seen)
		return -1;
	sqlite3_stmt *st = db_query(
		"SELECT id, at, coalesce(actor_id, 0), actor_role, ip, action, object_type, coalesce(object_id, 0), "
		"outcome, details, prev_hash, hash FROM audit ORDER BY id", NULL);
	long long count = 0;
	int bad = 0;
	/* An empty log's head (count 0) has the zero hash. */
	for (int i = 0; i < n; i++)
		if (heads[i].count == 0) {
			seen[i] = 1;
			if (memcmp(heads[i].hash, prev, 32) != 0 && !bad)
				bad = i + 1;
		}
	while (count < last && db_row(st)) {
		count++;
		row_hash(prev, sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2), db_col(st, 3), db_col(st, 4),
			 db_col(st, 5), db_col(st, 6), sqlite3_column_int64(st, 7), db_col(st, 8), db_col(st, 9), h);
		if (!*broken_row && (sqlite3_column_bytes(st, 11) != 32 || memcmp(sqlite3_column_blob(st, 11), h, 32) != 0 ||
				     sqlite3_column_bytes(st, 10) != 32 || memcmp(sqlite3_column_blob(st, 10), prev, 32) != 0))
			*broken_row = sqlite3_column_int64(st, 0);
		memcpy(prev, h, 32);
		for (int i = 0; i < n; i++)
			if (heads[i].count == count) {
				seen[i] = 1;
				if (memcmp(heads[i].hash, h, 32) != 0 && (!bad || i + 1 < bad))
					bad = i + 1;
			}
	}
	int failed = db_end(st) < 0;
	for (int i = 0; i < n && !bad; i++)
		if (!seen[i])
			bad = i + 1;
	free(seen);
	return failed ? -1 : bad;
}
