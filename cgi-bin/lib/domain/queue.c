/* queue.c — see queue.h. */
#include "domain/queue.h"

#include <stdio.h>
#include <string.h>

#include "domain/audit.h"
#include "base/cal.h"
#include "base/conf.h"
#include "base/db.h"
#include "domain/doc.h"
#include "domain/hist.h"
#include "domain/offer.h"
#include "base/log.h"
#include "base/util.h"

const char *const queue_benefit_names[QB__MAX] = {"out_of_turn", "first_priority", "none"};
const char *const queue_languages[] = {"kk", "ru", "en", NULL};

/* The grounds as the rules of Kazakhstan name them (the texts, with the
 * acts that grant each right, are L.Benefit.g.<code> in the string
 * tables). Adding a ground: a line here and its two texts in ru.hdf and
 * kk.hdf; a code once used must stay, since applications keep it. */
const struct queue_ground queue_grounds[] = {
	{"military_killed", QB_OUT_OF_TURN},
	{"service_killed", QB_OUT_OF_TURN},
	{"parent_disabled", QB_OUT_OF_TURN},
	{"orphan", QB_OUT_OF_TURN},
	{"child_disabled", QB_OUT_OF_TURN},
	{"large_family", QB_FIRST_PRIORITY},
	{"single_parent", QB_FIRST_PRIORITY},
	{"military", QB_FIRST_PRIORITY},
	{"special_needs", QB_FIRST_PRIORITY},
	{"family_disabled_child", QB_FIRST_PRIORITY},
	{NULL, QB_NONE},
};

const struct queue_ground *queue_ground(const char *code)
{
	if (!code || !*code)
		return NULL;
	for (const struct queue_ground *g = queue_grounds; g->code; g++)
		if (strcmp(g->code, code) == 0)
			return g;
	return NULL;
}

int queue_group_year(const char *birth_date)
{
	int day, y, m, d;
	if (cal_parse_iso(birth_date, &day) < 0)
		return 0;
	cal_ymd_from_days(day, &y, &m, &d);
	return y;
}

/* ---- numbers ---- */

int queue_year_of(long long t)
{
	int y, m, d;
	cal_ymd_from_days(cal_day_from_unix(t), &y, &m, &d);
	return y;
}

int queue_next_number(long long child_id, long long now, char out[32])
{
	int year = queue_year_of(now);
	sqlite3_stmt *st = db_query("INSERT INTO app_seq(year, last) VALUES (?, 1) "
				    "ON CONFLICT(year) DO UPDATE SET last = last + 1 RETURNING last", "i", year);
	long long seq = db_row(st) ? sqlite3_column_int64(st, 0) : -1;
	db_done(st);
	if (seq < 1 || seq > 999999) {
		log_err("application sequence of %d unavailable (%lld)", year, seq);
		return -1;
	}
	long long earlier = db_int("SELECT count(*) FROM application WHERE child_id = ?", -1, "I", child_id);
	if (earlier < 0)
		return -1;
	char tmp[80];
	int n = snprintf(tmp, sizeof tmp, "UO.%04d.%06lld.%lld", year, seq, earlier + 1);
	if (n < 0 || n >= 32)
		return -1;
	memcpy(out, tmp, (size_t)n + 1);
	return 0;
}

int queue_number_valid(const char *s)
{
	/* UO . yyyy . nnnnnn . n{1,3} */
	if (!s || strncmp(s, "UO.", 3) != 0)
		return 0;
	s += 3;
	static const int groups[3] = {4, 6, 0};
	for (int g = 0; g < 3; g++) {
		size_t n = strspn(s, "0123456789");
		if (groups[g] ? n != (size_t)groups[g] : (n < 1 || n > 3))
			return 0;
		s += n;
		if (g < 2) {
			if (*s != '.')
				return 0;
			s++;
		}
	}
	return *s == '\0';
}

/* ---- registration ---- */

int queue_active_of_child(const char *child_iin, char number[32])
{
	return db_text(number, 32,
		       "SELECT a.number FROM child c JOIN application a ON a.child_id = c.id "
		       "WHERE c.iin = ? AND a.status NOT IN ('archived','departed')", "t", child_iin);
}

