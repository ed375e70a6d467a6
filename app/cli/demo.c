/* demo.c - poortctl demo: a realistic Dutch primary school, deterministic
 * per seed, built as ONE import document and loaded with ONE poort_import.
 *
 * Everything random comes from a splitmix64 generator seeded with --seed, so
 * the same seed gives the same school, the same keys and the same demo
 * credentials. E-mail addresses use the reserved example domains: demo data
 * must never reach a real person.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the generator ---- */

typedef struct rng {
	uint64_t s;
} rng;

static uint64_t next(rng *r)   /* splitmix64 */
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned below(rng *r, unsigned n)   /* 0 .. n-1 */
{
	return (unsigned)(next(r) % n);
}

static bool chance(rng *r, unsigned percent)
{
	return below(r, 100) < percent;
}

#define PICK(r, a) ((a)[below((r), N(a))])

/* ---- names and places ---- */

typedef struct origin_names {
	const char *const *boys, *const *girls, *const *men, *const *women;
	size_t nboys, ngirls, nmen, nwomen;
	const char *const *surnames;   /* "tussenvoegsel|achternaam" */
	size_t nsurnames;
	unsigned weight;               /* percent of families */
} origin_names;

static const char *const dutch_boys[] = { "Noah", "Sem", "Liam", "Lucas", "Daan", "Finn", "Levi", "Luuk", "Mees",
	"James", "Milan", "Bram", "Jesse", "Thijs", "Julian", "Sven", "Ruben", "Teun", "Gijs", "Siem", "Hugo",
	"Otis", "Jurre", "Joep", "Floris", "Stijn", "Tygo", "Boaz", "Matthijs", "Noë", "Joël", "Sep" };
static const char *const dutch_girls[] = { "Emma", "Julia", "Mila", "Tess", "Sophie", "Zoë", "Sara", "Nora",
	"Yara", "Eva", "Liv", "Anna", "Noor", "Fleur", "Anouk", "Daphné", "Lotte", "Saar", "Fenna", "Lieke", "Isa",
	"Maud", "Roos", "Merel", "Jasmijn", "Sanne", "Chloë", "Renée", "Inès", "Floor", "Benthe", "Fien" };
static const char *const dutch_men[] = { "Mark", "Sander", "Jeroen", "Dennis", "Martijn", "Bas", "Tim", "Niels",
	"Joost", "Pieter", "Rutger", "Erik", "Wouter", "Maarten", "Ronald", "Thomas", "Arjen", "Rik", "Koen",
	"Michiel", "Frank", "Gert-Jan" };
static const char *const dutch_women[] = { "Linda", "Marieke", "Esther", "Sandra", "Ingrid", "Anne", "Femke",
	"Ilse", "Renée", "Mirjam", "Daphne", "Judith", "Annemiek", "Eline", "Karin", "Saskia", "Marloes",
	"Miriam", "Inge", "José", "Hélène", "Moniek" };
static const char *const dutch_surnames[] = { "|Jansen", "de|Vries", "van den|Berg", "van|Dijk", "|Bakker",
	"|Visser", "|Smit", "|Meijer", "de|Boer", "|Mulder", "de|Groot", "|Bos", "|Vos", "|Peters", "|Hendriks",
	"van|Leeuwen", "|Dekker", "|Brouwer", "de|Wit", "|Dijkstra", "|Smits", "de|Graaf", "van der|Meer",
	"van der|Linden", "|Kok", "|Jacobs", "de|Haan", "|Vermeulen", "van den|Heuvel", "van der|Veen",
	"van 't|Hof", "van 't|Veld", "ter|Horst", "|Hoekstra", "|Brink", "in 't|Veld", "|Schouten", "van|Beek",
	"|Kuipers", "|Willems", "op den|Kamp", "|Verhoeven", "|Prins", "van|Vliet", "|Huisman", "|Koster" };

static const char *const turkish_boys[] = { "Emre", "Yusuf", "Kerem", "Mert", "Burak", "Ömer", "Eymen" };
static const char *const turkish_girls[] = { "Elif", "Zeynep", "Ecem", "Defne", "Ayşe", "Eylül", "Nisa" };
static const char *const turkish_men[] = { "Mehmet", "Ahmet", "Mustafa", "Hüseyin", "Murat", "Serkan" };
static const char *const turkish_women[] = { "Hatice", "Fatma", "Emine", "Gül", "Özlem", "Büşra" };
static const char *const turkish_surnames[] = { "|Çelik", "|Öztürk", "|Yılmaz", "|Kaya", "|Şahin", "|Demir",
	"|Aydın", "|Doğan" };

static const char *const moroccan_boys[] = { "Mohammed", "Ayoub", "Rayan", "Adam", "Bilal", "Ilias", "Amir" };
static const char *const moroccan_girls[] = { "Hiba", "Amira", "Fatima", "Yasmina", "Noor", "Salma", "Ines" };
static const char *const moroccan_men[] = { "Rachid", "Mohamed", "Karim", "Youssef", "Hassan", "Said" };
static const char *const moroccan_women[] = { "Samira", "Naima", "Khadija", "Latifa", "Souad", "Hanan" };
static const char *const moroccan_surnames[] = { "|El Amrani", "|Bouzid", "|Ait Taleb", "|El Idrissi",
	"|Benali", "|Ouali", "|Ziani" };

