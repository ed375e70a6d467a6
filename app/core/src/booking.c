/* booking.c - booking conversation slots, the waiting list, the evening
 * itself, and the views of who has what.
 *
 * Every rule is checked inside the write transaction that books, so it
 * holds whatever the interleaving of threads and processes (LMDB has one
 * writer at a time). Layout:
 *   DB_BOOKINGS       booking -> {"id","round","slot","staff","pupil","guardian","party",
 *                                 "start","end","status","arrived_at","outcome",...}
 *   DB_BOOKING_INDEX  'R' account request_id          -> {"bookings": [ids]}  (idempotency)
 *                     'P' round pupil party booking    -> {}  a pupil's conversations
 *                     'G' round guardian booking       -> {"staff","start","end"}  overlap checks
 *                     'I' round pupil                  -> {"status","extra"}  invitation
 *                     'W' round staff seq              -> {"pupil","party","guardian"}  waiting list
 *                     'w' round pupil party            -> {"staff","seq"}  (reverse of W)
 *                     'O' round pupil party slot       -> {"staff","until"}  offered slots
 * A party is 0 for the family's joint conversation, or the guardian's id
 * when the pupil has separate conversations for separated parents.
 */
#include "core.h"

#include <stdio.h>
#include <stdlib.h>

#define OFFER_SECONDS (48 * 3600)
#define MAX_ALTERNATIVES 3
#define MAX_SIBLINGS 8
#define MAX_REQUEST_ID 48

static const char *const invitation_names[] = { "none", "invited", "not_needed" };

/* ---- index keys ---- */

static key ikey_n(char kind, const poort_id *ids, size_t n)
{
	key k = { .len = 1 };

	k.b[0] = (unsigned char)kind;
	for (size_t i = 0; i < n; i++) {
		key part = key_id(ids[i]);
		memcpy(k.b + k.len, part.b, 8);
		k.len += 8;
	}
	return k;
}
#define IKEY(kind, ...) \
	ikey_n(kind, (const poort_id[]){ __VA_ARGS__ }, sizeof((const poort_id[]){ __VA_ARGS__ }) / sizeof(poort_id))

static bool request_id_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > MAX_REQUEST_ID)
		return false;
	for (; *s; s++)
		if (*s <= 0x20 || *s >= 0x7f)
			return false;
	return true;
}

static key request_key(poort_id account, const char *request_id)
{
	key k = IKEY('R', account);

	memcpy(k.b + k.len, request_id, strlen(request_id));
	k.len += strlen(request_id);
	return k;
}

key booking_state_key(poort_id round, poort_id staff, bool prefix_only)
{
	key k = IKEY('T', round, staff);

	if (prefix_only)
		k.len -= 8;
	return k;
}

/* Records slot slotno's state (SLOT_*) in its teacher's state record. */
static poort_err slot_state_set(tx *t, poort_id round, const json_t *slot, poort_id slotno, char state)
{
	key k = booking_state_key(round, jid(slot, "staff"), false);
	json_t *rec = NULL;
	const char *old;
	char *s;
	size_t i = (size_t)(slotno - jid(slot, "first"));
	poort_err err;

	if ((err = store_get(t, DB_BOOKING_INDEX, &k, &rec)))
		return err == POORT_E_NOT_FOUND ? fail(POORT_E_CORRUPT, "slot state of staff %llu",
		                                       (unsigned long long)jid(slot, "staff")) : err;
	old = jstr(rec, "state");
	if (!old || i >= strlen(old) || !(s = strdup(old))) {
		json_decref(rec);
		return old ? POORT_E_NOMEM : fail(POORT_E_CORRUPT, "slot state");
	}
	s[i] = state;
	json_object_set_new(rec, "state", json_string(s));
	free(s);
	err = store_put(t, DB_BOOKING_INDEX, &k, rec);
	json_decref(rec);
	return err;
}

static poort_err count_one(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	(void)t; (void)k; (void)klen; (void)val;
	(*(size_t *)arg)++;
	return POORT_OK;
}

static size_t index_count(tx *t, const key *prefix)
{
	size_t n = 0;

	store_walk(t, DB_BOOKING_INDEX, prefix->b, prefix->len, count_one, &n);
	return n;
}

/* Writes an index entry; val (may be NULL for {}) is stolen. */
static poort_err put_index(tx *t, const key *k, json_t *val)
{
	poort_err err;

	if (!val && !(val = json_object()))
		return POORT_E_NOMEM;
	err = store_put(t, DB_BOOKING_INDEX, k, val);
	json_decref(val);
	return err;
}

static int64_t jint(const json_t *o, const char *k)
{
	return (int64_t)json_integer_value(json_object_get(o, k));
}

/* ---- who may do what with a booking ---- */

/* The pupil's conversation party for guardian: joint (0) unless the
 * school lets this pupil's guardians book separately. */
static poort_id party_of(const json_t *pupil, poort_id guardian)
{
	return jbool(pupil, "separate_conversations", false) ? guardian : 0;
}

/* A parent sees a joint conversation of their child, and their own. */
static bool parent_sees(tx *t, const actor_ctx *a, const json_t *booking)
{
	poort_id party = jid(booking, "party");

	return a->role == POORT_ROLE_PARENT && authz_is_guardian_of(t, a, jid(booking, "pupil")) &&
	       (party == 0 || party == a->guardian);
}

static bool staff_of_booking(const actor_ctx *a, const json_t *booking)
{
	return authz_is_admin(a) || (authz_is_staff(a) && a->staff && a->staff == jid(booking, "staff"));
}

/* Loads a booking the actor may act on. Parents learn nothing about
 * bookings that are not theirs, not even that they exist. */
static poort_err booking_load(tx *t, poort_id booking, json_t **out)
{
	const actor_ctx *a = tx_actor(t);
	key k = key_id(booking);
	poort_err err = store_get(t, DB_BOOKINGS, &k, out);

	if (err == POORT_E_NOT_FOUND)
		return authz_is_staff(a) ? fail(err, "booking %llu", (unsigned long long)booking)
		                         : fail(POORT_E_DENIED, "booking");
	if (err)
		return err;
	if (authz_sees_all_pupils(a) || staff_of_booking(a, *out) || parent_sees(t, a, *out))
		return POORT_OK;
	json_decref(*out);
	*out = NULL;
	return fail(POORT_E_DENIED, "booking");
}

/* A booking as its people see it. slot and pupil may be given when the
 * caller has them (NULL: read here); late adds the teacher's delay. */
static json_t *booking_view_from(tx *t, const json_t *b, const json_t *slot, const json_t *pupil, bool late,
                                 json_t *names)
{
	json_t *own_slot = NULL, *own_pupil = NULL, *v, *rs = NULL;
	key pk = key_id(jid(b, "pupil"));
	char name[256];

	if (!slot && round_slot_load(t, jid(b, "round"), jid(b, "slot"), &own_slot) != POORT_OK)
		own_slot = json_pack("{sI sI sI}", "staff", jint(b, "staff"), "start", jint(b, "start"), "end", jint(b, "end"));
	v = round_slot_view(t, jid(b, "round"), jid(b, "slot"), slot ? slot : own_slot, names);
	json_object_set_new(v, "id", json_integer(jint(b, "id")));
	json_object_set_new(v, "pupil", json_integer(jint(b, "pupil")));
	if (pupil || store_get(t, DB_PUPILS, &pk, &own_pupil) == POORT_OK)
		json_object_set_new(v, "pupil_name", json_string(person_name(pupil ? pupil : own_pupil, name, sizeof name)));
	json_object_set_new(v, "guardian", json_integer(jint(b, "guardian")));
	json_object_set(v, "status", json_object_get(b, "status"));
	if (json_object_get(b, "arrived_at"))
		json_object_set(v, "arrived_at", json_object_get(b, "arrived_at"));
	if (json_object_get(b, "outcome"))
		json_object_set(v, "outcome", json_object_get(b, "outcome"));
	if (late && round_staff_load(t, jid(b, "round"), jid(b, "staff"), &rs) == POORT_OK)
		json_object_set_new(v, "teacher_late_minutes", json_integer(jint(rs, "late_minutes")));
	detail_clear();
	json_decref(own_slot);
	json_decref(own_pupil);
	json_decref(rs);
	return v;
}

static json_t *booking_view(tx *t, const json_t *b, json_t *names)
{
	return booking_view_from(t, b, NULL, NULL, true, names);
}

/* ---- the booking rules ---- */

/* Whether the round lets this actor book for pupil now. */
static poort_err check_phase(tx *t, const json_t *round, poort_id pupil)
{
	int64_t now = tx_now(t), prio = jint(round, "priority_opens_at");
	json_t *inv = NULL;
	key k;
	bool invited;

	if (authz_is_admin(tx_actor(t)))
		return POORT_OK;   /* the office books for families who phone in */
	if (now >= jint(round, "closes_at"))
		return fail(POORT_E_CLOSED, "closed at %s", jstr(round, "closes"));
	if (now >= jint(round, "opens_at"))
		return POORT_OK;
	if (!prio || now < prio)
		return fail(POORT_E_NOT_OPEN, "opens at %s", jstr(round, "priority_opens") ? jstr(round, "priority_opens")
		                                                                          : jstr(round, "opens"));
	k = IKEY('I', jid(round, "id"), pupil);
	invited = store_get(t, DB_BOOKING_INDEX, &k, &inv) == POORT_OK &&
	          jstr(inv, "status") && strcmp(jstr(inv, "status"), "invited") == 0;
	json_decref(inv);
	return invited ? POORT_OK : fail(POORT_E_NOT_OPEN, "opens for everyone at %s", jstr(round, "opens"));
}

