/*
 * place.h — the free places base: records "DDO, group year, language, N
 * places" that DDO staff publish, their statuses, and who may take them.
 *
 * STATUSES (free_place.status), one rule for every reader:
 *   waiting      during the priority window, i.e. while now <= window_until,
 *                where window_until = wd_end_after(created_at,
 *                Places.PriorityWindowDays) (the last second of the n-th
 *                working day after the day the record was saved): its
 *                places are offered in queue order (offer.h) and only an
 *                applicant holding an open offer of the record may take
 *                one («Ожидает»);
 *   free_choice  after the window: any queued applicant of the record's
 *                district, group year and language may take a place;
 *   exhausted    no free place left (the schema's trigger sets it when the
 *                free count reaches zero; place_refresh_status reopens a record
 *                whose place came back through an annulled referral).
 * The stored status follows time through place_refresh_status(), which
 * `kgctl tick` runs every minute and the screens run before they read the
 * rows (ref_refresh, with the annulments that give places back),
 * so nothing depends on the timer alone. What is shown is computed at now
 * by place_status_at, in SQL too (kg_place_status); the stored column
 * serves the indexes of the records still waiting.
 *
 * ELIGIBILITY (place_eligible): an application may take a place of a
 * record now when the application is 'queued', its district, group year
 * and language are the record's, the record has a free place, and either
 * the window is over or the application holds an open offer of the record
 * (offer.h: saving a record offers its places to the next applicants in
 * queue order). The last two are place_open, in SQL kg_place_open.
 *
 * Every reader of free_place.window_until is in this file (and plist.c,
 * which keeps the records of a district in memory and asks
 * place_status_at): the others ask place_get, place_each_open,
 * place_waiting or place_tally (the lint checks it).
 *
 * A saved record is never edited or deleted (triggers of the schema); the
 * free count moves only through referrals (referral.h).
 * Prefix place_.
 */
#ifndef KG_PLACE_H
#define KG_PLACE_H

#include <sqlite3.h>

#include "base/actor.h"

enum place_status { PLACE_WAITING, PLACE_FREE_CHOICE, PLACE_EXHAUSTED, PLACE_STATUS__MAX };
/* "waiting", "free_choice", "exhausted", NULL: the values of
 * free_place.status, in the enum's order. */
extern const char *const place_status_names[PLACE_STATUS__MAX + 1];

/* The languages of instruction and the DDO kinds, as stored. */
enum { PLACE_LANG__MAX = 3, PLACE_KIND__MAX = 3 };
extern const char *const place_langs[PLACE_LANG__MAX + 1];   /* kk, ru, en, NULL */
extern const char *const place_kinds[PLACE_KIND__MAX + 1];   /* state, private_subsidised, mini_centre, NULL */

/* The status of a record at time now (pure). SQL has it as
 * kg_place_status(now, window_until, free), returning the name. */
enum place_status place_status_at(long long now, long long window_until, int free);

/* The end of the priority window of a record saved at created_at: the last
 * second of the Places.PriorityWindowDays-th working day after its day (no
 * window, created_at - 1, when the setting is 0). -1 when the calendar
 * cannot be read. */
long long place_window_end(long long created_at);

/* Why an application may not take a record's place now. */
enum place_elig {
	PLACE_OK,
	PLACE_APP_NOT_QUEUED,  /* the application is referred, enrolled, archived, ... */
	PLACE_MISMATCH,        /* another district, group year or language */
	PLACE_NO_FREE,         /* the record is exhausted */
	PLACE_WINDOW,          /* priority window: reserved for applicants offered in queue order */
	PLACE_ELIG__MAX
};

/* What eligibility looks at. status: the application's status. */
struct place_app {
	long long id;
	int district, group_year;
	const char *language, *status;
};
struct place_rec {
	int district, group_year;
	const char *language;
	int free;
	long long window_until;
};

/* May the application take a place of the record at time now? offered:
 * whether it holds an open offer of the record (offer_held). PLACE_OK or
 * the first reason in the order of the enum (pure). */
enum place_elig place_eligible(const struct place_app *a, const struct place_rec *p, int offered, long long now);

/* The record's part of it: PLACE_OK, PLACE_NO_FREE or PLACE_WINDOW for an
 * applicant who holds (offered = 1) or does not hold an open offer of the
 * record (pure). SQL has it as kg_place_open(now, window_until, free,
 * offered), 1 for PLACE_OK and 0 otherwise. */
enum place_elig place_open(long long now, long long window_until, int free, int offered);

/* Registers kg_place_status and kg_place_open on a connection; every
 * process calls it right after db_open (with ref_sql_register). 0 or -1. */
int place_sql_register(sqlite3 *db);

/* A record with its DDO, as the pages that offer and issue it show it. */
struct place_row {
	long long id, ddo_id, window_until;
	int district, year, total, free;
	char language[4];
	enum place_status status;   /* at now */
	char ddo_ru[304], ddo_kk[304], address[304], kind[24];
};
/* The record id at now. 1, 0 when there is none, -1 on a database error. */
int place_get(long long id, long long now, struct place_row *out);
/* Calls fn for each record the application may take at now (place_eligible
 * gives PLACE_OK), by the DDO's name in lang, then oldest first; at most
 * max. Returns how many, or -1 on a database error. */
