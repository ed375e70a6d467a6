/* pages_admin.c - the administrator's console: health, settings, people in
 * the building and the printable evacuation list, the audit viewer with
 * filters, backup download, corrections, parent cards with a QR code. */
#include "handlers.h"
#include "pages.h"
#include "import_csv.h"

#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

/* "Last kiosk activity": when the kiosk last reported (it does every
 * minute while running) and when it was last touched, or "never". */
static void kiosk_times(web_req *r, const json_t *kiosk, json_t *ctx)
{
	static const char *const fields[][2] = { { "alive_at", "kiosk_alive" }, { "touched_at", "kiosk_touched" } };
	char buf[32];

	for (size_t i = 0; i < 2; i++) {
		json_t *v = json_object_get(kiosk, fields[i][0]);
		if (json_is_integer(v)) {
			poort_time_format(json_integer_value(v), buf);
			buf[16] = 0;           /* "YYYY-MM-DDTHH:MM" */
			buf[10] = ' ';
			json_object_set_new(ctx, fields[i][1], json_string(buf));
		} else {
			json_object_set_new(ctx, fields[i][1], json_string(web_t(r, "never")));
		}
	}
}

void page_admin(web_req *r)
{
	json_t *ctx = json_object(), *school = NULL, *stats = NULL, *corr = NULL;
	struct statvfs vfs;
	poort_role role = POORT_ROLE_NONE;
	int64_t up = web_now_us() / 1000000 - r->w->started;
	char buf[64];

	/* The console page is for administrators (the core refuses the health
	 * figures to anyone else as well). */
	if (poort_account_role(r->w->p, r->s.account, &role) != POORT_OK || role != POORT_ROLE_ADMIN) {
		json_decref(ctx);
		page_error(r, POORT_E_DENIED);
		return;
	}
	if (poort_school_get(r->w->p, r->s.account, &school) == POORT_OK)
		json_object_set_new(ctx, "school", school);
	{
		json_t *groups = NULL;
		if (poort_group_list(r->w->p, r->s.account, &groups) == POORT_OK)
			json_object_set_new(ctx, "groups", groups);
	}
	json_object_set_new(ctx, "saved", json_boolean(web_param(&r->query, "saved") != NULL));
	json_object_set_new(ctx, "staff_added", json_boolean(web_param(&r->query, "staff") != NULL));
	if (poort_stats(r->w->p, r->s.account, &stats) == POORT_OK) {
		double used = (double)json_integer_value(json_object_get(stats, "map_used"));
		double size = (double)json_integer_value(json_object_get(stats, "map_size"));
		snprintf(buf, sizeof buf, "%.1f MiB / %.0f MiB (%.0f%%)", used / 1048576, size / 1048576,
		         size > 0 ? 100 * used / size : 0);
		json_object_set_new(ctx, "map", json_string(buf));
		kiosk_times(r, json_object_get(stats, "kiosk"), ctx);
		json_object_set_new(ctx, "stats", stats);
	}
	if (statvfs(r->w->data_dir, &vfs) == 0) {
		snprintf(buf, sizeof buf, "%.1f GiB",
		         (double)vfs.f_bavail * (double)vfs.f_frsize / (1024.0 * 1024 * 1024));
		json_object_set_new(ctx, "disk_free", json_string(buf));
	}
	snprintf(buf, sizeof buf, "%lldd %02lld:%02lld", (long long)(up / 86400), (long long)(up % 86400 / 3600),
	         (long long)(up % 3600 / 60));
	json_object_set_new(ctx, "uptime", json_string(buf));
	if (poort_correction_list(r->w->p, r->s.account, true, &corr) == POORT_OK)
		json_object_set_new(ctx, "corrections", corr);
	page_render(r, 200, "admin.html", "Administration", ctx);
}

