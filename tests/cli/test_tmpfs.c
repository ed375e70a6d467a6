/* A really full disk: a 1 MiB tmpfs (mounted in a private mount namespace,
 * needs root or CAP_SYS_ADMIN; skipped with exit 77 otherwise). Imports
 * fill it until one fails: that failure is POORT_E_DISK_FULL, the store
 * still opens, passes check, and holds exactly the imports that succeeded. */
#include "test.h"

#include <errno.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define SKIP 77
#define BATCH 40
#define MAX_BATCHES 400

static json_t *batch(int b)
{
	json_t *g = json_array();
	char key[32], street[64];

	for (int i = 0; i < BATCH; i++) {
		snprintf(key, sizeof key, "T%03d-%02d", b, i);
		snprintf(street, sizeof street, "Lange Nieuwstraat %d", 1 + i);
		json_array_append_new(g, json_pack("{ss ss ss ss ss s{ss ss ss}}", "key", key, "first_name", "Anouk",
		                                   "middle_name", "van der", "last_name", "Veen", "email",
		                                   "anouk.vanderveen@example.com", "address", "street", street, "postcode",
		                                   "3811 AB", "city", "Amersfoort"));
	}
	return json_pack("{so}", "guardians", g);
}

static bool has(poort *p, int b, int i)
{
	char key[32];
	poort_id id = 0;

	snprintf(key, sizeof key, "T%03d-%02d", b, i);
	poort_guardian_by_key(p, key, &id);
	return id != 0;
}

static int run(const char *dir)
{
	poort *p = NULL;
	json_t *doc, *violations = NULL;
	poort_err err = POORT_OK;
	int b;

	E(poort_open(dir, NULL, &p));
	for (b = 0; b < MAX_BATCHES; b++) {
		doc = batch(b);
		err = poort_import(p, POORT_ACTOR_CONSOLE, doc, NULL);
		json_decref(doc);
		if (err)
			break;
	}
	CHECK(b < MAX_BATCHES, "the disk never filled");
	CHECK(err == POORT_E_DISK_FULL, "batch %d failed with %s (%s), not disk_full", b, poort_errname(err),
	      poort_error_detail());
	printf("disk full at batch %d: %s (%s)\n", b, poort_message("nl", err), poort_error_detail());
	poort_close(p);

	/* Reopen: intact, and exactly the batches that succeeded. */
	E(poort_open(dir, NULL, &p));
	E(poort_check(p, &violations));
	CHECK(json_array_size(violations) == 0, "%zu violations after disk full", json_array_size(violations));
	json_decref(violations);
	for (int k = 0; k < b; k++)
		CHECK(has(p, k, 0) && has(p, k, BATCH - 1), "batch %d lost", k);
	for (int i = 0; i < BATCH; i++)
		CHECK(!has(p, b, i), "failed batch %d left guardian %d", b, i);
	/* A later write either fits or fails the same clear way. */
	doc = json_pack("{ss}", "name", "OBS Na de volle schijf");
	err = poort_school_update(p, POORT_ACTOR_CONSOLE, doc);
	json_decref(doc);
	CHECK(err == POORT_OK || err == POORT_E_DISK_FULL, "write after full: %s", poort_errname(err));
	poort_close(p);
	return test_failures ? 1 : 0;
}

int main(void)
{
	char *base = test_tmpdir("tmpfs"), dir[4096];
	int status;
	pid_t pid;

	snprintf(dir, sizeof dir, "%s/mnt", base);
	mkdir(dir, 0700);
	fflush(NULL);
	if ((pid = fork()) == 0) {
		/* The mount lives only in this child's private namespace. */
		if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
		    mount("tmpfs", dir, "tmpfs", 0, "size=1m,mode=0700") != 0) {
			printf("SKIPPED: cannot mount a tmpfs here (%s); cli_diskfull covers ENOSPC by injection\n",
			       strerror(errno));
			fflush(NULL);
			_exit(SKIP);
		}
		status = run(dir);
		umount(dir);
		fflush(NULL);
		_exit(status);
	}
	waitpid(pid, &status, 0);
	test_rmdir(base);
	free(base);
	if (WIFEXITED(status) && WEXITSTATUS(status) == SKIP)
		return SKIP;
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
	return test_done("cli_tmpfs");
}
