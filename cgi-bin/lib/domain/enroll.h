/*
 * enroll.h — the parent's work on a referral (seed 003, «Подать документы
 * на зачисление ребенка в дошкольную организацию»): the three medical
 * forms, the contract the system generates for this child and DDO, and
 * the parent's signature on it, which submits the documents.
 *
 * A referral can be worked on while it is 'issued' and its deadline
 * (referral.deadline_at, 5 working days, see workday.h) has not passed.
 * Signing the contract moves, in one transaction, the referral to
 * 'docs_submitted' (docs_submitted_at, contract_signature_id) and the
 * application to 'docs_submitted', with history and audit rows; from then
 * on nothing of the submission can change (the schema refuses to replace
 * a form of a referral that is not 'issued', sql/040_enroll.sql).
 *
 *   struct enr_ref ref;
 *   if (enr_load(r, referral_id, account_id, &ref) < 0) return 404;   // authorised by applicant
 *   const char *err = enr_upload(r, &ref, ENR_FORM065, file);        // NULL or a lang key
 *   enr_prepare_contract(r, &ref);                                   // once, in its own transaction
 *   const char *text = enr_sign_text(r, &ref);                       // what is signed
 *   err = enr_sign_eds(r, &ref, nonce, cms, &res) / enr_sign_otp(r, &ref, code);
 *
 * Every function that changes something runs its own BEGIN IMMEDIATE
 * transaction and re-checks the referral's state inside it, so a deadline
 * or a signature that lands between the page and the POST is honoured.
 * Error results are lang keys (both languages, under Enroll.* unless
 * said otherwise). Prefix enr_.
 */
#ifndef KG_ENROLL_H
#define KG_ENROLL_H

#include "web/esig.h"
#include "web/req.h"

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
	char contract_number[32], contract_code[23];
	char sign_method[4];                           /* "eds" / "otp" once signed */
	long long signed_at;
};

/* Loads referral id of the applicant account_id (0: any applicant, for
 * the system's own use). Returns 0, or -1 when there is no such referral
 * for that account (the caller answers 404) or on a database error. */
int enr_load(struct req *r, long long id, long long account_id, struct enr_ref *out);

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

/* Uploads one form: checks the referral's state, the file (doc_check: not
 * empty, within Upload.FileMaxBytes, a whole PDF/JPEG/PNG by content),
 * stores it by SHA-256, and in one transaction marks the previous file of
 * that kind replaced_at, records the new one with history ("doc_uploaded"
 * or "doc_replaced") and audit rows. f may be NULL (no file chosen).
 * Returns NULL on success (ref is reloaded), or the lang key of the reason
 * (Enroll.err_no_file, Err.file_*, Enroll.err_signed/expired/closed,
 * Err.internal). Err.file_too_large carries {max}: see enr_error_text. */
const char *enr_upload(struct req *r, struct enr_ref *ref, enum enr_kind kind, const struct req_file *f);

/* The message of a lang key returned above, with its parameters filled. */
const char *enr_error_text(struct req *r, const char *key);

/* Generates the contract of an open referral when it has none: a PDF (in
 * the request's language) with the parties, the child, the DDO and its
 * address, the referral, the dates, the main obligations, its number
 * ("Д-<referral number>") and a QR code of its check page; stored as the
 * generated document of kind 'contract' with history and audit rows, in
 * its own transaction. Returns 0 (also when it already existed or the
 * referral is not open), -1 on failure (logged). ref is reloaded. */
int enr_prepare_contract(struct req *r, struct enr_ref *ref);

/* Prepares the contracts of every open referral of the account that has
 * none. Returns the number made, or -1 when one failed. */
int enr_prepare_all(struct req *r, long long account_id);

/* Does any open referral of the account lack its contract? 1 or 0. */
int enr_contract_missing(long long account_id, long long now);

/* The canonical text the parent signs (arena): the contract's number,
 * child, DDO, referral, parent, the contract's SHA-256 and those of the
 * three forms, and the consent sentence. NULL when the contract or a form
 * is missing. esig adds the single-use code and the time after it. */
const char *enr_sign_text(struct req *r, const struct enr_ref *ref);

/* What signing needs besides the signature itself: the referral open, the
 * three forms, the contract, the mark (agree). Returns NULL or the lang
 * key: Enroll.err_signed/expired/closed, Enroll.err_forms_missing,
 * Enroll.err_no_contract, Enroll.err_agree. */
const char *enr_sign_precheck(const struct enr_ref *ref, int agree, long long now);

/* Signs with EDS: the CMS (base64) over the challenge `nonce` of this
 * session, action "contract", object the referral, whose text must still
 * be the referral's current enr_sign_text (else Enroll.err_changed);
 * verified by esig_accept (SIGN key, the session's own IIN) inside the
 * transaction of the submission. Returns NULL on success, else a lang key
 * (Enroll.* or Eds.*). res->err tells the EDS reason for the audit row. */
const char *enr_sign_eds(struct req *r, struct enr_ref *ref, const char *nonce, const char *cms,
			 struct esig_result *res);

/* Signs with a one-time code (a parent who logged in by code): the code
 * of purpose "sign" sent to the session's otp_phone, checked by otp_check
 * (which uses it up), then the 'otp' signature over enr_sign_text and the
 * submission in one transaction. Returns NULL or a lang key (Otp.* or
 * Enroll.*); *left gets the attempts left after a wrong code. */
const char *enr_sign_otp(struct req *r, struct enr_ref *ref, const char *code, long long *left);

/* Sends a fresh signing code to the session's otp_phone (otp_issue,
 * purpose "sign"). Returns the otp result; *wait as otp_issue. */
int enr_send_code(struct req *r, const struct enr_ref *ref, long long *wait);

#endif
