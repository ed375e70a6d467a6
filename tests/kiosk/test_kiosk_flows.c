/* test_kiosk_flows.c - every flow through the real kiosk, checked in the
 * store through the core: absence (on time, after the cut-off, a range),
 * identification by card and by code + PIN, wrong-PIN lockout, an unknown
 * card, pick-up (authorised, and refused), late arrival, conversation
 * arrival, visitors in and out, the idle wipe in the middle of a flow. */
#include "harness.h"

static poort_day day(const char *s)
{
	poort_day d;
	E(poort_day_parse(s, &d));
	return d;
}

/* Absence reports for one day, as the school sees them. */
static json_t *absences(harness *h, const char *d)
{
	json_t *out = NULL;
	E(poort_absence_list(h->p, POORT_ACTOR_CONSOLE, day(d), 0, &out));
	return out;
}

static json_t *checkins(harness *h)
{
	json_t *out = NULL;
	E(poort_checkin_list(h->p, POORT_ACTOR_CONSOLE, day("2026-11-23"), &out));
	return out;
}

static void login_code(harness *h, const char *code, const char *pin)
{
	harness_type(h, code);
	harness_tap(h, "key.ok");
	harness_type(h, pin);
	harness_tap(h, "key.ok");
}

static void test_absence_on_time(void)
{
	harness h;
	json_t *list;

	harness_open(&h, "kiosk-abs", 800, 480, "nl", "2026-11-23T08:00");
	harness_tap(&h, "start.absence");
	CHECK(harness_on(&h, "code"), "absence starts with identification, not %s", kiosk_screen(h.k));
	login_code(&h, FATMA_CODE, FATMA_PIN);
	/* one child: no "which child" question */
	CHECK(harness_on(&h, "absence_day"), "on %s", kiosk_screen(h.k));
	CHECK(harness_text(&h, "Noah"), "the child's name after identification");
	harness_tap(&h, "absence.today");
	harness_tap(&h, "reason.sick");
	harness_tap(&h, "note.skip");
	CHECK(harness_on(&h, "done"), "on %s", kiosk_screen(h.k));
	CHECK(harness_text(&h, "Noah"), "the summary names the child");
	CHECK(!harness_text(&h, "te laat"), "on time is not late");
	list = absences(&h, "2026-11-23");
	CHECK(json_array_size(list) == 1, "one report stored, not %zu", json_array_size(list));
	CHECK(strcmp(json_string_value(json_object_get(json_array_get(list, 0), "reason")) ?: "", "sick") == 0,
	      "reason sick");
	CHECK(!json_is_true(json_object_get(json_array_get(list, 0), "late")), "not late");
	json_decref(list);
	/* the confirmation returns to the start by itself, wiped */
	harness_wait(&h, 16000);
	CHECK(harness_on(&h, "start"), "back at the start, on %s", kiosk_screen(h.k));
	CHECK(kiosk_account(h.k) == 0, "nobody identified any more");
	CHECK(!harness_text(&h, "Noah"), "no child's name on the start screen");
	harness_close(&h);
}

