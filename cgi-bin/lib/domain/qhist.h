/*
 * qhist.h — why a queue number moved, and how long the wait likely is
 * (issue 18). Reads the position events that triggers on application write
 * (sql/210_position_events.sql); writes nothing.
 *
 * A queue is a district and group year; its order is the key (category
 * rank, queue time, application id) of queue.h. An event moves one
 * application's key in a queue: in (no old key), out (no new key), or from
 * one key to another (a category or queue-time change). For any key K the
 * number of applications ahead of K changes by
 *     effect(e, K) = [new key before K] - [old key before K],
 * so the number ahead of K at a past time t is the number ahead now minus
 * the effects of the events after t. The application's own key may itself
 * have changed; its own events say which key it had at any moment, and
 * whether it was queued at all.
 *
 * Cost. A request reads the application's own events (a handful), the
 * position now (queue_position_of: bounded by the calendar), and the events
 * of its queue in the period through the covering index position_event_queue:
 * one index entry per event of that one queue (a district and group year),
 * never the whole region's. At most QH_MAX_EVENTS are read; a period with
 * more is cut and the result says so.
 *
 * Events at the same second are ordered by their row id (the order of the
 * writes). Recording began at qh_started(); nothing before it is known.
 * Prefix qh_.
 */
#ifndef KG_QHIST_H
#define KG_QHIST_H

#include "base/util.h"

/* The reasons a number moved, as the pages count them. Each is an event of
 * another application whose effect on one's key was not zero. */
enum qh_reason {
	QH_REFERRED,       /* ahead, left with a referral (-1) */
	QH_WITHDRAWN,      /* ahead, withdrawn by its applicant (-1) */
	QH_LEFT,           /* ahead, left otherwise: archived, inactive, moved (-1) */
	QH_BENEFIT_AHEAD,  /* entered ahead with a better category (+1) */
	QH_ENTERED_AHEAD,  /* entered ahead in one's own category: returned with its date (+1) */
	QH_RECAT_AHEAD,    /* its category (or date) changed and it went ahead (+1) */
	QH_RECAT_BEHIND,   /* its category (or date) changed and it went behind (-1) */
	QH__MAX
};
/* "referred", "withdrawn", "left", "benefit_ahead", "entered_ahead",
 * "recat_ahead", "recat_behind": the pages' keys and the URL's kind. */
extern const char *const qh_reason_names[QH__MAX];
/* The reason of a name, -1 when unknown. */
int qh_reason_of(const char *name);

/* The causes of sql/210 (position_event.cause), in that order. */
enum qh_cause {
	QC_REGISTERED, QC_RETURNED, QC_REFERRED, QC_WITHDRAWN, QC_ARCHIVED, QC_LEFT, QC_MOVED, QC_RECATEGORISED,
	QC_REDATED, QC__MAX
};
extern const char *const qh_cause_names[QC__MAX];

/* A place in the queue order. */
struct qh_key {
	int rank;           /* 0 out of turn, 1 first priority, 2 none */
	long long at;       /* queued_at */
	long long id;       /* application id */
};
/* Is a before b in the queue order? 1 or 0. */
int qh_before(struct qh_key a, struct qh_key b);

struct qh_event {
	long long seq;      /* position_event.id: the order of events at one second */
	long long at;
	long long app_id;
	int cause;          /* enum qh_cause */
	int has_old, has_new;
	struct qh_key old, new;
};
/* The change of the number ahead of key k: -1, 0 or +1. */
int qh_effect(const struct qh_event *e, struct qh_key k);
/* The reason to show for an event of another application against key k,
 * -1 when it did not move k (or it is k's own). */
int qh_reason(const struct qh_event *e, struct qh_key k);

/* An application as the history needs it. */
struct qh_app {
	long long id;
	int district, year;
	char language[4];
	int queued;         /* in the queue now */
	struct qh_key key;  /* its key now (also when not queued: the last one) */
};
/* Loads one. 1, 0 when there is no such application, -1 on an error. */
int qh_app(long long id, struct qh_app *out);

/* When recording began (sql/210: qh_start). */
long long qh_started(void);

/* The most events one request reads. */
#define QH_MAX_EVENTS 200000

/* The reasons counted over the events at from <= at < to. cut: 1 when
 * QH_MAX_EVENTS stopped the reading. 0 or -1. */
struct qh_counts {
	long long n[QH__MAX];
	long long net;      /* the sum of the effects: the change of the number ahead */
	int cut;
};
int qh_count(const struct qh_app *app, long long from, long long to, struct qh_counts *out);

/* One event of a list: when, the other application's masked number
 * (qh_mask_number), its category after the event (or before, when it left). */
struct qh_item {
	long long at;
	char number[32];
	int rank;
};
/* The events of one reason at from <= at < to, oldest first, at most max
 * in out (arena-free: the caller's array). Returns how many matched (may
 * exceed max; only max are stored), -1 on an error. */
long long qh_list(const struct qh_app *app, long long from, long long to, int reason, struct qh_item *out, int max);

/* The masked form of an application number for public lists: the year and
 * the last two digits of the sequence are kept, "UO.2026.****12.1". */
void qh_mask_number(const char *number, char out[32]);

/* ---- the history of the position ---- */

/* A day (cal.h day number, local) and the position at its end; 0 when the
 * application was not queued then. */
struct qh_day {
	int day;
	long long pos;
};
/* The position at the end of each day from the day of since to today (now),
 * keeping only the first day and the days it changed, oldest first, into
 * out (at most max; a year has at most 367 days). Returns how many, -1 on
 * an error. since is raised to qh_started() when earlier. */
int qh_history(const struct qh_app *app, long long since, long long now, struct qh_day *out, int max);
/* The position (1-based, 0 when not queued) at time t (after the events at
 * t). -1 on an error. */
long long qh_position_at(const struct qh_app *app, long long t, long long now);

/* ---- the likely wait ---- */

/* The estimate from monthly referral counts (pure). need: referrals that
 * must happen before this one and including it (same-language applications
 * ahead + 1). min_refs: fewer referrals than this in the 12 months give no
 * estimate. The months are ordered by their count; the average of the six
 * busiest gives the short end, the average of the six quietest (but at
 * least half the year's average) the long end; each end is need divided
 * by the rate, rounded up, at least 1 month. */
struct qh_wait {
	int enough;         /* 1 when there is an estimate */
	long long total;    /* referrals in the 12 months */
	long long need;
	int lo, hi;         /* months */
};
void qh_wait_estimate(const long long monthly[12], long long need, long long min_refs, struct qh_wait *out);

/* The estimate for an application at now: the referrals of its district,
 * group year and language in the 12 months before now (month i covers
 * now - (i+1)*30.44 days to now - i*30.44 days), the same-language
 * applications ahead of it now, and Queue.WaitMinReferrals (6). out->enough
 * is 0 when it is not queued. 0 or -1. */
int qh_wait_of(const struct qh_app *app, long long now, struct qh_wait *out);

#endif