int place_each_open(const struct place_app *a, const char *lang, long long now, int max,
		    void (*fn)(void *arg, const struct place_row *p), void *arg);
/* The records of the application's district, group year and language with
 * a free place that are still in their priority window at now: how many,
 * and in *until the earliest end of those windows. -1 on a database
 * error. */
long long place_waiting(const struct place_app *a, long long now, long long *until);

/* What offer.h needs of the records in their window. */
struct place_win {
	long long id, window_until;
	int free;
	char ddo_ru[304], ddo_kk[304];
};
/* Calls fn for each record of the key (district, group year, language)
 * with a free place that is in its priority window at now, oldest first
 * (the index free_place_match). Returns how many, or -1. */
int place_each_in_window(int district, int group_year, const char *language, long long now,
			 void (*fn)(void *arg, const struct place_win *w), void *arg);
/* The keys with a record in its window at now whose free places are more
 * than its open offers (offer.h): at most max into the arrays. Returns how
 * many, or -1 (the partial index free_place_waiting). */
struct place_key { int district, group_year; char language[4]; };
int place_window_keys(long long now, int max, struct place_key *out);

/* Records, places and free places per status at now, in a district (0:
 * all). 0 or -1. */
struct place_tally { long long records, places, free; };
int place_tally(int district, long long now, struct place_tally out[PLACE_STATUS__MAX]);

/* The group years staff may publish places for: from this year minus
 * Queue.MaxAgeYears to this year (local time of now). */
void place_year_range(long long now, int *min, int *max);

/* Saves a record for a DDO of the staff member who (who.id the account,
 * acting as staff), in one transaction with its audit row and what then
 * does with the new record in that transaction: the screens pass
 * offer_fill_place (offer.h: its places offered to the next applicants in
 * queue order; offer.c builds on this module, so it is passed in rather
 * than called from here); NULL only in the unit tests of this module. The membership
 * is checked in the INSERT itself (ddo_staff of this account, active DDO),
 * so a DDO that is not the member's saves nothing. form_token: the random token of the confirmation
 * (a second save with the same token saves nothing).
 * Returns 0 and the new id in *id, or:
 *   PLACE_ADD_NOT_MEMBER  the DDO is not one of the member's (or inactive)
 *   PLACE_ADD_DUPLICATE   this confirmation was saved already (*id = that record)
 *   PLACE_ADD_FROZEN      the August transfer period (wd_freeze): no new record
 *   -1                    database error (logged; nothing saved). */
enum { PLACE_ADD_NOT_MEMBER = 1, PLACE_ADD_DUPLICATE = 2, PLACE_ADD_FROZEN = 3 };
int place_add(struct actor who, long long ddo_id, int group_year, const char *language, int total,
	      const char *form_token, int (*then)(long long place_id, long long now), long long *id);

/* WITHDRAWAL (the August transfer period): support withdraws a published
 * record nobody ever got a referral for, with a reason. It stays in the
 * base, shown as withdrawn (free_place.withdrawn_at, _by, _reason; sql/220):
 * its free count goes to 0, so no offer, choice or referral can take it,
 * and its open offers lapse (history offer_cancelled). One transaction with
 * the audit row. Returns 0, or PLACE_WD_NO (no such record, already
 * withdrawn) or PLACE_WD_REFERRED (it has a referral), or -1. */
enum { PLACE_WD_NO = 1, PLACE_WD_REFERRED = 2 };
int place_withdraw(struct actor who, long long place_id, const char *reason, long long now);
/* Is the record withdrawn? 1, 0 (also when there is no such record). */
int place_withdrawn(long long place_id);
/* The records of a district support may withdraw (published, no referral
 * ever, not withdrawn) and those withdrawn, newest first, at most max: fn
 * for each. How many, or -1. */
struct place_wd_row {
	long long id, created_at, withdrawn_at;   /* withdrawn_at 0: not withdrawn */
	int year, total, free;
	char language[4], ddo_ru[304], ddo_kk[304], reason[512];
};
int place_each_withdrawable(int district, int max, void (*fn)(void *arg, const struct place_wd_row *w), void *arg);

/* Applies the status rules that are due at now: ends priority windows
 * (waiting -> free_choice) and reopens exhausted records whose places came
 * back. Cheap when nothing is due (indexed look-ups, no write). Idempotent
 * and safe to run concurrently with the screens and another run. Returns
 * the number of rows changed, or -1 on a database error. The screens run
 * it with the annulments through ref_refresh (referral.h); the timed job
 * "places" alone. */
int place_refresh_status(long long now);

/* The status a record should have after its free count changed inside the
 * caller's transaction (an annulled referral gave a place back): sets it
 * from free and window_until. 0 or -1. */
int place_fix_status(long long place_id, long long now);

/* Children departed from the DDO since it last added places: enrollments
 * with departed_at after the newest free_place.created_at of the DDO (all
 * departures when it never added any). The system never adds places by
 * itself: staff are reminded of this number (on /places, in the cabinet
 * and after a departure). -1 on a database error. */
long long place_departed_since(long long ddo_id);

#endif
