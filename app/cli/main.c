/* main.c - poortctl: global options, the command table, shared helpers. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef POORT_VERSION
#define POORT_VERSION "0.0.0"
#endif

static const command commands[] = {
	{ "init", cmd_init, "[--name NAME]",
	  N_("Creates an empty school store in the data directory and optionally sets the school's name.") },
	{ "demo", cmd_demo, "[--seed N] [--force]",
	  N_("Creates a realistic demo school (about 200 pupils, deterministic per seed) in one import and "
	     "prints a summary and the demo logins. Refuses to touch an existing school unless --force is "
	     "given, which deletes it first.") },
	{ "import", cmd_import, "--kind groups|pupils|guardians|staff|links FILE.csv [--kind KIND FILE.csv ...]",
	  N_("Imports CSV files (UTF-8, header row, ',' or ';' separated; columns in "
	     "docs/cli/poortctl-import.md). All files of one call form one import: if any line is wrong, "
	     "nothing is imported and the error names the file, line and field.") },
	{ "export", cmd_export, "--guardian KEY|ID | --pupil KEY|ID [-o FILE]",
	  N_("Writes everything stored about one guardian or one pupil as JSON (the AVG right of access).") },
	{ "backup", cmd_backup, "FILE",
	  N_("Writes a consistent, compacted copy of the store to FILE while other programs keep working.") },
	{ "check", cmd_check, "",
	  N_("Verifies every invariant of the store and lists each violation. Exit code 1 if there is any.") },
	{ "user create", cmd_user_create,
	  "--username U --name NAME --role teacher|ib|director|admin [--groups 3/4,5] [--password-file F]",
	  N_("Creates a staff member with a login. The password is read from F (first line; '-' is standard "
	     "input) or asked for twice on the terminal.") },
	{ "user set-password", cmd_user_set_password, "USERNAME [--password-file F]",
	  N_("Sets a new password for a login (e.g. staff imported from CSV, who have none yet). The "
	     "password is read from F (first line; '-' is standard input) or asked for twice on the terminal.") },
	{ "user reset-pin", cmd_user_reset_pin, "GUARDIAN",
	  N_("Gives a guardian (key or id) a new kiosk parent code and PIN and prints them once.") },
	{ "user reset-card", cmd_user_reset_card, "GUARDIAN",
	  N_("Gives a guardian (key or id) a new card token (for the QR card) and prints it once.") },
	{ "school show", cmd_school_show, "",
	  N_("Prints the school's settings as JSON.") },
	{ "school set", cmd_school_set, "KEY VALUE",
	  N_("Changes one school setting. VALUE is JSON if it parses as JSON (e.g. [1,2,3,4,5]), otherwise "
	     "text (e.g. 08:45).") },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

const char *T(const cli *c, const char *msgid)
{
	return poort_gettext(c->lang, msgid);
}

__attribute__((format(printf, 1, 0))) static void vprint_err(const char *fmt, va_list ap)
{
	fputs("poortctl: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int cli_fail(const cli *c, poort_err err, const char *what)
{
	const char *detail = poort_error_detail();

	fprintf(stderr, "poortctl: %s%s%s%s%s%s\n", what ? what : "", what ? ": " : "",
	        poort_message(c->lang, err), *detail ? " (" : "", detail, *detail ? ")" : "");
	return EXIT_FAILED;
}

static void print_usage_line(const cli *c, FILE *f, const command *cmd)
{
	fprintf(f, "%s poortctl [--data DIR] %s%s%s\n", T(c, N_("Usage:")), cmd->name, *cmd->usage ? " " : "",
	        cmd->usage);
}

int cli_usage(const cli *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint_err(fmt, ap);
	va_end(ap);
	if (c->cmd)
		print_usage_line(c, stderr, c->cmd);
	fprintf(stderr, "%s\n", T(c, N_("More: poortctl help COMMAND")));
	return EXIT_USAGE;
}

static void print_command_help(const cli *c, const command *cmd)
{
	print_usage_line(c, stdout, cmd);
	printf("\n%s\n", T(c, cmd->help));
}

int cli_help_requested(const cli *c, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			print_command_help(c, c->cmd);
			return 1;
		}
	}
	return 0;
}

poort *cli_open(const cli *c, bool create)
{
	poort_options opt = { .no_create = !create };
	poort *p = NULL;
	poort_err err = poort_open(c->data_dir, &opt, &p);

	if (err == POORT_E_NOT_FOUND && !create) {
		fprintf(stderr, "poortctl: %s: %s\n", c->data_dir,
		        T(c, N_("there is no school store here (create one with poortctl init or poortctl demo)")));
		return NULL;
	}
	if (err) {
		cli_fail(c, err, c->data_dir);
		return NULL;
	}
	return p;
}

void cli_print_json(FILE *f, const json_t *j)
{
	json_dumpf(j, f, JSON_INDENT(2) | JSON_ENCODE_ANY);
	fputc('\n', f);
}

int cli_write_json(const cli *c, const char *path, const json_t *j)
{
	char tmp[4096];
	FILE *f;
	int fd;

	if (!path || strcmp(path, "-") == 0) {
		cli_print_json(stdout, j);
		return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAILED;
	}
	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
		return cli_usage(c, "%s: %s", path, T(c, N_("path too long")));
	/* 0600: an export holds one family's personal data. */
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		fprintf(stderr, "poortctl: %s: %s\n", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		return EXIT_FAILED;
	}
	cli_print_json(f, j);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0 || fclose(f) != 0 || rename(tmp, path) != 0) {
		fprintf(stderr, "poortctl: %s: %s\n", path, strerror(errno));
		unlink(tmp);
		return EXIT_FAILED;
	}
	return EXIT_OK;
}

