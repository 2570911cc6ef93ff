/* journal.c — see journal.h. */
#include "domain/journal.h"

#include <stdio.h>
#include <string.h>

#include "base/db.h"
#include "base/util.h"
#include "domain/account.h"
#include "domain/referral.h"

const char *const jrn_sort_names[JRN_SORT__MAX + 1] = {"number", "date", "child", "year", "status", NULL};

/* The reader's role flags, for the bindings below. */
struct who {
	long long id;
	int citizen, staff, reviewer, support;
};

static struct who who_of(const struct jrn_reader *r)
{
	struct who w = {0, 0, 0, 0, 0};
	if (!r || !r->account_id)
		return w;
	w.id = r->account_id;
	w.citizen = (r->roles & ACCT_BIT(ACCT_CITIZEN)) != 0;
	w.staff = (r->roles & ACCT_BIT(ACCT_STAFF)) != 0;
	w.reviewer = (r->roles & ACCT_BIT(ACCT_REVIEWER)) != 0;
	w.support = (r->roles & ACCT_BIT(ACCT_SUPPORT)) != 0;
	return w;
}

/* The list (count and page share the same conditions): for support every
 * application; for the others the visible set as a union of small indexed
 * lookups (a branch whose role flag is 0 is skipped before it reads a row:
 * SQLite tests constant terms once), then the filters. Support looking
 * for a number or an IIN takes the second way too, with its own branch of
 * the union: the lookups by application number, referral number and child
 * IIN use their unique indexes, where the filters written as
 * "? = '' OR ..." would read all the applications (0.3 s at a million).
 * Support's list without them, by date (the default) or by number, reads
 * in the order of that column's index and counts through the smallest
 * index; by child, year or status it still sorts every application (the
 * order chosen per request, ORDER BY CASE, which no index serves: about
 * 0.5 s a page at a million applications). */
long long jrn_count(const struct jrn_reader *r, const struct jrn_filter *f)
{
	struct who w = who_of(r);
	if (!w.id)
		return 0;
	const char *iin = (w.staff || w.reviewer || w.support) ? f->child_iin : "";
	if (w.support && !*f->number && !*iin && !*f->status && !f->group_year)
		return db_int("SELECT count(*) FROM application", 0, NULL);   /* the smallest index, no row read */
	if (w.support && !*f->number && !*iin) /* everything: no visible set to build (50,000 ids cost 50 ms) */
		return db_int("SELECT count(*) FROM application a WHERE 1 "
			      "AND (? = '' OR a.status = ?) AND (? = 0 OR a.group_year = ?) "
			      "AND (? = '' OR a.number = ? OR a.id IN (SELECT f.application_id FROM referral f WHERE f.number = ?)) "
			      "AND (? = '' OR a.child_id IN (SELECT k.id FROM child k WHERE k.iin = ?)) ",
			      0, "ttiittttt", f->status, f->status, f->group_year, f->group_year, f->number, f->number,
			      f->number, iin, iin);
	return db_int("SELECT count(*) FROM application a WHERE "
		"a.id IN (SELECT v.id FROM application v WHERE ? AND v.applicant_id = ? "
		"UNION ALL SELECT rv.application_id FROM ddo_staff sv JOIN referral rv ON rv.ddo_id = sv.ddo_id "
		"  WHERE ? AND sv.account_id = ? "
		"UNION ALL SELECT av.id FROM reviewer_district dv JOIN application av ON av.district_id = dv.district_id "
		"  WHERE ? AND dv.account_id = ? "
		"UNION ALL SELECT sn.id FROM application sn WHERE ? AND sn.number = ? "
		"UNION ALL SELECT sr.application_id FROM referral sr WHERE ? AND sr.number = ? "
		"UNION ALL SELECT sa.id FROM child sk JOIN application sa ON sa.child_id = sk.id WHERE ? AND sk.iin = ?) "
		"AND (? = '' OR a.status = ?) AND (? = 0 OR a.group_year = ?) "
		"AND (? = '' OR a.number = ? OR a.id IN (SELECT f.application_id FROM referral f WHERE f.number = ?)) "
		"AND (? = '' OR a.child_id IN (SELECT k.id FROM child k WHERE k.iin = ?)) ",
		      0, "iIiIiIitititttiittttt",
		      w.citizen, w.id, w.staff, w.id, w.reviewer, w.id, w.support, f->number, w.support, f->number,
		      w.support, iin, f->status, f->status, f->group_year, f->group_year,
		      f->number, f->number, f->number, iin, iin);
}

