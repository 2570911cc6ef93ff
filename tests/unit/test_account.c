/*
 * Unit tests of the accounts module (domain/account.h) on a scratch
 * database: the names of roles and errors, changes only inside the
 * caller's transaction, appointing staff and reviewers (new accounts and
 * existing ones, the one-time password), the accounts logins make, roles,
 * memberships, deactivation and passwords ending sessions, and the lists.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/auth.h"
#include "base/db.h"
#include "domain/account.h"
#include "web/req.h"

#include "unit.h"

/* ---------------------------------------------------------- names */

static void roles_and_errors_have_one_name_each(void **st)
{
	(void)st;
	static const char *const roles[] = {"citizen", "staff", "reviewer", "support"};
	for (int i = 0; i < ACCT_ROLE__MAX; i++) {
		assert_string_equal(acct_role_names[i], roles[i]);
		assert_int_equal(acct_role_parse(roles[i]), i);
	}
	assert_null(acct_role_names[ACCT_ROLE__MAX]);
	assert_int_equal(acct_role_parse("all"), ACCT_ROLE__MAX);
	assert_int_equal(acct_role_parse(""), ACCT_ROLE__MAX);
	assert_int_equal(acct_role_parse(NULL), ACCT_ROLE__MAX);
	/* account.roles: the request loop's bits. */
	assert_int_equal(ACCT_BIT(ACCT_CITIZEN), ROLE_CITIZEN);
	assert_int_equal(ACCT_BIT(ACCT_STAFF), ROLE_STAFF);
	assert_int_equal(ACCT_BIT(ACCT_REVIEWER), ROLE_REVIEWER);
	assert_int_equal(ACCT_BIT(ACCT_SUPPORT), ROLE_SUPPORT);
	for (int i = 0; i < ACCT_ERR__MAX; i++)
		assert_non_null(acct_err_names[i]);
	/* The outcomes the audit of refused logins writes. */
	assert_string_equal(acct_err_names[ACCT_ERR_DISABLED], "disabled");
	assert_string_equal(acct_err_names[ACCT_ERR_NOT_CITIZEN], "not_citizen");
}

/* ------------------------------------------------------------ helpers */

static long long a_ddo(int district, int active)
{
	assert_int_equal(db_exec("INSERT INTO ddo(district_id, kind, name_ru, name_kk, address, phone, owner_iin, "
				 "owner_phone, owner_email, active, created_at, updated_at) VALUES (?, 'state', "
				 "'Сад ' || (SELECT count(*) + 1 FROM ddo), 'Бақша ' || (SELECT count(*) + 1 FROM ddo), "
				 "'ул. Абая, 1', '+77160000000', '850312412032', '+77160000000', 'a@b.kz', ?, 0, 0)",
				 "ii", district, active),
			 SQLITE_DONE);
	return db_last_id();
}

static long long count_of(const char *sql, long long id)
{
	sqlite3_stmt *st = db_query(sql, "I", id);
	assert_non_null(st);
	assert_true(db_row(st));
	long long n = sqlite3_column_int64(st, 0);
	db_done(st);
	return n;
}

static long long sessions_of(long long id)
{
	return count_of("SELECT count(*) FROM session WHERE account_id = ?", id);
}

static void a_session(long long id)
{
	assert_int_equal(db_exec("INSERT INTO session(token_hash, account_id, csrf, created_at, seen_at, expires_at) "
				 "VALUES (randomblob(32), ?, 'x', 0, 0, 9999999999)",
				 "I", id),
			 SQLITE_DONE);
}

static struct acct get(long long id)
{
	struct acct a;
	assert_int_equal(acct_get(id, &a), 1);
	return a;
}

/* ------------------------------------------------------------ changes */

static void changes_need_the_callers_transaction(void **st)
{
	(void)st;
	struct acct_person p = {"900101300011", "ОСПАНОВ", "ЕРЖАН", "", "+77010000011", ""};
	long long id;
	int created;
	assert_int_equal(acct_ensure(&p, ACCT_CITIZEN, 100, &id, &created), ACCT_ERR_DB);
	struct acct a;
	assert_int_equal(acct_find(p.iin, &a), 0);
	struct acct_appointed made;
	assert_int_equal(acct_appoint(&p, ACCT_STAFF, a_ddo(1110, 1), 100, &made), ACCT_ERR_DB);
	assert_int_equal(acct_find(p.iin, &a), 0);
}

