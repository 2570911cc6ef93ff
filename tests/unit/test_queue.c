/*
 * Unit tests of the queue (lib/queue.h): application numbers, the queue
 * order and positions (ties, categories, withdrawals, a child returned to
 * the queue), the counters against a plain count over thousands of random
 * changes, registration and withdrawal as one transaction each, and the
 * masking and name helpers. A scratch database under /tmp; needs KG_TOP.
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
#include "base/conf.h"
#include "base/db.h"
#include "domain/queue.h"
#include "web/req.h"
#include "web/sess.h"
#include "base/util.h"
#include "web/val.h"
#include "web/view.h"

#include "unit.h"

static long long parent, other;

/* A request of the registration screen, with a session of account (0: none). */
static struct req *new_req(long long account)
{
	struct req *r = account ? ut_req_as(account) : ut_req();
	r->path = "/queue";
	return r;
}

static long long account(const char *iin, const char *surname, const char *name)
{
	assert_int_equal(db_exec("INSERT INTO account(iin, surname, name, roles, phone, created_at, updated_at) "
				 "VALUES (?, ?, ?, 1, '', 0, 0)", "ttt", iin, surname, name), SQLITE_DONE);
	return db_last_id();
}

/* A queued application straight into the table (the position tests need
 * exact queue times); returns its id. */
static int serial_no = 100;
static long long app(int district, int year, const char *benefit, long long queued_at)
{
	char iin[13], number[32];
	ut_iin(year, 1 + serial_no % 12, 1 + serial_no % 28, 'M', serial_no, iin);
	serial_no++;
	assert_int_equal(db_exec("INSERT INTO child(iin, surname, name, birth_date, sex, created_at) "
				 "VALUES (?, 'Т', 'Т', ?, 'M', 0)", "tt", iin, "2021-01-01"), SQLITE_DONE);
	long long child = db_last_id();
	snprintf(number, sizeof number, "T.%d", serial_no);
	assert_int_equal(db_exec("INSERT INTO application(number, child_id, applicant_id, district_id, group_year, language, "
				 "benefit, phone, status, queued_at, created_at, updated_at) "
				 "VALUES (?, ?, ?, ?, ?, 'ru', ?, '+77010000000', 'queued', ?, ?, ?)",
				 "tIIiitIII", number, child, parent, district, year, benefit, queued_at, queued_at, queued_at),
			 SQLITE_DONE);
	return db_last_id();
}

static void set_status(long long id, const char *status, const char *reason)
{
	assert_int_equal(db_exec("UPDATE application SET status = ?, archive_reason = ? WHERE id = ?", "ttI", status, reason, id),
			 SQLITE_DONE);
}

static struct queue_pos pos(long long id)
{
	struct queue_pos p, q;
	assert_int_equal(queue_position(id, &p), 0);
	/* The counters and the plain count always agree. */
	if (p.queued) {
		sqlite3_stmt *st = db_query("SELECT district_id, group_year, benefit_rank, queued_at FROM application WHERE id = ?",
					    "I", id);
		assert_true(db_row(st));
		assert_int_equal(queue_position_count(sqlite3_column_int(st, 0), sqlite3_column_int(st, 1),
						      sqlite3_column_int(st, 2), sqlite3_column_int64(st, 3), id, &q), 0);
		db_done(st);
		assert_int_equal(p.overall, q.overall);
		assert_int_equal(p.in_category, q.in_category);
		for (int c = 0; c < QB__MAX; c++) {
			assert_int_equal(p.ahead[c], q.ahead[c]);
			assert_int_equal(p.total[c], q.total[c]);
		}
	}
	return p;
}

/* ------------------------------------------------------------ numbers */

