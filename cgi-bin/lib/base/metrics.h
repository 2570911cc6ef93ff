/*
 * metrics.h — the service's counters for /metrics (Prometheus text format),
 * shared by every worker of every program without a write to SQLite.
 *
 * Each worker keeps its counters in a small file of fixed layout under
 * Paths.Metrics, mapped into its memory: <program>.<slot>, the slot being
 * the first file of the program the worker can lock (flock), so a worker
 * that replaces a dead one takes over its file and its counts go on
 * growing. Only the worker's single thread writes its file (plain
 * increments, no lock); the reader maps every file, sums them per program
 * and adds the gauges it reads from the database and the disk.
 *
 *   met_open(dir, "queue", nroutes);  met_route(1, "GET", "/queue"); ...  (req.c, once)
 *   met_request(route, status, us);  (req.c, every request; route 0 = none matched)
 *   met_add(MET_OTP_SENT, 1);  met_signature(SIGN_E_REVOKED);            (anywhere)
 *   met_render(dir, &b);  met_render_gauges(&b, now);                    (the metrics program)
 *
 * Without met_open (kgctl, unit tests, no Paths.Metrics) counting does
 * nothing. Prefix met_.
 */
#ifndef KG_METRICS_H
#define KG_METRICS_H

#include "base/sign.h"
#include "base/util.h"

/* Counters of one program (a label program="..."). */
enum met_counter {
	MET_DB_LOCK_WAITS,   /* statements that found the database locked and waited */
	MET_DB_BUSY,         /* of those, the ones that gave up (the request answered 503) */
	MET_OTP_SENT,        /* one-time codes handed to the SMS gateway */
	MET_COUNTER__MAX
};
extern const char *const met_counter_names[MET_COUNTER__MAX];

/* Routes a program may have (route 0 is "no route matched"). */
#define MET_ROUTES 48

/* Maps this worker's file for `program` in `dir` (made if missing); the
 * program's routes are then named with met_route, 1..nroutes. 0, or -1
 * (logged once) and counting stays off. */
int met_open(const char *dir, const char *program, size_t nroutes);
void met_route(size_t i, const char *method, const char *pattern);
/* A request answered: its route (0: none), status and duration. */
void met_request(size_t route, int status, long long micros);
void met_add(enum met_counter c, long long n);
/* A signature verified (SIGN_OK, once stored) or refused, by reason. */
void met_signature(enum sign_err e);
void met_close(void);

/* Appends the sum of every file in dir, per program, route and status, in
 * Prometheus text format. 0, or -1 when dir cannot be read. */
int met_render(const char *dir, struct buf *out);
/* Appends the gauges read from the database and the disk: the SMS outbox,
 * referrals issued and annulled today, the time since the last tick, the
 * database's and the stored files' size. 0, or -1 on a database error. */
int met_render_gauges(struct buf *out, long long now);

/* A monotonic clock in microseconds, for durations. */
long long met_clock_us(void);

#endif
