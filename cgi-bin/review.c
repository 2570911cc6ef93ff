/*
 * review — the education department's review of the kindergartens'
 * motivated refusals (seed 000, section 3: «Отказанные заявки поступают на
 * проверку уполномоченному лицу Отдела образования»), for reviewers:
 *
 *   GET  /review          the refusals of the reviewer's districts awaiting
 *                         a decision, oldest first, each with the child,
 *                         the application, the DDO, the staff member's
 *                         reason, the documents the parent submitted and
 *                         the signed refusal (signer, time, certificate
 *                         serial); «Подтвердить отказ» / «Отклонить отказ»
 *                         with a comment; the decided refusals below, with
 *                         their decision PDF, newest first, in pages
 *   POST /review/%d       the decision and comment, then the text to sign,
 *                         then the signed decision (dec_review)
 *   GET  /review/doc/%d   a document of a refusal of the reviewer's
 *                         districts
 *   GET  /review/benefits the referrals of the reviewer's districts whose
 *                         benefit awaits confirmation (domain/benefit.h),
 *                         oldest first: the child, the application, the
 *                         category and its legal ground, the supporting
 *                         documents, the due date; «Подтвердить льготу» /
 *                         «Не подтверждать» with a comment
 *   POST /review/benefits/%d  the decision and comment, then the text to
 *                         sign, then the signed decision (dec_benefit)
 *   GET  /review/benefits/doc/%d  a supporting document of such a referral
 *   GET  /review/guardians  «Законные представители»: the guardian requests
 *                         of the reviewer's districts (domain/guardian.h),
 *                         oldest first, with the child, the applicant and
 *                         the supporting document; «Подтвердить полномочия»
 *                         / «Отказать» with a reason; the decided ones below
 *   POST /review/guardians/%d  the decision and reason, then the text to
 *                         sign, then the signed decision (guardian_decide)
 *   GET  /review/guardians/doc/%d  the supporting document of a request
 *
 * The decision itself is dec_review (lib/domain/decide.c): this screen
 * reads the form, verifies the CMS against its challenge (esig_verify)
 * and shows what the domain returns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/db.h"
#include "domain/decide.h"
#include "domain/referral.h"
#include "domain/doc.h"
#include "domain/guardian.h"
#include "domain/refusal.h"
#include "web/esig.h"
#include "web/lst.h"
#include "domain/proof.h"
#include "web/req.h"
#include "base/util.h"
#include "web/val.h"
#include "web/view.h"

#include "decide_view.h"

#define CMS_MAX 100000
#define MAX_PENDING 100
#define PER_PAGE 20

static const char *const decisions[] = {"confirm", "reject", NULL};
enum { F_DECISION, F_COMMENT, F_NONCE, F_CMS, F__MAX };
static const struct vfield fields[F__MAX] = {
	[F_DECISION] = {"decision", V_ENUM, VF_REQUIRED, 0, 0, decisions},
	[F_COMMENT] = {"comment", V_MEMO, VF_REQUIRED, 0, 1000, NULL},
	[F_NONCE] = {"nonce", V_TOKEN, 0, 0, 64, NULL},
	[F_CMS] = {"cms", V_MEMO, 0, 0, CMS_MAX, NULL},
};

/* The reviewer acting, as the decisions and the audit log name them. */
static struct actor reviewer(struct req *r) { return req_actor(r, ROLE_REVIEWER); }

