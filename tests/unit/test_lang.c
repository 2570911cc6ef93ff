/*
 * test_lang.c -- unit tests of lang_accept (cgi-bin/lib/base/lang.c): the
 * language a first visit gets from the browser's Accept-Language header.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/lang.h"

static void
kazakh_and_russian_by_their_primary_subtag(void **state)
{
	(void)state;
	assert_string_equal(lang_accept("kk", "ru"), "kk");
	assert_string_equal(lang_accept("kk-KZ", "ru"), "kk");
	assert_string_equal(lang_accept("KK-kz", "ru"), "kk");
	assert_string_equal(lang_accept("ru", "kk"), "ru");
	assert_string_equal(lang_accept("ru-RU,ru;q=0.9", "kk"), "ru");
	assert_string_equal(lang_accept("kk-KZ,ru;q=0.5", "ru"), "kk");
}

static void
anything_else_is_the_default(void **state)
{
	(void)state;
	assert_string_equal(lang_accept("en", "kk"), "kk");
	assert_string_equal(lang_accept("en-US,en;q=0.9", "ru"), "ru");
	assert_string_equal(lang_accept("", "kk"), "kk");
	assert_string_equal(lang_accept(NULL, "ru"), "ru");
	assert_string_equal(lang_accept("*", "kk"), "kk");
	/* "kkx" and "rus" are other languages, not kk or ru. */
	assert_string_equal(lang_accept("kkx,rus", "ru"), "ru");
	assert_string_equal(lang_accept("kkx,rus", "kk"), "kk");
	/* A default that is neither language is Russian. */
	assert_string_equal(lang_accept("en", "de"), "ru");
	assert_string_equal(lang_accept("en", NULL), "ru");
}

static void
q_values_decide_the_first_listed_wins_a_tie(void **state)
{
	(void)state;
	assert_string_equal(lang_accept("ru;q=0.5,kk;q=0.8", "ru"), "kk");
	assert_string_equal(lang_accept("kk;q=0.3, ru;q=0.7", "kk"), "ru");
	assert_string_equal(lang_accept("ru,kk", "kk"), "ru");
	assert_string_equal(lang_accept("kk,ru", "ru"), "kk");
	assert_string_equal(lang_accept("ru;q=0.5,kk;q=0.5", "kk"), "ru");
	/* A language the browser prefers but the site lacks: the next one. */
	assert_string_equal(lang_accept("en-US,en;q=0.9,ru;q=0.8,kk;q=0.7", "kk"), "ru");
	assert_string_equal(lang_accept(" en ; q=1 , kk ; q=0.2 ", "ru"), "kk");
	assert_string_equal(lang_accept("ru;Q=0.100,kk;q=0.099", "kk"), "ru");
}

static void
refused_and_malformed_entries_do_not_count(void **state)
{
	(void)state;
	assert_string_equal(lang_accept("kk;q=0", "ru"), "ru");
	assert_string_equal(lang_accept("kk;q=0.000,en", "ru"), "ru");
	assert_string_equal(lang_accept("ru;q=0,kk;q=0.1", "ru"), "kk");
	assert_string_equal(lang_accept("kk;q=2,ru;q=0.1", "kk"), "ru");
	assert_string_equal(lang_accept("kk;q=abc", "ru"), "ru");
	assert_string_equal(lang_accept("kk;q=0.5555,ru;q=0.1", "kk"), "ru");
	assert_string_equal(lang_accept("kk;level=1", "ru"), "ru");
	assert_string_equal(lang_accept(",,kk,,", "ru"), "kk");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kazakh_and_russian_by_their_primary_subtag),
		cmocka_unit_test(anything_else_is_the_default),
		cmocka_unit_test(q_values_decide_the_first_listed_wins_a_tie),
		cmocka_unit_test(refused_and_malformed_entries_do_not_count),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