/* How many conversations the pupil's party may have in the round. */
static size_t pupil_limit(tx *t, poort_id round, poort_id pupil)
{
	key k = IKEY('I', round, pupil);
	json_t *inv;
	size_t n = 1;

	if (store_get(t, DB_BOOKING_INDEX, &k, &inv) == POORT_OK) {
		n += (size_t)jint(inv, "extra");
		json_decref(inv);
	}
	return n;
}

static size_t pupil_count(tx *t, poort_id round, poort_id pupil, poort_id party)
{
	key prefix = IKEY('P', round, pupil, party);
	return index_count(t, &prefix);
}

struct nearest {
	int64_t want;
	poort_id slot[MAX_ALTERNATIVES];
	int64_t dist[MAX_ALTERNATIVES];
	size_t n;
};

static void nearest_add(struct nearest *nr, poort_id slot, int64_t start)
{
	int64_t d = start > nr->want ? start - nr->want : nr->want - start;
	size_t i = nr->n < MAX_ALTERNATIVES ? nr->n++ : MAX_ALTERNATIVES;

	if (i == MAX_ALTERNATIVES) {
		if (d >= nr->dist[MAX_ALTERNATIVES - 1])
			return;
		i = MAX_ALTERNATIVES - 1;
	}
	for (; i > 0 && nr->dist[i - 1] > d; i--) {
		nr->slot[i] = nr->slot[i - 1];
		nr->dist[i] = nr->dist[i - 1];
	}
	nr->slot[i] = slot;
	nr->dist[i] = d;
}

/* The free slots of the same teacher nearest in time to the taken one:
 * a new array, empty when the teacher is full. Reads the teacher's slot
 * state and times (two records) instead of every slot; only a slot offered
 * to a waiting family is read, to see whether the offer is for this
 * family or has run out. Slots are numbered in time order, so the search
 * walks outwards from the taken one and stops when nothing further away
 * can be nearer. */
static json_t *alternatives(tx *t, poort_id round, poort_id taken_no, const json_t *taken, poort_id pupil,
                            poort_id party, json_t *names)
{
	struct nearest nr = { .want = jint(taken, "start") };
	json_t *out = json_array(), *rs = NULL, *st = NULL, *starts, *ends, *s;
	poort_id first = jid(taken, "first"), last = jid(taken, "last"), lo = taken_no, hi = taken_no;
	key k = booking_state_key(round, jid(taken, "staff"), false);
	const char *state;
	bool more[2] = { true, true };

	if (round_staff_load(t, round, jid(taken, "staff"), &rs) || store_get_shared(t, DB_BOOKING_INDEX, &k, &st) ||
	    !(state = jstr(st, "state")) || strlen(state) != (size_t)(last - first + 1))
		goto out;
	starts = json_object_get(rs, "starts");
	ends = json_object_get(rs, "ends");
	while (more[0] || more[1]) {
		for (int side = 0; side < 2; side++) {
			poort_id i;
			int64_t start, d;
			bool is_free;

			if (!more[side])
				continue;
			if (side ? hi >= last : lo <= first) {
				more[side] = false;
				continue;
			}
			i = side ? ++hi : --lo;
			start = (int64_t)json_integer_value(json_array_get(starts, i - first));
			d = start > nr.want ? start - nr.want : nr.want - start;
			if (nr.n == MAX_ALTERNATIVES && d > nr.dist[MAX_ALTERNATIVES - 1]) {
				more[side] = false;   /* further along this side is further in time */
				continue;
			}
			is_free = state[i - first] == SLOT_FREE;
			if (state[i - first] == SLOT_OFFERED && round_slot_load(t, round, i, &s) == POORT_OK) {
				is_free = round_slot_free(s, tx_now(t), pupil, party);
				json_decref(s);
			}
			if (is_free && start > tx_now(t))
				nearest_add(&nr, i, start);
		}
	}
	for (size_t i = 0; i < nr.n; i++) {
		json_t *geo = json_pack("{sI sO sO}", "staff", jint(taken, "staff"), "start",
		                        json_array_get(starts, nr.slot[i] - first), "end",
		                        json_array_get(ends, nr.slot[i] - first));
		json_array_append_new(out, round_slot_view(t, round, nr.slot[i], geo, names));
		json_decref(geo);
	}
out:
	detail_clear();
	json_decref(rs);
	json_decref(st);
	return out;
}

struct overlap {
	poort_id staff;
	int64_t start, end, travel;
	int64_t hit;
};

static poort_err overlap_one(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	struct overlap *o = arg;
	int64_t travel = jid(val, "staff") == o->staff ? 0 : o->travel;

	(void)t; (void)k; (void)klen;
	if (o->start < jint(val, "end") + travel && jint(val, "start") < o->end + travel) {
		o->hit = jint(val, "start");
		return STORE_STOP;
	}
	return POORT_OK;
}

/* Removes the pupil's party from the round's waiting list, if on it. */
static poort_err waitlist_remove(tx *t, poort_id round, poort_id pupil, poort_id party)
{
	key rk = IKEY('w', round, pupil, party), wk;
	json_t *rev;
	poort_err err = store_get(t, DB_BOOKING_INDEX, &rk, &rev);

	if (err == POORT_E_NOT_FOUND)
		return POORT_OK;
	if (err)
		return err;
	wk = IKEY('W', round, jid(rev, "staff"), jid(rev, "seq"));
	json_decref(rev);
	if ((err = store_del(t, DB_BOOKING_INDEX, &rk)))
		return err;
	err = store_del(t, DB_BOOKING_INDEX, &wk);
	return err == POORT_E_NOT_FOUND ? POORT_OK : err;
}

/* Resolves whose conversation a request is: the guardian and party. */
static poort_err resolve_family(tx *t, const poort_booking_req *req, const json_t *pupil, poort_id *guardian,
                                poort_id *party)
{
	const actor_ctx *a = tx_actor(t);
	key lk;

	if (a->role == POORT_ROLE_PARENT) {
		if (req->guardian && req->guardian != a->guardian)
			return fail(POORT_E_DENIED, "guardian");
		*guardian = a->guardian;
	} else {
		*guardian = req->guardian;
		lk = key_id_id(req->pupil, req->guardian);
		if (*guardian && !store_has(t, DB_LINKS, &lk))
			return fail(POORT_E_INVALID, "guardian: not a guardian of this pupil");
	}
	*party = party_of(pupil, *guardian);
	if (jbool(pupil, "separate_conversations", false) && !*guardian)
		return fail(POORT_E_INVALID, "guardian: separate conversations need the guardian");
	return POORT_OK;
}

/* Checks every rule for one request and writes the booking: *booked, and
 * its view in *answer (new). A slot that is not free is POORT_E_TAKEN with
 * the nearest free ones in *answer, or POORT_E_FULL when there are none:
 * the records needed are at hand here, so this is cheaper than another
 * transaction afterwards. */