static const char *const viet_boys[] = { "Minh", "Huy", "Bảo", "Khang", "Long" };
static const char *const viet_girls[] = { "Linh", "Mai", "Thảo", "Vy", "Ngọc" };
static const char *const viet_men[] = { "Thanh", "Tuấn", "Dũng", "Hùng" };
static const char *const viet_women[] = { "Hương", "Lan", "Thủy", "Hằng" };
static const char *const viet_surnames[] = { "|Nguyễn", "|Trần", "|Lê", "|Phạm" };

#define ORIGIN(b, g, m, w, s, pct) { b, g, m, w, N(b), N(g), N(m), N(w), s, N(s), pct }
static const origin_names origins[] = {
	ORIGIN(dutch_boys, dutch_girls, dutch_men, dutch_women, dutch_surnames, 80),
	ORIGIN(turkish_boys, turkish_girls, turkish_men, turkish_women, turkish_surnames, 7),
	ORIGIN(moroccan_boys, moroccan_girls, moroccan_men, moroccan_women, moroccan_surnames, 8),
	ORIGIN(viet_boys, viet_girls, viet_men, viet_women, viet_surnames, 5),
};

static const char *const grandma[] = { "Truus", "Joke", "Riet", "Annie", "Wil", "Greet", "Marja", "Tineke" };
static const char *const grandpa[] = { "Gerrit", "Henk", "Kees", "Wim", "Jan", "Cor", "Hans", "Ton" };

typedef struct place {
	const char *city, *area_code;
	int pc_from, pc_to;
	const char *const *streets;
	size_t nstreets;
} place;

static const char *const amersfoort_streets[] = { "Utrechtseweg", "Kapelweg", "Leusderweg", "Soesterweg",
	"Hogeweg", "Vlasakkerweg", "Schothorsterlaan", "Bisschopsweg", "Zonnebloemstraat", "Lindenlaan",
	"Kastanjelaan", "Vermeerstraat", "Rembrandtlaan", "Van Randwijcklaan", "Weversingel", "Paulus Potterstraat",
	"De Ruyterstraat", "Piet Heinstraat", "Merelstraat", "Lijsterstraat", "Spechtstraat", "Hendrik van Viandenstraat",
	"Koning Willem-Alexanderplein", "Ceresstraat" };
static const char *const leusden_streets[] = { "Hamersveldseweg", "Groeneweg", "Maanweg", "Lisdodde",
	"Kastelenlaan", "Biezenkamp" };
static const char *const hoogland_streets[] = { "Hooglandseweg-Noord", "Zevenhuizerstraat", "Bunschoterweg",
	"Ruitersweg" };

static const place places[] = {
	{ "Amersfoort", "033", 3811, 3829, amersfoort_streets, N(amersfoort_streets) },
	{ "Amersfoort", "033", 3811, 3829, amersfoort_streets, N(amersfoort_streets) },
	{ "Amersfoort", "033", 3811, 3829, amersfoort_streets, N(amersfoort_streets) },
	{ "Leusden", "033", 3831, 3833, leusden_streets, N(leusden_streets) },
	{ "Hoogland", "033", 3828, 3828, hoogland_streets, N(hoogland_streets) },
};

/* Grandparents and relatives live further away. */
static const char *const far_area_codes[] = { "030", "0318", "035", "0342", "020", "0341" };

/* ---- groups ---- */

static const struct demo_group {
	const char *name;
	int grades[2];
} groups[] = {
	{ "1/2A", { 1, 2 } }, { "1/2B", { 1, 2 } }, { "3", { 3, 0 } }, { "3/4", { 3, 4 } }, { "4", { 4, 0 } },
	{ "5", { 5, 0 } }, { "6", { 6, 0 } }, { "7", { 7, 0 } }, { "8", { 8, 0 } },
};

/* ---- the document being built ---- */

typedef struct demo {
	rng r;
	uint64_t seed;
	json_t *doc, *pupils, *guardians, *links, *staff, *logins;
	int group_size[N(groups)];
	int npupils, nguardians, families_with_siblings, separated, next_pupil, next_guardian;
	/* for the logins: keys of interesting guardians */
	json_t *separated_guardian, *two_group_guardian, *plain_guardian;
} demo;

static char *fmt(char *buf, size_t len, const char *f, ...) __attribute__((format(printf, 3, 4)));
static char *fmt(char *buf, size_t len, const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	vsnprintf(buf, len, f, ap);
	va_end(ap);
	return buf;
}

static void split_surname(const char *s, char *middle, size_t mlen, const char **last)
{
	const char *bar = strchr(s, '|');
	size_t n = (size_t)(bar - s);

	fmt(middle, mlen, "%.*s", (int)n, s);
	*last = bar + 1;
}

