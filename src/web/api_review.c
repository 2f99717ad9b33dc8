/*
 * api_review.c: the JSON API of provider reviews and provider events: GET /api/v1/toetsingen
 * (the reviews the actor may view), GET /api/v1/toetsingen/{id} (with the criteria, the views
 * the actor may see — an unshared view the actor may not read is {"gedeeld": false,
 * "verborgen": true} without verdict — and the differences of more than one step), the
 * lifecycle (POST /toetsingen, PUT .../criteria/{criterium}/zelfverklaring, PUT
 * .../criteria/{criterium}/oordelen/{gezichtspunt}, POST .../indienen, PUT .../gesprek, POST
 * .../besluit: every change carries the review's `versie`, 409 when stale) and
 * GET/POST /api/v1/aanbiedergebeurtenissen. Rules in domain/review.c and
 * domain/provider_event.c (the same functions as the pages: no rule lives here); this file
 * maps JSON. Codes that do not parse are handed to the domain as "none", so that it refuses
 * them with the field named only after the policy allowed the actor.
 */
#include "core/common.h"
#include "core/str.h"
#include "domain/provider_event.h"
#include "domain/review.h"
#include "web/api_json.h"
#include "web/page_kit.h"
#include "web/router.h"

static const struct api_alias aliases[] = {
    {"aanbieder_id", "aanbiederId"}, {"kind", "soort"}, {"on_date", "datum"},
    {"description", "beschrijving"}, {NULL, NULL},
};
/* The domain's field names per write (err_ctx.field -> JSON attribute). */
static const struct api_alias create_aliases[] = {
    {"aanbieder_id", "aanbiederId"},
    {"kind", "soort"},
    {"framework_id", "kaderId"},
    {"owner_org_id", "eigenaarId"},
    {"period_from", "periodeVan"},
    {"period_to", "periodeTot"},
    {"laws", "wet"},
    {"contract_id", "contractId"},
    {"provider_event_id", "gebeurtenisId"},
    {NULL, NULL},
};
static const struct api_alias item_aliases[] = {
    {"reason", "redenNietVanToepassing"},
    {"self_declaration", "zelfverklaring"},
    {"verdict", "oordeel"},
    {"version", "versie"},
    {NULL, NULL},
};
static const struct api_alias view_aliases[] = {
    {"reason", "onderbouwing"},    {"verdict", "oordeel"}, {"method", "methode"},
    {"viewpoint", "gezichtspunt"}, {"version", "versie"},  {NULL, NULL},
};
static const struct api_alias submit_aliases[] = {
    {"principles", "leidendePrincipesAanvaard"},
    {"self_declaration", "zelfverklaring"},
    {"verdict", "oordeel"},
    {"version", "versie"},
    {NULL, NULL},
};
static const struct api_alias conversation_aliases[] = {
    {"conversation_on", "datum"},
    {"conversation_report", "verslag"},
    {"version", "versie"},
    {NULL, NULL},
};
static const struct api_alias decision_aliases[] = {
    {"decision", "besluit"},
    {"reason", "reden"},
    {"version", "versie"},
    {NULL, NULL},
};

static json_t *review_json(struct http_req *req, const struct review *r)
{
    return json_pack("{s:I, s:I, s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:I}", "id",
                     (json_int_t)r->id, "kaderId", (json_int_t)r->framework_id, "eigenaarId",
                     (json_int_t)r->owner_org_id, "eigenaarNaam",
                     r->owner_name ? r->owner_name : "", "aanbiederId", (json_int_t)r->aanbieder_id,
                     "aanbiederNaam", r->aanbieder_name ? r->aanbieder_name : "", "soort",
                     review_kind_code(r->kind), "status", review_status_code(r->status),
                     "periodeVan", kit_day_iso(req->arena, r->period_from), "periodeTot",
                     kit_day_iso(req->arena, r->period_to), "besluit",
                     r->decision ? json_string(review_decision_code(r->decision)) : json_null(),
                     "wet", fw_laws_code(r->laws), "gebeurtenisId",
                     r->provider_event_id ? json_integer(r->provider_event_id) : json_null(),
                     "versie", (json_int_t)r->version);
}

