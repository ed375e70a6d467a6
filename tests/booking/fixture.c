#include "fixture.h"

static void die(const char *what, const char *key, poort_err err)
{
	fprintf(stderr, "fixture: %s %s: %s (%s)\n", what, key, poort_errname(err), poort_error_detail());
	exit(1);
}

poort_id fx_group(poort *p, const char *name)
{
	json_t *groups = NULL, *g;
	poort_err err = poort_group_list(p, POORT_ACTOR_CONSOLE, &groups);
	poort_id id = 0;
	size_t i;

	if (err)
		die("group list", name, err);
	json_array_foreach(groups, i, g)
		if (json_is_string(json_object_get(g, "name")) && strcmp(json_string_value(json_object_get(g, "name")), name) == 0)
			id = (poort_id)json_integer_value(json_object_get(g, "id"));
	json_decref(groups);
	if (!id)
		die("group", name, POORT_E_NOT_FOUND);
	return id;
}

poort_id fx_pupil(poort *p, const char *key)
{
	poort_id id;
	poort_err err = poort_pupil_by_key(p, key, &id);

	if (err)
		die("pupil", key, err);
	return id;
}

poort_id fx_guardian(poort *p, const char *key)
{
	poort_id id;
	poort_err err = poort_guardian_by_key(p, key, &id);

	if (err)
		die("guardian", key, err);
	return id;
}

poort_id fx_guardian_account(poort *p, const char *key)
{
	json_t *g = NULL;
	poort_id id;
	poort_err err = poort_guardian_view(p, POORT_ACTOR_CONSOLE, fx_guardian(p, key), &g);

	if (err)
		die("guardian view", key, err);
	id = (poort_id)json_integer_value(json_object_get(g, "account"));
	json_decref(g);
	if (!id)
		die("guardian account", key, POORT_E_NOT_FOUND);
	return id;
}

poort_id fx_staff_account(poort *p, const char *username, const char *password)
{
	poort_id account;
	poort_err err = poort_login_password(p, username, password, &account);

	if (err)
		die("staff login", username, err);
	return account;
}

poort_id fx_staff_id(poort *p, poort_id account)
{
	json_t *v = NULL;
	poort_id id;
	poort_err err = poort_account_view(p, POORT_ACTOR_CONSOLE, account, &v);

	if (err)
		die("account view", "", err);
	id = (poort_id)json_integer_value(json_object_get(v, "staff"));
	json_decref(v);
	if (!id)
		die("staff id", "", POORT_E_NOT_FOUND);
	return id;
}

void fx_import(poort *p, const char *doc_json)
{
	json_error_t jerr;
	json_t *doc = json_loads(doc_json, 0, &jerr);
	poort_err err;

	if (!doc) {
		fprintf(stderr, "fixture: bad JSON line %d: %s\n", jerr.line, jerr.text);
		exit(1);
	}
	err = poort_import(p, POORT_ACTOR_CONSOLE, doc, NULL);
	json_decref(doc);
	if (err)
		die("import", "", err);
}

/* Groups 1, 2 and 3/4. Anna teaches 1, Bram 2, Carla and Daan share 3/4.
 * Family A: Sanne (1) and Daan (2) with mother A1 and father A2.
 * Family B: Mila (1) with separated parents B1 and B2 (separate conversations).
 * Families C..H: one child each in 3/4 (C also has Sem in 2). */
