/* csv.h - a small RFC 4180 CSV reader for poortctl import.
 *
 * Input is UTF-8 (a leading BOM is skipped). The separator is ',' or ';',
 * chosen from the header line (Dutch Excel writes ';'). Fields may be quoted
 * with '"'; inside quotes, separators and line breaks are data and '""' is
 * one quote. Lines end in LF or CRLF. Blank lines are skipped. Every record
 * remembers the line it starts on, so errors can name it.
 */
#ifndef POORT_CSV_H
#define POORT_CSV_H

#include <stddef.h>

typedef struct csv_record {
	size_t line;       /* 1-based line where the record starts */
	size_t nfields;
	char **fields;     /* NUL-terminated UTF-8, owned by the csv */
} csv_record;

typedef struct csv {
	char separator;
	size_t nrecords;   /* records[0] is the header row */
	csv_record *records;
} csv;

/* Why parsing stopped. */
typedef struct csv_error {
	size_t line;
	char message[128];  /* English, short: "invalid UTF-8", "unterminated quote" */
} csv_error;

/* Input larger than this is refused (a school's file is far smaller). */
#define CSV_MAX_INPUT ((size_t)64 << 20)

/* Parses buf[0..len). On success returns 0 and *out holds the records
 * (release with csv_free). On failure returns -1, *out is empty and *err
 * names the line and the problem. */
int csv_parse(const char *buf, size_t len, csv *out, csv_error *err);
void csv_free(csv *c);

#endif
