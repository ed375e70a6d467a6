/* fixture.h - small schools for the booking tests, built with poort_import
 * (the real import, not hand-written records). */
#ifndef BOOKING_FIXTURE_H
#define BOOKING_FIXTURE_H

#include "test.h"

/* Ids by external key / name / username, or exit(1). */
poort_id fx_group(poort *p, const char *name);
poort_id fx_pupil(poort *p, const char *key);
poort_id fx_guardian(poort *p, const char *key);
/* The login account of a guardian (imported with a parent code and PIN). */
poort_id fx_guardian_account(poort *p, const char *key);
/* A staff member's account (logs in with password) and staff id. */
poort_id fx_staff_account(poort *p, const char *username, const char *password);
poort_id fx_staff_id(poort *p, poort_id account);

/* Imports doc (JSON text) as the console, or exit(1). */
void fx_import(poort *p, const char *doc_json);

/* The standard test school (see fixture.c). */
void fx_small_school(poort *p);

#endif

/* A big school for rushes: ngroups groups, each with one teacher whose
 * availability is `evenings` evenings of `per_evening` 10-minute slots;
 * pupils spread over the groups as counts[] says, one guardian each (a
 * card login), except that every `siblings_every`-th guardian (0: none)
 * also has the next pupil, in another group. One open round. The clock is
 * pinned while booking is open. */
typedef struct fx_big {
	size_t ngroups, npupils;
	poort_id round;
	poort_id *staff, *staff_acc;      /* per group */
	poort_id **slots;                 /* per group: its teacher's slot ids, in time order */
	size_t *nslots;
	poort_id *pupil, *guardian_acc;   /* per pupil: the pupil and the guardian who books */
	size_t *group_of;                 /* per pupil: index of their group */
} fx_big;

void fx_big_school(poort *p, fx_big *b, size_t ngroups, const size_t *counts, int evenings, int per_evening,
                   size_t siblings_every);
/* Looks the same school up again in a store it was built in (another process). */
void fx_big_load(poort *p, fx_big *b, size_t ngroups, size_t npupils, size_t siblings_every);
void fx_big_free(fx_big *b);
/* Pins the clock to a moment while the big school's round is open. */
void fx_big_clock(poort *p);
