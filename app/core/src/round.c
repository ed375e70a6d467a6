/* round.c - conversation rounds and their slots.
 *
 * Layout (see booking.c for bookings and their indexes):
 *   DB_ROUNDS  round            -> round settings (local strings and unix "_at" twins)
 *   DB_BOOKING_INDEX 'S' round staff -> {"staff","first","last","windows","starts","ends",
 *                                        "late_minutes"}: one teacher in the round
 *   DB_SLOTS   round | slot     -> {"staff","start","end","first","last","booking"?,"offer"?}
 * Slots are numbered 1..n per round, grouped by teacher and in time order,
 * so one teacher's slots are the contiguous range first..last: the nearest
 * alternatives are found without walking the whole round.
 */
#include "core.h"

#include <stdio.h>
#include <stdlib.h>

#define MAX_SLOTS 10000
#define MAX_WINDOWS 500

poort_err round_load(tx *t, poort_id round, json_t **out)
{
	key k = key_id(round);
	poort_err err = store_get_shared(t, DB_ROUNDS, &k, out);

	return err == POORT_E_NOT_FOUND ? fail(err, "round %llu", (unsigned long long)round) : err;
}

poort_err round_slot_load(tx *t, poort_id round, poort_id slot, json_t **out)
{
	key k = key_id_id(round, slot);
	poort_err err = store_get(t, DB_SLOTS, &k, out);

	return err == POORT_E_NOT_FOUND ? fail(err, "slot %llu", (unsigned long long)slot) : err;
}

key round_staff_prefix(poort_id round)
{
	key k = { .len = 1 }, id = key_id(round);

	k.b[0] = 'S';
	if (round) {
		memcpy(k.b + 1, id.b, 8);
		k.len = 9;
	}
	return k;
}

key round_staff_key(poort_id round, poort_id staff)
{
	key k = round_staff_prefix(round), id = key_id(staff);

	memcpy(k.b + k.len, id.b, 8);
	k.len += 8;
	return k;
}

poort_err round_staff_load(tx *t, poort_id round, poort_id staff, json_t **out)
{
	key k = round_staff_key(round, staff);
	poort_err err = store_get_shared(t, DB_BOOKING_INDEX, &k, out);

	return err == POORT_E_NOT_FOUND ? fail(err, "staff %llu not in round", (unsigned long long)staff) : err;
}

bool round_has_group(const json_t *round, poort_id group)
{
	size_t i;
	json_t *g;

	json_array_foreach(json_object_get(round, "groups"), i, g)
		if ((poort_id)json_integer_value(g) == group)
			return true;
	return false;
}

bool round_staff_teaches(tx *t, poort_id staff, poort_id group)
{
	key k = key_id(staff);
	json_t *rec, *g;
	size_t i;
	bool yes = false;

	if (store_get_shared(t, DB_STAFF, &k, &rec) != POORT_OK)
		return false;
	json_array_foreach(json_object_get(rec, "groups"), i, g)
		if ((poort_id)json_integer_value(g) == group)
			yes = true;
	json_decref(rec);
	return yes;
}

bool round_slot_free(const json_t *slot, int64_t now, poort_id pupil, poort_id party)
{
	const json_t *offer = json_object_get(slot, "offer");

	if (jid(slot, "booking"))
		return false;
	if (!offer || json_integer_value(json_object_get(offer, "until")) <= now)
		return true;
	return jid(offer, "pupil") == pupil && jid(offer, "party") == party;
}

const char *round_staff_name(tx *t, poort_id staff, json_t *names)
{
	char id[24];
	json_t *rec;
	key k = key_id(staff);
	const char *name;

	snprintf(id, sizeof id, "%llu", (unsigned long long)staff);
	if ((name = jstr(names, id)))
		return name;
	if (store_get_shared(t, DB_STAFF, &k, &rec) == POORT_OK) {
		json_object_set_new(names, id, json_string(jstr(rec, "name") ? jstr(rec, "name") : "?"));
		json_decref(rec);
	} else {
		json_object_set_new(names, id, json_string("?"));
	}
	return jstr(names, id);
}

