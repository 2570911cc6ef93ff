/*
 * unit.h — what every unit test program shares (tests/unit/unit.c, linked
 * into each test_*.c by the Makefile): a scratch directory with its
 * settings and a migrated database, the teardown that frees what the
 * library keeps, requests as the loop would hand them, and signatures
 * made with the test PKI.
 *
 *   static int setup(void **st)
 *   {
 *           (void)st;
 *           return ut_setup("places", UT_VIEW, "App.IinChecksum = 0\n");
 *   }
 *   static int teardown(void **st) { (void)st; return ut_teardown(); }
 *
 * Include it after <cmocka.h> (the helpers assert). Prefix ut_.
 */
#ifndef KG_TEST_UNIT_H
#define KG_TEST_UNIT_H

#include "web/req.h"

/* The running program's scratch directory (ut_scratch made it), the
 * source tree (KG_TOP, "." when unset) and the test PKI (KG_PKI, NULL when
 * unset). */
extern char ut_dir[256];
extern const char *ut_top, *ut_pki;

enum {
	UT_VIEW = 1, /* view_init() after the migrations (templates, strings) */
	UT_PKI = 2,  /* needs KG_PKI: Eds.CaFile and Eds.CrlFile point into it */
};

/* Makes the scratch directory /tmp/kg-unit-<name>-XXXXXX (ut_dir) and
 * reads KG_TOP and KG_PKI. 0 or -1. */
int ut_scratch(const char *name);

/* Writes <ut_dir>/app.hdf and loads it, opens <ut_dir>/kg.db and applies
 * every migration of <top>/sql, then what flags ask for. The settings are
 *   Paths.Db = <dir>/kg.db        Paths.Templates = <top>/templates
 *   Paths.Sql = <top>/sql         Paths.Files = <dir>/files
 *   Sms.Spool = <dir>/sms         App.BaseUrl = http://127.0.0.1:9/
 * (with UT_PKI the PKI's ca.pem and crl.pem), then the lines of extra, a
 * printf format (NULL for none), which may override any of them. 0 or -1
 * (the reason on stderr). */
int ut_open(unsigned flags, const char *extra, ...) __attribute__((format(printf, 2, 3)));

/* ut_scratch then ut_open: the whole setup of most test programs. */
int ut_setup(const char *name, unsigned flags, const char *extra, ...) __attribute__((format(printf, 3, 4)));

/* Frees what the library keeps (trust anchors, working-day table,
 * libmagic, templates, statements, settings) and removes ut_dir. 0 or -1. */
int ut_teardown(void);

/* rm -rf path (no shell): 0, or -1 when something stayed. A missing path
 * is fine. */
int ut_remove_tree(const char *path);

/* A request as the loop hands it to a handler: POST /t from 127.0.0.9,
 * Russian, no session. Free with ut_free_req. */
struct req *ut_req(void);
void ut_free_req(struct req *r);
/* The same, with a session of the account (sess_login; asserts). */
struct req *ut_req_as(long long account_id);

/* A valid IIN (checksum right) of a person born y-m-d of sex 'M' or 'F',
 * with the first serial number from `serial` on that gives one. */
void ut_iin(int y, int m, int d, char sex, int serial, char out[13]);

/* Writes text to path (asserts). */
void ut_write_file(const char *path, const char *text);

/* Signs content with a key of the test PKI ("parent1-auth", "staff1-sign",
 * ...) as NCALayer does: attached CMS, SHA-256, base64 of the DER.
 * Returns a malloc'd string (caller frees); asserts on failure. */
char *ut_cms(const char *content, const char *who);

/* The test parent's account (IIN 900517322416, phone +77010000000, in
 * language lang: "" for none), made on first use: its id. */
long long ut_parent(const char *lang);
/* A new state DDO of the district: its id. */
long long ut_ddo(int district);
/* A free-place record of the DDO (Russian groups, created by ut_parent)
 * with total places, in its priority window from created until until. */
long long ut_record(long long ddo, int district, int year, int total, long long created, long long until);

#endif
