/*
 * backup.h — backups of the service's data: the database and the files it
 * names (doc.h), in a directory of their own, with a manifest.
 *
 * A backup (a "snapshot") is a directory, 0700, all its files 0600:
 *
 *   kg.db                  the database as one read transaction saw it
 *                          (VACUUM INTO: consistent while the service writes)
 *   files/<2 hex>/<sha>    every stored file a row of that copy names
 *   MANIFEST               "kg-backup 1", "time", "kg-version", "schema"
 *                          lines, then "db SHA256 SIZE kg.db" and one
 *                          "file SHA256 SIZE files/<2 hex>/<sha>" per file
 *
 * It is written under DIR.part-PID and renamed when whole, so a directory
 * with the final name is always a complete backup. Files never change
 * (their name is their SHA-256), so a backup is incremental for files: a
 * file of the previous snapshot whose content still has its name is
 * hard-linked, not copied (see backup_make).
 *
 * These functions use the process's one database connection (db.h):
 * backup_make starts on the live database and ends on the copy, the
 * others close it and open the backup's copy read-only. Problems are
 * reported one line each through the caller's function. Prefix backup_.
 */
#ifndef KG_BACKUP_H
#define KG_BACKUP_H

#include <limits.h>

/* Reports a problem (a whole sentence, no newline). */
typedef void (*backup_problem)(const char *msg);

struct backup_result {
	char path[PATH_MAX];    /* the snapshot written */
	char since[PATH_MAX];   /* the snapshot files were linked from, "" for none */
	long long db_bytes;
	int schema;             /* the copy's migration (PRAGMA user_version) */
	long long files;        /* files in the manifest */
	long long copied, copied_bytes, linked, linked_bytes;
	long long gone;         /* replaced uploads already removed by the sweep (doc.h): not kept */
};

/* Backs up the open database and Paths.Files. target: a directory that
 * exists (the snapshot is target/kg-YYYYMMDD-HHMMSS, and files are linked
 * from the newest earlier kg-* snapshot in it), or a new name (the
 * snapshot itself; files linked only from since). since: a snapshot to
 * link files from, or NULL. A file is linked only when the earlier copy's
 * content still hashes to its name; anything else is copied from
 * Paths.Files, hashed on the way (a stored file that does not match its
 * name, or that a current row names and is missing, is a problem: left
 * out of the backup and reported). version: the service's version, for
 * the manifest. Returns the number of problems (the snapshot is written
 * all the same), or -1 when no snapshot was written (reported). */
int backup_make(const char *target, const char *since, const char *version, struct backup_result *r,
		backup_problem problem);

/* Checks a snapshot: the manifest's every line (the file is there, of its
 * size and SHA-256), the database copy's PRAGMA integrity_check, its
 * schema against the manifest, its audit log's hash chain (audit.h), and
 * that every file a current row of the copy names is in the manifest.
 * Returns the number of problems (0: the backup can be restored). */
int backup_verify(const char *dir, backup_problem problem);

struct restore_result {
	char before[PATH_MAX];   /* where the replaced database was kept, "" when there was none */
	long long db_bytes;
	int schema;
	long long files, copied, kept;
};

/* Is the database at path open in another process? The service's
 * connections use WAL mode, and every open one holds a read lock on the
 * "DMS" byte of its -shm file (SQLite's walformat.html, offset 128) until
 * it closes: a lock test there finds any program, worker or kgctl that
 * has the database open, however idle. 1 yes (pid in *pid), 0 no, -1
 * unknown (the -shm exists and cannot be read). */
int backup_db_in_use(const char *path, long *pid);

/* Restores a snapshot into Paths.Db and Paths.Files. Refuses (returns -1,
 * reported) while the database is in use (backup_db_in_use) or when
 * backup_verify finds a problem. Files go first (a stored file that
 * already hashes to its name is kept), then the database: copied to a
 * temporary name, checked against the manifest, renamed over Paths.Db;
 * the replaced database is kept as Paths.Db.before-restore (with its -wal,
 * if any, as Paths.Db.before-restore-wal). Returns 0 or -1. */
int backup_restore(const char *dir, struct restore_result *r, backup_problem problem);

#endif
