/* Two processes on one store at once: a writer process keeps importing
 * guardians (starting from a tiny map, so it grows the map while the other
 * process has the store open) while the real poortctl imports CSV files and
 * makes backups. Both succeed; the store passes check; every backup opens,
 * passes check and holds a consistent snapshot (the writer's guardians form
 * an unbroken prefix: a transaction is in a backup whole or not at all). */
#include "test.h"
#include "ctl.h"

#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_WRITES 20000
#define CLI_ROUNDS 4
#define PUPILS_PER_FILE 60

static void key_of(char *buf, size_t len, uint32_t i)
{
	snprintf(buf, len, "W%05u", i);
}

/* Imports guardians W00000, W00001, ... until the parent closes the pipe
 * (or MAX_WRITES). Exit status 0 only if every import succeeded; the
 * number written goes back on the pipe. */
static void writer(const char *dir, int stop, int report)
{
	poort_options small = { .initial_map_size = 64 * 1024 };
	poort *p = NULL;
	uint32_t i = 0;
	poort_err err;

	if ((err = poort_open(dir, &small, &p))) {
		fprintf(stderr, "writer: open: %s (%s)\n", poort_errname(err), poort_error_detail());
		_exit(2);
	}
	for (; i < MAX_WRITES; i++) {
		struct pollfd pf = { stop, POLLIN, 0 };
		char key[16];
		json_t *doc;

		if (poll(&pf, 1, 0) > 0)
			break;   /* the parent is done: EOF on the pipe */
		key_of(key, sizeof key, i);
		doc = json_pack("{s[{ss ss ss ss}]}", "guardians", "key", key, "first_name", "Willem", "last_name",
		                "Schrijver", "email", "willem@example.com");
		err = poort_import(p, POORT_ACTOR_CONSOLE, doc, NULL);
		json_decref(doc);
		if (err) {
			fprintf(stderr, "writer: import %u: %s (%s)\n", i, poort_errname(err), poort_error_detail());
			_exit(3);
		}
	}
	poort_close(p);
	if (write(report, &i, sizeof i) != sizeof i)
		_exit(4);
	_exit(0);
}

/* Highest n such that W0..W(n-1) all exist, and whether nothing beyond. */
static uint32_t prefix(poort *p, uint32_t limit, bool *unbroken)
{
	uint32_t n = 0;
	char key[16];
	poort_id id;

	*unbroken = true;
	for (uint32_t i = 0; i < limit; i++) {
		key_of(key, sizeof key, i);
		id = 0;
		poort_guardian_by_key(p, key, &id);
		if (id && n != i)
			*unbroken = false;
		if (id && n == i)
			n = i + 1;
	}
	return n;
}

int main(void)
{
	char *dir = test_tmpdir("concurrent"), path[4200];
	int stop[2], report[2], status;
	uint32_t written = 0;
	poort *p = NULL;
	json_t *doc, *violations = NULL;
	pid_t pid;

	/* The store with its groups exists before the writer starts. */
	E(poort_open(dir, &(poort_options){ .initial_map_size = 64 * 1024 }, &p));
	doc = json_pack("{s[{ss s[i]}]}", "groups", "name", "5", "grades", 5);
	E(poort_import(p, POORT_ACTOR_CONSOLE, doc, NULL));
	json_decref(doc);
	poort_close(p);

	if (pipe(stop) || pipe(report)) {
		perror("pipe");
		return 1;
	}
	fflush(NULL);
	if ((pid = fork()) == 0) {
		close(stop[1]);
		close(report[0]);
		writer(dir, stop[0], report[1]);
	}
	close(stop[0]);
	close(report[1]);

	/* Meanwhile: CSV imports and backups through the real binary. */
	for (int r = 0; r < CLI_ROUNDS; r++) {
		char csv[4096], bak[4096], bdir[4096], line[160];
		FILE *f;
		ctl_result res;

		snprintf(csv, sizeof csv, "%s/leerlingen-%d.csv", dir, r);
		f = fopen(csv, "w");
		fputs("leerlingnummer;voornaam;achternaam;geboortedatum;groep\n", f);
		for (int i = 0; i < PUPILS_PER_FILE; i++) {
			snprintf(line, sizeof line, "L%d%03d;Fleur;de Boer;2017-0%d-1%d;5\n", r, i, 1 + i % 9, i % 10);
			fputs(line, f);
		}
		fclose(f);
		res = ctl_run("--data", dir, "import", "--kind", "pupils", csv, NULL);
		CHECK(res.status == 0, "round %d: import: %d %s", r, res.status, res.err);
		ctl_free(&res);

		snprintf(bak, sizeof bak, "%s/backup-%d.mdb", dir, r);
		res = ctl_run("--data", dir, "backup", bak, NULL);
		CHECK(res.status == 0, "round %d: backup: %d %s", r, res.status, res.err);
		ctl_free(&res);
		snprintf(bdir, sizeof bdir, "%s/restored-%d", dir, r);
		snprintf(path, sizeof path, "%s/data.mdb", bdir);
		mkdir(bdir, 0700);
		CHECK(rename(bak, path) == 0, "round %d: move backup", r);
	}
	close(stop[1]);   /* the writer stops at its next operation */
	if (read(report[0], &written, sizeof written) != sizeof written)
		written = 0;
	close(report[0]);
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer status %d", status);
	CHECK(written > 0, "the writer wrote nothing");
	printf("writer: %u imports while poortctl ran %d imports and %d backups\n", written, CLI_ROUNDS, CLI_ROUNDS);

	/* The live store: everything from both processes, no violations. */
	E(poort_open(dir, NULL, &p));
	E(poort_check(p, &violations));
	CHECK(json_array_size(violations) == 0, "%zu violations", json_array_size(violations));
	json_decref(violations);
	{
		bool unbroken;
		uint32_t n = prefix(p, written + 10, &unbroken);
		CHECK(n == written && unbroken, "writer's guardians: %u of %u", n, written);
		for (int r = 0; r < CLI_ROUNDS; r++) {
			char key[16];
			poort_id id = 0;
			snprintf(key, sizeof key, "L%d%03d", r, PUPILS_PER_FILE - 1);
			poort_pupil_by_key(p, key, &id);
			CHECK(id != 0, "pupil %s of the CLI import missing", key);
		}
	}
	poort_close(p);

	/* Each backup: a store of its own, consistent, with the CLI's imports
	 * up to its round. */
	for (int r = 0; r < CLI_ROUNDS; r++) {
		char bdir[4096], key[16];
		poort_id id = 0;
		bool unbroken;
		uint32_t n;

		snprintf(bdir, sizeof bdir, "%s/restored-%d", dir, r);
		E(poort_open(bdir, NULL, &p));
		E(poort_check(p, &violations));
		CHECK(json_array_size(violations) == 0, "backup %d: %zu violations", r, json_array_size(violations));
		json_decref(violations);
		n = prefix(p, written + 10, &unbroken);
		CHECK(unbroken && n <= written, "backup %d: writer's guardians not a prefix (%u)", r, n);
		snprintf(key, sizeof key, "L%d%03d", r, 0);
		poort_pupil_by_key(p, key, &id);
		CHECK(id != 0, "backup %d lacks the import made before it", r);
		printf("backup %d: %u of the writer's guardians\n", r, n);
		poort_close(p);
	}
	test_rmdir(dir);
	free(dir);
	return test_done("cli_concurrent");
}
