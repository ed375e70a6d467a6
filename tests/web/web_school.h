/* web_school.h - the people fixture of the core tests (tests/core/
 * people_fixture.h) as a store for poortd, with web logins for every role
 * the authorization matrix needs. The clock is pinned through
 * POORT_FAKE_NOW (Monday 2026-11-23 08:00) for poortd too. */
#ifndef POORT_WEB_SCHOOL_H
#define POORT_WEB_SCHOOL_H

#include "test.h"
#include "../core/people_fixture.h"

#define WEB_NOW "2026-11-23T08:00"
#define PARENT_PASSWORD "ouder-wachtwoord-1"

typedef struct web_school {
	char *dir;
	poort_id sanne, daan, noah, emma;         /* pupils */
	poort_id marieke, joost, fatma;           /* guardians */
	poort_id group3, group5;
} web_school;

static inline poort_id school_group(poort *p, const char *name)
{
	json_t *groups;
	size_t i;
	json_t *g;
	poort_id id = 0;

	E(poort_group_list(p, POORT_ACTOR_CONSOLE, &groups));
	json_array_foreach(groups, i, g)
		if (!strcmp(json_string_value(json_object_get(g, "name")), name))
			id = (poort_id)json_integer_value(json_object_get(g, "id"));
	json_decref(groups);
	return id;
}

/* Creates the store; logins: anna, piet (teachers of 3 and 5), ineke (ib),
 * beheer (admin) with STAFF_PASSWORD; parents by e-mail with
 * PARENT_PASSWORD (Marieke: MARIEKE_PASSWORD). */
static inline void web_school_create(web_school *s, const char *name)
{
	json_t *doc = json_loads(school_doc, 0, NULL), *gs;
	poort *p;

	setenv("POORT_FAKE_NOW", WEB_NOW, 1);
	gs = json_object_get(doc, "guardians");
	json_object_set_new(json_array_get(gs, 1), "password", json_string(PARENT_PASSWORD));
	json_object_set_new(json_array_get(gs, 2), "email", json_string("fatma@example.nl"));
	json_object_set_new(json_array_get(gs, 2), "password", json_string(PARENT_PASSWORD));
	s->dir = test_tmpdir(name);
	E(poort_open(s->dir, NULL, &p));
	E(poort_import(p, POORT_ACTOR_CONSOLE, doc, NULL));
	json_decref(doc);
	s->sanne = fixture_pupil(p, "L001");
	s->daan = fixture_pupil(p, "L002");
	s->noah = fixture_pupil(p, "L003");
	s->emma = fixture_pupil(p, "L004");
	s->marieke = fixture_guardian(p, "G001");
	s->joost = fixture_guardian(p, "G002");
	s->fatma = fixture_guardian(p, "G003");
	s->group3 = school_group(p, "3");
	s->group5 = school_group(p, "5");
	poort_close(p);
}

#endif
