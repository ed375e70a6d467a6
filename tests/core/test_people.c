/* People: the import (validation, all or nothing, update by key), who sees
 * which pupils, hidden contact data of separated parents, the pupil card. */
#include "test.h"
#include "people_fixture.h"

static size_t count_pupils(poort *p)
{
	json_t *list;
	size_t n;

	E(poort_pupil_list(p, POORT_ACTOR_CONSOLE, 0, &list));
	n = json_array_size(list);
	json_decref(list);
	return n;
}

/* Imports doc (JSON text), expecting err with field in the detail. */
static void import_bad(poort *p, const char *doc, poort_err want, const char *field)
{
	json_error_t jerr;
	json_t *d = json_loads(doc, 0, &jerr), *report = NULL;

	if (!d) {
		fprintf(stderr, "bad test JSON: %s: %s\n", doc, jerr.text);
		exit(1);
	}
	EXPECT_ERR(poort_import(p, POORT_ACTOR_CONSOLE, d, &report), want);
	CHECK(strstr(poort_error_detail(), field) != NULL, "detail '%s' should name %s", poort_error_detail(), field);
	CHECK(report == NULL, "no report on failure");
	json_decref(d);
}

#define PUPIL(k, extra) "{\"key\": \"" k "\", \"first_name\": \"Bo\", \"last_name\": \"Dijk\", " \
	"\"birth_date\": \"2018-03-03\", \"group\": \"3\"" extra "}"

