/*
 * referral.h — referrals (направления): a child's right to one place in
 * one DDO, with a deadline in working days, and what time does to them.
 *
 * ISSUING (ref_issue): a citizen takes a place of a free-place record for
 * their own queued application. The number is 10 digits: "1", the
 * application id on 7 digits, the ordinal of that application's referrals
 * on 2 digits (the seed's 1000001101 is application 11's first referral).
 * The deadline is ref_deadline(issued_at): the last second of the 5th
 * working day (Referral.DeadlineWorkingDays) after the day of issue, on the
 * Kazakhstan calendar of the holiday table. One transaction holds the
 * referral (the schema's trigger takes the place; its CHECK free >= 0
 * refuses the place after the last, which is how two parents racing for
 * the last place are told apart: exactly one commits), the application's
 * status 'referred', the history rows, the audit row, the SMS with the
 * number, DDO and deadline (outbox), and the referral's entry in
 * referral_pdf_due (sql/060) with the language of the page. A referral
 * whose benefit the education department confirms first (benefit.h) is
 * marked so in the same transaction; its deadline is the confirmation's
 * due time until then, and its SMS says where to bring the original.
 *
 * THE PDF (number, child, DDO and address, group year, language, deadline,
 * a QR code to the public check page; a generated document of kind
 * 'referral') takes ~6 ms of CPU (libharu), ten times the choice itself,
 * so it is made off the request path: right after the response, in the
 * same worker (the screen hands ref_make_pdf to the request loop's
 * req_after); one left due for 10 s (its worker died in between) by an
 * idle worker of any program, and by `kgctl tick`. It is written in
 * referral_pdf.c, the only part of the module that needs libharu and
 * libqrencode. ref_make_pdf is idempotent and
 * safe to run concurrently: the PDF is made and stored first, and
 * recorded only by the run whose DELETE takes the referral off the due
 * list, in the same transaction. The referral page shows the PDF link once
 * it exists (a few milliseconds after the choice).
 *
 * STATUS AT NOW (ref_status_at): a referral still 'issued' after its
 * deadline reads 'annulled' on every screen, before the timed job has
 * written it; the deadline includes its last second (issued while now <=
 * deadline_at). Every reader of referral.deadline_at is in this file: the
 * others ask ref_get, ref_live or ref_app_status (the lint checks it).
 *
 * TIME: ref_annul_due annuls the referrals still 'issued' after their
 * deadline (voucher annulled, referral 'annulled' — the schema's trigger
 * gives the place back —, application 'archived' with archive_reason
 * 'deadline', history, audit, SMS); ref_remind_due sends the reminder SMS
 * on the working day before the deadline, once (reminded_at). Both are
 * idempotent and safe to run concurrently with the screens and with each
 * other: every row is claimed by an UPDATE ... WHERE status = 'issued'
 * inside BEGIN IMMEDIATE, and only the run whose UPDATE changed it goes
 * on. `kgctl tick` runs both; the screens run the annulment before they
 * read referrals or places (ref_refresh).
 *
 * SMS TEXTS are in Kazakh for a Kazakh-language group and in Russian
 * otherwise (the service keeps no other language preference of a parent),
 * from L.Ref.sms_* in templates/lang.
 * Prefix ref_.
 */
#ifndef KG_REFERRAL_H
#define KG_REFERRAL_H

#include <sqlite3.h>

#include "base/actor.h"
#include "base/util.h"

/* The statuses of a referral (referral.status). */
enum ref_status {
	REF_ST_ISSUED, REF_ST_DOCS_SUBMITTED, REF_ST_ENROLLED, REF_ST_REFUSED, REF_ST_MUST_ENROLL,
	REF_ST_ANNULLED, REF_ST_REFUSAL_CONFIRMED, REF_ST__MAX
};
/* "issued", "docs_submitted", ...: the stored values, in the enum's order. */
extern const char *const ref_status_names[REF_ST__MAX];
/* The status of a stored name; REF_ST__MAX when it is none. */
enum ref_status ref_status_parse(const char *name);

/* The status a referral reads at now (pure): 'issued' after its deadline
 * (now > deadline_at) reads REF_ST_ANNULLED, whatever else as stored. SQL
 * has it as kg_ref_status(status, deadline_at, now), returning the name. */
enum ref_status ref_status_at(enum ref_status stored, long long deadline_at, long long now);

/* Referral.DeadlineWorkingDays, kept within 1..99 (5 otherwise). */
int ref_deadline_days(void);
/* The deadline of a referral issued at issued_at: the last second of the
 * ref_deadline_days()-th working day after its day. -1 when the calendar
 * cannot be read. */
long long ref_deadline(long long issued_at);

