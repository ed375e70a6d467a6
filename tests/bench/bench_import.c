/* Import with secrets: poort_import hashes every PIN/password with argon2id
 * (production parameters) before its write transaction, on both cores.
 * Baseline, measured in the same run: the same number of argon2id hashes
 * one after another. A ratio near 0.5 means both cores were used; on a
 * machine shared with other work it will be higher. Prints figures only. */
#include "test.h"

#include <argon2.h>
#include <time.h>

#define SECRETS 16

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(void)
{
	char *dir = test_tmpdir("bench-import");
	poort *p;
	json_t *doc = json_pack("{s[{ss s[i]}] s[]}", "groups", "name", "1", "grades", 1, "guardians"), *report;
	unsigned char salt[16] = "poort-bench-salt";
	char enc[128], key[16], code[8];
	double t0, baseline, import;

	unsetenv("POORT_KDF");   /* production parameters: what the box pays */
	for (int i = 0; i < SECRETS; i++) {
		snprintf(key, sizeof key, "G%03d", i);
		snprintf(code, sizeof code, "%06d", 200000 + i);
		json_array_append_new(json_object_get(doc, "guardians"),
		                      json_pack("{ss ss ss ss ss}", "key", key, "first_name", "Ouder", "last_name", key,
		                                "parent_code", code, "pin", "12345"));
	}
	t0 = now_ms();
	for (int i = 0; i < SECRETS; i++)
		if (argon2id_hash_encoded(2, 19456, 1, "12345", 5, salt, sizeof salt, 32, enc, sizeof enc) != ARGON2_OK)
			return 1;
	baseline = now_ms() - t0;

	E(poort_open(dir, NULL, &p));
	t0 = now_ms();
	E(poort_import(p, POORT_ACTOR_CONSOLE, doc, &report));
	import = now_ms() - t0;
	CHECK(json_integer_value(json_object_get(report, "guardians")) == SECRETS, "all imported");
	printf("bench_import: %d PINs, sequential argon2id baseline %.0f ms, import %.0f ms, ratio %.2f\n", SECRETS,
	       baseline, import, import / baseline);
	json_decref(report);
	json_decref(doc);
	poort_close(p);
	test_rmdir(dir);
	free(dir);
	return test_done("bench_import");
}
