/*
 * stats — the public statistics (Просмотр статистики, /stats), for the
 * chosen district or the whole region:
 *   - applications in the queue by group year and category, and by
 *     language (from the queue counters of migration 020: no scan);
 *   - free-place records by status (waiting / free choice / exhausted) with
 *     their places, the status as of now (a window that has ended is free
 *     choice even before the timed job stores it);
 *   - referrals issued, enrolled, refused and annulled per month, the last
 *     twelve months;
 *   - DDOs by kind with their capacity;
 *   - vouchers issued, confirmed, lapsed, restored and refused (voucher.h).
 * Each as a table, a server-drawn SVG chart (no script, CSP-safe: classes
 * and presentation attributes only) and a CSV download (UTF-8 with a BOM
 * and ';' between fields, so Excel with a Russian or Kazakh locale opens it
 * as it is).
 *
 *   GET /stats?d=all|<district>            the page (default: the chosen district)
 *   GET /stats/csv/<table>?d=...           queue_years, queue_languages, places, referrals, ddo
 *
 * Cost. The figures come from counters kept by triggers and a few indexed
 * scans; the page is public (RF_CACHE), so the web server computes it at
 * most once a second per URL however many visitors ask.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cal.h"
#include "base/db.h"
#include "domain/place.h"
#include "domain/queue.h"
#include "domain/voucher.h"
#include "web/req.h"
#include "base/util.h"
#include "web/val.h"
#include "web/view.h"

enum part { P_QUEUE, P_PLACES, P_REFERRALS, P_DDO, P__MAX };
/* Where each part is shown. */
static const char *const part_keys[P__MAX] = {"Stats.queue", "Stats.places", "Stats.referrals", "Stats.ddo"};

static const char *const ddo_kinds[] = {"state", "private_subsidised", "mini_centre"};
static const char *const ref_series[] = {"issued", "enrolled", "refused", "annulled"};
#define NMONTHS 12

/* ---- charts: geometry computed here, drawn by templates/stats.cs ---- */

#define CW 640
#define CH 240
#define CL 56
#define CR 12
#define CT 12
#define CB 40

static long long nice_step(long long max)
{
	long long raw = (max + 3) / 4, p = 1;
	if (raw < 1)
		return 1;
	while (p * 10 <= raw)
		p *= 10;
	for (;;) {
		if (p >= raw)
			return p;
		if (2 * p >= raw)
			return 2 * p;
		if (5 * p >= raw)
			return 5 * p;
		p *= 10;
	}
}

static void setf(HDF *h, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void setf(HDF *h, const char *key, const char *fmt, ...)
{
	char v[128];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v, sizeof v, fmt, ap);
	va_end(ap);
	hdf_set_value(h, key, v);
}

/* A bar chart under key: n bars labelled labels[i] (codes the template
 * translates), ns series of class cls[s], values v[i * ns + s]; stacked or
 * side by side. Writes key.w/.h, key.grid.K.{y,label}, key.bars.I.{label,
 * lx,ly,total,tx,ty} and key.bars.I.s.S.{x,y,w,h,cls,value}. */
