/* test_pages.c - the HTML pages over HTTPS: the login form (double-submit
 * token), CSRF on every form, auto-escaping of hostile names, no inline
 * script anywhere, the audited pupil card, English on request. */
#include "harness.h"
#include "web_school.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static web_school S;

/* The value of the hidden field `name` in an HTML page, into out. */
static bool hidden(const char *html, const char *name, char *out, size_t len)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof pat, "name=\"%s\" value=\"", name);
	if (!html || !(p = strstr(html, pat)))
		return false;
	p += strlen(pat);
	size_t n = strcspn(p, "\"");
	if (n >= len)
		return false;
	memcpy(out, p, n);
	out[n] = '\0';
	return true;
}

static void page_login(client *c, const char *user, const char *pw, long *status, char *loc, size_t loclen)
{
	resp r = client_req(c, "GET", "/login", NULL, NULL, NULL);
	char tok[64] = "", body[256];

	CHECK(r.status == 200 && hidden(r.body, "csrf", tok, sizeof tok), "login form: %ld", r.status);
	resp_free(&r);
	snprintf(body, sizeof body, "csrf=%s&username=%s&password=%s", tok, user, pw);
	r = client_req(c, "POST", "/login", body, "application/x-www-form-urlencoded", NULL);
	*status = r.status;
	loc[0] = '\0';
	resp_header(&r, "Location", loc, loclen);
	resp_free(&r);
}