/* A referral as it reads at now. */
struct ref_info {
	long long id, application_id, issued_at, deadline_at;
	char number[11];
	enum ref_status status;   /* ref_status_at: what every screen shows */
	enum ref_status stored;   /* referral.status */
	int benefit_pending;      /* its benefit awaits confirmation (benefit.h): deadline_at is the confirmation's */
};
/* Referral id (no authorisation: the caller's query found it). 1, 0 when
 * there is none, -1 on a database error. */
int ref_get(long long id, long long now, struct ref_info *out);
/* The newest referral of an application. 1, 0 none, -1. */
int ref_latest(long long application_id, long long now, struct ref_info *out);
/* The application's live referral: the newest one that does not read
 * annulled or refusal_confirmed at now. 1, 0 none, -1. */
int ref_live(long long application_id, long long now, struct ref_info *out);
/* The status an application reads at now, from its stored status: a
 * 'referred' application whose referral reads annulled reads "archived"
 * with *reason "deadline" (what ref_annul_due will write), or "queued"
 * when that referral's benefit awaited its confirmation (benefit.h); any
 * other is returned as stored, *reason untouched. NULL on a database
 * error. */
const char *ref_app_status(long long application_id, const char *stored, long long now, const char **reason);

/* Registers kg_ref_status on a connection; every process calls it right
 * after db_open (with place_sql_register). 0 or -1. */
int ref_sql_register(sqlite3 *db);

/* Outcomes of ref_issue; each has a message L.Ref.err_<name>. */
enum ref_err {
	REF_OK,
	REF_NO_APPLICATION,   /* not an application of this citizen */
	REF_REFERRED,         /* it already has a live referral (a double submit lands here) */
	REF_ARCHIVED,         /* archived or departed */
	REF_NOT_QUEUED,       /* documents submitted, enrolled, under review */
	REF_NO_RECORD,        /* no such free-place record */
	REF_MISMATCH,         /* another district, group year or language */
	REF_WINDOW,           /* priority window: benefit holders only */
	REF_EXHAUSTED,        /* no free place left (someone took the last one first) */
	REF_FROZEN,           /* the August transfer period (wd_freeze): no place is chosen */
	REF_FAILED,           /* database or file error: nothing was saved */
	REF_ERR__MAX
};
/* "no_application", "referred", ...: the L.Ref.err_* key suffixes. */
extern const char *const ref_err_names[REF_ERR__MAX];

struct ref_issued {
	long long id;           /* referral row */
	char number[11];
	long long deadline_at;
};

/* Issues a referral for an application of the citizen who (who.id the
 * account, acting as citizen): lang ("ru" or "kk") is the language of the
 * page, in which the PDF is made; a holds the texts of the call. On REF_OK
 * fills *out (the caller then has its PDF made after the response: THE
 * PDF); on REF_REFERRED out->number is the live referral's number.
 * Nothing changes unless REF_OK is returned. */
enum ref_err ref_issue(struct actor who, struct arena *a, const char *lang, long long application_id, long long place_id,
		       struct ref_issued *out);

/* The PDF (referral_pdf.c). */

/* Makes the PDF of a referral in referral_pdf_due (see THE PDF above).
 * Returns 1 when this run recorded it, 0 when there was nothing to do (not
 * due, or another run recorded it meanwhile), -1 on an error (logged; it
 * stays due). */
int ref_make_pdf(long long referral_id);
/* Makes every PDF due for at least min_age seconds at now (the timed job;
 * the worker that issued a referral makes its PDF within milliseconds).
 * Returns how many this run recorded, or -1. */
int ref_make_due_pdfs(long long now, long long min_age);

/* Number and time (referral.c). */

/* Builds the 10-digit number; 0, or -1 when the id or ordinal does not fit. */
int ref_number(long long application_id, int ordinal, char out[11]);

/* Annuls every referral that reads annulled at now but is still stored
 * 'issued' past its document deadline (the application archived); one
 * whose benefit awaited its confirmation lapses instead
 * (benefit_lapse_due: the application back in the queue). Returns how
 * many this run annulled, or -1 on a database error. */
int ref_annul_due(long long now);

/* Inside the caller's transaction: the document deadline of an 'issued'
 * referral starts at now (ref_deadline(now)), when its benefit is
 * confirmed (benefit.h). Returns the deadline, or -1. */
long long ref_start_deadline(long long referral_id, long long now);

/* The time rules due at now that the screens apply before they read
 * places or referrals: the places' statuses (place_refresh_status) and
 * the annulments (ref_annul_due, benefit_lapse_due), which give places
 * back. Cheap when
 * nothing is due. Returns the number of rows changed, or -1 on a
 * database error. */
int ref_refresh(long long now);

/* Sends the reminder of every referral still 'issued', not reminded yet,
 * whose deadline is not past and is at most one working day after the
 * day of now. Returns how many, or -1. */
int ref_remind_due(long long now);

#endif
