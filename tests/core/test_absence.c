/* Absence reports: who may report, cut-off, school days, updates, cancel,
 * acknowledge, module switch, audit. The fixture's clock is Monday
 * 2026-11-23; the cut-off is 08:30. */
#include "test.h"
#include "people_fixture.h"
#include "daily_helpers.h"

/* The report for pupil in the day's list as actor sees it (new), or NULL. */
static json_t *report_of(poort *p, poort_id actor, const char *d, poort_id pupil)
{
	json_t *list, *e, *found = NULL;
	size_t i;

	E(poort_absence_list(p, actor, day(d), 0, &list));
	json_array_foreach(list, i, e)
		if ((poort_id)json_integer_value(json_object_get(e, "pupil")) == pupil)
			found = json_incref(e);
	json_decref(list);
	return found;
}

/* Every text the daily operations give front-ends has a Dutch translation. */
static void texts_translated(void)
{
	static const char *const msgids[] = {
		POORT_MSG_ABSENCE_RECEIVED, POORT_MSG_ABSENCE_CALL_SCHOOL, POORT_MSG_ABSENCE_CANCELLED,
		POORT_MSG_ABSENCE_NOTE_NEEDED, POORT_LABEL_REASON_SICK, POORT_LABEL_REASON_DOCTOR,
		POORT_LABEL_REASON_OTHER, POORT_LABEL_PRESENT, POORT_LABEL_ABSENT, POORT_LABEL_LATE,
		POORT_LABEL_UNEXPLAINED, POORT_LABEL_CONTACT_GUARDIAN, POORT_LABEL_CONTACT_EMERGENCY,
		POORT_MSG_ARRIVAL_DONE, POORT_MSG_LATE_DONE, POORT_MSG_PICKUP_DONE, POORT_MSG_PICKUP_REFUSED,
		POORT_MSG_VISITOR_IN, POORT_MSG_VISITOR_OUT, POORT_LABEL_BUILDING, POORT_MSG_CORRECTION_SENT,
		POORT_LABEL_CORRECTION_PENDING, POORT_LABEL_CORRECTION_APPROVED, POORT_LABEL_CORRECTION_REJECTED,
	};
	for (size_t i = 0; i < sizeof msgids / sizeof msgids[0]; i++)
		CHECK(strcmp(poort_gettext("nl", msgids[i]), msgids[i]) != 0, "no Dutch for \"%s\"", msgids[i]);
	CHECK(strcmp(poort_gettext("nl", POORT_MSG_ABSENCE_CALL_SCHOOL),
	             "Uw ziekmelding is ontvangen. Omdat het na de meldtijd is, vragen we u ook even de school te bellen.") == 0,
	      "late message: %s", poort_gettext("nl", POORT_MSG_ABSENCE_CALL_SCHOOL));
	CHECK(strcmp(poort_gettext("en", POORT_LABEL_REASON_DOCTOR), "Doctor or dentist") == 0, "English is the msgid");
}

static int count_days(json_t *result)
{
	return (int)json_array_size(json_object_get(result, "days"));
}