static poort_err book_one(tx *t, const poort_booking_req *req, const char *request_id, json_t *names,
                          poort_id *booked, json_t **answer)
{
	json_t *round = NULL, *pupil = NULL, *slot = NULL, *b = NULL;
	poort_id guardian = 0, party = 0, id = 0, staff;
	key k;
	struct overlap ov;
	poort_err err;

	if (!school_module_on(t, "conversations"))
		return fail(POORT_E_MODULE_OFF, "conversations");
	k = key_id(req->pupil);
	/* pupil and round are only read: shared records (store_get_shared) */
	if ((err = authz_pupil_parent(t, req->pupil)) || (err = store_get_shared(t, DB_PUPILS, &k, &pupil)) ||
	    (err = round_load(t, req->round, &round)) || (err = resolve_family(t, req, pupil, &guardian, &party)))
		goto out;
	if (!round_has_group(round, jid(pupil, "group"))) {
		err = fail(POORT_E_INVALID, "pupil's group is not in this round");
		goto out;
	}
	/* Shared too: in a rush most requests only read the slot (taken);
	 * the booking below works on its own copy. */
	k = key_id_id(req->round, req->slot);
	if ((err = check_phase(t, round, req->pupil)) || (err = store_get_shared(t, DB_SLOTS, &k, &slot))) {
		if (err == POORT_E_NOT_FOUND)
			err = fail(err, "slot %llu", (unsigned long long)req->slot);
		goto out;
	}
	staff = jid(slot, "staff");
	if (jint(slot, "start") <= tx_now(t)) {
		err = fail(POORT_E_CLOSED, "slot: already begun");
		goto out;
	}
	/* In a rush most refusals are this one: answer it before the dearer checks. */
	if (!round_slot_free(slot, tx_now(t), req->pupil, party)) {
		*answer = alternatives(t, req->round, req->slot, slot, req->pupil, party, names);
		err = json_array_size(*answer) ? fail(POORT_E_TAKEN, "slot")
		                               : fail(POORT_E_FULL, "no free slot with this teacher");
		goto out;
	}
	if (!round_staff_teaches(t, staff, jid(pupil, "group"))) {
		err = fail(POORT_E_INVALID, "slot: with a teacher of another group");
		goto out;
	}
	if (pupil_count(t, req->round, req->pupil, party) >= pupil_limit(t, req->round, req->pupil)) {
		err = fail(POORT_E_LIMIT, "pupil: already has a conversation in this round");
		goto out;
	}
	if (guardian) {
		ov = (struct overlap){ staff, jint(slot, "start"), jint(slot, "end"), jint(round, "travel_minutes") * 60, 0 };
		k = IKEY('G', req->round, guardian);
		if ((err = store_walk(t, DB_BOOKING_INDEX, k.b, k.len, overlap_one, &ov)))
			goto out;
		if (ov.hit) {
			char at[32];
			err = fail(POORT_E_OVERLAP, "you already have a conversation at %s", poort_time_format(ov.hit, at));
			goto out;
		}
	}

	/* Every rule holds: write the booking and its indexes. */
	b = slot;
	slot = json_deep_copy(b);
	json_decref(b);
	b = NULL;
	if (!slot) {
		err = POORT_E_NOMEM;
		goto out;
	}
	if ((err = store_next_id(t, &id)))
		goto out;
	b = json_pack("{sI sI sI sI sI sI sI sI sI ss sI sI}", "id", (json_int_t)id, "round", (json_int_t)req->round,
	              "slot", (json_int_t)req->slot, "staff", (json_int_t)staff, "pupil", (json_int_t)req->pupil,
	              "guardian", (json_int_t)guardian, "party", (json_int_t)party, "start", jint(slot, "start"),
	              "end", jint(slot, "end"), "status", "booked", "created_at", (json_int_t)tx_now(t), "by",
	              (json_int_t)tx_actor(t)->account);
	if (request_id)
		json_object_set_new(b, "request_id", json_string(request_id));
	k = key_id(id);
	if ((err = store_put(t, DB_BOOKINGS, &k, b)))
		goto out;
	if (json_object_get(slot, "offer")) {
		/* Accepting an offer, or taking a slot whose offer expired. */
		const json_t *o = json_object_get(slot, "offer");
		key ok = IKEY('O', req->round, jid(o, "pupil"), jid(o, "party"), req->slot);
		if ((err = store_del(t, DB_BOOKING_INDEX, &ok)) && err != POORT_E_NOT_FOUND)
			goto out;
		json_object_del(slot, "offer");
	}
	json_object_set_new(slot, "booking", json_integer((json_int_t)id));
	k = key_id_id(req->round, req->slot);
	if ((err = store_put(t, DB_SLOTS, &k, slot)) || (err = slot_state_set(t, req->round, slot, req->slot, SLOT_BOOKED)))
		goto out;
	k = IKEY('P', req->round, req->pupil, party, id);
	if ((err = put_index(t, &k, NULL)))
		goto out;
	if (guardian) {
		k = IKEY('G', req->round, guardian, id);
		if ((err = put_index(t, &k, json_pack("{sI sI sI}", "staff", (json_int_t)staff, "start",
		                                      jint(slot, "start"), "end", jint(slot, "end")))))
			goto out;
	}
	if ((err = waitlist_remove(t, req->round, req->pupil, party)) ||
	    (err = audit_add(t, "booking.create", id, b)))
		goto out;
	*booked = id;
	*answer = booking_view_from(t, b, slot, pupil, false, names);
out:
	json_decref(round);
	json_decref(pupil);
	json_decref(slot);
	json_decref(b);
	return err;
}

struct create_args {
	const poort_booking_req *reqs;
	size_t n;
	const char *request_id;
	bool single;
	json_t *out;   /* the answer: booking(s), or {"alternatives"} after TAKEN */
};

/* The write: every request of the set, or none. Runs in the booker's
 * thread; the answer is handed to the caller's thread through a. */
static poort_err create_op(tx *t, void *arg)
{
	struct create_args *a = arg;
	key rk = request_key(tx_actor(t)->account, a->request_id);
	json_t *done = NULL, *ids = NULL, *answers = NULL, *names = NULL, *one = NULL, *id, *b;
	poort_id booked = 0;
	size_t i;
	poort_err err;

	/* This op may run again (map growth, batch retry): start clean. */
	json_decref(a->out);
	a->out = NULL;
	answers = json_array();
	names = json_object();
	if ((err = store_get(t, DB_BOOKING_INDEX, &rk, &done)) == POORT_OK) {
		/* A repeated request: the same answer, as things are now. */
		json_array_foreach(json_object_get(done, "bookings"), i, id) {
			key k = key_id((poort_id)json_integer_value(id));
			if (store_get(t, DB_BOOKINGS, &k, &b) == POORT_OK) {
				json_array_append_new(answers, booking_view(t, b, names));
				json_decref(b);
			}
		}
		json_decref(done);
		if (json_array_size(answers) == 0)
			err = fail(POORT_E_CORRUPT, "request id without booking");
		goto out;
	}
	if (err != POORT_E_NOT_FOUND)
		goto out;
	ids = json_array();
	for (i = 0; i < a->n; i++) {
		err = book_one(t, &a->reqs[i], a->request_id, names, &booked, &one);
		if (err) {
			if (one)
				a->out = a->single ? json_pack("{so}", "alternatives", one)
				                   : json_pack("{sI so}", "index", (json_int_t)i, "alternatives", one);
			goto out;
		}
		json_array_append_new(ids, json_integer((json_int_t)booked));
		json_array_append_new(answers, one);
		one = NULL;
	}
	if ((err = put_index(t, &rk, json_pack("{sO}", "bookings", ids))))
		goto out;
out:
	if (!err)
		a->out = a->single ? json_incref(json_array_get(answers, 0)) : json_incref(answers);
	json_decref(ids);
	json_decref(answers);
	json_decref(names);
	return err;
}

static poort_err create(poort *p, poort_id actor, const poort_booking_req *reqs, size_t n, bool single,
                        const char *request_id, json_t **out)
{
	struct create_args a = { reqs, n, request_id, single, NULL };
	poort_err err;

	*out = NULL;
	detail_clear();
	if (!request_id_ok(request_id))
		return fail(POORT_E_INVALID, "request_id");
	if (!reqs || n == 0 || n > MAX_SIBLINGS)
		return fail(POORT_E_INVALID, "requests: 1..%d", MAX_SIBLINGS);
	err = booking_write(p, actor, create_op, &a);
	if (err && err != POORT_E_TAKEN) {
		/* A failed commit (disk full) takes the answer with it. */
		json_decref(a.out);
		a.out = NULL;
	}
	*out = a.out ? a.out : json_object();
	return err;
}

poort_err poort_booking_create(poort *p, poort_id actor, const poort_booking_req *req, const char *request_id,
                               json_t **out)
{
	return create(p, actor, req, 1, true, request_id, out);
}

poort_err poort_booking_create_siblings(poort *p, poort_id actor, const poort_booking_req *reqs, size_t n,
                                        const char *request_id, json_t **out)
{
	return create(p, actor, reqs, n, false, request_id, out);
}

/* ---- cancelling and the waiting list ---- */

struct offer_pick {
	key wkey;
	json_t *entry;
};

static poort_err first_eligible(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	struct offer_pick *o = arg;

	/* Families that have meanwhile booked elsewhere were taken off the
	 * list when they booked; the first entry is the one. */
	(void)t;
	memcpy(o->wkey.b, k, klen);
	o->wkey.len = klen;
	o->entry = json_incref(val);
	return STORE_STOP;
}

/* Offers a freed slot to the first family on that teacher's waiting list. */
static poort_err offer_next(tx *t, const json_t *round, poort_id slotno, json_t *slot)
{
	poort_id rid = jid(round, "id");
	key prefix = IKEY('W', rid, jid(slot, "staff")), k;
	struct offer_pick o = { { .len = 0 }, NULL };
	int64_t until = tx_now(t) + OFFER_SECONDS;
	poort_err err;

	if (jint(slot, "start") <= tx_now(t) || tx_now(t) >= jint(round, "closes_at"))
		return POORT_OK;
	if ((err = store_walk(t, DB_BOOKING_INDEX, prefix.b, prefix.len, first_eligible, &o)) || !o.entry)
		return err;
	if (until > jint(round, "closes_at"))
		until = jint(round, "closes_at");
	json_object_set_new(slot, "offer", json_pack("{sI sI sI sI}", "pupil", jint(o.entry, "pupil"), "party",
	                                             jint(o.entry, "party"), "guardian", jint(o.entry, "guardian"),
	                                             "until", (json_int_t)until));
	if ((err = store_del(t, DB_BOOKING_INDEX, &o.wkey)))
		goto out;
	k = IKEY('w', rid, jid(o.entry, "pupil"), jid(o.entry, "party"));
	if ((err = store_del(t, DB_BOOKING_INDEX, &k)) && err != POORT_E_NOT_FOUND)
		goto out;
	k = IKEY('O', rid, jid(o.entry, "pupil"), jid(o.entry, "party"), slotno);
	if ((err = put_index(t, &k, json_pack("{sI sI}", "staff", jint(slot, "staff"), "until", (json_int_t)until))))
		goto out;
	err = audit_add(t, "waitlist.offer", jid(o.entry, "pupil"), json_object_get(slot, "offer"));
out:
	json_decref(o.entry);
	return err;
}

