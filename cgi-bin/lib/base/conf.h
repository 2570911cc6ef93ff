/*
 * conf.h — settings, read once per process from an HDF file.
 *
 * The file is named by the environment variable KG_CONF, else
 * conf/app.hdf under the installation (KG_DEFAULT_CONF at build time).
 * A deployment's file usually starts with `#include "/usr/local/share/kg/conf/app.hdf"`
 * and overrides what differs. Prefix conf_.
 */
#ifndef KG_CONF_H
#define KG_CONF_H

#include <ClearSilver.h>

/* Loads the settings. Returns 0, or -1 with a message in err. */
int conf_load(const char *path_or_null, char *err, size_t errlen);
/* The value at key, or def when absent. Never NULL when def is not NULL. */
const char *conf_get(const char *key, const char *def);
/* The integer at key, or def when absent or not a checked integer. */
long long conf_int(const char *key, long long def);
/* The loaded tree (read-only by convention), NULL before conf_load. */
HDF *conf_hdf(void);
void conf_free(void);

#endif