static void import_validation(poort *p)
{
	size_t before = count_pupils(p);
	poort_id anna = fixture_login(p, "anna");
	json_t *doc = json_pack("{s[]}", "pupils");

	EXPECT_ERR(poort_import(p, anna, doc, NULL), POORT_E_DENIED);
	EXPECT_ERR(poort_import(p, POORT_ACTOR_ANONYMOUS, doc, NULL), POORT_E_DENIED);
	json_decref(doc);

	import_bad(p, "[]", POORT_E_INVALID, "document");
	import_bad(p, "{\"pupilz\": []}", POORT_E_INVALID, "pupilz");
	import_bad(p, "{\"pupils\": {}}", POORT_E_INVALID, "pupils");
	/* One bad row among good ones: nothing of the document is written. */
	import_bad(p, "{\"groups\": [{\"name\": \"8\", \"grades\": [8]}], \"pupils\": [" PUPIL("N1", "") ","
	              PUPIL("N2", ", \"birth_date\": \"2018-02-30\"") "]}", POORT_E_INVALID, "pupils[1].birth_date");
	import_bad(p, "{\"pupils\": [" PUPIL("N1", ", \"shoe_size\": 31") "]}", POORT_E_INVALID, "pupils[0].shoe_size");
	import_bad(p, "{\"pupils\": [{\"key\": \"N1\", \"last_name\": \"X\", \"birth_date\": \"2018-01-01\", \"group\": \"3\"}]}",
	           POORT_E_INVALID, "pupils[0].first_name");
	import_bad(p, "{\"pupils\": [" PUPIL("N1", ", \"first_name\": 7") "]}", POORT_E_INVALID, "pupils[0].first_name");
	import_bad(p, "{\"pupils\": [" PUPIL("N1", ", \"first_name\": \"a\\tb\"") "]}", POORT_E_INVALID, "pupils[0].first_name");
	import_bad(p, "{\"pupils\": [" PUPIL("N1", ", \"group\": \"9\"") "]}", POORT_E_NOT_FOUND, "pupils[0].group");
	import_bad(p, "{\"pupils\": [" PUPIL("N1", "") "," PUPIL("N1", "") "]}", POORT_E_EXISTS, "pupils[1].key");
	import_bad(p, "{\"pupils\": [" PUPIL("N1", ", \"address\": {\"street\": \"A\", \"country\": \"NL\"}") "]}",
	           POORT_E_INVALID, "pupils[0].address.country");
	import_bad(p, "{\"pupils\": [" PUPIL("N1", ", \"emergency_contacts\": [{\"name\": \"Oma\"}]") "]}",
	           POORT_E_INVALID, "pupils[0].emergency_contacts[0].phone");
	import_bad(p, "{\"pupils\": [" PUPIL("N1", ", \"emergency_contacts\": [{\"name\": \"Oma\", \"phone\": \"bel maar\"}]") "]}",
	           POORT_E_INVALID, "pupils[0].emergency_contacts[0].phone");
	import_bad(p, "{\"pupils\": [" PUPIL("N1", ", \"pickup_adults\": [{\"relation\": \"buurman\"}]") "]}",
	           POORT_E_INVALID, "pupils[0].pickup_adults[0].name");
	import_bad(p, "{\"pupils\": [" PUPIL("N1", ", \"medical\": {\"allergies\": \"pinda\"}") "]}",
	           POORT_E_INVALID, "pupils[0].medical.allergies");
	import_bad(p, "{\"groups\": [{\"name\": \"9\", \"grades\": [9]}]}", POORT_E_INVALID, "groups[0].grades[0]");
	import_bad(p, "{\"groups\": [{\"name\": \"9\"}]}", POORT_E_INVALID, "groups[0].grades");
	import_bad(p, "{\"staff\": [{\"username\": \"kim\", \"name\": \"Kim\", \"role\": \"janitor\"}]}",
	           POORT_E_INVALID, "staff[0].role");
	import_bad(p, "{\"staff\": [{\"username\": \"kim\", \"name\": \"Kim\", \"role\": \"teacher\", \"password\": \"kort\"}]}",
	           POORT_E_INVALID, "staff[0].password");
	import_bad(p, "{\"staff\": [{\"username\": \"kim\", \"name\": \"Kim\", \"role\": \"teacher\", \"groups\": [\"7\"]}]}",
	           POORT_E_NOT_FOUND, "staff[0].groups[0]");
	import_bad(p, "{\"guardians\": [{\"key\": \"G9\", \"first_name\": \"A\", \"last_name\": \"B\", \"email\": \"geen-adres\"}]}",
	           POORT_E_INVALID, "guardians[0].email");
	import_bad(p, "{\"guardians\": [{\"key\": \"G9\", \"first_name\": \"A\", \"last_name\": \"B\", \"pin\": \"1234\"}]}",
	           POORT_E_INVALID, "guardians[0].pin");
	import_bad(p, "{\"guardians\": [{\"key\": \"G9\", \"first_name\": \"A\", \"last_name\": \"B\", \"pin\": \"12345\"}]}",
	           POORT_E_INVALID, "guardians[0].parent_code");
	import_bad(p, "{\"guardians\": [{\"key\": \"G9\", \"first_name\": \"A\", \"last_name\": \"B\","
	              " \"parent_code\": \"100001\", \"pin\": \"12345\"}]}", POORT_E_EXISTS, "guardians[0].parent_code");
	import_bad(p, "{\"guardians\": [{\"key\": \"G9\", \"first_name\": \"A\", \"last_name\": \"B\","
	              " \"password\": \"lang-genoeg-wachtwoord\"}]}", POORT_E_INVALID, "guardians[0].email");
	import_bad(p, "{\"guardians\": [{\"key\": \"G9\", \"first_name\": \"A\", \"last_name\": \"B\", \"email\": \"anna\","
	              " \"password\": \"lang-genoeg-wachtwoord\"}]}", POORT_E_INVALID, "guardians[0].email");
	import_bad(p, "{\"links\": [{\"pupil\": \"L999\", \"guardian\": \"G001\"}]}", POORT_E_NOT_FOUND, "links[0].pupil");
	import_bad(p, "{\"links\": [{\"pupil\": \"L001\", \"guardian\": \"G999\"}]}", POORT_E_NOT_FOUND, "links[0].guardian");
	import_bad(p, "{\"links\": [{\"pupil\": \"L001\", \"guardian\": \"G001\", \"portal\": \"ja\"}]}",
	           POORT_E_INVALID, "links[0].portal");
	/* A third guardian with portal access is refused; without it is fine. */
	import_bad(p, "{\"links\": [{\"pupil\": \"L001\", \"guardian\": \"G003\"}]}", POORT_E_LIMIT, "links[0].portal");
	/* Emergency contacts are third parties, never a guardian's own number. */
	import_bad(p, "{\"pupils\": [{\"key\": \"L001\", \"first_name\": \"Sanne\", \"last_name\": \"Vries\","
	              " \"birth_date\": \"2019-04-02\", \"group\": \"3\","
	              " \"emergency_contacts\": [{\"name\": \"Papa\", \"phone\": \"+31 6 22222222\"}]}]}",
	           POORT_E_INVALID, "pupils[0].emergency_contacts[0].phone");
	import_bad(p, "{\"guardians\": [{\"key\": \"G001\", \"first_name\": \"Marieke\", \"last_name\": \"Vries\","
	              " \"phone\": \"0612000001\"}]}", POORT_E_INVALID, "guardians[0]");
	import_bad(p, "{\"school\": {\"absence_cutoff\": \"25:00\"}}", POORT_E_INVALID, "school.absence_cutoff");
	CHECK(count_pupils(p) == before, "nothing written: %zu pupils", count_pupils(p));
	{
		json_t *groups;
		E(poort_group_list(p, POORT_ACTOR_CONSOLE, &groups));
		CHECK(json_array_size(groups) == 3, "no group 8 from the refused document");
		json_decref(groups);
	}
}

