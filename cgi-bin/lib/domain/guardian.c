/* guardian.c — see guardian.h. */
#include "domain/guardian.h"

#include <stdio.h>
#include <string.h>

#include "base/db.h"
#include "base/lang.h"
#include "base/log.h"
#include "base/sigrec.h"
#include "base/util.h"
#include "domain/account.h"
#include "domain/audit.h"
#include "domain/hist.h"

int guardian_submit(struct actor who, const struct queue_reg *in, const struct guardian_doc *doc, long long *id,
		    char number[32])
{
	if (db_begin() < 0)
		return QUEUE_FAILED;
	int rc = queue_admissible(in->child_iin, in->applicant_id, 0, number);
	if (rc != QUEUE_OK) {
		db_rollback();
		return rc;
	}
	char sex[2] = {in->sex, '\0'};
	if (db_exec("INSERT INTO guardian_request(applicant_id, child_iin, child_surname, child_name, child_patronymic, "
		    "birth_date, sex, district_id, group_year, language, benefit_ground, ddo1, ddo2, ddo3, phone, email, "
		    "doc_sha256, doc_size, doc_mime, doc_name, benefit_sha256, benefit_size, benefit_mime, benefit_name, "
		    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), NULLIF(?, 0), ?, ?, "
		    "?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    "IttttttiittIIItttItttIttI",
		    in->applicant_id, in->child_iin, in->child_surname, in->child_name,
		    in->child_patronymic ? in->child_patronymic : "", in->birth_date, sex, in->district, in->group_year,
		    in->language, in->ground ? in->ground : "", in->ddo[0], in->ddo[1], in->ddo[2], in->phone,
		    in->email ? in->email : "", doc->sha, (long long)doc->size, doc->mime, doc->name ? doc->name : "",
		    in->doc_sha, (long long)in->doc_size, in->doc_mime, in->doc_name, u_now()) != SQLITE_DONE)
		goto fail;
	*id = db_last_id();
	char details[96];
	snprintf(details, sizeof details, "district %d year %d", in->district, in->group_year);
	if (audit_act(who, "guardian_request", "guardian_request", *id, "ok", details) < 0 || db_commit() < 0)
		goto fail;
	return QUEUE_OK;
fail:
	db_rollback();
	/* Two requests for one child at once: the unique index refused one. */
	rc = queue_admissible(in->child_iin, in->applicant_id, 0, number);
	if (rc == QUEUE_DUPLICATE || rc == QUEUE_PENDING)
		return rc;
	log_err("guardian request failed: %s", db_errmsg());
	return QUEUE_FAILED;
}

/* A request as queue_register_tx takes it (strings in a). */
struct request {
	struct queue_reg reg;
	long long created_at;
	char status[12];
};

static int load(struct arena *a, long long reviewer, long long id, struct request *q)
{
	memset(q, 0, sizeof *q);
	sqlite3_stmt *st = db_query(
		"SELECT g.applicant_id, g.child_iin, g.child_surname, g.child_name, g.child_patronymic, g.birth_date, g.sex, "
		"g.district_id, g.group_year, g.language, g.benefit_ground, coalesce(g.ddo1, 0), coalesce(g.ddo2, 0), "
		"coalesce(g.ddo3, 0), g.phone, g.email, g.benefit_sha256, g.benefit_size, g.benefit_mime, g.benefit_name, "
		"g.created_at, g.status FROM guardian_request g JOIN reviewer_district rd ON rd.district_id = g.district_id "
		"AND rd.account_id = ? WHERE g.id = ?",
		"II", reviewer, id);
	if (!db_row(st))
		return db_end(st) < 0 ? -1 : 0;
	struct queue_reg *r = &q->reg;
	r->applicant_id = sqlite3_column_int64(st, 0);
	r->child_iin = arena_strdup(a, db_col(st, 1));
	r->child_surname = arena_strdup(a, db_col(st, 2));
	r->child_name = arena_strdup(a, db_col(st, 3));
	r->child_patronymic = arena_strdup(a, db_col(st, 4));
	r->birth_date = arena_strdup(a, db_col(st, 5));
	r->sex = db_col(st, 6)[0];
	r->district = sqlite3_column_int(st, 7);
	r->group_year = sqlite3_column_int(st, 8);
	r->language = arena_strdup(a, db_col(st, 9));
	r->ground = arena_strdup(a, db_col(st, 10));
	for (int k = 0; k < 3; k++)
		r->ddo[k] = sqlite3_column_int64(st, 11 + k);
	r->phone = arena_strdup(a, db_col(st, 14));
	r->email = arena_strdup(a, db_col(st, 15));
	if (sqlite3_column_type(st, 16) != SQLITE_NULL) {
		r->doc_sha = arena_strdup(a, db_col(st, 16));
		r->doc_size = (size_t)sqlite3_column_int64(st, 17);
		r->doc_mime = arena_strdup(a, db_col(st, 18));
		r->doc_name = arena_strdup(a, db_col(st, 19));
	}
	q->created_at = sqlite3_column_int64(st, 20);
	snprintf(q->status, sizeof q->status, "%s", db_col(st, 21));
	r->queued_at = q->created_at;
	r->guardian_request = id;
	db_done(st);
	return 1;
}