static void postcode(rng *r, const place *pl, char *out, size_t len)
{
	static const char letters[] = "ABCDEGHJKLMNPRTVWXZ";
	int digits = pl->pc_from + (int)below(r, (unsigned)(pl->pc_to - pl->pc_from + 1));

	fmt(out, len, "%04d %c%c", digits, letters[below(r, sizeof letters - 1)], letters[below(r, sizeof letters - 1)]);
}

static json_t *address(rng *r, const place *pl)
{
	char street[96], pc[16];

	fmt(street, sizeof street, "%s %u%s", pl->streets[below(r, (unsigned)pl->nstreets)], 1 + below(r, 180),
	    chance(r, 10) ? "A" : "");
	postcode(r, pl, pc, sizeof pc);
	return json_pack("{ss ss ss}", "street", street, "postcode", pc, "city", pl->city);
}

static json_t *mobile(rng *r)
{
	char buf[16];
	return json_string(fmt(buf, sizeof buf, "06-%08u", 10000000u + below(r, 90000000u)));
}

static json_t *landline(rng *r, const char *area)
{
	char buf[20];
	int local = 10 - (int)strlen(area);   /* Dutch numbers have 10 digits */
	unsigned lo = 1, range;

	for (int i = 1; i < local; i++)
		lo *= 10;
	range = lo * 9;
	return json_string(fmt(buf, sizeof buf, "%s-%u", area, 2 * lo + below(r, range - lo)));
}

/* ASCII local part for an e-mail address: "Zoë van 't Hof" -> "zoe.vanthof". */
static void ascii_part(const char *in, char *out, size_t len)
{
	static const struct { const char *u, *a; } map[] = {
		{ "ë", "e" }, { "é", "e" }, { "è", "e" }, { "ö", "o" }, { "ü", "u" }, { "ç", "c" }, { "ı", "i" },
		{ "ş", "s" }, { "ğ", "g" }, { "ễ", "e" }, { "ả", "a" }, { "ầ", "a" }, { "ấ", "a" }, { "ạ", "a" },
		{ "ư", "u" }, { "ơ", "o" }, { "ọ", "o" }, { "ủ", "u" }, { "ũ", "u" }, { "ù", "u" }, { "ằ", "a" },
		{ "ê", "e" }, { "ô", "o" }, { "â", "a" }, { "ă", "a" }, { "đ", "d" }, { "Ö", "o" }, { "Ç", "c" },
		{ "Ş", "s" }, { "ế", "e" }, { "ậ", "a" }, { "ồ", "o" }, { "ữ", "u" }, { "ỹ", "y" }, { "ạ", "a" },
	};
	size_t o = 0;

	while (*in && o + 1 < len) {
		unsigned char c = (unsigned char)*in;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-') {
			out[o++] = (char)c;
			in++;
		} else if (c >= 'A' && c <= 'Z') {
			out[o++] = (char)(c - 'A' + 'a');
			in++;
		} else if (c < 0x80) {
			in++;   /* spaces and apostrophes go */
		} else {
			size_t k = 1;
			bool mapped = false;
			while ((in[k] & 0xc0) == 0x80)
				k++;
			for (size_t i = 0; i < N(map) && !mapped; i++)
				if (strlen(map[i].u) == k && memcmp(map[i].u, in, k) == 0 && o + 1 < len) {
					out[o++] = map[i].a[0];
					mapped = true;
				}
			in += k;
		}
	}
	out[o] = 0;
}

static json_t *email(rng *r, const char *first, const char *middle, const char *last)
{
	static const char *const domains[] = { "example.com", "example.net", "example.org" };
	char a[64], b[96], full[200], buf[256];

	ascii_part(first, a, sizeof a);
	fmt(full, sizeof full, "%s%s", middle, last);
	ascii_part(full, b, sizeof b);
	return json_string(fmt(buf, sizeof buf, "%s.%s@%s", a, b, PICK(r, domains)));
}

/* ---- credentials (deterministic per seed, so the demo can print them) ---- */

static const char *const words[] = { "Tulp", "Fiets", "Molen", "Dijk", "Kaas", "Klomp", "Gracht", "Polder",
	"Zeilboot", "Duin", "Haring", "Stroopwafel", "Meeuw", "Kikker", "Regenboog", "Vlieger" };

static json_t *staff_password(rng *r)
{
	char buf[64];
	return json_string(fmt(buf, sizeof buf, "%s-%s-%04u", PICK(r, words), PICK(r, words), below(r, 10000)));
}

static void card_token(rng *r, char *out, size_t len)
{
	static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	size_t i;

	for (i = 0; i + 1 < len && i < 24; i++)
		out[i] = alphabet[below(r, sizeof alphabet - 1)];
	out[i] = 0;
}

/* ---- people ---- */

