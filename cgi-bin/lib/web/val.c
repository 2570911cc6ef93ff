/* val.c — see val.h. */
#include "web/val.h"

#include <stdio.h>
#include <string.h>

#include "base/cal.h"
#include "base/conf.h"
#include "web/view.h"

int val_iin_checksum(const char *s)
{
	static const int w1[11] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
	static const int w2[11] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};
	int sum = 0;
	for (int i = 0; i < 11; i++)
		sum += (s[i] - '0') * w1[i];
	int k = sum % 11;
	if (k == 10) {
		sum = 0;
		for (int i = 0; i < 11; i++)
			sum += (s[i] - '0') * w2[i];
		k = sum % 11;
		if (k == 10)
			return 0;
	}
	return k == s[11] - '0';
}

int val_iin_make(int y, int m, int d, char sex, int serial, char out[13])
{
	int c = (y >= 2000 ? 5 : 3) + (sex == 'F');
	for (int s = serial;; s++) {
		snprintf(out, 13, "%02u%02u%02u%u%04u0", (unsigned)(y % 100), (unsigned)m % 100u, (unsigned)d % 100u,
			 (unsigned)c, (unsigned)s % 10000u);
		for (int k = 0; k <= 9; k++) {
			out[11] = (char)('0' + k);
			if (val_iin_checksum(out))
				return s;
		}
	}
}

const char *val_iin(const char *s, int check_sum, struct iin_info *out)
{
	if (!s || strlen(s) != 12)
		return "Err.iin_format";
	for (int i = 0; i < 12; i++)
		if (s[i] < '0' || s[i] > '9')
			return "Err.iin_format";
	int yy = (s[0] - '0') * 10 + (s[1] - '0');
	int mm = (s[2] - '0') * 10 + (s[3] - '0');
	int dd = (s[4] - '0') * 10 + (s[5] - '0');
	int c = s[6] - '0';
	int century;
	switch (c) {
	case 1: case 2: century = 1800; break;
	case 3: case 4: century = 1900; break;
	case 5: case 6: century = 2000; break;
	default: return "Err.iin_date";
	}
	int y = century + yy;
	if (!cal_valid_ymd(y, mm, dd))
		return "Err.iin_date";
	if (check_sum && !val_iin_checksum(s))
		return "Err.iin_checksum";
	if (out) {
		out->birth = cal_days_from_ymd(y, mm, dd);
		out->sex = (c % 2) ? 'M' : 'F';
		out->year = y;
	}
	return NULL;
}

int val_phone(const char *s, char out[13])
{
	char d[16];
	size_t n = 0;
	int plus = 0;
	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (n >= sizeof d - 1)
				return -1;
			d[n++] = *p;
		} else if (*p == '+' && n == 0 && !plus) {
			plus = 1;
		} else if (!strchr(" -()", *p)) {
			return -1;
		}
	}
	d[n] = '\0';
	const char *national;
	if (n == 11 && (d[0] == '7' || (d[0] == '8' && !plus)))
		national = d + 1;
	else if (n == 10 && !plus)
		national = d;
	else
		return -1;
	/* Kazakhstan: +7 followed by 7xx (mobile, Kazakh area codes) or 6xx. */
	if (national[0] != '7' && national[0] != '6')
		return -1;
	out[0] = '+';
	out[1] = '7';
	memcpy(out + 2, national, 10);
	out[12] = '\0';
	return 0;
}

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
		const char *e = val_iin(s, conf_int("App.IinChecksum", 1) != 0, &v->iin);
		return e;
	}
	case V_BIN: {
		if (strlen(s) != 12 || strspn(s, "0123456789") != 12)
			return "Err.bin_format";
		if (conf_int("App.IinChecksum", 1) && !val_iin_checksum(s))
			return "Err.bin_checksum";
		return NULL;
	}
	case V_PHONE: {
		char p[13];
		if (val_phone(s, p) < 0)
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