/* Form: request, approve=1|0, reason. */
void page_admin_correction(web_req *r)
{
	web_params f;
	poort_id id;
	poort_err err;

	if (!page_form(r, &f))
		return;
	id = web_parse_id(web_param(&f, "request"));
	err = id ? poort_correction_decide(r->w->p, r->s.account, id,
	                                   web_param(&f, "approve") && !strcmp(web_param(&f, "approve"), "1"),
	                                   web_param(&f, "reason") && *web_param(&f, "reason") ? web_param(&f, "reason") : NULL)
	         : POORT_E_INVALID;
	web_params_free(&f);
	if (err)
		page_error(r, err);
	else
		web_reply_redirect(r, "/admin");
}

/* Who is in the building now; printed, it is the evacuation list. */
void page_building(web_req *r)
{
	json_t *list = NULL;
	poort_err err = poort_building_list(r->w->p, r->s.account, &list);
	char now[40];
	size_t i;
	json_t *e;

	if (err) {
		page_error(r, err);
		return;
	}
	json_array_foreach(json_object_get(list, "visitors"), i, e)
		page_add_time(e, "in", "time");
	json_array_foreach(json_object_get(list, "parents"), i, e)
		page_add_time(e, "at", "time");
	json_object_set_new(list, "printed", json_string(poort_time_format(poort_now(r->w->p), now)));
	page_render(r, 200, "building.html", "Who is in the building", json_pack("{s:o}", "list", list));
}

/* ?action=&actor=&subject=&limit= */
void page_audit(web_req *r)
{
	json_t *filter = json_object(), *out = NULL;
	const char *action = web_param(&r->query, "action");
	static const char *const ids[] = { "actor", "subject" };
	poort_err err;
	size_t i;
	json_t *e;

	for (size_t k = 0; k < 2; k++) {
		const char *v = web_param(&r->query, ids[k]);
		if (v && *v)
			json_object_set_new(filter, ids[k], json_integer((json_int_t)web_parse_id(v)));
	}
	if (action && *action)
		json_object_set_new(filter, "action", json_string(action));
	json_object_set_new(filter, "limit", json_integer(200));
	err = poort_audit_query(r->w->p, r->s.account, filter, &out);
	json_decref(filter);
	if (err) {
		page_error(r, err);
		return;
	}
	json_array_foreach(out, i, e) {
		char t[40];
		json_t *d = json_object_get(e, "detail");
		json_object_set_new(e, "when", json_string(poort_time_format(json_integer_value(json_object_get(e, "at")), t)));
		if (d) {
			char *s = json_dumps(d, JSON_COMPACT);
			json_object_set_new(e, "detail_text", json_string(s ? s : ""));
			free(s);
		}
	}
	page_render(r, 200, "audit.html", "Audit log",
	            json_pack("{s:o, s:s, s:s, s:s}", "entries", out, "action", action ? action : "", "actor",
	                      web_param(&r->query, "actor") ? web_param(&r->query, "actor") : "", "subject",
	                      web_param(&r->query, "subject") ? web_param(&r->query, "subject") : ""));
}

/* A QR code as an SVG of dark modules; our own markup, safe to embed raw. */
static char *qr_svg(const char *text)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	char *svg, *p;
	size_t cap;
	int w;

	if (!q)
		return NULL;
	w = q->width;
	cap = 256 + (size_t)w * (size_t)w * 24;
	if (!(svg = malloc(cap))) {
		QRcode_free(q);
		return NULL;
	}
	p = svg + sprintf(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"-4 -4 %d %d\" class=\"qr\" "
	                  "role=\"img\" aria-label=\"QR\"><rect x=\"-4\" y=\"-4\" width=\"%d\" height=\"%d\" "
	                  "fill=\"#fff\"/><path fill=\"#000\" d=\"", w + 8, w + 8, w + 8, w + 8);
	for (int y = 0; y < w; y++)
		for (int x = 0; x < w; x++)
			if (q->data[y * w + x] & 1)
				p += sprintf(p, "M%d %dh1v1h-1z", x, y);
	strcpy(p, "\"/></svg>");
	QRcode_free(q);
	return svg;
}

/* Form: guardian. New PIN and card for a parent, printed once as a card
 * with the card token as a QR code (the kiosk scans it). */
