/*
 * queue — putting a child in the queue (Постановка в очередь, /queue),
 * the citizen's own applications with withdrawal (/queue/my), and the
 * public queue-number search (/queue/search). The rules live in
 * lib/queue.h; this file reads the forms, calls them and fills the views.
 *
 *   GET  /queue                 the registration form (citizen)
 *   POST /queue                 register (multipart: the benefit document):
 *                               only a legal representative the register of
 *                               persons shows (gbd.h), with the child's names
 *                               from it; else, with «Я опекун…» and its
 *                               document, a guardian request (guardian.h)
 *   GET  /queue/app/ID          one's own application: the confirmation page
 *   GET  /queue/my              one's own applications
 *   GET  /queue/withdraw/ID     the confirmation step of a withdrawal
 *   POST /queue/withdraw/ID     withdraw
 *   GET  /queue/offer/ID/decline  the confirmation step of declining an
 *                               offered place (offer.h)
 *   POST /queue/offer/ID/decline  decline it: the place passes on
 *   POST /queue/voucher/ID/confirm  confirm consent to a voucher (voucher.h)
 *   GET  /queue/voucher/ID/refuse   the confirmation step of refusing it
 *   POST /queue/voucher/ID/refuse   refuse it: the application is archived
 *   POST /queue/app/ID/restore      restore an inactive application (once)
 *   GET  /queue/search?q=       public search by number or child's IIN
 *   GET  /queue/ddos?district=  the DDOs of a district (JSON, for the form)
 *
 * Settings: Queue.MaxAgeYears (preschool age), Queue.MaxActivePerApplicant
 * (the cap, queue_admissible), Gbd.* (the register), Queue.SearchPerMinute
 * (searches that find nothing, per client address and minute, before the
 * address is refused for the rest of the minute).
 */
#include <stdio.h>
#include <string.h>

#include "base/cal.h"
#include "base/conf.h"
#include "base/db.h"
#include "domain/doc.h"
#include "domain/gbd.h"
#include "domain/guardian.h"
#include "domain/offer.h"
#include "domain/queue.h"
#include "domain/referral.h"
#include "domain/refusal.h"
#include "domain/voucher.h"
#include "web/rate.h"
#include "web/req.h"
#include "base/util.h"
#include "web/val.h"
#include "web/view.h"

#include "moves_view.h"
#include "qhist_view.h"

static const char *const ddo_kinds[] = {"state", "private_subsidised", "mini_centre", NULL};

/* ---- shared view pieces ---- */

/* The active DDOs of a district: id, name in the request's language, kind. */
static sqlite3_stmt *ddo_list(struct req *r, int district)
{
	if (strcmp(r->lang, "kk") == 0)
		return db_query("SELECT id, name_kk, kind FROM ddo WHERE district_id = ? AND active = 1 "
				"ORDER BY kind DESC, name_kk, id", "i", district);
	return db_query("SELECT id, name_ru, kind FROM ddo WHERE district_id = ? AND active = 1 "
			"ORDER BY kind DESC, name_ru, id", "i", district);
}

/* The DDOs of a district (active ones), as Ddos.N.id/name/kind. */
static void fill_ddos(struct req *r, int district)
{
	sqlite3_stmt *st = ddo_list(r, district);
	int i = 0;
	char k[64];
	while (db_row(st)) {
		snprintf(k, sizeof k, "Ddos.%d.id", i);
		view_set(r, k, db_col(st, 0));
		snprintf(k, sizeof k, "Ddos.%d.name", i);
		view_set(r, k, db_col(st, 1));
		snprintf(k, sizeof k, "Ddos.%d.kind", i);
		view_set(r, k, db_col(st, 2));
		i++;
	}
	db_done(st);
}

static void fill_grounds(struct req *r)
{
	int i = 0;
	char k[64];
	for (const struct queue_ground *g = queue_grounds; g->code; g++, i++) {
		snprintf(k, sizeof k, "Grounds.%d.code", i);
		view_set(r, k, g->code);
		snprintf(k, sizeof k, "Grounds.%d.category", i);
		view_set(r, k, queue_benefit_names[g->category]);
	}
}

/* Position figures under prefix (Pos.overall, Pos.in_category,
 * Pos.ahead.<category>, Pos.total). */
static void fill_pos(struct req *r, const char *prefix, const struct queue_pos *p)
{
	char k[96];
	if (!p->queued)
		return;
	snprintf(k, sizeof k, "%s.queued", prefix);
	view_set(r, k, "1");
	snprintf(k, sizeof k, "%s.overall", prefix);
	view_set_int(r, k, p->overall);
	snprintf(k, sizeof k, "%s.in_category", prefix);
	view_set_int(r, k, p->in_category);
	long long total = 0;
	for (int c = 0; c < QB__MAX; c++) {
		snprintf(k, sizeof k, "%s.ahead.%s", prefix, queue_benefit_names[c]);
		view_set_int(r, k, p->ahead[c]);
		total += p->total[c];
	}
	snprintf(k, sizeof k, "%s.total", prefix);
	view_set_int(r, k, total);
}

/* The child's birth date and sex from a valid IIN. */
static void fill_child_info(struct req *r, const struct iin_info *ii)
{
	char d[11];
	cal_format_date(ii->birth, d);
	view_set(r, "Child.birth", d);
	view_set(r, "Child.sex", ii->sex == 'M' ? "M" : "F");
}

/* ---- registration ---- */

enum {
	F_IIN, F_CSUR, F_CNAME, F_CPATR, F_ASUR, F_ANAME, F_APATR, F_PHONE, F_EMAIL, F_DISTRICT, F_LANG,
	F_DDO1, F_DDO2, F_DDO3, F_BENEFIT, F_ACTION, F_GUARDIAN, F_BENEFIT_UNTIL, F__MAX
};
/* save: register; check: the child's IIN (and the district's DDO lists);
 * district: only the DDO lists of the chosen district (the form's path
 * without JavaScript, which otherwise reloads the lists itself). */
