/* import_csv.c - CSV files of a school -> one school document for
 * poort_import, with every record's file and line remembered, so that an
 * error (from reading a cell, or from the core afterwards) names file, line
 * and column. Shared by poortctl import and poortd's import page.
 *
 * Each kind of file has a table of columns: the Dutch header, the JSON path
 * in the document record, how to read the cell and whether it is required.
 * English aliases are the JSON paths themselves. docs/cli/poortctl-import.md
 * documents the tables; keep them equal.
 */
#include "import_csv.h"
#include "csv.h"

#include <poort/poort.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define N_(s) s

typedef enum cell_type {
	CELL_TEXT,    /* trimmed text; empty = absent */
	CELL_DATE,    /* YYYY-MM-DD or DD-MM-YYYY (also with '/') -> "YYYY-MM-DD" */
	CELL_BOOL,    /* ja/nee, yes/no, true/false, j/n, 1/0 */
	CELL_LIST,    /* items separated by ',' ';' or '|' -> array of text */
	CELL_ROLE,    /* leerkracht|ib|directeur|administratie (or English) */
	CELL_GRADES,  /* "3/4" or "3,4" -> [3,4] */
} cell_type;

typedef struct column {
	const char *header;   /* Dutch header, lower case */
	const char *path;     /* JSON path in the record; also the English header */
	cell_type type;
	bool required;
	const char *alias;    /* another accepted header (spelling variant) */
} column;

typedef struct kind {
	const char *name;      /* --kind */
	const char *section;   /* section of the import document */
	const column *columns;
} kind;

static const column group_columns[] = {
	{ "groep", "name", CELL_TEXT, true, NULL },
	{ "leerjaren", "grades", CELL_GRADES, false, NULL },
	{ 0 },
};

static const column pupil_columns[] = {
	{ "leerlingnummer", "key", CELL_TEXT, true, NULL },
	{ "voornaam", "first_name", CELL_TEXT, true, NULL },
	{ "tussenvoegsel", "middle_name", CELL_TEXT, false, NULL },
	{ "achternaam", "last_name", CELL_TEXT, true, NULL },
	{ "geboortedatum", "birth_date", CELL_DATE, true, NULL },
	{ "groep", "group", CELL_TEXT, true, NULL },
	{ "straat", "address.street", CELL_TEXT, false, NULL },
	{ "postcode", "address.postcode", CELL_TEXT, false, NULL },
	{ "woonplaats", "address.city", CELL_TEXT, false, NULL },
	{ "noodcontact1_naam", "emergency_contacts[0].name", CELL_TEXT, false, NULL },
	{ "noodcontact1_relatie", "emergency_contacts[0].relation", CELL_TEXT, false, NULL },
	{ "noodcontact1_telefoon", "emergency_contacts[0].phone", CELL_TEXT, false, NULL },
	{ "noodcontact2_naam", "emergency_contacts[1].name", CELL_TEXT, false, NULL },
	{ "noodcontact2_relatie", "emergency_contacts[1].relation", CELL_TEXT, false, NULL },
	{ "noodcontact2_telefoon", "emergency_contacts[1].phone", CELL_TEXT, false, NULL },
	{ "ophalen1_naam", "pickup_adults[0].name", CELL_TEXT, false, NULL },
	{ "ophalen1_relatie", "pickup_adults[0].relation", CELL_TEXT, false, NULL },
	{ "ophalen1_telefoon", "pickup_adults[0].phone", CELL_TEXT, false, NULL },
	{ "ophalen2_naam", "pickup_adults[1].name", CELL_TEXT, false, NULL },
	{ "ophalen2_relatie", "pickup_adults[1].relation", CELL_TEXT, false, NULL },
	{ "ophalen2_telefoon", "pickup_adults[1].phone", CELL_TEXT, false, NULL },
	{ "medische_gegevens", "medical.conditions", CELL_TEXT, false, NULL },
	{ "allergieen", "medical.allergies", CELL_LIST, false, "allergieën" },
	{ "medicatie", "medical.medication", CELL_TEXT, false, NULL },
	{ "huisarts", "medical.doctor.name", CELL_TEXT, false, NULL },
	{ "huisarts_telefoon", "medical.doctor.phone", CELL_TEXT, false, NULL },
	{ "apart_gesprek", "separate_conversations", CELL_BOOL, false, NULL },
	{ 0 },
};

