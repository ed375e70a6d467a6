/* csv.c - RFC 4180 reader: one pass, one state per character, no copies
 * beyond the fields themselves. */
#include "csv.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Messages are English msgids; poortctl translates them. */
#define N_(s) s

typedef struct parser {
	const char *s;
	size_t len, pos, line;
	char sep;
	csv *out;
	csv_error *err;
	/* the field being read */
	char *buf;
	size_t blen, bcap;
	/* the record being read */
	csv_record rec;
	size_t fcap;
} parser;

static int error_at(parser *ps, size_t line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int error_at(parser *ps, size_t line, const char *fmt, ...)
{
	va_list ap;

	ps->err->line = line;
	va_start(ap, fmt);
	vsnprintf(ps->err->message, sizeof ps->err->message, fmt, ap);
	va_end(ap);
	return -1;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid.
 * Rejects overlong forms, surrogates and code points above U+10FFFF. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t need;
	unsigned cp, min;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		need = 1, cp = c & 0x1f, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		need = 2, cp = c & 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		need = 3, cp = c & 0x07, min = 0x10000;
	else
		return 0;
	if (n < need + 1)
		return 0;
	for (size_t i = 1; i <= need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return need + 1;
}

/* The whole input must be UTF-8 without NUL bytes: checked up front so that
 * the error names the line even inside a quoted field. */
static int check_text(parser *ps)
{
	size_t line = 1, k;

	for (size_t i = 0; i < ps->len; i += k) {
		const unsigned char *c = (const unsigned char *)ps->s + i;
		if (*c == 0)
			return error_at(ps, line, N_("NUL byte"));
		if (*c == '\n' || (*c == '\r' && (i + 1 == ps->len || c[1] != '\n')))
			line++;
		if (!(k = utf8_len(c, ps->len - i)))
			return error_at(ps, line, N_("invalid UTF-8"));
	}
	return 0;
}

/* ',' or ';': whichever occurs more often outside quotes on the header line. */
static char detect_separator(const char *s, size_t len)
{
	size_t commas = 0, semicolons = 0;
	bool quoted = false;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted && (s[i] == '\n' || s[i] == '\r'))
			break;
		else if (!quoted && s[i] == ',')
			commas++;
		else if (!quoted && s[i] == ';')
			semicolons++;
	}
	return semicolons > commas ? ';' : ',';
}

static int buf_add(parser *ps, char c)
{
	if (ps->blen + 1 >= ps->bcap) {
		size_t cap = ps->bcap ? ps->bcap * 2 : 64;
		char *b = realloc(ps->buf, cap);
		if (!b)
			return error_at(ps, ps->line, N_("out of memory"));
		ps->buf = b;
		ps->bcap = cap;
	}
	ps->buf[ps->blen++] = c;
	return 0;
}

static int end_field(parser *ps)
{
	char *f;

	if (ps->rec.nfields == ps->fcap) {
		size_t cap = ps->fcap ? ps->fcap * 2 : 8;
		char **fs = realloc(ps->rec.fields, cap * sizeof *fs);
		if (!fs)
			return error_at(ps, ps->line, N_("out of memory"));
		ps->rec.fields = fs;
		ps->fcap = cap;
	}
	f = malloc(ps->blen + 1);
	if (!f)
		return error_at(ps, ps->line, N_("out of memory"));
	if (ps->blen)
		memcpy(f, ps->buf, ps->blen);
	f[ps->blen] = 0;
	ps->rec.fields[ps->rec.nfields++] = f;
	ps->blen = 0;
	return 0;
}

static void free_record(csv_record *r)
{
	for (size_t i = 0; i < r->nfields; i++)
		free(r->fields[i]);
	free(r->fields);
	memset(r, 0, sizeof *r);
}

