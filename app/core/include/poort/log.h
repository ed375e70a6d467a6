/* log.h - the audit log and the change log.
 *
 * Audit log: who did or read what and when. Every read of medical data,
 * every refused pick-up, every login failure lockout is there.
 * Change log: every committed change, with a gap-free sequence number
 * assigned in the same write transaction (sync builds on it).
 */
#ifndef POORT_LOG_H
#define POORT_LOG_H
#include <poort/poort.h>

/* Audit entries, newest first. filter (may be NULL): {"actor": id,
 * "action": "medical.read", "subject": id, "from": unix, "to": unix,
 * "limit": n (default 100, max 1000), "before": seq}.
 * [{"seq","at","actor","action","subject","detail"}]. Administrator/console. */
poort_err poort_audit_query(poort *p, poort_id actor, const json_t *filter, json_t **out);

/* Change log entries with seq > after, at most max:
 * [{"seq","at","actor","db","key","value"|null}]. Console only (sync). */
poort_err poort_changelog_read(poort *p, poort_id actor, uint64_t after, unsigned max, json_t **out);

#endif
