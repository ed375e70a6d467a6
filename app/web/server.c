/* server.c - libmicrohttpd in epoll thread-pool mode, TLS, limits, the
 * security headers on every answer, one log line per request. */
#include "web.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* TLS 1.2 and 1.3 only; AEAD ciphers only; forward-secret key exchange. */
#define WEB_TLS_PRIORITIES                                                             \
	"SECURE128:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-GCM:"     \
	"+AES-256-GCM:+CHACHA20-POLY1305:-MAC-ALL:+AEAD:-KX-ALL:+ECDHE-ECDSA:"         \
	"+ECDHE-RSA:%SERVER_PRECEDENCE"

/* No inline script or style anywhere: a template that tries breaks. */
#define WEB_CSP                                                                        \
	"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " \
	"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

int64_t web_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

const char *web_header(web_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->c, MHD_HEADER_KIND, name);
}

void web_set_cookie(web_req *r, const char *fmt, ...)
{
	va_list ap;

	if (r->nset_cookie == 2)
		return;
	va_start(ap, fmt);
	vsnprintf(r->set_cookie[r->nset_cookie++], sizeof r->set_cookie[0], fmt, ap);
	va_end(ap);
}

static void add_headers(web_req *r, struct MHD_Response *resp, const char *ctype, bool cacheable)
{
	MHD_add_response_header(resp, "Content-Security-Policy", WEB_CSP);
	MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Cache-Control", cacheable ? "public, max-age=3600" : "no-store");
	if (ctype)
		MHD_add_response_header(resp, "Content-Type", ctype);
	if (r) {
		for (int i = 0; i < r->nset_cookie; i++)
			MHD_add_response_header(resp, "Set-Cookie", r->set_cookie[i]);
		if (r->location)
			MHD_add_response_header(resp, "Location", r->location);
	}
}

/* One line per request for journald: no query strings, no names, no
 * bodies - only the account id identifies anyone. */
static void log_request(web_req *r, unsigned status, size_t len)
{
	int64_t us = web_now_us() - r->start_us;
	char line[768];
	int n = snprintf(line, sizeof line, "poortd: %s %s %u %zu %lld.%03lldms account=%llu\n", r->method,
	                 r->path, status, len, (long long)(us / 1000), (long long)(us % 1000),
	                 r->has_session ? (unsigned long long)r->s.account : 0ULL);

	/* One write per line, no stdio lock: lines from the pool's threads
	 * never interleave (a pipe write this short is atomic). */
	if (n > 0)
		(void)!write(STDERR_FILENO, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

static void queue(web_req *r, unsigned status, struct MHD_Response *resp, const char *ctype,
                  size_t len, bool cacheable)
{
	if (!resp) {
		r->answered = true;
		return;
	}
	add_headers(r, resp, ctype, cacheable);
	if (MHD_queue_response(r->c, status, resp) != MHD_YES)
		fprintf(stderr, "poortd: could not queue a response for %s\n", r->path);
	MHD_destroy_response(resp);
	r->answered = true;
	log_request(r, status, len);
}

void web_reply(web_req *r, unsigned status, const char *ctype, void *buf, size_t len)
{
	queue(r, status, MHD_create_response_from_buffer(len, buf, MHD_RESPMEM_MUST_FREE), ctype,
	      len, false);
}

void web_reply_static(web_req *r, unsigned status, const char *ctype, const char *text)
{
	size_t len = strlen(text);
	queue(r, status, MHD_create_response_from_buffer(len, (void *)text, MHD_RESPMEM_PERSISTENT),
	      ctype, len, false);
}

struct MHD_Response *web_response_static(const char *ctype, const void *buf, size_t len)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, (void *)buf, MHD_RESPMEM_PERSISTENT);

	if (resp)
		add_headers(NULL, resp, ctype, true);
	return resp;
}

void web_reply_shared(web_req *r, struct MHD_Response *resp, size_t len)
{
	if (MHD_queue_response(r->c, 200, resp) != MHD_YES)
		fprintf(stderr, "poortd: could not queue a response for %s\n", r->path);
	r->answered = true;
	log_request(r, 200, len);
}

void web_reply_json(web_req *r, unsigned status, json_t *body)
{
	char *s = json_dumps(body, JSON_COMPACT);

	json_decref(body);
	if (!s) {
		web_reply_static(r, 503, "application/json", "{\"error\":\"nomem\",\"message\":\"\"}");
		return;
	}
	web_reply(r, status, "application/json; charset=utf-8", s, strlen(s));
}

const char *web_t(web_req *r, const char *msgid)
{
	return poort_gettext(r->lang, msgid);
}

void web_reply_error(web_req *r, unsigned status, const char *code, const char *msgid)
{
	json_t *o = json_pack("{s:s, s:s}", "error", code, "message", web_t(r, msgid));
	web_reply_json(r, status, o);
}

