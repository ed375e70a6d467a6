/* daily_helpers.h - small helpers the daily-operation tests share (on top
 * of people_fixture.h): days, group ids by name, audit entries counted. */
#ifndef POORT_DAILY_HELPERS_H
#define POORT_DAILY_HELPERS_H

static inline poort_day day(const char *s)
{
	poort_day d;
	E(poort_day_parse(s, &d));
	return d;
}

static inline poort_id fixture_group(poort *p, const char *name)
{
	json_t *groups, *g;
	size_t i;
	poort_id id = 0;

	E(poort_group_list(p, POORT_ACTOR_CONSOLE, &groups));
	json_array_foreach(groups, i, g)
		if (strcmp(json_string_value(json_object_get(g, "name")), name) == 0)
			id = (poort_id)json_integer_value(json_object_get(g, "id"));
	json_decref(groups);
	if (!id) {
		fprintf(stderr, "fixture: no group %s\n", name);
		exit(1);
	}
	return id;
}

static inline void settings_update(poort *p, const char *json)
{
	json_t *v = json_loads(json, 0, NULL);
	E(poort_school_update(p, POORT_ACTOR_CONSOLE, v));
	json_decref(v);
}

/* Audit entries with this action (and subject, unless 0). */
static inline size_t audit_count(poort *p, const char *action, poort_id subject)
{
	json_t *f = json_pack("{ss si}", "action", action, "limit", 1000), *list;
	size_t n;

	if (subject)
		json_object_set_new(f, "subject", json_integer((json_int_t)subject));
	E(poort_audit_query(p, POORT_ACTOR_CONSOLE, f, &list));
	n = json_array_size(list);
	json_decref(f);
	json_decref(list);
	return n;
}

/* The invariant check finds nothing. */
static inline void check_clean(poort *p)
{
	json_t *v;
	char *s;

	E(poort_check(p, &v));
	s = json_dumps(v, 0);
	CHECK(json_array_size(v) == 0, "invariants hold: %s", s);
	free(s);
	json_decref(v);
}

#endif