static const char *const actions[] = {"save", "check", "district", NULL};
static const struct vfield fields[F__MAX] = {
	[F_IIN] = {"child_iin", V_IIN, VF_REQUIRED, 0, 0, NULL},
	[F_CSUR] = {"child_surname", V_TEXT, VF_REQUIRED, 1, 100, NULL},
	[F_CNAME] = {"child_name", V_TEXT, VF_REQUIRED, 1, 100, NULL},
	[F_CPATR] = {"child_patronymic", V_TEXT, 0, 0, 100, NULL},
	[F_ASUR] = {"applicant_surname", V_TEXT, 0, 1, 100, NULL},
	[F_ANAME] = {"applicant_name", V_TEXT, 0, 1, 100, NULL},
	[F_APATR] = {"applicant_patronymic", V_TEXT, 0, 0, 100, NULL},
	[F_PHONE] = {"phone", V_PHONE, VF_REQUIRED, 0, 0, NULL},
	[F_EMAIL] = {"email", V_EMAIL, 0, 0, 0, NULL},
	[F_DISTRICT] = {"district", V_INT, VF_REQUIRED, 1000, 9999, NULL},
	[F_LANG] = {"language", V_ENUM, VF_REQUIRED, 0, 0, queue_languages},
	[F_DDO1] = {"ddo1", V_INT, 0, 1, 1LL << 40, NULL},
	[F_DDO2] = {"ddo2", V_INT, 0, 1, 1LL << 40, NULL},
	[F_DDO3] = {"ddo3", V_INT, 0, 1, 1LL << 40, NULL},
	[F_BENEFIT] = {"benefit", V_TOKEN, VF_REQUIRED, 1, 40, NULL},
	[F_ACTION] = {"action", V_ENUM, 0, 0, 0, actions},
	[F_GUARDIAN] = {"guardian", V_BOOL, 0, 0, 0, NULL},
	/* The end date of the benefit's document, when it has one (refresh.h). */
	[F_BENEFIT_UNTIL] = {"benefit_until", V_DATE, 0, 0, 0, NULL},
};

/* Does the logged-in account still lack its names (one-time-code login)? */
static int needs_names(struct req *r) { return !*r->s->surname || !*r->s->name; }

/* Everything the form shows besides the submitted values. */
static int form_page(struct req *r)
{
	view_set(r, "Applicant.iin", r->s->iin);
	if (needs_names(r))
		view_set(r, "Form.need_names", "1");
	else
		view_setf(r, "Applicant.name", "%s %s%s%s", r->s->surname, r->s->name, *r->s->patronymic ? " " : "",
			  r->s->patronymic);
	int year = queue_year_of(u_now());
	view_set_int(r, "Form.min_year", year - conf_int("Queue.MaxAgeYears", 7));
	view_set_int(r, "Form.max_mb", doc_max_bytes() / (1024 * 1024));
	/* The DDO lists follow the district the form shows. */
	long long d = 0;
	const char *qd = req_param(r, "district");
	if (qd && u_strtoll(qd, 1000, 9999, &d) == 0 && view_district_name(r, (int)d))
		fill_ddos(r, (int)d);
	fill_grounds(r);
	view_set(r, "Page.scripts.0", "/js/queue.js");
	return view_render(r, "queue.cs") < 0 ? REQ_ERROR : REQ_OK;
}

static int page_form(struct req *r)
{
	/* Defaults: the account's contacts, the chosen district, the page's
	 * language, no benefit. */
	char phone[20] = "", email[200] = "";
	db_text(phone, sizeof phone, "SELECT phone FROM account WHERE id = ?", "I", r->s->account_id);
	db_text(email, sizeof email, "SELECT email FROM account WHERE id = ?", "I", r->s->account_id);
	if (!*phone)
		snprintf(phone, sizeof phone, "%s", r->s->otp_phone);
	view_set(r, "Query.phone", phone);
	view_set(r, "Query.email", email);
	if (r->district)
		view_set_int(r, "Query.district", r->district);
	view_set(r, "Query.language", r->lang);
	view_set(r, "Query.benefit", "none");
	return form_page(r);
}

/* A name field: letters only, stored in capitals. */
static const char *name_value(struct req *r, struct vval *v, const char *field)
{
	if (!v->present || v->err)
		return v->s;
	if (!queue_name_ok(v->s)) {
		view_field_error(r, field, "Queue.err_name");
		v->err = "Queue.err_name";
		return v->s;
	}
	return queue_upper(r->a, v->s);
}

/* Checks the child's IIN beyond its form: a child of preschool age, not
 * the applicant, not in the queue already. Returns 1 when it is fine. */
static int child_ok(struct req *r, struct vval *v)
{
	if (v->err)
		return 0;
	int today = cal_day_from_unix(u_now());
	long long min_year = queue_year_of(u_now()) - conf_int("Queue.MaxAgeYears", 7);
	char y[24], number[32];
	if (strcmp(v->s, r->s->iin) == 0) {
		view_field_error(r, "child_iin", "Queue.err_own_iin");
	} else if (v->iin.birth > today) {
		view_field_error(r, "child_iin", "Queue.err_unborn");
	} else if (v->iin.year < min_year) {
		snprintf(y, sizeof y, "%lld", min_year);
		view_field_error_text(r, "child_iin", view_tf(r, "Queue.err_too_old", "year", y));
	} else if (queue_active_of_child(v->s, number)) {
		view_field_error_text(r, "child_iin", view_tf(r, "Queue.err_duplicate", "number", number));
		view_set(r, "Form.duplicate", number);
	} else {
		fill_child_info(r, &v->iin);
		return 1;
	}
	return 0;
}

/* The refusals of queue_admissible, next to the child's IIN. */
static void blocked_error(struct req *r, int rc, const char *number)
{
	if (rc == QUEUE_DUPLICATE) {
		view_field_error_text(r, "child_iin", view_tf(r, "Queue.err_duplicate", "number", number));
		view_set(r, "Form.duplicate", number);
	} else if (rc == QUEUE_PENDING) {
		view_field_error_text(r, "child_iin", view_tf(r, "Guardian.err_pending", "number", number));
	} else if (rc == QUEUE_CAP) {
		view_field_error_text(r, "child_iin",
				      view_tf(r, "Gbd.err_cap", "max", arena_int(r->a, queue_cap())));
	}
}

/* Asks the register of persons whether the logged-in applicant is a legal
 * representative of the child (v: the form, its IIN valid and the child
 * admissible). A representative: the register's names of the child (table
 * mode) replace what was typed, the form is read again with them and they
 * are shown (Form.gbd). Otherwise the message next to the IIN; when the
 * register does not show the applicant, the form offers the guardian's
 * path (Form.guardian_offer), unless guardian says it is taken. check:
 * «Проверить ИИН», which only shows (the form is not read again). */
