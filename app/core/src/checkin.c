/* checkin.c - arrivals, late pupils, early pick-ups, visitors; who is in the building.
 *
 * DB_CHECKINS key day|id: {"id", "kind": "arrival|late|pickup", "pupil"?,
 *   "group"?, "guardian"?, "what"?, "note"?, "collector"?,
 *   "collector_kind"?: "guardian|authorised", "at", "by"}
 * DB_VISITS key id: {"id", "name", "visiting", "day", "in", "out"?}
 *
 * Decisions:
 * - A late arrival also marks the register "late" while the group's register
 *   for today is open (the check-in is evidence the pupil came). A closed
 *   register is left alone: the teacher or an administrator corrects it.
 * - Pick-up names are compared after trimming, collapsing runs of spaces and
 *   folding case of ASCII and Latin letters with diacritics (Ç/ç, Ş/ş).
 * - Anyone, even the anonymous kiosk, may sign a visitor in or out and see
 *   today's open visits by name; whom they visit is for staff only.
 * - Visitors and the building list cover today: a visit left open
 *   yesterday is not someone in the building now.
 */
#include "core.h"

#include <stdio.h>
#include <stdlib.h>

#define MAX_TEXT 200
#define PARENT_WINDOW (2 * 60 * 60)   /* parents count as in the building this long */

static poort_err module_on(tx *t)
{
	return school_module_on(t, "checkin") ? POORT_OK : fail(POORT_E_MODULE_OFF, "checkin");
}

static poort_err today_school_day(tx *t)
{
	bool yes;
	poort_err err = school_is_day(t, tx_today(t), &yes);

	return err ? err : yes ? POORT_OK : fail(POORT_E_NOT_SCHOOL_DAY, "today");
}

/* Optional text: NULL or "" is none; anything else must be text_ok. */
static bool optional_text_ok(const char *s)
{
	return !s || !*s || text_ok(s, MAX_TEXT);
}

/* Stores a new check-in event, rec gets "id", "at", "by"; audited as
 * "checkin.<kind>". */
static poort_err event_put(tx *t, json_t *rec, poort_id *id)
{
	char action[32];
	key k;
	poort_err err = store_next_id(t, id);

	if (err)
		return err;
	json_object_set_new(rec, "id", json_integer((json_int_t)*id));
	json_object_set_new(rec, "at", json_integer((json_int_t)tx_now(t)));
	json_object_set_new(rec, "by", json_integer((json_int_t)tx_actor(t)->account));
	k = key_day_id(tx_today(t), *id);
	if ((err = store_put(t, DB_CHECKINS, &k, rec)))
		return err;
	snprintf(action, sizeof action, "checkin.%s", jstr(rec, "kind"));
	return audit_add(t, action, jid(rec, "pupil"), rec);
}

/* ---- name comparison ---- */

/* Lower-case of a code point for ASCII, Latin-1 and Latin Extended-A. */
static unsigned fold(unsigned c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7))
		return c + 0x20;
	if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
		return c | 1;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
		return c + (c & 1);
	if (c == 0x178)
		return 0xFF;
	return c;
}

static size_t put_utf8(char *out, unsigned c)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	out[0] = (char)(0xE0 | (c >> 12));
	out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
	out[2] = (char)(0x80 | (c & 0x3F));
	return 3;
}

/* name trimmed, inner spaces collapsed, case folded, into out (len >= 4*strlen+1).
 * Input is valid UTF-8 (jansson strings or checked by text_ok's caller). */
static void name_key(const char *name, char *out, size_t len)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t n = 0;
	bool space = false;

	while (*s && n + 5 < len) {
		unsigned c = *s;
		int more = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
		if (more)
			c &= 0x3F >> more;
		s++;
		for (int i = 0; i < more && (*s & 0xC0) == 0x80; i++, s++)
			c = (c << 6) | (*s & 0x3F);
		if (c == ' ' || c == '\t') {
			space = n > 0;
			continue;
		}
		if (space)
			out[n++] = ' ';
		space = false;
		n += c < 0x10000 ? put_utf8(out + n, fold(c)) : 0;   /* no names outside the BMP */
	}
	out[n] = 0;
}

