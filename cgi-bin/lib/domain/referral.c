/* referral.c — see referral.h. */
#include "domain/referral.h"

#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "domain/audit.h"
#include "base/conf.h"
#include "base/db.h"
#include "domain/doc.h"
#include "domain/hist.h"
#include "base/log.h"
#include "base/pdf.h"
#include "domain/place.h"
#include "base/sms.h"
#include "base/util.h"
#include "web/view.h"
#include "base/workday.h"

const char *const ref_err_names[REF_ERR__MAX] = {
	"ok", "no_application", "referred", "archived", "not_queued", "no_record",
	"mismatch", "window", "exhausted", "failed",
};

int ref_number(long long application_id, int ordinal, char out[11])
{
	if (application_id < 1 || application_id > 9999999 || ordinal < 1 || ordinal > 99)
		return -1;
	snprintf(out, 11, "1%07u%02u", (unsigned)application_id % 10000000u, (unsigned)ordinal % 100u);
	return 0;
}

/* ---- texts ---- */

/* An interface string in a given language, outside a request when need be. */
static const char *txt(struct arena *a, const char *lang, const char *key)
{
	struct req t;
	memset(&t, 0, sizeof t);
	t.a = a;
	t.lang = lang;
	return view_t(&t, key);
}

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

/* The SMS language of an application: Kazakh for a Kazakh-language group. */
static const char *sms_lang(const char *group_language) { return strcmp(group_language, "kk") == 0 ? "kk" : "ru"; }

static const char *sms_text(struct arena *a, const char *lang, const char *key, const char *number, const char *ddo,
			    long long deadline_at)
{
	char date[11];
	u_fmt_date(deadline_at, date);
	const char *const kv[][2] = {{"number", number}, {"ddo", ddo}, {"deadline", date}};
	return fill(a, txt(a, lang, key), kv, 3);
}

/* ---- issuing ---- */

struct issue_ctx {
	/* application */
	char status[20], language[4], benefit[16], phone[20], app_number[32];
	char child[400], child_iin[13], birth[11];
	int district, group_year;
	/* record */
	int p_district, p_year, p_free;
	char p_language[4];
	long long p_window, ddo_id;
	char ddo_ru[304], ddo_kk[304], address[304], kind[24];
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
	sqlite3_stmt *st = db_query(
		"SELECT a.status, a.district_id, a.group_year, a.language, a.benefit, a.phone, a.number, "
		"  c.surname || ' ' || c.name || CASE WHEN c.patronymic <> '' THEN ' ' || c.patronymic ELSE '' END, "
		"  c.iin, c.birth_date "
		"FROM application a JOIN child c ON c.id = a.child_id WHERE a.id = ? AND a.applicant_id = ?",
		"II", app_id, me);
	int found = db_row(st);
	if (found) {
		snprintf(c->status, sizeof c->status, "%s", db_col(st, 0));
		c->district = sqlite3_column_int(st, 1);
		c->group_year = sqlite3_column_int(st, 2);
		snprintf(c->language, sizeof c->language, "%s", db_col(st, 3));
		snprintf(c->benefit, sizeof c->benefit, "%s", db_col(st, 4));
		snprintf(c->phone, sizeof c->phone, "%s", db_col(st, 5));
		snprintf(c->app_number, sizeof c->app_number, "%s", db_col(st, 6));
		snprintf(c->child, sizeof c->child, "%s", db_col(st, 7));
		snprintf(c->child_iin, sizeof c->child_iin, "%s", db_col(st, 8));
		snprintf(c->birth, sizeof c->birth, "%s", db_col(st, 9));
	}
	db_done(st);
	return found;
}