json_t *round_slot_view(tx *t, poort_id round, poort_id slot, const json_t *rec, json_t *names)
{
	char a[32], b[32];
	int64_t start = json_integer_value(json_object_get(rec, "start"));
	int64_t end = json_integer_value(json_object_get(rec, "end"));
	poort_id staff = jid(rec, "staff");

	return json_pack("{sI sI sI ss sI sI ss ss}", "round", (json_int_t)round, "slot", (json_int_t)slot,
	                 "staff", (json_int_t)staff, "staff_name", round_staff_name(t, staff, names), "start",
	                 (json_int_t)start, "end", (json_int_t)end, "start_local", poort_time_format(start, a),
	                 "end_local", poort_time_format(end, b));
}

/* ---- validation ---- */

static bool parse_hhmm(const char *s, int *minute)
{
	int h, m, n = 0;

	if (!s || strlen(s) != 5 || sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || n != 5 || s[2] != ':' ||
	    h < 0 || h > 23 || m < 0 || m > 59)
		return false;
	*minute = h * 60 + m;
	return true;
}

/* "YYYY-MM-DDTHH:MM" school-local -> unix. */
static bool parse_moment(const char *s, int64_t *out)
{
	char date[11];
	poort_day d;
	int minute;

	if (!s || strlen(s) != 16 || s[10] != 'T')
		return false;
	memcpy(date, s, 10);
	date[10] = 0;
	if (poort_day_parse(date, &d) || !parse_hhmm(s + 11, &minute))
		return false;
	*out = poort_unix_time(d, minute);
	return true;
}

static poort_err int_field(json_t *spec, const char *k, int dflt, int min, int max, int *out)
{
	json_t *v = json_object_get(spec, k);

	if (!v) {
		*out = dflt;
		json_object_set_new(spec, k, json_integer(dflt));
		return POORT_OK;
	}
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
		return fail(POORT_E_INVALID, "%s: %d..%d", k, min, max);
	*out = (int)json_integer_value(v);
	return POORT_OK;
}

static poort_err moment_field(json_t *spec, const char *k, bool required, int64_t *out)
{
	char at[32];
	json_t *v = json_object_get(spec, k);

	*out = 0;
	if (!v || json_is_null(v)) {
		json_object_del(spec, k);
		return required ? fail(POORT_E_INVALID, "%s", k) : POORT_OK;
	}
	if (!parse_moment(json_string_value(v), out))
		return fail(POORT_E_INVALID, "%s: YYYY-MM-DDTHH:MM", k);
	snprintf(at, sizeof at, "%s_at", k);
	json_object_set_new(spec, at, json_integer((json_int_t)*out));
	return POORT_OK;
}

/* One generated availability window, for sorting by teacher then time. */
struct window {
	poort_id staff;
	int64_t from, to;          /* unix */
	poort_day day;
	int from_min, to_min;
	const json_t *breaks;
	size_t index;              /* in the spec, for error details */
};

static int window_cmp(const void *a, const void *b)
{
	const struct window *x = a, *y = b;

	if (x->staff != y->staff)
		return x->staff < y->staff ? -1 : 1;
	return x->from < y->from ? -1 : x->from > y->from;
}

static poort_err check_groups(tx *t, const json_t *groups)
{
	size_t i;
	json_t *g;
	key k;

	if (!json_is_array(groups) || json_array_size(groups) == 0 || json_array_size(groups) > 64)
		return fail(POORT_E_INVALID, "groups");
	json_array_foreach(groups, i, g) {
		k = key_id(json_is_integer(g) ? (poort_id)json_integer_value(g) : 0);
		if (!json_is_integer(g) || !store_has(t, DB_GROUPS, &k))
			return fail(POORT_E_INVALID, "groups[%zu]", i);
	}
	return POORT_OK;
}

static bool staff_teaches_round(tx *t, poort_id staff, const json_t *groups)
{
	size_t i;
	json_t *g;

	json_array_foreach(groups, i, g)
		if (round_staff_teaches(t, staff, (poort_id)json_integer_value(g)))
			return true;
	return false;
}

