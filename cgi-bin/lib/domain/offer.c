/* offer.c — see offer.h. */
#include "domain/offer.h"

#include <stdio.h>
#include <string.h>

#include "domain/account.h"
#include "domain/audit.h"
#include "base/conf.h"
#include "base/db.h"
#include "domain/hist.h"
#include "base/lang.h"
#include "base/log.h"
#include "base/util.h"
#include "base/workday.h"
#include "domain/place.h"
#include "domain/transfer_order.h"
#include "domain/voucher.h"

const char *const offer_cat_names[OFFER_CAT__MAX + 1] = {"out_of_turn", "first_priority", "none", NULL};
const char *const offer_status_names[OFFER_ST__MAX + 1] = {"open", "accepted", "declined", "lapsed", NULL};

enum offer_cat offer_next_category(long long fp_done, long long none_done, int ratio, int oot_avail, int fp_avail,
				       int none_avail)
{
	if (oot_avail)
		return OFFER_OUT_OF_TURN;
	if (fp_avail && (fp_done * ratio <= none_done || !none_avail))
		return OFFER_FIRST_PRIORITY;
	if (none_avail)
		return OFFER_NONE;
	return OFFER_CAT__MAX;
}

int offer_ratio(void)
{
	long long r = conf_int("Places.BenefitRatio", 3);
	return r >= 1 && r <= 99 ? (int)r : 3;
}

/* ---- filling ---- */

/* A record of the key with places not reserved yet. */
struct gap_rec {
	long long id, window_until;
	int gap;
	char ddo_ru[304], ddo_kk[304];
};

/* An applicant to offer a place to. */
struct cand {
	long long id;
	char number[32], phone[20];
};

/* The next applicant of one category for a record: the first in queue
 * order (the index application_queue) of the key who is queued, holds no
 * open offer and never had one of this record. 1 found, 0 none, -1. */
static int next_of(int district, int year, const char *language, enum offer_cat cat, long long place_id,
		   struct cand *c)
{
	sqlite3_stmt *st = db_query("SELECT a.id, a.number, a.phone FROM application a INDEXED BY application_queue "
				    "WHERE a.status = 'queued' AND a.district_id = ? AND a.group_year = ? "
				    "  AND a.benefit_rank = ? AND a.language = ? AND a.transfer_of IS NULL "
				    "  AND NOT EXISTS (SELECT 1 FROM offer o WHERE o.application_id = a.id "
				    "    AND (o.status = 'open' OR o.place_id = ?)) "
				    "  AND NOT EXISTS (SELECT 1 FROM voucher v WHERE v.application_id = a.id "
				    "    AND v.status IN ('issued','confirmed')) "
				    "ORDER BY a.queued_at, a.id LIMIT 1",
				    "iiitI", district, year, (int)cat, language, place_id);
	if (!st)
		return -1;
	int found = db_row(st);
	if (found) {
		c->id = sqlite3_column_int64(st, 0);
		u_copy(c->number, sizeof c->number, db_col(st, 1));
		u_copy(c->phone, sizeof c->phone, db_col(st, 2));
	}
	int failed = !found && sqlite3_reset(st) != SQLITE_OK;
	db_done(st);
	return found ? 1 : failed ? -1 : 0;
}

/* Writes one offer with its history row and SMS. 0 or -1. */
static int make_one(const struct gap_rec *g, const struct cand *c, const char *cat,
		    long long now, struct arena *a)
{
	/* The position it holds as it is offered, for the protocol (protocol.h). */
	long long pos = queue_overall(c->id);
	if (pos < 0)
		return -1;
	if (db_exec("INSERT INTO offer(place_id, application_id, category, offered_at, until, position) "
		    "VALUES (?, ?, ?, ?, ?, NULLIF(?, 0))",
		    "IItIII", g->id, c->id, cat, now, g->window_until, pos) != SQLITE_DONE)
		return -1;
	long long id = db_last_id();
	if (audit_log(0, "system", "", "offer_make", "offer", id, "ok",
		      arena_printf(a, "place=%lld application=%lld category=%s", g->id, c->id, cat)) < 0)
		return -1;
	char until[17];
	u_fmt_datetime(g->window_until, until);
	const char *lang = acct_lang_of_app(c->id, NULL);
	const char *text = arena_subst(a, lang_t(lang, "Offer.sms_offered"),
				       (const char *const[]){"number", c->number, "ddo",
							     strcmp(lang, "kk") == 0 ? g->ddo_kk : g->ddo_ru, "until",
							     until, NULL});
	if (hist_add(c->id, 0, "system", "offered", g->ddo_ru, arena_printf(a, "%lld", g->id), until) < 0)
		return -1;
	/* In a voucher district the offer is a voucher, with its own SMS (voucher.h). */
	int voucher = vch_issue(id, c->id, g->ddo_ru, g->ddo_kk, now);
	if (voucher != 0)
		return voucher < 0 ? -1 : 0;
	if (*c->phone && hist_notify(c->id, c->phone, "offer", text) < 0)
		return -1;
	return 0;
}

