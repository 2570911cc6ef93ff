/* db.c — see db.h. */
#include "base/db.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/conf.h"
#include "base/log.h"
#include "base/util.h"

static sqlite3 *db;

/* Statement cache: open addressing on the literal's address. */
struct slot {
	const char *sql;
	sqlite3_stmt *st;
};
static struct slot *slots;
static size_t nslots, used;
static int last_err;
static char last_msg[256];

static int request_failed;   /* db_request_failed: the first error's code, 0 for none */

/* ---- waiting for a lock ----
 * A statement that needs a lock another connection holds (in WAL mode:
 * the write lock, held by a writer or from outside) waits, retrying, up
 * to Db.BusyTimeoutMs. The service's own transactions hold the lock well
 * under a millisecond, so the first millisecond is polled every 50 µs and
 * the next 50 ms every 250 µs (SQLite's own pauses, 1, 2, 5, 10 ms ...,
 * left workers asleep under a burst of choices while the lock was free);
 * a longer wait, a lock held from outside, backs off to 25 ms. While it
 * waits it holds its worker, and a program's requests queue behind its
 * workers: a write lock held 15 s from outside left every worker waiting
 * and the program's read-only pages (which never need that lock)
 * answering after 5, 10, 15 s. So once db_busy_queue says that a request
 * waits for a worker, the wait ends after Db.BusyQueuedMs: the write
 * answers 503 (busy) and the worker goes on to the next request. */
static long long busy_ms = 5000, busy_queued_ms = 250;
static int (*queue_waiting)(void);
static long long lock_waits, lock_refusals;   /* db_busy_counts */

static long long mono_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

int db_busy_over(long long waited_ms)
{
	if (waited_ms >= busy_ms)
		return 1;
	return waited_ms >= busy_queued_ms && queue_waiting && queue_waiting();
}

static int optional_write;   /* db_exec_optional: do not wait for the lock */

static int on_busy(void *unused, int count)
{
	(void)unused;
	static long long started;
	long long now = mono_us();
	if (count == 0) {
		started = now;
		lock_waits++;
	}
	long long waited = now - started;
	if (optional_write)
		return 0;
	if (db_busy_over(waited / 1000)) {
		lock_refusals++;
		return 0;
	}
	long long nap = waited < 1000 ? 50 : waited < 50000 ? 250 : 25000;
	if (nap > busy_ms * 1000 - waited)
		nap = busy_ms * 1000 - waited;
	struct timespec d = {0, (long)(nap * 1000)};
	nanosleep(&d, NULL);
	return 1;
}

void db_busy_queue(int (*waiting)(void)) { queue_waiting = waiting; }

void db_busy_counts(long long *waits, long long *refusals)
{
	*waits = lock_waits;
	*refusals = lock_refusals;
}

static void remember_error(int rc)
{
	last_err = rc;
	if ((rc & 0xff) != SQLITE_CONSTRAINT && !request_failed)
		request_failed = rc;
	snprintf(last_msg, sizeof last_msg, "%s", sqlite3_errmsg(db));
}


/* The request's reads share one read transaction (db_request_begin): in
 * WAL mode each transaction takes and drops a lock on the shared-memory
 * index with two fcntl calls, and each statement outside a transaction is
 * one; a page of a dozen reads made two dozen system calls. The first
 * read of a request opens it (BEGIN, deferred); anything that writes or
 * controls transactions ends it first (COMMIT of nothing), so writes run
 * exactly as before; db_request_end ends it. Inside it every read sees one
 * snapshot, as of the request's first read. */
static int batch;      /* inside a request */
static int implicit;   /* the read transaction db.c opened is open */
static unsigned long long snapshots;   /* read transactions opened (db_snapshot) */
static sqlite3_stmt *st_begin_read, *st_end_read;

static size_t hash_ptr(const void *p)
{
	uintptr_t v = (uintptr_t)p;
	v ^= v >> 17;
	v *= 0x9E3779B97F4A7C15ULL;
	return (size_t)(v ^ (v >> 29));
}

static int cache_grow(void)
{
	size_t n = nslots ? nslots * 2 : 256;
	struct slot *s = calloc(n, sizeof *s);
	if (!s)
		return -1;
	for (size_t i = 0; i < nslots; i++) {
		if (!slots[i].sql)
			continue;
		size_t h = hash_ptr(slots[i].sql) & (n - 1);
		while (s[h].sql)
			h = (h + 1) & (n - 1);
		s[h] = slots[i];
	}
	free(slots);
	slots = s;
	nslots = n;
	return 0;
}

