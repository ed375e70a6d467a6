/* ui.c - layout, widgets and drawing.
 *
 * One unit, em, follows the window (about 18 px on the 7" 800x480 panel,
 * 30 px at 1280x800 or 720x1280); every size derives from it. Touch targets
 * are never smaller than k->target: 48 px and 9 mm at the display's DPI.
 * Colours are chosen for WCAG AA contrast (>= 4.5:1, most >= 7:1).
 */
#include "ui.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const SDL_Color C_BG = { 0xF4, 0xF6, 0xF8, 255 }, C_TEXT = { 0x1B, 0x1F, 0x24, 255 },
	C_MUTED = { 0x4A, 0x55, 0x63, 255 }, C_WHITE = { 255, 255, 255, 255 },
	C_HEADER = { 0x1F, 0x3A, 0x5F, 255 }, C_HEADER_BTN = { 0x2E, 0x54, 0x85, 255 },
	C_HEADER_DOWN = { 0x12, 0x24, 0x3E, 255 }, C_PRIMARY = { 0x0B, 0x5C, 0xAD, 255 },
	C_PRIMARY_DOWN = { 0x06, 0x3A, 0x70, 255 }, C_BORDER = { 0x8A, 0xA4, 0xC2, 255 },
	C_CHOICE_DOWN = { 0xC9, 0xDA, 0xEE, 255 }, C_ERR_BG = { 0xFD, 0xEC, 0xEC, 255 },
	C_ERR = { 0x8C, 0x1D, 0x18, 255 }, C_ERR_LINE = { 0xB3, 0x26, 0x1E, 255 },
	C_NOTE_BG = { 0xFF, 0xF4, 0xCE, 255 }, C_NOTE = { 0x3D, 0x2E, 0x00, 255 },
	C_NOTE_LINE = { 0xC9, 0xA1, 0x00, 255 }, C_OK_BG = { 0xE6, 0xF4, 0xEA, 255 },
	C_OK = { 0x0D, 0x3B, 0x1E, 255 }, C_OK_LINE = { 0x2E, 0x7D, 0x32, 255 };

static const float size_em[FS__COUNT] = { 0.8f, 1.0f, 1.25f, 1.5f, 2.3f };

