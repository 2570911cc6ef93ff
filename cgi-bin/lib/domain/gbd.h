/*
 * gbd.h — ГБД ФЛ (государственная база данных физических лиц), the national
 * register of persons: who are a child's legal representatives. A child is
 * registered in the queue only by one of them (DOMAIN.md, "Parentage").
 *
 * The lookup is one function so that a deployment can replace it. The
 * setting Gbd.Lookup chooses how it answers:
 *   table    (default) the local copy in the `gbd_person` table, which
 *            support fills by importing CSV files (/admin/gbd,
 *            `kgctl gbd-import`); it also gives the child's names and
 *            birth date, which then replace what the parent typed;
 *   command  runs Gbd.Command CHILD_IIN APPLICANT_IIN (no shell, stdin and
 *            stdout /dev/null, killed after Gbd.TimeoutMs, default 3000):
 *            exit status 0 = the applicant is a legal representative of
 *            the child, 1 = not, anything else (or no answer in time, or
 *            no such program) = the register is unavailable. This mode
 *            gives no names: the parent's typing is kept.
 *
 * CSV import: one child and representative per line,
 *   child IIN; surname; name; patronymic; birth date; representative IIN; relation
 * (';' or ',' or tab; fields may be quoted; a header line, a UTF-8 BOM and
 * CRLF are fine). The birth date is dd.mm.yyyy or yyyy-mm-dd and must be
 * the one the child's IIN carries; the patronymic may be empty. The
 * relation is one of the words of gbd_relation_words (any case): mother,
 * мать, ана; father, отец, әке; guardian, опекун, қорғаншы; trustee,
 * попечитель, қамқоршы; adoptive, усыновитель, удочеритель, асырап алушы.
 * Rejected lines are reported by number and reason; in mode "replace" the
 * file is the whole register and a file with any rejected line changes
 * nothing. A pair already in the register takes the file's names.
 * Prefix gbd_.
 */
#ifndef KG_GBD_H
#define KG_GBD_H

#include <stddef.h>

/* What the register says of an applicant and a child. */
enum gbd_result {
	GBD_REPRESENTATIVE,     /* the applicant is a legal representative */
	GBD_NOT_REPRESENTATIVE, /* the register knows the child, not as the applicant's */
	GBD_UNKNOWN_CHILD,      /* table mode: the register has no such child */
	GBD_UNAVAILABLE,        /* the lookup failed (logged): nothing may be decided */
	GBD__MAX
};
extern const char *const gbd_result_names[GBD__MAX];

/* The relations the register records (gbd_person.relation; the words shown
 * are L.Gbd.rel_<name>). */
enum gbd_relation { GBD_MOTHER, GBD_FATHER, GBD_GUARDIAN, GBD_TRUSTEE, GBD_ADOPTIVE, GBD_REL__MAX };
extern const char *const gbd_relation_names[GBD_REL__MAX];
/* The relation a CSV word names (any letter case, surrounding spaces
 * ignored), or GBD_REL__MAX. */
enum gbd_relation gbd_relation_parse(const char *word);

/* The child as the register records it (table mode only). */
struct gbd_child {
	int found;                 /* 1 when the names below are filled */
	char surname[404], name[404], patronymic[404];  /* 100 letters of up to 4 bytes */
	char birth_date[11];       /* yyyy-mm-dd */
};

/* Looks up the pair. out (may be NULL) gets the child's names when the
 * result is GBD_REPRESENTATIVE in table mode (out->found = 1). */
enum gbd_result gbd_check(const char *child_iin, const char *applicant_iin, struct gbd_child *out);

/* ---- CSV import ---- */

/* Reasons a line is rejected: report codes, also lang keys Gbd.reject_<code>. */
enum gbd_reject {
	GBD_R_COLUMNS,     /* not seven columns */
	GBD_R_CHILD_IIN,   /* the child's IIN: not 12 digits, no such date, check digit */
	GBD_R_PARENT_IIN,  /* the representative's IIN, likewise, or the child's own */
	GBD_R_NAME,        /* surname or name missing, or not letters */
	GBD_R_BIRTH_DATE,  /* not a date, or not the one in the child's IIN */
	GBD_R_RELATION,    /* not a word of the list */
	GBD_R_CHARS,       /* control characters or broken text */
	GBD_R__MAX
};
extern const char *const gbd_reject_names[GBD_R__MAX];

/* One line of the file, checked. Strings point into the line given. */
struct gbd_row {
	const char *child_iin, *surname, *name, *patronymic;
	char birth_date[11];       /* yyyy-mm-dd */
	const char *representative_iin;
	enum gbd_relation relation;
};

/* Parses and checks one line (no line end; modified in place). Returns
 * GBD_R__MAX with *out filled, or the reason it is rejected. Names are
 * kept as written (the import writes them in capitals). */
enum gbd_reject gbd_parse_line(char *line, struct gbd_row *out);

/* Rejected lines kept in the report (the counts are always complete). */
#define GBD_REPORT_MAX 500

struct gbd_import_result {
	long long import_id;   /* the gbd_import row */
	int refused;           /* mode replace with rejected lines: nothing changed */
	long long lines;       /* data lines (header and blank lines not counted) */
	long long added;       /* pairs that were not in the register */
	long long known;       /* pairs already there (their names updated) or repeated */
	long long removed;     /* mode replace: pairs no longer in the register */
	long long rejected;    /* lines refused */
};

/* Imports a CSV file into `gbd_person` inside the caller's open
 * transaction, recording the import and its report in `gbd_import`
 * (actor_id 0 for the command line). replace: 0 adds or updates, 1
 * replaces. Returns 0 with *res filled; -1 on a database error (the caller
 * rolls back); -2 when the file holds no data line (nothing written). */
int gbd_import_csv(const char *data, size_t len, int replace, long long actor_id, const char *filename,
		   struct gbd_import_result *res);

#endif
