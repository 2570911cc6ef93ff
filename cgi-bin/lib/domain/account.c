/* account.c — see account.h. */
#include "domain/account.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "base/db.h"
#include "base/log.h"
#include "base/util.h"

const char *const acct_role_names[ACCT_ROLE__MAX + 1] = {"citizen", "staff", "reviewer", "support", NULL};

const char *const acct_err_names[ACCT_ERR__MAX] = {
	[ACCT_OK] = "ok",
	[ACCT_ERR_DB] = "db",
	[ACCT_ERR_NO_ACCOUNT] = "no_account",
	[ACCT_ERR_ROLE] = "role",
	[ACCT_ERR_DDO] = "ddo",
	[ACCT_ERR_DISTRICT] = "district",
	[ACCT_ERR_NOT_MEMBER] = "not_member",
	[ACCT_ERR_DISABLED] = "disabled",
	[ACCT_ERR_NOT_CITIZEN] = "not_citizen",
	[ACCT_ERR_SELF] = "self",
};

enum acct_role acct_role_parse(const char *name)
{
	for (int i = 0; name && i < ACCT_ROLE__MAX; i++)
		if (strcmp(name, acct_role_names[i]) == 0)
			return (enum acct_role)i;
	return ACCT_ROLE__MAX;
}

/* "kk" or "ru" of a stored or page language; NULL for anything else. */
static const char *lang_known(const char *l)
{
	return !l ? NULL : strcmp(l, "kk") == 0 ? "kk" : strcmp(l, "ru") == 0 ? "ru" : NULL;
}

static const char *lang_or(const char *stored, const char *fallback)
{
	const char *l = lang_known(stored);
	if (!l)
		l = lang_known(fallback);
	return l ? l : "ru";
}

const char *acct_lang(long long account_id, const char *fallback)
{
	char l[4] = "";
	db_text(l, sizeof l, "SELECT lang FROM account WHERE id = ?", "I", account_id);
	return lang_or(l, fallback);
}

const char *acct_lang_of_app(long long app_id, const char *fallback)
{
	char l[4] = "";
	db_text(l, sizeof l, "SELECT c.lang FROM application a JOIN account c ON c.id = a.applicant_id WHERE a.id = ?",
		"I", app_id);
	return lang_or(l, fallback);
}

static int role_ok(enum acct_role role) { return (unsigned)role < ACCT_ROLE__MAX; }

static const char *str(const char *s) { return s ? s : ""; }

/* 1 when the query (a db_query result) has a row, 0 when not, -1 on an
 * error. */
static int any_row(sqlite3_stmt *st)
{
	if (!st)
		return -1;
	int found = db_row(st);
	int failed = db_end(st);
	return found ? 1 : failed;
}

/* Changes need the caller's transaction (account.h). */
static int in_tx(const char *what)
{
	if (db_in_tx())
		return 1;
	log_err("acct: %s outside a transaction", what);
	return 0;
}

/* ---- reading ---- */

/* The columns of struct acct but the hash, in the order fill reads them. */
#define ACCT_COLS "a.id, a.iin, a.surname, a.name, a.patronymic, a.phone, a.email, a.roles, a.active, " \
		  "a.pw_must_change, a.created_at"
#define ACCT_NCOLS 11

static void fill(sqlite3_stmt *st, struct acct *out)
{
	memset(out, 0, sizeof *out);
	out->id = sqlite3_column_int64(st, 0);
	snprintf(out->iin, sizeof out->iin, "%s", db_col(st, 1));
	snprintf(out->surname, sizeof out->surname, "%s", db_col(st, 2));
	snprintf(out->name, sizeof out->name, "%s", db_col(st, 3));
	snprintf(out->patronymic, sizeof out->patronymic, "%s", db_col(st, 4));
	snprintf(out->phone, sizeof out->phone, "%s", db_col(st, 5));
	snprintf(out->email, sizeof out->email, "%s", db_col(st, 6));
	out->roles = (unsigned)sqlite3_column_int(st, 7);
	out->active = sqlite3_column_int(st, 8);
	out->pw_must_change = sqlite3_column_int(st, 9);
	out->created_at = sqlite3_column_int64(st, 10);
}

/* One account with its hash (the column after ACCT_COLS). */
static int one(sqlite3_stmt *st, struct acct *out)
{
	if (!st)
		return -1;
	int found = db_row(st);
	if (found) {
		fill(st, out);
		snprintf(out->pw_hash, sizeof out->pw_hash, "%s", db_col(st, ACCT_NCOLS));
	}
	int failed = db_end(st);
	return found ? 1 : failed;
}

