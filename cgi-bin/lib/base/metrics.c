/* metrics.c — see metrics.h. */
#include "base/metrics.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "base/cal.h"
#include "base/conf.h"
#include "base/db.h"
#include "base/log.h"

const char *const met_counter_names[MET_COUNTER__MAX] = {"db_lock_waits", "db_busy", "otp_sent"};

/* The statuses counted one by one; any other is "other". */
static const int codes[] = {200, 303, 304, 400, 401, 403, 404, 405, 409, 410, 413, 415, 422, 429, 500, 503};
#define NCODES (sizeof codes / sizeof codes[0])
#define NSTATUS (NCODES + 1)
/* Upper bounds of the latency buckets, in microseconds; the last bucket
 * of a route holds what is slower than all of them (+Inf). */
static const long long bounds[] = {5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000, 2500000};
static const char *const bound_names[] = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5"};
#define NBUCKETS (sizeof bounds / sizeof bounds[0])

/* One worker's file. magic is written last, so a reader skips a file
 * being set up; a file of another layout (an older release) is skipped
 * by the reader and started afresh by a writer. */
#define MAGIC "kgmet01"
struct route_name {
	char method[8];
	char pattern[56];
};
struct met_file {
	char magic[8];
	uint64_t size;   /* sizeof(struct met_file) */
	char program[32];
	struct route_name routes[MET_ROUTES + 1];
	uint64_t requests[MET_ROUTES + 1][NSTATUS];
	uint64_t latency[MET_ROUTES + 1][NBUCKETS + 1];
	uint64_t latency_us[MET_ROUTES + 1];
	uint64_t counters[MET_COUNTER__MAX];
	uint64_t signatures[SIGN_E__MAX];
};

static struct met_file *mine;
static int mine_fd = -1;

#define TALLY ".hits"

/* Only this worker writes its file: a load and a store, atomic so that a
 * reader never sees half a number. */
static void bump(uint64_t *p, uint64_t n)
{
	__atomic_store_n(p, __atomic_load_n(p, __ATOMIC_RELAXED) + n, __ATOMIC_RELAXED);
}

static uint64_t get(const uint64_t *p) { return __atomic_load_n(p, __ATOMIC_RELAXED); }

long long met_clock_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

/* Locks the first free slot file of the program: its descriptor, or -1. */
static int lock_slot(const char *dir, const char *program)
{
	for (int slot = 0; slot < 256; slot++) {
		char path[512];
		snprintf(path, sizeof path, "%s/%s.%d", dir, program, slot);
		int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
		if (fd < 0)
			return -1;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return fd;
		close(fd);
	}
	errno = EBUSY;
	return -1;
}

/* The program's cache tally, <dir>/<program>.hits: nginx appends one byte
 * to it for every page of the program it answers from its cache
 * (conf/gen-web.sh), so its size is the count. Made here, by the program's
 * user (kg) and group (the web server's), writable by both: nginx's
 * workers append, the metrics program frees the counted bytes. */
static void make_tally(const char *dir, const char *program)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s%s", dir, program, TALLY);
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0660);
	if (fd < 0) {
		log_warn("metrics: no cache tally for %s: %s: %s", program, path, strerror(errno));
		return;
	}
	struct stat st;
	if (fstat(fd, &st) == 0 && st.st_uid == geteuid() && (st.st_mode & 0777) != 0660)
		fchmod(fd, 0660);   /* the umask took the group's write */
	close(fd);
}

