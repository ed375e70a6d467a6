/* store_cmds.c - init, check, backup, school show/set. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <sys/stat.h>

static bool store_exists(const char *dir)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof path, "%s/data.mdb", dir);
	return stat(path, &st) == 0;
}

int cmd_init(cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { "name", required_argument, NULL, 'n' }, { 0, 0, 0, 0 } };
	const char *name = NULL;
	json_t *changes = NULL;
	poort *p;
	poort_err err = POORT_OK;
	int opt;

	while ((opt = getopt_long(argc, argv, "n:", opts, NULL)) != -1) {
		if (opt != 'n')
			return cli_usage(c, "init: %s: %s", argv[optind - 1], T(c, N_("unknown option")));
		name = optarg;
	}
	if (optind != argc)
		return cli_usage(c, "init: %s: %s", argv[optind], T(c, N_("unexpected argument")));
	if (store_exists(c->data_dir)) {
		fprintf(stderr, "poortctl: %s: %s\n", c->data_dir, T(c, N_("there is already a school store here")));
		return EXIT_FAILED;
	}
	if (!(p = cli_open(c, true)))
		return EXIT_FAILED;
	if (name) {
		changes = json_pack("{ss}", "name", name);
		err = poort_school_update(p, POORT_ACTOR_CONSOLE, changes);
		json_decref(changes);
	}
	poort_close(p);
	if (err)
		return cli_fail(c, err, "--name");
	printf("%s %s\n", T(c, N_("School store created in")), c->data_dir);
	return EXIT_OK;
}

int cmd_check(cli *c, int argc, char **argv)
{
	json_t *violations = NULL, *v;
	poort *p;
	poort_err err;
	size_t i;

	if (argc > 1)
		return cli_usage(c, "check: %s: %s", argv[1], T(c, N_("unexpected argument")));
	if (!(p = cli_open(c, false)))
		return EXIT_FAILED;
	err = poort_check(p, &violations);
	poort_close(p);
	if (err)
		return cli_fail(c, err, "check");
	json_array_foreach(violations, i, v) {
		const char *where = json_string_value(json_object_get(v, "where"));
		printf("%s: %s%s%s\n", json_string_value(json_object_get(v, "rule")), where ? where : "",
		       where ? ": " : "", json_string_value(json_object_get(v, "message")));
	}
	if (json_array_size(violations) == 0)
		printf("%s\n", T(c, N_("No violations found.")));
	else
		fprintf(stderr, "poortctl: %zu %s\n", json_array_size(violations), T(c, N_("violation(s) found")));
	err = json_array_size(violations) ? POORT_E_CORRUPT : POORT_OK;
	json_decref(violations);
	return err ? EXIT_FAILED : EXIT_OK;
}

int cmd_backup(cli *c, int argc, char **argv)
{
	poort *p;
	poort_err err;

	if (argc != 2)
		return cli_usage(c, "backup: %s", T(c, argc < 2 ? N_("the backup file is missing")
		                                             : N_("only one file, please")));
	if (!(p = cli_open(c, false)))
		return EXIT_FAILED;
	err = poort_backup(p, POORT_ACTOR_CONSOLE, argv[1]);
	poort_close(p);
	if (err)
		return cli_fail(c, err, argv[1]);
	printf("%s %s\n", T(c, N_("Backup written to")), argv[1]);
	return EXIT_OK;
}

int cmd_school_show(cli *c, int argc, char **argv)
{
	json_t *s = NULL;
	poort *p;
	poort_err err;

	if (argc > 1)
		return cli_usage(c, "school show: %s: %s", argv[1], T(c, N_("unexpected argument")));
	if (!(p = cli_open(c, false)))
		return EXIT_FAILED;
	err = poort_school_get(p, POORT_ACTOR_CONSOLE, &s);
	poort_close(p);
	if (err)
		return cli_fail(c, err, "school");
	cli_print_json(stdout, s);
	json_decref(s);
	return EXIT_OK;
}

int cmd_school_set(cli *c, int argc, char **argv)
{
	json_t *value, *changes;
	poort *p;
	poort_err err;

	if (argc != 3)
		return cli_usage(c, "school set: %s", T(c, N_("give a KEY and a VALUE")));
	/* JSON where it parses (lists, numbers, objects), text otherwise. */
	value = json_loads(argv[2], JSON_DECODE_ANY, NULL);
	if (!value)
		value = json_string(argv[2]);
	if (!value)
		return cli_usage(c, "school set %s: %s", argv[1], T(c, N_("the value is not valid UTF-8")));
	changes = json_object();
	json_object_set_new(changes, argv[1], value);
	if (!(p = cli_open(c, false))) {
		json_decref(changes);
		return EXIT_FAILED;
	}
	err = poort_school_update(p, POORT_ACTOR_CONSOLE, changes);
	poort_close(p);
	json_decref(changes);
	if (err)
		return cli_fail(c, err, argv[1]);
	return EXIT_OK;
}
