/* bench_web.c - poortd's speed against nginx (Debian's) in one run, all over
 * HTTPS on loopback with the same certificate:
 *   - nginx (open_file_cache) serving a static file: the baseline;
 *   - poortd serving the same file from memory;
 *   - poortd answering authenticated JSON reads (session + LMDB read): a
 *     pupil card (pupil, guardians, contacts) and the short group list;
 *   - new TLS handshakes per second (no keep-alive, no session resumption);
 *   - poortd's anonymous RSS idle and with 1000 keep-alive TLS connections.
 * Requests/s and p50/p99 are printed as ratios to nginx. Figures only: the
 * pass/fail suite does not run it (label bench). Every loop is bounded. */
#include "harness.h"
#include "../web/web_school.h"
#include <sys/stat.h>

static web_school S_bench;

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define THREADS 4
#define KEEPALIVE_REQUESTS 2500     /* per thread */
#define HANDSHAKES 150              /* per thread */
#define HELD_CONNECTIONS 1000

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t discard(char *p, size_t s, size_t n, void *a)
{
	(void)p; (void)a;
	return s * n;
}

typedef struct job {
	const char *url;
	const char *cookie;
	int n;
	bool fresh;
	double *lat;
	int ok;
} job;

static void *worker(void *arg)
{
	job *j = arg;
	CURL *h = curl_easy_init();
	struct curl_slist *hs = NULL;
	char hdr[128];

	curl_easy_setopt(h, CURLOPT_URL, j->url);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
	if (j->cookie) {
		snprintf(hdr, sizeof hdr, "Cookie: __Host-poort=%s", j->cookie);
		hs = curl_slist_append(hs, hdr);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hs);
	}
	if (j->fresh) {
		curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
		curl_easy_setopt(h, CURLOPT_SSL_SESSIONID_CACHE, 0L);
	}
	for (int i = 0; i < j->n; i++) {
		double t0 = now_s();
		long code = 0;
		if (curl_easy_perform(h) == CURLE_OK && curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK &&
		    code == 200)
			j->ok++;
		j->lat[i] = now_s() - t0;
	}
	curl_slist_free_all(hs);
	curl_easy_cleanup(h);
	return NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

typedef struct result { double rps, p50, p99; int ok, total; } result;

static result run(const char *url, const char *cookie, int per_thread, bool fresh)
{
	pthread_t th[THREADS];
	job jobs[THREADS];
	double *all = calloc((size_t)THREADS * (size_t)per_thread, sizeof *all);
	result r = { 0 };
	double t0 = now_s();

	for (int i = 0; i < THREADS; i++) {
		jobs[i] = (job){ url, cookie, per_thread, fresh, all + (size_t)i * (size_t)per_thread, 0 };
		pthread_create(&th[i], NULL, worker, &jobs[i]);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		r.ok += jobs[i].ok;
	}
	r.total = THREADS * per_thread;
	r.rps = r.total / (now_s() - t0);
	qsort(all, (size_t)r.total, sizeof *all, cmp_double);
	r.p50 = all[r.total / 2] * 1000;
	r.p99 = all[r.total * 99 / 100] * 1000;
	free(all);
	return r;
}

static long rss_anon_kib(pid_t pid)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if (!(f = fopen(path, "r")))
		return -1;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "RssAnon:", 8))
			kib = atol(line + 8);
	fclose(f);
	return kib;
}

static int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = 0;

	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static pid_t start_nginx(const char *dir, int port, const char *data)
{
	char conf[1024], body[4096];
	FILE *f;
	pid_t pid;

	snprintf(conf, sizeof conf, "%s/nginx.conf", dir);
	snprintf(body, sizeof body,
	         "user root;\nworker_processes 2;\ndaemon off;\npid %s/nginx.pid;\nerror_log %s/nginx-error.log;\n"
	         "events { worker_connections 4096; }\n"
	         "http { access_log off; sendfile on; open_file_cache max=1000 inactive=60s;\n"
	         "  client_body_temp_path %s; proxy_temp_path %s; fastcgi_temp_path %s;\n"
	         "  server { listen 127.0.0.1:%d ssl; ssl_certificate %s/tls/poortd.crt;\n"
	         "    ssl_certificate_key %s/tls/poortd.key; ssl_protocols TLSv1.2 TLSv1.3;\n"
	         "    keepalive_requests 1000000; root %s/assets/web; } }\n",
	         dir, dir, dir, dir, dir, port, data, data, POORT_SOURCE_DIR);
	if (!(f = fopen(conf, "w")))
		return -1;
	fputs(body, f);
	fclose(f);
	if ((pid = fork()) == 0) {
		execl("/usr/sbin/nginx", "nginx", "-p", dir, "-c", conf, "-e", "/dev/null", (char *)NULL);
		_exit(127);
	}
	return pid;
}

static void print_row(const char *what, result r, result base)
{
	printf("%-34s %9.0f req/s (%.2fx)  p50 %6.3f ms (%.2fx)  p99 %6.3f ms (%.2fx)  ok %d/%d\n", what, r.rps,
	       r.rps / base.rps, r.p50, r.p50 / base.p50, r.p99, r.p99 / base.p99, r.ok, r.total);
}

