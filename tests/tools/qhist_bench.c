/*
 * qhist_bench — the cost of the position history (domain/qhist.h) on a
 * database of national scale (tests/bench/data.sh): for queued applications
 * picked at random (half from anywhere, half from the longest queue, the
 * worst case), what one page asks: the reasons of the last three months
 * (qh_count), the position on each day of the last twelve (qh_history) and
 * the likely wait (qh_wait_of). Prints the time per application (p50, p99,
 * max, mean, one thread, warm cache after a first pass) and the events its
 * queue holds. Used by `make bench` (tests/bench/run.sh).
 *
 *   qhist_bench --db FILE [--n N]      (N: 1000 applications)
 *
 * Opens the database read-only; writes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/db.h"
#include "base/log.h"
#include "base/util.h"
#include "domain/qhist.h"

static double now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* One page's questions for application id; -1 on an error. */
static int one(long long id, long long now)
{
	struct qh_app a;
	struct qh_counts c;
	struct qh_wait w;
	static struct qh_day days[400];
	if (qh_app(id, &a) != 1 || qh_count(&a, now - 91 * 86400LL, now, &c) < 0 ||
	    qh_history(&a, now - 365 * 86400LL, now, days, 400) < 0 || qh_wait_of(&a, now, &w) < 0)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	const char *path = NULL;
	long long n = 1000;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--db") == 0)
			path = argv[i + 1];
		else if (strcmp(argv[i], "--n") != 0 || u_strtoll(argv[i + 1], 2, 1000000, &n) < 0)
			path = NULL, i = argc;
	}
	if (!path) {
		fprintf(stderr, "usage: qhist_bench --db FILE [--n N]\n");
		return 2;
	}
	log_init("qhist_bench");
	if (db_open_readonly(path) < 0)
		return 1;
	long long *ids = calloc((size_t)n, sizeof *ids);
	double *us = calloc((size_t)n, sizeof *us);
	if (!ids || !us)
		return 1;
	long long k = 0, big_d = 0, big_y = 0, big_n = 0;
	sqlite3_stmt *st = db_query("SELECT district_id, group_year, sum(n) FROM queue_count GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 1",
				    NULL);
	if (db_row(st)) {
		big_d = sqlite3_column_int64(st, 0);
		big_y = sqlite3_column_int64(st, 1);
		big_n = sqlite3_column_int64(st, 2);
	}
	db_done(st);
	st = db_query("SELECT id FROM application WHERE status = 'queued' AND district_id = ? AND group_year = ? "
		      "ORDER BY random() LIMIT ?", "IIi", big_d, big_y, (int)(n / 2));
	while (db_row(st) && k < n)
		ids[k++] = sqlite3_column_int64(st, 0);
	db_done(st);
	st = db_query("SELECT id FROM application WHERE status = 'queued' ORDER BY random() LIMIT ?", "i", (int)(n - k));
	while (db_row(st) && k < n)
		ids[k++] = sqlite3_column_int64(st, 0);
	db_done(st);
	long long now = u_now();
	long long events = db_int("SELECT count(*) FROM position_event", 0, NULL);
	long long big_events = db_int("SELECT count(*) FROM position_event WHERE district_id = ? AND group_year = ? AND at > ?", 0,
				      "III", big_d, big_y, now - 365 * 86400LL);
	/* A first pass warms the cache; the second is measured. */
	for (long long i = 0; i < k; i++)
		if (one(ids[i], now) < 0) {
			fprintf(stderr, "qhist_bench: application %lld failed: %s\n", ids[i], db_errmsg());
			return 1;
		}
	double sum = 0;
	for (long long i = 0; i < k; i++) {
		double t0 = now_us();
		one(ids[i], now);
		us[i] = now_us() - t0;
		sum += us[i];
	}
	qsort(us, (size_t)k, sizeof *us, cmp_d);
	printf("history: %lld applications (half in the longest queue: district %lld, group year %lld, %lld queued, "
	       "%lld events in its last 12 months; %lld events in all): per application p50 %.0f us, p99 %.0f us, "
	       "max %.0f us, mean %.0f us (3-month reasons + 12-month days + wait, one thread)\n",
	       k, big_d, big_y, big_n, big_events, events, k ? us[k / 2] : 0, k ? us[k * 99 / 100] : 0, k ? us[k - 1] : 0,
	       k ? sum / (double)k : 0);
	free(ids);
	free(us);
	db_close();
	return 0;
}
