/*
 * test_sign.c: the EDS verification core (cgi-bin/lib/base/sign.c), one case per behaviour.
 *
 * Needs the test PKI: KG_PKI=<dir made by tests/tools/pki.sh>. Signatures are
 * made here with OpenSSL's CMS_sign API (the same structure as
 * `openssl cms -sign -binary -md sha256 [-nodetach]`, which is what NCALayer
 * produces); one case runs that command line itself to prove the shapes agree.
 *
 * Build and run:
 *   gcc -std=c11 -D_GNU_SOURCE -O1 -g -Wall -Wextra -Wshadow -Wformat=2 \
 *       -Wmissing-prototypes -Icgi-bin/lib tests/unit/test_sign.c cgi-bin/lib/base/sign.c \
 *       -o /tmp/test_sign $(pkg-config --cflags --libs libcrypto) -lcmocka
 *   tests/tools/pki.sh /tmp/pki && KG_PKI=/tmp/pki CMOCKA_MESSAGE_OUTPUT=TAP /tmp/test_sign
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "base/sign.h"

static const char *pki;			/* KG_PKI */
static struct sign_trust *trust;	/* ca.pem + crl.pem, for most cases */

static const unsigned char CHALLENGE[] = "kg-login:9f2c61d0a4b7e3f1:2026-01-05T10:00:00Z";
static const unsigned char OTHER[] = "kg-login:0000000000000000:2026-01-05T10:00:00Z";
#define CHAL_LEN (sizeof CHALLENGE - 1)

static const char PARENT1_IIN[] = "900517322416";
static const char STAFF2_IIN[] = "880121433072";
static const char STAFF2_BIN[] = "050440012343";

/* ------------------------------------------------------------ fixtures */

static char *
pki_path(const char *name, const char *ext)
{
	static char buf[4][1024];
	static int i;
	char *p = buf[i++ % 4];

	snprintf(p, sizeof buf[0], "%s/%s%s", pki, name, ext);
	return p;
}

static X509 *
load_cert(const char *name)
{
	BIO *b = BIO_new_file(pki_path(name, ".pem"), "r");
	X509 *x;

	assert_non_null(b);
	x = PEM_read_bio_X509(b, NULL, NULL, NULL);
	BIO_free(b);
	assert_non_null(x);
	return x;
}

static EVP_PKEY *
load_key(const char *name)
{
	BIO *b = BIO_new_file(pki_path(name, ".key"), "r");
	EVP_PKEY *k;

	assert_non_null(b);
	k = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	assert_non_null(k);
	return k;
}

/* Adds every certificate of a PEM file of the PKI to the CMS. */
static void
add_certs(CMS_ContentInfo *cms, const char *file)
{
	BIO *b = BIO_new_file(pki_path(file, ".pem"), "r");
	X509 *x;

	assert_non_null(b);
	while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL) {
		assert_true(CMS_add1_cert(cms, x));
		X509_free(x);
	}
	ERR_clear_error();
	BIO_free(b);
}

/*
 * DER CMS over data, signed by `who` (e.g. "parent1-auth"), and by `second`
 * too when not NULL; with the certificates of `extra` (a PEM file name) when
 * not NULL. Caller frees the result with free().
 */
/* The digest make_cms signs with (NULL: SHA-256, NCALayer's), and the
 * RSA padding of its signature: 0 PKCS#1 v1.5; 1 PSS; 2 PSS with an
 * MGF1 over SHA-1. Cases that change them set them back. */
static const EVP_MD *cms_md;
static int cms_pss;

static unsigned char *
make_cms(const char *who, const char *second, const char *extra,
    const unsigned char *data, size_t len, int attach, size_t *outlen)
{
	unsigned int flags = CMS_BINARY | CMS_PARTIAL | (attach ? 0 : CMS_DETACHED);
	const char *signers[2] = { who, second };
	CMS_ContentInfo *cms = CMS_sign(NULL, NULL, NULL, NULL, flags);
	BIO *in = BIO_new_mem_buf(data, (int)len);
	unsigned char *der, *p;
	int n;

	assert_non_null(cms);
	assert_non_null(in);
	for (int i = 0; i < 2 && signers[i] != NULL; i++) {
		X509 *x = load_cert(signers[i]);
		EVP_PKEY *k = load_key(signers[i]);

		CMS_SignerInfo *si = CMS_add1_signer(cms, x, k, cms_md ? cms_md : EVP_sha256(),
		    CMS_BINARY | (cms_pss ? CMS_KEY_PARAM : 0));

		assert_non_null(si);
		if (cms_pss) {
			EVP_PKEY_CTX *pc = CMS_SignerInfo_get0_pkey_ctx(si);

			assert_true(EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING) > 0);
			if (cms_pss == 2)
				assert_true(EVP_PKEY_CTX_set_rsa_mgf1_md(pc, EVP_sha1()) > 0);
		}
		X509_free(x);
		EVP_PKEY_free(k);
	}
	if (extra != NULL)
		add_certs(cms, extra);
	assert_true(CMS_final(cms, in, NULL, flags & ~CMS_PARTIAL));
	n = i2d_CMS_ContentInfo(cms, NULL);
	assert_true(n > 0);
	der = malloc((size_t)n);
	assert_non_null(der);
	p = der;
	assert_int_equal(i2d_CMS_ContentInfo(cms, &p), n);
	BIO_free(in);
	CMS_ContentInfo_free(cms);
	*outlen = (size_t)n;
	return der;
}

/* base64 of der, with CRLF every `wrap` characters (0: one line). Caller frees. */
static char *
to_b64(const unsigned char *der, size_t len, size_t wrap)
{
	size_t b64len = 4 * ((len + 2) / 3);
	char *flat = malloc(b64len + 1), *out;
	size_t o = 0;

	assert_non_null(flat);
	assert_int_equal(EVP_EncodeBlock((unsigned char *)flat, der, (int)len), (int)b64len);
	out = malloc(b64len + 2 * (b64len / (wrap ? wrap : b64len) + 1) + 1);
	assert_non_null(out);
	for (size_t i = 0; i < b64len; i++) {
		if (wrap && i > 0 && i % wrap == 0) {
			out[o++] = '\r';
			out[o++] = '\n';
		}
		out[o++] = flat[i];
	}
	out[o] = '\0';
	free(flat);
	return out;
}

