/*
 * Unit tests of the library's infrastructure: validation (IIN vectors,
 * numbers, dates, phones), masking, escaping in templates, migrations,
 * the schema's rules, the audit chain, sessions and CSRF tokens, running
 * an external program.
 * Needs KG_TOP (the source tree) for sql/ and a scratch directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>

#include <openssl/evp.h>

#include "domain/audit.h"
#include "base/auth.h"
#include "base/cal.h"
#include "base/conf.h"
#include "base/db.h"
#include "web/req.h"
#include "web/sess.h"
#include "base/util.h"
#include "web/val.h"
#include "web/view.h"

#include "unit.h"

/* ------------------------------------------------------------ hashing */

/* u_sha256 is libnettle's (util.c): the FIPS 180-4 examples, then
 * OpenSSL's answer on every length from 0 to 300 bytes (every padding
 * case) and on two megabytes of random bytes. */
static void sha256_matches_the_standard_and_openssl(void **st)
{
	(void)st;
	unsigned char h[32], ref[32];
	char hex[65];
	u_sha256("abc", 3, h);
	u_hex(h, 32, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	u_sha256("", 0, h);
	u_hex(h, 32, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	u_sha256(two, strlen(two), h);
	u_hex(h, 32, hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	size_t big = 2 * 1024 * 1024 + 17;
	unsigned char *buf = malloc(big);
	assert_non_null(buf);
	assert_int_equal(u_random(buf, big), 0);
	for (size_t n = 0; n <= 300; n++) {
		unsigned int len = 32;
		u_sha256(buf, n, h);
		assert_int_equal(EVP_Digest(buf, n, ref, &len, EVP_sha256(), NULL), 1);
		assert_memory_equal(h, ref, 32);
	}
	unsigned int len = 32;
	u_sha256(buf, big, h);
	assert_int_equal(EVP_Digest(buf, big, ref, &len, EVP_sha256(), NULL), 1);
	assert_memory_equal(h, ref, 32);
	/* The random bytes are not all the same (the generator works). */
	size_t same = 0;
	for (size_t i = 1; i < 4096; i++)
		same += buf[i] == buf[0];
	assert_true(same < 100);
	free(buf);
}

/* ---------------------------------------------------------------- IIN */

static void iin_valid_vectors_pass(void **st)
{
	(void)st;
	/* Persons of the demo (tests/tools/persons.tsv) and children. */
	const char *ok[] = {"850312412032", "900517322416", "880121433072", "791105344197",
			    "210415511216", "220907622313", "230118533414", "200606644512"};
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		struct iin_info info;
		assert_null(iin_check(ok[i], 1, &info));
	}
}

static void iin_gives_birth_date_and_sex(void **st)
{
	(void)st;
	struct iin_info info;
	assert_null(iin_check("850312412032", 1, &info));
	assert_int_equal(info.birth, cal_days_from_ymd(1985, 3, 12));
	assert_int_equal(info.sex, 'F');
	assert_int_equal(info.year, 1985);
	assert_null(iin_check("210415511216", 1, &info));
	assert_int_equal(info.birth, cal_days_from_ymd(2021, 4, 15));
	assert_int_equal(info.sex, 'M');
}

static void iin_wrong_check_digit_is_refused(void **st)
{
	(void)st;
	assert_string_equal(iin_check("850312412033", 1, NULL), "Err.iin_checksum");
	/* ... unless the deployment switched the checksum off. */
	assert_null(iin_check("850312412033", 0, NULL));
}

static void iin_second_weights_are_used_when_first_sum_is_10(void **st)
{
	(void)st;
	/* Find a number whose first weighted sum mod 11 is 10 and check that
	 * the second weighting decides. */
	char s[13] = "000101300000";
	int found = 0;
	for (int serial = 0; serial < 10000 && !found; serial++) {
		snprintf(s, sizeof s, "000101%d%04d", 3, serial);
		s[11] = '0';
		int sum = 0;
		for (int i = 0; i < 11; i++)
			sum += (s[i] - '0') * (i + 1);
		if (sum % 11 != 10)
			continue;
		static const int w2[11] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};
		int sum2 = 0;
		for (int i = 0; i < 11; i++)
			sum2 += (s[i] - '0') * w2[i];
		if (sum2 % 11 == 10) {
			s[11] = '0';
			assert_false(iin_checksum(s)); /* invalid for every check digit */
			continue;
		}
		s[11] = (char)('0' + sum2 % 11);
		assert_true(iin_checksum(s));
		found = 1;
	}
	assert_true(found);
}

static void iin_format_and_date_errors(void **st)
{
	(void)st;
	assert_string_equal(iin_check("85031241203", 1, NULL), "Err.iin_format");
	assert_string_equal(iin_check("8503124120321", 1, NULL), "Err.iin_format");
	assert_string_equal(iin_check("85031241203a", 1, NULL), "Err.iin_format");
	assert_string_equal(iin_check("", 1, NULL), "Err.iin_format");
	assert_string_equal(iin_check("850230412030", 0, NULL), "Err.iin_date");   /* 30 February */
	assert_string_equal(iin_check("851312412030", 0, NULL), "Err.iin_date");   /* month 13 */
	assert_string_equal(iin_check("850312012030", 0, NULL), "Err.iin_date");   /* century digit 0 */
	assert_string_equal(iin_check("850312712030", 0, NULL), "Err.iin_date");   /* century digit 7 */
	assert_null(iin_check("000229500000", 0, NULL));                            /* 29.02.2000 exists */
	assert_string_equal(iin_check("000229300000", 0, NULL), "Err.iin_date");   /* 29.02.1900 does not */
}

/* -------------------------------------------------- other validators */

static void phones_are_normalised(void **st)
{
	(void)st;
	char out[13];
	assert_int_equal(u_phone("+7 701 555 00 01", out), 0);
	assert_string_equal(out, "+77015550001");
	assert_int_equal(u_phone("8 (701) 555-00-01", out), 0);
	assert_string_equal(out, "+77015550001");
	assert_int_equal(u_phone("7015550001", out), 0);
	assert_string_equal(out, "+77015550001");
	assert_int_equal(u_phone("+7 7162 72 00 00", out), 0);
	assert_int_equal(u_phone("+7 495 123 45 67", out), -1);   /* Russia, not Kazakhstan */
	assert_int_equal(u_phone("+1 701 555 0001", out), -1);
	assert_int_equal(u_phone("701555000", out), -1);
	assert_int_equal(u_phone("+7701555000a", out), -1);
	assert_int_equal(u_phone("", out), -1);
}

static void emails_are_checked(void **st)
{
	(void)st;
	assert_true(val_email("name@mail.kz"));
	assert_true(val_email("a.b-c@edu.akmola.gov.kz"));
	assert_false(val_email("name@"));
	assert_false(val_email("@mail.kz"));
	assert_false(val_email("name@mailkz"));
	assert_false(val_email("a b@mail.kz"));
	assert_false(val_email("a@b@mail.kz"));
	assert_false(val_email("<x>@mail.kz"));
}

static void integers_are_fully_checked(void **st)
{
	(void)st;
	long long v;
	assert_int_equal(u_strtoll("42", 0, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(u_strtoll("-5", -10, 10, &v), 0);
	assert_int_equal(v, -5);
	assert_int_equal(u_strtoll("42abc", 0, 100, &v), -1);
	assert_int_equal(u_strtoll(" 42", 0, 100, &v), -1);
	assert_int_equal(u_strtoll("", 0, 100, &v), -1);
	assert_int_equal(u_strtoll("-", 0, 100, &v), -1);
	assert_int_equal(u_strtoll("101", 0, 100, &v), -1);
	assert_int_equal(u_strtoll("99999999999999999999", 0, 1LL << 62, &v), -1);
	assert_int_equal(u_strtoll("0x10", 0, 100, &v), -1);
	assert_int_equal(u_strtoll("+5", 0, 100, &v), -1);
}

static void masks_hide_personal_data(void **st)
{
	(void)st;
	char m[13];
	u_mask_iin("850312412032", m);
	assert_string_equal(m, "8503******32");
	u_mask_iin("12345", m);
	assert_string_equal(m, "12345");
	char line[] = "login refused for 850312412032 from 10.0.0.1, referral 1000001101";
	u_mask_iins_in(line);
	assert_string_equal(line, "login refused for 8503******32 from 10.0.0.1, referral 1000001101");
	struct arena *a = arena_new();
	assert_string_equal(u_mask_name(a, "ТУЛЕУБАЕВА", "ФАТИМА", "МЕЙРАМОВНА"), "ТУЛЕУБАЕВА Ф. М.");
	assert_string_equal(u_mask_name(a, "ӘЛІМОВ", "ӨМІРЗАҚ", ""), "ӘЛІМОВ Ө.");
	assert_string_equal(u_initials(a, "ТУЛЕУБАЕВА", "ФАТИМА", "МЕЙРАМОВНА"), "Т. Ф. М.");
	assert_string_equal(u_initials(a, "ӘЛІ", "ҰЛАН", ""), "Ә. Ұ.");
	arena_free(a);
	char p[20];
	u_mask_phone("+77015550001", p);
	assert_string_equal(p, "+7701***0001");
}

static void display_forms_of_dates_names_sizes_and_templates(void **st)
{
	(void)st;
	struct arena *a = arena_new();
	long long t = cal_unix_from_day(cal_days_from_ymd(2026, 3, 9)) + 14 * 3600 + 5 * 60;   /* local time */
	assert_string_equal(arena_date(a, t), "09.03.2026");
	assert_string_equal(arena_datetime(a, t), "09.03.2026 14:05");
	assert_string_equal(arena_iso_date(a, "2021-05-17"), "17.05.2021");
	assert_string_equal(arena_iso_date(a, ""), "");
	assert_string_equal(arena_iso_date(a, "17.05.2021x"), "17.05.2021x");
	assert_string_equal(arena_full_name(a, "ӘЛІМОВ", "ӨМІРЗАҚ", ""), "ӘЛІМОВ ӨМІРЗАҚ");
	assert_string_equal(arena_full_name(a, "ТУЛЕУБАЕВА", "ФАТИМА", "МЕЙРАМОВНА"), "ТУЛЕУБАЕВА ФАТИМА МЕЙРАМОВНА");
	assert_string_equal(arena_full_name(a, "А", "Б", NULL), "А Б");
	assert_string_equal(arena_file_size(a, 1, "KB", "MB"), "1 KB");
	assert_string_equal(arena_file_size(a, 1025, "KB", "MB"), "2 KB");
	assert_string_equal(arena_file_size(a, 3 * 1048576 / 2, "KB", "MB"), "1.5 MB");
	/* Every placeholder of the pairs, in one pass: a value is not scanned again. */
	const char *kv[] = {"child", "{ref}", "ref", "1000000101", NULL};
	assert_string_equal(arena_subst(a, "{child}: {ref}, {ref}; {x} {ref", kv), "{ref}: 1000000101, 1000000101; {x} {ref");
	assert_string_equal(arena_subst(a, "", kv), "");
	char small[5];
	u_copy(small, sizeof small, "abcdefgh");
	assert_string_equal(small, "abcd");
	u_copy(small, sizeof small, NULL);
	assert_string_equal(small, "");
	arena_free(a);
}

static void base64url_and_tokens(void **st)
{
	(void)st;
	char out[16];
	u_b64url((const unsigned char *)"f", 1, out);
	assert_string_equal(out, "Zg");
	u_b64url((const unsigned char *)"fo", 2, out);
	assert_string_equal(out, "Zm8");
	u_b64url((const unsigned char *)"foo", 3, out);
	assert_string_equal(out, "Zm9v");
	u_b64url((const unsigned char *)"\xfb\xff", 2, out);
	assert_string_equal(out, "-_8");
	char t1[44], t2[44];
	assert_int_equal(u_token(t1), 0);
	assert_int_equal(u_token(t2), 0);
	assert_int_equal(strlen(t1), 43);
	assert_string_not_equal(t1, t2);
	assert_true(u_streq_ct(t1, t1));
	assert_false(u_streq_ct(t1, t2));
	assert_false(u_streq_ct(t1, "short"));
}

static void utf8_validation(void **st)
{
	(void)st;
	assert_true(u_utf8_valid("Қазақстан Республикасы", 0));
	assert_false(u_utf8_valid("line\nbreak", 0));
	assert_true(u_utf8_valid("line\nbreak", 1));
	assert_false(u_utf8_valid("\xc0\xaf", 0));           /* overlong */
	assert_false(u_utf8_valid("\xed\xa0\x80", 0));       /* surrogate */
	assert_false(u_utf8_valid("bad\x01", 1));
	assert_int_equal(u_utf8_len("Әсем"), 4);
}

static void passwords_hash_and_verify(void **st)
{
	(void)st;
	char h[AUTH_HASH_MAX], h2[AUTH_HASH_MAX];
	assert_int_equal(auth_hash_password("correct horse", h), 0);
	assert_int_equal(strncmp(h, "$argon2id$", 10), 0);
	assert_true(auth_check_password(h, "correct horse"));
	assert_false(auth_check_password(h, "correct horsf"));
	assert_false(auth_check_password("$2y$10$notargon", "correct horse"));
	assert_int_equal(auth_hash_password("correct horse", h2), 0);
	assert_string_not_equal(h, h2);   /* salted */
	char pw[13];
	assert_int_equal(auth_random_password(pw, sizeof pw), 0);
	assert_int_equal(strlen(pw), 12);
}

/* ------------------------------------------------- database and schema */

static void migrations_bring_the_database_to_the_latest_version(void **st)
{
	(void)st;
	char sql[512], err[256];
	snprintf(sql, sizeof sql, "%s/sql", ut_top);
	int latest = db_latest_migration(sql);
	assert_true(latest >= 3);
	assert_int_equal(db_user_version(), latest);
	/* A second run applies nothing. */
	assert_int_equal(db_migrate(sql, err, sizeof err), 0);
	assert_int_equal(db_int("SELECT count(*) FROM district", 0, NULL), 20);
	assert_int_equal(db_int("SELECT count(*) FROM district WHERE kind = 'city'", 0, NULL), 3);
}

static void a_migration_with_an_error_changes_nothing(void **st)
{
	(void)st;
	char d[300], f[400], err[256];
	snprintf(d, sizeof d, "%s/badsql", ut_dir);
	u_mkdirs(d);
	snprintf(f, sizeof f, "%s/001_a.sql", d);
	FILE *fp = fopen(f, "w");
	fputs("CREATE TABLE zz(a);", fp);
	fclose(fp);
	snprintf(f, sizeof f, "%s/999_b.sql", d);
	fp = fopen(f, "w");
	fputs("CREATE TABLE yy(a); THIS IS NOT SQL;", fp);
	fclose(fp);
	int before = db_user_version();
	assert_int_equal(db_migrate(d, err, sizeof err), -1);
	assert_non_null(strstr(err, "999_b.sql"));
	assert_int_equal(db_user_version(), before);
	assert_int_equal(db_int("SELECT count(*) FROM sqlite_master WHERE name = 'yy'", -1, NULL), 0);
}

static long long make_account(const char *iin, int roles)
{
	long long now = u_now();
	assert_int_equal(db_exec("INSERT INTO account(iin, surname, name, roles, created_at, updated_at) "
				 "VALUES (?, 'ТЕСТОВ', 'ТЕСТ', ?, ?, ?)", "tiII", iin, roles, now, now), SQLITE_DONE);
	return db_last_id();
}

static void saved_free_places_cannot_be_edited_or_deleted(void **st)
{
	(void)st;
	long long acc = make_account("880121433072", ROLE_STAFF);
	long long now = u_now();
	assert_int_equal(db_exec("INSERT INTO ddo(district_id, kind, name_ru, name_kk, address, phone, owner_iin, owner_phone, "
				 "owner_email, created_at, updated_at) VALUES (1110, 'state', 'Д', 'Д', 'a', 'p', '880121433072', 'p', 'e', ?, ?)",
				 "II", now, now), SQLITE_DONE);
	long long ddo = db_last_id();
	assert_int_equal(db_exec("INSERT INTO free_place(ddo_id, district_id, group_year, language, total, free, created_by, "
				 "created_at, window_until, status) VALUES (?, 1110, 2021, 'ru', 10, 10, ?, ?, ?, 'waiting')",
				 "IIII", ddo, acc, now, now + 86400), SQLITE_DONE);
	long long fp = db_last_id();
	assert_int_equal(db_exec("UPDATE free_place SET total = 12 WHERE id = ?", "I", fp) & 0xff, SQLITE_CONSTRAINT);
	assert_int_equal(db_exec("UPDATE free_place SET language = 'kk' WHERE id = ?", "I", fp) & 0xff, SQLITE_CONSTRAINT);
	assert_int_equal(db_exec("DELETE FROM free_place WHERE id = ?", "I", fp) & 0xff, SQLITE_CONSTRAINT);
	/* A new record must start full, and the free count cannot go below 0. */
	assert_int_equal(db_exec("INSERT INTO free_place(ddo_id, district_id, group_year, language, total, free, created_by, "
				 "created_at, window_until, status) VALUES (?, 1110, 2021, 'ru', 10, 9, ?, ?, ?, 'waiting')",
				 "IIII", ddo, acc, now, now) & 0xff, SQLITE_CONSTRAINT);
	assert_int_equal(db_exec("UPDATE free_place SET free = -1 WHERE id = ?", "I", fp) & 0xff, SQLITE_CONSTRAINT);
	assert_int_equal(db_int("SELECT total FROM free_place WHERE id = ?", 0, "I", fp), 10);
}

static void statuses_are_closed_sets(void **st)
{
	(void)st;
	long long now = u_now();
	assert_int_equal(db_exec("INSERT INTO child(iin, surname, name, birth_date, sex, created_at) "
				 "VALUES ('210415511216', 'А', 'Б', '2021-04-15', 'X', ?)", "I", now) & 0xff, SQLITE_CONSTRAINT);
	assert_int_equal(db_exec("INSERT INTO child(iin, surname, name, birth_date, sex, created_at) "
				 "VALUES ('210415511216', 'А', 'Б', '2021-02-30', 'M', ?)", "I", now) & 0xff, SQLITE_CONSTRAINT);
}

static void audit_chain_verifies_and_detects_tampering(void **st)
{
	(void)st;
	assert_int_equal(audit_log(0, "system", "127.0.0.1", "test_a", "x", 1, "ok", "first"), 0);
	assert_int_equal(audit_log(0, "system", "127.0.0.1", "test_b", "x", 2, "ok", "IIN 850312412032"), 0);
	assert_int_equal(audit_log(0, "system", "127.0.0.1", "test_c", "x", 3, "refused", "third"), 0);
	assert_int_equal(audit_verify(), 0);
	/* IINs in details are masked. */
	char d[128];
	db_text(d, sizeof d, "SELECT details FROM audit WHERE action = 'test_b'", NULL);
	assert_string_equal(d, "IIN 8503******32");
	/* The log refuses edits... */
	assert_int_equal(db_exec("UPDATE audit SET details = 'x' WHERE action = 'test_b'", NULL) & 0xff, SQLITE_CONSTRAINT);
	assert_int_equal(db_exec("DELETE FROM audit WHERE action = 'test_a'", NULL) & 0xff, SQLITE_CONSTRAINT);
	/* ... and someone who bypasses the triggers is found out. */
	long long bad = db_int("SELECT id FROM audit WHERE action = 'test_b'", 0, NULL);
	sqlite3_exec(db_handle(), "DROP TRIGGER audit_no_update", NULL, NULL, NULL);
	sqlite3_exec(db_handle(), "UPDATE audit SET details = 'nothing happened' WHERE action = 'test_b'", NULL, NULL, NULL);
	assert_int_equal(audit_verify(), bad);
	sqlite3_exec(db_handle(), "UPDATE audit SET details = 'IIN 8503******32' WHERE action = 'test_b'", NULL, NULL, NULL);
	assert_int_equal(audit_verify(), 0);
	sqlite3_exec(db_handle(), "DROP TRIGGER audit_no_delete", NULL, NULL, NULL);
	sqlite3_exec(db_handle(), "DELETE FROM audit WHERE action = 'test_b'", NULL, NULL, NULL);
	assert_true(audit_verify() > 0);
}

/* ------------------------------------------------ views and sessions */

/* A GET from 127.0.0.1 carrying the session cookie (NULL: none). */
static struct req *new_req(const char *cookie_sid)
{
	struct req *r = ut_req();
	r->ip = "127.0.0.1";
	r->method = M_GET;
	if (cookie_sid)
		hdf_set_value(r->hdf, "Cookie.kg_sid", cookie_sid);
	return r;
}

static void templates_escape_every_value(void **st)
{
	(void)st;
	struct req *r = new_req(NULL);
	hdf_set_value(r->hdf, "X", "<script>alert(\"x\")</script>&'");
	assert_int_equal(view_render(r, "t.cs"), 0);
	assert_null(strstr(r->body.s, "<script>"));
	assert_non_null(strstr(r->body.s, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"));
	/* Interface strings come from the request's language. */
	assert_non_null(strstr(r->body.s, "[Привет]"));
	ut_free_req(r);
	r = new_req(NULL);
	r->lang = "kk";
	hdf_set_value(r->hdf, "X", "a");
	assert_int_equal(view_render(r, "t.cs"), 0);
	assert_non_null(strstr(r->body.s, "[Сәлем]"));
	/* A value used in a URL is URL-escaped and then HTML-escaped. */
	hdf_set_value(r->hdf, "X", "a b&c");
	assert_int_equal(view_render(r, "t.cs"), 0);
	assert_non_null(strstr(r->body.s, "href=\"/x?q=a+b%26c\""));
	ut_free_req(r);
}

/* Labels are put into the parsed template of each language (view.c):
 * escaped as var: escapes them, in included files too, never evaluated,
 * and each language's parse keeps its own. */
static void labels_are_inlined_per_language_as_var_would_print_them(void **st)
{
	(void)st;
	struct req *r = new_req(NULL);
	hdf_set_value(r->hdf, "X", "x<");
	assert_int_equal(view_render(r, "labels.cs"), 0);
	assert_string_equal(r->body.s, "{Привет}(A &amp; B &lt;&quot;c&quot;&gt;)(&lt;?cs var:X ?&gt;)()(x&lt;)");
	ut_free_req(r);
	r = new_req(NULL);
	r->lang = "kk";
	hdf_set_value(r->hdf, "X", "y");
	assert_int_equal(view_render(r, "labels.cs"), 0);
	assert_string_equal(r->body.s, "{Сәлем}(Ә &amp; Б)(&lt;?cs var:X ?&gt;)()(y)");
	ut_free_req(r);
	r = new_req(NULL);
	hdf_set_value(r->hdf, "X", "z");
	assert_int_equal(view_render(r, "labels.cs"), 0);
	assert_string_equal(r->body.s, "{Привет}(A &amp; B &lt;&quot;c&quot;&gt;)(&lt;?cs var:X ?&gt;)()(z)");
	ut_free_req(r);
}

/* view_add_escaped is ClearSilver's var: escaping (neos_html_escape),
 * byte for byte: every byte alone, between letters, and a link. */
static void escaping_is_the_templates_own(void **st)
{
	(void)st;
	char in[600];
	size_t n = 0;
	for (int c = 1; c < 256; c++) {
		in[n++] = 'a';
		in[n++] = (char)c;
	}
	in[n] = '\0';
	const char *cases[] = {in, "/places?f_lang=kk&sort=date&dir=desc&page=2", "«Балапан» & 'Ақбөбек' <b>\r\n", ""};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *want = NULL;
		NEOERR *e = neos_html_escape(cases[i], (int)strlen(cases[i]), &want);
		assert_null(e);
		struct buf got = {0};
		assert_int_equal(view_add_escaped(&got, cases[i]), 0);
		assert_string_equal(got.s ? got.s : "", want);
		free(want);
		buf_free(&got);
	}
}

/* The token the response set in its Set-Cookie header. */
static char *cookie_from(struct req *r, char out[64])
{
	const char *p = strstr(r->headers.s ? r->headers.s : "", "kg_sid=");
	if (!p)
		return NULL;
	p += 7;
	size_t n = strcspn(p, ";\r");
	snprintf(out, 64, "%.*s", (int)n, p);
	return out;
}

static void sessions_load_expire_and_rotate(void **st)
{
	(void)st;
	char tok[64], tok2[64], csrf[44];
	/* An anonymous session for a form. */
	struct req *r = new_req(NULL);
	assert_int_equal(sess_ensure(r), 0);
	assert_non_null(cookie_from(r, tok));
	assert_int_equal(strlen(tok), 43);
	snprintf(csrf, sizeof csrf, "%s", r->s->csrf);
	assert_int_equal(strlen(csrf), 43);
	ut_free_req(r);
	/* The token is stored hashed, never in clear. */
	assert_int_equal(db_int("SELECT count(*) FROM session WHERE token_hash = ?", 0, "t", tok), 0);
	/* The cookie finds the session again, with the same CSRF token. */
	r = new_req(tok);
	sess_load(r);
	assert_non_null(r->s);
	assert_string_equal(r->s->csrf, csrf);
	assert_int_equal(r->s->account_id, 0);
	/* Logging in rotates: new token, new CSRF, old token dead. */
	long long acc = make_account("900517322416", ROLE_CITIZEN);
	assert_int_equal(sess_login(r, acc, "otp", "+77015550007"), 0);
	assert_non_null(cookie_from(r, tok2));
	assert_string_not_equal(tok, tok2);
	assert_string_not_equal(r->s->csrf, csrf);
	assert_int_equal(r->s->roles, ROLE_CITIZEN);
	ut_free_req(r);
	r = new_req(tok);
	sess_load(r);
	assert_null(r->s);
	ut_free_req(r);
	r = new_req(tok2);
	sess_load(r);
	assert_non_null(r->s);
	assert_int_equal(r->s->account_id, acc);
	assert_string_equal(r->s->iin, "900517322416");
	ut_free_req(r);
	/* Idle expiry: 31 minutes later the session is gone and the request
	 * knows it expired (so the page can say so). */
	db_exec("UPDATE session SET seen_at = seen_at - 31 * 60", NULL);
	r = new_req(tok2);
	sess_load(r);
	assert_null(r->s);
	assert_true(r->session_expired);
	ut_free_req(r);
	/* A garbage cookie is just no session. */
	r = new_req("not-a-token");
	sess_load(r);
	assert_null(r->s);
	ut_free_req(r);
	/* Logout deletes the session on the server. */
	r = new_req(NULL);
	sess_login(r, acc, "otp", "+77015550007");
	cookie_from(r, tok);
	sess_logout(r);
	ut_free_req(r);
	r = new_req(tok);
	sess_load(r);
	assert_null(r->s);
	ut_free_req(r);
}

static void absolute_expiry_ends_even_an_active_session(void **st)
{
	(void)st;
	char tok[64];
	struct req *r = new_req(NULL);
	long long acc = db_int("SELECT id FROM account WHERE iin = '900517322416'", 0, NULL);
	assert_int_equal(sess_login(r, acc, "eds", NULL), 0);
	cookie_from(r, tok);
	ut_free_req(r);
	db_exec("UPDATE session SET expires_at = ? WHERE account_id = ?", "II", u_now() - 1, acc);
	r = new_req(tok);
	sess_load(r);
	assert_null(r->s);
	ut_free_req(r);
}

/* ------------------------------------------------------------ setup */

/* ----------------------------------------------------- external programs */

static void programs_run_without_a_shell_with_a_timeout(void **st)
{
	(void)st;
	/* The exit status comes back as it is. */
	const char *t[] = {"/bin/true", NULL}, *f[] = {"/bin/false", NULL};
	assert_int_equal(u_run(t, 5000), 0);
	assert_int_equal(u_run(f, 5000), 1);
	const char *seven[] = {"/bin/sh", "-c", "exit 7", NULL};
	assert_int_equal(u_run(seven, 5000), 7);
	/* No shell between us and the program: an argument arrives as it is. */
	const char *literal[] = {"/bin/sh", "-c", "[ \"$1\" = 'a; b $(touch /tmp/kg-never) `x` *' ] && [ $# = 1 ]", "sh",
				 "a; b $(touch /tmp/kg-never) `x` *", NULL};
	assert_int_equal(u_run(literal, 5000), 0);
	/* stdin and stdout are /dev/null, stderr is ours. */
	const char *fds[] = {"/bin/sh", "-c",
			     "[ \"$(readlink /proc/$$/fd/0)\" = /dev/null ] && [ \"$(readlink /proc/$$/fd/1)\" = /dev/null ] "
			     "&& [ \"$(readlink /proc/$$/fd/2)\" = \"$1\" ]", "sh", NULL, NULL};
	char mine[512] = "";
	ssize_t n = readlink("/proc/self/fd/2", mine, sizeof mine - 1);
	assert_true(n > 0);
	mine[n] = '\0';
	fds[4] = mine;
	assert_int_equal(u_run(fds, 5000), 0);
	/* No other descriptor of ours reaches it (the database, the FastCGI
	 * listener). */
	char p[300], fdno[16];
	snprintf(p, sizeof p, "%s/open-file", ut_dir);
	ut_write_file(p, "x");
	int held = open(p, O_RDONLY);
	assert_true(held > 2);
	snprintf(fdno, sizeof fdno, "%d", held);
	const char *leak[] = {"/bin/sh", "-c", "[ ! -e /proc/$$/fd/$1 ]", "sh", fdno, NULL};
	assert_int_equal(u_run(leak, 5000), 0);
	close(held);
	/* A program that cannot be started: U_RUN_FAILED with errno. */
	const char *none[] = {"/nonexistent/kg-program", NULL};
	errno = 0;
	assert_int_equal(u_run(none, 5000), U_RUN_FAILED);
	assert_int_equal(errno, ENOENT);
	char why[96];
	assert_string_equal(u_run_error(U_RUN_FAILED, why), "could not be started: No such file or directory");
	const char *empty[] = {"", NULL};
	assert_int_equal(u_run(empty, 5000), U_RUN_FAILED);
	/* Too slow: killed at the timeout, reaped (no zombie left). */
	const char *slow[] = {"/bin/sleep", "5", NULL};
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(u_run(slow, 150), U_RUN_TIMEOUT);
	clock_gettime(CLOCK_MONOTONIC, &b);
	long long ms = (b.tv_sec - a.tv_sec) * 1000LL + (b.tv_nsec - a.tv_nsec) / 1000000;
	assert_true(ms >= 150 && ms < 2000);
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
	/* Ended by a signal. */
	const char *killed[] = {"/bin/sh", "-c", "kill -TERM $$", NULL};
	assert_int_equal(u_run(killed, 5000), U_RUN_SIGNAL);
	assert_string_equal(u_run_error(3, why), "exited with status 3");
	assert_string_equal(u_run_error(U_RUN_TIMEOUT, why), "did not finish in time (killed)");
}

static int setup(void **st)
{
	(void)st;
	if (ut_scratch("lib") < 0)
		return -1;
	/* Templates and strings of its own, to test the escaping, and a layout. */
	static const char *const files[][2] = {
		{"lang/ru.hdf", "Hello = Привет\nEsc = A & B <\"c\">\nTricky = <?cs var:X ?>\n"},
		{"lang/kk.hdf", "Hello = Сәлем\nEsc = Ә & Б\nTricky = <?cs var:X ?>\n"},
		{"inc.cs", "{<?cs var: L.Hello ?>}"},
		{"labels.cs", "<?cs include:\"inc.cs\" ?>(<?cs var:L.Esc ?>)(<?cs var:L.Tricky ?>)(<?cs var:L.Missing ?>)"
			      "(<?cs var:X ?>)"},
		{"t.cs", "<p><?cs var:X ?></p>[<?cs var:L.Hello ?>]<a href=\"/x?q=<?cs var:url_escape(X) ?>\">"},
		{"layout/head.cs", "<html lang=\"<?cs var:Page.lang ?>\"><title><?cs var:Page.title ?></title>"
				   "<a href=\"<?cs var:Page.langHref.kk ?>\">kk</a><main>"},
		{"layout/foot.cs", "</main></html>"},
	};
	char p[512];
	snprintf(p, sizeof p, "%s/tpl/lang", ut_dir);
	u_mkdirs(p);
	snprintf(p, sizeof p, "%s/tpl/layout", ut_dir);
	u_mkdirs(p);
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		snprintf(p, sizeof p, "%s/tpl/%s", ut_dir, files[i][0]);
		ut_write_file(p, files[i][1]);
	}
	return ut_open(UT_VIEW, "Paths.Templates = %s/tpl\nAuth.Argon2M = 1024\nAuth.Argon2T = 1\n",
		       ut_dir);
}

static int teardown(void **st)
{
	(void)st;
	return ut_teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sha256_matches_the_standard_and_openssl),
		cmocka_unit_test(labels_are_inlined_per_language_as_var_would_print_them),
		cmocka_unit_test(iin_valid_vectors_pass),
		cmocka_unit_test(iin_gives_birth_date_and_sex),
		cmocka_unit_test(iin_wrong_check_digit_is_refused),
		cmocka_unit_test(iin_second_weights_are_used_when_first_sum_is_10),
		cmocka_unit_test(iin_format_and_date_errors),
		cmocka_unit_test(phones_are_normalised),
		cmocka_unit_test(emails_are_checked),
		cmocka_unit_test(integers_are_fully_checked),
		cmocka_unit_test(masks_hide_personal_data),
		cmocka_unit_test(display_forms_of_dates_names_sizes_and_templates),
		cmocka_unit_test(base64url_and_tokens),
		cmocka_unit_test(utf8_validation),
		cmocka_unit_test(passwords_hash_and_verify),
		cmocka_unit_test(migrations_bring_the_database_to_the_latest_version),
		cmocka_unit_test(a_migration_with_an_error_changes_nothing),
		cmocka_unit_test(saved_free_places_cannot_be_edited_or_deleted),
		cmocka_unit_test(statuses_are_closed_sets),
		cmocka_unit_test(audit_chain_verifies_and_detects_tampering),
		cmocka_unit_test(templates_escape_every_value),
		cmocka_unit_test(escaping_is_the_templates_own),
		cmocka_unit_test(sessions_load_expire_and_rotate),
		cmocka_unit_test(absolute_expiry_ends_even_an_active_session),
		cmocka_unit_test(programs_run_without_a_shell_with_a_timeout),
	};
	return cmocka_run_group_tests_name("lib", tests, setup, teardown);
}