static int read_record(long long place_id, struct issue_ctx *c)
{
	sqlite3_stmt *st = db_query(
		"SELECT f.district_id, f.group_year, f.language, f.free, f.window_until, f.ddo_id, "
		"  d.name_ru, d.name_kk, d.address, d.kind "
		"FROM free_place f JOIN ddo d ON d.id = f.ddo_id WHERE f.id = ?", "I", place_id);
	int found = db_row(st);
	if (found) {
		c->p_district = sqlite3_column_int(st, 0);
		c->p_year = sqlite3_column_int(st, 1);
		snprintf(c->p_language, sizeof c->p_language, "%s", db_col(st, 2));
		c->p_free = sqlite3_column_int(st, 3);
		c->p_window = sqlite3_column_int64(st, 4);
		c->ddo_id = sqlite3_column_int64(st, 5);
		snprintf(c->ddo_ru, sizeof c->ddo_ru, "%s", db_col(st, 6));
		snprintf(c->ddo_kk, sizeof c->ddo_kk, "%s", db_col(st, 7));
		snprintf(c->address, sizeof c->address, "%s", db_col(st, 8));
		snprintf(c->kind, sizeof c->kind, "%s", db_col(st, 9));
	}
	db_done(st);
	return found;
}

static enum ref_err check(const struct issue_ctx *c, long long now)
{
	struct place_app a = {c->district, c->group_year, c->language, c->benefit, c->status};
	struct place_rec p = {c->p_district, c->p_year, c->p_language, c->p_free, c->p_window};
	switch (place_eligible(&a, &p, now)) {
	case PLACE_OK: return REF_OK;
	case PLACE_APP_NOT_QUEUED: return status_error(c->status);
	case PLACE_MISMATCH: return REF_MISMATCH;
	case PLACE_NO_FREE: return REF_EXHAUSTED;
	case PLACE_WINDOW: return REF_WINDOW;
	default: return REF_FAILED;
	}
}

/* The number of the application's live referral (for REF_REFERRED). */
static void live_number(long long app_id, char out[11])
{
	if (!db_text(out, 11, "SELECT number FROM referral WHERE application_id = ? "
			      "AND status NOT IN ('annulled','refusal_confirmed') ORDER BY id DESC LIMIT 1", "I", app_id))
		out[0] = '\0';
}

/* The referral document (направление) in a language ("ru" or "kk"). */
static int build_pdf(struct arena *a, const char *lang, const struct issue_ctx *c, const char *number,
		     long long issued_at, long long deadline_at, const char *check_code, struct buf *out)
{
	int kk = strcmp(lang, "kk") == 0;
	char issued[17], deadline[11], year[8];
	u_fmt_datetime(issued_at, issued);
	u_fmt_date(deadline_at, deadline);
	snprintf(year, sizeof year, "%d", c->p_year);
	struct pdf *p = pdf_new(arena_printf(a, "%s %s", txt(a, lang, "Ref.Pdf.title"), number));
	if (!p)
		return -1;
	pdf_title(p, arena_printf(a, "%s № %s", txt(a, lang, "Ref.Pdf.title"), number));
	pdf_note(p, txt(a, lang, "Ref.Pdf.subtitle"));
	pdf_gap(p, 8);
	pdf_field(p, txt(a, lang, "Ref.Pdf.number"), number);
	pdf_field(p, txt(a, lang, "Ref.Pdf.issued"), issued);
	pdf_field(p, txt(a, lang, "Ref.Pdf.application"), c->app_number);
	pdf_field(p, txt(a, lang, "Ref.Pdf.child"), c->child);
	pdf_field(p, txt(a, lang, "Ref.Pdf.iin"), c->child_iin);
	pdf_field(p, txt(a, lang, "Ref.Pdf.ddo"), kk ? c->ddo_kk : c->ddo_ru);
	pdf_field(p, txt(a, lang, "Ref.Pdf.address"), c->address);
	pdf_field(p, txt(a, lang, "Ref.Pdf.kind"), txt(a, lang, arena_printf(a, "Places.Kind.%s", c->kind)));
	pdf_field(p, txt(a, lang, "Ref.Pdf.year"), year);
	pdf_field(p, txt(a, lang, "Ref.Pdf.language"), txt(a, lang, arena_printf(a, "Places.Lang.%s", c->p_language)));
	pdf_field(p, txt(a, lang, "Ref.Pdf.deadline"), deadline);
	pdf_gap(p, 8);
	const char *const kv[][2] = {{"days", arena_printf(a, "%lld", conf_int("Referral.DeadlineWorkingDays", 5))},
				     {"deadline", deadline}};
	pdf_text(p, fill(a, txt(a, lang, "Ref.Pdf.rule"), kv, 2));
	pdf_gap(p, 12);
	pdf_qr(p, doc_check_url(a, check_code), txt(a, lang, "Ref.Pdf.qr"));
	return pdf_finish(p, out);
}

