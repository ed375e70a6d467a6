/* attendance.c - the daily register and the unexplained-absence list.
 *
 * DB_ATTENDANCE key day|pupil: {"pupil", "group", "status", "by", "at",
 *   "source"?: "close" (unmarked at closing) | "checkin" (late arrival),
 *   "after_close"?: true (an administrator's correction)}
 * DB_REGISTERS key day|group: {"group", "day", "closed_by", "closed_at"}
 *
 * Decisions:
 * - Marks are for school days up to today; a future day is POORT_E_NOT_OPEN.
 * - A closed register refuses teachers (POORT_E_CLOSED). Administrators may
 *   still correct a mark (a parent phoned after closing): the mark carries
 *   "after_close" and is audited, so the unexplained list stays explainable.
 * - The unexplained list covers closed registers only; asked for one group
 *   whose register is still open it answers POORT_E_CONFLICT.
 */
#include "core.h"

#include <stdio.h>

static const char *const presence_names[] = {
	[POORT_PRESENT] = "present",
	[POORT_ABSENT] = "absent",
	[POORT_LATE] = "late",
};

const char *poort_presence_name(poort_presence s)
{
	return s >= POORT_PRESENT && s <= POORT_LATE ? presence_names[s] : "?";
}

poort_err poort_presence_parse(const char *s, poort_presence *out)
{
	for (poort_presence v = POORT_PRESENT; v <= POORT_LATE; v++) {
		if (s && strcmp(s, presence_names[v]) == 0) {
			*out = v;
			return POORT_OK;
		}
	}
	return fail(POORT_E_INVALID, "status");
}

static poort_err module_on(tx *t)
{
	return school_module_on(t, "attendance") ? POORT_OK : fail(POORT_E_MODULE_OFF, "attendance");
}

struct group_pupils_args {
	poort_id group;
	json_t *out;
};

static poort_err group_pupils_fn(tx *t, const void *k, size_t klen, json_t *pupil, void *arg)
{
	struct group_pupils_args *a = arg;

	(void)t, (void)k, (void)klen;
	if (jid(pupil, "group") == a->group)
		json_array_append(a->out, pupil);
	return POORT_OK;
}

poort_err group_pupils(tx *t, poort_id group, json_t **out)
{
	struct group_pupils_args a = { group, json_array() };
	poort_err err = store_walk(t, DB_PUPILS, NULL, 0, group_pupils_fn, &a);

	*out = result_if_ok(err, a.out);
	return err;
}

bool register_closed(tx *t, poort_day day, poort_id group)
{
	key k = key_day_id(day, group);
	return store_has(t, DB_REGISTERS, &k);
}

poort_err attendance_put(tx *t, poort_day day, poort_id pupil, poort_id group, poort_presence status,
                         const char *source)
{
	key k = key_day_id(day, pupil);
	json_t *rec = json_pack("{sI sI ss sI sI}", "pupil", (json_int_t)pupil, "group", (json_int_t)group,
	                        "status", poort_presence_name(status), "by", (json_int_t)tx_actor(t)->account,
	                        "at", (json_int_t)tx_now(t));
	poort_err err;

	if (!rec)
		return POORT_E_NOMEM;
	if (source)
		json_object_set_new(rec, "source", json_string(source));
	if (register_closed(t, day, group))
		json_object_set_new(rec, "after_close", json_true());
	err = store_put(t, DB_ATTENDANCE, &k, rec);
	json_decref(rec);
	return err;
}

/* The register's day must be a school day that has begun. */
static poort_err register_day(tx *t, poort_day day)
{
	char buf[11];
	bool yes;
	poort_err err = school_is_day(t, day, &yes);

	if (err)
		return err;
	if (!yes)
		return fail(POORT_E_NOT_SCHOOL_DAY, "%s", poort_day_format(day, buf));
	if (day > tx_today(t))
		return fail(POORT_E_NOT_OPEN, "%s is in the future", poort_day_format(day, buf));
	return POORT_OK;
}

/* Staff who keep a group's register: its teachers, ib, director, admin. */
static poort_err authz_register(tx *t, poort_id group)
{
	const actor_ctx *a = tx_actor(t);
	key k = key_id(group);

	if (!authz_is_staff(a))
		return fail(POORT_E_DENIED, "staff only");
	if (!store_has(t, DB_GROUPS, &k))
		return fail(POORT_E_NOT_FOUND, "group %llu", (unsigned long long)group);
	if (authz_sees_all_pupils(a) || authz_teaches_group(a, group))
		return POORT_OK;
	return fail(POORT_E_DENIED, "group");
}

