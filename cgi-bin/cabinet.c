/*
 * cabinet — Рабочий кабинет сотрудника ДДО (seed 000, sections 3 and 4,
 * figures 16–26), for DDO staff:
 *
 *   GET  /cabinet              the staff member's DDOs and the choice among
 *                              them (figures 17, 25); for the chosen DDO:
 *                              «Обработка направления» (search by the
 *                              child's IIN or the referral number, figures
 *                              18–20) with the result, its documents and
 *                              the signed «Принять в ДДО»; the referrals
 *                              awaiting a decision (those the education
 *                              department ordered to enroll first); the
 *                              freed-places reminder; «Список числящихся
 *                              детей» with a filter under every column,
 *                              sorting and pages (figures 21, 26)
 *   POST /cabinet/ddo          keeps the chosen DDO (cookie kg_ddo, checked
 *                              against the memberships on every request)
 *   POST /cabinet/accept       «Принять в ДДО», EDS-signed
 *   GET  /cabinet/refuse/%d    «Отказать»: the reason from the list and
 *                              its explanation (figure 23)
 *   POST /cabinet/refuse/%d    the reason and explanation, then the text to
 *                              sign, then the signed refusal
 *   POST /cabinet/card/%d      «Скачать карточку ребенка»: the child card is
 *                              generated (a recorded, checkable PDF), then
 *   GET  /cabinet/doc/%d       downloads a document of a referral to one of
 *                              the staff member's DDOs
 *
 * The decisions themselves live in lib/domain/decide.c: this screen
 * reads the forms, verifies the signatures' CMS against their challenges
 * (esig_verify) and shows what the domain returns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/db.h"
#include "domain/decide.h"
#include "domain/doc.h"
#include "web/esig.h"
#include "web/lst.h"
#include "domain/place.h"
#include "domain/refusal.h"
#include "domain/proof.h"
#include "web/req.h"
#include "base/util.h"
#include "web/val.h"
#include "web/view.h"

#include "decide_view.h"
#include "moves_view.h"

#define PER_PAGE 25
#define CMS_MAX 100000

/* The staff member acting, as the decisions and the audit log name them. */
static struct actor staff(struct req *r) { return req_actor(r, ROLE_STAFF); }

/* ------------------------------------------------------------ the DDO */

/* The staff member's DDOs into DDOs.N; returns the chosen one (the only
 * one, or the one the kg_ddo cookie names if it is among them; 0 when a
 * choice is needed) and the count in *n. */
static long long chosen_ddo(struct req *r, int *n)
{
	static const struct vfield cookie = {"kg_ddo", V_INT, 0, 1, 1LL << 53, NULL};
	struct vval c;
	long long want = 0;
	if (!val_one(r, &cookie, hdf_get_value(r->hdf, "Cookie.kg_ddo", NULL), &c) && c.present)
		want = c.i;
	int pick = -1;
	*n = 0;
	sqlite3_stmt *st = db_query("SELECT d.id, d.name_ru, d.name_kk, d.kind, coalesce(d.bin, '') FROM ddo_staff s "
				    "JOIN ddo d ON d.id = s.ddo_id WHERE s.account_id = ? ORDER BY d.name_ru, d.id",
				    "I", r->s->account_id);
	while (db_row(st)) {
		long long id = sqlite3_column_int64(st, 0);
		char k[64], kind[64];
		snprintf(k, sizeof k, "DDOs.%d.id", *n);
		view_set_int(r, k, id);
		snprintf(k, sizeof k, "DDOs.%d.name", *n);
		view_set(r, k, strcmp(r->lang, "kk") == 0 ? db_col(st, 2) : db_col(st, 1));
		snprintf(k, sizeof k, "DDOs.%d.kind", *n);
		snprintf(kind, sizeof kind, "Decide.ddokind.%s", db_col(st, 3));
		view_set(r, k, view_t(r, kind));
		snprintf(k, sizeof k, "DDOs.%d.bin", *n);
		view_set(r, k, db_col(st, 4));
		if (id == want)
			pick = *n;
		(*n)++;
	}
	db_done(st);
	if (pick < 0 && *n == 1)
		pick = 0;
	view_set_int(r, "DDOcount", *n);
	if (pick < 0)
		return 0;
	char k[64];
	snprintf(k, sizeof k, "DDOs.%d.current", pick);
	view_set(r, k, "1");
	snprintf(k, sizeof k, "DDOs.%d", pick);
	HDF *node = hdf_get_obj(r->hdf, k);
	view_set(r, "Ddo.id", hdf_get_value(node, "id", ""));
	view_set(r, "Ddo.name", hdf_get_value(node, "name", ""));
	view_set(r, "Ddo.bin", hdf_get_value(node, "bin", ""));
	return hdf_get_int_value(node, "id", 0);
}

