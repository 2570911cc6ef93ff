/* referral.c — see referral.h. */
#include "domain/referral.h"

#include <stdio.h>
#include <string.h>

#include "domain/account.h"
#include "domain/audit.h"
#include "domain/benefit.h"
#include "base/conf.h"
#include "base/lang.h"
#include "base/db.h"
#include "domain/hist.h"
#include "domain/offer.h"
#include "base/log.h"
#include "domain/place.h"
#include "base/util.h"
#include "base/workday.h"

const char *const ref_err_names[REF_ERR__MAX] = {
	"ok", "no_application", "referred", "archived", "not_queued", "no_record",
	"mismatch", "window", "exhausted", "frozen", "failed",
};

const char *const ref_status_names[REF_ST__MAX] = {
	"issued", "docs_submitted", "enrolled", "refused", "must_enroll", "annulled", "refusal_confirmed",
};

enum ref_status ref_status_parse(const char *name)
{
	for (int s = 0; s < REF_ST__MAX; s++)
		if (name && strcmp(name, ref_status_names[s]) == 0)
			return (enum ref_status)s;
	return REF_ST__MAX;
}

enum ref_status ref_status_at(enum ref_status stored, long long deadline_at, long long now)
{
	return stored == REF_ST_ISSUED && now > deadline_at ? REF_ST_ANNULLED : stored;
}

int ref_deadline_days(void)
{
	long long days = conf_int("Referral.DeadlineWorkingDays", 5);
	return days > 0 && days < 100 ? (int)days : 5;
}

long long ref_deadline(long long issued_at) { return wd_end_after(issued_at, ref_deadline_days()); }

/* kg_ref_status(status, deadline_at, now): ref_status_at for SQL, the name
 * of the status (NULL for a status that is none). */
static void sql_ref_status(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	enum ref_status s = ref_status_parse((const char *)sqlite3_value_text(argv[0]));
	if (s == REF_ST__MAX) {
		sqlite3_result_null(ctx);
		return;
	}
	s = ref_status_at(s, sqlite3_value_int64(argv[1]), sqlite3_value_int64(argv[2]));
	sqlite3_result_text(ctx, ref_status_names[s], -1, SQLITE_STATIC);
}

