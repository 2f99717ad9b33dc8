/*
 * api_action.c: /api/v1/acties: the improvement actions the caller may view (filters as on
 * the overview page), create one in a conversation, read one with the movement of its
 * indicators and its history, and merge-patch it (fields and/or status; `versie` required).
 * Visibility and rights are the domain's (domain/action.h asks the policy).
 */
#include "core/common.h"
#include "domain/action.h"
#include "report/action_movement.h"
#include "web/api_json.h"
#include "web/figures.h"
#include "web/router.h"
#include <math.h>

#define COLLECTION "/acties"

static const struct api_alias aliases[] = {
    {"conversation_id", "gesprekId"},
    {"owner_org_id", "eigenaarId"},
    {"owner_user_id", "persoonId"},
    {"description", "beschrijving"},
    {"expected_effect", "verwachtEffect"},
    {"due_on", "einddatum"},
    {"indicator_ids", "indicatorIds"},
    {"status", "status"},
    {"reason", "reden"},
    {"version", "versie"},
    {NULL, NULL},
};

static json_t *day_json(day_t d)
{
    char s[11];
    day_format_iso(d, s);
    return json_string(s);
}

static json_t *id_or_null(int64_t id)
{
    return id > 0 ? json_integer((json_int_t)id) : json_null();
}

static json_t *num_or_null(bool has, double v)
{
    return has && isfinite(v) ? json_real(v) : json_null();
}

static json_t *action_json(const struct improvement_action *a)
{
    json_t *j = json_pack(
        "{s:I, s:o, s:s?, s:I, s:s?, s:s, s:o, s:s?, s:s, s:s, s:o, s:s, s:s, s:b, s:s?, s:I, "
        "s:s?, s:s?}",
        "id", (json_int_t)a->id, "gesprekId", id_or_null(a->conversation_id), "gesprekTitel",
        a->conversation_title, "eigenaarId", (json_int_t)a->owner_org_id, "eigenaarNaam",
        a->owner_name, "kant", conv_side_code(a->owner_side), "persoonId",
        id_or_null(a->owner_user_id), "persoonNaam", a->owner_user_name, "beschrijving",
        a->description, "verwachtEffect", a->expected_effect ? a->expected_effect : "", "einddatum",
        day_json(a->due_on), "status", action_status_code(a->status), "redenVervallen",
        a->drop_reason ? a->drop_reason : "", "teLaat", a->overdue, "gemeente", a->gemeente,
        "versie", (json_int_t)a->version, "aangemaaktOp", a->created_at, "gewijzigdOp",
        a->updated_at);
    if (!j)
        return NULL;
    json_t *inds = json_array();
    for (int i = 0; inds && i < a->nindicators; i++) {
        const struct action_indicator *ai = &a->indicators[i];
        json_array_append_new(
            inds, json_pack("{s:I, s:s, s:o, s:s?}", "id", (json_int_t)ai->indicator_id, "naam",
                            ai->name, "beginwaarde", num_or_null(ai->has_baseline, ai->baseline),
                            "beginperiode", ai->has_baseline ? ai->baseline_period : NULL));
    }
    json_object_set_new(j, "indicatoren", inds ? inds : json_array());
    return j;
}

