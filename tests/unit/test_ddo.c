/*
 * Unit tests of the DDO module (domain/ddo.h) and the holiday calendar
 * (domain/holiday.h) on a scratch database: the names of kinds and
 * errors, creating and editing a DDO with its audit row, the list's
 * filter and order, the active DDOs for a form, and the calendar's rules.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/cal.h"
#include "base/db.h"
#include "domain/audit.h"
#include "domain/ddo.h"
#include "domain/holiday.h"

#include "unit.h"

static const struct actor support = {1, "support", "127.0.0.9"};

static long long audit_rows(const char *action)
{
	return db_int("SELECT count(*) FROM audit WHERE action = ?", -1, "t", action);
}

static void names_in_the_enums_order(void **st)
{
	(void)st;
	static const char *const kinds[] = {"state", "private_subsidised", "mini_centre"};
	for (int i = 0; i < DDO_KIND__MAX; i++)
		assert_string_equal(ddo_kind_names[i], kinds[i]);
	assert_null(ddo_kind_names[DDO_KIND__MAX]);
	for (int i = 0; i < DDO_ERR__MAX; i++)
		assert_non_null(ddo_err_names[i]);
	for (int i = 0; i < HOL_ERR__MAX; i++)
		assert_non_null(hol_err_names[i]);
}

static struct ddo_data sample(const char *name_ru, long long district)
{
	struct ddo_data d = {
		.name_kk = "Бақша", .name_ru = name_ru, .address = "ул. Абая, 1", .phone = "+77160000000",
		.website = "", .kind = DDO_MINI_CENTRE, .owner_iin = "850312412032", .owner_phone = "+77160000001",
		.owner_email = "a@b.kz", .district = district, .bin = NULL, .capacity = 40, .active = 1,
	};
	return d;
}

static void a_ddo_is_created_and_edited_with_its_audit_row(void **st)
{
	(void)st;
	long long before = ddo_count_active();
	long long created = audit_rows("ddo_created"), updated = audit_rows("ddo_updated");
	struct ddo_data d = sample("ЯЯ Сад первый", 1132);
	long long id = 0;
	assert_int_equal(ddo_create(support, &d, 100, &id), DDO_OK);
	assert_true(id > 0);
	assert_int_equal(ddo_exists(id), 1);
	assert_int_equal(ddo_exists(id + 1000), 0);
	assert_int_equal(ddo_count_active(), before + 1);
	assert_int_equal(audit_rows("ddo_created"), created + 1);
	assert_false(db_in_tx());

	struct ddo g;
	assert_int_equal(ddo_get(id, &g), 1);
	assert_string_equal(g.name_ru, "ЯЯ Сад первый");
	assert_string_equal(g.kind, "mini_centre");
	assert_string_equal(g.bin, "");
	assert_int_equal(g.district, 1132);
	assert_int_equal(g.capacity, 40);
	assert_int_equal(g.active, 1);
	assert_string_equal(g.owner_phone, "+77160000001");

	/* Edit: a BIN, another kind, deactivated. */
	d.bin = "123456789012";
	d.kind = DDO_STATE;
	d.active = 0;
	assert_int_equal(ddo_update(support, id, &d, 200), DDO_OK);
	assert_int_equal(ddo_get(id, &g), 1);
	assert_string_equal(g.bin, "123456789012");
	assert_string_equal(g.kind, "state");
	assert_int_equal(g.active, 0);
	assert_int_equal(ddo_count_active(), before);
	assert_int_equal(audit_rows("ddo_updated"), updated + 1);
	assert_int_equal(db_int("SELECT count(*) FROM audit WHERE action = 'ddo_updated' AND object_id = ? AND "
				"details LIKE 'ЯЯ Сад первый; district=1132; kind=state; bin=%' AND details NOT LIKE '%123456789012%'",
				-1, "I", id),
			 1);

	/* No such DDO, no such kind: nothing changes. */
	assert_int_equal(ddo_update(support, id + 1000, &d, 300), DDO_ERR_NOT_FOUND);
	d.kind = DDO_KIND__MAX;
	assert_int_equal(ddo_update(support, id, &d, 300), DDO_ERR_KIND);
	assert_int_equal(audit_rows("ddo_updated"), updated + 1);
	assert_false(db_in_tx());
	assert_int_equal(ddo_get(id + 1000, &g), 0);
	assert_int_equal(audit_verify(), 0);
}

struct seen {
	int n;
	char names[8][128];
	long long districts[8];
};

static void seen_row(void *arg, const struct ddo_row *row)
{
	struct seen *s = arg;
	if (s->n < 8) {
		snprintf(s->names[s->n], sizeof s->names[0], "%s", row->name_ru);
		s->districts[s->n] = row->district;
	}
	s->n++;
}

