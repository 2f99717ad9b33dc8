/*
 * api_survey.c: /api/v1/vragenlijsten (questionnaires: list, create from a template or a
 * document, read, replace with optimistic locking through If-Match, archive) and
 * /api/v1/uitvragen (rounds: list with response rates, create, read, status, making codes,
 * reading codes). Everything goes through domain/survey.h and domain/survey_round.h, so the
 * policy and validation are those of the pages: the codes are ACT_EDIT on the round, the
 * round's aanbieder sees counts only.
 */
#include "core/common.h"
#include "core/str.h"
#include "domain/policy.h"
#include "domain/survey.h"
#include "domain/survey_round.h"
#include "web/api_json.h"
#include "web/router.h"

#define SURVEYS "/vragenlijsten"
#define ROUNDS  "/uitvragen"

static const struct api_alias survey_aliases[] = {
    {"owner_org_id", "eigenaar"}, {"template", "sjabloon"}, {"version", "If-Match"}, {NULL, NULL}};
static const struct api_alias round_aliases[] = {{"survey_id", "vragenlijst"},
                                                 {"name", "naam"},
                                                 {"gemeente", "gemeente"},
                                                 {"aanbieder_id", "aanbieder"},
                                                 {"law", "wet"},
                                                 {"category", "categorie"},
                                                 {"opens_on", "opentOp"},
                                                 {"closes_on", "sluitOp"},
                                                 {"status", "status"},
                                                 {"count", "aantal"},
                                                 {NULL, NULL}};

static void set_etag(struct http_req *req, int64_t version)
{
    char tag[32];
    snprintf(tag, sizeof tag, "\"%" PRId64 "\"", version);
    http_resp_header(req, "ETag", tag);
}

static const char *iso_day(struct http_req *req, int32_t d)
{
    char *s = arena_alloc(req->arena, 11);
    if (s)
        day_format_iso(d, s);
    return s;
}

/* ---- Questionnaires. ----------------------------------------------------------------------- */

static json_t *survey_json(const struct survey *sv, bool with_document)
{
    json_t *doc = NULL;
    if (with_document) {
        doc = json_loads(sv->document, JSON_REJECT_DUPLICATES, NULL);
        if (!doc)
            return NULL;
    }
    json_t *j =
        json_pack("{s:I, s:s, s:s, s:I, s:s, s:o, s:I, s:b, s:I, s:s}", "id", (json_int_t)sv->id,
                  "code", sv->code, "titel", sv->title, "eigenaarId", (json_int_t)sv->owner_org_id,
                  "eigenaarNaam", sv->owner_name, "sjabloon", api_str_or_null(sv->template),
                  "versie", (json_int_t)sv->version, "gearchiveerd", sv->archived,
                  "aantalUitvragen", (json_int_t)sv->nrounds, "gewijzigdOp", sv->updated_at);
    if (j && doc && json_object_set_new(j, "document", doc) != 0) {
        json_decref(j);
        return NULL;
    }
    if (!j)
        json_decref(doc);
    return j;
}

static void send_survey(struct http_req *req, int status, int64_t id)
{
    struct survey sv;
    int rc = survey_get(req->arena, req->app->store, &req->actor, id, &sv);
    if (rc) {
        api_reply_err(req, rc, NULL, NULL);
        return;
    }
    set_etag(req, sv.version);
    if (status == 201)
        api_send_created(req, SURVEYS, id, survey_json(&sv, true));
    else
        api_send(req, status, survey_json(&sv, true));
}

/* A validation error of the document: 400 naming "document" with the Dutch reason. */
static void reply_document(struct http_req *req, int rc, struct err_ctx *e)
{
    if (rc == ERR_INVALID || rc == ERR_TOO_BIG) {
        if (!e->field || strcmp(e->field, "document") == 0)
            e->field = "document";
        api_reply_err(req, ERR_INVALID, e, survey_aliases);
        return;
    }
    if (rc == ERR_CONFLICT && e->field && strcmp(e->field, "version") == 0) {
        http_resp_problem(req, 412, _("Verouderde versie"), e->msg, NULL);
        return;
    }
    api_reply_err(req, rc, e, survey_aliases);
}

