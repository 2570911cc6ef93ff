/*
 * cal.c -- civil dates and the Kazakhstan working-day calendar.
 * See cal.h for the contract of every public function.
 */
#include "base/cal.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *const cal_kind_names[CAL_KIND__MAX] = {
	[CAL_HOLIDAY] = "holiday",
	[CAL_DAY_OFF] = "day_off",
	[CAL_WORK_DAY] = "work_day",
};

/* Floor division and its non-negative remainder, for b > 0. */
static long long
floor_div(long long a, long long b)
{
	long long q = a / b;

	if ((a % b) != 0 && (a < 0))
		q--;
	return q;
}

static long long
floor_mod(long long a, long long b)
{
	return a - floor_div(a, b) * b;
}

/* ---- civil dates ----------------------------------------------------- */

/*
 * The Gregorian calendar repeats every 400 years = 146097 days.  Counting
 * the year from 1 March puts the leap day at the end of the year, so the
 * day of the year is a fixed function of the month: the month lengths
 * from March (31 30 31 30 31 31 30 31 30 31 31 28/29) give
 * days_before(mp) = (153 * mp + 2) / 5 for mp = 0 (March) .. 11 (Feb).
 * 719468 is the number of days from 0000-03-01 to 1970-01-01.
 */
int
cal_days_from_ymd(int y, int m, int d)
{
	long long yy = (long long)y - (m <= 2);
	long long era = floor_div(yy, 400);
	long long yoe = yy - era * 400;                     /* 0..399 */
	long long mp = (m + 9) % 12;                        /* March = 0 */
	long long doy = (153 * mp + 2) / 5 + (long long)d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (int)(era * 146097 + doe - 719468);
}

