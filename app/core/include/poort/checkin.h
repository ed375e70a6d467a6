/* checkin.h - arrivals, late pupils, early pick-ups, visitors; who is in the building. */
#ifndef POORT_CHECKIN_H
#define POORT_CHECKIN_H
#include <poort/poort.h>

/* A guardian arrives for an appointment (e.g. a conversation): what is a
 * short text ("gesprek met juf Anna"); pupil may be 0. *checkin gets its id. */
poort_err poort_checkin_arrival(poort *p, poort_id actor, poort_id pupil, const char *what,
                                poort_id *checkin);

/* A guardian (or staff) reports the pupil arriving late today. While the
 * group's register for today is open it is marked "late" as well; a closed
 * register is left to the teacher or an administrator. */
poort_err poort_checkin_late(poort *p, poort_id actor, poort_id pupil, const char *note,
                             poort_id *checkin);

/* Early pick-up today by `collector` (a guardian's or authorised adult's full
 * name). Anything but a guardian of the pupil or an authorised pick-up adult
 * is refused (POORT_E_DENIED) - and the refusal is recorded in the audit log
 * in its own transaction. */
poort_err poort_checkin_pickup(poort *p, poort_id actor, poort_id pupil, const char *collector,
                               const char *note, poort_id *checkin);

/* The people who may collect a pupil: [{"name","relation","kind":"guardian"|"authorised"}]. */
poort_err poort_pickup_adults(poort *p, poort_id actor, poort_id pupil, json_t **out);

/* Visitors sign in and out without identifying (actor may be anonymous). */
poort_err poort_visitor_sign_in(poort *p, poort_id actor, const char *name, const char *visiting,
                                poort_id *visit);
poort_err poort_visitor_sign_out(poort *p, poort_id actor, poort_id visit);
/* Today's visitors still signed in, [{"id","name"}] only (never whom they
 * visit) - for the kiosk's sign-out list. Anyone may ask. */
poort_err poort_visitor_list(poort *p, poort_id actor, json_t **out);

/* Who is in the building now (staff only): {"pupils": [...present today,
 * minus picked up], "visitors": [...], "parents": [...checked in, last 2 h],
 * "counts": {...}}. Audited. */
poort_err poort_building_list(poort *p, poort_id actor, json_t **out);

/* Today's check-in events the actor may see (staff: their groups; all for admin). */
poort_err poort_checkin_list(poort *p, poort_id actor, poort_day day, json_t **out);

/* Texts for front-ends (msgids; Dutch in assets/locale/nl/daily.po). */
#define POORT_MSG_ARRIVAL_DONE "You are checked in. Please take a seat; we will come and get you."
#define POORT_MSG_LATE_DONE "Thank you. The teacher knows your child has arrived."
#define POORT_MSG_PICKUP_DONE "The pick-up has been recorded. Goodbye!"
#define POORT_MSG_PICKUP_REFUSED "We cannot let the child go with this person. Please ask at the office."
#define POORT_MSG_VISITOR_IN "Welcome! You are signed in."
#define POORT_MSG_VISITOR_OUT "Thank you for your visit. You are signed out."
#define POORT_LABEL_BUILDING "Who is in the building"

#endif
