/* poort.h - the public API of Poort's core library.
 *
 * Every front-end (poortctl, poortd, poort-kiosk, poort-sync, poort-hwd)
 * includes only this header and the domain headers it pulls in. The core
 * owns every rule: who may do what, what is valid, what gets logged.
 *
 * Conventions (see docs/ARCHITECTURE.md):
 * - Names are poort_<object>_<verb>.
 * - Every operation takes the acting account (`actor`) and decides itself
 *   whether it is allowed; a refusal is POORT_E_DENIED and changes nothing.
 * - Every mutating operation is exactly one LMDB write transaction: it
 *   commits whole or not at all, and appends to the change log (and the
 *   audit log) inside that same transaction.
 * - Results that outlive the call are jansson objects the caller owns and
 *   releases with json_decref(). Input objects are borrowed, never stolen.
 * - A failing call may leave a short, untranslated hint (a field name,
 *   "line 12") in poort_error_detail() for the calling thread.
 */
#ifndef POORT_POORT_H
#define POORT_POORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#ifdef __cplusplus
extern "C" {
#endif

#define POORT_MUST_CHECK __attribute__((warn_unused_result))

typedef struct poort poort;   /* an open school store; safe to share between threads */
typedef uint64_t poort_id;    /* ids of every stored entity; 0 is never a valid id */
typedef int32_t poort_day;    /* a calendar date in the school's time zone: days since 1970-01-01 */

/* Acting accounts that are not stored accounts. */
#define POORT_ACTOR_ANONYMOUS ((poort_id)0)          /* nobody identified (kiosk visitor) */
#define POORT_ACTOR_CONSOLE   (~(poort_id)0)         /* root at the box: poortctl */

typedef enum poort_err {
	POORT_OK = 0,
	POORT_E_INVALID,        /* input malformed or a value out of range */
	POORT_E_NOT_FOUND,      /* no such pupil, guardian, account, ... */
	POORT_E_DENIED,         /* the actor may not do this */
	POORT_E_AUTH,           /* wrong credentials */
	POORT_E_LOCKED,         /* too many failed attempts: locked for a while */
	POORT_E_EXISTS,         /* already there (duplicate key, name, login) */
	POORT_E_CONFLICT,       /* the state does not allow it right now */
	POORT_E_NOT_SCHOOL_DAY, /* a weekend, holiday or non-school day */
	POORT_E_TOO_LATE,       /* a deadline has passed */
	POORT_E_NOT_OPEN,       /* not open yet (booking phase) */
	POORT_E_CLOSED,         /* closed (register, booking round) */
	POORT_E_LIMIT,          /* a configured maximum is reached */
	POORT_E_TAKEN,          /* someone else just took it (slot) */
	POORT_E_OVERLAP,        /* it would overlap something the family already has */
	POORT_E_FULL,           /* nothing free any more */
	POORT_E_MODULE_OFF,     /* the school switched this module off */
	POORT_E_DISK_FULL,      /* no space left: nothing was written */
	POORT_E_BUSY,           /* the store is busy (too many readers) */
	POORT_E_VERSION,        /* the store was written by a newer Poort */
	POORT_E_CORRUPT,        /* a stored record cannot be read */
	POORT_E_STORE,          /* any other store failure */
	POORT_E_IO,             /* a file could not be read or written */
	POORT_E_NOMEM
} poort_err;

/* English message for an error, also the gettext msgid. Static string. */
const char *poort_strerror(poort_err err);
/* Stable machine code ("not_found", "denied") for APIs and logs. Static. */
const char *poort_errname(poort_err err);
/* The message for err in language lang ("nl", "en"; NULL or unknown: "nl").
 * Static or catalogue-owned string; do not free. */
const char *poort_message(const char *lang, poort_err err);
/* Translate any msgid through the "poort" gettext domain. Thread-safe. */
const char *poort_gettext(const char *lang, const char *msgid);
/* Hint left by the last failing call in this thread ("" if none). */
const char *poort_error_detail(void);

/* ---- opening a store ---- */

typedef struct poort_options {
	size_t initial_map_size;  /* bytes; 0 = default (64 MiB). Grows by itself. */
	bool read_only;           /* open without write access (check, export) */
	bool no_create;           /* fail with POORT_E_NOT_FOUND if there is no store */
} poort_options;

/* Opens (creating if needed) the school store in directory dir, runs forward
 * schema migrations and clears stale reader slots. opt may be NULL.
 * On success *out is the caller's, released with poort_close(). */
POORT_MUST_CHECK poort_err poort_open(const char *dir, const poort_options *opt, poort **out);
void poort_close(poort *p);

/* The data directory to use: arg if non-NULL, else $POORT_DATA, else
 * /var/lib/poort. Static or borrowed string. */
const char *poort_data_dir(const char *arg);

/* Schema version this program writes. */
#define POORT_SCHEMA_VERSION 1

/* Clock used for every rule (cut-off, deadlines). Defaults to the real time;
 * $POORT_FAKE_NOW="YYYY-MM-DDTHH:MM" (school-local) pins it for tests. */
void poort_set_clock(poort *p, int64_t (*now)(void *arg), void *arg);
int64_t poort_now(poort *p);                 /* unix seconds */

/* ---- dates and times in the school's zone (Europe/Amsterdam) ---- */

/* "YYYY-MM-DD" -> day. POORT_E_INVALID on anything else. */
poort_err poort_day_parse(const char *s, poort_day *out);
/* day -> "YYYY-MM-DD" into buf (at least 11 bytes). Returns buf. */
char *poort_day_format(poort_day d, char *buf);
/* ISO weekday, 1 = Monday ... 7 = Sunday. */
int poort_day_weekday(poort_day d);
/* Local date and minute-of-day of a unix time in Europe/Amsterdam. */
void poort_local_time(int64_t unix_time, poort_day *day, int *minute_of_day);
/* Unix time of local (day, minute) in Europe/Amsterdam. */
int64_t poort_unix_time(poort_day day, int minute_of_day);
/* UTC offset in seconds (3600 or 7200) in force at unix time t. */
int poort_utc_offset(int64_t unix_time);
/* Formats a unix time as local "YYYY-MM-DDTHH:MM:SS+01:00" into buf (>= 32). */
char *poort_time_format(int64_t unix_time, char *buf);
poort_day poort_today(poort *p);

/* ---- whole-store operations ---- */

/* Verifies every invariant; *violations is a new JSON array of
 * {"rule","where","message"} (empty when all is well). */
poort_err poort_check(poort *p, json_t **violations);
/* Writes a consistent, compacted copy of the store to file path while other
 * processes keep writing. Only the console may do this. */
poort_err poort_backup(poort *p, poort_id actor, const char *path);
/* The store's health for administrators (admin/console only): map size and
 * use, readers, record counts, last change sequence, and "kiosk":
 * {"alive_at", "touched_at"} (unix times, see poort_kiosk_report) or null.
 * *out is a new object. */
poort_err poort_stats(poort *p, poort_id actor, json_t **out);

/* A kiosk reports that it is running (call about once a minute) and whether
 * someone touched it since its last report. Device status, not school
 * data: kept out of the change and audit logs. Any process that can open
 * the store may report. */
poort_err poort_kiosk_report(poort *p, bool touched);

#ifdef __cplusplus
}
#endif

#include <poort/school.h>
#include <poort/people.h>
#include <poort/account.h>
#include <poort/absence.h>
#include <poort/attendance.h>
#include <poort/checkin.h>
#include <poort/correction.h>
#include <poort/log.h>
#include <poort/booking.h>

#endif
