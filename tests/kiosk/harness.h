/* harness.h - drives a real kiosk in-process for the kiosk tests and the
 * benchmark: SDL's dummy video driver (no GL stack loaded), the software renderer, a pinned
 * font, a pinned wall clock and a test-controlled monotonic clock. Touches
 * and keys are injected with SDL_PushEvent and go through the kiosk's own
 * event handling, exactly as on the box.
 *
 * Golden images: harness_golden() compares the frame with
 * tests/kiosk/golden/<name>.png. Tolerance: a pixel matches when no channel
 * differs by more than GOLDEN_CHANNEL_TOL; the frame matches when at most
 * GOLDEN_PIXEL_TOL (a fraction) of its pixels do not (anti-aliasing of a
 * different FreeType build). Goldens are only ever written when
 * POORT_UPDATE_GOLDEN=1 is set (the `kiosk-golden` build target does that);
 * a missing golden otherwise fails the test.
 */
#ifndef POORT_KIOSK_HARNESS_H
#define POORT_KIOSK_HARNESS_H

#include "kiosk.h"
#include "test.h"

#define GOLDEN_CHANNEL_TOL 48
#define GOLDEN_PIXEL_TOL 0.002

/* Fonts pinned for deterministic pixels (fonts-inter). */
#define HARNESS_FONT "/usr/share/fonts/opentype/inter/Inter-Regular.otf"
#define HARNESS_FONT_BOLD "/usr/share/fonts/opentype/inter/Inter-SemiBold.otf"

/* The test school: parent codes, PINs and cards. */
#define MARIEKE_CODE "100001"       /* two children: Sanne (3), Daan (5) */
#define MARIEKE_PIN "12345"
#define MARIEKE_CARD "kaart-marieke-0001-abcdef"
#define FATMA_CODE "100003"         /* one child: Noah (3) */
#define FATMA_PIN "11111"

typedef struct harness {
	char *dir;
	poort *p;
	kiosk *k;
	uint64_t ms;          /* the kiosk's monotonic clock */
	int w, h;
} harness;

/* A fresh store with the test school, the wall clock at local time `now`
 * ("2026-11-23T08:00"), and a kiosk of w x h in language lang. */
void harness_open(harness *h, const char *name, int w, int h_px, const char *lang, const char *now);
/* Another window size or language on the same store. */
void harness_reopen(harness *h, int w, int h_px, const char *lang);
void harness_close(harness *h);
/* Re-pins the wall clock (local "YYYY-MM-DDTHH:MM"). */
void harness_now(harness *h, const char *local);

/* Taps the widget with this id (fails the test if it is not on screen). */
bool harness_tap(harness *h, const char *id);
/* Taps key.<c> for every (UTF-8) character, switching the keyboard's
 * layout with key.mode when the key is on the other one. */
void harness_type(harness *h, const char *text);
/* A card scan: the token's characters and Enter within one millisecond. */
void harness_scan(harness *h, const char *token);
/* Lets ms pass on the kiosk's clock (in one-second steps) and runs the loop. */
void harness_wait(harness *h, uint64_t ms);
/* One loop turn. */
void harness_step(harness *h);
bool harness_on(harness *h, const char *screen);
bool harness_text(harness *h, const char *text);

/* Compares the current frame with golden/<name>.png (see above) and keeps a
 * copy in <build>/tests/kiosk/screens/<name>.png for the contact sheet. */
void harness_golden(harness *h, const char *name);
/* Only the copy for the contact sheet, no comparison. */
void harness_shot(harness *h, const char *name);

/* A conversation round open now (from 2026-11-20 to 2026-11-24 12:00) for
 * groups 3 and 5 on Tuesday 24 November: Anna (group 3) has ONE slot,
 * 19:00; Piet (group 5) three, 19:00-19:30. */
poort_id harness_round(harness *h);
/* A teacher's staff id (logs in with the password to find it). */
poort_id harness_staff_id(harness *h, const char *user, const char *password);

/* PNG files (libpng's simplified API). */
bool png_write(const char *path, const SDL_Surface *rgb24);
SDL_Surface *png_read(const char *path);     /* RGB24; NULL if unreadable */

#endif