static void view_refusal(struct req *r, const char *p, const struct dec_refusal *f)
{
	char k[128], t[17];
	dview_referral(r, arena_printf(r->a, "%s.ref", p), &f->ref);
	snprintf(k, sizeof k, "%s.id", p);
	view_set_int(r, k, f->id);
	snprintf(k, sizeof k, "%s.status", p);
	view_set(r, k, f->status);
	snprintf(k, sizeof k, "%s.reason", p);
	view_set(r, k, f->reason);
	snprintf(k, sizeof k, "%s.reasonLabel", p);
	view_set(r, k, rfs_reason_label(r->lang, f->reason_code));
	u_fmt_datetime(f->refused_at, t);
	snprintf(k, sizeof k, "%s.refusedAt", p);
	view_set(r, k, t);
	snprintf(k, sizeof k, "%s.staff", p);
	view_setf(r, k, "%s %s%s%s", f->staff_surname, f->staff_name, *f->staff_patronymic ? " " : "",
		  f->staff_patronymic);
	snprintf(k, sizeof k, "%s.signerIin", p);
	view_set(r, k, f->signer_iin);
	snprintf(k, sizeof k, "%s.serial", p);
	view_set(r, k, f->cert_serial);
	u_fmt_datetime(f->signed_at, t);
	snprintf(k, sizeof k, "%s.signedAt", p);
	view_set(r, k, t);
	/* The signed refusal's files, to check it (proof.h). */
	snprintf(k, sizeof k, "%s.sig", p);
	view_set_int(r, k, proof_sig_of(PROOF_REFUSAL, f->id));
	struct dec_doc *docs;
	int nd = dec_documents(r->a, f->ref.application_id, f->ref.id, &docs);
	if (nd > 0)
		dview_documents(r, arena_printf(r->a, "%s.docs", p), docs, nd, "/review/doc");
}

static const char *const cols[] = {"date", NULL};
/* ReviewCount.refusals, .benefits and .guardians: what the reviewer's
 * districts await on each tab (their counts on every page of /review). */
static void tab_counts(struct req *r)
{
	sqlite3_stmt *st = db_query(
		"SELECT (SELECT count(*) FROM refusal x JOIN reviewer_district rd ON rd.district_id = x.district_id "
		"AND rd.account_id = ? WHERE x.status = 'pending'), "
		"(SELECT count(*) FROM referral f JOIN application a ON a.id = f.application_id "
		"JOIN reviewer_district rd ON rd.district_id = a.district_id AND rd.account_id = ? "
		"WHERE f.benefit_check = 'pending' AND f.status = 'issued'), "
		"(SELECT count(*) FROM guardian_request g JOIN reviewer_district rd ON rd.district_id = g.district_id "
		"AND rd.account_id = ? WHERE g.status = 'pending')",
		"III", r->s->account_id, r->s->account_id, r->s->account_id);
	if (db_row(st)) {
		view_set_int(r, "ReviewCount.refusals", sqlite3_column_int64(st, 0));
		view_set_int(r, "ReviewCount.benefits", sqlite3_column_int64(st, 1));
		view_set_int(r, "ReviewCount.guardians", sqlite3_column_int64(st, 2));
	}
	db_done(st);
}