/* Frees slot slotno of round (its booking or offer is gone) and passes it on. */
static poort_err slot_release(tx *t, const json_t *round, poort_id slotno)
{
	json_t *slot = NULL;
	key k = key_id_id(jid(round, "id"), slotno);
	poort_err err;

	if ((err = store_get(t, DB_SLOTS, &k, &slot)))
		return err;
	json_object_del(slot, "booking");
	json_object_del(slot, "offer");
	if (!(err = offer_next(t, round, slotno, slot)) && !(err = store_put(t, DB_SLOTS, &k, slot)))
		err = slot_state_set(t, jid(round, "id"), slot, slotno,
		                     json_object_get(slot, "offer") ? SLOT_OFFERED : SLOT_FREE);
	json_decref(slot);
	return err;
}

struct id_args {
	poort_id id;
	json_t *out;
};

static poort_err cancel_op(tx *t, void *arg)
{
	struct id_args *a = arg;
	const actor_ctx *act = tx_actor(t);
	json_t *b = NULL, *round = NULL;
	key k;
	poort_err err;

	if ((err = booking_load(t, a->id, &b)) || (err = round_load(t, jid(b, "round"), &round)))
		goto out;
	if (strcmp(jstr(b, "status"), "booked") != 0)
		goto out;   /* already cancelled: nothing to do */
	if (!staff_of_booking(act, b) && !parent_sees(t, act, b)) {
		err = fail(POORT_E_DENIED, "booking");
		goto out;
	}
	if (!staff_of_booking(act, b) && (tx_now(t) >= jint(round, "cancel_until_at") || tx_now(t) >= jint(b, "start"))) {
		err = fail(POORT_E_TOO_LATE, "cancel until %s; please call the school", jstr(round, "cancel_until"));
		goto out;
	}
	json_object_set_new(b, "status", json_string("cancelled"));
	json_object_set_new(b, "cancelled_at", json_integer((json_int_t)tx_now(t)));
	json_object_set_new(b, "cancelled_by", json_integer((json_int_t)act->account));
	k = key_id(a->id);
	if ((err = store_put(t, DB_BOOKINGS, &k, b)))
		goto out;
	k = IKEY('P', jid(b, "round"), jid(b, "pupil"), jid(b, "party"), a->id);
	if ((err = store_del(t, DB_BOOKING_INDEX, &k)))
		goto out;
	if (jid(b, "guardian")) {
		k = IKEY('G', jid(b, "round"), jid(b, "guardian"), a->id);
		if ((err = store_del(t, DB_BOOKING_INDEX, &k)))
			goto out;
	}
	if ((err = slot_release(t, round, jid(b, "slot"))) || (err = audit_add(t, "booking.cancel", a->id, NULL)))
		goto out;
out:
	json_decref(b);
	json_decref(round);
	return err;
}

poort_err poort_booking_cancel(poort *p, poort_id actor, poort_id booking)
{
	struct id_args a = { booking, NULL };

	detail_clear();
	return booking_write(p, actor, cancel_op, &a);
}

struct wait_args {
	poort_id round, pupil, staff;
};

/* Loads round and pupil for a parent's act on pupil's behalf, with the
 * guardian and party it is for. */
static poort_err family_context(tx *t, poort_id round_id, poort_id pupil_id, json_t **round, json_t **pupil,
                                poort_id *guardian, poort_id *party)
{
	poort_booking_req req = { round_id, 0, pupil_id, 0 };
	key k = key_id(pupil_id);
	poort_err err;

	if ((err = authz_pupil_parent(t, pupil_id)) || (err = store_get(t, DB_PUPILS, &k, pupil)) ||
	    (err = round_load(t, round_id, round)) || (err = resolve_family(t, &req, *pupil, guardian, party)))
		return err;
	if (!round_has_group(*round, jid(*pupil, "group")))
		return fail(POORT_E_INVALID, "pupil's group is not in this round");
	return POORT_OK;
}

static poort_err has_free(tx *t, poort_id round, poort_id staff, bool *yes)
{
	json_t *rs = NULL, *s;
	poort_err err = round_staff_load(t, round, staff, &rs);

	*yes = false;
	for (poort_id i = err ? 0 : jid(rs, "first"); i && i <= jid(rs, "last") && !*yes; i++) {
		if (round_slot_load(t, round, i, &s))
			continue;
		*yes = jint(s, "start") > tx_now(t) && round_slot_free(s, tx_now(t), 0, (poort_id)-1);
		json_decref(s);
	}
	json_decref(rs);
	return err;
}

static poort_err waitlist_join_op(tx *t, void *arg)
{
	struct wait_args *a = arg;
	json_t *round = NULL, *pupil = NULL;
	poort_id guardian = 0, party = 0, seq = 0;
	key k;
	bool free_slot;
	poort_err err;

	if ((err = family_context(t, a->round, a->pupil, &round, &pupil, &guardian, &party)) ||
	    (err = check_phase(t, round, a->pupil)))
		goto out;
	if (!round_staff_teaches(t, a->staff, jid(pupil, "group"))) {
		err = fail(POORT_E_INVALID, "staff: not this pupil's teacher");
		goto out;
	}
	if (pupil_count(t, a->round, a->pupil, party) >= pupil_limit(t, a->round, a->pupil)) {
		err = fail(POORT_E_LIMIT, "pupil: already has a conversation in this round");
		goto out;
	}
	if ((err = has_free(t, a->round, a->staff, &free_slot)))
		goto out;
	if (free_slot) {
		err = fail(POORT_E_CONFLICT, "there are free slots: please book one");
		goto out;
	}
	k = IKEY('w', a->round, a->pupil, party);
	if (store_has(t, DB_BOOKING_INDEX, &k)) {
		err = fail(POORT_E_EXISTS, "already on the waiting list");
		goto out;
	}
	if ((err = store_next_id(t, &seq)) ||
	    (err = put_index(t, &k, json_pack("{sI sI}", "staff", (json_int_t)a->staff, "seq", (json_int_t)seq))))
		goto out;
	k = IKEY('W', a->round, a->staff, seq);
	if ((err = put_index(t, &k, json_pack("{sI sI sI sI}", "pupil", (json_int_t)a->pupil, "party", (json_int_t)party,
	                                      "guardian", (json_int_t)guardian, "at", (json_int_t)tx_now(t)))) ||
	    (err = audit_add(t, "waitlist.join", a->pupil, NULL)))
		goto out;
out:
	json_decref(round);
	json_decref(pupil);
	return err;
}

poort_err poort_waitlist_join(poort *p, poort_id actor, poort_id round, poort_id pupil, poort_id staff)
{
	struct wait_args a = { round, pupil, staff };

	detail_clear();
	return booking_write(p, actor, waitlist_join_op, &a);
}

struct offer_keys {
	key k[16];
	size_t n;
};

static poort_err collect_offer(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	struct offer_keys *l = arg;

	(void)t; (void)val;
	if (l->n < sizeof l->k / sizeof l->k[0]) {
		memcpy(l->k[l->n].b, k, klen);
		l->k[l->n++].len = klen;
	}
	return POORT_OK;
}

static poort_err waitlist_leave_op(tx *t, void *arg)
{
	struct wait_args *a = arg;
	json_t *round = NULL, *pupil = NULL;
	poort_id guardian = 0, party = 0;
	struct offer_keys offers = { .n = 0 };
	key k;
	poort_err err;

	if ((err = family_context(t, a->round, a->pupil, &round, &pupil, &guardian, &party)) ||
	    (err = waitlist_remove(t, a->round, a->pupil, party)))
		goto out;
	/* Declining offered slots passes each on to the next family. */
	k = IKEY('O', a->round, a->pupil, party);
	if ((err = store_walk(t, DB_BOOKING_INDEX, k.b, k.len, collect_offer, &offers)))
		goto out;
	for (size_t i = 0; i < offers.n; i++) {
		if ((err = store_del(t, DB_BOOKING_INDEX, &offers.k[i])) ||
		    (err = slot_release(t, round, key_get_id(offers.k[i].b, 1 + 24))))
			goto out;
	}
	err = audit_add(t, "waitlist.leave", a->pupil, NULL);
out:
	json_decref(round);
	json_decref(pupil);
	return err;
}

poort_err poort_waitlist_leave(poort *p, poort_id actor, poort_id round, poort_id pupil)
{
	struct wait_args a = { round, pupil, 0 };

	detail_clear();
	return booking_write(p, actor, waitlist_leave_op, &a);
}

/* ---- the teacher's say ---- */

struct invite_args {
	poort_id round, pupil;
	poort_invitation status;
	int extra;
};

static poort_err invitation_op(tx *t, void *arg)
{
	struct invite_args *a = arg;
	json_t *round = NULL, *pupil = NULL, *v;
	key k = key_id(a->pupil);
	poort_err err;

	if ((err = authz_pupil_teacher(t, a->pupil)) || (err = round_load(t, a->round, &round)) ||
	    (err = store_get(t, DB_PUPILS, &k, &pupil)))
		goto out;
	if (!round_has_group(round, jid(pupil, "group"))) {
		err = fail(POORT_E_INVALID, "pupil's group is not in this round");
		goto out;
	}
	v = json_pack("{ss si sI sI}", "status", invitation_names[a->status], "extra", a->extra, "by",
	              (json_int_t)tx_actor(t)->account, "at", (json_int_t)tx_now(t));
	k = IKEY('I', a->round, a->pupil);
	if (!(err = store_put(t, DB_BOOKING_INDEX, &k, v)))
		err = audit_add(t, "invitation.set", a->pupil, v);
	json_decref(v);
out:
	json_decref(round);
	json_decref(pupil);
	return err;
}

