/* refresh.c — see refresh.h. */
#include "domain/refresh.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cal.h"
#include "base/conf.h"
#include "base/db.h"
#include "base/lang.h"
#include "base/log.h"
#include "base/util.h"
#include "base/workday.h"
#include "domain/account.h"
#include "domain/audit.h"
#include "domain/hist.h"
#include "domain/offer.h"
#include "domain/queue.h"

const char *const rf_kind_names[RF__MAX] = {"school_age", "benefit", "group_year"};

int rf_school_age(void)
{
	long long age = conf_int("Queue.SchoolAgeYears", 6);
	return age >= 3 && age <= 10 ? (int)age : 6;
}

void rf_school_cutoff(int year, int age, char out[11])
{
	/* Born on 1 September of year - age: age years old that day. */
	cal_format_iso(cal_days_from_ymd(year - age, 9, 1), out);
}

int rf_decide(const struct rf_app *a, const char *cutoff, enum rf_kind out[RF__MAX])
{
	if (strcmp(a->birth_date, cutoff) <= 0) {
		out[0] = RF_SCHOOL_AGE;
		return 1;
	}
	int n = 0;
	if (a->docs_expired && strcmp(a->benefit, "none") != 0)
		out[n++] = RF_BENEFIT;
	int gy = queue_group_year(a->birth_date);
	if (gy && gy != a->group_year)
		out[n++] = RF_GROUP_YEAR;
	return n;
}

/* ---- reading ---- */

static long long each_in_district(int district, const char *cutoff, const char *today,
				  int (*fn)(void *arg, const struct rf_change *c), void *arg, int *stop)
{
	/* The index application_district_status gives a district's waiting
	 * applications; a benefit's documents are read only for those with one. */
	sqlite3_stmt *st = db_query(
		"SELECT a.id, a.number, a.group_year, a.benefit, a.benefit_ground, a.language, c.birth_date, "
		"  a.benefit <> 'none' "
		"  AND EXISTS (SELECT 1 FROM document d WHERE d.application_id = a.id AND d.kind = 'benefit' "
		"    AND d.replaced_at IS NULL AND d.valid_until < ?) "
		"  AND NOT EXISTS (SELECT 1 FROM document d WHERE d.application_id = a.id AND d.kind = 'benefit' "
		"    AND d.replaced_at IS NULL AND (d.valid_until IS NULL OR d.valid_until >= ?)) "
		"FROM application a JOIN child c ON c.id = a.child_id "
		"WHERE a.district_id = ? AND a.status IN ('queued','inactive')",
		"tti", today, today, district);
	if (!st)
		return -1;
	long long n = 0;
	while (!*stop && db_row(st)) {
		struct rf_change c;
		memset(&c, 0, sizeof c);
		c.app_id = sqlite3_column_int64(st, 0);
		c.district = district;
		u_copy(c.number, sizeof c.number, db_col(st, 1));
		c.year_from = sqlite3_column_int(st, 2);
		u_copy(c.benefit_from, sizeof c.benefit_from, db_col(st, 3));
		u_copy(c.ground_from, sizeof c.ground_from, db_col(st, 4));
		u_copy(c.language, sizeof c.language, db_col(st, 5));
		u_copy(c.birth_date, sizeof c.birth_date, db_col(st, 6));
		struct rf_app a = {c.year_from, c.birth_date, c.benefit_from, sqlite3_column_int(st, 7)};
		enum rf_kind k[RF__MAX];
		int m = rf_decide(&a, cutoff, k);
		c.year_to = c.year_from;
		for (int i = 0; i < m; i++)
			if (k[i] == RF_GROUP_YEAR)
				c.year_to = queue_group_year(c.birth_date);
		for (int i = 0; i < m && !*stop; i++) {
			c.kind = k[i];
			n++;
			if (fn(arg, &c) != 0)
				*stop = 1;
		}
	}
	if (*stop) {
		db_done(st);
		return n;
	}
	return db_end(st) < 0 ? -1 : n;
}

/* The districts, in the order of their codes: malloc'd, *n of them. */
static int *districts(int *n)
{
	*n = 0;
	int cap = 0, *v = NULL;
	sqlite3_stmt *st = db_query("SELECT id FROM district ORDER BY id", NULL);
	while (db_row(st)) {
		if (*n == cap) {
			int *w = realloc(v, (size_t)(cap = cap ? cap * 2 : 64) * sizeof *v);
			if (!w) {
				db_done(st);
				free(v);
				return NULL;
			}
			v = w;
		}
		v[(*n)++] = sqlite3_column_int(st, 0);
	}
	if (db_end(st) < 0) {
		free(v);
		return NULL;
	}
	return v ? v : calloc(1, sizeof *v);
}

static void today_iso(long long now, char out[11]) { cal_format_iso(cal_day_from_unix(now), out); }

