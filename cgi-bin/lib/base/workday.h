/*
 * workday.h — the Kazakhstan working-day calendar of this deployment: the
 * pure rules of cal.h over the rows of the `holiday` table (which support
 * edits in /admin), loaded once per process and again whenever the table
 * may have changed (db_version, db.h). Every deadline and window of the
 * service is computed here, in one place:
 *   the referral deadline   wd_end_after(issued_at, Referral.DeadlineWorkingDays)
 *   the priority window     wd_end_after(created_at, Places.PriorityWindowDays)
 * Prefix wd_.
 */
#ifndef KG_WORKDAY_H
#define KG_WORKDAY_H

#include "base/cal.h"

/* The calendar, fresh from the table. NULL only when the table cannot be
 * read (logged); callers then fail closed. */
const struct cal *wd_calendar(void);

/* The last second (23:59:59 local time) of the n-th working day after the
 * local day of ts (n >= 1): an action "within n working days" may happen
 * up to this instant. -1 on error. */
long long wd_end_after(long long ts, int n);

/* Working days left from the day of ts to the day of deadline (0 on the
 * last day itself; negative once it has passed). */
int wd_days_left(long long ts, long long deadline);

/* Is the local day of ts a working day? 1, 0, or -1 on error. */
int wd_is_working(long long ts);

/* The August transfer period (DOMAIN.md, "The year of the queue"): new
 * free places are not published and places are not chosen from
 * Places.FreezeFrom to Places.FreezeTo inclusive (month-day "MM-DD",
 * default 08-01 and 08-31; a period may run over the new year, 12-20 to
 * 01-10). Is the local day of ts in it? 1 or 0; when 1, *from and *to
 * (either may be NULL) are the period's first and last day (cal.h day
 * numbers) around ts. A setting that is not a month-day falls back to its
 * default. The one rule every screen and the domain ask. */
int wd_freeze(long long ts, int *from, int *to);
/* The same rule, pure: is day in the period from_md..to_md (month * 100 +
 * day, e.g. 801 and 831)? */
int wd_in_period(int day, int from_md, int to_md, int *from, int *to);

/* A setting "MM-DD" as month * 100 + day, or def when it is not a real
 * month-day (29 February counts: it exists in some years). */
int wd_month_day(const char *s, int def);

/* Drops the loaded table (end of process). */
void wd_free(void);

#endif
