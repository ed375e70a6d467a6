/* store.c - the only file that includes lmdb.h.
 *
 * One LMDB environment per school. Records are compact JSON. MDB_* codes
 * are translated here into poort_err and never leave this file. The map
 * grows by itself: an operation that fills it is aborted, the map doubled
 * and the operation run again, so nothing is ever half-written.
 */
#include "core.h"

#include <errno.h>
#include <fcntl.h>
#include <lmdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_MAP_SIZE ((size_t)64 << 20)
#define MAX_READERS 254

static const char *const db_names[DB__COUNT] = {
	[DB_META] = "meta",
	[DB_INDEX] = "index",
	[DB_GROUPS] = "groups",
	[DB_PUPILS] = "pupils",
	[DB_MEDICAL] = "medical",
	[DB_GUARDIANS] = "guardians",
	[DB_LINKS] = "links",
	[DB_GUARDIAN_PUPILS] = "guardian_pupils",
	[DB_STAFF] = "staff",
	[DB_ACCOUNTS] = "accounts",
	[DB_ABSENCES] = "absences",
	[DB_ATTENDANCE] = "attendance",
	[DB_REGISTERS] = "registers",
	[DB_CHECKINS] = "checkins",
	[DB_VISITS] = "visits",
	[DB_CORRECTIONS] = "corrections",
	[DB_AUDIT] = "audit",
	[DB_CHANGELOG] = "changelog",
	[DB_ROUNDS] = "rounds",
	[DB_SLOTS] = "slots",
	[DB_BOOKINGS] = "bookings",
	[DB_BOOKING_INDEX] = "booking_index",
};

struct poort {
	MDB_env *env;
	MDB_dbi dbi[DB__COUNT];
	bool have_dbi[DB__COUNT];
	bool read_only;
	/* Held shared by every transaction of this process and exclusively
	 * while the map is resized: mdb_env_set_mapsize() requires that no
	 * transaction of the process is active. */
	pthread_rwlock_t resize_lock;
	int64_t (*clock)(void *);
	void *clock_arg;
	int64_t fake_now;   /* from $POORT_FAKE_NOW; 0 = real time */
	void *booker;       /* booker.c's group-commit writer, if started */
	char *dir;
	/* Bumped each time the environment is reopened after LMDB flagged it
	 * fatal (a failed meta-page write, e.g. on a full disk): without the
	 * reopen a long-running poortd would refuse every later write. */
	unsigned generation;
	unsigned reopens;
	struct actor_memo *actors;   /* resolve_actor's memo, see there */
	struct record_memo *records; /* store_get_shared's memo, see there */
};

struct tx {
	poort *p;
	MDB_txn *txn;
	actor_ctx act;
	int64_t now;
	bool write;
	unsigned generation;  /* of the environment this transaction began in */
	json_t *school;     /* cached settings, released at the end */
	/* Last sequence number of DB_AUDIT [0] and DB_CHANGELOG [1] once
	 * looked up (0: not known): a batch appends thousands of entries and
	 * need not walk to the end of the log for each. tx_write_batch puts
	 * them back when a nested transaction is aborted. */
	uint64_t seq[2];
	unsigned long writes;   /* puts and deletes so far: see tx_write_batch */
};

const char *store_db_name(enum db db)
{
	return db >= 0 && db < DB__COUNT ? db_names[db] : "?";
}

static poort_err from_mdb(int rc)
{
	switch (rc) {
	case MDB_SUCCESS: return POORT_OK;
	case MDB_NOTFOUND: return POORT_E_NOT_FOUND;
	case MDB_KEYEXIST: return POORT_E_EXISTS;
	case MDB_READERS_FULL: return POORT_E_BUSY;
	case MDB_CORRUPTED:
	case MDB_PAGE_NOTFOUND:
	case MDB_INVALID:
	case MDB_VERSION_MISMATCH: return POORT_E_CORRUPT;
	case ENOSPC:
	case EDQUOT: return POORT_E_DISK_FULL;
	case ENOMEM: return POORT_E_NOMEM;
	case EACCES:
	case EROFS:
	case EIO: return POORT_E_IO;
	default: return POORT_E_STORE;
	}
}

/* Internal marker: the map is full, grow and retry. Never returned. */
#define E_MAP_FULL ((poort_err)-2)
#define E_RESIZED ((poort_err)-3)
#define E_PANIC ((poort_err)-4)
#define E_NEST ((poort_err)-5)   /* tx_write_batch: run the batch again with nested txns */

static poort_err check_mdb(int rc)
{
	if (rc == MDB_MAP_FULL || rc == MDB_TXN_FULL)
		return rc == MDB_MAP_FULL ? E_MAP_FULL : fail(POORT_E_LIMIT, "transaction too large");
	if (rc == MDB_MAP_RESIZED)
		return E_RESIZED;
	if (rc == MDB_PANIC)
		return E_PANIC;
	if (rc != MDB_SUCCESS && rc != MDB_NOTFOUND)
		return fail(from_mdb(rc), "store: %s", mdb_strerror(rc));
	return from_mdb(rc);
}

const char *poort_data_dir(const char *arg)
{
	const char *env;

	if (arg && *arg)
		return arg;
	env = getenv("POORT_DATA");
	if (env && *env)
		return env;
	return "/var/lib/poort";
}

/* ---- clock ---- */

static int64_t parse_fake_now(const char *s)
{
	poort_day d;
	char date[11];
	int hh, mm;

	if (!s || strlen(s) < 16 || s[10] != 'T')
		return 0;
	memcpy(date, s, 10);
	date[10] = 0;
	if (poort_day_parse(date, &d) != POORT_OK || sscanf(s + 11, "%2d:%2d", &hh, &mm) != 2 ||
	    hh < 0 || hh > 23 || mm < 0 || mm > 59)
		return 0;
	return poort_unix_time(d, hh * 60 + mm);
}

void poort_set_clock(poort *p, int64_t (*now)(void *), void *arg)
{
	p->clock = now;
	p->clock_arg = arg;
}

