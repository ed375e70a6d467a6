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
	poort_id anna, piet;                      /* staff ids */
	poort_id round, booking;                  /* an open round; Sanne's booking with Anna */
	poort_id correction;                      /* Marieke's pending correction request */
} web_school;

static inline poort_id school_staff(poort *p, const char *username)
{
	json_t *who;
	poort_id acc = fixture_login(p, username), id;

	E(poort_account_view(p, POORT_ACTOR_CONSOLE, acc, &who));
	id = (poort_id)json_integer_value(json_object_get(who, "staff"));
	json_decref(who);
	return id;
}

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
	s->anna = school_staff(p, "anna");
	s->piet = school_staff(p, "piet");
	{
		/* an open conversation round on Thursday evening, Sanne booked */
		json_t *spec = json_pack("{s:s, s:[I,I], s:s, s:s, s:s, s:[{s:I, s:s, s:s, s:s}, {s:I, s:s, s:s, s:s}]}",
			"name", "Rapportgesprekken november", "groups", (json_int_t)s->group3, (json_int_t)s->group5,
			"opens", "2026-11-20T08:00", "closes", "2026-11-26T12:00", "cancel_until", "2026-11-25T12:00",
			"windows", "staff", (json_int_t)s->anna, "day", "2026-11-26", "from", "18:00", "to", "19:00",
			"staff", (json_int_t)s->piet, "day", "2026-11-26", "from", "18:00", "to", "19:00");
		json_t *slots, *booking;
		poort_booking_req q = { 0 };
		E(poort_round_create(p, POORT_ACTOR_CONSOLE, spec, &s->round));
		json_decref(spec);
		E(poort_round_slots(p, POORT_ACTOR_CONSOLE, s->round, s->sanne, &slots));
		q.round = s->round;
		q.slot = (poort_id)json_integer_value(json_object_get(json_array_get(slots, 0), "slot"));
		q.pupil = s->sanne;
		q.guardian = s->marieke;
		E(poort_booking_create(p, POORT_ACTOR_CONSOLE, &q, "fixture-1", &booking));
		s->booking = (poort_id)json_integer_value(json_object_get(booking, "id"));
		json_decref(slots);
		json_decref(booking);
	}
	{
		poort_id acc;
		json_t *ch = json_pack("{s:s}", "phone", "06-11111112");
		E(poort_login_password(p, "marieke@example.nl", MARIEKE_PASSWORD, &acc));
		E(poort_correction_propose(p, acc, POORT_CORR_GUARDIAN, s->marieke, ch, &s->correction));
		json_decref(ch);
	}
	poort_close(p);
}

#endif
