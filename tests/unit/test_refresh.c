/*
 * Unit tests of the yearly refresh of the queue (domain/refresh.h) and of
 * the transfer period's rule (base/workday.h, wd_in_period): the school-age
 * cut-off and its boundary, the pure decision, and on a small fixed data
 * set the run compared with the expected archive and moves (statuses,
 * categories, group years, queue dates kept, history, SMS, one audit row
 * per district, the open offer of a moved application lapsing and passing
 * on), the preview seeing what the run does, and a second run changing
 * nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/cal.h"
#include "base/db.h"
#include "base/util.h"
#include "base/workday.h"
#include "domain/offer.h"
#include "domain/place.h"
#include "domain/referral.h"
#include "domain/refresh.h"

#include "unit.h"

enum { D1 = 1110, D2 = 1116 };

/* ---------------------------------------------------------- pure rules */

static void the_cutoff_is_the_first_of_september_age_years_before(void **st)
{
	(void)st;
	char c[11];
	rf_school_cutoff(2027, 6, c);
	assert_string_equal(c, "2021-09-01");
	rf_school_cutoff(2030, 7, c);
	assert_string_equal(c, "2023-09-01");
}

static void the_decision(void **st)
{
	(void)st;
	enum rf_kind k[RF__MAX];
	/* Six on 1 September (born that day) is school age; a day younger is not. */
	struct rf_app a = {2021, "2021-09-01", "none", 0};
	assert_int_equal(rf_decide(&a, "2021-09-01", k), 1);
	assert_int_equal(k[0], RF_SCHOOL_AGE);
	a.birth_date = "2021-09-02";
	assert_int_equal(rf_decide(&a, "2021-09-01", k), 0);
	/* School age alone, whatever else is wrong. */
	struct rf_app b = {2019, "2020-01-01", "out_of_turn", 1};
	assert_int_equal(rf_decide(&b, "2021-09-01", k), 1);
	/* An expired benefit and a wrong group year: both. */
	struct rf_app c = {2023, "2022-05-05", "first_priority", 1};
	assert_int_equal(rf_decide(&c, "2021-09-01", k), 2);
	assert_int_equal(k[0], RF_BENEFIT);
	assert_int_equal(k[1], RF_GROUP_YEAR);
	/* No benefit: nothing to expire. */
	struct rf_app d = {2022, "2022-05-05", "none", 1};
	assert_int_equal(rf_decide(&d, "2021-09-01", k), 0);
}

static int day(int y, int m, int d) { return cal_days_from_ymd(y, m, d); }

static void the_transfer_period(void **st)
{
	(void)st;
	int f, t;
	assert_int_equal(wd_in_period(day(2027, 7, 31), 801, 831, NULL, NULL), 0);
	assert_int_equal(wd_in_period(day(2027, 8, 1), 801, 831, &f, &t), 1);
	assert_int_equal(f, day(2027, 8, 1));
	assert_int_equal(t, day(2027, 8, 31));
	assert_int_equal(wd_in_period(day(2027, 8, 31), 801, 831, NULL, NULL), 1);
	assert_int_equal(wd_in_period(day(2027, 9, 1), 801, 831, NULL, NULL), 0);
	/* Over the new year. */
	assert_int_equal(wd_in_period(day(2028, 1, 5), 1220, 110, &f, &t), 1);
	assert_int_equal(f, day(2027, 12, 20));
	assert_int_equal(t, day(2028, 1, 10));
	assert_int_equal(wd_in_period(day(2027, 12, 25), 1220, 110, &f, NULL), 1);
	assert_int_equal(f, day(2027, 12, 20));
	assert_int_equal(wd_in_period(day(2027, 6, 1), 1220, 110, NULL, NULL), 0);
	assert_int_equal(wd_month_day("08-01", 0), 801);
	assert_int_equal(wd_month_day("02-30", 7), 7);
	assert_int_equal(wd_month_day("8-1", 7), 7);
}

/* ---------------------------------------------------------- the data set */

static int serial = 1;

static long long parent(void) { return ut_parent("kk"); }

/* An application of district with the child's birth date, group year,
 * status, benefit (ground) and queue time. */
