/*
 * fuzz_val — the validators of val.c on arbitrary text: every field type
 * through val_one (trimming, UTF-8, lengths, numbers, dates, IIN with its
 * checksum and birth date, BIN, phone, e-mail, enum, token), the bare
 * iin_check / u_phone / val_email, and the masking helpers of util.c that
 * print the same values into pages and logs.
 *
 * The first byte chooses nothing: every check runs on every input, and
 * each result is checked against what val.h promises (a valid IIN is 12
 * digits with a real date; a phone normalises to +7 and 10 digits; a
 * masked IIN keeps 4 + 2 digits).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cal.h"
#include "base/util.h"
#include "web/val.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "broken promise: %s\n", #c); abort(); } } while (0)

static const char *const choices[] = {"a", "bb", "ССС", NULL};

static const struct vfield fields[] = {
	{"t", V_TEXT, VF_REQUIRED, 2, 20, NULL},
	{"m", V_MEMO, 0, 0, 0, NULL},
	{"n", V_INT, 0, 0, 0, NULL},
	{"r", V_INT, VF_REQUIRED, 2015, 2030, NULL},
	{"d", V_DATE, 0, 0, 0, NULL},
	{"i", V_IIN, VF_REQUIRED, 0, 0, NULL},
	{"b", V_BIN, 0, 0, 0, NULL},
	{"p", V_PHONE, 0, 0, 0, NULL},
	{"e", V_EMAIL, 0, 0, 0, NULL},
	{"c", V_ENUM, 0, 0, 0, choices},
	{"o", V_BOOL, 0, 0, 0, NULL},
	{"k", V_TOKEN, 0, 1, 43, NULL},
};

static int digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena *a;
	if (!a)
		a = arena_new();
	char *s = arena_strndup(a, (const char *)data, size);   /* C strings stop at a NUL, as the form's do */
	struct req r;
	memset(&r, 0, sizeof r);
	r.a = a;

	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		struct vval v;
		const char *err = val_one(&r, &fields[i], s, &v);
		CHECK(v.s != NULL);
		if (err || !v.present)
			continue;
		switch (fields[i].type) {
		case V_IIN:
			CHECK(strlen(v.s) == 12 && digits(v.s, 12));
			CHECK(iin_checksum(v.s));
			CHECK(v.iin.sex == 'M' || v.iin.sex == 'F');
			break;
		case V_BIN:
			CHECK(strlen(v.s) == 12 && digits(v.s, 12));
			break;
		case V_PHONE:
			CHECK(strlen(v.s) == 12 && v.s[0] == '+' && v.s[1] == '7' && digits(v.s + 1, 11));
			break;
		case V_INT:
			if (fields[i].min || fields[i].max)
				CHECK(v.i >= fields[i].min && v.i <= fields[i].max);
			break;
		case V_DATE: {
			char back[11];
			cal_format_date((int)v.i, back);
			CHECK(strcmp(back, v.s) == 0);
			break;
		}
		case V_TEXT:
		case V_MEMO:
			CHECK(u_utf8_valid(v.s, fields[i].type == V_MEMO));
			break;
		case V_ENUM:
			CHECK(strcmp(choices[v.i], v.s) == 0);
			break;
		default:
			break;
		}
	}

	struct iin_info ii;
	if (!iin_check(s, 0, &ii)) {
		int y, m, d;
		cal_ymd_from_days(ii.birth, &y, &m, &d);
		CHECK(y == ii.year && cal_valid_ymd(y, m, d));
	}
	char ph[13];
	if (u_phone(s, ph) == 0)
		CHECK(strlen(ph) == 12);
	(void)val_email(s);

	char m[13];
	u_mask_iin(s, m);
	if (strlen(s) == 12 && digits(s, 12))
		CHECK(memcmp(m + 4, "******", 6) == 0 && memcmp(m, s, 4) == 0 && memcmp(m + 10, s + 10, 2) == 0);
	char mp[20];
	u_mask_phone(s, mp);
	char *t = arena_strdup(a, s);
	u_mask_iins_in(t);
	/* No run of exactly 12 digits survives. */
	for (size_t i = 0, n = strlen(t); i < n;) {
		size_t j = i;
		while (j < n && t[j] >= '0' && t[j] <= '9')
			j++;
		CHECK(j - i != 12);
		i = j > i ? j : i + 1;
	}
	(void)u_mask_name(a, s, s, s);
	int days;
	if (cal_parse_date(s, &days) == 0) {
		char back[11];
		cal_format_date(days, back);
	}
	(void)cal_parse_iso(s, &days);
	long long ll;
	(void)u_strtoll(s, -(1LL << 62), 1LL << 62, &ll);
	arena_reset(a);
	return 0;
}
