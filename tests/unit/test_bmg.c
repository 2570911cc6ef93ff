/*
 * Unit tests of the БМГ module (cgi-bin/lib/domain/bmg.h): the CSV import (formats,
 * the report of rejected lines, add and replace, nothing half-written) and
 * the lookup behind one function (the table, or a deployment's command).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "domain/bmg.h"
#include "base/conf.h"
#include "base/db.h"
#include "base/util.h"

#include "unit.h"

/* Valid IINs (checksum right) and one with the last digit changed. */
#define A "900517322416"
#define B "950808477153"
#define C "930101499197"
#define A_BADSUM "900517322417"

static long long pairs(void) { return db_int("SELECT count(*) FROM bmg", -1, NULL); }

static int import(const char *csv, int replace, struct bmg_result *res)
{
	assert_int_equal(db_begin(), 0);
	int rc = bmg_import_csv(csv, strlen(csv), replace, 0, "t.csv", res);
	if (rc == 0)
		assert_int_equal(db_commit(), 0);
	else
		db_rollback();
	return rc;
}

static const char *report_of(long long id, char *out, size_t n)
{
	out[0] = '\0';
	db_text(out, n, "SELECT report FROM bmg_import WHERE id = ?", "I", id);
	return out;
}

static void every_format_of_a_line_is_read(void **st)
{
	(void)st;
	db_exec("DELETE FROM bmg", NULL);
	struct bmg_result res;
	const char *csv = "\xEF\xBB\xBF" "IIN;phone\r\n"
			  A ";+7 701 555 00 07\r\n"
			  "\"" B "\",\"8 (701) 555-00-08\"\r\n"
			  "\r\n"
			  "  " C "\t87015550009  \n"
			  A ";+77015550007;\n";   /* a trailing separator, and a repeat */
	assert_int_equal(import(csv, 0, &res), 0);
	assert_int_equal(res.lines, 4);
	assert_int_equal(res.added, 3);
	assert_int_equal(res.known, 1);
	assert_int_equal(res.rejected, 0);
	assert_int_equal(pairs(), 3);
	assert_int_equal(bmg_pair_exists("+77015550007", A), 1);
	assert_int_equal(bmg_pair_exists("+77015550008", B), 1);
	assert_int_equal(bmg_pair_exists("+77015550009", C), 1);
	assert_int_equal(bmg_pair_exists("+77015550008", A), 0);
	/* Again: everything is known, nothing added. */
	assert_int_equal(import(csv, 0, &res), 0);
	assert_int_equal(res.added, 0);
	assert_int_equal(res.known, 4);
}

static void rejected_lines_are_reported_by_number_and_reason(void **st)
{
	(void)st;
	db_exec("DELETE FROM bmg", NULL);
	struct bmg_result res;
	const char *csv = A ";+77015550007\n"       /* 1: no header, data at once */
			  A_BADSUM ";+77015550007\n" /* 2 */
			  "1234;+77015550007\n"       /* 3 */
			  "901317322416;+77015550007\n" /* 4: 17th month */
			  B ";+1 202 555 0100\n"      /* 5 */
			  B "\n"                      /* 6 */
			  B ";+77015550008;extra\n"   /* 7 */
			  "\xC8\xC8\xCD;\xF2\xE5\xEB\n" /* 8: cp1251 in a data line */
			  C ",87015550009";           /* 9: no final newline */
	assert_int_equal(import(csv, 0, &res), 0);
	assert_int_equal(res.lines, 9);
	assert_int_equal(res.added, 2);
	assert_int_equal(res.rejected, 7);
	char rep[600];
	assert_string_equal(report_of(res.import_id, rep, sizeof rep),
			    "2\tiin_checksum\n3\tiin_format\n4\tiin_date\n5\tphone\n6\tcolumns\n7\tcolumns\n8\tchars\n");
	assert_int_equal(db_int("SELECT count(*) FROM bmg_import WHERE id = ? AND status = 'done' AND mode = 'add' "
				"AND lines = 9 AND added = 2 AND rejected = 7",
				0, "I", res.import_id),
			 1);
}

