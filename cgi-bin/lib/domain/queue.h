/*
 * queue.h — the queue of preschool children (DOMAIN.md, "Rules"): benefit
 * categories and their legal grounds, application numbers, registration,
 * withdrawal and the queue position. The registration screen, the public
 * search, the statistics and (later) the free places' eligibility and the
 * journal all use these functions, so each rule is written once here.
 *
 * Queue order, per district and group year: out of turn, then first
 * priority, then without a benefit (application.benefit_rank 0, 1, 2);
 * within a category by queue time (queued_at), then by application id.
 * Only applications with status 'queued' are in the queue.
 *
 * Position at national scale. Counting the applications ahead of one by
 * walking the index application_queue costs one step per application
 * ahead: tens of thousands in a big city's queue. Migration 020 keeps
 * counters instead, maintained by triggers on every change of an
 * application (so no code path can forget them):
 *   queue_count (district, group year, category, language)  -> n
 *   queue_month (district, group year, category, month)     -> n
 *   queue_day   (district, group year, category, day)       -> n
 * The position reads the category counts (at most 9 rows), the months
 * before the application's month (at most ~90 rows: a group year's
 * queue spans about seven years), the days of its month before its day
 * (at most 30 rows) and finally the applications of its own day before
 * it (the index, a handful of rows). The cost is bounded by the calendar,
 * not by the length of the queue. queue_position_count() is the plain
 * index count, kept for the tests that prove both agree.
 *
 * Every function that writes expects to be called inside the caller's
 * transaction where noted, or opens its own (queue_register,
 * queue_withdraw). Prefix queue_.
 */
#ifndef KG_QUEUE_H
#define KG_QUEUE_H

#include <stddef.h>

#include "base/actor.h"
#include "base/util.h"

/* The categories, in queue order; the value is application.benefit_rank. */
enum queue_benefit { QB_OUT_OF_TURN, QB_FIRST_PRIORITY, QB_NONE, QB__MAX };
/* application.benefit of each category: "out_of_turn", "first_priority", "none". */
extern const char *const queue_benefit_names[QB__MAX];

/* Languages of instruction (application.language), NULL-terminated. */
extern const char *const queue_languages[];

/* A legal ground of a benefit (application.benefit_ground holds its
 * code). The words shown to people live in the string tables:
 * L.Benefit.g.<code>.name (who) and L.Benefit.g.<code>.law (the act that
 * grants the right), in both languages. */
struct queue_ground {
	const char *code;
	enum queue_benefit category;
};
/* Every ground, out-of-turn ones first; ends with a NULL code. */
extern const struct queue_ground queue_grounds[];
/* The ground of a code, NULL when unknown (or "" / "none"). */
const struct queue_ground *queue_ground(const char *code);

/* The group year of a child born on birth_date ("yyyy-mm-dd"): the year
 * of birth (DOMAIN.md, "group_year"). The registration and the yearly
 * refresh (refresh.h) both ask it. 0 when the date is not one. */
int queue_group_year(const char *birth_date);

/* ---- numbers ---- */

/* The local (Kazakhstan) calendar year of a time. */
int queue_year_of(long long t);
/* Gives the next number UO.<year>.<6-digit sequence>.<n> for a new
 * application of child_id registered at time now: the sequence is the
 * next of that year (table app_seq), n is 1 + the number of the child's
 * earlier applications. Call inside the registration's transaction. 0 or
 * -1 (database error; the sequence above 999999 is an error too). */
int queue_next_number(long long child_id, long long now, char out[32]);
/* Is s shaped like an application number (UO.yyyy.nnnnnn.n)? 1 or 0. */
int queue_number_valid(const char *s);

/* ---- registration ---- */

/* A registration, validated by the screen. Strings are not copied. */
struct queue_reg {
	long long applicant_id;
	const char *child_iin;       /* 12 digits, checked */
	const char *child_surname, *child_name, *child_patronymic;
	const char *birth_date;      /* yyyy-mm-dd from the IIN */
	char sex;                    /* 'M' or 'F' from the IIN */
	int district;                /* existing district */
	int group_year;              /* the birth year */
	const char *language;        /* "kk", "ru" or "en" */
	const char *ground;          /* a ground code, or NULL/"" for none */
	long long ddo[3];            /* preferred DDOs of the district, 0 = none */
	const char *phone, *email;   /* normalised; email may be "" */
	/* The benefit's supporting document, already stored by doc_store (NULL
	 * sha when there is none). */
	const char *doc_sha, *doc_mime, *doc_name;
	size_t doc_size;
	/* Its end date "yyyy-mm-dd" when it has one (document.valid_until,
	 * read by the yearly refresh: refresh.h), else NULL. */
	const char *doc_valid_until;
	/* The applicant's own names, written to the account when it has none
	 * yet (a citizen who logged in by one-time code); NULL otherwise. */
	const char *applicant_surname, *applicant_name, *applicant_patronymic;
	/* The queue time: 0 for now; a confirmed guardian request (guardian.h)
	 * keeps the date it was submitted. */
	long long queued_at;
	/* The guardian request this registration confirms (0: none): it does
	 * not count against the applicant's cap nor block its own child. */
	long long guardian_request;
};

