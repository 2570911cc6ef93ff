/* rate.c — see rate.h. */
#include "web/rate.h"

#include "base/db.h"
#include "base/util.h"

long long rate_count(const char *key, long long window)
{
	return db_int("SELECT count(*) FROM rate_event WHERE key = ? AND at > ?", 0, "tI", key, u_now() - window);
}

int rate_add(const char *key)
{
	return db_exec("INSERT INTO rate_event(key, at) VALUES (?, ?)", "tI", key, u_now()) == SQLITE_DONE ? 0 : -1;
}

int rate_note(const char *key)
{
	return db_exec_optional("INSERT INTO rate_event(key, at) VALUES (?, ?)", "tI", key, u_now()) == SQLITE_DONE ? 0 : -1;
}

int rate_over(const char *key, long long window, long long max) { return rate_count(key, window) >= max; }

long long rate_since_last(const char *key)
{
	long long last = db_int("SELECT max(at) FROM rate_event WHERE key = ?", -1, "t", key);
	return last < 0 ? (1LL << 40) : u_now() - last;
}

int rate_clear(const char *key)
{
	return db_exec("DELETE FROM rate_event WHERE key = ?", "t", key) == SQLITE_DONE ? 0 : -1;
}
