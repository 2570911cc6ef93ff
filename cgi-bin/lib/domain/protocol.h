/*
 * protocol.h — the distribution protocol of a free-place record: to whom
 * its places were offered, in which order, and what became of each offer
 * and each place (issue 18, item 3). Public: anyone may check that the
 * places went in queue order.
 *
 * WHAT IT SHOWS, for one record, oldest first:
 *   offered      an offer (offer.h) to the next applicant in the order:
 *                its ordinal among the record's offers, the applicant's
 *                category when offered and the overall queue position it
 *                held then (offer.position; unknown for offers made before
 *                it was kept: shown as «—»)
 *   accepted     the applicant took the offered place (a referral follows)
 *   declined     the applicant declined: the place passed on at once
 *   lapsed       the window ended, or the application left the queue
 *   referred     a referral to the record after an accepted offer
 *   free_choice  a referral to the record not preceded by an offer of it:
 *                a place taken in free choice after the window
 *   returned     a referral annulled or refused: its place came back
 * At one moment closings come before referrals, referrals before places
 * returned, and those before new offers (a decline and the offer it
 * passes the place to happen in one transaction).
 *
 * WHAT IT NEVER SHOWS: names, IINs, legal grounds of a benefit (only the
 * category), phones. An application is shown by its number masked as
 * every public list masks it (qhist.h's qh_mask_number: "UO.2026.****23.1").
 *
 * The CSV and JSON forms carry the same events as the page, with codes
 * instead of words. Prefix proto_.
 */
#ifndef KG_PROTOCOL_H
#define KG_PROTOCOL_H

#include "base/util.h"
#include "domain/place.h"

enum proto_ev { PROTO_OFFERED, PROTO_ACCEPTED, PROTO_DECLINED, PROTO_LAPSED, PROTO_REFERRED, PROTO_FREE_CHOICE,
		PROTO_RETURNED, PROTO_EV__MAX };
/* "offered", "accepted", "declined", "lapsed", "referred", "free_choice", "returned", NULL */
extern const char *const proto_ev_names[PROTO_EV__MAX + 1];

/* One event of a protocol. */
struct proto_event {
	long long at;
	enum proto_ev kind;
	long long offer_no;     /* the offer's ordinal in the record (1, 2, ...); 0 for a referral in free choice */
	char number[32];        /* the application's number, masked */
	char category[16];      /* out_of_turn, first_priority or none */
	long long position;     /* overall queue position when offered; 0 unknown or not an offer's */
};

/* A record as its protocol heads it. */
struct proto_rec {
	struct place_row p;     /* place.h: DDO, key, places, status at now */
	long long created_at;
};

/* The record id at now: 1, 0 when there is none, -1 on a database error. */
int proto_record(long long id, long long now, struct proto_rec *out);

/* Calls fn for each event of the record, in the protocol's order. Returns
 * how many, or -1 on a database error. */
int proto_events(long long place_id, void (*fn)(void *arg, const struct proto_event *e), void *arg);

/* The records of a district saved in a month (year, month 1..12, local
 * time), oldest first, at most max ids. Returns how many, or -1. */
int proto_month_records(int district, int year, int month, long long *ids, int max);

/* The CSV of records (one row per event, records one after another):
 * a head row, then record;ddo;group_year;language;total;event_no;event;
 * time;at;offer_no;number;category;position, ';'-separated, CRLF, ddo in
 * lang ("kk" or Russian). An empty position is "". Appends to out. 0 or -1. */
int proto_csv(const long long *ids, int n, const char *lang, long long now, struct buf *out);

/* The JSON of one record: {"record":{...},"events":[{...}]}. 0, 1 when
 * there is no such record, -1 on an error. */
int proto_json(long long id, const char *lang, long long now, struct buf *out);

#endif