/* Appends the finished record, or drops it when the line was blank. */
static int end_record(parser *ps, bool had_quotes)
{
	csv *c = ps->out;
	csv_record *rs;

	if (ps->rec.nfields == 1 && !had_quotes && ps->rec.fields[0][0] == 0) {
		free_record(&ps->rec);
	} else {
		rs = realloc(c->records, (c->nrecords + 1) * sizeof *rs);
		if (!rs)
			return error_at(ps, ps->line, N_("out of memory"));
		c->records = rs;
		rs[c->nrecords++] = ps->rec;
		memset(&ps->rec, 0, sizeof ps->rec);
	}
	ps->fcap = 0;
	return 0;
}

/* At a line break at pos (LF, CRLF or a lone CR): its length, else 0. */
static size_t line_break(const parser *ps, size_t pos)
{
	if (pos >= ps->len)
		return 0;
	if (ps->s[pos] == '\n')
		return 1;
	if (ps->s[pos] == '\r')
		return pos + 1 < ps->len && ps->s[pos + 1] == '\n' ? 2 : 1;
	return 0;
}

static int parse_records(parser *ps)
{
	while (ps->pos < ps->len) {
		bool had_quotes = false;
		size_t nl;

		ps->rec.line = ps->line;
		for (;;) {   /* one field per iteration */
			if (ps->pos < ps->len && ps->s[ps->pos] == '"') {
				size_t start_line = ps->line;
				had_quotes = true;
				ps->pos++;
				for (;;) {
					if (ps->pos >= ps->len)
						return error_at(ps, start_line, N_("unterminated quote"));
					if (ps->s[ps->pos] == '"') {
						if (ps->pos + 1 < ps->len && ps->s[ps->pos + 1] == '"') {
							if (buf_add(ps, '"'))
								return -1;
							ps->pos += 2;
							continue;
						}
						ps->pos++;
						break;
					}
					if ((nl = line_break(ps, ps->pos))) {
						ps->line++;
						ps->pos += nl;
						if (buf_add(ps, '\n'))
							return -1;
						continue;
					}
					if (buf_add(ps, ps->s[ps->pos++]))
						return -1;
				}
				if (ps->pos < ps->len && ps->s[ps->pos] != ps->sep && !line_break(ps, ps->pos))
					return error_at(ps, ps->line, N_("text after a closing quote"));
			} else {
				while (ps->pos < ps->len && ps->s[ps->pos] != ps->sep && !line_break(ps, ps->pos)) {
					if (ps->s[ps->pos] == '"')
						return error_at(ps, ps->line, N_("quote inside an unquoted field"));
					if (buf_add(ps, ps->s[ps->pos++]))
						return -1;
				}
			}
			if (end_field(ps))
				return -1;
			if (ps->pos < ps->len && ps->s[ps->pos] == ps->sep) {
				ps->pos++;
				continue;
			}
			break;   /* line break or end of input */
		}
		if ((nl = line_break(ps, ps->pos))) {
			ps->pos += nl;
			ps->line++;
		}
		if (end_record(ps, had_quotes))
			return -1;
	}
	return 0;
}

int csv_parse(const char *buf, size_t len, csv *out, csv_error *err)
{
	parser ps = { .s = buf, .len = len, .line = 1, .out = out, .err = err };
	int rc;

	memset(out, 0, sizeof *out);
	memset(err, 0, sizeof *err);
	if (len > CSV_MAX_INPUT)
		return error_at(&ps, 0, N_("file too large"));
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		ps.s += 3;
		ps.len -= 3;
	}
	if ((rc = check_text(&ps)) == 0) {
		ps.sep = out->separator = detect_separator(ps.s, ps.len);
		rc = parse_records(&ps);
	}
	free(ps.buf);
	free_record(&ps.rec);
	if (rc)
		csv_free(out);
	return rc;
}

void csv_free(csv *c)
{
	for (size_t i = 0; i < c->nrecords; i++)
		free_record(&c->records[i]);
	free(c->records);
	memset(c, 0, sizeof *c);
}
