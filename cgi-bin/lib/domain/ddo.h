/*
 * ddo.h — the DDOs (дошкольные организации) as support keeps them: create,
 * edit (which also activates and deactivates), read one, the list with its
 * filter, and the active DDOs a form offers.
 *
 * CHANGES (ddo_create, ddo_update) open their own transaction (BEGIN
 * IMMEDIATE) and write their audit row (ddo_created / ddo_updated, by the
 * actor) in it: either both happen or nothing does. The caller validates
 * the data first (lengths, formats, the district).
 *
 * READS return 1 found, 0 none, -1 on a database error; counts and lists
 * return -1 on a database error. Prefix ddo_.
 */
#ifndef KG_DDO_H
#define KG_DDO_H

#include "base/actor.h"

enum ddo_kind { DDO_STATE, DDO_PRIVATE_SUBSIDISED, DDO_MINI_CENTRE, DDO_KIND__MAX };
/* "state", "private_subsidised", "mini_centre", NULL: the values of
 * ddo.kind, in the enum's order. */
extern const char *const ddo_kind_names[DDO_KIND__MAX + 1];

enum ddo_err {
	DDO_OK,
	DDO_ERR_DB,        /* a database error (logged); nothing changed */
	DDO_ERR_NOT_FOUND, /* no DDO with that id */
	DDO_ERR_KIND,      /* not a kind */
	DDO_ERR__MAX
};
/* "ok", "db", "not_found", "kind": in the enum's order. */
extern const char *const ddo_err_names[DDO_ERR__MAX];

/* A DDO's data as a change gives it (NULL reads as ""). */
struct ddo_data {
	const char *name_kk, *name_ru, *address, *phone, *website;
	enum ddo_kind kind;
	const char *owner_iin, *owner_phone, *owner_email;
	long long district;
	const char *bin;      /* NULL: none */
	long long capacity;
	int active;           /* ddo_update only; a new DDO is active */
};

/* A new DDO; *id its id. */
enum ddo_err ddo_create(struct actor by, const struct ddo_data *d, long long now, long long *id);
/* All of DDO id's data from d. DDO_ERR_NOT_FOUND. */
enum ddo_err ddo_update(struct actor by, long long id, const struct ddo_data *d, long long now);

/* ---- reading ---- */

struct ddo {
	long long id, district, capacity;
	char kind[32];
	char name_kk[1024], name_ru[1024], address[1024], phone[64], website[1024];
	char owner_iin[16], owner_phone[64], owner_email[320];
	char bin[16];         /* "" when none */
	int active;
};

/* DDO id into *out. 1, 0, -1. */
int ddo_get(long long id, struct ddo *out);
/* Whether DDO id exists: 1, 0, -1. */
int ddo_exists(long long id);
/* How many DDOs are active; -1. */
long long ddo_count_active(void);

/* Which DDOs a list shows. */
struct ddo_query {
	long long district;   /* 0: any */
	const char *q;        /* "" or NULL: all; else a part of the Russian or Kazakh name */
};
enum ddo_sort { DDO_BY_NAME, DDO_BY_DISTRICT, DDO_BY_KIND, DDO_SORT__MAX };
struct ddo_row {
	long long id, district, staff;   /* staff: how many accounts work for it */
	const char *name_ru, *name_kk, *kind, *bin, *phone;   /* bin "" when none */
	int active;
};
long long ddo_count(const struct ddo_query *q);
/* Calls fn for the DDOs the query finds, by sort (desc: the other way),
 * then Russian name, then id, at most limit from offset. The row lives
 * until fn returns. How many, or -1. */
int ddo_list(const struct ddo_query *q, enum ddo_sort sort, int desc, int limit, long long offset,
	     void (*fn)(void *arg, const struct ddo_row *row), void *arg);

/* The active DDOs (for a form's <select>), by district order then Russian
 * name; only id, district, name_ru and name_kk are set. How many, -1. */
int ddo_each_active(void (*fn)(void *arg, const struct ddo_row *row), void *arg);

#endif
