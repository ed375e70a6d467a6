/* harness.c - see harness.h. */
#include "harness.h"
#include "test.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

void poortd_start(poortd_proc *d, const char *data, const char *const *extra)
{
	int out[2];
	const char *argv[32];
	int n = 0;
	char line[512];
	FILE *f;

	memset(d, 0, sizeof *d);
	snprintf(d->data, sizeof d->data, "%s", data);
	snprintf(d->log, sizeof d->log, "%s/poortd.log", data);
	argv[n++] = POORT_BINARY_DIR "/app/web/poortd";
	argv[n++] = "--data";
	argv[n++] = data;
	argv[n++] = "--listen";
	argv[n++] = "127.0.0.1:0";
	argv[n++] = "--threads";
	argv[n++] = "2";
	for (; extra && *extra && n < 30; extra++)
		argv[n++] = *extra;
	argv[n] = NULL;
	if (pipe(out) != 0) {
		perror("pipe");
		exit(1);
	}
	d->pid = fork();
	if (d->pid == 0) {
		FILE *e = fopen(d->log, "w");
		dup2(out[1], 1);
		if (e)
			dup2(fileno(e), 2);
		close(out[0]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	f = fdopen(out[0], "r");
	while (fgets(line, sizeof line, f)) {
		char *p;
		if ((p = strstr(line, "https://127.0.0.1:")))
			d->port = atoi(p + 18);
		if ((p = strstr(line, "redirecting http://127.0.0.1:")))
			d->redirect_port = atoi(p + 29);
		if (strstr(line, "created a self-signed certificate"))
			d->created_cert = true;
		if ((p = strstr(line, "fingerprint "))) {
			snprintf(d->fingerprint, sizeof d->fingerprint, "%s", p + 12);
			d->fingerprint[strcspn(d->fingerprint, "\n")] = '\0';
			break;
		}
	}
	fclose(f);
	if (!d->port) {
		fprintf(stderr, "poortd did not start; its log:\n");
		char *log = test_read_file(d->log);
		fprintf(stderr, "%s\n", log ? log : "(none)");
		free(log);
		exit(1);
	}
	snprintf(d->base, sizeof d->base, "https://127.0.0.1:%d", d->port);
}

int poortd_stop(poortd_proc *d)
{
	int st = 0;

	if (d->pid <= 0)
		return -1;
	kill(d->pid, SIGTERM);
	while (waitpid(d->pid, &st, 0) < 0 && errno == EINTR)
		;
	d->pid = 0;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static size_t on_data(char *p, size_t sz, size_t n, void *arg)
{
	resp *r = arg;
	char *b = realloc(r->body, r->len + sz * n + 1);

	if (!b)
		return 0;
	memcpy(b + r->len, p, sz * n);
	r->len += sz * n;
	b[r->len] = '\0';
	r->body = b;
	return sz * n;
}

static size_t on_header(char *p, size_t sz, size_t n, void *arg)
{
	char **h = arg;
	size_t old = *h ? strlen(*h) : 0;
	char *b = realloc(*h, old + sz * n + 1);

	if (!b)
		return 0;
	memcpy(b + old, p, sz * n);
	b[old + sz * n] = '\0';
	*h = b;
	return sz * n;
}

void client_init(client *c, const poortd_proc *d)
{
	memset(c, 0, sizeof *c);
	c->d = d;
	c->h = curl_easy_init();
	curl_easy_setopt(c->h, CURLOPT_COOKIEFILE, "");   /* cookies in memory */
	/* poortd's self-signed certificate: pin it by trusting nothing else
	 * would need the fingerprint; tests on loopback skip verification. */
	curl_easy_setopt(c->h, CURLOPT_SSL_VERIFYPEER, 0L);
	curl_easy_setopt(c->h, CURLOPT_SSL_VERIFYHOST, 0L);
	curl_easy_setopt(c->h, CURLOPT_TIMEOUT, 60L);
}

void client_free(client *c)
{
	curl_easy_cleanup(c->h);
	c->h = NULL;
}

resp client_req(client *c, const char *method, const char *path, const char *body,
                const char *ctype, const char *extra_header)
{
	resp r = { 0 };
	char url[2048], h1[128], h2[128];
	struct curl_slist *hs = NULL;

	snprintf(url, sizeof url, "%s%s", c->d->base, path);
	curl_easy_setopt(c->h, CURLOPT_URL, url);
	curl_easy_setopt(c->h, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c->h, CURLOPT_NOBODY, strcmp(method, "HEAD") == 0 ? 1L : 0L);
	if (body) {
		curl_easy_setopt(c->h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c->h, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	} else if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0) {
		curl_easy_setopt(c->h, CURLOPT_HTTPGET, 1L);
		curl_easy_setopt(c->h, CURLOPT_CUSTOMREQUEST, method);
	} else {
		/* an empty body, never curl's default of reading stdin */
		curl_easy_setopt(c->h, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(c->h, CURLOPT_POSTFIELDSIZE, 0L);
	}
	snprintf(h1, sizeof h1, "Content-Type: %s", ctype ? ctype : "application/json");
	hs = curl_slist_append(hs, h1);
	if (c->csrf[0]) {
		snprintf(h2, sizeof h2, "X-CSRF-Token: %s", c->csrf);
		hs = curl_slist_append(hs, h2);
	}
	if (extra_header)
		hs = curl_slist_append(hs, extra_header);
	curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, hs);
	curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c->h, CURLOPT_WRITEDATA, &r);
	curl_easy_setopt(c->h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c->h, CURLOPT_HEADERDATA, &r.headers);
	CURLcode rc = curl_easy_perform(c->h);
	curl_slist_free_all(hs);
	if (rc != CURLE_OK) {
		fprintf(stderr, "curl: %s %s: %s\n", method, path, curl_easy_strerror(rc));
		r.status = -1;
		return r;
	}
	curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &r.status);
	curl_easy_getinfo(c->h, CURLINFO_NUM_CONNECTS, &r.new_connections);
	char ct[128];
	if (r.body && resp_header(&r, "Content-Type", ct, sizeof ct) && strstr(ct, "application/json"))
		r.json = json_loadb(r.body, r.len, 0, NULL);
	return r;
}

void resp_free(resp *r)
{
	free(r->body);
	free(r->headers);
	json_decref(r->json);
	memset(r, 0, sizeof *r);
}

const char *resp_header(const resp *r, const char *name, char *buf, size_t len)
{
	size_t nl = strlen(name);
	const char *p = r->headers;

	while (p && *p) {
		const char *eol = strstr(p, "\r\n");
		if (!eol)
			break;
		if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			const char *v = p + nl + 1;
			while (*v == ' ')
				v++;
			size_t vl = (size_t)(eol - v);
			if (vl >= len)
				vl = len - 1;
			memcpy(buf, v, vl);
			buf[vl] = '\0';
			return buf;
		}
		p = eol + 2;
	}
	return NULL;
}

long client_login(client *c, const char *username, const char *password)
{
	json_t *b = json_pack("{s:s, s:s}", "username", username, "password", password);
	char *s = json_dumps(b, JSON_COMPACT);
	resp r;
	long st;

	c->csrf[0] = '\0';
	r = client_req(c, "POST", "/api/v1/session", s, NULL, NULL);
	st = r.status;
	if (st == 200 && r.json && json_string_value(json_object_get(r.json, "csrf")))
		snprintf(c->csrf, sizeof c->csrf, "%s", json_string_value(json_object_get(r.json, "csrf")));
	resp_free(&r);
	free(s);
	json_decref(b);
	return st;
}
