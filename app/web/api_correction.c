/* api_correction.c - correction requests: a guardian proposes, an administrator decides. */
#include "handlers.h"

#include <string.h>

void api_corrections(web_req *r)
{
	json_t *out = NULL;
	const char *pending = web_param(&r->query, "pending");
	poort_err e_ = poort_correction_list(r->w->p, api_actor(r), pending && !strcmp(pending, "1"), &out);
	api_reply(r, e_, out);
}

void api_correction_propose(web_req *r)
{
	static const char *const fields[] = { "target", "id", "changes", NULL };
	json_t *b;
	poort_correction_target target;
	poort_id req = 0;
	poort_err err;

	if (!(b = api_body(r, fields)))
		return;
	if (!json_is_string(json_object_get(b, "target")) || !json_is_integer(json_object_get(b, "id")) ||
	    !json_is_object(json_object_get(b, "changes"))) {
		json_decref(b);
		web_reply_error(r, 400, "malformed", "The request is not valid.");
		return;
	}
	err = poort_correction_target_parse(json_string_value(json_object_get(b, "target")), &target);
	if (!err)
		err = poort_correction_propose(r->w->p, api_actor(r), target,
		                               (poort_id)json_integer_value(json_object_get(b, "id")),
		                               json_object_get(b, "changes"), &req);
	json_decref(b);
	api_reply_status(r, 201, err, err ? NULL : json_pack("{s:I}", "id", (json_int_t)req));
}

void api_correction_decide(web_req *r)
{
	static const char *const fields[] = { "approve", "reason", NULL };
	json_t *b;
	poort_id id;
	poort_err err;

	if (!api_path_id(r, 0, &id) || !(b = api_body(r, fields)))
		return;
	if (!json_is_boolean(json_object_get(b, "approve")) ||
	    (json_object_get(b, "reason") && !json_is_string(json_object_get(b, "reason")))) {
		json_decref(b);
		web_reply_error(r, 400, "malformed", "The request is not valid.");
		return;
	}
	err = poort_correction_decide(r->w->p, api_actor(r), id, json_is_true(json_object_get(b, "approve")),
	                              json_string_value(json_object_get(b, "reason")));
	json_decref(b);
	api_reply(r, err, err ? NULL : json_pack("{s:b}", "ok", 1));
}

