/* ctl.h - running the real poortctl binary from a test. */
#ifndef POORT_TEST_CTL_H
#define POORT_TEST_CTL_H

#include <stddef.h>

typedef struct ctl_result {
	int status;    /* exit code, or 128+signal */
	char *out;     /* stdout, NUL-terminated (caller frees via ctl_free) */
	char *err;     /* stderr */
} ctl_result;

/* Runs $POORTCTL with the NULL-terminated arguments; env (may be NULL) is a
 * NULL-terminated list of "NAME=value" added to the environment. */
ctl_result ctl_run_env(const char *const *env, ...) __attribute__((sentinel));
#define ctl_run(...) ctl_run_env(NULL, __VA_ARGS__)
void ctl_free(ctl_result *r);
/* Writes text to path; exits the test on failure. */
void write_file(const char *path, const char *text, size_t len);

#endif