static poort_err parse_window(tx *t, const json_t *w, size_t i, const json_t *groups, struct window *out)
{
	const json_t *breaks = json_object_get(w, "breaks");
	size_t j;
	json_t *b;
	int bf, bt;

	memset(out, 0, sizeof *out);
	out->index = i;
	out->staff = jid(w, "staff");
	if (!json_is_object(w) || !out->staff)
		return fail(POORT_E_INVALID, "windows[%zu].staff", i);
	if (!staff_teaches_round(t, out->staff, groups))
		return fail(POORT_E_INVALID, "windows[%zu].staff: does not teach a group of this round", i);
	if (poort_day_parse(jstr(w, "day"), &out->day))
		return fail(POORT_E_INVALID, "windows[%zu].day", i);
	if (!parse_hhmm(jstr(w, "from"), &out->from_min))
		return fail(POORT_E_INVALID, "windows[%zu].from", i);
	if (!parse_hhmm(jstr(w, "to"), &out->to_min) || out->to_min <= out->from_min)
		return fail(POORT_E_INVALID, "windows[%zu].to", i);
	if (breaks && !json_is_array(breaks))
		return fail(POORT_E_INVALID, "windows[%zu].breaks", i);
	json_array_foreach(breaks, j, b) {
		if (!parse_hhmm(jstr(b, "from"), &bf) || !parse_hhmm(jstr(b, "to"), &bt) || bt <= bf ||
		    bf < out->from_min || bt > out->to_min)
			return fail(POORT_E_INVALID, "windows[%zu].breaks[%zu]", i, j);
	}
	out->breaks = breaks;
	out->from = poort_unix_time(out->day, out->from_min);
	out->to = poort_unix_time(out->day, out->to_min);
	return POORT_OK;
}

/* The break that [from, to) (minutes) runs into, or NULL. */
static const json_t *break_hit(const json_t *breaks, int from, int to, int *break_end)
{
	size_t j;
	json_t *b;
	int bf, bt;

	json_array_foreach(breaks, j, b) {
		parse_hhmm(jstr(b, "from"), &bf);
		parse_hhmm(jstr(b, "to"), &bt);
		if (from < bt && bf < to) {
			*break_end = bt;
			return b;
		}
	}
	return NULL;
}

struct key_list {
	key *keys;
	size_t n, cap;
};

static poort_err collect_key(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	struct key_list *l = arg;
	key *grown;

	(void)t; (void)val;
	if (klen > sizeof l->keys[0].b)
		return fail(POORT_E_CORRUPT, "key length");
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		if (!(grown = realloc(l->keys, l->cap * sizeof *grown)))
			return POORT_E_NOMEM;
		l->keys = grown;
	}
	memcpy(l->keys[l->n].b, k, klen);
	l->keys[l->n++].len = klen;
	return POORT_OK;
}

/* Deletes every record of db whose key starts with prefix, except keys of
 * exactly keep_len bytes (the round record itself). */
static poort_err delete_records(tx *t, enum db db, key prefix, size_t keep_len)
{
	struct key_list l = { NULL, 0, 0 };
	poort_err err = store_walk(t, db, prefix.b, prefix.len, collect_key, &l);

	for (size_t i = 0; !err && i < l.n; i++)
		if (l.keys[i].len != keep_len)
			err = store_del(t, db, &l.keys[i]);
	free(l.keys);
	return err;
}

/* Start minutes of the slots that fit in window w; returns the count
 * (starts may be NULL to only count). */
static size_t window_slots(const struct window *w, int len, int gap, int *starts)
{
	size_t n = 0;
	int bend;

	for (int m = w->from_min; m + len <= w->to_min;) {
		if (break_hit(w->breaks, m, m + len, &bend)) {
			m = bend;
			continue;
		}
		if (starts)
			starts[n] = m;
		n++;
		m += len + gap;
	}
	return n;
}

