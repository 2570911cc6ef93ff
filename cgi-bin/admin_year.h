/*
 * admin_year.h — the support role's part of the yearly cycle of the queue
 * (issue 17 items 1 and 2), included by admin.c only; everything here is
 * static. Prefix ayear_.
 *
 *   GET  /admin/refresh?year=Y[&district=D]
 *                                  the refresh of the queue for year Y (this
 *                                  year by default), of the region or of one
 *                                  district: what it would change, counted
 *                                  per district, and the list
 *                                  (domain/refresh.h, rf_each_change)
 *   POST /admin/refresh            makes those changes (rf_run, or
 *                                  rf_run_district), after the preview; the
 *                                  form carries the year and the district
 *                                  (at national scale the region takes
 *                                  minutes: one district at a time keeps a
 *                                  request short; kgctl and the tick run all)
 *   GET  /admin/places?district=D  the district's published records nobody
 *                                  got a referral for, and those withdrawn
 *   POST /admin/places/%d/withdraw withdraws one, with a reason (place.h)
 */
#ifndef KG_ADMIN_YEAR_H
#define KG_ADMIN_YEAR_H

#include "base/cal.h"
#include "base/util.h"
#include "domain/place.h"
#include "domain/refresh.h"
#include "web/req.h"
#include "web/val.h"
#include "web/view.h"

/* The preview's list stops here; the counts go on. */
enum { AYEAR_LIST_MAX = 300 };

static const struct vfield ayear_year_field = {"year", V_INT, VF_REQUIRED, 2000, 2100, NULL};

static int ayear_this_year(void)
{
	int y, m, d;
	cal_ymd_from_days(cal_day_from_unix(u_now()), &y, &m, &d);
	return y;
}

struct ayear_preview {
	struct req *r;
	int district, row, listed;            /* the district being counted, its row in Refresh.d */
	long long n[RF__MAX], total;
};

static int ayear_preview_row(void *arg, const struct rf_change *c)
{
	struct ayear_preview *p = arg;
	struct req *r = p->r;
	if (c->district != p->district) {
		p->district = c->district;
		p->row++;
		HDF *d = view_row(r, "Refresh.d", p->row);
		view_row_set(d, "name", view_district_name(r, c->district));
		view_row_set_int(d, "code", c->district);
	}
	HDF *d = view_row(r, "Refresh.d", p->row);
	const char *k = rf_kind_names[c->kind];
	long long cur = hdf_get_int_value(d, k, 0);
	view_row_set_int(d, k, cur + 1);
	p->n[c->kind]++;
	p->total++;
	if (p->listed < AYEAR_LIST_MAX) {
		HDF *l = view_row(r, "Refresh.list", p->listed++);
		view_row_set(l, "number", c->number);
		view_row_set(l, "district", view_district_name(r, c->district));
		view_row_set(l, "kind", k);
		view_row_set(l, "kind_text", view_t(r, arena_printf(r->a, "Refresh.kind.%s", k)));
		char b[11];
		int day;
		if (cal_parse_iso(c->birth_date, &day) == 0) {
			cal_format_date(day, b);
			view_row_set(l, "birth", b);
		}
		if (c->kind == RF_GROUP_YEAR)
			view_row_set(l, "detail", arena_printf(r->a, "%d → %d", c->year_from, c->year_to));
		else if (c->kind == RF_BENEFIT)
			view_row_set(l, "detail", view_t(r, arena_printf(r->a, "Benefit.cat.%s", c->benefit_from)));
	}
	return 0;
}

static const struct vfield ayear_district_field = {"district", V_INT, VF_REQUIRED, 1, 99999, NULL};

/* The district of the request (0: the region); -1 when it is not one. */
static int ayear_district(struct req *r)
{
	struct vval v;
	const char *raw = req_param(r, "district");
	if (!raw || !*raw)
		return 0;
	if (val_one(r, &ayear_district_field, raw, &v) || !view_district_name(r, (int)v.i))
		return -1;
	return (int)v.i;
}

static int ayear_refresh_page(struct req *r)
{
	struct vval v;
	int year = ayear_this_year();
	int district = ayear_district(r);
	if (district < 0) {
		r->status = 422;
		view_field_error(r, "district", "Err.choice");
		district = 0;
	}
	view_set_int(r, "Query.district", district);
	const char *raw = req_param(r, "year");
	if (raw && *raw) {
		if (val_one(r, &ayear_year_field, raw, &v)) {
			r->status = 422;
			view_field_error(r, "year", "Refresh.err_year");
		} else {
			year = (int)v.i;
		}
	}
	view_set_int(r, "Refresh.year", year);
	char cutoff[11];
	int day;
	rf_school_cutoff(year, rf_school_age(), cutoff);
	if (cal_parse_iso(cutoff, &day) == 0) {
		cal_format_date(day, cutoff);
		view_set(r, "Refresh.cutoff", cutoff);
	}
	view_set_int(r, "Refresh.age", rf_school_age());
	struct ayear_preview p = {r, 0, -1, 0, {0}, 0};
	if (rf_each_change(district, year, u_now(), ayear_preview_row, &p) < 0)
		return REQ_ERROR;
	for (int k = 0; k < RF__MAX; k++)
		view_set_int(r, arena_printf(r->a, "Refresh.n.%s", rf_kind_names[k]), p.n[k]);
	view_set_int(r, "Refresh.total", p.total);
	if (p.total > AYEAR_LIST_MAX)
		view_set(r, "Refresh.more", view_tf(r, "Refresh.list_more", "n", arena_int(r->a, AYEAR_LIST_MAX)));
	view_set(r, "Admin.section", "refresh");
	return view_render(r, "admin_refresh.cs") < 0 ? REQ_ERROR : REQ_OK;
}