int64_t poort_now(poort *p)
{
	if (p->clock)
		return p->clock(p->clock_arg);
	if (p->fake_now)
		return p->fake_now;
	return (int64_t)time(NULL);
}

poort_day poort_today(poort *p)
{
	poort_day d;
	int minute;

	poort_local_time(poort_now(p), &d, &minute);
	return d;
}

void *store_booker(poort *p)
{
	return __atomic_load_n(&p->booker, __ATOMIC_ACQUIRE);
}

void store_set_booker(poort *p, void *booker)
{
	__atomic_store_n(&p->booker, booker, __ATOMIC_RELEASE);
}

/* ---- transactions ---- */

static poort_err env_open(poort *p, size_t map_size);

/* Reopens the environment after MDB_PANIC, unless another thread already
 * did since generation `seen`. Every transaction of the process holds the
 * resize lock shared, so under the exclusive lock none is active. */
static void recover_env(poort *p, unsigned seen)
{
	MDB_envinfo info = { 0 };

	pthread_rwlock_wrlock(&p->resize_lock);
	if (p->generation == seen) {
		if (p->env) {
			mdb_env_info(p->env, &info);
			mdb_env_close(p->env);
			p->env = NULL;
		}
		if (env_open(p, info.me_mapsize) == POORT_OK)
			p->reopens++;
		p->generation++;
	}
	pthread_rwlock_unlock(&p->resize_lock);
}

static void resize_map(poort *p, bool grow)
{
	MDB_envinfo info;

	pthread_rwlock_wrlock(&p->resize_lock);
	if (grow) {
		mdb_env_info(p->env, &info);
		mdb_env_set_mapsize(p->env, info.me_mapsize * 2);
	} else {
		mdb_env_set_mapsize(p->env, 0);   /* adopt the size another process set */
	}
	pthread_rwlock_unlock(&p->resize_lock);
}

/* resolve_actor's memo: the actor last resolved from an account, with
 * the exact bytes of the account and staff records it came from. A write
 * transaction that finds the same bytes again reuses it instead of
 * decoding both records (a rush resolves thousands of actors; every poortd
 * request resolves one). Read transactions on many threads use it too, so
 * one mutex guards the table (held for a slot's compare or copy only);
 * comparing bytes keeps it exact whatever another transaction or process
 * changed in between, and whatever snapshot the transaction reads. */
#define ACTOR_MEMO_SLOTS 4096
struct actor_memo {
	poort_id account;
	actor_ctx act;
	MDB_val acc, staff;   /* malloc'd copies */
};

static bool raw_get(tx *t, enum db db, poort_id id, MDB_val *v)
{
	key k = key_id(id);
	MDB_val mk = { k.len, k.b };

	return t->p->have_dbi[db] && mdb_get(t->txn, t->p->dbi[db], &mk, v) == MDB_SUCCESS;
}

static bool same_bytes(const MDB_val *a, const MDB_val *b)
{
	return a->mv_size == b->mv_size && memcmp(a->mv_data, b->mv_data, a->mv_size) == 0;
}

static pthread_mutex_t actor_memo_lock = PTHREAD_MUTEX_INITIALIZER;

/* Called with actor_memo_lock held. */
static struct actor_memo *actor_memo_slot(tx *t, poort_id account)
{
	if (!t->p->actors && !(t->p->actors = calloc(ACTOR_MEMO_SLOTS, sizeof *t->p->actors)))
		return NULL;
	return &t->p->actors[account % ACTOR_MEMO_SLOTS];
}

static bool actor_memo_get(tx *t, poort_id account)
{
	struct actor_memo *m;
	MDB_val acc, staff;
	bool hit = false;

	pthread_mutex_lock(&actor_memo_lock);
	m = actor_memo_slot(t, account);
	if (!m || m->account != account || !raw_get(t, DB_ACCOUNTS, account, &acc) || !same_bytes(&acc, &m->acc))
		goto out;
	if (m->act.staff && (!raw_get(t, DB_STAFF, m->act.staff, &staff) || !same_bytes(&staff, &m->staff)))
		goto out;
	t->act = m->act;
	hit = true;
out:
	pthread_mutex_unlock(&actor_memo_lock);
	return hit;
}

static bool copy_val(MDB_val *to, const MDB_val *from)
{
	free(to->mv_data);
	to->mv_size = 0;
	if (!(to->mv_data = malloc(from->mv_size ? from->mv_size : 1)))
		return false;
	if (from->mv_size)
		memcpy(to->mv_data, from->mv_data, from->mv_size);
	to->mv_size = from->mv_size;
	return true;
}

/* Remembers t->act as resolved from the records as they are now. */
static void actor_memo_put(tx *t)
{
	struct actor_memo *m;
	MDB_val acc, staff = { 0, NULL };

	pthread_mutex_lock(&actor_memo_lock);
	if (!(m = actor_memo_slot(t, t->act.account)))
		goto out;
	m->account = 0;
	if (!raw_get(t, DB_ACCOUNTS, t->act.account, &acc) ||
	    (t->act.staff && !raw_get(t, DB_STAFF, t->act.staff, &staff)))
		goto out;
	if (!copy_val(&m->acc, &acc) || !copy_val(&m->staff, &staff))
		goto out;
	m->act = t->act;
	m->account = t->act.account;
out:
	pthread_mutex_unlock(&actor_memo_lock);
}

static void actor_memo_free(poort *p)
{
	if (!p->actors)
		return;
	for (size_t i = 0; i < ACTOR_MEMO_SLOTS; i++) {
		free(p->actors[i].acc.mv_data);
		free(p->actors[i].staff.mv_data);
	}
	free(p->actors);
	p->actors = NULL;
}

