/* util.c — see util.h. */
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sys/random.h>

#include <nettle/sha2.h>

#include "base/cal.h"

/* ---- buffers ---- */

void buf_init(struct buf *b) { b->s = NULL; b->len = b->cap = 0; }

static int buf_grow(struct buf *b, size_t need)
{
	if (need < b->len || need == SIZE_MAX)
		return -1;
	if (need + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need + 1) {
		if (cap > SIZE_MAX / 2)
			return -1;
		cap *= 2;
	}
	char *s = realloc(b->s, cap);
	if (!s)
		return -1;
	b->s = s;
	b->cap = cap;
	return 0;
}

int buf_add(struct buf *b, const void *p, size_t n)
{
	if (buf_grow(b, b->len + n) < 0)
		return -1;
	if (n)
		memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

/* v in decimal at the end of t (no terminator); returns its start. */
static const char *int_text(long long v, char t[24])
{
	char *p = t + 24;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10));
	if (v < 0)
		*--p = '-';
	return p;
}

int buf_adds(struct buf *b, const char *s) { return buf_add(b, s, strlen(s)); }

int buf_addint(struct buf *b, long long v)
{
	char t[24];
	const char *p = int_text(v, t);
	return buf_add(b, p, (size_t)(t + sizeof t - p));
}
int buf_addc(struct buf *b, char c) { return buf_add(b, &c, 1); }

int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0 || buf_grow(b, b->len + (size_t)n) < 0)
		return -1;
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

void buf_free(struct buf *b)
{
	free(b->s);
	buf_init(b);
}

char *buf_take(struct buf *b)
{
	char *s = b->s;
	buf_init(b);
	return s;
}

/* ---- arena ---- */

struct ablock {
	struct ablock *next;
	size_t used, size;
	_Alignas(max_align_t) unsigned char data[];
};

struct arena {
	struct ablock *head;   /* current block, first in the list */
	struct ablock *first;  /* the block kept across resets */
};

#define ARENA_BLOCK 16384

static struct ablock *ablock_new(size_t size)
{
	struct ablock *b = malloc(sizeof *b + size);
	if (!b)
		return NULL;
	b->next = NULL;
	b->used = 0;
	b->size = size;
	return b;
}

struct arena *arena_new(void)
{
	struct arena *a = calloc(1, sizeof *a);
	if (!a)
		return NULL;
	a->first = a->head = ablock_new(ARENA_BLOCK);
	if (!a->first) {
		free(a);
		return NULL;
	}
	return a;
}

