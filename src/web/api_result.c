/*
 * api_result.c: /api/v1/maatschappelijke-resultaten: list, create, read and merge-patch the
 * societal results of gemeenten and regions. Edits carry the `versie` the client last saw
 * (optimistic locking): a stale version answers 409 instead of silently overwriting someone
 * else's change.
 */
#include "core/common.h"
#include "domain/result.h"
#include "web/api_json.h"
#include "web/router.h"

#define COLLECTION "/maatschappelijke-resultaten"
#define YEAR_MIN   RESULT_YEAR_MIN
#define YEAR_MAX   RESULT_YEAR_MAX

static const struct api_alias aliases[] = {
    {"owner_org_id", "eigenaarId"},
    {"owner", "eigenaarId"},
    {"theme", "thema"},
    {"title", "titel"},
    {"description", "omschrijving"},
    {"start_year", "beginjaar"},
    {"end_year", "eindjaar"},
    {"period", "eindjaar"},
    {"version", "versie"},
    {NULL, NULL},
};

static json_t *result_json(const struct result *r)
{
    return json_pack("{s:I, s:I, s:s?, s:s, s:s, s:s?, s:i, s:i, s:b, s:I, s:s?, s:s?}", "id",
                     (json_int_t)r->id, "eigenaarId", (json_int_t)r->owner_org_id, "eigenaarNaam",
                     r->owner_name, "thema", theme_code(r->theme), "titel", r->title,
                     "omschrijving", r->description && r->description[0] ? r->description : NULL,
                     "beginjaar", r->start_year, "eindjaar", r->end_year, "gearchiveerd",
                     r->archived, "versie", (json_int_t)r->version, "aangemaaktOp", r->created_at,
                     "gewijzigdOp", r->updated_at);
}

static void send_result(struct http_req *req, int status, int64_t id)
{
    struct result r;
    int rc = result_get(req->arena, req->app->store, &req->actor, id, &r);
    if (rc != 0) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    if (status == 201)
        api_send_created(req, COLLECTION, id, result_json(&r));
    else
        api_send(req, status, result_json(&r));
}

static int theme_or_reply(struct http_req *req, const char *code, int *out)
{
    enum result_theme t;
    if (theme_parse(code, &t) != 0) {
        api_reply_invalid(req, "thema",
                          _("Onbekend thema. Kies uit opgroeien, zelfredzaamheid, wonen, "
                            "mentaal, onderwijs, veiligheid, mantelzorg en werk."));
        return ERR_INVALID;
    }
    *out = (int)t;
    return 0;
}

/* GET /api/v1/maatschappelijke-resultaten */
static void list(struct http_req *req)
{
    static const char *const params[] = {"eigenaar", "thema", "zoek", "inclusiefGearchiveerd",
                                         NULL};
    struct api_page p;
    struct result_filter f = {0};
    const char *theme = NULL;
    struct result *rs = NULL;
    int n = 0, total = 0, rc;
    json_t *items;

    if (api_query_or_reply(req, params, &p) ||
        api_query_id_or_reply(req, "eigenaar", &f.owner_org_id) ||
        api_query_text_or_reply(req, "thema", &theme) ||
        api_query_text_or_reply(req, "zoek", &f.q) ||
        api_query_bool_or_reply(req, "inclusiefGearchiveerd", &f.include_archived) ||
        (theme && theme_or_reply(req, theme, &f.theme)))
        return;
    f.limit = p.limit;
    f.offset = p.offset;
    rc = result_list(req->arena, req->app->store, &req->actor, &f, &rs, &n, &total);
    if (rc != 0) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    items = json_array();
    for (int i = 0; items && i < n; i++)
        if (json_array_append_new(items, result_json(&rs[i])) != 0) {
            json_decref(items);
            items = NULL;
        }
    api_send_list(req, items, total, &p);
}

/* POST /api/v1/maatschappelijke-resultaten. Without eigenaarId the result belongs to the
 * caller's own organisation. */
static void create(struct http_req *req)
{
    json_t *body;
    const char *theme = NULL;
    int64_t owner = 0, start = 0, end = 0, id = 0;
    struct result_input in = {0};
    struct err_ctx e = {0};
    const struct api_field fields[] = {
        {"eigenaarId", API_INT, 0, &owner, NULL, 1, INT64_MAX},
        {"thema", API_STRING, API_REQUIRED, &theme, NULL, 0, 0},
        {"titel", API_STRING, API_REQUIRED, &in.title, NULL, 0, 0},
        {"omschrijving", API_STRING, API_NULLABLE, &in.description, NULL, 0, 0},
        {"beginjaar", API_INT, API_REQUIRED, &start, NULL, YEAR_MIN, YEAR_MAX},
        {"eindjaar", API_INT, API_REQUIRED, &end, NULL, YEAR_MIN, YEAR_MAX},
    };
    int rc;

    if (api_query_or_reply(req, NULL, NULL) || api_body_or_reply(req, &body) ||
        api_fields_or_reply(req, body, fields, (int)ARRAY_LEN(fields)) ||
        theme_or_reply(req, theme, &in.theme))
        return;
    in.owner_org_id = owner ? owner : req->actor.org_id;
    in.start_year = (int)start;
    in.end_year = (int)end;
    rc = result_create(req->app->store, &req->actor, &in, &id, &e);
    if (rc != 0) {
        api_reply_err(req, rc, &e, aliases);
        return;
    }
    send_result(req, 201, id);
}

