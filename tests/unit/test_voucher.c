/*
 * Unit tests of vouchers (domain/voucher.h): the rule of what a confirmed
 * voucher may take (vch_may_take: a record in free choice, or one in its
 * priority window with more free places than other applicants' open
 * offers; never an exhausted one), and the settings kept in range.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/voucher.h"

static void free_choice_records_are_open_to_a_confirmed_voucher(void **state)
{
	(void)state;
	assert_true(vch_may_take(PLACE_FREE_CHOICE, 1, 0));
	/* Open offers do not reserve places after the window (place.h). */
	assert_true(vch_may_take(PLACE_FREE_CHOICE, 1, 3));
}

static void a_window_record_is_open_only_for_places_not_reserved_by_others(void **state)
{
	(void)state;
	assert_true(vch_may_take(PLACE_WAITING, 2, 1));
	assert_false(vch_may_take(PLACE_WAITING, 2, 2));
	assert_false(vch_may_take(PLACE_WAITING, 1, 1));
	assert_true(vch_may_take(PLACE_WAITING, 1, 0));
}

static void an_exhausted_record_is_never_open(void **state)
{
	(void)state;
	assert_false(vch_may_take(PLACE_EXHAUSTED, 0, 0));
	assert_false(vch_may_take(PLACE_FREE_CHOICE, 0, 0));
	assert_false(vch_may_take(PLACE_WAITING, 0, 0));
}

static void the_settings_have_their_defaults(void **state)
{
	(void)state;
	/* No configuration loaded: the defaults of conf/app.hdf. */
	assert_int_equal(vch_consent_days(), 2);
	assert_int_equal(vch_choose_days(), 2);
	assert_int_equal(vch_restore_days(), 28);
	assert_string_equal(vch_financing_names[VCH_FIN_VOUCHER], "voucher");
	assert_null(vch_status_names[VCH_ST__MAX]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(free_choice_records_are_open_to_a_confirmed_voucher),
		cmocka_unit_test(a_window_record_is_open_only_for_places_not_reserved_by_others),
		cmocka_unit_test(an_exhausted_record_is_never_open),
		cmocka_unit_test(the_settings_have_their_defaults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