static void support_appoints_a_new_staff_member_with_a_one_time_password(void **st)
{
	(void)st;
	long long ddo = a_ddo(1110, 1);
	struct acct_person p = {"900101300012", "ЖАКСЫБЕКОВА", "АЛИЯ", "НУРЛАНОВНА", "+77017001122", "a@mail.kz"};
	struct acct_appointed made;
	assert_int_equal(db_begin(), 0);
	assert_int_equal(acct_appoint(&p, ACCT_STAFF, ddo, 1000, &made), ACCT_OK);
	assert_int_equal(db_commit(), 0);
	assert_int_equal(made.created, 1);
	assert_int_equal(strlen(made.password), ACCT_ONE_TIME_LEN);
	struct acct a = get(made.id);
	assert_string_equal(a.iin, p.iin);
	assert_string_equal(a.surname, "ЖАКСЫБЕКОВА");
	assert_string_equal(a.patronymic, "НУРЛАНОВНА");
	assert_string_equal(a.phone, "+77017001122");
	assert_string_equal(a.email, "a@mail.kz");
	assert_int_equal(a.roles, ACCT_BIT(ACCT_STAFF));
	assert_int_equal(a.pw_must_change, 1);
	assert_int_equal(a.active, 1);
	assert_true(auth_check_password(a.pw_hash, made.password));
	assert_null(strstr(a.pw_hash, made.password));
	assert_int_equal(count_of("SELECT count(*) FROM ddo_staff WHERE account_id = ?", made.id), 1);
	assert_int_equal(count_of("SELECT ddo_id FROM ddo_staff WHERE account_id = ?", made.id), ddo);
}

static void an_existing_account_gets_the_role_and_keeps_its_names_and_password(void **st)
{
	(void)st;
	long long ddo = a_ddo(1110, 1), other = a_ddo(1166, 1);
	/* A parent who logged in by code: a phone, no name, no password. */
	struct acct_person parent = {.iin = "900101300013", .phone = "+77010000013"};
	long long id;
	int created;
	assert_int_equal(db_begin(), 0);
	assert_int_equal(acct_enter(&parent, ACCT_BY_CODE, 1000, &id, &created), ACCT_OK);
	assert_int_equal(db_commit(), 0);
	struct acct_person again = {"900101300013", "ДРУГАЯ", "ФАМИЛИЯ", "", "+77019990000", ""};
	struct acct_appointed made;
	assert_int_equal(db_begin(), 0);
	assert_int_equal(acct_appoint(&again, ACCT_STAFF, ddo, 2000, &made), ACCT_OK);
	assert_int_equal(db_commit(), 0);
	assert_int_equal(made.id, id);
	assert_int_equal(made.created, 0);
	assert_int_equal(strlen(made.password), ACCT_ONE_TIME_LEN);   /* it had none */
	struct acct a = get(id);
	assert_int_equal(a.roles, ACCT_BIT(ACCT_CITIZEN) | ACCT_BIT(ACCT_STAFF));
	assert_string_equal(a.surname, "");
	assert_string_equal(a.phone, "+77010000013");
	/* Staff with a password of its own, appointed to a second DDO: it keeps it. */
	assert_int_equal(db_begin(), 0);
	char hash[AUTH_HASH_MAX];
	assert_int_equal(auth_hash_password("own-secret-1", hash), 0);
	assert_int_equal(acct_password_set(id, hash, 0, 2500), ACCT_OK);
	assert_int_equal(acct_appoint(&again, ACCT_STAFF, other, 3000, &made), ACCT_OK);
	assert_int_equal(db_commit(), 0);
	assert_string_equal(made.password, "");
	a = get(id);
	assert_string_equal(a.pw_hash, hash);
	assert_int_equal(a.pw_must_change, 0);
	assert_int_equal(count_of("SELECT count(*) FROM ddo_staff WHERE account_id = ?", id), 2);
	/* And a reviewer's role beside. */
	assert_int_equal(db_begin(), 0);
	assert_int_equal(acct_appoint(&again, ACCT_REVIEWER, 1132, 4000, &made), ACCT_OK);
	assert_int_equal(db_commit(), 0);
	assert_int_equal(get(id).roles, ACCT_BIT(ACCT_CITIZEN) | ACCT_BIT(ACCT_STAFF) | ACCT_BIT(ACCT_REVIEWER));
}

