/*
 * Unit tests of the published heads of the audit chain (domain/audit.h)
 * and of the signed decisions' CMS (domain/proof.h): the signed text of a
 * head; the heads' CSV read back (and refused with its line when it is
 * not one); a head signed with the settings' key verifies with its
 * certificate and not over another text; the chain recomputed against
 * saved heads: every head matches, a head beyond the log or with another
 * hash does not, and an edited row fails the heads after it even when
 * every later hash was recomputed; a stored CMS (base64, PEM, DER) read
 * as DER, anything else refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/db.h"
#include "base/util.h"
#include "domain/audit.h"
#include "domain/proof.h"

#include "unit.h"

static void a_head_signs_four_lines(void **st)
{
	(void)st;
	struct audit_head h;
	memset(&h, 0, sizeof h);
	snprintf(h.day, sizeof h.day, "2026-12-06");
	h.count = 42;
	for (int i = 0; i < 32; i++)
		h.hash[i] = (unsigned char)i;
	char text[160];
	size_t n = audit_head_text(&h, text);
	assert_string_equal(text, "kg-audit-head v1\nday=2026-12-06\ncount=42\n"
				  "hash=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n");
	assert_int_equal(n, strlen(text));
}

static void the_csv_reads_back_and_a_bad_line_is_named(void **st)
{
	(void)st;
	const char *csv = "day;count;hash;signed_at;cms\r\n"
			  "2026-12-07;10;" "ff00000000000000000000000000000000000000000000000000000000000001;1765000000;AAEC\r\n"
			  "\r\n"
			  "2026-12-06;7;" "0000000000000000000000000000000000000000000000000000000000000002;1764900000;AAECAw==\n";
	struct audit_head h[4];
	int bad = -1;
	assert_int_equal(audit_heads_parse(csv, h, 4, &bad), 2);
	assert_string_equal(h[0].day, "2026-12-07");
	assert_int_equal(h[0].count, 10);
	assert_int_equal(h[0].hash[0], 0xff);
	assert_int_equal(h[0].hash[31], 1);
	assert_int_equal(h[0].cms_len, 3);
	assert_int_equal(h[1].cms_len, 4);   /* the padding is not content */
	assert_int_equal(h[1].cms[3], 3);
	assert_int_equal(h[1].signed_at, 1764900000);
	audit_heads_free(h, 2);
	static const char *const bad_ones[] = {
		"day;count;hash;signed_at;cms\n2026-02-30;1;" "0000000000000000000000000000000000000000000000000000000000000000;1;AAAA\n",
		"day;count;hash;signed_at;cms\n2026-02-03;x;" "0000000000000000000000000000000000000000000000000000000000000000;1;AAAA\n",
		"day;count;hash;signed_at;cms\n2026-02-03;1;00;1;AAAA\n",
		"day;count;hash;signed_at;cms\n2026-02-03;1;" "0000000000000000000000000000000000000000000000000000000000000000;1;AAA\n",
		"day;count;hash;signed_at;cms\n2026-02-03;1;" "0000000000000000000000000000000000000000000000000000000000000000;1;AAAA;more\n",
	};
	for (size_t i = 0; i < sizeof bad_ones / sizeof bad_ones[0]; i++) {
		bad = 0;
		assert_int_equal(audit_heads_parse(bad_ones[i], h, 4, &bad), -1);
		assert_int_equal(bad, 2);
	}
}

/* The heads as published now, read back through the CSV. */
static int published(struct audit_head *h, int max)
{
	struct buf b = {0};
	assert_int_equal(audit_heads_csv(&b), 0);
	int bad;
	int n = audit_heads_parse(b.s, h, max, &bad);
	buf_free(&b);
	return n;
}