unsigned web_status_of(poort_err err)
{
	switch (err) {
	case POORT_OK: return 200;
	case POORT_E_INVALID: return 422;
	case POORT_E_NOT_FOUND: return 404;
	case POORT_E_DENIED: return 403;
	case POORT_E_AUTH: return 401;
	case POORT_E_LOCKED: return 429;
	case POORT_E_EXISTS:
	case POORT_E_CONFLICT:
	case POORT_E_TAKEN: return 409;
	case POORT_E_NOT_SCHOOL_DAY:
	case POORT_E_TOO_LATE:
	case POORT_E_NOT_OPEN:
	case POORT_E_CLOSED:
	case POORT_E_LIMIT:
	case POORT_E_OVERLAP:
	case POORT_E_FULL:
	case POORT_E_MODULE_OFF: return 422;
	case POORT_E_DISK_FULL:
	case POORT_E_BUSY:
	case POORT_E_NOMEM: return 503;
	case POORT_E_VERSION:
	case POORT_E_CORRUPT:
	case POORT_E_STORE:
	case POORT_E_IO: return 500;
	}
	return 500;
}

void web_reply_err(web_req *r, poort_err err)
{
	json_t *o = json_pack("{s:s, s:s}", "error", poort_errname(err), "message",
	                      poort_message(r->lang, err));
	const char *d = poort_error_detail();

	/* The detail is a field name or a line number, never personal data;
	 * it helps a client point at the wrong field. */
	if (d && *d && err == POORT_E_INVALID)
		json_object_set_new(o, "field", json_string(d));
	web_reply_json(r, web_status_of(err), o);
}

void web_reply_redirect(web_req *r, const char *location)
{
	r->location = location;
	web_reply_static(r, 303, "text/plain; charset=utf-8", "");
	r->location = NULL;
}

void web_reply_fd(web_req *r, const char *ctype, const char *disposition, int fd, size_t size)
{
	struct MHD_Response *resp = MHD_create_response_from_fd(size, fd);

	if (resp && disposition)
		MHD_add_response_header(resp, "Content-Disposition", disposition);
	queue(r, 200, resp, ctype, size, false);
}

/* ---- the request cycle ---- */


static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **ctx)
{
	web_req *r = *ctx;

	if (!r)
		return MHD_NO;   /* the URI callback could not allocate */
	if (!r->started) {
		const union MHD_ConnectionInfo *ci;
		const char *cl;
		web_path_args args;
		bool known;
		const web_route *rt;

		r->started = true;
		r->c = c;
		r->method = method;
		if (strlen(url) >= sizeof r->path) {
			snprintf(r->path, sizeof r->path, "(too long)");
			r->body_error = true;
		} else {
			strcpy(r->path, url);
		}
		ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if (ci && ci->client_addr) {
			const struct sockaddr *sa = ci->client_addr;
			if (sa->sa_family == AF_INET)
				inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, r->ip, sizeof r->ip);
			else if (sa->sa_family == AF_INET6)
				inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, r->ip, sizeof r->ip);
		}
		rt = web_route_find(method, r->path, args, &known);
		r->body.limit = rt && (rt->flags & ROUTE_UPLOAD) ? WEB_UPLOAD_LIMIT : WEB_BODY_LIMIT;
		cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > r->body.limit)
			r->body.too_large = true;   /* read and drop it, then 413 */
		if (cl && strtoull(cl, NULL, 10) > 4 * r->body.limit) {
			/* Too big even to drop: refuse before reading. Queuing
			 * here closes the connection (see below), as it should. */
			r->lang = web_lang_pick(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language"));
			web_reply_error(r, 413, "too_large", "The request is too large.");
			return MHD_YES;
		}
		/* Answer on the next call: with Debian 12's libmicrohttpd, a
		 * response queued in this first call forces Connection: close,
		 * and every request would pay a TLS handshake. */
		return MHD_YES;
	}
	if (r->answered) {
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size) {
		/* A chunked body gets no Content-Length: collect up to the
		 * limit, then discard (MHD cannot answer mid-upload) - but not
		 * for ever. */
		size_t n = *upload_size;
		*upload_size = 0;
		if (!r->body.too_large)
			web_body_append(&r->body, upload, n);
		else if ((r->discarded += n) > 4 * r->body.limit)
			return MHD_NO;
		return MHD_YES;
	}
	if (r->body.too_large) {
		web_reply_error(r, 413, "too_large", "The request is too large.");
		return MHD_YES;
	}
	web_dispatch(r);
	if (!r->answered)
		web_reply_error(r, 500, "internal", "Something went wrong.");
	return MHD_YES;
}

