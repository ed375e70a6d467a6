/* api_booking.c - conversation rounds and bookings (the core's booking.h):
 * rounds, free slots, booking (also siblings, all or nothing), cancelling,
 * the waiting list, the evening itself, schedules and iCalendar feeds. */
#include "handlers.h"

#include <stdlib.h>
#include <string.h>

static bool malformed(web_req *r, json_t *b)
{
	json_decref(b);
	web_reply_error(r, 400, "malformed", "The request is not valid.");
	return false;
}

/* The session account's staff id (for "my schedule"), 0 if none. */
static poort_id my_staff(web_req *r)
{
	json_t *who = NULL;
	poort_id id = 0;

	if (poort_account_view(r->w->p, api_actor(r), api_actor(r), &who) == POORT_OK)
		id = (poort_id)json_integer_value(json_object_get(who, "staff"));
	json_decref(who);
	return id;
}

static json_t *json_body_any(web_req *r)
{
	json_t *o = NULL;

	if (r->body.len && web_utf8_ok(r->body.data, r->body.len))
		o = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(o)) {
		malformed(r, o);
		return NULL;
	}
	return o;
}

void api_rounds(web_req *r)
{
	json_t *out = NULL;
	poort_err err = poort_round_list(r->w->p, api_actor(r), &out);
	api_reply(r, err, out);
}

/* The spec's keys are the core's to validate (it refuses unknown ones). */
void api_round_create(web_req *r)
{
	json_t *spec = json_body_any(r);
	poort_id id = 0;
	poort_err err;

	if (!spec)
		return;
	err = poort_round_create(r->w->p, api_actor(r), spec, &id);
	json_decref(spec);
	api_reply_status(r, 201, err, err ? NULL : json_pack("{s:I}", "id", (json_int_t)id));
}

void api_round(web_req *r)
{
	json_t *out = NULL;
	poort_id id;
	poort_err err;

	if (!api_path_id(r, 0, &id))
		return;
	err = poort_round_get(r->w->p, api_actor(r), id, &out);
	api_reply(r, err, out);
}

void api_round_update(web_req *r)
{
	json_t *changes;
	poort_id id;
	poort_err err;

	if (!api_path_id(r, 0, &id) || !(changes = json_body_any(r)))
		return;
	err = poort_round_update(r->w->p, api_actor(r), id, changes);
	json_decref(changes);
	api_reply(r, err, err ? NULL : json_pack("{s:b}", "ok", 1));
}

void api_round_slots(web_req *r)
{
	json_t *out = NULL;
	poort_id id, pupil;
	poort_err err;

	if (!api_path_id(r, 0, &id) || !api_query_id(r, "pupil", &pupil))
		return;
	err = poort_round_slots(r->w->p, api_actor(r), id, pupil, &out);
	api_reply(r, err, out);
}

void api_round_overview(web_req *r)
{
	json_t *out = NULL;
	poort_id id;
	poort_err err;

	if (!api_path_id(r, 0, &id))
		return;
	err = poort_round_overview(r->w->p, api_actor(r), id, &out);
	api_reply(r, err, out);
}

/* ?staff= (default: my own) &day=YYYY-MM-DD (default: every day) */
void api_round_schedule(web_req *r)
{
	json_t *out = NULL;
	poort_id id, staff;
	poort_day day = 0;
	poort_err err;

	if (!api_path_id(r, 0, &id) || !api_query_id(r, "staff", &staff))
		return;
	if (web_param(&r->query, "day") && !api_query_day(r, "day", &day))
		return;
	err = poort_teacher_schedule(r->w->p, api_actor(r), id, staff ? staff : my_staff(r), day, &out);
	api_reply(r, err, out);
}

/* ?pupils=1,2,3 */
void api_round_proposal(web_req *r)
{
	const char *list = web_param(&r->query, "pupils");
	poort_id pupils[4], id;
	size_t n = 0;
	json_t *out = NULL;
	poort_err err;

	if (!api_path_id(r, 0, &id))
		return;
	while (list && *list && n < 4) {
		char buf[24];
		size_t len = strcspn(list, ",");
		if (len == 0 || len >= sizeof buf)
			break;
		memcpy(buf, list, len);
		buf[len] = '\0';
		if (!(pupils[n++] = web_parse_id(buf)))
			break;
		list += len + (list[len] == ',');
	}
	if (!list || *list || n < 2 || !pupils[n - 1]) {
		web_reply_error(r, 400, "malformed", "The request is not valid.");
		return;
	}
	err = poort_sibling_proposal(r->w->p, api_actor(r), id, pupils, n, &out);
	api_reply(r, err, out);
}

