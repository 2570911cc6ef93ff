/*
 * place.h — the free places base: records "DDO, group year, language, N
 * places" that DDO staff publish, their statuses, and who may take them.
 *
 * STATUSES (free_place.status), one rule for every reader:
 *   waiting      during the priority window, i.e. while now <= window_until,
 *                where window_until = wd_end_after(created_at,
 *                Places.PriorityWindowDays) (the last second of the n-th
 *                working day after the day the record was saved): only
 *                applicants with a benefit may take its places;
 *   free_choice  after the window: any queued applicant of the record's
 *                district, group year and language may take a place;
 *   exhausted    no free place left (the schema's trigger sets it when the
 *                free count reaches zero; place_refresh reopens a record
 *                whose place came back through an annulled referral).
 * The stored status follows time through place_refresh(), which `kgctl
 * tick` runs every minute and the screens run before they read the rows,
 * so nothing depends on the timer alone. Queries that show a status also
 * compute it from free and window_until (place_status_at is the same rule
 * in C).
 *
 * ELIGIBILITY: an application may take a place of a record now when the
 * application is 'queued', its district, group year and language are the
 * record's, the record has a free place, and either the window is over or
 * the application has a benefit (out_of_turn or first_priority).
 *
 * A saved record is never edited or deleted (triggers of the schema); the
 * free count moves only through referrals (referral.h).
 * Prefix place_.
 */
#ifndef KG_PLACE_H
#define KG_PLACE_H

#include "web/req.h"

enum place_status { PLACE_WAITING, PLACE_FREE_CHOICE, PLACE_EXHAUSTED, PLACE_STATUS__MAX };
/* "waiting", "free_choice", "exhausted": the values of free_place.status. */
extern const char *const place_status_names[PLACE_STATUS__MAX];

/* The languages of instruction and the DDO kinds, as stored. */
enum { PLACE_LANG__MAX = 3, PLACE_KIND__MAX = 3 };
extern const char *const place_langs[PLACE_LANG__MAX + 1];   /* kk, ru, en, NULL */
extern const char *const place_kinds[PLACE_KIND__MAX + 1];   /* state, private_subsidised, mini_centre, NULL */

/* The status of a record at time now (pure). */
enum place_status place_status_at(long long now, long long window_until, int free);

/* Why an application may not take a record's place now. */
enum place_elig {
	PLACE_OK,
	PLACE_APP_NOT_QUEUED,  /* the application is referred, enrolled, archived, ... */
	PLACE_MISMATCH,        /* another district, group year or language */
	PLACE_NO_FREE,         /* the record is exhausted */
	PLACE_WINDOW,          /* priority window: benefit holders only, the application has none */
	PLACE_ELIG__MAX
};

/* What eligibility looks at. benefit: "none", "first_priority" or
 * "out_of_turn"; status: the application's status. */
struct place_app {
	int district, group_year;
	const char *language, *benefit, *status;
};
struct place_rec {
	int district, group_year;
	const char *language;
	int free;
	long long window_until;
};

/* May the application take a place of the record at time now? PLACE_OK
 * or the first reason in the order of the enum (pure). */
enum place_elig place_eligible(const struct place_app *a, const struct place_rec *p, long long now);

/* The group years staff may publish places for: from this year minus
 * Queue.MaxAgeYears to this year (local time of now). */
void place_year_range(long long now, int *min, int *max);

/* Saves a record for a DDO of the logged-in staff member (r->s), in one
 * transaction with its audit row. The membership is checked in the INSERT
 * itself (ddo_staff of this account, active DDO), so a DDO that is not the
 * member's saves nothing. form_token: the random token of the confirmation
 * (a second save with the same token saves nothing).
 * Returns 0 and the new id in *id, or:
 *   PLACE_ADD_NOT_MEMBER  the DDO is not one of the member's (or inactive)
 *   PLACE_ADD_DUPLICATE   this confirmation was saved already (*id = that record)
 *   -1                    database error (logged; nothing saved). */
enum { PLACE_ADD_NOT_MEMBER = 1, PLACE_ADD_DUPLICATE = 2 };
int place_add(struct req *r, long long ddo_id, int group_year, const char *language, int total,
	      const char *form_token, long long *id);

/* Applies the time rules that are due at now: ends priority windows
 * (waiting -> free_choice), reopens exhausted records whose places came
 * back, and annuls the referrals past their deadline (ref_annul_due).
 * Cheap when nothing is due (indexed look-ups, no write). Idempotent and
 * safe to run concurrently with the screens and another run. Returns the
 * number of rows changed, or -1 on a database error. */
int place_refresh(long long now);

/* Only the status part of place_refresh (the timed job "places"). */
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