int acct_get(long long id, struct acct *out)
{
	return one(db_query("SELECT " ACCT_COLS ", coalesce(a.pw_hash, '') FROM account a WHERE a.id = ?", "I", id),
		   out);
}

int acct_find(const char *iin, struct acct *out)
{
	return one(db_query("SELECT " ACCT_COLS ", coalesce(a.pw_hash, '') FROM account a WHERE a.iin = ?", "t",
			    str(iin)),
		   out);
}

int acct_exists(long long id) { return any_row(db_query("SELECT 1 FROM account WHERE id = ?", "I", id)); }

int acct_ddo_open(long long ddo_id)
{
	return any_row(db_query("SELECT 1 FROM ddo WHERE id = ? AND active = 1", "I", ddo_id));
}

static int district_exists(long long district)
{
	if (district < 1 || district > INT_MAX)
		return 0;
	return any_row(db_query("SELECT 1 FROM district WHERE id = ?", "I", district));
}

static int is_iin(const char *q) { return q && strlen(q) == 12 && strspn(q, "0123456789") == 12; }

static unsigned query_bit(const struct acct_query *q) { return role_ok(q->role) ? ACCT_BIT(q->role) : 0; }

long long acct_count(const struct acct_query *q)
{
	const char *text = str(q->q);
	sqlite3_stmt *st;
	struct buf like = {0};
	if (is_iin(text)) {
		st = db_query("SELECT count(*) FROM account WHERE iin = ?", "t", text);
	} else {
		if (db_like(text, &like) < 0) {
			buf_free(&like);
			return -1;
		}
		int bit = (int)query_bit(q);
		st = db_query("SELECT count(*) FROM account a WHERE a.roles > 1 AND (? = 0 OR (a.roles & ?) <> 0) "
			      "AND (? = '' OR a.surname || ' ' || a.name || ' ' || a.patronymic LIKE ? ESCAPE '\\')",
			      "iitt", bit, bit, text, like.s);
	}
	long long n = -1;
	if (st && db_row(st))
		n = sqlite3_column_int64(st, 0);
	if (!st || db_end(st) < 0)
		n = -1;
	buf_free(&like);
	return n;
}

/* The DDOs' and districts' names of an account in both languages, after
 * ACCT_COLS. */
#define ACCT_PLACES                                                                                              \
	"(SELECT group_concat(d.name_ru, '; ') FROM ddo_staff s JOIN ddo d ON d.id = s.ddo_id "                  \
	"WHERE s.account_id = a.id), "                                                                           \
	"(SELECT group_concat(d.name_kk, '; ') FROM ddo_staff s JOIN ddo d ON d.id = s.ddo_id "                  \
	"WHERE s.account_id = a.id), "                                                                           \
	"(SELECT group_concat(x.name_ru, '; ') FROM reviewer_district v JOIN district x ON x.id = v.district_id " \
	"WHERE v.account_id = a.id), "                                                                           \
	"(SELECT group_concat(x.name_kk, '; ') FROM reviewer_district v JOIN district x ON x.id = v.district_id " \
	"WHERE v.account_id = a.id)"

int acct_list(const struct acct_query *q, const char *lang, int desc, int limit, long long offset,
	      void (*fn)(void *arg, const struct acct_row *row), void *arg)
{
	const char *text = str(q->q);
	sqlite3_stmt *st;
	struct buf like = {0};
	if (is_iin(text)) {
		st = db_query("SELECT " ACCT_COLS ", " ACCT_PLACES " FROM account a WHERE a.iin = ?", "t", text);
	} else {
		if (db_like(text, &like) < 0) {
			buf_free(&like);
			return -1;
		}
		int bit = (int)query_bit(q);
		st = db_query("SELECT " ACCT_COLS ", " ACCT_PLACES " FROM account a "
			      "WHERE a.roles > 1 AND (? = 0 OR (a.roles & ?) <> 0) "
			      "AND (? = '' OR a.surname || ' ' || a.name || ' ' || a.patronymic LIKE ? ESCAPE '\\') "
			      "ORDER BY CASE WHEN ? = 0 THEN a.surname END ASC, CASE WHEN ? = 1 THEN a.surname END DESC, "
			      "a.name, a.id LIMIT ? OFFSET ?",
			      "iittiiiI", bit, bit, text, like.s, desc ? 1 : 0, desc ? 1 : 0, limit, offset);
	}
	buf_free(&like);
	if (!st)
		return -1;
	int kk = lang && strcmp(lang, "kk") == 0, n = 0;
	struct acct_row row;
	while (db_row(st)) {
		fill(st, &row.a);
		row.ddos = db_col(st, ACCT_NCOLS + kk);
		row.districts = db_col(st, ACCT_NCOLS + 2 + kk);
		fn(arg, &row);
		n++;
	}
	return db_end(st) < 0 ? -1 : n;
}

