/* people.c - groups, pupils, guardians, staff and the links between them.
 *
 * Stored relations: DB_LINKS key (pupil, guardian) -> link record, and its
 * reverse DB_GUARDIAN_PUPILS key (guardian, pupil) -> {}. External keys in
 * DB_INDEX: "group:<name>", "pupil:<key>", "guardian:<key>" (-> record id);
 * logins ("user:", "code:", "card:") belong to account.c.
 */
#include "core.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- field validation (shared with correction requests) ---- */

enum ftype { F_TEXT, F_DATE, F_BOOL, F_EMAIL, F_PHONE, F_ADDRESS, F_CONTACTS, F_PICKUP, F_TEXTS, F_DOCTOR };

struct field {
	const char *name;
	enum ftype type;
	size_t max;       /* bytes for texts, entries for arrays */
	bool required;
};

static const struct field pupil_fields[] = {
	{ "key", F_TEXT, 32, true },
	{ "first_name", F_TEXT, 100, true },
	{ "middle_name", F_TEXT, 30, false },
	{ "last_name", F_TEXT, 100, true },
	{ "birth_date", F_DATE, 0, true },
	{ "address", F_ADDRESS, 0, false },
	{ "emergency_contacts", F_CONTACTS, 10, false },
	{ "pickup_adults", F_PICKUP, 10, false },
	{ "separate_conversations", F_BOOL, 0, false },
};

static const struct field guardian_fields[] = {
	{ "key", F_TEXT, 32, true },
	{ "first_name", F_TEXT, 100, true },
	{ "middle_name", F_TEXT, 30, false },
	{ "last_name", F_TEXT, 100, true },
	{ "email", F_EMAIL, 254, false },
	{ "phone", F_PHONE, 0, false },
	{ "address", F_ADDRESS, 0, false },
	{ "hide_contact", F_BOOL, 0, false },
};

static const struct field medical_fields[] = {
	{ "conditions", F_TEXT, 2000, false },
	{ "allergies", F_TEXTS, 30, false },
	{ "medication", F_TEXT, 2000, false },
	{ "doctor", F_DOCTOR, 0, false },
};

static const struct field address_fields[] = {
	{ "street", F_TEXT, 200, false },
	{ "postcode", F_TEXT, 16, false },
	{ "city", F_TEXT, 100, false },
};

static const struct field contact_fields[] = {   /* emergency contacts: a number is the point */
	{ "name", F_TEXT, 100, true },
	{ "relation", F_TEXT, 40, false },
	{ "phone", F_PHONE, 0, true },
};

static const struct field pickup_fields[] = {
	{ "name", F_TEXT, 100, true },
	{ "relation", F_TEXT, 40, false },
	{ "phone", F_PHONE, 0, false },
};

static const struct field doctor_fields[] = {
	{ "name", F_TEXT, 100, false },
	{ "phone", F_PHONE, 0, false },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static bool phone_ok(const char *s)
{
	int digits = 0;
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > 20)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (!(s[i] == ' ' || s[i] == '-' || s[i] == '(' || s[i] == ')' || (s[i] == '+' && i == 0)))
			return false;
	}
	return digits >= 6 && digits <= 15;
}

static bool email_ok(const char *s)
{
	const char *at = s ? strchr(s, '@') : NULL, *dot;

	if (!text_ok(s, 254) || !at || at == s || strchr(at + 1, '@') || strchr(s, ' '))
		return false;
	dot = strrchr(at + 1, '.');
	return dot && dot > at + 1 && dot[1] != 0;
}

void phone_normalize(const char *in, char *out, size_t len)
{
	size_t o = 0;

	if (!len)
		return;
	if (in && strncmp(in, "+31", 3) == 0) {
		in += 3;
		if (o + 1 < len)
			out[o++] = '0';
	} else if (in && strncmp(in, "0031", 4) == 0) {
		in += 4;
		if (o + 1 < len)
			out[o++] = '0';
	}
	for (; in && *in && o + 1 < len; in++)
		if (*in >= '0' && *in <= '9')
			out[o++] = *in;
	out[o] = 0;
}

static poort_err fields_check(const json_t *obj, const struct field *fs, size_t n, bool partial,
                              const char *where, const char *const *extra);

static const char *sep(const char *where)
{
	return where && *where ? "." : "";
}

static poort_err array_check(const json_t *v, const struct field *f, const char *where)
{
	const struct field *sub = f->type == F_CONTACTS ? contact_fields : pickup_fields;
	size_t nsub = f->type == F_CONTACTS ? N(contact_fields) : N(pickup_fields);
	char w[256];
	size_t i;
	json_t *e;
	poort_err err;

	if (!json_is_array(v) || json_array_size(v) > f->max)
		return fail(POORT_E_INVALID, "%s%s%s", where, sep(where), f->name);
	json_array_foreach(v, i, e) {
		snprintf(w, sizeof w, "%s%s%s[%zu]", where, sep(where), f->name, i);
		if (f->type == F_TEXTS) {
			if (!text_ok(json_string_value(e), 100))
				return fail(POORT_E_INVALID, "%s", w);
			continue;
		}
		if (!json_is_object(e))
			return fail(POORT_E_INVALID, "%s", w);
		if ((err = fields_check(e, sub, nsub, false, w, NULL)))
			return err;
	}
	return POORT_OK;
}

static poort_err value_check(const json_t *v, const struct field *f, const char *where)
{
	char w[256];
	poort_day d;

	snprintf(w, sizeof w, "%s%s%s", where, sep(where), f->name);
	switch (f->type) {
	case F_TEXT:
		return text_ok(json_string_value(v), f->max) ? POORT_OK : fail(POORT_E_INVALID, "%s", w);
	case F_DATE:
		return json_is_string(v) && poort_day_parse(json_string_value(v), &d) == POORT_OK
		           ? POORT_OK
		           : fail(POORT_E_INVALID, "%s", w);
	case F_BOOL:
		return json_is_boolean(v) ? POORT_OK : fail(POORT_E_INVALID, "%s", w);
	case F_EMAIL:
		return email_ok(json_string_value(v)) ? POORT_OK : fail(POORT_E_INVALID, "%s", w);
	case F_PHONE:
		return phone_ok(json_string_value(v)) ? POORT_OK : fail(POORT_E_INVALID, "%s", w);
	case F_ADDRESS:
		if (!json_is_object(v))
			return fail(POORT_E_INVALID, "%s", w);
		return fields_check(v, address_fields, N(address_fields), false, w, NULL);
	case F_DOCTOR:
		if (!json_is_object(v))
			return fail(POORT_E_INVALID, "%s", w);
		return fields_check(v, doctor_fields, N(doctor_fields), false, w, NULL);
	case F_CONTACTS:
	case F_PICKUP:
	case F_TEXTS:
		return array_check(v, f, where);
	}
	return fail(POORT_E_INVALID, "%s", w);
}

/* Checks obj against a field table: unknown fields refused (except those
 * named in extra, checked by the caller), required ones present unless
 * partial; optional fields may be null or "" (meaning: not set). */
static poort_err fields_check(const json_t *obj, const struct field *fs, size_t n, bool partial,
                              const char *where, const char *const *extra)
{
	const char *k;
	json_t *v;
	poort_err err;

	if (!json_is_object(obj))
		return fail(POORT_E_INVALID, "%s", where && *where ? where : "record");
	json_object_foreach((json_t *)obj, k, v) {
		const struct field *f = NULL;
		bool known = false;

		for (size_t i = 0; i < n && !f; i++)
			if (strcmp(fs[i].name, k) == 0)
				f = &fs[i];
		for (size_t i = 0; extra && extra[i] && !known; i++)
			known = strcmp(extra[i], k) == 0;
		if (known)
			continue;
		if (!f)
			return fail(POORT_E_INVALID, "%s%s%s: unknown field", where, sep(where), k);
		if (!f->required && (json_is_null(v) || (json_is_string(v) && !*json_string_value(v))))
			continue;
		if ((err = value_check(v, f, where)))
			return err;
	}
	if (!partial)
		for (size_t i = 0; i < n; i++)
			if (fs[i].required && !json_object_get(obj, fs[i].name))
				return fail(POORT_E_INVALID, "%s%s%s", where, sep(where), fs[i].name);
	return POORT_OK;
}

poort_err pupil_fields_validate(const json_t *fields, bool partial, const char *where)
{
	return fields_check(fields, pupil_fields, N(pupil_fields), partial, where, NULL);
}

poort_err guardian_fields_validate(const json_t *fields, bool partial, const char *where)
{
	return fields_check(fields, guardian_fields, N(guardian_fields), partial, where, NULL);
}

poort_err medical_validate(const json_t *medical, bool partial, const char *where)
{
	return fields_check(medical, medical_fields, N(medical_fields), partial, where, NULL);
}

poort_err contacts_validate(const json_t *contacts, const char *where)
{
	return value_check(contacts, &pupil_fields[6], where);
}