/* The detail of one review: what the list shows plus the lifecycle's records. */
static json_t *review_detail_json(struct http_req *req, const struct review *r)
{
    json_t *j = review_json(req, r);
    json_t *extra = json_pack(
        "{s:o, s:o, s:o, s:o, s:o, s:o}", "contractId",
        r->contract_id ? json_integer(r->contract_id) : json_null(), "leidendePrincipesAanvaardOp",
        api_str_or_null(r->principles_accepted_at), "gesprekOp",
        api_str_or_null(r->conversation_on), "gespreksverslag",
        api_str_or_null(r->conversation_report && *r->conversation_report ? r->conversation_report
                                                                          : NULL),
        "besluitReden",
        api_str_or_null(r->decision_reason && *r->decision_reason ? r->decision_reason : NULL),
        "besluitOp", api_str_or_null(r->decided_at));
    if (!j || !extra || json_object_update(j, extra) != 0) {
        json_decref(j);
        j = NULL;
    }
    json_decref(extra);
    return j;
}

/* GET /api/v1/toetsingen */
static void list(struct http_req *req)
{
    static const char *const params[] = {"aanbieder", "status", NULL};
    struct api_page p;
    struct review_filter f = {0};
    const char *status = NULL;
    if (api_query_or_reply(req, params, &p) ||
        api_query_id_or_reply(req, "aanbieder", &f.aanbieder_id) ||
        api_query_text_or_reply(req, "status", &status))
        return;
    if (status) {
        enum review_status s;
        if (review_status_parse(status, &s) != 0) {
            api_reply_invalid(req, "status",
                              _("Gebruik concept, ingediend, in_beoordeling of besloten."));
            return;
        }
        f.status = (int)s;
    }
    struct review *rows = NULL;
    int n = 0;
    int rc = review_list(req->arena, req->app->store, &req->actor, &f, &rows, &n);
    if (rc) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    json_t *items = json_array();
    int end = p.offset + p.size < n ? p.offset + p.size : n;
    for (int i = p.offset; items && i < end; i++)
        if (json_array_append_new(items, review_json(req, &rows[i])) != 0) {
            json_decref(items);
            items = NULL;
        }
    api_send_list(req, items, n, &p);
}

/* Answers the review {id} as the actor sees it (GET, and after every change). */
static void send_review(struct http_req *req, int status, int64_t id)
{
    struct review r;
    struct review_item *items = NULL;
    struct review_view *views = NULL;
    struct review_row *rows = NULL;
    int ni = 0, nv = 0, nr = 0;
    int rc = review_get(req->arena, req->app->store, &req->actor, id, &r);
    if (!rc)
        rc = review_items(req->arena, req->app->store, &req->actor, id, &items, &ni);
    if (!rc)
        rc = review_views(req->arena, req->app->store, &req->actor, id, &views, &nv);
    if (!rc)
        rc = review_triangulate(req->arena, items, ni, views, nv, &rows, &nr);
    if (rc) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    json_t *j = review_detail_json(req, &r);
    json_t *crit = json_array();
    for (int i = 0; j && crit && i < nr; i++) {
        const struct review_row *row = &rows[i];
        json_t *oordelen = json_array();
        for (int k = 0; oordelen && k < VIEWPOINT_COUNT; k++) {
            if (!row->present[k])
                continue;
            const struct review_view *v = &row->cells[k];
            json_t *o = v->hidden ? json_pack("{s:s, s:b, s:b}", "gezichtspunt",
                                              review_viewpoint_code(v->viewpoint), "gedeeld", 0,
                                              "verborgen", 1)
                                  : json_pack("{s:s, s:s, s:s, s:s, s:b, s:b}", "gezichtspunt",
                                              review_viewpoint_code(v->viewpoint), "oordeel",
                                              review_verdict_code(v->verdict), "onderbouwing",
                                              v->reason ? v->reason : "", "methode",
                                              review_method_code(v->method), "gedeeld", v->shared,
                                              "verborgen", 0);
            json_array_append_new(oordelen, o);
        }
        json_t *c = json_pack(
            "{s:I, s:s, s:s, s:s, s:b, s:s, s:o, s:o}", "criteriumId",
            (json_int_t)row->item->criterion_id, "code", row->item->code, "thema", row->item->theme,
            "tekst", row->item->text, "vanToepassing", row->item->applicable, "zelfverklaring",
            row->item->applicable ? row->item->self_declaration : row->item->not_applicable_reason,
            "oordelen", oordelen ? oordelen : json_null(), "verschilStappen",
            row->max_distance > 1 ? json_integer(row->max_distance) : json_null());
        json_array_append_new(crit, c);
    }
    if (j && crit)
        json_object_set_new(j, "criteria", crit);
    else
        json_decref(crit);
    if (status == 201)
        api_send_created(req, "/toetsingen", id, j);
    else
        api_send(req, status, j);
}

