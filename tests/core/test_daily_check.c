/* poortctl check finds broken invariants of the daily operations: the store
 * is damaged on purpose through the core's private store API, one rule each. */
#include "test.h"
#include "people_fixture.h"
#include "daily_helpers.h"
#include "../../app/core/src/core.h"

struct damage {
	poort_id sanne, noah, g3, request;
	poort_day today;
};

static poort_err put(tx *t, enum db db, key k, json_t *rec)
{
	poort_err err = rec ? store_put(t, db, &k, rec) : POORT_E_NOMEM;
	json_decref(rec);
	return err;
}

static poort_err damage_op(tx *t, void *arg)
{
	struct damage *d = arg;
	json_t *req;
	key k = key_id(d->request);
	poort_err err;

	/* absence.pupil and absence.reason */
	if ((err = put(t, DB_ABSENCES, key_id_day(424242, d->today),
	               json_pack("{si ss ss si}", "pupil", 424242, "day", "2026-11-23", "reason", "sick", "reported_by", 1))) ||
	    (err = put(t, DB_ABSENCES, key_id_day(d->noah, d->today),
	               json_pack("{sI ss ss si}", "pupil", (json_int_t)d->noah, "day", "2026-11-23", "reason", "bored",
	                         "reported_by", 1))))
		return err;
	/* attendance.after_close: a teacher's mark later than the closing */
	if ((err = put(t, DB_ATTENDANCE, key_day_id(d->today, d->sanne),
	               json_pack("{sI sI ss si sI}", "pupil", (json_int_t)d->sanne, "group", (json_int_t)d->g3, "status",
	                         "present", "by", 1, "at", (json_int_t)tx_now(t) + 60))))
		return err;
	/* attendance.status, register.group */
	if ((err = put(t, DB_ATTENDANCE, key_day_id(d->today, d->noah),
	               json_pack("{sI sI ss si si}", "pupil", (json_int_t)d->noah, "group", (json_int_t)d->g3, "status",
	                         "gone", "by", 1, "at", 0))) ||
	    (err = put(t, DB_REGISTERS, key_day_id(d->today, 515151),
	               json_pack("{si ss si si}", "group", 515151, "day", "2026-11-23", "closed_by", 1, "closed_at", 0))))
		return err;
	/* visit.out and checkin.kind */
	if ((err = put(t, DB_VISITS, key_id(616161),
	               json_pack("{si ss ss ss si si}", "id", 616161, "name", "Piet", "visiting", "x", "day", "2026-11-23",
	                         "in", 2000, "out", 1000))) ||
	    (err = put(t, DB_CHECKINS, key_day_id(d->today, 717171),
	               json_pack("{si ss sI si si}", "id", 717171, "kind", "teleport", "pupil", (json_int_t)d->sanne, "at", 0,
	                         "by", 1))))
		return err;
	/* correction.pending: a pending request that was applied */
	if ((err = store_get(t, DB_CORRECTIONS, &k, &req)))
		return err;
	json_object_set_new(req, "applied_at", json_integer(5));
	return put(t, DB_CORRECTIONS, k, req);
}

static bool reported(const json_t *violations, const char *rule)
{
	size_t i;
	json_t *v;

	json_array_foreach(violations, i, v)
		if (strcmp(json_string_value(json_object_get(v, "rule")), rule) == 0)
			return true;
	return false;
}

int main(void)
{
	char *dir;
	poort *p = fixture_open("daily_check", &dir);
	struct damage d = { fixture_pupil(p, "L001"), fixture_pupil(p, "L003"), fixture_group(p, "3"), 0, day("2026-11-23") };
	poort_id marieke = fixture_parent(p, "100001", "12345"), anna = fixture_login(p, "anna");
	json_t *c = json_pack("{ss}", "phone", "06-10101010"), *v;
	static const char *const rules[] = { "absence.pupil", "absence.reason", "attendance.after_close",
	                                     "attendance.status", "register.group", "visit.out", "checkin.kind",
	                                     "correction.pending" };

	E(poort_correction_propose(p, marieke, POORT_CORR_GUARDIAN, fixture_guardian(p, "G001"), c, &d.request));
	json_decref(c);
	E(poort_register_close(p, anna, d.today, d.g3));
	check_clean(p);

	E(tx_write(p, POORT_ACTOR_CONSOLE, damage_op, &d));
	E(poort_check(p, &v));
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
		CHECK(reported(v, rules[i]), "rule %s reported", rules[i]);
	CHECK(json_array_size(v) == sizeof rules / sizeof rules[0], "exactly one violation per damage, got %zu",
	      json_array_size(v));
	json_decref(v);

	poort_close(p);
	test_rmdir(dir);
	free(dir);
	return test_done("core_daily_check");
}
