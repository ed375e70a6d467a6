/* bench_kiosk.c - how fast the kiosk draws, starts and answers a touch.
 *
 * Software renderer, SDL's dummy video driver, 1280x800 (and 800x480), in
 * one process. Figures (CPU time per frame from CLOCK_THREAD_CPUTIME_ID):
 *  - baseline: an empty frame (clear + present) on the same renderer;
 *  - a full frame of the start screen and of the busiest screen (the note
 *    keyboard, about 45 widgets): rebuild + draw + present, as after input;
 *  - text renders on idle loop turns (the target is 0);
 *  - cold start: SDL_Init + fonts + window + store open + first frame;
 *  - touch to presented frame: a finger-down event pushed until the frame
 *    showing the pressed state is presented;
 *  - peak RSS of the process.
 * Targets (ISSUE 5): <= 2 ms CPU per frame p99, 0 renders on idle frames,
 * cold start <= 50 ms, touch within one frame, RSS <= 24 MiB.
 * Not a test: it prints; tests/bench/README.md explains the figures. */
#include "harness.h"

#include <sys/resource.h>
#include <time.h>

#define FRAMES 400

static double now_ms(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void pct(double *v, int n, double *p50, double *p99)
{
	qsort(v, (size_t)n, sizeof *v, cmp);
	*p50 = v[n / 2];
	*p99 = v[(n * 99) / 100];
}

static double base50, base99;

static void report(const char *what, double *v, int n)
{
	double p50, p99;

	pct(v, n, &p50, &p99);
	printf("%-34s p50 %6.3f ms  p99 %6.3f ms   (%.1fx / %.1fx the empty frame)\n", what, p50, p99,
	       p50 / base50, p99 / base99);
}

static void baseline(harness *h)
{
	static double v[FRAMES];
	SDL_Renderer *r = kiosk_renderer(h->k);

	for (int i = 0; i < FRAMES; i++) {
		double t = now_ms(CLOCK_THREAD_CPUTIME_ID);
		SDL_SetRenderDrawColor(r, 0xF4, 0xF6, 0xF8, 255);
		SDL_RenderClear(r);
		SDL_RenderPresent(r);
		v[i] = now_ms(CLOCK_THREAD_CPUTIME_ID) - t;
	}
	pct(v, FRAMES, &base50, &base99);
	printf("%-34s p50 %6.3f ms  p99 %6.3f ms\n", "empty frame (clear+present)", base50, base99);
}

static void full_frames(harness *h, const char *what)
{
	static double v[FRAMES];

	for (int i = 0; i < FRAMES; i++) {
		double t = now_ms(CLOCK_THREAD_CPUTIME_ID);
		kiosk_invalidate(h->k);
		kiosk_draw(h->k, false);
		v[i] = now_ms(CLOCK_THREAD_CPUTIME_ID) - t;
	}
	report(what, v, FRAMES);
}

static void idle(harness *h)
{
	unsigned long r0 = kiosk_text_renders(h->k), f0 = kiosk_frames(h->k);
	double t = now_ms(CLOCK_THREAD_CPUTIME_ID);

	for (int i = 0; i < 1000; i++) {
		h->ms += 10;
		kiosk_step(h->k);
	}
	printf("%-34s %lu text renders, %lu frames in 1000 idle loop turns (%.4f ms CPU per turn)\n",
	       "idle", kiosk_text_renders(h->k) - r0, kiosk_frames(h->k) - f0,
	       (now_ms(CLOCK_THREAD_CPUTIME_ID) - t) / 1000);
}

static void touch(harness *h)
{
	static double v[200];
	int x, y, within = 0;

	if (!kiosk_widget_center(h->k, "start.checkin", &x, &y))
		return;
	for (int i = 0; i < 200; i++) {
		SDL_Event ev = { .type = i % 2 ? SDL_FINGERUP : SDL_FINGERDOWN };
		unsigned long f0 = kiosk_frames(h->k);
		double t;

		/* up at the far corner: no tap, so the screen stays */
		ev.tfinger.x = i % 2 ? 0.99f : ((float)x + 0.5f) / (float)h->w;
		ev.tfinger.y = i % 2 ? 0.99f : ((float)y + 0.5f) / (float)h->h;
		t = now_ms(CLOCK_MONOTONIC);
		SDL_PushEvent(&ev);
		kiosk_step(h->k);
		v[i] = now_ms(CLOCK_MONOTONIC) - t;
		within += kiosk_frames(h->k) == f0 + 1;
	}
	report("touch to presented frame (wall)", v, 200);
	printf("%-34s %d of 200 touches shown in the very next frame\n", "", within);
}

static void cold_start(const char *dir)
{
	kiosk_options o = { .data_dir = dir, .width = 1280, .height = 800, .lang = "nl",
		            .font_regular = HARNESS_FONT, .font_bold = HARNESS_FONT_BOLD, .dpi = 140 };
	double t = now_ms(CLOCK_MONOTONIC), c = now_ms(CLOCK_PROCESS_CPUTIME_ID);
	kiosk *k = NULL;

	if (SDL_Init(SDL_INIT_VIDEO) != 0 || kiosk_create(&o, &k) != POORT_OK) {
		printf("cold start failed: %s\n", SDL_GetError());
		return;
	}
	kiosk_draw(k, true);
	printf("%-34s %.1f ms wall, %.1f ms CPU (SDL_Init, fonts, window, store, first frame)\n",
	       "cold start to first frame", now_ms(CLOCK_MONOTONIC) - t,
	       now_ms(CLOCK_PROCESS_CPUTIME_ID) - c);
	kiosk_destroy(k);
	TTF_Quit();
	SDL_Quit();
}

int main(void)
{
	static const struct { int w, h; } sizes[] = { { 1280, 800 }, { 800, 480 } };
	harness h;
	struct rusage ru;
	char *dir;

	/* Cold start first, on a store made beforehand, before anything else
	 * has warmed SDL up in this process. */
	harness_open(&h, "bench-kiosk", 1280, 800, "nl", "2026-11-23T08:00");
	dir = strdup(h.dir);
	kiosk_destroy(h.k);
	h.k = NULL;
	poort_close(h.p);
	TTF_Quit();
	SDL_Quit();
	cold_start(dir);
	E(poort_open(dir, NULL, &h.p));
	test_set_now(h.p, "2026-11-23T08:00");

	for (size_t s = 0; s < 2; s++) {
		printf("--- %dx%d, software renderer\n", sizes[s].w, sizes[s].h);
		SDL_Init(SDL_INIT_VIDEO);
		harness_reopen(&h, sizes[s].w, sizes[s].h, "nl");
		baseline(&h);
		full_frames(&h, "start screen, full frame");
		idle(&h);
		touch(&h);
		harness_tap(&h, "start.absence");
		harness_scan(&h, MARIEKE_CARD);
		harness_tap(&h, "child.0");
		harness_tap(&h, "absence.today");
		harness_tap(&h, "reason.other");
		harness_type(&h, "bruiloft");
		full_frames(&h, "keyboard screen, full frame");
		idle(&h);
		harness_tap(&h, "nav.stop");
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("%-34s %.1f MiB\n", "peak RSS", (double)ru.ru_maxrss / 1024);
	harness_close(&h);
	free(dir);
	TTF_Quit();
	SDL_Quit();
	return 0;
}
