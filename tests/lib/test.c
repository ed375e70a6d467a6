#include "test.h"

#include <ftw.h>
#include <unistd.h>

int test_failures;
static int64_t pinned_now;

char *test_tmpdir(const char *name)
{
	const char *base = getenv("TMPDIR");
	char *dir;

	if (!base || !*base)
		base = "/tmp";
	if (asprintf(&dir, "%s/poort-%s-XXXXXX", base, name) < 0 || !mkdtemp(dir)) {
		perror("mkdtemp");
		exit(1);
	}
	return dir;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

void test_rmdir(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int64_t pinned(void *arg)
{
	(void)arg;
	return pinned_now;
}

void test_set_now(poort *p, const char *local)
{
	poort_day d;
	char date[11];
	int hh = 0, mm = 0;

	memcpy(date, local, 10);
	date[10] = 0;
	if (poort_day_parse(date, &d) || sscanf(local + 11, "%d:%d", &hh, &mm) != 2) {
		fprintf(stderr, "test_set_now: bad time %s\n", local);
		exit(1);
	}
	pinned_now = poort_unix_time(d, hh * 60 + mm);
	poort_set_clock(p, pinned, NULL);
}

int test_done(const char *name)
{
	if (test_failures) {
		fprintf(stderr, "%s: %d check(s) failed\n", name, test_failures);
		return 1;
	}
	printf("%s: all checks passed\n", name);
	return 0;
}

char *test_read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) && fread(buf, 1, (size_t)n, f) == (size_t)n)
		buf[n] = 0;
	else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}
