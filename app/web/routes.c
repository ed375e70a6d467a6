/* routes.c - the ONE route table, and the dispatch every request goes
 * through: route, query string, language, session, CSRF, handler.
 * tests/web checks this table against docs/api/openapi.yaml and drives the
 * authorization matrix from it, so a new route cannot be missed. */
#include "web.h"
#include "handlers.h"

#include <stdio.h>
#include <string.h>

static const web_route routes[] = {
	/* sessions */
	{ "POST",   "/api/v1/session",                        api_session_create,  0 | ROUTE_BODY,           "public" },
	{ "GET",    "/api/v1/session",                        api_session_get,     ROUTE_LOGIN, "login" },
	{ "PATCH",  "/api/v1/session",                        api_session_update,  ROUTE_LOGIN | ROUTE_BODY, "login" },
	{ "DELETE", "/api/v1/session",                        api_session_delete,  ROUTE_LOGIN, "login" },
	{ "DELETE", "/api/v1/sessions",                       api_sessions_delete, ROUTE_LOGIN, "login" },
	/* the school */
	{ "GET",    "/api/v1/school",                         api_school_get,      0,           "public" },
	{ "PATCH",  "/api/v1/school",                         api_school_update,   ROUTE_LOGIN | ROUTE_BODY, "admin" },
	{ "GET",    "/api/v1/health",                         api_health,          ROUTE_LOGIN, "admin" },
	{ "GET",    "/api/v1/backup",                         api_backup,          ROUTE_LOGIN, "admin" },
	{ "POST",   "/api/v1/import",                         api_import,          ROUTE_LOGIN | ROUTE_UPLOAD | ROUTE_BODY, "admin" },
	{ "POST",   "/api/v1/staff",                          api_staff_create,    ROUTE_LOGIN | ROUTE_BODY, "admin" },
	{ "GET",    "/api/v1/audit",                          api_audit,           ROUTE_LOGIN, "admin" },
	/* people */
	{ "GET",    "/api/v1/groups",                         api_groups,          ROUTE_LOGIN, "login" },
	{ "GET",    "/api/v1/pupils",                         api_pupils,          ROUTE_LOGIN, "login" },
	{ "GET",    "/api/v1/pupils/{}",                      api_pupil,           ROUTE_LOGIN, "pupil-viewer" },
	{ "GET",    "/api/v1/pupils/{}/export",               api_pupil_export,    ROUTE_LOGIN, "pupil-parent" },
	{ "GET",    "/api/v1/pupils/{}/pickup-adults",        api_pickup_adults,   ROUTE_LOGIN, "pupil-viewer" },
	{ "GET",    "/api/v1/children",                       api_children,        ROUTE_LOGIN, "parent" },
	{ "GET",    "/api/v1/guardians/{}",                   api_guardian,        ROUTE_LOGIN, "guardian-viewer" },
	{ "PUT",    "/api/v1/guardians/{}/hidden",            api_guardian_hidden, ROUTE_LOGIN | ROUTE_BODY, "guardian-self" },
	{ "GET",    "/api/v1/guardians/{}/export",            api_guardian_export, ROUTE_LOGIN, "guardian-self" },
	{ "POST",   "/api/v1/guardians/{}/credentials",       api_guardian_credentials, ROUTE_LOGIN | ROUTE_BODY, "admin" },
	/* absences */
	{ "GET",    "/api/v1/absences",                       api_absences,        ROUTE_LOGIN, "login" },
	{ "POST",   "/api/v1/absences",                       api_absence_report,  ROUTE_LOGIN | ROUTE_BODY, "pupil-parent" },
	{ "DELETE", "/api/v1/pupils/{}/absences/{}",          api_absence_cancel,  ROUTE_LOGIN, "pupil-parent" },
	{ "POST",   "/api/v1/pupils/{}/absences/{}/acknowledge", api_absence_ack,  ROUTE_LOGIN, "pupil-teacher" },
	/* attendance register */
	{ "GET",    "/api/v1/register",                       api_register,        ROUTE_LOGIN, "group-teacher" },
	{ "PUT",    "/api/v1/register/{}/pupils/{}",          api_register_mark,   ROUTE_LOGIN | ROUTE_BODY, "pupil-teacher" },
	{ "POST",   "/api/v1/register/{}/groups/{}/close",    api_register_close,  ROUTE_LOGIN, "group-teacher" },
	{ "GET",    "/api/v1/unexplained",                    api_unexplained,     ROUTE_LOGIN, "staff" },
	/* check-ins and the building */
	{ "GET",    "/api/v1/checkins",                       api_checkins,        ROUTE_LOGIN, "login" },
	{ "POST",   "/api/v1/checkins",                       api_checkin_create,  ROUTE_LOGIN | ROUTE_BODY, "pupil-family" },
	{ "GET",    "/api/v1/building",                       api_building,        ROUTE_LOGIN, "staff" },
	/* corrections ("potloodje") */
	{ "GET",    "/api/v1/corrections",                    api_corrections,     ROUTE_LOGIN, "parent-or-admin" },
	{ "POST",   "/api/v1/corrections",                    api_correction_propose, ROUTE_LOGIN | ROUTE_BODY, "pupil-guardian" },
	{ "POST",   "/api/v1/corrections/{}/decision",        api_correction_decide, ROUTE_LOGIN | ROUTE_BODY, "admin" },
	/* conversation rounds and bookings */
	{ "GET",    "/api/v1/rounds",                         api_rounds,          ROUTE_LOGIN, "login" },
	{ "POST",   "/api/v1/rounds",                         api_round_create,    ROUTE_LOGIN | ROUTE_BODY, "admin" },
	{ "GET",    "/api/v1/rounds/{}",                      api_round,           ROUTE_LOGIN, "round-viewer" },
	{ "PATCH",  "/api/v1/rounds/{}",                      api_round_update,    ROUTE_LOGIN | ROUTE_BODY, "admin" },
	{ "GET",    "/api/v1/rounds/{}/slots",                api_round_slots,     ROUTE_LOGIN, "pupil-viewer" },
	{ "GET",    "/api/v1/rounds/{}/overview",             api_round_overview,  ROUTE_LOGIN, "staff" },
	{ "GET",    "/api/v1/rounds/{}/schedule",             api_round_schedule,  ROUTE_LOGIN, "self-teacher" },
	{ "GET",    "/api/v1/rounds/{}/proposal",             api_round_proposal,  ROUTE_LOGIN, "sibling-parent" },
	{ "PUT",    "/api/v1/rounds/{}/late",                 api_round_late,      ROUTE_LOGIN | ROUTE_BODY, "self-teacher" },
	{ "PUT",    "/api/v1/rounds/{}/invitations/{}",       api_invitation,      ROUTE_LOGIN | ROUTE_BODY, "pupil-teacher" },
	{ "POST",   "/api/v1/rounds/{}/waitlist",             api_waitlist_join,   ROUTE_LOGIN | ROUTE_BODY, "pupil-parent" },
	{ "DELETE", "/api/v1/rounds/{}/waitlist/{}",          api_waitlist_leave,  ROUTE_LOGIN, "pupil-parent" },
	{ "GET",    "/api/v1/offers",                         api_offers,          ROUTE_LOGIN, "login" },
	{ "GET",    "/api/v1/bookings",                       api_bookings,        ROUTE_LOGIN, "parent" },
	{ "POST",   "/api/v1/bookings",                       api_booking_create,  ROUTE_LOGIN | ROUTE_BODY, "pupil-parent" },
	{ "DELETE", "/api/v1/bookings/{}",                    api_booking_cancel,  ROUTE_LOGIN, "booking-party" },
	{ "POST",   "/api/v1/bookings/{}/checkin",            api_booking_checkin, ROUTE_LOGIN, "booking-party" },
	{ "PUT",    "/api/v1/bookings/{}/outcome",            api_booking_outcome, ROUTE_LOGIN | ROUTE_BODY, "booking-teacher" },
	{ "GET",    "/api/v1/calendar.ics",                   api_ical_mine,       ROUTE_LOGIN, "parent" },
	{ "GET",    "/api/v1/staff/{}/calendar.ics",          api_ical_teacher,    ROUTE_LOGIN, "self-teacher" },
	/* pages (HTML, usable without JavaScript) and their static files */
	{ "GET",    "/",                      page_home,            0,                       "public" },
	{ "GET",    "/login",                 page_login,           0,                       "public" },
	{ "POST",   "/login",                 page_login_post,      ROUTE_FORM,              "login-form" },
	{ "POST",   "/logout",                page_logout,          ROUTE_PAGE | ROUTE_LOGIN | ROUTE_FORM, "login" },
	{ "GET",    "/lang",                  page_lang,            0,                       "public" },
	{ "GET",    "/today",                 page_today,           ROUTE_PAGE | ROUTE_LOGIN, "login" },
	{ "GET",    "/today/live",            page_today_live,      ROUTE_PAGE | ROUTE_LOGIN, "login" },
	{ "POST",   "/absences/acknowledge",  page_absence_ack,     ROUTE_PAGE | ROUTE_LOGIN | ROUTE_FORM, "pupil-teacher" },
	{ "GET",    "/register",              page_register,        ROUTE_PAGE | ROUTE_LOGIN, "group-teacher" },
	{ "POST",   "/register",              page_register_post,   ROUTE_PAGE | ROUTE_LOGIN | ROUTE_FORM, "group-teacher" },
	{ "GET",    "/unexplained",           page_unexplained,     ROUTE_PAGE | ROUTE_LOGIN, "staff" },
	{ "GET",    "/pupils/{}",             page_pupil,           ROUTE_PAGE | ROUTE_LOGIN, "pupil-viewer" },
	{ "GET",    "/conversations",         page_conversations,   ROUTE_PAGE | ROUTE_LOGIN, "login" },
	{ "POST",   "/conversations/late",    page_late_post,       ROUTE_PAGE | ROUTE_LOGIN | ROUTE_FORM, "round-teacher" },
	{ "POST",   "/conversations/invite",  page_invite_post,     ROUTE_PAGE | ROUTE_LOGIN | ROUTE_FORM, "pupil-teacher" },
	{ "GET",    "/parent",                page_parent,          ROUTE_PAGE | ROUTE_LOGIN, "login" },
	{ "POST",   "/parent/absence",        page_parent_absence,  ROUTE_PAGE | ROUTE_LOGIN | ROUTE_FORM, "pupil-parent" },
	{ "GET",    "/parent/book",           page_parent_book,     ROUTE_PAGE | ROUTE_LOGIN, "pupil-viewer" },
	{ "POST",   "/parent/book",           page_parent_book_post, ROUTE_PAGE | ROUTE_LOGIN | ROUTE_FORM, "pupil-parent" },
	{ "GET",    "/parent/siblings",       page_parent_siblings, ROUTE_PAGE | ROUTE_LOGIN, "parent" },
	{ "POST",   "/parent/siblings",       page_parent_siblings_post, ROUTE_PAGE | ROUTE_LOGIN | ROUTE_FORM, "sibling-parent" },
	{ "POST",   "/parent/cancel",         page_parent_cancel,   ROUTE_PAGE | ROUTE_LOGIN | ROUTE_FORM, "booking-party" },
	{ "GET",    "/parent/me",             page_parent_me,       ROUTE_PAGE | ROUTE_LOGIN, "parent" },
	{ "POST",   "/parent/correction",     page_parent_correction, ROUTE_PAGE | ROUTE_LOGIN | ROUTE_FORM, "parent" },
	{ "GET",    "/admin",                 page_admin,           ROUTE_PAGE | ROUTE_LOGIN, "admin" },
	{ "POST",   "/admin/correction",      page_admin_correction, ROUTE_PAGE | ROUTE_LOGIN | ROUTE_FORM, "admin" },
	{ "GET",    "/admin/building",        page_building,        ROUTE_PAGE | ROUTE_LOGIN, "staff" },
	{ "GET",    "/admin/audit",           page_audit,           ROUTE_PAGE | ROUTE_LOGIN, "admin" },
	{ "POST",   "/admin/settings",        page_admin_settings,  ROUTE_PAGE | ROUTE_LOGIN | ROUTE_FORM, "admin" },
	{ "POST",   "/admin/staff",           page_admin_staff,     ROUTE_PAGE | ROUTE_LOGIN | ROUTE_FORM, "admin" },
	{ "GET",    "/admin/import",          page_admin_import_form, ROUTE_PAGE | ROUTE_LOGIN, "admin" },
	{ "POST",   "/admin/import",          page_admin_import,    ROUTE_PAGE | ROUTE_LOGIN | ROUTE_FORM | ROUTE_UPLOAD, "admin" },
	{ "POST",   "/admin/card",            page_admin_card,      ROUTE_PAGE | ROUTE_LOGIN | ROUTE_FORM, "admin" },
	{ "GET",    "/static/{}",                             page_static,         0,           "public" },
};