/* Called first with the raw URI: the request starts here, so the query
 * string reaches our own parser undecoded. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	web_req *r = calloc(1, sizeof *r);
	const char *q = uri ? strchr(uri, '?') : NULL;

	if (!r)
		return NULL;
	r->w = cls;
	r->start_us = web_now_us();
	r->lang = "nl";
	r->method = "?";
	if (q && strlen(q + 1) <= 4096)
		r->raw_query = strdup(q + 1);
	else if (q)
		r->body_error = true;
	return r;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **ctx,
                         enum MHD_RequestTerminationCode toe)
{
	web_req *r = *ctx;

	if (!r)
		return;
	web_params_free(&r->query);
	web_body_free(&r->body);
	free(r->raw_query);
	free(r);
	*ctx = NULL;
}

/* The plain-HTTP port only redirects to HTTPS. */
static enum MHD_Result on_redirect(void *cls, struct MHD_Connection *c, const char *url,
                                   const char *method, const char *version,
                                   const char *upload, size_t *upload_size, void **ctx)
{
	static int first;
	web *w = cls;
	const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
	char h[256], loc[1024];
	struct MHD_Response *resp;
	size_t n = 0;
	unsigned status = 301;

	if (!*ctx) {
		*ctx = &first;
		return MHD_YES;
	}
	if (*upload_size) {
		*upload_size = 0;
		return MHD_YES;
	}
	/* Host without its port, letters/digits/dots/dashes or an [IPv6] only. */
	if (host) {
		for (; host[n] && host[n] != ':' && n < sizeof h - 1; n++) {
			char ch = host[n];
			if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
			      ch == '.' || ch == '-'))
				break;
			h[n] = ch;
		}
	}
	h[n] = '\0';
	if (n == 0 || (host[n] && host[n] != ':')) {
		status = 400;
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	} else {
		if (w->https_port == 443)
			snprintf(loc, sizeof loc, "https://%s%s", h, strlen(url) < 512 && url[0] == '/' ? url : "/");
		else
			snprintf(loc, sizeof loc, "https://%s:%d%s", h, w->https_port,
			         strlen(url) < 512 && url[0] == '/' ? url : "/");
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
		if (resp)
			MHD_add_response_header(resp, "Location", loc);
	}
	if (!resp)
		return MHD_NO;
	add_headers(NULL, resp, "text/plain", false);
	MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return MHD_YES;
}

__attribute__((format(printf, 2, 0))) static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	fprintf(stderr, "poortd: microhttpd: ");
	vfprintf(stderr, fmt, ap);
}

static int parse_addr(const char *addr, int port, struct sockaddr_storage *ss, bool *v6)
{
	memset(ss, 0, sizeof *ss);
	if (inet_pton(AF_INET, addr, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
		((struct sockaddr_in *)ss)->sin_family = AF_INET;
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
		*v6 = false;
		return 0;
	}
	if (inet_pton(AF_INET6, addr, &((struct sockaddr_in6 *)ss)->sin6_addr) == 1) {
		((struct sockaddr_in6 *)ss)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
		*v6 = true;
		return 0;
	}
	return -1;
}

int web_start(web *w, const char *addr, int port, int redirect_port, const char *cert_pem,
              const char *key_pem, unsigned threads, unsigned idle_timeout, unsigned per_ip,
              struct web_daemons *out)
{
	struct sockaddr_storage ss;
	bool v6;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_TLS | MHD_USE_ERROR_LOG;
	const union MHD_DaemonInfo *di;

	memset(out, 0, sizeof *out);
	if (parse_addr(addr, port, &ss, &v6) != 0) {
		fprintf(stderr, "poortd: not an IP address: %s\n", addr);
		return -1;
	}
	if (v6)
		flags |= MHD_USE_IPv6;
	out->https = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, on_request, w,
		MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, w,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_HTTPS_MEM_CERT, cert_pem,
		MHD_OPTION_HTTPS_MEM_KEY, key_pem,
		MHD_OPTION_HTTPS_PRIORITIES, WEB_TLS_PRIORITIES,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)2000,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip,
		MHD_OPTION_CONNECTION_TIMEOUT, idle_timeout,   /* slow or silent clients are cut off */
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32 * 1024,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)512,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, w,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, w,
		MHD_OPTION_END);
	if (!out->https) {
		fprintf(stderr, "poortd: cannot listen on %s:%d: %s\n", addr, port, strerror(errno));
		return -1;
	}
	di = MHD_get_daemon_info(out->https, MHD_DAEMON_INFO_BIND_PORT);
	w->https_port = di ? di->port : port;
	if (redirect_port >= 0) {
		parse_addr(addr, redirect_port, &ss, &v6);
		out->redirect = MHD_start_daemon(
			MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0),
			(uint16_t)redirect_port, NULL, NULL, on_redirect, w,
			MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, w,
			MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
			MHD_OPTION_CONNECTION_LIMIT, (unsigned)500,
			MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)16,
			MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10,
			MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)16 * 1024,
			MHD_OPTION_END);
		if (!out->redirect) {
			fprintf(stderr, "poortd: cannot listen on %s:%d: %s\n", addr, redirect_port,
			        strerror(errno));
			web_stop(out);
			return -1;
		}
	}
	return 0;
}

int web_redirect_port(struct web_daemons *d)
{
	const union MHD_DaemonInfo *di;

	if (!d->redirect)
		return -1;
	di = MHD_get_daemon_info(d->redirect, MHD_DAEMON_INFO_BIND_PORT);
	return di ? di->port : -1;
}

void web_stop(struct web_daemons *d)
{
	if (d->https)
		MHD_stop_daemon(d->https);
	if (d->redirect)
		MHD_stop_daemon(d->redirect);
	d->https = d->redirect = NULL;
}