/* A copy of rec without null/"" values (how optional fields are unset). */
static json_t *normalized(const json_t *rec, const char *const *drop)
{
	json_t *out = json_object(), *v;
	const char *k;

	json_object_foreach((json_t *)rec, k, v) {
		bool skip = json_is_null(v) || (json_is_string(v) && !*json_string_value(v));
		for (size_t i = 0; drop && drop[i] && !skip; i++)
			skip = strcmp(drop[i], k) == 0;
		if (!skip)
			json_object_set_new(out, k, json_deep_copy(v));
	}
	return out;
}

/* ---- small lookups other domain files use ---- */

poort_err pupil_get(tx *t, poort_id id, json_t **out)
{
	key k = key_id(id);
	poort_err err = store_get(t, DB_PUPILS, &k, out);
	return err == POORT_E_NOT_FOUND ? fail(err, "pupil %llu", (unsigned long long)id) : err;
}

poort_err guardian_get(tx *t, poort_id id, json_t **out)
{
	key k = key_id(id);
	poort_err err = store_get(t, DB_GUARDIANS, &k, out);
	return err == POORT_E_NOT_FOUND ? fail(err, "guardian %llu", (unsigned long long)id) : err;
}

struct ids_args {
	poort_id *ids;
	int max, n;
};

static poort_err collect_second_id(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	struct ids_args *a = arg;

	if (klen == 16) {
		if (a->n < a->max)
			a->ids[a->n] = key_get_id(k, 8);
		a->n++;
	}
	return POORT_OK;
}

poort_err guardian_ids_of_pupil(tx *t, poort_id pupil, poort_id *ids, int max, int *n)
{
	key prefix = key_id(pupil);
	struct ids_args a = { ids, max, 0 };
	poort_err err = store_walk(t, DB_LINKS, prefix.b, prefix.len, collect_second_id, &a);

	*n = a.n;
	return err;
}

poort_err pupil_ids_of_guardian(tx *t, poort_id guardian, poort_id *ids, int max, int *n)
{
	key prefix = key_id(guardian);
	struct ids_args a = { ids, max, 0 };
	poort_err err = store_walk(t, DB_GUARDIAN_PUPILS, prefix.b, prefix.len, collect_second_id, &a);

	*n = a.n;
	return err;
}

static const char *group_name(tx *t, poort_id group, char *buf, size_t len)
{
	key k = key_id(group);
	json_t *g;

	buf[0] = 0;
	if (store_get(t, DB_GROUPS, &k, &g) == POORT_OK) {
		snprintf(buf, len, "%s", jstr(g, "name") ? jstr(g, "name") : "");
		json_decref(g);
	}
	return buf;
}

json_t *pupil_summary(tx *t, const json_t *pupil)
{
	char name[320], gname[64];
	json_t *s = json_pack("{sO ss}", "id", json_object_get(pupil, "id"), "name",
	                      person_name(pupil, name, sizeof name));
	static const char *const copy[] = { "key", "first_name", "middle_name", "last_name", "group" };

	for (size_t i = 0; i < N(copy); i++)
		if (json_object_get(pupil, copy[i]))
			json_object_set(s, copy[i], json_object_get(pupil, copy[i]));
	json_object_set_new(s, "group_name", json_string(group_name(t, jid(pupil, "group"), gname, sizeof gname)));
	return s;
}

int portal_guardians_max(tx *t)
{
	const json_t *s;
	json_int_t max = 2;

	if (school_settings(t, &s) == POORT_OK && json_is_integer(json_object_get(s, "max_portal_guardians")))
		max = json_integer_value(json_object_get(s, "max_portal_guardians"));
	return (int)max;
}

static poort_err count_portal(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	if (jbool(val, "portal", true))
		++*(int *)arg;
	return POORT_OK;
}

static int portal_count(tx *t, poort_id pupil, poort_err *err)
{
	key prefix = key_id(pupil);
	int n = 0;

	*err = store_walk(t, DB_LINKS, prefix.b, prefix.len, count_portal, &n);
	return n;
}

/* Index of the emergency contact of pupil whose number is one of its
 * guardians' numbers, or -1. */
static poort_err emergency_clash(tx *t, const json_t *pupil, int *clash)
{
	poort_id ids[16];
	int n = 0;
	char phones[16][24], ph[24];
	json_t *contacts = json_object_get(pupil, "emergency_contacts"), *c, *g;
	size_t i;
	poort_err err;

	*clash = -1;
	if ((err = guardian_ids_of_pupil(t, jid(pupil, "id"), ids, 16, &n)))
		return err;
	if (n > 16)
		n = 16;
	for (int j = 0; j < n; j++) {
		phones[j][0] = 0;
		if (guardian_get(t, ids[j], &g) == POORT_OK) {
			phone_normalize(jstr(g, "phone"), phones[j], sizeof phones[j]);
			json_decref(g);
		}
	}
	json_array_foreach(contacts, i, c) {
		phone_normalize(jstr(c, "phone"), ph, sizeof ph);
		for (int j = 0; j < n && *clash < 0; j++)
			if (ph[0] && strcmp(ph, phones[j]) == 0)
				*clash = (int)i;
	}
	return POORT_OK;
}

poort_err emergency_contacts_check(tx *t, poort_id pupil, const json_t *contacts, const char *where)
{
	json_t *rec = json_pack("{sI sO}", "id", (json_int_t)pupil, "emergency_contacts", (json_t *)contacts);
	int clash;
	poort_err err = emergency_clash(t, rec, &clash);

	json_decref(rec);
	if (!err && clash >= 0)
		err = fail(POORT_E_INVALID, "%s%semergency_contacts[%d].phone: a guardian's own number", where,
		           sep(where), clash);
	return err;
}

/* ---- import ---- */

static const char *const sections[] = { "school", "groups", "staff", "pupils", "guardians", "links" };

static const struct field group_fields[] = { { "name", F_TEXT, 20, true } };
static const char *const group_extra[] = { "grades", NULL };
static const struct field staff_fields[] = {
	{ "username", F_TEXT, 64, true },
	{ "name", F_TEXT, 100, true },
	{ "role", F_TEXT, 20, true },
	{ "email", F_EMAIL, 254, false },
	{ "password", F_TEXT, 256, false },
};
static const char *const staff_extra[] = { "groups", NULL };
static const char *const pupil_extra[] = { "group", "medical", NULL };
static const char *const guardian_extra[] = { "pin", "parent_code", "card", "password", NULL };
static const struct field link_fields[] = {
	{ "pupil", F_TEXT, 32, true },
	{ "guardian", F_TEXT, 32, true },
	{ "authority", F_BOOL, 0, false },
	{ "portal", F_BOOL, 0, false },
	{ "relation", F_TEXT, 40, false },
};

/* Refuses a second item with the same external key within one section. */
static poort_err unique_in_doc(json_t *seen, const char *k, const char *where, const char *field)
{
	if (json_object_get(seen, k))
		return fail(POORT_E_EXISTS, "%s.%s: twice in the document", where, field);
	json_object_set_new(seen, k, json_true());
	return POORT_OK;
}

static poort_err grades_check(const json_t *g, const char *where)
{
	size_t i;
	json_t *e;
	unsigned seen = 0;

	if (!json_is_array(g) || json_array_size(g) == 0 || json_array_size(g) > 3)
		return fail(POORT_E_INVALID, "%s.grades", where);
	json_array_foreach(g, i, e) {
		json_int_t v = json_integer_value(e);
		if (!json_is_integer(e) || v < 1 || v > 8 || (seen & (1u << v)))
			return fail(POORT_E_INVALID, "%s.grades[%zu]", where, i);
		seen |= 1u << v;
	}
	return POORT_OK;
}

