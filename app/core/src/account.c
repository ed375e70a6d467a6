/* account.c - accounts, credentials and logins.
 *
 * Secrets: passwords and kiosk PINs are argon2id hashes (libargon2, OWASP
 * parameters m=19456 KiB, t=2, p=1, 16-byte salt, 32-byte hash); card tokens
 * are stored as SHA-256 hex, indexed "card:<hex>"; parent codes are plain
 * identifiers indexed "code:<code>"; usernames (staff) and e-mail addresses
 * (parents with a password) are indexed "user:<name>". Every index points to
 * the account id.
 *
 * Hashing is slow on purpose, so it never happens inside a write
 * transaction (it would hold LMDB's writer lock): a login reads in one
 * transaction, verifies outside, and records the outcome in a second one.
 */
#include "core.h"

#include <argon2.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/sha256.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define SALT_LEN 16
#define HASH_LEN 32
#define MAX_FAILURES 5
#define LOCK_FIRST 60             /* seconds; doubles with every further lockout */
#define LOCK_MAX (24 * 60 * 60)

/* ---- randomness ---- */

static pthread_mutex_t rng_lock = PTHREAD_MUTEX_INITIALIZER;
static mbedtls_entropy_context rng_entropy;
static mbedtls_ctr_drbg_context rng_drbg;
static bool rng_ready;

poort_err random_bytes(void *buf, size_t n)
{
	static const char pers[] = "poort";
	int rc = 0;

	pthread_mutex_lock(&rng_lock);
	if (!rng_ready) {
		mbedtls_entropy_init(&rng_entropy);
		mbedtls_ctr_drbg_init(&rng_drbg);
		rc = mbedtls_ctr_drbg_seed(&rng_drbg, mbedtls_entropy_func, &rng_entropy,
		                           (const unsigned char *)pers, sizeof pers - 1);
		rng_ready = rc == 0;
	}
	if (rc == 0) {
		/* ctr_drbg hands out at most MBEDTLS_CTR_DRBG_MAX_REQUEST bytes a call. */
		for (size_t off = 0; rc == 0 && off < n; off += MBEDTLS_CTR_DRBG_MAX_REQUEST) {
			size_t len = n - off < MBEDTLS_CTR_DRBG_MAX_REQUEST ? n - off : MBEDTLS_CTR_DRBG_MAX_REQUEST;
			rc = mbedtls_ctr_drbg_random(&rng_drbg, (unsigned char *)buf + off, len);
		}
	}
	pthread_mutex_unlock(&rng_lock);
	return rc ? fail(POORT_E_STORE, "random generator: -0x%04x", (unsigned)-rc) : POORT_OK;
}

/* n random decimal digits without modulo bias. */
static poort_err random_digits(char *out, int n)
{
	unsigned char b;
	poort_err err;

	for (int i = 0; i < n;) {
		if ((err = random_bytes(&b, 1)))
			return err;
		if (b < 250)
			out[i++] = (char)('0' + b % 10);
	}
	out[n] = 0;
	return POORT_OK;
}

/* ---- hashing ---- */

struct kdf {
	uint32_t t, m, p;
};

static struct kdf kdf_params(void)
{
	/* POORT_KDF=test is for the test suite only (ctest sets it): cheap
	 * parameters so that hundreds of hashes take no time. A stored hash
	 * carries its own parameters, so verification never depends on it. */
	const char *mode = getenv("POORT_KDF");
	if (mode && strcmp(mode, "test") == 0)
		return (struct kdf){ 1, 64, 1 };
	return (struct kdf){ 2, 19456, 1 };
}

poort_err secret_hash(const char *secret, char out[SECRET_HASH_MAX])
{
	struct kdf k = kdf_params();
	unsigned char salt[SALT_LEN];
	poort_err err;
	int rc;

	if ((err = random_bytes(salt, sizeof salt)))
		return err;
	if (argon2_encodedlen(k.t, k.m, k.p, SALT_LEN, HASH_LEN, Argon2_id) > SECRET_HASH_MAX)
		return fail(POORT_E_STORE, "hash buffer");
	rc = argon2id_hash_encoded(k.t, k.m, k.p, secret, strlen(secret), salt, sizeof salt, HASH_LEN, out,
	                           SECRET_HASH_MAX);
	if (rc != ARGON2_OK)
		return fail(rc == ARGON2_MEMORY_ALLOCATION_ERROR ? POORT_E_NOMEM : POORT_E_STORE, "argon2: %s",
		            argon2_error_message(rc));
	return POORT_OK;
}

/* A hash of nothing anyone knows: unknown logins are verified against it so
 * that they take as long as known ones. */