static void numbers_are_uo_year_sequence_and_the_childs_count(void **st)
{
	(void)st;
	assert_int_equal(db_begin(), 0);
	char iin[13], a[32], b[32], c[32];
	ut_iin(2022, 5, 6, 'F', 1, iin);
	assert_int_equal(db_exec("INSERT INTO child(iin, surname, name, birth_date, sex, created_at) "
				 "VALUES (?, 'А', 'Б', '2022-05-06', 'F', 0)", "t", iin), SQLITE_DONE);
	long long child = db_last_id();
	long long t2025 = cal_unix_from_day(cal_days_from_ymd(2025, 12, 31)) + 23 * 3600;   /* 23:00 local */
	long long t2026 = cal_unix_from_day(cal_days_from_ymd(2026, 1, 1)) + 60;
	assert_int_equal(queue_year_of(t2025), 2025);
	assert_int_equal(queue_year_of(t2026), 2026);
	assert_int_equal(queue_next_number(child, t2025, a), 0);
	assert_int_equal(queue_next_number(child, t2025, b), 0);
	assert_int_equal(queue_next_number(child, t2026, c), 0);
	assert_string_equal(a, "UO.2025.000001.1");
	assert_string_equal(b, "UO.2025.000002.1");
	assert_string_equal(c, "UO.2026.000001.1");
	/* n = 1 + the child's earlier applications. */
	assert_int_equal(db_exec("INSERT INTO application(number, child_id, applicant_id, district_id, group_year, language, "
				 "benefit, phone, status, archive_reason, queued_at, created_at, updated_at) VALUES (?, ?, ?, 1110, "
				 "2022, 'ru', 'none', '+7', 'archived', 'withdrawn', 0, 0, 0)", "tII", a, child, parent),
			 SQLITE_DONE);
	assert_int_equal(queue_next_number(child, t2025, b), 0);
	assert_string_equal(b, "UO.2025.000003.2");
	/* The sequence has six digits: the millionth number of a year is refused. */
	assert_int_equal(db_exec("UPDATE app_seq SET last = 999999 WHERE year = 2026", NULL), SQLITE_DONE);
	assert_int_equal(queue_next_number(child, t2026, c), -1);
	assert_int_equal(db_rollback(), 0);
	assert_int_equal(db_int("SELECT count(*) FROM app_seq", 0, NULL), 0);
}

static void number_shapes_are_checked(void **st)
{
	(void)st;
	assert_true(queue_number_valid("UO.2018.000011.1"));
	assert_true(queue_number_valid("UO.2026.123456.12"));
	assert_false(queue_number_valid("UO.2018.00011.1"));
	assert_false(queue_number_valid("UO.18.000011.1"));
	assert_false(queue_number_valid("uo.2018.000011.1"));
	assert_false(queue_number_valid("UO.2018.000011."));
	assert_false(queue_number_valid("UO.2018.000011.1234"));
	assert_false(queue_number_valid("UO.2018.000011.1 "));
	assert_false(queue_number_valid("16.UO.2015.9154.1"));
	assert_false(queue_number_valid(""));
	assert_false(queue_number_valid(NULL));
}

/* ----------------------------------------------------------- positions */