/* The same document twice: the second import updates everything in place. */
static void import_twice(poort *p)
{
	json_t *doc = json_loads(school_doc, 0, NULL), *report, *stats1, *stats2, *v;
	poort_id acc;

	E(poort_stats(p, POORT_ACTOR_CONSOLE, &stats1));
	E(poort_import(p, POORT_ACTOR_CONSOLE, doc, &report));
	E(poort_stats(p, POORT_ACTOR_CONSOLE, &stats2));
	CHECK(json_integer_value(json_object_get(report, "pupils")) == 4 &&
	      json_integer_value(json_object_get(report, "links")) == 6, "report counts what was written");
	for (const char *const *db = (const char *const[]){ "pupils", "guardians", "staff", "accounts", "links",
	                                                    "guardian_pupils", "index", "groups", NULL }; *db; db++)
		CHECK(json_integer_value(json_object_get(json_object_get(stats1, "records"), *db)) ==
		      json_integer_value(json_object_get(json_object_get(stats2, "records"), *db)), "%s not duplicated", *db);
	E(poort_login_kiosk(p, "100001", "12345", &acc));
	E(poort_login_card(p, MARIEKE_CARD, &acc));
	E(poort_check(p, &v));
	CHECK(json_array_size(v) == 0, "still consistent");
	json_decref(v);
	json_decref(report);
	json_decref(stats1);
	json_decref(stats2);
	json_decref(doc);
}

static void import_update(poort *p)
{
	poort_id noah = fixture_pupil(p, "L003"), id;
	json_t *doc, *report, *card;
	size_t before = count_pupils(p);

	doc = json_loads("{\"pupils\": [{\"key\": \"L003\", \"first_name\": \"Noah\", \"middle_name\": \"\","
	                 " \"last_name\": \"Bakker-Yilmaz\", \"birth_date\": \"2019-09-30\", \"group\": \"3\"},"
	                 " {\"key\": \"L005\", \"first_name\": \"Zoë\", \"last_name\": \"Çelik\","
	                 " \"birth_date\": \"2020-02-29\", \"group\": \"1/2\"}],"
	                 " \"links\": [{\"pupil\": \"L001\", \"guardian\": \"G003\", \"portal\": false,"
	                 "   \"authority\": false, \"relation\": \"stiefmoeder\"},"
	                 "  {\"pupil\": \"L005\", \"guardian\": \"G003\"}]}", 0, NULL);
	E(poort_import(p, POORT_ACTOR_CONSOLE, doc, &report));
	json_decref(doc);
	CHECK(json_integer_value(json_object_get(report, "pupils")) == 2, "report pupils");
	CHECK(json_integer_value(json_object_get(report, "links")) == 2, "report links");
	CHECK(json_integer_value(json_object_get(report, "groups")) == 0, "report groups");
	json_decref(report);
	CHECK(count_pupils(p) == before + 1, "updated, not duplicated");
	E(poort_pupil_by_key(p, "L003", &id));
	CHECK(id == noah, "same id after update");
	E(poort_pupil_view(p, POORT_ACTOR_CONSOLE, noah, 0, &card));
	CHECK(strcmp(json_string_value(json_object_get(card, "last_name")), "Bakker-Yilmaz") == 0, "updated");
	CHECK(!json_object_get(card, "middle_name"), "empty optional field not stored");
	json_decref(card);
	EXPECT_ERR(poort_pupil_by_key(p, "L999", &id), POORT_E_NOT_FOUND);
	CHECK(id == 0, "0 when unknown");
}