/* After the response of a choice: the referral's PDF, in the same worker. */
static void pdf_after_response(long long referral_id)
{
	if (ref_make_pdf(referral_id) < 0)
		log_err("the PDF of referral %lld was not made now; `kgctl tick` makes it", referral_id);
}

int ref_pdf_here(long long referral_id) { return req_after_run(pdf_after_response, referral_id); }

enum ref_err ref_issue(struct req *r, long long app_id, long long place_id, struct ref_issued *out)
{
	memset(out, 0, sizeof *out);
	long long me = req_account(r);
	long long now = u_now();
	struct issue_ctx c;
	memset(&c, 0, sizeof c);
	/* An overdue referral gives its place back before anyone reads the count. */
	if (place_refresh(now) < 0)
		return REF_FAILED;
	if (!read_application(app_id, me, &c))
		return REF_NO_APPLICATION;
	if (!read_record(place_id, &c)) {
		if (strcmp(c.status, "queued") != 0) {
			enum ref_err e = status_error(c.status);
			if (e == REF_REFERRED)
				live_number(app_id, out->number);
			return e;
		}
		return REF_NO_RECORD;
	}
	/* Checked here without a lock so that the many who come too late cost
	 * little; checked again by the statements of the transaction. */
	enum ref_err e = check(&c, now);
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
	long long days = conf_int("Referral.DeadlineWorkingDays", 5);
	long long deadline = wd_end_after(now, days > 0 && days < 100 ? (int)days : 5);
	if (deadline < 0)
		return REF_FAILED;

