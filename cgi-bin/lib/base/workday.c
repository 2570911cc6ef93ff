/* workday.c — see workday.h. */
#include "base/workday.h"

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

void wd_free(void)
{
	cal_free(&table);
	loaded_version = -1;
}
