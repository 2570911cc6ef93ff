/* refusal.c — see refusal.h. */
#include "domain/refusal.h"

#include <stdio.h>
#include <string.h>

#include "base/db.h"
#include "base/lang.h"

const char *const rfs_reason_names[RFS__MAX + 1] = {
	[RFS_INCOMPLETE_DOCUMENTS] = "incomplete_documents",
	[RFS_EXPIRED_DOCUMENTS] = "expired_documents",
	[RFS_UNVACCINATED_SHARE] = "unvaccinated_share",
	[RFS_OTHER] = "other",
	[RFS__MAX] = NULL,
};

enum rfs_reason rfs_reason_of(const char *name)
{
	for (int i = 0; name && i < RFS__MAX; i++)
		if (strcmp(name, rfs_reason_names[i]) == 0)
			return (enum rfs_reason)i;
	return RFS__MAX;
}

const char *rfs_reason_label(const char *lang, enum rfs_reason r)
{
	if ((unsigned)r >= RFS__MAX)
		return "";
	char k[64];
	snprintf(k, sizeof k, "RefusalReason.%s", rfs_reason_names[r]);
	return lang_t(lang, k);
}

int rfs_latest(struct arena *a, long long application_id, struct rfs_info *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = db_query(
		"SELECT x.id, x.refused_at, coalesce(x.reviewed_at, 0), x.reason_code, x.reason, x.status, f.number, "
		"d.name_ru, d.name_kk FROM refusal x JOIN referral f ON f.id = x.referral_id JOIN ddo d ON d.id = x.ddo_id "
		"WHERE f.application_id = ? ORDER BY x.refused_at DESC, x.id DESC LIMIT 1",
		"I", application_id);
	if (!st)
		return -1;
	int found = db_row(st);
	if (found) {
		out->id = sqlite3_column_int64(st, 0);
		out->refused_at = sqlite3_column_int64(st, 1);
		out->reviewed_at = sqlite3_column_int64(st, 2);
		out->reason = rfs_reason_of(db_col(st, 3));
		out->text = arena_strdup(a, db_col(st, 4));
		out->status = arena_strdup(a, db_col(st, 5));
		out->referral_number = arena_strdup(a, db_col(st, 6));
		out->ddo_name_ru = arena_strdup(a, db_col(st, 7));
		out->ddo_name_kk = arena_strdup(a, db_col(st, 8));
		if (!out->text || !out->status || !out->referral_number || !out->ddo_name_ru || !out->ddo_name_kk)
			found = -1;
	}
	return db_end(st) < 0 ? -1 : found;
}
