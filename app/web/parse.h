/* parse.h - poortd's own small parsers: query strings and form bodies,
 * cookies, path patterns, Accept-Language, bounded request bodies.
 * Domain-free: they know nothing of pupils or the store, so the fuzz
 * targets in tests/fuzz/ link them alone. Every parser rejects rather
 * than guesses: bad percent escapes, invalid UTF-8, control characters. */
#ifndef POORTD_PARSE_H
#define POORTD_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WEB_MAX_PARAMS 64
#define WEB_MAX_PATH_ARGS 4

/* Decoded name=value pairs of a query string or an
 * application/x-www-form-urlencoded body. */
typedef struct web_params {
	int n;
	const char *name[WEB_MAX_PARAMS];
	const char *value[WEB_MAX_PARAMS];
	char *buf;               /* owns every string above */
} web_params;

/* Parses s[0..len) ("a=1&b=x%20y", '+' is a space). Returns 0, or -1 when
 * malformed (bad escape, invalid UTF-8, control character, a repeated name,
 * more than WEB_MAX_PARAMS pairs). On success the caller owns out and
 * releases it with web_params_free(); on failure out holds nothing. */
int web_params_parse(web_params *out, const char *s, size_t len);
void web_params_free(web_params *pr);
/* Value of name, or NULL. Borrowed from pr. */
const char *web_param(const web_params *pr, const char *name);

/* Copies the value of cookie `name` from a Cookie header into out (size
 * outlen). Returns the value's length, or -1 if absent, malformed or too
 * long. Values are limited to cookie-octets (RFC 6265). */
int web_cookie_get(const char *header, const char *name, char *out, size_t outlen);

/* Matches a decoded request path against a pattern such as
 * "/api/v1/pupils/{}/absences/{}": each {} matches one segment of
 * [A-Za-z0-9_.-] that is not "." or "..". The arguments are copied into
 * args[i] (each at most 63 bytes). Returns the number of arguments, or -1. */
typedef char web_path_args[WEB_MAX_PATH_ARGS][64];
int web_path_match(const char *pattern, const char *path, web_path_args args);

/* A strictly decimal id 1..2^63-1; 0 when s is anything else. */
uint64_t web_parse_id(const char *s);

/* "nl" or "en" from an Accept-Language header (NULL: "nl"): the first
 * supported language in the client's order of preference. Static string. */
const char *web_lang_pick(const char *accept_language);

/* A request body collected up to a limit. */
typedef struct web_body {
	char *data;              /* NUL-terminated; owned */
	size_t len, cap, limit;
	bool too_large;
} web_body;
/* Appends; returns -1 (and sets too_large, dropping the data) once the
 * total would pass limit, or on allocation failure. */
int web_body_append(web_body *b, const char *data, size_t len);
void web_body_free(web_body *b);

/* Whether s[0..len) is valid UTF-8 without C0 controls except \t \n \r. */
bool web_utf8_ok(const char *s, size_t len);

#endif
