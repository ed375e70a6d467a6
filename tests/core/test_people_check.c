/* poortctl check finds broken people/account invariants: the store is
 * damaged on purpose through the core's private store API, one rule each. */
#include "test.h"
#include "people_fixture.h"
#include "../../app/core/src/core.h"

struct damage {
	poort_id sanne, marieke, noah;
};

static poort_err damage_op(tx *t, void *arg)
{
	struct damage *d = arg;
	json_t *rec, *acc;
	key k;
	poort_err err;

	/* 1. a reverse link entry goes missing */
	k = key_id_id(d->marieke, d->sanne);
	if ((err = store_del(t, DB_GUARDIAN_PUPILS, &k)))
		return err;
	/* 2. an emergency contact with a guardian's own number */
	if ((err = pupil_get(t, d->noah, &rec)))
		return err;
	json_object_set_new(rec, "emergency_contacts", json_pack("[{ss ss}]", "name", "Fatma", "phone", "0633333333"));
	k = key_id(d->noah);
	err = store_put(t, DB_PUPILS, &k, rec);
	json_decref(rec);
	if (err)
		return err;
	/* 3. an index entry that points nowhere, 4. an unindexed pupil */
	if ((err = store_index_put(t, "pupil", "L404", 424242)) || (err = store_index_del(t, "pupil", "L004")))
		return err;
	/* 5. an account of a guardian that does not exist */
	acc = json_pack("{si ss si}", "id", 434343, "role", "parent", "guardian", 999999);
	k = key_id(434343);
	err = store_put(t, DB_ACCOUNTS, &k, acc);
	json_decref(acc);
	return err;
}

static bool has_rule(const json_t *v, const char *rule)
{
	size_t i;
	json_t *e;

	json_array_foreach(v, i, e)
		if (strcmp(json_string_value(json_object_get(e, "rule")), rule) == 0)
			return true;
	return false;
}

int main(void)
{
	char *dir;
	poort *p = fixture_open("people-check", &dir);
	struct damage d = { fixture_pupil(p, "L001"), fixture_guardian(p, "G001"), fixture_pupil(p, "L003") };
	json_t *v;
	static const char *const rules[] = { "people.link_reverse", "people.emergency_third_party",
	                                     "people.index_dangling", "people.index", "account.owner" };

	E(poort_check(p, &v));
	CHECK(json_array_size(v) == 0, "a fresh import is clean");
	json_decref(v);
	E(tx_write(p, POORT_ACTOR_CONSOLE, damage_op, &d));
	E(poort_check(p, &v));
	for (size_t i = 0; i < sizeof rules / sizeof *rules; i++)
		CHECK(has_rule(v, rules[i]), "check reports %s", rules[i]);
	CHECK(json_array_size(v) == 5, "exactly the five: %zu", json_array_size(v));
	if (test_failures) {
		char *s = json_dumps(v, JSON_INDENT(1));
		fprintf(stderr, "%s\n", s);
		free(s);
	}
	json_decref(v);
	poort_close(p);
	test_rmdir(dir);
	free(dir);
	return test_done("core_people_check");
}
