/* harness.c - see harness.h. */
#include "harness.h"

#include <png.h>
#include <sys/stat.h>

static const char school_doc[] =
	"{\"school\": {\"name\": \"OBS De Regenboog\"},"
	" \"groups\": [{\"name\": \"3\", \"grades\": [3]}, {\"name\": \"5\", \"grades\": [5]}],"
	" \"staff\": [{\"username\": \"anna\", \"name\": \"Anna de Jong\", \"role\": \"teacher\","
	"              \"groups\": [\"3\"], \"password\": \"juf-anna-wachtwoord\"},"
	"             {\"username\": \"piet\", \"name\": \"Piet Vermeulen\", \"role\": \"teacher\","
	"              \"groups\": [\"5\"], \"password\": \"meester-piet-wachtwoord\"}],"
	" \"pupils\": ["
	"  {\"key\": \"L001\", \"first_name\": \"Sanne\", \"middle_name\": \"de\", \"last_name\": \"Vries\","
	"   \"birth_date\": \"2019-04-02\", \"group\": \"3\","
	"   \"pickup_adults\": [{\"name\": \"Kees de Vries\", \"relation\": \"opa\"}]},"
	"  {\"key\": \"L002\", \"first_name\": \"Daan\", \"middle_name\": \"de\", \"last_name\": \"Vries\","
	"   \"birth_date\": \"2017-01-15\", \"group\": \"5\"},"
	"  {\"key\": \"L003\", \"first_name\": \"Noah\", \"last_name\": \"Bakker\","
	"   \"birth_date\": \"2019-09-30\", \"group\": \"3\"},"
	"  {\"key\": \"L004\", \"first_name\": \"Lotte\", \"last_name\": \"Visser\","
	"   \"birth_date\": \"2017-03-12\", \"group\": \"5\"}],"
	" \"guardians\": ["
	"  {\"key\": \"G001\", \"first_name\": \"Marieke\", \"middle_name\": \"de\", \"last_name\": \"Vries\","
	"   \"phone\": \"06-11111111\", \"parent_code\": \"" MARIEKE_CODE "\", \"pin\": \"" MARIEKE_PIN "\","
	"   \"card\": \"" MARIEKE_CARD "\"},"
	"  {\"key\": \"G003\", \"first_name\": \"Fatma\", \"last_name\": \"Bakker\","
	"   \"phone\": \"06-33333333\", \"parent_code\": \"" FATMA_CODE "\", \"pin\": \"" FATMA_PIN "\"},"
	"  {\"key\": \"G004\", \"first_name\": \"Peter\", \"last_name\": \"Visser\","
	"   \"phone\": \"06-44444444\", \"parent_code\": \"100004\", \"pin\": \"44444\"}],"
	" \"links\": ["
	"  {\"pupil\": \"L001\", \"guardian\": \"G001\", \"relation\": \"moeder\"},"
	"  {\"pupil\": \"L002\", \"guardian\": \"G001\", \"relation\": \"moeder\"},"
	"  {\"pupil\": \"L003\", \"guardian\": \"G003\", \"relation\": \"moeder\"},"
	"  {\"pupil\": \"L004\", \"guardian\": \"G004\", \"relation\": \"vader\"}]}";

static uint64_t harness_ticks(void *arg)
{
	return ((harness *)arg)->ms;
}

static void make_kiosk(harness *h, int w, int h_px, const char *lang)
{
	kiosk_options o = { .store = h->p, .width = w, .height = h_px, .lang = lang,
		            .font_regular = HARNESS_FONT, .font_bold = HARNESS_FONT_BOLD,
		            .dpi = 140, .ticks = harness_ticks, .ticks_arg = h };

	h->w = w;
	h->h = h_px;
	E(kiosk_create(&o, &h->k));
	harness_step(h);
}

void harness_open(harness *h, const char *name, int w, int h_px, const char *lang, const char *now)
{
	json_error_t jerr;
	json_t *doc = json_loads(school_doc, 0, &jerr);

	memset(h, 0, sizeof *h);
	if (!doc) {
		fprintf(stderr, "harness: school document: %s (line %d)\n", jerr.text, jerr.line);
		exit(1);
	}
	setenv("SDL_VIDEODRIVER", "dummy", 0);
	setenv("SDL_RENDER_DRIVER", "software", 0);
	if (SDL_WasInit(SDL_INIT_VIDEO) == 0 && SDL_Init(SDL_INIT_VIDEO) != 0) {
		fprintf(stderr, "harness: SDL: %s\n", SDL_GetError());
		exit(1);
	}
	h->dir = test_tmpdir(name);
	E(poort_open(h->dir, NULL, &h->p));
	test_set_now(h->p, now);
	E(poort_import(h->p, POORT_ACTOR_CONSOLE, doc, NULL));
	json_decref(doc);
	h->ms = 1000;
	make_kiosk(h, w, h_px, lang);
}

