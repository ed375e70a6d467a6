/* error.c - the one error enum's messages, and gettext for every front-end. */
#include "core.h"

#include <libintl.h>
#include <locale.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define N_(s) s

const char *poort_strerror(poort_err err)
{
	switch (err) {
	case POORT_OK: return N_("OK");
	case POORT_E_INVALID: return N_("Some of the information is not valid.");
	case POORT_E_NOT_FOUND: return N_("That could not be found.");
	case POORT_E_DENIED: return N_("You are not allowed to do this.");
	case POORT_E_AUTH: return N_("The login details are not correct.");
	case POORT_E_LOCKED: return N_("Too many wrong attempts. Please try again later.");
	case POORT_E_EXISTS: return N_("This already exists.");
	case POORT_E_CONFLICT: return N_("This is not possible right now.");
	case POORT_E_NOT_SCHOOL_DAY: return N_("That day is not a school day.");
	case POORT_E_TOO_LATE: return N_("The deadline for this has passed.");
	case POORT_E_NOT_OPEN: return N_("This is not open yet.");
	case POORT_E_CLOSED: return N_("This is closed.");
	case POORT_E_LIMIT: return N_("The maximum has been reached.");
	case POORT_E_TAKEN: return N_("Someone else has just taken this.");
	case POORT_E_OVERLAP: return N_("This overlaps with something you already have.");
	case POORT_E_FULL: return N_("Everything is taken.");
	case POORT_E_MODULE_OFF: return N_("The school has switched this off.");
	case POORT_E_DISK_FULL: return N_("The disk is full; nothing was saved.");
	case POORT_E_BUSY: return N_("The system is busy. Please try again.");
	case POORT_E_VERSION: return N_("The data was written by a newer version of Poort.");
	case POORT_E_CORRUPT: return N_("Stored data is damaged.");
	case POORT_E_STORE: return N_("The data could not be saved or read.");
	case POORT_E_IO: return N_("A file could not be read or written.");
	case POORT_E_NOMEM: return N_("Out of memory.");
	}
	return N_("Unknown error.");
}

const char *poort_errname(poort_err err)
{
	switch (err) {
	case POORT_OK: return "ok";
	case POORT_E_INVALID: return "invalid";
	case POORT_E_NOT_FOUND: return "not_found";
	case POORT_E_DENIED: return "denied";
	case POORT_E_AUTH: return "auth";
	case POORT_E_LOCKED: return "locked";
	case POORT_E_EXISTS: return "exists";
	case POORT_E_CONFLICT: return "conflict";
	case POORT_E_NOT_SCHOOL_DAY: return "not_school_day";
	case POORT_E_TOO_LATE: return "too_late";
	case POORT_E_NOT_OPEN: return "not_open";
	case POORT_E_CLOSED: return "closed";
	case POORT_E_LIMIT: return "limit";
	case POORT_E_TAKEN: return "taken";
	case POORT_E_OVERLAP: return "overlap";
	case POORT_E_FULL: return "full";
	case POORT_E_MODULE_OFF: return "module_off";
	case POORT_E_DISK_FULL: return "disk_full";
	case POORT_E_BUSY: return "busy";
	case POORT_E_VERSION: return "version";
	case POORT_E_CORRUPT: return "corrupt";
	case POORT_E_STORE: return "store";
	case POORT_E_IO: return "io";
	case POORT_E_NOMEM: return "nomem";
	}
	return "unknown";
}

/* gettext picks the catalogue from the calling thread's locale, so each
 * language gets its own locale object and a thread switches with
 * uselocale() for the duration of one lookup. English is the msgid itself. */
static pthread_once_t i18n_once = PTHREAD_ONCE_INIT;
static locale_t nl_locale;

static void i18n_init(void)
{
	const char *dir = getenv("POORT_LOCALEDIR");

	/* $LANGUAGE would override the per-thread locale in glibc's gettext. */
	unsetenv("LANGUAGE");
	bindtextdomain("poort", dir && *dir ? dir : POORT_LOCALEDIR);
	bind_textdomain_codeset("poort", "UTF-8");
	nl_locale = newlocale(LC_MESSAGES_MASK, "nl_NL.UTF-8", (locale_t)0);
}

const char *poort_gettext(const char *lang, const char *msgid)
{
	locale_t old;
	const char *s;

	if (lang && strncmp(lang, "en", 2) == 0)
		return msgid;
	pthread_once(&i18n_once, i18n_init);
	if (!nl_locale)
		return msgid;   /* nl_NL.UTF-8 not generated: English rather than nothing */
	old = uselocale(nl_locale);
	s = dgettext("poort", msgid);
	uselocale(old);
	return s;
}

const char *poort_message(const char *lang, poort_err err)
{
	return poort_gettext(lang, poort_strerror(err));
}

static __thread char detail[512];

const char *poort_error_detail(void)
{
	return detail;
}

void detail_clear(void)
{
	detail[0] = 0;
}

poort_err fail(poort_err err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	return err;
}
