/* proof.c — see proof.h. */
#include "domain/proof.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "base/db.h"
#include "domain/account.h"

const char *const proof_kind_names[PROOF__MAX + 1] = {"accept", "refusal", "review", "departure", "contract", NULL};

/* The queries below list the decisions a signature authorises (d: kind
 * in the order of enum proof_kind, application, DDO), each branch found
 * by an index (by the signature, sql/215, or by the application's
 * referrals), and end with who may see a decision: the parent, the DDO's
 * staff, the district's reviewers, support (bound: the reader's account
 * and whether it is staff, reviewer, support, 0/1). */
static int role(const struct jrn_reader *w, enum acct_role r) { return (w->roles & ACCT_BIT(r)) != 0; }

void proof_free(struct proof *p)
{
	free(p->content);
	free(p->cms);
	p->content = p->cms = NULL;
}

int proof_der(const unsigned char *in, size_t n, unsigned char **der, size_t *der_len)
{
	*der = NULL;
	*der_len = 0;
	CMS_ContentInfo *cms = NULL;
	if (n > 11 && memcmp(in, "-----BEGIN", 10) == 0) {
		BIO *b = BIO_new_mem_buf(in, (int)n);
		cms = b ? PEM_read_bio_CMS(b, NULL, NULL, NULL) : NULL;
		BIO_free(b);
	} else if (n && in[0] == 0x30) {
		const unsigned char *p = in;
		cms = d2i_CMS_ContentInfo(NULL, &p, (long)n);
		if (cms && p != in + n) {
			CMS_ContentInfo_free(cms);
			cms = NULL;
		}
	} else if (n) {
		/* base64, line breaks and spaces allowed */
		unsigned char *clean = malloc(n + 1), *raw = malloc(n);
		size_t k = 0;
		for (size_t i = 0; clean && i < n; i++)
			if (in[i] != '\r' && in[i] != '\n' && in[i] != ' ' && in[i] != '\t')
				clean[k++] = in[i];
		int len = clean && raw && k && k % 4 == 0 ? EVP_DecodeBlock(raw, clean, (int)k) : -1;
		if (len > 0) {
			len -= (clean[k - 1] == '=') + (clean[k - 2] == '=');
			const unsigned char *p = raw;
			cms = d2i_CMS_ContentInfo(NULL, &p, len);
			if (cms && p != raw + len) {
				CMS_ContentInfo_free(cms);
				cms = NULL;
			}
		}
		free(clean);
		free(raw);
	}
	int len = cms ? i2d_CMS_ContentInfo(cms, NULL) : -1;
	if (len > 0 && (*der = malloc((size_t)len))) {
		unsigned char *p = *der;
		i2d_CMS_ContentInfo(cms, &p);
		*der_len = (size_t)len;
	}
	CMS_ContentInfo_free(cms);
	ERR_clear_error();
	return *der ? 0 : -1;
}

static void *copy(const void *p, size_t n)
{
	void *c = malloc(n ? n : 1);
	if (c && n)
		memcpy(c, p, n);
	return c;
}

int proof_get(const struct jrn_reader *w, long long id, struct proof *out)
{
	memset(out, 0, sizeof *out);
	if (!w->account_id)
		return 0;
	int staff = role(w, ACCT_STAFF), rev = role(w, ACCT_REVIEWER), sup = role(w, ACCT_SUPPORT);
	sqlite3_stmt *st = db_query(
		"SELECT s.id, d.kind, d.app, s.signed_at, s.method, s.content, s.cms FROM signature s JOIN ("
		"  SELECT 0 AS kind, e.application_id AS app, e.ddo_id AS ddo FROM enrollment e WHERE e.signature_id = ? "
		"  UNION ALL SELECT 3, e.application_id, e.ddo_id FROM enrollment e WHERE e.departure_signature_id = ? "
		"  UNION ALL SELECT 1, r.application_id, f.ddo_id FROM refusal f JOIN referral r ON r.id = f.referral_id "
		"    WHERE f.signature_id = ? "
		"  UNION ALL SELECT 2, r.application_id, f.ddo_id FROM refusal f JOIN referral r ON r.id = f.referral_id "
		"    WHERE f.review_signature_id = ? "
		"  UNION ALL SELECT 4, r.application_id, r.ddo_id FROM referral r WHERE r.contract_signature_id = ?"
		") d JOIN application a ON a.id = d.app WHERE s.id = ? AND "
		"(a.applicant_id = ? OR (? AND d.ddo IN (SELECT ddo_id FROM ddo_staff WHERE account_id = ?)) "
		"  OR (? AND a.district_id IN (SELECT district_id FROM reviewer_district WHERE account_id = ?)) OR ?) LIMIT 1",
		"IIIIIIIiIiIi", id, id, id, id, id, id, w->account_id, staff, w->account_id, rev, w->account_id, sup);
	if (!st)
		return -1;
	int found = db_row(st), rc = found;
	if (found) {
		out->id = sqlite3_column_int64(st, 0);
		int k = sqlite3_column_int(st, 1);
		out->kind = k >= 0 && k < PROOF__MAX ? (enum proof_kind)k : PROOF_ACCEPT;
		out->application_id = sqlite3_column_int64(st, 2);
		out->signed_at = sqlite3_column_int64(st, 3);
		out->eds = strcmp(db_col(st, 4), "eds") == 0;
		out->content_len = (size_t)sqlite3_column_bytes(st, 5);
		out->content = copy(sqlite3_column_blob(st, 5), out->content_len);
		if (!out->content)
			rc = -1;
		if (out->eds && rc > 0 &&
		    proof_der(sqlite3_column_blob(st, 6), (size_t)sqlite3_column_bytes(st, 6), &out->cms, &out->cms_len) < 0)
			out->eds = 0;   /* not readable as a CMS: the text alone */
	}
	db_done(st);
	if (rc < 0)
		proof_free(out);
	return rc;
}