void harness_reopen(harness *h, int w, int h_px, const char *lang)
{
	kiosk_destroy(h->k);
	make_kiosk(h, w, h_px, lang);
}

void harness_close(harness *h)
{
	kiosk_destroy(h->k);
	poort_close(h->p);
	test_rmdir(h->dir);
	free(h->dir);
	memset(h, 0, sizeof *h);
}

void harness_now(harness *h, const char *local)
{
	test_set_now(h->p, local);
	harness_step(h);
}

void harness_step(harness *h)
{
	kiosk_step(h->k);
}

static void push_finger(harness *h, Uint32 type, int x, int y)
{
	SDL_Event ev = { .type = type };

	ev.tfinger.touchId = 1;
	ev.tfinger.fingerId = 1;
	ev.tfinger.x = ((float)x + 0.5f) / (float)h->w;
	ev.tfinger.y = ((float)y + 0.5f) / (float)h->h;
	ev.tfinger.pressure = 1;
	SDL_PushEvent(&ev);
}

bool harness_tap(harness *h, const char *id)
{
	int x, y;

	if (!kiosk_widget_center(h->k, id, &x, &y)) {
		char *t = kiosk_texts(h->k);
		CHECK(false, "no widget %s on screen %s; texts:\n%s", id, kiosk_screen(h->k), t);
		free(t);
		return false;
	}
	push_finger(h, SDL_FINGERDOWN, x, y);
	h->ms += 80;
	harness_step(h);
	push_finger(h, SDL_FINGERUP, x, y);
	h->ms += 120;
	harness_step(h);
	return true;
}

void harness_type(harness *h, const char *text)
{
	char id[16];
	int x, y;

	for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
		if (*c == ' ') {
			snprintf(id, sizeof id, "key.space");
		} else if (*c == 0xC3 && c[1] >= 0x80 && c[1] <= 0xBF) {
			/* Latin-1 capitals (but the multiplication sign) have their lower case 0x20 up */
			unsigned char lo = c[1] >= 0x80 && c[1] <= 0x9E && c[1] != 0x97 ? c[1] + 0x20 : c[1];
			snprintf(id, sizeof id, "key.\xC3%c", lo);
			c++;
		} else {
			snprintf(id, sizeof id, "key.%c", *c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
		}
		if (!kiosk_widget_center(h->k, id, &x, &y))
			harness_tap(h, "key.mode");   /* the other layout has it */
		harness_tap(h, id);
	}
}

void harness_scan(harness *h, const char *token)
{
	SDL_Event ev;

	for (const char *c = token; *c; c++) {
		memset(&ev, 0, sizeof ev);
		ev.type = SDL_TEXTINPUT;
		ev.text.text[0] = *c;
		SDL_PushEvent(&ev);
	}
	memset(&ev, 0, sizeof ev);
	ev.type = SDL_KEYDOWN;
	ev.key.keysym.sym = SDLK_RETURN;
	ev.key.keysym.scancode = SDL_SCANCODE_RETURN;
	SDL_PushEvent(&ev);
	h->ms += 1;
	harness_step(h);
}

void harness_wait(harness *h, uint64_t ms)
{
	for (uint64_t t = 0; t < ms; t += 1000) {
		h->ms += ms - t < 1000 ? ms - t : 1000;
		harness_step(h);
	}
}

bool harness_on(harness *h, const char *screen)
{
	return strcmp(kiosk_screen(h->k), screen) == 0;
}

bool harness_text(harness *h, const char *text)
{
	return kiosk_has_text(h->k, text);
}

/* ---- PNG ---- */

bool png_write(const char *path, const SDL_Surface *s)
{
	png_image img;

	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	img.width = (png_uint_32)s->w;
	img.height = (png_uint_32)s->h;
	img.format = PNG_FORMAT_RGB;
	return png_image_write_to_file(&img, path, 0, s->pixels, s->pitch, NULL) != 0;
}

SDL_Surface *png_read(const char *path)
{
	png_image img;
	SDL_Surface *s;

	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&img, path))
		return NULL;
	img.format = PNG_FORMAT_RGB;
	s = SDL_CreateRGBSurfaceWithFormat(0, (int)img.width, (int)img.height, 24, SDL_PIXELFORMAT_RGB24);
	if (!s || !png_image_finish_read(&img, NULL, s->pixels, s->pitch, NULL)) {
		png_image_free(&img);
		SDL_FreeSurface(s);
		return NULL;
	}
	return s;
}

static void mkdirs(const char *dir)
{
	char buf[1024];

	snprintf(buf, sizeof buf, "%s", dir);
	for (char *p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			mkdir(buf, 0755);
			*p = '/';
		}
	mkdir(buf, 0755);
}

static void shot(harness *h, const char *name, bool compare);

void harness_golden(harness *h, const char *name)
{
	shot(h, name, true);
}

void harness_shot(harness *h, const char *name)
{
	shot(h, name, false);
}