static json_t *add_guardian(demo *d, const origin_names *o, bool woman, const char *surname, const place *pl,
                            json_t *addr)
{
	char key[16], middle[32], code[8], pin[8], card[32];
	const char *last, *first = woman ? o->women[below(&d->r, (unsigned)o->nwomen)] : o->men[below(&d->r, (unsigned)o->nmen)];
	json_t *g;

	split_surname(surname, middle, sizeof middle, &last);
	fmt(key, sizeof key, "G%04d", d->next_guardian++);
	/* Parent codes are unique: the running number (shifted per seed) times
	 * a prime modulo 900000 is a permutation of 100000..999999. */
	fmt(code, sizeof code, "%06u",
	    (unsigned)(((uint64_t)d->next_guardian + d->seed % 900000u) * 7919u % 900000u + 100000u));
	fmt(pin, sizeof pin, "%05u", below(&d->r, 100000));
	card_token(&d->r, card, sizeof card);
	g = json_pack("{ss ss ss so so so ss ss ss}", "key", key, "first_name", first, "last_name", last, "email",
	              email(&d->r, first, middle, last), "phone", mobile(&d->r), "address",
	              addr ? json_incref(addr) : address(&d->r, pl), "parent_code", code, "pin", pin, "card", card);
	if (*middle)
		json_object_set_new(g, "middle_name", json_string(middle));
	json_array_append_new(d->guardians, g);
	d->nguardians++;
	return g;
}

static void add_link(demo *d, const json_t *pupil, const json_t *guardian, const char *relation)
{
	json_array_append_new(d->links, json_pack("{ss ss sb sb ss}", "pupil", json_string_value(json_object_get(pupil, "key")),
	                                          "guardian", json_string_value(json_object_get(guardian, "key")),
	                                          "authority", 1, "portal", 1, "relation", relation));
}

/* The group for a grade: the least full of the groups that take it. */
static int group_for(demo *d, int grade)
{
	int best = -1;

	for (size_t i = 0; i < N(groups); i++)
		if ((groups[i].grades[0] == grade || groups[i].grades[1] == grade) &&
		    (best < 0 || d->group_size[i] < d->group_size[best]))
			best = (int)i;
	return best;
}

/* A birth date that puts the child in grade g in school year 2026/2027:
 * born between 1 October (2022 - g) and 30 September (2023 - g). */
static void birth_date(demo *d, int grade, char out[11])
{
	char from[11];
	poort_day day;

	fmt(from, sizeof from, "%04d-10-01", 2022 - grade);
	poort_day_parse(from, &day);
	poort_day_format(day + (poort_day)below(&d->r, 365), out);
}

static json_t *medical(demo *d)
{
	static const char *const conditions[] = { "Astma", "Diabetes type 1", "Epilepsie", "Eczeem",
		"Hooikoorts" };
	static const char *const medication[] = { "Puffer (Ventolin) in de tas", "Insulinepen, zie protocol",
		"Noodmedicatie in de klas (la bureau)", "Zalf bij jeuk", "Antihistaminica in het voorjaar" };
	static const char *const allergies[] = { "pinda's", "noten", "lactose", "gluten", "wespensteken",
		"penicilline", "ei", "kiwi" };
	static const char *const doctors[] = { "Huisartsenpraktijk De Linde", "Huisarts Van Dam",
		"Gezondheidscentrum Schothorst", "Huisartsenpraktijk Leusden-Zuid" };
	json_t *m = json_object(), *al;
	unsigned kind = below(&d->r, 3), c = below(&d->r, N(conditions));

	if (kind != 1) {
		json_object_set_new(m, "conditions", json_string(conditions[c]));
		json_object_set_new(m, "medication", json_string(medication[c]));
	}
	if (kind != 0) {
		al = json_array();
		json_array_append_new(al, json_string(PICK(&d->r, allergies)));
		if (chance(&d->r, 30)) {
			const char *second = PICK(&d->r, allergies);
			if (strcmp(second, json_string_value(json_array_get(al, 0))) != 0)
				json_array_append_new(al, json_string(second));
		}
		json_object_set_new(m, "allergies", al);
	}
	json_object_set_new(m, "doctor", json_pack("{ss so}", "name", PICK(&d->r, doctors), "phone",
	                                           landline(&d->r, "033")));
	return m;
}

/* Grandparents, an aunt, a neighbour: third parties with their own numbers. */
static json_t *third_party(demo *d, const origin_names *o, const char *family_surname, const char *relation)
{
	char name[96], middle[32];
	const char *last, *first;
	bool woman = strcmp(relation, "oma") == 0 || strcmp(relation, "tante") == 0 || strcmp(relation, "buurvrouw") == 0 ||
	             strcmp(relation, "oppas") == 0;

	if (strcmp(relation, "oma") == 0 || strcmp(relation, "opa") == 0)
		first = o == &origins[0] ? (woman ? PICK(&d->r, grandma) : PICK(&d->r, grandpa))
		                         : (woman ? o->women[below(&d->r, (unsigned)o->nwomen)] : o->men[below(&d->r, (unsigned)o->nmen)]);
	else
		first = woman ? o->women[below(&d->r, (unsigned)o->nwomen)] : o->men[below(&d->r, (unsigned)o->nmen)];
	split_surname(strcmp(relation, "buurvrouw") == 0 || strcmp(relation, "buurman") == 0 || strcmp(relation, "oppas") == 0
	                  ? PICK(&d->r, dutch_surnames) : family_surname,
	              middle, sizeof middle, &last);
	fmt(name, sizeof name, "%s %s%s%s", first, middle, *middle ? " " : "", last);
	return json_pack("{ss ss so}", "name", name, "relation", relation, "phone",
	                 chance(&d->r, 50) ? mobile(&d->r) : landline(&d->r, PICK(&d->r, far_area_codes)));
}