/* Everything that can be checked without the store, before anything slow. */
static poort_err doc_validate(const json_t *doc)
{
	const char *k;
	json_t *v, *e, *seen = NULL;
	char w[64];
	size_t i, j;
	poort_role role;
	poort_err err = POORT_OK;

	if (!json_is_object(doc))
		return fail(POORT_E_INVALID, "document");
	json_object_foreach((json_t *)doc, k, v) {
		bool known = false;
		for (i = 0; i < N(sections); i++)
			known |= strcmp(k, sections[i]) == 0;
		if (!known)
			return fail(POORT_E_INVALID, "%s: unknown section", k);
		if (strcmp(k, "school") == 0 ? !json_is_object(v) : !json_is_array(v))
			return fail(POORT_E_INVALID, "%s", k);
	}
	for (size_t s = 1; s < N(sections) && !err; s++) {
		json_decref(seen);
		seen = json_object();
		json_array_foreach(json_object_get(doc, sections[s]), i, e) {
			snprintf(w, sizeof w, "%s[%zu]", sections[s], i);
			switch (s) {
			case 1:
				if ((err = fields_check(e, group_fields, N(group_fields), false, w, group_extra)) ||
				    (err = grades_check(json_object_get(e, "grades"), w)) ||
				    (err = unique_in_doc(seen, jstr(e, "name"), w, "name")))
					goto out;
				break;
			case 2:
				if ((err = fields_check(e, staff_fields, N(staff_fields), false, w, staff_extra)))
					goto out;
				if (!username_ok(jstr(e, "username"))) {
					err = fail(POORT_E_INVALID, "%s.username", w);
					goto out;
				}
				if (poort_role_parse(jstr(e, "role"), &role) || role < POORT_ROLE_TEACHER ||
				    role > POORT_ROLE_ADMIN) {
					err = fail(POORT_E_INVALID, "%s.role", w);
					goto out;
				}
				if (jstr(e, "password") && !password_ok(jstr(e, "password"))) {
					err = fail(POORT_E_INVALID, "%s.password: at least 10 characters", w);
					goto out;
				}
				if ((v = json_object_get(e, "groups")) && !json_is_array(v)) {
					err = fail(POORT_E_INVALID, "%s.groups", w);
					goto out;
				}
				for (j = 0; j < json_array_size(v); j++)
					if (!text_ok(json_string_value(json_array_get(v, j)), 20)) {
						err = fail(POORT_E_INVALID, "%s.groups[%zu]", w, j);
						goto out;
					}
				if ((err = unique_in_doc(seen, jstr(e, "username"), w, "username")))
					goto out;
				break;
			case 3:
				if ((err = fields_check(e, pupil_fields, N(pupil_fields), false, w, pupil_extra)))
					goto out;
				if (!text_ok(jstr(e, "group"), 20)) {
					err = fail(POORT_E_INVALID, "%s.group", w);
					goto out;
				}
				if ((v = json_object_get(e, "medical"))) {
					snprintf(w + strlen(w), sizeof w - strlen(w), ".medical");
					if ((err = medical_validate(v, false, w)))
						goto out;
					snprintf(w, sizeof w, "%s[%zu]", sections[s], i);
				}
				if ((err = unique_in_doc(seen, jstr(e, "key"), w, "key")))
					goto out;
				break;
			case 4:
				if ((err = fields_check(e, guardian_fields, N(guardian_fields), false, w, guardian_extra)))
					goto out;
				if ((v = json_object_get(e, "pin")) && !pin_ok(json_string_value(v))) {
					err = fail(POORT_E_INVALID, "%s.pin: 5 digits", w);
					goto out;
				}
				if ((v = json_object_get(e, "parent_code")) && !parent_code_ok(json_string_value(v))) {
					err = fail(POORT_E_INVALID, "%s.parent_code: 6 digits", w);
					goto out;
				}
				if ((v = json_object_get(e, "card")) && !card_token_ok(json_string_value(v))) {
					err = fail(POORT_E_INVALID, "%s.card", w);
					goto out;
				}
				if ((v = json_object_get(e, "password")) && !password_ok(json_string_value(v))) {
					err = fail(POORT_E_INVALID, "%s.password: at least 10 characters", w);
					goto out;
				}
				if (json_object_get(e, "password") && !jstr(e, "email")) {
					err = fail(POORT_E_INVALID, "%s.email: needed for a password login", w);
					goto out;
				}
				if ((err = unique_in_doc(seen, jstr(e, "key"), w, "key")))
					goto out;
				break;
			case 5: {
				char pair[80];
				if ((err = fields_check(e, link_fields, N(link_fields), false, w, NULL)))
					goto out;
				snprintf(pair, sizeof pair, "%s\n%s", jstr(e, "pupil"), jstr(e, "guardian"));
				if ((err = unique_in_doc(seen, pair, w, "guardian")))
					goto out;
				break;
			}
			}
		}
	}
out:
	json_decref(seen);
	return err;
}

/* Secrets of the document, hashed before the write transaction opens. */
struct hash_job {
	const char *plain;
	char hash[SECRET_HASH_MAX];
	poort_err err;
};

struct hash_work {
	struct hash_job *jobs;
	size_t n, start, step;
};

static void *hash_worker(void *arg)
{
	struct hash_work *w = arg;

	for (size_t i = w->start; i < w->n; i += w->step)
		w->jobs[i].err = secret_hash(w->jobs[i].plain, w->jobs[i].hash);
	return NULL;
}

/* Hashes every job, on two threads when there is more than one: the box
 * has two cores and argon2id is the slow part of a large import. */
static poort_err hash_all(struct hash_job *jobs, size_t n)
{
	struct hash_work w[2] = { { jobs, n, 0, 2 }, { jobs, n, 1, 2 } };
	pthread_t th;
	bool threaded = n > 1 && pthread_create(&th, NULL, hash_worker, &w[1]) == 0;

	if (!threaded)
		w[0].step = 1;
	hash_worker(&w[0]);
	if (threaded)
		pthread_join(th, NULL);
	for (size_t i = 0; i < n; i++)
		if (jobs[i].err)
			return jobs[i].err;
	return POORT_OK;
}

struct import_args {
	const json_t *doc;
	struct hash_job *jobs;
	/* index into jobs per item, -1 if none */
	int *staff_pw, *guardian_pin, *guardian_pw;
	json_t *report;
};

static const char *job_hash(const struct import_args *a, const int *map, size_t i)
{
	return map && map[i] >= 0 ? a->jobs[map[i]].hash : NULL;
}

/* Looks up an external key: *id 0 when absent. */
static poort_err index_find(tx *t, const char *kind, const char *text, poort_id *id)
{
	poort_err err = store_index_get(t, kind, text, id);
	return err == POORT_E_NOT_FOUND ? POORT_OK : err;
}

/* id for an external key: the existing one, or a new one (indexed). */
static poort_err id_for_key(tx *t, const char *kind, const char *text, poort_id *id, bool *existed)
{
	poort_err err = index_find(t, kind, text, id);

	*existed = *id != 0;
	if (err || *id)
		return err;
	if ((err = store_next_id(t, id)))
		return err;
	return store_index_put(t, kind, text, *id);
}

static poort_err import_groups(tx *t, const json_t *groups, int *count)
{
	size_t i;
	json_t *e, *rec;
	poort_id id;
	bool existed;
	key k;
	poort_err err;

	json_array_foreach(groups, i, e) {
		if ((err = id_for_key(t, "group", jstr(e, "name"), &id, &existed)))
			return err == POORT_E_INVALID ? fail(err, "groups[%zu].name", i) : err;
		rec = json_pack("{sI sO sO}", "id", (json_int_t)id, "name", json_object_get(e, "name"), "grades",
		                json_object_get(e, "grades"));
		k = key_id(id);
		err = store_put(t, DB_GROUPS, &k, rec);
		json_decref(rec);
		if (err)
			return err;
		++*count;
	}
	return POORT_OK;
}

static poort_err group_ids(tx *t, const json_t *names, const char *where, json_t **ids)
{
	size_t i;
	json_t *n;
	poort_id id;
	poort_err err;

	*ids = json_array();
	json_array_foreach(names, i, n) {
		if ((err = index_find(t, "group", json_string_value(n), &id)))
			return err;
		if (!id)
			return fail(POORT_E_NOT_FOUND, "%s[%zu]: no such group", where, i);
		json_array_append_new(*ids, json_integer((json_int_t)id));
	}
	return POORT_OK;
}

static poort_err import_staff(tx *t, const struct import_args *a, int *count)
{
	const json_t *staff = json_object_get(a->doc, "staff");
	size_t i;
	json_t *e, *rec = NULL, *acc = NULL, *ids = NULL;
	poort_id account, id;
	char w[64];
	key k;
	poort_err err = POORT_OK;

	json_array_foreach(staff, i, e) {
		const char *hash = job_hash(a, a->staff_pw, i);

		snprintf(w, sizeof w, "staff[%zu]", i);
		rec = acc = ids = NULL;
		if ((err = index_find(t, "user", jstr(e, "username"), &account)))
			goto out;
		id = 0;
		if (account) {
			k = key_id(account);
			if ((err = store_get(t, DB_ACCOUNTS, &k, &acc)))
				goto out;
			id = jid(acc, "staff");
			json_decref(acc);
			acc = NULL;
			if (!id) {
				err = fail(POORT_E_EXISTS, "%s.username: used by a parent's login", w);
				goto out;
			}
		} else if ((err = store_next_id(t, &id))) {
			goto out;
		}
		snprintf(w, sizeof w, "staff[%zu].groups", i);
		if ((err = group_ids(t, json_object_get(e, "groups"), w, &ids)))
			goto out;
		snprintf(w, sizeof w, "staff[%zu]", i);
		rec = normalized(e, (const char *const[]){ "password", "groups", NULL });
		json_object_set_new(rec, "id", json_integer((json_int_t)id));
		json_object_set_new(rec, "groups", ids);
		ids = NULL;
		if (account)
			json_object_set_new(rec, "account", json_integer((json_int_t)account));
		if ((err = account_ensure(t, jstr(e, "role"), id, rec, &acc)) ||
		    (err = account_set_username(t, acc, jstr(e, "username"), w)))
			goto out;
		if (hash)
			json_object_set_new(acc, "password", json_string(hash));
		k = key_id(id);
		if ((err = account_put(t, acc)) || (err = store_put(t, DB_STAFF, &k, rec)))
			goto out;
		json_decref(rec);
		json_decref(acc);
		++*count;
	}
	return POORT_OK;
out:
	json_decref(rec);
	json_decref(acc);
	json_decref(ids);
	return err;
}

