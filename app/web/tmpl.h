/* tmpl.h - a tiny template renderer with auto-escaping by default.
 *
 *   {{name}} {{a.b}} {{.}}   the value, HTML-escaped (strings, numbers)
 *   {{{name}}}               raw: only for HTML this program rendered itself
 *   {{#name}}..{{/name}}     array: once per element; object: once inside it;
 *                            other true values: once; false/null/""/[]/{}: never
 *   {{^name}}..{{/name}}     once when name is false, null, "", 0, [] or {}
 *   {{_ English text}}       the text translated (poort_gettext), escaped
 * Names are looked up from the innermost context outwards. */
#ifndef POORTD_TMPL_H
#define POORTD_TMPL_H
#include <jansson.h>
#include <stddef.h>

/* Renders src with ctx (borrowed) in language lang. Returns a new string
 * (caller frees) with its length in *len, or NULL on a template error or
 * out of memory. */
char *tmpl_render(const char *src, size_t srclen, const json_t *ctx, const char *lang, size_t *len);

#endif
