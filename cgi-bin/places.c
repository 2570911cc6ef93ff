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
 * applied before any of these reads the rows (ref_refresh).
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
#include "domain/offer.h"
#include "domain/place.h"
#include "domain/plist.h"
#include "domain/protocol.h"
#include "domain/referral.h"
#include "domain/benefit.h"
#include "domain/voucher.h"
#include "web/req.h"
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

/* The base's table as HTML (fill_table). */
static struct buf table_html;

static void free_bufs(void) { buf_free(&table_html); }

static int init(void)
{
	atexit(plist_free);   /* the districts kept in memory, for the leak checks */
	atexit(free_bufs);
	return doc_init();
}

/* ---- common ---- */

static long long now_refreshed(void)
{
	long long now = u_now();
	if (ref_refresh(now) < 0)
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
	[Q_STATUS] = {"f_status", V_ENUM, 0, 0, 0, place_status_names},
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

/* A record's language, kind or status (what 0, 1, 2) in words. */
static const char *row_text(struct req *r, int what, const char *code)
{
	static const char *const prefix[] = {"Places.Lang.", "Places.Kind.", "Places.Status."};
	char key[64];
	size_t n = strlen(prefix[what]), m = strlen(code);
	if (n + m >= sizeof key)
		return "";
	memcpy(key, prefix[what], n);
	memcpy(key + n, code, m + 1);
	return view_t(r, key);
}

/* ---- the base's table, written here rather than by a template ----
 * The hottest fragment of the service: the tools, the sortable head with
 * a filter under every column, twenty rows of nine cells and the pager,
 * on every page of the list, for every filter a visitor tries (through
 * ClearSilver it cost twice the rest of the page). One writer: every
 * value goes through view_add_escaped, every word comes from the language
 * files (L.Places.*, L.Pager.*). */

/* Appends L.<key> in the request's language, escaped. */
static int say(struct buf *o, struct req *r, const char *key) { return view_add_escaped(o, view_t(r, key)); }

/* The data tree's value under prefix + field (a filter's name, under 20
 * bytes), or def: a key put together without printf, fourteen times a page. */
static const char *field_value(struct req *r, const char *prefix, const char *field, const char *def)
{
	char k[32];
	size_t n = strlen(prefix), m = strlen(field);
	if (n + m >= sizeof k)
		return def;
	memcpy(k, prefix, n);
	memcpy(k + n, field, m + 1);
	return hdf_get_value(r->hdf, k, def);
}

/* A filter's value as the visitor typed it. */
static const char *typed(struct req *r, const char *field) { return field_value(r, "Query.", field, ""); }

/* The message next to a filter that did not read (val.h put it in Errors). */
static int field_error(struct buf *o, struct req *r, const char *field)
{
	const char *msg = field_value(r, "Errors.", field, NULL);
	if (!msg)
		return 0;
	return buf_adds(o, "<span class=\"field-error\" id=\"err-") | buf_adds(o, field) | buf_adds(o, "\">") |
	       view_add_escaped(o, msg) | buf_adds(o, "</span>");
}

/* The columns' names, in the order of sort_cols. */
static const char *const col_labels[] = {"Places.col_name", "Places.col_year", "Places.col_lang",
					 "Places.col_total", "Places.col_free", "Places.col_user",
					 "Places.col_kind", "Places.col_date", "Places.col_status"};

/* A row's cell: its column's name (label, from col_labels in the
 * request's language) in data-label, which a phone's card shows before
 * the value (site.css "phones"). */
static int cell(struct buf *o, const char *label, int num)
{
	return buf_adds(o, num ? "<td class=\"num\" data-label=\"" : "<td data-label=\"") | view_add_escaped(o, label) |
	       buf_adds(o, "\">");
}

/* A column's head that sorts by it (layout/macros.cs sort_th, the same markup). */
static int sort_head(struct buf *o, struct req *r, const struct lst *l, const struct lst_links *k, int col)
{
	int sorted = col == l->sort;
	return buf_adds(o, !sorted ? "<th scope=\"col\"><a href=\""
			   : l->desc ? "<th scope=\"col\" aria-sort=\"descending\"><a href=\""
			   : "<th scope=\"col\" aria-sort=\"ascending\"><a href=\"") |
	       view_add_escaped(o, k->href[col]) | buf_adds(o, "\">") | say(o, r, col_labels[col]) |
	       buf_adds(o, !sorted ? "<span class=\"sort-ind\" aria-hidden=\"true\">⇅</span></a></th>"
			   : l->desc ? "<span class=\"sort-ind\" aria-hidden=\"true\">▼</span></a></th>"
			   : "<span class=\"sort-ind\" aria-hidden=\"true\">▲</span></a></th>");
}

/* A filter typed under a column: words, a number or a date. */
enum { F_WORDS, F_NUMBER, F_DATE };
static int typed_filter(struct buf *o, struct req *r, const char *field, int kind, const char *col_key)
{
	return buf_adds(o, "<th data-label=\"") | say(o, r, col_key) |
	       buf_adds(o, kind == F_DATE ? "\"><input form=\"pf\" type=\"date\" name=\"" : "\"><input form=\"pf\" type=\"search\" name=\"") |
	       buf_adds(o, field) | buf_adds(o, kind == F_NUMBER ? "\" inputmode=\"numeric\" value=\"" : "\" value=\"") |
	       view_add_escaped(o, typed(r, field)) | buf_adds(o, "\" aria-label=\"") |
	       (kind != F_DATE ? say(o, r, "Places.search") | buf_adds(o, ": ") : 0) | say(o, r, col_key) |
	       buf_adds(o, "\">") | field_error(o, r, field) | buf_adds(o, "</th>");
}

/* A drop-down filter: "all", then each code of a closed set (row_text's
 * what) in words. */
static int choice_filter(struct buf *o, struct req *r, const char *field, const char *col_key, int what)
{
	static const char *const *const codes[] = {place_langs, place_kinds, place_status_names};
	int bad = buf_adds(o, "<th data-label=\"") | say(o, r, col_key) | buf_adds(o, "\"><select form=\"pf\" name=\"") |
		  buf_adds(o, field) | buf_adds(o, "\" aria-label=\"") |
		  say(o, r, col_key) | buf_adds(o, "\"><option value=\"\">") | say(o, r, "Places.all") |
		  buf_adds(o, "</option>");
	const char *chosen = typed(r, field);
	for (int i = 0; codes[what][i]; i++)
		bad |= buf_adds(o, "<option value=\"") | buf_adds(o, codes[what][i]) |
		       buf_adds(o, strcmp(chosen, codes[what][i]) == 0 ? "\" selected>" : "\">") |
		       view_add_escaped(o, row_text(r, what, codes[what][i])) | buf_adds(o, "</option>");
	return bad | buf_adds(o, "</select></th>");
}

/* Above the rows: the tools (district, filter, reset, "+") and the head. */
static int write_head(struct buf *o, struct req *r, int district, const struct lst *l, const struct lst_links *k)
{
	int staff = is_staff(r), bad = 0;
	bad |= buf_adds(o, "<div class=\"table-tools\">\n  <span>") | say(o, r, "Places.district") | buf_adds(o, ": <b>") |
	       view_add_escaped(o, view_district_name(r, district)) | buf_adds(o, "</b>");
	if (staff)
		bad |= buf_adds(o, " · <span class=\"mine-key\">") | say(o, r, "Places.mine") | buf_adds(o, "</span>");
	bad |= buf_adds(o, "</span>\n  <span class=\"actions\">\n    <button class=\"btn btn-light\" type=\"submit\" form=\"pf\">") |
	       say(o, r, "Places.filter") | buf_adds(o, "</button>\n    <a class=\"btn btn-light\" href=\"/places\">") |
	       say(o, r, "Places.reset") | buf_adds(o, "</a>\n");
	if (staff)
		bad |= buf_adds(o, "    <a class=\"btn btn-add\" id=\"add-places\" href=\"/places/add#add\" title=\"") |
		       say(o, r, "Places.add") | buf_adds(o, "\" aria-label=\"") | say(o, r, "Places.add") | buf_adds(o, "\">+</a>\n");
	bad |= buf_adds(o, "  </span>\n</div>\n<form id=\"pf\" method=\"get\" action=\"/places\" class=\"visually-hidden\">");
	/* The order the filter form keeps: only one that was asked for. */
	const char *sort = req_param(r, "sort");
	if (sort && strcmp(sort, sort_cols[l->sort]) == 0)
		bad |= buf_adds(o, "<input type=\"hidden\" name=\"sort\" value=\"") | buf_adds(o, sort_cols[l->sort]) |
		       buf_adds(o, "\"><input type=\"hidden\" name=\"dir\" value=\"") | buf_adds(o, l->desc ? "desc" : "asc") |
		       buf_adds(o, "\">");
	/* A phone folds the filter row under «Фильтр» (site.css "phones"),
	 * unfolded while a filter is on. */
	int filtered = 0;
	for (int i = 0; i < Q__MAX; i++)
		filtered |= typed(r, filter_fields[i].name)[0] != 0;
	bad |= buf_adds(o, filtered ? "</form>\n<details class=\"filter-fold\" open><summary>" : "</form>\n<details class=\"filter-fold\"><summary>") |
	       say(o, r, "Phone.filter") |
	       buf_adds(o, "</summary></details>\n<div class=\"table-wrap\">\n<table class=\"data places-table\">\n  <thead>\n    <tr>");
	for (int c = 0; c <= S_STATUS; c++)
		bad |= sort_head(o, r, l, k, c);
	bad |= buf_adds(o, "</tr>\n    <tr class=\"filters\">") |
	       typed_filter(o, r, "f_name", F_WORDS, "Places.col_name") |
	       typed_filter(o, r, "f_year", F_NUMBER, "Places.col_year") |
	       choice_filter(o, r, "f_lang", "Places.col_lang", 0) |
	       typed_filter(o, r, "f_total", F_NUMBER, "Places.col_total") |
	       typed_filter(o, r, "f_free", F_NUMBER, "Places.col_free") |
	       typed_filter(o, r, "f_user", F_WORDS, "Places.col_user") |
	       choice_filter(o, r, "f_kind", "Places.col_kind", 1) |
	       typed_filter(o, r, "f_date", F_DATE, "Places.col_date") |
	       choice_filter(o, r, "f_status", "Places.col_status", 2) |
	       buf_adds(o, "</tr>\n  </thead>\n  <tbody>\n");
	return bad;
}

/* The rows. */
static int write_rows(struct buf *o, struct req *r, const struct plist_row *rows, int n, const struct mine *m)
{
	int bad = 0;
	const char *lab[S_STATUS + 1];
	for (int c = 0; c <= S_STATUS; c++)
		lab[c] = view_t(r, col_labels[c]);
	for (int i = 0; i < n; i++) {
		const struct plist_row *w = &rows[i];
		int mine = 0;
		for (int k = 0; k < m->n; k++)
			mine |= m->ids[k] == w->ddo_id;
		int waiting = strcmp(w->status, "waiting") == 0;
		char dt[17];
		u_fmt_datetime(w->created_at, dt);
		bad |= buf_adds(o, mine ? "<tr class=\"mine\" data-id=\"" : "<tr data-id=\"") | buf_addint(o, w->id);
		/* The name opens the record's distribution protocol (protocol.h). */
		bad |= buf_adds(o, "\">") | cell(o, lab[0], 0) | buf_adds(o, "<a class=\"protocol-link\" href=\"/places/protocol/") |
		       buf_addint(o, w->id) | buf_adds(o, "\" title=\"") | say(o, r, "Proto.link") | buf_adds(o, "\">") |
		       view_add_escaped(o, w->name) | buf_adds(o, "</a>");
		bad |= buf_adds(o, "</td>") | cell(o, lab[1], 1) | buf_addint(o, w->year);
		bad |= buf_adds(o, "</td>") | cell(o, lab[2], 0) | view_add_escaped(o, row_text(r, 0, w->lang));
		bad |= buf_adds(o, "</td>") | cell(o, lab[3], 1) | buf_addint(o, w->total);
		bad |= buf_adds(o, "</td>") | cell(o, lab[4], 1) | buf_addint(o, w->free);
		bad |= buf_adds(o, "</td>") | cell(o, lab[5], 0) | view_add_escaped(o, w->user);
		bad |= buf_adds(o, "</td>") | cell(o, lab[6], 0) | view_add_escaped(o, row_text(r, 1, w->kind));
		bad |= buf_adds(o, "</td>") | cell(o, lab[7], 0) | buf_adds(o, dt);
		bad |= buf_adds(o, "</td>") | cell(o, lab[8], 0);
		bad |= buf_adds(o, waiting ? "<span class=\"badge badge-warn\">"
				   : strcmp(w->status, "free_choice") == 0 ? "<span class=\"badge badge-ok\">"
				   : "<span class=\"badge \">");
		/* A withdrawn record (place.h) reads exhausted: say which. */
		int withdrawn = w->free == 0 && strcmp(w->status, "exhausted") == 0 && place_withdrawn(w->id);
		bad |= view_add_escaped(o, withdrawn ? view_t(r, "Places.Status.withdrawn") : row_text(r, 2, w->status)) |
		       buf_adds(o, "</span>");
		if (waiting) {
			char wdt[17];
			u_fmt_datetime(w->window_until, wdt);
			bad |= buf_adds(o, "<br><small>") |
			       view_add_escaped(o, view_tf(r, "Places.window_until", "date", wdt)) | buf_adds(o, "</small>");
		}
		/* Staff see how many places of their own waiting records are
		 * offered (reserved) now: one indexed count per such row. */
		long long reserved = waiting && mine ? offer_reserved(w->id) : 0;
		if (reserved > 0)
			bad |= buf_adds(o, "<br><small class=\"reserved\">") |
			       view_add_escaped(o, view_tf(r, "Offer.reserved", "n", arena_int(r->a, reserved))) |
			       buf_adds(o, "</small>");
		bad |= buf_adds(o, "</td></tr>\n");
	}
	return bad;
}

/* Below the rows: the table's end and the pager (layout/macros.cs pager). */
static int write_tail(struct buf *o, struct req *r, int n, const struct lst *l, const struct lst_links *k)
{
	int bad = 0;
	if (!n)
		bad |= buf_adds(o, "<tr><td colspan=\"9\" class=\"empty\">") | say(o, r, "Places.none") | buf_adds(o, "</td></tr>\n");
	bad |= buf_adds(o, "  </tbody>\n</table>\n</div>\n<nav class=\"pager\" aria-label=\"") | say(o, r, "Pager.label") |
	       buf_adds(o, "\">\n  <span class=\"total\">") | say(o, r, "Pager.total") | buf_adds(o, ": <b>") |
	       buf_adds(o, k->total) | buf_adds(o, "</b>");
	if (l->total)
		bad |= buf_adds(o, " · ") | buf_adds(o, k->from) | buf_adds(o, "–") | buf_adds(o, k->to);
	bad |= buf_adds(o, "</span>\n");
	if (k->first)
		bad |= buf_adds(o, "  <a class=\"btn btn-light\" href=\"") | view_add_escaped(o, k->first) |
		       buf_adds(o, "\" rel=\"first\">«</a>\n  <a class=\"btn btn-light\" href=\"") | view_add_escaped(o, k->prev) |
		       buf_adds(o, "\" rel=\"prev\">") | say(o, r, "Pager.prev") | buf_adds(o, "</a>\n");
	bad |= buf_adds(o, "  <span>") | say(o, r, "Pager.page") | buf_adds(o, " ") | buf_adds(o, k->page) |
	       buf_adds(o, " / ") | buf_adds(o, k->pages) | buf_adds(o, "</span>\n");
	if (k->next)
		bad |= buf_adds(o, "  <a class=\"btn btn-light\" href=\"") | view_add_escaped(o, k->next) |
		       buf_adds(o, "\" rel=\"next\">") | say(o, r, "Pager.next") |
		       buf_adds(o, "</a>\n  <a class=\"btn btn-light\" href=\"") | view_add_escaped(o, k->last) |
		       buf_adds(o, "\" rel=\"last\">»</a>\n");
	return bad | buf_adds(o, "</nav>\n");
}

/* The base's table into table_html: filtered, sorted, counted and paged in
 * memory (plist.h: bounded by the district's size, no SQL per record). */
static int fill_table(struct req *r, int district, const struct filters *f, long long now, const struct mine *m)
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
	struct lst_links k;
	buf_reset(&table_html);
	if (lst_links(r, &l, sort_cols, &k) < 0)
		return -1;
	return write_head(&table_html, r, district, &l, &k) | write_rows(&table_html, r, rows, n, m) |
	       write_tail(&table_html, r, n, &l, &k) ? -1 : 0;
}