static void add_family(demo *d)
{
	unsigned roll = below(&d->r, 100), acc = 0;
	const origin_names *o = &origins[0];
	const place *pl = &PICK(&d->r, places);
	const char *surname, *mother_surname;
	int nkids = chance(&d->r, 40) ? 1 : chance(&d->r, 75) ? 2 : 3;
	int grades[3], distinct_groups = 0, first_group = -1;
	enum { TOGETHER, SEPARATED, SINGLE } kind;
	bool g2_woman = false;
	json_t *kids[3], *g1, *g2 = NULL, *home, *contacts, *pickup;

	for (size_t i = 0; i < N(origins); i++) {
		acc += origins[i].weight;
		if (roll < acc) {
			o = &origins[i];
			break;
		}
	}
	surname = o->surnames[below(&d->r, (unsigned)o->nsurnames)];
	mother_surname = chance(&d->r, 50) ? surname : o->surnames[below(&d->r, (unsigned)o->nsurnames)];
	roll = below(&d->r, 100);
	kind = roll < 70 ? TOGETHER : roll < 84 ? SEPARATED : SINGLE;

	/* Siblings in different grades, so mostly in different groups. */
	for (int k = 0; k < nkids; k++) {
		bool dup;
		do {
			grades[k] = 1 + (int)below(&d->r, 8);
			dup = false;
			for (int j = 0; j < k; j++)
				dup |= grades[j] == grades[k];
		} while (dup);
	}

	/* Emergency contacts and pick-up adults are the family's, for every child. */
	contacts = json_array();
	json_array_append_new(contacts, third_party(d, o, surname, chance(&d->r, 50) ? "oma" : "opa"));
	if (chance(&d->r, 50))
		json_array_append_new(contacts, third_party(d, o, mother_surname, chance(&d->r, 50) ? "tante" : "buurvrouw"));
	pickup = json_array();
	if (chance(&d->r, 55)) {
		json_array_append_new(pickup, third_party(d, o, surname, chance(&d->r, 60) ? "oma" : "opa"));
		if (chance(&d->r, 35))
			json_array_append_new(pickup, third_party(d, o, surname, chance(&d->r, 50) ? "buurvrouw" : "oppas"));
	}

	home = address(&d->r, pl);
	g1 = add_guardian(d, o, true, mother_surname, pl, home);
	if (kind == TOGETHER) {
		g2_woman = chance(&d->r, 4);
		g2 = add_guardian(d, o, g2_woman, surname, pl, home);
	} else if (kind == SEPARATED) {
		/* Each parent has their own address; one hides their contact data
		 * from the other. */
		g2 = add_guardian(d, o, false, surname, &PICK(&d->r, places), NULL);
		json_object_set_new(chance(&d->r, 50) ? g1 : g2, "hide_contact", json_true());
		d->separated++;
		if (!d->separated_guardian)
			d->separated_guardian = json_object_get(g1, "hide_contact") ? g2 : g1;
	}
	json_decref(home);

	for (int k = 0; k < nkids; k++) {
		char key[16], born[11], middle[32];
		const char *last, *first;
		bool girl = chance(&d->r, 50);
		int gi = group_for(d, grades[k]);

		first = girl ? o->girls[below(&d->r, (unsigned)o->ngirls)] : o->boys[below(&d->r, (unsigned)o->nboys)];
		split_surname(surname, middle, sizeof middle, &last);
		fmt(key, sizeof key, "L%04d", d->next_pupil++);
		birth_date(d, grades[k], born);
		kids[k] = json_pack("{ss ss ss ss ss sO}", "key", key, "first_name", first, "last_name", last,
		                    "birth_date", born, "group", groups[gi].name, "emergency_contacts", contacts);
		if (*middle)
			json_object_set_new(kids[k], "middle_name", json_string(middle));
		/* Children live with a parent whose address the other may see: the
		 * pupil's address must not give away a hidden one. */
		json_object_set(kids[k], "address",
		                json_object_get(g2 && json_object_get(g1, "hide_contact") ? g2 : g1, "address"));
		if (json_array_size(pickup))
			json_object_set(kids[k], "pickup_adults", pickup);
		if (chance(&d->r, 15))
			json_object_set_new(kids[k], "medical", medical(d));
		if (kind == SEPARATED)
			json_object_set_new(kids[k], "separate_conversations", json_boolean(chance(&d->r, 60)));
		json_array_append_new(d->pupils, kids[k]);
		d->group_size[gi]++;
		d->npupils++;
		if (first_group != gi)
			distinct_groups++;
		if (first_group < 0)
			first_group = gi;
		add_link(d, kids[k], g1, "moeder");
		if (g2)
			add_link(d, kids[k], g2, g2_woman ? "moeder" : "vader");
	}
	if (nkids > 1)
		d->families_with_siblings++;
	if (nkids > 1 && distinct_groups > 1 && kind == TOGETHER && !d->two_group_guardian)
		d->two_group_guardian = g1;
	if (nkids == 1 && kind == TOGETHER && !d->plain_guardian)
		d->plain_guardian = g2;
	json_decref(contacts);
	json_decref(pickup);
}

