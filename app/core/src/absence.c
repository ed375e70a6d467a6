/* absence.c - absence reports (ziekmelden).
 *
 * One record per pupil and school day, DB_ABSENCES key pupil|day:
 *   {"pupil", "day": "YYYY-MM-DD", "reason": "sick|doctor|other", "note"?,
 *    "late": bool, "reported_by": account, "reported_at": unix,
 *    "acknowledged_by"?: account, "acknowledged_at"?: unix}
 * A report for a day that already has one replaces reason and note; the
 * teacher's acknowledgement is cleared then, because what they saw changed.
 * "late" keeps the first report's value: a parent who reported on time and
 * changes the reason after the cut-off did not report late.
 *
 * Decisions the header leaves open:
 * - Past days are refused for everyone (POORT_E_TOO_LATE); the register and
 *   its unexplained-absence list cover days nobody reported.
 * - With the "absence" module off, report, cancel and acknowledge are
 *   refused; the list stays readable (stored reports do not vanish).
 */
#include "core.h"

#include <stdio.h>

#define MAX_RANGE_DAYS 60
#define MAX_NOTE 500

static const char *const reason_names[] = {
	[POORT_REASON_SICK] = "sick",
	[POORT_REASON_DOCTOR] = "doctor",
	[POORT_REASON_OTHER] = "other",
};

const char *poort_reason_name(poort_absence_reason r)
{
	return r >= POORT_REASON_SICK && r <= POORT_REASON_OTHER ? reason_names[r] : "?";
}

poort_err poort_reason_parse(const char *s, poort_absence_reason *out)
{
	for (poort_absence_reason r = POORT_REASON_SICK; r <= POORT_REASON_OTHER; r++) {
		if (s && strcmp(s, reason_names[r]) == 0) {
			*out = r;
			return POORT_OK;
		}
	}
	return fail(POORT_E_INVALID, "reason");
}

poort_err absence_get(tx *t, poort_id pupil, poort_day day, json_t **out)
{
	key k = key_id_day(pupil, day);
	return store_get(t, DB_ABSENCES, &k, out);
}

static poort_err module_on(tx *t)
{
	return school_module_on(t, "absence") ? POORT_OK : fail(POORT_E_MODULE_OFF, "absence");
}

/* Refuses a day before today. */
static poort_err not_past(tx *t, poort_day day)
{
	char buf[11];
	return day < tx_today(t) ? fail(POORT_E_TOO_LATE, "%s is in the past", poort_day_format(day, buf))
	                         : POORT_OK;
}

/* ---- report ---- */

struct report_args {
	poort_id pupil;
	poort_day from, to;
	poort_absence_reason reason;
	const char *note;
	json_t *result;   /* out */
};

/* Writes (or updates) the report for one school day; counts into *updated
 * and ORs the stored "late" into *late. */
static poort_err report_day(tx *t, const struct report_args *a, poort_day day, bool late_now, int *updated,
                            bool *late_out)
{
	key k = key_id_day(a->pupil, day);
	json_t *old = NULL, *rec = NULL;
	char buf[11];
	poort_err err = store_get(t, DB_ABSENCES, &k, &old);
	bool late = late_now;

	if (err && err != POORT_E_NOT_FOUND)
		return err;
	if (old) {
		(*updated)++;
		late = jbool(old, "late", false);
	}
	rec = json_pack("{sI ss ss sb sI sI}", "pupil", (json_int_t)a->pupil, "day", poort_day_format(day, buf),
	                "reason", poort_reason_name(a->reason), "late", late, "reported_by",
	                (json_int_t)tx_actor(t)->account, "reported_at", (json_int_t)tx_now(t));
	if (!rec) {
		err = POORT_E_NOMEM;
		goto out;
	}
	if (a->note && *a->note)
		json_object_set_new(rec, "note", json_string(a->note));
	if (old && jid(old, "first_reported_at"))
		json_object_set(rec, "first_reported_at", json_object_get(old, "first_reported_at"));
	else if (old)
		json_object_set(rec, "first_reported_at", json_object_get(old, "reported_at"));
	err = store_put(t, DB_ABSENCES, &k, rec);
	*late_out |= late;
out:
	json_decref(old);
	json_decref(rec);
	return err;
}

