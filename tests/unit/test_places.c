/*
 * Unit tests of the free places base and referrals: the status rule, the
 * eligibility rule, the referral number, the group years, and on a scratch
 * database the saving of a record (membership checked in the query, one
 * record per confirmation), the timed rules (end of the window, annulment
 * at the deadline, the reminder) and the schema's refusals.
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
#include "domain/place.h"
#include "domain/referral.h"
#include "web/req.h"
#include "web/sess.h"
#include "base/util.h"
#include "web/view.h"
#include "base/workday.h"

#include "unit.h"

/* ---------------------------------------------------------- pure rules */

static void a_record_waits_during_its_window_then_is_free_then_exhausted(void **st)
{
	(void)st;
	long long w = 1000000;
	assert_int_equal(place_status_at(w - 100, w, 5), PLACE_WAITING);
	assert_int_equal(place_status_at(w, w, 5), PLACE_WAITING);        /* the last second still waits */
	assert_int_equal(place_status_at(w + 1, w, 5), PLACE_FREE_CHOICE);
	assert_int_equal(place_status_at(w + 1, w, 0), PLACE_EXHAUSTED);
	assert_int_equal(place_status_at(w - 100, w, 0), PLACE_EXHAUSTED); /* exhausted wins over waiting */
	assert_string_equal(place_status_names[PLACE_WAITING], "waiting");
	assert_string_equal(place_status_names[PLACE_FREE_CHOICE], "free_choice");
	assert_string_equal(place_status_names[PLACE_EXHAUSTED], "exhausted");
}

static void only_offered_applicants_take_places_during_the_window(void **st)
{
	(void)st;
	long long w = 1000000;
	struct place_rec p = {1110, 2021, "ru", 3, w};
	struct place_app a = {7, 1110, 2021, "ru", "queued"};
	assert_int_equal(place_eligible(&a, &p, 0, w - 1), PLACE_WINDOW);
	assert_int_equal(place_eligible(&a, &p, 0, w), PLACE_WINDOW);
	assert_int_equal(place_eligible(&a, &p, 1, w - 1), PLACE_OK);
	assert_int_equal(place_eligible(&a, &p, 1, w), PLACE_OK);
	/* After the window anyone queued may. */
	assert_int_equal(place_eligible(&a, &p, 0, w + 1), PLACE_OK);
	assert_int_equal(place_eligible(&a, &p, 1, w + 1), PLACE_OK);
}

static void the_application_must_be_queued_and_match_district_year_and_language(void **st)
{
	(void)st;
	long long now = 2000000, w = 1000000;
	struct place_rec p = {1110, 2021, "ru", 3, w};
	static const char *const not_queued[] = {"referred", "docs_submitted", "enrolled", "refusal_review", "departed", "archived"};
	for (size_t i = 0; i < sizeof not_queued / sizeof not_queued[0]; i++) {
		struct place_app a = {7, 1110, 2021, "ru", not_queued[i]};
		assert_int_equal(place_eligible(&a, &p, 1, now), PLACE_APP_NOT_QUEUED);
	}
	struct place_app other_district = {7, 1166, 2021, "ru", "queued"};
	struct place_app other_year = {7, 1110, 2020, "ru", "queued"};
	struct place_app other_lang = {7, 1110, 2021, "kk", "queued"};
	assert_int_equal(place_eligible(&other_district, &p, 1, now), PLACE_MISMATCH);
	assert_int_equal(place_eligible(&other_year, &p, 1, now), PLACE_MISMATCH);
	assert_int_equal(place_eligible(&other_lang, &p, 1, now), PLACE_MISMATCH);
	struct place_rec empty = {1110, 2021, "ru", 0, w};
	struct place_app a = {7, 1110, 2021, "ru", "queued"};
	assert_int_equal(place_eligible(&a, &empty, 1, now), PLACE_NO_FREE);
	/* An application that is not queued is told so first. */
	struct place_app ref = {7, 1166, 2020, "kk", "referred"};
	assert_int_equal(place_eligible(&ref, &empty, 0, now), PLACE_APP_NOT_QUEUED);
}

