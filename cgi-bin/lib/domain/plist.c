/* plist.c — see plist.h. */
#include "domain/plist.h"

#include <stdlib.h>
#include <string.h>

#include "base/conf.h"
#include "base/db.h"
#include "base/log.h"
#include "base/util.h"
#include "domain/place.h"

size_t plist_fold(const unsigned char *s, size_t n, unsigned char *out)
{
	size_t j = 0;
	for (size_t i = 0; i < n;) {
		unsigned c = s[i];
		if (c < 0x80) {
			out[j++] = (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			i++;
			continue;
		}
		if ((c & 0xE0) == 0xC0 && i + 1 < n) {
			unsigned cp = ((c & 0x1F) << 6) | (s[i + 1] & 0x3F);
			if (cp >= 0x410 && cp <= 0x42F)
				cp += 0x20;
			else if (cp >= 0x400 && cp <= 0x40F)
				cp += 0x50;
			else if (((cp >= 0x460 && cp <= 0x4BF) || (cp >= 0x4D0 && cp <= 0x4FF)) && !(cp & 1))
				cp += 1;
			out[j++] = (unsigned char)(0xC0 | (cp >> 6));
			out[j++] = (unsigned char)(0x80 | (cp & 0x3F));
			i += 2;
			continue;
		}
		out[j++] = (unsigned char)c;
		i++;
	}
	out[j] = '\0';
	return j;
}

static char *folded(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(n + 1);
	if (out)
		plist_fold((const unsigned char *)s, n, (unsigned char *)out);
	return out;
}

/* ---- a district in memory ---- */

#define PLIST_YEARS 16   /* distinct group years kept as sets (a district has ~7) */

struct ddo {
	long long id;
	char *name[2], *fold[2];   /* ru, kk */
	char *kind;
};
struct creator {
	long long id;
	char *surname, *fold, *masked;   /* fold: of "surname name" */
};
struct rec {
	long long id, created_at, window_until;
	unsigned ddo, creator;
	int year, total, free;
	const char *lang;   /* one of the static codes below */
};
struct dist {
	int district;
	unsigned long long version;   /* db_version() it was read at */
	unsigned long long used;
	struct rec *rec;
	size_t n;
	struct ddo *ddo;
	size_t nddo;
	struct creator *cr;
	size_t ncr;
	unsigned *by_id;                /* id descending: the status order's base */
	unsigned *order[PL__MAX][2][2]; /* [column][language of the names][descending]: key, then id down */
	/* Sets of records (a bit per record, by index) for the filters most
	 * used: by language, by group year (years[i] -> year_bits + i * nw),
	 * and by status, which time changes: valid from st_from until
	 * st_until (the next end of a priority window), NULL until asked. */
	size_t nw;
	unsigned long long *lang_bits;   /* 3 * nw */
	int years[PLIST_YEARS];
	int nyears;                      /* -1: more years than PLIST_YEARS, tested per record */
	unsigned long long *year_bits;   /* nyears * nw */
	unsigned long long *st_bits;     /* PLACE_STATUS__MAX * nw */
	long long st_from, st_until;
	/* The records of each DDO and of each creator, by index:
	 * by_ddo[ddo_at[k] .. ddo_at[k + 1]) are DDO k's. */
	unsigned *by_ddo, *ddo_at, *by_cr, *cr_at;
};
static struct dist dists[PLIST_DISTRICTS];
static unsigned long long ticks;
static const char *const langs[] = {"kk", "ru", "en"};

static void dist_free(struct dist *d)
{
	for (size_t i = 0; i < d->nddo; i++) {
		for (int l = 0; l < 2; l++) {
			free(d->ddo[i].name[l]);
			free(d->ddo[i].fold[l]);
		}
		free(d->ddo[i].kind);
	}
	for (size_t i = 0; i < d->ncr; i++) {
		free(d->cr[i].surname);
		free(d->cr[i].fold);
		free(d->cr[i].masked);
	}
	for (int c = 0; c < PL__MAX; c++)
		for (int l = 0; l < 2; l++)
			for (int o = 0; o < 2; o++)
				free(d->order[c][l][o]);
	free(d->by_id);
	free(d->lang_bits);
	free(d->year_bits);
	free(d->st_bits);
	free(d->by_ddo);
	free(d->ddo_at);
	free(d->by_cr);
	free(d->cr_at);
	free(d->rec);
	free(d->ddo);
	free(d->cr);
	memset(d, 0, sizeof *d);
}

void plist_free(void)
{
	for (int i = 0; i < PLIST_DISTRICTS; i++)
		dist_free(&dists[i]);
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

/* Index of id in a sorted array (it is there). */
static unsigned index_of(const long long *ids, size_t n, long long id)
{
	const long long *p = bsearch(&id, ids, n, sizeof *ids, cmp_ll);
	return p ? (unsigned)(p - ids) : 0;
}

/* Sorted distinct values. */
static size_t uniq(long long *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_ll);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!k || v[k - 1] != v[i])
			v[k++] = v[i];
	return k;
}

