/*
 * Unit tests of the position history (lib/domain/qhist.h): the reasons
 * counted over periods and the position on past days, against a brute-force
 * replay of random registrations, referrals, withdrawals, returns and
 * category changes in two queues (many of them at one second); the masking
 * of numbers; the likely wait on histories whose answer is known. A scratch
 * database under /tmp; needs KG_TOP.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cal.h"
#include "base/db.h"
#include "domain/qhist.h"
#include "base/util.h"

#include "unit.h"

static long long parent;
static int serial_no = 100;

static long long account(const char *iin)
{
	assert_int_equal(db_exec("INSERT INTO account(iin, surname, name, roles, phone, created_at, updated_at) "
				 "VALUES (?, 'Т', 'Т', 1, '', 0, 0)", "t", iin), SQLITE_DONE);
	return db_last_id();
}

static const char *const cats[3] = {"out_of_turn", "first_priority", "none"};

/* A queued application written straight into the table at time now. */
static long long app(int district, const char *lang, int rank, long long queued_at, long long now)
{
	char iin[13], number[32];
	ut_iin(2021, 1 + serial_no % 12, 1 + serial_no % 28, 'M', serial_no, iin);
	snprintf(number, sizeof number, "UO.2026.%06d.1", serial_no);
	serial_no++;
	assert_int_equal(db_exec("INSERT INTO child(iin, surname, name, birth_date, sex, created_at) "
				 "VALUES (?, 'Т', 'Т', '2021-01-01', 'M', 0)", "t", iin), SQLITE_DONE);
	long long child = db_last_id();
	assert_int_equal(db_exec("INSERT INTO application(number, child_id, applicant_id, district_id, group_year, language, "
				 "benefit, phone, status, queued_at, created_at, updated_at) "
				 "VALUES (?, ?, ?, ?, 2021, ?, ?, '+77010000000', 'queued', ?, ?, ?)",
				 "tIIittIII", number, child, parent, district, lang, cats[rank], queued_at, now, now),
			 SQLITE_DONE);
	return db_last_id();
}

static void set_status(long long id, const char *status, const char *reason, long long now)
{
	assert_int_equal(db_exec("UPDATE application SET status = ?, archive_reason = ?, updated_at = ? WHERE id = ?",
				 "ttII", status, reason, now, id),
			 SQLITE_DONE);
}

static void set_rank(long long id, int rank, long long now)
{
	assert_int_equal(db_exec("UPDATE application SET benefit = ?, updated_at = ? WHERE id = ?", "tII", cats[rank], now, id),
			 SQLITE_DONE);
}

static struct qh_app load(long long id)
{
	struct qh_app a;
	assert_int_equal(qh_app(id, &a), 1);
	return a;
}

/* ---------------------------------------------------- the brute force */

#define NAPP 400
#define NOPS 2500

/* The model: every application with its queue, key and state. */
struct mapp {
	long long id;
	int district, rank, queued;
	long long at;
};
static struct mapp m[NAPP];
static int nm;

static int m_before(const struct mapp *a, const struct mapp *b)
{
	if (a->rank != b->rank)
		return a->rank < b->rank;
	if (a->at != b->at)
		return a->at < b->at;
	return a->id < b->id;
}

/* The position of m[i] (1-based; 0 when not queued), counting the model. */
static long long m_pos(int i)
{
	if (!m[i].queued)
		return 0;
	long long n = 1;
	for (int j = 0; j < nm; j++)
		if (j != i && m[j].queued && m[j].district == m[i].district && m_before(&m[j], &m[i]))
			n++;
	return n;
}

/* What happened, per operation: its time, and for each application the
 * position after it and the reason it counts (-1: not moved by it). */
struct mop {
	long long at;
	long long pos[NAPP];
	signed char reason[NAPP];
};
static struct mop *ops;
static int nops;

enum { OP_REGISTER, OP_REFER, OP_WITHDRAW, OP_ARCHIVE, OP_RETURN, OP_RECAT };

static unsigned long long rnd_state = 88172645463325252ULL;
static unsigned long long rnd(void)
{
	rnd_state ^= rnd_state << 13, rnd_state ^= rnd_state >> 7, rnd_state ^= rnd_state << 17;
	return rnd_state;
}

/* The reason the replay gives to an operation of kind op on subject s
 * (its rank after it: new_rank) that changed the number ahead of i by d. */
static int m_reason(int op, int d, int new_rank, int rank_i)
{
	switch (op) {
	case OP_REFER: return QH_REFERRED;
	case OP_WITHDRAW: return QH_WITHDRAWN;
	case OP_ARCHIVE: return QH_LEFT;
	case OP_RECAT: return d > 0 ? QH_RECAT_AHEAD : QH_RECAT_BEHIND;
	default: return new_rank < rank_i ? QH_BENEFIT_AHEAD : QH_ENTERED_AHEAD;
	}
}

