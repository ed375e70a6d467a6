/* tmpl.c - see tmpl.h. Every value is escaped unless a template asks for
 * {{{raw}}}, so a pupil called <script> stays text. */
#include "tmpl.h"

#include <poort/poort.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TMPL_DEPTH 16

typedef struct out { char *b; size_t len, cap; bool bad; } out;

static void put(out *o, const char *s, size_t n)
{
	if (o->bad)
		return;
	if (o->len + n + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 4096;
		while (cap < o->len + n + 1)
			cap *= 2;
		char *b = realloc(o->b, cap);
		if (!b) {
			o->bad = true;
			return;
		}
		o->b = b;
		o->cap = cap;
	}
	memcpy(o->b + o->len, s, n);
	o->len += n;
	o->b[o->len] = '\0';
}

static void put_escaped(out *o, const char *s, size_t n)
{
	size_t start = 0;

	for (size_t i = 0; i < n; i++) {
		const char *rep = NULL;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		}
		if (rep) {
			put(o, s + start, i - start);
			put(o, rep, strlen(rep));
			start = i + 1;
		}
	}
	put(o, s + start, n - start);
}

typedef struct ctx { const json_t *stack[TMPL_DEPTH]; int n; const char *lang; } ctx;

static const json_t *lookup(const ctx *c, const char *name, size_t len)
{
	char key[128];
	const json_t *v = NULL;
	const char *dot;

	while (len && name[len - 1] == ' ')
		len--;
	while (len && *name == ' ') {
		name++;
		len--;
	}
	if (len == 1 && name[0] == '.')
		return c->stack[c->n - 1];
	if (len == 0 || len >= sizeof key)
		return NULL;
	memcpy(key, name, len);
	key[len] = '\0';
	dot = strchr(key, '.');
	if (dot)
		key[dot - key] = '\0';
	for (int i = c->n - 1; i >= 0 && !v; i--)
		if (json_is_object(c->stack[i]))
			v = json_object_get(c->stack[i], key);
	while (v && dot) {   /* a.b.c */
		const char *next = strchr(dot + 1, '.');
		char part[128];
		size_t pl = next ? (size_t)(next - dot - 1) : strlen(dot + 1);
		memcpy(part, dot + 1, pl);
		part[pl] = '\0';
		v = json_is_object(v) ? json_object_get(v, part) : NULL;
		dot = next;
	}
	return v;
}

static bool truthy(const json_t *v)
{
	if (!v || json_is_null(v) || json_is_false(v))
		return false;
	if (json_is_string(v))
		return json_string_length(v) > 0;
	if (json_is_array(v))
		return json_array_size(v) > 0;
	if (json_is_object(v))
		return json_object_size(v) > 0;
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	return true;
}

static void put_value(out *o, const json_t *v, bool raw)
{
	char num[64];

	if (json_is_string(v)) {
		if (raw)
			put(o, json_string_value(v), json_string_length(v));
		else
			put_escaped(o, json_string_value(v), json_string_length(v));
	} else if (json_is_integer(v)) {
		snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
		put(o, num, strlen(num));
	} else if (json_is_real(v)) {
		snprintf(num, sizeof num, "%.1f", json_real_value(v));
		put(o, num, strlen(num));
	}
}

/* Finds the {{/name}} closing the section opened just before s. */
static const char *find_close(const char *s, const char *end, const char *name, size_t nlen)
{
	int depth = 0;

	while (s < end) {
		const char *t = strstr(s, "{{");
		if (!t || t >= end)
			return NULL;
		if ((t[2] == '#' || t[2] == '^') && strncmp(t + 3, name, nlen) == 0 && t[3 + nlen] == '}')
			depth++;
		else if (t[2] == '/' && strncmp(t + 3, name, nlen) == 0 && t[3 + nlen] == '}') {
			if (depth == 0)
				return t;
			depth--;
		}
		s = t + 2;
	}
	return NULL;
}

static bool render(out *o, ctx *c, const char *s, const char *end)
{
	while (s < end && !o->bad) {
		const char *t = strstr(s, "{{");
		const char *close;
		if (!t || t >= end) {
			put(o, s, (size_t)(end - s));
			break;
		}
		put(o, s, (size_t)(t - s));
		if (t[2] == '{') {                           /* {{{raw}}} */
			if (!(close = strstr(t, "}}}")) || close > end)
				return false;
			const json_t *v = lookup(c, t + 3, (size_t)(close - t - 3));
			if (v)
				put_value(o, v, true);
			s = close + 3;
			continue;
		}
		if (!(close = strstr(t, "}}")) || close > end)
			return false;
		const char *name = t + 3;
		size_t nlen = (size_t)(close - name);
		switch (t[2]) {
		case '_': {                                  /* {{_ text}} */
			char msg[512];
			size_t ml = (size_t)(close - t - 3);
			if (ml && t[3] == ' ') {
				ml--;
				memcpy(msg, t + 4, ml < sizeof msg ? ml : sizeof msg - 1);
			} else {
				memcpy(msg, t + 3, ml < sizeof msg ? ml : sizeof msg - 1);
			}
			msg[ml < sizeof msg ? ml : sizeof msg - 1] = '\0';
			const char *tr = poort_gettext(c->lang, msg);
			put_escaped(o, tr, strlen(tr));
			break;
		}
		case '#':
		case '^': {
			const char *body = close + 2;
			const char *sec_end = find_close(body, end, name, nlen);
			const json_t *v = lookup(c, name, nlen);
			if (!sec_end)
				return false;
			if (t[2] == '^') {
				if (!truthy(v) && !render(o, c, body, sec_end))
					return false;
			} else if (truthy(v)) {
				if (c->n == TMPL_DEPTH)
					return false;
				if (json_is_array(v)) {
					size_t i;
					const json_t *e;
					json_array_foreach(v, i, e) {
						c->stack[c->n++] = e;
						bool ok = render(o, c, body, sec_end);
						c->n--;
						if (!ok)
							return false;
					}
				} else {
					const json_t *inner = json_is_object(v) ? v : c->stack[c->n - 1];
					c->stack[c->n++] = inner;
					bool ok = render(o, c, body, sec_end);
					c->n--;
					if (!ok)
						return false;
				}
			}
			s = sec_end + 5 + nlen;   /* past {{/name}} */
			continue;
		}
		case '/':
			return false;        /* a close without an open */
		default: {
			const json_t *v = lookup(c, t + 2, (size_t)(close - t - 2));
			if (v)
				put_value(o, v, false);
		}
		}
		s = close + 2;
	}
	return !o->bad;
}

char *tmpl_render(const char *src, size_t srclen, const json_t *data, const char *lang, size_t *len)
{
	out o = { 0 };
	ctx c = { .stack = { data }, .n = 1, .lang = lang };

	put(&o, "", 0);
	if (!render(&o, &c, src, src + srclen) || o.bad) {
		free(o.b);
		return NULL;
	}
	*len = o.len;
	return o.b;
}
