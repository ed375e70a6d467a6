/* api_session.c - logging in and out. The core checks the password and
 * keeps the per-account lockout; poortd adds a per-IP throttle so that
 * one machine cannot try many accounts. */
#include "handlers.h"

#include <string.h>

#define SESSION_COOKIE "__Host-poort=%s; Path=/; Secure; HttpOnly; SameSite=Strict"

static json_t *session_json(web_req *r, const web_session *s)
{
	json_t *who = NULL;

	if (poort_account_view(r->w->p, s->account, s->account, &who) != POORT_OK)
		who = json_object();
	json_object_set_new(who, "csrf", json_string(s->csrf));
	json_object_set_new(who, "lang", json_string(s->lang));
	json_object_set_new(who, "expires_idle", json_integer(s->role == POORT_ROLE_PARENT ? WEB_PARENT_IDLE : WEB_STAFF_IDLE));
	return who;
}

/* Shared by the API and the login form: 0 with r->s filled, or the
 * status already answered... no: returns the core's error (POORT_OK on
 * success) and sets *throttled when the per-IP limit refused it. */
poort_err web_login(web_req *r, const char *username, const char *password, bool *throttled)
{
	int64_t now = web_now_us() / 1000000;
	poort_id account;
	poort_role role = POORT_ROLE_NONE;
	poort_err err;

	*throttled = false;
	if (!throttle_allow(r->w->sessions, r->ip, now)) {
		*throttled = true;
		return POORT_E_LOCKED;
	}
	err = poort_login_password(r->w->p, username, password, &account);
	if (err == POORT_E_AUTH || err == POORT_E_LOCKED)
		throttle_fail(r->w->sessions, r->ip, now);
	if (err)
		return err;
	if ((err = poort_account_role(r->w->p, account, &role)))
		return err;
	/* A new token at every login: no session fixation. */
	if (r->has_session)
		sessions_drop(r->w->sessions, r->s.token);
	if (sessions_create(r->w->sessions, account, role, r->lang, now, &r->s) != 0)
		return POORT_E_BUSY;
	r->has_session = true;
	web_set_cookie(r, SESSION_COOKIE, r->s.token);
	return POORT_OK;
}

void web_logout(web_req *r, bool everywhere)
{
	if (r->has_session) {
		if (everywhere)
			sessions_drop_account(r->w->sessions, r->s.account);
		else
			sessions_drop(r->w->sessions, r->s.token);
	}
	web_set_cookie(r, "__Host-poort=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
}

void api_session_create(web_req *r)
{
	static const char *const fields[] = { "username", "password", NULL };
	json_t *b = api_body(r, fields);
	const char *u, *pw;
	bool throttled;
	poort_err err;

	if (!b)
		return;
	u = json_string_value(json_object_get(b, "username"));
	pw = json_string_value(json_object_get(b, "password"));
	if (!u || !pw) {
		json_decref(b);
		web_reply_error(r, 400, "malformed", "The request is not valid.");
		return;
	}
	err = web_login(r, u, pw, &throttled);
	json_decref(b);
	if (throttled)
		web_reply_error(r, 429, "throttled", "Too many wrong attempts. Please try again later.");
	else if (err)
		web_reply_err(r, err);
	else
		web_reply_json(r, 200, session_json(r, &r->s));
}

void api_session_get(web_req *r)
{
	web_reply_json(r, 200, session_json(r, &r->s));
}

void api_session_update(web_req *r)
{
	static const char *const fields[] = { "lang", NULL };
	json_t *b = api_body(r, fields);
	const char *lang;

	if (!b)
		return;
	lang = json_string_value(json_object_get(b, "lang"));
	if (!lang || (strcmp(lang, "nl") && strcmp(lang, "en"))) {
		json_decref(b);
		web_reply_error(r, 422, "invalid", "Some of the information is not valid.");
		return;
	}
	sessions_set_lang(r->w->sessions, r->s.token, lang);
	snprintf(r->s.lang, sizeof r->s.lang, "%s", lang);
	r->lang = r->s.lang;
	json_decref(b);
	web_reply_json(r, 200, session_json(r, &r->s));
}

void api_session_delete(web_req *r)
{
	web_logout(r, false);
	web_reply_json(r, 200, json_pack("{s:b}", "logged_out", 1));
}

void api_sessions_delete(web_req *r)
{
	web_logout(r, true);
	web_reply_json(r, 200, json_pack("{s:b}", "logged_out", 1));
}