static void a_referral_reads_annulled_one_second_after_its_deadline(void **st)
{
	(void)st;
	long long d = 1000000;
	assert_int_equal(ref_status_at(REF_ST_ISSUED, d, d - 100), REF_ST_ISSUED);
	assert_int_equal(ref_status_at(REF_ST_ISSUED, d, d), REF_ST_ISSUED);      /* the last second still counts */
	assert_int_equal(ref_status_at(REF_ST_ISSUED, d, d + 1), REF_ST_ANNULLED);
	/* Every other status stays as stored, whatever the time. */
	for (int s = 0; s < REF_ST__MAX; s++)
		if (s != REF_ST_ISSUED)
			assert_int_equal(ref_status_at((enum ref_status)s, d, d + 1), s);
	for (int s = 0; s < REF_ST__MAX; s++)
		assert_int_equal(ref_status_parse(ref_status_names[s]), s);
	assert_int_equal(ref_status_parse("nonsense"), REF_ST__MAX);
	assert_int_equal(ref_status_parse(NULL), REF_ST__MAX);
}

static void the_window_is_open_to_offered_applicants_only_up_to_its_last_second(void **st)
{
	(void)st;
	long long w = 1000000;
	assert_int_equal(place_open(w, w, 2, 0), PLACE_WINDOW);
	assert_int_equal(place_open(w, w, 2, 1), PLACE_OK);
	assert_int_equal(place_open(w + 1, w, 2, 0), PLACE_OK);
	assert_int_equal(place_open(w + 1, w, 0, 1), PLACE_NO_FREE);
	assert_int_equal(place_open(w, w, 0, 1), PLACE_NO_FREE);
}

static void referral_numbers_are_ten_digits_like_the_seed(void **st)
{
	(void)st;
	char n[11];
	assert_int_equal(ref_number(11, 1, n), 0);
	assert_string_equal(n, "1000001101");   /* the seed's referral of application 11 */
	assert_int_equal(ref_number(6, 1, n), 0);
	assert_string_equal(n, "1000000601");
	assert_int_equal(ref_number(9999999, 99, n), 0);
	assert_string_equal(n, "1999999999");
	assert_int_equal(ref_number(1234, 12, n), 0);
	assert_string_equal(n, "1000123412");
	assert_int_equal(ref_number(10000000, 1, n), -1);
	assert_int_equal(ref_number(0, 1, n), -1);
	assert_int_equal(ref_number(5, 0, n), -1);
	assert_int_equal(ref_number(5, 100, n), -1);
}

static void group_years_are_the_preschool_ones(void **st)
{
	(void)st;
	int lo, hi;
	/* 2025-06-15 12:00 local. */
	long long t = cal_unix_from_day(cal_days_from_ymd(2025, 6, 15)) + 12 * 3600;
	place_year_range(t, &lo, &hi);
	assert_int_equal(hi, 2025);
	assert_int_equal(lo, 2025 - conf_int("Queue.MaxAgeYears", 7));
	/* New Year comes at local midnight, not at UTC midnight. */
	long long ny = cal_unix_from_day(cal_days_from_ymd(2026, 1, 1));
	place_year_range(ny, &lo, &hi);
	assert_int_equal(hi, 2026);
	place_year_range(ny - 1, &lo, &hi);
	assert_int_equal(hi, 2025);
}

/* ------------------------------------------------------------ database */

static long long account(const char *iin, int roles)
{
	long long id = db_int("SELECT id FROM account WHERE iin = ?", 0, "t", iin);
	if (!id) {
		db_exec("INSERT INTO account(iin, surname, name, roles, phone, created_at, updated_at) "
			"VALUES (?, 'ТЕСТ', 'ТЕСТ', ?, '+77010000000', 0, 0)", "ti", iin, roles);
		id = db_last_id();
	}
	return id;
}

static long long a_ddo(int district)
{
	db_exec("INSERT INTO ddo(district_id, kind, name_ru, name_kk, address, phone, owner_iin, owner_phone, owner_email, "
		"created_at, updated_at) VALUES (?, 'state', 'Сад', 'Бақша', 'ул. Абая, 1', '+77160000000', "
		"'850312412032', '+77160000000', 'a@b.kz', 0, 0)", "i", district);
	return db_last_id();
}

