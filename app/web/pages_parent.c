/* pages_parent.c - parents on a phone: report an absence, book / cancel /
 * see conversation slots (with siblings), see check-ins and bookings, and
 * their own data with the correction-request button. */
#include "handlers.h"
#include "pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static poort_id my_guardian(web_req *r)
{
	json_t *who = NULL;
	poort_id g = 0;

	if (poort_account_view(r->w->p, r->s.account, r->s.account, &who) == POORT_OK)
		g = (poort_id)json_integer_value(json_object_get(who, "guardian"));
	json_decref(who);
	return g;
}

void page_parent(web_req *r)
{
	json_t *ctx = json_object(), *kids = NULL, *bookings = NULL, *rounds = NULL, *abs = NULL;
	poort_day today = poort_today(r->w->p);
	char d[16], tomorrow[16];
	size_t i;
	json_t *e;

	if (poort_my_children(r->w->p, r->s.account, &kids) != POORT_OK)
		kids = json_array();
	if (poort_guardian_bookings(r->w->p, r->s.account, 0, &bookings) != POORT_OK)
		bookings = json_object();
	if (poort_round_list(r->w->p, r->s.account, &rounds) != POORT_OK)
		rounds = json_array();
	if (poort_absence_list(r->w->p, r->s.account, today, 0, &abs) != POORT_OK)
		abs = json_array();
	{
		json_t *ev = NULL;
		if (poort_checkin_list(r->w->p, r->s.account, today, &ev) != POORT_OK)
			ev = json_array();
		json_array_foreach(ev, i, e) {
			const char *kind = json_string_value(json_object_get(e, "kind"));
			page_add_time(e, "at", "time");
			page_add_pupil_name(e, kids);
			json_object_set_new(e, "kind_text", json_string(web_t(r, !kind ? "Check-in" :
				!strcmp(kind, "late") ? "Arrived late" : !strcmp(kind, "pickup") ? "Picked up early" : "Check-in")));
		}
		json_object_set_new(ctx, "checkins", ev);
	}
	json_array_foreach(json_object_get(bookings, "bookings"), i, e) {
		page_add_time(e, "start", "time");
		page_add_day(e, "start", "date");
		json_object_set_new(e, "active", json_boolean(!strcmp(json_string_value(json_object_get(e, "status")) ?
		                                                   json_string_value(json_object_get(e, "status")) : "", "booked")));
	}
	/* every round with every child, to book */
	json_array_foreach(rounds, i, e) {
		json_t *links = json_array(), *kid;
		size_t k;
		json_array_foreach(kids, k, kid)
			json_array_append_new(links, json_pack("{s:O, s:O, s:O}", "round", json_object_get(e, "id"),
			                                       "pupil", json_object_get(kid, "id"), "first_name",
			                                       json_object_get(kid, "first_name")));
		json_object_set_new(e, "links", links);
		json_object_set_new(e, "siblings", json_boolean(json_array_size(kids) >= 2));
	}
	json_object_set_new(ctx, "children", kids);
	json_object_set_new(ctx, "bookings", json_incref(json_object_get(bookings, "bookings")));
	json_object_set_new(ctx, "offers", json_incref(json_object_get(bookings, "offers")));
	json_object_set_new(ctx, "rounds", rounds);
	json_object_set_new(ctx, "absences", abs);
	json_object_set_new(ctx, "today", json_string(poort_day_format(today, d)));
	json_object_set_new(ctx, "tomorrow", json_string(poort_day_format(today + 1, tomorrow)));
	json_object_set_new(ctx, "booked", json_boolean(web_param(&r->query, "booked") != NULL));
	json_object_set_new(ctx, "cancelled", json_boolean(web_param(&r->query, "cancelled") != NULL));
	json_decref(bookings);
	page_render(r, 200, "parent.html", "My children", ctx);
}

