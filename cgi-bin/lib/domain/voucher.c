/* voucher.c — see voucher.h. */
#include "domain/voucher.h"

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

const char *const vch_financing_names[VCH_FIN__MAX + 1] = {"state", "voucher", NULL};
const char *const vch_status_names[VCH_ST__MAX + 1] = {"issued", "confirmed", "used", "refused",
						       "lapsed", "expired", "void", NULL};
const char *const vch_err_names[VCH_ERR__MAX + 1] = {"ok", "not_found", "not_pending", "restored_once",
						     "restore_over", "not_inactive", NULL};

static int setting(const char *key, int def, int max)
{
	long long v = conf_int(key, def);
	return v >= 1 && v <= max ? (int)v : def;
}

int vch_consent_days(void) { return setting("Voucher.ConsentWorkingDays", 2, 30); }
int vch_choose_days(void) { return setting("Voucher.ChooseWorkingDays", 2, 30); }
int vch_restore_days(void) { return setting("Voucher.RestoreDays", 28, 365); }

static enum vch_status status_of(const char *name)
{
	for (int k = 0; k < VCH_ST__MAX; k++)
		if (strcmp(name, vch_status_names[k]) == 0)
			return (enum vch_status)k;
	return VCH_ST__MAX;
}

/* ---- financing ---- */

int vch_is_voucher_district(int district)
{
	char f[16] = "";
	sqlite3_stmt *st = db_query("SELECT financing FROM district WHERE id = ?", "i", district);
	int found = db_row(st);
	if (found)
		u_copy(f, sizeof f, db_col(st, 0));
	int failed = !found && sqlite3_reset(st) != SQLITE_OK;
	db_done(st);
	return failed ? -1 : strcmp(f, "voucher") == 0;
}

int vch_set_financing(struct actor who, int district, enum vch_financing f)
{
	if (f < 0 || f >= VCH_FIN__MAX || db_begin() < 0)
		return -1;
	char old[16] = "";
	if (!db_text(old, sizeof old, "SELECT financing FROM district WHERE id = ?", "i", district)) {
		db_rollback();
		return 1;
	}
	char details[64];
	snprintf(details, sizeof details, "financing=%s was=%s", vch_financing_names[f], old);
	if (db_exec("UPDATE district SET financing = ? WHERE id = ?", "ti", vch_financing_names[f], district) != SQLITE_DONE ||
	    audit_act(who, "district_financing", "district", district, "ok", details) < 0 || db_commit() < 0) {
		log_err("the financing of district %d was not set: %s", district, db_errmsg());
		db_rollback();
		return -1;
	}
	return 0;
}

int vch_each_district(void (*fn)(void *arg, const struct vch_district *d), void *arg)
{
	sqlite3_stmt *st = db_query("SELECT id, name_ru, name_kk, financing FROM district ORDER BY sort, id", NULL);
	struct vch_district d;
	while (db_row(st)) {
		memset(&d, 0, sizeof d);
		d.id = sqlite3_column_int(st, 0);
		u_copy(d.name_ru, sizeof d.name_ru, db_col(st, 1));
		u_copy(d.name_kk, sizeof d.name_kk, db_col(st, 2));
		d.financing = strcmp(db_col(st, 3), "voucher") == 0 ? VCH_FIN_VOUCHER : VCH_FIN_STATE;
		fn(arg, &d);
	}
	return db_end(st);
}

/* ---- the parent's SMS ---- */

/* Queues the SMS L.<key> to the application's parent in the account's
 * language, with {number}, {ddo} (ru/kk as the language) and {date}. 0 or -1. */
static int tell(long long app, const char *key, const char *ddo_ru, const char *ddo_kk, long long date)
{
	char number[32] = "", phone[20] = "", when[17] = "";
	sqlite3_stmt *st = db_query("SELECT number, phone FROM application WHERE id = ?", "I", app);
	if (db_row(st)) {
		u_copy(number, sizeof number, db_col(st, 0));
		u_copy(phone, sizeof phone, db_col(st, 1));
	}
	db_done(st);
	if (!*phone)
		return 0;
	if (date > 0)
		u_fmt_datetime(date, when);
	struct arena *a = arena_new();
	if (!a)
		return -1;
	const char *lang = acct_lang_of_app(app, NULL);
	const char *ddo = strcmp(lang, "kk") == 0 && ddo_kk && *ddo_kk ? ddo_kk : ddo_ru ? ddo_ru : "";
	const char *text = arena_subst(a, lang_t(lang, key),
				       (const char *const[]){"number", number, "ddo", ddo, "date", when, NULL});
	int rc = hist_notify(app, phone, "voucher", text) < 0 ? -1 : 0;
	arena_free(a);
	return rc;
}

