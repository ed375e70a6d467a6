/* kiosk.h - private to poort-kiosk (and its tests and benchmark).
 *
 * The kiosk is a thin front-end: screens ask the core, draw the answer and
 * turn taps into core calls. No rule lives here. Pieces:
 *   kiosk.c    lifecycle, event handling, timers (idle wipe, clock), frames
 *   text.c     fonts found at run time and the text cache (render once)
 *   ui.c       layout (adapts to the window), widgets, drawing, hit testing
 *   screens.c  the screen table, the flow tables and every screen's build
 *   scanner.c  USB scanner input: fast keystrokes ending in Enter
 *
 * Drawing is retained per build: when something changed (input, clock
 * minute, a countdown second) the current screen rebuilds its widget list
 * and the frame is drawn; otherwise nothing is drawn at all.
 */
#ifndef POORT_KIOSK_H
#define POORT_KIOSK_H

#include <poort/poort.h>
#include <SDL.h>
#include <SDL_ttf.h>

typedef struct kiosk kiosk;

typedef struct kiosk_options {
	poort *store;              /* borrowed open store; NULL: open data_dir */
	const char *data_dir;      /* poort_data_dir() rules when NULL */
	int width, height;         /* window size; 0: full screen */
	const char *lang;          /* start language, "nl" when NULL */
	const char *font_regular;  /* font files; NULL: found at run time */
	const char *font_bold;
	float dpi;                 /* 0: ask the display (fallback 140) */
	bool accelerated;          /* false: SDL's software renderer */
	/* Monotonic milliseconds for timers (idle wipe, scanner); NULL: SDL_GetTicks64. */
	uint64_t (*ticks)(void *arg);
	void *ticks_arg;
} kiosk_options;

/* Creates the window, renderer, fonts and opens the store. SDL video must be
 * initialised by the caller. On success *out is the caller's (kiosk_destroy). */
poort_err kiosk_create(const kiosk_options *opt, kiosk **out);
void kiosk_destroy(kiosk *k);

/* Handles one SDL event; false when the kiosk should quit. */
bool kiosk_handle(kiosk *k, const SDL_Event *ev);
/* Timers: idle warning and wipe, clock minute, auto-return after a
 * confirmation. Call once per loop turn. */
void kiosk_tick(kiosk *k);
/* Draws and presents a frame if anything changed (or force). True if a
 * frame was presented. */
bool kiosk_draw(kiosk *k, bool force);
/* Marks the current screen for a rebuild and redraw, as input does (for
 * the benchmark: the cost of a full frame). */
void kiosk_invalidate(kiosk *k);
/* Drains pending events, ticks and draws: one loop turn without waiting. */
bool kiosk_step(kiosk *k);
/* The main loop: waits for events or the next timer, until quit. */
int kiosk_run(kiosk *k);

/* ---- introspection for tests and the benchmark ---- */
const char *kiosk_screen(const kiosk *k);          /* current screen's name */
const char *kiosk_lang(const kiosk *k);
unsigned long kiosk_text_renders(const kiosk *k);   /* TTF renders so far */
unsigned long kiosk_frames(const kiosk *k);         /* frames presented so far */
poort_id kiosk_account(const kiosk *k);             /* identified account or 0 */
/* Centre of the widget with this id ("start.absence", "key.5"); false if
 * the current screen has none. Rebuilds the screen first if needed. */
bool kiosk_widget_center(kiosk *k, const char *id, int *x, int *y);
/* Whether a widget with this text is on screen (after translation). */
bool kiosk_has_text(kiosk *k, const char *text);
/* Texts of the current screen, one per line (caller frees). */
char *kiosk_texts(kiosk *k);
/* A copy of the last presented frame as RGB24 (caller frees). */
SDL_Surface *kiosk_screenshot(kiosk *k);
SDL_Renderer *kiosk_renderer(kiosk *k);
/* Smallest touch target on screen in pixels (both sides). */
int kiosk_min_target(kiosk *k, int *min_w, int *min_h);
/* The minimum touch target size in pixels this layout promises (>= 48 px, >= 9 mm). */
int kiosk_target_px(const kiosk *k);

/* ---- text.c: fonts and the text cache ---- */

enum font_size { FS_SMALL, FS_BODY, FS_LARGE, FS_TITLE, FS_HUGE, FS__COUNT };

typedef struct text_cache text_cache;

/* Finds the font files: Inter when installed, else DejaVu Sans. Paths are
 * static strings or NULL. */
void text_find_fonts(const char **regular, const char **bold);
/* Opens the fonts at the pixel sizes given (per enum font_size). */
text_cache *text_cache_new(SDL_Renderer *r, const char *regular, const char *bold,
                           const int px[FS__COUNT]);
void text_cache_free(text_cache *c);
/* Drops every cached texture (a wiped session leaves no names in memory). */
void text_cache_flush(text_cache *c);
/* The texture for text at size/bold/colour, wrapped to wrap px (0: one
 * line). Rendered on first use, then cached; borrowed until the cache is
 * freed or flushed. NULL for an empty string. */
SDL_Texture *text_get(text_cache *c, const char *text, int size, bool bold, SDL_Color col,
                      int wrap, int *w, int *h);
unsigned long text_renders(const text_cache *c);
int text_line_height(text_cache *c, int size);

/* ---- scanner.c: a USB card scanner types the token and Enter ---- */

typedef struct scanner {
	char buf[160];
	size_t len;
	uint64_t first_ms, last_ms;
	bool slow;           /* a gap too long for a scanner happened */
} scanner;

/* Feeds typed text at time now_ms. */
void scanner_text(scanner *s, const char *utf8, uint64_t now_ms);
/* Enter pressed: true with the token in out (NUL-terminated) if what came
 * before looks like a scan (>= 6 characters, no gap > 60 ms). The buffer is
 * cleared either way. */
bool scanner_enter(scanner *s, uint64_t now_ms, char *out, size_t outlen);
/* Clears and wipes the buffer. */
void scanner_clear(scanner *s);

#endif
