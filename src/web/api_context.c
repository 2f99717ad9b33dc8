/*
 * api_context.c: /api/v1/contextgebeurtenissen: list (with the chart scope filter), create,
 * read and merge-patch context events. Edits carry `versie` (optimistic locking).
 */
#include "core/common.h"
#include "domain/context_event.h"
#include "web/api_json.h"
#include "web/router.h"

#define COLLECTION "/contextgebeurtenissen"

static const struct api_alias aliases[] = {
    {"owner_org_id", "eigenaarId"},
    {"title", "titel"},
    {"description", "beschrijving"},
    {"on_date", "datum"},
    {"until_date", "totEnMet"},
    {"gemeente", "gemeente"},
    {"aanbieder_id", "aanbiederId"},
    {"version", "versie"},
    {NULL, NULL},
};

static json_t *day_json(day_t d)
{
    char s[11];
    day_format_iso(d, s);
    return json_string(s);
}

static json_t *event_json(const struct context_event *ev)
{
    char gm[8];
    snprintf(gm, sizeof gm, "GM%s", ev->gemeente ? ev->gemeente : "");
    return json_pack("{s:I, s:I, s:s?, s:s, s:s, s:o, s:o, s:s?, s:s?, s:o, s:s?, s:b, s:I, "
                     "s:s?, s:s?}",
                     "id", (json_int_t)ev->id, "eigenaarId", (json_int_t)ev->owner_org_id,
                     "eigenaarNaam", ev->owner_name, "titel", ev->title, "beschrijving",
                     ev->description ? ev->description : "", "datum", day_json(ev->on_date),
                     "totEnMet", ev->has_until ? day_json(ev->until_date) : json_null(), "gemeente",
                     ev->gemeente ? gm : NULL, "gemeenteNaam", ev->gemeente_name, "aanbiederId",
                     ev->aanbieder_id ? json_integer((json_int_t)ev->aanbieder_id) : json_null(),
                     "aanbiederNaam", ev->aanbieder_name, "gearchiveerd", ev->archived, "versie",
                     (json_int_t)ev->version, "aangemaaktOp", ev->created_at, "gewijzigdOp",
                     ev->updated_at);
}

static void send_event(struct http_req *req, int status, int64_t id)
{
    struct context_event ev;
    int rc = context_event_get(req->arena, req->app->store, &req->actor, id, &ev);
    if (rc != 0) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    if (status == 201)
        api_send_created(req, COLLECTION, id, event_json(&ev));
    else
        api_send(req, status, event_json(&ev));
}

static int day_or_reply(struct http_req *req, const char *name, const char *s, day_t *out)
{
    if (str_parse_date_iso(str_from(s), out) != 0) {
        api_reply_invalid(req, name, _("Gebruik een datum als JJJJ-MM-DD."));
        return ERR_INVALID;
    }
    return 0;
}

/* GET /api/v1/contextgebeurtenissen?gemeente=GM0114&aanbieder=12&van=...&tot=...: with
 * gemeente or aanbieder the chart scope (region-wide events plus that gemeente's/aanbieder's). */
static void list(struct http_req *req)
{
    static const char *const params[] = {
        "gemeente", "aanbieder", "van", "tot", "zoek", "eigenaar", "inclusiefGearchiveerd", NULL};
    struct api_page p;
    struct context_event_filter f = {0};
    const char *gemeente = NULL, *from = NULL, *to = NULL;
    struct context_event *rows = NULL;
    struct err_ctx e = {0};
    int n = 0, total = 0;
    if (api_query_or_reply(req, params, &p) ||
        api_query_text_or_reply(req, "gemeente", &gemeente) ||
        api_query_id_or_reply(req, "aanbieder", &f.scope_aanbieder) ||
        api_query_text_or_reply(req, "van", &from) || api_query_text_or_reply(req, "tot", &to) ||
        api_query_text_or_reply(req, "zoek", &f.q) ||
        api_query_id_or_reply(req, "eigenaar", &f.owner_org_id) ||
        api_query_bool_or_reply(req, "inclusiefGearchiveerd", &f.include_archived))
        return;
    if (gemeente || f.scope_aanbieder) {
        f.scoped = true;
        if (gemeente) {
            f.scope_gemeenten = arena_alloc(req->arena, sizeof(const char *));
            if (!f.scope_gemeenten) {
                api_reply_err(req, ERR_NOMEM, NULL, aliases);
                return;
            }
            ((const char **)f.scope_gemeenten)[0] = gemeente;
            f.nscope_gemeenten = 1;
        }
    }
    if (from || to) {
        f.has_range = true;
        f.from = CEVENT_DAY_MIN;
        f.to = CEVENT_DAY_MAX;
        if ((from && day_or_reply(req, "van", from, &f.from)) ||
            (to && day_or_reply(req, "tot", to, &f.to)))
            return;
    }
    f.limit = p.limit;
    f.offset = p.offset;
    int rc =
        context_event_list(req->arena, req->app->store, &req->actor, &f, &rows, &n, &total, &e);
    if (rc != 0) {
        api_reply_err(req, rc, &e, aliases);
        return;
    }
    json_t *items = json_array();
    for (int i = 0; items && i < n; i++)
        if (json_array_append_new(items, event_json(&rows[i])) != 0) {
            json_decref(items);
            items = NULL;
        }
    api_send_list(req, items, total, &p);
}