static bool list_has(json_t *list, const char *k)
{
	size_t i;
	json_t *e;

	json_array_foreach(list, i, e)
		if (strcmp(json_string_value(json_object_get(e, "key")), k) == 0)
			return true;
	return false;
}

static void visibility(poort *p)
{
	poort_id marieke = fixture_parent(p, "100001", "12345"), fatma = fixture_parent(p, "100003", "11111");
	poort_id anna = fixture_login(p, "anna"), ineke = fixture_login(p, "ineke");
	poort_id sanne = fixture_pupil(p, "L001"), daan = fixture_pupil(p, "L002"), noah = fixture_pupil(p, "L003");
	json_t *list, *card, *groups;
	poort_id group5;

	/* A parent: own children only, another family's child is refused. */
	E(poort_pupil_list(p, marieke, 0, &list));
	CHECK(json_array_size(list) == 2 && list_has(list, "L001") && list_has(list, "L002"), "Marieke's two");
	json_decref(list);
	E(poort_pupil_view(p, marieke, sanne, POORT_VIEW_CONTACTS, &card));
	json_decref(card);
	EXPECT_ERR(poort_pupil_view(p, marieke, noah, 0, &card), POORT_E_DENIED);
	EXPECT_ERR(poort_pupil_view(p, marieke, 987654, 0, &card), POORT_E_DENIED);
	/* Fatma's link to Sanne has no portal access: no view. */
	EXPECT_ERR(poort_pupil_view(p, fatma, sanne, 0, &card), POORT_E_DENIED);
	E(poort_my_children(p, marieke, &list));
	CHECK(json_array_size(list) == 2, "my children");
	CHECK(strcmp(json_string_value(json_object_get(json_object_get(json_array_get(list, 0), "link"), "relation")),
	             "moeder") == 0, "with the link");
	json_decref(list);
	E(poort_my_children(p, fatma, &list));
	CHECK(json_array_size(list) == 2 && list_has(list, "L003") && list_has(list, "L005") && !list_has(list, "L001"),
	      "Fatma's portal children only");
	json_decref(list);
	EXPECT_ERR(poort_my_children(p, anna, &list), POORT_E_DENIED);
	E(poort_group_list(p, marieke, &groups));
	CHECK(json_array_size(groups) == 2, "groups of Marieke's children: %zu", json_array_size(groups));
	json_decref(groups);

	/* A teacher: own group yes, another group no; the IB'er sees all. */
	E(poort_pupil_list(p, anna, 0, &list));
	CHECK(list_has(list, "L001") && list_has(list, "L003") && !list_has(list, "L002") && !list_has(list, "L004"),
	      "Anna's group 3 only");
	json_decref(list);
	E(poort_pupil_view(p, anna, sanne, POORT_VIEW_CONTACTS, &card));
	json_decref(card);
	EXPECT_ERR(poort_pupil_view(p, anna, daan, 0, &card), POORT_E_DENIED);
	EXPECT_ERR(poort_pupil_view(p, anna, 987654, 0, &card), POORT_E_NOT_FOUND);
	group5 = 0;
	E(poort_group_list(p, anna, &groups));
	for (size_t i = 0; i < json_array_size(groups); i++)
		if (strcmp(json_string_value(json_object_get(json_array_get(groups, i), "name")), "5") == 0)
			group5 = (poort_id)json_integer_value(json_object_get(json_array_get(groups, i), "id"));
	json_decref(groups);
	EXPECT_ERR(poort_pupil_list(p, anna, group5, &list), POORT_E_DENIED);
	E(poort_pupil_list(p, ineke, group5, &list));
	CHECK(json_array_size(list) == 1 && list_has(list, "L002"), "IB sees group 5");
	json_decref(list);
	E(poort_pupil_list(p, ineke, 0, &list));
	CHECK(json_array_size(list) == 5, "IB sees all: %zu", json_array_size(list));
	/* Sorted by group name, then last name. */
	CHECK(strcmp(json_string_value(json_object_get(json_array_get(list, 0), "group_name")), "1/2") == 0, "sorted");
	json_decref(list);
	EXPECT_ERR(poort_pupil_list(p, POORT_ACTOR_ANONYMOUS, 0, &list), POORT_E_DENIED);
	EXPECT_ERR(poort_group_list(p, POORT_ACTOR_ANONYMOUS, &list), POORT_E_DENIED);
	EXPECT_ERR(poort_pupil_view(p, POORT_ACTOR_ANONYMOUS, sanne, 0, &card), POORT_E_DENIED);
}

