/* School settings: validation, the calendar, and who may change them. */
#include "test.h"

static void update_bad(poort *p, const char *json, const char *field)
{
	json_t *v = json_loads(json, 0, NULL);
	EXPECT_ERR(poort_school_update(p, POORT_ACTOR_CONSOLE, v), POORT_E_INVALID);
	CHECK(strstr(poort_error_detail(), field) != NULL, "detail '%s' names %s", poort_error_detail(), field);
	json_decref(v);
}

static bool is_day(poort *p, const char *s)
{
	poort_day d;
	bool yes = false;
	E(poort_day_parse(s, &d));
	E(poort_school_day(p, d, &yes));
	return yes;
}

int main(void)
{
	char *dir = test_tmpdir("school");
	poort *p;
	json_t *v, *s;
	int cutoff;

	E(poort_open(dir, NULL, &p));
	E(poort_school_cutoff(p, &cutoff));
	CHECK(cutoff == 8 * 60 + 30, "default cut-off 08:30, got %d", cutoff);
	CHECK(is_day(p, "2026-11-23"), "Monday is a school day");
	CHECK(!is_day(p, "2026-11-22"), "Sunday is not");

	v = json_loads("{\"name\": \"OBS De Regenboog\", \"absence_cutoff\": \"08:15\","
	               "\"holidays\": [{\"name\": \"Kerstvakantie\", \"from\": \"2026-12-21\", \"to\": \"2027-01-01\"}],"
	               "\"extra_days_off\": [\"2026-11-27\"], \"school_days\": [1,2,3,4,5],"
	               "\"modules\": {\"corrections\": false}}", 0, NULL);
	E(poort_school_update(p, POORT_ACTOR_CONSOLE, v));
	json_decref(v);
	CHECK(!is_day(p, "2026-12-23"), "holiday");
	CHECK(!is_day(p, "2026-11-27"), "study day");
	CHECK(is_day(p, "2026-11-26"), "Thursday");
	E(poort_school_cutoff(p, &cutoff));
	CHECK(cutoff == 8 * 60 + 15, "cut-off 08:15");
	E(poort_school_get(p, POORT_ACTOR_ANONYMOUS, &s));
	CHECK(json_is_false(json_object_get(json_object_get(s, "modules"), "corrections")), "module off");
	CHECK(json_is_true(json_object_get(json_object_get(s, "modules"), "absence")), "others stay on");
	json_decref(s);

	update_bad(p, "{\"absence_cutoff\": \"8:30\"}", "absence_cutoff");
	update_bad(p, "{\"absence_cutoff\": \"24:00\"}", "absence_cutoff");
	update_bad(p, "{\"school_days\": [1,1]}", "school_days[1]");
	update_bad(p, "{\"school_days\": [8]}", "school_days[0]");
	update_bad(p, "{\"holidays\": [{\"name\": \"x\", \"from\": \"2026-12-21\", \"to\": \"2026-12-01\"}]}", "holidays[0].to");
	update_bad(p, "{\"time_zone\": \"Europe/London\"}", "time_zone");
	update_bad(p, "{\"colour\": \"blue\"}", "colour");
	update_bad(p, "{\"modules\": {\"games\": true}}", "modules.games");
	update_bad(p, "{\"name\": \"\"}", "name");
	update_bad(p, "{\"name\": \"a\\nb\"}", "name");
	/* A refused update changes nothing, even the valid keys beside the bad one. */
	update_bad(p, "{\"name\": \"Nieuw\", \"absence_cutoff\": \"x\"}", "absence_cutoff");
	E(poort_school_get(p, POORT_ACTOR_ANONYMOUS, &s));
	CHECK(strcmp(json_string_value(json_object_get(s, "name")), "OBS De Regenboog") == 0, "unchanged");
	json_decref(s);

	v = json_pack("{ss}", "name", "Hacked");
	EXPECT_ERR(poort_school_update(p, POORT_ACTOR_ANONYMOUS, v), POORT_E_DENIED);
	EXPECT_ERR(poort_school_update(p, 424242, v), POORT_E_DENIED);
	json_decref(v);

	/* Messages: Dutch by default, English on request. */
	CHECK(strcmp(poort_message("en", POORT_E_DENIED), "You are not allowed to do this.") == 0, "en");
	CHECK(strcmp(poort_message("nl", POORT_E_DENIED), "U mag dit niet doen.") == 0, "nl: %s",
	      poort_message("nl", POORT_E_DENIED));

	poort_close(p);
	test_rmdir(dir);
	free(dir);
	return test_done("core_school");
}
