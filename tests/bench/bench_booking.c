/* bench_booking - the booking rush: 2000 parents released at once.
 *
 * One school (60 teachers, 36 slots each, pupils skewed towards popular
 * teachers and early slots) is built once and copied, so both paths start
 * from the same store:
 *   naive: every request is its own durable transaction (one commit each);
 *   group: the booker commits whatever is queued in one transaction.
 * Each parent tries up to 3 times (a "taken" answer brings alternatives).
 * Prints bookings/s and p50/p99 latency per path and their ratio, then
 * checks read-only that no slot is double-booked, no guardian overlaps and
 * every acknowledged booking is stored (exit 1 if not). Speed is printed,
 * never asserted. See README.md. */
#include "fixture.h"

#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define NGROUPS 60
#define NPARENTS 2000
#define EVENINGS 2
#define PER_EVENING 18
#define TRIES 3

struct parent {
	size_t idx;
	poort_id slot0;
	poort_id booking, slot;
	double lat[TRIES];
	int nlat;
	bool active;
	double arrive_ms;   /* after the release; 0 in a burst */
	poort_err last;
};

static poort *store;
static fx_big school;
static struct parent parents[NPARENTS];
static pthread_barrier_t start;
static double released_ms;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void *parent_run(void *arg)
{
	struct parent *pa = arg;
	poort_booking_req req = { school.round, pa->slot0, school.pupil[pa->idx], 0 };
	unsigned seed = (unsigned)pa->idx * 7919u + 1;
	char rid[32];

	pthread_barrier_wait(&start);
	if (pa->arrive_ms > 0) {
		double wait = released_ms + pa->arrive_ms - now_ms();
		if (wait > 0)
			nanosleep(&(struct timespec){ (time_t)(wait / 1e3), (long)(fmod(wait, 1e3) * 1e6) }, NULL);
	}
	for (int t = 0; t < TRIES; t++) {
		json_t *out = NULL, *alt;
		double t0 = now_ms();
		poort_err err;

		snprintf(rid, sizeof rid, "rush-%zu-%d", pa->idx, t);
		err = poort_booking_create(store, school.guardian_acc[pa->idx], &req, rid, &out);
		pa->lat[pa->nlat++] = now_ms() - t0;
		pa->last = err;
		if (err == POORT_OK) {
			pa->booking = (poort_id)json_integer_value(json_object_get(out, "id"));
			pa->slot = req.slot;
		}
		alt = json_object_get(out, "alternatives");
		if (err == POORT_E_TAKEN && json_array_size(alt))
			req.slot = (poort_id)json_integer_value(
				json_object_get(json_array_get(alt, (size_t)rand_r(&seed) % json_array_size(alt)), "slot"));
		json_decref(out);
		if (err != POORT_E_TAKEN)
			break;
	}
	return NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

struct result {
	size_t booked, attempts, outcome[POORT_E_NOMEM + 1];
	double secs, per_sec, p50, p99;
	uint64_t batches, ops;
};

/* nactive parents book at once (spread_ms 0) or arriving evenly over
 * spread_ms, with or without the group-commit booker. */
static struct result rush(const char *dir, size_t nactive, bool group, double spread_ms)
{
	pthread_t th[NPARENTS];
	pthread_attr_t attr;
	poort_booker *booker = NULL;
	struct result r = { 0 };
	double t0, *lat;
	size_t n = 0;

	E(poort_open(dir, NULL, &store));
	fx_big_clock(store);
	if (group)
		E(poort_booker_start(store, &booker));
	for (size_t i = 0; i < NPARENTS; i++) {
		parents[i].booking = parents[i].slot = 0;
		parents[i].nlat = 0;
		/* With a slow disk the naive path gets a share of the parents,
		 * spread over all teachers, to stay within a minute. */
		parents[i].active = i % (NPARENTS / nactive) == 0 && i / (NPARENTS / nactive) < nactive;
		parents[i].arrive_ms = spread_ms * (double)(i / (NPARENTS / nactive)) / (double)nactive;
	}
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	pthread_barrier_init(&start, NULL, (unsigned)nactive + 1);
	for (size_t i = 0; i < NPARENTS; i++)
		if (parents[i].active && pthread_create(&th[i], &attr, parent_run, &parents[i]) != 0) {
			perror("pthread_create");
			exit(1);
		}
	released_ms = t0 = now_ms();
	pthread_barrier_wait(&start);
	for (size_t i = 0; i < NPARENTS; i++)
		if (parents[i].active)
			pthread_join(th[i], NULL);
	r.secs = (now_ms() - t0) / 1e3;
	pthread_barrier_destroy(&start);
	pthread_attr_destroy(&attr);
	if (booker) {
		poort_booker_stats(booker, &r.batches, &r.ops);
		poort_booker_stop(booker);
	}
	poort_close(store);

	lat = calloc(NPARENTS * TRIES, sizeof *lat);
	for (size_t i = 0; i < NPARENTS; i++) {
		for (int t = 0; t < parents[i].nlat; t++)
			lat[n++] = parents[i].lat[t];
		r.booked += parents[i].booking != 0;
		if (parents[i].active && parents[i].last >= 0 && parents[i].last <= POORT_E_NOMEM)
			r.outcome[parents[i].last]++;
	}
	r.attempts = n;
	qsort(lat, n, sizeof *lat, cmp_double);
	r.p50 = n ? lat[n / 2] : 0;
	r.p99 = n ? lat[(size_t)(n * 0.99)] : 0;
	r.per_sec = r.secs > 0 ? r.booked / r.secs : 0;
	free(lat);
	return r;
}

/* Read-only: the store's invariants and every acknowledged booking. */
static void print_outcomes(const struct result *r)
{
	printf("    last answers:");
	for (int e = 0; e <= POORT_E_NOMEM; e++)
		if (r->outcome[e])
			printf(" %s %zu", poort_errname((poort_err)e), r->outcome[e]);
	printf("\n");
}

static void report(const char *what, const struct result *r, size_t parents_n)
{
	printf("  %s: %zu parents, %zu booked in %.3f s = %.0f bookings/s (%.0f answers/s), %zu attempts, "
	       "latency p50 %.2f ms, p99 %.2f ms", what, parents_n, r->booked, r->secs, r->per_sec,
	       r->secs > 0 ? (double)r->attempts / r->secs : 0.0, r->attempts, r->p50, r->p99);
	if (r->batches)
		printf(", %llu commits (%.1f operations each)", (unsigned long long)r->batches,
		       (double)r->ops / (double)r->batches);
	printf("\n");
	print_outcomes(r);
}

static int verify(const char *dir, const char *what)
{
	poort_options ro = { .read_only = true };
	poort *p;
	json_t *violations = NULL, *mine = NULL, *b;
	size_t i, j, missing = 0, dup = 0;
	int bad = 0;

	E(poort_open(dir, &ro, &p));
	fx_big_clock(p);
	E(poort_check(p, &violations));
	if (json_array_size(violations)) {
		char *s = json_dumps(violations, 0);
		fprintf(stderr, "%s: invariants broken: %.2000s\n", what, s);
		free(s);
		bad = 1;
	}
	json_decref(violations);
	for (i = 0; i < NPARENTS; i++) {
		bool found = false;
		if (!parents[i].booking)
			continue;
		for (j = 0; j < i; j++)
			if (parents[j].booking && parents[j].slot == parents[i].slot)
				dup++;
		E(poort_guardian_bookings(p, school.guardian_acc[parents[i].idx], school.round, &mine));
		json_array_foreach(json_object_get(mine, "bookings"), j, b)
			if ((poort_id)json_integer_value(json_object_get(b, "id")) == parents[i].booking &&
			    (poort_id)json_integer_value(json_object_get(b, "slot")) == parents[i].slot)
				found = true;
		json_decref(mine);
		missing += !found;
	}
	poort_close(p);
	printf("  checks (%s): %s; acknowledged but missing: %zu; slots acknowledged twice: %zu\n", what,
	       bad ? "INVARIANTS BROKEN" : "poortctl-check invariants hold (no double booking, no overlap, no overbooking)",
	       missing, dup);
	return bad || missing || dup;
}

static void copy_file(const char *from, const char *to)
{
	char buf[1 << 16];
	ssize_t n;
	int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (in < 0 || out < 0) {
		perror("copy");
		exit(1);
	}
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n) {
			perror("write");
			exit(1);
		}
	fsync(out);
	close(in);
	close(out);
}