static void
expect_rc(enum sign_err got, enum sign_err want, const struct sign_signer *s)
{
	if (got != want)
		print_error("got %s, want %s (%s)\n", sign_err_name(got),
		    sign_err_name(want), s->detail);
	else if (getenv("TEST_SIGN_VERBOSE") != NULL)	/* to read the diagnostics */
		print_message("%s: %s\n", sign_err_name(got), s->detail);
	assert_int_equal(got, want);
}

/* Signs CHALLENGE with `who`, verifies for `purpose`, expects `want`. */
static void
sign_and_expect(const char *who, int attach, enum sign_purpose purpose, enum sign_err want)
{
	struct sign_signer s;
	size_t len;
	unsigned char *der = make_cms(who, NULL, NULL, CHALLENGE, CHAL_LEN, attach, &len);

	expect_rc(sign_verify(trust, der, len, CHALLENGE, CHAL_LEN, purpose, time(NULL), &s),
	    want, &s);
	if (want != SIGN_OK) {	/* nothing unverified leaks out */
		assert_string_equal(s.iin, "");
		assert_null(s.cert_der);
		assert_true(s.detail[0] != '\0');
	}
	sign_signer_clear(&s);
	free(der);
}

static int
group_setup(void **state)
{
	char err[256];

	(void)state;
	pki = getenv("KG_PKI");
	if (pki == NULL || *pki == '\0') {
		fprintf(stderr, "KG_PKI is not set: run tests/tools/pki.sh DIR and set KG_PKI=DIR\n");
		return -1;
	}
	trust = sign_trust_load(pki_path("ca", ".pem"), pki_path("crl", ".pem"), err, sizeof err);
	if (trust == NULL) {
		fprintf(stderr, "sign_trust_load: %s\n", err);
		return -1;
	}
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	sign_trust_free(trust);
	return 0;
}

/* ---------------------------------------------------------- good cases */

static void
auth_attached_der_is_ok(void **state)
{
	(void)state;
	sign_and_expect("parent1-auth", 1, SIGN_PURPOSE_AUTH, SIGN_OK);
}

static void
auth_detached_der_is_ok(void **state)
{
	(void)state;
	sign_and_expect("parent1-auth", 0, SIGN_PURPOSE_AUTH, SIGN_OK);
}

static void
auth_base64_with_line_breaks_is_ok(void **state)
{
	struct sign_signer s;
	size_t len;
	unsigned char *der = make_cms("parent1-auth", NULL, NULL, CHALLENGE, CHAL_LEN, 1, &len);
	char *b64 = to_b64(der, len, 76);	/* Java's MIME encoder, as NCALayer */

	(void)state;
	expect_rc(sign_verify(trust, (unsigned char *)b64, strlen(b64), CHALLENGE, CHAL_LEN,
	    SIGN_PURPOSE_AUTH, time(NULL), &s), SIGN_OK, &s);
	assert_string_equal(s.iin, PARENT1_IIN);
	sign_signer_clear(&s);
	free(b64);
	free(der);
}

static void
auth_base64_one_line_is_ok(void **state)
{
	struct sign_signer s;
	size_t len;
	unsigned char *der = make_cms("parent1-auth", NULL, NULL, CHALLENGE, CHAL_LEN, 0, &len);
	char *b64 = to_b64(der, len, 0);

	(void)state;
	expect_rc(sign_verify(trust, (unsigned char *)b64, strlen(b64), CHALLENGE, CHAL_LEN,
	    SIGN_PURPOSE_AUTH, time(NULL), &s), SIGN_OK, &s);
	sign_signer_clear(&s);
	free(b64);
	free(der);
}

static void
auth_pem_is_ok(void **state)
{
	struct sign_signer s;
	size_t len;
	unsigned char *der = make_cms("parent1-auth", NULL, NULL, CHALLENGE, CHAL_LEN, 1, &len);
	char *b64 = to_b64(der, len, 64);
	size_t pemlen = strlen(b64) + 64;
	char *pem = malloc(pemlen);

	(void)state;
	assert_non_null(pem);
	snprintf(pem, pemlen, "-----BEGIN CMS-----\n%s\n-----END CMS-----\n", b64);
	expect_rc(sign_verify(trust, (unsigned char *)pem, strlen(pem), CHALLENGE, CHAL_LEN,
	    SIGN_PURPOSE_AUTH, time(NULL), &s), SIGN_OK, &s);
	sign_signer_clear(&s);
	free(pem);
	free(b64);
	free(der);
}

/* The exact command the project documents as "the shape NCALayer produces". */
static void
auth_made_by_openssl_cms_command_is_ok(void **state)
{
	char inpath[] = "/tmp/test_sign_XXXXXX", cmd[4096];
	unsigned char der[SIGN_MAX_INPUT];
	struct sign_signer s;
	size_t len;
	FILE *f;
	int fd;

	(void)state;
	fd = mkstemp(inpath);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, CHALLENGE, CHAL_LEN), (ssize_t)CHAL_LEN);
	close(fd);
	snprintf(cmd, sizeof cmd, "openssl cms -sign -binary -md sha256 -nodetach "
	    "-signer '%s' -inkey '%s' -outform DER -in '%s'",
	    pki_path("parent1-auth", ".pem"), pki_path("parent1-auth", ".key"), inpath);
	f = popen(cmd, "r");
	assert_non_null(f);
	len = fread(der, 1, sizeof der, f);
	assert_int_equal(pclose(f), 0);
	unlink(inpath);
	assert_true(len > 0);
	expect_rc(sign_verify(trust, der, len, CHALLENGE, CHAL_LEN, SIGN_PURPOSE_AUTH,
	    time(NULL), &s), SIGN_OK, &s);
	assert_string_equal(s.iin, PARENT1_IIN);
	sign_signer_clear(&s);
}

