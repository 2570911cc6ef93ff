/*
 * Unit tests of the benefit confirmation (domain/benefit.h): which
 * referral waits for the education department, its due time in working
 * days, and on a scratch database the referral that waits (its deadline is
 * the confirmation's, its SMS says where and by when, no document
 * reminder), the lapse when nobody answers (annulled, the place back, the
 * application queued again with its date and no benefit — never archived
 * for the document deadline), and a refusal.
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
#include "domain/benefit.h"
#include "domain/referral.h"

#include "unit.h"

/* ---------------------------------------------------------- pure rules */

static void out_of_turn_waits_and_first_priority_only_where_the_region_says_so(void **st)
{
	(void)st;
	assert_int_equal(benefit_needs_check("out_of_turn", 0), 1);
	assert_int_equal(benefit_needs_check("out_of_turn", 1), 1);
	assert_int_equal(benefit_needs_check("first_priority", 0), 0);
	assert_int_equal(benefit_needs_check("first_priority", 1), 1);
	assert_int_equal(benefit_needs_check("none", 0), 0);
	assert_int_equal(benefit_needs_check("none", 1), 0);
	assert_int_equal(benefit_needs_check("", 1), 0);
	assert_int_equal(benefit_needs_check(NULL, 1), 0);
	assert_string_equal(benefit_check_names[BC_PENDING], "pending");
	assert_string_equal(benefit_check_names[BC_NONE], "");
}

/* Local noon (UTC+5) of a date, as a Unix time. */
static long long noon(int y, int m, int d) { return cal_unix_from_day(cal_days_from_ymd(y, m, d)) + 12 * 3600; }
/* The last second of a local day. */
static long long day_end(int y, int m, int d) { return cal_unix_from_day(cal_days_from_ymd(y, m, d) + 1) - 1; }

static void the_confirmation_is_due_at_the_end_of_its_last_working_day(void **st)
{
	(void)st;
	assert_int_equal(benefit_confirm_days(), 5);
	assert_int_equal(benefit_confirm_first(), 0);
	/* Monday 1 June 2026 + 5 working days: the end of Monday 8 June. */
	assert_int_equal(benefit_due(noon(2026, 6, 1)), day_end(2026, 6, 8));
	/* Thursday 19 March 2026: Nauryz and its transfers are skipped. */
	assert_int_equal(benefit_due(noon(2026, 3, 19)), day_end(2026, 3, 31));
	static const struct { const char *setting; int days; } cases[] = {
		{"0", 5}, {"-1", 5}, {"100", 5}, {"1", 1}, {"3", 3}, {"99", 99},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		assert_int_equal(ut_open(0, "App.IinChecksum = 0\nBenefit.ConfirmWorkingDays = %s\n", cases[i].setting), 0);
		assert_int_equal(benefit_confirm_days(), cases[i].days);
		assert_int_equal(benefit_due(noon(2026, 6, 1)), wd_end_after(noon(2026, 6, 1), cases[i].days));
	}
	assert_int_equal(ut_open(0, "App.IinChecksum = 0\nBenefit.ConfirmWorkingDays = 3\n"), 0);
	assert_int_equal(benefit_due(noon(2026, 6, 1)), day_end(2026, 6, 4));   /* Thursday */
	assert_int_equal(ut_open(0, "App.IinChecksum = 0\nBenefit.ConfirmFirstPriority = 1\n"), 0);
	assert_int_equal(benefit_confirm_first(), 1);
	assert_int_equal(ut_open(0, "App.IinChecksum = 0\n"), 0);
}

/* ---------------------------------------------------------- on a database */

static long long parent_id(void)
{
	long long id = db_int("SELECT id FROM account WHERE iin = '900517322416'", 0, NULL);
	if (!id) {
		db_exec("INSERT INTO account(iin, surname, name, roles, phone, created_at, updated_at) "
			"VALUES ('900517322416', 'ТЕСТ', 'ТЕСТ', 1, '+77015550007', 0, 0)", NULL);
		id = db_last_id();
	}
	return id;
}

static long long an_app(const char *benefit, const char *ground, long long queued_at)
{
	static int serial = 1;
	char iin[13], number[32];
	snprintf(iin, sizeof iin, "2101016%05d", serial);
	snprintf(number, sizeof number, "UO.2025.%06d.1", 500000 + serial++);
	db_exec("INSERT INTO child(iin, surname, name, birth_date, sex, created_at) VALUES (?, 'БАЛА', 'БІР', '2021-01-01', 'M', 0)",
		"t", iin);
	long long child = db_last_id();
	db_exec("INSERT INTO application(number, child_id, applicant_id, district_id, group_year, language, benefit, "
		"benefit_ground, phone, status, queued_at, created_at, updated_at) "
		"VALUES (?, ?, ?, 1110, 2021, 'ru', ?, ?, '+77015550007', 'queued', ?, ?, ?)",
		"tIIttIII", number, child, parent_id(), benefit, ground, queued_at, queued_at, queued_at);
	return db_last_id();
}

