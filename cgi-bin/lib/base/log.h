/*
 * log.h — one entry per event: the journal's structured fields under
 * systemd, one line on stderr otherwise.
 *
 * Every entry carries the program and, inside a request (log_context),
 * its route (the pattern, never the path or query: they may carry
 * personal data) and request id (also the response's X-Request-Id); the
 * request loop's last entry of a request (log_request) adds its status
 * and duration. Fields: PROGRAM, ROUTE, STATUS, DURATION_MS, REQUEST_ID,
 * MESSAGE (and PRIORITY, SYSLOG_IDENTIFIER, SYSLOG_PID).
 *
 * Where entries go (log_setup, the setting Log.Journal):
 *   auto  the journal when stderr is the journal (systemd sets
 *         JOURNAL_STREAM to stderr's device:inode), else stderr
 *   on    the journal (stderr when its socket cannot be reached)
 *   off   stderr
 * The journal gets the native protocol (a datagram of KEY=value lines) on
 * /run/systemd/journal/socket: what libsystemd's sd_journal_send sends,
 * without linking libsystemd into every program, and testable without
 * systemd (a test binds its own socket). On stderr an entry is one line,
 *   kg-queue[123] info: message route=/queue status=200 duration_ms=4 request_id=…
 * the log of its pool (the file spawn-fcgi's stderr points to). Not the
 * FastCGI error stream: nginx appends the whole request line, query string
 * included, to every line it receives there, and a query may carry an IIN.
 *
 * Every run of exactly 12 digits (an IIN or BIN), in any field, is masked
 * before the entry leaves the process; newlines in values become spaces.
 * Callers never log passwords, codes, tokens or CMS.
 * Prefix log_.
 */
#ifndef KG_LOG_H
#define KG_LOG_H

#include <stdarg.h>
#include <stddef.h>

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_init(const char *program);
void log_set_level(enum log_level max);
/* journal: "auto", "on" or "off" (NULL: auto); socket_path: NULL for the
 * journal's own. Call after the settings are read. */
void log_setup(const char *journal, const char *socket_path);
/* Does the process log to the journal (after log_setup)? */
int log_to_journal(void);

void log_msg(enum log_level lv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

/* The request the following entries belong to; NULLs: none (between
 * requests). Both strings must stay valid until the next call. */
void log_context(const char *route, const char *request_id);
/* The entry that ends a request (info): its status and duration, with the
 * context's route and request id. */
void log_request(int status, long long duration_ms, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* An entry's fields: route and request_id NULL, status 0 and duration_ms
 * -1 when absent. */
struct log_fields {
	const char *route;
	const char *request_id;
	int status;
	long long duration_ms;
};

/* Formats one entry into out (cap bytes): journal 1 gives the native
 * protocol's "KEY=value\n" fields, 0 the stderr line (ending in "\n").
 * IINs masked in every field, newlines in values replaced. Returns the
 * length, truncating the message to fit (never a field's name). */
size_t log_format(char *out, size_t cap, int journal, enum log_level lv, const struct log_fields *f,
		  const char *msg);

#endif