static int clampi(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

void ui_layout(kiosk *k)
{
	int px[FS__COUNT];
	int mm9 = (int)ceilf(k->dpi * 9.0f / 25.4f);

	SDL_GetRendererOutputSize(k->r, &k->w, &k->h);
	k->portrait = k->h > k->w;
	k->em = clampi((int)lrintf(sqrtf((float)k->w * (float)k->h) / 34.0f), 16, 30);
	k->target = mm9 > 48 ? mm9 : 48;
	for (int s = 0; s < FS__COUNT; s++)
		px[s] = (int)lrintf(size_em[s] * (float)k->em);
	ui_free(k);
	text_cache_free(k->tc);
	k->tc = text_cache_new(k->r, k->font_regular, k->font_bold, px);
	k->dirty = true;
	k->built = false;
}

static int margin(const kiosk *k)
{
	return k->em * 3 / 4;
}

static int gap(const kiosk *k)
{
	return k->em / 2;
}

static int button_h(const kiosk *k)
{
	int h = k->em * 5 / 2;
	return h > k->target ? h : k->target;
}

widget *ui_add(kiosk *k, SDL_Rect r, int style, int size, bool bold, const char *text)
{
	widget *w;

	if (k->nw >= MAX_WIDGETS)
		return &k->wd[MAX_WIDGETS - 1];   /* never with our screens; keeps drawing safe */
	w = &k->wd[k->nw++];
	memset(w, 0, sizeof *w);
	w->r = r;
	w->style = style;
	w->size = size;
	w->bold = bold;
	snprintf(w->text, sizeof w->text, "%s", text ? text : "");
	return w;
}

widget *ui_button(kiosk *k, SDL_Rect r, int style, const char *id, void (*tap)(kiosk *, int),
                  int arg, const char *text)
{
	widget *w = ui_add(k, r, style, style == ST_KEY ? FS_LARGE : FS_BODY, true, text);

	w->id = id;
	w->tap = tap;
	w->arg = arg;
	w->centre = true;
	return w;
}

/* A header button wide enough for its label on one line. */
static int header_w(kiosk *k, const char *label)
{
	int w = 0, h = 0;

	text_get(k->tc, label, FS_BODY, true, C_WHITE, 0, &w, &h);
	w += 2 * k->em;
	return w > k->em * 5 ? w : k->em * 5;
}

static void header_lang(kiosk *k, int arg)
{
	(void)arg;
	k->lang = (k->lang + 1) % kiosk_nlangs;
}

void ui_begin(kiosk *k, bool header_nav)
{
	int hh = k->em * 3 > k->target + 8 ? k->em * 3 : k->target + 8, m = margin(k);
	int bw, x = m, bh = hh - 8, w, h, minute;
	const char *back = T(k, "Back"), *stop = T(k, "Stop");
	const char *lang = kiosk_langs[(k->lang + 1) % kiosk_nlangs].name;
	int64_t now = poort_now(k->p);
	json_t *school = NULL;
	poort_day day;
	char clock[32];

	k->nw = 0;
	ui_add(k, (SDL_Rect){ 0, 0, k->w, hh }, ST_HEADER, FS_BODY, false, "");
	if (header_nav) {
		bw = header_w(k, back);
		ui_button(k, (SDL_Rect){ x, 4, bw, bh }, ST_HEADER_BTN, "nav.back", flow_back, 0, back);
		x += bw + gap(k);
		bw = header_w(k, stop);
		ui_button(k, (SDL_Rect){ x, 4, bw, bh }, ST_HEADER_BTN, "nav.stop", flow_stop, 0, stop);
	} else if (poort_school_get(k->p, POORT_ACTOR_ANONYMOUS, &school) == POORT_OK) {
		/* Anyone may read the school's name: it is on the door as well. */
		const char *name = json_string_value(json_object_get(school, "name"));

		if (name && text_get(k->tc, name, FS_LARGE, true, C_WHITE, 0, &w, &h))
			ui_add(k, (SDL_Rect){ x, (hh - h) / 2, w, h }, ST_HEADER, FS_LARGE, true, name);
	}
	json_decref(school);
	bw = header_w(k, lang);
	ui_button(k, (SDL_Rect){ k->w - m - bw, 4, bw, bh }, ST_HEADER_BTN, "nav.lang", header_lang, 0,
	          lang);
	poort_local_time(now, &day, &minute);
	snprintf(clock, sizeof clock, "%02d:%02d", minute / 60, minute % 60);
	text_get(k->tc, clock, FS_LARGE, true, C_WHITE, 0, &w, &h);
	ui_add(k, (SDL_Rect){ k->w - m - bw - gap(k) - w, (hh - h) / 2, w, h }, ST_HEADER, FS_LARGE,
	       true, clock);
	k->shown_minute = now / 60;
	ui_region(k, (SDL_Rect){ m, hh + m, k->w - 2 * m, k->h - hh - 2 * m });
}

void ui_region(kiosk *k, SDL_Rect r)
{
	k->region = r;
	k->cy = r.y;
}

SDL_Rect ui_rest(kiosk *k)
{
	return (SDL_Rect){ k->region.x, k->cy, k->region.w, k->region.y + k->region.h - k->cy };
}

void ui_gap(kiosk *k, int px)
{
	k->cy += px;
}

static bool panel(int style)
{
	return style == ST_ERROR || style == ST_NOTICE || style == ST_OK;
}

static SDL_Color text_colour(int style, bool pressed)
{
	switch (style) {
	case ST_MUTED: return C_MUTED;
	case ST_ERROR: return C_ERR;
	case ST_NOTICE: return C_NOTE;
	case ST_OK: return C_OK;
	case ST_PRIMARY: case ST_SELECTED: case ST_HEADER: case ST_HEADER_BTN: return C_WHITE;
	default: (void)pressed; return C_TEXT;
	}
}

int ui_text(kiosk *k, const char *text, int style, int size, bool bold, bool centre)
{
	int pad = panel(style) ? k->em * 3 / 4 : 0, wrap = k->region.w - 2 * pad, w = 0, h = 0;
	widget *wd;

	if (!text || !*text)
		return 0;
	text_get(k->tc, text, size, bold, text_colour(style, false), centre ? -wrap : wrap, &w, &h);
	wd = ui_add(k, (SDL_Rect){ k->region.x, k->cy, k->region.w, h + 2 * pad }, style, size, bold,
	            text);
	wd->centre = centre;
	k->cy += h + 2 * pad + gap(k) / 2;
	return h + 2 * pad;
}

void ui_choices(kiosk *k, int n, const char *const ids[], const char *const labels[],
                void (*tap)(kiosk *, int), const int args[], const int styles[], int max_h,
                int min_w)
{
	SDL_Rect rest = ui_rest(k);
	int g = gap(k), cols, rows, bw, bh, avail;

	if (n <= 0)
		return;
	if (min_w < k->target)
		min_w = k->target;
	cols = (rest.w + g) / (min_w + g);
	cols = clampi(cols, 1, n);
	rows = (n + cols - 1) / cols;
	cols = (n + rows - 1) / rows;        /* balance: 4 items as 2x2, not 3+1 */
	avail = max_h > 0 && max_h < rest.h ? max_h : rest.h;
	bw = (rest.w - g * (cols - 1)) / cols;
	bh = (avail - g * (rows - 1)) / rows;
	bh = clampi(bh, k->target, k->em * 6);
	for (int i = 0; i < n; i++) {
		SDL_Rect r = { rest.x + (i % cols) * (bw + g), rest.y + (i / cols) * (bh + g), bw, bh };
		ui_button(k, r, styles ? styles[i] : ST_CHOICE, ids[i], tap, args ? args[i] : i,
		          labels[i])->size = FS_LARGE;
	}
	k->cy += rows * bh + (rows - 1) * g + g;
}

/* Dutch name particles (tussenvoegsels) stay lower case inside a name:
 * "Zoë van 't Hof", "Noor de Jong". */
static bool is_particle(const char *word, size_t n)
{
	static const char *const particles[] = { "van", "de", "der", "den", "het", "'t", "te", "ten",
		                                 "ter", "in", "op", "aan", "bij", "uit", "la", "le", "du",
		                                 "da", "von" };

	for (size_t i = 0; i < sizeof particles / sizeof particles[0]; i++)
		if (strlen(particles[i]) == n && SDL_strncasecmp(word, particles[i], n) == 0)
			return true;
	return false;
}

/* After a space in a name: a particle that is not the first word goes back
 * to lower case (it got its capital as the start of a word). */
static void lower_particle(kiosk *k, size_t space)
{
	size_t start = space;

	while (start > 0 && k->field[start - 1] != ' ')
		start--;
	if (start > 0 && is_particle(k->field + start, space - start) && k->field[start] >= 'A' &&
	    k->field[start] <= 'Z')
		k->field[start] += 0x20;
}

/* c is a code point: ASCII or Latin-1 (the accented keys), stored as UTF-8. */
static void key_type(kiosk *k, int c)
{
	size_t len, n = c < 0x80 ? 1 : 2;

	if (!k->field)
		return;
	len = strlen(k->field);
	if (c == '\b') {
		/* remove one UTF-8 character */
		while (len > 0 && ((unsigned char)k->field[--len] & 0xC0) == 0x80)
			;
		k->field[len] = 0;
	} else if (len + n < k->field_max) {   /* a whole character or none */
		/* A capital to start a note, and to start every word of a name but
		 * its particles. Latin-1 lower case (0xE0-0xFE but the division
		 * sign) is 0x20 above upper. */
		bool word_start = len == 0 || (!k->field_sentence && k->field[len - 1] == ' ');
		if (!k->field_digits && word_start &&
		    ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7)))
			c -= 0x20;
		if (c == ' ' && !k->field_sentence && !k->field_digits)
			lower_particle(k, len);
		if (n == 1) {
			k->field[len] = (char)c;
		} else {
			k->field[len] = (char)(0xC0 | c >> 6);
			k->field[len + 1] = (char)(0x80 | (c & 0x3F));
		}
		k->field[len + n] = 0;
	}
	k->s.error[0] = 0;
}

