/* Accounts and logins: argon2id parameters, the three login kinds, lockout
 * with doubling time, no difference between unknown and wrong credentials,
 * credential resets, staff creation, who may see and change what. */
#include "test.h"
#include "people_fixture.h"

/* The stored value of the last change to an account record (from the
 * change log: the only public window on what is stored). */
static json_t *last_account_change(poort *p, poort_id account)
{
	json_t *log, *e, *found = NULL;
	size_t i;

	E(poort_changelog_read(p, POORT_ACTOR_CONSOLE, 0, 100000, &log));
	json_array_foreach(log, i, e) {
		json_t *v = json_object_get(e, "value");
		if (strcmp(json_string_value(json_object_get(e, "db")), "accounts") == 0 &&
		    (poort_id)json_integer_value(json_object_get(v, "id")) == account) {
			json_decref(found);
			found = json_incref(v);
		}
	}
	json_decref(log);
	return found;
}

static void owasp_by_default(poort *p)
{
	poort_id staff, acc;
	json_t *rec, *view;
	const char *hash;

	/* Without POORT_KDF the production parameters apply. */
	unsetenv("POORT_KDF");
	E(poort_staff_create(p, POORT_ACTOR_CONSOLE, "Kees", "Kees Bos", POORT_ROLE_DIRECTOR, "directeur-wachtwoord",
	                     NULL, &staff));
	setenv("POORT_KDF", "test", 1);
	E(poort_login_password(p, "kees", "directeur-wachtwoord", &acc));
	rec = last_account_change(p, acc);
	hash = json_string_value(json_object_get(rec, "password"));
	CHECK(hash && strncmp(hash, "$argon2id$v=19$m=19456,t=2,p=1$", 31) == 0, "OWASP parameters: %s", hash);
	{
		char *text = json_dumps(rec, 0);
		CHECK(!strstr(text, "directeur-wachtwoord"), "no plaintext stored");
		free(text);
	}
	json_decref(rec);
	E(poort_account_view(p, acc, acc, &view));
	CHECK(strcmp(json_string_value(json_object_get(view, "role")), "director") == 0, "role");
	CHECK(strcmp(json_string_value(json_object_get(view, "name")), "Kees Bos") == 0, "name");
	CHECK(!json_object_get(view, "password") && !json_object_get(view, "pin"), "no secrets in the view");
	json_decref(view);
}

static void password_logins(poort *p)
{
	poort_id acc, acc2;
	poort_role role;

	E(poort_login_password(p, "anna", STAFF_PASSWORD, &acc));
	E(poort_account_role(p, acc, &role));
	CHECK(role == POORT_ROLE_TEACHER, "anna is a teacher");
	E(poort_login_password(p, "ANNA", STAFF_PASSWORD, &acc2));
	CHECK(acc == acc2, "usernames are case-insensitive");
	EXPECT_ERR(poort_login_password(p, "anna", "wrong-password", &acc2), POORT_E_AUTH);
	CHECK(acc2 == 0, "no account on failure");
	EXPECT_ERR(poort_login_password(p, "nobody", STAFF_PASSWORD, &acc2), POORT_E_AUTH);
	EXPECT_ERR(poort_login_password(p, "", "", &acc2), POORT_E_AUTH);
	EXPECT_ERR(poort_login_password(p, NULL, NULL, &acc2), POORT_E_AUTH);
	{
		char long_name[400];
		memset(long_name, 'x', sizeof long_name - 1);
		long_name[sizeof long_name - 1] = 0;
		EXPECT_ERR(poort_login_password(p, long_name, STAFF_PASSWORD, &acc2), POORT_E_AUTH);
	}
	/* Parents with a password log in with their e-mail address. */
	E(poort_login_password(p, "marieke@example.nl", MARIEKE_PASSWORD, &acc));
	E(poort_account_role(p, acc, &role));
	CHECK(role == POORT_ROLE_PARENT, "parent");
	E(poort_login_card(p, MARIEKE_CARD, &acc2));
	CHECK(acc == acc2, "card and password are the same account");
	EXPECT_ERR(poort_login_card(p, "kaart-die-niet-bestaat-000", &acc2), POORT_E_AUTH);
	EXPECT_ERR(poort_login_card(p, NULL, &acc2), POORT_E_AUTH);
}

