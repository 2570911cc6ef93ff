/*
 * util.h — small building blocks shared by every module: growable buffers,
 * a per-request arena, randomness and hashing, the clock, checked number
 * parsing, masking of personal data, running an external program.
 *
 * Prefixes: buf_ (struct buf), arena_ (struct arena), u_ (the rest).
 */
#ifndef KG_UTIL_H
#define KG_UTIL_H

#include <stdarg.h>
#include <stddef.h>

/* A growable byte buffer, always NUL-terminated once anything was added.
 * Zero-initialised (or buf_init) is an empty buffer. Functions return 0 on
 * success and -1 when memory runs out (the buffer is left as it was). */
struct buf {
	char *s;
	size_t len, cap;
};

void buf_init(struct buf *b);
int buf_add(struct buf *b, const void *p, size_t n);
int buf_adds(struct buf *b, const char *s);
/* A number in decimal (as "%lld", without printf's cost). */
int buf_addint(struct buf *b, long long v);
int buf_addc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Empties the buffer but keeps its memory for reuse. */
void buf_reset(struct buf *b);
/* Frees the memory; the buffer is empty afterwards. */
void buf_free(struct buf *b);
/* Hands the bytes to the caller (malloc'd, caller frees; NULL if empty). */
char *buf_take(struct buf *b);

/* An arena: many small allocations freed at once. Used for everything that
 * lives for one request. arena_reset keeps the first block for the next
 * request so a steady process does no malloc for small pages. On memory
 * exhaustion the allocators return NULL. */
struct arena;

