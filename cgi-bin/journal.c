/*
 * journal — «Журнал заявлений» (seed 003 for parents; seed 000's tile
 * «Журнал заявлений — Список очередников и архивных заявок» for staff and
 * reviewers): the applications an account may see (journal.h says who
 * sees what), with filters and paging; a row opens with the triangle on
 * its left into three tabs: «Информация о заявлении», «История»,
 * «Документы» (what the applicant attached, what the system generated,
 * each downloadable by those who may see the application).
 *
 *   GET  /journal               the list (?status ?year ?number ?iin, sort/page; ?open=ID&tab=)
 *   GET  /journal/ID            one application with its tabs (?tab=info|history|docs)
 *   GET  /journal/doc/ID        a document, as an attachment with its type
 *   GET  /journal/sig/ID.p7s    a signed decision's CMS (DER), .txt the text it signs (proof.h)
 *   GET  /check/CODE            public: does the generated document exist, its kind, number,
 *                               date and SHA-256 (no personal data)
 *   POST /check/CODE            public: is this file that document? (compares SHA-256, keeps nothing)
 *   GET  /audit/heads           public: the signed daily heads of the audit chain (audit.h);
 *                               .csv the same with the signatures, /audit/cert.pem the signer
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/conf.h"
#include "base/db.h"
#include "domain/audit.h"
#include "domain/doc.h"
#include "domain/journal.h"
#include "domain/proof.h"
#include "web/lst.h"
#include "domain/queue.h"
#include "domain/refusal.h"
#include "web/req.h"
#include "base/util.h"
#include "web/val.h"
#include "web/view.h"
#include "base/workday.h"

#define PER_PAGE 20

static const char *const statuses[] = {"queued", "referred", "docs_submitted", "enrolled", "refusal_review",
				       "departed", "archived", NULL};
static const char *const tabs[] = {"info", "history", "docs", NULL};

enum { F_STATUS, F_YEAR, F_NUMBER, F_IIN, F_OPEN, F_TAB, F__MAX };
static const struct vfield filters[F__MAX] = {
	[F_STATUS] = {"status", V_ENUM, 0, 0, 0, statuses},
	[F_YEAR] = {"year", V_INT, 0, 2000, 2100, NULL},
	[F_NUMBER] = {"number", V_TOKEN, 0, 1, 40, NULL},
	[F_IIN] = {"iin", V_IIN, 0, 0, 0, NULL},
	[F_OPEN] = {"open", V_INT, 0, 1, 1LL << 62, NULL},
	[F_TAB] = {"tab", V_ENUM, 0, 0, 0, tabs},
};

/* ---- helpers ---- */

