/* people.h - groups, pupils, guardians, staff and the links between them.
 *
 * Records are JSON objects. The shapes (fields marked * are required):
 *  group:    {"id", "name"*: "3/4", "grades"*: [3,4]}
 *  pupil:    {"id", "key"*: leerlingnummer, "first_name"*, "middle_name": tussenvoegsel,
 *             "last_name"*, "birth_date"*: "YYYY-MM-DD", "group"*: group id,
 *             "address": {"street","postcode","city"},
 *             "emergency_contacts": [{"name","relation","phone"}],   third parties only
 *             "pickup_adults": [{"name","relation","phone"}],        besides the guardians
 *             "separate_conversations": false}
 *  medical:  {"conditions": text, "allergies": [text], "medication": text,
 *             "doctor": {"name","phone"}}        stored apart; every read audited
 *  guardian: {"id", "key"*, "first_name"*, "middle_name", "last_name"*, "email",
 *             "phone", "address": {...}, "hide_contact": false, "account": id}
 *  link:     {"pupil", "guardian", "authority": true, "portal": true, "relation": "moeder"}
 *  staff:    {"id", "username"*, "name"*, "role"*: teacher|ib|director|admin,
 *             "groups": [group ids], "email", "account": id}
 *
 * Separated parents: a guardian with hide_contact=true has email, phone and
 * address removed from every view another guardian gets, export included;
 * a child's address that is that guardian's address (same street) is
 * removed from the other guardian's views of the child as well.
 */
#ifndef POORT_PEOPLE_H
#define POORT_PEOPLE_H
#include <poort/poort.h>

/* Texts for front-ends (English msgids; translate with poort_gettext(lang, ...)). */
#define POORT_LABEL_GROUP "Group"
#define POORT_LABEL_GUARDIANS "Parents and guardians"
#define POORT_LABEL_EMERGENCY_CONTACTS "Emergency numbers"
#define POORT_LABEL_PICKUP_ADULTS "Also allowed to pick up"
#define POORT_LABEL_MEDICAL "Medical information"
#define POORT_LABEL_ALLERGIES "Allergies"
#define POORT_LABEL_MEDICATION "Medication"
#define POORT_LABEL_DOCTOR "Family doctor"
#define POORT_LABEL_ADDRESS "Address"
#define POORT_LABEL_PHONE "Phone"
#define POORT_LABEL_EMAIL "E-mail"
#define POORT_LABEL_BIRTH_DATE "Date of birth"
#define POORT_LABEL_HIDE_CONTACT "Hide my contact details from the other parent"
#define POORT_MSG_CONTACT_HIDDEN "Your contact details are now hidden from the other parent."
#define POORT_MSG_CONTACT_VISIBLE "The other parent can now see your contact details."
#define POORT_MSG_MEDICAL_LOGGED "Viewing medical information is recorded."

/* Loads a school document in ONE write transaction: all or nothing.
 *   {"school": {settings...}, "groups": [...], "staff": [...], "pupils": [...],
 *    "guardians": [...], "links": [...]}
 * In the document, references use external keys, not ids: a pupil's "group"
 * is the group name, a staff member's "groups" are names, a link has
 * "pupil": pupil key and "guardian": guardian key; a pupil may carry
 * "medical": {...}; a staff member "password"; a guardian "parent_code" with
 * "pin" (kiosk), "card" and "password" (web login with the guardian's e-mail
 * address); plaintext, hashed before storing. Every staff member gets an
 * account (a login once it has a password). Existing keys are updated (the
 * record replaced), not duplicated; links are added or updated, never removed.
 * Administrator/console only. On failure poort_error_detail() names the
 * section, index and field ("pupils[12].birth_date"): POORT_E_INVALID, or
 * POORT_E_NOT_FOUND (unknown group/pupil/guardian reference), POORT_E_EXISTS
 * (a key twice, a login already used), POORT_E_LIMIT (too many guardians
 * with portal access). *report (may be NULL) gets a new object with the
 * counts written per section {"school": 0|1, "groups": n, "staff": n, ...}. */
poort_err poort_import(poort *p, poort_id actor, const json_t *doc, json_t **report);

/* Groups the actor may see (staff: all; a parent: those of their children). */
poort_err poort_group_list(poort *p, poort_id actor, json_t **out);

/* Pupils the actor may see, optionally limited to one group (0 = all):
 * summaries {"id","key","name","first_name","middle_name","last_name","group","group_name"}. */
poort_err poort_pupil_list(poort *p, poort_id actor, poort_id group, json_t **out);

/* What view to build. */
enum {
	POORT_VIEW_CONTACTS = 1u << 0,  /* guardians (as visibility allows), emergency contacts, pick-up adults */
	POORT_VIEW_MEDICAL  = 1u << 1   /* medical data and allergies: audited */
};
/* The pupil as the actor may see it (a "pupil card"). Medical data is read
 * in a write transaction so that the audit entry commits with the read. */
poort_err poort_pupil_view(poort *p, poort_id actor, poort_id pupil, unsigned parts, json_t **out);

/* The actor's own children (parents): [{pupil summary, "link": {...}}]. */
poort_err poort_my_children(poort *p, poort_id actor, json_t **out);

/* A guardian as the actor may see them (hidden fields removed for the other
 * guardian). */
poort_err poort_guardian_view(poort *p, poort_id actor, poort_id guardian, json_t **out);

/* A guardian chooses whether the other guardian(s) of their children may see
 * their contact data. Only the guardian themself (or an administrator). */
poort_err poort_guardian_set_hidden(poort *p, poort_id actor, poort_id guardian, bool hide);

/* Lookup by external key ("L0123", "G0456"): POORT_E_NOT_FOUND and 0 if unknown. */
poort_err poort_pupil_by_key(poort *p, const char *key, poort_id *pupil);
poort_err poort_guardian_by_key(poort *p, const char *key, poort_id *guardian);

/* AVG right of access: everything stored about one guardian (their record,
 * account without secrets, links, children, absences they reported,
 * corrections, audit entries about them) or one pupil. Other guardians'
 * hidden fields never appear. Administrator/console, or the guardian
 * themself for their own export. */
poort_err poort_export_guardian(poort *p, poort_id actor, poort_id guardian, json_t **out);
poort_err poort_export_pupil(poort *p, poort_id actor, poort_id pupil, json_t **out);

#endif
