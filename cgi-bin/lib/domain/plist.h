/*
 * plist.h — the free places base's table (places.c, seed 000 figure 9) at
 * national scale: filtering, sorting, counting and paging in memory.
 *
 * Why. A district of a big city holds thousands of free-place records.
 * Done in SQL, every request joined each of them to its DDO and its
 * creator's account, computed every sort key and sorted them all to show
 * twenty: ~50 million instructions (15 ms) a request on the generated
 * national data, for staff (whose page is personal, so never cached) and
 * for every filter combination not yet cached.
 *
 * How. Each worker keeps, per district (the last PLIST_DISTRICTS used), the
 * district's records in a compact array with their DDOs and creators, read
 * in three queries and kept while db_version() stays the same: any change
 * of the database (a new record, a referral, a renamed DDO or person, a
 * holiday) reads the district again, so what the list shows cannot be
 * older than the request's snapshot, whatever table a change touched. The order of the
 * records by each sort column is computed the first time it is asked for
 * and kept too. A request then walks one order once: each record is
 * tested against the filters (numbers compared; the name and user boxes
 * tested once per DDO and once per creator, not per record), counted, and
 * the rows of the page copied out. The cost is a few instructions per
 * record of the district, with no join, no sort and no page read: bounded
 * by the size of a district, whatever the size of the country.
 *
 * Same results as the SQL it replaces: filters as places.c reads them,
 * the status of a record computed at `now` (exhausted when free = 0,
 * waiting while now <= window_until, else free choice), ties broken by id
 * descending in both directions, text compared bytewise (SQLite's BINARY).
 * Prefix plist_.
 */
#ifndef KG_PLIST_H
#define KG_PLIST_H

#include <stddef.h>

#define PLIST_DISTRICTS 4

/* The sort columns, in the order of places.c's sort_cols. */
enum plist_col { PL_NAME, PL_YEAR, PL_LANG, PL_TOTAL, PL_FREE, PL_USER, PL_KIND, PL_DATE, PL_STATUS, PL__MAX };

struct plist_filter {
	const char *name;       /* folded text the DDO's name must contain, "" = any */
	const char *user;       /* folded text the creator's "surname name" must contain, "" = any */
	int year;               /* 0 = any */
	const char *lang;       /* "kk", "ru", "en"; "" = any */
	const char *kind;       /* a DDO kind; "" = any */
	const char *status;     /* "waiting", "free_choice", "exhausted"; "" = any */
	long long total, free;  /* -1 = any */
	long long day_from, day_to;  /* created_at in [from, to); 0 = any */
};

/* One row of the page. Strings belong to the district's memory and stay
 * valid until the next plist_query. */
struct plist_row {
	long long id, ddo_id, created_at, window_until;
	const char *name;       /* the DDO's name in the requested language */
	const char *user;       /* the creator, masked (u_mask_name) */
	const char *lang;       /* "kk", "ru", "en" */
	const char *kind;       /* DDO kind code */
	const char *status;     /* at now */
	int year, total, free;
};

/* Folds a text for the name and user boxes (ASCII and Cyrillic with the
 * Kazakh letters to lower case); out has room for n + 1 bytes. */
size_t plist_fold(const unsigned char *s, size_t n, unsigned char *out);

/* Counts the district's records that pass the filter and copies the rows
 * [offset, offset + limit) of their order (col, desc) into rows. Returns
 * the count, or -1 on a database or memory error (logged). lang: "kk" for
 * the Kazakh names, else Russian. */
long long plist_query(int district, const char *lang, const struct plist_filter *f, enum plist_col col, int desc,
		      long long now, long long offset, int limit, struct plist_row *rows, int *nrows);

/* Frees every district's memory (at exit, for the leak checks). */
void plist_free(void);

#endif