void page_admin_card(web_req *r)
{
	web_params f;
	poort_id g;
	json_t *secrets = NULL, *who = NULL;
	poort_err err;
	char *svg;

	if (!page_form(r, &f))
		return;
	g = web_parse_id(web_param(&f, "guardian"));
	web_params_free(&f);
	err = g ? poort_parent_credentials_reset(r->w->p, r->s.account, g, POORT_CRED_PIN | POORT_CRED_CARD, &secrets)
	        : POORT_E_INVALID;
	if (err) {
		page_error(r, err);
		return;
	}
	poort_guardian_view(r->w->p, r->s.account, g, &who);
	svg = qr_svg(json_string_value(json_object_get(secrets, "card")) ? json_string_value(json_object_get(secrets, "card")) : "");
	json_object_set_new(secrets, "qr", json_string(svg ? svg : ""));
	free(svg);
	page_render(r, 200, "card.html", "Parent card",
	            json_pack("{s:o, s:o}", "card", secrets, "guardian", who ? who : json_object()));
}


/* School settings: name, cut-off time, modules on/off (form fields name,
 * absence_cutoff, and a checkbox m_<module> per module). The core checks
 * every value. */
void page_admin_settings(web_req *r)
{
	static const char *const modules[] = { "absence", "attendance", "checkin", "conversations", "corrections" };
	web_params f;
	json_t *changes = json_object(), *mods = json_object();
	poort_err err;

	if (!page_form(r, &f)) {
		json_decref(changes);
		json_decref(mods);
		return;
	}
	if (web_param(&f, "name") && *web_param(&f, "name"))
		json_object_set_new(changes, "name", json_string(web_param(&f, "name")));
	if (web_param(&f, "absence_cutoff") && *web_param(&f, "absence_cutoff"))
		json_object_set_new(changes, "absence_cutoff", json_string(web_param(&f, "absence_cutoff")));
	for (size_t i = 0; i < sizeof modules / sizeof *modules; i++) {
		char field[32];
		snprintf(field, sizeof field, "m_%s", modules[i]);
		json_object_set_new(mods, modules[i], json_boolean(web_param(&f, field) != NULL));
	}
	json_object_set_new(changes, "modules", mods);
	web_params_free(&f);
	err = poort_school_update(r->w->p, r->s.account, changes);
	json_decref(changes);
	if (err) {
		page_error(r, err);
		return;
	}
	web_reply_redirect(r, "/admin?saved=1");
}

/* A staff member with a login (form: username, name, role, password, groups
 * as group ids). */
void page_admin_staff(web_req *r)
{
	web_params f;
	json_t *groups = json_array();
	poort_role role = POORT_ROLE_NONE;
	poort_id staff;
	poort_err err;

	if (!page_form(r, &f)) {
		json_decref(groups);
		return;
	}
	for (int i = 0; i < f.n; i++) {
		poort_id g;
		if (!strcmp(f.name[i], "group") || strncmp(f.name[i], "g_", 2))
			continue;
		if ((g = web_parse_id(f.name[i] + 2)))
			json_array_append_new(groups, json_integer((json_int_t)g));
	}
	err = poort_role_parse(web_param(&f, "role") ? web_param(&f, "role") : "", &role);
	if (!err)
		err = poort_staff_create(r->w->p, r->s.account, web_param(&f, "username") ? web_param(&f, "username") : "",
		                         web_param(&f, "name") ? web_param(&f, "name") : "", role,
		                         web_param(&f, "password") && *web_param(&f, "password") ? web_param(&f, "password") : NULL,
		                         groups, &staff);
	web_params_free(&f);
	json_decref(groups);
	if (err) {
		page_error(r, err);
		return;
	}
	web_reply_redirect(r, "/admin?staff=1");
}

/* CSV import (the same columns as poortctl import): pasted into a form,
 * read and shown as a preview with the line of any error, then imported in
 * one transaction when confirmed. Form: csrf, kind, csv, confirm. */
static void import_page(web_req *r, unsigned status, json_t *ctx)
{
	page_render(r, status, "import.html", "Import", ctx);
}