static void the_order_is_category_then_time_then_id(void **st)
{
	(void)st;
	const int D = 1132, Y = 2021;
	long long t = 1700000000;
	long long n1 = app(D, Y, "none", t);
	long long f1 = app(D, Y, "first_priority", t + 100);
	long long n2 = app(D, Y, "none", t + 200);
	long long n3 = app(D, Y, "none", t + 200);           /* a tie on the time: n2's id is lower */
	long long o1 = app(D, Y, "out_of_turn", t + 300);
	long long f2 = app(D, Y, "first_priority", t + 50 * 86400);
	long long other_year = app(D, Y + 1, "out_of_turn", t);
	long long other_district = app(1134, Y, "out_of_turn", t);
	(void)other_year, (void)other_district;
	struct queue_pos p = pos(o1);
	assert_int_equal(p.overall, 1);
	assert_int_equal(p.in_category, 1);
	p = pos(f1);
	assert_int_equal(p.overall, 2);
	assert_int_equal(p.ahead[QB_OUT_OF_TURN], 1);
	p = pos(f2);
	assert_int_equal(p.overall, 3);
	assert_int_equal(p.in_category, 2);
	p = pos(n1);
	assert_int_equal(p.overall, 4);
	assert_int_equal(p.in_category, 1);
	assert_int_equal(p.ahead[QB_OUT_OF_TURN], 1);
	assert_int_equal(p.ahead[QB_FIRST_PRIORITY], 2);
	assert_int_equal(p.ahead[QB_NONE], 0);
	p = pos(n2);
	assert_int_equal(p.overall, 5);
	p = pos(n3);
	assert_int_equal(p.overall, 6);
	assert_int_equal(p.in_category, 3);
	assert_int_equal(p.ahead[QB_NONE], 2);
	assert_int_equal(p.total[QB_OUT_OF_TURN], 1);
	assert_int_equal(p.total[QB_FIRST_PRIORITY], 2);
	assert_int_equal(p.total[QB_NONE], 3);

	/* A withdrawal moves the ones behind up; it has no position itself. */
	set_status(f1, "archived", "withdrawn");
	p = pos(f1);
	assert_int_equal(p.queued, 0);
	assert_int_equal(p.overall, 0);
	assert_int_equal(pos(f2).overall, 2);
	assert_int_equal(pos(n3).overall, 5);
	assert_int_equal(pos(n3).ahead[QB_FIRST_PRIORITY], 1);
	/* A referral takes n1 out of the queue; a confirmed refusal brings it
	 * back with its original queue time: first of its category again. */
	set_status(n1, "referred", NULL);
	assert_int_equal(pos(n2).in_category, 1);
	set_status(n1, "refusal_review", NULL);
	set_status(n1, "queued", NULL);
	p = pos(n1);
	assert_int_equal(p.in_category, 1);
	assert_int_equal(pos(n2).in_category, 2);
	/* A change of category moves the application between categories: n3,
	 * queued before o1, becomes the first out of turn. */
	assert_int_equal(db_exec("UPDATE application SET benefit = 'out_of_turn' WHERE id = ?", "I", n3), SQLITE_DONE);
	p = pos(n3);
	assert_int_equal(p.overall, 1);
	assert_int_equal(p.in_category, 1);
	assert_int_equal(pos(o1).overall, 2);
	assert_int_equal(pos(n2).overall, 5);
	/* An unknown application. */
	assert_int_equal(queue_position(999999999, &p), -1);
}

/* Two registrations at once can commit in the other order: a later id may
 * carry an earlier queue time of the same day. Within a day the time
 * decides, and only an equal time goes by id. */
static void within_a_day_the_time_decides_before_the_id(void **st)
{
	(void)st;
	const int D = 1136, Y = 2020;
	long long day = 1700006400; /* a midnight, UTC */
	long long late = app(D, Y, "none", day + 10 * 3600);
	long long early = app(D, Y, "none", day + 9 * 3600);   /* a higher id, an earlier time */
	long long tie = app(D, Y, "none", day + 9 * 3600);     /* the same time as early: after it by id */
	long long first = app(D, Y, "first_priority", day + 11 * 3600);
	assert_true(early > late && tie > early);
	struct queue_pos p = pos(early);  /* pos() also checks the plain count agrees */
	assert_int_equal(p.overall, 2);
	assert_int_equal(p.in_category, 1);
	assert_int_equal(pos(tie).in_category, 2);
	assert_int_equal(pos(late).in_category, 3);
	assert_int_equal(pos(late).ahead[QB_NONE], 2);
	assert_int_equal(pos(first).overall, 1);
	/* queue_position_of with the same key gives the same place. */
	struct queue_pos q;
	assert_int_equal(queue_position_of(D, Y, QB_NONE, day + 9 * 3600, early, &q), 0);
	assert_int_equal(q.overall, 2);
	assert_int_equal(queue_position_of(D, Y, QB_NONE, day + 10 * 3600, late, &q), 0);
	assert_int_equal(q.overall, 4);
}

/* The counters against the plain count, over many random changes in a few
 * queues with queue times spread over years (crossing days and 32-day
 * blocks) and many ties. */
