/* account.h - accounts, roles and credentials.
 *
 * Staff log in with username + password; parents with email + password on
 * the web, with parent code + PIN or their card at the kiosk. Passwords and
 * PINs are stored as argon2id hashes (OWASP: m=19 MiB, t=2, p=1); card
 * tokens as SHA-256. Every failed attempt is counted in the store; after 5
 * the login is locked for 1 minute, doubling with every further lockout
 * (at most a day); a success resets the count. Error answers never tell
 * whether a code or username exists: unknown ones are counted and locked
 * alike (in the process's memory, as there is no account to store it in).
 */
#ifndef POORT_ACCOUNT_H
#define POORT_ACCOUNT_H
#include <poort/poort.h>

typedef enum poort_role {
	POORT_ROLE_NONE = 0,
	POORT_ROLE_PARENT,
	POORT_ROLE_TEACHER,
	POORT_ROLE_IB,        /* intern begeleider */
	POORT_ROLE_DIRECTOR,
	POORT_ROLE_ADMIN,
	POORT_ROLE_CONSOLE    /* poortctl at the box */
} poort_role;

const char *poort_role_name(poort_role r);       /* "teacher", ... static */

/* Texts for front-ends (English msgids; translate with poort_gettext(lang, ...)). */
#define POORT_LABEL_ROLE_PARENT "Parent or guardian"
#define POORT_LABEL_ROLE_TEACHER "Teacher"
#define POORT_LABEL_ROLE_IB "Special needs coordinator"
#define POORT_LABEL_ROLE_DIRECTOR "Head teacher"
#define POORT_LABEL_ROLE_ADMIN "Office administrator"
#define POORT_LABEL_USERNAME "Username or e-mail address"
#define POORT_LABEL_PASSWORD "Password"
#define POORT_LABEL_PARENT_CODE "Parent code"
#define POORT_LABEL_PIN "PIN code"
#define POORT_LABEL_CARD "Card"
/* printf format: %s is the local time the login opens again ("08:31"). */
#define POORT_MSG_LOCKED_UNTIL "Too many wrong attempts. You can try again at %s."
#define POORT_MSG_PASSWORD_TOO_SHORT "A password needs at least 10 characters."
/* The msgid of a role's label (a POORT_LABEL_ROLE_* value); static. */
const char *poort_role_label(poort_role r);
poort_err poort_role_parse(const char *s, poort_role *out);

/* Authentication. On success *account is the logged-in account. A locked
 * login answers POORT_E_LOCKED with the unlock time in the detail. */
poort_err poort_login_password(poort *p, const char *username, const char *password, poort_id *account);
poort_err poort_login_kiosk(poort *p, const char *parent_code, const char *pin, poort_id *account);
poort_err poort_login_card(poort *p, const char *card_token, poort_id *account);

/* Who an account is: {"id","role","name","guardian"|"staff","groups":[...]}.
 * An account may view itself; administrators any. */
poort_err poort_account_view(poort *p, poort_id actor, poort_id account, json_t **out);
poort_err poort_account_role(poort *p, poort_id account, poort_role *role);

/* Creates a staff member with a login. Administrator/console only.
 * groups: JSON array of group ids (may be NULL). */
poort_err poort_staff_create(poort *p, poort_id actor, const char *username, const char *name,
                             poort_role role, const char *password, const json_t *groups,
                             poort_id *staff);

/* Issues new kiosk credentials for a guardian: what is a bitmask of the
 * POORT_CRED_* values. *secrets is a new object with the new plaintext
 * values ({"parent_code","pin","card","password"}) - shown once, never stored.
 * Administrator/console only. */
enum { POORT_CRED_PIN = 1u << 0, POORT_CRED_CARD = 1u << 1, POORT_CRED_PASSWORD = 1u << 2 };
poort_err poort_parent_credentials_reset(poort *p, poort_id actor, poort_id guardian,
                                         unsigned what, json_t **secrets);

/* Sets a staff member's password. Administrator/console, or the account itself. */
poort_err poort_password_set(poort *p, poort_id actor, poort_id account, const char *password);

/* The account with this login name (case-insensitive). Administrator/console
 * only, so that nobody else can probe which names exist. */
poort_err poort_account_find(poort *p, poort_id actor, const char *username, poort_id *account);

#endif
