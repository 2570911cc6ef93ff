/*
 * bmg.h — БМГ (база мобильных граждан): the national registry that binds a
 * phone number to an IIN. Logging in by one-time code needs the pair to be
 * in it (seed 003: «номер и ИИН был привязан в БМГ»).
 *
 * The lookup is one function so that a deployment can replace it. The
 * setting Bmg.Lookup chooses how it answers:
 *   table    (default) the local copy in the `bmg` table, which support
 *            fills by importing CSV files (/admin/bmg, `kgctl bmg-import`);
 *   command  runs Bmg.Command PHONE IIN (no shell, Bmg.CommandTimeoutMs):
 *            exit status 0 = the pair is registered, 1 = it is not,
 *            anything else = the lookup failed. This is how a hosting team
 *            plugs in the national service without changing the code.
 *
 * CSV import: one pair per line, "IIN;phone" or "IIN,phone" (a tab works
 * too), fields may be quoted, a header line is optional, a UTF-8 BOM and
 * CRLF line ends are fine. Phones are normalised to +7 and ten digits (val.h).
 * Every line is checked (IIN format, date and checksum as App.IinChecksum
 * says; a Kazakhstan phone; two columns); rejected lines are reported by
 * number and reason, the good ones are written. In mode "replace" the file
 * is the whole registry: pairs not in it are removed, and a file with any
 * rejected line changes nothing (a broken export must not empty the
 * registry). Prefix bmg_.
 */
#ifndef KG_BMG_H
#define KG_BMG_H

#include <stddef.h>

/* 1 when the pair (phone +7 and ten digits, 12-digit IIN) is in БМГ, 0 when it
 * is not, -1 when the lookup failed (logged; callers fail closed and say
 * the service is unavailable, never "not registered"). */
int bmg_pair_exists(const char *phone, const char *iin);

/* Reasons a line is rejected: report codes, also lang keys Bmg.reject_<code>. */
enum bmg_reject {
	BMG_R_COLUMNS,      /* not two columns "IIN;phone" */
	BMG_R_IIN_FORMAT,   /* not 12 digits */
	BMG_R_IIN_DATE,     /* no such birth date in the IIN */
	BMG_R_IIN_CHECKSUM, /* check digit wrong */
	BMG_R_PHONE,        /* not a Kazakhstan phone number */
	BMG_R_CHARS,        /* control characters or broken text */
	BMG_R__MAX
};
extern const char *const bmg_reject_names[BMG_R__MAX];

/* Rejected lines kept in the report (the counts are always complete). */
#define BMG_REPORT_MAX 500

struct bmg_result {
	long long import_id;   /* the bmg_import row */
	int refused;           /* mode replace with rejected lines: nothing changed */
	long long lines;       /* data lines (header and blank lines not counted) */
	long long added;       /* pairs that were not in БМГ */
	long long known;       /* pairs already there (or repeated in the file) */
	long long removed;     /* mode replace: pairs no longer in the registry */
	long long rejected;    /* lines refused */
};

/* Imports a CSV file into the `bmg` table inside the caller's open
 * transaction (db_begin), recording the import and its report in
 * `bmg_import` (actor_id 0 for the command line). replace: 0 adds, 1
 * replaces. Returns 0 with *res filled; -1 on a database error (the caller
 * rolls back); -2 when the file holds no data line at all (nothing
 * written). */
int bmg_import_csv(const char *data, size_t len, int replace, long long actor_id, const char *filename,
		   struct bmg_result *res);

#endif
