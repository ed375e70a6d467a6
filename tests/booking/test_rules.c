/* Every booking rule with its refusal cases, on the small test school.
 * The clock is pinned and moved through the round's phases. */
#include "fixture.h"

#include <unistd.h>

static poort *p;
static poort_id round_id;
static poort_id anna, bram, carla, daan;            /* staff ids */
static poort_id anna_acc, bram_acc, eva_acc;        /* staff accounts */

static int64_t at(const char *local)
{
	poort_day d;
	char date[11];
	int hh, mm;

	memcpy(date, local, 10);
	date[10] = 0;
	if (poort_day_parse(date, &d) || sscanf(local + 11, "%d:%d", &hh, &mm) != 2)
		exit(1);
	return poort_unix_time(d, hh * 60 + mm);
}

/* The slot of staff starting at local time, or exit. */
static poort_id slot_at(poort_id staff, const char *local)
{
	json_t *s = NULL, *v;
	size_t i;
	poort_id id = 0;

	E(poort_teacher_schedule(p, POORT_ACTOR_CONSOLE, round_id, staff, 0, &s));
	json_array_foreach(json_object_get(s, "slots"), i, v)
		if (json_integer_value(json_object_get(v, "start")) == at(local))
			id = (poort_id)json_integer_value(json_object_get(v, "slot"));
	json_decref(s);
	if (!id) {
		fprintf(stderr, "no slot of staff %llu at %s\n", (unsigned long long)staff, local);
		exit(1);
	}
	return id;
}

static poort_err book(poort_id actor, const char *pupil_key, poort_id staff, const char *local, const char *rid,
                      json_t **out)
{
	poort_booking_req r = { round_id, slot_at(staff, local), fx_pupil(p, pupil_key), 0 };
	json_t *tmp = NULL;
	poort_err err = poort_booking_create(p, actor, &r, rid, out ? out : &tmp);

	json_decref(tmp);
	return err;
}

static poort_id booking_id(const json_t *b)
{
	return (poort_id)json_integer_value(json_object_get(b, "id"));
}

static size_t count_bookings(poort_id actor)
{
	json_t *mine = NULL;
	size_t n;

	E(poort_guardian_bookings(p, actor, round_id, &mine));
	n = json_array_size(json_object_get(mine, "bookings"));
	json_decref(mine);
	return n;
}

static json_t *round_spec(poort_id g1, poort_id g2, poort_id g34)
{
	return json_pack(
		"{ss s[III] ss ss ss ss si s[{sI ss ss ss s[{ss ss}]} {sI ss ss ss} {sI ss ss ss} {sI ss ss ss}"
		" {sI ss ss ss} {sI ss ss ss}]}",
		"name", "Startgesprekken oktober", "groups", (json_int_t)g1, (json_int_t)g2, (json_int_t)g34,
		"priority_opens", "2026-10-01T08:00", "opens", "2026-10-05T08:00", "closes", "2026-10-21T23:00",
		"cancel_until", "2026-10-20T12:00", "travel_minutes", 5, "windows",
		"staff", (json_int_t)anna, "day", "2026-10-22", "from", "15:00", "to", "16:00", "breaks", "from", "15:30",
		"to", "15:40",
		"staff", (json_int_t)anna, "day", "2026-10-26", "from", "19:00", "to", "20:00",
		"staff", (json_int_t)bram, "day", "2026-10-22", "from", "15:00", "to", "16:00",
		"staff", (json_int_t)bram, "day", "2026-10-26", "from", "19:00", "to", "20:00",
		"staff", (json_int_t)carla, "day", "2026-10-26", "from", "18:00", "to", "19:00",
		"staff", (json_int_t)daan, "day", "2026-10-27", "from", "15:00", "to", "15:30");
}

