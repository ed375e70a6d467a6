/* test_authz_matrix.c - every route of the table (app/web/routes.c) x every
 * role, against a real poortd: who gets through and who is refused.
 *
 * Roles: anonymous; Marieke, parent of Sanne; Fatma, parent of another
 * pupil (Noah); Joost, Sanne's separated father who hides his contact data;
 * Anna, teacher of Sanne's group 3; Piet, teacher of group 5 (Sanne's
 * brother Daan, not Sanne); the administrator. The subject is Sanne (or
 * her group, or her mother Marieke).
 *
 * Each route's `access` class says who should get through; a route whose
 * class or sample request is missing here fails the test, so a new route
 * cannot slip past. "Through" means neither 401, 403 nor 404: a rule may
 * still refuse (409/422), which is not an authorization question. */
#include "harness.h"
#include "web_school.h"
#include "web.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ANON, MARIEKE, FATMA, JOOST, ANNA, PIET, ADMIN, NROLES };
static const char *role_names[NROLES] = { "anonymous", "parent-of-pupil", "parent-of-other",
                                          "separated-parent", "teacher-of-group", "other-teacher",
                                          "admin" };

/* Who gets through, per access class, as the core's headers state it. */
static const struct { const char *access; bool allow[NROLES]; } classes[] = {
	/*                          anon   mar    fatma  joost  anna   piet   admin */
	{ "public",          { true,  true,  true,  true,  true,  true,  true } },
	{ "login",           { false, true,  true,  true,  true,  true,  true } },
	{ "parent",          { false, true,  true,  true,  false, false, false } },
	{ "staff",           { false, false, false, false, true,  true,  true } },
	{ "admin",           { false, false, false, false, false, false, true } },
	{ "pupil-viewer",    { false, true,  false, true,  true,  false, true } },
	{ "pupil-parent",    { false, true,  false, true,  false, false, true } },
	{ "pupil-teacher",   { false, false, false, false, true,  false, true } },
	{ "group-teacher",   { false, false, false, false, true,  false, true } },
	{ "guardian-viewer", { false, true,  false, true,  true,  true,  true } },
	{ "guardian-self",   { false, true,  false, false, false, false, true } },
	{ "pupil-family",    { false, true,  false, true,  true,  false, true } },
	/* a round of groups 3 and 5: every family here has a child in it */
	{ "round-viewer",    { false, true,  true,  true,  true,  true,  true } },
	/* Anna's own schedule, calendar, running-late switch */
	{ "self-teacher",    { false, false, false, false, true,  false, true } },
	/* slots for Sanne and Daan together: their parents */
	{ "sibling-parent",  { false, true,  false, true,  false, false, true } },
	/* guardians see their own requests, administrators all */
	{ "parent-or-admin", { false, true,  true,  true,  false, false, true } },
	/* only a guardian of the pupil proposes; the school decides */
	{ "pupil-guardian",  { false, true,  false, true,  false, false, false } },
	/* Sanne's joint conversation with Anna */
	{ "booking-party",   { false, true,  false, true,  true,  false, true } },
	{ "booking-checkin", { false, true,  false, true,  true,  true,  true } },
	{ "booking-teacher", { false, false, false, false, true,  false, true } },
	/* a teacher of the round's groups, for their own slots */
	{ "round-teacher",   { false, false, false, false, true,  true,  false } },
	/* the login form without its double-submit token: nobody */
	{ "login-form",      { false, false, false, false, false, false, false } },
};

static web_school S;

/* The request to send for a route: path with its arguments filled in, and
 * a body that would succeed for someone allowed. */
