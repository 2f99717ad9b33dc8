/*
 * dispatch.h: what happens to every request between the server glue and a handler: routing,
 * authentication (session cookie or API token), language choice, CSRF check, login redirect.
 */
#ifndef DUIDING_WEB_DISPATCH_H
#define DUIDING_WEB_DISPATCH_H

#include "web/http.h"
#include <stdbool.h>

#define COOKIE_SESSION "duiding_sessie"
#define COOKIE_CSRF    "duiding_csrf"
#define COOKIE_LANG    "duiding_taal"
#define FORM_CSRF      "csrf"
#define API_VERSION    "0.1.0"

/** Routes and runs one request on an HTTP thread. Leaves req->resp set, or req->deferred. */
void dispatch(struct http_req *req);
/**
 * Streamed uploads (ROUTE_UPLOAD). dispatch_is_upload() says whether method and path name an
 * upload route. dispatch_upload_begin() runs when only the headers have arrived: it
 * authenticates, chooses the language and checks CSRF (pages: query parameter "csrf"; API:
 * token, or X-CSRF-Token with a session). It returns false after answering (401/403/...);
 * true lets the server accept the body, after which dispatch() runs the handler without
 * checking again.
 */
bool dispatch_is_upload(struct http_req *req);
bool dispatch_upload_begin(struct http_req *req);
/** Runs deferred work on a job thread with the request's language. */
void dispatch_run_deferred(struct http_req *req);

#endif