int met_open(const char *dir, const char *program, size_t nroutes)
{
	met_close();
	if (!dir || !*dir || strlen(program) >= sizeof mine->program || nroutes > MET_ROUTES) {
		log_warn("metrics: off for %s (no Paths.Metrics, or more than %d routes)", program, MET_ROUTES);
		return -1;
	}
	if ((mkdir(dir, 0750) < 0 && errno != EEXIST) || (mine_fd = lock_slot(dir, program)) < 0) {
		log_warn("metrics: off for %s: cannot use %s: %s", program, dir, strerror(errno));
		return -1;
	}
	make_tally(dir, program);
	struct stat st;
	struct met_file *f = NULL;
	if (fstat(mine_fd, &st) == 0 && (st.st_size == (off_t)sizeof *f || ftruncate(mine_fd, 0) == 0) &&
	    ftruncate(mine_fd, sizeof *f) == 0)
		f = mmap(NULL, sizeof *f, PROT_READ | PROT_WRITE, MAP_SHARED, mine_fd, 0);
	if (!f || f == MAP_FAILED) {
		log_warn("metrics: off for %s: cannot map its file in %s: %s", program, dir, strerror(errno));
		close(mine_fd);
		mine_fd = -1;
		return -1;
	}
	if (memcmp(f->magic, MAGIC, sizeof f->magic) != 0 || f->size != sizeof *f ||
	    strcmp(f->program, program) != 0) {
		memset(f, 0, sizeof *f);
		f->size = sizeof *f;
		snprintf(f->program, sizeof f->program, "%s", program);
		__atomic_thread_fence(__ATOMIC_RELEASE);
		memcpy(f->magic, MAGIC, sizeof f->magic);
	}
	snprintf(f->routes[0].method, sizeof f->routes[0].method, "-");
	snprintf(f->routes[0].pattern, sizeof f->routes[0].pattern, "-");
	mine = f;
	return 0;
}

void met_route(size_t i, const char *method, const char *pattern)
{
	if (!mine || i == 0 || i > MET_ROUTES)
		return;
	struct route_name *n = &mine->routes[i];
	if (strcmp(n->method, method) != 0 || strcmp(n->pattern, pattern) != 0) {
		/* Another release numbered its routes otherwise: this slot's
		 * counts were another route's. */
		memset(mine->requests[i], 0, sizeof mine->requests[i]);
		memset(mine->latency[i], 0, sizeof mine->latency[i]);
		mine->latency_us[i] = 0;
	}
	snprintf(mine->routes[i].method, sizeof mine->routes[i].method, "%s", method);
	snprintf(mine->routes[i].pattern, sizeof mine->routes[i].pattern, "%s", pattern);
}

void met_request(size_t route, int status, long long micros)
{
	if (!mine || route > MET_ROUTES)
		return;
	size_t s = 0, b = 0;
	while (s < NCODES && codes[s] != status)
		s++;
	while (b < NBUCKETS && micros > bounds[b])
		b++;
	bump(&mine->requests[route][s], 1);
	bump(&mine->latency[route][b], 1);
	bump(&mine->latency_us[route], micros > 0 ? (uint64_t)micros : 0);
}

void met_add(enum met_counter c, long long n)
{
	if (mine && c < MET_COUNTER__MAX && n > 0)
		bump(&mine->counters[c], (uint64_t)n);
}

void met_signature(enum sign_err e)
{
	if (mine && e < SIGN_E__MAX)
		bump(&mine->signatures[e], 1);
}

void met_close(void)
{
	if (mine)
		munmap(mine, sizeof *mine);
	if (mine_fd >= 0)
		close(mine_fd);   /* releases the slot */
	mine = NULL;
	mine_fd = -1;
}

/* ---- reading: every file summed per program (and route) ---- */

struct sum {
	struct met_file f;   /* program's sums; routes[] holds one route when per route */
	int workers;
};