static bool same_name(const char *a, const char *b)
{
	char ka[1024], kb[1024];

	if (!a || !b)
		return false;
	name_key(a, ka, sizeof ka);
	name_key(b, kb, sizeof kb);
	return ka[0] && strcmp(ka, kb) == 0;
}

/* ---- who may collect ---- */

struct adults_args {
	poort_id pupil;
	const char *match;   /* find this name instead of listing (pick-up) */
	const char *found;   /* "guardian" or "authorised" when match was found */
	json_t *out;
};

static poort_err guardian_adult_fn(tx *t, const void *k, size_t klen, json_t *link, void *arg)
{
	struct adults_args *a = arg;
	key gk = key_id(klen >= 16 ? key_get_id(k, 8) : 0);
	json_t *g = NULL;
	char name[256];
	poort_err err = store_get(t, DB_GUARDIANS, &gk, &g);

	if (err)
		return err == POORT_E_NOT_FOUND ? POORT_OK : err;
	person_name(g, name, sizeof name);
	json_decref(g);
	if (a->match) {
		if (!same_name(a->match, name))
			return POORT_OK;
		a->found = "guardian";
		return STORE_STOP;
	}
	json_array_append_new(a->out, json_pack("{ss ss ss}", "name", name, "relation",
	                                        jstr(link, "relation") ? jstr(link, "relation") : "",
	                                        "kind", "guardian"));
	return POORT_OK;
}

static poort_err pickup_adults(tx *t, struct adults_args *a)
{
	key prefix = key_id(a->pupil);
	json_t *pupil = NULL, *e;
	size_t i;
	poort_err err = store_walk(t, DB_LINKS, prefix.b, prefix.len, guardian_adult_fn, a);

	if (err || a->found || (err = pupil_get(t, a->pupil, &pupil)))
		return err;
	json_array_foreach(json_object_get(pupil, "pickup_adults"), i, e) {
		if (!jstr(e, "name"))
			continue;
		if (a->match && same_name(a->match, jstr(e, "name"))) {
			a->found = "authorised";
			break;
		}
		if (!a->match)
			json_array_append_new(a->out, json_pack("{ss ss ss}", "name", jstr(e, "name"), "relation",
			                                        jstr(e, "relation") ? jstr(e, "relation") : "",
			                                        "kind", "authorised"));
	}
	json_decref(pupil);
	return POORT_OK;
}

static poort_err adults_op(tx *t, void *arg)
{
	struct adults_args *a = arg;
	poort_err err = authz_pupil_view(t, a->pupil);

	json_array_clear(a->out);
	return err ? err : pickup_adults(t, a);
}

poort_err poort_pickup_adults(poort *p, poort_id actor, poort_id pupil, json_t **out)
{
	struct adults_args a = { pupil, NULL, NULL, json_array() };
	poort_err err = tx_read(p, actor, adults_op, &a);

	*out = result_if_ok(err, a.out);
	return err;
}

/* ---- arrival, late, pick-up ---- */

struct event_args {
	poort_id pupil;
	const char *text;       /* what (arrival), note (late, pick-up) */
	const char *collector;  /* pick-up */
	const char *note;       /* pick-up */
	poort_id id;            /* out */
};

poort_err checkin_arrival_put(tx *t, poort_id guardian, poort_id pupil, const char *what, poort_id *id)
{
	json_t *rec = json_pack("{ss}", "kind", "arrival"), *rec_pupil = NULL;
	poort_err err = POORT_OK;

	if (!rec)
		return POORT_E_NOMEM;
	if (guardian)
		json_object_set_new(rec, "guardian", json_integer((json_int_t)guardian));
	if (pupil && (err = pupil_get(t, pupil, &rec_pupil)) == POORT_OK) {
		json_object_set_new(rec, "pupil", json_integer((json_int_t)pupil));
		json_object_set_new(rec, "group", json_integer((json_int_t)jid(rec_pupil, "group")));
	}
	if (!err && what && *what)
		json_object_set_new(rec, "what", json_string(what));
	if (!err)
		err = event_put(t, rec, id);
	json_decref(rec_pupil);
	json_decref(rec);
	return err;
}