static int list_render(struct req *r)
{
	/* Pending: oldest first. */
	sqlite3_stmt *st = db_query("SELECT x.id FROM refusal x JOIN reviewer_district rd ON rd.district_id = x.district_id "
				    "AND rd.account_id = ? WHERE x.status = 'pending' ORDER BY x.refused_at, x.id LIMIT ?",
				    "Ii", r->s->account_id, MAX_PENDING);
	long long ids[MAX_PENDING];
	int n = 0;
	while (db_row(st) && n < MAX_PENDING)
		ids[n++] = sqlite3_column_int64(st, 0);
	db_done(st);
	for (int i = 0; i < n; i++) {
		struct dec_refusal f;
		if (dec_reviewer_refusal(r->a, reviewer(r), ids[i], &f) <= 0)
			return REQ_ERROR;
		view_refusal(r, arena_printf(r->a, "Pending.%d", i), &f);
	}
	view_set_int(r, "PendingCount",
		     db_int("SELECT count(*) FROM refusal x JOIN reviewer_district rd ON rd.district_id = x.district_id "
			    "AND rd.account_id = ? WHERE x.status = 'pending'",
			    0, "I", r->s->account_id));
	/* Decided: newest decision first, in pages. */
	struct lst l;
	lst_read(r, &l, cols, 0, 1, PER_PAGE);
	lst_total(&l, db_int("SELECT count(*) FROM refusal x JOIN reviewer_district rd ON rd.district_id = x.district_id "
			     "AND rd.account_id = ? WHERE x.status <> 'pending'",
			     0, "I", r->s->account_id));
	st = db_query("SELECT x.id, x.status, x.reviewed_at, x.reason, x.review_comment, "
		      "rtrim(c.surname || ' ' || c.name || ' ' || c.patronymic), d.name_ru, d.name_kk, f.number, "
		      "coalesce((SELECT max(m.id) FROM document m WHERE m.referral_id = f.id AND m.kind = 'decision'), 0), "
		      "a.number, x.reason_code FROM refusal x JOIN reviewer_district rd ON rd.district_id = x.district_id AND rd.account_id = ? "
		      "JOIN referral f ON f.id = x.referral_id JOIN application a ON a.id = f.application_id "
		      "JOIN child c ON c.id = a.child_id JOIN ddo d ON d.id = x.ddo_id WHERE x.status <> 'pending' "
		      "ORDER BY CASE WHEN ? = 1 THEN x.reviewed_at END DESC, x.reviewed_at, x.id DESC LIMIT ? OFFSET ?",
		      "IiiI", r->s->account_id, l.desc, l.per_page, l.offset);
	int i = 0;
	while (db_row(st)) {
		char k[64], t[17];
		snprintf(k, sizeof k, "Decided.%d.id", i);
		view_set_int(r, k, sqlite3_column_int64(st, 0));
		snprintf(k, sizeof k, "Decided.%d.status", i);
		view_set(r, k, db_col(st, 1));
		snprintf(k, sizeof k, "Decided.%d.statusLabel", i);
		view_set(r, k, view_t(r, strcmp(db_col(st, 1), "confirmed") == 0 ? "Decide.fstatus.confirmed"
										  : "Decide.fstatus.rejected"));
		u_fmt_datetime(sqlite3_column_int64(st, 2), t);
		snprintf(k, sizeof k, "Decided.%d.date", i);
		view_set(r, k, t);
		snprintf(k, sizeof k, "Decided.%d.reason", i);
		view_set(r, k, db_col(st, 3));
		snprintf(k, sizeof k, "Decided.%d.reasonLabel", i);
		view_set(r, k, rfs_reason_label(r->lang, rfs_reason_of(db_col(st, 11))));
		snprintf(k, sizeof k, "Decided.%d.comment", i);
		view_set(r, k, db_col(st, 4));
		snprintf(k, sizeof k, "Decided.%d.child", i);
		view_set(r, k, db_col(st, 5));
		snprintf(k, sizeof k, "Decided.%d.ddo", i);
		view_set(r, k, strcmp(r->lang, "kk") == 0 ? db_col(st, 7) : db_col(st, 6));
		snprintf(k, sizeof k, "Decided.%d.ref", i);
		view_set(r, k, db_col(st, 8));
		snprintf(k, sizeof k, "Decided.%d.doc", i);
		view_set_int(r, k, sqlite3_column_int64(st, 9));
		snprintf(k, sizeof k, "Decided.%d.app", i);
		view_set(r, k, db_col(st, 10));
		i++;
	}
	db_done(st);
	lst_view(r, &l, cols);
	tab_counts(r);
	return view_render(r, "review.cs") < 0 ? REQ_ERROR : REQ_OK;
}

static int list(struct req *r) { return list_render(r); }

/* Step 2: the decision's text to sign and the signed form. */
static int confirm_render(struct req *r, const struct dec_refusal *f, int confirm, const char *comment)
{
	view_refusal(r, "Refusal", f);
	char nonce[44];
	const char *content = esig_challenge(r, "action", confirm ? "review_confirm" : "review_reject", f->id,
					     dec_text_review(r->a, r->lang, f, confirm, comment), nonce);
	if (!content)
		return REQ_ERROR;
	esig_view(r, "Sign", content, nonce);
	view_set(r, "Decision", confirm ? "confirm" : "reject");
	view_set(r, "Comment", comment);
	return view_render(r, "review_confirm.cs") < 0 ? REQ_ERROR : REQ_OK;
}