void fx_small_school(poort *p)
{
	fx_import(p,
	  "{\"school\": {\"name\": \"OBS De Regenboog\"},"
	  " \"groups\": [{\"name\": \"1\", \"grades\": [1]}, {\"name\": \"2\", \"grades\": [2]},"
	  "              {\"name\": \"3/4\", \"grades\": [3, 4]}],"
	  " \"staff\": ["
	  "  {\"username\": \"anna\", \"name\": \"Juf Anna\", \"role\": \"teacher\", \"groups\": [\"1\"], \"password\": \"anna-wachtwoord\"},"
	  "  {\"username\": \"bram\", \"name\": \"Meester Bram\", \"role\": \"teacher\", \"groups\": [\"2\"], \"password\": \"bram-wachtwoord\"},"
	  "  {\"username\": \"carla\", \"name\": \"Juf Carla\", \"role\": \"teacher\", \"groups\": [\"3/4\"], \"password\": \"carla-wachtwoord\"},"
	  "  {\"username\": \"daan\", \"name\": \"Meester Daan\", \"role\": \"teacher\", \"groups\": [\"3/4\"], \"password\": \"daan-wachtwoord\"},"
	  "  {\"username\": \"eva\", \"name\": \"Eva (administratie)\", \"role\": \"admin\", \"password\": \"eva-wachtwoord\"}],"
	  " \"pupils\": ["
	  "  {\"key\": \"L1\", \"first_name\": \"Sanne\", \"last_name\": \"Jansen\", \"birth_date\": \"2021-03-01\", \"group\": \"1\"},"
	  "  {\"key\": \"L2\", \"first_name\": \"Daan\", \"last_name\": \"Jansen\", \"birth_date\": \"2020-02-01\", \"group\": \"2\"},"
	  "  {\"key\": \"L3\", \"first_name\": \"Mila\", \"middle_name\": \"van\", \"last_name\": \"Dijk\", \"birth_date\": \"2021-05-05\", \"group\": \"1\", \"separate_conversations\": true},"
	  "  {\"key\": \"L4\", \"first_name\": \"Noor\", \"last_name\": \"Çelik\", \"birth_date\": \"2018-01-01\", \"group\": \"3/4\"},"
	  "  {\"key\": \"L5\", \"first_name\": \"Finn\", \"last_name\": \"de Vries\", \"birth_date\": \"2018-02-01\", \"group\": \"3/4\"},"
	  "  {\"key\": \"L6\", \"first_name\": \"Tess\", \"last_name\": \"Bakker\", \"birth_date\": \"2018-03-01\", \"group\": \"3/4\"},"
	  "  {\"key\": \"L7\", \"first_name\": \"Lucas\", \"last_name\": \"Visser\", \"birth_date\": \"2018-04-01\", \"group\": \"3/4\"},"
	  "  {\"key\": \"L8\", \"first_name\": \"Emma\", \"last_name\": \"Smit\", \"birth_date\": \"2018-05-01\", \"group\": \"3/4\"},"
	  "  {\"key\": \"L9\", \"first_name\": \"Sem\", \"last_name\": \"Çelik\", \"birth_date\": \"2020-06-01\", \"group\": \"2\"},"
	  "  {\"key\": \"L10\", \"first_name\": \"Julia\", \"last_name\": \"Mulder\", \"birth_date\": \"2018-06-01\", \"group\": \"3/4\"}],"
	  " \"guardians\": ["
	  "  {\"key\": \"A1\", \"first_name\": \"Eva\", \"last_name\": \"Jansen\", \"email\": \"eva.jansen@example.nl\", \"phone\": \"0612345678\", \"parent_code\": \"100001\", \"pin\": \"11111\"},"
	  "  {\"key\": \"A2\", \"first_name\": \"Mark\", \"last_name\": \"Jansen\", \"email\": \"mark.jansen@example.nl\", \"parent_code\": \"100002\", \"pin\": \"22222\"},"
	  "  {\"key\": \"B1\", \"first_name\": \"Ilse\", \"last_name\": \"van Dijk\", \"email\": \"ilse@example.nl\", \"phone\": \"0687654321\", \"parent_code\": \"100003\", \"pin\": \"33333\", \"hide_contact\": true},"
	  "  {\"key\": \"B2\", \"first_name\": \"Rob\", \"last_name\": \"van Dijk\", \"email\": \"rob@example.nl\", \"parent_code\": \"100004\", \"pin\": \"44444\"},"
	  "  {\"key\": \"C1\", \"first_name\": \"Ayşe\", \"last_name\": \"Çelik\", \"parent_code\": \"100005\", \"pin\": \"55555\"},"
	  "  {\"key\": \"D1\", \"first_name\": \"Joost\", \"last_name\": \"de Vries\", \"parent_code\": \"100006\", \"pin\": \"66666\"},"
	  "  {\"key\": \"E1\", \"first_name\": \"Kim\", \"last_name\": \"Bakker\", \"parent_code\": \"100007\", \"pin\": \"77777\"},"
	  "  {\"key\": \"F1\", \"first_name\": \"Sven\", \"last_name\": \"Visser\", \"parent_code\": \"100008\", \"pin\": \"88888\"},"
	  "  {\"key\": \"G1\", \"first_name\": \"Lotte\", \"last_name\": \"Smit\", \"parent_code\": \"100009\", \"pin\": \"99999\"},"
	  "  {\"key\": \"H1\", \"first_name\": \"Anouk\", \"last_name\": \"Mulder\", \"parent_code\": \"100010\", \"pin\": \"12121\"}],"
	  " \"links\": ["
	  "  {\"pupil\": \"L1\", \"guardian\": \"A1\"}, {\"pupil\": \"L1\", \"guardian\": \"A2\"},"
	  "  {\"pupil\": \"L2\", \"guardian\": \"A1\"}, {\"pupil\": \"L2\", \"guardian\": \"A2\"},"
	  "  {\"pupil\": \"L3\", \"guardian\": \"B1\"}, {\"pupil\": \"L3\", \"guardian\": \"B2\"},"
	  "  {\"pupil\": \"L4\", \"guardian\": \"C1\"}, {\"pupil\": \"L9\", \"guardian\": \"C1\"},"
	  "  {\"pupil\": \"L5\", \"guardian\": \"D1\"}, {\"pupil\": \"L6\", \"guardian\": \"E1\"},"
	  "  {\"pupil\": \"L7\", \"guardian\": \"F1\"}, {\"pupil\": \"L8\", \"guardian\": \"G1\"},"
	  "  {\"pupil\": \"L10\", \"guardian\": \"H1\"}]}");
}