/* Pupils whose emergency contacts must be checked again after the import,
 * with where in the document the change came from. */
static void affected_add(json_t *affected, poort_id pupil, const char *where)
{
	char k[24];

	snprintf(k, sizeof k, "%llu", (unsigned long long)pupil);
	if (!json_object_get(affected, k))
		json_object_set_new(affected, k, json_string(where));
}

static poort_err import_pupils(tx *t, const json_t *pupils, json_t *affected, int *count)
{
	size_t i;
	json_t *e, *rec = NULL, *med = NULL;
	poort_id id, group;
	bool existed;
	char w[64];
	key k;
	poort_err err;

	json_array_foreach(pupils, i, e) {
		snprintf(w, sizeof w, "pupils[%zu]", i);
		if ((err = index_find(t, "group", jstr(e, "group"), &group)))
			return err;
		if (!group)
			return fail(POORT_E_NOT_FOUND, "%s.group: no such group", w);
		if ((err = id_for_key(t, "pupil", jstr(e, "key"), &id, &existed)))
			return err == POORT_E_INVALID ? fail(err, "%s.key", w) : err;
		rec = normalized(e, (const char *const[]){ "group", "medical", NULL });
		json_object_set_new(rec, "id", json_integer((json_int_t)id));
		json_object_set_new(rec, "group", json_integer((json_int_t)group));
		k = key_id(id);
		err = store_put(t, DB_PUPILS, &k, rec);
		json_decref(rec);
		if (!err && json_object_get(e, "medical")) {
			med = normalized(json_object_get(e, "medical"), NULL);
			err = store_put(t, DB_MEDICAL, &k, med);
			json_decref(med);
		}
		if (err)
			return err;
		affected_add(affected, id, w);
		++*count;
	}
	return POORT_OK;
}

static poort_err guardian_account(tx *t, const struct import_args *a, size_t i, const json_t *e, json_t *rec,
                                  const char *w)
{
	const char *pin = job_hash(a, a->guardian_pin, i), *pw = job_hash(a, a->guardian_pw, i);
	const char *code = jstr(e, "parent_code"), *card = jstr(e, "card"), *email = jstr(rec, "email");
	bool secrets = pin || pw || code || card;
	json_t *acc = NULL;
	char where[96], digest[65];
	poort_err err;

	if (!secrets && !jid(rec, "account"))
		return POORT_OK;
	if ((err = account_ensure(t, "parent", jid(rec, "id"), rec, &acc)))
		return err;
	snprintf(where, sizeof where, "%s.parent_code", w);
	if (code && (err = account_set_parent_code(t, acc, code, where)))
		goto out;
	if (pin)
		json_object_set_new(acc, "pin", json_string(pin));
	if ((code || pin) && !(jstr(acc, "pin") && jstr(acc, "parent_code"))) {
		err = fail(POORT_E_INVALID, "%s.%s: a kiosk login needs both parent_code and pin", w,
		           jstr(acc, "pin") ? "parent_code" : "pin");
		goto out;
	}
	if (card) {
		card_digest(card, digest);
		snprintf(where, sizeof where, "%s.card", w);
		if ((err = account_set_card(t, acc, digest, where)))
			goto out;
	}
	/* A web login follows the e-mail address; without one it ends. */
	snprintf(where, sizeof where, "%s.email", w);
	if (pw || jstr(acc, "username"))
		if ((err = account_set_username(t, acc, email, where)))
			goto out;
	if (pw)
		json_object_set_new(acc, "password", json_string(pw));
	err = account_put(t, acc);
out:
	json_decref(acc);
	return err;
}

static poort_err import_guardians(tx *t, const struct import_args *a, json_t *affected, int *count)
{
	size_t i;
	json_t *e, *rec = NULL, *old = NULL;
	poort_id id, pupils[64];
	bool existed;
	int np;
	char w[64];
	key k;
	poort_err err = POORT_OK;

	json_array_foreach(json_object_get(a->doc, "guardians"), i, e) {
		snprintf(w, sizeof w, "guardians[%zu]", i);
		rec = old = NULL;
		if ((err = id_for_key(t, "guardian", jstr(e, "key"), &id, &existed)))
			return err == POORT_E_INVALID ? fail(err, "%s.key", w) : err;
		rec = normalized(e, guardian_extra);
		json_object_set_new(rec, "id", json_integer((json_int_t)id));
		k = key_id(id);
		if (existed && (err = store_get(t, DB_GUARDIANS, &k, &old)) == POORT_OK && jid(old, "account"))
			json_object_set(rec, "account", json_object_get(old, "account"));
		if (err)
			goto out;
		if ((err = guardian_account(t, a, i, e, rec, w)) || (err = store_put(t, DB_GUARDIANS, &k, rec)))
			goto out;
		/* A new phone number may now equal a child's emergency contact. */
		if ((err = pupil_ids_of_guardian(t, id, pupils, 64, &np)))
			goto out;
		for (int j = 0; j < np && j < 64; j++)
			affected_add(affected, pupils[j], w);
		json_decref(rec);
		json_decref(old);
		++*count;
	}
	return POORT_OK;
out:
	json_decref(rec);
	json_decref(old);
	return err;
}

static poort_err import_links(tx *t, const json_t *links, json_t *affected, int *count)
{
	size_t i;
	json_t *e, *rec;
	poort_id pupil, guardian;
	char w[64];
	key k;
	int n, max = portal_guardians_max(t);
	poort_err err;

	json_array_foreach(links, i, e) {
		snprintf(w, sizeof w, "links[%zu]", i);
		if ((err = index_find(t, "pupil", jstr(e, "pupil"), &pupil)))
			return err;
		if (!pupil)
			return fail(POORT_E_NOT_FOUND, "%s.pupil: no such pupil", w);
		if ((err = index_find(t, "guardian", jstr(e, "guardian"), &guardian)))
			return err;
		if (!guardian)
			return fail(POORT_E_NOT_FOUND, "%s.guardian: no such guardian", w);
		rec = json_pack("{sI sI sb sb}", "pupil", (json_int_t)pupil, "guardian", (json_int_t)guardian,
		                "authority", jbool(e, "authority", true), "portal", jbool(e, "portal", true));
		if (jstr(e, "relation") && *jstr(e, "relation"))
			json_object_set(rec, "relation", json_object_get(e, "relation"));
		k = key_id_id(pupil, guardian);
		err = store_put(t, DB_LINKS, &k, rec);
		json_decref(rec);
		if (err)
			return err;
		k = key_id_id(guardian, pupil);
		rec = json_object();
		err = store_put(t, DB_GUARDIAN_PUPILS, &k, rec);
		json_decref(rec);
		if (err)
			return err;
		n = portal_count(t, pupil, &err);
		if (err)
			return err;
		if (n > max)
			return fail(POORT_E_LIMIT, "%s.portal: at most %d guardians with portal access per pupil", w, max);
		affected_add(affected, pupil, w);
		++*count;
	}
	return POORT_OK;
}

static poort_err check_affected(tx *t, json_t *affected)
{
	const char *id_text, *where;
	json_t *v, *pupil;
	int clash;
	poort_err err;

	json_object_foreach(affected, id_text, v) {
		if ((err = pupil_get(t, (poort_id)strtoull(id_text, NULL, 10), &pupil)))
			return err;
		err = emergency_clash(t, pupil, &clash);
		where = json_string_value(v);
		if (!err && clash >= 0) {
			if (strncmp(where, "pupils[", 7) == 0)
				err = fail(POORT_E_INVALID, "%s.emergency_contacts[%d].phone: a guardian's own number", where,
				           clash);
			else
				err = fail(POORT_E_INVALID,
				           "%s: pupil %s has a guardian's own number as emergency_contacts[%d].phone", where,
				           jstr(pupil, "key"), clash);
		}
		json_decref(pupil);
		if (err)
			return err;
	}
	return POORT_OK;
}

static poort_err import_op(tx *t, void *arg)
{
	struct import_args *a = arg;
	const json_t *school = json_object_get(a->doc, "school");
	json_t *affected = json_object(), *report = NULL;
	int n[N(sections)] = { 0 };
	char detail[512];
	poort_err err;

	if ((err = authz_admin(t)))
		goto out;
	if (school && (err = school_update(t, school))) {
		snprintf(detail, sizeof detail, "%s", poort_error_detail());
		err = fail(err, "school.%s", detail);
		goto out;
	}
	n[0] = school != NULL;
	if ((err = import_groups(t, json_object_get(a->doc, "groups"), &n[1])) ||
	    (err = import_staff(t, a, &n[2])) ||
	    (err = import_pupils(t, json_object_get(a->doc, "pupils"), affected, &n[3])) ||
	    (err = import_guardians(t, a, affected, &n[4])) ||
	    (err = import_links(t, json_object_get(a->doc, "links"), affected, &n[5])) ||
	    (err = check_affected(t, affected)))
		goto out;
	report = json_object();
	for (size_t i = 0; i < N(sections); i++)
		json_object_set_new(report, sections[i], json_integer(n[i]));
	if ((err = audit_add(t, "import", 0, report)))
		goto out;
	json_decref(a->report);
	a->report = report;
	report = NULL;
out:
	json_decref(report);
	json_decref(affected);
	return err;
}