static poort_err report_op(tx *t, void *arg)
{
	struct report_args *a = arg;
	json_t *days = NULL, *detail = NULL;
	poort_day today;
	int minute, updated = 0;
	bool late = false, yes;
	char buf[11];
	poort_err err;

	if ((err = module_on(t)) || (err = authz_pupil_parent(t, a->pupil)))
		return err;
	if ((err = not_past(t, a->from)))
		return err;
	poort_local_time(tx_now(t), &today, &minute);
	days = json_array();
	for (poort_day d = a->from; d <= a->to; d++) {
		if ((err = school_is_day(t, d, &yes)))
			goto out;
		if (!yes)
			continue;
		/* Only a report for today can be late; the cut-off is local time. */
		bool late_now = d == today && minute >= school_cutoff_minute(t);
		if ((err = report_day(t, a, d, late_now, &updated, &late)))
			goto out;
		json_array_append_new(days, json_string(poort_day_format(d, buf)));
	}
	if (json_array_size(days) == 0) {
		err = fail(POORT_E_NOT_SCHOOL_DAY, a->from == a->to ? "%s" : "no school day from %s",
		           poort_day_format(a->from, buf));
		goto out;
	}
	detail = json_pack("{sO ss sb si}", "days", days, "reason", poort_reason_name(a->reason), "late", late,
	                   "updated", updated);
	if ((err = audit_add(t, "absence.report", a->pupil, detail)))
		goto out;
	json_decref(a->result);
	a->result = json_pack("{sO sb sb si}", "days", days, "late", late, "call_school", late, "updated",
	                      updated);
	err = a->result ? POORT_OK : POORT_E_NOMEM;
out:
	json_decref(days);
	json_decref(detail);
	return err;
}

poort_err poort_absence_report(poort *p, poort_id actor, poort_id pupil, poort_day from, poort_day to,
                               poort_absence_reason reason, const char *note, json_t **result)
{
	struct report_args a = { pupil, from, to, reason, note, NULL };
	poort_err err;

	*result = NULL;
	detail_clear();
	if (reason < POORT_REASON_SICK || reason > POORT_REASON_OTHER)
		return fail(POORT_E_INVALID, "reason");
	if (note && *note && !text_ok(note, MAX_NOTE))
		return fail(POORT_E_INVALID, "note");
	if (reason == POORT_REASON_OTHER && !(note && *note))
		return fail(POORT_E_INVALID, "note: required for reason other");
	if (to < from)
		return fail(POORT_E_INVALID, "to: before from");
	if (to - from >= MAX_RANGE_DAYS)
		return fail(POORT_E_INVALID, "to: at most %d days", MAX_RANGE_DAYS);
	err = tx_write(p, actor, report_op, &a);
	*result = result_if_ok(err, a.result);
	return err;
}

/* ---- cancel and acknowledge ---- */

struct day_args {
	poort_id pupil;
	poort_day day;
};

static poort_err cancel_op(tx *t, void *arg)
{
	struct day_args *a = arg;
	key k = key_id_day(a->pupil, a->day);
	json_t *detail;
	char buf[11];
	poort_err err;

	if ((err = module_on(t)) || (err = authz_pupil_parent(t, a->pupil)))
		return err;
	if (a->day <= tx_today(t))
		return fail(POORT_E_TOO_LATE, "%s has started", poort_day_format(a->day, buf));
	if (!store_has(t, DB_ABSENCES, &k))
		return fail(POORT_E_NOT_FOUND, "no report for %s", poort_day_format(a->day, buf));
	if ((err = store_del(t, DB_ABSENCES, &k)))
		return err;
	detail = json_pack("{ss}", "day", poort_day_format(a->day, buf));
	err = audit_add(t, "absence.cancel", a->pupil, detail);
	json_decref(detail);
	return err;
}

poort_err poort_absence_cancel(poort *p, poort_id actor, poort_id pupil, poort_day day)
{
	struct day_args a = { pupil, day };
	return tx_write(p, actor, cancel_op, &a);
}

static poort_err ack_op(tx *t, void *arg)
{
	struct day_args *a = arg;
	key k = key_id_day(a->pupil, a->day);
	json_t *rec = NULL, *detail = NULL;
	char buf[11];
	poort_err err;

	if ((err = module_on(t)) || (err = authz_pupil_teacher(t, a->pupil)))
		return err;
	if ((err = store_get(t, DB_ABSENCES, &k, &rec)))
		return err == POORT_E_NOT_FOUND ? fail(err, "no report for %s", poort_day_format(a->day, buf)) : err;
	if (jid(rec, "acknowledged_by"))
		goto out;   /* already acknowledged: nothing to change */
	json_object_set_new(rec, "acknowledged_by", json_integer((json_int_t)tx_actor(t)->account));
	json_object_set_new(rec, "acknowledged_at", json_integer((json_int_t)tx_now(t)));
	if ((err = store_put(t, DB_ABSENCES, &k, rec)))
		goto out;
	detail = json_pack("{ss}", "day", poort_day_format(a->day, buf));
	err = audit_add(t, "absence.acknowledge", a->pupil, detail);
out:
	json_decref(rec);
	json_decref(detail);
	return err;
}

poort_err poort_absence_acknowledge(poort *p, poort_id actor, poort_id pupil, poort_day day)
{
	struct day_args a = { pupil, day };
	return tx_write(p, actor, ack_op, &a);
}

/* ---- list ---- */

struct list_args {
	poort_day day;
	poort_id group;
	json_t *out;
};