static poort_err resolve_actor(tx *t, poort_id account)
{
	json_t *acc = NULL, *staff = NULL, *groups;
	const char *role;
	size_t i;
	json_t *g;
	poort_err err = POORT_OK;

	memset(&t->act, 0, sizeof t->act);
	t->act.account = account;
	if (account == POORT_ACTOR_CONSOLE) {
		t->act.role = POORT_ROLE_CONSOLE;
		return POORT_OK;
	}
	if (account == POORT_ACTOR_ANONYMOUS || actor_memo_get(t, account))
		return POORT_OK;
	{
		key k = key_id(account);
		err = store_get(t, DB_ACCOUNTS, &k, &acc);
	}
	if (err == POORT_E_NOT_FOUND || (err == POORT_OK && jbool(acc, "disabled", false))) {
		err = POORT_OK;   /* an unknown account acts as nobody: every rule denies it */
		goto out;
	}
	if (err)
		goto out;
	role = jstr(acc, "role");
	if (!role || poort_role_parse(role, &t->act.role) != POORT_OK || t->act.role == POORT_ROLE_CONSOLE) {
		t->act.role = POORT_ROLE_NONE;
		goto out;
	}
	t->act.guardian = jid(acc, "guardian");
	t->act.staff = jid(acc, "staff");
	if (t->act.staff) {
		key k = key_id(t->act.staff);
		if (store_get(t, DB_STAFF, &k, &staff) == POORT_OK) {
			groups = json_object_get(staff, "groups");
			json_array_foreach(groups, i, g) {
				if (t->act.ngroups < (int)(sizeof t->act.groups / sizeof t->act.groups[0]) &&
				    json_is_integer(g))
					t->act.groups[t->act.ngroups++] = (poort_id)json_integer_value(g);
			}
		}
	}
	actor_memo_put(t);
out:
	json_decref(acc);
	json_decref(staff);
	return err;
}

static void tx_end(tx *t)
{
	json_decref(t->school);
	t->school = NULL;
}

static poort_err begin(poort *p, tx *t, MDB_txn *parent, bool write)
{
	int rc;

	memset(t, 0, sizeof *t);
	t->p = p;
	t->write = write;
	t->now = poort_now(p);
	t->generation = p->generation;
	if (!p->env)
		return E_PANIC;   /* an earlier reopen failed: try again */
	rc = mdb_txn_begin(p->env, parent, write ? 0 : MDB_RDONLY, &t->txn);
	return check_mdb(rc);
}

poort_err tx_write(poort *p, poort_id account, tx_op op, void *arg)
{
	tx_batch_item item = { account, op, arg, POORT_OK };
	poort_err err = tx_write_batch(p, &item, 1);

	return err ? err : item.result;
}

/* LMDB reports a short write as EIO ("filesystem full?"), which is what a
 * full disk usually gives. When the store's file system has no room left,
 * say so: POORT_E_DISK_FULL is the error an administrator can act on. */
#define DISK_FULL_MARGIN ((uint64_t)1 << 20)
static poort_err io_error_cause(poort *p, poort_err err)
{
	struct statvfs sv;
	int fd;

	if (err != POORT_E_IO || mdb_env_get_fd(p->env, &fd) != 0 || fstatvfs(fd, &sv) != 0 ||
	    (uint64_t)sv.f_bavail * sv.f_frsize >= DISK_FULL_MARGIN)
		return err;
	return fail(POORT_E_DISK_FULL, "no space left on the store's file system");
}

/* Whether a refused op left the transaction as it found it: it wrote
 * nothing and its error is a rule's refusal, not a store failure. */
static bool refused_cleanly(const tx *t, unsigned long writes_before, poort_err result)
{
	return t->writes == writes_before && result > POORT_OK && result < POORT_E_DISK_FULL;
}

poort_err tx_write_batch(poort *p, tx_batch_item *items, size_t n)
{
	tx t;
	poort_err err;
	size_t i;
	int rc, panics = 0;
	/* A batch first runs its ops one after another in the one transaction
	 * (flat). Most refusals ("taken") happen before an op writes anything,
	 * so they need no undo. Only when an op is refused after it wrote, or
	 * the store failed under it, is the batch run again with each op in a
	 * nested transaction that can be aborted alone: the nested ones cost a
	 * copy of every page an op touches, which is most of a small op. */
	bool nested = false;

	if (p->read_only)
		return fail(POORT_E_DENIED, "store opened read-only");
	for (;;) {
		pthread_rwlock_rdlock(&p->resize_lock);
		err = begin(p, &t, NULL, true);
		if (err)
			goto abort;
		for (i = 0; i < n; i++) {
			MDB_txn *parent = t.txn, *child = NULL;
			uint64_t seq[2] = { t.seq[0], t.seq[1] };
			unsigned long writes = t.writes;

			if (n > 1 && nested) {
				rc = mdb_txn_begin(p->env, parent, 0, &child);
				if ((err = check_mdb(rc)))
					goto abort;
				t.txn = child;
			}
			detail_clear();
			items[i].result = resolve_actor(&t, items[i].actor);
			if (!items[i].result)
				items[i].result = items[i].op(&t, items[i].arg);
			if (items[i].result == E_MAP_FULL) {
				memcpy(t.seq, seq, sizeof seq);
				if (child)
					mdb_txn_abort(child);
				t.txn = parent;
				err = E_MAP_FULL;
				goto abort;
			}
			if (n > 1 && !nested && items[i].result && !refused_cleanly(&t, writes, items[i].result)) {
				err = E_NEST;
				goto abort;
			}
			if (child) {
				if (items[i].result)
					memcpy(t.seq, seq, sizeof seq);   /* its appends are undone */
				rc = items[i].result ? (mdb_txn_abort(child), 0) : mdb_txn_commit(child);
				t.txn = parent;
				if ((err = check_mdb(rc)))
					goto abort;
			}
		}
		tx_end(&t);
		if (n == 1 && items[0].result) {
			mdb_txn_abort(t.txn);
			pthread_rwlock_unlock(&p->resize_lock);
			/* the op's own refusal (or a spill that hit a full disk) */
			items[0].result = io_error_cause(p, items[0].result);
			return POORT_OK;
		}
		rc = mdb_txn_commit(t.txn);
		t.txn = NULL;
		err = io_error_cause(p, check_mdb(rc));
		pthread_rwlock_unlock(&p->resize_lock);
		if (err == E_MAP_FULL) {
			resize_map(p, true);
			continue;
		}
		if (err) {
			for (i = 0; i < n; i++)
				items[i].result = err;
		}
		return err;
abort:
		tx_end(&t);
		if (t.txn)
			mdb_txn_abort(t.txn);
		pthread_rwlock_unlock(&p->resize_lock);
		if (err == E_NEST) {
			nested = true;
			continue;
		}
		if (err == E_MAP_FULL || err == E_RESIZED) {
			resize_map(p, err == E_MAP_FULL);
			continue;
		}
		if (err == E_PANIC && panics++ < 2) {
			recover_env(p, t.generation);
			continue;
		}
		if (err == E_PANIC)
			err = fail(POORT_E_STORE, "the store could not be reopened");
		err = io_error_cause(p, err);
		for (i = 0; i < n; i++)
			items[i].result = err;
		return err;
	}
}

