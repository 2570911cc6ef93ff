/* doc.c — see doc.h. */
#include "domain/doc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <magic.h>

#include "base/conf.h"
#include "base/db.h"
#include "base/log.h"
#include "base/util.h"

static magic_t cookie;

int doc_init(void)
{
	if (cookie)
		return 0;
	cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_ELF);
	if (!cookie || magic_load(cookie, NULL) < 0) {
		log_err("libmagic: %s", cookie ? magic_error(cookie) : "magic_open failed");
		if (cookie)
			magic_close(cookie);
		cookie = NULL;
		return -1;
	}
	return 0;
}

void doc_free(void)
{
	if (cookie)
		magic_close(cookie);
	cookie = NULL;
}

long long doc_max_bytes(void) { return conf_int("Upload.FileMaxBytes", 5 * 1024 * 1024); }

static const unsigned char *find(const unsigned char *h, size_t hn, const char *n)
{
	size_t nn = strlen(n);
	if (hn < nn)
		return NULL;
	for (size_t i = 0; i + nn <= hn; i++)
		if (h[i] == (unsigned char)n[0] && memcmp(h + i, n, nn) == 0)
			return h + i;
	return NULL;
}

/* A PDF must have its header at the start, and a cross-reference
 * ("startxref") and the end marker ("%%EOF") in its last kilobytes: what a
 * reader needs to open it, and what a cut or renamed file lacks. */
static int pdf_whole(const unsigned char *p, size_t n)
{
	if (n < 64 || memcmp(p, "%PDF-", 5) != 0)
		return 0;
	size_t tail = n < 2048 ? n : 2048;
	const unsigned char *t = p + n - tail;
	return find(t, tail, "startxref") && find(t, tail, "%%EOF");
}

static int png_whole(const unsigned char *p, size_t n)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
	static const unsigned char iend[8] = {0, 0, 0, 0, 'I', 'E', 'N', 'D'};
	return n >= 57 && memcmp(p, sig, 8) == 0 && memcmp(p + n - 12, iend, 8) == 0;
}

static int jpeg_whole(const unsigned char *p, size_t n)
{
	/* Some writers pad after the end marker: look in the last bytes. */
	if (n < 128 || p[0] != 0xFF || p[1] != 0xD8 || p[2] != 0xFF)
		return 0;
	size_t tail = n < 64 ? n : 64;
	for (size_t i = n - 2; i + tail >= n && i > 2; i--)
		if (p[i] == 0xFF && p[i + 1] == 0xD9)
			return 1;
	return 0;
}

const char *doc_check(const void *data, size_t n, const char **mime)
{
	const unsigned char *p = data;
	*mime = NULL;
	if (!p || n == 0)
		return "Err.file_empty";
	if ((long long)n > doc_max_bytes())
		return "Err.file_too_large";
	if (!cookie && doc_init() < 0)
		return "Err.file_type";
	const char *m = magic_buffer(cookie, p, n);
	if (!m)
		return "Err.file_type";
	if (strcmp(m, "application/pdf") == 0) {
		if (!pdf_whole(p, n))
			return "Err.file_broken";
		*mime = "application/pdf";
	} else if (strcmp(m, "image/png") == 0) {
		if (!png_whole(p, n))
			return "Err.file_broken";
		*mime = "image/png";
	} else if (strcmp(m, "image/jpeg") == 0) {
		if (!jpeg_whole(p, n))
			return "Err.file_broken";
		*mime = "image/jpeg";
	} else {
		return "Err.file_type";
	}
	return NULL;
}

const char *doc_clean_filename(struct arena *a, const char *name, const char *kind, const char *mime)
{
	const char *base = name ? name : "";
	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	size_t n = strlen(base);
	if (n > 200) {
		n = 200;
		while (n > 0 && ((unsigned char)base[n] & 0xC0) == 0x80)
			n--;
	}
	char *s = arena_strndup(a, base, n);
	if (!s || !*s || !u_utf8_valid(s, 0)) {
		const char *ext = !mime ? "bin" : strcmp(mime, "application/pdf") == 0 ? "pdf"
			: strcmp(mime, "image/png") == 0 ? "png" : strcmp(mime, "image/jpeg") == 0 ? "jpg"
			: strncmp(mime, "text/", 5) == 0 ? "txt" : "bin";
		return arena_printf(a, "%s.%s", kind, ext);
	}
	return s;
}

static int path_of(const char *sha, char *out, size_t n, int make_dir)
{
	const char *root = conf_get("Paths.Files", "var/files");
	if (strlen(sha) != 64 || strspn(sha, "0123456789abcdef") != 64)
		return -1;
	if (make_dir) {
		char dir[PATH_MAX];
		if (snprintf(dir, sizeof dir, "%s/%.2s", root, sha) >= (int)sizeof dir || u_mkdirs(dir) < 0)
			return -1;
	}
	return snprintf(out, n, "%s/%.2s/%s", root, sha, sha) >= (int)n ? -1 : 0;
}

