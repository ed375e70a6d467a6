/* cli.h - private to poortctl: the command table and shared helpers.
 *
 * poortctl translates between the administrator and the core: it parses
 * arguments, calls core functions as POORT_ACTOR_CONSOLE and prints the
 * answer. It holds no domain rules.
 */
#ifndef POORT_CLI_H
#define POORT_CLI_H

#include <poort/poort.h>
#include <stdio.h>

/* Exit codes. */
enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

typedef struct cli {
	const char *data_dir;   /* from --data, $POORT_DATA or the default */
	const char *lang;       /* "nl" or "en" */
	const struct command *cmd;
} cli;

typedef int (*command_fn)(cli *c, int argc, char **argv);

/* One entry of the declarative command table (main.c). name may be two
 * words ("user create"); argv handed to run starts at the last word. */
typedef struct command {
	const char *name;
	command_fn run;
	const char *usage;   /* arguments after the name */
	const char *help;    /* English msgid, translated when printed */
} command;

/* Translated text (English msgid). */
const char *T(const cli *c, const char *msgid);
#define N_(s) s

/* Prints "poortctl: <what>: <message> (<detail>)" to stderr and returns
 * EXIT_FAILED. what may be NULL. */
int cli_fail(const cli *c, poort_err err, const char *what);
/* Prints a usage error with the command's usage line; returns EXIT_USAGE. */
int cli_usage(const cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Whether argv holds --help or -h; prints the command's help if so. */
int cli_help_requested(const cli *c, int argc, char **argv);

/* Opens the store in c->data_dir; create=false fails when there is none.
 * Prints the error itself; returns NULL on failure. */
poort *cli_open(const cli *c, bool create);

/* Pretty JSON to f followed by a newline. */
void cli_print_json(FILE *f, const json_t *j);
/* Writes JSON to path (mode 0600, replaced atomically) or stdout for NULL/"-". */
int cli_write_json(const cli *c, const char *path, const json_t *j);

/* Resolves a pupil or guardian given as external key or numeric id. */
poort_err cli_find_pupil(poort *p, const char *arg, poort_id *id);
poort_err cli_find_guardian(poort *p, const char *arg, poort_id *id);

/* Reads a whole file (caller frees); NULL with errno set on failure. */
char *cli_read_file(const char *path, size_t *len);

/* ---- commands, one file per family ---- */
int cmd_init(cli *c, int argc, char **argv);
int cmd_check(cli *c, int argc, char **argv);
int cmd_backup(cli *c, int argc, char **argv);
int cmd_school_show(cli *c, int argc, char **argv);
int cmd_school_set(cli *c, int argc, char **argv);
int cmd_demo(cli *c, int argc, char **argv);
int cmd_import(cli *c, int argc, char **argv);
int cmd_export(cli *c, int argc, char **argv);
int cmd_user_create(cli *c, int argc, char **argv);
int cmd_user_set_password(cli *c, int argc, char **argv);
int cmd_user_reset_pin(cli *c, int argc, char **argv);
int cmd_user_reset_card(cli *c, int argc, char **argv);

/* demo.c: the demo school as one import document (new object), and the
 * demo logins to print (new object). Deterministic per seed. */
json_t *demo_school(uint64_t seed, json_t **logins);
/* demo_booking.c: an open conversation round for the imported demo school,
 * with bookings by about a third of the families. Exit code. */
int demo_booking(const cli *c, poort *p, const json_t *doc, uint64_t seed);

#endif
