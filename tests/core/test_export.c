/* AVG right of access: a guardian's export holds exactly that family's
 * data, never the other guardian's hidden fields, never a secret; reads of
 * medical data and exports are audited. */
#include "test.h"
#include "people_fixture.h"

static bool contains(const json_t *v, const char *text)
{
	char *s = json_dumps(v, 0);
	bool yes = s && strstr(s, text);

	free(s);
	return yes;
}

/* Texts that belong to other families or are Joost's hidden data. */
static const char *const other_families[] = { "Bakker", "Jansen", "Fatma", "33333333", "44444444", "ritalin" };
static const char *const joost_hidden[] = { "22222222", "Verborgen", "verborgen", "Amsterdam", "joost.geheim" };

static size_t audit_count(const json_t *audit, const char *action, poort_id actor)
{
	size_t i, n = 0;
	json_t *e;

	json_array_foreach(audit, i, e)
		if (strcmp(json_string_value(json_object_get(e, "action")), action) == 0 &&
		    (!actor || (poort_id)json_integer_value(json_object_get(e, "actor")) == actor))
			n++;
	return n;
}

static void guardian_export(poort *p)
{
	poort_id admin = fixture_login(p, "beheer"), anna = fixture_login(p, "anna");
	poort_id marieke = fixture_parent(p, "100001", "12345"), joost = fixture_parent(p, "100002", "54321");
	poort_id g_marieke = fixture_guardian(p, "G001"), g_joost = fixture_guardian(p, "G002");
	json_t *x, *acc, *children, *joost_card = NULL, *g;
	size_t i, j;

	EXPECT_ERR(poort_export_guardian(p, anna, g_marieke, &x), POORT_E_DENIED);
	EXPECT_ERR(poort_export_guardian(p, marieke, g_joost, &x), POORT_E_DENIED);
	EXPECT_ERR(poort_export_guardian(p, POORT_ACTOR_ANONYMOUS, g_marieke, &x), POORT_E_DENIED);
	EXPECT_ERR(poort_export_guardian(p, admin, 987654, &x), POORT_E_NOT_FOUND);

	E(poort_export_guardian(p, admin, g_marieke, &x));
	CHECK(strcmp(json_string_value(json_object_get(json_object_get(x, "guardian"), "first_name")), "Marieke") == 0,
	      "own record");
	acc = json_object_get(x, "account");
	CHECK(acc && !json_object_get(acc, "password") && !json_object_get(acc, "pin") && !json_object_get(acc, "card") &&
	      !json_object_get(acc, "parent_code"), "no secrets");
	CHECK(json_is_true(json_object_get(json_object_get(acc, "credentials"), "pin")), "says a PIN exists");
	CHECK(!contains(x, "$argon2id$") && !contains(x, "12345\"") && !contains(x, MARIEKE_CARD), "no hashes or secrets");
	CHECK(json_array_size(json_object_get(x, "links")) == 2, "two links");
	children = json_object_get(x, "children");
	CHECK(json_array_size(children) == 2, "two children");
	json_array_foreach(children, i, g) {
		if (strcmp(json_string_value(json_object_get(g, "key")), "L001") == 0) {
			CHECK(contains(json_object_get(g, "medical"), "pinda"), "Sanne's medical data");
			CHECK(json_array_size(json_object_get(g, "emergency_contacts")) == 1, "emergency contacts");
			json_array_foreach(json_object_get(g, "guardians"), j, joost_card)
				if (strcmp(json_string_value(json_object_get(joost_card, "key")), "G002") == 0)
					break;
		}
	}
	CHECK(joost_card && json_object_get(joost_card, "first_name") && !json_object_get(joost_card, "phone"),
	      "the other guardian: name only");
	for (i = 0; i < sizeof joost_hidden / sizeof *joost_hidden; i++)
		CHECK(!contains(x, joost_hidden[i]), "Joost's hidden %s in Marieke's export", joost_hidden[i]);
	for (i = 0; i < sizeof other_families / sizeof *other_families; i++)
		CHECK(!contains(x, other_families[i]), "another family's %s in Marieke's export", other_families[i]);
	json_decref(x);

	/* The guardian themself; Joost's own export has his hidden data and
	 * Marieke's visible data, but nothing of other families. */
	E(poort_export_guardian(p, marieke, g_marieke, &x));
	json_decref(x);
	E(poort_export_guardian(p, joost, g_joost, &x));
	CHECK(contains(x, "Verborgen") && contains(x, "22222222"), "his own hidden data");
	CHECK(contains(x, "11111111"), "Marieke does not hide hers");
	for (i = 0; i < sizeof other_families / sizeof *other_families; i++)
		CHECK(!contains(x, other_families[i]), "another family's %s in Joost's export", other_families[i]);
	json_decref(x);

	/* Logins of the guardian are in their audit trail. */
	{
		poort_id acc_id;
		EXPECT_ERR(poort_login_kiosk(p, "100002", "00000", &acc_id), POORT_E_AUTH);
		E(poort_export_guardian(p, admin, g_joost, &x));
		CHECK(audit_count(json_object_get(x, "audit"), "login.failed", 0) == 1, "failed login audited");
		CHECK(audit_count(json_object_get(x, "audit"), "export.guardian", 0) >= 1, "exports audited");
		CHECK(!contains(json_object_get(x, "audit"), "Bakker"), "audit of others not included");
		json_decref(x);
	}
}

