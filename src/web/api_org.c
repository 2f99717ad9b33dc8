/*
 * api_org.c: /api/v1/organisaties: list, create, read and merge-patch organisations. The
 * domain (domain/org.c) validates, checks the policy and audits; this file only translates
 * between JSON and struct org_input.
 */
#include "core/common.h"
#include "domain/org.h"
#include "web/api_json.h"
#include "web/router.h"

#define COLLECTION "/organisaties"

/* Domain field names in err_ctx -> API attribute names. */
static const struct api_alias aliases[] = {
    {"name", "naam"},        {"kind", "soort"},          {"cbs_code", "cbsCode"},
    {"agb_code", "agbCode"}, {"parents", "ouders"},      {"parent_ids", "ouders"},
    {"parent", "ouders"},    {"population", "inwoners"}, {NULL, NULL},
};

static json_t *org_json(const struct org *o)
{
    json_t *parents = json_array();
    for (int i = 0; parents && i < o->nparents; i++)
        if (json_array_append_new(parents, json_integer(o->parent_ids[i])) != 0) {
            json_decref(parents);
            parents = NULL;
        }
    return json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:o, s:o, s:b, s:s?}", "id", (json_int_t)o->id,
                     "soort", api_org_kind_code(o->kind), "naam", o->name, "cbsCode", o->cbs_code,
                     "agbCode", o->agb_code, "ouders", parents, "inwoners",
                     o->population > 0 ? json_integer(o->population) : json_null(), "gearchiveerd",
                     o->archived, "aangemaaktOp", o->created_at);
}

/* Answers the organisation `id` as the caller sees it now, with `status`. */
static void send_org(struct http_req *req, int status, int64_t id)
{
    struct org o;
    int rc = org_get(req->arena, req->app->store, &req->actor, id, &o);
    if (rc != 0) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    if (status == 201)
        api_send_created(req, COLLECTION, id, org_json(&o));
    else
        api_send(req, status, org_json(&o));
}

/* GET /api/v1/organisaties */
static void list(struct http_req *req)
{
    static const char *const params[] = {"soort", "zoek", "ouder", "inclusiefGearchiveerd", NULL};
    struct api_page p;
    struct org_filter f = {0};
    const char *kind = NULL;
    struct org *os = NULL;
    int n = 0, total = 0, rc;
    json_t *items;

    if (api_query_or_reply(req, params, &p) || api_query_text_or_reply(req, "soort", &kind) ||
        api_query_text_or_reply(req, "zoek", &f.q) ||
        api_query_id_or_reply(req, "ouder", &f.parent_id) ||
        api_query_bool_or_reply(req, "inclusiefGearchiveerd", &f.include_archived))
        return;
    if (kind) {
        enum org_kind k;
        if (api_org_kind_parse(kind, &k) != 0) {
            api_reply_invalid(req, "soort",
                              _("Kies regio, gemeente, aanbieder, toezichthouder of toegang."));
            return;
        }
        f.kind = (int)k;
    }
    f.limit = p.limit;
    f.offset = p.offset;
    rc = org_list(req->arena, req->app->store, &req->actor, &f, &os, &n, &total);
    if (rc != 0) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    items = json_array();
    for (int i = 0; items && i < n; i++)
        if (json_array_append_new(items, org_json(&os[i])) != 0) {
            json_decref(items);
            items = NULL;
        }
    api_send_list(req, items, total, &p);
}

/* Copies the parent ids of an attribute list into the domain input. */
static void set_parents(struct org_input *in, const struct api_list *l)
{
    in->nparents = l->n;
    for (int i = 0; i < l->n; i++)
        in->parent_ids[i] = l->ids[i];
}

