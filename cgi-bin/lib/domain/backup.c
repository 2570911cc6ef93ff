/* backup.c — see backup.h. */
#include "domain/backup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include <openssl/evp.h>

#include "base/conf.h"
#include "base/db.h"
#include "base/util.h"
#include "domain/audit.h"

static void say(backup_problem problem, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(backup_problem problem, const char *fmt, ...)
{
	char msg[PATH_MAX + 256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	problem(msg);
}

/* A path into a PATH_MAX buffer. The directories given (a backup's, the
 * settings' Paths) are checked to be well below PATH_MAX (short_enough),
 * so what is appended to them always fits. */
static void pathf(char *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void pathf(char *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out, PATH_MAX, fmt, ap);
	va_end(ap);
}

static int short_enough(const char *path, backup_problem problem)
{
	if (path && strlen(path) > PATH_MAX - 256) {
		say(problem, "%.100s...: the path is too long", path);
		return 0;
	}
	return 1;
}

static int is_sha(const char *s)
{
	return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

/* ---- files ---- */

/* Copies src to dst (created, mode), or only reads src when dst is NULL;
 * the SHA-256 of what was read in sha, its length in *size. fsyncs dst.
 * 0, or -1 with errno. */
static int copy_hash(const char *src, const char *dst, mode_t mode, char sha[65], long long *size)
{
	int in = open(src, O_RDONLY | O_CLOEXEC), out = -1, rc = -1, saved = 0;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	if (in < 0 || !md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL))
		goto done;
	if (dst && (out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)) < 0)
		goto done;
	char b[65536];
	ssize_t n;
	*size = 0;
	while ((n = read(in, b, sizeof b)) > 0) {
		if (!EVP_DigestUpdate(md, b, (size_t)n))
			goto done;
		for (ssize_t off = 0; out >= 0 && off < n;) {
			ssize_t w = write(out, b + off, (size_t)(n - off));
			if (w < 0)
				goto done;
			off += w;
		}
		*size += n;
	}
	unsigned char h[32];
	if (n < 0 || !EVP_DigestFinal_ex(md, h, NULL) || (out >= 0 && fsync(out) < 0))
		goto done;
	u_hex(h, 32, sha);
	rc = 0;
done:
	saved = errno;
	EVP_MD_CTX_free(md);
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) < 0 && rc == 0) {
		saved = errno;
		rc = -1;
	}
	if (rc < 0 && out >= 0)
		unlink(dst);
	errno = saved;
	return rc;
}

/* Does the file at path hash to sha? */
static int holds(const char *path, const char *sha)
{
	char got[65];
	long long size;
	return copy_hash(path, NULL, 0, got, &size) == 0 && strcmp(got, sha) == 0;
}

static int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb, (void)flag, (void)ftw;
	return remove(path);
}

static void rm_tree(const char *dir) { nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS); }

/* Run as root, backup and restore give what they write to the owner of
 * the service's data (that of Paths.Db's directory): a backup stays the
 * service user's, private, and a restored database is the service's to
 * open. Run as anyone else, what they write is theirs. 0 or -1. */
static int give(const char *path)
{
	static int known;
	static uid_t uid;
	static gid_t gid;
	if (geteuid() != 0)
		return 0;
	if (!known) {
		char dir[PATH_MAX];
		struct stat sb;
		pathf(dir, "%s", conf_get("Paths.Db", "var/kg.db"));
		char *slash = strrchr(dir, '/');
		if (slash)
			slash[slash == dir] = '\0';
		if (stat(slash ? dir : ".", &sb) < 0)
			return -1;
		uid = sb.st_uid, gid = sb.st_gid, known = 1;
	}
	return lchown(path, uid, gid);
}

static int give_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb, (void)flag, (void)ftw;
	return give(path);
}