/* ---- issue ---- */

int vch_issue(long long offer_id, long long app_id, const char *ddo_ru, const char *ddo_kk, long long now)
{
	/* A transfer moves a child whose place is financed already: its offer
	 * stays an ordinary offer. */
	int district = (int)db_int("SELECT district_id FROM application WHERE id = ? AND transfer_of IS NULL", 0, "I",
				   app_id);
	if (!district)
		return 0;
	int v = vch_is_voucher_district(district);
	if (v <= 0)
		return v;
	long long until = wd_end_after(now, vch_consent_days());
	if (until < 0)
		return -1;
	char u[17], details[96];
	u_fmt_datetime(until, u);
	snprintf(details, sizeof details, "offer=%lld application=%lld until=%s", offer_id, app_id, u);
	if (db_exec("INSERT INTO voucher(offer_id, application_id, district_id, issued_at, consent_until) "
		    "VALUES (?, ?, ?, ?, ?)", "IIiII", offer_id, app_id, district, now, until) != SQLITE_DONE)
		return -1;
	long long id = db_last_id();
	if (db_exec("UPDATE offer SET until = ? WHERE id = ? AND status = 'open'", "II", until, offer_id) != SQLITE_DONE ||
	    hist_add(app_id, 0, "system", "voucher_issued", ddo_ru, NULL, u) < 0 ||
	    audit_log(0, "system", "", "voucher_issue", "voucher", id, "ok", details) < 0 ||
	    tell(app_id, "Voucher.sms_issued", ddo_ru, ddo_kk, until) < 0)
		return -1;
	return 1;
}

/* ---- the right to take a place ---- */

int vch_may_take(enum place_status status, int free, long long others_reserved)
{
	if (free <= 0)
		return 0;
	if (status == PLACE_FREE_CHOICE)
		return 1;
	return status == PLACE_WAITING && free > others_reserved;
}

/* The application's live voucher: id, status, its deadline. 1, 0, -1. */
static int live_of(long long app_id, long long *id, enum vch_status *s, long long *deadline)
{
	sqlite3_stmt *st = db_query("SELECT id, status, CASE status WHEN 'issued' THEN consent_until ELSE choose_until END "
				    "FROM voucher WHERE application_id = ? AND status IN ('issued','confirmed') "
				    "ORDER BY id DESC LIMIT 1", "I", app_id);
	if (!st)
		return -1;
	int found = db_row(st);
	if (found) {
		*id = sqlite3_column_int64(st, 0);
		*s = status_of(db_col(st, 1));
		*deadline = sqlite3_column_int64(st, 2);
	}
	int failed = !found && sqlite3_reset(st) != SQLITE_OK;
	db_done(st);
	return found ? 1 : failed ? -1 : 0;
}

/* May the application's confirmed voucher take a place of the record? */
static int record_open(long long app_id, long long place_id, long long now)
{
	struct place_row p;
	int found = place_get(place_id, now, &p);
	if (found <= 0)
		return found;
	long long others = db_int("SELECT count(*) FROM offer WHERE place_id = ? AND status = 'open' AND application_id <> ?",
				  -1, "II", place_id, app_id);
	if (others < 0)
		return -1;
	return vch_may_take(p.status, p.free, others);
}

int vch_right(long long app_id, long long place_id, long long now)
{
	long long id = 0, deadline = 0;
	enum vch_status s = VCH_ST__MAX;
	int found = live_of(app_id, &id, &s, &deadline);
	if (found <= 0 || deadline < now)
		return found < 0 ? -1 : VCH_RIGHT_NONE;
	if (s != VCH_CONFIRMED)
		return VCH_RIGHT_MAY_NOT;
	int open = record_open(app_id, place_id, now);
	return open < 0 ? -1 : open ? VCH_RIGHT_MAY : VCH_RIGHT_MAY_NOT;
}