poort_err poort_invitation_set(poort *p, poort_id actor, poort_id round, poort_id pupil, poort_invitation status,
                               int extra_conversations)
{
	struct invite_args a = { round, pupil, status, extra_conversations };

	detail_clear();
	if (status < POORT_INVITE_NONE || status > POORT_INVITE_NOT_NEEDED)
		return fail(POORT_E_INVALID, "status");
	if (extra_conversations < 0 || extra_conversations > 3)
		return fail(POORT_E_INVALID, "extra_conversations: 0..3");
	return tx_write(p, actor, invitation_op, &a);
}

/* ---- on the evening ---- */

static poort_err checkin_op(tx *t, void *arg)
{
	struct id_args *a = arg;
	json_t *b = NULL, *names = json_object();
	key k = key_id(a->id);
	poort_err err;

	json_decref(a->out);
	a->out = NULL;
	if ((err = booking_load(t, a->id, &b)))
		goto out;
	if (strcmp(jstr(b, "status"), "booked") != 0) {
		err = fail(POORT_E_CONFLICT, "booking was cancelled");
		goto out;
	}
	if (!json_object_get(b, "arrived_at")) {
		poort_id event;
		json_object_set_new(b, "arrived_at", json_integer((json_int_t)tx_now(t)));
		if ((err = store_put(t, DB_BOOKINGS, &k, b)) || (err = audit_add(t, "conversation.checkin", a->id, NULL)))
			goto out;
		/* The parent is now in the building: the building list and the
		 * teacher's Today page read check-in events. */
		if ((err = checkin_arrival_put(t, jid(b, "guardian"), jid(b, "pupil"), "conversation", &event)))
			goto out;
	}
	a->out = booking_view(t, b, names);
out:
	json_decref(b);
	json_decref(names);
	return err;
}

poort_err poort_conversation_checkin(poort *p, poort_id actor, poort_id booking, json_t **out)
{
	struct id_args a = { booking, NULL };
	poort_err err;

	detail_clear();
	err = tx_write(p, actor, checkin_op, &a);
	if (err || !out) {
		json_decref(a.out);
		a.out = NULL;
	}
	if (out)
		*out = a.out;
	return err;
}

struct late_args {
	poort_id round, staff;
	int minutes;
};

static poort_err late_op(tx *t, void *arg)
{
	struct late_args *a = arg;
	const actor_ctx *act = tx_actor(t);
	json_t *rs = NULL, *shared = NULL;
	key k = round_staff_key(a->round, a->staff);
	poort_err err;

	if (!authz_is_admin(act) && !(authz_is_staff(act) && act->staff == a->staff))
		return fail(POORT_E_DENIED, "only the teacher themself");
	if ((err = round_staff_load(t, a->round, a->staff, &shared)))
		return err;
	rs = json_deep_copy(shared);   /* round_staff_load's record may be shared */
	json_decref(shared);
	json_object_set_new(rs, "late_minutes", json_integer(a->minutes));
	json_object_set_new(rs, "late_at", json_integer((json_int_t)tx_now(t)));
	if (!(err = store_put(t, DB_BOOKING_INDEX, &k, rs)))
		err = audit_add(t, "conversation.late", a->staff, json_object_get(rs, "late_minutes"));
	json_decref(rs);
	return err;
}

poort_err poort_teacher_running_late(poort *p, poort_id actor, poort_id round, poort_id staff, int minutes)
{
	struct late_args a = { round, staff, minutes };

	detail_clear();
	if (minutes < 0 || minutes > 120)
		return fail(POORT_E_INVALID, "minutes: 0..120");
	return tx_write(p, actor, late_op, &a);
}

/* ---- running late, for everyone at the kiosk ---- */

struct running_late_args {
	json_t *names, *out;
};

static poort_err running_late_fn(tx *t, const void *k, size_t klen, json_t *rs, void *arg)
{
	struct running_late_args *a = arg;
	json_t *start;
	size_t i;
	poort_day day;
	int minute;

	(void)k, (void)klen;
	if (jint(rs, "late_minutes") <= 0)
		return POORT_OK;
	json_array_foreach(json_object_get(rs, "starts"), i, start) {
		poort_local_time(json_integer_value(start), &day, &minute);
		if (day == tx_today(t)) {
			json_array_append_new(a->out, json_pack("{ss sI}", "staff_name",
			                                        round_staff_name(t, jid(rs, "staff"), a->names),
			                                        "minutes", (json_int_t)jint(rs, "late_minutes")));
			break;
		}
	}
	return POORT_OK;
}

static poort_err running_late_op(tx *t, void *arg)
{
	struct running_late_args *a = arg;
	key prefix = round_staff_prefix(0);

	json_decref(a->out);
	a->out = json_array();
	return store_walk(t, DB_BOOKING_INDEX, prefix.b, prefix.len, running_late_fn, a);
}

poort_err poort_running_late(poort *p, json_t **out)
{
	struct running_late_args a = { json_object(), NULL };
	poort_err err = tx_read(p, POORT_ACTOR_ANONYMOUS, running_late_op, &a);

	json_decref(a.names);
	*out = result_if_ok(err, a.out);
	return err;
}

struct mark_args {
	poort_id booking;
	const char *outcome;
};

static poort_err mark_op(tx *t, void *arg)
{
	struct mark_args *a = arg;
	json_t *b = NULL;
	key k = key_id(a->booking);
	poort_err err;

	if ((err = booking_load(t, a->booking, &b)))
		goto out;
	if (!staff_of_booking(tx_actor(t), b)) {
		err = fail(POORT_E_DENIED, "only the teacher of this conversation");
		goto out;
	}
	if (strcmp(jstr(b, "status"), "booked") != 0 || tx_now(t) < jint(b, "start")) {
		err = fail(POORT_E_CONFLICT, "the conversation has not started or was cancelled");
		goto out;
	}
	json_object_set_new(b, "outcome", json_string(a->outcome));
	json_object_set_new(b, "marked_at", json_integer((json_int_t)tx_now(t)));
	if (!(err = store_put(t, DB_BOOKINGS, &k, b)))
		err = audit_add(t, "conversation.mark", a->booking, json_object_get(b, "outcome"));
out:
	json_decref(b);
	return err;
}

poort_err poort_conversation_mark(poort *p, poort_id actor, poort_id booking, const char *outcome)
{
	struct mark_args a = { booking, outcome };

	detail_clear();
	if (!outcome || (strcmp(outcome, "done") != 0 && strcmp(outcome, "no_show") != 0))
		return fail(POORT_E_INVALID, "outcome: done or no_show");
	return tx_write(p, actor, mark_op, &a);
}

/* ---- sibling proposals ---- */

#define MAX_PROPOSALS 3
#define MAX_IDLE (30 * 60)   /* back to back: at most half an hour between two conversations */

struct free_slot {
	poort_id slot, staff;
	int64_t start, end;
};

struct candidates {
	poort_id round, group;
	struct free_slot *s;
	size_t n, cap;
};

static poort_err add_candidates(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	struct candidates *c = arg;
	json_t *s;
	struct free_slot *grown;

	(void)k;
	if (klen != ROUND_STAFF_KEY_LEN || !round_staff_teaches(t, jid(val, "staff"), c->group))
		return POORT_OK;
	for (poort_id i = jid(val, "first"); i && i <= jid(val, "last"); i++) {
		if (round_slot_load(t, c->round, i, &s))
			continue;
		if (jint(s, "start") > tx_now(t) && round_slot_free(s, tx_now(t), 0, (poort_id)-1)) {
			if (c->n == c->cap) {
				c->cap = c->cap ? 2 * c->cap : 64;
				if (!(grown = realloc(c->s, c->cap * sizeof *grown))) {
					json_decref(s);
					return POORT_E_NOMEM;
				}
				c->s = grown;
			}
			c->s[c->n++] = (struct free_slot){ i, jid(s, "staff"), jint(s, "start"), jint(s, "end") };
		}
		json_decref(s);
	}
	detail_clear();
	return POORT_OK;
}

static int free_slot_cmp(const void *x, const void *y)
{
	const struct free_slot *a = x, *b = y;
	return a->start < b->start ? -1 : a->start > b->start;
}

struct busy {
	int64_t start[64], end[64];
	poort_id staff[64];
	size_t n;
	int64_t travel;
};

static poort_err add_busy(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	struct busy *b = arg;

	(void)t; (void)k; (void)klen;
	if (b->n < 64) {
		b->start[b->n] = jint(val, "start");
		b->end[b->n] = jint(val, "end");
		b->staff[b->n++] = jid(val, "staff");
	}
	return POORT_OK;
}

static bool clashes(const struct busy *b, const struct free_slot *s)
{
	for (size_t i = 0; i < b->n; i++) {
		int64_t travel = b->staff[i] == s->staff ? 0 : b->travel;
		if (s->start < b->end[i] + travel && b->start[i] < s->end + travel)
			return true;
	}
	return false;
}