static int decide(struct req *r)
{
	struct dec_refusal f;
	int found = dec_reviewer_refusal(r->a, reviewer(r), r->iarg[0], &f);
	if (found < 0)
		return REQ_ERROR;
	if (!found)
		return req_fail(r, 404, "Review.not_found");
	enum dec_err can = dec_can_review(&f);
	if (can != DEC_OK) {
		view_set(r, "Alert", view_t(r, dec_err_key(can)));
		r->status = dec_http_status(can);
		return list_render(r);
	}
	struct vval v[F__MAX];
	if (val_form(r, fields, F__MAX, v)) {
		/* The messages belong to this refusal's form only. */
		view_set_int(r, "ErrFor", f.id);
		r->status = 422;
		return list_render(r);
	}
	int confirm = v[F_DECISION].i == 0;
	if (!v[F_NONCE].present)
		return confirm_render(r, &f, confirm, v[F_COMMENT].s);
	struct sign_proof p;
	esig_verify(r, v[F_NONCE].s, v[F_CMS].s, "action", confirm ? "review_confirm" : "review_reject", f.id, &p);
	struct dec_result res;
	enum dec_err e = dec_review(r->a, reviewer(r), r->lang, f.id, confirm, v[F_COMMENT].s, &p, &res);
	sign_signer_clear(&p.signer);
	if (e != DEC_OK)
		esig_burn(r, v[F_NONCE].s); /* one try per challenge */
	if (e == DEC_OK) {
		view_flash(r, confirm ? "review_confirmed" : "review_rejected", f.ref.number);
		return req_redirect(r, "/review");
	}
	if (e == DEC_E_INTERNAL)
		return 500;
	if (e == DEC_E_NOT_FOUND)
		return req_fail(r, 404, "Review.not_found");
	view_set(r, "Alert", e == DEC_E_SIGNATURE || e == DEC_E_TEXT ? esig_refusal_text(r, res.msg_key)
								      : view_t(r, res.msg_key));
	r->status = dec_http_status(e);
	if (e == DEC_E_DECIDED)
		return list_render(r);
	return confirm_render(r, &f, confirm, v[F_COMMENT].s);
}

static int document(struct req *r)
{
	struct dec_doc d;
	return dview_send_document(r, dec_reviewer_document(r->a, reviewer(r), r->iarg[0], &d), &d, "Review.doc_not_found");
}

/* ---- «Подтверждение льгот»: the benefits the reviewer's districts confirm
 * before the referral's documents (domain/benefit.h) ---- */

static const char *const benefit_decisions[] = {"confirm", "refuse", NULL};
enum { B_DECISION, B_COMMENT, B_NONCE, B_CMS, B__MAX };
static const struct vfield benefit_fields[B__MAX] = {
	[B_DECISION] = {"decision", V_ENUM, VF_REQUIRED, 0, 0, benefit_decisions},
	[B_COMMENT] = {"comment", V_MEMO, VF_REQUIRED, 0, 1000, NULL},
	[B_NONCE] = {"nonce", V_TOKEN, 0, 0, 64, NULL},
	[B_CMS] = {"cms", V_MEMO, 0, 0, CMS_MAX, NULL},
};

/* A referral awaiting (or past) its benefit's confirmation under prefix:
 * the referral, its category and legal ground, the due date. */
static void view_benefit(struct req *r, const char *p, const struct dec_referral *x)
{
	dview_referral(r, arena_printf(r->a, "%s.ref", p), x);
	HDF *n = view_node(r, p);
	view_row_set_int(n, "id", x->id);
	view_row_set(n, "category", view_t(r, arena_printf(r->a, "Benefit.cat.%s", x->benefit)));
	const char *g = x->benefit_ground && *x->benefit_ground ? x->benefit_ground : NULL;
	view_row_set(n, "ground", g ? view_t(r, arena_printf(r->a, "Benefit.g.%s.name", g)) : "");
	view_row_set(n, "law", g ? view_t(r, arena_printf(r->a, "Benefit.g.%s.law", g)) : "");
	view_row_set(n, "due", x->benefit_due_at ? arena_date(r->a, x->benefit_due_at) : "");
}

