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

static int spool(const char *phone, const char *text, const char *id)
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
	/* Names sort in sending order: nanoseconds, then process and sequence;
	 * an outbox message's hand-over id ends the name. */
	snprintf(path, sizeof path, "%s/%013lld%09ld-%06d-%04u%s%s.txt", dir, (long long)ts.tv_sec, ts.tv_nsec,
		 (int)getpid(), seq++ % 10000, *id ? "-" : "", id);
	struct buf b = {0};
	buf_printf(&b, "To: %s\n\n%s\n", phone, text);
	int rc = b.s ? u_write_file_atomic(path, b.s, b.len) : -1;
	if (rc < 0)
		log_err("sms: cannot write %s: %s", path, strerror(errno));
	buf_free(&b);
	return rc;
}

/* What a gateway said of a message. */
enum { SENT = 0, REFUSED = -1, UNKNOWN = -2 };

/* The command gets the hand-over id (outbox messages) in KG_SMS_ID, for a
 * provider that takes an idempotency key; exit status 0 is "accepted",
 * another status or a failed start "not sent", and no answer in time (or
 * a signal) an unknown outcome. */
static int command(const char *phone, const char *text, const char *id)
{
	const char *cmd = conf_get("Sms.Command", "");
	if (!*cmd) {
		log_err("sms: Sms.Gateway is command but Sms.Command is empty");
		return REFUSED;
	}
	const char *argv[] = {cmd, phone, text, NULL};
	if (*id)
		setenv("KG_SMS_ID", id, 1);
	else
		unsetenv("KG_SMS_ID");
	int rc = u_run(argv, conf_int("Sms.CommandTimeoutMs", 10000));
	int e = errno;
	unsetenv("KG_SMS_ID");
	if (rc == 0)
		return SENT;
	char why[96];
	errno = e;
	log_err("sms: %s %s%s%s", cmd, u_run_error(rc, why), *id ? " for " : "", id);
	return rc == U_RUN_TIMEOUT || rc == U_RUN_SIGNAL ? UNKNOWN : REFUSED;
}

/* SENT, REFUSED or UNKNOWN. id: the outbox hand-over id, "" for none. */
static int send_now(const char *phone, const char *text, const char *id)
{
	const char *gw = conf_get("Sms.Gateway", "spool");
	char masked[20];
	u_mask_phone(phone, masked);
	int rc = strcmp(gw, "command") == 0 ? command(phone, text, id) : (spool(phone, text, id) == 0 ? SENT : REFUSED);
	if (rc == SENT)
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
	return send_now(phone, text, "") == SENT ? 0 : -1;
}

static void send_later(void)
{
	for (int i = 0; i < nlater; i++) {
		send_now(later[i].phone, later[i].text, "");
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

/* Hand-overs whose sender stopped before recording the outcome (killed,
 * crashed): sent or not, nobody knows, so they are marked for the
 * operator and never sent again. */
static int mark_abandoned(long long stale)
{
	if (db_exec("UPDATE notification SET state = 'unconfirmed', last_error = 'sender stopped during the hand-over' "
		    "WHERE state = 'sending' AND claimed_at < ?", "I", stale) != SQLITE_DONE)
		return -1;
	int n = db_changes();
	if (n > 0)
		log_err("sms: %d message(s) handed to the gateway by a sender that stopped: marked unconfirmed, "
			"not sent again (see README, SMS)", n);
	return 0;
}

/* Claims the oldest queued message and records its hand-over, in one
 * transaction, before the gateway is called. 1 with *id, phone, text and
 * hid filled; 0 when none is left; -1 on a database error. */
static int claim(long long maxatt, long long *id, char phone[24], struct buf *text, char hid[48])
{
	if (db_begin() < 0)
		return -1;
	long long attempts = 0;
	*id = 0;
	sqlite3_stmt *st = db_query("SELECT id, phone, text, attempts FROM notification "
				    "WHERE state = 'queued' AND attempts < ? ORDER BY created_at, id LIMIT 1", "I", maxatt);
	if (db_row(st)) {
		*id = sqlite3_column_int64(st, 0);
		snprintf(phone, 24, "%s", db_col(st, 1));
		buf_adds(text, db_col(st, 2));
		attempts = sqlite3_column_int64(st, 3);
	}
	db_done(st);
	if (!*id) {
		db_rollback();
		return 0;
	}
	snprintf(hid, 48, "kg-%lld-%lld", *id, attempts + 1);
	if (db_exec("UPDATE notification SET state = 'sending', attempts = attempts + 1, claimed_at = ?, handover_id = ? "
		    "WHERE id = ?", "ItI", u_now(), hid, *id) != SQLITE_DONE || db_commit() < 0) {
		db_rollback();
		return -1;
	}
	return 1;
}

int notify_flush(int max)
{
	pending = 0;
	send_later();
	long long maxatt = conf_int("Sms.MaxAttempts", 5);
	if (mark_abandoned(u_now() - conf_int("Sms.ClaimSeconds", 120)) < 0)
		return -1;
	int sent = 0;
	for (int n = 0; max == 0 || n < max; n++) {
		long long id;
		char phone[24] = "", hid[48] = "";
		struct buf text = {0};
		int c = claim(maxatt, &id, phone, &text, hid);
		if (c <= 0) {
			buf_free(&text);
			return c < 0 ? -1 : sent;
		}
		int rc = send_now(phone, text.s ? text.s : "", hid);
		buf_free(&text);
		if (rc == SENT) {
			db_exec("UPDATE notification SET state = 'sent', sent_at = ?, last_error = NULL WHERE id = ?", "II", u_now(), id);
			sent++;
		} else if (rc == UNKNOWN) {
			db_exec("UPDATE notification SET state = 'unconfirmed', last_error = 'gateway did not answer in time' "
				"WHERE id = ?", "I", id);
			break; /* a gateway that hangs: the others wait for the next run */
		} else {
			db_exec("UPDATE notification SET state = 'queued', last_error = 'gateway failed', claimed_at = NULL "
				"WHERE id = ?", "I", id);
			break; /* the gateway is down: the timed job retries */
		}
	}
	return sent;
}