/* One random operation at time t, in the database and in the model. */
static void step(long long t)
{
	int op = (int)(rnd() % 10);
	int s = -1;
	if (nm < NAPP && (op < 4 || nm < 5))
		op = OP_REGISTER;
	else {
		static const int kinds[] = {OP_REFER, OP_REFER, OP_WITHDRAW, OP_ARCHIVE, OP_RETURN, OP_RECAT, OP_RECAT};
		op = kinds[rnd() % 7];
		s = (int)(rnd() % (unsigned long long)nm);
		int want_queued = op != OP_RETURN;
		if (m[s].queued != want_queued)
			return;
	}
	long long ahead_before[NAPP];
	for (int i = 0; i < nm; i++)
		ahead_before[i] = m_pos(i) - 1;
	switch (op) {
	case OP_REGISTER: {
		s = nm++;
		int rank = (int)(rnd() % 3);
		/* Mostly now; some keep an earlier date (a confirmed guardian
		 * request); ties on one second are frequent. */
		long long at = rnd() % 5 == 0 ? t - (long long)(rnd() % (200 * 86400)) : t;
		m[s] = (struct mapp){0, 1136 + 2 * (int)(rnd() % 2), rank, 1, at};
		m[s].id = app(m[s].district, "ru", rank, at, t);
		break;
	}
	case OP_REFER:
		set_status(m[s].id, "referred", NULL, t);
		m[s].queued = 0;
		break;
	case OP_WITHDRAW:
		set_status(m[s].id, "archived", "withdrawn", t);
		m[s].queued = 0;
		break;
	case OP_ARCHIVE:
		set_status(m[s].id, "archived", "deadline", t);
		m[s].queued = 0;
		break;
	case OP_RETURN:
		if (db_int("SELECT status = 'referred' FROM application WHERE id = ?", 0, "I", m[s].id) != 1)
			return;
		set_status(m[s].id, "queued", NULL, t);
		m[s].queued = 1;
		break;
	case OP_RECAT: {
		int rank = (int)(rnd() % 3);
		if (rank == m[s].rank)
			return;
		set_rank(m[s].id, rank, t);
		m[s].rank = rank;
		break;
	}
	}
	struct mop *o = &ops[nops++];
	o->at = t;
	memset(o->reason, -1, sizeof o->reason);
	for (int i = 0; i < nm; i++) {
		o->pos[i] = m_pos(i);
		o->reason[i] = -1;
		if (i == s || !m[i].queued)
			continue;
		/* i kept its key and its state (the subject is another): the change
		 * of the count ahead of it is the operation's effect on it. */
		long long d = (o->pos[i] - 1) - ahead_before[i];
		if (d != 0)
			o->reason[i] = (signed char)m_reason(op, (int)d, m[s].rank, m[i].rank);
	}
}

/* The position of m[i] at the end of time t (after every operation at t). */
static long long m_pos_at(int i, long long t)
{
	long long p = 0;
	for (int k = 0; k < nops && ops[k].at <= t; k++)
		p = ops[k].pos[i];
	return p;
}

static long long t0, now;

static void replay(void **st)
{
	(void)st;
	ops = calloc(NOPS, sizeof *ops);
	assert_non_null(ops);
	t0 = 1767225600; /* 2026-01-01 UTC */
	/* Recording began before the first operation. */
	assert_int_equal(db_exec("UPDATE qh_start SET at = ?", "I", t0 - 1), SQLITE_DONE);
	long long t = t0;
	assert_int_equal(db_begin(), 0);
	for (int k = 0; k < NOPS && nops < NOPS; k++) {
		/* Several operations at one second, then a jump of minutes to days. */
		unsigned long long r = rnd() % 10;
		t += r < 4 ? 0 : r < 8 ? (long long)(rnd() % 7200) : (long long)(rnd() % 86400);
		step(t);
	}
	assert_int_equal(db_commit(), 0);
	now = t + 3600;
	assert_true(nm > 100);
}