static void test_round_create(void)
{
	poort_id g1 = fx_group(p, "1"), g2 = fx_group(p, "2"), g34 = fx_group(p, "3/4"), bad;
	json_t *spec = round_spec(g1, g2, g34), *v, *r = NULL, *slots = NULL;

	EXPECT_ERR(poort_round_create(p, fx_guardian_account(p, "A1"), spec, &bad), POORT_E_DENIED);
	EXPECT_ERR(poort_round_create(p, anna_acc, spec, &bad), POORT_E_DENIED);

	/* A window of a teacher who teaches none of the round's groups. */
	v = json_deep_copy(spec);
	json_array_remove(json_object_get(v, "groups"), 1);   /* without group 2: Bram does not belong */
	EXPECT_ERR(poort_round_create(p, eva_acc, v, &bad), POORT_E_INVALID);
	CHECK(strstr(poort_error_detail(), "windows[2].staff") != NULL, "detail names the window: %s", poort_error_detail());
	json_decref(v);
	/* Two windows of one teacher that overlap. */
	v = json_deep_copy(spec);
	json_array_append_new(json_object_get(v, "windows"), json_pack("{sI ss ss ss}", "staff", (json_int_t)anna, "day",
	                                                              "2026-10-22", "from", "15:50", "to", "16:30"));
	EXPECT_ERR(poort_round_create(p, eva_acc, v, &bad), POORT_E_INVALID);
	json_decref(v);
	/* Closing before opening, an unknown field, a bad moment. */
	v = json_deep_copy(spec);
	json_object_set_new(v, "closes", json_string("2026-10-04T08:00"));
	EXPECT_ERR(poort_round_create(p, eva_acc, v, &bad), POORT_E_INVALID);
	json_object_set_new(v, "closes", json_string("2026-10-21 23:00"));
	EXPECT_ERR(poort_round_create(p, eva_acc, v, &bad), POORT_E_INVALID);
	json_object_set_new(v, "closes", json_string("2026-10-21T23:00"));
	json_object_set_new(v, "colour", json_string("red"));
	EXPECT_ERR(poort_round_create(p, eva_acc, v, &bad), POORT_E_INVALID);
	json_decref(v);

	E(poort_round_create(p, eva_acc, spec, &round_id));
	json_decref(spec);
	E(poort_round_get(p, fx_guardian_account(p, "A1"), round_id, &r));
	CHECK(json_integer_value(json_object_get(r, "slots")) == 5 + 6 + 6 + 6 + 6 + 3, "slots: %lld",
	      (long long)json_integer_value(json_object_get(r, "slots")));
	CHECK(json_array_size(json_object_get(r, "windows")) == 6, "windows kept");
	CHECK(json_integer_value(json_object_get(r, "slot_minutes")) == 10, "default slot length");
	json_decref(r);

	/* Changing a round: 15-minute slots while nothing is booked, and back. */
	E(poort_round_update(p, eva_acc, round_id, v = json_pack("{si}", "slot_minutes", 15)));
	json_decref(v);
	E(poort_round_get(p, eva_acc, round_id, &r));
	CHECK(json_integer_value(json_object_get(r, "slots")) == 3 + 4 + 4 + 4 + 4 + 2, "15-minute slots: %lld",
	      (long long)json_integer_value(json_object_get(r, "slots")));
	json_decref(r);
	E(poort_round_update(p, eva_acc, round_id, v = json_pack("{si ss}", "slot_minutes", 10, "name", "Startgesprekken")));
	json_decref(v);
	EXPECT_ERR(poort_round_update(p, anna_acc, round_id, v = json_pack("{ss}", "name", "x")), POORT_E_DENIED);
	json_decref(v);
	EXPECT_ERR(poort_round_update(p, eva_acc, round_id, v = json_pack("{sI}", "opens_at", (json_int_t)0)), POORT_E_INVALID);
	json_decref(v);
	E(poort_round_get(p, eva_acc, round_id, &r));
	CHECK(json_integer_value(json_object_get(r, "slots")) == 32 && strcmp(json_string_value(json_object_get(r, "name")),
	      "Startgesprekken") == 0, "back to 10 minutes, renamed");
	CHECK(json_array_size(json_object_get(r, "windows")) == 6, "windows kept through updates");
	json_decref(r);

	/* Breaks: Anna's first evening has no 15:30 slot. */
	E(poort_teacher_schedule(p, anna_acc, round_id, anna, 0, &slots));
	CHECK(json_array_size(json_object_get(slots, "slots")) == 11, "Anna has 11 slots");
	json_array_foreach(json_object_get(slots, "slots"), bad, v)
		CHECK(json_integer_value(json_object_get(v, "start")) != at("2026-10-22T15:30"), "no slot in the break");
	json_decref(slots);
	EXPECT_ERR(poort_teacher_schedule(p, bram_acc, round_id, anna, 0, &slots), POORT_E_DENIED);
}