static void add_file(struct sum **sums, size_t *n, const struct met_file *f)
{
	size_t i = 0;
	while (i < *n && strcmp((*sums)[i].f.program, f->program) != 0)
		i++;
	if (i == *n) {
		struct sum *m = realloc(*sums, (*n + 1) * sizeof **sums);
		if (!m)
			return;
		*sums = m;
		memset(&m[i], 0, sizeof m[i]);
		memcpy(m[i].f.program, f->program, sizeof f->program);
		(*n)++;
	}
	struct met_file *t = &(*sums)[i].f;
	(*sums)[i].workers++;
	for (size_t c = 0; c < MET_COUNTER__MAX; c++)
		t->counters[c] += get(&f->counters[c]);
	for (size_t e = 0; e < SIGN_E__MAX; e++)
		t->signatures[e] += get(&f->signatures[e]);
	/* Routes by name: workers of two releases may number them differently. */
	for (size_t r = 0; r <= MET_ROUTES; r++) {
		if (!f->routes[r].pattern[0])
			continue;
		size_t k = 0;
		while (k <= MET_ROUTES && t->routes[k].pattern[0] &&
		       (strncmp(t->routes[k].pattern, f->routes[r].pattern, sizeof t->routes[k].pattern) != 0 ||
			strncmp(t->routes[k].method, f->routes[r].method, sizeof t->routes[k].method) != 0))
			k++;
		if (k > MET_ROUTES)
			continue;
		t->routes[k] = f->routes[r];
		t->routes[k].method[sizeof t->routes[k].method - 1] = '\0';
		t->routes[k].pattern[sizeof t->routes[k].pattern - 1] = '\0';
		for (size_t s = 0; s < NSTATUS; s++)
			t->requests[k][s] += get(&f->requests[r][s]);
		for (size_t b = 0; b <= NBUCKETS; b++)
			t->latency[k][b] += get(&f->latency[r][b]);
		t->latency_us[k] += get(&f->latency_us[r]);
	}
}