void
cal_ymd_from_days(int days, int *y, int *m, int *d)
{
	long long z = (long long)days + 719468;
	long long era = floor_div(z, 146097);
	long long doe = z - era * 146097;                   /* 0..146096 */
	/* Year of the era: undo the 4/100/400 leap corrections. */
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153;                 /* March = 0 */
	long long mm = mp < 10 ? mp + 3 : mp - 9;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)mm;
	*y = (int)(yoe + era * 400 + (mm <= 2));
}

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
cal_valid_ymd(int y, int m, int d)
{
	static const unsigned char len[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	if (m == 2 && is_leap(y))
		return d <= 29;
	return d <= len[m - 1];
}

int
cal_weekday(int days)
{
	/* 1970-01-01 was a Thursday (4). */
	return (int)floor_mod((long long)days + 3, 7) + 1;
}

static int
in_range(long long day)
{
	return day >= CAL_MIN_DAY && day <= CAL_MAX_DAY;
}

/* Read exactly n ASCII digits at s into *out; 0 ok, -1 otherwise.
 * Stops at a NUL, so it never reads past the end of the string. */
static int
digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Shared tail of both parsers: check and convert a parsed y-m-d. */
static int
parsed(int y, int m, int d, int *days)
{
	if (!cal_valid_ymd(y, m, d))
		return -1;
	if (days != NULL)
		*days = cal_days_from_ymd(y, m, d);
	return 0;
}

int
cal_parse_date(const char *s, int *days)
{
	int y, m, d;

	if (s == NULL)
		return -1;
	/* The checks run left to right and each stops at a NUL, so a short
	 * string fails before anything past its end is read. */
	if (digits(s, 2, &d) != 0 || s[2] != '.' ||
	    digits(s + 3, 2, &m) != 0 || s[5] != '.' ||
	    digits(s + 6, 4, &y) != 0 || s[10] != '\0')
		return -1;
	return parsed(y, m, d, days);
}

int
cal_parse_iso(const char *s, int *days)
{
	int y, m, d;

	if (s == NULL)
		return -1;
	if (digits(s, 4, &y) != 0 || s[4] != '-' ||
	    digits(s + 5, 2, &m) != 0 || s[7] != '-' ||
	    digits(s + 8, 2, &d) != 0 || s[10] != '\0')
		return -1;
	return parsed(y, m, d, days);
}

/* Write v as exactly n decimal digits (v >= 0 and < 10^n). */
static void
put_digits(char *out, int n, int v)
{
	for (int i = n - 1; i >= 0; i--) {
		out[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

void
cal_format_date(int days, char out[11])
{
	int y, m, d;

	if (!in_range(days)) {
		memcpy(out, "00.00.0000", 11);
		return;
	}
	cal_ymd_from_days(days, &y, &m, &d);
	put_digits(out, 2, d);
	out[2] = '.';
	put_digits(out + 3, 2, m);
	out[5] = '.';
	put_digits(out + 6, 4, y);
	out[10] = '\0';
}

void
cal_format_iso(int days, char out[11])
{
	int y, m, d;

	if (!in_range(days)) {
		memcpy(out, "0000-00-00", 11);
		return;
	}
	cal_ymd_from_days(days, &y, &m, &d);
	put_digits(out, 4, y);
	out[4] = '-';
	put_digits(out + 5, 2, m);
	out[7] = '-';
	put_digits(out + 8, 2, d);
	out[10] = '\0';
}

int
cal_day_from_unix(long long t)
{
	long long day;

	/* Keep t + offset from overflowing; such t are far out of range. */
	if (t > LLONG_MAX - CAL_UTC_OFFSET)
		return CAL_NO_DAY;
	day = floor_div(t + CAL_UTC_OFFSET, 86400);
	return in_range(day) ? (int)day : CAL_NO_DAY;
}

long long
cal_unix_from_day(int days)
{
	return (long long)days * 86400 - CAL_UTC_OFFSET;
}

/* ---- the working-day calendar ---------------------------------------- */

int
cal_parse_kind(const char *s, enum cal_kind *kind)
{
	if (s == NULL)
		return -1;
	for (int k = 0; k < CAL_KIND__MAX; k++) {
		if (strcmp(s, cal_kind_names[k]) == 0) {
			*kind = (enum cal_kind)k;
			return 0;
		}
	}
	return -1;
}

void
cal_init(struct cal *c)
{
	c->v = NULL;
	c->n = 0;
	c->cap = 0;
}

void
cal_free(struct cal *c)
{
	free(c->v);
	cal_init(c);
}

/* Index of the first entry whose day is > day (0..n). */
static size_t
upper_bound(const struct cal *c, long long day)
{
	size_t lo = 0, hi = c->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->v[mid].day <= day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Index of the first entry whose day is >= day (0..n). */
static size_t
lower_bound(const struct cal *c, long long day)
{
	return upper_bound(c, day - 1);
}

int
cal_add(struct cal *c, int day, enum cal_kind kind)
{
	size_t i;

	if (!in_range(day) || (int)kind < 0 || (int)kind >= CAL_KIND__MAX) {
		errno = EINVAL;
		return -1;
	}
	i = lower_bound(c, day);
	if (i < c->n && c->v[i].day == day) {
		c->v[i].kind = kind;
		return 0;
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct cal_special *v;

		if (cap < c->cap || cap > SIZE_MAX / sizeof(*v)) {
			errno = ENOMEM;
			return -1;
		}
		v = realloc(c->v, cap * sizeof(*v));
		if (v == NULL) {
			errno = ENOMEM;
			return -1;
		}
		c->v = v;
		c->cap = cap;
	}
	memmove(&c->v[i + 1], &c->v[i], (c->n - i) * sizeof(c->v[0]));
	c->v[i].day = day;
	c->v[i].kind = kind;
	c->n++;
	return 0;
}

const struct cal_special *
cal_find(const struct cal *c, int day)
{
	size_t i = lower_bound(c, day);

	if (i < c->n && c->v[i].day == day)
		return &c->v[i];
	return NULL;
}

static int
plain_working(long long day)
{
	return floor_mod(day + 3, 7) < 5; /* Monday..Friday */
}

static int
special_working(const struct cal_special *s)
{
	return s->kind == CAL_WORK_DAY;
}

int
cal_is_working(const struct cal *c, int day)
{
	const struct cal_special *s = cal_find(c, day);

	return s != NULL ? special_working(s) : plain_working(day);
}

/*
 * Plain weekday arithmetic (no table).  W(x) counts the weekdays up to and
 * including x from a fixed Monday origin, extended to all x so that
 * W(x) - W(x - 1) is 1 on Monday..Friday and 0 on weekends.  Then the
 * weekdays in (a, b] are W(b) - W(a), and the x with W(x) = t that is a
 * weekday is found by inverting W.  1970-01-05 (day 4) was a Monday.
 */
#define MONDAY_ORIGIN 4

static long long
weekdays_upto(long long x)
{
	long long t = x - MONDAY_ORIGIN;
	long long w = floor_div(t, 7);
	long long r = t - 7 * w;                  /* 0 = Monday .. 6 */

	return 5 * w + (r < 5 ? r + 1 : 5);
}

/* The weekday x with weekdays_upto(x) == count. */
static long long
weekday_numbered(long long count)
{
	long long w = floor_div(count - 1, 5);
	long long r = (count - 1) - 5 * w;        /* 0..4 */

	return MONDAY_ORIGIN + 7 * w + r;
}

/* What a table entry changes in a count of working days. */
static int
adjustment(const struct cal_special *s)
{
	return special_working(s) - plain_working(s->day);
}

int
cal_add_working_days(const struct cal *c, int day, int n)
{
	long long pos = day, left = n, cand;
	size_t i;

	if (n < 1 || !in_range(day))
		return CAL_NO_DAY;
	/*
	 * Invariant: `left` working days are still needed strictly after
	 * `pos`, and c->v[i] is the first entry after `pos`.  Each turn
	 * either answers or moves `pos` onto the next entry, so the loop runs
	 * at most (entries after day) + 1 times, whatever n is.
	 */
	i = upper_bound(c, pos);
	for (;;) {
		/* The answer if no entry lies between pos and it. */
		cand = weekday_numbered(weekdays_upto(pos) + left);
		if (i == c->n || c->v[i].day > cand)
			break;
		/* Plain days before the entry, then the entry itself. */
		left -= weekdays_upto(c->v[i].day - 1) - weekdays_upto(pos);
		pos = c->v[i].day;
		if (special_working(&c->v[i]) && --left == 0) {
			cand = pos;
			break;
		}
		i++;
	}
	return cand <= CAL_MAX_DAY ? (int)cand : CAL_NO_DAY;
}

int
cal_working_days_between(const struct cal *c, int from, int to)
{
	long long a = from, b = to, count;
	int sign = 1;
	size_t i, end;

	if (a > b) {
		long long t = a;

		a = b;
		b = t;
		sign = -1;
	}
	if (a < CAL_MIN_DAY)
		a = CAL_MIN_DAY;
	if (b > CAL_MAX_DAY)
		b = CAL_MAX_DAY;
	if (a >= b)
		return 0;
	count = weekdays_upto(b) - weekdays_upto(a);
	end = upper_bound(c, b);
	for (i = upper_bound(c, a); i < end; i++)
		count += adjustment(&c->v[i]);
	return sign * (int)count;
}