static void test_absence_after_cutoff_and_range(void)
{
	harness h;
	json_t *list;

	harness_open(&h, "kiosk-late", 1280, 800, "en", "2026-11-23T09:15");
	harness_tap(&h, "start.absence");
	harness_scan(&h, MARIEKE_CARD);
	CHECK(harness_on(&h, "child"), "two children: which one, on %s", kiosk_screen(h.k));
	harness_tap(&h, "child.1");     /* Daan */
	harness_tap(&h, "absence.today");
	harness_tap(&h, "reason.doctor");
	harness_type(&h, "tandarts");
	harness_tap(&h, "key.ok");
	CHECK(harness_on(&h, "done"), "on %s", kiosk_screen(h.k));
	CHECK(harness_text(&h, "registered as late"), "the late notice");
	CHECK(harness_text(&h, "phone the school"), "asked to phone the school");
	list = absences(&h, "2026-11-23");
	CHECK(json_array_size(list) == 1 && json_is_true(json_object_get(json_array_get(list, 0), "late")),
	      "stored as late");
	CHECK(strcmp(json_string_value(json_object_get(json_array_get(list, 0), "note")) ?: "", "Tandarts") == 0,
	      "the note as typed");
	json_decref(list);
	harness_tap(&h, "done.ok");

	/* a range: Wednesday to Friday for Sanne */
	harness_tap(&h, "start.absence");
	harness_scan(&h, MARIEKE_CARD);
	harness_tap(&h, "child.0");
	harness_tap(&h, "absence.other");
	CHECK(harness_on(&h, "absence_range"), "on %s", kiosk_screen(h.k));
	harness_tap(&h, "range.next");
	CHECK(harness_text(&h, "Please choose a day first."), "no day chosen yet");
	harness_tap(&h, "day.2");        /* Wed 25-11 (day.0 is today) */
	harness_tap(&h, "day.4");        /* Fri 27-11 */
	harness_tap(&h, "range.next");
	harness_tap(&h, "reason.sick");
	harness_tap(&h, "note.skip");
	CHECK(harness_on(&h, "done"), "on %s", kiosk_screen(h.k));
	for (int d = 25; d <= 27; d++) {
		char iso[16];
		snprintf(iso, sizeof iso, "2026-11-%02d", d);
		list = absences(&h, iso);
		CHECK(json_array_size(list) == 1, "report on %s", iso);
		json_decref(list);
	}
	list = absences(&h, "2026-11-24");
	CHECK(json_array_size(list) == 0, "nothing on the 24th");
	json_decref(list);
	harness_close(&h);
}

static void test_wrong_pin_lockout(void)
{
	harness h;
	poort_id acc = 0;

	harness_open(&h, "kiosk-lock", 800, 480, "nl", "2026-11-23T08:00");
	harness_tap(&h, "start.absence");
	for (int i = 0; i < 4; i++) {
		login_code(&h, MARIEKE_CODE, "99999");
		CHECK(harness_on(&h, "code"), "a wrong PIN asks again from the code");
		CHECK(harness_text(&h, "De code of pincode klopt niet"), "the wrong-PIN message");
	}
	/* an unknown code gets exactly the same answer */
	login_code(&h, "123456", "99999");
	CHECK(harness_text(&h, "De code of pincode klopt niet"), "unknown code: same message");
	login_code(&h, MARIEKE_CODE, "99999");
	CHECK(harness_text(&h, "Te vaak een verkeerde pincode"), "locked after 5 wrong PINs");
	CHECK(harness_text(&h, "08:01"), "the time it opens again");
	/* the right PIN does not help while locked */
	login_code(&h, MARIEKE_CODE, MARIEKE_PIN);
	CHECK(harness_text(&h, "Te vaak een verkeerde pincode"), "still locked");
	CHECK(kiosk_account(h.k) == 0, "not identified");
	EXPECT_ERR(poort_login_kiosk(h.p, MARIEKE_CODE, MARIEKE_PIN, &acc), POORT_E_LOCKED);
	harness_close(&h);
}

static void test_unknown_card(void)
{
	harness h;

	harness_open(&h, "kiosk-card", 800, 480, "nl", "2026-11-23T08:00");
	harness_scan(&h, "onbekende-kaart-123456");
	CHECK(harness_on(&h, "start"), "still at the start");
	CHECK(harness_text(&h, "Deze kaart is niet bekend"), "says the card is not known");
	CHECK(kiosk_account(h.k) == 0, "not identified");
	/* slow typing is a person at a keyboard, not a scan */
	{
		SDL_Event ev;
		for (const char *c = MARIEKE_CARD; *c; c++) {
			memset(&ev, 0, sizeof ev);
			ev.type = SDL_TEXTINPUT;
			ev.text.text[0] = *c;
			SDL_PushEvent(&ev);
			h.ms += 200;
			harness_step(&h);
		}
		memset(&ev, 0, sizeof ev);
		ev.type = SDL_KEYDOWN;
		ev.key.keysym.sym = SDLK_RETURN;
		SDL_PushEvent(&ev);
		harness_step(&h);
		CHECK(kiosk_account(h.k) == 0, "typed slowly: no scan");
	}
	harness_scan(&h, MARIEKE_CARD);
	CHECK(kiosk_account(h.k) != 0, "a real scan identifies");
	harness_tap(&h, "start.absence");
	CHECK(harness_on(&h, "child"), "identified: straight to the child, on %s", kiosk_screen(h.k));
	harness_close(&h);
}