/* The chosen DDO, for the next requests (checked again on each). */
static void keep_ddo(struct req *r, long long ddo)
{
	char id[24];
	snprintf(id, sizeof id, "%lld", ddo);
	req_cookie(r, "kg_ddo", id, 180LL * 86400);
}

enum { D_DDO, D__MAX };
static const struct vfield ddo_fields[D__MAX] = {
	[D_DDO] = {"ddo", V_INT, VF_REQUIRED, 1, 1LL << 53, NULL},
};

static int page_render(struct req *r, long long show_referral);

static int choose(struct req *r)
{
	struct vval v[D__MAX];
	int bad = val_form(r, ddo_fields, D__MAX, v);
	if (!bad && !db_int("SELECT count(*) FROM ddo_staff WHERE account_id = ? AND ddo_id = ?", 0, "II",
			    r->s->account_id, v[D_DDO].i)) {
		view_field_error(r, "ddo", "Cabinet.ddo_unknown");
		bad = 1;
	}
	if (bad) {
		r->status = 422;
		return page_render(r, 0);
	}
	keep_ddo(r, v[D_DDO].i);
	return req_redirect(r, "/cabinet");
}

/* -------------------------------------------------- referral processing */

static const char *const by_choices[] = {"iin", "number", NULL};
enum { S_BY, S_Q, S__MAX };
static const struct vfield search_fields[S__MAX] = {
	[S_BY] = {"by", V_ENUM, 0, 0, 0, by_choices},
	[S_Q] = {"q", V_TEXT, 0, 0, 40, NULL},
};

/* Puts the referral and what can be done with it into the view; creates
 * the challenge of «Принять в ДДО» when accepting is possible. */
static int show_referral(struct req *r, const struct dec_referral *x)
{
	dview_referral(r, "Ref", x);
	view_set(r, "Ref.bin", x->ddo_bin ? x->ddo_bin : "");
	struct dec_doc *docs;
	int nd = dec_documents(r->a, x->application_id, x->id, &docs);
	if (nd < 0)
		return -1;
	dview_documents(r, "Ref.docs", docs, nd, "/cabinet/doc");
	enum dec_err a = dec_can_accept(x), f = dec_can_refuse(x);
	if (a == DEC_OK) {
		char nonce[44];
		const char *content =
			esig_challenge(r, "action", "accept", x->id, dec_text_accept(r->a, r->lang, x), nonce);
		if (!content)
			return -1;
		esig_view(r, "Sign", content, nonce);
		view_set(r, "Ref.canAccept", "1");
	} else {
		view_set(r, "Ref.state", view_t(r, dec_err_key(a)));
	}
	if (f == DEC_OK)
		view_set(r, "Ref.canRefuse", "1");
	return 0;
}