static struct req *staff_of(long long ddo)
{
	struct req *r = ut_req();
	long long id = account("870101300001", 2);
	db_exec("INSERT OR IGNORE INTO ddo_staff(account_id, ddo_id, since) VALUES (?, ?, 0)", "II", id, ddo);
	assert_int_equal(sess_login(r, id, "password", NULL), 0);
	return r;
}

static void a_record_is_saved_only_for_the_members_own_ddo_and_once(void **st)
{
	(void)st;
	long long mine = a_ddo(1110), other = a_ddo(1110);
	struct req *r = staff_of(mine);
	long long before = db_int("SELECT count(*) FROM free_place", 0, NULL);
	long long id;
	assert_int_equal(place_add(req_actor(r, ROLE_STAFF), other, 2021, "ru", 3, "tok-other-0000000000000000000000000000000000", NULL, &id),
			 PLACE_ADD_NOT_MEMBER);
	assert_int_equal(id, 0);
	assert_int_equal(db_int("SELECT count(*) FROM free_place", 0, NULL), before);
	assert_int_equal(place_add(req_actor(r, ROLE_STAFF), mine, 2021, "ru", 3, "tok-mine-00000000000000000000000000000000000", NULL, &id), 0);
	assert_true(id > 0);
	assert_int_equal(db_int("SELECT free FROM free_place WHERE id = ?", -1, "I", id), 3);
	assert_int_equal(db_int("SELECT count(*) FROM free_place WHERE id = ? AND status = 'waiting' "
				"AND window_until > created_at", 0, "I", id), 1);
	assert_int_equal(db_int("SELECT count(*) FROM audit WHERE action = 'place_add' AND object_id = ?", 0, "I", id), 1);
	/* The same confirmation again: nothing new. */
	long long again;
	assert_int_equal(place_add(req_actor(r, ROLE_STAFF), mine, 2021, "ru", 3, "tok-mine-00000000000000000000000000000000000", NULL, &again),
			 PLACE_ADD_DUPLICATE);
	assert_int_equal(again, id);
	assert_int_equal(db_int("SELECT count(*) FROM free_place", 0, NULL), before + 1);
	/* The window ends at 23:59:59 local time of a working day. */
	long long w = db_int("SELECT window_until FROM free_place WHERE id = ?", 0, "I", id);
	assert_int_equal((w + 1 + CAL_UTC_OFFSET) % 86400, 0);
	assert_int_equal(wd_is_working(w), 1);
	assert_int_equal(w, wd_end_after(db_int("SELECT created_at FROM free_place WHERE id = ?", 0, "I", id),
					 (int)conf_int("Places.PriorityWindowDays", 3)));
	ut_free_req(r);
}

static void the_schema_refuses_to_edit_or_delete_a_saved_record(void **st)
{
	(void)st;
	long long id = db_int("SELECT max(id) FROM free_place", 0, NULL);
	assert_true(id > 0);
	assert_int_equal(db_exec("UPDATE free_place SET total = 50 WHERE id = ?", "I", id) & 0xff, SQLITE_CONSTRAINT);
	assert_int_equal(db_exec("UPDATE free_place SET group_year = 2020 WHERE id = ?", "I", id) & 0xff, SQLITE_CONSTRAINT);
	assert_int_equal(db_exec("UPDATE free_place SET form_token = 'x' WHERE id = ?", "I", id) & 0xff, SQLITE_CONSTRAINT);
	assert_int_equal(db_exec("DELETE FROM free_place WHERE id = ?", "I", id) & 0xff, SQLITE_CONSTRAINT);
	assert_int_equal(db_exec("UPDATE free_place SET free = total + 1 WHERE id = ?", "I", id) & 0xff, SQLITE_CONSTRAINT);
	assert_int_equal(db_int("SELECT total FROM free_place WHERE id = ?", 0, "I", id), 3);
}

