/*
 * qhist_view.h — why a queue number moved and the likely wait
 * (domain/qhist.h), as templates/queue/hist.cs shows them, for the two
 * pages that show them: the parent's application (/queue/app/ID) and the
 * public search by number (/queue/search). Both show the same, masked the
 * same way: other applications only by a masked number, category and date.
 * Included by queue.c only; everything here is static. Prefix hview_.
 *
 * Parameters (GET, the period form): from, to (dd.mm.yyyy; by default the
 * last three months up to today), events (a reason of qh_reason_names: the
 * list of those events in the period); on the search, hist=1 (the search
 * result shows a link to it: a plain search costs what it did).
 */
#ifndef KG_QHIST_VIEW_H
#define KG_QHIST_VIEW_H

#include <stdio.h>

#include "base/cal.h"
#include "base/conf.h"
#include "domain/qhist.h"
#include "domain/queue.h"
#include "web/req.h"
#include "web/val.h"
#include "web/view.h"

/* qh_reason_names with the NULL V_ENUM needs. */
static const char *const hview_kinds[QH__MAX + 1] = {"referred",      "withdrawn",   "left",         "benefit_ahead",
						      "entered_ahead", "recat_ahead", "recat_behind", NULL};
enum { HF_FROM, HF_TO, HF_EVENTS, HF__MAX };
static const struct vfield hview_fields[HF__MAX] = {
	[HF_FROM] = {"from", V_DATE, 0, 0, 0, NULL},
	[HF_TO] = {"to", V_DATE, 0, 0, 0, NULL},
	[HF_EVENTS] = {"events", V_ENUM, 0, 0, 0, hview_kinds},
};

/* The most events a list shows. */
#define HVIEW_LIST_MAX 200
/* The days of the position history (a year, and the first day). */
#define HVIEW_DAYS_MAX 400

static void hview_date(struct req *r, const char *key, int day)
{
	char d[11];
	cal_format_date(day, d);
	view_set(r, key, d);
}

/* The period: from and to as days (today - 91 .. today unless given and
 * valid, from <= to); the form's values under Hist.from and Hist.to. */
static void hview_period(struct req *r, const struct vval v[HF__MAX], int today, int *from, int *to)
{
	*from = today - 91;
	*to = today;
	if (v[HF_FROM].present && !v[HF_FROM].err)
		*from = (int)v[HF_FROM].i;
	if (v[HF_TO].present && !v[HF_TO].err)
		*to = (int)v[HF_TO].i;
	if (*from > *to) {
		view_field_error(r, "to", "QHist.err_order");
		*from = today - 91;
		*to = today;
	}
	hview_date(r, "Hist.from", *from);
	hview_date(r, "Hist.to", *to);
}

static int hview_counts(struct req *r, const struct qh_app *a, long long t1, long long t2)
{
	struct qh_counts c;
	if (qh_count(a, t1, t2, &c) < 0)
		return -1;
	long long any = 0;
	for (int i = 0; i < QH__MAX; i++) {
		view_set_int(r, arena_printf(r->a, "Hist.counts.%s", qh_reason_names[i]), c.n[i]);
		any += c.n[i];
	}
	view_set_int(r, "Hist.net", c.net);
	view_set_int(r, "Hist.any", any);
	if (c.cut)
		view_set(r, "Hist.cut", "1");
	return 0;
}

static int hview_list(struct req *r, const struct qh_app *a, long long t1, long long t2, int kind)
{
	struct qh_item *items = arena_alloc(r->a, sizeof *items * HVIEW_LIST_MAX);
	if (!items)
		return -1;
	long long n = qh_list(a, t1, t2, kind, items, HVIEW_LIST_MAX);
	if (n < 0)
		return -1;
	view_set(r, "Hist.list.kind", qh_reason_names[kind]);
	view_set_int(r, "Hist.list.total", n);
	if (n > HVIEW_LIST_MAX)
		view_set_int(r, "Hist.list.shown", HVIEW_LIST_MAX);
	for (long long i = 0; i < n && i < HVIEW_LIST_MAX; i++) {
		view_set(r, arena_printf(r->a, "Hist.list.rows.%lld.at", i), arena_datetime(r->a, items[i].at));
		view_set(r, arena_printf(r->a, "Hist.list.rows.%lld.number", i), items[i].number);
		view_set(r, arena_printf(r->a, "Hist.list.rows.%lld.category", i),
			 queue_benefit_names[items[i].rank >= 0 && items[i].rank < QB__MAX ? items[i].rank : QB_NONE]);
	}
	return 0;
}

