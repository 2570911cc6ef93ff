/*
 * transfer.h — an enrolled child moves to another kindergarten (issue 17
 * items 5 and 6): a transfer through the queue, or an exchange of places
 * between two parents.
 *
 * TRANSFER: THE MODEL. A transfer request is an application row of its own
 * (sql/241): the enrolled application's child, parent, district, group
 * year and language, benefit 'none', ddo1..ddo3 the DDOs asked for (other
 * DDOs of the district), status 'queued', its own number and queue time
 * (the request's), and transfer_of = the enrolled application. So the
 * request goes through everything an application does (offers, the
 * referral, documents, contract, the staff's signed acceptance; withdrawal
 * cancels it) without a line of those changing, and offers keep
 * referencing application_id. The child stays enrolled where it is: the
 * index application_child_active lets a pending request (transfer_of set,
 * not yet enrolled) live beside the enrolled application, and
 * application_child_transfer allows one pending request per child.
 *
 * WHO IS OFFERED. offer_fill (offer.h) takes transfer requests as a fourth
 * category, 'transfer', offered only places of the DDOs they asked for, in
 * their own queue order (queue time, id). Where they stand is
 * Queue.TransferRank (0..3, default 2): the number of benefit categories
 * offered before transfers, read as "a transfer takes the turn the
 * interleave would give to a category of rank >= TransferRank":
 *   0  transfers before everyone;
 *   1  after out-of-turn applicants, before first-priority and ordinary;
 *   2  after out-of-turn, and instead of the ordinary applicant whenever
 *      the one-to-three interleave gives the turn to an ordinary one
 *      (first-priority applicants keep their turns): the default, "after
 *      the benefit categories, before ordinary";
 *   3  only when no applicant of the three categories is available.
 * Transfers do not count in the interleave (offers are counted by
 * category). The rule is tr_takes_turn (transfer_order.h, which offer.c
 * calls: it includes no other domain module, so offer and transfer do
 * not depend on each other).
 *
 * ON ACCEPTANCE at the new DDO (dec_accept, decide.c, in its transaction,
 * before the new enrollment is written): tr_complete ends the old
 * enrollment with the departure reason «перевод» (dated today, by the
 * accepting staff member, authorised by the same signature), the old
 * application becomes 'departed', both histories say so, and the old
 * DDO's staff are reminded by SMS to publish the freed place (and the
 * cabinet's freed-places reminder counts it, with TransferFreed). A
 * request whose old enrollment already ended (the child left meanwhile)
 * is accepted as an ordinary application.
 *
 * EXCHANGE. Parents A and B of enrolled children of the same group year
 * and language in different DDOs swap (table exchange, sql/242): A
 * proposes by B's application number ('proposed'), B agrees ('agreed'),
 * then the staff of each DDO accepts with a signed decision; the second
 * acceptance moves both enrollments (enrollment.ddo_id swapped, with
 * history, audit and SMS to both parents) in its transaction, or nothing
 * moves ('done'). A refusal of either DDO (signed) or either parent's
 * cancellation ends it ('refused' / 'cancelled') and both children stay.
 * An application is in at most one live exchange; a child with a pending
 * transfer request may still exchange.
 *
 * Every function that writes opens its own transaction (tr_complete runs
 * in the caller's). Prefix tr_.
 */
#ifndef KG_TRANSFER_H
#define KG_TRANSFER_H

#include "base/actor.h"
#include "base/sign.h"
#include "base/util.h"
#include "domain/transfer_order.h"

/* ---- transfer ---- */
enum tr_result {
	TR_OK = 0,
	TR_NOT_FOUND = 1,  /* no enrolled application of that applicant */
	TR_PENDING = 2,    /* the child already has a pending request */
	TR_NO_DDO = 3,     /* no DDO chosen */
	TR_BAD_DDO = 4,    /* a DDO not of the district, inactive, repeated, or the current one */
	TR_FAILED = -1,
};
/* The citizen applicant_id asks to move the child of their enrolled
 * application app_id to one of ddo[0..2] (0 = none): the request row,
 * history rows on both applications, the audit row and any offer due
 * (offer_fill), in one transaction. Returns an enum tr_result; on TR_OK
 * *id and number are the request's. */
int tr_request(struct actor who, long long applicant_id, long long app_id, const long long ddo[3], long long *id,
	       char number[32]);
/* Inside dec_accept's transaction, for the application being enrolled:
 * when it is a transfer request whose old enrollment is current, ends
 * that enrollment as described above (actor, sig: the acceptance's).
 * Returns 1 done, 0 not a transfer (or nothing to end), -1 error. */
