/* Check-ins: parents' arrivals, late pupils, early pick-ups (and refused
 * ones), visitors, and who is in the building. Monday 2026-11-23. */
#include "test.h"
#include "people_fixture.h"
#include "daily_helpers.h"

static bool has_pupil(const json_t *list, poort_id pupil)
{
	size_t i;
	json_t *e;

	json_array_foreach(list, i, e)
		if ((poort_id)json_integer_value(json_object_get(e, "pupil")) == pupil)
			return true;
	return false;
}

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

int main(void)
{
	char *dir;
	poort *p = fixture_open("checkin", &dir);
	poort_id sanne = fixture_pupil(p, "L001"), daan = fixture_pupil(p, "L002"), noah = fixture_pupil(p, "L003"),
	         emma = fixture_pupil(p, "L004");
	poort_id marieke = fixture_parent(p, "100001", "12345"), fatma = fixture_parent(p, "100003", "11111"),
	         jan = fixture_parent(p, "100004", "22222");
	poort_id anna = fixture_login(p, "anna"), piet = fixture_login(p, "piet"), beheer = fixture_login(p, "beheer");
	poort_id g12 = fixture_group(p, "1/2");
	poort_day today = day("2026-11-23");
	poort_id id, v1, v2;
	json_t *list, *b, *e, *doc, *view, *f;
	size_t i;

	/* Noah's mother asks a neighbour with diacritics in her name to collect. */
	doc = json_loads("{\"pupils\": [{\"key\": \"L003\", \"first_name\": \"Noah\", \"last_name\": \"Bakker\","
	                 " \"birth_date\": \"2019-09-30\", \"group\": \"3\","
	                 " \"pickup_adults\": [{\"name\": \"Ayşe Çelik\", \"relation\": \"buurvrouw\"}]}]}", 0, NULL);
	E(poort_import(p, POORT_ACTOR_CONSOLE, doc, NULL));
	json_decref(doc);

	test_set_now(p, "2026-11-23T08:35");
	E(poort_register_mark(p, anna, today, sanne, POORT_PRESENT));
	E(poort_register_mark(p, anna, today, noah, POORT_PRESENT));
	E(poort_register_mark(p, piet, today, daan, POORT_PRESENT));
	E(poort_register_mark(p, beheer, today, emma, POORT_ABSENT));

	/* Late arrival: the register (still open) says late. */
	test_set_now(p, "2026-11-23T09:05");
	E(poort_checkin_late(p, jan, emma, "bus te laat", &id));
	CHECK(id != 0, "check-in id");
	E(poort_register_view(p, beheer, today, g12, &view));
	CHECK(strcmp(str(json_array_get(json_object_get(view, "pupils"), 0), "status"), "late") == 0, "register late");
	json_decref(view);
	EXPECT_ERR(poort_checkin_late(p, marieke, emma, NULL, &id), POORT_E_DENIED);
	CHECK(id == 0, "no id on refusal");
	EXPECT_ERR(poort_checkin_late(p, POORT_ACTOR_ANONYMOUS, emma, NULL, &id), POORT_E_DENIED);
	EXPECT_ERR(poort_checkin_late(p, jan, emma, "a\tb", &id), POORT_E_INVALID);

	/* Parents' arrival for an appointment. */
	E(poort_checkin_arrival(p, marieke, sanne, "gesprek met juf Anna", &id));
	EXPECT_ERR(poort_checkin_arrival(p, marieke, emma, "gesprek", &id), POORT_E_DENIED);
	EXPECT_ERR(poort_checkin_arrival(p, anna, 0, "gesprek", &id), POORT_E_DENIED);
	EXPECT_ERR(poort_checkin_arrival(p, POORT_ACTOR_ANONYMOUS, 0, "gesprek", &id), POORT_E_DENIED);

	/* Early pick-up: a guardian or an authorised adult, names compared loosely. */
	test_set_now(p, "2026-11-23T10:15");
	E(poort_checkin_pickup(p, anna, sanne, "  opa   KEES ", "tandarts", &id));
	E(poort_checkin_pickup(p, fatma, noah, "AYŞE ÇELIK", NULL, &id));
	E(poort_pickup_adults(p, marieke, sanne, &list));
	CHECK(json_array_size(list) == 3, "two parents and Opa Kees, got %zu", json_array_size(list));
	CHECK(strcmp(str(json_array_get(list, 2), "name"), "Opa Kees") == 0 &&
	      strcmp(str(json_array_get(list, 2), "kind"), "authorised") == 0, "authorised adult last");
	CHECK(strcmp(str(json_array_get(list, 0), "kind"), "guardian") == 0, "guardians first");
	json_decref(list);
	EXPECT_ERR(poort_pickup_adults(p, fatma, sanne, &list), POORT_E_DENIED);

	/* Refused: an unknown adult, an adult authorised for another child, an
	 * anonymous kiosk, another family's parent. Each refusal is recorded. */
	EXPECT_ERR(poort_checkin_pickup(p, piet, daan, "Oom Henk", NULL, &id), POORT_E_DENIED);
	CHECK(id == 0, "no id on refusal");
	EXPECT_ERR(poort_checkin_pickup(p, piet, daan, "Opa Kees", NULL, &id), POORT_E_DENIED);
	EXPECT_ERR(poort_checkin_pickup(p, POORT_ACTOR_ANONYMOUS, daan, "Marieke de Vries", NULL, &id), POORT_E_DENIED);
	EXPECT_ERR(poort_checkin_pickup(p, fatma, daan, "Fatma Bakker", NULL, &id), POORT_E_DENIED);
	EXPECT_ERR(poort_checkin_pickup(p, piet, daan, "", NULL, &id), POORT_E_INVALID);
	CHECK(audit_count(p, "pickup.refused", daan) == 4, "four refusals audited, got %zu",
	      audit_count(p, "pickup.refused", daan));
	f = json_pack("{ss si}", "action", "pickup.refused", "limit", 10);
	E(poort_audit_query(p, POORT_ACTOR_CONSOLE, f, &list));
	e = json_array_get(list, json_array_size(list) - 1);   /* oldest: Oom Henk */
	CHECK(strcmp(str(json_object_get(e, "detail"), "collector"), "Oom Henk") == 0, "the refused name is recorded");
	CHECK((poort_id)json_integer_value(json_object_get(e, "actor")) == piet, "and who tried");
	json_decref(list);
	json_decref(f);

	/* Visitors: anonymous sign-in and sign-out; the kiosk list shows names only. */
	E(poort_visitor_sign_in(p, POORT_ACTOR_ANONYMOUS, "Henk Loodgieter", "conciërge", &v1));
	E(poort_visitor_sign_in(p, POORT_ACTOR_ANONYMOUS, "Dr. Yıldız", "juf Anna (groep 3)", &v2));
	EXPECT_ERR(poort_visitor_sign_in(p, POORT_ACTOR_ANONYMOUS, "", "iemand", &id), POORT_E_INVALID);
	/* Half a UTF-8 character (or a stray continuation byte) is refused, not stored. */
	EXPECT_ERR(poort_visitor_sign_in(p, POORT_ACTOR_ANONYMOUS, "Zo\xC3", "iemand", &id), POORT_E_INVALID);
	EXPECT_ERR(poort_visitor_sign_in(p, POORT_ACTOR_ANONYMOUS, "Henk", "juf \xAB", &id), POORT_E_INVALID);
	EXPECT_ERR(poort_visitor_sign_in(p, POORT_ACTOR_ANONYMOUS, "Iemand", NULL, &id), POORT_E_INVALID);
	E(poort_visitor_list(p, POORT_ACTOR_ANONYMOUS, &list));
	CHECK(json_array_size(list) == 2, "two visitors");
	json_array_foreach(list, i, e)
		CHECK(json_object_size(e) == 2 && json_object_get(e, "id") && json_object_get(e, "name"),
		      "only id and name for the anonymous kiosk");
	json_decref(list);
	E(poort_visitor_sign_out(p, POORT_ACTOR_ANONYMOUS, v1));
	EXPECT_ERR(poort_visitor_sign_out(p, POORT_ACTOR_ANONYMOUS, v1), POORT_E_CONFLICT);
	EXPECT_ERR(poort_visitor_sign_out(p, POORT_ACTOR_ANONYMOUS, 999999), POORT_E_NOT_FOUND);

	/* Who is in the building. */
	E(poort_building_list(p, anna, &b));
	list = json_object_get(b, "pupils");
	CHECK(has_pupil(list, daan), "Daan present");
	CHECK(has_pupil(list, emma), "Emma arrived late");
	CHECK(!has_pupil(list, sanne) && !has_pupil(list, noah), "picked up early: gone");
	CHECK(json_array_size(list) == 2, "two pupils in, got %zu", json_array_size(list));
	list = json_object_get(b, "visitors");
	CHECK(json_array_size(list) == 1 && strcmp(str(json_array_get(list, 0), "name"), "Dr. Yıldız") == 0 &&
	      strcmp(str(json_array_get(list, 0), "visiting"), "juf Anna (groep 3)") == 0, "one visitor still in");
	list = json_object_get(b, "parents");
	CHECK(json_array_size(list) == 1 && strcmp(str(json_array_get(list, 0), "name"), "Marieke de Vries") == 0,
	      "Marieke checked in 70 minutes ago");
	CHECK(json_integer_value(json_object_get(json_object_get(b, "counts"), "pupils")) == 2, "counts");
	json_decref(b);
	EXPECT_ERR(poort_building_list(p, marieke, &b), POORT_E_DENIED);
	CHECK(b == NULL, "no list on refusal");
	EXPECT_ERR(poort_building_list(p, POORT_ACTOR_ANONYMOUS, &b), POORT_E_DENIED);
	CHECK(audit_count(p, "building.read", 0) == 1, "the building list read is audited");

	/* Two hours after her arrival Marieke no longer counts as in the building. */
	test_set_now(p, "2026-11-23T11:10");
	E(poort_building_list(p, beheer, &b));
	CHECK(json_array_size(json_object_get(b, "parents")) == 0, "parent window is 2 hours");
	json_decref(b);

	/* The day's events as each actor may see them. */
	E(poort_checkin_list(p, anna, today, &list));
	CHECK(json_array_size(list) == 3, "anna: Marieke's arrival, Sanne's and Noah's pick-ups; got %zu", json_array_size(list));
	CHECK(!has_pupil(list, emma), "not Emma of group 1/2");
	json_decref(list);
	E(poort_checkin_list(p, marieke, today, &list));
	CHECK(json_array_size(list) == 2 && has_pupil(list, sanne) && !has_pupil(list, noah),
	      "Marieke: her arrival and Sanne's pick-up");
	json_decref(list);
	E(poort_checkin_list(p, beheer, today, &list));
	CHECK(json_array_size(list) == 4, "admin: all four events, got %zu", json_array_size(list));
	json_decref(list);
	EXPECT_ERR(poort_checkin_list(p, POORT_ACTOR_ANONYMOUS, today, &list), POORT_E_DENIED);

	/* Not on a Saturday; not with the module off. */
	test_set_now(p, "2026-11-28T10:00");
	EXPECT_ERR(poort_checkin_pickup(p, anna, sanne, "Opa Kees", NULL, &id), POORT_E_NOT_SCHOOL_DAY);
	EXPECT_ERR(poort_checkin_late(p, jan, emma, NULL, &id), POORT_E_NOT_SCHOOL_DAY);
	E(poort_visitor_list(p, POORT_ACTOR_ANONYMOUS, &list));
	CHECK(json_array_size(list) == 0, "Monday's open visit is not in Saturday's list");
	json_decref(list);
	settings_update(p, "{\"modules\": {\"checkin\": false}}");
	EXPECT_ERR(poort_visitor_sign_in(p, POORT_ACTOR_ANONYMOUS, "Iemand", "iemand", &id), POORT_E_MODULE_OFF);
	settings_update(p, "{\"modules\": {\"checkin\": true}}");

	check_clean(p);
	poort_close(p);
	test_rmdir(dir);
	free(dir);
	return test_done("core_checkin");
}
