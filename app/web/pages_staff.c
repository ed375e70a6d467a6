/* pages_staff.c - the pages for teachers (Vandaag, register, unexplained
 * absences, pupil card, conversations) and the shared login/logout. Every
 * page only calls the core as the session's account and renders. */
#include "handlers.h"
#include "pages.h"
#include "assets.h"
#include "tmpl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- login, logout, language ---- */

#define LOGIN_CSRF_COOKIE "__Host-csrf=%s; Path=/; Secure; HttpOnly; SameSite=Strict"

void page_home(web_req *r)
{
	if (!r->has_session)
		web_reply_redirect(r, "/login");
	else if (r->s.role == POORT_ROLE_PARENT)
		web_reply_redirect(r, "/parent");
	else if (r->s.role == POORT_ROLE_ADMIN)
		web_reply_redirect(r, "/admin");
	else
		web_reply_redirect(r, "/today");
}

/* The login form carries a token that must match a cookie set with it
 * (double submit): there is no session yet to bind a CSRF token to. */
static void login_form(web_req *r, unsigned status, const char *error)
{
	unsigned char b[16];
	char tok[33];
	json_t *ctx = json_object();

	if (web_random(b, sizeof b) == 0)
		for (int i = 0; i < 16; i++)
			sprintf(tok + 2 * i, "%02x", b[i]);
	else
		tok[0] = '\0';
	web_set_cookie(r, LOGIN_CSRF_COOKIE, tok);
	json_object_set_new(ctx, "login_csrf", json_string(tok));
	if (error)
		json_object_set_new(ctx, "error", json_string(web_t(r, error)));
	page_render(r, status, "login.html", "Log in", ctx);
}

void page_login(web_req *r)
{
	if (r->has_session) {
		page_home(r);
		return;
	}
	login_form(r, 200, NULL);
}

void page_login_post(web_req *r)
{
	web_params f;
	char cookie[64];
	const char *tok, *u, *pw;
	bool throttled;
	poort_err err;

	if (web_params_parse(&f, r->body.data ? r->body.data : "", r->body.len) != 0) {
		login_form(r, 400, "The request is not valid.");
		return;
	}
	tok = web_param(&f, "csrf");
	u = web_param(&f, "username");
	pw = web_param(&f, "password");
	if (!tok || web_cookie_get(web_header(r, "Cookie"), "__Host-csrf", cookie, sizeof cookie) != 32 ||
	    strcmp(tok, cookie) != 0) {
		web_params_free(&f);
		login_form(r, 403, "This form has expired. Please try again.");
		return;
	}
	err = (u && pw) ? web_login(r, u, pw, &throttled) : POORT_E_AUTH;
	web_params_free(&f);
	if (err) {
		r->has_session = false;
		login_form(r, web_status_of(err), err == POORT_E_LOCKED ? "Too many wrong attempts. Please try again later."
		                                                        : "The login details are not correct.");
		return;
	}
	page_home(r);
}

void page_logout(web_req *r)
{
	web_params f;

	if (!page_form(r, &f))
		return;
	bool everywhere = web_param(&f, "everywhere") != NULL;
	web_params_free(&f);
	web_logout(r, everywhere);
	r->has_session = false;
	web_reply_redirect(r, "/login");
}

void page_lang(web_req *r)
{
	const char *to = web_param(&r->query, "to");

	if (!to || (strcmp(to, "nl") && strcmp(to, "en")))
		to = "nl";
	web_set_cookie(r, "lang=%s; Path=/; Secure; SameSite=Strict; Max-Age=31536000", to);
	if (r->has_session)
		sessions_set_lang(r->w->sessions, r->s.token, to);
	web_reply_redirect(r, "/");
}

/* ---- Vandaag: today's absence reports, late arrivals, pick-ups and
 * parents who checked in, refreshed by static/poort.js ---- */

