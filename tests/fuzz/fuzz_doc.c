/*
 * fuzz_doc — doc_check on arbitrary bytes: libmagic's typing of an upload
 * and our own checks that a PDF, PNG or JPEG is whole. Whatever the bytes,
 * the answer is NULL with one of the three types, or one of the four
 * error keys with no type.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "broken promise: %s\n", #c); abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *mime = "unset";
	const char *err = doc_check(size ? data : NULL, size, &mime);
	if (!err) {
		CHECK(mime && (strcmp(mime, "application/pdf") == 0 || strcmp(mime, "image/png") == 0 ||
			       strcmp(mime, "image/jpeg") == 0));
	} else {
		CHECK(mime == NULL);
		CHECK(strcmp(err, "Err.file_empty") == 0 || strcmp(err, "Err.file_too_large") == 0 ||
		      strcmp(err, "Err.file_type") == 0 || strcmp(err, "Err.file_broken") == 0);
	}
	return 0;
}