static void test_pickup(void)
{
	harness h;
	json_t *list, *audit = NULL, *filter;

	harness_open(&h, "kiosk-pickup", 720, 1280, "nl", "2026-11-23T11:00");
	harness_tap(&h, "start.checkin");
	harness_tap(&h, "checkin.pickup");
	login_code(&h, MARIEKE_CODE, MARIEKE_PIN);
	harness_tap(&h, "child.0");     /* Sanne */
	CHECK(harness_on(&h, "pickup_who"), "on %s", kiosk_screen(h.k));
	CHECK(harness_text(&h, "Kees de Vries"), "the authorised adult is offered");
	harness_tap(&h, "adult.other");
	harness_type(&h, "Jan Smit");
	harness_tap(&h, "key.ok");
	CHECK(harness_on(&h, "done"), "on %s", kiosk_screen(h.k));
	CHECK(harness_text(&h, "Jan Smit mag Sanne") && harness_text(&h, "niet ophalen"), "refused, said plainly");
	list = checkins(&h);
	CHECK(json_array_size(list) == 0, "no pick-up stored");
	json_decref(list);
	filter = json_pack("{ss}", "action", "checkin.pickup_refused");
	E(poort_audit_query(h.p, POORT_ACTOR_CONSOLE, NULL, &audit));
	{
		bool found = false;
		size_t i;
		json_t *e;
		json_array_foreach(audit, i, e)
			if (strstr(json_string_value(json_object_get(e, "action")) ?: "", "pickup"))
				found = true;
		CHECK(found, "the refusal is in the audit log");
	}
	json_decref(audit);
	json_decref(filter);
	harness_tap(&h, "done.ok");

	harness_tap(&h, "start.checkin");
	harness_tap(&h, "checkin.pickup");
	login_code(&h, MARIEKE_CODE, MARIEKE_PIN);
	harness_tap(&h, "child.0");
	harness_tap(&h, "adult.1");       /* after Marieke herself */
	CHECK(harness_text(&h, "Kees de Vries"), "the summary names who picks up");
	list = checkins(&h);
	CHECK(json_array_size(list) == 1, "the pick-up is stored");
	json_decref(list);
	harness_close(&h);
}

static void test_late_and_arrival(void)
{
	harness h;
	json_t *list;

	harness_open(&h, "kiosk-late-child", 800, 480, "en", "2026-11-23T08:45");
	harness_tap(&h, "start.checkin");
	harness_tap(&h, "checkin.late");
	login_code(&h, FATMA_CODE, FATMA_PIN);
	CHECK(harness_on(&h, "done"), "one child: registered at once, on %s", kiosk_screen(h.k));
	CHECK(harness_text(&h, "Noah can go to class"), "the confirmation");
	harness_tap(&h, "done.ok");
	harness_tap(&h, "start.checkin");
	harness_tap(&h, "checkin.arrival");
	login_code(&h, FATMA_CODE, FATMA_PIN);
	CHECK(harness_on(&h, "done"), "on %s", kiosk_screen(h.k));
	list = checkins(&h);
	CHECK(json_array_size(list) == 2, "late arrival and parent arrival stored, %zu", json_array_size(list));
	json_decref(list);
	harness_close(&h);
}