/* The tab: the referrals of the reviewer's districts whose benefit awaits
 * confirmation, oldest first, each with its supporting documents. */
static int benefits_render(struct req *r)
{
	sqlite3_stmt *st = db_query("SELECT f.id FROM referral f JOIN application a ON a.id = f.application_id "
				    "JOIN reviewer_district rd ON rd.district_id = a.district_id AND rd.account_id = ? "
				    "WHERE f.benefit_check = 'pending' AND f.status = 'issued' "
				    "ORDER BY f.issued_at, f.id LIMIT ?",
				    "Ii", r->s->account_id, MAX_PENDING);
	long long ids[MAX_PENDING];
	int n = 0;
	while (db_row(st) && n < MAX_PENDING)
		ids[n++] = sqlite3_column_int64(st, 0);
	if (db_end(st) < 0)
		return REQ_ERROR;
	for (int i = 0; i < n; i++) {
		struct dec_referral x;
		if (dec_reviewer_benefit(r->a, reviewer(r), ids[i], &x) <= 0)
			return REQ_ERROR;
		const char *p = arena_printf(r->a, "Pending.%d", i);
		view_benefit(r, p, &x);
		struct dec_doc *docs;
		int nd = dec_benefit_documents(r->a, x.application_id, &docs);
		if (nd > 0)
			dview_documents(r, arena_printf(r->a, "%s.docs", p), docs, nd, "/review/benefits/doc");
	}
	tab_counts(r);
	view_set(r, "ReviewTab", "benefits");
	return view_render(r, "review_benefits.cs") < 0 ? REQ_ERROR : REQ_OK;
}

static int benefits(struct req *r) { return benefits_render(r); }

/* Step 2: the decision's text to sign and the signed form. */
static int benefit_confirm_render(struct req *r, const struct dec_referral *x, int confirm, const char *comment)
{
	view_benefit(r, "Benefit", x);
	char nonce[44];
	const char *content = esig_challenge(r, "action", confirm ? "benefit_confirm" : "benefit_refuse", x->id,
					     dec_text_benefit(r->a, r->lang, x, confirm, comment), nonce);
	if (!content)
		return REQ_ERROR;
	esig_view(r, "Sign", content, nonce);
	view_set(r, "Decision", confirm ? "confirm" : "refuse");
	view_set(r, "Comment", comment);
	view_set(r, "ReviewTab", "benefits");
	return view_render(r, "review_benefit_sign.cs") < 0 ? REQ_ERROR : REQ_OK;
}

/* Confirms or refuses a benefit with the reviewer's comment, signed: the
 * decision and comment, then the text to sign, then the signed decision
 * (dec_benefit). */
static int benefit_decide(struct req *r)
{
	struct dec_referral x;
	int found = dec_reviewer_benefit(r->a, reviewer(r), r->iarg[0], &x);
	if (found < 0)
		return REQ_ERROR;
	if (!found)
		return req_fail(r, 404, "BenefitCheck.not_found");
	enum dec_err can = dec_can_benefit(&x);
	if (can != DEC_OK) {
		view_set(r, "Alert", view_t(r, dec_err_key(can)));
		r->status = dec_http_status(can);
		return benefits_render(r);
	}
	struct vval v[B__MAX];
	if (val_form(r, benefit_fields, B__MAX, v)) {
		view_set_int(r, "ErrFor", x.id);
		r->status = 422;
		return benefits_render(r);
	}
	int confirm = v[B_DECISION].i == 0;
	if (!v[B_NONCE].present)
		return benefit_confirm_render(r, &x, confirm, v[B_COMMENT].s);
	struct sign_proof p;
	esig_verify(r, v[B_NONCE].s, v[B_CMS].s, "action", confirm ? "benefit_confirm" : "benefit_refuse", x.id, &p);
	struct dec_result res;
	enum dec_err e = dec_benefit(r->a, reviewer(r), r->lang, x.id, confirm, v[B_COMMENT].s, &p, &res);
	sign_signer_clear(&p.signer);
	if (e != DEC_OK)
		esig_burn(r, v[B_NONCE].s); /* one try per challenge */
	if (e == DEC_OK) {
		view_flash(r, confirm ? "benefit_confirmed" : "benefit_refused", x.number);
		return req_redirect(r, "/review/benefits");
	}
	if (e == DEC_E_INTERNAL)
		return 500;
	if (e == DEC_E_NOT_FOUND)
		return req_fail(r, 404, "BenefitCheck.not_found");
	view_set(r, "Alert", e == DEC_E_SIGNATURE || e == DEC_E_TEXT ? esig_refusal_text(r, res.msg_key)
								      : view_t(r, res.msg_key));
	r->status = dec_http_status(e);
	if (e == DEC_E_BENEFIT_DECIDED || e == DEC_E_ANNULLED)
		return benefits_render(r);
	return benefit_confirm_render(r, &x, confirm, v[B_COMMENT].s);
}

