/* protocol.c — see protocol.h. */
#include "domain/protocol.h"

#include <stdio.h>
#include <string.h>

#include "base/cal.h"
#include "base/db.h"
#include "base/log.h"
#include "domain/qhist.h"

const char *const proto_ev_names[PROTO_EV__MAX + 1] = {"offered", "accepted", "declined", "lapsed", "referred",
						       "free_choice", "returned", NULL};

int proto_record(long long id, long long now, struct proto_rec *out)
{
	memset(out, 0, sizeof *out);
	int found = place_get(id, now, &out->p);
	if (found <= 0)
		return found;
	out->created_at = db_int("SELECT created_at FROM free_place WHERE id = ?", 0, "I", id);
	return 1;
}

int proto_events(long long place_id, void (*fn)(void *arg, const struct proto_event *e), void *arg)
{
	/* Every event of the record with its tie order at one moment (see
	 * protocol.h): closings 0, referrals 1, places returned 2, offers 3;
	 * then the offer's or the referral's id. */
	sqlite3_stmt *st = db_query(
		"SELECT at, kind, offer_no, number, category, position FROM ("
		"  SELECT o.offered_at AS at, 0 AS kind, 3 AS tie, o.id AS seq, "
		"    (SELECT count(*) FROM offer y WHERE y.place_id = o.place_id AND y.id <= o.id) AS offer_no, "
		"    a.number AS number, o.category AS category, coalesce(o.position, 0) AS position "
		"  FROM offer o JOIN application a ON a.id = o.application_id WHERE o.place_id = ? "
		"  UNION ALL "
		"  SELECT o.closed_at, CASE o.status WHEN 'accepted' THEN 1 WHEN 'declined' THEN 2 ELSE 3 END, 0, o.id, "
		"    (SELECT count(*) FROM offer y WHERE y.place_id = o.place_id AND y.id <= o.id), "
		"    a.number, o.category, coalesce(o.position, 0) "
		"  FROM offer o JOIN application a ON a.id = o.application_id WHERE o.place_id = ? AND o.status <> 'open' "
		"  UNION ALL "
		"  SELECT r.issued_at, CASE WHEN x.id IS NULL THEN 5 ELSE 4 END, 1, r.id, "
		"    coalesce((SELECT count(*) FROM offer y WHERE y.place_id = x.place_id AND y.id <= x.id), 0), "
		"    a.number, coalesce(x.category, a.benefit), 0 "
		"  FROM referral r JOIN application a ON a.id = r.application_id "
		"  LEFT JOIN offer x ON x.place_id = r.free_place_id AND x.application_id = r.application_id "
		"    AND x.status = 'accepted' "
		"  WHERE r.free_place_id = ? "
		"  UNION ALL "
		"  SELECT r.closed_at, 6, 2, r.id, 0, a.number, a.benefit, 0 "
		"  FROM referral r JOIN application a ON a.id = r.application_id "
		"  WHERE r.free_place_id = ? AND r.status IN ('annulled','refusal_confirmed') AND r.closed_at IS NOT NULL"
		") ORDER BY at, tie, seq, kind",
		"IIII", place_id, place_id, place_id, place_id);
	if (!st)
		return -1;
	int n = 0;
	while (db_row(st)) {
		struct proto_event e;
		memset(&e, 0, sizeof e);
		e.at = sqlite3_column_int64(st, 0);
		int k = sqlite3_column_int(st, 1);
		e.kind = k >= 0 && k < PROTO_EV__MAX ? (enum proto_ev)k : PROTO_LAPSED;
		e.offer_no = sqlite3_column_int64(st, 2);
		qh_mask_number(db_col(st, 3), e.number);
		u_copy(e.category, sizeof e.category, db_col(st, 4));
		e.position = sqlite3_column_int64(st, 5);
		fn(arg, &e);
		n++;
	}
	return db_end(st) < 0 ? -1 : n;
}

int proto_month_records(int district, int year, int month, long long *ids, int max)
{
	if (month < 1 || month > 12 || !cal_valid_ymd(year, month, 1))
		return -1;
	int ny = month == 12 ? year + 1 : year, nm = month == 12 ? 1 : month + 1;
	long long from = cal_unix_from_day(cal_days_from_ymd(year, month, 1));
	long long to = cal_unix_from_day(cal_days_from_ymd(ny, nm, 1));
	sqlite3_stmt *st = db_query("SELECT id FROM free_place WHERE district_id = ? AND created_at >= ? AND created_at < ? "
				    "ORDER BY created_at, id", "iII", district, from, to);
	int n = 0;
	while (n < max && db_row(st))
		ids[n++] = sqlite3_column_int64(st, 0);
	db_done(st);
	return st ? n : -1;
}

/* ---- CSV and JSON ---- */

static int csv_cell(struct buf *b, const char *s, int last)
{
	int bad = 0;
	if (strpbrk(s, ";\"\r\n")) {
		bad |= buf_addc(b, '"');
		for (; *s; s++)
			bad |= (*s == '"' ? buf_addc(b, '"') : 0) | buf_addc(b, *s);
		bad |= buf_addc(b, '"');
	} else {
		bad |= buf_adds(b, s);
	}
	return bad | buf_adds(b, last ? "\r\n" : ";");
}

