/*
 * refresh.h — the yearly refresh of the queue (DOMAIN.md, "The year of the
 * queue"; issue 17 item 1). Queues are refreshed by 30 June, before the
 * places of the new school year are distributed from 1 July.
 *
 * WHAT CHANGES, for the refresh of year Y run on day T (local), among the
 * applications waiting in the queue (status 'queued' or 'inactive': an
 * inactive application keeps its date and may come back, so it is
 * refreshed like a queued one; those with a referral or a child enrolled
 * are not):
 *   school_age   the child is Queue.SchoolAgeYears (6) years old or older
 *                on 1 September of Y (born on or before that day
 *                SchoolAgeYears years earlier: rf_school_cutoff): archived
 *                with archive_reason 'school_age'. Nothing else is
 *                changed in that application.
 *   benefit      the application has a benefit, a benefit document with an
 *                end date (document.valid_until) before T, and no current
 *                benefit document without an end date or ending on T or
 *                later: its documents support no category any more, so it
 *                moves to 'none' without a ground, keeping its queue date.
 *   group_year   its group year is not the one queue_group_year gives for
 *                the child's birth date (the birth date was corrected from
 *                the register): set to that one, keeping its queue date.
 * rf_decide is that rule (pure); rf_each_change reads the applications
 * and calls it, so the preview (the admin page, kgctl refresh --dry-run)
 * and the run see the same changes.
 *
 * HOW, per district in one transaction (rf_run_district): each change
 * with its history row (refresh_<kind>) and the parent's SMS (outbox, in
 * the account's language, L.Refresh.sms_<kind>); an open offer of a
 * changed application lapses (an archived one by the schema's trigger,
 * the others here, with the history row offer_cancelled), and the keys
 * touched are offered on (offer_fill); then one audit row for the district
 * (action queue_refresh, details "year=Y school_age=n benefit=n
 * group_year=n"), written only when something changed. Every UPDATE
 * repeats the condition it was chosen by, so a run concurrent with a
 * screen or another run changes each application at most once, and a
 * second run changes nothing (idempotent).
 *
 * WHEN: `kgctl refresh --year Y [--dry-run]`; the tick's job "refresh"
 * once a year on Queue.RefreshDate (MM-DD, default 06-30) or the first
 * tick after it (rf_tick, job_last 'refresh'); support in /admin/refresh
 * after a preview. Prefix rf_.
 */
#ifndef KG_REFRESH_H
#define KG_REFRESH_H

#include "base/actor.h"

enum rf_kind { RF_SCHOOL_AGE, RF_BENEFIT, RF_GROUP_YEAR, RF__MAX };
/* "school_age", "benefit", "group_year". */
extern const char *const rf_kind_names[RF__MAX];

/* Queue.SchoolAgeYears, kept within 3..10 (6 otherwise). */
int rf_school_age(void);
/* The last birth date ("yyyy-mm-dd") of a child who is age years old on 1
 * September of year (pure). */
void rf_school_cutoff(int year, int age, char out[11]);

/* What rf_decide looks at. */
struct rf_app {
	int group_year;
	const char *birth_date;   /* child.birth_date */
	const char *benefit;      /* application.benefit */
	int docs_expired;         /* the benefit documents ended, none current (see above) */
};
/* The changes an application gets (pure): their kinds into out, how many
 * (0..2; school_age alone). cutoff: rf_school_cutoff of the year. */
int rf_decide(const struct rf_app *a, const char *cutoff, enum rf_kind out[RF__MAX]);

/* One change. */
struct rf_change {
	long long app_id;
	int district;
	enum rf_kind kind;
	char number[32], birth_date[11], language[4];
	int year_from, year_to;                 /* the group year before and after */
	char benefit_from[16], ground_from[40]; /* the category left (benefit) */
};

/* Calls fn for every change the refresh of year would make at now in a
 * district (0: every district, in the order of their codes), in the
 * order of the applications; fn returns 0 to go on, else it stops.
 * Returns the number of changes seen, or -1 on a database error. Reads
 * only. */
long long rf_each_change(int district, int year, long long now, int (*fn)(void *arg, const struct rf_change *c),
			 void *arg);

/* Counts per kind. */
struct rf_tally {
	long long n[RF__MAX];
};

/* Makes the changes of one district, in one transaction (above). who: the
 * actor (support, or the system for kgctl and the tick). Adds what it
 * changed to *t. 0, or -1 on a database error (the district's
 * transaction rolled back: nothing of it changed). */
int rf_run_district(struct actor who, int district, int year, long long now, struct rf_tally *t);
/* rf_run_district for every district. Stops at the first error (the
 * districts before it keep their changes; a second run goes on). 0 or
 * -1. */
int rf_run(struct actor who, int year, long long now, struct rf_tally *t);

/* The tick's job: on or after Queue.RefreshDate of the year of now, when
 * the refresh of that year has not run since that day (job_last
 * 'refresh'), runs it as the system. Returns the number of changes, 0
 * when not due, -1 on an error. */
long long rf_tick(long long now);

#endif
