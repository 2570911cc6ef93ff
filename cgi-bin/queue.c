/*
 * queue — putting a child in the queue (Постановка в очередь, /queue),
 * the citizen's own applications with withdrawal (/queue/my), and the
 * public queue-number search (/queue/search). The rules live in
 * lib/queue.h; this file reads the forms, calls them and fills the views.
 *
 *   GET  /queue                 the registration form (citizen)
 *   POST /queue                 register (multipart: the benefit document)
 *   GET  /queue/app/ID          one's own application: the confirmation page
 *   GET  /queue/my              one's own applications
 *   GET  /queue/withdraw/ID     the confirmation step of a withdrawal
 *   POST /queue/withdraw/ID     withdraw
 *   GET  /queue/search?q=       public search by number or child's IIN
 *   GET  /queue/ddos?district=  the DDOs of a district (JSON, for the form)
 *
 * Settings: Queue.MaxAgeYears (preschool age), Queue.SearchPerMinute
 * (searches that find nothing, per client address and minute, before the
 * address is refused for the rest of the minute).
 */
#include <stdio.h>
#include <string.h>

#include "base/cal.h"
#include "base/conf.h"
#include "base/db.h"
#include "domain/doc.h"
#include "domain/queue.h"
#include "domain/referral.h"
#include "web/rate.h"
#include "web/req.h"
#include "base/util.h"
#include "web/val.h"
#include "web/view.h"

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
	F_DDO1, F_DDO2, F_DDO3, F_BENEFIT, F_ACTION, F__MAX
};
static const char *const actions[] = {"save", "check", NULL};
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