int vch_take(long long app_id, long long place_id, long long actor, long long now)
{
	int right = vch_right(app_id, place_id, now);
	if (right != VCH_RIGHT_MAY)
		return right;
	long long id = 0, deadline = 0;
	enum vch_status s;
	if (live_of(app_id, &id, &s, &deadline) <= 0)
		return -1;
	char ddo[304] = "";
	db_text(ddo, sizeof ddo, "SELECT d.name_ru FROM free_place f JOIN ddo d ON d.id = f.ddo_id WHERE f.id = ?", "I",
		place_id);
	if (db_exec("UPDATE voucher SET status = 'used', used_at = ?, closed_at = ? WHERE id = ? AND status = 'confirmed'",
		    "III", now, now, id) != SQLITE_DONE ||
	    db_changes() != 1 || hist_add(app_id, actor, "citizen", "voucher_used", ddo, NULL, NULL) < 0)
		return -1;
	return VCH_RIGHT_MAY;
}

int vch_each_open(const struct place_app *a, const char *lang, long long now, int max,
		  void (*fn)(void *arg, const struct place_row *p), void *arg)
{
	enum { CAP = 500 };
	long long ids[CAP];
	int k = 0;
	if (max > CAP)
		max = CAP;
	sqlite3_stmt *st = db_query("SELECT f.id FROM free_place f JOIN ddo d ON d.id = f.ddo_id "
				    "WHERE f.district_id = ? AND f.group_year = ? AND f.language = ? AND f.free > 0 "
				    "ORDER BY CASE ? WHEN 'kk' THEN d.name_kk ELSE d.name_ru END, f.created_at, f.id LIMIT ?",
				    "iitti", a->district, a->group_year, a->language, lang, max);
	while (db_row(st) && k < max)
		ids[k++] = sqlite3_column_int64(st, 0);
	if (db_end(st) < 0)
		return -1;
	int n = 0;
	for (int i = 0; i < k; i++) {
		int open = record_open(a->id, ids[i], now);
		if (open < 0)
			return -1;
		struct place_row p;
		if (open && place_get(ids[i], now, &p) > 0) {
			fn(arg, &p);
			n++;
		}
	}
	return n;
}

/* ---- the parent's view ---- */

int vch_of_app(long long app_id, long long now, struct vch_info *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = db_query("SELECT v.id, v.offer_id, o.place_id, v.status, v.issued_at, v.consent_until, "
				    "  coalesce(v.choose_until, 0), coalesce(v.lapsed_at, 0), coalesce(v.restore_until, 0), "
				    "  coalesce(v.restored_at, 0), coalesce(v.archived_at, 0), d.name_ru, d.name_kk, d.address, "
				    "  a.status = 'inactive', "
				    "  EXISTS (SELECT 1 FROM voucher w WHERE w.application_id = a.id AND w.restored_at IS NOT NULL), "
				    "  a.status = 'queued' "
				    "FROM voucher v JOIN offer o ON o.id = v.offer_id JOIN free_place f ON f.id = o.place_id "
				    "JOIN ddo d ON d.id = f.ddo_id JOIN application a ON a.id = v.application_id "
				    "WHERE v.application_id = ? ORDER BY v.id DESC LIMIT 1", "I", app_id);
	if (!st)
		return -1;
	int found = db_row(st);
	if (found) {
		out->id = sqlite3_column_int64(st, 0);
		out->offer_id = sqlite3_column_int64(st, 1);
		out->place_id = sqlite3_column_int64(st, 2);
		out->status = status_of(db_col(st, 3));
		out->issued_at = sqlite3_column_int64(st, 4);
		out->consent_until = sqlite3_column_int64(st, 5);
		out->choose_until = sqlite3_column_int64(st, 6);
		out->lapsed_at = sqlite3_column_int64(st, 7);
		out->restore_until = sqlite3_column_int64(st, 8);
		out->restored_at = sqlite3_column_int64(st, 9);
		out->archived_at = sqlite3_column_int64(st, 10);
		u_copy(out->ddo_ru, sizeof out->ddo_ru, db_col(st, 11));
		u_copy(out->ddo_kk, sizeof out->ddo_kk, db_col(st, 12));
		u_copy(out->address, sizeof out->address, db_col(st, 13));
		out->inactive = sqlite3_column_int(st, 14);
		out->restored_once = sqlite3_column_int(st, 15);
		int queued = sqlite3_column_int(st, 16);
		out->pending = queued && out->status == VCH_ISSUED && now <= out->consent_until;
		out->choosing = queued && out->status == VCH_CONFIRMED && now <= out->choose_until;
		out->restorable = out->inactive && out->status == VCH_LAPSED && !out->restored_at && !out->restored_once &&
				  now <= out->restore_until;
	}
	int failed = !found && sqlite3_reset(st) != SQLITE_OK;
	db_done(st);
	return found ? 1 : failed ? -1 : 0;
}

