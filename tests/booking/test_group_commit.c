/* Group commit with refusals of both kinds in one burst: requests refused
 * before they write ("taken"), sibling requests refused after their first
 * booking was written (which must leave no trace), and requests that
 * succeed. Afterwards: the invariants hold, refused requests booked
 * nothing, and the change log and audit log are gap-free and hold exactly
 * one entry per booking made. */
#include "fixture.h"

#include <pthread.h>

#define NGROUPS 4
#define PER_GROUP 8
#define NPUPILS (NGROUPS * PER_GROUP)
#define LAST (PER_GROUP - 1)   /* each teacher's last slot: booked before the burst */

static poort *store;
static fx_big school;
static pthread_barrier_t go;

struct req {
	size_t a, b;          /* pupils (b = a + 1: siblings), or a alone when single */
	bool single;
	poort_id slot_a, slot_b;
	poort_err result;
	json_t *answer;
};

static void *run(void *arg)
{
	struct req *r = arg;
	poort_booking_req reqs[2] = {
		{ school.round, r->slot_a, school.pupil[r->a], 0 },
		{ school.round, r->slot_b, school.pupil[r->b], 0 },
	};
	char rid[32];

	snprintf(rid, sizeof rid, "burst-%zu", r->a);
	pthread_barrier_wait(&go);
	r->result = r->single ? poort_booking_create(store, school.guardian_acc[r->a], reqs, rid, &r->answer)
	                      : poort_booking_create_siblings(store, school.guardian_acc[r->a], reqs, 2, rid, &r->answer);
	return NULL;
}

static size_t bookings_of(poort *p, size_t pupil)
{
	json_t *mine = NULL, *b;
	size_t i, n = 0;

	E(poort_guardian_bookings(p, school.guardian_acc[pupil], school.round, &mine));
	json_array_foreach(json_object_get(mine, "bookings"), i, b)
		n += (poort_id)json_integer_value(json_object_get(b, "pupil")) == school.pupil[pupil];
	json_decref(mine);
	return n;
}

