/*
 * admin — the support role's screen (служба поддержки), support only:
 *
 *   GET  /admin                               overview with counts and links
 *   GET  /admin/ddo                           DDOs (filter by district, name)
 *   GET  /admin/ddo/new, POST /admin/ddo/new  a DDO with the data of seed 000,
 *                                             section 1.4, plus district, BIN, capacity
 *   GET  /admin/ddo/%d,  POST /admin/ddo/%d   edit (also deactivate)
 *   GET  /admin/accounts                      staff, reviewers and support (filter
 *                                             by role, IIN or name; an IIN finds any account)
 *   GET  /admin/accounts/new, POST ...        create a staff member (IIN, names, phone)
 *                                             attached to a DDO, or a reviewer of a district;
 *                                             the one-time password is shown once
 *   GET  /admin/accounts/%d, POST ...         the account: names and contacts
 *   POST /admin/accounts/%d/ddo               attach to one more DDO
 *   POST /admin/accounts/%d/ddo/%d/detach     detach from a DDO
 *   POST /admin/accounts/%d/district          reviewer of one more district
 *   POST /admin/accounts/%d/district/%d/remove
 *   POST /admin/accounts/%d/password          reset: a new one-time password, shown once;
 *                                             the account must change it at its next login
 *   POST /admin/accounts/%d/active            activate / deactivate (ends its sessions)
 *   GET  /admin/bmg, POST /admin/bmg          БМГ: the registry's size, CSV import
 *   GET  /admin/bmg/%d                        the report of one import
 *   GET  /admin/gbd, POST /admin/gbd          ГБД ФЛ (children's legal representatives):
 *   GET  /admin/gbd/%d                        the register's size, CSV import, a report
 *   GET  /admin/audit                         the audit log (filter by action, actor),
 *                                             with the verification of its hash chain
 *   GET  /admin/districts                     districts with their financing (voucher.h)
 *   POST /admin/districts/%d                  set it: financing=state|voucher
 *   GET  /admin/holidays, POST ...            the holiday calendar of a year; add a
 *   POST /admin/holidays/delete               holiday, day off or working day; delete one
 *   GET/POST /admin/refresh, GET /admin/places, POST /admin/places/%d/withdraw
 *                                             the yearly refresh and the withdrawal of
 *                                             places in the transfer period (admin_year.h)
 *
 * Every change is one transaction together with its audit row. Accounts,
 * their roles and memberships change through domain/account.h (acct_), in
 * the transaction this screen opens; the screen validates the forms, writes
 * the audit rows and fills the view. DDOs (domain/ddo.h, ddo_) and the
 * holiday calendar (domain/holiday.h, hol_) change in transactions of
 * their own that write their audit rows; the screen validates, reads
 * them and fills the view. The one-time password travels to the
 * next page in the flash cookie (HttpOnly, two minutes, deleted when shown)
 * and is never stored in clear.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/account.h"
#include "domain/audit.h"
#include "domain/bmg.h"
#include "domain/gbd.h"
#include "domain/ddo.h"
#include "domain/holiday.h"
#include "domain/voucher.h"
#include "base/cal.h"
#include "base/conf.h"
#include "base/db.h"
#include "domain/doc.h"
#include "base/log.h"
#include "web/lst.h"
#include "web/req.h"
#include "web/sess.h"
#include "web/val.h"
#include "web/view.h"

#include "admin_year.h"

/* account.roles holds one ACCT_BIT per role: the bits routes ask for. */
_Static_assert(ROLE_CITIZEN == ACCT_BIT(ACCT_CITIZEN) && ROLE_STAFF == ACCT_BIT(ACCT_STAFF) &&
		       ROLE_REVIEWER == ACCT_BIT(ACCT_REVIEWER) && ROLE_SUPPORT == ACCT_BIT(ACCT_SUPPORT),
	       "account.h's role bits are req.h's");

#define ddo_kinds ddo_kind_names
#define holiday_kinds cal_kind_names

/* ---- helpers ---- */

static int nav(struct req *r, const char *section, const char *tpl)
{
	view_set(r, "Admin.section", section);
	return view_render(r, tpl) < 0 ? REQ_ERROR : REQ_OK;
}

static void kind_label(struct req *r, const char *key, const char *kind)
{
	view_set(r, key, view_t(r, arena_printf(r->a, "Admin.kind_%s", kind)));
}

static int district_ok(struct req *r, long long id) { return id > 0 && id < 100000 && view_district_name(r, (int)id); }

static int fail_tx(void)
{
	db_rollback();
	return REQ_ERROR;
}

/* The end of every change: commits, leaves the flash message (arg may be
 * NULL) for the next page and redirects there. REQ_ERROR when the commit
 * fails (nothing changed). */
static int committed(struct req *r, const char *flash, const char *arg, const char *to)
{
	if (db_commit() < 0)
		return REQ_ERROR;
	view_flash(r, flash, arg);
	return req_redirect(r, to);
}

/* An account's card: where every change of the account returns. */
static const char *account_page(struct req *r, long long id)
{
	return arena_printf(r->a, "/admin/accounts/%lld", id);
}

/* ---- overview ---- */

static int overview(struct req *r)
{
	view_set_int(r, "Admin.count.ddo", ddo_count_active());
	struct acct_query staff = {ACCT_STAFF, ""}, reviewers = {ACCT_REVIEWER, ""};
	view_set_int(r, "Admin.count.staff", acct_count(&staff));
	view_set_int(r, "Admin.count.reviewers", acct_count(&reviewers));
	view_set_int(r, "Admin.count.bmg", db_int("SELECT count(*) FROM bmg", 0, NULL));
	int y, m, d;
	cal_ymd_from_days(cal_day_from_unix(u_now()), &y, &m, &d);
	view_set_int(r, "Admin.year", y);
	view_set_int(r, "Admin.count.holidays", hol_count_year(y));
	return nav(r, "home", "admin.cs");
}

/* ---- DDOs ---- */

/* Rows of a list going into the view under prefix.<i>. */
struct rows {
	struct req *r;
	const char *prefix;
	int i;
};

/* The key prefix.<i>.field of the current row. */
static const char *row_key(struct rows *x, const char *field)
{
	return arena_printf(x->r->a, "%s.%d.%s", x->prefix, x->i, field);
}

static void ddo_row_view(void *arg, const struct ddo_row *d)
{
	struct rows *x = arg;
	struct req *r = x->r;
	view_set_int(r, row_key(x, "id"), d->id);
	view_set(r, row_key(x, "name"), strcmp(r->lang, "kk") == 0 ? d->name_kk : d->name_ru);
	const char *dn = view_district_name(r, (int)d->district);
	view_set(r, row_key(x, "district"), dn ? dn : "");
	kind_label(r, row_key(x, "kind"), d->kind);
	view_set(r, row_key(x, "bin"), d->bin);
	view_set(r, row_key(x, "phone"), d->phone);
	view_set(r, row_key(x, "active"), d->active ? "1" : "0");
	view_set_int(r, row_key(x, "staff"), d->staff);
	x->i++;
}

static const char *const ddo_cols[] = {"name", "district", "kind", NULL};