static char dummy_hash[SECRET_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_init(void)
{
	unsigned char r[16];
	char pw[33];

	if (random_bytes(r, sizeof r) == POORT_OK) {
		for (int i = 0; i < 16; i++)
			snprintf(pw + 2 * i, 3, "%02x", r[i]);
		if (secret_hash(pw, dummy_hash) != POORT_OK)
			dummy_hash[0] = 0;
	}
}

bool secret_verify(const char *encoded, const char *secret)
{
	bool real = encoded && strncmp(encoded, "$argon2id$", 10) == 0;

	if (!real) {
		pthread_once(&dummy_once, dummy_init);
		if (dummy_hash[0])
			argon2id_verify(dummy_hash, secret, strlen(secret));
		return false;
	}
	/* argon2id_verify compares the hashes in constant time. */
	return argon2id_verify(encoded, secret, strlen(secret)) == ARGON2_OK;
}

void card_digest(const char *token, char hex[65])
{
	unsigned char d[32];

	mbedtls_sha256_ret((const unsigned char *)token, strlen(token), d, 0);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

static bool ct_equal(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	unsigned char diff = na != nb;

	for (size_t i = 0; i < na && i < nb; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0;
}

/* ---- formats ---- */

static bool all_digits(const char *s, size_t n)
{
	if (!s || strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool pin_ok(const char *s) { return all_digits(s, 5); }
bool parent_code_ok(const char *s) { return all_digits(s, 6); }

bool card_token_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n < 16 || n > 128)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '-' || s[i] == '_'))
			return false;
	return true;
}

bool password_ok(const char *s)
{
	/* Length only (NIST 800-63B): at least 10, at most 256 bytes. */
	return s && strlen(s) >= 10 && strlen(s) <= 256;
}

bool username_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n < 2 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '-' ||
		      s[i] == '_'))
			return false;
	return true;
}

/* Logins are case-insensitive: stored and looked up in lower case. */
static void lower_copy(char *dst, size_t len, const char *src)
{
	size_t i;

	for (i = 0; src && src[i] && i + 1 < len; i++)
		dst[i] = (src[i] >= 'A' && src[i] <= 'Z') ? (char)(src[i] - 'A' + 'a') : src[i];
	dst[i] = 0;
}

poort_err parent_code_new(tx *t, char code[7])
{
	poort_err err;

	/* A million codes for a few hundred families: collisions are rare. */
	for (int tries = 0; tries < 100; tries++) {
		key k;
		if ((err = random_digits(code, 6)))
			return err;
		k = key_str("code", code);
		if (!store_has(t, DB_INDEX, &k))
			return POORT_OK;
	}
	return fail(POORT_E_FULL, "no free parent code");
}

/* ---- accounts inside a transaction ---- */

poort_err account_ensure(tx *t, const char *role, poort_id who, json_t *who_rec, json_t **acc)
{
	bool parent = strcmp(role, "parent") == 0;
	poort_id id = jid(who_rec, "account");
	key k;
	poort_err err;

	*acc = NULL;
	if (id) {
		k = key_id(id);
		if ((err = store_get(t, DB_ACCOUNTS, &k, acc)))
			return err == POORT_E_NOT_FOUND ? fail(POORT_E_CORRUPT, "account %llu", (unsigned long long)id)
			                                : err;
		json_object_set_new(*acc, "role", json_string(role));
		return POORT_OK;
	}
	if ((err = store_next_id(t, &id)))
		return err;
	*acc = json_pack("{sI ss sI si si si}", "id", (json_int_t)id, "role", role, parent ? "guardian" : "staff",
	                 (json_int_t)who, "failed", 0, "locked_until", 0, "lockouts", 0);
	if (!*acc)
		return POORT_E_NOMEM;
	json_object_set_new(who_rec, "account", json_integer((json_int_t)id));
	return POORT_OK;
}

/* Points index kind:text at account id, replacing the account's old value
 * of field (and its index entry). text NULL removes it. */
static poort_err account_index_set(tx *t, json_t *acc, const char *field, const char *kind, const char *text,
                                   const char *where)
{
	const char *old = jstr(acc, field);
	poort_id id = jid(acc, "id"), other = 0;
	poort_err err;

	if (old && text && strcmp(old, text) == 0)
		return POORT_OK;
	if (text) {
		err = store_index_get(t, kind, text, &other);
		if (err == POORT_OK && other != id)
			return fail(POORT_E_EXISTS, "%s", where);
		if (err && err != POORT_E_NOT_FOUND)
			return err;
	}
	if (old && (err = store_index_del(t, kind, old)) && err != POORT_E_NOT_FOUND)
		return err;
	if (text) {
		if ((err = store_index_put(t, kind, text, id)))
			return err == POORT_E_INVALID ? fail(err, "%s: too long", where) : err;
		json_object_set_new(acc, field, json_string(text));
	} else {
		json_object_del(acc, field);
	}
	return POORT_OK;
}