/* A positive decimal id, or 0. */
static poort_id parse_id(const char *s)
{
	char *end;
	unsigned long long v;

	if (!*s || strspn(s, "0123456789") != strlen(s))
		return 0;
	errno = 0;
	v = strtoull(s, &end, 10);
	return errno ? 0 : (poort_id)v;
}

static poort_err find(poort *p, const char *arg, poort_id *id, poort_err (*by_key)(poort *, const char *, poort_id *))
{
	poort_err err = by_key(p, arg, id);

	if (err == POORT_OK && *id)
		return POORT_OK;
	if ((err == POORT_OK || err == POORT_E_NOT_FOUND) && (*id = parse_id(arg)))
		return POORT_OK;   /* the core checks that the id exists */
	return err ? err : POORT_E_NOT_FOUND;
}

poort_err cli_find_pupil(poort *p, const char *arg, poort_id *id)
{
	return find(p, arg, id, poort_pupil_by_key);
}

poort_err cli_find_guardian(poort *p, const char *arg, poort_id *id)
{
	return find(p, arg, id, poort_guardian_by_key);
}

char *cli_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL, *nb;
	size_t n = 0, cap = 0, r;

	if (!f)
		return NULL;
	for (;;) {
		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 65536;
			if (!(nb = realloc(buf, cap + 1)))
				goto fail;
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f))
		goto fail;
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
fail:
	{
		int e = errno ? errno : EIO;
		fclose(f);
		free(buf);
		errno = e;
		return NULL;
	}
}

/* ---- dispatch ---- */

static const char *choose_lang(const char *arg)
{
	const char *env = getenv("LANG");

	if (!arg)
		arg = env;
	return arg && strncmp(arg, "en", 2) == 0 ? "en" : "nl";
}

static void print_main_help(const cli *c)
{
	printf("%s poortctl [--data DIR] [--lang nl|en] COMMAND [%s]\n\n", T(c, N_("Usage:")),
	       T(c, N_("options")));
	printf("%s\n\n", T(c, N_("The administrator's command line of Poort. The data directory is --data, "
	                         "else $POORT_DATA, else /var/lib/poort.")));
	printf("%s\n", T(c, N_("Commands:")));
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const char *help = T(c, commands[i].help), *dot = strstr(help, ". ");
		int n = dot ? (int)(dot - help + 1) : (int)strlen(help);
		printf("  %-16s %.*s\n", commands[i].name, n, help);
	}
	printf("\n%s\n", T(c, N_("poortctl help COMMAND or poortctl COMMAND --help shows more. Exit codes: 0 done, "
	                         "1 the operation failed, 2 wrong usage.")));
}

/* Finds the command named by argv[0] (and argv[1] for two-word names);
 * *words gets how many arguments the name used. NULL if unknown. */