static json_t *today_ctx(web_req *r)
{
	json_t *ctx = json_object(), *abs = NULL, *ev = NULL, *pupils = NULL, *late = json_array(),
	       *pickups = json_array(), *arrivals = json_array();
	poort_day today = poort_today(r->w->p);
	char day[16];
	size_t i;
	json_t *e;

	if (poort_absence_list(r->w->p, r->s.account, today, 0, &abs) != POORT_OK)
		abs = json_array();
	if (poort_checkin_list(r->w->p, r->s.account, today, &ev) != POORT_OK)
		ev = json_array();
	if (poort_pupil_list(r->w->p, r->s.account, 0, &pupils) != POORT_OK)
		pupils = json_array();
	json_array_foreach(abs, i, e) {
		page_add_time(e, "reported_at", "time");
		page_add_reason(e, r->lang);
	}
	json_array_foreach(ev, i, e) {
		const char *kind = json_string_value(json_object_get(e, "kind"));
		page_add_pupil_name(e, pupils);
		page_add_time(e, "at", "time");
		if (kind && !strcmp(kind, "late"))
			json_array_append(late, e);
		else if (kind && !strcmp(kind, "pickup"))
			json_array_append(pickups, e);
		else
			json_array_append(arrivals, e);
	}
	json_object_set_new(ctx, "day", json_string(poort_day_format(today, day)));
	json_object_set_new(ctx, "absences", abs);
	json_object_set_new(ctx, "late", late);
	json_object_set_new(ctx, "pickups", pickups);
	json_object_set_new(ctx, "arrivals", arrivals);
	json_object_set_new(ctx, "csrf", json_string(r->s.csrf));
	json_decref(ev);
	json_decref(pupils);
	return ctx;
}

void page_today(web_req *r)
{
	json_t *ctx = today_ctx(r);
	size_t len, flen;
	const char *frag = asset_get("today_live.html", false, &flen);
	char *live = frag ? tmpl_render(frag, flen, ctx, r->lang, &len) : NULL;

	/* the live part is rendered (and escaped) once here, then by
	 * /today/live for poort.js */
	json_object_set_new(ctx, "live", json_string(live ? live : ""));
	free(live);
	page_render(r, 200, "today.html", "Today", ctx);
}

void page_today_live(web_req *r)
{
	page_fragment(r, "today_live.html", today_ctx(r));
}

void page_absence_ack(web_req *r)
{
	web_params f;
	poort_id pupil;
	poort_day day;
	poort_err err = POORT_E_INVALID;

	if (!page_form(r, &f))
		return;
	pupil = web_parse_id(web_param(&f, "pupil"));
	if (pupil && web_param(&f, "day") && poort_day_parse(web_param(&f, "day"), &day) == POORT_OK)
		err = poort_absence_acknowledge(r->w->p, r->s.account, pupil, day);
	web_params_free(&f);
	if (err)
		page_error(r, err);
	else
		web_reply_redirect(r, "/today");
}

/* ---- the attendance register ---- */

static poort_id first_group(web_req *r)
{
	json_t *who = NULL;
	poort_id g = 0;

	if (poort_account_view(r->w->p, r->s.account, r->s.account, &who) == POORT_OK) {
		json_t *gs = json_object_get(who, "groups");
		json_t *first = json_array_get(gs, 0);
		g = (poort_id)json_integer_value(json_is_object(first) ? json_object_get(first, "id") : first);
	}
	json_decref(who);
	return g;
}

void page_register(web_req *r)
{
	json_t *ctx = json_object(), *reg = NULL, *groups = NULL;
	poort_id group;
	poort_day day;
	poort_err err;
	size_t i;
	json_t *e;

	if (!api_query_id(r, "group", &group) || !api_query_day(r, "day", &day)) {
		json_decref(ctx);
		return;
	}
	if (!group)
		group = first_group(r);
	if (poort_group_list(r->w->p, r->s.account, &groups) == POORT_OK) {
		json_array_foreach(groups, i, e)
			json_object_set_new(e, "selected", json_boolean((poort_id)json_integer_value(json_object_get(e, "id")) == group));
		json_object_set_new(ctx, "groups", groups);
	}
	if (!group) {
		json_decref(ctx);
		page_error(r, POORT_E_NOT_FOUND);
		return;
	}
	if ((err = poort_register_view(r->w->p, r->s.account, day, group, &reg))) {
		json_decref(ctx);
		page_error(r, err);
		return;
	}
	json_array_foreach(json_object_get(reg, "pupils"), i, e) {
		const char *st = json_string_value(json_object_get(e, "status"));
		json_object_set_new(e, "is_present", json_boolean(st && !strcmp(st, "present")));
		json_object_set_new(e, "is_absent", json_boolean(st && !strcmp(st, "absent")));
		json_object_set_new(e, "is_late", json_boolean(st && !strcmp(st, "late")));
		if (json_is_object(json_object_get(e, "absence")))
			page_add_reason(json_object_get(e, "absence"), r->lang);
	}
	json_object_set_new(ctx, "register", reg);
	json_object_set_new(ctx, "done", json_boolean(web_param(&r->query, "done") != NULL));
	page_render(r, 200, "register.html", "Attendance register", ctx);
}