static poort_err write_staff_slots(tx *t, poort_id round, const json_t *windows, const struct window *w,
                                   size_t from, size_t to, int len, int gap, poort_id first, poort_id last)
{
	int starts[24 * 60];
	json_t *rec, *given = json_array(), *all_starts = json_array(), *all_ends = json_array();
	poort_id n = first;
	poort_err err = POORT_OK;
	char *state;
	key k;

	for (size_t i = from; !err && i < to; i++) {
		size_t count = window_slots(&w[i], len, gap, starts);
		json_array_append(given, json_array_get(windows, w[i].index));
		for (size_t j = 0; !err && j < count; j++) {
			int64_t start = poort_unix_time(w[i].day, starts[j]), end = poort_unix_time(w[i].day, starts[j] + len);
			rec = json_pack("{sI sI sI sI sI}", "staff", (json_int_t)w[i].staff, "start", (json_int_t)start, "end",
			                (json_int_t)end, "first", (json_int_t)first, "last", (json_int_t)last);
			k = key_id_id(round, n++);
			err = store_put(t, DB_SLOTS, &k, rec);
			json_decref(rec);
			json_array_append_new(all_starts, json_integer((json_int_t)start));
			json_array_append_new(all_ends, json_integer((json_int_t)end));
		}
	}
	if (!err) {
		/* The slots' times again, per teacher: they never change, so the
		 * nearest free slots are found without reading every slot. */
		rec = json_pack("{sI sI sI sO si sO sO}", "staff", (json_int_t)w[from].staff, "first", (json_int_t)first,
		                "last", (json_int_t)last, "windows", given, "late_minutes", 0, "starts", all_starts,
		                "ends", all_ends);
		k = round_staff_key(round, w[from].staff);
		err = store_put(t, DB_BOOKING_INDEX, &k, rec);
		json_decref(rec);
	}
	if (!err && (state = calloc(last - first + 2, 1))) {
		memset(state, SLOT_FREE, last - first + 1);
		rec = json_pack("{ss}", "state", state);
		k = booking_state_key(round, w[from].staff, false);
		err = store_put(t, DB_BOOKING_INDEX, &k, rec);
		json_decref(rec);
		free(state);
	} else if (!err) {
		err = POORT_E_NOMEM;
	}
	json_decref(given);
	json_decref(all_starts);
	json_decref(all_ends);
	return err;
}

/* Generates the slots of a validated spec and writes the per-teacher
 * records. Old slots and teacher records of the round must be gone. */
static poort_err generate_slots(tx *t, poort_id round, const json_t *spec, poort_id *nslots)
{
	const json_t *windows = json_object_get(spec, "windows");
	size_t nw = json_array_size(windows), i, run;
	struct window *w;
	int len = (int)json_integer_value(json_object_get(spec, "slot_minutes"));
	int gap = (int)json_integer_value(json_object_get(spec, "gap_minutes"));
	poort_id first = 1, count;
	poort_err err = POORT_OK;

	if (!json_is_array(windows) || nw == 0 || nw > MAX_WINDOWS)
		return fail(POORT_E_INVALID, "windows");
	w = calloc(nw, sizeof *w);
	if (!w)
		return POORT_E_NOMEM;
	for (i = 0; i < nw; i++)
		if ((err = parse_window(t, json_array_get(windows, i), i, json_object_get(spec, "groups"), &w[i])))
			goto out;
	qsort(w, nw, sizeof *w, window_cmp);
	for (i = 1; i < nw; i++)
		if (w[i].staff == w[i - 1].staff && w[i].from < w[i - 1].to) {
			err = fail(POORT_E_INVALID, "windows[%zu]: overlaps another window of this teacher", w[i].index);
			goto out;
		}
	/* One run of windows per teacher: their slots are first..first+count-1. */
	for (i = 0; i < nw; i = run) {
		count = 0;
		for (run = i; run < nw && w[run].staff == w[i].staff; run++)
			count += window_slots(&w[run], len, gap, NULL);
		if (count == 0) {
			err = fail(POORT_E_INVALID, "windows[%zu]: no slot fits", w[i].index);
			goto out;
		}
		if (first + count - 1 > MAX_SLOTS) {
			err = fail(POORT_E_LIMIT, "more than %d slots", MAX_SLOTS);
			goto out;
		}
		if ((err = write_staff_slots(t, round, windows, w, i, run, len, gap, first, first + count - 1)))
			goto out;
		first += count;
	}
	*nslots = first - 1;
out:
	free(w);
	return err;
}

/* Validates spec in place (adds defaults and the unix "_at" twins).
 * stored: spec is a stored round merged with changes, which also carries
 * what the round keeps about itself. */