/* GET /api/v1/vragenlijsten */
static void survey_list_api(struct http_req *req)
{
    static const char *const params[] = {"eigenaar", "inclusiefGearchiveerd", NULL};
    struct api_page p;
    struct survey_filter f = {0};
    if (api_query_or_reply(req, params, &p) ||
        api_query_id_or_reply(req, "eigenaar", &f.owner_org_id) ||
        api_query_bool_or_reply(req, "inclusiefGearchiveerd", &f.include_archived))
        return;
    f.limit = p.limit;
    f.offset = p.offset;
    struct survey *list = NULL;
    int n = 0, total = 0;
    int rc = survey_list(req->arena, req->app->store, &req->actor, &f, &list, &n, &total);
    if (rc) {
        api_reply_err(req, rc, NULL, NULL);
        return;
    }
    json_t *items = json_array();
    for (int i = 0; items && i < n; i++)
        if (json_array_append_new(items, survey_json(&list[i], false)) != 0) {
            json_decref(items);
            items = NULL;
        }
    api_send_list(req, items, total, &p);
}

/* POST /api/v1/vragenlijsten: {"eigenaar": id, "sjabloon": "wmo-cevo"} or
 * {"eigenaar": id, "document": {...}}; the owner defaults to the caller's organisation. */
static void survey_create_api(struct http_req *req)
{
    json_t *body;
    int64_t owner = 0;
    const char *tmpl = NULL;
    bool has_doc = false;
    if (api_body_or_reply(req, &body))
        return;
    json_t *doc = json_object_get(body, "document");
    if (doc)
        json_incref(doc);
    json_object_del(body, "document");
    has_doc = doc != NULL;
    const struct api_field fields[] = {
        {"eigenaar", API_INT, 0, &owner, NULL, 1, INT64_MAX},
        {"sjabloon", API_STRING, 0, &tmpl, NULL, 0, 0},
    };
    if (api_fields_or_reply(req, body, fields, (int)ARRAY_LEN(fields))) {
        json_decref(doc);
        return;
    }
    if (!owner)
        owner = req->actor.org_id;
    /* The policy first: a caller without rights hears 403 whatever the body says. */
    if (!survey_may_create(req->arena, req->app->store, &req->actor, owner)) {
        json_decref(doc);
        api_reply_err(req, ERR_DENIED, NULL, NULL);
        return;
    }
    if (has_doc == (tmpl != NULL)) {
        json_decref(doc);
        api_reply_invalid(req, has_doc ? "sjabloon" : "document",
                          _("Geef een sjabloon of een document, niet allebei en niet geen van "
                            "beide."));
        return;
    }
    char *json = NULL;
    if (has_doc) {
        char *text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json = text ? arena_strdup(req->arena, text) : NULL;
        free(text);
        json_decref(doc);
        if (!json) {
            api_reply_err(req, ERR_NOMEM, NULL, NULL);
            return;
        }
    }
    struct err_ctx e = {0};
    int64_t id = 0;
    int rc = survey_create(req->app->store, &req->actor, owner, tmpl, json, json ? strlen(json) : 0,
                           &id, &e);
    if (rc == ERR_NOT_FOUND) { /* an unknown template */
        e.field = "sjabloon";
        rc = ERR_INVALID;
    }
    if (rc) {
        reply_document(req, rc, &e);
        return;
    }
    send_survey(req, 201, id);
}

/* GET /api/v1/vragenlijsten/{id} */
static void survey_get_api(struct http_req *req)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, NULL))
        return;
    send_survey(req, 200, id);
}

static int if_match_version(const char *h, int64_t *out)
{
    struct str s = str_trim(str_from(h));
    if (s.len >= 2 && s.p[0] == 'W' && s.p[1] == '/') {
        s.p += 2;
        s.len -= 2;
    }
    if (s.len >= 2 && s.p[0] == '"' && s.p[s.len - 1] == '"') {
        s.p++;
        s.len -= 2;
    }
    return str_parse_i64(s, 1, INT64_MAX, out);
}

