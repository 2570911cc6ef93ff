/* enroll.c — see enroll.h. */
#include "domain/enroll.h"

#include <stdio.h>
#include <string.h>

#include "domain/audit.h"
#include "base/conf.h"
#include "base/db.h"
#include "domain/doc.h"
#include "domain/hist.h"
#include "domain/referral.h"
#include "base/lang.h"
#include "base/log.h"
#include "base/pdf.h"
#include "base/sigrec.h"
#include "base/util.h"

const char *const enr_kind_names[ENR__KINDS + 1] = {"form065", "form027", "form052_2", NULL};

static const char *ddo_name(const char *lang, const struct enr_ref *ref)
{
	return strcmp(lang, "kk") == 0 ? ref->ddo_name_kk : ref->ddo_name_ru;
}

/* ---- loading ---- */

static void load_doc(sqlite3_stmt *st, struct enr_doc *d)
{
	d->id = sqlite3_column_int64(st, 0);
	u_copy(d->sha, sizeof d->sha, db_col(st, 1));
	u_copy(d->filename, sizeof d->filename, db_col(st, 2));
	u_copy(d->mime, sizeof d->mime, db_col(st, 3));
	d->size = sqlite3_column_int64(st, 4);
	d->created_at = sqlite3_column_int64(st, 5);
}

int enr_load(long long id, long long account_id, struct enr_ref *o)
{
	memset(o, 0, sizeof *o);
	sqlite3_stmt *st = db_query(
		"SELECT r.id, r.number, r.status, r.issued_at, coalesce(r.docs_submitted_at, 0), "
		"  coalesce(r.contract_signature_id, 0), a.id, a.number, a.group_year, a.language, a.status, "
		"  a.district_id, c.iin, c.surname, c.name, c.patronymic, c.birth_date, c.sex, "
		"  d.id, d.name_ru, d.name_kk, d.address, d.phone, coalesce(d.bin, ''), "
		"  p.id, p.iin, p.surname, p.name, p.patronymic, a.phone "
		"FROM referral r JOIN application a ON a.id = r.application_id "
		"JOIN child c ON c.id = a.child_id JOIN ddo d ON d.id = r.ddo_id "
		"JOIN account p ON p.id = a.applicant_id "
		"WHERE r.id = ? AND (? = 0 OR a.applicant_id = ?)",
		"III", id, account_id, account_id);
	if (!db_row(st)) {
		db_done(st);
		return -1;
	}
	o->id = sqlite3_column_int64(st, 0);
	u_copy(o->number, sizeof o->number, db_col(st, 1));
	u_copy(o->status, sizeof o->status, db_col(st, 2));
	o->issued_at = sqlite3_column_int64(st, 3);
	o->docs_submitted_at = sqlite3_column_int64(st, 4);
	o->signature_id = sqlite3_column_int64(st, 5);
	o->application_id = sqlite3_column_int64(st, 6);
	u_copy(o->app_number, sizeof o->app_number, db_col(st, 7));
	o->group_year = sqlite3_column_int(st, 8);
	u_copy(o->language, sizeof o->language, db_col(st, 9));
	u_copy(o->app_status, sizeof o->app_status, db_col(st, 10));
	o->district_id = sqlite3_column_int(st, 11);
	u_copy(o->child_iin, sizeof o->child_iin, db_col(st, 12));
	u_copy(o->child_surname, sizeof o->child_surname, db_col(st, 13));
	u_copy(o->child_name, sizeof o->child_name, db_col(st, 14));
	u_copy(o->child_patronymic, sizeof o->child_patronymic, db_col(st, 15));
	u_copy(o->child_birth, sizeof o->child_birth, db_col(st, 16));
	u_copy(o->child_sex, sizeof o->child_sex, db_col(st, 17));
	o->ddo_id = sqlite3_column_int64(st, 18);
	u_copy(o->ddo_name_ru, sizeof o->ddo_name_ru, db_col(st, 19));
	u_copy(o->ddo_name_kk, sizeof o->ddo_name_kk, db_col(st, 20));
	u_copy(o->ddo_address, sizeof o->ddo_address, db_col(st, 21));
	u_copy(o->ddo_phone, sizeof o->ddo_phone, db_col(st, 22));
	u_copy(o->ddo_bin, sizeof o->ddo_bin, db_col(st, 23));
	o->applicant_id = sqlite3_column_int64(st, 24);
	u_copy(o->parent_iin, sizeof o->parent_iin, db_col(st, 25));
	u_copy(o->parent_surname, sizeof o->parent_surname, db_col(st, 26));
	u_copy(o->parent_name, sizeof o->parent_name, db_col(st, 27));
	u_copy(o->parent_patronymic, sizeof o->parent_patronymic, db_col(st, 28));
	u_copy(o->parent_phone, sizeof o->parent_phone, db_col(st, 29));
	db_done(st);
	/* The deadline is the referral module's (ref_status_at reads it). */
	struct ref_info info;
	if (ref_get(o->id, 0, &info) <= 0)
		return -1;
	o->deadline_at = info.deadline_at;
	o->benefit_pending = info.benefit_pending;

	st = db_query("SELECT id, sha256, filename, mime, size, created_at, kind FROM document "
		      "WHERE referral_id = ? AND application_id = ? AND origin = 'applicant' AND replaced_at IS NULL "
		      "AND kind IN ('form065', 'form027', 'form052_2')",
		      "II", o->id, o->application_id);
	while (db_row(st))
		for (int k = 0; k < ENR__KINDS; k++)
			if (strcmp(db_col(st, 6), enr_kind_names[k]) == 0)
				load_doc(st, &o->forms[k]);
	db_done(st);

	st = db_query("SELECT id, sha256, filename, mime, size, created_at, coalesce(number, ''), "
		      "coalesce(check_code, '') FROM document "
		      "WHERE referral_id = ? AND kind = 'contract' AND origin = 'system'",
		      "I", o->id);
	if (db_row(st)) {
		load_doc(st, &o->contract);
		u_copy(o->contract_number, sizeof o->contract_number, db_col(st, 6));
		u_copy(o->contract_code, sizeof o->contract_code, db_col(st, 7));
	}
	db_done(st);

	if (o->signature_id) {
		st = db_query("SELECT method, signed_at FROM signature WHERE id = ?", "I", o->signature_id);
		if (db_row(st)) {
			u_copy(o->sign_method, sizeof o->sign_method, db_col(st, 0));
			o->signed_at = sqlite3_column_int64(st, 1);
		}
		db_done(st);
	}
	return 0;
}