/* GET /api/v1/toetsingen/{id} */
static void get_one(struct http_req *req)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, NULL))
        return;
    send_review(req, 200, id);
}

/* ---- Lifecycle ------------------------------------------------------------------------------- */

/* The review id (param 0) and, when `crit`, the criterion id (param 1), or a 404. */
static int ids_or_reply(struct http_req *req, int64_t *id, int64_t *crit)
{
    if (http_param_id_or_404(req, 0, id) || (crit && http_param_id_or_404(req, 1, crit)) ||
        api_query_or_reply(req, NULL, NULL))
        return ERR_NOT_FOUND;
    return 0;
}

/* A domain answer: the review as it now is, or the error. A criterion that is not one of the
 * review's (the domain's "criterion_id") is a path that does not exist: 404. */
static void answer(struct http_req *req, int rc, const struct err_ctx *e,
                   const struct api_alias *al, int64_t id, int status)
{
    if (rc == ERR_INVALID && e->field && strcmp(e->field, "criterion_id") == 0)
        rc = ERR_NOT_FOUND;
    if (rc) {
        api_reply_err(req, rc, e, al);
        return;
    }
    send_review(req, status, id);
}

/* The framework a new review uses when none is named: the first active one of the actor's own
 * organisation or of its regions (as the page offers them). 0 when there is none. */
static int64_t default_framework(struct http_req *req)
{
    struct framework *fws = NULL;
    int nf = 0;
    if (framework_list(req->arena, req->app->store, &req->actor, 0, &fws, &nf) != 0)
        return 0;
    for (int i = 0; i < nf; i++) {
        bool mine = fws[i].owner_org_id == req->actor.org_id;
        for (int k = 0; k < req->actor.nregions && !mine; k++)
            mine = fws[i].owner_org_id == req->actor.region_ids[k];
        if (mine && !fws[i].archived)
            return fws[i].id;
    }
    return 0;
}

/* POST /api/v1/toetsingen: starts a review in concept for the caller's own organisation. */
static void create_review(struct http_req *req)
{
    json_t *body;
    int64_t aanbieder = 0, framework = 0, contract = 0, event = 0;
    const char *soort = NULL, *van = NULL, *tot = NULL, *wet = NULL;
    const struct api_field fields[] = {
        {"aanbiederId", API_INT, API_REQUIRED, &aanbieder, NULL, 1, INT64_MAX},
        {"soort", API_STRING, API_REQUIRED, &soort, NULL, 0, 0},
        {"kaderId", API_INT, 0, &framework, NULL, 1, INT64_MAX},
        {"periodeVan", API_STRING, API_REQUIRED, &van, NULL, 0, 0},
        {"periodeTot", API_STRING, API_REQUIRED, &tot, NULL, 0, 0},
        {"wet", API_STRING, API_REQUIRED, &wet, NULL, 0, 0},
        {"contractId", API_INT, API_NULLABLE, &contract, NULL, 1, INT64_MAX},
        {"gebeurtenisId", API_INT, API_NULLABLE, &event, NULL, 1, INT64_MAX},
    };
    /* Authorisation before validation, as the page does: may the actor start reviews? */
    struct review probe = {.owner_org_id = req->actor.org_id,
                           .owner_org_kind = req->actor.org_kind};
    struct object_ref obj;
    review_object(&probe, req->arena, &obj);
    if (api_query_or_reply(req, NULL, NULL))
        return;
    if (!policy_allows(&req->actor, ACT_CREATE, &obj)) {
        api_reply_err(req, ERR_DENIED, NULL, aliases);
        return;
    }
    if (api_body_or_reply(req, &body) ||
        api_fields_or_reply(req, body, fields, (int)ARRAY_LEN(fields)))
        return;
    struct review_input in = {.framework_id = framework ? framework : default_framework(req),
                              .owner_org_id = req->actor.org_id,
                              .aanbieder_id = aanbieder,
                              .contract_id = contract,
                              .provider_event_id = event};
    enum review_kind kind = 0;
    if (review_kind_parse(soort, &kind) == 0)
        in.kind = (int)kind; /* else 0: refused by the domain, naming soort */
    if (fw_laws_parse(wet, &in.laws) != 0)
        in.laws = 0;
    if (!kit_parse_day(van, &in.period_from)) {
        api_reply_invalid(req, "periodeVan", _("Gebruik een datum als 2026-01-01."));
        return;
    }
    if (!kit_parse_day(tot, &in.period_to)) {
        api_reply_invalid(req, "periodeTot", _("Gebruik een datum als 2026-12-31."));
        return;
    }
    struct err_ctx e = {0};
    int64_t id = 0;
    int rc = review_create(req->app->store, &req->actor, &in, &id, &e);
    if (rc) {
        api_reply_err(req, rc, &e, create_aliases);
        return;
    }
    send_review(req, 201, id);
}