poort_err tx_read(poort *p, poort_id account, tx_op op, void *arg)
{
	tx t;
	poort_err err;
	int panics = 0;

	for (;;) {
		pthread_rwlock_rdlock(&p->resize_lock);
		err = begin(p, &t, NULL, false);
		if (!err) {
			detail_clear();
			err = resolve_actor(&t, account);
			if (!err)
				err = op(&t, arg);
		}
		tx_end(&t);
		if (t.txn)
			mdb_txn_abort(t.txn);
		pthread_rwlock_unlock(&p->resize_lock);
		if (err == E_RESIZED) {
			resize_map(p, false);
			continue;
		}
		if (err == E_PANIC && panics++ < 2) {
			recover_env(p, t.generation);
			continue;
		}
		return err == E_PANIC ? fail(POORT_E_STORE, "the store could not be reopened") : err;
	}
}

const actor_ctx *tx_actor(tx *t) { return &t->act; }
poort *tx_poort(tx *t) { return t->p; }
int64_t tx_now(tx *t) { return t->now; }
bool tx_writable(tx *t) { return t->write; }

poort_day tx_today(tx *t)
{
	poort_day d;
	int minute;

	poort_local_time(t->now, &d, &minute);
	return d;
}

json_t **tx_school_cache(tx *t) { return &t->school; }

/* ---- keys ---- */

static void put_be64(unsigned char *b, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		b[i] = (unsigned char)v;
}

static void put_day(unsigned char *b, poort_day d)
{
	/* Offset so that negative days still sort before positive ones. */
	uint32_t v = (uint32_t)d ^ 0x80000000u;
	b[0] = (unsigned char)(v >> 24);
	b[1] = (unsigned char)(v >> 16);
	b[2] = (unsigned char)(v >> 8);
	b[3] = (unsigned char)v;
}

key key_id(poort_id id)
{
	key k = { .len = 8 };
	put_be64(k.b, id);
	return k;
}

key key_id_id(poort_id a, poort_id b)
{
	key k = { .len = 16 };
	put_be64(k.b, a);
	put_be64(k.b + 8, b);
	return k;
}

key key_id_day(poort_id id, poort_day d)
{
	key k = { .len = 12 };
	put_be64(k.b, id);
	put_day(k.b + 8, d);
	return k;
}

key key_day_id(poort_day d, poort_id id)
{
	key k = { .len = 12 };
	put_day(k.b, d);
	put_be64(k.b + 4, id);
	return k;
}

key key_str(const char *kind, const char *text)
{
	key k;
	int n = snprintf((char *)k.b, sizeof k.b, "%s:%s", kind, text ? text : "");
	k.len = n < 0 || (size_t)n >= sizeof k.b ? 0 : (size_t)n;
	return k;
}

poort_id key_get_id(const void *b, size_t off)
{
	const unsigned char *c = (const unsigned char *)b + off;
	poort_id v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | c[i];
	return v;
}

poort_day key_get_day(const void *b, size_t off)
{
	const unsigned char *c = (const unsigned char *)b + off;
	uint32_t v = ((uint32_t)c[0] << 24) | ((uint32_t)c[1] << 16) | ((uint32_t)c[2] << 8) | c[3];
	return (poort_day)(v ^ 0x80000000u);
}

/* ---- records ---- */

static poort_err dbi_of(tx *t, enum db db, MDB_dbi *dbi)
{
	if (db < 0 || db >= DB__COUNT || !t->p->have_dbi[db])
		return POORT_E_NOT_FOUND;
	*dbi = t->p->dbi[db];
	return POORT_OK;
}

static poort_err decode(const MDB_val *v, json_t **out)
{
	json_error_t jerr;

	*out = json_loadb(v->mv_data, v->mv_size, JSON_DECODE_ANY, &jerr);
	if (!*out)
		return fail(POORT_E_CORRUPT, "undecodable record: %s", jerr.text);
	return POORT_OK;
}

poort_err store_get(tx *t, enum db db, const key *k, json_t **out)
{
	MDB_dbi dbi;
	MDB_val mk = { k->len, (void *)k->b }, mv;
	poort_err err;

	*out = NULL;
	if (k->len == 0)
		return fail(POORT_E_INVALID, "key too long");
	if ((err = dbi_of(t, db, &dbi)))
		return err;
	if ((err = check_mdb(mdb_get(t->txn, dbi, &mk, &mv))))
		return err;
	return decode(&mv, out);
}

/* store_get_shared's memo: records decoded in earlier write transactions,
 * each with a copy of the exact bytes it was decoded from. A hit needs
 * the same bytes under the same key now, so the memo can never hand out a
 * stale record, whatever other transactions or processes wrote. Like the
 * actor memo it is touched only inside write transactions (one at a time
 * per environment), so it needs no lock. */
#define RECORD_MEMO_SLOTS 65536
struct record_memo {
	enum db db;
	size_t klen;
	MDB_val raw;   /* malloc'd: the key's bytes, then the record's */
	json_t *val;
};

static struct record_memo *record_memo_slot(tx *t, enum db db, const key *k)
{
	uint64_t h = 1469598103934665603ull ^ (uint64_t)db;

	if (!t->p->records && !(t->p->records = calloc(RECORD_MEMO_SLOTS, sizeof *t->p->records)))
		return NULL;
	for (size_t i = 0; i < k->len; i++)
		h = (h ^ k->b[i]) * 1099511628211ull;
	return &t->p->records[h % RECORD_MEMO_SLOTS];
}

