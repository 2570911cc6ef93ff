/*
 * benefit.h — a benefit confirmed by the education department before the
 * referral's documents (DOMAIN.md, "Benefit confirmation").
 *
 * WHO WAITS. A referral issued to an out-of-turn applicant, and to a
 * first-priority one where Benefit.ConfirmFirstPriority = 1, is «Ожидает
 * подтверждения льготы» (benefit_needs_check): ref_issue calls
 * benefit_on_issue in the referral's transaction, which marks it
 * referral.benefit_check = 'pending' with benefit_due_at =
 * benefit_due(issued_at) (Benefit.ConfirmWorkingDays working days, 5), and
 * tells the parent by SMS to bring the original of the supporting document
 * to the district's education department by then. The referral stays
 * 'issued' and its deadline (referral.h) is the due time: the document
 * deadline has not started, the parent cannot upload nor sign
 * (enroll.h), the staff cannot accept (decide.h: DEC_E_BENEFIT).
 *
 * HOW IT ENDS, each in one transaction with history, SMS and audit:
 *   confirmed  the district's reviewer confirms, with a comment and an EDS
 *              signature (decide.h dec_benefit): the document deadline
 *              starts then (ref_start_deadline, the referral's usual 5
 *              working days);
 *   refused    the reviewer refuses, with a comment and a signature;
 *   lapsed     nobody answered by benefit_due_at (the tick's job
 *              "benefits" and ref_refresh, through ref_annul_due).
 * Refused or lapsed, the referral is annulled (its voucher too; the
 * schema's trigger gives the place back, which is offered on), and the
 * application returns to the queue with its original queue date, in the
 * category its documents support: benefit 'none', no ground
 * (benefit_requeue). The history says why.
 *
 * This module sits below referral.c (which calls it); it reads and writes
 * the benefit columns, never referral.deadline_at (referral.h owns it).
 * SMS texts come from L.BenefitCheck.sms_* in the language of the group
 * (Kazakh for a Kazakh group, Russian otherwise). Prefix benefit_.
 */
#ifndef KG_BENEFIT_H
#define KG_BENEFIT_H

#include "base/actor.h"

/* referral.benefit_check. */
enum benefit_check { BC_NONE, BC_PENDING, BC_CONFIRMED, BC_REFUSED, BC_LAPSED, BC__MAX };
/* "", "pending", "confirmed", "refused", "lapsed": the stored values. */
extern const char *const benefit_check_names[BC__MAX];

/* Benefit.ConfirmWorkingDays, kept within 1..99 (5 otherwise). */
int benefit_confirm_days(void);
/* Benefit.ConfirmFirstPriority: 1 when first-priority rights are
 * confirmed too, else 0. */
int benefit_confirm_first(void);

/* Does a referral of an application with this benefit category
 * ("out_of_turn", "first_priority", "none") wait for a confirmation
 * (pure)? Out of turn always; first priority when confirm_first. */
int benefit_needs_check(const char *benefit, int confirm_first);
/* The due time of a confirmation of a referral issued at issued_at: the
 * last second of the benefit_confirm_days()-th working day after its day.
 * -1 when the calendar cannot be read. */
long long benefit_due(long long issued_at);

/* Inside ref_issue's transaction, right after the referral row: when the
 * application's category needs a confirmation (benefit, with
 * Benefit.ConfirmFirstPriority), marks the referral pending and writes the
 * history row and the SMS. Returns the due time (the referral's deadline
 * while pending), 0 when no confirmation is needed, -1 on an error. */
long long benefit_on_issue(long long referral_id, long long application_id, const char *benefit, long long now);

/* Every pending confirmation whose due time is before now lapses, each
 * in its own transaction: the referral is annulled as lapsed, its place
 * returns and is offered on (offer_fill_place), the application returns
 * to the queue without the benefit, history, SMS, audit. Idempotent and
 * safe to run concurrently (the tick's job "benefits", ref_refresh).
 * Returns how many this run lapsed, or -1. */
int benefit_lapse_due(long long now);

/* Inside the caller's transaction, the reviewer who refused it having
 * signed (signature_id): the referral is annulled as refused with the
 * comment, its place returns and is offered on, the application returns
 * to the queue without the benefit (history, SMS). 1 done, 0 when it is
 * no longer pending or already due, -1 on an error. */
int benefit_refuse(long long referral_id, struct actor who, const char *comment, long long signature_id,
		   long long now);

/* Inside the caller's transaction, the reviewer who confirmed it having
 * signed: benefit_check 'confirmed' with the comment; the history row
 * and SMS name the document deadline (deadline_at, which the caller has
 * just started: ref_start_deadline). 1 done, 0 when it is no longer
 * pending or already due, -1 on an error. */
int benefit_confirm(long long referral_id, struct actor who, const char *comment, long long signature_id,
		    long long deadline_at, long long now);

#endif