static void chart(HDF *h, const char *key, int n, char labels[][32], int ns, const char *const *codes,
		  const char *const *cls, const long long *v, int stacked)
{
	char k[160];
	long long max = 0;
	for (int i = 0; i < n; i++) {
		long long sum = 0;
		for (int s = 0; s < ns; s++) {
			sum += v[i * ns + s];
			if (!stacked && v[i * ns + s] > max)
				max = v[i * ns + s];
		}
		if (stacked && sum > max)
			max = sum;
	}
	long long step = nice_step(max), top = step * 4;
	double pw = CW - CL - CR, ph = CH - CT - CB;
	snprintf(k, sizeof k, "%s.w", key);
	setf(h, k, "%d", CW);
	snprintf(k, sizeof k, "%s.h", key);
	setf(h, k, "%d", CH);
	snprintf(k, sizeof k, "%s.x0", key);
	setf(h, k, "%d", CL);
	snprintf(k, sizeof k, "%s.x1", key);
	setf(h, k, "%d", CW - CR);
	for (int g = 0; g <= 4; g++) {
		snprintf(k, sizeof k, "%s.grid.%d.y", key, g);
		setf(h, k, "%.1f", CT + ph - ph * g / 4);
		snprintf(k, sizeof k, "%s.grid.%d.ty", key, g);
		setf(h, k, "%.1f", CT + ph - ph * g / 4 + 4);
		snprintf(k, sizeof k, "%s.grid.%d.label", key, g);
		setf(h, k, "%lld", step * g);
	}
	snprintf(k, sizeof k, "%s.tx", key);
	setf(h, k, "%d", CL - 6);
	double slot = n ? pw / n : pw;
	double bw = stacked ? slot * 0.6 : slot * 0.8 / (ns ? ns : 1);
	for (int s = 0; s < ns; s++) {
		snprintf(k, sizeof k, "%s.legend.%d.code", key, s);
		hdf_set_value(h, k, codes[s]);
		snprintf(k, sizeof k, "%s.legend.%d.cls", key, s);
		hdf_set_value(h, k, cls[s]);
	}
	for (int i = 0; i < n; i++) {
		double x0 = CL + slot * i + (stacked ? slot * 0.2 : slot * 0.1), base = CT + ph;
		long long total = 0;
		for (int s = 0; s < ns; s++) {
			long long val = v[i * ns + s];
			double bh = top ? ph * (double)val / (double)top : 0;
			double x = stacked ? x0 : x0 + bw * s;
			double y = stacked ? base - bh : CT + ph - bh;
			if (stacked)
				base -= bh;
			total += val;
			snprintf(k, sizeof k, "%s.bars.%d.s.%d.x", key, i, s);
			setf(h, k, "%.1f", x);
			snprintf(k, sizeof k, "%s.bars.%d.s.%d.y", key, i, s);
			setf(h, k, "%.1f", y);
			snprintf(k, sizeof k, "%s.bars.%d.s.%d.w", key, i, s);
			setf(h, k, "%.1f", bw > 1 ? bw - 1 : bw);
			snprintf(k, sizeof k, "%s.bars.%d.s.%d.h", key, i, s);
			setf(h, k, "%.1f", bh);
			snprintf(k, sizeof k, "%s.bars.%d.s.%d.cls", key, i, s);
			hdf_set_value(h, k, cls[s]);
			snprintf(k, sizeof k, "%s.bars.%d.s.%d.code", key, i, s);
			hdf_set_value(h, k, codes[s]);
			snprintf(k, sizeof k, "%s.bars.%d.s.%d.value", key, i, s);
			setf(h, k, "%lld", val);
		}
		snprintf(k, sizeof k, "%s.bars.%d.label", key, i);
		hdf_set_value(h, k, labels[i]);
		snprintf(k, sizeof k, "%s.bars.%d.lx", key, i);
		setf(h, k, "%.1f", CL + slot * i + slot / 2);
		snprintf(k, sizeof k, "%s.bars.%d.ly", key, i);
		setf(h, k, "%d", CH - CB + 16);
		snprintf(k, sizeof k, "%s.bars.%d.total", key, i);
		setf(h, k, "%lld", total);
		if (stacked) {
			snprintf(k, sizeof k, "%s.bars.%d.ty", key, i);
			setf(h, k, "%.1f", base - 4);
		}
	}
}

/* ---- the parts ---- */

static const char *const cat_cls[QB__MAX] = {"s-out_of_turn", "s-first_priority", "s-none"};