/* ---- mark ---- */

struct mark_args {
	poort_day day;
	poort_id pupil;
	poort_presence status;
};

static poort_err mark_op(tx *t, void *arg)
{
	struct mark_args *a = arg;
	key pk = key_id(a->pupil);
	json_t *pupil = NULL, *detail = NULL;
	poort_id group;
	char buf[11];
	poort_err err;

	if ((err = module_on(t)) || (err = authz_pupil_teacher(t, a->pupil)) || (err = register_day(t, a->day)))
		return err;
	if ((err = store_get(t, DB_PUPILS, &pk, &pupil)))
		return err;
	group = jid(pupil, "group");
	json_decref(pupil);
	if (register_closed(t, a->day, group)) {
		if (!authz_is_admin(tx_actor(t)))
			return fail(POORT_E_CLOSED, "register %s", poort_day_format(a->day, buf));
		detail = json_pack("{ss ss}", "day", poort_day_format(a->day, buf), "status",
		                   poort_presence_name(a->status));
		err = audit_add(t, "register.correct", a->pupil, detail);
		json_decref(detail);
		if (err)
			return err;
	}
	return attendance_put(t, a->day, a->pupil, group, a->status, NULL);
}

poort_err poort_register_mark(poort *p, poort_id actor, poort_day day, poort_id pupil, poort_presence status)
{
	struct mark_args a = { day, pupil, status };

	detail_clear();
	if (status < POORT_PRESENT || status > POORT_LATE)
		return fail(POORT_E_INVALID, "status");
	return tx_write(p, actor, mark_op, &a);
}

/* ---- close ---- */

struct close_args {
	poort_day day;
	poort_id group;
};

static poort_err close_op(tx *t, void *arg)
{
	struct close_args *a = arg;
	key rk = key_day_id(a->day, a->group);
	json_t *pupils = NULL, *pupil, *rec = NULL, *detail = NULL;
	int unmarked = 0;
	char buf[11];
	size_t i;
	poort_err err;

	if ((err = module_on(t)) || (err = authz_register(t, a->group)) || (err = register_day(t, a->day)))
		return err;
	if (register_closed(t, a->day, a->group))
		return fail(POORT_E_CLOSED, "register %s", poort_day_format(a->day, buf));
	if ((err = group_pupils(t, a->group, &pupils)))
		return err;
	json_array_foreach(pupils, i, pupil) {
		key k = key_day_id(a->day, jid(pupil, "id"));
		if (store_has(t, DB_ATTENDANCE, &k))
			continue;
		if ((err = attendance_put(t, a->day, jid(pupil, "id"), a->group, POORT_ABSENT, "close")))
			goto out;
		unmarked++;
	}
	rec = json_pack("{sI ss sI sI}", "group", (json_int_t)a->group, "day", poort_day_format(a->day, buf),
	                "closed_by", (json_int_t)tx_actor(t)->account, "closed_at", (json_int_t)tx_now(t));
	if (!rec || (err = store_put(t, DB_REGISTERS, &rk, rec)))
		goto out;
	detail = json_pack("{ss si}", "day", buf, "unmarked", unmarked);
	err = audit_add(t, "register.close", a->group, detail);
out:
	if (!err && !rec)
		err = POORT_E_NOMEM;
	json_decref(pupils);
	json_decref(rec);
	json_decref(detail);
	return err;
}

poort_err poort_register_close(poort *p, poort_id actor, poort_day day, poort_id group)
{
	struct close_args a = { day, group };
	return tx_write(p, actor, close_op, &a);
}

/* ---- view ---- */

struct view_args {
	poort_day day;
	poort_id group;
	json_t *out;
};

