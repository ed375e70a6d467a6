/* booking.h - the conversation planner (gespreksplanner): rounds of
 * parent-teacher conversations, their slots, and rush-proof booking.
 *
 * Objects and their rules (docs/booking.md explains them for a school):
 * - A round covers groups and has per-teacher availability windows with
 *   breaks; its slots (default 10 minutes, optional gap) are generated when
 *   the round is created. Booking opens at `opens` (invited pupils already
 *   at `priority_opens`), closes at `closes`; parents may cancel until
 *   `cancel_until`.
 * - A guardian books for their own child, one conversation per pupil per
 *   round unless the teacher allows extra ones. Separated parents share one
 *   joint conversation unless the pupil has "separate_conversations": then
 *   each guardian books their own and neither sees the other's.
 * - A guardian never holds two overlapping slots; between slots with
 *   different teachers `travel_minutes` must be free.
 * - Every check happens inside the write transaction that books, so the
 *   rules hold whatever the interleaving of threads and processes.
 *
 * Times: inputs are school-local "YYYY-MM-DDTHH:MM" (Europe/Amsterdam);
 * outputs carry unix seconds ("start", "end") and the local ISO form
 * ("start_local": "2026-10-26T19:00:00+01:00").
 *
 * Records (JSON) returned by the views:
 *  round:   {"id","name","groups":[ids],"slot_minutes","gap_minutes","travel_minutes",
 *            "priority_opens","opens","closes","cancel_until" (local strings),
 *            "windows":[{"staff","day","from","to","breaks":[{"from","to"}]}]}
 *  slot:    {"round","slot","staff","staff_name","start","end","start_local","end_local"}
 *  booking: slot fields + {"id","pupil","pupil_name","guardian","status":"booked"|"cancelled",
 *            "arrived_at","outcome":"done"|"no_show","teacher_late_minutes"}
 *
 * Ownership: every json_t **out is a new reference the caller releases with
 * json_decref(); on error *out is NULL unless stated. Inputs are borrowed.
 */
#ifndef POORT_BOOKING_H
#define POORT_BOOKING_H
#include <poort/poort.h>

/* ---- rounds (administrator) ---- */

/* Creates a round from spec (borrowed):
 *   {"name"*, "groups"*: [group ids], "slot_minutes": 10, "gap_minutes": 0,
 *    "travel_minutes": 5, "priority_opens": local, "opens"*: local, "closes"*: local,
 *    "cancel_until": local (default: closes),
 *    "windows"*: [{"staff"*: id, "day"*: "YYYY-MM-DD", "from"*: "HH:MM", "to"*: "HH:MM",
 *                  "breaks": [{"from","to"}]}]}
 * A window's teacher must teach one of the round's groups. Administrator or
 * console. *round gets the new id. */
POORT_MUST_CHECK poort_err poort_round_create(poort *p, poort_id actor, const json_t *spec, poort_id *round);

/* Changes a round: any key of the create spec. Windows, slot and gap length
 * can only change while nothing is booked or offered (POORT_E_CONFLICT). */
POORT_MUST_CHECK poort_err poort_round_update(poort *p, poort_id actor, poort_id round, const json_t *changes);

/* A round as the actor may see it: staff and administrators all rounds,
 * parents the rounds of their children's groups. */
POORT_MUST_CHECK poort_err poort_round_get(poort *p, poort_id actor, poort_id round, json_t **out);
/* Rounds the actor may see (same rule), newest first: [round without windows]. */
POORT_MUST_CHECK poort_err poort_round_list(poort *p, poort_id actor, json_t **out);

/* Free slots with the pupil's teacher(s) in a round: [slot], in time order.
 * The pupil's guardian, staff, administrators. */
POORT_MUST_CHECK poort_err poort_round_slots(poort *p, poort_id actor, poort_id round, poort_id pupil,
                                             json_t **out);

/* ---- the teacher's say ---- */

