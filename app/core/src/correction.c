/* correction.c - correction requests ("potloodje"): a guardian proposes,
 * an administrator decides, and an approved change applies to the record in
 * the same transaction (store_put logs it in the change log).
 *
 * DB_CORRECTIONS key id: {"id", "target", "subject": guardian or pupil id,
 *   "guardian": proposer, "proposed_by": account, "proposed_at", "changes",
 *   "status": "pending|approved|rejected", "reason"?, "decided_by"?,
 *   "decided_at"?, "applied_at"? (approved only)}
 *
 * What a guardian may propose, per target (everything else is refused):
 *   guardian  (own record)   email, phone, address
 *   pupil     (child)        first_name, middle_name, last_name, birth_date,
 *                            address, pickup_adults
 *   medical   (child)        conditions, allergies, medication, doctor
 *   emergency (child)        emergency_contacts (the whole list)
 * Values are validated by people.c's validators, as the record itself is;
 * null or "" clears an optional field. Changes to a child need a link with
 * parental authority (gezag), not only portal access.
 *
 * Guardians see only their own requests: a request about one's own contact
 * data must never reach the other guardian. Administrators reading medical
 * requests get a "medical.read" audit entry per request.
 */
#include "core.h"

#include <stdio.h>

#define MAX_REASON 500
#define MAX_PENDING_PER_GUARDIAN 20

static const struct {
	const char *name;
	const char *const fields[8];
} targets[] = {
	[POORT_CORR_GUARDIAN] = { "guardian", { "email", "phone", "address" } },
	[POORT_CORR_PUPIL] = { "pupil",
	                       { "first_name", "middle_name", "last_name", "birth_date", "address", "pickup_adults" } },
	[POORT_CORR_MEDICAL] = { "medical", { "conditions", "allergies", "medication", "doctor" } },
	[POORT_CORR_EMERGENCY] = { "emergency", { "emergency_contacts" } },
};

static bool target_valid(poort_correction_target t)
{
	return t >= POORT_CORR_GUARDIAN && t <= POORT_CORR_EMERGENCY;
}

const char *poort_correction_target_name(poort_correction_target t)
{
	return target_valid(t) ? targets[t].name : "?";
}

poort_err poort_correction_target_parse(const char *s, poort_correction_target *out)
{
	for (poort_correction_target t = POORT_CORR_GUARDIAN; t <= POORT_CORR_EMERGENCY; t++) {
		if (s && strcmp(s, targets[t].name) == 0) {
			*out = t;
			return POORT_OK;
		}
	}
	return fail(POORT_E_INVALID, "target");
}

static poort_err module_on(tx *t)
{
	return school_module_on(t, "corrections") ? POORT_OK : fail(POORT_E_MODULE_OFF, "corrections");
}

/* Shape and values of changes for target; no store needed. */
static poort_err changes_validate(poort_correction_target target, const json_t *changes)
{
	const char *k;
	json_t *v;

	if (!json_is_object(changes) || json_object_size(changes) == 0)
		return fail(POORT_E_INVALID, "changes");
	json_object_foreach((json_t *)changes, k, v) {
		bool allowed = false;
		for (size_t i = 0; targets[target].fields[i] && !allowed; i++)
			allowed = strcmp(k, targets[target].fields[i]) == 0;
		if (!allowed)
			return fail(POORT_E_INVALID, "changes.%s: not something a guardian can change here", k);
	}
	switch (target) {
	case POORT_CORR_GUARDIAN: return guardian_fields_validate(changes, true, "changes");
	case POORT_CORR_PUPIL: return pupil_fields_validate(changes, true, "changes");
	case POORT_CORR_MEDICAL: return medical_validate(changes, true, "changes");
	case POORT_CORR_EMERGENCY: return contacts_validate(json_object_get(changes, "emergency_contacts"), "changes");
	}
	return fail(POORT_E_INVALID, "target");
}

/* ---- propose ---- */

