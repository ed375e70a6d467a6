/* school.h - the school's settings: name, zone, cut-off, school days, modules. */
#ifndef POORT_SCHOOL_H
#define POORT_SCHOOL_H
#include <poort/poort.h>

/* Settings object (JSON):
 *   {"name": "OBS De Regenboog", "time_zone": "Europe/Amsterdam",
 *    "absence_cutoff": "08:30", "school_days": [1,2,3,4,5] (ISO weekdays),
 *    "holidays": [{"name": "Kerstvakantie", "from": "2026-12-21", "to": "2027-01-01"}],
 *    "extra_days_off": ["2026-11-27"] (study days),
 *    "modules": {"absence": true, "attendance": true, "checkin": true,
 *                "conversations": true, "corrections": true},
 *    "max_portal_guardians": 2}
 */

/* Anyone may read the settings (the kiosk shows the name to strangers).
 * *out is a new object owned by the caller. */
poort_err poort_school_get(poort *p, poort_id actor, json_t **out);

/* Administrator/console only. changes holds the keys to change, each fully
 * validated (unknown keys are POORT_E_INVALID with the key in the detail). */
poort_err poort_school_update(poort *p, poort_id actor, const json_t *changes);

/* Whether d is a school day (school weekday, not in a holiday, not a day off).
 * Read-only, no actor needed: the calendar is public. */
poort_err poort_school_day(poort *p, poort_day d, bool *is_school_day);

/* Absence cut-off as minute of day (510 = 08:30). */
poort_err poort_school_cutoff(poort *p, int *minute_of_day);

#endif
