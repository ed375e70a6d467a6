/* parse.c - see parse.h. Small on purpose: every function is fuzzed. */
#include "parse.h"

#include <stdlib.h>
#include <string.h>

bool web_utf8_ok(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i];
		size_t n;
		unsigned cp;

		if (c < 0x80) {
			if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
				return false;
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) { n = 1; cp = c & 0x1f; }
		else if (c >= 0xe0 && c <= 0xef) { n = 2; cp = c & 0x0f; }
		else if (c >= 0xf0 && c <= 0xf4) { n = 3; cp = c & 0x07; }
		else return false;
		if (len - i <= n)
			return false;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		/* overlong forms, surrogates, beyond U+10FFFF */
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* Percent-decodes s[0..len) into out (room for len+1); returns the decoded
 * length or -1. */
static long form_decode(const char *s, size_t len, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '+') {
			out[o++] = ' ';
		} else if (s[i] == '%') {
			int h, l;
			if (i + 2 >= len)
				return -1;
			h = hexval(s[i + 1]);
			l = hexval(s[i + 2]);
			if (h < 0 || l < 0)
				return -1;
			out[o++] = (char)(h * 16 + l);
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	if (!web_utf8_ok(out, o) || memchr(out, '\0', o))
		return -1;
	return (long)o;
}

void web_params_free(web_params *pr)
{
	free(pr->buf);
	memset(pr, 0, sizeof *pr);
}

int web_params_parse(web_params *out, const char *s, size_t len)
{
	size_t i = 0;
	char *w;

	memset(out, 0, sizeof *out);
	out->buf = malloc(len + 2 * WEB_MAX_PARAMS + 2);
	if (!out->buf)
		return -1;
	w = out->buf;
	while (i < len) {
		size_t end = i, eq;
		long nl, vl;

		while (end < len && s[end] != '&')
			end++;
		if (end == i) {          /* "a=1&&b=2": skip empty pieces */
			i++;
			continue;
		}
		if (out->n == WEB_MAX_PARAMS)
			goto bad;
		eq = i;
		while (eq < end && s[eq] != '=')
			eq++;
		if (eq == i)
			goto bad;        /* no name */
		if ((nl = form_decode(s + i, eq - i, w)) <= 0)
			goto bad;
		out->name[out->n] = w;
		w += nl + 1;
		vl = eq < end ? form_decode(s + eq + 1, end - eq - 1, w) : form_decode("", 0, w);
		if (vl < 0)
			goto bad;
		out->value[out->n] = w;
		w += vl + 1;
		for (int k = 0; k < out->n; k++)
			if (strcmp(out->name[k], out->name[out->n]) == 0)
				goto bad;
		out->n++;
		i = end + 1;
	}
	return 0;
bad:
	web_params_free(out);
	return -1;
}

const char *web_param(const web_params *pr, const char *name)
{
	for (int i = 0; i < pr->n; i++)
		if (strcmp(pr->name[i], name) == 0)
			return pr->value[i];
	return NULL;
}

static bool cookie_octet(unsigned char c)
{
	/* RFC 6265: %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E */
	return c == 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a) ||
	       (c >= 0x3c && c <= 0x5b) || (c >= 0x5d && c <= 0x7e);
}

int web_cookie_get(const char *h, const char *name, char *out, size_t outlen)
{
	size_t nlen = strlen(name);

	if (!h || outlen == 0)
		return -1;
	while (*h) {
		const char *eq, *end;
		size_t vlen;

		while (*h == ' ' || *h == ';')
			h++;
		end = strchr(h, ';');
		if (!end)
			end = h + strlen(h);
		eq = memchr(h, '=', (size_t)(end - h));
		if (eq && (size_t)(eq - h) == nlen && memcmp(h, name, nlen) == 0) {
			const char *v = eq + 1;
			vlen = (size_t)(end - v);
			while (vlen && v[vlen - 1] == ' ')
				vlen--;
			if (vlen >= outlen)
				return -1;
			for (size_t i = 0; i < vlen; i++)
				if (!cookie_octet((unsigned char)v[i]))
					return -1;
			memcpy(out, v, vlen);
			out[vlen] = '\0';
			return (int)vlen;
		}
		h = end;
	}
	return -1;
}

static bool seg_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.';
}

int web_path_match(const char *pat, const char *path, web_path_args args)
{
	int n = 0;

	while (*pat) {
		if (pat[0] == '{' && pat[1] == '}') {
			size_t len = 0;
			while (path[len] && path[len] != '/') {
				if (!seg_char(path[len]))
					return -1;
				len++;
			}
			if (len == 0 || len >= sizeof args[0] || n == WEB_MAX_PATH_ARGS)
				return -1;
			if ((len == 1 && path[0] == '.') || (len == 2 && path[0] == '.' && path[1] == '.'))
				return -1;
			memcpy(args[n], path, len);
			args[n][len] = '\0';
			n++;
			path += len;
			pat += 2;
		} else if (*pat++ != *path++) {
			return -1;
		}
	}
	return *path ? -1 : n;
}

uint64_t web_parse_id(const char *s)
{
	uint64_t v = 0;

	if (!s || !*s || *s == '0' || strlen(s) > 19)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	return v > (uint64_t)INT64_MAX ? 0 : v;
}

const char *web_lang_pick(const char *h)
{
	const char *best = "nl";
	int best_q = -1;

	if (!h)
		return best;
	/* "en-GB,en;q=0.9,nl;q=0.8": pick the highest q among nl/en; ties go
	 * to the earlier entry, as the client listed them. */
	while (*h) {
		const char *end = strchr(h, ',');
		size_t len;
		int q = 1000;
		const char *lang = NULL;

		if (!end)
			end = h + strlen(h);
		while (h < end && *h == ' ')
			h++;
		len = (size_t)(end - h);
		if (len >= 2 && (h[0] == 'n' || h[0] == 'N') && (h[1] == 'l' || h[1] == 'L') &&
		    (len == 2 || h[2] == '-' || h[2] == ';' || h[2] == ' '))
			lang = "nl";
		else if (len >= 2 && (h[0] == 'e' || h[0] == 'E') && (h[1] == 'n' || h[1] == 'N') &&
		         (len == 2 || h[2] == '-' || h[2] == ';' || h[2] == ' '))
			lang = "en";
		const char *qp = memchr(h, ';', len);
		if (qp) {
			qp++;
			while (qp < end && *qp == ' ')
				qp++;
			if (end - qp >= 3 && qp[0] == 'q' && qp[1] == '=') {
				q = 0;
				int digits = 0;
				for (const char *d = qp + 2; d < end && digits < 4; d++) {
					if (*d == '.')
						continue;
					if (*d < '0' || *d > '9')
						break;
					q = q * 10 + (*d - '0');
					digits++;
				}
				while (digits++ < 4)
					q *= 10;
			}
		}
		if (lang && q > 0 && q > best_q) {
			best = lang;
			best_q = q;
		}
		h = *end ? end + 1 : end;
	}
	return best;
}

int web_body_append(web_body *b, const char *data, size_t len)
{
	if (b->too_large)
		return -1;
	if (len > b->limit || b->len > b->limit - len) {
		free(b->data);
		b->data = NULL;
		b->len = b->cap = 0;
		b->too_large = true;
		return -1;
	}
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		while (cap < b->len + len + 1)
			cap *= 2;
		if (cap > b->limit + 1)
			cap = b->limit + 1;
		char *d = realloc(b->data, cap);
		if (!d)
			return -1;
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

void web_body_free(web_body *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