/* «Обработка направления»: validates the search and shows its result. */
static int search(struct req *r, long long ddo)
{
	struct vval v[S__MAX];
	int bad = val_form(r, search_fields, S__MAX, v);
	if (bad || !v[S_BY].present)
		return bad ? 422 : 0;
	int by_iin = v[S_BY].i == 0;
	const char *q = v[S_Q].s;
	if (!v[S_Q].present) {
		view_field_error(r, "q", by_iin ? "Cabinet.q_iin_required" : "Cabinet.q_number_required");
		return 422;
	}
	if (by_iin) {
		static const struct vfield iin = {"q", V_IIN, VF_REQUIRED, 0, 0, NULL};
		struct vval w;
		const char *e = val_one(r, &iin, q, &w);
		if (e) {
			view_field_error(r, "q", e);
			return 422;
		}
	} else if (strlen(q) != 10 || strspn(q, "0123456789") != 10) {
		view_field_error(r, "q", "Cabinet.number_format");
		return 422;
	}
	struct dec_referral x;
	int found = dec_staff_find(r->a, staff(r), ddo, by_iin, q, &x);
	if (found < 0)
		return 500;
	if (!found) {
		view_field_error(r, "q", by_iin ? "Cabinet.not_found_iin" : "Cabinet.not_found_number");
		return 0;
	}
	return show_referral(r, &x) < 0 ? 500 : 0;
}

/* The referrals of the DDO awaiting a decision: those the education
 * department ordered to enroll first, then by the time documents came. */
static void waiting(struct req *r, long long ddo)
{
	sqlite3_stmt *st = db_query(
		"SELECT f.id, f.number, f.status, c.iin, rtrim(c.surname || ' ' || c.name || ' ' || c.patronymic), "
		"coalesce(f.docs_submitted_at, 0), a.group_year FROM referral f "
		"JOIN ddo_staff s ON s.ddo_id = f.ddo_id AND s.account_id = ? "
		"JOIN application a ON a.id = f.application_id JOIN child c ON c.id = a.child_id "
		"WHERE f.ddo_id = ? AND f.status IN ('docs_submitted', 'must_enroll', 'refused') "
		"ORDER BY f.status <> 'must_enroll', f.status = 'refused', f.docs_submitted_at, f.id LIMIT 200",
		"II", r->s->account_id, ddo);
	int i = 0;
	while (db_row(st)) {
		char k[64], d[17];
		snprintf(k, sizeof k, "Waiting.%d.id", i);
		view_set_int(r, k, sqlite3_column_int64(st, 0));
		snprintf(k, sizeof k, "Waiting.%d.number", i);
		view_set(r, k, db_col(st, 1));
		snprintf(k, sizeof k, "Waiting.%d.status", i);
		view_set(r, k, db_col(st, 2));
		snprintf(k, sizeof k, "Waiting.%d.statusLabel", i);
		view_set(r, k, view_t(r, strcmp(db_col(st, 2), "must_enroll") == 0 ? "Decide.rstatus.must_enroll"
					 : strcmp(db_col(st, 2), "refused") == 0   ? "Decide.rstatus.refused"
										   : "Decide.rstatus.docs_submitted"));
		snprintf(k, sizeof k, "Waiting.%d.iin", i);
		view_set(r, k, db_col(st, 3));
		snprintf(k, sizeof k, "Waiting.%d.fio", i);
		view_set(r, k, db_col(st, 4));
		u_fmt_datetime(sqlite3_column_int64(st, 5), d);
		snprintf(k, sizeof k, "Waiting.%d.submitted", i);
		view_set(r, k, sqlite3_column_int64(st, 5) ? d : "");
		snprintf(k, sizeof k, "Waiting.%d.year", i);
		view_set_int(r, k, sqlite3_column_int(st, 6));
		i++;
	}
	db_done(st);
}

/* ------------------------------------------------------ enrolled list */

static const char *const cols[] = {"iin", "name", "app", "ref", "year", "date", NULL};
enum { E_IIN, E_NAME, E_APP, E_REF, E_YEAR, E__MAX };
static const struct vfield filter_fields[E__MAX] = {
	[E_IIN] = {"f_iin", V_TEXT, 0, 0, 12, NULL},
	[E_NAME] = {"f_name", V_TEXT, 0, 0, 100, NULL},
	[E_APP] = {"f_app", V_TEXT, 0, 0, 40, NULL},
	[E_REF] = {"f_ref", V_TEXT, 0, 0, 10, NULL},
	[E_YEAR] = {"f_year", V_INT, 0, 2000, 2100, NULL},
};

