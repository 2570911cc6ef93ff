/*
 * holiday.h — the holiday calendar as support edits it (the `holiday`
 * table that base/workday.h reads): the days of a year, adding a holiday,
 * day off or working day, deleting one.
 *
 * The rules of a new day (hol_check): one row per day; a working day
 * (CAL_WORK_DAY) only on a Saturday or Sunday, a day off (CAL_DAY_OFF) only
 * on a weekday. CHANGES open their own transaction (BEGIN IMMEDIATE) and
 * write their audit row (holiday_added / holiday_deleted, by the actor) in
 * it. Days are cal.h day numbers. Prefix hol_.
 */
#ifndef KG_HOLIDAY_H
#define KG_HOLIDAY_H

#include "base/actor.h"
#include "base/cal.h"

enum hol_err {
	HOL_OK,
	HOL_ERR_DB,                /* a database error (logged); nothing changed */
	HOL_ERR_EXISTS,            /* the day is in the calendar already */
	HOL_ERR_WORK_DAY_WEEKDAY,  /* a working day on a weekday */
	HOL_ERR_DAY_OFF_WEEKEND,   /* a day off on a weekend */
	HOL_ERR_NOT_FOUND,         /* no such day in the calendar */
	HOL_ERR_KIND,              /* not a kind */
	HOL_ERR__MAX
};
/* "ok", "db", "exists", "work_day_weekday", "day_off_weekend", "not_found",
 * "kind": in the enum's order. */
extern const char *const hol_err_names[HOL_ERR__MAX];

/* Whether day may be added as kind: HOL_ERR_EXISTS first, then (only when
 * kind is one, < CAL_KIND__MAX) the weekday rules; HOL_ERR_DB. */
enum hol_err hol_check(int day, enum cal_kind kind);
/* Adds the day (hol_check's rules, HOL_ERR_KIND). */
enum hol_err hol_add(struct actor by, int day, enum cal_kind kind, const char *name_ru, const char *name_kk);
/* Deletes the day. HOL_ERR_NOT_FOUND. */
enum hol_err hol_delete(struct actor by, int day);

/* A day of the calendar; the strings live until fn returns. */
struct hol_row {
	const char *day;      /* YYYY-MM-DD */
	const char *kind;     /* a cal_kind_names value */
	const char *name_ru, *name_kk;
};
/* How many days year has in the calendar; -1. */
long long hol_count_year(int year);
/* Calls fn for each day of year, by day. How many, -1. */
int hol_each_year(int year, void (*fn)(void *arg, const struct hol_row *row), void *arg);

#endif