enum { L_DISTRICT, L_Q, L__MAX };
static const struct vfield ddo_filter[L__MAX] = {
	[L_DISTRICT] = {"district", V_INT, 0, 1000, 9999, NULL},
	[L_Q] = {"q", V_TEXT, 0, 0, 100, NULL},
};

static int ddo_list_page(struct req *r)
{
	struct vval f[L__MAX];
	if (val_form(r, ddo_filter, L__MAX, f) > 0) {
		r->status = 422;
		f[L_DISTRICT].i = 0;
		f[L_Q].s = "";
	}
	long long district = f[L_DISTRICT].present && !f[L_DISTRICT].err ? f[L_DISTRICT].i : 0;
	const char *q = f[L_Q].err ? "" : f[L_Q].s;
	struct ddo_query dq = {district, q};
	struct lst l;
	lst_read(r, &l, ddo_cols, 0, 0, 50);
	lst_total(&l, ddo_count(&dq));
	struct rows x = {r, "Admin.ddos", 0};
	if (ddo_list(&dq, (enum ddo_sort)l.sort, l.desc, l.per_page, l.offset, ddo_row_view, &x) < 0)
		return REQ_ERROR;
	lst_view(r, &l, ddo_cols);
	return nav(r, "ddo", "admin_ddo_list.cs");
}

enum { D_NAME_KK, D_NAME_RU, D_ADDRESS, D_PHONE, D_WEBSITE, D_KIND, D_OWNER_IIN, D_OWNER_PHONE, D_OWNER_EMAIL,
       D_DISTRICT, D_BIN, D_CAPACITY, D_ACTIVE, D__MAX };
static const struct vfield ddo_fields[D__MAX] = {
	[D_NAME_KK] = {"name_kk", V_TEXT, VF_REQUIRED, 2, 300, NULL},
	[D_NAME_RU] = {"name_ru", V_TEXT, VF_REQUIRED, 2, 300, NULL},
	[D_ADDRESS] = {"address", V_TEXT, VF_REQUIRED, 5, 300, NULL},
	[D_PHONE] = {"phone", V_PHONE, VF_REQUIRED, 0, 0, NULL},
	[D_WEBSITE] = {"website", V_TEXT, 0, 0, 200, NULL},
	[D_KIND] = {"kind", V_ENUM, VF_REQUIRED, 0, 0, ddo_kinds},
	[D_OWNER_IIN] = {"owner_iin", V_IIN, VF_REQUIRED, 0, 0, NULL},
	[D_OWNER_PHONE] = {"owner_phone", V_PHONE, VF_REQUIRED, 0, 0, NULL},
	[D_OWNER_EMAIL] = {"owner_email", V_EMAIL, VF_REQUIRED, 0, 0, NULL},
	[D_DISTRICT] = {"district", V_INT, VF_REQUIRED, 1000, 9999, NULL},
	[D_BIN] = {"bin", V_BIN, 0, 0, 0, NULL},
	[D_CAPACITY] = {"capacity", V_INT, 0, 0, 100000, NULL},
	[D_ACTIVE] = {"active", V_BOOL, 0, 0, 0, NULL},
};

/* A web address: "site.kz", "www.site.kz/ddo", "https://site.kz". */
static int website_ok(const char *s)
{
	const char *h = s;
	if (strncmp(h, "https://", 8) == 0)
		h += 8;
	else if (strncmp(h, "http://", 7) == 0)
		h += 7;
	size_t n = strcspn(h, "/?#");
	if (n < 4 || !memchr(h, '.', n) || h[0] == '.' || h[n - 1] == '.')
		return 0;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || strchr("\"'<>\\`", *p))
			return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)h[i];
		if (!(c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '-' || c == ':'))
			return 0;
	}
	return 1;
}

static void staff_row(void *arg, const struct acct *a)
{
	struct rows *x = arg;
	view_set_int(x->r, row_key(x, "id"), a->id);
	view_set(x->r, row_key(x, "iin"), a->iin);
	view_setf(x->r, row_key(x, "name"), "%s %s %s", a->surname, a->name, a->patronymic);
	view_set(x->r, row_key(x, "active"), a->active ? "1" : "0");
	x->i++;
}

static void ddo_form_view(struct req *r, long long id)
{
	if (id) {
		view_set_int(r, "Admin.ddo.id", id);
		struct rows x = {r, "Admin.staff", 0};
		acct_each_staff(id, staff_row, &x);
	}
	for (int i = 0; ddo_kinds[i]; i++) {
		char k[48];
		snprintf(k, sizeof k, "Admin.kinds.%d.value", i);
		view_set(r, k, ddo_kinds[i]);
		snprintf(k, sizeof k, "Admin.kinds.%d.label", i);
		kind_label(r, k, ddo_kinds[i]);
	}
}

static int ddo_new_page(struct req *r)
{
	ddo_form_view(r, 0);
	if (!req_param(r, "district") && r->district)
		view_set_int(r, "Query.district", r->district);
	return nav(r, "ddo", "admin_ddo_form.cs");
}

static int ddo_show_page(struct req *r)
{
	long long id = r->iarg[0];
	struct ddo d;
	int found = ddo_get(id, &d);
	if (found < 0)
		return REQ_ERROR;
	if (!found)
		return 404;
	view_set(r, "Query.name_kk", d.name_kk);
	view_set(r, "Query.name_ru", d.name_ru);
	view_set(r, "Query.address", d.address);
	view_set(r, "Query.phone", d.phone);
	view_set(r, "Query.website", d.website);
	view_set(r, "Query.kind", d.kind);
	view_set(r, "Query.owner_iin", d.owner_iin);
	view_set(r, "Query.owner_phone", d.owner_phone);
	view_set(r, "Query.owner_email", d.owner_email);
	view_set_int(r, "Query.district", d.district);
	view_set(r, "Query.bin", d.bin);
	view_set_int(r, "Query.capacity", d.capacity);
	if (d.active)
		view_set(r, "Query.active", "1");
	ddo_form_view(r, id);
	return nav(r, "ddo", "admin_ddo_form.cs");
}

static int ddo_save_form(struct req *r, long long id)
{
	struct vval v[D__MAX];
	int bad = val_form(r, ddo_fields, D__MAX, v);
	if (!v[D_DISTRICT].err && !district_ok(r, v[D_DISTRICT].i)) {
		view_field_error(r, "district", "Err.choice");
		bad++;
	}
	if (v[D_WEBSITE].present && !v[D_WEBSITE].err && !website_ok(v[D_WEBSITE].s)) {
		view_field_error(r, "website", "Admin.err_website");
		bad++;
	}
	if (bad) {
		r->status = 422;
		ddo_form_view(r, id);
		return nav(r, "ddo", "admin_ddo_form.cs");
	}
	struct ddo_data d = {
		.name_kk = v[D_NAME_KK].s, .name_ru = v[D_NAME_RU].s, .address = v[D_ADDRESS].s, .phone = v[D_PHONE].s,
		.website = v[D_WEBSITE].s, .kind = (enum ddo_kind)v[D_KIND].i, .owner_iin = v[D_OWNER_IIN].s,
		.owner_phone = v[D_OWNER_PHONE].s, .owner_email = v[D_OWNER_EMAIL].s, .district = v[D_DISTRICT].i,
		.bin = v[D_BIN].present ? v[D_BIN].s : NULL, .capacity = v[D_CAPACITY].i, .active = (int)v[D_ACTIVE].i,
	};
	enum ddo_err e = id ? ddo_update(req_actor(r, ROLE_SUPPORT), id, &d, u_now())
			    : ddo_create(req_actor(r, ROLE_SUPPORT), &d, u_now(), &id);
	if (e == DDO_ERR_NOT_FOUND)
		return 404;
	if (e != DDO_OK)
		return REQ_ERROR;
	view_flash(r, r->iarg[0] ? "ddo_saved" : "ddo_created", NULL);
	return req_redirect(r, arena_printf(r->a, "/admin/ddo/%lld", id));
}

