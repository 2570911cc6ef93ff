/*
 * Unit tests of the register of persons (cgi-bin/lib/domain/gbd.h): one CSV
 * line read and checked (a good line, each reason a line is rejected), the
 * import (report by line, add and update, replace never with a broken
 * file), and the lookup (the table with the child's names; a deployment's
 * command: exit 0, 1, anything else, a timeout, no such program).
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
#include <time.h>

#include "domain/gbd.h"
#include "base/conf.h"
#include "base/db.h"
#include "base/iin.h"
#include "base/util.h"

#include "unit.h"

/* Parents (valid IINs). */
#define A "900517322416"
#define B "950808477153"

static char kid1[13], kid2[13];

static long long mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static enum gbd_reject parse(const char *line, struct gbd_row *row)
{
	static char buf[1024];
	snprintf(buf, sizeof buf, "%s", line);
	return gbd_parse_line(buf, row);
}

static void a_good_line_is_read_in_every_form(void **st)
{
	(void)st;
	struct gbd_row row;
	char line[256];
	snprintf(line, sizeof line, "%s;Нурланова;Айша;Асхатовна;14.03.2022;" A ";мать", kid1);
	assert_int_equal(parse(line, &row), GBD_R__MAX);
	assert_string_equal(row.child_iin, kid1);
	assert_string_equal(row.surname, "Нурланова");
	assert_string_equal(row.patronymic, "Асхатовна");
	assert_string_equal(row.birth_date, "2022-03-14");
	assert_string_equal(row.representative_iin, A);
	assert_int_equal(row.relation, GBD_MOTHER);
	/* Commas, quotes, an ISO date, no patronymic, English and Kazakh words in any case. */
	snprintf(line, sizeof line, "\"%s\",\"Нурланова\",Айша,,2022-03-14, " A " ,Guardian", kid1);
	assert_int_equal(parse(line, &row), GBD_R__MAX);
	assert_string_equal(row.patronymic, "");
	assert_int_equal(row.relation, GBD_GUARDIAN);
	snprintf(line, sizeof line, "%s\tНурланова\tАйша\t\t14.03.2022\t" A "\tӘКЕ", kid1);
	assert_int_equal(parse(line, &row), GBD_R__MAX);
	assert_int_equal(row.relation, GBD_FATHER);
	assert_int_equal(gbd_relation_parse("асырап алушы"), GBD_ADOPTIVE);
	assert_int_equal(gbd_relation_parse(" Попечитель "), GBD_TRUSTEE);
	assert_int_equal(gbd_relation_parse("қамқоршы"), GBD_TRUSTEE);
	assert_int_equal(gbd_relation_parse("aunt"), GBD_REL__MAX);
}

static void each_bad_line_says_why(void **st)
{
	(void)st;
	struct gbd_row row;
	char bad_sum[13];
	snprintf(bad_sum, sizeof bad_sum, "%s", kid1);
	bad_sum[11] = (char)('0' + (bad_sum[11] - '0' + 1) % 10);
	static const char *const fmt[] = {
		"@;Нурланова;Айша;;14.03.2022;" A,                       /* six columns */
		"@;Нурланова;Айша;;14.03.2022;" A ";мать;лишнее",         /* eight */
		"12345;Нурланова;Айша;;14.03.2022;" A ";мать",             /* child IIN: format */
		"@;Нурланова;Айша;;14.03.2022;900517322417;мать",        /* parent IIN: check digit */
		"@;;Айша;;14.03.2022;" A ";мать",                         /* no surname */
		"@;Нурланова;Айша2;;14.03.2022;" A ";мать",               /* digits in a name */
		"@;Нурланова;Айша;;15.03.2022;" A ";мать",                /* not the IIN's date */
		"@;Нурланова;Айша;;2022-02-30;" A ";мать",                /* no such date */
		"@;Нурланова;Айша;;14.03.2022;" A ";тётя",                /* relation */
		"@;Нурланова;Ай\xff" "ша;;14.03.2022;" A ";мать",         /* broken UTF-8 */
	};
	static const enum gbd_reject why[] = {
		GBD_R_COLUMNS, GBD_R_COLUMNS, GBD_R_CHILD_IIN, GBD_R_PARENT_IIN, GBD_R_NAME, GBD_R_NAME,
		GBD_R_BIRTH_DATE, GBD_R_BIRTH_DATE, GBD_R_RELATION, GBD_R_CHARS,
	};
	for (size_t i = 0; i < sizeof why / sizeof *why; i++) {
		char line[256];
		const char *at = strchr(fmt[i], '@');   /* where the child's IIN goes */
		if (at)
			snprintf(line, sizeof line, "%.*s%s%s", (int)(at - fmt[i]), fmt[i], kid1, at + 1);
		else
			snprintf(line, sizeof line, "%s", fmt[i]);
		assert_int_equal(parse(line, &row), why[i]);
	}
	char line[256];
	snprintf(line, sizeof line, "%s;Нурланова;Айша;;14.03.2022;" A ";мать", bad_sum);
	assert_int_equal(parse(line, &row), GBD_R_CHILD_IIN);
	snprintf(line, sizeof line, "%s;Нурланова;Айша;;14.03.2022;%s;мать", kid1, kid1);
	assert_int_equal(parse(line, &row), GBD_R_PARENT_IIN); /* the child's own */
}

