/*
 * waitlist.h — waiting lists of kindergartens (issue 17 item 4).
 *
 * A parent whose chosen DDO has no free place puts the queued application
 * on that DDO's waiting list: at most WL_MAX (3) DDOs, each of the
 * application's district (table waitlist, sql/240; the schema refuses a
 * fourth, another district's DDO and an application that is not queued).
 * When such a DDO publishes a free-place record of the application's group
 * year and language (place_add), everyone on its list is told in the
 * record's transaction: an SMS in the account's language (outbox, with its
 * history row) and a notice on «Мои заявления» (waitlist_notice), shown
 * while the application is queued and the record has free places.
 *
 * The list decides nothing: who gets a place is still the queue order of
 * offer.h. An application that leaves the queue leaves every list (the
 * trigger waitlist_leave). Staff see how many queued applications are on
 * their DDO's list per group year and language (the cabinet).
 * Prefix wl_.
 */
#ifndef KG_WAITLIST_H
#define KG_WAITLIST_H

#include "base/actor.h"

enum { WL_MAX = 3 };

/* Results of wl_add and wl_remove. */
enum wl_result {
	WL_OK = 0,
	WL_NOT_FOUND = 1,   /* no queued application of that applicant (another's, unknown, not queued) */
	WL_FULL = 2,        /* already on WL_MAX lists */
	WL_BAD_DDO = 3,     /* not an active DDO of the application's district */
	WL_ALREADY = 4,     /* already on that list (wl_add) / not on it (wl_remove) */
	WL_FAILED = -1,
};

/* The citizen applicant_id puts their queued application app_id on the
 * list of ddo_id, or takes it off: the row, a history row
 * ('waitlist_added' / 'waitlist_removed', p1 the DDO) and an audit row in
 * one transaction. Returns an enum wl_result. */
int wl_add(struct actor who, long long applicant_id, long long app_id, long long ddo_id);
int wl_remove(struct actor who, long long applicant_id, long long app_id, long long ddo_id);

/* The lists an application is on, oldest first. */
struct wl_entry {
	long long ddo_id, added_at;
	char name_ru[304], name_kk[304];
};
/* Authorised by applicant_id. Returns how many (at most max), or -1. */
int wl_of_app(long long applicant_id, long long app_id, struct wl_entry *out, int max);

/* Inside place_add's transaction: tells everyone on the list of the
 * record's DDO whose queued application has the record's group year and
 * language (SMS, history 'waitlist_place', notice). Returns how many were
 * told, or -1 (the caller rolls back). */
int wl_place_saved(long long place_id, long long now);

/* The notices of a queued application of applicant_id whose record still
 * has free places, newest first. */
struct wl_notice {
	long long place_id, at;
	int free, group_year;
	char language[4], ddo_ru[304], ddo_kk[304];
};
/* Returns how many (at most max), or -1. */
int wl_notices(long long applicant_id, long long app_id, struct wl_notice *out, int max);

/* The size of a DDO's list per group year and language (queued
 * applications only), for a staff member of that DDO (account_id:
 * authorised in the query; another's DDO has none). */
struct wl_size {
	int group_year;
	char language[4];
	long long n;
};
/* Returns how many rows (at most max), or -1. */
int wl_sizes(long long account_id, long long ddo_id, struct wl_size *out, int max);

#endif
