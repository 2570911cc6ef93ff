/* audit.c — see audit.h. */
#include "domain/audit.h"

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "base/db.h"
#include "base/log.h"
#include "base/util.h"

static void row_hash(const unsigned char prev[32], long long at, long long actor, const char *role,
		     const char *ip, const char *action, const char *otype, long long oid,
		     const char *outcome, const char *details, unsigned char out[32])
{
	struct buf b;
	buf_init(&b);
	buf_add(&b, prev, 32);
	buf_printf(&b, "%lld\x1f%lld\x1f%s\x1f%s\x1f%s\x1f%s\x1f%lld\x1f%s\x1f%s", at, actor, role, ip,
		   action, otype, oid, outcome, details);
	u_sha256(b.s, b.len, out);
	buf_free(&b);
}

int audit_log(long long actor_id, const char *role, const char *ip, const char *action,
	      const char *otype, long long oid, const char *outcome, const char *details)
{
	int own = !db_in_tx();
	if (own && db_begin() < 0)
		return -1;
	unsigned char prev[32] = {0}, h[32];
	sqlite3_stmt *st = db_query("SELECT hash FROM audit ORDER BY id DESC LIMIT 1", NULL);
	if (db_row(st) && sqlite3_column_bytes(st, 0) == 32)
		memcpy(prev, sqlite3_column_blob(st, 0), 32);
	db_done(st);
	char *d = strdup(details ? details : "");
	if (!d)
		goto fail;
	u_mask_iins_in(d);
	long long at = u_now();
	ip = ip ? ip : "";
	otype = otype ? otype : "";
	outcome = outcome ? outcome : "ok";
	row_hash(prev, at, actor_id, role, ip, action, otype, oid, outcome, d, h);
	int rc = db_exec("INSERT INTO audit(at, actor_id, actor_role, ip, action, object_type, object_id, "
			 "outcome, details, prev_hash, hash) VALUES (?, NULLIF(?, 0), ?, ?, ?, ?, NULLIF(?, 0), ?, ?, ?, ?)",
			 "IIttttIttbb", at, actor_id, role, ip, action, otype, oid, outcome, d, prev, 32, h, 32);
	free(d);
	if (rc != SQLITE_DONE)
		goto fail;
	if (own && db_commit() < 0)
		goto fail;
	return 0;
fail:
	if (own)
		db_rollback();
	log_err("audit write failed for %s", action);
	return -1;
}

int audit_act(struct actor a, const char *action, const char *otype, long long oid, const char *outcome,
	      const char *details)
{
	return audit_log(a.id, a.role, a.ip, action, otype, oid, outcome, details);
}

long long audit_verify(void)
{
	unsigned char prev[32] = {0}, h[32];
	sqlite3_stmt *st = db_query(
		"SELECT id, at, coalesce(actor_id, 0), actor_role, ip, action, object_type, coalesce(object_id, 0), "
		"outcome, details, prev_hash, hash FROM audit ORDER BY id", NULL);
	if (!st)
		return -1;
	long long bad = 0;
	while (db_row(st)) {
		long long id = sqlite3_column_int64(st, 0);
		if (sqlite3_column_bytes(st, 10) != 32 || memcmp(sqlite3_column_blob(st, 10), prev, 32) != 0) {
			bad = id;
			break;
		}
		row_hash(prev, sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2), db_col(st, 3),
			 db_col(st, 4), db_col(st, 5), db_col(st, 6), sqlite3_column_int64(st, 7), db_col(st, 8),
			 db_col(st, 9), h);
		if (sqlite3_column_bytes(st, 11) != 32 || memcmp(sqlite3_column_blob(st, 11), h, 32) != 0) {
			bad = id;
			break;
		}
		memcpy(prev, h, 32);
	}
	db_done(st);
	return bad;
}