static json_t *guardian_in(json_t *card, const char *k)
{
	size_t i;
	json_t *g;

	json_array_foreach(json_object_get(card, "guardians"), i, g)
		if (strcmp(json_string_value(json_object_get(g, "key")), k) == 0)
			return g;
	return NULL;
}

static void hidden_contacts(poort *p)
{
	poort_id marieke = fixture_parent(p, "100001", "12345"), joost = fixture_parent(p, "100002", "54321");
	poort_id fatma = fixture_parent(p, "100003", "11111"), jan = fixture_parent(p, "100004", "22222");
	poort_id anna = fixture_login(p, "anna"), piet = fixture_login(p, "piet");
	poort_id sanne = fixture_pupil(p, "L001"), g_joost = fixture_guardian(p, "G002");
	json_t *card, *g, *v;
	char *text;

	/* The other guardian: Joost's name, but no phone, e-mail or address. */
	E(poort_pupil_view(p, marieke, sanne, POORT_VIEW_CONTACTS, &card));
	g = guardian_in(card, "G002");
	CHECK(g && json_object_get(g, "first_name"), "Joost is listed");
	CHECK(g && !json_object_get(g, "phone") && !json_object_get(g, "email") && !json_object_get(g, "address"),
	      "hidden from the other guardian");
	text = json_dumps(card, 0);
	CHECK(!strstr(text, "22222222") && !strstr(text, "Verborgen") && !strstr(text, "joost.geheim"), "nowhere in the card");
	free(text);
	CHECK(json_array_size(json_object_get(card, "emergency_contacts")) == 1, "emergency contacts");
	CHECK(!json_object_get(guardian_in(card, "G001"), "account"), "no account ids for parents");
	json_decref(card);
	E(poort_guardian_view(p, marieke, g_joost, &v));
	CHECK(!json_object_get(v, "phone") && !json_object_get(v, "address"), "guardian view hides too");
	json_decref(v);
	/* Joost himself and staff see everything. */
	E(poort_guardian_view(p, joost, g_joost, &v));
	CHECK(json_object_get(v, "phone") && json_object_get(v, "address"), "own data");
	json_decref(v);
	E(poort_pupil_view(p, anna, sanne, POORT_VIEW_CONTACTS, &card));
	CHECK(json_object_get(guardian_in(card, "G002"), "phone"), "staff see the phone");
	json_decref(card);
	E(poort_guardian_view(p, anna, g_joost, &v));
	json_decref(v);
	/* Another family and a teacher of neither child: refused. */
	EXPECT_ERR(poort_guardian_view(p, jan, g_joost, &v), POORT_E_DENIED);
	EXPECT_ERR(poort_guardian_view(p, jan, 987654, &v), POORT_E_DENIED);
	E(poort_guardian_view(p, piet, g_joost, &v));   /* Piet teaches Daan */
	json_decref(v);
	/* Fatma's link to Sanne has no portal access: no way to Joost or Marieke. */
	EXPECT_ERR(poort_guardian_view(p, fatma, g_joost, &v), POORT_E_DENIED);
	EXPECT_ERR(poort_guardian_view(p, fatma, fixture_guardian(p, "G001"), &v), POORT_E_DENIED);
	E(poort_guardian_view(p, fatma, fixture_guardian(p, "G003"), &v));
	json_decref(v);

	/* Only Joost (or an administrator) decides. */
	EXPECT_ERR(poort_guardian_set_hidden(p, marieke, g_joost, false), POORT_E_DENIED);
	EXPECT_ERR(poort_guardian_set_hidden(p, anna, g_joost, false), POORT_E_DENIED);
	E(poort_guardian_set_hidden(p, joost, g_joost, false));
	E(poort_guardian_view(p, marieke, g_joost, &v));
	CHECK(json_object_get(v, "phone") != NULL, "visible again");
	json_decref(v);
	E(poort_guardian_set_hidden(p, POORT_ACTOR_CONSOLE, g_joost, true));
}