/* PUT /api/v1/toetsingen/{id}/criteria/{criterium}/zelfverklaring: the aanbieder's
 * self-declaration with its own verdict (concept only). */
static void put_declaration(struct http_req *req)
{
    int64_t id, crit, version = 0;
    json_t *body;
    bool applicable = true;
    const char *reason = NULL, *decl = NULL, *verdict = NULL;
    const struct api_field fields[] = {
        {"versie", API_INT, API_REQUIRED, &version, NULL, 0, INT64_MAX},
        {"vanToepassing", API_BOOL, 0, &applicable, NULL, 0, 0},
        {"redenNietVanToepassing", API_STRING, API_NULLABLE, &reason, NULL, 0, 0},
        {"zelfverklaring", API_STRING, API_NULLABLE, &decl, NULL, 0, 0},
        {"oordeel", API_STRING, API_NULLABLE, &verdict, NULL, 0, 0},
    };
    if (ids_or_reply(req, &id, &crit) || api_body_or_reply(req, &body) ||
        api_fields_or_reply(req, body, fields, (int)ARRAY_LEN(fields)))
        return;
    enum review_verdict v = VERDICT_NONE;
    if (verdict && review_verdict_parse(verdict, &v) != 0)
        v = (enum review_verdict)5; /* not a verdict: refused by the domain, naming oordeel */
    struct err_ctx e = {0};
    int rc = review_set_item(req->app->store, &req->actor, id, version, crit, applicable, reason,
                             decl, (int)v, &e);
    answer(req, rc, &e, item_aliases, id, 200);
}

/* PUT /api/v1/toetsingen/{id}/criteria/{criterium}/oordelen/{gezichtspunt}: one
 * viewpoint's verdict. */
static void put_view(struct http_req *req)
{
    int64_t id, crit, version = 0;
    json_t *body;
    bool shared = true, has_shared = false;
    const char *verdict = NULL, *reason = NULL, *method = NULL;
    enum review_viewpoint vp = 0;
    const struct api_field fields[] = {
        {"versie", API_INT, API_REQUIRED, &version, NULL, 0, INT64_MAX},
        {"oordeel", API_STRING, API_REQUIRED, &verdict, NULL, 0, 0},
        {"onderbouwing", API_STRING, API_NULLABLE, &reason, NULL, 0, 0},
        {"methode", API_STRING, API_REQUIRED, &method, NULL, 0, 0},
        {"gedeeld", API_BOOL, 0, &shared, &has_shared, 0, 0},
    };
    if (ids_or_reply(req, &id, &crit))
        return;
    if (req->nparams < 3 || review_viewpoint_parse(req->params[2], &vp) != 0) {
        api_reply_err(req, ERR_NOT_FOUND, NULL, aliases);
        return;
    }
    if (api_body_or_reply(req, &body) ||
        api_fields_or_reply(req, body, fields, (int)ARRAY_LEN(fields)))
        return;
    enum review_verdict v = VERDICT_NONE;
    enum review_method m = 0;
    review_verdict_parse(verdict, &v); /* unknown codes stay 0: refused by the domain */
    review_method_parse(method, &m);
    struct review_view_input in = {
        .criterion_id = crit,
        .viewpoint = (unsigned)vp,
        .verdict = (int)v,
        .reason = reason,
        .method = (int)m,
        /* Unless said otherwise a view is shared, the supervisor's not (as the forms start). */
        .shared = has_shared ? shared : vp != VIEWPOINT_TOEZICHTHOUDER,
    };
    struct err_ctx e = {0};
    int rc = review_set_view(req->app->store, &req->actor, id, version, &in, &e);
    answer(req, rc, &e, view_aliases, id, 200);
}

