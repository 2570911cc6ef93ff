/* bmg.c — see bmg.h. */
#include "domain/bmg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/conf.h"
#include "base/db.h"
#include "base/log.h"
#include "base/util.h"
#include "base/iin.h"

const char *const bmg_reject_names[BMG_R__MAX] = {
	[BMG_R_COLUMNS] = "columns",     [BMG_R_IIN_FORMAT] = "iin_format", [BMG_R_IIN_DATE] = "iin_date",
	[BMG_R_IIN_CHECKSUM] = "iin_checksum", [BMG_R_PHONE] = "phone",   [BMG_R_CHARS] = "chars",
};

/* ---- lookup ---- */

static int by_command(const char *phone, const char *iin)
{
	const char *cmd = conf_get("Bmg.Command", "");
	if (!*cmd) {
		log_err("bmg: Bmg.Lookup is command but Bmg.Command is empty");
		return -1;
	}
	const char *argv[] = {cmd, phone, iin, NULL};
	int rc = u_run(argv, conf_int("Bmg.CommandTimeoutMs", 5000));
	if (rc == 0)
		return 1;
	if (rc == 1)
		return 0;
	char why[96];
	log_err("bmg: %s %s", cmd, u_run_error(rc, why));
	return -1;
}

int bmg_pair_exists(const char *phone, const char *iin)
{
	if (!phone || !iin)
		return 0;
	if (strcmp(conf_get("Bmg.Lookup", "table"), "command") == 0)
		return by_command(phone, iin);
	sqlite3_stmt *st = db_query("SELECT 1 FROM bmg WHERE phone = ? AND iin = ?", "tt", phone, iin);
	if (!st)
		return -1;
	int found = db_row(st);
	db_done(st);
	return found;
}

/* ---- CSV import ---- */


/* Splits a line at its separator (the first ';', else ',', else tab).
 * Returns the number of non-empty fields found (up to 3 kept). */
static int split(char *line, char *f[3])
{
	char sep = strchr(line, ';') ? ';' : strchr(line, ',') ? ',' : '\t';
	int n = 0, nonempty = 0;
	char *p = line;
	for (;;) {
		char *e = strchr(p, sep);
		if (e)
			*e = '\0';
		char *v = u_csv_field(p);
		if (n < 3)
			f[n] = v;
		n++;
		if (*v)
			nonempty++;
		if (!e)
			break;
		p = e + 1;
	}
	/* "IIN;phone;" (a trailing separator) is two columns. */
	if (n == 3 && !*f[2])
		n = 2;
	for (int i = n; i < 3; i++)
		f[i] = "";
	return n == 2 && *f[0] && *f[1] ? 2 : (nonempty ? n : 0);
}

static int is_header(char *f[3])
{
	/* A first line whose first column has a letter: "IIN;phone", "ИИН;Телефон". */
	for (const unsigned char *p = (const unsigned char *)f[0]; *p; p++)
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p >= 0x80)
			return 1;
	return 0;
}

static enum bmg_reject check_iin(const char *s)
{
	const char *e = iin_check(s, conf_int("App.IinChecksum", 1) != 0, NULL);
	if (!e)
		return BMG_R__MAX;
	if (strcmp(e, "Err.iin_checksum") == 0)
		return BMG_R_IIN_CHECKSUM;
	if (strcmp(e, "Err.iin_date") == 0)
		return BMG_R_IIN_DATE;
	return BMG_R_IIN_FORMAT;
}