/* ---- the big school ---- */

static int64_t big_now(void *arg)
{
	(void)arg;
	return poort_unix_time(20486 /* 2026-02-02 */, 19 * 60);
}

void fx_big_clock(poort *p)
{
	poort_set_clock(p, big_now, NULL);
}

static void big_alloc(fx_big *b, size_t ngroups, size_t npupils)
{
	b->ngroups = ngroups;
	b->npupils = npupils;
	b->staff = calloc(ngroups, sizeof *b->staff);
	b->staff_acc = calloc(ngroups, sizeof *b->staff_acc);
	b->slots = calloc(ngroups, sizeof *b->slots);
	b->nslots = calloc(ngroups, sizeof *b->nslots);
	b->pupil = calloc(npupils, sizeof *b->pupil);
	b->guardian_acc = calloc(npupils, sizeof *b->guardian_acc);
	b->group_of = calloc(npupils, sizeof *b->group_of);
}

void fx_big_load(poort *p, fx_big *b, size_t ngroups, size_t npupils, size_t siblings_every)
{
	char k[32], pw[32];
	json_t *rounds = NULL, *sched = NULL, *v;
	size_t i, j;

	big_alloc(b, ngroups, npupils);
	fx_big_clock(p);
	E(poort_round_list(p, POORT_ACTOR_CONSOLE, &rounds));
	b->round = (poort_id)json_integer_value(json_object_get(json_array_get(rounds, 0), "id"));
	json_decref(rounds);
	for (i = 0; i < ngroups; i++) {
		snprintf(k, sizeof k, "t%03zu", i);
		snprintf(pw, sizeof pw, "wachtwoord-%03zu", i);
		b->staff_acc[i] = fx_staff_account(p, k, pw);
		b->staff[i] = fx_staff_id(p, b->staff_acc[i]);
		E(poort_teacher_schedule(p, POORT_ACTOR_CONSOLE, b->round, b->staff[i], 0, &sched));
		b->nslots[i] = json_array_size(json_object_get(sched, "slots"));
		b->slots[i] = calloc(b->nslots[i] + 1, sizeof **b->slots);
		json_array_foreach(json_object_get(sched, "slots"), j, v)
			b->slots[i][j] = (poort_id)json_integer_value(json_object_get(v, "slot"));
		json_decref(sched);
	}
	for (i = 0; i < ngroups; i++) {
		json_t *list = NULL;
		snprintf(k, sizeof k, "G%03zu", i);
		E(poort_pupil_list(p, POORT_ACTOR_CONSOLE, fx_group(p, k), &list));
		json_array_foreach(list, j, v) {
			const char *key = json_string_value(json_object_get(v, "key"));
			size_t n = key ? (size_t)atol(key + 1) : npupils;
			if (n < npupils) {
				b->pupil[n] = (poort_id)json_integer_value(json_object_get(v, "id"));
				b->group_of[n] = i;
			}
		}
		json_decref(list);
	}
	for (i = 0; i < npupils; i++) {
		/* The sibling of a shared guardian is booked by that guardian. */
		snprintf(k, sizeof k, "V%05zu", siblings_every && i % siblings_every == 1 ? i - 1 : i);
		b->guardian_acc[i] = fx_guardian_account(p, k);
		if (!b->pupil[i]) {
			fprintf(stderr, "fixture: pupil %zu missing\n", i);
			exit(1);
		}
	}
}