void *arena_alloc(struct arena *a, size_t n)
{
	size_t al = _Alignof(max_align_t);
	if (n > SIZE_MAX - al)
		return NULL;
	n = (n + al - 1) & ~(al - 1);
	if (n == 0)
		n = al;
	struct ablock *b = a->head;
	if (b->size - b->used < n) {
		size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
		b = ablock_new(size);
		if (!b)
			return NULL;
		b->next = a->head;
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *p = arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_int(struct arena *a, long long v)
{
	char t[24];
	const char *p = int_text(v, t);
	return arena_strndup(a, p, (size_t)(t + sizeof t - p));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void arena_reset(struct arena *a)
{
	struct ablock *b = a->head;
	while (b != a->first) {
		struct ablock *next = b->next;
		free(b);
		b = next;
	}
	a->head = a->first;
	a->first->used = 0;
	a->first->next = NULL;
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	arena_reset(a);
	free(a->first);
	free(a);
}

/* ---- randomness and hashing ---- */

/* The kernel's generator (getrandom: the source OpenSSL seeds from),
 * blocking only until it is seeded at boot. */
int u_random(void *p, size_t n)
{
	unsigned char *c = p;
	while (n) {
		ssize_t got = getrandom(c, n, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += got;
		n -= (size_t)got;
	}
	return 0;
}

void u_hex(const unsigned char *p, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hx[p[i] >> 4];
		out[2 * i + 1] = hx[p[i] & 15];
	}
	out[2 * n] = '\0';
}

void u_b64url(const unsigned char *p, size_t n, char *out)
{
	static const char al[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t o = 0, i = 0;
	for (; i + 2 < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
		out[o++] = al[v >> 18 & 63];
		out[o++] = al[v >> 12 & 63];
		out[o++] = al[v >> 6 & 63];
		out[o++] = al[v & 63];
	}
	if (n - i == 1) {
		unsigned v = (unsigned)p[i] << 16;
		out[o++] = al[v >> 18 & 63];
		out[o++] = al[v >> 12 & 63];
	} else if (n - i == 2) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8;
		out[o++] = al[v >> 18 & 63];
		out[o++] = al[v >> 12 & 63];
		out[o++] = al[v >> 6 & 63];
	}
	out[o] = '\0';
}

/* SHA-256 from libnettle (Debian's nettle, GnuTLS's crypto library)
 * rather than libcrypto, so that the screens that need no signature
 * (home, queue, statistics, places) do not map OpenSSL at all: 1.4 MB
 * less resident in each of their workers; nettle's hash is a few KB. */
void u_sha256(const void *p, size_t n, unsigned char out[32])
{
	struct sha256_ctx c;
	sha256_init(&c);
	sha256_update(&c, n, p);
	sha256_digest(&c, SHA256_DIGEST_SIZE, out);
}

int u_token(char out[44])
{
	unsigned char r[32];
	if (u_random(r, sizeof r) < 0)
		return -1;
	u_b64url(r, sizeof r, out);
	explicit_bzero(r, sizeof r);
	return 0;
}

int u_streq_ct(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return 0;
	/* Every byte compared, whatever the first difference. */
	volatile unsigned char d = 0;
	for (size_t i = 0; i < la; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

/* ---- clock ---- */

static long long clock_offset;

void u_clock_refresh(const char *path)
{
	if (!path || !*path) {
		clock_offset = 0;
		return;
	}
	char tmp[64];
	FILE *f = fopen(path, "r");
	if (!f) {
		clock_offset = 0;
		return;
	}
	long long v = 0;
	if (fgets(tmp, sizeof tmp, f)) {
		tmp[strcspn(tmp, "\r\n")] = '\0';
		if (u_strtoll(tmp, -(1LL << 40), 1LL << 40, &v) < 0)
			v = 0;
	}
	fclose(f);
	clock_offset = v;
}

long long u_now(void) { return (long long)time(NULL) + clock_offset; }

void u_fmt_date(long long ts, char out[11])
{
	cal_format_date(cal_day_from_unix(ts), out);
}

void u_fmt_datetime(long long ts, char out[17])
{
	int day = cal_day_from_unix(ts);
	long long sec = ts - cal_unix_from_day(day);
	char d[11];
	cal_format_date(day, d);
	unsigned hh = (unsigned)(sec / 3600) % 24u, mi = (unsigned)(sec / 60) % 60u;
	/* "dd.mm.yyyy hh:mm", put together (every row of the places base). */
	memcpy(out, d, 10);
	out[10] = ' ';
	out[11] = (char)('0' + hh / 10);
	out[12] = (char)('0' + hh % 10);
	out[13] = ':';
	out[14] = (char)('0' + mi / 10);
	out[15] = (char)('0' + mi % 10);
	out[16] = '\0';
}

/* ---- numbers ---- */

char *arena_date(struct arena *a, long long ts)
{
	char d[11];
	u_fmt_date(ts, d);
	return arena_strdup(a, d);
}

char *arena_datetime(struct arena *a, long long ts)
{
	char d[17];
	u_fmt_datetime(ts, d);
	return arena_strdup(a, d);
}

const char *arena_iso_date(struct arena *a, const char *iso)
{
	if (!iso || strlen(iso) != 10)
		return iso;
	return arena_printf(a, "%.2s.%.2s.%.4s", iso + 8, iso + 5, iso);
}

char *arena_full_name(struct arena *a, const char *surname, const char *name, const char *patronymic)
{
	const char *p = patronymic ? patronymic : "";
	return arena_printf(a, "%s %s%s%s", surname ? surname : "", name ? name : "", *p ? " " : "", p);
}

char *arena_file_size(struct arena *a, long long bytes, const char *kb, const char *mb)
{
	return bytes >= 1024 * 1024 ? arena_printf(a, "%.1f %s", (double)bytes / 1048576.0, mb)
				    : arena_printf(a, "%lld %s", (bytes + 1023) / 1024, kb);
}

const char *arena_subst(struct arena *a, const char *tpl, const char *const *kv)
{
	struct buf b = {0};
	for (const char *p = tpl ? tpl : ""; *p;) {
		int done = 0;
		if (*p == '{')
			for (size_t i = 0; kv[i] && kv[i + 1]; i += 2) {
				size_t n = strlen(kv[i]);
				if (strncmp(p + 1, kv[i], n) == 0 && p[1 + n] == '}') {
					buf_adds(&b, kv[i + 1]);
					p += n + 2;
					done = 1;
					break;
				}
			}
		if (!done)
			buf_addc(&b, *p++);
	}
	const char *out = arena_strdup(a, b.s ? b.s : "");
	buf_free(&b);
	return out ? out : "";
}

void u_copy(char *dst, size_t n, const char *src) { snprintf(dst, n, "%s", src ? src : ""); }

int u_strtoll(const char *s, long long min, long long max, long long *out)
{
	if (!s || !*s)
		return -1;
	const char *p = s;
	if (*p == '-')
		p++;
	if (!*p)
		return -1;
	for (const char *q = p; *q; q++)
		if (*q < '0' || *q > '9')
			return -1;
	if (strlen(p) > 19)
		return -1;
	errno = 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* ---- masking ---- */

static int is12digits(const char *s)
{
	for (int i = 0; i < 12; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return s[12] == '\0';
}

void u_mask_iin(const char *iin, char out[13])
{
	if (!iin || !is12digits(iin)) {
		snprintf(out, 13, "%s", iin ? iin : "");
		return;
	}
	memcpy(out, iin, 4);
	memset(out + 4, '*', 6);
	memcpy(out + 10, iin + 10, 2);
	out[12] = '\0';
}

void u_mask_iins_in(char *t)
{
	size_t i = 0;
	while (t[i]) {
		if (t[i] >= '0' && t[i] <= '9') {
			size_t j = i;
			while (t[j] >= '0' && t[j] <= '9')
				j++;
			if (j - i == 12)
				memset(t + i + 4, '*', 6);
			i = j;
		} else {
			i++;
		}
	}
}

/* First UTF-8 character of s, followed by '.', appended to b (after a
 * space when b holds something). */
static void initial(struct buf *b, const char *s)
{
	if (!s || !*s)
		return;
	unsigned char c = (unsigned char)s[0];
	size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
	if (strnlen(s, n) < n)
		return;
	if (b->len)
		buf_addc(b, ' ');
	buf_add(b, s, n);
	buf_addc(b, '.');
}

char *u_mask_name(struct arena *a, const char *surname, const char *name, const char *patr)
{
	struct buf b;
	buf_init(&b);
	buf_adds(&b, surname ? surname : "");
	initial(&b, name);
	initial(&b, patr);
	char *r = arena_strdup(a, b.s ? b.s : "");
	buf_free(&b);
	return r;
}

char *u_initials(struct arena *a, const char *surname, const char *name, const char *patronymic)
{
	struct buf b;
	buf_init(&b);
	initial(&b, surname);
	initial(&b, name);
	initial(&b, patronymic);
	char *out = arena_strdup(a, b.s ? b.s : "");
	buf_free(&b);
	return out;
}

void u_mask_phone(const char *p, char out[20])
{
	size_t n = p ? strlen(p) : 0;
	if (n != 12 || p[0] != '+') {
		snprintf(out, 20, "%s", p ? p : "");
		return;
	}
	snprintf(out, 20, "%.5s***%.4s", p, p + 8);
}

int u_phone(const char *s, char out[13])
{
	char d[16];
	size_t n = 0;
	int plus = 0;
	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (n >= sizeof d - 1)
				return -1;
			d[n++] = *p;
		} else if (*p == '+' && n == 0 && !plus) {
			plus = 1;
		} else if (!strchr(" -()", *p)) {
			return -1;
		}
	}
	d[n] = '\0';
	const char *national;
	if (n == 11 && (d[0] == '7' || (d[0] == '8' && !plus)))
		national = d + 1;
	else if (n == 10 && !plus)
		national = d;
	else
		return -1;
	/* Kazakhstan: +7 followed by 7xx (mobile, Kazakh area codes) or 6xx. */
	if (national[0] != '7' && national[0] != '6')
		return -1;
	out[0] = '+';
	out[1] = '7';
	memcpy(out + 2, national, 10);
	out[12] = '\0';
	return 0;
}

/* ---- files ---- */

char *u_read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct buf b;
	buf_init(&b);
	char tmp[8192];
	for (;;) {
		ssize_t r = read(fd, tmp, sizeof tmp);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close(fd);
			buf_free(&b);
			errno = e;
			return NULL;
		}
		if (r == 0)
			break;
		if (buf_add(&b, tmp, (size_t)r) < 0) {
			close(fd);
			buf_free(&b);
			errno = ENOMEM;
			return NULL;
		}
	}
	close(fd);
	if (!b.s && buf_add(&b, "", 0) < 0) {
		errno = ENOMEM;
		return NULL;
	}
	if (len)
		*len = b.len;
	return buf_take(&b);
}

int u_write_file_atomic(const char *path, const void *p, size_t n)
{
	char tmp[PATH_MAX];
	unsigned char r[6];
	char rh[13];
	if (u_random(r, sizeof r) < 0)
		return -1;
	u_hex(r, sizeof r, rh);
	if (snprintf(tmp, sizeof tmp, "%s.%s.tmp", path, rh) >= (int)sizeof tmp)
		return -1;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (fd < 0)
		return -1;
	const char *c = p;
	while (n) {
		ssize_t w = write(fd, c, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			unlink(tmp);
			return -1;
		}
		c += w;
		n -= (size_t)w;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) < 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

int u_mkdirs(const char *path)
{
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp)
		return -1;
	for (char *p = tmp + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			if (mkdir(tmp, 0750) < 0 && errno != EEXIST)
				return -1;
			*p = '/';
		}
	}
	if (mkdir(tmp, 0750) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

/* ---- UTF-8 ---- */

size_t u_utf8_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

int u_utf8_valid(const char *s, int allow_nl)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned c = *p;
		if (c < 0x80) {
			if (c < 0x20 || c == 0x7F) {
				if (!(allow_nl && (c == '\n' || c == '\r' || c == '\t')))
					return 0;
			}
			p++;
			continue;
		}
		int n;
		unsigned cp;
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		for (int i = 1; i <= n; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i] & 0x3F);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		p += n + 1;
	}
	return 1;
}

/* ---- external programs ---- */

static long long mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The child's side: never returns. Reports errno through the pipe when
 * the program cannot be started. */
static void run_child(const char *const argv[], int report)
{
	int nul = open("/dev/null", O_RDWR);
	if (nul >= 0 && dup2(nul, 0) == 0 && dup2(nul, 1) == 1) {
		signal(SIGPIPE, SIG_DFL);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
#ifdef CLOSE_RANGE_CLOEXEC
		/* The database, the FastCGI listener, log files: not the program's.
		 * (An older kernel refuses; SQLite's own descriptors are
		 * close-on-exec anyway.) */
		close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
#endif
		execv(argv[0], (char *const *)argv);
	}
	int e = errno;
	if (write(report, &e, sizeof e) < 0)
		_exit(126);
	_exit(127);
}

int u_run(const char *const argv[], long long timeout_ms)
{
	if (!argv || !argv[0] || !*argv[0]) {
		errno = EINVAL;
		return U_RUN_FAILED;
	}
	/* A close-on-exec pipe tells whether the exec worked: it closes unread
	 * when it did, and carries the child's errno when it did not. */
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return U_RUN_FAILED;
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(p[0]);
		close(p[1]);
		errno = e;
		return U_RUN_FAILED;
	}
	if (pid == 0)
		run_child(argv, p[1]);
	close(p[1]);
	int e = 0;
	ssize_t n;
	while ((n = read(p[0], &e, sizeof e)) < 0 && errno == EINTR)
		;
	close(p[0]);
	int status = 0;
	if (n == (ssize_t)sizeof e) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		errno = e;
		return U_RUN_FAILED;
	}
	/* Polls: 1, 2, 4, 8, then every 10 ms, so a quick program costs ~1 ms. */
	long long start = mono_ms();
	long nap = 1;
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			return U_RUN_FAILED;
		if (mono_ms() - start >= timeout_ms) {
			kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			return U_RUN_TIMEOUT;
		}
		struct timespec d = {0, nap * 1000 * 1000};
		nanosleep(&d, NULL);
		if (nap < 10)
			nap = nap * 2 > 10 ? 10 : nap * 2;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : U_RUN_SIGNAL;
}

