/* transfer_order.c — see transfer_order.h. */
#include "domain/transfer_order.h"

#include "base/conf.h"
#include "base/db.h"
#include "base/util.h"

int tr_rank(void)
{
	long long r = conf_int("Queue.TransferRank", 2);
	return r >= 0 && r <= 3 ? (int)r : 2;
}

int tr_takes_turn(int base, int rank)
{
	return base >= TR_NO_CATEGORY || base >= rank;
}

int tr_next_candidate(int district, int group_year, const char *language, long long place_id, long long *id,
		      char number[32], char phone[20])
{
	sqlite3_stmt *st = db_query("SELECT a.id, a.number, a.phone FROM application a INDEXED BY application_transfer_queue "
				    "WHERE a.status = 'queued' AND a.transfer_of IS NOT NULL AND a.district_id = ? "
				    "  AND a.group_year = ? AND a.language = ? "
				    "  AND (SELECT ddo_id FROM free_place WHERE id = ?) IN (a.ddo1, a.ddo2, a.ddo3) "
				    "  AND NOT EXISTS (SELECT 1 FROM offer o WHERE o.application_id = a.id "
				    "    AND (o.status = 'open' OR o.place_id = ?)) "
				    "  AND NOT EXISTS (SELECT 1 FROM voucher v WHERE v.application_id = a.id "
				    "    AND v.status IN ('issued','confirmed')) "
				    "ORDER BY a.queued_at, a.id LIMIT 1",
				    "iitII", district, group_year, language, place_id, place_id);
	if (!st)
		return -1;
	int found = db_row(st);
	if (found) {
		*id = sqlite3_column_int64(st, 0);
		u_copy(number, 32, db_col(st, 1));
		u_copy(phone, 20, db_col(st, 2));
	}
	int failed = !found && sqlite3_reset(st) != SQLITE_OK;
	db_done(st);
	return found ? 1 : failed ? -1 : 0;
}
