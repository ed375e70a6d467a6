/* poortctl end to end: the real binary in temporary data directories.
 * Usage errors, the demo school (check, determinism, separated parents),
 * CSV imports that must fail whole with file, line and field named, a good
 * import, credentials, export and backup. */
#include "test.h"
#include "ctl.h"

#include <sys/stat.h>
#include <unistd.h>

#define HAS(s, needle) (strstr((s), (needle)) != NULL)

static char *path_in(const char *dir, const char *name)
{
	char *p;
	if (asprintf(&p, "%s/%s", dir, name) < 0)
		exit(1);
	return p;
}

/* Whether the store in dir has a pupil with this key. */
static bool has_pupil(const char *dir, const char *key)
{
	poort *p = NULL;
	poort_id id = 0;

	E(poort_open(dir, &(poort_options){ .no_create = true }, &p));
	poort_pupil_by_key(p, key, &id);
	poort_close(p);
	return id != 0;
}

static void usage_errors(const char *dir)
{
	static const char *const commands[][2] = { { "init", NULL }, { "demo", NULL }, { "import", NULL },
		{ "export", NULL }, { "backup", NULL }, { "check", NULL }, { "user", "create" },
		{ "user", "reset-pin" }, { "user", "reset-card" }, { "user", "set-password" }, { "school", "show" }, { "school", "set" } };
	ctl_result r;

	r = ctl_run(NULL);
	CHECK(r.status == 2, "no command: %d", r.status);
	ctl_free(&r);
	r = ctl_run("--lang", "en", "frobnicate", NULL);
	CHECK(r.status == 2 && HAS(r.err, "frobnicate") && HAS(r.err, "unknown command"), "unknown: %d %s", r.status, r.err);
	ctl_free(&r);
	r = ctl_run("--version", NULL);
	CHECK(r.status == 0 && HAS(r.out, "poortctl"), "version: %d", r.status);
	ctl_free(&r);
	r = ctl_run("--help", NULL);
	CHECK(r.status == 0 && HAS(r.out, "import") && HAS(r.out, "user reset-pin"), "help: %d", r.status);
	ctl_free(&r);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		r = commands[i][1] ? ctl_run(commands[i][0], commands[i][1], "--help", NULL)
		                   : ctl_run(commands[i][0], "--help", NULL);
		CHECK(r.status == 0 && HAS(r.out, commands[i][0]), "%s --help: %d", commands[i][0], r.status);
		ctl_free(&r);
		r = commands[i][1] ? ctl_run("help", commands[i][0], commands[i][1], NULL) : ctl_run("help", commands[i][0], NULL);
		CHECK(r.status == 0 && r.out[0], "help %s: %d", commands[i][0], r.status);
		ctl_free(&r);
	}
	r = ctl_run("--data", dir, "export", NULL);
	CHECK(r.status == 2 && HAS(r.err, "--guardian"), "export without args: %d %s", r.status, r.err);
	ctl_free(&r);
	r = ctl_run("--data", dir, "backup", NULL);
	CHECK(r.status == 2, "backup without file: %d", r.status);
	ctl_free(&r);
	r = ctl_run("--data", dir, "import", NULL);
	CHECK(r.status == 2, "import without files: %d", r.status);
	ctl_free(&r);
	r = ctl_run("--data", dir, "--lang", "en", "import", "--kind", "cats", "x.csv", NULL);
	CHECK(r.status == 2 && HAS(r.err, "cats"), "import unknown kind: %d %s", r.status, r.err);
	ctl_free(&r);
	r = ctl_run("--data", dir, "import", "x.csv", NULL);
	CHECK(r.status == 2 && HAS(r.err, "--kind"), "import without kind: %d %s", r.status, r.err);
	ctl_free(&r);
	r = ctl_run("--data", dir, "demo", "--seed", "abc", NULL);
	CHECK(r.status == 2 && HAS(r.err, "abc"), "demo bad seed: %d", r.status);
	ctl_free(&r);
	r = ctl_run("--data", dir, "user", "create", "--username", "x", NULL);
	CHECK(r.status == 2 && HAS(r.err, "--role"), "user create missing: %d %s", r.status, r.err);
	ctl_free(&r);
	r = ctl_run("--data", dir, "user", "frob", NULL);
	CHECK(r.status == 2 && HAS(r.err, "frob"), "user frob: %d", r.status);
	ctl_free(&r);
	r = ctl_run("--data", dir, "--lang", "xx", "check", NULL);
	CHECK(r.status == 2 && HAS(r.err, "xx"), "--lang xx: %d", r.status);
	ctl_free(&r);
	/* No store yet: the error names the directory. */
	r = ctl_run("--data", dir, "check", NULL);
	CHECK(r.status == 1 && HAS(r.err, dir), "check without store: %d %s", r.status, r.err);
	ctl_free(&r);
}