int jrn_page(const struct jrn_reader *r, const struct jrn_filter *f, const struct jrn_order *l, long long *ids, int max)
{
	struct who w = who_of(r);
	if (!w.id)
		return 0;
	const char *iin = (w.staff || w.reviewer || w.support) ? f->child_iin : "";
	int limit = l->limit < max ? l->limit : max;
	/* Support's list in the order of an index (by date, the default, or by
	 * number): read in that index's order, 20 rows, however many there are. */
	int by_index = w.support && !*f->number && !*iin && (l->sort == JRN_SORT_DATE || l->sort == JRN_SORT_NUMBER);
	sqlite3_stmt *st;
	if (by_index && l->sort == JRN_SORT_DATE && l->desc)
		st = db_query("SELECT a.id FROM application a WHERE (? = '' OR a.status = ?) AND (? = 0 OR a.group_year = ?) "
			      "ORDER BY a.created_at DESC, a.id DESC LIMIT ? OFFSET ?",
			      "ttiiiI", f->status, f->status, f->group_year, f->group_year, limit, l->offset);
	else if (by_index && l->sort == JRN_SORT_DATE)
		st = db_query("SELECT a.id FROM application a WHERE (? = '' OR a.status = ?) AND (? = 0 OR a.group_year = ?) "
			      "ORDER BY a.created_at ASC, a.id DESC LIMIT ? OFFSET ?",
			      "ttiiiI", f->status, f->status, f->group_year, f->group_year, limit, l->offset);
	else if (by_index && l->desc)
		st = db_query("SELECT a.id FROM application a WHERE (? = '' OR a.status = ?) AND (? = 0 OR a.group_year = ?) "
			      "ORDER BY a.number DESC, a.id DESC LIMIT ? OFFSET ?",
			      "ttiiiI", f->status, f->status, f->group_year, f->group_year, limit, l->offset);
	else if (by_index)
		st = db_query("SELECT a.id FROM application a WHERE (? = '' OR a.status = ?) AND (? = 0 OR a.group_year = ?) "
			      "ORDER BY a.number ASC, a.id DESC LIMIT ? OFFSET ?",
			      "ttiiiI", f->status, f->status, f->group_year, f->group_year, limit, l->offset);
	else
		st = w.support && !*f->number && !*iin
		? db_query("SELECT a.id FROM application a JOIN child c ON c.id = a.child_id WHERE 1 "
			   "AND (? = '' OR a.status = ?) AND (? = 0 OR a.group_year = ?) "
			   "AND (? = '' OR a.number = ? OR a.id IN (SELECT f.application_id FROM referral f WHERE f.number = ?)) "
			   "AND (? = '' OR a.child_id IN (SELECT k.id FROM child k WHERE k.iin = ?)) "
			   "ORDER BY CASE WHEN ? THEN NULL ELSE (CASE ? WHEN 0 THEN a.number WHEN 1 THEN a.created_at "
			   "  WHEN 2 THEN c.surname || ' ' || c.name || ' ' || c.patronymic WHEN 3 THEN a.group_year "
			   "  ELSE a.status END) END ASC, "
			   "CASE WHEN ? THEN (CASE ? WHEN 0 THEN a.number WHEN 1 THEN a.created_at "
			   "  WHEN 2 THEN c.surname || ' ' || c.name || ' ' || c.patronymic WHEN 3 THEN a.group_year "
			   "  ELSE a.status END) ELSE NULL END DESC, a.id DESC LIMIT ? OFFSET ?",
			   "ttiitttttiiiiiI", f->status, f->status, f->group_year, f->group_year, f->number, f->number,
			   f->number, iin, iin, l->desc, l->sort, l->desc, l->sort, limit, l->offset)
		: db_query(
		"SELECT a.id FROM application a JOIN child c ON c.id = a.child_id WHERE "
		"a.id IN (SELECT v.id FROM application v WHERE ? AND v.applicant_id = ? "
		"UNION ALL SELECT rv.application_id FROM ddo_staff sv JOIN referral rv ON rv.ddo_id = sv.ddo_id "
		"  WHERE ? AND sv.account_id = ? "
		"UNION ALL SELECT av.id FROM reviewer_district dv JOIN application av ON av.district_id = dv.district_id "
		"  WHERE ? AND dv.account_id = ? "
		"UNION ALL SELECT sn.id FROM application sn WHERE ? AND sn.number = ? "
		"UNION ALL SELECT sr.application_id FROM referral sr WHERE ? AND sr.number = ? "
		"UNION ALL SELECT sa.id FROM child sk JOIN application sa ON sa.child_id = sk.id WHERE ? AND sk.iin = ?) "
		"AND (? = '' OR a.status = ?) AND (? = 0 OR a.group_year = ?) "
		"AND (? = '' OR a.number = ? OR a.id IN (SELECT f.application_id FROM referral f WHERE f.number = ?)) "
		"AND (? = '' OR a.child_id IN (SELECT k.id FROM child k WHERE k.iin = ?)) "
		"ORDER BY CASE WHEN ? THEN NULL ELSE (CASE ? WHEN 0 THEN a.number WHEN 1 THEN a.created_at "
		"  WHEN 2 THEN c.surname || ' ' || c.name || ' ' || c.patronymic WHEN 3 THEN a.group_year "
		"  ELSE a.status END) END ASC, "
		"CASE WHEN ? THEN (CASE ? WHEN 0 THEN a.number WHEN 1 THEN a.created_at "
		"  WHEN 2 THEN c.surname || ' ' || c.name || ' ' || c.patronymic WHEN 3 THEN a.group_year "
		"  ELSE a.status END) ELSE NULL END DESC, a.id DESC LIMIT ? OFFSET ?",
		"iIiIiIitititttiitttttiiiiiI", w.citizen, w.id, w.staff, w.id, w.reviewer, w.id, w.support, f->number,
		w.support, f->number, w.support, iin,
		f->status, f->status, f->group_year, f->group_year, f->number, f->number, f->number, iin, iin,
		l->desc, l->sort, l->desc, l->sort, limit, l->offset);
	int n = 0;
	while (n < max && db_row(st))
		ids[n++] = sqlite3_column_int64(st, 0);
	db_done(st);
	return n;
}