static void key_mode(kiosk *k, int arg)
{
	(void)arg;
	k->field_alt = !k->field_alt;
}

static const char *const digit_ids[] = { "key.0", "key.1", "key.2", "key.3", "key.4",
	                                 "key.5", "key.6", "key.7", "key.8", "key.9" };

void ui_keypad(kiosk *k, SDL_Rect r, void (*ok)(kiosk *, int), const char *ok_label)
{
	static const char layout[] = "123456789\b0\n";
	int g = gap(k), kw = (r.w - 2 * g) / 3, kh = (r.h - 3 * g) / 4;

	kw = clampi(kw, k->target, k->em * 6);
	kh = clampi(kh, k->target, k->em * 4);
	r.x += (r.w - (3 * kw + 2 * g)) / 2;
	for (int i = 0; i < 12; i++) {
		SDL_Rect kr = { r.x + (i % 3) * (kw + g), r.y + (i / 3) * (kh + g), kw, kh };
		char c = layout[i], label[4] = { c, 0 };

		if (c == '\b')
			ui_button(k, kr, ST_KEY, "key.del", key_type, '\b', "\xE2\x86\x90");   /* ← */
		else if (c == '\n')
			ui_button(k, kr, ST_PRIMARY, "key.ok", ok, 0, ok_label);
		else
			ui_button(k, kr, ST_KEY, digit_ids[c - '0'], key_type, c, label);
	}
}