static void an_appointment_to_no_active_ddo_or_district_changes_nothing(void **st)
{
	(void)st;
	long long closed = a_ddo(1110, 0);
	struct acct_person p = {"900101300014", "ТОКАЕВ", "ЕРЛАН", "", "+77017003344", ""};
	struct acct_appointed made;
	struct acct a;
	assert_int_equal(db_begin(), 0);
	assert_int_equal(acct_appoint(&p, ACCT_STAFF, closed, 100, &made), ACCT_ERR_DDO);
	assert_int_equal(acct_appoint(&p, ACCT_STAFF, 999999, 100, &made), ACCT_ERR_DDO);
	assert_int_equal(acct_appoint(&p, ACCT_REVIEWER, 9999, 100, &made), ACCT_ERR_DISTRICT);
	assert_int_equal(acct_appoint(&p, ACCT_REVIEWER, 1LL << 40, 100, &made), ACCT_ERR_DISTRICT);
	assert_int_equal(acct_appoint(&p, ACCT_SUPPORT, 1110, 100, &made), ACCT_ERR_ROLE);
	assert_int_equal(acct_appoint(&p, ACCT_CITIZEN, 1110, 100, &made), ACCT_ERR_ROLE);
	assert_int_equal(acct_find(p.iin, &a), 0);
	assert_int_equal(db_commit(), 0);
	assert_int_equal(made.id, 0);
	assert_string_equal(made.password, "");
}

static void one_function_grants_and_revokes_roles_and_checks_them(void **st)
{
	(void)st;
	struct acct_person p = {"900101300015", "НУРЛАНОВ", "АСХАТ", "", "", ""};
	long long id;
	int created;
	assert_int_equal(db_begin(), 0);
	assert_int_equal(acct_ensure(&p, ACCT_CITIZEN, 100, &id, &created), ACCT_OK);
	assert_int_equal(created, 1);
	assert_int_equal(acct_role_set(id, ACCT_SUPPORT, 1, 200), ACCT_OK);
	assert_int_equal(acct_role_set(id, ACCT_SUPPORT, 1, 200), ACCT_OK);   /* again: the same */
	assert_int_equal(get(id).roles, ACCT_BIT(ACCT_CITIZEN) | ACCT_BIT(ACCT_SUPPORT));
	assert_int_equal(acct_role_set(id, ACCT_CITIZEN, 0, 300), ACCT_OK);
	assert_int_equal(get(id).roles, ACCT_BIT(ACCT_SUPPORT));
	assert_int_equal(acct_role_set(id, ACCT_ROLE__MAX, 1, 300), ACCT_ERR_ROLE);
	assert_int_equal(acct_role_set(id, (enum acct_role)-1, 1, 300), ACCT_ERR_ROLE);
	assert_int_equal(acct_role_set(id, (enum acct_role)7, 1, 300), ACCT_ERR_ROLE);
	assert_int_equal(acct_role_set(id + 1000, ACCT_STAFF, 1, 300), ACCT_ERR_NO_ACCOUNT);
	assert_int_equal(get(id).roles, ACCT_BIT(ACCT_SUPPORT));
	/* An existing account: acct_ensure leaves it as it is. */
	struct acct_person other = {"900101300015", "X", "Y", "", "+77000000000", ""};
	long long same;
	assert_int_equal(acct_ensure(&other, ACCT_STAFF, 400, &same, &created), ACCT_OK);
	assert_int_equal(same, id);
	assert_int_equal(created, 0);
	struct acct a = get(id);
	assert_int_equal(a.roles, ACCT_BIT(ACCT_SUPPORT));
	assert_string_equal(a.surname, "НУРЛАНОВ");
	assert_int_equal(db_commit(), 0);
}