/* The single representation: with movement and history. */
static json_t *detail_json(struct http_req *req, const struct improvement_action *a)
{
    json_t *j = action_json(a);
    if (!j)
        return NULL;
    struct action_move_row *mv = NULL;
    int n = 0;
    if (action_movements(figures_engine(req), req->app->cfg, req->app->store, req->arena,
                         &req->actor, a, &mv, &n) != 0)
        n = 0;
    json_t *moves = json_array();
    for (int i = 0; moves && i < n; i++)
        json_array_append_new(moves, json_pack("{s:I, s:o, s:s?, s:o, s:s?, s:s}", "indicatorId",
                                               (json_int_t)mv[i].indicator_id, "beginwaarde",
                                               num_or_null(mv[i].has_baseline, mv[i].baseline),
                                               "beginperiode", mv[i].baseline_period, "nu",
                                               num_or_null(mv[i].has_now, mv[i].now), "periode",
                                               mv[i].has_now ? mv[i].now_period : NULL, "beweging",
                                               action_move_code(mv[i].move)));
    json_object_set_new(j, "beweging", moves ? moves : json_array());
    json_t *hist = json_array();
    for (int i = 0; hist && i < a->nevents; i++) {
        const struct action_event *ev = &a->events[i];
        json_array_append_new(
            hist,
            json_pack("{s:s?, s:s?, s:s?, s:s, s:s}", "op", ev->at, "door", ev->user_login, "van",
                      ev->from_status ? action_status_code((enum action_status)ev->from_status)
                                      : NULL,
                      "naar", action_status_code(ev->to_status), "toelichting",
                      ev->note ? ev->note : ""));
    }
    json_object_set_new(j, "geschiedenis", hist ? hist : json_array());
    return j;
}

static void send_action(struct http_req *req, int status, int64_t id)
{
    struct improvement_action a;
    int rc = action_get(req->arena, req->app->store, &req->actor, id, &a);
    if (rc != 0) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    if (status == 201)
        api_send_created(req, COLLECTION, id, detail_json(req, &a));
    else
        api_send(req, status, detail_json(req, &a));
}

static int day_or_reply(struct http_req *req, const char *name, const char *s, day_t *out)
{
    if (!s || str_parse_date_iso(str_from(s), out) != 0) {
        api_reply_invalid(req, name, _("Gebruik een datum als JJJJ-MM-DD."));
        return ERR_INVALID;
    }
    return 0;
}

static int status_or_reply(struct http_req *req, const char *s, enum action_status *out)
{
    if (!s || action_status_parse(s, out) != 0) {
        api_reply_invalid(req, "status",
                          _("Onbekende status. Kies uit open, bezig, klaar en vervallen."));
        return ERR_INVALID;
    }
    return 0;
}

/* GET /api/v1/acties */
static void list(struct http_req *req)
{
    static const char *const params[] = {"status",  "gemeente", "aanbieder", "regio", "resultaat",
                                         "gesprek", "eigenaar", "teLaat",    NULL};
    struct api_page p;
    struct action_filter f = {0};
    const char *status = NULL;
    struct improvement_action *rows = NULL;
    int n = 0, total = 0;
    if (api_query_or_reply(req, params, &p) || api_query_text_or_reply(req, "status", &status) ||
        api_query_text_or_reply(req, "gemeente", &f.gemeente) ||
        api_query_id_or_reply(req, "aanbieder", &f.aanbieder_id) ||
        api_query_id_or_reply(req, "regio", &f.region_id) ||
        api_query_id_or_reply(req, "resultaat", &f.result_id) ||
        api_query_id_or_reply(req, "gesprek", &f.conversation_id) ||
        api_query_id_or_reply(req, "eigenaar", &f.owner_org_id) ||
        api_query_bool_or_reply(req, "teLaat", &f.overdue_only))
        return;
    if (status) {
        enum action_status s;
        if (strcmp(status, "lopend") == 0)
            f.status_mask = ACTION_STATUS_PENDING;
        else if (status_or_reply(req, status, &s))
            return;
        else
            f.status_mask = ACTION_STATUS_BIT(s);
    }
    f.limit = p.limit > ACTION_LIST_MAX ? ACTION_LIST_MAX : p.limit;
    f.offset = p.offset;
    int rc = action_list(req->arena, req->app->store, &req->actor, &f, &rows, &n, &total);
    if (rc == ERR_INVALID) {
        api_reply_invalid(req, "gemeente", _("Gebruik een CBS-code, bijvoorbeeld GM0114."));
        return;
    }
    if (rc != 0) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    json_t *items = json_array();
    for (int i = 0; items && i < n; i++)
        if (json_array_append_new(items, action_json(&rows[i])) != 0) {
            json_decref(items);
            items = NULL;
        }
    api_send_list(req, items, total, &p);
}

