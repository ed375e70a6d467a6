/* screens.c - what the kiosk shows and what a tap does.
 *
 * Two tables drive everything:
 *  - screens[]: each screen's name, build function, whether it shows family
 *    data, and when it is skipped (identification when already identified,
 *    "choose child" with one child, ...);
 *  - flows[]: what the parent chose on the start screen, as the ordered
 *    steps to walk and the core call to make at the end ("commit").
 * "Next" and "Back" walk the current flow's steps, skipping what does not
 * apply; the commit runs on the way into the confirmation screen. Every rule
 * (may this adult collect this child, is this a school day, is it after the
 * cut-off) is the core's; a refusal is shown in the parent's language.
 */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define IDLE_MS      60000    /* no touch for this long: the warning */
#define WARN_MS      20000    /* then this long to answer it: wiped */
#define DONE_MS      15000    /* a confirmation returns to the start by itself */

enum screen {
	SCR_START, SCR_CHECKIN, SCR_CODE, SCR_PIN, SCR_CHILD,
	SCR_ABS_DAY, SCR_ABS_RANGE, SCR_ABS_REASON, SCR_ABS_NOTE,
	SCR_PICKUP_WHO, SCR_PICKUP_NAME,
	SCR_VISITOR_NAME, SCR_VISITOR_WHOM, SCR_VISITOR_OUT,
	SCR_BOOK_HOME, SCR_BOOK_SLOTS, SCR_BOOK_SIBLINGS,
	SCR_DONE, SCR__COUNT
};

enum flow {
	FLOW_NONE, FLOW_CHECKIN, FLOW_ABSENCE, FLOW_ARRIVAL, FLOW_LATE, FLOW_PICKUP,
	FLOW_VISIT_IN, FLOW_VISIT_OUT, FLOW_BOOK, FLOW__COUNT
};

#define MAX_STEPS 10
#define N_(msgid) msgid     /* marks a msgid translated later, for xgettext */

static void build_start(kiosk *), build_checkin(kiosk *), build_code(kiosk *),
	build_pin(kiosk *), build_child(kiosk *), build_abs_day(kiosk *),
	build_abs_range(kiosk *), build_abs_reason(kiosk *), build_abs_note(kiosk *),
	build_pickup_who(kiosk *), build_pickup_name(kiosk *), build_visitor_name(kiosk *),
	build_visitor_whom(kiosk *), build_visitor_out(kiosk *), build_book_home(kiosk *),
	build_book_slots(kiosk *), build_book_siblings(kiosk *), build_done(kiosk *);
static bool identified(kiosk *), one_child(kiosk *), not_other_days(kiosk *),
	collector_known(kiosk *);
static bool commit_absence(kiosk *), commit_arrival(kiosk *), commit_late(kiosk *),
	commit_pickup(kiosk *), commit_visit_in(kiosk *), commit_visit_out(kiosk *);

static const struct screen_def {
	const char *name;
	void (*build)(kiosk *);
	bool (*skip)(kiosk *);     /* NULL: never skipped */
	bool personal;             /* shows a family's data: only after identification */
	enum screen back;          /* a sub-screen outside the flow's steps: Back goes here */
} screens[SCR__COUNT] = {
	[SCR_START]        = { "start", build_start, NULL, false },
	[SCR_CHECKIN]      = { "checkin", build_checkin, NULL, false },
	[SCR_CODE]         = { "code", build_code, identified, false },
	[SCR_PIN]          = { "pin", build_pin, identified, false },
	[SCR_CHILD]        = { "child", build_child, one_child, true },
	[SCR_ABS_DAY]      = { "absence_day", build_abs_day, NULL, true },
	[SCR_ABS_RANGE]    = { "absence_range", build_abs_range, not_other_days, true },
	[SCR_ABS_REASON]   = { "absence_reason", build_abs_reason, NULL, true },
	[SCR_ABS_NOTE]     = { "absence_note", build_abs_note, NULL, true },
	[SCR_PICKUP_WHO]   = { "pickup_who", build_pickup_who, NULL, true },
	[SCR_PICKUP_NAME]  = { "pickup_name", build_pickup_name, collector_known, true },
	[SCR_VISITOR_NAME] = { "visitor_name", build_visitor_name, NULL, false },
	[SCR_VISITOR_WHOM] = { "visitor_whom", build_visitor_whom, NULL, false },
	[SCR_VISITOR_OUT]  = { "visitor_out", build_visitor_out, NULL, false },
	[SCR_BOOK_HOME]    = { "book_home", build_book_home, NULL, true },
	[SCR_BOOK_SLOTS]   = { "book_slots", build_book_slots, NULL, true, SCR_BOOK_HOME },
	[SCR_BOOK_SIBLINGS] = { "book_siblings", build_book_siblings, NULL, true, SCR_BOOK_HOME },
	[SCR_DONE]         = { "done", build_done, NULL, false },
};

static const struct flow_def {
	const char *name;
	enum flow parent;          /* where Back from the first step leads */
	bool (*commit)(kiosk *);   /* the core call before SCR_DONE; false: stay, error shown */
	enum screen steps[MAX_STEPS];   /* ends with SCR_DONE (or one menu screen) */
} flows[FLOW__COUNT] = {
	[FLOW_NONE]      = { "none", FLOW_NONE, NULL, { SCR_START } },
	[FLOW_CHECKIN]   = { "checkin", FLOW_NONE, NULL, { SCR_CHECKIN } },
	[FLOW_ABSENCE]   = { "absence", FLOW_NONE, commit_absence,
	                     { SCR_CODE, SCR_PIN, SCR_CHILD, SCR_ABS_DAY, SCR_ABS_RANGE,
	                       SCR_ABS_REASON, SCR_ABS_NOTE, SCR_DONE } },
	[FLOW_ARRIVAL]   = { "arrival", FLOW_CHECKIN, commit_arrival, { SCR_CODE, SCR_PIN, SCR_DONE } },
	[FLOW_LATE]      = { "late", FLOW_CHECKIN, commit_late,
	                     { SCR_CODE, SCR_PIN, SCR_CHILD, SCR_DONE } },
	[FLOW_PICKUP]    = { "pickup", FLOW_CHECKIN, commit_pickup,
	                     { SCR_CODE, SCR_PIN, SCR_CHILD, SCR_PICKUP_WHO, SCR_PICKUP_NAME, SCR_DONE } },
	[FLOW_VISIT_IN]  = { "visitor_in", FLOW_CHECKIN, commit_visit_in,
	                     { SCR_VISITOR_NAME, SCR_VISITOR_WHOM, SCR_DONE } },
	[FLOW_VISIT_OUT] = { "visitor_out", FLOW_CHECKIN, commit_visit_out,
	                     { SCR_VISITOR_OUT, SCR_DONE } },
	/* Booking happens on the way from the times to the confirmation; the
	 * home screen lists the family's conversations and what to plan. */
	[FLOW_BOOK]      = { "book", FLOW_NONE, NULL,
	                     { SCR_CODE, SCR_PIN, SCR_BOOK_HOME } },
};

const char *screens_name(int screen)
{
	return screen >= 0 && screen < SCR__COUNT ? screens[screen].name : "?";
}

bool screens_personal(int screen)
{
	return screens[screen].personal;
}

/* ---- moving through a flow ---- */

static int step_index(const kiosk *k)
{
	for (int i = 0; i < MAX_STEPS; i++)
		if (flows[k->s.flow].steps[i] == (enum screen)k->screen)
			return i;
	return -1;
}

static void show(kiosk *k, enum screen s)
{
	k->screen = s;
	k->field = NULL;
	k->shown_at_ms = kiosk_ms(k);
	kiosk_dirty(k);
}