/* The record's offers so far by category. 0 or -1. */
static int done_counts(long long place_id, long long done[OFFER_CAT__MAX])
{
	memset(done, 0, OFFER_CAT__MAX * sizeof *done);
	sqlite3_stmt *st = db_query("SELECT category, count(*) FROM offer WHERE place_id = ? GROUP BY category", "I",
				    place_id);
	while (db_row(st)) {
		for (int k = 0; k < OFFER_CAT__MAX; k++)
			if (strcmp(db_col(st, 0), offer_cat_names[k]) == 0)
				done[k] = sqlite3_column_int64(st, 1);
	}
	return db_end(st);
}

/* Tops up one record: gap offers at most. Returns how many were made, or -1. */
static int fill_record(int district, int year, const char *language, const struct gap_rec *g, long long now,
		       struct arena *a)
{
	long long done[OFFER_CAT__MAX];
	if (done_counts(g->id, done) < 0)
		return -1;
	struct cand next[OFFER_CAT__MAX];
	int avail[OFFER_CAT__MAX];
	for (int k = 0; k < OFFER_CAT__MAX; k++)
		if ((avail[k] = next_of(district, year, language, (enum offer_cat)k, g->id, &next[k])) < 0)
			return -1;
	/* Transfer requests (transfer.h) take the turns Queue.TransferRank gives them. */
	struct cand tr;
	int tr_avail = tr_next_candidate(district, year, language, g->id, &tr.id, tr.number, tr.phone);
	int ratio = offer_ratio(), rank = tr_rank(), made = 0;
	while (made < g->gap && tr_avail >= 0) {
		enum offer_cat k = offer_next_category(done[OFFER_FIRST_PRIORITY], done[OFFER_NONE], ratio, avail[OFFER_OUT_OF_TURN],
							   avail[OFFER_FIRST_PRIORITY], avail[OFFER_NONE]);
		if (tr_avail && tr_takes_turn((int)k, rank)) {
			if (make_one(g, &tr, TR_CATEGORY, now, a) < 0)
				return -1;
			made++;
			tr_avail = tr_next_candidate(district, year, language, g->id, &tr.id, tr.number, tr.phone);
			continue;
		}
		if (k == OFFER_CAT__MAX)
			break;
		if (make_one(g, &next[k], offer_cat_names[k], now, a) < 0)
			return -1;
		made++;
		done[k]++;
		if ((avail[k] = next_of(district, year, language, k, g->id, &next[k])) < 0)
			return -1;
	}
	return tr_avail < 0 ? -1 : made;
}

/* Collects the records in their window (place_each_in_window). */
struct gaps {
	struct gap_rec *recs;
	int n, max;
};

static void add_gap(void *arg, const struct place_win *w)
{
	struct gaps *g = arg;
	if (g->n == g->max)
		return;
	struct gap_rec *r = &g->recs[g->n++];
	r->id = w->id;
	r->window_until = w->window_until;
	r->gap = w->free;
	u_copy(r->ddo_ru, sizeof r->ddo_ru, w->ddo_ru);
	u_copy(r->ddo_kk, sizeof r->ddo_kk, w->ddo_kk);
}

int offer_fill(int district, int group_year, const char *language, long long now)
{
	/* In the transfer period referrals are suspended (workday.h): nobody
	 * is offered a place they could not take. */
	if (wd_freeze(now, NULL, NULL))
		return 0;
	/* The key's records in their window with a free place, oldest first;
	 * each topped up to as many open offers as free places. */
	struct arena *a = arena_new();
	struct gaps g = {NULL, 0, 256};
	int total = 0;
	if (!a || !(g.recs = arena_alloc(a, (size_t)g.max * sizeof *g.recs)))
		goto fail;
	if (place_each_in_window(district, group_year, language, now, add_gap, &g) < 0)
		goto fail;
	for (int i = 0; i < g.n; i++) {
		long long reserved = offer_reserved(g.recs[i].id);
		if (reserved < 0)
			goto fail;
		g.recs[i].gap -= (int)reserved;
		if (g.recs[i].gap <= 0)
			continue;
		int made = fill_record(district, group_year, language, &g.recs[i], now, a);
		if (made < 0)
			goto fail;
		total += made;
	}
	arena_free(a);
	return total;
fail:
	log_err("offer_fill(%d, %d, %s) failed: %s", district, group_year, language, db_errmsg());
	arena_free(a);
	return -1;
}

