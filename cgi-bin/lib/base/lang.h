/*
 * lang.h — the interface strings of both languages: templates/lang/ru.hdf
 * and kk.hdf (under L.), read once per process. Screens take them through
 * the view (view_t); the domain takes them here for what it writes itself
 * (documents, messages). Every string exists in both files (the lint
 * checks it). Prefix lang_.
 */
#ifndef KG_LANG_H
#define KG_LANG_H

#include <ClearSilver.h>

#include "base/util.h"

enum lang { LANG_RU, LANG_KK, LANG__MAX };
/* "ru", "kk". */
extern const char *const lang_names[LANG__MAX];

/* Reads dir/ru.hdf and dir/kk.hdf (once; again after lang_free). 0 or -1. */
int lang_init(const char *dir);
void lang_free(void);

/* LANG_KK for "kk", else LANG_RU. */
enum lang lang_of(const char *code);
/* The language a browser asks for in its Accept-Language header: of "kk"
 * and "ru" (a range counts by its first subtag, any case: "kk-KZ" is
 * "kk"), the one with the highest q-value, the first listed on a tie; q=0
 * refuses a language, and a malformed entry is skipped. def ("kk", else
 * "ru") when the header names neither. Returns "kk" or "ru". */
const char *lang_accept(const char *header, const char *def);
/* The string under L.<key> ("" when missing, logged). */
const char *lang_t(const char *lang, const char *key);
/* L.<key> with every "{name}" replaced by value (in a; "" when missing). */
const char *lang_tf(struct arena *a, const char *lang, const char *key, const char *name, const char *value);
/* Does L.<key> exist? */
int lang_has(const char *lang, const char *key);
/* A language's tree (L.*), which the view renders with. */
HDF *lang_tree(enum lang l);

#endif
