/* test_server.c - poortd as a server: TLS, certificate, security headers,
 * connection reuse, errors as JSON, limits, the redirect port. */
#include "harness.h"
#include "test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <sys/time.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static void check_security_headers(const resp *r, const char *what)
{
	char b[512];

	CHECK(resp_header(r, "Content-Security-Policy", b, sizeof b) && strstr(b, "script-src 'self'") &&
	      strstr(b, "frame-ancestors 'none'") && !strstr(b, "unsafe-inline"), "%s: CSP", what);
	CHECK(resp_header(r, "Strict-Transport-Security", b, sizeof b) && strstr(b, "max-age="), "%s: HSTS", what);
	CHECK(resp_header(r, "X-Content-Type-Options", b, sizeof b) && !strcmp(b, "nosniff"), "%s: nosniff", what);
	CHECK(resp_header(r, "Referrer-Policy", b, sizeof b) && !strcmp(b, "no-referrer"), "%s: referrer", what);
}

static void check_error(resp *r, long status, const char *code, const char *what)
{
	CHECK(r->status == status, "%s: status %ld, expected %ld", what, r->status, status);
	CHECK(r->json && json_is_string(json_object_get(r->json, "error")) &&
	      !strcmp(json_string_value(json_object_get(r->json, "error")), code) &&
	      json_is_string(json_object_get(r->json, "message")),
	      "%s: body %s", what, r->body ? r->body : "(none)");
	check_security_headers(r, what);
}

/* gnutls-cli with a client priority string: 0 when the handshake worked. */
static int tls_try(int port, const char *priority)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd,
	         "gnutls-cli --insecure --priority '%s' -p %d 127.0.0.1 </dev/null >/dev/null 2>&1",
	         priority, port);
	return system(cmd);
}

