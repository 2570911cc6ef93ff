/* hist.c — see hist.h. */
#include "domain/hist.h"

#include "base/db.h"
#include "base/util.h"

int hist_add(long long app, long long actor, const char *role, const char *event, const char *p1,
	     const char *p2, const char *p3)
{
	int rc = db_exec("INSERT INTO history(application_id, at, actor_id, actor_role, event, p1, p2, p3) "
			 "VALUES (?, ?, NULLIF(?, 0), ?, ?, ?, ?, ?)",
			 "IIIttttt", app, u_now(), actor, role, event, p1, p2, p3);
	return rc == SQLITE_DONE ? 0 : -1;
}
