/* test_kiosk_screens.c - every screen at 800x480, 1280x800 and 720x1280, in
 * Dutch and English: compared with the golden images (800x480 nl, 1280x800
 * en, 720x1280 nl), touch targets measured on every screen, and all of them
 * put together on one contact sheet (<build>/tests/kiosk/contact-sheet.png)
 * for people to look at. */
#include "harness.h"

#include <dirent.h>

static const struct size {
	int w, h;
} sizes[] = { { 800, 480 }, { 1280, 800 }, { 720, 1280 } };
static const char *const langs[] = { "nl", "en" };

static char prefix[32];
static bool compare;
static char names[256][96];
static int nnames;

/* Screenshot, and every touch target at least 48 px and 9 mm. */
static void look(harness *h, const char *screen)
{
	char name[96];
	int mw, mh;

	snprintf(name, sizeof name, "%s-%s", prefix, screen);
	if (kiosk_min_target(h->k, &mw, &mh) > 0)
		CHECK(mw >= kiosk_target_px(h->k) && mh >= kiosk_target_px(h->k),
		      "%s: a touch target of %dx%d px, smaller than %d px", name, mw, mh,
		      kiosk_target_px(h->k));
	if (compare)
		harness_golden(h, name);
	else
		harness_shot(h, name);
	if (nnames < 256)
		snprintf(names[nnames++], sizeof names[0], "%s", name);
}

static void tour(harness *h)
{
	char card[64];

	look(h, "start");
	harness_tap(h, "start.checkin");
	look(h, "checkin");
	harness_tap(h, "checkin.pickup");
	harness_type(h, "1000");
	look(h, "code");
	harness_type(h, "01");
	harness_tap(h, "key.ok");
	harness_type(h, "999");
	look(h, "pin");
	harness_type(h, "99");
	harness_tap(h, "key.ok");
	look(h, "code-wrong");
	harness_type(h, MARIEKE_CODE);
	harness_tap(h, "key.ok");
	harness_type(h, MARIEKE_PIN);
	harness_tap(h, "key.ok");
	look(h, "child");
	harness_tap(h, "child.0");
	look(h, "pickup-who");
	harness_tap(h, "adult.other");
	harness_type(h, "Jan Smit");
	look(h, "pickup-name");
	harness_tap(h, "key.ok");
	look(h, "pickup-refused");
	harness_tap(h, "done.ok");

	harness_tap(h, "start.absence");
	harness_scan(h, MARIEKE_CARD);
	harness_tap(h, "child.1");
	look(h, "absence-day");
	harness_tap(h, "absence.other");
	harness_tap(h, "day.1");
	harness_tap(h, "day.3");
	look(h, "absence-range");
	harness_tap(h, "range.next");
	look(h, "absence-reason");
	harness_tap(h, "reason.other");
	harness_type(h, "bruiloft oma");
	look(h, "absence-note");
	harness_wait(h, 61000);
	look(h, "idle-warning");
	harness_tap(h, "idle.continue");
	harness_tap(h, "key.ok");
	look(h, "absence-done");
	harness_tap(h, "done.ok");

	harness_now(h, "2026-11-23T09:10");
	harness_tap(h, "start.absence");
	harness_scan(h, MARIEKE_CARD);
	harness_tap(h, "child.0");
	harness_tap(h, "absence.today");
	harness_tap(h, "reason.sick");
	harness_tap(h, "note.skip");
	look(h, "absence-late");
	harness_tap(h, "done.ok");
	harness_now(h, "2026-11-23T08:05");

	harness_tap(h, "start.checkin");
	harness_tap(h, "checkin.visitor_in");
	harness_type(h, "Els Kok");
	look(h, "visitor-name");
	harness_tap(h, "key.mode");        /* digits and accented letters */
	look(h, "visitor-name-accents");
	harness_tap(h, "key.ok");
	harness_type(h, "juf Anna");
	harness_tap(h, "key.ok");
	look(h, "visitor-in");
	harness_tap(h, "done.ok");
	harness_tap(h, "start.checkin");
	harness_tap(h, "checkin.visitor_out");
	look(h, "visitor-out");

	harness_tap(h, "nav.stop");

	harness_round(h);
	harness_scan(h, MARIEKE_CARD);
	harness_tap(h, "start.book");
	look(h, "book-home");
	harness_tap(h, "book.child.1");
	look(h, "book-slots");
	harness_tap(h, "nav.back");
	harness_tap(h, "book.siblings");
	look(h, "book-siblings");
	harness_tap(h, "proposal.0");
	look(h, "book-done");
	harness_tap(h, "done.ok");
	harness_tap(h, "start.book");
	harness_type(h, FATMA_CODE);
	harness_tap(h, "key.ok");
	harness_type(h, FATMA_PIN);
	harness_tap(h, "key.ok");
	harness_tap(h, "book.child.0");
	look(h, "book-full");
	harness_tap(h, "nav.stop");

	/* a card of its own per run: the core counts failures per identifier */
	snprintf(card, sizeof card, "onbekende-kaart-%s", prefix);
	harness_scan(h, card);
	look(h, "card-unknown");
}