int tr_complete(struct arena *a, long long app_id, long long actor, long long sig, long long now);
/* The enrollments of a DDO that ended by transfer since its last
 * published record (the cabinet's reminder), for a staff member of it;
 * -1 on error. */
long long tr_freed_since(long long account_id, long long ddo_id);

/* One enrolled child of a parent, with its pending request, if any. */
struct tr_enrolled {
	long long app_id, enr_id, ddo_id, request_id;
	int group_year, district;
	char number[32], language[4], child[400], ddo_ru[304], ddo_kk[304];
	char request_number[32], request_status[20];
};
/* The applicant's enrolled applications (at most max). Count or -1. */
int tr_enrolled_of(long long applicant_id, struct tr_enrolled *out, int max);

/* ---- exchange ---- */
enum tr_ex_result {
	TR_EX_OK = 0,
	TR_EX_NOT_FOUND = 1,  /* not one's own (application or exchange), or not in that state */
	TR_EX_NUMBER = 2,     /* no enrolled application of that number */
	TR_EX_MISMATCH = 3,   /* another group year or language */
	TR_EX_SAME_DDO = 4,   /* both children in the same DDO */
	TR_EX_BUSY = 5,       /* one of them is in a live exchange already */
	TR_EX_STATE = 6,      /* an enrollment moved or ended meanwhile */
	TR_EX_SIGNATURE = 7,  /* the signature was refused (msg_key says why) */
	TR_EX_TEXT = 8,       /* what was signed is not the decision's text */
	TR_EX_FAILED = -1,
};
extern const char *const tr_ex_result_names[TR_EX_TEXT + 2];
/* Parent A proposes to swap the child of their enrolled application
 * app_id with the child of the enrolled application numbered number; the
 * other parent gets an SMS. *id the new exchange. */
int tr_ex_propose(struct actor who, long long applicant_id, long long app_id, const char *number, long long *id);
/* Parent B agrees to a proposal made to them ('proposed' -> 'agreed'; both
 * DDOs' staff and parent A hear by SMS), or either parent cancels a live
 * exchange not yet done. */
int tr_ex_agree(struct actor who, long long applicant_id, long long ex_id);
int tr_ex_cancel(struct actor who, long long applicant_id, long long ex_id);

/* An exchange as a parent or a DDO sees it. side: 'a' or 'b' of the
 * viewer (the DDO's or the parent's), 0 none. */
struct tr_ex_row {
	long long id, app_a, app_b, ddo_a, ddo_b, proposed_at;
	int group_year, decided, mine_a, mine_b, my_side_decided;
	char status[12], language[4];
	char number_a[32], number_b[32];
	char child_out[400], child_in[400];          /* the viewer's DDO: who leaves, who comes */
	char child_a[400], child_b[400];
	char other_ru[304], other_kk[304];           /* the other DDO (for a DDO's view) */
	char ddo_a_ru[304], ddo_a_kk[304], ddo_b_ru[304], ddo_b_kk[304], bin_a[13], bin_b[13];
	long long a_sig, b_sig;
};
/* The live ('agreed') exchanges of a DDO, for a staff member of it. */
int tr_ex_of_ddo(long long account_id, long long ddo_id, struct tr_ex_row *out, int max);
/* The exchanges of a parent's applications (either side), newest first. */
int tr_ex_of_parent(long long applicant_id, struct tr_ex_row *out, int max);
/* One exchange for a staff member of ddo_id, which must be one of its two
 * DDOs (mine_a / mine_b say which). 1, 0 not found, -1. */
int tr_ex_staff(long long account_id, long long ex_id, long long ddo_id, struct tr_ex_row *out);
/* The text the staff member of ddo_id signs to accept or refuse (in a). */
const char *tr_ex_text(struct arena *a, const char *lang, const struct tr_ex_row *x, long long ddo_id, int accept);
/* The signed decision of a DDO (the staff member who, for ddo_id): p is
 * the screen's proof (esig_verify over a challenge of action
 * "exchange_accept" / "exchange_refuse" and the exchange). Accepting
 * records the DDO's signature and, when the other DDO has accepted,
 * moves both enrollments; refusing ends the exchange. One transaction.
 * Returns an enum tr_ex_result; *msg_key the message of a refused
 * signature. */
int tr_ex_decide(struct arena *a, struct actor who, const char *lang, long long ex_id, long long ddo_id, int accept,
		 const struct sign_proof *p, const char **msg_key);

#endif