/* GET /api/v1/maatschappelijke-resultaten/{id} */
static void get(struct http_req *req)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, NULL))
        return;
    send_result(req, 200, id);
}

static void reply_stale(struct http_req *req)
{
    http_resp_problem(req, 409, _("Conflict"),
                      _("Iemand anders heeft dit resultaat intussen gewijzigd. Haal de nieuwste "
                        "versie op en breng uw wijziging opnieuw aan."),
                      NULL);
}

/*
 * PATCH /api/v1/maatschappelijke-resultaten/{id}: JSON merge patch; `versie` is required.
 * A new eigenaarId moves the result; the domain then requires edit rights at both owners.
 */
static void patch(struct http_req *req)
{
    int64_t id, version = 0, start = 0, end = 0, owner = 0;
    json_t *body;
    struct result cur;
    struct result_input in = {0};
    struct err_ctx e = {0};
    bool archived = false;
    bool has_theme = false, has_title = false, has_desc = false, has_start = false;
    bool has_end = false, has_archived = false, has_owner = false, edit;
    const char *theme = NULL, *title = NULL, *desc = NULL;
    int theme_val = 0;
    const struct api_field fields[] = {
        {"versie", API_INT, API_REQUIRED, &version, NULL, 1, INT64_MAX},
        {"thema", API_STRING, 0, &theme, &has_theme, 0, 0},
        {"titel", API_STRING, 0, &title, &has_title, 0, 0},
        {"omschrijving", API_STRING, API_NULLABLE, &desc, &has_desc, 0, 0},
        {"beginjaar", API_INT, 0, &start, &has_start, YEAR_MIN, YEAR_MAX},
        {"eindjaar", API_INT, 0, &end, &has_end, YEAR_MIN, YEAR_MAX},
        {"gearchiveerd", API_BOOL, 0, &archived, &has_archived, 0, 0},
        {"eigenaarId", API_INT, 0, &owner, &has_owner, 1, INT64_MAX},
        {"id", API_READONLY, 0, NULL, NULL, 0, 0},
        {"eigenaarNaam", API_READONLY, 0, NULL, NULL, 0, 0},
        {"aangemaaktOp", API_READONLY, 0, NULL, NULL, 0, 0},
        {"gewijzigdOp", API_READONLY, 0, NULL, NULL, 0, 0},
    };
    int rc;

    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, NULL) ||
        api_body_or_reply(req, &body) ||
        api_fields_or_reply(req, body, fields, (int)ARRAY_LEN(fields)) ||
        (has_theme && theme_or_reply(req, theme, &theme_val)))
        return;
    rc = result_get(req->arena, req->app->store, &req->actor, id, &cur);
    if (rc != 0) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    edit = has_theme || has_title || has_desc || has_start || has_end || has_owner;
    /* An edit has its version compared by the domain inside the write transaction, after the
     * policy. result_set_archived() takes no version, so an archive-only patch is compared
     * here (a small window remains; docs/api.md). */
    if (!edit && version != cur.version) {
        reply_stale(req);
        return;
    }
    if (edit) {
        in.owner_org_id = has_owner ? owner : cur.owner_org_id;
        in.theme = has_theme ? theme_val : (int)cur.theme;
        in.title = has_title ? title : cur.title;
        in.description = has_desc ? desc : cur.description;
        in.start_year = has_start ? (int)start : cur.start_year;
        in.end_year = has_end ? (int)end : cur.end_year;
        in.version = version;
        rc = result_update(req->app->store, &req->actor, id, &in, &e);
    }
    if (rc == 0 && has_archived && archived != cur.archived)
        rc = result_set_archived(req->app->store, &req->actor, id, archived, &e);
    if (rc == ERR_CONFLICT && !e.msg[0]) {
        reply_stale(req);
        return;
    }
    if (rc != 0) {
        api_reply_err(req, rc, &e, aliases);
        return;
    }
    send_result(req, 200, id);
}

const struct route api_result_routes[] = {
    {"GET", API_PREFIX COLLECTION, list, ROUTE_API, "api.result.list"},
    {"POST", API_PREFIX COLLECTION, create, ROUTE_API, "api.result.create"},
    {"GET", API_PREFIX COLLECTION "/{id}", get, ROUTE_API, "api.result.get"},
    {"PATCH", API_PREFIX COLLECTION "/{id}", patch, ROUTE_API, "api.result.patch"},
    ROUTES_END,
};