static void counts_match_the_replay(void **st)
{
	(void)st;
	int checked = 0, nonzero = 0;
	for (int trial = 0; trial < 60; trial++) {
		int i = (int)(rnd() % (unsigned long long)nm);
		long long a = t0 + (long long)(rnd() % (unsigned long long)(now - t0));
		long long b = a + (long long)(rnd() % (unsigned long long)(now - a + 1));
		if (trial == 0)
			a = t0, b = now + 1;
		long long want[QH__MAX] = {0};
		for (int k = 0; k < nops; k++)
			if (ops[k].at >= a && ops[k].at < b && ops[k].reason[i] >= 0)
				want[(int)ops[k].reason[i]]++;
		struct qh_app x = load(m[i].id);
		struct qh_counts c;
		assert_int_equal(qh_count(&x, a, b, &c), 0);
		assert_int_equal(c.cut, 0);
		long long net = 0;
		for (int r = 0; r < QH__MAX; r++) {
			assert_int_equal(c.n[r], want[r]);
			nonzero += want[r] > 0;
			net += (r == QH_REFERRED || r == QH_WITHDRAWN || r == QH_LEFT || r == QH_RECAT_BEHIND) ? -want[r] : want[r];
			/* The list of each reason has as many events, in time order, masked. */
			struct qh_item items[8];
			long long n = qh_list(&x, a, b, r, items, 8);
			assert_int_equal(n, want[r]);
			for (int j = 1; j < (n < 8 ? n : 8); j++)
				assert_true(items[j - 1].at <= items[j].at);
			if (n > 0)
				assert_memory_equal(items[0].number, "UO.2026.****", 12);
		}
		assert_int_equal(c.net, net);
		checked++;
	}
	assert_int_equal(checked, 60);
	assert_true(nonzero > 30);
}

static void history_matches_the_replay(void **st)
{
	(void)st;
	struct qh_day days[400];
	int changed = 0;
	for (int trial = 0; trial < 40; trial++) {
		int i = trial == 0 ? 0 : (int)(rnd() % (unsigned long long)nm);
		struct qh_app x = load(m[i].id);
		long long since = trial % 2 ? t0 + (long long)(rnd() % (unsigned long long)(now - t0)) : now - 365 * 86400LL;
		int n = qh_history(&x, since, now, days, 400);
		assert_true(n >= 1);
		long long from = since < t0 - 1 ? t0 - 1 : since;
		int d0 = cal_day_from_unix(from), d1 = cal_day_from_unix(now);
		assert_int_equal(days[0].day, d0);
		/* Every day's end, from the replay; the list keeps the changes. */
		int k = 0;
		long long prev = -1;
		for (int d = d0; d <= d1; d++) {
			long long end = d == d1 ? now : (long long)(d + 1) * 86400 - CAL_UTC_OFFSET - 1;
			long long want = m_pos_at(i, end);
			if (d == d0 || want != prev) {
				assert_true(k < n);
				assert_int_equal(days[k].day, d);
				assert_int_equal(days[k].pos, want);
				k++;
			}
			prev = want;
		}
		assert_int_equal(k, n);
		changed += n > 2;
		/* One moment: the position just after an operation. */
		int op = (int)(rnd() % (unsigned long long)nops);
		if (ops[op].at >= from)
			assert_int_equal(qh_position_at(&x, ops[op].at, now), m_pos_at(i, ops[op].at));
	}
	assert_true(changed > 10);
}

static void other_queues_and_own_events_do_not_count(void **st)
{
	(void)st;
	long long t = now + 86400;
	long long a = app(1140, "ru", 2, t, t), b = app(1140, "ru", 2, t, t);
	/* Another queue (1146) and the application's own changes. */
	app(1146, "ru", 0, t, t + 1);
	set_rank(b, 1, t + 2);
	set_rank(a, 0, t + 3);
	struct qh_app x = load(a);
	struct qh_counts c;
	assert_int_equal(qh_count(&x, t, t + 10, &c), 0);
	/* b went ahead of a (then a went ahead of b by its own change). */
	assert_int_equal(c.n[QH_RECAT_AHEAD], 1);
	assert_int_equal(c.net, 1);
	for (int r = 0; r < QH__MAX; r++)
		if (r != QH_RECAT_AHEAD)
			assert_int_equal(c.n[r], 0);
	assert_int_equal(qh_position_at(&x, t + 2, t + 10), 2);
	assert_int_equal(qh_position_at(&x, t + 3, t + 10), 1);
	/* Before recording began nothing is known: the history starts there. */
	assert_int_equal(db_exec("UPDATE qh_start SET at = ?", "I", t + 2), SQLITE_DONE);
	struct qh_day d[4];
	assert_true(qh_history(&x, t - 100 * 86400, t + 10, d, 4) >= 1);
	assert_int_equal(d[0].day, cal_day_from_unix(t + 2));
	assert_int_equal(db_exec("UPDATE qh_start SET at = ?", "I", t0 - 1), SQLITE_DONE);
}

static void events_are_append_only(void **st)
{
	(void)st;
	assert_int_not_equal(db_exec("UPDATE position_event SET at = 0 WHERE id = 1", NULL), SQLITE_DONE);
	assert_int_not_equal(db_exec("DELETE FROM position_event WHERE id = 1", NULL), SQLITE_DONE);
}

