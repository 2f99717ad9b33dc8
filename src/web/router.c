/*
 * router.c: linear matching over the route tables. With fewer than two hundred routes a scan
 * costs well under a microsecond, so a trie would only add code.
 */
#include "web/router.h"
#include "core/common.h"

/* Feature tables. Weak so that the program links while a feature is still being written;
 * a missing table simply contributes no routes. */
#define TABLE(name) extern const struct route name[] __attribute__((weak));
#include "web/route_tables.h"
#undef TABLE

static const struct route *const *tables(size_t *n)
{
#define TABLE(name) name,
    static const struct route *const all[] = {
#include "web/route_tables.h"
    };
#undef TABLE
    *n = ARRAY_LEN(all);
    return all;
}

/* Matches one pattern; captures {id} segments into params. */
static bool match(const char *pattern, const char *path, const char **params, int *nparams,
                  struct arena *a)
{
    int np = 0;
    const char *p = pattern, *q = path;
    while (*p && *q) {
        if (*p != '/' || *q != '/')
            return false;
        p++;
        q++;
        const char *pend = strchr(p, '/');
        const char *qend = strchr(q, '/');
        size_t plen = pend ? (size_t)(pend - p) : strlen(p);
        size_t qlen = qend ? (size_t)(qend - q) : strlen(q);
        if (plen >= 2 && p[0] == '{' && p[plen - 1] == '}') {
            if (qlen == 0 || np >= HTTP_MAX_PARAMS)
                return false;
            if (params) {
                params[np] = arena_strndup(a, q, qlen);
                if (!params[np])
                    return false;
            }
            np++;
        } else if (plen != qlen || memcmp(p, q, plen) != 0) {
            return false;
        }
        p += plen;
        q += qlen;
    }
    if (*p || *q)
        return false;
    if (nparams)
        *nparams = np;
    return true;
}

int router_match(struct http_req *req, const struct route **out)
{
    size_t nt;
    const struct route *const *all = tables(&nt);
    const char *method = strcmp(req->method, "HEAD") == 0 ? "GET" : req->method;
    bool path_known = false;
    for (size_t t = 0; t < nt; t++) {
        if (!all[t])
            continue;
        for (const struct route *r = all[t]; r->method; r++) {
            if (!match(r->pattern, req->path, NULL, NULL, NULL))
                continue;
            if (strcmp(r->method, method) != 0) {
                path_known = true;
                continue;
            }
            if (!match(r->pattern, req->path, req->params, &req->nparams, req->arena))
                return ROUTE_NONE;
            *out = r;
            return ROUTE_FOUND;
        }
    }
    return path_known ? ROUTE_BAD_METHOD : ROUTE_NONE;
}

void router_each(void (*fn)(const struct route *r, void *ctx), void *ctx)
{
    size_t nt;
    const struct route *const *all = tables(&nt);
    for (size_t t = 0; t < nt; t++)
        if (all[t])
            for (const struct route *r = all[t]; r->method; r++)
                fn(r, ctx);
}