static poort_err arrival_op(tx *t, void *arg)
{
	struct event_args *a = arg;
	const actor_ctx *act = tx_actor(t);
	poort_err err;

	if ((err = module_on(t)))
		return err;
	/* A parent checks themself in; an administrator at the desk may do it for them. */
	if (!(act->role == POORT_ROLE_PARENT && act->guardian) && !authz_is_admin(act))
		return fail(POORT_E_DENIED, "parents only");
	if (a->pupil && (err = authz_pupil_parent(t, a->pupil)))
		return err;
	return checkin_arrival_put(t, act->guardian, a->pupil, a->text, &a->id);
}

poort_err poort_checkin_arrival(poort *p, poort_id actor, poort_id pupil, const char *what, poort_id *checkin)
{
	struct event_args a = { .pupil = pupil, .text = what };
	poort_err err;

	detail_clear();
	*checkin = 0;
	if (!optional_text_ok(what))
		return fail(POORT_E_INVALID, "what");
	if ((err = tx_write(p, actor, arrival_op, &a)) == POORT_OK)
		*checkin = a.id;
	return err;
}

static poort_err late_op(tx *t, void *arg)
{
	struct event_args *a = arg;
	json_t *rec = NULL, *pupil = NULL;
	poort_id group;
	poort_err err;

	if ((err = module_on(t)) || (err = authz_pupil_view(t, a->pupil)) || (err = today_school_day(t)))
		return err;
	if ((err = pupil_get(t, a->pupil, &pupil)))
		return err;
	group = jid(pupil, "group");
	json_decref(pupil);
	rec = json_pack("{ss sI sI}", "kind", "late", "pupil", (json_int_t)a->pupil, "group", (json_int_t)group);
	if (tx_actor(t)->guardian)
		json_object_set_new(rec, "guardian", json_integer((json_int_t)tx_actor(t)->guardian));
	if (a->text && *a->text)
		json_object_set_new(rec, "note", json_string(a->text));
	if ((err = event_put(t, rec, &a->id)))
		goto out;
	if (school_module_on(t, "attendance") && !register_closed(t, tx_today(t), group))
		err = attendance_put(t, tx_today(t), a->pupil, group, POORT_LATE, "checkin");
out:
	json_decref(rec);
	return err;
}

poort_err poort_checkin_late(poort *p, poort_id actor, poort_id pupil, const char *note, poort_id *checkin)
{
	struct event_args a = { .pupil = pupil, .text = note };
	poort_err err;

	detail_clear();
	*checkin = 0;
	if (!optional_text_ok(note))
		return fail(POORT_E_INVALID, "note");
	if ((err = tx_write(p, actor, late_op, &a)) == POORT_OK)
		*checkin = a.id;
	return err;
}

static poort_err pickup_op(tx *t, void *arg)
{
	struct event_args *a = arg;
	struct adults_args adults = { a->pupil, a->collector, NULL, NULL };
	json_t *rec = NULL, *pupil = NULL;
	poort_err err;

	if ((err = module_on(t)))
		return err;
	if (tx_actor(t)->role == POORT_ROLE_NONE)
		return fail(POORT_E_DENIED, "pick-up needs a guardian or staff at the kiosk");
	if ((err = authz_pupil_view(t, a->pupil)) || (err = today_school_day(t)))
		return err;
	if ((err = pickup_adults(t, &adults)))
		return err;
	if (!adults.found)
		return fail(POORT_E_DENIED, "collector: not a guardian or authorised adult of this pupil");
	if ((err = pupil_get(t, a->pupil, &pupil)))
		return err;
	rec = json_pack("{ss sI sI ss ss}", "kind", "pickup", "pupil", (json_int_t)a->pupil, "group",
	                (json_int_t)jid(pupil, "group"), "collector", a->collector, "collector_kind", adults.found);
	if (tx_actor(t)->guardian)
		json_object_set_new(rec, "guardian", json_integer((json_int_t)tx_actor(t)->guardian));
	if (a->note && *a->note)
		json_object_set_new(rec, "note", json_string(a->note));
	err = event_put(t, rec, &a->id);
	json_decref(rec);
	json_decref(pupil);
	return err;
}