poort_err account_set_username(tx *t, json_t *acc, const char *username, const char *where)
{
	char low[256];

	if (!username) {
		json_object_del(acc, "password");
		return account_index_set(t, acc, "username", "user", NULL, where);
	}
	lower_copy(low, sizeof low, username);
	return account_index_set(t, acc, "username", "user", low, where);
}

poort_err account_set_parent_code(tx *t, json_t *acc, const char *code, const char *where)
{
	return account_index_set(t, acc, "parent_code", "code", code, where);
}

poort_err account_set_card(tx *t, json_t *acc, const char *digest_hex, const char *where)
{
	return account_index_set(t, acc, "card", "card", digest_hex, where);
}

poort_err account_put(tx *t, const json_t *acc)
{
	key k = key_id(jid(acc, "id"));
	return store_put(t, DB_ACCOUNTS, &k, acc);
}

/* ---- logins ---- */

enum login_kind { LOGIN_PASSWORD, LOGIN_KIOSK, LOGIN_CARD };
static const char *const login_kind_names[] = { "password", "kiosk", "card" };

struct login {
	enum login_kind kind;
	char ident[320];            /* username, parent code or card digest */
	char hash[SECRET_HASH_MAX]; /* stored hash (copied out of the read transaction) */
	poort_id account;
	int64_t locked_until;
	bool ok;                    /* secret verified */
	poort_err result;
};

/* One more failure: counts it and, at MAX_FAILURES, locks for a time that
 * doubles with every lockout in a row (capped at a day). True if it locks. */
static bool lock_step(json_int_t *failed, json_int_t *lockouts, int64_t now, int64_t *until)
{
	int64_t secs;

	if (++*failed < MAX_FAILURES)
		return false;
	++*lockouts;
	secs = *lockouts > 11 ? LOCK_MAX : (int64_t)LOCK_FIRST << (*lockouts - 1);
	*until = now + (secs > LOCK_MAX ? LOCK_MAX : secs);
	*failed = 0;
	return true;
}

/* Unknown usernames, codes and cards are counted too, so that a lockout
 * after five tries does not tell an attacker that a code exists. They have
 * no account to store the count in, and storing attacker-chosen names would
 * let anyone fill the disk: they live in a fixed table in this process
 * (a newer name takes over the slot of an older one). */
#define GHOSTS 1024
static struct ghost {
	unsigned char digest[32];
	json_int_t failed, lockouts;
	int64_t until;
} ghosts[GHOSTS];
static pthread_mutex_t ghost_lock = PTHREAD_MUTEX_INITIALIZER;

static struct ghost *ghost_slot(const struct login *l)
{
	unsigned char d[32];
	char buf[sizeof l->ident + 4];
	struct ghost *g;

	snprintf(buf, sizeof buf, "%d:%s", (int)l->kind, l->ident);
	mbedtls_sha256_ret((const unsigned char *)buf, strlen(buf), d, 0);
	g = &ghosts[((unsigned)d[0] << 8 | d[1]) % GHOSTS];
	if (memcmp(g->digest, d, sizeof d) != 0) {
		memset(g, 0, sizeof *g);
		memcpy(g->digest, d, sizeof d);
	}
	return g;
}

static int64_t ghost_locked_until(const struct login *l)
{
	int64_t until;

	pthread_mutex_lock(&ghost_lock);
	until = ghost_slot(l)->until;
	pthread_mutex_unlock(&ghost_lock);
	return until;
}

static void ghost_fail(struct login *l, int64_t now)
{
	struct ghost *g;

	pthread_mutex_lock(&ghost_lock);
	g = ghost_slot(l);
	l->result = lock_step(&g->failed, &g->lockouts, now, &g->until) ? POORT_E_LOCKED : POORT_E_AUTH;
	l->locked_until = g->until;
	pthread_mutex_unlock(&ghost_lock);
}

