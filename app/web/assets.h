/* assets.h - templates and static files, loaded once at start. */
#ifndef POORTD_ASSETS_H
#define POORTD_ASSETS_H
#include <stdbool.h>
#include <stddef.h>

/* Loads the templates in dir/web and the files in dir/web/static. 0 or -1. */
int assets_load(const char *dir);
void assets_free(void);
/* The bytes of a template ("today.html") or static file; NULL if none.
 * Valid until assets_free(). */
const char *asset_get(const char *name, bool is_static, size_t *len);

/* Content type by file name. Static string. */
const char *asset_type(const char *name);
/* The prebuilt response of a static file, NULL if none. */
struct MHD_Response;
struct MHD_Response *asset_response(const char *name, size_t *len);

#endif
