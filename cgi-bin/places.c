/*
 * places — «База свободных мест в ДДО» (seed 000, section 2, figures 8–15)
 * and the citizen's choice of a place.
 *
 *   GET  /places                      the base: the district's records with a
 *                                     filter under every column, sorting,
 *                                     paging; staff see their DDOs' rows
 *                                     highlighted, the "+" and the reminder
 *                                     of departed children; public, cached
 *   GET  /places/add                  staff: the base with the form of
 *                                     figures 10–14 open
 *   POST /places/add                  step=review: the confirmation of
 *                                     figure 15; step=save («ОК»): saves;
 *                                     step=back («Отменить»): the form again
 *   GET  /places/choose               citizen: their applications; with
 *                                     ?application=N the records it may take now
 *   GET  /places/choose/confirm       citizen: what choosing ?place=M means
 *   POST /places/choose               citizen: issues the referral (referral.h)
 *   GET  /places/referral/N           citizen: the referral: number, DDO, deadline
 *   GET  /places/referral/N/pdf       citizen: its PDF
 *
 * The time rules (end of priority windows, annulment at the deadline) are
 * applied before any of these reads the rows (place_refresh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/cal.h"
#include "base/conf.h"
#include "base/db.h"
#include "domain/doc.h"
#include "base/log.h"
#include "web/lst.h"
#include "domain/place.h"
#include "domain/plist.h"
#include "domain/referral.h"
#include "base/util.h"
#include "web/val.h"
#include "web/view.h"
#include "base/workday.h"

#define PER_PAGE 20

/* A search box's text folded for plist (lower case, Cyrillic and Kazakh
 * letters too, so «балапан» finds «Балапан»); "" when empty. */
static const char *folded_text(struct req *r, const char *text)
{
	if (!text || !*text)
		return "";
	size_t n = strlen(text);
	unsigned char *out = arena_alloc(r->a, n + 1);
	if (!out)
		return "";
	plist_fold((const unsigned char *)text, n, out);
	return (const char *)out;
}

/* Waiting for the write lock. SQLite's own busy handler sleeps 1, 2, 5, 10,
 * 15, 20, 25 ... ms between tries, far longer than the transactions of this
 * program (a referral's inserts take well under a millisecond), so under a
 * burst of choices workers slept while the lock was free. Here: short
 * sleeps, up to the same Db.BusyTimeoutMs in total. */
static long long busy_limit_us;

static int busy_wait(void *arg, int n)
{
	(void)arg;
	long long step = n < 20 ? 50 : 250;
	long long waited = n < 20 ? n * 50LL : 1000 + (n - 20) * 250LL;
	if (waited >= busy_limit_us)
		return 0;
	usleep((useconds_t)step);
	return 1;
}

/* The page's rows as HTML (fill_rows), and one row being rendered. */
static struct buf rows_html, row_html;

static void free_bufs(void)
{
	buf_free(&rows_html);
	buf_free(&row_html);
}

static int init(void)
{
	busy_limit_us = conf_int("Db.BusyTimeoutMs", 5000) * 1000;
	sqlite3_busy_handler(db_handle(), busy_wait, NULL);
	atexit(plist_free);   /* the districts kept in memory, for the leak checks */
	atexit(free_bufs);
	return doc_init();
}

/* ---- common ---- */

static long long now_refreshed(void)
{
	long long now = u_now();
	if (place_refresh(now) < 0)
		log_err("places: the time rules could not be applied");
	return now;
}

static int is_staff(struct req *r) { return req_has_role(r, ROLE_STAFF); }
static int is_citizen(struct req *r) { return req_has_role(r, ROLE_CITIZEN); }


static void set_status(struct req *r, const char *prefix, const char *status)
{
	view_setf(r, arena_printf(r->a, "%s.status", prefix), "%s", status);
	view_set(r, arena_printf(r->a, "%s.status_text", prefix),
		 view_t(r, arena_printf(r->a, "Places.Status.%s", status)));
}

/* ---- the base (figure 9) ---- */

static const char *const sort_cols[] = {"name", "year", "lang", "total", "free", "user", "kind", "date", "status", NULL};
enum { S_NAME, S_YEAR, S_LANG, S_TOTAL, S_FREE, S_USER, S_KIND, S_DATE, S_STATUS };

static const char *const status_choices[] = {"waiting", "free_choice", "exhausted", NULL};

enum { Q_NAME, Q_YEAR, Q_LANG, Q_TOTAL, Q_FREE, Q_USER, Q_KIND, Q_DATE, Q_STATUS, Q__MAX };
static const struct vfield filter_fields[Q__MAX] = {
	[Q_NAME] = {"f_name", V_TEXT, 0, 0, 100, NULL},
	[Q_YEAR] = {"f_year", V_INT, 0, 1900, 2100, NULL},
	[Q_LANG] = {"f_lang", V_ENUM, 0, 0, 0, place_langs},
	[Q_TOTAL] = {"f_total", V_INT, 0, 0, 100000, NULL},
	[Q_FREE] = {"f_free", V_INT, 0, 0, 100000, NULL},
	[Q_USER] = {"f_user", V_TEXT, 0, 0, 100, NULL},
	[Q_KIND] = {"f_kind", V_ENUM, 0, 0, 0, place_kinds},
	[Q_DATE] = {"f_date", V_TOKEN, 0, 10, 10, NULL},
	[Q_STATUS] = {"f_status", V_ENUM, 0, 0, 0, status_choices},
};

struct filters {
	const char *name, *user;   /* folded texts or "" */
	int year;                  /* 0 = any */
	const char *lang, *kind, *status;  /* "" = any */
	long long total, free;     /* -1 = any */
	long long day_from, day_to;        /* 0 = any */
};

static void read_filters(struct req *r, struct filters *f)
{
	struct vval v[Q__MAX];
	memset(f, 0, sizeof *f);
	f->lang = f->kind = f->status = f->name = f->user = "";
	f->total = f->free = -1;
	/* A filter that does not read is shown with its message and ignored. */
	val_form(r, filter_fields, Q__MAX, v);
	if (!v[Q_NAME].err)
		f->name = folded_text(r, v[Q_NAME].s);
	if (!v[Q_USER].err)
		f->user = folded_text(r, v[Q_USER].s);
	if (!v[Q_YEAR].err && v[Q_YEAR].present)
		f->year = (int)v[Q_YEAR].i;
	if (!v[Q_LANG].err && v[Q_LANG].present)
		f->lang = v[Q_LANG].s;
	if (!v[Q_KIND].err && v[Q_KIND].present)
		f->kind = v[Q_KIND].s;
	if (!v[Q_STATUS].err && v[Q_STATUS].present)
		f->status = v[Q_STATUS].s;
	if (!v[Q_TOTAL].err && v[Q_TOTAL].present)
		f->total = v[Q_TOTAL].i;
	if (!v[Q_FREE].err && v[Q_FREE].present)
		f->free = v[Q_FREE].i;
	int day;
	if (!v[Q_DATE].err && v[Q_DATE].present) {
		if (cal_parse_iso(v[Q_DATE].s, &day) == 0) {
			f->day_from = cal_unix_from_day(day);
			f->day_to = cal_unix_from_day(day + 1);
		} else {
			view_field_error(r, "f_date", "Err.date_invalid");
		}
	}
}

