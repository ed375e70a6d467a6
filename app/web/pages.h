/* pages.h - helpers shared by the page handlers (pages*.c). */
#ifndef POORTD_PAGES_H
#define POORTD_PAGES_H
#include "web.h"

/* Parses an application/x-www-form-urlencoded body and checks its "csrf"
 * field against the session. Answers 400/403 itself and returns false. */
bool page_form(web_req *r, web_params *f);
/* An error page for a core error, with the right status. */
void page_error(web_req *r, poort_err err);
/* Renders a template alone (no layout): live fragments. Steals ctx. */
void page_fragment(web_req *r, const char *name, json_t *ctx);
/* 303 to a location copied into the request (it must outlive the call). */
void page_redirect_copy(web_req *r, const char *loc);
/* Adds "HH:MM" (local) of the unix time in o[key] as o[as]. */
void page_add_time(json_t *o, const char *key, const char *as);
/* Adds "YYYY-MM-DD" (local) of the unix time in o[key] as o[as]. */
void page_add_day(json_t *o, const char *key, const char *as);
/* Adds "pupil_name" from a pupil list ([{"id","name"}]) for o["pupil"]. */
void page_add_pupil_name(json_t *o, const json_t *pupils);

/* Adds "reason_text": the absence reason in lang. */
void page_add_reason(json_t *o, const char *lang);

#endif