static void test_visitors(void)
{
	harness h;
	json_t *list = NULL;

	harness_open(&h, "kiosk-visit", 1280, 800, "nl", "2026-11-23T10:00");
	harness_tap(&h, "start.checkin");
	harness_tap(&h, "checkin.visitor_in");
	harness_tap(&h, "key.ok");
	CHECK(harness_text(&h, "Typ alstublieft uw naam"), "a name is needed");
	harness_type(&h, "els kok");
	harness_tap(&h, "key.ok");
	harness_type(&h, "directeur");
	harness_tap(&h, "key.ok");
	CHECK(harness_on(&h, "done"), "on %s", kiosk_screen(h.k));
	E(poort_visitor_list(h.p, POORT_ACTOR_ANONYMOUS, &list));
	CHECK(json_array_size(list) == 1 &&
	      strcmp(json_string_value(json_object_get(json_array_get(list, 0), "name")) ?: "", "Els Kok") == 0,
	      "Els Kok signed in");
	json_decref(list);
	harness_tap(&h, "done.ok");
	harness_tap(&h, "start.checkin");
	harness_tap(&h, "checkin.visitor_out");
	CHECK(harness_text(&h, "Els Kok"), "listed for signing out");
	harness_tap(&h, "visit.0");
	E(poort_visitor_list(h.p, POORT_ACTOR_ANONYMOUS, &list));
	CHECK(json_array_size(list) == 0, "signed out");
	json_decref(list);
	CHECK(kiosk_account(h.k) == 0, "visitors never identify");
	harness_close(&h);
}

static void test_idle_wipe(void)
{
	harness h;
	json_t *list;

	harness_open(&h, "kiosk-idle", 800, 480, "nl", "2026-11-23T08:00");
	harness_tap(&h, "nav.lang");
	CHECK(strcmp(kiosk_lang(h.k), "en") == 0, "switched to English");
	harness_tap(&h, "start.absence");
	login_code(&h, MARIEKE_CODE, MARIEKE_PIN);
	harness_tap(&h, "child.0");
	harness_tap(&h, "absence.today");
	harness_tap(&h, "reason.other");
	harness_type(&h, "feest");
	CHECK(harness_on(&h, "absence_note"), "on %s", kiosk_screen(h.k));
	harness_wait(&h, 59000);
	CHECK(!harness_text(&h, "Are you still there?"), "no warning before 60 s");
	harness_wait(&h, 2000);
	CHECK(harness_text(&h, "Are you still there?"), "the warning after 60 s");
	harness_wait(&h, 20000);
	CHECK(harness_on(&h, "start"), "wiped back to the start, on %s", kiosk_screen(h.k));
	CHECK(kiosk_account(h.k) == 0, "nobody identified");
	CHECK(strcmp(kiosk_lang(h.k), "nl") == 0, "the school's language again");
	CHECK(!harness_text(&h, "Sanne") && !harness_text(&h, "Feest"), "nothing personal on screen");
	list = absences(&h, "2026-11-23");
	CHECK(json_array_size(list) == 0, "nothing was sent");
	json_decref(list);
	/* the start screen itself does not time out */
	harness_wait(&h, 200000);
	CHECK(harness_on(&h, "start"), "still the start screen");
	CHECK(!harness_text(&h, "nog"), "no warning on the start screen");
	harness_close(&h);
}

/* No child's name or data anywhere before identification. */
static void test_nothing_before_identification(void)
{
	static const char *const names[] = { "Sanne", "Daan", "Noah", "Vries", "Bakker", "Marieke" };
	static const char *const path[] = { "start.absence", "key.1", "key.ok", "key.5", NULL };
	harness h;

	harness_open(&h, "kiosk-privacy", 800, 480, "nl", "2026-11-23T08:00");
	for (int i = 0;; i++) {
		char *t = kiosk_texts(h.k);
		for (size_t n = 0; n < sizeof names / sizeof names[0]; n++)
			CHECK(!strstr(t, names[n]), "%s shown on %s before identification", names[n], kiosk_screen(h.k));
		free(t);
		if (!path[i])
			break;
		harness_tap(&h, path[i]);
	}
	harness_close(&h);
}

/* ---- conversations ---- */

static size_t bookings_of(harness *h, const char *code, const char *pin, json_t **waitlist)
{
	poort_id acc;
	json_t *out = NULL;
	size_t n = 0, i;
	json_t *b;

	E(poort_login_kiosk(h->p, code, pin, &acc));
	E(poort_guardian_bookings(h->p, acc, 0, &out));
	json_array_foreach(json_object_get(out, "bookings"), i, b)
		n += strcmp(json_string_value(json_object_get(b, "status")) ?: "", "booked") == 0;
	if (waitlist)
		*waitlist = json_incref(json_object_get(out, "waitlist"));
	json_decref(out);
	return n;
}