static long long app(int district, const char *birth, int year, const char *status, const char *benefit,
		     const char *ground, long long queued_at)
{
	char iin[13], number[32];
	int y = 0, m = 0, d = 0;
	sscanf(birth, "%d-%d-%d", &y, &m, &d);
	ut_iin(y, m, d, 'F', serial * 7, iin);
	assert_int_equal(db_exec("INSERT INTO child(iin, surname, name, birth_date, sex, created_at) "
				 "VALUES (?, 'БАЛА', 'БІР', ?, 'F', 0)", "tt", iin, birth),
			 SQLITE_DONE);
	long long child = db_last_id();
	snprintf(number, sizeof number, "UO.2024.%06d.1", serial++);
	assert_int_equal(db_exec("INSERT INTO application(number, child_id, applicant_id, district_id, group_year, language, "
				 "benefit, benefit_ground, phone, status, queued_at, created_at, updated_at) "
				 "VALUES (?, ?, ?, ?, ?, 'ru', ?, ?, '+77015550007', ?, ?, ?, ?)",
				 "tIIiitttIII", number, child, parent(), district, year, benefit, ground, status, queued_at,
				 queued_at, queued_at),
			 SQLITE_DONE);
	return db_last_id();
}

/* A benefit document of the application ending on until (NULL: no end). */
static void doc(long long app_id, const char *until)
{
	char sha[65];
	snprintf(sha, sizeof sha, "%064lld", app_id * 1000 + serial++);
	assert_int_equal(db_exec("INSERT INTO document(application_id, kind, origin, sha256, size, mime, filename, created_at, "
				 "valid_until) VALUES (?, 'benefit', 'applicant', ?, 10, 'application/pdf', 'b.pdf', 0, ?)",
				 "Itt", app_id, sha, until),
			 SQLITE_DONE);
}

static const char *col(long long id, const char *what, char *out)
{
	/* Only the columns below are asked for. */
	if (strcmp(what, "status") == 0)
		db_text(out, 32, "SELECT status || '/' || coalesce(archive_reason, '') FROM application WHERE id = ?", "I", id);
	else if (strcmp(what, "benefit") == 0)
		db_text(out, 64, "SELECT benefit || '/' || benefit_ground FROM application WHERE id = ?", "I", id);
	return out;
}

static long long year_of(long long id) { return db_int("SELECT group_year FROM application WHERE id = ?", 0, "I", id); }
static long long queued_at(long long id) { return db_int("SELECT queued_at FROM application WHERE id = ?", 0, "I", id); }
static long long events(long long id, const char *ev)
{
	return db_int("SELECT count(*) FROM history WHERE application_id = ? AND event = ?", -1, "It", id, ev);
}
static long long count(const char *sql) { return db_int(sql, -1, NULL); }

static int count_change(void *arg, const struct rf_change *c)
{
	(void)c;
	(*(long long *)arg)++;
	return 0;
}

