/*
 * Unit tests of the counters behind /metrics (base/metrics.h): the
 * Prometheus text of one worker's counts (requests by route and status,
 * cumulative latency buckets, counters, signatures by reason, escaped
 * labels), the sum over several workers' files and programs (a worker
 * that replaces another takes over its file; a locked slot is skipped; a
 * foreign file is ignored), and the gauges read from the database.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "base/cal.h"
#include "base/db.h"
#include "base/metrics.h"
#include "unit.h"

static char dir[300];

static int setup(void **st)
{
	(void)st;
	if (ut_setup("metrics", 0, NULL) < 0)
		return -1;
	snprintf(dir, sizeof dir, "%s/metrics", ut_dir);
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	met_close();
	return ut_teardown();
}

/* The whole text of every file in dir. */
static char *render(void)
{
	static struct buf b;
	buf_reset(&b);
	assert_int_equal(met_render(dir, &b), 0);
	return b.s ? b.s : "";
}

#define HAS(text, line) assert_non_null_msg(strstr(text, line "\n"), line)
static void assert_non_null_msg(const char *p, const char *what)
{
	if (!p)
		fail_msg("missing: %s", what);
}

static void open_queue(void)
{
	assert_int_equal(met_open(dir, "queue", 2), 0);
	met_route(1, "GET", "/queue");
	met_route(2, "POST", "/queue/%d");
}

static void one_worker_in_text_format(void **st)
{
	(void)st;
	open_queue();
	met_request(1, 200, 3000);      /* 3 ms: the first bucket */
	met_request(1, 200, 30000);     /* 30 ms: 0.05 */
	met_request(0, 404, 100);       /* no route matched */
	met_request(2, 418, 3000000);   /* a status not listed; slower than every bound */
	met_add(MET_DB_BUSY, 1);
	met_signature(SIGN_E_REVOKED);
	met_signature(SIGN_E_REVOKED);
	met_signature(SIGN_OK);
	char *t = render();
	HAS(t, "# TYPE kg_requests_total counter");
	HAS(t, "kg_requests_total{program=\"queue\",method=\"GET\",route=\"/queue\",code=\"200\"} 2");
	HAS(t, "kg_requests_total{program=\"queue\",method=\"-\",route=\"-\",code=\"404\"} 1");
	HAS(t, "kg_requests_total{program=\"queue\",method=\"POST\",route=\"/queue/%d\",code=\"other\"} 1");
	HAS(t, "# TYPE kg_request_duration_seconds histogram");
	HAS(t, "kg_request_duration_seconds_bucket{program=\"queue\",method=\"GET\",route=\"/queue\",le=\"0.005\"} 1");
	HAS(t, "kg_request_duration_seconds_bucket{program=\"queue\",method=\"GET\",route=\"/queue\",le=\"0.025\"} 1");
	HAS(t, "kg_request_duration_seconds_bucket{program=\"queue\",method=\"GET\",route=\"/queue\",le=\"0.05\"} 2");
	HAS(t, "kg_request_duration_seconds_bucket{program=\"queue\",method=\"GET\",route=\"/queue\",le=\"+Inf\"} 2");
	HAS(t, "kg_request_duration_seconds_sum{program=\"queue\",method=\"GET\",route=\"/queue\"} 0.033000");
	HAS(t, "kg_request_duration_seconds_count{program=\"queue\",method=\"GET\",route=\"/queue\"} 2");
	HAS(t, "kg_request_duration_seconds_bucket{program=\"queue\",method=\"POST\",route=\"/queue/%d\",le=\"2.5\"} 0");
	HAS(t, "kg_request_duration_seconds_bucket{program=\"queue\",method=\"POST\",route=\"/queue/%d\",le=\"+Inf\"} 1");
	HAS(t, "kg_db_busy_total{program=\"queue\"} 1");
	HAS(t, "kg_db_lock_waits_total{program=\"queue\"} 0");
	HAS(t, "kg_otp_sent_total{program=\"queue\"} 0");
	HAS(t, "kg_signatures_total{program=\"queue\",result=\"revoked\"} 2");
	HAS(t, "kg_signatures_total{program=\"queue\",result=\"ok\"} 1");
	HAS(t, "kg_metrics_files{program=\"queue\"} 1");
	/* A route without requests has no series. */
	assert_null(strstr(t, "code=\"500\""));
	/* Every line is a comment or "name{labels} value". */
	for (char *line = t; *line;) {
		char *end = strchr(line, '\n');
		assert_non_null(end);
		assert_true(line[0] == '#' || (strncmp(line, "kg_", 3) == 0 && strchr(line, ' ')));
		line = end + 1;
	}
	met_close();
}

