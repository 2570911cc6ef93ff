/*
 * cal.h -- civil dates and the Kazakhstan working-day calendar.
 *
 * Pure functions: no database, no clock, no global state, no locale.
 * Another module loads the rows of the `holiday` table (sql/001, data in
 * sql/003_holidays.sql, editable by the support role) and hands them to
 * cal_add(); this module answers "is this a working day", "what is the
 * n-th working day after that one" and "how many working days between".
 *
 * DAYS.  A day is an `int`: the number of days since 1970-01-01 in the
 * proleptic Gregorian calendar (1970-01-01 = 0, 1969-12-31 = -1).  It is
 * a LOCAL date in Kazakhstan (UTC+5 since 2024-03-01); it is not a time
 * of day.  Convert a Unix time with cal_day_from_unix().
 *
 * SUPPORTED RANGE.  The formatting, parsing and calendar functions work
 * on the years 0001..9999, i.e. CAL_MIN_DAY..CAL_MAX_DAY.  Functions that
 * return a day return CAL_NO_DAY when they cannot give a day in range.
 *
 * WEEKDAYS.  ISO numbering: 1 = Monday .. 7 = Sunday.  Saturday and
 * Sunday are days off (the five-day week of the Labour Code), unless the
 * calendar table says otherwise.
 *
 * THE TABLE.  `struct cal` holds the special days, sorted by day, one
 * entry per day:
 *   CAL_HOLIDAY   a public holiday (праздничный день) or a religious
 *                 non-working day (Kurban Ait, Orthodox Christmas); it is
 *                 non-working whatever its weekday.  A holiday on a
 *                 Saturday or Sunday moves nothing by itself: the moved day
 *                 off is a separate CAL_DAY_OFF row (that is how the data
 *                 in sql/003_holidays.sql is written).
 *   CAL_DAY_OFF   a day made non-working by a transfer (перенос): the day
 *                 after a holiday that fell on a weekend, or a Government
 *                 decree.  Non-working whatever its weekday.
 *   CAL_WORK_DAY  a day made working by a transfer (usually a Saturday).
 *                 Working whatever its weekday.
 * The kind alone decides; the weekday only matters for days not in the
 * table.
 *
 * MEMORY.  struct cal owns its array `v`; cal_free() releases it.  No
 * other function allocates.  A `struct cal` may be read by several
 * threads at once; writing (cal_add) needs exclusive access.
 *
 * DATABASE TEXT.  cal_kind_names[] gives the `holiday.kind` strings;
 * cal_parse_kind() maps them back; cal_parse_iso()/cal_format_iso() map
 * `holiday.day`.
 */
#ifndef KG_CAL_H
#define KG_CAL_H

#include <stddef.h>

/* 0001-01-01 and 9999-12-31 as day numbers; CAL_NO_DAY is below both. */
#define CAL_MIN_DAY (-719162)
#define CAL_MAX_DAY 2932896
#define CAL_NO_DAY  (-2147483647 - 1) /* INT_MIN */

/* Offset of Kazakhstan's single time zone from UTC, in seconds. */
#define CAL_UTC_OFFSET (5 * 3600)

/* ---- civil dates ----------------------------------------------------- */

/* Day number of year y, month m (1..12), day d (1..31).
 * No validation: check the date with cal_valid_ymd() first.  m must be
 * 1..12; d is added linearly, so d = 0 or d past the month's end give the
 * neighbouring days.  Exact for every y whose result fits an int. */
int cal_days_from_ymd(int y, int m, int d);

/* Inverse of cal_days_from_ymd(): stores year, month 1..12, day 1..31.
 * Any int is accepted.  None of the pointers may be NULL. */
void cal_ymd_from_days(int days, int *y, int *m, int *d);

/* 1 if y-m-d is a real date with 1 <= y <= 9999 (leap years: divisible by
 * 4, except centuries not divisible by 400), else 0. */
int cal_valid_ymd(int y, int m, int d);

/* ISO weekday of a day number: 1 = Monday .. 7 = Sunday.  Any int. */
int cal_weekday(int days);

/* Parse "dd.mm.yyyy" (the UI format) strictly: exactly two digits, '.',
 * two digits, '.', four digits, then the end of the string; no spaces, no
 * signs, no missing leading zeros; the date must be real (cal_valid_ymd).
 * Returns 0 and stores the day number in *days (if days is not NULL);
 * returns -1 and leaves *days alone on any error, including s == NULL. */
