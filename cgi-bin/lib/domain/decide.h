/*
 * decide.h — what a kindergarten and the education department decide about
 * a referral: the staff accept the child (Принять в ДДО) or refuse with a
 * reason (мотивированный отказ); the district's reviewer confirms the
 * refusal (the child returns to the queue at its old position) or rejects
 * it (the kindergarten must enroll the child); later the staff mark the
 * child's departure (убытие). DOMAIN.md draws the life these transitions
 * move an application through.
 *
 * Every transition is one BEGIN IMMEDIATE transaction that holds, together:
 * the EDS signature (its record, sigrec.h: the SIGN key of the acting
 * person, and of the DDO's BIN when the DDO has one), the change of the
 * rows, the application's history, the audit row and the SMS to the
 * parent. It either happens whole or not at all; a refusal of any check
 * leaves every row as it was (the audit records the attempt afterwards).
 *
 * Who acts is a struct actor (actor.h): the account, its role and its
 * address, as the screen's request or the command line gives it.
 * Authorisation lives in the queries: every read and every change joins
 * through the actor's ddo_staff rows or reviewer_district rows, so an IIN,
 * referral number or id of another DDO or district is simply not found
 * (DEC_E_NOT_FOUND), exactly like one that does not exist.
 *
 * The signed text. A signed action is offered by a page that renders its
 * canonical text (dec_text_*: what is decided, about which child, referral
 * and DDO, with the reason, comment or date the person typed, in the
 * page's language) and asks for a challenge of that text with the action
 * code and object id below (esig_challenge). When the form comes back, the
 * screen verifies the CMS against that challenge (esig_verify) and passes
 * the proof to the transition, which checks the person and the BIN,
 * rebuilds the text from the rows and the posted values and requires the
 * signed content to begin with it: a CMS over another text, or a posted
 * reason that is not the one that was signed, gets DEC_E_TEXT.
 *
 *   action           object id        text
 *   "accept"         referral id      dec_text_accept
 *   "refuse"         referral id      dec_text_refuse (reason and explanation)
 *   "review_confirm" refusal id       dec_text_review (with the comment)
 *   "review_reject"  refusal id       dec_text_review
 *   "departure"      enrollment id    dec_text_depart (date and reason)
 *
 * Words (texts, documents, labels) come from the string tables (lang.h)
 * in the language passed ("ru", "kk"); the SMS to a parent is in the
 * application's. Strings returned in structs live in the arena passed.
 * Prefix dec_.
 */
#ifndef KG_DECIDE_H
#define KG_DECIDE_H

#include "base/actor.h"
#include "base/sign.h"
#include "base/util.h"
#include "domain/refusal.h"

/* Why a decision was not taken. Each has its message under
 * L.Decide.err.<dec_err_name> (dec_err_key). */
enum dec_err {
	DEC_OK = 0,
	DEC_E_NOT_FOUND,       /* not among the caller's DDOs / districts (or no such row) */
	DEC_E_NOT_SUBMITTED,   /* referral 'issued': the parent has not submitted the documents */
	DEC_E_ANNULLED,        /* referral annulled (deadline passed, or withdrawn) */
	DEC_E_BENEFIT,         /* its benefit awaits the education department's confirmation (benefit.h) */
	DEC_E_BENEFIT_DECIDED, /* the benefit of this referral was already confirmed or refused */
	DEC_E_ENROLLED,        /* the child is already enrolled by this referral */
	DEC_E_IN_REVIEW,       /* refused: the refusal awaits the education department */
	DEC_E_CLOSED,          /* the refusal was confirmed: the referral is closed */
	DEC_E_MUST_ENROLL,     /* a refusal after the department rejected one: only accepting is possible */
	DEC_E_CHILD_ELSEWHERE, /* the child is enrolled in another DDO now */
	DEC_E_REASON,          /* refusal or departure without a reason (or its explanation) */
	DEC_E_COMMENT,         /* review decision without a comment */
	DEC_E_DATE_FUTURE,     /* departure date after today */
	DEC_E_DATE_BEFORE,     /* departure date before the enrollment */
	DEC_E_DEPARTED,        /* the departure is already marked */
	DEC_E_DECIDED,         /* the refusal was already reviewed */
	DEC_E_SIGNATURE,       /* the signature was refused: dec_result.msg_key says why (L.Eds.*) */
	DEC_E_TEXT,            /* the signed text is not the text of this decision */
	DEC_E_INTERNAL,        /* a database or file error (logged) */
	DEC_E__MAX
};