const web_route *web_routes(size_t *n)
{
	*n = sizeof routes / sizeof routes[0];
	return routes;
}

const web_route *web_route_find(const char *method, const char *path, web_path_args args,
                                bool *path_known)
{
	*path_known = false;
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		if (web_path_match(routes[i].pattern, path, args) < 0)
			continue;
		*path_known = true;
		if (strcmp(routes[i].method, method) == 0 ||
		    (strcmp(method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0))
			return &routes[i];
	}
	return NULL;
}

static bool is_api(const web_req *r)
{
	return strncmp(r->path, "/api/", 5) == 0;
}

static bool is_safe_method(const char *m)
{
	return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0;
}

void web_dispatch(web_req *r)
{
	const web_route *rt;
	const char *cookie = web_header(r, "Cookie");
	const char *q;
	char token[64], lang[8];
	bool known;

	if (web_cookie_get(cookie, "lang", lang, sizeof lang) >= 0 &&
	    (strcmp(lang, "en") == 0 || strcmp(lang, "nl") == 0))
		r->lang = strcmp(lang, "en") ? "nl" : "en";
	else
		r->lang = web_lang_pick(web_header(r, "Accept-Language"));
	if (web_cookie_get(cookie, "__Host-poort", token, sizeof token) == 32 &&
	    sessions_find(r->w->sessions, token, web_now_us() / 1000000, &r->s)) {
		r->has_session = true;
		r->lang = r->s.lang;
	}
	if (r->body_error) {
		web_reply_error(r, 414, "too_long", "The address is too long.");
		return;
	}
	rt = web_route_find(r->method, r->path, r->args, &known);
	if (!rt) {
		if (known)
			web_reply_error(r, 405, "method", "This method is not allowed here.");
		else if (is_api(r))
			web_reply_error(r, 404, "not_found", "That could not be found.");
		else
			page_not_found(r);
		return;
	}
	q = r->raw_query;
	if (web_params_parse(&r->query, q ? q : "", q ? strlen(q) : 0) != 0) {
		web_reply_error(r, 400, "malformed", "The request is not valid.");
		return;
	}
	if ((rt->flags & ROUTE_LOGIN) && !r->has_session) {
		if (rt->flags & ROUTE_PAGE)
			web_reply_redirect(r, "/login");
		else
			web_reply_error(r, 401, "login", "Please log in first.");
		return;
	}
	if (r->body.len && !(rt->flags & (ROUTE_BODY | ROUTE_FORM))) {
		web_reply_error(r, 400, "malformed", "The request is not valid.");
		return;
	}
	if (!is_safe_method(r->method)) {
		/* CSRF: JSON calls carry the session's token in a header; forms
		 * carry it in a field (checked by the form handler, which parses
		 * the body). A browser never sends a custom header cross-site. */
		if (!(rt->flags & ROUTE_FORM)) {
			const char *ct = web_header(r, "Content-Type");
			const char *t = web_header(r, "X-CSRF-Token");
			if (r->has_session && (!t || strlen(t) != 32 || strcmp(t, r->s.csrf) != 0)) {
				web_reply_error(r, 403, "csrf", "This form has expired. Please try again.");
				return;
			}
			if (r->body.len && (!ct || strncmp(ct, "application/json", 16) != 0)) {
				web_reply_error(r, 400, "malformed", "The request is not valid.");
				return;
			}
		}
	}
	rt->fn(r);
}