static void part_queue(HDF *h, int scope)
{
	/* Group years and languages as they come; at most a few dozen rows. */
	struct { int year; long long v[QB__MAX]; } years[32];
	struct { char code[4]; long long v[QB__MAX]; } langs[3];
	int ny = 0;
	memset(langs, 0, sizeof langs);
	for (int l = 0; l < 3; l++)
		snprintf(langs[l].code, sizeof langs[l].code, "%s", queue_languages[l]);
	sqlite3_stmt *st = scope
		? db_query("SELECT group_year, rank, language, sum(n) FROM queue_count WHERE district_id = ? "
			   "GROUP BY group_year, rank, language ORDER BY group_year", "i", scope)
		: db_query("SELECT group_year, rank, language, sum(n) FROM queue_count "
			   "GROUP BY group_year, rank, language ORDER BY group_year", NULL);
	long long tot[QB__MAX] = {0};
	while (db_row(st)) {
		int year = sqlite3_column_int(st, 0), rank = sqlite3_column_int(st, 1);
		const char *lang = db_col(st, 2);
		long long n = sqlite3_column_int64(st, 3);
		if (rank < 0 || rank >= QB__MAX || n <= 0)
			continue;
		if (!ny || years[ny - 1].year != year) {
			if (ny == 32)
				continue;
			memset(&years[ny], 0, sizeof years[ny]);
			years[ny++].year = year;
		}
		years[ny - 1].v[rank] += n;
		for (int l = 0; l < 3; l++)
			if (strcmp(lang, langs[l].code) == 0)
				langs[l].v[rank] += n;
		tot[rank] += n;
	}
	db_done(st);
	char k[96], labels[32][32];
	long long vals[32 * QB__MAX];
	for (int i = 0; i < ny; i++) {
		long long sum = 0;
		snprintf(k, sizeof k, "years.%d.code", i);
		setf(h, k, "%d", years[i].year);
		snprintf(labels[i], sizeof labels[i], "%d", years[i].year);
		for (int c = 0; c < QB__MAX; c++) {
			snprintf(k, sizeof k, "years.%d.%s", i, queue_benefit_names[c]);
			setf(h, k, "%lld", years[i].v[c]);
			vals[i * QB__MAX + c] = years[i].v[c];
			sum += years[i].v[c];
		}
		snprintf(k, sizeof k, "years.%d.total", i);
		setf(h, k, "%lld", sum);
	}
	long long all = 0;
	for (int c = 0; c < QB__MAX; c++) {
		snprintf(k, sizeof k, "total.%s", queue_benefit_names[c]);
		setf(h, k, "%lld", tot[c]);
		all += tot[c];
	}
	setf(h, "total.total", "%lld", all);
	chart(h, "chart_years", ny, labels, QB__MAX, queue_benefit_names, cat_cls, vals, 1);
	for (int l = 0; l < 3; l++) {
		long long sum = 0;
		snprintf(k, sizeof k, "langs.%d.code", l);
		hdf_set_value(h, k, langs[l].code);
		snprintf(labels[l], sizeof labels[l], "%.3s", langs[l].code);
		for (int c = 0; c < QB__MAX; c++) {
			snprintf(k, sizeof k, "langs.%d.%s", l, queue_benefit_names[c]);
			setf(h, k, "%lld", langs[l].v[c]);
			vals[l * QB__MAX + c] = langs[l].v[c];
			sum += langs[l].v[c];
		}
		snprintf(k, sizeof k, "langs.%d.total", l);
		setf(h, k, "%lld", sum);
	}
	chart(h, "chart_langs", 3, labels, QB__MAX, queue_benefit_names, cat_cls, vals, 1);
}