static enum gbd_result parentage(struct req *r, struct vval v[F__MAX], int guardian, int check)
{
	struct gbd_child gc;
	enum gbd_result res = gbd_check(v[F_IIN].s, r->s->iin, &gc);
	if (res == GBD_REPRESENTATIVE && gc.found) {
		view_set(r, "Query.child_surname", gc.surname);
		view_set(r, "Query.child_name", gc.name);
		view_set(r, "Query.child_patronymic", gc.patronymic);
		view_set(r, "Form.gbd", "1");
		view_set(r, "Form.gbd_birth", gc.birth_date);
		if (check)
			return res;
		NEOERR *e = hdf_remove_tree(r->hdf, "Errors");
		nerr_ignore(&e);
		val_form(r, fields, F__MAX, v);
		child_ok(r, &v[F_IIN]);
	} else if (res == GBD_UNAVAILABLE) {
		view_field_error(r, "child_iin", "Gbd.err_unavailable");
	} else if (res != GBD_REPRESENTATIVE) {
		view_set(r, "Form.guardian_offer", "1");
		if (!guardian)
			view_field_error(r, "child_iin", res == GBD_UNKNOWN_CHILD ? "Gbd.err_unknown_child"
										 : "Gbd.err_not_representative");
	}
	return res;
}

/* The guardian's supporting document: checked, or a message next to it.
 * Returns the file, or NULL. */
static const struct req_file *guardian_file(struct req *r, const char **mime)
{
	const struct req_file *f = req_file(r, "guardian_doc");
	const char *e = f ? doc_check(f->data, f->len, mime) : "Guardian.err_doc_required";
	if (e && strcmp(e, "Err.file_too_large") == 0) {
		char mb[24];
		snprintf(mb, sizeof mb, "%lld", doc_max_bytes() / (1024 * 1024));
		view_field_error_text(r, "guardian_doc", view_tf(r, "Err.file_too_large", "max", mb));
	} else if (e) {
		view_field_error(r, "guardian_doc", e);
	}
	return e ? NULL : f;
}

static int page_save(struct req *r)
{
	struct vval v[F__MAX];
	val_form(r, fields, F__MAX, v);
	int guardian = v[F_GUARDIAN].present && v[F_GUARDIAN].i;

	/* "Show the district's DDOs": the form again with the lists of the
	 * district chosen, no checks, nothing written. */
	if (v[F_ACTION].present && v[F_ACTION].i == 2) {
		NEOERR *e = hdf_remove_tree(r->hdf, "Errors");
		nerr_ignore(&e);
		return form_page(r);
	}
	/* "Check the IIN": shows the birth date and sex, what the register of
	 * persons says (and refreshes the DDO lists for the district), writes
	 * nothing. */
	if (v[F_ACTION].present && v[F_ACTION].i == 1) {
		NEOERR *e = hdf_remove_tree(r->hdf, "Errors");
		nerr_ignore(&e);
		if (v[F_IIN].err)
			view_field_error(r, "child_iin", v[F_IIN].err);
		else if (child_ok(r, &v[F_IIN]))
			parentage(r, v, 0, 1);
		return form_page(r);
	}

	enum gbd_result gr = GBD__MAX;
	if (child_ok(r, &v[F_IIN]))
		gr = parentage(r, v, guardian, 0);
	/* The guardian's path: only where the register does not show the applicant. */
	int as_guardian = guardian && (gr == GBD_NOT_REPRESENTATIVE || gr == GBD_UNKNOWN_CHILD);
	const char *gmime = NULL;
	const struct req_file *gf = as_guardian ? guardian_file(r, &gmime) : NULL;
	const char *csur = name_value(r, &v[F_CSUR], "child_surname");
	const char *cname = name_value(r, &v[F_CNAME], "child_name");
	const char *cpatr = name_value(r, &v[F_CPATR], "child_patronymic");
	const char *asur = NULL, *aname = NULL, *apatr = NULL;
	if (needs_names(r)) {
		if (!v[F_ASUR].present && !v[F_ASUR].err)
			view_field_error(r, "applicant_surname", "Err.required");
		if (!v[F_ANAME].present && !v[F_ANAME].err)
			view_field_error(r, "applicant_name", "Err.required");
		asur = name_value(r, &v[F_ASUR], "applicant_surname");
		aname = name_value(r, &v[F_ANAME], "applicant_name");
		apatr = name_value(r, &v[F_APATR], "applicant_patronymic");
	}

	/* The district must exist; the DDOs must be of that district, once each. */
	int district = (int)v[F_DISTRICT].i;
	if (!v[F_DISTRICT].err && !view_district_name(r, district)) {
		view_field_error(r, "district", "Queue.err_district");
		v[F_DISTRICT].err = "Queue.err_district";
	}
	long long ddo[3] = {0, 0, 0};
	for (int k = 0; k < 3; k++) {
		struct vval *d = &v[F_DDO1 + k];
		const char *name = fields[F_DDO1 + k].name;
		if (!d->present || d->err)
			continue;
		if (v[F_DISTRICT].err) {
			view_field_error(r, name, "Queue.err_ddo_district");
		} else if (!db_int("SELECT count(*) FROM ddo WHERE id = ? AND district_id = ? AND active = 1", 0, "Ii",
				   d->i, district)) {
			view_field_error(r, name, "Queue.err_ddo");
		} else if ((k > 0 && ddo[0] == d->i) || (k > 1 && ddo[1] == d->i)) {
			view_field_error(r, name, "Queue.err_ddo_twice");
		} else {
			ddo[k] = d->i;
		}
	}

	/* The benefit: none, or a ground of the list with its document. */
	const struct queue_ground *g = NULL;
	if (!v[F_BENEFIT].err && strcmp(v[F_BENEFIT].s, "none") != 0) {
		g = queue_ground(v[F_BENEFIT].s);
		if (!g)
			view_field_error(r, "benefit", "Err.choice");
	}
	const struct req_file *f = g ? req_file(r, "benefit_doc") : NULL;
	const char *mime = NULL;
	if (g) {
		const char *e = f ? doc_check(f->data, f->len, &mime) : "Queue.err_doc_required";
		if (e && strcmp(e, "Err.file_too_large") == 0) {
			char mb[24];
			snprintf(mb, sizeof mb, "%lld", doc_max_bytes() / (1024 * 1024));
			view_field_error_text(r, "benefit_doc", view_tf(r, "Err.file_too_large", "max", mb));
		} else if (e) {
			view_field_error(r, "benefit_doc", e);
		}
	}
	char until[11] = "";
	if (g && v[F_BENEFIT_UNTIL].present && !v[F_BENEFIT_UNTIL].err) {
		if (v[F_BENEFIT_UNTIL].i < cal_day_from_unix(u_now()))
			view_field_error(r, "benefit_until", "Queue.err_benefit_until");
		else
			cal_format_iso((int)v[F_BENEFIT_UNTIL].i, until);
	}
	/* Every check above marks its field; any mark means nothing is written. */
	if (hdf_get_value(r->hdf, "Errors.any", NULL)) {
		r->status = 422;
		return form_page(r);
	}

	char sha[65], gsha[65];
	if (g && doc_store(f->data, f->len, sha) < 0)
		return 500;
	if (as_guardian && doc_store(gf->data, gf->len, gsha) < 0)
		return 500;
	char birth[11];
	cal_format_iso(v[F_IIN].iin.birth, birth);
	/* The register's birth date where it has the child. */
	const char *gbirth = hdf_get_value(r->hdf, "Form.gbd_birth", NULL);
	if (gbirth && strlen(gbirth) == 10)
		memcpy(birth, gbirth, 11);
	struct queue_reg in = {
		.applicant_id = r->s->account_id,
		.child_iin = v[F_IIN].s,
		.child_surname = csur,
		.child_name = cname,
		.child_patronymic = cpatr,
		.birth_date = birth,
		.sex = v[F_IIN].iin.sex,
		.district = district,
		.group_year = queue_group_year(birth),
		.language = queue_languages[v[F_LANG].i],
		.ground = g ? g->code : NULL,
		.ddo = {ddo[0], ddo[1], ddo[2]},
		.phone = v[F_PHONE].s,
		.email = v[F_EMAIL].s,
		.doc_sha = g ? sha : NULL,
		.doc_mime = mime,
		.doc_name = f ? doc_clean_filename(r->a, f->filename, "benefit", mime) : NULL,
		.doc_valid_until = *until ? until : NULL,
		.doc_size = f ? f->len : 0,
		.applicant_surname = asur,
		.applicant_name = aname,
		.applicant_patronymic = apatr,
	};
	long long id;
	char number[32];
	int rc;
	if (as_guardian) {
		struct guardian_doc gd = {gsha, gmime, doc_clean_filename(r->a, gf->filename, "document", gmime), gf->len};
		rc = guardian_submit(req_actor(r, ROLE_CITIZEN), &in, &gd, &id, number);
	} else {
		rc = queue_register(req_actor(r, ROLE_CITIZEN), &in, &id, number);
	}
	if (rc == QUEUE_DUPLICATE || rc == QUEUE_PENDING || rc == QUEUE_CAP) {
		blocked_error(r, rc, number);
		NEOERR *e = hdf_remove_tree(r->hdf, "Child");
		nerr_ignore(&e);
		r->status = 422;
		return form_page(r);
	}
	if (rc != QUEUE_OK)
		return 500;
	if (as_guardian) {
		view_flash(r, "guardian_submitted", arena_int(r->a, id));
		return req_redirect(r, "/queue/my");
	}
	view_flash(r, "queue_registered", number);
	char *to = arena_printf(r->a, "/queue/app/%lld", id);
	return req_redirect(r, to);
}