/* A record of one place in free choice (its window is over). */
static long long a_place(void)
{
	db_exec("INSERT INTO ddo(district_id, kind, name_ru, name_kk, address, phone, owner_iin, owner_phone, owner_email, "
		"created_at, updated_at) VALUES (1110, 'state', 'Сад', 'Бақша', 'ул. Абая, 1', '+77160000000', "
		"'850312412032', '+77160000000', 'a@b.kz', 0, 0)", NULL);
	long long ddo = db_last_id();
	long long now = u_now();
	db_exec("INSERT INTO free_place(ddo_id, district_id, group_year, language, total, free, created_by, created_at, "
		"window_until, status) VALUES (?, 1110, 2021, 'ru', 1, 1, ?, ?, ?, 'free_choice')",
		"IIII", ddo, parent_id(), now - 100000, now - 90000);
	return db_last_id();
}

static long long issue(long long app, long long place)
{
	struct arena *a = arena_new();
	struct actor who = {parent_id(), "citizen", "127.0.0.9"};
	struct ref_issued out;
	assert_int_equal(ref_issue(who, a, "ru", app, place, &out), REF_OK);
	arena_free(a);
	return out.id;
}

static void an_out_of_turn_referral_waits_with_the_confirmations_deadline(void **st)
{
	(void)st;
	long long now = u_now();
	long long app = an_app("out_of_turn", "orphan", now - 400 * 86400);
	long long ref = issue(app, a_place());
	long long due = db_int("SELECT benefit_due_at FROM referral WHERE id = ? AND benefit_check = 'pending'", 0, "I", ref);
	assert_true(due > now);
	assert_int_equal(due, benefit_due(db_int("SELECT issued_at FROM referral WHERE id = ?", 0, "I", ref)));
	struct ref_info info;
	assert_int_equal(ref_get(ref, now, &info), 1);
	assert_int_equal(info.benefit_pending, 1);
	assert_int_equal(info.deadline_at, due);
	assert_int_equal(info.status, REF_ST_ISSUED);
	/* One SMS: where to bring the original, and by when; none about documents. */
	char text[600], d[11];
	u_fmt_date(due, d);
	assert_true(db_text(text, sizeof text, "SELECT text FROM notification WHERE application_id = ? AND kind = 'benefit_pending'",
			    "I", app));
	assert_non_null(strstr(text, "отдел образования (г. Кокшетау)"));
	assert_non_null(strstr(text, d));
	assert_int_equal(db_int("SELECT count(*) FROM notification WHERE application_id = ? AND kind = 'referral'", -1, "I", app), 0);
	assert_int_equal(db_int("SELECT count(*) FROM history WHERE application_id = ? AND event = 'benefit_pending' AND p3 = ?",
				0, "It", app, d), 1);
	/* No reminder of a document deadline that has not started. */
	assert_int_equal(ref_remind_due(due - 3600), 0);
	/* A first-priority referral does not wait where the region does not say so. */
	long long fp = an_app("first_priority", "large_family", now - 300 * 86400);
	long long ref2 = issue(fp, a_place());
	assert_int_equal(db_int("SELECT benefit_check = '' FROM referral WHERE id = ?", 0, "I", ref2), 1);
	assert_int_equal(ref_get(ref2, now, &info), 1);
	assert_int_equal(info.benefit_pending, 0);
	assert_int_equal(info.deadline_at, ref_deadline(info.issued_at));
}