static int benefit_document(struct req *r)
{
	struct dec_doc d;
	return dview_send_document(r, dec_benefit_document(r->a, reviewer(r), r->iarg[0], &d), &d,
				   "BenefitCheck.not_found");
}

/* ---- guardians' requests (guardian.h) ---- */

static const char *const g_decisions[] = {"confirm", "refuse", NULL};
enum { GF_DECISION, GF_COMMENT, GF_NONCE, GF_CMS, GF__MAX };
static const struct vfield g_fields[GF__MAX] = {
	[GF_DECISION] = {"decision", V_ENUM, VF_REQUIRED, 0, 0, g_decisions},
	[GF_COMMENT] = {"comment", V_MEMO, VF_REQUIRED, 1, 1000, NULL},
	[GF_NONCE] = {"nonce", V_TOKEN, 0, 0, 64, NULL},
	[GF_CMS] = {"cms", V_MEMO, 0, 0, CMS_MAX, NULL},
};

/* The rows of a guardian_request query (the columns of guardians_render's
 * two SELECTs) under prefix.N. Returns the count, -1 on a database error. */
static int guardian_rows(struct req *r, const char *prefix, sqlite3_stmt *st)
{
	static const char *const names[] = {"id", "applicant", "applicantIin", "child", "childIin", "birth", "district",
					    "groupYear", "language", "ground", "created", "docName", "status",
					    "reason", "decided", "number"};
	int i = 0;
	for (; db_row(st); i++) {
		HDF *n = view_node(r, arena_printf(r->a, "%s.%d", prefix, i));
		for (int c = 0; c < 16; c++) {
			const char *val = db_col(st, c);
			if (c == 6)
				val = view_district_name(r, sqlite3_column_int(st, 6));
			else if (c == 10 || c == 14)
				val = sqlite3_column_int64(st, c) ? arena_datetime(r->a, sqlite3_column_int64(st, c)) : "";
			view_row_set(n, names[c], val ? val : "");
		}
	}
	return db_end(st) < 0 ? -1 : i;
}