static void logins_make_a_citizens_account_and_refuse_what_they_must(void **st)
{
	(void)st;
	long long id, id2;
	int created;
	/* The first login by code: the IIN and the phone only. */
	struct acct_person code = {.iin = "900101300016", .phone = "+77010000016"};
	assert_int_equal(db_begin(), 0);
	assert_int_equal(acct_enter(&code, ACCT_BY_CODE, 100, &id, &created), ACCT_OK);
	assert_int_equal(created, 1);
	struct acct a = get(id);
	assert_int_equal(a.roles, ACCT_BIT(ACCT_CITIZEN));
	assert_string_equal(a.surname, "");
	assert_string_equal(a.phone, "+77010000016");
	assert_string_equal(a.pw_hash, "");
	/* Then by EDS: the certificate's name, the phone stays. */
	struct acct_person eds = {.iin = "900101300016", .surname = "СЕРИКОВА", .name = "ДАНА", .patronymic = "ОЛЕГОВНА"};
	assert_int_equal(acct_enter(&eds, ACCT_BY_EDS, 200, &id2, &created), ACCT_OK);
	assert_int_equal(id2, id);
	assert_int_equal(created, 0);
	a = get(id);
	assert_string_equal(a.surname, "СЕРИКОВА");
	assert_string_equal(a.patronymic, "ОЛЕГОВНА");
	assert_string_equal(a.phone, "+77010000016");
	/* A name once there is not replaced, nor a phone. */
	struct acct_person eds2 = {.iin = "900101300016", .surname = "ДРУГАЯ", .name = "ИМЯ"};
	struct acct_person code2 = {.iin = "900101300016", .phone = "+77019999999"};
	assert_int_equal(acct_enter(&eds2, ACCT_BY_EDS, 300, &id2, &created), ACCT_OK);
	assert_int_equal(acct_enter(&code2, ACCT_BY_CODE, 300, &id2, &created), ACCT_OK);
	a = get(id);
	assert_string_equal(a.surname, "СЕРИКОВА");
	assert_string_equal(a.phone, "+77010000016");
	/* A certificate's first login: the name, no phone. */
	struct acct_person eds3 = {.iin = "900101300017", .surname = "АБАЕВ", .name = "МАРАТ", .patronymic = ""};
	assert_int_equal(acct_enter(&eds3, ACCT_BY_EDS, 400, &id2, &created), ACCT_OK);
	assert_int_equal(created, 1);
	a = get(id2);
	assert_string_equal(a.surname, "АБАЕВ");
	assert_string_equal(a.phone, "");
	/* Staff prove more than a phone; by EDS they enter, staff still. */
	assert_int_equal(acct_role_set(id2, ACCT_STAFF, 1, 500), ACCT_OK);
	struct acct_person code3 = {.iin = "900101300017", .phone = "+77010000017"};
	assert_int_equal(acct_enter(&code3, ACCT_BY_CODE, 600, &id, &created), ACCT_ERR_NOT_CITIZEN);
	assert_int_equal(id, id2);
	assert_string_equal(get(id2).phone, "");
	assert_int_equal(acct_enter(&eds3, ACCT_BY_EDS, 600, &id, &created), ACCT_OK);
	assert_int_equal(get(id2).roles, ACCT_BIT(ACCT_STAFF) | ACCT_BIT(ACCT_CITIZEN));
	/* A deactivated account enters by nothing. */
	assert_int_equal(acct_active_set(id2, 0, 0, 700), ACCT_OK);
	assert_int_equal(acct_role_set(id2, ACCT_STAFF, 0, 700), ACCT_OK);
	assert_int_equal(acct_enter(&eds3, ACCT_BY_EDS, 800, &id, &created), ACCT_ERR_DISABLED);
	assert_int_equal(acct_enter(&code3, ACCT_BY_CODE, 800, &id, &created), ACCT_ERR_DISABLED);
	assert_int_equal(id, id2);
	assert_int_equal(created, 0);
	assert_int_equal(db_commit(), 0);
}