long long queue_cap(void) { return conf_int("Queue.MaxActivePerApplicant", 5); }

int queue_admissible(const char *child_iin, long long applicant_id, long long except_request, char number[32])
{
	if (queue_active_of_child(child_iin, number))
		return QUEUE_DUPLICATE;
	long long pending = db_int("SELECT id FROM guardian_request WHERE child_iin = ? AND status = 'pending' AND id <> ?",
				   0, "tI", child_iin, except_request);
	if (pending) {
		snprintf(number, 32, "%lld", pending);
		return QUEUE_PENDING;
	}
	/* Counted only up to the cap: the answer is the same, and the cost
	 * never grows with an applicant's history. */
	long long cap = queue_cap();
	long long active = db_int("SELECT count(*) FROM (SELECT 1 FROM application WHERE applicant_id = ? "
				  "AND status NOT IN ('archived','departed') UNION ALL SELECT 1 FROM guardian_request "
				  "WHERE applicant_id = ? AND status = 'pending' AND id <> ? LIMIT ?)",
				  -1, "IIII", applicant_id, applicant_id, except_request, cap);
	if (active < 0)
		return QUEUE_FAILED;
	return active >= cap ? QUEUE_CAP : QUEUE_OK;
}

int queue_register_tx(struct actor who, const struct queue_reg *in, long long *id, char number[32])
{
	long long now = u_now(), at = in->queued_at ? in->queued_at : now;
	const struct queue_ground *g = queue_ground(in->ground);
	const char *benefit = queue_benefit_names[g ? g->category : QB_NONE];
	int ok = queue_admissible(in->child_iin, in->applicant_id, in->guardian_request, number);
	if (ok != QUEUE_OK)
		return ok;
	long long child = db_int("SELECT id FROM child WHERE iin = ?", 0, "t", in->child_iin);
	if (child) {
		/* The same child again (after a withdrawal, say): the names given
		 * now are the applicant's latest word (or the register's). */
		if (db_exec("UPDATE child SET surname = ?, name = ?, patronymic = ? WHERE id = ?", "tttI",
			    in->child_surname, in->child_name, in->child_patronymic ? in->child_patronymic : "",
			    child) != SQLITE_DONE)
			return QUEUE_FAILED;
	} else {
		char sex[2] = {in->sex, '\0'};
		if (db_exec("INSERT INTO child(iin, surname, name, patronymic, birth_date, sex, created_at) "
			    "VALUES (?, ?, ?, ?, ?, ?, ?)", "ttttttI", in->child_iin, in->child_surname, in->child_name,
			    in->child_patronymic ? in->child_patronymic : "", in->birth_date, sex, now) != SQLITE_DONE)
			return QUEUE_FAILED;
		child = db_last_id();
	}
	if (queue_next_number(child, now, number) < 0)
		return QUEUE_FAILED;
	int rc = db_exec("INSERT INTO application(number, child_id, applicant_id, district_id, group_year, language, "
			 "benefit, benefit_ground, ddo1, ddo2, ddo3, phone, email, status, queued_at, created_at, updated_at) "
			 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), NULLIF(?, 0), ?, ?, 'queued', ?, ?, ?)",
			 "tIIiitttIIIttIII", number, child, in->applicant_id, in->district, in->group_year, in->language,
			 benefit, g ? g->code : "", in->ddo[0], in->ddo[1], in->ddo[2], in->phone,
			 in->email ? in->email : "", at, now, now);
	if (rc != SQLITE_DONE)
		return QUEUE_FAILED;
	long long app = db_last_id();
	long long doc = 0;
	if (in->doc_sha && (doc = doc_add(app, 0, "benefit", "applicant", in->doc_sha, in->doc_size, in->doc_mime,
					  in->doc_name ? in->doc_name : "", NULL, in->applicant_id)) < 0)
		return QUEUE_FAILED;
	if (doc > 0 && in->doc_valid_until &&
	    db_exec("UPDATE document SET valid_until = ? WHERE id = ?", "tI", in->doc_valid_until, doc) != SQLITE_DONE)
		return QUEUE_FAILED;
	if (hist_add(app, in->applicant_id, "citizen", "registered", number, benefit, g ? g->code : NULL) < 0)
		return QUEUE_FAILED;
	/* A citizen who logged in by one-time code has no names yet. */
	if (in->applicant_surname && in->applicant_name &&
	    db_exec("UPDATE account SET surname = ?, name = ?, patronymic = ?, updated_at = ? "
		    "WHERE id = ? AND (surname = '' OR name = '')", "tttII", in->applicant_surname, in->applicant_name,
		    in->applicant_patronymic ? in->applicant_patronymic : "", now, in->applicant_id) != SQLITE_DONE)
		return QUEUE_FAILED;
	/* The contacts the applicant gave become the account's when it had none. */
	if (db_exec("UPDATE account SET phone = CASE WHEN phone = '' THEN ? ELSE phone END, "
		    "email = CASE WHEN email = '' THEN ? ELSE email END WHERE id = ? AND (phone = '' OR email = '')",
		    "ttI", in->phone, in->email ? in->email : "", in->applicant_id) != SQLITE_DONE)
		return QUEUE_FAILED;
	char details[160];
	snprintf(details, sizeof details, "%s district %d year %d %s %s", number, in->district, in->group_year,
		 in->language, benefit);
	if (audit_act(who, "application_registered", "application", app, "ok", details) < 0)
		return QUEUE_FAILED;
	/* A place of a record in its window that nobody could be offered goes
	 * at once to the newcomer (offer.h). */
	if (offer_fill(in->district, in->group_year, in->language, now) < 0)
		return QUEUE_FAILED;
	*id = app;
	return QUEUE_OK;
}

