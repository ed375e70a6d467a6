/* Bounded request bodies fed in pieces, then checked as UTF-8 and JSON the
 * way api_body() does. */
#include "parse.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	web_body b = { .limit = 4096 };
	size_t step = size ? (size_t)data[0] % 64 + 1 : 1;

	for (size_t off = 0; off < size; off += step)
		if (web_body_append(&b, (const char *)data + off, size - off < step ? size - off : step) != 0)
			break;
	if (!b.too_large && b.len > b.limit)
		abort();
	if (b.data && web_utf8_ok(b.data, b.len)) {
		json_t *j = json_loadb(b.data, b.len, JSON_REJECT_DUPLICATES, NULL);
		json_decref(j);
	}
	web_body_free(&b);
	return 0;
}