static void test_phases(void)
{
	poort_id a1 = fx_guardian_account(p, "A1");
	json_t *b = NULL, *again = NULL;

	test_set_now(p, "2026-09-30T10:00");
	EXPECT_ERR(book(a1, "L1", anna, "2026-10-22T15:00", "a1-early", NULL), POORT_E_NOT_OPEN);

	/* Priority phase: only invited pupils. */
	test_set_now(p, "2026-10-02T09:00");
	EXPECT_ERR(book(a1, "L1", anna, "2026-10-22T15:00", "a1-prio", NULL), POORT_E_NOT_OPEN);
	EXPECT_ERR(poort_invitation_set(p, bram_acc, round_id, fx_pupil(p, "L1"), POORT_INVITE_REQUIRED, 0), POORT_E_DENIED);
	EXPECT_ERR(poort_invitation_set(p, a1, round_id, fx_pupil(p, "L1"), POORT_INVITE_REQUIRED, 0), POORT_E_DENIED);
	E(poort_invitation_set(p, anna_acc, round_id, fx_pupil(p, "L1"), POORT_INVITE_REQUIRED, 0));
	E(book(a1, "L1", anna, "2026-10-22T15:00", "a1-prio", &b));
	CHECK(json_integer_value(json_object_get(b, "start")) == at("2026-10-22T15:00"), "booked start");
	CHECK(strcmp(json_string_value(json_object_get(b, "start_local")), "2026-10-22T15:00:00+02:00") == 0, "local %s",
	      json_string_value(json_object_get(b, "start_local")));
	CHECK(strcmp(json_string_value(json_object_get(b, "pupil_name")), "Sanne Jansen") == 0, "pupil name");
	/* The same request again: the same booking, nothing new. */
	E(book(a1, "L1", anna, "2026-10-22T15:00", "a1-prio", &again));
	CHECK(booking_id(again) == booking_id(b), "idempotent request id");
	CHECK(count_bookings(a1) == 1, "one booking");
	json_decref(b);
	json_decref(again);

	/* After closing. */
	test_set_now(p, "2026-10-21T23:00");
	EXPECT_ERR(book(fx_guardian_account(p, "D1"), "L5", daan, "2026-10-27T15:00", "d1-late", NULL), POORT_E_CLOSED);
	test_set_now(p, "2026-10-06T20:00");
}

static void test_family_rules(void)
{
	poort_id a1 = fx_guardian_account(p, "A1"), a2 = fx_guardian_account(p, "A2");
	json_t *b = NULL, *taken = NULL, *alt;

	/* Another family's child. */
	EXPECT_ERR(book(a1, "L5", carla, "2026-10-26T18:00", "a1-other", NULL), POORT_E_DENIED);
	/* Joint conversation: the other parent cannot book a second one. */
	EXPECT_ERR(book(a2, "L1", anna, "2026-10-22T15:10", "a2-second", NULL), POORT_E_LIMIT);
	CHECK(count_bookings(a2) == 1, "A2 sees the joint conversation A1 booked");
	/* A slot with the wrong teacher. */
	EXPECT_ERR(book(a1, "L2", anna, "2026-10-22T15:20", "a1-wrong", NULL), POORT_E_INVALID);
	/* Overlap with the L1 conversation at 15:00-15:10: 15:00 and 15:10
	 * (5 minutes to walk to another classroom) are refused, 15:20 fits. */
	EXPECT_ERR(book(a1, "L2", bram, "2026-10-22T15:00", "a1-l2-a", NULL), POORT_E_OVERLAP);
	EXPECT_ERR(book(a1, "L2", bram, "2026-10-22T15:10", "a1-l2-b", NULL), POORT_E_OVERLAP);
	E(book(a1, "L2", bram, "2026-10-22T15:20", "a1-l2-c", NULL));

	/* Taken: the nearest free slots with that teacher come back. */
	EXPECT_ERR(book(fx_guardian_account(p, "B1"), "L3", anna, "2026-10-22T15:00", "b1-1", &taken), POORT_E_TAKEN);
	alt = json_object_get(taken, "alternatives");
	CHECK(json_array_size(alt) == 3, "three alternatives");
	CHECK(json_integer_value(json_object_get(json_array_get(alt, 0), "start")) == at("2026-10-22T15:10"), "nearest first");
	CHECK(json_integer_value(json_object_get(json_array_get(alt, 1), "start")) == at("2026-10-22T15:20"), "then 15:20");
	json_decref(taken);

	/* With bookings, the slots stay as they are; the name may change. */
	EXPECT_ERR(poort_round_update(p, eva_acc, round_id, b = json_pack("{si}", "gap_minutes", 5)), POORT_E_CONFLICT);
	json_decref(b);
	E(poort_round_update(p, eva_acc, round_id, b = json_pack("{ss}", "name", "Startgesprekken oktober")));
	json_decref(b);
	b = NULL;

	/* The teacher allows one more conversation. */
	E(poort_invitation_set(p, anna_acc, round_id, fx_pupil(p, "L1"), POORT_INVITE_REQUIRED, 1));
	E(book(a2, "L1", anna, "2026-10-26T19:00", "a2-extra", &b));
	EXPECT_ERR(book(a1, "L1", anna, "2026-10-26T19:10", "a1-third", NULL), POORT_E_LIMIT);
	CHECK(count_bookings(a1) == 3, "A1 sees both joint L1 conversations and L2's");
	json_decref(b);
}