static void workers_files_are_summed(void **st)
{
	(void)st;
	open_queue();
	met_request(1, 200, 1000);
	met_close();
	/* A worker that replaces the first takes over its file: the counts go on. */
	open_queue();
	met_request(1, 200, 1000);
	char *t = render();
	HAS(t, "kg_requests_total{program=\"queue\",method=\"GET\",route=\"/queue\",code=\"200\"} 2");
	met_close();
	/* Another worker's file (the same counts) is added to it. */
	char cmd[700];
	snprintf(cmd, sizeof cmd, "cp %s/queue.0 %s/queue.1", dir, dir);
	assert_int_equal(system(cmd), 0);
	/* A file that is not a worker's is ignored. */
	snprintf(cmd, sizeof cmd, "echo junk > %s/queue.9", dir);
	assert_int_equal(system(cmd), 0);
	/* A third worker finds slot 0 taken (locked) and writes slot 1. */
	char p0[400];
	snprintf(p0, sizeof p0, "%s/queue.0", dir);
	int fd = open(p0, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), 0);
	open_queue();
	met_request(1, 200, 1000);
	met_close();
	close(fd);
	/* And another program's worker. */
	assert_int_equal(met_open(dir, "login", 1), 0);
	met_route(1, "GET", "/a\"b\\");   /* escaped as the format asks */
	met_request(1, 303, 1000);
	met_close();
	t = render();
	HAS(t, "kg_requests_total{program=\"queue\",method=\"GET\",route=\"/queue\",code=\"200\"} 5");
	HAS(t, "kg_request_duration_seconds_count{program=\"queue\",method=\"GET\",route=\"/queue\"} 5");
	HAS(t, "kg_metrics_files{program=\"queue\"} 2");
	HAS(t, "kg_requests_total{program=\"login\",method=\"GET\",route=\"/a\\\"b\\\\\",code=\"303\"} 1");
	HAS(t, "kg_metrics_files{program=\"login\"} 1");
}

static void without_a_file_counting_does_nothing(void **st)
{
	(void)st;
	met_close();
	met_request(1, 200, 1);   /* no crash, nothing written */
	met_add(MET_OTP_SENT, 1);
	assert_int_equal(met_open("", "queue", 1), -1);
	assert_int_equal(met_open(dir, "queue", MET_ROUTES + 1), -1);
	struct buf b = {0};
	assert_int_equal(met_render("/nonexistent/kg-metrics", &b), -1);
	buf_free(&b);
}

static void gauges_from_the_database(void **st)
{
	(void)st;
	long long now = u_now();
	long long midnight = cal_unix_from_day(cal_day_from_unix(now));
	sqlite3 *h = db_handle();
	char sql[1500];
	/* Referrals without their application and place: only their dates matter here. */
	snprintf(sql, sizeof sql,
		 "PRAGMA foreign_keys = OFF;"
		 "INSERT INTO referral(id, number, application_id, free_place_id, ddo_id, status, issued_at, deadline_at, closed_at) VALUES"
		 " (1, '0000000001', 1, 1, 1, 'annulled', %lld, 0, %lld),"   /* issued and annulled yesterday */
		 " (2, '0000000002', 2, 1, 1, 'annulled', %lld, 0, %lld),"   /* issued yesterday, annulled today */
		 " (3, '0000000003', 3, 1, 1, 'issued', %lld, 0, NULL),"     /* issued today */
		 " (4, '0000000004', 4, 1, 1, 'annulled', %lld, 0, %lld);"   /* issued and annulled today */
		 "PRAGMA foreign_keys = ON;"
		 "INSERT INTO notification(phone, kind, text, created_at, state) VALUES"
		 " ('+77010000001', 't', 'x', 1, 'queued'), ('+77010000002', 't', 'x', 1, 'queued'),"
		 " ('+77010000003', 't', 'x', 1, 'unconfirmed'), ('+77010000004', 't', 'x', 1, 'sent');",
		 midnight - 7200, midnight - 3600, midnight - 3000, midnight + 10, midnight + 20, midnight + 30,
		 midnight + 40);
	assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	struct buf b = {0};
	assert_int_equal(met_render_gauges(&b, midnight + 100), 0);
	HAS(b.s, "kg_referrals_today{event=\"issued\"} 2");
	HAS(b.s, "kg_referrals_today{event=\"annulled\"} 2");
	HAS(b.s, "kg_sms_outbox{state=\"queued\"} 2");
	HAS(b.s, "kg_sms_outbox{state=\"unconfirmed\"} 1");
	assert_null(strstr(b.s, "state=\"sent\""));
	HAS(b.s, "kg_tick_age_seconds +Inf");
	assert_non_null(strstr(b.s, "kg_database_bytes{file=\"db\"} "));
	assert_null(strstr(b.s, "kg_database_bytes{file=\"db\"} 0\n"));
	assert_non_null(strstr(b.s, "kg_files_bytes "));
	buf_reset(&b);
	assert_int_equal(sqlite3_exec(h, "INSERT INTO job_last(name, at) VALUES ('tick', 1000)", NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(met_render_gauges(&b, 1042), 0);
	HAS(b.s, "kg_tick_age_seconds 42");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(one_worker_in_text_format, setup, teardown),
		cmocka_unit_test_setup_teardown(workers_files_are_summed, setup, teardown),
		cmocka_unit_test_setup_teardown(without_a_file_counting_does_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(gauges_from_the_database, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