struct proposal {
	poort_id slot[4];
	int64_t start, end;
};

struct proposal_args {
	poort_id round;
	const poort_id *pupils;
	size_t n;
	json_t *out;
};

static void consider(struct proposal *best, size_t *nbest, const struct proposal *p)
{
	size_t i;

	for (i = 0; i < *nbest; i++)
		if (memcmp(best[i].slot, p->slot, sizeof p->slot) == 0)
			return;
	if (*nbest < MAX_PROPOSALS)
		best[(*nbest)++] = *p;
	else if (p->end - p->start < best[MAX_PROPOSALS - 1].end - best[MAX_PROPOSALS - 1].start)
		best[MAX_PROPOSALS - 1] = *p;
	else
		return;
	for (i = *nbest - 1; i > 0; i--) {
		struct proposal *a = &best[i - 1], *b = &best[i];
		int64_t sa = a->end - a->start, sb = b->end - b->start;
		if (sa < sb || (sa == sb && a->start <= b->start))
			break;
		struct proposal tmp = *a;
		*a = *b;
		*b = tmp;
	}
}

/* Greedily places the pupils in order perm after first slot f of perm[0]. */
static bool place(const struct candidates *c, const size_t *perm, size_t n, size_t f, struct busy *busy,
                  struct proposal *p)
{
	const struct free_slot *prev = &c[perm[0]].s[f];
	size_t base = busy->n;
	bool ok = true;

	p->start = prev->start;
	p->slot[perm[0]] = prev->slot;
	for (size_t k = 1; ok && k < n; k++) {
		const struct candidates *cc = &c[perm[k]];
		const struct free_slot *hit = NULL;

		busy->start[busy->n] = prev->start;
		busy->end[busy->n] = prev->end;
		busy->staff[busy->n++] = prev->staff;
		for (size_t i = 0; i < cc->n && !hit; i++) {
			if (cc->s[i].start < prev->end || cc->s[i].start > prev->end + MAX_IDLE + busy->travel)
				continue;
			if (!clashes(busy, &cc->s[i]))
				hit = &cc->s[i];
		}
		if (!hit)
			ok = false;
		else {
			p->slot[perm[k]] = hit->slot;
			prev = hit;
		}
	}
	p->end = prev->end;
	busy->n = base;
	return ok;
}

static bool next_perm(size_t *a, size_t n)
{
	size_t i = n - 1, j = n - 1;

	while (i > 0 && a[i - 1] >= a[i])
		i--;
	if (i == 0)
		return false;
	while (a[j] <= a[i - 1])
		j--;
	size_t tmp = a[i - 1];
	a[i - 1] = a[j];
	a[j] = tmp;
	for (j = n - 1; i < j; i++, j--) {
		tmp = a[i];
		a[i] = a[j];
		a[j] = tmp;
	}
	return true;
}

static poort_err proposal_op(tx *t, void *arg)
{
	struct proposal_args *a = arg;
	struct candidates c[4];
	struct busy busy = { .n = 0 };
	struct proposal best[MAX_PROPOSALS], p;
	size_t nbest = 0, perm[4];
	json_t *round = NULL, *pupil = NULL, *names = json_object(), *s;
	poort_id guardian = 0, party = 0;
	key k;
	poort_err err = POORT_OK;

	memset(c, 0, sizeof c);
	for (size_t i = 0; i < a->n; i++) {
		json_decref(round);
		json_decref(pupil);
		round = pupil = NULL;
		if ((err = family_context(t, a->round, a->pupils[i], &round, &pupil, &guardian, &party)))
			goto out;
		if (pupil_count(t, a->round, a->pupils[i], party) >= pupil_limit(t, a->round, a->pupils[i])) {
			err = fail(POORT_E_LIMIT, "pupils[%zu]: already has a conversation in this round", i);
			goto out;
		}
		c[i].round = a->round;
		c[i].group = jid(pupil, "group");
		k = round_staff_prefix(a->round);
		if ((err = store_walk(t, DB_BOOKING_INDEX, k.b, k.len, add_candidates, &c[i])))
			goto out;
		qsort(c[i].s, c[i].n, sizeof *c[i].s, free_slot_cmp);
		perm[i] = i;
	}
	busy.travel = jint(round, "travel_minutes") * 60;
	if (guardian) {
		k = IKEY('G', a->round, guardian);
		if ((err = store_walk(t, DB_BOOKING_INDEX, k.b, k.len, add_busy, &busy)))
			goto out;
	}
	do {
		for (size_t f = 0; f < c[perm[0]].n; f++) {
			if (clashes(&busy, &c[perm[0]].s[f]))
				continue;
			memset(&p, 0, sizeof p);
			if (place(c, perm, a->n, f, &busy, &p))
				consider(best, &nbest, &p);
		}
	} while (next_perm(perm, a->n));
	a->out = json_array();
	for (size_t i = 0; i < nbest; i++) {
		json_t *slots = json_array();
		for (size_t j = 0; j < a->n; j++) {
			if (round_slot_load(t, a->round, best[i].slot[j], &s) == POORT_OK) {
				json_array_append_new(slots, round_slot_view(t, a->round, best[i].slot[j], s, names));
				json_decref(s);
			}
		}
		json_array_append_new(a->out, json_pack("{so sI sI}", "slots", slots, "start", (json_int_t)best[i].start,
		                                        "end", (json_int_t)best[i].end));
	}
out:
	for (size_t i = 0; i < 4; i++)
		free(c[i].s);
	json_decref(round);
	json_decref(pupil);
	json_decref(names);
	return err;
}

poort_err poort_sibling_proposal(poort *p, poort_id actor, poort_id round, const poort_id *pupils, size_t n,
                                 json_t **out)
{
	struct proposal_args a = { round, pupils, n, NULL };
	poort_err err;

	detail_clear();
	*out = NULL;
	if (!pupils || n < 2 || n > 4)
		return fail(POORT_E_INVALID, "pupils: 2..4");
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (pupils[i] == pupils[j])
				return fail(POORT_E_INVALID, "pupils[%zu]: twice", i);
	err = tx_read(p, actor, proposal_op, &a);
	*out = result_if_ok(err, a.out);
	return err;
}

/* ---- views ---- */

static const char *group_name(tx *t, poort_id group, json_t *names)
{
	char id[24];
	json_t *rec;
	key k = key_id(group);

	snprintf(id, sizeof id, "g%llu", (unsigned long long)group);
	if (!json_object_get(names, id)) {
		json_object_set_new(names, id, json_string(store_get(t, DB_GROUPS, &k, &rec) == POORT_OK && jstr(rec, "name")
		                                               ? jstr(rec, "name") : "?"));
		if (rec)
			json_decref(rec);
		detail_clear();
	}
	return jstr(names, id);
}

/* Pupil name and group name, for lists staff print. */
static void add_pupil_names(tx *t, json_t *o, poort_id pupil, json_t *names)
{
	key k = key_id(pupil);
	json_t *rec;
	char name[256];

	if (store_get(t, DB_PUPILS, &k, &rec) != POORT_OK)
		return;
	json_object_set_new(o, "pupil_name", json_string(person_name(rec, name, sizeof name)));
	json_object_set_new(o, "group_name", json_string(group_name(t, jid(rec, "group"), names)));
	json_decref(rec);
}

struct schedule_args {
	poort_id round, staff;
	poort_day day;
	json_t *out, *names;
};

static poort_err schedule_waiter(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	struct schedule_args *a = arg;
	json_t *o = json_object();

	(void)k; (void)klen;
	add_pupil_names(t, o, jid(val, "pupil"), a->names);
	json_array_append_new(json_object_get(a->out, "waitlist"), o);
	return POORT_OK;
}

static poort_err schedule_op(tx *t, void *arg)
{
	struct schedule_args *a = arg;
	const actor_ctx *act = tx_actor(t);
	json_t *rs = NULL, *slots, *s, *v, *b;
	poort_day d;
	int minute;
	key k;
	poort_err err;

	if (!authz_sees_all_pupils(act) && !(authz_is_staff(act) && act->staff == a->staff))
		return fail(POORT_E_DENIED, "only the teacher themself");
	if ((err = round_staff_load(t, a->round, a->staff, &rs)))
		return err;
	a->names = json_object();
	slots = json_array();
	a->out = json_pack("{sI ss sI so s[]}", "staff", (json_int_t)a->staff, "staff_name", "", "late_minutes",
	                   jint(rs, "late_minutes"), "slots", slots, "waitlist");
	for (poort_id i = jid(rs, "first"); i && i <= jid(rs, "last"); i++) {
		if (round_slot_load(t, a->round, i, &s))
			continue;
		poort_local_time(jint(s, "start"), &d, &minute);
		if (!a->day || d == a->day) {
			v = round_slot_view(t, a->round, i, s, a->names);
			k = key_id(jid(s, "booking"));
			if (jid(s, "booking") && store_get(t, DB_BOOKINGS, &k, &b) == POORT_OK) {
				json_object_set_new(v, "booking", json_integer(jint(b, "id")));
				add_pupil_names(t, v, jid(b, "pupil"), a->names);
				if (json_object_get(b, "arrived_at"))
					json_object_set(v, "arrived_at", json_object_get(b, "arrived_at"));
				if (json_object_get(b, "outcome"))
					json_object_set(v, "outcome", json_object_get(b, "outcome"));
				json_decref(b);
			} else if (json_object_get(s, "offer") &&
			           jint(json_object_get(s, "offer"), "until") > tx_now(t)) {
				json_object_set_new(v, "offered", json_true());
				add_pupil_names(t, v, jid(json_object_get(s, "offer"), "pupil"), a->names);
			}
			json_object_set(a->out, "staff_name", json_object_get(v, "staff_name"));
			json_array_append_new(slots, v);
		}
		json_decref(s);
	}
	k = IKEY('W', a->round, a->staff);
	err = store_walk(t, DB_BOOKING_INDEX, k.b, k.len, schedule_waiter, a);
	detail_clear();
	json_decref(rs);
	json_decref(a->names);
	return err;
}