/* ---- the parent's acts ---- */

/* The voucher the citizen may act on: the latest of their application
 * app_id, with the application's status. */
struct target {
	long long id, offer, place, app;
	enum vch_status status;
	long long consent_until, choose_until, restore_until, restored_at;
	char app_status[20], ddo_ru[304], ddo_kk[304];
};

static int target_of(long long applicant, long long app_id, struct target *t)
{
	memset(t, 0, sizeof *t);
	sqlite3_stmt *st = db_query("SELECT v.id, v.offer_id, o.place_id, v.status, v.consent_until, coalesce(v.choose_until, 0), "
				    "  coalesce(v.restore_until, 0), coalesce(v.restored_at, 0), a.status, d.name_ru, d.name_kk "
				    "FROM application a JOIN voucher v ON v.application_id = a.id JOIN offer o ON o.id = v.offer_id "
				    "JOIN free_place f ON f.id = o.place_id JOIN ddo d ON d.id = f.ddo_id "
				    "WHERE a.id = ? AND a.applicant_id = ? ORDER BY v.id DESC LIMIT 1", "II", app_id, applicant);
	if (!st)
		return -1;
	int found = db_row(st);
	if (found) {
		t->id = sqlite3_column_int64(st, 0);
		t->offer = sqlite3_column_int64(st, 1);
		t->place = sqlite3_column_int64(st, 2);
		t->status = status_of(db_col(st, 3));
		t->consent_until = sqlite3_column_int64(st, 4);
		t->choose_until = sqlite3_column_int64(st, 5);
		t->restore_until = sqlite3_column_int64(st, 6);
		t->restored_at = sqlite3_column_int64(st, 7);
		u_copy(t->app_status, sizeof t->app_status, db_col(st, 8));
		u_copy(t->ddo_ru, sizeof t->ddo_ru, db_col(st, 9));
		u_copy(t->ddo_kk, sizeof t->ddo_kk, db_col(st, 10));
		t->app = app_id;
	}
	int failed = !found && sqlite3_reset(st) != SQLITE_OK;
	db_done(st);
	return found ? 1 : failed ? -1 : 0;
}

/* Opens the transaction and reads the target; an outcome other than
 * VCH_OK has rolled back. */
static int begin_on(struct actor who, long long app_id, struct target *t)
{
	if (db_begin() < 0)
		return -1;
	int found = target_of(who.id, app_id, t);
	if (found <= 0) {
		db_rollback();
		return found < 0 ? -1 : VCH_NOT_FOUND;
	}
	return VCH_OK;
}

static int commit_or_fail(const char *what, long long app_id)
{
	if (db_commit() == 0)
		return VCH_OK;
	log_err("voucher %s of application %lld failed: %s", what, app_id, db_errmsg());
	db_rollback();
	return -1;
}

static int fail(const char *what, long long app_id)
{
	log_err("voucher %s of application %lld failed: %s", what, app_id, db_errmsg());
	db_rollback();
	return -1;
}