int enr_referrals(long long account_id, long long *ids, int max)
{
	sqlite3_stmt *st = db_query("SELECT r.id FROM referral r JOIN application a ON a.id = r.application_id "
				    "WHERE a.applicant_id = ? ORDER BY r.issued_at DESC, r.id DESC LIMIT ?",
				    "Ii", account_id, max);
	if (!st)
		return -1;
	int n = 0;
	while (n < max && db_row(st))
		ids[n++] = sqlite3_column_int64(st, 0);
	db_done(st);
	return n;
}

/* ---- state ---- */

enum enr_state enr_state_of(const struct enr_ref *ref, long long now)
{
	enum ref_status stored = ref_status_parse(ref->status);
	switch (ref_status_at(stored, ref->deadline_at, now)) {
	case REF_ST_ISSUED: return ref->benefit_pending ? ENR_BENEFIT : ENR_OPEN;
	case REF_ST_ANNULLED: return stored == REF_ST_ISSUED && !ref->benefit_pending ? ENR_EXPIRED : ENR_CLOSED;
	case REF_ST_REFUSAL_CONFIRMED: case REF_ST__MAX: return ENR_CLOSED;
	default: return ENR_SIGNED;
	}
}

const char *enr_locked_key(const struct enr_ref *ref, long long now)
{
	switch (enr_state_of(ref, now)) {
	case ENR_OPEN: return NULL;
	case ENR_EXPIRED: return "Enroll.err_expired";
	case ENR_SIGNED: return "Enroll.err_signed";
	case ENR_CLOSED: return "Enroll.err_closed";
	case ENR_BENEFIT: return "BenefitCheck.err_enroll";
	}
	return "Enroll.err_closed";
}

int enr_forms_present(const struct enr_ref *ref, int missing[ENR__KINDS])
{
	int n = 0;
	for (int k = 0; k < ENR__KINDS; k++) {
		if (missing)
			missing[k] = ref->forms[k].id == 0;
		n += ref->forms[k].id != 0;
	}
	return n;
}

/* The referral's state read inside the caller's transaction: NULL when it
 * may still change, else the lang key. */