struct refusal_args {
	poort_id pupil;
	json_t *detail;
};

static poort_err refusal_op(tx *t, void *arg)
{
	struct refusal_args *a = arg;
	return audit_add(t, "pickup.refused", a->pupil, a->detail);
}

poort_err poort_checkin_pickup(poort *p, poort_id actor, poort_id pupil, const char *collector,
                               const char *note, poort_id *checkin)
{
	struct event_args a = { .pupil = pupil, .collector = collector, .note = note };
	struct refusal_args r = { pupil, NULL };
	char why[512];
	poort_err err;

	detail_clear();
	*checkin = 0;
	if (!text_ok(collector, MAX_TEXT))
		return fail(POORT_E_INVALID, "collector");
	if (!optional_text_ok(note))
		return fail(POORT_E_INVALID, "note");
	err = tx_write(p, actor, pickup_op, &a);
	if (err == POORT_OK) {
		*checkin = a.id;
		return POORT_OK;
	}
	if (err != POORT_E_DENIED)
		return err;
	/* The refused transaction left nothing: record the refusal in its own. */
	snprintf(why, sizeof why, "%s", poort_error_detail());
	r.detail = json_pack("{ss ss}", "collector", collector, "reason", why);
	if (r.detail)
		tx_write(p, actor, refusal_op, &r);
	json_decref(r.detail);
	return fail(POORT_E_DENIED, "%s", why);
}

/* ---- visitors ---- */

struct visit_args {
	const char *name, *visiting;
	poort_id id;   /* in (sign-out) or out (sign-in) */
	json_t *out;
};

static poort_err sign_in_op(tx *t, void *arg)
{
	struct visit_args *a = arg;
	json_t *rec = NULL;
	char buf[11];
	poort_id id;
	key k;
	poort_err err;

	if ((err = module_on(t)) || (err = store_next_id(t, &id)))
		return err;
	rec = json_pack("{sI ss ss ss sI}", "id", (json_int_t)id, "name", a->name, "visiting", a->visiting, "day",
	                poort_day_format(tx_today(t), buf), "in", (json_int_t)tx_now(t));
	if (!rec)
		return POORT_E_NOMEM;
	k = key_id(id);
	if (!(err = store_put(t, DB_VISITS, &k, rec)))
		err = audit_add(t, "visitor.sign_in", id, NULL);
	json_decref(rec);
	if (!err)
		a->id = id;
	return err;
}

poort_err poort_visitor_sign_in(poort *p, poort_id actor, const char *name, const char *visiting,
                                poort_id *visit)
{
	struct visit_args a = { name, visiting, 0, NULL };
	poort_err err;

	detail_clear();
	*visit = 0;
	if (!text_ok(name, 100))
		return fail(POORT_E_INVALID, "name");
	if (!text_ok(visiting, 100))
		return fail(POORT_E_INVALID, "visiting");
	if ((err = tx_write(p, actor, sign_in_op, &a)) == POORT_OK)
		*visit = a.id;
	return err;
}

static poort_err sign_out_op(tx *t, void *arg)
{
	struct visit_args *a = arg;
	key k = key_id(a->id);
	json_t *rec = NULL;
	poort_err err;

	if ((err = module_on(t)))
		return err;
	if ((err = store_get(t, DB_VISITS, &k, &rec)))
		return err == POORT_E_NOT_FOUND ? fail(err, "visit") : err;
	if (json_object_get(rec, "out")) {
		err = fail(POORT_E_CONFLICT, "already signed out");
		goto out;
	}
	json_object_set_new(rec, "out", json_integer((json_int_t)tx_now(t)));
	if (!(err = store_put(t, DB_VISITS, &k, rec)))
		err = audit_add(t, "visitor.sign_out", a->id, NULL);
out:
	json_decref(rec);
	return err;
}

