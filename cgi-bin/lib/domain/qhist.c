/* qhist.c — see qhist.h. */
#include "domain/qhist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cal.h"
#include "base/conf.h"
#include "base/db.h"
#include "base/log.h"
#include "domain/queue.h"

const char *const qh_reason_names[QH__MAX] = {"referred",      "withdrawn",   "left",        "benefit_ahead",
					      "entered_ahead", "recat_ahead", "recat_behind"};
const char *const qh_cause_names[QC__MAX] = {"registered", "returned", "referred", "withdrawn",    "archived",
					     "left",       "moved",    "recategorised", "redated"};

int qh_reason_of(const char *name)
{
	for (int i = 0; name && i < QH__MAX; i++)
		if (strcmp(name, qh_reason_names[i]) == 0)
			return i;
	return -1;
}

static int cause_of(const char *name)
{
	for (int i = 0; i < QC__MAX; i++)
		if (strcmp(name, qh_cause_names[i]) == 0)
			return i;
	return QC_LEFT;
}

int qh_before(struct qh_key a, struct qh_key b)
{
	if (a.rank != b.rank)
		return a.rank < b.rank;
	if (a.at != b.at)
		return a.at < b.at;
	return a.id < b.id;
}

int qh_effect(const struct qh_event *e, struct qh_key k)
{
	return (e->has_new && qh_before(e->new, k)) - (e->has_old && qh_before(e->old, k));
}

int qh_reason(const struct qh_event *e, struct qh_key k)
{
	if (e->app_id == k.id)
		return -1;
	int d = qh_effect(e, k);
	if (d == 0)
		return -1;
	if (e->has_old && e->has_new)
		return d > 0 ? QH_RECAT_AHEAD : QH_RECAT_BEHIND;
	if (d < 0)
		return e->cause == QC_REFERRED ? QH_REFERRED : e->cause == QC_WITHDRAWN ? QH_WITHDRAWN : QH_LEFT;
	return e->new.rank < k.rank ? QH_BENEFIT_AHEAD : QH_ENTERED_AHEAD;
}

int qh_app(long long id, struct qh_app *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = db_query("SELECT district_id, group_year, language, benefit_rank, queued_at, status = 'queued' "
				    "FROM application WHERE id = ?", "I", id);
	if (!st)
		return -1;
	if (!db_row(st)) {
		db_done(st);
		return 0;
	}
	out->id = id;
	out->district = sqlite3_column_int(st, 0);
	out->year = sqlite3_column_int(st, 1);
	snprintf(out->language, sizeof out->language, "%s", db_col(st, 2));
	out->key.rank = sqlite3_column_int(st, 3);
	out->key.at = sqlite3_column_int64(st, 4);
	out->key.id = id;
	out->queued = sqlite3_column_int(st, 5);
	db_done(st);
	return 1;
}

long long qh_started(void) { return db_int("SELECT at FROM qh_start WHERE id = 1", 0, ""); }

/* ---- the application's own key over time ---- */

#define OWN_MAX 64

/* One's own events: after event i (ordered by at, seq) the application is
 * queued in its queue with key[i] when in[i]; before the first, initial. */
struct own {
	int n;
	long long seq[OWN_MAX], at[OWN_MAX];
	int in[OWN_MAX];
	struct qh_key key[OWN_MAX];
	int in0;
	struct qh_key key0;
};

static int own_load(const struct qh_app *app, struct own *o)
{
	memset(o, 0, sizeof *o);
	/* The newest OWN_MAX events; the state before them is the first's old key. */
	sqlite3_stmt *st = db_query("SELECT id, at, district_id = ? AND group_year = ?, old_rank, old_at, new_rank, new_at, "
				    "old_rank IS NOT NULL, new_rank IS NOT NULL FROM (SELECT * FROM position_event "
				    "WHERE app_id = ? ORDER BY at DESC, id DESC LIMIT 64) ORDER BY at, id",
				    "iiI", app->district, app->year, app->id);
	if (!st)
		return -1;
	while (db_row(st)) {
		int here = sqlite3_column_int(st, 2), i = o->n;
		if (i == 0) {
			o->in0 = here && sqlite3_column_int(st, 7);
			o->key0 = (struct qh_key){sqlite3_column_int(st, 3), sqlite3_column_int64(st, 4), app->id};
		}
		o->seq[i] = sqlite3_column_int64(st, 0);
		o->at[i] = sqlite3_column_int64(st, 1);
		o->in[i] = here && sqlite3_column_int(st, 8);
		o->key[i] = (struct qh_key){sqlite3_column_int(st, 5), sqlite3_column_int64(st, 6), app->id};
		o->n++;
	}
	if (db_end(st) < 0)
		return -1;
	if (o->n == 0) {
		/* No event recorded: as it is now, since recording began. */
		o->in0 = app->queued;
		o->key0 = app->key;
	}
	return 0;
}

