/* benefit.c — see benefit.h. */
#include "domain/benefit.h"

#include <stdio.h>
#include <string.h>

#include "base/conf.h"
#include "base/db.h"
#include "base/lang.h"
#include "base/log.h"
#include "base/util.h"
#include "base/workday.h"
#include "domain/account.h"
#include "domain/audit.h"
#include "domain/hist.h"
#include "domain/offer.h"
#include "domain/place.h"

const char *const benefit_check_names[BC__MAX] = {"", "pending", "confirmed", "refused", "lapsed"};

int benefit_confirm_days(void)
{
	long long days = conf_int("Benefit.ConfirmWorkingDays", 5);
	return days > 0 && days < 100 ? (int)days : 5;
}

int benefit_confirm_first(void) { return conf_int("Benefit.ConfirmFirstPriority", 0) != 0; }

int benefit_needs_check(const char *benefit, int confirm_first)
{
	if (!benefit)
		return 0;
	if (strcmp(benefit, "out_of_turn") == 0)
		return 1;
	return confirm_first && strcmp(benefit, "first_priority") == 0;
}

long long benefit_due(long long issued_at) { return wd_end_after(issued_at, benefit_confirm_days()); }

/* ---- the referral and its application ---- */

struct bref {
	long long id, app, place, due_at;
	int district, group_year;
	char language[4], number[11], phone[20], app_number[40];
	char district_ru[128], district_kk[128], ddo_ru[304], ddo_kk[304];
};

/* 1 found, 0 not, -1 error. */
static int bref_load(long long id, struct bref *b)
{
	memset(b, 0, sizeof *b);
	sqlite3_stmt *st = db_query("SELECT r.id, r.application_id, r.free_place_id, coalesce(r.benefit_due_at, 0), "
				    "a.district_id, a.group_year, a.language, r.number, a.phone, a.number, "
				    "di.name_ru, di.name_kk, d.name_ru, d.name_kk "
				    "FROM referral r JOIN application a ON a.id = r.application_id "
				    "JOIN district di ON di.id = a.district_id JOIN ddo d ON d.id = r.ddo_id WHERE r.id = ?",
				    "I", id);
	if (!st)
		return -1;
	int found = db_row(st);
	if (found) {
		b->id = sqlite3_column_int64(st, 0);
		b->app = sqlite3_column_int64(st, 1);
		b->place = sqlite3_column_int64(st, 2);
		b->due_at = sqlite3_column_int64(st, 3);
		b->district = sqlite3_column_int(st, 4);
		b->group_year = sqlite3_column_int(st, 5);
		u_copy(b->language, sizeof b->language, db_col(st, 6));
		u_copy(b->number, sizeof b->number, db_col(st, 7));
		u_copy(b->phone, sizeof b->phone, db_col(st, 8));
		u_copy(b->app_number, sizeof b->app_number, db_col(st, 9));
		u_copy(b->district_ru, sizeof b->district_ru, db_col(st, 10));
		u_copy(b->district_kk, sizeof b->district_kk, db_col(st, 11));
		u_copy(b->ddo_ru, sizeof b->ddo_ru, db_col(st, 12));
		u_copy(b->ddo_kk, sizeof b->ddo_kk, db_col(st, 13));
	}
	int failed = !found && sqlite3_reset(st) != SQLITE_OK;
	db_done(st);
	return found ? 1 : failed ? -1 : 0;
}

/* The SMS of kind to the parent, L.BenefitCheck.sms_<kind> in the
 * parent's language (account.h), with
 * {number}, {app}, {ddo}, {district} and {date}. */
static int tell(const struct bref *b, const char *kind, long long date)
{
	if (!*b->phone)
		return 0;
	const char *lang = acct_lang_of_app(b->app, NULL);
	int kk = *lang == 'k';
	char key[48], d[11] = "";
	snprintf(key, sizeof key, "BenefitCheck.sms_%s", kind);
	if (date > 0)
		u_fmt_date(date, d);
	struct arena *a = arena_new();
	if (!a)
		return -1;
	const char *kv[] = {"number", b->number, "app", b->app_number, "ddo", kk ? b->ddo_kk : b->ddo_ru,
			    "district", kk ? b->district_kk : b->district_ru, "date", d, NULL};
	long long id = hist_notify(b->app, b->phone, arena_printf(a, "benefit_%s", kind), arena_subst(a, lang_t(lang, key), kv));
	arena_free(a);
	return id < 0 ? -1 : 0;
}

/* The application returns to the queue: its queue date kept, in the
 * category its documents support (none), with the history row of why
 * (event benefit_<outcome>: p1 the referral, p2 the comment or the due
 * date) and the SMS. */
static int requeue(const struct bref *b, enum benefit_check outcome, struct actor who, const char *comment, long long now)
{
	if (db_exec("UPDATE application SET status = 'queued', benefit = 'none', benefit_ground = '', updated_at = ? "
		    "WHERE id = ? AND status = 'referred'",
		    "II", now, b->app) != SQLITE_DONE ||
	    db_changes() != 1)
		return -1;
	char due[11];
	u_fmt_date(b->due_at, due);
	const char *name = benefit_check_names[outcome];
	char ev[32];
	snprintf(ev, sizeof ev, "benefit_%s", name);
	if (hist_add(b->app, who.id, who.role, ev, b->number, outcome == BC_REFUSED ? comment : due, NULL) < 0)
		return -1;
	return tell(b, name, b->due_at);
}