int cal_parse_date(const char *s, int *days);

/* Same for "yyyy-mm-dd" (ISO 8601 calendar date, as SQLite's date()). */
int cal_parse_iso(const char *s, int *days);

/* Write "dd.mm.yyyy" / "yyyy-mm-dd" and a NUL into out (11 bytes).
 * Outside CAL_MIN_DAY..CAL_MAX_DAY writes "00.00.0000" / "0000-00-00":
 * visible, never an overflow, and rejected by the parsers. */
void cal_format_date(int days, char out[11]);
void cal_format_iso(int days, char out[11]);

/* Local (UTC+5) calendar day containing the Unix time t (seconds since
 * 1970-01-01T00:00:00Z), rounding towards the past for negative t.
 * Returns CAL_NO_DAY if the day is outside CAL_MIN_DAY..CAL_MAX_DAY. */
int cal_day_from_unix(long long t);

/* Unix time of local midnight (00:00 UTC+5) at the start of `days`. */
long long cal_unix_from_day(int days);

/* ---- the working-day calendar ---------------------------------------- */

enum cal_kind {
	CAL_HOLIDAY,   /* public or religious holiday: non-working */
	CAL_DAY_OFF,   /* made non-working by a transfer */
	CAL_WORK_DAY,  /* made working by a transfer (a weekend day) */
	CAL_KIND__MAX
};

/* "holiday", "day_off", "work_day": the values of holiday.kind. */
extern const char *const cal_kind_names[CAL_KIND__MAX];

/* Map a holiday.kind string to the enum.  Returns 0 and stores *kind, or
 * -1 (s NULL or not one of cal_kind_names, compared exactly). */
int cal_parse_kind(const char *s, enum cal_kind *kind);

struct cal_special {
	int day;
	enum cal_kind kind;
};

struct cal {
	struct cal_special *v; /* sorted by day ascending, days unique */
	size_t n, cap;         /* entries used, entries allocated */
};

/* Make an empty calendar (plain weekends only).  Allocates nothing. */
void cal_init(struct cal *c);

/* Release the array and leave *c empty, as after cal_init(); c may be
 * used again.  Safe to call twice. */
void cal_free(struct cal *c);

/* Put `day` in the table as `kind`, replacing any entry for that day.
 * Returns 0 on success; -1 with errno = EINVAL if day is outside
 * CAL_MIN_DAY..CAL_MAX_DAY or kind is not a valid enum value; -1 with
 * errno = ENOMEM if the array could not grow (the table is unchanged).
 * Cost: O(log n) to find, O(n) to insert in the middle; loading rows in
 * ascending day order (ORDER BY day) appends in amortised O(1). */
int cal_add(struct cal *c, int day, enum cal_kind kind);

/* The table entry for `day`, or NULL if the day is not special.  The
 * pointer is valid until the next cal_add() or cal_free(). O(log n). */
const struct cal_special *cal_find(const struct cal *c, int day);

/* 1 if `day` is a working day, else 0.  A day in the table: CAL_WORK_DAY
 * is working, CAL_HOLIDAY and CAL_DAY_OFF are not.  Any other day:
 * Monday..Friday working, Saturday and Sunday not.  O(log n). */
int cal_is_working(const struct cal *c, int day);

/* The n-th working day strictly after `day` (n = 1: the next working
 * day).  For the referral deadline: cal_add_working_days(c, issued, 5).
 * Returns CAL_NO_DAY if n < 1, if day is outside CAL_MIN_DAY..CAL_MAX_DAY
 * or if the answer would be after CAL_MAX_DAY.
 * Bounded whatever the table and n: it jumps over plain weeks
 * arithmetically and visits each table entry after `day` at most once,
 * so it is O(log n_table + entries between day and the answer), never a
 * day-by-day walk; a table that makes a long stretch non-working costs
 * only its own length. */
int cal_add_working_days(const struct cal *c, int day, int n);

/* Working days in the half-open interval (from, to]: from excluded, to
 * included.  Antisymmetric: if to < from the result is minus the count
 * in (to, from]; from == to gives 0.  So
 *     cal_working_days_between(c, d, cal_add_working_days(c, d, n)) == n.
 * Days outside CAL_MIN_DAY..CAL_MAX_DAY are clamped to that range.
 * O(log n_table + table entries in the interval). */
int cal_working_days_between(const struct cal *c, int from, int to);

#endif /* KG_CAL_H */