/* ---- one's own applications ---- */

/* Application fields under prefix: number, date, year, district, language,
 * benefit, ground, status, child names; the columns of own_app(). The
 * status and archive reason are those it reads now (ref_app_status: past
 * its referral's deadline it is archived before the timed job writes it). */
static int fill_app(struct req *r, const char *prefix, sqlite3_stmt *st)
{
	char k[96], dt[17];
	static const char *const names[] = {"id", "number", "queued_at", "group_year", "district", "language",
					    "benefit", "ground", "status", "surname", "name", "patronymic",
					    "child_iin", "archive_reason", "ddo1", "ddo2", "ddo3"};
	const char *reason = db_col(st, 13);
	const char *status = ref_app_status(sqlite3_column_int64(st, 0), db_col(st, 8), u_now(), &reason);
	if (!status)
		return -1;
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		snprintf(k, sizeof k, "%s.%s", prefix, names[i]);
		if (i == 2) {
			u_fmt_datetime(sqlite3_column_int64(st, 2), dt);
			view_set(r, k, dt);
		} else if (i == 4) {
			view_set(r, k, view_district_name(r, sqlite3_column_int(st, 4)));
		} else if (i == 8) {
			view_set(r, k, status);
		} else if (i == 13) {
			view_set(r, k, reason);
		} else {
			view_set(r, k, db_col(st, (int)i));
		}
	}
	return 0;
}

/* One's own application: the columns fill_app reads, then the names of the
 * preferred DDOs in the request's language. Authorised in the query: the
 * application must be the account's own. */
static sqlite3_stmt *own_app(struct req *r, long long id)
{
	if (strcmp(r->lang, "kk") == 0)
		return db_query("SELECT a.id, a.number, a.queued_at, a.group_year, a.district_id, a.language, a.benefit, "
				"a.benefit_ground, a.status, c.surname, c.name, c.patronymic, c.iin, coalesce(a.archive_reason, ''), "
				"coalesce(d1.name_kk, ''), coalesce(d2.name_kk, ''), coalesce(d3.name_kk, '') "
				"FROM application a JOIN child c ON c.id = a.child_id LEFT JOIN ddo d1 ON d1.id = a.ddo1 "
				"LEFT JOIN ddo d2 ON d2.id = a.ddo2 LEFT JOIN ddo d3 ON d3.id = a.ddo3 "
				"WHERE a.id = ? AND a.applicant_id = ?", "II", id, r->s->account_id);
	return db_query("SELECT a.id, a.number, a.queued_at, a.group_year, a.district_id, a.language, a.benefit, "
			"a.benefit_ground, a.status, c.surname, c.name, c.patronymic, c.iin, coalesce(a.archive_reason, ''), "
			"coalesce(d1.name_ru, ''), coalesce(d2.name_ru, ''), coalesce(d3.name_ru, '') "
			"FROM application a JOIN child c ON c.id = a.child_id LEFT JOIN ddo d1 ON d1.id = a.ddo1 "
			"LEFT JOIN ddo d2 ON d2.id = a.ddo2 LEFT JOIN ddo d3 ON d3.id = a.ddo3 "
			"WHERE a.id = ? AND a.applicant_id = ?", "II", id, r->s->account_id);
}