/* ---- staff ---- */

static const struct demo_staff {
	const char *role;
	const char *groups[2];
	const char *note;   /* why this one is interesting, for the login list */
} staff_plan[] = {
	{ "teacher", { "1/2A" }, "duo 1/2A" }, { "teacher", { "1/2A" }, "duo 1/2A" },
	{ "teacher", { "1/2B" }, NULL }, { "teacher", { "3" }, NULL }, { "teacher", { "3/4" }, NULL },
	{ "teacher", { "4" }, NULL }, { "teacher", { "5", "6" }, N_("groups 5 and 6") }, { "teacher", { "6" }, NULL },
	{ "teacher", { "7" }, NULL }, { "teacher", { "8" }, NULL },
	{ "ib", { NULL }, N_("intern begeleider") }, { "director", { NULL }, N_("director") },
	{ "admin", { NULL }, N_("administrator") },
};

static void add_staff(demo *d, json_t *staff_logins)
{
	for (size_t i = 0; i < N(staff_plan); i++) {
		const struct demo_staff *sp = &staff_plan[i];
		bool woman = chance(&d->r, 70);   /* most primary teachers are women */
		const char *first = woman ? PICK(&d->r, dutch_women) : PICK(&d->r, dutch_men), *last;
		char middle[32], name[128], user[64], base[64], mail[128];
		json_t *groups_arr = json_array(), *s, *pw = staff_password(&d->r);
		size_t j;
		json_t *other;

		split_surname(PICK(&d->r, dutch_surnames), middle, sizeof middle, &last);
		fmt(name, sizeof name, "%s %s%s%s", first, middle, *middle ? " " : "", last);
		fmt(mail, sizeof mail, "%c%s%s", first[0], middle, last);
		ascii_part(mail, base, sizeof base);
		/* Usernames are unique: a digit when the name is taken. */
		fmt(user, sizeof user, "%s", base);
		for (int n = 2;; n++) {
			bool taken = false;
			json_array_foreach(d->staff, j, other)
				taken |= strcmp(json_string_value(json_object_get(other, "username")), user) == 0;
			if (!taken)
				break;
			fmt(user, sizeof user, "%s%d", base, n);
		}
		for (int k = 0; k < 2; k++)
			if (sp->groups[k])
				json_array_append_new(groups_arr, json_string(sp->groups[k]));
		s = json_pack("{ss ss ss so ss sO}", "username", user, "name", name, "role", sp->role, "groups",
		              groups_arr, "email", fmt(mail, sizeof mail, "%s@school.example", user), "password", pw);
		json_array_append_new(d->staff, s);
		if (sp->note && strcmp(sp->note, "duo 1/2A") != 0)
			json_array_append_new(staff_logins, json_pack("{ss ss ss sO ss}", "role", sp->role, "name", name,
			                                              "username", user, "password", pw, "note", sp->note));
		json_decref(pw);
	}
}

/* ---- the school ---- */

static json_t *school_settings(demo *d)
{
	static const char *const names[] = { "OBS De Klimop", "Basisschool De Regenboog", "CBS Het Kompas",
		"OBS De Vlinderboom", "Daltonschool De Eendracht" };

	/* Schoolvakanties 2026/2027, regio Midden (rijksoverheid.nl), plus
	 * Easter, Ascension and Whit Monday. */
	return json_pack(
		"{ss ss ss s[iiiii] s[{ssssss}{ssssss}{ssssss}{ssssss}{ssssss}{ssssss}{ssssss}{ssssss}] s[sss] "
		"s{sbsbsbsbsb} si}",
		"name", PICK(&d->r, names), "time_zone", "Europe/Amsterdam", "absence_cutoff", "08:30",
		"school_days", 1, 2, 3, 4, 5, "holidays",
		"name", "Herfstvakantie", "from", "2026-10-17", "to", "2026-10-25",
		"name", "Kerstvakantie", "from", "2026-12-19", "to", "2027-01-03",
		"name", "Voorjaarsvakantie", "from", "2027-02-20", "to", "2027-02-28",
		"name", "Pasen", "from", "2027-03-26", "to", "2027-03-29",
		"name", "Meivakantie", "from", "2027-04-24", "to", "2027-05-02",
		"name", "Hemelvaart", "from", "2027-05-06", "to", "2027-05-07",
		"name", "Pinksteren", "from", "2027-05-17", "to", "2027-05-17",
		"name", "Zomervakantie", "from", "2027-07-17", "to", "2027-08-29",
		"extra_days_off", "2026-11-27", "2027-02-19", "2027-06-14",
		"modules", "absence", 1, "attendance", 1, "checkin", 1, "conversations", 1, "corrections", 1,
		"max_portal_guardians", 2);
}

