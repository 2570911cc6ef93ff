/*
 * Unit tests of the shared services the screens build on: documents
 * (type by content, storage by hash), generated PDFs, the SMS gateway and
 * the notification outbox, rate limits, one-time codes, and the signing
 * flow (challenge, verification against the test PKI, single use,
 * storage). Needs KG_TOP and KG_PKI (tests/tools/pki.sh).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/conf.h"
#include "base/db.h"
#include "domain/doc.h"
#include "domain/hist.h"
#include "web/esig.h"
#include "web/lst.h"
#include "web/otp.h"
#include "base/pdf.h"
#include "base/sigrec.h"
#include "web/rate.h"
#include "web/req.h"
#include "web/sess.h"
#include "base/sms.h"
#include "base/util.h"
#include "web/view.h"
#include "base/workday.h"

#include "unit.h"

/* An account of the IIN (staff and citizen), made once. */
static long long account(const char *iin)
{
	long long id = db_int("SELECT id FROM account WHERE iin = ?", 0, "t", iin);
	if (!id) {
		db_exec("INSERT INTO account(iin, surname, name, roles, created_at, updated_at) VALUES (?, 'Т', 'Т', 3, 0, 0)",
			"t", iin);
		id = db_last_id();
	}
	return id;
}

static struct req *logged_in(const char *iin) { return ut_req_as(account(iin)); }

/* Files of the SMS spool, in order; returns how many, texts in out. */
static int spool_files(char out[][512], int max)
{
	char sp[512];
	snprintf(sp, sizeof sp, "%s/sms", ut_dir);
	struct dirent **list;
	int n = scandir(sp, &list, NULL, alphasort), k = 0;
	for (int i = 0; i < n; i++) {
		if (list[i]->d_name[0] != '.' && k < max) {
			char p[1024];
			snprintf(p, sizeof p, "%s/%s", sp, list[i]->d_name);
			size_t len;
			char *t = u_read_file(p, &len);
			snprintf(out[k++], 512, "%s", t ? t : "");
			free(t);
		}
		free(list[i]);
	}
	if (n >= 0)
		free(list);
	return k;
}

static void empty_spool(void)
{
	char sp[600];
	snprintf(sp, sizeof sp, "%s/sms", ut_dir);
	assert_int_equal(ut_remove_tree(sp), 0);
}

static long long an_application(void);

/* ------------------------------------------------------------- documents */

static unsigned char *a_pdf(size_t *n)
{
	struct pdf *p = pdf_new("t");
	assert_non_null(p);
	pdf_text(p, "Баланың аты-жөні");
	struct buf b = {0};
	assert_int_equal(pdf_finish(p, &b), 0);
	*n = b.len;
	return (unsigned char *)b.s;
}

/* A 1x1 PNG. */
static const unsigned char png1[] = {
	0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
	0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00,
	0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF,
	0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82};

static void files_are_typed_by_their_content(void **st)
{
	(void)st;
	const char *mime;
	size_t n;
	unsigned char *pdf = a_pdf(&n);
	assert_null(doc_check(pdf, n, &mime));
	assert_string_equal(mime, "application/pdf");
	assert_null(doc_check(png1, sizeof png1, &mime));
	assert_string_equal(mime, "image/png");
	/* Nothing, text whatever its name, a cut PDF, a cut PNG. */
	assert_string_equal(doc_check("", 0, &mime), "Err.file_empty");
	const char *text = "Это не PDF, хотя файл называется form065.pdf\n";
	assert_string_equal(doc_check(text, strlen(text), &mime), "Err.file_type");
	assert_null(mime);
	assert_string_equal(doc_check(pdf, n / 2, &mime), "Err.file_broken");
	assert_string_equal(doc_check(png1, sizeof png1 - 12, &mime), "Err.file_broken");
	/* An executable renamed. */
	size_t en;
	char *elf = u_read_file("/bin/true", &en);
	assert_string_equal(doc_check(elf, en, &mime), "Err.file_type");
	free(elf);
	free(pdf);
}

static void files_above_the_limit_are_refused(void **st)
{
	(void)st;
	const char *mime;
	size_t n;
	unsigned char *pdf = a_pdf(&n);
	/* The limit is a setting (1 MiB in this test's settings). */
	assert_int_equal(doc_max_bytes(), 1048576);
	unsigned char *big = malloc(1048577);
	memcpy(big, pdf, n);
	memset(big + n, ' ', 1048577 - n);
	assert_string_equal(doc_check(big, 1048577, &mime), "Err.file_too_large");
	free(big);
	free(pdf);
}

static void files_are_stored_once_by_hash_and_checked_when_read(void **st)
{
	(void)st;
	char sha[65], sha2[65];
	assert_int_equal(doc_store(png1, sizeof png1, sha), 0);
	assert_int_equal(doc_store(png1, sizeof png1, sha2), 0);
	assert_string_equal(sha, sha2);
	size_t n;
	unsigned char *back = doc_read(sha, &n);
	assert_non_null(back);
	assert_int_equal(n, sizeof png1);
	assert_memory_equal(back, png1, n);
	free(back);
	/* A file changed on disk is not served. */
	char p[600];
	snprintf(p, sizeof p, "%s/files/%.2s/%s", ut_dir, sha, sha);
	chmod(p, 0600);
	FILE *f = fopen(p, "r+b");
	assert_non_null(f);
	fputc('X', f);
	fclose(f);
	assert_null(doc_read(sha, &n));
	/* Names that are not hashes never reach the file system. */
	assert_null(doc_read("../../etc/passwd", &n));
}

