/* kiosk.c - lifecycle, input, timers and frames.
 *
 * A frame is drawn only when something changed: a touch (the pressed state
 * shows on the very next frame), a screen change, the clock's minute, the
 * idle warning's countdown. Otherwise the loop sleeps in SDL_WaitEventTimeout
 * until the next event or timer.
 */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct kiosk_lang kiosk_langs[] = {
	{ "nl", "Nederlands" },
	{ "en", "English" },
};
const int kiosk_nlangs = (int)(sizeof kiosk_langs / sizeof kiosk_langs[0]);

const char *T(const kiosk *k, const char *msgid)
{
	return poort_gettext(kiosk_langs[k->lang].code, msgid);
}

uint64_t kiosk_ms(const kiosk *k)
{
	return k->ticks ? k->ticks(k->ticks_arg) : SDL_GetTicks64();
}

void kiosk_dirty(kiosk *k)
{
	k->dirty = true;
	k->built = false;
}

void kiosk_invalidate(kiosk *k)
{
	kiosk_dirty(k);
}

poort_err kiosk_create(const kiosk_options *opt, kiosk **out)
{
	kiosk *k = calloc(1, sizeof *k);
	Uint32 flags = SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI;
	poort_err err = POORT_OK;
	float ddpi;

	*out = NULL;
	if (!k)
		return POORT_E_NOMEM;
	k->pressed = -1;
	k->warning_secs = -1;
	k->ticks = opt->ticks;
	k->ticks_arg = opt->ticks_arg;
	for (int i = 0; i < kiosk_nlangs; i++)
		if (opt->lang && strcmp(opt->lang, kiosk_langs[i].code) == 0)
			k->lang = k->lang_default = i;
	if (opt->store) {
		k->p = opt->store;
	} else {
		err = poort_open(poort_data_dir(opt->data_dir), NULL, &k->p);
		if (err)
			goto out;
		k->own_store = true;
	}
	k->font_regular = opt->font_regular;
	k->font_bold = opt->font_bold;
	if (!k->font_regular || !k->font_bold)
		text_find_fonts(&k->font_regular, &k->font_bold);
	if (!k->font_regular) {
		fprintf(stderr, "poort-kiosk: no font found (install fonts-inter or fonts-dejavu-core)\n");
		err = POORT_E_IO;
		goto out;
	}
	if (TTF_WasInit() == 0 && TTF_Init() != 0) {
		err = POORT_E_IO;
		goto out;
	}
	k->windowed = opt->width > 0 && opt->height > 0;
	if (!k->windowed)
		flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
	k->win = SDL_CreateWindow("Poort", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
	                          k->windowed ? opt->width : 800, k->windowed ? opt->height : 480, flags);
	if (!k->win) {
		fprintf(stderr, "poort-kiosk: window: %s\n", SDL_GetError());
		err = POORT_E_IO;
		goto out;
	}
	k->r = SDL_CreateRenderer(k->win, -1, opt->accelerated ? SDL_RENDERER_ACCELERATED
	                                                       : SDL_RENDERER_SOFTWARE);
	if (!k->r && opt->accelerated)
		k->r = SDL_CreateRenderer(k->win, -1, SDL_RENDERER_SOFTWARE);
	if (!k->r) {
		fprintf(stderr, "poort-kiosk: renderer: %s\n", SDL_GetError());
		err = POORT_E_IO;
		goto out;
	}
	if (!k->windowed)
		SDL_ShowCursor(SDL_DISABLE);   /* a touchscreen: no pointer */
	k->dpi = opt->dpi > 0 ? opt->dpi
	         : SDL_GetDisplayDPI(SDL_GetWindowDisplayIndex(k->win), &ddpi, NULL, NULL) == 0 &&
	                   ddpi > 50 ? ddpi : 140.0f;
	ui_layout(k);
	if (!k->tc) {
		fprintf(stderr, "poort-kiosk: fonts %s, %s: %s\n", k->font_regular, k->font_bold,
		        TTF_GetError());
		err = POORT_E_IO;
		goto out;
	}
	k->last_input_ms = kiosk_ms(k);
	k->started = poort_now(k->p);
	screens_start(k);
out:
	if (err) {
		kiosk_destroy(k);
		return err;
	}
	*out = k;
	return POORT_OK;
}