static bool record_memo_hit(const struct record_memo *m, enum db db, const key *k, const MDB_val *v)
{
	const unsigned char *b = m->raw.mv_data;

	return m->val && m->db == db && m->klen == k->len && m->raw.mv_size == k->len + v->mv_size &&
	       memcmp(b, k->b, k->len) == 0 && memcmp(b + k->len, v->mv_data, v->mv_size) == 0;
}

static void record_memo_set(struct record_memo *m, enum db db, const key *k, const MDB_val *v, json_t *val)
{
	unsigned char *b;

	json_decref(m->val);
	m->val = NULL;
	free(m->raw.mv_data);
	m->raw = (MDB_val){ 0, NULL };
	if (!(b = malloc(k->len + v->mv_size)))
		return;
	memcpy(b, k->b, k->len);
	memcpy(b + k->len, v->mv_data, v->mv_size);
	*m = (struct record_memo){ db, k->len, { k->len + v->mv_size, b }, json_incref(val) };
}

static void record_memo_free(poort *p)
{
	if (!p->records)
		return;
	for (size_t i = 0; i < RECORD_MEMO_SLOTS; i++) {
		free(p->records[i].raw.mv_data);
		json_decref(p->records[i].val);
	}
	free(p->records);
	p->records = NULL;
}

poort_err store_get_shared(tx *t, enum db db, const key *k, json_t **out)
{
	MDB_dbi dbi;
	MDB_val mk = { k->len, (void *)k->b }, mv;
	struct record_memo *m;
	poort_err err;

	if (!t->write)
		return store_get(t, db, k, out);
	*out = NULL;
	if (k->len == 0)
		return fail(POORT_E_INVALID, "key too long");
	if ((err = dbi_of(t, db, &dbi)))
		return err;
	if ((err = check_mdb(mdb_get(t->txn, dbi, &mk, &mv))))
		return err;
	m = record_memo_slot(t, db, k);
	if (m && record_memo_hit(m, db, k, &mv)) {
		*out = json_incref(m->val);
		return POORT_OK;
	}
	if ((err = decode(&mv, out)))
		return err;
	if (m)
		record_memo_set(m, db, k, &mv, *out);
	return POORT_OK;
}

bool store_has(tx *t, enum db db, const key *k)
{
	MDB_dbi dbi;
	MDB_val mk = { k->len, (void *)k->b }, mv;

	return k->len && dbi_of(t, db, &dbi) == POORT_OK && mdb_get(t->txn, dbi, &mk, &mv) == MDB_SUCCESS;
}

static poort_err last_seq(tx *t, MDB_dbi dbi, uint64_t *seq)
{
	MDB_cursor *c;
	MDB_val k, v;
	int rc;

	*seq = 0;
	if ((rc = mdb_cursor_open(t->txn, dbi, &c)))
		return check_mdb(rc);
	rc = mdb_cursor_get(c, &k, &v, MDB_LAST);
	if (rc == MDB_SUCCESS && k.mv_size == 8)
		*seq = key_get_id(k.mv_data, 0);
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND ? POORT_OK : check_mdb(rc);
}

static uint64_t *seq_cache(tx *t, enum db db)
{
	return db == DB_AUDIT ? &t->seq[0] : db == DB_CHANGELOG ? &t->seq[1] : NULL;
}

/* Appends an entry to a log database under the next sequence number.
 * head is the entry's JSON text without its closing brace ("{...");
 * ',"seq":N}' is added here. */
static poort_err append_seq(tx *t, enum db db, const char *head, size_t hlen)
{
	MDB_dbi dbi;
	uint64_t *cached = seq_cache(t, db), seq;
	poort_err err;
	char tail[48], stackbuf[2048], *buf = stackbuf;
	int tlen;
	key k;
	MDB_val mk, mv;

	if ((err = dbi_of(t, db, &dbi)))
		return err;
	if (*cached)
		seq = *cached;
	else if ((err = last_seq(t, dbi, &seq)))
		return err;
	seq++;
	tlen = snprintf(tail, sizeof tail, ",\"seq\":%lld}", (long long)(json_int_t)seq);
	if (hlen + (size_t)tlen > sizeof stackbuf && !(buf = malloc(hlen + (size_t)tlen)))
		return POORT_E_NOMEM;
	memcpy(buf, head, hlen);
	memcpy(buf + hlen, tail, (size_t)tlen);
	k = key_id(seq);
	mk = (MDB_val){ k.len, k.b };
	mv = (MDB_val){ hlen + (size_t)tlen, buf };
	t->writes++;
	err = check_mdb(mdb_put(t->txn, dbi, &mk, &mv, MDB_APPEND));
	if (buf != stackbuf)
		free(buf);
	if (!err)
		*cached = seq;
	return err;
}

/* The change entry {"at","actor","db","key","value","seq"}: enc is the
 * value as store_put encoded it for the record itself (NULL: deleted), so
 * it is spliced in rather than encoded a second time. */
static poort_err log_change(tx *t, enum db db, const key *k, const char *enc, size_t elen)
{
	static const char hex[] = "0123456789abcdef";
	char head[512 + sizeof k->b * 2], *buf;
	int n;
	size_t hlen;
	poort_err err;

	n = snprintf(head, sizeof head, "{\"at\":%lld,\"actor\":%lld,\"db\":\"%s\",\"key\":\"", (long long)t->now,
	             (long long)(json_int_t)t->act.account, db_names[db]);
	hlen = (size_t)n;
	for (size_t i = 0; i < k->len; i++) {
		head[hlen++] = hex[k->b[i] >> 4];
		head[hlen++] = hex[k->b[i] & 15];
	}
	memcpy(head + hlen, "\",\"value\":", 10);
	hlen += 10;
	if (!enc) {
		enc = "null";
		elen = 4;
	}
	if (!(buf = malloc(hlen + elen)))
		return POORT_E_NOMEM;
	memcpy(buf, head, hlen);
	memcpy(buf + hlen, enc, elen);
	err = append_seq(t, DB_CHANGELOG, buf, hlen + elen);
	free(buf);
	return err;
}