static void test_conversations(void)
{
	harness h;
	poort_id round, lotte, peter;
	json_t *wait = NULL, *out = NULL;

	harness_open(&h, "kiosk-book", 1280, 800, "en", "2026-11-23T08:00");
	round = harness_round(&h);

	/* siblings: one choice books both, back to back */
	harness_scan(&h, MARIEKE_CARD);
	harness_tap(&h, "start.book");
	CHECK(harness_on(&h, "book_home"), "on %s", kiosk_screen(h.k));
	CHECK(harness_text(&h, "Rapportgesprekken"), "the round's name");
	harness_tap(&h, "book.siblings");
	CHECK(harness_on(&h, "book_siblings"), "on %s", kiosk_screen(h.k));
	CHECK(harness_text(&h, "19:00 Sanne (Anna de Jong)"), "Sanne first, with Anna");
	harness_tap(&h, "proposal.0");
	CHECK(harness_on(&h, "done") && harness_text(&h, "Your conversations are booked."), "booked, on %s",
	      kiosk_screen(h.k));
	CHECK(bookings_of(&h, MARIEKE_CODE, MARIEKE_PIN, NULL) == 2, "two conversations stored");
	harness_tap(&h, "done.ok");

	/* Anna is full: Noah's mother joins the waiting list */
	harness_tap(&h, "start.book");
	harness_type(&h, FATMA_CODE);
	harness_tap(&h, "key.ok");
	harness_type(&h, FATMA_PIN);
	harness_tap(&h, "key.ok");
	harness_tap(&h, "book.child.0");
	CHECK(harness_on(&h, "book_slots"), "on %s", kiosk_screen(h.k));
	CHECK(harness_text(&h, "All times with the teacher are taken"), "full");
	harness_tap(&h, "book.waitlist");
	CHECK(harness_text(&h, "You are on the waiting list."), "on the waiting list");
	bookings_of(&h, FATMA_CODE, FATMA_PIN, &wait);
	CHECK(json_array_size(wait) == 1, "stored on the waiting list");
	json_decref(wait);
	harness_tap(&h, "done.ok");

	/* Marieke cancels Sanne's conversation: the slot goes to Noah */
	harness_scan(&h, MARIEKE_CARD);
	harness_tap(&h, "start.book");
	CHECK(harness_text(&h, "Sanne de Vries: Tuesday 24 November at 19:00 with Anna de Jong"),
	      "her own bookings listed");
	harness_tap(&h, "book.cancel.0");
	CHECK(harness_text(&h, "The conversation is cancelled."), "cancelled");
	CHECK(bookings_of(&h, MARIEKE_CODE, MARIEKE_PIN, NULL) == 1, "one left");
	harness_tap(&h, "nav.stop");
	harness_tap(&h, "start.book");
	harness_type(&h, FATMA_CODE);
	harness_tap(&h, "key.ok");
	harness_type(&h, FATMA_PIN);
	harness_tap(&h, "key.ok");
	CHECK(harness_text(&h, "A time came free"), "the offer is shown at the next visit");
	harness_tap(&h, "book.offer.0");
	CHECK(harness_on(&h, "done"), "booked the offered slot, on %s", kiosk_screen(h.k));
	CHECK(bookings_of(&h, FATMA_CODE, FATMA_PIN, NULL) == 1, "Noah's conversation stored");
	harness_tap(&h, "done.ok");

	/* a slot someone else takes while Marieke looks at it */
	harness_scan(&h, MARIEKE_CARD);
	harness_tap(&h, "start.book");
	harness_tap(&h, "book.cancel.0");          /* Daan's */
	harness_tap(&h, "book.child.1");
	CHECK(harness_on(&h, "book_slots") && harness_text(&h, "19:00"), "Piet's times, on %s",
	      kiosk_screen(h.k));
	E(poort_pupil_by_key(h.p, "L004", &lotte));
	E(poort_guardian_by_key(h.p, "G004", &peter));
	{
		json_t *slots = NULL;
		poort_booking_req req = { round, 0, lotte, peter };

		E(poort_round_slots(h.p, POORT_ACTOR_CONSOLE, round, lotte, &slots));
		req.slot = (poort_id)json_integer_value(json_object_get(json_array_get(slots, 0), "slot"));
		E(poort_booking_create(h.p, POORT_ACTOR_CONSOLE, &req, "test-lotte-1", &out));
		json_decref(out);
		json_decref(slots);
	}
	harness_tap(&h, "slot.0");
	CHECK(harness_on(&h, "book_slots"), "still choosing, on %s", kiosk_screen(h.k));
	CHECK(harness_text(&h, "Someone else just booked that time"), "said clearly");
	CHECK(harness_text(&h, "19:10"), "the nearest free times offered");
	harness_tap(&h, "slot.0");
	CHECK(harness_on(&h, "done") && harness_text(&h, "19:10"), "booked 19:10, on %s", kiosk_screen(h.k));
	CHECK(bookings_of(&h, MARIEKE_CODE, MARIEKE_PIN, NULL) == 1, "Daan's conversation stored");
	harness_tap(&h, "done.ok");

	/* the evening: Piet runs late; the start screen says so, and so does
	 * the check-in for the conversation */
	harness_now(&h, "2026-11-24T19:05");
	{
		poort_id acc;
		E(poort_login_password(h.p, "piet", "meester-piet-wachtwoord", &acc));
		E(poort_teacher_running_late(h.p, acc, round,
		                             harness_staff_id(&h, "piet", "meester-piet-wachtwoord"), 10));
	}
	CHECK(!harness_text(&h, "running about"), "not yet polled");
	harness_wait(&h, 16000);
	CHECK(harness_text(&h, "Piet Vermeulen is running about 10 minutes late."), "shown to everyone");
	harness_scan(&h, MARIEKE_CARD);
	harness_tap(&h, "start.checkin");
	harness_tap(&h, "checkin.arrival");
	CHECK(harness_on(&h, "done") && harness_text(&h, "Piet Vermeulen is running about 10 minutes late. Please take a seat."),
	      "the arrival answer names the delay, on %s", kiosk_screen(h.k));
	{
		poort_id acc;
		json_t *mine = NULL;
		E(poort_login_kiosk(h.p, MARIEKE_CODE, MARIEKE_PIN, &acc));
		E(poort_guardian_bookings(h.p, acc, 0, &mine));
		size_t i;
		json_t *b;
		bool arrived = false;
		json_array_foreach(json_object_get(mine, "bookings"), i, b)
			if (json_integer_value(json_object_get(b, "arrived_at")) > 0)
				arrived = true;
		CHECK(arrived, "the teacher sees the arrival");
		json_decref(mine);
	}
	harness_close(&h);
}