/* PUT /api/v1/vragenlijsten/{id}: the body is the new document; If-Match the version read. */
static void survey_put_api(struct http_req *req)
{
    int64_t id, version;
    json_t *body;
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, NULL))
        return;
    struct survey cur;
    int rc = survey_get(req->arena, req->app->store, &req->actor, id, &cur);
    if (rc == 0 && !survey_may(req->arena, req->app->store, &req->actor, ACT_EDIT, &cur))
        rc = ERR_DENIED;
    if (rc) {
        api_reply_err(req, rc, NULL, NULL);
        return;
    }
    if (api_body_or_reply(req, &body))
        return;
    const char *im = http_header(req, "If-Match");
    if (!im) {
        http_resp_problem(req, 428, _("Versie ontbreekt"),
                          _("Stuur de header If-Match mee met de ETag (versie) die u het laatst "
                            "ophaalde."),
                          NULL);
        return;
    }
    if (if_match_version(im, &version) != 0) {
        api_reply_invalid(req, "If-Match", _("If-Match moet een versie zijn, zoals \"3\"."));
        return;
    }
    if (cur.archived) {
        http_resp_problem(req, 409, _("Conflict"),
                          _("Deze vragenlijst is gearchiveerd en wordt niet meer gewijzigd."),
                          NULL);
        return;
    }
    struct err_ctx e = {0};
    rc = survey_update(req->app->store, &req->actor, id, version, req->body, req->body_len, &e);
    if (rc) {
        reply_document(req, rc, &e);
        return;
    }
    send_survey(req, 200, id);
}

static void survey_archive_api(struct http_req *req, bool archived)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, NULL))
        return;
    struct err_ctx e = {0};
    int rc = survey_set_archived(req->app->store, &req->actor, id, archived, &e);
    if (rc) {
        api_reply_err(req, rc, &e, survey_aliases);
        return;
    }
    send_survey(req, 200, id);
}

static void survey_archive(struct http_req *req)
{
    survey_archive_api(req, true);
}

static void survey_restore(struct http_req *req)
{
    survey_archive_api(req, false);
}

/* ---- Rounds. ------------------------------------------------------------------------------- */

static json_t *round_json(struct http_req *req, const struct survey_round *r)
{
    bool edit = round_may_edit(req->arena, req->app->store, &req->actor, r);
    int pm = round_response_permille(r);
    json_t *j = json_pack(
        "{s:I, s:I, s:I, s:s, s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:s, s:s, s:I, s:I, s:I, "
        "s:o}",
        "id", (json_int_t)r->id, "vragenlijstId", (json_int_t)r->survey_id, "vragenlijstVersie",
        (json_int_t)r->survey_version, "vragenlijstCode", r->survey_code, "eigenaarId",
        (json_int_t)r->owner_org_id, "eigenaarNaam", r->owner_name, "naam", r->name, "gemeente",
        json_string(r->gemeente), "aanbiederId",
        r->aanbieder_id ? json_integer(r->aanbieder_id) : json_null(), "wet",
        r->law == 1   ? json_string("jeugdwet")
        : r->law == 2 ? json_string("wmo")
                      : json_null(),
        "categorie", api_str_or_null(r->category), "opentOp", iso_day(req, r->opens_on), "sluitOp",
        iso_day(req, r->closes_on), "status", round_status_code(r->status), "uitnodigingen",
        (json_int_t)r->n_invitations, "gebruikt", (json_int_t)r->n_used, "reacties",
        (json_int_t)r->n_responses, "responsPercentage",
        pm < 0 ? json_null() : json_real((double)pm / 10.0));
    /* The open link gives access like a code does: only for those who may print codes. */
    if (j && r->public_slug && edit)
        json_object_set_new(j, "openLink",
                            json_string(arena_printf(req->arena, "%s/enquete/open/%s",
                                                     req->app->cfg->public_url, r->public_slug)));
    return j;
}

static void send_round(struct http_req *req, int status, int64_t id)
{
    struct survey_round r;
    int rc = round_get(req->arena, req->app->store, &req->actor, id, &r);
    if (rc) {
        api_reply_err(req, rc, NULL, NULL);
        return;
    }
    if (status == 201)
        api_send_created(req, ROUNDS, id, round_json(req, &r));
    else
        api_send(req, status, round_json(req, &r));
}