void fx_big_school(poort *p, fx_big *b, size_t ngroups, const size_t *counts, int evenings, int per_evening,
                   size_t siblings_every)
{
	json_t *doc = json_pack("{s{ss} s[] s[] s[] s[] s[]}", "school", "name", "De Drukke Dinsdag", "groups", "staff",
	                        "pupils", "guardians", "links");
	json_t *spec, *windows = json_array(), *groups = json_array(), *report = NULL;
	char name[32], k[32], card[48], pw[32], day[11];
	size_t i, g, n = 0, npupils = 0;
	poort_id round, staff;

	for (g = 0; g < ngroups; g++)
		npupils += counts[g];
	for (g = 0; g < ngroups; g++) {
		snprintf(name, sizeof name, "G%03zu", g);
		snprintf(k, sizeof k, "t%03zu", g);
		snprintf(pw, sizeof pw, "wachtwoord-%03zu", g);
		json_array_append_new(json_object_get(doc, "groups"), json_pack("{ss s[i]}", "name", name, "grades", (int)(g % 8) + 1));
		json_array_append_new(json_object_get(doc, "staff"),
		                      json_pack("{ss ss ss s[s] ss}", "username", k, "name", k, "role", "teacher", "groups",
		                                name, "password", pw));
		for (i = 0; i < counts[g]; i++, n++) {
			snprintf(k, sizeof k, "P%05zu", n);
			json_array_append_new(json_object_get(doc, "pupils"),
			                      json_pack("{ss ss ss ss ss}", "key", k, "first_name", "Kind", "last_name", k,
			                                "birth_date", "2018-01-01", "group", name));
			snprintf(card, sizeof card, "kaart-%05zu-abcdefghij", n);
			snprintf(pw, sizeof pw, "V%05zu", n);
			json_array_append_new(json_object_get(doc, "guardians"),
			                      json_pack("{ss ss ss ss}", "key", pw, "first_name", "Ouder", "last_name", pw,
			                                "card", card));
			snprintf(pw, sizeof pw, "V%05zu", siblings_every && n % siblings_every == 1 ? n - 1 : n);
			json_array_append_new(json_object_get(doc, "links"), json_pack("{ss ss}", "pupil", k, "guardian", pw));
		}
	}
	E(poort_import(p, POORT_ACTOR_CONSOLE, doc, &report));
	json_decref(report);
	json_decref(doc);
	for (g = 0; g < ngroups; g++) {
		json_array_append_new(groups, json_integer((json_int_t)fx_group(p, (snprintf(name, sizeof name, "G%03zu", g), name))));
		snprintf(k, sizeof k, "t%03zu", g);
		snprintf(pw, sizeof pw, "wachtwoord-%03zu", g);
		staff = fx_staff_id(p, fx_staff_account(p, k, pw));
		for (int e = 0; e < evenings; e++) {
			int to = 15 * 60 + 10 * per_evening;
			char until[24];
			snprintf(until, sizeof until, "%02d:%02d", to / 60, to % 60);
			json_array_append_new(windows, json_pack("{sI ss ss ss}", "staff", (json_int_t)staff, "day",
			                                         poort_day_format(20507 + e /* 2026-02-23 */, day), "from",
			                                         "15:00", "to", until));
		}
	}
	spec = json_pack("{ss so ss ss so}", "name", "Rapportgesprekken februari", "groups", groups, "opens",
	                 "2026-02-01T08:00", "closes", "2026-02-20T20:00", "windows", windows);
	E(poort_round_create(p, POORT_ACTOR_CONSOLE, spec, &round));
	json_decref(spec);
	fx_big_load(p, b, ngroups, npupils, siblings_every);
}

void fx_big_free(fx_big *b)
{
	for (size_t i = 0; i < b->ngroups; i++)
		free(b->slots[i]);
	free(b->slots);
	free(b->nslots);
	free(b->staff);
	free(b->staff_acc);
	free(b->pupil);
	free(b->guardian_acc);
	free(b->group_of);
	memset(b, 0, sizeof *b);
}