static int enrolled(struct req *r, long long ddo)
{
	struct vval f[E__MAX];
	int bad = val_form(r, filter_fields, E__MAX, f);
	if (!f[E_IIN].err && f[E_IIN].present && strspn(f[E_IIN].s, "0123456789") != strlen(f[E_IIN].s)) {
		view_field_error(r, "f_iin", "Cabinet.filter_digits");
		f[E_IIN].err = "Cabinet.filter_digits";
		bad++;
	}
	if (!f[E_REF].err && f[E_REF].present && strspn(f[E_REF].s, "0123456789") != strlen(f[E_REF].s)) {
		view_field_error(r, "f_ref", "Cabinet.filter_digits");
		f[E_REF].err = "Cabinet.filter_digits";
		bad++;
	}
	/* A filter with a mistake is shown with its message and not applied. */
	const char *iin = f[E_IIN].err ? "" : f[E_IIN].s;
	const char *name = f[E_NAME].err ? "" : dec_upper(r->a, f[E_NAME].s);
	const char *app = f[E_APP].err ? "" : dec_upper(r->a, f[E_APP].s);
	const char *ref = f[E_REF].err ? "" : f[E_REF].s;
	long long year = f[E_YEAR].err || !f[E_YEAR].present ? 0 : f[E_YEAR].i;
	if (!name || !app)
		return 500;
	struct lst l;
	lst_read(r, &l, cols, 5, 1, PER_PAGE);
	lst_total(&l, db_int("SELECT count(*) FROM enrollment e JOIN ddo_staff s ON s.ddo_id = e.ddo_id AND s.account_id = ? "
			     "JOIN child c ON c.id = e.child_id JOIN application a ON a.id = e.application_id "
			     "JOIN referral f ON f.id = e.referral_id WHERE e.ddo_id = ? AND e.departed_on IS NULL "
			     "AND (? = '' OR instr(c.iin, ?) > 0) "
			     "AND (? = '' OR instr(kg_upper(c.surname || ' ' || c.name || ' ' || c.patronymic), ?) > 0) "
			     "AND (? = '' OR instr(kg_upper(a.number), ?) > 0) AND (? = '' OR instr(f.number, ?) > 0) "
			     "AND (? = 0 OR a.group_year = ?)",
			     0, "IIttttttttII", r->s->account_id, ddo, iin, iin, name, name, app, app, ref, ref, year,
			     year));
	sqlite3_stmt *st = db_query(
		"SELECT e.id, c.iin, rtrim(c.surname || ' ' || c.name || ' ' || c.patronymic), a.number, f.number, a.group_year, "
		"e.enrolled_at FROM enrollment e JOIN ddo_staff s ON s.ddo_id = e.ddo_id AND s.account_id = ? "
		"JOIN child c ON c.id = e.child_id JOIN application a ON a.id = e.application_id "
		"JOIN referral f ON f.id = e.referral_id WHERE e.ddo_id = ? AND e.departed_on IS NULL "
		"AND (? = '' OR instr(c.iin, ?) > 0) "
		"AND (? = '' OR instr(kg_upper(c.surname || ' ' || c.name || ' ' || c.patronymic), ?) > 0) "
		"AND (? = '' OR instr(kg_upper(a.number), ?) > 0) AND (? = '' OR instr(f.number, ?) > 0) "
		"AND (? = 0 OR a.group_year = ?) "
		"ORDER BY CASE WHEN ? = 0 THEN (CASE ? WHEN 0 THEN c.iin WHEN 1 THEN c.surname || ' ' || c.name || ' ' || "
		"c.patronymic WHEN 2 THEN a.number WHEN 3 THEN f.number WHEN 4 THEN a.group_year ELSE e.enrolled_at END) END, "
		"CASE WHEN ? = 1 THEN (CASE ? WHEN 0 THEN c.iin WHEN 1 THEN c.surname || ' ' || c.name || ' ' || "
		"c.patronymic WHEN 2 THEN a.number WHEN 3 THEN f.number WHEN 4 THEN a.group_year ELSE e.enrolled_at END) END "
		"DESC, e.id LIMIT ? OFFSET ?",
		"IIttttttttIIiiiiiI", r->s->account_id, ddo, iin, iin, name, name, app, app, ref, ref, year, year, l.desc,
		l.sort, l.desc, l.sort, l.per_page, l.offset);
	int i = 0;
	while (db_row(st)) {
		char k[64], d[11];
		snprintf(k, sizeof k, "Enrolled.%d.id", i);
		view_set_int(r, k, sqlite3_column_int64(st, 0));
		snprintf(k, sizeof k, "Enrolled.%d.iin", i);
		view_set(r, k, db_col(st, 1));
		snprintf(k, sizeof k, "Enrolled.%d.fio", i);
		view_set(r, k, db_col(st, 2));
		snprintf(k, sizeof k, "Enrolled.%d.app", i);
		view_set(r, k, db_col(st, 3));
		snprintf(k, sizeof k, "Enrolled.%d.ref", i);
		view_set(r, k, db_col(st, 4));
		snprintf(k, sizeof k, "Enrolled.%d.year", i);
		view_set_int(r, k, sqlite3_column_int(st, 5));
		u_fmt_date(sqlite3_column_int64(st, 6), d);
		snprintf(k, sizeof k, "Enrolled.%d.date", i);
		view_set(r, k, d);
		/* The signed acceptance's files (proof.h). */
		snprintf(k, sizeof k, "Enrolled.%d.sig", i);
		view_set_int(r, k, proof_sig_of(PROOF_ACCEPT, sqlite3_column_int64(st, 0)));
		i++;
	}
	db_done(st);
	lst_view(r, &l, cols);
	view_set(r, "Sort.cur", cols[l.sort]);
	view_set(r, "Sort.curDir", l.desc ? "desc" : "asc");
	return bad ? 422 : 0;
}