/* The separated parent the demo prints: their export shows their children's
 * other guardian, who hides their contact data, without it. */
static void separated_export(const char *dir, const char *summary)
{
	const char *mark = strstr(summary, ", separated)"), *open_paren;
	char key[16] = "";
	json_t *exp, *hidden_exp = NULL, *child, *g;
	poort *p = NULL;
	size_t i, j;
	ctl_result r;
	int hidden_seen = 0;

	for (open_paren = mark; open_paren && open_paren > summary && *open_paren != '('; open_paren--)
		;
	if (!mark || !open_paren || sscanf(open_paren + 1, "%15[^,]", key) != 1) {
		CHECK(false, "no separated parent in the demo summary");
		return;
	}
	r = ctl_run("--data", dir, "export", "--guardian", key, NULL);
	CHECK(r.status == 0, "export %s: %s", key, r.err);
	exp = json_loads(r.out, 0, NULL);
	CHECK(exp != NULL, "export is not JSON");
	E(poort_open(dir, NULL, &p));
	json_array_foreach(json_object_get(exp, "children"), i, child) {
		json_array_foreach(json_object_get(child, "guardians"), j, g) {
			poort_id other = (poort_id)json_integer_value(json_object_get(g, "id"));
			const char *email, *phone, *street;
			if (!json_is_true(json_object_get(g, "hide_contact")))
				continue;
			hidden_seen++;
			CHECK(!json_object_get(g, "email") && !json_object_get(g, "phone") && !json_object_get(g, "address"),
			      "%s sees hidden contact data of guardian %llu", key, (unsigned long long)other);
			/* Not anywhere else in the export either. */
			E(poort_export_guardian(p, POORT_ACTOR_CONSOLE, other, &hidden_exp));
			email = json_string_value(json_object_get(json_object_get(hidden_exp, "guardian"), "email"));
			phone = json_string_value(json_object_get(json_object_get(hidden_exp, "guardian"), "phone"));
			street = json_string_value(json_object_get(json_object_get(json_object_get(hidden_exp, "guardian"),
			                                                            "address"), "street"));
			CHECK(email && phone && street, "hidden guardian has no contact data to hide");
			CHECK(email && !HAS(r.out, email), "hidden e-mail %s in %s's export", email, key);
			CHECK(phone && !HAS(r.out, phone), "hidden phone %s in %s's export", phone, key);
			CHECK(street && !HAS(r.out, street), "hidden street %s in %s's export", street, key);
			json_decref(hidden_exp);
		}
	}
	CHECK(hidden_seen > 0, "%s's children have no guardian who hides their contact data", key);
	poort_close(p);
	json_decref(exp);
	ctl_free(&r);
}