/* POST /api/v1/organisaties */
static void create(struct http_req *req)
{
    json_t *body;
    const char *kind = NULL;
    int64_t parents[ORG_MAX_PARENTS], population = 0, id = 0;
    struct api_list plist = {.ids = parents, .max = ORG_MAX_PARENTS};
    struct org_input in = {0};
    struct err_ctx e = {0};
    const struct api_field fields[] = {
        {"soort", API_STRING, API_REQUIRED, &kind, NULL, 0, 0},
        {"naam", API_STRING, API_NULLABLE, &in.name, NULL, 0, 0},
        {"cbsCode", API_STRING, API_NULLABLE, &in.cbs_code, NULL, 0, 0},
        {"agbCode", API_STRING, API_NULLABLE, &in.agb_code, NULL, 0, 0},
        {"ouders", API_IDS, API_NULLABLE, &plist, NULL, 0, 0},
        {"inwoners", API_INT, 0, &population, NULL, 0, INT64_C(100000000)},
    };
    int rc;

    if (api_query_or_reply(req, NULL, NULL) || api_body_or_reply(req, &body) ||
        api_fields_or_reply(req, body, fields, (int)ARRAY_LEN(fields)))
        return;
    if (api_org_kind_parse(kind, &in.kind) != 0) {
        api_reply_invalid(req, "soort",
                          _("Kies regio, gemeente, aanbieder, toezichthouder of toegang."));
        return;
    }
    set_parents(&in, &plist);
    in.population = population;
    rc = org_create(req->app->store, &req->actor, &in, &id, &e);
    if (rc != 0) {
        api_reply_err(req, rc, &e, aliases);
        return;
    }
    send_org(req, 201, id);
}

/* GET /api/v1/organisaties/{id} */
static void get(struct http_req *req)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, NULL))
        return;
    send_org(req, 200, id);
}

/*
 * PATCH /api/v1/organisaties/{id}: JSON merge patch (RFC 7396). Attributes left out keep their
 * value; null clears an optional code or the parents. The kind cannot change.
 */
static void patch(struct http_req *req)
{
    int64_t id, parents[ORG_MAX_PARENTS], population = 0;
    json_t *body;
    struct org cur;
    struct org_input in = {0};
    struct api_list plist = {.ids = parents, .max = ORG_MAX_PARENTS};
    struct err_ctx e = {0};
    bool archived = false;
    bool has_name = false, has_cbs = false, has_agb = false, has_parents = false;
    bool has_pop = false, has_archived = false;
    const char *name = NULL, *cbs = NULL, *agb = NULL;
    const struct api_field fields[] = {
        {"naam", API_STRING, 0, &name, &has_name, 0, 0},
        {"cbsCode", API_STRING, API_NULLABLE, &cbs, &has_cbs, 0, 0},
        {"agbCode", API_STRING, API_NULLABLE, &agb, &has_agb, 0, 0},
        {"ouders", API_IDS, API_NULLABLE, &plist, &has_parents, 0, 0},
        {"inwoners", API_INT, 0, &population, &has_pop, 0, INT64_C(100000000)},
        {"gearchiveerd", API_BOOL, 0, &archived, &has_archived, 0, 0},
        {"id", API_READONLY, 0, NULL, NULL, 0, 0},
        {"soort", API_READONLY, 0, NULL, NULL, 0, 0},
        {"aangemaaktOp", API_READONLY, 0, NULL, NULL, 0, 0},
    };
    int rc;

    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, NULL) ||
        api_body_or_reply(req, &body) ||
        api_fields_or_reply(req, body, fields, (int)ARRAY_LEN(fields)))
        return;
    rc = org_get(req->arena, req->app->store, &req->actor, id, &cur);
    if (rc == 0 && (has_name || has_cbs || has_agb || has_parents || has_pop)) {
        /* Merge: start from what is stored, overlay what was sent. */
        in.kind = cur.kind;
        in.name = has_name ? name : cur.name;
        in.cbs_code = has_cbs ? cbs : cur.cbs_code;
        in.agb_code = has_agb ? agb : cur.agb_code;
        in.population = has_pop ? population : cur.population;
        if (has_parents) {
            set_parents(&in, &plist);
        } else {
            in.nparents = cur.nparents;
            memcpy(in.parent_ids, cur.parent_ids, sizeof in.parent_ids);
        }
        rc = org_update(req->app->store, &req->actor, id, &in, &e);
    }
    /* Archiving is a separate domain action (own policy verb and audit event). */
    if (rc == 0 && has_archived && archived != cur.archived)
        rc = org_set_archived(req->app->store, &req->actor, id, archived, &e);
    if (rc != 0) {
        api_reply_err(req, rc, &e, aliases);
        return;
    }
    send_org(req, 200, id);
}

const struct route api_org_routes[] = {
    {"GET", API_PREFIX COLLECTION, list, ROUTE_API, "api.org.list"},
    {"POST", API_PREFIX COLLECTION, create, ROUTE_API, "api.org.create"},
    {"GET", API_PREFIX COLLECTION "/{id}", get, ROUTE_API, "api.org.get"},
    {"PATCH", API_PREFIX COLLECTION "/{id}", patch, ROUTE_API, "api.org.patch"},
    ROUTES_END,
};
