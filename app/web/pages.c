/* pages.c - server-rendered HTML: every page is a template under
 * assets/web/ rendered into layout.html, usable without JavaScript. */
#include "handlers.h"
#include "assets.h"
#include "tmpl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *content_type(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (!dot) return "application/octet-stream";
	if (!strcmp(dot, ".css")) return "text/css; charset=utf-8";
	if (!strcmp(dot, ".js")) return "text/javascript; charset=utf-8";
	if (!strcmp(dot, ".svg")) return "image/svg+xml";
	if (!strcmp(dot, ".png")) return "image/png";
	if (!strcmp(dot, ".ico")) return "image/x-icon";
	return "application/octet-stream";
}

void page_static(web_req *r)
{
	size_t len;
	const char *data = asset_get(r->args[0], true, &len);

	if (!data) {
		page_not_found(r);
		return;
	}
	web_reply_cached(r, content_type(r->args[0]), (void *)data, len);
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