static int *job_map(const json_t *items, const char *field, struct hash_job *jobs, size_t *njobs)
{
	size_t n = json_array_size(items), i;
	int *map = malloc((n ? n : 1) * sizeof *map);
	json_t *e;

	if (!map)
		return NULL;
	json_array_foreach(items, i, e) {
		map[i] = -1;
		if (jstr(e, field)) {
			jobs[*njobs].plain = jstr(e, field);
			map[i] = (int)(*njobs)++;
		}
	}
	return map;
}

poort_err poort_import(poort *p, poort_id actor, const json_t *doc, json_t **report)
{
	struct import_args a = { .doc = doc };
	const json_t *staff, *guardians;
	poort_role role = POORT_ROLE_NONE;
	size_t njobs = 0;
	poort_err err;

	if (report)
		*report = NULL;
	detail_clear();
	/* Refuse early whoever may not import: hashing is expensive. The
	 * transaction decides again. */
	if ((err = poort_account_role(p, actor, &role)))
		return err;
	if (role != POORT_ROLE_ADMIN && role != POORT_ROLE_CONSOLE)
		return fail(POORT_E_DENIED, "administrators only");
	if ((err = doc_validate(doc)))
		return err;
	staff = json_object_get(doc, "staff");
	guardians = json_object_get(doc, "guardians");
	a.jobs = calloc(json_array_size(staff) + 2 * json_array_size(guardians) + 1, sizeof *a.jobs);
	a.staff_pw = job_map(staff, "password", a.jobs, &njobs);
	a.guardian_pin = job_map(guardians, "pin", a.jobs, &njobs);
	a.guardian_pw = job_map(guardians, "password", a.jobs, &njobs);
	if (!a.jobs || !a.staff_pw || !a.guardian_pin || !a.guardian_pw) {
		err = POORT_E_NOMEM;
		goto out;
	}
	if ((err = hash_all(a.jobs, njobs)))
		goto out;
	if ((err = tx_write(p, actor, import_op, &a)))
		goto out;
	if (report) {
		*report = a.report;
		a.report = NULL;
	}
out:
	json_decref(a.report);
	free(a.jobs);
	free(a.staff_pw);
	free(a.guardian_pin);
	free(a.guardian_pw);
	return err;
}

/* ---- lookups by external key ---- */

struct by_key_args {
	const char *kind, *text;
	poort_id id;
};

static poort_err by_key_op(tx *t, void *arg)
{
	struct by_key_args *a = arg;
	poort_err err = store_index_get(t, a->kind, a->text, &a->id);
	return err == POORT_E_NOT_FOUND ? fail(err, "%s %s", a->kind, a->text) : err;
}

static poort_err by_key(poort *p, const char *kind, const char *text, poort_id *id)
{
	struct by_key_args a = { kind, text, 0 };
	poort_err err;

	*id = 0;
	if (!text_ok(text, 64))
		return fail(POORT_E_NOT_FOUND, "%s", kind);
	err = tx_read(p, POORT_ACTOR_CONSOLE, by_key_op, &a);
	*id = err ? 0 : a.id;
	return err;
}

poort_err poort_pupil_by_key(poort *p, const char *k, poort_id *pupil)
{
	return by_key(p, "pupil", k, pupil);
}

poort_err poort_guardian_by_key(poort *p, const char *k, poort_id *guardian)
{
	return by_key(p, "guardian", k, guardian);
}

/* ---- lists ---- */

static int summary_cmp(const void *x, const void *y)
{
	const json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
	static const char *const by[] = { "group_name", "last_name", "first_name" };
	int c;

	for (size_t i = 0; i < N(by); i++) {
		const char *sa = jstr(a, by[i]), *sb = jstr(b, by[i]);
		if ((c = strcmp(sa ? sa : "", sb ? sb : "")))
			return c;
	}
	return jid(a, "id") < jid(b, "id") ? -1 : jid(a, "id") > jid(b, "id");
}

/* Sorts an array of pupil summaries by group, last and first name. */
static void summaries_sort(json_t *arr)
{
	size_t n = json_array_size(arr);
	json_t **v = malloc((n ? n : 1) * sizeof *v);

	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(arr, i));
	qsort(v, n, sizeof *v, summary_cmp);
	json_array_clear(arr);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, v[i]);
	free(v);
}

struct list_args {
	poort_id group;
	json_t *out;
};

static poort_err pupil_list_walk(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	struct list_args *a = arg;
	const actor_ctx *me = tx_actor(t);
	poort_id group = jid(val, "group");

	if ((a->group && group != a->group) || !(authz_sees_all_pupils(me) || authz_teaches_group(me, group)))
		return POORT_OK;
	json_array_append_new(a->out, pupil_summary(t, val));
	return POORT_OK;
}

/* The actor's children with a portal link, as {summary.., "link": {...}}. */
static poort_err children_of(tx *t, poort_id guardian, poort_id group, json_t *out, bool with_link)
{
	poort_id ids[64];
	int n;
	json_t *pupil, *link, *s;
	key k;
	poort_err err;

	if ((err = pupil_ids_of_guardian(t, guardian, ids, 64, &n)))
		return err;
	for (int i = 0; i < n && i < 64; i++) {
		k = key_id_id(ids[i], guardian);
		if ((err = store_get(t, DB_LINKS, &k, &link)))
			return err;
		if (!jbool(link, "portal", true) || (err = pupil_get(t, ids[i], &pupil))) {
			json_decref(link);
			if (err)
				return err;
			continue;
		}
		if (!group || jid(pupil, "group") == group) {
			s = pupil_summary(t, pupil);
			if (with_link)
				json_object_set(s, "link", link);
			json_array_append_new(out, s);
		}
		json_decref(pupil);
		json_decref(link);
	}
	return POORT_OK;
}

static poort_err pupil_list_op(tx *t, void *arg)
{
	struct list_args *a = arg;
	const actor_ctx *me = tx_actor(t);
	json_t *out = json_array();
	key k = key_id(a->group);
	poort_err err;

	if (me->role == POORT_ROLE_PARENT) {
		err = children_of(t, me->guardian, a->group, out, false);
	} else if (!authz_is_staff(me)) {
		err = fail(POORT_E_DENIED, "pupils");
	} else if (a->group && !store_has(t, DB_GROUPS, &k)) {
		err = fail(POORT_E_NOT_FOUND, "group");
	} else if (a->group && !authz_sees_all_pupils(me) && !authz_teaches_group(me, a->group)) {
		err = fail(POORT_E_DENIED, "group");
	} else {
		struct list_args w = { a->group, out };
		err = store_walk(t, DB_PUPILS, NULL, 0, pupil_list_walk, &w);
	}
	if (err) {
		json_decref(out);
		return err;
	}
	summaries_sort(out);
	json_decref(a->out);
	a->out = out;
	return POORT_OK;
}

poort_err poort_pupil_list(poort *p, poort_id actor, poort_id group, json_t **out)
{
	struct list_args a = { group, NULL };
	poort_err err = tx_read(p, actor, pupil_list_op, &a);

	*out = result_if_ok(err, a.out);
	return err;
}

static poort_err group_walk(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	json_array_append(arg, val);
	return POORT_OK;
}

static poort_err group_list_op(tx *t, void *arg)
{
	struct list_args *a = arg;
	const actor_ctx *me = tx_actor(t);
	json_t *out = json_array(), *children, *c, *g;
	size_t i;
	poort_err err = POORT_OK;

	if (authz_is_staff(me)) {
		err = store_walk(t, DB_GROUPS, NULL, 0, group_walk, out);
	} else if (me->role == POORT_ROLE_PARENT) {
		children = json_array();
		err = children_of(t, me->guardian, 0, children, false);
		json_array_foreach(children, i, c) {
			key k = key_id(jid(c, "group"));
			bool dup = false;
			for (size_t j = 0; j < json_array_size(out); j++)
				dup |= jid(json_array_get(out, j), "id") == jid(c, "group");
			if (!err && !dup && store_get(t, DB_GROUPS, &k, &g) == POORT_OK)
				json_array_append_new(out, g);
		}
		json_decref(children);
	} else {
		err = fail(POORT_E_DENIED, "groups");
	}
	if (err) {
		json_decref(out);
		return err;
	}
	json_decref(a->out);
	a->out = out;
	return POORT_OK;
}

poort_err poort_group_list(poort *p, poort_id actor, json_t **out)
{
	struct list_args a = { 0, NULL };
	poort_err err = tx_read(p, actor, group_list_op, &a);

	*out = result_if_ok(err, a.out);
	return err;
}

static poort_err my_children_op(tx *t, void *arg)
{
	struct list_args *a = arg;
	const actor_ctx *me = tx_actor(t);
	json_t *out;
	poort_err err;

	if (me->role != POORT_ROLE_PARENT || !me->guardian)
		return fail(POORT_E_DENIED, "parents only");
	out = json_array();
	if ((err = children_of(t, me->guardian, 0, out, true))) {
		json_decref(out);
		return err;
	}
	summaries_sort(out);
	json_decref(a->out);
	a->out = out;
	return POORT_OK;
}

