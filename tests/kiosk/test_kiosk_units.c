/* test_kiosk_units.c - the kiosk's machinery: the text cache renders each
 * text once, idle frames draw and render nothing, the clock's minute and a
 * touch are what cause a frame, the pressed state is on the very next
 * frame, and the scanner tells a scan from typing. */
#include "harness.h"

static void test_scanner(void)
{
	scanner s = { 0 };
	char out[160];

	scanner_text(&s, "abcdefgh", 100);
	CHECK(scanner_enter(&s, 110, out, sizeof out) && strcmp(out, "abcdefgh") == 0, "a fast burst is a scan");
	CHECK(s.len == 0 && s.buf[0] == 0, "the buffer is wiped");
	scanner_text(&s, "abc", 100);
	CHECK(!scanner_enter(&s, 105, out, sizeof out), "too short for a token");
	scanner_text(&s, "abc", 100);
	scanner_text(&s, "def", 400);
	CHECK(!scanner_enter(&s, 405, out, sizeof out), "a pause in between: typed by a person");
	scanner_text(&s, "abcdefgh", 100);
	CHECK(!scanner_enter(&s, 1000, out, sizeof out), "Enter long after: not a scan");
	for (int i = 0; i < 40; i++)
		scanner_text(&s, "abcdefgh", 100);
	CHECK(!scanner_enter(&s, 100, out, sizeof out), "longer than any token");
}

static void test_text_cache(harness *h)
{
	SDL_Color c = { 0, 0, 0, 255 }, c2 = { 10, 0, 0, 255 };
	text_cache *tc;
	int px[FS__COUNT] = { 12, 16, 20, 24, 32 }, w, h1, w2, h2;
	unsigned long n;

	tc = text_cache_new(kiosk_renderer(h->k), HARNESS_FONT, HARNESS_FONT_BOLD, px);
	CHECK(tc != NULL, "fonts open");
	CHECK(text_get(tc, "Ziek melden", FS_BODY, false, c, 0, &w, &h1) != NULL, "rendered");
	n = text_renders(tc);
	CHECK(n == 1, "one render, %lu", n);
	CHECK(text_get(tc, "Ziek melden", FS_BODY, false, c, 0, &w2, &h2) != NULL && w2 == w && h2 == h1,
	      "same texture size");
	CHECK(text_renders(tc) == 1, "the second time from the cache");
	text_get(tc, "Ziek melden", FS_BODY, true, c, 0, &w2, &h2);
	text_get(tc, "Ziek melden", FS_LARGE, false, c, 0, &w2, &h2);
	text_get(tc, "Ziek melden", FS_BODY, false, c2, 0, &w2, &h2);
	text_get(tc, "Ziek melden", FS_BODY, false, c, 60, &w2, &h2);
	CHECK(text_renders(tc) == 5, "weight, size, colour and wrap are part of the key: %lu", text_renders(tc));
	CHECK(h2 > h1, "wrapped into more lines");
	for (int i = 0; i < 2000; i++) {
		char s[16];
		snprintf(s, sizeof s, "t%d", i);
		text_get(tc, s, FS_SMALL, false, c, 0, &w, &h1);
	}
	CHECK(text_renders(tc) == 2005, "many texts: each rendered once");
	CHECK(text_get(tc, "", FS_BODY, false, c, 0, &w, &h1) == NULL, "nothing for an empty text");
	text_cache_free(tc);
}

static void test_idle_frames(harness *h)
{
	unsigned long renders, frames;
	int x, y;
	SDL_Surface *shot;
	SDL_Event ev = { .type = SDL_FINGERDOWN };

	harness_step(h);
	renders = kiosk_text_renders(h->k);
	frames = kiosk_frames(h->k);
	for (int i = 0; i < 100; i++) {
		h->ms += 500;
		harness_step(h);
	}
	CHECK(kiosk_frames(h->k) == frames, "idle: no frames drawn (%lu)", kiosk_frames(h->k) - frames);
	CHECK(kiosk_text_renders(h->k) == renders, "idle: no text rendered");
	for (int i = 0; i < 100; i++)
		CHECK(!kiosk_draw(h->k, false), "nothing to draw");

	/* a forced redraw of the same screen renders no text either */
	kiosk_draw(h->k, true);
	CHECK(kiosk_text_renders(h->k) == renders, "a redraw uses the cache");

	/* the clock's minute changes: one frame, one new text (the time) */
	harness_now(h, "2026-11-23T08:01");
	CHECK(kiosk_frames(h->k) == frames + 2, "one frame for the minute");
	CHECK(kiosk_text_renders(h->k) == renders + 1, "only the clock rendered: %lu",
	      kiosk_text_renders(h->k) - renders);

	/* the pressed state is on the very next frame */
	CHECK(kiosk_widget_center(h->k, "start.checkin", &x, &y), "the check-in button");
	frames = kiosk_frames(h->k);
	ev.tfinger.x = ((float)x + 0.5f) / (float)h->w;
	ev.tfinger.y = ((float)y + 0.5f) / (float)h->h;
	SDL_PushEvent(&ev);
	harness_step(h);
	CHECK(kiosk_frames(h->k) == frames + 1, "one frame after the touch");
	shot = kiosk_screenshot(h->k);
	{
		/* a point inside the button, off its text: the pressed colour */
		unsigned char *px = (unsigned char *)shot->pixels + (y - 20) * shot->pitch + (x - 150) * 3;
		CHECK(px[0] == 0x06 && px[1] == 0x3A && px[2] == 0x70, "pressed colour, got %02x%02x%02x",
		      px[0], px[1], px[2]);
	}
	SDL_FreeSurface(shot);
	/* moving off the button before lifting is no tap */
	ev.type = SDL_FINGERUP;
	ev.tfinger.x = 0.01f;
	ev.tfinger.y = 0.99f;
	SDL_PushEvent(&ev);
	harness_step(h);
	CHECK(harness_on(h, "start"), "no tap when released elsewhere");
}

int main(void)
{
	harness h;

	test_scanner();
	harness_open(&h, "kiosk-units", 1280, 800, "nl", "2026-11-23T08:00");
	test_text_cache(&h);
	test_idle_frames(&h);
	harness_close(&h);
	TTF_Quit();
	SDL_Quit();
	return test_done("kiosk_units");
}