/* The state after every event up to (at, seq): index into own (-1 for the
 * initial state). */
static int own_at(const struct own *o, long long at, long long seq)
{
	int i = -1;
	while (i + 1 < o->n && (o->at[i + 1] < at || (o->at[i + 1] == at && o->seq[i + 1] <= seq)))
		i++;
	return i;
}

static int own_in(const struct own *o, int i) { return i < 0 ? o->in0 : o->in[i]; }
static struct qh_key own_key(const struct own *o, int i) { return i < 0 ? o->key0 : o->key[i]; }

/* ---- reading events ---- */

static void read_event(sqlite3_stmt *st, struct qh_event *e)
{
	e->seq = sqlite3_column_int64(st, 0);
	e->at = sqlite3_column_int64(st, 1);
	e->app_id = sqlite3_column_int64(st, 2);
	e->cause = cause_of(db_col(st, 3));
	e->has_old = sqlite3_column_type(st, 4) != SQLITE_NULL;
	e->has_new = sqlite3_column_type(st, 6) != SQLITE_NULL;
	e->old = (struct qh_key){sqlite3_column_int(st, 4), sqlite3_column_int64(st, 5), e->app_id};
	e->new = (struct qh_key){sqlite3_column_int(st, 6), sqlite3_column_int64(st, 7), e->app_id};
}

/* Calls fn for each event of the queue at from <= at < to (in index
 * order) with the reason it has against the key one had then (-1: none,
 * or not queued then). Returns 1 when QH_MAX_EVENTS cut it, 0, -1. */
typedef int (*scan_fn)(void *ctx, const struct qh_event *e, int reason, int effect);

static int scan(const struct qh_app *app, long long from, long long to, scan_fn fn, void *ctx)
{
	struct own o;
	if (own_load(app, &o) < 0)
		return -1;
	sqlite3_stmt *st = db_query("SELECT id, at, app_id, cause, old_rank, old_at, new_rank, new_at "
				    "FROM position_event INDEXED BY position_event_queue "
				    "WHERE district_id = ? AND group_year = ? AND at >= ? AND at < ?",
				    "iiII", app->district, app->year, from, to);
	if (!st)
		return -1;
	long long n = 0;
	int cut = 0;
	struct qh_event e;
	while (db_row(st)) {
		if (++n > QH_MAX_EVENTS) {
			cut = 1;
			break;
		}
		read_event(st, &e);
		if (e.app_id == app->id)
			continue;
		int i = own_at(&o, e.at, e.seq);
		if (!own_in(&o, i))
			continue;
		struct qh_key k = own_key(&o, i);
		int reason = qh_reason(&e, k);
		if (reason >= 0 && fn(ctx, &e, reason, qh_effect(&e, k)) < 0) {
			db_done(st);
			return -1;
		}
	}
	if (cut) {
		db_done(st);
		return 1;
	}
	return db_end(st) < 0 ? -1 : 0;
}

static int count_one(void *ctx, const struct qh_event *e, int reason, int effect)
{
	(void)e;
	struct qh_counts *c = ctx;
	c->n[reason]++;
	c->net += effect;
	return 0;
}

int qh_count(const struct qh_app *app, long long from, long long to, struct qh_counts *out)
{
	memset(out, 0, sizeof *out);
	int rc = scan(app, from, to, count_one, out);
	if (rc < 0)
		return -1;
	out->cut = rc;
	return 0;
}

struct list_ctx {
	int reason, max;
	long long n;
	struct qh_item *out;
};

static int list_one(void *ctx, const struct qh_event *e, int reason, int effect)
{
	(void)effect;
	struct list_ctx *c = ctx;
	if (reason != c->reason)
		return 0;
	if (c->n < c->max) {
		struct qh_item *it = &c->out[c->n];
		char number[32] = "";
		db_text(number, sizeof number, "SELECT number FROM application WHERE id = ?", "I", e->app_id);
		it->at = e->at;
		qh_mask_number(number, it->number);
		it->rank = e->has_new ? e->new.rank : e->old.rank;
	}
	c->n++;
	return 0;
}