/* The application's open offer (offer.h), under prefix.offer: DDO, address,
 * group year, language, the end of the window. 1 shown, 0 none, -1 on a
 * database error. */
static int fill_offer(struct req *r, const char *prefix, long long app_id)
{
	struct offer_info o;
	int found = offer_open_of(app_id, u_now(), &o);
	if (found <= 0)
		return found;
	char k[96], until[17];
	u_fmt_datetime(o.until, until);
	const char *const v[][2] = {
		{"place", arena_int(r->a, o.place_id)},
		{"ddo", strcmp(r->lang, "kk") == 0 ? o.ddo_kk : o.ddo_ru},
		{"address", o.address},
		{"year", arena_int(r->a, o.group_year)},
		{"language", o.language},
		{"until", view_tf(r, "Offer.until_date", "date", until)},
	};
	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		snprintf(k, sizeof k, "%s.offer.%s", prefix, v[i][0]);
		view_set(r, k, v[i][1]);
	}
	return 1;
}

/* The application's latest voucher (voucher.h), under prefix.voucher:
 * live (the offer box gives way to it), pending / choosing / inactive with
 * the DDO, address and dates, restorable, restored_once. 1 when it is
 * live (waits for an answer or a choice), 0 otherwise, -1 on an error. */
static int fill_voucher(struct req *r, const char *prefix, long long app_id)
{
	struct vch_info v;
	int found = vch_of_app(app_id, u_now(), &v);
	if (found <= 0)
		return found;
	const char *date = arena_datetime(r->a, v.pending ? v.consent_until : v.choose_until);
	const char *const kv[][2] = {
		{"id", arena_int(r->a, v.id)},
		{"live", v.pending || v.choosing ? "1" : ""},
		{"pending", v.pending ? "1" : ""},
		{"choosing", v.choosing ? "1" : ""},
		{"inactive", v.inactive ? "1" : ""},
		{"restorable", v.restorable ? "1" : ""},
		{"restored_once", v.restored_once ? "1" : ""},
		{"ddo", strcmp(r->lang, "kk") == 0 ? v.ddo_kk : v.ddo_ru},
		{"address", v.address},
		{"until", view_tf(r, "Offer.until_date", "date", date)},
		{"restore_until", v.restore_until ? arena_datetime(r->a, v.restore_until) : ""},
	};
	for (size_t i = 0; i < sizeof kv / sizeof *kv; i++)
		view_set(r, arena_printf(r->a, "%s.voucher.%s", prefix, kv[i][0]), kv[i][1]);
	return v.pending || v.choosing;
}

/* A kindergarten's refusal awaiting the education department, under
 * prefix.refusal (label, text, ddo, at): the parent reads the reason and
 * what happens next at once. Nothing when none is pending. 0 or -1. */
static int fill_refusal(struct req *r, const char *prefix, long long app)
{
	struct rfs_info f;
	int found = rfs_latest(r->a, app, &f);
	if (found <= 0 || strcmp(f.status, "pending") != 0)
		return found < 0 ? -1 : 0;
	view_set(r, arena_printf(r->a, "%s.refusal.label", prefix), rfs_reason_label(r->lang, f.reason));
	view_set(r, arena_printf(r->a, "%s.refusal.text", prefix), f.text);
	view_set(r, arena_printf(r->a, "%s.refusal.ddo", prefix),
		 strcmp(r->lang, "kk") == 0 && *f.ddo_name_kk ? f.ddo_name_kk : f.ddo_name_ru);
	view_set(r, arena_printf(r->a, "%s.refusal.at", prefix), arena_datetime(r->a, f.refused_at));
	return 0;
}

/* A referral whose benefit awaits the education department's confirmation
 * (benefit.h), under prefix.benefitCheck (until: the due date, hint: where
 * to bring the original and by when). Nothing otherwise. 0 or -1. */
static int fill_benefit_check(struct req *r, const char *prefix, long long app, int district)
{
	struct ref_info ref;
	int found = ref_live(app, u_now(), &ref);
	if (found <= 0 || ref.status != REF_ST_ISSUED || !ref.benefit_pending)
		return found < 0 ? -1 : 0;
	const char *date = arena_date(r->a, ref.deadline_at);
	view_set(r, arena_printf(r->a, "%s.benefitCheck.until", prefix), view_tf(r, "BenefitCheck.until", "date", date));
	const char *kv[] = {"district", view_district_name(r, district), "date", date, NULL};
	view_set(r, arena_printf(r->a, "%s.benefitCheck.hint", prefix),
		 arena_subst(r->a, view_t(r, "BenefitCheck.hint_parent"), kv));
	return 0;
}

static int page_app(struct req *r)
{
	sqlite3_stmt *st = own_app(r, r->iarg[0]);
	if (!db_row(st)) {
		db_done(st);
		return 404;
	}
	int failed = fill_app(r, "App", st) < 0;
	int district = sqlite3_column_int(st, 4), referred = strcmp(db_col(st, 8), "referred") == 0;
	db_done(st);
	struct queue_pos p;
	if (failed || queue_position(r->iarg[0], &p) < 0)
		return 500;
	fill_pos(r, "Pos", &p);
	if (fill_offer(r, "App", r->iarg[0]) < 0 || fill_refusal(r, "App", r->iarg[0]) < 0 ||
	    (referred && fill_benefit_check(r, "App", r->iarg[0], district) < 0) ||
	    fill_voucher(r, "App", r->iarg[0]) < 0)
		return 500;
	/* Why the number moved and the likely wait (qhist_view.h). */
	if (hview_fill(r, r->iarg[0], arena_printf(r->a, "/queue/app/%lld", r->iarg[0]), NULL) < 0)
		return 500;
	if (db_int("SELECT count(*) FROM document WHERE application_id = ? AND kind = 'benefit'", 0, "I", r->iarg[0]))
		view_set(r, "App.has_doc", "1");
	return view_render(r, "queue_app.cs") < 0 ? REQ_ERROR : REQ_OK;
}

/* The applicant's guardian requests (Заявления на проверке), newest first,
 * as Guardians.N.{id,child,iin,created,status,reason,decided,number}. */