/* Is s valid UTF-8 (no stray continuation byte, no cut-off sequence)? */
static bool utf8_valid(const char *s)
{
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		int more = *c < 0x80 ? 0 : (*c & 0xE0) == 0xC0 ? 1 : (*c & 0xF0) == 0xE0 ? 2
		         : (*c & 0xF8) == 0xF0 ? 3 : -1;
		if (more < 0)
			return false;
		for (; more > 0; more--)
			if ((*++c & 0xC0) != 0x80)
				return false;
	}
	return true;
}

static const char *visitor_name(json_t *list, size_t i)
{
	return json_string_value(json_object_get(json_array_get(list, i), "name")) ?: "";
}

/* Digits and accented letters from the keyboard's second layout, whole
 * UTF-8 characters in and out, up to the field's limit. */
static void test_keyboard_utf8(void)
{
	harness h;
	json_t *list = NULL;
	char expect[96];
	size_t n;

	harness_open(&h, "kiosk-utf8", 800, 480, "nl", "2026-11-23T08:00");
	/* a note with digits: "10.30" typed on the second layout */
	harness_tap(&h, "start.absence");
	harness_scan(&h, MARIEKE_CARD);
	harness_tap(&h, "child.1");
	harness_tap(&h, "absence.today");
	harness_tap(&h, "reason.doctor");
	harness_type(&h, "tandarts om 10.30");
	harness_tap(&h, "key.ok");
	CHECK(harness_on(&h, "done"), "on %s", kiosk_screen(h.k));
	list = absences(&h, "2026-11-23");
	CHECK(strcmp(json_string_value(json_object_get(json_array_get(list, 0), "note")) ?: "",
	             "Tandarts om 10.30") == 0, "the note with its time, as typed (a capital only to start)");
	json_decref(list);
	harness_tap(&h, "done.ok");

	/* a name with ë and an apostrophe; capitals at the start of words */
	harness_tap(&h, "start.checkin");
	harness_tap(&h, "checkin.visitor_in");
	harness_type(&h, "zo\xC3\xAB van 't hof");
	CHECK(harness_text(&h, "Zo\xC3\xAB van 't Hof"), "the name in the field");
	harness_tap(&h, "key.ok");
	harness_type(&h, "\xC3\xA9l\xC3\xA8ve");               /* élève: É at the start */
	harness_tap(&h, "key.ok");
	CHECK(harness_on(&h, "done"), "on %s", kiosk_screen(h.k));
	E(poort_visitor_list(h.p, POORT_ACTOR_ANONYMOUS, &list));
	CHECK(json_array_size(list) == 1 && strcmp(visitor_name(list, 0), "Zo\xC3\xAB van 't Hof") == 0,
	      "stored as typed: %s", visitor_name(list, 0));
	json_decref(list);
	E(poort_building_list(h.p, POORT_ACTOR_CONSOLE, &list));   /* with whom they visit */
	CHECK(strcmp(json_string_value(json_object_get(json_array_get(json_object_get(list, "visitors"), 0),
	                                               "visiting")) ?: "", "\xC3\x89l\xC3\xA8ve") == 0,
	      "an accented capital at the start of a word");
	json_decref(list);
	harness_tap(&h, "done.ok");

	/* delete after ë removes both of its bytes */
	harness_tap(&h, "start.checkin");
	harness_tap(&h, "checkin.visitor_in");
	harness_type(&h, "zo\xC3\xAB");
	harness_tap(&h, "key.del");
	harness_type(&h, "e");
	harness_tap(&h, "key.ok");
	harness_type(&h, "juf anna");
	harness_tap(&h, "key.ok");
	E(poort_visitor_list(h.p, POORT_ACTOR_ANONYMOUS, &list));
	CHECK(json_array_size(list) == 2 && strcmp(visitor_name(list, 1), "Zoe") == 0,
	      "ë deleted whole: %s", json_array_size(list) == 2 ? visitor_name(list, 1) : "");
	json_decref(list);
	harness_tap(&h, "done.ok");

	/* at the limit (96 bytes with the NUL): 47 ë fill 94 bytes, a 48th
	 * would need 2 and is refused whole; one ASCII letter still fits */
	harness_tap(&h, "start.checkin");
	harness_tap(&h, "checkin.visitor_in");
	for (int i = 0; i < 50; i++)
		harness_type(&h, "\xC3\xAB");
	harness_type(&h, "a");
	harness_type(&h, "\xC3\xAB");
	harness_tap(&h, "key.ok");
	harness_type(&h, "juf anna");
	harness_tap(&h, "key.ok");
	E(poort_visitor_list(h.p, POORT_ACTOR_ANONYMOUS, &list));
	snprintf(expect, sizeof expect, "\xC3\x8B");
	for (n = 1; n < 47; n++)
		strcat(expect, "\xC3\xAB");
	strcat(expect, "a");
	CHECK(json_array_size(list) == 3 && utf8_valid(visitor_name(list, 2)) &&
	      strcmp(visitor_name(list, 2), expect) == 0 && strlen(expect) == 95,
	      "full field, whole characters only: %zu bytes", strlen(visitor_name(list, 2)));
	json_decref(list);
	harness_close(&h);
}

int main(void)
{
	test_absence_on_time();
	test_absence_after_cutoff_and_range();
	test_wrong_pin_lockout();
	test_unknown_card();
	test_pickup();
	test_late_and_arrival();
	test_visitors();
	test_keyboard_utf8();
	test_idle_wipe();
	test_nothing_before_identification();
	test_conversations();
	TTF_Quit();
	SDL_Quit();
	return test_done("kiosk_flows");
}
