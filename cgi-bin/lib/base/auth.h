/*
 * auth.h — passwords.
 *
 * Argon2id (libargon2) with the parameters of the settings Auth.Argon2T
 * (passes), Auth.Argon2M (KiB) and Auth.Argon2P (lanes); the encoded hash
 * ($argon2id$v=19$m=...,t=...,p=...$salt$hash) carries them, so changing
 * the settings does not lock anyone out. Prefix auth_.
 */
#ifndef KG_AUTH_H
#define KG_AUTH_H

#include <stddef.h>

#define AUTH_HASH_MAX 160
#define AUTH_PASSWORD_MIN 8
#define AUTH_PASSWORD_MAX 128

/* Hashes a password with a fresh random salt into out. 0 or -1. */
int auth_hash_password(const char *password, char out[AUTH_HASH_MAX]);
/* 1 when the password matches the encoded hash, 0 otherwise (including a
 * malformed hash). */
int auth_check_password(const char *encoded, const char *password);
/* A random one-time password of n characters from an unambiguous
 * alphabet (no 0/O, 1/l/I). 0 or -1. */
int auth_random_password(char *out, size_t n);

#endif
