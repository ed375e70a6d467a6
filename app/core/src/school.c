/* school.c - the school's settings and calendar. */
#include "core.h"

#include <stdio.h>

static const char *const modules[] = { "absence", "attendance", "checkin", "conversations", "corrections" };

static key settings_key(void)
{
	return key_str("meta", "school");
}

poort_err school_init_defaults(tx *t)
{
	json_t *s = json_pack("{ss ss ss s[iiiii] s[] s[] s{sbsbsbsbsb} si}", "name", "Basisschool",
	                      "time_zone", "Europe/Amsterdam", "absence_cutoff", "08:30", "school_days", 1,
	                      2, 3, 4, 5, "holidays", "extra_days_off", "modules", "absence", 1, "attendance",
	                      1, "checkin", 1, "conversations", 1, "corrections", 1, "max_portal_guardians", 2);
	key k = settings_key();
	poort_err err;

	if (!s)
		return POORT_E_NOMEM;
	err = store_put(t, DB_META, &k, s);
	json_decref(s);
	return err;
}

poort_err school_settings(tx *t, const json_t **out)
{
	json_t **cache = tx_school_cache(t);
	key k = settings_key();
	poort_err err;

	if (!*cache && (err = store_get(t, DB_META, &k, cache)))
		return err == POORT_E_NOT_FOUND ? fail(POORT_E_CORRUPT, "school settings missing") : err;
	*out = *cache;
	return POORT_OK;
}

static bool parse_hhmm(const char *s, int *minute)
{
	int h, m, n = 0;

	if (!s || strlen(s) != 5 || sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || n != 5 || s[2] != ':' ||
	    h < 0 || h > 23 || m < 0 || m > 59)
		return false;
	*minute = h * 60 + m;
	return true;
}

int school_cutoff_minute(tx *t)
{
	const json_t *s;
	int minute = 8 * 60 + 30;

	if (school_settings(t, &s) == POORT_OK)
		parse_hhmm(jstr(s, "absence_cutoff"), &minute);
	return minute;
}

bool school_module_on(tx *t, const char *module)
{
	const json_t *s;

	if (school_settings(t, &s) != POORT_OK)
		return false;
	return jbool(json_object_get(s, "modules"), module, true);
}

static bool day_in(const json_t *arr, poort_day d)
{
	size_t i;
	json_t *v;
	poort_day x, from, to;

	json_array_foreach(arr, i, v) {
		if (json_is_string(v) && poort_day_parse(json_string_value(v), &x) == POORT_OK && x == d)
			return true;
		if (json_is_object(v) && poort_day_parse(jstr(v, "from"), &from) == POORT_OK &&
		    poort_day_parse(jstr(v, "to"), &to) == POORT_OK && d >= from && d <= to)
			return true;
	}
	return false;
}

poort_err school_is_day(tx *t, poort_day d, bool *yes)
{
	const json_t *s, *days, *v;
	poort_err err;
	size_t i;
	bool weekday = false;

	*yes = false;
	if ((err = school_settings(t, &s)))
		return err;
	days = json_object_get(s, "school_days");
	json_array_foreach(days, i, v)
		if (json_integer_value(v) == poort_day_weekday(d))
			weekday = true;
	*yes = weekday && !day_in(json_object_get(s, "holidays"), d) &&
	       !day_in(json_object_get(s, "extra_days_off"), d);
	return POORT_OK;
}

/* ---- validation ---- */

static poort_err check_date_list(const json_t *v, const char *field)
{
	size_t i;
	json_t *e;
	poort_day d;

	if (!json_is_array(v))
		return fail(POORT_E_INVALID, "%s", field);
	json_array_foreach(v, i, e)
		if (!json_is_string(e) || poort_day_parse(json_string_value(e), &d))
			return fail(POORT_E_INVALID, "%s[%zu]", field, i);
	return POORT_OK;
}

static poort_err check_holidays(const json_t *v)
{
	size_t i;
	json_t *e;
	poort_day from, to;

	if (!json_is_array(v))
		return fail(POORT_E_INVALID, "holidays");
	json_array_foreach(v, i, e) {
		if (!json_is_object(e) || !text_ok(jstr(e, "name"), 100))
			return fail(POORT_E_INVALID, "holidays[%zu].name", i);
		if (poort_day_parse(jstr(e, "from"), &from))
			return fail(POORT_E_INVALID, "holidays[%zu].from", i);
		if (poort_day_parse(jstr(e, "to"), &to) || to < from)
			return fail(POORT_E_INVALID, "holidays[%zu].to", i);
		if (json_object_size(e) != 3)
			return fail(POORT_E_INVALID, "holidays[%zu]: only name, from and to", i);
	}
	return POORT_OK;
}

static poort_err check_school_days(const json_t *v)
{
	size_t i;
	json_t *e;
	unsigned seen = 0;

	if (!json_is_array(v) || json_array_size(v) == 0)
		return fail(POORT_E_INVALID, "school_days");
	json_array_foreach(v, i, e) {
		json_int_t d = json_integer_value(e);
		if (!json_is_integer(e) || d < 1 || d > 7 || (seen & (1u << d)))
			return fail(POORT_E_INVALID, "school_days[%zu]", i);
		seen |= 1u << d;
	}
	return POORT_OK;
}