static poort_err put_raw(tx *t, enum db db, const key *k, const json_t *val, bool logged)
{
	MDB_dbi dbi;
	MDB_val mk = { k->len, (void *)k->b }, mv;
	char *enc;
	poort_err err;

	if (!t->write)
		return fail(POORT_E_STORE, "write in a read transaction");
	if (k->len == 0)
		return fail(POORT_E_INVALID, "key too long");
	if ((err = dbi_of(t, db, &dbi)))
		return err;
	enc = json_dumps(val, JSON_COMPACT | JSON_ENCODE_ANY);
	if (!enc)
		return POORT_E_NOMEM;
	mv = (MDB_val){ strlen(enc), enc };
	t->writes++;
	err = check_mdb(mdb_put(t->txn, dbi, &mk, &mv, 0));
	if (!err && logged)
		err = log_change(t, db, k, enc, mv.mv_size);
	free(enc);
	if (seq_cache(t, db))
		*seq_cache(t, db) = 0;   /* written by key: look the end up again */
	return err;
}

poort_err store_put_unlogged(tx *t, enum db db, const key *k, const json_t *val)
{
	return put_raw(t, db, k, val, false);
}

poort_err store_put(tx *t, enum db db, const key *k, const json_t *val)
{
	return put_raw(t, db, k, val, db != DB_AUDIT && db != DB_CHANGELOG);
}

poort_err store_del(tx *t, enum db db, const key *k)
{
	MDB_dbi dbi;
	MDB_val mk = { k->len, (void *)k->b };
	poort_err err;

	if (!t->write)
		return fail(POORT_E_STORE, "write in a read transaction");
	if (k->len == 0)
		return fail(POORT_E_INVALID, "key too long");
	if ((err = dbi_of(t, db, &dbi)))
		return err;
	t->writes++;
	if ((err = check_mdb(mdb_del(t->txn, dbi, &mk, NULL))))
		return err;
	if (seq_cache(t, db))
		*seq_cache(t, db) = 0;
	return log_change(t, db, k, NULL, 0);
}

poort_err store_index_get(tx *t, const char *kind, const char *text, poort_id *id)
{
	key k = key_str(kind, text);
	json_t *v;
	poort_err err = store_get(t, DB_INDEX, &k, &v);

	*id = 0;
	if (err)
		return err;
	*id = json_is_integer(v) ? (poort_id)json_integer_value(v) : 0;
	json_decref(v);
	return *id ? POORT_OK : fail(POORT_E_CORRUPT, "index %s:%s", kind, text);
}

poort_err store_index_put(tx *t, const char *kind, const char *text, poort_id id)
{
	key k = key_str(kind, text);
	json_t *v = json_integer((json_int_t)id);
	poort_err err = store_put(t, DB_INDEX, &k, v);

	json_decref(v);
	return err;
}

poort_err store_index_del(tx *t, const char *kind, const char *text)
{
	key k = key_str(kind, text);
	return store_del(t, DB_INDEX, &k);
}

poort_err store_next_id(tx *t, poort_id *id)
{
	key k = key_str("meta", "next_id");
	json_t *v = NULL;
	poort_err err = store_get(t, DB_META, &k, &v);

	if (err == POORT_E_NOT_FOUND) {
		*id = 1;
	} else if (err) {
		return err;
	} else {
		*id = (poort_id)json_integer_value(v);
		json_decref(v);
		if (*id == 0)
			return fail(POORT_E_CORRUPT, "meta next_id");
	}
	v = json_integer((json_int_t)(*id + 1));
	/* Not in the change log: the records that use the id carry it. */
	err = put_raw(t, DB_META, &k, v, false);
	json_decref(v);
	return err;
}

static poort_err walk(tx *t, enum db db, const void *prefix, size_t plen, bool backwards,
                      store_walk_fn fn, void *arg)
{
	MDB_dbi dbi;
	MDB_cursor *c = NULL;
	MDB_val k = { plen, (void *)prefix }, v;
	json_t *val;
	poort_err err;
	int rc;

	if ((err = dbi_of(t, db, &dbi)))
		return err == POORT_E_NOT_FOUND ? POORT_OK : err;
	if ((rc = mdb_cursor_open(t->txn, dbi, &c)))
		return check_mdb(rc);
	if (backwards)
		rc = mdb_cursor_get(c, &k, &v, MDB_LAST);
	else
		rc = plen ? mdb_cursor_get(c, &k, &v, MDB_SET_RANGE) : mdb_cursor_get(c, &k, &v, MDB_FIRST);
	err = POORT_OK;
	while (rc == MDB_SUCCESS) {
		if (plen && (k.mv_size < plen || memcmp(k.mv_data, prefix, plen) != 0))
			break;
		if ((err = decode(&v, &val)))
			break;
		err = fn(t, k.mv_data, k.mv_size, val, arg);
		json_decref(val);
		if (err)
			break;
		rc = mdb_cursor_get(c, &k, &v, backwards ? MDB_PREV : MDB_NEXT);
	}
	if (!err && rc != MDB_SUCCESS && rc != MDB_NOTFOUND)
		err = check_mdb(rc);
	mdb_cursor_close(c);
	return err == STORE_STOP ? POORT_OK : err;
}

poort_err store_walk(tx *t, enum db db, const void *prefix, size_t plen, store_walk_fn fn, void *arg)
{
	return walk(t, db, prefix, plen, false, fn, arg);
}

poort_err store_walk_back(tx *t, enum db db, store_walk_fn fn, void *arg)
{
	return walk(t, db, NULL, 0, true, fn, arg);
}

size_t store_count(tx *t, enum db db)
{
	MDB_dbi dbi;
	MDB_stat st;

	if (dbi_of(t, db, &dbi) || mdb_stat(t->txn, dbi, &st))
		return 0;
	return st.ms_entries;
}

/* An action name that needs no escaping in JSON (they are constants
 * like "booking.create"). */
