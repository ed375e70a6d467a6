/* A long-running process (poortd, the kiosk) meets a full disk and goes on.
 * The disk fills at every point of a commit in turn - the data pages, the
 * last byte before LMDB's meta page, the meta page itself - on ONE store
 * handle. Each time the write fails with POORT_E_DISK_FULL and changes
 * nothing; as soon as there is space again the same handle writes, without
 * a restart (a failed meta-page write makes LMDB refuse the environment
 * until it is reopened: the store must do that by itself). */
#include "test.h"

#include <dlfcn.h>
#include <unistd.h>

static unsigned long long (*written)(void);

static poort_err set_name(poort *p, const char *name)
{
	json_t *v = json_pack("{ss}", "name", name);
	poort_err err = poort_school_update(p, POORT_ACTOR_CONSOLE, v);
	json_decref(v);
	return err;
}

static char *name_of(poort *p)
{
	json_t *s = NULL;
	char *name;

	E(poort_school_get(p, POORT_ACTOR_ANONYMOUS, &s));
	name = strdup(json_string_value(json_object_get(s, "name")));
	json_decref(s);
	return name;
}

int main(int argc, char **argv)
{
	const char *shim = getenv("POORT_ENOSPC_SHIM");
	char *dir, budget[64], name[64];
	unsigned long long before, per_commit;
	int failures = 0;
	json_t *stats;
	poort *p;

	(void)argc;
	if (!shim) {
		fprintf(stderr, "POORT_ENOSPC_SHIM is not set (run through ctest)\n");
		return 1;
	}
	written = (unsigned long long (*)(void))dlsym(RTLD_DEFAULT, "poort_enospc_written");
	if (!written) {
		/* Not preloaded yet: run again with the shim first in line. */
		const char *asan = getenv("ASAN_OPTIONS");
		char opts[1024];
		snprintf(opts, sizeof opts, "%s%sverify_asan_link_order=0", asan ? asan : "", asan && *asan ? ":" : "");
		setenv("ASAN_OPTIONS", opts, 1);
		setenv("LD_PRELOAD", shim, 1);
		execv("/proc/self/exe", argv);
		perror("execv");
		return 1;
	}
	unsetenv("LD_PRELOAD");   /* not for anything this test might start */
	dir = test_tmpdir("diskfull-live");
	setenv("POORT_ENOSPC_DIR", dir, 1);
	E(poort_open(dir, NULL, &p));

	/* How much one such commit writes, with room to spare. */
	before = written();
	E(set_name(p, "Measure"));
	per_commit = written() - before;
	CHECK(per_commit >= 8192, "a commit writes data pages and a meta page: %llu bytes", per_commit);

	/* Budgets from "nothing more" to "all but the last byte" of a commit. */
	for (unsigned long long room = 0; room < per_commit; room += room < 4096 ? 1024 : 2048) {
		unsigned long long at[] = { room, per_commit - 1 };
		for (int k = 0; k < 2; k++) {
			snprintf(budget, sizeof budget, "%llu", written() + at[k]);
			snprintf(name, sizeof name, "Room %llu", at[k]);
			setenv("POORT_ENOSPC_AFTER", budget, 1);
			poort_err err = set_name(p, name);
			unsetenv("POORT_ENOSPC_AFTER");
			if (err == POORT_OK)
				continue;   /* this commit needed less than usual */
			failures++;
			CHECK(err == POORT_E_DISK_FULL, "room %llu: %s (%s)", at[k], poort_errname(err), poort_error_detail());
			char *now = name_of(p);
			CHECK(strcmp(now, name) != 0, "room %llu: the failed write is visible", at[k]);
			free(now);
			/* Space again: the same handle writes at once. */
			snprintf(name, sizeof name, "After %llu", at[k]);
			E(set_name(p, name));
			now = name_of(p);
			CHECK(strcmp(now, name) == 0, "room %llu: write after the disk was freed is missing", at[k]);
			free(now);
		}
	}
	E(poort_stats(p, POORT_ACTOR_CONSOLE, &stats));
	printf("%d full-disk commits; environment reopened %lld times\n", failures,
	       (long long)json_integer_value(json_object_get(stats, "reopens")));
	CHECK(failures >= 4, "only %d commits met the full disk", failures);
	CHECK(json_integer_value(json_object_get(stats, "reopens")) >= 1,
	      "no budget hit the meta page: the reopen path was not exercised");
	json_decref(stats);
	poort_close(p);

	/* And another process finds a consistent store. */
	{
		json_t *violations = NULL;
		E(poort_open(dir, NULL, &p));
		E(poort_check(p, &violations));
		CHECK(json_array_size(violations) == 0, "%zu violations", json_array_size(violations));
		json_decref(violations);
		poort_close(p);
	}
	test_rmdir(dir);
	free(dir);
	return test_done("cli_diskfull_live");
}