static void demo_school(const char *base)
{
	char *a = path_in(base, "demo-a"), *b = path_in(base, "demo-b"), *c = path_in(base, "demo-c");
	const char *pinned[] = { "POORT_FAKE_NOW=2026-11-23T10:00", NULL };
	ctl_result r, ea, eb, ec;
	char *first_c = NULL;   /* seed 43's first guardian export: exports are audited, so later ones differ */
	char *summary = NULL;

	r = ctl_run("--data", a, "--lang", "en", "demo", "--seed", "42", NULL);
	CHECK(r.status == 0, "demo: %d %s", r.status, r.err);
	CHECK(HAS(r.out, "1/2A") && HAS(r.out, "3/4") && HAS(r.out, "Pupils:") && HAS(r.out, "admin") &&
	      HAS(r.out, "director") && HAS(r.out, "parent code") && HAS(r.out, "separated"), "summary: %s", r.out);
	summary = strdup(r.out);
	ctl_free(&r);
	r = ctl_run("--data", a, "--lang", "en", "check", NULL);
	CHECK(r.status == 0 && HAS(r.out, "No violations"), "check after demo: %d %s %s", r.status, r.out, r.err);
	ctl_free(&r);
	/* An existing school is not overwritten without --force. */
	r = ctl_run("--data", a, "--lang", "en", "demo", NULL);
	CHECK(r.status == 1 && HAS(r.err, "--force"), "demo twice: %d %s", r.status, r.err);
	ctl_free(&r);

	/* Same seed, same school: exports are byte for byte equal. */
	r = ctl_run("--data", b, "demo", "--seed", "42", NULL);
	CHECK(r.status == 0, "demo b: %d %s", r.status, r.err);
	ctl_free(&r);
	r = ctl_run("--data", c, "demo", "--seed", "43", NULL);
	CHECK(r.status == 0, "demo c: %d %s", r.status, r.err);
	ctl_free(&r);
	for (int i = 0; i < 2; i++) {
		const char *who = i ? "--pupil" : "--guardian", *key = i ? "L1001" : "G1001";
		ea = ctl_run_env(pinned, "--data", a, "export", who, key, NULL);
		eb = ctl_run_env(pinned, "--data", b, "export", who, key, NULL);
		ec = ctl_run_env(pinned, "--data", c, "export", who, key, NULL);
		CHECK(ea.status == 0 && eb.status == 0 && ec.status == 0, "exports: %d %d %d %s", ea.status, eb.status,
		      ec.status, ea.err);
		CHECK(strlen(ea.out) > 100 && strcmp(ea.out, eb.out) == 0, "same seed, different %s export", who);
		CHECK(strcmp(ea.out, ec.out) != 0, "another seed gave the same %s export", who);
		if (i == 0)
			first_c = strdup(ec.out);
		ctl_free(&ea);
		ctl_free(&eb);
		ctl_free(&ec);
	}
	/* After the comparisons: these exports add audit entries. */
	separated_export(a, summary);
	free(summary);
	/* --force replaces the school. */
	r = ctl_run("--data", a, "demo", "--seed", "43", "--force", NULL);
	CHECK(r.status == 0, "demo --force: %d %s", r.status, r.err);
	ctl_free(&r);
	ea = ctl_run_env(pinned, "--data", a, "export", "--guardian", "G1001", NULL);
	CHECK(ea.status == 0 && first_c && strcmp(ea.out, first_c) == 0, "after --force the store is seed 43's school");
	ctl_free(&ea);
	free(first_c);
	free(a);
	free(b);
	free(c);
}

/* ---- CSV imports ---- */

static const char groups_csv[] = "groep;leerjaren\n1/2A;1/2\n3;\n3/4;3/4\n";

static char *fresh_school(const char *base, const char *name)
{
	char *dir = path_in(base, name), *g = path_in(base, "groepen.csv");
	ctl_result r;

	r = ctl_run("--data", dir, "init", "--name", "OBS Test", NULL);
	CHECK(r.status == 0, "init: %d %s", r.status, r.err);
	ctl_free(&r);
	write_file(g, groups_csv, strlen(groups_csv));
	r = ctl_run("--data", dir, "import", "--kind", "groups", g, NULL);
	CHECK(r.status == 0, "groups import: %d %s", r.status, r.err);
	ctl_free(&r);
	free(g);
	return dir;
}

/* One malformed file: exit 1, the message names file:line and the field,
 * and not even the good line 2 (pupil L0001) is imported. */
static void bad_import(const char *base, const char *what, const char *csv_text, size_t len, const char *where,
                       const char *field)
{
	char *dir = fresh_school(base, "bad"), *file = path_in(base, "leerlingen.csv");
	ctl_result r;

	write_file(file, csv_text, len ? len : strlen(csv_text));
	r = ctl_run("--data", dir, "--lang", "en", "import", "--kind", "pupils", file, NULL);
	CHECK(r.status == 1, "%s: exit %d", what, r.status);
	CHECK(HAS(r.err, where), "%s: no '%s' in: %s", what, where, r.err);
	CHECK(!field || HAS(r.err, field), "%s: field '%s' not named in: %s", what, field, r.err);
	CHECK(HAS(r.err, "Nothing was imported"), "%s: %s", what, r.err);
	CHECK(!has_pupil(dir, "L0001"), "%s: line 2 was imported", what);
	ctl_free(&r);
	test_rmdir(dir);
	free(dir);
	free(file);
}

#define HEADER "leerlingnummer,voornaam,tussenvoegsel,achternaam,geboortedatum,groep\n"
#define GOOD "L0001,Bram,de,Vries,2019-05-01,1/2A\n"

