/*
 * test_cal.c -- unit tests of cgi-bin/lib/base/cal.c (dates and working days).
 *
 * Holiday data: the tests that need Kazakhstan's real calendar build it
 * from kz_days[] below, a copy of the rows of sql/003_holidays.sql.  The
 * test sql_file_matches_test_table reads that SQL file (where: see
 * open_sql) and fails if the two differ, so a change to the data must be
 * made in both places; it is skipped when the file cannot be found.
 *
 * Build: gcc -std=c11 -D_GNU_SOURCE ... -Icgi-bin/lib tests/unit/test_cal.c
 *        cgi-bin/lib/base/cal.c -lcmocka
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/cal.h"

/* ---- helpers ---------------------------------------------------------- */

static int
day_of(int y, int m, int d)
{
	return cal_days_from_ymd(y, m, d);
}

/* "dd.mm.yyyy" -> day; the test fails on a bad literal. */
static int
D(const char *s)
{
	int day = CAL_NO_DAY;

	assert_int_equal(cal_parse_date(s, &day), 0);
	return day;
}

/* Compare days as dates so that a failure prints readable dates. */
#define assert_day_equal(got, want_str) do { \
	char g_[11], w_[11]; \
	cal_format_date((got), g_); \
	cal_format_date(D(want_str), w_); \
	assert_string_equal(g_, w_); \
} while (0)

/* The rows of sql/003_holidays.sql (kept equal by a test below). */
static const struct {
	const char *iso;
	enum cal_kind kind;
} kz_days[] = {
	/* 2026: official egov calendar, without 30.08/31.08 (new Constitution) */
	{ "2026-01-01", CAL_HOLIDAY }, { "2026-01-02", CAL_HOLIDAY },
	{ "2026-01-07", CAL_HOLIDAY }, { "2026-03-08", CAL_HOLIDAY },
	{ "2026-03-09", CAL_DAY_OFF }, { "2026-03-21", CAL_HOLIDAY },
	{ "2026-03-22", CAL_HOLIDAY }, { "2026-03-23", CAL_HOLIDAY },
	{ "2026-03-24", CAL_DAY_OFF }, { "2026-03-25", CAL_DAY_OFF },
	{ "2026-05-01", CAL_HOLIDAY }, { "2026-05-07", CAL_HOLIDAY },
	{ "2026-05-09", CAL_HOLIDAY }, { "2026-05-11", CAL_DAY_OFF },
	{ "2026-05-27", CAL_HOLIDAY }, { "2026-07-06", CAL_HOLIDAY },
	{ "2026-10-25", CAL_HOLIDAY }, { "2026-10-26", CAL_DAY_OFF },
	{ "2026-12-16", CAL_HOLIDAY },
	/* 2027: derived from the Law and the Labour Code */
	{ "2027-01-01", CAL_HOLIDAY }, { "2027-01-02", CAL_HOLIDAY },
	{ "2027-01-04", CAL_DAY_OFF }, { "2027-01-07", CAL_HOLIDAY },
	{ "2027-03-08", CAL_HOLIDAY }, { "2027-03-15", CAL_HOLIDAY },
	{ "2027-03-21", CAL_HOLIDAY }, { "2027-03-22", CAL_HOLIDAY },
	{ "2027-03-23", CAL_HOLIDAY }, { "2027-03-24", CAL_DAY_OFF },
	{ "2027-05-01", CAL_HOLIDAY }, { "2027-05-03", CAL_DAY_OFF },
	{ "2027-05-07", CAL_HOLIDAY }, { "2027-05-09", CAL_HOLIDAY },
	{ "2027-05-10", CAL_DAY_OFF }, { "2027-05-16", CAL_HOLIDAY },
	{ "2027-07-06", CAL_HOLIDAY }, { "2027-10-25", CAL_HOLIDAY },
	{ "2027-12-16", CAL_HOLIDAY },
};
#define KZ_N (sizeof(kz_days) / sizeof(kz_days[0]))

static int
kz_setup(void **state)
{
	struct cal *c = malloc(sizeof(*c));

	if (c == NULL)
		return -1;
	cal_init(c);
	for (size_t i = 0; i < KZ_N; i++) {
		int day;

		if (cal_parse_iso(kz_days[i].iso, &day) != 0 ||
		    cal_add(c, day, kz_days[i].kind) != 0) {
			cal_free(c);
			free(c);
			return -1;
		}
	}
	*state = c;
	return 0;
}