static int ddo_create_form(struct req *r)
{
	r->iarg[0] = 0;
	return ddo_save_form(r, 0);
}

static int ddo_update_form(struct req *r)
{
	int found = ddo_exists(r->iarg[0]);
	if (found < 0)
		return REQ_ERROR;
	if (!found)
		return 404;
	return ddo_save_form(r, r->iarg[0]);
}

/* ---- accounts ---- */

static const char *const role_filters[] = {"all", "staff", "reviewer", "support", NULL};
static const char *const acct_cols[] = {"name", NULL};

enum { A_ROLE, A_Q, A__MAX };
static const struct vfield acct_filter[A__MAX] = {
	[A_ROLE] = {"role", V_ENUM, 0, 0, 0, role_filters},
	[A_Q] = {"q", V_TEXT, 0, 0, 100, NULL},
};

static void roles_view(struct req *r, const char *prefix, unsigned roles)
{
	struct buf b = {0};
	for (int i = 0; i < ACCT_ROLE__MAX; i++) {
		if (!(roles & ACCT_BIT(i)))
			continue;
		view_set(r, arena_printf(r->a, "%s.is.%s", prefix, acct_role_names[i]), "1");
		if (b.len)
			buf_adds(&b, ", ");
		buf_adds(&b, view_t(r, arena_printf(r->a, "Admin.role_%s", acct_role_names[i])));
	}
	view_set(r, arena_printf(r->a, "%s.roles", prefix), b.s ? b.s : "");
	buf_free(&b);
}

static void account_row(void *arg, const struct acct_row *row)
{
	struct rows *x = arg;
	struct req *r = x->r;
	const struct acct *a = &row->a;
	view_set_int(r, row_key(x, "id"), a->id);
	view_set(r, row_key(x, "iin"), a->iin);
	view_setf(r, row_key(x, "name"), "%s %s %s", a->surname, a->name, a->patronymic);
	roles_view(r, arena_printf(r->a, "%s.%d", x->prefix, x->i), a->roles);
	view_set(r, row_key(x, "phone"), a->phone);
	view_set(r, row_key(x, "active"), a->active ? "1" : "0");
	view_set(r, row_key(x, "must_change"), a->pw_must_change ? "1" : "0");
	view_set(r, row_key(x, "ddos"), row->ddos);
	view_set(r, row_key(x, "districts"), row->districts);
	x->i++;
}

static int accounts(struct req *r)
{
	struct vval f[A__MAX];
	if (val_form(r, acct_filter, A__MAX, f) > 0)
		r->status = 422;
	struct acct_query q = {ACCT_ROLE__MAX, f[A_Q].err ? "" : f[A_Q].s};
	if (!f[A_ROLE].err && f[A_ROLE].present)
		q.role = acct_role_parse(role_filters[f[A_ROLE].i]);   /* "all": none */
	struct lst l;
	lst_read(r, &l, acct_cols, 0, 0, 50);
	lst_total(&l, acct_count(&q));
	struct rows x = {r, "Admin.accounts", 0};
	if (acct_list(&q, r->lang, l.desc, l.per_page, l.offset, account_row, &x) < 0)
		return REQ_ERROR;
	lst_view(r, &l, acct_cols);
	return nav(r, "accounts", "admin_accounts.cs");
}

/* The DDOs a staff member can be attached to, by district (a <select>). */
struct choices {
	struct req *r;
	int g, i;
	long long last;
};

static void choice_row(void *arg, const struct ddo_row *d)
{
	struct choices *c = arg;
	struct req *r = c->r;
	if (d->district != c->last) {
		c->g++;
		c->i = 0;
		c->last = d->district;
		const char *dn = view_district_name(r, (int)d->district);
		view_set(r, arena_printf(r->a, "Admin.ddo_groups.%d.name", c->g), dn ? dn : "");
	}
	view_set_int(r, arena_printf(r->a, "Admin.ddo_groups.%d.ddos.%d.id", c->g, c->i), d->id);
	view_set(r, arena_printf(r->a, "Admin.ddo_groups.%d.ddos.%d.name", c->g, c->i),
		 strcmp(r->lang, "kk") == 0 ? d->name_kk : d->name_ru);
	c->i++;
}

static void ddo_choices(struct req *r)
{
	struct choices c = {r, -1, 0, 0};
	ddo_each_active(choice_row, &c);
}

static int account_new(struct req *r)
{
	/* Prefilled from a DDO's card: ?ddo=ID (its owner's IIN and phone). */
	long long ddo;
	const char *p = req_param(r, "ddo");
	if (p && u_strtoll(p, 1, 1LL << 40, &ddo) == 0) {
		struct ddo d;
		if (ddo_get(ddo, &d) > 0) {
			if (!req_param(r, "iin"))
				view_set(r, "Query.iin", d.owner_iin);
			if (!req_param(r, "phone"))
				view_set(r, "Query.phone", d.owner_phone);
			if (!req_param(r, "email"))
				view_set(r, "Query.email", d.owner_email);
			view_set(r, "Query.role", "staff");
		}
	}
	ddo_choices(r);
	return nav(r, "accounts", "admin_account_new.cs");
}

enum { N_IIN, N_SURNAME, N_NAME, N_PATRONYMIC, N_PHONE, N_EMAIL, N_ROLE, N_DDO, N_DISTRICT, N__MAX };
static const char *const new_roles[] = {"staff", "reviewer", NULL};
static const struct vfield new_fields[N__MAX] = {
	[N_IIN] = {"iin", V_IIN, VF_REQUIRED, 0, 0, NULL},
	[N_SURNAME] = {"surname", V_TEXT, VF_REQUIRED, 1, 100, NULL},
	[N_NAME] = {"name", V_TEXT, VF_REQUIRED, 1, 100, NULL},
	[N_PATRONYMIC] = {"patronymic", V_TEXT, 0, 0, 100, NULL},
	[N_PHONE] = {"phone", V_PHONE, VF_REQUIRED, 0, 0, NULL},
	[N_EMAIL] = {"email", V_EMAIL, 0, 0, 0, NULL},
	[N_ROLE] = {"role", V_ENUM, VF_REQUIRED, 0, 0, new_roles},
	[N_DDO] = {"ddo", V_INT, 0, 1, 1LL << 40, NULL},
	[N_DISTRICT] = {"district", V_INT, 0, 1000, 9999, NULL},
};