static int guardians_render(struct req *r)
{
	sqlite3_stmt *st = db_query(
		"SELECT g.id, rtrim(a.surname || ' ' || a.name || ' ' || a.patronymic), a.iin, "
		"rtrim(g.child_surname || ' ' || g.child_name || ' ' || g.child_patronymic), g.child_iin, g.birth_date, "
		"g.district_id, g.group_year, g.language, g.benefit_ground, g.created_at, g.doc_name, g.status, g.reason, "
		"coalesce(g.decided_at, 0), '' FROM guardian_request g JOIN reviewer_district rd ON rd.district_id = g.district_id "
		"AND rd.account_id = ? JOIN account a ON a.id = g.applicant_id WHERE g.status = 'pending' "
		"ORDER BY g.created_at, g.id LIMIT ?",
		"Ii", r->s->account_id, MAX_PENDING);
	if (guardian_rows(r, "Guardians", st) < 0)
		return REQ_ERROR;
	st = db_query(
		"SELECT g.id, rtrim(a.surname || ' ' || a.name || ' ' || a.patronymic), a.iin, "
		"rtrim(g.child_surname || ' ' || g.child_name || ' ' || g.child_patronymic), g.child_iin, g.birth_date, "
		"g.district_id, g.group_year, g.language, g.benefit_ground, g.created_at, g.doc_name, g.status, g.reason, "
		"coalesce(g.decided_at, 0), coalesce(x.number, '') FROM guardian_request g JOIN reviewer_district rd "
		"ON rd.district_id = g.district_id AND rd.account_id = ? JOIN account a ON a.id = g.applicant_id "
		"LEFT JOIN application x ON x.id = g.application_id WHERE g.status <> 'pending' "
		"ORDER BY g.decided_at DESC, g.id DESC LIMIT ?",
		"Ii", r->s->account_id, PER_PAGE);
	if (guardian_rows(r, "GuardiansDecided", st) < 0)
		return REQ_ERROR;
	tab_counts(r);
	return view_render(r, "review_guardians.cs") < 0 ? REQ_ERROR : REQ_OK;
}

static int guardians(struct req *r) { return guardians_render(r); }

/* Step 2: the decision's text to sign (a challenge for this request and
 * decision) and the signed form; 404 when the request is not pending in
 * the reviewer's districts. */
static int guardian_sign_render(struct req *r, long long id, int confirm, const char *comment)
{
	sqlite3_stmt *st = db_query(
		"SELECT rtrim(g.child_surname || ' ' || g.child_name || ' ' || g.child_patronymic), g.child_iin, "
		"rtrim(a.surname || ' ' || a.name || ' ' || a.patronymic), a.iin, g.status FROM guardian_request g "
		"JOIN reviewer_district rd ON rd.district_id = g.district_id AND rd.account_id = ? "
		"JOIN account a ON a.id = g.applicant_id WHERE g.id = ?",
		"II", r->s->account_id, id);
	if (!db_row(st))
		return db_end(st) < 0 ? REQ_ERROR : req_fail(r, 404, "Guardian.not_found");
	if (strcmp(db_col(st, 4), "pending") != 0) {
		db_done(st);
		view_set(r, "Alert", view_t(r, "Guardian.decided_already"));
		r->status = 409;
		return guardians_render(r);
	}
	const char *iin = view_t(r, "Decide.text.iin");
	const char *text = arena_printf(r->a, "%s № %lld\n%s: %s, %s %s\n%s: %s, %s %s\n%s: %s",
					view_t(r, confirm ? "Guardian.sign_confirm" : "Guardian.sign_refuse"), id,
					view_t(r, "Guardian.child"), db_col(st, 0), iin, db_col(st, 1),
					view_t(r, "Guardian.applicant"), db_col(st, 2), iin, db_col(st, 3),
					view_t(r, "Guardian.decision"), comment);
	view_set(r, "Request.child", db_col(st, 0));
	view_set(r, "Request.childIin", db_col(st, 1));
	view_set(r, "Request.applicant", db_col(st, 2));
	db_done(st);
	char nonce[44];
	const char *content = esig_challenge(r, "action", guardian_sign_action(confirm), id, text, nonce);
	if (!content)
		return REQ_ERROR;
	esig_view(r, "Sign", content, nonce);
	view_set_int(r, "Request.id", id);
	view_set(r, "Decision", confirm ? "confirm" : "refuse");
	view_set(r, "Comment", comment);
	tab_counts(r);
	return view_render(r, "review_guardian_sign.cs") < 0 ? REQ_ERROR : REQ_OK;
}

/* Confirms or refuses a request with the reviewer's reason, signed with
 * EDS: the decision and reason, then the text to sign, then the signed
 * decision (guardian_decide). */