/* Form: pupil, from, to (optional), reason, note. */
void page_parent_absence(web_req *r)
{
	web_params f;
	poort_day from = 0, to = 0;
	poort_absence_reason reason;
	json_t *res = NULL;
	const char *note;
	poort_err err;
	poort_id pupil;

	if (!page_form(r, &f))
		return;
	pupil = web_parse_id(web_param(&f, "pupil"));
	note = web_param(&f, "note");
	if (note && !*note)
		note = NULL;
	err = pupil && web_param(&f, "from") ? poort_day_parse(web_param(&f, "from"), &from) : POORT_E_INVALID;
	to = from;
	if (!err && web_param(&f, "to") && *web_param(&f, "to"))
		err = poort_day_parse(web_param(&f, "to"), &to);
	if (!err)
		err = poort_reason_parse(web_param(&f, "reason") ? web_param(&f, "reason") : "", &reason);
	if (!err)
		err = poort_absence_report(r->w->p, r->s.account, pupil, from, to, reason, note, &res);
	web_params_free(&f);
	if (err) {
		page_error(r, err);
		return;
	}
	page_render(r, 200, "absence_done.html", "Absence reported", json_pack("{s:o}", "result", res));
}

/* ?round=&pupil= : the free slots with the pupil's teacher(s). */
void page_parent_book(web_req *r)
{
	json_t *slots = NULL, *ctx;
	poort_id round, pupil;
	poort_err err;
	unsigned char b[12];
	char rid[25];
	size_t i;
	json_t *e;

	if (!api_query_id(r, "round", &round) || !api_query_id(r, "pupil", &pupil))
		return;
	if ((err = poort_round_slots(r->w->p, r->s.account, round, pupil, &slots))) {
		page_error(r, err);
		return;
	}
	/* one request id per rendered form: pressing twice books once */
	if (web_random(b, sizeof b) != 0) {
		json_decref(slots);
		page_error(r, POORT_E_NOMEM);
		return;
	}
	for (int k = 0; k < 12; k++)
		sprintf(rid + 2 * k, "%02x", b[k]);
	json_array_foreach(slots, i, e) {
		page_add_time(e, "start", "time");
		page_add_day(e, "start", "date");
	}
	ctx = json_pack("{s:o, s:I, s:I, s:s}", "slots", slots, "round", (json_int_t)round, "pupil",
	                (json_int_t)pupil, "request_id", rid);
	page_render(r, 200, "book.html", "Book a conversation", ctx);
}

void page_parent_book_post(web_req *r)
{
	web_params f;
	poort_booking_req q = { 0 };
	json_t *out = NULL;
	poort_err err;

	if (!page_form(r, &f))
		return;
	q.round = web_parse_id(web_param(&f, "round"));
	q.slot = web_parse_id(web_param(&f, "slot"));
	q.pupil = web_parse_id(web_param(&f, "pupil"));
	err = q.round && q.slot && q.pupil && web_param(&f, "request_id")
	      ? poort_booking_create(r->w->p, r->s.account, &q, web_param(&f, "request_id"), &out)
	      : POORT_E_INVALID;
	web_params_free(&f);
	if (err == POORT_E_TAKEN) {
		size_t i;
		json_t *e, *alts = json_incref(json_object_get(out, "alternatives"));
		json_decref(out);
		json_array_foreach(alts, i, e) {
			page_add_time(e, "start", "time");
			page_add_day(e, "start", "date");
		}
		page_render(r, 409, "book.html", "Book a conversation",
		            json_pack("{s:o, s:I, s:I, s:s, s:b}", "slots", alts ? alts : json_array(), "round",
		                      (json_int_t)q.round, "pupil", (json_int_t)q.pupil, "request_id", "retry", "taken", 1));
		return;
	}
	json_decref(out);
	if (err) {
		page_error(r, err);
		return;
	}
	web_reply_redirect(r, "/parent?booked=1");
}

void page_parent_cancel(web_req *r)
{
	web_params f;
	poort_id id;
	poort_err err;

	if (!page_form(r, &f))
		return;
	id = web_parse_id(web_param(&f, "booking"));
	err = id ? poort_booking_cancel(r->w->p, r->s.account, id) : POORT_E_INVALID;
	web_params_free(&f);
	if (err) {
		page_error(r, err);
		return;
	}
	web_reply_redirect(r, "/parent?cancelled=1");
}

/* Own data, and a correction request for it. */
void page_parent_me(web_req *r)
{
	json_t *me = NULL, *corr = NULL;
	poort_id g = my_guardian(r);
	poort_err err;

	if (!g) {
		page_error(r, POORT_E_DENIED);
		return;
	}
	if ((err = poort_guardian_view(r->w->p, r->s.account, g, &me))) {
		page_error(r, err);
		return;
	}
	if (poort_correction_list(r->w->p, r->s.account, false, &corr) != POORT_OK)
		corr = json_array();
	page_render(r, 200, "me.html", "My details",
	            json_pack("{s:o, s:o, s:b}", "me", me, "corrections", corr, "sent",
	                      web_param(&r->query, "sent") != NULL));
}