typedef enum poort_invitation {
	POORT_INVITE_NONE = 0,     /* default: the family may book, no priority */
	POORT_INVITE_REQUIRED,     /* invited: may book in the priority phase; followed up if not booked */
	POORT_INVITE_NOT_NEEDED    /* the teacher sees no need; the family may still book */
} poort_invitation;

/* Sets a pupil's invitation for a round and how many conversations beyond
 * the first the family may book (0..3). The pupil's teacher or an
 * administrator. */
POORT_MUST_CHECK poort_err poort_invitation_set(poort *p, poort_id actor, poort_id round, poort_id pupil,
                                                poort_invitation status, int extra_conversations);

/* ---- booking (parents; administrators on a family's behalf) ---- */

typedef struct poort_booking_req {
	poort_id round;
	poort_id slot;
	poort_id pupil;
	poort_id guardian;        /* 0: the acting parent. Administrators name the guardian. */
} poort_booking_req;

/* Books one slot. request_id (1..48 printable ASCII, unique per client
 * action) makes the call idempotent: repeating it returns the same booking.
 * *out (always set, caller owns) is the booking; on POORT_E_TAKEN it is
 * {"alternatives": [slot, ...]}: the nearest free slots with that teacher.
 * Refusals: POORT_E_NOT_OPEN (before opening or priority phase without an
 * invitation), POORT_E_CLOSED, POORT_E_DENIED (not the actor's child),
 * POORT_E_LIMIT (the pupil already has their conversation), POORT_E_TAKEN,
 * POORT_E_FULL (nothing free with that teacher: the waiting list is open),
 * POORT_E_OVERLAP (the guardian already has a slot then, travel included).
 * Goes through the group-commit writer if one is started on p. */
POORT_MUST_CHECK poort_err poort_booking_create(poort *p, poort_id actor, const poort_booking_req *req,
                                                const char *request_id, json_t **out);

/* Books n (1..8) slots, e.g. for siblings, all or nothing, under one
 * request id. *out: [booking, ...] or, on POORT_E_TAKEN, {"index": i,
 * "alternatives": [...]} for the request that failed. */
POORT_MUST_CHECK poort_err poort_booking_create_siblings(poort *p, poort_id actor, const poort_booking_req *reqs,
                                                         size_t n, const char *request_id, json_t **out);

/* Proposes back-to-back slots for several of the actor's children (2..4,
 * pupils[]) in a round: each with their own teacher, no overlap with each
 * other or with what the guardian already booked, travel time between
 * different teachers. *out: [{"slots": [slot per pupil, in pupils order],
 * "start", "end"}] best first, at most 3; empty if nothing fits. */
POORT_MUST_CHECK poort_err poort_sibling_proposal(poort *p, poort_id actor, poort_id round, const poort_id *pupils,
                                                  size_t n, json_t **out);

/* Cancels a booking. Parents (the booking's guardian, or either guardian of
 * a joint conversation) until the round's cancel_until (POORT_E_TOO_LATE
 * after); the slot's teacher and administrators any time. Cancelling a
 * cancelled booking is POORT_OK. The freed slot is offered to the first
 * family on that teacher's waiting list. */
POORT_MUST_CHECK poort_err poort_booking_cancel(poort *p, poort_id actor, poort_id booking);

/* ---- waiting list ---- */

/* Puts the pupil on the waiting list of one of their teachers (staff) in a
 * round. Only when that teacher has no free slot (POORT_E_CONFLICT
 * otherwise) and the pupil has no conversation yet (POORT_E_LIMIT);
 * twice is POORT_E_EXISTS. */
POORT_MUST_CHECK poort_err poort_waitlist_join(poort *p, poort_id actor, poort_id round, poort_id pupil,
                                               poort_id staff);
/* Leaves the waiting list, or declines an offered slot (it goes to the
 * next family in line). */
POORT_MUST_CHECK poort_err poort_waitlist_leave(poort *p, poort_id actor, poort_id round, poort_id pupil);

