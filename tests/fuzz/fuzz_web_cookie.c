/* Cookie headers. */
#include "parse.h"
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *h = malloc(size + 1), out[64];
	int n;

	memcpy(h, data, size);
	h[size] = '\0';
	n = web_cookie_get(h, "__Host-poort", out, sizeof out);
	if (n >= 0 && (size_t)n != strlen(out))
		abort();
	web_cookie_get(h, "lang", out, 3);
	free(h);
	return 0;
}