int proof_each(const struct jrn_reader *w, long long app_id, void (*fn)(void *arg, const struct proof *p), void *arg)
{
	if (!w->account_id)
		return 0;
	int staff = role(w, ACCT_STAFF), rev = role(w, ACCT_REVIEWER), sup = role(w, ACCT_SUPPORT);
	sqlite3_stmt *st = db_query(
		"SELECT s.id, d.kind, a.id, s.signed_at, s.method = 'eds' AND s.cms IS NOT NULL FROM application a JOIN ("
		"  SELECT 0 AS kind, e.signature_id AS sig, e.ddo_id AS ddo FROM referral r JOIN enrollment e "
		"    ON e.referral_id = r.id WHERE r.application_id = ? "
		"  UNION ALL SELECT 3, e.departure_signature_id, e.ddo_id FROM referral r JOIN enrollment e "
		"    ON e.referral_id = r.id WHERE r.application_id = ? AND e.departure_signature_id IS NOT NULL "
		"  UNION ALL SELECT 1, f.signature_id, f.ddo_id FROM referral r JOIN refusal f ON f.referral_id = r.id "
		"    WHERE r.application_id = ? "
		"  UNION ALL SELECT 2, f.review_signature_id, f.ddo_id FROM referral r JOIN refusal f ON f.referral_id = r.id "
		"    WHERE r.application_id = ? AND f.review_signature_id IS NOT NULL "
		"  UNION ALL SELECT 4, r.contract_signature_id, r.ddo_id FROM referral r "
		"    WHERE r.application_id = ? AND r.contract_signature_id IS NOT NULL"
		") d JOIN signature s ON s.id = d.sig WHERE a.id = ? AND "
		"(a.applicant_id = ? OR (? AND d.ddo IN (SELECT ddo_id FROM ddo_staff WHERE account_id = ?)) "
		"  OR (? AND a.district_id IN (SELECT district_id FROM reviewer_district WHERE account_id = ?)) OR ?) ORDER BY s.signed_at, s.id",
		"IIIIIIIiIiIi", app_id, app_id, app_id, app_id, app_id, app_id, w->account_id, staff, w->account_id, rev,
		w->account_id, sup);
	int n = 0;
	while (db_row(st)) {
		struct proof p;
		memset(&p, 0, sizeof p);
		p.id = sqlite3_column_int64(st, 0);
		int k = sqlite3_column_int(st, 1);
		p.kind = k >= 0 && k < PROOF__MAX ? (enum proof_kind)k : PROOF_ACCEPT;
		p.application_id = sqlite3_column_int64(st, 2);
		p.signed_at = sqlite3_column_int64(st, 3);
		p.eds = sqlite3_column_int(st, 4);
		fn(arg, &p);
		n++;
	}
	return db_end(st) < 0 ? -1 : n;
}

long long proof_sig_of(enum proof_kind kind, long long object_id)
{
	switch (kind) {
	case PROOF_ACCEPT:
		return db_int("SELECT signature_id FROM enrollment WHERE id = ?", 0, "I", object_id);
	case PROOF_DEPARTURE:
		return db_int("SELECT coalesce(departure_signature_id, 0) FROM enrollment WHERE id = ?", 0, "I", object_id);
	case PROOF_REFUSAL:
		return db_int("SELECT signature_id FROM refusal WHERE id = ?", 0, "I", object_id);
	case PROOF_REVIEW:
		return db_int("SELECT coalesce(review_signature_id, 0) FROM refusal WHERE id = ?", 0, "I", object_id);
	case PROOF_CONTRACT:
		return db_int("SELECT coalesce(contract_signature_id, 0) FROM referral WHERE id = ?", 0, "I", object_id);
	default:
		return -1;
	}
}