struct propose_args {
	poort_correction_target target;
	poort_id subject;
	const json_t *changes;
	poort_id id;   /* out */
};

/* The proposer may change this subject: their own record, or a child they
 * have portal access to and parental authority over. */
static poort_err authz_propose(tx *t, poort_correction_target target, poort_id subject)
{
	const actor_ctx *a = tx_actor(t);
	json_t *link = NULL;
	key lk = key_id_id(subject, a->guardian);
	bool authority;
	poort_err err;

	if (a->role != POORT_ROLE_PARENT || !a->guardian)
		return fail(POORT_E_DENIED, "guardians propose corrections");
	if (target == POORT_CORR_GUARDIAN)
		return subject == a->guardian ? POORT_OK : fail(POORT_E_DENIED, "only your own contact data");
	if ((err = authz_pupil_parent(t, subject)))
		return err;
	if ((err = store_get(t, DB_LINKS, &lk, &link)))
		return err == POORT_E_NOT_FOUND ? fail(POORT_E_DENIED, "pupil") : err;
	authority = jbool(link, "authority", true);
	json_decref(link);
	return authority ? POORT_OK : fail(POORT_E_DENIED, "changes to a child need parental authority");
}

struct pending_count {
	poort_id guardian;
	int n;
};

static poort_err count_pending_fn(tx *t, const void *k, size_t klen, json_t *rec, void *arg)
{
	struct pending_count *c = arg;

	(void)t, (void)k, (void)klen;
	if (jid(rec, "guardian") == c->guardian && strcmp(jstr(rec, "status") ? jstr(rec, "status") : "", "pending") == 0)
		c->n++;
	return POORT_OK;
}

static poort_err propose_op(tx *t, void *arg)
{
	struct propose_args *a = arg;
	struct pending_count pc = { tx_actor(t)->guardian, 0 };
	json_t *rec = NULL, *detail = NULL;
	poort_id id;
	key k;
	poort_err err;

	if ((err = module_on(t)) || (err = authz_propose(t, a->target, a->subject)))
		return err;
	if (a->target == POORT_CORR_EMERGENCY &&
	    (err = emergency_contacts_check(t, a->subject, json_object_get(a->changes, "emergency_contacts"), "changes")))
		return err;
	if ((err = store_walk(t, DB_CORRECTIONS, NULL, 0, count_pending_fn, &pc)))
		return err;
	if (pc.n >= MAX_PENDING_PER_GUARDIAN)
		return fail(POORT_E_LIMIT, "at most %d open requests", MAX_PENDING_PER_GUARDIAN);
	if ((err = store_next_id(t, &id)))
		return err;
	rec = json_pack("{sI ss sI sI sI sI sO ss}", "id", (json_int_t)id, "target", targets[a->target].name,
	                "subject", (json_int_t)a->subject, "guardian", (json_int_t)tx_actor(t)->guardian,
	                "proposed_by", (json_int_t)tx_actor(t)->account, "proposed_at", (json_int_t)tx_now(t),
	                "changes", (json_t *)a->changes, "status", "pending");
	if (!rec)
		return POORT_E_NOMEM;
	k = key_id(id);
	if ((err = store_put(t, DB_CORRECTIONS, &k, rec)))
		goto out;
	/* The audit entry names the request, not its contents (medical data). */
	detail = json_pack("{sI ss}", "request", (json_int_t)id, "target", targets[a->target].name);
	if ((err = audit_add(t, "correction.propose", a->subject, detail)))
		goto out;
	a->id = id;
out:
	json_decref(rec);
	json_decref(detail);
	return err;
}

poort_err poort_correction_propose(poort *p, poort_id actor, poort_correction_target target, poort_id id,
                                   const json_t *changes, poort_id *request)
{
	struct propose_args a = { target, id, changes, 0 };
	poort_err err;

	*request = 0;
	detail_clear();
	if (!target_valid(target))
		return fail(POORT_E_INVALID, "target");
	if ((err = changes_validate(target, changes)))
		return err;
	if ((err = tx_write(p, actor, propose_op, &a)) == POORT_OK)
		*request = a.id;
	return err;
}