int queue_register(struct actor who, const struct queue_reg *in, long long *id, char number[32])
{
	if (db_begin() < 0)
		return QUEUE_FAILED;
	int rc = queue_register_tx(who, in, id, number);
	if (rc == QUEUE_OK && db_commit() == 0)
		return QUEUE_OK;
	db_rollback();
	if (rc != QUEUE_OK && rc != QUEUE_FAILED)
		return rc;
	/* Two registrations of one child at the same moment: the schema's
	 * unique index refused the second; tell it like any duplicate. */
	if (queue_active_of_child(in->child_iin, number))
		return QUEUE_DUPLICATE;
	log_err("registration failed: %s", db_errmsg());
	return QUEUE_FAILED;
}

int queue_withdraw(struct actor who, long long applicant_id, long long app_id)
{
	if (db_begin() < 0)
		return QUEUE_FAILED;
	char number[32];
	if (!db_text(number, sizeof number,
		     "SELECT number FROM application WHERE id = ? AND applicant_id = ? AND status = 'queued'", "II",
		     app_id, applicant_id)) {
		db_rollback();
		return 1;
	}
	if (db_exec("UPDATE application SET status = 'archived', archive_reason = 'withdrawn', updated_at = ? "
		    "WHERE id = ? AND applicant_id = ? AND status = 'queued'", "III", u_now(), app_id,
		    applicant_id) != SQLITE_DONE || db_changes() != 1)
		goto fail;
	if (hist_add(app_id, applicant_id, "citizen", "withdrawn", number, NULL, NULL) < 0)
		goto fail;
	if (audit_act(who, "application_withdrawn", "application", app_id, "ok", number) < 0)
		goto fail;
	/* Its open offer lapsed with the status (sql/140): the place passes on. */
	if (offer_fill_app(app_id, u_now()) < 0)
		goto fail;
	if (db_commit() < 0)
		goto fail;
	return QUEUE_OK;
fail:
	log_err("withdrawal of application %lld failed: %s", app_id, db_errmsg());
	db_rollback();
	return QUEUE_FAILED;
}

/* ---- position ---- */