static void
action_signed_with_sign_key_is_ok(void **state)
{
	(void)state;
	sign_and_expect("parent1-sign", 1, SIGN_PURPOSE_ACTION, SIGN_OK);
	sign_and_expect("staff2-sign", 0, SIGN_PURPOSE_ACTION, SIGN_OK);
}

static void
verify_time_zero_means_now(void **state)
{
	struct sign_signer s;
	size_t len;
	unsigned char *der = make_cms("parent1-auth", NULL, NULL, CHALLENGE, CHAL_LEN, 1, &len);

	(void)state;
	expect_rc(sign_verify(trust, der, len, CHALLENGE, CHAL_LEN, SIGN_PURPOSE_AUTH, 0, &s),
	    SIGN_OK, &s);
	sign_signer_clear(&s);
	free(der);
}

/* ------------------------------------------------------- malformed input */

static void
garbage_is_format(void **state)
{
	static const unsigned char junk[] = "hello, this is not a signature at all";
	static const unsigned char fake_der[] = { 0x30, 0x03, 0x02, 0x01, 0x05 };
	static const unsigned char bad_pem[] = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
	struct sign_signer s;

	(void)state;
	expect_rc(sign_verify(trust, junk, sizeof junk - 1, CHALLENGE, CHAL_LEN,
	    SIGN_PURPOSE_AUTH, 0, &s), SIGN_E_FORMAT, &s);
	expect_rc(sign_verify(trust, fake_der, sizeof fake_der, CHALLENGE, CHAL_LEN,
	    SIGN_PURPOSE_AUTH, 0, &s), SIGN_E_FORMAT, &s);
	expect_rc(sign_verify(trust, bad_pem, sizeof bad_pem - 1, CHALLENGE, CHAL_LEN,
	    SIGN_PURPOSE_AUTH, 0, &s), SIGN_E_FORMAT, &s);
	/* valid base64 of something that is not a CMS */
	expect_rc(sign_verify(trust, (const unsigned char *)"aGVsbG8gd29ybGQ=", 16, CHALLENGE,
	    CHAL_LEN, SIGN_PURPOSE_AUTH, 0, &s), SIGN_E_FORMAT, &s);
	sign_signer_clear(&s);
}

static void
bad_base64_is_format(void **state)
{
	struct sign_signer s;
	size_t len;
	unsigned char *der = make_cms("parent1-auth", NULL, NULL, CHALLENGE, CHAL_LEN, 1, &len);
	char *b64 = to_b64(der, len, 0);

	(void)state;
	b64[10] = '*';
	expect_rc(sign_verify(trust, (unsigned char *)b64, strlen(b64), CHALLENGE, CHAL_LEN,
	    SIGN_PURPOSE_AUTH, 0, &s), SIGN_E_FORMAT, &s);
	b64[10] = 'A';
	expect_rc(sign_verify(trust, (unsigned char *)b64, strlen(b64) - 1, CHALLENGE, CHAL_LEN,
	    SIGN_PURPOSE_AUTH, 0, &s), SIGN_E_FORMAT, &s);	/* length not a multiple of 4 */
	sign_signer_clear(&s);
	free(b64);
	free(der);
}

static void
empty_is_empty(void **state)
{
	struct sign_signer s;

	(void)state;
	expect_rc(sign_verify(trust, NULL, 0, CHALLENGE, CHAL_LEN, SIGN_PURPOSE_AUTH, 0, &s),
	    SIGN_E_EMPTY, &s);
	expect_rc(sign_verify(trust, (const unsigned char *)"", 0, CHALLENGE, CHAL_LEN,
	    SIGN_PURPOSE_AUTH, 0, &s), SIGN_E_EMPTY, &s);
	sign_signer_clear(&s);
}

static void
too_large_is_refused_before_parsing(void **state)
{
	struct sign_signer s;
	unsigned char *big = malloc(SIGN_MAX_INPUT + 1);

	(void)state;
	assert_non_null(big);
	memset(big, 'A', SIGN_MAX_INPUT + 1);
	expect_rc(sign_verify(trust, big, SIGN_MAX_INPUT + 1, CHALLENGE, CHAL_LEN,
	    SIGN_PURPOSE_AUTH, 0, &s), SIGN_E_TOO_LARGE, &s);
	sign_signer_clear(&s);
	free(big);
}

static void
trailing_bytes_after_der_are_format(void **state)
{
	struct sign_signer s;
	size_t len;
	unsigned char *der = make_cms("parent1-auth", NULL, NULL, CHALLENGE, CHAL_LEN, 1, &len);
	unsigned char *longer = malloc(len + 1);
	char *b64;

	(void)state;
	assert_non_null(longer);
	memcpy(longer, der, len);
	longer[len] = 0x00;
	expect_rc(sign_verify(trust, longer, len + 1, CHALLENGE, CHAL_LEN, SIGN_PURPOSE_AUTH,
	    0, &s), SIGN_E_FORMAT, &s);
	b64 = to_b64(longer, len + 1, 0);	/* and the same through base64 */
	expect_rc(sign_verify(trust, (unsigned char *)b64, strlen(b64), CHALLENGE, CHAL_LEN,
	    SIGN_PURPOSE_AUTH, 0, &s), SIGN_E_FORMAT, &s);
	sign_signer_clear(&s);
	free(b64);
	free(longer);
	free(der);
}

