/* lst.c — see lst.h. */
#include "web/lst.h"

#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "web/view.h"

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

/* path?base&sort=..&dir=..&page=.. in the arena, appended rather than
 * printed (a dozen links per list page); NULL on memory trouble. */
static const char *link(struct req *r, const char *base, const char *sort, const char *dir, long long page)
{
	static struct buf b;
	buf_reset(&b);
	int bad = buf_adds(&b, r->path) | buf_addc(&b, '?') | buf_adds(&b, base) | buf_adds(&b, *base ? "&" : "") |
		  buf_adds(&b, "sort=") | buf_adds(&b, sort) | buf_adds(&b, "&dir=") | buf_adds(&b, dir) |
		  buf_adds(&b, "&page=") | buf_addint(&b, page);
	return bad ? NULL : arena_strndup(r->a, b.s, b.len);
}

int lst_links(struct req *r, const struct lst *l, const char *const *cols, struct lst_links *k)
{
	static const char *const own[] = {"sort", "dir", "page", "lang", NULL};
	memset(k, 0, sizeof *k);
	const char *base = lst_query_without(r, own);
	const char *cur = cols[l->sort];
	const char *dir = l->desc ? "desc" : "asc";
	int bad = 0;
	for (int i = 0; cols[i] && i < LST_MAX_COLS; i++) {
		/* The current column's link turns the order round; others start ascending. */
		k->href[i] = link(r, base, cols[i], i == l->sort && !l->desc ? "desc" : "asc", 1);
		bad |= !k->href[i];
	}
	long long pages = l->total ? (l->total + l->per_page - 1) / l->per_page : 1;
	k->page = arena_int(r->a, l->page);
	k->pages = arena_int(r->a, pages);
	k->total = arena_int(r->a, l->total);
	k->from = arena_int(r->a, l->total ? l->offset + 1 : 0);
	k->to = arena_int(r->a, l->offset + l->per_page < l->total ? l->offset + l->per_page : l->total);
	bad |= !k->page || !k->pages || !k->total || !k->from || !k->to;
	if (l->page > 1) {
		k->first = link(r, base, cur, dir, 1);
		k->prev = link(r, base, cur, dir, l->page - 1);
		bad |= !k->first || !k->prev;
	}
	if (l->page < pages) {
		k->next = link(r, base, cur, dir, l->page + 1);
		k->last = link(r, base, cur, dir, pages);
		bad |= !k->next || !k->last;
	}
	return bad ? -1 : 0;
}

void lst_view(struct req *r, const struct lst *l, const char *const *cols)
{
	struct lst_links k;
	if (lst_links(r, l, cols, &k) < 0)
		return;
	for (int i = 0; cols[i] && i < LST_MAX_COLS; i++) {
		char key[96];
		size_t n = strlen(cols[i]);
		if (n > sizeof key - sizeof "Sort..href")
			continue;
		memcpy(key, "Sort.", 5);
		memcpy(key + 5, cols[i], n);
		memcpy(key + 5 + n, ".href", sizeof ".href");
		view_set(r, key, k.href[i]);
		if (i == l->sort) {
			memcpy(key + 5 + n, ".dir", sizeof ".dir");
			view_set(r, key, l->desc ? "desc" : "asc");
		}
	}
	view_set(r, "Pager.page", k.page);
	view_set(r, "Pager.pages", k.pages);
	view_set(r, "Pager.total", k.total);
	view_set(r, "Pager.from", k.from);
	view_set(r, "Pager.to", k.to);
	if (l->total)
		view_set(r, "Pager.some", "1");
	if (k.first) {
		view_set(r, "Pager.back", "1");
		view_set(r, "Pager.first", k.first);
		view_set(r, "Pager.prev", k.prev);
	}
	if (k.next) {
		view_set(r, "Pager.fwd", "1");
		view_set(r, "Pager.next", k.next);
		view_set(r, "Pager.last", k.last);
	}
}
