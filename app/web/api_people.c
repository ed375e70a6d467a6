/* api_people.c - groups, pupils, guardians, exports, accounts: each as the
 * core lets the session's account see it. */
#include "handlers.h"

#include <string.h>

void api_groups(web_req *r)
{
	json_t *out = NULL;
	poort_err e_ = poort_group_list(r->w->p, api_actor(r), &out);
	api_reply(r, e_, out);
}

void api_pupils(web_req *r)
{
	json_t *out = NULL;
	poort_id group;

	if (!api_query_id(r, "group", &group))
		return;
	poort_err e_ = poort_pupil_list(r->w->p, api_actor(r), group, &out);
	api_reply(r, e_, out);
}

/* ?parts=contacts,medical (default: contacts). Medical reads are audited
 * by the core. */
void api_pupil(web_req *r)
{
	const char *parts = web_param(&r->query, "parts");
	unsigned what = POORT_VIEW_CONTACTS;
	json_t *out = NULL;
	poort_id id;

	if (!api_path_id(r, 0, &id))
		return;
	if (parts) {
		what = 0;
		if (strstr(parts, "contacts"))
			what |= POORT_VIEW_CONTACTS;
		if (strstr(parts, "medical"))
			what |= POORT_VIEW_MEDICAL;
	}
	poort_err e_ = poort_pupil_view(r->w->p, api_actor(r), id, what, &out);
	api_reply(r, e_, out);
}

void api_children(web_req *r)
{
	json_t *out = NULL;
	poort_err e_ = poort_my_children(r->w->p, api_actor(r), &out);
	api_reply(r, e_, out);
}

void api_guardian(web_req *r)
{
	api_reply_view(r, poort_guardian_view);
}

void api_guardian_hidden(web_req *r)
{
	static const char *const fields[] = { "hide", NULL };
	json_t *b;
	poort_id id;
	poort_err err;

	if (!api_path_id(r, 0, &id) || !(b = api_body(r, fields)))
		return;
	if (!json_is_boolean(json_object_get(b, "hide"))) {
		json_decref(b);
		web_reply_error(r, 400, "malformed", "The request is not valid.");
		return;
	}
	err = poort_guardian_set_hidden(r->w->p, api_actor(r), id, json_is_true(json_object_get(b, "hide")));
	json_decref(b);
	api_reply(r, err, err ? NULL : json_pack("{s:b}", "ok", 1));
}

void api_guardian_export(web_req *r)
{
	api_reply_view(r, poort_export_guardian);
}

void api_pupil_export(web_req *r)
{
	api_reply_view(r, poort_export_pupil);
}

/* The whole school document (as poortctl import takes it), administrator. */
void api_import(web_req *r)
{
	json_t *doc = NULL, *report = NULL;
	json_error_t jerr;
	poort_err err;

	if (!r->body.len || !web_utf8_ok(r->body.data, r->body.len) ||
	    !(doc = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &jerr)) ||
	    !json_is_object(doc)) {
		json_decref(doc);
		web_reply_error(r, 400, "malformed", "The request is not valid.");
		return;
	}
	err = poort_import(r->w->p, api_actor(r), doc, &report);
	json_decref(doc);
	api_reply(r, err, report);
}

void api_staff_create(web_req *r)
{
	static const char *const fields[] = { "username", "name", "role", "password", "groups", NULL };
	json_t *b;
	poort_role role;
	poort_id staff;
	poort_err err;
	const char *u, *n, *ro, *pw;
	const json_t *groups;

	if (!(b = api_body(r, fields)))
		return;
	u = json_string_value(json_object_get(b, "username"));
	n = json_string_value(json_object_get(b, "name"));
	ro = json_string_value(json_object_get(b, "role"));
	pw = json_string_value(json_object_get(b, "password"));
	groups = json_object_get(b, "groups");
	if (!u || !n || !ro || (json_object_get(b, "password") && !pw) || (groups && !json_is_array(groups))) {
		json_decref(b);
		web_reply_error(r, 400, "malformed", "The request is not valid.");
		return;
	}
	err = poort_role_parse(ro, &role);
	if (!err)
		err = poort_staff_create(r->w->p, api_actor(r), u, n, role, pw, groups, &staff);
	json_decref(b);
	api_reply_status(r, 201, err, err ? NULL : json_pack("{s:I}", "id", (json_int_t)staff));
}

/* New kiosk/web credentials for a guardian, shown once (parent cards). */
void api_guardian_credentials(web_req *r)
{
	static const char *const fields[] = { "pin", "card", "password", NULL };
	json_t *b, *secrets = NULL;
	unsigned what = 0;
	poort_id id;
	poort_err err;

	if (!api_path_id(r, 0, &id) || !(b = api_body(r, fields)))
		return;
	if (json_is_true(json_object_get(b, "pin")))
		what |= POORT_CRED_PIN;
	if (json_is_true(json_object_get(b, "card")))
		what |= POORT_CRED_CARD;
	if (json_is_true(json_object_get(b, "password")))
		what |= POORT_CRED_PASSWORD;
	json_decref(b);
	if (!what) {
		web_reply_error(r, 400, "malformed", "The request is not valid.");
		return;
	}
	err = poort_parent_credentials_reset(r->w->p, api_actor(r), id, what, &secrets);
	api_reply(r, err, secrets);
}