static void
two_signers_are_refused(void **state)
{
	struct sign_signer s;
	size_t len;
	unsigned char *der = make_cms("parent1-auth", "parent2-auth", NULL, CHALLENGE,
	    CHAL_LEN, 1, &len);

	(void)state;
	expect_rc(sign_verify(trust, der, len, CHALLENGE, CHAL_LEN, SIGN_PURPOSE_AUTH, 0, &s),
	    SIGN_E_SIGNERS, &s);
	sign_signer_clear(&s);
	free(der);
}

/* ------------------------------------------------------------ the chain */

static void
forged_ca_is_untrusted(void **state)
{
	struct sign_signer s;
	size_t len;
	unsigned char *der;

	(void)state;
	/* the forged leaf alone */
	sign_and_expect("forged-parent1-auth", 1, SIGN_PURPOSE_AUTH, SIGN_E_UNTRUSTED);
	/* with the forged intermediate and root attached, as an attacker would */
	der = make_cms("forged-parent1-sign", NULL, "forged-chain", CHALLENGE, CHAL_LEN, 1, &len);
	expect_rc(sign_verify(trust, der, len, CHALLENGE, CHAL_LEN, SIGN_PURPOSE_ACTION, 0, &s),
	    SIGN_E_UNTRUSTED, &s);
	sign_signer_clear(&s);
	free(der);
}

static void
expired_cert_is_expired(void **state)
{
	(void)state;
	sign_and_expect("expired-auth", 1, SIGN_PURPOSE_AUTH, SIGN_E_EXPIRED);
	sign_and_expect("expired-sign", 0, SIGN_PURPOSE_ACTION, SIGN_E_EXPIRED);
}

static void
future_cert_is_not_yet_valid(void **state)
{
	(void)state;
	sign_and_expect("notyet-auth", 1, SIGN_PURPOSE_AUTH, SIGN_E_NOT_YET_VALID);
}

static void
verification_uses_the_given_time(void **state)
{
	struct sign_signer s;
	size_t len;
	unsigned char *der = make_cms("parent1-auth", NULL, NULL, CHALLENGE, CHAL_LEN, 1, &len);

	(void)state;
	/* in 30 years both the certificate and the CRL are out of date */
	expect_rc(sign_verify(trust, der, len, CHALLENGE, CHAL_LEN, SIGN_PURPOSE_AUTH,
	    (long long)time(NULL) + 30LL * 365 * 86400, &s), SIGN_E_CRL, &s);
	sign_signer_clear(&s);
	free(der);
}

static void
revoked_cert_is_revoked(void **state)
{
	(void)state;
	sign_and_expect("revoked-auth", 1, SIGN_PURPOSE_AUTH, SIGN_E_REVOKED);
	sign_and_expect("revoked-sign", 1, SIGN_PURPOSE_ACTION, SIGN_E_REVOKED);
}

static void
verify_with_trust(const char *crl, enum sign_err want)
{
	struct sign_trust *t;
	struct sign_signer s;
	char err[256];
	size_t len;
	unsigned char *der = make_cms("parent1-auth", NULL, NULL, CHALLENGE, CHAL_LEN, 1, &len);

	t = sign_trust_load(pki_path("ca", ".pem"), crl ? pki_path(crl, ".pem") : NULL,
	    err, sizeof err);
	assert_non_null(t);
	expect_rc(sign_verify(t, der, len, CHALLENGE, CHAL_LEN, SIGN_PURPOSE_AUTH, 0, &s),
	    want, &s);
	sign_signer_clear(&s);
	sign_trust_free(t);
	free(der);
}

static void
missing_crl_fails_closed(void **state)
{
	(void)state;
	verify_with_trust(NULL, SIGN_E_CRL);
}

static void
expired_crl_fails_closed(void **state)
{
	(void)state;
	verify_with_trust("crl-expired", SIGN_E_CRL);
}

static void
trust_load_reports_errors(void **state)
{
	char err[256];

	(void)state;
	assert_null(sign_trust_load("/nonexistent/ca.pem", NULL, err, sizeof err));
	assert_non_null(strstr(err, "/nonexistent/ca.pem"));
	/* an intermediate alone is no trust anchor */
	assert_null(sign_trust_load(pki_path("int", ".pem"), NULL, err, sizeof err));
	assert_non_null(strstr(err, "root"));
	/* a CRL file without CRLs */
	assert_null(sign_trust_load(pki_path("ca", ".pem"), pki_path("ca", ".pem"), err, sizeof err));
	assert_non_null(strstr(err, "no CRL"));
	assert_int_equal(ERR_peek_error(), 0);
}

/* ---------------------------------------------------- content and purpose */

static void
detached_signature_over_another_challenge_is_content(void **state)
{
	struct sign_signer s;
	size_t len;
	unsigned char *der = make_cms("parent1-auth", NULL, NULL, OTHER, sizeof OTHER - 1, 0, &len);

	(void)state;
	expect_rc(sign_verify(trust, der, len, CHALLENGE, CHAL_LEN, SIGN_PURPOSE_AUTH, 0, &s),
	    SIGN_E_CONTENT, &s);
	sign_signer_clear(&s);
	free(der);
}

static void
attached_signature_over_another_challenge_is_content(void **state)
{
	struct sign_signer s;
	size_t len;
	unsigned char *der = make_cms("parent1-auth", NULL, NULL, OTHER, sizeof OTHER - 1, 1, &len);

	(void)state;
	expect_rc(sign_verify(trust, der, len, CHALLENGE, CHAL_LEN, SIGN_PURPOSE_AUTH, 0, &s),
	    SIGN_E_CONTENT, &s);
	/* a prefix of the signed text is not the signed text either */
	expect_rc(sign_verify(trust, der, len, OTHER, sizeof OTHER - 2, SIGN_PURPOSE_AUTH, 0, &s),
	    SIGN_E_CONTENT, &s);
	sign_signer_clear(&s);
	free(der);
}