void kiosk_destroy(kiosk *k)
{
	if (!k)
		return;
	if (k->r)
		screens_start(k);    /* frees and wipes the session */
	json_decref(k->late);
	ui_free(k);
	text_cache_free(k->tc);
	if (k->r)
		SDL_DestroyRenderer(k->r);
	if (k->win)
		SDL_DestroyWindow(k->win);
	if (k->own_store)
		poort_close(k->p);
	free(k);
}

static void press(kiosk *k, int x, int y)
{
	k->last_input_ms = kiosk_ms(k);
	if (!k->built)
		screens_build(k);
	k->pressed = ui_hit(k, x, y);
	k->dirty = true;    /* the pressed state shows on the next frame */
}

static void release(kiosk *k, int x, int y)
{
	int i = k->pressed;

	k->last_input_ms = kiosk_ms(k);
	k->pressed = -1;
	k->dirty = true;
	/* A tap counts where it started and ended on the same button. */
	if (i >= 0 && i < k->nw && ui_hit(k, x, y) == i && k->wd[i].tap) {
		widget w = k->wd[i];
		w.tap(k, w.arg);
		k->built = false;
	}
}

bool kiosk_handle(kiosk *k, const SDL_Event *ev)
{
	char token[128];

	switch (ev->type) {
	case SDL_QUIT:
		return false;
	case SDL_FINGERDOWN:
		press(k, (int)(ev->tfinger.x * (float)k->w), (int)(ev->tfinger.y * (float)k->h));
		break;
	case SDL_FINGERUP:
		release(k, (int)(ev->tfinger.x * (float)k->w), (int)(ev->tfinger.y * (float)k->h));
		break;
	case SDL_MOUSEBUTTONDOWN:
		if (ev->button.which != SDL_TOUCH_MOUSEID && ev->button.button == SDL_BUTTON_LEFT)
			press(k, ev->button.x, ev->button.y);
		break;
	case SDL_MOUSEBUTTONUP:
		if (ev->button.which != SDL_TOUCH_MOUSEID && ev->button.button == SDL_BUTTON_LEFT)
			release(k, ev->button.x, ev->button.y);
		break;
	case SDL_TEXTINPUT:
		scanner_text(&k->sc, ev->text.text, kiosk_ms(k));
		break;
	case SDL_KEYDOWN:
		if (ev->key.keysym.sym == SDLK_RETURN || ev->key.keysym.sym == SDLK_KP_ENTER) {
			if (scanner_enter(&k->sc, kiosk_ms(k), token, sizeof token)) {
				k->last_input_ms = kiosk_ms(k);
				screens_scan(k, token);
				SDL_memset(token, 0, sizeof token);
				kiosk_dirty(k);
			}
		} else if (ev->key.keysym.sym == SDLK_ESCAPE && k->windowed) {
			return false;   /* development window only; the box has no keyboard */
		}
		break;
	case SDL_WINDOWEVENT:
		if (ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
			ui_layout(k);
		else if (ev->window.event == SDL_WINDOWEVENT_EXPOSED)
			k->dirty = true;
		break;
	case SDL_RENDER_TARGETS_RESET:
	case SDL_RENDER_DEVICE_RESET:
		ui_layout(k);     /* textures are gone: render the texts again */
		break;
	default:
		break;
	}
	return true;
}

/* Tells the administrator's health page once a minute that the kiosk runs,
 * and whether anyone touched it since the last report. */
#define REPORT_MS 60000

void kiosk_tick(kiosk *k)
{
	uint64_t now = kiosk_ms(k);

	if (!k->reported || now - k->reported_ms >= REPORT_MS) {
		poort_kiosk_report(k->p, k->reported && k->last_input_ms > k->reported_ms);
		k->reported = true;
		k->reported_ms = now;
	}
	screens_tick(k, now);
	if (poort_now(k->p) / 60 != k->shown_minute)
		kiosk_dirty(k);    /* the clock in the header */
}

bool kiosk_draw(kiosk *k, bool force)
{
	if (!k->dirty && !force)
		return false;
	if (!k->built)
		screens_build(k);
	ui_draw(k);
	SDL_RenderPresent(k->r);
	k->dirty = false;
	k->frames++;
	return true;
}

bool kiosk_step(kiosk *k)
{
	SDL_Event ev;
	bool go_on = true;

	while (SDL_PollEvent(&ev))
		if (!kiosk_handle(k, &ev))
			go_on = false;
	kiosk_tick(k);
	kiosk_draw(k, false);
	return go_on;
}

int kiosk_run(kiosk *k)
{
	SDL_Event ev;

	kiosk_draw(k, true);
	for (;;) {
		/* Wake at least every half second for the timers; an idle start
		 * screen then only compares the minute and sleeps again. */
		if (SDL_WaitEventTimeout(&ev, 500)) {
			if (!kiosk_handle(k, &ev))
				return 0;
			while (SDL_PollEvent(&ev))
				if (!kiosk_handle(k, &ev))
					return 0;
		}
		kiosk_tick(k);
		kiosk_draw(k, false);
	}
}

/* ---- introspection ---- */

const char *kiosk_screen(const kiosk *k)
{
	return screens_name(k->screen);
}

const char *kiosk_lang(const kiosk *k)
{
	return kiosk_langs[k->lang].code;
}

unsigned long kiosk_text_renders(const kiosk *k)
{
	return text_renders(k->tc);
}

unsigned long kiosk_frames(const kiosk *k)
{
	return k->frames;
}

poort_id kiosk_account(const kiosk *k)
{
	return k->s.account;
}

SDL_Renderer *kiosk_renderer(kiosk *k)
{
	return k->r;
}

int kiosk_target_px(const kiosk *k)
{
	return k->target;
}

bool kiosk_widget_center(kiosk *k, const char *id, int *x, int *y)
{
	if (!k->built)
		screens_build(k);
	for (int i = k->nw - 1; i >= 0; i--) {
		if (k->wd[i].id && strcmp(k->wd[i].id, id) == 0) {
			*x = k->wd[i].r.x + k->wd[i].r.w / 2;
			*y = k->wd[i].r.y + k->wd[i].r.h / 2;
			return true;
		}
	}
	return false;
}

bool kiosk_has_text(kiosk *k, const char *text)
{
	if (!k->built)
		screens_build(k);
	for (int i = 0; i < k->nw; i++)
		if (strstr(k->wd[i].text, text))
			return true;
	return false;
}

char *kiosk_texts(kiosk *k)
{
	size_t len = 1, off = 0;
	char *buf;

	if (!k->built)
		screens_build(k);
	for (int i = 0; i < k->nw; i++)
		len += strlen(k->wd[i].text) + 1;
	buf = malloc(len);
	if (!buf)
		return NULL;
	for (int i = 0; i < k->nw; i++)
		if (k->wd[i].text[0])
			off += (size_t)sprintf(buf + off, "%s\n", k->wd[i].text);
	buf[off] = 0;
	return buf;
}

int kiosk_min_target(kiosk *k, int *min_w, int *min_h)
{
	int n = 0;

	if (!k->built)
		screens_build(k);
	*min_w = *min_h = 1 << 20;
	for (int i = 0; i < k->nw; i++) {
		if (!k->wd[i].tap)
			continue;
		n++;
		if (k->wd[i].r.w < *min_w)
			*min_w = k->wd[i].r.w;
		if (k->wd[i].r.h < *min_h)
			*min_h = k->wd[i].r.h;
	}
	return n;
}

SDL_Surface *kiosk_screenshot(kiosk *k)
{
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, k->w, k->h, 24, SDL_PIXELFORMAT_RGB24);

	if (s && SDL_RenderReadPixels(k->r, NULL, SDL_PIXELFORMAT_RGB24, s->pixels, s->pitch) != 0) {
		SDL_FreeSurface(s);
		s = NULL;
	}
	return s;
}