static bool sample(const web_route *rt, int role, char *path, size_t plen, char *body, size_t blen)
{
	char key[200];
	unsigned long long sanne = S.sanne, marieke = S.marieke, g3 = S.group3;

	snprintf(key, sizeof key, "%s %s", rt->method, rt->pattern);
	body[0] = '\0';
	snprintf(path, plen, "%s", rt->pattern);
#define ROUTE(k, pfmt, ...) if (!strcmp(key, k)) { snprintf(path, plen, pfmt, __VA_ARGS__);
#define BODY(...) snprintf(body, blen, __VA_ARGS__); return true; }
#define NOBODY return true; }
	ROUTE("POST /api/v1/session", "%s", "/api/v1/session")
		BODY("{\"username\":\"anna\",\"password\":\"%s\"}", STAFF_PASSWORD)
	ROUTE("GET /api/v1/session", "%s", "/api/v1/session") NOBODY
	ROUTE("PATCH /api/v1/session", "%s", "/api/v1/session") BODY("{\"lang\":\"en\"}")
	ROUTE("DELETE /api/v1/session", "%s", "/api/v1/session") NOBODY
	ROUTE("DELETE /api/v1/sessions", "%s", "/api/v1/sessions") NOBODY
	ROUTE("GET /api/v1/school", "%s", "/api/v1/school") NOBODY
	ROUTE("PATCH /api/v1/school", "%s", "/api/v1/school") BODY("{\"absence_cutoff\":\"08:30\"}")
	ROUTE("GET /api/v1/health", "%s", "/api/v1/health") NOBODY
	ROUTE("GET /api/v1/backup", "%s", "/api/v1/backup") NOBODY
	ROUTE("POST /api/v1/import", "%s", "/api/v1/import") BODY("{\"groups\":[{\"name\":\"7\",\"grades\":[7]}]}")
	ROUTE("POST /api/v1/staff", "%s", "/api/v1/staff")
		BODY("{\"username\":\"kees\",\"name\":\"Kees Boer\",\"role\":\"teacher\",\"password\":\"kees-wachtwoord\"}")
	ROUTE("GET /api/v1/audit", "%s", "/api/v1/audit?limit=5") NOBODY
	ROUTE("GET /api/v1/groups", "%s", "/api/v1/groups") NOBODY
	ROUTE("GET /api/v1/pupils", "%s", "/api/v1/pupils") NOBODY
	ROUTE("GET /api/v1/pupils/{}", "/api/v1/pupils/%llu?parts=contacts,medical", sanne) NOBODY
	ROUTE("GET /api/v1/pupils/{}/export", "/api/v1/pupils/%llu/export", sanne) NOBODY
	ROUTE("GET /api/v1/pupils/{}/pickup-adults", "/api/v1/pupils/%llu/pickup-adults", sanne) NOBODY
	ROUTE("GET /api/v1/children", "%s", "/api/v1/children") NOBODY
	ROUTE("GET /api/v1/guardians/{}", "/api/v1/guardians/%llu", marieke) NOBODY
	ROUTE("PUT /api/v1/guardians/{}/hidden", "/api/v1/guardians/%llu/hidden", marieke) BODY("{\"hide\":false}")
	ROUTE("GET /api/v1/guardians/{}/export", "/api/v1/guardians/%llu/export", marieke) NOBODY
	ROUTE("POST /api/v1/guardians/{}/credentials", "/api/v1/guardians/%llu/credentials", marieke) BODY("{\"pin\":true}")
	ROUTE("GET /api/v1/absences", "%s", "/api/v1/absences?day=2026-11-23") NOBODY
	ROUTE("POST /api/v1/absences", "%s", "/api/v1/absences")
		BODY("{\"pupil\":%llu,\"from\":\"2026-11-24\",\"to\":\"2026-12-04\",\"reason\":\"sick\"}", sanne)
	/* each role cancels a day of its own: 25 Marieke, 27 Joost, 30 admin */
	ROUTE("DELETE /api/v1/pupils/{}/absences/{}", "/api/v1/pupils/%llu/absences/2026-11-%02d", sanne, 24 + role) NOBODY
	ROUTE("POST /api/v1/pupils/{}/absences/{}/acknowledge", "/api/v1/pupils/%llu/absences/2026-11-24/acknowledge", sanne) NOBODY
	ROUTE("GET /api/v1/register", "/api/v1/register?day=2026-11-23&group=%llu", g3) NOBODY
	ROUTE("PUT /api/v1/register/{}/pupils/{}", "/api/v1/register/2026-11-23/pupils/%llu", sanne) BODY("{\"status\":\"present\"}")
	ROUTE("POST /api/v1/register/{}/groups/{}/close", "/api/v1/register/2026-11-20/groups/%llu/close", g3) NOBODY
	ROUTE("GET /api/v1/unexplained", "%s", "/api/v1/unexplained?day=2026-11-20") NOBODY
	ROUTE("GET /api/v1/checkins", "%s", "/api/v1/checkins") NOBODY
	ROUTE("POST /api/v1/checkins", "%s", "/api/v1/checkins") BODY("{\"kind\":\"late\",\"pupil\":%llu}", sanne)
	ROUTE("GET /api/v1/building", "%s", "/api/v1/building") NOBODY
	ROUTE("GET /api/v1/corrections", "%s", "/api/v1/corrections") NOBODY
	ROUTE("POST /api/v1/corrections", "%s", "/api/v1/corrections")
		BODY("{\"target\":\"pupil\",\"id\":%llu,\"changes\":{\"address\":{\"street\":\"Lindelaan 5\",\"postcode\":\"3511 AB\",\"city\":\"Utrecht\"}}}", sanne)
	ROUTE("POST /api/v1/corrections/{}/decision", "/api/v1/corrections/%llu/decision", (unsigned long long)S.correction)
		BODY("{\"approve\":false,\"reason\":\"klopt niet\"}")
	ROUTE("GET /api/v1/rounds", "%s", "/api/v1/rounds") NOBODY
	ROUTE("POST /api/v1/rounds", "%s", "/api/v1/rounds")
		BODY("{\"name\":\"Extra\",\"groups\":[%llu],\"opens\":\"2026-11-20T08:00\",\"closes\":\"2026-11-27T08:00\","
		     "\"windows\":[{\"staff\":%llu,\"day\":\"2026-11-27\",\"from\":\"13:00\",\"to\":\"14:00\"}]}",
		     g3, (unsigned long long)S.anna)
	ROUTE("GET /api/v1/rounds/{}", "/api/v1/rounds/%llu", (unsigned long long)S.round) NOBODY
	ROUTE("PATCH /api/v1/rounds/{}", "/api/v1/rounds/%llu", (unsigned long long)S.round)
		BODY("{\"name\":\"Rapportgesprekken november\"}")
	ROUTE("GET /api/v1/rounds/{}/slots", "/api/v1/rounds/%llu/slots?pupil=%llu", (unsigned long long)S.round, sanne) NOBODY
	ROUTE("GET /api/v1/rounds/{}/overview", "/api/v1/rounds/%llu/overview", (unsigned long long)S.round) NOBODY
	ROUTE("GET /api/v1/rounds/{}/schedule", "/api/v1/rounds/%llu/schedule?staff=%llu", (unsigned long long)S.round,
	      (unsigned long long)S.anna) NOBODY
	ROUTE("GET /api/v1/rounds/{}/proposal", "/api/v1/rounds/%llu/proposal?pupils=%llu,%llu", (unsigned long long)S.round,
	      sanne, (unsigned long long)S.daan) NOBODY
	ROUTE("PUT /api/v1/rounds/{}/late", "/api/v1/rounds/%llu/late", (unsigned long long)S.round)
		BODY("{\"minutes\":0,\"staff\":%llu}", (unsigned long long)S.anna)
	ROUTE("PUT /api/v1/rounds/{}/invitations/{}", "/api/v1/rounds/%llu/invitations/%llu", (unsigned long long)S.round, sanne)
		BODY("{\"status\":\"required\"}")
	ROUTE("POST /api/v1/rounds/{}/waitlist", "/api/v1/rounds/%llu/waitlist", (unsigned long long)S.round)
		BODY("{\"pupil\":%llu,\"staff\":%llu}", sanne, (unsigned long long)S.anna)
	ROUTE("DELETE /api/v1/rounds/{}/waitlist/{}", "/api/v1/rounds/%llu/waitlist/%llu", (unsigned long long)S.round, sanne) NOBODY
	ROUTE("GET /api/v1/offers", "%s", "/api/v1/offers") NOBODY
	ROUTE("GET /api/v1/bookings", "%s", "/api/v1/bookings") NOBODY
	ROUTE("POST /api/v1/bookings", "%s", "/api/v1/bookings")
		BODY("{\"request_id\":\"m-%d\",\"round\":%llu,\"slot\":2,\"pupil\":%llu}", role, (unsigned long long)S.round, sanne)
	ROUTE("DELETE /api/v1/bookings/{}", "/api/v1/bookings/%llu", (unsigned long long)S.booking) NOBODY
	ROUTE("POST /api/v1/bookings/{}/checkin", "/api/v1/bookings/%llu/checkin", (unsigned long long)S.booking) NOBODY
	ROUTE("PUT /api/v1/bookings/{}/outcome", "/api/v1/bookings/%llu/outcome", (unsigned long long)S.booking)
		BODY("{\"outcome\":\"done\"}")
	ROUTE("GET /api/v1/calendar.ics", "%s", "/api/v1/calendar.ics") NOBODY
	ROUTE("GET /api/v1/staff/{}/calendar.ics", "/api/v1/staff/%llu/calendar.ics", (unsigned long long)S.anna) NOBODY
	ROUTE("GET /static/{}", "%s", "/static/poort.css") NOBODY
	/* pages: forms carry the session's CSRF token (filled in below) */
	ROUTE("GET /", "%s", "/") NOBODY
	ROUTE("GET /login", "%s", "/login") NOBODY
	ROUTE("POST /login", "%s", "/login") BODY("username=anna&password=x")
	ROUTE("POST /logout", "%s", "/logout") BODY("csrf=CSRF")
	ROUTE("GET /lang", "%s", "/lang?to=en") NOBODY
	ROUTE("GET /today", "%s", "/today") NOBODY
	ROUTE("GET /today/live", "%s", "/today/live") NOBODY
	ROUTE("POST /absences/acknowledge", "%s", "/absences/acknowledge") BODY("csrf=CSRF&pupil=%llu&day=2026-11-24", sanne)
	ROUTE("GET /register", "/register?group=%llu", g3) NOBODY
	ROUTE("POST /register", "%s", "/register") BODY("csrf=CSRF&group=%llu&day=2026-11-23&p%llu=present", g3, sanne)
	ROUTE("GET /unexplained", "%s", "/unexplained?day=2026-11-20") NOBODY
	ROUTE("GET /pupils/{}", "/pupils/%llu", sanne) NOBODY
	ROUTE("GET /conversations", "%s", "/conversations") NOBODY
	ROUTE("POST /conversations/late", "%s", "/conversations/late") BODY("csrf=CSRF&round=%llu&minutes=0", (unsigned long long)S.round)
	ROUTE("POST /conversations/invite", "%s", "/conversations/invite")
		BODY("csrf=CSRF&round=%llu&inv_%llu=required", (unsigned long long)S.round, (unsigned long long)S.noah)
	ROUTE("GET /parent", "%s", "/parent") NOBODY
	ROUTE("POST /parent/absence", "%s", "/parent/absence") BODY("csrf=CSRF&pupil=%llu&from=2026-12-01&reason=sick", sanne)
	ROUTE("GET /parent/book", "/parent/book?round=%llu&pupil=%llu", (unsigned long long)S.round, sanne) NOBODY
	ROUTE("POST /parent/book", "%s", "/parent/book")
		BODY("csrf=CSRF&round=%llu&slot=3&pupil=%llu&request_id=p%d", (unsigned long long)S.round, sanne, role)
	ROUTE("GET /parent/siblings", "/parent/siblings?round=%llu", (unsigned long long)S.round) NOBODY
	ROUTE("POST /parent/siblings", "%s", "/parent/siblings")
		BODY("csrf=CSRF&round=%llu&request_id=s%d&slot0=5&pupil0=%llu&slot1=40&pupil1=%llu", (unsigned long long)S.round,
		     role, sanne, (unsigned long long)S.daan)
	ROUTE("POST /parent/cancel", "%s", "/parent/cancel") BODY("csrf=CSRF&booking=%llu", (unsigned long long)S.booking)
	ROUTE("GET /parent/me", "%s", "/parent/me") NOBODY
	ROUTE("POST /parent/correction", "%s", "/parent/correction") BODY("csrf=CSRF&phone=06-99999999")
	ROUTE("GET /admin", "%s", "/admin") NOBODY
	ROUTE("POST /admin/correction", "%s", "/admin/correction") BODY("csrf=CSRF&request=%llu&approve=0&reason=nee", (unsigned long long)S.correction)
	ROUTE("GET /admin/building", "%s", "/admin/building") NOBODY
	ROUTE("GET /admin/audit", "%s", "/admin/audit?action=medical.read") NOBODY
	ROUTE("POST /admin/settings", "%s", "/admin/settings")
		BODY("csrf=CSRF&absence_cutoff=08:30&m_absence=1&m_attendance=1&m_checkin=1&m_conversations=1&m_corrections=1")
	ROUTE("POST /admin/staff", "%s", "/admin/staff")
		BODY("csrf=CSRF&username=juf%d&name=Juf+Test&role=teacher&password=juf-wachtwoord-1&g_%llu=on", role, g3)
	ROUTE("GET /admin/import", "%s", "/admin/import") NOBODY
	ROUTE("POST /admin/import", "%s", "/admin/import") BODY("csrf=CSRF&kind=groups&csv=groep%%0A7%%0A")
	ROUTE("POST /admin/card", "%s", "/admin/card") BODY("csrf=CSRF&guardian=%llu", marieke)
	return false;
}

