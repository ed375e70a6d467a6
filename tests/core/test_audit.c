/* The audit query: administrators only, newest first, filters, paging. */
#include "test.h"
#include "people_fixture.h"
#include "daily_helpers.h"

static json_t *query(poort *p, poort_id actor, const char *filter)
{
	json_t *f = filter ? json_loads(filter, 0, NULL) : NULL, *out = NULL;

	E(poort_audit_query(p, actor, f, &out));
	json_decref(f);
	return out;
}

static void query_bad(poort *p, const char *filter, const char *field)
{
	json_t *f = json_loads(filter, 0, NULL), *out = NULL;

	EXPECT_ERR(poort_audit_query(p, POORT_ACTOR_CONSOLE, f, &out), POORT_E_INVALID);
	CHECK(strstr(poort_error_detail(), field) != NULL, "detail '%s' names %s", poort_error_detail(), field);
	CHECK(out == NULL, "no result");
	json_decref(f);
}

static json_int_t num(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

int main(void)
{
	char *dir;
	poort *p = fixture_open("audit", &dir);
	poort_id sanne = fixture_pupil(p, "L001"), noah = fixture_pupil(p, "L003");
	poort_id marieke = fixture_parent(p, "100001", "12345"), fatma = fixture_parent(p, "100003", "11111");
	poort_id anna = fixture_login(p, "anna"), ineke = fixture_login(p, "ineke"), beheer = fixture_login(p, "beheer");
	poort_day today = day("2026-11-23");
	json_t *all, *list, *r, *e;
	json_int_t t1, t2;
	char filter[256];
	size_t i;

	test_set_now(p, "2026-11-23T08:00");
	t1 = poort_now(p);
	E(poort_absence_report(p, marieke, sanne, today, today, POORT_REASON_SICK, NULL, &r));
	json_decref(r);
	test_set_now(p, "2026-11-23T08:20");
	t2 = poort_now(p);
	E(poort_absence_report(p, fatma, noah, today, today, POORT_REASON_SICK, NULL, &r));
	json_decref(r);
	E(poort_absence_acknowledge(p, anna, sanne, today));

	/* Only administrators and the console. */
	EXPECT_ERR(poort_audit_query(p, anna, NULL, &list), POORT_E_DENIED);
	EXPECT_ERR(poort_audit_query(p, ineke, NULL, &list), POORT_E_DENIED);
	EXPECT_ERR(poort_audit_query(p, marieke, NULL, &list), POORT_E_DENIED);
	EXPECT_ERR(poort_audit_query(p, POORT_ACTOR_ANONYMOUS, NULL, &list), POORT_E_DENIED);
	CHECK(list == NULL, "no list on refusal");

	/* Newest first, with the documented fields. */
	all = query(p, beheer, NULL);
	CHECK(json_array_size(all) >= 3, "entries");
	for (i = 1; i < json_array_size(all); i++)
		CHECK(num(json_array_get(all, i - 1), "seq") > num(json_array_get(all, i), "seq"), "newest first");
	e = json_array_get(all, 0);
	CHECK(strcmp(json_string_value(json_object_get(e, "action")), "absence.acknowledge") == 0, "newest: the ack");
	CHECK((poort_id)num(e, "actor") == anna && (poort_id)num(e, "subject") == sanne, "actor and subject");
	CHECK(json_object_get(e, "at") && json_object_get(e, "detail"), "at and detail");

	/* Filters. */
	list = query(p, POORT_ACTOR_CONSOLE, "{\"action\": \"absence.report\"}");
	CHECK(json_array_size(list) == 2, "two reports");
	CHECK((poort_id)num(json_array_get(list, 0), "subject") == noah, "newest report first");
	json_decref(list);
	snprintf(filter, sizeof filter, "{\"actor\": %llu}", (unsigned long long)marieke);
	list = query(p, POORT_ACTOR_CONSOLE, filter);
	CHECK(json_array_size(list) >= 1, "by actor");
	json_array_foreach(list, i, e)
		CHECK((poort_id)num(e, "actor") == marieke, "only Marieke's entries");
	json_decref(list);
	snprintf(filter, sizeof filter, "{\"subject\": %llu, \"action\": \"absence.report\"}", (unsigned long long)sanne);
	list = query(p, POORT_ACTOR_CONSOLE, filter);
	CHECK(json_array_size(list) == 1 && (poort_id)num(json_array_get(list, 0), "actor") == marieke, "by subject");
	json_decref(list);
	snprintf(filter, sizeof filter, "{\"from\": %lld, \"action\": \"absence.report\"}", (long long)t2);
	list = query(p, POORT_ACTOR_CONSOLE, filter);
	CHECK(json_array_size(list) == 1 && (poort_id)num(json_array_get(list, 0), "subject") == noah, "from");
	json_decref(list);
	snprintf(filter, sizeof filter, "{\"to\": %lld, \"action\": \"absence.report\"}", (long long)t1);
	list = query(p, POORT_ACTOR_CONSOLE, filter);
	CHECK(json_array_size(list) == 1 && (poort_id)num(json_array_get(list, 0), "subject") == sanne, "to");
	json_decref(list);
	list = query(p, POORT_ACTOR_CONSOLE, "{\"action\": \"no.such.action\"}");
	CHECK(json_array_size(list) == 0, "nothing matches");
	json_decref(list);

	/* Paging: limit, then before = the last seq seen. */
	list = query(p, POORT_ACTOR_CONSOLE, "{\"limit\": 2}");
	CHECK(json_array_size(list) == 2 && num(json_array_get(list, 0), "seq") == num(json_array_get(all, 0), "seq"),
	      "limit 2");
	snprintf(filter, sizeof filter, "{\"limit\": 2, \"before\": %lld}", (long long)num(json_array_get(list, 1), "seq"));
	json_decref(list);
	list = query(p, POORT_ACTOR_CONSOLE, filter);
	CHECK(json_array_size(list) >= 1 && num(json_array_get(list, 0), "seq") == num(json_array_get(all, 2), "seq"),
	      "the next page starts where the first ended");
	json_decref(list);
	json_decref(all);

	/* Bad filters. */
	query_bad(p, "{\"limit\": 0}", "limit");
	query_bad(p, "{\"limit\": 1001}", "limit");
	query_bad(p, "{\"limit\": \"ten\"}", "limit");
	query_bad(p, "{\"actor\": \"beheer\"}", "actor");
	query_bad(p, "{\"subject\": -5}", "subject");
	query_bad(p, "{\"from\": 200, \"to\": 100}", "to");
	query_bad(p, "{\"action\": \"\"}", "action");
	query_bad(p, "{\"colour\": 1}", "colour");
	query_bad(p, "[1]", "filter");

	poort_close(p);
	test_rmdir(dir);
	free(dir);
	return test_done("core_audit");
}