/* ---- decide ---- */

/* rec with changes merged in: null or "" removes the field. New object. */
static json_t *merged(const json_t *rec, const json_t *changes)
{
	json_t *out = json_deep_copy(rec), *v;
	const char *k;

	json_object_foreach((json_t *)changes, k, v) {
		if (json_is_null(v) || (json_is_string(v) && !*json_string_value(v)) ||
		    (json_is_array(v) && json_array_size(v) == 0))
			json_object_del(out, k);
		else
			json_object_set(out, k, v);
	}
	return out;
}

/* A guardian's web login follows their e-mail address (as in import). */
static poort_err follow_email(tx *t, const json_t *guardian)
{
	key ak = key_id(jid(guardian, "account"));
	json_t *acc = NULL;
	poort_err err;

	if (!jid(guardian, "account"))
		return POORT_OK;
	if ((err = store_get(t, DB_ACCOUNTS, &ak, &acc)))
		return err == POORT_E_NOT_FOUND ? POORT_OK : err;
	if (jstr(acc, "username") && !(err = account_set_username(t, acc, jstr(guardian, "email"), "changes.email")))
		err = account_put(t, acc);
	json_decref(acc);
	return err;
}

/* A guardian's new phone number must not be a child's emergency number. */
static poort_err children_contacts_ok(tx *t, poort_id guardian)
{
	poort_id ids[64];
	json_t *pupil;
	int n;
	poort_err err = pupil_ids_of_guardian(t, guardian, ids, 64, &n);

	for (int i = 0; !err && i < n && i < 64; i++) {
		if ((err = pupil_get(t, ids[i], &pupil)))
			break;
		if (json_object_get(pupil, "emergency_contacts"))
			err = emergency_contacts_check(t, ids[i], json_object_get(pupil, "emergency_contacts"), "changes");
		json_decref(pupil);
	}
	return err;
}

static poort_err apply(tx *t, const json_t *req)
{
	poort_correction_target target = 0;
	const json_t *changes = json_object_get(req, "changes");
	poort_id subject = jid(req, "subject");
	key k = key_id(subject);
	json_t *old = NULL, *rec = NULL;
	poort_err err;

	/* Validated again: a stored request is input like any other. */
	if ((err = poort_correction_target_parse(jstr(req, "target"), &target)) ||
	    (err = changes_validate(target, changes)))
		return err;
	switch (target) {
	case POORT_CORR_GUARDIAN:
		if ((err = guardian_get(t, subject, &old)))
			return err;
		rec = merged(old, changes);
		if (!(err = store_put(t, DB_GUARDIANS, &k, rec)) && !(err = children_contacts_ok(t, subject)) &&
		    json_object_get(changes, "email"))
			err = follow_email(t, rec);
		break;
	case POORT_CORR_PUPIL:
	case POORT_CORR_EMERGENCY:
		if ((err = pupil_get(t, subject, &old)))
			return err;
		rec = merged(old, changes);
		if (target == POORT_CORR_EMERGENCY && json_object_get(rec, "emergency_contacts"))
			err = emergency_contacts_check(t, subject, json_object_get(rec, "emergency_contacts"), "changes");
		if (!err)
			err = store_put(t, DB_PUPILS, &k, rec);
		break;
	case POORT_CORR_MEDICAL:
		if (!store_has(t, DB_PUPILS, &k))
			return fail(POORT_E_NOT_FOUND, "pupil %llu", (unsigned long long)subject);
		err = store_get(t, DB_MEDICAL, &k, &old);
		if (err == POORT_E_NOT_FOUND) {
			old = json_object();
			err = POORT_OK;
		}
		if (!err) {
			rec = merged(old, changes);
			err = store_put(t, DB_MEDICAL, &k, rec);
		}
		break;
	}
	json_decref(old);
	json_decref(rec);
	return err;
}