int main(void)
{
	poortd_proc d;
	const char *extra[] = { "--per-ip-limit", "2000", NULL };
	char url[256], cookie[64] = "", nginx_dir[600];
	client c;
	resp lr;
	pid_t nginx;
	int nport;
	result base, stat_p, json_p, json_s, hs_n, hs_p;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	web_school_create(&S_bench, "bench_web");
	poortd_start(&d, S_bench.dir, extra);
	snprintf(nginx_dir, sizeof nginx_dir, "%s/nginx", S_bench.dir);
	mkdir(nginx_dir, 0700);
	nport = free_port();
	nginx = start_nginx(nginx_dir, nport, S_bench.dir);

	/* a session for the JSON read */
	client_init(&c, &d);
	{
		char body[200];
		snprintf(body, sizeof body, "{\"username\":\"anna\",\"password\":\"%s\"}", STAFF_PASSWORD);
		lr = client_req(&c, "POST", "/api/v1/session", body, NULL, NULL);
		char sc[256];
		if (resp_header(&lr, "Set-Cookie", sc, sizeof sc))
			sscanf(sc, "__Host-poort=%32[0-9a-f]", cookie);
		resp_free(&lr);
	}
	client_free(&c);

	/* nginx answers once it is up (bounded wait) */
	snprintf(url, sizeof url, "https://127.0.0.1:%d/static/poort.css", nport);
	for (int i = 0; i < 100; i++) {
		result probe = run(url, NULL, 1, false);
		if (probe.ok == THREADS)
			break;
		usleep(50000);
	}
	long idle = rss_anon_kib(d.pid);

	printf("bench_web: %d threads x %d keep-alive requests; %d x %d new handshakes; loopback HTTPS\n",
	       THREADS, KEEPALIVE_REQUESTS, THREADS, HANDSHAKES);
	base = run(url, NULL, KEEPALIVE_REQUESTS, false);
	snprintf(url, sizeof url, "%s/static/poort.css", d.base);
	stat_p = run(url, NULL, KEEPALIVE_REQUESTS, false);
	snprintf(url, sizeof url, "%s/api/v1/pupils/%llu", d.base, (unsigned long long)S_bench.sanne);
	json_p = run(url, cookie, KEEPALIVE_REQUESTS, false);
	snprintf(url, sizeof url, "%s/api/v1/groups", d.base);
	json_s = run(url, cookie, KEEPALIVE_REQUESTS, false);
	print_row("nginx static (baseline)", base, base);
	print_row("poortd static asset", stat_p, base);
	print_row("poortd JSON: pupil card", json_p, base);
	print_row("poortd JSON: group list", json_s, base);

	snprintf(url, sizeof url, "https://127.0.0.1:%d/static/poort.css", nport);
	hs_n = run(url, NULL, HANDSHAKES, true);
	snprintf(url, sizeof url, "%s/static/poort.css", d.base);
	hs_p = run(url, NULL, HANDSHAKES, true);
	printf("%-34s %9.0f /s\n", "nginx new TLS handshakes", hs_n.rps);
	printf("%-34s %9.0f /s (%.2fx)  ok %d/%d\n", "poortd new TLS handshakes", hs_p.rps, hs_p.rps / hs_n.rps,
	       hs_p.ok, hs_p.total);

	/* 1000 keep-alive TLS connections held open at once */
	{
		CURL **hs = calloc(HELD_CONNECTIONS, sizeof *hs);
		int open = 0;
		for (int i = 0; i < HELD_CONNECTIONS; i++) {
			long code = 0;
			hs[i] = curl_easy_init();
			curl_easy_setopt(hs[i], CURLOPT_URL, url);
			curl_easy_setopt(hs[i], CURLOPT_SSL_VERIFYPEER, 0L);
			curl_easy_setopt(hs[i], CURLOPT_SSL_VERIFYHOST, 0L);
			curl_easy_setopt(hs[i], CURLOPT_WRITEFUNCTION, discard);
			curl_easy_setopt(hs[i], CURLOPT_TIMEOUT, 10L);
			if (curl_easy_perform(hs[i]) == CURLE_OK && curl_easy_getinfo(hs[i], CURLINFO_RESPONSE_CODE, &code) == CURLE_OK &&
			    code == 200)
				open++;
		}
		long held = rss_anon_kib(d.pid);
		printf("%-34s %6.1f MiB idle, %6.1f MiB with %d keep-alive TLS connections (RssAnon)\n", "poortd memory",
		       idle / 1024.0, held / 1024.0, open);
		for (int i = 0; i < HELD_CONNECTIONS; i++)
			curl_easy_cleanup(hs[i]);
		free(hs);
	}

	if (nginx > 0) {
		kill(nginx, SIGTERM);
		waitpid(nginx, NULL, 0);
	}
	CHECK(poortd_stop(&d) == 0, "poortd stops cleanly");
	CHECK(base.ok == base.total && stat_p.ok == stat_p.total && json_p.ok == json_p.total,
	      "every request answered 200");
	curl_global_cleanup();
	test_rmdir(S_bench.dir);
	free(S_bench.dir);
	return test_done("bench_web");
}