static poort_err validate_spec(tx *t, json_t *spec, bool stored)
{
	static const char *const known[] = { "name", "groups", "slot_minutes", "gap_minutes", "travel_minutes",
	                                     "priority_opens", "opens", "closes", "cancel_until", "windows",
	                                     /* stored only: */ "created_at", "slots" };
	const size_t nknown = sizeof known / sizeof known[0] - (stored ? 0 : 2);
	const char *k;
	json_t *v;
	int n;
	int64_t prio, opens, closes, cancel;
	poort_err err;

	json_object_foreach(spec, k, v) {
		size_t i;
		for (i = 0; i < nknown; i++)
			if (strcmp(k, known[i]) == 0)
				break;
		if (i == nknown)
			return fail(POORT_E_INVALID, "%s: unknown field", k);
	}
	if (!text_ok(jstr(spec, "name"), 100))
		return fail(POORT_E_INVALID, "name");
	if ((err = check_groups(t, json_object_get(spec, "groups"))) ||
	    (err = int_field(spec, "slot_minutes", 10, 5, 60, &n)) ||
	    (err = int_field(spec, "gap_minutes", 0, 0, 30, &n)) ||
	    (err = int_field(spec, "travel_minutes", 5, 0, 30, &n)) ||
	    (err = moment_field(spec, "priority_opens", false, &prio)) ||
	    (err = moment_field(spec, "opens", true, &opens)) ||
	    (err = moment_field(spec, "closes", true, &closes)))
		return err;
	if (!json_object_get(spec, "cancel_until"))
		json_object_set(spec, "cancel_until", json_object_get(spec, "closes"));
	if ((err = moment_field(spec, "cancel_until", true, &cancel)))
		return err;
	if (!prio)
		json_object_del(spec, "priority_opens_at");
	if (closes <= opens)
		return fail(POORT_E_INVALID, "closes: before opens");
	if (prio && prio >= opens)
		return fail(POORT_E_INVALID, "priority_opens: after opens");
	return POORT_OK;
}

struct round_args {
	const json_t *spec;
	poort_id round;
};

static poort_err write_round(tx *t, poort_id id, json_t *spec, bool regenerate)
{
	poort_id nslots = 0;
	json_t *windows = json_incref(json_object_get(spec, "windows"));
	key k = key_id(id);
	poort_err err = POORT_OK;

	if (regenerate) {
		if ((err = delete_records(t, DB_SLOTS, key_id(id), 0)) ||
		    (err = delete_records(t, DB_BOOKING_INDEX, round_staff_prefix(id), 0)) ||
		    (err = delete_records(t, DB_BOOKING_INDEX, booking_state_key(id, 0, true), 0)) ||
		    (err = generate_slots(t, id, spec, &nslots)))
			goto out;
		json_object_set_new(spec, "slots", json_integer((json_int_t)nslots));
	}
	json_object_del(spec, "windows");   /* kept per teacher */
	json_object_set_new(spec, "id", json_integer((json_int_t)id));
	err = store_put(t, DB_ROUNDS, &k, spec);
out:
	json_decref(windows);
	return err;
}

static poort_err round_create_op(tx *t, void *arg)
{
	struct round_args *a = arg;
	json_t *spec = json_deep_copy(a->spec);
	poort_id id = 0;
	poort_err err;

	if (!json_is_object(spec)) {
		err = fail(POORT_E_INVALID, "round: not an object");
		goto out;
	}
	if ((err = authz_admin(t)) || (err = validate_spec(t, spec, false)) || (err = store_next_id(t, &id)))
		goto out;
	json_object_set_new(spec, "created_at", json_integer((json_int_t)tx_now(t)));
	if ((err = write_round(t, id, spec, true)) ||
	    (err = audit_add(t, "round.create", id, json_object_get(spec, "name"))))
		goto out;
	a->round = id;
out:
	json_decref(spec);
	return err;
}

poort_err poort_round_create(poort *p, poort_id actor, const json_t *spec, poort_id *round)
{
	struct round_args a = { spec, 0 };
	poort_err err = tx_write(p, actor, round_create_op, &a);

	*round = err ? 0 : a.round;
	return err;
}

static poort_err slot_in_use(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	(void)t; (void)k; (void)klen; (void)arg;
	return jid(val, "booking") || json_object_get(val, "offer") ? POORT_E_CONFLICT : POORT_OK;
}

