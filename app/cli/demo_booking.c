/* demo_booking.c - poortctl demo: an open conversation round with bookings.
 *
 * Only public calls, as any front-end: the round is created by the
 * console, and about a third of the families book a slot with their
 * child's teacher as themselves (their own account). The round is open
 * now, closes in ten days, and its evenings are the first two school
 * weekdays after that.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static int64_t pinned(void *arg)
{
	return *(const int64_t *)arg;
}

/* The first weekday on or after day d. */
static poort_day weekday_from(poort_day d)
{
	while (poort_day_weekday(d) > 5)
		d++;
	return d;
}

static void moment(poort_day d, const char *hhmm, char out[17])
{
	char day[11];

	snprintf(out, 17, "%s" "T" "%.5s", poort_day_format(d, day), hhmm);
}

/* Teachers of the school document, with their staff ids: logs each one in
 * with the demo password (the only way from the public API to its id). */
static json_t *teachers(poort *p, const json_t *doc)
{
	json_t *out = json_array(), *s, *acc = NULL;
	size_t i;
	poort_id account;

	json_array_foreach(json_object_get(doc, "staff"), i, s) {
		const char *role = json_string_value(json_object_get(s, "role"));
		if (!role || strcmp(role, "teacher") != 0 ||
		    poort_login_password(p, json_string_value(json_object_get(s, "username")),
		                         json_string_value(json_object_get(s, "password")), &account) != POORT_OK)
			continue;
		if (poort_account_view(p, POORT_ACTOR_CONSOLE, account, &acc) == POORT_OK)
			json_array_append_new(out, json_pack("{sO sO}", "staff", json_object_get(acc, "staff"), "groups",
			                                     json_object_get(acc, "groups")));
		json_decref(acc);
		acc = NULL;
	}
	return out;
}

int demo_booking(const cli *c, poort *p, const json_t *doc, uint64_t seed)
{
	poort_day today = poort_today(p), ev1 = weekday_from(today + 12), ev2 = weekday_from(ev1 + 1);
	char prio[17], opens[17], closes[17], cancel[17], d1[11], d2[11];
	json_t *staff = teachers(p, doc), *windows = json_array(), *groups = NULL, *spec, *pupils = NULL, *v, *g;
	json_t *card = NULL, *slots = NULL, *out = NULL, *acc = NULL;
	poort_id round = 0;
	size_t i, booked = 0;
	int64_t booked_at = 0;
	poort_err err;
	int rc = EXIT_FAILED;

	moment(today - 3, "08:00", prio);
	moment(today - 1, "08:00", opens);
	moment(today + 10, "20:00", closes);
	moment(today + 9, "12:00", cancel);
	poort_day_format(ev1, d1);
	poort_day_format(ev2, d2);
	json_array_foreach(staff, i, v) {
		json_array_append_new(windows, json_pack("{sO ss ss ss s[{ss ss}]}", "staff", json_object_get(v, "staff"),
		                                         "day", d1, "from", "15:00", "to", "17:30", "breaks", "from",
		                                         "16:00", "to", "16:15"));
		json_array_append_new(windows, json_pack("{sO ss ss ss}", "staff", json_object_get(v, "staff"), "day", d2,
		                                         "from", "18:30", "to", "20:30"));
	}
	if ((err = poort_group_list(p, POORT_ACTOR_CONSOLE, &groups))) {
		rc = cli_fail(c, err, "demo: groups");
		goto out;
	}
	spec = json_pack("{ss s[] ss ss ss ss sO}", "name", "Startgesprekken", "groups", "priority_opens", prio, "opens",
	                 opens, "closes", closes, "cancel_until", cancel, "windows", windows);
	json_array_foreach(groups, i, g)
		json_array_append(json_object_get(spec, "groups"), json_object_get(g, "id"));
	err = poort_round_create(p, POORT_ACTOR_CONSOLE, spec, &round);
	json_decref(spec);
	if (err) {
		rc = cli_fail(c, err, "demo: round");
		goto out;
	}
	/* About one family in three has booked already, as themselves, since
	 * yesterday morning: pinned moments keep the demo deterministic per
	 * seed (a guardian's export lists what they did, with the time). */
	if ((err = poort_pupil_list(p, POORT_ACTOR_CONSOLE, 0, &pupils))) {
		rc = cli_fail(c, err, "demo: pupils");
		goto out;
	}
	json_array_foreach(pupils, i, v) {
		poort_id pupil = (poort_id)json_integer_value(json_object_get(v, "id")), guardian, account;
		uint64_t h = (seed + i) * 0x9e3779b97f4a7c15ull;
		char rid[32];

		if ((h >> 33) % 3 != 0)
			continue;
		if (poort_pupil_view(p, POORT_ACTOR_CONSOLE, pupil, POORT_VIEW_CONTACTS, &card) != POORT_OK)
			goto next;
		guardian = (poort_id)json_integer_value(json_object_get(json_array_get(json_object_get(card, "guardians"), 0), "id"));
		if (!guardian || poort_guardian_view(p, POORT_ACTOR_CONSOLE, guardian, &acc) != POORT_OK)
			goto next;
		account = (poort_id)json_integer_value(json_object_get(acc, "account"));
		if (!account || poort_round_slots(p, account, round, pupil, &slots) != POORT_OK || !json_array_size(slots))
			goto next;
		{
			json_t *slot = json_array_get(slots, (size_t)((h >> 20) % json_array_size(slots)));
			poort_booking_req req = { round, (poort_id)json_integer_value(json_object_get(slot, "slot")), pupil, 0 };
			snprintf(rid, sizeof rid, "demo-%llu", (unsigned long long)pupil);
			booked_at = poort_unix_time(today - 1, 9 * 60) + (int64_t)i * 37;
			poort_set_clock(p, pinned, &booked_at);
			/* A refusal (an overlap for a sibling, say) just leaves this family without one. */
			if (poort_booking_create(p, account, &req, rid, &out) == POORT_OK)
				booked++;
			poort_set_clock(p, NULL, NULL);
		}
next:
		json_decref(card);
		json_decref(acc);
		json_decref(slots);
		json_decref(out);
		card = acc = slots = out = NULL;
	}
	printf("\n%s: %s, %s %s .. %s, %s %s / %s, %zu %s\n", T(c, N_("Conversation round")), "Startgesprekken",
	       T(c, N_("booking open")), opens, closes, T(c, N_("evenings")), d1, d2, booked, T(c, N_("booked")));
	rc = EXIT_OK;
out:
	json_decref(windows);
	json_decref(staff);
	json_decref(groups);
	json_decref(pupils);
	return rc;
}