poort_err poort_visitor_sign_out(poort *p, poort_id actor, poort_id visit)
{
	struct visit_args a = { NULL, NULL, visit, NULL };
	return tx_write(p, actor, sign_out_op, &a);
}

struct open_visits_args {
	char today[11];
	bool full;   /* with whom visiting and since when (staff) */
	json_t *out;
};

static poort_err open_visit_fn(tx *t, const void *k, size_t klen, json_t *rec, void *arg)
{
	struct open_visits_args *a = arg;
	const char *day = jstr(rec, "day");

	(void)t, (void)k, (void)klen;
	/* Ids grow with time: walking back, an earlier day ends today's visits. */
	if (!day || strcmp(day, a->today) < 0)
		return STORE_STOP;
	if (json_object_get(rec, "out"))
		return POORT_OK;
	json_array_insert_new(a->out, 0,
	                      a->full ? json_pack("{sO sO sO sO}", "id", json_object_get(rec, "id"), "name",
	                                          json_object_get(rec, "name"), "visiting",
	                                          json_object_get(rec, "visiting"), "in", json_object_get(rec, "in"))
	                              : json_pack("{sO sO}", "id", json_object_get(rec, "id"), "name",
	                                          json_object_get(rec, "name")));
	return POORT_OK;
}

/* Today's open visits, oldest first, into a new array. */
static poort_err open_visits(tx *t, bool full, json_t **out)
{
	struct open_visits_args a = { .full = full, .out = json_array() };
	poort_err err;

	poort_day_format(tx_today(t), a.today);
	if ((err = store_walk_back(t, DB_VISITS, open_visit_fn, &a))) {
		json_decref(a.out);
		a.out = NULL;
	}
	*out = a.out;
	return err;
}

static poort_err visitor_list_op(tx *t, void *arg)
{
	poort_err err = module_on(t);
	return err ? err : open_visits(t, false, arg);
}

poort_err poort_visitor_list(poort *p, poort_id actor, json_t **out)
{
	json_t *list = NULL;
	poort_err err = tx_read(p, actor, visitor_list_op, &list);

	*out = result_if_ok(err, list);
	return err;
}

/* ---- who is in the building ---- */

struct building_args {
	json_t *in;        /* "pupil id" -> status, as the day's events apply */
	json_t *parents;
	int64_t since;     /* parents checked in from this time on */
	json_t *out;
};

static poort_err present_fn(tx *t, const void *k, size_t klen, json_t *rec, void *arg)
{
	struct building_args *a = arg;
	const char *s = jstr(rec, "status");
	char id[24];

	(void)t;
	if (klen != 12 || !s || strcmp(s, "absent") == 0)
		return POORT_OK;
	snprintf(id, sizeof id, "%llu", (unsigned long long)key_get_id(k, 4));
	json_object_set_new(a->in, id, json_string(s));
	return POORT_OK;
}

static poort_err event_fn(tx *t, const void *k, size_t klen, json_t *rec, void *arg)
{
	struct building_args *a = arg;
	const char *kind = jstr(rec, "kind");
	json_int_t at = json_integer_value(json_object_get(rec, "at"));
	char id[24];

	(void)t, (void)k, (void)klen;
	snprintf(id, sizeof id, "%llu", (unsigned long long)jid(rec, "pupil"));
	if (!kind)
		return POORT_OK;
	if (strcmp(kind, "late") == 0 && tx_today(t) == key_get_day(k, 0))
		json_object_set_new(a->in, id, json_string("late"));
	else if (strcmp(kind, "pickup") == 0 && tx_today(t) == key_get_day(k, 0))
		json_object_del(a->in, id);
	else if (strcmp(kind, "arrival") == 0 && at >= a->since && at <= tx_now(t))
		json_array_append(a->parents, rec);
	return POORT_OK;
}