static int fill_guardian_requests(struct req *r)
{
	sqlite3_stmt *st = db_query("SELECT g.id, rtrim(g.child_surname || ' ' || g.child_name || ' ' || g.child_patronymic), "
				    "g.child_iin, g.created_at, g.status, g.reason, coalesce(g.decided_at, 0), "
				    "coalesce(a.number, '') FROM guardian_request g LEFT JOIN application a ON a.id = g.application_id "
				    "WHERE g.applicant_id = ? ORDER BY g.id DESC LIMIT 50", "I", r->s->account_id);
	static const char *const names[] = {"id", "child", "iin", "created", "status", "reason", "decided", "number"};
	for (int i = 0; db_row(st); i++) {
		for (int c = 0; c < 8; c++) {
			char dt[17] = "";
			const char *val = db_col(st, c);
			if (c == 3 || c == 6) {
				if (sqlite3_column_int64(st, c))
					u_fmt_datetime(sqlite3_column_int64(st, c), dt);
				val = dt;
			}
			view_set(r, arena_printf(r->a, "Guardians.%d.%s", i, names[c]), val);
		}
	}
	return db_end(st);
}

static int page_my(struct req *r)
{
	sqlite3_stmt *st = db_query("SELECT a.id, a.number, a.queued_at, a.group_year, a.district_id, a.language, a.benefit, "
				    "a.benefit_ground, a.status, c.surname, c.name, c.patronymic, c.iin, "
				    "coalesce(a.archive_reason, ''), '', '', '' FROM application a JOIN child c ON c.id = a.child_id "
				    "WHERE a.applicant_id = ? ORDER BY a.id DESC LIMIT 200", "I", r->s->account_id);
	int i = 0;
	char k[48];
	struct {
		long long id;
		int queued, refused, referred, district;
	} ids[200];
	int failed = 0;
	while (!failed && i < 200 && db_row(st)) {
		snprintf(k, sizeof k, "Apps.%d", i);
		failed = fill_app(r, k, st) < 0;
		ids[i].id = sqlite3_column_int64(st, 0);
		ids[i].queued = strcmp(db_col(st, 8), "queued") == 0;
		ids[i].refused = strcmp(db_col(st, 8), "refusal_review") == 0;
		ids[i].referred = strcmp(db_col(st, 8), "referred") == 0;
		ids[i].district = sqlite3_column_int(st, 4);
		i++;
	}
	db_done(st);
	if (failed)
		return 500;
	for (int j = 0; j < i; j++) {
		snprintf(k, sizeof k, "Apps.%d", j);
		if (ids[j].refused && fill_refusal(r, k, ids[j].id) < 0)
			return 500;
		if (ids[j].referred && fill_benefit_check(r, k, ids[j].id, ids[j].district) < 0)
			return 500;
		if (fill_voucher(r, k, ids[j].id) < 0)
			return 500;
		if (!ids[j].queued)
			continue;
		struct queue_pos p;
		if (queue_position(ids[j].id, &p) < 0)
			return 500;
		snprintf(k, sizeof k, "Apps.%d.pos", j);
		fill_pos(r, k, &p);
		snprintf(k, sizeof k, "Apps.%d", j);
		if (fill_offer(r, k, ids[j].id) < 0 || mview_notices(r, k, ids[j].id) < 0)
			return 500;
	}
	if (fill_guardian_requests(r) < 0)
		return 500;
	return view_render(r, "queue_my.cs") < 0 ? REQ_ERROR : REQ_OK;
}

static int page_withdraw_confirm(struct req *r)
{
	sqlite3_stmt *st = own_app(r, r->iarg[0]);
	if (!db_row(st)) {
		db_done(st);
		return 404;
	}
	int failed = fill_app(r, "App", st) < 0;
	int queued = strcmp(db_col(st, 8), "queued") == 0;
	db_done(st);
	if (failed)
		return 500;
	if (!queued)
		r->status = 409;
	return view_render(r, "queue_withdraw.cs") < 0 ? REQ_ERROR : REQ_OK;
}

static int page_withdraw(struct req *r)
{
	int rc = queue_withdraw(req_actor(r, ROLE_CITIZEN), r->s->account_id, r->iarg[0]);
	if (rc == QUEUE_FAILED)
		return 500;
	if (rc != QUEUE_OK) {
		/* Not one's own, or no longer queued: the confirmation page says which. */
		return page_withdraw_confirm(r);
	}
	char number[32] = "";
	db_text(number, sizeof number, "SELECT number FROM application WHERE id = ?", "I", r->iarg[0]);
	view_flash(r, "queue_withdrawn", number);
	return req_redirect(r, "/queue/my");
}

/* ---- an offered place declined ---- */

/* The citizen's own application of the path into the view (App): 0, or
 * the status to answer (404 not theirs, 500). */
static int show_own_app(struct req *r)
{
	sqlite3_stmt *st = own_app(r, r->iarg[0]);
	if (!db_row(st)) {
		db_done(st);
		return 404;
	}
	int failed = fill_app(r, "App", st) < 0;
	db_done(st);
	return failed ? 500 : 0;
}

static int page_decline_confirm(struct req *r)
{
	int rc = show_own_app(r);
	if (rc)
		return rc;
	int has = fill_offer(r, "App", r->iarg[0]);
	if (has > 0)   /* a voucher is refused, not declined (voucher.h) */
		has = fill_voucher(r, "App", r->iarg[0]) > 0 ? 0 : has;
	if (has < 0)
		return 500;
	if (!has) {
		r->status = 409;
		view_set(r, "Alert", view_t(r, "Offer.no_offer"));
	}
	return view_render(r, "queue_decline.cs") < 0 ? REQ_ERROR : REQ_OK;
}

static int page_decline(struct req *r)
{
	int rc = offer_decline(req_actor(r, ROLE_CITIZEN), r->s->account_id, r->iarg[0]);
	if (rc < 0)
		return 500;
	if (rc != 0)
		return page_decline_confirm(r);   /* not one's own, or no open offer: the page says which */
	char number[32] = "";
	db_text(number, sizeof number, "SELECT number FROM application WHERE id = ?", "I", r->iarg[0]);
	view_flash(r, "offer_declined", number);
	return req_redirect(r, "/queue/my");
}

/* ---- a voucher (voucher.h): consent, refusal, restore ---- */

