/* log.c — see log.h. */
#include "base/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/util.h"

#define JOURNAL_SOCKET "/run/systemd/journal/socket"
#define ENTRY_MAX 4096

static char prog[32] = "kg";
static enum log_level maxlevel = LOG_INFO;
static int journal_fd = -1;
static struct sockaddr_un journal_addr;
static const char *ctx_route, *ctx_request_id;

void log_init(const char *program)
{
	const char *s = strrchr(program, '/');
	snprintf(prog, sizeof prog, "%s", s ? s + 1 : program);
}

void log_set_level(enum log_level m) { maxlevel = m; }

/* Is stderr the journal? systemd names the stream it connected as
 * JOURNAL_STREAM=device:inode; a redirected stderr no longer matches. */
static int stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	if (!js || sscanf(js, "%llu:%llu", &dev, &ino) != 2 || fstat(2, &st) < 0)
		return 0;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

void log_setup(const char *journal, const char *socket_path)
{
	if (journal_fd >= 0) {
		close(journal_fd);
		journal_fd = -1;
	}
	int on = journal && strcmp(journal, "on") == 0;
	if (!on && (journal && strcmp(journal, "off") == 0))
		return;
	if (!on && !stderr_is_journal())
		return;
	const char *path = socket_path && *socket_path ? socket_path : JOURNAL_SOCKET;
	if (strlen(path) >= sizeof journal_addr.sun_path)
		return;
	memset(&journal_addr, 0, sizeof journal_addr);
	journal_addr.sun_family = AF_UNIX;
	memcpy(journal_addr.sun_path, path, strlen(path) + 1);
	journal_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
}

int log_to_journal(void) { return journal_fd >= 0; }

void log_context(const char *route, const char *request_id)
{
	ctx_route = route;
	ctx_request_id = request_id;
}

/* ---- formatting ---- */

struct out {
	char *p;
	size_t cap, len;   /* cap counts the final NUL */
};

/* Appends our own text (names, separators) as it is, while it fits. */
static void put_raw(struct out *o, const char *s)
{
	size_t n = strlen(s);
	if (o->len + n >= o->cap)
		n = o->cap - 1 - o->len;
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = '\0';
}

/* Appends a value, at most max bytes of it: one line, IINs masked (before
 * the cut, so that a cut never leaves an IIN's digits unmasked). */
static void put_val(struct out *o, const char *v, size_t max)
{
	char t[ENTRY_MAX];
	snprintf(t, sizeof t, "%s", v);
	for (char *c = t; *c; c++)
		if (*c == '\n' || *c == '\r')
			*c = ' ';
	u_mask_iins_in(t);
	size_t n = strlen(t);
	if (n > max)
		n = max;
	if (o->len + n >= o->cap)
		n = o->cap - 1 - o->len;
	memcpy(o->p + o->len, t, n);
	o->len += n;
	o->p[o->len] = '\0';
}

static void put_field(struct out *o, const char *name, const char *v, int journal)
{
	put_raw(o, journal ? "" : " ");
	put_raw(o, name);
	put_raw(o, "=");
	put_val(o, v, 200);
	if (journal)
		put_raw(o, "\n");
}

/* The fields but the message, in the form of the destination. */
static void put_fields(struct out *o, int journal, enum log_level lv, const struct log_fields *f)
{
	static const char *const prio[] = {"3", "4", "6", "7"};   /* syslog's err, warning, info, debug */
	char num[48];
	if (journal) {
		put_field(o, "PRIORITY", prio[lv], 1);
		snprintf(num, sizeof num, "kg-%s", prog);
		put_field(o, "SYSLOG_IDENTIFIER", num, 1);
		snprintf(num, sizeof num, "%d", (int)getpid());
		put_field(o, "SYSLOG_PID", num, 1);
		put_field(o, "PROGRAM", prog, 1);
	}
	if (f->route)
		put_field(o, journal ? "ROUTE" : "route", f->route, journal);
	if (f->status) {
		snprintf(num, sizeof num, "%d", f->status);
		put_field(o, journal ? "STATUS" : "status", num, journal);
	}
	if (f->duration_ms >= 0) {
		snprintf(num, sizeof num, "%lld", f->duration_ms);
		put_field(o, journal ? "DURATION_MS" : "duration_ms", num, journal);
	}
	if (f->request_id)
		put_field(o, journal ? "REQUEST_ID" : "request_id", f->request_id, journal);
}

size_t log_format(char *out, size_t cap, int journal, enum log_level lv, const struct log_fields *f,
		  const char *msg)
{
	static const char *const names[] = {"error", "warn", "info", "debug"};
	if (cap == 0)
		return 0;
	out[0] = '\0';
	char fl[1024];
	struct out tail = {fl, sizeof fl, 0};
	fl[0] = '\0';
	put_fields(&tail, journal, lv, f);
	struct out o = {out, cap, 0};
	char head[64];
	if (journal) {
		put_raw(&o, fl);
		put_raw(&o, "MESSAGE=");
	} else {
		snprintf(head, sizeof head, "kg-%s[%d] %s: ", prog, (int)getpid(), names[lv]);
		put_raw(&o, head);
	}
	/* The message gets what the rest leaves ("\n" and, for a line, the fields). */
	size_t rest = journal ? 1 : tail.len + 1;
	size_t room = o.len + rest + 1 < cap ? cap - 1 - o.len - rest : 0;
	put_val(&o, msg, room);
	if (!journal)
		put_raw(&o, fl);
	put_raw(&o, "\n");
	return o.len;
}

/* ---- writing ---- */

static void emit(enum log_level lv, const struct log_fields *f, const char *msg)
{
	char e[ENTRY_MAX];
	if (journal_fd >= 0) {
		size_t n = log_format(e, sizeof e, 1, lv, f, msg);
		if (sendto(journal_fd, e, n, MSG_NOSIGNAL, (const struct sockaddr *)&journal_addr, sizeof journal_addr) ==
		    (ssize_t)n)
			return;
		/* No journal (not running, full): the line below, on stderr. */
	}
	size_t n = log_format(e, sizeof e, 0, lv, f, msg);
	ssize_t w = write(2, e, n);   /* one write: lines of workers do not interleave */
	(void)w;
}

void log_msg(enum log_level lv, const char *fmt, ...)
{
	if (lv > maxlevel)
		return;
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	struct log_fields f = {ctx_route, ctx_request_id, 0, -1};
	emit(lv, &f, msg);
}

void log_request(int status, long long duration_ms, const char *fmt, ...)
{
	if (LOG_INFO > maxlevel)
		return;
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	struct log_fields f = {ctx_route, ctx_request_id, status, duration_ms};
	emit(LOG_INFO, &f, msg);
}