struct arena *arena_new(void);
void *arena_alloc(struct arena *a, size_t n);            /* zeroed */
char *arena_strdup(struct arena *a, const char *s);      /* NULL -> NULL */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A number in decimal (as "%lld", without printf's cost). */
char *arena_int(struct arena *a, long long v);
void arena_reset(struct arena *a);
void arena_free(struct arena *a);

/* Cryptographically strong random bytes (OpenSSL RAND_bytes).
 * Returns 0, or -1 if the generator failed (callers must fail closed). */
int u_random(void *p, size_t n);

/* Lower-case hex of n bytes into out (2n+1 bytes). */
void u_hex(const unsigned char *p, size_t n, char *out);
/* base64url without padding of n bytes into out (at least 4*((n+2)/3)+1). */
void u_b64url(const unsigned char *p, size_t n, char *out);
/* SHA-256 of n bytes. */
void u_sha256(const void *p, size_t n, unsigned char out[32]);
/* Random token: 32 random bytes as base64url (43 chars + NUL). 0 or -1. */
int u_token(char out[44]);
/* Constant-time comparison of two NUL-terminated strings; 1 if equal. */
int u_streq_ct(const char *a, const char *b);

/* The clock. u_now() is the current time in seconds since the epoch plus
 * the offset read by u_clock_refresh(path) from the file path, which the
 * callers take from the setting Clock.OffsetFile (used only by tests and
 * demonstrations to move time forward; production leaves the setting
 * empty: NULL or "" is no offset). */
long long u_now(void);
void u_clock_refresh(const char *path);
/* "dd.mm.yyyy HH:MM" and "dd.mm.yyyy" in the service's local time
 * (Kazakhstan, UTC+5; calendar arithmetic lives in cal.h). */
void u_fmt_datetime(long long ts, char out[17]);
void u_fmt_date(long long ts, char out[11]);

/* The same in the arena, for views and documents (NULL when memory runs
 * out): "dd.mm.yyyy" and "dd.mm.yyyy HH:MM". */
char *arena_date(struct arena *a, long long ts);
char *arena_datetime(struct arena *a, long long ts);
/* A stored date "yyyy-mm-dd" as people read it, "dd.mm.yyyy" (arena);
 * anything of another length is returned as it is. */
const char *arena_iso_date(struct arena *a, const char *iso);
/* "SURNAME NAME PATRONYMIC", or "SURNAME NAME" when there is no
 * patronymic (NULL parts count as empty). Arena; NULL when memory runs
 * out. */
char *arena_full_name(struct arena *a, const char *surname, const char *name, const char *patronymic);

/* A file's size as people read it: "12 KB", "1.5 MB" (arena). */
char *arena_file_size(struct arena *a, long long bytes, const char *kb, const char *mb);

/* tpl with every "{name}" of the pairs kv (name, value, name, value, ...,
 * NULL) replaced by its value, in one pass: a value is never scanned
 * again, so text typed by a person cannot bring in another placeholder.
 * Arena; "" when memory runs out (never NULL). */
const char *arena_subst(struct arena *a, const char *tpl, const char *const *kv);

/* Copies src (NULL: "") into dst of n bytes, cut to fit, always
 * terminated: for the fixed text fields of structs loaded from rows. */
void u_copy(char *dst, size_t n, const char *src);

/* Checked integer parsing: the whole string must be an optional '-' and
 * decimal digits, within [min, max]. Returns 0 and stores *out, or -1. */
int u_strtoll(const char *s, long long min, long long max, long long *out);

/* Masks an IIN for public views and logs: "850312412032" -> "8503******32".
 * Anything that is not 12 digits is copied through unchanged. */
void u_mask_iin(const char *iin, char out[13]);
/* Masks every run of exactly 12 digits inside a text (for log lines). */
void u_mask_iins_in(char *text);
/* "ТУЛЕУБАЕВА ФАТИМА МЕЙРАМОВНА" -> "ТУЛЕУБАЕВА Ф. М." (UTF-8 aware). */
char *u_mask_name(struct arena *a, const char *surname, const char *name, const char *patronymic);
/* "ТУЛЕУБАЕВА ФАТИМА МЕЙРАМОВНА" -> "Т. Ф. М." (UTF-8 aware; arena): a
 * child in the public queue search. */
char *u_initials(struct arena *a, const char *surname, const char *name, const char *patronymic);
/* "+77015550001" -> "+7701***0001". */
void u_mask_phone(const char *phone, char out[20]);
/* A Kazakhstan phone number as the service keeps it: "8 701 555 00 01",
 * "+7 (701) 555-00-01", "7015550001" -> "+77015550001" (+7 and ten
 * digits, the national part starting with 7 or 6). 0, or -1 when s is
 * not such a number. */
int u_phone(const char *s, char out[13]);

/* Whole-file helpers. u_read_file returns a malloc'd NUL-terminated copy
 * (caller frees) and its length, or NULL with errno set. u_write_file_atomic
 * writes to a temporary name in the same directory and renames it. */
char *u_read_file(const char *path, size_t *len);
int u_write_file_atomic(const char *path, const void *p, size_t n);
/* mkdir -p with mode 0750. */
int u_mkdirs(const char *path);

/* Runs an external program: argv[0] is its path (no shell, no PATH
 * search: every argument reaches it as it is), argv ends with NULL. Its
 * stdin and stdout are /dev/null (a FastCGI worker's fd 0 is its socket),
 * stderr is ours (the program's complaints land in our log), and no other
 * descriptor of ours reaches it. Waits at most timeout_ms, then kills it.
 * Returns its exit status (0..255), or
 *   U_RUN_FAILED   it could not be started (errno says why: ENOENT, EACCES...)
 *   U_RUN_TIMEOUT  it did not finish in time (killed and reaped)
 *   U_RUN_SIGNAL   a signal ended it.
 * Used by the БМГ lookup command (bmg.h) and the SMS command gateway
 * (sms.h). */
enum { U_RUN_FAILED = -1, U_RUN_TIMEOUT = -2, U_RUN_SIGNAL = -3 };
int u_run(const char *const argv[], long long timeout_ms);
/* What u_run's result means, for a log line ("could not be started: No
 * such file or directory", "exited with status 3"...): written into why
 * and returned. Call it right after u_run (it reads errno). */
const char *u_run_error(int rc, char why[96]);

/* UTF-8: number of code points, and whether a string is valid UTF-8 without
 * control characters other than \n, \r, \t. */
size_t u_utf8_len(const char *s);
int u_utf8_valid(const char *s, int allow_newlines);

/* One field of a CSV line cut at its separator, in place: trimmed of
 * spaces and tabs, outer quotes removed ("" inside becomes "). The
 * register imports (bmg.c, gbd.c) read their files with it. */
char *u_csv_field(char *s);

/* The next non-blank line of an imported file, cut out of [*p, end) in
 * place (*p then points past it, NULL after the last): NUL-terminated, a
 * trailing \r removed. Lines are cut by length, not as C strings, so a NUL
 * byte (a UTF-16 file, a damaged export) sets *nul and rejects its line
 * instead of silently ending the file there, which for an import that
 * replaces a register would remove every row after it. *lineno counts
 * every line read, blank ones too. Returns the line, or NULL at the end. */
char *u_csv_line(char **p, char *end, long long *lineno, int *nul);

#endif