static int raw_connect(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int main(void)
{
	char *dir = test_tmpdir("web_server");
	char path[1024], b[512], fpr1[200] = "", fpr2[200] = "";
	const char *extra[] = { "--redirect-port", "0", NULL };
	const char *quick[] = { "--idle-timeout", "1", NULL };
	poortd_proc d;
	client c, en;
	resp r;
	struct stat st;
	char *log;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	poortd_start(&d, dir, extra);
	CHECK(d.created_cert, "a certificate was made at first start");

	/* A self-signed certificate was made at first start, private. */
	snprintf(path, sizeof path, "%s/tls/poortd.key", dir);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "key file mode %o", st.st_mode & 0777);

	/* Anonymous read of the school's public settings, with every header. */
	client_init(&c, &d);
	r = client_req(&c, "GET", "/api/v1/school", NULL, NULL, NULL);
	CHECK(r.status == 200 && r.json && json_is_object(r.json), "school: %ld", r.status);
	CHECK(r.new_connections == 1, "first request opens one connection (%ld)", r.new_connections);
	check_security_headers(&r, "school");
	resp_free(&r);

	/* Keep-alive: further requests reuse the TLS connection (the Debian 12
	 * libmicrohttpd quirk answers Connection: close otherwise). */
	for (int i = 0; i < 5; i++) {
		r = client_req(&c, "GET", i % 2 ? "/api/v1/school" : "/api/v1/nothing-here", NULL, NULL, NULL);
		CHECK(r.new_connections == 0, "request %d opened a new connection", i);
		resp_free(&r);
	}

	/* Errors: JSON with a code and a message in the request's language. */
	r = client_req(&c, "GET", "/api/v1/nothing-here", NULL, NULL, NULL);
	check_error(&r, 404, "not_found", "unknown path");
	CHECK(r.json && !strcmp(json_string_value(json_object_get(r.json, "message")), "Dit is niet gevonden."),
	      "Dutch by default: %s", r.body);
	resp_free(&r);
	client_init(&en, &d);
	r = client_req(&en, "GET", "/api/v1/nothing-here", NULL, NULL, "Accept-Language: en-GB,en;q=0.9,nl;q=0.5");
	CHECK(r.json && !strcmp(json_string_value(json_object_get(r.json, "message")), "That could not be found."),
	      "English on request: %s", r.body);
	resp_free(&r);
	r = client_req(&c, "DELETE", "/api/v1/school", NULL, NULL, NULL);
	check_error(&r, 405, "method", "wrong method");
	resp_free(&r);
	r = client_req(&c, "GET", "/api/v1/health", NULL, NULL, NULL);
	check_error(&r, 401, "login", "needs login");
	resp_free(&r);
	r = client_req(&c, "GET", "/api/v1/school?a=%zz", NULL, NULL, NULL);
	check_error(&r, 400, "malformed", "bad query string");
	resp_free(&r);
	r = client_req(&c, "GET", "/api/v1/school?a=1&a=2", NULL, NULL, NULL);
	check_error(&r, 400, "malformed", "repeated query parameter");
	resp_free(&r);

	/* Path tricks: no way out of the static directory. */
	curl_easy_setopt(c.h, CURLOPT_PATH_AS_IS, 1L);
	const char *tricks[] = { "/static/../web/layout.html", "/static/%2e%2e/layout.html",
	                         "/static/..%2flayout.html", "/static/poort.css/..", "//static/poort.css",
	                         "/static/%00", "/api/v1/../v1/school" };
	for (size_t i = 0; i < sizeof tricks / sizeof *tricks; i++) {
		r = client_req(&c, "GET", tricks[i], NULL, NULL, NULL);
		CHECK(r.status == 404 || r.status == 400, "%s: %ld", tricks[i], r.status);
		CHECK(!r.body || !strstr(r.body, "{{"), "%s leaked a template", tricks[i]);
		resp_free(&r);
	}
	r = client_req(&c, "GET", "/static/poort.css", NULL, NULL, NULL);
	CHECK(r.status == 200 && resp_header(&r, "Content-Type", b, sizeof b) && strstr(b, "text/css"),
	      "static css: %ld", r.status);
	check_security_headers(&r, "static");
	resp_free(&r);

	/* A body over the limit: 413, nothing read into memory beyond it. */
	{
		size_t n = 200 * 1024;
		char *big = malloc(n + 1);
		memset(big, 'a', n);
		big[n] = '\0';
		r = client_req(&en, "PATCH", "/api/v1/school", big, NULL, NULL);
		check_error(&r, 413, "too_large", "huge body");
		resp_free(&r);
		free(big);
	}
	r = client_req(&en, "GET", "/api/v1/school", NULL, NULL, NULL);
	CHECK(r.status == 200, "served after a 413: %ld", r.status);
	resp_free(&r);

	/* Per-IP connection limit: idle sockets from one address use it up;
	 * the service keeps serving once they are gone. */
	{
		int fds[80], nfd = 0;
		client x;
		for (int i = 0; i < 80; i++)
			if ((fds[nfd] = raw_connect(d.port)) >= 0)
				nfd++;
		client_init(&x, &d);
		r = client_req(&x, "GET", "/api/v1/school", NULL, NULL, NULL);
		CHECK(r.status != 200, "over the per-IP limit a new connection is refused (%ld)", r.status);
		resp_free(&r);
		for (int i = 0; i < nfd; i++)
			close(fds[i]);
		long status = 0;
		for (int tries = 0; tries < 200 && status != 200; tries++) {   /* bounded: 10 s */
			client_free(&x);
			client_init(&x, &d);
			r = client_req(&x, "GET", "/api/v1/school", NULL, NULL, NULL);
			status = r.status;
			resp_free(&r);
			if (status != 200)
				usleep(50 * 1000);
		}
		CHECK(status == 200, "served again after the idle sockets closed (%ld)", status);
		client_free(&x);
	}

	/* Plain HTTP only redirects. */
	{
		CURL *h = curl_easy_init();
		char url[128], *loc = NULL;
		long code = 0;
		snprintf(url, sizeof url, "http://127.0.0.1:%d/api/v1/school", d.redirect_port);
		curl_easy_setopt(h, CURLOPT_URL, url);
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
		CHECK(curl_easy_perform(h) == CURLE_OK, "redirect port answers");
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
		curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &loc);
		snprintf(url, sizeof url, "https://127.0.0.1:%d/api/v1/school", d.port);
		CHECK(code == 301 && loc && !strcmp(loc, url), "redirect %ld to %s", code, loc ? loc : "-");
		curl_easy_cleanup(h);
	}

	/* TLS 1.2 and 1.3 with AEAD only. */
	CHECK(tls_try(d.port, "NORMAL:-VERS-ALL:+VERS-TLS1.3") == 0, "TLS 1.3 works");
	CHECK(tls_try(d.port, "NORMAL:-VERS-ALL:+VERS-TLS1.2") == 0, "TLS 1.2 works");
	CHECK(tls_try(d.port, "NORMAL:-VERS-ALL:+VERS-TLS1.1") != 0, "TLS 1.1 refused");
	CHECK(tls_try(d.port, "NORMAL:-VERS-ALL:+VERS-TLS1.0") != 0, "TLS 1.0 refused");
	CHECK(tls_try(d.port, "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-CBC:+AES-256-CBC:"
	                      "-MAC-ALL:+SHA1:+SHA256") != 0, "CBC suites refused");

	client_free(&c);
	client_free(&en);
	CHECK(poortd_stop(&d) == 0, "poortd stops cleanly");

	/* One line per request, no query strings in the log. */
	log = test_read_file(d.log);
	CHECK(log && strstr(log, "GET /api/v1/school 200"), "request log");
	CHECK(log && !strstr(log, "%zz"), "no query strings in the log");
	free(log);

	/* A second start keeps the certificate; with a 1 s idle timeout. */
	snprintf(fpr1, sizeof fpr1, "%s", d.fingerprint);
	poortd_start(&d, dir, quick);
	snprintf(fpr2, sizeof fpr2, "%s", d.fingerprint);
	CHECK(strlen(fpr1) == 95 && !strcmp(fpr1, fpr2) && !d.created_cert, "same certificate: %s / %s", fpr1, fpr2);
	client_init(&c, &d);
	/* A slow client (half a request, then nothing) is cut off after the
	 * idle timeout (1 s here) while others are served. */
	{
		int fd = raw_connect(d.port);
		char buf[64];
		struct timeval tv = { .tv_sec = 20 };   /* a bound, far above the 1 s timeout */
		ssize_t n;
		CHECK(fd >= 0 && write(fd, "\x16\x03\x01", 3) == 3, "slow client connects");
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		r = client_req(&c, "GET", "/api/v1/school", NULL, NULL, NULL);
		CHECK(r.status == 200, "others are served meanwhile: %ld", r.status);
		resp_free(&r);
		/* at most an alert record, then the end of the connection */
		for (int k = 0; k < 8 && (n = read(fd, buf, sizeof buf)) > 0; k++)
			;
		CHECK(n == 0 || (n < 0 && errno == ECONNRESET), "the slow client was cut off (%zd)", n);
		close(fd);
	}

	client_free(&c);
	CHECK(poortd_stop(&d) == 0, "second start");

	/* The school's own certificate and key (--cert/--key): served as is. */
	{
		char cmd[8192], crt[1100], key[1100], want[200] = "";
		const char *own[] = { "--cert", crt, "--key", key, NULL };
		FILE *f;
		snprintf(crt, sizeof crt, "%s/school.crt", dir);
		snprintf(key, sizeof key, "%s/school.key", dir);
		snprintf(cmd, sizeof cmd,
		         "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=poort.school.lan -days 30 "
		         "-keyout %s -out %s >/dev/null 2>&1 && openssl x509 -in %s -noout -fingerprint -sha256",
		         key, crt, crt);
		if ((f = popen(cmd, "r"))) {
			if (fgets(want, sizeof want, f) && strchr(want, '='))
				memmove(want, strchr(want, '=') + 1, strlen(strchr(want, '=')));
			want[strcspn(want, "\n")] = '\0';
			pclose(f);
		}
		poortd_start(&d, dir, own);
		CHECK(want[0] && !strcmp(d.fingerprint, want) && !d.created_cert, "own certificate: %s vs %s",
		      d.fingerprint, want);
		client_init(&c, &d);
		r = client_req(&c, "GET", "/api/v1/school", NULL, NULL, NULL);
		CHECK(r.status == 200, "served with the school's certificate: %ld", r.status);
		resp_free(&r);
		client_free(&c);
		CHECK(poortd_stop(&d) == 0, "third start");
	}

	curl_global_cleanup();
	test_rmdir(dir);
	free(dir);
	return test_done("web_server");
}