static json_t *parent_login(const json_t *g, const char *note, const char *password)
{
	char name[160];
	const char *middle = json_string_value(json_object_get(g, "middle_name"));

	fmt(name, sizeof name, "%s %s%s%s", json_string_value(json_object_get(g, "first_name")), middle ? middle : "",
	    middle ? " " : "", json_string_value(json_object_get(g, "last_name")));
	return json_pack("{ss ss ss sO sO sO sO ss}", "note", note, "name", name, "key",
	                 json_string_value(json_object_get(g, "key")), "email", json_object_get(g, "email"),
	                 "parent_code", json_object_get(g, "parent_code"), "pin", json_object_get(g, "pin"), "card",
	                 json_object_get(g, "card"), "password", password);
}

json_t *demo_school(uint64_t seed, json_t **logins)
{
	demo d = { .r = { seed ^ 0x506f6f7274ull }, .seed = seed, .next_pupil = 1001, .next_guardian = 1001 };
	json_t *groups_arr = json_array(), *staff_logins = json_array(), *parents = json_array(), *school, *stats;
	int target;

	d.pupils = json_array();
	d.guardians = json_array();
	d.links = json_array();
	d.staff = json_array();
	school = school_settings(&d);
	for (size_t i = 0; i < N(groups); i++)
		json_array_append_new(groups_arr, groups[i].grades[1]
		                      ? json_pack("{ss s[ii]}", "name", groups[i].name, "grades", groups[i].grades[0], groups[i].grades[1])
		                      : json_pack("{ss s[i]}", "name", groups[i].name, "grades", groups[i].grades[0]));
	target = 195 + (int)below(&d.r, 15);
	while (d.npupils < target)
		add_family(&d);
	add_staff(&d, staff_logins);

	/* Three parents to try: one whose ex hides their contact data, one with
	 * children in two groups, one ordinary. They also get a web password. */
	if (d.separated_guardian) {
		json_object_set_new(d.separated_guardian, "password", json_string("Ouder-Gescheiden-1"));
		json_array_append_new(parents, parent_login(d.separated_guardian, N_("separated"), "Ouder-Gescheiden-1"));
	}
	if (d.two_group_guardian) {
		json_object_set_new(d.two_group_guardian, "password", json_string("Ouder-Twee-Groepen-2"));
		json_array_append_new(parents, parent_login(d.two_group_guardian, N_("children in two groups"), "Ouder-Twee-Groepen-2"));
	}
	if (d.plain_guardian) {
		json_object_set_new(d.plain_guardian, "password", json_string("Ouder-Een-Kind-3"));
		json_array_append_new(parents, parent_login(d.plain_guardian, N_("one child"), "Ouder-Een-Kind-3"));
	}
	stats = json_pack("{si si si si si}", "pupils", d.npupils, "guardians", d.nguardians, "staff",
	                  (int)json_array_size(d.staff), "families_with_siblings", d.families_with_siblings,
	                  "separated_parents", d.separated);
	*logins = json_pack("{so so so}", "staff", staff_logins, "parents", parents, "stats", stats);
	return json_pack("{so so so so so so}", "school", school, "groups", groups_arr, "staff", d.staff, "pupils",
	                 d.pupils, "guardians", d.guardians, "links", d.links);
}

/* ---- the command ---- */

/* Whether the store in dir holds people already. */
static poort_err store_has_people(const cli *c, bool *has)
{
	static const char *const counted[] = { "groups", "pupils", "guardians", "staff" };
	poort_options opt = { .no_create = true };
	json_t *stats = NULL;
	poort *p = NULL;
	poort_err err = poort_open(c->data_dir, &opt, &p);

	*has = false;
	if (err == POORT_E_NOT_FOUND)
		return POORT_OK;
	if (!err)
		err = poort_stats(p, POORT_ACTOR_CONSOLE, &stats);
	for (size_t i = 0; !err && i < N(counted); i++)
		*has |= json_integer_value(json_object_get(json_object_get(stats, "records"), counted[i])) > 0;
	json_decref(stats);
	poort_close(p);
	return err;
}

static int wipe(const cli *c)
{
	static const char *const files[] = { "data.mdb", "lock.mdb" };
	char path[4096];

	for (size_t i = 0; i < N(files); i++) {
		snprintf(path, sizeof path, "%s/%s", c->data_dir, files[i]);
		if (unlink(path) != 0 && errno != ENOENT) {
			fprintf(stderr, "poortctl: %s: %s\n", path, strerror(errno));
			return EXIT_FAILED;
		}
	}
	return EXIT_OK;
}