static void bad_imports(const char *base)
{
	static const char bad_utf8[] = HEADER GOOD "L0002,Zo\xc3,,Bakker,2018-01-01,3\n";

	bad_import(base, "bad date", HEADER GOOD "L0002,Sem,,Bakker,2018-02-30,3\n", 0, "leerlingen.csv:3", "geboortedatum");
	bad_import(base, "not a date", HEADER GOOD "L0002,Sem,,Bakker,gisteren,3\n", 0, "leerlingen.csv:3", "geboortedatum");
	bad_import(base, "unknown group", HEADER GOOD "L0002,Sem,,Bakker,2018-02-03,9\n", 0, "leerlingen.csv:3", "groep");
	bad_import(base, "missing column", "leerlingnummer,voornaam,achternaam,groep\nL0001,Bram,Vries,3\n", 0,
	           "leerlingen.csv:1", "geboortedatum");
	bad_import(base, "unknown column", "leerlingnummer,voornaam,achternaam,geboortedatum,groep,schoenmaat\n", 0,
	           "leerlingen.csv:1", "schoenmaat");
	bad_import(base, "too few fields", HEADER GOOD "L0002,Sem,,Bakker,2018-02-03\n", 0, "leerlingen.csv:3", NULL);
	bad_import(base, "too many fields", HEADER GOOD "L0002,Sem,,Bakker,2018-02-03,3,extra\n", 0, "leerlingen.csv:3", NULL);
	bad_import(base, "invalid UTF-8", bad_utf8, sizeof bad_utf8 - 1, "leerlingen.csv:3", NULL);
	bad_import(base, "unterminated quote", HEADER GOOD "L0002,\"Sem,,Bakker,2018-02-03,3\n", 0, "leerlingen.csv:3", NULL);
	bad_import(base, "required field empty", HEADER GOOD "L0002,,,Bakker,2018-02-03,3\n", 0, "leerlingen.csv:3", "voornaam");
	/* The error sits behind a quoted field with a line break: the line of
	 * the record is still right. */
	bad_import(base, "line after a multi-line field",
	           "leerlingnummer,voornaam,achternaam,geboortedatum,groep,medische_gegevens\n"
	           "L0001,Bram,Vries,2019-05-01,1/2A,\"Astma,\npuffer in de tas\"\nL0002,Sem,Bakker,2018-13-01,3,\n", 0,
	           "leerlingen.csv:4", "geboortedatum");
	{
		/* Several files are one import: the second file's error keeps the
		 * first file's good lines out too. */
		char *dir = fresh_school(base, "two"), *f1 = path_in(base, "a.csv"), *f2 = path_in(base, "b.csv");
		ctl_result r;
		write_file(f1, HEADER GOOD, strlen(HEADER GOOD));
		static const char second[] = HEADER "L0002,Sem,,Bakker,2018-02-03,7\n";
		write_file(f2, second, sizeof second - 1);
		r = ctl_run("--data", dir, "--lang", "en", "import", "--kind", "pupils", f1, f2, NULL);
		CHECK(r.status == 1 && HAS(r.err, "b.csv:2") && HAS(r.err, "groep"), "two files: %d %s", r.status, r.err);
		CHECK(!has_pupil(dir, "L0001") && !has_pupil(dir, "L0002"), "two files: something was imported");
		ctl_free(&r);
		/* Dutch by default. */
		r = ctl_run("--data", dir, "import", "--kind", "pupils", f1, f2, NULL);
		CHECK(r.status == 1 && HAS(r.err, "Er is niets ingelezen") && HAS(r.err, "veld 'groep'"), "Dutch: %s", r.err);
		ctl_free(&r);
		test_rmdir(dir);
		free(dir);
		free(f1);
		free(f2);
	}
}