void ui_keyboard(kiosk *k, SDL_Rect r, void (*ok)(kiosk *, int), const char *ok_label)
{
	/* Code points, 3 rows of 10: letters, or digits and the accented letters
	 * of Dutch and European names (with . and , for times like 10.30). */
	static const int letters[30] = {
		'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p',
		'a', 's', 'd', 'f', 'g', 'h', 'j', 'k', 'l', '\'',
		'z', 'x', 'c', 'v', 'b', 'n', 'm', '-', '.', ',',
	}, accents[30] = {
		'1', '2', '3', '4', '5', '6', '7', '8', '9', '0',
		0xE9, 0xE8, 0xEB, 0xEA, 0xE1, 0xE0, 0xE4, 0xF3, 0xF6, 0xF4,   /* é è ë ê á à ä ó ö ô */
		0xFA, 0xFC, 0xEF, 0xED, 0xE7, 0xF1, 0xF8, 0xE5, '.', ',',     /* ú ü ï í ç ñ ø å */
	};
	static char ids[30][8];
	const int *keys = k->field_alt ? accents : letters;
	int g = gap(k) / 2, kw = (r.w - 9 * g) / 10, kh = (r.h - 3 * g) / 4;

	kh = clampi(kh, k->target, k->em * 3);
	for (int i = 0; i < 30; i++) {
		int c = keys[i];
		char label[3] = { (char)c, 0, 0 };
		SDL_Rect kr = { r.x + i % 10 * (kw + g), r.y + i / 10 * (kh + g), kw, kh };

		if (c >= 0x80) {
			label[0] = (char)(0xC0 | c >> 6);
			label[1] = (char)(0x80 | (c & 0x3F));
		}
		snprintf(ids[i], sizeof ids[0], "key.%s", label);   /* tests tap "key.ë" */
		ui_button(k, kr, ST_KEY, ids[i], key_type, c, label);
	}
	{
		int y = r.y + 3 * (kh + g), wmode = 2 * kw + g, wdel = 2 * kw + g, wok = 3 * kw + 2 * g;
		int wspace = r.w - wmode - wdel - wok - 3 * g;

		ui_button(k, (SDL_Rect){ r.x, y, wmode, kh }, ST_KEY, "key.mode", key_mode, 0,
		          k->field_alt ? "abc" : "123/\xC3\xA9\xC3\xAB")->size = FS_BODY;   /* 123/éë */
		ui_button(k, (SDL_Rect){ r.x + wmode + g, y, wspace, kh }, ST_KEY, "key.space", key_type,
		          ' ', T(k, "space"));
		ui_button(k, (SDL_Rect){ r.x + wmode + wspace + 2 * g, y, wdel, kh }, ST_KEY, "key.del",
		          key_type, '\b', "\xE2\x86\x90");
		ui_button(k, (SDL_Rect){ r.x + r.w - wok, y, wok, kh }, ST_PRIMARY, "key.ok", ok, 0,
		          ok_label);
	}
	k->cy = r.y + 4 * kh + 3 * g;
}

