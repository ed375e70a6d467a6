/* core.h - private to app/core: the transaction API the domain files use.
 *
 * Layers: domain files (school.c, people.c, absence.c, ...) call only the
 * tx_* and store_* functions here; store.c alone talks to LMDB. Records are
 * JSON objects encoded compactly; keys are built with the key_* helpers
 * (big-endian ids so that cursors walk in id order).
 *
 * A domain operation is a function `poort_err op(tx *t, void *arg)` run by
 * tx_write()/tx_read(). tx_write() may run op more than once (after the map
 * grew): an op must only touch the store through t and write its results
 * into arg at the end.
 */
#ifndef POORT_CORE_H
#define POORT_CORE_H

#include <poort/poort.h>
#include <string.h>

/* Named databases. Keep in step with db_names[] in store.c. */
enum db {
	DB_META,            /* "schema_version", "next_id", "school" */
	DB_INDEX,           /* "<kind>:<text>" -> id (8 bytes): external keys, logins */
	DB_GROUPS,          /* id -> group */
	DB_PUPILS,          /* id -> pupil */
	DB_MEDICAL,         /* pupil id -> medical */
	DB_GUARDIANS,       /* id -> guardian */
	DB_LINKS,           /* pupil id | guardian id -> link */
	DB_GUARDIAN_PUPILS, /* guardian id | pupil id -> {} (reverse of links) */
	DB_STAFF,           /* id -> staff */
	DB_ACCOUNTS,        /* id -> account */
	DB_ABSENCES,        /* pupil id | day -> absence report */
	DB_ATTENDANCE,      /* day | pupil id -> {"status", "by", "at"} */
	DB_REGISTERS,       /* day | group id -> {"closed_by", "closed_at"} */
	DB_CHECKINS,        /* day | id -> check-in event */
	DB_VISITS,          /* id -> visitor visit (open visits have no "out") */
	DB_CORRECTIONS,     /* id -> correction request */
	DB_AUDIT,           /* seq -> audit entry (not in the change log) */
	DB_CHANGELOG,       /* seq -> change entry */
	DB_ROUNDS,          /* conversation planner (booking.c) */
	DB_SLOTS,
	DB_BOOKINGS,
	DB_BOOKING_INDEX,
	DB__COUNT
};

const char *store_db_name(enum db db);

typedef struct tx tx;

/* The resolved acting account, loaded once per transaction. */
typedef struct actor {
	poort_id account;      /* POORT_ACTOR_CONSOLE / ANONYMOUS or a stored account */
	poort_role role;
	poort_id guardian;     /* for parents */
	poort_id staff;        /* for staff */
	poort_id groups[32];   /* a teacher's groups */
	int ngroups;
} actor_ctx;

typedef poort_err (*tx_op)(tx *t, void *arg);

/* Runs op in one write transaction as actor and commits if op returns
 * POORT_OK; aborts otherwise (op's error is returned). Grows the map and
 * runs op again when the map is full. */
poort_err tx_write(poort *p, poort_id actor, tx_op op, void *arg);
/* Runs op in a read-only transaction (op must not write). */
poort_err tx_read(poort *p, poort_id actor, tx_op op, void *arg);

/* Group commit: runs several ops in one write transaction, each in its own
 * nested transaction so a refused op leaves no trace while the others
 * commit. results[i] gets op i's error (POORT_OK if it committed with the
 * batch). Returns the commit's error (then every result is that error). */
typedef struct tx_batch_item {
	poort_id actor;
	tx_op op;
	void *arg;
	poort_err result;
} tx_batch_item;
poort_err tx_write_batch(poort *p, tx_batch_item *items, size_t n);

const actor_ctx *tx_actor(tx *t);
poort *tx_poort(tx *t);
int64_t tx_now(tx *t);               /* the clock, fixed for the whole transaction */
poort_day tx_today(tx *t);
bool tx_writable(tx *t);
/* Slot where school.c caches the settings for the transaction's lifetime. */
json_t **tx_school_cache(tx *t);

/* ---- records ---- */

/* LMDB's default maximum key size is 511 bytes; texts in keys are limited
 * well below that by validation. A key_str() that does not fit gets len 0,
 * which every store_* call refuses with POORT_E_INVALID (never truncated:
 * two long texts must not share a key). */
typedef struct key {
	unsigned char b[320];
	size_t len;
} key;

key key_id(poort_id id);
key key_id_id(poort_id a, poort_id b);
key key_id_day(poort_id id, poort_day d);
key key_day_id(poort_day d, poort_id id);
key key_str(const char *kind, const char *text);   /* "kind:text"; len 0 if too long */
poort_id key_get_id(const void *b, size_t off);    /* big-endian id at offset */
poort_day key_get_day(const void *b, size_t off);

