/* hist.c — see hist.h. */
#include "domain/hist.h"

#include <stdio.h>

#include "base/db.h"
#include "base/sms.h"
#include "base/util.h"

int hist_add(long long app, long long actor, const char *role, const char *event, const char *p1,
	     const char *p2, const char *p3)
{
	int rc = db_exec("INSERT INTO history(application_id, at, actor_id, actor_role, event, p1, p2, p3) "
			 "VALUES (?, ?, NULLIF(?, 0), ?, ?, ?, ?, ?)",
			 "IIIttttt", app, u_now(), actor, role, event, p1, p2, p3);
	return rc == SQLITE_DONE ? 0 : -1;
}

long long hist_notify(long long app, const char *phone, const char *kind, const char *text)
{
	long long id = notify_queue(app, phone, kind, text);
	if (id < 0 || !app)
		return id;
	char ev[48], masked[20];
	snprintf(ev, sizeof ev, "sms_%s", kind);
	u_mask_phone(phone, masked);
	return hist_add(app, 0, "system", ev, masked, NULL, NULL) < 0 ? -1 : id;
}
