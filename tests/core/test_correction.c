/* Correction requests: a guardian proposes, nothing changes until an
 * administrator approves (in one transaction) or rejects with a reason. */
#include "test.h"
#include "people_fixture.h"
#include "daily_helpers.h"

static poort_id propose(poort *p, poort_id actor, poort_correction_target target, poort_id id, const char *json)
{
	json_t *c = json_loads(json, 0, NULL);
	poort_id req = 0;

	E(poort_correction_propose(p, actor, target, id, c, &req));
	json_decref(c);
	return req;
}

static poort_err propose_err(poort *p, poort_id actor, poort_correction_target target, poort_id id, const char *json)
{
	json_t *c = json_loads(json, 0, NULL);
	poort_id req = 1;
	poort_err err = poort_correction_propose(p, actor, target, id, c, &req);

	CHECK(err == POORT_OK || req == 0, "no request id on failure");
	json_decref(c);
	return err;
}

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* A guardian's field as the administrator sees it; static buffer. */
static const char *guardian_field(poort *p, poort_id guardian, const char *field)
{
	static char buf[256];
	json_t *g;

	E(poort_guardian_view(p, POORT_ACTOR_CONSOLE, guardian, &g));
	snprintf(buf, sizeof buf, "%s", str(g, field));
	json_decref(g);
	return buf;
}

static json_t *request_in(poort *p, poort_id actor, bool pending_only, poort_id req)
{
	json_t *list, *e, *found = NULL;
	size_t i;

	E(poort_correction_list(p, actor, pending_only, &list));
	json_array_foreach(list, i, e)
		if ((poort_id)json_integer_value(json_object_get(e, "id")) == req)
			found = json_incref(e);
	json_decref(list);
	return found;
}

static size_t list_size(poort *p, poort_id actor, bool pending_only)
{
	json_t *list;
	size_t n;

	E(poort_correction_list(p, actor, pending_only, &list));
	n = json_array_size(list);
	json_decref(list);
	return n;
}

static uint64_t changelog_last(poort *p)
{
	json_t *s;
	uint64_t seq;

	E(poort_stats(p, POORT_ACTOR_CONSOLE, &s));
	seq = (uint64_t)json_integer_value(json_object_get(s, "changelog_seq"));
	json_decref(s);
	return seq;
}