int doc_store(const void *p, size_t n, char sha[65])
{
	unsigned char h[32];
	u_sha256(p, n, h);
	u_hex(h, 32, sha);
	char path[PATH_MAX];
	if (path_of(sha, path, sizeof path, 1) < 0) {
		log_err("doc_store: cannot make the directory of %s: %s", sha, strerror(errno));
		return -1;
	}
	/* An identical file is there: renew its time (doc_sweep keeps files
	 * touched within a day); when it cannot be renewed (gone meanwhile,
	 * another owner), write it anew. */
	if (utimensat(AT_FDCWD, path, NULL, 0) == 0)
		return 0;
	if (u_write_file_atomic(path, p, n) < 0) {
		log_err("doc_store: cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* ---- the sweep of files without a row ---- */

static int is_hex(const char *s, size_t n)
{
	return strlen(s) == n && strspn(s, "0123456789abcdef") == n;
}

/* A file is kept while a current document row names it (an applicant's
 * file replaced by a newer one is not current), while a signature of the
 * replaced row's referral or application names it (a signed text carries
 * the SHA-256 of what was signed), or while a guardian request awaiting
 * (or past) its review names it (guardian.h keeps its files outside
 * `document`). A replaced file no signature names is not kept: re-uploads
 * would otherwise pile up for ever. */
static int named(const char *sha)
{
	return (int)db_int("SELECT count(*) FROM (SELECT 1 FROM document WHERE sha256 = ? AND replaced_at IS NULL "
			   "UNION ALL SELECT 1 FROM document d JOIN signature s ON s.object_type = 'referral' "
			   "AND s.object_id = d.referral_id WHERE d.sha256 = ? AND instr(CAST(s.content AS TEXT), ?) > 0 "
			   "UNION ALL SELECT 1 FROM document d JOIN signature s ON s.object_type = 'application' "
			   "AND s.object_id = d.application_id WHERE d.sha256 = ? AND instr(CAST(s.content AS TEXT), ?) > 0 "
			   "UNION ALL SELECT 1 FROM guardian_request WHERE doc_sha256 = ? UNION ALL "
			   "SELECT 1 FROM guardian_request WHERE benefit_sha256 = ? LIMIT 1)",
			   -1, "ttttttt", sha, sha, sha, sha, sha, sha, sha);
}

/* Is the file still stored? */
static int stored(const char *sha)
{
	char path[PATH_MAX];
	struct stat st;
	return snprintf(path, sizeof path, "%s/%.2s/%s", conf_get("Paths.Files", "var/files"), sha, sha) <
		(int)sizeof path && stat(path, &st) == 0;
}

const char *doc_upload_allowed(long long referral_id, size_t len, long long now)
{
	long long per_day = conf_int("Upload.PerReferralPerDay", 10);
	long long max_total = conf_int("Upload.MaxBytesPerReferral", 30 * 1024 * 1024);
	if (per_day > 0 && db_int("SELECT count(*) FROM document WHERE referral_id = ? AND origin = 'applicant' "
				  "AND created_at > ?", 0, "II", referral_id, now - 86400) >= per_day)
		return "Abuse.upload_day";
	if (max_total <= 0)
		return NULL;
	/* What the referral's files take on disk now: its current files, and
	 * the replaced ones the sweep has not yet removed. */
	long long total = (long long)len;
	sqlite3_stmt *st = db_query("SELECT sha256, size, replaced_at IS NULL FROM document WHERE referral_id = ? "
				    "AND origin = 'applicant'", "I", referral_id);
	while (db_row(st))
		if (sqlite3_column_int(st, 2) || stored(db_col(st, 0)))
			total += sqlite3_column_int64(st, 1);
	db_done(st);
	return total > max_total ? "Abuse.upload_total" : NULL;
}

static int old_enough(const char *path, long long limit)
{
	struct stat st;
	return lstat(path, &st) == 0 && S_ISREG(st.st_mode) && (long long)st.st_mtime < limit;
}

/* One stored file (or one moved aside by a sweep that died): 1 removed,
 * 0 kept, -1 failed. */
static int sweep_one(const char *dir, const char *sha, int aside, long long limit)
{
	char path[PATH_MAX], moved[PATH_MAX];
	if (snprintf(path, sizeof path, "%s/%s", dir, sha) >= (int)sizeof path ||
	    snprintf(moved, sizeof moved, "%s/%s.sweep", dir, sha) >= (int)sizeof moved)
		return -1;
	if (!aside) {
		if (!old_enough(path, limit))
			return 0;
		int n = named(sha);
		if (n != 0)
			return n < 0 ? -1 : 0;
		/* Aside first: a doc_store from now on finds no file to renew and
		 * writes its own. */
		if (rename(path, moved) < 0)
			return errno == ENOENT ? 0 : -1;
	}
	/* Looked at again once aside: named or renewed meanwhile, it goes back
	 * (over a copy written meanwhile: the same bytes). */
	int n = named(sha);
	if (n < 0 || n > 0 || !old_enough(moved, limit)) {
		if (rename(moved, path) < 0 && errno != ENOENT)
			log_err("doc_sweep: cannot put back %s: %s", path, strerror(errno));
		return n < 0 ? -1 : 0;
	}
	if (unlink(moved) < 0)
		return errno == ENOENT ? 0 : -1;
	return 1;
}

int doc_sweep(long long now, long long min_age)
{
	const char *root = conf_get("Paths.Files", "var/files");
	long long limit = now - min_age;
	int removed = 0, failed = 0;
	for (int i = 0; i < 256; i++) {
		char dir[PATH_MAX];
		if (snprintf(dir, sizeof dir, "%s/%02x", root, i) >= (int)sizeof dir)
			return -1;
		DIR *d = opendir(dir);
		if (!d) {
			if (errno == ENOENT)
				continue;
			log_err("doc_sweep: cannot read %s: %s", dir, strerror(errno));
			return -1;
		}
		struct dirent *e;
		while ((e = readdir(d))) {
			const char *name = e->d_name;
			size_t len = strlen(name);
			char sha[65];
			int rc = 0;
			errno = 0;
			if (len == 64 && is_hex(name, 64) && strncmp(name, dir + strlen(dir) - 2, 2) == 0) {
				rc = sweep_one(dir, name, 0, limit);
			} else if (len == 70 && strcmp(name + 64, ".sweep") == 0) {
				memcpy(sha, name, 64);
				sha[64] = '\0';
				if (is_hex(sha, 64))
					rc = sweep_one(dir, sha, 1, limit);
			} else if (len > 64 + 4 && strcmp(name + len - 4, ".tmp") == 0 && name[64] == '.') {
				/* A write that died between its temporary file and the rename. */
				char path[PATH_MAX];
				if (snprintf(path, sizeof path, "%s/%s", dir, name) < (int)sizeof path && old_enough(path, limit))
					rc = unlink(path) == 0 ? 1 : -1;
			}
			if (rc < 0) {
				log_err("doc_sweep: %s/%s: %s", dir, name, errno ? strerror(errno) : db_errmsg());
				failed = 1;
			}
			removed += rc > 0;
		}
		closedir(d);
	}
	return failed ? -1 : removed;
}

long long doc_add(long long application_id, long long referral_id, const char *kind, const char *origin,
		  const char *sha, size_t size, const char *mime, const char *filename, const char *number,
		  long long created_by)
{
	int rc = db_exec("INSERT INTO document(application_id, referral_id, kind, origin, sha256, size, mime, "
			 "filename, number, created_at, created_by) "
			 "VALUES (?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0))",
			 "IItttItttII", application_id, referral_id, kind, origin, sha, (long long)size, mime,
			 filename, number, u_now(), created_by);
	return rc == SQLITE_DONE ? db_last_id() : -1;
}

int doc_new_check_code(char code[23])
{
	unsigned char r[16];
	if (u_random(r, sizeof r) < 0)
		return -1;
	u_b64url(r, sizeof r, code);
	return 0;
}

const char *doc_check_url(struct arena *a, const char *code)
{
	const char *base = conf_get("App.BaseUrl", "");
	size_t bl = strlen(base);
	while (bl && base[bl - 1] == '/')
		bl--;
	return arena_printf(a, "%.*s/check/%s", (int)bl, base, code);
}

long long doc_add_generated(long long application_id, long long referral_id, const char *kind, const char *number,
			    const char *check_code, const struct buf *pdf, const char *filename, long long created_by)
{
	char sha[65];
	if (!pdf || !pdf->len || doc_store(pdf->s, pdf->len, sha) < 0)
		return -1;
	long long id = doc_add(application_id, referral_id, kind, "system", sha, pdf->len, "application/pdf", filename,
			       number, created_by);
	if (id < 0 || db_exec("UPDATE document SET check_code = ? WHERE id = ?", "tI", check_code, id) != SQLITE_DONE)
		return -1;
	return id;
}

unsigned char *doc_read(const char *sha, size_t *len)
{
	char path[PATH_MAX];
	if (path_of(sha, path, sizeof path, 0) < 0)
		return NULL;
	size_t n = 0;
	unsigned char *p = (unsigned char *)u_read_file(path, &n);
	if (!p) {
		log_err("doc_read: %s: %s", path, strerror(errno));
		return NULL;
	}
	unsigned char h[32];
	char hex[65];
	u_sha256(p, n, h);
	u_hex(h, 32, hex);
	if (strcmp(hex, sha) != 0) {
		log_err("doc_read: %s does not match its hash", path);
		free(p);
		return NULL;
	}
	*len = n;
	return p;
}
