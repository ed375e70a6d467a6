/* status.c - the box's devices report that they are alive, for the
 * administrator's health page ("last kiosk activity"). Device status is not
 * school data: it stays out of the change log (never synced) and the audit
 * log, and only the latest report is kept. */
#include "core.h"

static poort_err kiosk_op(tx *t, void *arg)
{
	bool touched = *(bool *)arg;
	key k = key_str("status", "kiosk");
	json_t *rec = NULL;
	poort_err err = store_get(t, DB_META, &k, &rec);

	if (err == POORT_E_NOT_FOUND)
		rec = json_object();
	else if (err)
		return err;
	json_object_set_new(rec, "alive_at", json_integer((json_int_t)tx_now(t)));
	if (touched)
		json_object_set_new(rec, "touched_at", json_integer((json_int_t)tx_now(t)));
	err = store_put_unlogged(t, DB_META, &k, rec);
	json_decref(rec);
	return err;
}

poort_err poort_kiosk_report(poort *p, bool touched)
{
	detail_clear();
	return tx_write(p, POORT_ACTOR_ANONYMOUS, kiosk_op, &touched);
}
