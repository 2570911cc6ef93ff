/* decide.c — see decide.h. */
#include "domain/decide.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cal.h"
#include "base/db.h"
#include "base/lang.h"
#include "base/log.h"
#include "base/pdf.h"
#include "base/sigrec.h"
#include "domain/account.h"
#include "domain/audit.h"
#include "domain/benefit.h"
#include "domain/doc.h"
#include "domain/hist.h"
#include "domain/offer.h"
#include "domain/transfer.h"
#include "domain/place.h"
#include "domain/referral.h"

const char *const dec_err_names[DEC_E__MAX] = {
	[DEC_OK] = "ok",
	[DEC_E_NOT_FOUND] = "not_found",
	[DEC_E_NOT_SUBMITTED] = "not_submitted",
	[DEC_E_ANNULLED] = "annulled",
	[DEC_E_BENEFIT] = "benefit",
	[DEC_E_BENEFIT_DECIDED] = "benefit_decided",
	[DEC_E_ENROLLED] = "enrolled",
	[DEC_E_IN_REVIEW] = "in_review",
	[DEC_E_CLOSED] = "closed",
	[DEC_E_MUST_ENROLL] = "must_enroll",
	[DEC_E_CHILD_ELSEWHERE] = "child_elsewhere",
	[DEC_E_REASON] = "reason",
	[DEC_E_COMMENT] = "comment",
	[DEC_E_DATE_FUTURE] = "date_future",
	[DEC_E_DATE_BEFORE] = "date_before",
	[DEC_E_DEPARTED] = "departed",
	[DEC_E_DECIDED] = "decided",
	[DEC_E_SIGNATURE] = "signature",
	[DEC_E_TEXT] = "text",
	[DEC_E_INTERNAL] = "internal",
};

const char *dec_err_key(enum dec_err e)
{
	static const char *const keys[DEC_E__MAX] = {
		[DEC_OK] = "Decide.err.ok",
		[DEC_E_NOT_FOUND] = "Decide.err.not_found",
		[DEC_E_NOT_SUBMITTED] = "Decide.err.not_submitted",
		[DEC_E_ANNULLED] = "Decide.err.annulled",
		[DEC_E_BENEFIT] = "BenefitCheck.err_pending",
		[DEC_E_BENEFIT_DECIDED] = "BenefitCheck.err_decided",
		[DEC_E_ENROLLED] = "Decide.err.enrolled",
		[DEC_E_IN_REVIEW] = "Decide.err.in_review",
		[DEC_E_CLOSED] = "Decide.err.closed",
		[DEC_E_MUST_ENROLL] = "Decide.err.must_enroll",
		[DEC_E_CHILD_ELSEWHERE] = "Decide.err.child_elsewhere",
		[DEC_E_REASON] = "Decide.err.reason",
		[DEC_E_COMMENT] = "Decide.err.comment",
		[DEC_E_DATE_FUTURE] = "Decide.err.date_future",
		[DEC_E_DATE_BEFORE] = "Decide.err.date_before",
		[DEC_E_DEPARTED] = "Decide.err.departed",
		[DEC_E_DECIDED] = "Decide.err.decided",
		[DEC_E_SIGNATURE] = "Decide.err.signature",
		[DEC_E_TEXT] = "Eds.content",
		[DEC_E_INTERNAL] = "Decide.err.internal",
	};
	return (unsigned)e < DEC_E__MAX ? keys[e] : keys[DEC_E_INTERNAL];
}

int dec_http_status(enum dec_err e)
{
	switch (e) {
	case DEC_OK:
		return 200;
	case DEC_E_NOT_FOUND:
		return 404;
	case DEC_E_REASON:
	case DEC_E_COMMENT:
	case DEC_E_DATE_FUTURE:
	case DEC_E_DATE_BEFORE:
	case DEC_E_SIGNATURE:
	case DEC_E_TEXT:
		return 422;
	case DEC_E_INTERNAL:
	case DEC_E__MAX:
		return 500;
	default:
		return 409;
	}
}

/* ------------------------------------------------------------ upper case */

/* Upper case of one code point: Latin, Russian and Kazakh letters (the
 * letters names are written in); anything else is kept. */
static unsigned upper_cp(unsigned c)
{
	if (c >= 'a' && c <= 'z')
		return c - 32;
	if (c >= 0x430 && c <= 0x44F)
		return c - 0x20;
	if (c >= 0x450 && c <= 0x45F)
		return c - 0x50;
	/* Cyrillic extensions (ғ қ ң ү ұ һ ә ө ...): upper even, lower odd. */
	if (((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) || (c >= 0x4D0 && c <= 0x4FF)) && (c & 1))
		return c - 1;
	if (c >= 0x4C1 && c <= 0x4CE && !(c & 1))
		return c - 1;
	if (c == 0x4CF)
		return 0x4C0;
	return c;
}

/* Writes the upper case of s into out (strlen(s) + 1 bytes: every mapping
 * above keeps the UTF-8 length). Invalid bytes are copied through. */
