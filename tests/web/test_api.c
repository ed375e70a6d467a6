/* test_api.c - the JSON API black-box: sessions and their cookie, CSRF,
 * logout everywhere, throttling, separated parents' hidden data, and bad
 * input for every route of the table (malformed bodies, unknown fields,
 * wrong types, bad UTF-8, wrong methods, bad path arguments). */
#include "harness.h"
#include "web_school.h"
#include "web.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static web_school S;

static bool has_method(const char *pattern, const char *method)
{
	size_t n;
	const web_route *rt = web_routes(&n);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(rt[i].pattern, pattern) && !strcmp(rt[i].method, method))
			return true;
	return false;
}

/* The pattern with every {} filled by a real id (Sanne / group 3) or a day. */
static void fill(const char *pattern, char *out, size_t len)
{
	size_t o = 0;
	int arg = 0;

	for (const char *p = pattern; *p && o + 32 < len; p++) {
		if (p[0] == '{' && p[1] == '}') {
			if (strstr(pattern, "/rounds/") && arg == 0)
				o += (size_t)snprintf(out + o, len - o, "%llu", (unsigned long long)S.round);
			else if (strstr(pattern, "/bookings/"))
				o += (size_t)snprintf(out + o, len - o, "%llu", (unsigned long long)S.booking);
			else if (strstr(pattern, "/staff/"))
				o += (size_t)snprintf(out + o, len - o, "%llu", (unsigned long long)S.anna);
			else if (strstr(pattern, "/corrections/"))
				o += (size_t)snprintf(out + o, len - o, "%llu", (unsigned long long)S.correction);
			else if (strstr(pattern, "/register/") && arg == 0)
				o += (size_t)snprintf(out + o, len - o, "2026-11-23");
			else if (strstr(pattern, "/absences/") && arg == 1)
				o += (size_t)snprintf(out + o, len - o, "2026-11-24");
			else if (strstr(pattern, "/groups/"))
				o += (size_t)snprintf(out + o, len - o, "%llu", (unsigned long long)S.group3);
			else if (strstr(pattern, "/guardians/"))
				o += (size_t)snprintf(out + o, len - o, "%llu", (unsigned long long)S.marieke);
			else if (strstr(pattern, "/static/"))
				o += (size_t)snprintf(out + o, len - o, "poort.css");
			else
				o += (size_t)snprintf(out + o, len - o, "%llu", (unsigned long long)S.sanne);
			arg++;
			p++;
		} else {
			out[o++] = *p;
		}
	}
	out[o] = '\0';
}