poort_err poort_my_children(poort *p, poort_id actor, json_t **out)
{
	struct list_args a = { 0, NULL };
	poort_err err = tx_read(p, actor, my_children_op, &a);

	*out = result_if_ok(err, a.out);
	return err;
}

/* ---- views ---- */

/* A guardian as actor me may see them: hidden contact data removed for
 * other guardians, the account id for administrators only. New object. */
static json_t *guardian_for(const actor_ctx *me, const json_t *g)
{
	json_t *v = guardian_visible(me, g);
	char name[320];

	if (!authz_is_admin(me))
		json_object_del(v, "account");
	json_object_set_new(v, "name", json_string(person_name(g, name, sizeof name)));
	return v;
}

/* The pupil's guardians with their link, as me may see them: new array. */
static poort_err guardians_of(tx *t, const actor_ctx *me, poort_id pupil, json_t **out)
{
	poort_id ids[16];
	int n;
	json_t *g, *link, *v;
	key k;
	poort_err err;

	*out = json_array();
	if ((err = guardian_ids_of_pupil(t, pupil, ids, 16, &n)))
		return err;
	for (int i = 0; i < n && i < 16; i++) {
		if ((err = guardian_get(t, ids[i], &g)))
			return err;
		k = key_id_id(pupil, ids[i]);
		if ((err = store_get(t, DB_LINKS, &k, &link))) {
			json_decref(g);
			return err;
		}
		v = guardian_for(me, g);
		json_object_del(link, "pupil");
		json_object_del(link, "guardian");
		json_object_set_new(v, "link", link);
		json_array_append_new(*out, v);
		json_decref(g);
	}
	return POORT_OK;
}

/* Street texts compared without case and spaces ("Lindelaan 4" = "lindelaan  4"). */
static bool same_street(const json_t *a, const json_t *b)
{
	const char *x = jstr(a, "street"), *y = jstr(b, "street");

	if (!x || !y)
		return false;
	for (;;) {
		while (*x == ' ')
			x++;
		while (*y == ' ')
			y++;
		if (!*x || !*y)
			return !*x && !*y;
		if ((*x | 0x20) != (*y | 0x20))
			return false;
		x++;
		y++;
	}
}

/* A child usually lives with a parent: when the pupil's address is that of
 * a guardian who hides their contact data, it is that guardian's address,
 * and another guardian must not learn it through the child's record. */
static poort_err hide_shared_address(tx *t, const actor_ctx *me, json_t *pupil)
{
	poort_id ids[16];
	int n;
	json_t *g;
	poort_err err;

	if (authz_is_staff(me) || !json_object_get(pupil, "address"))
		return POORT_OK;
	if ((err = guardian_ids_of_pupil(t, jid(pupil, "id"), ids, 16, &n)))
		return err;
	for (int i = 0; i < n && i < 16; i++) {
		if (ids[i] == me->guardian)
			continue;
		if ((err = guardian_get(t, ids[i], &g)))
			return err;
		if (jbool(g, "hide_contact", false) &&
		    same_street(json_object_get(pupil, "address"), json_object_get(g, "address")))
			json_object_del(pupil, "address");
		json_decref(g);
	}
	return POORT_OK;
}

struct pupil_view_args {
	poort_id pupil;
	unsigned parts;
	json_t *out;
};

/* The pupil card; medical data is read (and audited) only when asked. */
static poort_err pupil_card(tx *t, const actor_ctx *me, poort_id pupil, unsigned parts, json_t **out)
{
	json_t *rec = NULL, *guardians = NULL, *med = NULL;
	key k = key_id(pupil);
	char name[320], gname[64];
	poort_err err;

	*out = NULL;
	if ((err = pupil_get(t, pupil, &rec)))
		return err;
	if ((err = hide_shared_address(t, me, rec)))
		goto out;
	json_object_set_new(rec, "name", json_string(person_name(rec, name, sizeof name)));
	json_object_set_new(rec, "group_name", json_string(group_name(t, jid(rec, "group"), gname, sizeof gname)));
	if (parts & POORT_VIEW_CONTACTS) {
		if ((err = guardians_of(t, me, pupil, &guardians)))
			goto out;
		json_object_set_new(rec, "guardians", guardians);
		guardians = NULL;
		if (!json_object_get(rec, "emergency_contacts"))
			json_object_set_new(rec, "emergency_contacts", json_array());
		if (!json_object_get(rec, "pickup_adults"))
			json_object_set_new(rec, "pickup_adults", json_array());
	} else {
		json_object_del(rec, "emergency_contacts");
		json_object_del(rec, "pickup_adults");
	}
	if (parts & POORT_VIEW_MEDICAL) {
		err = store_get(t, DB_MEDICAL, &k, &med);
		if (err == POORT_E_NOT_FOUND) {
			med = json_object();
			err = POORT_OK;
		}
		if (err || (err = audit_add(t, "medical.read", pupil, NULL)))
			goto out;
		json_object_set_new(rec, "medical", med);
		med = NULL;
	}
	*out = rec;
	rec = NULL;
out:
	json_decref(rec);
	json_decref(guardians);
	json_decref(med);
	return err;
}

static poort_err pupil_view_op(tx *t, void *arg)
{
	struct pupil_view_args *a = arg;
	json_t *out;
	poort_err err;

	if ((err = authz_pupil_view(t, a->pupil)) || (err = pupil_card(t, tx_actor(t), a->pupil, a->parts, &out)))
		return err;
	json_decref(a->out);
	a->out = out;
	return POORT_OK;
}

poort_err poort_pupil_view(poort *p, poort_id actor, poort_id pupil, unsigned parts, json_t **out)
{
	struct pupil_view_args a = { pupil, parts, NULL };
	poort_err err;

	*out = NULL;
	detail_clear();
	if (parts & ~(unsigned)(POORT_VIEW_CONTACTS | POORT_VIEW_MEDICAL))
		return fail(POORT_E_INVALID, "parts");
	/* A medical read commits its audit entry together with the read. */
	err = (parts & POORT_VIEW_MEDICAL) ? tx_write(p, actor, pupil_view_op, &a) : tx_read(p, actor, pupil_view_op, &a);
	*out = result_if_ok(err, a.out);
	return err;
}

/* Whether parent actor me has portal access to a child of guardian g. */
static bool share_child(tx *t, const actor_ctx *me, poort_id g)
{
	poort_id ids[64];
	int n;

	if (pupil_ids_of_guardian(t, g, ids, 64, &n))
		return false;
	for (int i = 0; i < n && i < 64; i++)
		if (authz_is_guardian_of(t, me, ids[i]))
			return true;
	return false;
}

/* Teacher of one of the guardian's children. */
static bool teaches_child_of(tx *t, const actor_ctx *me, poort_id guardian)
{
	poort_id ids[64];
	int n;

	if (pupil_ids_of_guardian(t, guardian, ids, 64, &n))
		return false;
	for (int i = 0; i < n && i < 64; i++)
		if (authz_teaches_pupil(t, me, ids[i]))
			return true;
	return false;
}

static poort_err guardian_authz(tx *t, poort_id guardian, json_t **g)
{
	const actor_ctx *me = tx_actor(t);
	poort_err err = guardian_get(t, guardian, g);

	if (err == POORT_E_NOT_FOUND && !authz_is_staff(me))
		return fail(POORT_E_DENIED, "guardian");
	if (err)
		return err;
	if (authz_sees_all_pupils(me) || (me->role == POORT_ROLE_PARENT && me->guardian == guardian) ||
	    (me->role == POORT_ROLE_PARENT && share_child(t, me, guardian)) ||
	    (me->role == POORT_ROLE_TEACHER && teaches_child_of(t, me, guardian)))
		return POORT_OK;
	json_decref(*g);
	*g = NULL;
	return fail(POORT_E_DENIED, "guardian");
}

struct guardian_args {
	poort_id guardian;
	bool hide;
	json_t *out;
};

static poort_err guardian_view_op(tx *t, void *arg)
{
	struct guardian_args *a = arg;
	json_t *g;
	poort_err err = guardian_authz(t, a->guardian, &g);

	if (err)
		return err;
	json_decref(a->out);
	a->out = guardian_for(tx_actor(t), g);
	json_decref(g);
	return POORT_OK;
}

poort_err poort_guardian_view(poort *p, poort_id actor, poort_id guardian, json_t **out)
{
	struct guardian_args a = { guardian, false, NULL };
	poort_err err = tx_read(p, actor, guardian_view_op, &a);

	*out = result_if_ok(err, a.out);
	return err;
}

static poort_err set_hidden_op(tx *t, void *arg)
{
	struct guardian_args *a = arg;
	const actor_ctx *me = tx_actor(t);
	json_t *g = NULL, *d;
	key k = key_id(a->guardian);
	poort_err err;

	if (!authz_is_admin(me) && !(me->role == POORT_ROLE_PARENT && me->guardian == a->guardian))
		return fail(POORT_E_DENIED, "only the guardian themself");
	if ((err = guardian_get(t, a->guardian, &g)))
		return err;
	json_object_set_new(g, "hide_contact", json_boolean(a->hide));
	if (!(err = store_put(t, DB_GUARDIANS, &k, g))) {
		d = json_pack("{sb}", "hide", a->hide);
		err = audit_add(t, "guardian.hide_contact", a->guardian, d);
		json_decref(d);
	}
	json_decref(g);
	return err;
}

