/* Many writers on one store at once: threads with the group-commit booker,
 * threads with a commit per request, and two other processes (one of each
 * kind), all booking the same scarce slots. Afterwards the read-only
 * invariant checker must find nothing, every acknowledged booking must be
 * stored, and requests repeated with one request id must have got one
 * booking. */
#include "fixture.h"

#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#define NGROUPS 6
#define PER_GROUP 10
#define NPUPILS (NGROUPS * PER_GROUP)
#define SIBLINGS 3
#define THREADS 4
#define ACKS_MAX (NPUPILS * 8 * 2)

static const char *dir;
static poort *store;
static fx_big school;

struct ack {
	size_t pupil;
	poort_id booking, slot;
	bool shared;      /* made with the request id every worker uses for this pupil */
};

static struct ack acks[ACKS_MAX];
static size_t nacks;
static pthread_mutex_t acks_mu = PTHREAD_MUTEX_INITIALIZER;
static int ack_fd = -1;   /* child processes report through a pipe */

static void record(size_t pupil, poort_id booking, poort_id slot, bool shared)
{
	char line[96];
	int n;

	pthread_mutex_lock(&acks_mu);
	if (ack_fd >= 0) {
		n = snprintf(line, sizeof line, "%zu %llu %llu %d\n", pupil, (unsigned long long)booking,
		             (unsigned long long)slot, shared);
		if (write(ack_fd, line, (size_t)n) != n)
			_exit(3);
	} else if (nacks < ACKS_MAX) {
		acks[nacks++] = (struct ack){ pupil, booking, slot, shared };
	}
	pthread_mutex_unlock(&acks_mu);
}

/* One worker: every pupil once, in its own order, a random slot with the
 * pupil's teacher; odd workers repeat a request id all workers share. */
static void *worker(void *arg)
{
	unsigned seed = (unsigned)(uintptr_t)arg * 2654435761u + (unsigned)getpid();
	size_t order[NPUPILS];
	char rid[48];

	for (size_t i = 0; i < NPUPILS; i++)
		order[i] = i;
	for (size_t i = NPUPILS - 1; i > 0; i--) {
		size_t j = (size_t)rand_r(&seed) % (i + 1), tmp = order[i];
		order[i] = order[j];
		order[j] = tmp;
	}
	for (size_t k = 0; k < NPUPILS; k++) {
		size_t i = order[k], g = school.group_of[i];
		bool shared = (uintptr_t)arg % 2 == 1;
		poort_booking_req req = { school.round, school.slots[g][(size_t)rand_r(&seed) % school.nslots[g]],
		                          school.pupil[i], 0 };
		json_t *out = NULL;
		poort_err err;

		if (shared)
			snprintf(rid, sizeof rid, "same-%zu", i);
		else
			snprintf(rid, sizeof rid, "w%d-%zu-%zu", (int)getpid(), (size_t)(uintptr_t)arg, i);
		err = poort_booking_create(store, school.guardian_acc[i], &req, rid, &out);
		if (err == POORT_OK)
			record(i, (poort_id)json_integer_value(json_object_get(out, "id")),
			       (poort_id)json_integer_value(json_object_get(out, "slot")), shared);
		else if (err != POORT_E_TAKEN && err != POORT_E_FULL && err != POORT_E_LIMIT && err != POORT_E_OVERLAP) {
			fprintf(stderr, "worker: unexpected %s (%s)\n", poort_errname(err), poort_error_detail());
			_exit(4);
		}
		json_decref(out);
	}
	return NULL;
}

/* Opens the store and runs THREADS workers, with or without a booker. */
static void run_workers(bool group, uintptr_t first)
{
	pthread_t th[THREADS];
	poort_booker *b = NULL;

	if (group)
		E(poort_booker_start(store, &b));
	for (uintptr_t i = 0; i < THREADS; i++)
		pthread_create(&th[i], NULL, worker, (void *)(first + i));
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	poort_booker_stop(b);
}

static pid_t spawn(bool group, int out_fd, int go_fd, uintptr_t first)
{
	pid_t pid = fork();
	char go;

	if (pid != 0)
		return pid;
	ack_fd = out_fd;
	if (read(go_fd, &go, 1) != 1)
		_exit(5);
	E(poort_open(dir, NULL, &store));
	fx_big_clock(store);
	run_workers(group, first);
	poort_close(store);
	_exit(0);
}

