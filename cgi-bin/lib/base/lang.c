/* lang.c — see lang.h. */
#include "base/lang.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/log.h"

const char *const lang_names[LANG__MAX] = {"ru", "kk"};

static HDF *trees[LANG__MAX];

/* The strings found, per language: the trees never change once read, so
 * a string found once is that string for the life of the process (a walk
 * of "L.Places.col_name" costs ~1,300 instructions; the places table asks
 * for dozens a page). */
#define WORDS 1024
static struct word {
	char *key;
	const char *value;
} words[LANG__MAX][WORDS];

int lang_init(const char *dir)
{
	if (trees[0])
		return 0;
	for (int l = 0; l < LANG__MAX; l++) {
		char path[1200];
		HDF *node;
		snprintf(path, sizeof path, "%s/%s.hdf", dir, lang_names[l]);
		NEOERR *e = hdf_init(&trees[l]);
		if (!e)
			e = hdf_get_node(trees[l], "L", &node);
		if (!e)
			e = hdf_read_file(node, path);
		if (e) {
			STRING s;
			string_init(&s);
			nerr_error_traceback(e, &s);
			log_err("%s: %s", path, s.buf ? s.buf : "?");
			string_clear(&s);
			nerr_ignore(&e);
			lang_free();
			return -1;
		}
	}
	return 0;
}

void lang_free(void)
{
	for (int l = 0; l < LANG__MAX; l++) {
		for (size_t i = 0; i < WORDS; i++) {
			free(words[l][i].key);
			words[l][i] = (struct word){0};
		}
		if (trees[l])
			hdf_destroy(&trees[l]);
	}
}

enum lang lang_of(const char *code) { return code && strcmp(code, "kk") == 0 ? LANG_KK : LANG_RU; }

HDF *lang_tree(enum lang l) { return trees[l]; }

/* The q-value at p (after "q="), in thousandths; -1 when malformed. */
static int qvalue(const char *p, size_t n)
{
	if (n == 0 || n > 5 || (p[0] != '0' && p[0] != '1'))
		return -1;
	int q = (p[0] - '0') * 1000, scale = 100;
	if (n > 1) {
		if (p[1] != '.')
			return -1;
		for (size_t i = 2; i < n; i++, scale /= 10) {
			if (p[i] < '0' || p[i] > '9')
				return -1;
			q += (p[i] - '0') * scale;
		}
	}
	return q <= 1000 ? q : -1;
}

/* One entry of the header ("kk-KZ;q=0.8", its n bytes at s): the language
 * it names (-1 for another) and its q-value (-1 when malformed). */
static int accept_entry(const char *s, size_t n, int *q)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	size_t tag = 0;
	while (tag < n && s[tag] != ';' && s[tag] != ' ' && s[tag] != '\t')
		tag++;
	size_t primary = 0;
	while (primary < tag && s[primary] != '-')
		primary++;
	int l = -1;
	for (int i = 0; i < LANG__MAX; i++)
		if (primary == 2 && strncasecmp(s, lang_names[i], 2) == 0)
			l = i;
	*q = 1000;
	const char *p = memchr(s, ';', n);
	if (p) {
		const char *end = s + n;
		p++;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		size_t rest = (size_t)(end - p);
		while (rest && (p[rest - 1] == ' ' || p[rest - 1] == '\t'))
			rest--;
		*q = rest > 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=' ? qvalue(p + 2, rest - 2) : -1;
	}
	return l;
}

const char *lang_accept(const char *header, const char *def)
{
	int best = -1, best_q = 0;
	for (const char *s = header ? header : ""; *s;) {
		size_t n = strcspn(s, ",");
		int q;
		int l = accept_entry(s, n, &q);
		if (l >= 0 && q > best_q) {
			best = l;
			best_q = q;
		}
		s += n;
		if (*s == ',')
			s++;
	}
	if (best >= 0)
		return lang_names[best];
	return def && strcmp(def, "kk") == 0 ? "kk" : "ru";
}

static const char *find(enum lang l, const char *key)
{
	char k[256];
	size_t n = strlen(key);
	if (!trees[l] || n + 3 > sizeof k)
		return NULL;
	memcpy(k, "L.", 2);
	memcpy(k + 2, key, n + 1);
	return hdf_get_value(trees[l], k, NULL);
}

static size_t slot(const char *key)
{
	size_t h = 5381;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = h * 33 + *p;
	return h & (WORDS - 1);
}

const char *lang_t(const char *lang, const char *key)
{
	enum lang l = lang_of(lang);
	size_t i = slot(key);
	for (size_t n = 0; n < 8 && words[l][i].key; n++, i = (i + 1) & (WORDS - 1))
		if (strcmp(words[l][i].key, key) == 0)
			return words[l][i].value;
	const char *v = find(l, key);
	if (!v) {
		log_warn("missing interface string %s (%s)", key, lang_names[l]);
		return "";
	}
	if (!words[l][i].key && (words[l][i].key = strdup(key)))
		words[l][i].value = v;
	return v;
}

const char *lang_tf(struct arena *a, const char *lang, const char *key, const char *name, const char *value)
{
	const char *t = lang_t(lang, key);
	char pat[64];
	snprintf(pat, sizeof pat, "{%s}", name);
	size_t pl = strlen(pat);
	struct buf b = {0};
	for (const char *at; (at = strstr(t, pat)); t = at + pl) {
		buf_add(&b, t, (size_t)(at - t));
		buf_adds(&b, value);
	}
	buf_adds(&b, t);
	char *out = arena_strdup(a, b.s ? b.s : "");
	buf_free(&b);
	return out ? out : "";
}

int lang_has(const char *lang, const char *key) { return find(lang_of(lang), key) != NULL; }
