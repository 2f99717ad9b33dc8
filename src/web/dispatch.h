/*
 * dispatch.h: what happens to every request between the server glue and a handler: routing,
 * authentication (session cookie or API token), language choice, CSRF check, login redirect.
 */
#ifndef DUIDING_WEB_DISPATCH_H
#define DUIDING_WEB_DISPATCH_H

#include "web/http.h"

#define COOKIE_SESSION "duiding_sessie"
#define COOKIE_CSRF    "duiding_csrf"
#define COOKIE_LANG    "duiding_taal"
#define FORM_CSRF      "csrf"
#define API_VERSION    "0.1.0"

/** Routes and runs one request on an HTTP thread. Leaves req->resp set, or req->deferred. */
void dispatch(struct http_req *req);
/** Runs deferred work on a job thread with the request's language. */
void dispatch_run_deferred(struct http_req *req);

#endif
