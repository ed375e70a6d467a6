/* The store: creation, reopening, schema version, map growth, read-only. */
#include "test.h"

int main(void)
{
	char *dir = test_tmpdir("store");
	poort *p = NULL;
	json_t *stats = NULL, *settings = NULL, *v = NULL;
	poort_options small = { .initial_map_size = 256 * 1024 };
	poort_options ro = { .read_only = true };
	char name[64];

	EXPECT_ERR(poort_open(dir, &(poort_options){ .no_create = true }, &p), POORT_E_NOT_FOUND);
	E(poort_open(dir, &small, &p));
	E(poort_stats(p, POORT_ACTOR_CONSOLE, &stats));
	CHECK(json_integer_value(json_object_get(stats, "schema_version")) == POORT_SCHEMA_VERSION, "schema");
	CHECK(json_integer_value(json_object_get(stats, "map_size")) == 256 * 1024, "initial map");
	json_decref(stats);

	/* Fill far past the initial 256 KiB map: it must grow by itself. */
	for (int i = 0; i < 400; i++) {
		snprintf(name, sizeof name, "School %04d with a long name to fill the map faster, really", i);
		v = json_pack("{ss}", "name", name);
		E(poort_school_update(p, POORT_ACTOR_CONSOLE, v));
		json_decref(v);
	}
	E(poort_stats(p, POORT_ACTOR_CONSOLE, &stats));
	CHECK(json_integer_value(json_object_get(stats, "map_size")) > 256 * 1024, "map grew");
	CHECK(json_integer_value(json_object_get(stats, "changelog_seq")) >= 401, "every change logged");
	json_decref(stats);
	/* Device status for the health page: not in the change log, and only
	 * administrators see it. */
	E(poort_stats(p, POORT_ACTOR_CONSOLE, &stats));
	CHECK(json_is_null(json_object_get(stats, "kiosk")), "no kiosk has reported yet");
	{
		json_int_t seq = json_integer_value(json_object_get(stats, "changelog_seq"));
		json_decref(stats);
		E(poort_kiosk_report(p, false));
		E(poort_kiosk_report(p, true));
		E(poort_stats(p, POORT_ACTOR_CONSOLE, &stats));
		CHECK(json_integer_value(json_object_get(stats, "changelog_seq")) == seq, "kiosk status is not change-logged");
		CHECK(json_integer_value(json_object_get(json_object_get(stats, "kiosk"), "alive_at")) > 0, "kiosk alive");
		CHECK(json_integer_value(json_object_get(json_object_get(stats, "kiosk"), "touched_at")) > 0, "kiosk touched");
		json_decref(stats);
		stats = NULL;
		EXPECT_ERR(poort_stats(p, POORT_ACTOR_ANONYMOUS, &stats), POORT_E_DENIED);
		CHECK(stats == NULL, "no figures for a refused caller");
		EXPECT_ERR(poort_stats(p, 4242, &stats), POORT_E_DENIED);
	}
	poort_close(p);

	/* Reopen read-only: the last write is there. */
	E(poort_open(dir, &ro, &p));
	E(poort_school_get(p, POORT_ACTOR_ANONYMOUS, &settings));
	CHECK(strcmp(json_string_value(json_object_get(settings, "name")),
	             "School 0399 with a long name to fill the map faster, really") == 0, "last name");
	json_decref(settings);
	EXPECT_ERR(poort_school_update(p, POORT_ACTOR_CONSOLE, v = json_pack("{ss}", "name", "x")), POORT_E_DENIED);
	json_decref(v);
	poort_close(p);

	test_rmdir(dir);
	free(dir);
	return test_done("core_store");
}
