/* people_cmds.c - export (AVG right of access) and user accounts. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

int cmd_export(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "guardian", required_argument, NULL, 'g' },
		{ "pupil", required_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ 0, 0, 0, 0 },
	};
	const char *guardian = NULL, *pupil = NULL, *output = NULL, *who;
	json_t *out = NULL;
	poort *p;
	poort_id id = 0;
	poort_err err;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "g:p:o:", opts, NULL)) != -1) {
		switch (opt) {
		case 'g': guardian = optarg; break;
		case 'p': pupil = optarg; break;
		case 'o': output = optarg; break;
		default: return cli_usage(c, "export: %s: %s", argv[optind - 1], T(c, N_("unknown option or missing value")));
		}
	}
	if (optind != argc)
		return cli_usage(c, "export: %s: %s", argv[optind], T(c, N_("unexpected argument")));
	if (!guardian == !pupil)
		return cli_usage(c, "export: %s", T(c, N_("give either --guardian or --pupil")));
	if (!(p = cli_open(c, false)))
		return EXIT_FAILED;
	who = guardian ? guardian : pupil;
	err = guardian ? cli_find_guardian(p, guardian, &id) : cli_find_pupil(p, pupil, &id);
	if (!err)
		err = guardian ? poort_export_guardian(p, POORT_ACTOR_CONSOLE, id, &out)
		               : poort_export_pupil(p, POORT_ACTOR_CONSOLE, id, &out);
	poort_close(p);
	if (err)
		return cli_fail(c, err, who);
	rc = cli_write_json(c, output, out);
	json_decref(out);
	return rc;
}

/* ---- user create ---- */

/* First line of f without the line break, in buf. */
static bool read_line(FILE *f, char *buf, size_t len)
{
	if (!fgets(buf, (int)len, f))
		return false;
	buf[strcspn(buf, "\r\n")] = 0;
	return true;
}

static bool prompt_secret(const cli *c, const char *prompt, char *buf, size_t len)
{
	FILE *tty = fopen("/dev/tty", "r+");
	struct termios old, quiet;
	bool ok;

	if (!tty)
		return false;
	fputs(prompt, tty);
	fflush(tty);
	tcgetattr(fileno(tty), &old);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
	ok = read_line(tty, buf, len);
	tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fputc('\n', tty);
	fclose(tty);
	(void)c;
	return ok;
}

/* The password from --password-file (or "-": stdin), else asked twice. */
static int get_password(const cli *c, const char *cmd_name, const char *file, char *buf, size_t len)
{
	char again[256];
	FILE *f;
	bool ok;

	if (file) {
		f = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
		if (!f) {
			fprintf(stderr, "poortctl: %s: %s\n", file, strerror(errno));
			return EXIT_FAILED;
		}
		ok = read_line(f, buf, len);
		if (f != stdin)
			fclose(f);
		if (!ok) {
			fprintf(stderr, "poortctl: %s: %s\n", file, T(c, N_("the password file is empty")));
			return EXIT_FAILED;
		}
		return EXIT_OK;
	}
	if (!prompt_secret(c, T(c, N_("Password: ")), buf, len))
		return cli_usage(c, "%s: %s", cmd_name, T(c, N_("no terminal to ask for the password: use --password-file")));
	if (!prompt_secret(c, T(c, N_("Password again: ")), again, sizeof again) || strcmp(buf, again) != 0) {
		fprintf(stderr, "poortctl: %s\n", T(c, N_("the two passwords differ")));
		return EXIT_FAILED;
	}
	return EXIT_OK;
}

/* "3/4,5" -> JSON array of group ids, looked up by name. */
static int group_ids(const cli *c, poort *p, const char *names, json_t **ids)
{
	json_t *groups = NULL, *g;
	char *copy = strdup(names), *save = NULL, *name;
	poort_err err;
	int rc = EXIT_OK;
	size_t i;

	*ids = json_array();
	if (!copy)
		return cli_fail(c, POORT_E_NOMEM, "--groups");
	if ((err = poort_group_list(p, POORT_ACTOR_CONSOLE, &groups))) {
		rc = cli_fail(c, err, "--groups");
		goto out;
	}
	for (name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		bool found = false;
		while (*name == ' ')
			name++;
		json_array_foreach(groups, i, g) {
			const char *gn = json_string_value(json_object_get(g, "name"));
			if (gn && strcmp(gn, name) == 0) {
				json_array_append(*ids, json_object_get(g, "id"));
				found = true;
			}
		}
		if (!found) {
			fprintf(stderr, "poortctl: --groups: %s: %s\n", name, T(c, N_("no such group")));
			rc = EXIT_FAILED;
			goto out;
		}
	}
out:
	free(copy);
	json_decref(groups);
	if (rc) {
		json_decref(*ids);
		*ids = NULL;
	}
	return rc;
}