/* Thumbnails of every screen: one block per size and language, PER_ROW
 * thumbnails to a row. */
static void contact_sheet(void)
{
	enum { TH = 200, PAD = 8, PER_ROW = 7 };
	int per = nnames / 6, rows = (per + PER_ROW - 1) / PER_ROW, sheet_w = 0, sheet_h = PAD;
	SDL_Surface *sheet;
	char path[2048];

	for (int b = 0; b < 6; b++) {
		const struct size *s = &sizes[b / 2];
		int w = PAD + PER_ROW * (s->w * TH / s->h + PAD);
		if (w > sheet_w)
			sheet_w = w;
	}
	sheet_h = PAD + 6 * (rows * (TH + PAD) + 2 * PAD);
	sheet = SDL_CreateRGBSurfaceWithFormat(0, sheet_w, sheet_h, 24, SDL_PIXELFORMAT_RGB24);
	SDL_FillRect(sheet, NULL, SDL_MapRGB(sheet->format, 0x50, 0x50, 0x50));
	for (int i = 0; i < nnames; i++) {
		int b = i / per, j = i % per;
		SDL_Surface *img;
		SDL_Rect dst;

		snprintf(path, sizeof path, "%s/tests/kiosk/screens/%.95s.png", POORT_BINARY_DIR, names[i]);
		img = png_read(path);
		CHECK(img != NULL, "cannot read %s", path);
		if (!img)
			continue;
		dst.w = img->w * TH / img->h;
		dst.h = TH;
		dst.x = PAD + (j % PER_ROW) * (dst.w + PAD);
		dst.y = PAD + b * (rows * (TH + PAD) + 2 * PAD) + (j / PER_ROW) * (TH + PAD);
		SDL_BlitScaled(img, NULL, sheet, &dst);
		SDL_FreeSurface(img);
	}
	snprintf(path, sizeof path, "%s/tests/kiosk/contact-sheet.png", POORT_BINARY_DIR);
	CHECK(png_write(path, sheet), "cannot write %s", path);
	printf("contact sheet: %s\n", path);
	SDL_FreeSurface(sheet);
}

int main(void)
{
	for (size_t s = 0; s < 3; s++) {
		for (size_t l = 0; l < 2; l++) {
			harness h;

			snprintf(prefix, sizeof prefix, "%dx%d-%s", sizes[s].w, sizes[s].h, langs[l]);
			compare = (s == 0 && l == 0) || (s == 1 && l == 1) || (s == 2 && l == 0);
			harness_open(&h, "kiosk-screens", sizes[s].w, sizes[s].h, langs[l], "2026-11-23T08:05");
			tour(&h);
			harness_close(&h);
		}
	}
	contact_sheet();
	TTF_Quit();
	SDL_Quit();
	return test_done("kiosk_screens");
}
