/*
 * account.h — accounts: who a person is to the service and what they may do.
 *
 * An account is one IIN. Its roles are a set kept in account.roles, one bit
 * per enum acct_role (ACCT_BIT: citizen 1, staff 2, reviewer 4, support 8,
 * the same bits as the request loop's ROLE_*); a staff member works for one
 * or more DDOs (ddo_staff), a reviewer for one or more districts
 * (reviewer_district). Accounts come into being in three ways, all here:
 * support appoints a staff member or a reviewer (acct_appoint), a citizen's
 * first login by EDS or by a one-time code makes theirs (acct_enter), and
 * an operator makes one from the command line (acct_ensure, acct_role_set).
 * Roles change only through acct_role_set.
 *
 * CHANGES run inside the caller's transaction (db_begin; without one they
 * return ACCT_ERR_DB and change nothing), so the caller writes its audit row
 * in the same transaction and commits. Nothing has changed when anything
 * but ACCT_OK or ACCT_ERR_DB is returned; after ACCT_ERR_DB (logged) the
 * caller rolls back.
 *
 * READS return 1 found, 0 none, -1 on a database error; counts return -1 on
 * a database error. Names in two languages are given in lang ("kk" or
 * anything else for Russian). Prefix acct_.
 */
#ifndef KG_ACCOUNT_H
#define KG_ACCOUNT_H

#include "base/auth.h"

enum acct_role { ACCT_CITIZEN, ACCT_STAFF, ACCT_REVIEWER, ACCT_SUPPORT, ACCT_ROLE__MAX };
/* "citizen", "staff", "reviewer", "support", NULL: in the enum's order. */
extern const char *const acct_role_names[ACCT_ROLE__MAX + 1];
/* The bit of a role in account.roles. */
#define ACCT_BIT(role) (1u << (role))
/* The role of a name; ACCT_ROLE__MAX when it is none. */
enum acct_role acct_role_parse(const char *name);

enum acct_err {
	ACCT_OK,
	ACCT_ERR_DB,           /* a database error, or no transaction open (logged) */
	ACCT_ERR_NO_ACCOUNT,   /* no account with that id */
	ACCT_ERR_ROLE,         /* not a role, or not one this change gives */
	ACCT_ERR_DDO,          /* no active DDO with that id */
	ACCT_ERR_DISTRICT,     /* no district with that id */
	ACCT_ERR_NOT_MEMBER,   /* the account is not staff of that DDO / reviewer of that district */
	ACCT_ERR_DISABLED,     /* the account is deactivated */
	ACCT_ERR_NOT_CITIZEN,  /* a one-time code proves a citizen only: the account has another role */
	ACCT_ERR_SELF,         /* an account may not deactivate itself */
	ACCT_ERR__MAX
};
/* "ok", "db", "no_account", "role", "ddo", "district", "not_member",
 * "disabled", "not_citizen", "self": in the enum's order (the audit's
 * outcomes of refused logins use "disabled" and "not_citizen"). */
extern const char *const acct_err_names[ACCT_ERR__MAX];

/* ---- reading ---- */

#define ACCT_NAME_MAX 256   /* bytes of a part of a name, with its NUL */

struct acct {
	long long id, created_at;
	char iin[13];
	char surname[ACCT_NAME_MAX], name[ACCT_NAME_MAX], patronymic[ACCT_NAME_MAX];
	char phone[32], email[256];
	unsigned roles;              /* ACCT_BIT of each role it has */
	int active, pw_must_change;
	char pw_hash[AUTH_HASH_MAX]; /* the encoded hash; "" when it has no password */
};

/* The account id / of an IIN into *out. 1, 0, -1. */
int acct_get(long long id, struct acct *out);
int acct_find(const char *iin, struct acct *out);
/* Whether account id exists: 1, 0, -1. */
int acct_exists(long long id);

/* ---- the person's language ----
 * Every SMS and document written for a parent is in their language: the
 * one their account keeps (account.lang, set when they log in and when
 * they switch the site's language), else fallback when it is "kk" or "ru"
 * (the page's language, when the parent is the one acting; NULL when not),
 * else Russian. Returns "kk" or "ru" (static strings), also on a database
 * error (logged). */
const char *acct_lang(long long account_id, const char *fallback);
/* The same for the parent who filed application app_id. */
const char *acct_lang_of_app(long long app_id, const char *fallback);

/* Which accounts a list shows. */
struct acct_query {
	enum acct_role role;   /* accounts with this role; ACCT_ROLE__MAX: any */
	const char *q;         /* "" or NULL: all; 12 digits: the account of that IIN
				* (a citizen's too, whatever the role); otherwise a part of
				* "surname name patronymic" */
};
/* Without an IIN in q the list holds accounts with more than the citizen
 * role only (citizens are found by their IIN). */
struct acct_row {
	struct acct a;           /* pw_hash is "" (not read) */
	const char *ddos;        /* its DDOs' names in lang, "; " between them; "" none */
	const char *districts;   /* its districts' names in lang, the same way */
};
/* How many accounts the query finds; -1. */
long long acct_count(const struct acct_query *q);
/* Calls fn for the accounts the query finds, by surname (desc: the other
 * way), then name, then id, at most limit from offset. The row lives until
 * fn returns. Returns how many, or -1. */
int acct_list(const struct acct_query *q, const char *lang, int desc, int limit, long long offset,
	      void (*fn)(void *arg, const struct acct_row *row), void *arg);