static poort_err check_modules(const json_t *v)
{
	const char *k;
	json_t *e;

	if (!json_is_object(v))
		return fail(POORT_E_INVALID, "modules");
	json_object_foreach((json_t *)v, k, e) {
		bool known = false;
		for (size_t i = 0; i < sizeof modules / sizeof modules[0]; i++)
			known |= strcmp(k, modules[i]) == 0;
		if (!known || !json_is_boolean(e))
			return fail(POORT_E_INVALID, "modules.%s", k);
	}
	return POORT_OK;
}

/* Validates one settings key; POORT_E_INVALID with the field in the detail. */
static poort_err check_setting(const char *k, const json_t *v)
{
	int minute;

	if (strcmp(k, "name") == 0)
		return text_ok(json_string_value(v), 200) ? POORT_OK : fail(POORT_E_INVALID, "name");
	if (strcmp(k, "time_zone") == 0)
		return json_is_string(v) && strcmp(json_string_value(v), "Europe/Amsterdam") == 0
		           ? POORT_OK
		           : fail(POORT_E_INVALID, "time_zone: only Europe/Amsterdam is supported");
	if (strcmp(k, "absence_cutoff") == 0)
		return parse_hhmm(json_string_value(v), &minute) ? POORT_OK : fail(POORT_E_INVALID, "absence_cutoff");
	if (strcmp(k, "school_days") == 0)
		return check_school_days(v);
	if (strcmp(k, "holidays") == 0)
		return check_holidays(v);
	if (strcmp(k, "extra_days_off") == 0)
		return check_date_list(v, "extra_days_off");
	if (strcmp(k, "modules") == 0)
		return check_modules(v);
	if (strcmp(k, "max_portal_guardians") == 0)
		return json_is_integer(v) && json_integer_value(v) >= 1 && json_integer_value(v) <= 4
		           ? POORT_OK
		           : fail(POORT_E_INVALID, "max_portal_guardians");
	return fail(POORT_E_INVALID, "%s: unknown setting", k);
}

poort_err school_update(tx *t, const json_t *changes)
{
	const json_t *cur;
	json_t *next = NULL, *v;
	const char *k;
	key sk = settings_key();
	poort_err err;

	if (!json_is_object(changes))
		return fail(POORT_E_INVALID, "school");
	if ((err = school_settings(t, &cur)))
		return err;
	next = json_deep_copy(cur);
	json_object_foreach((json_t *)changes, k, v) {
		if ((err = check_setting(k, v)))
			goto out;
		if (strcmp(k, "modules") == 0)
			json_object_update(json_object_get(next, "modules"), v);
		else
			json_object_set(next, k, v);
	}
	if ((err = store_put(t, DB_META, &sk, next)))
		goto out;
	if ((err = audit_add(t, "school.update", 0, changes)))
		goto out;
	json_decref(*tx_school_cache(t));   /* later reads in this transaction see the change */
	*tx_school_cache(t) = NULL;
out:
	json_decref(next);
	return err;
}

static poort_err update_op(tx *t, void *arg)
{
	poort_err err = authz_admin(t);
	return err ? err : school_update(t, arg);
}

poort_err poort_school_update(poort *p, poort_id actor, const json_t *changes)
{
	return tx_write(p, actor, update_op, (void *)changes);
}

static poort_err get_op(tx *t, void *arg)
{
	const json_t *s;
	poort_err err = school_settings(t, &s);

	if (!err)
		*(json_t **)arg = json_deep_copy(s);
	return err;
}

poort_err poort_school_get(poort *p, poort_id actor, json_t **out)
{
	*out = NULL;
	return tx_read(p, actor, get_op, out);
}

struct day_args {
	poort_day d;
	bool yes;
};

static poort_err day_op(tx *t, void *arg)
{
	struct day_args *a = arg;
	return school_is_day(t, a->d, &a->yes);
}

poort_err poort_school_day(poort *p, poort_day d, bool *is_school_day)
{
	struct day_args a = { d, false };
	poort_err err = tx_read(p, POORT_ACTOR_ANONYMOUS, day_op, &a);

	*is_school_day = a.yes;
	return err;
}

static poort_err cutoff_op(tx *t, void *arg)
{
	*(int *)arg = school_cutoff_minute(t);
	return POORT_OK;
}

poort_err poort_school_cutoff(poort *p, int *minute_of_day)
{
	return tx_read(p, POORT_ACTOR_ANONYMOUS, cutoff_op, minute_of_day);
}

poort_err school_check(tx *t, json_t *v)
{
	const json_t *s, *val;
	const char *k;
	poort_err err = school_settings(t, &s);

	if (err)
		return err;
	json_object_foreach((json_t *)s, k, val)
		if (check_setting(k, val) != POORT_OK)
			check_report(v, "school.settings", "setting %s: %s", k, poort_error_detail());
	return POORT_OK;
}