static json_t *pupil_entry(tx *t, poort_id id, const char *status)
{
	json_t *pupil = NULL, *group = NULL, *e;
	key gk;
	char name[256];

	if (pupil_get(t, id, &pupil))
		return NULL;
	gk = key_id(jid(pupil, "group"));
	store_get(t, DB_GROUPS, &gk, &group);
	e = json_pack("{sI ss sI ss ss}", "pupil", (json_int_t)id, "name", person_name(pupil, name, sizeof name),
	              "group", (json_int_t)jid(pupil, "group"), "group_name",
	              jstr(group, "name") ? jstr(group, "name") : "", "status", status);
	json_decref(pupil);
	json_decref(group);
	return e;
}

static json_t *parent_entry(tx *t, const json_t *ev)
{
	key gk = key_id(jid(ev, "guardian"));
	json_t *g = NULL, *e;
	char name[256] = "";

	if (store_get(t, DB_GUARDIANS, &gk, &g) == POORT_OK)
		person_name(g, name, sizeof name);
	json_decref(g);
	e = json_pack("{sI ss sO sO}", "guardian", (json_int_t)jid(ev, "guardian"), "name", name, "what",
	              json_object_get(ev, "what") ? json_object_get(ev, "what") : json_null(), "at",
	              json_object_get(ev, "at"));
	if (e && jid(ev, "pupil"))
		json_object_set(e, "pupil", json_object_get(ev, "pupil"));
	return e;
}

static poort_err building_op(tx *t, void *arg)
{
	struct building_args *a = arg;
	poort_day today = tx_today(t);
	key yk = key_day_id(today - 1, 0), tk = key_day_id(today, 0);
	json_t *pupils = NULL, *visitors = NULL, *parents = NULL, *v, *detail = NULL;
	const char *id;
	size_t i;
	poort_err err;

	if ((err = authz_staff(t)))
		return err;
	json_decref(a->in);
	json_decref(a->parents);
	a->in = json_object();
	a->parents = json_array();
	a->since = tx_now(t) - PARENT_WINDOW;
	if ((err = store_walk(t, DB_ATTENDANCE, tk.b, 4, present_fn, a)) ||
	    (err = store_walk(t, DB_CHECKINS, yk.b, 4, event_fn, a)) ||
	    (err = store_walk(t, DB_CHECKINS, tk.b, 4, event_fn, a)) || (err = open_visits(t, true, &visitors)))
		goto out;
	pupils = json_array();
	json_object_foreach(a->in, id, v) {
		json_t *e = pupil_entry(t, (poort_id)strtoull(id, NULL, 10), json_string_value(v));
		if (e)
			json_array_append_new(pupils, e);
	}
	parents = json_array();
	json_array_foreach(a->parents, i, v)
		json_array_append_new(parents, parent_entry(t, v));
	detail = json_pack("{si si si}", "pupils", (int)json_array_size(pupils), "visitors",
	                   (int)json_array_size(visitors), "parents", (int)json_array_size(parents));
	if ((err = audit_add(t, "building.read", 0, detail)))
		goto out;
	json_decref(a->out);
	a->out = json_pack("{sO sO sO sO}", "pupils", pupils, "visitors", visitors, "parents", parents, "counts",
	                   detail);
	err = a->out ? POORT_OK : POORT_E_NOMEM;
out:
	json_decref(pupils);
	json_decref(visitors);
	json_decref(parents);
	json_decref(detail);
	return err;
}

poort_err poort_building_list(poort *p, poort_id actor, json_t **out)
{
	struct building_args a = { 0 };
	poort_err err = tx_write(p, actor, building_op, &a);

	json_decref(a.in);
	json_decref(a.parents);
	*out = result_if_ok(err, a.out);
	return err;
}

/* ---- the day's events ---- */

struct list_args {
	json_t *out;
};