const char *guardian_sign_action(int confirm) { return confirm ? "guardian_confirm" : "guardian_refuse"; }

/* Inside the transaction: records the reviewer's signature of this
 * decision (the proof of its own challenge, by the reviewer). *sig gets
 * its id. */
static enum guardian_err signature(struct actor who, long long id, int confirm, const struct sign_proof *p,
				   long long *sig, const char **msg_key)
{
	char iin[13] = "";
	if (!db_text(iin, sizeof iin, "SELECT iin FROM account WHERE id = ?", "I", who.id))
		return GUARDIAN_FAILED;
	*msg_key = p->msg_key;
	enum sign_err se;
	if (p->err == SIGN_OK && (!p->purpose || !p->action || strcmp(p->purpose, "action") != 0 ||
				  strcmp(p->action, guardian_sign_action(confirm)) != 0 || p->object_id != id)) {
		se = SIGN_E_CONTENT; /* a proof of another challenge */
		*msg_key = "Eds.challenge_unknown";
	} else {
		se = sigrec_store(p, who.id, iin, NULL, "guardian_request", sig, msg_key);
	}
	if (se == SIGN_E_INTERNAL)
		return GUARDIAN_FAILED;
	return se == SIGN_OK ? GUARDIAN_OK : GUARDIAN_SIGNATURE;
}

/* The confirmation: the application, then the request's outcome. */
static enum guardian_err confirm_tx(struct actor who, long long id, struct request *q, const char *reason,
				    struct arena *a, long long sig, char number[32])
{
	long long app;
	int rc = queue_register_tx(who, &q->reg, &app, number);
	if (rc == QUEUE_FAILED)
		return GUARDIAN_FAILED;
	if (rc != QUEUE_OK)
		return GUARDIAN_BLOCKED;
	char rid[24];
	snprintf(rid, sizeof rid, "%lld", id);
	if (db_exec("UPDATE guardian_request SET status = 'confirmed', reviewer_id = ?, reason = ?, decided_at = ?, "
		    "application_id = ?, signature_id = ? WHERE id = ? AND status = 'pending'", "ItIIII", who.id, reason,
		    u_now(), app, sig, id) != SQLITE_DONE || db_changes() != 1 ||
	    hist_add(app, who.id, "reviewer", "guardian_confirmed", rid, reason, NULL) < 0 ||
	    hist_notify(app, q->reg.phone, "guardian_confirmed",
			lang_tf(a, acct_lang(q->reg.applicant_id, NULL), "Guardian.sms_confirmed", "number", number)) < 0)
		return GUARDIAN_FAILED;
	return GUARDIAN_OK;
}

static enum guardian_err refuse_tx(struct actor who, long long id, struct request *q, const char *reason,
				   struct arena *a, long long sig)
{
	char rid[24];
	snprintf(rid, sizeof rid, "%lld", id);
	if (db_exec("UPDATE guardian_request SET status = 'refused', reviewer_id = ?, reason = ?, decided_at = ?, "
		    "signature_id = ? WHERE id = ? AND status = 'pending'", "ItIII", who.id, reason, u_now(), sig,
		    id) != SQLITE_DONE ||
	    db_changes() != 1 ||
	    hist_notify(0, q->reg.phone, "guardian_refused",
			lang_tf(a, acct_lang(q->reg.applicant_id, NULL), "Guardian.sms_refused", "number", rid)) < 0)
		return GUARDIAN_FAILED;
	return GUARDIAN_OK;
}

enum guardian_err guardian_decide(struct actor who, long long id, int confirm, const char *reason,
				  const struct sign_proof *p, const char **msg_key, char number[32])
{
	number[0] = '\0';
	*msg_key = NULL;
	long long sig = 0;
	struct arena *a = arena_new();
	if (!a)
		return GUARDIAN_FAILED;
	enum guardian_err e = GUARDIAN_FAILED;
	struct request q;
	if (db_begin() < 0)
		goto out;
	int found = load(a, who.id, id, &q);
	if (found <= 0) {
		e = found < 0 ? GUARDIAN_FAILED : GUARDIAN_NOT_FOUND;
		goto rollback;
	}
	if (strcmp(q.status, "pending") != 0) {
		e = GUARDIAN_DECIDED;
		goto rollback;
	}
	e = signature(who, id, confirm, p, &sig, msg_key);
	if (e != GUARDIAN_OK)
		goto rollback;
	e = confirm ? confirm_tx(who, id, &q, reason, a, sig, number) : refuse_tx(who, id, &q, reason, a, sig);
	if (e != GUARDIAN_OK)
		goto rollback;
	if (audit_act(who, confirm ? "guardian_confirmed" : "guardian_refused", "guardian_request", id, "ok",
		      confirm ? number : "") < 0 ||
	    db_commit() < 0) {
		e = GUARDIAN_FAILED;
		goto rollback;
	}
	goto out;
rollback:
	if (e == GUARDIAN_FAILED)
		log_err("guardian decision %lld failed: %s", id, db_errmsg());
	db_rollback();
out:
	arena_free(a);
	return e;
}
