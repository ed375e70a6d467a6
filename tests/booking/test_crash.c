/* SIGKILL during a rush: a booking process (booker + threads booking and
 * cancelling) is killed at a random moment, several times over. After each
 * kill the store is opened again, as the next process would, and every
 * acknowledged booking and cancellation must be there, and every
 * invariant must hold. Acknowledgements travel through a pipe, written
 * only after the call returned: an operation in flight when the process
 * died may or may not have committed, so it is not checked. */
#include "fixture.h"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NGROUPS 8
#define PER_GROUP 20
#define NPUPILS (NGROUPS * PER_GROUP)
#define THREADS 4
#define KILLS 5
#define MAX_IDS 100000

static const char *dir;
static poort *store;
static fx_big school;
static int ack_fd;
static pthread_mutex_t ack_mu = PTHREAD_MUTEX_INITIALIZER;

/* Per booking id what the parent learnt: 'B' booked (acknowledged),
 * 'c' a cancel was started, 'C' the cancel was acknowledged. */
static char state[MAX_IDS];
static size_t pupil_of[MAX_IDS];

static void say(char kind, unsigned long long id, size_t pupil)
{
	char line[64];
	int n = snprintf(line, sizeof line, "%c %llu %zu\n", kind, id, pupil);

	pthread_mutex_lock(&ack_mu);
	if (write(ack_fd, line, (size_t)n) != n)
		_exit(3);
	pthread_mutex_unlock(&ack_mu);
}

static void *rusher(void *arg)
{
	uintptr_t me = (uintptr_t)arg;
	unsigned seed = (unsigned)getpid() * 31u + (unsigned)me;
	poort_id held[NPUPILS] = { 0 };
	char rid[48];
	json_t *mine, *b;
	size_t j;

	/* What earlier processes booked for this thread's pupils. */
	for (size_t i = me; i < NPUPILS; i += THREADS) {
		E(poort_guardian_bookings(store, school.guardian_acc[i], school.round, &mine));
		json_array_foreach(json_object_get(mine, "bookings"), j, b)
			held[i] = (poort_id)json_integer_value(json_object_get(b, "id"));
		json_decref(mine);
	}
	for (unsigned n = 0;; n++) {
		size_t i = me + THREADS * ((size_t)rand_r(&seed) % (NPUPILS / THREADS)), g = school.group_of[i];
		json_t *out = NULL;
		poort_err err;

		if (held[i] && rand_r(&seed) % 3 == 0) {
			say('c', held[i], i);
			err = poort_booking_cancel(store, school.guardian_acc[i], held[i]);
			if (err)
				_exit(6);
			say('C', held[i], i);
			held[i] = 0;
			continue;
		}
		poort_booking_req req = { school.round, school.slots[g][(size_t)rand_r(&seed) % school.nslots[g]],
		                          school.pupil[i], 0 };
		snprintf(rid, sizeof rid, "p%d-t%zu-%u", (int)getpid(), (size_t)me, n);
		err = poort_booking_create(store, school.guardian_acc[i], &req, rid, &out);
		if (err == POORT_OK) {
			held[i] = (poort_id)json_integer_value(json_object_get(out, "id"));
			say('B', held[i], i);
		}
		json_decref(out);
	}
	return NULL;
}

static void child(int fd)
{
	pthread_t th[THREADS];

	ack_fd = fd;
	E(poort_open(dir, NULL, &store));
	fx_big_load(store, &school, NGROUPS, NPUPILS, 0);
	{
		poort_booker *b;
		E(poort_booker_start(store, &b));
	}
	say('R', 0, 0);
	for (uintptr_t i = 0; i < THREADS; i++)
		pthread_create(&th[i], NULL, rusher, (void *)i);
	for (;;)
		pause();   /* until SIGKILL */
}

/* Reads acknowledgements until the child has been killed and the pipe is
 * drained; kills it after ms milliseconds of rush. */
static void watch(pid_t pid, int fd, int ms)
{
	FILE *f = fdopen(fd, "r");
	char kind;
	unsigned long long id;
	size_t pupil;
	bool ready = false, killed = false;
	struct timespec t0, now;
	int status;

	while (fscanf(f, " %c %llu %zu", &kind, &id, &pupil) == 3) {
		if (kind == 'R' && !ready) {
			ready = true;
			clock_gettime(CLOCK_MONOTONIC, &t0);
			continue;
		}
		if (id >= MAX_IDS)
			continue;
		if (kind == 'B') {
			state[id] = 'B';
			pupil_of[id] = pupil;
		} else if (kind == 'c' && state[id] == 'B') {
			state[id] = 'c';
		} else if (kind == 'C') {
			state[id] = 'C';
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (ready && !killed && (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000 >= ms) {
			kill(pid, SIGKILL);
			killed = true;
		}
	}
	if (!killed)
		kill(pid, SIGKILL);
	fclose(f);
	waitpid(pid, &status, 0);
}

int main(void)
{
	char *d = test_tmpdir("booking-crash");
	size_t counts[NGROUPS], checked = 0;
	unsigned seed = (unsigned)time(NULL);
	json_t *violations = NULL, *mine, *b;

	dir = d;
	for (size_t i = 0; i < NGROUPS; i++)
		counts[i] = PER_GROUP;
	E(poort_open(dir, NULL, &store));
	fx_big_clock(store);
	/* 8 teachers with 24 slots: 192 slots for 160 pupils. */
	fx_big_school(store, &school, NGROUPS, counts, 2, 12, 0);
	fx_big_free(&school);
	poort_close(store);
	printf("booking_crash: seed %u\n", seed);

	for (int round = 0; round < KILLS; round++) {
		int fds[2];
		pid_t pid;
		int ms = 30 + rand_r(&seed) % 300;

		if (pipe(fds))
			return 1;
		fflush(NULL);
		pid = fork();
		if (pid == 0) {
			close(fds[0]);
			child(fds[1]);
		}
		close(fds[1]);
		watch(pid, fds[0], ms);

		/* The next process opens the store after the crash. */
		E(poort_open(dir, NULL, &store));
		fx_big_load(store, &school, NGROUPS, NPUPILS, 0);
		E(poort_check(store, &violations));
		CHECK(json_array_size(violations) == 0, "kill %d after %d ms: invariants: %s", round, ms,
		      json_dumps(violations, 0));
		json_decref(violations);
		for (size_t id = 1; id < MAX_IDS; id++) {
			bool found = false;
			size_t j;
			if (state[id] != 'B' && state[id] != 'C')
				continue;
			E(poort_guardian_bookings(store, school.guardian_acc[pupil_of[id]], school.round, &mine));
			json_array_foreach(json_object_get(mine, "bookings"), j, b)
				if ((size_t)json_integer_value(json_object_get(b, "id")) == id)
					found = true;
			json_decref(mine);
			CHECK(found == (state[id] == 'B'), "kill %d: booking %zu %s", round, id,
			      state[id] == 'B' ? "acknowledged but lost" : "cancelled but still there");
			checked++;
		}
		fx_big_free(&school);
		poort_close(store);
	}
	printf("booking_crash: %d kills, %zu acknowledged outcomes checked\n", KILLS, checked);
	CHECK(checked > 0, "the rush got somewhere before the kills");
	test_rmdir(d);
	free(d);
	return test_done("booking_crash");
}