struct decide_args {
	poort_id request;
	bool approve;
	const char *reason;
};

static poort_err decide_op(tx *t, void *arg)
{
	struct decide_args *a = arg;
	key k = key_id(a->request);
	json_t *req = NULL, *detail = NULL;
	poort_err err;

	if ((err = module_on(t)) || (err = authz_admin(t)))
		return err;
	if ((err = store_get(t, DB_CORRECTIONS, &k, &req)))
		return err == POORT_E_NOT_FOUND ? fail(err, "request %llu", (unsigned long long)a->request) : err;
	if (strcmp(jstr(req, "status") ? jstr(req, "status") : "", "pending") != 0) {
		err = fail(POORT_E_CONFLICT, "request already %s", jstr(req, "status"));
		goto out;
	}
	if (a->approve && (err = apply(t, req)))
		goto out;
	json_object_set_new(req, "status", json_string(a->approve ? "approved" : "rejected"));
	json_object_set_new(req, "decided_by", json_integer((json_int_t)tx_actor(t)->account));
	json_object_set_new(req, "decided_at", json_integer((json_int_t)tx_now(t)));
	if (a->approve)
		json_object_set_new(req, "applied_at", json_integer((json_int_t)tx_now(t)));
	if (a->reason && *a->reason)
		json_object_set_new(req, "reason", json_string(a->reason));
	if ((err = store_put(t, DB_CORRECTIONS, &k, req)))
		goto out;
	detail = json_pack("{sI ss}", "request", (json_int_t)a->request, "target", jstr(req, "target"));
	err = audit_add(t, a->approve ? "correction.approve" : "correction.reject", jid(req, "subject"), detail);
out:
	json_decref(req);
	json_decref(detail);
	return err;
}

poort_err poort_correction_decide(poort *p, poort_id actor, poort_id request, bool approve, const char *reason)
{
	struct decide_args a = { request, approve, reason };

	detail_clear();
	if (!approve && !text_ok(reason, MAX_REASON))
		return fail(POORT_E_INVALID, "reason");
	if (approve && reason && *reason && !text_ok(reason, MAX_REASON))
		return fail(POORT_E_INVALID, "reason");
	return tx_write(p, actor, decide_op, &a);
}

/* ---- list ---- */

struct list_args {
	bool pending_only;
	json_t *out;
};

/* The changed fields' current values, for the administrator's comparison. */
static json_t *current_values(tx *t, const json_t *req)
{
	poort_correction_target target = 0;
	key k = key_id(jid(req, "subject"));
	json_t *rec = NULL, *cur = json_object(), *v;
	const char *f;

	if (poort_correction_target_parse(jstr(req, "target"), &target) == POORT_OK)
		store_get(t, target == POORT_CORR_GUARDIAN ? DB_GUARDIANS : target == POORT_CORR_MEDICAL ? DB_MEDICAL : DB_PUPILS,
		          &k, &rec);
	detail_clear();
	json_object_foreach(json_object_get(req, "changes"), f, v) {
		json_t *now = json_object_get(rec, f);
		json_object_set(cur, f, now ? now : json_null());
	}
	json_decref(rec);
	return cur;
}