static int item_cmp(const void *a, const void *b)
{
	const struct qh_item *x = a, *y = b;
	return (x->at > y->at) - (x->at < y->at);
}

long long qh_list(const struct qh_app *app, long long from, long long to, int reason, struct qh_item *out, int max)
{
	if (reason < 0 || reason >= QH__MAX || max < 0)
		return -1;
	struct list_ctx c = {reason, max, 0, out};
	if (scan(app, from, to, list_one, &c) < 0)
		return -1;
	qsort(out, (size_t)(c.n < max ? c.n : max), sizeof *out, item_cmp);
	return c.n;
}

void qh_mask_number(const char *number, char out[32])
{
	snprintf(out, 32, "%s", number ? number : "");
	if (queue_number_valid(out)) {
		memset(out + 8, '*', 4); /* UO.yyyy.[nnnn]nn.n */
		return;
	}
	size_t n = strlen(out);
	for (size_t i = 0; i + 2 < n; i++)
		out[i] = '*';
}

/* ---- positions in the past ---- */

#define KEYS_MAX (OWN_MAX + 1)

/* The number ahead of k now: the counters for the application's own
 * current key, the plain count for any other (rare: a key it had). */
static long long ahead_now(const struct qh_app *app, struct qh_key k)
{
	struct queue_pos p;
	int rc = app->queued && !qh_before(k, app->key) && !qh_before(app->key, k)
			 ? queue_position_of(app->district, app->year, k.rank, k.at, k.id, &p)
			 : queue_position_count(app->district, app->year, k.rank, k.at, k.id, &p);
	if (rc < 0)
		return -1;
	return p.overall - 1;
}

/* The positions at the ends t[0] < t[1] < ... < t[n-1] (each after the
 * events at that second), into pos. 0 or -1. */
static int positions(const struct qh_app *app, const long long *t, int n, long long *pos)
{
	struct own o;
	if (n <= 0)
		return 0;
	if (own_load(app, &o) < 0)
		return -1;
	/* The keys it had from t[0] on, each with its count now. */
	struct qh_key keys[KEYS_MAX];
	long long base[KEYS_MAX], net[KEYS_MAX];
	int nk = 0, first = own_at(&o, t[0], 0x7fffffffffffffffLL);
	for (int i = first; i < o.n; i++) {
		if (!own_in(&o, i))
			continue;
		struct qh_key k = own_key(&o, i);
		int j = 0;
		while (j < nk && (qh_before(keys[j], k) || qh_before(k, keys[j])))
			j++;
		if (j == nk && nk < KEYS_MAX) {
			keys[nk] = k;
			if ((base[nk] = ahead_now(app, k)) < 0)
				return -1;
			net[nk++] = 0;
		}
	}
	/* Walk the events from now back to t[0]; the position at t[i] is the
	 * number ahead now of the key it had then, less the effects since. */
	sqlite3_stmt *st = db_query("SELECT id, at, app_id, cause, old_rank, old_at, new_rank, new_at "
				    "FROM position_event INDEXED BY position_event_queue "
				    "WHERE district_id = ? AND group_year = ? AND at > ? ORDER BY at DESC",
				    "iiI", app->district, app->year, t[0]);
	if (!st)
		return -1;
	struct qh_event e;
	int have = 0, end = 0;
	long long read = 0;
	for (int i = n - 1; i >= 0; i--) {
		for (;;) {
			if (!have) {
				/* (A finished statement stepped again would start over.) */
				if (end || read >= QH_MAX_EVENTS || !db_row(st)) {
					end = 1;
					break;
				}
				read++;
				read_event(st, &e);
				have = 1;
			}
			if (e.at <= t[i])
				break;
			for (int j = 0; j < nk; j++)
				net[j] += qh_effect(&e, keys[j]);
			have = 0;
		}
		int s = own_at(&o, t[i], 0x7fffffffffffffffLL);
		pos[i] = 0;
		if (!own_in(&o, s))
			continue;
		struct qh_key k = own_key(&o, s);
		for (int j = 0; j < nk; j++)
			if (!qh_before(keys[j], k) && !qh_before(k, keys[j]))
				pos[i] = 1 + base[j] - net[j];
	}
	if (read >= QH_MAX_EVENTS) {
		db_done(st);
		return 0;
	}
	return db_end(st) < 0 ? -1 : 0;
}