static inline void bit_set(unsigned long long *b, size_t i) { b[i / 64] |= 1ULL << (i % 64); }
static inline int bit_of(const unsigned long long *b, size_t i) { return (int)(b[i / 64] >> (i % 64)) & 1; }

static void and_with(unsigned long long *m, const unsigned long long *b, size_t nw)
{
	for (size_t w = 0; w < nw; w++)
		m[w] &= b[w];
}

/* The records grouped by a key (their DDO or creator, < nkeys): *by the
 * indexes, *at where each key's begin. */
static int group(const struct dist *d, size_t nkeys, int creator, unsigned **by, unsigned **at)
{
	*by = malloc((d->n ? d->n : 1) * sizeof **by);
	*at = calloc(nkeys + 1, sizeof **at);
	if (!*by || !*at)
		return -1;
	for (size_t i = 0; i < d->n; i++)
		(*at)[(creator ? d->rec[i].creator : d->rec[i].ddo) + 1]++;
	for (size_t k = 0; k < nkeys; k++)
		(*at)[k + 1] += (*at)[k];
	unsigned *fill = malloc((nkeys ? nkeys : 1) * sizeof *fill);
	if (!fill)
		return -1;
	memcpy(fill, *at, nkeys * sizeof *fill);
	for (size_t i = 0; i < d->n; i++)
		(*by)[fill[creator ? d->rec[i].creator : d->rec[i].ddo]++] = (unsigned)i;
	free(fill);
	return 0;
}

/* The record sets by language and by year, and the records by DDO and by
 * creator, made once per load. */
static int sets_of(struct dist *d)
{
	if (group(d, d->nddo, 0, &d->by_ddo, &d->ddo_at) < 0 || group(d, d->ncr, 1, &d->by_cr, &d->cr_at) < 0)
		return -1;
	d->nw = (d->n + 63) / 64;
	size_t nw = d->nw ? d->nw : 1;
	d->lang_bits = calloc(3 * nw, sizeof *d->lang_bits);
	if (!d->lang_bits)
		return -1;
	d->nyears = 0;
	for (size_t i = 0; i < d->n && d->nyears >= 0; i++) {
		int k = 0;
		while (k < d->nyears && d->years[k] != d->rec[i].year)
			k++;
		if (k == d->nyears)
			d->nyears = k < PLIST_YEARS ? k + 1 : -1;
		if (d->nyears > 0)
			d->years[k] = d->rec[i].year;
	}
	if (d->nyears > 0 && !(d->year_bits = calloc((size_t)d->nyears * nw, sizeof *d->year_bits)))
		return -1;
	for (size_t i = 0; i < d->n; i++) {
		const struct rec *r = &d->rec[i];
		bit_set(d->lang_bits + (size_t)(r->lang == langs[0] ? 0 : r->lang == langs[1] ? 1 : 2) * nw, i);
		for (int k = 0; k < d->nyears; k++)
			if (d->years[k] == r->year)
				bit_set(d->year_bits + (size_t)k * nw, i);
	}
	return 0;
}