/* QUEUE_DUPLICATE: the child has an active application (its number given);
 * QUEUE_PENDING: a guardian request for the child awaits the education
 * department (its id given as the number); QUEUE_CAP: the applicant has
 * Queue.MaxActivePerApplicant active applications and pending requests. */
enum { QUEUE_OK = 0, QUEUE_DUPLICATE = 1, QUEUE_PENDING = 2, QUEUE_CAP = 3, QUEUE_FAILED = -1 };

/* The applicant's cap: Queue.MaxActivePerApplicant (default 5). */
long long queue_cap(void);

/* May the applicant put this child in the queue (or ask to as a guardian)
 * now? The rule both paths share: the child has no active application and
 * no pending guardian request, and the applicant is below the cap (active
 * applications, not archived or departed, plus pending guardian
 * requests). except_request: a guardian request left out of both counts
 * (the one being confirmed), 0 for none. Returns QUEUE_OK, QUEUE_DUPLICATE
 * or QUEUE_PENDING (number filled), QUEUE_CAP, QUEUE_FAILED. Call it inside
 * the transaction that writes, so that two requests at once cannot pass
 * the cap together. */
int queue_admissible(const char *child_iin, long long applicant_id, long long except_request, char number[32]);

/* Registers a child in one transaction: queue_admissible, the child row
 * (inserted, or the existing one of that IIN reused with the names given),
 * the application (status queued, queue time now or in->queued_at), the benefit document, the history row
 * (event 'registered', p1 the number), the audit row, and the applicant's
 * names when given. Returns QUEUE_OK with the new id and number;
 * QUEUE_DUPLICATE, QUEUE_PENDING or QUEUE_CAP as queue_admissible says
 * (nothing is written); QUEUE_FAILED on a database error (nothing is
 * written). who is the audit row's actor
 * (the citizen, with their address). */
int queue_register(struct actor who, const struct queue_reg *in, long long *id, char number[32]);
/* The same inside the caller's open transaction (the caller commits, or
 * rolls back on any result but QUEUE_OK). */
int queue_register_tx(struct actor who, const struct queue_reg *in, long long *id, char number[32]);

/* The number of the child's active application (not archived or
 * departed), if any: 1 and number filled, or 0. */
int queue_active_of_child(const char *child_iin, char number[32]);

/* Withdraws a queued application of the applicant: archived with reason
 * 'withdrawn', a history row ('withdrawn') and an audit row, in one
 * transaction. Returns QUEUE_OK; 1 when no such queued application of
 * that applicant exists (another's, unknown, or no longer queued);
 * QUEUE_FAILED on a database error. */
int queue_withdraw(struct actor who, long long applicant_id, long long app_id);

/* ---- position ---- */

struct queue_pos {
	int queued;                /* 1 when the application is in the queue */
	long long overall;         /* 1-based place in its district and group year */
	long long in_category;     /* 1-based place among its category */
	long long ahead[QB__MAX];  /* applications ahead of it, per category */
	long long total[QB__MAX];  /* applications in that queue, per category */
};

/* The position of an application (out->queued = 0 and the rest 0 when
 * it is not queued). Returns 0, -1 when there is no such application or
 * on a database error. */
int queue_position(long long app_id, struct queue_pos *out);
/* The position a queued application with this key has (the counters'
 * way). rank is the category, queued_at and id the tie-breakers. 0/-1. */
int queue_position_of(int district, int group_year, int rank, long long queued_at, long long id,
		      struct queue_pos *out);
/* The same by counting the index application_queue row by row (the
 * reference the counters are tested against). 0/-1. */
int queue_position_count(int district, int group_year, int rank, long long queued_at, long long id,
			 struct queue_pos *out);

/* ---- personal data in public views ---- */

/* The child's initials in the public search: u_initials (util.h). */

/* Names as the national registries write them: in capitals (Cyrillic with
 * the Kazakh letters, and Latin), single spaces. Returns an arena copy. */
char *queue_upper(struct arena *a, const char *s);
/* Is s a plausible personal name: letters (any script), spaces, hyphens
 * and apostrophes only, starting with a letter? 1 or 0. */
int queue_name_ok(const char *s);

#endif
