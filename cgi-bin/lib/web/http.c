/* http.c — see http.h. */
#include "web/http.h"

#include <stdio.h>
#include <string.h>

#include "base/log.h"

static int cookie_safe(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      strchr("-_.:~", *s)))
			return 0;
	return 1;
}

void req_cookie(struct req *r, const char *name, const char *value, long long max_age)
{
	if (!cookie_safe(name) || !cookie_safe(value)) {
		log_err("refused to set an unsafe cookie %s", name);
		return;
	}
	char ma[48] = "";
	if (max_age >= 0)
		snprintf(ma, sizeof ma, "; Max-Age=%lld", max_age);
	buf_printf(&r->headers, "Set-Cookie: %s=%s; Path=/%s; HttpOnly; SameSite=Lax%s\r\n",
		   name, value, ma, r->secure ? "; Secure" : "");
}