/* POST /api/v1/toetsingen/{id}/indienen: submits; with leidendePrincipesAanvaard true the
 * acceptance of the guiding principles is recorded in the same step. */
static void submit(struct http_req *req)
{
    int64_t id, version = 0;
    json_t *body;
    bool accept = false;
    const struct api_field fields[] = {
        {"versie", API_INT, API_REQUIRED, &version, NULL, 0, INT64_MAX},
        {"leidendePrincipesAanvaard", API_BOOL, 0, &accept, NULL, 0, 0},
    };
    if (ids_or_reply(req, &id, NULL) || api_body_or_reply(req, &body) ||
        api_fields_or_reply(req, body, fields, (int)ARRAY_LEN(fields)))
        return;
    struct err_ctx e = {0};
    int rc = review_submit_accepting(req->app->store, &req->actor, id, version, accept, &e);
    answer(req, rc, &e, submit_aliases, id, 200);
}

/* PUT /api/v1/toetsingen/{id}/gesprek: the verification conversation (date and report). */
static void put_conversation(struct http_req *req)
{
    int64_t id, version = 0;
    json_t *body;
    const char *date = NULL, *report = NULL;
    const struct api_field fields[] = {
        {"versie", API_INT, API_REQUIRED, &version, NULL, 0, INT64_MAX},
        {"datum", API_STRING, API_REQUIRED, &date, NULL, 0, 0},
        {"verslag", API_STRING, API_REQUIRED, &report, NULL, 0, 0},
    };
    if (ids_or_reply(req, &id, NULL) || api_body_or_reply(req, &body) ||
        api_fields_or_reply(req, body, fields, (int)ARRAY_LEN(fields)))
        return;
    struct err_ctx e = {0};
    int rc = review_set_conversation(req->app->store, &req->actor, id, version, date, report, &e);
    answer(req, rc, &e, conversation_aliases, id, 200);
}

/* POST /api/v1/toetsingen/{id}/besluit: the decision with its reason. */
static void post_decision(struct http_req *req)
{
    int64_t id, version = 0;
    json_t *body;
    const char *decision = NULL, *reason = NULL;
    const struct api_field fields[] = {
        {"versie", API_INT, API_REQUIRED, &version, NULL, 0, INT64_MAX},
        {"besluit", API_STRING, API_REQUIRED, &decision, NULL, 0, 0},
        {"reden", API_STRING, API_NULLABLE, &reason, NULL, 0, 0},
    };
    if (ids_or_reply(req, &id, NULL) || api_body_or_reply(req, &body) ||
        api_fields_or_reply(req, body, fields, (int)ARRAY_LEN(fields)))
        return;
    enum review_decision d = DECISION_NONE;
    review_decision_parse(decision, &d); /* unknown: 0, refused by the domain naming besluit */
    struct err_ctx e = {0};
    int rc = review_decide(req->app->store, &req->actor, id, version, (int)d, reason, &e);
    answer(req, rc, &e, decision_aliases, id, 200);
}

/* ---- Provider events ------------------------------------------------------------------------- */

static json_t *event_json(struct http_req *req, const struct provider_event *ev)
{
    return json_pack(
        "{s:I, s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:b, s:o, s:I}", "id", (json_int_t)ev->id,
        "aanbiederId", (json_int_t)ev->aanbieder_id, "aanbiederNaam",
        ev->aanbieder_name ? ev->aanbieder_name : "", "vastgelegdDoorId",
        (json_int_t)ev->owner_org_id, "vastgelegdDoor", ev->owner_name ? ev->owner_name : "",
        "soort", provider_event_kind_code(ev->kind), "datum", kit_day_iso(req->arena, ev->on_date),
        "beschrijving", ev->description, "gearchiveerd", ev->archived, "toetsingId",
        ev->review_id ? json_integer(ev->review_id) : json_null(), "versie",
        (json_int_t)ev->version);
}