static long long a_child_app(const char *benefit, const char *status)
{
	static int serial = 1;
	char iin[13];
	snprintf(iin, sizeof iin, "2101015%05d", serial++);
	db_exec("INSERT INTO child(iin, surname, name, birth_date, sex, created_at) VALUES (?, 'БАЛА', 'БІР', '2021-01-01', 'M', 0)",
		"t", iin);
	long long child = db_last_id();
	long long parent = account("900517322416", 1);
	char number[32];
	snprintf(number, sizeof number, "UO.2025.%06d.1", serial);
	db_exec("INSERT INTO application(number, child_id, applicant_id, district_id, group_year, language, benefit, phone, "
		"status, archive_reason, queued_at, created_at, updated_at) VALUES (?, ?, ?, 1110, 2021, 'ru', ?, '+77015550007', ?, "
		"CASE ? WHEN 'archived' THEN 'withdrawn' END, 0, 0, 0)",
		"tIIttt", number, child, parent, benefit, status, status);
	return db_last_id();
}

static long long record(long long ddo, int total, long long created, long long window_until)
{
	db_exec("INSERT INTO free_place(ddo_id, district_id, group_year, language, total, free, created_by, created_at, "
		"window_until, status) VALUES (?, 1110, 2021, 'ru', ?, ?, ?, ?, ?, "
		"CASE WHEN ? <= ? THEN 'waiting' ELSE 'free_choice' END)",
		"IiiIIIII", ddo, total, total, account("870101300001", 2), created, window_until, created, window_until);
	return db_last_id();
}

static void priority_windows_end_on_time_and_returned_places_reopen_a_record(void **st)
{
	(void)st;
	long long ddo = a_ddo(1110);
	long long now = u_now();
	long long id = record(ddo, 1, now - 10, now + 100);
	assert_int_equal(place_refresh_status(now), 0);
	assert_int_equal(db_int("SELECT count(*) FROM free_place WHERE id = ? AND status = 'waiting'", 0, "I", id), 1);
	assert_true(place_refresh_status(now + 101) >= 1);
	assert_int_equal(db_int("SELECT count(*) FROM free_place WHERE id = ? AND status = 'free_choice'", 0, "I", id), 1);
	/* A second run finds nothing to do. */
	assert_int_equal(place_refresh_status(now + 101), 0);
	/* Taking the last place exhausts it (the schema's trigger); a place that
	 * comes back reopens it. */
	long long app = a_child_app("none", "referred");
	assert_int_equal(db_exec("INSERT INTO referral(number, application_id, free_place_id, ddo_id, status, issued_at, "
				 "deadline_at) VALUES ('1999000101', ?, ?, ?, 'issued', ?, ?)", "IIIII", app, id, ddo, now, now + 10),
			 SQLITE_DONE);
	assert_int_equal(db_int("SELECT count(*) FROM free_place WHERE id = ? AND status = 'exhausted' AND free = 0", 0, "I", id), 1);
	/* The last+1 is refused by CHECK free >= 0. */
	long long app2 = a_child_app("none", "referred");
	assert_int_equal(db_exec("INSERT INTO referral(number, application_id, free_place_id, ddo_id, status, issued_at, "
				 "deadline_at) VALUES ('1999000201', ?, ?, ?, 'issued', ?, ?)", "IIIII", app2, id, ddo, now, now + 10) & 0xff, SQLITE_CONSTRAINT);
	assert_int_equal(db_exec("UPDATE referral SET status = 'annulled' WHERE number = '1999000101'", NULL), SQLITE_DONE);
	assert_int_equal(db_int("SELECT free FROM free_place WHERE id = ?", -1, "I", id), 1);
	assert_true(place_refresh_status(now + 200) >= 1);
	assert_int_equal(db_int("SELECT count(*) FROM free_place WHERE id = ? AND status = 'free_choice'", 0, "I", id), 1);
}

static long long issued_referral(long long ddo, long long place, long long issued, long long deadline, const char *number)
{
	long long app = a_child_app("none", "referred");
	db_exec("INSERT INTO referral(number, application_id, free_place_id, ddo_id, status, issued_at, deadline_at) "
		"VALUES (?, ?, ?, ?, 'issued', ?, ?)", "tIIIII", number, app, place, ddo, issued, deadline);
	return db_last_id();
}