/* Stable names ("ok", "not_found", "not_submitted", ...), for the audit
 * log and the message keys. */
extern const char *const dec_err_names[DEC_E__MAX];
/* "Decide.err.<name>" for e; for DEC_E_SIGNATURE use dec_result.msg_key. */
const char *dec_err_key(enum dec_err e);
/* The HTTP status a screen answers a refused decision with: 404 not
 * found, 409 the state does not allow it, 422 bad input or signature, 500. */
int dec_http_status(enum dec_err e);

struct dec_result {
	enum dec_err err;
	const char *msg_key;   /* lang key of the message for the person */
	const char *detail;    /* for the audit log: why a signature failed ("" otherwise) */
	long long id;          /* the new enrollment, refusal, or decision document */
};

/* A referral with everything the screens show about it. */
struct dec_referral {
	long long id, application_id, ddo_id, district_id, child_id, free_place_id;
	const char *number, *status, *voucher;
	long long issued_at, deadline_at, docs_submitted_at; /* 0 when not yet */
	const char *ddo_name_ru, *ddo_name_kk, *ddo_kind, *ddo_address;
	const char *ddo_bin;               /* NULL when the DDO has none */
	const char *app_number, *app_status, *benefit, *language;
	int group_year;
	long long queued_at;
	const char *child_iin, *child_surname, *child_name, *child_patronymic, *child_birth, *child_sex;
	const char *applicant_iin, *applicant_surname, *applicant_name, *applicant_patronymic, *phone;
	const char *review_comment;        /* of the last rejected refusal ("" if none) */
	/* The confirmation of its benefit (benefit.h): referral.benefit_check
	 * ("" none, "pending", ...), the application's legal ground, the due
	 * time (0 when none) and the reviewer's comment. While pending, status
	 * reads "benefit_pending" (an 'issued' referral whose document
	 * deadline has not started). */
	const char *benefit_check, *benefit_ground, *benefit_comment;
	long long benefit_due_at;
};

/* A child in (or formerly in) a DDO's enrolled list. */
struct dec_enrollment {
	long long id, referral_id, application_id, ddo_id, child_id;
	long long enrolled_at;
	int departed;                      /* departure already marked */
	const char *departed_on;           /* dd.mm.yyyy, "" if not departed */
	const char *departure_reason;
	long long departed_at;
	const char *child_iin, *child_surname, *child_name, *child_patronymic;
	const char *app_number, *referral_number, *ddo_name_ru, *ddo_name_kk, *ddo_bin;
	int group_year;
};

/* A refusal as the reviewer sees it, with its referral. */
struct dec_refusal {
	long long id;
	const char *status;
	enum rfs_reason reason_code;            /* the reason from the list */
	const char *reason;                     /* the staff member's explanation */
	long long refused_at;
	const char *staff_surname, *staff_name, *staff_patronymic;
	const char *signer_iin, *cert_serial;   /* the refusal's signature */
	long long signed_at;
	const char *review_comment;
	long long reviewed_at;
	long long decision_doc;                 /* the decision PDF (0 while pending) */
	struct dec_referral ref;
};

/* A document of an application (uploaded or generated). */
struct dec_doc {
	long long id;
	const char *kind, *origin, *filename, *mime, *sha256, *number;
	long long size, created_at;
};

/* Registers the SQL function kg_upper(text) (upper case of Cyrillic,
 * Kazakh and Latin letters) on the process's connection: filters by name
 * compare upper-cased text. Call once per process after db_open. 0 or -1. */
int dec_init(void);
/* The same upper-casing in C, into the arena. */
char *dec_upper(struct arena *a, const char *s);

/* ---- words ---- */

/* The label of a value of one of the closed sets the decisions show, in
 * lang: L.Decide.<set>.<value> ("rstatus", "fstatus", "benefit", "lang",
 * "sex", "ddokind", "kind"), or the value itself when there is no such
 * string. Never NULL. */
