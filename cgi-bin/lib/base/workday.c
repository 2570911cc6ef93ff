/* workday.c — see workday.h. */
#include "base/workday.h"

#include <string.h>

#include "base/conf.h"
#include "base/db.h"
#include "base/log.h"

static struct cal table;
static unsigned long long loaded_version;
static int loaded;

const struct cal *wd_calendar(void)
{
	unsigned long long v;
	if (db_version(&v) < 0)
		return NULL;
	if (loaded && v == loaded_version)
		return &table;
	cal_free(&table);
	cal_init(&table);
	sqlite3_stmt *st = db_query("SELECT day, kind FROM holiday ORDER BY day", NULL);
	int ok = st != NULL;
	while (db_row(st)) {
		int day;
		enum cal_kind kind;
		if (cal_parse_iso(db_col(st, 0), &day) < 0 || cal_parse_kind(db_col(st, 1), &kind) < 0 ||
		    cal_add(&table, day, kind) < 0) {
			log_err("holiday row %s %s cannot be read", db_col(st, 0), db_col(st, 1));
			ok = 0;
		}
	}
	db_done(st);
	loaded = ok;
	if (!ok)
		return NULL;
	loaded_version = v;
	return &table;
}

long long wd_end_after(long long ts, int n)
{
	const struct cal *c = wd_calendar();
	if (!c || n < 1)
		return -1;
	int day = cal_add_working_days(c, cal_day_from_unix(ts), n);
	if (day == CAL_NO_DAY)
		return -1;
	return cal_unix_from_day(day + 1) - 1;
}

int wd_days_left(long long ts, long long deadline)
{
	const struct cal *c = wd_calendar();
	if (!c)
		return 0;
	return cal_working_days_between(c, cal_day_from_unix(ts), cal_day_from_unix(deadline));
}

int wd_is_working(long long ts)
{
	const struct cal *c = wd_calendar();
	return c ? cal_is_working(c, cal_day_from_unix(ts)) : -1;
}

int wd_month_day(const char *s, int def)
{
	if (!s || strlen(s) != 5 || s[2] != '-')
		return def;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return def;
	int m = (s[0] - '0') * 10 + (s[1] - '0'), d = (s[3] - '0') * 10 + (s[4] - '0');
	return cal_valid_ymd(2000, m, d) ? m * 100 + d : def;
}

/* The day of month-day md in year y (29 February of a common year: 1 March). */
static int day_of(int y, int md) { return cal_days_from_ymd(y, md / 100, md % 100); }

int wd_in_period(int day, int from_md, int to_md, int *from, int *to)
{
	int y, m, d;
	cal_ymd_from_days(day, &y, &m, &d);
	/* The period that starts in this year or in the one before (a period
	 * over the new year). */
	for (int start = y; start >= y - 1; start--) {
		int f = day_of(start, from_md);
		int t = day_of(to_md >= from_md ? start : start + 1, to_md);
		if (day >= f && day <= t) {
			if (from)
				*from = f;
			if (to)
				*to = t;
			return 1;
		}
	}
	return 0;
}

int wd_freeze(long long ts, int *from, int *to)
{
	int f = wd_month_day(conf_get("Places.FreezeFrom", "08-01"), 801);
	int t = wd_month_day(conf_get("Places.FreezeTo", "08-31"), 831);
	return wd_in_period(cal_day_from_unix(ts), f, t, from, to);
}

void wd_free(void)
{
	cal_free(&table);
	loaded_version = -1;
}