static bool plain_name(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '.' || *s == '_' || *s == '-'))
			return false;
	return true;
}

poort_err audit_add(tx *t, const char *action, poort_id subject, const json_t *detail)
{
	char head[256], *act = NULL, *det = NULL, *buf = NULL;
	json_t *name;
	size_t hlen, dlen = 0;
	int n;
	poort_err err = POORT_E_NOMEM;

	/* The entry {"at","actor","action","subject","detail"?,"seq"} is
	 * written as text: only the detail goes through the encoder. */
	if (!action || !plain_name(action)) {
		name = json_string(action ? action : "");
		act = name ? json_dumps(name, JSON_ENCODE_ANY) : NULL;
		json_decref(name);
		if (!act)
			goto out;
	}
	if (detail && !(det = json_dumps(detail, JSON_COMPACT | JSON_ENCODE_ANY)))
		goto out;
	n = snprintf(head, sizeof head, "{\"at\":%lld,\"actor\":%lld,\"action\":%s%s%s,\"subject\":%lld%s",
	             (long long)t->now, (long long)(json_int_t)t->act.account, act ? "" : "\"", act ? act : action,
	             act ? "" : "\"", (long long)(json_int_t)subject, det ? ",\"detail\":" : "");
	if (n < 0 || (size_t)n >= sizeof head) {
		/* an unusually long action name */
		err = fail(POORT_E_INVALID, "audit action too long");
		goto out;
	}
	hlen = (size_t)n;
	dlen = det ? strlen(det) : 0;
	if (!(buf = malloc(hlen + dlen)))
		goto out;
	memcpy(buf, head, hlen);
	if (det)
		memcpy(buf + hlen, det, dlen);
	err = append_seq(t, DB_AUDIT, buf, hlen + dlen);
out:
	free(act);
	free(det);
	free(buf);
	return err;
}

/* ---- open, migrate, close ---- */

/* Forward migrations: migrations[v] takes a store from version v to v+1.
 * Version 0 is "empty": it gets the default school settings. */
static poort_err migrate_0_to_1(tx *t) { return school_init_defaults(t); }
static poort_err (*const migrations[POORT_SCHEMA_VERSION])(tx *) = { migrate_0_to_1 };

static poort_err migrate_op(tx *t, void *arg)
{
	key k = key_str("meta", "schema_version");
	json_t *v = NULL;
	json_int_t version = 0;
	poort_err err = store_get(t, DB_META, &k, &v);

	(void)arg;
	if (err == POORT_OK)
		version = json_integer_value(v);
	else if (err != POORT_E_NOT_FOUND)
		return err;
	json_decref(v);
	if (version > POORT_SCHEMA_VERSION)
		return fail(POORT_E_VERSION, "store schema %lld, this program %d", (long long)version,
		            POORT_SCHEMA_VERSION);
	while (version < POORT_SCHEMA_VERSION) {
		if (!t->write)
			return fail(POORT_E_VERSION, "store needs migration; open it writable once");
		if ((err = migrations[version](t)))
			return err;
		version++;
		v = json_integer(version);
		err = store_put(t, DB_META, &k, v);
		json_decref(v);
		if (err)
			return err;
	}
	return POORT_OK;
}

static poort_err open_dbis(poort *p)
{
	MDB_txn *txn;
	int rc;
	poort_err err = POORT_OK;

	if ((rc = mdb_txn_begin(p->env, NULL, p->read_only ? MDB_RDONLY : 0, &txn)))
		return check_mdb(rc);
	for (int i = 0; i < DB__COUNT; i++) {
		rc = mdb_dbi_open(txn, db_names[i], p->read_only ? 0 : MDB_CREATE, &p->dbi[i]);
		if (rc == MDB_NOTFOUND && p->read_only)
			continue;   /* an older store: read as empty */
		if (rc) {
			err = check_mdb(rc);
			mdb_txn_abort(txn);
			return err;
		}
		p->have_dbi[i] = true;
	}
	rc = mdb_txn_commit(txn);
	return check_mdb(rc);
}

/* Creates and opens p->env on p->dir with the given map size (LMDB keeps
 * the larger of it and the size the file already has). */
static poort_err env_open(poort *p, size_t map_size)
{
	poort_err err;
	int rc, dead = 0;

	if ((rc = mdb_env_create(&p->env))) {
		p->env = NULL;
		return check_mdb(rc);
	}
	mdb_env_set_maxdbs(p->env, DB__COUNT + 4);
	mdb_env_set_maxreaders(p->env, MAX_READERS);
	mdb_env_set_mapsize(p->env, map_size);
	/* MDB_NOTLS: poortd's thread pool hands read transactions between threads. */
	rc = mdb_env_open(p->env, p->dir, MDB_NOTLS | (p->read_only ? MDB_RDONLY : 0), 0600);
	if (rc) {
		err = fail(from_mdb(rc), "%s: %s", p->dir, mdb_strerror(rc));
		goto fail;
	}
	mdb_reader_check(p->env, &dead);   /* slots of crashed processes */
	if ((err = open_dbis(p)))
		goto fail;
	return POORT_OK;
fail:
	mdb_env_close(p->env);
	p->env = NULL;
	return err;
}

poort_err poort_open(const char *dir, const poort_options *opt, poort **out)
{
	static const poort_options defaults;
	poort *p;
	poort_err err;
	char path[4096];
	struct stat st;

	*out = NULL;
	detail_clear();
	if (!opt)
		opt = &defaults;
	snprintf(path, sizeof path, "%s/data.mdb", dir);
	if (stat(path, &st) != 0) {
		if (opt->no_create || opt->read_only)
			return fail(POORT_E_NOT_FOUND, "no school store in %s", dir);
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			return fail(errno == ENOSPC ? POORT_E_DISK_FULL : POORT_E_IO, "%s: %s", dir, strerror(errno));
	}
	p = calloc(1, sizeof *p);
	if (!p)
		return POORT_E_NOMEM;
	{
		pthread_rwlockattr_t attr;
		pthread_rwlockattr_init(&attr);
		pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
		pthread_rwlock_init(&p->resize_lock, &attr);
		pthread_rwlockattr_destroy(&attr);
	}
	p->read_only = opt->read_only;
	p->fake_now = parse_fake_now(getenv("POORT_FAKE_NOW"));
	if (!(p->dir = strdup(dir))) {
		err = POORT_E_NOMEM;
		goto fail;
	}
	if ((err = env_open(p, opt->initial_map_size ? opt->initial_map_size : DEFAULT_MAP_SIZE)))
		goto fail;
	err = p->read_only ? tx_read(p, POORT_ACTOR_CONSOLE, migrate_op, NULL)
	                   : tx_write(p, POORT_ACTOR_CONSOLE, migrate_op, NULL);
	if (err)
		goto fail;
	*out = p;
	return POORT_OK;
fail:
	poort_close(p);
	return err;
}