/* Above the table: the staff member's DDOs (the select of the add form,
 * and the reminder of children departed since each last added places). */
static int fill_staff(struct req *r)
{
	sqlite3_stmt *st = db_query(
		"SELECT d.id, CASE ? WHEN 'kk' THEN d.name_kk ELSE d.name_ru END, d.kind "
		"FROM ddo_staff s JOIN ddo d ON d.id = s.ddo_id WHERE s.account_id = ? AND d.active = 1 "
		"ORDER BY 2, d.id", "tI", r->lang, req_account(r));
	int n = 0, any = 0;
	while (db_row(st)) {
		HDF *row = view_row(r, "Ddos", n++);
		view_row_set_int(row, "id", sqlite3_column_int64(st, 0));
		view_row_set(row, "name", db_col(st, 1));
		view_row_set(row, "kind", row_text(r, 1, db_col(st, 2)));
	}
	db_done(st);
	if (!st)
		return -1;
	for (HDF *row = hdf_get_child(r->hdf, "Ddos"); row; row = hdf_obj_next(row)) {
		long long dep = place_departed_since(hdf_get_int_value(row, "id", 0));
		if (dep < 0)
			return -1;
		any |= dep > 0;
		view_row_set_int(row, "departed", dep);
		view_row_set(row, "departedText", view_tf(r, "Places.departed", "n", arena_int(r->a, dep)));
	}
	if (any)
		view_set(r, "Departed.any", "1");
	return 0;
}