static void
tampered_signature_is_signature(void **state)
{
	struct sign_signer s;
	size_t len;
	unsigned char *der = make_cms("parent1-auth", NULL, NULL, CHALLENGE, CHAL_LEN, 1, &len);

	(void)state;
	der[len - 1] ^= 0x01;	/* the DER ends with the SignerInfo's signature value */
	expect_rc(sign_verify(trust, der, len, CHALLENGE, CHAL_LEN, SIGN_PURPOSE_AUTH, 0, &s),
	    SIGN_E_SIGNATURE, &s);
	sign_signer_clear(&s);
	free(der);
}

static void
auth_key_used_for_action_is_purpose(void **state)
{
	(void)state;
	sign_and_expect("parent1-auth", 1, SIGN_PURPOSE_ACTION, SIGN_E_PURPOSE);
}

static void
sign_key_used_to_log_in_is_purpose(void **state)
{
	(void)state;
	sign_and_expect("parent1-sign", 1, SIGN_PURPOSE_AUTH, SIGN_E_PURPOSE);
}

/* ------------------------------------------------------------ identity */

static void
verify_person(const char *who, enum sign_purpose purpose, struct sign_signer *s)
{
	size_t len;
	unsigned char *der = make_cms(who, NULL, NULL, CHALLENGE, CHAL_LEN, 1, &len);

	expect_rc(sign_verify(trust, der, len, CHALLENGE, CHAL_LEN, purpose, 0, s), SIGN_OK, s);
	free(der);
}

static void
wrong_person_iin_is_wrong_person(void **state)
{
	struct sign_signer s;

	(void)state;
	verify_person("parent2-auth", SIGN_PURPOSE_AUTH, &s);
	assert_int_equal(sign_check_person(&s, PARENT1_IIN, NULL), SIGN_E_WRONG_PERSON);
	assert_int_equal(sign_check_person(&s, "95080847715", NULL), SIGN_E_WRONG_PERSON);
	assert_int_equal(sign_check_person(&s, "950808477153", NULL), SIGN_OK);
	sign_signer_clear(&s);
}

static void
wrong_bin_is_wrong_bin(void **state)
{
	struct sign_signer s;

	(void)state;
	verify_person("staff2-wrongbin-sign", SIGN_PURPOSE_ACTION, &s);
	assert_int_equal(sign_check_person(&s, STAFF2_IIN, STAFF2_BIN), SIGN_E_WRONG_BIN);
	assert_int_equal(sign_check_person(&s, STAFF2_IIN, NULL), SIGN_OK);
	sign_signer_clear(&s);
	/* an individual's key (no BIN) cannot act for an organisation */
	verify_person("staff1-sign", SIGN_PURPOSE_ACTION, &s);
	assert_int_equal(sign_check_person(&s, "850312412032", STAFF2_BIN), SIGN_E_WRONG_BIN);
	sign_signer_clear(&s);
	verify_person("staff2-sign", SIGN_PURPOSE_ACTION, &s);
	assert_int_equal(sign_check_person(&s, STAFF2_IIN, STAFF2_BIN), SIGN_OK);
	sign_signer_clear(&s);
}

static void
iin_bin_and_names_are_extracted(void **state)
{
	struct sign_signer s;
	const unsigned char *p;
	X509 *x, *want;

	(void)state;
	verify_person("staff2-sign", SIGN_PURPOSE_ACTION, &s);
	assert_string_equal(s.iin, STAFF2_IIN);
	assert_string_equal(s.bin, STAFF2_BIN);
	assert_string_equal(s.common_name, "ЖУМАБЕКОВА ДИНАРА");
	assert_string_equal(s.surname, "ЖУМАБЕКОВА");
	assert_string_equal(s.given_name, "ДИНАРА");
	assert_string_equal(s.patronymic, "ЕРЛАНОВНА");
	assert_string_equal(s.organization, "ГККП Ясли-сад «Тестовый»");
	assert_non_null(strstr(s.issuer, "CN=KG TEST ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)"));
	assert_true(s.not_before < (long long)time(NULL));
	assert_true(s.not_after > (long long)time(NULL));
	assert_true(strlen(s.serial_hex) >= 30);
	/* cert_der is the signer's certificate */
	p = s.cert_der;
	x = d2i_X509(NULL, &p, (long)s.cert_len);
	assert_non_null(x);
	want = load_cert("staff2-sign");
	assert_int_equal(X509_cmp(x, want), 0);
	X509_free(x);
	X509_free(want);
	sign_signer_clear(&s);
	assert_null(s.cert_der);
	sign_signer_clear(&s);	/* twice is harmless */

	verify_person("parent3-auth", SIGN_PURPOSE_AUTH, &s);	/* Kazakh letters, no BIN */
	assert_string_equal(s.iin, "930101499197");
	assert_string_equal(s.bin, "");
	assert_string_equal(s.given_name, "АЙНҰР");
	assert_string_equal(s.patronymic, "ҚАЙРАТҚЫЗЫ");
	assert_string_equal(s.organization, "");
	sign_signer_clear(&s);
}

/* ------------------------------------------------------------------ GOST */

/*
 * OpenSSL cannot make (or verify) GOST 34.310 keys, so a "GOST" CMS is made
 * from a real RSA one by rewriting algorithm identifiers:
 *  - in the certificate: the DER of OID rsaEncryption (1.2.840.113549.1.1.1,
 *    06 09 2A 86 48 86 F7 0D 01 01 01) and of the Kazakh GOST 34.310 key OID
 *    1.2.398.3.10.1.1.1.1 (06 09 2A 83 0E 03 0A 01 01 01 01) have the same
 *    length, so the bytes are swapped in place and no length changes. Its
 *    first occurrence in a SignedData is the signer certificate's
 *    subjectPublicKeyInfo (certificates come before signerInfos);
 *  - in the SignerInfo: the digest algorithm is set to GOST 34.311
 *    (1.2.398.3.10.1.3.1) through the API and the CMS re-encoded.
 * The signature is then broken, which is the point: the verifier must answer
 * "GOST" before trying to verify.
 */
