/* text.c - fonts and the text cache.
 *
 * TTF rendering is the expensive part of a frame (glyph rasterising and a
 * texture upload), so every text is rendered once into a texture and kept,
 * keyed by string, size, weight, colour, wrap width and alignment. An idle
 * frame renders nothing; a count of renders lets tests and the benchmark
 * prove it.
 */
#include "kiosk.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CACHE_SLOTS 1024           /* power of two; flushed when 3/4 full */

struct entry {
	uint64_t hash;
	char *text;
	int size, wrap;
	bool bold, centre;
	uint32_t rgba;
	SDL_Texture *tex;
	int w, h;
};

struct text_cache {
	SDL_Renderer *r;
	TTF_Font *font[2][FS__COUNT];   /* [bold][size] */
	struct entry slot[CACHE_SLOTS];
	unsigned used;
	unsigned long renders;
};

/* Debian's font packages, best first: fonts-inter, then fonts-dejavu-core. */
static const struct font_choice {
	const char *regular, *bold;
} font_choices[] = {
	{ "/usr/share/fonts/opentype/inter/Inter-Regular.otf",
	  "/usr/share/fonts/opentype/inter/Inter-SemiBold.otf" },
	{ "/usr/share/fonts/truetype/inter/Inter-Regular.ttf",
	  "/usr/share/fonts/truetype/inter/Inter-SemiBold.ttf" },
	{ "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
	  "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf" },
};

void text_find_fonts(const char **regular, const char **bold)
{
	*regular = *bold = NULL;
	for (size_t i = 0; i < sizeof font_choices / sizeof font_choices[0]; i++) {
		if (access(font_choices[i].regular, R_OK) == 0 &&
		    access(font_choices[i].bold, R_OK) == 0) {
			*regular = font_choices[i].regular;
			*bold = font_choices[i].bold;
			return;
		}
	}
}

text_cache *text_cache_new(SDL_Renderer *r, const char *regular, const char *bold,
                           const int px[FS__COUNT])
{
	text_cache *c = calloc(1, sizeof *c);

	if (!c)
		return NULL;
	c->r = r;
	for (int s = 0; s < FS__COUNT; s++) {
		c->font[0][s] = TTF_OpenFont(regular, px[s]);
		c->font[1][s] = TTF_OpenFont(bold, px[s]);
		if (!c->font[0][s] || !c->font[1][s]) {
			text_cache_free(c);
			return NULL;
		}
		/* Identical pixels on every machine for the golden images. */
		TTF_SetFontHinting(c->font[0][s], TTF_HINTING_LIGHT);
		TTF_SetFontHinting(c->font[1][s], TTF_HINTING_LIGHT);
	}
	return c;
}

void text_cache_flush(text_cache *c)
{
	for (unsigned i = 0; i < CACHE_SLOTS; i++) {
		if (c->slot[i].tex)
			SDL_DestroyTexture(c->slot[i].tex);
		free(c->slot[i].text);
	}
	memset(c->slot, 0, sizeof c->slot);
	c->used = 0;
}

void text_cache_free(text_cache *c)
{
	if (!c)
		return;
	text_cache_flush(c);
	for (int b = 0; b < 2; b++)
		for (int s = 0; s < FS__COUNT; s++)
			if (c->font[b][s])
				TTF_CloseFont(c->font[b][s]);
	free(c);
}

unsigned long text_renders(const text_cache *c)
{
	return c->renders;
}

int text_line_height(text_cache *c, int size)
{
	return TTF_FontLineSkip(c->font[0][size]);
}

static uint64_t fnv1a(const char *s, uint64_t h)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

SDL_Texture *text_get(text_cache *c, const char *text, int size, bool bold, SDL_Color col,
                      int wrap, int *w, int *h)
{
	uint32_t rgba = (uint32_t)col.r << 24 | (uint32_t)col.g << 16 | (uint32_t)col.b << 8 | col.a;
	bool centre = wrap < 0;     /* negative wrap: centred lines */
	uint64_t hash;
	struct entry *e;
	SDL_Surface *surf;
	TTF_Font *font;
	unsigned i;

	if (!text || !*text)
		return NULL;
	if (centre)
		wrap = -wrap;
	hash = fnv1a(text, 0xcbf29ce484222325ull ^ ((uint64_t)size << 56 | (uint64_t)bold << 48 |
	                                             (uint64_t)centre << 47 | (uint64_t)wrap << 24 | rgba));
	for (i = hash & (CACHE_SLOTS - 1);; i = (i + 1) & (CACHE_SLOTS - 1)) {
		e = &c->slot[i];
		if (!e->text)
			break;
		if (e->hash == hash && e->size == size && e->bold == bold && e->rgba == rgba &&
		    e->wrap == wrap && e->centre == centre && strcmp(e->text, text) == 0) {
			*w = e->w;
			*h = e->h;
			return e->tex;
		}
	}
	if (c->used >= CACHE_SLOTS * 3 / 4) {
		/* Rare (after many screens): start again rather than track ages. */
		text_cache_flush(c);
		for (i = hash & (CACHE_SLOTS - 1); c->slot[i].text; i = (i + 1) & (CACHE_SLOTS - 1))
			;
		e = &c->slot[i];
	}
	font = c->font[bold][size];
	TTF_SetFontWrappedAlign(font, centre ? TTF_WRAPPED_ALIGN_CENTER : TTF_WRAPPED_ALIGN_LEFT);
	{
		/* A wrapped texture is as wide as the wrap width: blending all
		 * those transparent pixels on every frame is most of a frame's
		 * cost. A text that fits on one line gets a tight texture. */
		int tw = 0, th = 0;
		bool one_line = !strchr(text, '\n') && TTF_SizeUTF8(font, text, &tw, &th) == 0 && tw <= wrap;

		surf = wrap > 0 && !one_line ? TTF_RenderUTF8_Blended_Wrapped(font, text, col, (Uint32)wrap)
		                             : TTF_RenderUTF8_Blended(font, text, col);
	}
	c->renders++;
	if (!surf)
		return NULL;
	e->tex = SDL_CreateTextureFromSurface(c->r, surf);
	e->w = surf->w;
	e->h = surf->h;
	SDL_FreeSurface(surf);
	if (!e->tex)
		return NULL;
	e->text = strdup(text);
	if (!e->text) {
		SDL_DestroyTexture(e->tex);
		e->tex = NULL;
		return NULL;
	}
	e->hash = hash;
	e->size = size;
	e->bold = bold;
	e->rgba = rgba;
	e->wrap = wrap;
	e->centre = centre;
	c->used++;
	*w = e->w;
	*h = e->h;
	return e->tex;
}
