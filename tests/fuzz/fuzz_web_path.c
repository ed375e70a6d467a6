/* Request paths against route patterns, ids, Accept-Language. */
#include "parse.h"
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *patterns[] = { "/api/v1/pupils/{}", "/api/v1/pupils/{}/absences/{}",
	                                  "/static/{}", "/api/v1/register/{}/groups/{}/close" };
	char *s = malloc(size + 1);
	web_path_args a;

	memcpy(s, data, size);
	s[size] = '\0';
	for (size_t i = 0; i < sizeof patterns / sizeof *patterns; i++) {
		int n = web_path_match(patterns[i], s, a);
		for (int k = 0; k < n; k++)
			if (!strcmp(a[k], "..") || !strcmp(a[k], ".") || strchr(a[k], '/') || !a[k][0])
				abort();
	}
	web_parse_id(s);
	const char *l = web_lang_pick(s);
	if (strcmp(l, "nl") && strcmp(l, "en"))
		abort();
	free(s);
	return 0;
}
