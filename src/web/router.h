/*
 * router.h: method + path pattern -> handler. Each feature file exports its own route table
 * (e.g. org_page_routes in page_org.c); routes.c lists the tables. Patterns are literal
 * segments and "{id}" placeholders: "/organisaties/{id}/bewerken".
 */
#ifndef DUIDING_WEB_ROUTER_H
#define DUIDING_WEB_ROUTER_H

#include "web/http.h"
#include <stdbool.h>

enum route_flag {
    ROUTE_PUBLIC = 1 << 0, /* no login needed */
    ROUTE_API = 1 << 1,    /* JSON API: problem+json errors, token auth, API-Version header */
    ROUTE_STATIC = 1 << 2, /* static asset: no session lookup */
    ROUTE_UPLOAD = 1 << 3, /* large body streamed to a temp file (http_upload); the session or
                              token and CSRF are checked before the body is accepted */
};

struct route {
    const char *method; /* "GET", "POST", "PATCH", ... */
    const char *pattern;
    http_handler fn;
    unsigned flags;
    const char *name; /* stable name for logs and the authorisation matrix test */
};

/* A table ends with an entry whose method is NULL. */
#define ROUTES_END                                                                                 \
    {                                                                                              \
        NULL, NULL, NULL, 0, NULL                                                                  \
    }

enum route_match { ROUTE_FOUND = 0, ROUTE_NONE = 1, ROUTE_BAD_METHOD = 2 };

/**
 * Finds the route for method and path, filling req->params. HEAD matches GET routes.
 * Returns ROUTE_FOUND (with *out), ROUTE_NONE, or ROUTE_BAD_METHOD when the path exists
 * with another method.
 */
int router_match(struct http_req *req, const struct route **out);

/** Calls fn for every route in every table (for `duiding routes` and the matrix test). */
void router_each(void (*fn)(const struct route *r, void *ctx), void *ctx);

#endif
