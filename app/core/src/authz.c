/* authz.c - who may do what. Every domain operation asks here, inside its
 * own transaction, before it reads or changes anything. */
#include "core.h"

const char *poort_role_name(poort_role r)
{
	switch (r) {
	case POORT_ROLE_NONE: return "none";
	case POORT_ROLE_PARENT: return "parent";
	case POORT_ROLE_TEACHER: return "teacher";
	case POORT_ROLE_IB: return "ib";
	case POORT_ROLE_DIRECTOR: return "director";
	case POORT_ROLE_ADMIN: return "admin";
	case POORT_ROLE_CONSOLE: return "console";
	}
	return "none";
}

const char *poort_role_label(poort_role r)
{
	switch (r) {
	case POORT_ROLE_PARENT: return POORT_LABEL_ROLE_PARENT;
	case POORT_ROLE_TEACHER: return POORT_LABEL_ROLE_TEACHER;
	case POORT_ROLE_IB: return POORT_LABEL_ROLE_IB;
	case POORT_ROLE_DIRECTOR: return POORT_LABEL_ROLE_DIRECTOR;
	case POORT_ROLE_ADMIN:
	case POORT_ROLE_CONSOLE: return POORT_LABEL_ROLE_ADMIN;
	case POORT_ROLE_NONE: break;
	}
	return "";
}

poort_err poort_role_parse(const char *s, poort_role *out)
{
	for (poort_role r = POORT_ROLE_PARENT; r <= POORT_ROLE_CONSOLE; r++) {
		if (s && strcmp(s, poort_role_name(r)) == 0) {
			*out = r;
			return POORT_OK;
		}
	}
	return fail(POORT_E_INVALID, "role");
}

bool authz_is_staff(const actor_ctx *a)
{
	return a->role >= POORT_ROLE_TEACHER;
}

bool authz_is_admin(const actor_ctx *a)
{
	return a->role == POORT_ROLE_ADMIN || a->role == POORT_ROLE_CONSOLE;
}

bool authz_sees_all_pupils(const actor_ctx *a)
{
	return a->role >= POORT_ROLE_IB;
}

bool authz_is_guardian_of(tx *t, const actor_ctx *a, poort_id pupil)
{
	key k;
	json_t *link;
	bool yes;

	if (a->role != POORT_ROLE_PARENT || !a->guardian)
		return false;
	k = key_id_id(pupil, a->guardian);
	if (store_get_shared(t, DB_LINKS, &k, &link) != POORT_OK)
		return false;
	yes = jbool(link, "portal", true);
	json_decref(link);
	return yes;
}

bool authz_teaches_group(const actor_ctx *a, poort_id group)
{
	for (int i = 0; i < a->ngroups; i++)
		if (a->groups[i] == group)
			return true;
	return false;
}

bool authz_teaches_pupil(tx *t, const actor_ctx *a, poort_id pupil)
{
	key k = key_id(pupil);
	json_t *rec;
	bool yes;

	if (a->role != POORT_ROLE_TEACHER || store_get(t, DB_PUPILS, &k, &rec) != POORT_OK)
		return false;
	yes = authz_teaches_group(a, jid(rec, "group"));
	json_decref(rec);
	return yes;
}

/* Staff learn that a pupil does not exist; anyone else only that they may
 * not see it, so that ids reveal nothing about other families. */
static poort_err pupil_missing(tx *t, poort_id pupil)
{
	key k = key_id(pupil);

	if (store_has(t, DB_PUPILS, &k))
		return POORT_OK;
	return authz_is_staff(tx_actor(t)) ? fail(POORT_E_NOT_FOUND, "pupil %llu", (unsigned long long)pupil)
	                                   : fail(POORT_E_DENIED, "pupil");
}

poort_err authz_pupil_view(tx *t, poort_id pupil)
{
	const actor_ctx *a = tx_actor(t);
	poort_err err = pupil_missing(t, pupil);

	if (err)
		return err;
	if (authz_sees_all_pupils(a) || authz_teaches_pupil(t, a, pupil) || authz_is_guardian_of(t, a, pupil))
		return POORT_OK;
	return fail(POORT_E_DENIED, "pupil");
}

poort_err authz_pupil_parent(tx *t, poort_id pupil)
{
	const actor_ctx *a = tx_actor(t);
	poort_err err = pupil_missing(t, pupil);

	if (err)
		return err;
	if (authz_is_admin(a) || authz_is_guardian_of(t, a, pupil))
		return POORT_OK;
	return fail(POORT_E_DENIED, "pupil");
}

poort_err authz_pupil_teacher(tx *t, poort_id pupil)
{
	const actor_ctx *a = tx_actor(t);
	poort_err err = pupil_missing(t, pupil);

	if (err)
		return err;
	if (authz_sees_all_pupils(a) || authz_teaches_pupil(t, a, pupil))
		return POORT_OK;
	return fail(POORT_E_DENIED, "pupil");
}

poort_err authz_admin(tx *t)
{
	return authz_is_admin(tx_actor(t)) ? POORT_OK : fail(POORT_E_DENIED, "administrators only");
}

poort_err authz_staff(tx *t)
{
	return authz_is_staff(tx_actor(t)) ? POORT_OK : fail(POORT_E_DENIED, "staff only");
}

json_t *guardian_visible(const actor_ctx *a, const json_t *g)
{
	json_t *copy = json_deep_copy(g);

	/* Hidden contact data is for staff and the guardian themself only. */
	if (jbool(g, "hide_contact", false) && !authz_is_staff(a) && a->guardian != jid(g, "id")) {
		json_object_del(copy, "email");
		json_object_del(copy, "phone");
		json_object_del(copy, "address");
	}
	return copy;
}

struct role_args {
	poort_id account;
	poort_role role;
};

static poort_err role_op(tx *t, void *arg)
{
	struct role_args *a = arg;
	a->role = tx_actor(t)->role;
	return POORT_OK;
}

poort_err poort_account_role(poort *p, poort_id account, poort_role *role)
{
	struct role_args a = { account, POORT_ROLE_NONE };
	poort_err err = tx_read(p, account, role_op, &a);

	*role = a.role;
	return err;
}
