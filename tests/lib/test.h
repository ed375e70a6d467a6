/* test.h - the whole test framework: two macros and a temporary store.
 * Modeled on LMDB's mtest.c: plain programs, file:line on failure. */
#ifndef POORT_TEST_H
#define POORT_TEST_H

#include <poort/poort.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern int test_failures;

/* CHECK(cond, msg): a failed check is reported and counted; the test goes on. */
#define CHECK(cond, ...)                                                             \
	do {                                                                         \
		if (!(cond)) {                                                       \
			fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                                \
			fprintf(stderr, "\n");                                       \
			test_failures++;                                             \
		}                                                                    \
	} while (0)

/* E(expr): expr must return POORT_OK, otherwise the test stops here. */
#define E(expr)                                                                      \
	do {                                                                         \
		poort_err e_ = (expr);                                               \
		if (e_ != POORT_OK) {                                                \
			fprintf(stderr, "%s:%d: %s: %s (%s)\n", __FILE__, __LINE__, #expr, \
			        poort_errname(e_), poort_error_detail());            \
			exit(1);                                                     \
		}                                                                    \
	} while (0)

/* EXPECT_ERR(expr, err): expr must fail with exactly err. */
#define EXPECT_ERR(expr, want)                                                       \
	do {                                                                         \
		poort_err e_ = (expr);                                               \
		CHECK(e_ == (want), "%s gave %s, expected %s (%s)", #expr, poort_errname(e_), \
		      poort_errname(want), poort_error_detail());                     \
	} while (0)

/* A fresh empty directory under $TMPDIR; the caller frees the string.
 * test_rmdir() removes it again. */
char *test_tmpdir(const char *name);
void test_rmdir(const char *dir);
/* Pins the store's clock to local "YYYY-MM-DDTHH:MM". */
void test_set_now(poort *p, const char *local);
/* Ends main: prints "N passed, N failed"-style result and returns status. */
int test_done(const char *name);
/* Reads a whole file (caller frees); NULL if unreadable. */
char *test_read_file(const char *path);

#endif