static void
gost_key_in_certificate_is_gost(void **state)
{
	static const unsigned char rsa[] = { 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01 };
	static const unsigned char gost[] = { 0x06, 0x09, 0x2A, 0x83, 0x0E, 0x03, 0x0A, 0x01, 0x01, 0x01, 0x01 };
	struct sign_signer s;
	size_t len, i;
	unsigned char *der = make_cms("parent1-sign", NULL, NULL, CHALLENGE, CHAL_LEN, 1, &len);

	(void)state;
	for (i = 0; i + sizeof rsa <= len; i++)
		if (memcmp(der + i, rsa, sizeof rsa) == 0)
			break;
	assert_true(i + sizeof rsa <= len);
	memcpy(der + i, gost, sizeof gost);
	expect_rc(sign_verify(trust, der, len, CHALLENGE, CHAL_LEN, SIGN_PURPOSE_ACTION, 0, &s),
	    SIGN_E_GOST, &s);
	sign_signer_clear(&s);
	free(der);
}

static void
gost_digest_in_signerinfo_is_gost(void **state)
{
	struct sign_signer s;
	size_t len;
	unsigned char *der = make_cms("parent1-sign", NULL, NULL, CHALLENGE, CHAL_LEN, 1, &len);
	const unsigned char *p = der;
	CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)len);
	X509_ALGOR *dig = NULL;
	unsigned char *der2, *q;
	int n;

	(void)state;
	assert_non_null(cms);
	CMS_SignerInfo_get0_algs(sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0),
	    NULL, NULL, &dig, NULL);
	assert_non_null(dig);
	assert_true(X509_ALGOR_set0(dig, OBJ_txt2obj("1.2.398.3.10.1.3.1", 1), V_ASN1_NULL, NULL));
	n = i2d_CMS_ContentInfo(cms, NULL);
	assert_true(n > 0);
	der2 = q = malloc((size_t)n);
	assert_non_null(der2);
	assert_int_equal(i2d_CMS_ContentInfo(cms, &q), n);
	expect_rc(sign_verify(trust, der2, (size_t)n, CHALLENGE, CHAL_LEN, SIGN_PURPOSE_ACTION,
	    0, &s), SIGN_E_GOST, &s);
	sign_signer_clear(&s);
	CMS_ContentInfo_free(cms);
	free(der2);
	free(der);
}

/* ------------------------------------------------- purposes and anchors */

/* A certificate of the genuine CA with neither keyUsage nor
 * extendedKeyUsage: OpenSSL's purpose check lets it through, the NCA key
 * usage check must not, for either purpose. */
static void
cert_without_key_usage_is_purpose_for_login_and_actions(void **state)
{
	(void)state;
	sign_and_expect("noku", 1, SIGN_PURPOSE_AUTH, SIGN_E_PURPOSE);
	sign_and_expect("noku", 1, SIGN_PURPOSE_ACTION, SIGN_E_PURPOSE);
}

/* A self-signed leaf naming a real person's IIN is no anchor. */
static void
self_signed_leaf_with_a_real_iin_is_untrusted(void **state)
{
	(void)state;
	sign_and_expect("selfsigned-parent1-auth", 1, SIGN_PURPOSE_AUTH, SIGN_E_UNTRUSTED);
}

/* A forged leaf with the genuine root and intermediate attached: carried
 * certificates are chain candidates, and none of them issued the leaf. */
static void
forged_leaf_with_the_genuine_chain_is_untrusted(void **state)
{
	struct sign_signer s;
	size_t len;
	unsigned char *der = make_cms("forged-parent1-auth", NULL, "ca", CHALLENGE, CHAL_LEN, 1, &len);

	(void)state;
	expect_rc(sign_verify(trust, der, len, CHALLENGE, CHAL_LEN, SIGN_PURPOSE_AUTH, 0, &s),
	    SIGN_E_UNTRUSTED, &s);
	sign_signer_clear(&s);
	free(der);
}

/* ------------------------------------------------------------ digests */

/* Signs CHALLENGE with parent1's AUTH key and digest md, attached and
 * detached, and expects want for both. */
static void
digest_expect(const EVP_MD *md, int pss, enum sign_err want)
{
	cms_md = md;
	cms_pss = pss;
	sign_and_expect("parent1-auth", 1, SIGN_PURPOSE_AUTH, want);
	sign_and_expect("parent1-auth", 0, SIGN_PURPOSE_AUTH, want);
	cms_md = NULL;
	cms_pss = 0;
}

static void
md5_signature_is_digest(void **state)
{
	(void)state;
	digest_expect(EVP_md5(), 0, SIGN_E_DIGEST);
}

static void
sha1_signature_is_digest(void **state)
{
	(void)state;
	digest_expect(EVP_sha1(), 0, SIGN_E_DIGEST);
}

static void
sha384_and_sha512_signatures_are_ok(void **state)
{
	(void)state;
	digest_expect(EVP_sha384(), 0, SIGN_OK);
	digest_expect(EVP_sha512(), 0, SIGN_OK);
}

static void
pss_with_sha256_is_ok_and_with_sha1_mask_is_digest(void **state)
{
	(void)state;
	digest_expect(EVP_sha256(), 1, SIGN_OK);
	digest_expect(EVP_sha256(), 2, SIGN_E_DIGEST);
}

/* A SHA-256 digestAlgorithm with a signatureAlgorithm that names SHA-1
 * (sha1WithRSAEncryption) is refused on the latter. */