void ui_bottom(kiosk *k, const char *id2, const char *label2, void (*tap2)(kiosk *, int),
               const char *id1, const char *label1, void (*tap1)(kiosk *, int))
{
	int bh = button_h(k), y = k->region.y + k->region.h - bh;
	int bw = k->region.w / 2 - gap(k);

	if (bw > k->em * 14)
		bw = k->em * 14;
	if (label2)
		ui_button(k, (SDL_Rect){ k->region.x, y, bw, bh }, ST_CHOICE, id2, tap2, 0, label2);
	if (label1)
		ui_button(k, (SDL_Rect){ k->region.x + k->region.w - bw, y, bw, bh }, ST_PRIMARY, id1,
		          tap1, 0, label1);
	/* what comes after must stay above the buttons */
	k->region.h = y - gap(k) - k->region.y;
}

/* SDL_FillRect pays a large cost per row (non-temporal stores): 40 small
 * rectangles took 1 ms on the 800x480 panel, nearly the whole frame. So
 * widgets are filled by copying strips of a solid texture of that colour
 * (a plain memcpy per row), 7x cheaper; only the full-screen background,
 * one contiguous span, still uses a fill. */
#define STRIP_H 32

void ui_free(kiosk *k)
{
	for (int i = 0; i < k->nsolid; i++)
		SDL_DestroyTexture(k->solid[i]);
	k->nsolid = 0;
}

static SDL_Texture *solid(kiosk *k, SDL_Color c)
{
	uint32_t rgb = (uint32_t)c.r << 16 | (uint32_t)c.g << 8 | c.b;
	SDL_Surface *s;
	SDL_Texture *t;

	for (int i = 0; i < k->nsolid; i++)
		if (k->solid_rgb[i] == rgb)
			return k->solid[i];
	if (k->nsolid == (int)(sizeof k->solid / sizeof k->solid[0]))
		return NULL;
	s = SDL_CreateRGBSurfaceWithFormat(0, k->w, STRIP_H, 32, SDL_PIXELFORMAT_RGB888);
	if (!s)
		return NULL;
	SDL_FillRect(s, NULL, SDL_MapRGB(s->format, c.r, c.g, c.b));
	t = SDL_CreateTextureFromSurface(k->r, s);
	SDL_FreeSurface(s);
	if (!t)
		return NULL;
	SDL_SetTextureBlendMode(t, SDL_BLENDMODE_NONE);
	k->solid_rgb[k->nsolid] = rgb;
	return k->solid[k->nsolid++] = t;
}

static void fill(kiosk *k, SDL_Rect rc, SDL_Color c)
{
	SDL_Texture *t = solid(k, c);

	if (!t) {
		SDL_SetRenderDrawColor(k->r, c.r, c.g, c.b, 255);
		SDL_RenderFillRect(k->r, &rc);
		return;
	}
	for (int y = 0; y < rc.h; y += STRIP_H) {
		int h = rc.h - y < STRIP_H ? rc.h - y : STRIP_H;
		SDL_Rect src = { 0, 0, rc.w < k->w ? rc.w : k->w, h }, dst = { rc.x, rc.y + y, src.w, h };
		SDL_RenderCopy(k->r, t, &src, &dst);
	}
}

