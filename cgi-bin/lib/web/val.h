/*
 * val.h — typed input validation from a table of fields.
 *
 * A screen declares its form once:
 *
 *   enum { F_IIN, F_NAME, F_YEAR, F__MAX };
 *   static const struct vfield fields[F__MAX] = {
 *     [F_IIN]  = { "child_iin",  V_IIN,  VF_REQUIRED },
 *     [F_NAME] = { "child_name", V_TEXT, VF_REQUIRED, 2, 200 },
 *     [F_YEAR] = { "year",       V_INT,  VF_REQUIRED, 2015, 2030 },
 *   };
 *   struct vval v[F__MAX];
 *   if (val_form(r, fields, F__MAX, v) > 0) return render_form_again(r);
 *   ... v[F_YEAR].i, v[F_IIN].s, v[F_IIN].iin.birth ...
 *
 * Each failing field gets Errors.<name> (the message in the request's
 * language) and the form keeps its values (templates print Query.<name>).
 * Handlers and business code never read raw parameters. Prefix val_.
 */
#ifndef KG_VAL_H
#define KG_VAL_H

#include "base/iin.h"
#include "web/req.h"

enum vtype {
	V_TEXT,    /* one line of UTF-8 text, trimmed; length in characters within [min, max] */
	V_MEMO,    /* multi-line text, trimmed */
	V_INT,     /* decimal integer within [min, max] */
	V_DATE,    /* dd.mm.yyyy, a real date; .i = days since 1970-01-01 */
	V_IIN,     /* 12 digits, real date, checksum (unless App.IinChecksum = 0) */
	V_BIN,     /* 12 digits with the same checksum */
	V_PHONE,   /* Kazakhstan number, normalised to +7 and ten digits */
	V_EMAIL,
	V_ENUM,    /* one of choices[] (NULL-terminated); .i = its index */
	V_BOOL,    /* checkbox: present and "1"/"on" -> 1, absent -> 0 */
	V_TOKEN,   /* [A-Za-z0-9._-] within [min, max] characters */
};

enum { VF_REQUIRED = 1 << 0 };

struct vfield {
	const char *name;
	enum vtype type;
	unsigned flags;
	long long min, max;            /* lengths or values; 0,0 = defaults */
	const char *const *choices;    /* V_ENUM */
};

struct vval {
	int present;      /* a non-empty value was given */
	const char *s;    /* normalised text (arena); "" when absent */
	long long i;      /* V_INT, V_ENUM index, V_DATE days, V_BOOL */
	struct iin_info iin;
	const char *err;  /* lang key of the error, NULL if valid */
};

/* Validates every field; returns the number of invalid ones. */
int val_form(struct req *r, const struct vfield *f, size_t n, struct vval *out);
/* Validates one value outside a form (e.g. a search box). Returns NULL or
 * the lang key of the error. */
const char *val_one(struct req *r, const struct vfield *f, const char *raw, struct vval *out);

/* The IIN rule is iin_check (base/iin.h), a phone's u_phone (util.h). */
/* A plausible e-mail address: 1 or 0. */
int val_email(const char *s);

#endif
