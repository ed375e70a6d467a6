/* harness.h - a real poortd on 127.0.0.1 (a free port it picks itself) and
 * a libcurl client that keeps its cookies and its TLS connection. */
#ifndef POORT_WEB_HARNESS_H
#define POORT_WEB_HARNESS_H

#include <curl/curl.h>
#include <stdbool.h>
#include <sys/types.h>
#include <jansson.h>

typedef struct poortd_proc {
	pid_t pid;
	int port, redirect_port;
	char data[512];
	char base[64];           /* "https://127.0.0.1:PORT" */
	char log[600];           /* its stderr */
	char fingerprint[100];   /* SHA-256 of the certificate, as printed */
	bool created_cert;       /* it said it made a certificate */
} poortd_proc;

/* Starts poortd on store directory data (extra args may be NULL-terminated
 * list, or NULL). Exits the test on failure. */
void poortd_start(poortd_proc *d, const char *data, const char *const *extra);
/* SIGTERM, wait; returns the exit status (0 when it stopped cleanly). */
int poortd_stop(poortd_proc *d);

typedef struct client {
	CURL *h;
	char csrf[64];
	const poortd_proc *d;
} client;

typedef struct resp {
	long status;
	char *body;
	size_t len;
	char *headers;
	long new_connections;    /* CURLINFO_NUM_CONNECTS of this request */
	json_t *json;            /* parsed body when it is JSON, else NULL */
} resp;

void client_init(client *c, const poortd_proc *d);
void client_free(client *c);
/* Sends a request; body may be NULL; ctype defaults to application/json.
 * The client's CSRF token goes along as X-CSRF-Token when it has one.
 * extra_header (may be NULL) is one more "Name: value". */
resp client_req(client *c, const char *method, const char *path, const char *body,
                const char *ctype, const char *extra_header);
void resp_free(resp *r);
/* Value of a response header (first), or NULL. Points into r->headers
 * copy in buf. */
const char *resp_header(const resp *r, const char *name, char *buf, size_t len);
/* Logs in over the API, remembering the CSRF token. Returns the status. */
long client_login(client *c, const char *username, const char *password);

#endif
