/* sms.c — see sms.h. */
#include "base/sms.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/conf.h"
#include "base/db.h"
#include "base/log.h"
#include "base/util.h"

static int pending;

static int spool(const char *phone, const char *text)
{
	const char *dir = conf_get("Sms.Spool", "var/sms");
	if (u_mkdirs(dir) < 0) {
		log_err("sms: cannot make %s: %s", dir, strerror(errno));
		return -1;
	}
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	static unsigned seq;
	char path[PATH_MAX];
	/* Names sort in sending order: nanoseconds, then process and sequence. */
	snprintf(path, sizeof path, "%s/%013lld%09ld-%06d-%04u.txt", dir, (long long)ts.tv_sec, ts.tv_nsec,
		 (int)getpid(), seq++ % 10000);
	struct buf b = {0};
	buf_printf(&b, "To: %s\n\n%s\n", phone, text);
	int rc = b.s ? u_write_file_atomic(path, b.s, b.len) : -1;
	if (rc < 0)
		log_err("sms: cannot write %s: %s", path, strerror(errno));
	buf_free(&b);
	return rc;
}

static int command(const char *phone, const char *text)
{
	const char *cmd = conf_get("Sms.Command", "");
	if (!*cmd) {
		log_err("sms: Sms.Gateway is command but Sms.Command is empty");
		return -1;
	}
	const char *argv[] = {cmd, phone, text, NULL};
	int rc = u_run(argv, conf_int("Sms.CommandTimeoutMs", 10000));
	if (rc == 0)
		return 0;
	char why[96];
	log_err("sms: %s %s", cmd, u_run_error(rc, why));
	return -1;
}

static int send_now(const char *phone, const char *text)
{
	const char *gw = conf_get("Sms.Gateway", "spool");
	char masked[20];
	u_mask_phone(phone, masked);
	int rc = strcmp(gw, "command") == 0 ? command(phone, text) : spool(phone, text);
	if (rc == 0)
		log_info("sms sent to %s (%zu bytes)", masked, strlen(text));
	return rc;
}

/* Messages held until the response has left (sms_defer). */
static int defer;
static struct { char *phone, *text; } later[8];
static int nlater;

void sms_defer(int on) { defer = on; }

int sms_send(const char *phone, const char *text)
{
	if (defer && nlater < (int)(sizeof later / sizeof later[0])) {
		char *p = strdup(phone), *t = strdup(text);
		if (p && t) {
			later[nlater].phone = p;
			later[nlater].text = t;
			nlater++;
			pending = 1;
			return 0;
		}
		free(p);
		free(t);
	}
	return send_now(phone, text);
}

static void send_later(void)
{
	for (int i = 0; i < nlater; i++) {
		send_now(later[i].phone, later[i].text);
		explicit_bzero(later[i].text, strlen(later[i].text)); /* a one-time code */
		free(later[i].phone);
		free(later[i].text);
	}
	nlater = 0;
}

long long notify_queue(long long application_id, const char *phone, const char *kind, const char *text)
{
	if (db_exec("INSERT INTO notification(application_id, phone, kind, text, created_at) "
		    "VALUES (NULLIF(?, 0), ?, ?, ?, ?)",
		    "ItttI", application_id, phone, kind, text, u_now()) != SQLITE_DONE)
		return -1;
	pending = 1;
	return db_last_id();
}

int notify_pending(void) { return pending; }

int sms_send_deferred(void)
{
	int n = nlater;
	send_later();
	return n;
}

int notify_flush(int max)
{
	pending = 0;
	send_later();
	long long maxatt = conf_int("Sms.MaxAttempts", 5);
	long long stale = u_now() - conf_int("Sms.ClaimSeconds", 120);
	int sent = 0;
	for (int n = 0; max == 0 || n < max; n++) {
		long long id = 0;
		char phone[24] = "";
		struct buf text = {0};
		/* Claim one message: only one process sends it (claimed_at, sql/090;
		 * a claim older than Sms.ClaimSeconds is a sender that died). */
		if (db_begin() < 0)
			return -1;
		sqlite3_stmt *st = db_query("SELECT id, phone, text FROM notification "
					    "WHERE sent_at IS NULL AND attempts < ? AND (claimed_at IS NULL OR claimed_at < ?) "
					    "ORDER BY created_at, id LIMIT 1",
					    "II", maxatt, stale);
		if (db_row(st)) {
			id = sqlite3_column_int64(st, 0);
			snprintf(phone, sizeof phone, "%s", db_col(st, 1));
			buf_adds(&text, db_col(st, 2));
		}
		db_done(st);
		if (!id) {
			db_rollback();
			break;
		}
		/* Count the attempt first: a crash while sending cannot loop forever. */
		db_exec("UPDATE notification SET attempts = attempts + 1, claimed_at = ? WHERE id = ?", "II", u_now(), id);
		if (db_commit() < 0) {
			buf_free(&text);
			return -1;
		}
		int ok = sms_send(phone, text.s ? text.s : "") == 0;
		buf_free(&text);
		if (ok) {
			db_exec("UPDATE notification SET sent_at = ?, last_error = NULL WHERE id = ?", "II", u_now(), id);
			sent++;
		} else {
			db_exec("UPDATE notification SET last_error = 'gateway failed', claimed_at = NULL WHERE id = ?", "I", id);
			break; /* the gateway is down: the timed job retries */
		}
	}
	return sent;
}
