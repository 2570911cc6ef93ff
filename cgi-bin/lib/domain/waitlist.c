/* waitlist.c — see waitlist.h. */
#include "domain/waitlist.h"

#include <stdio.h>
#include <string.h>

#include "domain/account.h"
#include "domain/audit.h"
#include "base/db.h"
#include "domain/hist.h"
#include "base/lang.h"
#include "base/log.h"
#include "base/util.h"

/* The applicant's queued application: its number and district; 1 found, 0 not. */
static int own_queued(long long applicant_id, long long app_id, char number[32], int *district)
{
	*district = 0;
	sqlite3_stmt *st = db_query("SELECT number, district_id FROM application WHERE id = ? AND applicant_id = ? "
				    "AND status = 'queued'", "II", app_id, applicant_id);
	if (db_row(st)) {
		u_copy(number, 32, db_col(st, 0));
		*district = sqlite3_column_int(st, 1);
	}
	db_done(st);
	return *district != 0;
}

/* Adding and removing share their checks and their records. */
static int change(struct actor who, long long applicant_id, long long app_id, long long ddo_id, int add)
{
	if (db_begin() < 0)
		return WL_FAILED;
	char number[32], ddo[304] = "";
	int district;
	int rc = WL_OK;
	long long on = 0;
	if (!own_queued(applicant_id, app_id, number, &district))
		rc = WL_NOT_FOUND;
	else if (!db_text(ddo, sizeof ddo, "SELECT name_ru FROM ddo WHERE id = ? AND district_id = ? AND active = 1", "Ii",
			  ddo_id, district))
		rc = WL_BAD_DDO;
	else if ((on = db_int("SELECT count(*) FROM waitlist WHERE application_id = ? AND ddo_id = ?", -1, "II", app_id,
			      ddo_id)) < 0)
		goto fail;
	else if (add ? on > 0 : on == 0)
		rc = WL_ALREADY;
	else if (add && db_int("SELECT count(*) FROM waitlist WHERE application_id = ?", 0, "I", app_id) >= WL_MAX)
		rc = WL_FULL;
	if (rc != WL_OK) {
		db_rollback();
		audit_act(who, add ? "waitlist_add" : "waitlist_remove", "application", app_id,
			  rc == WL_FULL ? "full" : rc == WL_BAD_DDO ? "bad_ddo" : rc == WL_ALREADY ? "already" : "not_found", "");
		return rc;
	}
	long long now = u_now();
	int w = add ? db_exec("INSERT INTO waitlist(application_id, ddo_id, added_at) VALUES (?, ?, ?)", "III", app_id, ddo_id,
			      now)
		    : db_exec("DELETE FROM waitlist WHERE application_id = ? AND ddo_id = ?", "II", app_id, ddo_id);
	char details[64];
	snprintf(details, sizeof details, "ddo=%lld", ddo_id);
	if (w != SQLITE_DONE || db_changes() != 1 ||
	    hist_add(app_id, who.id, "citizen", add ? "waitlist_added" : "waitlist_removed", ddo, NULL, NULL) < 0 ||
	    audit_act(who, add ? "waitlist_add" : "waitlist_remove", "application", app_id, "ok", details) < 0 ||
	    db_commit() < 0)
		goto fail;
	return WL_OK;
fail:
	log_err("waiting list change of application %lld failed: %s", app_id, db_errmsg());
	db_rollback();
	return WL_FAILED;
}

int wl_add(struct actor who, long long applicant_id, long long app_id, long long ddo_id)
{
	return change(who, applicant_id, app_id, ddo_id, 1);
}

int wl_remove(struct actor who, long long applicant_id, long long app_id, long long ddo_id)
{
	return change(who, applicant_id, app_id, ddo_id, 0);
}

int wl_of_app(long long applicant_id, long long app_id, struct wl_entry *out, int max)
{
	sqlite3_stmt *st = db_query("SELECT w.ddo_id, w.added_at, d.name_ru, d.name_kk FROM waitlist w "
				    "JOIN application a ON a.id = w.application_id JOIN ddo d ON d.id = w.ddo_id "
				    "WHERE w.application_id = ? AND a.applicant_id = ? ORDER BY w.added_at, w.ddo_id",
				    "II", app_id, applicant_id);
	int n = 0;
	while (db_row(st) && n < max) {
		out[n].ddo_id = sqlite3_column_int64(st, 0);
		out[n].added_at = sqlite3_column_int64(st, 1);
		u_copy(out[n].name_ru, sizeof out[n].name_ru, db_col(st, 2));
		u_copy(out[n].name_kk, sizeof out[n].name_kk, db_col(st, 3));
		n++;
	}
	return db_end(st) < 0 ? -1 : n;
}