/* The DDOs of the logged-in staff member (none for others), in id order:
 * their rows are highlighted, and their page is kept under them; the
 * first one's district is the one their base opens on. */
struct mine {
	long long ids[64];
	int n;
	int district;
};

static void read_mine(struct req *r, struct mine *m)
{
	m->n = m->district = 0;
	if (!req_account(r))
		return;
	sqlite3_stmt *st = db_query("SELECT s.ddo_id, d.district_id FROM ddo_staff s JOIN ddo d ON d.id = s.ddo_id "
				    "WHERE s.account_id = ? ORDER BY s.ddo_id", "I", req_account(r));
	while (m->n < 64 && db_row(st)) {
		if (!m->n)
			m->district = sqlite3_column_int(st, 1);
		m->ids[m->n++] = sqlite3_column_int64(st, 0);
	}
	db_done(st);
}

/* The district the base shows: the chosen one, else a staff member's first DDO's. */
static int list_district(struct req *r, const struct mine *m)
{
	return r->district ? r->district : is_staff(r) ? m->district : 0;
}

/* A row's language, kind or status (what 0, 1, 2) in words, looked up
 * once per language and code, not per row. */
static const char *row_text(struct req *r, int kk, int what, const char *code)
{
	static const char *const prefix[] = {"Places.Lang.", "Places.Kind.", "Places.Status."};
	static const char *const *const codes[] = {place_langs, place_kinds, status_choices};
	static const char *texts[2][3][4];
	for (int i = 0; i < 4 && codes[what][i]; i++)
		if (strcmp(codes[what][i], code) == 0) {
			if (!texts[kk][what][i])
				texts[kk][what][i] = view_t(r, arena_printf(r->a, "%s%s", prefix[what], code));
			return texts[kk][what][i];
		}
	return view_t(r, arena_printf(r->a, "%s%s", prefix[what], code));
}

/* The values of a mold (view.h), as many as its shape shows; beyond the
 * 60 a mold takes, view_mold* renders the page whole, so none is dropped
 * below this room (the top of a staff member who is also a citizen). */
struct vals {
	struct view_val v[128];
	int n;
};

static void val_put(struct vals *vs, const char *key, const char *value)
{
	if (vs->n < (int)(sizeof vs->v / sizeof *vs->v))
		vs->v[vs->n++] = (struct view_val){key, value};
}

/* The tools and the table's head (places/head.cs), appended to out: a
 * mold per sorted column and direction; the links, the filters as typed
 * and the selected options put in. */
static int fill_head(struct req *r, int district, const struct lst *l, const struct lst_links *k, struct buf *out)
{
	/* Keys spelt out: no printing per request. In sort_cols' order. */
	static const char *const dir_keys[] = {"Sort.name.dir", "Sort.year.dir", "Sort.lang.dir",
					       "Sort.total.dir", "Sort.free.dir", "Sort.user.dir",
					       "Sort.kind.dir", "Sort.date.dir", "Sort.status.dir"};
	static const char *const href_keys[] = {"Sort.name.href", "Sort.year.href", "Sort.lang.href",
						"Sort.total.href", "Sort.free.href", "Sort.user.href",
						"Sort.kind.href", "Sort.date.href", "Sort.status.href"};
	static const char *const texts[] = {"Query.f_name", "Query.f_year", "Query.f_total",
					    "Query.f_free", "Query.f_user", "Query.f_date"};
	_Static_assert(sizeof dir_keys / sizeof *dir_keys == S_STATUS + 1, "a key per column");
	_Static_assert(sizeof href_keys / sizeof *href_keys == S_STATUS + 1, "a key per column");
	/* The options of head.cs's drop-downs, as it lists them. */
	static const struct {
		const char *query, *value, *key;
	} options[] = {
		{"Query.f_lang", "kk", "Selected.f_lang.kk"},
		{"Query.f_lang", "ru", "Selected.f_lang.ru"},
		{"Query.f_lang", "en", "Selected.f_lang.en"},
		{"Query.f_kind", "state", "Selected.f_kind.state"},
		{"Query.f_kind", "private_subsidised", "Selected.f_kind.private_subsidised"},
		{"Query.f_kind", "mini_centre", "Selected.f_kind.mini_centre"},
		{"Query.f_status", "waiting", "Selected.f_status.waiting"},
		{"Query.f_status", "free_choice", "Selected.f_status.free_choice"},
		{"Query.f_status", "exhausted", "Selected.f_status.exhausted"},
	};
	/* The shape: who sees it, whether the order was asked for, and each
	 * column's direction (sort_th tests Sort.<col>.dir; unset but the sorted one). */
	int sorted = 0;
	const char *asked = req_param(r, "sort");
	for (int i = 0; asked && sort_cols[i]; i++)
		sorted |= strcmp(asked, sort_cols[i]) == 0;
	struct view_val shape[2 + S_STATUS + 1] = {{"Staff", is_staff(r) ? "1" : ""}, {"List.sorted", sorted ? "1" : ""}};
	for (int i = 0; i <= S_STATUS; i++)
		shape[2 + i] = (struct view_val){dir_keys[i], i == l->sort ? (l->desc ? "desc" : "asc") : ""};
	struct vals vs = {.n = 0};
	val_put(&vs, "List.districtName", view_district_name(r, district));
	if (sorted) {
		/* The order kept by the filter form, as read. */
		val_put(&vs, "Query.sort", sort_cols[l->sort]);
		val_put(&vs, "Query.dir", l->desc ? "desc" : "asc");
	}
	for (int i = 0; i <= S_STATUS; i++)
		val_put(&vs, href_keys[i], k->href[i]);
	/* Copies: the mold sets these very keys (a value read from the tree
	 * would be freed under it). */
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		const char *v = hdf_get_value(r->hdf, texts[i], "");
		val_put(&vs, texts[i], *v ? arena_strdup(r->a, v) : "");
	}
	for (size_t i = 0; i < sizeof options / sizeof *options; i++)
		val_put(&vs, options[i].key,
			strcmp(hdf_get_value(r->hdf, options[i].query, ""), options[i].value) == 0 ? " selected" : "");
	return view_mold_part(r, "places/head.cs", shape, (int)(sizeof shape / sizeof *shape), vs.v, vs.n, out);
}