static void a_published_head_verifies_and_the_log_matches_it(void **st)
{
	(void)st;
	for (int i = 0; i < 5; i++)
		assert_int_equal(audit_log(0, "system", "", "test_row", "", i, "ok", "before"), 0);
	long long day0 = 1764990000;   /* 2026-12-06, local */
	assert_int_equal(audit_publish_head(day0), 1);
	assert_int_equal(audit_publish_head(day0 + 60), 0);   /* once a day */
	for (int i = 0; i < 3; i++)
		assert_int_equal(audit_log(0, "system", "", "test_row", "", i, "ok", "after"), 0);
	assert_int_equal(audit_publish_head(day0 + 86400), 1);
	struct audit_head h[4];
	assert_int_equal(published(h, 4), 2);
	assert_true(h[0].count == h[1].count + 3);
	char cert[300], why[200];
	snprintf(cert, sizeof cert, "%s/staff1-sign.pem", ut_pki);
	for (int i = 0; i < 2; i++)
		assert_int_equal(audit_head_signed(&h[i], cert, why, sizeof why), 1);
	/* Another count is another text: its signature does not hold. */
	h[1].count--;
	assert_int_equal(audit_head_signed(&h[1], cert, why, sizeof why), 0);
	h[1].count++;
	/* Another certificate does not hold either. */
	char other[300];
	snprintf(other, sizeof other, "%s/staff2-sign.pem", ut_pki);
	assert_int_equal(audit_head_signed(&h[1], other, why, sizeof why), 0);
	long long broken = -1;
	assert_int_equal(audit_heads_match(h, 2, &broken), 0);
	assert_int_equal(broken, 0);
	/* A head beyond the log, or with another hash, does not match. */
	struct audit_head beyond = h[0];
	beyond.count += 100;
	assert_int_equal(audit_heads_match(&beyond, 1, &broken), 1);
	struct audit_head wrong = h[1];
	wrong.hash[5] ^= 1;
	assert_int_equal(audit_heads_match(&wrong, 1, &broken), 1);
	audit_heads_free(h, 2);
}

static void an_edited_row_fails_the_heads_after_it(void **st)
{
	(void)st;
	struct audit_head h[4];
	int n = published(h, 4);
	assert_int_equal(n, 2);   /* newest first: h[1] is the older head */
	/* Edit the last row before the older head, as an attacker with the file
	 * would: the triggers dropped, the row changed. */
	assert_int_equal(db_exec("DROP TRIGGER audit_no_update", NULL), SQLITE_DONE);
	assert_int_equal(db_exec("UPDATE audit SET details = 'nothing' WHERE id = "
				 "(SELECT id FROM audit ORDER BY id LIMIT 1 OFFSET ?)", "I", h[1].count - 1), SQLITE_DONE);
	long long broken = 0;
	assert_int_equal(audit_heads_match(h, n, &broken), 1);   /* the first head in the file fails */
	assert_true(broken == h[1].count);
	assert_true(audit_verify() > 0);
	audit_heads_free(h, n);
}

static void a_stored_cms_reads_as_der(void **st)
{
	(void)st;
	char *b64 = ut_cms("Принять в ДДО", "staff1-sign");
	unsigned char *der = NULL, *again = NULL;
	size_t n = 0, m = 0;
	assert_int_equal(proof_der((const unsigned char *)b64, strlen(b64), &der, &n), 0);
	assert_int_equal(der[0], 0x30);
	/* DER in, the same DER out; trailing bytes refused. */
	assert_int_equal(proof_der(der, n, &again, &m), 0);
	assert_int_equal(m, n);
	assert_memory_equal(again, der, n);
	free(again);
	unsigned char *longer = malloc(n + 1);
	memcpy(longer, der, n);
	longer[n] = 0;
	assert_int_equal(proof_der(longer, n + 1, &again, &m), -1);
	free(longer);
	/* base64 with line breaks, as some clients send it. */
	size_t bl = strlen(b64);
	char *broken = malloc(bl + bl / 64 + 2);
	size_t k = 0;
	for (size_t i = 0; i < bl; i++) {
		broken[k++] = b64[i];
		if (i % 64 == 63)
			broken[k++] = '\n';
	}
	broken[k] = 0;
	assert_int_equal(proof_der((const unsigned char *)broken, k, &again, &m), 0);
	assert_int_equal(m, n);
	free(again);
	free(broken);
	assert_int_equal(proof_der((const unsigned char *)"not a cms", 9, &again, &m), -1);
	assert_null(again);
	assert_int_equal(proof_der((const unsigned char *)"", 0, &again, &m), -1);
	free(der);
	free(b64);
}

static int setup(void **st)
{
	(void)st;
	if (ut_scratch("audit_heads") < 0 || !ut_pki)
		return -1;
	return ut_open(UT_PKI, "Audit.SigningKey = %s/staff1-sign.key\nAudit.SigningCert = %s/staff1-sign.pem\n", ut_pki,
		       ut_pki);
}

static int teardown(void **st)
{
	(void)st;
	return ut_teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_head_signs_four_lines),
		cmocka_unit_test(the_csv_reads_back_and_a_bad_line_is_named),
		cmocka_unit_test(a_published_head_verifies_and_the_log_matches_it),
		cmocka_unit_test(an_edited_row_fails_the_heads_after_it),
		cmocka_unit_test(a_stored_cms_reads_as_der),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