long long rf_each_change(int district, int year, long long now, int (*fn)(void *arg, const struct rf_change *c),
			 void *arg)
{
	char cutoff[11], today[11];
	rf_school_cutoff(year, rf_school_age(), cutoff);
	today_iso(now, today);
	int stop = 0;
	if (district)
		return each_in_district(district, cutoff, today, fn, arg, &stop);
	int nd;
	int *ds = districts(&nd);
	if (!ds)
		return -1;
	long long total = 0;
	for (int i = 0; i < nd && !stop; i++) {
		long long n = each_in_district(ds[i], cutoff, today, fn, arg, &stop);
		if (n < 0) {
			free(ds);
			return -1;
		}
		total += n;
	}
	free(ds);
	return total;
}

/* ---- the run ---- */

struct changes {
	struct rf_change *v;
	size_t n, cap;
};

static int collect(void *arg, const struct rf_change *c)
{
	struct changes *x = arg;
	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 256;
		struct rf_change *w = realloc(x->v, cap * sizeof *w);
		if (!w)
			return 1;
		x->v = w;
		x->cap = cap;
	}
	x->v[x->n++] = *c;
	return 0;
}

/* The keys (group year, language) whose offers a district's changes may
 * have moved: offered on at the end of its transaction. */
struct keys {
	int n;
	struct {
		int year;
		char language[4];
	} v[64];
};

static int key_add(struct keys *k, int year, const char *language, int district, long long now)
{
	for (int i = 0; i < k->n; i++)
		if (k->v[i].year == year && strcmp(k->v[i].language, language) == 0)
			return 0;
	if (k->n == 64)   /* more keys than a district has group years: offer on now */
		return offer_fill(district, year, language, now) < 0 ? -1 : 0;
	k->v[k->n].year = year;
	u_copy(k->v[k->n].language, sizeof k->v[k->n].language, language);
	k->n++;
	return 0;
}

/* The open offer of an application whose key or category changed lapses,
 * with its history row, as the schema's trigger does on a change of
 * status (sql/140). 0 or -1. */
static int lapse_offer(long long app, long long now)
{
	char ddo[304];
	if (!db_text(ddo, sizeof ddo,
		     "SELECT d.name_ru FROM offer o JOIN free_place f ON f.id = o.place_id JOIN ddo d ON d.id = f.ddo_id "
		     "WHERE o.application_id = ? AND o.status = 'open'",
		     "I", app))
		return 0;
	long long place = db_int("SELECT place_id FROM offer WHERE application_id = ? AND status = 'open'", 0, "I", app);
	char p[24];
	snprintf(p, sizeof p, "%lld", place);
	if (hist_add(app, 0, "system", "offer_cancelled", ddo, p, NULL) < 0)
		return -1;
	return db_exec("UPDATE offer SET status = 'lapsed', closed_at = ? WHERE application_id = ? AND status = 'open'", "II",
		       now, app) == SQLITE_DONE ? 0 : -1;
}

/* The parent's SMS of a change, L.Refresh.sms_<kind> in the account's
 * language, with {app}, {year} and {date}. */
static int tell(const struct rf_change *c, const char *year, const char *date)
{
	char phone[24];
	if (!db_text(phone, sizeof phone, "SELECT phone FROM application WHERE id = ?", "I", c->app_id) || !*phone)
		return 0;
	const char *lang = acct_lang_of_app(c->app_id, NULL);
	char key[40], kind[32];
	snprintf(key, sizeof key, "Refresh.sms_%s", rf_kind_names[c->kind]);
	snprintf(kind, sizeof kind, "refresh_%s", rf_kind_names[c->kind]);
	struct arena *a = arena_new();
	if (!a)
		return -1;
	const char *kv[] = {"app", c->number, "year", year, "date", date, NULL};
	long long id = hist_notify(c->app_id, phone, kind, arena_subst(a, lang_t(lang, key), kv));
	arena_free(a);
	return id < 0 ? -1 : 0;
}

/* One change in the open transaction: 1 made, 0 the application no
 * longer qualifies (changed since it was read), -1 error. */
