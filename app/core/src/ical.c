/* ical.c - iCalendar (RFC 5545) feeds of conversations.
 *
 * Built on the public views, so a feed shows exactly what the actor may
 * see. Times are local wall-clock times with TZID=Europe/Amsterdam and a
 * VTIMEZONE that states the EU rule, so calendars place a conversation
 * right on both sides of a daylight-saving change; DTSTAMP is UTC.
 * Lines end in CRLF and are folded at 75 octets without splitting a
 * UTF-8 character; TEXT values are escaped (\\ \; \, \n).
 */
#include "core.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

struct buf {
	char *s;
	size_t len, cap;
	bool oom;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	char *grown;

	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		while (cap < b->len + n + 1)
			cap *= 2;
		if (!(grown = realloc(b->s, cap))) {
			b->oom = true;
			return;
		}
		b->s = grown;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

/* Appends one content line, folded (RFC 5545 3.1). */
static void line(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line(struct buf *b, const char *fmt, ...)
{
	char text[2048];
	size_t n, pos = 0, max = 75;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	n = strlen(text);
	while (n - pos > max) {
		size_t cut = pos + max;
		while (cut > pos && ((unsigned char)text[cut] & 0xC0) == 0x80)
			cut--;   /* never split a UTF-8 sequence */
		buf_add(b, text + pos, cut - pos);
		buf_add(b, "\r\n ", 3);
		pos = cut;
		max = 74;   /* the leading space counts */
	}
	buf_add(b, text + pos, n - pos);
	buf_add(b, "\r\n", 2);
}

/* TEXT escaping into out (at most len bytes including NUL). */
static const char *esc(const char *s, char *out, size_t len)
{
	size_t o = 0;

	for (; s && *s && o + 3 < len; s++) {
		if (*s == '\\' || *s == ';' || *s == ',') {
			out[o++] = '\\';
			out[o++] = *s;
		} else if (*s == '\n') {
			out[o++] = '\\';
			out[o++] = 'n';
		} else if ((unsigned char)*s >= 0x20) {
			out[o++] = *s;
		}
	}
	out[o] = 0;
	return out;
}

static const char *local_stamp(int64_t t, char *out)
{
	poort_day d;
	int minute;
	char day[11];

	poort_local_time(t, &d, &minute);
	poort_day_format(d, day);
	snprintf(out, 20, "%.4s%.2s%.2sT%02d%02d00", day, day + 5, day + 8, (minute / 60) % 100, minute % 60);
	return out;
}

static const char *utc_stamp(int64_t t, char *out)
{
	poort_day d = (poort_day)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
	int64_t sec = t - (int64_t)d * 86400;
	char day[11];

	poort_day_format(d, day);
	snprintf(out, 24, "%.4s%.2s%.2sT%02d%02d%02dZ", day, day + 5, day + 8, (int)(sec / 3600) % 100,
	         (int)(sec / 60 % 60), (int)(sec % 60));
	return out;
}

static void header(struct buf *b, const char *name)
{
	char e[512];

	line(b, "BEGIN:VCALENDAR");
	line(b, "VERSION:2.0");
	line(b, "PRODID:-//Poort//Gespreksplanner//NL");
	line(b, "CALSCALE:GREGORIAN");
	line(b, "METHOD:PUBLISH");
	line(b, "X-WR-CALNAME:%s", esc(name, e, sizeof e));
	line(b, "X-WR-TIMEZONE:Europe/Amsterdam");
	line(b, "BEGIN:VTIMEZONE");
	line(b, "TZID:Europe/Amsterdam");
	line(b, "BEGIN:DAYLIGHT");
	line(b, "TZOFFSETFROM:+0100");
	line(b, "TZOFFSETTO:+0200");
	line(b, "TZNAME:CEST");
	line(b, "DTSTART:19700329T020000");
	line(b, "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU");
	line(b, "END:DAYLIGHT");
	line(b, "BEGIN:STANDARD");
	line(b, "TZOFFSETFROM:+0200");
	line(b, "TZOFFSETTO:+0100");
	line(b, "TZNAME:CET");
	line(b, "DTSTART:19701025T030000");
	line(b, "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU");
	line(b, "END:STANDARD");
	line(b, "END:VTIMEZONE");
}

static void event(struct buf *b, const json_t *v, const char *summary, const char *location, int64_t now)
{
	char s1[32], s2[32], e1[1024], e2[512];
	poort_id id = jid(v, "booking") ? jid(v, "booking") : jid(v, "id");

	line(b, "BEGIN:VEVENT");
	line(b, "UID:booking-%llu-round-%llu@poort", (unsigned long long)id, (unsigned long long)jid(v, "round"));
	line(b, "DTSTAMP:%s", utc_stamp(now, s1));
	line(b, "DTSTART;TZID=Europe/Amsterdam:%s", local_stamp(json_integer_value(json_object_get(v, "start")), s1));
	line(b, "DTEND;TZID=Europe/Amsterdam:%s", local_stamp(json_integer_value(json_object_get(v, "end")), s2));
	line(b, "SUMMARY:%s", esc(summary, e1, sizeof e1));
	if (location)
		line(b, "LOCATION:%s", esc(location, e2, sizeof e2));
	line(b, "STATUS:CONFIRMED");
	line(b, "TRANSP:OPAQUE");
	line(b, "END:VEVENT");
}

static poort_err finish(struct buf *b, char **out)
{
	line(b, "END:VCALENDAR");
	if (b->oom) {
		free(b->s);
		return POORT_E_NOMEM;
	}
	*out = b->s;
	return POORT_OK;
}

/* A translated template with two "%s" filled in (translations are data, so
 * never handed to printf as a format). */
static void fill2(char *out, size_t len, const char *tmpl, const char *a, const char *b)
{
	const char *args[2] = { a ? a : "", b ? b : "" };
	size_t o = 0, k = 0;

	for (; *tmpl && o + 1 < len; tmpl++) {
		if (tmpl[0] == '%' && tmpl[1] == 's' && k < 2) {
			for (const char *c = args[k++]; *c && o + 1 < len; c++)
				out[o++] = *c;
			tmpl++;
		} else {
			out[o++] = *tmpl;
		}
	}
	out[o] = 0;
}

static char *school_name(poort *p)
{
	json_t *s = NULL;
	char *name = NULL;

	if (poort_school_get(p, POORT_ACTOR_ANONYMOUS, &s) == POORT_OK && jstr(s, "name"))
		name = strdup(jstr(s, "name"));
	json_decref(s);
	return name;
}

poort_err poort_ical_guardian(poort *p, poort_id actor, const char *lang, char **out)
{
	struct buf b = { NULL, 0, 0, false };
	json_t *mine = NULL, *v;
	char summary[768], *school = NULL;
	size_t i;
	poort_err err;

	*out = NULL;
	if ((err = poort_guardian_bookings(p, actor, 0, &mine)))
		return err;
	school = school_name(p);
	header(&b, poort_gettext(lang, "Parent-teacher conversations"));
	json_array_foreach(json_object_get(mine, "bookings"), i, v) {
		fill2(summary, sizeof summary, poort_gettext(lang, "Conversation about %s with %s"), jstr(v, "pupil_name"),
		      jstr(v, "staff_name"));
		event(&b, v, summary, school, poort_now(p));
	}
	err = finish(&b, out);
	free(school);
	json_decref(mine);
	return err;
}

poort_err poort_ical_teacher(poort *p, poort_id actor, poort_id staff, const char *lang, char **out)
{
	struct buf b = { NULL, 0, 0, false };
	json_t *rounds = NULL, *r, *sched, *v;
	char summary[768], *school = NULL;
	size_t i, j;
	poort_err err;

	*out = NULL;
	if ((err = poort_round_list(p, actor, &rounds)))
		return err;
	school = school_name(p);
	header(&b, poort_gettext(lang, "Parent-teacher conversations"));
	json_array_foreach(rounds, i, r) {
		err = poort_teacher_schedule(p, actor, jid(r, "id"), staff, 0, &sched);
		if (err == POORT_E_NOT_FOUND)
			continue;   /* not in this round */
		if (err)
			goto out;
		json_array_foreach(json_object_get(sched, "slots"), j, v) {
			if (!jid(v, "booking"))
				continue;
			fill2(summary, sizeof summary, poort_gettext(lang, "Conversation: %s (group %s)"),
			      jstr(v, "pupil_name"), jstr(v, "group_name"));
			event(&b, v, summary, school, poort_now(p));
		}
		json_decref(sched);
	}
	detail_clear();
	err = finish(&b, out);
	b.s = NULL;
out:
	free(b.s);
	free(school);
	json_decref(rounds);
	return err;
}
