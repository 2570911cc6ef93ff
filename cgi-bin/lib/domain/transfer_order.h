/*
 * transfer_order.h — where transfer requests stand among the offers of a
 * record (transfer.h tells the model; offer.c calls these). Kept apart
 * from transfer.h so that the offers, which transfer requests go through,
 * and the transfers, which make offers, do not include each other.
 * Prefix tr_.
 */
#ifndef KG_TRANSFER_ORDER_H
#define KG_TRANSFER_ORDER_H

/* offer.category of an offer to a transfer request. */
#define TR_CATEGORY "transfer"
/* The categories as offer.h numbers them (enum offer_cat: 0 out of turn,
 * 1 first priority, 2 none); 3 (OFFER_CAT__MAX) when none is available. */
enum { TR_NO_CATEGORY = 3 };

/* Queue.TransferRank, kept within 0..3 (2 otherwise): how many benefit
 * categories are offered before transfers (transfer.h, "WHO IS OFFERED"). */
int tr_rank(void);
/* Does a transfer request take the next offer of a record, when base is
 * the category offer_next_category gives (TR_NO_CATEGORY: none
 * available) and rank is tr_rank()? A transfer takes every turn the
 * interleave would give to a category of rank >= TransferRank, and any
 * turn when nobody else is available. (pure) */
int tr_takes_turn(int base, int rank);
/* The next transfer request for a record: queued, of the key, asking for
 * the record's DDO, holding no open offer and no live voucher, never
 * offered this record; in queue order (queue time, id). 1 found (id,
 * number, phone filled), 0 none, -1 on a database error. */
int tr_next_candidate(int district, int group_year, const char *language, long long place_id, long long *id,
		      char number[32], char phone[20]);

#endif