int main(void)
{
	char *dir = test_tmpdir("group-commit");
	size_t counts[NGROUPS], nreq = 0, made = 0, next_free[NGROUPS] = { 0 };
	struct req reqs[NPUPILS];
	pthread_t th[NPUPILS];
	bool owner[NPUPILS] = { false };
	poort_booker *booker;
	json_t *log = NULL, *e, *filter, *audit = NULL, *out = NULL, *violations = NULL;
	size_t i, logged = 0;
	uint64_t expect = 0;

	for (i = 0; i < NGROUPS; i++)
		counts[i] = PER_GROUP;
	E(poort_open(dir, NULL, &store));
	fx_big_clock(store);
	fx_big_school(store, &school, NGROUPS, counts, 1, PER_GROUP, 2);
	E(poort_changelog_read(store, POORT_ACTOR_CONSOLE, 0, 100000, &log));
	expect = json_array_size(log) ? (uint64_t)json_integer_value(json_object_get(json_array_get(log, json_array_size(log) - 1), "seq")) : 0;
	json_decref(log);

	/* Every teacher's last slot is taken before the burst. */
	for (size_t g = 0; g < NGROUPS; g++) {
		poort_booking_req r = { school.round, school.slots[g][LAST], 0, 0 };
		char rid[16];
		for (i = 0; i < NPUPILS && (school.group_of[i] != g || owner[i] || owner[i ^ 1]); i++)
			;
		CHECK(i < NPUPILS, "a pupil in group %zu", g);
		owner[i] = true;
		r.pupil = school.pupil[i];
		snprintf(rid, sizeof rid, "pre-%zu", g);
		E(poort_booking_create(store, school.guardian_acc[i], &r, rid, &out));
		json_decref(out);
		made++;
	}

	/* The burst: pairs whose second child asks for a taken slot (refused
	 * after the first child's booking was written), and single requests
	 * for a free slot, each also asked for by the child's sibling (of
	 * another group: refused, as taken or as the wrong teacher). */
	for (size_t a = 0; a + 1 < NPUPILS; a += 2) {
		size_t g = school.group_of[a];
		poort_id s;

		if (owner[a] || owner[a + 1] || next_free[g] >= LAST)
			continue;
		s = school.slots[g][next_free[g]++];
		if ((a / 2) % 2 == 0) {
			reqs[nreq++] = (struct req){ a, a + 1, false, s, school.slots[school.group_of[a + 1]][LAST], 0, NULL };
		} else {
			reqs[nreq++] = (struct req){ a, a, true, s, s, 0, NULL };
			reqs[nreq++] = (struct req){ a + 1, a + 1, true, s, s, 0, NULL };
		}
	}
	E(poort_booker_start(store, &booker));
	pthread_barrier_init(&go, NULL, (unsigned)nreq);
	for (i = 0; i < nreq; i++)
		pthread_create(&th[i], NULL, run, &reqs[i]);
	for (i = 0; i < nreq; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&go);
	poort_booker_stop(booker);

	for (i = 0; i < nreq; i++) {
		struct req *r = &reqs[i];
		if (!r->single) {
			CHECK(r->result == POORT_E_TAKEN || r->result == POORT_E_FULL, "pair %zu refused: %s", r->a,
			      poort_errname(r->result));
			CHECK(bookings_of(store, r->a) == 0 && bookings_of(store, r->b) == 0,
			      "refused pair %zu left no booking", r->a);
		} else if (r->result == POORT_OK) {
			CHECK(bookings_of(store, r->a) == 1, "pupil %zu booked", r->a);
			made++;
		} else {
			CHECK(r->result == POORT_E_TAKEN || r->result == POORT_E_LIMIT || r->result == POORT_E_OVERLAP ||
			      r->result == POORT_E_INVALID, "single %zu: %s", r->a, poort_errname(r->result));
			CHECK(bookings_of(store, r->a) == 0, "refused pupil %zu has no booking", r->a);
		}
		json_decref(r->answer);
	}
	CHECK(made > NGROUPS, "some bookings made in the burst (%zu)", made);

	E(poort_check(store, &violations));
	CHECK(json_array_size(violations) == 0, "invariants hold");
	json_decref(violations);

	/* Gap-free change log; one "bookings" entry per booking made, each the
	 * stored record (an object with its id). */
	E(poort_changelog_read(store, POORT_ACTOR_CONSOLE, expect, 100000, &log));
	json_array_foreach(log, i, e) {
		CHECK((uint64_t)json_integer_value(json_object_get(e, "seq")) == ++expect, "change log seq %zu", i);
		CHECK(json_object_get(e, "at") && json_object_get(e, "actor") && json_is_string(json_object_get(e, "key")),
		      "change log entry %zu complete", i);
		if (strcmp(json_string_value(json_object_get(e, "db")), "bookings") == 0) {
			CHECK(json_integer_value(json_object_get(json_object_get(e, "value"), "id")) > 0, "booking value");
			logged++;
		}
	}
	CHECK(logged == made, "%zu booking changes logged for %zu bookings", logged, made);
	json_decref(log);

	filter = json_pack("{ss si}", "action", "booking.create", "limit", 1000);
	E(poort_audit_query(store, POORT_ACTOR_CONSOLE, filter, &audit));
	CHECK(json_array_size(audit) == made, "%zu audit entries for %zu bookings", json_array_size(audit), made);
	json_array_foreach(audit, i, e)
		CHECK(i == 0 || json_integer_value(json_object_get(e, "seq")) <
		                    json_integer_value(json_object_get(json_array_get(audit, i - 1), "seq")),
		      "audit seq order");
	json_decref(audit);
	json_decref(filter);

	fx_big_free(&school);
	poort_close(store);
	test_rmdir(dir);
	free(dir);
	return test_done("booking_group_commit");
}
