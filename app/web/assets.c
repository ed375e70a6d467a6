/* assets.c - templates (assets/web, .html) and static files (assets/web/static)
 * read once at start and served from memory. */
#include "web.h"
#include "assets.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ASSETS_MAX 64

static struct asset {
	char name[64];
	char *data;
	size_t len;
	bool is_static;
	struct MHD_Response *resp;   /* static files: built once */
} assets[ASSETS_MAX];
static int nassets;

const char *asset_type(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (!dot) return "application/octet-stream";
	if (!strcmp(dot, ".css")) return "text/css; charset=utf-8";
	if (!strcmp(dot, ".js")) return "text/javascript; charset=utf-8";
	if (!strcmp(dot, ".svg")) return "image/svg+xml";
	if (!strcmp(dot, ".png")) return "image/png";
	if (!strcmp(dot, ".ico")) return "image/x-icon";
	return "application/octet-stream";
}

struct MHD_Response *asset_response(const char *name, size_t *len)
{
	for (int i = 0; i < nassets; i++)
		if (assets[i].is_static && strcmp(assets[i].name, name) == 0) {
			*len = assets[i].len;
			return assets[i].resp;
		}
	return NULL;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && n < 4 * 1024 * 1024 &&
	    fseek(f, 0, SEEK_SET) == 0 && (b = malloc((size_t)n + 1))) {
		if (fread(b, 1, (size_t)n, f) != (size_t)n) {
			free(b);
			b = NULL;
		} else {
			b[n] = '\0';
			*len = (size_t)n;
		}
	}
	fclose(f);
	return b;
}

static int load_dir(const char *dir, bool is_static)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		struct asset *a;
		size_t nl = strlen(e->d_name);
		if (e->d_name[0] == '.' || nl >= sizeof assets[0].name)
			continue;
		if (!is_static && (nl < 6 || strcmp(e->d_name + nl - 5, ".html") != 0))
			continue;
		if (nassets == ASSETS_MAX)
			break;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		a = &assets[nassets];
		if (!(a->data = slurp(path, &a->len)))
			continue;
		memcpy(a->name, e->d_name, nl + 1);   /* nl < sizeof name, checked above */
		a->is_static = is_static;
		a->resp = is_static ? web_response_static(asset_type(a->name), a->data, a->len) : NULL;
		nassets++;
	}
	closedir(d);
	return 0;
}

int assets_load(const char *dir)
{
	char sub[4096];

	snprintf(sub, sizeof sub, "%s/web", dir);
	if (load_dir(sub, false) != 0) {
		fprintf(stderr, "poortd: no templates in %s\n", sub);
		return -1;
	}
	snprintf(sub, sizeof sub, "%s/web/static", dir);
	load_dir(sub, true);
	return 0;
}

void assets_free(void)
{
	for (int i = 0; i < nassets; i++) {
		if (assets[i].resp)
			MHD_destroy_response(assets[i].resp);
		free(assets[i].data);
	}
	nassets = 0;
}

const char *asset_get(const char *name, bool is_static, size_t *len)
{
	for (int i = 0; i < nassets; i++)
		if (assets[i].is_static == is_static && strcmp(assets[i].name, name) == 0) {
			*len = assets[i].len;
			return assets[i].data;
		}
	return NULL;
}
