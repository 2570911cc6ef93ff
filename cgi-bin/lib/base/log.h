/*
 * log.h — one line per event on the web server's log.
 *
 * Lines go to the process's stderr: the log of its pool (the file
 * spawn-fcgi's stderr points to, or the journal of the systemd unit).
 * Not to the FastCGI error stream: nginx appends the whole request line,
 * query string included, to every line it receives there, and a query may
 * carry an IIN. Every run of exactly 12 digits (an IIN or BIN) is masked
 * before the line leaves the process; callers never log passwords, codes,
 * tokens or CMS.
 * Prefix log_.
 */
#ifndef KG_LOG_H
#define KG_LOG_H

#include <stdarg.h>

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_init(const char *program);
void log_set_level(enum log_level max);
void log_msg(enum log_level lv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
