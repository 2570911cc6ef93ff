/*
 * Unit tests of places offered in queue order (domain/offer.h): the
 * category rule (one first-priority to Places.BenefitRatio ordinary,
 * out-of-turn first, a category running out), and on a scratch database
 * offer_fill: queue order with ties on the same second, applicants holding
 * an open offer elsewhere and decliners of the record skipped, the
 * interleave going on across a pass-on, the lapse when an application
 * leaves the queue or the window ends, a place given back by an annulled
 * referral offered on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/db.h"
#include "base/util.h"
#include "domain/offer.h"
#include "domain/queue.h"
#include "domain/referral.h"

#include "unit.h"

enum { DISTRICT = 1110, YEAR = 2021 };

/* ---------------------------------------------------------- pure rule */

/* The categories offer_next_category gives for n offers when avail[k]
 * applicants of category k are available, as a string of o/f/n. */
static void sequence(int ratio, int oot, int fp, int none, int n, char *out)
{
	long long done[OFFER_CAT__MAX] = {0};
	int avail[OFFER_CAT__MAX] = {oot, fp, none};
	int i = 0;
	for (; i < n; i++) {
		enum offer_cat k = offer_next_category(done[OFFER_FIRST_PRIORITY], done[OFFER_NONE], ratio,
						       avail[OFFER_OUT_OF_TURN] > 0, avail[OFFER_FIRST_PRIORITY] > 0,
						       avail[OFFER_NONE] > 0);
		if (k == OFFER_CAT__MAX)
			break;
		out[i] = "ofn"[k];
		done[k]++;
		avail[k]--;
	}
	out[i] = '\0';
}

static void one_first_priority_to_three_ordinary(void **st)
{
	(void)st;
	char s[32];
	sequence(3, 0, 10, 10, 12, s);
	assert_string_equal(s, "fnnnfnnnfnnn");
	sequence(1, 0, 10, 10, 6, s);
	assert_string_equal(s, "fnfnfn");
	sequence(2, 0, 10, 10, 6, s);
	assert_string_equal(s, "fnnfnn");
}

static void out_of_turn_applicants_come_first(void **st)
{
	(void)st;
	char s[32];
	sequence(3, 2, 10, 10, 7, s);
	assert_string_equal(s, "oofnnnf");
	/* Out of turn is taken whenever available, whatever was offered. */
	assert_int_equal(offer_next_category(5, 0, 3, 1, 1, 1), OFFER_OUT_OF_TURN);
}

static void when_a_category_runs_out_the_other_goes_on(void **st)
{
	(void)st;
	char s[32];
	sequence(3, 0, 1, 10, 8, s);
	assert_string_equal(s, "fnnnnnnn");
	sequence(3, 0, 10, 2, 8, s);
	assert_string_equal(s, "fnnfffff");
	sequence(3, 1, 0, 0, 5, s);
	assert_string_equal(s, "o");
	sequence(3, 0, 0, 0, 5, s);
	assert_string_equal(s, "");
}

static void the_categories_are_the_queues(void **st)
{
	(void)st;
	for (int k = 0; k < OFFER_CAT__MAX; k++)
		assert_string_equal(offer_cat_names[k], queue_benefit_names[k]);
	assert_int_equal((int)OFFER_CAT__MAX, (int)QB__MAX);
}

/* ---------------------------------------------------------- database */

static int serial = 1;

static long long parent_account(void) { return ut_parent(""); }
static long long a_ddo(void) { return ut_ddo(DISTRICT); }

/* A queued application of the key with this benefit and queue time. */
static long long app(const char *benefit, long long queued_at)
{
	char iin[13], number[32];
	ut_iin(YEAR, 1, 1, 'M', serial * 7, iin);
	assert_int_equal(db_exec("INSERT INTO child(iin, surname, name, birth_date, sex, created_at) "
				 "VALUES (?, 'БАЛА', 'БІР', '2021-01-01', 'M', 0)", "t", iin),
			 SQLITE_DONE);
	long long child = db_last_id();
	snprintf(number, sizeof number, "UO.2025.%06d.1", serial++);
	assert_int_equal(db_exec("INSERT INTO application(number, child_id, applicant_id, district_id, group_year, language, "
				 "benefit, phone, status, queued_at, created_at, updated_at) "
				 "VALUES (?, ?, ?, ?, ?, 'ru', ?, '+77015550007', 'queued', ?, ?, ?)",
				 "tIIiitIII", number, child, parent_account(), DISTRICT, YEAR, benefit, queued_at, queued_at,
				 queued_at),
			 SQLITE_DONE);
	return db_last_id();
}

/* A record of the key with total places, in its window until until. */
static long long record(long long ddo, int total, long long created, long long until)
{
	return ut_record(ddo, DISTRICT, YEAR, total, created, until);
}

