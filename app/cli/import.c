/* import.c - poortctl import: CSV files -> one school document (import_csv.c)
 * -> one poort_import (one write transaction, all or nothing). Errors name
 * file, line and column.
 */
#include "cli.h"
#include "import_csv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* "file:line: field 'col': message" to stderr. */
static int row_error(const cli *c, const char *file, size_t line, const char *col, const char *msg)
{
	if (col)
		fprintf(stderr, "poortctl: %s:%zu: %s '%s': %s\n", file, line, T(c, N_("field")), col, msg);
	else
		fprintf(stderr, "poortctl: %s:%zu: %s\n", file, line, msg);
	return EXIT_FAILED;
}

static int problem_error(const cli *c, const import_problem *pr)
{
	char msg[300];

	if (pr->got || pr->want)
		snprintf(msg, sizeof msg, "%zu %s %zu", pr->got, T(c, pr->msgid), pr->want);
	else
		snprintf(msg, sizeof msg, "%s", pr->msgid ? T(c, pr->msgid) : "");
	return row_error(c, pr->file, pr->line, pr->column[0] ? pr->column : NULL, msg);
}

static int add_file(const cli *c, import_csv *st, const char *kind, const char *file)
{
	size_t len = 0;
	char *buf = cli_read_file(file, &len);
	import_problem pr;
	int rc = EXIT_OK;

	if (!buf) {
		fprintf(stderr, "poortctl: %s: %s\n", file, strerror(errno));
		return EXIT_FAILED;
	}
	if (import_csv_add(st, kind, file, buf, len, &pr) != 0)
		rc = problem_error(c, &pr);
	free(buf);
	return rc;
}

/* Prints the import error. The detail looks like "pupils[12].birth_date",
 * "pupils[12].group: unknown group" or "links[3]: ..."; anything else is
 * printed as it is. */
static int import_error(const cli *c, const import_csv *st, poort_err err)
{
	const char *detail = poort_error_detail();
	import_problem pr;
	char msg[700];

	snprintf(msg, sizeof msg, "%s%s%s%s", poort_message(c->lang, err), *detail ? " (" : "", detail,
	         *detail ? ")" : "");
	if (import_csv_locate(st, detail, &pr))
		return row_error(c, pr.file, pr.line, pr.column[0] ? pr.column : NULL, msg);
	fprintf(stderr, "poortctl: import: %s\n", msg);
	return EXIT_FAILED;
}

static void print_report(const cli *c, const json_t *report)
{
	const char *k;
	json_t *v;
	bool first = true;

	printf("%s", T(c, N_("Imported:")));
	json_object_foreach((json_t *)report, k, v) {
		if (json_is_integer(v)) {
			printf("%s %s %lld", first ? "" : ",", k, (long long)json_integer_value(v));
			first = false;
		}
	}
	printf("\n");
}

int cmd_import(cli *c, int argc, char **argv)
{
	import_csv *st = import_csv_new();
	const char *k = NULL;
	json_t *report = NULL;
	poort *p = NULL;
	poort_err err;
	int rc = EXIT_OK, nfiles = 0;

	if (!st)
		return cli_fail(c, POORT_E_NOMEM, "import");
	/* "--kind K FILE... [--kind K FILE...]": files belong to the kind before them. */
	for (int i = 1; i < argc && rc == EXIT_OK; i++) {
		const char *name = NULL;
		if (strcmp(argv[i], "--kind") == 0 || strcmp(argv[i], "-k") == 0) {
			if (i + 1 == argc) {
				rc = cli_usage(c, "import: --kind: %s", T(c, N_("the kind is missing")));
				break;
			}
			name = argv[++i];
		} else if (strncmp(argv[i], "--kind=", 7) == 0) {
			name = argv[i] + 7;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			rc = cli_usage(c, "import: %s: %s", argv[i], T(c, N_("unknown option")));
			break;
		}
		if (name) {
			if (!import_csv_kind_known(name))
				rc = cli_usage(c, "import: --kind %s: %s", name,
				               T(c, N_("use groups, pupils, guardians, staff or links")));
			k = name;
			continue;
		}
		if (!k) {
			rc = cli_usage(c, "import: %s: %s", argv[i], T(c, N_("give --kind before the file")));
			break;
		}
		rc = add_file(c, st, k, argv[i]);
		nfiles++;
	}
	if (rc == EXIT_OK && nfiles == 0)
		rc = cli_usage(c, "import: %s", T(c, N_("no file given")));
	if (rc != EXIT_OK)
		goto out;
	if (!(p = cli_open(c, false))) {
		rc = EXIT_FAILED;
		goto out;
	}
	err = poort_import(p, POORT_ACTOR_CONSOLE, import_csv_doc(st), &report);
	if (err) {
		rc = import_error(c, st, err);
		goto out;
	}
	print_report(c, report);
out:
	if (rc == EXIT_FAILED)
		fprintf(stderr, "poortctl: %s\n", T(c, N_("Nothing was imported.")));
	poort_close(p);
	json_decref(report);
	import_csv_free(st);
	return rc;
}