static int load(struct dist *d, int district, unsigned long long version)
{
	memset(d, 0, sizeof *d);
	d->district = district;
	d->version = version;
	size_t cap = 0;
	long long *ddo_ids = NULL, *cr_ids = NULL;
	sqlite3_stmt *st = db_query("SELECT id, ddo_id, created_by, group_year, language, total, free, created_at, window_until "
				    "FROM free_place WHERE district_id = ?", "i", district);
	while (db_row(st)) {
		if (d->n == cap) {
			cap = cap ? cap * 2 : 256;
			struct rec *r = realloc(d->rec, cap * sizeof *r);
			long long *a = realloc(ddo_ids, cap * sizeof *a);
			if (a)
				ddo_ids = a;
			long long *b = realloc(cr_ids, cap * sizeof *b);
			if (b)
				cr_ids = b;
			if (r)
				d->rec = r;
			if (!r || !a || !b) {
				db_done(st);
				goto fail;
			}
		}
		struct rec *r = &d->rec[d->n];
		r->id = sqlite3_column_int64(st, 0);
		ddo_ids[d->n] = sqlite3_column_int64(st, 1);
		cr_ids[d->n] = sqlite3_column_int64(st, 2);
		r->year = sqlite3_column_int(st, 3);
		const char *lang = db_col(st, 4);
		r->lang = strcmp(lang, "kk") == 0 ? langs[0] : strcmp(lang, "ru") == 0 ? langs[1] : langs[2];
		r->total = sqlite3_column_int(st, 5);
		r->free = sqlite3_column_int(st, 6);
		r->created_at = sqlite3_column_int64(st, 7);
		r->window_until = sqlite3_column_int64(st, 8);
		d->n++;
	}
	db_done(st);
	if (!st)
		goto fail;
	/* The record's DDO and creator as indexes into their arrays. */
	long long *du = NULL, *cu = NULL;
	if (d->n) {
		du = malloc(d->n * sizeof *du);
		cu = malloc(d->n * sizeof *cu);
		if (!du || !cu) {
			free(du);
			free(cu);
			goto fail;
		}
		memcpy(du, ddo_ids, d->n * sizeof *du);
		memcpy(cu, cr_ids, d->n * sizeof *cu);
	}
	d->nddo = d->n ? uniq(du, d->n) : 0;
	d->ncr = d->n ? uniq(cu, d->n) : 0;
	d->ddo = calloc(d->nddo ? d->nddo : 1, sizeof *d->ddo);
	d->cr = calloc(d->ncr ? d->ncr : 1, sizeof *d->cr);
	if (!d->ddo || !d->cr) {
		free(du);
		free(cu);
		goto fail;
	}
	for (size_t i = 0; i < d->n; i++) {
		d->rec[i].ddo = index_of(du, d->nddo, ddo_ids[i]);
		d->rec[i].creator = index_of(cu, d->ncr, cr_ids[i]);
	}
	int bad = 0;
	for (size_t i = 0; i < d->nddo && !bad; i++) {
		struct ddo *o = &d->ddo[i];
		o->id = du[i];
		st = db_query("SELECT name_ru, name_kk, kind FROM ddo WHERE id = ?", "I", o->id);
		if (db_row(st)) {
			for (int l = 0; l < 2; l++) {
				o->name[l] = strdup(db_col(st, l));
				o->fold[l] = o->name[l] ? folded(o->name[l]) : NULL;
			}
			o->kind = strdup(db_col(st, 2));
		}
		db_done(st);
		bad = !o->name[0] || !o->name[1] || !o->fold[0] || !o->fold[1] || !o->kind;
	}
	struct arena *a = arena_new();
	bad = bad || !a;
	for (size_t i = 0; i < d->ncr && !bad; i++) {
		struct creator *c = &d->cr[i];
		c->id = cu[i];
		st = db_query("SELECT surname, name, patronymic FROM account WHERE id = ?", "I", c->id);
		if (db_row(st)) {
			c->surname = strdup(db_col(st, 0));
			char *both = NULL;
			if (asprintf(&both, "%s %s", db_col(st, 0), db_col(st, 1)) >= 0) {
				c->fold = folded(both);
				free(both);
			}
			const char *m = u_mask_name(a, db_col(st, 0), db_col(st, 1), db_col(st, 2));
			c->masked = strdup(m ? m : "");
			arena_reset(a);
		}
		db_done(st);
		bad = !c->surname || !c->fold || !c->masked;
	}
	if (a)
		arena_free(a);
	free(du);
	free(cu);
	free(ddo_ids);
	free(cr_ids);
	ddo_ids = cr_ids = NULL;
	if (bad || sets_of(d) < 0)
		goto fail;
	return 0;
fail:
	log_err("plist: the free places of district %d could not be read", district);
	free(ddo_ids);
	free(cr_ids);
	dist_free(d);
	return -1;
}