static void good_import(const char *base)
{
	static const char pupils[] =
		"\xef\xbb\xbf" "Leerlingnummer;Voornaam;Tussenvoegsel;Achternaam;Geboortedatum;Groep;Allergieën;"
		"noodcontact1_naam;noodcontact1_relatie;noodcontact1_telefoon;straat;postcode;woonplaats\r\n"
		"L0001;Zoë;van 't;Hof;14-03-2019;1/2A;\"pinda's, noten\";Truus Jansen;oma;030-1234567;"
		"\"Kerkstraat 1, achterom\";3811 AB;Amersfoort\r\n"
		"L0002;Daphné;;Öztürk;2018-02-03;3/4;;;;;;;\r\n"
		";;;;;;;;;;;;\r\n";
	static const char guardians[] =
		"oudernummer,voornaam,tussenvoegsel,achternaam,email,telefoon,contact_afschermen\n"
		"G0001,Marieke,van 't,Hof,marieke@example.com,06-12345678,nee\n"
		"G0002,Mehmet,,Öztürk,mehmet@example.net,06-87654321,ja\n";
	static const char links[] = "leerlingnummer,oudernummer,relatie,gezag,portaal\nL0001,G0001,moeder,ja,ja\n"
	                            "L0002,G0002,vader,ja,ja\n";
	static const char staff[] = "gebruikersnaam,naam,rol,groepen,email\n"
	                            "jdevries,Joke de Vries,leerkracht,\"1/2A,3\",joke@school.example\n";
	char *dir = fresh_school(base, "good"), *fp = path_in(base, "leerlingen.csv"), *fg = path_in(base, "ouders.csv"),
	     *fl = path_in(base, "koppelingen.csv"), *fs = path_in(base, "personeel.csv"), *pw = path_in(base, "pw"),
	     *out = path_in(base, "export.json"), *bak = path_in(base, "backup.mdb"), *bdir = path_in(base, "restored"),
	     *bdata = path_in(bdir, "data.mdb"), *text;
	poort *p = NULL;
	poort_id id = 0, account = 0;
	json_t *exp = NULL, *violations = NULL;
	ctl_result r;
	struct stat st;

	write_file(fp, pupils, sizeof pupils - 1);
	write_file(fg, guardians, sizeof guardians - 1);
	write_file(fl, links, sizeof links - 1);
	write_file(fs, staff, sizeof staff - 1);
	r = ctl_run("--data", dir, "--lang", "en", "import", "--kind", "pupils", fp, "--kind", "guardians", fg, "--kind",
	            "links", fl, "--kind", "staff", fs, NULL);
	CHECK(r.status == 0 && HAS(r.out, "pupils 2"), "good import: %d %s %s", r.status, r.out, r.err);
	ctl_free(&r);

	E(poort_open(dir, NULL, &p));
	E(poort_pupil_by_key(p, "L0001", &id));
	E(poort_export_pupil(p, POORT_ACTOR_CONSOLE, id, &exp));
	text = json_dumps(exp, 0);
	CHECK(HAS(text, "\"Zoë\"") && HAS(text, "\"van 't\"") && HAS(text, "2019-03-14") && HAS(text, "pinda's") &&
	      HAS(text, "noten") && HAS(text, "Kerkstraat 1, achterom") && HAS(text, "030-1234567"),
	      "pupil as imported: %s", text);
	free(text);
	json_decref(exp);
	poort_close(p);

	/* Credentials: a new PIN and card are printed once. */
	r = ctl_run("--data", dir, "--lang", "en", "user", "reset-pin", "G0001", NULL);
	CHECK(r.status == 0 && HAS(r.out, "parent code") && HAS(r.out, "PIN"), "reset-pin: %d %s %s", r.status, r.out, r.err);
	{
		char code[16] = "", pin[16] = "";
		const char *c = strstr(r.out, "parent code"), *pi = strstr(r.out, "PIN");
		if (c && pi && sscanf(c + 11, "%15s", code) == 1 && sscanf(pi + 3, "%15s", pin) == 1) {
			E(poort_open(dir, NULL, &p));
			E(poort_login_kiosk(p, code, pin, &account));
			poort_close(p);
		} else {
			CHECK(false, "no code/PIN in %s", r.out);
		}
	}
	ctl_free(&r);
	r = ctl_run("--data", dir, "--lang", "en", "user", "reset-card", "G0002", NULL);
	CHECK(r.status == 0 && HAS(r.out, "card token"), "reset-card: %d %s %s", r.status, r.out, r.err);
	ctl_free(&r);
	r = ctl_run("--data", dir, "--lang", "en", "user", "reset-pin", "G9999", NULL);
	CHECK(r.status == 1 && HAS(r.err, "G9999"), "reset-pin unknown: %d %s", r.status, r.err);
	ctl_free(&r);

	/* A staff login with a password from a file. */
	write_file(pw, "Correct-Paard-Batterij-7\n", 25);
	r = ctl_run("--data", dir, "--lang", "en", "user", "create", "--username", "ibanouk", "--name", "Anouk Smit",
	            "--role", "ib", "--groups", "3/4", "--password-file", pw, NULL);
	CHECK(r.status == 0, "user create: %d %s", r.status, r.err);
	ctl_free(&r);
	r = ctl_run("--data", dir, "--lang", "en", "user", "create", "--username", "x2", "--name", "X", "--role", "teacher",
	            "--groups", "9", "--password-file", pw, NULL);
	CHECK(r.status == 1 && HAS(r.err, "9"), "user create unknown group: %d %s", r.status, r.err);
	ctl_free(&r);
	E(poort_open(dir, NULL, &p));
	E(poort_login_password(p, "ibanouk", "Correct-Paard-Batterij-7", &account));
	poort_close(p);

	/* Staff imported from CSV have no password until one is set. */
	E(poort_open(dir, NULL, &p));
	EXPECT_ERR(poort_login_password(p, "jdevries", "Correct-Paard-Batterij-7", &account), POORT_E_AUTH);
	poort_close(p);
	r = ctl_run("--data", dir, "--lang", "en", "user", "set-password", "JDeVries", "--password-file", pw, NULL);
	CHECK(r.status == 0 && HAS(r.out, "JDeVries"), "set-password: %d %s %s", r.status, r.out, r.err);
	ctl_free(&r);
	E(poort_open(dir, NULL, &p));
	E(poort_login_password(p, "jdevries", "Correct-Paard-Batterij-7", &account));
	poort_close(p);
	r = ctl_run("--data", dir, "--lang", "en", "user", "set-password", "nobody", "--password-file", pw, NULL);
	CHECK(r.status == 1 && HAS(r.err, "nobody"), "set-password unknown user: %d %s", r.status, r.err);
	ctl_free(&r);
	write_file(pw, "short\n", 6);
	r = ctl_run("--data", dir, "--lang", "en", "user", "set-password", "jdevries", "--password-file", pw, NULL);
	CHECK(r.status == 1 && HAS(r.err, "password"), "set-password too short: %d %s", r.status, r.err);
	ctl_free(&r);
	write_file(pw, "Correct-Paard-Batterij-7\n", 25);

	/* Export to a file only the owner can read. */
	r = ctl_run("--data", dir, "export", "--guardian", "G0002", "-o", out, NULL);
	CHECK(r.status == 0, "export -o: %d %s", r.status, r.err);
	CHECK(stat(out, &st) == 0 && (st.st_mode & 077) == 0, "export file mode %o", st.st_mode & 0777);
	text = test_read_file(out);
	CHECK(text && HAS(text, "Mehmet") && !HAS(text, "Marieke"), "guardian export holds only that family");
	free(text);
	ctl_free(&r);
	r = ctl_run("--data", dir, "export", "--pupil", "L4242", NULL);
	CHECK(r.status == 1 && HAS(r.err, "L4242"), "export unknown pupil: %d %s", r.status, r.err);
	ctl_free(&r);

	/* Backup: a store of its own that passes check. */
	r = ctl_run("--data", dir, "backup", bak, NULL);
	CHECK(r.status == 0, "backup: %d %s", r.status, r.err);
	ctl_free(&r);
	mkdir(bdir, 0700);
	CHECK(rename(bak, bdata) == 0, "move backup");
	E(poort_open(bdir, NULL, &p));
	E(poort_check(p, &violations));
	CHECK(json_array_size(violations) == 0, "backup has violations");
	E(poort_pupil_by_key(p, "L0002", &id));
	json_decref(violations);
	poort_close(p);

	r = ctl_run("--data", dir, "--lang", "en", "check", NULL);
	CHECK(r.status == 0, "check: %d %s %s", r.status, r.out, r.err);
	ctl_free(&r);
	test_rmdir(dir);
	test_rmdir(bdir);
	free(dir);
	free(fp);
	free(fg);
	free(fl);
	free(fs);
	free(pw);
	free(out);
	free(bak);
	free(bdir);
	free(bdata);
}

int main(void)
{
	char *base = test_tmpdir("ctl"), *none = path_in(base, "none");

	usage_errors(none);
	demo_school(base);
	bad_imports(base);
	good_import(base);
	test_rmdir(base);
	free(base);
	free(none);
	return test_done("cli_poortctl");
}
