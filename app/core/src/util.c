/* util.c - small helpers shared by the domain files. */
#include "core.h"

#include <stdio.h>

const char *jstr(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

poort_id jid(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);
	return json_is_integer(v) && json_integer_value(v) > 0 ? (poort_id)json_integer_value(v) : 0;
}

bool jbool(const json_t *o, const char *k, bool dflt)
{
	const json_t *v = json_object_get(o, k);
	return json_is_boolean(v) ? json_is_true(v) : dflt;
}

bool text_ok(const char *s, size_t max)
{
	size_t n;

	if (!s)
		return false;
	n = strlen(s);
	if (n == 0 || n > max)
		return false;
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			return false;
	/* Front-ends pass C strings, not jansson values: valid UTF-8 is
	 * checked here, by jansson's own check (json_string refuses anything
	 * else), so a broken text can never be stored and then dropped. */
	{
		json_t *j = json_string(s);
		if (!j)
			return false;
		json_decref(j);
	}
	return true;
}

const char *person_name(const json_t *rec, char *buf, size_t len)
{
	const char *first = jstr(rec, "first_name"), *middle = jstr(rec, "middle_name"),
	           *last = jstr(rec, "last_name");

	snprintf(buf, len, "%s%s%s%s%s", first ? first : "", first ? " " : "",
	         middle && *middle ? middle : "", middle && *middle ? " " : "", last ? last : "");
	return buf;
}