static int apply(const struct rf_change *c, struct actor who, const char *cutoff, int year, long long now,
		 struct keys *k)
{
	int rc;
	char y[8], ev[32];
	snprintf(y, sizeof y, "%d", year);
	snprintf(ev, sizeof ev, "refresh_%s", rf_kind_names[c->kind]);
	switch (c->kind) {
	case RF_SCHOOL_AGE:
		/* The schema's trigger lapses its open offer (sql/140). */
		rc = db_exec("UPDATE application SET status = 'archived', archive_reason = 'school_age', updated_at = ? "
			     "WHERE id = ? AND status IN ('queued','inactive') "
			     "AND (SELECT birth_date FROM child WHERE id = application.child_id) <= ?",
			     "IIt", now, c->app_id, cutoff);
		break;
	case RF_BENEFIT:
		if (lapse_offer(c->app_id, now) < 0)
			return -1;
		rc = db_exec("UPDATE application SET benefit = 'none', benefit_ground = '', updated_at = ? "
			     "WHERE id = ? AND status IN ('queued','inactive') AND benefit = ? AND benefit_ground = ?",
			     "IItt", now, c->app_id, c->benefit_from, c->ground_from);
		break;
	case RF_GROUP_YEAR:
		if (lapse_offer(c->app_id, now) < 0)
			return -1;
		rc = db_exec("UPDATE application SET group_year = ?, updated_at = ? "
			     "WHERE id = ? AND status IN ('queued','inactive') AND group_year = ?",
			     "iIIi", c->year_to, now, c->app_id, c->year_from);
		break;
	default:
		return -1;
	}
	if (rc != SQLITE_DONE)
		return -1;
	if (db_changes() != 1)
		return 0;
	char from[24], to[24];
	const char *p1 = cutoff, *p2 = y, *date = cutoff;
	if (c->kind == RF_BENEFIT) {
		p1 = c->benefit_from;
		p2 = c->ground_from;
	} else if (c->kind == RF_GROUP_YEAR) {
		snprintf(from, sizeof from, "%d", c->year_from);
		snprintf(to, sizeof to, "%d", c->year_to);
		p1 = from;
		p2 = to;
		date = to;
	}
	char d[11];
	if (c->kind == RF_SCHOOL_AGE) {   /* the SMS names 1 September */
		cal_format_date(cal_days_from_ymd(year, 9, 1), d);
		date = d;
	}
	if (hist_add(c->app_id, who.id, who.role, ev, p1, p2, NULL) < 0 || tell(c, y, date) < 0)
		return -1;
	if (key_add(k, c->year_from, c->language, c->district, now) < 0 ||
	    key_add(k, c->year_to, c->language, c->district, now) < 0)
		return -1;
	return 1;
}

int rf_run_district(struct actor who, int district, int year, long long now, struct rf_tally *t)
{
	char cutoff[11], today[11];
	rf_school_cutoff(year, rf_school_age(), cutoff);
	today_iso(now, today);
	struct changes x = {0};
	struct keys k = {0};
	struct rf_tally mine = {{0}};
	int stop = 0;
	if (db_begin() < 0)
		return -1;
	if (each_in_district(district, cutoff, today, collect, &x, &stop) < 0 || stop)
		goto fail;
	for (size_t i = 0; i < x.n; i++) {
		int rc = apply(&x.v[i], who, cutoff, year, now, &k);
		if (rc < 0)
			goto fail;
		mine.n[x.v[i].kind] += rc;
	}
	for (int i = 0; i < k.n; i++)
		if (offer_fill(district, k.v[i].year, k.v[i].language, now) < 0)
			goto fail;
	if (mine.n[RF_SCHOOL_AGE] + mine.n[RF_BENEFIT] + mine.n[RF_GROUP_YEAR] > 0) {
		char details[128];
		snprintf(details, sizeof details, "year=%d school_age=%lld benefit=%lld group_year=%lld", year,
			 mine.n[RF_SCHOOL_AGE], mine.n[RF_BENEFIT], mine.n[RF_GROUP_YEAR]);
		if (audit_act(who, "queue_refresh", "district", district, "ok", details) < 0)
			goto fail;
	}
	if (db_commit() < 0)
		goto fail;
	free(x.v);
	for (int i = 0; i < RF__MAX; i++)
		t->n[i] += mine.n[i];
	return 0;
fail:
	log_err("refresh of district %d failed: %s", district, db_errmsg());
	db_rollback();
	free(x.v);
	return -1;
}

int rf_run(struct actor who, int year, long long now, struct rf_tally *t)
{
	int nd;
	int *ds = districts(&nd);
	if (!ds)
		return -1;
	int rc = 0;
	for (int i = 0; i < nd && rc == 0; i++)
		rc = rf_run_district(who, ds[i], year, now, t);
	free(ds);
	return rc;
}

long long rf_tick(long long now)
{
	int day = cal_day_from_unix(now), y, m, d;
	cal_ymd_from_days(day, &y, &m, &d);
	int md = wd_month_day(conf_get("Queue.RefreshDate", "06-30"), 630);
	int due = cal_days_from_ymd(y, md / 100, md % 100);
	/* On the day, or in the month after it when no tick ran that day (a
	 * server down): a service first started later in the year does not
	 * refresh a year already under way. */
	if (day < due || day > due + 30)
		return 0;
	long long last = db_job_last("refresh");
	if (last > 0 && cal_day_from_unix(last) >= due)
		return 0;
	struct rf_tally t = {{0}};
	struct actor sys = {0, "system", ""};
	if (rf_run(sys, y, now, &t) < 0 || db_job_done("refresh", now) < 0)
		return -1;
	return t.n[RF_SCHOOL_AGE] + t.n[RF_BENEFIT] + t.n[RF_GROUP_YEAR];
}