int wl_place_saved(long long place_id, long long now)
{
	struct arena *a = arena_new();
	if (!a)
		return -1;
	/* The record and its DDO. */
	char ddo_ru[304] = "", ddo_kk[304] = "", language[4] = "";
	int year = 0, total = 0;
	sqlite3_stmt *st = db_query("SELECT d.name_ru, d.name_kk, f.group_year, f.language, f.total FROM free_place f "
				    "JOIN ddo d ON d.id = f.ddo_id WHERE f.id = ?", "I", place_id);
	if (db_row(st)) {
		u_copy(ddo_ru, sizeof ddo_ru, db_col(st, 0));
		u_copy(ddo_kk, sizeof ddo_kk, db_col(st, 1));
		year = sqlite3_column_int(st, 2);
		u_copy(language, sizeof language, db_col(st, 3));
		total = sqlite3_column_int(st, 4);
	}
	if (db_end(st) < 0 || !year)
		goto fail;
	/* Everyone on the DDO's list whose queued application matches, in
	 * batches by application id. */
	enum { BATCH = 500 };
	struct { long long id; char number[32], phone[20]; } *who = arena_alloc(a, BATCH * sizeof *who);
	if (!who)
		goto fail;
	int n = 0, got = BATCH;
	long long last = 0;
	while (got == BATCH) {
		got = 0;
		st = db_query("SELECT a.id, a.number, a.phone FROM waitlist w JOIN free_place f ON f.ddo_id = w.ddo_id "
			      "JOIN application a ON a.id = w.application_id "
			      "WHERE f.id = ? AND a.status = 'queued' AND a.group_year = f.group_year AND a.language = f.language "
			      "AND a.id > ? ORDER BY a.id LIMIT 500", "II", place_id, last);
		while (db_row(st) && got < BATCH) {
			who[got].id = sqlite3_column_int64(st, 0);
			u_copy(who[got].number, sizeof who[got].number, db_col(st, 1));
			u_copy(who[got].phone, sizeof who[got].phone, db_col(st, 2));
			got++;
		}
		if (db_end(st) < 0)
			goto fail;
		for (int i = 0; i < got; i++) {
			const char *lang = acct_lang_of_app(who[i].id, NULL);
			const char *kv[] = {"number", who[i].number, "ddo", strcmp(lang, "kk") == 0 ? ddo_kk : ddo_ru,
					    "year", arena_printf(a, "%d", year), "language",
					    lang_t(lang, arena_printf(a, "Waitlist.lang.%s", language)), "n",
					    arena_printf(a, "%d", total), NULL};
			const char *text = arena_subst(a, lang_t(lang, "Waitlist.sms"), kv);
			if (db_exec("INSERT OR IGNORE INTO waitlist_notice(application_id, place_id, created_at) VALUES (?, ?, ?)",
				    "III", who[i].id, place_id, now) != SQLITE_DONE ||
			    hist_add(who[i].id, 0, "system", "waitlist_place", ddo_ru, arena_printf(a, "%lld", place_id), NULL) < 0 ||
			    (*who[i].phone && hist_notify(who[i].id, who[i].phone, "waitlist", text) < 0))
				goto fail;
		}
		if (got)
			last = who[got - 1].id;
		n += got;
	}
	if (n && audit_log(0, "system", "", "waitlist_notify", "free_place", place_id, "ok",
			   arena_printf(a, "told=%d", n)) < 0)
		goto fail;
	arena_free(a);
	return n;
fail:
	log_err("waiting-list notices of record %lld failed: %s", place_id, db_errmsg());
	arena_free(a);
	return -1;
}

int wl_notices(long long applicant_id, long long app_id, struct wl_notice *out, int max)
{
	sqlite3_stmt *st = db_query("SELECT n.place_id, n.created_at, f.free, f.group_year, f.language, d.name_ru, d.name_kk "
				    "FROM waitlist_notice n JOIN application a ON a.id = n.application_id "
				    "JOIN free_place f ON f.id = n.place_id JOIN ddo d ON d.id = f.ddo_id "
				    "WHERE n.application_id = ? AND a.applicant_id = ? AND a.status = 'queued' AND f.free > 0 "
				    "ORDER BY n.id DESC LIMIT 10", "II", app_id, applicant_id);
	int n = 0;
	while (db_row(st) && n < max) {
		out[n].place_id = sqlite3_column_int64(st, 0);
		out[n].at = sqlite3_column_int64(st, 1);
		out[n].free = sqlite3_column_int(st, 2);
		out[n].group_year = sqlite3_column_int(st, 3);
		u_copy(out[n].language, sizeof out[n].language, db_col(st, 4));
		u_copy(out[n].ddo_ru, sizeof out[n].ddo_ru, db_col(st, 5));
		u_copy(out[n].ddo_kk, sizeof out[n].ddo_kk, db_col(st, 6));
		n++;
	}
	return db_end(st) < 0 ? -1 : n;
}

int wl_sizes(long long account_id, long long ddo_id, struct wl_size *out, int max)
{
	sqlite3_stmt *st = db_query("SELECT a.group_year, a.language, count(*) FROM waitlist w "
				    "JOIN ddo_staff s ON s.ddo_id = w.ddo_id AND s.account_id = ? "
				    "JOIN application a ON a.id = w.application_id "
				    "WHERE w.ddo_id = ? AND a.status = 'queued' "
				    "GROUP BY a.group_year, a.language ORDER BY a.group_year DESC, a.language",
				    "II", account_id, ddo_id);
	int n = 0;
	while (db_row(st) && n < max) {
		out[n].group_year = sqlite3_column_int(st, 0);
		u_copy(out[n].language, sizeof out[n].language, db_col(st, 1));
		out[n].n = sqlite3_column_int64(st, 2);
		n++;
	}
	return db_end(st) < 0 ? -1 : n;
}
