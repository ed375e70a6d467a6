/* session.c - login sessions and the per-IP login throttle, in memory.
 *
 * Why in memory: a session is a few dozen bytes that only poortd reads;
 * keeping it out of LMDB keeps tokens out of backups, the change log and
 * sync, and a restart (rare: an update or a power cut) only means logging
 * in again. A token lives in one window of SESSION_PROBE slots chosen by a
 * keyed hash of the token (the key is random per process, so the window
 * says nothing about the token's bytes); a lookup compares every slot of
 * that window in constant time, so the time taken says nothing about
 * which token bytes matched. Scanning all 4096 slots under the lock cost
 * more than the rest of an authenticated request's own work. */
#include "web.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>

#define THROTTLE_SLOTS 256
#define SESSION_PROBE 32   /* a window this long is full only when the table nearly is */

struct throttle { char ip[64]; int fails; int64_t since; };

struct web_sessions {
	pthread_mutex_t lock;
	web_session slot[WEB_SESSIONS_MAX];     /* token[0] == 0: free */
	uint64_t hash_key;                      /* random: where a token lives */
	struct throttle ips[THROTTLE_SLOTS];
};

static pthread_mutex_t rng_lock = PTHREAD_MUTEX_INITIALIZER;
static mbedtls_entropy_context rng_entropy;
static mbedtls_ctr_drbg_context rng_drbg;
static bool rng_ready;

int web_random(unsigned char *buf, size_t n)
{
	int rc = 0;

	pthread_mutex_lock(&rng_lock);
	if (!rng_ready) {
		mbedtls_entropy_init(&rng_entropy);
		mbedtls_ctr_drbg_init(&rng_drbg);
		if (mbedtls_ctr_drbg_seed(&rng_drbg, mbedtls_entropy_func, &rng_entropy,
		                          (const unsigned char *)"poortd-session", 14) != 0)
			rc = -1;
		else
			rng_ready = true;
	}
	if (rc == 0 && mbedtls_ctr_drbg_random(&rng_drbg, buf, n) != 0)
		rc = -1;
	pthread_mutex_unlock(&rng_lock);
	return rc;
}