void poort_close(poort *p)
{
	if (!p)
		return;
	if (p->env)
		mdb_env_close(p->env);
	actor_memo_free(p);
	record_memo_free(p);
	pthread_rwlock_destroy(&p->resize_lock);
	free(p->dir);
	free(p);
}

/* ---- backup and stats ---- */

poort_err poort_backup(poort *p, poort_id actor, const char *path)
{
	char tmp[4096];
	int fd, rc;
	poort_err err = POORT_OK;

	detail_clear();
	if (actor != POORT_ACTOR_CONSOLE) {
		/* Administrators download backups through poortd, which runs as
		 * the console on their behalf after its own authorization. */
		poort_role role = POORT_ROLE_NONE;
		if (poort_account_role(p, actor, &role) || role != POORT_ROLE_ADMIN)
			return fail(POORT_E_DENIED, "backup");
	}
	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
		return fail(POORT_E_INVALID, "path too long");
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return fail(errno == ENOSPC ? POORT_E_DISK_FULL : POORT_E_IO, "%s: %s", tmp, strerror(errno));
	/* A compacting copy runs in one read transaction: consistent while
	 * other processes keep writing. */
	pthread_rwlock_rdlock(&p->resize_lock);
	rc = p->env ? mdb_env_copyfd2(p->env, fd, MDB_CP_COMPACT) : MDB_PANIC;
	pthread_rwlock_unlock(&p->resize_lock);
	if (rc == 0 && fsync(fd) != 0)
		rc = errno;
	if (close(fd) != 0 && rc == 0)
		rc = errno;
	if (rc) {
		err = fail(from_mdb(rc), "%s: %s", path, mdb_strerror(rc));
		unlink(tmp);
		return err;
	}
	if (rename(tmp, path) != 0) {
		err = fail(POORT_E_IO, "%s: %s", path, strerror(errno));
		unlink(tmp);
	}
	return err;
}

static poort_err stats_op(tx *t, void *arg)
{
	json_t *o = arg, *counts;
	MDB_envinfo info;
	MDB_stat st;
	uint64_t seq = 0;
	MDB_dbi dbi;
	json_t *kiosk = NULL;
	key kk = key_str("status", "kiosk");
	poort_err err;

	if ((err = authz_admin(t)))
		return err;
	counts = json_object();
	mdb_env_info(t->p->env, &info);
	mdb_env_stat(t->p->env, &st);
	json_object_set_new(o, "map_size", json_integer((json_int_t)info.me_mapsize));
	json_object_set_new(o, "map_used", json_integer((json_int_t)((info.me_last_pgno + 1) * (size_t)st.ms_psize)));
	json_object_set_new(o, "readers", json_integer(info.me_numreaders));
	json_object_set_new(o, "reopens", json_integer(t->p->reopens));
	for (int i = 0; i < DB__COUNT; i++)
		json_object_set_new(counts, db_names[i], json_integer((json_int_t)store_count(t, (enum db)i)));
	json_object_set_new(o, "records", counts);
	if (dbi_of(t, DB_CHANGELOG, &dbi) == POORT_OK)
		last_seq(t, dbi, &seq);
	json_object_set_new(o, "changelog_seq", json_integer((json_int_t)seq));
	json_object_set_new(o, "schema_version", json_integer(POORT_SCHEMA_VERSION));
	/* status.c: when a kiosk last reported, and last saw a touch */
	if (store_get(t, DB_META, &kk, &kiosk) == POORT_OK)
		json_object_set_new(o, "kiosk", kiosk);
	else
		json_object_set_new(o, "kiosk", json_null());
	return POORT_OK;
}

poort_err poort_stats(poort *p, poort_id actor, json_t **out)
{
	json_t *o = json_object();
	poort_err err = tx_read(p, actor, stats_op, o);

	*out = result_if_ok(err, o);
	return err;
}

/* ---- change log reading (sync) ---- */

struct changelog_args {
	uint64_t after;
	unsigned max;
	json_t *out;
};

static poort_err changelog_op(tx *t, void *arg)
{
	struct changelog_args *a = arg;
	MDB_dbi dbi;
	MDB_cursor *c;
	MDB_val k, v;
	key start = key_id(a->after + 1);
	json_t *e;
	poort_err err;
	int rc;

	if (t->act.role != POORT_ROLE_CONSOLE)
		return fail(POORT_E_DENIED, "changelog");
	if ((err = dbi_of(t, DB_CHANGELOG, &dbi)))
		return err;
	if ((rc = mdb_cursor_open(t->txn, dbi, &c)))
		return check_mdb(rc);
	k = (MDB_val){ start.len, start.b };
	rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
	while (rc == MDB_SUCCESS && json_array_size(a->out) < a->max) {
		if ((err = decode(&v, &e)))
			break;
		json_array_append_new(a->out, e);
		rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
	}
	mdb_cursor_close(c);
	return err ? err : (rc == MDB_SUCCESS || rc == MDB_NOTFOUND) ? POORT_OK : check_mdb(rc);
}

poort_err poort_changelog_read(poort *p, poort_id actor, uint64_t after, unsigned max, json_t **out)
{
	struct changelog_args a = { after, max ? max : 1000, json_array() };
	poort_err err = tx_read(p, actor, changelog_op, &a);

	*out = result_if_ok(err, a.out);
	return err;
}
