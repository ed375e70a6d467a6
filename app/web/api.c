/* api.c - JSON handlers: parse, call the core as the session's account,
 * render. No rule lives here; the core answers DENIED when it must. */
#include "handlers.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

poort_id api_actor(web_req *r)
{
	return r->has_session ? r->s.account : POORT_ACTOR_ANONYMOUS;
}
#define actor api_actor

void api_reply_status(web_req *r, unsigned status, poort_err err, json_t *out)
{
	if (err) {
		json_decref(out);
		web_reply_err(r, err);
	} else {
		web_reply_json(r, status, out ? out : json_object());
	}
}

void api_reply(web_req *r, poort_err err, json_t *out)
{
	api_reply_status(r, 200, err, out);
}

static bool bad_request(web_req *r)
{
	web_reply_error(r, 400, "malformed", "The request is not valid.");
	return false;
}

bool api_query_id(web_req *r, const char *name, poort_id *out)
{
	const char *v = web_param(&r->query, name);

	*out = 0;
	if (v && !(*out = web_parse_id(v)))
		return bad_request(r);
	return true;
}

bool api_query_day(web_req *r, const char *name, poort_day *out)
{
	const char *v = web_param(&r->query, name);

	if (!v) {
		*out = poort_today(r->w->p);
		return true;
	}
	if (poort_day_parse(v, out) != POORT_OK)
		return bad_request(r);
	return true;
}

bool api_path_id(web_req *r, int i, poort_id *out)
{
	if (!(*out = web_parse_id(r->args[i]))) {
		web_reply_error(r, 404, "not_found", "That could not be found.");
		return false;
	}
	return true;
}

void api_reply_view(web_req *r, api_view_fn view)
{
	json_t *out = NULL;
	poort_id id;
	poort_err err;

	if (!api_path_id(r, 0, &id))
		return;
	err = view(r->w->p, api_actor(r), id, &out);
	api_reply(r, err, out);
}

bool api_path_day(web_req *r, int i, poort_day *out)
{
	if (poort_day_parse(r->args[i], out) != POORT_OK) {
		web_reply_error(r, 404, "not_found", "That could not be found.");
		return false;
	}
	return true;
}

json_t *api_body(web_req *r, const char *const *fields)
{
	json_error_t jerr;
	json_t *o;
	const char *k;
	json_t *v;

	if (!r->body.len || !web_utf8_ok(r->body.data, r->body.len)) {
		web_reply_error(r, 400, "malformed", "The request is not valid.");
		return NULL;
	}
	o = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &jerr);
	if (!o || !json_is_object(o)) {
		json_decref(o);
		web_reply_error(r, 400, "malformed", "The request is not valid.");
		return NULL;
	}
	json_object_foreach(o, k, v) {
		bool known = false;
		for (const char *const *f = fields; f && *f && !known; f++)
			known = strcmp(*f, k) == 0;
		if (!known) {
			json_t *e = json_pack("{s:s, s:s, s:s}", "error", "unknown_field", "message",
			                      web_t(r, "The request contains an unknown field."), "field", k);
			json_decref(o);
			web_reply_json(r, 400, e);
			return NULL;
		}
	}
	return o;
}

void api_school_get(web_req *r)
{
	json_t *out;
	poort_err err = poort_school_get(r->w->p, actor(r), &out);

	if (err)
		web_reply_err(r, err);
	else
		web_reply_json(r, 200, out);
}

void api_school_update(web_req *r)
{
	/* Which keys exist is the core's business: it refuses unknown ones. */
	json_t *changes = NULL;
	json_error_t jerr;
	poort_err err;

	if (!r->body.len || !web_utf8_ok(r->body.data, r->body.len) ||
	    !(changes = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &jerr)) ||
	    !json_is_object(changes)) {
		json_decref(changes);
		web_reply_error(r, 400, "malformed", "The request is not valid.");
		return;
	}
	err = poort_school_update(r->w->p, actor(r), changes);
	json_decref(changes);
	if (err) {
		web_reply_err(r, err);
		return;
	}
	api_school_get(r);
}

/* The administrator's health page: disk, LMDB map use, uptime, last kiosk
 * activity. poort_stats decides who may see it. */

void api_health(web_req *r)
{
	json_t *stats, *o;
	struct statvfs vfs;
	poort_err err;

	if ((err = poort_stats(r->w->p, r->s.account, &stats))) {
		web_reply_err(r, err);
		return;
	}
	o = json_pack("{s:o, s:I}", "store", stats, "uptime",
	              (json_int_t)(web_now_us() / 1000000 - r->w->started));
	if (statvfs(r->w->data_dir, &vfs) == 0)
		json_object_set_new(o, "disk", json_pack("{s:I, s:I}",
			"total", (json_int_t)((uint64_t)vfs.f_blocks * vfs.f_frsize),
			"free", (json_int_t)((uint64_t)vfs.f_bavail * vfs.f_frsize)));
	web_reply_json(r, 200, o);
}

/* poort_backup to a temporary file, then stream it: the file is unlinked
 * at once, the open descriptor keeps it alive until MHD has sent it. */
void api_backup(web_req *r)
{
	char path[4200];
	unsigned char rnd[8];
	struct stat st;
	int fd;
	poort_err err;

	if (web_random(rnd, sizeof rnd) != 0) {
		web_reply_err(r, POORT_E_NOMEM);
		return;
	}
	snprintf(path, sizeof path, "%s/backup-%02x%02x%02x%02x%02x%02x%02x%02x.mdb", r->w->data_dir,
	         rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
	if ((err = poort_backup(r->w->p, actor(r), path))) {
		web_reply_err(r, err);
		return;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	unlink(path);
	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		web_reply_err(r, POORT_E_IO);
		return;
	}
	web_reply_fd(r, "application/octet-stream", "attachment; filename=\"poort-backup.mdb\"", fd,
	             (size_t)st.st_size);
}
