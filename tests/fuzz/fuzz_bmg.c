/*
 * fuzz_bmg — the БМГ CSV import (bmg_import_csv) on arbitrary bytes, in
 * both modes, against a scratch in-memory database with the real schema
 * (KG_TOP/sql, default ./sql). Every input runs inside a transaction that
 * is rolled back, so inputs do not depend on each other.
 *
 * What must hold: no crash or leak; the counts add up (every data line is
 * added, known or rejected, unless a replacing file was refused, which
 * changes nothing); every pair that reached the table is a valid IIN and a
 * normalised phone.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/bmg.h"
#include "base/db.h"
#include "base/iin.h"
#include "base/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "broken promise: %s\n", #c); abort(); } } while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	const char *top = getenv("KG_TOP");
	char sql[1024], err[512];
	snprintf(sql, sizeof sql, "%s/sql", top && *top ? top : ".");
	if (db_open(":memory:") < 0 || db_migrate(sql, err, sizeof err) < 0) {
		fprintf(stderr, "fuzz_bmg: no scratch database (%s)\n", err);
		exit(2);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int replace = 0; replace <= 1; replace++) {
		CHECK(db_begin() == 0);
		long long before = db_int("SELECT count(*) FROM bmg", -1, NULL);
		struct bmg_result res;
		int rc = bmg_import_csv((const char *)data, size, replace, 0, "fuzz.csv", &res);
		CHECK(rc == 0 || rc == -2);
		if (rc == 0) {
			CHECK(res.lines > 0 && res.import_id > 0);
			if (res.refused) {
				CHECK(replace && res.rejected > 0 && res.added == 0);
				CHECK(db_int("SELECT count(*) FROM bmg", -1, NULL) == before);
			} else {
				CHECK(res.lines == res.added + res.known + res.rejected);
			}
			sqlite3_stmt *st = db_query("SELECT phone, iin FROM bmg", NULL);
			while (db_row(st)) {
				const char *ph = db_col(st, 0), *iin = db_col(st, 1);
				char norm[13];
				CHECK(u_phone(ph, norm) == 0 && strcmp(norm, ph) == 0);
				CHECK(iin_check(iin, 1, NULL) == NULL);
			}
			db_done(st);
		} else {
			CHECK(db_int("SELECT count(*) FROM bmg_import", -1, NULL) == 0);
		}
		CHECK(db_rollback() == 0);
	}
	return 0;
}