static void memberships_come_and_go_with_their_role_granted(void **st)
{
	(void)st;
	long long ddo = a_ddo(1110, 1), closed = a_ddo(1110, 0);
	struct acct_person p = {"900101300018", "ИВАНОВА", "ОЛЬГА", "", "", ""};
	long long id;
	int created;
	assert_int_equal(db_begin(), 0);
	assert_int_equal(acct_ensure(&p, ACCT_CITIZEN, 100, &id, &created), ACCT_OK);
	assert_int_equal(acct_ddo_attach(id, ddo, 200), ACCT_OK);
	assert_int_equal(acct_ddo_attach(id, ddo, 200), ACCT_OK);   /* again: nothing more */
	assert_int_equal(acct_ddo_attach(id, closed, 200), ACCT_ERR_DDO);
	assert_int_equal(acct_ddo_attach(id + 1000, ddo, 200), ACCT_ERR_NO_ACCOUNT);
	assert_int_equal(count_of("SELECT count(*) FROM ddo_staff WHERE account_id = ?", id), 1);
	assert_int_equal(get(id).roles, ACCT_BIT(ACCT_CITIZEN) | ACCT_BIT(ACCT_STAFF));
	assert_int_equal(acct_district_add(id, 1132, 300), ACCT_OK);
	assert_int_equal(acct_district_add(id, 1170, 300), ACCT_OK);
	assert_int_equal(acct_district_add(id, 9999, 300), ACCT_ERR_DISTRICT);
	assert_int_equal(acct_district_add(id + 1000, 1132, 300), ACCT_ERR_NO_ACCOUNT);
	assert_int_equal(get(id).roles, ACCT_BIT(ACCT_CITIZEN) | ACCT_BIT(ACCT_STAFF) | ACCT_BIT(ACCT_REVIEWER));
	assert_int_equal(acct_ddo_detach(id, ddo), ACCT_OK);
	assert_int_equal(acct_ddo_detach(id, ddo), ACCT_ERR_NOT_MEMBER);
	assert_int_equal(acct_district_remove(id, 1132), ACCT_OK);
	assert_int_equal(acct_district_remove(id, 1132), ACCT_ERR_NOT_MEMBER);
	assert_int_equal(count_of("SELECT count(*) FROM reviewer_district WHERE account_id = ?", id), 1);
	/* The roles stay: support takes them away, not a detachment. */
	assert_int_equal(get(id).roles, ACCT_BIT(ACCT_CITIZEN) | ACCT_BIT(ACCT_STAFF) | ACCT_BIT(ACCT_REVIEWER));
	assert_int_equal(db_commit(), 0);
}

static void deactivation_and_a_one_time_password_end_the_sessions(void **st)
{
	(void)st;
	struct acct_person p = {"900101300019", "АХМЕТОВА", "АЙГУЛЬ", "", "", ""}, s = {"900101300020", "ПОДДЕРЖКА", "А", "", "", ""};
	long long id, sup;
	int created;
	assert_int_equal(db_begin(), 0);
	assert_int_equal(acct_ensure(&p, ACCT_STAFF, 100, &id, &created), ACCT_OK);
	assert_int_equal(acct_ensure(&s, ACCT_SUPPORT, 100, &sup, &created), ACCT_OK);
	a_session(id);
	a_session(sup);
	assert_int_equal(acct_active_set(sup, 0, sup, 200), ACCT_ERR_SELF);
	assert_int_equal(get(sup).active, 1);
	assert_int_equal(acct_active_set(id + 1000, 0, sup, 200), ACCT_ERR_NO_ACCOUNT);
	assert_int_equal(acct_active_set(id, 0, sup, 200), ACCT_OK);
	assert_int_equal(get(id).active, 0);
	assert_int_equal(sessions_of(id), 0);
	assert_int_equal(sessions_of(sup), 1);
	assert_int_equal(acct_active_set(id, 1, sup, 300), ACCT_OK);
	assert_int_equal(get(id).active, 1);
	/* A one-time password: sessions and half-done logins end. */
	a_session(id);
	assert_int_equal(db_exec("INSERT INTO login_pending(session_id, kind, account_id, iin, created_at) "
				 "VALUES (424242, 'password', ?, ?, 0)",
				 "It", id, p.iin),
			 SQLITE_DONE);
	char pw[ACCT_ONE_TIME_LEN + 1];
	assert_int_equal(acct_password_issue(id, 400, pw), ACCT_OK);
	assert_int_equal(sessions_of(id), 0);
	assert_int_equal(count_of("SELECT count(*) FROM login_pending WHERE account_id = ?", id), 0);
	struct acct a = get(id);
	assert_int_equal(a.pw_must_change, 1);
	assert_true(auth_check_password(a.pw_hash, pw));
	assert_int_equal(acct_password_issue(id + 1000, 400, pw), ACCT_ERR_NO_ACCOUNT);
	assert_string_equal(pw, "");
	/* Names and contacts. */
	struct acct_person upd = {NULL, "АХМЕТОВА", "АЙГУЛЬ", "СЕРИКОВНА", "+77010000019", "a@b.kz"};
	assert_int_equal(acct_update(id, &upd, 500), ACCT_OK);
	a = get(id);
	assert_string_equal(a.patronymic, "СЕРИКОВНА");
	assert_string_equal(a.email, "a@b.kz");
	assert_string_equal(a.iin, "900101300019");
	assert_int_equal(acct_update(id + 1000, &upd, 500), ACCT_ERR_NO_ACCOUNT);
	assert_int_equal(db_commit(), 0);
}

