/* log.c — see log.h. */
#include "base/log.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"

static char prog[32] = "kg";
static enum log_level maxlevel = LOG_INFO;

void log_init(const char *program)
{
	const char *s = strrchr(program, '/');
	snprintf(prog, sizeof prog, "%s", s ? s + 1 : program);
}

void log_set_level(enum log_level m) { maxlevel = m; }

void log_msg(enum log_level lv, const char *fmt, ...)
{
	static const char *const names[] = {"error", "warn", "info", "debug"};
	if (lv > maxlevel)
		return;
	char line[2048];
	int n = snprintf(line, sizeof line, "kg-%s[%d] %s: ", prog, (int)getpid(), names[lv]);
	if (n < 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
	va_end(ap);
	/* One line: no injected newlines from user-controlled values. */
	for (char *p = line; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	u_mask_iins_in(line);
	size_t len = strlen(line);
	line[len] = '\n';
	ssize_t w = write(2, line, len + 1);   /* one write: lines of workers do not interleave */
	(void)w;
}