static void kiosk_lockout(poort *p)
{
	poort_id acc, ok;

	test_set_now(p, "2026-11-23T08:00");
	E(poort_login_kiosk(p, "100003", "11111", &ok));
	/* An unknown code answers exactly like a wrong PIN, lockout included:
	 * nothing tells whether a code exists. */
	for (int i = 0; i < 4; i++)
		EXPECT_ERR(poort_login_kiosk(p, "999999", "11111", &acc), POORT_E_AUTH);
	EXPECT_ERR(poort_login_kiosk(p, "999999", "11111", &acc), POORT_E_LOCKED);
	CHECK(strstr(poort_error_detail(), "2026-11-23T08:01") != NULL, "unlock time: %s", poort_error_detail());
	EXPECT_ERR(poort_login_kiosk(p, "12ab", "11111", &acc), POORT_E_AUTH);
	EXPECT_ERR(poort_login_password(p, "niemand", "wat-dan-ook-123", &acc), POORT_E_AUTH);
	for (int i = 0; i < 4; i++)
		EXPECT_ERR(poort_login_kiosk(p, "100003", "00000", &acc), POORT_E_AUTH);
	EXPECT_ERR(poort_login_kiosk(p, "100003", "00000", &acc), POORT_E_LOCKED);
	CHECK(strstr(poort_error_detail(), "2026-11-23T08:01") != NULL, "unlock time in detail: %s", poort_error_detail());
	/* Locked: even the right PIN is refused. */
	EXPECT_ERR(poort_login_kiosk(p, "100003", "11111", &acc), POORT_E_LOCKED);
	test_set_now(p, "2026-11-23T08:01");
	/* Still failing after the lockout: the second one lasts twice as long. */
	for (int i = 0; i < 5; i++)
		poort_login_kiosk(p, "100003", "99999", &acc);
	EXPECT_ERR(poort_login_kiosk(p, "100003", "11111", &acc), POORT_E_LOCKED);
	CHECK(strstr(poort_error_detail(), "2026-11-23T08:03") != NULL, "2 min: %s", poort_error_detail());
	test_set_now(p, "2026-11-23T08:02");
	EXPECT_ERR(poort_login_kiosk(p, "100003", "11111", &acc), POORT_E_LOCKED);
	test_set_now(p, "2026-11-23T08:03");
	/* Failures after a lockout count from zero again (4 more are not enough). */
	for (int i = 0; i < 4; i++)
		EXPECT_ERR(poort_login_kiosk(p, "100003", "99999", &acc), POORT_E_AUTH);
	E(poort_login_kiosk(p, "100003", "11111", &acc));
	CHECK(acc == ok, "same account after the lockouts");
	/* A success resets both the failures and the doubling. */
	for (int i = 0; i < 5; i++)
		poort_login_kiosk(p, "100003", "99999", &acc);
	EXPECT_ERR(poort_login_kiosk(p, "100003", "11111", &acc), POORT_E_LOCKED);
	CHECK(strstr(poort_error_detail(), "2026-11-23T08:04") != NULL, "back to 1 min: %s", poort_error_detail());
	{
		json_t *f = json_pack("{ss}", "action", "login.locked"), *entries;
		E(poort_audit_query(p, POORT_ACTOR_CONSOLE, f, &entries));
		CHECK(json_array_size(entries) >= 4, "every lockout audited: %zu", json_array_size(entries));
		json_decref(entries);
		json_object_set_new(f, "action", json_string("login.failed"));
		E(poort_audit_query(p, POORT_ACTOR_CONSOLE, f, &entries));
		CHECK(json_array_size(entries) >= 10, "failures audited: %zu", json_array_size(entries));
		{
			char *text = json_dumps(entries, 0);
			CHECK(text && !strstr(text, "99999") && !strstr(text, "00000"), "no PIN in the audit");
			free(text);
		}
		json_decref(entries);
		json_decref(f);
	}
	/* Other parents are not affected. */
	E(poort_login_kiosk(p, "100004", "22222", &acc));

	/* Staff passwords lock the same way, and the lock survives reopening. */
	for (int i = 0; i < 5; i++)
		poort_login_password(p, "piet", "niet-het-wachtwoord", &acc);
	EXPECT_ERR(poort_login_password(p, "piet", STAFF_PASSWORD, &acc), POORT_E_LOCKED);
	/* A day's cap: many lockouts never lock for more than 24 hours. */
	test_set_now(p, "2026-11-23T09:00");
}