/* Records, places and free places by status at now (place_tally). */
static int part_places(HDF *h, int scope, long long now)
{
	struct place_tally t[PLACE_STATUS__MAX];
	if (place_tally(scope, now, t) < 0)
		return -1;
	char k[64], labels[PLACE_STATUS__MAX][32];
	long long vals[PLACE_STATUS__MAX * 2];
	static const char *const cls[2] = {"s-places", "s-free"};
	static const char *const codes[2] = {"places", "free"};
	long long t_rec = 0, t_total = 0, t_free = 0;
	for (int s = 0; s < PLACE_STATUS__MAX; s++) {
		snprintf(k, sizeof k, "rows.%d.code", s);
		hdf_set_value(h, k, place_status_names[s]);
		snprintf(k, sizeof k, "rows.%d.records", s);
		setf(h, k, "%lld", t[s].records);
		snprintf(k, sizeof k, "rows.%d.places", s);
		setf(h, k, "%lld", t[s].places);
		snprintf(k, sizeof k, "rows.%d.free", s);
		setf(h, k, "%lld", t[s].free);
		snprintf(labels[s], sizeof labels[s], "%s", place_status_names[s]);
		vals[s * 2] = t[s].places;
		vals[s * 2 + 1] = t[s].free;
		t_rec += t[s].records;
		t_total += t[s].places;
		t_free += t[s].free;
	}
	setf(h, "total.records", "%lld", t_rec);
	setf(h, "total.places", "%lld", t_total);
	setf(h, "total.free", "%lld", t_free);
	chart(h, "chart", PLACE_STATUS__MAX, labels, 2, codes, cls, vals, 0);
	return 0;
}

/* The first day (local) of the month n months after the one holding day. */
static int month_start(int day, int n)
{
	int y, m, d;
	cal_ymd_from_days(day, &y, &m, &d);
	int mm = y * 12 + (m - 1) + n;
	return cal_days_from_ymd(mm / 12, mm % 12 + 1, 1);
}

/* Returns the start of the next month (when the twelve months move on). */
static long long part_referrals(HDF *h, int scope, long long now)
{
	int today = cal_day_from_unix(now);
	long long from = cal_unix_from_day(month_start(today, -(NMONTHS - 1)));
	long long v[NMONTHS * 4];
	memset(v, 0, sizeof v);
	int first_y, first_m, dd;
	cal_ymd_from_days(cal_day_from_unix(from), &first_y, &first_m, &dd);
	int base = first_y * 12 + first_m - 1;
	/* Four lists of times (issued, enrolled, refused, annulled), each
	 * counted into its month. */
	for (int s = 0; s < 4; s++) {
		sqlite3_stmt *st;
		if (s == 0)
			st = scope
				? db_query("SELECT r.issued_at FROM ddo d JOIN referral r ON r.ddo_id = d.id "
					   "WHERE d.district_id = ? AND r.issued_at >= ?", "iI", scope, from)
				: db_query("SELECT issued_at FROM referral WHERE issued_at >= ?", "I", from);
		else if (s == 1)
			st = scope
				? db_query("SELECT e.enrolled_at FROM ddo d JOIN enrollment e ON e.ddo_id = d.id "
					   "WHERE d.district_id = ? AND e.enrolled_at >= ?", "iI", scope, from)
				: db_query("SELECT enrolled_at FROM enrollment WHERE enrolled_at >= ?", "I", from);
		else if (s == 2)
			st = scope
				? db_query("SELECT refused_at FROM refusal WHERE district_id = ? AND refused_at >= ?", "iI",
					   scope, from)
				: db_query("SELECT refused_at FROM refusal WHERE refused_at >= ?", "I", from);
		else
			st = scope
				? db_query("SELECT r.closed_at FROM ddo d JOIN referral r ON r.ddo_id = d.id "
					   "WHERE d.district_id = ? AND r.status = 'annulled' AND r.closed_at >= ?", "iI", scope,
					   from)
				: db_query("SELECT closed_at FROM referral WHERE status = 'annulled' AND closed_at >= ?", "I",
					   from);
		while (db_row(st)) {
			int y, m, d;
			cal_ymd_from_days(cal_day_from_unix(sqlite3_column_int64(st, 0)), &y, &m, &d);
			int idx = y * 12 + m - 1 - base;
			if (idx >= 0 && idx < NMONTHS)
				v[idx * 4 + s]++;
		}
		db_done(st);
	}
	char k[64], labels[NMONTHS][32];
	static const char *const cls[4] = {"s-issued", "s-enrolled", "s-refused", "s-annulled"};
	long long tot[4] = {0};
	for (int i = 0; i < NMONTHS; i++) {
		int mm = base + i;
		snprintf(k, sizeof k, "rows.%d.code", i);
		setf(h, k, "%02d.%04d", mm % 12 + 1, mm / 12);
		/* The chart's axis has room for "mm.yy" under each month. */
		snprintf(labels[i], sizeof labels[i], "%02d.%02d", mm % 12 + 1, mm / 12 % 100);
		for (int s = 0; s < 4; s++) {
			snprintf(k, sizeof k, "rows.%d.%s", i, ref_series[s]);
			setf(h, k, "%lld", v[i * 4 + s]);
			tot[s] += v[i * 4 + s];
		}
	}
	for (int s = 0; s < 4; s++) {
		snprintf(k, sizeof k, "total.%s", ref_series[s]);
		setf(h, k, "%lld", tot[s]);
	}
	chart(h, "chart", NMONTHS, labels, 4, ref_series, cls, v, 0);
	return cal_unix_from_day(month_start(today, 1));
}