/* GET /api/v1/uitvragen: the rounds the caller may view, newest first. */
static void round_list_api(struct http_req *req)
{
    static const char *const params[] = {"vragenlijst", NULL};
    struct api_page p;
    int64_t survey_id = 0;
    if (api_query_or_reply(req, params, &p) ||
        api_query_id_or_reply(req, "vragenlijst", &survey_id))
        return;
    struct survey_round *list = NULL;
    int n = 0;
    int rc = round_list(req->arena, req->app->store, &req->actor, survey_id, &list, &n);
    if (rc) {
        api_reply_err(req, rc, NULL, NULL);
        return;
    }
    json_t *items = json_array();
    for (int i = p.offset; items && i < n && i < p.offset + p.limit; i++)
        if (json_array_append_new(items, round_json(req, &list[i])) != 0) {
            json_decref(items);
            items = NULL;
        }
    api_send_list(req, items, n, &p);
}

static int parse_day_or_reply(struct http_req *req, const char *name, const char *s, int32_t *out)
{
    day_t d;
    if (!s || str_parse_date_iso(str_from(s), &d) != 0) {
        api_reply_invalid(req, name, _("Een datum als 2026-03-01."));
        return ERR_INVALID;
    }
    *out = d;
    return 0;
}

/* POST /api/v1/uitvragen */
static void round_create_api(struct http_req *req)
{
    json_t *body;
    int64_t survey_id = 0, aanbieder = 0;
    const char *name = NULL, *gemeente = NULL, *law = NULL, *category = NULL, *from = NULL,
               *to = NULL;
    bool open_link = false;
    if (api_body_or_reply(req, &body))
        return;
    const struct api_field fields[] = {
        {"vragenlijst", API_INT, API_REQUIRED, &survey_id, NULL, 1, INT64_MAX},
        {"naam", API_STRING, API_REQUIRED, &name, NULL, 0, 0},
        {"gemeente", API_STRING, API_REQUIRED, &gemeente, NULL, 0, 0},
        {"aanbieder", API_INT, API_NULLABLE, &aanbieder, NULL, 1, INT64_MAX},
        {"wet", API_STRING, API_NULLABLE, &law, NULL, 0, 0},
        {"categorie", API_STRING, API_NULLABLE, &category, NULL, 0, 0},
        {"opentOp", API_STRING, API_REQUIRED, &from, NULL, 0, 0},
        {"sluitOp", API_STRING, API_REQUIRED, &to, NULL, 0, 0},
        {"openLink", API_BOOL, 0, &open_link, NULL, 0, 0},
    };
    if (api_fields_or_reply(req, body, fields, (int)ARRAY_LEN(fields)))
        return;
    struct round_input in = {.survey_id = survey_id,
                             .name = name,
                             .gemeente = gemeente,
                             .aanbieder_id = aanbieder,
                             .category = category,
                             .public_link = open_link};
    if (law && strcmp(law, "jeugdwet") == 0)
        in.law = 1;
    else if (law && strcmp(law, "wmo") == 0)
        in.law = 2;
    else if (law) {
        api_reply_invalid(req, "wet", _("jeugdwet, wmo of null."));
        return;
    }
    if (parse_day_or_reply(req, "opentOp", from, &in.opens_on) ||
        parse_day_or_reply(req, "sluitOp", to, &in.closes_on))
        return;
    struct err_ctx e = {0};
    int64_t id = 0;
    int rc = round_create(req->app->store, &req->actor, &in, &id, &e);
    if (rc) {
        api_reply_err(req, rc, &e, round_aliases);
        return;
    }
    send_round(req, 201, id);
}

static void round_get_api(struct http_req *req)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, NULL))
        return;
    send_round(req, 200, id);
}

/* POST /api/v1/uitvragen/{id}/status {"status": "open" | "gesloten"} */
static void round_status_api(struct http_req *req)
{
    int64_t id;
    json_t *body;
    const char *status = NULL;
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, NULL) ||
        api_body_or_reply(req, &body))
        return;
    const struct api_field fields[] = {{"status", API_STRING, API_REQUIRED, &status, NULL, 0, 0}};
    if (api_fields_or_reply(req, body, fields, 1))
        return;
    enum round_status to;
    if (round_status_parse(status, &to) != 0 || to == ROUND_CONCEPT) {
        /* Authorisation still comes first: a refused caller learns nothing from the body. */
        struct survey_round r;
        int rc = round_get(req->arena, req->app->store, &req->actor, id, &r);
        if (rc == 0 && !round_may_edit(req->arena, req->app->store, &req->actor, &r))
            rc = ERR_DENIED;
        if (rc) {
            api_reply_err(req, rc, NULL, NULL);
            return;
        }
        api_reply_invalid(req, "status", _("open of gesloten."));
        return;
    }
    struct err_ctx e = {0};
    int rc = round_set_status(req->app->store, &req->actor, id, to, &e);
    if (rc) {
        api_reply_err(req, rc, &e, round_aliases);
        return;
    }
    send_round(req, 200, id);
}

