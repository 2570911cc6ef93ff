/* val.c — see val.h. */
#include "web/val.h"

#include <stdio.h>
#include <string.h>

#include "base/cal.h"
#include "base/conf.h"
#include "web/view.h"

int val_email(const char *s)
{
	size_t n = strlen(s);
	if (n < 3 || n > 254)
		return 0;
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@'))
		return 0;
	const char *dot = strrchr(at, '.');
	if (!dot || dot == at + 1 || !dot[1])
		return 0;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || strchr("<>\"'(),;:\\[]", *p))
			return 0;
	return 1;
}

/* Trims ASCII whitespace at both ends into the arena. */
static const char *trim(struct req *r, const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return arena_strndup(r->a, s, n);
}

const char *val_one(struct req *r, const struct vfield *f, const char *raw, struct vval *v)
{
	memset(v, 0, sizeof *v);
	v->s = "";
	if (!raw)
		raw = "";
	const char *s = trim(r, raw);
	if (!s)
		return "Err.internal";
	if (f->type == V_BOOL) {
		v->present = *s != '\0';
		v->i = strcmp(s, "1") == 0 || strcmp(s, "on") == 0;
		v->s = v->i ? "1" : "";
		if ((f->flags & VF_REQUIRED) && !v->i)
			return "Err.required";
		return NULL;
	}
	if (!*s)
		return (f->flags & VF_REQUIRED) ? "Err.required" : NULL;
	v->present = 1;
	v->s = s;
	if (!u_utf8_valid(s, f->type == V_MEMO))
		return "Err.text_chars";
	switch (f->type) {
	case V_TEXT:
	case V_MEMO: {
		size_t len = u_utf8_len(s);
		long long min = f->min, max = f->max ? f->max : (f->type == V_MEMO ? 2000 : 200);
		if ((long long)len < min)
			return "Err.too_short";
		if ((long long)len > max)
			return "Err.too_long";
		return NULL;
	}
	case V_TOKEN: {
		size_t len = strlen(s);
		long long max = f->max ? f->max : 64;
		if ((long long)len < f->min || (long long)len > max)
			return "Err.format";
		for (const char *p = s; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			      *p == '.' || *p == '_' || *p == '-'))
				return "Err.format";
		return NULL;
	}
	case V_INT: {
		long long min = f->min, max = f->max;
		if (!min && !max)
			min = -(1LL << 62), max = 1LL << 62;
		long long n;
		if (u_strtoll(s, -(1LL << 62), 1LL << 62, &n) < 0)
			return "Err.not_number";
		if (n < min || n > max)
			return "Err.out_of_range";
		v->i = n;
		return NULL;
	}
	case V_DATE: {
		int days;
		if (strlen(s) != 10 || s[2] != '.' || s[5] != '.')
			return "Err.date_format";
		if (cal_parse_date(s, &days) < 0)
			return "Err.date_invalid";
		v->i = days;
		return NULL;
	}
	case V_IIN: {
		const char *e = iin_check(s, conf_int("App.IinChecksum", 1) != 0, &v->iin);
		return e;
	}
	case V_BIN: {
		if (strlen(s) != 12 || strspn(s, "0123456789") != 12)
			return "Err.bin_format";
		if (conf_int("App.IinChecksum", 1) && !iin_checksum(s))
			return "Err.bin_checksum";
		return NULL;
	}
	case V_PHONE: {
		char p[13];
		if (u_phone(s, p) < 0)
			return "Err.phone";
		v->s = arena_strdup(r->a, p);
		return NULL;
	}
	case V_EMAIL:
		return val_email(s) ? NULL : "Err.email";
	case V_ENUM:
		for (long long i = 0; f->choices && f->choices[i]; i++)
			if (strcmp(f->choices[i], s) == 0) {
				v->i = i;
				return NULL;
			}
		return "Err.choice";
	case V_BOOL:
		break;
	}
	return NULL;
}

int val_form(struct req *r, const struct vfield *f, size_t n, struct vval *out)
{
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		const char *e = val_one(r, &f[i], req_param(r, f[i].name), &out[i]);
		out[i].err = e;
		if (e) {
			view_field_error(r, f[i].name, e);
			bad++;
		}
	}
	return bad;
}
