/* Several threads write and read one store while its map grows: every write
 * lands, the change log stays gap-free, and readers never see an error. */
#include "test.h"

#include <pthread.h>

#define THREADS 4
#define WRITES 150

static poort *p;
static int write_errors, read_errors;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void *writer(void *arg)
{
	char name[160];
	long n = (long)arg;

	for (int i = 0; i < WRITES; i++) {
		snprintf(name, sizeof name, "Thread %ld write %03d, padded to grow the map quickly ............", n, i);
		json_t *v = json_pack("{ss}", "name", name);
		if (poort_school_update(p, POORT_ACTOR_CONSOLE, v) != POORT_OK) {
			pthread_mutex_lock(&mu);
			write_errors++;
			pthread_mutex_unlock(&mu);
		}
		json_decref(v);
	}
	return NULL;
}

static void *reader(void *arg)
{
	(void)arg;
	for (int i = 0; i < WRITES * 2; i++) {
		json_t *s = NULL;
		if (poort_school_get(p, POORT_ACTOR_ANONYMOUS, &s) != POORT_OK || !json_object_get(s, "name")) {
			pthread_mutex_lock(&mu);
			read_errors++;
			pthread_mutex_unlock(&mu);
		}
		json_decref(s);
	}
	return NULL;
}

int main(void)
{
	char *dir = test_tmpdir("threads");
	poort_options small = { .initial_map_size = 128 * 1024 };
	pthread_t w[THREADS], r[2];
	json_t *log = NULL, *e, *stats;
	size_t i;
	uint64_t expect = 1;

	E(poort_open(dir, &small, &p));
	for (long t = 0; t < THREADS; t++)
		pthread_create(&w[t], NULL, writer, (void *)t);
	for (int t = 0; t < 2; t++)
		pthread_create(&r[t], NULL, reader, NULL);
	for (int t = 0; t < THREADS; t++)
		pthread_join(w[t], NULL);
	for (int t = 0; t < 2; t++)
		pthread_join(r[t], NULL);
	CHECK(write_errors == 0, "%d writes failed", write_errors);
	CHECK(read_errors == 0, "%d reads failed", read_errors);

	E(poort_stats(p, POORT_ACTOR_CONSOLE, &stats));
	CHECK(json_integer_value(json_object_get(stats, "map_size")) > 128 * 1024, "map grew");
	json_decref(stats);

	/* Gap-free: 1 (settings) + 1 (schema version) + THREADS * WRITES entries, seq 1..N. */
	E(poort_changelog_read(p, POORT_ACTOR_CONSOLE, 0, 100000, &log));
	CHECK(json_array_size(log) == 2 + THREADS * WRITES, "changelog has %zu entries", json_array_size(log));
	json_array_foreach(log, i, e) {
		CHECK((uint64_t)json_integer_value(json_object_get(e, "seq")) == expect, "seq %zu", i);
		expect++;
	}
	json_decref(log);
	EXPECT_ERR(poort_changelog_read(p, 12345, 0, 10, &log), POORT_E_DENIED);
	CHECK(log == NULL, "no log for a denied reader");

	poort_close(p);
	test_rmdir(dir);
	free(dir);
	return test_done("core_store_threads");
}