static void part_ddo(HDF *h, int scope)
{
	long long count[3] = {0}, cap[3] = {0};
	sqlite3_stmt *st = scope
		? db_query("SELECT kind, count(*), sum(capacity) FROM ddo WHERE active = 1 AND district_id = ? GROUP BY kind",
			   "i", scope)
		: db_query("SELECT kind, count(*), sum(capacity) FROM ddo WHERE active = 1 GROUP BY kind", NULL);
	while (db_row(st)) {
		for (int i = 0; i < 3; i++)
			if (strcmp(db_col(st, 0), ddo_kinds[i]) == 0) {
				count[i] = sqlite3_column_int64(st, 1);
				cap[i] = sqlite3_column_int64(st, 2);
			}
	}
	db_done(st);
	char k[64], labels[3][32];
	long long vals[3], t_count = 0, t_cap = 0;
	static const char *const cls[1] = {"s-capacity"};
	static const char *const codes[1] = {"capacity"};
	for (int i = 0; i < 3; i++) {
		snprintf(k, sizeof k, "rows.%d.code", i);
		hdf_set_value(h, k, ddo_kinds[i]);
		snprintf(k, sizeof k, "rows.%d.count", i);
		setf(h, k, "%lld", count[i]);
		snprintf(k, sizeof k, "rows.%d.capacity", i);
		setf(h, k, "%lld", cap[i]);
		snprintf(labels[i], sizeof labels[i], "%s", ddo_kinds[i]);
		vals[i] = cap[i];
		t_count += count[i];
		t_cap += cap[i];
	}
	setf(h, "total.count", "%lld", t_count);
	setf(h, "total.capacity", "%lld", t_cap);
	chart(h, "chart", 3, labels, 1, codes, cls, vals, 0);
}

/* ---- the scope: ?d=all, ?d=<district>, or the chosen district ---- */

static int read_scope(struct req *r, int *scope)
{
	const char *d = req_param(r, "d");
	if (!d || !*d) {
		*scope = r->district;
		return 0;
	}
	if (strcmp(d, "all") == 0) {
		*scope = 0;
		return 0;
	}
	long long v;
	if (u_strtoll(d, 1000, 9999, &v) < 0 || !view_district_name(r, (int)v))
		return -1;
	*scope = (int)v;
	return 0;
}

/* The figures of parts from..to (inclusive) under Stats.<part>, all from
 * one snapshot; the node of the last, or NULL on an error. */
static HDF *figures(struct req *r, int scope, enum part from, enum part to)
{
	long long now = u_now();
	HDF *h = NULL;
	int failed = 0;
	if (db_exec("BEGIN", NULL) != SQLITE_DONE)
		return NULL;
	for (enum part p = from; p <= to; p++) {
		if (!(h = view_node(r, part_keys[p])))
			break;
		switch (p) {
		case P_QUEUE: part_queue(h, scope); break;
		case P_PLACES: failed |= part_places(h, scope, now) < 0; break;
		case P_REFERRALS: part_referrals(h, scope, now); break;
		case P_DDO: part_ddo(h, scope); break;
		case P__MAX: break;
		}
	}
	return db_exec("COMMIT", NULL) == SQLITE_DONE && !failed ? h : NULL;
}