static const char *locked_now(long long referral_id, long long now)
{
	struct ref_info info;
	if (ref_get(referral_id, now, &info) <= 0 || info.stored == REF_ST__MAX)
		return "Enroll.err_closed";
	struct enr_ref tmp;
	memset(&tmp, 0, sizeof tmp);
	u_copy(tmp.status, sizeof tmp.status, ref_status_names[info.stored]);
	tmp.deadline_at = info.deadline_at;
	tmp.benefit_pending = info.benefit_pending;
	return enr_locked_key(&tmp, now);
}

/* ---- uploads ---- */

const char *enr_upload(struct actor who, struct arena *a, struct enr_ref *ref, enum enr_kind kind,
		       const char *filename, const void *data, size_t len)
{
	long long now = u_now();
	const char *locked = enr_locked_key(ref, now);
	if (locked)
		return locked;
	if (!filename)
		return "Enroll.err_no_file";
	const char *mime;
	const char *bad = doc_check(data, len, &mime);
	/* The referral's upload limits, before a file is stored, and again in
	 * the transaction (uploads at the same moment). */
	if (!bad)
		bad = doc_upload_allowed(ref->id, len, now);
	if (bad)
		return bad;
	char sha[65];
	if (doc_store(data, len, sha) < 0)
		return "Err.internal";
	const char *kname = enr_kind_names[kind];
	const char *fname = doc_clean_filename(a, filename, kname, mime);
	if (db_begin() < 0)
		return "Err.internal";
	locked = locked_now(ref->id, now);
	if (!locked)
		locked = doc_upload_allowed(ref->id, len, now);
	if (locked) {
		db_rollback();
		return locked;
	}
	if (db_exec("UPDATE document SET replaced_at = ? WHERE application_id = ? AND referral_id = ? AND kind = ? "
		    "AND origin = 'applicant' AND replaced_at IS NULL",
		    "IIIt", now, ref->application_id, ref->id, kname) != SQLITE_DONE)
		goto fail;
	int replaced = db_changes() > 0;
	long long doc = doc_add(ref->application_id, ref->id, kname, "applicant", sha, len, mime, fname, NULL, who.id);
	if (doc < 0)
		goto fail;
	char details[160];
	snprintf(details, sizeof details, "kind=%s document=%lld sha256=%.16s replaced=%d", kname, doc, sha, replaced);
	if (hist_add(ref->application_id, who.id, "citizen", replaced ? "doc_replaced" : "doc_uploaded", kname, fname,
		     ref->number) < 0 ||
	    audit_act(who, "enroll_upload", "referral", ref->id, "ok", details) < 0)
		goto fail;
	if (db_commit() < 0)
		goto fail;
	enr_load(ref->id, 0, ref);
	return NULL;
fail:
	log_err("upload of %s for referral %lld failed: %s", kname, ref->id, db_errmsg());
	db_rollback();
	return "Err.internal";
}

/* ---- the contract ---- */

static const char *lang_name(const char *lang, const char *code)
{
	if (strcmp(code, "kk") == 0)
		return lang_t(lang, "Enroll.lang_kk");
	if (strcmp(code, "en") == 0)
		return lang_t(lang, "Enroll.lang_en");
	return lang_t(lang, "Enroll.lang_ru");
}