/* Above the table: the citizen's queued applications (links to choose). */
static int fill_citizen(struct req *r)
{
	sqlite3_stmt *st = db_query(
		"SELECT a.id, a.number, c.surname || ' ' || c.name, a.group_year FROM application a "
		"JOIN child c ON c.id = a.child_id WHERE a.applicant_id = ? AND a.status = 'queued' ORDER BY a.id",
		"I", req_account(r));
	for (int n = 0; db_row(st); n++) {
		HDF *row = view_row(r, "MyApps", n);
		view_row_set_int(row, "id", sqlite3_column_int64(st, 0));
		view_row_set(row, "number", db_col(st, 1));
		view_row_set(row, "child", db_col(st, 2));
		view_row_set_int(row, "year", sqlite3_column_int(st, 3));
	}
	db_done(st);
	return st ? 0 : -1;
}

static void fill_form_choices(struct req *r, long long now)
{
	int ymin, ymax;
	place_year_range(now, &ymin, &ymax);
	for (int y = ymax, i = 0; y >= ymin; y--, i++)
		view_set_int(r, arena_printf(r->a, "Years.%d", i), y);
	view_set_int(r, "MaxPerRecord", conf_int("Places.MaxPerRecord", 100));
}

/* Renders the base; form: 0 none, 1 the add form, 2 the confirmation. */
static int render_list(struct req *r, int form)
{
	long long now = now_refreshed();
	struct mine mine;
	read_mine(r, &mine);   /* nothing to read for a visitor */
	int district = list_district(r, &mine);
	buf_reset(&table_html);
	view_set(r, "List.lead", view_tf(r, "Offer.places_lead", "days", arena_int(r->a, conf_int("Places.PriorityWindowDays", 3))));
	if (district) {
		view_set_int(r, "List.district", district);
		view_set(r, "List.districtName", view_district_name(r, district));
		struct filters f;
		read_filters(r, &f);
		if (fill_table(r, district, &f, now, &mine) < 0)
			return REQ_ERROR;
	}
	if (is_staff(r)) {
		view_set(r, "Staff", "1");
		if (fill_staff(r) < 0)
			return REQ_ERROR;
		if (form)   /* the add form's years and limit */
			fill_form_choices(r, now);
	}
	if (is_citizen(r) && fill_citizen(r) < 0)
		return REQ_ERROR;
	if (form == 1)
		view_set(r, "Add.open", "1");
	else if (form == 2)
		view_set(r, "Add.confirm", "1");
	return view_render_with(r, "places.cs", table_html.s, table_html.len, "places_end.cs") < 0 ? REQ_ERROR : REQ_OK;
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
	const char *frozen = view_freeze_text(r, "Freeze.refused_add");
	if (frozen) {   /* said at once; place_add refuses it too */
		r->status = 409;
		view_set(r, "Add.alert", frozen);
		return render_list(r, 0);
	}
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
	int rc = place_add(req_actor(r, ROLE_STAFF), v[A_DDO].i, (int)v[A_YEAR].i, v[A_LANG].s, (int)v[A_COUNT].i, v[A_TOKEN].s,
			   offer_fill_place, &id);
	if (rc == PLACE_ADD_DUPLICATE) {
		r->status = 409;
		view_set(r, "Add.alert", view_t(r, "Places.err_duplicate"));
		return render_list(r, 0);
	}
	if (rc == PLACE_ADD_FROZEN) {
		r->status = 409;
		view_set(r, "Add.alert", view_freeze_text(r, "Freeze.refused_add"));
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
	struct ref_info live;
	if (ref_live(a->id, u_now(), &live) > 0) {
		view_set_int(r, "App.referral.id", live.id);
		view_set(r, "App.referral.number", live.number);
	}
}

static void set_record(struct req *r, const char *p, const struct place_row *f)
{
	char dt[17];
	const char *total = arena_printf(r->a, "%d", f->total), *nfree = arena_printf(r->a, "%d", f->free);
	view_set_int(r, arena_printf(r->a, "%s.id", p), f->id);
	view_set(r, arena_printf(r->a, "%s.name", p), strcmp(r->lang, "kk") == 0 ? f->ddo_kk : f->ddo_ru);
	view_set(r, arena_printf(r->a, "%s.address", p), f->address);
	view_set(r, arena_printf(r->a, "%s.kind", p), view_t(r, arena_printf(r->a, "Places.Kind.%s", f->kind)));
	view_set_int(r, arena_printf(r->a, "%s.year", p), f->year);
	view_set(r, arena_printf(r->a, "%s.lang", p), view_t(r, arena_printf(r->a, "Places.Lang.%s", f->language)));
	view_set_int(r, arena_printf(r->a, "%s.total", p), f->total);
	view_set_int(r, arena_printf(r->a, "%s.free", p), f->free);
	view_set(r, arena_printf(r->a, "%s.freeText", p),
		 arena_subst(r->a, view_t(r, "Places.free_of"), (const char *const[]){"free", nfree, "total", total, NULL}));
	set_status(r, p, place_status_names[f->status]);
	if (f->status == PLACE_WAITING) {
		u_fmt_datetime(f->window_until, dt);
		view_set(r, arena_printf(r->a, "%s.window", p), view_tf(r, "Offer.window_hint", "date", dt));
	}
}

struct choices { struct req *r; int n; };

static void add_choice(void *arg, const struct place_row *f)
{
	struct choices *c = arg;
	set_record(c->r, arena_printf(c->r->a, "Choices.%d", c->n++), f);
}

/* The records the application may take now, and how many it must wait for. */
static void fill_choices(struct req *r, const struct app_info *a, long long now)
{
	struct place_app pa = {a->id, a->district, a->year, a->language, a->status};
	struct choices c = {r, 0};
	/* A voucher (voucher.h): while it waits for consent nothing is taken
	 * with it; once confirmed, any place it may take in the district. */
	struct vch_info v;
	if (vch_of_app(a->id, now, &v) > 0 && (v.pending || v.choosing)) {
		view_set(r, "Voucher.text", view_tf(r, v.pending ? "Voucher.choose_pending" : "Voucher.choose_info", "date",
						    arena_datetime(r->a, v.pending ? v.consent_until : v.choose_until)));
		if (v.choosing)
			vch_each_open(&pa, r->lang, now, 500, add_choice, &c);
		view_set_int(r, "ChoicesCount", c.n);
		return;
	}
	place_each_open(&pa, r->lang, now, 500, add_choice, &c);
	view_set_int(r, "ChoicesCount", c.n);
	/* Places in their priority window: offered in queue order until the
	 * day they open to everyone. */
	long long until;
	long long n = place_waiting(&pa, now, &until);
	if (n <= 0)
		return;
	char dt[17];
	u_fmt_datetime(until, dt);
	view_set(r, "Waiting.text", arena_subst(r->a, view_t(r, "Offer.waiting_info"),
						(const char *const[]){"n", arena_printf(r->a, "%lld", n), "date", dt, NULL}));
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
	struct place_row f;
	int found = place_get(v[C_PLACE].i, now, &f);
	if (found < 0)
		return REQ_ERROR;
	if (!found)
		return req_fail(r, 404, "Places.err_no_record");
	set_record(r, "Rec", &f);
	const char *frozen = view_freeze_text(r, "Freeze.refused_choice");
	if (frozen) {
		r->status = 409;
		view_set(r, "Alert", frozen);
		return render_choose(r, &a, now);
	}
	struct place_rec p = {f.district, f.year, f.language, f.free, f.window_until};
	struct place_app pa = {a.id, a.district, a.year, a.language, a.status};
	enum place_elig e = place_eligible(&pa, &p, offer_held(a.id, f.id, now), now);
	if (e != PLACE_OK) {
		static const enum ref_err map[PLACE_ELIG__MAX] = {REF_OK, REF_NOT_QUEUED, REF_MISMATCH, REF_EXHAUSTED, REF_WINDOW};
		r->status = 409;
		view_set(r, "Alert", view_t(r, arena_printf(r->a, "Ref.err_%s", ref_err_names[map[e]])));
		return render_choose(r, &a, now);
	}
	/* The deadline the referral would get if issued now. */
	long long dl = ref_deadline(now);
	if (dl < 0)
		return REQ_ERROR;
	char d[11];
	u_fmt_date(dl, d);
	view_set(r, "Confirm.deadline", d);
	view_set(r, "Confirm.warning",
		 arena_subst(r->a, view_t(r, "Places.confirm_choice_warning"),
			     (const char *const[]){"days", arena_printf(r->a, "%d", ref_deadline_days()), "date", d, NULL}));
	if (benefit_needs_check(a.benefit, benefit_confirm_first())) {
		/* The benefit is confirmed first (benefit.h): its due date, where. */
		char due[11];
		u_fmt_date(benefit_due(now), due);
		const char *kv[] = {"district", view_district_name(r, a.district), "date", due, NULL};
		view_set(r, "Confirm.benefit", arena_subst(r->a, view_t(r, "BenefitCheck.hint_parent"), kv));
	}
	view_set(r, "Confirm.open", "1");
	return view_render(r, "places_choose.cs") < 0 ? REQ_ERROR : REQ_OK;
}

/* The referral's PDF (referral.h, THE PDF), made by this worker right
 * after the response of the choice (req_after). */
static void make_pdf(long long referral_id)
{
	if (ref_make_pdf(referral_id) < 0)
		log_err("the PDF of referral %lld was not made now; `kgctl tick` makes it", referral_id);
}

static int page_issue(struct req *r)
{
	struct vval v[C__MAX];
	if (val_form(r, choose_fields, C__MAX, v))
		return req_fail(r, 404, "Places.err_no_record");
	struct ref_issued out;
	enum ref_err e = ref_issue(req_actor(r, ROLE_CITIZEN), r->a, r->lang, v[C_APP].i, v[C_PLACE].i, &out);
	if (e == REF_OK) {
		req_after(make_pdf, out.id);
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
	const char *msg = e == REF_FROZEN ? view_freeze_text(r, "Freeze.refused_choice") : NULL;
	if (!msg)
		msg = view_t(r, arena_printf(r->a, "Ref.err_%s", ref_err_names[e]));
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
	req_after_run(make_pdf, id);
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
		"SELECT CASE ? WHEN 'kk' THEN d.name_kk ELSE d.name_ru END, "
		"  d.address, d.kind, d.phone, f.group_year, f.language, a.number, "
		"  c.surname || ' ' || c.name || CASE WHEN c.patronymic <> '' THEN ' ' || c.patronymic ELSE '' END, "
		"  (SELECT count(*) FROM document x WHERE x.referral_id = r.id AND x.kind = 'referral' AND x.origin = 'system'), "
		"  a.status, a.id, EXISTS (SELECT 1 FROM referral_pdf_due p WHERE p.referral_id = r.id) "
		"FROM referral r JOIN application a ON a.id = r.application_id JOIN child c ON c.id = a.child_id "
		"JOIN ddo d ON d.id = r.ddo_id JOIN free_place f ON f.id = r.free_place_id "
		"WHERE r.id = ? AND a.applicant_id = ?", "tII", r->lang, id, req_account(r));
	struct ref_info ref;
	if (!db_row(st) || ref_get(id, now, &ref) <= 0) {
		db_done(st);
		return req_fail(r, 404, "Places.err_no_referral");
	}
	char dt[17], d[11];
	const char *status = ref_status_names[ref.status];
	view_set_int(r, "Ref.id", id);
	view_set(r, "Ref.number", ref.number);
	view_set(r, "Ref.status", status);
	view_set(r, "Ref.statusText", view_t(r, arena_printf(r->a, "Places.RefStatus.%s", status)));
	u_fmt_datetime(ref.issued_at, dt);
	view_set(r, "Ref.issued", dt);
	u_fmt_date(ref.deadline_at, d);
	view_set(r, "Ref.deadline", d);
	if (ref.status == REF_ST_ISSUED) {
		int left = wd_days_left(now, ref.deadline_at);
		view_set(r, "Ref.daysLeft", view_tf(r, "Places.days_left", "n", arena_printf(r->a, "%d", left < 0 ? 0 : left)));
	}
	if (ref.status == REF_ST_ISSUED && ref.benefit_pending) {
		/* Its benefit is confirmed first (benefit.h): the deadline is the
		 * confirmation's, the documents come after it. */
		view_set(r, "Ref.status", "benefit_pending");
		view_set(r, "Ref.statusText", view_t(r, "BenefitCheck.status"));
		int district = (int)db_int("SELECT district_id FROM application WHERE id = ?", 0, "I", ref.application_id);
		const char *kv[] = {"district", view_district_name(r, district), "date", d, NULL};
		view_set(r, "Ref.benefitHint", arena_subst(r->a, view_t(r, "BenefitCheck.hint_parent"), kv));
	}
	view_set(r, "Ref.ddo", db_col(st, 0));
	view_set(r, "Ref.address", db_col(st, 1));
	view_set(r, "Ref.kind", view_t(r, arena_printf(r->a, "Places.Kind.%s", db_col(st, 2))));
	view_set(r, "Ref.phone", db_col(st, 3));
	view_set_int(r, "Ref.year", sqlite3_column_int(st, 4));
	view_set(r, "Ref.lang", view_t(r, arena_printf(r->a, "Places.Lang.%s", db_col(st, 5))));
	view_set(r, "Ref.application", db_col(st, 6));
	view_set(r, "Ref.child", db_col(st, 7));
	if (sqlite3_column_int(st, 8))
		view_set(r, "Ref.pdf", "1");
	else if (sqlite3_column_int(st, 11))
		view_set(r, "Ref.pdfPending", "1");   /* made right after the choice (referral.h) */
	const char *reason = "";
	const char *app_status = ref_app_status(sqlite3_column_int64(st, 10), db_col(st, 9), now, &reason);
	view_set(r, "Ref.appStatusText",
		 app_status ? view_t(r, arena_printf(r->a, "Places.AppStatus.%s", app_status)) : "");
	view_set_int(r, "Ref.appId", sqlite3_column_int64(st, 10));
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
	size_t n;
	unsigned char *p = doc_read(sha, &n);
	if (!p)
		return 404;
	int rc = req_send(r, mime, p, n, name);
	free(p);
	return rc;
}

/* ---- the distribution protocols (protocol.h): public ---- */

struct proto_fill { struct req *r; int n; };

static void proto_row(void *arg, const struct proto_event *e)
{
	struct proto_fill *f = arg;
	struct req *r = f->r;
	HDF *row = view_row(r, "Events", f->n++);
	char dt[17];
	u_fmt_datetime(e->at, dt);
	view_row_set_int(row, "no", f->n);
	view_row_set(row, "time", dt);
	view_row_set(row, "event", proto_ev_names[e->kind]);
	view_row_set(row, "eventText", view_t(r, arena_printf(r->a, "Proto.ev.%s", proto_ev_names[e->kind])));
	if (e->offer_no)
		view_row_set_int(row, "offerNo", e->offer_no);
	view_row_set(row, "number", e->number);
	view_row_set(row, "category", e->category);
	/* A category this build has no words for (a transfer's) is shown as its code. */
	const char *ck = arena_printf(r->a, "Proto.cat.%s", e->category);
	view_row_set(row, "categoryText", view_has(r, ck) ? view_t(r, ck) : e->category);
	if (e->position)
		view_row_set_int(row, "position", e->position);
}

static int page_protocol(struct req *r)
{
	long long now = now_refreshed();
	struct proto_rec rec;
	int found = proto_record(r->iarg[0], now, &rec);
	if (found < 0)
		return REQ_ERROR;
	if (!found)
		return req_fail(r, 404, "Places.err_no_record");
	char d[17];
	set_record(r, "Rec", &rec.p);
	u_fmt_datetime(rec.created_at, d);
	view_set(r, "Rec.created", d);
	view_set(r, "Rec.district", view_district_name(r, rec.p.district));
	view_set_int(r, "Rec.districtCode", rec.p.district);
	int y, m, day;
	cal_ymd_from_days(cal_day_from_unix(rec.created_at), &y, &m, &day);
	view_setf(r, "Rec.month", "%04d-%02d", y, m);
	struct proto_fill f = {r, 0};
	if (proto_events(rec.p.id, proto_row, &f) < 0)
		return REQ_ERROR;
	return view_render(r, "places_protocol.cs") < 0 ? REQ_ERROR : REQ_OK;
}

static int send_buf(struct req *r, const char *ctype, struct buf *b, const char *name)
{
	int rc = req_send(r, ctype, b->s ? b->s : "", b->len, name);
	buf_free(b);
	return rc;
}

static int page_protocol_csv(struct req *r)
{
	long long now = now_refreshed();
	struct buf b = {0};
	long long id = r->iarg[0];
	if (!db_int("SELECT count(*) FROM free_place WHERE id = ?", 0, "I", id))
		return req_fail(r, 404, "Places.err_no_record");
	if (proto_csv(&id, 1, r->lang, now, &b) < 0) {
		buf_free(&b);
		return REQ_ERROR;
	}
	return send_buf(r, "text/csv; charset=utf-8", &b, arena_printf(r->a, "protocol-%lld.csv", id));
}

static int page_protocol_json(struct req *r)
{
	long long now = now_refreshed();
	struct buf b = {0};
	int rc = proto_json(r->iarg[0], r->lang, now, &b);
	if (rc) {
		buf_free(&b);
		return rc > 0 ? req_fail(r, 404, "Places.err_no_record") : REQ_ERROR;
	}
	return send_buf(r, "application/json; charset=utf-8", &b, NULL);
}

/* A district's protocols of a month in one CSV: ?district=KATO&month=YYYY-MM. */
static int page_protocols(struct req *r)
{
	static const struct vfield fields[] = {
		{"district", V_INT, VF_REQUIRED, 1000, 9999, NULL},
		{"month", V_TOKEN, VF_REQUIRED, 7, 7, NULL},
	};
	struct vval v[2];
	long long y, m;
	if (val_form(r, fields, 2, v) || !view_district_name(r, (int)v[0].i) || v[1].s[4] != '-' ||
	    u_strtoll(arena_strndup(r->a, v[1].s, 4), 2000, 2100, &y) < 0 || u_strtoll(v[1].s + 5, 1, 12, &m) < 0)
		return req_fail(r, 404, "Proto.err_month");
	long long now = now_refreshed();
	enum { MAXREC = 5000 };
	long long *ids = arena_alloc(r->a, MAXREC * sizeof *ids);
	int n = ids ? proto_month_records((int)v[0].i, (int)y, (int)m, ids, MAXREC) : -1;
	struct buf b = {0};
	if (n < 0 || proto_csv(ids, n, r->lang, now, &b) < 0) {
		buf_free(&b);
		return REQ_ERROR;
	}
	return send_buf(r, "text/csv; charset=utf-8", &b,
			arena_printf(r->a, "protocols-%lld-%04lld-%02lld.csv", v[0].i, y, m));
}

static const struct route routes[] = {
	{M_GET, "/places", ROLE_ANY, page_list, RF_CACHE},
	{M_GET, "/places/add", ROLE_STAFF, page_add_form, 0},
	{M_POST, "/places/add", ROLE_STAFF, page_add, 0},
	{M_GET, "/places/choose", ROLE_CITIZEN, page_choose, 0},
	{M_GET, "/places/choose/confirm", ROLE_CITIZEN, page_confirm, 0},
	{M_POST, "/places/choose", ROLE_CITIZEN, page_issue, 0},
	{M_GET, "/places/referral/%d", ROLE_CITIZEN, page_referral, 0},
	{M_GET, "/places/referral/%d/pdf", ROLE_CITIZEN, page_referral_pdf, 0},
	{M_GET, "/places/protocol/%d", ROLE_ANY, page_protocol, RF_CACHE},
	{M_GET, "/places/protocol/%d.csv", ROLE_ANY, page_protocol_csv, RF_CACHE},
	{M_GET, "/places/protocol/%d.json", ROLE_ANY, page_protocol_json, RF_CACHE},
	{M_GET, "/places/protocols", ROLE_ANY, page_protocols, RF_CACHE},
};

int main(int argc, char **argv)
{
	static const struct app app = {"places", routes, NROUTES(routes), init};
	return req_main(argc, argv, &app);
}