/* ------------------------------------------------------------ the page */

/* Renders the cabinet; show_referral: a referral to show as the result
 * instead of the search's (after a refused decision), 0 for none. A status
 * already set (422 of a form) is kept. */
static int page_render(struct req *r, long long show)
{
	int n;
	long long ddo = chosen_ddo(r, &n);
	int st = 0;
	if (ddo) {
		view_set_int(r, "Freed", place_departed_since(ddo));
		if (mview_cabinet(r, ddo) < 0)
			return 500;
		if (show) {
			struct dec_referral x;
			int f = dec_staff_referral(r->a, staff(r), 0, show, &x);
			if (f < 0 || (f > 0 && show_referral(r, &x) < 0))
				return 500;
		} else {
			st = search(r, ddo);
		}
		if (st >= 500)
			return st;
		waiting(r, ddo);
		int e = enrolled(r, ddo);
		if (e >= 500)
			return e;
		if (!st)
			st = e;
	}
	if (st && !r->status)
		r->status = st;
	return view_render(r, "cabinet.cs") < 0 ? REQ_ERROR : REQ_OK;
}

static int page(struct req *r) { return page_render(r, 0); }

/* ------------------------------------------------------------ accept */

enum { A_REF, A_NONCE, A_CMS, A__MAX };
static const struct vfield accept_fields[A__MAX] = {
	[A_REF] = {"ref", V_INT, VF_REQUIRED, 1, 1LL << 53, NULL},
	[A_NONCE] = {"nonce", V_TOKEN, 0, 0, 64, NULL},
	[A_CMS] = {"cms", V_MEMO, 0, 0, CMS_MAX, NULL},
};

/* A refused decision: the message at the top of the page, with its status. */
static void alert(struct req *r, const struct dec_result *res)
{
	view_set(r, "Alert", view_t(r, res->msg_key));
	r->status = dec_http_status(res->err);
}

