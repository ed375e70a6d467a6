/* audit.c - reading the audit log (audit_add in store.c writes it).
 *
 * Entries are keyed by sequence number, so walking backwards gives newest
 * first. Filters are matched on the decoded entries; "before" pages on.
 */
#include "core.h"

#define DEFAULT_LIMIT 100
#define MAX_LIMIT 1000

struct query {
	bool has_actor, has_subject;
	json_int_t actor;         /* as stored: the console is -1 */
	json_int_t subject;
	const char *action;
	json_int_t from, to;      /* unix seconds, inclusive; 0 = open */
	json_int_t before;        /* seq; 0 = from the newest */
	size_t limit;
	json_t *out;
};

/* A non-negative integer filter value (actor may also be -1, the console). */
static poort_err int_field(const json_t *v, const char *name, json_int_t min, json_int_t *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < min)
		return fail(POORT_E_INVALID, "%s", name);
	*out = json_integer_value(v);
	return POORT_OK;
}

static poort_err parse_filter(const json_t *f, struct query *q)
{
	const char *k;
	json_t *v;
	json_int_t limit = DEFAULT_LIMIT;
	poort_err err = POORT_OK;

	if (!f)
		goto out;
	if (!json_is_object(f))
		return fail(POORT_E_INVALID, "filter");
	json_object_foreach((json_t *)f, k, v) {
		if (strcmp(k, "actor") == 0) {
			q->has_actor = true;
			err = int_field(v, k, -1, &q->actor);
		} else if (strcmp(k, "subject") == 0) {
			q->has_subject = true;
			err = int_field(v, k, 0, &q->subject);
		} else if (strcmp(k, "action") == 0) {
			q->action = json_string_value(v);
			if (!text_ok(q->action, 100))
				err = fail(POORT_E_INVALID, "action");
		} else if (strcmp(k, "from") == 0) {
			err = int_field(v, k, 0, &q->from);
		} else if (strcmp(k, "to") == 0) {
			err = int_field(v, k, 0, &q->to);
		} else if (strcmp(k, "before") == 0) {
			err = int_field(v, k, 1, &q->before);
		} else if (strcmp(k, "limit") == 0) {
			if ((err = int_field(v, k, 1, &limit)) == POORT_OK && limit > MAX_LIMIT)
				err = fail(POORT_E_INVALID, "limit: at most %d", MAX_LIMIT);
		} else {
			err = fail(POORT_E_INVALID, "%s: unknown filter", k);
		}
		if (err)
			return err;
	}
	if (q->from && q->to && q->to < q->from)
		return fail(POORT_E_INVALID, "to: before from");
out:
	q->limit = (size_t)limit;
	return err;
}

static poort_err match_fn(tx *t, const void *k, size_t klen, json_t *e, void *arg)
{
	struct query *q = arg;
	json_int_t seq = klen == 8 ? (json_int_t)key_get_id(k, 0) : 0;
	json_int_t at = json_integer_value(json_object_get(e, "at"));
	const char *action = jstr(e, "action");

	(void)t;
	if (q->before && seq >= q->before)
		return POORT_OK;
	if ((q->has_actor && json_integer_value(json_object_get(e, "actor")) != q->actor) ||
	    (q->has_subject && json_integer_value(json_object_get(e, "subject")) != q->subject) ||
	    (q->action && (!action || strcmp(action, q->action) != 0)) || (q->from && at < q->from) ||
	    (q->to && at > q->to))
		return POORT_OK;
	if (!json_object_get(e, "detail"))
		json_object_set_new(e, "detail", json_null());
	json_array_append(q->out, e);
	return json_array_size(q->out) >= q->limit ? STORE_STOP : POORT_OK;
}

static poort_err query_op(tx *t, void *arg)
{
	struct query *q = arg;
	poort_err err = authz_admin(t);

	json_array_clear(q->out);
	return err ? err : store_walk_back(t, DB_AUDIT, match_fn, q);
}

poort_err poort_audit_query(poort *p, poort_id actor, const json_t *filter, json_t **out)
{
	struct query q = { 0 };
	poort_err err;

	*out = NULL;
	detail_clear();
	if ((err = parse_filter(filter, &q)))
		return err;
	q.out = json_array();
	if ((err = tx_read(p, actor, query_op, &q))) {
		json_decref(q.out);
		return err;
	}
	*out = q.out;
	return POORT_OK;
}
