/*
 * iin.h — the individual identification number (ИИН) of Kazakhstan, the
 * one rule every reader of an IIN asks: 12 digits, YYMMDD of a real birth
 * date, a century-and-sex digit (1-6), a serial number and a check digit
 * (weights 1..11, then 3..11,1,2 when the first sum gives 10). A BIN
 * (business identification number) has the same check digit.
 *
 * The form validator (val.h, V_IIN and V_BIN), the БМГ import (bmg.h), the
 * registration screen and the command line all use these. Whether the
 * check digit is checked is the setting App.IinChecksum, which the callers
 * read (demonstration data may carry made-up numbers). Prefix iin_.
 */
#ifndef KG_IIN_H
#define KG_IIN_H

/* What an IIN tells. */
struct iin_info {
	int birth;        /* days since 1970-01-01 */
	char sex;         /* 'M' or 'F' */
	int year;
};

/* Checks s. Returns NULL, or the lang key of the error: Err.iin_format
 * (not 12 digits), Err.iin_date (no such date or century digit),
 * Err.iin_checksum. check_sum 0 skips the check digit. out may be NULL. */
const char *iin_check(const char *s, int check_sum, struct iin_info *out);

/* The check digit alone of 12 digits (also a BIN's): 1 valid, 0 not. */
int iin_checksum(const char *s12);

/* The first valid IIN (with its check digit) for a birth date and sex
 * ('M'/'F') with serial number serial or the next ones (a serial can admit
 * no check digit): for demonstration and generated persons. Returns the
 * serial used. */
int iin_make(int y, int m, int d, char sex, int serial, char out[13]);

#endif
