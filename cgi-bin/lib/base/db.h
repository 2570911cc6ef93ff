/*
 * db.h — the process's one SQLite connection.
 *
 * Statements are SQL string literals, prepared the first time they are used
 * and kept for the life of the process (the cache is keyed by the literal's
 * address, so pass literals only: `make check` greps for anything else).
 * Values are always bound, never printed into SQL.
 *
 *   sqlite3_stmt *st = db_query("SELECT name_ru FROM district WHERE id = ?", "i", id);
 *   while (db_row(st)) { ... sqlite3_column_text(st, 0) ... }
 *   db_done(st);
 *
 * Binding formats, one letter per `?`:
 *   i  int            I  long long (sqlite3_int64)
 *   t  const char *   (NULL binds NULL)
 *   b  const void *, int length (blob; NULL binds NULL)
 *   n  (no argument) NULL
 *
 * Every state change runs inside db_begin()/db_commit() (BEGIN IMMEDIATE),
 * together with its history and audit rows; on any error the caller calls
 * db_rollback(). The request loop rolls back whatever a handler left open
 * and resets every statement, so a forgotten db_done cannot hold a read
 * transaction across requests. Prefix db_.
 */
#ifndef KG_DB_H
#define KG_DB_H

#include <stddef.h>

#include <sqlite3.h>

#include "base/util.h"

/* Opens the database with WAL, foreign keys, busy timeout, a 1 MiB page
 * cache and the synchronous level of the setting Db.Synchronous (NORMAL
 * unless FULL).
 * Returns 0 or -1 (logged). */
int db_open(const char *path);
/* A statement that finds the database locked waits up to Db.BusyTimeoutMs
 * (5000), or only Db.BusyQueuedMs (250) while waiting() says that another
 * request waits for this process (the request loop's listening socket), so
 * that a lock held long from outside turns writes into quick "busy"
 * answers rather than holding every worker while reads queue behind them. */
void db_busy_queue(int (*waiting)(void));
/* For a program's own busy handler: has a wait of waited_ms for a lock
 * gone on long enough (the rule above)? */
int db_busy_over(long long waited_ms);
/* Since the process started: statements that found the database locked
 * and waited (*waits), and those of them that gave up (*refusals). For
 * /metrics (the request loop hands them to base/metrics.h). */
void db_busy_counts(long long *waits, long long *refusals);
/* Opens a database copy read-only (nothing is written to or beside it),
 * as the process's connection (none may be open). 0 or -1 (logged). */
int db_open_readonly(const char *path);
void db_close(void);
sqlite3 *db_handle(void);

/* The cached statement for this literal, reset and unbound; NULL on a
 * prepare error (logged: it is a programming error). */
sqlite3_stmt *db_stmt(const char *sql);
/* db_stmt + bindings. NULL on error (logged). */
sqlite3_stmt *db_query(const char *sql, const char *fmt, ...);
/* Steps a statement from db_query: 1 for a row, 0 at the end or on error
 * (errors are logged and remembered for db_failed()). NULL-safe. */
int db_row(sqlite3_stmt *st);
/* Resets and unbinds the statement (NULL-safe). */
void db_done(sqlite3_stmt *st);
/* db_done for a statement read to its end: 0, or -1 when it could not be
 * prepared or its last step failed (a loop of db_row ends the same way at
 * the last row and at an error). */
int db_end(sqlite3_stmt *st);
/* Appends the LIKE pattern "%q%" with %, _ and \ escaped, for
 * "... LIKE ? ESCAPE '\'". 0 or -1. */
int db_like(const char *q, struct buf *b);
/* Runs a statement that returns no rows. Returns the SQLite result code:
 * SQLITE_DONE on success, SQLITE_CONSTRAINT when a rule of the schema
 * refused the change, etc. */
int db_exec(const char *sql, const char *fmt, ...);
/* A write the request can do without (a rate counter): it does not wait
 * for the write lock, and a lock held elsewhere is no error of the
 * request (SQLITE_BUSY is returned, nothing logged), so a page that
 * reads keeps answering while a write waits or a lock is held from
 * outside. Other errors as db_exec. */
int db_exec_optional(const char *sql, const char *fmt, ...);
/* One value from the first row, or def when there is no row (or on an
 * error, which db_request_failed reports). */
long long db_int(const char *sql, long long def, const char *fmt, ...);
/* Text of the first row's first column copied into out (size n); 1 if a
 * row was found, 0 if not. */
int db_text(char *out, size_t n, const char *sql, const char *fmt, ...);
/* Column as text, "" for NULL. */
const char *db_col(sqlite3_stmt *st, int i);
long long db_last_id(void);
int db_changes(void);
/* The extended result code and message of the last failing step. */
int db_errcode(void);
const char *db_errmsg(void);

/* Transactions. db_begin is BEGIN IMMEDIATE (waits up to the busy timeout
 * for the write lock). All return 0 or -1. db_in_tx tells whether one is
 * open. */
int db_begin(void);
int db_commit(void);
int db_rollback(void);
int db_in_tx(void);

/* Start of a request: from here until db_request_end the request's reads
 * share one read transaction (one snapshot, two system calls instead of
 * two per statement); a write, db_begin or any transaction statement ends
 * it first, so writes behave exactly as outside. db_in_tx() does not count
 * it. */
void db_request_begin(void);
/* Ends the request's read transaction: the next read sees what others
 * committed meanwhile (a handler that waits for another worker's work). */
void db_new_snapshot(void);
/* A number that stays the same as long as the request's reads see one
 * snapshot (its read transaction is open: no write, no db_new_snapshot
 * since), and changes when they may see another; 0 outside such a
 * transaction. What was read under one number may be reused under it. */
unsigned long long db_snapshot(void);
/* Did a statement fail since db_request_begin, with any error but a
 * constraint's refusal (an outcome callers report)? *busy: whether the
 * database was busy (locked past the busy timeout). The request loop then
 * answers 500 or 503, whatever the handler made of it: a failed read is
 * never shown as an empty list or a default value. */
int db_request_failed(int *busy);
/* End of request: resets every statement, ends the read transaction, rolls
 * back an open transaction (logging it as a bug). */
void db_request_end(void);

/* Migrations: applies sql/NNN_*.sql files whose number is above the
 * database's PRAGMA user_version, each in its own transaction, setting
 * user_version to its number. Returns the number applied, or -1 with a
 * message in err. */
int db_migrate(const char *sql_dir, char *err, size_t errlen);
/* Highest migration number found in sql_dir (-1 if unreadable). */
int db_latest_migration(const char *sql_dir);
int db_user_version(void);
/* When a timed job last completed (table job_last): `kgctl tick` records
 * 'tick' when every job succeeded (read by /healthz and /metrics), the
 * files sweep 'files'. db_job_last returns 0 when never. */
long long db_job_last(const char *name);
int db_job_done(const char *name, long long at);   /* 0 or -1 */

/* A number that changes whenever the database may have changed, by any
 * table: a commit of another connection (PRAGMA data_version) or a change
 * made through this one (sqlite3_total_changes64). Within a request's read
 * transaction it stays the same. What a process derives from the data
 * (the places list's districts, plist.h) is valid while it is. 0, or -1
 * on a database error. */
int db_version(unsigned long long *v);

#endif