/* ---- issue ---- */

long long benefit_on_issue(long long referral_id, long long app_id, const char *benefit, long long now)
{
	if (!benefit_needs_check(benefit, benefit_confirm_first()))
		return 0;
	long long due = benefit_due(now);
	if (due < 0)
		return -1;
	if (db_exec("UPDATE referral SET benefit_check = 'pending', benefit_due_at = ? "
		    "WHERE id = ? AND application_id = ? AND status = 'issued' AND benefit_check = ''",
		    "III", due, referral_id, app_id) != SQLITE_DONE ||
	    db_changes() != 1)
		return -1;
	struct bref b;
	if (bref_load(referral_id, &b) <= 0)
		return -1;
	char d[11];
	u_fmt_date(due, d);
	if (hist_add(app_id, 0, "system", "benefit_pending", b.number, b.district_ru, d) < 0 || tell(&b, "pending", due) < 0)
		return -1;
	return due;
}

/* ---- the endings ---- */

/* One pending confirmation past its due time, in its own transaction:
 * 1 lapsed, 0 someone else did it (or it was decided), -1 error. */
static int lapse_one(long long id, long long now)
{
	if (db_begin() < 0)
		return -1;
	/* One statement closes the referral and records why (the trigger
	 * referral_final keeps a closed referral as it is); the schema's
	 * trigger gives the place back. */
	if (db_exec("UPDATE referral SET status = 'annulled', voucher = 'annulled', closed_at = ?, "
		    "benefit_check = 'lapsed', benefit_decided_at = ? "
		    "WHERE id = ? AND status = 'issued' AND benefit_check = 'pending' AND benefit_due_at < ?",
		    "IIII", now, now, id, now) != SQLITE_DONE)
		goto fail;
	if (db_changes() != 1) {
		db_rollback();
		return 0;
	}
	struct bref b;
	struct actor sys = {0, "system", ""};
	char details[96];
	if (bref_load(id, &b) <= 0)
		goto fail;
	snprintf(details, sizeof details, "number=%s application=%lld", b.number, b.app);
	if (place_fix_status(b.place, now) < 0 || requeue(&b, BC_LAPSED, sys, NULL, now) < 0 ||
	    offer_fill_place(b.place, now) < 0 ||
	    audit_log(0, "system", "", "benefit_lapse", "referral", id, "ok", details) < 0 || db_commit() < 0)
		goto fail;
	return 1;
fail:
	log_err("lapse of the benefit check of referral %lld failed: %s", id, db_errmsg());
	db_rollback();
	return -1;
}

int benefit_lapse_due(long long now)
{
	/* Cheap when nothing is due: one look at the partial index. */
	int n = 0;
	for (;;) {
		long long ids[64];
		int k = 0;
		sqlite3_stmt *st = db_query("SELECT id FROM referral WHERE benefit_check = 'pending' AND benefit_due_at < ? "
					    "AND status = 'issued' ORDER BY benefit_due_at, id LIMIT 64",
					    "I", now);
		while (db_row(st) && k < 64)
			ids[k++] = sqlite3_column_int64(st, 0);
		if (db_end(st) < 0)
			return -1;
		if (!k)
			return n;
		int progressed = 0;
		for (int i = 0; i < k; i++) {
			int rc = lapse_one(ids[i], now);
			if (rc < 0)
				return -1;
			progressed += rc;
		}
		n += progressed;
		if (!progressed)
			return n;   /* another run is lapsing these */
	}
}

int benefit_refuse(long long id, struct actor who, const char *comment, long long sig, long long now)
{
	if (db_exec("UPDATE referral SET status = 'annulled', voucher = 'annulled', closed_at = ?, "
		    "benefit_check = 'refused', benefit_by = ?, benefit_comment = ?, benefit_signature_id = ?, "
		    "benefit_decided_at = ? "
		    "WHERE id = ? AND status = 'issued' AND benefit_check = 'pending' AND benefit_due_at >= ?",
		    "IItIIII", now, who.id, comment, sig, now, id, now) != SQLITE_DONE)
		return -1;
	if (db_changes() != 1)
		return 0;
	struct bref b;
	if (bref_load(id, &b) <= 0 || place_fix_status(b.place, now) < 0 || requeue(&b, BC_REFUSED, who, comment, now) < 0 ||
	    offer_fill_place(b.place, now) < 0)
		return -1;
	return 1;
}

int benefit_confirm(long long id, struct actor who, const char *comment, long long sig, long long deadline_at,
		    long long now)
{
	if (db_exec("UPDATE referral SET benefit_check = 'confirmed', benefit_by = ?, benefit_comment = ?, "
		    "benefit_signature_id = ?, benefit_decided_at = ? "
		    "WHERE id = ? AND status = 'issued' AND benefit_check = 'pending' AND benefit_due_at >= ?",
		    "ItIIII", who.id, comment, sig, now, id, now) != SQLITE_DONE)
		return -1;
	if (db_changes() != 1)
		return 0;
	struct bref b;
	if (bref_load(id, &b) <= 0)
		return -1;
	char dl[11];
	u_fmt_date(deadline_at, dl);
	if (hist_add(b.app, who.id, who.role, "benefit_confirmed", b.number, comment, dl) < 0 ||
	    tell(&b, "confirmed", deadline_at) < 0)
		return -1;
	return 1;
}