static int random_hex(char out[33])
{
	unsigned char b[16];

	if (web_random(b, sizeof b) != 0)
		return -1;
	for (int i = 0; i < 16; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
	return 0;
}

web_sessions *sessions_new(void)
{
	web_sessions *s = calloc(1, sizeof *s);

	if (!s)
		return NULL;
	if (web_random((unsigned char *)&s->hash_key, sizeof s->hash_key) != 0) {
		free(s);
		return NULL;
	}
	pthread_mutex_init(&s->lock, NULL);
	return s;
}

/* First slot of token's window: FNV-1a over the secret key, then the
 * token (32 hex characters, checked by the callers). */
static int window_of(const web_sessions *s, const char *token)
{
	uint64_t h = 1469598103934665603ull;

	for (int i = 0; i < 8; i++)
		h = (h ^ ((s->hash_key >> (8 * i)) & 0xff)) * 1099511628211ull;
	for (int i = 0; i < 32; i++)
		h = (h ^ (unsigned char)token[i]) * 1099511628211ull;
	return (int)(h % WEB_SESSIONS_MAX);
}

void sessions_free(web_sessions *s)
{
	if (!s)
		return;
	pthread_mutex_destroy(&s->lock);
	memset(s->slot, 0, sizeof s->slot);
	free(s);
	pthread_mutex_lock(&rng_lock);
	if (rng_ready) {
		mbedtls_ctr_drbg_free(&rng_drbg);
		mbedtls_entropy_free(&rng_entropy);
		rng_ready = false;
	}
	pthread_mutex_unlock(&rng_lock);
}

static bool expired(const web_session *x, int64_t now)
{
	int64_t idle = x->role == POORT_ROLE_PARENT ? WEB_PARENT_IDLE : WEB_STAFF_IDLE;
	return now - x->last > idle || now - x->created > WEB_ABSOLUTE;
}

int sessions_create(web_sessions *s, poort_id account, poort_role role, const char *lang,
                    int64_t now, web_session *out)
{
	web_session n = { .account = account, .role = role, .created = now, .last = now };
	int free_slot = -1, w;

	if (random_hex(n.token) != 0 || random_hex(n.csrf) != 0)
		return -1;
	snprintf(n.lang, sizeof n.lang, "%s", lang && !strcmp(lang, "en") ? "en" : "nl");
	w = window_of(s, n.token);
	pthread_mutex_lock(&s->lock);
	for (int j = 0; j < SESSION_PROBE; j++) {
		int i = (w + j) % WEB_SESSIONS_MAX;
		if (s->slot[i].token[0] && expired(&s->slot[i], now))
			memset(&s->slot[i], 0, sizeof s->slot[i]);
		if (!s->slot[i].token[0] && free_slot < 0)
			free_slot = i;
	}
	if (free_slot >= 0)
		s->slot[free_slot] = n;
	pthread_mutex_unlock(&s->lock);
	if (free_slot < 0)
		return -1;
	*out = n;
	return 0;
}

/* Constant-time comparison of two 32-character tokens. */
static bool token_eq(const char *a, const char *b)
{
	unsigned char d = 0;
	for (int i = 0; i < 32; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

static int find_slot(web_sessions *s, const char *token)
{
	int found = -1, w;

	if (strlen(token) != 32)
		return -1;
	w = window_of(s, token);
	for (int j = 0; j < SESSION_PROBE; j++) {
		int i = (w + j) % WEB_SESSIONS_MAX;
		if (s->slot[i].token[0] && token_eq(s->slot[i].token, token))
			found = i;
	}
	return found;
}

bool sessions_find(web_sessions *s, const char *token, int64_t now, web_session *out)
{
	bool ok = false;
	int i;

	pthread_mutex_lock(&s->lock);
	if ((i = find_slot(s, token)) >= 0) {
		if (expired(&s->slot[i], now)) {
			memset(&s->slot[i], 0, sizeof s->slot[i]);
		} else {
			s->slot[i].last = now;
			*out = s->slot[i];
			ok = true;
		}
	}
	pthread_mutex_unlock(&s->lock);
	return ok;
}

void sessions_set_lang(web_sessions *s, const char *token, const char *lang)
{
	int i;

	pthread_mutex_lock(&s->lock);
	if ((i = find_slot(s, token)) >= 0)
		snprintf(s->slot[i].lang, sizeof s->slot[i].lang, "%s", strcmp(lang, "en") ? "nl" : "en");
	pthread_mutex_unlock(&s->lock);
}

void sessions_drop(web_sessions *s, const char *token)
{
	int i;

	pthread_mutex_lock(&s->lock);
	if ((i = find_slot(s, token)) >= 0)
		memset(&s->slot[i], 0, sizeof s->slot[i]);
	pthread_mutex_unlock(&s->lock);
}

int sessions_drop_account(web_sessions *s, poort_id account)
{
	int n = 0;

	pthread_mutex_lock(&s->lock);
	for (int i = 0; i < WEB_SESSIONS_MAX; i++)
		if (s->slot[i].token[0] && s->slot[i].account == account) {
			memset(&s->slot[i], 0, sizeof s->slot[i]);
			n++;
		}
	pthread_mutex_unlock(&s->lock);
	return n;
}

static struct throttle *throttle_slot(web_sessions *s, const char *ip, int64_t now, bool create)
{
	struct throttle *oldest = &s->ips[0];

	for (int i = 0; i < THROTTLE_SLOTS; i++) {
		struct throttle *t = &s->ips[i];
		if (t->ip[0] && now - t->since > WEB_IP_WINDOW)
			memset(t, 0, sizeof *t);
		if (t->ip[0] && strcmp(t->ip, ip) == 0)
			return t;
		if (t->since < oldest->since)
			oldest = t;
	}
	if (!create)
		return NULL;
	memset(oldest, 0, sizeof *oldest);
	snprintf(oldest->ip, sizeof oldest->ip, "%s", ip);
	oldest->since = now;
	return oldest;
}

bool throttle_allow(web_sessions *s, const char *ip, int64_t now)
{
	struct throttle *t;
	bool ok;

	pthread_mutex_lock(&s->lock);
	t = throttle_slot(s, ip, now, false);
	ok = !t || t->fails < WEB_IP_FAILS;
	pthread_mutex_unlock(&s->lock);
	return ok;
}

void throttle_fail(web_sessions *s, const char *ip, int64_t now)
{
	pthread_mutex_lock(&s->lock);
	throttle_slot(s, ip, now, true)->fails++;
	pthread_mutex_unlock(&s->lock);
}