int vch_confirm(struct actor who, long long app_id)
{
	long long now = u_now();
	struct target t;
	int rc = begin_on(who, app_id, &t);
	if (rc != VCH_OK)
		return rc;
	if (t.status != VCH_ISSUED || now > t.consent_until || strcmp(t.app_status, "queued") != 0) {
		db_rollback();
		return VCH_NOT_PENDING;
	}
	long long until = wd_end_after(now, vch_choose_days());
	if (until < 0)
		return fail("confirmation", app_id);
	char u[17];
	u_fmt_datetime(until, u);
	if (db_exec("UPDATE voucher SET status = 'confirmed', confirmed_at = ?, choose_until = ? "
		    "WHERE id = ? AND status = 'issued'", "III", now, until, t.id) != SQLITE_DONE || db_changes() != 1 ||
	    db_exec("UPDATE offer SET until = ? WHERE id = ? AND status = 'open'", "II", until, t.offer) != SQLITE_DONE ||
	    hist_add(app_id, who.id, "citizen", "voucher_confirmed", t.ddo_ru, NULL, u) < 0 ||
	    audit_act(who, "voucher_confirm", "voucher", t.id, "ok", u) < 0 ||
	    tell(app_id, "Voucher.sms_confirmed", t.ddo_ru, t.ddo_kk, until) < 0)
		return fail("confirmation", app_id);
	return commit_or_fail("confirmation", app_id);
}

int vch_refuse(struct actor who, long long app_id, int (*pass_on)(long long place_id, long long now))
{
	long long now = u_now();
	struct target t;
	int rc = begin_on(who, app_id, &t);
	if (rc != VCH_OK)
		return rc;
	int live = (t.status == VCH_ISSUED && now <= t.consent_until) ||
		   (t.status == VCH_CONFIRMED && now <= t.choose_until);
	if (!live || strcmp(t.app_status, "queued") != 0) {
		db_rollback();
		return VCH_NOT_PENDING;
	}
	/* The archiving lapses the open offer (sql/140's trigger); its place
	 * passes on at once. */
	if (db_exec("UPDATE voucher SET status = 'refused', refused_at = ?, closed_at = ? "
		    "WHERE id = ? AND status IN ('issued','confirmed')", "III", now, now, t.id) != SQLITE_DONE ||
	    db_changes() != 1 ||
	    db_exec("UPDATE application SET status = 'archived', archive_reason = 'voucher_refused', updated_at = ? "
		    "WHERE id = ? AND status = 'queued'", "II", now, app_id) != SQLITE_DONE || db_changes() != 1 ||
	    hist_add(app_id, who.id, "citizen", "voucher_refused", t.ddo_ru, NULL, NULL) < 0 ||
	    audit_act(who, "voucher_refuse", "voucher", t.id, "ok", "application archived") < 0 ||
	    tell(app_id, "Voucher.sms_refused", t.ddo_ru, t.ddo_kk, 0) < 0 || pass_on(t.place, now) < 0)
		return fail("refusal", app_id);
	return commit_or_fail("refusal", app_id);
}

int vch_restore(struct actor who, long long app_id, int (*offer_again)(long long app_id, long long now))
{
	long long now = u_now();
	struct target t;
	int rc = begin_on(who, app_id, &t);
	if (rc != VCH_OK)
		return rc;
	long long restores = db_int("SELECT count(*) FROM voucher WHERE application_id = ? AND restored_at IS NOT NULL", -1,
				    "I", app_id);
	rc = restores < 0 ? -1
	     : strcmp(t.app_status, "inactive") != 0 || t.status != VCH_LAPSED ? VCH_NOT_INACTIVE
	     : restores > 0 ? VCH_RESTORED_ONCE
	     : now > t.restore_until ? VCH_RESTORE_OVER
				     : VCH_OK;
	if (rc != VCH_OK) {
		db_rollback();
		return rc;
	}
	/* Back in the queue with its date; it may be offered a place at once. */
	if (db_exec("UPDATE voucher SET restored_at = ? WHERE id = ? AND status = 'lapsed' AND restored_at IS NULL", "II", now,
		    t.id) != SQLITE_DONE || db_changes() != 1 ||
	    db_exec("UPDATE application SET status = 'queued', updated_at = ? WHERE id = ? AND status = 'inactive'", "II", now,
		    app_id) != SQLITE_DONE || db_changes() != 1 ||
	    hist_add(app_id, who.id, "citizen", "voucher_restored", NULL, NULL, NULL) < 0 ||
	    audit_act(who, "voucher_restore", "application", app_id, "ok", "restored once") < 0 ||
	    tell(app_id, "Voucher.sms_restored", NULL, NULL, 0) < 0 || offer_again(app_id, now) < 0)
		return fail("restore", app_id);
	return commit_or_fail("restore", app_id);
}

