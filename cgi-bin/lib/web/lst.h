/*
 * lst.h — sorting and paging of the service's tables (the free places
 * base, the enrolled list, the journal): one way to read ?sort=, ?dir=,
 * ?page= and to give the template the links, so every table behaves the
 * same. Filters stay the screen's own (validated with val.h); the links
 * keep them, because they keep every other parameter of the query.
 *
 *   static const char *const cols[] = {"name", "year", "date", NULL};
 *   struct lst l;
 *   lst_read(r, &l, cols, 2, 1, 25);            // default: date, descending
 *   lst_total(&l, db_int("SELECT count(*) ...", 0, ...));
 *   ... "ORDER BY CASE ?1 WHEN 0 THEN ... END ... LIMIT ? OFFSET ?", l.sort, l.desc, l.per_page, l.offset
 *   lst_view(r, &l, cols);
 *
 * In the template (layout/macros.cs): call:sort_th("name", L.X.name) for
 * a header that sorts, call:pager() under the table.
 * View data: Sort.<col>.href, Sort.<col>.dir ("asc"/"desc", the sorted column only),
 * Pager.page, .pages, .total, .from, .to, .first, .prev, .next, .last
 * (links; empty when not applicable), and what pager() tests: Pager.some
 * (rows found), .back (first and prev shown), .fwd (next and last).
 * Prefix lst_.
 */
#ifndef KG_LST_H
#define KG_LST_H

#include "web/req.h"

struct lst {
	int sort;            /* index in the screen's column names */
	int desc;            /* 1 descending */
	long long page;      /* 1-based, clamped by lst_total */
	int per_page;
	long long total;     /* rows that match the filters */
	long long offset;    /* (page - 1) * per_page */
};

/* cols: NULL-terminated names of the sortable columns. An unknown sort or
 * dir falls back to the defaults, a bad page to 1. */
void lst_read(struct req *r, struct lst *l, const char *const *cols, int def_sort, int def_desc, int per_page);
/* Records the total and clamps the page into range. */
void lst_total(struct lst *l, long long total);
/* Fills Sort.* and Pager.* in the view. */
void lst_view(struct req *r, const struct lst *l, const char *const *cols);

/* The same links and figures as strings in the request's arena (what
 * lst_view puts in the view): href by column (at most LST_MAX_COLS), first..last
 * NULL when not shown. 0, or -1 on memory trouble. */
#define LST_MAX_COLS 16
struct lst_links {
	const char *href[LST_MAX_COLS];
	const char *first, *prev, *next, *last;
	const char *page, *pages, *total, *from, *to;
};
int lst_links(struct req *r, const struct lst *l, const char *const *cols, struct lst_links *k);

/* The request's query string without the parameters named in drop
 * (NULL-terminated), as "a=1&b=2" (arena; "" when none is left): what
 * links keep of the page they come from. */
const char *lst_query_without(struct req *r, const char *const *drop);

#endif