static void read_acks(int fd)
{
	FILE *f = fdopen(fd, "r");
	size_t pupil;
	unsigned long long booking, slot;
	int shared;

	while (f && fscanf(f, "%zu %llu %llu %d", &pupil, &booking, &slot, &shared) == 4)
		if (nacks < ACKS_MAX)
			acks[nacks++] = (struct ack){ pupil, booking, slot, shared != 0 };
	if (f)
		fclose(f);
}

int main(void)
{
	char *d = test_tmpdir("booking-concurrent");
	size_t counts[NGROUPS];
	int out[2], go[2], status;
	pid_t kids[2];
	json_t *violations = NULL, *ov = NULL, *mine = NULL, *b;
	size_t i, j, distinct = 0;

	dir = d;
	for (i = 0; i < NGROUPS; i++)
		counts[i] = PER_GROUP;
	E(poort_open(dir, NULL, &store));
	fx_big_clock(store);
	/* 6 teachers with 6 slots each: 36 slots for 60 pupils. */
	fx_big_school(store, &school, NGROUPS, counts, 1, 6, SIBLINGS);
	poort_close(store);

	/* The other processes open the store themselves, after the fork. */
	if (pipe(out) || pipe(go))
		return 1;
	kids[0] = spawn(false, out[1], go[0], 100);
	kids[1] = spawn(true, out[1], go[0], 200);
	close(out[1]);
	E(poort_open(dir, NULL, &store));
	fx_big_clock(store);
	if (write(go[1], "gg", 2) != 2)
		return 1;
	run_workers(true, 0);
	read_acks(out[0]);
	for (i = 0; i < 2; i++) {
		CHECK(waitpid(kids[i], &status, 0) == kids[i] && WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "process %zu ended cleanly (status %d)", i, status);
	}
	poort_close(store);

	/* Read-only from here. */
	E(poort_open(dir, &(poort_options){ .read_only = true }, &store));
	fx_big_clock(store);
	E(poort_check(store, &violations));
	CHECK(json_array_size(violations) == 0, "invariants: %s", json_dumps(violations, 0));
	json_decref(violations);
	CHECK(nacks > 0, "some bookings succeeded");
	for (i = 0; i < nacks; i++) {
		bool found = false, first = true;
		for (j = 0; j < i; j++) {
			if (acks[j].booking == acks[i].booking) {
				first = false;
				CHECK(acks[j].pupil == acks[i].pupil && acks[j].slot == acks[i].slot, "one booking, one answer");
			} else {
				CHECK(acks[j].slot != acks[i].slot, "slot %llu acknowledged to two bookings",
				      (unsigned long long)acks[i].slot);
			}
			if (acks[i].shared && acks[j].shared && acks[j].pupil == acks[i].pupil)
				CHECK(acks[j].booking == acks[i].booking, "repeated request id, same booking");
		}
		distinct += first;
		E(poort_guardian_bookings(store, school.guardian_acc[acks[i].pupil], school.round, &mine));
		json_array_foreach(json_object_get(mine, "bookings"), j, b)
			if ((poort_id)json_integer_value(json_object_get(b, "id")) == acks[i].booking)
				found = true;
		json_decref(mine);
		CHECK(found, "acknowledged booking %llu stored", (unsigned long long)acks[i].booking);
	}
	E(poort_round_overview(store, POORT_ACTOR_CONSOLE, school.round, &ov));
	CHECK((size_t)json_integer_value(json_object_get(ov, "booked")) == distinct, "booked slots %lld = acknowledged %zu",
	      (long long)json_integer_value(json_object_get(ov, "booked")), distinct);
	CHECK(distinct <= 36, "never more bookings than slots");
	printf("booking_concurrent: 3 processes x %d threads, %zu acknowledgements, %zu bookings\n", THREADS, nacks,
	       distinct);
	json_decref(ov);
	poort_close(store);
	fx_big_free(&school);
	test_rmdir(d);
	free(d);
	return test_done("booking_concurrent");
}
