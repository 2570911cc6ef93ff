/*
 * enroll.h — the parent's work on a referral (seed 003, «Подать документы
 * на зачисление ребенка в дошкольную организацию»): the three medical
 * forms, the contract the system generates for this child and DDO, and
 * the parent's signature on it, which submits the documents.
 *
 * A referral can be worked on while it is 'issued' and its deadline
 * (referral.deadline_at, 5 working days, see workday.h) has not passed,
 * once its benefit, where one must be confirmed first, is confirmed
 * (benefit.h; until then ENR_BENEFIT).
 * Signing the contract moves, in one transaction, the referral to
 * 'docs_submitted' (docs_submitted_at, contract_signature_id) and the
 * application to 'docs_submitted', with history and audit rows; from then
 * on nothing of the submission can change (the schema refuses to replace
 * a form of a referral that is not 'issued', sql/040_enroll.sql).
 *
 *   struct enr_ref ref;
 *   if (enr_load(referral_id, account_id, &ref) < 0) return 404;        // authorised by applicant
 *   const char *err = enr_upload(who, a, &ref, ENR_FORM065, name, p, n);  // NULL or a lang key
 *   enr_prepare_contract(who, a, lang, &ref);                          // once, in its own transaction
 *   const char *text = enr_sign_text(a, lang, &ref);                   // what is signed
 *   err = enr_sign_eds(who, a, lang, &ref, &proof, &why) / enr_sign_otp(who, a, lang, &ref, phone);
 *
 * The protocols of signing are the screen's: it verifies the posted CMS
 * against its challenge (esig_verify, web/esig.h) or checks the one-time
 * code (otp_check, web/otp.h), and hands the result here; the signature
 * is recorded (sigrec.h) inside the transaction of the submission, once
 * the referral, its files and its text have been checked there again.
 *
 * who is the parent (account and address, acting as citizen), a the
 * arena of the call's texts, lang ("ru" or "kk") the language of the page,
 * in which the contract and the signed text are written. Every function
 * that changes something runs its own BEGIN IMMEDIATE transaction and
 * re-checks the referral's state inside it, so a deadline or a signature
 * that lands between the page and the POST is honoured. Error results are
 * lang keys (both languages, under Enroll.* unless said otherwise).
 * Prefix enr_.
 */
#ifndef KG_ENROLL_H
#define KG_ENROLL_H

#include <stddef.h>

#include "base/actor.h"
#include "base/sign.h"
#include "base/util.h"

/* The three forms, in the order the page shows them. */
enum enr_kind { ENR_FORM065, ENR_FORM027, ENR_FORM052_2, ENR__KINDS };
/* document.kind of each: "form065", "form027", "form052_2" (NULL-terminated). */
extern const char *const enr_kind_names[ENR__KINDS + 1];

/* What the parent may do with a referral now. */
enum enr_state {
	ENR_OPEN,      /* 'issued', before the deadline: upload, replace, sign */
	ENR_EXPIRED,   /* 'issued' but the deadline has passed (the deadline job will annul it) */
	ENR_SIGNED,    /* the contract is signed: documents submitted (and later stages) */
	ENR_CLOSED,    /* annulled, or its refusal confirmed */
	ENR_BENEFIT,   /* 'issued', its benefit awaiting confirmation (benefit.h): nothing to do yet */
};

struct enr_doc {
	long long id;          /* 0: none */
	char sha[65];
	char filename[256];
	char mime[20];
	long long size, created_at;
};

/* A referral with everything the screen and the contract need. Texts are
 * copies (no pointer into a statement). */
struct enr_ref {
	long long id, application_id, applicant_id, ddo_id, signature_id;
	char number[11], status[20];
	long long issued_at, deadline_at, docs_submitted_at;
	char app_number[40], language[3], app_status[20];
	int group_year, district_id;
	char child_iin[13], child_surname[128], child_name[128], child_patronymic[128];
	char child_birth[11], child_sex[2];          /* birth as yyyy-mm-dd */
	char ddo_name_ru[304], ddo_name_kk[304], ddo_address[256], ddo_phone[40], ddo_bin[13];
	char parent_iin[13], parent_surname[128], parent_name[128], parent_patronymic[128], parent_phone[20];
	struct enr_doc forms[ENR__KINDS];              /* the current file of each form */
	struct enr_doc contract;                       /* the generated contract (id 0: not yet) */
	int benefit_pending;                           /* its benefit awaits confirmation: deadline_at is its due time */
	char contract_number[32], contract_code[23];
	char sign_method[4];                           /* "eds" / "otp" once signed */
	long long signed_at;
};

/* Loads referral id of the applicant account_id (0: any applicant, for
 * the system's own use). Returns 0, or -1 when there is no such referral
 * for that account (the caller answers 404) or on a database error. */