static void test_separated(void)
{
	poort_id b1 = fx_guardian_account(p, "B1"), b2 = fx_guardian_account(p, "B2");
	json_t *mine = NULL, *b = NULL, *sched = NULL, *out = NULL;
	char *dump;

	E(book(b1, "L3", anna, "2026-10-22T15:40", "b1-own", &b));
	E(book(b2, "L3", anna, "2026-10-22T15:50", "b2-own", NULL));
	EXPECT_ERR(book(b2, "L3", anna, "2026-10-26T19:20", "b2-twice", NULL), POORT_E_LIMIT);
	E(poort_guardian_bookings(p, b2, round_id, &mine));
	CHECK(json_array_size(json_object_get(mine, "bookings")) == 1, "B2 sees only his own");
	CHECK(json_integer_value(json_object_get(json_array_get(json_object_get(mine, "bookings"), 0), "start")) ==
	      at("2026-10-22T15:50"), "and it is his");
	json_decref(mine);
	CHECK(count_bookings(b1) == 1, "B1 sees only her own");
	EXPECT_ERR(poort_booking_cancel(p, b2, booking_id(b)), POORT_E_DENIED);
	EXPECT_ERR(poort_conversation_checkin(p, b2, booking_id(b), &out), POORT_E_DENIED);
	CHECK(out == NULL, "nothing returned on denial");

	/* The teacher's printable day: names, no contact details. */
	E(poort_teacher_schedule(p, anna_acc, round_id, anna, 0, &sched));
	dump = json_dumps(sched, 0);
	CHECK(strstr(dump, "Mila van Dijk") != NULL, "pupil on the schedule");
	CHECK(!strstr(dump, "ilse@example.nl") && !strstr(dump, "0687654321") && !strstr(dump, "email") &&
	      !strstr(dump, "phone"), "no contact details: %s", dump);
	free(dump);
	json_decref(sched);
	json_decref(b);
}