/* Stores bytes and dates the file (or the file moved aside) `age` seconds back. */
static void stored_aged(const char *text, const char *suffix, long long age, char sha[65], char path[600])
{
	assert_int_equal(doc_store(text, strlen(text), sha), 0);
	char p[600];
	snprintf(p, sizeof p, "%s/files/%.2s/%s", ut_dir, sha, sha);
	snprintf(path, 600, "%s%s", p, suffix);
	if (*suffix)
		assert_int_equal(rename(p, path), 0);
	struct timespec t[2] = {{time(NULL) - age, 0}, {time(NULL) - age, 0}};
	assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
}

static int exists(const char *path) { return access(path, F_OK) == 0; }

static void files_no_document_names_are_swept_a_day_after_their_last_use(void **st)
{
	(void)st;
	long long now = time(NULL), day = 86400;
	char named[65], orphan[65], fresh[65], aside[65], reused[65];
	char pn[600], po[600], pf[600], pa[600], pr[600], tmp[700];
	stored_aged("named, two days old", "", 2 * day, named, pn);
	stored_aged("orphan, two days old", "", 2 * day, orphan, po);
	stored_aged("orphan, an hour old", "", 3600, fresh, pf);
	stored_aged("moved aside by a sweep that died", ".sweep", 2 * day, aside, pa);
	stored_aged("an orphan stored again today", "", 2 * day, reused, pr);
	snprintf(tmp, sizeof tmp, "%s.0123456789ab.tmp", po);
	ut_write_file(tmp, "a write that died");
	struct timespec old[2] = {{now - 2 * day, 0}, {now - 2 * day, 0}};
	assert_int_equal(utimensat(AT_FDCWD, tmp, old, 0), 0);
	long long app = an_application();
	assert_int_equal(db_exec("INSERT INTO document(application_id, kind, origin, sha256, size, mime, filename, "
				 "created_at) VALUES (?, 'benefit', 'applicant', ?, 1, 'application/pdf', 'a.pdf', ?)",
				 "ItI", app, named, now), SQLITE_DONE);
	/* The same bytes uploaded again: the file is reused and its time renewed. */
	const char *again = "an orphan stored again today";
	char sha[65];
	assert_int_equal(doc_store(again, strlen(again), sha), 0);
	assert_string_equal(sha, reused);

	assert_int_equal(doc_sweep(now, day), 3);   /* the old orphan, the one aside, the temporary file */
	assert_true(exists(pn));
	assert_false(exists(po));
	assert_true(exists(pf));
	assert_false(exists(pa));
	assert_true(exists(pr));
	assert_false(exists(tmp));
	/* A file aside that a document names now goes back. */
	stored_aged("aside but named", ".sweep", 2 * day, aside, pa);
	assert_int_equal(db_exec("INSERT INTO document(application_id, kind, origin, sha256, size, mime, filename, "
				 "created_at) VALUES (?, 'form065', 'applicant', ?, 1, 'application/pdf', 'b.pdf', ?)",
				 "ItI", app, aside, now), SQLITE_DONE);
	assert_int_equal(doc_sweep(now, day), 0);
	assert_false(exists(pa));
	pa[strlen(pa) - strlen(".sweep")] = '\0';
	assert_true(exists(pa));
	/* A day later the rest of the orphans go (with those of the tests
	 * before, stored without a row); named files stay. */
	assert_true(doc_sweep(now + 2 * day, day) >= 2);
	assert_true(exists(pn));
	assert_true(exists(pa));
	assert_false(exists(pf));
	assert_false(exists(pr));
}

static void generated_pdfs_carry_kazakh_and_russian_text_and_a_qr_code(void **st)
{
	(void)st;
	struct pdf *p = pdf_new("Направление");
	assert_non_null(p);
	pdf_title(p, "ЖОЛДАМА / НАПРАВЛЕНИЕ");
	pdf_field(p, "Баланың аты-жөні", "ӘЛІБЕК ҒАЛЫМ ҚҰРМАНҰЛЫ");
	for (int i = 0; i < 80; i++)
		pdf_text(p, "Ата-ана бес жұмыс күні ішінде құжаттарды жүктеуі тиіс. Родитель загружает документы.");
	pdf_qr(p, "http://127.0.0.1/check/abc", "Проверка");
	struct buf b = {0};
	assert_int_equal(pdf_finish(p, &b), 0);
	assert_memory_equal(b.s, "%PDF-", 5);
	char path[300], cmd[2000];
	snprintf(path, sizeof path, "%s/t.pdf", ut_dir);
	assert_int_equal(u_write_file_atomic(path, b.s, b.len), 0);
	snprintf(cmd, sizeof cmd, "pdftotext -q %s %s/t.txt && grep -q 'ӘЛІБЕК ҒАЛЫМ ҚҰРМАНҰЛЫ' %s/t.txt && "
		 "test \"$(pdfinfo %s 2>/dev/null | sed -n 's/^Pages: *//p')\" -ge 2",
		 path, ut_dir, ut_dir, path);
	assert_int_equal(system(cmd), 0);
	buf_free(&b);
}

