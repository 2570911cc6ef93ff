/*
 * log.h — one line per event on the web server's log.
 *
 * During a request the line goes to the FastCGI error stream (nginx and
 * Apache write it to their error log); outside a request, to stderr.
 * Every run of exactly 12 digits (an IIN or BIN) is masked before the line
 * leaves the process; callers never log passwords, codes, tokens or CMS.
 * Prefix log_.
 */
#ifndef KG_LOG_H
#define KG_LOG_H

#include <stdarg.h>

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_init(const char *program);
void log_set_level(enum log_level max);
/* Redirects lines to sink(ctx, line) until log_set_sink(NULL, NULL). */
void log_set_sink(void (*sink)(void *ctx, const char *line), void *ctx);
void log_msg(enum log_level lv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