static void medical(poort *p)
{
	poort_id marieke = fixture_parent(p, "100001", "12345"), anna = fixture_login(p, "anna");
	poort_id sanne = fixture_pupil(p, "L001");
	json_t *card;

	E(poort_pupil_view(p, anna, sanne, 0, &card));
	CHECK(!json_object_get(card, "medical") && !json_object_get(card, "emergency_contacts"), "only what was asked");
	json_decref(card);
	E(poort_pupil_view(p, anna, sanne, POORT_VIEW_MEDICAL, &card));
	CHECK(strcmp(json_string_value(json_array_get(json_object_get(json_object_get(card, "medical"), "allergies"), 0)),
	             "pinda") == 0, "allergies");
	json_decref(card);
	E(poort_pupil_view(p, marieke, sanne, POORT_VIEW_MEDICAL | POORT_VIEW_CONTACTS, &card));
	CHECK(json_object_get(card, "medical") && json_object_get(card, "guardians"), "both parts");
	json_decref(card);
	EXPECT_ERR(poort_pupil_view(p, anna, sanne, 1u << 7, &card), POORT_E_INVALID);
}

/* Every text for front-ends has a Dutch translation. */
static void texts(void)
{
	static const char *const msgids[] = {
		POORT_LABEL_GROUP, POORT_LABEL_GUARDIANS, POORT_LABEL_EMERGENCY_CONTACTS, POORT_LABEL_PICKUP_ADULTS,
		POORT_LABEL_MEDICAL, POORT_LABEL_ALLERGIES, POORT_LABEL_MEDICATION, POORT_LABEL_DOCTOR,
		POORT_LABEL_ADDRESS, POORT_LABEL_PHONE, POORT_LABEL_EMAIL, POORT_LABEL_BIRTH_DATE,
		POORT_LABEL_HIDE_CONTACT, POORT_MSG_CONTACT_HIDDEN, POORT_MSG_CONTACT_VISIBLE, POORT_MSG_MEDICAL_LOGGED,
		POORT_LABEL_USERNAME, POORT_LABEL_PASSWORD, POORT_LABEL_PARENT_CODE, POORT_LABEL_PIN, POORT_LABEL_CARD,
		POORT_MSG_LOCKED_UNTIL, POORT_MSG_PASSWORD_TOO_SHORT,
	};
	char buf[160];

	for (size_t i = 0; i < sizeof msgids / sizeof *msgids; i++)
		CHECK(strcmp(poort_gettext("nl", msgids[i]), msgids[i]) != 0, "no Dutch for \"%s\"", msgids[i]);
	for (poort_role r = POORT_ROLE_PARENT; r <= POORT_ROLE_ADMIN; r++)
		CHECK(strcmp(poort_gettext("nl", poort_role_label(r)), poort_role_label(r)) != 0, "role %d in Dutch", r);
	CHECK(strcmp(poort_gettext("nl", poort_role_label(POORT_ROLE_IB)), "Intern begeleider") == 0, "IB");
	CHECK(strcmp(poort_gettext("en", POORT_LABEL_PIN), "PIN code") == 0, "English is the msgid");
	/* One %s, where the front-end puts the time. */
	snprintf(buf, sizeof buf, "%s", poort_gettext("nl", POORT_MSG_LOCKED_UNTIL));
	CHECK(strcmp(buf, "Te vaak een verkeerde code. U kunt het om %s opnieuw proberen.") == 0, "%s", buf);
}

int main(void)
{
	char *dir;
	poort *p = fixture_open("people", &dir);
	json_t *violations;

	texts();
	import_validation(p);
	import_twice(p);
	import_update(p);
	visibility(p);
	hidden_contacts(p);
	medical(p);
	E(poort_check(p, &violations));
	CHECK(json_array_size(violations) == 0, "check: %s", json_dumps(violations, 0));
	json_decref(violations);
	poort_close(p);
	test_rmdir(dir);
	free(dir);
	return test_done("core_people");
}