static int
kz_teardown(void **state)
{
	struct cal *c = *state;

	cal_free(c);
	free(c);
	return 0;
}

static int
empty_setup(void **state)
{
	struct cal *c = malloc(sizeof(*c));

	if (c == NULL)
		return -1;
	cal_init(c);
	*state = c;
	return 0;
}

/* Day-by-day reference implementation, for cross-checks only. */
static int
naive_add(const struct cal *c, int day, int n)
{
	while (n > 0) {
		day++;
		if (cal_is_working(c, day))
			n--;
	}
	return day;
}

/* ---- civil dates ------------------------------------------------------ */

static void
epoch_is_day_zero(void **state)
{
	(void)state;
	assert_int_equal(day_of(1970, 1, 1), 0);
	assert_int_equal(day_of(1969, 12, 31), -1);
	assert_int_equal(day_of(2000, 3, 1), 11017);
	assert_int_equal(day_of(1, 1, 1), CAL_MIN_DAY);
	assert_int_equal(day_of(9999, 12, 31), CAL_MAX_DAY);
}

static void
round_trip_every_day_1900_to_2100(void **state)
{
	int first = day_of(1900, 1, 1), last = day_of(2100, 12, 31);
	int py = 1899, pm = 12, pd = 31;

	(void)state;
	for (int day = first; day <= last; day++) {
		int y, m, d;

		cal_ymd_from_days(day, &y, &m, &d);
		assert_true(cal_valid_ymd(y, m, d));
		assert_int_equal(cal_days_from_ymd(y, m, d), day);
		/* The next date after the previous one, with no gap. */
		if (d == 1) {
			assert_true(m == pm % 12 + 1);
			assert_int_equal(y, m == 1 ? py + 1 : py);
			assert_false(cal_valid_ymd(py, pm, pd + 1));
		} else {
			assert_int_equal(y, py);
			assert_int_equal(m, pm);
			assert_int_equal(d, pd + 1);
		}
		py = y, pm = m, pd = d;
	}
	assert_int_equal(py, 2100);
	/* 201 years = 73414 days (49 leap years: 1904..2096, not 1900/2100). */
	assert_int_equal(last - first + 1, 201 * 365 + 49);
}

static void
leap_days_follow_gregorian_rules(void **state)
{
	(void)state;
	assert_true(cal_valid_ymd(2000, 2, 29));   /* divisible by 400 */
	assert_true(cal_valid_ymd(2024, 2, 29));
	assert_true(cal_valid_ymd(2028, 2, 29));
	assert_false(cal_valid_ymd(1900, 2, 29));  /* century */
	assert_false(cal_valid_ymd(2100, 2, 29));
	assert_false(cal_valid_ymd(2026, 2, 29));
	assert_int_equal(day_of(2000, 2, 29) + 1, day_of(2000, 3, 1));
	assert_int_equal(day_of(2100, 2, 28) + 1, day_of(2100, 3, 1));
	assert_int_equal(day_of(2024, 12, 31) - day_of(2024, 1, 1), 365);
}

static void
valid_ymd_rejects_out_of_range_fields(void **state)
{
	(void)state;
	assert_false(cal_valid_ymd(2026, 0, 1));
	assert_false(cal_valid_ymd(2026, 13, 1));
	assert_false(cal_valid_ymd(2026, 1, 0));
	assert_false(cal_valid_ymd(2026, 4, 31));
	assert_false(cal_valid_ymd(0, 1, 1));
	assert_false(cal_valid_ymd(10000, 1, 1));
	assert_true(cal_valid_ymd(2026, 1, 31));
}

static void
weekday_of_known_dates(void **state)
{
	(void)state;
	assert_int_equal(cal_weekday(day_of(1970, 1, 1)), 4);   /* Thu */
	assert_int_equal(cal_weekday(day_of(1969, 12, 28)), 7); /* Sun */
	assert_int_equal(cal_weekday(day_of(1900, 1, 1)), 1);   /* Mon */
	assert_int_equal(cal_weekday(day_of(2000, 1, 1)), 6);   /* Sat */
	assert_int_equal(cal_weekday(day_of(1991, 12, 16)), 1); /* Mon */
	assert_int_equal(cal_weekday(day_of(2026, 1, 1)), 4);   /* Thu */
	assert_int_equal(cal_weekday(day_of(2026, 3, 21)), 6);  /* Sat */
	assert_int_equal(cal_weekday(day_of(2027, 3, 21)), 7);  /* Sun */
	assert_int_equal(cal_weekday(CAL_MIN_DAY), 1);          /* 0001-01-01 Mon */
}