static void lists_filter_by_district_and_name(void **st)
{
	(void)st;
	struct ddo_data a = sample("ЮЮ Альфа", 1132), b = sample("ЮЮ Бета_%", 1168), c = sample("ЮЮ Гамма", 1132);
	long long ia, ib, ic;
	assert_int_equal(ddo_create(support, &a, 100, &ia), DDO_OK);
	assert_int_equal(ddo_create(support, &b, 100, &ib), DDO_OK);
	assert_int_equal(ddo_create(support, &c, 100, &ic), DDO_OK);

	struct ddo_query q = {0, "ЮЮ"};
	assert_int_equal(ddo_count(&q), 3);
	struct seen s = {0};
	assert_int_equal(ddo_list(&q, DDO_BY_NAME, 1, 50, 0, seen_row, &s), 3);
	assert_string_equal(s.names[0], "ЮЮ Гамма");
	assert_string_equal(s.names[2], "ЮЮ Альфа");
	memset(&s, 0, sizeof s);
	assert_int_equal(ddo_list(&q, DDO_BY_NAME, 0, 1, 1, seen_row, &s), 1);
	assert_string_equal(s.names[0], "ЮЮ Бета_%");

	struct ddo_query dist = {1168, "ЮЮ"};
	assert_int_equal(ddo_count(&dist), 1);
	/* % and _ are themselves, not patterns. */
	struct ddo_query pct = {0, "_%"};
	assert_int_equal(ddo_count(&pct), 1);
	struct ddo_query none = {0, "ЮЮ Омега"};
	assert_int_equal(ddo_count(&none), 0);

	/* The active DDOs for a form: a deactivated one is not offered. */
	c.active = 0;
	assert_int_equal(ddo_update(support, ic, &c, 200), DDO_OK);
	memset(&s, 0, sizeof s);
	int n = ddo_each_active(seen_row, &s);
	assert_true(n >= 2);
	assert_int_equal(n, ddo_count_active());
}

/* The first day from iso on whose weekday is in [lo, hi] (1 Monday). */
static int day_with(const char *iso, int lo, int hi)
{
	int d;
	assert_int_equal(cal_parse_iso(iso, &d), 0);
	while (cal_weekday(d) < lo || cal_weekday(d) > hi)
		d++;
	return d;
}

static void the_calendar_keeps_its_rules(void **st)
{
	(void)st;
	int weekday = day_with("2090-03-01", 1, 5), weekend = day_with("2090-03-01", 6, 7);
	long long added = audit_rows("holiday_added"), deleted = audit_rows("holiday_deleted");
	assert_int_equal(hol_count_year(2090), 0);
	assert_int_equal(hol_check(weekday, CAL_WORK_DAY), HOL_ERR_WORK_DAY_WEEKDAY);
	assert_int_equal(hol_check(weekend, CAL_DAY_OFF), HOL_ERR_DAY_OFF_WEEKEND);
	assert_int_equal(hol_add(support, weekday, CAL_WORK_DAY, "Перенос", "Ауыстыру"), HOL_ERR_WORK_DAY_WEEKDAY);
	assert_int_equal(hol_add(support, weekday, CAL_KIND__MAX, "Перенос", "Ауыстыру"), HOL_ERR_KIND);
	assert_int_equal(hol_count_year(2090), 0);

	assert_int_equal(hol_add(support, weekday, CAL_DAY_OFF, "Перенос", "Ауыстыру"), HOL_OK);
	assert_int_equal(hol_add(support, weekend, CAL_WORK_DAY, "Рабочая суббота", "Жұмыс күні"), HOL_OK);
	assert_int_equal(hol_check(weekday, CAL_HOLIDAY), HOL_ERR_EXISTS);
	assert_int_equal(hol_add(support, weekday, CAL_HOLIDAY, "Праздник", "Мереке"), HOL_ERR_EXISTS);
	assert_int_equal(hol_count_year(2090), 2);
	assert_int_equal(hol_count_year(2091), 0);
	assert_int_equal(audit_rows("holiday_added"), added + 2);

	assert_int_equal(hol_delete(support, weekday), HOL_OK);
	assert_int_equal(hol_delete(support, weekday), HOL_ERR_NOT_FOUND);
	assert_int_equal(hol_count_year(2090), 1);
	assert_int_equal(audit_rows("holiday_deleted"), deleted + 1);
	assert_false(db_in_tx());
	assert_int_equal(audit_verify(), 0);
}

static int setup(void **st)
{
	(void)st;
	return ut_setup("ddo", 0, NULL);
}

static int teardown(void **st)
{
	(void)st;
	return ut_teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_in_the_enums_order),
		cmocka_unit_test(a_ddo_is_created_and_edited_with_its_audit_row),
		cmocka_unit_test(lists_filter_by_district_and_name),
		cmocka_unit_test(the_calendar_keeps_its_rules),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