/* The outcome of a voucher act: «Мои заявления» with a flash, or the
 * application page again with why (409), 404 when it is not one's own. */
static int voucher_done(struct req *r, int rc, const char *flash)
{
	if (rc < 0)
		return 500;
	if (rc == VCH_NOT_FOUND && !db_int("SELECT count(*) FROM application WHERE id = ? AND applicant_id = ?", 0, "II",
					   r->iarg[0], r->s->account_id))
		return 404;
	if (rc != VCH_OK) {
		r->status = 409;
		view_set(r, "VoucherAlert", view_t(r, arena_printf(r->a, "Voucher.err_%s", vch_err_names[rc])));
		return page_app(r);
	}
	char number[32] = "";
	db_text(number, sizeof number, "SELECT number FROM application WHERE id = ?", "I", r->iarg[0]);
	view_flash(r, flash, number);
	return req_redirect(r, "/queue/my");
}

static int page_voucher_confirm(struct req *r)
{
	return voucher_done(r, vch_confirm(req_actor(r, ROLE_CITIZEN), r->iarg[0]), "voucher_confirmed");
}

static int page_voucher_refuse_confirm(struct req *r)
{
	int rc = show_own_app(r);
	if (rc)
		return rc;
	int live = fill_voucher(r, "App", r->iarg[0]);
	if (live < 0)
		return 500;
	if (!live)
		r->status = 409;
	return view_render(r, "queue_voucher_refuse.cs") < 0 ? REQ_ERROR : REQ_OK;
}

static int page_voucher_refuse(struct req *r)
{
	return voucher_done(r, vch_refuse(req_actor(r, ROLE_CITIZEN), r->iarg[0], offer_fill_place), "voucher_refused");
}

static int page_restore(struct req *r)
{
	return voucher_done(r, vch_restore(req_actor(r, ROLE_CITIZEN), r->iarg[0], offer_fill_app), "voucher_restored");
}

/* ---- public search ---- */

/* The search box: an application number (any case, spaces ignored) or a
 * child's IIN, read by the form validator's V_IIN exactly as registration
 * reads it (trimmed, then 12 digits, a real date, the check digit). A NUL
 * anywhere in the query string makes it malformed: ClearSilver would cut
 * the value there. Returns the normalised text in out, and 'n' or 'i'; 0
 * with an error key in *err when malformed. */
static char search_kind(struct req *r, const char *raw, char *out, size_t n, const char **err)
{
	*err = "Search.err_format";
	out[0] = '\0';
	if (strlen(raw) > 40)
		return 0;
	int nul = r->query && strcasestr(r->query, "%00");
	const char *p = raw;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (*p >= '0' && *p <= '9') {
		static const struct vfield f = {"q", V_IIN, VF_REQUIRED, 0, 0, NULL};
		struct vval v;
		*err = nul ? "Err.iin_format" : val_one(r, &f, raw, &v);
		if (*err)
			return 0;
		snprintf(out, n, "%s", v.s);
		return 'i';
	}
	size_t j = 0;
	for (; *p && j + 1 < n; p++) {
		if (*p == ' ' || *p == '\t')
			continue;
		out[j++] = (*p >= 'a' && *p <= 'z') ? (char)(*p - 32) : *p;
	}
	out[j] = '\0';
	if (j == 0 || nul)
		return 0;
	if (strncmp(out, "UO", 2) == 0) {
		if (queue_number_valid(out))
			return 'n';
		*err = "Search.err_number";
	}
	return 0;
}

/* The key that counts an address's fruitless searches: per address and
 * searched prefix (an IIN's birth date, a number's year, or "bad" for
 * malformed input). Someone guessing the numbers of one day or year is
 * stopped there, while the other people behind the same address (a
 * carrier's NAT) who search their own child's number are not. */
static void miss_key(struct req *r, char kind, const char *q, char *key, size_t n)
{
	const char *prefix = "bad";
	int len = 3;
	if (kind == 'i') {
		prefix = q;
		len = 6;
	} else if (kind == 'n') {
		prefix = q;
		len = 7; /* "UO.2026" */
	}
	snprintf(key, n, "search:miss:%s:%.*s", r->ip ? r->ip : "", len, prefix);
}

/* Renders the search refused for too many searches (429). */
static int search_limited(struct req *r, const char *which)
{
	view_set(r, "Search.limited", which);
	r->status = 429;
	req_header(r, "Retry-After", "60");
	return view_render(r, "search.cs") < 0 ? REQ_ERROR : REQ_OK;
}