/* One application: visible when one of the role branches holds. */
int jrn_app(const struct jrn_reader *r, const char *lang, long long id, struct jrn_app *o)
{
	struct who w = who_of(r);
	memset(o, 0, sizeof *o);
	if (!w.id)
		return -1;
	int kk = lang && strcmp(lang, "kk") == 0;
	sqlite3_stmt *st = db_query(
		"SELECT a.id, a.number, a.status, a.language, a.benefit, a.benefit_ground, "
		"  coalesce(a.archive_reason, ''), a.group_year, a.district_id, a.phone, a.email, a.created_at, "
		"  a.queued_at, a.updated_at, c.iin, c.surname, c.name, c.patronymic, c.birth_date, c.sex, "
		"  p.id, p.iin, p.surname, p.name, p.patronymic, "
		"  coalesce((SELECT CASE WHEN ? THEN d.name_kk ELSE d.name_ru END FROM ddo d WHERE d.id = a.ddo1), ''), "
		"  coalesce((SELECT CASE WHEN ? THEN d.name_kk ELSE d.name_ru END FROM ddo d WHERE d.id = a.ddo2), ''), "
		"  coalesce((SELECT CASE WHEN ? THEN d.name_kk ELSE d.name_ru END FROM ddo d WHERE d.id = a.ddo3), '') "
		"FROM application a JOIN child c ON c.id = a.child_id JOIN account p ON p.id = a.applicant_id "
		"WHERE a.id = ? AND ((? AND a.applicant_id = ?) "
		"  OR (? AND EXISTS (SELECT 1 FROM referral rv JOIN ddo_staff sv ON sv.ddo_id = rv.ddo_id "
		"                    WHERE rv.application_id = a.id AND sv.account_id = ?)) "
		"  OR (? AND EXISTS (SELECT 1 FROM reviewer_district dv WHERE dv.district_id = a.district_id "
		"                    AND dv.account_id = ?)) "
		"  OR ?)",
		"iiiIiIiIiIi", kk, kk, kk, id, w.citizen, w.id, w.staff, w.id, w.reviewer, w.id, w.support);
	if (!db_row(st)) {
		db_done(st);
		return -1;
	}
	o->id = sqlite3_column_int64(st, 0);
	u_copy(o->number, sizeof o->number, db_col(st, 1));
	u_copy(o->status, sizeof o->status, db_col(st, 2));
	u_copy(o->language, sizeof o->language, db_col(st, 3));
	u_copy(o->benefit, sizeof o->benefit, db_col(st, 4));
	u_copy(o->benefit_ground, sizeof o->benefit_ground, db_col(st, 5));
	u_copy(o->archive_reason, sizeof o->archive_reason, db_col(st, 6));
	o->group_year = sqlite3_column_int(st, 7);
	o->district_id = sqlite3_column_int(st, 8);
	u_copy(o->phone, sizeof o->phone, db_col(st, 9));
	u_copy(o->email, sizeof o->email, db_col(st, 10));
	o->created_at = sqlite3_column_int64(st, 11);
	o->queued_at = sqlite3_column_int64(st, 12);
	o->updated_at = sqlite3_column_int64(st, 13);
	u_copy(o->child_iin, sizeof o->child_iin, db_col(st, 14));
	u_copy(o->child_surname, sizeof o->child_surname, db_col(st, 15));
	u_copy(o->child_name, sizeof o->child_name, db_col(st, 16));
	u_copy(o->child_patronymic, sizeof o->child_patronymic, db_col(st, 17));
	u_copy(o->child_birth, sizeof o->child_birth, db_col(st, 18));
	u_copy(o->child_sex, sizeof o->child_sex, db_col(st, 19));
	o->applicant_id = sqlite3_column_int64(st, 20);
	u_copy(o->parent_iin, sizeof o->parent_iin, db_col(st, 21));
	u_copy(o->parent_surname, sizeof o->parent_surname, db_col(st, 22));
	u_copy(o->parent_name, sizeof o->parent_name, db_col(st, 23));
	u_copy(o->parent_patronymic, sizeof o->parent_patronymic, db_col(st, 24));
	for (int i = 0; i < 3; i++)
		u_copy(o->ddo_pref[i], sizeof o->ddo_pref[i], db_col(st, 25 + i));
	o->mine = o->applicant_id == w.id;
	db_done(st);

	/* The latest referral and the application's status as they read now
	 * (referral.h: an overdue referral reads annulled, its application
	 * archived). */
	long long now = u_now();
	struct ref_info ref;
	int found = ref_latest(o->id, now, &ref);
	if (found < 0)
		return -1;
	const char *reason = o->archive_reason;
	const char *status = ref_app_status(o->id, o->status, now, &reason);
	if (!status)
		return -1;
	if (status != o->status) {
		u_copy(o->archive_reason, sizeof o->archive_reason, reason);
		u_copy(o->status, sizeof o->status, status);
	}
	if (!found)
		return 0;
	o->ref_id = ref.id;
	u_copy(o->ref_number, sizeof o->ref_number, ref.number);
	u_copy(o->ref_status, sizeof o->ref_status, ref.status == REF_ST__MAX ? "" : ref_status_names[ref.status]);
	if (ref.status == REF_ST_ISSUED && ref.benefit_pending)   /* deadline_at: the confirmation's (benefit.h) */
		u_copy(o->ref_status, sizeof o->ref_status, "benefit_pending");
	o->ref_issued_at = ref.issued_at;
	o->ref_deadline_at = ref.deadline_at;
	st = db_query("SELECT coalesce(r.docs_submitted_at, 0), CASE WHEN ? THEN d.name_kk ELSE d.name_ru END, "
		      "  d.address, d.phone "
		      "FROM referral r JOIN ddo d ON d.id = r.ddo_id WHERE r.id = ?",
		      "iI", kk, ref.id);
	if (db_row(st)) {
		o->ref_submitted_at = sqlite3_column_int64(st, 0);
		u_copy(o->ref_ddo, sizeof o->ref_ddo, db_col(st, 1));
		u_copy(o->ref_ddo_address, sizeof o->ref_ddo_address, db_col(st, 2));
		u_copy(o->ref_ddo_phone, sizeof o->ref_ddo_phone, db_col(st, 3));
	}
	db_done(st);
	return 0;
}