static json_t *problem_json(web_req *r, const import_problem *pr, const char *message)
{
	char msg[400];

	if (message)
		snprintf(msg, sizeof msg, "%s", message);
	else if (pr->got || pr->want)
		snprintf(msg, sizeof msg, "%zu %s %zu", pr->got, web_t(r, pr->msgid), pr->want);
	else
		snprintf(msg, sizeof msg, "%s", pr->msgid ? web_t(r, pr->msgid) : "");
	return json_pack("{s:I, s:s, s:s}", "line", (json_int_t)pr->line, "column", pr->column, "message", msg);
}

/* The import page and its preview touch no stored data, so the core is
 * not asked until the import itself; it is still the administrator's page:
 * the core says whose role that is. */
static bool is_admin(web_req *r)
{
	poort_role role = POORT_ROLE_NONE;

	if (poort_account_role(r->w->p, r->s.account, &role) == POORT_OK && role == POORT_ROLE_ADMIN)
		return true;
	page_error(r, POORT_E_DENIED);
	return false;
}

void page_admin_import_form(web_req *r)
{
	if (is_admin(r))
		import_page(r, 200, json_object());
}

void page_admin_import(web_req *r)
{
	web_params f;
	const char *kind, *csv;
	import_csv *st = NULL;
	import_problem pr;
	json_t *ctx = json_object(), *report = NULL;
	poort_err err;

	if (!is_admin(r) || !page_form(r, &f)) {
		json_decref(ctx);
		return;
	}
	kind = web_param(&f, "kind");
	csv = web_param(&f, "csv");
	json_object_set_new(ctx, "kind", json_string(kind ? kind : ""));
	if (kind && strlen(kind) < 20) {
		char sel[32];
		snprintf(sel, sizeof sel, "kind_%s", kind);
		json_object_set_new(ctx, sel, json_true());   /* keeps the choice in the form */
	}
	json_object_set_new(ctx, "csv", json_string(csv ? csv : ""));
	if (!kind || !csv || !import_csv_kind_known(kind) || !(st = import_csv_new())) {
		web_params_free(&f);
		json_object_set_new(ctx, "problem", json_pack("{s:s}", "message", web_t(r, "The request is not valid.")));
		import_page(r, 400, ctx);
		return;
	}
	if (import_csv_add(st, kind, "CSV", csv, strlen(csv), &pr) != 0) {
		json_object_set_new(ctx, "problem", problem_json(r, &pr, NULL));
		import_page(r, 422, ctx);
		goto out;
	}
	if (!web_param(&f, "confirm")) {
		/* preview: every record, as it will be stored */
		json_t *rows = json_array(), *e;
		size_t i;
		json_array_foreach(json_object_get(import_csv_doc(st), strcmp(kind, "groepen") == 0 ? "groups" :
		                   strcmp(kind, "leerlingen") == 0 ? "pupils" : strcmp(kind, "ouders") == 0 ? "guardians" :
		                   strcmp(kind, "personeel") == 0 ? "staff" : strcmp(kind, "koppelingen") == 0 ? "links" : kind), i, e) {
			char *s = json_dumps(e, JSON_COMPACT | JSON_PRESERVE_ORDER);
			if (i < 200)
				json_array_append_new(rows, json_pack("{s:I, s:s}", "n", (json_int_t)i + 1, "record", s ? s : ""));
			free(s);
		}
		json_object_set_new(ctx, "count", json_integer((json_int_t)pr.records));
		json_object_set_new(ctx, "preview", rows);
		import_page(r, 200, ctx);
		goto out;
	}
	err = poort_import(r->w->p, r->s.account, import_csv_doc(st), &report);
	if (err) {
		import_problem where;
		char msg[400];
		snprintf(msg, sizeof msg, "%s (%s)", poort_message(r->lang, err), poort_error_detail());
		if (import_csv_locate(st, poort_error_detail(), &where))
			json_object_set_new(ctx, "problem", problem_json(r, &where, msg));
		else
			json_object_set_new(ctx, "problem", json_pack("{s:s}", "message", msg));
		import_page(r, web_status_of(err), ctx);
		goto out;
	}
	json_object_set_new(ctx, "report", report);
	json_object_set_new(ctx, "done", json_true());
	import_page(r, 200, ctx);
out:
	web_params_free(&f);
	import_csv_free(st);
}