static void frame(kiosk *k, SDL_Rect rc, SDL_Color c, int t)
{
	fill(k, (SDL_Rect){ rc.x, rc.y, rc.w, t }, c);
	fill(k, (SDL_Rect){ rc.x, rc.y + rc.h - t, rc.w, t }, c);
	fill(k, (SDL_Rect){ rc.x, rc.y + t, t, rc.h - 2 * t }, c);
	fill(k, (SDL_Rect){ rc.x + rc.w - t, rc.y + t, t, rc.h - 2 * t }, c);
}

void ui_draw(kiosk *k)
{
	SDL_Renderer *r = k->r;

	SDL_SetRenderDrawColor(r, C_BG.r, C_BG.g, C_BG.b, 255);
	SDL_RenderClear(r);
	for (int i = 0; i < k->nw; i++) {
		widget *w = &k->wd[i];
		bool down = i == k->pressed;
		int pad = 0, tw, th;
		SDL_Texture *tex;

		switch (w->style) {
		case ST_HEADER:
			if (!w->text[0])
				fill(k, w->r, C_HEADER);
			break;
		case ST_HEADER_BTN: fill(k, w->r, down ? C_HEADER_DOWN : C_HEADER_BTN); break;
		case ST_PRIMARY: case ST_SELECTED:
			fill(k, w->r, down ? C_PRIMARY_DOWN : C_PRIMARY);
			break;
		case ST_CHOICE: case ST_KEY:
			fill(k, w->r, down ? C_CHOICE_DOWN : C_WHITE);
			frame(k, w->r, down ? C_PRIMARY : C_BORDER, down ? 4 : 2);
			break;
		case ST_FIELD:
			fill(k, w->r, C_WHITE);
			frame(k, w->r, C_PRIMARY, 3);
			pad = k->em / 2;
			break;
		case ST_ERROR: case ST_NOTICE: case ST_OK:
			fill(k, w->r, w->style == ST_ERROR ? C_ERR_BG : w->style == ST_NOTICE ? C_NOTE_BG : C_OK_BG);
			frame(k, (SDL_Rect){ w->r.x, w->r.y, 6, w->r.h },
			      w->style == ST_ERROR ? C_ERR_LINE : w->style == ST_NOTICE ? C_NOTE_LINE : C_OK_LINE, 6);
			pad = k->em * 3 / 4;
			break;
		default: break;
		}
		if (!w->text[0])
			continue;
		{
			int wrap = w->tap ? w->r.w - k->em : w->r.w - 2 * pad;
			SDL_Color col = text_colour(w->style, down);

			if (w->style == ST_HEADER)
				wrap = 0;
			tex = text_get(k->tc, w->text, w->size, w->bold, col, w->centre ? -wrap : wrap, &tw, &th);
		}
		if (!tex)
			continue;
		{
			SDL_Rect dst = { w->r.x + pad, w->r.y + pad, tw, th };
			if (w->tap || w->style == ST_FIELD) {
				dst.y = w->r.y + (w->r.h - th) / 2;
				if (w->tap)
					dst.x = w->r.x + (w->r.w - tw) / 2;
			} else if (w->centre) {
				dst.x = w->r.x + (w->r.w - tw) / 2;
			}
			if (dst.y < w->r.y)
				dst.y = w->r.y;   /* too long for the button: clip at the bottom */
			SDL_RenderSetClipRect(r, &w->r);
			SDL_RenderCopy(r, tex, NULL, &dst);
			SDL_RenderSetClipRect(r, NULL);
		}
	}
}

int ui_hit(const kiosk *k, int x, int y)
{
	SDL_Point pt = { x, y };

	for (int i = k->nw - 1; i >= 0; i--)
		if (k->wd[i].tap && SDL_PointInRect(&pt, &k->wd[i].r))
			return i;
	return -1;
}