/* The table's end and the pager (places/tail.cs), appended to out. */
static int fill_tail(struct req *r, int rows, const struct lst_links *k, struct buf *out)
{
	struct view_val shape[] = {{"List.empty", rows ? "" : "1"},
				   {"Pager.some", strcmp(k->total, "0") != 0 ? "1" : ""},
				   {"Pager.back", k->first ? "1" : ""},
				   {"Pager.fwd", k->next ? "1" : ""}};
	struct vals vs = {.n = 0};
	val_put(&vs, "Pager.total", k->total);
	if (*shape[1].value) {
		val_put(&vs, "Pager.from", k->from);
		val_put(&vs, "Pager.to", k->to);
	}
	if (k->first) {
		val_put(&vs, "Pager.first", k->first);
		val_put(&vs, "Pager.prev", k->prev);
	}
	val_put(&vs, "Pager.page", k->page);
	val_put(&vs, "Pager.pages", k->pages);
	if (k->next) {
		val_put(&vs, "Pager.next", k->next);
		val_put(&vs, "Pager.last", k->last);
	}
	return view_mold_part(r, "places/tail.cs", shape, 4, vs.v, vs.n, out);
}

/* The base's table: filtered, sorted, counted and paged in memory
 * (plist.h: bounded by the district's size, no SQL per record), then put
 * together from molds (view.h): its head, its rows, its end. */
static int fill_rows(struct req *r, int district, const struct filters *f, long long now, const struct mine *m)
{
	struct lst l;
	lst_read(r, &l, sort_cols, S_DATE, 1, PER_PAGE);
	struct plist_filter pf = {f->name, f->user, f->year, f->lang, f->kind, f->status, f->total, f->free,
				  f->day_from, f->day_to};
	struct plist_row rows[PER_PAGE];
	int n = 0;
	long long total = plist_query(district, r->lang, &pf, (enum plist_col)l.sort, l.desc, now, l.offset, PER_PAGE, rows, &n);
	if (total < 0)
		return -1;
	long long asked = l.offset;
	lst_total(&l, total);
	if (l.offset != asked &&
	    plist_query(district, r->lang, &pf, (enum plist_col)l.sort, l.desc, now, l.offset, PER_PAGE, rows, &n) < 0)
		return -1;
	struct lst_links links;
	buf_reset(&rows_html);
	if (lst_links(r, &l, sort_cols, &links) < 0 || fill_head(r, district, &l, &links, &rows_html) < 0)
		return -1;
	/* Each row rendered through places/row.cs once and kept with its
	 * record (plist_frag_*): a page is then its rows' bytes put together. */
	int kk = strcmp(r->lang, "kk") == 0;
	for (int i = 0; i < n; i++) {
		const struct plist_row *w = &rows[i];
		int is_mine = 0;
		for (int k = 0; k < m->n; k++)
			if (m->ids[k] == w->ddo_id)
				is_mine = 1;
		int variant = kk * 2 + is_mine;
		size_t len = 0;
		const char *h = plist_frag_get(w, variant, &len);
		if (!h) {
			/* A mold (view.h) per language, highlight and status: the
			 * record's values put in, no data tree, no renderer. */
			char dt[17], wdt[17];
			u_fmt_datetime(w->created_at, dt);
			const char *window = "";
			if (strcmp(w->status, "waiting") == 0) {
				u_fmt_datetime(w->window_until, wdt);
				window = view_tf(r, "Places.window_until", "date", wdt);
			}
			const char *lang = row_text(r, kk, 0, w->lang);
			const char *kind = row_text(r, kk, 1, w->kind);
			const char *status_text = row_text(r, kk, 2, w->status);
			struct view_val shape[] = {{"Row.mine", is_mine ? "1" : ""}, {"Row.status", w->status}};
			struct view_val vals[] = {
				{"Row.id", arena_int(r->a, w->id)}, {"Row.name", w->name},
				{"Row.year", arena_int(r->a, w->year)}, {"Row.lang", lang},
				{"Row.total", arena_int(r->a, w->total)}, {"Row.free", arena_int(r->a, w->free)},
				{"Row.user", w->user}, {"Row.kind", kind}, {"Row.date", dt},
				{"Row.status_text", status_text}, {"Row.window", window},
			};
			buf_reset(&row_html);
			/* The window (last) only where the row shows it. */
			int nv = strcmp(w->status, "waiting") == 0 ? 11 : 10;
			if (view_mold_part(r, "places/row.cs", shape, 2, vals, nv, &row_html) < 0)
				return -1;
			plist_frag_put(w, variant, row_html.s, row_html.len);
			h = row_html.s;
			len = row_html.len;
		}
		if (buf_add(&rows_html, h, len) < 0)
			return -1;
	}
	return fill_tail(r, n, &links, &rows_html);
}

/* What the page shows above the table: the staff member's DDOs (the
 * select of the form, and the reminder of children departed since each
 * last added places) or the citizen's queued applications. */
#define TOP_DDOS 16
#define TOP_APPS 14
struct top {
	int nddo, napp, any_departed;
	struct {
		const char *id, *name, *kind, *departed, *text;
	} ddo[64];
	struct {
		const char *id, *number, *child, *year;
	} app[64];
};

static void read_staff(struct req *r, struct top *t)
{
	sqlite3_stmt *st = db_query(
		"SELECT d.id, CASE ? WHEN 'kk' THEN d.name_kk ELSE d.name_ru END, d.kind "
		"FROM ddo_staff s JOIN ddo d ON d.id = s.ddo_id WHERE s.account_id = ? AND d.active = 1 "
		"ORDER BY 2, d.id", "tI", r->lang, req_account(r));
	long long ids[64];
	int kk = strcmp(r->lang, "kk") == 0;
	while (t->nddo < 64 && db_row(st)) {
		int i = t->nddo++;
		ids[i] = sqlite3_column_int64(st, 0);
		t->ddo[i].id = arena_int(r->a, ids[i]);
		t->ddo[i].name = arena_strdup(r->a, db_col(st, 1));
		t->ddo[i].kind = row_text(r, kk, 1, db_col(st, 2));
	}
	db_done(st);
	for (int i = 0; i < t->nddo; i++) {
		long long dep = place_departed_since(ids[i]);
		if (dep < 0)
			dep = 0;
		t->any_departed |= dep > 0;
		t->ddo[i].departed = arena_int(r->a, dep);
		t->ddo[i].text = view_tf(r, "Places.departed", "n", t->ddo[i].departed);
	}
}