void api_invitation(web_req *r)
{
	static const char *const fields[] = { "status", "extra", NULL };
	json_t *b;
	poort_id round, pupil;
	poort_invitation inv;
	const char *st;
	poort_err err;

	if (!api_path_id(r, 0, &round) || !api_path_id(r, 1, &pupil) || !(b = api_body(r, fields)))
		return;
	st = json_string_value(json_object_get(b, "status"));
	if (!st || (json_object_get(b, "extra") && !json_is_integer(json_object_get(b, "extra"))))
		return (void)malformed(r, b);
	if (!strcmp(st, "none")) inv = POORT_INVITE_NONE;
	else if (!strcmp(st, "required")) inv = POORT_INVITE_REQUIRED;
	else if (!strcmp(st, "not_needed")) inv = POORT_INVITE_NOT_NEEDED;
	else return (void)malformed(r, b);
	err = poort_invitation_set(r->w->p, api_actor(r), round, pupil, inv,
	                           (int)json_integer_value(json_object_get(b, "extra")));
	json_decref(b);
	api_reply(r, err, err ? NULL : json_pack("{s:b}", "ok", 1));
}

static bool booking_req(const json_t *o, poort_booking_req *q)
{
	static const char *const keys[] = { "round", "slot", "pupil", "guardian" };
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)o, k, v) {
		bool known = false;
		for (size_t i = 0; i < 4; i++)
			known |= !strcmp(k, keys[i]);
		if (!known || !json_is_integer(v) || json_integer_value(v) < 0)
			return false;
	}
	q->round = (poort_id)json_integer_value(json_object_get(o, "round"));
	q->slot = (poort_id)json_integer_value(json_object_get(o, "slot"));
	q->pupil = (poort_id)json_integer_value(json_object_get(o, "pupil"));
	q->guardian = (poort_id)json_integer_value(json_object_get(o, "guardian"));
	return q->round && q->slot && q->pupil;
}

/* {"request_id", "round", "slot", "pupil", "guardian"?} or, for siblings
 * all or nothing, {"request_id", "bookings": [{round, slot, pupil}, ...]}. */
void api_booking_create(web_req *r)
{
	static const char *const fields[] = { "request_id", "round", "slot", "pupil", "guardian", "bookings", NULL };
	json_t *b, *out = NULL, *list;
	const char *rid;
	poort_booking_req reqs[8];
	size_t n = 0;
	poort_err err;

	if (!(b = api_body(r, fields)))
		return;
	rid = json_string_value(json_object_get(b, "request_id"));
	list = json_object_get(b, "bookings");
	if (!rid)
		return (void)malformed(r, b);
	if (list) {
		size_t i;
		json_t *e;
		if (!json_is_array(list) || json_array_size(list) < 1 || json_array_size(list) > 8 ||
		    json_object_size(b) != 2)
			return (void)malformed(r, b);
		json_array_foreach(list, i, e)
			if (!json_is_object(e) || !booking_req(e, &reqs[n++]))
				return (void)malformed(r, b);
		err = poort_booking_create_siblings(r->w->p, api_actor(r), reqs, n, rid, &out);
	} else {
		json_t *one = json_deep_copy(b);
		json_object_del(one, "request_id");
		bool ok = booking_req(one, &reqs[0]);
		json_decref(one);
		if (!ok)
			return (void)malformed(r, b);
		err = poort_booking_create(r->w->p, api_actor(r), &reqs[0], rid, &out);
	}
	json_decref(b);
	if (err == POORT_E_TAKEN && out) {
		/* "taken", with the nearest free alternatives */
		json_object_set_new(out, "error", json_string(poort_errname(err)));
		json_object_set_new(out, "message", json_string(poort_message(r->lang, err)));
		web_reply_json(r, 409, out);
		return;
	}
	api_reply_status(r, 201, err, out);
}

void api_bookings(web_req *r)
{
	json_t *out = NULL;
	poort_id round;
	poort_err err;

	if (!api_query_id(r, "round", &round))
		return;
	err = poort_guardian_bookings(r->w->p, api_actor(r), round, &out);
	api_reply(r, err, out);
}

