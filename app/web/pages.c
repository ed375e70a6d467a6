/* pages.c - server-rendered HTML: every page is a template under
 * assets/web/ rendered into layout.html, usable without JavaScript. */
#include "handlers.h"
#include "assets.h"
#include "tmpl.h"
#include "pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void page_static(web_req *r)
{
	size_t len;
	struct MHD_Response *resp = asset_response(r->args[0], &len);

	if (!resp)
		page_not_found(r);
	else
		web_reply_shared(r, resp, len);
}

/* Renders template `name` into the layout with ctx (stolen) and answers. */
void page_render(web_req *r, unsigned status, const char *name, const char *title, json_t *ctx)
{
	size_t tlen, llen, blen, len;
	const char *tsrc = asset_get(name, false, &tlen);
	const char *lsrc = asset_get("layout.html", false, &llen);
	char *body = NULL, *html = NULL;

	if (!tsrc || !lsrc)
		goto fail;
	json_object_set_new(ctx, "lang", json_string(r->lang));
	json_object_set_new(ctx, "title", json_string(web_t(r, title)));
	json_object_set_new(ctx, "other_lang", json_string(strcmp(r->lang, "en") ? "en" : "nl"));
	json_object_set_new(ctx, "other_is_nl", json_boolean(strcmp(r->lang, "en") == 0));
	if (r->has_session) {
		json_object_set_new(ctx, "csrf", json_string(r->s.csrf));
		json_object_set_new(ctx, "logged_in", json_true());
		json_object_set_new(ctx, "is_parent", json_boolean(r->s.role == POORT_ROLE_PARENT));
		json_object_set_new(ctx, "is_staff", json_boolean(r->s.role >= POORT_ROLE_TEACHER));
		json_object_set_new(ctx, "is_admin", json_boolean(r->s.role == POORT_ROLE_ADMIN));
	}
	if (!(body = tmpl_render(tsrc, tlen, ctx, r->lang, &blen)))
		goto fail;
	json_object_set_new(ctx, "body", json_string(body));
	free(body);
	if (!(html = tmpl_render(lsrc, llen, ctx, r->lang, &len)))
		goto fail;
	json_decref(ctx);
	web_reply(r, status, "text/html; charset=utf-8", html, len);
	return;
fail:
	json_decref(ctx);
	fprintf(stderr, "poortd: template %s failed\n", name);
	web_reply_static(r, 500, "text/plain; charset=utf-8", "template error\n");
}

void page_not_found(web_req *r)
{
	page_render(r, 404, "notfound.html", "Not found", json_object());
}

void page_fragment(web_req *r, const char *name, json_t *ctx)
{
	size_t tlen, len;
	const char *tsrc = asset_get(name, false, &tlen);
	char *html = tsrc ? tmpl_render(tsrc, tlen, ctx, r->lang, &len) : NULL;

	json_decref(ctx);
	if (!html) {
		web_reply_static(r, 500, "text/plain; charset=utf-8", "template error\n");
		return;
	}
	web_reply(r, 200, "text/html; charset=utf-8", html, len);
}

bool page_form(web_req *r, web_params *f)
{
	const char *tok;

	if (web_params_parse(f, r->body.data ? r->body.data : "", r->body.len) != 0) {
		page_render(r, 400, "message.html", "Something went wrong.",
		            json_pack("{s:s}", "message", web_t(r, "The request is not valid.")));
		return false;
	}
	tok = web_param(f, "csrf");
	if (!r->has_session || !tok || strlen(tok) != 32 || strcmp(tok, r->s.csrf) != 0) {
		web_params_free(f);
		page_render(r, 403, "message.html", "Something went wrong.",
		            json_pack("{s:s}", "message", web_t(r, "This form has expired. Please try again.")));
		return false;
	}
	return true;
}

void page_error(web_req *r, poort_err err)
{
	page_render(r, web_status_of(err), "message.html", "Something went wrong.",
	            json_pack("{s:s}", "message", poort_message(r->lang, err)));
}

void page_redirect_copy(web_req *r, const char *loc)
{
	snprintf(r->loc_buf, sizeof r->loc_buf, "%s", loc);
	web_reply_redirect(r, r->loc_buf);
}

void page_add_time(json_t *o, const char *key, const char *as)
{
	json_t *v = json_object_get(o, key);
	poort_day d;
	int min;
	char buf[32];

	if (!json_is_integer(v))
		return;
	poort_local_time(json_integer_value(v), &d, &min);
	snprintf(buf, sizeof buf, "%02d:%02d", (min / 60) % 24, min % 60);
	json_object_set_new(o, as, json_string(buf));
}

void page_add_day(json_t *o, const char *key, const char *as)
{
	json_t *v = json_object_get(o, key);
	poort_day d;
	int min;
	char buf[16];

	if (!json_is_integer(v))
		return;
	poort_local_time(json_integer_value(v), &d, &min);
	json_object_set_new(o, as, json_string(poort_day_format(d, buf)));
}

void page_add_pupil_name(json_t *o, const json_t *pupils)
{
	size_t i;
	json_t *e;
	json_int_t id = json_integer_value(json_object_get(o, "pupil"));

	json_array_foreach(pupils, i, e)
		if (json_integer_value(json_object_get(e, "id")) == id && id) {
			json_object_set(o, "pupil_name", json_object_get(e, "name"));
			json_object_set(o, "group_name", json_object_get(e, "group_name"));
		}
}

void page_add_reason(json_t *o, const char *lang)
{
	const char *r = json_string_value(json_object_get(o, "reason"));
	const char *msgid = !r ? NULL : !strcmp(r, "sick") ? "Sick" : !strcmp(r, "doctor") ? "Doctor or dentist"
	                  : !strcmp(r, "other") ? "Other" : NULL;

	if (msgid)
		json_object_set_new(o, "reason_text", json_string(poort_gettext(lang, msgid)));
}