int jrn_doc(const struct jrn_reader *r, long long id, struct jrn_doc *o)
{
	struct who w = who_of(r);
	memset(o, 0, sizeof *o);
	if (!w.id)
		return -1;
	sqlite3_stmt *st = db_query(
		"SELECT d.id, d.application_id, d.kind, d.origin, d.sha256, d.mime, d.filename, coalesce(d.number, '') "
		"FROM document d JOIN application a ON a.id = d.application_id "
		"WHERE d.id = ? AND ((? AND a.applicant_id = ?) "
		"  OR (? AND EXISTS (SELECT 1 FROM referral rv JOIN ddo_staff sv ON sv.ddo_id = rv.ddo_id "
		"                    WHERE rv.application_id = a.id AND sv.account_id = ?)) "
		"  OR (? AND EXISTS (SELECT 1 FROM reviewer_district dv WHERE dv.district_id = a.district_id "
		"                    AND dv.account_id = ?)) "
		"  OR ?)",
		"IiIiIiIi", id, w.citizen, w.id, w.staff, w.id, w.reviewer, w.id, w.support);
	if (!db_row(st)) {
		db_done(st);
		return -1;
	}
	o->id = sqlite3_column_int64(st, 0);
	o->application_id = sqlite3_column_int64(st, 1);
	u_copy(o->kind, sizeof o->kind, db_col(st, 2));
	u_copy(o->origin, sizeof o->origin, db_col(st, 3));
	u_copy(o->sha, sizeof o->sha, db_col(st, 4));
	u_copy(o->mime, sizeof o->mime, db_col(st, 5));
	u_copy(o->filename, sizeof o->filename, db_col(st, 6));
	u_copy(o->number, sizeof o->number, db_col(st, 7));
	db_done(st);
	return 0;
}
