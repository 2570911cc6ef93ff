/* ddo.c — see ddo.h. */
#include "domain/ddo.h"

#include <stdio.h>
#include <string.h>

#include "base/db.h"
#include "base/log.h"
#include "base/util.h"
#include "domain/audit.h"

const char *const ddo_kind_names[DDO_KIND__MAX + 1] = {"state", "private_subsidised", "mini_centre", NULL};

const char *const ddo_err_names[DDO_ERR__MAX] = {
	[DDO_OK] = "ok",
	[DDO_ERR_DB] = "db",
	[DDO_ERR_NOT_FOUND] = "not_found",
	[DDO_ERR_KIND] = "kind",
};

static const char *str(const char *s) { return s ? s : ""; }

/* ---- changing ---- */

static enum ddo_err rollback(enum ddo_err e)
{
	db_rollback();
	return e;
}

static enum ddo_err save(struct actor by, long long id, const struct ddo_data *d, long long now, long long *out)
{
	if ((unsigned)d->kind >= DDO_KIND__MAX)
		return DDO_ERR_KIND;
	const char *kind = ddo_kind_names[d->kind];
	if (db_begin() < 0)
		return DDO_ERR_DB;
	if (id) {
		int rc = db_exec("UPDATE ddo SET name_kk = ?, name_ru = ?, address = ?, phone = ?, website = ?, kind = ?, "
				 "owner_iin = ?, owner_phone = ?, owner_email = ?, district_id = ?, bin = ?, capacity = ?, "
				 "active = ?, updated_at = ? WHERE id = ?",
				 "tttttttttItIiII", str(d->name_kk), str(d->name_ru), str(d->address), str(d->phone),
				 str(d->website), kind, str(d->owner_iin), str(d->owner_phone), str(d->owner_email),
				 d->district, d->bin, d->capacity, d->active ? 1 : 0, now, id);
		if (rc != SQLITE_DONE)
			return rollback(DDO_ERR_DB);
		if (db_changes() != 1)
			return rollback(DDO_ERR_NOT_FOUND);
	} else {
		if (db_exec("INSERT INTO ddo(name_kk, name_ru, address, phone, website, kind, owner_iin, owner_phone, "
			    "owner_email, district_id, bin, capacity, created_at, updated_at) "
			    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			    "tttttttttItIII", str(d->name_kk), str(d->name_ru), str(d->address), str(d->phone),
			    str(d->website), kind, str(d->owner_iin), str(d->owner_phone), str(d->owner_email),
			    d->district, d->bin, d->capacity, now, now) != SQLITE_DONE)
			return rollback(DDO_ERR_DB);
		id = db_last_id();
	}
	char det[400];
	snprintf(det, sizeof det, "%s; district=%lld; kind=%s%s%s", str(d->name_ru), d->district, kind,
		 d->bin ? "; bin=" : "", d->bin ? d->bin : "");
	if (audit_act(by, out ? "ddo_created" : "ddo_updated", "ddo", id, "ok", det) < 0)
		return rollback(DDO_ERR_DB);
	if (db_commit() < 0)
		return rollback(DDO_ERR_DB);
	if (out)
		*out = id;
	return DDO_OK;
}

enum ddo_err ddo_create(struct actor by, const struct ddo_data *d, long long now, long long *id)
{
	long long got = 0;
	enum ddo_err e = save(by, 0, d, now, &got);
	if (id)
		*id = e == DDO_OK ? got : 0;
	return e;
}

enum ddo_err ddo_update(struct actor by, long long id, const struct ddo_data *d, long long now)
{
	if (id <= 0)
		return DDO_ERR_NOT_FOUND;
	return save(by, id, d, now, NULL);
}

/* ---- reading ---- */

/* Column i of st into a field of struct ddo. */
#define CPY(field, i) copy(out->field, sizeof out->field, db_col(st, i))

static void copy(char *to, size_t n, const char *from)
{
	size_t len = strlen(from);
	if (len >= n)
		len = n - 1;
	memcpy(to, from, len);
	to[len] = 0;
}


int ddo_get(long long id, struct ddo *out)
{
	sqlite3_stmt *st = db_query("SELECT id, name_kk, name_ru, address, phone, website, kind, owner_iin, owner_phone, "
				    "owner_email, district_id, coalesce(bin, ''), capacity, active FROM ddo WHERE id = ?",
				    "I", id);
	if (!st)
		return -1;
	int found = db_row(st);
	if (found) {
		memset(out, 0, sizeof *out);
		out->id = sqlite3_column_int64(st, 0);
		CPY(name_kk, 1);
		CPY(name_ru, 2);
		CPY(address, 3);
		CPY(phone, 4);
		CPY(website, 5);
		CPY(kind, 6);
		CPY(owner_iin, 7);
		CPY(owner_phone, 8);
		CPY(owner_email, 9);
		out->district = sqlite3_column_int64(st, 10);
		CPY(bin, 11);
		out->capacity = sqlite3_column_int64(st, 12);
		out->active = sqlite3_column_int(st, 13);
	}
	int failed = db_end(st);
	return found ? 1 : failed;
}
#undef CPY

