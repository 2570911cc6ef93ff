/* place.c — see place.h. */
#include "domain/place.h"

#include <stdio.h>
#include <string.h>

#include "domain/audit.h"
#include "base/cal.h"
#include "base/conf.h"
#include "base/db.h"
#include "base/log.h"
#include "domain/referral.h"
#include "base/util.h"
#include "base/workday.h"

const char *const place_status_names[PLACE_STATUS__MAX] = {"waiting", "free_choice", "exhausted"};
const char *const place_langs[PLACE_LANG__MAX + 1] = {"kk", "ru", "en", NULL};
const char *const place_kinds[PLACE_KIND__MAX + 1] = {"state", "private_subsidised", "mini_centre", NULL};

enum place_status place_status_at(long long now, long long window_until, int free)
{
	if (free <= 0)
		return PLACE_EXHAUSTED;
	return now <= window_until ? PLACE_WAITING : PLACE_FREE_CHOICE;
}

static int streq(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

enum place_elig place_eligible(const struct place_app *a, const struct place_rec *p, long long now)
{
	if (!streq(a->status, "queued"))
		return PLACE_APP_NOT_QUEUED;
	if (a->district != p->district || a->group_year != p->group_year || !streq(a->language, p->language))
		return PLACE_MISMATCH;
	if (p->free <= 0)
		return PLACE_NO_FREE;
	if (now <= p->window_until && (!a->benefit || streq(a->benefit, "none")))
		return PLACE_WINDOW;
	return PLACE_OK;
}

void place_year_range(long long now, int *min, int *max)
{
	int y, m, d;
	cal_ymd_from_days(cal_day_from_unix(now), &y, &m, &d);
	long long age = conf_int("Queue.MaxAgeYears", 7);
	if (age < 0 || age > 20)
		age = 7;
	*max = y;
	*min = y - (int)age;
}

int place_add(struct req *r, long long ddo_id, int group_year, const char *language, int total,
	      const char *form_token, long long *id)
{
	*id = 0;
	long long now = u_now();
	long long days = conf_int("Places.PriorityWindowDays", 3);
	long long window_until = days > 0 ? wd_end_after(now, (int)days) : now - 1;
	if (window_until < 0 && days > 0) {
		log_err("place_add: the working-day calendar cannot be read");
		return -1;
	}
	long long account = req_account(r);
	if (db_begin() < 0)
		return -1;
	/* A confirmation already saved: say so, save nothing. */
	long long dup = db_int("SELECT id FROM free_place WHERE form_token = ?", 0, "t", form_token);
	if (dup) {
		db_rollback();
		*id = dup;
		return PLACE_ADD_DUPLICATE;
	}
	/* The membership is part of the INSERT: no row for someone else's DDO. */
	int rc = db_exec("INSERT INTO free_place(ddo_id, district_id, group_year, language, total, free, created_by, "
			 "created_at, window_until, status, form_token) "
			 "SELECT d.id, d.district_id, ?, ?, ?, ?, s.account_id, ?, ?, "
			 "  CASE WHEN ? <= ? THEN 'waiting' ELSE 'free_choice' END, ? "
			 "FROM ddo d JOIN ddo_staff s ON s.ddo_id = d.id AND s.account_id = ? "
			 "WHERE d.id = ? AND d.active = 1",
			 "itiiIIIItII", group_year, language, total, total, now, window_until, now, window_until,
			 form_token, account, ddo_id);
	if (rc != SQLITE_DONE)
		goto fail;
	if (db_changes() != 1) {
		db_rollback();
		audit_req(r, ROLE_STAFF, "place_add", "ddo", ddo_id, "not_member", "");
		return PLACE_ADD_NOT_MEMBER;
	}
	*id = db_last_id();
	char details[160];
	snprintf(details, sizeof details, "ddo=%lld year=%d language=%s total=%d", ddo_id, group_year, language, total);
	if (audit_req(r, ROLE_STAFF, "place_add", "free_place", *id, "ok", details) < 0)
		goto fail;
	if (db_commit() < 0)
		goto fail;
	return 0;
fail:
	db_rollback();
	*id = 0;
	log_err("place_add failed: %s", db_errmsg());
	return -1;
}

int place_fix_status(long long place_id, long long now)
{
	int rc = db_exec("UPDATE free_place SET status = CASE WHEN free = 0 THEN 'exhausted' "
			 "  WHEN ? <= window_until THEN 'waiting' ELSE 'free_choice' END "
			 "WHERE id = ? AND status <> CASE WHEN free = 0 THEN 'exhausted' "
			 "  WHEN ? <= window_until THEN 'waiting' ELSE 'free_choice' END",
			 "III", now, place_id, now);
	return rc == SQLITE_DONE ? 0 : -1;
}

int place_refresh_status(long long now)
{
	/* Look first (indexed, no write lock), write only when something is due. */
	long long due = db_int("SELECT count(*) FROM (SELECT 1 FROM free_place WHERE status = 'waiting' AND window_until < ? "
			       "UNION ALL SELECT 1 FROM free_place WHERE status = 'exhausted' AND free > 0 LIMIT 1)",
			       -1, "I", now);
	if (due <= 0)
		return due < 0 ? -1 : 0;
	if (db_begin() < 0)
		return -1;
	int n = 0;
	if (db_exec("UPDATE free_place SET status = CASE WHEN free = 0 THEN 'exhausted' ELSE 'free_choice' END "
		    "WHERE status = 'waiting' AND window_until < ?", "I", now) != SQLITE_DONE)
		goto fail;
	n += db_changes();
	if (db_exec("UPDATE free_place SET status = CASE WHEN ? <= window_until THEN 'waiting' ELSE 'free_choice' END "
		    "WHERE status = 'exhausted' AND free > 0", "I", now) != SQLITE_DONE)
		goto fail;
	n += db_changes();
	if (db_commit() < 0)
		goto fail;
	return n;
fail:
	db_rollback();
	log_err("place_refresh_status failed: %s", db_errmsg());
	return -1;
}

int place_refresh(long long now)
{
	int a = place_refresh_status(now);
	int b = ref_annul_due(now);
	if (a < 0 || b < 0)
		return -1;
	return a + b;
}

long long place_departed_since(long long ddo_id)
{
	return db_int("SELECT count(*) FROM enrollment WHERE ddo_id = ? AND departed_on IS NOT NULL "
		      "AND departed_at > coalesce((SELECT max(created_at) FROM free_place WHERE ddo_id = ?), -1)",
		      -1, "II", ddo_id, ddo_id);
}