static void pupil_export(poort *p)
{
	poort_id admin = fixture_login(p, "beheer"), anna = fixture_login(p, "anna");
	poort_id marieke = fixture_parent(p, "100001", "12345"), fatma = fixture_parent(p, "100003", "11111");
	poort_id sanne = fixture_pupil(p, "L001"), noah = fixture_pupil(p, "L003");
	json_t *x, *card;
	size_t before;

	/* A teacher reads Noah's medical data: the read is audited. */
	E(poort_export_pupil(p, admin, noah, &x));
	before = audit_count(json_object_get(x, "audit"), "medical.read", anna);
	json_decref(x);
	E(poort_pupil_view(p, anna, noah, POORT_VIEW_MEDICAL, &card));
	json_decref(card);
	E(poort_pupil_view(p, anna, noah, POORT_VIEW_CONTACTS, &card));   /* not medical: not audited */
	json_decref(card);
	E(poort_export_pupil(p, admin, noah, &x));
	CHECK(audit_count(json_object_get(x, "audit"), "medical.read", anna) == before + 1, "one more medical.read by Anna");
	CHECK(contains(x, "ritalin"), "medical data in the pupil export");
	CHECK(!contains(x, "Vries"), "nothing of the De Vries family");
	json_decref(x);

	EXPECT_ERR(poort_export_pupil(p, anna, noah, &x), POORT_E_DENIED);
	EXPECT_ERR(poort_export_pupil(p, marieke, noah, &x), POORT_E_DENIED);
	EXPECT_ERR(poort_export_pupil(p, fatma, sanne, &x), POORT_E_DENIED);   /* no portal access */
	E(poort_export_pupil(p, marieke, sanne, &x));
	for (size_t i = 0; i < sizeof joost_hidden / sizeof *joost_hidden; i++)
		CHECK(!contains(x, joost_hidden[i]), "Joost's hidden %s in Marieke's export of Sanne", joost_hidden[i]);
	CHECK(!contains(json_object_get(x, "audit"), "detail"), "a parent sees who read, not the details");
	json_decref(x);
	E(poort_export_pupil(p, admin, sanne, &x));
	CHECK(contains(x, "Verborgen"), "the school sees everything");
	json_decref(x);
}

static poort_day day_of(const char *s)
{
	poort_day d;
	E(poort_day_parse(s, &d));
	return d;
}

/* Each parent reports one child absent; each export holds only their own. */
static void absences(poort *p)
{
	poort_id admin = fixture_login(p, "beheer");
	poort_id marieke = fixture_parent(p, "100001", "12345"), joost = fixture_parent(p, "100002", "54321");
	poort_id sanne = fixture_pupil(p, "L001"), daan = fixture_pupil(p, "L002");
	json_t *r, *x, *e;
	size_t i, mine = 0;

	E(poort_absence_report(p, marieke, sanne, day_of("2026-11-24"), day_of("2026-11-24"), POORT_REASON_SICK, NULL, &r));
	json_decref(r);
	E(poort_absence_report(p, joost, daan, day_of("2026-11-25"), day_of("2026-11-25"), POORT_REASON_OTHER,
	                       "weekend bij papa verlengd", &r));
	json_decref(r);
	E(poort_export_guardian(p, admin, fixture_guardian(p, "G001"), &x));
	json_array_foreach(json_object_get(x, "children"), i, e)
		mine += json_array_size(json_object_get(e, "absences_reported"));
	CHECK(mine == 1, "Marieke's one report: %zu", mine);
	CHECK(!contains(x, "bij papa"), "not Joost's report");
	json_decref(x);
	E(poort_export_guardian(p, joost, fixture_guardian(p, "G002"), &x));
	CHECK(contains(x, "bij papa"), "Joost's own report");
	json_decref(x);
	E(poort_export_pupil(p, admin, daan, &x));
	CHECK(json_array_size(json_object_get(x, "absences")) == 1 && contains(x, "bij papa"), "the pupil's absences");
	json_decref(x);
}

int main(void)
{
	char *dir;
	poort *p = fixture_open("export", &dir);

	/* Daan lives with Joost, who hides his address: the child's address is
	 * then his address too, and must not reach Marieke through Daan. */
	{
		json_t *doc = json_loads("{\"pupils\": [{\"key\": \"L002\", \"first_name\": \"Daan\", \"middle_name\": \"de\","
		                         " \"last_name\": \"Vries\", \"birth_date\": \"2017-01-15\", \"group\": \"5\","
		                         " \"address\": {\"street\": \"verborgen hof  9\", \"city\": \"Amsterdam\"}}]}", 0, NULL);
		json_t *card;
		E(poort_import(p, POORT_ACTOR_CONSOLE, doc, NULL));
		json_decref(doc);
		E(poort_pupil_view(p, fixture_parent(p, "100001", "12345"), fixture_pupil(p, "L002"), 0, &card));
		CHECK(!json_object_get(card, "address"), "Marieke does not see Daan's (Joost's) address");
		json_decref(card);
		E(poort_pupil_view(p, fixture_parent(p, "100002", "54321"), fixture_pupil(p, "L002"), 0, &card));
		CHECK(json_object_get(card, "address") != NULL, "Joost does");
		json_decref(card);
		E(poort_pupil_view(p, fixture_login(p, "piet"), fixture_pupil(p, "L002"), 0, &card));
		CHECK(json_object_get(card, "address") != NULL, "Daan's teacher does");
		json_decref(card);
	}
	absences(p);
	guardian_export(p);
	pupil_export(p);
	poort_close(p);
	test_rmdir(dir);
	free(dir);
	return test_done("core_export");
}