static void test_siblings(void)
{
	poort_id c1 = fx_guardian_account(p, "C1");
	poort_id kids[2] = { fx_pupil(p, "L4"), fx_pupil(p, "L9") };
	json_t *props = NULL, *first, *out = NULL, *mine = NULL;
	poort_booking_req reqs[2];
	size_t i;

	/* An overlapping sibling request books nothing. */
	reqs[0] = (poort_booking_req){ round_id, slot_at(carla, "2026-10-26T18:50"), kids[0], 0 };
	reqs[1] = (poort_booking_req){ round_id, slot_at(bram, "2026-10-26T19:00"), kids[1], 0 };
	EXPECT_ERR(poort_booking_create_siblings(p, c1, reqs, 2, "c1-overlap", &out), POORT_E_OVERLAP);
	json_decref(out);
	CHECK(count_bookings(c1) == 0, "all or nothing");

	E(poort_sibling_proposal(p, c1, round_id, kids, 2, &props));
	CHECK(json_array_size(props) >= 2, "proposals: %zu", json_array_size(props));
	json_array_foreach(props, i, first) {
		json_t *s0 = json_array_get(json_object_get(first, "slots"), 0);
		json_t *s1 = json_array_get(json_object_get(first, "slots"), 1);
		int64_t a0 = json_integer_value(json_object_get(s0, "start")), a1 = json_integer_value(json_object_get(s0, "end"));
		int64_t b0 = json_integer_value(json_object_get(s1, "start")), b1 = json_integer_value(json_object_get(s1, "end"));
		CHECK((poort_id)json_integer_value(json_object_get(s1, "staff")) == bram, "Sem with Bram");
		CHECK(a1 + 300 <= b0 || b1 + 300 <= a0, "no overlap, travel included");
		CHECK(b0 - a1 <= 1800 || a0 - b1 <= 1800, "back to back");
	}
	first = json_array_get(props, 0);
	CHECK(json_integer_value(json_object_get(first, "start")) == at("2026-10-26T18:40") &&
	      json_integer_value(json_object_get(first, "end")) == at("2026-10-26T19:10"), "best proposal 18:40-19:10");
	for (i = 0; i < 2; i++)
		reqs[i] = (poort_booking_req){ round_id,
			(poort_id)json_integer_value(json_object_get(json_array_get(json_object_get(first, "slots"), i), "slot")),
			kids[i], 0 };
	E(poort_booking_create_siblings(p, c1, reqs, 2, "c1-siblings", &out));
	CHECK(json_array_size(out) == 2, "two bookings");
	json_decref(out);
	json_decref(props);
	E(poort_guardian_bookings(p, c1, 0, &mine));
	CHECK(json_array_size(json_object_get(mine, "bookings")) == 2, "both booked");
	json_decref(mine);
	/* Nothing to propose for a child who already has a conversation. */
	EXPECT_ERR(poort_sibling_proposal(p, c1, round_id, kids, 2, &props), POORT_E_LIMIT);
}

static void test_waitlist(void)
{
	poort_id d1 = fx_guardian_account(p, "D1"), e1 = fx_guardian_account(p, "E1"), f1 = fx_guardian_account(p, "F1");
	poort_id g1 = fx_guardian_account(p, "G1"), h1 = fx_guardian_account(p, "H1");
	json_t *e1b = NULL, *offers = NULL, *sched = NULL, *b = NULL;
	poort_id freed;

	EXPECT_ERR(poort_waitlist_join(p, g1, round_id, fx_pupil(p, "L8"), daan), POORT_E_CONFLICT);
	E(book(d1, "L5", daan, "2026-10-27T15:00", "d1", NULL));
	E(book(e1, "L6", daan, "2026-10-27T15:10", "e1", &e1b));
	E(book(f1, "L7", daan, "2026-10-27T15:20", "f1", NULL));
	EXPECT_ERR(book(g1, "L8", daan, "2026-10-27T15:10", "g1", NULL), POORT_E_FULL);
	EXPECT_ERR(poort_waitlist_join(p, g1, round_id, fx_pupil(p, "L8"), bram), POORT_E_INVALID);
	EXPECT_ERR(poort_waitlist_join(p, d1, round_id, fx_pupil(p, "L5"), daan), POORT_E_LIMIT);
	E(poort_waitlist_join(p, g1, round_id, fx_pupil(p, "L8"), daan));
	EXPECT_ERR(poort_waitlist_join(p, g1, round_id, fx_pupil(p, "L8"), daan), POORT_E_EXISTS);
	E(poort_waitlist_join(p, h1, round_id, fx_pupil(p, "L10"), daan));

	/* A cancellation offers the slot to the first in line only. */
	freed = (poort_id)json_integer_value(json_object_get(e1b, "slot"));
	E(poort_booking_cancel(p, e1, booking_id(e1b)));
	E(poort_booking_cancel(p, e1, booking_id(e1b)));   /* twice is fine */
	E(poort_waitlist_offers(p, g1, &offers));
	CHECK(json_array_size(offers) == 1 && (poort_id)json_integer_value(json_object_get(json_array_get(offers, 0), "slot")) == freed,
	      "G1 is offered the freed slot");
	json_decref(offers);
	E(poort_waitlist_offers(p, h1, &offers));
	CHECK(json_array_size(offers) == 0, "H1 waits");
	json_decref(offers);
	E(poort_teacher_schedule(p, fx_staff_account(p, "daan", "daan-wachtwoord"), round_id, daan, 0, &sched));
	CHECK(json_is_true(json_object_get(json_array_get(json_object_get(sched, "slots"), 1), "offered")), "teacher sees the offer");
	CHECK(json_array_size(json_object_get(sched, "waitlist")) == 1, "H1 still waiting");
	json_decref(sched);
	EXPECT_ERR(book(h1, "L10", daan, "2026-10-27T15:10", "h1-a", NULL), POORT_E_FULL);

	/* G1 declines: the next in line gets it, and books it. */
	E(poort_waitlist_leave(p, g1, round_id, fx_pupil(p, "L8")));
	E(poort_waitlist_offers(p, h1, &offers));
	CHECK(json_array_size(offers) == 1, "offer passed on to H1");
	json_decref(offers);
	EXPECT_ERR(book(g1, "L8", daan, "2026-10-27T15:10", "g1-b", NULL), POORT_E_FULL);
	E(book(h1, "L10", daan, "2026-10-27T15:10", "h1-b", &b));
	E(poort_waitlist_offers(p, h1, &offers));
	CHECK(json_array_size(offers) == 0, "offer taken");
	json_decref(offers);
	json_decref(b);
	json_decref(e1b);
}

