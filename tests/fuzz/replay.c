/*
 * replay — runs a fuzz target's LLVMFuzzerTestOneInput over saved inputs
 * without libFuzzer, so `make check` (gcc, AddressSanitizer and UBSan)
 * keeps every corpus file and every input that once crashed passing.
 *
 *   build/fuzz-replay/request tests/fuzz/corpus/request tests/fuzz/regress/request
 *
 * Arguments are files or directories (every regular file inside). Prints
 * one TAP line per directory and the tally "N passed, N failed"; a crash
 * ends the process with the sanitizer's report, followed by the name of
 * the input (ASAN_OPTIONS=handle_abort=1 for a broken promise's abort).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sanitizer/common_interface_defs.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static char current[4096];

/* A crash names its input; a leak is found at exit, after the last one. */
static void died(void) { fprintf(stderr, "replay: the input (or, for a leak, the last input) was %s\n", current); }

static int one(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return -1;
	}
	size_t cap = 4096, n = 0;
	unsigned char *b = malloc(cap);
	size_t got;
	while (b && (got = fread(b + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			unsigned char *nb = realloc(b, cap *= 2);
			if (!nb) {
				free(b);
				b = NULL;
			}
			b = nb;
		}
	}
	fclose(f);
	if (!b)
		return -1;
	snprintf(current, sizeof current, "%s", path);
	/* An exact-size copy, so reading one byte past the input is caught. */
	unsigned char *exact = malloc(n ? n : 1);
	if (!exact) {
		free(b);
		return -1;
	}
	memcpy(exact, b, n);
	free(b);
	LLVMFuzzerTestOneInput(exact, n);
	free(exact);
	return 0;
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv)
{
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	__sanitizer_set_death_callback(died);
	int pass = 0, fail = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			printf("not ok %d - %s: missing\n", pass + fail + 1, argv[i]);
			fail++;
			continue;
		}
		long files = 0, bad = 0;
		if (S_ISDIR(st.st_mode)) {
			DIR *d = opendir(argv[i]);
			char **names = NULL;
			size_t nn = 0;
			struct dirent *de;
			while (d && (de = readdir(d))) {
				if (de->d_name[0] == '.')
					continue;
				char **nv = realloc(names, (nn + 1) * sizeof *names);
				if (!nv)
					break;
				names = nv;
				names[nn++] = strdup(de->d_name);
			}
			if (d)
				closedir(d);
			qsort(names, nn, sizeof *names, cmp);
			for (size_t j = 0; j < nn; j++) {
				char path[4096];
				snprintf(path, sizeof path, "%s/%s", argv[i], names[j]);
				files++;
				if (one(path) < 0)
					bad++;
				free(names[j]);
			}
			free(names);
		} else {
			files = 1;
			bad = one(argv[i]) < 0;
		}
		if (bad) {
			printf("not ok %d - %s: %ld of %ld inputs unreadable\n", pass + fail + 1, argv[i], bad, files);
			fail++;
		} else {
			printf("ok %d - %s: %ld inputs\n", pass + fail + 1, argv[i], files);
			pass++;
		}
	}
	printf("%d passed, %d failed\n", pass, fail);
	return fail != 0;
}