/* Reads a record; *out is new (caller decrefs). POORT_E_NOT_FOUND if absent. */
poort_err store_get(tx *t, enum db db, const key *k, json_t **out);
/* The same, for a caller that only reads the record: in a write
 * transaction *out may be shared with later transactions (a memo checked
 * against the stored bytes), so it must never be changed. Saves decoding
 * records that hot write paths read again and again. */
poort_err store_get_shared(tx *t, enum db db, const key *k, json_t **out);
/* Whether a key exists. */
bool store_has(tx *t, enum db db, const key *k);
/* Writes a record (borrowed) and appends the change to the change log. */
poort_err store_put(tx *t, enum db db, const key *k, const json_t *val);
/* Writes a record WITHOUT a change-log entry. Only for device status that is
 * not school data and must never be synced (status.c); everything else uses
 * store_put. */
poort_err store_put_unlogged(tx *t, enum db db, const key *k, const json_t *val);
/* Deletes a record (POORT_E_NOT_FOUND if absent) and logs the change. */
poort_err store_del(tx *t, enum db db, const key *k);

/* Index entries: DB_INDEX "kind:text" -> id. */
poort_err store_index_get(tx *t, const char *kind, const char *text, poort_id *id);
poort_err store_index_put(tx *t, const char *kind, const char *text, poort_id id);
poort_err store_index_del(tx *t, const char *kind, const char *text);

/* A fresh id, never handed out before. */
poort_err store_next_id(tx *t, poort_id *id);

/* Walks records whose key starts with prefix (NULL/len 0: all) in key order.
 * fn returns POORT_OK to go on, anything else to stop (returned, except
 * STORE_STOP which ends the walk with POORT_OK). val is borrowed. */
#define STORE_STOP ((poort_err)-1)
typedef poort_err (*store_walk_fn)(tx *t, const void *k, size_t klen, json_t *val, void *arg);
poort_err store_walk(tx *t, enum db db, const void *prefix, size_t plen, store_walk_fn fn, void *arg);
/* Walk backwards from the end (newest first for seq-keyed logs). */
poort_err store_walk_back(tx *t, enum db db, store_walk_fn fn, void *arg);
/* Number of records in a database. */
size_t store_count(tx *t, enum db db);

/* Appends an audit entry (who did or read what). subject may be 0;
 * detail may be NULL (borrowed). */
poort_err audit_add(tx *t, const char *action, poort_id subject, const json_t *detail);

/* ---- authorization (authz.c) ---- */

bool authz_is_staff(const actor_ctx *a);
bool authz_is_admin(const actor_ctx *a);          /* admin or console */
bool authz_sees_all_pupils(const actor_ctx *a);   /* ib, director, admin, console */
/* Guardian a (parent actor) has a portal link to pupil. */
bool authz_is_guardian_of(tx *t, const actor_ctx *a, poort_id pupil);
/* Staff member teaches the pupil's group. */
bool authz_teaches_pupil(tx *t, const actor_ctx *a, poort_id pupil);
bool authz_teaches_group(const actor_ctx *a, poort_id group);
/* May see the pupil at all (guardian, teacher of group, ib/director/admin). */
poort_err authz_pupil_view(tx *t, poort_id pupil);
/* May act as a parent for the pupil (report absence, book, check in):
 * the pupil's guardian with portal access. Console/admin also allowed. */
poort_err authz_pupil_parent(tx *t, poort_id pupil);
/* May act as the pupil's teacher (register, acknowledge): teacher of the
 * group, ib/director/admin. */
poort_err authz_pupil_teacher(tx *t, poort_id pupil);
poort_err authz_admin(tx *t);
poort_err authz_staff(tx *t);

/* ---- helpers shared by domain files ---- */