/* The windows of a round as given, teacher by teacher: a new array. */
static json_t *round_windows(tx *t, poort_id round);

static poort_err round_update_op(tx *t, void *arg)
{
	struct round_args *a = arg;
	json_t *rec = NULL, *merged = NULL;
	const char *k;
	json_t *v;
	bool regenerate = json_object_get(a->spec, "windows") || json_object_get(a->spec, "slot_minutes") ||
	                  json_object_get(a->spec, "gap_minutes");
	key prefix = key_id(a->round);
	poort_err err;

	if ((err = authz_admin(t)) || (err = round_load(t, a->round, &rec)))
		goto out;
	if (!json_is_object(a->spec)) {
		err = fail(POORT_E_INVALID, "changes: not an object");
		goto out;
	}
	merged = json_deep_copy(rec);
	json_object_foreach((json_t *)a->spec, k, v) {
		if (strstr(k, "_at") || strcmp(k, "id") == 0 || strcmp(k, "slots") == 0) {
			err = fail(POORT_E_INVALID, "%s: unknown field", k);
			goto out;
		}
		json_object_set(merged, k, v);
	}
	/* Stale unix twins are recomputed from the strings. */
	json_object_del(merged, "priority_opens_at");
	json_object_del(merged, "opens_at");
	json_object_del(merged, "closes_at");
	json_object_del(merged, "cancel_until_at");
	json_object_del(merged, "id");
	if (!json_object_get(merged, "windows"))
		json_object_set_new(merged, "windows", round_windows(t, a->round));
	if (regenerate) {
		err = store_walk(t, DB_SLOTS, prefix.b, prefix.len, slot_in_use, NULL);
		if (err == POORT_E_CONFLICT)
			err = fail(err, "slots are booked: windows and slot length stay");
		if (err)
			goto out;
	}
	if ((err = validate_spec(t, merged, true)))
		goto out;
	if (!regenerate)
		json_object_del(merged, "windows");
	if ((err = write_round(t, a->round, merged, regenerate)) ||
	    (err = audit_add(t, "round.update", a->round, a->spec)))
		goto out;
out:
	json_decref(rec);
	json_decref(merged);
	return err;
}

poort_err poort_round_update(poort *p, poort_id actor, poort_id round, const json_t *changes)
{
	struct round_args a = { changes, round };
	return tx_write(p, actor, round_update_op, &a);
}

/* ---- reading ---- */

static poort_err collect_windows(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	size_t i;
	json_t *w;

	(void)t; (void)k;
	if (klen == ROUND_STAFF_KEY_LEN)
		json_array_foreach(json_object_get(val, "windows"), i, w)
			json_array_append(arg, w);
	return POORT_OK;
}

static json_t *round_windows(tx *t, poort_id round)
{
	key prefix = round_staff_prefix(round);
	json_t *arr = json_array();

	store_walk(t, DB_BOOKING_INDEX, prefix.b, prefix.len, collect_windows, arr);
	return arr;
}

static poort_err child_in_round(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	poort_id pupil = klen >= 16 ? key_get_id(k, 8) : 0;
	key pk = key_id(pupil);
	json_t *rec;
	bool yes;

	(void)val;
	if (store_get(t, DB_PUPILS, &pk, &rec) != POORT_OK)
		return POORT_OK;
	yes = round_has_group(arg, jid(rec, "group")) && authz_is_guardian_of(t, tx_actor(t), pupil);
	json_decref(rec);
	return yes ? POORT_E_EXISTS : POORT_OK;
}

poort_err round_authz_view(tx *t, const json_t *round)
{
	const actor_ctx *a = tx_actor(t);
	key prefix;

	if (authz_is_staff(a))
		return POORT_OK;
	if (a->role == POORT_ROLE_PARENT && a->guardian) {
		prefix = key_id(a->guardian);
		if (store_walk(t, DB_GUARDIAN_PUPILS, prefix.b, prefix.len, child_in_round, (void *)round) ==
		    POORT_E_EXISTS)
			return POORT_OK;
	}
	return fail(POORT_E_DENIED, "round");
}

struct view_args {
	poort_id round;
	json_t *out;
};

