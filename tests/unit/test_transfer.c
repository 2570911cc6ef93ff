/*
 * Unit tests of where transfer requests stand among offers (transfer.h,
 * transfer_order.h): the rule tr_takes_turn for every Queue.TransferRank,
 * the sequence of categories it gives with the one-to-three interleave,
 * and on a scratch database offer_fill: a transfer request is offered
 * only places of the DDOs it asked for, with the category 'transfer',
 * after out-of-turn and instead of an ordinary applicant by default, and
 * never while it holds an offer elsewhere.
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
#include "domain/transfer.h"

#include "unit.h"

enum { DISTRICT = 1110, YEAR = 2022 };

/* ---------------------------------------------------------- pure rule */

/* The categories offered for n places when oot/fp/none/tr applicants are
 * available, as a string of o/f/n/t, at the given rank (ratio 3). */
static void sequence(int rank, int oot, int fp, int none, int tr, int n, char *out)
{
	long long done[OFFER_CAT__MAX] = {0};
	int avail[OFFER_CAT__MAX] = {oot, fp, none};
	int i = 0;
	for (; i < n; i++) {
		enum offer_cat k = offer_next_category(done[OFFER_FIRST_PRIORITY], done[OFFER_NONE], 3,
						       avail[OFFER_OUT_OF_TURN] > 0, avail[OFFER_FIRST_PRIORITY] > 0,
						       avail[OFFER_NONE] > 0);
		if (tr > 0 && tr_takes_turn((int)k, rank)) {
			out[i] = 't';
			tr--;
			continue;
		}
		if (k == OFFER_CAT__MAX)
			break;
		out[i] = "ofn"[k];
		done[k]++;
		avail[k]--;
	}
	out[i] = '\0';
}

static void the_rank_places_transfers_among_the_categories(void **st)
{
	(void)st;
	char s[32];
	/* Default 2: after out-of-turn, in the ordinary applicants' turns;
	 * first-priority keep theirs. */
	sequence(2, 1, 2, 5, 3, 8, s);
	assert_string_equal(s, "oftttnnn");
	/* 0: before everyone. */
	sequence(0, 1, 2, 5, 2, 5, s);
	assert_string_equal(s, "ttofn");
	/* 1: after out-of-turn, before the first-priority and ordinary. */
	sequence(1, 1, 2, 5, 2, 5, s);
	assert_string_equal(s, "ottfn");
	/* 3: only when no one else is available. */
	sequence(3, 0, 1, 1, 2, 5, s);
	assert_string_equal(s, "fntt");
	/* Nobody of the categories: transfers at any rank. */
	for (int rank = 0; rank <= 3; rank++) {
		sequence(rank, 0, 0, 0, 2, 3, s);
		assert_string_equal(s, "tt");
	}
	assert_int_equal(tr_takes_turn(OFFER_CAT__MAX, 3), 1);
	assert_int_equal(tr_takes_turn(OFFER_OUT_OF_TURN, 1), 0);
	assert_int_equal(tr_takes_turn(OFFER_FIRST_PRIORITY, 2), 0);
	assert_int_equal(tr_takes_turn(OFFER_NONE, 2), 1);
	assert_int_equal((int)TR_NO_CATEGORY, (int)OFFER_CAT__MAX);
	assert_int_equal(tr_rank(), 2);
}

/* ---------------------------------------------------------- database */

static int serial = 1;

static long long parent_account(void) { return ut_parent(""); }
static long long a_ddo(void) { return ut_ddo(DISTRICT); }

/* A queued application of the key; transfer_of 0 = an ordinary one, else a
 * transfer request asking for ddo. */
static long long app(const char *benefit, long long queued_at, long long transfer_of, long long ddo)
{
	char iin[13], number[32];
	ut_iin(YEAR, 1, 1, 'M', serial * 7, iin);
	assert_int_equal(db_exec("INSERT INTO child(iin, surname, name, birth_date, sex, created_at) "
				 "VALUES (?, 'БАЛА', 'БІР', '2022-01-01', 'M', 0)", "t", iin),
			 SQLITE_DONE);
	long long child = db_last_id();
	snprintf(number, sizeof number, "UO.2025.%06d.1", serial++);
	assert_int_equal(db_exec("INSERT INTO application(number, child_id, applicant_id, district_id, group_year, language, "
				 "benefit, phone, status, queued_at, created_at, updated_at, transfer_of, ddo1) "
				 "VALUES (?, ?, ?, ?, ?, 'ru', ?, '+77015550007', 'queued', ?, ?, ?, nullif(?, 0), nullif(?, 0))",
				 "tIIiitIIIII", number, child, parent_account(), DISTRICT, YEAR, benefit, queued_at, queued_at,
				 queued_at, transfer_of, ddo),
			 SQLITE_DONE);
	return db_last_id();
}

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

static const char *category_of(long long app_id, long long place)
{
	static char c[20];
	c[0] = 0;
	db_text(c, sizeof c, "SELECT category FROM offer WHERE application_id = ? AND place_id = ? AND status = 'open'", "II",
		app_id, place);
	return c;
}

static void transfers_are_offered_their_ddos_after_out_of_turn_before_ordinary(void **st)
{
	(void)st;
	long long now = u_now();
	long long asked = a_ddo(), other = a_ddo();
	/* An enrolled application the requests stand for (any row will do:
	 * the column only links them). */
	long long base = app("none", now - 900, 0, 0);
	long long o1 = app("out_of_turn", now - 50, 0, 0);
	long long n1 = app("none", now - 800, 0, 0);
	long long n2 = app("none", now - 700, 0, 0);
	long long t1 = app("none", now - 10, base, asked);     /* the newest, yet before the ordinary */
	assert_int_equal(db_exec("UPDATE application SET status = 'enrolled' WHERE id = ?", "I", base), SQLITE_DONE);
	/* A record of a DDO the request did not ask for: not offered to it. */
	long long p0 = record(other, 2, now, now + 1000);
	assert_int_equal(fill(now), 2);
	assert_string_equal(category_of(o1, p0), "out_of_turn");
	assert_string_equal(category_of(n1, p0), "none");
	assert_string_equal(category_of(t1, p0), "");
	/* The asked DDO's record: out-of-turn is taken (o1 holds an offer), so
	 * the transfer comes first, then the ordinary n2. */
	long long p1 = record(asked, 2, now, now + 1000);
	assert_int_equal(fill(now), 2);
	assert_string_equal(category_of(t1, p1), "transfer");
	assert_string_equal(category_of(n2, p1), "none");
	/* Offered by category: the interleave counts transfers apart. */
	assert_int_equal(db_int("SELECT count(*) FROM offer WHERE place_id = ? AND category = 'transfer'", 0, "I", p1), 1);
}

static int setup(void **st)
{
	(void)st;
	return ut_setup("transfer", UT_VIEW, "App.IinChecksum = 0\n");
}

static int teardown(void **st)
{
	(void)st;
	return ut_teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_rank_places_transfers_among_the_categories),
		cmocka_unit_test(transfers_are_offered_their_ddos_after_out_of_turn_before_ordinary),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