static poort_err list_fn(tx *t, const void *k, size_t klen, json_t *rec, void *arg)
{
	struct list_args *a = arg;
	const actor_ctx *act = tx_actor(t);
	poort_id pupil = jid(rec, "pupil");
	bool may;
	json_t *e, *p = NULL;
	char name[256];

	(void)k, (void)klen;
	if (authz_sees_all_pupils(act))
		may = true;
	else if (act->role == POORT_ROLE_PARENT)
		may = (pupil && authz_is_guardian_of(t, act, pupil)) || (act->guardian && jid(rec, "guardian") == act->guardian);
	else
		may = pupil && authz_teaches_group(act, jid(rec, "group"));
	if (!may)
		return POORT_OK;
	e = json_deep_copy(rec);
	if (pupil && pupil_get(t, pupil, &p) == POORT_OK)
		json_object_set_new(e, "pupil_name", json_string(person_name(p, name, sizeof name)));
	json_decref(p);
	json_array_append_new(a->out, e);
	return POORT_OK;
}

struct day_list_args {
	poort_day day;
	json_t *out;
};

static poort_err checkin_list_op(tx *t, void *arg)
{
	struct day_list_args *a = arg;
	struct list_args la = { a->out };
	key prefix = key_day_id(a->day, 0);
	const actor_ctx *act = tx_actor(t);

	if (!authz_is_staff(act) && !(act->role == POORT_ROLE_PARENT && act->guardian))
		return fail(POORT_E_DENIED, "check-ins");
	json_array_clear(a->out);
	return store_walk(t, DB_CHECKINS, prefix.b, 4, list_fn, &la);
}

poort_err poort_checkin_list(poort *p, poort_id actor, poort_day day, json_t **out)
{
	struct day_list_args a = { day, json_array() };
	poort_err err = tx_read(p, actor, checkin_list_op, &a);

	*out = result_if_ok(err, a.out);
	return err;
}

/* ---- invariants ---- */

static poort_err check_event_fn(tx *t, const void *k, size_t klen, json_t *rec, void *arg)
{
	json_t *v = arg;
	const char *kind = jstr(rec, "kind");
	key pk = key_id(jid(rec, "pupil"));

	if (klen != 12 || jid(rec, "id") != key_get_id(k, 4)) {
		check_report(v, "checkin.key", "check-in with a malformed key");
		return POORT_OK;
	}
	if (!kind || (strcmp(kind, "arrival") && strcmp(kind, "late") && strcmp(kind, "pickup")))
		check_report(v, "checkin.kind", "check-in %llu: kind", (unsigned long long)jid(rec, "id"));
	else if (strcmp(kind, "arrival") && !store_has(t, DB_PUPILS, &pk))
		check_report(v, "checkin.pupil", "check-in %llu: unknown pupil", (unsigned long long)jid(rec, "id"));
	else if (strcmp(kind, "pickup") == 0 && !jstr(rec, "collector"))
		check_report(v, "checkin.collector", "pick-up %llu without a collector", (unsigned long long)jid(rec, "id"));
	return POORT_OK;
}

static poort_err check_visit_fn(tx *t, const void *k, size_t klen, json_t *rec, void *arg)
{
	json_t *v = arg, *out = json_object_get(rec, "out");

	(void)t;
	if (klen != 8 || jid(rec, "id") != key_get_id(k, 0) || !jstr(rec, "name"))
		check_report(v, "visit.record", "visit with a malformed record");
	else if (out && json_integer_value(out) < json_integer_value(json_object_get(rec, "in")))
		check_report(v, "visit.out", "visit %llu signed out before it signed in", (unsigned long long)jid(rec, "id"));
	return POORT_OK;
}

poort_err checkin_check(tx *t, json_t *violations)
{
	poort_err err = store_walk(t, DB_CHECKINS, NULL, 0, check_event_fn, violations);
	return err ? err : store_walk(t, DB_VISITS, NULL, 0, check_visit_fn, violations);
}