/* The district's records at this version, from memory or read now. */
static struct dist *district_of(int district, unsigned long long version)
{
	struct dist *slot = NULL, *oldest = &dists[0];
	for (int i = 0; i < PLIST_DISTRICTS; i++) {
		struct dist *d = &dists[i];
		if (d->rec && d->district == district) {
			if (d->version == version) {
				d->used = ++ticks;
				return d;
			}
			slot = d;
			break;
		}
		if (!d->rec && !slot)
			slot = d;
		if (d->used < oldest->used)
			oldest = d;
	}
	if (!slot)
		slot = oldest;
	dist_free(slot);
	if (load(slot, district, version) < 0)
		return NULL;
	if (!slot->rec) {
		/* No records: an empty array still marks the slot as loaded. */
		slot->rec = malloc(1);
		if (!slot->rec)
			return NULL;
	}
	slot->used = ++ticks;
	return slot;
}

/* ---- orders ---- */

struct sort_ctx {
	const struct dist *d;
	enum plist_col col;
	int l, desc;
};

static int key_cmp(const struct sort_ctx *c, const struct rec *x, const struct rec *y)
{
	const struct dist *d = c->d;
	switch (c->col) {
	case PL_NAME: return strcmp(d->ddo[x->ddo].name[c->l], d->ddo[y->ddo].name[c->l]);
	case PL_YEAR: return (x->year > y->year) - (x->year < y->year);
	case PL_LANG: return strcmp(x->lang, y->lang);
	case PL_TOTAL: return (x->total > y->total) - (x->total < y->total);
	case PL_FREE: return (x->free > y->free) - (x->free < y->free);
	case PL_USER: return strcmp(d->cr[x->creator].surname, d->cr[y->creator].surname);
	case PL_KIND: return strcmp(d->ddo[x->ddo].kind, d->ddo[y->ddo].kind);
	case PL_DATE: return (x->created_at > y->created_at) - (x->created_at < y->created_at);
	default: return 0;
	}
}

/* By the key (ascending or descending), ties by id descending. */
static int order_cmp(const void *a, const void *b, void *arg)
{
	const struct sort_ctx *c = arg;
	const struct rec *x = &c->d->rec[*(const unsigned *)a], *y = &c->d->rec[*(const unsigned *)b];
	int k = key_cmp(c, x, y);
	if (k)
		return c->desc ? -k : k;
	return (x->id < y->id) - (x->id > y->id);
}

static int id_desc(const void *a, const void *b, void *arg)
{
	const struct dist *d = arg;
	long long x = d->rec[*(const unsigned *)a].id, y = d->rec[*(const unsigned *)b].id;
	return (x < y) - (x > y);
}

static unsigned *identity(size_t n)
{
	unsigned *o = malloc((n ? n : 1) * sizeof *o);
	if (o)
		for (size_t i = 0; i < n; i++)
			o[i] = (unsigned)i;
	return o;
}

static const unsigned *order_of(struct dist *d, enum plist_col col, int l, int desc)
{
	if (col == PL_STATUS) {
		if (!d->by_id && (d->by_id = identity(d->n)))
			qsort_r(d->by_id, d->n, sizeof *d->by_id, id_desc, d);
		return d->by_id;
	}
	if (col != PL_NAME)
		l = 0;
	unsigned **o = &d->order[col][l][desc ? 1 : 0];
	if (!*o && (*o = identity(d->n))) {
		struct sort_ctx c = {d, col, l, desc};
		qsort_r(*o, d->n, sizeof **o, order_cmp, &c);
	}
	return *o;
}

/* ---- the query ---- */

/* A record's status at now: the rule of place.h. */
static int status_at(const struct rec *r, long long now) { return place_status_at(now, r->window_until, r->free); }

static void emit(const struct dist *d, const struct rec *r, int l, int st, struct plist_row *o)
{
	o->id = r->id;
	o->ddo_id = d->ddo[r->ddo].id;
	o->created_at = r->created_at;
	o->window_until = r->window_until;
	o->name = d->ddo[r->ddo].name[l];
	o->user = d->cr[r->creator].masked;
	o->lang = r->lang;
	o->kind = d->ddo[r->ddo].kind;
	o->status = place_status_names[st];
	o->year = r->year;
	o->total = r->total;
	o->free = r->free;
}

/* The status sets at now: made again when time has passed the end of a
 * priority window (or gone back, as a test's clock may). */
