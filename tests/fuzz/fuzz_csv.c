/* libFuzzer target for poortctl's CSV reader (app/cli/csv.c).
 * Build: cmake --preset fuzz && cmake --build --preset fuzz
 * Run:   build/fuzz/tests/fuzz/fuzz_csv tests/fuzz/corpus/csv -max_total_time=60 */
#include "csv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	csv c;
	csv_error err;

	if (csv_parse((const char *)data, size, &c, &err) == 0) {
		/* Every field is a NUL-terminated string inside the input's size. */
		for (size_t r = 0; r < c.nrecords; r++)
			for (size_t f = 0; f < c.records[r].nfields; f++)
				if (strlen(c.records[r].fields[f]) > size)
					abort();
		csv_free(&c);
	} else if (err.line == 0 && size <= CSV_MAX_INPUT) {
		abort();   /* every error names a line */
	}
	return 0;
}