static void generated_documents_are_recorded_with_an_unguessable_check_code(void **st)
{
	(void)st;
	long long app = an_application();
	char code[23], code2[23];
	assert_int_equal(doc_new_check_code(code), 0);
	assert_int_equal(doc_new_check_code(code2), 0);
	assert_int_equal(strlen(code), 22);
	assert_string_not_equal(code, code2);
	struct arena *a = arena_new();
	assert_string_equal(doc_check_url(a, "abc"), "http://127.0.0.1:9/check/abc");
	arena_free(a);
	size_t n;
	unsigned char *pdf = a_pdf(&n);
	struct buf b = {(char *)pdf, n, n};
	db_begin();
	long long id = doc_add_generated(app, 0, "referral", "1000000101", code, &b, "referral-1000000101.pdf", 0);
	db_commit();
	assert_true(id > 0);
	assert_int_equal(db_int("SELECT count(*) FROM document WHERE id = ? AND check_code = ? AND origin = 'system' "
				"AND mime = 'application/pdf' AND size = ?", 0, "ItI", id, code, (long long)n), 1);
	free(pdf);
}

/* ------------------------------------------------------------ SMS */

static void the_spool_gateway_writes_one_file_per_message_in_order(void **st)
{
	(void)st;
	empty_spool();
	assert_int_equal(sms_send("+77015550007", "первое"), 0);
	assert_int_equal(sms_send("+77015550008", "второе"), 0);
	char files[4][512];
	assert_int_equal(spool_files(files, 4), 2);
	assert_string_equal(files[0], "To: +77015550007\n\nпервое\n");
	assert_string_equal(files[1], "To: +77015550008\n\nвторое\n");
}

static void the_command_gateway_runs_the_providers_program(void **st)
{
	(void)st;
	char script[600], out[600], cfg[1400];
	snprintf(script, sizeof script, "%s/send.sh", ut_dir);
	snprintf(out, sizeof out, "%s/sent.txt", ut_dir);
	FILE *f = fopen(script, "w");
	fprintf(f, "#!/bin/sh\nprintf '%%s|%%s' \"$1\" \"$2\" > %s\n", out);
	fclose(f);
	chmod(script, 0755);
	HDF *h = conf_hdf();
	hdf_set_value(h, "Sms.Gateway", "command");
	hdf_set_value(h, "Sms.Command", script);
	assert_int_equal(sms_send("+77015550009", "код 123456; $(rm -rf /)"), 0);
	size_t n;
	char *got = u_read_file(out, &n);
	assert_string_equal(got, "+77015550009|код 123456; $(rm -rf /)");
	free(got);
	/* A provider that fails is reported. */
	snprintf(cfg, sizeof cfg, "%s/fail.sh", ut_dir);
	f = fopen(cfg, "w");
	fputs("#!/bin/sh\nexit 3\n", f);
	fclose(f);
	chmod(cfg, 0755);
	hdf_set_value(h, "Sms.Command", cfg);
	assert_int_equal(sms_send("+77015550009", "x"), -1);
	hdf_set_value(h, "Sms.Gateway", "spool");
}

static long long an_application(void)
{
	long long acc = account("900517322416");
	long long app = db_int("SELECT id FROM application LIMIT 1", 0, NULL);
	if (app)
		return app;
	db_exec("INSERT INTO child(iin, surname, name, birth_date, sex, created_at) VALUES ('210415511216', 'А', 'Б', '2021-04-15', 'M', 0)",
		NULL);
	long long child = db_last_id();
	assert_int_equal(db_exec("INSERT INTO application(number, child_id, applicant_id, district_id, group_year, language, "
				 "benefit, phone, status, queued_at, created_at, updated_at) "
				 "VALUES ('UO.2026.000001.1', ?, ?, 1110, 2021, 'ru', 'none', '+77015550007', 'queued', 0, 0, 0)",
				 "II", child, acc),
			 SQLITE_DONE);
	return db_last_id();
}

static void notifications_leave_only_with_their_change(void **st)
{
	(void)st;
	empty_spool();
	long long app = an_application();
	/* Rolled back: nothing is sent, no history. */
	db_begin();
	assert_true(hist_notify(app, "+77015550007", "referral", "Выдано направление 1000000001") > 0);
	db_rollback();
	assert_int_equal(notify_flush(0), 0);
	char files[4][512];
	assert_int_equal(spool_files(files, 4), 0);
	/* Committed: sent after, with a history row. */
	db_begin();
	assert_true(hist_notify(app, "+77015550007", "referral", "Выдано направление 1000000002") > 0);
	db_commit();
	assert_true(notify_pending());
	assert_int_equal(notify_flush(0), 1);
	assert_false(notify_pending());
	assert_int_equal(spool_files(files, 4), 1);
	assert_non_null(strstr(files[0], "1000000002"));
	assert_int_equal(db_int("SELECT count(*) FROM history WHERE application_id = ? AND event = 'sms_referral'", 0, "I", app), 1);
	assert_int_equal(db_int("SELECT count(*) FROM notification WHERE sent_at IS NULL", -1, NULL), 0);
	/* A failing gateway leaves the message for the timed job. */
	hdf_set_value(conf_hdf(), "Sms.Gateway", "command");
	hdf_set_value(conf_hdf(), "Sms.Command", "/bin/false");
	db_begin();
	hist_notify(app, "+77015550007", "reminder", "Завтра срок");
	db_commit();
	assert_int_equal(notify_flush(0), 0);
	assert_int_equal(db_int("SELECT attempts FROM notification WHERE kind = 'reminder'", 0, NULL), 1);
	hdf_set_value(conf_hdf(), "Sms.Gateway", "spool");
	assert_int_equal(notify_flush(0), 1);
}