/* ---- time ---- */

/* One due voucher: id, application, its offer's record and DDO. */
struct due {
	long long id, app, place;
	char ddo_ru[304], ddo_kk[304];
};

/* Up to 64 vouchers of the statement (columns: v.id, v.application_id,
 * o.place_id, d.name_ru, d.name_kk). Returns how many, or -1. */
static int read_due(sqlite3_stmt *st, struct due *rows)
{
	int k = 0;
	while (db_row(st) && k < 64) {
		rows[k].id = sqlite3_column_int64(st, 0);
		rows[k].app = sqlite3_column_int64(st, 1);
		rows[k].place = sqlite3_column_int64(st, 2);
		u_copy(rows[k].ddo_ru, sizeof rows[k].ddo_ru, db_col(st, 3));
		u_copy(rows[k].ddo_kk, sizeof rows[k].ddo_kk, db_col(st, 4));
		k++;
	}
	return db_end(st) < 0 ? -1 : k;
}

/* What passes a lapsed voucher's place on (vch_due's argument). */
static int (*lapse_pass_on)(long long place_id, long long now);

/* Not answered in time: the application becomes inactive (or the voucher
 * void when the application already left the queue). In the caller's
 * transaction; 1 changed, 0 another run did, -1. */
static int lapse_one(const struct due *d, long long now)
{
	long long restore_until = now + (long long)vch_restore_days() * 86400;
	if (db_exec("UPDATE application SET status = 'inactive', updated_at = ? WHERE id = ? AND status = 'queued'", "II", now,
		    d->app) != SQLITE_DONE)
		return -1;
	if (db_changes() == 0)
		return db_exec("UPDATE voucher SET status = 'void', closed_at = ? WHERE id = ? AND status = 'issued'", "II", now,
			       d->id) == SQLITE_DONE ? 1 : -1;
	char u[17];
	u_fmt_datetime(restore_until, u);
	if (db_exec("UPDATE voucher SET status = 'lapsed', lapsed_at = ?, restore_until = ?, closed_at = ? "
		    "WHERE id = ? AND status = 'issued'", "IIII", now, restore_until, now, d->id) != SQLITE_DONE ||
	    db_changes() != 1 || hist_add(d->app, 0, "system", "voucher_lapsed", d->ddo_ru, NULL, u) < 0 ||
	    audit_log(0, "system", "", "voucher_lapse", "voucher", d->id, "ok", "application inactive") < 0 ||
	    tell(d->app, "Voucher.sms_lapsed", d->ddo_ru, d->ddo_kk, restore_until) < 0 || lapse_pass_on(d->place, now) < 0)
		return -1;
	return 1;
}

/* Confirmed but no place chosen in time: the voucher expires; the offer
 * lapses by its until (offer_lapse_due), the application stays queued. */
static int expire_one(const struct due *d, long long now)
{
	if (db_exec("UPDATE voucher SET status = 'expired', closed_at = ? WHERE id = ? AND status = 'confirmed'", "II", now,
		    d->id) != SQLITE_DONE)
		return -1;
	if (db_changes() == 0)
		return 0;
	if (hist_add(d->app, 0, "system", "voucher_expired", d->ddo_ru, NULL, NULL) < 0 ||
	    audit_log(0, "system", "", "voucher_expire", "voucher", d->id, "ok", "no place chosen") < 0 ||
	    tell(d->app, "Voucher.sms_expired", d->ddo_ru, d->ddo_kk, 0) < 0)
		return -1;
	return 1;
}