static void the_refresh_on_a_fixed_data_set(void **st)
{
	(void)st;
	/* 30 June 2027, noon local time: the refresh of 2027 (cut-off 1 Sept 2021). */
	long long now = cal_unix_from_day(day(2027, 6, 30)) + 12 * 3600;
	long long t0 = now - 400 * 86400;
	long long a = app(D1, "2021-08-31", 2021, "queued", "none", "", t0 + 10);        /* school age */
	long long b = app(D1, "2021-09-01", 2021, "queued", "none", "", t0 + 20);        /* six that day: school age */
	long long c = app(D1, "2021-09-02", 2021, "queued", "none", "", t0 + 30);        /* stays */
	long long d = app(D1, "2022-03-01", 2021, "queued", "none", "", t0 + 1);         /* group year -> 2022 */
	long long e = app(D1, "2023-01-01", 2023, "queued", "first_priority", "large_family", t0 + 40);
	doc(e, "2027-06-29");                                                            /* ended: -> none */
	long long f = app(D1, "2023-01-01", 2023, "queued", "out_of_turn", "orphan", t0 + 50);
	doc(f, "2027-06-29");
	doc(f, NULL);                                                                    /* one without end: stays */
	long long g = app(D1, "2023-01-01", 2023, "queued", "first_priority", "single_parent", t0 + 60);
	doc(g, "2027-06-30");                                                            /* ends today: stays */
	long long h = app(D1, "2020-01-01", 2020, "referred", "none", "", t0 + 70);      /* not waiting: stays */
	long long i = app(D1, "2021-05-05", 2021, "inactive", "none", "", t0 + 80);      /* inactive: school age */
	long long j = app(D1, "2022-05-05", 2023, "queued", "first_priority", "military", t0 + 90);
	doc(j, "2026-12-31");                                                            /* both moves */
	long long k = app(D2, "2020-02-02", 2020, "queued", "none", "", t0 + 100);       /* another district */

	/* An open offer of d's old key: it lapses with the move, and the place
	 * passes on to the next queued applicant of the key (c). */
	long long ddo = ut_ddo(D1);
	assert_int_equal(db_exec("INSERT INTO free_place(ddo_id, district_id, group_year, language, total, free, created_by, "
				 "created_at, window_until, status) VALUES (?, ?, 2021, 'ru', 1, 1, ?, ?, ?, 'waiting')",
				 "IiIII", ddo, D1, parent(), now - 3600, now + 86400),
			 SQLITE_DONE);
	assert_int_equal(db_begin(), 0);
	assert_int_equal(offer_fill(D1, 2021, "ru", now - 60), 1);
	assert_int_equal(db_commit(), 0);
	assert_int_equal(db_int("SELECT count(*) FROM offer WHERE application_id = ? AND status = 'open'", 0, "I", d), 1);

	/* The preview sees every change the run makes. */
	long long seen = 0;
	assert_int_equal(rf_each_change(0, 2027, now, count_change, &seen), 8);
	assert_int_equal(seen, 8);
	long long hist0 = count("SELECT count(*) FROM history"), audit0 = count("SELECT count(*) FROM audit");

	struct rf_tally t = {{0}};
	struct actor sys = {0, "system", ""};
	assert_int_equal(rf_run(sys, 2027, now, &t), 0);
	assert_int_equal(t.n[RF_SCHOOL_AGE], 4);
	assert_int_equal(t.n[RF_BENEFIT], 2);
	assert_int_equal(t.n[RF_GROUP_YEAR], 2);   /* d and j */
	char s[64];
	assert_string_equal(col(a, "status", s), "archived/school_age");
	assert_string_equal(col(b, "status", s), "archived/school_age");
	assert_string_equal(col(c, "status", s), "queued/");
	assert_string_equal(col(d, "status", s), "queued/");
	assert_int_equal(year_of(d), 2022);
	assert_string_equal(col(e, "benefit", s), "none/");
	assert_string_equal(col(f, "benefit", s), "out_of_turn/orphan");
	assert_string_equal(col(g, "benefit", s), "first_priority/single_parent");
	assert_string_equal(col(h, "status", s), "referred/");
	assert_string_equal(col(i, "status", s), "archived/school_age");
	assert_string_equal(col(j, "benefit", s), "none/");
	assert_int_equal(year_of(j), 2022);
	assert_string_equal(col(k, "status", s), "archived/school_age");
	/* Moved applications keep their queue dates. */
	assert_int_equal(queued_at(d), t0 + 1);
	assert_int_equal(queued_at(e), t0 + 40);
	assert_int_equal(queued_at(j), t0 + 90);

	/* Every change has its history row and its SMS, in the account's language. */
	assert_int_equal(events(a, "refresh_school_age"), 1);
	assert_int_equal(events(a, "sms_refresh_school_age"), 1);
	assert_int_equal(events(e, "refresh_benefit"), 1);
	assert_int_equal(events(j, "refresh_benefit"), 1);
	assert_int_equal(events(j, "refresh_group_year"), 1);
	assert_int_equal(events(d, "refresh_group_year"), 1);
	assert_int_equal(events(c, "refresh_school_age") + events(f, "refresh_benefit") + events(g, "refresh_benefit") +
				 events(h, "refresh_school_age"),
			 0);
	assert_int_equal(count("SELECT count(*) FROM notification WHERE kind LIKE 'refresh_%'"), 8);
	char text[512];
	assert_true(db_text(text, sizeof text, "SELECT text FROM notification WHERE application_id = ? AND kind = 'refresh_school_age'",
			    "I", a));
	assert_non_null(strstr(text, "1 қыркүйек"));
	/* One audit row per district that changed. */
	assert_int_equal(count("SELECT count(*) FROM audit WHERE action = 'queue_refresh'"), 2);
	assert_true(db_text(text, sizeof text, "SELECT details FROM audit WHERE action = 'queue_refresh' AND object_id = ?", "i", D1));
	assert_string_equal(text, "year=2027 school_age=3 benefit=2 group_year=2");
	/* d's offer lapsed with its history row; the place went on to c. */
	assert_int_equal(events(d, "offer_cancelled"), 1);
	assert_int_equal(db_int("SELECT count(*) FROM offer WHERE application_id = ? AND status = 'open'", 0, "I", d), 0);
	assert_int_equal(db_int("SELECT count(*) FROM offer WHERE application_id = ? AND status = 'open'", 0, "I", c), 1);
	/* The queue's counters follow (sql/020's triggers). */
	assert_int_equal(db_int("SELECT coalesce(sum(n), 0) FROM queue_count WHERE district_id = ? AND group_year = 2021", -1, "i", D1),
			 1);

	/* A second run changes nothing. */
	long long hist1 = count("SELECT count(*) FROM history"), audit1 = count("SELECT count(*) FROM audit");
	assert_true(hist1 > hist0 && audit1 > audit0);
	seen = 0;
	assert_int_equal(rf_each_change(0, 2027, now + 60, count_change, &seen), 0);
	struct rf_tally t2 = {{0}};
	assert_int_equal(rf_run(sys, 2027, now + 60, &t2), 0);
	assert_int_equal(t2.n[RF_SCHOOL_AGE] + t2.n[RF_BENEFIT] + t2.n[RF_GROUP_YEAR], 0);
	assert_int_equal(count("SELECT count(*) FROM history"), hist1);
	assert_int_equal(count("SELECT count(*) FROM audit"), audit1);
	assert_int_equal(count("SELECT count(*) FROM notification WHERE kind LIKE 'refresh_%'"), 8);
}