int main(void)
{
	char *dir;
	poort *p = fixture_open("correction", &dir);
	poort_id sanne = fixture_pupil(p, "L001"), daan = fixture_pupil(p, "L002"), noah = fixture_pupil(p, "L003");
	poort_id g_marieke = fixture_guardian(p, "G001"), g_joost = fixture_guardian(p, "G002");
	poort_id marieke = fixture_parent(p, "100001", "12345"), joost = fixture_parent(p, "100002", "54321"),
	         fatma = fixture_parent(p, "100003", "11111");
	poort_id anna = fixture_login(p, "anna"), beheer = fixture_login(p, "beheer");
	poort_id r_phone, r_clash, r_med, r_joost, r_emerg, r_addr, r_email, id;
	poort_correction_target tg;
	json_t *e, *view, *list, *changes;
	uint64_t seq;
	size_t i;
	bool guardians_put = false, request_put = false;

	CHECK(poort_correction_target_parse("medical", &tg) == POORT_OK && tg == POORT_CORR_MEDICAL, "parse");
	EXPECT_ERR(poort_correction_target_parse("school", &tg), POORT_E_INVALID);

	/* A proposal changes nothing. */
	r_phone = propose(p, marieke, POORT_CORR_GUARDIAN, g_marieke, "{\"phone\": \"06-99999999\"}");
	CHECK(r_phone != 0, "request id");
	CHECK(strcmp(guardian_field(p, g_marieke, "phone"), "06-11111111") == 0, "pending: phone unchanged");
	e = request_in(p, marieke, false, r_phone);
	CHECK(e && strcmp(str(e, "status"), "pending") == 0 && strcmp(str(e, "target"), "guardian") == 0, "pending");
	json_decref(e);

	/* Approval applies the change and the decision in one transaction. */
	seq = changelog_last(p);
	E(poort_correction_decide(p, beheer, r_phone, true, NULL));
	CHECK(strcmp(guardian_field(p, g_marieke, "phone"), "06-99999999") == 0, "approved: phone changed");
	E(poort_changelog_read(p, POORT_ACTOR_CONSOLE, seq, 100, &list));
	json_array_foreach(list, i, e) {
		guardians_put |= strcmp(str(e, "db"), "guardians") == 0;
		request_put |= strcmp(str(e, "db"), "corrections") == 0;
		CHECK(json_integer_value(json_object_get(e, "at")) == json_integer_value(json_object_get(json_array_get(list, 0), "at")),
		      "one transaction, one time");
	}
	CHECK(guardians_put && request_put, "the change and the decision are in the change log");
	json_decref(list);
	e = request_in(p, marieke, false, r_phone);
	CHECK(e && strcmp(str(e, "status"), "approved") == 0 && json_object_get(e, "applied_at"), "guardian sees approved");
	json_decref(e);
	EXPECT_ERR(poort_correction_decide(p, beheer, r_phone, false, "toch niet"), POORT_E_CONFLICT);
	EXPECT_ERR(poort_correction_decide(p, beheer, 999999, true, NULL), POORT_E_NOT_FOUND);

	/* An approval that turns out invalid (a guardian's number may not be a
	 * child's emergency number) leaves everything as it was. */
	r_clash = propose(p, marieke, POORT_CORR_GUARDIAN, g_marieke, "{\"phone\": \"06-12000001\"}");
	EXPECT_ERR(poort_correction_decide(p, beheer, r_clash, true, NULL), POORT_E_INVALID);
	CHECK(strcmp(guardian_field(p, g_marieke, "phone"), "06-99999999") == 0, "nothing half-applied");
	e = request_in(p, beheer, true, r_clash);
	CHECK(e != NULL, "still pending");
	CHECK(e && strcmp(str(json_object_get(e, "current"), "phone"), "06-99999999") == 0, "admin sees the current value");
	json_decref(e);
	/* Rejecting needs a reason; the guardian sees it. */
	EXPECT_ERR(poort_correction_decide(p, beheer, r_clash, false, NULL), POORT_E_INVALID);
	EXPECT_ERR(poort_correction_decide(p, beheer, r_clash, false, ""), POORT_E_INVALID);
	E(poort_correction_decide(p, beheer, r_clash, false, "Dit is het nummer van oma."));
	e = request_in(p, marieke, false, r_clash);
	CHECK(e && strcmp(str(e, "status"), "rejected") == 0 && strcmp(str(e, "reason"), "Dit is het nummer van oma.") == 0,
	      "rejected with reason");
	json_decref(e);

	/* Medical data: pending changes nothing; approval applies; the
	 * administrator's reading of the request is audited. */
	r_med = propose(p, joost, POORT_CORR_MEDICAL, sanne, "{\"allergies\": [\"pinda\", \"hazelnoot\"]}");
	E(poort_pupil_view(p, beheer, sanne, POORT_VIEW_MEDICAL, &view));
	CHECK(json_array_size(json_object_get(json_object_get(view, "medical"), "allergies")) == 1, "medical unchanged");
	json_decref(view);
	i = audit_count(p, "medical.read", sanne);
	E(poort_correction_list(p, beheer, true, &list));
	json_decref(list);
	CHECK(audit_count(p, "medical.read", sanne) == i + 1, "reading a medical request is audited");
	E(poort_correction_decide(p, beheer, r_med, true, NULL));
	E(poort_pupil_view(p, beheer, sanne, POORT_VIEW_MEDICAL, &view));
	e = json_object_get(json_object_get(view, "medical"), "allergies");
	CHECK(json_array_size(e) == 2 && strcmp(json_string_value(json_array_get(e, 1)), "hazelnoot") == 0, "allergy added");
	CHECK(strcmp(str(json_object_get(view, "medical"), "conditions"), "astma") == 0, "other medical fields kept");
	json_decref(view);

	/* Separated parents: Joost's request about his own (hidden) contact data
	 * never reaches Marieke. */
	r_joost = propose(p, joost, POORT_CORR_GUARDIAN, g_joost, "{\"phone\": \"06-77777777\"}");
	e = request_in(p, marieke, false, r_joost);
	CHECK(e == NULL, "Marieke does not see Joost's request");
	json_decref(e);
	e = request_in(p, marieke, false, r_med);
	CHECK(e == NULL, "nor his request about their daughter");
	json_decref(e);
	e = request_in(p, joost, false, r_joost);
	CHECK(e != NULL, "Joost sees his own");
	json_decref(e);

	/* Emergency contacts and administrative data. */
	r_emerg = propose(p, marieke, POORT_CORR_EMERGENCY, sanne,
	                  "{\"emergency_contacts\": [{\"name\": \"Oma Truus\", \"relation\": \"oma\", \"phone\": \"06-12000001\"},"
	                  " {\"name\": \"Buurman Bas\", \"relation\": \"buurman\", \"phone\": \"06-55555555\"}]}");
	r_addr = propose(p, marieke, POORT_CORR_PUPIL, sanne,
	                 "{\"address\": {\"street\": \"Eikenlaan 7\", \"postcode\": \"3512 CD\", \"city\": \"Utrecht\"}}");
	E(poort_pupil_view(p, beheer, sanne, POORT_VIEW_CONTACTS, &view));
	CHECK(json_array_size(json_object_get(view, "emergency_contacts")) == 1, "pending: one emergency contact");
	CHECK(strcmp(str(json_object_get(view, "address"), "street"), "Lindelaan 4") == 0, "pending: old address");
	json_decref(view);
	E(poort_correction_decide(p, beheer, r_emerg, true, "gebeld ter controle"));
	E(poort_correction_decide(p, beheer, r_addr, true, NULL));
	E(poort_pupil_view(p, beheer, sanne, POORT_VIEW_CONTACTS, &view));
	CHECK(json_array_size(json_object_get(view, "emergency_contacts")) == 2 &&
	      strcmp(str(json_array_get(json_object_get(view, "emergency_contacts"), 1), "name"), "Buurman Bas") == 0,
	      "emergency contacts replaced");
	CHECK(strcmp(str(json_object_get(view, "address"), "street"), "Eikenlaan 7") == 0, "address changed");
	CHECK(strcmp(str(view, "first_name"), "Sanne") == 0, "other fields kept");
	json_decref(view);

	/* An e-mail change moves the web login along. */
	r_email = propose(p, marieke, POORT_CORR_GUARDIAN, g_marieke, "{\"email\": \"marieke.nieuw@example.nl\"}");
	E(poort_correction_decide(p, beheer, r_email, true, NULL));
	E(poort_login_password(p, "marieke.nieuw@example.nl", MARIEKE_PASSWORD, &id));
	CHECK(id == marieke, "logs in with the new address");
	EXPECT_ERR(poort_login_password(p, "marieke@example.nl", MARIEKE_PASSWORD, &id), POORT_E_AUTH);

	/* Refused proposals store nothing. */
	i = list_size(p, beheer, false);
	EXPECT_ERR(propose_err(p, marieke, POORT_CORR_PUPIL, noah, "{\"first_name\": \"Noa\"}"), POORT_E_DENIED);
	EXPECT_ERR(propose_err(p, marieke, POORT_CORR_PUPIL, 999999, "{\"first_name\": \"Noa\"}"), POORT_E_DENIED);
	EXPECT_ERR(propose_err(p, marieke, POORT_CORR_GUARDIAN, g_joost, "{\"phone\": \"06-12121212\"}"), POORT_E_DENIED);
	EXPECT_ERR(propose_err(p, anna, POORT_CORR_PUPIL, sanne, "{\"first_name\": \"Sana\"}"), POORT_E_DENIED);
	EXPECT_ERR(propose_err(p, beheer, POORT_CORR_PUPIL, sanne, "{\"first_name\": \"Sana\"}"), POORT_E_DENIED);
	EXPECT_ERR(propose_err(p, POORT_ACTOR_ANONYMOUS, POORT_CORR_PUPIL, sanne, "{\"first_name\": \"Sana\"}"), POORT_E_DENIED);
	EXPECT_ERR(propose_err(p, marieke, POORT_CORR_PUPIL, sanne, "{\"key\": \"L999\"}"), POORT_E_INVALID);
	CHECK(strstr(poort_error_detail(), "changes.key") != NULL, "detail names the field: %s", poort_error_detail());
	EXPECT_ERR(propose_err(p, marieke, POORT_CORR_PUPIL, sanne, "{\"group\": 1}"), POORT_E_INVALID);
	EXPECT_ERR(propose_err(p, marieke, POORT_CORR_PUPIL, sanne, "{\"first_name\": null}"), POORT_E_INVALID);
	EXPECT_ERR(propose_err(p, marieke, POORT_CORR_PUPIL, sanne, "{\"birth_date\": \"2019-02-30\"}"), POORT_E_INVALID);
	CHECK(strstr(poort_error_detail(), "changes.birth_date") != NULL, "detail: %s", poort_error_detail());
	EXPECT_ERR(propose_err(p, marieke, POORT_CORR_GUARDIAN, g_marieke, "{\"phone\": \"bel maar\"}"), POORT_E_INVALID);
	EXPECT_ERR(propose_err(p, marieke, POORT_CORR_GUARDIAN, g_marieke, "{\"hide_contact\": true}"), POORT_E_INVALID);
	EXPECT_ERR(propose_err(p, marieke, POORT_CORR_GUARDIAN, g_marieke, "{}"), POORT_E_INVALID);
	EXPECT_ERR(propose_err(p, marieke, POORT_CORR_MEDICAL, sanne, "{\"allergies\": \"pinda\"}"), POORT_E_INVALID);
	EXPECT_ERR(propose_err(p, marieke, POORT_CORR_EMERGENCY, sanne,
	                       "{\"emergency_contacts\": [{\"name\": \"Papa\", \"phone\": \"06-22222222\"}]}"),
	           POORT_E_INVALID);
	EXPECT_ERR(propose_err(p, marieke, POORT_CORR_EMERGENCY, sanne, "{\"emergency_contacts\": [{\"name\": \"Oom\"}]}"),
	           POORT_E_INVALID);
	changes = json_pack("{ss}", "first_name", "Noa");
	EXPECT_ERR(poort_correction_propose(p, marieke, (poort_correction_target)9, sanne, changes, &id), POORT_E_INVALID);
	json_decref(changes);
	CHECK(list_size(p, beheer, false) == i, "nothing stored by refused proposals");

	/* Changes to a child need parental authority, not only portal access. */
	{
		json_t *doc = json_loads("{\"links\": [{\"pupil\": \"L002\", \"guardian\": \"G002\", \"relation\": \"vader\","
		                         " \"authority\": false}]}", 0, NULL);
		E(poort_import(p, POORT_ACTOR_CONSOLE, doc, NULL));
		json_decref(doc);
	}
	EXPECT_ERR(propose_err(p, joost, POORT_CORR_MEDICAL, daan, "{\"conditions\": \"eczeem\"}"), POORT_E_DENIED);
	propose(p, marieke, POORT_CORR_MEDICAL, daan, "{\"conditions\": \"eczeem\"}");

	/* Only administrators decide. */
	id = propose(p, fatma, POORT_CORR_PUPIL, noah, "{\"middle_name\": \"van\"}");
	EXPECT_ERR(poort_correction_decide(p, fatma, id, true, NULL), POORT_E_DENIED);
	EXPECT_ERR(poort_correction_decide(p, anna, id, true, NULL), POORT_E_DENIED);
	EXPECT_ERR(poort_correction_decide(p, POORT_ACTOR_ANONYMOUS, id, false, "nee"), POORT_E_DENIED);
	e = request_in(p, fatma, false, id);
	CHECK(e && strcmp(str(e, "status"), "pending") == 0, "still pending after refused decisions");
	json_decref(e);
	EXPECT_ERR(poort_correction_list(p, anna, false, &list), POORT_E_DENIED);
	CHECK(list == NULL, "no list on refusal");
	E(poort_correction_decide(p, POORT_ACTOR_CONSOLE, id, true, NULL));

	/* A cap on open requests per guardian. */
	for (int n = 0; n < 20; n++)
		propose(p, fatma, POORT_CORR_MEDICAL, noah, "{\"medication\": \"paracetamol\"}");
	EXPECT_ERR(propose_err(p, fatma, POORT_CORR_MEDICAL, noah, "{\"medication\": \"x\"}"), POORT_E_LIMIT);

	/* The module switch. */
	settings_update(p, "{\"modules\": {\"corrections\": false}}");
	EXPECT_ERR(propose_err(p, marieke, POORT_CORR_PUPIL, sanne, "{\"first_name\": \"Sana\"}"), POORT_E_MODULE_OFF);
	EXPECT_ERR(poort_correction_decide(p, beheer, r_joost, true, NULL), POORT_E_MODULE_OFF);
	settings_update(p, "{\"modules\": {\"corrections\": true}}");

	CHECK(audit_count(p, "correction.propose", 0) >= 8, "proposals audited");
	CHECK(audit_count(p, "correction.reject", g_marieke) == 1, "rejection audited");
	check_clean(p);
	poort_close(p);
	test_rmdir(dir);
	free(dir);
	return test_done("core_correction");
}
