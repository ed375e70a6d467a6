/* people_fixture.h - a small school for the people/account/export tests:
 * two families with children in different groups (the De Vries parents are
 * separated: Joost hides his contact data), one more family in group 3 and
 * one in group 1/2, a teacher for group 3 and one for group 5, an IB'er and
 * an administrator. */
#ifndef POORT_PEOPLE_FIXTURE_H
#define POORT_PEOPLE_FIXTURE_H

#define STAFF_PASSWORD "juf-anna-wachtwoord"
#define MARIEKE_PASSWORD "marieke-wachtwoord"
#define MARIEKE_CARD "kaart-marieke-0001-abcdef"

static const char school_doc[] =
	"{\"school\": {\"name\": \"OBS De Regenboog\"},"
	" \"groups\": [{\"name\": \"1/2\", \"grades\": [1,2]}, {\"name\": \"3\", \"grades\": [3]},"
	"              {\"name\": \"5\", \"grades\": [5]}],"
	" \"staff\": [{\"username\": \"anna\", \"name\": \"Anna de Jong\", \"role\": \"teacher\", \"groups\": [\"3\"],"
	"              \"password\": \"" STAFF_PASSWORD "\"},"
	"             {\"username\": \"piet\", \"name\": \"Piet Vermeulen\", \"role\": \"teacher\", \"groups\": [\"5\"],"
	"              \"password\": \"" STAFF_PASSWORD "\"},"
	"             {\"username\": \"ineke\", \"name\": \"Ineke Smit\", \"role\": \"ib\", \"password\": \"" STAFF_PASSWORD "\"},"
	"             {\"username\": \"beheer\", \"name\": \"Bea Heer\", \"role\": \"admin\", \"password\": \"" STAFF_PASSWORD "\"}],"
	" \"pupils\": ["
	"  {\"key\": \"L001\", \"first_name\": \"Sanne\", \"middle_name\": \"de\", \"last_name\": \"Vries\","
	"   \"birth_date\": \"2019-04-02\", \"group\": \"3\","
	"   \"address\": {\"street\": \"Lindelaan 4\", \"postcode\": \"3511 AB\", \"city\": \"Utrecht\"},"
	"   \"emergency_contacts\": [{\"name\": \"Oma Truus\", \"relation\": \"oma\", \"phone\": \"06-12000001\"}],"
	"   \"pickup_adults\": [{\"name\": \"Opa Kees\", \"relation\": \"opa\"}],"
	"   \"medical\": {\"allergies\": [\"pinda\"], \"conditions\": \"astma\"}},"
	"  {\"key\": \"L002\", \"first_name\": \"Daan\", \"middle_name\": \"de\", \"last_name\": \"Vries\","
	"   \"birth_date\": \"2017-01-15\", \"group\": \"5\"},"
	"  {\"key\": \"L003\", \"first_name\": \"Noah\", \"last_name\": \"Bakker\", \"birth_date\": \"2019-09-30\","
	"   \"group\": \"3\", \"medical\": {\"medication\": \"ritalin\"}},"
	"  {\"key\": \"L004\", \"first_name\": \"Emma\", \"last_name\": \"Jansen\", \"birth_date\": \"2021-06-01\","
	"   \"group\": \"1/2\"}],"
	" \"guardians\": ["
	"  {\"key\": \"G001\", \"first_name\": \"Marieke\", \"last_name\": \"Vries\", \"middle_name\": \"de\","
	"   \"email\": \"Marieke@example.nl\", \"phone\": \"06-11111111\","
	"   \"address\": {\"street\": \"Lindelaan 4\", \"postcode\": \"3511 AB\", \"city\": \"Utrecht\"},"
	"   \"parent_code\": \"100001\", \"pin\": \"12345\", \"card\": \"" MARIEKE_CARD "\","
	"   \"password\": \"" MARIEKE_PASSWORD "\"},"
	"  {\"key\": \"G002\", \"first_name\": \"Joost\", \"middle_name\": \"de\", \"last_name\": \"Vries\","
	"   \"email\": \"joost.geheim@example.nl\", \"phone\": \"06-22222222\", \"hide_contact\": true,"
	"   \"address\": {\"street\": \"Verborgen Hof 9\", \"postcode\": \"1011 AA\", \"city\": \"Amsterdam\"},"
	"   \"parent_code\": \"100002\", \"pin\": \"54321\"},"
	"  {\"key\": \"G003\", \"first_name\": \"Fatma\", \"last_name\": \"Bakker\", \"phone\": \"+31 6 33333333\","
	"   \"parent_code\": \"100003\", \"pin\": \"11111\"},"
	"  {\"key\": \"G004\", \"first_name\": \"Jan\", \"last_name\": \"Jansen\", \"phone\": \"0644444444\","
	"   \"parent_code\": \"100004\", \"pin\": \"22222\"}],"
	" \"links\": ["
	"  {\"pupil\": \"L001\", \"guardian\": \"G001\", \"relation\": \"moeder\"},"
	"  {\"pupil\": \"L001\", \"guardian\": \"G002\", \"relation\": \"vader\"},"
	"  {\"pupil\": \"L002\", \"guardian\": \"G001\", \"relation\": \"moeder\"},"
	"  {\"pupil\": \"L002\", \"guardian\": \"G002\", \"relation\": \"vader\"},"
	"  {\"pupil\": \"L003\", \"guardian\": \"G003\", \"relation\": \"moeder\"},"
	"  {\"pupil\": \"L004\", \"guardian\": \"G004\", \"relation\": \"vader\"}]}";

/* Opens a fresh store in *dir and imports the fixture. */
static inline poort *fixture_open(const char *name, char **dir)
{
	poort *p;
	json_error_t jerr;
	json_t *doc = json_loads(school_doc, 0, &jerr);

	if (!doc) {
		fprintf(stderr, "fixture: %s at %d\n", jerr.text, jerr.line);
		exit(1);
	}
	*dir = test_tmpdir(name);
	E(poort_open(*dir, NULL, &p));
	test_set_now(p, "2026-11-23T08:00");
	E(poort_import(p, POORT_ACTOR_CONSOLE, doc, NULL));
	json_decref(doc);
	return p;
}

static inline poort_id fixture_pupil(poort *p, const char *k)
{
	poort_id id;
	E(poort_pupil_by_key(p, k, &id));
	return id;
}

static inline poort_id fixture_guardian(poort *p, const char *k)
{
	poort_id id;
	E(poort_guardian_by_key(p, k, &id));
	return id;
}

static inline poort_id fixture_login(poort *p, const char *username)
{
	poort_id acc;
	E(poort_login_password(p, username, STAFF_PASSWORD, &acc));
	return acc;
}

static inline poort_id fixture_parent(poort *p, const char *code, const char *pin)
{
	poort_id acc;
	E(poort_login_kiosk(p, code, pin, &acc));
	return acc;
}

#endif