int enr_load(long long id, long long account_id, struct enr_ref *out);

/* The ids of the account's referrals, newest first (at most max).
 * Returns the count, or -1. */
int enr_referrals(long long account_id, long long *ids, int max);

/* The state of a loaded referral at time now. */
enum enr_state enr_state_of(const struct enr_ref *ref, long long now);

/* Why the referral cannot change now: NULL when it can (ENR_OPEN), else
 * Enroll.err_signed, Enroll.err_expired or Enroll.err_closed. */
const char *enr_locked_key(const struct enr_ref *ref, long long now);

/* Number of forms present; missing gets the kinds that are not (may be NULL). */
int enr_forms_present(const struct enr_ref *ref, int missing[ENR__KINDS]);

/* Uploads one form of the parent who: checks the referral's state, the
 * file (doc_check: not empty, within Upload.FileMaxBytes, a whole
 * PDF/JPEG/PNG by content), stores it by SHA-256, and in one transaction
 * marks the previous file of that kind replaced_at, records the new one
 * with history ("doc_uploaded" or "doc_replaced") and audit rows. filename
 * is the browser's (cleaned here), NULL when no file was chosen; data and
 * len the bytes. Returns NULL on success (ref is reloaded), or the lang
 * key of the reason (Enroll.err_no_file, Err.file_*,
 * Enroll.err_signed/expired/closed, Err.internal). Err.file_too_large
 * carries {max}, doc_max_bytes() in megabytes. */
const char *enr_upload(struct actor who, struct arena *a, struct enr_ref *ref, enum enr_kind kind,
		       const char *filename, const void *data, size_t len);

/* Generates the contract of an open referral when it has none: a PDF (in
 * lang) with the parties, the child, the DDO and its address, the
 * referral, the dates, the main obligations, its number ("Д-<referral
 * number>") and a QR code of its check page; stored as the generated
 * document of kind 'contract' with history and audit rows (who), in its
 * own transaction. Returns 0 (also when it already existed or the
 * referral is not open), -1 on failure (logged). ref is reloaded. */
int enr_prepare_contract(struct actor who, struct arena *a, const char *lang, struct enr_ref *ref);

/* Prepares the contracts of every open referral of the parent who
 * (who.id) that has none. Returns the number made, or -1 when one
 * failed. */
int enr_prepare_all(struct actor who, struct arena *a, const char *lang);

/* Does any open referral of the account lack its contract? 1 or 0. */
int enr_contract_missing(long long account_id, long long now);

/* The canonical text the parent signs (in a, words in lang): the
 * contract's number, child, DDO, referral, parent, the contract's SHA-256
 * and those of the three forms, and the consent sentence. NULL when the
 * contract or a form is missing. esig adds the single-use code and the
 * time after it. */
const char *enr_sign_text(struct arena *a, const char *lang, const struct enr_ref *ref);

/* What signing needs besides the signature itself: the referral open, the
 * three forms, the contract, the mark (agree). Returns NULL or the lang
 * key: Enroll.err_signed/expired/closed, Enroll.err_forms_missing,
 * Enroll.err_no_contract, Enroll.err_agree. */
const char *enr_sign_precheck(const struct enr_ref *ref, int agree, long long now);

/* Signs with EDS: p is the screen's proof of the posted CMS (esig_verify
 * over this session's challenge of action "contract" and the referral:
 * unused, unexpired, a valid CMS with a SIGN key). In one BEGIN IMMEDIATE
 * transaction: reloads the referral (authorised by who.id) and checks it
 * (enr_sign_precheck, agreed), checks that what was signed begins with
 * the referral's current enr_sign_text (else Enroll.err_changed: a file
 * was replaced since the page), records the signature (sigrec_store: the
 * parent's own IIN, the challenge used once) and moves the referral and
 * the application to 'docs_submitted' with the history
 * ("contract_signed") and audit ("contract_sign") rows. Returns NULL on
 * success (ref is reloaded), else a lang key (Enroll.*, Eds.*,
 * Err.internal); *err is the reason when the signature was refused
 * (SIGN_OK otherwise), for the caller's audit row. */
const char *enr_sign_eds(struct actor who, struct arena *a, const char *lang, struct enr_ref *ref,
			 const struct sign_proof *p, enum sign_err *err);

/* Signs with a one-time code that the screen has checked and used up
 * (otp_check of purpose "sign", sent to phone, the parent's): the same
 * transaction as enr_sign_eds, with the confirmation recorded as the
 * signature (sigrec_store_otp, method 'otp': the text, the phone masked
 * and the time). Returns NULL or a lang key (Enroll.*, Err.internal). */
const char *enr_sign_otp(struct actor who, struct arena *a, const char *lang, struct enr_ref *ref, const char *phone);

#endif