/* POST /api/v1/contextgebeurtenissen */
static void create(struct http_req *req)
{
    json_t *body;
    const char *date = NULL, *until = NULL;
    int64_t owner = 0, id = 0;
    struct context_event_input in = {0};
    struct err_ctx e = {0};
    const struct api_field fields[] = {
        {"eigenaarId", API_INT, 0, &owner, NULL, 1, INT64_MAX},
        {"titel", API_STRING, API_REQUIRED, &in.title, NULL, 0, 0},
        {"beschrijving", API_STRING, API_NULLABLE, &in.description, NULL, 0, 0},
        {"datum", API_STRING, API_REQUIRED, &date, NULL, 0, 0},
        {"totEnMet", API_STRING, API_NULLABLE, &until, NULL, 0, 0},
        {"gemeente", API_STRING, API_NULLABLE, &in.gemeente, NULL, 0, 0},
        {"aanbiederId", API_INT, API_NULLABLE, &in.aanbieder_id, NULL, 1, INT64_MAX},
    };
    if (api_query_or_reply(req, NULL, NULL) || api_body_or_reply(req, &body) ||
        api_fields_or_reply(req, body, fields, (int)ARRAY_LEN(fields)) ||
        day_or_reply(req, "datum", date, &in.on_date) ||
        (until && day_or_reply(req, "totEnMet", until, &in.until_date)))
        return;
    in.has_until = until != NULL;
    in.owner_org_id = owner ? owner : req->actor.org_id;
    int rc = context_event_create(req->app->store, &req->actor, &in, &id, &e);
    if (rc != 0) {
        api_reply_err(req, rc, &e, aliases);
        return;
    }
    send_event(req, 201, id);
}

static void get(struct http_req *req)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, NULL))
        return;
    send_event(req, 200, id);
}

/* PATCH /api/v1/contextgebeurtenissen/{id}: merge patch; `versie` required. */
static void patch(struct http_req *req)
{
    int64_t id, version = 0, aanbieder = 0;
    json_t *body;
    struct context_event cur;
    struct context_event_input in = {0};
    struct err_ctx e = {0};
    const char *title = NULL, *desc = NULL, *date = NULL, *until = NULL, *gemeente = NULL;
    bool archived = false, h_title = false, h_desc = false, h_date = false, h_until = false;
    bool h_gem = false, h_aanb = false, h_arch = false;
    const struct api_field fields[] = {
        {"versie", API_INT, API_REQUIRED, &version, NULL, 1, INT64_MAX},
        {"titel", API_STRING, 0, &title, &h_title, 0, 0},
        {"beschrijving", API_STRING, API_NULLABLE, &desc, &h_desc, 0, 0},
        {"datum", API_STRING, 0, &date, &h_date, 0, 0},
        {"totEnMet", API_STRING, API_NULLABLE, &until, &h_until, 0, 0},
        {"gemeente", API_STRING, API_NULLABLE, &gemeente, &h_gem, 0, 0},
        {"aanbiederId", API_INT, API_NULLABLE, &aanbieder, &h_aanb, 1, INT64_MAX},
        {"gearchiveerd", API_BOOL, 0, &archived, &h_arch, 0, 0},
        {"id", API_READONLY, 0, NULL, NULL, 0, 0},
        {"eigenaarId", API_READONLY, 0, NULL, NULL, 0, 0},
        {"eigenaarNaam", API_READONLY, 0, NULL, NULL, 0, 0},
        {"gemeenteNaam", API_READONLY, 0, NULL, NULL, 0, 0},
        {"aanbiederNaam", API_READONLY, 0, NULL, NULL, 0, 0},
        {"aangemaaktOp", API_READONLY, 0, NULL, NULL, 0, 0},
        {"gewijzigdOp", API_READONLY, 0, NULL, NULL, 0, 0},
    };
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, NULL) ||
        api_body_or_reply(req, &body) ||
        api_fields_or_reply(req, body, fields, (int)ARRAY_LEN(fields)))
        return;
    int rc = context_event_get(req->arena, req->app->store, &req->actor, id, &cur);
    if (rc != 0) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    bool edit = h_title || h_desc || h_date || h_until || h_gem || h_aanb;
    if (!edit && version != cur.version) {
        http_resp_problem(req, 409, _("Conflict"),
                          _("Iemand anders heeft deze gebeurtenis intussen gewijzigd. Haal de "
                            "nieuwste versie op en breng uw wijziging opnieuw aan."),
                          "versie");
        return;
    }
    if (edit) {
        in.owner_org_id = cur.owner_org_id;
        in.title = h_title ? title : cur.title;
        in.description = h_desc ? desc : cur.description;
        in.on_date = cur.on_date;
        if (h_date && day_or_reply(req, "datum", date, &in.on_date))
            return;
        in.has_until = h_until ? until != NULL : cur.has_until;
        in.until_date = cur.until_date;
        if (h_until && until && day_or_reply(req, "totEnMet", until, &in.until_date))
            return;
        in.gemeente = h_gem ? gemeente : cur.gemeente;
        in.aanbieder_id = h_aanb ? aanbieder : cur.aanbieder_id;
        in.version = version;
        rc = context_event_update(req->app->store, &req->actor, id, &in, &e);
    }
    if (rc == 0 && h_arch && archived != cur.archived)
        rc = context_event_set_archived(req->app->store, &req->actor, id, archived, &e);
    if (rc != 0) {
        api_reply_err(req, rc, &e, aliases);
        return;
    }
    send_event(req, 200, id);
}

const struct route api_context_routes[] = {
    {"GET", API_PREFIX COLLECTION, list, ROUTE_API, "api.context.list"},
    {"POST", API_PREFIX COLLECTION, create, ROUTE_API, "api.context.create"},
    {"GET", API_PREFIX COLLECTION "/{id}", get, ROUTE_API, "api.context.get"},
    {"PATCH", API_PREFIX COLLECTION "/{id}", patch, ROUTE_API, "api.context.patch"},
    ROUTES_END,
};