long long qh_position_at(const struct qh_app *app, long long t, long long now)
{
	long long pos;
	if (t > now)
		t = now;
	return positions(app, &t, 1, &pos) < 0 ? -1 : pos;
}

/* The first second of a local day. */
static long long day_start(int day) { return (long long)day * 86400 - CAL_UTC_OFFSET; }

int qh_history(const struct qh_app *app, long long since, long long now, struct qh_day *out, int max)
{
	long long start = qh_started();
	if (since < start)
		since = start;
	if (since > now || max <= 0)
		return 0;
	int d0 = cal_day_from_unix(since), d1 = cal_day_from_unix(now);
	if (d1 - d0 > 400)
		d0 = d1 - 400;
	int n = d1 - d0 + 1;
	if (d0 == CAL_NO_DAY || d1 == CAL_NO_DAY || n < 1)
		return -1;
	long long *t = malloc(sizeof *t * (size_t)n * 2);
	if (!t)
		return -1;
	long long *pos = t + n;
	for (int i = 0; i < n; i++)
		t[i] = i == n - 1 ? now : day_start(d0 + i + 1) - 1;
	if (positions(app, t, n, pos) < 0) {
		free(t);
		return -1;
	}
	int k = 0;
	for (int i = 0; i < n && k < max; i++)
		if (i == 0 || pos[i] != pos[i - 1])
			out[k++] = (struct qh_day){d0 + i, pos[i]};
	free(t);
	return k;
}

/* ---- the likely wait ---- */

static int ll_cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

/* need / (num / den) months (a rate of num per den months), rounded up,
 * at least 1, at most 999. Integers, so that exact rates give exact ends. */
static int months(long long need, long long num, long long den)
{
	long long r = (need * den + num - 1) / num;
	return r < 1 ? 1 : r > 999 ? 999 : (int)r;
}

void qh_wait_estimate(const long long monthly[12], long long need, long long min_refs, struct qh_wait *out)
{
	memset(out, 0, sizeof *out);
	long long m[12], total = 0;
	for (int i = 0; i < 12; i++)
		total += (m[i] = monthly[i] > 0 ? monthly[i] : 0);
	out->total = total;
	out->need = need;
	if (total <= 0 || total < min_refs || need < 1)
		return;
	qsort(m, 12, sizeof *m, ll_cmp);
	long long slow = 0, fast = 0; /* referrals of the six quietest, busiest months */
	for (int i = 0; i < 6; i++) {
		slow += m[i];
		fast += m[6 + i];
	}
	out->enough = 1;
	out->lo = months(need, fast, 6);
	/* The quiet end at no less than half the year's average (total / 24). */
	out->hi = slow * 4 < total ? months(need, total, 24) : months(need, slow, 6);
}

/* The length of an estimate's month: a year over 12. */
#define QH_MONTH 2629746LL

int qh_wait_of(const struct qh_app *app, long long now, struct qh_wait *out)
{
	memset(out, 0, sizeof *out);
	if (!app->queued)
		return 0;
	long long monthly[12] = {0};
	sqlite3_stmt *st = db_query("SELECT at FROM position_event INDEXED BY position_event_referred "
				    "WHERE district_id = ? AND group_year = ? AND language = ? AND cause = 'referred' "
				    "AND at > ? AND at <= ?",
				    "iitII", app->district, app->year, app->language, now - 12 * QH_MONTH, now);
	if (!st)
		return -1;
	while (db_row(st)) {
		long long i = (now - sqlite3_column_int64(st, 0)) / QH_MONTH;
		if (i >= 0 && i < 12)
			monthly[i]++;
	}
	if (db_end(st) < 0)
		return -1;
	long long ahead =
		db_int("SELECT coalesce(sum(n), 0) FROM queue_count WHERE district_id = ? AND group_year = ? AND language = ? "
		       "AND rank < ?", -1, "iiti", app->district, app->year, app->language, app->key.rank);
	long long same = db_int("SELECT count(*) FROM application INDEXED BY application_queue_lang WHERE status = 'queued' "
				"AND district_id = ? AND group_year = ? AND language = ? AND benefit_rank = ? "
				"AND (queued_at < ? OR (queued_at = ? AND id < ?))",
				-1, "iitiIII", app->district, app->year, app->language, app->key.rank, app->key.at,
				app->key.at, app->id);
	if (ahead < 0 || same < 0)
		return -1;
	qh_wait_estimate(monthly, ahead + same + 1, conf_int("Queue.WaitMinReferrals", 6), out);
	return 0;
}