/* Offers the actor may act on (parents: their children's; staff: their
 * own slots'): [{"round","slot","pupil","until", slot fields}]. An offer is
 * accepted by booking its slot with poort_booking_create. */
POORT_MUST_CHECK poort_err poort_waitlist_offers(poort *p, poort_id actor, json_t **out);

/* ---- on the evening ---- */

/* A parent arrives for their conversation (kiosk): recorded once, shown to
 * the teacher. The booking's guardians, staff. *out (may be NULL): the
 * booking with "teacher_late_minutes". */
POORT_MUST_CHECK poort_err poort_conversation_checkin(poort *p, poort_id actor, poort_id booking, json_t **out);

/* The teacher runs N minutes late (0..120; 0 = on time again). The teacher
 * themself or an administrator. The kiosk shows it to arriving parents. */
POORT_MUST_CHECK poort_err poort_teacher_running_late(poort *p, poort_id actor, poort_id round, poort_id staff,
                                                      int minutes);

/* Teachers running late today, for the kiosk's start screen: anyone may
 * see it (staff names and minutes only, nothing about families).
 * *out: [{"staff_name","minutes"}], new, the caller's. */
POORT_MUST_CHECK poort_err poort_running_late(poort *p, json_t **out);

/* The teacher marks a conversation "done" or "no_show" once its slot has
 * started. The slot's teacher or an administrator. */
POORT_MUST_CHECK poort_err poort_conversation_mark(poort *p, poort_id actor, poort_id booking, const char *outcome);

/* ---- views ---- */

/* A teacher's schedule for one day (day 0: every day of the round):
 * {"staff","staff_name","late_minutes","slots": [slot + {"booking","pupil_name","group_name",
 * "arrived_at","outcome","offered"}], "waitlist": [{"pupil_name","group_name"}]}.
 * Printable: pupil names only, no parent contact details. The teacher
 * themself, ib, director, administrator. */
POORT_MUST_CHECK poort_err poort_teacher_schedule(poort *p, poort_id actor, poort_id round, poort_id staff,
                                                  poort_day day, json_t **out);

/* The acting parent's conversations (round 0: every round): {"bookings": [booking],
 * "offers": [...], "waitlist": [{"round","pupil","staff"}]}. A separated
 * guardian never sees the other guardian's own conversation. */
POORT_MUST_CHECK poort_err poort_guardian_bookings(poort *p, poort_id actor, poort_id round, json_t **out);

/* The administrator's overview: {"round", "teachers": [{"staff","name","booked","free"}],
 * "booked", "free", "invited_not_booked": [{"pupil","name","group_name"}],
 * "not_booked": [{"pupil","name","group_name"}]}. Staff. */
POORT_MUST_CHECK poort_err poort_round_overview(poort *p, poort_id actor, poort_id round, json_t **out);

/* iCalendar (RFC 5545) feeds: the acting guardian's conversations, or a
 * teacher's (the teacher themself or an administrator). lang "nl"/"en" for
 * the texts. *out is a new NUL-terminated string the caller free()s. */
POORT_MUST_CHECK poort_err poort_ical_guardian(poort *p, poort_id actor, const char *lang, char **out);
POORT_MUST_CHECK poort_err poort_ical_teacher(poort *p, poort_id actor, poort_id staff, const char *lang,
                                              char **out);

/* ---- group commit ---- */

/* One writer thread that commits every pending booking operation of this
 * process in ONE durable transaction (each in a nested transaction, so a
 * refused one leaves no trace). While it runs, the mutating calls above
 * hand their operation to it and return once the batch holding it is on
 * disk. Start it once per process after poort_open (poortd, kiosk); stop
 * it before poort_close, after the callers are gone. *out is the caller's. */
typedef struct poort_booker poort_booker;
POORT_MUST_CHECK poort_err poort_booker_start(poort *p, poort_booker **out);
void poort_booker_stop(poort_booker *b);
/* Batches committed and operations in them since the start. */
void poort_booker_stats(const poort_booker *b, uint64_t *batches, uint64_t *ops);

#endif
