/* web.h - private to poortd: the server, requests, sessions, routes, pages.
 *
 * poortd holds no domain rules. A request is: parse (parse.c), find the
 * route (routes.c, one declarative table), find the session (session.c),
 * call the core, render JSON (api.c) or HTML (pages.c via tmpl.c), and
 * answer with the same security headers every time (server.c).
 */
#ifndef POORTD_WEB_H
#define POORTD_WEB_H

#include <poort/poort.h>
#include <microhttpd.h>
#include <pthread.h>
#include "parse.h"

/* ---- limits (hostile LAN) ---- */
#define WEB_BODY_LIMIT      (64 * 1024)        /* JSON and form bodies */
#define WEB_UPLOAD_LIMIT    (4 * 1024 * 1024)  /* CSV import */
#define WEB_SESSIONS_MAX    4096

/* ---- sessions (session.c) ----
 * In memory in poortd only: a restart logs everyone out, which is the safe
 * direction, and tokens never reach the store, its backups or sync. */
typedef struct web_session {
	char token[33];          /* 128-bit random, hex */
	char csrf[33];           /* 128-bit random, hex */
	poort_id account;
	poort_role role;
	char lang[3];
	int64_t created, last;
} web_session;

typedef struct web_sessions web_sessions;
web_sessions *sessions_new(void);
void sessions_free(web_sessions *s);
/* Fills buf with n random bytes from the CSPRNG (mbedTLS CTR-DRBG). */
int web_random(unsigned char *buf, size_t n);
/* New session for account; *out is a copy. 0 or -1 (full, RNG failure). */
int sessions_create(web_sessions *s, poort_id account, poort_role role, const char *lang,
                    int64_t now, web_session *out);
/* Looks up a token and touches it; expired sessions are removed.
 * Returns true with a copy in *out. */
bool sessions_find(web_sessions *s, const char *token, int64_t now, web_session *out);
void sessions_set_lang(web_sessions *s, const char *token, const char *lang);
void sessions_drop(web_sessions *s, const char *token);
/* Logout everywhere: every session of account. Returns how many. */
int sessions_drop_account(web_sessions *s, poort_id account);
/* Per-IP login throttle: true when ip may try another login now. */
bool throttle_allow(web_sessions *s, const char *ip, int64_t now);
void throttle_fail(web_sessions *s, const char *ip, int64_t now);

/* Idle and absolute lifetimes. */
#define WEB_STAFF_IDLE   (15 * 60)
#define WEB_PARENT_IDLE  (30 * 60)
#define WEB_ABSOLUTE     (12 * 3600)
#define WEB_IP_FAILS     20           /* failed logins per IP ... */
#define WEB_IP_WINDOW    (10 * 60)    /* ... per this many seconds */

/* ---- the server ---- */
typedef struct web {
	poort *p;
	const char *data_dir;
	const char *assets;      /* directory holding web/ templates and static/ */
	int https_port;
	int64_t started;
	web_sessions *sessions;
} web;

typedef struct web_req {
	web *w;
	struct MHD_Connection *c;
	const char *method;
	char path[512];
	char *raw_query;         /* after '?' in the raw URI, owned; NULL if none */
	bool started;
	web_params query;
	web_body body;
	size_t discarded;        /* body bytes dropped after the limit */
	web_path_args args;
	const char *lang;        /* "nl"/"en" */
	bool has_session;
	web_session s;
	char ip[64];
	int64_t start_us;
	char set_cookie[2][256]; /* pending Set-Cookie headers */
	int nset_cookie;
	const char *location;    /* for redirects */
	char loc_buf[256];
	bool answered;
	bool body_error;
} web_req;

/* ---- routes (routes.c) ---- */
typedef void (*web_handler)(web_req *r);
enum {
	ROUTE_LOGIN = 1u << 0,   /* needs a session (401 without) */
	ROUTE_PAGE  = 1u << 1,   /* HTML page: 401 becomes a redirect to /login */
	ROUTE_FORM  = 1u << 2,   /* state-changing form: CSRF field, 303 after */
	ROUTE_UPLOAD = 1u << 3,  /* large body allowed (CSV import) */
	ROUTE_BODY  = 1u << 4    /* takes a JSON body (others refuse one) */
};
/* Who the core lets through, for the authorization matrix test; the core
 * decides at run time, this only states the expectation:
 * "public", "login", "parent", "staff", "admin", and for one pupil (or her
 * group, or her guardian) "pupil-viewer", "pupil-parent", "pupil-teacher",
 * "pupil-family" (parents and her teachers), "group-teacher",
 * "guardian-viewer", "guardian-self", and more for rounds and bookings.
 * tests/web/test_authz_matrix.c says
 * which roles each class lets through. */
typedef struct web_route {
	const char *method;
	const char *pattern;
	web_handler fn;
	unsigned flags;
	const char *access;
} web_route;
const web_route *web_routes(size_t *n);
/* Finds the route; *allowed is false when the path matches another method. */
const web_route *web_route_find(const char *method, const char *path, web_path_args args,
                                bool *path_known);

/* ---- answering (server.c) ---- */
int64_t web_now_us(void);
void web_reply(web_req *r, unsigned status, const char *ctype, void *buf, size_t len);  /* takes buf */
void web_reply_static(web_req *r, unsigned status, const char *ctype, const char *text);
void web_reply_json(web_req *r, unsigned status, json_t *body);            /* steals body */
void web_reply_error(web_req *r, unsigned status, const char *code, const char *msgid);
void web_reply_err(web_req *r, poort_err err);   /* the core's error, mapped */
void web_reply_redirect(web_req *r, const char *location);  /* 303 See Other */
/* A static file's response built once, with every header, and queued for
 * any number of requests (MHD counts its references). */
struct MHD_Response *web_response_static(const char *ctype, const void *buf, size_t len);
void web_reply_shared(web_req *r, struct MHD_Response *resp, size_t len);
void web_reply_fd(web_req *r, const char *ctype, const char *disposition, int fd, size_t size);
unsigned web_status_of(poort_err err);
const char *web_header(web_req *r, const char *name);
void web_set_cookie(web_req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Starts the HTTPS daemon and the optional redirect daemon. */
struct web_daemons { struct MHD_Daemon *https, *redirect; };
int web_start(web *w, const char *addr, int port, int redirect_port, const char *cert_pem,
              const char *key_pem, unsigned threads, unsigned idle_timeout, unsigned per_ip,
              struct web_daemons *out);
void web_stop(struct web_daemons *d);
int web_redirect_port(struct web_daemons *d);   /* bound port, -1 if none */
void web_dispatch(web_req *r);   /* routes.c: find route, session, call handler */

/* ---- TLS certificate (cert.c) ---- */
/* Loads cert/key PEM files, or when both are NULL uses DIR/tls/poortd.{crt,key},
 * generating a self-signed EC certificate (mode 0600) on first start.
 * *cert and *key are malloc'd PEM strings; fpr gets the SHA-256 fingerprint
 * "AB:CD:..." (96 bytes). *created says whether one was generated. */
int web_cert_load(const char *data_dir, const char *cert_file, const char *key_file,
                  char **cert, char **key, char fpr[97], bool *created);

/* ---- JSON handlers (api.c) and pages (pages.c) ---- */
/* Parses the JSON body strictly: an object, no duplicate keys, only the
 * given fields (NULL-terminated). Replies 400 and returns NULL otherwise. */
json_t *api_body(web_req *r, const char *const *fields);
const char *web_t(web_req *r, const char *msgid);   /* poort_gettext in r's language */

#endif