int offer_fill_app(long long app_id, long long now)
{
	int district = 0, year = 0;
	char language[4] = "";
	sqlite3_stmt *st = db_query("SELECT district_id, group_year, language FROM application WHERE id = ?", "I", app_id);
	if (db_row(st)) {
		district = sqlite3_column_int(st, 0);
		year = sqlite3_column_int(st, 1);
		u_copy(language, sizeof language, db_col(st, 2));
	}
	if (db_end(st) < 0)
		return -1;
	return district ? offer_fill(district, year, language, now) : 0;
}

int offer_fill_place(long long place_id, long long now)
{
	int district = 0, year = 0;
	char language[4] = "";
	sqlite3_stmt *st = db_query("SELECT district_id, group_year, language FROM free_place WHERE id = ?", "I", place_id);
	if (db_row(st)) {
		district = sqlite3_column_int(st, 0);
		year = sqlite3_column_int(st, 1);
		u_copy(language, sizeof language, db_col(st, 2));
	}
	if (db_end(st) < 0)
		return -1;
	return district ? offer_fill(district, year, language, now) : 0;
}

/* ---- one applicant's offer ---- */

int offer_held(long long app_id, long long place_id, long long now)
{
	int v = vch_right(app_id, place_id, now);   /* a voucher's right, when it has one (voucher.h) */
	if (v != VCH_RIGHT_NONE)
		return v == VCH_RIGHT_MAY;
	return db_int("SELECT count(*) FROM offer WHERE application_id = ? AND place_id = ? AND status = 'open' "
		      "AND until >= ?", -1, "III", app_id, place_id, now) > 0;
}

int offer_accept(long long app_id, long long place_id, long long actor, long long now)
{
	int v = vch_take(app_id, place_id, actor, now);   /* a voucher's right, when it has one (voucher.h) */
	if (v < 0 || v == VCH_RIGHT_MAY_NOT)
		return v < 0 ? -1 : 0;
	char ddo[304] = "";
	if (!db_text(ddo, sizeof ddo,
		     "SELECT d.name_ru FROM offer o JOIN free_place f ON f.id = o.place_id JOIN ddo d ON d.id = f.ddo_id "
		     "WHERE o.application_id = ? AND o.place_id = ? AND o.status = 'open'", "II", app_id, place_id))
		return v == VCH_RIGHT_MAY;
	if (db_exec("UPDATE offer SET status = 'accepted', closed_at = ? "
		    "WHERE application_id = ? AND place_id = ? AND status = 'open'", "III", now, app_id, place_id) != SQLITE_DONE ||
	    db_changes() != 1)
		return -1;
	return hist_add(app_id, actor, "citizen", "offer_accepted", ddo, NULL, NULL) < 0 ? -1 : 1;
}

int offer_open_of(long long app_id, long long now, struct offer_info *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = db_query("SELECT o.id, o.place_id, o.until, o.category, f.group_year, f.language, "
				    "  d.name_ru, d.name_kk, d.address "
				    "FROM offer o JOIN free_place f ON f.id = o.place_id JOIN ddo d ON d.id = f.ddo_id "
				    "WHERE o.application_id = ? AND o.status = 'open' AND o.until >= ?", "II", app_id, now);
	if (!st)
		return -1;
	int found = db_row(st);
	if (found) {
		out->id = sqlite3_column_int64(st, 0);
		out->place_id = sqlite3_column_int64(st, 1);
		out->until = sqlite3_column_int64(st, 2);
		u_copy(out->category, sizeof out->category, db_col(st, 3));
		out->group_year = sqlite3_column_int(st, 4);
		u_copy(out->language, sizeof out->language, db_col(st, 5));
		u_copy(out->ddo_ru, sizeof out->ddo_ru, db_col(st, 6));
		u_copy(out->ddo_kk, sizeof out->ddo_kk, db_col(st, 7));
		u_copy(out->address, sizeof out->address, db_col(st, 8));
	}
	int failed = !found && sqlite3_reset(st) != SQLITE_OK;
	db_done(st);
	return found ? 1 : failed ? -1 : 0;
}