int cmd_user_create(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "username", required_argument, NULL, 'u' },
		{ "name", required_argument, NULL, 'n' },
		{ "role", required_argument, NULL, 'r' },
		{ "groups", required_argument, NULL, 'g' },
		{ "password-file", required_argument, NULL, 'P' },
		{ 0, 0, 0, 0 },
	};
	const char *username = NULL, *name = NULL, *role_s = NULL, *groups_s = NULL, *pwfile = NULL;
	char password[256] = "";
	json_t *groups = NULL;
	poort_role role;
	poort_id staff = 0;
	poort *p = NULL;
	poort_err err;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "u:n:r:g:P:", opts, NULL)) != -1) {
		switch (opt) {
		case 'u': username = optarg; break;
		case 'n': name = optarg; break;
		case 'r': role_s = optarg; break;
		case 'g': groups_s = optarg; break;
		case 'P': pwfile = optarg; break;
		default: return cli_usage(c, "user create: %s: %s", argv[optind - 1], T(c, N_("unknown option or missing value")));
		}
	}
	if (optind != argc)
		return cli_usage(c, "user create: %s: %s", argv[optind], T(c, N_("unexpected argument")));
	if (!username || !name || !role_s)
		return cli_usage(c, "user create: %s", T(c, N_("--username, --name and --role are required")));
	if (poort_role_parse(role_s, &role) != POORT_OK || role == POORT_ROLE_PARENT || role == POORT_ROLE_CONSOLE ||
	    role == POORT_ROLE_NONE)
		return cli_usage(c, "user create: --role %s: %s", role_s, T(c, N_("use teacher, ib, director or admin")));
	if ((rc = get_password(c, "user create", pwfile, password, sizeof password)))
		return rc;
	if (!(p = cli_open(c, false)))
		return EXIT_FAILED;
	if (groups_s && (rc = group_ids(c, p, groups_s, &groups)))
		goto out;
	err = poort_staff_create(p, POORT_ACTOR_CONSOLE, username, name, role, password, groups, &staff);
	if (err) {
		rc = cli_fail(c, err, username);
		goto out;
	}
	printf("%s %s (%s)\n", T(c, N_("Created login")), username, poort_role_name(role));
out:
	explicit_bzero(password, sizeof password);
	json_decref(groups);
	poort_close(p);
	return rc;
}

int cmd_user_set_password(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "password-file", required_argument, NULL, 'P' },
		{ 0, 0, 0, 0 },
	};
	const char *pwfile = NULL, *username;
	char password[256] = "";
	poort_id account = 0;
	poort *p = NULL;
	poort_err err;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "P:", opts, NULL)) != -1) {
		if (opt != 'P')
			return cli_usage(c, "user set-password: %s: %s", argv[optind - 1],
			                 T(c, N_("unknown option or missing value")));
		pwfile = optarg;
	}
	if (optind != argc - 1)
		return cli_usage(c, "user set-password: %s", T(c, N_("give one username")));
	username = argv[optind];
	if ((rc = get_password(c, "user set-password", pwfile, password, sizeof password)))
		return rc;
	if (!(p = cli_open(c, false))) {
		rc = EXIT_FAILED;
		goto out;
	}
	err = poort_account_find(p, POORT_ACTOR_CONSOLE, username, &account);
	if (!err)
		err = poort_password_set(p, POORT_ACTOR_CONSOLE, account, password);
	if (err) {
		rc = cli_fail(c, err, username);
		goto out;
	}
	printf("%s %s\n", T(c, N_("New password set for")), username);
out:
	explicit_bzero(password, sizeof password);
	poort_close(p);
	return rc;
}

/* ---- credential resets ---- */

static int reset(cli *c, int argc, char **argv, unsigned what)
{
	json_t *secrets = NULL;
	poort *p;
	poort_id guardian = 0;
	poort_err err;
	const char *code, *pin, *card;

	if (argc != 2)
		return cli_usage(c, "%s: %s", argv[0], T(c, N_("give one guardian (key or id)")));
	if (!(p = cli_open(c, false)))
		return EXIT_FAILED;
	err = cli_find_guardian(p, argv[1], &guardian);
	if (!err)
		err = poort_parent_credentials_reset(p, POORT_ACTOR_CONSOLE, guardian, what, &secrets);
	poort_close(p);
	if (err)
		return cli_fail(c, err, argv[1]);
	code = json_string_value(json_object_get(secrets, "parent_code"));
	pin = json_string_value(json_object_get(secrets, "pin"));
	card = json_string_value(json_object_get(secrets, "card"));
	if (code)
		printf("%-12s %s\n", T(c, N_("parent code")), code);
	if (pin)
		printf("%-12s %s\n", T(c, N_("PIN")), pin);
	if (card)
		printf("%-12s %s\n", T(c, N_("card token")), card);
	printf("%s\n", T(c, N_("Shown once: hand it to the guardian now; Poort stores only a hash.")));
	json_decref(secrets);
	return EXIT_OK;
}

int cmd_user_reset_pin(cli *c, int argc, char **argv)
{
	return reset(c, argc, argv, POORT_CRED_PIN);
}

int cmd_user_reset_card(cli *c, int argc, char **argv)
{
	return reset(c, argc, argv, POORT_CRED_CARD);
}