poort_err poort_guardian_set_hidden(poort *p, poort_id actor, poort_id guardian, bool hide)
{
	struct guardian_args a = { guardian, hide, NULL };
	return tx_write(p, actor, set_hidden_op, &a);
}

/* ---- exports (AVG right of access) ---- */

/* Whether a stored record (absence, check-in, correction ...) was made by
 * or is about the guardian: ids are unique across the store, so a field
 * holding the guardian's id or their account's id means them. */
static bool record_of_guardian(const json_t *rec, poort_id guardian, poort_id account)
{
	static const char *const by_account[] = { "reported_by", "proposed_by", "by", "account", "actor" };

	if (jid(rec, "guardian") == guardian)
		return true;
	for (size_t i = 0; account && i < N(by_account); i++)
		if (jid(rec, by_account[i]) == account)
			return true;
	return false;
}

struct export_walk {
	poort_id guardian, account, pupil;
	bool any_of_pupil;     /* pupil export by staff: every record about the pupil */
	json_t *out;
};

static poort_err export_match(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	struct export_walk *w = arg;
	bool about_pupil = w->pupil && (jid(val, "pupil") == w->pupil || jid(val, "subject") == w->pupil);
	bool ok;

	if (w->guardian && w->pupil)        /* a guardian exporting their child: only their own records */
		ok = about_pupil && record_of_guardian(val, w->guardian, w->account);
	else if (w->pupil)
		ok = about_pupil;
	else
		ok = record_of_guardian(val, w->guardian, w->account);
	if (ok)
		json_array_append(w->out, val);
	return POORT_OK;
}

static poort_err audit_match(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	struct export_walk *w = arg;
	poort_id subject = jid(val, "subject"), actor = jid(val, "actor");
	json_t *e;

	if (w->pupil ? subject != w->pupil
	             : !(subject == w->guardian || (w->account && (subject == w->account || actor == w->account))))
		return POORT_OK;
	e = json_deep_copy(val);
	if (w->any_of_pupil == false && w->pupil)
		json_object_del(e, "detail");   /* a parent learns who looked, not what others wrote */
	json_array_append_new(w->out, e);
	return POORT_OK;
}

/* Records of db matching w, as a new array in w->out. */
/* Collects the records of db that w matches into into[name] (an array). */
static poort_err export_collect(tx *t, enum db db, const void *prefix, size_t plen, struct export_walk *w,
                                json_t *into, const char *name)
{
	poort_err err;

	w->out = json_array();
	err = store_walk(t, db, prefix, plen, db == DB_AUDIT ? audit_match : export_match, w);
	if (!err)
		json_object_set(into, name, w->out);
	json_decref(w->out);
	w->out = NULL;
	return err;
}

/* The account without anything secret: which credentials exist, not them. */
static json_t *account_public(const json_t *acc)
{
	json_t *out = json_deep_copy(acc);
	static const char *const secret[] = { "password", "pin", "card", "parent_code" };
	json_t *has = json_object();

	for (size_t i = 0; i < N(secret); i++) {
		json_object_set_new(has, secret[i], json_boolean(json_object_get(acc, secret[i]) != NULL));
		json_object_del(out, secret[i]);
	}
	json_object_set_new(out, "credentials", has);
	return out;
}

struct export_args {
	poort_id id;
	json_t *out;
};

static poort_err export_guardian_op(tx *t, void *arg)
{
	struct export_args *a = arg;
	const actor_ctx *me = tx_actor(t);
	/* Everything about other people is shown as this guardian would see it. */
	actor_ctx as_guardian = { .role = POORT_ROLE_PARENT, .guardian = a->id };
	json_t *out = json_object(), *g = NULL, *acc = NULL, *links = json_array(), *children = json_array(), *v;
	struct export_walk w = { .guardian = a->id };
	poort_id pupils[64];
	int n;
	key k;
	poort_err err;

	if (!authz_is_admin(me) && !(me->role == POORT_ROLE_PARENT && me->guardian == a->id)) {
		err = fail(POORT_E_DENIED, "export: the guardian themself or an administrator");
		goto out;
	}
	if ((err = guardian_get(t, a->id, &g)))
		goto out;
	as_guardian.account = jid(g, "account");
	w.account = jid(g, "account");
	json_object_set(out, "guardian", g);
	if (w.account) {
		k = key_id(w.account);
		if ((err = store_get(t, DB_ACCOUNTS, &k, &acc)))
			goto out;
		json_object_set_new(out, "account", account_public(acc));
	}
	if ((err = pupil_ids_of_guardian(t, a->id, pupils, 64, &n)))
		goto out;
	for (int i = 0; i < n && i < 64; i++) {
		json_t *card;
		key prefix = key_id(pupils[i]);

		k = key_id_id(pupils[i], a->id);
		if ((err = store_get(t, DB_LINKS, &k, &v)))
			goto out;
		json_array_append_new(links, v);
		if ((err = pupil_card(t, &as_guardian, pupils[i], POORT_VIEW_CONTACTS | POORT_VIEW_MEDICAL, &card)))
			goto out;
		json_array_append_new(children, card);
		w.pupil = 0;
		if ((err = export_collect(t, DB_ABSENCES, prefix.b, prefix.len, &w, card, "absences_reported")))
			goto out;
	}
	json_object_set_new(out, "links", links);
	json_object_set_new(out, "children", children);
	links = children = NULL;
	w.pupil = 0;
	if ((err = export_collect(t, DB_CHECKINS, NULL, 0, &w, out, "checkins")) ||
	    (err = export_collect(t, DB_CORRECTIONS, NULL, 0, &w, out, "corrections")) ||
	    (err = export_collect(t, DB_AUDIT, NULL, 0, &w, out, "audit")))
		goto out;
	if ((err = audit_add(t, "export.guardian", a->id, NULL)))
		goto out;
	json_decref(a->out);
	a->out = out;
	out = NULL;
out:
	json_decref(out);
	json_decref(g);
	json_decref(acc);
	json_decref(links);
	json_decref(children);
	return err;
}

static poort_err export_pupil_op(tx *t, void *arg)
{
	struct export_args *a = arg;
	const actor_ctx *me = tx_actor(t);
	json_t *out = NULL;
	struct export_walk w = { .pupil = a->id, .any_of_pupil = authz_is_admin(me) };
	struct export_walk all = { .pupil = a->id };
	key prefix = key_id(a->id);
	poort_err err;

	/* Administrators, or a guardian of the pupil (their own view). */
	if ((err = authz_pupil_parent(t, a->id)))
		return err;
	if (!authz_is_admin(me)) {
		w.guardian = me->guardian;
		w.account = me->account;
	}
	if ((err = pupil_card(t, me, a->id, POORT_VIEW_CONTACTS | POORT_VIEW_MEDICAL, &out)))
		return err;
	/* A parent sees every absence, register mark and check-in of their
	 * child, as in the portal; corrections and audit entries only their own. */
	if ((err = export_collect(t, DB_ABSENCES, prefix.b, prefix.len, w.guardian ? &all : &w, out, "absences")) ||
	    (err = export_collect(t, DB_ATTENDANCE, NULL, 0, &all, out, "attendance")) ||
	    (err = export_collect(t, DB_CHECKINS, NULL, 0, &all, out, "checkins")) ||
	    (err = export_collect(t, DB_CORRECTIONS, NULL, 0, &w, out, "corrections")) ||
	    (err = export_collect(t, DB_AUDIT, NULL, 0, &w, out, "audit")))
		goto out;
	if ((err = audit_add(t, "export.pupil", a->id, NULL)))
		goto out;
	json_decref(a->out);
	a->out = out;
	out = NULL;
out:
	json_decref(out);
	return err;
}

poort_err poort_export_guardian(poort *p, poort_id actor, poort_id guardian, json_t **out)
{
	struct export_args a = { guardian, NULL };
	/* A write transaction: the medical reads and the export are audited. */
	poort_err err = tx_write(p, actor, export_guardian_op, &a);

	*out = result_if_ok(err, a.out);
	return err;
}

poort_err poort_export_pupil(poort *p, poort_id actor, poort_id pupil, json_t **out)
{
	struct export_args a = { pupil, NULL };
	poort_err err = tx_write(p, actor, export_pupil_op, &a);

	*out = result_if_ok(err, a.out);
	return err;
}

/* ---- invariants (poortctl check) ---- */

/* Whether index kind:text points at id. */
static bool indexed_as(tx *t, const char *kind, const char *text, poort_id id)
{
	poort_id got = 0;
	return text && store_index_get(t, kind, text, &got) == POORT_OK && got == id;
}

static bool exists(tx *t, enum db db, poort_id id)
{
	key k = key_id(id);
	return id && store_has(t, db, &k);
}

