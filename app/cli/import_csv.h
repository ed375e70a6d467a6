/* import_csv.h - CSV files -> one school document for poort_import, with
 * file, line and column for every error. Used by poortctl import and by
 * poortd's import page (docs/cli/poortctl-import.md lists the columns). */
#ifndef POORT_IMPORT_CSV_H
#define POORT_IMPORT_CSV_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct import_csv import_csv;

/* Where and why reading failed. msgid is an English gettext msgid (callers
 * translate it); when got/want are set the message reads
 * "<got> <msgid> <want>". */
typedef struct import_problem {
	char file[256];
	size_t line;             /* 0: not tied to a line */
	char column[64];         /* the Dutch header, "" if none */
	const char *msgid;
	size_t got, want;
	char csv_message[128];   /* storage for the CSV reader's msgid */
	size_t records;          /* records read from the last file */
} import_problem;

/* A new, empty document; the caller frees it with import_csv_free(). */
import_csv *import_csv_new(void);
void import_csv_free(import_csv *st);
/* groups, pupils, guardians, staff, links (or the Dutch names). */
bool import_csv_kind_known(const char *name);
/* Adds the records of one CSV file (buf is borrowed) of a kind. 0, or -1
 * with *pr saying where and why; after a failure the document is not
 * complete and must not be imported. */
int import_csv_add(import_csv *st, const char *kind, const char *file, const char *buf, size_t len,
                   import_problem *pr);
/* The document for poort_import (borrowed). */
const json_t *import_csv_doc(const import_csv *st);
/* Maps the core's error detail ("pupils[12].birth_date") to file, line and
 * column; false if the detail names no record. */
bool import_csv_locate(const import_csv *st, const char *detail, import_problem *pr);

#endif