int acct_each_ddo(long long account_id, const char *lang, void (*fn)(void *arg, const struct acct_ddo *d),
		  void *arg)
{
	sqlite3_stmt *st = db_query("SELECT d.id, d.name_ru, d.name_kk, d.district_id FROM ddo_staff s "
				    "JOIN ddo d ON d.id = s.ddo_id WHERE s.account_id = ? ORDER BY d.name_ru",
				    "I", account_id);
	if (!st)
		return -1;
	int kk = lang && strcmp(lang, "kk") == 0, n = 0;
	while (db_row(st)) {
		struct acct_ddo d = {sqlite3_column_int64(st, 0), sqlite3_column_int(st, 3), db_col(st, kk ? 2 : 1)};
		fn(arg, &d);
		n++;
	}
	return db_end(st) < 0 ? -1 : n;
}

int acct_each_district(long long account_id, void (*fn)(void *arg, int district), void *arg)
{
	sqlite3_stmt *st = db_query("SELECT district_id FROM reviewer_district WHERE account_id = ? ORDER BY district_id",
				    "I", account_id);
	if (!st)
		return -1;
	int n = 0;
	while (db_row(st)) {
		fn(arg, sqlite3_column_int(st, 0));
		n++;
	}
	return db_end(st) < 0 ? -1 : n;
}

int acct_each_staff(long long ddo_id, void (*fn)(void *arg, const struct acct *a), void *arg)
{
	sqlite3_stmt *st = db_query("SELECT " ACCT_COLS " FROM ddo_staff s JOIN account a ON a.id = s.account_id "
				    "WHERE s.ddo_id = ? ORDER BY a.surname, a.name",
				    "I", ddo_id);
	if (!st)
		return -1;
	int n = 0;
	struct acct a;
	while (db_row(st)) {
		fill(st, &a);
		fn(arg, &a);
		n++;
	}
	return db_end(st) < 0 ? -1 : n;
}

/* ---- changing ---- */

/* A statement of a change: ACCT_OK when it ran, ACCT_ERR_DB (logged). */
static enum acct_err ran(int rc, const char *what)
{
	if (rc == SQLITE_DONE)
		return ACCT_OK;
	log_err("acct: %s: %s", what, db_errmsg());
	return ACCT_ERR_DB;
}

/* A change of one account row: ACCT_ERR_NO_ACCOUNT when it touched none. */
static enum acct_err ran_one(int rc, const char *what)
{
	enum acct_err e = ran(rc, what);
	return e == ACCT_OK && db_changes() != 1 ? ACCT_ERR_NO_ACCOUNT : e;
}

/* 1, 0, -1 as ACCT_OK, the given refusal, ACCT_ERR_DB. */
static enum acct_err check(int found, enum acct_err refusal)
{
	return found > 0 ? ACCT_OK : found == 0 ? refusal : ACCT_ERR_DB;
}

enum acct_err acct_role_set(long long id, enum acct_role role, int on, long long now)
{
	if (!role_ok(role))
		return ACCT_ERR_ROLE;
	if (!in_tx("acct_role_set"))
		return ACCT_ERR_DB;
	int bit = (int)ACCT_BIT(role);
	int rc = on ? db_exec("UPDATE account SET roles = roles | ?, updated_at = ? WHERE id = ?", "iII", bit, now, id)
		    : db_exec("UPDATE account SET roles = roles & ~?, updated_at = ? WHERE id = ?", "iII", bit, now, id);
	return ran_one(rc, "role");
}