static poort_err round_get_op(tx *t, void *arg)
{
	struct view_args *a = arg;
	json_t *rec = NULL;
	poort_err err;

	if ((err = round_load(t, a->round, &rec)) || (err = round_authz_view(t, rec)))
		goto out;
	a->out = json_deep_copy(rec);   /* round_load's record is shared, read-only */
	json_object_set_new(a->out, "windows", round_windows(t, a->round));
out:
	json_decref(rec);
	return err;
}

poort_err poort_round_get(poort *p, poort_id actor, poort_id round, json_t **out)
{
	struct view_args a = { round, NULL };
	poort_err err = tx_read(p, actor, round_get_op, &a);

	*out = result_if_ok(err, a.out);
	return err;
}

static poort_err list_one(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	(void)k;
	if (klen != 8 || round_authz_view(t, val) != POORT_OK)
		return POORT_OK;
	json_array_insert(arg, 0, val);   /* newest first */
	return POORT_OK;
}

static poort_err round_list_op(tx *t, void *arg)
{
	struct view_args *a = arg;

	a->out = json_array();
	return store_walk(t, DB_ROUNDS, NULL, 0, list_one, a->out);
}

poort_err poort_round_list(poort *p, poort_id actor, json_t **out)
{
	struct view_args a = { 0, NULL };
	poort_err err = tx_read(p, actor, round_list_op, &a);

	detail_clear();
	*out = result_if_ok(err, a.out);
	return err;
}

/* ---- free slots ---- */

struct slots_args {
	poort_id round, pupil;
	json_t *out, *names;
	poort_id group;
};

static poort_err add_free_slots(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	struct slots_args *a = arg;
	poort_id first = jid(val, "first"), last = jid(val, "last");
	json_t *slot;

	(void)k;
	if (klen != ROUND_STAFF_KEY_LEN || !round_staff_teaches(t, jid(val, "staff"), a->group))
		return POORT_OK;
	for (poort_id s = first; s && s <= last; s++) {
		if (round_slot_load(t, a->round, s, &slot))
			continue;
		if (json_integer_value(json_object_get(slot, "start")) > tx_now(t) &&
		    round_slot_free(slot, tx_now(t), 0, (poort_id)-1))
			json_array_append_new(a->out, round_slot_view(t, a->round, s, slot, a->names));
		json_decref(slot);
	}
	return POORT_OK;
}

static int slot_time_cmp(const void *x, const void *y)
{
	json_int_t a = json_integer_value(json_object_get(*(json_t *const *)x, "start"));
	json_int_t b = json_integer_value(json_object_get(*(json_t *const *)y, "start"));
	return a < b ? -1 : a > b;
}

/* Sorts an array of slot views by start time. */
void round_sort_by_start(json_t *arr)
{
	size_t n = json_array_size(arr);
	json_t **v = calloc(n ? n : 1, sizeof *v);

	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(arr, i));
	qsort(v, n, sizeof *v, slot_time_cmp);
	json_array_clear(arr);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, v[i]);
	free(v);
}

static poort_err round_slots_op(tx *t, void *arg)
{
	struct slots_args *a = arg;
	json_t *rec = NULL, *pupil = NULL;
	key pk = key_id(a->pupil), prefix = round_staff_prefix(a->round);
	poort_err err;

	if ((err = authz_pupil_view(t, a->pupil)) || (err = round_load(t, a->round, &rec)) ||
	    (err = store_get(t, DB_PUPILS, &pk, &pupil)))
		goto out;
	a->group = jid(pupil, "group");
	if (!round_has_group(rec, a->group)) {
		err = fail(POORT_E_INVALID, "pupil's group is not in this round");
		goto out;
	}
	a->out = json_array();
	a->names = json_object();
	err = store_walk(t, DB_BOOKING_INDEX, prefix.b, prefix.len, add_free_slots, a);
	round_sort_by_start(a->out);
out:
	json_decref(a->names);
	json_decref(rec);
	json_decref(pupil);
	return err;
}

poort_err poort_round_slots(poort *p, poort_id actor, poort_id round, poort_id pupil, json_t **out)
{
	struct slots_args a = { round, pupil, NULL, NULL, 0 };
	poort_err err = tx_read(p, actor, round_slots_op, &a);

	*out = result_if_ok(err, a.out);
	return err;
}