static void counters_agree_with_counting_through_random_changes(void **st)
{
	(void)st;
	const int districts[2] = {1136, 1138}, years[2] = {2020, 2022};
	static const char *const cats[3] = {"out_of_turn", "first_priority", "none"};
	long long ids[600];
	int n = 0;
	unsigned long long x = 88172645463325252ULL;
	long long t0 = 1600000000;
	assert_int_equal(db_begin(), 0);
	for (int step = 0; step < 1500; step++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		int op = (int)(x % 10);
		if (n < 600 && (op < 6 || n == 0)) {
			long long t = t0 + (long long)(x >> 20) % (3 * 365) * 86400 + (long long)(x >> 12) % 3 * 3600;
			ids[n++] = app(districts[x >> 40 & 1], years[x >> 41 & 1], cats[(x >> 42) % 3], t);
		} else {
			long long id = ids[(x >> 8) % (unsigned long long)n];
			static const char *const moves[] = {"archived", "queued", "referred", "queued"};
			const char *to = moves[(x >> 30) % 4];
			set_status(id, to, strcmp(to, "archived") == 0 ? "withdrawn" : NULL);
		}
	}
	assert_int_equal(db_commit(), 0);
	int checked = 0;
	for (int i = 0; i < n; i++) {
		struct queue_pos p = pos(ids[i]);   /* asserts the agreement */
		checked += p.queued;
	}
	assert_true(checked > 100);
	/* Every queue's positions are 1..N without gaps. */
	for (int d = 0; d < 2; d++)
		for (int y = 0; y < 2; y++) {
			long long total = db_int("SELECT count(*) FROM application WHERE status = 'queued' AND district_id = ? "
						 "AND group_year = ?", 0, "ii", districts[d], years[y]);
			sqlite3_stmt *s = db_query("SELECT id FROM application WHERE status = 'queued' AND district_id = ? "
						   "AND group_year = ? ORDER BY benefit_rank, queued_at, id", "ii", districts[d], years[y]);
			long long want = 1;
			long long list[700];
			int k = 0;
			while (db_row(s) && k < 700)
				list[k++] = sqlite3_column_int64(s, 0);
			db_done(s);
			for (int i = 0; i < k; i++, want++)
				assert_int_equal(pos(list[i]).overall, want);
			assert_int_equal(want - 1, total);
		}
	/* The counters never go below zero and sum to the queue. */
	assert_int_equal(db_int("SELECT count(*) FROM queue_day WHERE n < 0", 1, NULL), 0);
	assert_int_equal(db_int("SELECT sum(n) FROM queue_count", 0, NULL),
			 db_int("SELECT count(*) FROM application WHERE status = 'queued'", -1, NULL));
	assert_int_equal(db_int("SELECT sum(n) FROM queue_block", 0, NULL),
			 db_int("SELECT count(*) FROM application WHERE status = 'queued'", -1, NULL));
}

/* -------------------------------------------------- register, withdraw */

static long long count(const char *table)
{
	if (strcmp(table, "child") == 0)
		return db_int("SELECT count(*) FROM child", 0, NULL);
	if (strcmp(table, "application") == 0)
		return db_int("SELECT count(*) FROM application", 0, NULL);
	if (strcmp(table, "history") == 0)
		return db_int("SELECT count(*) FROM history", 0, NULL);
	return db_int("SELECT count(*) FROM audit", 0, NULL);
}