static void flow_begin(kiosk *k, enum flow f);

static void wipe(kiosk *k)
{
	json_decref(k->s.children);
	json_decref(k->s.adults);
	json_decref(k->s.visitors);
	json_decref(k->s.mine);
	json_decref(k->s.slots);
	json_decref(k->s.proposals);
	SDL_memset(&k->s, 0, sizeof k->s);    /* codes, PINs, names, notes */
	k->lang = k->lang_default;            /* the next person starts in the school's language */
	scanner_clear(&k->sc);
	k->field = NULL;
	k->warning_secs = -1;
}

void screens_start(kiosk *k)
{
	wipe(k);
	/* No names stay behind in cached textures either. */
	if (k->tc)
		text_cache_flush(k->tc);
	show(k, SCR_START);
}

/* The first step from index i on whose skip rule does not hold; runs the
 * commit on the way into the confirmation. */
static void flow_advance(kiosk *k, int i)
{
	const struct flow_def *f = &flows[k->s.flow];

	k->s.error[0] = 0;
	for (; i < MAX_STEPS && (i == 0 || f->steps[i] != SCR_START); i++) {
		enum screen s = f->steps[i];

		if (screens[s].skip && screens[s].skip(k))
			continue;
		if (s == SCR_DONE && f->commit && !f->commit(k)) {
			kiosk_dirty(k);        /* stay; the error is on screen */
			return;
		}
		show(k, s);
		return;
	}
	screens_start(k);
}

static void flow_next(kiosk *k)
{
	flow_advance(k, step_index(k) + 1);
}

void flow_back(kiosk *k, int arg)
{
	const struct flow_def *f = &flows[k->s.flow];
	int i = step_index(k);

	(void)arg;
	k->s.error[0] = 0;
	if (screens[k->screen].back != SCR_START) {
		show(k, screens[k->screen].back);
		return;
	}
	for (i--; i >= 0; i--) {
		enum screen s = f->steps[i];

		/* Identification is never undone by Back: Stop does that. */
		if ((screens[s].skip && screens[s].skip(k)) || s == SCR_CODE || s == SCR_PIN)
			continue;
		show(k, s);
		return;
	}
	if (f->parent == FLOW_NONE && !k->s.account)
		screens_start(k);
	else
		flow_begin(k, f->parent);
}

void flow_stop(kiosk *k, int arg)
{
	(void)arg;
	screens_start(k);
}

static void flow_begin(kiosk *k, enum flow f)
{
	k->s.flow = f;
	flow_advance(k, 0);
}

static void next(kiosk *k, int arg)
{
	(void)arg;
	flow_next(k);
}

/* ---- skip rules ---- */

static bool identified(kiosk *k)
{
	return k->s.account != 0;
}

static bool one_child(kiosk *k)
{
	if (json_array_size(k->s.children) == 1)
		k->s.child = 0;
	return json_array_size(k->s.children) == 1;
}

static bool not_other_days(kiosk *k)
{
	return k->s.day_choice != 2;
}

static bool collector_known(kiosk *k)
{
	return k->s.collector[0] != 0;
}

/* ---- helpers ---- */

static int64_t jint64(const json_t *o, const char *key)
{
	return (int64_t)json_integer_value(json_object_get(o, key));
}

static const char *jtext(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? v : "";
}

static const json_t *child(const kiosk *k)
{
	return json_array_get(k->s.children, (size_t)k->s.child);
}

static poort_id child_id(const kiosk *k)
{
	return (poort_id)json_integer_value(json_object_get(child(k), "id"));
}

static const char *child_first_name(const kiosk *k)
{
	const char *s = json_string_value(json_object_get(child(k), "first_name"));
	return s ? s : "";
}

static void error_from(kiosk *k, poort_err err)
{
	snprintf(k->s.error, sizeof k->s.error, "%s", T(k, poort_strerror(err)));
}

static void done(kiosk *k, bool error, const char *title, const char *text)
{
	k->s.done_error = error;
	snprintf(k->s.done_title, sizeof k->s.done_title, "%s", title);
	snprintf(k->s.done_text, sizeof k->s.done_text, "%s", text ? text : "");
}

static const char *const weekdays[] = { N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
	                                N_("Saturday"), N_("Sunday") };
