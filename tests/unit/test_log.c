/*
 * Unit tests of the log (base/log.h): an entry's fields as a stderr line
 * and as the journal's native protocol, personal data masked in every
 * field, and the datagram the journal receives (a socket of the test's
 * own stands for /run/systemd/journal/socket).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/log.h"

static const char IIN[] = "850312412032";

static void a_line_carries_the_message_and_the_fields_as_key_value(void **st)
{
	(void)st;
	log_init("/usr/lib/kg/cgi-bin/queue");
	char out[512];
	struct log_fields f = {"/queue/%d", "abcdefghij", 200, 7};
	size_t n = log_format(out, sizeof out, 0, LOG_INFO, &f, "GET /queue/%d");
	assert_int_equal(n, strlen(out));
	char want[256];
	snprintf(want, sizeof want,
		 "kg-queue[%d] info: GET /queue/%%d route=/queue/%%d status=200 duration_ms=7 request_id=abcdefghij\n",
		 (int)getpid());
	assert_string_equal(out, want);
	/* Absent fields are left out. */
	struct log_fields none = {NULL, NULL, 0, -1};
	log_format(out, sizeof out, 0, LOG_ERR, &none, "boom");
	snprintf(want, sizeof want, "kg-queue[%d] error: boom\n", (int)getpid());
	assert_string_equal(out, want);
}

static void the_journal_gets_one_key_value_line_per_field(void **st)
{
	(void)st;
	log_init("places");
	char out[512];
	struct log_fields f = {"/places", "zyxwvutsrq", 503, 1250};
	log_format(out, sizeof out, 1, LOG_WARN, &f, "POST /places");
	char want[512];
	snprintf(want, sizeof want,
		 "PRIORITY=4\nSYSLOG_IDENTIFIER=kg-places\nSYSLOG_PID=%d\nPROGRAM=places\nROUTE=/places\n"
		 "STATUS=503\nDURATION_MS=1250\nREQUEST_ID=zyxwvutsrq\nMESSAGE=POST /places\n",
		 (int)getpid());
	assert_string_equal(out, want);
}

static void iins_are_masked_and_newlines_replaced_in_every_field(void **st)
{
	(void)st;
	log_init("journal");
	char route[64], msg[128], out[1024];
	snprintf(route, sizeof route, "/journal/%s", IIN);
	snprintf(msg, sizeof msg, "child %s\nFAKE=injected", IIN);
	struct log_fields f = {route, IIN, 0, -1};
	for (int journal = 0; journal <= 1; journal++) {
		log_format(out, sizeof out, journal, LOG_INFO, &f, msg);
		assert_null(strstr(out, IIN));
		assert_non_null(strstr(out, "8503******32"));
		/* A value's newline cannot start a field (journal) or a line. */
		assert_null(strstr(out, "\nFAKE="));
		char *nl = strchr(out, '\n');
		if (!journal)
			assert_true(nl && nl[1] == '\0');
	}
}

static void a_long_message_is_cut_after_masking_and_keeps_its_fields(void **st)
{
	(void)st;
	log_init("queue");
	/* IINs one after another: wherever the cut falls, it may fall inside one. */
	char msg[3000] = "";
	for (size_t i = 0; i + 14 < sizeof msg; i += 13)
		strcat(msg, "850312412032 ");
	struct log_fields f = {"/queue", "abc", 200, 1};
	char out[160];
	for (int journal = 0; journal <= 1; journal++) {
		memset(out, 0, sizeof out);
		size_t n = log_format(out, sizeof out, journal, LOG_INFO, &f, msg);
		assert_true(n < sizeof out);
		assert_int_equal(out[n - 1], '\n');
		assert_null(strstr(out, "85031241"));   /* not even the digits before a cut */
		assert_non_null(strstr(out, journal ? "REQUEST_ID=abc\n" : "request_id=abc\n"));
	}
}

static void entries_reach_the_journal_socket_with_the_request_context(void **st)
{
	(void)st;
	char path[108];
	snprintf(path, sizeof path, "/tmp/kg-unit-log-%d.sock", (int)getpid());
	unlink(path);
	int s = socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_true(s >= 0);
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	memcpy(a.sun_path, path, strlen(path) + 1);
	assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof a), 0);

	log_init("login");
	log_setup("on", path);
	assert_true(log_to_journal());
	log_context("/login/password", "reqidreqid");
	log_warn("CSRF check failed for %s", IIN);
	log_request(403, 3, "POST %s", "/login/password");
	log_context(NULL, NULL);
	char d[2048];
	ssize_t n = recv(s, d, sizeof d - 1, MSG_DONTWAIT);
	assert_true(n > 0);
	d[n] = '\0';
	assert_non_null(strstr(d, "PRIORITY=4\n"));
	assert_non_null(strstr(d, "ROUTE=/login/password\nREQUEST_ID=reqidreqid\nMESSAGE=CSRF check failed for 8503******32\n"));
	n = recv(s, d, sizeof d - 1, MSG_DONTWAIT);
	assert_true(n > 0);
	d[n] = '\0';
	assert_non_null(strstr(d, "PROGRAM=login\nROUTE=/login/password\nSTATUS=403\nDURATION_MS=3\n"
				  "REQUEST_ID=reqidreqid\nMESSAGE=POST /login/password\n"));

	/* off, and auto without a journal on stderr: lines on stderr. */
	log_setup("off", path);
	assert_false(log_to_journal());
	unsetenv("JOURNAL_STREAM");
	log_setup("auto", path);
	assert_false(log_to_journal());
	close(s);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_line_carries_the_message_and_the_fields_as_key_value),
		cmocka_unit_test(the_journal_gets_one_key_value_line_per_field),
		cmocka_unit_test(iins_are_masked_and_newlines_replaced_in_every_field),
		cmocka_unit_test(a_long_message_is_cut_after_masking_and_keeps_its_fields),
		cmocka_unit_test(entries_reach_the_journal_socket_with_the_request_context),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