static int contract_pdf(struct arena *a, const char *lang, const struct enr_ref *ref, const char *number,
			const char *code, long long now, struct buf *out)
{
	struct pdf *p = pdf_new(lang_tf(a, lang, "Contract.title", "number", number));
	if (!p)
		return -1;
	char city[256] = "";
	db_text(city, sizeof city, "SELECT CASE ? WHEN 'kk' THEN name_kk ELSE name_ru END FROM district WHERE id = ?",
		"ti", lang, ref->district_id);
	const char *parent = arena_full_name(a, ref->parent_surname, ref->parent_name, ref->parent_patronymic);
	const char *child = arena_full_name(a, ref->child_surname, ref->child_name, ref->child_patronymic);
	pdf_title(p, lang_tf(a, lang, "Contract.title", "number", number));
	pdf_text(p, lang_t(lang, "Contract.subtitle"));
	const char *pd[] = {"city", city, "date", arena_date(a, now), NULL};
	pdf_text(p, arena_subst(a, lang_t(lang, "Contract.place_date"), pd));
	const char *bin = *ref->ddo_bin ? lang_tf(a, lang, "Contract.bin", "bin", ref->ddo_bin) : "";
	const char *pa[] = {"ddo", ddo_name(lang, ref), "address", ref->ddo_address, "bin", bin,
			    "parent", parent, "iin", ref->parent_iin, "referral", ref->number, NULL};
	pdf_text(p, arena_subst(a, lang_t(lang, "Contract.parties"), pa));

	pdf_heading(p, lang_t(lang, "Contract.s_data"));
	pdf_field(p, lang_t(lang, "Contract.f_child"), child);
	pdf_field(p, lang_t(lang, "Contract.f_child_iin"), ref->child_iin);
	pdf_field(p, lang_t(lang, "Contract.f_birth"), arena_iso_date(a, ref->child_birth));
	pdf_field(p, lang_t(lang, "Contract.f_parent"), parent);
	pdf_field(p, lang_t(lang, "Contract.f_parent_iin"), ref->parent_iin);
	pdf_field(p, lang_t(lang, "Contract.f_parent_phone"), ref->parent_phone);
	pdf_field(p, lang_t(lang, "Contract.f_ddo"), ddo_name(lang, ref));
	pdf_field(p, lang_t(lang, "Contract.f_address"), ref->ddo_address);
	pdf_field(p, lang_t(lang, "Contract.f_phone"), ref->ddo_phone);
	if (*ref->ddo_bin)
		pdf_field(p, lang_t(lang, "Contract.f_bin"), ref->ddo_bin);
	pdf_field(p, lang_t(lang, "Contract.f_referral"), ref->number);
	pdf_field(p, lang_t(lang, "Contract.f_issued"), arena_date(a, ref->issued_at));
	pdf_field(p, lang_t(lang, "Contract.f_deadline"), arena_date(a, ref->deadline_at));
	pdf_field(p, lang_t(lang, "Contract.f_application"), ref->app_number);
	pdf_field(p, lang_t(lang, "Contract.f_group"), arena_printf(a, "%d", ref->group_year));
	pdf_field(p, lang_t(lang, "Contract.f_language"), lang_name(lang, ref->language));

	pdf_heading(p, lang_t(lang, "Contract.s_subject"));
	pdf_text(p, lang_t(lang, "Contract.subject"));
	pdf_heading(p, lang_t(lang, "Contract.s_org"));
	pdf_text(p, lang_t(lang, "Contract.org"));
	pdf_heading(p, lang_t(lang, "Contract.s_parent"));
	pdf_text(p, lang_t(lang, "Contract.parent"));
	pdf_heading(p, lang_t(lang, "Contract.s_term"));
	pdf_text(p, lang_t(lang, "Contract.term"));
	pdf_heading(p, lang_t(lang, "Contract.s_sign"));
	pdf_text(p, lang_t(lang, "Contract.sign"));
	pdf_gap(p, 8);
	pdf_qr(p, doc_check_url(a, code), lang_t(lang, "Contract.qr"));
	const char *ft[] = {"site", conf_get("App.Name", "AKMOLA.KZ"), "time", arena_datetime(a, now), "code", code,
			    NULL};
	pdf_note(p, arena_subst(a, lang_t(lang, "Contract.footer"), ft));
	return pdf_finish(p, out);
}

int enr_prepare_contract(struct actor who, struct arena *a, const char *lang, struct enr_ref *ref)
{
	long long now = u_now();
	if (ref->contract.id || enr_state_of(ref, now) != ENR_OPEN)
		return 0;
	char code[23];
	if (doc_new_check_code(code) < 0)
		return -1;
	const char *number = arena_printf(a, "Д-%s", ref->number);
	struct buf pdf = {0};
	if (contract_pdf(a, lang, ref, number, code, now, &pdf) < 0) {
		buf_free(&pdf);
		return -1;
	}
	const char *fname = arena_printf(a, "contract-%s.pdf", ref->number);
	if (db_begin() < 0) {
		buf_free(&pdf);
		return -1;
	}
	/* Another request may have made it meanwhile: keep that one. */
	if (db_int("SELECT count(*) FROM document WHERE referral_id = ? AND kind = 'contract' AND origin = 'system'",
		   0, "I", ref->id) > 0 || locked_now(ref->id, now)) {
		db_rollback();
		buf_free(&pdf);
		return enr_load(ref->id, 0, ref) < 0 ? -1 : 0;
	}
	long long id = doc_add_generated(ref->application_id, ref->id, "contract", number, code, &pdf, fname, 0);
	buf_free(&pdf);
	char details[96];
	snprintf(details, sizeof details, "referral=%lld number=%s", ref->id, ref->number);
	if (id < 0 || hist_add(ref->application_id, 0, "system", "contract_prepared", number, ref->number, NULL) < 0 ||
	    audit_act(who, "contract_prepare", "document", id, "ok", details) < 0 || db_commit() < 0) {
		log_err("the contract of referral %lld could not be stored: %s", ref->id, db_errmsg());
		db_rollback();
		return -1;
	}
	return enr_load(ref->id, 0, ref) < 0 ? -1 : 0;
}