static int fill(long long now)
{
	assert_int_equal(db_begin(), 0);
	int n = offer_fill(DISTRICT, YEAR, "ru", now);
	assert_int_equal(db_commit(), 0);
	return n;
}

static int offered(long long app_id, long long place)
{
	return (int)db_int("SELECT count(*) FROM offer WHERE application_id = ? AND place_id = ? AND status = 'open'", -1,
			   "II", app_id, place);
}

/* A fresh key: every application of earlier tests leaves the queue. */
static void clean(void)
{
	assert_int_equal(db_exec("UPDATE application SET status = 'archived', archive_reason = 'withdrawn', updated_at = 0 "
				 "WHERE status = 'queued'", NULL),
			 SQLITE_DONE);
	assert_int_equal(db_exec("UPDATE free_place SET free = 0 WHERE free > 0", NULL), SQLITE_DONE);
}

static void offers_follow_the_queue_order_with_ties_on_the_same_second(void **st)
{
	(void)st;
	clean();
	long long now = u_now(), t = now - 100000;
	/* Inserted in this order: b has a later id but an earlier time; c and
	 * d share a second and go by id. */
	long long a = app("none", t + 50);
	long long b = app("none", t + 10);
	long long c = app("none", t + 30);
	long long d = app("none", t + 30);
	long long p = record(a_ddo(), 3, now, now + 1000);
	assert_int_equal(fill(now), 3);
	assert_int_equal(offered(b, p), 1);
	assert_int_equal(offered(c, p), 1);
	assert_int_equal(offered(d, p), 1);
	assert_int_equal(offered(a, p), 0);
	/* Each has its history row and SMS; a second fill makes nothing. */
	assert_int_equal(db_int("SELECT count(*) FROM history WHERE application_id = ? AND event = 'offered'", 0, "I", b), 1);
	assert_int_equal(db_int("SELECT count(*) FROM history WHERE application_id = ? AND event = 'sms_offer'", 0, "I", b), 1);
	assert_int_equal(fill(now), 0);
	/* The offer ends with the window. */
	assert_int_equal(db_int("SELECT until FROM offer WHERE application_id = ?", 0, "I", b), now + 1000);
}

static void holders_of_an_offer_and_decliners_of_the_record_are_skipped(void **st)
{
	(void)st;
	clean();
	long long now = u_now(), t = now - 100000;
	long long a = app("none", t + 1), b = app("none", t + 2), c = app("none", t + 3), d = app("none", t + 4);
	long long ddo = a_ddo();
	long long p1 = record(ddo, 1, now - 10, now + 1000);
	assert_int_equal(fill(now), 1);
	assert_int_equal(offered(a, p1), 1);
	/* A second record: a holds an open offer, so b. */
	long long p2 = record(ddo, 1, now, now + 1000);
	assert_int_equal(fill(now), 1);
	assert_int_equal(offered(b, p2), 1);
	/* a declines p1: it passes to c (b holds one); a is free again, but
	 * p1 is never offered to a again. */
	assert_int_equal(db_exec("UPDATE offer SET status = 'declined', closed_at = ? WHERE application_id = ?", "II", now, a),
			 SQLITE_DONE);
	assert_int_equal(fill(now), 1);
	assert_int_equal(offered(c, p1), 1);
	assert_int_equal(offered(a, p1), 0);
	/* c leaves the queue: its offer lapses at once, with a history row,
	 * and p1 goes to d, not back to a. */
	assert_int_equal(db_exec("UPDATE application SET status = 'archived', archive_reason = 'withdrawn', updated_at = ? "
				 "WHERE id = ?", "II", now, c),
			 SQLITE_DONE);
	assert_int_equal(db_int("SELECT count(*) FROM offer WHERE application_id = ? AND status = 'lapsed'", 0, "I", c), 1);
	assert_int_equal(db_int("SELECT count(*) FROM history WHERE application_id = ? AND event = 'offer_cancelled'", 0, "I", c),
			 1);
	assert_int_equal(fill(now), 1);
	assert_int_equal(offered(d, p1), 1);
	/* Nobody left but a, who declined p1: the place stays unreserved. */
	assert_int_equal(db_exec("UPDATE offer SET status = 'declined', closed_at = ? WHERE application_id = ?", "II", now, d),
			 SQLITE_DONE);
	assert_int_equal(fill(now), 0);
	assert_int_equal(offer_reserved(p1), 0);
}