/* Two senders (a worker after its response, `kgctl tick`): a message
 * another one handed to the gateway is left to it; a hand-over older than
 * Sms.ClaimSeconds whose outcome was never recorded (its sender died) is
 * marked unconfirmed and never sent again (at most once, sms.h). */
static void a_handed_over_notification_is_never_sent_again(void **st)
{
	(void)st;
	empty_spool();
	long long app = an_application();
	db_begin();
	long long id = hist_notify(app, "+77015550007", "referral", "Выдано направление 1000000003");
	db_commit();
	assert_true(id > 0);
	/* As if another process handed it over a second ago and is sending it. */
	db_exec("UPDATE notification SET state = 'sending', attempts = 1, claimed_at = ? WHERE id = ?", "II", u_now() - 1, id);
	assert_int_equal(notify_flush(0), 0);
	char files[4][512];
	assert_int_equal(spool_files(files, 4), 0);
	/* Its sender died long ago: marked for the operator, not sent. */
	db_exec("UPDATE notification SET claimed_at = ? WHERE id = ?", "II", u_now() - 121, id);
	assert_int_equal(notify_flush(0), 0);
	assert_int_equal(notify_flush(0), 0);
	assert_int_equal(spool_files(files, 4), 0);
	char state[16];
	db_text(state, sizeof state, "SELECT state FROM notification WHERE id = ?", "I", id);
	assert_string_equal(state, "unconfirmed");
	assert_int_equal(db_int("SELECT attempts FROM notification WHERE id = ?", 0, "I", id), 1);
}

/* The hand-over is recorded before the gateway is called, with the id the
 * gateway gets; a gateway that does not answer in time leaves the outcome
 * unknown, and the message is not sent again. */
static void a_hand_over_is_recorded_before_the_gateway_is_called(void **st)
{
	(void)st;
	long long app = an_application();
	db_begin();
	long long id = hist_notify(app, "+77015550007", "reminder", "Завтра срок 1000000004");
	db_commit();
	char script[] = "/tmp/kg-sms-XXXXXX";
	int fd = mkstemp(script);
	assert_true(fd >= 0);
	char out[64];
	snprintf(out, sizeof out, "%s.out", script);
	char body[512];
	/* Records what the outbox said at the moment of the call, and hangs. */
	int n = snprintf(body, sizeof body, "#!/bin/sh\nsqlite3 '%s' \"SELECT state || ' ' || handover_id FROM notification "
			 "WHERE id = %lld\" > '%s'\necho \"$KG_SMS_ID\" >> '%s'\nsleep 5\n",
			 conf_get("Paths.Db", ""), id, out, out);
	assert_int_equal(write(fd, body, (size_t)n), n);
	close(fd);
	chmod(script, 0700);
	hdf_set_value(conf_hdf(), "Sms.Gateway", "command");
	hdf_set_value(conf_hdf(), "Sms.Command", script);
	hdf_set_value(conf_hdf(), "Sms.CommandTimeoutMs", "1500");
	assert_int_equal(notify_flush(0), 0);
	char *seen = u_read_file(out, NULL);
	assert_non_null(seen);
	char want[128];
	snprintf(want, sizeof want, "sending kg-%lld-1\nkg-%lld-1\n", id, id);
	assert_string_equal(seen, want);
	free(seen);
	char state[16];
	db_text(state, sizeof state, "SELECT state FROM notification WHERE id = ?", "I", id);
	assert_string_equal(state, "unconfirmed");
	/* Not tried again, whatever the gateway does now. */
	hdf_set_value(conf_hdf(), "Sms.Gateway", "spool");
	empty_spool();
	assert_int_equal(notify_flush(0), 0);
	char files[4][512];
	assert_int_equal(spool_files(files, 4), 0);
	unlink(script);
	unlink(out);
}

/* ------------------------------------------------------------ limits */

