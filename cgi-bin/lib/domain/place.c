/* place.c — see place.h. */
#include "domain/place.h"

#include <stdio.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/hist.h"
#include "base/cal.h"
#include "base/conf.h"
#include "base/db.h"
#include "base/log.h"
#include "base/util.h"
#include "base/workday.h"
#include "domain/waitlist.h"

const char *const place_status_names[PLACE_STATUS__MAX + 1] = {"waiting", "free_choice", "exhausted", NULL};
const char *const place_langs[PLACE_LANG__MAX + 1] = {"kk", "ru", "en", NULL};
const char *const place_kinds[PLACE_KIND__MAX + 1] = {"state", "private_subsidised", "mini_centre", NULL};

enum place_status place_status_at(long long now, long long window_until, int free)
{
	if (free <= 0)
		return PLACE_EXHAUSTED;
	return now <= window_until ? PLACE_WAITING : PLACE_FREE_CHOICE;
}

long long place_window_end(long long created_at)
{
	long long days = conf_int("Places.PriorityWindowDays", 3);
	return days > 0 ? wd_end_after(created_at, (int)days) : created_at - 1;
}

static int streq(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

enum place_elig place_open(long long now, long long window_until, int free, int offered)
{
	switch (place_status_at(now, window_until, free)) {
	case PLACE_EXHAUSTED: return PLACE_NO_FREE;
	case PLACE_WAITING: return offered ? PLACE_OK : PLACE_WINDOW;
	default: return PLACE_OK;
	}
}

enum place_elig place_eligible(const struct place_app *a, const struct place_rec *p, int offered, long long now)
{
	if (!streq(a->status, "queued"))
		return PLACE_APP_NOT_QUEUED;
	if (a->district != p->district || a->group_year != p->group_year || !streq(a->language, p->language))
		return PLACE_MISMATCH;
	return place_open(now, p->window_until, p->free, offered);
}

/* ---- the same rules for SQL ---- */

/* kg_place_status(now, window_until, free): the name of place_status_at. */
static void sql_status(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	enum place_status s = place_status_at(sqlite3_value_int64(argv[0]), sqlite3_value_int64(argv[1]),
					      sqlite3_value_int(argv[2]));
	sqlite3_result_text(ctx, place_status_names[s], -1, SQLITE_STATIC);
}

/* kg_place_open(now, window_until, free, offered): 1 when place_open gives
 * PLACE_OK, else 0. */
static void sql_open(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	enum place_elig e = place_open(sqlite3_value_int64(argv[0]), sqlite3_value_int64(argv[1]),
				       sqlite3_value_int(argv[2]), sqlite3_value_int(argv[3]));
	sqlite3_result_int(ctx, e == PLACE_OK);
}

int place_sql_register(sqlite3 *db)
{
	const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
	if (sqlite3_create_function_v2(db, "kg_place_status", 3, flags, NULL, sql_status, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function_v2(db, "kg_place_open", 4, flags, NULL, sql_open, NULL, NULL, NULL) != SQLITE_OK) {
		log_err("cannot register the SQL functions of places: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

/* ---- reading ---- */

/* The row of st into *o. Columns: f.id, f.ddo_id, f.window_until,
 * f.district_id, f.group_year, f.total, f.free, f.language, d.name_ru,
 * d.name_kk, d.address, d.kind. */
static void row_of(sqlite3_stmt *st, long long now, struct place_row *o)
{
	memset(o, 0, sizeof *o);
	o->id = sqlite3_column_int64(st, 0);
	o->ddo_id = sqlite3_column_int64(st, 1);
	o->window_until = sqlite3_column_int64(st, 2);
	o->district = sqlite3_column_int(st, 3);
	o->year = sqlite3_column_int(st, 4);
	o->total = sqlite3_column_int(st, 5);
	o->free = sqlite3_column_int(st, 6);
	snprintf(o->language, sizeof o->language, "%s", db_col(st, 7));
	snprintf(o->ddo_ru, sizeof o->ddo_ru, "%s", db_col(st, 8));
	snprintf(o->ddo_kk, sizeof o->ddo_kk, "%s", db_col(st, 9));
	snprintf(o->address, sizeof o->address, "%s", db_col(st, 10));
	snprintf(o->kind, sizeof o->kind, "%s", db_col(st, 11));
	o->status = place_status_at(now, o->window_until, o->free);
}

int place_get(long long id, long long now, struct place_row *out)
{
	sqlite3_stmt *st = db_query("SELECT f.id, f.ddo_id, f.window_until, f.district_id, f.group_year, f.total, f.free, "
				    "  f.language, d.name_ru, d.name_kk, d.address, d.kind "
				    "FROM free_place f JOIN ddo d ON d.id = f.ddo_id WHERE f.id = ?", "I", id);
	if (!st)
		return -1;
	int found = db_row(st);
	if (found)
		row_of(st, now, out);
	int failed = !found && sqlite3_reset(st) != SQLITE_OK;   /* the step's error, if it was one */
	db_done(st);
	return found ? 1 : failed ? -1 : 0;
}

int place_each_open(const struct place_app *a, const char *lang, long long now, int max,
		    void (*fn)(void *arg, const struct place_row *p), void *arg)
{
	/* The index narrows to the application's records with a free place,
	 * kg_place_open to those it may take (in a window, only the record it
	 * holds an open offer of); place_eligible has the last word. */
	sqlite3_stmt *st = db_query("SELECT f.id, f.ddo_id, f.window_until, f.district_id, f.group_year, f.total, f.free, "
				    "  f.language, d.name_ru, d.name_kk, d.address, d.kind, "
				    "  EXISTS (SELECT 1 FROM offer x WHERE x.application_id = ? AND x.place_id = f.id "
				    "    AND x.status = 'open') AS offered "
				    "FROM free_place f JOIN ddo d ON d.id = f.ddo_id "
				    "WHERE f.district_id = ? AND f.group_year = ? AND f.language = ? AND f.free > 0 "
				    "  AND kg_place_open(?, f.window_until, f.free, offered) "
				    "ORDER BY CASE ? WHEN 'kk' THEN d.name_kk ELSE d.name_ru END, f.created_at, f.id LIMIT ?",
				    "IiitItI", a->id, a->district, a->group_year, a->language, now, lang, (long long)max);
	if (!st)
		return -1;
	int n = 0;
	struct place_row p;
	while (db_row(st)) {
		row_of(st, now, &p);
		struct place_rec rec = {p.district, p.year, p.language, p.free, p.window_until};
		if (place_eligible(a, &rec, sqlite3_column_int(st, 12), now) != PLACE_OK)
			continue;
		fn(arg, &p);
		n++;
	}
	int failed = sqlite3_reset(st) != SQLITE_OK;
	db_done(st);
	return failed ? -1 : n;
}

long long place_waiting(const struct place_app *a, long long now, long long *until)
{
	*until = 0;
	sqlite3_stmt *st = db_query("SELECT count(*), coalesce(min(window_until), 0) FROM free_place "
				    "WHERE district_id = ? AND group_year = ? AND language = ? AND free > 0 "
				    "  AND kg_place_status(?, window_until, free) = 'waiting'",
				    "iitI", a->district, a->group_year, a->language, now);
	if (!db_row(st)) {
		db_done(st);
		return -1;
	}
	long long n = sqlite3_column_int64(st, 0);
	*until = sqlite3_column_int64(st, 1);
	db_done(st);
	return n;
}

int place_each_in_window(int district, int group_year, const char *language, long long now,
			 void (*fn)(void *arg, const struct place_win *w), void *arg)
{
	sqlite3_stmt *st = db_query("SELECT f.id, f.window_until, f.free, d.name_ru, d.name_kk "
				    "FROM free_place f JOIN ddo d ON d.id = f.ddo_id "
				    "WHERE f.district_id = ? AND f.group_year = ? AND f.language = ? AND f.free > 0 "
				    "  AND f.window_until >= ? ORDER BY f.created_at, f.id",
				    "iitI", district, group_year, language, now);
	if (!st)
		return -1;
	int n = 0;
	struct place_win w;
	while (db_row(st)) {
		w.id = sqlite3_column_int64(st, 0);
		w.window_until = sqlite3_column_int64(st, 1);
		w.free = sqlite3_column_int(st, 2);
		u_copy(w.ddo_ru, sizeof w.ddo_ru, db_col(st, 3));
		u_copy(w.ddo_kk, sizeof w.ddo_kk, db_col(st, 4));
		if (place_status_at(now, w.window_until, w.free) != PLACE_WAITING)
			continue;
		fn(arg, &w);
		n++;
	}
	return db_end(st) < 0 ? -1 : n;
}

int place_window_keys(long long now, int max, struct place_key *out)
{
	sqlite3_stmt *st = db_query("SELECT DISTINCT f.district_id, f.group_year, f.language FROM free_place f "
				    "WHERE f.status = 'waiting' AND f.window_until >= ? AND f.free > "
				    "  (SELECT count(*) FROM offer o WHERE o.place_id = f.id AND o.status = 'open') LIMIT ?",
				    "II", now, (long long)max);
	int n = 0;
	while (db_row(st) && n < max) {
		out[n].district = sqlite3_column_int(st, 0);
		out[n].group_year = sqlite3_column_int(st, 1);
		u_copy(out[n].language, sizeof out[n].language, db_col(st, 2));
		n++;
	}
	return db_end(st) < 0 ? -1 : n;
}

int place_tally(int district, long long now, struct place_tally out[PLACE_STATUS__MAX])
{
	/* Counted here, record by record, rather than grouped in SQL: a GROUP
	 * BY on the status builds a sorter of every record in memory (several
	 * MB for the whole region), which the worker's heap then keeps. */
	memset(out, 0, PLACE_STATUS__MAX * sizeof *out);
	sqlite3_stmt *st = district
		? db_query("SELECT window_until, free, total FROM free_place WHERE district_id = ?", "i", district)
		: db_query("SELECT window_until, free, total FROM free_place", NULL);
	if (!st)
		return -1;
	while (db_row(st)) {
		int free = sqlite3_column_int(st, 1);
		struct place_tally *t = &out[place_status_at(now, sqlite3_column_int64(st, 0), free)];
		t->records++;
		t->places += sqlite3_column_int(st, 2);
		t->free += free;
	}
	int failed = sqlite3_reset(st) != SQLITE_OK;
	db_done(st);
	return failed ? -1 : 0;
}

void place_year_range(long long now, int *min, int *max)
{
	int y, m, d;
	cal_ymd_from_days(cal_day_from_unix(now), &y, &m, &d);
	long long age = conf_int("Queue.MaxAgeYears", 7);
	if (age < 0 || age > 20)
		age = 7;
	*max = y;
	*min = y - (int)age;
}

int place_add(struct actor who, long long ddo_id, int group_year, const char *language, int total,
	      const char *form_token, int (*then)(long long place_id, long long now), long long *id)
{
	*id = 0;
	long long now = u_now();
	long long window_until = place_window_end(now);
	if (window_until < 0) {
		log_err("place_add: the working-day calendar cannot be read");
		return -1;
	}
	long long account = who.id;
	if (wd_freeze(now, NULL, NULL)) {
		audit_act(who, "place_add", "ddo", ddo_id, "frozen", "");
		return PLACE_ADD_FROZEN;
	}
	if (db_begin() < 0)
		return -1;
	/* A confirmation already saved: say so, save nothing. */
	long long dup = db_int("SELECT id FROM free_place WHERE form_token = ?", 0, "t", form_token);
	if (dup) {
		db_rollback();
		*id = dup;
		return PLACE_ADD_DUPLICATE;
	}
	/* The membership is part of the INSERT: no row for someone else's DDO. */
	int rc = db_exec("INSERT INTO free_place(ddo_id, district_id, group_year, language, total, free, created_by, "
			 "created_at, window_until, status, form_token) "
			 "SELECT d.id, d.district_id, ?, ?, ?, ?, s.account_id, ?, ?, ?, ? "
			 "FROM ddo d JOIN ddo_staff s ON s.ddo_id = d.id AND s.account_id = ? "
			 "WHERE d.id = ? AND d.active = 1",
			 "itiiIIttII", group_year, language, total, total, now, window_until,
			 place_status_names[place_status_at(now, window_until, total)], form_token, account, ddo_id);
	if (rc != SQLITE_DONE)
		goto fail;
	if (db_changes() != 1) {
		db_rollback();
		audit_act(who, "place_add", "ddo", ddo_id, "not_member", "");
		return PLACE_ADD_NOT_MEMBER;
	}
	*id = db_last_id();
	char details[160];
	snprintf(details, sizeof details, "ddo=%lld year=%d language=%s total=%d", ddo_id, group_year, language, total);
	if (audit_act(who, "place_add", "free_place", *id, "ok", details) < 0)
		goto fail;
	/* The places go, in the same transaction, to the next applicants in
	 * queue order (offer.h). */
	if (then && then(*id, now) < 0)
		goto fail;
	/* Those on the DDO's waiting list hear of it (waitlist.h). */
	if (wl_place_saved(*id, now) < 0)
		goto fail;
	if (db_commit() < 0)
		goto fail;
	return 0;
fail:
	db_rollback();
	*id = 0;
	log_err("place_add failed: %s", db_errmsg());
	return -1;
}

int place_fix_status(long long place_id, long long now)
{
	int rc = db_exec("UPDATE free_place SET status = kg_place_status(?, window_until, free) "
			 "WHERE id = ? AND status <> kg_place_status(?, window_until, free)",
			 "III", now, place_id, now);
	return rc == SQLITE_DONE ? 0 : -1;
}

int place_refresh_status(long long now)
{
	/* Look first (indexed, no write lock), write only when something is due.
	 * A stored 'waiting' whose window_until < now is place_status_at's
	 * "window over" in the form the partial index free_place_waiting
	 * answers. */
	long long due = db_int("SELECT count(*) FROM (SELECT 1 FROM free_place WHERE status = 'waiting' AND window_until < ? "
			       "UNION ALL SELECT 1 FROM free_place WHERE status = 'exhausted' AND free > 0 LIMIT 1)",
			       -1, "I", now);
	if (due <= 0)
		return due < 0 ? -1 : 0;
	if (db_begin() < 0)
		return -1;
	int n = 0;
	if (db_exec("UPDATE free_place SET status = kg_place_status(?, window_until, free) "
		    "WHERE status = 'waiting' AND window_until < ?", "II", now, now) != SQLITE_DONE)
		goto fail;
	n += db_changes();
	if (db_exec("UPDATE free_place SET status = kg_place_status(?, window_until, free) "
		    "WHERE status = 'exhausted' AND free > 0", "I", now) != SQLITE_DONE)
		goto fail;
	n += db_changes();
	if (db_commit() < 0)
		goto fail;
	return n;
fail:
	db_rollback();
	log_err("place_refresh_status failed: %s", db_errmsg());
	return -1;
}

int place_withdrawn(long long place_id)
{
	return db_int("SELECT withdrawn_at IS NOT NULL FROM free_place WHERE id = ?", 0, "I", place_id) == 1;
}

int place_each_withdrawable(int district, int max, void (*fn)(void *arg, const struct place_wd_row *w), void *arg)
{
	sqlite3_stmt *st = db_query("SELECT f.id, f.created_at, coalesce(f.withdrawn_at, 0), f.group_year, f.total, f.free, "
				    "  f.language, d.name_ru, d.name_kk, coalesce(f.withdrawn_reason, '') "
				    "FROM free_place f JOIN ddo d ON d.id = f.ddo_id WHERE f.district_id = ? "
				    "  AND (f.withdrawn_at IS NOT NULL OR (f.free = f.total "
				    "    AND NOT EXISTS (SELECT 1 FROM referral x WHERE x.free_place_id = f.id))) "
				    "ORDER BY f.created_at DESC, f.id DESC LIMIT ?",
				    "iI", district, (long long)max);
	int n = 0;
	struct place_wd_row w;
	while (db_row(st)) {
		memset(&w, 0, sizeof w);
		w.id = sqlite3_column_int64(st, 0);
		w.created_at = sqlite3_column_int64(st, 1);
		w.withdrawn_at = sqlite3_column_int64(st, 2);
		w.year = sqlite3_column_int(st, 3);
		w.total = sqlite3_column_int(st, 4);
		w.free = sqlite3_column_int(st, 5);
		u_copy(w.language, sizeof w.language, db_col(st, 6));
		u_copy(w.ddo_ru, sizeof w.ddo_ru, db_col(st, 7));
		u_copy(w.ddo_kk, sizeof w.ddo_kk, db_col(st, 8));
		u_copy(w.reason, sizeof w.reason, db_col(st, 9));
		fn(arg, &w);
		n++;
	}
	return db_end(st) < 0 ? -1 : n;
}

int place_withdraw(struct actor who, long long id, const char *reason, long long now)
{
	if (db_begin() < 0)
		return -1;
	int rc = PLACE_WD_NO;
	if (!db_int("SELECT count(*) FROM free_place WHERE id = ? AND withdrawn_at IS NULL", 0, "I", id))
		goto refused;
	rc = PLACE_WD_REFERRED;
	if (db_int("SELECT count(*) FROM referral WHERE free_place_id = ?", 1, "I", id))
		goto refused;
	/* Its open offers lapse, each with its history row. */
	sqlite3_stmt *st = db_query("SELECT o.application_id, d.name_ru FROM offer o JOIN free_place f ON f.id = o.place_id "
				    "JOIN ddo d ON d.id = f.ddo_id WHERE o.place_id = ? AND o.status = 'open'",
				    "I", id);
	char p[24];
	snprintf(p, sizeof p, "%lld", id);
	int failed = 0;
	while (!failed && db_row(st))
		failed = hist_add(sqlite3_column_int64(st, 0), 0, "system", "offer_cancelled", db_col(st, 1), p, NULL) < 0;
	if (failed) {
		db_done(st);
		goto fail;
	}
	if (db_end(st) < 0 ||
	    db_exec("UPDATE offer SET status = 'lapsed', closed_at = ? WHERE place_id = ? AND status = 'open'", "II", now,
		    id) != SQLITE_DONE)
		goto fail;
	/* The schema's trigger free_place_withdraw checks it once more. */
	if (db_exec("UPDATE free_place SET free = 0, withdrawn_at = ?, withdrawn_by = ?, withdrawn_reason = ? "
		    "WHERE id = ? AND withdrawn_at IS NULL",
		    "IItI", now, who.id, reason, id) != SQLITE_DONE ||
	    db_changes() != 1)
		goto fail;
	if (audit_act(who, "place_withdraw", "free_place", id, "ok", reason) < 0 || db_commit() < 0)
		goto fail;
	return 0;
refused:
	db_rollback();
	audit_act(who, "place_withdraw", "free_place", id, rc == PLACE_WD_NO ? "no_record" : "referred", "");
	return rc;
fail:
	db_rollback();
	log_err("place_withdraw of %lld failed: %s", id, db_errmsg());
	return -1;
}

long long place_departed_since(long long ddo_id)
{
	return db_int("SELECT count(*) FROM enrollment WHERE ddo_id = ? AND departed_on IS NOT NULL "
		      "AND departed_at > coalesce((SELECT max(created_at) FROM free_place WHERE ddo_id = ?), -1)",
		      -1, "II", ddo_id, ddo_id);
}
