/* The CSV reader: tricky inputs with their exact expected records, then a
 * replay of the fuzz corpus (tests/fuzz/corpus/csv) so that every build runs
 * the inputs the fuzzer once found interesting. */
#include "test.h"
#include "csv.h"

#include <dirent.h>

/* Expected records: fields joined by '|', records by '\n'; or an error line. */
static const struct {
	const char *name, *input;
	size_t len;        /* 0: strlen(input) */
	const char *want;  /* NULL: parse must fail */
	size_t err_line;
	char sep;
} cases[] = {
	{ "plain", "a,b,c\n1,2,3\n", 0, "a|b|c\n1|2|3", 0, ',' },
	{ "no final newline", "a,b\n1,2", 0, "a|b\n1|2", 0, ',' },
	{ "crlf", "a;b\r\n1;2\r\n", 0, "a|b\n1|2", 0, ';' },
	{ "semicolon wins", "naam;plaats;regio,land\nx;y;z,w\n", 0, "naam|plaats|regio,land\nx|y|z,w", 0, ';' },
	{ "bom", "\xef\xbb\xbf" "a,b\n1,2\n", 0, "a|b\n1|2", 0, ',' },
	{ "quotes", "a,b\n\"x, y\",\"he said \"\"hi\"\"\"\n", 0, "a|b\nx, y|he said \"hi\"", 0, ',' },
	{ "newline in quotes", "a,b\n\"line1\r\nline2\",z\n3,4\n", 0, "a|b\nline1\nline2|z\n3|4", 0, ',' },
	{ "empty fields", "a,b,c\n,,\n1,,3\n", 0, "a|b|c\n||\n1||3", 0, ',' },
	{ "blank lines skipped", "a\n\n1\n\n", 0, "a\n1", 0, ',' },
	{ "quoted empty kept", "a\n\"\"\n", 0, "a\n", 0, ',' },
	{ "utf8", "naam\nZoë Nguyễn\n", 0, "naam\nZoë Nguyễn", 0, ',' },
	{ "separator in quoted header", "\"a;b\",c\n1,2\n", 0, "a;b|c\n1|2", 0, ',' },
	{ "lone cr", "a\r1\r", 0, "a\n1", 0, ',' },
	{ "empty input", "", 0, "", 0, ',' },
	{ "unterminated quote", "a,b\n1,\"open\n2,3\n", 0, NULL, 2, 0 },
	{ "quote in unquoted field", "a,b\n1,x\"y\n", 0, NULL, 2, 0 },
	{ "text after closing quote", "a,b\n\"x\"y,2\n", 0, NULL, 2, 0 },
	{ "invalid utf8", "a\nok\n\xc3\x28\n", 0, NULL, 3, 0 },
	{ "overlong utf8", "a\n\xc0\xaf\n", 0, NULL, 2, 0 },
	{ "surrogate", "a\n\xed\xa0\x80\n", 0, NULL, 2, 0 },
	{ "truncated utf8 at end", "a\n\xe2\x82", 0, NULL, 2, 0 },
	{ "nul byte", "a\nx\0y\n", 6, NULL, 2, 0 },
	{ "error line after quoted newlines", "a\n\"1\n2\n3\"\n\"x\"z\n", 0, NULL, 5, 0 },
};

static char *joined(const csv *c)
{
	size_t len = 1;
	char *s, *p;

	for (size_t r = 0; r < c->nrecords; r++)
		for (size_t f = 0; f < c->records[r].nfields; f++)
			len += strlen(c->records[r].fields[f]) + 1;
	p = s = calloc(1, len);
	for (size_t r = 0; r < c->nrecords; r++) {
		if (r)
			*p++ = '\n';
		for (size_t f = 0; f < c->records[r].nfields; f++) {
			if (f)
				*p++ = '|';
			p = stpcpy(p, c->records[r].fields[f]);
		}
	}
	*p = 0;
	return s;
}

static void replay_corpus(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	CHECK(d != NULL, "corpus %s missing", dir);
	while (d && (e = readdir(d))) {
		char path[4096];
		csv c;
		csv_error err;
		char *buf;
		FILE *f;
		size_t len;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (!(f = fopen(path, "rb")))
			continue;
		buf = malloc(1 << 20);
		len = fread(buf, 1, 1 << 20, f);
		fclose(f);
		if (csv_parse(buf, len, &c, &err) == 0) {
			size_t last = 0;
			for (size_t r = 0; r < c.nrecords; r++) {
				CHECK(c.records[r].nfields >= 1 && c.records[r].line > last, "%s: record %zu", path, r);
				last = c.records[r].line;
			}
			csv_free(&c);
		} else {
			CHECK(err.line >= 1 && err.message[0], "%s: error without line or message", path);
		}
		free(buf);
		n++;
	}
	if (d)
		closedir(d);
	CHECK(n >= 5, "only %d corpus files", n);
	printf("replayed %d corpus files\n", n);
}

int main(void)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		csv c;
		csv_error err;
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].input);
		int rc = csv_parse(cases[i].input, len, &c, &err);

		if (cases[i].want) {
			CHECK(rc == 0, "%s: failed at line %zu: %s", cases[i].name, err.line, err.message);
			if (rc == 0) {
				char *got = joined(&c);
				CHECK(strcmp(got, cases[i].want) == 0, "%s: got [%s]", cases[i].name, got);
				CHECK(c.nrecords == 0 || c.separator == cases[i].sep, "%s: separator %c", cases[i].name, c.separator);
				free(got);
				csv_free(&c);
			}
		} else {
			CHECK(rc != 0, "%s: parsed", cases[i].name);
			CHECK(rc != 0 && err.line == cases[i].err_line, "%s: error line %zu (%s), expected %zu",
			      cases[i].name, err.line, err.message, cases[i].err_line);
			if (rc == 0)
				csv_free(&c);
		}
	}
	/* Record lines: a record starts on the line after a quoted multi-line field. */
	{
		csv c;
		csv_error err;
		const char *in = "h\n\"a\nb\nc\"\nnext\n";
		E(csv_parse(in, strlen(in), &c, &err) == 0 ? POORT_OK : POORT_E_INVALID);
		CHECK(c.nrecords == 3 && c.records[1].line == 2 && c.records[2].line == 5, "lines %zu %zu",
		      c.records[1].line, c.records[2].line);
		csv_free(&c);
	}
	replay_corpus(POORT_SOURCE_DIR "/tests/fuzz/corpus/csv");
	return test_done("cli_csv");
}