static void registration_writes_everything_once_or_nothing(void **st)
{
	(void)st;
	struct req *r = new_req(parent);
	char iin[13], number[32], dup[32];
	ut_iin(2023, 3, 14, 'F', 4242, iin);
	struct queue_reg in = {
		.applicant_id = parent, .child_iin = iin, .child_surname = "НУРЛАНОВА", .child_name = "АЙША",
		.child_patronymic = "", .birth_date = "2023-03-14", .sex = 'F', .district = 1110, .group_year = 2023,
		.language = "kk", .ground = "large_family", .ddo = {0, 0, 0}, .phone = "+77015550007", .email = "",
	};
	long long c0 = count("child"), a0 = count("application"), h0 = count("history"), u0 = count("audit");
	long long id;
	assert_int_equal(queue_register(req_actor(r, ROLE_CITIZEN), &in, &id, number), QUEUE_OK);
	assert_true(queue_number_valid(number));
	assert_int_equal(count("child") - c0, 1);
	assert_int_equal(count("application") - a0, 1);
	assert_int_equal(count("history") - h0, 1);
	assert_int_equal(count("audit") - u0, 1);
	char benefit[32];
	assert_true(db_text(benefit, sizeof benefit, "SELECT benefit || '/' || benefit_ground FROM application WHERE id = ?", "I", id));
	assert_string_equal(benefit, "first_priority/large_family");
	assert_int_equal(pos(id).queued, 1);
	/* The same child again, in another district: refused with the number,
	 * nothing written. */
	in.district = 1166;
	assert_int_equal(queue_register(req_actor(r, ROLE_CITIZEN), &in, &id, dup), QUEUE_DUPLICATE);
	assert_string_equal(dup, number);
	assert_int_equal(count("application") - a0, 1);
	assert_int_equal(count("audit") - u0, 1);
	assert_false(db_in_tx());
	/* Withdrawal: only the applicant's own, only while queued. */
	struct req *o = new_req(other);
	assert_int_equal(queue_withdraw(req_actor(o, ROLE_CITIZEN), other, id), 1);
	assert_int_equal(queue_withdraw(req_actor(r, ROLE_CITIZEN), parent, id), QUEUE_OK);
	assert_int_equal(queue_withdraw(req_actor(r, ROLE_CITIZEN), parent, id), 1);
	char st_[40];
	assert_true(db_text(st_, sizeof st_, "SELECT status || '/' || archive_reason FROM application WHERE id = ?", "I", id));
	assert_string_equal(st_, "archived/withdrawn");
	assert_int_equal(db_int("SELECT count(*) FROM history WHERE application_id = ? AND event = 'withdrawn'", 0, "I", id), 1);
	/* Registered again: the child row is reused and the number ends in .2. */
	long long id2;
	in.child_name = "АЙШАБИБИ";
	assert_int_equal(queue_register(req_actor(r, ROLE_CITIZEN), &in, &id2, number), QUEUE_OK);
	assert_int_equal(count("child") - c0, 1);
	assert_int_equal(number[strlen(number) - 1], '2');
	char name[64];
	assert_true(db_text(name, sizeof name, "SELECT name FROM child WHERE iin = ?", "t", iin));
	assert_string_equal(name, "АЙШАБИБИ");
	ut_free_req(o);
	ut_free_req(r);
}

static void an_account_without_names_gets_the_ones_given(void **st)
{
	(void)st;
	char aiin[13], iin[13], number[32];
	ut_iin(1992, 2, 2, 'M', 61, aiin);
	long long acc = account(aiin, "", "");
	struct req *r = new_req(acc);
	ut_iin(2024, 8, 8, 'M', 7777, iin);
	struct queue_reg in = {
		.applicant_id = acc, .child_iin = iin, .child_surname = "ЕСЕНОВ", .child_name = "АЛИ", .birth_date = "2024-08-08",
		.sex = 'M', .district = 1118, .group_year = 2024, .language = "ru", .phone = "+77017000001", .email = "a@b.kz",
		.applicant_surname = "ЕСЕНОВ", .applicant_name = "МАРАТ", .applicant_patronymic = "",
	};
	long long id;
	assert_int_equal(queue_register(req_actor(r, ROLE_CITIZEN), &in, &id, number), QUEUE_OK);
	char got[120];
	assert_true(db_text(got, sizeof got, "SELECT surname || ' ' || name || ' ' || phone || ' ' || email FROM account WHERE id = ?",
			    "I", acc));
	assert_string_equal(got, "ЕСЕНОВ МАРАТ +77017000001 a@b.kz");
	/* An account with names keeps them. */
	char iin2[13];
	ut_iin(2024, 9, 9, 'F', 7778, iin2);
	in.child_iin = iin2;
	in.applicant_surname = "ДРУГОЙ";
	in.applicant_name = "ЧЕЛОВЕК";
	assert_int_equal(queue_register(req_actor(r, ROLE_CITIZEN), &in, &id, number), QUEUE_OK);
	assert_true(db_text(got, sizeof got, "SELECT surname || ' ' || name FROM account WHERE id = ?", "I", acc));
	assert_string_equal(got, "ЕСЕНОВ МАРАТ");
	ut_free_req(r);
}

