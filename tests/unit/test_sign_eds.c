/*
 * test_sign_eds.c — the revocation lists as the service holds them
 * (web/esig.c): a CRL file that cannot be loaded refuses every signature
 * (fail closed), a CRL whose number is lower than one loaded before is
 * refused, also by a new process (the numbers live in eds_crl), and
 * esig_crl_status reports ok / stale / unreadable / rolled_back with the
 * CRLs' nextUpdate.
 *
 * The CRL file is a copy in the scratch directory (Eds.CrlFile), replaced
 * as an operator's refresh would replace it. Needs KG_PKI.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/db.h"
#include "base/sign.h"
#include "base/util.h"
#include "web/esig.h"
#include "web/req.h"

#include "unit.h"

static char crl[512]; /* <ut_dir>/crl.pem: what Eds.CrlFile names */

static int setup(void **st)
{
	(void)st;
	if (ut_scratch("sign_eds") < 0)
		return -1;
	snprintf(crl, sizeof crl, "%s/crl.pem", ut_dir);
	return ut_open(UT_PKI, "Eds.CrlFile = %s\n", crl);
}

static int teardown(void **st)
{
	(void)st;
	return ut_teardown();
}

/* Puts a file of the PKI (NULL: `text`) in place of the CRL file, as a new
 * file renamed over the old one. */
static void put_crl(const char *pki_file, const char *text)
{
	char tmp[600], src[600];
	snprintf(tmp, sizeof tmp, "%s.new", crl);
	if (pki_file) {
		snprintf(src, sizeof src, "%s/%s", ut_pki, pki_file);
		FILE *in = fopen(src, "rb"), *out = fopen(tmp, "wb");
		assert_non_null(in);
		assert_non_null(out);
		char buf[4096];
		size_t n;
		while ((n = fread(buf, 1, sizeof buf, in)) > 0)
			assert_int_equal(fwrite(buf, 1, n, out), n);
		fclose(in);
		assert_int_equal(fclose(out), 0);
	} else {
		ut_write_file(tmp, text);
	}
	assert_int_equal(rename(tmp, crl), 0);
}

static enum esig_crl state(struct esig_crl_status *s)
{
	int rc = esig_crl_status(u_now(), s);
	assert_int_equal(rc, s->state == ESIG_CRL_OK ? 0 : -1);
	return s->state;
}

/* A login signature by parent1 over a fresh challenge: what esig_verify says. */
static enum sign_err login_signature(const char **msg_key)
{
	long long acct = db_int("SELECT id FROM account WHERE iin = '900517322416'", 0, "");
	if (!acct) {
		assert_int_equal(db_exec("INSERT INTO account(iin, surname, name, roles, created_at, updated_at) "
					 "VALUES ('900517322416', 'Т', 'Т', 1, 0, 0)", ""),
				 SQLITE_DONE);
		acct = db_last_id();
	}
	struct req *r = ut_req_as(acct);
	char nonce[44];
	const char *content = esig_challenge(r, "auth", "login", 0, NULL, nonce);
	assert_non_null(content);
	char *cms = ut_cms(content, "parent1-auth");
	struct sign_proof p;
	esig_verify(r, nonce, cms, "auth", "login", 0, &p);
	enum sign_err e = p.err;
	static char key[64];
	snprintf(key, sizeof key, "%s", p.msg_key ? p.msg_key : "");
	*msg_key = key;
	sign_signer_clear(&p.signer);
	free(cms);
	ut_free_req(r);
	return e;
}

static void a_good_crl_is_ok_and_its_numbers_are_recorded(void **st)
{
	(void)st;
	struct esig_crl_status s;
	const char *key;
	put_crl("crl.pem", NULL);
	assert_int_equal(state(&s), ESIG_CRL_OK);
	assert_true(s.next_update > u_now() + 365 * 86400LL);
	assert_string_equal(s.detail, "");
	assert_int_equal(login_signature(&key), SIGN_OK);
	/* root's and the intermediate's, as 40 hex digits */
	assert_int_equal(db_int("SELECT count(*) FROM eds_crl WHERE delta = 0 AND length(number) = 40 "
				"AND number LIKE '%1001'", 0, ""),
			 2);
}

