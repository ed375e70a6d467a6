/* api_daily.c - absences, the attendance register, check-ins, the people
 * in the building, corrections and the audit log. */
#include "handlers.h"

#include <stdlib.h>
#include <string.h>

void api_absences(web_req *r)
{
	json_t *out = NULL;
	poort_day day;
	poort_id group;

	if (!api_query_day(r, "day", &day) || !api_query_id(r, "group", &group))
		return;
	poort_err e_ = poort_absence_list(r->w->p, api_actor(r), day, group, &out);
	api_reply(r, e_, out);
}

void api_absence_report(web_req *r)
{
	static const char *const fields[] = { "pupil", "from", "to", "reason", "note", NULL };
	json_t *b, *out = NULL;
	poort_day from, to;
	poort_absence_reason reason;
	poort_err err;
	const char *note;

	if (!(b = api_body(r, fields)))
		return;
	note = json_string_value(json_object_get(b, "note"));
	if (!json_is_integer(json_object_get(b, "pupil")) || !json_is_string(json_object_get(b, "from")) ||
	    !json_is_string(json_object_get(b, "reason")) ||
	    (json_object_get(b, "to") && !json_is_string(json_object_get(b, "to"))) ||
	    (json_object_get(b, "note") && !note)) {
		json_decref(b);
		web_reply_error(r, 400, "malformed", "The request is not valid.");
		return;
	}
	if ((err = poort_day_parse(json_string_value(json_object_get(b, "from")), &from)) == POORT_OK)
		err = poort_day_parse(json_object_get(b, "to") ? json_string_value(json_object_get(b, "to"))
		                                                : json_string_value(json_object_get(b, "from")), &to);
	if (err == POORT_OK)
		err = poort_reason_parse(json_string_value(json_object_get(b, "reason")), &reason);
	if (err == POORT_OK)
		err = poort_absence_report(r->w->p, api_actor(r),
		                           (poort_id)json_integer_value(json_object_get(b, "pupil")), from, to,
		                           reason, note, &out);
	json_decref(b);
	api_reply_status(r, 201, err, out);
}

void api_absence_cancel(web_req *r)
{
	poort_id pupil;
	poort_day day;
	poort_err err;

	if (!api_path_id(r, 0, &pupil) || !api_path_day(r, 1, &day))
		return;
	err = poort_absence_cancel(r->w->p, api_actor(r), pupil, day);
	api_reply(r, err, err ? NULL : json_pack("{s:b}", "ok", 1));
}

void api_absence_ack(web_req *r)
{
	poort_id pupil;
	poort_day day;
	poort_err err;

	if (!api_path_id(r, 0, &pupil) || !api_path_day(r, 1, &day))
		return;
	err = poort_absence_acknowledge(r->w->p, api_actor(r), pupil, day);
	api_reply(r, err, err ? NULL : json_pack("{s:b}", "ok", 1));
}

void api_register(web_req *r)
{
	json_t *out = NULL;
	poort_day day;
	poort_id group;

	if (!api_query_day(r, "day", &day) || !api_query_id(r, "group", &group))
		return;
	if (!group) {
		web_reply_error(r, 400, "malformed", "The request is not valid.");
		return;
	}
	poort_err e_ = poort_register_view(r->w->p, api_actor(r), day, group, &out);
	api_reply(r, e_, out);
}

void api_register_mark(web_req *r)
{
	static const char *const fields[] = { "status", NULL };
	json_t *b;
	poort_day day;
	poort_id pupil;
	poort_presence st;
	poort_err err;

	if (!api_path_day(r, 0, &day) || !api_path_id(r, 1, &pupil) || !(b = api_body(r, fields)))
		return;
	if (!json_is_string(json_object_get(b, "status"))) {
		json_decref(b);
		web_reply_error(r, 400, "malformed", "The request is not valid.");
		return;
	}
	err = poort_presence_parse(json_string_value(json_object_get(b, "status")), &st);
	json_decref(b);
	if (!err)
		err = poort_register_mark(r->w->p, api_actor(r), day, pupil, st);
	api_reply(r, err, err ? NULL : json_pack("{s:b}", "ok", 1));
}