/* Form: day, group, p<id>=present|absent|late ..., close=1 to close. */
void page_register_post(web_req *r)
{
	web_params f;
	poort_day day;
	poort_id group;
	poort_err err = POORT_OK;
	char loc[128];

	if (!page_form(r, &f))
		return;
	group = web_parse_id(web_param(&f, "group"));
	if (!group || !web_param(&f, "day") || poort_day_parse(web_param(&f, "day"), &day) != POORT_OK) {
		web_params_free(&f);
		page_error(r, POORT_E_INVALID);
		return;
	}
	for (int i = 0; i < f.n && !err; i++) {
		poort_presence st;
		poort_id pupil;
		if (f.name[i][0] != 'p' || !(pupil = web_parse_id(f.name[i] + 1)))
			continue;
		if ((err = poort_presence_parse(f.value[i], &st)) == POORT_OK)
			err = poort_register_mark(r->w->p, r->s.account, day, pupil, st);
	}
	if (!err && web_param(&f, "close"))
		err = poort_register_close(r->w->p, r->s.account, day, group);
	snprintf(loc, sizeof loc, "/register?group=%llu&day=%s&done=1", (unsigned long long)group, web_param(&f, "day"));
	web_params_free(&f);
	if (err) {
		page_error(r, err);
		return;
	}
	page_redirect_copy(r, loc);
}

/* ---- unexplained absences, with the phone numbers to call ---- */

void page_unexplained(web_req *r)
{
	json_t *ctx = json_object(), *list = NULL;
	poort_day day;
	poort_err err;
	char d[16];

	if (!api_query_day(r, "day", &day)) {
		json_decref(ctx);
		return;
	}
	if ((err = poort_unexplained_absences(r->w->p, r->s.account, day, 0, &list))) {
		json_decref(ctx);
		page_error(r, err);
		return;
	}
	json_object_set_new(ctx, "pupils", list);
	json_object_set_new(ctx, "day", json_string(poort_day_format(day, d)));
	page_render(r, 200, "unexplained.html", "Unexplained absences", ctx);
}

/* ---- the pupil card (medical data: every view audited by the core) ---- */

void page_pupil(web_req *r)
{
	json_t *card = NULL;
	poort_id id = web_parse_id(r->args[0]);
	poort_err err;

	if (!id) {
		page_not_found(r);
		return;
	}
	err = poort_pupil_view(r->w->p, r->s.account, id, POORT_VIEW_CONTACTS | POORT_VIEW_MEDICAL, &card);
	if (err) {
		page_error(r, err);
		return;
	}
	page_render(r, 200, "pupil.html", "Pupil card", json_pack("{s:o}", "pupil", card));
}

/* ---- conversations: the teacher's schedule (printable) ---- */