/* The attributes of create and patch. */
struct action_body {
    const char *due, *status, *reason;
    int64_t conversation, owner, person, version;
    int64_t indicator_ids[ACTION_MAX_INDICATORS + 1];
    struct api_list indicators;
    bool has_desc, has_effect, has_owner, has_person, has_due, has_inds, has_status;
};

static int body_or_reply(struct http_req *req, bool create, struct action_body *b,
                         struct action_input *in)
{
    json_t *body;
    unsigned req_flag = create ? API_REQUIRED : 0;
    b->indicators = (struct api_list){.ids = b->indicator_ids, .max = ACTION_MAX_INDICATORS};
    const struct api_field fields[] = {
        {"gesprekId", create ? API_INT : API_READONLY, req_flag, create ? &b->conversation : NULL,
         NULL, 1, INT64_MAX},
        {"eigenaarId", API_INT, req_flag, &b->owner, &b->has_owner, 1, INT64_MAX},
        {"persoonId", API_INT, API_NULLABLE, &b->person, &b->has_person, 1, INT64_MAX},
        {"beschrijving", API_STRING, req_flag, &in->description, &b->has_desc, 0, 0},
        {"verwachtEffect", API_STRING, API_NULLABLE, &in->expected_effect, &b->has_effect, 0, 0},
        {"einddatum", API_STRING, req_flag, &b->due, &b->has_due, 0, 0},
        {"indicatorIds", API_IDS, API_NULLABLE, &b->indicators, &b->has_inds, 0, 0},
        {"status", create ? API_READONLY : API_STRING, 0, create ? NULL : &b->status,
         &b->has_status, 0, 0},
        {"reden", create ? API_READONLY : API_STRING, API_NULLABLE, create ? NULL : &b->reason,
         NULL, 0, 0},
        {"versie", create ? API_READONLY : API_INT, create ? 0 : API_REQUIRED,
         create ? NULL : &b->version, NULL, 1, INT64_MAX},
        {"id", API_READONLY, 0, NULL, NULL, 0, 0},
        {"gesprekTitel", API_READONLY, 0, NULL, NULL, 0, 0},
        {"eigenaarNaam", API_READONLY, 0, NULL, NULL, 0, 0},
        {"kant", API_READONLY, 0, NULL, NULL, 0, 0},
        {"persoonNaam", API_READONLY, 0, NULL, NULL, 0, 0},
        {"redenVervallen", API_READONLY, 0, NULL, NULL, 0, 0},
        {"teLaat", API_READONLY, 0, NULL, NULL, 0, 0},
        {"gemeente", API_READONLY, 0, NULL, NULL, 0, 0},
        {"indicatoren", API_READONLY, 0, NULL, NULL, 0, 0},
        {"beweging", API_READONLY, 0, NULL, NULL, 0, 0},
        {"geschiedenis", API_READONLY, 0, NULL, NULL, 0, 0},
        {"aangemaaktOp", API_READONLY, 0, NULL, NULL, 0, 0},
        {"gewijzigdOp", API_READONLY, 0, NULL, NULL, 0, 0},
    };
    if (api_body_or_reply(req, &body) ||
        api_fields_or_reply(req, body, fields, (int)ARRAY_LEN(fields)))
        return ERR_INVALID;
    if (b->has_due && day_or_reply(req, "einddatum", b->due, &in->due_on))
        return ERR_INVALID;
    return 0;
}

static void add_baselines(struct http_req *req, int64_t conv_id, struct action_input *in)
{
    struct action_baseline *bl = NULL;
    if (in->nindicators > 0 && conv_id > 0 &&
        action_baselines(figures_engine(req), req->app->cfg, req->app->store, req->arena,
                         &req->actor, conv_id, in->indicator_ids, in->nindicators, &bl) == 0) {
        in->baselines = bl;
        in->nbaselines = in->nindicators;
    }
}

