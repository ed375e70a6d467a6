/* absence.h - absence reports (ziekmelden). */
#ifndef POORT_ABSENCE_H
#define POORT_ABSENCE_H
#include <poort/poort.h>

typedef enum poort_absence_reason {
	POORT_REASON_SICK = 1,
	POORT_REASON_DOCTOR,   /* doctor or dentist */
	POORT_REASON_OTHER     /* a note is required */
} poort_absence_reason;

const char *poort_reason_name(poort_absence_reason r);   /* "sick", "doctor", "other" */
poort_err poort_reason_parse(const char *s, poort_absence_reason *out);

/* A guardian (with portal access to the pupil), or an administrator taking a
 * parent's phone call, reports the pupil absent from day `from` to day `to`
 * (inclusive, at most 60 days: POORT_E_INVALID). Every day must be today or
 * later (else POORT_E_TOO_LATE); the school days in the range are recorded,
 * and a range holding no school day - or a single day that is not one - is
 * POORT_E_NOT_SCHOOL_DAY. Reporting a day again updates that day's report
 * (and clears its acknowledgement). A report for today after the cut-off is
 * accepted and marked late. Module "absence" off: POORT_E_MODULE_OFF (also
 * for cancel and acknowledge; the list stays readable). Audited.
 * *result: {"days": ["YYYY-MM-DD"...], "late": bool, "call_school": bool,
 *           "updated": n (days that already had a report)}. */
poort_err poort_absence_report(poort *p, poort_id actor, poort_id pupil, poort_day from,
                               poort_day to, poort_absence_reason reason, const char *note,
                               json_t **result);

/* Cancels the report for one day; only before that day starts (so not on
 * the day itself: POORT_E_TOO_LATE). A guardian of the pupil, or an admin. */
poort_err poort_absence_cancel(poort *p, poort_id actor, poort_id pupil, poort_day day);

/* A teacher of the pupil's group (or ib/director/admin) acknowledges. */
poort_err poort_absence_acknowledge(poort *p, poort_id actor, poort_id pupil, poort_day day);

/* Reports for one day the actor may see: staff by group (group 0 = all
 * groups the actor teaches, or all for ib/director/admin), parents their own
 * children. [{"pupil","pupil_name","group","day","reason","note","late",
 *             "reported_by","reported_at","acknowledged_by"}]. */
poort_err poort_absence_list(poort *p, poort_id actor, poort_day day, poort_id group, json_t **out);

/* Texts for front-ends: English msgids, shown with poort_gettext(lang, msgid);
 * Dutch in assets/locale/nl/daily.po. CALL_SCHOOL answers a report with "call_school". */
#define POORT_MSG_ABSENCE_RECEIVED "Your absence report has been received."
#define POORT_MSG_ABSENCE_CALL_SCHOOL \
	"Your absence report has been received. Because it is past the reporting time, please also phone the school."
#define POORT_MSG_ABSENCE_CANCELLED "The absence report has been withdrawn."
#define POORT_MSG_ABSENCE_NOTE_NEEDED "Please add a short explanation."
#define POORT_LABEL_REASON_SICK "Sick"
#define POORT_LABEL_REASON_DOCTOR "Doctor or dentist"
#define POORT_LABEL_REASON_OTHER "Other"

#endif