static void
parse_date_accepts_real_dates(void **state)
{
	int day = 0;

	(void)state;
	assert_int_equal(cal_parse_date("21.03.2026", &day), 0);
	assert_int_equal(day, day_of(2026, 3, 21));
	assert_int_equal(cal_parse_date("29.02.2024", &day), 0);
	assert_int_equal(day, day_of(2024, 2, 29));
	assert_int_equal(cal_parse_date("01.01.0001", &day), 0);
	assert_int_equal(day, CAL_MIN_DAY);
	assert_int_equal(cal_parse_date("31.12.9999", &day), 0);
	assert_int_equal(day, CAL_MAX_DAY);
	assert_int_equal(cal_parse_date("31.12.9999", NULL), 0);
}

static void
parse_date_rejects_impossible_dates(void **state)
{
	(void)state;
	assert_int_equal(cal_parse_date("31.02.2026", NULL), -1);
	assert_int_equal(cal_parse_date("29.02.2026", NULL), -1);
	assert_int_equal(cal_parse_date("29.02.2100", NULL), -1);
	assert_int_equal(cal_parse_date("31.04.2026", NULL), -1);
	assert_int_equal(cal_parse_date("00.01.2026", NULL), -1);
	assert_int_equal(cal_parse_date("01.00.2026", NULL), -1);
	assert_int_equal(cal_parse_date("01.13.2026", NULL), -1);
	assert_int_equal(cal_parse_date("01.01.0000", NULL), -1);
}

static void
parse_date_rejects_missing_leading_zeros(void **state)
{
	(void)state;
	assert_int_equal(cal_parse_date("1.2.2026", NULL), -1);
	assert_int_equal(cal_parse_date("01.2.2026", NULL), -1);
	assert_int_equal(cal_parse_date("1.02.2026", NULL), -1);
}

static void
parse_date_rejects_two_digit_year(void **state)
{
	(void)state;
	assert_int_equal(cal_parse_date("01.02.26", NULL), -1);
	assert_int_equal(cal_parse_date("01.02.026", NULL), -1);
}

static void
parse_date_rejects_trailing_garbage(void **state)
{
	(void)state;
	assert_int_equal(cal_parse_date("01.02.2026x", NULL), -1);
	assert_int_equal(cal_parse_date("01.02.2026 ", NULL), -1);
	assert_int_equal(cal_parse_date("01.02.20261", NULL), -1);
	assert_int_equal(cal_parse_date("01.02.2026\n", NULL), -1);
}

static void
parse_date_rejects_non_digits(void **state)
{
	(void)state;
	assert_int_equal(cal_parse_date("0a.02.2026", NULL), -1);
	assert_int_equal(cal_parse_date("01.02.2O26", NULL), -1);
	assert_int_equal(cal_parse_date("+1.02.2026", NULL), -1);
	assert_int_equal(cal_parse_date(" 1.02.2026", NULL), -1);
	assert_int_equal(cal_parse_date("01-02-2026", NULL), -1);
	assert_int_equal(cal_parse_date("01/02/2026", NULL), -1);
	assert_int_equal(cal_parse_date("", NULL), -1);
	assert_int_equal(cal_parse_date("01.", NULL), -1);
	assert_int_equal(cal_parse_date(NULL, NULL), -1);
}

static void
parse_failure_leaves_output_untouched(void **state)
{
	int day = 12345;

	(void)state;
	assert_int_equal(cal_parse_date("31.02.2026", &day), -1);
	assert_int_equal(day, 12345);
	assert_int_equal(cal_parse_iso("2026-02-31", &day), -1);
	assert_int_equal(day, 12345);
}

static void
parse_iso_is_strict(void **state)
{
	int day = 0;

	(void)state;
	assert_int_equal(cal_parse_iso("2026-03-21", &day), 0);
	assert_int_equal(day, day_of(2026, 3, 21));
	assert_int_equal(cal_parse_iso("2026-3-21", NULL), -1);
	assert_int_equal(cal_parse_iso("26-03-21", NULL), -1);
	assert_int_equal(cal_parse_iso("2026/03/21", NULL), -1);
	assert_int_equal(cal_parse_iso("2026-03-21T00:00", NULL), -1);
	assert_int_equal(cal_parse_iso("2026-03-21 ", NULL), -1);
	assert_int_equal(cal_parse_iso("2026-02-30", NULL), -1);
	assert_int_equal(cal_parse_iso("21.03.2026", NULL), -1);
	assert_int_equal(cal_parse_iso("", NULL), -1);
	assert_int_equal(cal_parse_iso(NULL, NULL), -1);
}