/* A DDO an account works for. */
struct acct_ddo {
	long long id;
	int district;
	const char *name;        /* in lang; lives until fn returns */
};
/* Calls fn for each DDO of the account, by the DDO's Russian name. Returns
 * how many, or -1. */
int acct_each_ddo(long long account_id, const char *lang, void (*fn)(void *arg, const struct acct_ddo *d),
		  void *arg);
/* Calls fn for each district the account reviews, by code. How many, -1. */
int acct_each_district(long long account_id, void (*fn)(void *arg, int district), void *arg);
/* Calls fn for each staff member of a DDO, by surname and name (pw_hash is
 * "" in them). How many, -1. */
int acct_each_staff(long long ddo_id, void (*fn)(void *arg, const struct acct *a), void *arg);
/* Whether staff may be attached to the DDO (it exists and is active): 1,
 * 0, -1. */
int acct_ddo_open(long long ddo_id);

/* ---- changing (inside the caller's transaction) ---- */

/* A person's data as a change gives it; NULL reads as "". */
struct acct_person {
	const char *iin, *surname, *name, *patronymic, *phone, *email;
};

/* The account of p->iin: when there is none it is made with p's data, the
 * one role given and no password (*created = 1); an existing one is left
 * as it is (*created = 0). *id: the account's. */
enum acct_err acct_ensure(const struct acct_person *p, enum acct_role role, long long now, long long *id,
			  int *created);

/* Grants (on = 1) or revokes (on = 0) one role of account id: the only
 * way a role changes. ACCT_ERR_ROLE when role is not one,
 * ACCT_ERR_NO_ACCOUNT. */
enum acct_err acct_role_set(long long id, enum acct_role role, int on, long long now);

#define ACCT_ONE_TIME_LEN 12   /* characters of a one-time password */

/* What acct_appoint did. */
struct acct_appointed {
	long long id;
	int created;                            /* 1: a new account; 0: the role was added to one */
	char password[ACCT_ONE_TIME_LEN + 1];   /* the one-time password issued, in clear, for the
						 * caller to show once and wipe; "" when the
						 * account already had a password (it keeps it) */
};
/* Appoints the person of p->iin staff of DDO `where` (role ACCT_STAFF) or
 * reviewer of district `where` (ACCT_REVIEWER). A new account takes p's
 * names and contacts; an existing one (a parent, staff of another DDO)
 * keeps its names and password, gets the role and p's phone if it had
 * none. An account without a password gets a one-time one
 * (acct_password_issue). ACCT_ERR_ROLE (another role), ACCT_ERR_DDO,
 * ACCT_ERR_DISTRICT. */
enum acct_err acct_appoint(const struct acct_person *p, enum acct_role role, long long where, long long now,
			   struct acct_appointed *out);

/* How a person proved their IIN at login. */
enum acct_proof { ACCT_BY_EDS, ACCT_BY_CODE, ACCT_PROOF__MAX };
/* The account a person logs in to after proving p->iin by `by`. The first
 * login makes a citizen's account with p's data (*created = 1); an existing
 * account takes p's name when it has none (made by a code login) and p's
 * phone when it has none. Refusals, with *id set: ACCT_ERR_NOT_CITIZEN
 * when a code is the proof and the account has another role (staff,
 * reviewers and support prove more than a phone: password or EDS), then
 * ACCT_ERR_DISABLED. */
enum acct_err acct_enter(const struct acct_person *p, enum acct_proof by, long long now, long long *id,
			 int *created);

/* Names and contacts of account id from p (p->iin is not used).
 * ACCT_ERR_NO_ACCOUNT. */
enum acct_err acct_update(long long id, const struct acct_person *p, long long now);

/* Makes account id staff of the DDO (granting ACCT_STAFF); attaching it
 * again changes nothing. ACCT_ERR_NO_ACCOUNT, ACCT_ERR_DDO (none or not
 * active). */
enum acct_err acct_ddo_attach(long long id, long long ddo_id, long long now);
/* Ends it; the role stays. ACCT_ERR_NOT_MEMBER. */
enum acct_err acct_ddo_detach(long long id, long long ddo_id);
/* Makes account id reviewer of the district (granting ACCT_REVIEWER).
 * ACCT_ERR_NO_ACCOUNT, ACCT_ERR_DISTRICT. */
enum acct_err acct_district_add(long long id, int district, long long now);
/* Ends it; the role stays. ACCT_ERR_NOT_MEMBER. */
enum acct_err acct_district_remove(long long id, int district);

/* Activates or deactivates account id for actor `by` (its account id);
 * deactivating ends its sessions. ACCT_ERR_NO_ACCOUNT, ACCT_ERR_SELF (by
 * deactivating itself). */
enum acct_err acct_active_set(long long id, int active, long long by, long long now);

/* Stores an encoded password hash (auth_hash_password) for account id;
 * must_change: the account must choose another at its next login.
 * ACCT_ERR_NO_ACCOUNT. */
enum acct_err acct_password_set(long long id, const char *hash, int must_change, long long now);
/* Issues a one-time password: a random one (auth_random_password) whose
 * hash is stored with must-change set; the account's sessions and pending
 * logins end. The clear text goes to out, for the caller to show once and
 * wipe. ACCT_ERR_NO_ACCOUNT. */
enum acct_err acct_password_issue(long long id, long long now, char out[ACCT_ONE_TIME_LEN + 1]);

#endif