int enr_contract_missing(long long account_id, long long now)
{
	/* The account's referrals stored 'issued' without a contract; one of
	 * them still open at now is enough. */
	sqlite3_stmt *st = db_query("SELECT r.id FROM referral r JOIN application a ON a.id = r.application_id "
				    "WHERE a.applicant_id = ? AND r.status = 'issued' AND NOT EXISTS "
				    "(SELECT 1 FROM document d WHERE d.referral_id = r.id AND d.kind = 'contract' "
				    " AND d.origin = 'system')",
				    "I", account_id);
	long long ids[20];
	int n = 0;
	while (n < 20 && db_row(st))
		ids[n++] = sqlite3_column_int64(st, 0);
	db_done(st);
	for (int i = 0; i < n; i++) {
		struct ref_info info;
		/* (A benefit awaiting confirmation has no contract yet: benefit.h.) */
		if (ref_get(ids[i], now, &info) > 0 && info.status == REF_ST_ISSUED && !info.benefit_pending)
			return 1;
	}
	return 0;
}

int enr_prepare_all(struct actor who, struct arena *a, const char *lang)
{
	long long ids[20];
	int n = enr_referrals(who.id, ids, 20), made = 0;
	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		struct enr_ref ref;
		if (enr_load(ids[i], who.id, &ref) < 0)
			return -1;
		if (ref.contract.id || enr_state_of(&ref, u_now()) != ENR_OPEN)
			continue;
		if (enr_prepare_contract(who, a, lang, &ref) < 0)
			return -1;
		made++;
	}
	return made;
}

/* ---- signing ---- */

const char *enr_sign_text(struct arena *a, const char *lang, const struct enr_ref *ref)
{
	if (!ref->contract.id)
		return NULL;
	for (int k = 0; k < ENR__KINDS; k++)
		if (!ref->forms[k].id)
			return NULL;
	return arena_printf(a,
			    "%s %s\n"
			    "%s: %s, %s %s\n"
			    "%s: %s, %s\n"
			    "%s: %s, %s\n"
			    "%s: %s, %s %s\n"
			    "%s: %s\n"
			    "%s: %s\n%s: %s\n%s: %s\n"
			    "%s",
			    lang_t(lang, "Enroll.st_head"), ref->contract_number,
			    lang_t(lang, "Enroll.st_child"),
			    arena_full_name(a, ref->child_surname, ref->child_name, ref->child_patronymic),
			    lang_t(lang, "Enroll.st_iin"), ref->child_iin,
			    lang_t(lang, "Enroll.st_ddo"), ddo_name(lang, ref), ref->ddo_address,
			    lang_t(lang, "Enroll.st_referral"), ref->number, arena_date(a, ref->issued_at),
			    lang_t(lang, "Enroll.st_parent"),
			    arena_full_name(a, ref->parent_surname, ref->parent_name, ref->parent_patronymic),
			    lang_t(lang, "Enroll.st_iin"), ref->parent_iin,
			    lang_t(lang, "Enroll.st_contract_sha"), ref->contract.sha,
			    lang_t(lang, "Enroll.form_form065"), ref->forms[ENR_FORM065].sha,
			    lang_t(lang, "Enroll.form_form027"), ref->forms[ENR_FORM027].sha,
			    lang_t(lang, "Enroll.form_form052_2"), ref->forms[ENR_FORM052_2].sha,
			    lang_t(lang, "Enroll.st_consent"));
}

const char *enr_sign_precheck(const struct enr_ref *ref, int agree, long long now)
{
	const char *locked = enr_locked_key(ref, now);
	if (locked)
		return locked;
	if (enr_forms_present(ref, NULL) < ENR__KINDS)
		return "Enroll.err_forms_missing";
	if (!ref->contract.id)
		return "Enroll.err_no_contract";
	if (!agree)
		return "Enroll.err_agree";
	return NULL;
}

