/* unit.c — see unit.h. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "base/conf.h"
#include "base/db.h"
#include "domain/doc.h"
#include "domain/place.h"
#include "domain/referral.h"
#include "web/esig.h"
#include "web/sess.h"
#include "base/util.h"
#include "web/val.h"
#include "web/view.h"
#include "base/workday.h"

#include "unit.h"

char ut_dir[256];
const char *ut_top, *ut_pki;

int ut_scratch(const char *name)
{
	ut_top = getenv("KG_TOP");
	if (!ut_top || !*ut_top)
		ut_top = ".";
	ut_pki = getenv("KG_PKI");
	if (ut_pki && !*ut_pki)
		ut_pki = NULL;
	snprintf(ut_dir, sizeof ut_dir, "/tmp/kg-unit-%s-XXXXXX", name);
	if (!mkdtemp(ut_dir)) {
		perror(ut_dir);
		return -1;
	}
	return 0;
}

static int vopen(unsigned flags, const char *extra, va_list ap)
{
	if ((flags & UT_PKI) && !ut_pki) {
		fprintf(stderr, "KG_PKI is not set: run tests/tools/pki.sh DIR and set KG_PKI=DIR\n");
		return -1;
	}
	struct buf b = {0};
	buf_printf(&b,
		   "Paths.Db = %s/kg.db\nPaths.Templates = %s/templates\nPaths.Sql = %s/sql\nPaths.Files = %s/files\n"
		   "Sms.Spool = %s/sms\nApp.BaseUrl = http://127.0.0.1:9/\n",
		   ut_dir, ut_top, ut_top, ut_dir, ut_dir);
	if (flags & UT_PKI)
		buf_printf(&b, "Eds.CaFile = %s/ca.pem\nEds.CrlFile = %s/crl.pem\n", ut_pki, ut_pki);
	if (extra)
		buf_vprintf(&b, extra, ap);
	char p[512], err[256];
	snprintf(p, sizeof p, "%s/app.hdf", ut_dir);
	int rc = b.s && u_write_file_atomic(p, b.s, b.len) == 0 ? 0 : -1;
	buf_free(&b);
	/* Opened as every program opens it: with the rules SQL calls. */
	if (rc < 0 || conf_load(p, err, sizeof err) < 0 || db_open(conf_get("Paths.Db", "")) < 0 ||
	    place_sql_register(db_handle()) < 0 || ref_sql_register(db_handle()) < 0) {
		fprintf(stderr, "settings or database of %s: %s\n", ut_dir, rc < 0 ? "cannot write" : err);
		return -1;
	}
	snprintf(p, sizeof p, "%s/sql", ut_top);
	if (db_migrate(p, err, sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	if ((flags & UT_VIEW) && view_init() < 0)
		return -1;
	return 0;
}

int ut_open(unsigned flags, const char *extra, ...)
{
	va_list ap;
	va_start(ap, extra);
	int rc = vopen(flags, extra, ap);
	va_end(ap);
	return rc;
}

int ut_setup(const char *name, unsigned flags, const char *extra, ...)
{
	if (ut_scratch(name) < 0)
		return -1;
	va_list ap;
	va_start(ap, extra);
	int rc = vopen(flags, extra, ap);
	va_end(ap);
	return rc;
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int ut_remove_tree(const char *path)
{
	if (access(path, F_OK) != 0)
		return 0;
	return nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}

int ut_teardown(void)
{
	esig_free();
	wd_free();
	doc_free();
	view_free();
	db_close();
	conf_free();
	int rc = *ut_dir ? ut_remove_tree(ut_dir) : 0;
	ut_dir[0] = '\0';
	return rc;
}

struct req *ut_req(void)
{
	struct req *r = calloc(1, sizeof *r);
	assert_non_null(r);
	r->a = arena_new();
	hdf_init(&r->hdf);
	r->lang = "ru";
	r->path = "/t";
	r->query = "";
	r->ip = "127.0.0.9";
	r->method = M_POST;
	return r;
}

void ut_free_req(struct req *r)
{
	hdf_destroy(&r->hdf);
	arena_free(r->a);
	buf_free(&r->body);
	buf_free(&r->headers);
	free(r);
}

struct req *ut_req_as(long long account_id)
{
	struct req *r = ut_req();
	assert_int_equal(sess_login(r, account_id, "password", NULL), 0);
	return r;
}

void ut_iin(int y, int m, int d, char sex, int serial, char out[13]) { iin_make(y, m, d, sex, serial, out); }

void ut_write_file(const char *path, const char *text)
{
	assert_int_equal(u_write_file_atomic(path, text, strlen(text)), 0);
}

char *ut_cms(const char *content, const char *who)
{
	assert_non_null(ut_pki);
	char in[300], out[300], cert[600], key[600];
	snprintf(in, sizeof in, "%s/cms-content.bin", ut_dir);
	snprintf(out, sizeof out, "%s/cms.der", ut_dir);
	snprintf(cert, sizeof cert, "%s/%s.pem", ut_pki, who);
	snprintf(key, sizeof key, "%s/%s.key", ut_pki, who);
	ut_write_file(in, content);
	const char *argv[] = {"/usr/bin/openssl", "cms", "-sign", "-binary", "-md", "sha256", "-nodetach",
			      "-outform", "DER", "-in", in, "-signer", cert, "-inkey", key, "-out", out, NULL};
	assert_int_equal(u_run(argv, 20000), 0);
	size_t n;
	unsigned char *der = (unsigned char *)u_read_file(out, &n);
	assert_non_null(der);
	char *b64 = malloc(4 * ((n + 2) / 3) + 1);
	assert_non_null(b64);
	EVP_EncodeBlock((unsigned char *)b64, der, (int)n);
	free(der);
	return b64;
}

long long ut_parent(const char *lang)
{
	long long id = db_int("SELECT id FROM account WHERE iin = '900517322416'", 0, NULL);
	if (!id) {
		assert_int_equal(db_exec("INSERT INTO account(iin, surname, name, roles, phone, lang, created_at, updated_at) "
					 "VALUES ('900517322416', 'ТЕСТ', 'ТЕСТ', 1, '+77010000000', ?, 0, 0)", "t", lang),
				 SQLITE_DONE);
		id = db_last_id();
	}
	return id;
}

long long ut_ddo(int district)
{
	assert_int_equal(db_exec("INSERT INTO ddo(district_id, kind, name_ru, name_kk, address, phone, owner_iin, owner_phone, "
				 "owner_email, created_at, updated_at) VALUES (?, 'state', 'Сад', 'Бақша', 'ул. Абая, 1', "
				 "'+77160000000', '850312412032', '+77160000000', 'a@b.kz', 0, 0)", "i", district),
			 SQLITE_DONE);
	return db_last_id();
}

long long ut_record(long long ddo, int district, int year, int total, long long created, long long until)
{
	assert_int_equal(db_exec("INSERT INTO free_place(ddo_id, district_id, group_year, language, total, free, created_by, "
				 "created_at, window_until, status) VALUES (?, ?, ?, 'ru', ?, ?, ?, ?, ?, 'waiting')",
				 "IiiiiIII", ddo, district, year, total, total, ut_parent(""), created, until),
			 SQLITE_DONE);
	return db_last_id();
}