enum acct_err acct_ensure(const struct acct_person *p, enum acct_role role, long long now, long long *id,
			  int *created)
{
	*id = 0;
	*created = 0;
	if (!role_ok(role))
		return ACCT_ERR_ROLE;
	if (!in_tx("acct_ensure"))
		return ACCT_ERR_DB;
	sqlite3_stmt *st = db_query("SELECT id FROM account WHERE iin = ?", "t", str(p->iin));
	if (!st)
		return ACCT_ERR_DB;
	if (db_row(st))
		*id = sqlite3_column_int64(st, 0);
	if (db_end(st) < 0)
		return ACCT_ERR_DB;
	if (*id)
		return ACCT_OK;
	enum acct_err e = ran(db_exec("INSERT INTO account(iin, surname, name, patronymic, roles, phone, email, "
				      "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
				      "ttttittII", str(p->iin), str(p->surname), str(p->name), str(p->patronymic),
				      (int)ACCT_BIT(role), str(p->phone), str(p->email), now, now),
			      "create");
	if (e != ACCT_OK)
		return e;
	*id = db_last_id();
	*created = 1;
	return ACCT_OK;
}

/* p's name (when given) for an account that has none, p's phone (when
 * given) for one that has none. */
static enum acct_err fill_blanks(long long id, const struct acct_person *p, long long now)
{
	if (p->surname && p->name &&
	    ran(db_exec("UPDATE account SET surname = ?, name = ?, patronymic = ?, updated_at = ? "
			"WHERE id = ? AND surname = '' AND name = ''",
			"tttII", p->surname, p->name, str(p->patronymic), now, id),
		"name") != ACCT_OK)
		return ACCT_ERR_DB;
	if (p->phone && ran(db_exec("UPDATE account SET phone = ?, updated_at = ? WHERE id = ? AND phone = ''", "tII",
				    p->phone, now, id),
			    "phone") != ACCT_OK)
		return ACCT_ERR_DB;
	return ACCT_OK;
}

enum acct_err acct_appoint(const struct acct_person *p, enum acct_role role, long long where, long long now,
			   struct acct_appointed *out)
{
	memset(out, 0, sizeof *out);
	if (role != ACCT_STAFF && role != ACCT_REVIEWER)
		return ACCT_ERR_ROLE;
	if (!in_tx("acct_appoint"))
		return ACCT_ERR_DB;
	enum acct_err e = role == ACCT_STAFF ? check(acct_ddo_open(where), ACCT_ERR_DDO)
					     : check(district_exists(where), ACCT_ERR_DISTRICT);
	if (e != ACCT_OK)
		return e;
	struct acct a;
	int found = acct_find(p->iin, &a);
	if (found < 0)
		return ACCT_ERR_DB;
	int has_pw = found && *a.pw_hash;
	if (found) {
		/* A person who already has an account gets the role (below) and
		 * the phone if theirs is empty; names and password stay theirs. */
		out->id = a.id;
		struct acct_person phone_only = {.phone = p->phone};
		e = fill_blanks(a.id, &phone_only, now);
	} else {
		e = acct_ensure(p, role, now, &out->id, &out->created);
	}
	if (e == ACCT_OK)
		e = role == ACCT_STAFF ? acct_ddo_attach(out->id, where, now) : acct_district_add(out->id, (int)where, now);
	if (e == ACCT_OK && !has_pw)
		e = acct_password_issue(out->id, now, out->password);
	if (e != ACCT_OK)
		memset(out->password, 0, sizeof out->password);
	return e;
}

enum acct_err acct_enter(const struct acct_person *p, enum acct_proof by, long long now, long long *id,
			 int *created)
{
	*id = 0;
	*created = 0;
	if (!in_tx("acct_enter"))
		return ACCT_ERR_DB;
	struct acct a;
	int found = acct_find(p->iin, &a);
	if (found < 0)
		return ACCT_ERR_DB;
	if (!found)
		return acct_ensure(p, ACCT_CITIZEN, now, id, created);
	*id = a.id;
	if (by == ACCT_BY_CODE && (a.roles & ~ACCT_BIT(ACCT_CITIZEN)))
		return ACCT_ERR_NOT_CITIZEN;
	if (!a.active)
		return ACCT_ERR_DISABLED;
	/* An account made by a code login has no name yet: the certificate's;
	 * one made from a certificate has no phone yet: the code's. */
	return fill_blanks(a.id, p, now);
}

enum acct_err acct_update(long long id, const struct acct_person *p, long long now)
{
	if (!in_tx("acct_update"))
		return ACCT_ERR_DB;
	return ran_one(db_exec("UPDATE account SET surname = ?, name = ?, patronymic = ?, phone = ?, email = ?, "
			       "updated_at = ? WHERE id = ?",
			       "tttttII", str(p->surname), str(p->name), str(p->patronymic), str(p->phone),
			       str(p->email), now, id),
		       "update");
}