static int import(const char *csv, int replace, struct gbd_import_result *res)
{
	assert_int_equal(db_begin(), 0);
	int rc = gbd_import_csv(csv, strlen(csv), replace, 0, "g.csv", res);
	if (rc == 0)
		assert_int_equal(db_commit(), 0);
	else
		db_rollback();
	return rc;
}

static long long rows(void) { return db_int("SELECT count(*) FROM gbd_person", -1, NULL); }

static void the_import_reports_adds_updates_and_replaces(void **st)
{
	(void)st;
	db_exec("DELETE FROM gbd_person", NULL);
	struct gbd_import_result res;
	char csv[1024];
	snprintf(csv, sizeof csv,
		 "\xEF\xBB\xBFИИН ребенка;Фамилия;Имя;Отчество;Дата рождения;ИИН представителя;Кем приходится\r\n"
		 "%s;Нурланова;Айша;Асхатовна;14.03.2022;" A ";отец\r\n"
		 "%s;Нурланова;Айша;Асхатовна;14.03.2022;" B ";мать\r\n"
		 "%s;Нурланова;Айша;;14.03.2022;" A ";тётя\r\n"
		 "\r\n"
		 "%s;Сейтова;Мира;;01.01.2023;" B ";мать\n",
		 kid1, kid1, kid1, kid2);
	assert_int_equal(import(csv, 0, &res), 0);
	assert_int_equal(res.lines, 4);
	assert_int_equal(res.added, 3);
	assert_int_equal(res.rejected, 1);
	char report[200] = "";
	db_text(report, sizeof report, "SELECT report FROM gbd_import WHERE id = ?", "I", res.import_id);
	assert_string_equal(report, "4\trelation\n");
	/* Names are stored in capitals. */
	char name[64] = "";
	db_text(name, sizeof name, "SELECT surname FROM gbd_person WHERE child_iin = ? AND representative_iin = ?", "tt",
		kid1, A);
	assert_string_equal(name, "НУРЛАНОВА");
	/* Again with new names: updated, not added. */
	snprintf(csv, sizeof csv, "%s;Нурланова;Айым;;14.03.2022;" A ";отец\n", kid1);
	assert_int_equal(import(csv, 0, &res), 0);
	assert_int_equal(res.added, 0);
	assert_int_equal(res.known, 1);
	db_text(name, sizeof name, "SELECT name FROM gbd_person WHERE child_iin = ? AND representative_iin = ?", "tt", kid1,
		A);
	assert_string_equal(name, "АЙЫМ");
	/* Replace with a rejected line: refused, nothing changes. */
	snprintf(csv, sizeof csv, "%s;Нурланова;Айым;;14.03.2022;" A ";отец\nмусор\n", kid1);
	assert_int_equal(import(csv, 1, &res), 0);
	assert_int_equal(res.refused, 1);
	assert_int_equal(rows(), 3);
	/* A clean replace removes the rest. */
	snprintf(csv, sizeof csv, "%s;Нурланова;Айым;;14.03.2022;" A ";отец\n", kid1);
	assert_int_equal(import(csv, 1, &res), 0);
	assert_int_equal(res.refused, 0);
	assert_int_equal(res.removed, 2);
	assert_int_equal(rows(), 1);
	/* No data line: nothing written. */
	assert_int_equal(import("ИИН;Фамилия\n\n", 0, &res), -2);
}