static void
sha1_signature_algorithm_is_digest(void **state)
{
	struct sign_signer s;
	size_t len;
	unsigned char *der = make_cms("parent1-auth", NULL, NULL, CHALLENGE, CHAL_LEN, 1, &len);
	const unsigned char *p = der;
	CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)len);
	CMS_SignerInfo *si;
	X509_ALGOR *sig = NULL;
	unsigned char *der2, *q;
	int n;

	(void)state;
	assert_non_null(cms);
	si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
	CMS_SignerInfo_get0_algs(si, NULL, NULL, NULL, &sig);
	assert_true(X509_ALGOR_set0(sig, OBJ_nid2obj(NID_sha1WithRSAEncryption), V_ASN1_NULL, NULL));
	n = i2d_CMS_ContentInfo(cms, NULL);
	der2 = q = malloc((size_t)n);
	assert_non_null(der2);
	assert_int_equal(i2d_CMS_ContentInfo(cms, &q), n);
	expect_rc(sign_verify(trust, der2, (size_t)n, CHALLENGE, CHAL_LEN, SIGN_PURPOSE_AUTH, 0, &s),
	    SIGN_E_DIGEST, &s);
	assert_non_null(strstr(s.detail, "sha1WithRSAEncryption"));
	sign_signer_clear(&s);
	CMS_ContentInfo_free(cms);
	free(der2);
	free(der);
}

/* ------------------------------------------------------------ OCSP */

/* The DER of a PKI certificate, malloc'd. */
static unsigned char *
cert_der(const char *name, size_t *len)
{
	X509 *x = load_cert(name);
	unsigned char *der = NULL;
	int n = i2d_X509(x, &der);

	assert_true(n > 0);
	X509_free(x);
	*len = (size_t)n;
	return der;
}

/* The answer of `openssl ocsp` (offline: -reqin/-respout) to the request of
 * o, signed by `signer` ("ocsp" or "ocsp-rogue"). malloc'd. */
static unsigned char *
ocsp_answer(const struct sign_ocsp *o, const char *signer, size_t *len)
{
	char req[64] = "/tmp/kg-ocsp-req-XXXXXX", rsp[300], cmd[2048];
	size_t rl;
	const unsigned char *der = sign_ocsp_der(o, &rl);
	int fd = mkstemp(req);
	FILE *f;
	unsigned char *out;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, der, rl), (ssize_t)rl);
	close(fd);
	snprintf(rsp, sizeof rsp, "%s.rsp", req);
	snprintf(cmd, sizeof cmd, "openssl ocsp -index %s/work/int/index.txt -CA %s/int.pem -rsigner %s/%s.pem "
	    "-rkey %s/%s.key -reqin %s -respout %s >/dev/null 2>&1", pki, pki, pki, signer, pki, signer, req, rsp);
	assert_int_equal(system(cmd), 0);
	f = fopen(rsp, "rb");
	assert_non_null(f);
	out = malloc(65536);
	assert_non_null(out);
	*len = fread(out, 1, 65536, f);
	fclose(f);
	unlink(req);
	unlink(rsp);
	return out;
}

/* Asks about `who`'s certificate and judges the answer of `signer`. */
static enum sign_ocsp_status
ocsp_of(const char *who, const char *signer, long long *next)
{
	char detail[160];
	size_t cl, rl;
	unsigned char *c = cert_der(who, &cl);
	struct sign_ocsp *o = sign_ocsp_begin(trust, c, cl, detail, sizeof detail);
	unsigned char *r;
	enum sign_ocsp_status st;

	assert_non_null(o);
	assert_true(sign_ocsp_der(o, &rl) != NULL && rl > 0);
	assert_string_equal(sign_ocsp_aia(o), "");	/* the test PKI has no AIA */
	r = ocsp_answer(o, signer, &rl);
	st = sign_ocsp_finish(trust, o, r, rl, 0, next, detail, sizeof detail);
	if (getenv("TEST_SIGN_VERBOSE") != NULL)
		print_message("%s: %s\n", who, detail);
	free(r);
	sign_ocsp_free(o);
	OPENSSL_free(c);
	return st;
}

static void
ocsp_good_and_revoked_answers_are_read(void **state)
{
	long long next = -1;

	(void)state;
	assert_int_equal(ocsp_of("parent1-auth", "ocsp", &next), SIGN_OCSP_GOOD);
	assert_int_equal(next, 0);	/* no nextUpdate: nothing to cache */
	assert_int_equal(ocsp_of("revoked-auth", "ocsp", &next), SIGN_OCSP_REVOKED);
	assert_int_equal(ERR_peek_error(), 0);
}

static void
ocsp_answer_of_the_wrong_key_is_invalid(void **state)
{
	long long next;

	(void)state;
	assert_int_equal(ocsp_of("parent1-auth", "ocsp-rogue", &next), SIGN_OCSP_INVALID);
}

/* An answer to another request (another nonce) is refused, even though it
 * is a genuine answer about the same certificate. */
static void
ocsp_answer_with_another_nonce_is_invalid(void **state)
{
	char detail[160];
	size_t cl, rl;
	long long next;
	unsigned char *c = cert_der("parent1-auth", &cl), *r;
	struct sign_ocsp *a = sign_ocsp_begin(trust, c, cl, detail, sizeof detail);
	struct sign_ocsp *b = sign_ocsp_begin(trust, c, cl, detail, sizeof detail);

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	r = ocsp_answer(a, "ocsp", &rl);
	assert_int_equal(sign_ocsp_finish(trust, a, r, rl, 0, &next, detail, sizeof detail), SIGN_OCSP_GOOD);
	assert_int_equal(sign_ocsp_finish(trust, b, r, rl, 0, &next, detail, sizeof detail), SIGN_OCSP_INVALID);
	assert_non_null(strstr(detail, "nonce"));
	assert_int_equal(sign_ocsp_finish(trust, a, (const unsigned char *)"junk", 4, 0, &next, detail,
	    sizeof detail), SIGN_OCSP_INVALID);
	free(r);
	sign_ocsp_free(a);
	sign_ocsp_free(b);
	OPENSSL_free(c);
}

/* A certificate whose issuer is not an anchor gets no request. */
static void
ocsp_of_a_forged_certificate_is_not_asked(void **state)
{
	char detail[160];
	size_t cl;
	unsigned char *c = cert_der("forged-parent1-auth", &cl);

	(void)state;
	assert_null(sign_ocsp_begin(trust, c, cl, detail, sizeof detail));
	assert_non_null(strstr(detail, "issuer"));
	OPENSSL_free(c);
}