static const column guardian_columns[] = {
	{ "oudernummer", "key", CELL_TEXT, true, NULL },
	{ "voornaam", "first_name", CELL_TEXT, true, NULL },
	{ "tussenvoegsel", "middle_name", CELL_TEXT, false, NULL },
	{ "achternaam", "last_name", CELL_TEXT, true, NULL },
	{ "email", "email", CELL_TEXT, false, "e-mail" },
	{ "telefoon", "phone", CELL_TEXT, false, NULL },
	{ "straat", "address.street", CELL_TEXT, false, NULL },
	{ "postcode", "address.postcode", CELL_TEXT, false, NULL },
	{ "woonplaats", "address.city", CELL_TEXT, false, NULL },
	{ "contact_afschermen", "hide_contact", CELL_BOOL, false, NULL },
	{ 0 },
};

static const column staff_columns[] = {
	{ "gebruikersnaam", "username", CELL_TEXT, true, NULL },
	{ "naam", "name", CELL_TEXT, true, NULL },
	{ "rol", "role", CELL_ROLE, true, NULL },
	{ "groepen", "groups", CELL_LIST, false, NULL },
	{ "email", "email", CELL_TEXT, false, "e-mail" },
	{ 0 },
};

static const column link_columns[] = {
	{ "leerlingnummer", "pupil", CELL_TEXT, true, NULL },
	{ "oudernummer", "guardian", CELL_TEXT, true, NULL },
	{ "relatie", "relation", CELL_TEXT, false, NULL },
	{ "gezag", "authority", CELL_BOOL, false, NULL },
	{ "portaal", "portal", CELL_BOOL, false, NULL },
	{ 0 },
};

static const kind kinds[] = {
	{ "groups", "groups", group_columns },
	{ "pupils", "pupils", pupil_columns },
	{ "guardians", "guardians", guardian_columns },
	{ "staff", "staff", staff_columns },
	{ "links", "links", link_columns },
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

/* Where each record of the document came from, per section. */
typedef struct origin {
	char *file;
	size_t line;
} origin;

struct import_csv {
	json_t *doc;
	origin *origins[NKINDS];
	size_t norigins[NKINDS];
};

static void problem(import_problem *pr, size_t line, const char *header, const char *msgid)
{
	pr->line = line;
	if (header)
		snprintf(pr->column, sizeof pr->column, "%s", header);
	pr->msgid = msgid;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = 0;
	return s;
}

/* ---- JSON paths: "a.b", "a[1].b" ---- */

/* Sets value (stolen) at path inside obj, creating objects and arrays. */
static int set_path(json_t *obj, const char *path, json_t *value)
{
	char seg[64];
	const char *p = path;
	json_t *cur = obj;

	for (;;) {
		size_t n = strcspn(p, ".[");
		long index = -1;
		json_t *next;
		if (n >= sizeof seg)
			goto fail;
		memcpy(seg, p, n);
		seg[n] = 0;
		p += n;
		if (*p == '[') {
			index = strtol(p + 1, (char **)&p, 10);
			if (*p++ != ']' || index < 0 || index > 16)
				goto fail;
		}
		if (*p == 0 && index < 0)
			return json_object_set_new(cur, seg, value);
		if (*p == '.')
			p++;
		if (index >= 0) {
			json_t *arr = json_object_get(cur, seg);
			if (!arr)
				json_object_set_new(cur, seg, arr = json_array());
			while ((long)json_array_size(arr) <= index)
				json_array_append_new(arr, json_object());
			next = json_array_get(arr, (size_t)index);
		} else {
			next = json_object_get(cur, seg);
			if (!next)
				json_object_set_new(cur, seg, next = json_object());
		}
		if (*p == 0)
			goto fail;   /* a path cannot end in an array element */
		cur = next;
	}
fail:
	json_decref(value);
	return -1;
}

/* Drops empty objects from arrays (a contact whose cells were all empty). */
static void drop_empty(json_t *v)
{
	const char *k;
	json_t *e;
	size_t i;

	if (json_is_object(v)) {
		json_object_foreach(v, k, e)
			drop_empty(e);
	} else if (json_is_array(v)) {
		for (i = json_array_size(v); i-- > 0;) {
			e = json_array_get(v, i);
			if (json_is_object(e) && json_object_size(e) == 0)
				json_array_remove(v, i);
			else
				drop_empty(e);
		}
	}
}

/* ---- cells ---- */

static bool parse_date(const char *s, char out[11])
{
	int y, m, d, n = 0;
	poort_day day;
	char sep;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && n == 10 && s[n] == 0) {
		/* ISO already */
	} else if (n = 0, sscanf(s, "%2d%c%2d%c%4d%n", &d, &sep, &m, &sep, &y, &n) == 5 && s[n] == 0 &&
	           (sep == '-' || sep == '/') && y >= 1000) {
		/* Dutch order: 14-03-2018 */
	} else {
		return false;
	}
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
	return poort_day_parse(out, &day) == POORT_OK;
}

