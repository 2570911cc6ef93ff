/* holiday.c — see holiday.h. */
#include "domain/holiday.h"

#include <stdio.h>

#include "base/db.h"
#include "domain/audit.h"

const char *const hol_err_names[HOL_ERR__MAX] = {
	[HOL_OK] = "ok",
	[HOL_ERR_DB] = "db",
	[HOL_ERR_EXISTS] = "exists",
	[HOL_ERR_WORK_DAY_WEEKDAY] = "work_day_weekday",
	[HOL_ERR_DAY_OFF_WEEKEND] = "day_off_weekend",
	[HOL_ERR_NOT_FOUND] = "not_found",
	[HOL_ERR_KIND] = "kind",
};

static const char *str(const char *s) { return s ? s : ""; }

/* The row of iso: 1 (kind and name_ru into the buffers when given), 0,
 * -1. */
static int find(const char *iso, char *kind, size_t nk, char *name, size_t nn)
{
	sqlite3_stmt *st = db_query("SELECT kind, name_ru FROM holiday WHERE day = ?", "t", iso);
	if (!st)
		return -1;
	int found = db_row(st);
	if (found && kind)
		snprintf(kind, nk, "%s", db_col(st, 0));
	if (found && name)
		snprintf(name, nn, "%s", db_col(st, 1));
	int failed = db_end(st);
	return found ? 1 : failed;
}

enum hol_err hol_check(int day, enum cal_kind kind)
{
	char iso[11];
	cal_format_iso(day, iso);
	int f = find(iso, NULL, 0, NULL, 0);
	if (f < 0)
		return HOL_ERR_DB;
	if (f)
		return HOL_ERR_EXISTS;
	int wday = cal_weekday(day);
	if (kind == CAL_WORK_DAY && wday < 6)
		return HOL_ERR_WORK_DAY_WEEKDAY;
	if (kind == CAL_DAY_OFF && wday >= 6)
		return HOL_ERR_DAY_OFF_WEEKEND;
	return HOL_OK;
}

static enum hol_err rollback(enum hol_err e)
{
	db_rollback();
	return e;
}

enum hol_err hol_add(struct actor by, int day, enum cal_kind kind, const char *name_ru, const char *name_kk)
{
	if ((unsigned)kind >= CAL_KIND__MAX)
		return HOL_ERR_KIND;
	if (db_begin() < 0)
		return HOL_ERR_DB;
	enum hol_err e = hol_check(day, kind);
	if (e != HOL_OK)
		return rollback(e);
	char iso[11], det[600];
	cal_format_iso(day, iso);
	snprintf(det, sizeof det, "%s %s %s", iso, cal_kind_names[kind], str(name_ru));
	if (db_exec("INSERT INTO holiday(day, kind, name_ru, name_kk) VALUES (?, ?, ?, ?)", "tttt", iso,
		    cal_kind_names[kind], str(name_ru), str(name_kk)) != SQLITE_DONE ||
	    audit_act(by, "holiday_added", "holiday", 0, "ok", det) < 0 || db_commit() < 0)
		return rollback(HOL_ERR_DB);
	return HOL_OK;
}

enum hol_err hol_delete(struct actor by, int day)
{
	char iso[11], kind[16] = "", name[256] = "", det[600];
	cal_format_iso(day, iso);
	if (db_begin() < 0)
		return HOL_ERR_DB;
	int f = find(iso, kind, sizeof kind, name, sizeof name);
	if (f < 0)
		return rollback(HOL_ERR_DB);
	if (!f)
		return rollback(HOL_ERR_NOT_FOUND);
	snprintf(det, sizeof det, "%s %s %s", iso, kind, name);
	if (db_exec("DELETE FROM holiday WHERE day = ?", "t", iso) != SQLITE_DONE || db_changes() != 1 ||
	    audit_act(by, "holiday_deleted", "holiday", 0, "ok", det) < 0 || db_commit() < 0)
		return rollback(HOL_ERR_DB);
	return HOL_OK;
}

static void bounds(int year, char from[11], char to[11])
{
	snprintf(from, 11, "%04d-01-01", year);
	snprintf(to, 11, "%04d-12-31", year);
}

long long hol_count_year(int year)
{
	char from[11], to[11];
	bounds(year, from, to);
	sqlite3_stmt *st = db_query("SELECT count(*) FROM holiday WHERE day >= ? AND day <= ?", "tt", from, to);
	if (!st)
		return -1;
	long long n = db_row(st) ? sqlite3_column_int64(st, 0) : -1;
	if (db_end(st) < 0)
		n = -1;
	return n;
}

int hol_each_year(int year, void (*fn)(void *arg, const struct hol_row *row), void *arg)
{
	char from[11], to[11];
	bounds(year, from, to);
	sqlite3_stmt *st = db_query("SELECT day, kind, name_ru, name_kk FROM holiday WHERE day >= ? AND day <= ? "
				    "ORDER BY day",
				    "tt", from, to);
	if (!st)
		return -1;
	int n = 0;
	while (db_row(st)) {
		struct hol_row row = {db_col(st, 0), db_col(st, 1), db_col(st, 2), db_col(st, 3)};
		fn(arg, &row);
		n++;
	}
	return db_end(st) < 0 ? -1 : n;
}