/* The office: the module switch, booking on a family's behalf. */
static void test_office(void)
{
	poort_id e1 = fx_guardian_account(p, "E1");
	json_t *v, *rounds = NULL, *b = NULL;
	poort_booking_req req = { round_id, slot_at(carla, "2026-10-26T18:00"), fx_pupil(p, "L6"), 0 };

	E(poort_school_update(p, eva_acc, v = json_pack("{s{sb}}", "modules", "conversations", 0)));
	json_decref(v);
	EXPECT_ERR(book(e1, "L6", carla, "2026-10-26T18:00", "e1-off", NULL), POORT_E_MODULE_OFF);
	E(poort_school_update(p, eva_acc, v = json_pack("{s{sb}}", "modules", "conversations", 1)));
	json_decref(v);

	E(poort_round_list(p, e1, &rounds));
	CHECK(json_array_size(rounds) == 1, "a parent sees the round of their child's group");
	json_decref(rounds);

	/* A guardian who is not this pupil's, and a separated family without saying which parent. */
	req.guardian = fx_guardian(p, "A1");
	EXPECT_ERR(poort_booking_create(p, eva_acc, &req, "office-1", &b), POORT_E_INVALID);
	json_decref(b);
	{
		poort_booking_req sep = { round_id, slot_at(anna, "2026-10-26T19:50"), fx_pupil(p, "L3"), 0 };
		EXPECT_ERR(poort_booking_create(p, eva_acc, &sep, "office-2", &b), POORT_E_INVALID);
		json_decref(b);
	}
	req.guardian = fx_guardian(p, "E1");
	E(poort_booking_create(p, eva_acc, &req, "office-3", &b));
	CHECK((poort_id)json_integer_value(json_object_get(b, "guardian")) == fx_guardian(p, "E1"), "booked for E1");
	json_decref(b);
	CHECK(count_bookings(e1) == 1, "E1 sees what the office booked for Tess");
}