int main(void)
{
	poortd_proc d;
	client admin, anna, anna2, marieke, fatma, anon;
	resp r;
	char b[512];
	size_t n;
	const web_route *rt = web_routes(&n);

	curl_global_init(CURL_GLOBAL_DEFAULT);
	web_school_create(&S, "web_api");
	poortd_start(&d, S.dir, NULL);
	client_init(&admin, &d);
	client_init(&anna, &d);
	client_init(&anna2, &d);
	client_init(&marieke, &d);
	client_init(&fatma, &d);
	client_init(&anon, &d);

	/* Login: the cookie is __Host-, Secure, HttpOnly, SameSite=Strict. */
	{
		json_t *body = json_pack("{s:s, s:s}", "username", "anna", "password", STAFF_PASSWORD);
		char *s = json_dumps(body, 0);
		r = client_req(&anna, "POST", "/api/v1/session", s, NULL, NULL);
		CHECK(r.status == 200, "login: %ld %s", r.status, r.body);
		CHECK(resp_header(&r, "Set-Cookie", b, sizeof b) && !strncmp(b, "__Host-poort=", 13) &&
		      strstr(b, "Secure") && strstr(b, "HttpOnly") && strstr(b, "SameSite=Strict") &&
		      strstr(b, "Path=/") && !strstr(b, "Domain"), "cookie: %s", b);
		CHECK(strlen(b) > 13 + 32 && strspn(b + 13, "0123456789abcdef") == 32, "128-bit token");
		const char *csrf = r.json ? json_string_value(json_object_get(r.json, "csrf")) : NULL;
		CHECK(csrf && strlen(csrf) == 32, "csrf token");
		snprintf(anna.csrf, sizeof anna.csrf, "%s", csrf ? csrf : "");
		CHECK(r.json && !strcmp(json_string_value(json_object_get(r.json, "role")), "teacher"), "role");
		resp_free(&r);
		free(s);
		json_decref(body);
	}
	CHECK(client_login(&admin, "beheer", STAFF_PASSWORD) == 200, "admin login");
	CHECK(client_login(&anna2, "anna", STAFF_PASSWORD) == 200, "second session for anna");
	CHECK(client_login(&marieke, "marieke@example.nl", MARIEKE_PASSWORD) == 200, "parent login");
	CHECK(client_login(&fatma, "fatma@example.nl", PARENT_PASSWORD) == 200, "other parent login");
	CHECK(client_login(&anon, "anna", "wrong password!") == 401, "wrong password is 401");

	/* CSRF: a state-changing call without the token is refused, nothing changes. */
	{
		char saved[64], body[200];
		snprintf(saved, sizeof saved, "%s", marieke.csrf);
		marieke.csrf[0] = '\0';
		snprintf(body, sizeof body, "{\"pupil\":%llu,\"from\":\"2026-11-24\",\"reason\":\"sick\"}",
		         (unsigned long long)S.sanne);
		r = client_req(&marieke, "POST", "/api/v1/absences", body, NULL, NULL);
		CHECK(r.status == 403 && r.json && !strcmp(json_string_value(json_object_get(r.json, "error")), "csrf"),
		      "no CSRF token: %ld", r.status);
		resp_free(&r);
		r = client_req(&marieke, "POST", "/api/v1/absences", body, NULL, "X-CSRF-Token: 00000000000000000000000000000000");
		CHECK(r.status == 403, "wrong CSRF token: %ld", r.status);
		resp_free(&r);
		r = client_req(&marieke, "POST", "/api/v1/absences", body, "application/x-www-form-urlencoded", NULL);
		CHECK(r.status == 403, "a form post to the API: %ld", r.status);
		resp_free(&r);
		snprintf(marieke.csrf, sizeof marieke.csrf, "%s", saved);
		r = client_req(&anna, "GET", "/api/v1/absences?day=2026-11-24", NULL, NULL, NULL);
		CHECK(r.status == 200 && json_array_size(r.json) == 0, "nothing was reported: %s", r.body);
		resp_free(&r);
		/* with the token it works, and the teacher sees it */
		r = client_req(&marieke, "POST", "/api/v1/absences", body, NULL, NULL);
		CHECK(r.status == 201, "absence report: %ld %s", r.status, r.body);
		resp_free(&r);
		r = client_req(&anna, "GET", "/api/v1/absences?day=2026-11-24", NULL, NULL, NULL);
		CHECK(r.status == 200 && json_array_size(r.json) == 1, "teacher sees the report: %s", r.body);
		resp_free(&r);
		r = client_req(&marieke, "POST", "/api/v1/absences", body, "text/plain", NULL);
		CHECK(r.status == 400, "JSON only: %ld", r.status);
		resp_free(&r);
	}

	/* Separated parents: Marieke never sees Joost's hidden contact data. */
	{
		char path[128];
		snprintf(path, sizeof path, "/api/v1/guardians/%llu", (unsigned long long)S.joost);
		r = client_req(&marieke, "GET", path, NULL, NULL, NULL);
		CHECK(r.status == 200 && !strstr(r.body, "joost.geheim") && !strstr(r.body, "Verborgen") &&
		      !strstr(r.body, "06-22222222"), "hidden from the other parent: %s", r.body);
		resp_free(&r);
		snprintf(path, sizeof path, "/api/v1/pupils/%llu?parts=contacts,medical", (unsigned long long)S.sanne);
		r = client_req(&marieke, "GET", path, NULL, NULL, NULL);
		CHECK(r.status == 200 && !strstr(r.body, "joost.geheim") && !strstr(r.body, "Verborgen"),
		      "hidden on the pupil card too: %s", r.body);
		resp_free(&r);
		r = client_req(&fatma, "GET", path, NULL, NULL, NULL);
		CHECK(r.status == 403 && !strstr(r.body, "Sanne"), "another family's child: %ld", r.status);
		resp_free(&r);
		r = client_req(&fatma, "GET", "/api/v1/pupils", NULL, NULL, NULL);
		CHECK(r.status == 200 && !strstr(r.body, "Sanne") && strstr(r.body, "Noah"), "own children only: %s", r.body);
		resp_free(&r);
	}

	/* Bad input for every route, as the administrator (so authorization
	 * passes): never a 5xx, malformed bodies are 400, unknown fields are
	 * 400 with the field named. */
	{
		static const char *bad_bodies[] = { "{", "[]", "\"x\"", "{\"a\":1,\"a\":1}",
		                                    "{\"zzz_unknown\":1}", "{\"x\":\"\xff\xfe\"}", "null",
		                                    "{\"pupil\":\"12\",\"from\":7}", "\x01\x02" };
		static const char *methods[] = { "GET", "POST", "PUT", "PATCH", "DELETE" };
		client x;
		client_init(&x, &d);
		curl_easy_setopt(x.h, CURLOPT_PATH_AS_IS, 1L);
		CHECK(client_login(&x, "beheer", STAFF_PASSWORD) == 200, "admin login for bad input");
		for (size_t i = 0; i < n; i++) {
			char path[512], q[600];
			if (strncmp(rt[i].pattern, "/api/", 5) != 0)
				continue;
			fill(rt[i].pattern, path, sizeof path);
			if (!strcmp(rt[i].method, "DELETE") && strstr(path, "session"))
				continue;   /* would log x out; covered above */
			for (size_t k = 0; k < sizeof bad_bodies / sizeof *bad_bodies; k++) {
				if (!strcmp(rt[i].method, "GET") || !strcmp(rt[i].method, "DELETE"))
					break;
				r = client_req(&x, rt[i].method, path, bad_bodies[k], NULL, NULL);
				CHECK(r.status >= 400 && r.status < 500 && r.json && json_object_get(r.json, "error") &&
				      json_object_get(r.json, "message"),
				      "%s %s with body #%zu: %ld %s", rt[i].method, path, k, r.status, r.body);
				if (k < 5 || k == 8)
					CHECK(r.status == 400 || r.status == 422, "%s %s body #%zu: %ld", rt[i].method, path, k, r.status);
				resp_free(&r);
			}
			/* bad query string */
			snprintf(q, sizeof q, "%s?x=%%zz", path);
			r = client_req(&x, rt[i].method, q, NULL, NULL, NULL);
			CHECK(r.status == 400, "%s %s: %ld", rt[i].method, q, r.status);
			resp_free(&r);
			/* path arguments that are not ids */
			if (strstr(rt[i].pattern, "{}")) {
				char bad[512];
				const char *tries[] = { "abc", "0", "-1", "99999999999999999999", "..", "1.5" };
				for (size_t t = 0; t < sizeof tries / sizeof *tries; t++) {
					const char *brace = strstr(rt[i].pattern, "{}");
					snprintf(bad, sizeof bad, "%.*s%s%s", (int)(brace - rt[i].pattern), rt[i].pattern,
					         tries[t], brace + 2);
					fill(bad, path, sizeof path);
					r = client_req(&x, rt[i].method, path, strcmp(rt[i].method, "GET") ? "{}" : NULL, NULL, NULL);
					CHECK(r.status == 404 || r.status == 400 || r.status == 405, "%s %s: %ld", rt[i].method, path, r.status);
					resp_free(&r);
				}
				fill(rt[i].pattern, path, sizeof path);
			}
			/* wrong methods */
			for (size_t m = 0; m < sizeof methods / sizeof *methods; m++) {
				if (has_method(rt[i].pattern, methods[m]))
					continue;
				r = client_req(&x, methods[m], path, NULL, NULL, NULL);
				CHECK(r.status == 405, "%s %s: %ld", methods[m], path, r.status);
				resp_free(&r);
			}
		}
		client_free(&x);
	}

	/* Booking: a slot someone else holds is 409 "taken" with the nearest
	 * free alternatives; a repeated request id books once. */
	{
		char body[300], path[128];
		json_t *slots;
		long long taken_slot = 0;
		snprintf(path, sizeof path, "/api/v1/rounds/%llu/slots?pupil=%llu", (unsigned long long)S.round,
		         (unsigned long long)S.noah);
		r = client_req(&fatma, "GET", path, NULL, NULL, NULL);
		slots = r.json;
		CHECK(r.status == 200 && json_array_size(slots) > 2, "free slots for Noah: %s", r.body);
		/* Sanne's fixture booking holds Anna's first slot */
		snprintf(path, sizeof path, "/api/v1/rounds/%llu/schedule?staff=%llu", (unsigned long long)S.round,
		         (unsigned long long)S.anna);
		resp sr = client_req(&admin, "GET", path, NULL, NULL, NULL);
		size_t i;
		json_t *e;
		json_array_foreach(json_object_get(sr.json, "slots"), i, e)
			if (json_integer_value(json_object_get(e, "booking")) == (json_int_t)S.booking)
				taken_slot = json_integer_value(json_object_get(e, "slot"));
		resp_free(&sr);
		CHECK(taken_slot > 0, "the fixture's booked slot");
		snprintf(body, sizeof body, "{\"request_id\":\"f-1\",\"round\":%llu,\"slot\":%lld,\"pupil\":%llu}",
		         (unsigned long long)S.round, taken_slot, (unsigned long long)S.noah);
		resp t = client_req(&fatma, "POST", "/api/v1/bookings", body, NULL, NULL);
		CHECK(t.status == 409 && t.json && !strcmp(json_string_value(json_object_get(t.json, "error")), "taken") &&
		      json_array_size(json_object_get(t.json, "alternatives")) > 0, "taken: %ld %s", t.status, t.body);
		resp_free(&t);
		snprintf(body, sizeof body, "{\"request_id\":\"f-2\",\"round\":%llu,\"slot\":%lld,\"pupil\":%llu}",
		         (unsigned long long)S.round,
		         (long long)json_integer_value(json_object_get(json_array_get(slots, 1), "slot")),
		         (unsigned long long)S.noah);
		t = client_req(&fatma, "POST", "/api/v1/bookings", body, NULL, NULL);
		CHECK(t.status == 201, "booked: %ld %s", t.status, t.body);
		json_int_t id1 = json_integer_value(json_object_get(t.json, "id"));
		resp_free(&t);
		t = client_req(&fatma, "POST", "/api/v1/bookings", body, NULL, NULL);
		CHECK(t.status == 201 && json_integer_value(json_object_get(t.json, "id")) == id1,
		      "the same request id books once: %ld %s", t.status, t.body);
		resp_free(&t);
		resp_free(&r);
		/* and it is in her calendar */
		t = client_req(&fatma, "GET", "/api/v1/calendar.ics", NULL, NULL, NULL);
		CHECK(t.status == 200 && resp_header(&t, "Content-Type", b, sizeof b) && strstr(b, "text/calendar") &&
		      t.body && strstr(t.body, "BEGIN:VCALENDAR") && strstr(t.body, "BEGIN:VEVENT"), "iCalendar: %ld", t.status);
		resp_free(&t);
	}

	/* Backup: a consistent copy streamed to the administrator; it opens
	 * as a store, and no temporary file stays behind. */
	{
		char *bdir = test_tmpdir("web_api_backup"), file[600];
		FILE *f;
		poort *copy;
		json_t *stats = NULL;
		r = client_req(&admin, "GET", "/api/v1/backup", NULL, NULL, NULL);
		CHECK(r.status == 200 && r.len > 4096 && resp_header(&r, "Content-Disposition", b, sizeof b), "backup: %ld", r.status);
		snprintf(file, sizeof file, "%s/data.mdb", bdir);
		if ((f = fopen(file, "wb"))) {
			fwrite(r.body, 1, r.len, f);
			fclose(f);
		}
		resp_free(&r);
		poort_options ro = { .read_only = true, .no_create = true };
		CHECK(poort_open(bdir, &ro, &copy) == POORT_OK, "the backup opens");
		if (copy && poort_stats(copy, POORT_ACTOR_CONSOLE, &stats) == POORT_OK)
			CHECK(json_integer_value(json_object_get(json_object_get(stats, "records"), "pupils")) == 4,
			      "the backup holds the pupils");
		json_decref(stats);
		poort_close(copy);
		test_rmdir(bdir);
		free(bdir);
		char cmd[700];
		snprintf(cmd, sizeof cmd, "ls %s | grep -q '^backup-'", S.dir);
		CHECK(system(cmd) != 0, "no temporary backup file left in the data directory");
		r = client_req(&anna2, "GET", "/api/v1/backup", NULL, NULL, NULL);
		CHECK(r.status == 403, "a teacher gets no backup: %ld", r.status);
		resp_free(&r);
	}

	/* Logout ends this session only; logout everywhere ends all of them. */
	r = client_req(&anna, "DELETE", "/api/v1/session", NULL, NULL, NULL);
	CHECK(r.status == 200 && resp_header(&r, "Set-Cookie", b, sizeof b) && strstr(b, "Max-Age=0"), "logout");
	resp_free(&r);
	r = client_req(&anna, "GET", "/api/v1/session", NULL, NULL, NULL);
	CHECK(r.status == 401, "logged out: %ld", r.status);
	resp_free(&r);
	r = client_req(&anna2, "GET", "/api/v1/session", NULL, NULL, NULL);
	CHECK(r.status == 200, "the other session lives on: %ld", r.status);
	resp_free(&r);
	CHECK(client_login(&anna, "anna", STAFF_PASSWORD) == 200, "login again");
	r = client_req(&anna, "DELETE", "/api/v1/sessions", NULL, NULL, NULL);
	CHECK(r.status == 200, "logout everywhere: %ld", r.status);
	resp_free(&r);
	r = client_req(&anna2, "GET", "/api/v1/session", NULL, NULL, NULL);
	CHECK(r.status == 401, "every session ended: %ld", r.status);
	resp_free(&r);

	/* Per-account lockout (the core's) answers 429; then the per-IP
	 * throttle stops one machine trying many accounts. */
	{
		long st = 0;
		int i;
		for (i = 0; i < 10 && st != 429; i++)
			st = client_login(&anon, "piet", "not the password");
		CHECK(st == 429, "account locked after failures: %ld after %d", st, i);
		st = 0;
		for (i = 0; i < 40 && st != 429; i++) {
			char user[32];
			snprintf(user, sizeof user, "nobody%d", i);
			st = client_login(&anon, user, "not the password");
		}
		st = client_login(&anon, "ineke", STAFF_PASSWORD);
		CHECK(st == 429, "this address is throttled even with a right password: %ld", st);
		r = client_req(&admin, "GET", "/api/v1/school", NULL, NULL, NULL);
		CHECK(r.status == 200, "logged-in users are still served: %ld", r.status);
		resp_free(&r);
	}

	client_free(&admin);
	client_free(&anna);
	client_free(&anna2);
	client_free(&marieke);
	client_free(&fatma);
	client_free(&anon);
	CHECK(poortd_stop(&d) == 0, "poortd stops cleanly");
	{
		char *log = test_read_file(d.log);
		CHECK(log && !strstr(log, "Sanne") && !strstr(log, "marieke@") && !strstr(log, STAFF_PASSWORD),
		      "no names, e-mail addresses or passwords in the log");
		free(log);
	}
	curl_global_cleanup();
	test_rmdir(S.dir);
	free(S.dir);
	return test_done("web_api");
}