int main(void)
{
	char *base = test_tmpdir("bench-booking"), dirs[4][512], f1[600], f2[600];
	size_t counts[NGROUPS], total = 0, naive_parents = NPARENTS;
	const char *slow = getenv("LD_PRELOAD"), *np = getenv("BENCH_NAIVE_PARENTS");
	unsigned seed = 42;
	struct result naive, group, naive_paced, group_paced;
	double wsum = 0;
	int bad = 0;
	poort *p;

	setenv("POORT_KDF", "test", 0);
	if (np && atoi(np) > 0 && atoi(np) <= NPARENTS)
		naive_parents = (size_t)atoi(np);
	/* Popular teachers: group sizes fall off like 1/rank^0.8. */
	for (size_t g = 0; g < NGROUPS; g++)
		wsum += 1.0 / pow((double)g + 1, 0.8);
	for (size_t g = 0; g < NGROUPS; g++) {
		counts[g] = (size_t)(NPARENTS * (1.0 / pow((double)g + 1, 0.8)) / wsum);
		total += counts[g];
	}
	for (size_t g = 0; total < NPARENTS; g = (g + 1) % NGROUPS, total++)
		counts[g]++;

	for (int i = 0; i < 4; i++) {
		snprintf(dirs[i], sizeof dirs[i], "%s/%d", base, i);
		mkdir(dirs[i], 0700);
	}
	E(poort_open(dirs[0], NULL, &p));
	fx_big_clock(p);
	fx_big_school(p, &school, NGROUPS, counts, EVENINGS, PER_EVENING, 0);
	poort_close(p);
	snprintf(f1, sizeof f1, "%s/data.mdb", dirs[0]);
	for (int i = 1; i < 4; i++) {
		snprintf(f2, sizeof f2, "%s/data.mdb", dirs[i]);
		copy_file(f1, f2);
	}

	/* Everyone wants an early slot with their own teacher. */
	for (size_t i = 0; i < NPARENTS; i++) {
		size_t g = school.group_of[i];
		double u = (double)rand_r(&seed) / RAND_MAX;
		parents[i].idx = i;
		parents[i].slot0 = school.slots[g][(size_t)(u * u * u * (double)(school.nslots[g] - 1))];
	}

	printf("bench_booking: %d parents released at once, %d teachers x %d slots, largest group %zu pupils, "
	       "fsync: %s\n", NPARENTS, NGROUPS, EVENINGS * PER_EVENING, counts[0],
	       slow && strstr(slow, "slowfsync") ? "slowed to 5-20 ms (LD_PRELOAD shim)" : "as the disk does it");
	naive = rush(dirs[0], naive_parents, false, 0);
	report("burst, naive: one durable commit per request", &naive, naive_parents);
	bad |= verify(dirs[0], "naive burst");
	group = rush(dirs[1], NPARENTS, true, 0);
	report("burst, group commit (booker)", &group, NPARENTS);
	bad |= verify(dirs[1], "group burst");
	printf("  ratio group/naive in the burst: %.1fx bookings/s\n",
	       naive.per_sec > 0 ? group.per_sec / naive.per_sec : 0.0);

	/* The same parents arriving evenly over one second: latency without
	 * the queue of a burst in front of it. */
	naive_paced = rush(dirs[2], naive_parents, false, 1000);
	report("arriving over 1 s, naive", &naive_paced, naive_parents);
	bad |= verify(dirs[2], "naive paced");
	group_paced = rush(dirs[3], NPARENTS, true, 1000);
	report("arriving over 1 s, group commit", &group_paced, NPARENTS);
	bad |= verify(dirs[3], "group paced");

	fx_big_free(&school);
	test_rmdir(base);
	free(base);
	return bad;
}