/* Form: phone, email - only the fields filled in are proposed. */
void page_parent_correction(web_req *r)
{
	web_params f;
	json_t *changes = json_object();
	poort_id g = my_guardian(r), req;
	poort_err err;

	if (!page_form(r, &f)) {
		json_decref(changes);
		return;
	}
	if (web_param(&f, "phone") && *web_param(&f, "phone"))
		json_object_set_new(changes, "phone", json_string(web_param(&f, "phone")));
	if (web_param(&f, "email") && *web_param(&f, "email"))
		json_object_set_new(changes, "email", json_string(web_param(&f, "email")));
	web_params_free(&f);
	err = json_object_size(changes)
	      ? poort_correction_propose(r->w->p, r->s.account, POORT_CORR_GUARDIAN, g, changes, &req)
	      : POORT_E_INVALID;
	json_decref(changes);
	if (err) {
		page_error(r, err);
		return;
	}
	web_reply_redirect(r, "/parent/me?sent=1");
}

/* Brothers and sisters: back-to-back slots with their teachers, proposed
 * by the core (?round=), booked all or nothing. */
void page_parent_siblings(web_req *r)
{
	json_t *kids = NULL, *props = NULL, *e;
	poort_id round, pupils[4];
	size_t n = 0, i;
	unsigned char b[12];
	char rid[25];
	poort_err err;

	if (!api_query_id(r, "round", &round))
		return;
	if ((err = poort_my_children(r->w->p, r->s.account, &kids))) {
		page_error(r, err);
		return;
	}
	json_array_foreach(kids, i, e)
		if (n < 4)
			pupils[n++] = (poort_id)json_integer_value(json_object_get(e, "id"));
	if (n < 2 || (err = poort_sibling_proposal(r->w->p, r->s.account, round, pupils, n, &props))) {
		json_decref(kids);
		page_error(r, n < 2 ? POORT_E_INVALID : err);
		return;
	}
	if (web_random(b, sizeof b) != 0) {
		json_decref(kids);
		json_decref(props);
		page_error(r, POORT_E_NOMEM);
		return;
	}
	for (int k = 0; k < 12; k++)
		sprintf(rid + 2 * k, "%02x", b[k]);
	json_array_foreach(props, i, e) {
		size_t k;
		json_t *s;
		json_object_set_new(e, "n", json_integer((json_int_t)i));
		json_array_foreach(json_object_get(e, "slots"), k, s) {
			page_add_time(s, "start", "time");
			page_add_day(s, "start", "date");
			json_object_set_new(s, "pupil", json_integer((json_int_t)pupils[k]));
			json_object_set_new(s, "k", json_integer((json_int_t)k));
			json_object_set(s, "first_name", json_object_get(json_array_get(kids, k), "first_name"));
		}
	}
	json_decref(kids);
	page_render(r, 200, "siblings.html", "Book for brothers and sisters",
	            json_pack("{s:o, s:I, s:s}", "proposals", props, "round", (json_int_t)round, "request_id", rid));
}

/* Form: round, request_id, slot0/pupil0, slot1/pupil1, ... */
void page_parent_siblings_post(web_req *r)
{
	web_params f;
	poort_booking_req q[4];
	size_t n = 0;
	json_t *out = NULL;
	poort_err err = POORT_E_INVALID;
	poort_id round;

	if (!page_form(r, &f))
		return;
	round = web_parse_id(web_param(&f, "round"));
	for (; n < 4; n++) {
		char sk[16], pk[16];
		snprintf(sk, sizeof sk, "slot%zu", n);
		snprintf(pk, sizeof pk, "pupil%zu", n);
		if (!web_param(&f, sk))
			break;
		q[n] = (poort_booking_req){ round, web_parse_id(web_param(&f, sk)), web_parse_id(web_param(&f, pk)), 0 };
	}
	if (round && n >= 2 && web_param(&f, "request_id"))
		err = poort_booking_create_siblings(r->w->p, r->s.account, q, n, web_param(&f, "request_id"), &out);
	web_params_free(&f);
	json_decref(out);
	if (err) {
		page_error(r, err);
		return;
	}
	web_reply_redirect(r, "/parent?booked=1");
}
