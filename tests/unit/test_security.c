/*
 * Unit tests of the security review's fixes in library modules (each test
 * names the defect it keeps fixed). The HTTP-level ones are in
 * tests/http/security.test.js and tests/http/authz.test.js; inputs found
 * by the fuzzers are replayed from tests/fuzz/regress.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/bmg.h"
#include "base/conf.h"
#include "base/db.h"
#include "base/util.h"

static char dir[256];

#define A "900517322416"
#define B "950808477153"
#define C "930101499197"

static long long pairs(void) { return db_int("SELECT count(*) FROM bmg", -1, NULL); }

static int import(const char *csv, size_t len, int replace, struct bmg_result *res)
{
	assert_int_equal(db_begin(), 0);
	int rc = bmg_import_csv(csv, len, replace, 0, "t.csv", res);
	if (rc == 0)
		assert_int_equal(db_commit(), 0);
	else
		db_rollback();
	return rc;
}

/* A NUL byte used to end the file silently where it stood: the lines after
 * it were never read, and a replacing import then removed their pairs. */
static void a_nul_byte_rejects_its_line_and_never_ends_the_file(void **st)
{
	(void)st;
	db_exec("DELETE FROM bmg", NULL);
	struct bmg_result res;
	static const char all[] = A ";+77015550007\n" B ";+77015550008\n" C ";+77015550009\n";
	assert_int_equal(import(all, sizeof all - 1, 0, &res), 0);
	assert_int_equal(pairs(), 3);

	static const char cut[] = A ";+77015550007\n" "\0garbage\n" B ";+77015550008\n" C ";+77015550009\n";
	assert_int_equal(import(cut, sizeof cut - 1, 1, &res), 0);
	assert_int_equal(res.lines, 4);
	assert_int_equal(res.rejected, 1);
	assert_true(res.refused);           /* a replacing file with a bad line changes nothing */
	assert_int_equal(pairs(), 3);
	char report[200] = "";
	db_text(report, sizeof report, "SELECT report FROM bmg_import WHERE id = ?", "I", res.import_id);
	assert_string_equal(report, "2\tchars\n");

	/* Adding: the lines after the NUL are read too. */
	db_exec("DELETE FROM bmg", NULL);
	assert_int_equal(import(cut, sizeof cut - 1, 0, &res), 0);
	assert_int_equal(res.added, 3);
	assert_int_equal(res.rejected, 1);

	/* A UTF-16 export: every line has NULs; nothing is half-read. */
	static const char u16[] = "I\0I\0N\0;\0p\0\n\0" "9\0" "0\0;\0+\0" "7\0\n\0";
	db_exec("DELETE FROM bmg", NULL);
	assert_int_equal(import(u16, sizeof u16 - 1, 1, &res), 0);
	assert_true(res.refused);
	assert_int_equal(res.rejected, res.lines);
	assert_int_equal(pairs(), 0);
}

static int setup(void **st)
{
	(void)st;
	const char *top = getenv("KG_TOP");
	if (!top)
		top = ".";
	snprintf(dir, sizeof dir, "/tmp/kg-unit-sec-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	char p[512], conf[1200], err[256];
	snprintf(conf, sizeof conf, "Paths.Db = %s/kg.db\nPaths.Sql = %s/sql\nApp.IinChecksum = 1\n", dir, top);
	snprintf(p, sizeof p, "%s/app.hdf", dir);
	FILE *f = fopen(p, "w");
	if (!f)
		return -1;
	fputs(conf, f);
	fclose(f);
	if (conf_load(p, err, sizeof err) < 0 || db_open(conf_get("Paths.Db", "")) < 0)
		return -1;
	snprintf(p, sizeof p, "%s/sql", top);
	if (db_migrate(p, err, sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	db_close();
	conf_free();
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_nul_byte_rejects_its_line_and_never_ends_the_file),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