static int accept(struct req *r)
{
	struct vval v[A__MAX];
	if (val_form(r, accept_fields, A__MAX, v)) {
		r->status = 422;
		return page_render(r, 0);
	}
	struct sign_proof p;
	esig_verify(r, v[A_NONCE].s, v[A_CMS].s, "action", "accept", v[A_REF].i, &p);
	struct dec_result res;
	enum dec_err e = dec_accept(r->a, staff(r), r->lang, v[A_REF].i, &p, &res);
	sign_signer_clear(&p.signer);
	if (e != DEC_OK)
		esig_burn(r, v[A_NONCE].s); /* one try per challenge */
	if (e == DEC_OK) {
		struct dec_referral x;
		if (dec_staff_referral(r->a, staff(r), 0, v[A_REF].i, &x) <= 0)
			return REQ_ERROR;
		const char *num = x.number;
		keep_ddo(r, x.ddo_id);
		view_flash(r, "cabinet_accepted", num);
		return req_redirect(r, arena_printf(r->a, "/cabinet?f_ref=%s#enrolled", num));
	}
	if (e == DEC_E_INTERNAL)
		return 500;
	alert(r, &res);
	if (e == DEC_E_SIGNATURE || e == DEC_E_TEXT)
		view_set(r, "Alert", esig_refusal_text(r, res.msg_key));
	return page_render(r, e == DEC_E_NOT_FOUND ? 0 : v[A_REF].i);
}

/* ------------------------------------------------------------ refuse */

enum { R_CODE, R_REASON, R_NONCE, R_CMS, R__MAX };
static const struct vfield refuse_fields[R__MAX] = {
	[R_CODE] = {"reason_code", V_ENUM, VF_REQUIRED, 0, 0, rfs_reason_names},
	[R_REASON] = {"reason", V_MEMO, VF_REQUIRED, 0, 1000, NULL},
	[R_NONCE] = {"nonce", V_TOKEN, 0, 0, 64, NULL},
	[R_CMS] = {"cms", V_MEMO, 0, 0, CMS_MAX, NULL},
};

/* The reasons of the list for the form's choice (Reasons.N.code, .label). */
static void reason_choices(struct req *r)
{
	for (int i = 0; i < RFS__MAX; i++) {
		view_set(r, arena_printf(r->a, "Reasons.%d.code", i), rfs_reason_names[i]);
		view_set(r, arena_printf(r->a, "Reasons.%d.label", i), rfs_reason_label(r->lang, (enum rfs_reason)i));
	}
}

/* The refusal page: step 1 asks for the reason and its explanation
 * (figure 23), step 2 shows the text to sign with them and the signed
 * form. */
static int refuse_render(struct req *r, const struct dec_referral *x, int step, enum rfs_reason code,
			 const char *reason)
{
	dview_referral(r, "Ref", x);
	view_set(r, "Ref.bin", x->ddo_bin ? x->ddo_bin : "");
	enum dec_err e = dec_can_refuse(x);
	if (e != DEC_OK) {
		view_set(r, "Ref.state", view_t(r, dec_err_key(e)));
		if (!r->status)
			r->status = 409;
	} else if (step == 2) {
		char nonce[44];
		const char *content = esig_challenge(r, "action", "refuse", x->id,
						     dec_text_refuse(r->a, r->lang, x, code, reason), nonce);
		if (!content)
			return REQ_ERROR;
		esig_view(r, "Sign", content, nonce);
		view_set(r, "Step", "2");
		view_set(r, "ReasonCode", rfs_reason_names[code]);
		view_set(r, "ReasonLabel", rfs_reason_label(r->lang, code));
		view_set(r, "Reason", reason);
	} else {
		view_set(r, "Step", "1");
		reason_choices(r);
	}
	return view_render(r, "cabinet_refuse.cs") < 0 ? REQ_ERROR : REQ_OK;
}

/* The referral the URL names, if it is of one of the staff member's DDOs:
 * FOUND, or else the handler's answer (the 404 page; REQ_ERROR). */
enum { FOUND = 1 };
static int url_referral(struct req *r, struct dec_referral *x)
{
	int f = dec_staff_referral(r->a, staff(r), 0, r->iarg[0], x);
	if (f < 0)
		return REQ_ERROR;
	return f ? FOUND : req_fail(r, 404, "Decide.err.not_found");
}

