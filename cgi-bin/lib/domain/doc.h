/*
 * doc.h — documents: files the applicants upload and files the system
 * generates (PDF), kept outside htdocs under Paths.Files, named by their
 * SHA-256 (the same bytes are stored once), recorded in the `document`
 * table of their application.
 *
 *   const char *mime;
 *   const char *err = doc_check(f->data, f->len, &mime);   // lang key or NULL
 *   if (err) { view_field_error(r, "form065", err); ... }
 *   char sha[65];
 *   if (doc_store(f->data, f->len, sha) < 0) ...            // before the transaction
 *   db_begin(); ... doc_add(...); ... db_commit();
 *
 * Store first, record second: a stored file without a row is harmless (the
 * same name is reused by the next identical upload); a row never points at
 * a file that is not there, except an applicant's file replaced by a newer
 * one, which doc_sweep removes unless a signature names it (the journal
 * still lists the replaced row; its download answers 404). Files left
 * without a row (their transaction failed, or lost to an identical one) are
 * removed by doc_sweep once they are a day old; reusing a stored file renews its time, so the sweep never
 * takes a file a transaction has just counted on. Downloads are authorised by the caller's own
 * query (joining through the account's applications, DDOs or districts);
 * doc_read only gives the bytes of a row the caller has found.
 * Prefix doc_.
 */
#ifndef KG_DOC_H
#define KG_DOC_H

#include <stddef.h>

#include "base/util.h"

/* Once per process (libmagic's database). 0 or -1 (logged). */
int doc_init(void);
void doc_free(void);

/* The largest file an applicant may upload: Upload.FileMaxBytes. */
long long doc_max_bytes(void);

/* Checks an uploaded file: not empty, not above doc_max_bytes(), and by its
 * content (libmagic, never the name or the client's type) a PDF, JPEG or
 * PNG that is whole (a PDF has its header, cross-reference and end marker;
 * a PNG its IEND chunk; a JPEG its end-of-image marker). On success sets
 * *mime to "application/pdf", "image/jpeg" or "image/png" and returns
 * NULL; otherwise returns the lang key of the reason: Err.file_empty,
 * Err.file_too_large, Err.file_type (neither PDF, JPEG nor PNG) or
 * Err.file_broken (the header says so but the file is cut or damaged). */
const char *doc_check(const void *p, size_t n, const char **mime);

/* The client's file name as it may be stored and shown: the last path
 * element, valid UTF-8 without control characters, at most 200 bytes (cut
 * on a character boundary); "<kind>.<ext of mime>" (in the arena) when
 * nothing usable is left. The browser's name is untrusted: it may be
 * megabytes long, carry a path, NULs or broken UTF-8. */
const char *doc_clean_filename(struct arena *a, const char *name, const char *kind, const char *mime);

/* Writes the bytes under Paths.Files/<2 hex>/<sha256> (atomically; an
 * existing identical file is kept, its modification time renewed) and puts
 * the lower-case hex SHA-256 in sha. 0 or -1 (logged). */
int doc_store(const void *p, size_t n, char sha[65]);

/* May the applicant of a referral upload one more file of len bytes now?
 * NULL, or the lang key of the refusal: Abuse.upload_day (already
 * Upload.PerReferralPerDay uploads for the referral in the last 24 hours)
 * or Abuse.upload_total (its files still stored, current and replaced ones
 * the sweep has not yet removed, would pass Upload.MaxBytesPerReferral).
 * Together with the sweep this bounds what one referral keeps: its three
 * current forms. */
const char *doc_upload_allowed(long long referral_id, size_t len, long long now);

/* Removes from Paths.Files the files no current document row, no signature
 * and no guardian request names (doc.c, named) that were last
 * written or reused more than min_age seconds before now, and the
 * temporary files of writes that died as long ago. Safe while the screens
 * store files: a file is first moved aside, looked up again and checked
 * for a renewed time before it goes (doc_store writes a file anew when it
 * cannot renew one). Returns the number removed, or -1 (logged). */
int doc_sweep(long long now, long long min_age);

/* Records a document in the caller's transaction. referral_id 0 = none;
 * number NULL = none; created_by 0 = the system. Returns the row id or -1
 * (a rule of the schema refused it). */
long long doc_add(long long application_id, long long referral_id, const char *kind, const char *origin,
		  const char *sha, size_t size, const char *mime, const char *filename, const char *number,
		  long long created_by);

/* Generated documents (referral, contract, child card, decisions): a new
 * random check code (22 characters, base64url) for the QR code, whose URL
 * doc_check_url gives (App.BaseUrl + "/check/" + code, in the arena). */
int doc_new_check_code(char code[23]);
const char *doc_check_url(struct arena *a, const char *code);
/* Stores a generated PDF and records it (origin 'system') with its check
 * code, in the caller's transaction. Returns the row id or -1. */
long long doc_add_generated(long long application_id, long long referral_id, const char *kind, const char *number,
			    const char *check_code, const struct buf *pdf, const char *filename, long long created_by);

/* Reads a stored file: malloc'd bytes (caller frees), or NULL when it is
 * missing or its content no longer has that SHA-256 (logged): a screen
 * sends them (req_send) after its own query found the row, or answers 404. */
unsigned char *doc_read(const char *sha, size_t *len);

#endif