static poort_err login_lookup_op(tx *t, void *arg)
{
	struct login *l = arg;
	static const char *const index_kind[] = { "user", "code", "card" };
	const char *hash;
	json_t *acc = NULL;
	key k;
	poort_err err;

	l->account = 0;
	l->hash[0] = 0;
	l->locked_until = 0;
	err = store_index_get(t, index_kind[l->kind], l->ident, &l->account);
	/* Too long for a key (INVALID) is just another unknown name. */
	if (err == POORT_E_NOT_FOUND || err == POORT_E_INVALID || (!err && l->ident[0] == 0)) {
		l->account = 0;
		return POORT_OK;
	}
	if (err)
		return err;
	k = key_id(l->account);
	if ((err = store_get(t, DB_ACCOUNTS, &k, &acc))) {
		l->account = 0;
		return err == POORT_E_NOT_FOUND ? POORT_OK : err;
	}
	if (jbool(acc, "disabled", false)) {
		l->account = 0;
	} else {
		hash = jstr(acc, l->kind == LOGIN_PASSWORD ? "password" : l->kind == LOGIN_KIOSK ? "pin" : NULL);
		if (hash)
			snprintf(l->hash, sizeof l->hash, "%s", hash);
		l->locked_until = json_integer_value(json_object_get(acc, "locked_until"));
		if (l->kind == LOGIN_CARD)
			l->ok = jstr(acc, "card") && ct_equal(jstr(acc, "card"), l->ident);
	}
	json_decref(acc);
	return POORT_OK;
}

/* Records the outcome: counters reset on success; a failure counts and may
 * lock. Always commits (returns POORT_OK); the login's answer is l->result. */
static poort_err login_record_op(tx *t, void *arg)
{
	struct login *l = arg;
	json_t *acc = NULL, *d = NULL;
	const char *hash;
	json_int_t failed, lockouts;
	int64_t until;
	key k;
	poort_err err;

	d = json_pack("{ss}", "kind", login_kind_names[l->kind]);
	if (!l->account) {
		/* l->result was decided by the unknown-login counter (ghost_fail). */
		err = audit_add(t, l->result == POORT_E_LOCKED ? "login.locked" : "login.failed", 0, d);
		goto out;
	}
	k = key_id(l->account);
	if ((err = store_get(t, DB_ACCOUNTS, &k, &acc)))
		goto out;
	until = json_integer_value(json_object_get(acc, "locked_until"));
	if (until > tx_now(t)) {
		l->result = POORT_E_LOCKED;
		l->locked_until = until;
		goto out;
	}
	/* The secret must be the one verified: a change in between is a failure. */
	hash = jstr(acc, l->kind == LOGIN_PASSWORD ? "password" : l->kind == LOGIN_KIOSK ? "pin" : "card");
	if (l->ok && l->kind != LOGIN_CARD && !(hash && strcmp(hash, l->hash) == 0))
		l->ok = false;
	if (l->ok && l->kind == LOGIN_CARD && !(hash && ct_equal(hash, l->ident)))
		l->ok = false;
	failed = json_integer_value(json_object_get(acc, "failed"));
	lockouts = json_integer_value(json_object_get(acc, "lockouts"));
	if (l->ok) {
		l->result = POORT_OK;
		if (failed || lockouts || until) {
			json_object_set_new(acc, "failed", json_integer(0));
			json_object_set_new(acc, "lockouts", json_integer(0));
			json_object_set_new(acc, "locked_until", json_integer(0));
			err = store_put(t, DB_ACCOUNTS, &k, acc);
		}
		goto out;
	}
	l->result = POORT_E_AUTH;
	if (lock_step(&failed, &lockouts, tx_now(t), &l->locked_until)) {
		l->result = POORT_E_LOCKED;
		json_object_set_new(acc, "lockouts", json_integer(lockouts));
		json_object_set_new(acc, "locked_until", json_integer((json_int_t)l->locked_until));
		json_object_set_new(d, "until", json_integer((json_int_t)l->locked_until));
	}
	json_object_set_new(acc, "failed", json_integer(failed));
	if ((err = store_put(t, DB_ACCOUNTS, &k, acc)))
		goto out;
	err = audit_add(t, l->result == POORT_E_LOCKED ? "login.locked" : "login.failed", l->account, d);
out:
	json_decref(acc);
	json_decref(d);
	return err;
}

static poort_err locked_answer(int64_t until)
{
	char when[32];
	return fail(POORT_E_LOCKED, "%s", poort_time_format(until, when));
}

static poort_err login(poort *p, struct login *l, const char *secret, poort_id *account)
{
	poort_err err;

	*account = 0;
	l->ok = false;
	if ((err = tx_read(p, POORT_ACTOR_ANONYMOUS, login_lookup_op, l)))
		return err;
	if (!l->account)
		l->locked_until = ghost_locked_until(l);
	if (l->locked_until > poort_now(p))
		return locked_answer(l->locked_until);
	if (l->kind != LOGIN_CARD)
		l->ok = secret_verify(l->account ? l->hash : NULL, secret ? secret : "");
	if (!l->account)
		ghost_fail(l, poort_now(p));
	if ((err = tx_write(p, POORT_ACTOR_ANONYMOUS, login_record_op, l)))
		return err;
	if (l->result == POORT_E_LOCKED)
		return locked_answer(l->locked_until);
	if (l->result)
		return fail(l->result, "login");
	*account = l->account;
	return POORT_OK;
}

