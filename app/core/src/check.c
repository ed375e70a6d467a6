/* check.c - poortctl check: every invariant, domain by domain. */
#include "core.h"

#include <stdarg.h>
#include <stdio.h>

typedef poort_err (*check_fn)(tx *t, json_t *violations);

/* One entry per domain that owns invariants. */
static const struct {
	const char *domain;
	check_fn fn;
} checks[] = {
	{ "school", school_check },
	{ "people", people_check },
	{ "account", account_check },
	{ "absence", absence_check },
	{ "attendance", attendance_check },
	{ "checkin", checkin_check },
	{ "correction", correction_check },
	{ "booking", booking_check },
};

void check_report(json_t *violations, const char *rule, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	json_array_append_new(violations, json_pack("{ss ss}", "rule", rule, "message", msg));
}

static poort_err check_op(tx *t, void *arg)
{
	poort_err err;

	for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++)
		if ((err = checks[i].fn(t, arg)))
			return fail(err, "check %s: %s", checks[i].domain, poort_error_detail());
	return POORT_OK;
}

poort_err poort_check(poort *p, json_t **violations)
{
	json_t *v = json_array();
	poort_err err = tx_read(p, POORT_ACTOR_CONSOLE, check_op, v);

	*violations = result_if_ok(err, v);
	return err;
}
