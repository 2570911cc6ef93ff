/*
 * rate.h — limits on how often something may happen (failed logins, codes
 * sent, public searches), counted in the rate_event table so that every
 * worker of every program sees the same counts. Keys are short texts such
 * as "login:ip:127.0.0.1" or "otp:phone:+77015550001"; `kgctl tick`
 * deletes events older than a day. Prefix rate_.
 */
#ifndef KG_RATE_H
#define KG_RATE_H

/* Events of key within the last window seconds. */
long long rate_count(const char *key, long long window);
/* Records one event of key now (joins the open transaction, if any).
 * 0 or -1. */
int rate_add(const char *key);
/* The same for a count that may miss an event rather than make a page
 * wait (the public search's): skipped while another connection holds the
 * write lock. Not for counts that guard a secret (passwords, codes). */
int rate_note(const char *key);
/* 1 when key already has max or more events within window (the caller
 * then refuses), else 0. */
int rate_over(const char *key, long long window, long long max);
/* Seconds since the newest event of key (a large number when none). */
long long rate_since_last(const char *key);
/* Forgets a key's events (e.g. failed logins after a success). */
int rate_clear(const char *key);

#endif