static void shot(harness *h, const char *name, bool compare)
{
	char gold[2048], copy[2048], diff[2048];
	SDL_Surface *now, *ref;
	const char *update = getenv("POORT_UPDATE_GOLDEN");
	long bad = 0, total;

	kiosk_draw(h->k, true);
	now = kiosk_screenshot(h->k);
	if (!now) {
		CHECK(false, "no screenshot for %s: %s", name, SDL_GetError());
		return;
	}
	snprintf(gold, sizeof gold, "%s/tests/kiosk/golden/%s.png", POORT_SOURCE_DIR, name);
	mkdirs(POORT_BINARY_DIR "/tests/kiosk/screens");
	snprintf(copy, sizeof copy, "%s/tests/kiosk/screens/%s.png", POORT_BINARY_DIR, name);
	CHECK(png_write(copy, now), "cannot write %s", copy);
	if (!compare) {
		SDL_FreeSurface(now);
		return;
	}
	if (update && strcmp(update, "1") == 0) {
		CHECK(png_write(gold, now), "cannot write %s", gold);
		printf("golden written: %s\n", gold);
		SDL_FreeSurface(now);
		return;
	}
	ref = png_read(gold);
	if (!ref) {
		CHECK(false, "no golden image %s (make them with: cmake --build --preset default "
		             "--target kiosk-golden, then look at them)", gold);
		SDL_FreeSurface(now);
		return;
	}
	total = (long)now->w * now->h;
	if (ref->w != now->w || ref->h != now->h) {
		CHECK(false, "%s: golden is %dx%d, frame %dx%d", name, ref->w, ref->h, now->w, now->h);
		goto out;
	}
	for (int y = 0; y < now->h; y++) {
		unsigned char *a = (unsigned char *)now->pixels + y * now->pitch;
		unsigned char *b = (unsigned char *)ref->pixels + y * ref->pitch;
		for (int x = 0; x < now->w * 3; x += 3) {
			if (abs(a[x] - b[x]) > GOLDEN_CHANNEL_TOL || abs(a[x + 1] - b[x + 1]) > GOLDEN_CHANNEL_TOL ||
			    abs(a[x + 2] - b[x + 2]) > GOLDEN_CHANNEL_TOL) {
				bad++;
				/* the diff image: differing pixels in magenta on the frame */
				b[x] = 255, b[x + 1] = 0, b[x + 2] = 255;
			} else {
				b[x] = a[x], b[x + 1] = a[x + 1], b[x + 2] = a[x + 2];
			}
		}
	}
	if ((double)bad > GOLDEN_PIXEL_TOL * (double)total) {
		snprintf(diff, sizeof diff, "%s/tests/kiosk/screens/%s.diff.png", POORT_BINARY_DIR, name);
		png_write(diff, ref);
		CHECK(false, "%s differs from its golden image in %ld of %ld pixels (diff: %s)", name, bad,
		      total, diff);
	}
out:
	SDL_FreeSurface(ref);
	SDL_FreeSurface(now);
}

/* ---- a conversation round ---- */

poort_id harness_staff_id(harness *h, const char *user, const char *password)
{
	poort_id acc;
	json_t *v = NULL;
	poort_id id;

	E(poort_login_password(h->p, user, password, &acc));
	E(poort_account_view(h->p, POORT_ACTOR_CONSOLE, acc, &v));
	id = (poort_id)json_integer_value(json_object_get(v, "staff"));
	json_decref(v);
	return id;
}

static poort_id group_id(harness *h, const char *name)
{
	json_t *list = NULL, *g;
	poort_id id = 0;
	size_t i;

	E(poort_group_list(h->p, POORT_ACTOR_CONSOLE, &list));
	json_array_foreach(list, i, g)
		if (strcmp(json_string_value(json_object_get(g, "name")) ?: "", name) == 0)
			id = (poort_id)json_integer_value(json_object_get(g, "id"));
	json_decref(list);
	return id;
}

/* Anna (group 3) has ONE slot, Piet (group 5) three, on Tuesday evening. */
poort_id harness_round(harness *h)
{
	poort_id round;
	json_t *spec = json_pack(
		"{ss s[II] si si ss ss s[{sI ss ss ss} {sI ss ss ss}]}", "name", "Rapportgesprekken",
		"groups", (json_int_t)group_id(h, "3"), (json_int_t)group_id(h, "5"), "slot_minutes", 10,
		"travel_minutes", 5, "opens", "2026-11-20T08:00", "closes", "2026-11-24T12:00", "windows",
		"staff", (json_int_t)harness_staff_id(h, "anna", "juf-anna-wachtwoord"), "day", "2026-11-24",
		"from", "19:00", "to", "19:10",
		"staff", (json_int_t)harness_staff_id(h, "piet", "meester-piet-wachtwoord"), "day", "2026-11-24",
		"from", "19:00", "to", "19:30");

	E(poort_round_create(h->p, POORT_ACTOR_CONSOLE, spec, &round));
	json_decref(spec);
	return round;
}