static void
format_and_parse_round_trip_1900_to_2100(void **state)
{
	char dmy[11], iso[11];

	(void)state;
	cal_format_date(day_of(2026, 3, 9), dmy);
	assert_string_equal(dmy, "09.03.2026");
	cal_format_iso(day_of(2026, 3, 9), iso);
	assert_string_equal(iso, "2026-03-09");
	cal_format_iso(CAL_MIN_DAY, iso);
	assert_string_equal(iso, "0001-01-01");
	for (int day = day_of(1900, 1, 1); day <= day_of(2100, 12, 31); day++) {
		int a = 0, b = 0;

		cal_format_date(day, dmy);
		cal_format_iso(day, iso);
		assert_int_equal(cal_parse_date(dmy, &a), 0);
		assert_int_equal(cal_parse_iso(iso, &b), 0);
		assert_int_equal(a, day);
		assert_int_equal(b, day);
	}
}

static void
format_out_of_range_is_visible_and_unparsable(void **state)
{
	char out[11];

	(void)state;
	cal_format_date(CAL_MAX_DAY + 1, out);
	assert_string_equal(out, "00.00.0000");
	assert_int_equal(cal_parse_date(out, NULL), -1);
	cal_format_iso(CAL_NO_DAY, out);
	assert_string_equal(out, "0000-00-00");
	assert_int_equal(cal_parse_iso(out, NULL), -1);
}

static void
unix_time_maps_to_kazakhstan_local_day(void **state)
{
	(void)state;
	/* 1970-01-01T00:00Z is 05:00 in Kazakhstan. */
	assert_int_equal(cal_day_from_unix(0), 0);
	assert_int_equal(cal_day_from_unix(-5 * 3600), 0);
	assert_int_equal(cal_day_from_unix(-5 * 3600 - 1), -1);
	assert_int_equal(cal_day_from_unix(19 * 3600 - 1), 0);
	assert_int_equal(cal_day_from_unix(19 * 3600), 1);
	/* 2026-03-20T19:00:00Z = midnight of 21.03.2026 in Astana. */
	assert_int_equal(cal_day_from_unix(1774033200LL), day_of(2026, 3, 21));
	assert_int_equal(cal_unix_from_day(day_of(2026, 3, 21)), 1774033200LL);
	assert_int_equal(cal_day_from_unix(LLONG_MAX), CAL_NO_DAY);
	assert_int_equal(cal_day_from_unix(LLONG_MIN), CAL_NO_DAY);
}

/* ---- the table --------------------------------------------------------- */

static void
kind_names_round_trip(void **state)
{
	enum cal_kind k = CAL_HOLIDAY;

	(void)state;
	for (int i = 0; i < CAL_KIND__MAX; i++) {
		assert_int_equal(cal_parse_kind(cal_kind_names[i], &k), 0);
		assert_int_equal((int)k, i);
	}
	assert_string_equal(cal_kind_names[CAL_DAY_OFF], "day_off");
	assert_int_equal(cal_parse_kind("Holiday", &k), -1);
	assert_int_equal(cal_parse_kind("holiday ", &k), -1);
	assert_int_equal(cal_parse_kind(NULL, &k), -1);
}

static void
add_keeps_days_sorted_unique_and_replaces(void **state)
{
	struct cal *c = *state;
	int days[] = { 50, 10, 30, 20, 40, 10, 30 };

	for (size_t i = 0; i < sizeof(days) / sizeof(days[0]); i++)
		assert_int_equal(cal_add(c, days[i], CAL_HOLIDAY), 0);
	assert_int_equal(cal_add(c, 30, CAL_WORK_DAY), 0);
	assert_int_equal((int)c->n, 5);
	for (size_t i = 0; i < c->n; i++)
		assert_int_equal(c->v[i].day, 10 * (int)(i + 1));
	assert_int_equal(cal_find(c, 30)->kind, CAL_WORK_DAY);
	assert_null(cal_find(c, 31));
	cal_free(c);
	assert_int_equal((int)c->n, 0);
	assert_null(c->v);
	cal_free(c); /* twice is harmless */
	assert_int_equal(cal_add(c, 7, CAL_DAY_OFF), 0); /* usable again */
	cal_free(c);
}