int db_open(const char *path)
{
	if (db)
		return 0;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		log_err("cannot open database %s: %s", path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		db = NULL;
		return -1;
	}
	sqlite3_extended_result_codes(db, 1);
	busy_ms = conf_int("Db.BusyTimeoutMs", 5000);
	busy_queued_ms = conf_int("Db.BusyQueuedMs", 250);
	sqlite3_busy_handler(db, on_busy, NULL);
	const char *sync = strcmp(conf_get("Db.Synchronous", "NORMAL"), "FULL") == 0
		? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL";
	const char *pragmas[] = {
		"PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", sync,
		/* 1 MiB of SQLite's own page cache per connection: a request reads a
		 * handful of index pages, the operating system keeps the file,
		 * and a worker stays small however large the database is (16 MiB
		 * filled up on national-scale data and doubled a worker's memory). */
		"PRAGMA temp_store=MEMORY", "PRAGMA cache_size=-1024",
	};
	for (size_t i = 0; i < sizeof pragmas / sizeof *pragmas; i++) {
		char *msg = NULL;
		if (sqlite3_exec(db, pragmas[i], NULL, NULL, &msg) != SQLITE_OK) {
			log_err("%s: %s", pragmas[i], msg ? msg : "?");
			sqlite3_free(msg);
			db_close();
			return -1;
		}
	}
	return 0;
}

/* A copy of the database (a backup), read only: no journal mode, no
 * pragma, nothing written to it or beside it (a WAL-mode file would need
 * its -shm: VACUUM INTO writes rollback-mode copies). */
int db_open_readonly(const char *path)
{
	if (db)
		return -1;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		log_err("cannot open database %s: %s", path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		db = NULL;
		return -1;
	}
	sqlite3_extended_result_codes(db, 1);
	return 0;
}

void db_close(void)
{
	if (st_begin_read)
		sqlite3_finalize(st_begin_read);
	if (st_end_read)
		sqlite3_finalize(st_end_read);
	st_begin_read = st_end_read = NULL;
	implicit = batch = 0;
	for (size_t i = 0; i < nslots; i++)
		if (slots[i].st)
			sqlite3_finalize(slots[i].st);
	free(slots);
	slots = NULL;
	nslots = used = 0;
	if (db)
		sqlite3_close(db);
	db = NULL;
}

sqlite3 *db_handle(void) { return db; }

sqlite3_stmt *db_stmt(const char *sql)
{
	if (!db)
		return NULL;
	if ((used + 1) * 2 > nslots && cache_grow() < 0)
		return NULL;
	size_t h = hash_ptr(sql) & (nslots - 1);
	while (slots[h].sql && slots[h].sql != sql)
		h = (h + 1) & (nslots - 1);
	if (slots[h].sql) {
		sqlite3_reset(slots[h].st);
		sqlite3_clear_bindings(slots[h].st);
		return slots[h].st;
	}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		remember_error(SQLITE_ERROR);
		log_err("prepare failed: %s in: %.200s", sqlite3_errmsg(db), sql);
		return NULL;
	}
	slots[h].sql = sql;
	slots[h].st = st;
	used++;
	return st;
}

static void end_implicit(void)
{
	if (!implicit)
		return;
	implicit = 0;
	int rc = sqlite3_step(st_end_read);
	sqlite3_reset(st_end_read);
	if (rc != SQLITE_DONE)
		log_err("ending the request's read transaction failed (%d): %s (a read statement still running "
			"when a write began?)", rc, sqlite3_errmsg(db));
}

/* Is this a BEGIN, COMMIT, END, ROLLBACK, SAVEPOINT or RELEASE? */
static int tx_control(const char *sql)
{
	while (*sql == ' ')
		sql++;
	static const char *const words[] = {"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"};
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (strncasecmp(sql, words[i], strlen(words[i])) == 0)
			return 1;
	return 0;
}

/* Before a statement runs: a read joins (or opens) the request's read
 * transaction; a write or a transaction statement ends it first. */
static void before_step(sqlite3_stmt *st)
{
	if (!batch || !db)
		return;
	const char *sql = sqlite3_sql(st);
	if (!sqlite3_stmt_readonly(st) || tx_control(sql ? sql : "")) {
		end_implicit();
		return;
	}
	if (implicit || !sqlite3_get_autocommit(db))
		return;
	if (!st_begin_read && (sqlite3_prepare_v3(db, "BEGIN", -1, SQLITE_PREPARE_PERSISTENT, &st_begin_read, NULL) != SQLITE_OK ||
			       sqlite3_prepare_v3(db, "COMMIT", -1, SQLITE_PREPARE_PERSISTENT, &st_end_read, NULL) != SQLITE_OK)) {
		log_err("prepare of the read transaction failed: %s", sqlite3_errmsg(db));
		batch = 0;
		return;
	}
	int rc = sqlite3_step(st_begin_read);
	sqlite3_reset(st_begin_read);
	if (rc == SQLITE_DONE) {
		implicit = 1;
		snapshots++;
	}
}