/* Not restored within the period: the application is archived. */
static int archive_one(const struct due *d, long long now)
{
	if (db_exec("UPDATE voucher SET archived_at = ? WHERE id = ? AND status = 'lapsed' AND restored_at IS NULL "
		    "AND archived_at IS NULL", "II", now, d->id) != SQLITE_DONE)
		return -1;
	if (db_changes() == 0)
		return 0;   /* another run did it */
	if (db_exec("UPDATE application SET status = 'archived', archive_reason = 'voucher_lapsed', updated_at = ? "
		    "WHERE id = ? AND status = 'inactive'", "II", now, d->app) != SQLITE_DONE)
		return -1;
	if (db_changes() == 0)
		return 1;   /* no longer inactive: nothing to archive */
	if (hist_add(d->app, 0, "system", "voucher_archived", NULL, NULL, NULL) < 0 ||
	    audit_log(0, "system", "", "voucher_archive", "application", d->app, "ok", "restore period over") < 0 ||
	    tell(d->app, "Voucher.sms_archived", NULL, NULL, 0) < 0)
		return -1;
	return 1;
}

/* Runs step on each voucher the statement's SQL selects, each in its own
 * transaction, until none is left. Returns how many changed, or -1. */
static int each_due(sqlite3_stmt *(*select)(long long now), int (*step)(const struct due *d, long long now),
		    long long now)
{
	int n = 0;
	for (;;) {
		struct due rows[64];
		int k = read_due(select(now), rows);
		if (k <= 0)
			return k < 0 ? -1 : n;
		int progressed = 0;
		for (int i = 0; i < k; i++) {
			if (db_begin() < 0)
				return -1;
			int rc = step(&rows[i], now);
			if (rc < 0 || db_commit() < 0) {
				log_err("voucher job on voucher %lld failed: %s", rows[i].id, db_errmsg());
				db_rollback();
				return -1;
			}
			n += rc;
			progressed += rc;
		}
		if (!progressed || k < 64)
			return n;
	}
}

static sqlite3_stmt *unanswered(long long now)
{
	return db_query("SELECT v.id, v.application_id, o.place_id, d.name_ru, d.name_kk FROM voucher v "
			"JOIN offer o ON o.id = v.offer_id JOIN free_place f ON f.id = o.place_id JOIN ddo d ON d.id = f.ddo_id "
			"WHERE v.status = 'issued' AND v.consent_until < ? ORDER BY v.id LIMIT 64", "I", now);
}

static sqlite3_stmt *unused(long long now)
{
	return db_query("SELECT v.id, v.application_id, o.place_id, d.name_ru, d.name_kk FROM voucher v "
			"JOIN offer o ON o.id = v.offer_id JOIN free_place f ON f.id = o.place_id JOIN ddo d ON d.id = f.ddo_id "
			"WHERE v.status = 'confirmed' AND v.choose_until < ? ORDER BY v.id LIMIT 64", "I", now);
}

static sqlite3_stmt *unrestored(long long now)
{
	return db_query("SELECT v.id, v.application_id, o.place_id, d.name_ru, d.name_kk FROM voucher v "
			"JOIN offer o ON o.id = v.offer_id JOIN free_place f ON f.id = o.place_id JOIN ddo d ON d.id = f.ddo_id "
			"WHERE v.status = 'lapsed' AND v.restored_at IS NULL AND v.archived_at IS NULL AND v.restore_until < ? "
			"ORDER BY v.id LIMIT 64", "I", now);
}

int vch_due(long long now, int (*pass_on)(long long place_id, long long now))
{
	lapse_pass_on = pass_on;
	int a = each_due(unanswered, lapse_one, now);
	int b = a < 0 ? -1 : each_due(unused, expire_one, now);
	int c = b < 0 ? -1 : each_due(unrestored, archive_one, now);
	return a < 0 || b < 0 || c < 0 ? -1 : a + b + c;
}

/* ---- statistics ---- */

int vch_tally(int district, struct vch_tally *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = db_query("SELECT count(*), count(confirmed_at), count(lapsed_at), count(restored_at), "
				    "  count(refused_at) FROM voucher WHERE ? = 0 OR district_id = ?", "ii", district, district);
	if (db_row(st)) {
		out->issued = sqlite3_column_int64(st, 0);
		out->confirmed = sqlite3_column_int64(st, 1);
		out->lapsed = sqlite3_column_int64(st, 2);
		out->restored = sqlite3_column_int64(st, 3);
		out->refused = sqlite3_column_int64(st, 4);
	}
	return db_end(st);
}