static void upper_into(const char *s, char *out)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char *o = (unsigned char *)out;
	while (*p) {
		if (*p < 0x80) {
			*o++ = (unsigned char)upper_cp(*p++);
		} else if ((*p & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80) {
			unsigned c = upper_cp(((unsigned)(p[0] & 0x1F) << 6) | (p[1] & 0x3F));
			*o++ = (unsigned char)(0xC0 | (c >> 6));
			*o++ = (unsigned char)(0x80 | (c & 0x3F));
			p += 2;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
}

char *dec_upper(struct arena *a, const char *s)
{
	char *out = arena_alloc(a, strlen(s) + 1);
	if (out)
		upper_into(s, out);
	return out;
}

static void sql_upper(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *s = (const char *)sqlite3_value_text(argv[0]);
	if (!s) {
		sqlite3_result_null(ctx);
		return;
	}
	char *out = sqlite3_malloc((int)strlen(s) + 1);
	if (!out) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	upper_into(s, out);
	sqlite3_result_text(ctx, out, -1, sqlite3_free);
}

int dec_init(void)
{
	if (sqlite3_create_function_v2(db_handle(), "kg_upper", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_upper,
				       NULL, NULL, NULL) != SQLITE_OK) {
		log_err("cannot register kg_upper: %s", sqlite3_errmsg(db_handle()));
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ words */

static const char *dup(struct arena *a, sqlite3_stmt *st, int i) { return arena_strdup(a, db_col(st, i)); }

const char *dec_ddo_name(const char *lang, const char *name_ru, const char *name_kk)
{
	return strcmp(lang, "kk") == 0 && name_kk && *name_kk ? name_kk : name_ru;
}

const char *dec_label(const char *lang, const char *set, const char *value)
{
	char k[96];
	snprintf(k, sizeof k, "Decide.%s.%s", set, value ? value : "");
	return lang_has(lang, k) ? lang_t(lang, k) : value ? value : "";
}

/* Line breaks as "\n" only: a browser sends a textarea's and a hidden
 * field's breaks as CR LF, so the text signed and the text stored are the
 * same whichever form carried it. */
static const char *norm(struct arena *a, const char *s)
{
	char *out = arena_strdup(a, s ? s : "");
	if (!out)
		return "";
	char *o = out;
	for (const char *p = out; *p; p++) {
		if (*p == '\r') {
			*o++ = '\n';
			if (p[1] == '\n')
				p++;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

static int blank(const char *s)
{
	if (!s)
		return 1;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 0;
	return 1;
}

/* The person acting: their IIN (which the signature must carry) and name
 * (on the documents made). 1, 0 or -1. */
struct person {
	char iin[13];
	const char *full_name;
};

static int person_of(struct arena *a, long long account_id, struct person *p)
{
	memset(p, 0, sizeof *p);
	sqlite3_stmt *st = db_query("SELECT iin, surname, name, patronymic FROM account WHERE id = ?", "I", account_id);
	if (!st)
		return -1;
	int found = db_row(st);
	if (found) {
		u_copy(p->iin, sizeof p->iin, db_col(st, 0));
		p->full_name = arena_full_name(a, db_col(st, 1), db_col(st, 2), db_col(st, 3));
	}
	db_done(st);
	return found && p->full_name ? 1 : found ? -1 : 0;
}

/* ------------------------------------------------------------------ reads */

/* The referral by id, with no authorisation: only called with an id that
 * an authorised query gave. 1, 0 or -1. */
static int load_referral(struct arena *a, long long id, struct dec_referral *x)
{
	memset(x, 0, sizeof *x);
	sqlite3_stmt *st = db_query(
		"SELECT f.id, f.application_id, f.ddo_id, d.district_id, a.child_id, f.free_place_id, f.number, "
		"f.voucher, f.issued_at, coalesce(f.docs_submitted_at, 0), d.name_ru, d.name_kk, d.kind, "
		"d.address, coalesce(d.bin, ''), a.number, a.status, a.benefit, a.language, a.group_year, a.queued_at, "
		"c.iin, c.surname, c.name, c.patronymic, c.birth_date, c.sex, p.iin, p.surname, p.name, p.patronymic, "
		"a.phone, coalesce((SELECT x.review_comment FROM refusal x WHERE x.referral_id = f.id AND "
		"x.status = 'rejected' ORDER BY x.reviewed_at DESC LIMIT 1), ''), "
		"f.benefit_check, a.benefit_ground, coalesce(f.benefit_due_at, 0), coalesce(f.benefit_comment, '') "
		"FROM referral f JOIN ddo d ON d.id = f.ddo_id JOIN application a ON a.id = f.application_id "
		"JOIN child c ON c.id = a.child_id JOIN account p ON p.id = a.applicant_id WHERE f.id = ?",
		"I", id);
	if (!st)
		return -1;
	if (!db_row(st)) {
		db_done(st);
		return 0;
	}
	x->id = sqlite3_column_int64(st, 0);
	x->application_id = sqlite3_column_int64(st, 1);
	x->ddo_id = sqlite3_column_int64(st, 2);
	x->district_id = sqlite3_column_int64(st, 3);
	x->child_id = sqlite3_column_int64(st, 4);
	x->free_place_id = sqlite3_column_int64(st, 5);
	x->number = dup(a, st, 6);
	x->voucher = dup(a, st, 7);
	x->issued_at = sqlite3_column_int64(st, 8);
	x->docs_submitted_at = sqlite3_column_int64(st, 9);
	x->ddo_name_ru = dup(a, st, 10);
	x->ddo_name_kk = dup(a, st, 11);
	x->ddo_kind = dup(a, st, 12);
	x->ddo_address = dup(a, st, 13);
	x->ddo_bin = *db_col(st, 14) ? dup(a, st, 14) : NULL;
	x->app_number = dup(a, st, 15);
	x->app_status = dup(a, st, 16);
	x->benefit = dup(a, st, 17);
	x->language = dup(a, st, 18);
	x->group_year = sqlite3_column_int(st, 19);
	x->queued_at = sqlite3_column_int64(st, 20);
	x->child_iin = dup(a, st, 21);
	x->child_surname = dup(a, st, 22);
	x->child_name = dup(a, st, 23);
	x->child_patronymic = dup(a, st, 24);
	x->child_birth = dup(a, st, 25);
	x->child_sex = dup(a, st, 26);
	x->applicant_iin = dup(a, st, 27);
	x->applicant_surname = dup(a, st, 28);
	x->applicant_name = dup(a, st, 29);
	x->applicant_patronymic = dup(a, st, 30);
	x->phone = dup(a, st, 31);
	x->review_comment = dup(a, st, 32);
	x->benefit_check = dup(a, st, 33);
	x->benefit_ground = dup(a, st, 34);
	x->benefit_due_at = sqlite3_column_int64(st, 35);
	x->benefit_comment = dup(a, st, 36);
	db_done(st);
	/* The status as it reads now (an overdue referral reads annulled) and
	 * the deadline: the referral module's. */
	struct ref_info ref;
	if (ref_get(x->id, u_now(), &ref) <= 0)
		return -1;
	x->status = ref_status_names[ref.status];
	/* Still within the confirmation of its benefit: the document deadline
	 * has not started (benefit.h). */
	if (ref.status == REF_ST_ISSUED && ref.benefit_pending)
		x->status = "benefit_pending";
	x->deadline_at = ref.deadline_at;
	return 1;
}

int dec_staff_referral(struct arena *a, struct actor who, long long ddo_id, long long referral_id,
		       struct dec_referral *out)
{
	long long id = db_int("SELECT f.id FROM referral f JOIN ddo_staff s ON s.ddo_id = f.ddo_id AND s.account_id = ? "
			      "WHERE f.id = ? AND (? = 0 OR f.ddo_id = ?)",
			      0, "IIII", who.id, referral_id, ddo_id, ddo_id);
	if (!id) {
		memset(out, 0, sizeof *out);
		return 0;
	}
	return load_referral(a, id, out);
}

int dec_staff_find(struct arena *a, struct actor who, long long ddo_id, int by_iin, const char *q,
		   struct dec_referral *out)
{
	long long id;
	if (by_iin)
		id = db_int("SELECT f.id FROM child c JOIN application a ON a.child_id = c.id "
			    "JOIN referral f ON f.application_id = a.id AND f.ddo_id = ? "
			    "JOIN ddo_staff s ON s.ddo_id = f.ddo_id AND s.account_id = ? "
			    "WHERE c.iin = ? ORDER BY f.issued_at DESC, f.id DESC LIMIT 1",
			    0, "IIt", ddo_id, who.id, q);
	else
		id = db_int("SELECT f.id FROM referral f JOIN ddo_staff s ON s.ddo_id = f.ddo_id AND s.account_id = ? "
			    "WHERE f.number = ? AND f.ddo_id = ?",
			    0, "ItI", who.id, q, ddo_id);
	if (!id) {
		memset(out, 0, sizeof *out);
		return 0;
	}
	return load_referral(a, id, out);
}

static int load_enrollment(struct arena *a, long long id, struct dec_enrollment *e)
{
	memset(e, 0, sizeof *e);
	sqlite3_stmt *st = db_query(
		"SELECT e.id, e.referral_id, e.application_id, e.ddo_id, e.child_id, e.enrolled_at, "
		"e.departed_on IS NOT NULL, coalesce(e.departed_on, ''), coalesce(e.departure_reason, ''), "
		"coalesce(e.departed_at, 0), c.iin, c.surname, c.name, c.patronymic, a.number, f.number, d.name_ru, "
		"d.name_kk, coalesce(d.bin, ''), a.group_year "
		"FROM enrollment e JOIN child c ON c.id = e.child_id JOIN application a ON a.id = e.application_id "
		"JOIN referral f ON f.id = e.referral_id JOIN ddo d ON d.id = e.ddo_id WHERE e.id = ?",
		"I", id);
	if (!st)
		return -1;
	if (!db_row(st)) {
		db_done(st);
		return 0;
	}
	e->id = sqlite3_column_int64(st, 0);
	e->referral_id = sqlite3_column_int64(st, 1);
	e->application_id = sqlite3_column_int64(st, 2);
	e->ddo_id = sqlite3_column_int64(st, 3);
	e->child_id = sqlite3_column_int64(st, 4);
	e->enrolled_at = sqlite3_column_int64(st, 5);
	e->departed = sqlite3_column_int(st, 6);
	e->departed_on = arena_iso_date(a, db_col(st, 7));
	e->departure_reason = dup(a, st, 8);
	e->departed_at = sqlite3_column_int64(st, 9);
	e->child_iin = dup(a, st, 10);
	e->child_surname = dup(a, st, 11);
	e->child_name = dup(a, st, 12);
	e->child_patronymic = dup(a, st, 13);
	e->app_number = dup(a, st, 14);
	e->referral_number = dup(a, st, 15);
	e->ddo_name_ru = dup(a, st, 16);
	e->ddo_name_kk = dup(a, st, 17);
	e->ddo_bin = *db_col(st, 18) ? dup(a, st, 18) : NULL;
	e->group_year = sqlite3_column_int(st, 19);
	db_done(st);
	return 1;
}

int dec_staff_enrollment(struct arena *a, struct actor who, long long enrollment_id, struct dec_enrollment *out)
{
	long long id = db_int("SELECT e.id FROM enrollment e JOIN ddo_staff s ON s.ddo_id = e.ddo_id AND s.account_id = ? "
			      "WHERE e.id = ?",
			      0, "II", who.id, enrollment_id);
	if (!id) {
		memset(out, 0, sizeof *out);
		return 0;
	}
	return load_enrollment(a, id, out);
}

static int load_refusal(struct arena *a, long long id, struct dec_refusal *f)
{
	memset(f, 0, sizeof *f);
	sqlite3_stmt *st = db_query(
		"SELECT x.id, x.status, x.reason, x.refused_at, u.surname, u.name, u.patronymic, "
		"coalesce(g.signer_iin, ''), coalesce(g.cert_serial, ''), g.signed_at, coalesce(x.review_comment, ''), "
		"coalesce(x.reviewed_at, 0), x.referral_id, "
		"coalesce((SELECT max(d.id) FROM document d WHERE d.referral_id = x.referral_id AND d.kind = 'decision' "
		"AND d.created_at >= x.reviewed_at), 0), x.reason_code "
		"FROM refusal x JOIN account u ON u.id = x.refused_by JOIN signature g ON g.id = x.signature_id "
		"WHERE x.id = ?",
		"I", id);
	if (!st)
		return -1;
	if (!db_row(st)) {
		db_done(st);
		return 0;
	}
	f->id = sqlite3_column_int64(st, 0);
	f->status = dup(a, st, 1);
	f->reason = dup(a, st, 2);
	f->refused_at = sqlite3_column_int64(st, 3);
	f->staff_surname = dup(a, st, 4);
	f->staff_name = dup(a, st, 5);
	f->staff_patronymic = dup(a, st, 6);
	f->signer_iin = dup(a, st, 7);
	f->cert_serial = dup(a, st, 8);
	f->signed_at = sqlite3_column_int64(st, 9);
	f->review_comment = dup(a, st, 10);
	f->reviewed_at = sqlite3_column_int64(st, 11);
	long long ref = sqlite3_column_int64(st, 12);
	f->decision_doc = f->reviewed_at ? sqlite3_column_int64(st, 13) : 0;
	f->reason_code = rfs_reason_of(db_col(st, 14));
	db_done(st);
	return load_referral(a, ref, &f->ref);
}

int dec_reviewer_refusal(struct arena *a, struct actor who, long long refusal_id, struct dec_refusal *out)
{
	long long id = db_int("SELECT x.id FROM refusal x JOIN reviewer_district rd ON rd.district_id = x.district_id "
			      "AND rd.account_id = ? WHERE x.id = ?",
			      0, "II", who.id, refusal_id);
	if (!id) {
		memset(out, 0, sizeof *out);
		return 0;
	}
	return load_refusal(a, id, out);
}

/* ------------------------------------------------------------- documents */

static void doc_from(struct arena *a, sqlite3_stmt *st, struct dec_doc *d)
{
	d->id = sqlite3_column_int64(st, 0);
	d->kind = dup(a, st, 1);
	d->origin = dup(a, st, 2);
	d->filename = dup(a, st, 3);
	d->mime = dup(a, st, 4);
	d->sha256 = dup(a, st, 5);
	d->number = dup(a, st, 6);
	d->size = sqlite3_column_int64(st, 7);
	d->created_at = sqlite3_column_int64(st, 8);
}

int dec_documents(struct arena *a, long long application_id, long long referral_id, struct dec_doc **out)
{
	*out = NULL;
	int n = 0, cap = 0;
	sqlite3_stmt *st = db_query(
		"SELECT id, kind, origin, filename, mime, sha256, coalesce(number, ''), size, created_at FROM document "
		"WHERE application_id = ? AND replaced_at IS NULL AND kind <> 'child_card' "
		"AND (referral_id = ? OR (referral_id IS NULL AND origin = 'applicant')) ORDER BY origin, id",
		"II", application_id, referral_id);
	if (!st)
		return -1;
	while (db_row(st)) {
		if (n == cap) {
			int nc = cap ? cap * 2 : 8;
			struct dec_doc *p = arena_alloc(a, (size_t)nc * sizeof *p);
			if (!p) {
				db_done(st);
				return -1;
			}
			if (n)
				memcpy(p, *out, (size_t)n * sizeof *p);
			*out = p;
			cap = nc;
		}
		doc_from(a, st, &(*out)[n++]);
	}
	db_done(st);
	return n;
}

static int one_doc(struct arena *a, sqlite3_stmt *st, struct dec_doc *out)
{
	memset(out, 0, sizeof *out);
	if (!st)
		return -1;
	int found = db_row(st);
	if (found)
		doc_from(a, st, out);
	db_done(st);
	return found;
}

int dec_staff_document(struct arena *a, struct actor who, long long doc_id, struct dec_doc *out)
{
	return one_doc(a,
		       db_query("SELECT d.id, d.kind, d.origin, d.filename, d.mime, d.sha256, coalesce(d.number, ''), "
				"d.size, d.created_at FROM document d JOIN referral f ON f.application_id = d.application_id "
				"AND (d.referral_id IS NULL OR d.referral_id = f.id) "
				"JOIN ddo_staff s ON s.ddo_id = f.ddo_id AND s.account_id = ? WHERE d.id = ? LIMIT 1",
				"II", who.id, doc_id),
		       out);
}

int dec_reviewer_document(struct arena *a, struct actor who, long long doc_id, struct dec_doc *out)
{
	return one_doc(a,
		       db_query("SELECT d.id, d.kind, d.origin, d.filename, d.mime, d.sha256, coalesce(d.number, ''), "
				"d.size, d.created_at FROM document d JOIN referral f ON f.application_id = d.application_id "
				"AND (d.referral_id IS NULL OR d.referral_id = f.id) JOIN refusal x ON x.referral_id = f.id "
				"JOIN reviewer_district rd ON rd.district_id = x.district_id AND rd.account_id = ? "
				"WHERE d.id = ? LIMIT 1",
				"II", who.id, doc_id),
		       out);
}

/* ----------------------------------------------------------------- checks */

enum dec_err dec_can_accept(const struct dec_referral *x)
{
	const char *s = x->status;
	if (!strcmp(s, "docs_submitted") || !strcmp(s, "must_enroll"))
		return DEC_OK;
	if (!strcmp(s, "issued"))
		return DEC_E_NOT_SUBMITTED;
	if (!strcmp(s, "benefit_pending"))
		return DEC_E_BENEFIT;
	if (!strcmp(s, "annulled"))
		return DEC_E_ANNULLED;
	if (!strcmp(s, "enrolled"))
		return DEC_E_ENROLLED;
	if (!strcmp(s, "refused"))
		return DEC_E_IN_REVIEW;
	if (!strcmp(s, "refusal_confirmed"))
		return DEC_E_CLOSED;
	return DEC_E_INTERNAL;
}

enum dec_err dec_can_refuse(const struct dec_referral *x)
{
	if (!strcmp(x->status, "must_enroll"))
		return DEC_E_MUST_ENROLL;
	return dec_can_accept(x);
}

enum dec_err dec_can_review(const struct dec_refusal *f)
{
	return strcmp(f->status, "pending") ? DEC_E_DECIDED : DEC_OK;
}

enum dec_err dec_depart_day(const struct dec_enrollment *e, int day, long long now)
{
	return day > cal_day_from_unix(now)            ? DEC_E_DATE_FUTURE
	       : day < cal_day_from_unix(e->enrolled_at) ? DEC_E_DATE_BEFORE
							 : DEC_OK;
}

/* ------------------------------------------------------------------ texts */

static void line(const char *lang, struct buf *b, const char *key, const char *value)
{
	if (b->len)
		buf_addc(b, '\n');
	buf_printf(b, "%s: %s", lang_t(lang, key), value);
}

static const char *finish_text(struct arena *a, struct buf *b)
{
	const char *s = arena_strdup(a, b->s ? b->s : "");
	buf_free(b);
	return s;
}

static void referral_lines(const char *lang, struct buf *b, const char *ddo_ru, const char *ddo_kk, const char *bin,
			   const char *child, const char *iin, const char *ref, const char *app)
{
	line(lang, b, "Decide.text.ddo", dec_ddo_name(lang, ddo_ru, ddo_kk));
	if (bin)
		line(lang, b, "Decide.text.bin", bin);
	line(lang, b, "Decide.text.child", child);
	line(lang, b, "Decide.text.iin", iin);
	line(lang, b, "Decide.text.referral", ref);
	line(lang, b, "Decide.text.application", app);
}

const char *dec_text_accept(struct arena *a, const char *lang, const struct dec_referral *x)
{
	struct buf b = {0};
	buf_adds(&b, lang_t(lang, "Decide.text.accept"));
	referral_lines(lang, &b, x->ddo_name_ru, x->ddo_name_kk, x->ddo_bin,
		       arena_full_name(a, x->child_surname, x->child_name, x->child_patronymic), x->child_iin, x->number,
		       x->app_number);
	return finish_text(a, &b);
}

/* The reason from the list and the staff member's explanation of it. */
static void reason_lines(struct arena *a, const char *lang, struct buf *b, enum rfs_reason code, const char *reason)
{
	line(lang, b, "Decide.text.reason", rfs_reason_label(lang, code));
	line(lang, b, "RefusalReason.explanation", norm(a, reason));
}

const char *dec_text_refuse(struct arena *a, const char *lang, const struct dec_referral *x, enum rfs_reason code,
			    const char *reason)
{
	struct buf b = {0};
	buf_adds(&b, lang_t(lang, "Decide.text.refuse"));
	referral_lines(lang, &b, x->ddo_name_ru, x->ddo_name_kk, x->ddo_bin,
		       arena_full_name(a, x->child_surname, x->child_name, x->child_patronymic), x->child_iin, x->number,
		       x->app_number);
	reason_lines(a, lang, &b, code, reason);
	return finish_text(a, &b);
}

const char *dec_text_review(struct arena *a, const char *lang, const struct dec_refusal *f, int confirm,
			    const char *comment)
{
	const struct dec_referral *x = &f->ref;
	struct buf b = {0};
	buf_adds(&b, lang_t(lang, confirm ? "Decide.text.confirm" : "Decide.text.reject"));
	referral_lines(lang, &b, x->ddo_name_ru, x->ddo_name_kk, NULL,
		       arena_full_name(a, x->child_surname, x->child_name, x->child_patronymic), x->child_iin, x->number,
		       x->app_number);
	line(lang, &b, "Decide.text.refused_at", arena_datetime(a, f->refused_at));
	reason_lines(a, lang, &b, f->reason_code, f->reason);
	line(lang, &b, "Decide.text.comment", norm(a, comment));
	return finish_text(a, &b);
}

const char *dec_text_depart(struct arena *a, const char *lang, const struct dec_enrollment *e, int day,
			    const char *reason)
{
	struct buf b = {0};
	char d[11];
	cal_format_date(day, d);
	buf_adds(&b, lang_t(lang, "Decide.text.depart"));
	referral_lines(lang, &b, e->ddo_name_ru, e->ddo_name_kk, e->ddo_bin,
		       arena_full_name(a, e->child_surname, e->child_name, e->child_patronymic), e->child_iin,
		       e->referral_number, e->app_number);
	line(lang, &b, "Decide.text.date", d);
	line(lang, &b, "Decide.text.reason", norm(a, reason));
	return finish_text(a, &b);
}

/* ------------------------------------------------------------ transitions */

/* Ends a refused transition: rolls back whatever was written, records the
 * attempt in the audit log and fills res. */
static enum dec_err refuse_with(struct actor who, struct dec_result *res, enum dec_err e, const char *action,
				const char *otype, long long oid)
{
	if (db_in_tx())
		db_rollback();
	res->err = e;
	if (e != DEC_E_SIGNATURE || !res->msg_key)
		res->msg_key = dec_err_key(e);
	if (e == DEC_E_INTERNAL)
		log_err("%s %s %lld failed: %s", action, otype, oid, db_errmsg());
	char details[200];
	snprintf(details, sizeof details, "%s", res->detail ? res->detail : "");
	u_mask_iins_in(details);
	audit_act(who, action, otype, oid, dec_err_names[e], details);
	return e;
}

/* The end of a transition that went through (committed). */
static enum dec_err went_through(struct dec_result *res)
{
	res->err = DEC_OK;
	res->msg_key = "Decide.err.ok";
	return DEC_OK;
}

static void res_init(struct dec_result *res)
{
	memset(res, 0, sizeof *res);
	res->detail = "";
}

/* Inside the open transaction: takes the proof of the signature for this
 * action and object, by the person acting (and an employee of bin when
 * given), records it (the challenge is used) and checks that what was
 * signed begins with the decision's text. *sig gets the stored
 * signature's id. */
static enum dec_err check_signature(struct arena *a, struct actor who, struct dec_result *res,
				    const struct sign_proof *p, const char *action, long long oid, const char *otype,
				    const char *bin, const char *text, long long *sig)
{
	struct person me;
	int found = person_of(a, who.id, &me);
	if (found <= 0)
		return found < 0 ? DEC_E_INTERNAL : DEC_E_NOT_FOUND;
	const char *key = p->msg_key;
	enum sign_err se;
	if (p->err == SIGN_OK && (!p->purpose || !p->action || strcmp(p->purpose, "action") || strcmp(p->action, action) ||
				  p->object_id != oid)) {
		/* A proof of another challenge than this decision's. */
		se = SIGN_E_CONTENT;
		key = "Eds.challenge_unknown";
	} else {
		se = sigrec_store(p, who.id, me.iin, bin, otype, sig, &key);
	}
	if (se != SIGN_OK) {
		res->msg_key = key;
		/* The log keeps the detail of a refused verification or person. */
		res->detail = arena_printf(a, "%s %s", sign_err_name(se),
					   p->err != SIGN_OK || se == SIGN_E_WRONG_PERSON || se == SIGN_E_WRONG_BIN
						   ? p->signer.detail
						   : "");
		return DEC_E_SIGNATURE;
	}
	if (!text)
		return DEC_E_INTERNAL;
	size_t tl = strlen(text);
	if (!(p->content_len >= tl + 2 && memcmp(p->content, text, tl) == 0 && p->content[tl] == '\n' &&
	      p->content[tl + 1] == '\n')) {
		res->detail = "signed content is not the decision's text";
		return DEC_E_TEXT;
	}
	return DEC_OK;
}

/* The parent's own language (account.h), which they are written in. */
static const char *parent_lang(const struct dec_referral *x) { return acct_lang_of_app(x->application_id, NULL); }

/* The SMS to the parent, in their language. */
static int tell_parent(struct arena *a, const struct dec_referral *x, const char *kind, const char *key,
		       const char *extra)
{
	const char *lang = parent_lang(x);
	const char *ddo = strcmp(lang, "kk") == 0 ? x->ddo_name_kk : x->ddo_name_ru;
	const char *kv[] = {"child", x->child_name, "ddo", ddo, "ref", x->number, "app", x->app_number,
			    "x", extra ? extra : "", NULL};
	const char *text = arena_subst(a, lang_t(lang, key), kv);
	if (!x->phone || !*x->phone)
		return 0;
	return hist_notify(x->application_id, x->phone, kind, text) < 0 ? -1 : 0;
}

static int changed_one(int rc) { return rc == SQLITE_DONE && db_changes() == 1; }

enum dec_err dec_accept(struct arena *a, struct actor who, const char *lang, long long referral_id,
			const struct sign_proof *p, struct dec_result *res)
{
	res_init(res);
	struct dec_referral x;
	if (db_begin() < 0)
		return refuse_with(who, res, DEC_E_INTERNAL, "accept", "referral", referral_id);
	int f = dec_staff_referral(a, who, 0, referral_id, &x);
	if (f <= 0)
		return refuse_with(who, res, f < 0 ? DEC_E_INTERNAL : DEC_E_NOT_FOUND, "accept", "referral", referral_id);
	enum dec_err e = dec_can_accept(&x);
	if (e != DEC_OK)
		return refuse_with(who, res, e, "accept", "referral", referral_id);
	long long sig = 0;
	e = check_signature(a, who, res, p, "accept", x.id, "referral", x.ddo_bin, dec_text_accept(a, lang, &x), &sig);
	if (e != DEC_OK)
		return refuse_with(who, res, e, "accept", "referral", x.id);
	long long now = u_now();
	/* A transfer request (transfer.h): the old enrollment ends first. */
	if (tr_complete(a, x.application_id, who.id, sig, now) < 0)
		return refuse_with(who, res, DEC_E_INTERNAL, "accept", "referral", x.id);
	if (db_int("SELECT count(*) FROM enrollment WHERE child_id = ? AND departed_on IS NULL", 0, "I", x.child_id))
		return refuse_with(who, res, DEC_E_CHILD_ELSEWHERE, "accept", "referral", x.id);
	if (db_exec("INSERT INTO enrollment(referral_id, application_id, ddo_id, child_id, enrolled_at, enrolled_by, "
		    "signature_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
		    "IIIIIII", x.id, x.application_id, x.ddo_id, x.child_id, now, who.id, sig) != SQLITE_DONE)
		return refuse_with(who, res, DEC_E_INTERNAL, "accept", "referral", x.id);
	res->id = db_last_id();
	if (!changed_one(db_exec("UPDATE referral SET status = 'enrolled', voucher = 'bound', closed_at = ? "
				 "WHERE id = ? AND status IN ('docs_submitted', 'must_enroll')",
				 "II", now, x.id)) ||
	    !changed_one(db_exec("UPDATE application SET status = 'enrolled', updated_at = ? "
				 "WHERE id = ? AND status = 'docs_submitted'",
				 "II", now, x.application_id)) ||
	    hist_add(x.application_id, who.id, "staff", "enrolled", x.ddo_name_ru, x.number, NULL) < 0 ||
	    tell_parent(a, &x, "enrolled", "Decide.sms.enrolled", NULL) < 0 ||
	    audit_act(who, "accept", "referral", x.id, "ok",
		      arena_printf(a, "enrollment %lld, signature %lld", res->id, sig)) < 0 ||
	    db_commit() < 0)
		return refuse_with(who, res, DEC_E_INTERNAL, "accept", "referral", x.id);
	return went_through(res);
}

enum dec_err dec_refuse(struct arena *a, struct actor who, const char *lang, long long referral_id,
			enum rfs_reason code, const char *reason, const struct sign_proof *p, struct dec_result *res)
{
	res_init(res);
	reason = norm(a, reason);
	struct dec_referral x;
	if (db_begin() < 0)
		return refuse_with(who, res, DEC_E_INTERNAL, "refuse", "referral", referral_id);
	int f = dec_staff_referral(a, who, 0, referral_id, &x);
	if (f <= 0)
		return refuse_with(who, res, f < 0 ? DEC_E_INTERNAL : DEC_E_NOT_FOUND, "refuse", "referral", referral_id);
	enum dec_err e = dec_can_refuse(&x);
	if (e == DEC_OK && ((unsigned)code >= RFS__MAX || blank(reason)))
		e = DEC_E_REASON;
	if (e != DEC_OK)
		return refuse_with(who, res, e, "refuse", "referral", referral_id);
	long long sig = 0;
	e = check_signature(a, who, res, p, "refuse", x.id, "referral", x.ddo_bin,
			    dec_text_refuse(a, lang, &x, code, reason), &sig);
	if (e != DEC_OK)
		return refuse_with(who, res, e, "refuse", "referral", x.id);
	long long now = u_now();
	if (db_exec("INSERT INTO refusal(referral_id, ddo_id, district_id, reason_code, reason, refused_by, refused_at, "
		    "signature_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		    "IIIttIII", x.id, x.ddo_id, x.district_id, rfs_reason_names[code], reason, who.id, now,
		    sig) != SQLITE_DONE)
		return refuse_with(who, res, DEC_E_INTERNAL, "refuse", "referral", x.id);
	res->id = db_last_id();
	if (!changed_one(db_exec("UPDATE referral SET status = 'refused' WHERE id = ? AND status = 'docs_submitted'", "I",
				 x.id)) ||
	    !changed_one(db_exec("UPDATE application SET status = 'refusal_review', updated_at = ? "
				 "WHERE id = ? AND status = 'docs_submitted'",
				 "II", now, x.application_id)) ||
	    hist_add(x.application_id, who.id, "staff", "ddo_refused", x.ddo_name_ru,
		     arena_printf(a, "refusal_%s", rfs_reason_names[code]), reason) < 0 ||
	    tell_parent(a, &x, "refused", "RefusalReason.sms", rfs_reason_label(parent_lang(&x), code)) < 0 ||
	    audit_act(who, "refuse", "referral", x.id, "ok",
		      arena_printf(a, "refusal %lld, signature %lld", res->id, sig)) < 0 ||
	    db_commit() < 0)
		return refuse_with(who, res, DEC_E_INTERNAL, "refuse", "referral", x.id);
	return went_through(res);
}

/* The decision of the education department as a PDF in lang (the
 * parent's), recorded with the referral's documents. Returns the document
 * id or -1. */
static long long decision_pdf(struct arena *a, struct actor who, const char *lang, const struct dec_refusal *f,
			      int confirm, const char *comment, long long sig, long long now)
{
	const struct dec_referral *x = &f->ref;
	struct person me;
	if (person_of(a, who.id, &me) <= 0)
		return -1;
	char code[23];
	if (doc_new_check_code(code) < 0)
		return -1;
#define T(key) lang_t(lang, key)
	const char *title = T(confirm ? "Decide.pdf.confirmed" : "Decide.pdf.rejected");
	struct pdf *p = pdf_new(arena_printf(a, "%s %s", T("Decide.pdf.decision"), x->number));
	if (!p)
		return -1;
	pdf_title(p, T("Decide.pdf.decision"));
	pdf_text(p, title);
	pdf_heading(p, T("Decide.pdf.about"));
	pdf_field(p, T("Decide.pdf.ddo"), dec_ddo_name(lang, x->ddo_name_ru, x->ddo_name_kk));
	pdf_field(p, T("Decide.pdf.child"), arena_full_name(a, x->child_surname, x->child_name, x->child_patronymic));
	pdf_field(p, T("Decide.pdf.iin"), x->child_iin);
	pdf_field(p, T("Decide.pdf.referral"), x->number);
	pdf_field(p, T("Decide.pdf.application"), x->app_number);
	pdf_field(p, T("Decide.pdf.refused_at"), arena_datetime(a, f->refused_at));
	pdf_field(p, T("Decide.pdf.staff"), arena_full_name(a, f->staff_surname, f->staff_name, f->staff_patronymic));
	pdf_field(p, T("Decide.pdf.reason"), rfs_reason_label(lang, f->reason_code));
	pdf_field(p, T("RefusalReason.explanation"), f->reason);
	pdf_heading(p, T("Decide.pdf.decided"));
	pdf_field(p, T("Decide.pdf.outcome"), title);
	pdf_field(p, T("Decide.pdf.comment"), comment);
	pdf_field(p, T("Decide.pdf.reviewer"), me.full_name);
	pdf_field(p, T("Decide.pdf.date"), arena_datetime(a, now));
	char serial[80] = "";
	db_text(serial, sizeof serial, "SELECT coalesce(cert_serial, '') FROM signature WHERE id = ?", "I", sig);
	pdf_field(p, T("Decide.pdf.signed"), serial);
	pdf_gap(p, 8);
	pdf_note(p, T(confirm ? "Decide.pdf.confirmed_note" : "Decide.pdf.rejected_note"));
	pdf_qr(p, doc_check_url(a, code), T("Decide.pdf.check"));
#undef T
	struct buf out = {0};
	if (pdf_finish(p, &out) < 0) {
		buf_free(&out);
		return -1;
	}
	long long id = doc_add_generated(x->application_id, x->id, "decision", x->number, code, &out,
					 arena_printf(a, "decision-%s.pdf", x->number), who.id);
	buf_free(&out);
	return id;
}

enum dec_err dec_review(struct arena *a, struct actor who, const char *lang, long long refusal_id, int confirm,
			const char *comment, const struct sign_proof *p, struct dec_result *res)
{
	res_init(res);
	comment = norm(a, comment);
	const char *action = confirm ? "review_confirm" : "review_reject";
	struct dec_refusal f;
	if (db_begin() < 0)
		return refuse_with(who, res, DEC_E_INTERNAL, action, "refusal", refusal_id);
	int found = dec_reviewer_refusal(a, who, refusal_id, &f);
	if (found <= 0)
		return refuse_with(who, res, found < 0 ? DEC_E_INTERNAL : DEC_E_NOT_FOUND, action, "refusal", refusal_id);
	enum dec_err e = dec_can_review(&f);
	if (e == DEC_OK && blank(comment))
		e = DEC_E_COMMENT;
	if (e != DEC_OK)
		return refuse_with(who, res, e, action, "refusal", refusal_id);
	long long sig = 0;
	e = check_signature(a, who, res, p, action, f.id, "refusal", NULL, dec_text_review(a, lang, &f, confirm, comment),
			    &sig);
	if (e != DEC_OK)
		return refuse_with(who, res, e, action, "refusal", f.id);
	long long now = u_now();
	const struct dec_referral *x = &f.ref;
	int ok = changed_one(db_exec("UPDATE refusal SET status = ?, reviewer_id = ?, review_comment = ?, reviewed_at = ?, "
				     "review_signature_id = ? WHERE id = ? AND status = 'pending'",
				     "tItIII", confirm ? "confirmed" : "rejected", who.id, comment, now, sig, f.id));
	if (ok && confirm)
		/* The schema's trigger gives the place back to its record. */
		ok = changed_one(db_exec("UPDATE referral SET status = 'refusal_confirmed', voucher = 'annulled', closed_at = ? "
					 "WHERE id = ? AND status = 'refused'",
					 "II", now, x->id)) &&
		     place_fix_status(x->free_place_id, now) == 0 &&
		     /* Its queue date and category were never changed: back at its place. */
		     changed_one(db_exec("UPDATE application SET status = 'queued', updated_at = ? "
					 "WHERE id = ? AND status = 'refusal_review'",
					 "II", now, x->application_id)) &&
		     /* The place given back, in its window, is offered on (offer.h). */
		     offer_fill_place(x->free_place_id, now) >= 0;
	else if (ok)
		ok = changed_one(db_exec("UPDATE referral SET status = 'must_enroll' WHERE id = ? AND status = 'refused'", "I",
					 x->id)) &&
		     changed_one(db_exec("UPDATE application SET status = 'docs_submitted', updated_at = ? "
					 "WHERE id = ? AND status = 'refusal_review'",
					 "II", now, x->application_id));
	if (!ok)
		return refuse_with(who, res, DEC_E_INTERNAL, action, "refusal", f.id);
	/* The decision is the parent's document: in the parent's language. */
	res->id = decision_pdf(a, who, parent_lang(x), &f, confirm, comment, sig, now);
	if (res->id < 0)
		return refuse_with(who, res, DEC_E_INTERNAL, action, "refusal", f.id);
	/* The DDO hears it through the person who refused (or its owner). */
	char phone[24] = "";
	db_text(phone, sizeof phone,
		"SELECT CASE WHEN u.phone <> '' THEN u.phone ELSE d.owner_phone END FROM refusal x "
		"JOIN account u ON u.id = x.refused_by JOIN ddo d ON d.id = x.ddo_id WHERE x.id = ?",
		"I", f.id);
	const char *kv[] = {"child", x->child_name, "ref", x->number, NULL};
	const char *ddo_text =
		arena_subst(a, lang_t(lang, confirm ? "Decide.sms.ddo_confirmed" : "Decide.sms.ddo_rejected"), kv);
	if (hist_add(x->application_id, who.id, "reviewer", confirm ? "refusal_confirmed" : "refusal_rejected", x->number,
		     comment, NULL) < 0 ||
	    tell_parent(a, x, confirm ? "refusal_confirmed" : "refusal_rejected",
			confirm ? "Decide.sms.refusal_confirmed" : "Decide.sms.refusal_rejected", NULL) < 0 ||
	    (*phone && hist_notify(0, phone, confirm ? "refusal_confirmed_ddo" : "refusal_rejected_ddo", ddo_text) < 0) ||
	    audit_act(who, action, "refusal", f.id, "ok",
		      arena_printf(a, "referral %lld, decision document %lld, signature %lld", x->id, res->id, sig)) < 0 ||
	    db_commit() < 0)
		return refuse_with(who, res, DEC_E_INTERNAL, action, "refusal", f.id);
	return went_through(res);
}

enum dec_err dec_depart(struct arena *a, struct actor who, const char *lang, long long enrollment_id, int day,
			const char *reason, const struct sign_proof *p, struct dec_result *res)
{
	res_init(res);
	reason = norm(a, reason);
	struct dec_enrollment en;
	if (db_begin() < 0)
		return refuse_with(who, res, DEC_E_INTERNAL, "departure", "enrollment", enrollment_id);
	int f = dec_staff_enrollment(a, who, enrollment_id, &en);
	if (f <= 0)
		return refuse_with(who, res, f < 0 ? DEC_E_INTERNAL : DEC_E_NOT_FOUND, "departure", "enrollment",
				   enrollment_id);
	long long now = u_now();
	enum dec_err e = en.departed ? DEC_E_DEPARTED : blank(reason) ? DEC_E_REASON : dec_depart_day(&en, day, now);
	if (e != DEC_OK)
		return refuse_with(who, res, e, "departure", "enrollment", enrollment_id);
	long long sig = 0;
	e = check_signature(a, who, res, p, "departure", en.id, "enrollment", en.ddo_bin,
			    dec_text_depart(a, lang, &en, day, reason), &sig);
	if (e != DEC_OK)
		return refuse_with(who, res, e, "departure", "enrollment", en.id);
	char iso[11], ui[11];
	cal_format_iso(day, iso);
	cal_format_date(day, ui);
	struct dec_referral x;
	if (load_referral(a, en.referral_id, &x) <= 0 ||
	    !changed_one(db_exec("UPDATE enrollment SET departed_on = ?, departure_reason = ?, departed_by = ?, "
				 "departure_signature_id = ?, departed_at = ? WHERE id = ? AND departed_on IS NULL",
				 "ttIIII", iso, reason, who.id, sig, now, en.id)) ||
	    !changed_one(db_exec("UPDATE application SET status = 'departed', archive_reason = 'departed', updated_at = ? "
				 "WHERE id = ? AND status = 'enrolled'",
				 "II", now, en.application_id)) ||
	    hist_add(en.application_id, who.id, "staff", "departed", en.ddo_name_ru, ui, reason) < 0 ||
	    tell_parent(a, &x, "departed", "Decide.sms.departed", ui) < 0 ||
	    audit_act(who, "departure", "enrollment", en.id, "ok",
		      arena_printf(a, "referral %lld, signature %lld", en.referral_id, sig)) < 0 ||
	    db_commit() < 0)
		return refuse_with(who, res, DEC_E_INTERNAL, "departure", "enrollment", en.id);
	res->id = en.id;
	return went_through(res);
}

/* ------------------------------------------------------------ child card */

long long dec_child_card(struct arena *a, struct actor who, const char *lang, const struct dec_referral *x)
{
	struct dec_doc *docs = NULL;
	int nd = dec_documents(a, x->application_id, x->id, &docs);
	if (nd < 0)
		return -1;
	struct person me;
	if (person_of(a, who.id, &me) <= 0)
		return -1;
	char district[256] = "";
	db_text(district, sizeof district, "SELECT CASE WHEN ? = 'kk' THEN name_kk ELSE name_ru END FROM district WHERE id = ?",
		"tI", lang, x->district_id);
	char code[23];
	if (doc_new_check_code(code) < 0)
		return -1;
	long long now = u_now();
#define T(key) lang_t(lang, key)
#define L(set, value) dec_label(lang, set, value)
	struct pdf *p = pdf_new(arena_printf(a, "%s %s", T("Decide.pdf.card"), x->number));
	if (!p)
		return -1;
	pdf_title(p, T("Decide.pdf.card"));
	pdf_heading(p, T("Decide.pdf.h_child"));
	pdf_field(p, T("Decide.pdf.fio"), arena_full_name(a, x->child_surname, x->child_name, x->child_patronymic));
	pdf_field(p, T("Decide.pdf.iin"), x->child_iin);
	pdf_field(p, T("Decide.pdf.birth"), arena_iso_date(a, x->child_birth));
	pdf_field(p, T("Decide.pdf.sex"), L("sex", x->child_sex));
	pdf_heading(p, T("Decide.pdf.h_applicant"));
	pdf_field(p, T("Decide.pdf.fio"),
		  arena_full_name(a, x->applicant_surname, x->applicant_name, x->applicant_patronymic));
	pdf_field(p, T("Decide.pdf.iin"), x->applicant_iin);
	pdf_field(p, T("Decide.pdf.phone"), x->phone);
	pdf_heading(p, T("Decide.pdf.h_application"));
	pdf_field(p, T("Decide.pdf.application"), x->app_number);
	pdf_field(p, T("Decide.pdf.district"), district);
	pdf_field(p, T("Decide.pdf.group_year"), arena_printf(a, "%d", x->group_year));
	pdf_field(p, T("Decide.pdf.language"), L("lang", x->language));
	pdf_field(p, T("Decide.pdf.benefit"), L("benefit", x->benefit));
	pdf_field(p, T("Decide.pdf.queued"), arena_datetime(a, x->queued_at));
	pdf_heading(p, T("Decide.pdf.h_referral"));
	pdf_field(p, T("Decide.pdf.referral"), x->number);
	pdf_field(p, T("Decide.pdf.status"), L("rstatus", x->status));
	pdf_field(p, T("Decide.pdf.issued"), arena_datetime(a, x->issued_at));
	pdf_field(p, T("Decide.pdf.deadline"), arena_datetime(a, x->deadline_at));
	if (x->docs_submitted_at)
		pdf_field(p, T("Decide.pdf.submitted"), arena_datetime(a, x->docs_submitted_at));
	pdf_heading(p, T("Decide.pdf.h_ddo"));
	pdf_field(p, T("Decide.pdf.ddo"), dec_ddo_name(lang, x->ddo_name_ru, x->ddo_name_kk));
	pdf_field(p, T("Decide.pdf.ddo_kind"), L("ddokind", x->ddo_kind));
	pdf_field(p, T("Decide.pdf.address"), x->ddo_address);
	if (x->ddo_bin)
		pdf_field(p, T("Decide.pdf.bin"), x->ddo_bin);
	pdf_heading(p, T("Decide.pdf.h_documents"));
	if (!nd)
		pdf_text(p, T("Decide.pdf.no_documents"));
	for (int i = 0; i < nd; i++)
		pdf_field(p, L("kind", docs[i].kind),
			  arena_printf(a, "%s (%s)", docs[i].filename, arena_datetime(a, docs[i].created_at)));
	pdf_gap(p, 8);
	pdf_note(p, arena_subst(a, T("Decide.pdf.made"),
				(const char *const[]){"when", arena_datetime(a, now), "who", me.full_name, NULL}));
	pdf_qr(p, doc_check_url(a, code), T("Decide.pdf.check"));
#undef L
#undef T
	struct buf out = {0};
	if (pdf_finish(p, &out) < 0) {
		buf_free(&out);
		return -1;
	}
	long long id = -1;
	if (db_begin() == 0) {
		id = doc_add_generated(x->application_id, x->id, "child_card", x->number, code, &out,
				       arena_printf(a, "child-card-%s.pdf", x->number), who.id);
		if (id < 0 ||
		    audit_act(who, "child_card", "referral", x->id, "ok", arena_printf(a, "document %lld", id)) < 0 ||
		    db_commit() < 0) {
			db_rollback();
			id = -1;
		}
	}
	buf_free(&out);
	return id;
}

/* ---------------------------------------------- confirmation of a benefit */

int dec_reviewer_benefit(struct arena *a, struct actor who, long long referral_id, struct dec_referral *out)
{
	long long id = db_int("SELECT f.id FROM referral f JOIN application a ON a.id = f.application_id "
			      "JOIN reviewer_district rd ON rd.district_id = a.district_id AND rd.account_id = ? "
			      "WHERE f.id = ? AND f.benefit_check <> ''",
			      0, "II", who.id, referral_id);
	if (!id) {
		memset(out, 0, sizeof *out);
		return 0;
	}
	return load_referral(a, id, out);
}

int dec_benefit_documents(struct arena *a, long long application_id, struct dec_doc **out)
{
	*out = NULL;
	sqlite3_stmt *st = db_query(
		"SELECT id, kind, origin, filename, mime, sha256, coalesce(number, ''), size, created_at FROM document "
		"WHERE application_id = ? AND kind = 'benefit' AND referral_id IS NULL AND replaced_at IS NULL ORDER BY id "
		"LIMIT 16",
		"I", application_id);
	if (!st)
		return -1;
	struct dec_doc *d = arena_alloc(a, 16 * sizeof *d);
	int n = 0;
	while (d && n < 16 && db_row(st))
		doc_from(a, st, &d[n++]);
	if (db_end(st) < 0 || !d)
		return -1;
	*out = d;
	return n;
}

int dec_benefit_document(struct arena *a, struct actor who, long long doc_id, struct dec_doc *out)
{
	return one_doc(a,
		       db_query("SELECT d.id, d.kind, d.origin, d.filename, d.mime, d.sha256, coalesce(d.number, ''), "
				"d.size, d.created_at FROM document d JOIN application a ON a.id = d.application_id "
				"JOIN reviewer_district rd ON rd.district_id = a.district_id AND rd.account_id = ? "
				"WHERE d.id = ? AND d.kind = 'benefit' AND EXISTS (SELECT 1 FROM referral f "
				"WHERE f.application_id = a.id AND f.benefit_check <> '')",
				"II", who.id, doc_id),
		       out);
}

enum dec_err dec_can_benefit(const struct dec_referral *x)
{
	if (!strcmp(x->status, "benefit_pending"))
		return DEC_OK;
	/* Still stored pending, but past its due time: it lapses. */
	if (!strcmp(x->benefit_check, "pending"))
		return DEC_E_ANNULLED;
	return DEC_E_BENEFIT_DECIDED;
}

/* The words of a legal ground in lang (its code when it has none). */
static const char *ground_name(struct arena *a, const char *lang, const char *code)
{
	const char *k = arena_printf(a, "Benefit.g.%s.name", code ? code : "");
	return k && lang_has(lang, k) ? lang_t(lang, k) : code ? code : "";
}

const char *dec_text_benefit(struct arena *a, const char *lang, const struct dec_referral *x, int confirm,
			     const char *comment)
{
	struct buf b = {0};
	buf_adds(&b, lang_t(lang, confirm ? "BenefitCheck.text_confirm" : "BenefitCheck.text_refuse"));
	referral_lines(lang, &b, x->ddo_name_ru, x->ddo_name_kk, NULL,
		       arena_full_name(a, x->child_surname, x->child_name, x->child_patronymic), x->child_iin, x->number,
		       x->app_number);
	line(lang, &b, "BenefitCheck.category", lang_t(lang, arena_printf(a, "Benefit.cat.%s", x->benefit)));
	line(lang, &b, "Benefit.ground", ground_name(a, lang, x->benefit_ground));
	line(lang, &b, "Decide.text.comment", norm(a, comment));
	return finish_text(a, &b);
}

enum dec_err dec_benefit(struct arena *a, struct actor who, const char *lang, long long referral_id, int confirm,
			 const char *comment, const struct sign_proof *p, struct dec_result *res)
{
	res_init(res);
	comment = norm(a, comment);
	const char *action = confirm ? "benefit_confirm" : "benefit_refuse";
	struct dec_referral x;
	if (db_begin() < 0)
		return refuse_with(who, res, DEC_E_INTERNAL, action, "referral", referral_id);
	int found = dec_reviewer_benefit(a, who, referral_id, &x);
	if (found <= 0)
		return refuse_with(who, res, found < 0 ? DEC_E_INTERNAL : DEC_E_NOT_FOUND, action, "referral", referral_id);
	enum dec_err e = dec_can_benefit(&x);
	if (e == DEC_OK && blank(comment))
		e = DEC_E_COMMENT;
	if (e != DEC_OK)
		return refuse_with(who, res, e, action, "referral", referral_id);
	long long sig = 0;
	e = check_signature(a, who, res, p, action, x.id, "referral", NULL, dec_text_benefit(a, lang, &x, confirm, comment),
			    &sig);
	if (e != DEC_OK)
		return refuse_with(who, res, e, action, "referral", x.id);
	long long now = u_now();
	int done;
	if (confirm) {
		/* The document deadline starts now. */
		long long deadline = ref_start_deadline(x.id, now);
		done = deadline < 0 ? -1 : benefit_confirm(x.id, who, comment, sig, deadline, now);
	} else {
		/* The place returns (the schema's trigger) and is offered on. */
		done = benefit_refuse(x.id, who, comment, sig, now);
	}
	if (done == 0)
		return refuse_with(who, res, DEC_E_BENEFIT_DECIDED, action, "referral", x.id);
	if (done < 0 ||
	    audit_act(who, action, "referral", x.id, "ok", arena_printf(a, "application %lld, signature %lld",
								       x.application_id, sig)) < 0 ||
	    db_commit() < 0)
		return refuse_with(who, res, DEC_E_INTERNAL, action, "referral", x.id);
	res->id = x.id;
	return went_through(res);
}