static bool parse_bool(const char *s, bool *v)
{
	static const char *const yes[] = { "ja", "j", "yes", "y", "true", "1", "waar" };
	static const char *const no[] = { "nee", "n", "no", "false", "0", "onwaar" };

	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (strcasecmp(s, yes[i]) == 0)
			return *v = true, true;
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		if (strcasecmp(s, no[i]) == 0)
			return *v = false, true;
	return false;
}

static const char *parse_role(const char *s)
{
	static const struct { const char *in, *role; } roles[] = {
		{ "leerkracht", "teacher" }, { "teacher", "teacher" }, { "ib", "ib" },
		{ "intern begeleider", "ib" }, { "ib'er", "ib" }, { "directeur", "director" },
		{ "directie", "director" }, { "director", "director" }, { "administratie", "admin" },
		{ "beheerder", "admin" }, { "admin", "admin" },
	};
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (strcasecmp(s, roles[i].in) == 0)
			return roles[i].role;
	return NULL;
}

static json_t *split_list(const char *s, const char *seps, bool grades)
{
	json_t *arr = json_array();
	char *copy = strdup(s), *save = NULL, *item;

	if (!copy)
		return arr;
	for (item = strtok_r(copy, seps, &save); item; item = strtok_r(NULL, seps, &save)) {
		item = trim(item);
		if (!*item)
			continue;
		if (grades) {
			if (strlen(item) != 1 || *item < '1' || *item > '8') {
				json_decref(arr);
				arr = NULL;
				break;
			}
			json_array_append_new(arr, json_integer(*item - '0'));
		} else {
			json_array_append_new(arr, json_string(item));
		}
	}
	free(copy);
	return arr;
}

/* Converts one cell; returns NULL with *why set when it cannot be read,
 * json_null() for an empty cell. */
static json_t *cell_value(const column *col, const char *text, const char **why)
{
	char date[11];
	const char *role;
	json_t *v;
	bool b;

	*why = NULL;
	if (!*text)
		return json_null();
	switch (col->type) {
	case CELL_TEXT:
		return json_string(text);
	case CELL_DATE:
		if (parse_date(text, date))
			return json_string(date);
		*why = N_("not a date (use YYYY-MM-DD or DD-MM-YYYY)");
		return NULL;
	case CELL_BOOL:
		if (parse_bool(text, &b))
			return json_boolean(b);
		*why = N_("use ja or nee");
		return NULL;
	case CELL_LIST:
		return split_list(text, col->path[0] == 'g' ? ",;" : ",;|", false);
	case CELL_ROLE:
		if ((role = parse_role(text)))
			return json_string(role);
		*why = N_("use leerkracht, ib, directeur or administratie");
		return NULL;
	case CELL_GRADES:
		if ((v = split_list(text, ",;/ ", true)) && json_array_size(v))
			return v;
		json_decref(v);
		*why = N_("use grades 1 to 8, such as 3/4");
		return NULL;
	}
	return json_null();
}