/* POST /api/v1/uitvragen/{id}/codes {"aantal": n}: n new codes. */
static void round_make_codes_api(struct http_req *req)
{
    int64_t id, n = 0;
    json_t *body;
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, NULL) ||
        api_body_or_reply(req, &body))
        return;
    struct survey_round r;
    int rc = round_get(req->arena, req->app->store, &req->actor, id, &r);
    if (rc == 0 && !round_may_edit(req->arena, req->app->store, &req->actor, &r))
        rc = ERR_DENIED;
    if (rc) {
        api_reply_err(req, rc, NULL, NULL);
        return;
    }
    const struct api_field fields[] = {
        {"aantal", API_INT, API_REQUIRED, &n, NULL, 1, ROUND_MAX_CODES}};
    if (api_fields_or_reply(req, body, fields, 1))
        return;
    struct err_ctx e = {0};
    const struct survey_code_key *k = survey_code_key_shared(req->app->cfg->key_path, &e);
    rc = k ? round_make_codes(req->app->store, k, &req->actor, id, (int)n, &e) : ERR_IO;
    if (rc) {
        api_reply_err(req, rc, &e, round_aliases);
        return;
    }
    send_round(req, 200, id);
}

/* GET /api/v1/uitvragen/{id}/codes: all codes for letters (ACT_EDIT; never which were used). */
static void round_codes_api(struct http_req *req)
{
    static const char *const params[] = {NULL};
    int64_t id;
    struct api_page p;
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, params, &p))
        return;
    struct round_code *codes = NULL;
    int n = 0;
    int rc = round_codes(req->arena, req->app->store, &req->actor, id, &codes, &n);
    if (rc) {
        api_reply_err(req, rc, NULL, NULL);
        return;
    }
    json_t *items = json_array();
    for (int i = p.offset; items && i < n && i < p.offset + p.limit; i++) {
        char shown[SURVEY_CODE_SHOWN_LEN + 1];
        survey_code_format(codes[i].code, shown);
        json_t *it = json_pack(
            "{s:s, s:s}", "code", shown, "link",
            arena_printf(req->arena, "%s/enquete?code=%s", req->app->cfg->public_url, shown));
        if (json_array_append_new(items, it) != 0) {
            json_decref(items);
            items = NULL;
        }
    }
    api_send_list(req, items, n, &p);
}

const struct route api_survey_routes[] = {
    {"GET", API_PREFIX SURVEYS, survey_list_api, ROUTE_API, "api.survey.list"},
    {"POST", API_PREFIX SURVEYS, survey_create_api, ROUTE_API, "api.survey.create"},
    {"GET", API_PREFIX SURVEYS "/{id}", survey_get_api, ROUTE_API, "api.survey.get"},
    {"PUT", API_PREFIX SURVEYS "/{id}", survey_put_api, ROUTE_API, "api.survey.put"},
    {"POST", API_PREFIX SURVEYS "/{id}/archiveren", survey_archive, ROUTE_API,
     "api.survey.archive"},
    {"POST", API_PREFIX SURVEYS "/{id}/herstellen", survey_restore, ROUTE_API,
     "api.survey.restore"},
    {"GET", API_PREFIX ROUNDS, round_list_api, ROUTE_API, "api.round.list"},
    {"POST", API_PREFIX ROUNDS, round_create_api, ROUTE_API, "api.round.create"},
    {"GET", API_PREFIX ROUNDS "/{id}", round_get_api, ROUTE_API, "api.round.get"},
    {"POST", API_PREFIX ROUNDS "/{id}/status", round_status_api, ROUTE_API, "api.round.status"},
    {"POST", API_PREFIX ROUNDS "/{id}/codes", round_make_codes_api, ROUTE_API,
     "api.round.codes_make"},
    {"GET", API_PREFIX ROUNDS "/{id}/codes", round_codes_api, ROUTE_API, "api.round.codes"},
    ROUTES_END,
};
