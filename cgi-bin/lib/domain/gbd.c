/* gbd.c — see gbd.h. */
#include "domain/gbd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cal.h"
#include "base/conf.h"
#include "base/db.h"
#include "base/iin.h"
#include "base/log.h"
#include "base/util.h"
#include "domain/queue.h"

const char *const gbd_result_names[GBD__MAX] = {
	[GBD_REPRESENTATIVE] = "representative", [GBD_NOT_REPRESENTATIVE] = "not_representative",
	[GBD_UNKNOWN_CHILD] = "unknown_child", [GBD_UNAVAILABLE] = "unavailable",
};
const char *const gbd_relation_names[GBD_REL__MAX] = {
	[GBD_MOTHER] = "mother", [GBD_FATHER] = "father", [GBD_GUARDIAN] = "guardian",
	[GBD_TRUSTEE] = "trustee", [GBD_ADOPTIVE] = "adoptive",
};
const char *const gbd_reject_names[GBD_R__MAX] = {
	[GBD_R_COLUMNS] = "columns", [GBD_R_CHILD_IIN] = "child_iin", [GBD_R_PARENT_IIN] = "parent_iin",
	[GBD_R_NAME] = "name",       [GBD_R_BIRTH_DATE] = "birth_date", [GBD_R_RELATION] = "relation",
	[GBD_R_CHARS] = "chars",
};

/* The words a CSV may use for a relation, in capitals (queue_upper). */
static const struct {
	const char *word;
	enum gbd_relation rel;
} relation_words[] = {
	{"MOTHER", GBD_MOTHER},        {"МАТЬ", GBD_MOTHER},          {"АНА", GBD_MOTHER},
	{"FATHER", GBD_FATHER},        {"ОТЕЦ", GBD_FATHER},          {"ӘКЕ", GBD_FATHER},
	{"GUARDIAN", GBD_GUARDIAN},    {"ОПЕКУН", GBD_GUARDIAN},      {"ҚОРҒАНШЫ", GBD_GUARDIAN},
	{"TRUSTEE", GBD_TRUSTEE},      {"ПОПЕЧИТЕЛЬ", GBD_TRUSTEE},   {"ҚАМҚОРШЫ", GBD_TRUSTEE},
	{"ADOPTIVE", GBD_ADOPTIVE},    {"УСЫНОВИТЕЛЬ", GBD_ADOPTIVE}, {"УДОЧЕРИТЕЛЬ", GBD_ADOPTIVE},
	{"АСЫРАП АЛУШЫ", GBD_ADOPTIVE},
};

enum gbd_relation gbd_relation_parse(const char *word)
{
	struct arena *a = arena_new();
	if (!a)
		return GBD_REL__MAX;
	const char *up = queue_upper(a, word);
	enum gbd_relation rel = GBD_REL__MAX;
	for (size_t i = 0; up && i < sizeof relation_words / sizeof *relation_words; i++)
		if (strcmp(up, relation_words[i].word) == 0)
			rel = relation_words[i].rel;
	arena_free(a);
	return rel;
}

/* ---- lookup ---- */

static enum gbd_result by_command(const char *child_iin, const char *applicant_iin)
{
	const char *cmd = conf_get("Gbd.Command", "");
	if (!*cmd) {
		log_err("gbd: Gbd.Lookup is command but Gbd.Command is empty");
		return GBD_UNAVAILABLE;
	}
	const char *argv[] = {cmd, child_iin, applicant_iin, NULL};
	int rc = u_run(argv, conf_int("Gbd.TimeoutMs", 3000));
	if (rc == 0)
		return GBD_REPRESENTATIVE;
	if (rc == 1)
		return GBD_NOT_REPRESENTATIVE;
	char why[96];
	log_err("gbd: %s %s", cmd, u_run_error(rc, why));
	return GBD_UNAVAILABLE;
}

static void copy(char *dst, size_t n, const char *s) { snprintf(dst, n, "%s", s ? s : ""); }

static enum gbd_result by_table(const char *child_iin, const char *applicant_iin, struct gbd_child *out)
{
	/* The applicant's row first, else any row of the child. */
	sqlite3_stmt *st = db_query("SELECT representative_iin = ?, surname, name, patronymic, birth_date FROM gbd_person "
				    "WHERE child_iin = ? ORDER BY representative_iin = ? DESC LIMIT 1",
				    "ttt", applicant_iin, child_iin, applicant_iin);
	if (!st)
		return GBD_UNAVAILABLE;
	enum gbd_result res = GBD_UNKNOWN_CHILD;
	if (db_row(st)) {
		res = sqlite3_column_int(st, 0) ? GBD_REPRESENTATIVE : GBD_NOT_REPRESENTATIVE;
		if (res == GBD_REPRESENTATIVE && out) {
			out->found = 1;
			copy(out->surname, sizeof out->surname, db_col(st, 1));
			copy(out->name, sizeof out->name, db_col(st, 2));
			copy(out->patronymic, sizeof out->patronymic, db_col(st, 3));
			copy(out->birth_date, sizeof out->birth_date, db_col(st, 4));
		}
	}
	if (db_end(st) < 0)
		return GBD_UNAVAILABLE;
	return res;
}