poort_err poort_login_password(poort *p, const char *username, const char *password, poort_id *account)
{
	struct login l = { .kind = LOGIN_PASSWORD };

	lower_copy(l.ident, sizeof l.ident, username);
	return login(p, &l, password, account);
}

poort_err poort_login_kiosk(poort *p, const char *parent_code, const char *pin, poort_id *account)
{
	struct login l = { .kind = LOGIN_KIOSK };

	/* A malformed code is looked up all the same (and misses): same path, same time. */
	snprintf(l.ident, sizeof l.ident, "%s", parent_code_ok(parent_code) ? parent_code : "");
	return login(p, &l, pin, account);
}

poort_err poort_login_card(poort *p, const char *card_token, poort_id *account)
{
	struct login l = { .kind = LOGIN_CARD };

	card_digest(card_token ? card_token : "", l.ident);
	return login(p, &l, NULL, account);
}

/* ---- account administration ---- */

/* The actor is this (live, enabled) account itself. */
static bool is_self(const actor_ctx *me, poort_id account)
{
	return me->account == account && me->role != POORT_ROLE_NONE && me->role != POORT_ROLE_CONSOLE;
}

struct view_args {
	poort_id account;
	json_t *out;
};

static poort_err view_op(tx *t, void *arg)
{
	struct view_args *a = arg;
	const actor_ctx *me = tx_actor(t);
	json_t *acc = NULL, *who = NULL, *out = NULL;
	key k = key_id(a->account);
	char name[256];
	poort_err err;

	if (!is_self(me, a->account) && !authz_is_admin(me))
		return fail(POORT_E_DENIED, "account");
	if ((err = store_get(t, DB_ACCOUNTS, &k, &acc)))
		return err == POORT_E_NOT_FOUND ? fail(err, "account") : err;
	out = json_pack("{sO sO}", "id", json_object_get(acc, "id"), "role", json_object_get(acc, "role"));
	if (jstr(acc, "username"))
		json_object_set(out, "username", json_object_get(acc, "username"));
	if (jid(acc, "staff")) {
		k = key_id(jid(acc, "staff"));
		if ((err = store_get(t, DB_STAFF, &k, &who)))
			goto out;
		json_object_set(out, "staff", json_object_get(acc, "staff"));
		json_object_set(out, "name", json_object_get(who, "name"));
		json_object_set_new(out, "groups", json_deep_copy(json_object_get(who, "groups")));
	} else if (jid(acc, "guardian")) {
		k = key_id(jid(acc, "guardian"));
		if ((err = store_get(t, DB_GUARDIANS, &k, &who)))
			goto out;
		json_object_set(out, "guardian", json_object_get(acc, "guardian"));
		json_object_set_new(out, "name", json_string(person_name(who, name, sizeof name)));
		json_object_set_new(out, "groups", json_array());
	}
	if (!json_object_get(out, "groups"))
		json_object_set_new(out, "groups", json_array());
	if (authz_is_admin(me)) {
		json_object_set(out, "failed", json_object_get(acc, "failed"));
		json_object_set(out, "locked_until", json_object_get(acc, "locked_until"));
		json_object_set_new(out, "disabled", json_boolean(jbool(acc, "disabled", false)));
	}
	json_decref(a->out);
	a->out = out;
	out = NULL;
out:
	json_decref(out);
	json_decref(acc);
	json_decref(who);
	return err;
}

poort_err poort_account_view(poort *p, poort_id actor, poort_id account, json_t **out)
{
	struct view_args a = { account, NULL };
	poort_err err = tx_read(p, actor, view_op, &a);

	*out = result_if_ok(err, a.out);
	return err;
}

/* Whether every element of groups is the id of a stored group. */
static poort_err groups_exist(tx *t, const json_t *groups)
{
	size_t i;
	json_t *g;

	if (!json_is_array(groups))
		return fail(POORT_E_INVALID, "groups");
	json_array_foreach(groups, i, g) {
		key k = key_id(json_is_integer(g) && json_integer_value(g) > 0 ? (poort_id)json_integer_value(g) : 0);
		if (!json_is_integer(g))
			return fail(POORT_E_INVALID, "groups[%zu]", i);
		if (!store_has(t, DB_GROUPS, &k))
			return fail(POORT_E_NOT_FOUND, "groups[%zu]", i);
	}
	return POORT_OK;
}