static poort_err view_op(tx *t, void *arg)
{
	struct view_args *a = arg;
	json_t *pupils = NULL, *pupil, *list = NULL, *att, *rep;
	char buf[11], name[256];
	size_t i;
	poort_err err;

	if ((err = module_on(t)) || (err = authz_register(t, a->group)))
		return err;
	if ((err = group_pupils(t, a->group, &pupils)))
		return err;
	list = json_array();
	json_array_foreach(pupils, i, pupil) {
		key k = key_day_id(a->day, jid(pupil, "id"));
		att = rep = NULL;
		if ((err = store_get(t, DB_ATTENDANCE, &k, &att)) && err != POORT_E_NOT_FOUND)
			goto out;
		if ((err = absence_get(t, jid(pupil, "id"), a->day, &rep)) && err != POORT_E_NOT_FOUND) {
			json_decref(att);
			goto out;
		}
		err = POORT_OK;
		json_array_append_new(list, json_pack("{sI ss sO so}", "pupil", (json_int_t)jid(pupil, "id"), "name",
		                                      person_name(pupil, name, sizeof name), "status",
		                                      att ? json_object_get(att, "status") : json_null(),
		                                      "absence", rep ? rep : json_null()));
		json_decref(att);
	}
	a->out = json_pack("{sI ss sb so}", "group", (json_int_t)a->group, "day", poort_day_format(a->day, buf),
	                   "closed", register_closed(t, a->day, a->group), "pupils", list);
	list = NULL;
	if (!a->out)
		err = POORT_E_NOMEM;
out:
	json_decref(pupils);
	json_decref(list);
	return err;
}

poort_err poort_register_view(poort *p, poort_id actor, poort_day day, poort_id group, json_t **out)
{
	struct view_args a = { day, group, NULL };
	poort_err err = tx_read(p, actor, view_op, &a);

	*out = result_if_ok(err, a.out);
	return err;
}

/* ---- unexplained absences ---- */

struct unexplained_args {
	poort_day day;
	poort_id group;
	json_t *out;
};

static void add_contact(json_t *contacts, const char *name, const char *relation, const char *phone,
                        const char *kind)
{
	if (!phone || !*phone)
		return;   /* a contact without a number cannot be called */
	json_array_append_new(contacts, json_pack("{ss ss ss ss}", "name", name ? name : "", "relation",
	                                          relation ? relation : "", "phone", phone, "kind", kind));
}

static poort_err guardian_contact_fn(tx *t, const void *k, size_t klen, json_t *link, void *arg)
{
	key gk = key_id(klen >= 16 ? key_get_id(k, 8) : 0);
	json_t *g = NULL;
	char name[256];
	poort_err err = store_get(t, DB_GUARDIANS, &gk, &g);

	if (err)
		return err == POORT_E_NOT_FOUND ? POORT_OK : err;
	/* Staff see the phone even when it is hidden from the other guardian. */
	add_contact(arg, person_name(g, name, sizeof name), jstr(link, "relation"), jstr(g, "phone"), "guardian");
	json_decref(g);
	return POORT_OK;
}

/* Guardians' numbers first, then the emergency numbers. */
static poort_err pupil_contacts(tx *t, const json_t *pupil, json_t **out)
{
	key prefix = key_id(jid(pupil, "id"));
	json_t *contacts = json_array(), *e;
	size_t i;
	poort_err err = store_walk(t, DB_LINKS, prefix.b, prefix.len, guardian_contact_fn, contacts);

	json_array_foreach(json_object_get(pupil, "emergency_contacts"), i, e)
		add_contact(contacts, jstr(e, "name"), jstr(e, "relation"), jstr(e, "phone"), "emergency");
	*out = result_if_ok(err, contacts);
	return err;
}

static poort_err unexplained_group(tx *t, struct unexplained_args *a, poort_id group)
{
	json_t *pupils = NULL, *pupil, *att, *contacts;
	char name[256];
	size_t i;
	poort_err err = group_pupils(t, group, &pupils);

	if (err)
		return err;
	json_array_foreach(pupils, i, pupil) {
		poort_id id = jid(pupil, "id");
		key k = key_day_id(a->day, id), ak = key_id_day(id, a->day);
		bool absent;

		if (store_get(t, DB_ATTENDANCE, &k, &att) != POORT_OK)
			continue;
		absent = strcmp(jstr(att, "status") ? jstr(att, "status") : "", "absent") == 0;
		json_decref(att);
		if (!absent || store_has(t, DB_ABSENCES, &ak))
			continue;
		if ((err = pupil_contacts(t, pupil, &contacts)))
			break;
		json_array_append_new(a->out, json_pack("{sI ss sI so}", "pupil", (json_int_t)id, "name",
		                                        person_name(pupil, name, sizeof name), "group",
		                                        (json_int_t)group, "contacts", contacts));
	}
	json_decref(pupils);
	return err;
}