enum gbd_result gbd_check(const char *child_iin, const char *applicant_iin, struct gbd_child *out)
{
	if (out)
		memset(out, 0, sizeof *out);
	if (!child_iin || !applicant_iin)
		return GBD_NOT_REPRESENTATIVE;
	if (strcmp(conf_get("Gbd.Lookup", "table"), "command") == 0)
		return by_command(child_iin, applicant_iin);
	return by_table(child_iin, applicant_iin, out);
}

/* ---- one line ---- */


#define NCOLS 7

/* Splits a line at its separator (';' if any, else ',', else tab) into at
 * most NCOLS fields (a trailing empty one is dropped). Returns the count. */
static int split(char *line, char *f[NCOLS])
{
	char sep = strchr(line, ';') ? ';' : strchr(line, ',') ? ',' : '\t';
	int n = 0;
	char *p = line;
	for (;;) {
		char *e = strchr(p, sep);
		if (e)
			*e = '\0';
		char *v = u_csv_field(p);
		if (n < NCOLS)
			f[n] = v;
		n++;
		if (!e)
			break;
		p = e + 1;
	}
	if (n == NCOLS + 1 && !*u_csv_field(p))
		n = NCOLS;
	for (int i = n; i < NCOLS; i++)
		f[i] = "";
	return n;
}

/* A header: the first column holds a letter ("ИИН ребенка", "child_iin"). */
static int is_header(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p >= 0x80)
			return 1;
	return 0;
}

static int iin_ok(const char *s, struct iin_info *ii)
{
	return iin_check(s, conf_int("App.IinChecksum", 1) != 0, ii) == NULL;
}

enum gbd_reject gbd_parse_line(char *line, struct gbd_row *out)
{
	memset(out, 0, sizeof *out);
	if (!u_utf8_valid(line, 1))
		return GBD_R_CHARS;
	char *f[NCOLS];
	if (split(line, f) != NCOLS)
		return GBD_R_COLUMNS;
	struct iin_info ci;
	if (!iin_ok(f[0], &ci))
		return GBD_R_CHILD_IIN;
	if (!iin_ok(f[5], NULL) || strcmp(f[0], f[5]) == 0)
		return GBD_R_PARENT_IIN;
	if (!queue_name_ok(f[1]) || !queue_name_ok(f[2]) || (*f[3] && !queue_name_ok(f[3])) ||
	    strlen(f[1]) > 100 || strlen(f[2]) > 100 || strlen(f[3]) > 100)
		return GBD_R_NAME;
	int day;
	if ((cal_parse_date(f[4], &day) < 0 && cal_parse_iso(f[4], &day) < 0) || day != ci.birth)
		return GBD_R_BIRTH_DATE;
	enum gbd_relation rel = gbd_relation_parse(f[6]);
	if (rel == GBD_REL__MAX)
		return GBD_R_RELATION;
	out->child_iin = f[0];
	out->surname = f[1];
	out->name = f[2];
	out->patronymic = f[3];
	cal_format_iso(day, out->birth_date);
	out->representative_iin = f[5];
	out->relation = rel;
	return GBD_R__MAX;
}

/* ---- the import ---- */

/* Stages one good row (names in capitals) in temp.gbd_seen; a repeat in
 * the file replaces the earlier line's names. 0 or -1. */
static int stage(struct arena *a, const struct gbd_row *row)
{
	int e = db_exec("INSERT INTO temp.gbd_seen(child_iin, representative_iin, surname, name, patronymic, birth_date, "
			"relation) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET surname = excluded.surname, "
			"name = excluded.name, patronymic = excluded.patronymic, birth_date = excluded.birth_date, "
			"relation = excluded.relation",
			"ttttttt", row->child_iin, row->representative_iin, queue_upper(a, row->surname),
			queue_upper(a, row->name), queue_upper(a, row->patronymic), row->birth_date,
			gbd_relation_names[row->relation]);
	if (e != SQLITE_DONE)
		return -1;
	return 0;
}

/* Moves the staged rows into gbd_person (removing the others in mode
 * replace). 0 or -1. */