static void read_citizen(struct req *r, struct top *t)
{
	sqlite3_stmt *st = db_query(
		"SELECT a.id, a.number, c.surname || ' ' || c.name, a.group_year FROM application a "
		"JOIN child c ON c.id = a.child_id WHERE a.applicant_id = ? AND a.status = 'queued' ORDER BY a.id",
		"I", req_account(r));
	while (t->napp < 64 && db_row(st)) {
		int i = t->napp++;
		t->app[i].id = arena_int(r->a, sqlite3_column_int64(st, 0));
		t->app[i].number = arena_strdup(r->a, db_col(st, 1));
		t->app[i].child = arena_strdup(r->a, db_col(st, 2));
		t->app[i].year = arena_int(r->a, sqlite3_column_int(st, 3));
	}
	db_done(st);
}

/* The same in the data tree, for the page rendered whole (the add form). */
static void set_top(struct req *r, const struct top *t)
{
	for (int i = 0; i < t->nddo; i++) {
		HDF *row = view_row(r, "Ddos", i);
		view_row_set(row, "id", t->ddo[i].id);
		view_row_set(row, "name", t->ddo[i].name);
		view_row_set(row, "kind", t->ddo[i].kind);
		view_row_set(row, "departed", t->ddo[i].departed);
		view_row_set(row, "departedText", t->ddo[i].text);
	}
	for (int i = 0; i < t->napp; i++) {
		HDF *row = view_row(r, "MyApps", i);
		view_row_set(row, "id", t->app[i].id);
		view_row_set(row, "number", t->app[i].number);
		view_row_set(row, "child", t->app[i].child);
		view_row_set(row, "year", t->app[i].year);
	}
	if (t->any_departed)
		view_set(r, "Departed.any", "1");
}

/* The page as a mold (view.h): the part above the table filled, the
 * table's molds (mid) after it. Shape: who sees it, a district or not,
 * any child departed, how many DDOs and applications it lists. */
static int render_top_mold(struct req *r, const struct top *t, int district, const char *lead)
{
	static char ddo_keys[TOP_DDOS][3][24], app_keys[TOP_APPS][4][24];
	static int keys_made;
	if (!keys_made) {   /* once per process */
		static const char *const df[] = {"departed", "name", "departedText"}, *const af[] = {"id", "number", "child", "year"};
		for (int i = 0; i < TOP_DDOS; i++)
			for (int f = 0; f < 3; f++)
				snprintf(ddo_keys[i][f], sizeof ddo_keys[i][f], "Ddos.%d.%s", i, df[f]);
		for (int i = 0; i < TOP_APPS; i++)
			for (int f = 0; f < 4; f++)
				snprintf(app_keys[i][f], sizeof app_keys[i][f], "MyApps.%d.%s", i, af[f]);
		keys_made = 1;
	}
	struct view_val shape[] = {{"Staff", is_staff(r) ? "1" : ""},
				   {"List.district", district ? "1" : ""},
				   {"Departed.any", t->any_departed ? "1" : ""},
				   {"List.ddos", arena_int(r->a, t->nddo)},
				   {"List.apps", arena_int(r->a, t->napp)}};
	struct vals vs = {.n = 0};
	val_put(&vs, "List.lead", lead);
	for (int i = 0; i < t->nddo; i++) {
		val_put(&vs, ddo_keys[i][0], t->ddo[i].departed);
		val_put(&vs, ddo_keys[i][1], t->ddo[i].name);
		val_put(&vs, ddo_keys[i][2], t->ddo[i].text);
	}
	for (int i = 0; i < t->napp; i++)
		for (int f = 0; f < 4; f++) {
			const char *const v[] = {t->app[i].id, t->app[i].number, t->app[i].child, t->app[i].year};
			val_put(&vs, app_keys[i][f], v[f]);
		}
	return view_mold_with(r, "places.cs", shape, (int)(sizeof shape / sizeof *shape), vs.v, vs.n, rows_html.s,
			      rows_html.len, "places_end.cs");
}

static void fill_form_choices(struct req *r, long long now)
{
	int ymin, ymax;
	place_year_range(now, &ymin, &ymax);
	for (int y = ymax, i = 0; y >= ymin; y--, i++)
		view_set_int(r, arena_printf(r->a, "Years.%d", i), y);
	view_set_int(r, "MaxPerRecord", conf_int("Places.MaxPerRecord", 100));
}

/* The first moment after now at which time alone changes what the base
 * shows: a priority window ends (waiting -> free choice) or a referral's
 * deadline passes (annulled: its place comes back). Both are partial
 * indexes (030, 001): two look-ups. 0 when neither is ahead. */
static long long next_change(void)
{
	/* Data alone decide it: kept while the counters of places and
	 * referrals stay (a status changed by time is written, and moves them). */
	static long long kept_version = -1, kept;
	long long version = view_data_versions(VIEW_DEP_PLACES | VIEW_DEP_REFERRALS);
	if (version >= 0 && version == kept_version)
		return kept;
	long long w = db_int("SELECT min(window_until) FROM free_place WHERE status = 'waiting'", -1, NULL);
	long long d = db_int("SELECT min(deadline_at) FROM referral WHERE status = 'issued'", -1, NULL);
	long long until = 0;
	if (w >= 0)
		until = w + 1;
	if (d >= 0 && (!until || d + 1 < until))
		until = d + 1;
	kept_version = version;
	kept = until;
	return until;
}