static void an_unanswered_confirmation_lapses_and_the_child_stays_queued_without_the_benefit(void **st)
{
	(void)st;
	long long now = u_now();
	long long queued_at = now - 500 * 86400;
	long long app = an_app("out_of_turn", "child_disabled", queued_at);
	long long place = a_place();
	long long ref = issue(app, place);
	long long due = db_int("SELECT benefit_due_at FROM referral WHERE id = ?", 0, "I", ref);
	assert_int_equal(db_int("SELECT free FROM free_place WHERE id = ?", -1, "I", place), 0);
	/* Before the due time nothing lapses. */
	assert_int_equal(benefit_lapse_due(due), 0);
	/* Past it, the application reads queued (not archived for a document
	 * deadline), and the deadline job leaves it to the lapse. */
	const char *reason = NULL;
	assert_string_equal(ref_app_status(app, "referred", due + 1, &reason), "queued");
	assert_null(reason);
	assert_true(ref_annul_due(due + 1) >= 0);   /* (the earlier test's referrals are due too) */
	assert_int_equal(db_int("SELECT count(*) FROM referral WHERE id = ? AND status = 'issued'", 0, "I", ref), 1);
	assert_int_equal(db_int("SELECT count(*) FROM application WHERE id = ? AND status = 'referred'", 0, "I", app), 1);
	long long due_now = db_int("SELECT count(*) FROM referral WHERE benefit_check = 'pending' AND benefit_due_at < ?", 0, "I",
				   due + 1);   /* this one, and the earlier test's */
	assert_true(due_now >= 1);
	assert_int_equal(benefit_lapse_due(due + 1), due_now);
	assert_int_equal(db_int("SELECT count(*) FROM referral WHERE id = ? AND status = 'annulled' AND voucher = 'annulled' "
				"AND benefit_check = 'lapsed' AND benefit_decided_at = ?", 0, "II", ref, due + 1), 1);
	assert_int_equal(db_int("SELECT count(*) FROM application WHERE id = ? AND status = 'queued' AND benefit = 'none' "
				"AND benefit_ground = '' AND queued_at = ? AND archive_reason IS NULL", 0, "II", app, queued_at), 1);
	assert_int_equal(db_int("SELECT free FROM free_place WHERE id = ?", -1, "I", place), 1);
	assert_int_equal(db_int("SELECT count(*) FROM history WHERE application_id = ? AND event = 'benefit_lapsed'", 0, "I", app), 1);
	assert_int_equal(db_int("SELECT count(*) FROM notification WHERE application_id = ? AND kind = 'benefit_lapsed'", 0, "I", app), 1);
	assert_int_equal(db_int("SELECT count(*) FROM audit WHERE action = 'benefit_lapse' AND object_id = ?", 0, "I", ref), 1);
	/* Once. */
	assert_int_equal(benefit_lapse_due(due + 2), 0);
}

static void a_refusal_annuls_and_requeues_a_confirmation_before_its_due_time_only(void **st)
{
	(void)st;
	long long now = u_now();
	long long queued_at = now - 200 * 86400;
	long long app = an_app("out_of_turn", "orphan", queued_at);
	long long place = a_place();
	long long ref = issue(app, place);
	long long due = db_int("SELECT benefit_due_at FROM referral WHERE id = ?", 0, "I", ref);
	struct actor reviewer = {parent_id(), "reviewer", "127.0.0.9"};
	assert_int_equal(db_exec("INSERT INTO signature(account_id, method, purpose, action, object_type, object_id, content, "
				 "otp_phone, signed_at) VALUES (?, 'otp', 'action', 'benefit_refuse', 'referral', ?, "
				 "CAST('x' AS BLOB), '+77015550007', ?)", "III", reviewer.id, ref, now),
			 SQLITE_DONE);
	long long sig = db_last_id();
	/* Past the due time it is no longer the reviewer's to refuse. */
	assert_int_equal(db_begin(), 0);
	assert_int_equal(benefit_refuse(ref, reviewer, "Справка недействительна", sig, due + 1), 0);
	assert_int_equal(benefit_confirm(ref, reviewer, "Подтверждаю", sig, due + 5 * 86400, due + 1), 0);
	db_rollback();
	assert_int_equal(db_begin(), 0);
	assert_int_equal(benefit_refuse(ref, reviewer, "Справка недействительна", sig, now), 1);
	assert_int_equal(db_commit(), 0);
	assert_int_equal(db_int("SELECT count(*) FROM referral WHERE id = ? AND status = 'annulled' AND benefit_check = 'refused' "
				"AND benefit_comment = 'Справка недействительна' AND benefit_signature_id = ?", 0, "II", ref, sig), 1);
	assert_int_equal(db_int("SELECT count(*) FROM application WHERE id = ? AND status = 'queued' AND benefit = 'none' "
				"AND queued_at = ?", 0, "II", app, queued_at), 1);
	assert_int_equal(db_int("SELECT free FROM free_place WHERE id = ?", -1, "I", place), 1);
	assert_int_equal(db_int("SELECT count(*) FROM history WHERE application_id = ? AND event = 'benefit_refused' "
				"AND p2 = 'Справка недействительна'", 0, "I", app), 1);
	/* Decided once: a second decision finds nothing pending. */
	assert_int_equal(db_begin(), 0);
	assert_int_equal(benefit_confirm(ref, reviewer, "Подтверждаю", sig, now + 86400, now), 0);
	db_rollback();
}

/* ------------------------------------------------------------ setup */

static int setup(void **st)
{
	(void)st;
	return ut_setup("benefit", UT_VIEW, "App.IinChecksum = 0\n");
}

static int teardown(void **st)
{
	(void)st;
	return ut_teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(out_of_turn_waits_and_first_priority_only_where_the_region_says_so),
		cmocka_unit_test(the_confirmation_is_due_at_the_end_of_its_last_working_day),
		cmocka_unit_test(an_out_of_turn_referral_waits_with_the_confirmations_deadline),
		cmocka_unit_test(an_unanswered_confirmation_lapses_and_the_child_stays_queued_without_the_benefit),
		cmocka_unit_test(a_refusal_annuls_and_requeues_a_confirmation_before_its_due_time_only),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
