/* handlers.h - every handler named in the route table (routes.c).
 * api_*: JSON under /api/v1 (api*.c); page_*: HTML pages (pages.c). */
#ifndef POORTD_HANDLERS_H
#define POORTD_HANDLERS_H
#include "web.h"

/* api.c: shared helpers. Each answers 400/404 itself and returns false
 * when the value is malformed; day defaults to today, id to 0. */
poort_id api_actor(web_req *r);
void api_reply(web_req *r, poort_err err, json_t *out);            /* steals out */
void api_reply_status(web_req *r, unsigned status, poort_err err, json_t *out);
bool api_query_id(web_req *r, const char *name, poort_id *out);
bool api_query_day(web_req *r, const char *name, poort_day *out);
bool api_path_id(web_req *r, int i, poort_id *out);
bool api_path_day(web_req *r, int i, poort_day *out);
/* The common read: the id from the path, one core call as the session's
 * account, its answer as JSON. */
typedef poort_err (*api_view_fn)(poort *p, poort_id actor, poort_id id, json_t **out);
void api_reply_view(web_req *r, api_view_fn view);

/* api.c */
void api_school_get(web_req *r);
void api_school_update(web_req *r);
void api_health(web_req *r);
void api_backup(web_req *r);

/* api_session.c */
poort_err web_login(web_req *r, const char *username, const char *password, bool *throttled);
void web_logout(web_req *r, bool everywhere);
void api_session_create(web_req *r);
void api_session_get(web_req *r);
void api_session_update(web_req *r);
void api_session_delete(web_req *r);
void api_sessions_delete(web_req *r);

/* api_people.c */
void api_groups(web_req *r);
void api_pupils(web_req *r);
void api_pupil(web_req *r);
void api_children(web_req *r);
void api_guardian(web_req *r);
void api_guardian_hidden(web_req *r);
void api_guardian_export(web_req *r);
void api_pupil_export(web_req *r);
void api_import(web_req *r);
void api_staff_create(web_req *r);
void api_guardian_credentials(web_req *r);

/* api_daily.c */
void api_absences(web_req *r);
void api_absence_report(web_req *r);
void api_absence_cancel(web_req *r);
void api_absence_ack(web_req *r);
void api_register(web_req *r);
void api_register_mark(web_req *r);
void api_register_close(web_req *r);
void api_unexplained(web_req *r);
void api_checkins(web_req *r);
void api_checkin_create(web_req *r);
void api_building(web_req *r);
void api_pickup_adults(web_req *r);
void api_corrections(web_req *r);
void api_correction_propose(web_req *r);
void api_correction_decide(web_req *r);
void api_audit(web_req *r);

/* api_correction.c */
void api_corrections(web_req *r);
void api_correction_propose(web_req *r);
void api_correction_decide(web_req *r);

/* api_booking.c */
void api_rounds(web_req *r);
void api_round_create(web_req *r);
void api_round(web_req *r);
void api_round_update(web_req *r);
void api_round_slots(web_req *r);
void api_round_overview(web_req *r);
void api_round_schedule(web_req *r);
void api_round_proposal(web_req *r);
void api_round_late(web_req *r);
void api_invitation(web_req *r);
void api_waitlist_join(web_req *r);
void api_waitlist_leave(web_req *r);
void api_offers(web_req *r);
void api_bookings(web_req *r);
void api_booking_create(web_req *r);
void api_booking_cancel(web_req *r);
void api_booking_checkin(web_req *r);
void api_booking_outcome(web_req *r);
void api_ical_mine(web_req *r);
void api_ical_teacher(web_req *r);

/* pages.c */
void page_static(web_req *r);
void page_not_found(web_req *r);
/* pages_staff.c */
void page_home(web_req *r);
void page_login(web_req *r);
void page_login_post(web_req *r);
void page_logout(web_req *r);
void page_lang(web_req *r);
void page_today(web_req *r);
void page_today_live(web_req *r);
void page_absence_ack(web_req *r);
void page_register(web_req *r);
void page_register_post(web_req *r);
void page_unexplained(web_req *r);
void page_pupil(web_req *r);
void page_conversations(web_req *r);
void page_late_post(web_req *r);
void page_invite_post(web_req *r);

/* pages_parent.c */
void page_parent(web_req *r);
void page_parent_absence(web_req *r);
void page_parent_book(web_req *r);
void page_parent_book_post(web_req *r);
void page_parent_cancel(web_req *r);
void page_parent_siblings(web_req *r);
void page_parent_siblings_post(web_req *r);
void page_parent_me(web_req *r);
void page_parent_correction(web_req *r);

/* pages_admin.c */
void page_admin(web_req *r);
void page_admin_correction(web_req *r);
void page_building(web_req *r);
void page_audit(web_req *r);
void page_admin_card(web_req *r);
void page_admin_settings(web_req *r);
void page_admin_staff(web_req *r);
void page_admin_import_form(web_req *r);
void page_admin_import(web_req *r);

/* Renders assets/web/<name> inside layout.html with ctx (stolen); title is an
 * English msgid. */
void page_render(web_req *r, unsigned status, const char *name, const char *title, json_t *ctx);

#endif