static poort_err closed_register_fn(tx *t, const void *k, size_t klen, json_t *reg, void *arg)
{
	struct unexplained_args *a = arg;
	const actor_ctx *act = tx_actor(t);
	poort_id group = klen == 12 ? key_get_id(k, 4) : 0;

	(void)reg;
	if (!group || (!authz_sees_all_pupils(act) && !authz_teaches_group(act, group)))
		return POORT_OK;
	return unexplained_group(t, a, group);
}

static poort_err unexplained_op(tx *t, void *arg)
{
	struct unexplained_args *a = arg;
	json_t *detail = NULL, *ids;
	char buf[11];
	size_t i;
	poort_err err;

	if ((err = module_on(t)))
		return err;
	json_array_clear(a->out);   /* the op may run twice */
	if (a->group) {
		if ((err = authz_register(t, a->group)))
			return err;
		if (!register_closed(t, a->day, a->group))
			return fail(POORT_E_CONFLICT, "register not closed");
		err = unexplained_group(t, a, a->group);
	} else {
		key prefix = key_day_id(a->day, 0);
		if ((err = authz_staff(t)))
			return err;
		err = store_walk(t, DB_REGISTERS, prefix.b, 4, closed_register_fn, a);
	}
	if (err)
		return err;
	ids = json_array();
	for (i = 0; i < json_array_size(a->out); i++)
		json_array_append(ids, json_object_get(json_array_get(a->out, i), "pupil"));
	detail = json_pack("{ss so}", "day", poort_day_format(a->day, buf), "pupils", ids);
	err = audit_add(t, "absence.unexplained.read", a->group, detail);
	json_decref(detail);
	return err;
}

poort_err poort_unexplained_absences(poort *p, poort_id actor, poort_day day, poort_id group, json_t **out)
{
	struct unexplained_args a = { day, group, json_array() };
	poort_err err = tx_write(p, actor, unexplained_op, &a);

	*out = result_if_ok(err, a.out);
	return err;
}

/* ---- invariants ---- */

static poort_err check_att_fn(tx *t, const void *k, size_t klen, json_t *rec, void *arg)
{
	json_t *v = arg, *reg = NULL;
	poort_day day = klen == 12 ? key_get_day(k, 0) : 0;
	poort_id pupil = klen == 12 ? key_get_id(k, 4) : 0;
	key pk = key_id(pupil), rk = key_day_id(day, jid(rec, "group"));
	poort_presence s;
	char buf[11];

	if (klen != 12) {
		check_report(v, "attendance.key", "record with a malformed key (%zu bytes)", klen);
		return POORT_OK;
	}
	poort_day_format(day, buf);
	if (!store_has(t, DB_PUPILS, &pk) || jid(rec, "pupil") != pupil)
		check_report(v, "attendance.pupil", "mark %s for unknown pupil %llu", buf, (unsigned long long)pupil);
	if (poort_presence_parse(jstr(rec, "status"), &s))
		check_report(v, "attendance.status", "mark %s/%llu: status", buf, (unsigned long long)pupil);
	/* Nobody but an administrator marks a closed register. */
	if (store_get(t, DB_REGISTERS, &rk, &reg) == POORT_OK) {
		if (json_integer_value(json_object_get(rec, "at")) > json_integer_value(json_object_get(reg, "closed_at")) &&
		    !jbool(rec, "after_close", false))
			check_report(v, "attendance.after_close", "mark %s/%llu made after the register closed",
			             buf, (unsigned long long)pupil);
		json_decref(reg);
	}
	detail_clear();
	return POORT_OK;
}

static poort_err check_reg_fn(tx *t, const void *k, size_t klen, json_t *rec, void *arg)
{
	json_t *v = arg;
	key gk = key_id(klen == 12 ? key_get_id(k, 4) : 0);
	char buf[11];

	if (klen != 12 || !store_has(t, DB_GROUPS, &gk) || jid(rec, "group") != key_get_id(k, 4))
		check_report(v, "register.group", "register %s for an unknown group",
		             klen == 12 ? poort_day_format(key_get_day(k, 0), buf) : "?");
	return POORT_OK;
}

poort_err attendance_check(tx *t, json_t *violations)
{
	poort_err err = store_walk(t, DB_ATTENDANCE, NULL, 0, check_att_fn, violations);
	return err ? err : store_walk(t, DB_REGISTERS, NULL, 0, check_reg_fn, violations);
}
