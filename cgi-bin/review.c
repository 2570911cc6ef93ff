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
#include "domain/doc.h"
#include "web/esig.h"
#include "web/lst.h"
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
	struct dec_doc *docs;
	int nd = dec_documents(r->a, f->ref.application_id, f->ref.id, &docs);
	if (nd > 0)
		dview_documents(r, arena_printf(r->a, "%s.docs", p), docs, nd, "/review/doc");
}

static const char *const cols[] = {"date", NULL};

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
		      "a.number FROM refusal x JOIN reviewer_district rd ON rd.district_id = x.district_id AND rd.account_id = ? "
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
	if (e == DEC_OK) {
		view_flash(r, confirm ? "review_confirmed" : "review_rejected", f.ref.number);
		return req_redirect(r, "/review");
	}
	if (e == DEC_E_INTERNAL)
		return 500;
	if (e == DEC_E_NOT_FOUND)
		return req_fail(r, 404, "Review.not_found");
	view_set(r, "Alert", view_t(r, res.msg_key));
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

static const struct route routes[] = {
	{M_GET, "/review", ROLE_REVIEWER, list, 0},
	{M_POST, "/review/%d", ROLE_REVIEWER, decide, 0},
	{M_GET, "/review/doc/%d", ROLE_REVIEWER, document, 0},
};

int main(int argc, char **argv)
{
	static const struct app app = {"review", routes, NROUTES(routes), NULL};
	return req_main(argc, argv, &app);
}