static void the_table_answers_with_the_childs_names(void **st)
{
	(void)st;
	db_exec("DELETE FROM gbd_person", NULL);
	assert_int_equal(db_exec("INSERT INTO gbd_person(child_iin, surname, name, patronymic, birth_date, representative_iin, "
				 "relation, imported_at) VALUES (?, 'НУРЛАНОВА', 'АЙША', '', '2022-03-14', ?, 'mother', 0)",
				 "tt", kid1, A),
			 SQLITE_DONE);
	struct gbd_child c;
	assert_int_equal(gbd_check(kid1, A, &c), GBD_REPRESENTATIVE);
	assert_int_equal(c.found, 1);
	assert_string_equal(c.surname, "НУРЛАНОВА");
	assert_string_equal(c.birth_date, "2022-03-14");
	assert_int_equal(gbd_check(kid1, B, &c), GBD_NOT_REPRESENTATIVE);
	assert_int_equal(c.found, 0);
	assert_int_equal(gbd_check(kid2, A, &c), GBD_UNKNOWN_CHILD);
}

static void the_lookup_can_be_a_deployments_command(void **st)
{
	(void)st;
	char script[400];
	snprintf(script, sizeof script, "%s/gbd.sh", ut_dir);
	FILE *f = fopen(script, "w");
	assert_non_null(f);
	/* A is kid1's parent; B's lookups fail (exit 2); kid2 makes it hang. */
	fprintf(f, "#!/bin/sh\n[ \"$1\" = %s ] && sleep 5\n[ \"$2\" = " B " ] && exit 2\n"
		   "[ \"$1\" = %s ] && [ \"$2\" = " A " ] && exit 0\nexit 1\n", kid2, kid1);
	fclose(f);
	chmod(script, 0755);
	HDF *h = conf_hdf();
	hdf_set_value(h, "Gbd.Lookup", "command");
	hdf_set_value(h, "Gbd.Command", script);
	hdf_set_value(h, "Gbd.TimeoutMs", "300");
	struct gbd_child c;
	assert_int_equal(gbd_check(kid1, A, &c), GBD_REPRESENTATIVE);
	assert_int_equal(c.found, 0); /* no names from a command */
	assert_int_equal(gbd_check(kid1, "111111111111", &c), GBD_NOT_REPRESENTATIVE);
	assert_int_equal(gbd_check(kid1, B, &c), GBD_UNAVAILABLE);
	long long t0 = mono_ms();
	assert_int_equal(gbd_check(kid2, A, &c), GBD_UNAVAILABLE);
	assert_true(mono_ms() - t0 < 3000); /* killed at the time limit */
	hdf_set_value(h, "Gbd.Command", "/nonexistent/kg-gbd");
	assert_int_equal(gbd_check(kid1, A, &c), GBD_UNAVAILABLE);
	hdf_set_value(h, "Gbd.Command", "");
	assert_int_equal(gbd_check(kid1, A, &c), GBD_UNAVAILABLE);
	hdf_set_value(h, "Gbd.Lookup", "table");
}

static int setup(void **st)
{
	(void)st;
	iin_make(2022, 3, 14, 'F', 100, kid1);
	iin_make(2023, 1, 1, 'F', 200, kid2);
	return ut_setup("gbd", 0, "App.IinChecksum = 1\n");
}

static int teardown(void **st)
{
	(void)st;
	return ut_teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_good_line_is_read_in_every_form),
		cmocka_unit_test(each_bad_line_says_why),
		cmocka_unit_test(the_import_reports_adds_updates_and_replaces),
		cmocka_unit_test(the_table_answers_with_the_childs_names),
		cmocka_unit_test(the_lookup_can_be_a_deployments_command),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