static void rate_limits_count_within_their_window(void **st)
{
	(void)st;
	assert_int_equal(rate_count("t:a", 60), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(rate_add("t:a"), 0);
	assert_int_equal(rate_count("t:a", 60), 3);
	assert_true(rate_over("t:a", 60, 3));
	assert_false(rate_over("t:a", 60, 4));
	assert_true(rate_since_last("t:a") <= 1);
	db_exec("UPDATE rate_event SET at = at - 120 WHERE key = 't:a'", NULL);
	assert_int_equal(rate_count("t:a", 60), 0);
	assert_int_equal(rate_clear("t:a"), 0);
	assert_true(rate_since_last("t:a") > 1000000);
}

/* ------------------------------------------------------------ codes */

static void code_from_spool(char code[7])
{
	char files[8][512];
	int n = spool_files(files, 8);
	assert_true(n > 0);
	const char *p = strstr(files[n - 1], "\n\n");
	assert_non_null(p);
	while (*p && !(strspn(p, "0123456789") == 6))
		p++;
	assert_true(*p);
	snprintf(code, 7, "%.6s", p);
}

/* Parses 6 digits (the test's own, already checked). */
static int six_digits(const char *s)
{
	long long v = 0;
	u_strtoll(s, 0, 999999, &v);
	return (int)v;
}

static void one_time_codes_are_sent_checked_and_used_once(void **st)
{
	(void)st;
	empty_spool();
	db_exec("DELETE FROM rate_event", NULL);
	struct req *r = ut_req();
	assert_int_equal(sess_ensure(r), 0);
	long long wait;
	assert_int_equal(otp_issue(r, "login", "+77015550007", "900517322416", 1, &wait), OTP_OK);
	assert_int_equal(wait, 60);
	char code[7], phone[13], iin[13], wrong[7];
	code_from_spool(code);
	/* Stored hashed only. */
	assert_int_equal(db_int("SELECT count(*) FROM otp WHERE instr(code_hash, ?) > 0", -1, "t", code), 0);
	snprintf(wrong, sizeof wrong, "%06u", (unsigned)(six_digits(code) + 1) % 1000000u);
	long long left;
	assert_int_equal(otp_check(r, "login", wrong, phone, iin, &left), OTP_WRONG);
	assert_int_equal(left, 4);
	assert_int_equal(otp_check(r, "login", "12ab56", phone, iin, &left), OTP_WRONG);
	assert_int_equal(otp_check(r, "login", code, phone, iin, &left), OTP_OK);
	assert_string_equal(phone, "+77015550007");
	assert_string_equal(iin, "900517322416");
	/* Used up. */
	assert_int_equal(otp_check(r, "login", code, phone, iin, &left), OTP_NONE);
	/* Another purpose or session knows nothing of it. */
	assert_int_equal(otp_check(r, "sign", code, phone, iin, &left), OTP_NONE);
	ut_free_req(r);
}

static void codes_expire_run_out_of_attempts_and_are_throttled(void **st)
{
	(void)st;
	empty_spool();
	db_exec("DELETE FROM rate_event", NULL);
	struct req *r = ut_req();
	assert_int_equal(sess_ensure(r), 0);
	long long wait, left;
	char code[7], phone[13], iin[13];
	assert_int_equal(otp_issue(r, "login", "+77015550008", "950808477153", 1, &wait), OTP_OK);
	/* Again at once: wait. */
	assert_int_equal(otp_issue(r, "login", "+77015550008", "950808477153", 1, &wait), OTP_WAIT);
	assert_true(wait > 55 && wait <= 60);
	code_from_spool(code);
	/* Five wrong tries end the code, even the right one after. */
	for (int i = 0; i < 4; i++)
		assert_int_equal(otp_check(r, "login", "000000", phone, iin, &left), strcmp(code, "000000") ? OTP_WRONG : OTP_OK);
	assert_int_equal(otp_check(r, "login", "000000", phone, iin, &left), OTP_TOO_MANY);
	assert_int_equal(otp_check(r, "login", code, phone, iin, &left), OTP_TOO_MANY);
	/* A new one after the minute; it expires after five minutes. */
	db_exec("UPDATE rate_event SET at = at - 61", NULL);
	assert_int_equal(otp_issue(r, "login", "+77015550008", "950808477153", 1, &wait), OTP_OK);
	code_from_spool(code);
	db_exec("UPDATE otp SET expires_at = created_at - 1 WHERE used_at IS NULL", NULL);
	assert_int_equal(otp_check(r, "login", code, phone, iin, &left), OTP_EXPIRED);
	/* Five codes an hour per phone. */
	for (int i = 0; i < 3; i++) {
		db_exec("UPDATE rate_event SET at = at - 61", NULL);
		assert_int_equal(otp_issue(r, "login", "+77015550008", "950808477153", 1, &wait), OTP_OK);
	}
	db_exec("UPDATE rate_event SET at = at - 61", NULL);
	assert_int_equal(otp_issue(r, "login", "+77015550008", "950808477153", 1, &wait), OTP_LIMIT);
	ut_free_req(r);
}

static void a_pair_not_in_bmg_behaves_the_same_but_nothing_is_sent(void **st)
{
	(void)st;
	empty_spool();
	db_exec("DELETE FROM rate_event", NULL);
	struct req *r = ut_req();
	assert_int_equal(sess_ensure(r), 0);
	long long wait, left;
	char phone[13], iin[13];
	assert_int_equal(otp_issue(r, "login", "+77019999999", "930101499197", 0, &wait), OTP_OK);
	assert_int_equal(wait, 60);
	char files[2][512];
	assert_int_equal(spool_files(files, 2), 0);
	assert_int_equal(otp_check(r, "login", "123456", phone, iin, &left), OTP_WRONG);
	assert_int_equal(left, 4);
	assert_int_equal(otp_issue(r, "login", "+77019999999", "930101499197", 0, &wait), OTP_WAIT);
	ut_free_req(r);
}

/* ------------------------------------------------------------ signatures */

static void an_action_is_signed_once_by_its_person_and_stored(void **st)
{
	(void)st;
	struct req *r = logged_in("850312412032");   /* staff1 */
	char nonce[44];
	const char *content = esig_challenge(r, "action", "accept", 77, "Принять в ДДО: ребенок А. Б., направление 1000000077", nonce);
	assert_non_null(content);
	assert_non_null(strstr(content, nonce));
	esig_view(r, "Sign", content, nonce);
	assert_string_equal(hdf_get_value(r->hdf, "Sign.nonce", ""), nonce);
	char *cms = ut_cms(content, "staff1-sign");
	struct esig_result res;
	db_begin();
	assert_int_equal(esig_accept(r, nonce, cms, "action", "accept", 77, "referral", "850312412032", NULL, &res), 0);
	db_commit();
	assert_true(res.signature_id > 0);
	assert_string_equal(res.signer.iin, "850312412032");
	esig_result_clear(&res);
	assert_int_equal(db_int("SELECT count(*) FROM signature WHERE id = ? AND action = 'accept' AND object_id = 77 "
				"AND signer_iin = '850312412032' AND length(cms) > 100 AND length(cert) > 100 AND cert_serial <> ''",
				0, "I", res.signature_id), 1);
	/* The same CMS again: a replay. */
	db_begin();
	assert_int_equal(esig_accept(r, nonce, cms, "action", "accept", 77, "referral", "850312412032", NULL, &res), -1);
	db_rollback();
	assert_string_equal(res.msg_key, "Eds.challenge_used");
	free(cms);
	ut_free_req(r);
}

static void every_wrong_signature_gets_its_own_message(void **st)
{
	(void)st;
	struct req *r = logged_in("850312412032");
	struct {
		const char *key, *expect_iin, *action;
		long long object;
		const char *msg;
	} cases[] = {
		{"staff1-auth", "850312412032", "accept", 5, "Eds.purpose"},       /* AUTH key for an action */
		{"parent1-sign", "850312412032", "accept", 5, "Eds.wrong_person"}, /* someone else's key */
		{"forged-parent1-sign", NULL, "accept", 5, "Eds.untrusted"},
		{"expired-sign", NULL, "accept", 5, "Eds.expired"},
		{"revoked-sign", NULL, "accept", 5, "Eds.revoked"},
		{"staff1-sign", "850312412032", "refuse", 5, "Eds.challenge_unknown"}, /* another action */
		{"staff1-sign", "850312412032", "accept", 6, "Eds.challenge_unknown"}, /* another object */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char nonce[44];
		const char *content = esig_challenge(r, "action", "accept", 5, "Принять", nonce);
		char *cms = ut_cms(content, cases[i].key);
		struct esig_result res;
		db_begin();
		int rc = esig_accept(r, nonce, cms, "action", cases[i].action, cases[i].object, "referral",
				     cases[i].expect_iin, NULL, &res);
		db_rollback();
		if (rc != -1 || strcmp(res.msg_key, cases[i].msg) != 0)
			fail_msg("case %zu (%s): %d %s", i, cases[i].key, rc, res.msg_key);
		esig_result_clear(&res);
		free(cms);
	}
	/* Over another text, garbage, nothing, an expired challenge. */
	char nonce[44];
	const char *content = esig_challenge(r, "action", "accept", 5, "Принять", nonce);
	char *cms = ut_cms("Принять другого ребенка", "staff1-sign");
	struct esig_result res;
	db_begin();
	assert_int_equal(esig_accept(r, nonce, cms, "action", "accept", 5, "referral", "850312412032", NULL, &res), -1);
	assert_string_equal(res.msg_key, "Eds.content");
	assert_int_equal(esig_accept(r, nonce, "bm90IGEgY21z", "action", "accept", 5, "referral", NULL, NULL, &res), -1);
	assert_string_equal(res.msg_key, "Eds.format");
	assert_int_equal(esig_accept(r, nonce, "", "action", "accept", 5, "referral", NULL, NULL, &res), -1);
	assert_string_equal(res.msg_key, "Eds.empty");
	db_rollback();
	free(cms);
	cms = ut_cms(content, "staff1-sign");
	db_exec("UPDATE challenge SET expires_at = created_at - 1 WHERE nonce = ?", "t", nonce);
	db_begin();
	assert_int_equal(esig_accept(r, nonce, cms, "action", "accept", 5, "referral", "850312412032", NULL, &res), -1);
	db_rollback();
	assert_string_equal(res.msg_key, "Eds.challenge_expired");
	free(cms);
	/* A challenge of another session is unknown here. */
	struct req *other = logged_in("880121433072");
	content = esig_challenge(other, "action", "accept", 5, "Принять", nonce);
	cms = ut_cms(content, "staff1-sign");
	db_begin();
	assert_int_equal(esig_accept(r, nonce, cms, "action", "accept", 5, "referral", NULL, NULL, &res), -1);
	db_rollback();
	assert_string_equal(res.msg_key, "Eds.challenge_unknown");
	free(cms);
	/* Nothing was stored by any of these. */
	assert_int_equal(db_int("SELECT count(*) FROM signature WHERE object_id = 5", -1, NULL), 0);
	ut_free_req(other);
	ut_free_req(r);
}

static void login_challenges_take_auth_keys_and_name_the_signer(void **st)
{
	(void)st;
	struct req *r = ut_req();
	assert_int_equal(sess_ensure(r), 0);
	char nonce[44];
	const char *content = esig_challenge(r, "auth", "login", 0, NULL, nonce);
	assert_non_null(content);
	char *cms = ut_cms(content, "parent2-auth");
	struct esig_result res;
	db_begin();
	assert_int_equal(esig_accept(r, nonce, cms, "auth", "login", 0, "account", NULL, NULL, &res), 0);
	db_commit();
	assert_string_equal(res.signer.iin, "950808477153");
	esig_result_clear(&res);
	free(cms);
	content = esig_challenge(r, "auth", "login", 0, NULL, nonce);
	cms = ut_cms(content, "parent2-sign");
	db_begin();
	assert_int_equal(esig_accept(r, nonce, cms, "auth", "login", 0, "account", NULL, NULL, &res), -1);
	db_rollback();
	assert_string_equal(res.msg_key, "Eds.purpose");
	free(cms);
	/* Every message exists in both languages. */
	for (int e = 0; e < SIGN_E__MAX; e++) {
		char k[64];
		snprintf(k, sizeof k, "Eds.%s", sign_err_name((enum sign_err)e));
		r->lang = "ru";
		assert_true(view_has(r, k));
		r->lang = "kk";
		assert_true(view_has(r, k));
	}
	ut_free_req(r);
}

static void an_otp_confirmation_is_stored_as_a_signature(void **st)
{
	(void)st;
	struct req *r = logged_in("900517322416");
	db_begin();
	long long id = sigrec_store_otp(r->s->account_id, "contract", "referral", 9, "Договор № 1", "+77015550007");
	db_commit();
	assert_true(id > 0);
	assert_int_equal(db_int("SELECT count(*) FROM signature WHERE id = ? AND method = 'otp' AND otp_phone = '+77015550007'",
				0, "I", id), 1);
	/* Signatures are append-only. */
	assert_int_not_equal(db_exec("DELETE FROM signature WHERE id = ?", "I", id), SQLITE_DONE);
	ut_free_req(r);
}

/* ------------------------------------------------------------ working days */

/* Local noon (UTC+5) of a date, as a Unix time. */
static long long noon(int y, int m, int d) { return cal_unix_from_day(cal_days_from_ymd(y, m, d)) + 12 * 3600; }

static void deadlines_count_working_days_of_the_holiday_table(void **st)
{
	(void)st;
	/* Issued on Thursday 19 March 2026: Nauryz and its transfers (21-25
	 * March) are skipped: Fri 20, Thu 26, Fri 27, Mon 30, Tue 31. */
	long long dl = wd_end_after(noon(2026, 3, 19), 5);
	assert_int_equal(dl, cal_unix_from_day(cal_days_from_ymd(2026, 4, 1)) - 1);
	assert_int_equal(wd_days_left(noon(2026, 3, 19), dl), 5);
	assert_int_equal(wd_days_left(noon(2026, 3, 31), dl), 0);
	assert_int_equal(wd_is_working(noon(2026, 3, 24)), 0);
	/* A day the support role adds is taken into account at once. */
	long long before = wd_end_after(noon(2026, 10, 5), 3); /* Mon -> Thu 8 Oct */
	assert_int_equal(before, cal_unix_from_day(cal_days_from_ymd(2026, 10, 9)) - 1);
	assert_int_equal(db_exec("INSERT INTO holiday(day, kind, name_ru, name_kk) VALUES ('2026-10-07', 'day_off', 'т', 'т')", NULL),
			 SQLITE_DONE);
	assert_int_equal(wd_end_after(noon(2026, 10, 5), 3), cal_unix_from_day(cal_days_from_ymd(2026, 10, 10)) - 1);
	db_exec("DELETE FROM holiday WHERE day = '2026-10-07'", NULL);
	assert_int_equal(wd_end_after(noon(2026, 10, 5), 3), before);
}

/* ------------------------------------------------------------ tables */

static void tables_sort_and_page_keeping_their_filters(void **st)
{
	(void)st;
	static const char *const cols[] = {"name", "year", "date", NULL};
	struct req *r = ut_req();
	r->path = "/places";
	r->query = "lang=kk&f_year=2021&sort=year&dir=desc&page=9&f_name=%D0%91";
	hdf_set_value(r->hdf, "Query.sort", "year");
	hdf_set_value(r->hdf, "Query.dir", "desc");
	hdf_set_value(r->hdf, "Query.page", "9");
	struct lst l;
	lst_read(r, &l, cols, 2, 1, 10);
	assert_int_equal(l.sort, 1);
	assert_int_equal(l.desc, 1);
	lst_total(&l, 35); /* 4 pages: page 9 is clamped to 4 */
	assert_int_equal(l.page, 4);
	assert_int_equal(l.offset, 30);
	lst_view(r, &l, cols);
	assert_string_equal(hdf_get_value(r->hdf, "Sort.year.dir", ""), "desc");
	assert_string_equal(hdf_get_value(r->hdf, "Sort.name.dir", ""), "");
	assert_string_equal(hdf_get_value(r->hdf, "Sort.year.href", ""), "/places?f_year=2021&f_name=%D0%91&sort=year&dir=asc&page=1");
	assert_string_equal(hdf_get_value(r->hdf, "Pager.prev", ""), "/places?f_year=2021&f_name=%D0%91&sort=year&dir=desc&page=3");
	assert_null(hdf_get_value(r->hdf, "Pager.next", NULL));
	/* What pager() tests: rows found, a way back, none forward. */
	assert_string_equal(hdf_get_value(r->hdf, "Pager.some", ""), "1");
	assert_string_equal(hdf_get_value(r->hdf, "Pager.back", ""), "1");
	assert_null(hdf_get_value(r->hdf, "Pager.fwd", NULL));
	struct lst_links k;
	assert_int_equal(lst_links(r, &l, cols, &k), 0);
	assert_string_equal(k.href[1], "/places?f_year=2021&f_name=%D0%91&sort=year&dir=asc&page=1");
	assert_string_equal(k.prev, "/places?f_year=2021&f_name=%D0%91&sort=year&dir=desc&page=3");
	assert_null(k.next);
	assert_string_equal(k.total, "35");
	assert_string_equal(hdf_get_value(r->hdf, "Pager.from", ""), "31");
	assert_string_equal(hdf_get_value(r->hdf, "Pager.to", ""), "35");
	ut_free_req(r);
	/* Unknown values fall back to the defaults. */
	r = ut_req();
	hdf_set_value(r->hdf, "Query.sort", "name; DROP TABLE x");
	hdf_set_value(r->hdf, "Query.page", "-3");
	lst_read(r, &l, cols, 2, 1, 10);
	assert_int_equal(l.sort, 2);
	assert_int_equal(l.desc, 1);
	assert_int_equal(l.page, 1);
	ut_free_req(r);
}

/* db_version: the same within a request's snapshot, whatever others
 * commit; moved by the request's own write and, in the next snapshot, by
 * another connection's commit to any table (here a district's name). */
static void db_version_moves_with_any_change(void **st)
{
	(void)st;
	char path[400];
	snprintf(path, sizeof path, "%s/kg.db", ut_dir);
	sqlite3 *other = NULL;
	assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
	sqlite3_busy_timeout(other, 2000);
	unsigned long long v0, v;
	db_request_begin();
	assert_int_equal(db_version(&v0), 0);
	assert_int_equal(sqlite3_exec(other, "UPDATE district SET name_ru = name_ru || 'x' WHERE id = (SELECT min(id) FROM district)",
				      NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(db_version(&v), 0);
	assert_true(v == v0);
	db_request_end();
	db_request_begin();
	assert_int_equal(db_version(&v), 0);
	assert_true(v != v0);
	v0 = v;
	assert_int_equal(db_exec("UPDATE district SET name_ru = substr(name_ru, 1, length(name_ru) - 1) "
				 "WHERE id = (SELECT min(id) FROM district)", NULL), SQLITE_DONE);
	assert_int_equal(db_version(&v), 0);
	assert_true(v != v0);
	db_request_end();
	sqlite3_close(other);
}

/* ------------------------------------------------------------ setup */

static int setup(void **st)
{
	(void)st;
	return ut_setup("infra", UT_VIEW | UT_PKI, "Upload.FileMaxBytes = 1048576\n");
}

static int teardown(void **st)
{
	(void)st;
	return ut_teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(files_are_typed_by_their_content),
		cmocka_unit_test(files_above_the_limit_are_refused),
		cmocka_unit_test(files_are_stored_once_by_hash_and_checked_when_read),
		cmocka_unit_test(files_no_document_names_are_swept_a_day_after_their_last_use),
		cmocka_unit_test(generated_pdfs_carry_kazakh_and_russian_text_and_a_qr_code),
		cmocka_unit_test(generated_documents_are_recorded_with_an_unguessable_check_code),
		cmocka_unit_test(the_spool_gateway_writes_one_file_per_message_in_order),
		cmocka_unit_test(the_command_gateway_runs_the_providers_program),
		cmocka_unit_test(notifications_leave_only_with_their_change),
		cmocka_unit_test(a_handed_over_notification_is_never_sent_again),
		cmocka_unit_test(a_hand_over_is_recorded_before_the_gateway_is_called),
		cmocka_unit_test(rate_limits_count_within_their_window),
		cmocka_unit_test(one_time_codes_are_sent_checked_and_used_once),
		cmocka_unit_test(codes_expire_run_out_of_attempts_and_are_throttled),
		cmocka_unit_test(a_pair_not_in_bmg_behaves_the_same_but_nothing_is_sent),
		cmocka_unit_test(an_action_is_signed_once_by_its_person_and_stored),
		cmocka_unit_test(every_wrong_signature_gets_its_own_message),
		cmocka_unit_test(login_challenges_take_auth_keys_and_name_the_signer),
		cmocka_unit_test(an_otp_confirmation_is_stored_as_a_signature),
		cmocka_unit_test(deadlines_count_working_days_of_the_holiday_table),
		cmocka_unit_test(tables_sort_and_page_keeping_their_filters),
		cmocka_unit_test(db_version_moves_with_any_change),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