/* ------------------------------------------------------------- helpers */

static void names_are_checked_capitalised_and_masked(void **st)
{
	(void)st;
	struct arena *a = arena_new();
	assert_string_equal(queue_upper(a, "  нұрланова  әйгерім-ғалия "), "НҰРЛАНОВА ӘЙГЕРІМ-ҒАЛИЯ");
	assert_string_equal(queue_upper(a, "ёлкин іңқөүһ o'neil"), "ЁЛКИН ІҢҚӨҮҺ O'NEIL");
	assert_true(queue_name_ok("Сейтқали"));
	assert_true(queue_name_ok("Анна-Мария"));
	assert_true(queue_name_ok("O'Neil"));
	assert_false(queue_name_ok("Али2"));
	assert_false(queue_name_ok("-Али"));
	assert_false(queue_name_ok("<b>"));
	assert_false(queue_name_ok(""));
	arena_free(a);
}

static void every_ground_has_its_category_and_texts_in_both_languages(void **st)
{
	(void)st;
	int n[QB__MAX] = {0};
	struct req *r = new_req(0);
	for (const struct queue_ground *g = queue_grounds; g->code; g++) {
		assert_ptr_equal(queue_ground(g->code), g);
		n[g->category]++;
		char k[96];
		for (int l = 0; l < 2; l++) {
			r->lang = l ? "kk" : "ru";
			snprintf(k, sizeof k, "Benefit.g.%s.name", g->code);
			assert_true(view_has(r, k));
			snprintf(k, sizeof k, "Benefit.g.%s.law", g->code);
			assert_true(view_has(r, k));
		}
	}
	assert_true(n[QB_OUT_OF_TURN] >= 4);
	assert_true(n[QB_FIRST_PRIORITY] >= 2);
	assert_int_equal(n[QB_NONE], 0);
	assert_null(queue_ground("none"));
	assert_null(queue_ground(""));
	assert_null(queue_ground("vip"));
	ut_free_req(r);
}

/* The cap per applicant (Queue.MaxActivePerApplicant): active
 * applications and pending guardian requests count, archived ones do not;
 * a pending request for a child refuses its registration; a confirmed
 * request's registration keeps its date. */
