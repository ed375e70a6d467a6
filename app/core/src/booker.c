/* booker.c - group commit for booking operations.
 *
 * When everyone clicks at once, a durable commit per request (two fsyncs)
 * caps throughput at the disk's sync rate. The booker is one writer thread
 * per process: callers queue their operation and sleep; the writer takes
 * everything queued, runs it in ONE write transaction (each operation in a
 * nested transaction, so a refused one leaves no trace: tx_write_batch),
 * commits once, and wakes the callers. While it syncs, the next batch
 * queues up. Each operation still does all its checks inside the write
 * transaction, so the rules hold across processes too (LMDB's writer lock).
 */
#include "core.h"

#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_BATCH 1024

struct pending {
	poort_id actor;
	tx_op op;
	void *arg;
	poort_err result;
	sem_t done;                /* posted once the batch is durable */
	char detail[512];          /* the op's error detail, for the caller's thread */
	struct pending *next;
	struct pending *wake[2];   /* callers of the same batch this caller wakes in turn */
};

struct poort_booker {
	poort *p;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t work;
	struct pending *head, **tail;
	bool stopping;
	uint64_t batches, ops;
	tx_batch_item items[MAX_BATCH];
	struct pending *taken[MAX_BATCH];
};

/* Runs in the writer thread inside the batch: keeps the op's error detail
 * so the caller's thread can report it. */
static poort_err run_pending(tx *t, void *arg)
{
	struct pending *pd = arg;
	poort_err err = pd->op(t, pd->arg);

	if (err)
		snprintf(pd->detail, sizeof pd->detail, "%s", poort_error_detail());
	return err;
}

static void *writer(void *arg)
{
	poort_booker *b = arg;
	size_t n;

	pthread_mutex_lock(&b->mu);
	for (;;) {
		while (!b->head && !b->stopping)
			pthread_cond_wait(&b->work, &b->mu);
		if (!b->head)
			break;   /* stopping and drained */
		for (n = 0; b->head && n < MAX_BATCH; n++) {
			b->taken[n] = b->head;
			b->head = b->head->next;
		}
		if (!b->head)
			b->tail = &b->head;
		pthread_mutex_unlock(&b->mu);

		for (size_t i = 0; i < n; i++) {
			b->taken[i]->detail[0] = 0;
			b->items[i] = (tx_batch_item){ b->taken[i]->actor, run_pending, b->taken[i], POORT_OK };
		}
		if (tx_write_batch(b->p, b->items, n)) {
			for (size_t i = 0; i < n; i++)
				snprintf(b->taken[i]->detail, sizeof b->taken[i]->detail, "%s", poort_error_detail());
		}

		/* Each caller waits on its own semaphore, so waking a thousand
		 * of them does not make them queue for the booker's mutex. The
		 * writer wakes only the first; each caller woken wakes two more
		 * (a binary tree over the batch) before it goes on, so the posts
		 * are spread over the callers' threads while the writer starts
		 * the next batch. A caller owns its pd again once it is posted:
		 * everything it needs is set before that. */
		for (size_t i = 0; i < n; i++) {
			b->taken[i]->result = b->items[i].result;
			b->taken[i]->wake[0] = 2 * i + 1 < n ? b->taken[2 * i + 1] : NULL;
			b->taken[i]->wake[1] = 2 * i + 2 < n ? b->taken[2 * i + 2] : NULL;
		}
		if (n)
			sem_post(&b->taken[0]->done);
		pthread_mutex_lock(&b->mu);
		b->batches++;
		b->ops += n;
	}
	pthread_mutex_unlock(&b->mu);
	return NULL;
}

poort_err poort_booker_start(poort *p, poort_booker **out)
{
	poort_booker *b;

	*out = NULL;
	if (store_booker(p))
		return fail(POORT_E_EXISTS, "a booker already runs on this store");
	b = calloc(1, sizeof *b);
	if (!b)
		return POORT_E_NOMEM;
	b->p = p;
	b->tail = &b->head;
	pthread_mutex_init(&b->mu, NULL);
	pthread_cond_init(&b->work, NULL);
	if (pthread_create(&b->thread, NULL, writer, b) != 0) {
		pthread_mutex_destroy(&b->mu);
		pthread_cond_destroy(&b->work);
		free(b);
		return fail(POORT_E_NOMEM, "booker thread");
	}
	pthread_setname_np(b->thread, "poort-booker");   /* visible in top, perf, gdb */
	store_set_booker(p, b);
	*out = b;
	return POORT_OK;
}

void poort_booker_stop(poort_booker *b)
{
	if (!b)
		return;
	store_set_booker(b->p, NULL);
	pthread_mutex_lock(&b->mu);
	b->stopping = true;
	pthread_cond_signal(&b->work);
	pthread_mutex_unlock(&b->mu);
	pthread_join(b->thread, NULL);   /* drains what was queued first */
	pthread_mutex_destroy(&b->mu);
	pthread_cond_destroy(&b->work);
	free(b);
}

void poort_booker_stats(const poort_booker *b, uint64_t *batches, uint64_t *ops)
{
	pthread_mutex_lock((pthread_mutex_t *)&b->mu);
	*batches = b->batches;
	*ops = b->ops;
	pthread_mutex_unlock((pthread_mutex_t *)&b->mu);
}

poort_err booking_write(poort *p, poort_id actor, tx_op op, void *arg)
{
	poort_booker *b = store_booker(p);
	struct pending pd = { .actor = actor, .op = op, .arg = arg };

	if (!b)
		return tx_write(p, actor, op, arg);
	pthread_mutex_lock(&b->mu);
	if (b->stopping) {
		pthread_mutex_unlock(&b->mu);
		return tx_write(p, actor, op, arg);
	}
	sem_init(&pd.done, 0, 0);
	*b->tail = &pd;
	b->tail = &pd.next;
	pthread_cond_signal(&b->work);
	pthread_mutex_unlock(&b->mu);
	while (sem_wait(&pd.done) != 0)
		;   /* EINTR */
	for (int i = 0; i < 2; i++)
		if (pd.wake[i])
			sem_post(&pd.wake[i]->done);
	sem_destroy(&pd.done);
	return pd.result ? fail(pd.result, "%s", pd.detail) : POORT_OK;
}