static void lockout_cap(poort *p)
{
	poort_id acc;
	char now[20];
	int hour = 10;

	/* After enough doublings a lockout lasts one day at most. */
	for (int round = 0; round < 14; round++) {
		snprintf(now, sizeof now, "2026-%02d-%02dT%02d:00", 12, 1 + round * 2, hour);
		test_set_now(p, now);
		for (int i = 0; i < 5; i++)
			poort_login_kiosk(p, "100004", "00000", &acc);
	}
	EXPECT_ERR(poort_login_kiosk(p, "100004", "22222", &acc), POORT_E_LOCKED);
	CHECK(strstr(poort_error_detail(), "2026-12-28T10:00") != NULL, "capped at a day: %s", poort_error_detail());
	test_set_now(p, "2026-12-28T10:00");
	E(poort_login_kiosk(p, "100004", "22222", &acc));
}

static void credentials(poort *p)
{
	poort_id g = fixture_guardian(p, "G003"), admin = fixture_login(p, "beheer"), anna = fixture_login(p, "anna");
	poort_id acc, acc2;
	json_t *s;
	const char *code, *pin, *card;
	char old_code[8], old_card[64];

	test_set_now(p, "2027-01-10T08:00");
	EXPECT_ERR(poort_parent_credentials_reset(p, anna, g, POORT_CRED_PIN, &s), POORT_E_DENIED);
	EXPECT_ERR(poort_parent_credentials_reset(p, admin, g, 0, &s), POORT_E_INVALID);
	EXPECT_ERR(poort_parent_credentials_reset(p, admin, 987654, POORT_CRED_PIN, &s), POORT_E_NOT_FOUND);
	E(poort_parent_credentials_reset(p, admin, g, POORT_CRED_PIN | POORT_CRED_CARD, &s));
	code = json_string_value(json_object_get(s, "parent_code"));
	pin = json_string_value(json_object_get(s, "pin"));
	card = json_string_value(json_object_get(s, "card"));
	CHECK(code && strcmp(code, "100003") == 0, "the code stays: %s", code);
	CHECK(pin && strlen(pin) == 5 && strspn(pin, "0123456789") == 5, "5-digit PIN: %s", pin);
	CHECK(card && strlen(card) == 32, "128-bit card token: %s", card);
	snprintf(old_code, sizeof old_code, "%s", code);
	snprintf(old_card, sizeof old_card, "%s", card);
	EXPECT_ERR(poort_login_kiosk(p, "100003", "11111", &acc), strcmp(pin, "11111") ? POORT_E_AUTH : POORT_OK);
	E(poort_login_kiosk(p, old_code, pin, &acc));
	E(poort_login_card(p, card, &acc2));
	CHECK(acc == acc2, "same account");
	json_decref(s);
	/* No e-mail address, no password login. */
	EXPECT_ERR(poort_parent_credentials_reset(p, admin, g, POORT_CRED_PASSWORD, &s), POORT_E_INVALID);
	CHECK(s == NULL, "no secrets on failure");
	/* A new card replaces the old one. */
	E(poort_parent_credentials_reset(p, POORT_ACTOR_CONSOLE, g, POORT_CRED_CARD, &s));
	EXPECT_ERR(poort_login_card(p, old_card, &acc2), POORT_E_AUTH);
	E(poort_login_card(p, json_string_value(json_object_get(s, "card")), &acc2));
	json_decref(s);

	/* A guardian without any credentials gets a fresh unique code. */
	E(poort_parent_credentials_reset(p, admin, fixture_guardian(p, "G001"), POORT_CRED_PASSWORD, &s));
	CHECK(strcmp(json_string_value(json_object_get(s, "username")), "marieke@example.nl") == 0, "username");
	E(poort_login_password(p, "marieke@example.nl", json_string_value(json_object_get(s, "password")), &acc));
	EXPECT_ERR(poort_login_password(p, "marieke@example.nl", MARIEKE_PASSWORD, &acc), POORT_E_AUTH);
	json_decref(s);
}