static void the_interleave_goes_on_across_pass_ons(void **st)
{
	(void)st;
	clean();
	long long now = u_now(), t = now - 100000;
	long long o1 = app("out_of_turn", t + 9);
	long long f1 = app("first_priority", t + 1), f2 = app("first_priority", t + 2);
	long long n1 = app("none", t + 1), n2 = app("none", t + 2), n3 = app("none", t + 3), n4 = app("none", t + 4);
	long long p = record(a_ddo(), 5, now, now + 1000);
	/* o1, then f1, n1, n2, n3. */
	assert_int_equal(fill(now), 5);
	assert_int_equal(offered(o1, p) + offered(f1, p) + offered(n1, p) + offered(n2, p) + offered(n3, p), 5);
	assert_int_equal(offered(f2, p) + offered(n4, p), 0);
	/* n1 declines: 1 first-priority and 3 ordinary were offered, so a
	 * first-priority applicant is due. */
	assert_int_equal(db_exec("UPDATE offer SET status = 'declined', closed_at = ? WHERE application_id = ?", "II", now, n1),
			 SQLITE_DONE);
	assert_int_equal(fill(now), 1);
	assert_int_equal(offered(f2, p), 1);
	/* f2 declines: 2 first-priority and 3 ordinary were offered, so an
	 * ordinary applicant is due. */
	assert_int_equal(db_exec("UPDATE offer SET status = 'declined', closed_at = ? WHERE application_id = ?", "II", now, f2),
			 SQLITE_DONE);
	assert_int_equal(fill(now), 1);
	assert_int_equal(offered(n4, p), 1);
}

static void a_record_past_its_window_is_not_offered_and_open_offers_lapse(void **st)
{
	(void)st;
	clean();
	long long now = u_now(), t = now - 100000;
	long long a = app("none", t + 1);
	long long p = record(a_ddo(), 1, now - 100, now + 10);
	assert_int_equal(fill(now), 1);
	assert_int_equal(offer_lapse_due(now + 10), 0);   /* the last second still counts */
	assert_int_equal(offer_lapse_due(now + 11), 1);
	assert_int_equal(db_int("SELECT count(*) FROM offer WHERE application_id = ? AND status = 'lapsed'", 0, "I", a), 1);
	assert_int_equal(db_int("SELECT count(*) FROM history WHERE application_id = ? AND event = 'offer_lapsed'", 0, "I", a), 1);
	/* Past the window: free choice, nothing offered. */
	app("none", t + 2);
	assert_int_equal(fill(now + 11), 0);
	assert_int_equal(offer_reserved(p), 0);
}

static void a_place_given_back_during_the_window_is_offered_on(void **st)
{
	(void)st;
	clean();
	long long now = u_now(), t = now - 100000;
	long long ddo = a_ddo();
	long long a = app("none", t + 1), b = app("none", t + 2);
	long long p = record(ddo, 1, now - 100, now + 1000);
	assert_int_equal(fill(now), 1);
	assert_int_equal(offered(a, p), 1);
	/* a took the place (its referral is overdue already); b waits. */
	assert_int_equal(db_exec("UPDATE offer SET status = 'accepted', closed_at = ? WHERE application_id = ?", "II", now, a),
			 SQLITE_DONE);
	assert_int_equal(db_exec("UPDATE application SET status = 'referred', updated_at = ? WHERE id = ?", "II", now, a),
			 SQLITE_DONE);
	assert_int_equal(db_exec("INSERT INTO referral(number, application_id, free_place_id, ddo_id, status, issued_at, "
				 "deadline_at) VALUES ('1999999901', ?, ?, ?, 'issued', ?, ?)", "IIIII", a, p, ddo, now - 50, now - 1),
			 SQLITE_DONE);
	assert_int_equal(offer_reserved(p), 0);
	assert_int_equal(fill(now), 0);
	/* The annulment gives the place back, and it goes to b at once. */
	assert_int_equal(ref_annul_due(now), 1);
	assert_int_equal(offered(b, p), 1);
}

static int setup(void **st)
{
	(void)st;
	return ut_setup("offer", UT_VIEW, "App.IinChecksum = 0\n");
}

static int teardown(void **st)
{
	(void)st;
	return ut_teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_first_priority_to_three_ordinary),
		cmocka_unit_test(out_of_turn_applicants_come_first),
		cmocka_unit_test(when_a_category_runs_out_the_other_goes_on),
		cmocka_unit_test(the_categories_are_the_queues),
		cmocka_unit_test(offers_follow_the_queue_order_with_ties_on_the_same_second),
		cmocka_unit_test(holders_of_an_offer_and_decliners_of_the_record_are_skipped),
		cmocka_unit_test(the_interleave_goes_on_across_pass_ons),
		cmocka_unit_test(a_record_past_its_window_is_not_offered_and_open_offers_lapse),
		cmocka_unit_test(a_place_given_back_during_the_window_is_offered_on),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