/* Grades from a group name when the file has none: "1/2A" -> [1,2]. */
static json_t *grades_from_name(const char *name)
{
	json_t *arr = json_array();

	for (const char *s = name ? name : ""; *s; s++)
		if (*s >= '1' && *s <= '8' && !isdigit((unsigned char)s[1]) && (s == name || !isdigit((unsigned char)s[-1])))
			json_array_append_new(arr, json_integer(*s - '0'));
	return arr;
}

/* ---- files ---- */

static const column *find_column(const kind *k, const char *header)
{
	for (const column *col = k->columns; col->header; col++)
		if (strcasecmp(header, col->header) == 0 || strcmp(header, col->path) == 0 ||
		    (col->alias && strcasecmp(header, col->alias) == 0))
			return col;
	return NULL;
}

static const kind *find_kind(const char *name)
{
	static const struct { const char *dutch, *kind; } aliases[] = {
		{ "groepen", "groups" }, { "leerlingen", "pupils" }, { "ouders", "guardians" },
		{ "personeel", "staff" }, { "koppelingen", "links" },
	};
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (strcmp(name, aliases[i].dutch) == 0)
			name = aliases[i].kind;
	for (size_t i = 0; i < NKINDS; i++)
		if (strcmp(name, kinds[i].name) == 0)
			return &kinds[i];
	return NULL;
}

bool import_csv_kind_known(const char *name)
{
	return find_kind(name) != NULL;
}

import_csv *import_csv_new(void)
{
	import_csv *st = calloc(1, sizeof *st);

	if (!st)
		return NULL;
	st->doc = json_object();
	for (size_t i = 0; i < NKINDS; i++)
		json_object_set_new(st->doc, kinds[i].section, json_array());
	return st;
}

void import_csv_free(import_csv *st)
{
	if (!st)
		return;
	json_decref(st->doc);
	for (size_t i = 0; i < NKINDS; i++) {
		for (size_t k = 0; k < st->norigins[i]; k++)
			free(st->origins[i][k].file);
		free(st->origins[i]);
	}
	free(st);
}

const json_t *import_csv_doc(const import_csv *st)
{
	return st->doc;
}