void api_booking_cancel(web_req *r)
{
	poort_id id;
	poort_err err;

	if (!api_path_id(r, 0, &id))
		return;
	err = poort_booking_cancel(r->w->p, api_actor(r), id);
	api_reply(r, err, err ? NULL : json_pack("{s:b}", "ok", 1));
}

void api_booking_checkin(web_req *r)
{
	json_t *out = NULL;
	poort_id id;
	poort_err err;

	if (!api_path_id(r, 0, &id))
		return;
	err = poort_conversation_checkin(r->w->p, api_actor(r), id, &out);
	api_reply(r, err, out);
}

void api_booking_outcome(web_req *r)
{
	static const char *const fields[] = { "outcome", NULL };
	json_t *b;
	poort_id id;
	poort_err err;

	if (!api_path_id(r, 0, &id) || !(b = api_body(r, fields)))
		return;
	if (!json_is_string(json_object_get(b, "outcome")))
		return (void)malformed(r, b);
	err = poort_conversation_mark(r->w->p, api_actor(r), id, json_string_value(json_object_get(b, "outcome")));
	json_decref(b);
	api_reply(r, err, err ? NULL : json_pack("{s:b}", "ok", 1));
}

/* {"minutes": 0..120, "staff"?: id (default: my own)} */
void api_round_late(web_req *r)
{
	static const char *const fields[] = { "minutes", "staff", NULL };
	json_t *b;
	poort_id id, staff;
	poort_err err;

	if (!api_path_id(r, 0, &id) || !(b = api_body(r, fields)))
		return;
	if (!json_is_integer(json_object_get(b, "minutes")) ||
	    (json_object_get(b, "staff") && !json_is_integer(json_object_get(b, "staff"))))
		return (void)malformed(r, b);
	staff = (poort_id)json_integer_value(json_object_get(b, "staff"));
	err = poort_teacher_running_late(r->w->p, api_actor(r), id, staff ? staff : my_staff(r),
	                                 (int)json_integer_value(json_object_get(b, "minutes")));
	json_decref(b);
	api_reply(r, err, err ? NULL : json_pack("{s:b}", "ok", 1));
}

void api_waitlist_join(web_req *r)
{
	static const char *const fields[] = { "pupil", "staff", NULL };
	json_t *b;
	poort_id id;
	poort_err err;

	if (!api_path_id(r, 0, &id) || !(b = api_body(r, fields)))
		return;
	if (!json_is_integer(json_object_get(b, "pupil")) || !json_is_integer(json_object_get(b, "staff")))
		return (void)malformed(r, b);
	err = poort_waitlist_join(r->w->p, api_actor(r), id, (poort_id)json_integer_value(json_object_get(b, "pupil")),
	                          (poort_id)json_integer_value(json_object_get(b, "staff")));
	json_decref(b);
	api_reply_status(r, 201, err, err ? NULL : json_pack("{s:b}", "ok", 1));
}

void api_waitlist_leave(web_req *r)
{
	poort_id id, pupil;
	poort_err err;

	if (!api_path_id(r, 0, &id) || !api_path_id(r, 1, &pupil))
		return;
	err = poort_waitlist_leave(r->w->p, api_actor(r), id, pupil);
	api_reply(r, err, err ? NULL : json_pack("{s:b}", "ok", 1));
}

void api_offers(web_req *r)
{
	json_t *out = NULL;
	poort_err err = poort_waitlist_offers(r->w->p, api_actor(r), &out);
	api_reply(r, err, out);
}

static void reply_ics(web_req *r, poort_err err, char *ics)
{
	if (err) {
		free(ics);
		web_reply_err(r, err);
		return;
	}
	web_reply(r, 200, "text/calendar; charset=utf-8", ics, strlen(ics));
}

void api_ical_mine(web_req *r)
{
	char *ics = NULL;
	poort_err err = poort_ical_guardian(r->w->p, api_actor(r), r->lang, &ics);
	reply_ics(r, err, ics);
}

void api_ical_teacher(web_req *r)
{
	char *ics = NULL;
	poort_id staff;
	poort_err err;

	if (!api_path_id(r, 0, &staff))
		return;
	err = poort_ical_teacher(r->w->p, api_actor(r), staff, r->lang, &ics);
	reply_ics(r, err, ics);
}