/* The submission itself, in the caller's transaction. 0 or -1. */
static int submit(struct actor who, const struct enr_ref *ref, long long signature_id, const char *method,
		  long long now)
{
	/* The caller checked inside this transaction that it is open
	 * (enr_sign_precheck): the deadline has not passed. */
	if (db_exec("UPDATE referral SET status = 'docs_submitted', docs_submitted_at = ?, contract_signature_id = ? "
		    "WHERE id = ? AND status = 'issued'",
		    "III", now, signature_id, ref->id) != SQLITE_DONE ||
	    db_changes() != 1)
		return -1;
	if (db_exec("UPDATE application SET status = 'docs_submitted', updated_at = ? WHERE id = ? AND status = 'referred'",
		    "II", now, ref->application_id) != SQLITE_DONE ||
	    db_changes() != 1)
		return -1;
	char details[128];
	snprintf(details, sizeof details, "method=%s contract=%lld signature=%lld", method, ref->contract.id,
		 signature_id);
	if (hist_add(ref->application_id, who.id, "citizen", "contract_signed", ref->contract_number, method,
		     ref->number) < 0 ||
	    audit_act(who, "contract_sign", "referral", ref->id, "ok", details) < 0)
		return -1;
	return 0;
}

/* The start of a signature, in the open transaction: the referral again
 * (authorised by who.id), its state and files, and the text it is signed
 * with (*text). NULL, or the lang key of the refusal. */
static const char *sign_begin(struct actor who, struct arena *a, const char *lang, struct enr_ref *ref,
			      long long now, const char **text)
{
	*text = NULL;
	if (enr_load(ref->id, who.id, ref) < 0)
		return "Enroll.err_closed";
	const char *why = enr_sign_precheck(ref, 1, now);
	if (why)
		return why;
	*text = enr_sign_text(a, lang, ref);
	return *text ? NULL : "Enroll.err_forms_missing";
}

/* The end of a signature that went through: the submission with
 * signature sig (-1: it could not be stored), and the commit. */
static const char *sign_end(struct actor who, struct enr_ref *ref, long long sig, const char *method, long long now)
{
	if (sig < 0 || submit(who, ref, sig, method, now) < 0 || db_commit() < 0) {
		log_err("the submission of referral %lld (%s) failed: %s", ref->id, method, db_errmsg());
		db_rollback();
		return "Err.internal";
	}
	enr_load(ref->id, 0, ref);
	return NULL;
}

const char *enr_sign_eds(struct actor who, struct arena *a, const char *lang, struct enr_ref *ref,
			 const struct sign_proof *p, enum sign_err *err)
{
	long long now = u_now();
	*err = SIGN_OK;
	if (db_begin() < 0)
		return "Err.internal";
	/* Everything again inside the transaction: the state, the files. */
	const char *text;
	const char *why = sign_begin(who, a, lang, ref, now, &text);
	size_t tl = text ? strlen(text) : 0;
	if (!why && p->err == SIGN_OK &&
	    (!p->content || p->content_len < tl || memcmp(p->content, text, tl) != 0))
		why = "Enroll.err_changed";
	if (why) {
		db_rollback();
		return why;
	}
	long long sig = 0;
	const char *key = p->msg_key;
	enum sign_err e;
	if (p->err == SIGN_OK && (!p->purpose || !p->action || strcmp(p->purpose, "action") != 0 ||
				  strcmp(p->action, "contract") != 0 || p->object_id != ref->id)) {
		e = SIGN_E_CONTENT;   /* a proof of another challenge than this referral's */
		key = "Eds.challenge_unknown";
	} else {
		e = sigrec_store(p, who.id, ref->parent_iin, NULL, "referral", &sig, &key);
	}
	if (e != SIGN_OK) {
		db_rollback();
		*err = e;
		return key ? key : "Eds.internal";
	}
	return sign_end(who, ref, sig, "eds", now);
}

const char *enr_sign_otp(struct actor who, struct arena *a, const char *lang, struct enr_ref *ref, const char *phone)
{
	long long now = u_now();
	if (db_begin() < 0)
		return "Err.internal";
	const char *text;
	const char *why = sign_begin(who, a, lang, ref, now, &text);
	if (why) {
		db_rollback();
		return why;
	}
	/* The record names the phone the code went to, and the time. */
	char masked[20];
	u_mask_phone(phone, masked);
	const char *content = arena_printf(a, "%s\n\n%s: %s\n%s: %s", text, lang_t(lang, "Enroll.st_otp"), masked,
					   lang_t(lang, "Eds.time"), arena_datetime(a, now));
	long long sig = content ? sigrec_store_otp(who.id, "contract", "referral", ref->id, content, phone) : -1;
	return sign_end(who, ref, sig, "otp", now);
}