	e = REF_FAILED;
	if (db_begin() < 0)
		goto out;
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
	int rc = db_exec("INSERT INTO referral(number, application_id, free_place_id, ddo_id, status, voucher, issued_at, "
			 "deadline_at) SELECT ?, ?, f.id, f.ddo_id, 'issued', 'active', ?, ? FROM free_place f "
			 "WHERE f.id = ? AND f.free > 0 AND f.district_id = ? AND f.group_year = ? AND f.language = ? "
			 "AND (? > f.window_until OR ? <> 'none')",
			 "tIIIIiitIt", number, app_id, now, deadline, place_id, c.district, c.group_year, c.language, now,
			 c.benefit);
	if ((rc & 0xff) == SQLITE_CONSTRAINT || (rc == SQLITE_DONE && db_changes() == 0)) {
		/* The place went to someone else meanwhile (the CHECK free >= 0
		 * would refuse it as well), or the window rule applies again. */
		db_rollback();
		read_record(place_id, &c);
		e = c.p_free <= 0 ? REF_EXHAUSTED : check(&c, now);
		if (e == REF_OK)
			e = REF_FAILED;
		goto out;
	}
	if (rc != SQLITE_DONE)
		goto fail;
	out->id = db_last_id();
	snprintf(out->number, sizeof out->number, "%s", number);
	out->deadline_at = deadline;
	const char *lang = sms_lang(c.language);
	const char *ddo_sms = strcmp(lang, "kk") == 0 ? c.ddo_kk : c.ddo_ru;
	char dl[11];
	u_fmt_date(deadline, dl);
	char details[200];
	snprintf(details, sizeof details, "application=%lld place=%lld number=%s deadline=%s", app_id, place_id, number, dl);
	if (hist_add(app_id, me, "citizen", "referral_issued", number, c.ddo_ru, dl) < 0 ||
	    audit_req(r, ROLE_CITIZEN, "referral_issue", "referral", out->id, "ok", details) < 0 ||
	    notify_add(app_id, c.phone, "referral", sms_text(r->a, lang, "Ref.sms_issued", number, ddo_sms, deadline)) < 0 ||
	    db_exec("INSERT INTO referral_pdf_due(referral_id, lang, due_at) VALUES (?, ?, ?)", "ItI", out->id,
		    strcmp(r->lang, "kk") == 0 ? "kk" : "ru", now) != SQLITE_DONE)
		goto fail;
	if (db_commit() < 0)
		goto fail;
	req_after(pdf_after_response, out->id);
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

/* ---- the referral PDF ---- */

int ref_make_pdf(long long id)
{
	char lang[4] = "";
	if (!db_text(lang, sizeof lang, "SELECT lang FROM referral_pdf_due WHERE referral_id = ?", "I", id))
		return 0;   /* made already (or never due) */
	struct arena *a = jarena();
	if (!a)
		return -1;
	struct issue_ctx c;
	memset(&c, 0, sizeof c);
	char number[11] = "";
	long long issued_at = 0, deadline_at = 0, app_id = 0, applicant = 0;
	sqlite3_stmt *st = db_query(
		"SELECT r.number, r.issued_at, r.deadline_at, a.id, a.applicant_id, a.number, "
		"  c.surname || ' ' || c.name || CASE WHEN c.patronymic <> '' THEN ' ' || c.patronymic ELSE '' END, c.iin, "
		"  d.name_ru, d.name_kk, d.address, d.kind, f.group_year, f.language "
		"FROM referral r JOIN application a ON a.id = r.application_id JOIN child c ON c.id = a.child_id "
		"JOIN ddo d ON d.id = r.ddo_id JOIN free_place f ON f.id = r.free_place_id WHERE r.id = ?", "I", id);
	int found = db_row(st);
	if (found) {
		snprintf(number, sizeof number, "%s", db_col(st, 0));
		issued_at = sqlite3_column_int64(st, 1);
		deadline_at = sqlite3_column_int64(st, 2);
		app_id = sqlite3_column_int64(st, 3);
		applicant = sqlite3_column_int64(st, 4);
		snprintf(c.app_number, sizeof c.app_number, "%s", db_col(st, 5));
		snprintf(c.child, sizeof c.child, "%s", db_col(st, 6));
		snprintf(c.child_iin, sizeof c.child_iin, "%s", db_col(st, 7));
		snprintf(c.ddo_ru, sizeof c.ddo_ru, "%s", db_col(st, 8));
		snprintf(c.ddo_kk, sizeof c.ddo_kk, "%s", db_col(st, 9));
		snprintf(c.address, sizeof c.address, "%s", db_col(st, 10));
		snprintf(c.kind, sizeof c.kind, "%s", db_col(st, 11));
		c.p_year = sqlite3_column_int(st, 12);
		snprintf(c.p_language, sizeof c.p_language, "%s", db_col(st, 13));
	}
	db_done(st);
	if (!found) {
		log_err("ref_make_pdf: referral %lld is due a PDF but cannot be read", id);
		return -1;
	}
	/* Made and stored first (doc.h: a stored file without a row is
	 * harmless); the row is recorded only by the run that takes the
	 * referral off the due list, so two runs never record two PDFs. */
	char code[23], sha[65];
	struct buf pdf = {0};
	if (doc_new_check_code(code) < 0 ||
	    build_pdf(a, strcmp(lang, "kk") == 0 ? "kk" : "ru", &c, number, issued_at, deadline_at, code, &pdf) < 0 ||
	    doc_store(pdf.s, pdf.len, sha) < 0) {
		buf_free(&pdf);
		return -1;
	}
	int made = -1;
	if (db_begin() < 0)
		goto out;
	if (db_exec("DELETE FROM referral_pdf_due WHERE referral_id = ?", "I", id) != SQLITE_DONE)
		goto fail;
	if (db_changes() != 1) {
		db_rollback();
		made = 0;   /* another run made it meanwhile */
		goto out;
	}
	if (doc_add_generated(app_id, id, "referral", number, code, &pdf, arena_printf(a, "napravlenie-%s.pdf", number),
			      applicant) < 0 || db_commit() < 0)
		goto fail;
	made = 1;
	goto out;
fail:
	log_err("ref_make_pdf %lld failed: %s", id, db_errmsg());
	db_rollback();
	made = -1;
out:
	buf_free(&pdf);
	/* libharu's few megabytes of working memory (the fonts' tables) go back
	 * to the system rather than staying in the worker. */
	malloc_trim(0);
	return made;
}

int ref_make_due_pdfs(long long now, long long min_age)
{
	int n = 0;
	long long after = 0;
	for (;;) {
		long long ids[64];
		int k = 0;
		sqlite3_stmt *st = db_query("SELECT referral_id FROM referral_pdf_due WHERE due_at <= ? AND referral_id > ? "
					    "ORDER BY referral_id LIMIT 64", "II", now - min_age, after);
		while (db_row(st) && k < 64)
			ids[k++] = sqlite3_column_int64(st, 0);
		db_done(st);
		if (!k)
			return n;
		for (int i = 0; i < k; i++) {
			int rc = ref_make_pdf(ids[i]);
			if (rc < 0)
				return -1;
			n += rc;
		}
		after = ids[k - 1];
	}
}

/* Annuls one referral if it is still due. 1 annulled, 0 someone else did
 * or it is no longer due, -1 error. */
static int annul_one(long long id, long long now)
{
	struct arena *a = jarena();
	if (!a || db_begin() < 0)
		return -1;
	if (db_exec("UPDATE referral SET status = 'annulled', voucher = 'annulled', closed_at = ? "
		    "WHERE id = ? AND status = 'issued' AND deadline_at < ?", "III", now, id, now) != SQLITE_DONE)
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
	char dl[11];
	u_fmt_date(deadline, dl);
	const char *lang = sms_lang(language);
	char details[120];
	snprintf(details, sizeof details, "number=%s deadline=%s", number, dl);
	if (hist_add(app, 0, "system", "referral_annulled", number, ddo_ru, dl) < 0 ||
	    audit_log(0, "system", "", "referral_annul", "referral", id, "ok", details) < 0 ||
	    (*phone && notify_add(app, phone, "annulled",
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

int ref_annul_due(long long now)
{
	/* Cheap when nothing is due: one look at the partial index. */
	int n = 0;
	for (;;) {
		long long ids[64];
		int k = 0;
		sqlite3_stmt *st = db_query("SELECT id FROM referral WHERE status = 'issued' AND deadline_at < ? "
					    "ORDER BY deadline_at, id LIMIT 64", "I", now);
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

int ref_remind_due(long long now)
{
	/* A deadline at most one working day away is less than two weeks away
	 * whatever the holidays; the working days are counted in C. */
	long long ids[256];
	int k = 0;
	sqlite3_stmt *st = db_query("SELECT id, deadline_at FROM referral WHERE status = 'issued' AND reminded_at IS NULL "
				    "AND deadline_at >= ? AND deadline_at < ? ORDER BY deadline_at, id LIMIT 256",
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
		char number[11] = "", phone[20] = "", language[4] = "ru", ddo[304] = "";
		st = db_query("SELECT r.application_id, r.number, r.deadline_at, a.phone, a.language, "
			      "  CASE a.language WHEN 'kk' THEN d.name_kk ELSE d.name_ru END "
			      "FROM referral r JOIN application a ON a.id = r.application_id JOIN ddo d ON d.id = r.ddo_id "
			      "WHERE r.id = ?", "I", ids[i]);
		if (db_row(st)) {
			app = sqlite3_column_int64(st, 0);
			snprintf(number, sizeof number, "%s", db_col(st, 1));
			deadline = sqlite3_column_int64(st, 2);
			snprintf(phone, sizeof phone, "%s", db_col(st, 3));
			snprintf(language, sizeof language, "%s", db_col(st, 4));
			snprintf(ddo, sizeof ddo, "%s", db_col(st, 5));
		}
		db_done(st);
		if (!app || !*phone)
			goto fail;
		if (notify_add(app, phone, "reminder", sms_text(a, sms_lang(language), "Ref.sms_reminder", number, ddo,
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