int bmg_import_csv(const char *data, size_t len, int replace, long long actor_id, const char *filename,
		   struct bmg_result *res)
{
	memset(res, 0, sizeof *res);
	char *text = malloc(len + 1);
	if (!text)
		return -1;
	memcpy(text, data, len);
	text[len] = '\0';
	char *p = text;
	if (len >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF)
		p += 3;
	if (db_exec("CREATE TEMP TABLE IF NOT EXISTS bmg_seen (phone TEXT NOT NULL, iin TEXT NOT NULL, "
		    "PRIMARY KEY (phone, iin)) WITHOUT ROWID", NULL) != SQLITE_DONE ||
	    db_exec("DELETE FROM temp.bmg_seen", NULL) != SQLITE_DONE) {
		free(text);
		return -1;
	}
	long long now = u_now();
	struct buf report = {0};
	long long lineno = 0;
	int first = 1, rc = 0;
	/* Rows are staged in bmg_seen first: a replacing file with errors then
	 * changes nothing in bmg itself. */
	char *end = text + len, *line;
	int nul;
	while ((line = u_csv_line(&p, end, &lineno, &nul))) {
		char *f[3];
		enum bmg_reject why = BMG_R__MAX;
		int nf = -1;
		/* (1: a tab separator is fine; the line has no line break left.) */
		if (nul || !u_utf8_valid(line, 1)) {
			int header = 0;
			if (first && !nul) { /* a header in another encoding (Excel's cp1251) */
				char *hf[3];
				char *copy = strdup(line);
				header = copy && split(copy, hf) >= 1 && is_header(hf);
				free(copy);
			}
			first = 0;
			if (header)
				continue;
			why = BMG_R_CHARS;
		} else {
			nf = split(line, f);
			if (first) {
				first = 0;
				if (nf >= 1 && is_header(f))
					continue;
			}
		}
		res->lines++;
		char phone[13];
		if (why == BMG_R__MAX && nf != 2)
			why = BMG_R_COLUMNS;
		if (why == BMG_R__MAX)
			why = check_iin(f[0]);
		if (why == BMG_R__MAX && u_phone(f[1], phone) < 0)
			why = BMG_R_PHONE;
		if (why != BMG_R__MAX) {
			res->rejected++;
			if (res->rejected <= BMG_REPORT_MAX)
				buf_printf(&report, "%lld\t%s\n", lineno, bmg_reject_names[why]);
			continue;
		}
		int e = db_exec("INSERT INTO temp.bmg_seen(phone, iin) VALUES (?, ?) ON CONFLICT DO NOTHING", "tt", phone,
				f[0]);
		if (e != SQLITE_DONE) {
			rc = -1;
			break;
		}
		if (db_changes() == 0)
			res->known++; /* the same pair twice in the file */
	}
	free(text);
	if (rc < 0) {
		buf_free(&report);
		return -1;
	}
	if (res->lines == 0) {
		buf_free(&report);
		return -2;
	}
	res->refused = replace && res->rejected > 0;
	if (!res->refused) {
		if (replace) {
			if (db_exec("DELETE FROM bmg WHERE NOT EXISTS (SELECT 1 FROM temp.bmg_seen s "
				    "WHERE s.phone = bmg.phone AND s.iin = bmg.iin)", NULL) != SQLITE_DONE)
				rc = -1;
			res->removed = db_changes();
		}
		if (rc == 0 && db_exec("INSERT INTO bmg(phone, iin, imported_at) SELECT phone, iin, ? FROM temp.bmg_seen "
				       "WHERE true ON CONFLICT(phone, iin) DO NOTHING", "I", now) != SQLITE_DONE)
			rc = -1;
		res->added = db_changes();
		long long staged = db_int("SELECT count(*) FROM temp.bmg_seen", 0, NULL);
		res->known += staged - res->added;
	} else {
		res->known = 0;
	}
	unsigned char h[32];
	char hex[65];
	u_sha256(data, len, h);
	u_hex(h, 32, hex);
	if (rc == 0 &&
	    db_exec("INSERT INTO bmg_import(at, actor_id, filename, sha256, mode, status, lines, added, known, removed, "
		    "rejected, report) VALUES (?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    "IIttttIIIIIt", now, actor_id, filename ? filename : "", hex, replace ? "replace" : "add",
		    res->refused ? "refused" : "done", res->lines, res->added, res->known, res->removed, res->rejected,
		    report.s ? report.s : "") != SQLITE_DONE)
		rc = -1;
	if (rc == 0)
		res->import_id = db_last_id();
	db_exec("DELETE FROM temp.bmg_seen", NULL);
	buf_free(&report);
	return rc;
}