int offer_decline(struct actor who, long long applicant_id, long long app_id)
{
	long long now = u_now();
	if (db_begin() < 0)
		return -1;
	long long id = 0, place = 0;
	char ddo[304] = "";
	sqlite3_stmt *st = db_query("SELECT o.id, o.place_id, d.name_ru FROM offer o JOIN application a ON a.id = o.application_id "
				    "JOIN free_place f ON f.id = o.place_id JOIN ddo d ON d.id = f.ddo_id "
				    "WHERE o.application_id = ? AND a.applicant_id = ? AND a.status = 'queued' "
				    "  AND o.status = 'open' AND o.until >= ? "
				    "  AND NOT EXISTS (SELECT 1 FROM voucher v WHERE v.offer_id = o.id)",   /* a voucher is refused instead */
				    "III", app_id, applicant_id, now);
	if (db_row(st)) {
		id = sqlite3_column_int64(st, 0);
		place = sqlite3_column_int64(st, 1);
		u_copy(ddo, sizeof ddo, db_col(st, 2));
	}
	if (db_end(st) < 0)
		goto fail;
	if (!id) {
		db_rollback();
		return 1;
	}
	if (db_exec("UPDATE offer SET status = 'declined', closed_at = ? WHERE id = ? AND status = 'open'", "II", now, id) !=
		    SQLITE_DONE || db_changes() != 1)
		goto fail;
	char details[80];
	snprintf(details, sizeof details, "application=%lld place=%lld", app_id, place);
	if (hist_add(app_id, who.id, "citizen", "offer_declined", ddo, NULL, NULL) < 0 ||
	    audit_act(who, "offer_decline", "offer", id, "ok", details) < 0)
		goto fail;
	/* The place passes at once to the next applicant in the order. */
	if (offer_fill_place(place, now) < 0 || db_commit() < 0)
		goto fail;
	return 0;
fail:
	log_err("decline of the offer of application %lld failed: %s", app_id, db_errmsg());
	db_rollback();
	return -1;
}

/* ---- time ---- */

int offer_lapse_due(long long now)
{
	/* Cheap when nothing is due: one look at the partial index. */
	long long due = db_int("SELECT count(*) FROM (SELECT 1 FROM offer WHERE status = 'open' AND until < ? LIMIT 1)", -1,
			       "I", now);
	if (due <= 0)
		return due < 0 ? -1 : 0;
	if (db_begin() < 0)
		return -1;
	int n = 0, more = 1;
	struct { long long id, app; char ddo[304]; } rows[64];
	while (more) {
		int k = 0;
		sqlite3_stmt *st = db_query("SELECT o.id, o.application_id, d.name_ru FROM offer o "
					    "JOIN free_place f ON f.id = o.place_id JOIN ddo d ON d.id = f.ddo_id "
					    "WHERE o.status = 'open' AND o.until < ? LIMIT 64", "I", now);
		while (db_row(st) && k < 64) {
			rows[k].id = sqlite3_column_int64(st, 0);
			rows[k].app = sqlite3_column_int64(st, 1);
			u_copy(rows[k].ddo, sizeof rows[k].ddo, db_col(st, 2));
			k++;
		}
		if (db_end(st) < 0)
			goto fail;
		more = k == 64;
		for (int i = 0; i < k; i++) {
			if (db_exec("UPDATE offer SET status = 'lapsed', closed_at = ? WHERE id = ? AND status = 'open'", "II", now,
				    rows[i].id) != SQLITE_DONE ||
			    hist_add(rows[i].app, 0, "system", "offer_lapsed", rows[i].ddo, NULL, NULL) < 0 ||
			    audit_log(0, "system", "", "offer_lapse", "offer", rows[i].id, "ok", "window ended") < 0)
				goto fail;
			n++;
		}
	}
	if (db_commit() < 0)
		goto fail;
	return n;
fail:
	log_err("offer_lapse_due failed: %s", db_errmsg());
	db_rollback();
	return -1;
}

int offer_fill_due(long long now)
{
	enum { MAXKEY = 256 };
	struct place_key keys[MAXKEY];
	int k = place_window_keys(now, MAXKEY, keys);
	if (k < 0)
		return -1;
	int n = 0;
	for (int i = 0; i < k; i++) {
		if (db_begin() < 0)
			return -1;
		int made = offer_fill(keys[i].district, keys[i].group_year, keys[i].language, now);
		if (made < 0 || db_commit() < 0) {
			db_rollback();
			return -1;
		}
		n += made;
	}
	return n;
}

long long offer_reserved(long long place_id)
{
	return db_int("SELECT count(*) FROM offer WHERE place_id = ? AND status = 'open'", -1, "I", place_id);
}