static void numbers_are_masked(void **st)
{
	(void)st;
	char out[32];
	qh_mask_number("UO.2026.000123.1", out);
	assert_string_equal(out, "UO.2026.****23.1");
	qh_mask_number("UO.2019.987654.12", out);
	assert_string_equal(out, "UO.2019.****54.12");
	qh_mask_number("T.12345", out);
	assert_string_equal(out, "*****45");
}

/* ---------------------------------------------------- the likely wait */

static void wait_from_known_rates(void **st)
{
	(void)st;
	struct qh_wait w;
	long long steady[12] = {10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10};
	qh_wait_estimate(steady, 50, 6, &w);
	assert_true(w.enough);
	assert_int_equal(w.total, 120);
	assert_int_equal(w.lo, 5);
	assert_int_equal(w.hi, 5);
	/* Busy and quiet months: 12 a month at best, 4 at worst. */
	long long uneven[12] = {4, 12, 4, 12, 4, 12, 4, 12, 4, 12, 4, 12};
	qh_wait_estimate(uneven, 24, 6, &w);
	assert_int_equal(w.lo, 2);
	assert_int_equal(w.hi, 6);
	/* Rounded up, at least one month. */
	qh_wait_estimate(uneven, 25, 6, &w);
	assert_int_equal(w.lo, 3);
	assert_int_equal(w.hi, 7);
	qh_wait_estimate(steady, 1, 6, &w);
	assert_int_equal(w.lo, 1);
	assert_int_equal(w.hi, 1);
	/* Half a year without referrals: the quiet end is half the average. */
	long long half[12] = {8, 0, 8, 0, 8, 0, 8, 0, 8, 0, 8, 0};
	qh_wait_estimate(half, 16, 6, &w);
	assert_int_equal(w.lo, 2);
	assert_int_equal(w.hi, 8);
	/* Too few referrals: no estimate. */
	long long few[12] = {1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0};
	qh_wait_estimate(few, 3, 6, &w);
	assert_false(w.enough);
	assert_int_equal(w.total, 5);
	few[11] = 1;
	qh_wait_estimate(few, 3, 6, &w);
	assert_true(w.enough);
}

static void wait_of_a_generated_history(void **st)
{
	(void)st;
	/* District 1144, group year 2021: a year of 3 Russian-language
	 * referrals a month (and Kazakh ones, which do not count), then an
	 * application with 8 Russian-language applications ahead (and Kazakh
	 * ones ahead, which do not count either): 9 referrals at 3 a month. */
	long long end = now + 400 * 86400LL, month = 2629746;
	assert_int_equal(db_begin(), 0);
	for (int k = 0; k < 36; k++) {
		long long at = end - 12 * month + month / 2 + (k / 3) * month + k % 3;
		long long ru = app(1144, "ru", 2, at - 1000, at - 1000), kk = app(1144, "kk", 2, at - 1000, at - 1000);
		set_status(ru, "referred", NULL, at);
		set_status(kk, "referred", NULL, at);
	}
	for (int k = 0; k < 8; k++)
		app(1144, k % 2 ? "ru" : "en", k < 2 ? 0 : 2, end - 5000 + k, end - 5000 + k);
	for (int k = 0; k < 4; k++)
		app(1144, "ru", 2, end - 4000 + k, end - 4000 + k);
	for (int k = 0; k < 5; k++)
		app(1144, "kk", 1, end - 3000 + k, end - 3000 + k);
	long long me = app(1144, "ru", 2, end - 2000, end - 2000);
	app(1144, "ru", 2, end - 1000, end - 1000); /* behind */
	assert_int_equal(db_commit(), 0);
	struct qh_app x = load(me);
	struct qh_wait w;
	assert_int_equal(qh_wait_of(&x, end, &w), 0);
	assert_true(w.enough);
	assert_int_equal(w.total, 36);
	assert_int_equal(w.need, 9);
	assert_int_equal(w.lo, 3);
	assert_int_equal(w.hi, 3);
	/* Two years later nothing was referred: not enough data. */
	assert_int_equal(qh_wait_of(&x, end + 2 * 12 * month, &w), 0);
	assert_false(w.enough);
}

/* -------------------------------------------------------------- setup */

static int setup(void **st)
{
	(void)st;
	if (ut_setup("qhist", 0, "Queue.MaxActivePerApplicant = 1000000\n") < 0)
		return -1;
	char iin[13];
	ut_iin(1990, 5, 17, 'M', 3241, iin);
	parent = account(iin);
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	free(ops);
	return ut_teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(replay),
		cmocka_unit_test(counts_match_the_replay),
		cmocka_unit_test(history_matches_the_replay),
		cmocka_unit_test(other_queues_and_own_events_do_not_count),
		cmocka_unit_test(events_are_append_only),
		cmocka_unit_test(numbers_are_masked),
		cmocka_unit_test(wait_from_known_rates),
		cmocka_unit_test(wait_of_a_generated_history),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