/* -------------------------------------------------------------- lists */

struct seen {
	int n;
	char names[8][ACCT_NAME_MAX];
	char places[8][256];
};

static void seen_row(void *arg, const struct acct_row *row)
{
	struct seen *s = arg;
	if (s->n < 8) {
		snprintf(s->names[s->n], sizeof s->names[0], "%s", row->a.surname);
		snprintf(s->places[s->n], sizeof s->places[0], "%s|%s", row->ddos, row->districts);
		assert_string_equal(row->a.pw_hash, "");
	}
	s->n++;
}

static void seen_staff(void *arg, const struct acct *a)
{
	struct seen *s = arg;
	if (s->n < 8)
		snprintf(s->names[s->n], sizeof s->names[0], "%s", a->surname);
	s->n++;
}

static void seen_ddo(void *arg, const struct acct_ddo *d)
{
	struct seen *s = arg;
	if (s->n < 8)
		snprintf(s->names[s->n], sizeof s->names[0], "%s", d->name);
	s->n++;
}

static void seen_district(void *arg, int district)
{
	struct seen *s = arg;
	if (s->n < 8)
		snprintf(s->names[s->n], sizeof s->names[0], "%d", district);
	s->n++;
}

static void lists_find_by_role_name_or_iin(void **st)
{
	(void)st;
	/* A scratch set of its own: the districts 1152 and 1168 are not used above. */
	long long ddo = a_ddo(1152, 1);
	struct acct_person a = {"910101300001", "ЯЯБЕКОВ", "ОДИН", "", "", ""};
	struct acct_person b = {"910101300002", "ЯЯВЕКОВ", "ДВА", "", "", ""};
	struct acct_person c = {"910101300003", "ЯЯ%ЕКОВ", "ТРИ", "", "", ""};
	struct acct_person citizen = {"910101300004", "ЯЯГРАЖДАНИН", "ЧЕТЫРЕ", "", "", ""};
	long long ia, ib, ic, id;
	int created;
	assert_int_equal(db_begin(), 0);
	assert_int_equal(acct_ensure(&a, ACCT_CITIZEN, 1, &ia, &created), ACCT_OK);
	assert_int_equal(acct_ddo_attach(ia, ddo, 1), ACCT_OK);
	assert_int_equal(acct_ensure(&b, ACCT_CITIZEN, 1, &ib, &created), ACCT_OK);
	assert_int_equal(acct_district_add(ib, 1152, 1), ACCT_OK);
	assert_int_equal(acct_district_add(ib, 1168, 1), ACCT_OK);
	assert_int_equal(acct_ensure(&c, ACCT_SUPPORT, 1, &ic, &created), ACCT_OK);
	assert_int_equal(acct_ensure(&citizen, ACCT_CITIZEN, 1, &id, &created), ACCT_OK);
	assert_int_equal(db_commit(), 0);

	/* A part of the name: citizens are not listed, % is a letter. */
	struct acct_query q = {ACCT_ROLE__MAX, "ЯЯ"};
	assert_int_equal(acct_count(&q), 3);
	struct seen s = {0};
	assert_int_equal(acct_list(&q, "ru", 0, 50, 0, seen_row, &s), 3);
	assert_string_equal(s.names[0], "ЯЯ%ЕКОВ");
	assert_string_equal(s.names[1], "ЯЯБЕКОВ");
	assert_string_equal(s.names[2], "ЯЯВЕКОВ");
	assert_true(strncmp(s.places[1], "Сад ", strlen("Сад ")) == 0);   /* its DDO, no district */
	assert_int_equal(s.places[1][strlen(s.places[1]) - 1], '|');
	assert_non_null(strstr(s.places[2], "; "));
	memset(&s, 0, sizeof s);
	assert_int_equal(acct_list(&q, "kk", 1, 2, 0, seen_row, &s), 2);   /* the other way, a page of 2 */
	assert_string_equal(s.names[0], "ЯЯВЕКОВ");
	assert_string_equal(s.names[1], "ЯЯБЕКОВ");
	memset(&s, 0, sizeof s);
	assert_int_equal(acct_list(&q, "kk", 1, 2, 2, seen_row, &s), 1);
	assert_string_equal(s.names[0], "ЯЯ%ЕКОВ");
	struct acct_query pct = {ACCT_ROLE__MAX, "Я%Е"};
	assert_int_equal(acct_count(&pct), 1);
	/* By role. */
	struct acct_query rev = {ACCT_REVIEWER, "ЯЯ"}, sup = {ACCT_SUPPORT, "ЯЯ"};
	assert_int_equal(acct_count(&rev), 1);
	assert_int_equal(acct_count(&sup), 1);
	/* An IIN finds any account, a citizen's too, whatever the role. */
	struct acct_query iin = {ACCT_STAFF, "910101300004"};
	assert_int_equal(acct_count(&iin), 1);
	memset(&s, 0, sizeof s);
	assert_int_equal(acct_list(&iin, "ru", 0, 50, 0, seen_row, &s), 1);
	assert_string_equal(s.names[0], "ЯЯГРАЖДАНИН");
	struct acct_query nobody = {ACCT_ROLE__MAX, "000000000000"};
	assert_int_equal(acct_count(&nobody), 0);

	/* An account's DDOs and districts; a DDO's staff. */
	memset(&s, 0, sizeof s);
	assert_int_equal(acct_each_ddo(ia, "kk", seen_ddo, &s), 1);
	assert_true(strncmp(s.names[0], "Бақша ", strlen("Бақша ")) == 0);
	memset(&s, 0, sizeof s);
	assert_int_equal(acct_each_district(ib, seen_district, &s), 2);
	assert_string_equal(s.names[0], "1152");
	assert_string_equal(s.names[1], "1168");
	memset(&s, 0, sizeof s);
	assert_int_equal(acct_each_staff(ddo, seen_staff, &s), 1);
	assert_string_equal(s.names[0], "ЯЯБЕКОВ");
	assert_int_equal(acct_ddo_open(ddo), 1);
	assert_int_equal(acct_ddo_open(ddo + 1000), 0);
	assert_int_equal(acct_exists(ia), 1);
	assert_int_equal(acct_exists(ia + 1000), 0);
}

static int setup(void **st)
{
	(void)st;
	/* Cheap hashes: the parameters travel in each hash. */
	return ut_setup("account", 0, "Auth.Argon2M = 64\nAuth.Argon2T = 1\n");
}

static int teardown(void **st)
{
	(void)st;
	return ut_teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(roles_and_errors_have_one_name_each),
		cmocka_unit_test(changes_need_the_callers_transaction),
		cmocka_unit_test(support_appoints_a_new_staff_member_with_a_one_time_password),
		cmocka_unit_test(an_existing_account_gets_the_role_and_keeps_its_names_and_password),
		cmocka_unit_test(an_appointment_to_no_active_ddo_or_district_changes_nothing),
		cmocka_unit_test(one_function_grants_and_revokes_roles_and_checks_them),
		cmocka_unit_test(logins_make_a_citizens_account_and_refuse_what_they_must),
		cmocka_unit_test(memberships_come_and_go_with_their_role_granted),
		cmocka_unit_test(deactivation_and_a_one_time_password_end_the_sessions),
		cmocka_unit_test(lists_find_by_role_name_or_iin),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
