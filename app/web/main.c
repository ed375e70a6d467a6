/* main.c - poortd: command line, certificate, store, start, wait for a signal. */
#include "web.h"
#include "assets.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static const char usage[] =
	"Usage: poortd [--data DIR] [--listen ADDR:PORT] [--redirect-port PORT]\n"
	"              [--cert FILE --key FILE] [--threads N] [--assets DIR]\n"
	"\n"
	"Poort's web service for the school network: HTTPS, a JSON API under\n"
	"/api/v1/ and pages for teachers, administrators and parents.\n"
	"\n"
	"  --data DIR          the school's store (default $POORT_DATA or /var/lib/poort)\n"
	"  --listen ADDR:PORT  where to listen (default 0.0.0.0:443; port 0 picks a free one)\n"
	"  --redirect-port P   also listen for plain HTTP on P, only to redirect to HTTPS\n"
	"  --cert F --key F    the school's own certificate and key (PEM); without them a\n"
	"                      self-signed certificate is made in DIR/tls at first start\n"
	"  --threads N         worker threads (default: number of CPUs)\n"
	"  --idle-timeout S    close connections idle (or stalled mid-request) for S\n"
	"                      seconds (default 30)\n"
	"  --per-ip-limit N    connections one address may hold (default 64)\n"
	"  --assets DIR        templates and static files (default: the built-in path)\n"
	"  --help              this text\n"
	"\n"
	"Prints the address and the certificate's SHA-256 fingerprint, then logs one\n"
	"line per request to standard error. Stops cleanly on SIGINT or SIGTERM.\n";

static int parse_listen(const char *s, char *addr, size_t alen, int *port)
{
	const char *colon = strrchr(s, ':');
	char *end;
	long p;
	size_t n;

	if (!colon)
		return -1;
	n = (size_t)(colon - s);
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {   /* [::1]:443 */
		s++;
		n -= 2;
	}
	if (n == 0 || n >= alen)
		return -1;
	memcpy(addr, s, n);
	addr[n] = '\0';
	p = strtol(colon + 1, &end, 10);
	if (*end || p < 0 || p > 65535 || end == colon + 1)
		return -1;
	*port = (int)p;
	return 0;
}

/* A whole number in [min, max] for option opt, or a clear message. */
static bool number_arg(const char *opt, const char *v, long min, long max, long *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < min || n > max) {
		fprintf(stderr, "poortd: %s wants a whole number from %ld to %ld, got '%s'\n", opt, min, max, v);
		return false;
	}
	*out = n;
	return true;
}

int main(int argc, char **argv)
{
	const char *data = NULL, *listen = "0.0.0.0:443", *cert_file = NULL, *key_file = NULL;
	const char *assets_dir = POORT_ASSETS_DIR;
	char addr[128], fpr[97];
	char *cert = NULL, *key = NULL;
	int port, redirect_port = -1, rc = 1, sig;
	long threads = sysconf(_SC_NPROCESSORS_ONLN), idle_timeout = 30, per_ip = 64;
	bool created;
	sigset_t set;
	struct web_daemons d = { 0 };
	web w = { 0 };
	poort_booker *booker = NULL;

	for (int i = 1; i < argc; i += 2) {   /* every option takes a value */
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage, stdout);
			return 0;
		}
		if (!v) {
			fprintf(stderr, "poortd: unknown or incomplete option %s\n%s", a, usage);
			return 2;
		}
		bool ok = true;
		if (!strcmp(a, "--data")) data = v;
		else if (!strcmp(a, "--listen")) listen = v;
		else if (!strcmp(a, "--redirect-port")) {
			long rp;
			if ((ok = number_arg(a, v, 0, 65535, &rp)))   /* 0: pick a free port */
				redirect_port = (int)rp;
		}
		else if (!strcmp(a, "--cert")) cert_file = v;
		else if (!strcmp(a, "--key")) key_file = v;
		else if (!strcmp(a, "--threads")) ok = number_arg(a, v, 1, 64, &threads);
		else if (!strcmp(a, "--assets")) assets_dir = v;
		else if (!strcmp(a, "--idle-timeout")) ok = number_arg(a, v, 1, 3600, &idle_timeout);
		else if (!strcmp(a, "--per-ip-limit")) ok = number_arg(a, v, 1, 2000, &per_ip);
		else {
			fprintf(stderr, "poortd: unknown option %s\n%s", a, usage);
			return 2;
		}
		if (!ok)
			return 2;
	}
	if (parse_listen(listen, addr, sizeof addr, &port) != 0) {
		fprintf(stderr, "poortd: --listen wants ADDR:PORT, got %s\n", listen);
		return 2;
	}
	if (threads < 1 || threads > 64)   /* the default: the number of CPUs */
		threads = threads < 1 ? 2 : 64;

	/* Signals are taken synchronously by the main thread only: block them
	 * before any thread starts so the workers inherit the mask. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	{
		/* one descriptor per connection: allow as many as the system does */
		struct rlimit rl;
		if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
			rl.rlim_cur = rl.rlim_max;
			setrlimit(RLIMIT_NOFILE, &rl);
		}
	}

	w.data_dir = poort_data_dir(data);
	w.assets = assets_dir;
	w.started = web_now_us() / 1000000;
	poort_err err = poort_open(w.data_dir, NULL, &w.p);
	if (err) {
		fprintf(stderr, "poortd: %s: %s (%s)\n", w.data_dir, poort_strerror(err), poort_error_detail());
		goto out;
	}
	/* Bookings from many phones at once commit in batches (group commit). */
	if ((err = poort_booker_start(w.p, &booker))) {
		fprintf(stderr, "poortd: booking writer: %s\n", poort_strerror(err));
		goto out;
	}
	if (assets_load(assets_dir) != 0)
		goto out;
	if (!(w.sessions = sessions_new()))
		goto out;
	if (web_cert_load(w.data_dir, cert_file, key_file, &cert, &key, fpr, &created) != 0)
		goto out;
	if (web_start(&w, addr, port, redirect_port, cert, key, (unsigned)threads, (unsigned)idle_timeout, (unsigned)per_ip,
	              &d) != 0)
		goto out;
	if (created)
		printf("poortd: created a self-signed certificate in %s/tls\n", w.data_dir);
	printf("poortd: listening on https://%s%s%s:%d/\n", strchr(addr, ':') ? "[" : "", addr,
	       strchr(addr, ':') ? "]" : "", w.https_port);
	if (d.redirect)
		printf("poortd: redirecting http://%s:%d/ to https\n", addr, web_redirect_port(&d));
	printf("poortd: certificate SHA-256 fingerprint %s\n", fpr);
	fflush(stdout);

	while (sigwait(&set, &sig) != 0)
		;
	fprintf(stderr, "poortd: stopping (signal %d)\n", sig);
	rc = 0;
out:
	web_stop(&d);
	sessions_free(w.sessions);
	assets_free();
	if (key) {
		memset(key, 0, strlen(key));
		free(key);
	}
	free(cert);
	if (booker)
		poort_booker_stop(booker);
	poort_close(w.p);
	return rc;
}