static long long one_int(sqlite3_stmt *st)
{
	if (!st)
		return -1;
	long long n = db_row(st) ? sqlite3_column_int64(st, 0) : -1;
	if (db_end(st) < 0)
		n = -1;
	return n;
}

int ddo_exists(long long id)
{
	long long n = one_int(db_query("SELECT count(*) FROM ddo WHERE id = ?", "I", id));
	return n < 0 ? -1 : n > 0;
}

long long ddo_count_active(void) { return one_int(db_query("SELECT count(*) FROM ddo WHERE active = 1", NULL)); }

long long ddo_count(const struct ddo_query *q)
{
	const char *text = str(q->q);
	struct buf like = {0};
	if (db_like(text, &like) < 0) {
		buf_free(&like);
		return -1;
	}
	long long n = one_int(db_query("SELECT count(*) FROM ddo d WHERE (? = 0 OR d.district_id = ?) "
				       "AND (? = '' OR d.name_ru LIKE ? ESCAPE '\\' OR d.name_kk LIKE ? ESCAPE '\\')",
				       "IIttt", q->district, q->district, text, like.s, like.s));
	buf_free(&like);
	return n;
}

int ddo_list(const struct ddo_query *q, enum ddo_sort sort, int desc, int limit, long long offset,
	     void (*fn)(void *arg, const struct ddo_row *row), void *arg)
{
	const char *text = str(q->q);
	struct buf like = {0};
	if (db_like(text, &like) < 0) {
		buf_free(&like);
		return -1;
	}
	int s = (unsigned)sort < DDO_SORT__MAX ? (int)sort : DDO_BY_NAME;
	desc = desc ? 1 : 0;
	sqlite3_stmt *st = db_query(
		"SELECT d.id, d.name_ru, d.name_kk, d.district_id, d.kind, coalesce(d.bin, ''), d.phone, d.active, "
		"(SELECT count(*) FROM ddo_staff s WHERE s.ddo_id = d.id) "
		"FROM ddo d JOIN district x ON x.id = d.district_id "
		"WHERE (? = 0 OR d.district_id = ?) AND (? = '' OR d.name_ru LIKE ? ESCAPE '\\' OR d.name_kk LIKE ? ESCAPE '\\') "
		"ORDER BY CASE WHEN ? = 0 THEN (CASE ? WHEN 0 THEN d.name_ru WHEN 1 THEN x.sort ELSE d.kind END) END ASC, "
		"CASE WHEN ? = 1 THEN (CASE ? WHEN 0 THEN d.name_ru WHEN 1 THEN x.sort ELSE d.kind END) END DESC, "
		"d.name_ru, d.id LIMIT ? OFFSET ?",
		"IItttiiiiiI", q->district, q->district, text, like.s, like.s, desc, s, desc, s, limit, offset);
	buf_free(&like);
	if (!st)
		return -1;
	int n = 0;
	while (db_row(st)) {
		struct ddo_row row = {
			.id = sqlite3_column_int64(st, 0),
			.name_ru = db_col(st, 1),
			.name_kk = db_col(st, 2),
			.district = sqlite3_column_int64(st, 3),
			.kind = db_col(st, 4),
			.bin = db_col(st, 5),
			.phone = db_col(st, 6),
			.active = sqlite3_column_int(st, 7),
			.staff = sqlite3_column_int64(st, 8),
		};
		fn(arg, &row);
		n++;
	}
	return db_end(st) < 0 ? -1 : n;
}

int ddo_each_active(void (*fn)(void *arg, const struct ddo_row *row), void *arg)
{
	sqlite3_stmt *st = db_query("SELECT d.id, d.name_ru, d.name_kk, d.district_id FROM ddo d "
				    "JOIN district x ON x.id = d.district_id WHERE d.active = 1 ORDER BY x.sort, d.name_ru",
				    NULL);
	if (!st)
		return -1;
	int n = 0;
	while (db_row(st)) {
		struct ddo_row row = {
			.id = sqlite3_column_int64(st, 0),
			.name_ru = db_col(st, 1),
			.name_kk = db_col(st, 2),
			.district = sqlite3_column_int64(st, 3),
			.kind = "", .bin = "", .phone = "", .active = 1,
		};
		fn(arg, &row);
		n++;
	}
	return db_end(st) < 0 ? -1 : n;
}