struct staff_args {
	const char *username, *name, *hash;
	poort_role role;
	const json_t *groups;
	poort_id staff;
};

static poort_err staff_create_op(tx *t, void *arg)
{
	struct staff_args *a = arg;
	json_t *staff = NULL, *acc = NULL;
	poort_id id;
	key k;
	poort_err err;

	if ((err = authz_admin(t)))
		return err;
	if ((err = store_index_get(t, "user", a->username, &id)) != POORT_E_NOT_FOUND)
		return err ? err : fail(POORT_E_EXISTS, "username");
	if (a->groups && (err = groups_exist(t, a->groups)))
		return err;
	if ((err = store_next_id(t, &id)))
		return err;
	staff = json_pack("{sI ss ss ss so}", "id", (json_int_t)id, "username", a->username, "name", a->name, "role",
	                  poort_role_name(a->role), "groups", a->groups ? json_deep_copy(a->groups) : json_array());
	if (!staff)
		return POORT_E_NOMEM;
	if ((err = account_ensure(t, poort_role_name(a->role), id, staff, &acc)) ||
	    (err = account_set_username(t, acc, a->username, "username")))
		goto out;
	if (a->hash)
		json_object_set_new(acc, "password", json_string(a->hash));
	k = key_id(id);
	if ((err = store_put(t, DB_STAFF, &k, staff)) || (err = account_put(t, acc)))
		goto out;
	err = audit_add(t, "staff.create", id, NULL);
	if (!err)
		a->staff = id;
out:
	json_decref(staff);
	json_decref(acc);
	return err;
}

/* Refuses actors that are not administrators before any slow hashing; the
 * transaction decides again for real. */
static poort_err admin_precheck(poort *p, poort_id actor)
{
	poort_role role = POORT_ROLE_NONE;
	poort_err err = poort_account_role(p, actor, &role);

	if (err)
		return err;
	return role == POORT_ROLE_ADMIN || role == POORT_ROLE_CONSOLE ? POORT_OK
	                                                              : fail(POORT_E_DENIED, "administrators only");
}

poort_err poort_staff_create(poort *p, poort_id actor, const char *username, const char *name, poort_role role,
                             const char *password, const json_t *groups, poort_id *staff)
{
	char low[80], hash[SECRET_HASH_MAX];
	struct staff_args a = { low, name, NULL, role, groups, 0 };
	poort_err err;

	*staff = 0;
	detail_clear();
	if ((err = admin_precheck(p, actor)))
		return err;
	lower_copy(low, sizeof low, username);
	if (!username || strlen(username) >= sizeof low || !username_ok(low))
		return fail(POORT_E_INVALID, "username");
	if (!text_ok(name, 100))
		return fail(POORT_E_INVALID, "name");
	if (role < POORT_ROLE_TEACHER || role > POORT_ROLE_ADMIN)
		return fail(POORT_E_INVALID, "role");
	if (password && !password_ok(password))
		return fail(POORT_E_INVALID, "password: at least 10 characters");
	if (password) {
		if ((err = secret_hash(password, hash)))
			return err;
		a.hash = hash;
	}
	err = tx_write(p, actor, staff_create_op, &a);
	*staff = err ? 0 : a.staff;
	return err;
}

struct cred_args {
	poort_id guardian;
	unsigned what;
	const char *pin, *pin_hash, *password, *password_hash;
	char card[40];
	char code[7];
	json_t *secrets;
};