static int guardian_decide_form(struct req *r)
{
	struct vval v[GF__MAX];
	if (val_form(r, g_fields, GF__MAX, v)) {
		view_set_int(r, "ErrFor", r->iarg[0]);
		r->status = 422;
		return guardians_render(r);
	}
	int confirm = v[GF_DECISION].i == 0;
	if (!v[GF_NONCE].present)
		return guardian_sign_render(r, r->iarg[0], confirm, v[GF_COMMENT].s);
	struct sign_proof p;
	esig_verify(r, v[GF_NONCE].s, v[GF_CMS].s, "action", guardian_sign_action(confirm), r->iarg[0], &p);
	char number[32];
	const char *key = NULL;
	enum guardian_err e = guardian_decide(reviewer(r), r->iarg[0], confirm, v[GF_COMMENT].s, &p, &key, number);
	sign_signer_clear(&p.signer);
	if (e != GUARDIAN_OK)
		esig_burn(r, v[GF_NONCE].s); /* one try per challenge */
	if (e == GUARDIAN_SIGNATURE) {
		view_set(r, "Alert", view_t(r, key ? key : "Eds.challenge_unknown"));
		r->status = 422;
		return guardian_sign_render(r, r->iarg[0], confirm, v[GF_COMMENT].s);
	}
	if (e == GUARDIAN_OK) {
		if (confirm)
			view_flash(r, "guardian_confirmed", number);
		else
			view_flash(r, "guardian_refused", arena_int(r->a, r->iarg[0]));
		return req_redirect(r, "/review/guardians");
	}
	if (e == GUARDIAN_FAILED)
		return 500;
	if (e == GUARDIAN_NOT_FOUND)
		return req_fail(r, 404, "Guardian.not_found");
	view_set(r, "Alert", view_t(r, e == GUARDIAN_DECIDED ? "Guardian.decided_already" : "Guardian.blocked"));
	r->status = 409;
	return guardians_render(r);
}

/* The supporting document of a request of the reviewer's districts. (Its
 * type and name live in the request's arena: the response is written after
 * this returns.) */
static int guardian_document(struct req *r)
{
	const char *sha = "", *mime = "", *name = "";
	sqlite3_stmt *st = db_query("SELECT g.doc_sha256, g.doc_mime, g.doc_name FROM guardian_request g "
				    "JOIN reviewer_district rd ON rd.district_id = g.district_id AND rd.account_id = ? "
				    "WHERE g.id = ?", "II", r->s->account_id, r->iarg[0]);
	int found = db_row(st);
	if (found) {
		sha = arena_strdup(r->a, db_col(st, 0));
		mime = arena_strdup(r->a, db_col(st, 1));
		name = arena_strdup(r->a, db_col(st, 2));
	}
	if (db_end(st) < 0)
		return REQ_ERROR;
	if (!found)
		return req_fail(r, 404, "Guardian.not_found");
	size_t n;
	unsigned char *bytes = doc_read(sha, &n);
	if (!bytes)
		return 404;
	int rc = req_send(r, mime, bytes, n, name);
	free(bytes);
	return rc;
}

static const struct route routes[] = {
	{M_GET, "/review", ROLE_REVIEWER, list, 0},
	{M_POST, "/review/%d", ROLE_REVIEWER, decide, 0},
	{M_GET, "/review/doc/%d", ROLE_REVIEWER, document, 0},
	{M_GET, "/review/benefits", ROLE_REVIEWER, benefits, 0},
	{M_POST, "/review/benefits/%d", ROLE_REVIEWER, benefit_decide, 0},
	{M_GET, "/review/benefits/doc/%d", ROLE_REVIEWER, benefit_document, 0},
	{M_GET, "/review/guardians", ROLE_REVIEWER, guardians, 0},
	{M_POST, "/review/guardians/%d", ROLE_REVIEWER, guardian_decide_form, 0},
	{M_GET, "/review/guardians/doc/%d", ROLE_REVIEWER, guardian_document, 0},
};

int main(int argc, char **argv)
{
	static const struct app app = {"review", routes, NROUTES(routes), NULL};
	return req_main(argc, argv, &app);
}