static int status_sets(struct dist *d, long long now)
{
	size_t nw = d->nw ? d->nw : 1;
	if (d->st_bits && now >= d->st_from && (!d->st_until || now < d->st_until))
		return 0;
	if (!d->st_bits && !(d->st_bits = malloc(PLACE_STATUS__MAX * nw * sizeof *d->st_bits)))
		return -1;
	memset(d->st_bits, 0, PLACE_STATUS__MAX * nw * sizeof *d->st_bits);
	long long until = 0;
	for (size_t i = 0; i < d->n; i++) {
		const struct rec *r = &d->rec[i];
		int st = status_at(r, now);
		bit_set(d->st_bits + (size_t)st * nw, i);
		if (st == PLACE_WAITING && (!until || r->window_until + 1 < until))
			until = r->window_until + 1;
	}
	d->st_from = now;
	d->st_until = until;
	return 0;
}

/* The request's sets of records: word arrays kept for the next request,
 * grown to the biggest district seen (which: 0 the matches, 1 a filter's). */
static unsigned long long *scratch(size_t nw, int which)
{
	static unsigned long long *m[2];
	static size_t cap[2];
	if (nw > cap[which]) {
		unsigned long long *g = realloc(m[which], nw * sizeof *g);
		if (!g)
			return NULL;
		m[which] = g;
		cap[which] = nw;
	}
	return m[which];
}

/* Intersects m with the records of the keys marked in ok (DDOs or
 * creators, grouped by `by`/`at`), t the scratch set. */
static void and_grouped(unsigned long long *m, unsigned long long *t, size_t nw, const unsigned char *ok, size_t nkeys,
			const unsigned *by, const unsigned *at)
{
	memset(t, 0, nw * sizeof *t);
	for (size_t k = 0; k < nkeys; k++)
		if (ok[k])
			for (unsigned j = at[k]; j < at[k + 1]; j++)
				bit_set(t, by[j]);
	and_with(m, t, nw);
}


static long long popcount_of(const unsigned long long *m, size_t nw)
{
	long long c = 0;
	for (size_t w = 0; w < nw; w++)
		c += __builtin_popcountll(m[w]);
	return c;
}

