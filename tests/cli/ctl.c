/* ctl.c - fork + exec of $POORTCTL with stdout and stderr captured. */
#include "ctl.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *slurp(int fd)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1);
	ssize_t r;

	lseek(fd, 0, SEEK_SET);
	while ((r = read(fd, buf + n, cap - n)) > 0) {
		n += (size_t)r;
		if (n == cap)
			buf = realloc(buf, (cap *= 2) + 1);
	}
	buf[n] = 0;
	close(fd);
	return buf;
}

static int tmpfd(void)
{
	char path[] = "/tmp/poort-ctl-XXXXXX";
	int fd = mkstemp(path);

	if (fd < 0) {
		perror("mkstemp");
		exit(1);
	}
	unlink(path);
	return fd;
}

ctl_result ctl_run_env(const char *const *env, ...)
{
	const char *bin = getenv("POORTCTL");
	const char *argv[64];
	int argc = 0, out = tmpfd(), err = tmpfd(), status;
	ctl_result r = { 0 };
	va_list ap;
	pid_t pid;

	if (!bin) {
		fprintf(stderr, "POORTCTL is not set (run the test through ctest)\n");
		exit(1);
	}
	argv[argc++] = "poortctl";
	va_start(ap, env);
	for (const char *a = va_arg(ap, const char *); a && argc < 63; a = va_arg(ap, const char *))
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		dup2(out, 1);
		dup2(err, 2);
		for (const char *const *e = env; e && *e; e++)
			putenv((char *)*e);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	r.out = slurp(out);
	r.err = slurp(err);
	return r;
}

void ctl_free(ctl_result *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

void write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(text, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}