/* POST /api/v1/acties */
static void create(struct http_req *req)
{
    struct action_body *b = arena_calloc(req->arena, 1, sizeof *b);
    struct action_input in = {0};
    struct err_ctx e = {0};
    int64_t id = 0;
    if (!b) {
        api_reply_err(req, ERR_NOMEM, NULL, aliases);
        return;
    }
    if (api_query_or_reply(req, NULL, NULL) || body_or_reply(req, true, b, &in))
        return;
    in.conversation_id = b->conversation;
    in.owner_org_id = b->owner;
    in.owner_user_id = b->has_person ? b->person : 0;
    in.indicator_ids = b->indicator_ids;
    in.nindicators = b->indicators.n;
    add_baselines(req, in.conversation_id, &in);
    int rc = action_create(req->app->store, &req->actor, &in, &id, req->arena, &e);
    if (rc != 0) {
        api_reply_err(req, rc, &e, aliases);
        return;
    }
    send_action(req, 201, id);
}

/* GET /api/v1/acties/{id} */
static void get(struct http_req *req)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, NULL))
        return;
    send_action(req, 200, id);
}

/* PATCH /api/v1/acties/{id}: merge patch of the fields, then the status when it changes. */
static void patch(struct http_req *req)
{
    struct action_body *b = arena_calloc(req->arena, 1, sizeof *b);
    struct action_input in = {0};
    struct improvement_action cur;
    struct err_ctx e = {0};
    enum action_status to = 0;
    int64_t id;
    if (!b) {
        api_reply_err(req, ERR_NOMEM, NULL, aliases);
        return;
    }
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, NULL) ||
        body_or_reply(req, false, b, &in))
        return;
    if (b->has_status && status_or_reply(req, b->status, &to))
        return;
    int rc = action_get(req->arena, req->app->store, &req->actor, id, &cur);
    if (rc != 0) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    bool edit =
        b->has_desc || b->has_effect || b->has_owner || b->has_person || b->has_due || b->has_inds;
    int64_t version = b->version;
    if (edit) {
        in.version = version;
        in.owner_org_id = b->has_owner ? b->owner : cur.owner_org_id;
        in.owner_user_id = b->has_person ? b->person : cur.owner_user_id;
        if (!b->has_desc)
            in.description = cur.description;
        if (!b->has_effect || !in.expected_effect)
            in.expected_effect = b->has_effect ? "" : cur.expected_effect;
        if (!b->has_due)
            in.due_on = cur.due_on;
        int64_t *iids = arena_calloc(req->arena, (size_t)cur.nindicators + 1, sizeof *iids);
        if (!iids) {
            api_reply_err(req, ERR_NOMEM, NULL, aliases);
            return;
        }
        for (int k = 0; k < cur.nindicators; k++)
            iids[k] = cur.indicators[k].indicator_id;
        in.indicator_ids = b->has_inds ? b->indicator_ids : iids;
        in.nindicators = b->has_inds ? b->indicators.n : cur.nindicators;
        add_baselines(req, cur.conversation_id, &in);
        rc = action_update(req->app->store, &req->actor, id, &in, req->arena, &e);
        version++;
    }
    if (rc == 0 && b->has_status && to != cur.status)
        rc = action_set_status(req->app->store, &req->actor, id, version, to, b->reason, req->arena,
                               &e);
    else if (rc == 0 && !edit && b->version != cur.version)
        rc = err_set(&e, ERR_CONFLICT, "version", "%s",
                     _("Iemand anders heeft deze actie intussen gewijzigd. Haal de nieuwste "
                       "versie op en breng uw wijziging opnieuw aan."));
    if (rc != 0) {
        api_reply_err(req, rc, &e, aliases);
        return;
    }
    send_action(req, 200, id);
}

const struct route api_action_routes[] = {
    {"GET", API_PREFIX COLLECTION, list, ROUTE_API, "api.action.list"},
    {"POST", API_PREFIX COLLECTION, create, ROUTE_API, "api.action.create"},
    {"GET", API_PREFIX COLLECTION "/{id}", get, ROUTE_API, "api.action.get"},
    {"PATCH", API_PREFIX COLLECTION "/{id}", patch, ROUTE_API, "api.action.patch"},
    ROUTES_END,
};