/* The message of a place acct_appoint refused, at its field. */
static void appoint_error(struct req *r, enum acct_err e)
{
	if (e == ACCT_ERR_DDO)
		view_field_error(r, "ddo", "Admin.err_ddo_required");
	else
		view_field_error(r, "district", "Admin.err_district_required");
}

static int account_create(struct req *r)
{
	struct vval v[N__MAX];
	int bad = val_form(r, new_fields, N__MAX, v);
	enum acct_role role = v[N_ROLE].err ? ACCT_ROLE__MAX : acct_role_parse(new_roles[v[N_ROLE].i]);
	if (role == ACCT_STAFF && (!v[N_DDO].present || v[N_DDO].err || acct_ddo_open(v[N_DDO].i) != 1)) {
		if (!v[N_DDO].err)
			appoint_error(r, ACCT_ERR_DDO);
		bad++;
	}
	if (role == ACCT_REVIEWER &&
	    (!v[N_DISTRICT].present || v[N_DISTRICT].err || !district_ok(r, v[N_DISTRICT].i))) {
		if (!v[N_DISTRICT].err)
			appoint_error(r, ACCT_ERR_DISTRICT);
		bad++;
	}
	struct acct_appointed made;
	long long where = role == ACCT_STAFF ? v[N_DDO].i : v[N_DISTRICT].i;
	if (!bad) {
		struct acct_person p = {v[N_IIN].s, v[N_SURNAME].s, v[N_NAME].s, v[N_PATRONYMIC].s, v[N_PHONE].s,
					v[N_EMAIL].s};
		if (db_begin() < 0)
			return REQ_ERROR;
		enum acct_err e = acct_appoint(&p, role, where, u_now(), &made);
		if (e == ACCT_ERR_DDO || e == ACCT_ERR_DISTRICT) {
			/* Deactivated since the form was checked. */
			db_rollback();
			appoint_error(r, e);
			bad++;
		} else if (e != ACCT_OK) {
			return fail_tx();
		}
	}
	if (bad) {
		r->status = 422;
		ddo_choices(r);
		return nav(r, "accounts", "admin_account_new.cs");
	}
	int pw = *made.password != '\0';
	char d[160];
	snprintf(d, sizeof d, "role=%s %s=%lld%s", acct_role_names[role], role == ACCT_STAFF ? "ddo" : "district", where,
		 pw ? "; one-time password issued" : "");
	int rc = audit_act(req_actor(r, ROLE_SUPPORT), made.created ? "account_created" : "account_role_added", "account", made.id,
			   "ok", d) < 0
			 ? fail_tx()
			 : committed(r, pw ? "password_issued" : "role_added", pw ? made.password : NULL,
				     account_page(r, made.id));
	memset(made.password, 0, sizeof made.password);
	return rc;
}

static void account_ddo(void *arg, const struct acct_ddo *d)
{
	struct rows *x = arg;
	const char *dn = view_district_name(x->r, d->district);
	view_set_int(x->r, row_key(x, "id"), d->id);
	view_set(x->r, row_key(x, "name"), d->name);
	view_set(x->r, row_key(x, "district"), dn ? dn : "");
	x->i++;
}

static void account_district(void *arg, int district)
{
	struct rows *x = arg;
	const char *dn = view_district_name(x->r, district);
	view_set_int(x->r, row_key(x, "id"), district);
	view_set(x->r, row_key(x, "name"), dn ? dn : "");
	x->i++;
}

static int account_show(struct req *r)
{
	long long id = r->iarg[0];
	struct acct a;
	int found = acct_get(id, &a);
	if (found <= 0)
		return found < 0 ? REQ_ERROR : 404;
	view_set_int(r, "Admin.account.id", id);
	view_set(r, "Admin.account.iin", a.iin);
	view_setf(r, "Admin.account.name", "%s %s %s", a.surname, a.name, a.patronymic);
	if (!req_param(r, "surname")) {
		view_set(r, "Query.surname", a.surname);
		view_set(r, "Query.name", a.name);
		view_set(r, "Query.patronymic", a.patronymic);
		view_set(r, "Query.phone", a.phone);
		view_set(r, "Query.email", a.email);
	}
	roles_view(r, "Admin.account", a.roles);
	view_set(r, "Admin.account.active", a.active ? "1" : "0");
	view_set(r, "Admin.account.must_change", a.pw_must_change ? "1" : "0");
	view_set(r, "Admin.account.has_pw", *a.pw_hash ? "1" : "0");
	char when[17];
	u_fmt_datetime(a.created_at, when);
	view_set(r, "Admin.account.created", when);
	if (id == req_account(r))
		view_set(r, "Admin.account.self", "1");
	struct rows ddos = {r, "Admin.account.ddos", 0}, districts = {r, "Admin.account.districts", 0};
	if (acct_each_ddo(id, r->lang, account_ddo, &ddos) < 0 ||
	    acct_each_district(id, account_district, &districts) < 0)
		return REQ_ERROR;
	ddo_choices(r);
	return nav(r, "accounts", "admin_account.cs");
}

/* An account change the domain refused: rolled back; 404 for what does not
 * exist, the account's card again (422) with the reason for what the form
 * asked wrongly, an error for the rest. */
static int refused(struct req *r, enum acct_err e)
{
	db_rollback();
	switch (e) {
	case ACCT_ERR_NO_ACCOUNT:
	case ACCT_ERR_NOT_MEMBER:
		return 404;
	case ACCT_ERR_DDO:
		view_field_error(r, "ddo", "Err.choice");
		break;
	case ACCT_ERR_DISTRICT:
		view_field_error(r, "district", "Err.choice");
		break;
	case ACCT_ERR_SELF:
		view_set(r, "Msg.error", view_t(r, "Admin.err_self"));
		break;
	default:
		return REQ_ERROR;
	}
	r->status = 422;
	return account_show(r);
}

/* The end of an account change: refused, or its audit row (details may be
 * NULL), the commit, the flash and back to the account's card. */
static int account_done(struct req *r, enum acct_err e, const char *action, const char *details, const char *flash)
{
	long long id = r->iarg[0];
	if (e != ACCT_OK)
		return refused(r, e);
	if (audit_act(req_actor(r, ROLE_SUPPORT), action, "account", id, "ok", details) < 0)
		return fail_tx();
	return committed(r, flash, NULL, account_page(r, id));
}

enum { U_SURNAME, U_NAME, U_PATRONYMIC, U_PHONE, U_EMAIL, U__MAX };
static const struct vfield upd_fields[U__MAX] = {
	[U_SURNAME] = {"surname", V_TEXT, VF_REQUIRED, 1, 100, NULL},
	[U_NAME] = {"name", V_TEXT, VF_REQUIRED, 1, 100, NULL},
	[U_PATRONYMIC] = {"patronymic", V_TEXT, 0, 0, 100, NULL},
	[U_PHONE] = {"phone", V_PHONE, 0, 0, 0, NULL},
	[U_EMAIL] = {"email", V_EMAIL, 0, 0, 0, NULL},
};