void db_request_begin(void)
{
	batch = 1;
	request_failed = 0;
}

int db_request_failed(int *busy)
{
	*busy = (request_failed & 0xff) == SQLITE_BUSY || (request_failed & 0xff) == SQLITE_LOCKED;
	return request_failed != 0;
}
void db_new_snapshot(void) { end_implicit(); }
unsigned long long db_snapshot(void) { return implicit ? snapshots : 0; }

static int bindv(sqlite3_stmt *st, const char *fmt, va_list ap)
{
	int i = 1, rc = SQLITE_OK;
	for (const char *f = fmt; *f && rc == SQLITE_OK; f++, i++) {
		switch (*f) {
		case 'i':
			rc = sqlite3_bind_int(st, i, va_arg(ap, int));
			break;
		case 'I':
			rc = sqlite3_bind_int64(st, i, va_arg(ap, long long));
			break;
		case 't': {
			const char *s = va_arg(ap, const char *);
			rc = s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
			break;
		}
		case 'b': {
			const void *p = va_arg(ap, const void *);
			int n = va_arg(ap, int);
			rc = p ? sqlite3_bind_blob(st, i, p, n, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
			break;
		}
		case 'n':
			rc = sqlite3_bind_null(st, i);
			break;
		default:
			log_err("bad bind format '%c'", *f);
			return -1;
		}
	}
	if (rc != SQLITE_OK) {
		remember_error(SQLITE_ERROR);
		log_err("bind failed: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

static sqlite3_stmt *queryv(const char *sql, const char *fmt, va_list ap)
{
	sqlite3_stmt *st = db_stmt(sql);
	if (!st)
		return NULL;
	if (fmt && bindv(st, fmt, ap) < 0) {
		db_done(st);
		return NULL;
	}
	return st;
}

sqlite3_stmt *db_query(const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sqlite3_stmt *st = queryv(sql, fmt, ap);
	va_end(ap);
	return st;
}

int db_row(sqlite3_stmt *st)
{
	if (!st)
		return 0;
	if (!sqlite3_stmt_busy(st))
		before_step(st);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE) {
		remember_error(rc);
		log_err("step failed (%d): %s in: %.200s", rc, sqlite3_errmsg(db), sqlite3_sql(st));
	}
	return 0;
}

void db_done(sqlite3_stmt *st)
{
	if (!st)
		return;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

int db_end(sqlite3_stmt *st)
{
	if (!st)
		return -1;
	int failed = sqlite3_reset(st) != SQLITE_OK;
	db_done(st);
	return failed ? -1 : 0;
}

int db_like(const char *q, struct buf *b)
{
	if (buf_addc(b, '%') < 0)
		return -1;
	for (; *q; q++)
		if (((*q == '%' || *q == '_' || *q == '\\') && buf_addc(b, '\\') < 0) || buf_addc(b, *q) < 0)
			return -1;
	return buf_addc(b, '%');
}


static int exec_v(const char *sql, const char *fmt, va_list ap)
{
	sqlite3_stmt *st = queryv(sql, fmt, ap);
	if (!st)
		return SQLITE_ERROR;
	before_step(st);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		rc = SQLITE_DONE;
	if (rc != SQLITE_DONE && !(optional_write && (rc & 0xff) == SQLITE_BUSY)) {
		remember_error(rc);
		/* Constraint refusals are expected outcomes; callers report them. */
		if ((rc & 0xff) != SQLITE_CONSTRAINT)
			log_err("exec failed (%d): %s in: %.200s", rc, sqlite3_errmsg(db), sql);
	}
	db_done(st);
	return rc;
}

int db_exec(const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = exec_v(sql, fmt, ap);
	va_end(ap);
	return rc;
}

int db_exec_optional(const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	optional_write = 1;
	int rc = exec_v(sql, fmt, ap);
	optional_write = 0;
	va_end(ap);
	return rc;
}

long long db_int(const char *sql, long long def, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sqlite3_stmt *st = queryv(sql, fmt, ap);
	va_end(ap);
	long long v = def;
	if (db_row(st) && sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(st, 0);
	db_done(st);
	return v;
}

int db_text(char *out, size_t n, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sqlite3_stmt *st = queryv(sql, fmt, ap);
	va_end(ap);
	int found = 0;
	if (n)
		out[0] = '\0';
	if (db_row(st)) {
		found = 1;
		snprintf(out, n, "%s", db_col(st, 0));
	}
	db_done(st);
	return found;
}

const char *db_col(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? (const char *)s : "";
}

long long db_last_id(void) { return sqlite3_last_insert_rowid(db); }
int db_changes(void) { return sqlite3_changes(db); }
int db_errcode(void) { return last_err; }
const char *db_errmsg(void) { return last_msg; }

static int simple(const char *sql)
{
	sqlite3_stmt *st = db_stmt(sql);
	if (!st)
		return -1;
	before_step(st);
	int rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE) {
		remember_error(rc);
		log_err("%s failed: %s", sql, sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

int db_begin(void) { return simple("BEGIN IMMEDIATE"); }
int db_commit(void) { return simple("COMMIT"); }
int db_rollback(void) { return db_in_tx() ? simple("ROLLBACK") : 0; }
int db_in_tx(void) { return db && !implicit && !sqlite3_get_autocommit(db); }

void db_request_end(void)
{
	for (sqlite3_stmt *st = db ? sqlite3_next_stmt(db, NULL) : NULL; st; st = sqlite3_next_stmt(db, st))
		if (sqlite3_stmt_busy(st))
			sqlite3_reset(st);
	end_implicit();
	batch = 0;
	if (db_in_tx()) {
		log_err("a transaction was left open at the end of the request; rolled back");
		db_rollback();
	}
}

/* ---- migrations ---- */

static int migration_number(const char *name)
{
	if (strlen(name) < 8)
		return -1;
	for (int i = 0; i < 3; i++)
		if (name[i] < '0' || name[i] > '9')
			return -1;
	if (name[3] != '_')
		return -1;
	size_t n = strlen(name);
	if (strcmp(name + n - 4, ".sql") != 0)
		return -1;
	return (name[0] - '0') * 100 + (name[1] - '0') * 10 + (name[2] - '0');
}

int db_latest_migration(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	int max = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		int n = migration_number(e->d_name);
		if (n > max)
			max = n;
	}
	closedir(d);
	return max;
}

long long db_job_last(const char *name)
{
	return db_int("SELECT at FROM job_last WHERE name = ?", 0, "t", name);
}

int db_job_done(const char *name, long long at)
{
	return db_exec("INSERT INTO job_last(name, at) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET at = excluded.at",
		       "tI", name, at) == SQLITE_DONE ? 0 : -1;
}

int db_user_version(void)
{
	return (int)db_int("PRAGMA user_version", -1, NULL);
}

/* Every migration bumps the schema cookie, so that every connection
 * re-reads the schema: a migration that widens a CHECK edits the table's
 * text through writable_schema (see sql/200), which SQLite does not count
 * as a schema change by itself. */
static int bump_schema_cookie(char **msg)
{
	char sql[64];
	int v = (int)db_int("PRAGMA schema_version", -1, NULL);
	if (v < 0) {
		*msg = sqlite3_mprintf("cannot read the schema version");
		return SQLITE_ERROR;
	}
	snprintf(sql, sizeof sql, "PRAGMA schema_version=%d", v + 1);
	return sqlite3_exec(db, sql, NULL, NULL, msg);
}

int db_migrate(const char *dir, char *err, size_t errlen)
{
	int have = db_user_version();
	int latest = db_latest_migration(dir);
	if (latest < 0) {
		snprintf(err, errlen, "cannot read %s", dir);
		return -1;
	}
	int applied = 0;
	for (int n = have + 1; n <= latest; n++) {
		/* Find the file for number n. */
		DIR *d = opendir(dir);
		if (!d) {
			snprintf(err, errlen, "cannot read %s", dir);
			return -1;
		}
		char path[4096] = "";
		struct dirent *e;
		while ((e = readdir(d)))
			if (migration_number(e->d_name) == n) {
				snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
				break;
			}
		closedir(d);
		if (!*path)
			continue; /* numbers may have gaps */
		char *sql = u_read_file(path, NULL);
		if (!sql) {
			snprintf(err, errlen, "cannot read %s", path);
			return -1;
		}
		char *msg = NULL;
		char pragma[64];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", n);
		if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK ||
		    sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK ||
		    sqlite3_exec(db, pragma, NULL, NULL, &msg) != SQLITE_OK || bump_schema_cookie(&msg) != SQLITE_OK ||
		    sqlite3_exec(db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
			snprintf(err, errlen, "%s: %s", path, msg ? msg : sqlite3_errmsg(db));
			sqlite3_free(msg);
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			free(sql);
			return -1;
		}
		free(sql);
		applied++;
	}
	return applied;
}

int db_version(unsigned long long *v)
{
	sqlite3_stmt *st = db_query("PRAGMA data_version", NULL);
	if (!db_row(st)) {
		db_done(st);
		return -1;
	}
	unsigned long long others = (unsigned long long)sqlite3_column_int64(st, 0);
	db_done(st);
	*v = others << 40 ^ (unsigned long long)sqlite3_total_changes64(db);
	return 0;
}