int import_csv_add(import_csv *st, const char *kind_name, const char *file, const char *buf, size_t len,
                   import_problem *pr)
{
	const kind *k = find_kind(kind_name);
	size_t ki, ncols;
	const column **map = NULL;
	json_t *section;
	csv_error cerr;
	csv data = { 0 };
	int rc = -1;

	memset(pr, 0, sizeof *pr);
	snprintf(pr->file, sizeof pr->file, "%s", file);
	if (!k) {
		pr->msgid = N_("use groups, pupils, guardians, staff or links");
		return -1;
	}
	ki = (size_t)(k - kinds);
	if (csv_parse(buf, len, &data, &cerr) != 0) {
		problem(pr, cerr.line, NULL, NULL);
		snprintf(pr->csv_message, sizeof pr->csv_message, "%s", cerr.message);
		pr->msgid = pr->csv_message;
		goto out;
	}
	if (data.nrecords == 0) {
		problem(pr, 1, NULL, N_("the file is empty (a header row is required)"));
		goto out;
	}
	/* Header row: every column known, none twice, the required ones there. */
	ncols = data.records[0].nfields;
	if (!(map = calloc(ncols, sizeof *map))) {
		problem(pr, 0, NULL, N_("Out of memory."));
		goto out;
	}
	for (size_t i = 0; i < ncols; i++) {
		char *h = trim(data.records[0].fields[i]);
		if (!(map[i] = find_column(k, h))) {
			problem(pr, data.records[0].line, h, N_("unknown column"));
			goto out;
		}
		for (size_t j = 0; j < i; j++)
			if (map[j] == map[i]) {
				problem(pr, data.records[0].line, h, N_("column appears twice"));
				goto out;
			}
	}
	for (const column *col = k->columns; col->header; col++) {
		bool present = false;
		for (size_t i = 0; i < ncols; i++)
			present |= map[i] == col;
		if (col->required && !present) {
			problem(pr, data.records[0].line, col->header, N_("required column is missing"));
			goto out;
		}
	}
	section = json_object_get(st->doc, k->section);
	pr->records = 0;
	for (size_t r = 1; r < data.nrecords; r++) {
		const csv_record *rec = &data.records[r];
		json_t *obj;
		origin *o;
		bool empty = true;

		for (size_t i = 0; i < rec->nfields; i++)
			empty &= *trim(rec->fields[i]) == 0;
		if (empty)
			continue;   /* ";;;;" lines that spreadsheets leave at the end */
		if (rec->nfields != ncols) {
			problem(pr, rec->line, NULL, N_("fields, but the header row has"));
			pr->got = rec->nfields;
			pr->want = ncols;
			goto out;
		}
		obj = json_object();
		for (size_t i = 0; i < ncols; i++) {
			const char *why;
			json_t *v = cell_value(map[i], trim(rec->fields[i]), &why);
			if (!v) {
				json_decref(obj);
				problem(pr, rec->line, map[i]->header, why);
				goto out;
			}
			if (json_is_null(v) && map[i]->required) {
				json_decref(obj);
				problem(pr, rec->line, map[i]->header, N_("this field is required"));
				goto out;
			}
			if (json_is_null(v))
				json_decref(v);
			else
				set_path(obj, map[i]->path, v);
		}
		drop_empty(obj);
		if (k->columns == group_columns && !json_object_get(obj, "grades"))
			json_object_set_new(obj, "grades", grades_from_name(json_string_value(json_object_get(obj, "name"))));
		json_array_append_new(section, obj);
		pr->records++;
		o = realloc(st->origins[ki], (st->norigins[ki] + 1) * sizeof *o);
		if (!o) {
			problem(pr, rec->line, NULL, N_("Out of memory."));
			goto out;
		}
		st->origins[ki] = o;
		o[st->norigins[ki]].file = strdup(file);
		o[st->norigins[ki]++].line = rec->line;
	}
	rc = 0;
out:
	free(map);
	csv_free(&data);
	return rc;
}

static const column *column_for_field(const kind *k, const char *field, size_t n)
{
	const column *col;

	for (col = k->columns; col->header; col++)   /* exactly the column */
		if (strlen(col->path) == n && strncmp(col->path, field, n) == 0)
			return col;
	for (col = k->columns; col->header; col++)   /* "address" -> first address column */
		if (strncmp(col->path, field, n) == 0 && (col->path[n] == '.' || col->path[n] == '['))
			return col;
	for (col = k->columns; col->header; col++) {  /* deeper than any column */
		size_t m = strlen(col->path);
		if (m < n && strncmp(col->path, field, m) == 0 && (field[m] == '.' || field[m] == '['))
			return col;
	}
	return NULL;
}

bool import_csv_locate(const import_csv *st, const char *detail, import_problem *pr)
{
	const char *br = strchr(detail, '['), *field, *end;
	size_t slen = br ? (size_t)(br - detail) : 0;

	memset(pr, 0, sizeof *pr);
	for (size_t ki = 0; br && ki < NKINDS; ki++) {
		char *after;
		unsigned long idx;
		const column *col = NULL;

		if (strlen(kinds[ki].section) != slen || strncmp(kinds[ki].section, detail, slen) != 0)
			continue;
		idx = strtoul(br + 1, &after, 10);
		if (*after != ']' || idx >= st->norigins[ki])
			return false;
		field = after + 1;
		if (*field == '.') {
			field++;
			end = field + strcspn(field, ": ");
			col = column_for_field(&kinds[ki], field, (size_t)(end - field));
		}
		snprintf(pr->file, sizeof pr->file, "%s", st->origins[ki][idx].file);
		problem(pr, st->origins[ki][idx].line, col ? col->header : NULL, NULL);
		return true;
	}
	return false;
}