static int refuse_form(struct req *r)
{
	struct dec_referral x;
	int found = url_referral(r, &x);
	if (found != FOUND)
		return found;
	return refuse_render(r, &x, 1, RFS__MAX, "");
}

static int refuse(struct req *r)
{
	struct dec_referral x;
	int found = url_referral(r, &x);
	if (found != FOUND)
		return found;
	/* A referral that cannot be refused says so before any field does. */
	if (dec_can_refuse(&x) != DEC_OK)
		return refuse_render(r, &x, 1, RFS__MAX, "");
	struct vval v[R__MAX];
	if (val_form(r, refuse_fields, R__MAX, v)) {
		/* The form's own words next to its two fields. */
		if (v[R_CODE].err)
			view_field_error(r, "reason_code", "RefusalReason.err_code");
		if (v[R_REASON].err && !v[R_REASON].present)
			view_field_error(r, "reason", "RefusalReason.err_text");
		r->status = 422;
		return refuse_render(r, &x, 1, RFS__MAX, "");
	}
	enum rfs_reason code = (enum rfs_reason)v[R_CODE].i;
	if (!v[R_NONCE].present)
		return refuse_render(r, &x, 2, code, v[R_REASON].s);
	struct sign_proof p;
	esig_verify(r, v[R_NONCE].s, v[R_CMS].s, "action", "refuse", x.id, &p);
	struct dec_result res;
	enum dec_err e = dec_refuse(r->a, staff(r), r->lang, x.id, code, v[R_REASON].s, &p, &res);
	sign_signer_clear(&p.signer);
	if (e != DEC_OK)
		esig_burn(r, v[R_NONCE].s); /* one try per challenge */
	if (e == DEC_OK) {
		keep_ddo(r, x.ddo_id);
		view_flash(r, "cabinet_refused", x.number);
		return req_redirect(r, arena_printf(r->a, "/cabinet?by=number&q=%s#result", x.number));
	}
	if (e == DEC_E_INTERNAL)
		return 500;
	if (e == DEC_E_NOT_FOUND)
		return req_fail(r, 404, "Decide.err.not_found");
	alert(r, &res);
	if (e == DEC_E_SIGNATURE || e == DEC_E_TEXT)
		view_set(r, "Alert", esig_refusal_text(r, res.msg_key));
	/* Reload: the state may have changed under the form. */
	if (dec_staff_referral(r->a, staff(r), 0, x.id, &x) <= 0)
		return REQ_ERROR;
	return refuse_render(r, &x, 2, code, v[R_REASON].s);
}

/* ------------------------------------------------------------ documents */

static int card(struct req *r)
{
	struct dec_referral x;
	int found = url_referral(r, &x);
	if (found != FOUND)
		return found;
	long long id = dec_child_card(r->a, staff(r), r->lang, &x);
	if (id < 0)
		return REQ_ERROR;
	return req_redirect(r, arena_printf(r->a, "/cabinet/doc/%lld", id));
}

static int document(struct req *r)
{
	struct dec_doc d;
	return dview_send_document(r, dec_staff_document(r->a, staff(r), r->iarg[0], &d), &d, "Cabinet.doc_not_found");
}

static int init(void) { return dec_init(); }

static const struct route routes[] = {
	{M_GET, "/cabinet", ROLE_STAFF, page, 0},
	{M_POST, "/cabinet/ddo", ROLE_STAFF, choose, 0},
	{M_POST, "/cabinet/accept", ROLE_STAFF, accept, 0},
	{M_GET, "/cabinet/refuse/%d", ROLE_STAFF, refuse_form, 0},
	{M_POST, "/cabinet/refuse/%d", ROLE_STAFF, refuse, 0},
	{M_POST, "/cabinet/card/%d", ROLE_STAFF, card, 0},
	{M_GET, "/cabinet/doc/%d", ROLE_STAFF, document, 0},
};

int main(int argc, char **argv)
{
	static const struct app app = {"cabinet", routes, NROUTES(routes), init};
	return req_main(argc, argv, &app);
}
