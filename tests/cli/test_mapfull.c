/* The map grows by itself: one import far larger than the initial 64 KiB
 * map commits whole (the transaction is run again after the map grew), and
 * a second process that opened the store with the small map keeps writing
 * after the first one grew it. */
#include "test.h"

#include <sys/wait.h>
#include <unistd.h>

#define GUARDIANS 1500

int main(void)
{
	char *dir = test_tmpdir("mapfull");
	poort_options tiny = { .initial_map_size = 64 * 1024 };
	poort *p = NULL, *other = NULL;
	json_t *doc, *list, *stats = NULL, *violations = NULL;
	char key[16];
	poort_id id;
	int status;
	pid_t pid;

	E(poort_open(dir, &tiny, &p));
	E(poort_open(dir, &tiny, &other));   /* a second handle: stands for another process's view */
	list = json_array();
	for (int i = 0; i < GUARDIANS; i++) {
		snprintf(key, sizeof key, "M%05d", i);
		json_array_append_new(list, json_pack("{ss ss ss ss}", "key", key, "first_name", "Noah", "last_name",
		                                      "Öztürk", "email", "noah.ozturk@example.com"));
	}
	doc = json_pack("{so}", "guardians", list);
	E(poort_import(p, POORT_ACTOR_CONSOLE, doc, NULL));
	json_decref(doc);
	E(poort_stats(p, POORT_ACTOR_CONSOLE, &stats));
	CHECK(json_integer_value(json_object_get(stats, "map_size")) > 64 * 1024, "map did not grow");
	printf("map grew to %lld bytes for one import of %d guardians\n",
	       (long long)json_integer_value(json_object_get(stats, "map_size")), GUARDIANS);
	json_decref(stats);
	E(poort_guardian_by_key(p, "M01499", &id));
	CHECK(id != 0, "last guardian missing");

	/* Another process, opened with the tiny map before the growth, writes
	 * and reads on. */
	fflush(NULL);
	if ((pid = fork()) == 0) {
		poort *q = NULL;
		doc = json_pack("{s[{ss ss ss}]}", "guardians", "key", "M-child", "first_name", "Fleur", "last_name", "Bos");
		if (poort_open(dir, &tiny, &q) || poort_import(q, POORT_ACTOR_CONSOLE, doc, NULL) ||
		    poort_guardian_by_key(q, "M00000", &id) || !id)
			_exit(1);
		json_decref(doc);
		poort_close(q);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "second process failed (%d)", status);
	doc = json_pack("{s[{ss ss ss}]}", "guardians", "key", "M-other", "first_name", "Sem", "last_name", "Kok");
	E(poort_import(other, POORT_ACTOR_CONSOLE, doc, NULL));   /* the stale small-map handle adopts the size */
	json_decref(doc);
	E(poort_guardian_by_key(other, "M-child", &id));
	CHECK(id != 0, "child's guardian not seen");
	E(poort_check(p, &violations));
	CHECK(json_array_size(violations) == 0, "%zu violations", json_array_size(violations));
	json_decref(violations);
	poort_close(other);
	poort_close(p);
	test_rmdir(dir);
	free(dir);
	return test_done("cli_mapfull");
}