static void test_deadline_and_evening(void)
{
	poort_id a1 = fx_guardian_account(p, "A1");
	json_t *mine = NULL, *b, *view = NULL, *sched = NULL, *ov = NULL;
	poort_id l1b = 0;
	size_t i;

	E(poort_guardian_bookings(p, a1, round_id, &mine));
	json_array_foreach(json_object_get(mine, "bookings"), i, b)
		if (json_integer_value(json_object_get(b, "start")) == at("2026-10-22T15:00"))
			l1b = booking_id(b);
	json_decref(mine);
	CHECK(l1b != 0, "A1's 15:00 conversation");

	test_set_now(p, "2026-10-20T12:00");
	EXPECT_ERR(poort_booking_cancel(p, a1, l1b), POORT_E_TOO_LATE);

	test_set_now(p, "2026-10-22T14:55");
	E(poort_teacher_running_late(p, anna_acc, round_id, anna, 10));
	EXPECT_ERR(poort_teacher_running_late(p, bram_acc, round_id, anna, 5), POORT_E_DENIED);
	E(poort_conversation_checkin(p, a1, l1b, &view));
	CHECK(json_integer_value(json_object_get(view, "teacher_late_minutes")) == 10, "kiosk shows the delay");
	CHECK(json_integer_value(json_object_get(view, "arrived_at")) == at("2026-10-22T14:55"), "arrival recorded");
	json_decref(view);
	{
		/* The arrived parent counts as in the building. */
		json_t *building = NULL;
		E(poort_building_list(p, POORT_ACTOR_CONSOLE, &building));
		CHECK(json_array_size(json_object_get(building, "parents")) == 1, "arrived parent in the building list: %s",
		      json_dumps(json_object_get(building, "parents"), 0));
		json_decref(building);
	}
	E(poort_teacher_schedule(p, anna_acc, round_id, anna, poort_today(p), &sched));
	CHECK(json_array_size(json_object_get(sched, "slots")) == 5, "one day: 5 slots");
	CHECK(json_object_get(json_array_get(json_object_get(sched, "slots"), 0), "arrived_at") != NULL, "teacher sees arrival");
	json_decref(sched);
	EXPECT_ERR(poort_conversation_mark(p, anna_acc, l1b, "done"), POORT_E_CONFLICT);
	test_set_now(p, "2026-10-22T15:12");
	EXPECT_ERR(poort_conversation_mark(p, bram_acc, l1b, "done"), POORT_E_DENIED);
	EXPECT_ERR(poort_conversation_mark(p, anna_acc, l1b, "maybe"), POORT_E_INVALID);
	E(poort_conversation_mark(p, anna_acc, l1b, "done"));

	/* The office's overview: L8 was invited by Carla but has no conversation. */
	E(poort_invitation_set(p, fx_staff_account(p, "carla", "carla-wachtwoord"), round_id, fx_pupil(p, "L8"),
	                       POORT_INVITE_REQUIRED, 0));
	EXPECT_ERR(poort_round_overview(p, a1, round_id, &ov), POORT_E_DENIED);
	E(poort_round_overview(p, eva_acc, round_id, &ov));
	CHECK(json_array_size(json_object_get(ov, "invited_not_booked")) == 1, "one invited without a booking");
	CHECK(json_integer_value(json_object_get(ov, "booked")) + json_integer_value(json_object_get(ov, "free")) == 32,
	      "every slot counted");
	CHECK(json_integer_value(json_object_get(ov, "booked")) == 11, "booked: %lld",
	      (long long)json_integer_value(json_object_get(ov, "booked")));
	json_decref(ov);
}

/* Runs python3-icalendar over the feed and returns the events' UTC start
 * times, sorted, one per line. */
static char *parse_ics(const char *ics, const char *dir)
{
	char path[512], cmd[2048], *out;
	FILE *f;

	snprintf(path, sizeof path, "%s/feed.ics", dir);
	f = fopen(path, "wb");
	fwrite(ics, 1, strlen(ics), f);
	fclose(f);
	snprintf(cmd, sizeof cmd,
	         "/usr/bin/python3 -c 'import sys, icalendar, datetime\n"
	         "cal = icalendar.Calendar.from_ical(open(sys.argv[1], \"rb\").read())\n"
	         "ts = sorted(e.decoded(\"dtstart\").astimezone(datetime.timezone.utc).strftime(\"%%Y-%%m-%%dT%%H:%%MZ\")"
	         " for e in cal.walk(\"VEVENT\"))\n"
	         "print(\"\\n\".join(ts))' %s > %s/utc.txt", path, dir);
	CHECK(system(cmd) == 0, "python3-icalendar parses the feed");
	snprintf(path, sizeof path, "%s/utc.txt", dir);
	out = test_read_file(path);
	return out ? out : strdup("");
}

