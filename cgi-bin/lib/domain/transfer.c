/* transfer.c — see transfer.h. */
#include "domain/transfer.h"

#include <stdio.h>
#include <string.h>

#include "domain/account.h"
#include "domain/audit.h"
#include "base/cal.h"
#include "base/db.h"
#include "domain/hist.h"
#include "base/lang.h"
#include "base/log.h"
#include "domain/offer.h"
#include "domain/queue.h"
#include "base/sigrec.h"

/* The staff of a DDO hear of a change (each in their own language; the
 * owner's phone in Russian when no staff member has a phone): the lang key
 * and its parameters. 0 or -1. */
static int tell_ddo(struct arena *a, long long ddo, const char *kind, const char *key, const char *const *kv)
{
	char phones[8][24], langs[8][4];
	int n = 0;
	sqlite3_stmt *st = db_query("SELECT u.phone, max(u.lang) FROM ddo_staff s JOIN account u ON u.id = s.account_id "
				    "WHERE s.ddo_id = ? AND u.phone <> '' AND u.active = 1 GROUP BY u.phone ORDER BY u.phone LIMIT 8",
				    "I", ddo);
	while (db_row(st) && n < 8) {
		u_copy(phones[n], sizeof phones[0], db_col(st, 0));
		u_copy(langs[n++], sizeof langs[0], db_col(st, 1));
	}
	if (db_end(st) < 0)
		return -1;
	if (!n && db_text(phones[0], sizeof phones[0], "SELECT owner_phone FROM ddo WHERE id = ? AND owner_phone <> ''", "I",
			  ddo)) {
		langs[0][0] = 0;
		n = 1;
	}
	for (int i = 0; i < n; i++) {
		const char *lang = strcmp(langs[i], "kk") == 0 ? "kk" : "ru";
		if (hist_notify(0, phones[i], kind, arena_subst(a, lang_t(lang, key), kv)) < 0)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ transfer */

/* The applicant's enrolled application with a current enrollment. */
struct enrolled_app {
	long long id, child, ddo;
	int district, year;
	char number[32], language[4], phone[20], email[256], ddo_ru[304];
};

static int load_enrolled(long long applicant_id, long long app_id, struct enrolled_app *e)
{
	memset(e, 0, sizeof *e);
	sqlite3_stmt *st = db_query("SELECT a.id, a.child_id, e.ddo_id, a.district_id, a.group_year, a.number, a.language, "
				    "a.phone, a.email, d.name_ru FROM application a "
				    "JOIN enrollment e ON e.application_id = a.id AND e.departed_on IS NULL "
				    "JOIN ddo d ON d.id = e.ddo_id "
				    "WHERE a.id = ? AND a.applicant_id = ? AND a.status = 'enrolled'",
				    "II", app_id, applicant_id);
	int found = db_row(st);
	if (found) {
		e->id = sqlite3_column_int64(st, 0);
		e->child = sqlite3_column_int64(st, 1);
		e->ddo = sqlite3_column_int64(st, 2);
		e->district = sqlite3_column_int(st, 3);
		e->year = sqlite3_column_int(st, 4);
		u_copy(e->number, sizeof e->number, db_col(st, 5));
		u_copy(e->language, sizeof e->language, db_col(st, 6));
		u_copy(e->phone, sizeof e->phone, db_col(st, 7));
		u_copy(e->email, sizeof e->email, db_col(st, 8));
		u_copy(e->ddo_ru, sizeof e->ddo_ru, db_col(st, 9));
	}
	return db_end(st) < 0 ? -1 : found;
}

/* The chosen DDOs: at least one, each an active DDO of the district, not
 * the current one, no repeats. TR_OK, TR_NO_DDO or TR_BAD_DDO. */
static int check_ddos(const struct enrolled_app *e, const long long ddo[3])
{
	int any = 0;
	for (int i = 0; i < 3; i++) {
		if (!ddo[i])
			continue;
		any = 1;
		if (ddo[i] == e->ddo || (i > 0 && ddo[i] == ddo[0]) || (i > 1 && ddo[i] == ddo[1]))
			return TR_BAD_DDO;
		if (db_int("SELECT count(*) FROM ddo WHERE id = ? AND district_id = ? AND active = 1", 0, "Ii", ddo[i],
			   e->district) != 1)
			return TR_BAD_DDO;
	}
	return any ? TR_OK : TR_NO_DDO;
}

int tr_request(struct actor who, long long applicant_id, long long app_id, const long long ddo[3], long long *id,
	       char number[32])
{
	*id = 0;
	if (db_begin() < 0)
		return TR_FAILED;
	struct enrolled_app e;
	int f = load_enrolled(applicant_id, app_id, &e);
	int rc = f < 0 ? TR_FAILED : !f ? TR_NOT_FOUND : check_ddos(&e, ddo);
	if (rc == TR_OK && db_int("SELECT count(*) FROM application WHERE child_id = ? AND transfer_of IS NOT NULL "
				  "AND status NOT IN ('archived','departed','enrolled')", 0, "I", e.child))
		rc = TR_PENDING;
	if (rc != TR_OK) {
		db_rollback();
		if (rc != TR_FAILED)
			audit_act(who, "transfer_request", "application", app_id,
				  rc == TR_NOT_FOUND ? "not_found" : rc == TR_PENDING ? "pending" : "bad_ddo", "");
		return rc;
	}
	long long now = u_now();
	if (queue_next_number(e.child, now, number) < 0)
		goto fail;
	if (db_exec("INSERT INTO application(number, child_id, applicant_id, district_id, group_year, language, benefit, "
		    "ddo1, ddo2, ddo3, phone, email, status, queued_at, created_at, updated_at, transfer_of) "
		    "VALUES (?, ?, ?, ?, ?, ?, 'none', nullif(?, 0), nullif(?, 0), nullif(?, 0), ?, ?, 'queued', ?, ?, ?, ?)",
		    "tIIiitIIIttIIII", number, e.child, applicant_id, e.district, e.year, e.language, ddo[0], ddo[1], ddo[2],
		    e.phone, e.email, now, now, now, e.id) != SQLITE_DONE)
		goto fail;
	*id = db_last_id();
	char details[96];
	snprintf(details, sizeof details, "request=%lld ddos=%lld,%lld,%lld", *id, ddo[0], ddo[1], ddo[2]);
	if (hist_add(*id, applicant_id, "citizen", "transfer_requested", e.number, e.ddo_ru, NULL) < 0 ||
	    hist_add(e.id, applicant_id, "citizen", "transfer_asked", number, NULL, NULL) < 0 ||
	    audit_act(who, "transfer_request", "application", e.id, "ok", details) < 0 ||
	    offer_fill_app(*id, now) < 0 || db_commit() < 0)
		goto fail;
	return TR_OK;
fail:
	log_err("transfer request of application %lld failed: %s", app_id, db_errmsg());
	db_rollback();
	*id = 0;
	return TR_FAILED;
}

int tr_complete(struct arena *a, long long app_id, long long actor, long long sig, long long now)
{
	long long old_app = 0, enr = 0, old_ddo = 0;
	char child[400] = "", old_ru[304] = "", new_ru[304] = "", number[32] = "";
	sqlite3_stmt *st = db_query(
		"SELECT o.id, e.id, e.ddo_id, c.name, d.name_ru, n.number, "
		"  (SELECT dd.name_ru FROM referral f JOIN ddo dd ON dd.id = f.ddo_id WHERE f.application_id = n.id "
		"   AND f.status IN ('docs_submitted', 'must_enroll') ORDER BY f.id DESC LIMIT 1) "
		"FROM application n JOIN application o ON o.id = n.transfer_of AND o.status = 'enrolled' "
		"JOIN enrollment e ON e.application_id = o.id AND e.departed_on IS NULL "
		"JOIN child c ON c.id = o.child_id JOIN ddo d ON d.id = e.ddo_id WHERE n.id = ?",
		"I", app_id);
	if (db_row(st)) {
		old_app = sqlite3_column_int64(st, 0);
		enr = sqlite3_column_int64(st, 1);
		old_ddo = sqlite3_column_int64(st, 2);
		u_copy(child, sizeof child, db_col(st, 3));
		u_copy(old_ru, sizeof old_ru, db_col(st, 4));
		u_copy(number, sizeof number, db_col(st, 5));
		u_copy(new_ru, sizeof new_ru, db_col(st, 6));
	}
	if (db_end(st) < 0)
		return -1;
	if (!enr)
		return 0;
	char iso[11];
	cal_format_iso(cal_day_from_unix(now), iso);
	const char *reason = lang_t("ru", "Transfer.reason");
	if (db_exec("UPDATE enrollment SET departed_on = ?, departure_reason = ?, departed_by = ?, "
		    "departure_signature_id = ?, departed_at = ? WHERE id = ? AND departed_on IS NULL",
		    "ttIIII", iso, reason, actor, sig, now, enr) != SQLITE_DONE || db_changes() != 1 ||
	    db_exec("UPDATE application SET status = 'departed', archive_reason = 'departed', updated_at = ? "
		    "WHERE id = ? AND status = 'enrolled'", "II", now, old_app) != SQLITE_DONE || db_changes() != 1 ||
	    hist_add(old_app, actor, "staff", "transfer_departed", old_ru, new_ru, number) < 0 ||
	    hist_add(app_id, actor, "staff", "transfer_done", old_ru, new_ru, NULL) < 0 ||
	    tell_ddo(a, old_ddo, "transfer_freed", "Transfer.sms_old_ddo",
		     (const char *const[]){"child", child, "ddo", new_ru, NULL}) < 0 ||
	    audit_log(actor, "staff", "", "transfer_complete", "enrollment", enr, "ok",
		      arena_printf(a, "request=%lld old_application=%lld signature=%lld", app_id, old_app, sig)) < 0)
		return -1;
	return 1;
}

long long tr_freed_since(long long account_id, long long ddo_id)
{
	return db_int("SELECT count(*) FROM enrollment e JOIN ddo_staff s ON s.ddo_id = e.ddo_id AND s.account_id = ? "
		      "WHERE e.ddo_id = ? AND e.departed_on IS NOT NULL "
		      "AND EXISTS (SELECT 1 FROM application n WHERE n.transfer_of = e.application_id AND n.status = 'enrolled') "
		      "AND e.departed_at > coalesce((SELECT max(created_at) FROM free_place WHERE ddo_id = ?), -1)",
		      -1, "III", account_id, ddo_id, ddo_id);
}

int tr_enrolled_of(long long applicant_id, struct tr_enrolled *out, int max)
{
	sqlite3_stmt *st = db_query(
		"SELECT a.id, e.id, e.ddo_id, a.group_year, a.district_id, a.number, a.language, "
		"rtrim(c.surname || ' ' || c.name || ' ' || c.patronymic), d.name_ru, d.name_kk, "
		"coalesce(t.id, 0), coalesce(t.number, ''), coalesce(t.status, '') "
		"FROM application a JOIN enrollment e ON e.application_id = a.id AND e.departed_on IS NULL "
		"JOIN child c ON c.id = a.child_id JOIN ddo d ON d.id = e.ddo_id "
		"LEFT JOIN application t ON t.transfer_of = a.id AND t.status NOT IN ('archived','departed','enrolled') "
		"WHERE a.applicant_id = ? AND a.status = 'enrolled' ORDER BY a.id DESC LIMIT 50",
		"I", applicant_id);
	int n = 0;
	while (db_row(st) && n < max) {
		struct tr_enrolled *x = &out[n++];
		x->app_id = sqlite3_column_int64(st, 0);
		x->enr_id = sqlite3_column_int64(st, 1);
		x->ddo_id = sqlite3_column_int64(st, 2);
		x->group_year = sqlite3_column_int(st, 3);
		x->district = sqlite3_column_int(st, 4);
		u_copy(x->number, sizeof x->number, db_col(st, 5));
		u_copy(x->language, sizeof x->language, db_col(st, 6));
		u_copy(x->child, sizeof x->child, db_col(st, 7));
		u_copy(x->ddo_ru, sizeof x->ddo_ru, db_col(st, 8));
		u_copy(x->ddo_kk, sizeof x->ddo_kk, db_col(st, 9));
		x->request_id = sqlite3_column_int64(st, 10);
		u_copy(x->request_number, sizeof x->request_number, db_col(st, 11));
		u_copy(x->request_status, sizeof x->request_status, db_col(st, 12));
	}
	return db_end(st) < 0 ? -1 : n;
}

/* ------------------------------------------------------------ exchange */

const char *const tr_ex_result_names[TR_EX_TEXT + 2] = {"ok", "not_found", "number", "mismatch", "same_ddo",
							  "busy", "state", "signature", "text", NULL};

/* An exchange with both sides, as every reader needs it. The WHERE of the
 * caller's statement authorises; the columns are always these. */
#define EX_COLS                                                                                                      \
	"x.id, x.app_a, x.app_b, x.ddo_a, x.ddo_b, x.proposed_at, aa.group_year, aa.language, x.status, "            \
	"aa.number, ab.number, rtrim(ca.surname || ' ' || ca.name || ' ' || ca.patronymic), "                         \
	"rtrim(cb.surname || ' ' || cb.name || ' ' || cb.patronymic), da.name_ru, da.name_kk, db.name_ru, "           \
	"db.name_kk, coalesce(da.bin, ''), coalesce(db.bin, ''), coalesce(x.a_sig, 0), coalesce(x.b_sig, 0) "
#define EX_FROM                                                                                                      \
	"FROM exchange x JOIN application aa ON aa.id = x.app_a JOIN application ab ON ab.id = x.app_b "           \
	"JOIN child ca ON ca.id = aa.child_id JOIN child cb ON cb.id = ab.child_id "                                \
	"JOIN ddo da ON da.id = x.ddo_a JOIN ddo db ON db.id = x.ddo_b "

static void ex_row(sqlite3_stmt *st, struct tr_ex_row *x)
{
	memset(x, 0, sizeof *x);
	x->id = sqlite3_column_int64(st, 0);
	x->app_a = sqlite3_column_int64(st, 1);
	x->app_b = sqlite3_column_int64(st, 2);
	x->ddo_a = sqlite3_column_int64(st, 3);
	x->ddo_b = sqlite3_column_int64(st, 4);
	x->proposed_at = sqlite3_column_int64(st, 5);
	x->group_year = sqlite3_column_int(st, 6);
	u_copy(x->language, sizeof x->language, db_col(st, 7));
	u_copy(x->status, sizeof x->status, db_col(st, 8));
	u_copy(x->number_a, sizeof x->number_a, db_col(st, 9));
	u_copy(x->number_b, sizeof x->number_b, db_col(st, 10));
	u_copy(x->child_a, sizeof x->child_a, db_col(st, 11));
	u_copy(x->child_b, sizeof x->child_b, db_col(st, 12));
	u_copy(x->ddo_a_ru, sizeof x->ddo_a_ru, db_col(st, 13));
	u_copy(x->ddo_a_kk, sizeof x->ddo_a_kk, db_col(st, 14));
	u_copy(x->ddo_b_ru, sizeof x->ddo_b_ru, db_col(st, 15));
	u_copy(x->ddo_b_kk, sizeof x->ddo_b_kk, db_col(st, 16));
	u_copy(x->bin_a, sizeof x->bin_a, db_col(st, 17));
	u_copy(x->bin_b, sizeof x->bin_b, db_col(st, 18));
	x->a_sig = sqlite3_column_int64(st, 19);
	x->b_sig = sqlite3_column_int64(st, 20);
}

/* The viewer's DDO is ddo: fills who leaves, who comes and the other DDO. */
static void ex_for_ddo(struct tr_ex_row *x, long long ddo)
{
	x->mine_a = x->ddo_a == ddo;
	x->mine_b = x->ddo_b == ddo;
	u_copy(x->child_out, sizeof x->child_out, x->mine_a ? x->child_a : x->child_b);
	u_copy(x->child_in, sizeof x->child_in, x->mine_a ? x->child_b : x->child_a);
	u_copy(x->other_ru, sizeof x->other_ru, x->mine_a ? x->ddo_b_ru : x->ddo_a_ru);
	u_copy(x->other_kk, sizeof x->other_kk, x->mine_a ? x->ddo_b_kk : x->ddo_a_kk);
	x->my_side_decided = x->mine_a ? x->a_sig != 0 : x->b_sig != 0;
	x->decided = x->my_side_decided;
}

/* Is either application in a live exchange? */
static long long live_exchange(long long app)
{
	return db_int("SELECT count(*) FROM exchange WHERE status IN ('proposed','agreed') AND (app_a = ? OR app_b = ?)", -1,
		      "II", app, app);
}

/* The parent's SMS about an exchange, in their language. */
static int tell(struct arena *a, long long app, const char *key, const struct tr_ex_row *x)
{
	char phone[24] = "";
	if (!db_text(phone, sizeof phone, "SELECT phone FROM application WHERE id = ? AND phone <> ''", "I", app))
		return 0;
	const char *lang = acct_lang_of_app(app, NULL);
	int kk = strcmp(lang, "kk") == 0;
	const char *kv[] = {"a", x->number_a, "b", x->number_b, "ddo_a", kk ? x->ddo_a_kk : x->ddo_a_ru, "ddo_b",
			    kk ? x->ddo_b_kk : x->ddo_b_ru, NULL};
	return hist_notify(app, phone, "exchange", arena_subst(a, lang_t(lang, key), kv)) < 0 ? -1 : 0;
}

static int load_ex(long long ex_id, struct tr_ex_row *x)
{
	sqlite3_stmt *st = db_query("SELECT " EX_COLS EX_FROM "WHERE x.id = ?", "I", ex_id);
	int found = db_row(st);
	if (found)
		ex_row(st, x);
	return db_end(st) < 0 ? -1 : found;
}

int tr_ex_propose(struct actor who, long long applicant_id, long long app_id, const char *number, long long *id)
{
	*id = 0;
	if (db_begin() < 0)
		return TR_EX_FAILED;
	struct enrolled_app me;
	int f = load_enrolled(applicant_id, app_id, &me);
	int rc = f < 0 ? TR_EX_FAILED : f ? TR_EX_OK : TR_EX_NOT_FOUND;
	long long other = 0, other_ddo = 0, other_enr = 0, my_enr = 0;
	if (rc == TR_EX_OK) {
		int year = 0;
		char language[4] = "";
		sqlite3_stmt *st = db_query("SELECT a.id, e.ddo_id, e.id, a.group_year, a.language FROM application a "
					    "JOIN enrollment e ON e.application_id = a.id AND e.departed_on IS NULL "
					    "WHERE a.number = ? AND a.status = 'enrolled'", "t", number);
		if (db_row(st)) {
			other = sqlite3_column_int64(st, 0);
			other_ddo = sqlite3_column_int64(st, 1);
			other_enr = sqlite3_column_int64(st, 2);
			year = sqlite3_column_int(st, 3);
			u_copy(language, sizeof language, db_col(st, 4));
		}
		if (db_end(st) < 0)
			rc = TR_EX_FAILED;
		else if (!other || other == me.id)
			rc = TR_EX_NUMBER;
		else if (year != me.year || strcmp(language, me.language) != 0)
			rc = TR_EX_MISMATCH;
		else if (other_ddo == me.ddo)
			rc = TR_EX_SAME_DDO;
		else if (live_exchange(me.id) != 0 || live_exchange(other) != 0)
			rc = TR_EX_BUSY;
	}
	if (rc != TR_EX_OK) {
		db_rollback();
		if (rc != TR_EX_FAILED)
			audit_act(who, "exchange_propose", "application", app_id, tr_ex_result_names[rc], "");
		return rc;
	}
	my_enr = db_int("SELECT id FROM enrollment WHERE application_id = ? AND departed_on IS NULL", 0, "I", me.id);
	long long now = u_now();
	struct arena *a = arena_new();
	struct tr_ex_row x;
	if (!a || db_exec("INSERT INTO exchange(app_a, app_b, enr_a, enr_b, ddo_a, ddo_b, proposed_at) "
			  "VALUES (?, ?, ?, ?, ?, ?, ?)", "IIIIIII", me.id, other, my_enr, other_enr, me.ddo, other_ddo,
			  now) != SQLITE_DONE)
		goto fail;
	*id = db_last_id();
	if (load_ex(*id, &x) <= 0 ||
	    hist_add(me.id, applicant_id, "citizen", "exchange_proposed", x.number_b, x.ddo_b_ru, NULL) < 0 ||
	    hist_add(other, 0, "system", "exchange_offered", x.number_a, x.ddo_a_ru, NULL) < 0 ||
	    tell(a, other, "Exchange.sms_proposed", &x) < 0 ||
	    audit_act(who, "exchange_propose", "exchange", *id, "ok", arena_printf(a, "a=%lld b=%lld", me.id, other)) < 0 ||
	    db_commit() < 0)
		goto fail;
	arena_free(a);
	return TR_EX_OK;
fail:
	log_err("exchange proposal of application %lld failed: %s", app_id, db_errmsg());
	db_rollback();
	arena_free(a);
	*id = 0;
	return TR_EX_FAILED;
}

/* An exchange one of whose applications is the parent's (authorised in
 * the query); *is_b whether the parent is B's. 1, 0 not found, -1. */
static int load_ex_of_parent(long long ex_id, long long applicant_id, struct tr_ex_row *x, int *is_b)
{
	sqlite3_stmt *st = db_query("SELECT " EX_COLS ", ab.applicant_id = ? " EX_FROM
				    "WHERE x.id = ? AND (aa.applicant_id = ? OR ab.applicant_id = ?)",
				    "IIII", applicant_id, ex_id, applicant_id, applicant_id);
	int found = db_row(st);
	if (found) {
		ex_row(st, x);
		*is_b = sqlite3_column_int(st, 21);
	}
	return db_end(st) < 0 ? -1 : found;
}

/* A parent's answer: agree (B only, 'proposed') or cancel (either, live). */
static int parent_answer(struct actor who, long long applicant_id, long long ex_id, int agree)
{
	if (db_begin() < 0)
		return TR_EX_FAILED;
	struct tr_ex_row x;
	int is_b = 0;
	struct arena *a = arena_new();
	int f = a ? load_ex_of_parent(ex_id, applicant_id, &x, &is_b) : -1;
	if (f < 0)
		goto fail;
	int ok = f && (agree ? strcmp(x.status, "proposed") == 0 && is_b
			     : strcmp(x.status, "proposed") == 0 || strcmp(x.status, "agreed") == 0);
	if (!ok) {
		db_rollback();
		arena_free(a);
		audit_act(who, agree ? "exchange_agree" : "exchange_cancel", "exchange", ex_id, "not_found", "");
		return TR_EX_NOT_FOUND;
	}
	long long now = u_now();
	int w = agree ? db_exec("UPDATE exchange SET status = 'agreed', agreed_at = ? WHERE id = ? AND status = 'proposed'",
				"II", now, ex_id)
		      : db_exec("UPDATE exchange SET status = 'cancelled', closed_by = ?, closed_at = ? "
				"WHERE id = ? AND status IN ('proposed','agreed')", "III", applicant_id, now, ex_id);
	if (w != SQLITE_DONE || db_changes() != 1)
		goto fail;
	const char *ev = agree ? "exchange_agreed" : "exchange_cancelled";
	if (hist_add(x.app_a, applicant_id, "citizen", ev, x.number_b, x.ddo_b_ru, NULL) < 0 ||
	    hist_add(x.app_b, applicant_id, "citizen", ev, x.number_a, x.ddo_a_ru, NULL) < 0 ||
	    tell(a, is_b ? x.app_a : x.app_b,
		 agree ? "Exchange.sms_agreed" : "Exchange.sms_cancelled", &x) < 0)
		goto fail;
	if (agree) {
		const char *kv[] = {"a", x.child_a, "b", x.child_b, NULL};
		if (tell_ddo(a, x.ddo_a, "exchange_ddo", "Exchange.sms_ddo", kv) < 0 ||
		    tell_ddo(a, x.ddo_b, "exchange_ddo", "Exchange.sms_ddo", kv) < 0)
			goto fail;
	}
	if (audit_act(who, agree ? "exchange_agree" : "exchange_cancel", "exchange", ex_id, "ok", "") < 0 ||
	    db_commit() < 0)
		goto fail;
	arena_free(a);
	return TR_EX_OK;
fail:
	log_err("exchange %lld answer failed: %s", ex_id, db_errmsg());
	db_rollback();
	arena_free(a);
	return TR_EX_FAILED;
}

int tr_ex_agree(struct actor who, long long applicant_id, long long ex_id)
{
	return parent_answer(who, applicant_id, ex_id, 1);
}

int tr_ex_cancel(struct actor who, long long applicant_id, long long ex_id)
{
	return parent_answer(who, applicant_id, ex_id, 0);
}

int tr_ex_of_ddo(long long account_id, long long ddo_id, struct tr_ex_row *out, int max)
{
	sqlite3_stmt *st = db_query("SELECT " EX_COLS EX_FROM
				    "WHERE x.status = 'agreed' AND (x.ddo_a = ? OR x.ddo_b = ?) "
				    "AND EXISTS (SELECT 1 FROM ddo_staff s WHERE s.ddo_id = ? AND s.account_id = ?) "
				    "ORDER BY x.id LIMIT 50", "IIII", ddo_id, ddo_id, ddo_id, account_id);
	int n = 0;
	while (db_row(st) && n < max) {
		ex_row(st, &out[n]);
		ex_for_ddo(&out[n], ddo_id);
		n++;
	}
	return db_end(st) < 0 ? -1 : n;
}

int tr_ex_of_parent(long long applicant_id, struct tr_ex_row *out, int max)
{
	sqlite3_stmt *st = db_query("SELECT " EX_COLS EX_FROM
				    "WHERE aa.applicant_id = ? OR ab.applicant_id = ? ORDER BY x.id DESC LIMIT 50",
				    "II", applicant_id, applicant_id);
	int n = 0;
	while (db_row(st) && n < max) {
		ex_row(st, &out[n]);
		out[n].mine_a = db_int("SELECT count(*) FROM application WHERE id = ? AND applicant_id = ?", 0, "II",
				       out[n].app_a, applicant_id) > 0;
		out[n].mine_b = !out[n].mine_a;
		n++;
	}
	return db_end(st) < 0 ? -1 : n;
}

int tr_ex_staff(long long account_id, long long ex_id, long long ddo_id, struct tr_ex_row *out)
{
	sqlite3_stmt *st = db_query("SELECT " EX_COLS EX_FROM
				    "WHERE x.id = ? AND (x.ddo_a = ? OR x.ddo_b = ?) "
				    "AND EXISTS (SELECT 1 FROM ddo_staff s WHERE s.ddo_id = ? AND s.account_id = ?)",
				    "IIIII", ex_id, ddo_id, ddo_id, ddo_id, account_id);
	int found = db_row(st);
	if (found) {
		ex_row(st, out);
		ex_for_ddo(out, ddo_id);
	}
	return db_end(st) < 0 ? -1 : found;
}

const char *tr_ex_text(struct arena *a, const char *lang, const struct tr_ex_row *x, long long ddo_id, int accept)
{
	int kk = strcmp(lang, "kk") == 0;
	int mine_a = x->ddo_a == ddo_id;
	const char *kv[] = {"id", arena_printf(a, "%lld", x->id), "ddo", mine_a ? (kk ? x->ddo_a_kk : x->ddo_a_ru)
										 : (kk ? x->ddo_b_kk : x->ddo_b_ru),
			    "other", mine_a ? (kk ? x->ddo_b_kk : x->ddo_b_ru) : (kk ? x->ddo_a_kk : x->ddo_a_ru),
			    "out", mine_a ? x->child_a : x->child_b, "out_app", mine_a ? x->number_a : x->number_b,
			    "in", mine_a ? x->child_b : x->child_a, "in_app", mine_a ? x->number_b : x->number_a,
			    "year", arena_printf(a, "%d", x->group_year), NULL};
	return arena_subst(a, lang_t(lang, accept ? "Exchange.text_accept" : "Exchange.text_refuse"), kv);
}

/* The proof stored for this decision (as decide.c's check_signature):
 * the challenge of this action and exchange, the signer the person acting
 * (an employee of the DDO's BIN when it has one), the signed bytes the
 * decision's text. */
static int ex_signature(struct arena *a, struct actor who, const char *lang, const struct tr_ex_row *x, long long ddo,
			int accept, const struct sign_proof *p, long long *sig, const char **msg_key)
{
	char iin[13] = "";
	if (!db_text(iin, sizeof iin, "SELECT iin FROM account WHERE id = ?", "I", who.id))
		return TR_EX_FAILED;
	const char *action = accept ? "exchange_accept" : "exchange_refuse";
	if (p->err == SIGN_OK && (!p->purpose || !p->action || strcmp(p->purpose, "action") || strcmp(p->action, action) ||
				  p->object_id != x->id)) {
		*msg_key = "Eds.challenge_unknown";
		return TR_EX_SIGNATURE;
	}
	const char *bin = x->ddo_a == ddo ? x->bin_a : x->bin_b;
	enum sign_err se = sigrec_store(p, who.id, iin, *bin ? bin : NULL, "exchange", sig, msg_key);
	if (se != SIGN_OK)
		return TR_EX_SIGNATURE;
	const char *text = tr_ex_text(a, lang, x, ddo, accept);
	size_t tl = strlen(text);
	if (!(p->content_len >= tl + 2 && memcmp(p->content, text, tl) == 0 && p->content[tl] == '\n' &&
	      p->content[tl + 1] == '\n'))
		return TR_EX_TEXT;
	return TR_EX_OK;
}

/* Both enrollments move: each still current where the exchange found it. */
static int swap(struct arena *a, struct actor who, const struct tr_ex_row *x, long long now)
{
	if (db_exec("UPDATE enrollment SET ddo_id = ? WHERE id = (SELECT enr_a FROM exchange WHERE id = ?) AND ddo_id = ? "
		    "AND departed_on IS NULL", "III", x->ddo_b, x->id, x->ddo_a) != SQLITE_DONE || db_changes() != 1)
		return TR_EX_STATE;
	if (db_exec("UPDATE enrollment SET ddo_id = ? WHERE id = (SELECT enr_b FROM exchange WHERE id = ?) AND ddo_id = ? "
		    "AND departed_on IS NULL", "III", x->ddo_a, x->id, x->ddo_b) != SQLITE_DONE || db_changes() != 1)
		return TR_EX_STATE;
	if (db_exec("UPDATE exchange SET status = 'done', closed_at = ? WHERE id = ? AND status = 'agreed'", "II", now,
		    x->id) != SQLITE_DONE || db_changes() != 1 ||
	    hist_add(x->app_a, who.id, "staff", "exchange_done", x->ddo_a_ru, x->ddo_b_ru, x->number_b) < 0 ||
	    hist_add(x->app_b, who.id, "staff", "exchange_done", x->ddo_b_ru, x->ddo_a_ru, x->number_a) < 0 ||
	    tell(a, x->app_a, "Exchange.sms_done", x) < 0 || tell(a, x->app_b, "Exchange.sms_done", x) < 0 ||
	    audit_act(who, "exchange_done", "exchange", x->id, "ok",
		      arena_printf(a, "application %lld to ddo %lld, application %lld to ddo %lld", x->app_a, x->ddo_b,
				   x->app_b, x->ddo_a)) < 0)
		return TR_EX_FAILED;
	return TR_EX_OK;
}

int tr_ex_decide(struct arena *a, struct actor who, const char *lang, long long ex_id, long long ddo_id, int accept,
		 const struct sign_proof *p, const char **msg_key)
{
	*msg_key = NULL;
	const char *action = accept ? "exchange_accept" : "exchange_refuse";
	if (db_begin() < 0)
		return TR_EX_FAILED;
	struct tr_ex_row x;
	int f = tr_ex_staff(who.id, ex_id, ddo_id, &x);
	int rc = f < 0 ? TR_EX_FAILED : !f || strcmp(x.status, "agreed") != 0 || x.my_side_decided ? TR_EX_NOT_FOUND : TR_EX_OK;
	/* Both children must still be where the exchange found them. */
	if (rc == TR_EX_OK && db_int("SELECT count(*) FROM exchange x JOIN enrollment ea ON ea.id = x.enr_a "
				     "JOIN enrollment eb ON eb.id = x.enr_b WHERE x.id = ? AND ea.ddo_id = x.ddo_a "
				     "AND eb.ddo_id = x.ddo_b AND ea.departed_on IS NULL AND eb.departed_on IS NULL",
				     0, "I", ex_id) != 1)
		rc = TR_EX_STATE;
	long long sig = 0, now = u_now();
	if (rc == TR_EX_OK)
		rc = ex_signature(a, who, lang, &x, ddo_id, accept, p, &sig, msg_key);
	if (rc == TR_EX_OK) {
		int side_a = x.ddo_a == ddo_id;
		int w = !accept ? db_exec("UPDATE exchange SET status = 'refused', closed_by = ?, closed_sig = ?, closed_at = ? "
					  "WHERE id = ? AND status = 'agreed'", "IIII", who.id, sig, now, ex_id)
			: side_a ? db_exec("UPDATE exchange SET a_by = ?, a_sig = ? WHERE id = ? AND a_sig IS NULL", "III",
					   who.id, sig, ex_id)
				 : db_exec("UPDATE exchange SET b_by = ?, b_sig = ? WHERE id = ? AND b_sig IS NULL", "III",
					   who.id, sig, ex_id);
		const char *mine = side_a ? x.ddo_a_ru : x.ddo_b_ru;
		if (w != SQLITE_DONE || db_changes() != 1 ||
		    hist_add(x.app_a, who.id, "staff", accept ? "exchange_ddo_accepted" : "exchange_refused", mine, NULL,
			     NULL) < 0 ||
		    hist_add(x.app_b, who.id, "staff", accept ? "exchange_ddo_accepted" : "exchange_refused", mine, NULL,
			     NULL) < 0 ||
		    (!accept && (tell(a, x.app_a, "Exchange.sms_refused", &x) < 0 ||
				 tell(a, x.app_b, "Exchange.sms_refused", &x) < 0)))
			rc = TR_EX_FAILED;
		/* The second acceptance moves both children, or nothing does. */
		else if (accept && (side_a ? x.b_sig : x.a_sig))
			rc = swap(a, who, &x, now);
	}
	if (rc == TR_EX_OK &&
	    (audit_act(who, action, "exchange", ex_id, "ok", arena_printf(a, "ddo %lld, signature %lld", ddo_id, sig)) < 0 ||
	     db_commit() < 0))
		rc = TR_EX_FAILED;
	if (rc != TR_EX_OK) {
		if (rc == TR_EX_FAILED)
			log_err("exchange %lld decision failed: %s", ex_id, db_errmsg());
		db_rollback();
		audit_act(who, action, "exchange", ex_id, rc == TR_EX_FAILED ? "error" : tr_ex_result_names[rc], "");
	}
	return rc;
}