static void the_cap_counts_active_applications_and_pending_requests(void **st)
{
	(void)st;
	char iin[13];
	ut_iin(1985, 2, 3, 'F', 3300, iin);
	long long mum = account(iin, "КАПОВА", "МАМА");
	struct req *r = new_req(mum);
	HDF *h = conf_hdf();
	hdf_set_value(h, "Queue.MaxActivePerApplicant", "2");
	char kid[4][13], number[32];
	long long id[4];
	struct queue_reg in = {
		.applicant_id = mum, .child_surname = "КАПОВ", .child_name = "САЯН", .child_patronymic = "",
		.sex = 'M', .district = 1110, .group_year = 2022, .language = "ru", .phone = "+77015550001", .email = "",
	};
	for (int i = 0; i < 4; i++)
		ut_iin(2022, 5, 1 + i, 'M', 3310 + i, kid[i]);
	in.birth_date = "2022-05-01";
	for (int i = 0; i < 2; i++) {
		in.child_iin = kid[i];
		assert_int_equal(queue_register(req_actor(r, ROLE_CITIZEN), &in, &id[i], number), QUEUE_OK);
	}
	in.child_iin = kid[2];
	long long apps = db_int("SELECT count(*) FROM application", 0, NULL);
	assert_int_equal(queue_register(req_actor(r, ROLE_CITIZEN), &in, &id[2], number), QUEUE_CAP);
	assert_int_equal(db_int("SELECT count(*) FROM application", 0, NULL), apps);
	/* A withdrawn one no longer counts. */
	assert_int_equal(queue_withdraw(req_actor(r, ROLE_CITIZEN), mum, id[0]), QUEUE_OK);
	assert_int_equal(queue_register(req_actor(r, ROLE_CITIZEN), &in, &id[2], number), QUEUE_OK);
	/* A pending guardian request counts, and blocks its child for anyone. */
	assert_int_equal(queue_withdraw(req_actor(r, ROLE_CITIZEN), mum, id[1]), QUEUE_OK);
	assert_int_equal(db_exec("INSERT INTO guardian_request(applicant_id, child_iin, child_surname, child_name, birth_date, "
				 "sex, district_id, group_year, language, phone, doc_sha256, doc_size, doc_mime, doc_name, "
				 "created_at) VALUES (?, ?, 'КАПОВ', 'ЕРЖАН', '2022-05-04', 'M', 1110, 2022, 'ru', "
				 "'+77015550001', ?, 10, 'application/pdf', 'g.pdf', 1000)",
				 "Itt", mum, kid[3], "0000000000000000000000000000000000000000000000000000000000000000"),
			 SQLITE_DONE);
	long long req_id = db_last_id();
	in.child_iin = kid[1];
	assert_int_equal(queue_register(req_actor(r, ROLE_CITIZEN), &in, &id[1], number), QUEUE_CAP);
	struct req *o = new_req(other);
	struct queue_reg oth = in;
	oth.applicant_id = other;
	oth.child_iin = kid[3];
	assert_int_equal(queue_register(req_actor(o, ROLE_CITIZEN), &oth, &id[3], number), QUEUE_PENDING);
	assert_int_equal(atoll(number), req_id);
	/* Its confirmation is not refused by itself, and keeps its date. */
	in.child_iin = kid[3];
	in.guardian_request = req_id;
	in.queued_at = 1000;
	assert_int_equal(queue_register(req_actor(r, ROLE_CITIZEN), &in, &id[3], number), QUEUE_OK);
	assert_int_equal(db_int("SELECT queued_at FROM application WHERE id = ?", 0, "I", id[3]), 1000);
	hdf_set_value(h, "Queue.MaxActivePerApplicant", "1000000");
	ut_free_req(o);
	ut_free_req(r);
}

/* -------------------------------------------------------------- setup */

static int setup(void **st)
{
	(void)st;
	/* (parent has hundreds of applications here: the cap is its own test's.) */
	if (ut_setup("queue", UT_VIEW, "Queue.MaxActivePerApplicant = 1000000\n") < 0)
		return -1;
	char iin[13];
	ut_iin(1990, 5, 17, 'M', 3241, iin);
	parent = account(iin, "НУРЛАНОВ", "АСХАТ");
	ut_iin(1991, 6, 18, 'F', 3242, iin);
	other = account(iin, "ДРУГАЯ", "МАМА");
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	return ut_teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbers_are_uo_year_sequence_and_the_childs_count),
		cmocka_unit_test(number_shapes_are_checked),
		cmocka_unit_test(the_order_is_category_then_time_then_id),
		cmocka_unit_test(within_a_day_the_time_decides_before_the_id),
		cmocka_unit_test(counters_agree_with_counting_through_random_changes),
		cmocka_unit_test(registration_writes_everything_once_or_nothing),
		cmocka_unit_test(an_account_without_names_gets_the_ones_given),
		cmocka_unit_test(the_cap_counts_active_applications_and_pending_requests),
		cmocka_unit_test(names_are_checked_capitalised_and_masked),
		cmocka_unit_test(every_ground_has_its_category_and_texts_in_both_languages),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
