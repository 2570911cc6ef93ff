/* auth.c — see auth.h. */
#include "base/auth.h"

#include <string.h>

#include <argon2.h>

#include "base/conf.h"
#include "base/util.h"

int auth_hash_password(const char *pw, char out[AUTH_HASH_MAX])
{
	size_t n = strlen(pw);
	if (n < 1 || n > AUTH_PASSWORD_MAX)
		return -1;
	unsigned char salt[16];
	if (u_random(salt, sizeof salt) < 0)
		return -1;
	uint32_t t = (uint32_t)conf_int("Auth.Argon2T", 2);
	uint32_t m = (uint32_t)conf_int("Auth.Argon2M", 19456);
	uint32_t p = (uint32_t)conf_int("Auth.Argon2P", 1);
	int rc = argon2id_hash_encoded(t, m, p, pw, n, salt, sizeof salt, 32, out, AUTH_HASH_MAX);
	return rc == ARGON2_OK ? 0 : -1;
}

int auth_check_password(const char *encoded, const char *pw)
{
	if (!encoded || strncmp(encoded, "$argon2id$", 10) != 0)
		return 0;
	size_t n = strlen(pw);
	if (n > AUTH_PASSWORD_MAX)
		return 0;
	return argon2id_verify(encoded, pw, n) == ARGON2_OK;
}

int auth_random_password(char *out, size_t n)
{
	static const char al[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	unsigned char r[64];
	if (n == 0 || n > sizeof r)
		return -1;
	/* Rejection sampling keeps the distribution uniform. */
	size_t i = 0;
	while (i < n - 1) {
		if (u_random(r, sizeof r) < 0)
			return -1;
		for (size_t j = 0; j < sizeof r && i < n - 1; j++)
			if (r[j] < (256 / (sizeof al - 1)) * (sizeof al - 1))
				out[i++] = al[r[j] % (sizeof al - 1)];
	}
	out[n - 1] = '\0';
	return 0;
}
