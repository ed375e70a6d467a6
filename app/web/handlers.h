/* handlers.h - every handler named in the route table (routes.c).
 * api_*: JSON under /api/v1 (api*.c); page_*: HTML pages (pages.c). */
#ifndef POORTD_HANDLERS_H
#define POORTD_HANDLERS_H
#include "web.h"

/* api.c */
void api_school_get(web_req *r);
void api_school_update(web_req *r);
void api_health(web_req *r);
void api_backup(web_req *r);

/* pages.c */
void page_static(web_req *r);
void page_not_found(web_req *r);
/* Renders assets/web/<name> inside layout.html with ctx (stolen); title is an
 * English msgid. */
void page_render(web_req *r, unsigned status, const char *name, const char *title, json_t *ctx);

#endif