static poort_err cred_op(tx *t, void *arg)
{
	struct cred_args *a = arg;
	json_t *g = NULL, *acc = NULL, *secrets = json_object();
	key k = key_id(a->guardian);
	char digest[65];
	unsigned char r[16];
	poort_err err;

	if ((err = authz_admin(t)))
		goto out;
	if ((err = store_get(t, DB_GUARDIANS, &k, &g))) {
		err = err == POORT_E_NOT_FOUND ? fail(err, "guardian") : err;
		goto out;
	}
	if ((err = account_ensure(t, "parent", a->guardian, g, &acc)))
		goto out;
	if (a->what & POORT_CRED_PIN) {
		/* Keep a parent's code when there is one: only the PIN is new. */
		if (jstr(acc, "parent_code")) {
			snprintf(a->code, sizeof a->code, "%s", jstr(acc, "parent_code"));
		} else if ((err = parent_code_new(t, a->code)) ||
		           (err = account_set_parent_code(t, acc, a->code, "parent_code"))) {
			goto out;
		}
		json_object_set_new(acc, "pin", json_string(a->pin_hash));
		json_object_set_new(secrets, "parent_code", json_string(a->code));
		json_object_set_new(secrets, "pin", json_string(a->pin));
	}
	if (a->what & POORT_CRED_CARD) {
		if ((err = random_bytes(r, sizeof r)))
			goto out;
		for (int i = 0; i < 16; i++)
			snprintf(a->card + 2 * i, 3, "%02x", r[i]);
		card_digest(a->card, digest);
		if ((err = account_set_card(t, acc, digest, "card")))
			goto out;
		json_object_set_new(secrets, "card", json_string(a->card));
	}
	if (a->what & POORT_CRED_PASSWORD) {
		if (!jstr(g, "email")) {
			err = fail(POORT_E_INVALID, "email: a password login needs the guardian's e-mail address");
			goto out;
		}
		if ((err = account_set_username(t, acc, jstr(g, "email"), "email")))
			goto out;
		json_object_set_new(acc, "password", json_string(a->password_hash));
		json_object_set(secrets, "username", json_object_get(acc, "username"));
		json_object_set_new(secrets, "password", json_string(a->password));
	}
	/* New credentials also end a lockout. */
	json_object_set_new(acc, "failed", json_integer(0));
	json_object_set_new(acc, "locked_until", json_integer(0));
	json_object_set_new(acc, "lockouts", json_integer(0));
	if ((err = account_put(t, acc)) || (err = store_put(t, DB_GUARDIANS, &k, g)))
		goto out;
	{
		json_t *d = json_pack("{sb sb sb}", "pin", (a->what & POORT_CRED_PIN) != 0, "card",
		                      (a->what & POORT_CRED_CARD) != 0, "password", (a->what & POORT_CRED_PASSWORD) != 0);
		err = audit_add(t, "credentials.reset", a->guardian, d);
		json_decref(d);
	}
	if (!err) {
		json_decref(a->secrets);
		a->secrets = secrets;
		secrets = NULL;
	}
out:
	json_decref(secrets);
	json_decref(g);
	json_decref(acc);
	return err;
}

/* A readable random password: 14 characters from an alphabet without
 * look-alikes (about 80 bits). */
static poort_err random_password(char out[15])
{
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	const unsigned n = sizeof alphabet - 1;
	unsigned char b;
	poort_err err;

	for (int i = 0; i < 14;) {
		if ((err = random_bytes(&b, 1)))
			return err;
		if (b < 256 / n * n)
			out[i++] = alphabet[b % n];
	}
	out[14] = 0;
	return POORT_OK;
}

poort_err poort_parent_credentials_reset(poort *p, poort_id actor, poort_id guardian, unsigned what,
                                         json_t **secrets)
{
	char pin[6], pin_hash[SECRET_HASH_MAX], pw[15], pw_hash[SECRET_HASH_MAX];
	struct cred_args a = { .guardian = guardian, .what = what };
	poort_err err;

	*secrets = NULL;
	detail_clear();
	if (!what || (what & ~(unsigned)(POORT_CRED_PIN | POORT_CRED_CARD | POORT_CRED_PASSWORD)))
		return fail(POORT_E_INVALID, "what");
	if ((err = admin_precheck(p, actor)))
		return err;
	if (what & POORT_CRED_PIN) {
		if ((err = random_digits(pin, 5)) || (err = secret_hash(pin, pin_hash)))
			return err;
		a.pin = pin;
		a.pin_hash = pin_hash;
	}
	if (what & POORT_CRED_PASSWORD) {
		if ((err = random_password(pw)) || (err = secret_hash(pw, pw_hash)))
			return err;
		a.password = pw;
		a.password_hash = pw_hash;
	}
	err = tx_write(p, actor, cred_op, &a);
	*secrets = result_if_ok(err, a.secrets);
	return err;
}

struct password_args {
	poort_id account;
	const char *hash;
};

static poort_err password_op(tx *t, void *arg)
{
	struct password_args *a = arg;
	const actor_ctx *me = tx_actor(t);
	json_t *acc = NULL, *g = NULL;
	key k = key_id(a->account);
	poort_err err;

	if (!is_self(me, a->account) && !authz_is_admin(me))
		return fail(POORT_E_DENIED, "account");
	if ((err = store_get(t, DB_ACCOUNTS, &k, &acc)))
		return err == POORT_E_NOT_FOUND ? fail(err, "account") : err;
	if (jid(acc, "guardian") && !jstr(acc, "username")) {
		/* Parents log in on the web with their e-mail address. */
		key gk = key_id(jid(acc, "guardian"));
		if ((err = store_get(t, DB_GUARDIANS, &gk, &g)))
			goto out;
		if (!jstr(g, "email")) {
			err = fail(POORT_E_INVALID, "email: a password login needs an e-mail address");
			goto out;
		}
		if ((err = account_set_username(t, acc, jstr(g, "email"), "email")))
			goto out;
	}
	json_object_set_new(acc, "password", json_string(a->hash));
	json_object_set_new(acc, "failed", json_integer(0));
	json_object_set_new(acc, "locked_until", json_integer(0));
	json_object_set_new(acc, "lockouts", json_integer(0));
	if (!(err = account_put(t, acc)))
		err = audit_add(t, "password.set", a->account, NULL);
out:
	json_decref(acc);
	json_decref(g);
	return err;
}

