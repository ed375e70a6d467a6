/* test_routes_spec.c - the route table (app/web/routes.c) and
 * docs/api/openapi.yaml must list the same API operations: a route added
 * in one and not the other fails here. */
#include "test.h"
#include "web.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPS 256

/* "get /api/v1/pupils/{}" entries from the spec's paths: section. The spec
 * is written in the plain block style this reads: two-space path keys,
 * four-space method keys. */
static int spec_ops(const char *yaml, char ops[][160])
{
	char path[128] = "";
	int n = 0;
	bool in_paths = false;

	for (const char *l = yaml; l && *l; ) {
		const char *eol = strchr(l, '\n');
		size_t len = eol ? (size_t)(eol - l) : strlen(l);
		char line[256];
		snprintf(line, sizeof line, "%.*s", (int)(len < 255 ? len : 255), l);
		if (!strncmp(line, "paths:", 6))
			in_paths = true;
		else if (line[0] && line[0] != ' ' && line[0] != '#')
			in_paths = false;
		else if (in_paths && !strncmp(line, "  /", 3) && line[len - 1] == ':') {
			/* normalise {name} to {} */
			char *o = path;
			for (const char *c = line + 2; *c && *c != ':'; c++) {
				if (*c == '{') {
					*o++ = '{';
					*o++ = '}';
					while (*c && *c != '}')
						c++;
				} else {
					*o++ = *c;
				}
			}
			*o = '\0';
		} else if (in_paths && path[0] && !strncmp(line, "    ", 4) && line[4] != ' ') {
			static const char *methods[] = { "get:", "post:", "put:", "patch:", "delete:" };
			for (size_t m = 0; m < 5; m++)
				if (!strcmp(line + 4, methods[m]) && n < MAX_OPS) {
					char meth[8];
					snprintf(meth, sizeof meth, "%s", methods[m]);
					meth[strlen(meth) - 1] = '\0';
					for (char *c = meth; *c; c++)
						*c = (char)toupper((unsigned char)*c);
					snprintf(ops[n++], 160, "%s %s", meth, path);
				}
		}
		l = eol ? eol + 1 : NULL;
	}
	return n;
}

int main(void)
{
	char *yaml = test_read_file(POORT_SOURCE_DIR "/docs/api/openapi.yaml");
	static char ops[MAX_OPS][160];
	size_t nroutes;
	const web_route *rt = web_routes(&nroutes);
	int nops, napi = 0;

	CHECK(yaml != NULL, "docs/api/openapi.yaml is readable");
	nops = spec_ops(yaml, ops);
	CHECK(nops > 0, "the spec lists operations");
	for (size_t i = 0; i < nroutes; i++) {
		char op[160];
		bool found = false;
		if (strncmp(rt[i].pattern, "/api/", 5) != 0)
			continue;
		napi++;
		snprintf(op, sizeof op, "%s %s", rt[i].method, rt[i].pattern);
		for (int k = 0; k < nops && !found; k++)
			found = !strcmp(ops[k], op);
		CHECK(found, "route %s is not in docs/api/openapi.yaml", op);
	}
	for (int k = 0; k < nops; k++) {
		bool found = false;
		for (size_t i = 0; i < nroutes && !found; i++) {
			char op[160];
			snprintf(op, sizeof op, "%s %s", rt[i].method, rt[i].pattern);
			found = !strcmp(ops[k], op);
		}
		CHECK(found, "the spec's %s has no route in app/web/routes.c", ops[k]);
	}
	CHECK(napi == nops, "%d routes, %d operations in the spec", napi, nops);
	free(yaml);
	return test_done("web_routes_spec");
}