void page_conversations(web_req *r)
{
	json_t *ctx = json_object(), *rounds = NULL, *schedules = json_array();
	size_t i;
	json_t *e;

	if (poort_round_list(r->w->p, r->s.account, &rounds) != POORT_OK)
		rounds = json_array();
	json_array_foreach(rounds, i, e) {
		json_t *s = NULL;
		poort_id staff = 0, round = (poort_id)json_integer_value(json_object_get(e, "id"));
		json_t *who = NULL;
		if (poort_account_view(r->w->p, r->s.account, r->s.account, &who) == POORT_OK)
			staff = (poort_id)json_integer_value(json_object_get(who, "staff"));
		json_decref(who);
		if (staff && poort_teacher_schedule(r->w->p, r->s.account, round, staff, 0, &s) == POORT_OK) {
			size_t k;
			json_t *slot;
			json_array_foreach(json_object_get(s, "slots"), k, slot) {
				page_add_time(slot, "start", "time");
				page_add_day(slot, "start", "date");
			}
			json_object_set(s, "round", e);
			/* my pupils without a conversation yet, with their invitation */
			{
				json_t *ov = NULL, *mine = NULL, *todo = json_array(), *x;
				size_t k2;
				if (poort_round_overview(r->w->p, r->s.account, round, &ov) == POORT_OK &&
				    poort_pupil_list(r->w->p, r->s.account, 0, &mine) == POORT_OK) {
					json_array_foreach(json_object_get(ov, "not_booked"), k2, x) {
						const char *inv = json_string_value(json_object_get(x, "invitation"));
						json_t *y;
						size_t k3;
						json_array_foreach(mine, k3, y)
							if (json_integer_value(json_object_get(y, "id")) ==
							    json_integer_value(json_object_get(x, "pupil"))) {
								json_object_set_new(x, "is_invited", json_boolean(inv && !strcmp(inv, "invited")));
								json_object_set_new(x, "is_not_needed", json_boolean(inv && !strcmp(inv, "not_needed")));
								json_array_append(todo, x);
							}
					}
				}
				json_object_set_new(s, "not_booked", todo);
				json_decref(ov);
				json_decref(mine);
			}
			json_array_append_new(schedules, s);
		}
	}
	json_object_set_new(ctx, "schedules", schedules);
	json_decref(rounds);
	page_render(r, 200, "conversations.html", "My conversations", ctx);
}

/* Running late: form round, minutes. */
void page_late_post(web_req *r)
{
	web_params f;
	poort_id round, staff = 0;
	json_t *who = NULL;
	poort_err err = POORT_E_INVALID;

	if (!page_form(r, &f))
		return;
	round = web_parse_id(web_param(&f, "round"));
	if (poort_account_view(r->w->p, r->s.account, r->s.account, &who) == POORT_OK)
		staff = (poort_id)json_integer_value(json_object_get(who, "staff"));
	json_decref(who);
	if (round && web_param(&f, "minutes"))
		err = poort_teacher_running_late(r->w->p, r->s.account, round, staff, atoi(web_param(&f, "minutes")));
	web_params_free(&f);
	if (err)
		page_error(r, err);
	else
		web_reply_redirect(r, "/conversations");
}

/* Invitations: form round, inv_<pupil>=none|required|not_needed for each
 * pupil whose choice changed (cur_<pupil> holds the value shown). */
void page_invite_post(web_req *r)
{
	web_params f;
	poort_id round;
	poort_err err = POORT_OK;

	if (!page_form(r, &f))
		return;
	round = web_parse_id(web_param(&f, "round"));
	for (int i = 0; i < f.n && !err && round; i++) {
		char cur[40];
		poort_id pupil;
		const char *was, *v = f.value[i];
		poort_invitation inv;
		if (strncmp(f.name[i], "inv_", 4) || !(pupil = web_parse_id(f.name[i] + 4)))
			continue;
		snprintf(cur, sizeof cur, "cur_%llu", (unsigned long long)pupil);
		was = web_param(&f, cur);
		if (was && !strcmp(was, v))
			continue;
		if (!strcmp(v, "none")) inv = POORT_INVITE_NONE;
		else if (!strcmp(v, "required")) inv = POORT_INVITE_REQUIRED;
		else if (!strcmp(v, "not_needed")) inv = POORT_INVITE_NOT_NEEDED;
		else { err = POORT_E_INVALID; break; }
		err = poort_invitation_set(r->w->p, r->s.account, round, pupil, inv, 0);
	}
	if (!round)
		err = POORT_E_INVALID;
	web_params_free(&f);
	if (err)
		page_error(r, err);
	else
		web_reply_redirect(r, "/conversations");
}