int main(void)
{
	char *dir;
	poort *p = fixture_open("absence", &dir);
	poort_id sanne = fixture_pupil(p, "L001"), daan = fixture_pupil(p, "L002"), noah = fixture_pupil(p, "L003"),
	         emma = fixture_pupil(p, "L004");
	poort_id marieke = fixture_parent(p, "100001", "12345"), joost = fixture_parent(p, "100002", "54321"),
	         fatma = fixture_parent(p, "100003", "11111");
	poort_id anna = fixture_login(p, "anna"), piet = fixture_login(p, "piet"), ineke = fixture_login(p, "ineke"),
	         beheer = fixture_login(p, "beheer");
	poort_day today = day("2026-11-23");
	json_t *r = NULL, *rep, *list;

	/* On time: before 08:30. */
	test_set_now(p, "2026-11-23T08:10");
	E(poort_absence_report(p, marieke, sanne, today, today, POORT_REASON_SICK, NULL, &r));
	CHECK(count_days(r) == 1 && strcmp(json_string_value(json_array_get(json_object_get(r, "days"), 0)),
	                                   "2026-11-23") == 0, "one day recorded");
	CHECK(json_is_false(json_object_get(r, "late")) && json_is_false(json_object_get(r, "call_school")), "on time");
	CHECK(json_integer_value(json_object_get(r, "updated")) == 0, "new report");
	json_decref(r);

	/* The same day again updates rather than duplicates. */
	E(poort_absence_report(p, joost, sanne, today, today, POORT_REASON_DOCTOR, "tandarts om 9 uur", &r));
	CHECK(json_integer_value(json_object_get(r, "updated")) == 1, "updated");
	json_decref(r);
	E(poort_absence_list(p, anna, today, 0, &list));
	CHECK(json_array_size(list) == 1, "one report in the list, got %zu", json_array_size(list));
	rep = json_array_get(list, 0);
	CHECK(strcmp(json_string_value(json_object_get(rep, "reason")), "doctor") == 0, "reason updated");
	CHECK(strcmp(json_string_value(json_object_get(rep, "note")), "tandarts om 9 uur") == 0, "note");
	CHECK(strcmp(json_string_value(json_object_get(rep, "pupil_name")), "Sanne de Vries") == 0, "name");
	CHECK(json_is_null(json_object_get(rep, "acknowledged_by")), "not acknowledged yet");
	json_decref(list);

	/* After the cut-off: accepted, late, and the parent should also phone. */
	test_set_now(p, "2026-11-23T08:45");
	E(poort_absence_report(p, fatma, noah, today, today, POORT_REASON_SICK, NULL, &r));
	CHECK(json_is_true(json_object_get(r, "late")) && json_is_true(json_object_get(r, "call_school")), "late");
	json_decref(r);
	rep = report_of(p, anna, "2026-11-23", noah);
	CHECK(rep && json_is_true(json_object_get(rep, "late")), "stored as late");
	json_decref(rep);
	/* Sanne was reported on time; changing the reason later does not make it late. */
	E(poort_absence_report(p, marieke, sanne, today, today, POORT_REASON_SICK, NULL, &r));
	CHECK(json_is_false(json_object_get(r, "late")) && json_is_false(json_object_get(r, "call_school")),
	      "an on-time report stays on time");
	json_decref(r);
	/* A future day after today's cut-off is not late. */
	E(poort_absence_report(p, fatma, noah, day("2026-11-24"), day("2026-11-24"), POORT_REASON_SICK, NULL, &r));
	CHECK(json_is_false(json_object_get(r, "late")), "tomorrow is never late");
	json_decref(r);

	/* Another family's child, an unknown pupil: refused, nothing stored. */
	EXPECT_ERR(poort_absence_report(p, marieke, emma, today, today, POORT_REASON_SICK, NULL, &r), POORT_E_DENIED);
	CHECK(r == NULL, "no result on refusal");
	rep = report_of(p, ineke, "2026-11-23", emma);
	CHECK(rep == NULL, "nothing stored for another family's child");
	json_decref(rep);
	EXPECT_ERR(poort_absence_report(p, marieke, 999999, today, today, POORT_REASON_SICK, NULL, &r), POORT_E_DENIED);
	EXPECT_ERR(poort_absence_report(p, beheer, 999999, today, today, POORT_REASON_SICK, NULL, &r), POORT_E_NOT_FOUND);
	/* Teachers do not report on a parent's behalf; the office does. */
	EXPECT_ERR(poort_absence_report(p, anna, sanne, today, today, POORT_REASON_SICK, NULL, &r), POORT_E_DENIED);
	EXPECT_ERR(poort_absence_report(p, POORT_ACTOR_ANONYMOUS, sanne, today, today, POORT_REASON_SICK, NULL, &r),
	           POORT_E_DENIED);
	E(poort_absence_report(p, beheer, emma, today, today, POORT_REASON_SICK, "vader belde", &r));
	CHECK(json_is_true(json_object_get(r, "late")), "office report after the cut-off is late too");
	json_decref(r);

	/* Days: past, weekend, holiday, study day. */
	settings_update(p, "{\"holidays\": [{\"name\": \"Kerstvakantie\", \"from\": \"2026-12-21\", \"to\": \"2027-01-01\"}],"
	                 " \"extra_days_off\": [\"2026-11-27\"]}");
	EXPECT_ERR(poort_absence_report(p, marieke, daan, day("2026-11-20"), day("2026-11-20"), POORT_REASON_SICK, NULL, &r),
	           POORT_E_TOO_LATE);
	EXPECT_ERR(poort_absence_report(p, marieke, daan, day("2026-11-20"), day("2026-11-24"), POORT_REASON_SICK, NULL, &r),
	           POORT_E_TOO_LATE);
	EXPECT_ERR(poort_absence_report(p, marieke, daan, day("2026-11-28"), day("2026-11-28"), POORT_REASON_SICK, NULL, &r),
	           POORT_E_NOT_SCHOOL_DAY);
	EXPECT_ERR(poort_absence_report(p, marieke, daan, day("2026-11-28"), day("2026-11-29"), POORT_REASON_SICK, NULL, &r),
	           POORT_E_NOT_SCHOOL_DAY);
	EXPECT_ERR(poort_absence_report(p, marieke, daan, day("2026-12-22"), day("2026-12-22"), POORT_REASON_SICK, NULL, &r),
	           POORT_E_NOT_SCHOOL_DAY);
	EXPECT_ERR(poort_absence_report(p, marieke, daan, day("2026-11-27"), day("2026-11-27"), POORT_REASON_SICK, NULL, &r),
	           POORT_E_NOT_SCHOOL_DAY);
	rep = report_of(p, ineke, "2026-11-24", daan);
	CHECK(rep == NULL, "a refused range stored nothing");
	json_decref(rep);

	/* A range records its school days only: Wed, Thu, (study day Fri), Mon, Tue. */
	E(poort_absence_report(p, marieke, daan, day("2026-11-25"), day("2026-12-01"), POORT_REASON_OTHER,
	                       "familiebezoek", &r));
	CHECK(count_days(r) == 4, "4 school days in the range, got %d", count_days(r));
	CHECK(json_is_false(json_object_get(r, "late")), "future days are not late");
	json_decref(r);
	rep = report_of(p, piet, "2026-11-30", daan);
	CHECK(rep && strcmp(json_string_value(json_object_get(rep, "reason")), "other") == 0, "Monday recorded");
	json_decref(rep);
	rep = report_of(p, piet, "2026-11-27", daan);
	CHECK(rep == NULL, "study day not recorded");
	json_decref(rep);

	/* Bad input. */
	EXPECT_ERR(poort_absence_report(p, marieke, daan, day("2026-11-25"), day("2026-11-25"), POORT_REASON_OTHER, NULL, &r),
	           POORT_E_INVALID);
	EXPECT_ERR(poort_absence_report(p, marieke, daan, day("2026-11-25"), day("2026-11-25"), POORT_REASON_OTHER, "", &r),
	           POORT_E_INVALID);
	EXPECT_ERR(poort_absence_report(p, marieke, daan, day("2026-11-25"), day("2026-11-25"), POORT_REASON_SICK, "a\nb", &r),
	           POORT_E_INVALID);
	EXPECT_ERR(poort_absence_report(p, marieke, daan, day("2026-11-25"), day("2026-11-24"), POORT_REASON_SICK, NULL, &r),
	           POORT_E_INVALID);
	EXPECT_ERR(poort_absence_report(p, marieke, daan, day("2026-11-25"), day("2027-02-25"), POORT_REASON_SICK, NULL, &r),
	           POORT_E_INVALID);
	EXPECT_ERR(poort_absence_report(p, marieke, daan, day("2026-11-25"), day("2026-11-25"), (poort_absence_reason)9,
	                                NULL, &r), POORT_E_INVALID);

	/* Cancel: before the day starts only, and only one's own child. */
	EXPECT_ERR(poort_absence_cancel(p, marieke, sanne, today), POORT_E_TOO_LATE);
	EXPECT_ERR(poort_absence_cancel(p, fatma, daan, day("2026-11-26")), POORT_E_DENIED);
	rep = report_of(p, piet, "2026-11-26", daan);
	CHECK(rep != NULL, "a refused cancel keeps the report");
	json_decref(rep);
	E(poort_absence_cancel(p, joost, daan, day("2026-11-26")));
	rep = report_of(p, piet, "2026-11-26", daan);
	CHECK(rep == NULL, "cancelled");
	json_decref(rep);
	EXPECT_ERR(poort_absence_cancel(p, joost, daan, day("2026-11-26")), POORT_E_NOT_FOUND);
	EXPECT_ERR(poort_absence_cancel(p, anna, daan, day("2026-11-25")), POORT_E_DENIED);

	/* Acknowledge: the group's teacher, not another group's. */
	EXPECT_ERR(poort_absence_acknowledge(p, piet, sanne, today), POORT_E_DENIED);
	EXPECT_ERR(poort_absence_acknowledge(p, marieke, sanne, today), POORT_E_DENIED);
	EXPECT_ERR(poort_absence_acknowledge(p, anna, sanne, day("2026-11-24")), POORT_E_NOT_FOUND);
	E(poort_absence_acknowledge(p, anna, sanne, today));
	rep = report_of(p, marieke, "2026-11-23", sanne);
	CHECK(rep && (poort_id)json_integer_value(json_object_get(rep, "acknowledged_by")) == anna, "acknowledged");
	json_decref(rep);
	E(poort_absence_acknowledge(p, ineke, daan, day("2026-11-25")));
	/* A changed report needs a fresh acknowledgement. */
	E(poort_absence_report(p, marieke, sanne, today, today, POORT_REASON_DOCTOR, NULL, &r));
	json_decref(r);
	rep = report_of(p, anna, "2026-11-23", sanne);
	CHECK(rep && json_is_null(json_object_get(rep, "acknowledged_by")), "acknowledgement cleared by an update");
	json_decref(rep);

	/* Lists: parents see their own children only; teachers their groups. */
	E(poort_absence_list(p, fatma, today, 0, &list));
	CHECK(json_array_size(list) == 1 &&
	      (poort_id)json_integer_value(json_object_get(json_array_get(list, 0), "pupil")) == noah, "Fatma: Noah only");
	json_decref(list);
	E(poort_absence_list(p, piet, today, 0, &list));
	CHECK(json_array_size(list) == 0, "nobody of group 5 absent today, got %zu", json_array_size(list));
	json_decref(list);
	E(poort_absence_list(p, ineke, today, 0, &list));
	CHECK(json_array_size(list) == 3, "ib sees all three reports, got %zu", json_array_size(list));
	json_decref(list);
	EXPECT_ERR(poort_absence_list(p, anna, today, fixture_group(p, "5"), &list), POORT_E_DENIED);
	CHECK(list == NULL, "no list on refusal");
	EXPECT_ERR(poort_absence_list(p, POORT_ACTOR_ANONYMOUS, today, 0, &list), POORT_E_DENIED);

	/* The module switch. */
	settings_update(p, "{\"modules\": {\"absence\": false}}");
	EXPECT_ERR(poort_absence_report(p, marieke, daan, day("2026-12-02"), day("2026-12-02"), POORT_REASON_SICK, NULL, &r),
	           POORT_E_MODULE_OFF);
	EXPECT_ERR(poort_absence_cancel(p, marieke, daan, day("2026-11-25")), POORT_E_MODULE_OFF);
	EXPECT_ERR(poort_absence_acknowledge(p, anna, sanne, today), POORT_E_MODULE_OFF);
	settings_update(p, "{\"modules\": {\"absence\": true}}");

	/* Every report, cancel and acknowledgement is in the audit log. */
	CHECK(audit_count(p, "absence.report", sanne) == 4, "4 reports for Sanne, got %zu", audit_count(p, "absence.report", sanne));
	CHECK(audit_count(p, "absence.cancel", daan) == 1, "1 cancel");
	CHECK(audit_count(p, "absence.acknowledge", sanne) == 1, "1 acknowledgement for Sanne");
	CHECK(audit_count(p, "absence.report", emma) == 1, "refused reports leave no audit entry");

	check_clean(p);
	texts_translated();

	poort_close(p);
	test_rmdir(dir);
	free(dir);
	return test_done("core_absence");
}