static void garbage_or_a_deleted_file_refuses_every_signature(void **st)
{
	(void)st;
	struct esig_crl_status s;
	const char *key;
	put_crl("crl.pem", NULL);
	assert_int_equal(login_signature(&key), SIGN_OK);
	put_crl(NULL, "-----BEGIN X509 CRL-----\ngarbage\n-----END X509 CRL-----\n");
	assert_int_equal(state(&s), ESIG_CRL_UNREADABLE);
	assert_true(s.detail[0] != '\0');
	assert_int_equal(login_signature(&key), SIGN_E_CRL);
	assert_string_equal(key, "Eds.crl_unavailable");
	assert_int_equal(unlink(crl), 0);
	assert_int_equal(state(&s), ESIG_CRL_UNREADABLE);
	assert_int_equal(login_signature(&key), SIGN_E_CRL);
	put_crl("crl.pem", NULL); /* a good file again: signatures again */
	assert_int_equal(state(&s), ESIG_CRL_OK);
	assert_int_equal(login_signature(&key), SIGN_OK);
}

static void an_older_crl_is_refused_also_by_a_new_process(void **st)
{
	(void)st;
	struct esig_crl_status s;
	const char *key;
	put_crl("crl.pem", NULL);
	assert_int_equal(state(&s), ESIG_CRL_OK);
	put_crl("crl-old.pem", NULL);
	assert_int_equal(state(&s), ESIG_CRL_ROLLED_BACK);
	assert_non_null(strstr(s.detail, "lower than"));
	assert_int_equal(login_signature(&key), SIGN_E_CRL);
	assert_string_equal(key, "Eds.crl_unavailable");
	esig_free(); /* a restart: only the database remembers */
	assert_int_equal(state(&s), ESIG_CRL_ROLLED_BACK);
	assert_int_equal(login_signature(&key), SIGN_E_CRL);
	/* the record did not go back either */
	assert_int_equal(db_int("SELECT count(*) FROM eds_crl WHERE number LIKE '%1001'", 0, ""), 2);
}

static void only_crls_signed_by_an_anchor_are_recorded(void **st)
{
	(void)st;
	struct esig_crl_status s;
	struct sign_crl_info c[4];
	char path[600], err[256];
	put_crl("crl.pem", NULL);
	snprintf(path, sizeof path, "%s/ca.pem", ut_pki);
	struct sign_trust *t = sign_trust_load(path, crl, err, sizeof err);
	assert_non_null(t);
	assert_int_equal(sign_trust_crls(t, c, 4), 2);
	assert_true(c[0].verified && c[1].verified);
	assert_int_equal(c[0].delta, 0);
	assert_int_equal(strlen(c[0].number), 40);
	assert_true(c[0].next_update > c[0].last_update);
	sign_trust_free(t);
	/* anchors of the same names but other keys (the forged CA): the
	 * genuine CRLs do not verify, so their numbers would not count */
	snprintf(path, sizeof path, "%s/forged-chain.pem", ut_pki);
	t = sign_trust_load(path, crl, err, sizeof err);
	assert_non_null(t);
	assert_int_equal(sign_trust_crls(t, c, 4), 2);
	assert_false(c[0].verified || c[1].verified);
	sign_trust_free(t);
	assert_int_equal(state(&s), ESIG_CRL_OK);
}

static void a_crl_past_its_next_update_is_stale(void **st)
{
	(void)st;
	struct esig_crl_status s;
	const char *key;
	put_crl("crl-expired.pem", NULL); /* the newest numbers, but expired */
	assert_int_equal(state(&s), ESIG_CRL_STALE);
	assert_true(s.next_update > 0 && s.next_update < u_now());
	assert_non_null(strstr(s.detail, "nextUpdate"));
	assert_int_equal(login_signature(&key), SIGN_E_CRL);
	assert_string_equal(key, "Eds.crl");
	assert_string_equal(esig_crl_names[ESIG_CRL_STALE], "stale");
	assert_string_equal(esig_crl_names[ESIG_CRL_ROLLED_BACK], "rolled_back");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_good_crl_is_ok_and_its_numbers_are_recorded),
		cmocka_unit_test(garbage_or_a_deleted_file_refuses_every_signature),
		cmocka_unit_test(only_crls_signed_by_an_anchor_are_recorded),
		cmocka_unit_test(an_older_crl_is_refused_also_by_a_new_process),
		cmocka_unit_test(a_crl_past_its_next_update_is_stale),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