static void overdue_referrals_are_annulled_once_and_give_their_place_back(void **st)
{
	(void)st;
	long long ddo = a_ddo(1110);
	long long now = u_now();
	long long place = record(ddo, 2, now - 100000, now - 90000);
	long long late = issued_referral(ddo, place, now - 50000, now - 10, "1998000101");
	long long due_later = issued_referral(ddo, place, now - 50000, now + 86400, "1998000201");
	assert_int_equal(db_int("SELECT status = 'exhausted' FROM free_place WHERE id = ?", 0, "I", place), 1);
	long long n_sms = db_int("SELECT count(*) FROM notification WHERE kind = 'annulled'", 0, NULL);
	assert_int_equal(ref_annul_due(now), 1);
	assert_int_equal(db_int("SELECT count(*) FROM referral WHERE id = ? AND status = 'annulled' AND voucher = 'annulled' "
				"AND closed_at IS NOT NULL", 0, "I", late), 1);
	assert_int_equal(db_int("SELECT count(*) FROM referral WHERE id = ? AND status = 'issued'", 0, "I", due_later), 1);
	long long app = db_int("SELECT application_id FROM referral WHERE id = ?", 0, "I", late);
	assert_int_equal(db_int("SELECT count(*) FROM application WHERE id = ? AND status = 'archived' "
				"AND archive_reason = 'deadline'", 0, "I", app), 1);
	assert_int_equal(db_int("SELECT free FROM free_place WHERE id = ?", -1, "I", place), 1);
	assert_int_equal(db_int("SELECT count(*) FROM free_place WHERE id = ? AND status = 'free_choice'", 0, "I", place), 1);
	assert_int_equal(db_int("SELECT count(*) FROM history WHERE application_id = ? AND event = 'referral_annulled'", 0, "I", app), 1);
	assert_int_equal(db_int("SELECT count(*) FROM history WHERE application_id = ? AND event = 'sms_annulled'", 0, "I", app), 1);
	assert_int_equal(db_int("SELECT count(*) FROM audit WHERE action = 'referral_annul' AND object_id = ?", 0, "I", late), 1);
	char text[400];
	assert_true(db_text(text, sizeof text, "SELECT text FROM notification WHERE application_id = ? AND kind = 'annulled'", "I", app));
	assert_non_null(strstr(text, "1998000101"));
	assert_non_null(strstr(text, "аннулировано"));
	/* Idempotent. */
	assert_int_equal(ref_annul_due(now), 0);
	assert_int_equal(db_int("SELECT count(*) FROM notification WHERE kind = 'annulled'", 0, NULL), n_sms + 1);
}

static void the_reminder_comes_one_working_day_before_the_deadline_once(void **st)
{
	(void)st;
	long long ddo = a_ddo(1110);
	/* Issued on Monday 2026-06-01 10:00 (no holiday until 6 July): the
	 * deadline is the end of Monday 2026-06-08. */
	long long issued = cal_unix_from_day(cal_days_from_ymd(2026, 6, 1)) + 10 * 3600;
	long long deadline = wd_end_after(issued, 5);
	assert_int_equal(deadline, cal_unix_from_day(cal_days_from_ymd(2026, 6, 9)) - 1);
	long long place = record(ddo, 1, issued - 100000, issued - 90000);
	long long id = issued_referral(ddo, place, issued, deadline, "1997000101");
	/* Wednesday: too early. Friday 12:00: the last working day before. */
	assert_int_equal(ref_remind_due(cal_unix_from_day(cal_days_from_ymd(2026, 6, 3)) + 12 * 3600), 0);
	assert_int_equal(ref_remind_due(cal_unix_from_day(cal_days_from_ymd(2026, 6, 4)) + 12 * 3600), 0);
	long long friday = cal_unix_from_day(cal_days_from_ymd(2026, 6, 5)) + 12 * 3600;
	assert_int_equal(ref_remind_due(friday), 1);
	assert_int_equal(db_int("SELECT reminded_at FROM referral WHERE id = ?", 0, "I", id), friday);
	assert_int_equal(ref_remind_due(friday + 3600), 0);
	assert_int_equal(ref_remind_due(deadline - 60), 0);
	char text[400];
	assert_true(db_text(text, sizeof text, "SELECT n.text FROM notification n JOIN referral r ON r.application_id = n.application_id "
					       "WHERE r.id = ? AND n.kind = 'reminder'", "I", id));
	assert_non_null(strstr(text, "1997000101"));
	assert_non_null(strstr(text, "08.06.2026"));
}