static void test_ical(const char *dir)
{
	char *ics = NULL, *utc;
	const char *line;

	/* A1: L1 with Anna Thu 22 Oct 15:00 (summer time, UTC+2), L2 with Bram
	 * 15:20, and the extra L1 conversation Mon 26 Oct 19:00 (winter time,
	 * UTC+1) - on both sides of Sunday 25 October 2026. */
	E(poort_ical_guardian(p, fx_guardian_account(p, "A1"), "nl", &ics));
	CHECK(strstr(ics, "BEGIN:VTIMEZONE\r\nTZID:Europe/Amsterdam\r\n") != NULL, "VTIMEZONE");
	CHECK(strstr(ics, "DTSTART;TZID=Europe/Amsterdam:20261022T150000\r\n") != NULL, "local start before DST end");
	CHECK(strstr(ics, "DTSTART;TZID=Europe/Amsterdam:20261026T190000\r\n") != NULL, "local start after DST end");
	for (line = ics; *line;) {
		const char *eol = strstr(line, "\r\n");
		CHECK(eol != NULL, "every line ends in CRLF");
		if (!eol)
			break;
		CHECK(eol - line <= 75, "line folded at 75 octets");
		line = eol + 2;
	}
	utc = parse_ics(ics, dir);
	CHECK(strcmp(utc, "2026-10-22T13:00Z\n2026-10-22T13:20Z\n2026-10-26T18:00Z\n") == 0, "UTC instants:\n%s", utc);
	free(utc);
	free(ics);

	E(poort_ical_teacher(p, anna_acc, anna, "en", &ics));
	CHECK(strstr(ics, "SUMMARY:Conversation: Mila van Dijk (group 1)") != NULL, "teacher summary:\n%s", ics);
	utc = parse_ics(ics, dir);
	CHECK(strncmp(utc, "2026-10-22T13:00Z\n2026-10-22T13:40Z\n2026-10-22T13:50Z\n2026-10-26T18:00Z", 71) == 0,
	      "teacher UTC instants:\n%s", utc);
	free(utc);
	free(ics);
	EXPECT_ERR(poort_ical_teacher(p, bram_acc, anna, "nl", &ics), POORT_E_DENIED);
}

static void test_logs_and_check(void)
{
	json_t *log = NULL, *e, *violations = NULL;
	size_t i, bookings = 0;

	E(poort_changelog_read(p, POORT_ACTOR_CONSOLE, 0, 100000, &log));
	json_array_foreach(log, i, e)
		if (strcmp(json_string_value(json_object_get(e, "db")), "bookings") == 0)
			bookings++;
	/* 12 bookings made, 1 cancelled, 1 checked in, 1 marked. */
	CHECK(bookings == 12 + 1 + 1 + 1, "booking changes in the change log: %zu", bookings);
	json_decref(log);
	/* And in the audit log, with who did it. */
	E(poort_audit_query(p, eva_acc, log = json_pack("{ss}", "action", "booking.create"), &violations));
	json_decref(log);
	CHECK(json_array_size(violations) == 12, "booking.create audited: %zu", json_array_size(violations));
	json_decref(violations);
	E(poort_audit_query(p, eva_acc, log = json_pack("{ss}", "action", "booking.cancel"), &violations));
	json_decref(log);
	CHECK(json_array_size(violations) == 1 && (poort_id)json_integer_value(json_object_get(json_array_get(violations, 0),
	      "actor")) == fx_guardian_account(p, "E1"), "booking.cancel audited with its actor");
	json_decref(violations);
	E(poort_check(p, &violations));
	CHECK(json_array_size(violations) == 0, "invariants hold: %s", json_dumps(violations, 0));
	json_decref(violations);
}

int main(void)
{
	char *dir = test_tmpdir("booking-rules");

	E(poort_open(dir, NULL, &p));
	fx_small_school(p);
	anna_acc = fx_staff_account(p, "anna", "anna-wachtwoord");
	bram_acc = fx_staff_account(p, "bram", "bram-wachtwoord");
	eva_acc = fx_staff_account(p, "eva", "eva-wachtwoord");
	anna = fx_staff_id(p, anna_acc);
	bram = fx_staff_id(p, bram_acc);
	carla = fx_staff_id(p, fx_staff_account(p, "carla", "carla-wachtwoord"));
	daan = fx_staff_id(p, fx_staff_account(p, "daan", "daan-wachtwoord"));
	test_set_now(p, "2026-09-20T10:00");

	test_round_create();
	test_phases();
	test_family_rules();
	test_separated();
	test_siblings();
	test_waitlist();
	test_office();
	test_deadline_and_evening();
	test_ical(dir);
	test_logs_and_check();

	poort_close(p);
	test_rmdir(dir);
	free(dir);
	return test_done("booking_rules");
}