/* Vouchers issued, confirmed, lapsed, restored and refused, under
 * Stats.vouchers (voucher.h). 0 or -1. */
static int fill_vouchers(struct req *r, int scope)
{
	struct vch_tally t;
	if (vch_tally(scope, &t) < 0)
		return -1;
	view_set_int(r, "Stats.vouchers.issued", t.issued);
	view_set_int(r, "Stats.vouchers.confirmed", t.confirmed);
	view_set_int(r, "Stats.vouchers.lapsed", t.lapsed);
	view_set_int(r, "Stats.vouchers.restored", t.restored);
	view_set_int(r, "Stats.vouchers.refused", t.refused);
	return 0;
}

static int page(struct req *r)
{
	int scope;
	if (read_scope(r, &scope) < 0)
		return 404;
	if (!figures(r, scope, P_QUEUE, P_DDO) || fill_vouchers(r, scope) < 0)
		return 500;
	if (scope) {
		view_set_int(r, "Stats.scope", scope);
		view_set(r, "Stats.scope_name", view_district_name(r, scope));
		view_setf(r, "Stats.d", "%d", scope);
	} else {
		view_set(r, "Stats.d", "all");
	}
	return view_render(r, "stats.cs") < 0 ? REQ_ERROR : REQ_OK;
}

/* ---- CSV ---- */

static void csv_cell(struct buf *b, const char *s, int last)
{
	int quote = strpbrk(s, ";\"\r\n") != NULL;
	if (quote) {
		buf_addc(b, '"');
		for (; *s; s++) {
			if (*s == '"')
				buf_addc(b, '"');
			buf_addc(b, *s);
		}
		buf_addc(b, '"');
	} else {
		buf_adds(b, s);
	}
	buf_adds(b, last ? "\r\n" : ";");
}

static const char *lang_key(struct req *r, const char *prefix, const char *code)
{
	char k[96];
	snprintf(k, sizeof k, "%s.%s", prefix, code);
	return view_has(r, k) ? view_t(r, k) : code;
}

enum { T_YEARS, T_LANGS, T_PLACES, T_REFERRALS, T_DDO, T__MAX };
static const char *const tables[T__MAX] = {"queue_years", "queue_languages", "places", "referrals", "ddo"};