static void departed_children_are_counted_since_the_last_record(void **st)
{
	(void)st;
	long long ddo = a_ddo(1110);
	assert_int_equal(place_departed_since(ddo), 0);
	long long now = u_now();
	long long app = a_child_app("none", "departed");
	db_exec("UPDATE application SET archive_reason = 'departed' WHERE id = ?", "I", app);
	long long place = record(ddo, 1, now - 5000, now - 4000);
	db_exec("INSERT INTO signature(method, purpose, action, content, signed_at) VALUES ('otp', 'action', 't', X'00', 0)", NULL);
	long long sig = db_last_id();
	db_exec("INSERT INTO referral(number, application_id, free_place_id, ddo_id, status, issued_at, deadline_at) "
		"VALUES ('1996000101', ?, ?, ?, 'enrolled', ?, ?)", "IIIII", app, place, ddo, now - 4000, now);
	long long ref = db_last_id();
	long long child = db_int("SELECT child_id FROM application WHERE id = ?", 0, "I", app);
	assert_int_equal(db_exec("INSERT INTO enrollment(referral_id, application_id, ddo_id, child_id, enrolled_at, enrolled_by, "
				 "signature_id, departed_on, departure_reason, departure_signature_id, departed_at) "
				 "VALUES (?, ?, ?, ?, ?, ?, ?, '2025-01-01', 'переезд', ?, ?)",
				 "IIIIIIIII", ref, app, ddo, child, now - 3000, account("870101300001", 2), sig, sig, now - 1000),
			 SQLITE_DONE);
	assert_int_equal(place_departed_since(ddo), 1);
	/* Adding places afterwards resets the count. */
	record(ddo, 1, now - 500, now - 400);
	assert_int_equal(place_departed_since(ddo), 0);
}

/* The SQL functions are the C functions: every combination around the
 * last second gives the same answer both ways. */
static void the_sql_functions_give_what_the_c_functions_give(void **st)
{
	(void)st;
	const long long t = 1000000;
	char got[24];
	for (long long now = t - 1; now <= t + 1; now++) {
		for (int free = 0; free <= 2; free++) {
			assert_true(db_text(got, sizeof got, "SELECT kg_place_status(?, ?, ?)", "IIi", now, t, free));
			assert_string_equal(got, place_status_names[place_status_at(now, t, free)]);
			for (int offered = 0; offered <= 1; offered++)
				assert_int_equal(db_int("SELECT kg_place_open(?, ?, ?, ?)", -1, "IIii", now, t, free, offered),
						 place_open(now, t, free, offered) == PLACE_OK);
		}
		for (int s = 0; s < REF_ST__MAX; s++) {
			assert_true(db_text(got, sizeof got, "SELECT kg_ref_status(?, ?, ?)", "tII", ref_status_names[s], t, now));
			assert_string_equal(got, ref_status_names[ref_status_at((enum ref_status)s, t, now)]);
		}
	}
	assert_int_equal(db_int("SELECT kg_ref_status('nonsense', 0, 0) IS NULL", 0, NULL), 1);
}

/* What the screens read: the base's figures by status, and a referral and
 * its application past the deadline, before the timed job has run. */
