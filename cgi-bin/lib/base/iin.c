/* iin.c — see iin.h. */
#include "base/iin.h"

#include <stdio.h>
#include <string.h>

#include "base/cal.h"

int iin_checksum(const char *s)
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

int iin_make(int y, int m, int d, char sex, int serial, char out[13])
{
	int c = (y >= 2000 ? 5 : 3) + (sex == 'F');
	for (int s = serial;; s++) {
		snprintf(out, 13, "%02u%02u%02u%u%04u0", (unsigned)(y % 100), (unsigned)m % 100u, (unsigned)d % 100u,
			 (unsigned)c, (unsigned)s % 10000u);
		for (int k = 0; k <= 9; k++) {
			out[11] = (char)('0' + k);
			if (iin_checksum(out))
				return s;
		}
	}
}

const char *iin_check(const char *s, int check_sum, struct iin_info *out)
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
	if (check_sum && !iin_checksum(s))
		return "Err.iin_checksum";
	if (out) {
		out->birth = cal_days_from_ymd(y, mm, dd);
		out->sex = (c % 2) ? 'M' : 'F';
		out->year = y;
	}
	return NULL;
}