poort_err poort_teacher_schedule(poort *p, poort_id actor, poort_id round, poort_id staff, poort_day day,
                                 json_t **out)
{
	struct schedule_args a = { round, staff, day, NULL, NULL };
	poort_err err;

	detail_clear();
	err = tx_read(p, actor, schedule_op, &a);
	*out = result_if_ok(err, a.out);
	return err;
}

struct family_args {
	poort_id round;          /* 0: every round */
	json_t *out, *names;
	poort_id cur_round;
};

static poort_err family_booking(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	struct family_args *a = arg;
	key bk = key_id(key_get_id(k, klen - 8));
	json_t *b;

	(void)val;
	if (store_get(t, DB_BOOKINGS, &bk, &b) == POORT_OK) {
		json_array_append_new(json_object_get(a->out, "bookings"), booking_view(t, b, a->names));
		json_decref(b);
	}
	return POORT_OK;
}

static poort_err family_offer(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	struct family_args *a = arg;
	poort_id slotno = key_get_id(k, klen - 8);
	json_t *s, *v;

	if (jint(val, "until") <= tx_now(t) || round_slot_load(t, a->cur_round, slotno, &s) != POORT_OK)
		return POORT_OK;
	v = round_slot_view(t, a->cur_round, slotno, s, a->names);
	json_object_set_new(v, "pupil", json_integer((json_int_t)key_get_id(k, 9)));
	json_object_set(v, "until", json_object_get(val, "until"));
	json_array_append_new(json_object_get(a->out, "offers"), v);
	json_decref(s);
	return POORT_OK;
}

/* The conversations, offers and waiting-list places of one child of the
 * acting guardian in one round: joint ones and the guardian's own. */
static poort_err family_child(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	struct family_args *a = arg;
	poort_id pupil = key_get_id(k, 8), parties[2] = { 0, tx_actor(t)->guardian };
	json_t *w;
	key pk;
	poort_err err = POORT_OK;

	(void)val; (void)klen;
	if (!authz_is_guardian_of(t, tx_actor(t), pupil))
		return POORT_OK;
	for (size_t i = 0; i < 2 && !err; i++) {
		pk = IKEY('P', a->cur_round, pupil, parties[i]);
		err = store_walk(t, DB_BOOKING_INDEX, pk.b, pk.len, family_booking, a);
		pk = IKEY('O', a->cur_round, pupil, parties[i]);
		if (!err)
			err = store_walk(t, DB_BOOKING_INDEX, pk.b, pk.len, family_offer, a);
		pk = IKEY('w', a->cur_round, pupil, parties[i]);
		if (!err && store_get(t, DB_BOOKING_INDEX, &pk, &w) == POORT_OK) {
			json_array_append_new(json_object_get(a->out, "waitlist"),
			                      json_pack("{sI sI sI}", "round", (json_int_t)a->cur_round, "pupil",
			                                (json_int_t)pupil, "staff", jint(w, "staff")));
			json_decref(w);
		}
	}
	detail_clear();
	return err;
}

static poort_err family_round(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	struct family_args *a = arg;
	key gk = key_id(tx_actor(t)->guardian);

	(void)k;
	if (klen != 8 || (a->round && jid(val, "id") != a->round))
		return POORT_OK;
	a->cur_round = jid(val, "id");
	return store_walk(t, DB_GUARDIAN_PUPILS, gk.b, gk.len, family_child, a);
}

static poort_err guardian_bookings_op(tx *t, void *arg)
{
	struct family_args *a = arg;
	const actor_ctx *act = tx_actor(t);
	poort_err err;

	if (act->role != POORT_ROLE_PARENT || !act->guardian)
		return fail(POORT_E_DENIED, "parents only");
	a->names = json_object();
	a->out = json_pack("{s[] s[] s[]}", "bookings", "offers", "waitlist");
	err = store_walk(t, DB_ROUNDS, NULL, 0, family_round, a);
	round_sort_by_start(json_object_get(a->out, "bookings"));
	json_decref(a->names);
	return err;
}

poort_err poort_guardian_bookings(poort *p, poort_id actor, poort_id round, json_t **out)
{
	struct family_args a = { round, NULL, NULL, 0 };
	poort_err err;

	detail_clear();
	err = tx_read(p, actor, guardian_bookings_op, &a);
	*out = result_if_ok(err, a.out);
	return err;
}

static poort_err staff_offers(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	struct family_args *a = arg;
	json_t *s, *v;
	poort_id round = klen == ROUND_STAFF_KEY_LEN ? key_get_id(k, 1) : 0;

	if (klen != ROUND_STAFF_KEY_LEN || jid(val, "staff") != tx_actor(t)->staff)
		return POORT_OK;
	for (poort_id i = jid(val, "first"); i && i <= jid(val, "last"); i++) {
		if (round_slot_load(t, round, i, &s))
			continue;
		if (json_object_get(s, "offer") && jint(json_object_get(s, "offer"), "until") > tx_now(t)) {
			v = round_slot_view(t, round, i, s, a->names);
			json_object_set(v, "until", json_object_get(json_object_get(s, "offer"), "until"));
			add_pupil_names(t, v, jid(json_object_get(s, "offer"), "pupil"), a->names);
			json_array_append_new(json_object_get(a->out, "offers"), v);
		}
		json_decref(s);
	}
	return POORT_OK;
}

static poort_err offers_op(tx *t, void *arg)
{
	struct family_args *a = arg;
	const actor_ctx *act = tx_actor(t);
	poort_err err;

	a->names = json_object();
	a->out = json_pack("{s[] s[] s[]}", "bookings", "offers", "waitlist");
	if (act->role == POORT_ROLE_PARENT && act->guardian)
		err = store_walk(t, DB_ROUNDS, NULL, 0, family_round, a);
	else if (authz_is_staff(act) && act->staff) {
		key prefix = round_staff_prefix(0);
		err = store_walk(t, DB_BOOKING_INDEX, prefix.b, prefix.len, staff_offers, a);
	}
	else
		err = fail(POORT_E_DENIED, "offers");
	json_decref(a->names);
	return err;
}

poort_err poort_waitlist_offers(poort *p, poort_id actor, json_t **out)
{
	struct family_args a = { 0, NULL, NULL, 0 };
	poort_err err;

	detail_clear();
	err = tx_read(p, actor, offers_op, &a);
	*out = NULL;
	if (!err)
		*out = json_incref(json_object_get(a.out, "offers"));
	json_decref(a.out);
	return err;
}

struct overview_args {
	poort_id round;
	json_t *rec, *out, *names;
	json_int_t booked, free;
};

static poort_err overview_teacher(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	struct overview_args *a = arg;
	json_int_t booked = 0, freecount = 0;
	json_t *s, *o;

	(void)k;
	if (klen != ROUND_STAFF_KEY_LEN)
		return POORT_OK;
	for (poort_id i = jid(val, "first"); i && i <= jid(val, "last"); i++) {
		if (round_slot_load(t, a->round, i, &s))
			continue;
		if (jid(s, "booking"))
			booked++;
		else
			freecount++;
		json_decref(s);
	}
	o = json_pack("{sI ss sI sI}", "staff", jint(val, "staff"), "name",
	              round_staff_name(t, jid(val, "staff"), a->names), "booked", booked, "free", freecount);
	json_array_append_new(json_object_get(a->out, "teachers"), o);
	a->booked += booked;
	a->free += freecount;
	return POORT_OK;
}

static poort_err overview_pupil(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	struct overview_args *a = arg;
	poort_id pupil = key_get_id(k, 0);
	key prefix = IKEY('P', a->round, pupil), ik = IKEY('I', a->round, pupil);
	json_t *inv = NULL, *o;
	const char *status = "none";

	(void)klen;
	if (!round_has_group(a->rec, jid(val, "group")) || index_count(t, &prefix) > 0)
		return POORT_OK;
	if (store_get(t, DB_BOOKING_INDEX, &ik, &inv) == POORT_OK && jstr(inv, "status"))
		status = jstr(inv, "status");
	o = json_pack("{sI ss}", "pupil", (json_int_t)pupil, "invitation", status);
	add_pupil_names(t, o, pupil, a->names);
	json_object_set(o, "name", json_object_get(o, "pupil_name"));
	json_array_append(json_object_get(a->out, "not_booked"), o);
	if (strcmp(status, "invited") == 0)
		json_array_append(json_object_get(a->out, "invited_not_booked"), o);
	json_decref(o);
	json_decref(inv);
	detail_clear();
	return POORT_OK;
}