static int key_safe(const char *s)
{
	if (!*s || strlen(s) > 48)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

/* L.<section>.<code> when it exists, else the code itself. */
static const char *label(struct req *r, const char *section, const char *code)
{
	if (!key_safe(code))
		return code;
	const char *k = arena_printf(r->a, "%s.%s", section, code);
	return view_has(r, k) ? view_t(r, k) : code;
}

/* ---- one application: the three tabs ---- */

static void fill_info(struct req *r, const struct jrn_app *a)
{
	char m[13];
	view_set(r, "App.parent.name",
		 arena_printf(r->a, "%s %s %s", a->parent_surname, a->parent_name, a->parent_patronymic));
	view_set(r, "App.parent.iin", a->parent_iin);
	u_mask_iin(a->parent_iin, m);
	view_set(r, "App.parent.iinMasked", m);
	view_set(r, "App.parent.phone", a->phone);
	view_set(r, "App.parent.email", a->email);
	view_set(r, "App.child.name", arena_printf(r->a, "%s %s %s", a->child_surname, a->child_name, a->child_patronymic));
	view_set(r, "App.child.iin", a->child_iin);
	if (strlen(a->child_birth) == 10)
		view_set(r, "App.child.birth", arena_iso_date(r->a, a->child_birth));
	view_set(r, "App.child.sex", view_t(r, strcmp(a->child_sex, "F") == 0 ? "Journal.sex_f" : "Journal.sex_m"));
	view_set(r, "App.created", arena_datetime(r->a, a->created_at));
	view_set(r, "App.queued", arena_datetime(r->a, a->queued_at));
	view_set(r, "App.district", view_district_name(r, a->district_id));
	view_set_int(r, "App.groupYear", a->group_year);
	view_set(r, "App.language", label(r, "Journal.lang", a->language));
	view_set(r, "App.benefit", label(r, "Journal.benefit", a->benefit));
	if (*a->archive_reason)
		view_set(r, "App.archiveReason", label(r, "Journal.archive", a->archive_reason));
	for (int i = 0; i < 3; i++)
		if (*a->ddo_pref[i])
			view_set(r, arena_printf(r->a, "App.prefs.%d", i), a->ddo_pref[i]);
	if (strcmp(a->status, "queued") == 0) {
		struct queue_pos p;
		if (queue_position(a->id, &p) == 0 && p.queued) {
			view_set_int(r, "App.position", p.overall);
			view_set_int(r, "App.positionCat", p.in_category);
		}
	}
	if (a->ref_id) {
		view_set(r, "App.ref.number", a->ref_number);
		view_set(r, "App.ref.status", a->ref_status);
		view_set(r, "App.ref.statusText", label(r, "Journal.ref_status", a->ref_status));
		view_set(r, "App.ref.ddo", a->ref_ddo);
		view_set(r, "App.ref.address", a->ref_ddo_address);
		view_set(r, "App.ref.phone", a->ref_ddo_phone);
		view_set(r, "App.ref.issued", arena_datetime(r->a, a->ref_issued_at));
		view_set(r, "App.ref.deadline", arena_datetime(r->a, a->ref_deadline_at));
		if (a->ref_submitted_at)
			view_set(r, "App.ref.submitted", arena_datetime(r->a, a->ref_submitted_at));
		/* ref_status reads as now: an overdue referral is annulled. */
		if (strcmp(a->ref_status, "issued") == 0) {
			int left = wd_days_left(u_now(), a->ref_deadline_at);
			view_set_int(r, "App.ref.daysLeft", left);
			view_set(r, "App.ref.daysText", view_tf(r, "Journal.days_left", "n",
								 arena_printf(r->a, "%d", left < 0 ? 0 : left)));
		} else if (strcmp(a->ref_status, "annulled") == 0) {
			view_set(r, "App.ref.expired", "1");
		}
	}
}

/* The application's latest refusal by a kindergarten (App.refusal.*):
 * its reason and explanation, and where its review stands. */
static void fill_refusal(struct req *r, const struct jrn_app *a)
{
	struct rfs_info f;
	if (rfs_latest(r->a, a->id, &f) <= 0)
		return;
	view_set(r, "App.refusal.label", rfs_reason_label(r->lang, f.reason));
	view_set(r, "App.refusal.text", f.text);
	view_set(r, "App.refusal.status", f.status);
	view_set(r, "App.refusal.statusText", label(r, "RefusalReason.status", f.status));
	view_set(r, "App.refusal.ddo", strcmp(r->lang, "kk") == 0 && *f.ddo_name_kk ? f.ddo_name_kk : f.ddo_name_ru);
	view_set(r, "App.refusal.referral", f.referral_number);
	view_set(r, "App.refusal.at", arena_datetime(r->a, f.refused_at));
}

/* A parameter of a history row: a code with a label under HistoryParam
 * (a form kind, a signing method, ...) is shown as its label. */
static const char *hist_param(struct req *r, const char *p)
{
	if (!key_safe(p))
		return p;
	const char *k = arena_printf(r->a, "HistoryParam.%s", p);
	return view_has(r, k) ? view_t(r, k) : p;
}

static const char *hist_text(struct req *r, const char *event, const char *p[3])
{
	const char *k = key_safe(event) ? arena_printf(r->a, "History.%s", event) : NULL;
	const char *t;
	if (k && view_has(r, k)) {
		t = view_t(r, k);
	} else {
		/* An event this build has no words for: still readable. */
		if (strncmp(event, "sms_", 4) == 0)
			t = view_tf(r, "Journal.event_sms", "kind", event + 4);
		else
			t = view_tf(r, "Journal.event_unknown", "event", event);
		struct buf b = {0};
		buf_adds(&b, t);
		for (int i = 0; i < 3; i++)
			if (*p[i])
				buf_printf(&b, "%s%s", i == 0 || !*p[i - 1] ? ": " : ", ", hist_param(r, p[i]));
		const char *out = arena_strdup(r->a, b.s ? b.s : "");
		buf_free(&b);
		return out;
	}
	for (int i = 0; i < 3; i++) {
		char pat[8];
		snprintf(pat, sizeof pat, "{p%d}", i + 1);
		size_t pl = strlen(pat);
		struct buf b = {0};
		const char *s = t;
		for (const char *at; (at = strstr(s, pat)); s = at + pl) {
			buf_add(&b, s, (size_t)(at - s));
			buf_adds(&b, hist_param(r, p[i]));
		}
		buf_adds(&b, s);
		t = arena_strdup(r->a, b.s ? b.s : "");
		buf_free(&b);
	}
	return t;
}

static void fill_history(struct req *r, const struct jrn_app *a)
{
	sqlite3_stmt *st = db_query(
		"SELECT h.at, h.actor_role, h.event, coalesce(h.p1, ''), coalesce(h.p2, ''), coalesce(h.p3, ''), "
		"  coalesce(ac.surname, ''), coalesce(ac.name, ''), coalesce(ac.patronymic, ''), h.actor_id IS NULL "
		"FROM history h LEFT JOIN account ac ON ac.id = h.actor_id WHERE h.application_id = ? ORDER BY h.id",
		"I", a->id);
	int i = 0;
	while (db_row(st)) {
		const char *p[3] = {arena_strdup(r->a, db_col(st, 3)), arena_strdup(r->a, db_col(st, 4)),
				    arena_strdup(r->a, db_col(st, 5))};
		const char *role = db_col(st, 1);
		view_set(r, arena_printf(r->a, "App.hist.%d.at", i), arena_datetime(r->a, sqlite3_column_int64(st, 0)));
		view_set(r, arena_printf(r->a, "App.hist.%d.role", i), label(r, "Journal.role", role));
		if (!sqlite3_column_int(st, 9))
			view_set(r, arena_printf(r->a, "App.hist.%d.who", i),
				 u_mask_name(r->a, db_col(st, 6), db_col(st, 7), db_col(st, 8)));
		view_set(r, arena_printf(r->a, "App.hist.%d.what", i), hist_text(r, db_col(st, 2), p));
		i++;
	}
	db_done(st);
}

static void fill_docs(struct req *r, const struct jrn_app *a)
{
	sqlite3_stmt *st = db_query(
		"SELECT d.id, d.kind, d.origin, d.filename, d.size, d.created_at, coalesce(d.number, ''), "
		"  coalesce(d.replaced_at, 0), coalesce(d.check_code, ''), coalesce(s.method, ''), coalesce(s.signed_at, 0) "
		"FROM document d LEFT JOIN referral r ON r.id = d.referral_id AND d.kind = 'contract' "
		"LEFT JOIN signature s ON s.id = r.contract_signature_id "
		"WHERE d.application_id = ? ORDER BY d.created_at, d.id",
		"I", a->id);
	int na = 0, ns = 0;
	while (db_row(st)) {
		int sys = strcmp(db_col(st, 2), "system") == 0;
		const char *pre = arena_printf(r->a, "App.docs.%s.%d", sys ? "system" : "applicant", sys ? ns++ : na++);
		view_set_int(r, arena_printf(r->a, "%s.id", pre), sqlite3_column_int64(st, 0));
		view_set(r, arena_printf(r->a, "%s.kind", pre), label(r, "Journal.kind", db_col(st, 1)));
		view_set(r, arena_printf(r->a, "%s.filename", pre), db_col(st, 3));
		long long size = sqlite3_column_int64(st, 4);
		view_set(r, arena_printf(r->a, "%s.size", pre), view_file_size(r, size));
		view_set(r, arena_printf(r->a, "%s.created", pre), arena_datetime(r->a, sqlite3_column_int64(st, 5)));
		view_set(r, arena_printf(r->a, "%s.number", pre), db_col(st, 6));
		if (sqlite3_column_int64(st, 7)) {
			const char *when = arena_datetime(r->a, sqlite3_column_int64(st, 7));
			view_set(r, arena_printf(r->a, "%s.replaced", pre), when);
			view_set(r, arena_printf(r->a, "%s.replacedText", pre), view_tf(r, "Journal.replaced", "date", when));
		}
		view_set(r, arena_printf(r->a, "%s.code", pre), db_col(st, 8));
		if (*db_col(st, 9)) {
			const char *when = arena_datetime(r->a, sqlite3_column_int64(st, 10));
			const char *how = label(r, "HistoryParam", db_col(st, 9));
			view_set(r, arena_printf(r->a, "%s.signed", pre), when);
			view_set(r, arena_printf(r->a, "%s.signedText", pre),
				 arena_subst(r->a, view_t(r, "Journal.signed"),
					     (const char *const[]){"date", when, "method", how, NULL}));
		}
	}
	db_done(st);
}

/* The signed decisions of the application the reader may download
 * (proof.h): App.sigs.N. */
struct sigs_fill { struct req *r; int n; };

static void sig_row(void *arg, const struct proof *p)
{
	struct sigs_fill *f = arg;
	HDF *row = view_row(f->r, "App.sigs", f->n++);
	view_row_set_int(row, "id", p->id);
	view_row_set(row, "kind", proof_kind_names[p->kind]);
	view_row_set(row, "kindText", view_t(f->r, arena_printf(f->r->a, "Proof.kind.%s", proof_kind_names[p->kind])));
	view_row_set(row, "signed", arena_datetime(f->r->a, p->signed_at));
	if (p->eds)
		view_row_set(row, "eds", "1");
}

static void fill_sigs(struct req *r, const struct jrn_app *a)
{
	struct jrn_reader w = {req_account(r), r->s ? r->s->roles : 0};
	struct sigs_fill f = {r, 0};
	proof_each(&w, a->id, sig_row, &f);
}

/* Fills App.* for one application and the chosen tab. */
static void fill_app(struct req *r, const struct jrn_app *a, int tab)
{
	view_set_int(r, "App.id", a->id);
	view_set(r, "App.number", a->number);
	view_set(r, "App.status", a->status);
	view_set(r, "App.statusText", label(r, "Journal.status", a->status));
	view_set(r, "App.tab", tabs[tab]);
	if (a->mine)
		view_set(r, "App.mine", "1");
	if (tab == 0) {
		fill_info(r, a);
		fill_refusal(r, a);
		fill_sigs(r, a);
	}
	else if (tab == 1)
		fill_history(r, a);
	else
		fill_docs(r, a);
}

/* ---- screens ---- */

/* The journal's reader: the request's account and its roles. */
static struct jrn_reader reader(struct req *r)
{
	struct jrn_reader w = {req_account(r), r->s ? r->s->roles : 0};
	return w;
}

static int list(struct req *r)
{
	struct jrn_reader w = reader(r);
	struct vval v[F__MAX];
	if (val_form(r, filters, F__MAX, v) > 0)
		r->status = 422;
	struct jrn_filter f = {
		.status = v[F_STATUS].err || !v[F_STATUS].present ? "" : statuses[v[F_STATUS].i],
		.group_year = v[F_YEAR].err ? 0 : (int)v[F_YEAR].i,
		.number = v[F_NUMBER].err ? "" : v[F_NUMBER].s,
		.child_iin = v[F_IIN].err ? "" : v[F_IIN].s,
	};
	if (v[F_IIN].present && !v[F_IIN].err && !(r->s->roles & (ROLE_STAFF | ROLE_REVIEWER | ROLE_SUPPORT)))
		f.child_iin = "";
	struct lst l;
	lst_read(r, &l, jrn_sort_names, JRN_SORT_DATE, 1, PER_PAGE);
	lst_total(&l, jrn_count(&w, &f));
	long long ids[PER_PAGE];
	const struct jrn_order o = {(enum jrn_sort)l.sort, l.desc, l.per_page, l.offset};
	int n = jrn_page(&w, &f, &o, ids, PER_PAGE);
	long long open = v[F_OPEN].err ? 0 : v[F_OPEN].i;
	int tab = v[F_TAB].err || !v[F_TAB].present ? 0 : (int)v[F_TAB].i;
	static const char *const drop_open[] = {"open", "tab", "lang", NULL};
	const char *base = lst_query_without(r, drop_open);
	const char *sep = *base ? "&" : "";
	for (int i = 0; i < n; i++) {
		struct jrn_app a;
		if (jrn_app(&w, r->lang, ids[i], &a) < 0)
			continue;
		const char *p = arena_printf(r->a, "List.%d", i);
		view_set_int(r, arena_printf(r->a, "%s.id", p), a.id);
		view_set(r, arena_printf(r->a, "%s.number", p), a.number);
		view_set(r, arena_printf(r->a, "%s.date", p), arena_date(r->a, a.created_at));
		view_set(r, arena_printf(r->a, "%s.child", p),
			 arena_printf(r->a, "%s %s %s", a.child_surname, a.child_name, a.child_patronymic));
		char m[13];
		u_mask_iin(a.child_iin, m);
		view_set(r, arena_printf(r->a, "%s.iin", p), m);
		view_set_int(r, arena_printf(r->a, "%s.year", p), a.group_year);
		view_set(r, arena_printf(r->a, "%s.district", p), view_district_name(r, a.district_id));
		view_set(r, arena_printf(r->a, "%s.status", p), a.status);
		view_set(r, arena_printf(r->a, "%s.statusText", p), label(r, "Journal.status", a.status));
		if (a.ref_id) {
			view_set(r, arena_printf(r->a, "%s.ref", p), a.ref_number);
			view_set(r, arena_printf(r->a, "%s.ddo", p), a.ref_ddo);
		}
		if (a.id == open) {
			view_set(r, arena_printf(r->a, "%s.open", p), "1");
			view_set(r, arena_printf(r->a, "%s.href", p), arena_printf(r->a, "/journal%s%s#app-%lld",
											*base ? "?" : "", base, a.id));
			for (int t = 0; tabs[t]; t++)
				view_set(r, arena_printf(r->a, "App.tabHref.%s", tabs[t]),
					 arena_printf(r->a, "/journal?%s%sopen=%lld&tab=%s#app-%lld", base, sep, a.id,
						      tabs[t], a.id));
			fill_app(r, &a, tab);
		} else {
			view_set(r, arena_printf(r->a, "%s.href", p),
				 arena_printf(r->a, "/journal?%s%sopen=%lld#app-%lld", base, sep, a.id, a.id));
		}
	}
	lst_view(r, &l, jrn_sort_names);
	if (r->s->roles & (ROLE_STAFF | ROLE_REVIEWER | ROLE_SUPPORT))
		view_set(r, "Journal.iinFilter", "1");
	for (int i = 0; statuses[i]; i++) {
		view_set(r, arena_printf(r->a, "Statuses.%d.code", i), statuses[i]);
		view_set(r, arena_printf(r->a, "Statuses.%d.text", i), label(r, "Journal.status", statuses[i]));
	}
	return view_render(r, "journal.cs") < 0 ? REQ_ERROR : REQ_OK;
}

static int one(struct req *r)
{
	struct jrn_app a;
	struct jrn_reader w = reader(r);
	if (jrn_app(&w, r->lang, r->iarg[0], &a) < 0)
		return 404;
	struct vval tv;
	int tab = 0;
	if (!val_one(r, &filters[F_TAB], req_param(r, "tab"), &tv) && tv.present)
		tab = (int)tv.i;
	for (int t = 0; tabs[t]; t++)
		view_set(r, arena_printf(r->a, "App.tabHref.%s", tabs[t]),
			 arena_printf(r->a, "/journal/%lld?tab=%s", a.id, tabs[t]));
	fill_app(r, &a, tab);
	return view_render(r, "journal_app.cs") < 0 ? REQ_ERROR : REQ_OK;
}

static const char *ext_of(const char *mime)
{
	return strcmp(mime, "application/pdf") == 0 ? "pdf" : strcmp(mime, "image/png") == 0 ? "png" : "jpg";
}

static int download(struct req *r)
{
	struct jrn_doc d;
	struct jrn_reader w = reader(r);
	if (jrn_doc(&w, r->iarg[0], &d) < 0)
		return 404;
	/* The name in the header: ours, ASCII, with the extension of the
	 * type found in the content (the client's name stays in the list). */
	const char *name = strcmp(d.origin, "system") == 0 && *d.filename
		? d.filename : arena_printf(r->a, "%s-%lld.%s", d.kind, d.id, ext_of(d.mime));
	size_t n;
	unsigned char *p = doc_read(d.sha, &n);
	if (!p)
		return 404;
	/* The response outlives d: the type must live in the arena. */
	int rc = req_send(r, arena_strdup(r->a, d.mime), p, n, name);
	free(p);
	return rc;
}

/* A signed decision's CMS (DER) or its signed text, for those who may
 * see it (proof.h): not found for anyone else. */
static int sig_send(struct req *r, int cms)
{
	struct jrn_reader w = reader(r);
	struct proof p;
	int found = proof_get(&w, r->iarg[0], &p);
	if (found < 0)
		return REQ_ERROR;
	if (!found || (cms && !p.eds)) {
		proof_free(&p);
		return 404;
	}
	int rc = cms ? req_send(r, "application/pkcs7-signature", p.cms, p.cms_len,
				arena_printf(r->a, "decision-%lld.p7s", p.id))
		     : req_send(r, "text/plain; charset=utf-8", p.content, p.content_len,
				arena_printf(r->a, "decision-%lld.txt", p.id));
	proof_free(&p);
	return rc;
}

static int sig_cms(struct req *r) { return sig_send(r, 1); }
static int sig_text(struct req *r) { return sig_send(r, 0); }

/* ---- the public check page ---- */

struct checked {
	char kind[16], number[40], sha[65];
	long long created_at, size;
};

static int find_checked(struct req *r, struct checked *c)
{
	const char *code = r->sarg[0];
	if (strlen(code) != 22)
		return -1;
	sqlite3_stmt *st = db_query("SELECT kind, coalesce(number, ''), sha256, created_at, size FROM document "
				    "WHERE check_code = ? AND origin = 'system'",
				    "t", code);
	if (!db_row(st)) {
		db_done(st);
		return -1;
	}
	snprintf(c->kind, sizeof c->kind, "%s", db_col(st, 0));
	snprintf(c->number, sizeof c->number, "%s", db_col(st, 1));
	snprintf(c->sha, sizeof c->sha, "%s", db_col(st, 2));
	c->created_at = sqlite3_column_int64(st, 3);
	c->size = sqlite3_column_int64(st, 4);
	db_done(st);
	return 0;
}

static int check_render(struct req *r, const struct checked *c)
{
	view_set(r, "Check.code", r->sarg[0]);
	view_set(r, "Check.kind", label(r, "Journal.kind", c->kind));
	view_set(r, "Check.number", c->number);
	view_set(r, "Check.created", arena_datetime(r->a, c->created_at));
	view_set(r, "Check.sha", c->sha);
	view_set_int(r, "Check.size", c->size);
	return view_render(r, "check.cs") < 0 ? REQ_ERROR : REQ_OK;
}

static int check(struct req *r)
{
	struct checked c;
	if (find_checked(r, &c) < 0)
		return req_fail(r, 404, "Check.not_found");
	return check_render(r, &c);
}

static int check_file(struct req *r)
{
	struct checked c;
	if (find_checked(r, &c) < 0)
		return req_fail(r, 404, "Check.not_found");
	const struct req_file *f = req_file(r, "file");
	if (!f || f->len == 0) {
		view_field_error(r, "file", "Check.no_file");
		r->status = 422;
		return check_render(r, &c);
	}
	unsigned char h[32];
	char hex[65];
	u_sha256(f->data, f->len, h);
	u_hex(h, 32, hex);
	view_set(r, "Check.fileSha", hex);
	view_set(r, "Check.result", strcmp(hex, c.sha) == 0 ? "same" : "differs");
	return check_render(r, &c);
}

/* ---- the published heads of the audit chain (audit.h): public ---- */

struct heads_fill { struct req *r; int n; };

static void head_row(void *arg, const struct audit_head *h)
{
	struct heads_fill *f = arg;
	HDF *row = view_row(f->r, "Heads", f->n++);
	char hex[65];
	u_hex(h->hash, 32, hex);
	view_row_set(row, "day", h->day);
	view_row_set_int(row, "count", h->count);
	view_row_set(row, "hash", hex);
	view_row_set(row, "signed", arena_datetime(f->r->a, h->signed_at));
}

static int heads(struct req *r)
{
	struct heads_fill f = {r, 0};
	if (audit_heads_each(head_row, &f) < 0)
		return REQ_ERROR;
	if (*conf_get("Audit.SigningCert", ""))
		view_set(r, "HeadsCert", "1");
	return view_render(r, "audit_heads.cs") < 0 ? REQ_ERROR : REQ_OK;
}

static int heads_csv(struct req *r)
{
	struct buf b = {0};
	int rc = audit_heads_csv(&b) < 0 ? REQ_ERROR : req_send(r, "text/csv; charset=utf-8", b.s ? b.s : "", b.len, "audit-heads.csv");
	buf_free(&b);
	return rc;
}

/* The certificate that signs the heads (Audit.SigningCert), for openssl's -CAfile. */
static int heads_cert(struct req *r)
{
	const char *file = conf_get("Audit.SigningCert", "");
	size_t n;
	char *p = *file ? u_read_file(file, &n) : NULL;
	if (!p)
		return 404;
	int rc = req_send(r, "application/x-pem-file", p, n, "audit-signing-cert.pem");
	free(p);
	return rc;
}

static const struct route routes[] = {
	{M_GET, "/journal", ROLE_LOGGED, list, 0},
	{M_GET, "/journal/%d", ROLE_LOGGED, one, 0},
	{M_GET, "/journal/doc/%d", ROLE_LOGGED, download, 0},
	{M_GET, "/journal/sig/%d.p7s", ROLE_LOGGED, sig_cms, 0},
	{M_GET, "/journal/sig/%d.txt", ROLE_LOGGED, sig_text, 0},
	{M_GET, "/check/%s", ROLE_ANY, check, RF_SESSION},
	{M_POST, "/check/%s", ROLE_ANY, check_file, RF_UPLOAD},
	{M_GET, "/audit/heads", ROLE_ANY, heads, RF_CACHE},
	{M_GET, "/audit/heads.csv", ROLE_ANY, heads_csv, RF_CACHE},
	{M_GET, "/audit/cert.pem", ROLE_ANY, heads_cert, RF_CACHE},
};

static int init(void) { return doc_init(); }

int main(int argc, char **argv)
{
	static const struct app app = {"journal", routes, NROUTES(routes), init};
	return req_main(argc, argv, &app);
}