/* Sets the thread's error detail (printf-style) and returns err. */
poort_err fail(poort_err err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void detail_clear(void);

/* What a public wrapper hands its caller: the result the operation built,
 * or NULL (the partial result released) when it failed. */
static inline json_t *result_if_ok(poort_err err, json_t *result)
{
	if (err) {
		json_decref(result);
		return NULL;
	}
	return result;
}

/* JSON field helpers: missing or wrong type gives the default. */
const char *jstr(const json_t *o, const char *k);             /* NULL if absent */
poort_id jid(const json_t *o, const char *k);                 /* 0 if absent */
bool jbool(const json_t *o, const char *k, bool dflt);

/* Text validation: valid UTF-8 (jansson guarantees it for its strings),
 * length 1..max bytes, no control characters. */
bool text_ok(const char *s, size_t max);

/* School settings inside a transaction (school.c). *out borrowed until the
 * transaction ends. */
poort_err school_settings(tx *t, const json_t **out);
poort_err school_is_day(tx *t, poort_day d, bool *yes);
bool school_module_on(tx *t, const char *module);
int school_cutoff_minute(tx *t);

/* Store creation (migration 0 -> 1) and settings changes inside a transaction. */
poort_err school_init_defaults(tx *t);
poort_err school_update(tx *t, const json_t *changes);   /* validated; caller authorizes */

/* Full name "first [middle] last" of a pupil/guardian record into buf. */
const char *person_name(const json_t *rec, char *buf, size_t len);

/* Guardian contact data as actor a may see it: a new copy of g with hidden
 * fields removed when g hides them from other guardians. */
json_t *guardian_visible(const actor_ctx *a, const json_t *g);

/* ---- invariant checks (check.c) ----
 * Each domain file that owns invariants provides a <domain>_check(tx, v)
 * listed in check.c's table; it appends one entry per violation. */
void check_report(json_t *violations, const char *rule, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
poort_err school_check(tx *t, json_t *violations);

/* ---- people.c: validators and lookups other domain files reuse ---- */

/* Field validation as stored (see people.h for the shapes). partial: only
 * the fields present are checked (correction requests); otherwise required
 * fields must be there. Unknown fields are refused; optional fields may be
 * null or "" (= not set). Pupil fields exclude "id" and "group" (the caller
 * decides those). On failure the detail is where + "." + field
 * ("pupils[3].birth_date"; where may be "" or NULL). */
poort_err pupil_fields_validate(const json_t *fields, bool partial, const char *where);
poort_err guardian_fields_validate(const json_t *fields, bool partial, const char *where);
poort_err medical_validate(const json_t *medical, bool partial, const char *where);
/* An emergency-contacts array: well-formed only (see the next one). */
poort_err contacts_validate(const json_t *contacts, const char *where);
/* Emergency contacts must be third parties: POORT_E_INVALID if one has the
 * phone number of one of pupil's stored guardians. */
poort_err emergency_contacts_check(tx *t, poort_id pupil, const json_t *contacts, const char *where);
/* Digits of a phone number, "+31"/"0031" as "0": for comparing numbers. */
void phone_normalize(const char *in, char *out, size_t len);

/* Records by id; *out new. POORT_E_NOT_FOUND (detail names it) if absent. */
poort_err pupil_get(tx *t, poort_id id, json_t **out);
poort_err guardian_get(tx *t, poort_id id, json_t **out);
/* Guardians linked to a pupil (with or without portal access) and pupils
 * linked to a guardian, in id order: up to max ids into ids, *n = total. */
poort_err guardian_ids_of_pupil(tx *t, poort_id pupil, poort_id *ids, int max, int *n);
poort_err pupil_ids_of_guardian(tx *t, poort_id guardian, poort_id *ids, int max, int *n);
/* {"id","key","name","first_name","middle_name","last_name","group","group_name"}: new. */
json_t *pupil_summary(tx *t, const json_t *pupil);
/* The school's maximum of guardians with portal access per pupil. */
int portal_guardians_max(tx *t);
poort_err people_check(tx *t, json_t *violations);

/* ---- account.c: credentials (see account.h for the rules) ---- */

/* Cryptographically strong random bytes (mbedTLS CTR-DRBG, thread-safe). */
poort_err random_bytes(void *buf, size_t n);
/* argon2id-encoded hash of secret into out. Slow on purpose (tens of ms):
 * call it BEFORE opening a write transaction, never inside one. */
#define SECRET_HASH_MAX 128
poort_err secret_hash(const char *secret, char out[SECRET_HASH_MAX]);
/* Verifies secret against an argon2id hash in constant time; with
 * encoded NULL it verifies against a dummy hash (same time) and fails. */
bool secret_verify(const char *encoded, const char *secret);
/* SHA-256 of a card token as 64 lower-case hex digits (what is stored). */
void card_digest(const char *token, char hex[65]);
/* Formats of credentials: PIN 5 digits, parent code 6 digits, card token
 * 16..128 URL-safe characters, password 10..256 bytes, staff username
 * 2..64 of [a-z0-9._-]. */
bool pin_ok(const char *s);
bool parent_code_ok(const char *s);
bool card_token_ok(const char *s);
bool password_ok(const char *s);
bool username_ok(const char *s);
/* A fresh 6-digit parent code not in use in t. */
poort_err parent_code_new(tx *t, char code[7]);
/* The account of a guardian (role "parent") or staff member (their role):
 * loaded if who_rec has "account", else a new one whose id is set in
 * who_rec["account"] (the caller stores who_rec). *acc is new; the caller
 * stores it with account_put() and releases it. */
poort_err account_ensure(tx *t, const char *role, poort_id who, json_t *who_rec, json_t **acc);
/* Set (or with NULL remove) a login identifier of acc and its index entry;
 * POORT_E_EXISTS naming `where` when another account has it. A NULL
 * username also removes the password. */
poort_err account_set_username(tx *t, json_t *acc, const char *username, const char *where);
poort_err account_set_parent_code(tx *t, json_t *acc, const char *code, const char *where);
poort_err account_set_card(tx *t, json_t *acc, const char *digest_hex, const char *where);
poort_err account_put(tx *t, const json_t *acc);
poort_err account_check(tx *t, json_t *violations);

/* ---- daily: absence.c, attendance.c, checkin.c, correction.c ---- */

/* The absence report of pupil for day; *out new. POORT_E_NOT_FOUND if none. */
poort_err absence_get(tx *t, poort_id pupil, poort_day day, json_t **out);
/* Pupils of a group in id order: *out a new array of pupil records. */
poort_err group_pupils(tx *t, poort_id group, json_t **out);
/* Whether group's register for day is closed. */
bool register_closed(tx *t, poort_day day, poort_id group);
/* Writes a register mark as the transaction's actor; source (may be NULL)
 * says where it came from ("close", "checkin"). Caller authorizes. */
poort_err attendance_put(tx *t, poort_day day, poort_id pupil, poort_id group, poort_presence status,
                         const char *source);
poort_err absence_check(tx *t, json_t *violations);
poort_err attendance_check(tx *t, json_t *violations);
poort_err checkin_check(tx *t, json_t *violations);
/* Records a guardian's arrival (for an appointment, a conversation) as a
 * check-in event, so it counts in the building list. Caller authorizes. */
poort_err checkin_arrival_put(tx *t, poort_id guardian, poort_id pupil, const char *what, poort_id *id);
poort_err correction_check(tx *t, json_t *violations);

/* ---- conversation planner (round.c, booking.c, booker.c, ical.c) ---- */

/* Runs a booking operation: through this process's group-commit writer
 * when one is started (booker.c), else in its own transaction. */
poort_err booking_write(poort *p, poort_id actor, tx_op op, void *arg);
/* The writer hung on an open store (store.c keeps the pointer). */
void *store_booker(poort *p);
void store_set_booker(poort *p, void *booker);

/* Records of a round (round.c). *out is a reference the caller decrefs;
 * round_load's may be shared (store_get_shared): read it, never change it. */
poort_err round_load(tx *t, poort_id round, json_t **out);
poort_err round_slot_load(tx *t, poort_id round, poort_id slot, json_t **out);
poort_err round_staff_load(tx *t, poort_id round, poort_id staff, json_t **out);   /* shared too */
/* Public view of a slot record (new object); names caches staff names. */
json_t *round_slot_view(tx *t, poort_id round, poort_id slot, const json_t *rec, json_t *names);
/* A round's teacher records ({"staff","first","last","windows","starts",
 * "ends","late_minutes"}) are kept in DB_BOOKING_INDEX, so that walking
 * DB_ROUNDS reads rounds only. The prefix of round 0 covers every round. */
#define ROUND_STAFF_KEY_LEN 17
key round_staff_key(poort_id round, poort_id staff);
key round_staff_prefix(poort_id round);
/* A staff member's name, cached in names (borrowed string). */
const char *round_staff_name(tx *t, poort_id staff, json_t *names);
/* Sorts an array of slot or booking views by "start". */
void round_sort_by_start(json_t *arr);
/* Whether the actor may see the round (staff; parents of its groups). */
poort_err round_authz_view(tx *t, const json_t *round);
/* Whether staff teaches group (their staff record's groups). */
bool round_staff_teaches(tx *t, poort_id staff, poort_id group);
bool round_has_group(const json_t *round, poort_id group);
/* A slot is free for pupil/party: no booking, and no offer held for
 * someone else that is still valid at now. */
bool round_slot_free(const json_t *slot, int64_t now, poort_id pupil, poort_id party);

/* Per teacher and round, one character per slot (first..last) in
 * DB_BOOKING_INDEX: free, booked, or offered to a family on the waiting
 * list. Kept with the slot records in the same transaction (booking.c);
 * lets the nearest free slots be found without reading every slot. */
#define SLOT_FREE '0'
#define SLOT_BOOKED 'b'
#define SLOT_OFFERED 'o'
/* The state record's key; prefix_only: the prefix of a whole round's. */
key booking_state_key(poort_id round, poort_id staff, bool prefix_only);

poort_err booking_check(tx *t, json_t *violations);

#endif