static void the_readers_see_the_status_at_now(void **st)
{
	(void)st;
	long long ddo = a_ddo(1166);   /* alone in its district */
	long long now = u_now();
	db_exec("INSERT INTO free_place(ddo_id, district_id, group_year, language, total, free, created_by, created_at, "
		"window_until, status) VALUES (?, 1166, 2021, 'ru', 4, 4, ?, ?, ?, 'waiting')",
		"IIII", ddo, account("870101300001", 2), now - 10, now);
	struct place_tally t[PLACE_STATUS__MAX];
	assert_int_equal(place_tally(1166, now, t), 0);
	assert_int_equal(t[PLACE_WAITING].records, 1);
	assert_int_equal(t[PLACE_WAITING].free, 4);
	assert_int_equal(place_tally(1166, now + 1, t), 0);
	assert_int_equal(t[PLACE_WAITING].records, 0);
	assert_int_equal(t[PLACE_FREE_CHOICE].records, 1);
	struct place_app a = {0, 1166, 2021, "ru", "queued"};
	long long until;
	assert_int_equal(place_waiting(&a, now, &until), 1);
	assert_int_equal(until, now);
	assert_int_equal(place_waiting(&a, now + 1, &until), 0);

	long long place = record(ddo, 1, now - 100000, now - 90000);
	long long id = issued_referral(ddo, place, now - 50000, now, "1995000101");
	long long app = db_int("SELECT application_id FROM referral WHERE id = ?", 0, "I", id);
	struct ref_info ref;
	const char *reason = "";
	assert_int_equal(ref_get(id, now, &ref), 1);
	assert_int_equal(ref.status, REF_ST_ISSUED);
	assert_string_equal(ref_app_status(app, "referred", now, &reason), "referred");
	assert_int_equal(ref_live(app, now, &ref), 1);
	assert_int_equal(ref_get(id, now + 1, &ref), 1);
	assert_int_equal(ref.stored, REF_ST_ISSUED);
	assert_int_equal(ref.status, REF_ST_ANNULLED);
	assert_string_equal(ref_app_status(app, "referred", now + 1, &reason), "archived");
	assert_string_equal(reason, "deadline");
	assert_int_equal(ref_live(app, now + 1, &ref), 0);
	assert_int_equal(ref_get(999999999, now, &ref), 0);
}

/* The working days of the deadline come from the setting, kept within
 * 1..99: a setting out of range gives the usual 5 rather than a deadline
 * in the past or years away. */
static void the_deadline_keeps_its_working_days_within_1_to_99(void **st)
{
	(void)st;
	long long issued = cal_unix_from_day(cal_days_from_ymd(2026, 6, 1)) + 10 * 3600;   /* Monday */
	static const struct { const char *setting; int days; } cases[] = {
		{"0", 5}, {"-3", 5}, {"100", 5}, {"1", 1}, {"99", 99}, {"3", 3},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		assert_int_equal(ut_open(0, "App.IinChecksum = 0\nReferral.DeadlineWorkingDays = %s\n", cases[i].setting), 0);
		assert_int_equal(ref_deadline_days(), cases[i].days);
		assert_int_equal(ref_deadline(issued), wd_end_after(issued, cases[i].days));
	}
	assert_int_equal(ut_open(0, "App.IinChecksum = 0\n"), 0);
	assert_int_equal(ref_deadline_days(), 5);
	/* Monday + 5 working days: the end of the next Monday. */
	assert_int_equal(ref_deadline(issued), cal_unix_from_day(cal_days_from_ymd(2026, 6, 9)) - 1);
}

/* ------------------------------------------------------------ setup */

static int setup(void **st)
{
	(void)st;
	return ut_setup("places", UT_VIEW, "App.IinChecksum = 0\n");
}

static int teardown(void **st)
{
	(void)st;
	return ut_teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_record_waits_during_its_window_then_is_free_then_exhausted),
		cmocka_unit_test(only_offered_applicants_take_places_during_the_window),
		cmocka_unit_test(the_application_must_be_queued_and_match_district_year_and_language),
		cmocka_unit_test(a_referral_reads_annulled_one_second_after_its_deadline),
		cmocka_unit_test(the_window_is_open_to_offered_applicants_only_up_to_its_last_second),
		cmocka_unit_test(referral_numbers_are_ten_digits_like_the_seed),
		cmocka_unit_test(group_years_are_the_preschool_ones),
		cmocka_unit_test(a_record_is_saved_only_for_the_members_own_ddo_and_once),
		cmocka_unit_test(the_schema_refuses_to_edit_or_delete_a_saved_record),
		cmocka_unit_test(priority_windows_end_on_time_and_returned_places_reopen_a_record),
		cmocka_unit_test(overdue_referrals_are_annulled_once_and_give_their_place_back),
		cmocka_unit_test(the_reminder_comes_one_working_day_before_the_deadline_once),
		cmocka_unit_test(departed_children_are_counted_since_the_last_record),
		cmocka_unit_test(the_sql_functions_give_what_the_c_functions_give),
		cmocka_unit_test(the_readers_see_the_status_at_now),
		cmocka_unit_test(the_deadline_keeps_its_working_days_within_1_to_99),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