static void family(struct buf *out, const char *name, const char *type, const char *help)
{
	buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* Label values are our own names (programs, route patterns, reasons):
 * escaped all the same, as the format asks. */
static void label(struct buf *out, const char *name, const char *value, int first)
{
	buf_printf(out, "%s%s=\"", first ? "{" : ",", name);
	for (; *value; value++) {
		if (*value == '\\' || *value == '"')
			buf_addc(out, '\\');
		if (*value == '\n')
			buf_adds(out, "\\n");
		else
			buf_addc(out, *value);
	}
	buf_addc(out, '"');
}

static void route_labels(struct buf *out, const struct met_file *f, size_t r)
{
	label(out, "program", f->program, 1);
	label(out, "method", f->routes[r].method, 0);
	label(out, "route", f->routes[r].pattern, 0);
}

static void render_sums(struct buf *out, const struct sum *s, size_t n)
{
	family(out, "kg_requests_total", "counter", "Requests answered by the programs, by route and status.");
	for (size_t i = 0; i < n; i++)
		for (size_t r = 0; r <= MET_ROUTES && s[i].f.routes[r].pattern[0]; r++)
			for (size_t c = 0; c < NSTATUS; c++) {
				if (!s[i].f.requests[r][c])
					continue;
				buf_adds(out, "kg_requests_total");
				route_labels(out, &s[i].f, r);
				char code[8];
				snprintf(code, sizeof code, "%d", c < NCODES ? codes[c] : 0);
				label(out, "code", c < NCODES ? code : "other", 0);
				buf_printf(out, "} %llu\n", (unsigned long long)s[i].f.requests[r][c]);
			}
	family(out, "kg_request_duration_seconds", "histogram", "Time from a request's start to its response.");
	for (size_t i = 0; i < n; i++)
		for (size_t r = 0; r <= MET_ROUTES && s[i].f.routes[r].pattern[0]; r++) {
			unsigned long long cum = 0;
			for (size_t b = 0; b <= NBUCKETS; b++)
				cum += s[i].f.latency[r][b];
			if (!cum)
				continue;
			cum = 0;
			for (size_t b = 0; b <= NBUCKETS; b++) {
				cum += s[i].f.latency[r][b];
				buf_adds(out, "kg_request_duration_seconds_bucket");
				route_labels(out, &s[i].f, r);
				label(out, "le", b < NBUCKETS ? bound_names[b] : "+Inf", 0);
				buf_printf(out, "} %llu\n", cum);
			}
			buf_adds(out, "kg_request_duration_seconds_sum");
			route_labels(out, &s[i].f, r);
			buf_printf(out, "} %.6f\n", (double)s[i].f.latency_us[r] / 1e6);
			buf_adds(out, "kg_request_duration_seconds_count");
			route_labels(out, &s[i].f, r);
			buf_printf(out, "} %llu\n", cum);
		}
	static const char *const help[MET_COUNTER__MAX] = {
		"Statements that found the database locked and waited for it.",
		"Statements that gave up waiting for a lock (the request answered 503).",
		"One-time codes handed to the SMS gateway.",
	};
	for (int c = 0; c < MET_COUNTER__MAX; c++) {
		char name[64];
		snprintf(name, sizeof name, "kg_%s_total", met_counter_names[c]);
		family(out, name, "counter", help[c]);
		for (size_t i = 0; i < n; i++) {
			buf_adds(out, name);
			label(out, "program", s[i].f.program, 1);
			buf_printf(out, "} %llu\n", (unsigned long long)s[i].f.counters[c]);
		}
	}
	family(out, "kg_signatures_total", "counter", "EDS signatures verified and stored (ok) or refused, by reason.");
	for (size_t i = 0; i < n; i++)
		for (int e = 0; e < SIGN_E__MAX; e++)
			if (s[i].f.signatures[e]) {
				buf_adds(out, "kg_signatures_total");
				label(out, "program", s[i].f.program, 1);
				label(out, "result", sign_err_name((enum sign_err)e), 0);
				buf_printf(out, "} %llu\n", (unsigned long long)s[i].f.signatures[e]);
			}
	family(out, "kg_metrics_files", "gauge", "Worker files summed per program (workers that ever ran at once).");
	for (size_t i = 0; i < n; i++) {
		buf_adds(out, "kg_metrics_files");
		label(out, "program", s[i].f.program, 1);
		buf_printf(out, "} %d\n", s[i].workers);
	}
}

/* The pages nginx answered from its cache, per program: each tally's size
 * (make_tally). The bytes counted are then freed (a hole punched in the
 * file; its size stays), so a tally takes no more than a page of memory or
 * disk however long it grows. */
static void render_tallies(const char *dir, struct dirent **names, int nn, struct buf *out)
{
	family(out, "kg_cache_hits_total", "counter", "Pages nginx answered from its page cache, per program.");
	size_t tl = strlen(TALLY);
	for (int i = 0; i < nn; i++) {
		const char *name = names[i]->d_name;
		size_t len = strlen(name);
		if (name[0] == '.' || len <= tl || strcmp(name + len - tl, TALLY) != 0)
			continue;
		char path[512], program[64];
		snprintf(path, sizeof path, "%s/%s", dir, name);
		snprintf(program, sizeof program, "%.*s", (int)(len - tl), name);
		int fd = open(path, O_WRONLY | O_CLOEXEC);
		struct stat st;
		if (fd < 0 ? stat(path, &st) < 0 : fstat(fd, &st) < 0) {
			if (fd >= 0)
				close(fd);
			continue;
		}
		off_t counted = st.st_size & ~(off_t)4095;
		if (fd >= 0 && counted > 0)
			fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, counted);   /* best effort */
		if (fd >= 0)
			close(fd);
		buf_adds(out, "kg_cache_hits_total");
		label(out, "program", program, 1);
		buf_printf(out, "} %lld\n", (long long)st.st_size);
	}
}

int met_render(const char *dir, struct buf *out)
{
	struct dirent **names = NULL;
	int nn = dir && *dir ? scandir(dir, &names, NULL, alphasort) : -1;
	if (nn < 0)
		return -1;
	struct sum *sums = NULL;
	size_t n = 0;
	for (int i = 0; i < nn; i++) {
		char path[512];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
		int fd = names[i]->d_name[0] == '.' ? -1 : open(path, O_RDONLY | O_CLOEXEC);
		struct stat st;
		if (fd < 0 || fstat(fd, &st) < 0 || st.st_size != (off_t)sizeof(struct met_file)) {
			if (fd >= 0)
				close(fd);
			continue;
		}
		const struct met_file *f = mmap(NULL, sizeof *f, PROT_READ, MAP_SHARED, fd, 0);
		close(fd);
		if (f == MAP_FAILED)
			continue;
		if (memcmp(f->magic, MAGIC, sizeof f->magic) == 0 && f->size == sizeof *f &&
		    memchr(f->program, 0, sizeof f->program))
			add_file(&sums, &n, f);
		munmap((void *)f, sizeof *f);
	}
	render_sums(out, sums, n);
	free(sums);
	render_tallies(dir, names, nn, out);
	for (int i = 0; i < nn; i++)
		free(names[i]);
	free(names);
	return 0;
}