static poort_err check_group(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	poort_id id = key_get_id(k, 0);
	char w[32];

	snprintf(w, sizeof w, "groups/%llu", (unsigned long long)id);
	if (jid(val, "id") != id || !text_ok(jstr(val, "name"), 20) || grades_check(json_object_get(val, "grades"), w))
		check_report(arg, "people.group_fields", "group %llu: id, name or grades wrong", (unsigned long long)id);
	if (!indexed_as(t, "group", jstr(val, "name"), id))
		check_report(arg, "people.index", "group %llu (%s) not indexed", (unsigned long long)id, jstr(val, "name"));
	return POORT_OK;
}

static poort_err check_pupil(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	poort_id id = key_get_id(k, 0);
	json_t *fields = normalized(val, (const char *const[]){ "id", "group", NULL });
	poort_err err;
	int clash, portal;

	if (jid(val, "id") != id || pupil_fields_validate(fields, false, ""))
		check_report(arg, "people.pupil_fields", "pupil %llu: %s", (unsigned long long)id, poort_error_detail());
	json_decref(fields);
	if (!exists(t, DB_GROUPS, jid(val, "group")))
		check_report(arg, "people.pupil_group", "pupil %llu: group %llu does not exist", (unsigned long long)id,
		             (unsigned long long)jid(val, "group"));
	if (!indexed_as(t, "pupil", jstr(val, "key"), id))
		check_report(arg, "people.index", "pupil %llu (%s) not indexed", (unsigned long long)id, jstr(val, "key"));
	if ((err = emergency_clash(t, val, &clash)))
		return err;
	if (clash >= 0)
		check_report(arg, "people.emergency_third_party",
		             "pupil %llu: emergency contact %d has a guardian's own number", (unsigned long long)id, clash);
	portal = portal_count(t, id, &err);
	if (err)
		return err;
	if (portal > portal_guardians_max(t))
		check_report(arg, "people.portal_max", "pupil %llu: %d guardians with portal access (max %d)",
		             (unsigned long long)id, portal, portal_guardians_max(t));
	return POORT_OK;
}

static poort_err check_medical(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	poort_id id = key_get_id(k, 0);

	if (!exists(t, DB_PUPILS, id))
		check_report(arg, "people.medical_orphan", "medical record of missing pupil %llu", (unsigned long long)id);
	if (medical_validate(val, false, ""))
		check_report(arg, "people.medical_fields", "pupil %llu medical: %s", (unsigned long long)id,
		             poort_error_detail());
	return POORT_OK;
}

/* A record's "account" must be an account pointing back (field = id). */
static poort_err check_account_of(tx *t, json_t *v, const json_t *rec, poort_id id, const char *what,
                                  const char *field, bool required)
{
	poort_id acc_id = jid(rec, "account");
	json_t *acc;
	key k = key_id(acc_id);

	if (!acc_id) {
		if (required)
			check_report(v, "account.missing", "%s %llu has no account", what, (unsigned long long)id);
		return POORT_OK;
	}
	if (store_get(t, DB_ACCOUNTS, &k, &acc) != POORT_OK) {
		check_report(v, "account.dangling", "%s %llu: account %llu does not exist", what, (unsigned long long)id,
		             (unsigned long long)acc_id);
		return POORT_OK;
	}
	if (jid(acc, field) != id)
		check_report(v, "account.backlink", "%s %llu: account %llu belongs to someone else", what,
		             (unsigned long long)id, (unsigned long long)acc_id);
	json_decref(acc);
	return POORT_OK;
}

static poort_err check_guardian(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	poort_id id = key_get_id(k, 0);
	json_t *fields = normalized(val, (const char *const[]){ "id", "account", NULL });

	if (jid(val, "id") != id || guardian_fields_validate(fields, false, ""))
		check_report(arg, "people.guardian_fields", "guardian %llu: %s", (unsigned long long)id,
		             poort_error_detail());
	json_decref(fields);
	if (!indexed_as(t, "guardian", jstr(val, "key"), id))
		check_report(arg, "people.index", "guardian %llu (%s) not indexed", (unsigned long long)id, jstr(val, "key"));
	return check_account_of(t, arg, val, id, "guardian", "guardian", false);
}

static poort_err check_staff(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	poort_id id = key_get_id(k, 0);
	poort_role role;
	size_t i;
	json_t *g;

	if (jid(val, "id") != id || !username_ok(jstr(val, "username")) || !text_ok(jstr(val, "name"), 100) ||
	    poort_role_parse(jstr(val, "role"), &role) || role < POORT_ROLE_TEACHER || role > POORT_ROLE_ADMIN)
		check_report(arg, "people.staff_fields", "staff %llu: id, username, name or role wrong",
		             (unsigned long long)id);
	json_array_foreach(json_object_get(val, "groups"), i, g)
		if (!exists(t, DB_GROUPS, json_is_integer(g) ? (poort_id)json_integer_value(g) : 0))
			check_report(arg, "people.staff_group", "staff %llu: group %zu does not exist", (unsigned long long)id, i);
	if (!indexed_as(t, "user", jstr(val, "username"), jid(val, "account")))
		check_report(arg, "people.index", "staff %llu (%s): username not indexed to the account",
		             (unsigned long long)id, jstr(val, "username"));
	return check_account_of(t, arg, val, id, "staff", "staff", true);
}

static poort_err check_link(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	poort_id pupil = key_get_id(k, 0), guardian = key_get_id(k, 8);
	key rev = key_id_id(guardian, pupil);

	if (klen != 16 || jid(val, "pupil") != pupil || jid(val, "guardian") != guardian)
		check_report(arg, "people.link_key", "link %llu/%llu: record does not match its key",
		             (unsigned long long)pupil, (unsigned long long)guardian);
	if (!exists(t, DB_PUPILS, pupil) || !exists(t, DB_GUARDIANS, guardian))
		check_report(arg, "people.link_dangling", "link %llu/%llu: pupil or guardian missing",
		             (unsigned long long)pupil, (unsigned long long)guardian);
	if (!store_has(t, DB_GUARDIAN_PUPILS, &rev))
		check_report(arg, "people.link_reverse", "link %llu/%llu: no reverse entry", (unsigned long long)pupil,
		             (unsigned long long)guardian);
	return POORT_OK;
}

static poort_err check_reverse(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	poort_id guardian = key_get_id(k, 0), pupil = key_get_id(k, 8);
	key fwd = key_id_id(pupil, guardian);

	if (klen != 16 || !store_has(t, DB_LINKS, &fwd))
		check_report(arg, "people.link_reverse", "reverse entry %llu/%llu without a link",
		             (unsigned long long)guardian, (unsigned long long)pupil);
	return POORT_OK;
}

/* Every index entry points at a live record that carries that key. */
static poort_err check_index(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	static const struct {
		const char *kind;
		enum db db;
		const char *field;
	} kinds[] = {
		{ "group", DB_GROUPS, "name" },       { "pupil", DB_PUPILS, "key" },
		{ "guardian", DB_GUARDIANS, "key" },  { "user", DB_ACCOUNTS, "username" },
		{ "code", DB_ACCOUNTS, "parent_code" }, { "card", DB_ACCOUNTS, "card" },
	};
	char text[400];
	const char *colon;
	poort_id id = json_is_integer(val) ? (poort_id)json_integer_value(val) : 0;
	json_t *rec;
	key rk;

	snprintf(text, sizeof text, "%.*s", (int)klen, (const char *)k);
	colon = strchr(text, ':');
	if (!colon)
		return POORT_OK;
	for (size_t i = 0; i < N(kinds); i++) {
		if (strncmp(text, kinds[i].kind, (size_t)(colon - text)) || strlen(kinds[i].kind) != (size_t)(colon - text))
			continue;
		rk = key_id(id);
		if (store_get(t, kinds[i].db, &rk, &rec) != POORT_OK) {
			check_report(arg, "people.index_dangling", "index %s points at missing record %llu", text,
			             (unsigned long long)id);
			return POORT_OK;
		}
		if (!jstr(rec, kinds[i].field) || strcmp(jstr(rec, kinds[i].field), colon + 1) != 0)
			check_report(arg, "people.index_stale", "index %s: record %llu has %s \"%s\"", text,
			             (unsigned long long)id, kinds[i].field, jstr(rec, kinds[i].field));
		json_decref(rec);
	}
	return POORT_OK;
}

poort_err people_check(tx *t, json_t *v)
{
	static const struct {
		enum db db;
		store_walk_fn fn;
	} walks[] = {
		{ DB_GROUPS, check_group },     { DB_PUPILS, check_pupil }, { DB_MEDICAL, check_medical },
		{ DB_GUARDIANS, check_guardian }, { DB_STAFF, check_staff }, { DB_LINKS, check_link },
		{ DB_GUARDIAN_PUPILS, check_reverse }, { DB_INDEX, check_index },
	};
	poort_err err;

	for (size_t i = 0; i < N(walks); i++)
		if ((err = store_walk(t, walks[i].db, NULL, 0, walks[i].fn, v)))
			return err;
	return POORT_OK;
}
