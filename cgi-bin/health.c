/*
 * health — /healthz for a load balancer or a monitoring system: 200
 * {"status":"ok","checks":{…}} when the service can do its work, else 503
 * {"status":"fail","checks":{…}} with every check's outcome and, for a
 * failing one, why. JSON for machines: no interface strings, never cached
 * (no RF_CACHE: the request loop sends it with Cache-Control: no-store).
 * The web server lets only the addresses of KG_HEALTH_ALLOW reach it
 * (conf/gen-web.sh).
 *
 * A program of its own rather than a route of a screen: a load balancer's
 * polling never takes a worker from the people's pages, and a screen's
 * settings or templates failing does not hide the state of the rest.
 *
 * Checks (settings under Health):
 *   database  reachable, and its user_version is the newest migration of
 *             Paths.Sql (a newer release's SQL not yet applied fails)
 *   crl       the EDS revocation lists loaded and before their nextUpdate
 *             (esig_crl_status)
 *   disk      free space for Paths.Files above MinFreeMB (1024)
 *   outbox    no SMS waiting to be sent for more than OutboxMaxAgeSeconds
 *             (900)
 *   tick      `kgctl tick` completed within TickMaxAgeSeconds (300)
 */
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>

#include "base/conf.h"
#include "base/db.h"
#include "base/log.h"
#include "web/esig.h"
#include "web/req.h"

enum { CHECK_DB, CHECK_CRL, CHECK_DISK, CHECK_OUTBOX, CHECK_TICK, CHECK__MAX };
static const char *const check_names[CHECK__MAX] = {"database", "crl", "disk", "outbox", "tick"};

struct check {
	int ok;
	char detail[300];   /* English, for the operator; empty when ok */
};

/* A failed statement is this check's outcome, not the request's 500 (the
 * request loop answers 500 for any failed statement): its reason is kept
 * and the request's database state starts afresh for the next check. */
static int db_check_failed(struct check *c)
{
	int busy;
	if (!db_request_failed(&busy))
		return 0;
	c->ok = 0;
	snprintf(c->detail, sizeof c->detail, "%s", busy ? "the database is busy (locked)" : db_errmsg());
	db_request_end();
	db_request_begin();
	return 1;
}

static void check_database(struct check *c)
{
	const char *dir = conf_get("Paths.Sql", "sql");
	int have = db_user_version();
	if (db_check_failed(c))
		return;
	int want = db_latest_migration(dir);
	if (want < 0)
		snprintf(c->detail, sizeof c->detail, "cannot read the migrations in %s", dir);
	else if (have != want)
		snprintf(c->detail, sizeof c->detail, "the database is at version %d, the migrations at %d%s", have, want,
			 have < want ? ": run `kgctl migrate`" : "");
	c->ok = want >= 0 && have == want;
}

static void check_crl(struct check *c, long long now)
{
	struct esig_crl_status s;
	c->ok = esig_crl_status(now, &s) == 0;
	if (db_check_failed(c))
		return;
	if (!c->ok)
		snprintf(c->detail, sizeof c->detail, "%s%s%s", esig_crl_names[s.state], s.detail[0] ? ": " : "",
			 s.detail);
}

static void check_disk(struct check *c)
{
	const char *dir = conf_get("Paths.Files", "var/files");
	long long min_mb = conf_int("Health.MinFreeMB", 1024);
	struct statvfs v;
	if (statvfs(dir, &v) < 0) {
		c->ok = 0;
		snprintf(c->detail, sizeof c->detail, "cannot read the free space of %s", dir);
		return;
	}
	long long free_mb = (long long)((unsigned long long)v.f_bavail * v.f_frsize / (1024 * 1024));
	c->ok = free_mb >= min_mb;
	if (!c->ok)
		snprintf(c->detail, sizeof c->detail, "%lld MB free for %s, below Health.MinFreeMB %lld", free_mb, dir,
			 min_mb);
}

/* The oldest message still to be sent (queued, or handed over just now):
 * one step of the index notification_unsent. A message marked unconfirmed
 * is never sent again (sms.h) and is the operator's to look at, not a
 * stuck outbox. */
static void check_outbox(struct check *c, long long now)
{
	long long max_age = conf_int("Health.OutboxMaxAgeSeconds", 900);
	long long oldest = db_int("SELECT created_at FROM notification WHERE sent_at IS NULL "
				  "AND state IN ('queued', 'sending') ORDER BY created_at LIMIT 1",
				  0, NULL);
	if (db_check_failed(c))
		return;
	c->ok = !oldest || now - oldest <= max_age;
	if (!c->ok)
		snprintf(c->detail, sizeof c->detail,
			 "an SMS has waited %lld s to be sent, above Health.OutboxMaxAgeSeconds %lld", now - oldest,
			 max_age);
}

/* `kgctl tick` writes job_last 'tick' when all its jobs succeeded. */
static void check_tick(struct check *c, long long now)
{
	long long max_age = conf_int("Health.TickMaxAgeSeconds", 300);
	long long last = db_job_last("tick");
	if (db_check_failed(c))
		return;
	c->ok = last && now - last <= max_age;
	if (!last)
		snprintf(c->detail, sizeof c->detail, "`kgctl tick` has never completed");
	else if (!c->ok)
		snprintf(c->detail, sizeof c->detail,
			 "`kgctl tick` last completed %lld s ago, above Health.TickMaxAgeSeconds %lld", now - last,
			 max_age);
}

/* A JSON string: the details are our own English text with file names
 * and SQLite's messages in them. */
static void json_str(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)ch);
		} else if (ch < 0x20) {
			char e[8];
			snprintf(e, sizeof e, "\\u%04x", ch);
			buf_adds(b, e);
		} else {
			buf_addc(b, (char)ch);
		}
	}
	buf_addc(b, '"');
}

static int healthz(struct req *r)
{
	long long now = u_now();
	struct check c[CHECK__MAX];
	memset(c, 0, sizeof c);
	/* esig_crl_status wants no transaction open: it runs first. */
	check_crl(&c[CHECK_CRL], now);
	check_database(&c[CHECK_DB]);
	check_disk(&c[CHECK_DISK]);
	check_outbox(&c[CHECK_OUTBOX], now);
	check_tick(&c[CHECK_TICK], now);
	int ok = 1;
	for (int i = 0; i < CHECK__MAX; i++)
		ok = ok && c[i].ok;

	struct buf b;
	buf_init(&b);
	buf_adds(&b, ok ? "{\"status\":\"ok\",\"checks\":{" : "{\"status\":\"fail\",\"checks\":{");
	for (int i = 0; i < CHECK__MAX; i++) {
		if (i)
			buf_addc(&b, ',');
		json_str(&b, check_names[i]);
		buf_adds(&b, c[i].ok ? ":{\"ok\":true" : ":{\"ok\":false,\"detail\":");
		if (!c[i].ok)
			json_str(&b, c[i].detail);
		buf_addc(&b, '}');
	}
	buf_adds(&b, "}}\n");
	if (!ok) {
		r->status = 503;
		for (int i = 0; i < CHECK__MAX; i++)
			if (!c[i].ok)
				log_warn("health: %s failing: %s", check_names[i], c[i].detail);
	}
	int rc = req_send(r, "application/json", b.s, b.len, NULL);
	buf_free(&b);
	return rc;
}

static const struct route routes[] = {
	{M_GET, "/healthz", ROLE_ANY, healthz, 0},
};

int main(int argc, char **argv)
{
	static const struct app app = {"health", routes, NROUTES(routes), NULL};
	return req_main(argc, argv, &app);
}