static int page_search(struct req *r)
{
	const char *raw = req_param(r, "q");
	if (!raw || !*raw)
		return view_render(r, "search.cs") < 0 ? REQ_ERROR : REQ_OK;
	/* Every read of a search (the limits, the application, its position) is
	 * in the request's one read transaction (db.h): one snapshot, so a
	 * registration committed between two of the position's reads cannot
	 * skew it. Every search counts towards Queue.SearchPerMinute, so that
	 * one address cannot read the queue out number by number. */
	char key[80], miss[112];
	snprintf(key, sizeof key, "search:ip:%s", r->ip ? r->ip : "");
	long long max = conf_int("Queue.SearchPerMinute", 30), max_miss = conf_int("Queue.FruitlessPerMinute", 10);
	if (max > 0 && rate_over(key, 60, max))
		return search_limited(r, "all");
	if (max > 0)
		rate_note(key);
	char q[64];
	const char *err;
	char kind = search_kind(r, raw, q, sizeof q, &err);
	miss_key(r, kind, q, miss, sizeof miss);
	/* Past the fruitless limit even a real number is refused, so that the
	 * answer tells nothing. */
	if (max_miss > 0 && rate_over(miss, 60, max_miss))
		return search_limited(r, "miss");
	if (!kind) {
		/* Malformed input counts towards the limit, like a miss. */
		if (max_miss > 0)
			rate_note(miss);
		view_field_error(r, "q", err);
		r->status = 422;
		return view_render(r, "search.cs") < 0 ? REQ_ERROR : REQ_OK;
	}
	/* The application: by number, or the child's active one (else the
	 * newest) by IIN; both index look-ups, nothing sorted. */
	sqlite3_stmt *st = kind == 'n'
		? db_query("SELECT a.id, a.number, a.queued_at, a.group_year, a.district_id, a.language, a.benefit, "
			   "a.benefit_ground, a.status, c.surname, c.name, c.patronymic, c.iin, a.benefit_rank FROM application a "
			   "JOIN child c ON c.id = a.child_id WHERE a.number = ?", "t", q)
		: db_query("SELECT a.id, a.number, a.queued_at, a.group_year, a.district_id, a.language, a.benefit, "
			   "a.benefit_ground, a.status, c.surname, c.name, c.patronymic, c.iin, a.benefit_rank FROM child c "
			   "JOIN application a ON a.id = coalesce((SELECT x.id FROM application x WHERE x.child_id = c.id "
			   "AND x.status NOT IN ('archived','departed')), (SELECT max(y.id) FROM application y "
			   "WHERE y.child_id = c.id)) WHERE c.iin = ?", "t", q);
	if (!db_row(st)) {
		db_done(st);
		if (max_miss > 0)
			rate_note(miss);
		view_set(r, "Search.q", raw);
		view_set(r, "Search.none", kind == 'n' ? "number" : "iin");
		return view_render(r, "search.cs") < 0 ? REQ_ERROR : REQ_OK;
	}
	long long id = sqlite3_column_int64(st, 0);
	char dt[17], iin[13];
	u_fmt_datetime(sqlite3_column_int64(st, 2), dt);
	u_mask_iin(db_col(st, 12), iin);
	view_set(r, "Query.q", q);
	view_set(r, "Found.number", db_col(st, 1));
	view_set(r, "Found.queued_at", dt);
	view_set(r, "Found.group_year", db_col(st, 3));
	view_set(r, "Found.district", view_district_name(r, sqlite3_column_int(st, 4)));
	view_set(r, "Found.language", db_col(st, 5));
	/* The category only: a legal ground (a disability, an orphan) is the
	 * applicant's to see, on their own pages. */
	view_set(r, "Found.benefit", db_col(st, 6));
	view_set(r, "Found.status", db_col(st, 8));
	view_set(r, "Found.child", u_initials(r->a, db_col(st, 9), db_col(st, 10), db_col(st, 11)));
	view_set(r, "Found.iin", iin);
	/* The position from the row just read (queue_position would read it again). */
	int queued = strcmp(db_col(st, 8), "queued") == 0;
	int district = sqlite3_column_int(st, 4), year = sqlite3_column_int(st, 3), rank = sqlite3_column_int(st, 13);
	long long queued_at = sqlite3_column_int64(st, 2);
	db_done(st);
	struct queue_pos p;
	memset(&p, 0, sizeof p);
	if (queued && queue_position_of(district, year, rank, queued_at, id, &p) < 0)
		return 500;
	fill_pos(r, "Pos", &p);
	/* Why the number moved and the likely wait, masked as above, when asked
	 * (qhist_view.h). */
	if (hview_wanted(r) && hview_fill(r, id, "/queue/search", hdf_get_value(r->hdf, "Found.number", "")) < 0)
		return 500;
	return view_render(r, "search.cs") < 0 ? REQ_ERROR : REQ_OK;
}

/* The DDOs of a district for the form's script: [{"id":1,"label":"…"}]. */
static void json_str(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c < 0x20 || c == '<' || c == '>' || c == '&')
			buf_printf(b, "\\u%04x", c);
		else
			buf_addc(b, (char)c);
	}
	buf_addc(b, '"');
}

static int page_ddos(struct req *r)
{
	static const struct vfield f = {"district", V_INT, VF_REQUIRED, 1000, 9999, NULL};
	struct vval v;
	if (val_one(r, &f, req_param(r, "district"), &v) || !view_district_name(r, (int)v.i))
		return 404;
	sqlite3_stmt *st = ddo_list(r, (int)v.i);
	struct buf b;
	buf_init(&b);
	buf_addc(&b, '[');
	int first = 1;
	char k[48];
	while (db_row(st)) {
		const char *kind = db_col(st, 2);
		int ki = 0;
		while (ddo_kinds[ki] && strcmp(kind, ddo_kinds[ki]) != 0)
			ki++;
		snprintf(k, sizeof k, "Queue.kind.%s", ddo_kinds[ki] ? ddo_kinds[ki] : "state");
		buf_printf(&b, "%s{\"id\":%lld,\"label\":", first ? "" : ",", sqlite3_column_int64(st, 0));
		json_str(&b, arena_printf(r->a, "%s (%s)", db_col(st, 1), view_t(r, k)));
		buf_addc(&b, '}');
		first = 0;
	}
	db_done(st);
	buf_addc(&b, ']');
	int rc = req_send(r, "application/json; charset=utf-8", b.s, b.len, NULL);
	buf_free(&b);
	return rc;
}

/* (A worker reads a few index pages per request: the library's small
 * SQLite cache keeps the hot ones, the operating system keeps the file.) */
static int init(void) { return doc_init(); }

static const struct route routes[] = {
	{M_GET, "/queue", ROLE_CITIZEN, page_form, 0},
	{M_POST, "/queue", ROLE_CITIZEN, page_save, RF_UPLOAD},
	{M_GET, "/queue/app/%d", ROLE_CITIZEN, page_app, 0},
	{M_GET, "/queue/my", ROLE_CITIZEN, page_my, 0},
	{M_GET, "/queue/withdraw/%d", ROLE_CITIZEN, page_withdraw_confirm, 0},
	{M_POST, "/queue/withdraw/%d", ROLE_CITIZEN, page_withdraw, 0},
	{M_GET, "/queue/offer/%d/decline", ROLE_CITIZEN, page_decline_confirm, 0},
	{M_POST, "/queue/offer/%d/decline", ROLE_CITIZEN, page_decline, 0},
	{M_POST, "/queue/voucher/%d/confirm", ROLE_CITIZEN, page_voucher_confirm, 0},
	{M_GET, "/queue/voucher/%d/refuse", ROLE_CITIZEN, page_voucher_refuse_confirm, 0},
	{M_POST, "/queue/voucher/%d/refuse", ROLE_CITIZEN, page_voucher_refuse, 0},
	{M_POST, "/queue/app/%d/restore", ROLE_CITIZEN, page_restore, 0},
	{M_GET, "/queue/search", ROLE_ANY, page_search, 0},
	{M_GET, "/queue/ddos", ROLE_ANY, page_ddos, RF_CACHE},
};

int main(int argc, char **argv)
{
	static const struct app app = {"queue", routes, NROUTES(routes), init};
	return req_main(argc, argv, &app);
}