static int account_update(struct req *r)
{
	struct vval v[U__MAX];
	if (val_form(r, upd_fields, U__MAX, v) > 0) {
		r->status = 422;
		return account_show(r);
	}
	struct acct_person p = {NULL, v[U_SURNAME].s, v[U_NAME].s, v[U_PATRONYMIC].s, v[U_PHONE].s, v[U_EMAIL].s};
	if (db_begin() < 0)
		return REQ_ERROR;
	return account_done(r, acct_update(r->iarg[0], &p, u_now()), "account_updated", NULL, "saved");
}

enum { AT_DDO, AT__MAX };
static const struct vfield attach_fields[AT__MAX] = {
	[AT_DDO] = {"ddo", V_INT, VF_REQUIRED, 1, 1LL << 40, NULL},
};

static int account_attach(struct req *r)
{
	struct vval v[AT__MAX];
	if (val_form(r, attach_fields, AT__MAX, v) > 0) {
		r->status = 422;
		return account_show(r);
	}
	if (db_begin() < 0)
		return REQ_ERROR;
	return account_done(r, acct_ddo_attach(r->iarg[0], v[AT_DDO].i, u_now()), "staff_attached",
			    arena_printf(r->a, "ddo=%lld", v[AT_DDO].i), "attached");
}

static int account_detach(struct req *r)
{
	long long ddo = r->iarg[1];
	if (db_begin() < 0)
		return REQ_ERROR;
	return account_done(r, acct_ddo_detach(r->iarg[0], ddo), "staff_detached", arena_printf(r->a, "ddo=%lld", ddo),
			    "detached");
}

enum { R_DISTRICT, R__MAX };
static const struct vfield district_fields[R__MAX] = {
	[R_DISTRICT] = {"district", V_INT, VF_REQUIRED, 1000, 9999, NULL},
};

static int account_add_district(struct req *r)
{
	struct vval v[R__MAX];
	if (val_form(r, district_fields, R__MAX, v) > 0) {
		r->status = 422;
		return account_show(r);
	}
	if (db_begin() < 0)
		return REQ_ERROR;
	return account_done(r, acct_district_add(r->iarg[0], (int)v[R_DISTRICT].i, u_now()), "reviewer_district_added",
			    arena_printf(r->a, "district=%lld", v[R_DISTRICT].i), "district_added");
}

static int account_remove_district(struct req *r)
{
	long long district = r->iarg[1];
	if (db_begin() < 0)
		return REQ_ERROR;
	return account_done(r, acct_district_remove(r->iarg[0], (int)district), "reviewer_district_removed",
			    arena_printf(r->a, "district=%lld", district), "district_removed");
}

static int account_password(struct req *r)
{
	long long id = r->iarg[0];
	char pw[ACCT_ONE_TIME_LEN + 1];
	if (db_begin() < 0)
		return REQ_ERROR;
	enum acct_err e = acct_password_issue(id, u_now(), pw);
	if (e != ACCT_OK)
		return refused(r, e);
	int rc = audit_act(req_actor(r, ROLE_SUPPORT), "password_reset", "account", id, "ok", "one-time password issued") < 0
			 ? fail_tx()
			 : committed(r, "password_issued", pw, account_page(r, id));
	memset(pw, 0, sizeof pw);
	return rc;
}

enum { T_ACTIVE, T__MAX };
static const struct vfield active_fields[T__MAX] = {
	[T_ACTIVE] = {"active", V_BOOL, 0, 0, 0, NULL},
};

static int account_active(struct req *r)
{
	struct vval v[T__MAX];
	val_form(r, active_fields, T__MAX, v);
	int active = (int)v[T_ACTIVE].i;
	if (db_begin() < 0)
		return REQ_ERROR;
	return account_done(r, acct_active_set(r->iarg[0], active, req_account(r), u_now()),
			    active ? "account_activated" : "account_deactivated", NULL, active ? "activated" : "deactivated");
}

/* ---- the registers support imports: БМГ (bmg.h) and ГБД ФЛ (gbd.h) ----
 * The same three pages for each (the count and the imports, the upload,
 * an import's report), told apart by this table: their statements,
 * setting, templates, words and import function. */

struct import_result {
	long long import_id, lines, added, known, removed, rejected;
	int refused;
};

static int import_bmg(const char *data, size_t len, int replace, long long actor, const char *filename,
		      struct import_result *o)
{
	struct bmg_result x;
	int rc = bmg_import_csv(data, len, replace, actor, filename, &x);
	*o = (struct import_result){x.import_id, x.lines, x.added, x.known, x.removed, x.rejected, x.refused};
	return rc;
}

static int import_gbd(const char *data, size_t len, int replace, long long actor, const char *filename,
		      struct import_result *o)
{
	struct gbd_import_result x;
	int rc = gbd_import_csv(data, len, replace, actor, filename, &x);
	*o = (struct import_result){x.import_id, x.lines, x.added, x.known, x.removed, x.rejected, x.refused};
	return rc;
}

struct registry {
	const char *name;                      /* "bmg": the nav item, the URL, the audit action */
	const char *count_sql, *list_sql, *report_sql;
	const char *lookup;                    /* its setting */
	const char *texts;                     /* its words in the language files (L.Bmg, L.Gbd) */
	const char *reject_prefix;             /* the words of a rejected line's reason */
	int (*import)(const char *data, size_t len, int replace, long long actor, const char *filename,
		      struct import_result *o);
};

static const struct registry bmg = {
	"bmg", "SELECT count(*) FROM bmg",
	"SELECT i.id, i.at, coalesce(a.surname || ' ' || a.name, ''), i.filename, i.mode, i.status, i.lines, i.added, "
	"i.known, i.removed, i.rejected FROM bmg_import i LEFT JOIN account a ON a.id = i.actor_id ORDER BY i.id DESC LIMIT 20",
	"SELECT i.at, coalesce(a.surname || ' ' || a.name, ''), i.filename, i.mode, i.status, i.lines, i.added, i.known, "
	"i.removed, i.rejected, i.report, i.sha256 FROM bmg_import i LEFT JOIN account a ON a.id = i.actor_id WHERE i.id = ?",
	"Bmg.Lookup", "Bmg", "Bmg.reject_", import_bmg};
static const struct registry gbd = {
	"gbd", "SELECT count(*) FROM gbd_person",
	"SELECT i.id, i.at, coalesce(a.surname || ' ' || a.name, ''), i.filename, i.mode, i.status, i.lines, i.added, "
	"i.known, i.removed, i.rejected FROM gbd_import i LEFT JOIN account a ON a.id = i.actor_id ORDER BY i.id DESC LIMIT 20",
	"SELECT i.at, coalesce(a.surname || ' ' || a.name, ''), i.filename, i.mode, i.status, i.lines, i.added, i.known, "
	"i.removed, i.rejected, i.report, i.sha256 FROM gbd_import i LEFT JOIN account a ON a.id = i.actor_id WHERE i.id = ?",
	"Gbd.Lookup", "Gbd", "Gbd.reject_", import_gbd};

/* One page pair serves every register (admin_registry*.cs): its name and
 * the set of its words. */