/* GET /api/v1/aanbiedergebeurtenissen */
static void events(struct http_req *req)
{
    static const char *const params[] = {"aanbieder", NULL};
    struct api_page p;
    int64_t aanbieder = 0;
    if (api_query_or_reply(req, params, &p) || api_query_id_or_reply(req, "aanbieder", &aanbieder))
        return;
    struct provider_event *rows = NULL;
    int n = 0;
    int rc =
        provider_event_list(req->arena, req->app->store, &req->actor, aanbieder, false, &rows, &n);
    if (rc) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    json_t *items = json_array();
    int end = p.offset + p.size < n ? p.offset + p.size : n;
    for (int i = p.offset; items && i < end; i++)
        if (json_array_append_new(items, event_json(req, &rows[i])) != 0) {
            json_decref(items);
            items = NULL;
        }
    api_send_list(req, items, n, &p);
}

/* POST /api/v1/aanbiedergebeurtenissen */
static void create_event(struct http_req *req)
{
    json_t *body;
    int64_t aanbieder = 0;
    const char *soort = NULL, *datum = NULL;
    struct provider_event_input in = {0};
    const struct api_field fields[] = {
        {"aanbiederId", API_INT, API_REQUIRED, &aanbieder, NULL, 1, INT64_MAX},
        {"soort", API_STRING, API_REQUIRED, &soort, NULL, 0, 0},
        {"datum", API_STRING, API_REQUIRED, &datum, NULL, 0, 0},
        {"beschrijving", API_STRING, API_REQUIRED, &in.description, NULL, 0, 0},
    };
    /* Authorisation before validation: may the actor record events at all? (The aanbieder
     * is checked again by the domain once it is known.) */
    struct provider_event probe = {.aanbieder_id =
                                       req->actor.org_kind == ORG_AANBIEDER ? req->actor.org_id : 0,
                                   .owner_org_id = req->actor.org_id,
                                   .owner_org_kind = req->actor.org_kind};
    struct object_ref obj;
    provider_event_object(&probe, &obj);
    if (!policy_allows(&req->actor, ACT_CREATE, &obj)) {
        api_reply_err(req, ERR_DENIED, NULL, aliases);
        return;
    }
    if (api_body_or_reply(req, &body) ||
        api_fields_or_reply(req, body, fields, (int)ARRAY_LEN(fields)))
        return;
    enum provider_event_kind kind;
    if (provider_event_kind_parse(soort, &kind) != 0) {
        api_reply_invalid(req, "soort",
                          _("Gebruik calamiteit, maatregel_toezichthouder, klacht of overig."));
        return;
    }
    if (!kit_parse_day(datum, &in.on_date)) {
        api_reply_invalid(req, "datum", _("Gebruik een datum als 2026-03-01."));
        return;
    }
    in.aanbieder_id = aanbieder;
    in.kind = (int)kind;
    struct err_ctx e = {0};
    int64_t id = 0;
    int rc = provider_event_create(req->app->store, &req->actor, &in, &id, &e);
    if (rc) {
        api_reply_err(req, rc, &e, aliases);
        return;
    }
    struct provider_event ev;
    if (provider_event_get(req->arena, req->app->store, &req->actor, id, &ev) != 0) {
        api_reply_err(req, ERR_INTERNAL, NULL, aliases);
        return;
    }
    api_send_created(req, "/aanbiedergebeurtenissen", id, event_json(req, &ev));
}

const struct route api_review_routes[] = {
    {"GET", "/api/v1/toetsingen", list, ROUTE_API, "api.review.list"},
    {"POST", "/api/v1/toetsingen", create_review, ROUTE_API, "api.review.create"},
    {"GET", "/api/v1/toetsingen/{id}", get_one, ROUTE_API, "api.review.get"},
    {"PUT", "/api/v1/toetsingen/{id}/criteria/{criterium}/zelfverklaring", put_declaration,
     ROUTE_API, "api.review.declaration"},
    {"PUT", "/api/v1/toetsingen/{id}/criteria/{criterium}/oordelen/{gezichtspunt}", put_view,
     ROUTE_API, "api.review.view"},
    {"POST", "/api/v1/toetsingen/{id}/indienen", submit, ROUTE_API, "api.review.submit"},
    {"PUT", "/api/v1/toetsingen/{id}/gesprek", put_conversation, ROUTE_API,
     "api.review.conversation"},
    {"POST", "/api/v1/toetsingen/{id}/besluit", post_decision, ROUTE_API, "api.review.decide"},
    {"GET", "/api/v1/aanbiedergebeurtenissen", events, ROUTE_API, "api.provider_event.list"},
    {"POST", "/api/v1/aanbiedergebeurtenissen", create_event, ROUTE_API,
     "api.provider_event.create"},
    ROUTES_END,
};