const char *dec_label(const char *lang, const char *set, const char *value);
/* A DDO's name in lang: the Kazakh one when lang is "kk" and it has one. */
const char *dec_ddo_name(const char *lang, const char *name_ru, const char *name_kk);

/* ---- reads (authorised in the query: who.id's DDOs or districts) ---- */

/* The staff member's referral by id, in ddo_id (0: in any of their DDOs).
 * 1 found, 0 not found, -1 database error. */
int dec_staff_referral(struct arena *a, struct actor who, long long ddo_id, long long referral_id,
		       struct dec_referral *out);
/* Search of «Обработка направления» in the staff member's DDO ddo_id: by
 * the child's IIN (by_iin = 1; the child's newest referral to that DDO) or
 * by referral number. 1 found, 0 not, -1 error. */
int dec_staff_find(struct arena *a, struct actor who, long long ddo_id, int by_iin, const char *q,
		   struct dec_referral *out);
/* An enrollment of one of the staff member's DDOs. 1, 0 or -1. */
int dec_staff_enrollment(struct arena *a, struct actor who, long long enrollment_id, struct dec_enrollment *out);
/* A refusal of one of the reviewer's districts. 1, 0 or -1. */
int dec_reviewer_refusal(struct arena *a, struct actor who, long long refusal_id, struct dec_refusal *out);

/* The documents of a referral's application the decision is about: the
 * applicant's current uploads of this referral and of the application
 * (benefit), and what the system generated for this referral, except the
 * child cards. *out is an arena array; returns the count or -1. */
int dec_documents(struct arena *a, long long application_id, long long referral_id, struct dec_doc **out);
/* A document the actor may download: through a referral to one of the
 * staff member's DDOs (dec_staff_document) or through a refusal in one of
 * the reviewer's districts (dec_reviewer_document). 1, 0 or -1. */
int dec_staff_document(struct arena *a, struct actor who, long long doc_id, struct dec_doc *out);
int dec_reviewer_document(struct arena *a, struct actor who, long long doc_id, struct dec_doc *out);

/* ---- what the state allows now (DEC_OK or why not); the transitions
 * check the same inside their transaction ---- */

enum dec_err dec_can_accept(const struct dec_referral *x);
enum dec_err dec_can_refuse(const struct dec_referral *x);
/* DEC_E_DECIDED once the refusal is reviewed. */
enum dec_err dec_can_review(const struct dec_refusal *f);
/* The departure's date (days since 1970-01-01, val.h V_DATE) against the
 * enrollment and today (now): DEC_E_DATE_FUTURE, DEC_E_DATE_BEFORE or
 * DEC_OK. */
enum dec_err dec_depart_day(const struct dec_enrollment *e, int day, long long now);

/* ---- the texts that are signed, in lang (arena; NULL on memory
 * exhaustion) ---- */

const char *dec_text_accept(struct arena *a, const char *lang, const struct dec_referral *x);
/* code: the reason from the list (refusal.h), reason: its explanation;
 * the text names both. */
const char *dec_text_refuse(struct arena *a, const char *lang, const struct dec_referral *x, enum rfs_reason code,
			    const char *reason);
const char *dec_text_review(struct arena *a, const char *lang, const struct dec_refusal *f, int confirm,
			    const char *comment);
/* day: the departure date as days since 1970-01-01 (val.h V_DATE). */
const char *dec_text_depart(struct arena *a, const char *lang, const struct dec_enrollment *e, int day,
			    const char *reason);

/* ---- the transitions ----
 * who: the account acting (staff, or reviewer for dec_review), recorded in
 * the rows, the history and the audit log; lang: the language of the text
 * that was signed (and of the decision PDF); p: the signature the screen
 * verified (esig_verify) for this action and object, whatever its outcome
 * (a refused one is told after the state's checks, as DEC_E_SIGNATURE).
 * Each returns res->err (and fills res); DEC_OK when committed. */

/* Accept: a referral to one of the staff member's DDOs in 'docs_submitted'
 * or 'must_enroll' -> enrollment row, referral 'enrolled' with its voucher
 * 'bound', application 'enrolled'; the parent is told. res->id = the
 * enrollment. */