/* The tick runs it once, on the day (or the month after), not before. */
static void the_tick_runs_it_once_a_year(void **st)
{
	(void)st;
	long long june29 = cal_unix_from_day(day(2028, 6, 29)) + 3600;
	long long july1 = cal_unix_from_day(day(2028, 7, 1)) + 3600;
	long long x = app(D1, "2022-08-01", 2022, "queued", "none", "", june29 - 86400);
	assert_int_equal(rf_tick(june29), 0);
	char s[64];
	assert_string_equal(col(x, "status", s), "queued/");
	assert_true(rf_tick(july1) >= 1);
	assert_string_equal(col(x, "status", s), "archived/school_age");
	long long y = app(D1, "2022-08-02", 2022, "queued", "none", "", june29 - 86400);
	assert_int_equal(rf_tick(july1 + 3600), 0);   /* done this year */
	assert_string_equal(col(y, "status", s), "queued/");
	/* A service first started in December does not refresh a year under way. */
	assert_int_equal(rf_tick(cal_unix_from_day(day(2029, 12, 6))), 0);
}

/* The whole year is a transfer period in this program's settings: the
 * domain refuses a new record and a choice by itself (the screens say so
 * first, with the dates). */
static void the_domain_refuses_adding_and_choosing_in_the_period(void **st)
{
	(void)st;
	assert_int_equal(wd_freeze(u_now(), NULL, NULL), 1);
	long long before = count("SELECT count(*) FROM free_place");
	long long id = -1;
	struct actor staff = {parent(), "staff", ""};
	assert_int_equal(place_add(staff, 1, 2023, "ru", 2, "tok-frozen", NULL, &id), PLACE_ADD_FROZEN);
	assert_int_equal(count("SELECT count(*) FROM free_place"), before);
	assert_int_equal(count("SELECT count(*) FROM audit WHERE action = 'place_add' AND outcome = 'frozen'"), 1);
	long long a = app(D1, "2024-02-02", 2024, "queued", "none", "", u_now() - 86400);
	struct arena *ar = arena_new();
	struct ref_issued out;
	struct actor citizen = {parent(), "citizen", ""};
	assert_int_equal(ref_issue(citizen, ar, "ru", a, 1, &out), REF_FROZEN);
	arena_free(ar);
	assert_int_equal(db_int("SELECT count(*) FROM referral WHERE application_id = ?", -1, "I", a), 0);
}

static int setup(void **st)
{
	(void)st;
	return ut_setup("refresh", UT_VIEW, "App.IinChecksum = 0\n");
}

/* The second group: the whole year is a transfer period. */
static int setup_frozen(void **st)
{
	(void)st;
	return ut_setup("refresh-frozen", UT_VIEW, "App.IinChecksum = 0\nPlaces.FreezeFrom = 01-01\nPlaces.FreezeTo = 12-31\n");
}

static int teardown(void **st)
{
	(void)st;
	return ut_teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_cutoff_is_the_first_of_september_age_years_before),
		cmocka_unit_test(the_decision),
		cmocka_unit_test(the_transfer_period),
		cmocka_unit_test(the_refresh_on_a_fixed_data_set),
		cmocka_unit_test(the_tick_runs_it_once_a_year),
	};
	const struct CMUnitTest frozen[] = {
		cmocka_unit_test(the_domain_refuses_adding_and_choosing_in_the_period),
	};
	int failed = cmocka_run_group_tests(tests, setup, teardown);
	return failed + cmocka_run_group_tests(frozen, setup_frozen, teardown);
}
