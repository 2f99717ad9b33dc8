/*
 * api_base.c: the API's fixed points: the OpenAPI document (ADR /core/publish-openapi: one
 * standard location, public), the current user (/ik) and the CBS municipality list.
 */
#include "core/common.h"
#include "core/resource.h"
#include "domain/cbs.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "domain/user.h"
#include "web/api_json.h"
#include "web/router.h"

/* GET /api/v1/openapi.json: the embedded data/openapi.json, as shipped with this binary. */
static void openapi(struct http_req *req)
{
    const struct resource *r = resource_find("data/openapi.json");
    if (!r) {
        http_resp_problem(req, 500, _("Interne fout"),
                          _("Het OpenAPI-document ontbreekt in deze build."), NULL);
        return;
    }
    if (api_query_or_reply(req, NULL, NULL))
        return;
    http_resp_static(req, "application/json", r->data, r->len);
}

/* GET /api/v1/ik: who the caller is, so a client can check its token or session. */
static void ik(struct http_req *req)
{
    struct user u;
    struct org o;
    int rc;

    if (api_query_or_reply(req, NULL, NULL))
        return;
    rc = user_get(req->arena, req->app->store, &req->actor, req->actor.user_id, &u);
    if (rc == 0)
        rc = org_get_internal(req->arena, req->app->store, u.org_id, &o);
    if (rc != 0) {
        api_reply_err(req, rc, NULL, NULL);
        return;
    }
    api_send(req, 200,
             json_pack("{s:I, s:s, s:s, s:{s:I, s:s, s:s}, s:o, s:s, s:b}", "id", (json_int_t)u.id,
                       "inlognaam", u.login, "naam", u.display_name, "organisatie", "id",
                       (json_int_t)o.id, "naam", o.name, "soort", api_org_kind_code(o.kind),
                       "rollen", api_roles_json(u.roles), "taal", u.lang ? u.lang : "nl",
                       "viaApiToken", req->actor.via_token));
}

/* GET /api/v1/gemeenten: the CBS list, so clients pick a gemeente by code. */
static void gemeenten(struct http_req *req)
{
    struct api_page p;
    struct object_ref all = {.kind = OBJ_ORGANISATION};
    size_t n = 0;
    const struct cbs_gemeente *g;
    json_t *items;

    if (api_query_or_reply(req, NULL, &p))
        return;
    /* Read-only reference data, but an API token still needs its read scope. */
    if (!policy_allows(&req->actor, ACT_LIST, &all)) {
        api_reply_err(req, ERR_DENIED, NULL, NULL);
        return;
    }
    g = cbs_gemeenten(&n);
    items = json_array();
    for (size_t i = (size_t)p.offset; items && g && i < n && i < (size_t)p.offset + (size_t)p.size;
         i++) {
        if (json_array_append_new(items, json_pack("{s:s, s:s, s:s}", "code", g[i].code, "naam",
                                                   g[i].name, "provincie", g[i].province)) != 0) {
            json_decref(items);
            items = NULL;
        }
    }
    api_send_list(req, items, (int)n, &p);
}

const struct route api_base_routes[] = {
    /* Static: public and identical for everyone, so no session lookup and no cookies. */
    {"GET", API_PREFIX "/openapi.json", openapi, ROUTE_API | ROUTE_PUBLIC | ROUTE_STATIC,
     "api.openapi"},
    {"GET", API_PREFIX "/ik", ik, ROUTE_API, "api.ik"},
    {"GET", API_PREFIX "/gemeenten", gemeenten, ROUTE_API, "api.gemeenten"},
    ROUTES_END,
};