static void a_header_in_another_encoding_is_skipped(void **st)
{
	(void)st;
	struct bmg_result res;
	const char *csv = "\xC8\xC8\xCD;\xD2\xE5\xEB\xE5\xF4\xEE\xED\r\n" A ";+77015550007\r\n";
	assert_int_equal(import(csv, 0, &res), 0);
	assert_int_equal(res.lines, 1);
	assert_int_equal(res.rejected, 0);
}

static void replacing_removes_the_rest_but_never_with_a_broken_file(void **st)
{
	(void)st;
	db_exec("DELETE FROM bmg", NULL);
	struct bmg_result res;
	assert_int_equal(import(A ";+77015550007\n" B ";+77015550008\n" C ";+77015550009\n", 0, &res), 0);
	assert_int_equal(pairs(), 3);
	/* One bad line: nothing changes, the import is recorded as refused. */
	assert_int_equal(import(A ";+77015550007\nbroken\n", 1, &res), 0);
	assert_true(res.refused);
	assert_int_equal(res.added, 0);
	assert_int_equal(res.removed, 0);
	assert_int_equal(pairs(), 3);
	assert_int_equal(db_int("SELECT count(*) FROM bmg_import WHERE id = ? AND status = 'refused'", 0, "I",
				res.import_id), 1);
	/* A clean file: the registry is the file. */
	assert_int_equal(import(A ";+77015550007\n" B ";+77015550099\n", 1, &res), 0);
	assert_false(res.refused);
	assert_int_equal(res.added, 1);
	assert_int_equal(res.known, 1);
	assert_int_equal(res.removed, 2);
	assert_int_equal(pairs(), 2);
	assert_int_equal(bmg_pair_exists("+77015550008", B), 0);
	assert_int_equal(bmg_pair_exists("+77015550099", B), 1);
}

static void a_file_without_data_writes_nothing(void **st)
{
	(void)st;
	long long before = db_int("SELECT count(*) FROM bmg_import", 0, NULL);
	struct bmg_result res;
	assert_int_equal(import("", 0, &res), -2);
	assert_int_equal(import("IIN;phone\r\n\r\n;;\n", 1, &res), -2);
	assert_int_equal(db_int("SELECT count(*) FROM bmg_import", 0, NULL), before);
	assert_true(pairs() > 0);
}

static void the_lookup_can_be_a_deployments_command(void **st)
{
	(void)st;
	char script[400];
	snprintf(script, sizeof script, "%s/lookup.sh", ut_dir);
	FILE *f = fopen(script, "w");
	assert_non_null(f);
	/* Registered: +77010000001 with A; "failure" for a phone ending 9. */
	fprintf(f, "#!/bin/sh\ncase \"$1\" in +77010000009) exit 3;; esac\n"
		   "[ \"$1\" = +77010000001 ] && [ \"$2\" = " A " ] && exit 0\nexit 1\n");
	fclose(f);
	chmod(script, 0755);
	HDF *h = conf_hdf();
	hdf_set_value(h, "Bmg.Lookup", "command");
	hdf_set_value(h, "Bmg.Command", script);
	assert_int_equal(bmg_pair_exists("+77010000001", A), 1);
	assert_int_equal(bmg_pair_exists("+77010000001", B), 0);
	assert_int_equal(bmg_pair_exists("+77010000009", A), -1);
	hdf_set_value(h, "Bmg.Command", "/nonexistent/kg-bmg");
	assert_int_equal(bmg_pair_exists("+77010000001", A), -1);
	hdf_set_value(h, "Bmg.Lookup", "table");
	assert_int_equal(bmg_pair_exists("+77015550007", A), 1);
}

static int setup(void **st)
{
	(void)st;
	return ut_setup("bmg", 0, "App.IinChecksum = 1\n");
}

static int teardown(void **st)
{
	(void)st;
	return ut_teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_format_of_a_line_is_read),
		cmocka_unit_test(rejected_lines_are_reported_by_number_and_reason),
		cmocka_unit_test(a_header_in_another_encoding_is_skipped),
		cmocka_unit_test(replacing_removes_the_rest_but_never_with_a_broken_file),
		cmocka_unit_test(a_file_without_data_writes_nothing),
		cmocka_unit_test(the_lookup_can_be_a_deployments_command),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
