/* attendance.h - the daily attendance register and unexplained absences. */
#ifndef POORT_ATTENDANCE_H
#define POORT_ATTENDANCE_H
#include <poort/poort.h>

typedef enum poort_presence {
	POORT_PRESENT = 1,
	POORT_ABSENT,
	POORT_LATE
} poort_presence;

const char *poort_presence_name(poort_presence s);
poort_err poort_presence_parse(const char *s, poort_presence *out);

/* A teacher of the pupil's group (or ib/director/admin) marks a pupil for a
 * school day up to today (a future day: POORT_E_NOT_OPEN). Once that group's
 * register for the day is closed only an administrator may still correct a
 * mark (audited); anyone else gets POORT_E_CLOSED. */
poort_err poort_register_mark(poort *p, poort_id actor, poort_day day, poort_id pupil,
                              poort_presence status);

/* Closes a group's register for a day; pupils not marked count as absent. */
poort_err poort_register_close(poort *p, poort_id actor, poort_day day, poort_id group);

/* {"group","day","closed": bool, "pupils": [{"pupil","name","status"|null,"absence": report|null}]} */
poort_err poort_register_view(poort *p, poort_id actor, poort_day day, poort_id group, json_t **out);

/* After closing: pupils marked absent without an absence report, with the
 * guardians' phone numbers first and then the emergency numbers (staff see
 * a guardian's number even when it is hidden from the other guardian).
 * For one group whose register is still open: POORT_E_CONFLICT; group 0
 * covers the closed registers only.
 * [{"pupil","name","group","contacts":[{"name","relation","phone","kind":"guardian"|"emergency"}]}].
 * Staff of the group (group 0: all the actor may see). Audited. */
poort_err poort_unexplained_absences(poort *p, poort_id actor, poort_day day, poort_id group,
                                     json_t **out);

/* Labels for front-ends (msgids; Dutch in assets/locale/nl/daily.po). */
#define POORT_LABEL_PRESENT "Present"
#define POORT_LABEL_ABSENT "Absent"
#define POORT_LABEL_LATE "Late"
#define POORT_LABEL_UNEXPLAINED "Absent without a report"
#define POORT_LABEL_CONTACT_GUARDIAN "Parent or guardian"
#define POORT_LABEL_CONTACT_EMERGENCY "Emergency contact"

#endif