/* Renders the base; form: 0 none, 1 the add form, 2 the confirmation. */
static int render_list(struct req *r, int form)
{
	long long now = now_refreshed();
	struct mine mine;
	read_mine(r, &mine);   /* nothing to read for a visitor */
	int district = list_district(r, &mine);
	buf_reset(&rows_html);
	/* Anonymous visitors get a copy rendered once per data version. */
	int cache = !r->s && form == 0 && strlen(r->query) < 200;
	long long version = cache ? view_data_versions(VIEW_DEP_PLACES | VIEW_DEP_DDO | VIEW_DEP_REFERENCE) : 0;
	const char *key = cache ? arena_printf(r->a, "places?%s", r->query) : NULL;
	if (cache) {
		r->cacheable = 1;
		if (view_cache_serve(r, key, version))
			return REQ_OK;
	}
	/* Staff's (reviewers', support's) page below the layout, kept for them (view.h;
	 * a citizen's shows their applications, which change all the time):
	 * it also shows their DDOs (memberships are in the key: they change
	 * no counter) and the children departed (the referrals counter). */
	const char *pkey = NULL;
	long long pversion = 0;
	if (r->s && req_account(r) && !is_citizen(r) && form == 0 && strlen(r->query) < 200) {
		struct buf k = {0};
		buf_printf(&k, "places?%s|", r->query);
		for (int i = 0; i < mine.n; i++)
			buf_printf(&k, "%lld,", mine.ids[i]);
		pkey = k.s ? arena_strdup(r->a, k.s) : NULL;
		buf_free(&k);
		pversion = view_data_versions(VIEW_DEP_PLACES | VIEW_DEP_DDO | VIEW_DEP_REFERENCE | VIEW_DEP_REFERRALS);
		if (pkey && pversion >= 0 && view_body_serve(r, pkey, pversion))
			return REQ_OK;
	}
	const char *lead = view_tf(r, "Places.lead", "days", arena_int(r->a, conf_int("Places.PriorityWindowDays", 3)));
	if (district) {
		view_set_int(r, "List.district", district);
		view_set(r, "List.districtName", view_district_name(r, district));
		struct filters f;
		read_filters(r, &f);
		if (fill_rows(r, district, &f, now, &mine) < 0)
			return REQ_ERROR;
	}
	struct top *top = arena_alloc(r->a, sizeof *top);
	if (!top)
		return REQ_ERROR;
	memset(top, 0, sizeof *top);
	if (is_staff(r)) {
		read_staff(r, top);
		view_set(r, "Staff", "1");
		if (form)   /* the add form's years and limit */
			fill_form_choices(r, now);
	}
	if (is_citizen(r))
		read_citizen(r, top);
	/* The list alone (no form, no message) is a mold; the rest renders whole. */
	if (form == 0 && !hdf_get_value(r->hdf, "Add.alert", NULL) && top->nddo <= TOP_DDOS && top->napp <= TOP_APPS) {
		if (render_top_mold(r, top, district, lead) < 0)
			return REQ_ERROR;
	} else {
		view_set(r, "List.lead", lead);
		set_top(r, top);
		if (form == 1)
			view_set(r, "Add.open", "1");
		else if (form == 2)
			view_set(r, "Add.confirm", "1");
		if (view_render_with(r, "places.cs", rows_html.s, rows_html.len, "places_end.cs") < 0)
			return REQ_ERROR;
	}
	if (cache) {
		/* The same URL is then answered by the request loop itself until the
		 * places, DDOs or holidays change or time changes a status. */
		view_cache_early(r, VIEW_DEP_PLACES | VIEW_DEP_DDO | VIEW_DEP_REFERENCE, next_change());
		view_cache_store(r, key, version);
	}
	if (pkey && pversion >= 0)
		view_body_store(r, pkey, pversion, next_change());
	return REQ_OK;
}

static int page_list(struct req *r) { return render_list(r, 0); }

/* ---- adding places (figures 10–15) ---- */

static const char *const steps[] = {"review", "save", "back", NULL};
enum { A_DDO, A_LANG, A_YEAR, A_COUNT, A_STEP, A_TOKEN, A__MAX };
static const struct vfield add_fields[A__MAX] = {
	[A_DDO] = {"ddo", V_INT, VF_REQUIRED, 1, 1LL << 40, NULL},
	[A_LANG] = {"language", V_ENUM, VF_REQUIRED, 0, 0, place_langs},
	[A_YEAR] = {"year", V_INT, VF_REQUIRED, 0, 0, NULL},
	[A_COUNT] = {"count", V_INT, VF_REQUIRED, 0, 0, NULL},
	[A_STEP] = {"step", V_ENUM, 0, 0, 0, steps},
	[A_TOKEN] = {"token", V_TOKEN, 0, 43, 43, NULL},
};