static poort_err overview_op(tx *t, void *arg)
{
	struct overview_args *a = arg;
	key prefix = round_staff_prefix(a->round);
	poort_err err;

	if ((err = authz_staff(t)) || (err = round_load(t, a->round, &a->rec)))
		return err;
	a->names = json_object();
	a->out = json_pack("{sO s[] s[] s[]}", "round", a->rec, "teachers", "invited_not_booked", "not_booked");
	if (!(err = store_walk(t, DB_BOOKING_INDEX, prefix.b, prefix.len, overview_teacher, a)))
		err = store_walk(t, DB_PUPILS, NULL, 0, overview_pupil, a);
	json_object_set_new(a->out, "booked", json_integer(a->booked));
	json_object_set_new(a->out, "free", json_integer(a->free));
	json_decref(a->rec);
	json_decref(a->names);
	return err;
}

poort_err poort_round_overview(poort *p, poort_id actor, poort_id round, json_t **out)
{
	struct overview_args a = { round, NULL, NULL, NULL, 0, 0 };
	poort_err err;

	detail_clear();
	err = tx_read(p, actor, overview_op, &a);
	*out = result_if_ok(err, a.out);
	return err;
}

/* ---- invariants (poortctl check) ---- */

struct check_args {
	json_t *v;
	json_t *slots;      /* "round:slot" -> booking id of each booked booking */
	json_t *parties;    /* "round:pupil:party" -> count */
	json_t *families;   /* "round:guardian" -> [[start,end,staff,booking], ...] */
	json_t *states;     /* "round:staff" -> slot state string */
};

static poort_err check_booking(tx *t, const void *k, size_t klen, json_t *b, void *arg)
{
	struct check_args *a = arg;
	poort_id id = jid(b, "id"), round = jid(b, "round"), slotno = jid(b, "slot");
	char name[96];
	json_t *slot = NULL, *arr;
	key ik;

	(void)klen;
	if (id != key_get_id(k, 0))
		check_report(a->v, "booking.id", "booking %llu stored under another id", (unsigned long long)key_get_id(k, 0));
	if (!jstr(b, "status") || strcmp(jstr(b, "status"), "booked") != 0)
		return POORT_OK;
	snprintf(name, sizeof name, "%llu:%llu", (unsigned long long)round, (unsigned long long)slotno);
	if (json_object_get(a->slots, name))
		check_report(a->v, "booking.double", "slot %s booked by %lld and %llu", name,
		             (long long)json_integer_value(json_object_get(a->slots, name)), (unsigned long long)id);
	json_object_set_new(a->slots, name, json_integer((json_int_t)id));
	if (round_slot_load(t, round, slotno, &slot) != POORT_OK || jid(slot, "booking") != id)
		check_report(a->v, "booking.slot", "booking %llu: slot %s does not point back", (unsigned long long)id, name);
	json_decref(slot);
	ik = IKEY('P', round, jid(b, "pupil"), jid(b, "party"), id);
	if (!store_has(t, DB_BOOKING_INDEX, &ik))
		check_report(a->v, "booking.index", "booking %llu missing from the pupil index", (unsigned long long)id);
	snprintf(name, sizeof name, "%llu:%llu:%llu", (unsigned long long)round, (unsigned long long)jid(b, "pupil"),
	         (unsigned long long)jid(b, "party"));
	json_object_set_new(a->parties, name, json_integer(json_integer_value(json_object_get(a->parties, name)) + 1));
	if (jid(b, "guardian")) {
		ik = IKEY('G', round, jid(b, "guardian"), id);
		if (!store_has(t, DB_BOOKING_INDEX, &ik))
			check_report(a->v, "booking.index", "booking %llu missing from the guardian index", (unsigned long long)id);
		snprintf(name, sizeof name, "%llu:%llu", (unsigned long long)round, (unsigned long long)jid(b, "guardian"));
		if (!(arr = json_object_get(a->families, name)))
			json_object_set_new(a->families, name, arr = json_array());
		json_array_append_new(arr, json_pack("[IIII]", jint(b, "start"), jint(b, "end"), jint(b, "staff"),
		                                     (json_int_t)id));
	}
	detail_clear();
	return POORT_OK;
}

static poort_err check_slot(tx *t, const void *k, size_t klen, json_t *s, void *arg)
{
	struct check_args *a = arg;
	char name[64];
	json_t *bid;

	(void)klen;
	snprintf(name, sizeof name, "%llu:%llu", (unsigned long long)key_get_id(k, 0), (unsigned long long)key_get_id(k, 8));
	bid = json_object_get(a->slots, name);
	if (jid(s, "booking") && (!bid || (poort_id)json_integer_value(bid) != jid(s, "booking")))
		check_report(a->v, "booking.slot", "slot %s points at booking %llu, which does not hold it", name,
		             (unsigned long long)jid(s, "booking"));
	if (jid(s, "booking") && json_object_get(s, "offer"))
		check_report(a->v, "booking.offer", "slot %s is booked and offered", name);
	{
		/* The teacher's state record says the same as the slot. */
		poort_id round = key_get_id(k, 0), slotno = key_get_id(k, 8);
		char want = jid(s, "booking") ? SLOT_BOOKED : json_object_get(s, "offer") ? SLOT_OFFERED : SLOT_FREE;
		char sk[64];
		json_t *st;
		const char *state;
		size_t i = (size_t)(slotno - jid(s, "first"));

		snprintf(sk, sizeof sk, "%llu:%llu", (unsigned long long)round, (unsigned long long)jid(s, "staff"));
		if (!(st = json_object_get(a->states, sk))) {
			key stk = booking_state_key(round, jid(s, "staff"), false);
			json_t *rec = NULL;
			store_get(t, DB_BOOKING_INDEX, &stk, &rec);
			json_object_set_new(a->states, sk, st = json_string(jstr(rec, "state") ? jstr(rec, "state") : ""));
			json_decref(rec);
			detail_clear();
		}
		state = json_string_value(st);
		if (i >= strlen(state) || state[i] != want)
			check_report(a->v, "booking.state", "slot %s: teacher's slot state is '%c', the slot says '%c'", name,
			             i < strlen(state) ? state[i] : '?', want);
	}
	return POORT_OK;
}

static poort_err check_index(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	struct check_args *a = arg;
	const unsigned char *c = k;
	key bk;
	json_t *b;
	bool ok;

	(void)val;
	if ((c[0] != 'P' || klen != 33) && (c[0] != 'G' || klen != 25))
		return POORT_OK;
	bk = key_id(key_get_id(k, klen - 8));
	ok = store_get(t, DB_BOOKINGS, &bk, &b) == POORT_OK;
	if (!ok || strcmp(jstr(b, "status") ? jstr(b, "status") : "", "booked") != 0)
		check_report(a->v, "booking.index", "index '%c' names booking %llu that is not booked", c[0],
		             (unsigned long long)key_get_id(k, klen - 8));
	if (ok)
		json_decref(b);
	detail_clear();
	return POORT_OK;
}

poort_err booking_check(tx *t, json_t *violations)
{
	struct check_args a = { violations, json_object(), json_object(), json_object(), json_object() };
	const char *name;
	json_t *v, *round;
	poort_err err;

	if ((err = store_walk(t, DB_BOOKINGS, NULL, 0, check_booking, &a)) ||
	    (err = store_walk(t, DB_SLOTS, NULL, 0, check_slot, &a)) ||
	    (err = store_walk(t, DB_BOOKING_INDEX, NULL, 0, check_index, &a)))
		goto out;
	json_object_foreach(a.parties, name, v) {
		unsigned long long r, pupil, party;
		if (sscanf(name, "%llu:%llu:%llu", &r, &pupil, &party) == 3 &&
		    (size_t)json_integer_value(v) > pupil_limit(t, r, pupil))
			check_report(violations, "booking.limit", "pupil %llu has %lld conversations in round %llu", pupil,
			             (long long)json_integer_value(v), r);
	}
	json_object_foreach(a.families, name, v) {
		unsigned long long r, g;
		int64_t travel = 0;
		if (sscanf(name, "%llu:%llu", &r, &g) != 2)
			continue;
		if (round_load(t, r, &round) == POORT_OK) {
			travel = jint(round, "travel_minutes") * 60;
			json_decref(round);
		}
		for (size_t i = 0; i < json_array_size(v); i++)
			for (size_t j = 0; j < i; j++) {
				json_t *x = json_array_get(v, i), *y = json_array_get(v, j);
				int64_t tr = json_integer_value(json_array_get(x, 2)) == json_integer_value(json_array_get(y, 2))
				                     ? 0 : travel;
				if (json_integer_value(json_array_get(x, 0)) < json_integer_value(json_array_get(y, 1)) + tr &&
				    json_integer_value(json_array_get(y, 0)) < json_integer_value(json_array_get(x, 1)) + tr)
					check_report(violations, "booking.overlap", "guardian %llu: bookings %lld and %lld overlap", g,
					             (long long)json_integer_value(json_array_get(x, 3)),
					             (long long)json_integer_value(json_array_get(y, 3)));
			}
	}
	detail_clear();
out:
	json_decref(a.slots);
	json_decref(a.parties);
	json_decref(a.families);
	json_decref(a.states);
	return err;
}
