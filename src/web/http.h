/*
 * http.h: duiding's own request and response types. Everything above web/server.c sees only
 * these; <microhttpd.h> is included by server.c alone, so a library upgrade stays local.
 *
 * A handler is `void fn(struct http_req *req)`. It reads inputs with the accessors below and
 * answers with exactly one http_resp_* / http_redirect call, or defers slow work with
 * http_defer(). All memory comes from req->arena; handlers never free.
 */
#ifndef DUIDING_WEB_HTTP_H
#define DUIDING_WEB_HTTP_H

#include "core/arena.h"
#include "core/buf.h"
#include "domain/actor.h"
#include "web/app.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_MAX_PARAMS       4
#define HTTP_MAX_FIELDS       200         /* query or form fields */
#define HTTP_MAX_FIELD_LEN    (64 * 1024) /* one field value */
#define HTTP_MAX_BODY_FORM    (1024 * 1024)
#define HTTP_MAX_BODY_API     (1024 * 1024)
#define HTTP_MAX_HEADERS      100
#define HTTP_MAX_RESP_HEADERS 16

struct http_kv {
    const char *key;
    const char *value;
    size_t value_len;
};

struct http_resp {
    int status; /* 0 = not answered yet */
    const char *content_type;
    const char *body; /* arena or static memory */
    size_t body_len;
    struct http_kv headers[HTTP_MAX_RESP_HEADERS];
    int nheaders;
    bool is_static_asset; /* long cache lifetime, no per-user headers */
};

struct http_req;
typedef void (*http_handler)(struct http_req *req);
typedef void (*http_work)(struct http_req *req);

struct http_req {
    struct arena *arena;
    struct app *app;
    const char *method;      /* "GET", "POST", ... */
    const char *path;        /* as received, without query string, validated UTF-8 */
    const char *rid;         /* request id, also sent as X-Request-Id */
    const char *client_addr; /* for rate limiting only; never stored */

    struct http_kv *headers;
    int nheaders;
    struct http_kv *query;
    int nquery;
    struct http_kv *form; /* application/x-www-form-urlencoded body */
    int nform;
    const char *body; /* raw body (JSON API); NUL-terminated */
    size_t body_len;

    const char *params[HTTP_MAX_PARAMS]; /* path parameters captured by the router */
    int nparams;

    /* Filled by web/auth_mw.c before the handler runs. */
    struct actor actor;     /* user_id 0 when anonymous */
    const char *session_id; /* cookie secret of a logged-in session, or NULL */
    const char *lang;       /* "nl" or "en", chosen for this request */
    const char *csrf_token; /* token to put in forms (session or anonymous double-submit) */
    bool is_api;
    bool upload_checked; /* dispatch.c: authenticated and CSRF-checked before a streamed body */

    struct http_resp resp;

    /* Deferred work (http_defer): run on the job queue, then the connection resumes. */
    http_work deferred;
    void *server_ctx; /* server.c private */
};

/* --- Inputs (request.c). Values are arena strings, NUL-terminated, UTF-8 validated. --- */
/** First header value by case-insensitive name, or NULL. */
const char *http_header(struct http_req *req, const char *name);
/** Query parameter, or NULL. */
const char *http_query(struct http_req *req, const char *name);
/** The name of the first query parameter that occurs more than once, or NULL (a repeated
 * parameter is ambiguous: http_query() would silently take its first value). */
const char *http_query_repeated(struct http_req *req);
/** Form field (urlencoded POST body), or NULL. */
const char *http_form(struct http_req *req, const char *name);
/** All values of a repeated form field (checkboxes); *n receives the count. Arena array. */
const char **http_form_all(struct http_req *req, const char *name, int *n);
/** Cookie value from the Cookie header, or NULL. */
const char *http_cookie(struct http_req *req, const char *name);
/** Path parameter i as a positive id; answers 404 itself and returns non-zero if it is not. */
int http_param_id_or_404(struct http_req *req, int i, int64_t *out);
/** Parses an urlencoded string into fields (also used for query strings). 0 or ERR_INVALID/TOO_BIG.
 */