static int all_digits(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static int page_add_form(struct req *r) { return render_list(r, 1); }

static int page_add(struct req *r)
{
	struct vval v[A__MAX];
	long long now = u_now();
	int bad = val_form(r, add_fields, A__MAX, v);
	long long maxn = conf_int("Places.MaxPerRecord", 100);
	int ymin, ymax;
	place_year_range(now, &ymin, &ymax);
	/* Messages that say what is allowed, not only that it is wrong. */
	if (v[A_COUNT].err && strcmp(v[A_COUNT].err, "Err.required") != 0) {
		const char *k = all_digits(v[A_COUNT].s) ? "Places.err_count_range" : "Places.err_count_number";
		view_field_error_text(r, "count", view_tf(r, k, "max", arena_printf(r->a, "%lld", maxn)));
	} else if (!v[A_COUNT].err && (v[A_COUNT].i < 1 || v[A_COUNT].i > maxn)) {
		view_field_error_text(r, "count", view_tf(r, "Places.err_count_range", "max", arena_printf(r->a, "%lld", maxn)));
		bad++;
	}
	if (v[A_YEAR].err && strcmp(v[A_YEAR].err, "Err.required") != 0) {
		view_field_error(r, "year", "Places.err_year");
	} else if (!v[A_YEAR].err && (v[A_YEAR].i < ymin || v[A_YEAR].i > ymax)) {
		view_field_error(r, "year", "Places.err_year");
		bad++;
	}
	if (v[A_LANG].err && strcmp(v[A_LANG].err, "Err.required") != 0)
		view_field_error(r, "language", "Places.err_language");
	if (!v[A_DDO].err &&
	    !db_int("SELECT count(*) FROM ddo_staff s JOIN ddo d ON d.id = s.ddo_id "
		    "WHERE s.account_id = ? AND s.ddo_id = ? AND d.active = 1", 0, "II", req_account(r), v[A_DDO].i)) {
		view_field_error(r, "ddo", "Places.err_ddo");
		bad++;
	} else if (v[A_DDO].err && strcmp(v[A_DDO].err, "Err.required") != 0) {
		view_field_error(r, "ddo", "Places.err_ddo");
	}
	const char *step = v[A_STEP].present && !v[A_STEP].err ? v[A_STEP].s : "review";
	if (bad) {
		r->status = 422;
		return render_list(r, 1);
	}
	if (strcmp(step, "back") == 0)
		return render_list(r, 1);
	/* What will be saved, in words (figure 15). */
	view_set(r, "Add.ddoName", "");
	char name[304];
	if (db_text(name, sizeof name, "SELECT CASE ? WHEN 'kk' THEN name_kk ELSE name_ru END FROM ddo WHERE id = ?", "tI",
		    r->lang, v[A_DDO].i))
		view_set(r, "Add.ddoName", name);
	view_set(r, "Add.langName", view_t(r, arena_printf(r->a, "Places.Lang.%s", v[A_LANG].s)));
	if (strcmp(step, "review") == 0) {
		char token[44];
		if (u_token(token) < 0)
			return REQ_ERROR;
		view_set(r, "Add.token", token);
		return render_list(r, 2);
	}
	/* step=save: «ОК». */
	if (!v[A_TOKEN].present || v[A_TOKEN].err) {
		r->status = 422;
		view_set(r, "Add.alert", view_t(r, "Places.err_token"));
		return render_list(r, 1);
	}
	long long id;
	int rc = place_add(r, v[A_DDO].i, (int)v[A_YEAR].i, v[A_LANG].s, (int)v[A_COUNT].i, v[A_TOKEN].s, &id);
	if (rc == PLACE_ADD_DUPLICATE) {
		r->status = 409;
		view_set(r, "Add.alert", view_t(r, "Places.err_duplicate"));
		return render_list(r, 0);
	}
	if (rc == PLACE_ADD_NOT_MEMBER) {
		r->status = 422;
		view_field_error(r, "ddo", "Places.err_ddo");
		return render_list(r, 1);
	}
	if (rc < 0)
		return REQ_ERROR;
	view_flash(r, "place_added", NULL);
	return req_redirect(r, "/places");
}

/* ---- the citizen's choice ---- */

enum { C_APP, C_PLACE, C__MAX };
static const struct vfield choose_fields[C__MAX] = {
	[C_APP] = {"application", V_INT, VF_REQUIRED, 1, 1LL << 40, NULL},
	[C_PLACE] = {"place", V_INT, VF_REQUIRED, 1, 1LL << 40, NULL},
};

struct app_info {
	long long id;
	char number[32], child[300], status[20], language[4], benefit[16];
	int district, year;
};

static int load_app(struct req *r, long long id, struct app_info *a)
{
	memset(a, 0, sizeof *a);
	sqlite3_stmt *st = db_query(
		"SELECT a.id, a.number, c.surname || ' ' || c.name || CASE WHEN c.patronymic <> '' THEN ' ' || c.patronymic ELSE '' END, "
		"  a.status, a.language, a.benefit, a.district_id, a.group_year "
		"FROM application a JOIN child c ON c.id = a.child_id WHERE a.id = ? AND a.applicant_id = ?",
		"II", id, req_account(r));
	int found = db_row(st);
	if (found) {
		a->id = sqlite3_column_int64(st, 0);
		snprintf(a->number, sizeof a->number, "%s", db_col(st, 1));
		snprintf(a->child, sizeof a->child, "%s", db_col(st, 2));
		snprintf(a->status, sizeof a->status, "%s", db_col(st, 3));
		snprintf(a->language, sizeof a->language, "%s", db_col(st, 4));
		snprintf(a->benefit, sizeof a->benefit, "%s", db_col(st, 5));
		a->district = sqlite3_column_int(st, 6);
		a->year = sqlite3_column_int(st, 7);
	}
	db_done(st);
	return found;
}

static void set_app(struct req *r, const struct app_info *a)
{
	view_set_int(r, "App.id", a->id);
	view_set(r, "App.number", a->number);
	view_set(r, "App.child", a->child);
	view_set_int(r, "App.year", a->year);
	view_set(r, "App.lang", view_t(r, arena_printf(r->a, "Places.Lang.%s", a->language)));
	view_set(r, "App.district", view_district_name(r, a->district) ? view_district_name(r, a->district) : "");
	view_set(r, "App.status", a->status);
	view_set(r, "App.statusText", view_t(r, arena_printf(r->a, "Places.AppStatus.%s", a->status)));
	view_set(r, "App.benefit", strcmp(a->benefit, "none") ? "1" : "");
	view_set(r, "App.benefitCat", a->benefit);
	/* A live referral: where it is. */
	sqlite3_stmt *st = db_query("SELECT id, number FROM referral WHERE application_id = ? "
				    "AND status NOT IN ('annulled','refusal_confirmed') ORDER BY id DESC LIMIT 1", "I", a->id);
	if (db_row(st)) {
		view_set_int(r, "App.referral.id", sqlite3_column_int64(st, 0));
		view_set(r, "App.referral.number", db_col(st, 1));
	}
	db_done(st);
}

static void set_record(struct req *r, const char *p, sqlite3_stmt *st, long long now)
{
	/* Columns: id, name, address, kind, year, language, total, free, window_until. */
	char dt[17];
	view_set_int(r, arena_printf(r->a, "%s.id", p), sqlite3_column_int64(st, 0));
	view_set(r, arena_printf(r->a, "%s.name", p), db_col(st, 1));
	view_set(r, arena_printf(r->a, "%s.address", p), db_col(st, 2));
	view_set(r, arena_printf(r->a, "%s.kind", p), view_t(r, arena_printf(r->a, "Places.Kind.%s", db_col(st, 3))));
	view_set_int(r, arena_printf(r->a, "%s.year", p), sqlite3_column_int(st, 4));
	view_set(r, arena_printf(r->a, "%s.lang", p), view_t(r, arena_printf(r->a, "Places.Lang.%s", db_col(st, 5))));
	view_set_int(r, arena_printf(r->a, "%s.total", p), sqlite3_column_int(st, 6));
	view_set_int(r, arena_printf(r->a, "%s.free", p), sqlite3_column_int(st, 7));
	view_set(r, arena_printf(r->a, "%s.freeText", p),
		 arena_subst(r->a, view_t(r, "Places.free_of"),
			     (const char *const[]){"free", db_col(st, 7), "total", db_col(st, 6), NULL}));
	long long w = sqlite3_column_int64(st, 8);
	enum place_status ps = place_status_at(now, w, sqlite3_column_int(st, 7));
	set_status(r, p, place_status_names[ps]);
	if (ps == PLACE_WAITING) {
		u_fmt_datetime(w, dt);
		view_set(r, arena_printf(r->a, "%s.window", p), view_tf(r, "Places.window_benefit", "date", dt));
	}
}

/* The records the application may take now, and how many it must wait for. */
static void fill_choices(struct req *r, const struct app_info *a, long long now)
{
	sqlite3_stmt *st = db_query(
		"SELECT f.id, CASE ? WHEN 'kk' THEN d.name_kk ELSE d.name_ru END, d.address, d.kind, f.group_year, "
		"  f.language, f.total, f.free, f.window_until "
		"FROM free_place f JOIN ddo d ON d.id = f.ddo_id "
		"WHERE f.district_id = ? AND f.group_year = ? AND f.language = ? AND f.free > 0 "
		"  AND (? > f.window_until OR ? <> 'none') "
		"ORDER BY 2, f.created_at, f.id LIMIT 500",
		"tiitIt", r->lang, a->district, a->year, a->language, now, a->benefit);
	int i = 0;
	while (db_row(st))
		set_record(r, arena_printf(r->a, "Choices.%d", i++), st, now);
	db_done(st);
	view_set_int(r, "ChoicesCount", i);
	if (strcmp(a->benefit, "none") == 0) {
		/* Places in their priority window: shown with the day they open. */
		sqlite3_stmt *w = db_query(
			"SELECT count(*), min(f.window_until) FROM free_place f "
			"WHERE f.district_id = ? AND f.group_year = ? AND f.language = ? AND f.free > 0 AND ? <= f.window_until",
			"iitI", a->district, a->year, a->language, now);
		if (db_row(w) && sqlite3_column_int(w, 0) > 0) {
			char dt[17];
			u_fmt_datetime(sqlite3_column_int64(w, 1), dt);
			view_set(r, "Waiting.text", arena_subst(r->a, view_t(r, "Places.waiting_info"),
								(const char *const[]){"n", db_col(w, 0), "date", dt, NULL}));
		}
		db_done(w);
	}
}

static int render_choose(struct req *r, const struct app_info *a, long long now)
{
	set_app(r, a);
	if (strcmp(a->status, "queued") == 0)
		fill_choices(r, a, now);
	return view_render(r, "places_choose.cs") < 0 ? REQ_ERROR : REQ_OK;
}

static const struct vfield app_field = {"application", V_INT, 0, 1, 1LL << 40, NULL};

static int page_choose(struct req *r)
{
	long long now = now_refreshed();
	struct vval v;
	if (val_one(r, &app_field, req_param(r, "application"), &v))
		return req_fail(r, 404, "Places.err_no_application");
	if (!v.present) {
		/* Every application of the citizen, the queued ones with the way on. */
		sqlite3_stmt *st = db_query(
			"SELECT a.id, a.number, c.surname || ' ' || c.name, a.group_year, a.status, a.language "
			"FROM application a JOIN child c ON c.id = a.child_id WHERE a.applicant_id = ? ORDER BY a.id",
			"I", req_account(r));
		for (int i = 0; db_row(st); i++) {
			const char *p = arena_printf(r->a, "Apps.%d", i);
			view_set_int(r, arena_printf(r->a, "%s.id", p), sqlite3_column_int64(st, 0));
			view_set(r, arena_printf(r->a, "%s.number", p), db_col(st, 1));
			view_set(r, arena_printf(r->a, "%s.child", p), db_col(st, 2));
			view_set_int(r, arena_printf(r->a, "%s.year", p), sqlite3_column_int(st, 3));
			view_set(r, arena_printf(r->a, "%s.status", p), db_col(st, 4));
			view_set(r, arena_printf(r->a, "%s.statusText", p),
				 view_t(r, arena_printf(r->a, "Places.AppStatus.%s", db_col(st, 4))));
			view_set(r, arena_printf(r->a, "%s.lang", p),
				 view_t(r, arena_printf(r->a, "Places.Lang.%s", db_col(st, 5))));
		}
		db_done(st);
		return view_render(r, "places_choose.cs") < 0 ? REQ_ERROR : REQ_OK;
	}
	struct app_info a;
	if (!load_app(r, v.i, &a))
		return req_fail(r, 404, "Places.err_no_application");
	return render_choose(r, &a, now);
}

static int page_confirm(struct req *r)
{
	long long now = now_refreshed();
	struct vval v[C__MAX];
	if (val_form(r, choose_fields, C__MAX, v))
		return req_fail(r, 404, "Places.err_no_record");
	struct app_info a;
	if (!load_app(r, v[C_APP].i, &a))
		return req_fail(r, 404, "Places.err_no_application");
	set_app(r, &a);
	if (strcmp(a.status, "queued") != 0)
		return render_choose(r, &a, now);
	sqlite3_stmt *st = db_query(
		"SELECT f.id, CASE ? WHEN 'kk' THEN d.name_kk ELSE d.name_ru END, d.address, d.kind, f.group_year, "
		"  f.language, f.total, f.free, f.window_until, f.district_id "
		"FROM free_place f JOIN ddo d ON d.id = f.ddo_id WHERE f.id = ?", "tI", r->lang, v[C_PLACE].i);
	int found = db_row(st);
	struct place_rec p = {0};
	char lang[4] = "";
	if (found) {
		set_record(r, "Rec", st, now);
		snprintf(lang, sizeof lang, "%s", db_col(st, 5));
		p = (struct place_rec){sqlite3_column_int(st, 9), sqlite3_column_int(st, 4), lang, sqlite3_column_int(st, 7),
				       sqlite3_column_int64(st, 8)};
	}
	db_done(st);
	if (!found)
		return req_fail(r, 404, "Places.err_no_record");
	struct place_app pa = {a.district, a.year, a.language, a.benefit, a.status};
	enum place_elig e = place_eligible(&pa, &p, now);
	if (e != PLACE_OK) {
		static const enum ref_err map[PLACE_ELIG__MAX] = {REF_OK, REF_NOT_QUEUED, REF_MISMATCH, REF_EXHAUSTED, REF_WINDOW};
		r->status = 409;
		view_set(r, "Alert", view_t(r, arena_printf(r->a, "Ref.err_%s", ref_err_names[map[e]])));
		return render_choose(r, &a, now);
	}
	/* The deadline the referral would get if issued now. */
	long long days = conf_int("Referral.DeadlineWorkingDays", 5);
	long long dl = wd_end_after(now, (int)days);
	char d[11];
	u_fmt_date(dl, d);
	view_set(r, "Confirm.deadline", d);
	view_set(r, "Confirm.warning",
		 arena_subst(r->a, view_t(r, "Places.confirm_choice_warning"),
			     (const char *const[]){"days", arena_printf(r->a, "%lld", days), "date", d, NULL}));
	view_set(r, "Confirm.open", "1");
	return view_render(r, "places_choose.cs") < 0 ? REQ_ERROR : REQ_OK;
}

static int page_issue(struct req *r)
{
	struct vval v[C__MAX];
	if (val_form(r, choose_fields, C__MAX, v))
		return req_fail(r, 404, "Places.err_no_record");
	struct ref_issued out;
	enum ref_err e = ref_issue(r, v[C_APP].i, v[C_PLACE].i, &out);
	if (e == REF_OK) {
		view_flash(r, "referral_issued", out.number);
		return req_redirect(r, arena_printf(r->a, "/places/referral/%lld", out.id));
	}
	if (e == REF_FAILED)
		return REQ_ERROR;
	if (e == REF_NO_APPLICATION)
		return req_fail(r, 404, "Places.err_no_application");
	/* Nothing changed: the choice page again, with why. */
	struct app_info a;
	if (!load_app(r, v[C_APP].i, &a))
		return req_fail(r, 404, "Places.err_no_application");
	r->status = e == REF_NO_RECORD ? 404 : 409;
	const char *msg = view_t(r, arena_printf(r->a, "Ref.err_%s", ref_err_names[e]));
	if (e == REF_REFERRED && *out.number)
		msg = arena_printf(r->a, "%s %s", msg, out.number);
	view_set(r, "Alert", msg);
	/* The answer to a refused choice is short (under a burst of choices most
	 * answers are this one): the application, why, and the way back to the
	 * places it may still take. */
	set_app(r, &a);
	view_set(r, "Refused", "1");
	return view_render(r, "places_choose.cs") < 0 ? REQ_ERROR : REQ_OK;
}

/* ---- the referral ---- */

static int page_referral(struct req *r)
{
	long long now = now_refreshed();
	long long id = r->iarg[0];
	/* The PDF is made right after the choice's response, in the worker that
	 * issued it (referral.h): a parent who follows the redirect at once may
	 * reach another worker a few milliseconds too early, and waits for it
	 * (at most 200 ms, only in the first seconds) rather than see the page
	 * without it; or it reaches that very worker, which served the waiting
	 * request before its job: then the job runs now. */
	ref_pdf_here(id);
	for (int i = 0; i < 40; i++) {
		long long due = db_int("SELECT p.due_at FROM referral_pdf_due p JOIN referral f ON f.id = p.referral_id "
				       "JOIN application a ON a.id = f.application_id WHERE p.referral_id = ? AND a.applicant_id = ?",
				       -1, "II", id, req_account(r));
		if (due < 0 || now - due > 2)
			break;
		usleep(5000);
		db_new_snapshot();
	}
	sqlite3_stmt *st = db_query(
		"SELECT r.number, r.status, r.issued_at, r.deadline_at, CASE ? WHEN 'kk' THEN d.name_kk ELSE d.name_ru END, "
		"  d.address, d.kind, d.phone, f.group_year, f.language, a.number, "
		"  c.surname || ' ' || c.name || CASE WHEN c.patronymic <> '' THEN ' ' || c.patronymic ELSE '' END, "
		"  (SELECT count(*) FROM document x WHERE x.referral_id = r.id AND x.kind = 'referral' AND x.origin = 'system'), "
		"  a.status, a.id, EXISTS (SELECT 1 FROM referral_pdf_due p WHERE p.referral_id = r.id) "
		"FROM referral r JOIN application a ON a.id = r.application_id JOIN child c ON c.id = a.child_id "
		"JOIN ddo d ON d.id = r.ddo_id JOIN free_place f ON f.id = r.free_place_id "
		"WHERE r.id = ? AND a.applicant_id = ?", "tII", r->lang, id, req_account(r));
	if (!db_row(st)) {
		db_done(st);
		return req_fail(r, 404, "Places.err_no_referral");
	}
	char dt[17], d[11];
	view_set_int(r, "Ref.id", id);
	view_set(r, "Ref.number", db_col(st, 0));
	view_set(r, "Ref.status", db_col(st, 1));
	view_set(r, "Ref.statusText", view_t(r, arena_printf(r->a, "Places.RefStatus.%s", db_col(st, 1))));
	u_fmt_datetime(sqlite3_column_int64(st, 2), dt);
	view_set(r, "Ref.issued", dt);
	long long deadline = sqlite3_column_int64(st, 3);
	u_fmt_date(deadline, d);
	view_set(r, "Ref.deadline", d);
	if (strcmp(db_col(st, 1), "issued") == 0) {
		int left = wd_days_left(now, deadline);
		view_set(r, "Ref.daysLeft", view_tf(r, "Places.days_left", "n", arena_printf(r->a, "%d", left < 0 ? 0 : left)));
	}
	view_set(r, "Ref.ddo", db_col(st, 4));
	view_set(r, "Ref.address", db_col(st, 5));
	view_set(r, "Ref.kind", view_t(r, arena_printf(r->a, "Places.Kind.%s", db_col(st, 6))));
	view_set(r, "Ref.phone", db_col(st, 7));
	view_set_int(r, "Ref.year", sqlite3_column_int(st, 8));
	view_set(r, "Ref.lang", view_t(r, arena_printf(r->a, "Places.Lang.%s", db_col(st, 9))));
	view_set(r, "Ref.application", db_col(st, 10));
	view_set(r, "Ref.child", db_col(st, 11));
	if (sqlite3_column_int(st, 12))
		view_set(r, "Ref.pdf", "1");
	else if (sqlite3_column_int(st, 15))
		view_set(r, "Ref.pdfPending", "1");   /* made right after the choice (referral.h) */
	view_set(r, "Ref.appStatusText", view_t(r, arena_printf(r->a, "Places.AppStatus.%s", db_col(st, 13))));
	view_set_int(r, "Ref.appId", sqlite3_column_int64(st, 14));
	db_done(st);
	return view_render(r, "places_referral.cs") < 0 ? REQ_ERROR : REQ_OK;
}

static int page_referral_pdf(struct req *r)
{
	sqlite3_stmt *st = db_query(
		"SELECT x.sha256, x.mime, x.filename FROM document x JOIN referral f ON f.id = x.referral_id "
		"JOIN application a ON a.id = f.application_id "
		"WHERE f.id = ? AND a.applicant_id = ? AND x.kind = 'referral' AND x.origin = 'system' "
		"ORDER BY x.id DESC LIMIT 1", "II", r->iarg[0], req_account(r));
	if (!db_row(st)) {
		db_done(st);
		return req_fail(r, 404, "Places.err_no_referral");
	}
	/* The type must outlive this function: the response is written later. */
	const char *sha = arena_strdup(r->a, db_col(st, 0)), *mime = arena_strdup(r->a, db_col(st, 1)),
		   *name = arena_strdup(r->a, db_col(st, 2));
	db_done(st);
	if (!sha || !mime || !name)
		return REQ_ERROR;
	return doc_send(r, sha, mime, name);
}

static const struct route routes[] = {
	{M_GET, "/places", ROLE_ANY, page_list, 0},
	{M_GET, "/places/add", ROLE_STAFF, page_add_form, 0},
	{M_POST, "/places/add", ROLE_STAFF, page_add, 0},
	{M_GET, "/places/choose", ROLE_CITIZEN, page_choose, 0},
	{M_GET, "/places/choose/confirm", ROLE_CITIZEN, page_confirm, 0},
	{M_POST, "/places/choose", ROLE_CITIZEN, page_issue, 0},
	{M_GET, "/places/referral/%d", ROLE_CITIZEN, page_referral, 0},
	{M_GET, "/places/referral/%d/pdf", ROLE_CITIZEN, page_referral_pdf, 0},
};

int main(int argc, char **argv)
{
	static const struct app app = {"places", routes, NROUTES(routes), init};
	return req_main(argc, argv, &app);
}