/* ------------------------------------------------------------ the API */

static void
every_error_has_a_unique_name(void **state)
{
	(void)state;
	for (int i = 0; i < SIGN_E__MAX; i++) {
		assert_non_null(sign_err_names[i]);
		assert_string_equal(sign_err_name((enum sign_err)i), sign_err_names[i]);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(sign_err_names[i], sign_err_names[j]);
	}
	assert_string_equal(sign_err_names[SIGN_E_REVOKED], "revoked");
	assert_string_equal(sign_err_name(SIGN_E__MAX), "internal");
	assert_string_equal(sign_err_name((enum sign_err)-1), "internal");
}

static void
bad_arguments_are_internal(void **state)
{
	struct sign_signer s;
	static const unsigned char x[] = "x";

	(void)state;
	assert_int_equal(sign_verify(NULL, x, 1, CHALLENGE, CHAL_LEN, SIGN_PURPOSE_AUTH, 0, &s),
	    SIGN_E_INTERNAL);
	assert_int_equal(sign_verify(trust, x, 1, NULL, 0, SIGN_PURPOSE_AUTH, 0, &s),
	    SIGN_E_INTERNAL);
	assert_int_equal(sign_verify(trust, x, 1, CHALLENGE, CHAL_LEN, SIGN_PURPOSE_AUTH, 0, NULL),
	    SIGN_E_INTERNAL);
	assert_int_equal(sign_check_person(NULL, PARENT1_IIN, NULL), SIGN_E_INTERNAL);
	sign_signer_clear(&s);
	sign_signer_clear(NULL);
}

static void
error_queue_is_left_empty(void **state)
{
	struct sign_signer s;
	size_t len;
	unsigned char *der = make_cms("forged-parent1-auth", NULL, NULL, CHALLENGE, CHAL_LEN, 1, &len);

	(void)state;
	ERR_clear_error();
	expect_rc(sign_verify(trust, der, len, CHALLENGE, CHAL_LEN, SIGN_PURPOSE_AUTH, 0, &s),
	    SIGN_E_UNTRUSTED, &s);
	assert_int_equal(ERR_peek_error(), 0);
	der[len - 1] ^= 1;
	expect_rc(sign_verify(trust, der, len, CHALLENGE, CHAL_LEN, SIGN_PURPOSE_AUTH, 0, &s),
	    SIGN_E_SIGNATURE, &s);
	assert_int_equal(ERR_peek_error(), 0);
	sign_signer_clear(&s);
	free(der);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(auth_attached_der_is_ok),
		cmocka_unit_test(auth_detached_der_is_ok),
		cmocka_unit_test(auth_base64_with_line_breaks_is_ok),
		cmocka_unit_test(auth_base64_one_line_is_ok),
		cmocka_unit_test(auth_pem_is_ok),
		cmocka_unit_test(auth_made_by_openssl_cms_command_is_ok),
		cmocka_unit_test(action_signed_with_sign_key_is_ok),
		cmocka_unit_test(verify_time_zero_means_now),
		cmocka_unit_test(garbage_is_format),
		cmocka_unit_test(bad_base64_is_format),
		cmocka_unit_test(empty_is_empty),
		cmocka_unit_test(too_large_is_refused_before_parsing),
		cmocka_unit_test(trailing_bytes_after_der_are_format),
		cmocka_unit_test(two_signers_are_refused),
		cmocka_unit_test(forged_ca_is_untrusted),
		cmocka_unit_test(expired_cert_is_expired),
		cmocka_unit_test(future_cert_is_not_yet_valid),
		cmocka_unit_test(verification_uses_the_given_time),
		cmocka_unit_test(revoked_cert_is_revoked),
		cmocka_unit_test(missing_crl_fails_closed),
		cmocka_unit_test(expired_crl_fails_closed),
		cmocka_unit_test(trust_load_reports_errors),
		cmocka_unit_test(detached_signature_over_another_challenge_is_content),
		cmocka_unit_test(attached_signature_over_another_challenge_is_content),
		cmocka_unit_test(tampered_signature_is_signature),
		cmocka_unit_test(auth_key_used_for_action_is_purpose),
		cmocka_unit_test(sign_key_used_to_log_in_is_purpose),
		cmocka_unit_test(wrong_person_iin_is_wrong_person),
		cmocka_unit_test(wrong_bin_is_wrong_bin),
		cmocka_unit_test(iin_bin_and_names_are_extracted),
		cmocka_unit_test(gost_key_in_certificate_is_gost),
		cmocka_unit_test(gost_digest_in_signerinfo_is_gost),
		cmocka_unit_test(cert_without_key_usage_is_purpose_for_login_and_actions),
		cmocka_unit_test(self_signed_leaf_with_a_real_iin_is_untrusted),
		cmocka_unit_test(forged_leaf_with_the_genuine_chain_is_untrusted),
		cmocka_unit_test(md5_signature_is_digest),
		cmocka_unit_test(sha1_signature_is_digest),
		cmocka_unit_test(sha384_and_sha512_signatures_are_ok),
		cmocka_unit_test(pss_with_sha256_is_ok_and_with_sha1_mask_is_digest),
		cmocka_unit_test(sha1_signature_algorithm_is_digest),
		cmocka_unit_test(ocsp_good_and_revoked_answers_are_read),
		cmocka_unit_test(ocsp_answer_of_the_wrong_key_is_invalid),
		cmocka_unit_test(ocsp_answer_with_another_nonce_is_invalid),
		cmocka_unit_test(ocsp_of_a_forged_certificate_is_not_asked),
		cmocka_unit_test(every_error_has_a_unique_name),
		cmocka_unit_test(bad_arguments_are_internal),
		cmocka_unit_test(error_queue_is_left_empty),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