static int ayear_refresh_run(struct req *r)
{
	struct vval v;
	if (val_form(r, &ayear_year_field, 1, &v)) {
		r->status = 422;
		return ayear_refresh_page(r);
	}
	int district = ayear_district(r);
	if (district < 0) {
		r->status = 422;
		return ayear_refresh_page(r);
	}
	struct rf_tally t = {{0}};
	struct actor who = req_actor(r, ROLE_SUPPORT);
	if ((district ? rf_run_district(who, district, (int)v.i, u_now(), &t) : rf_run(who, (int)v.i, u_now(), &t)) < 0)
		return REQ_ERROR;
	view_flash(r, "refresh_done", arena_int(r->a, t.n[RF_SCHOOL_AGE] + t.n[RF_BENEFIT] + t.n[RF_GROUP_YEAR]));
	if (district)
		return req_redirect(r, arena_printf(r->a, "/admin/refresh?year=%lld&district=%d", v.i, district));
	return req_redirect(r, arena_printf(r->a, "/admin/refresh?year=%lld", v.i));
}

/* ---- withdrawal of published places ---- */

struct ayear_rows {
	struct req *r;
	int i;
};

static void ayear_place_row(void *arg, const struct place_wd_row *w)
{
	struct ayear_rows *x = arg;
	struct req *r = x->r;
	HDF *h = view_row(r, "Wd.rows", x->i++);
	view_row_set_int(h, "id", w->id);
	view_row_set(h, "ddo", strcmp(r->lang, "kk") == 0 ? w->ddo_kk : w->ddo_ru);
	view_row_set_int(h, "year", w->year);
	view_row_set(h, "lang", view_t(r, arena_printf(r->a, "Places.Lang.%s", w->language)));
	view_row_set_int(h, "total", w->total);
	char dt[17];
	u_fmt_datetime(w->created_at, dt);
	view_row_set(h, "created", dt);
	if (w->withdrawn_at) {
		u_fmt_datetime(w->withdrawn_at, dt);
		view_row_set(h, "withdrawn", dt);
		view_row_set(h, "reason", w->reason);
	}
}

static int ayear_places_show(struct req *r, int district)
{
	if (district && view_district_name(r, district)) {
		view_set_int(r, "Wd.district", district);
		view_set_int(r, "Query.district", district);
		struct ayear_rows x = {r, 0};
		if (place_each_withdrawable(district, 500, ayear_place_row, &x) < 0)
			return REQ_ERROR;
	}
	view_set(r, "Admin.section", "places");
	return view_render(r, "admin_places.cs") < 0 ? REQ_ERROR : REQ_OK;
}

static int ayear_places_page(struct req *r)
{
	struct vval v;
	const char *raw = req_param(r, "district");
	int district = r->district;
	if (raw && *raw && !val_one(r, &ayear_district_field, raw, &v))
		district = (int)v.i;
	return ayear_places_show(r, district);
}

static const struct vfield ayear_reason_field = {"reason", V_TEXT, VF_REQUIRED, 3, 500, NULL};

static int ayear_withdraw(struct req *r)
{
	long long id = r->iarg[0];
	int district = (int)db_int("SELECT district_id FROM free_place WHERE id = ?", 0, "I", id);
	if (!district)
		return req_fail(r, 404, "Withdraw.err_none");
	struct vval v;
	if (val_form(r, &ayear_reason_field, 1, &v)) {
		r->status = 422;
		view_set_int(r, "Wd.failed", id);
		return ayear_places_show(r, district);
	}
	int rc = place_withdraw(req_actor(r, ROLE_SUPPORT), id, v.s, u_now());
	if (rc < 0)
		return REQ_ERROR;
	if (rc != 0) {
		r->status = rc == PLACE_WD_REFERRED ? 409 : 404;
		view_set(r, "Msg.error", view_t(r, rc == PLACE_WD_REFERRED ? "Withdraw.err_referred" : "Withdraw.err_none"));
		return ayear_places_show(r, district);
	}
	view_flash(r, "place_withdrawn", NULL);
	return req_redirect(r, arena_printf(r->a, "/admin/places?district=%d", district));
}

#endif