static int csv(struct req *r)
{
	int t = 0;
	while (t < T__MAX && strcmp(tables[t], r->sarg[0]) != 0)
		t++;
	int scope;
	if (t == T__MAX || read_scope(r, &scope) < 0)
		return 404;
	enum part p = t <= T_LANGS ? P_QUEUE : t == T_PLACES ? P_PLACES : t == T_REFERRALS ? P_REFERRALS : P_DDO;
	HDF *h = figures(r, scope, p, p);
	if (!h)
		return 500;
	struct buf b;
	buf_init(&b);
	buf_adds(&b, "\xEF\xBB\xBF");   /* BOM: Excel reads the file as UTF-8 */
	csv_cell(&b, view_t(r, "Stats.csv_scope"), 0);
	csv_cell(&b, scope ? view_district_name(r, scope) : view_t(r, "Stats.region"), 1);
	static const char *const cats[] = {"out_of_turn", "first_priority", "none", "total"};
	const char *node = t == T_YEARS ? "years" : t == T_LANGS ? "langs" : "rows";
	/* Header. */
	switch (t) {
	case T_YEARS:
	case T_LANGS:
		csv_cell(&b, view_t(r, t == T_YEARS ? "Stats.col_year" : "Stats.col_language"), 0);
		for (int c = 0; c < 4; c++)
			csv_cell(&b, lang_key(r, "Stats.cat", cats[c]), c == 3);
		break;
	case T_PLACES:
		csv_cell(&b, view_t(r, "Stats.col_status"), 0);
		csv_cell(&b, view_t(r, "Stats.col_records"), 0);
		csv_cell(&b, view_t(r, "Stats.col_places"), 0);
		csv_cell(&b, view_t(r, "Stats.col_free"), 1);
		break;
	case T_REFERRALS:
		csv_cell(&b, view_t(r, "Stats.col_month"), 0);
		for (int s = 0; s < 4; s++)
			csv_cell(&b, lang_key(r, "Stats.ref", ref_series[s]), s == 3);
		break;
	default:
		csv_cell(&b, view_t(r, "Stats.col_kind"), 0);
		csv_cell(&b, view_t(r, "Stats.col_count"), 0);
		csv_cell(&b, view_t(r, "Stats.col_capacity"), 1);
		break;
	}
	/* Rows. */
	HDF *rows = hdf_get_obj(h, node);
	for (HDF *row = rows ? hdf_obj_child(rows) : NULL; row; row = hdf_obj_next(row)) {
		const char *code = hdf_get_value(row, "code", "");
		switch (t) {
		case T_YEARS:
		case T_LANGS:
			csv_cell(&b, t == T_YEARS ? code : lang_key(r, "Queue.lang", code), 0);
			for (int c = 0; c < 4; c++)
				csv_cell(&b, hdf_get_value(row, cats[c], "0"), c == 3);
			break;
		case T_PLACES:
			csv_cell(&b, lang_key(r, "Stats.place", code), 0);
			csv_cell(&b, hdf_get_value(row, "records", "0"), 0);
			csv_cell(&b, hdf_get_value(row, "places", "0"), 0);
			csv_cell(&b, hdf_get_value(row, "free", "0"), 1);
			break;
		case T_REFERRALS:
			csv_cell(&b, code, 0);
			for (int s = 0; s < 4; s++)
				csv_cell(&b, hdf_get_value(row, ref_series[s], "0"), s == 3);
			break;
		default:
			csv_cell(&b, lang_key(r, "Queue.kind_long", code), 0);
			csv_cell(&b, hdf_get_value(row, "count", "0"), 0);
			csv_cell(&b, hdf_get_value(row, "capacity", "0"), 1);
			break;
		}
	}
	/* The total line (the languages' total is the years' one). */
	if (t != T_LANGS) {
		csv_cell(&b, view_t(r, "Stats.total"), 0);
		HDF *tot = hdf_get_obj(h, "total");
		switch (t) {
		case T_YEARS:
			for (int c = 0; c < 4; c++)
				csv_cell(&b, hdf_get_value(tot, cats[c], "0"), c == 3);
			break;
		case T_PLACES:
			csv_cell(&b, hdf_get_value(tot, "records", "0"), 0);
			csv_cell(&b, hdf_get_value(tot, "places", "0"), 0);
			csv_cell(&b, hdf_get_value(tot, "free", "0"), 1);
			break;
		case T_REFERRALS:
			for (int s = 0; s < 4; s++)
				csv_cell(&b, hdf_get_value(tot, ref_series[s], "0"), s == 3);
			break;
		default:
			csv_cell(&b, hdf_get_value(tot, "count", "0"), 0);
			csv_cell(&b, hdf_get_value(tot, "capacity", "0"), 1);
			break;
		}
	}
	char name[64];
	if (scope)
		snprintf(name, sizeof name, "stats-%s-%d.csv", tables[t], scope);
	else
		snprintf(name, sizeof name, "stats-%s-region.csv", tables[t]);
	int rc = req_send(r, "text/csv; charset=utf-8", b.s, b.len, name);
	buf_free(&b);
	return rc;
}

/* The figures are computed from the counters and a few indexed scans and
 * then kept (the library's small SQLite cache is plenty); freed at exit
 * for the leak checks. */
static const struct route routes[] = {
	{M_GET, "/stats", ROLE_ANY, page, RF_CACHE},
	{M_GET, "/stats/csv/%s", ROLE_ANY, csv, 0},
};

int main(int argc, char **argv)
{
	static const struct app app = {"stats", routes, NROUTES(routes), NULL};
	return req_main(argc, argv, &app);
}
