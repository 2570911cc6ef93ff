/* lst.c — see lst.h. */
#include "lst.h"

#include <stdio.h>
#include <string.h>

#include "util.h"
#include "view.h"

void lst_read(struct req *r, struct lst *l, const char *const *cols, int def_sort, int def_desc, int per_page)
{
	memset(l, 0, sizeof *l);
	l->sort = def_sort;
	l->desc = def_desc;
	l->page = 1;
	l->per_page = per_page > 0 ? per_page : 25;
	const char *s = req_param(r, "sort"), *d = req_param(r, "dir"), *p = req_param(r, "page");
	if (s)
		for (int i = 0; cols[i]; i++)
			if (strcmp(cols[i], s) == 0) {
				l->sort = i;
				l->desc = 0;
			}
	if (d && strcmp(d, "desc") == 0)
		l->desc = 1;
	else if (d && strcmp(d, "asc") == 0)
		l->desc = 0;
	long long v;
	if (p && u_strtoll(p, 1, 1000000, &v) == 0)
		l->page = v;
	l->offset = (l->page - 1) * l->per_page;
}

void lst_total(struct lst *l, long long total)
{
	l->total = total < 0 ? 0 : total;
	long long pages = l->total ? (l->total + l->per_page - 1) / l->per_page : 1;
	if (l->page > pages)
		l->page = pages;
	if (l->page < 1)
		l->page = 1;
	l->offset = (l->page - 1) * l->per_page;
}

const char *lst_query_without(struct req *r, const char *const *drop)
{
	struct buf b = {0};
	char *dup = arena_strdup(r->a, r->query ? r->query : "");
	for (char *save = NULL, *tok = dup ? strtok_r(dup, "&", &save) : NULL; tok; tok = strtok_r(NULL, "&", &save)) {
		int skip = !*tok;
		for (int i = 0; drop[i] && !skip; i++) {
			size_t n = strlen(drop[i]);
			skip = strncmp(tok, drop[i], n) == 0 && tok[n] == '=';
		}
		if (skip)
			continue;
		if (b.len)
			buf_addc(&b, '&');
		buf_adds(&b, tok);
	}
	const char *out = arena_strdup(r->a, b.s ? b.s : "");
	buf_free(&b);
	return out ? out : "";
}

/* path?base&sort=..&dir=..&page=.. under key, appended rather than
 * printed (a dozen links per list page). */
static void link(struct req *r, const char *key, const char *base, const char *sort, const char *dir, long long page)
{
	static struct buf b;
	buf_reset(&b);
	int bad = buf_adds(&b, r->path) | buf_addc(&b, '?') | buf_adds(&b, base) | buf_adds(&b, *base ? "&" : "") |
		  buf_adds(&b, "sort=") | buf_adds(&b, sort) | buf_adds(&b, "&dir=") | buf_adds(&b, dir) |
		  buf_adds(&b, "&page=") | buf_addint(&b, page);
	if (!bad)
		view_set(r, key, b.s);
}

void lst_view(struct req *r, const struct lst *l, const char *const *cols)
{
	static const char *const own[] = {"sort", "dir", "page", "lang", NULL};
	const char *base = lst_query_without(r, own);
	const char *cur = cols[l->sort];
	const char *dir = l->desc ? "desc" : "asc";
	for (int i = 0; cols[i]; i++) {
		char k[96];
		size_t n = strlen(cols[i]);
		if (n > sizeof k - sizeof "Sort..href")
			continue;
		memcpy(k, "Sort.", 5);
		memcpy(k + 5, cols[i], n);
		memcpy(k + 5 + n, ".href", sizeof ".href");
		/* The current column's link turns the order round; others start ascending. */
		link(r, k, base, cols[i], i == l->sort && !l->desc ? "desc" : "asc", 1);
		if (i == l->sort) {
			memcpy(k + 5 + n, ".dir", sizeof ".dir");
			view_set(r, k, dir);
		}
	}
	long long pages = l->total ? (l->total + l->per_page - 1) / l->per_page : 1;
	view_set_int(r, "Pager.page", l->page);
	view_set_int(r, "Pager.pages", pages);
	view_set_int(r, "Pager.total", l->total);
	view_set_int(r, "Pager.from", l->total ? l->offset + 1 : 0);
	view_set_int(r, "Pager.to", l->offset + l->per_page < l->total ? l->offset + l->per_page : l->total);
	if (l->page > 1) {
		link(r, "Pager.first", base, cur, dir, 1);
		link(r, "Pager.prev", base, cur, dir, l->page - 1);
	}
	if (l->page < pages) {
		link(r, "Pager.next", base, cur, dir, l->page + 1);
		link(r, "Pager.last", base, cur, dir, pages);
	}
}