static const char *ddo_name(const struct proto_rec *r, const char *lang)
{
	return strcmp(lang, "kk") == 0 && *r->p.ddo_kk ? r->p.ddo_kk : r->p.ddo_ru;
}

struct csv_ctx {
	struct buf *out;
	const struct proto_rec *rec;
	const char *ddo;
	int n, bad;
};

static void csv_event(void *arg, const struct proto_event *e)
{
	struct csv_ctx *c = arg;
	char num[24], dt[17];
	struct buf *o = c->out;
	u_fmt_datetime(e->at, dt);
	snprintf(num, sizeof num, "%lld", c->rec->p.id);
	c->bad |= csv_cell(o, num, 0) | csv_cell(o, c->ddo, 0);
	snprintf(num, sizeof num, "%d", c->rec->p.year);
	c->bad |= csv_cell(o, num, 0) | csv_cell(o, c->rec->p.language, 0);
	snprintf(num, sizeof num, "%d", c->rec->p.total);
	c->bad |= csv_cell(o, num, 0);
	snprintf(num, sizeof num, "%d", ++c->n);
	c->bad |= csv_cell(o, num, 0) | csv_cell(o, proto_ev_names[e->kind], 0) | csv_cell(o, dt, 0);
	snprintf(num, sizeof num, "%lld", e->at);
	c->bad |= csv_cell(o, num, 0);
	snprintf(num, sizeof num, "%lld", e->offer_no);
	c->bad |= csv_cell(o, e->offer_no ? num : "", 0) | csv_cell(o, e->number, 0) | csv_cell(o, e->category, 0);
	snprintf(num, sizeof num, "%lld", e->position);
	c->bad |= csv_cell(o, e->position ? num : "", 1);
}

int proto_csv(const long long *ids, int n, const char *lang, long long now, struct buf *out)
{
	static const char *const head[] = {"record", "ddo", "group_year", "language", "total", "event_no", "event",
					   "time", "at", "offer_no", "number", "category", "position", NULL};
	int bad = 0;
	for (int i = 0; head[i]; i++)
		bad |= csv_cell(out, head[i], !head[i + 1]);
	for (int i = 0; i < n && !bad; i++) {
		struct proto_rec rec;
		int found = proto_record(ids[i], now, &rec);
		if (found < 0)
			return -1;
		if (!found)
			continue;
		struct csv_ctx c = {out, &rec, ddo_name(&rec, lang), 0, 0};
		if (proto_events(ids[i], csv_event, &c) < 0)
			return -1;
		bad |= c.bad;
	}
	return bad ? -1 : 0;
}

/* A JSON string: quotes, backslashes and control characters escaped, and
 * < > & too, so that the text is safe wherever it is pasted. */
static int json_str(struct buf *b, const char *s)
{
	int bad = buf_addc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			bad |= buf_addc(b, '\\') | buf_addc(b, (char)c);
		else if (c < 0x20 || c == '<' || c == '>' || c == '&')
			bad |= buf_printf(b, "\\u%04x", c);
		else
			bad |= buf_addc(b, (char)c);
	}
	return bad | buf_addc(b, '"');
}

struct json_ctx {
	struct buf *out;
	int n, bad;
};

static void json_event(void *arg, const struct proto_event *e)
{
	struct json_ctx *c = arg;
	char dt[17];
	u_fmt_datetime(e->at, dt);
	struct buf *o = c->out;
	c->bad |= buf_printf(o, "%s{\"event_no\":%d,\"event\":", c->n ? "," : "", c->n + 1) |
		  json_str(o, proto_ev_names[e->kind]) | buf_adds(o, ",\"time\":") | json_str(o, dt) |
		  buf_printf(o, ",\"at\":%lld,\"offer_no\":", e->at) |
		  (e->offer_no ? buf_printf(o, "%lld", e->offer_no) : buf_adds(o, "null")) |
		  buf_adds(o, ",\"number\":") | json_str(o, e->number) | buf_adds(o, ",\"category\":") |
		  json_str(o, e->category) | buf_adds(o, ",\"position\":") |
		  (e->position ? buf_printf(o, "%lld", e->position) : buf_adds(o, "null")) | buf_addc(o, '}');
	c->n++;
}

int proto_json(long long id, const char *lang, long long now, struct buf *out)
{
	struct proto_rec rec;
	int found = proto_record(id, now, &rec);
	if (found <= 0)
		return found < 0 ? -1 : 1;
	char created[17];
	u_fmt_datetime(rec.created_at, created);
	int bad = buf_printf(out, "{\"record\":{\"id\":%lld,\"ddo\":", rec.p.id) | json_str(out, ddo_name(&rec, lang)) |
		  buf_printf(out, ",\"district\":%d,\"group_year\":%d,\"language\":", rec.p.district, rec.p.year) |
		  json_str(out, rec.p.language) | buf_printf(out, ",\"total\":%d,\"free\":%d,\"status\":", rec.p.total, rec.p.free) |
		  json_str(out, place_status_names[rec.p.status]) | buf_adds(out, ",\"created\":") | json_str(out, created) |
		  buf_adds(out, "},\"events\":[");
	struct json_ctx c = {out, 0, 0};
	if (proto_events(id, json_event, &c) < 0)
		return -1;
	bad |= c.bad | buf_adds(out, "]}\n");
	if (bad)
		log_err("protocol %lld: out of memory", id);
	return bad ? -1 : 0;
}