/* Appends pupil's report for the day (if any) in the list's shape. */
static poort_err list_pupil(tx *t, const json_t *pupil, struct list_args *a)
{
	json_t *rec = NULL, *e;
	char name[256];
	poort_err err = absence_get(t, jid(pupil, "id"), a->day, &rec);

	if (err)
		return err == POORT_E_NOT_FOUND ? POORT_OK : err;
	e = json_pack("{sI ss sI sO sO sO sb sO sO sO}", "pupil", (json_int_t)jid(pupil, "id"), "pupil_name",
	              person_name(pupil, name, sizeof name), "group", (json_int_t)jid(pupil, "group"), "day",
	              json_object_get(rec, "day"), "reason", json_object_get(rec, "reason"), "note",
	              json_object_get(rec, "note") ? json_object_get(rec, "note") : json_null(), "late",
	              jbool(rec, "late", false), "reported_by", json_object_get(rec, "reported_by"),
	              "reported_at", json_object_get(rec, "reported_at"), "acknowledged_by",
	              json_object_get(rec, "acknowledged_by") ? json_object_get(rec, "acknowledged_by")
	                                                     : json_null());
	json_decref(rec);
	if (!e)
		return POORT_E_NOMEM;
	json_array_append_new(a->out, e);
	return POORT_OK;
}

static poort_err list_staff_fn(tx *t, const void *k, size_t klen, json_t *pupil, void *arg)
{
	struct list_args *a = arg;
	const actor_ctx *act = tx_actor(t);
	poort_id group = jid(pupil, "group");

	(void)k, (void)klen;
	if (a->group ? group != a->group : !authz_sees_all_pupils(act) && !authz_teaches_group(act, group))
		return POORT_OK;
	return list_pupil(t, pupil, a);
}

static poort_err list_child_fn(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	struct list_args *a = arg;
	poort_id pupil_id = klen >= 16 ? key_get_id(k, 8) : 0;
	key pk = key_id(pupil_id);
	json_t *pupil = NULL;
	poort_err err;

	(void)val;
	if (!authz_is_guardian_of(t, tx_actor(t), pupil_id))
		return POORT_OK;
	if ((err = store_get(t, DB_PUPILS, &pk, &pupil)))
		return err == POORT_E_NOT_FOUND ? POORT_OK : err;
	if (!a->group || jid(pupil, "group") == a->group)
		err = list_pupil(t, pupil, a);
	json_decref(pupil);
	return err;
}

static poort_err list_op(tx *t, void *arg)
{
	struct list_args *a = arg;
	const actor_ctx *act = tx_actor(t);

	json_array_clear(a->out);
	if (act->role == POORT_ROLE_PARENT && act->guardian) {
		key prefix = key_id(act->guardian);
		return store_walk(t, DB_GUARDIAN_PUPILS, prefix.b, prefix.len, list_child_fn, a);
	}
	if (!authz_is_staff(act))
		return fail(POORT_E_DENIED, "absences");
	if (a->group && !authz_sees_all_pupils(act) && !authz_teaches_group(act, a->group))
		return fail(POORT_E_DENIED, "group");
	return store_walk(t, DB_PUPILS, NULL, 0, list_staff_fn, a);
}

poort_err poort_absence_list(poort *p, poort_id actor, poort_day day, poort_id group, json_t **out)
{
	struct list_args a = { day, group, json_array() };
	poort_err err = tx_read(p, actor, list_op, &a);

	*out = result_if_ok(err, a.out);
	return err;
}

/* ---- invariants ---- */

static poort_err check_fn(tx *t, const void *k, size_t klen, json_t *rec, void *arg)
{
	json_t *v = arg;
	poort_id pupil = klen == 12 ? key_get_id(k, 0) : 0;
	poort_day day = klen == 12 ? key_get_day(k, 8) : 0, d;
	key pk = key_id(pupil);
	poort_absence_reason r = 0;
	char buf[11];

	if (klen != 12) {
		check_report(v, "absence.key", "record with a malformed key (%zu bytes)", klen);
		return POORT_OK;
	}
	poort_day_format(day, buf);
	if (!store_has(t, DB_PUPILS, &pk))
		check_report(v, "absence.pupil", "report %s for unknown pupil %llu", buf, (unsigned long long)pupil);
	if (jid(rec, "pupil") != pupil || poort_day_parse(jstr(rec, "day"), &d) || d != day)
		check_report(v, "absence.key", "report %llu/%s: key and record disagree", (unsigned long long)pupil, buf);
	if (poort_reason_parse(jstr(rec, "reason"), &r))
		check_report(v, "absence.reason", "report %llu/%s: reason", (unsigned long long)pupil, buf);
	else if (r == POORT_REASON_OTHER && !jstr(rec, "note"))
		check_report(v, "absence.note", "report %llu/%s: reason other without a note", (unsigned long long)pupil, buf);
	if (!jid(rec, "reported_by") && json_integer_value(json_object_get(rec, "reported_by")) != -1)
		check_report(v, "absence.reporter", "report %llu/%s: no reporter", (unsigned long long)pupil, buf);
	detail_clear();
	return POORT_OK;
}

poort_err absence_check(tx *t, json_t *violations)
{
	return store_walk(t, DB_ABSENCES, NULL, 0, check_fn, violations);
}