poort_err poort_password_set(poort *p, poort_id actor, poort_id account, const char *password)
{
	char hash[SECRET_HASH_MAX];
	struct password_args a = { account, hash };
	poort_err err;

	detail_clear();
	if (!password_ok(password))
		return fail(POORT_E_INVALID, "password: at least 10 characters");
	if (actor != account && (err = admin_precheck(p, actor)))
		return err;
	if ((err = secret_hash(password, hash)))
		return err;
	return tx_write(p, actor, password_op, &a);
}

struct find_args {
	const char *username;   /* lower-cased */
	poort_id account;
};

static poort_err find_op(tx *t, void *arg)
{
	struct find_args *a = arg;
	poort_err err = authz_admin(t);

	return err ? err : store_index_get(t, "user", a->username, &a->account);
}

poort_err poort_account_find(poort *p, poort_id actor, const char *username, poort_id *account)
{
	char low[256];
	struct find_args a = { low, 0 };
	poort_err err;

	detail_clear();
	*account = 0;
	if (!text_ok(username, sizeof low - 1))
		return fail(POORT_E_INVALID, "username");
	lower_copy(low, sizeof low, username);
	if ((err = tx_read(p, actor, find_op, &a)))
		return err;
	*account = a.account;
	return POORT_OK;
}

/* ---- invariants ---- */

static poort_err check_account(tx *t, const void *k, size_t klen, json_t *val, void *arg)
{
	poort_id id = key_get_id(k, 0), who;
	poort_role role;
	const char *hash;
	json_t *rec;
	key rk;
	bool parent;

	if (jid(val, "id") != id || poort_role_parse(jstr(val, "role"), &role) || role == POORT_ROLE_CONSOLE) {
		check_report(arg, "account.fields", "account %llu: id or role wrong", (unsigned long long)id);
		return POORT_OK;
	}
	parent = role == POORT_ROLE_PARENT;
	who = jid(val, parent ? "guardian" : "staff");
	rk = key_id(who);
	if (!who || store_get(t, parent ? DB_GUARDIANS : DB_STAFF, &rk, &rec) != POORT_OK) {
		check_report(arg, "account.owner", "account %llu: its %s does not exist", (unsigned long long)id,
		             parent ? "guardian" : "staff member");
		return POORT_OK;
	}
	if (jid(rec, "account") != id)
		check_report(arg, "account.backlink", "account %llu: %s %llu points elsewhere", (unsigned long long)id,
		             parent ? "guardian" : "staff", (unsigned long long)who);
	if (!parent && !(jstr(rec, "role") && strcmp(jstr(rec, "role"), jstr(val, "role")) == 0))
		check_report(arg, "account.role", "account %llu: role differs from the staff record", (unsigned long long)id);
	json_decref(rec);
	for (int i = 0; i < 2; i++) {
		hash = jstr(val, i ? "pin" : "password");
		if (hash && strncmp(hash, "$argon2id$", 10) != 0)
			check_report(arg, "account.hash", "account %llu: %s is not an argon2id hash", (unsigned long long)id,
			             i ? "pin" : "password");
	}
	{
		static const char *const fields[][2] = { { "username", "user" }, { "parent_code", "code" }, { "card", "card" } };
		for (size_t i = 0; i < 3; i++) {
			const char *text = jstr(val, fields[i][0]);
			poort_id got = 0;
			if (text && (store_index_get(t, fields[i][1], text, &got) != POORT_OK || got != id))
				check_report(arg, "account.index", "account %llu: %s not indexed", (unsigned long long)id,
				             fields[i][0]);
		}
	}
	if ((jstr(val, "pin") != NULL) != (jstr(val, "parent_code") != NULL))
		check_report(arg, "account.kiosk", "account %llu: parent code and PIN go together", (unsigned long long)id);
	return POORT_OK;
}

poort_err account_check(tx *t, json_t *violations)
{
	return store_walk(t, DB_ACCOUNTS, NULL, 0, check_account, violations);
}