static void finish(int rank, struct queue_pos *out)
{
	for (int c = 0; c < rank; c++)
		out->ahead[c] = out->total[c];
	out->overall = 1;
	for (int c = 0; c < QB__MAX; c++)
		out->overall += out->ahead[c];
	out->in_category = out->ahead[rank] + 1;
	out->queued = 1;
}

/* The totals per category from rows (rank, n) of st, which it finishes. */
static int totals(sqlite3_stmt *st, struct queue_pos *out)
{
	if (!st)
		return -1;
	while (db_row(st)) {
		int c = sqlite3_column_int(st, 0);
		if (c >= 0 && c < QB__MAX)
			out->total[c] = sqlite3_column_int64(st, 1);
	}
	db_done(st);
	return 0;
}

int queue_position_of(int district, int year, int rank, long long t, long long id, struct queue_pos *out)
{
	memset(out, 0, sizeof *out);
	if (rank < 0 || rank >= QB__MAX || t < 0)
		return -1;
	/* One statement (the totals of the three categories and the three
	 * parts of those ahead in one's own), each part an index range of the
	 * counter tables or of a single day of the queue; that day is not read
	 * when its counter says the application is alone in it (about half of
	 * them at national scale). */
	long long day = t / 86400, block = day / 32;
	sqlite3_stmt *st = db_query(
		"SELECT t.t0, t.t1, t.t2, (SELECT coalesce(sum(n), 0) FROM queue_block WHERE district_id = ? AND group_year = ? AND rank = ? "
		"AND block < ?), "
		"(SELECT coalesce(sum(n), 0) FROM queue_day WHERE district_id = ? AND group_year = ? AND rank = ? "
		"AND day >= ? AND day < ?), "
		"CASE WHEN (SELECT n FROM queue_day WHERE district_id = ? AND group_year = ? AND rank = ? AND day = ?) > 1 "
		"THEN (SELECT count(*) FROM application INDEXED BY application_queue WHERE status = 'queued' AND district_id = ? "
		"AND group_year = ? AND benefit_rank = ? AND queued_at >= ? AND queued_at <= ? AND (queued_at < ? OR id < ?)) "
		"ELSE 0 END FROM (SELECT coalesce(sum(n) FILTER (WHERE rank = 0), 0) t0, coalesce(sum(n) FILTER (WHERE rank = 1), 0) t1, "
		"coalesce(sum(n) FILTER (WHERE rank = 2), 0) t2 FROM queue_count WHERE district_id = ? AND group_year = ?) t",
		"iiiIiiiIIiiiIiiiIIIIii", district, year, rank, block, district, year, rank, block * 32, day, district, year,
		rank, day, district, year, rank, day * 86400, t, t, id, district, year);
	if (!db_row(st)) {
		db_done(st);
		return -1;
	}
	_Static_assert(QB__MAX == 3, "one column per category");
	for (int c = 0; c < QB__MAX; c++)
		out->total[c] = sqlite3_column_int64(st, c);
	out->ahead[rank] = sqlite3_column_int64(st, 3) + sqlite3_column_int64(st, 4) + sqlite3_column_int64(st, 5);
	db_done(st);
	finish(rank, out);
	return 0;
}

int queue_position_count(int district, int year, int rank, long long t, long long id, struct queue_pos *out)
{
	memset(out, 0, sizeof *out);
	if (rank < 0 || rank >= QB__MAX)
		return -1;
	sqlite3_stmt *st = db_query("SELECT benefit_rank, count(*) FROM application INDEXED BY application_queue WHERE status = 'queued' "
				    "AND district_id = ? AND group_year = ? GROUP BY benefit_rank", "ii", district, year);
	if (totals(st, out) < 0)
		return -1;
	long long same = db_int("SELECT count(*) FROM application INDEXED BY application_queue WHERE status = 'queued' AND district_id = ? "
				"AND group_year = ? AND benefit_rank = ? AND (queued_at < ? OR (queued_at = ? AND id < ?))",
				-1, "iiiIII", district, year, rank, t, t, id);
	if (same < 0)
		return -1;
	out->ahead[rank] = same;
	finish(rank, out);
	return 0;
}

