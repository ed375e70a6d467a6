/* main.c - poort-kiosk: the touchscreen at the school entrance. */
#include "kiosk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"Usage: poort-kiosk [--data DIR] [--window WxH] [--lang nl|en] [--dpi N]\n"
	"                   [--accelerated] [--font REGULAR.otf --font-bold BOLD.otf]\n"
	"\n"
	"The touchscreen for parents and visitors at the school entrance. Opens the\n"
	"school's store directly (no network). Full screen unless --window is given.\n"
	"Runs on X11, Wayland or KMSDRM (no desktop): SDL chooses, or set\n"
	"SDL_VIDEODRIVER=kmsdrm|x11|wayland.\n"
	"\n"
	"  --data DIR      the store (default: $POORT_DATA, else /var/lib/poort)\n"
	"  --window WxH    a window of that size for development (e.g. 800x480,\n"
	"                  1280x800, 720x1280); Esc closes it\n"
	"  --lang CODE     the language to start in and return to (default nl)\n"
	"  --dpi N         the display's pixel density, when it does not report it;\n"
	"                  touch targets are at least 9 mm and 48 px\n"
	"  --accelerated   use a GPU renderer instead of SDL's software renderer\n"
	"  --font FILE, --font-bold FILE\n"
	"                  font files (default: Inter from fonts-inter, else DejaVu Sans)\n"
	"  --help          this text\n";

int main(int argc, char **argv)
{
	kiosk_options opt = { 0 };
	kiosk *k = NULL;
	poort_err err;
	int status;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, stdout);
			return 0;
		} else if (strcmp(a, "--accelerated") == 0) {
			opt.accelerated = true;
		} else if (!v) {
			fprintf(stderr, "poort-kiosk: %s needs a value (see --help)\n", a);
			return 2;
		} else if (strcmp(a, "--data") == 0) {
			opt.data_dir = v, i++;
		} else if (strcmp(a, "--window") == 0) {
			if (sscanf(v, "%dx%d", &opt.width, &opt.height) != 2 || opt.width < 320 ||
			    opt.height < 320 || opt.width > 8192 || opt.height > 8192) {
				fprintf(stderr, "poort-kiosk: --window wants WxH, e.g. 800x480\n");
				return 2;
			}
			i++;
		} else if (strcmp(a, "--lang") == 0) {
			if (strcmp(v, "nl") != 0 && strcmp(v, "en") != 0) {
				fprintf(stderr, "poort-kiosk: --lang is nl or en\n");
				return 2;
			}
			opt.lang = v, i++;
		} else if (strcmp(a, "--dpi") == 0) {
			opt.dpi = strtof(v, NULL), i++;
			if (opt.dpi < 50 || opt.dpi > 1000) {
				fprintf(stderr, "poort-kiosk: --dpi wants a number between 50 and 1000\n");
				return 2;
			}
		} else if (strcmp(a, "--font") == 0) {
			opt.font_regular = v, i++;
		} else if (strcmp(a, "--font-bold") == 0) {
			opt.font_bold = v, i++;
		} else {
			fprintf(stderr, "poort-kiosk: unknown option %s (see --help)\n", a);
			return 2;
		}
	}
	if (SDL_Init(SDL_INIT_VIDEO) != 0) {
		fprintf(stderr, "poort-kiosk: no display: %s\n", SDL_GetError());
		return 1;
	}
	err = kiosk_create(&opt, &k);
	if (err) {
		fprintf(stderr, "poort-kiosk: %s (%s)\n", poort_strerror(err), poort_error_detail());
		SDL_Quit();
		return 1;
	}
	status = kiosk_run(k);
	kiosk_destroy(k);
	TTF_Quit();
	SDL_Quit();
	return status;
}