long long plist_query(int district, const char *lang, const struct plist_filter *f, enum plist_col col, int desc,
		      long long now, long long offset, int limit, struct plist_row *rows, int *nrows)
{
	*nrows = 0;
	unsigned long long version;
	if (db_version(&version) < 0)
		return -1;
	struct dist *d = district_of(district, version);
	if (!d)
		return -1;
	int l = lang && strcmp(lang, "kk") == 0 ? 1 : 0;
	if (col < 0 || col >= PL__MAX)
		col = PL_DATE;
	const unsigned *ord = order_of(d, col, l, desc);
	if (!ord)
		return -1;
	if (offset < 0)
		offset = 0;
	int want_status = -1;
	if (*f->status) {
		want_status = PLACE_STATUS__MAX;   /* an unknown status matches nothing, as in SQL */
		for (int s = 0; s < PLACE_STATUS__MAX; s++)
			if (strcmp(f->status, place_status_names[s]) == 0)
				want_status = s;
	}
	/* No filter and a kept order (the base as it opens, any column but the
	 * status): the page is the order's slice, the count the district's. */
	if (!*f->name && !*f->kind && !*f->user && want_status < 0 && !f->year && !*f->lang && f->total < 0 &&
	    f->free < 0 && !f->day_from && col != PL_STATUS) {
		for (size_t k = (size_t)offset; k < d->n && *nrows < limit; k++) {
			const struct rec *r = &d->rec[ord[k]];
			emit(d, r, l, status_at(r, now), &rows[(*nrows)++]);
		}
		return (long long)d->n;
	}
	/* The matching records as a set: the kept sets (language, year,
	 * status) intersected a word at a time; the text boxes and the kind
	 * tested once per DDO and per creator, then per record through them;
	 * the rarer filters (numbers, day) per record. */
	size_t nw = d->nw ? d->nw : 1;
	unsigned long long *m = scratch(nw, 0), *t = scratch(nw, 1);
	if (!m || !t || status_sets(d, now) < 0)
		return -1;
	memset(m, 0xff, nw * sizeof *m);
	if (d->n % 64)
		m[d->n / 64] = (1ULL << (d->n % 64)) - 1;
	if (!d->n)
		m[0] = 0;
	if (*f->lang) {
		int k = strcmp(f->lang, "kk") == 0 ? 0 : strcmp(f->lang, "ru") == 0 ? 1 : strcmp(f->lang, "en") == 0 ? 2 : -1;
		if (k < 0)
			memset(m, 0, nw * sizeof *m);
		else
			and_with(m, d->lang_bits + (size_t)k * nw, nw);
	}
	if (want_status >= 0) {
		if (want_status == PLACE_STATUS__MAX)
			memset(m, 0, nw * sizeof *m);
		else
			and_with(m, d->st_bits + (size_t)want_status * nw, nw);
	}
	int year_each = 0;
	if (f->year) {
		int k = 0;
		while (k < d->nyears && d->years[k] != f->year)
			k++;
		if (d->nyears < 0)
			year_each = 1;
		else if (k == d->nyears)
			memset(m, 0, nw * sizeof *m);
		else
			and_with(m, d->year_bits + (size_t)k * nw, nw);
	}
	unsigned char *ddo_ok = NULL, *cr_ok = NULL;
	if (*f->name || *f->kind) {
		ddo_ok = malloc(d->nddo ? d->nddo : 1);
		if (!ddo_ok)
			return -1;
		for (size_t i = 0; i < d->nddo; i++)
			ddo_ok[i] = (!*f->name || strstr(d->ddo[i].fold[l], f->name)) &&
				    (!*f->kind || strcmp(d->ddo[i].kind, f->kind) == 0);
	}
	if (*f->user) {
		cr_ok = malloc(d->ncr ? d->ncr : 1);
		if (!cr_ok) {
			free(ddo_ok);
			return -1;
		}
		for (size_t i = 0; i < d->ncr; i++)
			cr_ok[i] = strstr(d->cr[i].fold, f->user) != NULL;
	}
	if (ddo_ok)
		and_grouped(m, t, nw, ddo_ok, d->nddo, d->by_ddo, d->ddo_at);
	if (cr_ok)
		and_grouped(m, t, nw, cr_ok, d->ncr, d->by_cr, d->cr_at);
	if (f->day_from) {
		/* The day: a range of the date order (ascending), found by halving. */
		const unsigned *by_date = order_of(d, PL_DATE, 0, 0);
		if (!by_date) {
			free(ddo_ok);
			free(cr_ok);
			return -1;
		}
		size_t lo = 0, hi = d->n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (d->rec[by_date[mid]].created_at < f->day_from)
				lo = mid + 1;
			else
				hi = mid;
		}
		memset(t, 0, nw * sizeof *t);
		for (size_t k = lo; k < d->n && d->rec[by_date[k]].created_at < f->day_to; k++)
			bit_set(t, by_date[k]);
		and_with(m, t, nw);
	}
	if (year_each || f->total >= 0 || f->free >= 0) {
		for (size_t w = 0; w < nw; w++)
			for (unsigned long long bits = m[w]; bits; bits &= bits - 1) {
				size_t i = w * 64 + (size_t)__builtin_ctzll(bits);
				const struct rec *r = &d->rec[i];
				if ((year_each && r->year != f->year) || (f->total >= 0 && r->total != f->total) ||
				    (f->free >= 0 && r->free != f->free))
					m[w] &= ~(1ULL << (i % 64));
			}
	}
	free(ddo_ok);
	free(cr_ok);
	/* The page: the order walked until its last row; the status column's
	 * order is its three values in turn, each by id descending. */
	long long count = popcount_of(m, nw), seen = 0;
	if (count <= offset)
		return count;
	int passes = col == PL_STATUS ? PLACE_STATUS__MAX : 1;
	for (int p = 0; p < passes && *nrows < limit; p++) {
		const unsigned long long *sb = NULL;
		long long in = count;
		if (col == PL_STATUS) {
			sb = d->st_bits + (size_t)(desc ? PLACE_STATUS__MAX - 1 - p : p) * nw;
			in = 0;
			for (size_t w = 0; w < nw; w++)
				in += __builtin_popcountll(m[w] & sb[w]);
			if (seen + in <= offset) {   /* the whole bucket before the page */
				seen += in;
				continue;
			}
		}
		for (size_t k = 0; k < d->n && *nrows < limit; k++) {
			unsigned i = ord[k];
			if (!bit_of(m, i) || (sb && !bit_of(sb, i)))
				continue;
			if (seen++ >= offset) {
				const struct rec *r = &d->rec[i];
				emit(d, r, l, status_at(r, now), &rows[(*nrows)++]);
			}
		}
	}
	return count;
}
