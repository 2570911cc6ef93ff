/*
 * fuzz_sign — sign_verify on arbitrary bytes as the CMS (DER, base64, PEM:
 * the three encodings the browser may send), against the test PKI's trust
 * anchors and CRLs (KG_PKI, default build/pki: tests/tools/pki.sh makes
 * it). The expected text is fixed; both purposes are tried.
 *
 * What must hold whatever the bytes: no crash, no leak, OpenSSL's error
 * queue left empty, a result inside the enum, the signer filled only on
 * SIGN_OK (it cannot be: nobody here holds a key), and a diagnostic on
 * every failure.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "base/sign.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "broken promise: %s\n", #c); abort(); } } while (0)

static struct sign_trust *trust;
static const unsigned char expected[] = "kg-fuzz-challenge";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	const char *pki = getenv("KG_PKI");
	char ca[1024], crl[1024], err[512];
	snprintf(ca, sizeof ca, "%s/ca.pem", pki && *pki ? pki : "build/pki");
	snprintf(crl, sizeof crl, "%s/crl.pem", pki && *pki ? pki : "build/pki");
	trust = sign_trust_load(ca, crl, err, sizeof err);
	if (!trust) {
		fprintf(stderr, "fuzz_sign: no trust store (%s); run tests/tools/pki.sh build/pki\n", err);
		exit(2);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int purpose = SIGN_PURPOSE_AUTH; purpose <= SIGN_PURPOSE_ACTION; purpose++) {
		struct sign_signer who;
		enum sign_err e = sign_verify(trust, data, size, expected, sizeof expected - 1,
					      (enum sign_purpose)purpose, 0, &who);
		CHECK((int)e >= 0 && e < SIGN_E__MAX);
		CHECK(ERR_peek_error() == 0);
		CHECK(who.detail[0] != '\0');
		CHECK(memchr(who.detail, '\0', sizeof who.detail) != NULL);
		if (e != SIGN_OK) {
			CHECK(who.iin[0] == '\0' && who.cert_der == NULL && who.common_name[0] == '\0');
		} else {
			CHECK(strlen(who.iin) == 12);
			CHECK(sign_check_person(&who, who.iin, NULL) == SIGN_OK);
		}
		CHECK(strcmp(sign_err_name(e), "internal") != 0 || e == SIGN_E_INTERNAL);
		sign_signer_clear(&who);
	}
	return 0;
}
