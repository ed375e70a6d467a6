/* correction.h - correction requests ("potloodje"): a guardian proposes, the school decides. */
#ifndef POORT_CORRECTION_H
#define POORT_CORRECTION_H
#include <poort/poort.h>

/* Targets a guardian may propose changes to. */
typedef enum poort_correction_target {
	POORT_CORR_GUARDIAN = 1,    /* own contact data: id = own guardian id */
	POORT_CORR_PUPIL,           /* child's administrative data */
	POORT_CORR_MEDICAL,         /* child's medical data */
	POORT_CORR_EMERGENCY        /* child's emergency contacts: {"emergency_contacts": [...]} */
} poort_correction_target;

const char *poort_correction_target_name(poort_correction_target t);
poort_err poort_correction_target_parse(const char *s, poort_correction_target *out);

/* A guardian proposes changes (only fields of that target's record a
 * guardian may change; validated as the record would be). Nothing changes
 * until approved. *request gets the new request id. Fields per target:
 * guardian: email, phone, address; pupil: first_name, middle_name,
 * last_name, birth_date, address, pickup_adults; medical: conditions,
 * allergies, medication, doctor; emergency: emergency_contacts. null or ""
 * clears an optional field. Changes to a child need parental authority.
 * At most 20 pending requests per guardian (POORT_E_LIMIT). */
poort_err poort_correction_propose(poort *p, poort_id actor, poort_correction_target target,
                                   poort_id id, const json_t *changes, poort_id *request);

/* An administrator approves (applies the change in the same transaction) or
 * rejects (reason required). Only pending requests. */
poort_err poort_correction_decide(poort *p, poort_id actor, poort_id request, bool approve,
                                  const char *reason);

/* Guardians: their own requests (never the other guardian's). Admin: all,
 * or only pending when pending_only, with "current" values for pending
 * ones; an admin's read of a medical request is audited.
 * [{"id","target","subject","subject_name","changes","status","reason",...}] */
poort_err poort_correction_list(poort *p, poort_id actor, bool pending_only, json_t **out);

/* Texts for front-ends (msgids; Dutch in assets/locale/nl/daily.po). */
#define POORT_MSG_CORRECTION_SENT "Your change has been sent to the school. We will let you know."
#define POORT_LABEL_CORRECTION_PENDING "Waiting for the school"
#define POORT_LABEL_CORRECTION_APPROVED "Changed"
#define POORT_LABEL_CORRECTION_REJECTED "Not changed"

#endif