int ref_sql_register(sqlite3 *db)
{
	if (sqlite3_create_function_v2(db, "kg_ref_status", 3, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_ref_status,
				       NULL, NULL, NULL) != SQLITE_OK) {
		log_err("cannot register kg_ref_status: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

/* ---- reading ---- */

/* The row of st (columns: id, application_id, number, status, issued_at,
 * deadline_at, benefit_check = 'pending') into *o, as it reads at now; 1,
 * or 0 at the end. */
static int info_row(sqlite3_stmt *st, long long now, struct ref_info *o)
{
	memset(o, 0, sizeof *o);
	if (!db_row(st))
		return 0;
	o->id = sqlite3_column_int64(st, 0);
	o->application_id = sqlite3_column_int64(st, 1);
	snprintf(o->number, sizeof o->number, "%s", db_col(st, 2));
	o->stored = ref_status_parse(db_col(st, 3));
	o->issued_at = sqlite3_column_int64(st, 4);
	o->deadline_at = sqlite3_column_int64(st, 5);
	o->benefit_pending = sqlite3_column_int(st, 6);
	o->status = o->stored == REF_ST__MAX ? REF_ST__MAX : ref_status_at(o->stored, o->deadline_at, now);
	return 1;
}

/* info_row once, then done with st; -1 when the query failed. */
static int info_one(sqlite3_stmt *st, long long now, struct ref_info *o)
{
	if (!st)
		return -1;
	int found = info_row(st, now, o);
	int failed = !found && sqlite3_reset(st) != SQLITE_OK;   /* the step's error, if it was one */
	db_done(st);
	return found ? 1 : failed ? -1 : 0;
}

int ref_get(long long id, long long now, struct ref_info *o)
{
	return info_one(db_query("SELECT id, application_id, number, status, issued_at, deadline_at, benefit_check = 'pending' "
				 "FROM referral "
				 "WHERE id = ?", "I", id), now, o);
}

int ref_latest(long long app_id, long long now, struct ref_info *o)
{
	return info_one(db_query("SELECT id, application_id, number, status, issued_at, deadline_at, benefit_check = 'pending' "
				 "FROM referral "
				 "WHERE application_id = ? ORDER BY issued_at DESC, id DESC LIMIT 1", "I", app_id), now, o);
}

int ref_live(long long app_id, long long now, struct ref_info *o)
{
	/* At most one is stored live (the schema's unique index); it is not
	 * live any more once it reads annulled. */
	return info_one(db_query("SELECT id, application_id, number, status, issued_at, deadline_at, benefit_check = 'pending' "
				 "FROM referral "
				 "WHERE application_id = ? AND kg_ref_status(status, deadline_at, ?) "
				 "NOT IN ('annulled', 'refusal_confirmed') ORDER BY id DESC LIMIT 1", "II", app_id, now),
			now, o);
}

const char *ref_app_status(long long app_id, const char *stored, long long now, const char **reason)
{
	if (strcmp(stored, "referred") != 0)
		return stored;
	struct ref_info ref;
	int found = ref_latest(app_id, now, &ref);
	if (found < 0)
		return NULL;
	if (found && ref.status == REF_ST_ANNULLED) {
		/* A benefit not confirmed in time: back in the queue (benefit.h). */
		if (ref.benefit_pending)
			return "queued";
		*reason = "deadline";
		return "archived";
	}
	return stored;
}

int ref_number(long long application_id, int ordinal, char out[11])
{
	if (application_id < 1 || application_id > 9999999 || ordinal < 1 || ordinal > 99)
		return -1;
	snprintf(out, 11, "1%07u%02u", (unsigned)application_id % 10000000u, (unsigned)ordinal % 100u);
	return 0;
}

/* ---- texts ---- */

/* The text with each {name} replaced by its value (arena). */
static const char *fill(struct arena *a, const char *t, const char *const (*kv)[2], size_t n)
{
	struct buf b = {0};
	while (*t) {
		if (*t == '{') {
			size_t k;
			for (k = 0; k < n; k++) {
				size_t l = strlen(kv[k][0]);
				if (strncmp(t + 1, kv[k][0], l) == 0 && t[1 + l] == '}') {
					buf_adds(&b, kv[k][1]);
					t += l + 2;
					break;
				}
			}
			if (k < n)
				continue;
		}
		buf_addc(&b, *t++);
	}
	const char *out = arena_strdup(a, b.s ? b.s : "");
	buf_free(&b);
	return out ? out : "";
}


static const char *sms_text(struct arena *a, const char *lang, const char *key, const char *number, const char *ddo,
			    long long deadline_at)
{
	char date[11];
	u_fmt_date(deadline_at, date);
	const char *const kv[][2] = {{"number", number}, {"ddo", ddo}, {"deadline", date}};
	return fill(a, lang_t(lang, key), kv, 3);
}

/* ---- issuing ---- */

struct issue_ctx {
	/* application */
	char status[20], language[4], benefit[16], phone[20];
	int district, group_year;
	struct place_row place;   /* the record */
};

static enum ref_err status_error(const char *status)
{
	if (strcmp(status, "referred") == 0)
		return REF_REFERRED;
	if (strcmp(status, "archived") == 0 || strcmp(status, "departed") == 0)
		return REF_ARCHIVED;
	return REF_NOT_QUEUED;
}

/* The application of this citizen; 0 when it is not theirs. */
static int read_application(long long app_id, long long me, struct issue_ctx *c)
{
	sqlite3_stmt *st = db_query("SELECT status, district_id, group_year, language, benefit, phone FROM application "
				    "WHERE id = ? AND applicant_id = ?", "II", app_id, me);
	int found = db_row(st);
	if (found) {
		snprintf(c->status, sizeof c->status, "%s", db_col(st, 0));
		c->district = sqlite3_column_int(st, 1);
		c->group_year = sqlite3_column_int(st, 2);
		snprintf(c->language, sizeof c->language, "%s", db_col(st, 3));
		snprintf(c->benefit, sizeof c->benefit, "%s", db_col(st, 4));
		snprintf(c->phone, sizeof c->phone, "%s", db_col(st, 5));
	}
	db_done(st);
	return found;
}

/* The record and its DDO; 0 when there is none (or it cannot be read). */
static int read_record(long long place_id, long long now, struct issue_ctx *c)
{
	return place_get(place_id, now, &c->place) > 0;
}

/* offered: whether the application holds an open offer of the record. */
static enum ref_err check(const struct issue_ctx *c, long long app_id, int offered, long long now)
{
	const struct place_row *f = &c->place;
	struct place_app a = {app_id, c->district, c->group_year, c->language, c->status};
	struct place_rec p = {f->district, f->year, f->language, f->free, f->window_until};
	switch (place_eligible(&a, &p, offered, now)) {
	case PLACE_OK: return REF_OK;
	case PLACE_APP_NOT_QUEUED: return status_error(c->status);
	case PLACE_MISMATCH: return REF_MISMATCH;
	case PLACE_NO_FREE: return REF_EXHAUSTED;
	case PLACE_WINDOW: return REF_WINDOW;
	default: return REF_FAILED;
	}
}

/* A referral whose benefit is confirmed first (benefit.h) has the
 * confirmation's due time as its deadline until then: the document
 * deadline has not started. 0, or -1 on an error. */
static int await_benefit(struct ref_issued *out, long long app_id, const char *benefit, long long now)
{
	long long due = benefit_on_issue(out->id, app_id, benefit, now);
	if (due <= 0)
		return (int)due;
	if (db_exec("UPDATE referral SET deadline_at = ? WHERE id = ? AND status = 'issued'", "II", due, out->id) !=
		    SQLITE_DONE ||
	    db_changes() != 1)
		return -1;
	out->deadline_at = due;
	return 0;
}

/* The number of the application's live referral (for REF_REFERRED). */
static void live_number(long long app_id, char out[11])
{
	struct ref_info live;
	snprintf(out, 11, "%s", ref_live(app_id, u_now(), &live) > 0 ? live.number : "");
}

enum ref_err ref_issue(struct actor who, struct arena *a, const char *page_lang, long long app_id, long long place_id,
		       struct ref_issued *out)
{
	memset(out, 0, sizeof *out);
	long long me = who.id;
	long long now = u_now();
	struct issue_ctx c;
	memset(&c, 0, sizeof c);
	/* An overdue referral gives its place back before anyone reads the count. */
	if (ref_refresh(now) < 0)
		return REF_FAILED;
	if (!read_application(app_id, me, &c))
		return REF_NO_APPLICATION;
	if (wd_freeze(now, NULL, NULL))
		return REF_FROZEN;
	if (!read_record(place_id, now, &c)) {
		if (strcmp(c.status, "queued") != 0) {
			enum ref_err e = status_error(c.status);
			if (e == REF_REFERRED)
				live_number(app_id, out->number);
			return e;
		}
		return REF_NO_RECORD;
	}
	/* Checked here without a lock so that the many who come too late cost
	 * little; checked again inside the transaction. */
	enum ref_err e = check(&c, app_id, offer_held(app_id, place_id, now), now);
	if (e != REF_OK) {
		if (e == REF_REFERRED)
			live_number(app_id, out->number);
		return e;
	}
	int ordinal = (int)db_int("SELECT count(*) FROM referral WHERE application_id = ?", 0, "I", app_id) + 1;
	char number[11];
	if (ref_number(app_id, ordinal, number) < 0) {
		log_err("ref_issue: application %lld cannot have referral number %d", app_id, ordinal);
		return REF_FAILED;
	}
	long long deadline = ref_deadline(now);
	if (deadline < 0)
		return REF_FAILED;

	e = REF_FAILED;
	if (db_begin() < 0)
		goto out;
	/* An offer of this record is accepted before the application leaves
	 * the queue (which lapses any open offer: sql/140's trigger). */
	int offered = offer_accept(app_id, place_id, me, now);
	if (offered < 0)
		goto fail;
	if (db_exec("UPDATE application SET status = 'referred', updated_at = ? "
		    "WHERE id = ? AND applicant_id = ? AND status = 'queued'", "III", now, app_id, me) != SQLITE_DONE)
		goto fail;
	if (db_changes() != 1) {
		/* Another request of the same citizen got there first. */
		db_rollback();
		read_application(app_id, me, &c);
		e = status_error(c.status);
		if (e == REF_REFERRED)
			live_number(app_id, out->number);
		goto out;
	}
	/* The write lock is ours: the record read now is the one the referral
	 * takes. The place went to someone else meanwhile: the check says so
	 * (and the schema's CHECK free >= 0 would refuse it as well). */
	if (!read_record(place_id, now, &c)) {
		db_rollback();
		goto out;
	}
	e = check(&c, app_id, offered, now);
	if (e != REF_OK) {
		db_rollback();
		goto out;
	}
	e = REF_FAILED;
	int rc = db_exec("INSERT INTO referral(number, application_id, free_place_id, ddo_id, status, voucher, issued_at, "
			 "deadline_at) VALUES (?, ?, ?, ?, 'issued', 'active', ?, ?)",
			 "tIIIII", number, app_id, place_id, c.place.ddo_id, now, deadline);
	if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		db_rollback();
		e = REF_EXHAUSTED;
		goto out;
	}
	if (rc != SQLITE_DONE)
		goto fail;
	out->id = db_last_id();
	snprintf(out->number, sizeof out->number, "%s", number);
	out->deadline_at = deadline;
	const char *lang = acct_lang_of_app(app_id, page_lang);
	const char *ddo_sms = strcmp(lang, "kk") == 0 ? c.place.ddo_kk : c.place.ddo_ru;
	char dl[11];
	u_fmt_date(deadline, dl);
	char details[200];
	snprintf(details, sizeof details, "application=%lld place=%lld number=%s deadline=%s", app_id, place_id, number, dl);
	if (hist_add(app_id, me, "citizen", "referral_issued", number, c.place.ddo_ru, dl) < 0 ||
	    audit_act(who, "referral_issue", "referral", out->id, "ok", details) < 0 ||
	    (!benefit_needs_check(c.benefit, benefit_confirm_first()) &&
	     hist_notify(app_id, c.phone, "referral", sms_text(a, lang, "Ref.sms_issued", number, ddo_sms, deadline)) < 0) ||
	    db_exec("INSERT INTO referral_pdf_due(referral_id, lang, due_at) VALUES (?, ?, ?)", "ItI", out->id,
		    lang, now) != SQLITE_DONE)
		goto fail;
	if (await_benefit(out, app_id, c.benefit, now) < 0)   /* its SMS replaces the one above */
		goto fail;
	/* A place taken in free choice lapses an offer held elsewhere: it
	 * passes on at once (and a record's reserve is topped up). */
	if (offer_fill(c.district, c.group_year, c.language, now) < 0)
		goto fail;
	if (db_commit() < 0)
		goto fail;
	e = REF_OK;
	goto out;
fail:
	log_err("ref_issue failed: %s", db_errmsg());
	db_rollback();
	e = REF_FAILED;
	memset(out, 0, sizeof *out);
out:
	return e;
}

/* ---- time ---- */

static struct arena *job_arena;

static struct arena *jarena(void)
{
	if (!job_arena)
		job_arena = arena_new();
	else
		arena_reset(job_arena);
	return job_arena;
}

/* Annuls one referral if it is still due. 1 annulled, 0 someone else did
 * or it is no longer due, -1 error. */
static int annul_one(long long id, long long now)
{
	struct arena *a = jarena();
	if (!a || db_begin() < 0)
		return -1;
	if (db_exec("UPDATE referral SET status = 'annulled', voucher = 'annulled', closed_at = ? "
		    "WHERE id = ? AND status = 'issued' AND kg_ref_status(status, deadline_at, ?) = 'annulled'", "III", now,
		    id, now) != SQLITE_DONE)
		goto fail;
	if (db_changes() != 1) {
		db_rollback();
		return 0;
	}
	long long app = 0, place = 0, deadline = 0;
	char number[11] = "", phone[20] = "", language[4] = "ru", ddo_ru[304] = "", ddo_kk[304] = "";
	sqlite3_stmt *st = db_query("SELECT r.application_id, r.free_place_id, r.number, r.deadline_at, a.phone, a.language, "
				    "  d.name_ru, d.name_kk "
				    "FROM referral r JOIN application a ON a.id = r.application_id JOIN ddo d ON d.id = r.ddo_id "
				    "WHERE r.id = ?", "I", id);
	if (db_row(st)) {
		app = sqlite3_column_int64(st, 0);
		place = sqlite3_column_int64(st, 1);
		snprintf(number, sizeof number, "%s", db_col(st, 2));
		deadline = sqlite3_column_int64(st, 3);
		snprintf(phone, sizeof phone, "%s", db_col(st, 4));
		snprintf(language, sizeof language, "%s", db_col(st, 5));
		snprintf(ddo_ru, sizeof ddo_ru, "%s", db_col(st, 6));
		snprintf(ddo_kk, sizeof ddo_kk, "%s", db_col(st, 7));
	}
	db_done(st);
	if (!app)
		goto fail;
	if (db_exec("UPDATE application SET status = 'archived', archive_reason = 'deadline', updated_at = ? "
		    "WHERE id = ? AND status = 'referred'", "II", now, app) != SQLITE_DONE)
		goto fail;
	if (place_fix_status(place, now) < 0)
		goto fail;
	/* A place given back during its record's window is offered on. */
	if (offer_fill_place(place, now) < 0)
		goto fail;
	char dl[11];
	u_fmt_date(deadline, dl);
	const char *lang = acct_lang_of_app(app, NULL);
	char details[120];
	snprintf(details, sizeof details, "number=%s deadline=%s", number, dl);
	if (hist_add(app, 0, "system", "referral_annulled", number, ddo_ru, dl) < 0 ||
	    audit_log(0, "system", "", "referral_annul", "referral", id, "ok", details) < 0 ||
	    (*phone && hist_notify(app, phone, "annulled",
				  sms_text(a, lang, "Ref.sms_annulled", number, strcmp(lang, "kk") == 0 ? ddo_kk : ddo_ru,
					   deadline)) < 0))
		goto fail;
	if (db_commit() < 0)
		goto fail;
	return 1;
fail:
	log_err("annulment of referral %lld failed: %s", id, db_errmsg());
	db_rollback();
	return -1;
}

long long ref_start_deadline(long long id, long long now)
{
	long long deadline = ref_deadline(now);
	if (deadline < 0 ||
	    db_exec("UPDATE referral SET deadline_at = ? WHERE id = ? AND status = 'issued'", "II", deadline, id) !=
		    SQLITE_DONE ||
	    db_changes() != 1)
		return -1;
	return deadline;
}

int ref_annul_due(long long now)
{
	/* Cheap when nothing is due: one look at the partial index. A stored
	 * 'issued' with deadline_at < now is what ref_status_at reads
	 * annulled, in the form the index referral_deadline answers. One
	 * whose benefit awaited its confirmation lapses instead
	 * (benefit_lapse_due). */
	int n = 0;
	for (;;) {
		long long ids[64];
		int k = 0;
		sqlite3_stmt *st = db_query("SELECT id FROM referral WHERE status = 'issued' AND deadline_at < ? "
					    "AND benefit_check <> 'pending' ORDER BY deadline_at, id LIMIT 64", "I", now);
		while (db_row(st) && k < 64)
			ids[k++] = sqlite3_column_int64(st, 0);
		db_done(st);
		if (!k)
			return n;
		int progressed = 0;
		for (int i = 0; i < k; i++) {
			int rc = annul_one(ids[i], now);
			if (rc < 0)
				return -1;
			n += rc;
			progressed += rc;
		}
		if (!progressed)
			return n;   /* another run is annulling these */
	}
}

int ref_refresh(long long now)
{
	int a = place_refresh_status(now);
	int b = ref_annul_due(now);
	int c = offer_lapse_due(now);
	int d = benefit_lapse_due(now);
	if (a < 0 || b < 0 || c < 0 || d < 0)
		return -1;
	return a + b + c + d;
}

int ref_remind_due(long long now)
{
	/* A deadline at most one working day away is less than two weeks away
	 * whatever the holidays; the working days are counted in C. */
	long long ids[256];
	int k = 0;
	/* While a benefit awaits its confirmation there is no document
	 * deadline to remind of. */
	sqlite3_stmt *st = db_query("SELECT id, deadline_at FROM referral WHERE status = 'issued' AND reminded_at IS NULL "
				    "AND deadline_at >= ? AND deadline_at < ? AND benefit_check <> 'pending' "
				    "ORDER BY deadline_at, id LIMIT 256",
				    "II", now, now + 14 * 86400);
	while (db_row(st) && k < 256) {
		if (wd_days_left(now, sqlite3_column_int64(st, 1)) <= 1)
			ids[k++] = sqlite3_column_int64(st, 0);
	}
	db_done(st);
	int n = 0;
	for (int i = 0; i < k; i++) {
		struct arena *a = jarena();
		if (!a || db_begin() < 0)
			return -1;
		if (db_exec("UPDATE referral SET reminded_at = ? WHERE id = ? AND status = 'issued' AND reminded_at IS NULL",
			    "II", now, ids[i]) != SQLITE_DONE)
			goto fail;
		if (db_changes() != 1) {
			db_rollback();
			continue;
		}
		long long app = 0, deadline = 0;
		char number[11] = "", phone[20] = "", ddo_ru[304] = "", ddo_kk[304] = "";
		st = db_query("SELECT r.application_id, r.number, r.deadline_at, a.phone, d.name_ru, d.name_kk "
			      "FROM referral r JOIN application a ON a.id = r.application_id JOIN ddo d ON d.id = r.ddo_id "
			      "WHERE r.id = ?", "I", ids[i]);
		if (db_row(st)) {
			app = sqlite3_column_int64(st, 0);
			snprintf(number, sizeof number, "%s", db_col(st, 1));
			deadline = sqlite3_column_int64(st, 2);
			snprintf(phone, sizeof phone, "%s", db_col(st, 3));
			snprintf(ddo_ru, sizeof ddo_ru, "%s", db_col(st, 4));
			snprintf(ddo_kk, sizeof ddo_kk, "%s", db_col(st, 5));
		}
		db_done(st);
		if (!app || !*phone)
			goto fail;
		const char *lang = acct_lang_of_app(app, NULL);
		const char *ddo = strcmp(lang, "kk") == 0 ? ddo_kk : ddo_ru;
		if (hist_notify(app, phone, "reminder", sms_text(a, lang, "Ref.sms_reminder", number, ddo,
								 deadline)) < 0 ||
		    audit_log(0, "system", "", "referral_remind", "referral", ids[i], "ok", number) < 0)
			goto fail;
		if (db_commit() < 0)
			goto fail;
		n++;
		continue;
fail:
		log_err("reminder of referral %lld failed: %s", ids[i], db_errmsg());
		db_rollback();
		return -1;
	}
	return n;
}
