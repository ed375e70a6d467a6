/* test_parse.c - poortd's parsers and template renderer, case by case. */
#include "test.h"
#include "parse.h"
#include "tmpl.h"

#include <stdlib.h>
#include <string.h>

static int parses(const char *s)
{
	web_params p;
	int rc = web_params_parse(&p, s, strlen(s));
	if (rc == 0)
		web_params_free(&p);
	return rc;
}

static char *render(const char *src, const char *json)
{
	json_t *ctx = json_loads(json, 0, NULL);
	size_t len;
	char *out = tmpl_render(src, strlen(src), ctx, "en", &len);
	json_decref(ctx);
	return out;
}

int main(void)
{
	web_params p;
	web_path_args a;
	web_body b = { .limit = 10 };
	char v[64];
	char *s;

	/* query strings and forms */
	CHECK(web_params_parse(&p, "a=1&b=caf%C3%A9+x&c=", 20) == 0, "plain form");
	CHECK(p.n == 3 && !strcmp(web_param(&p, "b"), "café x") && !strcmp(web_param(&p, "c"), ""), "values");
	CHECK(web_param(&p, "d") == NULL, "absent");
	web_params_free(&p);
	CHECK(parses("") == 0 && parses("a") == 0 && parses("&&a=1&") == 0, "empty pieces");
	CHECK(parses("a=%zz") < 0 && parses("a=%4") < 0 && parses("%") < 0, "bad escapes");
	CHECK(parses("a=%00") < 0 && parses("a=%01") < 0, "control characters");
	CHECK(parses("a=%c3%28") < 0 && parses("a=%c0%af") < 0 && parses("a=%ed%a0%80") < 0, "bad UTF-8");
	CHECK(parses("a=1&a=2") < 0, "repeated name");
	CHECK(parses("=1") < 0, "no name");

	/* cookies */
	CHECK(web_cookie_get("x=1; __Host-poort=abc; lang=en", "__Host-poort", v, sizeof v) == 3 &&
	      !strcmp(v, "abc"), "cookie");
	CHECK(web_cookie_get("lang=en", "__Host-poort", v, sizeof v) < 0, "absent cookie");
	CHECK(web_cookie_get("__Host-poort=a\"b", "__Host-poort", v, sizeof v) < 0, "bad octet");
	CHECK(web_cookie_get("x__Host-poort=abc", "__Host-poort", v, sizeof v) < 0, "name suffix");
	CHECK(web_cookie_get("lang=english", "lang", v, 3) < 0, "too long");

	/* paths */
	CHECK(web_path_match("/api/v1/pupils/{}/absences/{}", "/api/v1/pupils/12/absences/2026-11-23", a) == 2 &&
	      !strcmp(a[0], "12") && !strcmp(a[1], "2026-11-23"), "two arguments");
	CHECK(web_path_match("/api/v1/pupils/{}", "/api/v1/pupils/..", a) < 0, "dot-dot");
	CHECK(web_path_match("/api/v1/pupils/{}", "/api/v1/pupils/", a) < 0, "empty");
	CHECK(web_path_match("/api/v1/pupils/{}", "/api/v1/pupils/1/", a) < 0, "trailing slash");
	CHECK(web_path_match("/static/{}", "/static/a%2fb", a) < 0, "percent in segment");
	CHECK(web_parse_id("42") == 42 && web_parse_id("042") == 0 && web_parse_id("-1") == 0 &&
	      web_parse_id("9223372036854775808") == 0 && web_parse_id("") == 0, "ids");

	/* languages */
	CHECK(!strcmp(web_lang_pick(NULL), "nl") && !strcmp(web_lang_pick("fr"), "nl"), "default Dutch");
	CHECK(!strcmp(web_lang_pick("en-GB,en;q=0.9"), "en"), "English");
	CHECK(!strcmp(web_lang_pick("en;q=0.5, nl-BE;q=0.8"), "nl"), "by quality");
	CHECK(!strcmp(web_lang_pick("en;q=0"), "nl"), "q=0 means not");

	/* bodies */
	CHECK(web_body_append(&b, "12345", 5) == 0 && web_body_append(&b, "67890", 5) == 0, "up to the limit");
	CHECK(web_body_append(&b, "x", 1) < 0 && b.too_large && b.data == NULL, "over the limit");
	web_body_free(&b);

	/* templates: escaped by default */
	s = render("<p>{{name}}</p>", "{\"name\":\"<script>alert('x')</script> & co\"}");
	CHECK(s && !strcmp(s, "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co</p>"), "escaped: %s", s);
	free(s);
	s = render("{{#kids}}[{{name}} {{group.name}}]{{/kids}}{{^kids}}none{{/kids}}",
	           "{\"kids\":[{\"name\":\"Ann\",\"group\":{\"name\":\"3/4\"}},{\"name\":\"Bo\"}]}");
	CHECK(s && !strcmp(s, "[Ann 3/4][Bo ]"), "sections: %s", s);
	free(s);
	s = render("{{^kids}}none{{/kids}}{{#flag}}yes{{/flag}}", "{\"kids\":[],\"flag\":true}");
	CHECK(s && !strcmp(s, "noneyes"), "inverted: %s", s);
	free(s);
	s = render("{{{raw}}}|{{n}}", "{\"raw\":\"<b>x</b>\",\"n\":7}");
	CHECK(s && !strcmp(s, "<b>x</b>|7"), "raw and numbers: %s", s);
	free(s);
	s = render("{{#a}}unclosed", "{\"a\":true}");
	CHECK(s == NULL, "unclosed section is an error");
	free(s);
	s = render("{{_ Log out}}", "{}");
	CHECK(s && !strcmp(s, "Log out"), "translated text: %s", s);
	free(s);
	return test_done("web_parse");
}
