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

/* Drops the loaded table (end of process). */
void wd_free(void);

#endif