static int registry_view(struct req *r, const struct registry *g, const char *cs)
{
	view_set(r, "Admin.registry.name", g->name);
	view_set(r, "Admin.registry.texts", g->texts);
	return nav(r, g->name, cs);
}

static int registry_page(struct req *r, const struct registry *g)
{
	view_set_int(r, "Admin.registry.count", db_int(g->count_sql, 0, NULL));
	view_set(r, "Admin.registry.lookup", conf_get(g->lookup, "table"));
	sqlite3_stmt *st = db_query(g->list_sql, NULL);
	for (int i = 0; db_row(st); i++) {
		char when[17];
		u_fmt_datetime(sqlite3_column_int64(st, 1), when);
		static const char *const names[] = {"id", "at", "by", "file", "mode", "status", "lines", "added", "known",
						    "removed", "rejected"};
		for (int c = 0; c < 11; c++)
			view_set(r, arena_printf(r->a, "Admin.imports.%d.%s", i, names[c]), c == 1 ? when : db_col(st, c));
	}
	db_done(st);
	return registry_view(r, g, "admin_registry.cs");
}

enum { B_REPLACE, B__MAX };
static const struct vfield import_fields[B__MAX] = {
	[B_REPLACE] = {"replace", V_BOOL, 0, 0, 0, NULL},
};

static int registry_upload(struct req *r, const struct registry *g)
{
	struct vval v[B__MAX];
	val_form(r, import_fields, B__MAX, v);
	const struct req_file *f = req_file(r, "file");
	if (!f || f->len == 0) {
		view_field_error(r, "file", "Bmg.err_file");
		r->status = 422;
		return registry_page(r, g);
	}
	if ((long long)f->len > conf_int("Upload.FileMaxBytes", 5242880)) {
		view_field_error_text(r, "file", view_tf(r, "Err.file_too_large", "max",
							 arena_printf(r->a, "%lld", conf_int("Upload.FileMaxBytes", 5242880) >> 20)));
		r->status = 422;
		return registry_page(r, g);
	}
	struct import_result res;
	if (db_begin() < 0)
		return REQ_ERROR;
	int rc = g->import((const char *)f->data, f->len, (int)v[B_REPLACE].i, req_account(r),
			   doc_clean_filename(r->a, f->filename, g->name, "text/csv"), &res);
	if (rc == -2) {
		db_rollback();
		view_field_error(r, "file", "Bmg.err_empty");
		r->status = 422;
		return registry_page(r, g);
	}
	char d[200];
	snprintf(d, sizeof d, "mode=%s lines=%lld added=%lld known=%lld removed=%lld rejected=%lld",
		 v[B_REPLACE].i ? "replace" : "add", res.lines, res.added, res.known, res.removed, res.rejected);
	const char *action = arena_printf(r->a, "%s_import", g->name);
	if (rc < 0 || audit_act(req_actor(r, ROLE_SUPPORT), action, action, res.import_id, res.refused ? "refused" : "ok",
				d) < 0)
		return fail_tx();
	if (db_commit() < 0)
		return REQ_ERROR;
	return req_redirect(r, arena_printf(r->a, "/admin/%s/%lld", g->name, res.import_id));
}