static const command *lookup(int argc, char **argv, int *words)
{
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const char *name = commands[i].name, *sp = strchr(name, ' ');
		if (!sp && strcmp(argv[0], name) == 0) {
			*words = 1;
			return &commands[i];
		}
		if (sp && argc > 1 && strncmp(argv[0], name, (size_t)(sp - name)) == 0 &&
		    argv[0][sp - name] == 0 && strcmp(argv[1], sp + 1) == 0) {
			*words = 2;
			return &commands[i];
		}
	}
	return NULL;
}

/* "user" or "school" alone: the family exists but the subcommand does not. */
static bool is_family(const char *word)
{
	size_t n = strlen(word);

	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strncmp(commands[i].name, word, n) == 0 && commands[i].name[n] == ' ')
			return true;
	return false;
}

static int family_usage(const cli *c, const char *family, const char *sub)
{
	size_t n = strlen(family);

	if (sub)
		fprintf(stderr, "poortctl: %s %s: %s\n", family, sub, T(c, N_("unknown command")));
	else
		fprintf(stderr, "poortctl: %s: %s\n", family, T(c, N_("a subcommand is missing")));
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strncmp(commands[i].name, family, n) == 0 && commands[i].name[n] == ' ')
			print_usage_line(c, stderr, &commands[i]);
	return EXIT_USAGE;
}

static int help_command(cli *c, int argc, char **argv)
{
	const command *cmd;
	int words;

	if (argc < 2) {
		print_main_help(c);
		return EXIT_OK;
	}
	if ((cmd = lookup(argc - 1, argv + 1, &words))) {
		print_command_help(c, cmd);
		return EXIT_OK;
	}
	if (is_family(argv[1])) {
		size_t n = strlen(argv[1]);
		for (size_t i = 0; i < NCOMMANDS; i++)
			if (strncmp(commands[i].name, argv[1], n) == 0 && commands[i].name[n] == ' ') {
				print_command_help(c, &commands[i]);
				putchar('\n');
			}
		return EXIT_OK;
	}
	fprintf(stderr, "poortctl: %s: %s\n", argv[1], T(c, N_("unknown command")));
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "lang", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0, 0, 0, 0 },
	};
	cli c = { 0 };
	const char *data = NULL, *lang = NULL;
	const command *cmd;
	int opt, words;

	c.lang = choose_lang(NULL);
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+d:l:hV", opts, NULL)) != -1) {
		switch (opt) {
		case 'd': data = optarg; break;
		case 'l':
			if (strcmp(optarg, "nl") != 0 && strcmp(optarg, "en") != 0)
				return cli_usage(&c, "--lang %s: %s", optarg, T(&c, N_("use nl or en")));
			lang = optarg;
			break;
		case 'h':
			c.lang = choose_lang(lang);
			print_main_help(&c);
			return EXIT_OK;
		case 'V':
			printf("poortctl %s (schema %d)\n", POORT_VERSION, POORT_SCHEMA_VERSION);
			return EXIT_OK;
		default:
			c.lang = choose_lang(lang);
			return cli_usage(&c, "%s: %s", argv[optind - 1], T(&c, N_("unknown option or missing value")));
		}
	}
	c.lang = choose_lang(lang);
	c.data_dir = poort_data_dir(data);
	argc -= optind;
	argv += optind;
	if (argc == 0)
		return cli_usage(&c, "%s", T(&c, N_("a command is missing")));
	if (strcmp(argv[0], "help") == 0)
		return help_command(&c, argc, argv);
	if (!(cmd = lookup(argc, argv, &words))) {
		if (is_family(argv[0]) && argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
			char help_word[] = "help", *help_argv[] = { help_word, argv[0], NULL };
			return help_command(&c, 2, help_argv);
		}
		if (is_family(argv[0]))
			return family_usage(&c, argv[0], argc > 1 ? argv[1] : NULL);
		return cli_usage(&c, "%s: %s", argv[0], T(&c, N_("unknown command")));
	}
	c.cmd = cmd;
	argc -= words - 1;
	argv += words - 1;
	if (cli_help_requested(&c, argc, argv))
		return EXIT_OK;
	optind = 0;   /* glibc: full reinitialisation for the command's own getopt */
	opterr = 0;
	return cmd->run(&c, argc, argv);
}