static void print_summary(const cli *c, poort *p, const json_t *doc, const json_t *logins, double seconds)
{
	json_t *pupils = NULL, *groups_list = NULL, *v, *g;
	const json_t *stats = json_object_get(logins, "stats");
	size_t i, j;

	printf("%s: %s\n", T(c, N_("School")), json_string_value(json_object_get(json_object_get(doc, "school"), "name")));
	printf("%s: %s\n\n", T(c, N_("Data directory")), c->data_dir);
	/* Pupil counts per group as the store has them, not as we meant them. */
	if (poort_group_list(p, POORT_ACTOR_CONSOLE, &groups_list) == POORT_OK &&
	    poort_pupil_list(p, POORT_ACTOR_CONSOLE, 0, &pupils) == POORT_OK) {
		printf("%s\n", T(c, N_("Groups:")));
		json_array_foreach(groups_list, i, g) {
			int n = 0;
			json_array_foreach(pupils, j, v)
				n += json_integer_value(json_object_get(v, "group")) == json_integer_value(json_object_get(g, "id"));
			printf("  %-6s %3d %s\n", json_string_value(json_object_get(g, "name")), n, T(c, N_("pupils")));
		}
	}
	printf("\n%-28s %lld\n", T(c, N_("Pupils:")), (long long)json_integer_value(json_object_get(stats, "pupils")));
	printf("%-28s %lld\n", T(c, N_("Guardians:")), (long long)json_integer_value(json_object_get(stats, "guardians")));
	printf("%-28s %lld\n", T(c, N_("Staff:")), (long long)json_integer_value(json_object_get(stats, "staff")));
	printf("%-28s %lld\n", T(c, N_("Families with siblings:")),
	       (long long)json_integer_value(json_object_get(stats, "families_with_siblings")));
	printf("%-28s %lld\n", T(c, N_("Separated parents (pairs):")),
	       (long long)json_integer_value(json_object_get(stats, "separated_parents")));

	printf("\n%s\n", T(c, N_("Demo logins for staff (username / password):")));
	json_array_foreach(json_object_get(logins, "staff"), i, v)
		printf("  %-14s %-22s %s (%s)\n", json_string_value(json_object_get(v, "username")),
		       json_string_value(json_object_get(v, "password")), json_string_value(json_object_get(v, "name")),
		       T(c, json_string_value(json_object_get(v, "note"))));
	printf("\n%s\n", T(c, N_("Demo logins for parents (kiosk: parent code + PIN, or card; web: e-mail + password):")));
	json_array_foreach(json_object_get(logins, "parents"), i, v) {
		printf("  %s (%s, %s)\n", json_string_value(json_object_get(v, "name")),
		       json_string_value(json_object_get(v, "key")), T(c, json_string_value(json_object_get(v, "note"))));
		printf("    %s %s  PIN %s  %s %s\n", T(c, N_("parent code")), json_string_value(json_object_get(v, "parent_code")),
		       json_string_value(json_object_get(v, "pin")), T(c, N_("card token")),
		       json_string_value(json_object_get(v, "card")));
		printf("    %s %s  %s %s\n", T(c, N_("e-mail")), json_string_value(json_object_get(v, "email")),
		       T(c, N_("password")), json_string_value(json_object_get(v, "password")));
	}
	printf("\n%s %.1f s\n", T(c, N_("Demo school made in")), seconds);
	json_decref(pupils);
	json_decref(groups_list);
}

int cmd_demo(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "force", no_argument, NULL, 'f' },
		{ 0, 0, 0, 0 },
	};
	uint64_t seed = 1;
	bool force = false, has_people;
	json_t *doc = NULL, *logins = NULL, *report = NULL;
	struct timespec t0, t1;
	poort *p = NULL;
	poort_err err;
	char *end;
	int opt, rc = EXIT_FAILED;

	while ((opt = getopt_long(argc, argv, "s:f", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			errno = 0;
			seed = strtoull(optarg, &end, 10);
			if (errno || *end || !*optarg || *optarg == '-')
				return cli_usage(c, "demo: --seed %s: %s", optarg, T(c, N_("give a whole number")));
			break;
		case 'f': force = true; break;
		default: return cli_usage(c, "demo: %s: %s", argv[optind - 1], T(c, N_("unknown option or missing value")));
		}
	}
	if (optind != argc)
		return cli_usage(c, "demo: %s: %s", argv[optind], T(c, N_("unexpected argument")));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((err = store_has_people(c, &has_people)))
		return cli_fail(c, err, c->data_dir);
	if (has_people && !force) {
		fprintf(stderr, "poortctl: %s: %s\n", c->data_dir,
		        T(c, N_("this store already holds a school; use --force to delete it and make the demo")));
		return EXIT_FAILED;
	}
	if (has_people && (rc = wipe(c)))
		return rc;
	doc = demo_school(seed, &logins);
	if (!(p = cli_open(c, true)))
		goto out;
	if ((err = poort_import(p, POORT_ACTOR_CONSOLE, doc, &report))) {
		rc = cli_fail(c, err, "demo");
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	print_summary(c, p, doc, logins, (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	rc = demo_booking(c, p, doc, seed);
out:
	poort_close(p);
	json_decref(doc);
	json_decref(logins);
	json_decref(report);
	return rc;
}
