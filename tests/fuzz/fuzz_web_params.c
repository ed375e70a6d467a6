/* Query strings and application/x-www-form-urlencoded bodies. */
#include "parse.h"
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	web_params p;

	if (web_params_parse(&p, (const char *)data, size) == 0) {
		for (int i = 0; i < p.n; i++) {
			/* every decoded string is valid text and findable */
			if (!web_utf8_ok(p.name[i], strlen(p.name[i])) || web_param(&p, p.name[i]) != p.value[i])
				abort();
		}
		web_params_free(&p);
	}
	return 0;
}