enum acct_err acct_ddo_attach(long long id, long long ddo_id, long long now)
{
	if (!in_tx("acct_ddo_attach"))
		return ACCT_ERR_DB;
	enum acct_err e = check(acct_exists(id), ACCT_ERR_NO_ACCOUNT);
	if (e == ACCT_OK)
		e = check(acct_ddo_open(ddo_id), ACCT_ERR_DDO);
	if (e == ACCT_OK)
		e = ran(db_exec("INSERT OR IGNORE INTO ddo_staff(account_id, ddo_id, since) VALUES (?, ?, ?)", "III", id,
				ddo_id, now),
			"attach");
	return e == ACCT_OK ? acct_role_set(id, ACCT_STAFF, 1, now) : e;
}

enum acct_err acct_ddo_detach(long long id, long long ddo_id)
{
	if (!in_tx("acct_ddo_detach"))
		return ACCT_ERR_DB;
	enum acct_err e = ran(db_exec("DELETE FROM ddo_staff WHERE account_id = ? AND ddo_id = ?", "II", id, ddo_id),
			      "detach");
	return e == ACCT_OK && db_changes() != 1 ? ACCT_ERR_NOT_MEMBER : e;
}

enum acct_err acct_district_add(long long id, int district, long long now)
{
	if (!in_tx("acct_district_add"))
		return ACCT_ERR_DB;
	enum acct_err e = check(acct_exists(id), ACCT_ERR_NO_ACCOUNT);
	if (e == ACCT_OK)
		e = check(district_exists(district), ACCT_ERR_DISTRICT);
	if (e == ACCT_OK)
		e = ran(db_exec("INSERT OR IGNORE INTO reviewer_district(account_id, district_id, since) VALUES (?, ?, ?)",
				"IiI", id, district, now),
			"district");
	return e == ACCT_OK ? acct_role_set(id, ACCT_REVIEWER, 1, now) : e;
}

enum acct_err acct_district_remove(long long id, int district)
{
	if (!in_tx("acct_district_remove"))
		return ACCT_ERR_DB;
	enum acct_err e = ran(db_exec("DELETE FROM reviewer_district WHERE account_id = ? AND district_id = ?", "Ii", id,
				      district),
			      "district");
	return e == ACCT_OK && db_changes() != 1 ? ACCT_ERR_NOT_MEMBER : e;
}

enum acct_err acct_active_set(long long id, int active, long long by, long long now)
{
	if (!in_tx("acct_active_set"))
		return ACCT_ERR_DB;
	enum acct_err e = check(acct_exists(id), ACCT_ERR_NO_ACCOUNT);
	if (e != ACCT_OK)
		return e;
	if (!active && id == by)
		return ACCT_ERR_SELF;
	e = ran_one(db_exec("UPDATE account SET active = ?, updated_at = ? WHERE id = ?", "iII", active ? 1 : 0, now, id),
		    "active");
	if (e == ACCT_OK && !active)
		e = ran(db_exec("DELETE FROM session WHERE account_id = ?", "I", id), "sessions");
	return e;
}

enum acct_err acct_password_set(long long id, const char *hash, int must_change, long long now)
{
	if (!in_tx("acct_password_set"))
		return ACCT_ERR_DB;
	return ran_one(db_exec("UPDATE account SET pw_hash = ?, pw_must_change = ?, updated_at = ? WHERE id = ?", "tiII",
			       str(hash), must_change ? 1 : 0, now, id),
		       "password");
}

enum acct_err acct_password_issue(long long id, long long now, char out[ACCT_ONE_TIME_LEN + 1])
{
	memset(out, 0, ACCT_ONE_TIME_LEN + 1);
	enum acct_err e = check(acct_exists(id), ACCT_ERR_NO_ACCOUNT);   /* before the costly hash */
	if (e != ACCT_OK)
		return e;
	char hash[AUTH_HASH_MAX];
	if (auth_random_password(out, ACCT_ONE_TIME_LEN + 1) < 0 || auth_hash_password(out, hash) < 0) {
		memset(out, 0, ACCT_ONE_TIME_LEN + 1);
		log_err("acct: cannot make a one-time password");
		return ACCT_ERR_DB;
	}
	e = acct_password_set(id, hash, 1, now);
	if (e == ACCT_OK)
		e = ran(db_exec("DELETE FROM session WHERE account_id = ?", "I", id), "sessions");
	if (e == ACCT_OK)
		e = ran(db_exec("DELETE FROM login_pending WHERE account_id = ?", "I", id), "pending logins");
	if (e != ACCT_OK)
		memset(out, 0, ACCT_ONE_TIME_LEN + 1);
	return e;
}