static int page_save(struct req *r)
{
	struct vval v[F__MAX];
	val_form(r, fields, F__MAX, v);

	/* "Check the IIN": shows the birth date and sex (and refreshes the DDO
	 * lists for the district), writes nothing. */
	if (v[F_ACTION].present && v[F_ACTION].i == 1) {
		NEOERR *e = hdf_remove_tree(r->hdf, "Errors");
		nerr_ignore(&e);
		if (v[F_IIN].err)
			view_field_error(r, "child_iin", v[F_IIN].err);
		else
			child_ok(r, &v[F_IIN]);
		return form_page(r);
	}

	child_ok(r, &v[F_IIN]);
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
	/* Every check above marks its field; any mark means nothing is written. */
	if (hdf_get_value(r->hdf, "Errors.any", NULL)) {
		r->status = 422;
		return form_page(r);
	}

	char sha[65];
	if (g && doc_store(f->data, f->len, sha) < 0)
		return 500;
	char birth[11];
	cal_format_iso(v[F_IIN].iin.birth, birth);
	struct queue_reg in = {
		.applicant_id = r->s->account_id,
		.child_iin = v[F_IIN].s,
		.child_surname = csur,
		.child_name = cname,
		.child_patronymic = cpatr,
		.birth_date = birth,
		.sex = v[F_IIN].iin.sex,
		.district = district,
		.group_year = v[F_IIN].iin.year,
		.language = queue_languages[v[F_LANG].i],
		.ground = g ? g->code : NULL,
		.ddo = {ddo[0], ddo[1], ddo[2]},
		.phone = v[F_PHONE].s,
		.email = v[F_EMAIL].s,
		.doc_sha = g ? sha : NULL,
		.doc_mime = mime,
		.doc_name = f ? doc_clean_filename(r->a, f->filename, "benefit", mime) : NULL,
		.doc_size = f ? f->len : 0,
		.applicant_surname = asur,
		.applicant_name = aname,
		.applicant_patronymic = apatr,
	};
	long long id;
	char number[32];
	int rc = queue_register(req_actor(r, ROLE_CITIZEN), &in, &id, number);
	if (rc == QUEUE_DUPLICATE) {
		view_field_error_text(r, "child_iin", view_tf(r, "Queue.err_duplicate", "number", number));
		view_set(r, "Form.duplicate", number);
		NEOERR *e = hdf_remove_tree(r->hdf, "Child");
		nerr_ignore(&e);
		r->status = 422;
		return form_page(r);
	}
	if (rc != QUEUE_OK)
		return 500;
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

static int page_app(struct req *r)
{
	sqlite3_stmt *st = own_app(r, r->iarg[0]);
	if (!db_row(st)) {
		db_done(st);
		return 404;
	}
	int failed = fill_app(r, "App", st) < 0;
	db_done(st);
	struct queue_pos p;
	if (failed || queue_position(r->iarg[0], &p) < 0)
		return 500;
	fill_pos(r, "Pos", &p);
	if (db_int("SELECT count(*) FROM document WHERE application_id = ? AND kind = 'benefit'", 0, "I", r->iarg[0]))
		view_set(r, "App.has_doc", "1");
	return view_render(r, "queue_app.cs") < 0 ? REQ_ERROR : REQ_OK;
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
		int queued;
	} ids[200];
	int failed = 0;
	while (!failed && i < 200 && db_row(st)) {
		snprintf(k, sizeof k, "Apps.%d", i);
		failed = fill_app(r, k, st) < 0;
		ids[i].id = sqlite3_column_int64(st, 0);
		ids[i].queued = strcmp(db_col(st, 8), "queued") == 0;
		i++;
	}
	db_done(st);
	if (failed)
		return 500;
	for (int j = 0; j < i; j++) {
		if (!ids[j].queued)
			continue;
		struct queue_pos p;
		if (queue_position(ids[j].id, &p) < 0)
			return 500;
		snprintf(k, sizeof k, "Apps.%d.pos", j);
		fill_pos(r, k, &p);
	}
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

/* ---- public search ---- */

/* The search box: an application number (any case, spaces ignored) or a
 * child's IIN. Returns the normalised text in out, and 'n' or 'i'; 0 with
 * an error key in *err when malformed. */
static char search_kind(const char *raw, char *out, size_t n, const char **err)
{
	size_t j = 0;
	for (const char *p = raw; *p && j + 1 < n; p++) {
		if (*p == ' ' || *p == '\t')
			continue;
		out[j++] = (*p >= 'a' && *p <= 'z') ? (char)(*p - 32) : *p;
	}
	out[j] = '\0';
	*err = NULL;
	if (j == 0) {
		*err = "Search.err_format";
		return 0;
	}
	if (strspn(out, "0123456789") == j) {
		*err = iin_check(out, conf_int("App.IinChecksum", 1) != 0, NULL);
		return *err ? 0 : 'i';
	}
	if (strncmp(out, "UO", 2) == 0) {
		if (queue_number_valid(out))
			return 'n';
		*err = "Search.err_number";
		return 0;
	}
	*err = "Search.err_format";
	return 0;
}

static int page_search(struct req *r)
{
	const char *raw = req_param(r, "q");
	if (!raw || !*raw)
		return view_render(r, "search.cs") < 0 ? REQ_ERROR : REQ_OK;
	char key[80];
	snprintf(key, sizeof key, "search:ip:%s", r->ip);
	long long max = conf_int("Queue.SearchPerMinute", 30);
	/* Every read of a search (the limit, the application, its position) is
	 * in the request's one read transaction (db.h): one snapshot, so a
	 * registration committed between two of the position's reads cannot
	 * skew it. */
	if (max > 0 && rate_over(key, 60, max)) {
		view_set(r, "Search.limited", "1");
		r->status = 429;
		return view_render(r, "search.cs") < 0 ? REQ_ERROR : REQ_OK;
	}
	char q[64];
	const char *err;
	char kind = strlen(raw) > 40 ? 0 : search_kind(raw, q, sizeof q, &err);
	if (strlen(raw) > 40)
		err = "Search.err_format";
	if (!kind) {
		/* Malformed input counts towards the limit, like a miss. */
		if (max > 0)
			rate_add(key);
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
		if (max > 0)
			rate_add(key);
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
	view_set(r, "Found.benefit", db_col(st, 6));
	view_set(r, "Found.ground", db_col(st, 7));
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
	{M_GET, "/queue/search", ROLE_ANY, page_search, 0},
	{M_GET, "/queue/ddos", ROLE_ANY, page_ddos, RF_CACHE},
};

int main(int argc, char **argv)
{
	static const struct app app = {"queue", routes, NROUTES(routes), init};
	return req_main(argc, argv, &app);
}