static const char *const wd_short[] = { N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun") };
static const char *const months[] = { N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
	                              N_("July"), N_("August"), N_("September"), N_("October"), N_("November"),
	                              N_("December") };

/* "maandag 30 november" / "Monday 30 November" (short: "ma 30-11"). */
static char *day_label(kiosk *k, poort_day d, bool brief, char *buf, size_t len)
{
	char iso[11];
	int month, mday;

	poort_day_format(d, iso);
	sscanf(iso + 5, "%d-%d", &month, &mday);
	if (brief)
		snprintf(buf, len, "%s %d-%d", T(k, wd_short[poort_day_weekday(d) - 1]), mday, month);
	else
		snprintf(buf, len, "%s %d %s", T(k, weekdays[poort_day_weekday(d) - 1]), mday,
		         T(k, months[month - 1]));
	return buf;
}

static bool school_day(kiosk *k, poort_day d)
{
	bool yes = false;
	return poort_school_day(k->p, d, &yes) == POORT_OK && yes;
}

static poort_day next_school_day(kiosk *k, poort_day after)
{
	for (poort_day d = after + 1; d < after + 60; d++)
		if (school_day(k, d))
			return d;
	return 0;
}

/* The panel with the current error, if any. */
static void show_error(kiosk *k)
{
	if (k->s.error[0])
		ui_text(k, k->s.error, ST_ERROR, FS_BODY, true, false);
}

/* ---- start and the check-in menu ---- */

static void start_choose(kiosk *k, int arg)
{
	static const enum flow choice[] = { FLOW_ABSENCE, FLOW_BOOK, FLOW_CHECKIN };
	flow_begin(k, choice[arg]);
}

static void build_start(kiosk *k)
{
	static const char *const ids[] = { "start.absence", "start.book", "start.checkin" };
	const char *labels[3];
	char date[64];
	poort_day today;
	int minute;

	ui_begin(k, false);
	poort_local_time(poort_now(k->p), &today, &minute);
	day_label(k, today, false, date, sizeof date);
	ui_text(k, date, ST_MUTED, FS_LARGE, false, false);
	ui_gap(k, k->em / 2);
	if (k->s.account)
		ui_text(k, T(k, "Your card is recognised. What would you like to do?"), ST_OK, FS_LARGE,
		        true, false);
	else
		ui_text(k, T(k, "Welcome. What would you like to do?"), ST_TEXT, FS_TITLE, true, false);
	show_error(k);
	for (size_t i = 0; i < json_array_size(k->late) && i < 3; i++) {
		const json_t *t = json_array_get(k->late, i);
		char line[200];

		snprintf(line, sizeof line, T(k, "%s is running about %d minutes late."),
		         jtext(t, "staff_name"), (int)jint64(t, "minutes"));
		ui_text(k, line, ST_NOTICE, FS_BODY, true, false);
	}
	ui_gap(k, k->em / 2);
	labels[0] = T(k, "Report sick or absent");
	labels[1] = T(k, "Book a conversation");
	labels[2] = T(k, "Check in");
	ui_choices(k, 3, ids, labels, start_choose, NULL,
	           (const int[]){ ST_PRIMARY, ST_PRIMARY, ST_PRIMARY },
	           k->portrait ? 0 : k->em * 8,                  /* portrait: stacked, full width */
	           k->portrait ? k->region.w * 2 / 3 : k->em * 8);
}

static void checkin_choose(kiosk *k, int arg)
{
	static const enum flow choice[] = { FLOW_ARRIVAL, FLOW_LATE, FLOW_PICKUP, FLOW_VISIT_IN,
		                            FLOW_VISIT_OUT };
	flow_begin(k, choice[arg]);
}

static void build_checkin(kiosk *k)
{
	static const char *const ids[] = { "checkin.arrival", "checkin.late", "checkin.pickup",
		                           "checkin.visitor_in", "checkin.visitor_out" };
	const char *labels[5] = {
		T(k, "I'm here for my conversation"), T(k, "My child arrives late"),
		T(k, "I'm picking my child up early"), T(k, "Visitor: sign in"),
		T(k, "Visitor: sign out"),
	};

	ui_begin(k, true);
	ui_text(k, T(k, "Check in"), ST_TEXT, FS_TITLE, true, false);
	ui_choices(k, 5, ids, labels, checkin_choose, NULL, NULL, 0, k->em * 10);
}

/* ---- identification ---- */

static void field_setup(kiosk *k, char *buf, size_t max, bool digits, bool masked)
{
	if (k->field != buf)
		k->field_alt = false;   /* every new field starts on the letters */
	k->field = buf;
	k->field_max = max;
	k->field_digits = digits;
	k->field_masked = masked;
}

/* Title, field and keypad: side by side in landscape, stacked in portrait. */
static void keypad_screen(kiosk *k, const char *title, const char *hint, char *buf, size_t max,
                          bool masked, void (*ok)(kiosk *, int))
{
	SDL_Rect all, pad;
	char shown[40];
	size_t n = strlen(buf);
	int fh = text_line_height(k->tc, FS_HUGE) + k->em;

	field_setup(k, buf, max, true, masked);
	all = ui_rest(k);
	if (k->portrait) {
		pad = (SDL_Rect){ all.x, all.y + all.h / 2, all.w, all.h / 2 };
		ui_region(k, (SDL_Rect){ all.x, all.y, all.w, all.h / 2 - k->em });
	} else {
		pad = (SDL_Rect){ all.x + all.w / 2 + k->em, all.y, all.w / 2 - k->em, all.h };
		ui_region(k, (SDL_Rect){ all.x, all.y, all.w / 2 - k->em, all.h });
	}
	ui_text(k, title, ST_TEXT, FS_TITLE, true, false);
	if (hint)
		ui_text(k, hint, ST_MUTED, FS_BODY, false, false);
	if (masked) {
		/* one dot per digit typed: the length only */
		for (size_t i = 0; i < n && i < 12; i++)
			memcpy(shown + i * 3, "\xE2\x97\x8F", 3);     /* ● */
		shown[n < 12 ? n * 3 : 36] = 0;
	} else {
		snprintf(shown, sizeof shown, "%s", buf);
	}
	{
		widget *f = ui_add(k, (SDL_Rect){ k->region.x, k->cy, k->region.w, fh }, ST_FIELD, FS_HUGE,
		                   true, shown);
		f->id = "field";
		k->cy += fh + k->em / 2;
	}
	show_error(k);
	ui_keypad(k, pad, ok, "OK");
}

static void code_ok(kiosk *k, int arg)
{
	(void)arg;
	if (!k->s.code[0]) {
		snprintf(k->s.error, sizeof k->s.error, "%s", T(k, "Please type your parent code first."));
		return;
	}
	/* Always on to the PIN: whether a code exists is never shown. */
	k->s.error[0] = 0;
	show(k, SCR_PIN);
}

static void build_code(kiosk *k)
{
	ui_begin(k, true);
	keypad_screen(k, T(k, "Scan your card or type your parent code"),
	              T(k, "The code is on your parent card."), k->s.code, 7, false, code_ok);
}

static void load_children(kiosk *k)
{
	json_decref(k->s.children);
	k->s.children = NULL;
	if (poort_my_children(k->p, k->s.account, &k->s.children) != POORT_OK)
		k->s.children = json_array();
}

/* The unlock time from the core's detail, as HH:MM, when it gives one. */
static void locked_message(kiosk *k)
{
	const char *d = poort_error_detail();
	const char *t = strchr(d, 'T');
	int hh, mm;

	if (t && sscanf(t + 1, "%2d:%2d", &hh, &mm) == 2) {
		snprintf(k->s.error, sizeof k->s.error,
		         T(k, "Too many wrong attempts. You can try again after %02d:%02d, or ask at the office."),
		         hh, mm);
	} else {
		snprintf(k->s.error, sizeof k->s.error, "%s",
		         T(k, "Too many wrong attempts. Please try again later, or ask at the office."));
	}
}

static void identified_now(kiosk *k, poort_id account)
{
	k->s.account = account;
	load_children(k);
}

static void pin_ok(kiosk *k, int arg)
{
	poort_id account = 0;
	poort_err err;

	(void)arg;
	err = poort_login_kiosk(k->p, k->s.code, k->s.pin, &account);
	SDL_memset(k->s.pin, 0, sizeof k->s.pin);
	if (err == POORT_OK) {
		SDL_memset(k->s.code, 0, sizeof k->s.code);
		identified_now(k, account);
		flow_next(k);
		return;
	}
	if (err == POORT_E_LOCKED)
		locked_message(k);
	else if (err == POORT_E_AUTH || err == POORT_E_NOT_FOUND || err == POORT_E_INVALID)
		snprintf(k->s.error, sizeof k->s.error, "%s",
		         T(k, "The code or PIN is not right. Please try again."));
	else
		error_from(k, err);
	/* Start again at the code: it may have been the code that was wrong. */
	SDL_memset(k->s.code, 0, sizeof k->s.code);
	show(k, SCR_CODE);
}

static void build_pin(kiosk *k)
{
	ui_begin(k, true);
	keypad_screen(k, T(k, "Type your PIN"), T(k, "Your PIN is not shown on the screen."), k->s.pin,
	              9, true, pin_ok);
}

void screens_scan(kiosk *k, const char *token)
{
	poort_id account = 0;
	poort_err err;

	/* A card counts on the start screen and where identification is asked. */
	if (k->screen != SCR_START && k->screen != SCR_CHECKIN && k->screen != SCR_CODE &&
	    k->screen != SCR_PIN)
		return;
	if (k->s.account)
		return;
	err = poort_login_card(k->p, token, &account);
	if (err == POORT_OK) {
		identified_now(k, account);
		k->s.error[0] = 0;
		if (k->screen == SCR_CODE || k->screen == SCR_PIN)
			flow_next(k);
		return;
	}
	if (err == POORT_E_LOCKED)
		locked_message(k);
	else
		snprintf(k->s.error, sizeof k->s.error, "%s",
		         T(k, "This card is not recognised. Please type your parent code, or ask at the office."));
}

/* ---- choose child ---- */

static void child_choose(kiosk *k, int arg)
{
	k->s.child = arg;
	flow_next(k);
}

static void build_child(kiosk *k)
{
	static const char *const ids[] = { "child.0", "child.1", "child.2", "child.3", "child.4",
		                           "child.5", "child.6", "child.7" };
	char labels[8][160];
	const char *lp[8];
	size_t n = json_array_size(k->s.children);

	ui_begin(k, true);
	if (n == 0) {
		ui_text(k, T(k, "No children are linked to your account. Please ask at the office."),
		        ST_NOTICE, FS_BODY, true, false);
		return;
	}
	ui_text(k, T(k, "Which child?"), ST_TEXT, FS_TITLE, true, false);
	if (n > 8)
		n = 8;
	for (size_t i = 0; i < n; i++) {
		const json_t *c = json_array_get(k->s.children, i);
		const char *group = json_string_value(json_object_get(c, "group_name"));

		snprintf(labels[i], sizeof labels[i], "%s\n%s %s",
		         json_string_value(json_object_get(c, "first_name")) ?: "", T(k, "group"),
		         group ? group : "");
		lp[i] = labels[i];
	}
	ui_choices(k, (int)n, ids, lp, child_choose, NULL, NULL, 0, k->em * 9);
}

/* ---- absence ---- */

static void abs_day(kiosk *k, int arg)
{
	poort_day today, d;
	int minute;

	poort_local_time(poort_now(k->p), &today, &minute);
	k->s.day_choice = arg;
	if (arg == 0) {
		k->s.from = k->s.to = today;
	} else if (arg == 1) {
		d = next_school_day(k, today);
		k->s.from = k->s.to = d;
	} else {
		k->s.from = k->s.to = 0;
	}
	flow_next(k);
}

static void build_abs_day(kiosk *k)
{
	static const char *const ids_all[] = { "absence.today", "absence.next", "absence.other" };
	const char *ids[3], *labels[3];
	int args[3], n = 0;
	char next_label[80], line[200];
	poort_day today, nd;
	int minute;

	poort_local_time(poort_now(k->p), &today, &minute);
	nd = next_school_day(k, today);
	ui_begin(k, true);
	snprintf(line, sizeof line, T(k, "When is %s absent?"), child_first_name(k));
	ui_text(k, line, ST_TEXT, FS_TITLE, true, false);
	show_error(k);
	if (school_day(k, today)) {
		ids[n] = ids_all[0];
		labels[n] = T(k, "Today");
		args[n++] = 0;
	}
	if (nd) {
		if (nd == today + 1)
			snprintf(next_label, sizeof next_label, "%s", T(k, "Tomorrow"));
		else
			day_label(k, nd, false, next_label, sizeof next_label);
		ids[n] = ids_all[1];
		labels[n] = next_label;
		args[n++] = 1;
	}
	ids[n] = ids_all[2];
	labels[n] = T(k, "Another day or several days");
	args[n++] = 2;
	ui_choices(k, n, ids, labels, abs_day, args, NULL, 0, k->em * 9);
}

static void range_tap(kiosk *k, int arg)
{
	poort_day d = (poort_day)arg;

	k->s.error[0] = 0;
	/* First tap: the first day; a later day: the last day; again: start over. */
	if (!k->s.from || k->s.to != k->s.from || d < k->s.from)
		k->s.from = k->s.to = d;
	else
		k->s.to = d;
}

static void range_next(kiosk *k, int arg)
{
	(void)arg;
	if (!k->s.from) {
		snprintf(k->s.error, sizeof k->s.error, "%s", T(k, "Please choose a day first."));
		return;
	}
	flow_next(k);
}

static void build_abs_range(kiosk *k)
{
	static const char *const ids[] = { "day.0", "day.1", "day.2", "day.3", "day.4",
		                           "day.5", "day.6", "day.7", "day.8", "day.9" };
	char labels[10][40];
	const char *lp[10];
	int days[10], n = 0, first;
	poort_day today, d;
	int minute;

	poort_local_time(poort_now(k->p), &today, &minute);
	ui_begin(k, true);
	ui_bottom(k, NULL, NULL, NULL, "range.next", T(k, "Next"), range_next);
	ui_text(k, T(k, "Tap the first day, then the last day."), ST_TEXT, FS_LARGE, true, false);
	show_error(k);
	for (d = today; n < 10 && d < today + 60; d++) {
		if (!school_day(k, d))
			continue;
		day_label(k, d, true, labels[n], sizeof labels[n]);
		lp[n] = labels[n];
		days[n++] = (int)d;
	}
	first = k->nw;
	ui_choices(k, n, ids, lp, range_tap, days, NULL, 0, k->em * 6);
	for (int j = first; j < k->nw; j++)
		if (k->s.from && k->wd[j].arg >= k->s.from && k->wd[j].arg <= k->s.to)
			k->wd[j].style = ST_SELECTED;     /* the chosen days */
}

static void abs_reason(kiosk *k, int arg)
{
	static const poort_absence_reason reasons[] = { POORT_REASON_SICK, POORT_REASON_DOCTOR,
		                                        POORT_REASON_OTHER };
	k->s.reason = reasons[arg];
	flow_next(k);
}

static void build_abs_reason(kiosk *k)
{
	static const char *const ids[] = { "reason.sick", "reason.doctor", "reason.other" };
	const char *labels[3] = { T(k, "Sick"), T(k, "Doctor or dentist"), T(k, "Other reason") };

	ui_begin(k, true);
	ui_text(k, T(k, "What is the reason?"), ST_TEXT, FS_TITLE, true, false);
	ui_choices(k, 3, ids, labels, abs_reason, NULL, NULL, 0, k->em * 8);
}

static void build_keyboard_screen(kiosk *k, const char *title, const char *hint, char *buf,
                                  size_t max, bool sentence, void (*ok)(kiosk *, int), const char *ok_label,
                                  const char *skip_id, const char *skip_label,
                                  void (*skip)(kiosk *, int))
{
	SDL_Rect rest;
	int fh = text_line_height(k->tc, FS_BODY) + k->em, kb_h;

	ui_begin(k, true);
	field_setup(k, buf, max, false, false);
	k->field_sentence = sentence;
	ui_text(k, title, ST_TEXT, FS_LARGE, true, false);
	if (hint)
		ui_text(k, hint, ST_MUTED, FS_SMALL, false, false);
	{
		widget *f = ui_add(k, (SDL_Rect){ k->region.x, k->cy,
		                                  skip_label ? k->region.w * 2 / 3 : k->region.w, fh },
		                   ST_FIELD, FS_BODY, false, buf);
		f->id = "field";
		if (skip_label)
			ui_button(k, (SDL_Rect){ k->region.x + k->region.w * 2 / 3 + k->em / 2, k->cy,
			                         k->region.w / 3 - k->em / 2, fh },
			          ST_CHOICE, skip_id, skip, 0, skip_label);
		k->cy += fh + k->em / 2;
	}
	show_error(k);
	rest = ui_rest(k);
	kb_h = rest.h;
	if (kb_h > k->em * 13)
		kb_h = k->em * 13;
	ui_keyboard(k, (SDL_Rect){ rest.x, rest.y + rest.h - kb_h, rest.w, kb_h }, ok, ok_label);
}

static void note_skip(kiosk *k, int arg)
{
	(void)arg;
	k->s.note[0] = 0;
	flow_next(k);
}

static void build_abs_note(kiosk *k)
{
	bool required = k->s.reason == POORT_REASON_OTHER;

	build_keyboard_screen(k, required ? T(k, "Please tell us briefly why.")
	                                  : T(k, "Anything the teacher should know? (optional)"),
	                      NULL, k->s.note, sizeof k->s.note, true, next, T(k, "Send"),
	                      required ? NULL : "note.skip", required ? NULL : T(k, "No note"),
	                      note_skip);
}

static bool commit_absence(kiosk *k)
{
	json_t *res = NULL;
	char from[80], to[80], text[640];
	const char *reason = k->s.reason == POORT_REASON_SICK     ? T(k, "sick")
	                     : k->s.reason == POORT_REASON_DOCTOR ? T(k, "doctor or dentist")
	                                                          : T(k, "other reason");
	poort_err err = poort_absence_report(k->p, k->s.account, child_id(k), k->s.from, k->s.to,
	                                     (poort_absence_reason)k->s.reason,
	                                     k->s.note[0] ? k->s.note : NULL, &res);

	if (err) {
		error_from(k, err);
		return false;
	}
	day_label(k, k->s.from, false, from, sizeof from);
	if (k->s.to != k->s.from) {
		day_label(k, k->s.to, false, to, sizeof to);
		snprintf(text, sizeof text, T(k, "%s is absent from %s to %s (%s)."), child_first_name(k),
		         from, to, reason);
	} else {
		snprintf(text, sizeof text, T(k, "%s is absent on %s (%s)."), child_first_name(k), from,
		         reason);
	}
	done(k, false, T(k, "Thank you. Your report has been received."), text);
	if (json_is_true(json_object_get(res, "late")))
		snprintf(k->s.done_notice, sizeof k->s.done_notice, "%s",
		         T(k, "It is after the time for reporting, so it is registered as late. Please also phone the school."));
	json_decref(res);
	return true;
}

/* ---- check-in ---- */

/* The parent's conversation today that is nearest to now, or NULL. */
static const json_t *todays_booking(kiosk *k)
{
	const json_t *b, *best = NULL;
	int64_t now = poort_now(k->p), best_gap = 0;
	poort_day today, d;
	int minute;
	size_t i;

	poort_local_time(now, &today, &minute);
	json_array_foreach(json_object_get(k->s.mine, "bookings"), i, b) {
		int64_t gap = jint64(b, "start") - now;

		poort_local_time(jint64(b, "start"), &d, &minute);
		if (d != today || strcmp(jtext(b, "status"), "booked") != 0)
			continue;
		if (gap < 0)
			gap = -gap;
		if (!best || gap < best_gap)
			best = b, best_gap = gap;
	}
	return best;
}

static bool commit_arrival(kiosk *k)
{
	const json_t *b;
	json_t *out = NULL;
	char text[320];
	poort_id id;
	poort_err err;

	json_decref(k->s.mine);
	k->s.mine = NULL;
	if (poort_guardian_bookings(k->p, k->s.account, 0, &k->s.mine) != POORT_OK)
		k->s.mine = json_object();
	b = todays_booking(k);
	if (b) {
		/* the teacher sees it live; a running-late notice comes back */
		err = poort_conversation_checkin(k->p, k->s.account, (poort_id)jint64(b, "id"), &out);
		if (err) {
			done(k, true, T(k, "That did not work."), T(k, poort_strerror(err)));
			return true;
		}
		if (jint64(out, "teacher_late_minutes") > 0)
			snprintf(text, sizeof text, T(k, "%s is running about %d minutes late. Please take a seat."),
			         jtext(out, "staff_name"), (int)jint64(out, "teacher_late_minutes"));
		else
			snprintf(text, sizeof text, "%s",
			         T(k, "Please take a seat; the teacher will come and get you."));
		json_decref(out);
		done(k, false, T(k, "Welcome. The teacher can see that you are here."), text);
		return true;
	}
	err = poort_checkin_arrival(k->p, k->s.account, 0, "conversation", &id);
	if (err) {
		done(k, true, T(k, "That did not work."), T(k, poort_strerror(err)));
		return true;
	}
	done(k, false, T(k, "Welcome. The teacher can see that you are here."),
	     T(k, "Please take a seat; the teacher will come and get you."));
	return true;
}

static bool commit_late(kiosk *k)
{
	poort_id id;
	char text[320];
	poort_err err = poort_checkin_late(k->p, k->s.account, child_id(k), NULL, &id);

	if (err) {
		done(k, true, T(k, "That did not work."), T(k, poort_strerror(err)));
		return true;
	}
	snprintf(text, sizeof text, T(k, "%s can go to class. The teacher can see it."),
	         child_first_name(k));
	done(k, false, T(k, "Thank you. The late arrival is registered."), text);
	return true;
}

static void pickup_choose(kiosk *k, int arg)
{
	const json_t *a = json_array_get(k->s.adults, (size_t)arg);

	if (a) {
		snprintf(k->s.collector, sizeof k->s.collector, "%s",
		         json_string_value(json_object_get(a, "name")) ?: "");
	} else {
		k->s.collector[0] = 0;     /* someone else: the name is typed */
	}
	flow_next(k);
}

static void build_pickup_who(kiosk *k)
{
	static const char *const ids[] = { "adult.0", "adult.1", "adult.2", "adult.3", "adult.4",
		                           "adult.5", "adult.other" };
	const char *lp[7], *idp[7];
	char line[200];
	size_t n;

	if (!k->s.adults && poort_pickup_adults(k->p, k->s.account, child_id(k), &k->s.adults) != POORT_OK)
		k->s.adults = json_array();
	n = json_array_size(k->s.adults);
	if (n > 6)
		n = 6;
	ui_begin(k, true);
	snprintf(line, sizeof line, T(k, "Who is picking %s up?"), child_first_name(k));
	ui_text(k, line, ST_TEXT, FS_TITLE, true, false);
	for (size_t i = 0; i < n; i++) {
		lp[i] = json_string_value(json_object_get(json_array_get(k->s.adults, i), "name")) ?: "";
		idp[i] = ids[i];
	}
	lp[n] = T(k, "Someone else");
	idp[n] = ids[6];
	ui_choices(k, (int)n + 1, idp, lp, pickup_choose, NULL, NULL, 0, k->em * 9);
	k->s.collector[0] = 0;
}

static void collector_ok(kiosk *k, int arg)
{
	(void)arg;
	if (!k->s.collector[0]) {
		snprintf(k->s.error, sizeof k->s.error, "%s", T(k, "Please type a name."));
		return;
	}
	flow_next(k);
}

static void build_pickup_name(kiosk *k)
{
	build_keyboard_screen(k, T(k, "Who is picking up? Type the full name."), NULL, k->s.collector,
	                      sizeof k->s.collector, false, collector_ok, "OK", NULL, NULL, NULL);
}

static bool commit_pickup(kiosk *k)
{
	poort_id id;
	char text[320];
	poort_err err = poort_checkin_pickup(k->p, k->s.account, child_id(k), k->s.collector, NULL, &id);

	if (err == POORT_E_DENIED) {
		snprintf(text, sizeof text,
		         T(k, "%s may not pick up %s according to the school's records. Please go to the office."),
		         k->s.collector, child_first_name(k));
		done(k, true, T(k, "Pick-up not possible"), text);
		return true;
	}
	if (err) {
		done(k, true, T(k, "That did not work."), T(k, poort_strerror(err)));
		return true;
	}
	snprintf(text, sizeof text, T(k, "%s is picked up by %s. The teacher can see it."),
	         child_first_name(k), k->s.collector);
	done(k, false, T(k, "Thank you. The early pick-up is registered."), text);
	return true;
}

/* ---- visitors: no identification ---- */

static void visitor_name_ok(kiosk *k, int arg)
{
	(void)arg;
	if (!k->s.vname[0]) {
		snprintf(k->s.error, sizeof k->s.error, "%s", T(k, "Please type your name."));
		return;
	}
	flow_next(k);
}

static void build_visitor_name(kiosk *k)
{
	build_keyboard_screen(k, T(k, "Welcome. What is your name?"), NULL, k->s.vname,
	                      sizeof k->s.vname, false, visitor_name_ok, T(k, "Next"), NULL, NULL, NULL);
}

static void visitor_whom_ok(kiosk *k, int arg)
{
	(void)arg;
	if (!k->s.vwhom[0]) {
		snprintf(k->s.error, sizeof k->s.error, "%s", T(k, "Please type whom you are visiting."));
		return;
	}
	flow_next(k);
}

static void build_visitor_whom(kiosk *k)
{
	build_keyboard_screen(k, T(k, "Whom are you visiting?"), NULL, k->s.vwhom, sizeof k->s.vwhom, false,
	                      visitor_whom_ok, T(k, "Sign in"), NULL, NULL, NULL);
}

static bool commit_visit_in(kiosk *k)
{
	poort_id id;
	char text[320];
	poort_err err = poort_visitor_sign_in(k->p, POORT_ACTOR_ANONYMOUS, k->s.vname, k->s.vwhom, &id);

	if (err) {
		error_from(k, err);
		return false;
	}
	snprintf(text, sizeof text, T(k, "Welcome, %s. Please sign out here when you leave."), k->s.vname);
	done(k, false, T(k, "You are signed in."), text);
	return true;
}

static void visitor_out_choose(kiosk *k, int arg)
{
	k->s.child = arg;     /* reused as the chosen visit's index */
	flow_next(k);
}

static void build_visitor_out(kiosk *k)
{
	static const char *const ids[] = { "visit.0", "visit.1", "visit.2", "visit.3", "visit.4",
		                           "visit.5", "visit.6", "visit.7", "visit.8", "visit.9",
		                           "visit.10", "visit.11" };
	const char *lp[12];
	size_t n;

	json_decref(k->s.visitors);
	k->s.visitors = NULL;
	if (poort_visitor_list(k->p, POORT_ACTOR_ANONYMOUS, &k->s.visitors) != POORT_OK)
		k->s.visitors = json_array();
	n = json_array_size(k->s.visitors);
	if (n > 12)
		n = 12;
	ui_begin(k, true);
	if (n == 0) {
		ui_text(k, T(k, "Nobody is signed in as a visitor."), ST_NOTICE, FS_BODY, true, false);
		return;
	}
	ui_text(k, T(k, "Tap your name to sign out."), ST_TEXT, FS_TITLE, true, false);
	show_error(k);
	for (size_t i = 0; i < n; i++)
		lp[i] = json_string_value(json_object_get(json_array_get(k->s.visitors, i), "name")) ?: "?";
	ui_choices(k, (int)n, ids, lp, visitor_out_choose, NULL, NULL, 0, k->em * 9);
}

static bool commit_visit_out(kiosk *k)
{
	const json_t *v = json_array_get(k->s.visitors, (size_t)k->s.child);
	poort_err err = poort_visitor_sign_out(k->p, POORT_ACTOR_ANONYMOUS,
	                                       (poort_id)json_integer_value(json_object_get(v, "id")));

	if (err) {
		error_from(k, err);
		return false;
	}
	done(k, false, T(k, "You are signed out. Goodbye!"), NULL);
	return true;
}

/* ---- conversations ---- */

/* "19:00", or "di 24-11 19:00" with the day. */
static char *slot_label(kiosk *k, const json_t *slot, bool with_day, char *buf, size_t len)
{
	poort_day d;
	int minute;
	char day[40];

	poort_local_time(jint64(slot, "start"), &d, &minute);
	if (with_day)
		snprintf(buf, len, "%s %02d:%02d", day_label(k, d, true, day, sizeof day), minute / 60,
		         minute % 60);
	else
		snprintf(buf, len, "%02d:%02d", minute / 60, minute % 60);
	return buf;
}

/* The round open for booking now (priority phase included: the core says
 * whether this family may book in it). */
static void find_round(kiosk *k)
{
	json_t *rounds = NULL, *r;
	char now[40];
	size_t i;

	k->s.round = 0;
	poort_time_format(poort_now(k->p), now);
	now[16] = 0;                 /* "YYYY-MM-DDTHH:MM", as the round's times */
	if (poort_round_list(k->p, k->s.account, &rounds) != POORT_OK)
		return;
	json_array_foreach(rounds, i, r) {
		const char *from = json_string_value(json_object_get(r, "priority_opens"));

		if (!from || !*from)
			from = jtext(r, "opens");
		if (strcmp(from, now) <= 0 && strcmp(now, jtext(r, "closes")) < 0) {
			k->s.round = (poort_id)jint64(r, "id");
			break;
		}
	}
	json_decref(rounds);
}

static void load_mine(kiosk *k)
{
	json_decref(k->s.mine);
	k->s.mine = NULL;
	if (poort_guardian_bookings(k->p, k->s.account, k->s.round, &k->s.mine) != POORT_OK)
		k->s.mine = json_object();
}

static bool has_booking(const kiosk *k, poort_id pupil)
{
	const json_t *b;
	size_t i;

	json_array_foreach(json_object_get(k->s.mine, "bookings"), i, b)
		if ((poort_id)jint64(b, "pupil") == pupil && strcmp(jtext(b, "status"), "booked") == 0)
			return true;
	return false;
}

/* Children without a conversation in the round: indexes into children. */
static int unbooked(const kiosk *k, int idx[8])
{
	int n = 0;

	for (size_t i = 0; i < json_array_size(k->s.children) && n < 8; i++)
		if (!has_booking(k, (poort_id)jint64(json_array_get(k->s.children, i), "id")))
			idx[n++] = (int)i;
	return n;
}

/* A booking request's id makes a repeated tap harmless; it must differ for
 * every new action, across sessions and restarts of the kiosk. */
static void request_id(kiosk *k, char *buf, size_t len)
{
	snprintf(buf, len, "kiosk-%d-%llx-%u", (int)getpid(), (unsigned long long)k->started,
	         ++k->requests);
}

static void load_slots(kiosk *k)
{
	json_decref(k->s.slots);
	k->s.slots = NULL;
	if (poort_round_slots(k->p, k->s.account, k->s.round, child_id(k), &k->s.slots) != POORT_OK)
		k->s.slots = json_array();
}

enum { HOME_CANCEL, HOME_OFFER, HOME_CHILD, HOME_SIBLINGS };

static void booked_summary(kiosk *k, const json_t *b, char *buf, size_t len)
{
	char day[40], when[60];
	poort_day d;
	int minute;

	poort_local_time(jint64(b, "start"), &d, &minute);
	slot_label(k, b, false, when, sizeof when);
	snprintf(buf, len, T(k, "%s: %s at %s with %s"), jtext(b, "pupil_name"),
	         day_label(k, d, false, day, sizeof day), when, jtext(b, "staff_name"));
}

static void home_tap(kiosk *k, int arg)
{
	int kind = arg / 100, i = arg % 100, idx[8], n;
	const json_t *b;
	json_t *out = NULL;
	char rid[64];
	poort_err err;

	k->s.error[0] = k->s.notice[0] = 0;
	switch (kind) {
	case HOME_CANCEL:
		b = json_array_get(json_object_get(k->s.mine, "bookings"), (size_t)i);
		err = poort_booking_cancel(k->p, k->s.account, (poort_id)jint64(b, "id"));
		if (err)
			error_from(k, err);
		else
			snprintf(k->s.notice, sizeof k->s.notice, "%s", T(k, "The conversation is cancelled."));
		load_mine(k);
		break;
	case HOME_OFFER: {
		poort_booking_req req = { 0 };

		b = json_array_get(json_object_get(k->s.mine, "offers"), (size_t)i);
		req.round = (poort_id)jint64(b, "round");
		req.slot = (poort_id)jint64(b, "slot");
		req.pupil = (poort_id)jint64(b, "pupil");
		request_id(k, rid, sizeof rid);
		err = poort_booking_create(k->p, k->s.account, &req, rid, &out);
		if (err) {
			error_from(k, err);
		} else {
			char line[320];
			booked_summary(k, out, line, sizeof line);
			done(k, false, T(k, "Your conversation is booked."), line);
			show(k, SCR_DONE);
		}
		json_decref(out);
		load_mine(k);
		break;
	}
	case HOME_CHILD:
		k->s.child = i;
		load_slots(k);
		show(k, SCR_BOOK_SLOTS);
		break;
	case HOME_SIBLINGS: {
		poort_id pupils[4];

		n = unbooked(k, idx);
		if (n > 4)
			n = 4;
		for (int j = 0; j < n; j++) {
			k->s.sib[j] = idx[j];
			pupils[j] = (poort_id)jint64(json_array_get(k->s.children, (size_t)idx[j]), "id");
		}
		k->s.nsib = n;
		json_decref(k->s.proposals);
		k->s.proposals = NULL;
		if (poort_sibling_proposal(k->p, k->s.account, k->s.round, pupils, (size_t)n,
		                           &k->s.proposals) != POORT_OK)
			k->s.proposals = json_array();
		show(k, SCR_BOOK_SIBLINGS);
		break;
	}
	}
}

static void build_book_home(kiosk *k)
{
	static const char *const ids[] = {
		"book.cancel.0", "book.cancel.1", "book.cancel.2", "book.cancel.3",
		"book.offer.0", "book.offer.1", "book.offer.2", "book.offer.3",
		"book.child.0", "book.child.1", "book.child.2", "book.child.3", "book.child.4",
		"book.child.5", "book.child.6", "book.child.7", "book.siblings" };
	const char *idp[17], *lp[17];
	char labels[17][160], line[320];
	int args[17], n = 0, idx[8], nfree, ncancel = 0;
	const json_t *b;
	json_t *round = NULL;
	size_t i;

	if (!k->s.mine) {
		find_round(k);
		load_mine(k);
	}
	ui_begin(k, true);
	if (!k->s.round) {
		ui_text(k, T(k, "There is no conversation round open for booking right now."), ST_NOTICE,
		        FS_LARGE, true, false);
		return;
	}
	if (poort_round_get(k->p, k->s.account, k->s.round, &round) == POORT_OK)
		ui_text(k, jtext(round, "name"), ST_TEXT, FS_TITLE, true, false);
	json_decref(round);
	if (k->s.notice[0])
		ui_text(k, k->s.notice, ST_OK, FS_BODY, true, false);
	show_error(k);
	json_array_foreach(json_object_get(k->s.mine, "bookings"), i, b) {
		if (strcmp(jtext(b, "status"), "booked") != 0 || ncancel >= 4)
			continue;
		booked_summary(k, b, line, sizeof line);
		if (jint64(b, "teacher_late_minutes") > 0) {
			size_t len = strlen(line);
			snprintf(line + len, sizeof line - len, T(k, " (running %d minutes late)"),
			         (int)jint64(b, "teacher_late_minutes"));
		}
		ui_text(k, line, ST_TEXT, FS_BODY, false, false);
		snprintf(labels[n], sizeof labels[n], T(k, "Cancel: %s %s"),
		         jtext(b, "pupil_name"), slot_label(k, b, false, line, 40));
		idp[n] = ids[ncancel++], args[n++] = HOME_CANCEL * 100 + (int)i;
	}
	json_array_foreach(json_object_get(k->s.mine, "offers"), i, b) {
		if (i >= 4)
			break;
		snprintf(labels[n], sizeof labels[n], T(k, "A time came free: %s for %s"),
		         slot_label(k, b, true, line, 40), jtext(b, "pupil_name"));
		idp[n] = ids[4 + i], args[n++] = HOME_OFFER * 100 + (int)i;
	}
	nfree = unbooked(k, idx);
	for (int j = 0; j < nfree; j++) {
		snprintf(labels[n], sizeof labels[n], T(k, "Plan for %s"),
		         jtext(json_array_get(k->s.children, (size_t)idx[j]), "first_name"));
		idp[n] = ids[8 + j], args[n++] = HOME_CHILD * 100 + idx[j];
	}
	if (nfree >= 2) {
		snprintf(labels[n], sizeof labels[n], "%s", T(k, "All my children, one after the other"));
		idp[n] = ids[16], args[n++] = HOME_SIBLINGS * 100;
	}
	for (int j = 0; j < n; j++)
		lp[j] = labels[j];
	if (n == 0)
		ui_text(k, T(k, "All your children have a conversation."), ST_OK, FS_BODY, true, false);
	ui_choices(k, n, idp, lp, home_tap, args, NULL, 0, k->em * 9);
}

static void slot_tap(kiosk *k, int arg)
{
	const json_t *slot = json_array_get(k->s.slots, (size_t)arg);
	poort_booking_req req = { k->s.round, (poort_id)jint64(slot, "slot"), child_id(k), 0 };
	json_t *out = NULL, *alt;
	char rid[64], line[320];
	poort_err err;

	request_id(k, rid, sizeof rid);
	err = poort_booking_create(k->p, k->s.account, &req, rid, &out);
	k->s.error[0] = 0;
	if (err == POORT_OK) {
		booked_summary(k, out, line, sizeof line);
		done(k, false, T(k, "Your conversation is booked."), line);
		json_decref(out);
		show(k, SCR_DONE);
		return;
	}
	if (err == POORT_E_TAKEN) {
		/* the nearest free times with the same teacher, from the same answer */
		alt = json_object_get(out, "alternatives");
		json_decref(k->s.slots);
		k->s.slots = alt ? json_incref(alt) : json_array();
		snprintf(k->s.error, sizeof k->s.error, "%s",
		         T(k, "Someone else just booked that time. These times are still free:"));
	} else if (err == POORT_E_FULL) {
		json_decref(k->s.slots);
		k->s.slots = json_array();
	} else {
		error_from(k, err);
	}
	json_decref(out);
}

static void waitlist_tap(kiosk *k, int arg)
{
	json_t *round = NULL, *w;
	poort_err err = POORT_E_NOT_FOUND;
	size_t i;

	(void)arg;
	/* The core knows which of the round's teachers is this child's: the
	 * others answer "not this pupil's teacher". */
	if (poort_round_get(k->p, k->s.account, k->s.round, &round) == POORT_OK)
		json_array_foreach(json_object_get(round, "windows"), i, w) {
			err = poort_waitlist_join(k->p, k->s.account, k->s.round, child_id(k),
			                          (poort_id)jint64(w, "staff"));
			if (err != POORT_E_INVALID)
				break;
		}
	json_decref(round);
	if (err == POORT_OK || err == POORT_E_EXISTS) {
		done(k, false, T(k, "You are on the waiting list."),
		     T(k, "When a time comes free, it is offered to you here and on the parent portal."));
		show(k, SCR_DONE);
	} else {
		error_from(k, err);
	}
}

static void build_book_slots(kiosk *k)
{
	static const char *const ids[] = { "slot.0", "slot.1", "slot.2", "slot.3", "slot.4",
		"slot.5", "slot.6", "slot.7", "slot.8", "slot.9", "slot.10", "slot.11" };
	char labels[12][48], line[200];
	const char *lp[12];
	size_t n = json_array_size(k->s.slots);
	bool days = false;

	ui_begin(k, true);
	snprintf(line, sizeof line, T(k, "Choose a time for %s"), child_first_name(k));
	ui_text(k, line, ST_TEXT, FS_TITLE, true, false);
	show_error(k);
	if (n == 0) {
		ui_text(k, T(k, "All times with the teacher are taken. You can join the waiting list."),
		        ST_NOTICE, FS_BODY, true, false);
		ui_choices(k, 1, (const char *const[]){ "book.waitlist" },
		           (const char *const[]){ T(k, "Join the waiting list") }, waitlist_tap, NULL,
		           NULL, k->em * 4, k->em * 10);
		return;
	}
	snprintf(line, sizeof line, T(k, "with %s"), jtext(json_array_get(k->s.slots, 0), "staff_name"));
	ui_text(k, line, ST_MUTED, FS_LARGE, false, false);
	if (n > 12)
		n = 12;
	for (size_t i = 1; i < n; i++)
		if (jint64(json_array_get(k->s.slots, i), "start") / 86400 !=
		    jint64(json_array_get(k->s.slots, 0), "start") / 86400)
			days = true;
	for (size_t i = 0; i < n; i++)
		lp[i] = slot_label(k, json_array_get(k->s.slots, i), days, labels[i], sizeof labels[i]);
	ui_choices(k, (int)n, ids, lp, slot_tap, NULL, NULL, 0, k->em * 6);
}

static void proposal_tap(kiosk *k, int arg)
{
	const json_t *prop = json_array_get(k->s.proposals, (size_t)arg), *slot;
	poort_booking_req reqs[4];
	json_t *out = NULL, *b;
	char rid[64], text[640], line[320];
	size_t i, n = 0;
	poort_err err;

	/* the slots come in the order of the children asked about */
	json_array_foreach(json_object_get(prop, "slots"), i, slot) {
		if (n == (size_t)k->s.nsib)
			break;
		reqs[n] = (poort_booking_req){ k->s.round, (poort_id)jint64(slot, "slot"),
			                       (poort_id)jint64(json_array_get(k->s.children,
			                                                       (size_t)k->s.sib[n]), "id"), 0 };
		n++;
	}
	request_id(k, rid, sizeof rid);
	err = poort_booking_create_siblings(k->p, k->s.account, reqs, n, rid, &out);
	if (err == POORT_OK) {
		text[0] = 0;
		json_array_foreach(out, i, b) {
			size_t len = strlen(text);
			booked_summary(k, b, line, sizeof line);
			snprintf(text + len, sizeof text - len, "%s%s", len ? "\n" : "", line);
		}
		done(k, false, T(k, "Your conversations are booked."), text);
		json_decref(out);
		show(k, SCR_DONE);
		return;
	}
	json_decref(out);
	if (err == POORT_E_TAKEN)
		snprintf(k->s.error, sizeof k->s.error, "%s",
		         T(k, "Someone else just booked one of those times. Please choose again."));
	else
		error_from(k, err);
	/* fresh proposals from what is free now */
	home_tap(k, HOME_SIBLINGS * 100);
}

static void build_book_siblings(kiosk *k)
{
	static const char *const ids[] = { "proposal.0", "proposal.1", "proposal.2" };
	char labels[3][320];
	const char *lp[3];
	size_t n = json_array_size(k->s.proposals);

	ui_begin(k, true);
	ui_text(k, T(k, "One after the other: choose a set of times"), ST_TEXT, FS_TITLE, true, false);
	show_error(k);
	if (n == 0) {
		ui_text(k, T(k, "No times fit one after the other. Please plan per child."), ST_NOTICE,
		        FS_BODY, true, false);
		return;
	}
	if (n > 3)
		n = 3;
	for (size_t i = 0; i < n; i++) {
		const json_t *slot;
		size_t j;
		char when[48];

		labels[i][0] = 0;
		json_array_foreach(json_object_get(json_array_get(k->s.proposals, i), "slots"), j, slot) {
			size_t len = strlen(labels[i]);
			const json_t *c = j < (size_t)k->s.nsib ? json_array_get(k->s.children, (size_t)k->s.sib[j])
			                                        : NULL;

			snprintf(labels[i] + len, sizeof labels[i] - len, "%s%s %s (%s)", len ? "\n" : "",
			         slot_label(k, slot, false, when, sizeof when), jtext(c, "first_name"),
			         jtext(slot, "staff_name"));
		}
		lp[i] = labels[i];
	}
	ui_choices(k, (int)n, ids, lp, proposal_tap, NULL, NULL, 0, k->em * 12);
}

/* ---- the confirmation ---- */

static void build_done(kiosk *k)
{
	ui_begin(k, false);
	ui_bottom(k, NULL, NULL, NULL, "done.ok", T(k, "Done"), flow_stop);
	ui_gap(k, k->em);
	ui_text(k, k->s.done_title, k->s.done_error ? ST_ERROR : ST_OK, FS_TITLE, true, false);
	ui_text(k, k->s.done_text, ST_TEXT, FS_LARGE, false, false);
	if (k->s.done_notice[0])
		ui_text(k, k->s.done_notice, ST_NOTICE, FS_LARGE, true, false);
}

/* ---- idle: warning, then everything wiped ---- */

static void still_here(kiosk *k, int arg)
{
	(void)arg;
	k->warning_secs = -1;
	k->last_input_ms = kiosk_ms(k);
}

static void build_warning(kiosk *k)
{
	char line[200];
	int w = k->w * 4 / 5, h = k->h / 2;
	SDL_Rect box = { (k->w - w) / 2, (k->h - h) / 2, w, h };

	/* The whole screen answers: any touch means "still here". */
	ui_button(k, (SDL_Rect){ 0, 0, k->w, k->h }, ST_HEADER, "idle.continue", still_here, 0, "");
	ui_add(k, box, ST_NOTICE, FS_BODY, false, "");
	ui_region(k, (SDL_Rect){ box.x + k->em, box.y + k->em, box.w - 2 * k->em, box.h - 2 * k->em });
	ui_text(k, T(k, "Are you still there?"), ST_TEXT, FS_TITLE, true, true);
	snprintf(line, sizeof line, T(k, "For your privacy, the screen starts over in %d seconds."),
	         k->warning_secs);
	ui_text(k, line, ST_TEXT, FS_BODY, false, true);
	ui_bottom(k, NULL, NULL, NULL, "idle.continue", T(k, "Continue"), still_here);
}

void screens_build(kiosk *k)
{
	screens[k->screen].build(k);
	if (k->warning_secs >= 0)
		build_warning(k);
	k->built = true;
}

#define LATE_POLL_MS 15000   /* teachers set "running late" in poortd */

/* The start screen's running-late notices: redrawn only when they change. */
static void poll_running_late(kiosk *k, uint64_t now)
{
	json_t *late = NULL;

	if (k->late_checked_ms && now - k->late_checked_ms < LATE_POLL_MS)
		return;
	k->late_checked_ms = now;
	if (poort_running_late(k->p, &late) != POORT_OK)
		return;
	if (k->late && json_equal(k->late, late)) {
		json_decref(late);
		return;
	}
	json_decref(k->late);
	k->late = late;
	if (k->screen == SCR_START)
		kiosk_dirty(k);
}

void screens_tick(kiosk *k, uint64_t now)
{
	uint64_t idle = now - k->last_input_ms;
	bool something = k->screen != SCR_START || k->s.account || k->s.error[0];

	poll_running_late(k, now);

	if (k->screen == SCR_DONE && now - k->shown_at_ms >= DONE_MS && idle >= DONE_MS) {
		screens_start(k);
		return;
	}
	if (!something || idle < IDLE_MS) {
		if (k->warning_secs >= 0) {
			k->warning_secs = -1;
			kiosk_dirty(k);
		}
		return;
	}
	if (idle >= IDLE_MS + WARN_MS) {
		screens_start(k);
		return;
	}
	{
		int secs = (int)((IDLE_MS + WARN_MS - idle + 999) / 1000);
		if (secs != k->warning_secs) {
			k->warning_secs = secs;
			kiosk_dirty(k);
		}
	}
}