static void staff_and_passwords(poort *p)
{
	poort_id admin = fixture_login(p, "beheer"), anna = fixture_login(p, "anna"), staff, acc, piet;
	json_t *groups, *view, *list;

	E(poort_group_list(p, admin, &list));
	groups = json_pack("[O]", json_object_get(json_array_get(list, 0), "id"));
	json_decref(list);
	EXPECT_ERR(poort_staff_create(p, anna, "nieuw", "Nieuw", POORT_ROLE_TEACHER, STAFF_PASSWORD, NULL, &staff),
	           POORT_E_DENIED);
	EXPECT_ERR(poort_staff_create(p, admin, "anna", "Anna 2", POORT_ROLE_TEACHER, NULL, NULL, &staff), POORT_E_EXISTS);
	EXPECT_ERR(poort_staff_create(p, admin, "a b", "X", POORT_ROLE_TEACHER, NULL, NULL, &staff), POORT_E_INVALID);
	EXPECT_ERR(poort_staff_create(p, admin, "xx", "X", POORT_ROLE_PARENT, NULL, NULL, &staff), POORT_E_INVALID);
	EXPECT_ERR(poort_staff_create(p, admin, "xx", "X", POORT_ROLE_TEACHER, "kort", NULL, &staff), POORT_E_INVALID);
	EXPECT_ERR(poort_staff_create(p, admin, "xx", "", POORT_ROLE_TEACHER, NULL, NULL, &staff), POORT_E_INVALID);
	{
		json_t *bad = json_pack("[i]", 999999);
		EXPECT_ERR(poort_staff_create(p, admin, "xx", "X", POORT_ROLE_TEACHER, NULL, bad, &staff), POORT_E_NOT_FOUND);
		json_decref(bad);
	}
	E(poort_staff_create(p, admin, "lotte", "Lotte Mulder", POORT_ROLE_TEACHER, NULL, groups, &staff));
	/* No password yet: no login at all. */
	EXPECT_ERR(poort_login_password(p, "lotte", "", &acc), POORT_E_AUTH);
	json_decref(groups);

	piet = fixture_login(p, "piet");
	E(poort_account_view(p, admin, piet, &view));
	json_decref(view);
	EXPECT_ERR(poort_account_view(p, anna, piet, &view), POORT_E_DENIED);
	EXPECT_ERR(poort_password_set(p, anna, piet, "nieuw-wachtwoord-123"), POORT_E_DENIED);
	EXPECT_ERR(poort_password_set(p, anna, anna, "kort"), POORT_E_INVALID);
	E(poort_password_set(p, anna, anna, "nieuw-wachtwoord-123"));
	EXPECT_ERR(poort_login_password(p, "anna", STAFF_PASSWORD, &acc), POORT_E_AUTH);
	E(poort_login_password(p, "anna", "nieuw-wachtwoord-123", &acc));
	E(poort_password_set(p, admin, anna, STAFF_PASSWORD));
	E(poort_login_password(p, "anna", STAFF_PASSWORD, &acc));
}

int main(void)
{
	char *dir;
	poort *p = fixture_open("account", &dir);
	poort_role role;

	CHECK(strcmp(poort_role_name(POORT_ROLE_IB), "ib") == 0, "role names");
	EXPECT_ERR(poort_role_parse("king", &role), POORT_E_INVALID);
	owasp_by_default(p);
	password_logins(p);
	kiosk_lockout(p);
	lockout_cap(p);
	credentials(p);
	staff_and_passwords(p);
	poort_close(p);
	test_rmdir(dir);
	free(dir);
	return test_done("core_account");
}