/* ---- gauges: the database and the disk, read at each scrape ---- */

static long long files_bytes, files_count;

static int add_size(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)path, (void)ftw;
	if (type == FTW_F) {
		files_bytes += st->st_size;
		files_count++;
	}
	return 0;
}

static void gauge(struct buf *out, const char *name, const char *help, const char *lname, const char *lvalue,
		  long long v)
{
	if (help)
		family(out, name, "gauge", help);
	buf_adds(out, name);
	if (lname) {
		label(out, lname, lvalue, 1);
		buf_addc(out, '}');
	}
	buf_printf(out, " %lld\n", v);
}

static long long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long long)st.st_size : 0;
}

int met_render_gauges(struct buf *out, long long now)
{
	family(out, "kg_sms_outbox", "gauge", "SMS not sent, by state (queued and sending: the backlog).");
	sqlite3_stmt *st = db_query("SELECT state, count(*) FROM notification WHERE state <> 'sent' GROUP BY state", NULL);
	while (db_row(st))
		gauge(out, "kg_sms_outbox", NULL, "state", db_col(st, 0), sqlite3_column_int64(st, 1));
	db_done(st);

	/* Referrals are numbered in the order they are issued: today's are
	 * those after the last one issued before today's midnight (UTC+5). */
	long long midnight = cal_unix_from_day(cal_day_from_unix(now));
	long long issued = db_int("SELECT count(*) FROM referral WHERE id > coalesce((SELECT id FROM referral "
				  "WHERE issued_at < ? ORDER BY id DESC LIMIT 1), 0)",
				  0, "I", midnight);
	/* A scan of the referrals (one region's: tens of thousands a year). */
	long long annulled = db_int("SELECT count(*) FROM referral WHERE status = 'annulled' AND closed_at >= ?", 0, "I",
				    midnight);
	gauge(out, "kg_referrals_today", "Referrals issued, and annulled, since local midnight.", "event", "issued",
	      issued);
	gauge(out, "kg_referrals_today", NULL, "event", "annulled", annulled);

	long long tick = db_job_last("tick");
	family(out, "kg_tick_age_seconds", "gauge", "Seconds since `kgctl tick` last completed (+Inf: never).");
	if (tick)
		buf_printf(out, "kg_tick_age_seconds %lld\n", now - tick);
	else
		buf_adds(out, "kg_tick_age_seconds +Inf\n");

	const char *db = conf_get("Paths.Db", "var/kg.db");
	char wal[512];
	snprintf(wal, sizeof wal, "%s-wal", db);
	gauge(out, "kg_database_bytes", "Size of the database's files.", "file", "db", file_size(db));
	gauge(out, "kg_database_bytes", NULL, "file", "wal", file_size(wal));

	/* The stored files are walked at most every five minutes per worker. */
	static long long walked;
	const char *files = conf_get("Paths.Files", "var/files");
	if (!walked || now - walked >= 300 || now < walked) {
		files_bytes = files_count = 0;
		nftw(files, add_size, 16, FTW_PHYS);
		walked = now;
	}
	gauge(out, "kg_files_bytes", "Bytes of the stored files (uploads, PDFs), counted every 5 minutes.", NULL, NULL,
	      files_bytes);
	gauge(out, "kg_files_count", "Stored files, counted every 5 minutes.", NULL, NULL, files_count);
	struct statvfs v;
	if (statvfs(files, &v) == 0)
		gauge(out, "kg_files_free_bytes", "Free space on the stored files' file system.", NULL, NULL,
		      (long long)((unsigned long long)v.f_bavail * v.f_frsize));
	int busy;
	return db_request_failed(&busy) ? -1 : 0;
}