static int write_private(const char *path, const char *s, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	for (size_t off = 0; off < n;) {
		ssize_t w = write(fd, s + off, n - off);
		if (w < 0) {
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	return fsync(fd) < 0 || close(fd) < 0 ? -1 : 0;
}

/* ---- the manifest ---- */

struct entry {
	char sha[65];
	long long size;
	char path[80];   /* relative: kg.db or files/<2 hex>/<sha> */
};

struct manifest {
	int schema;
	struct entry db;
	struct entry *files;
	size_t n;
};

static int by_sha(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->sha, ((const struct entry *)b)->sha);
}

/* "db SHA SIZE kg.db" or "file SHA SIZE files/<2 hex>/<SHA>": a file's
 * path is the one its SHA-256 gives (restore writes by the SHA-256, so a
 * manifest cannot name a place of its own). 1 taken, 0 not. */
static int entry_parse(const char *l, struct entry *e, int *is_db)
{
	char kind[8], want[80];
	int end = 0;
	if (sscanf(l, "%7s %64s %lld %79s%n", kind, e->sha, &e->size, e->path, &end) != 4 || l[end]
	    || !is_sha(e->sha) || e->size < 0)
		return 0;
	*is_db = strcmp(kind, "db") == 0;
	if (*is_db)
		return strcmp(e->path, "kg.db") == 0;
	snprintf(want, sizeof want, "files/%.2s/%s", e->sha, e->sha);
	return strcmp(kind, "file") == 0 && strcmp(e->path, want) == 0;
}

/* One line after the first into m. 1 taken, 0 not a manifest line. */
static int manifest_line(struct manifest *m, const char *l)
{
	struct entry e;
	int end = 0, is_db;
	if (!strncmp(l, "time ", 5) || !strncmp(l, "kg-version ", 11))
		return 1;
	if (sscanf(l, "schema %d%n", &m->schema, &end) == 1 && !l[end])
		return 1;
	if (!entry_parse(l, &e, &is_db))
		return 0;
	if (is_db)
		m->db = e;
	else
		m->files[m->n++] = e;
	return 1;
}

/* Reads dir/MANIFEST; every line it cannot take is a problem. Returns the
 * number of problems, or -1 when there is no manifest at all. */
static int manifest_read(const char *dir, struct manifest *m, backup_problem problem)
{
	char path[PATH_MAX];
	memset(m, 0, sizeof *m);
	m->schema = -1;
	pathf(path, "%s/MANIFEST", dir);
	size_t len;
	char *text = u_read_file(path, &len);
	if (!text) {
		say(problem, "%s: cannot read it: %s (not a backup?)", path, strerror(errno));
		return -1;
	}
	size_t lines = 1;
	for (char *p = text; *p; p++)
		lines += *p == '\n';
	m->files = calloc(lines, sizeof *m->files);
	int bad = m->files ? 0 : 1, line = 0, header = 0;
	for (char *save = NULL, *l = strtok_r(text, "\n", &save); l && m->files; l = strtok_r(NULL, "\n", &save)) {
		if (++line == 1)
			header = strcmp(l, "kg-backup 1") == 0;
		else if (!manifest_line(m, l))
			say(problem, "MANIFEST line %d is not a manifest line: %.80s", line, l), bad++;
	}
	free(text);
	if (!header)
		say(problem, "MANIFEST does not start with \"kg-backup 1\""), bad++;
	if (!m->db.sha[0])
		say(problem, "MANIFEST has no db line"), bad++;
	if (m->schema < 0)
		say(problem, "MANIFEST has no schema line"), bad++;
	if (m->n)
		qsort(m->files, m->n, sizeof *m->files, by_sha);
	return bad;
}

static int manifest_has(const struct manifest *m, const char *sha)
{
	struct entry key;
	snprintf(key.sha, sizeof key.sha, "%s", sha);
	return m->n && bsearch(&key, m->files, m->n, sizeof *m->files, by_sha) != NULL;
}

/* Is the file dir/e->path there, of its size and SHA-256? */
static int entry_check(const char *dir, const struct entry *e, backup_problem problem)
{
	char path[PATH_MAX], sha[65];
	long long size;
	struct stat sb;
	pathf(path, "%s/%s", dir, e->path);
	if (stat(path, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		say(problem, "%s: missing", e->path);
		return 1;
	}
	if (sb.st_size != e->size) {
		say(problem, "%s: %lld bytes, the manifest says %lld", e->path, (long long)sb.st_size, e->size);
		return 1;
	}
	if (copy_hash(path, NULL, 0, sha, &size) < 0) {
		say(problem, "%s: cannot read it: %s", e->path, strerror(errno));
		return 1;
	}
	if (strcmp(sha, e->sha) != 0) {
		say(problem, "%s: its SHA-256 is not the manifest's (the file was changed)", e->path);
		return 1;
	}
	return 0;
}

/* Every stored file a row names, once, in order; need: whether the backup
 * must have it. A replaced applicant's upload (doc.h) is not needed: the
 * daily sweep removes it unless a signature names it. */
static sqlite3_stmt *named_files(void)
{
	return db_query("SELECT sha, max(need) FROM ("
			"SELECT sha256 AS sha, replaced_at IS NULL AS need FROM document "
			"UNION ALL SELECT doc_sha256, 1 FROM guardian_request "
			"UNION ALL SELECT benefit_sha256, 1 FROM guardian_request WHERE benefit_sha256 IS NOT NULL) "
			"GROUP BY sha ORDER BY sha", NULL);
}

/* ---- backup ---- */

/* The newest snapshot in dir named below `below` (kg-YYYYMMDD-HHMMSS
 * sorts by time), into out; 0 if there is none. */
static int newest_snapshot(const char *dir, const char *below, char *out, size_t n)
{
	DIR *d = opendir(dir);
	char best[256] = "";
	if (!d)
		return 0;
	for (struct dirent *e; (e = readdir(d));) {
		char man[PATH_MAX];
		struct stat sb;
		if (strncmp(e->d_name, "kg-", 3) || strchr(e->d_name, '.') || strlen(e->d_name) >= sizeof best
		    || strcmp(e->d_name, below) >= 0 || strcmp(e->d_name, best) <= 0)
			continue;
		pathf(man, "%s/%s/MANIFEST", dir, e->d_name);
		if (stat(man, &sb) == 0)
			snprintf(best, sizeof best, "%s", e->d_name);
	}
	closedir(d);
	return best[0] && snprintf(out, n, "%s/%s", dir, best) < (int)n;
}

/* Puts one named file into the snapshot being written at part: linked
 * from the earlier snapshot when its copy there still hashes to its name,
 * else copied from Paths.Files. Returns 1 when it was put there, 0 when it
 * is not (*why: NULL for a replaced upload already swept, else the
 * reason), -1 on an error writing the snapshot. */
static int put_file(const char *part, const char *since, const char *sha, int need, struct backup_result *r,
		    long long *size, const char **why)
{
	char src[PATH_MAX], dst[PATH_MAX], dir[PATH_MAX], got[65];
	struct stat sb;
	pathf(dir, "%s/files/%.2s", part, sha);
	pathf(dst, "%s/%s", dir, sha);
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -1;
	if (since[0]) {
		pathf(src, "%s/files/%.2s/%s", since, sha, sha);
		if (stat(src, &sb) == 0 && holds(src, sha) && link(src, dst) == 0) {
			*size = sb.st_size;
			r->linked++, r->linked_bytes += sb.st_size;
			return 1;
		}
	}
	pathf(src, "%s/%.2s/%s", conf_get("Paths.Files", "var/files"), sha, sha);
	if (copy_hash(src, dst, 0600, got, size) < 0) {
		if (errno != ENOENT)
			return access(src, R_OK) == 0 ? -1 : (*why = "cannot be read", 0);
		*why = need ? "is missing from Paths.Files" : NULL;
		r->gone += !need;
		return 0;
	}
	if (strcmp(got, sha) != 0) {
		unlink(dst);
		*why = "in Paths.Files does not match its name (damaged)";
		return 0;
	}
	r->copied++, r->copied_bytes += *size;
	return 1;
}

/* The files of the copy (the open connection) into part/files, their
 * manifest lines into m. Problems counted in *bad. 0 or -1. */
static int put_files(const char *part, const char *since, struct backup_result *r, struct buf *m, int *bad,
		     backup_problem problem)
{
	char dir[PATH_MAX];
	pathf(dir, "%s/files", part);
	if (mkdir(dir, 0700) < 0)
		return -1;
	sqlite3_stmt *st = named_files();
	while (db_row(st)) {
		const char *sha = db_col(st, 0), *why = NULL;
		long long size = 0;
		if (!is_sha(sha)) {
			say(problem, "a row names a file \"%.70s\" that is not a SHA-256", sha);
			(*bad)++;
			continue;
		}
		int put = put_file(part, since, sha, sqlite3_column_int(st, 1), r, &size, &why);
		if (put < 0) {
			db_done(st);
			return -1;
		}
		if (put) {
			r->files++;
			buf_printf(m, "file %s %lld files/%.2s/%s\n", sha, size, sha, sha);
		} else if (why) {
			say(problem, "file %s %s: not in the backup", sha, why);
			(*bad)++;
		}
	}
	return db_end(st);
}

/* Where the snapshot goes, and which earlier one files are linked from. */
static int snapshot_names(const char *target, const char *since, struct backup_result *r, backup_problem problem)
{
	struct stat sb;
	char man[PATH_MAX];
	pathf(man, "%s/MANIFEST", target);
	if (access(man, F_OK) == 0) {
		say(problem, "%s is a backup: give the directory of backups, or a new name", target);
		return -1;
	}
	if (stat(target, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		char stamp[32];
		time_t t = time(NULL);
		struct tm tm;
		strftime(stamp, sizeof stamp, "kg-%Y%m%d-%H%M%S", gmtime_r(&t, &tm));
		pathf(r->path, "%s/%s", target, stamp);
		if (!since)
			newest_snapshot(target, stamp, r->since, sizeof r->since);
	} else {
		pathf(r->path, "%s", target);
	}
	if (since)
		pathf(r->since, "%s", since);
	if (access(r->path, F_OK) == 0) {
		say(problem, "%s exists: give a new name or a directory", r->path);
		return -1;
	}
	pathf(man, "%s/MANIFEST", r->since);
	if (r->since[0] && access(man, R_OK) < 0) {
		say(problem, "%s is not a backup (no MANIFEST)", r->since);
		return -1;
	}
	return 0;
}

/* The snapshot's database: VACUUM INTO part/kg.db from the live database,
 * then the connection is the copy's. 0 or -1. */
static int put_db(const char *part, struct backup_result *r, char sha[65], backup_problem problem)
{
	char db[PATH_MAX];
	pathf(db, "%s/kg.db", part);
	if (db_exec("VACUUM INTO ?", "t", db) != SQLITE_DONE) {
		say(problem, "VACUUM INTO %s: %s", db, db_errmsg());
		return -1;
	}
	db_close();
	if (chmod(db, 0600) < 0 || copy_hash(db, NULL, 0, sha, &r->db_bytes) < 0 || db_open_readonly(db) < 0) {
		say(problem, "%s: %s", db, strerror(errno));
		return -1;
	}
	r->schema = db_user_version();
	return 0;
}

int backup_make(const char *target, const char *since, const char *version, struct backup_result *r,
		backup_problem problem)
{
	memset(r, 0, sizeof *r);
	if (!short_enough(target, problem) || !short_enough(since, problem)
	    || !short_enough(conf_get("Paths.Files", "var/files"), problem) || snapshot_names(target, since, r, problem) < 0)
		return -1;
	char part[PATH_MAX], file[PATH_MAX], sha[65], stamp[32];
	pathf(part, "%s.part-%d", r->path, (int)getpid());
	mode_t old = umask(077);
	int bad = 0, rc = -1;
	struct buf m;
	buf_init(&m);
	if (mkdir(part, 0700) < 0) {
		say(problem, "cannot make %s: %s", part, strerror(errno));
		goto out;
	}
	if (put_db(part, r, sha, problem) < 0)
		goto out;
	time_t t = time(NULL);
	struct tm tm;
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
	buf_printf(&m, "kg-backup 1\ntime %s\nkg-version %s\nschema %d\ndb %s %lld kg.db\n", stamp,
		   version && *version ? version : "unknown", r->schema, sha, r->db_bytes);
	if (put_files(part, r->since, r, &m, &bad, problem) < 0) {
		say(problem, "writing the files into %s: %s", part, errno ? strerror(errno) : db_errmsg());
		goto out;
	}
	pathf(file, "%s/MANIFEST", part);
	if (m.len == 0 || write_private(file, m.s, m.len) < 0 || nftw(part, give_one, 16, FTW_PHYS) != 0
	    || sync_dir(part) < 0 || rename(part, r->path) < 0) {
		say(problem, "cannot finish %s: %s", r->path, strerror(errno));
		goto out;
	}
	rc = bad;
out:
	if (rc < 0)
		rm_tree(part);
	buf_free(&m);
	umask(old);
	return rc;
}

/* ---- verify ---- */

/* The copy's own checks: integrity, schema, audit chain, named files. */
static int verify_db(const char *dir, const struct manifest *m, backup_problem problem)
{
	char path[PATH_MAX];
	int bad = 0;
	pathf(path, "%s/kg.db", dir);
	db_close();
	if (db_open_readonly(path) < 0) {
		say(problem, "kg.db: cannot open it");
		return 1;
	}
	sqlite3_stmt *st = db_query("PRAGMA integrity_check", NULL);
	while (db_row(st))
		if (strcmp(db_col(st, 0), "ok") != 0)
			say(problem, "kg.db: integrity_check: %.200s", db_col(st, 0)), bad++;
	if (db_end(st) < 0)
		say(problem, "kg.db: integrity_check failed: %s", db_errmsg()), bad++;
	if (db_user_version() != m->schema)
		say(problem, "kg.db: schema %d, the manifest says %d", db_user_version(), m->schema), bad++;
	long long broken = audit_verify();
	if (broken)
		say(problem, broken < 0 ? "kg.db: the audit log cannot be read" : "kg.db: audit log broken at row %lld",
		    broken), bad++;
	st = named_files();
	while (db_row(st))
		if (sqlite3_column_int(st, 1) && !manifest_has(m, db_col(st, 0)))
			say(problem, "file %.64s: a row names it and the manifest does not", db_col(st, 0)), bad++;
	if (db_end(st) < 0)
		say(problem, "kg.db: cannot list its files: %s", db_errmsg()), bad++;
	db_close();
	return bad;
}

static int verify_into(const char *dir, struct manifest *m, backup_problem problem)
{
	m->files = NULL;
	if (!short_enough(dir, problem))
		return 1;
	int bad = manifest_read(dir, m, problem);
	if (bad < 0)
		return 1;
	if (m->db.sha[0] && entry_check(dir, &m->db, problem) == 0)
		bad += verify_db(dir, m, problem);
	else if (m->db.sha[0])
		bad++;
	for (size_t i = 0; i < m->n; i++)
		bad += entry_check(dir, &m->files[i], problem);
	return bad;
}

int backup_verify(const char *dir, backup_problem problem)
{
	struct manifest m;
	int bad = verify_into(dir, &m, problem);
	free(m.files);
	return bad;
}

/* ---- restore ---- */

int backup_db_in_use(const char *path, long *pid)
{
	char shm[PATH_MAX];
	pathf(shm, "%s-shm", path);
	int fd = open(shm, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	struct flock lk = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 128, .l_len = 1};
	int rc = fcntl(fd, F_GETLK, &lk);
	close(fd);
	if (rc < 0)
		return -1;
	*pid = lk.l_pid;
	return lk.l_type != F_UNLCK;
}

/* Copies dir/e->path to dst through a temporary name beside it, checking
 * its hash against the manifest's. mode: the new file's. 0 or -1. */
static int restore_file(const char *dir, const struct entry *e, const char *dst, mode_t mode)
{
	char src[PATH_MAX], tmp[PATH_MAX], sha[65];
	long long size;
	pathf(src, "%s/%s", dir, e->path);
	pathf(tmp, "%s.restore-%d", dst, (int)getpid());
	unlink(tmp);
	if (copy_hash(src, tmp, mode, sha, &size) < 0)
		return -1;
	errno = 0;
	if (strcmp(sha, e->sha) != 0 || give(tmp) < 0 || rename(tmp, dst) < 0) {
		errno = errno ? errno : EIO;
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int restore_files(const char *dir, const struct manifest *m, struct restore_result *r, backup_problem problem)
{
	const char *root = conf_get("Paths.Files", "var/files");
	for (size_t i = 0; i < m->n; i++) {
		const char *sha = m->files[i].sha;
		char sub[PATH_MAX], dst[PATH_MAX];
		pathf(sub, "%s/%.2s", root, sha);
		pathf(dst, "%s/%s", sub, sha);
		r->files++;
		if (holds(dst, sha)) {
			r->kept++;
			continue;
		}
		if (u_mkdirs(sub) < 0 || give(sub) < 0 || restore_file(dir, &m->files[i], dst, 0640) < 0) {
			say(problem, "cannot restore %s: %s", dst, strerror(errno));
			return -1;
		}
		r->copied++;
	}
	return 0;
}

/* The old database (and its -wal) moved aside, the new one renamed over
 * it. 0 or -1. */
static int swap_db(const char *db, const char *tmp, struct restore_result *r)
{
	char wal[PATH_MAX], shm[PATH_MAX], before[PATH_MAX], before_wal[PATH_MAX];
	pathf(wal, "%s-wal", db);
	pathf(shm, "%s-shm", db);
	pathf(before, "%s.before-restore", db);
	pathf(before_wal, "%s-wal", before);
	if (access(db, F_OK) == 0) {
		if ((unlink(before) < 0 && errno != ENOENT) || (unlink(before_wal) < 0 && errno != ENOENT)
		    || link(db, before) < 0 || (rename(wal, before_wal) < 0 && errno != ENOENT))
			return -1;
		pathf(r->before, "%s", before);
	}
	if ((unlink(shm) < 0 && errno != ENOENT) || rename(tmp, db) < 0)
		return -1;
	char dir[PATH_MAX];
	pathf(dir, "%s", db);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	return sync_dir(slash ? dir : ".");
}

static int refuse_in_use(const char *db, backup_problem problem)
{
	long pid = 0;
	int use = backup_db_in_use(db, &pid);
	if (use > 0)
		say(problem, "%s is open in process %ld (the service is running?): stop it first", db, pid);
	else if (use < 0)
		say(problem, "cannot tell whether %s is in use (%s-shm: %s)", db, db, strerror(errno));
	return use != 0;
}

int backup_restore(const char *dir, struct restore_result *r, backup_problem problem)
{
	const char *db = conf_get("Paths.Db", "var/kg.db");
	char tmp[PATH_MAX];
	struct manifest m;
	int rc = -1;
	memset(r, 0, sizeof *r);
	db_close();
	m.files = NULL;
	if (!short_enough(db, problem) || !short_enough(conf_get("Paths.Files", "var/files"), problem)
	    || refuse_in_use(db, problem))
		goto out;
	if (verify_into(dir, &m, problem) != 0) {
		say(problem, "%s does not verify: nothing restored", dir);
		goto out;
	}
	if (restore_files(dir, &m, r, problem) < 0)
		goto out;
	pathf(tmp, "%s.restore-%d", db, (int)getpid());
	unlink(tmp);
	if (restore_file(dir, &m.db, tmp, 0600) < 0) {
		say(problem, "cannot copy the database to %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (refuse_in_use(db, problem)) {
		unlink(tmp);
		goto out;
	}
	if (swap_db(db, tmp, r) < 0) {
		say(problem, "cannot put the database in place at %s: %s", db, strerror(errno));
		unlink(tmp);
		goto out;
	}
	r->db_bytes = m.db.size;
	r->schema = m.schema;
	rc = 0;
out:
	free(m.files);
	return rc;
}