int http_parse_urlencoded(struct arena *a, const char *s, size_t n, struct http_kv **out,
                          int *count);

/*
 * Uploads. On ROUTE_UPLOAD routes the body is not kept in memory: a multipart/form-data file
 * part (or, for the API, the raw body) is streamed into a temp file under <data_dir>/tmp, up to
 * HTTP_MAX_UPLOAD bytes (and the upload_max_mb setting); the other multipart fields become
 * ordinary form fields (http_form). The temp file is removed when the request ends, unless taken
 * with http_upload_keep().
 *
 * The session or token and CSRF are checked when only the headers have arrived, so a form's
 * CSRF token cannot be in its multipart body: put it in the action's query string
 * (action="/path?csrf=<req->csrf_token>"). API calls use a token, or X-CSRF-Token with a
 * session, as everywhere. A urlencoded POST to an upload route is an ordinary small form.
 */
#define HTTP_MAX_UPLOAD (2ULL * 1024 * 1024 * 1024)
struct http_upload {
    const char *path;         /* temp file holding the uploaded bytes */
    const char *file_name;    /* file name as sent by the client (sanitised: no path), or "" */
    const char *content_type; /* as sent, or "" */
    uint64_t bytes;
};
/** The uploaded file of this request, or NULL when none was sent. */
const struct http_upload *http_upload(struct http_req *req);
/** Takes the temp file over (e.g. for a background job, which must unlink it when done). */
const char *http_upload_keep(struct http_req *req);
/**
 * A client's file name made safe to show and store (request.c): the part after the last '/' or
 * '\\', control characters removed, at most HTTP_UPLOAD_NAME_MAX bytes (cut on a character
 * boundary), "" for nothing usable. Invalid UTF-8 bytes are dropped. Arena string.
 */
#define HTTP_UPLOAD_NAME_MAX 200
const char *http_sanitize_file_name(struct arena *a, const char *name, size_t len);

/* --- Responses (response.c). Each sets req->resp; the server sends it. --- */
/** HTML page (text/html; charset=utf-8) with the security headers. Body copied to the arena. */
void http_resp_html(struct http_req *req, int status, const char *body, size_t len);
/** JSON (application/json) body; copied. */
void http_resp_json(struct http_req *req, int status, const char *body, size_t len);
/** Plain text; copied. */
void http_resp_text(struct http_req *req, int status, const char *text);
/** Static bytes (not copied) with a content type, cacheable. */
void http_resp_static(struct http_req *req, const char *content_type, const void *p, size_t len);
/**
 * True if p is a path on this site: starts with one '/', and has no backslash, white space or
 * control character anywhere (browsers drop tabs and newlines, so "/\t/x" would become "//x").
 */
bool http_local_path(const char *p);
/** 303 See Other to a local path; anything that is not http_local_path() goes to "/". */
void http_redirect(struct http_req *req, const char *location);
/**
 * application/problem+json (RFC 9457) for the API: {"type","title","status","detail",
 * "instance"} plus "invalidParams":[{"name","reason"}] when field is set.
 */
void http_resp_problem(struct http_req *req, int status, const char *title, const char *detail,
                       const char *field);
/** Maps an enum err to an HTTP status: the one table. */
int http_status_for_err(int err);
/** Adds a response header (name and value copied). */
void http_resp_header(struct http_req *req, const char *name, const char *value);
/** Set-Cookie with HttpOnly; SameSite=Lax; Path=/ (+ Secure per config). max_age < 0 = session
 * cookie, 0 = delete. */
void http_set_cookie(struct http_req *req, const char *name, const char *value, long max_age);

/**
 * Runs work(req) on the job queue and sends its response when it returns; the HTTP thread is
 * free meanwhile. Answers 503 itself if the queue is full. The handler must return right after.
 */
void http_defer(struct http_req *req, http_work work);

#endif