static int registry_report(struct req *r, const struct registry *g)
{
	sqlite3_stmt *st = db_query(g->report_sql, "I", r->iarg[0]);
	if (!db_row(st)) {
		db_done(st);
		return 404;
	}
	char when[17];
	u_fmt_datetime(sqlite3_column_int64(st, 0), when);
	static const char *const names[] = {"at", "by", "file", "mode", "status", "lines", "added", "known", "removed",
					    "rejected", "report", "sha256"};
	for (int c = 1; c < 12; c++)
		if (c != 10)
			view_set(r, arena_printf(r->a, "Admin.import.%s", names[c]), db_col(st, c));
	view_set(r, "Admin.import.at", when);
	view_set_int(r, "Admin.import.id", r->iarg[0]);
	/* The report: "line<TAB>code" lines. */
	char *rep = arena_strdup(r->a, db_col(st, 10));
	db_done(st);
	int i = 0;
	for (char *save = NULL, *line = strtok_r(rep, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = '\0';
		view_set(r, arena_printf(r->a, "Admin.import.rejects.%d.line", i), line);
		view_set(r, arena_printf(r->a, "Admin.import.rejects.%d.why", i),
			 view_t(r, arena_printf(r->a, "%s%s", g->reject_prefix, tab + 1)));
		i++;
	}
	view_set_int(r, "Admin.import.shown", i);
	return registry_view(r, g, "admin_registry_import.cs");
}

static int bmg_page(struct req *r) { return registry_page(r, &bmg); }
static int bmg_upload(struct req *r) { return registry_upload(r, &bmg); }
static int bmg_report(struct req *r) { return registry_report(r, &bmg); }
static int gbd_page(struct req *r) { return registry_page(r, &gbd); }
static int gbd_upload(struct req *r) { return registry_upload(r, &gbd); }
static int gbd_report(struct req *r) { return registry_report(r, &gbd); }

/* ---- audit log ---- */


enum { G_ACTION, G_ACTOR, G__MAX };
static const struct vfield audit_filter[G__MAX] = {
	[G_ACTION] = {"action", V_TOKEN, 0, 1, 64, NULL},
	[G_ACTOR] = {"actor", V_IIN, 0, 0, 0, NULL},
};

static int audit_page(struct req *r)
{
	struct vval f[G__MAX];
	if (val_form(r, audit_filter, G__MAX, f) > 0)
		r->status = 422;
	const char *action = f[G_ACTION].present && !f[G_ACTION].err ? f[G_ACTION].s : "";
	long long actor = 0;
	if (f[G_ACTOR].present && !f[G_ACTOR].err) {
		struct acct a;
		actor = acct_find(f[G_ACTOR].s, &a) > 0 ? a.id : -1; /* -1, nobody: an empty list */
	}
	/* Newest first (the rowid order, so no page sorts the whole log). */
	static const char *const cols[] = {"id", NULL};
	struct lst l;
	lst_read(r, &l, cols, 0, 1, 50);
	long long total;
	sqlite3_stmt *st;
	/* One statement per filter combination, so each uses its index. */
	if (*action && actor) {
		total = db_int("SELECT count(*) FROM audit WHERE action = ? AND actor_id = ?", 0, "tI", action, actor);
		lst_total(&l, total);
		st = db_query("SELECT u.id, u.at, u.actor_role, coalesce(a.surname || ' ' || a.name, ''), coalesce(a.iin, ''), "
			      "u.ip, u.action, u.object_type, coalesce(u.object_id, ''), u.outcome, u.details "
			      "FROM audit u LEFT JOIN account a ON a.id = u.actor_id WHERE u.action = ? AND u.actor_id = ? "
			      "ORDER BY u.id DESC LIMIT ? OFFSET ?",
			      "tIiI", action, actor, l.per_page, l.offset);
	} else if (*action) {
		total = db_int("SELECT count(*) FROM audit WHERE action = ?", 0, "t", action);
		lst_total(&l, total);
		st = db_query("SELECT u.id, u.at, u.actor_role, coalesce(a.surname || ' ' || a.name, ''), coalesce(a.iin, ''), "
			      "u.ip, u.action, u.object_type, coalesce(u.object_id, ''), u.outcome, u.details "
			      "FROM audit u LEFT JOIN account a ON a.id = u.actor_id WHERE u.action = ? "
			      "ORDER BY u.id DESC LIMIT ? OFFSET ?",
			      "tiI", action, l.per_page, l.offset);
	} else if (actor) {
		total = db_int("SELECT count(*) FROM audit WHERE actor_id = ?", 0, "I", actor);
		lst_total(&l, total);
		st = db_query("SELECT u.id, u.at, u.actor_role, coalesce(a.surname || ' ' || a.name, ''), coalesce(a.iin, ''), "
			      "u.ip, u.action, u.object_type, coalesce(u.object_id, ''), u.outcome, u.details "
			      "FROM audit u LEFT JOIN account a ON a.id = u.actor_id WHERE u.actor_id = ? "
			      "ORDER BY u.id DESC LIMIT ? OFFSET ?",
			      "IiI", actor, l.per_page, l.offset);
	} else {
		total = db_int("SELECT count(*) FROM audit", 0, NULL);
		lst_total(&l, total);
		st = db_query("SELECT u.id, u.at, u.actor_role, coalesce(a.surname || ' ' || a.name, ''), coalesce(a.iin, ''), "
			      "u.ip, u.action, u.object_type, coalesce(u.object_id, ''), u.outcome, u.details "
			      "FROM audit u LEFT JOIN account a ON a.id = u.actor_id "
			      "ORDER BY u.id DESC LIMIT ? OFFSET ?",
			      "iI", l.per_page, l.offset);
	}
	for (int i = 0; db_row(st); i++) {
		char p[40], when[17], m[13];
		snprintf(p, sizeof p, "Admin.audit.%d", i);
		view_set(r, arena_printf(r->a, "%s.id", p), db_col(st, 0));
		u_fmt_datetime(sqlite3_column_int64(st, 1), when);
		view_set(r, arena_printf(r->a, "%s.at", p), when);
		view_set(r, arena_printf(r->a, "%s.role", p), db_col(st, 2));
		view_set(r, arena_printf(r->a, "%s.actor", p), db_col(st, 3));
		u_mask_iin(db_col(st, 4), m);
		view_set(r, arena_printf(r->a, "%s.iin", p), m);
		view_set(r, arena_printf(r->a, "%s.ip", p), db_col(st, 5));
		view_set(r, arena_printf(r->a, "%s.action", p), db_col(st, 6));
		view_set(r, arena_printf(r->a, "%s.object", p), db_col(st, 7));
		view_set(r, arena_printf(r->a, "%s.object_id", p), db_col(st, 8));
		view_set(r, arena_printf(r->a, "%s.outcome", p), db_col(st, 9));
		view_set(r, arena_printf(r->a, "%s.details", p), db_col(st, 10));
	}
	db_done(st);
	lst_view(r, &l, cols);
	/* The whole chain is recomputed (about 1.7 µs a row: 0.34 s for 200,000
	 * rows), so paging does not redo it each time: the result is kept for
	 * Admin.AuditVerifySeconds, and ?verify=1 asks for a fresh one. */
	static long long bad, rows, checked_at = -1;
	const char *again = req_param(r, "verify");
	long long now = u_now();
	if (checked_at < 0 || now - checked_at >= conf_int("Admin.AuditVerifySeconds", 300) ||
	    (again && strcmp(again, "1") == 0)) {
		bad = audit_verify();
		rows = db_int("SELECT count(*) FROM audit", 0, NULL);
		checked_at = now;
	}
	if (bad == 0)
		view_set(r, "Admin.chain.ok", "1");
	else
		view_set(r, "Admin.chain.text", bad < 0 ? view_t(r, "Admin.chain_error")
							  : view_tf(r, "Admin.chain_broken", "id", arena_printf(r->a, "%lld", bad)));
	view_set_int(r, "Admin.chain.rows", rows);
	char when[17];
	u_fmt_datetime(checked_at, when);
	view_set(r, "Admin.chain.at", when);
	return nav(r, "audit", "admin_audit.cs");
}

/* ---- districts: state or voucher financing (voucher.h) ---- */

static void district_row(void *arg, const struct vch_district *d)
{
	struct rows *x = arg;
	struct req *r = x->r;
	view_set_int(r, row_key(x, "id"), d->id);
	view_set(r, row_key(x, "name"), strcmp(r->lang, "kk") == 0 ? d->name_kk : d->name_ru);
	view_set(r, row_key(x, "financing"), vch_financing_names[d->financing]);
	x->i++;
}

static int districts_page(struct req *r)
{
	struct rows x = {r, "Admin.districts", 0};
	if (vch_each_district(district_row, &x) < 0)
		return REQ_ERROR;
	return nav(r, "districts", "admin_districts.cs");
}

enum { FIN_FINANCING, FIN__MAX };
static const struct vfield financing_fields[FIN__MAX] = {
	[FIN_FINANCING] = {"financing", V_ENUM, VF_REQUIRED, 0, 0, vch_financing_names},
};

static int district_financing(struct req *r)
{
	struct vval v[FIN__MAX];
	if (val_form(r, financing_fields, FIN__MAX, v) > 0) {
		r->status = 422;
		view_set(r, "Msg.error", view_t(r, "Voucher.err_financing"));
		return districts_page(r);
	}
	int rc = vch_set_financing(req_actor(r, ROLE_SUPPORT), (int)r->iarg[0], (enum vch_financing)v[FIN_FINANCING].i);
	if (rc == 1)
		return 404;
	if (rc < 0)
		return REQ_ERROR;
	view_flash(r, "financing_set", NULL);
	return req_redirect(r, "/admin/districts");
}

/* ---- holidays ---- */

static int current_year(void)
{
	int y, m, d;
	cal_ymd_from_days(cal_day_from_unix(u_now()), &y, &m, &d);
	return y;
}

struct hol_view {
	struct req *r;
	int i;
};

static void holiday_row(void *arg, const struct hol_row *h)
{
	struct hol_view *x = arg;
	struct req *r = x->r;
	int i = x->i++;
	int days;
	char dd[11] = "";
	if (cal_parse_iso(h->day, &days) == 0)
		cal_format_date(days, dd);
	view_set(r, arena_printf(r->a, "Admin.hol.days.%d.day", i), dd);
	view_set(r, arena_printf(r->a, "Admin.hol.days.%d.kind", i), h->kind);
	view_set(r, arena_printf(r->a, "Admin.hol.days.%d.kind_label", i),
		 view_t(r, arena_printf(r->a, "Admin.hol_%s", h->kind)));
	view_set(r, arena_printf(r->a, "Admin.hol.days.%d.name", i), strcmp(r->lang, "kk") == 0 ? h->name_kk : h->name_ru);
	static const char *const wd[] = {"", "mon", "tue", "wed", "thu", "fri", "sat", "sun"};
	view_set(r, arena_printf(r->a, "Admin.hol.days.%d.weekday", i),
		 view_t(r, arena_printf(r->a, "Admin.wd_%s", wd[cal_weekday(days)])));
}

static int holidays(struct req *r)
{
	long long year = current_year();
	const char *p = req_param(r, "year");
	if (p && u_strtoll(p, 2000, 2100, &year) < 0)
		year = current_year();
	view_set_int(r, "Admin.hol.year", year);
	view_set_int(r, "Admin.hol.prev", year - 1);
	view_set_int(r, "Admin.hol.next", year + 1);
	struct hol_view x = {r, 0};
	hol_each_year((int)year, holiday_row, &x);
	return nav(r, "holidays", "admin_holidays.cs");
}

enum { H_DAY, H_KIND, H_NAME_RU, H_NAME_KK, H__MAX };
static const struct vfield holiday_fields[H__MAX] = {
	[H_DAY] = {"day", V_DATE, VF_REQUIRED, 0, 0, NULL},
	[H_KIND] = {"kind", V_ENUM, VF_REQUIRED, 0, 0, holiday_kinds},
	[H_NAME_RU] = {"name_ru", V_TEXT, VF_REQUIRED, 2, 200, NULL},
	[H_NAME_KK] = {"name_kk", V_TEXT, VF_REQUIRED, 2, 200, NULL},
};

static int holiday_add(struct req *r)
{
	struct vval v[H__MAX];
	int bad = val_form(r, holiday_fields, H__MAX, v);
	if (!v[H_DAY].err) {
		enum cal_kind kind = v[H_KIND].err ? CAL_KIND__MAX : (enum cal_kind)v[H_KIND].i;
		switch (hol_check((int)v[H_DAY].i, kind)) {
		case HOL_OK:
			break;
		case HOL_ERR_EXISTS:
			view_field_error(r, "day", "Admin.err_holiday_exists");
			bad++;
			break;
		case HOL_ERR_WORK_DAY_WEEKDAY:
			view_field_error(r, "kind", "Admin.err_work_day_weekday");
			bad++;
			break;
		case HOL_ERR_DAY_OFF_WEEKEND:
			view_field_error(r, "kind", "Admin.err_day_off_weekend");
			bad++;
			break;
		default:
			return REQ_ERROR;
		}
	}
	if (bad) {
		r->status = 422;
		return holidays(r);
	}
	if (hol_add(req_actor(r, ROLE_SUPPORT), (int)v[H_DAY].i, (enum cal_kind)v[H_KIND].i, v[H_NAME_RU].s,
		    v[H_NAME_KK].s) != HOL_OK)
		return REQ_ERROR;
	char iso[11];
	cal_format_iso((int)v[H_DAY].i, iso);
	view_flash(r, "holiday_added", NULL);
	return req_redirect(r, arena_printf(r->a, "/admin/holidays?year=%.4s", iso));
}

enum { X_DAY, X__MAX };
static const struct vfield holiday_del_fields[X__MAX] = {
	[X_DAY] = {"day", V_DATE, VF_REQUIRED, 0, 0, NULL},
};

static int holiday_delete(struct req *r)
{
	struct vval v[X__MAX];
	if (val_form(r, holiday_del_fields, X__MAX, v) > 0) {
		r->status = 422;
		return holidays(r);
	}
	enum hol_err e = hol_delete(req_actor(r, ROLE_SUPPORT), (int)v[X_DAY].i);
	if (e == HOL_ERR_NOT_FOUND)
		return 404;
	if (e != HOL_OK)
		return REQ_ERROR;
	char iso[11];
	cal_format_iso((int)v[X_DAY].i, iso);
	view_flash(r, "holiday_deleted", NULL);
	return req_redirect(r, arena_printf(r->a, "/admin/holidays?year=%.4s", iso));
}

static const struct route routes[] = {
	{M_GET, "/admin", ROLE_SUPPORT, overview, 0},
	{M_GET, "/admin/ddo", ROLE_SUPPORT, ddo_list_page, 0},
	{M_GET, "/admin/ddo/new", ROLE_SUPPORT, ddo_new_page, 0},
	{M_POST, "/admin/ddo/new", ROLE_SUPPORT, ddo_create_form, 0},
	{M_GET, "/admin/ddo/%d", ROLE_SUPPORT, ddo_show_page, 0},
	{M_POST, "/admin/ddo/%d", ROLE_SUPPORT, ddo_update_form, 0},
	{M_GET, "/admin/accounts", ROLE_SUPPORT, accounts, 0},
	{M_GET, "/admin/accounts/new", ROLE_SUPPORT, account_new, 0},
	{M_POST, "/admin/accounts/new", ROLE_SUPPORT, account_create, 0},
	{M_GET, "/admin/accounts/%d", ROLE_SUPPORT, account_show, 0},
	{M_POST, "/admin/accounts/%d", ROLE_SUPPORT, account_update, 0},
	{M_POST, "/admin/accounts/%d/ddo", ROLE_SUPPORT, account_attach, 0},
	{M_POST, "/admin/accounts/%d/ddo/%d/detach", ROLE_SUPPORT, account_detach, 0},
	{M_POST, "/admin/accounts/%d/district", ROLE_SUPPORT, account_add_district, 0},
	{M_POST, "/admin/accounts/%d/district/%d/remove", ROLE_SUPPORT, account_remove_district, 0},
	{M_POST, "/admin/accounts/%d/password", ROLE_SUPPORT, account_password, 0},
	{M_POST, "/admin/accounts/%d/active", ROLE_SUPPORT, account_active, 0},
	{M_GET, "/admin/bmg", ROLE_SUPPORT, bmg_page, 0},
	{M_POST, "/admin/bmg", ROLE_SUPPORT, bmg_upload, RF_UPLOAD},
	{M_GET, "/admin/bmg/%d", ROLE_SUPPORT, bmg_report, 0},
	{M_GET, "/admin/gbd", ROLE_SUPPORT, gbd_page, 0},
	{M_POST, "/admin/gbd", ROLE_SUPPORT, gbd_upload, RF_UPLOAD},
	{M_GET, "/admin/gbd/%d", ROLE_SUPPORT, gbd_report, 0},
	{M_GET, "/admin/audit", ROLE_SUPPORT, audit_page, 0},
	{M_GET, "/admin/districts", ROLE_SUPPORT, districts_page, 0},
	{M_POST, "/admin/districts/%d", ROLE_SUPPORT, district_financing, 0},
	{M_GET, "/admin/holidays", ROLE_SUPPORT, holidays, 0},
	{M_POST, "/admin/holidays", ROLE_SUPPORT, holiday_add, 0},
	{M_POST, "/admin/holidays/delete", ROLE_SUPPORT, holiday_delete, 0},
	{M_GET, "/admin/refresh", ROLE_SUPPORT, ayear_refresh_page, 0},
	{M_POST, "/admin/refresh", ROLE_SUPPORT, ayear_refresh_run, 0},
	{M_GET, "/admin/places", ROLE_SUPPORT, ayear_places_page, 0},
	{M_POST, "/admin/places/%d/withdraw", ROLE_SUPPORT, ayear_withdraw, 0},
};

int main(int argc, char **argv)
{
	static const struct app app = {"admin", routes, NROUTES(routes), NULL};
	return req_main(argc, argv, &app);
}