static void
add_rejects_bad_day_and_kind(void **state)
{
	struct cal *c = *state;

	errno = 0;
	assert_int_equal(cal_add(c, CAL_MAX_DAY + 1, CAL_HOLIDAY), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(cal_add(c, CAL_NO_DAY, CAL_HOLIDAY), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(cal_add(c, 0, CAL_KIND__MAX), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal((int)c->n, 0);
	cal_free(c);
}

static void
add_grows_past_initial_capacity(void **state)
{
	struct cal *c = *state;

	/* Descending order: every insert goes to the front. */
	for (int d = 1000; d > 0; d--)
		assert_int_equal(cal_add(c, d, CAL_DAY_OFF), 0);
	assert_int_equal((int)c->n, 1000);
	for (size_t i = 0; i < c->n; i++)
		assert_int_equal(c->v[i].day, (int)i + 1);
	cal_free(c);
}

/* ---- working days ------------------------------------------------------ */

static void
plain_weekends_are_not_working(void **state)
{
	struct cal *c = *state;
	int mon = D("02.03.2026");

	for (int i = 0; i < 5; i++)
		assert_true(cal_is_working(c, mon + i));
	assert_false(cal_is_working(c, mon + 5)); /* Saturday */
	assert_false(cal_is_working(c, mon + 6)); /* Sunday */
	assert_day_equal(cal_add_working_days(c, D("06.03.2026"), 1), "09.03.2026");
	assert_day_equal(cal_add_working_days(c, D("07.03.2026"), 1), "09.03.2026");
	assert_day_equal(cal_add_working_days(c, D("08.03.2026"), 5), "13.03.2026");
	cal_free(c);
}

static void
holiday_on_weekday_is_skipped(void **state)
{
	struct cal *c = *state;

	/* Kurban Ait, Wednesday 27.05.2026. */
	assert_true(cal_is_working(c, D("26.05.2026")));
	assert_false(cal_is_working(c, D("27.05.2026")));
	assert_day_equal(cal_add_working_days(c, D("26.05.2026"), 1), "28.05.2026");
	/* Tue 26.05 + 5: 28, 29, 01.06, 02.06, 03.06. */
	assert_day_equal(cal_add_working_days(c, D("26.05.2026"), 5), "03.06.2026");
}

static void
transferred_day_off_is_skipped(void **state)
{
	struct cal *c = *state;

	/* 9 May 2026 is a Saturday: Monday 11.05 is the day off. */
	assert_false(cal_is_working(c, D("11.05.2026")));
	assert_int_equal(cal_find(c, D("11.05.2026"))->kind, CAL_DAY_OFF);
	assert_day_equal(cal_add_working_days(c, D("08.05.2026"), 1), "12.05.2026");
}

static void
transferred_working_saturday_counts(void **state)
{
	struct cal *c = *state;

	/* A decree like 2023's: Saturday 01.07 worked, Friday 07.07 off. */
	assert_int_equal(cal_add(c, D("01.07.2023"), CAL_WORK_DAY), 0);
	assert_int_equal(cal_add(c, D("06.07.2023"), CAL_HOLIDAY), 0);
	assert_int_equal(cal_add(c, D("07.07.2023"), CAL_DAY_OFF), 0);
	assert_true(cal_is_working(c, D("01.07.2023")));
	assert_false(cal_is_working(c, D("02.07.2023")));
	assert_day_equal(cal_add_working_days(c, D("30.06.2023"), 1), "01.07.2023");
	/* Fri 30.06 + 5: Sat 01.07, 03, 04, 05, then 10.07 (06/07 off). */
	assert_day_equal(cal_add_working_days(c, D("30.06.2023"), 5), "10.07.2023");
	assert_int_equal(cal_working_days_between(c, D("30.06.2023"), D("10.07.2023")), 5);
	cal_free(c);
}

static void
deadline_issued_on_friday(void **state)
{
	struct cal *c = *state;

	/* No holiday that fortnight: Fri + 5 working days = next Fri. */
	assert_day_equal(cal_add_working_days(c, D("06.02.2026"), 5), "13.02.2026");
	/* Fri 06.03.2026: 9 March is the day off for Sunday's 8 March. */
	assert_day_equal(cal_add_working_days(c, D("06.03.2026"), 5), "16.03.2026");
}

static void
deadline_across_new_year_issued_29_12_2026(void **state)
{
	struct cal *c = *state;

	/* 30, 31.12; 01-02.01 New Year (02.01.2027 is a Saturday, so Monday
	 * 04.01 is a day off); 05, 06; 07.01 Christmas; 08.01 is the fifth. */
	assert_day_equal(cal_add_working_days(c, D("29.12.2026"), 5), "08.01.2027");
}

static void
deadline_across_new_year_issued_31_12_2026(void **state)
{
	struct cal *c = *state;

	/* 05, 06, 08, 11, 12 January 2027. */
	assert_day_equal(cal_add_working_days(c, D("31.12.2026"), 5), "12.01.2027");
}

static void
deadline_across_nauryz_issued_19_03_2026(void **state)
{
	struct cal *c = *state;

	/* 20.03 (Fri), then 21-23 Nauryz, 24-25 days off for 21-22: 26, 27,
	 * 30, 31. */
	assert_day_equal(cal_add_working_days(c, D("19.03.2026"), 5), "31.03.2026");
}

static void
deadline_across_nauryz_issued_20_03_2027(void **state)
{
	struct cal *c = *state;

	/* Saturday 20.03.2027; 21 (Sun) - 23 Nauryz, 24 day off for the 21st:
	 * 25, 26, 29, 30, 31. */
	assert_day_equal(cal_add_working_days(c, D("20.03.2027"), 5), "31.03.2027");
}

static void
priority_window_of_three_working_days(void **state)
{
	struct cal *c = *state;

	/* A free place published Friday 20.03.2026 leaves `waiting` after 3
	 * working days: 26, 27, 30 March. */
	assert_day_equal(cal_add_working_days(c, D("20.03.2026"), 3), "30.03.2026");
}

static void
working_days_between_two_dates(void **state)
{
	struct cal *c = *state;

	assert_int_equal(cal_working_days_between(c, D("19.03.2026"), D("31.03.2026")), 5);
	assert_int_equal(cal_working_days_between(c, D("31.03.2026"), D("19.03.2026")), -5);
	assert_int_equal(cal_working_days_between(c, D("19.03.2026"), D("19.03.2026")), 0);
	/* (from, to]: a holiday `to` adds nothing, a working `from` neither. */
	assert_int_equal(cal_working_days_between(c, D("20.03.2026"), D("25.03.2026")), 0);
	assert_int_equal(cal_working_days_between(c, D("19.03.2026"), D("20.03.2026")), 1);
	/* January 2026: 19 working days, as the published calendar says. */
	assert_int_equal(cal_working_days_between(c, D("31.12.2025"), D("31.01.2026")), 19);
}

static void
working_days_in_2026_match_official_count(void **state)
{
	struct cal *c = *state;

	/* The egov calendar published 246 working days for 2026 (five-day
	 * week), counting 31.08 as the day off for Constitution Day; with
	 * 30 August no longer a holiday, 31.08.2026 is worked: 247. */
	assert_int_equal(cal_working_days_between(c, D("31.12.2025"), D("31.12.2026")), 247);
	assert_true(cal_is_working(c, D("31.08.2026")));
	/* 2027 (derived): 261 weekdays less 14 non-working ones. */
	assert_int_equal(cal_working_days_between(c, D("31.12.2026"), D("31.12.2027")), 261 - 14);
}

static void
religious_holiday_on_weekend_moves_nothing(void **state)
{
	struct cal *c = *state;

	/* Kurban Ait 2027 (estimated) is Sunday 16.05: Monday 17.05 works. */
	assert_false(cal_is_working(c, D("16.05.2027")));
	assert_true(cal_is_working(c, D("17.05.2027")));
}

static void
between_is_inverse_of_add(void **state)
{
	struct cal *c = *state;
	int first = D("01.12.2025"), last = D("31.01.2028");

	for (int day = first; day <= last; day++) {
		for (int n = 1; n <= 12; n++) {
			int r = cal_add_working_days(c, day, n);

			assert_true(cal_is_working(c, r));
			assert_int_equal(cal_working_days_between(c, day, r), n);
			assert_int_equal(cal_working_days_between(c, day, r - 1), n - 1);
		}
	}
}

static void
add_matches_day_by_day_walk_on_random_tables(void **state)
{
	struct cal *c = *state;
	unsigned seed = 20260319u;

	for (int round = 0; round < 50; round++) {
		cal_free(c);
		for (int i = 0; i < 150; i++) {
			seed = seed * 1103515245u + 12345u;
			int day = 20000 + (int)((seed >> 8) % 400);
			seed = seed * 1103515245u + 12345u;
			assert_int_equal(cal_add(c, day, (enum cal_kind)((seed >> 8) % 3)), 0);
		}
		for (int day = 19990; day < 20420; day += 7) {
			for (int n = 1; n <= 200; n += 13) {
				int want = naive_add(c, day, n);

				assert_int_equal(cal_add_working_days(c, day, n), want);
				assert_int_equal(cal_working_days_between(c, day, want), n);
			}
		}
	}
	cal_free(c);
}

static void
add_is_bounded_with_a_silly_table(void **state)
{
	struct cal *c = *state;
	int start = D("01.01.2026");

	/* 300 000 days off in a row (to the year 2847): the answer is the
	 * first plain weekday after them, found without walking n days. */
	for (int i = 1; i <= 300000; i++)
		assert_int_equal(cal_add(c, start + i, CAL_DAY_OFF), 0);
	int r = cal_add_working_days(c, start, 1);
	assert_true(r > start + 300000);
	assert_true(r <= start + 300003);
	assert_true(cal_is_working(c, r));
	assert_int_equal(cal_working_days_between(c, start, r), 1);
	cal_free(c);
}

static void
add_handles_any_n(void **state)
{
	struct cal *c = *state;
	int start = D("01.01.2026");

	assert_int_equal(cal_add_working_days(c, start, 0), CAL_NO_DAY);
	assert_int_equal(cal_add_working_days(c, start, -5), CAL_NO_DAY);
	assert_int_equal(cal_add_working_days(c, start, INT_MAX), CAL_NO_DAY);
	assert_int_equal(cal_add_working_days(c, CAL_NO_DAY, 1), CAL_NO_DAY);
	assert_int_equal(cal_add_working_days(c, CAL_MAX_DAY, 1), CAL_NO_DAY);
	/* A million working days (~3833 years) from 2026, across the table. */
	int r = cal_add_working_days(c, start, 1000000);
	assert_true(r != CAL_NO_DAY);
	assert_int_equal(cal_working_days_between(c, start, r), 1000000);
	assert_true(cal_is_working(c, r));
}

static void
between_clamps_out_of_range_days(void **state)
{
	struct cal *c = *state;

	assert_int_equal(cal_working_days_between(c, CAL_NO_DAY, CAL_MIN_DAY), 0);
	assert_int_equal(cal_working_days_between(c, INT_MIN, INT_MAX),
	    cal_working_days_between(c, CAL_MIN_DAY, CAL_MAX_DAY));
	assert_true(cal_working_days_between(c, CAL_MIN_DAY, CAL_MAX_DAY) > 2500000);
}

/* ---- the SQL reference data ------------------------------------------- */

/*
 * The SQL file, looked for in this order: $KG_TOP/sql/003_holidays.sql;
 * sql/003_holidays.sql from the current directory (make runs tests from
 * the top); beside this source file's own path (../../sql), which works
 * from anywhere when the compiler was given an absolute path.
 */
static FILE *
open_sql(void)
{
	static const char rel[] = "sql/003_holidays.sql";
	static const char self[] = "tests/unit/test_cal.c";
	const char *top = getenv("KG_TOP");
	const char *file = __FILE__;
	size_t flen = strlen(file), slen = strlen(self);
	char path[4096];
	FILE *f;
	int len;

	if (top != NULL && *top != '\0') {
		len = snprintf(path, sizeof(path), "%s/%s", top, rel);
		return len > 0 && (size_t)len < sizeof(path) ? fopen(path, "r") : NULL;
	}
	if ((f = fopen(rel, "r")) != NULL)
		return f;
	if (flen > slen && strcmp(file + flen - slen, self) == 0) {
		len = snprintf(path, sizeof(path), "%.*s%s",
		    (int)(flen - slen), file, rel);
		if (len > 0 && (size_t)len < sizeof(path))
			return fopen(path, "r");
	}
	return NULL;
}

static void
sql_file_matches_test_table(void **state)
{
	struct cal *c = *state;
	FILE *f = open_sql();
	char line[1024];
	size_t rows = 0;

	if (f == NULL)
		skip();
	/* Rows look like: ('2026-01-01', 'holiday', 'name ru', 'name kk'), */
	while (fgets(line, sizeof(line), f) != NULL) {
		char iso[11], kind[16];
		enum cal_kind k;
		int day;
		const struct cal_special *s;

		if (strncmp(line, "('", 2) != 0)
			continue;
		if (sscanf(line, "('%10[0-9-]', '%15[a-z_]'", iso, kind) != 2)
			fail_msg("unreadable row: %s", line);
		if (cal_parse_iso(iso, &day) != 0)
			fail_msg("bad date in row: %s", line);
		if (cal_parse_kind(kind, &k) != 0)
			fail_msg("bad kind in row: %s", line);
		s = cal_find(c, day);
		if (s == NULL || s->kind != k)
			fail_msg("row not in kz_days[] (or other kind): %s", line);
		rows++;
	}
	fclose(f);
	assert_int_equal((int)rows, (int)KZ_N);
	assert_int_equal((int)c->n, (int)KZ_N); /* no duplicate days */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(epoch_is_day_zero),
		cmocka_unit_test(round_trip_every_day_1900_to_2100),
		cmocka_unit_test(leap_days_follow_gregorian_rules),
		cmocka_unit_test(valid_ymd_rejects_out_of_range_fields),
		cmocka_unit_test(weekday_of_known_dates),
		cmocka_unit_test(parse_date_accepts_real_dates),
		cmocka_unit_test(parse_date_rejects_impossible_dates),
		cmocka_unit_test(parse_date_rejects_missing_leading_zeros),
		cmocka_unit_test(parse_date_rejects_two_digit_year),
		cmocka_unit_test(parse_date_rejects_trailing_garbage),
		cmocka_unit_test(parse_date_rejects_non_digits),
		cmocka_unit_test(parse_failure_leaves_output_untouched),
		cmocka_unit_test(parse_iso_is_strict),
		cmocka_unit_test(format_and_parse_round_trip_1900_to_2100),
		cmocka_unit_test(format_out_of_range_is_visible_and_unparsable),
		cmocka_unit_test(unix_time_maps_to_kazakhstan_local_day),
		cmocka_unit_test(kind_names_round_trip),
		cmocka_unit_test_setup_teardown(add_keeps_days_sorted_unique_and_replaces, empty_setup, kz_teardown),
		cmocka_unit_test_setup_teardown(add_rejects_bad_day_and_kind, empty_setup, kz_teardown),
		cmocka_unit_test_setup_teardown(add_grows_past_initial_capacity, empty_setup, kz_teardown),
		cmocka_unit_test_setup_teardown(plain_weekends_are_not_working, empty_setup, kz_teardown),
		cmocka_unit_test_setup_teardown(holiday_on_weekday_is_skipped, kz_setup, kz_teardown),
		cmocka_unit_test_setup_teardown(transferred_day_off_is_skipped, kz_setup, kz_teardown),
		cmocka_unit_test_setup_teardown(transferred_working_saturday_counts, empty_setup, kz_teardown),
		cmocka_unit_test_setup_teardown(deadline_issued_on_friday, kz_setup, kz_teardown),
		cmocka_unit_test_setup_teardown(deadline_across_new_year_issued_29_12_2026, kz_setup, kz_teardown),
		cmocka_unit_test_setup_teardown(deadline_across_new_year_issued_31_12_2026, kz_setup, kz_teardown),
		cmocka_unit_test_setup_teardown(deadline_across_nauryz_issued_19_03_2026, kz_setup, kz_teardown),
		cmocka_unit_test_setup_teardown(deadline_across_nauryz_issued_20_03_2027, kz_setup, kz_teardown),
		cmocka_unit_test_setup_teardown(priority_window_of_three_working_days, kz_setup, kz_teardown),
		cmocka_unit_test_setup_teardown(working_days_between_two_dates, kz_setup, kz_teardown),
		cmocka_unit_test_setup_teardown(working_days_in_2026_match_official_count, kz_setup, kz_teardown),
		cmocka_unit_test_setup_teardown(religious_holiday_on_weekend_moves_nothing, kz_setup, kz_teardown),
		cmocka_unit_test_setup_teardown(between_is_inverse_of_add, kz_setup, kz_teardown),
		cmocka_unit_test_setup_teardown(add_matches_day_by_day_walk_on_random_tables, empty_setup, kz_teardown),
		cmocka_unit_test_setup_teardown(add_is_bounded_with_a_silly_table, empty_setup, kz_teardown),
		cmocka_unit_test_setup_teardown(add_handles_any_n, kz_setup, kz_teardown),
		cmocka_unit_test_setup_teardown(between_clamps_out_of_range_days, kz_setup, kz_teardown),
		cmocka_unit_test_setup_teardown(sql_file_matches_test_table, kz_setup, kz_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
