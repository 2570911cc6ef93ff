/*
 * offer.h — places offered in queue order during a record's priority
 * window (issue 16 item 2).
 *
 * THE MODEL. A free-place record saved at t0 is 'waiting' until its
 * window_until = place_window_end(t0) (Places.PriorityWindowDays working
 * days), as place.h says. During the window its places are reserved by
 * offers: an offer (table offer, sql/140) gives one applicant the right to
 * take one place of the record until the window ends (offer.until =
 * window_until). Nobody without an open offer of the record may take its
 * places in the window; after it, every queued applicant of the key may
 * (free choice, as before).
 *
 * WHO IS OFFERED. offer_fill gives each record of a key (district, group
 * year, language) in its window as many open offers as it has free
 * places, to the next applicants of that key who are 'queued', hold no
 * open offer of any record, and have not had an offer of this record
 * before (declined or lapsed):
 *   - out-of-turn applicants first, in queue order;
 *   - then first-priority and ordinary applicants interleaved, one
 *     first-priority to Places.BenefitRatio (default 3) ordinary, each in
 *     its own queue order; when one category runs out the other goes on.
 * Queue order is that of the public search: queued_at, then id (the index
 * application_queue). The interleave counts the record's offers so far by
 * category (offer_next_category), so it goes on across pass-ons.
 *
 * AN OFFER ENDS as
 *   accepted  its applicant took a place of the record (ref_issue, in the
 *             referral's transaction);
 *   declined  its applicant declined it (offer_decline);
 *   lapsed    the window ended (offer_lapse_due, from the tick and
 *             ref_refresh), or the application left 'queued' (the
 *             trigger offer_lapse_on_status of sql/140: a referral
 *             elsewhere, a withdrawal, an archiving).
 * A decline, a lapse of the second kind and a place given back during a
 * window pass the place on at once: the code path that made the change
 * calls offer_fill in the same transaction.
 *
 * VOUCHER DISTRICTS (voucher.h): an offer made where district.financing is
 * 'voucher' is a voucher: make_one hands it to vch_issue, offer_held and
 * offer_accept ask the voucher's right first (vch_right, vch_take), a live
 * voucher holds its applicant like an open offer, and a voucher's offer is
 * refused (vch_refuse) rather than declined.
 *
 * No offer is made in the August transfer period (wd_freeze); a record
 * whose window outlasts it is offered once the period is over. In a
 * voucher district an offer is a voucher (voucher.h); a transfer request
 * takes the turns Queue.TransferRank gives it (transfer_order.h).
 *
 * Every function that writes runs inside the caller's BEGIN IMMEDIATE
 * transaction or opens one, so two records saved at once, or two parents
 * answering at once, never overbook and never skip anyone.
 * Prefix offer_.
 */
#ifndef KG_OFFER_H
#define KG_OFFER_H

#include "base/actor.h"

/* The categories of applicants, in the order of offers: the values of
 * application.benefit_rank, named as application.benefit (queue.h's enum
 * queue_benefit; queue.c calls this module, so it is not included). */
enum offer_cat { OFFER_OUT_OF_TURN, OFFER_FIRST_PRIORITY, OFFER_NONE, OFFER_CAT__MAX };
extern const char *const offer_cat_names[OFFER_CAT__MAX + 1];   /* out_of_turn, first_priority, none, NULL */

/* The category of the next offer of a record (pure): out-of-turn whenever
 * one is available; else first-priority when it is due (fp_done * ratio
 * <= none_done) or no ordinary applicant is available; else ordinary.
 * fp_done, none_done: the record's offers so far by category; *_avail:
 * whether an applicant of that category is available. OFFER_CAT__MAX
 * when none is available. */
enum offer_cat offer_next_category(long long fp_done, long long none_done, int ratio, int oot_avail, int fp_avail,
				       int none_avail);

/* Places.BenefitRatio, kept within 1..99 (3 otherwise). */
int offer_ratio(void);

/* Inside the caller's write transaction: tops up the open offers of every
 * record of the key that is in its window at now (now <= window_until)
 * and has free places not reserved by open offers, each new offer with
 * its history row ('offered') and SMS (outbox). Returns how many offers
 * were made, or -1 on a database error (the caller rolls back). */
int offer_fill(int district, int group_year, const char *language, long long now);
/* offer_fill for the key of an application, or of a record (a place given
 * back, a status changed). Inside the caller's transaction; as offer_fill. */
int offer_fill_app(long long app_id, long long now);
int offer_fill_place(long long place_id, long long now);

/* The statuses of an offer (offer.status), in the order of the enum. */
enum offer_status { OFFER_OPEN, OFFER_ACCEPTED, OFFER_DECLINED, OFFER_LAPSED, OFFER_ST__MAX };
extern const char *const offer_status_names[OFFER_ST__MAX + 1];

/* Does the application hold an open offer of the record at now? 1 or 0
 * (0 on a database error too, which the request loop reports). */
int offer_held(long long app_id, long long place_id, long long now);

/* Inside ref_issue's transaction, before the application leaves the
 * queue: the application's open offer of the record becomes 'accepted',
 * with its history row (actor: the citizen). 1 accepted, 0 it held none
 * (free choice), -1 on a database error. */
int offer_accept(long long app_id, long long place_id, long long actor, long long now);

/* The application's open offer at now, with its record and DDO. */
struct offer_info {
	long long id, place_id, until;
	int group_year;
	char category[16], language[4];
	char ddo_ru[304], ddo_kk[304], address[304];
};
/* 1 found, 0 none, -1 on a database error. */
int offer_open_of(long long app_id, long long now, struct offer_info *out);

/* The citizen applicant_id (who) declines the open offer of their queued
 * application app_id: 'declined', history, audit, and the place passes at
 * once to the next applicant (offer_fill), in one transaction. 0 done, 1
 * no open offer of that applicant's queued application, -1 database
 * error (nothing changed). */
int offer_decline(struct actor who, long long applicant_id, long long app_id);

/* The timed rules (the job "offers" of `kgctl tick`; ref_refresh runs the
 * first). offer_lapse_due: every open offer whose window ended before now
 * becomes 'lapsed', with its history row; the places are then in free
 * choice (place.h). offer_fill_due: offer_fill, each in its own
 * transaction, for every key with a record in its window whose free
 * places are not all reserved (new applicants, a lapse nobody passed on).
 * Cheap when nothing is due (partial indexes). Each returns how many
 * offers it closed or made, or -1. */
int offer_lapse_due(long long now);
int offer_fill_due(long long now);

/* The open offers of a record (the places it has reserved); -1 on error. */
long long offer_reserved(long long place_id);

/* The overall queue position the application holds now (queue.h's
 * queue_position: 1-based in its district and group year; 0 when it is
 * not queued; -1 on a database error). Each offer keeps it as it was when
 * made (offer.position, the distribution protocol shows it: protocol.h).
 * Defined in queue.c with the rest of the position: queue.c calls this
 * module, so this module cannot include queue.h (an include cycle) and
 * names here the one function of it that it needs. */
long long queue_overall(long long app_id);

#endif