static int apply(int replace, long long now, struct gbd_import_result *res)
{
	if (replace) {
		if (db_exec("DELETE FROM gbd_person WHERE NOT EXISTS (SELECT 1 FROM temp.gbd_seen s "
			    "WHERE s.child_iin = gbd_person.child_iin AND s.representative_iin = gbd_person.representative_iin)",
			    NULL) != SQLITE_DONE)
			return -1;
		res->removed = db_changes();
	}
	long long before = db_int("SELECT count(*) FROM gbd_person", -1, NULL);
	if (before < 0 ||
	    db_exec("INSERT INTO gbd_person(child_iin, representative_iin, surname, name, patronymic, birth_date, relation, "
		    "imported_at) SELECT child_iin, representative_iin, surname, name, patronymic, birth_date, relation, ? "
		    "FROM temp.gbd_seen WHERE true ON CONFLICT(child_iin, representative_iin) DO UPDATE SET "
		    "surname = excluded.surname, name = excluded.name, patronymic = excluded.patronymic, "
		    "birth_date = excluded.birth_date, relation = excluded.relation, imported_at = excluded.imported_at",
		    "I", now) != SQLITE_DONE)
		return -1;
	long long after = db_int("SELECT count(*) FROM gbd_person", -1, NULL);
	if (after < 0)
		return -1;
	res->added = after - before;
	res->known = res->lines - res->rejected - res->added; /* updated, or repeated in the file */
	return 0;
}

static int record(const char *data, size_t len, int replace, long long actor_id, const char *filename, long long now,
		  const char *report, struct gbd_import_result *res)
{
	unsigned char h[32];
	char hex[65];
	u_sha256(data, len, h);
	u_hex(h, 32, hex);
	if (db_exec("INSERT INTO gbd_import(at, actor_id, filename, sha256, mode, status, lines, added, known, removed, "
		    "rejected, report) VALUES (?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    "IIttttIIIIIt", now, actor_id, filename ? filename : "", hex, replace ? "replace" : "add",
		    res->refused ? "refused" : "done", res->lines, res->added, res->known, res->removed, res->rejected,
		    report ? report : "") != SQLITE_DONE)
		return -1;
	res->import_id = db_last_id();
	return 0;
}

int gbd_import_csv(const char *data, size_t len, int replace, long long actor_id, const char *filename,
		   struct gbd_import_result *res)
{
	memset(res, 0, sizeof *res);
	if (db_exec("CREATE TEMP TABLE IF NOT EXISTS gbd_seen (child_iin TEXT NOT NULL, representative_iin TEXT NOT NULL, "
		    "surname TEXT NOT NULL, name TEXT NOT NULL, patronymic TEXT NOT NULL, birth_date TEXT NOT NULL, "
		    "relation TEXT NOT NULL, PRIMARY KEY (child_iin, representative_iin)) WITHOUT ROWID", NULL) != SQLITE_DONE ||
	    db_exec("DELETE FROM temp.gbd_seen", NULL) != SQLITE_DONE)
		return -1;
	char *text = malloc(len + 1);
	struct arena *a = arena_new();
	if (!text || !a) {
		free(text);
		arena_free(a);
		return -1;
	}
	memcpy(text, data, len);
	text[len] = '\0';
	char *p = text, *end = text + len;
	if (len >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF)
		p += 3;
	long long now = u_now();
	struct buf report = {0};
	long long lineno = 0;
	int first = 1, rc = 0;
	char *line;
	int nul;
	while (rc == 0 && (line = u_csv_line(&p, end, &lineno, &nul))) {
		if (first) {
			first = 0;
			char *c = strdup(line), *f[NCOLS];
			int header = !nul && c && split(c, f) >= 1 && is_header(f[0]);
			free(c);
			if (header)
				continue;
		}
		res->lines++;
		struct gbd_row row;
		enum gbd_reject why = nul ? GBD_R_CHARS : gbd_parse_line(line, &row);
		if (why != GBD_R__MAX) {
			res->rejected++;
			if (res->rejected <= GBD_REPORT_MAX)
				buf_printf(&report, "%lld\t%s\n", lineno, gbd_reject_names[why]);
			continue;
		}
		arena_reset(a);
		rc = stage(a, &row);
	}
	free(text);
	arena_free(a);
	if (rc == 0 && res->lines == 0)
		rc = -2;
	if (rc == 0) {
		res->refused = replace && res->rejected > 0;
		if (!res->refused)
			rc = apply(replace, now, res);
	}
	if (rc == 0)
		rc = record(data, len, replace, actor_id, filename, now, report.s, res);
	db_exec("DELETE FROM temp.gbd_seen", NULL);
	buf_free(&report);
	return rc;
}
