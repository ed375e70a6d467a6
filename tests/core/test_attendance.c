/* The attendance register and the unexplained-absence list. Group 3 holds
 * Sanne (parents Marieke and Joost, who hides his contact data; emergency
 * contact Oma Truus) and Noah (mother Fatma); Daan is in group 5. */
#include "test.h"
#include "people_fixture.h"
#include "daily_helpers.h"

static const char *status_of(const json_t *view, poort_id pupil)
{
	size_t i;
	json_t *e;

	json_array_foreach(json_object_get(view, "pupils"), i, e)
		if ((poort_id)json_integer_value(json_object_get(e, "pupil")) == pupil)
			return json_is_string(json_object_get(e, "status")) ? json_string_value(json_object_get(e, "status"))
			                                                     : "(none)";
	return "(missing)";
}

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

int main(void)
{
	char *dir;
	poort *p = fixture_open("attendance", &dir);
	poort_id sanne = fixture_pupil(p, "L001"), daan = fixture_pupil(p, "L002"), noah = fixture_pupil(p, "L003");
	poort_id marieke = fixture_parent(p, "100001", "12345"), fatma = fixture_parent(p, "100003", "11111");
	poort_id anna = fixture_login(p, "anna"), piet = fixture_login(p, "piet"), ineke = fixture_login(p, "ineke"),
	         beheer = fixture_login(p, "beheer");
	poort_id g3 = fixture_group(p, "3"), g5 = fixture_group(p, "5");
	poort_day today = day("2026-11-23");
	json_t *view, *list, *r, *e, *contacts;
	poort_presence st;

	CHECK(poort_presence_parse("late", &st) == POORT_OK && st == POORT_LATE, "parse");
	EXPECT_ERR(poort_presence_parse("weg", &st), POORT_E_INVALID);
	CHECK(strcmp(poort_presence_name(POORT_ABSENT), "absent") == 0, "name");

	test_set_now(p, "2026-11-23T08:40");
	E(poort_absence_report(p, fatma, noah, today, today, POORT_REASON_SICK, NULL, &r));
	json_decref(r);

	/* Who may mark, and when. */
	E(poort_register_mark(p, anna, today, noah, POORT_ABSENT));
	E(poort_register_mark(p, anna, today, sanne, POORT_PRESENT));
	EXPECT_ERR(poort_register_mark(p, piet, today, sanne, POORT_ABSENT), POORT_E_DENIED);
	EXPECT_ERR(poort_register_mark(p, marieke, today, sanne, POORT_ABSENT), POORT_E_DENIED);
	EXPECT_ERR(poort_register_mark(p, POORT_ACTOR_ANONYMOUS, today, sanne, POORT_ABSENT), POORT_E_DENIED);
	EXPECT_ERR(poort_register_mark(p, anna, day("2026-11-24"), sanne, POORT_ABSENT), POORT_E_NOT_OPEN);
	EXPECT_ERR(poort_register_mark(p, anna, day("2026-11-22"), sanne, POORT_ABSENT), POORT_E_NOT_SCHOOL_DAY);
	EXPECT_ERR(poort_register_mark(p, anna, today, 999999, POORT_ABSENT), POORT_E_NOT_FOUND);
	EXPECT_ERR(poort_register_mark(p, anna, today, sanne, (poort_presence)7), POORT_E_INVALID);
	/* Sanne turns out not to be there after all: the teacher corrects. */
	E(poort_register_mark(p, anna, today, sanne, POORT_LATE));

	E(poort_register_view(p, anna, today, g3, &view));
	CHECK(json_is_false(json_object_get(view, "closed")), "open");
	CHECK(strcmp(status_of(view, sanne), "late") == 0, "Sanne late: %s", status_of(view, sanne));
	CHECK(strcmp(status_of(view, noah), "absent") == 0, "Noah absent");
	json_decref(view);
	EXPECT_ERR(poort_register_view(p, piet, today, g3, &view), POORT_E_DENIED);
	EXPECT_ERR(poort_register_view(p, marieke, today, g3, &view), POORT_E_DENIED);
	EXPECT_ERR(poort_register_view(p, anna, today, 999999, &view), POORT_E_NOT_FOUND);

	/* Before closing there is no unexplained list for the group. */
	EXPECT_ERR(poort_unexplained_absences(p, anna, today, g3, &list), POORT_E_CONFLICT);
	E(poort_register_mark(p, anna, today, sanne, POORT_PRESENT));
	EXPECT_ERR(poort_register_close(p, piet, today, g3), POORT_E_DENIED);
	EXPECT_ERR(poort_register_close(p, marieke, today, g3), POORT_E_DENIED);
	EXPECT_ERR(poort_register_close(p, anna, day("2026-11-24"), g3), POORT_E_NOT_OPEN);
	E(poort_register_close(p, anna, today, g3));
	EXPECT_ERR(poort_register_close(p, anna, today, g3), POORT_E_CLOSED);
	EXPECT_ERR(poort_register_mark(p, anna, today, sanne, POORT_ABSENT), POORT_E_CLOSED);
	E(poort_unexplained_absences(p, anna, today, g3, &list));
	CHECK(json_array_size(list) == 0, "Noah has a report, Sanne is present: nobody unexplained");
	json_decref(list);

	/* Tuesday: Sanne is not marked, Noah absent without a report this time. */
	test_set_now(p, "2026-11-24T09:00");
	today = day("2026-11-24");
	E(poort_register_mark(p, anna, today, noah, POORT_ABSENT));
	E(poort_register_mark(p, piet, today, daan, POORT_PRESENT));
	E(poort_register_close(p, anna, today, g3));
	E(poort_register_view(p, ineke, today, g3, &view));
	CHECK(json_is_true(json_object_get(view, "closed")), "closed");
	CHECK(strcmp(status_of(view, sanne), "absent") == 0, "closing made the unmarked absent: %s", status_of(view, sanne));
	json_decref(view);

	E(poort_unexplained_absences(p, anna, today, g3, &list));
	CHECK(json_array_size(list) == 2, "Sanne and Noah unexplained, got %zu", json_array_size(list));
	e = json_array_get(list, 0);
	CHECK((poort_id)json_integer_value(json_object_get(e, "pupil")) == sanne, "Sanne first (id order)");
	CHECK(strcmp(str(e, "name"), "Sanne de Vries") == 0, "name");
	CHECK((poort_id)json_integer_value(json_object_get(e, "group")) == g3, "group");
	contacts = json_object_get(e, "contacts");
	CHECK(json_array_size(contacts) == 3, "two parents and one emergency number, got %zu", json_array_size(contacts));
	CHECK(strcmp(str(json_array_get(contacts, 0), "kind"), "guardian") == 0 &&
	      strcmp(str(json_array_get(contacts, 1), "kind"), "guardian") == 0 &&
	      strcmp(str(json_array_get(contacts, 2), "kind"), "emergency") == 0, "guardians before the emergency number");
	CHECK(strcmp(str(json_array_get(contacts, 0), "phone"), "06-11111111") == 0, "Marieke's number");
	CHECK(strcmp(str(json_array_get(contacts, 1), "phone"), "06-22222222") == 0,
	      "Joost hides his number from the other parent, not from staff");
	CHECK(strcmp(str(json_array_get(contacts, 1), "relation"), "vader") == 0, "relation");
	CHECK(strcmp(str(json_array_get(contacts, 2), "name"), "Oma Truus") == 0 &&
	      strcmp(str(json_array_get(contacts, 2), "phone"), "06-12000001") == 0, "emergency contact");
	e = json_array_get(list, 1);
	CHECK((poort_id)json_integer_value(json_object_get(e, "pupil")) == noah, "Noah second");
	json_decref(list);

	/* Who may read it: the group's teacher, ib, admin; not another teacher, not parents. */
	EXPECT_ERR(poort_unexplained_absences(p, piet, today, g3, &list), POORT_E_DENIED);
	CHECK(list == NULL, "no list on refusal");
	EXPECT_ERR(poort_unexplained_absences(p, marieke, today, 0, &list), POORT_E_DENIED);
	EXPECT_ERR(poort_unexplained_absences(p, POORT_ACTOR_ANONYMOUS, today, 0, &list), POORT_E_DENIED);
	E(poort_unexplained_absences(p, piet, today, 0, &list));
	CHECK(json_array_size(list) == 0, "piet's group 5 is not closed: nothing");
	json_decref(list);
	EXPECT_ERR(poort_unexplained_absences(p, piet, today, g5, &list), POORT_E_CONFLICT);
	E(poort_register_close(p, piet, today, g5));
	E(poort_unexplained_absences(p, ineke, today, 0, &list));
	CHECK(json_array_size(list) == 2, "ib sees all closed groups: 2, got %zu", json_array_size(list));
	json_decref(list);
	CHECK(audit_count(p, "absence.unexplained.read", 0) == 4, "every read audited: %zu",
	      audit_count(p, "absence.unexplained.read", 0));

	/* Mother phones at 10: the office records the report; Noah drops off the list. */
	E(poort_absence_report(p, beheer, noah, today, today, POORT_REASON_SICK, "moeder belde", &r));
	json_decref(r);
	E(poort_unexplained_absences(p, anna, today, g3, &list));
	CHECK(json_array_size(list) == 1 && (poort_id)json_integer_value(json_object_get(json_array_get(list, 0), "pupil")) == sanne,
	      "a pupil with a report is not on the list");
	json_decref(list);

	/* After closing only an administrator corrects, and it is audited. */
	EXPECT_ERR(poort_register_mark(p, ineke, today, sanne, POORT_PRESENT), POORT_E_CLOSED);
	E(poort_register_mark(p, beheer, today, sanne, POORT_LATE));
	CHECK(audit_count(p, "register.correct", sanne) == 1, "correction audited");
	E(poort_unexplained_absences(p, anna, today, g3, &list));
	CHECK(json_array_size(list) == 0, "Sanne came late after all");
	json_decref(list);

	/* The module switch. */
	settings_update(p, "{\"modules\": {\"attendance\": false}}");
	EXPECT_ERR(poort_register_mark(p, anna, today, noah, POORT_PRESENT), POORT_E_MODULE_OFF);
	EXPECT_ERR(poort_unexplained_absences(p, anna, today, g3, &list), POORT_E_MODULE_OFF);
	settings_update(p, "{\"modules\": {\"attendance\": true}}");

	check_clean(p);
	poort_close(p);
	test_rmdir(dir);
	free(dir);
	return test_done("core_attendance");
}