static poort_err list_fn(tx *t, const void *k, size_t klen, json_t *req, void *arg)
{
	struct list_args *a = arg;
	const actor_ctx *act = tx_actor(t);
	const char *target = jstr(req, "target") ? jstr(req, "target") : "";
	bool pending = strcmp(jstr(req, "status") ? jstr(req, "status") : "", "pending") == 0;
	bool medical = strcmp(target, "medical") == 0;
	json_t *e, *subject = NULL, *detail;
	char name[256] = "";
	key sk = key_id(jid(req, "subject"));
	poort_err err;

	(void)k, (void)klen;
	if ((act->role == POORT_ROLE_PARENT && jid(req, "guardian") != act->guardian) || (a->pending_only && !pending))
		return POORT_OK;
	e = json_deep_copy(req);
	if (store_get(t, strcmp(target, "guardian") == 0 ? DB_GUARDIANS : DB_PUPILS, &sk, &subject) == POORT_OK)
		person_name(subject, name, sizeof name);
	json_decref(subject);
	detail_clear();
	json_object_set_new(e, "subject_name", json_string(name));
	if (!json_object_get(e, "reason"))
		json_object_set_new(e, "reason", json_null());
	if (authz_is_admin(act)) {
		if (pending)
			json_object_set_new(e, "current", current_values(t, req));
		if (medical) {
			detail = json_pack("{sO}", "correction", json_object_get(req, "id"));
			err = audit_add(t, "medical.read", jid(req, "subject"), detail);
			json_decref(detail);
			if (err) {
				json_decref(e);
				return err;
			}
		}
	}
	json_array_append_new(a->out, e);
	return POORT_OK;
}

static poort_err list_op(tx *t, void *arg)
{
	struct list_args *a = arg;
	const actor_ctx *act = tx_actor(t);

	if (!authz_is_admin(act) && !(act->role == POORT_ROLE_PARENT && act->guardian))
		return fail(POORT_E_DENIED, "corrections");
	json_array_clear(a->out);
	return store_walk(t, DB_CORRECTIONS, NULL, 0, list_fn, a);
}

poort_err poort_correction_list(poort *p, poort_id actor, bool pending_only, json_t **out)
{
	struct list_args a = { pending_only, json_array() };
	/* A write transaction: administrators' reads of medical requests are audited. */
	poort_err err = tx_write(p, actor, list_op, &a);

	*out = result_if_ok(err, a.out);
	return err;
}

/* ---- invariants ---- */

static poort_err check_fn(tx *t, const void *k, size_t klen, json_t *req, void *arg)
{
	json_t *v = arg;
	poort_id id = klen == 8 ? key_get_id(k, 0) : 0;
	poort_correction_target target = 0;
	const char *status = jstr(req, "status") ? jstr(req, "status") : "";
	bool pending = strcmp(status, "pending") == 0, approved = strcmp(status, "approved") == 0,
	     rejected = strcmp(status, "rejected") == 0;
	key gk = key_id(jid(req, "guardian")), sk = key_id(jid(req, "subject"));

	if (klen != 8 || jid(req, "id") != id) {
		check_report(v, "correction.key", "request with a malformed key");
		return POORT_OK;
	}
	if (poort_correction_target_parse(jstr(req, "target"), &target))
		check_report(v, "correction.target", "request %llu: target", (unsigned long long)id);
	if (!pending && !approved && !rejected)
		check_report(v, "correction.status", "request %llu: status \"%s\"", (unsigned long long)id, status);
	if (pending && (json_object_get(req, "applied_at") || json_object_get(req, "decided_at")))
		check_report(v, "correction.pending", "pending request %llu was decided or applied", (unsigned long long)id);
	if (approved && (!json_object_get(req, "applied_at") || !json_object_get(req, "decided_by")))
		check_report(v, "correction.approved", "approved request %llu not applied", (unsigned long long)id);
	if (rejected && (json_object_get(req, "applied_at") || !jstr(req, "reason")))
		check_report(v, "correction.rejected", "rejected request %llu applied or without a reason",
		             (unsigned long long)id);
	if (!store_has(t, DB_GUARDIANS, &gk))
		check_report(v, "correction.guardian", "request %llu: proposer missing", (unsigned long long)id);
	if (pending && target && !store_has(t, target == POORT_CORR_GUARDIAN ? DB_GUARDIANS : DB_PUPILS, &sk))
		check_report(v, "correction.subject", "pending request %llu: subject missing", (unsigned long long)id);
	detail_clear();
	return POORT_OK;
}

poort_err correction_check(tx *t, json_t *violations)
{
	return store_walk(t, DB_CORRECTIONS, NULL, 0, check_fn, violations);
}
