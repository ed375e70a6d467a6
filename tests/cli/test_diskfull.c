/* A full disk, injected: the real poortctl runs an import with the
 * enospc.c shim preloaded, which lets the store's files take N bytes and
 * then fails every write and sync with ENOSPC. For a range of N: either the
 * import succeeds whole, or it fails with the disk-full message and nothing
 * of it is in the store. Either way the store opens afterwards, passes
 * check, and (with space again) takes the same import. */
#include "test.h"
#include "ctl.h"

#include <sys/stat.h>
#include <unistd.h>

#define PUPILS 120

static void copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	char buf[65536];
	size_t n;

	if (!in || !out) {
		perror("copy");
		exit(1);
	}
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	if (fclose(out) != 0)
		exit(1);
}

static int count_pupils(const char *dir)
{
	poort *p = NULL;
	json_t *violations = NULL;
	int n = 0;

	E(poort_open(dir, NULL, &p));
	E(poort_check(p, &violations));
	CHECK(json_array_size(violations) == 0, "%s: %zu violations", dir, json_array_size(violations));
	json_decref(violations);
	for (int i = 0; i < PUPILS; i++) {
		char key[16];
		poort_id id = 0;
		snprintf(key, sizeof key, "L%04d", i);
		poort_pupil_by_key(p, key, &id);
		n += id != 0;
	}
	poort_close(p);
	return n;
}

int main(void)
{
	/* Fixed small budgets, then budgets around what the import really
	 * writes (measured first): the last write of a commit is LMDB's meta
	 * page, the one that makes the transaction visible. */
	unsigned long long limits[16] = { 0, 1, 4096, 8192, 20000 }, total = 0;
	size_t nlimits = 5;
	bool measured = false;
	const char *shim = getenv("POORT_ENOSPC_SHIM"), *asan = getenv("ASAN_OPTIONS");
	char *base = test_tmpdir("diskfull"), pristine[4096], csv[4096], line[128], asan_env[1024];
	int failures = 0, successes = 0;
	poort *p = NULL;
	json_t *doc;
	FILE *f;

	if (!shim) {
		fprintf(stderr, "POORT_ENOSPC_SHIM is not set (run through ctest)\n");
		return 1;
	}
	/* ASan wants to be first in the library list; the shim comes first. */
	snprintf(asan_env, sizeof asan_env, "ASAN_OPTIONS=%s%sverify_asan_link_order=0", asan ? asan : "",
	         asan && *asan ? ":" : "");
	snprintf(pristine, sizeof pristine, "%s/pristine", base);
	E(poort_open(pristine, NULL, &p));
	doc = json_pack("{s[{ss s[i]}]}", "groups", "name", "6", "grades", 6);
	E(poort_import(p, POORT_ACTOR_CONSOLE, doc, NULL));
	json_decref(doc);
	poort_close(p);
	snprintf(csv, sizeof csv, "%s/leerlingen.csv", base);
	f = fopen(csv, "w");
	fputs("leerlingnummer,voornaam,tussenvoegsel,achternaam,geboortedatum,groep,medische_gegevens\n", f);
	for (int i = 0; i < PUPILS; i++) {
		snprintf(line, sizeof line, "L%04d,Sem,van der,Linden,2016-05-%02d,6,Astma; puffer in de tas\n", i, 1 + i % 28);
		fputs(line, f);
	}
	fclose(f);

	for (size_t k = 0; k <= nlimits; k++) {
		char dir[4096], from[4200], to[4200], after[64], dir_env[4200], preload[4200], report[4200],
		     report_env[4300];
		const char *env[] = { preload, dir_env, after, asan_env, report_env, NULL };
		ctl_result r;
		int n;

		snprintf(dir, sizeof dir, "%s/run-%zu", base, k);
		mkdir(dir, 0700);
		snprintf(from, sizeof from, "%s/data.mdb", pristine);
		snprintf(to, sizeof to, "%s/data.mdb", dir);
		copy_file(from, to);
		snprintf(preload, sizeof preload, "LD_PRELOAD=%s", shim);
		snprintf(dir_env, sizeof dir_env, "POORT_ENOSPC_DIR=%s", dir);
		snprintf(report, sizeof report, "%s/written", base);
		snprintf(report_env, sizeof report_env, "POORT_ENOSPC_REPORT=%s", report);
		if (!measured && k == nlimits)   /* the measuring run: room enough */
			limits[k] = 1ull << 40;
		snprintf(after, sizeof after, "POORT_ENOSPC_AFTER=%llu", limits[k]);
		r = ctl_run_env(env, "--data", dir, "--lang", "en", "import", "--kind", "pupils", csv, NULL);
		n = count_pupils(dir);
		if (!measured && k == nlimits) {
			char *text = test_read_file(report);
			total = text ? strtoull(text, NULL, 10) : 0;
			free(text);
			CHECK(r.status == 0 && total > 8192, "measuring run: %d, %llu bytes: %s", r.status, total, r.err);
			printf("the import writes %llu bytes\n", total);
			if (total > 8192 && nlimits + 6 < sizeof limits / sizeof limits[0]) {
				unsigned long long extra[] = { total / 4, total / 2, total - 8193, total - 4097, total - 1, total };
				for (size_t x = 0; x < 6; x++)
					limits[++nlimits] = extra[x];
			}
			measured = true;
			ctl_free(&r);
			continue;
		}
		if (r.status == 0) {
			successes++;
			CHECK(n == PUPILS, "limit %llu: import succeeded but %d of %d pupils", limits[k], n, PUPILS);
		} else {
			failures++;
			CHECK(r.status == 1, "limit %llu: exit %d: %s", limits[k], r.status, r.err);
			CHECK(strstr(r.err, poort_message("en", POORT_E_DISK_FULL)) && strstr(r.err, "Nothing was imported"),
			      "limit %llu: unclear message: %s", limits[k], r.err);
			CHECK(n == 0, "limit %llu: failed import left %d pupils", limits[k], n);
			ctl_free(&r);
			/* Space again: the same import goes through. */
			r = ctl_run("--data", dir, "import", "--kind", "pupils", csv, NULL);
			CHECK(r.status == 0, "limit %llu: import after the disk was freed: %s", limits[k], r.err);
			CHECK(count_pupils(dir) == PUPILS, "limit %llu: second import incomplete", limits[k]);
		}
		printf("limit %8llu bytes: %s\n", limits[k], n == PUPILS ? "imported" : "disk full, nothing written");
		ctl_free(&r);
	}
	CHECK(failures >= 3 && successes >= 1, "%d failures, %d successes: the limits miss the import", failures,
	      successes);
	test_rmdir(base);
	free(base);
	return test_done("cli_diskfull");
}