const char *u_run_error(int rc, char why[96])
{
	if (rc == U_RUN_FAILED)
		snprintf(why, 96, "could not be started: %s", strerror(errno));
	else if (rc == U_RUN_TIMEOUT)
		snprintf(why, 96, "did not finish in time (killed)");
	else if (rc == U_RUN_SIGNAL)
		snprintf(why, 96, "was ended by a signal");
	else
		snprintf(why, 96, "exited with status %d", rc);
	return why;
}

char *u_csv_field(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		s[n - 1] = '\0';
		s++;
		char *w = s;
		for (char *p = s; *p; p++) {
			if (p[0] == '"' && p[1] == '"')
				p++;
			*w++ = *p;
		}
		*w = '\0';
	}
	return s;
}

char *u_csv_line(char **p, char *end, long long *lineno, int *nul)
{
	while (*p && *p < end) {
		char *nl = memchr(*p, '\n', (size_t)(end - *p));
		char *le = nl ? nl : end;
		*le = '\0';
		char *line = *p;
		size_t ll = (size_t)(le - line);
		*p = nl ? nl + 1 : NULL;
		(*lineno)++;
		*nul = memchr(line, '\0', ll) != NULL;
		if (ll && line[ll - 1] == '\r')
			line[--ll] = '\0';
		if (*nul || strspn(line, " \t;,\"") != ll)
			return line;
	}
	return NULL;
}