enum dec_err dec_accept(struct arena *a, struct actor who, const char *lang, long long referral_id,
			const struct sign_proof *p, struct dec_result *res);
/* Refuse with a reason from the list (code; DEC_E_REASON when it is none
 * of them) and its explanation (reason, required: DEC_E_REASON when
 * blank), only from 'docs_submitted': refusal 'pending' for the DDO's
 * district, referral 'refused', application 'refusal_review'; the history
 * row "ddo_refused" (DDO, "refusal_<code>", explanation); the parent is
 * told by SMS the reason and what happens next. res->id = the refusal. */
enum dec_err dec_refuse(struct arena *a, struct actor who, const char *lang, long long referral_id,
			enum rfs_reason code, const char *reason, const struct sign_proof *p, struct dec_result *res);
/* The reviewer's decision on a pending refusal of their district, with a
 * comment. confirm: refusal 'confirmed', referral 'refusal_confirmed' (its
 * place returns to the record, its voucher is annulled), application back
 * to 'queued' with its queue date and category unchanged, so it regains
 * its position. reject: refusal 'rejected', referral 'must_enroll',
 * application 'docs_submitted'. Either way the parent and the DDO are told
 * and the decision is generated as a PDF in lang (document kind
 * 'decision'); res->id = that document. */
enum dec_err dec_review(struct arena *a, struct actor who, const char *lang, long long refusal_id, int confirm,
			const char *comment, const struct sign_proof *p, struct dec_result *res);
/* Departure of an enrolled child on day (not after today, not before the
 * enrollment) with a reason: the child leaves the enrolled list, the
 * application is closed as 'departed'; the parent is told. res->id = the
 * enrollment. */
enum dec_err dec_depart(struct arena *a, struct actor who, const char *lang, long long enrollment_id, int day,
			const char *reason, const struct sign_proof *p, struct dec_result *res);

/* The child card (карточка ребенка) of a referral, generated now as a PDF
 * in lang with a QR code to the check page and recorded as a document of
 * kind 'child_card' made by who (with an audit row). Returns the document
 * id or -1. */
long long dec_child_card(struct arena *a, struct actor who, const char *lang, const struct dec_referral *x);

/* ---- the confirmation of a benefit (benefit.h) ----
 * The district's reviewer confirms or refuses the benefit of a referral
 * that awaits it, with a comment, signed: action "benefit_confirm" or
 * "benefit_refuse", object the referral, text dec_text_benefit. */

/* A referral with a benefit confirmation (any outcome) of an application
 * of the reviewer's districts. 1, 0 or -1. */
int dec_reviewer_benefit(struct arena *a, struct actor who, long long referral_id, struct dec_referral *out);
/* The supporting documents of the application's benefit (uploaded at
 * registration). *out is an arena array; the count or -1. */
int dec_benefit_documents(struct arena *a, long long application_id, struct dec_doc **out);
/* A benefit document the reviewer may download: of an application of
 * their districts whose referral awaits (or had) a confirmation. 1, 0, -1. */
int dec_benefit_document(struct arena *a, struct actor who, long long doc_id, struct dec_doc *out);
/* DEC_OK while it awaits the decision (and its due time has not passed);
 * DEC_E_ANNULLED past it; DEC_E_BENEFIT_DECIDED once decided. */
enum dec_err dec_can_benefit(const struct dec_referral *x);
/* The text signed: the decision, the referral, the category and its
 * legal ground, the comment. */
const char *dec_text_benefit(struct arena *a, const char *lang, const struct dec_referral *x, int confirm,
			     const char *comment);
/* confirm: benefit confirmed, the document deadline starts now
 * (ref_start_deadline). refuse: the referral is annulled, the place
 * returns and is offered on, the application returns to the queue with
 * its queue date and no benefit (benefit_refuse). The parent is told
 * either way; history and audit rows. DEC_E_COMMENT without a comment. */
enum dec_err dec_benefit(struct arena *a, struct actor who, const char *lang, long long referral_id, int confirm,
			 const char *comment, const struct sign_proof *p, struct dec_result *res);

#endif