int main(void)
{
	poortd_proc d;
	client anna, mar, anon;
	resp r;
	long st;
	char loc[256], csrf[64], path[128], b[512];

	curl_global_init(CURL_GLOBAL_DEFAULT);
	web_school_create(&S, "web_pages");
	{
		/* a pupil whose name is an attack, in Anna's group */
		poort *p;
		json_t *doc = json_pack("{s:[{s:s, s:s, s:s, s:s, s:s}]}", "pupils", "key", "L666", "first_name",
		                        "<script>alert(1)</script>", "last_name", "\"><img src=x onerror=alert(2)>",
		                        "birth_date", "2019-01-01", "group", "3");
		E(poort_open(S.dir, NULL, &p));
		E(poort_import(p, POORT_ACTOR_CONSOLE, doc, NULL));
		json_decref(doc);
		poort_close(p);
	}
	poortd_start(&d, S.dir, NULL);
	client_init(&anna, &d);
	client_init(&mar, &d);
	client_init(&anon, &d);

	/* Anonymous pages send you to the login form. */
	r = client_req(&anon, "GET", "/today", NULL, NULL, NULL);
	CHECK(r.status == 303 && resp_header(&r, "Location", loc, sizeof loc) && !strcmp(loc, "/login"),
	      "anonymous /today: %ld", r.status);
	resp_free(&r);

	/* The login form: without its token (a forged cross-site login) no session. */
	r = client_req(&anon, "POST", "/login", "username=anna&password=" STAFF_PASSWORD,
	               "application/x-www-form-urlencoded", NULL);
	CHECK(r.status == 403 && !(resp_header(&r, "Set-Cookie", b, sizeof b) && strstr(b, "__Host-poort=")),
	      "login without the form token: %ld", r.status);
	resp_free(&r);
	page_login(&anon, "anna", "wrong-password", &st, loc, sizeof loc);
	CHECK(st == 401, "wrong password on the form: %ld", st);
	page_login(&anna, "anna", STAFF_PASSWORD, &st, loc, sizeof loc);
	CHECK(st == 303 && !strcmp(loc, "/today"), "teacher lands on /today: %ld %s", st, loc);
	page_login(&mar, "marieke@example.nl", MARIEKE_PASSWORD, &st, loc, sizeof loc);
	CHECK(st == 303 && !strcmp(loc, "/parent"), "parent lands on /parent: %ld %s", st, loc);

	/* Every page: Dutch by default, escaped, no inline script. */
	const char *pages[] = { "/today", "/register", "/unexplained?day=2026-11-23", "/conversations" };
	for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
		r = client_req(&anna, "GET", pages[i], NULL, NULL, NULL);
		CHECK(r.status == 200, "%s: %ld", pages[i], r.status);
		CHECK(r.body && strstr(r.body, "<html lang=\"nl\">"), "%s in Dutch", pages[i]);
		CHECK(r.body && !strstr(r.body, "<script>") &&
		      !strstr(r.body, "<img src=x"), "%s: no injected markup", pages[i]);
		CHECK(r.body && !strstr(r.body, "{{"), "%s: no template left", pages[i]);
		/* the only script is the external one */
		const char *s = r.body;
		int scripts = 0;
		while (s && (s = strstr(s, "<script"))) {
			scripts++;
			CHECK(!strncmp(s, "<script src=\"/static/poort.js\"", 30), "%s: inline script", pages[i]);
			s += 7;
		}
		CHECK(scripts == 1, "%s: %d scripts", pages[i], scripts);
		resp_free(&r);
	}
	r = client_req(&anna, "GET", "/register", NULL, NULL, NULL);
	CHECK(r.body && strstr(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;"), "the hostile name shown as text");
	CHECK(hidden(r.body, "csrf", csrf, sizeof csrf) && strlen(csrf) == 32, "form token on the register");
	resp_free(&r);

	/* Forms: without the session's token nothing is saved. */
	snprintf(b, sizeof b, "group=%llu&day=2026-11-23&p%llu=late", (unsigned long long)S.group3,
	         (unsigned long long)S.sanne);
	r = client_req(&anna, "POST", "/register", b, "application/x-www-form-urlencoded", NULL);
	CHECK(r.status == 403, "register form without token: %ld", r.status);
	resp_free(&r);
	snprintf(b, sizeof b, "csrf=%s&group=%llu&day=2026-11-23&p%llu=late", csrf, (unsigned long long)S.group3,
	         (unsigned long long)S.sanne);
	r = client_req(&anna, "POST", "/register", b, "application/x-www-form-urlencoded", NULL);
	CHECK(r.status == 303, "register form with token: %ld", r.status);
	resp_free(&r);
	snprintf(path, sizeof path, "/api/v1/register?day=2026-11-23&group=%llu", (unsigned long long)S.group3);
	r = client_req(&anna, "GET", path, NULL, NULL, NULL);
	CHECK(r.body && strstr(r.body, "\"late\""), "marked late: %s", r.body);
	resp_free(&r);

	/* The pupil card: medical data shown, and the look is in the audit log. */
	snprintf(path, sizeof path, "/pupils/%llu", (unsigned long long)S.sanne);
	r = client_req(&anna, "GET", path, NULL, NULL, NULL);
	CHECK(r.status == 200 && strstr(r.body, "pinda") && strstr(r.body, "Oma Truus"), "pupil card: %ld", r.status);
	resp_free(&r);
	/* the school may reach Joost; his ex-partner sees none of it */
	r = client_req(&mar, "GET", path, NULL, NULL, NULL);
	CHECK(r.status == 200 && strstr(r.body, "Joost") && !strstr(r.body, "joost.geheim") &&
	      !strstr(r.body, "Verborgen Hof") && !strstr(r.body, "06-22222222"),
	      "the parent's own child, the other parent's hidden data left out: %ld", r.status);
	resp_free(&r);
	snprintf(path, sizeof path, "/pupils/%llu", (unsigned long long)S.noah);
	r = client_req(&mar, "GET", path, NULL, NULL, NULL);
	CHECK(r.status == 403 && !strstr(r.body, "ritalin"), "another family's child: %ld", r.status);
	resp_free(&r);
	{
		client admin;
		client_init(&admin, &d);
		CHECK(client_login(&admin, "beheer", STAFF_PASSWORD) == 200, "admin");
		r = client_req(&admin, "GET", "/api/v1/audit?action=medical.read", NULL, NULL, NULL);
		CHECK(r.json && json_array_size(r.json) >= 2, "medical reads audited: %s", r.body);
		resp_free(&r);
		client_free(&admin);
	}

	/* The parent reports an absence through the form. */
	r = client_req(&mar, "GET", "/parent", NULL, NULL, NULL);
	CHECK(r.status == 200 && hidden(r.body, "csrf", csrf, sizeof csrf), "parent page");
	CHECK(r.body && strstr(r.body, "Sanne") && !strstr(r.body, "Noah"), "own children only");
	resp_free(&r);
	snprintf(b, sizeof b, "csrf=%s&pupil=%llu&from=2026-11-23&reason=sick&note=", csrf, (unsigned long long)S.sanne);
	r = client_req(&mar, "POST", "/parent/absence", b, "application/x-www-form-urlencoded", NULL);
	CHECK(r.status == 200 && strstr(r.body, "ontvangen"), "absence form: %ld", r.status);
	resp_free(&r);
	r = client_req(&anna, "GET", "/today/live", NULL, NULL, NULL);
	CHECK(r.status == 200 && strstr(r.body, "Sanne") && strstr(r.body, "Ziek"), "on Vandaag: %s", r.body);
	resp_free(&r);

	/* The parent sees today's check-ins of their own child. */
	snprintf(b, sizeof b, "{\"kind\":\"late\",\"pupil\":%llu,\"note\":\"tandarts\"}", (unsigned long long)S.sanne);
	{
		client m2;
		client_init(&m2, &d);
		CHECK(client_login(&m2, "marieke@example.nl", MARIEKE_PASSWORD) == 200, "parent API login");
		r = client_req(&m2, "POST", "/api/v1/checkins", b, NULL, NULL);
		CHECK(r.status == 201, "late arrival: %ld %s", r.status, r.body);
		resp_free(&r);
		client_free(&m2);
	}
	r = client_req(&mar, "GET", "/parent", NULL, NULL, NULL);
	CHECK(r.body && strstr(r.body, "Te laat gekomen · Sanne"), "check-in on the parent page");
	resp_free(&r);

	/* English when asked; the choice sticks. */
	r = client_req(&mar, "GET", "/lang?to=en", NULL, NULL, NULL);
	CHECK(r.status == 303, "switch language: %ld", r.status);
	resp_free(&r);
	r = client_req(&mar, "GET", "/parent", NULL, NULL, NULL);
	CHECK(r.body && strstr(r.body, "<html lang=\"en\">") && strstr(r.body, "Report your child absent"), "English");
	resp_free(&r);

	/* CSV import: a wrong line is named, nothing is stored; a good file
	 * shows a preview first and is stored only when confirmed. */
	{
		client adm;
		char tok[64];
		client_init(&adm, &d);
		page_login(&adm, "beheer", STAFF_PASSWORD, &st, loc, sizeof loc);
		r = client_req(&adm, "GET", "/admin/import", NULL, NULL, NULL);
		CHECK(r.status == 200 && hidden(r.body, "csrf", tok, sizeof tok), "import page: %ld", r.status);
		resp_free(&r);
		snprintf(b, sizeof b, "csrf=%s&kind=pupils&csv=leerlingnummer%%3Bvoornaam%%3Bachternaam%%3Bgeboortedatum%%3Bgroep%%0A"
		         "L100%%3BAnn%%3BJansen%%3B2019-01-01%%3B3%%0AL101%%3BBo%%3BSmit%%3B31-02-2019%%3B3%%0A", tok);
		r = client_req(&adm, "POST", "/admin/import", b, "application/x-www-form-urlencoded", NULL);
		CHECK(r.status == 422 && strstr(r.body, "Regel 3") && strstr(r.body, "geboortedatum"),
		      "the wrong line is named: %ld", r.status);
		resp_free(&r);
		snprintf(b, sizeof b, "csrf=%s&kind=pupils&csv=leerlingnummer%%3Bvoornaam%%3Bachternaam%%3Bgeboortedatum%%3Bgroep%%0A"
		         "L100%%3BAnn%%3BJansen%%3B2019-01-01%%3B3%%0A", tok);
		r = client_req(&adm, "POST", "/admin/import", b, "application/x-www-form-urlencoded", NULL);
		CHECK(r.status == 200 && strstr(r.body, "Voorbeeld: 1") && strstr(r.body, "L100"), "preview: %ld", r.status);
		resp_free(&r);
		r = client_req(&adm, "GET", "/api/v1/pupils", NULL, NULL, NULL);
		CHECK(r.status == 401 || !strstr(r.body, "L100"), "nothing stored by the preview");
		resp_free(&r);
		strcat(b, "&confirm=1");
		r = client_req(&adm, "POST", "/admin/import", b, "application/x-www-form-urlencoded", NULL);
		CHECK(r.status == 200 && strstr(r.body, "Ingelezen."), "imported: %ld", r.status);
		resp_free(&r);
		/* a reference the core refuses is mapped back to its line */
		snprintf(b, sizeof b, "csrf=%s&kind=pupils&confirm=1&csv=leerlingnummer%%3Bvoornaam%%3Bachternaam%%3Bgeboortedatum%%3Bgroep%%0A"
		         "L102%%3BCor%%3BDekker%%3B2019-01-01%%3B3%%0AL103%%3BDe%%3BVos%%3B2019-01-01%%3B9%%0A", tok);
		r = client_req(&adm, "POST", "/admin/import", b, "application/x-www-form-urlencoded", NULL);
		CHECK(r.status == 404 && strstr(r.body, "Regel 3") && strstr(r.body, "groep"), "core error on its line: %ld", r.status);
		resp_free(&r);
		client_free(&adm);
	}

	/* Logout everywhere from the parent's own page ends the API session too. */
	{
		client m3;
		client_init(&m3, &d);
		CHECK(client_login(&m3, "marieke@example.nl", MARIEKE_PASSWORD) == 200, "second session");
		r = client_req(&mar, "GET", "/parent/me", NULL, NULL, NULL);
		CHECK(r.status == 200 && hidden(r.body, "csrf", csrf, sizeof csrf), "own details page");
		resp_free(&r);
		snprintf(b, sizeof b, "csrf=%s&everywhere=1", csrf);
		r = client_req(&mar, "POST", "/logout", b, "application/x-www-form-urlencoded", NULL);
		CHECK(r.status == 303, "logout everywhere: %ld", r.status);
		resp_free(&r);
		r = client_req(&m3, "GET", "/api/v1/session", NULL, NULL, NULL);
		CHECK(r.status == 401, "the other session ended too: %ld", r.status);
		resp_free(&r);
		client_free(&m3);
	}

	/* Logout is a form too. */
	r = client_req(&anna, "POST", "/logout", "csrf=00000000000000000000000000000000",
	               "application/x-www-form-urlencoded", NULL);
	CHECK(r.status == 403, "logout with a wrong token: %ld", r.status);
	resp_free(&r);

	client_free(&anna);
	client_free(&mar);
	client_free(&anon);
	CHECK(poortd_stop(&d) == 0, "poortd stops cleanly");
	curl_global_cleanup();
	test_rmdir(S.dir);
	free(S.dir);
	return test_done("web_pages");
}