void api_register_close(web_req *r)
{
	poort_day day;
	poort_id group;
	poort_err err;

	if (!api_path_day(r, 0, &day) || !api_path_id(r, 1, &group))
		return;
	err = poort_register_close(r->w->p, api_actor(r), day, group);
	api_reply(r, err, err ? NULL : json_pack("{s:b}", "ok", 1));
}

void api_unexplained(web_req *r)
{
	json_t *out = NULL;
	poort_day day;
	poort_id group;

	if (!api_query_day(r, "day", &day) || !api_query_id(r, "group", &group))
		return;
	poort_err e_ = poort_unexplained_absences(r->w->p, api_actor(r), day, group, &out);
	api_reply(r, e_, out);
}

void api_checkins(web_req *r)
{
	json_t *out = NULL;
	poort_day day;

	if (!api_query_day(r, "day", &day))
		return;
	poort_err e_ = poort_checkin_list(r->w->p, api_actor(r), day, &out);
	api_reply(r, e_, out);
}

/* {"kind": "arrival"|"late"|"pickup", "pupil", "what"|"note"|"collector"} */
void api_checkin_create(web_req *r)
{
	static const char *const fields[] = { "kind", "pupil", "what", "note", "collector", NULL };
	json_t *b;
	const char *kind, *what, *note, *collector;
	poort_id pupil, id = 0;
	poort_err err;

	if (!(b = api_body(r, fields)))
		return;
	kind = json_string_value(json_object_get(b, "kind"));
	what = json_string_value(json_object_get(b, "what"));
	note = json_string_value(json_object_get(b, "note"));
	collector = json_string_value(json_object_get(b, "collector"));
	pupil = json_is_integer(json_object_get(b, "pupil")) ? (poort_id)json_integer_value(json_object_get(b, "pupil")) : 0;
	if (!kind || (json_object_get(b, "pupil") && !json_is_integer(json_object_get(b, "pupil"))) ||
	    (json_object_get(b, "what") && !what) || (json_object_get(b, "note") && !note) ||
	    (json_object_get(b, "collector") && !collector)) {
		json_decref(b);
		web_reply_error(r, 400, "malformed", "The request is not valid.");
		return;
	}
	if (!strcmp(kind, "arrival"))
		err = poort_checkin_arrival(r->w->p, api_actor(r), pupil, what, &id);
	else if (!strcmp(kind, "late"))
		err = poort_checkin_late(r->w->p, api_actor(r), pupil, note, &id);
	else if (!strcmp(kind, "pickup"))
		err = poort_checkin_pickup(r->w->p, api_actor(r), pupil, collector, note, &id);
	else
		err = POORT_E_INVALID;
	json_decref(b);
	api_reply_status(r, 201, err, err ? NULL : json_pack("{s:I}", "id", (json_int_t)id));
}

void api_building(web_req *r)
{
	json_t *out = NULL;
	poort_err e_ = poort_building_list(r->w->p, api_actor(r), &out);
	api_reply(r, e_, out);
}

void api_pickup_adults(web_req *r)
{
	api_reply_view(r, poort_pickup_adults);
}

/* Filters from the query string: actor, action, subject, from, to, limit, before. */
void api_audit(web_req *r)
{
	static const char *const ids[] = { "actor", "subject", "from", "to", "limit", "before" };
	json_t *filter = json_object(), *out = NULL;
	const char *action = web_param(&r->query, "action");

	for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
		const char *v = web_param(&r->query, ids[i]);
		uint64_t n;
		if (!v)
			continue;
		if (!(n = web_parse_id(v))) {
			json_decref(filter);
			web_reply_error(r, 400, "malformed", "The request is not valid.");
			return;
		}
		json_object_set_new(filter, ids[i], json_integer((json_int_t)n));
	}
	if (action)
		json_object_set_new(filter, "action", json_string(action));
	poort_err err = poort_audit_query(r->w->p, api_actor(r), filter, &out);
	json_decref(filter);
	api_reply(r, err, out);
}