int queue_position(long long app_id, struct queue_pos *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = db_query("SELECT district_id, group_year, benefit_rank, queued_at, status = 'queued' "
				    "FROM application WHERE id = ?", "I", app_id);
	if (!db_row(st)) {
		db_done(st);
		return -1;
	}
	int district = sqlite3_column_int(st, 0), year = sqlite3_column_int(st, 1), rank = sqlite3_column_int(st, 2);
	long long t = sqlite3_column_int64(st, 3);
	int queued = sqlite3_column_int(st, 4);
	db_done(st);
	if (!queued)
		return 0;
	return queue_position_of(district, year, rank, t, app_id, out);
}

long long queue_overall(long long app_id)
{
	struct queue_pos p;
	if (queue_position(app_id, &p) < 0)
		return -1;
	return p.queued ? p.overall : 0;
}

/* ---- personal data ---- */

/* Decodes one UTF-8 code point at *p (advancing it); -1 on a bad byte. */
static long utf8_next(const unsigned char **p)
{
	const unsigned char *s = *p;
	long c;
	int n;
	if (s[0] < 0x80) {
		c = s[0];
		n = 1;
	} else if ((s[0] & 0xE0) == 0xC0) {
		c = s[0] & 0x1F;
		n = 2;
	} else if ((s[0] & 0xF0) == 0xE0) {
		c = s[0] & 0x0F;
		n = 3;
	} else if ((s[0] & 0xF8) == 0xF0) {
		c = s[0] & 0x07;
		n = 4;
	} else {
		return -1;
	}
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		c = (c << 6) | (s[i] & 0x3F);
	}
	*p = s + n;
	return c;
}

static void utf8_put(struct buf *b, long c)
{
	char o[4];
	if (c < 0x80) {
		buf_addc(b, (char)c);
	} else if (c < 0x800) {
		o[0] = (char)(0xC0 | (c >> 6));
		o[1] = (char)(0x80 | (c & 0x3F));
		buf_add(b, o, 2);
	} else if (c < 0x10000) {
		o[0] = (char)(0xE0 | (c >> 12));
		o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		o[2] = (char)(0x80 | (c & 0x3F));
		buf_add(b, o, 3);
	} else {
		o[0] = (char)(0xF0 | (c >> 18));
		o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		o[2] = (char)(0x80 | ((c >> 6) & 0x3F));
		o[3] = (char)(0x80 | (c & 0x3F));
		buf_add(b, o, 4);
	}
}

/* Upper case of the letters names use: Latin, Russian, Kazakh. */
static long upper(long c)
{
	if (c >= 'a' && c <= 'z')
		return c - 32;
	if (c >= 0x430 && c <= 0x44F)   /* а..я */
		return c - 0x20;
	if (c >= 0x450 && c <= 0x45F)   /* ѐ..џ (ё, і) */
		return c - 0x50;
	/* ғ қ ң ү ұ һ (odd code points after their capitals), ә ө */
	if ((c >= 0x490 && c <= 0x4BF && (c & 1)) || c == 0x4D9 || c == 0x4E9)
		return c - 1;
	return c;
}

static int is_letter(long c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
	       (c >= 0x400 && c <= 0x4FF);
}

char *queue_upper(struct arena *a, const char *s)
{
	struct buf b;
	buf_init(&b);
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	int space = 0;
	while (*p) {
		long c = utf8_next(&p);
		if (c < 0)
			break;
		if (c == ' ' || c == '\t') {
			space = b.len > 0;
			continue;
		}
		if (space)
			buf_addc(&b, ' ');
		space = 0;
		utf8_put(&b, upper(c));
	}
	char *out = arena_strdup(a, b.s ? b.s : "");
	buf_free(&b);
	return out;
}

int queue_name_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	if (!*p)
		return 0;
	int first = 1;
	while (*p) {
		long c = utf8_next(&p);
		if (c < 0)
			return 0;
		if (is_letter(c)) {
			first = 0;
			continue;
		}
		if (first || !(c == ' ' || c == '-' || c == '\'' || c == 0x2019))
			return 0;
	}
	return 1;
}