/* The days the position changed in the last 12 months, newest first. */
static int hview_days(struct req *r, const struct qh_app *a, long long now)
{
	struct qh_day *d = arena_alloc(r->a, sizeof *d * HVIEW_DAYS_MAX);
	if (!d)
		return -1;
	int n = qh_history(a, now - 365 * 86400LL, now, d, HVIEW_DAYS_MAX);
	if (n < 0)
		return -1;
	for (int i = n - 1, k = 0; i >= 0; i--, k++) {
		hview_date(r, arena_printf(r->a, "Hist.days.%d.date", k), d[i].day);
		view_set_int(r, arena_printf(r->a, "Hist.days.%d.pos", k), d[i].pos);
		if (i > 0 && d[i].pos && d[i - 1].pos)
			view_set(r, arena_printf(r->a, "Hist.days.%d.delta", k),
				 arena_printf(r->a, "%+lld", d[i].pos - d[i - 1].pos));
	}
	long long started = qh_started();
	if (started > now - 365 * 86400LL)
		view_set(r, "Hist.started", arena_date(r->a, started));
	return 0;
}

static int hview_wait(struct req *r, const struct qh_app *a, long long now)
{
	struct qh_wait w;
	if (qh_wait_of(a, now, &w) < 0)
		return -1;
	view_set_int(r, "Hist.wait.min", conf_int("Queue.WaitMinReferrals", 6));
	if (!a->queued)
		return 0;
	view_set(r, "Hist.wait.queued", "1");
	view_set_int(r, "Hist.wait.total", w.total);
	view_set_int(r, "Hist.wait.need", w.need);
	if (w.enough) {
		view_set(r, "Hist.wait.enough", "1");
		view_set_int(r, "Hist.wait.lo", w.lo);
		view_set_int(r, "Hist.wait.hi", w.hi);
	}
	return 0;
}

/* Does the search ask for the history (hist=1)? The plain search stays as
 * cheap as it was; its result links to the history. 1 or 0. */
static int hview_wanted(struct req *r)
{
	static const struct vfield f = {"hist", V_BOOL, 0, 0, 0, NULL};
	struct vval v;
	return !val_one(r, &f, req_param(r, "hist"), &v) && v.i;
}

/* Fills Hist.* for application id. action: the page's path (the period
 * form's action); q: the search's query to carry, NULL on the parent's
 * page. 0, or -1 on an error. */
static int hview_fill(struct req *r, long long id, const char *action, const char *q)
{
	struct qh_app a;
	int found = qh_app(id, &a);
	if (found <= 0)
		return found < 0 ? -1 : 0;
	long long now = u_now();
	int today = cal_day_from_unix(now), from, to;
	struct vval v[HF__MAX];
	val_form(r, hview_fields, HF__MAX, v);
	hview_period(r, v, today, &from, &to);
	view_set(r, "Hist.action", action);
	/* The links' common part: the page and the period. */
	view_set(r, "Hist.base", q ? arena_printf(r->a, "%s?q=%s&hist=1&", action, q) : arena_printf(r->a, "%s?", action));
	if (q)
		view_set(r, "Hist.q", q);
	long long t1 = cal_unix_from_day(from), t2 = cal_unix_from_day(to + 1);
	if (hview_counts(r, &a, t1, t2) < 0 || hview_days(r, &a, now) < 0 || hview_wait(r, &a, now) < 0)
		return -1;
	if (v[HF_EVENTS].present && !v[HF_EVENTS].err && hview_list(r, &a, t1, t2, (int)v[HF_EVENTS].i) < 0)
		return -1;
	view_set(r, "Hist.shown", "1");
	return 0;
}

#endif