static const char *login_of(int role, const char **password)
{
	*password = STAFF_PASSWORD;
	switch (role) {
	case MARIEKE: *password = MARIEKE_PASSWORD; return "marieke@example.nl";
	case FATMA: *password = PARENT_PASSWORD; return "fatma@example.nl";
	case JOOST: *password = PARENT_PASSWORD; return "joost.geheim@example.nl";
	case ANNA: return "anna";
	case PIET: return "piet";
	case ADMIN: return "beheer";
	}
	return NULL;
}

int main(void)
{
	poortd_proc d;
	size_t n;
	const web_route *rt = web_routes(&n);
	int checked = 0;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	web_school_create(&S, "web_matrix");
	poortd_start(&d, S.dir, NULL);

	/* Each login works (the matrix would be meaningless otherwise). */
	for (int role = MARIEKE; role < NROLES; role++) {
		client c;
		const char *pw, *u = login_of(role, &pw);
		client_init(&c, &d);
		CHECK(client_login(&c, u, pw) == 200, "login as %s", role_names[role]);
		client_free(&c);
	}

	for (size_t i = 0; i < n; i++) {
		char path[512], body[1024];
		const bool *allow = NULL;

		for (size_t k = 0; k < sizeof classes / sizeof *classes; k++)
			if (!strcmp(classes[k].access, rt[i].access))
				allow = classes[k].allow;
		CHECK(allow, "route %s %s: access class '%s' unknown to the matrix", rt[i].method,
		      rt[i].pattern, rt[i].access);
		if (!sample(&rt[i], ADMIN, path, sizeof path, body, sizeof body)) {
			CHECK(0, "route %s %s has no sample request in the matrix", rt[i].method, rt[i].pattern);
			continue;
		}
		if (!allow)
			continue;
		for (int role = 0; role < NROLES; role++) {
			client c;
			resp r;
			const char *pw, *u = login_of(role, &pw);
			sample(&rt[i], role, path, sizeof path, body, sizeof body);
			client_init(&c, &d);
			if (u && client_login(&c, u, pw) != 200) {
				CHECK(0, "login %s", role_names[role]);
				client_free(&c);
				continue;
			}
			bool form = strncmp(path, "/api/", 4) != 0 && strcmp(rt[i].method, "GET") != 0;
			char *tok = strstr(body, "CSRF");
			if (tok) {   /* the form's CSRF field: this session's token */
				char rest[1024];
				snprintf(rest, sizeof rest, "%s", tok + 4);
				snprintf(tok, sizeof body - (size_t)(tok - body), "%s%s", c.csrf, rest);
			}
			r = client_req(&c, rt[i].method, path, body[0] ? body : NULL,
			               form ? "application/x-www-form-urlencoded" : NULL, NULL);
			char loc[256] = "";
			resp_header(&r, "Location", loc, sizeof loc);
			bool through = r.status >= 200 && r.status != 401 && r.status != 403 && r.status != 404 &&
			               r.status < 500 && !(role == ANON && (rt[i].flags & ROUTE_LOGIN) && !strcmp(loc, "/login"));
			CHECK(through == allow[role], "%s %s as %s: %ld %s (expected %s)", rt[i].method, path,
			      role_names[role], r.status, r.json ? r.body : "", allow[role] ? "allowed" : "refused");
			CHECK(r.status < 500 && r.status > 0, "%s %s as %s: %ld", rt[i].method, path,
			      role_names[role], r.status);
			checked++;
			resp_free(&r);
			client_free(&c);
		}
	}
	printf("authorization matrix: %d route x role cases\n", checked);
	CHECK(poortd_stop(&d) == 0, "poortd stops cleanly");
	curl_global_cleanup();
	test_rmdir(S.dir);
	free(S.dir);
	return test_done("web_authz_matrix");
}
