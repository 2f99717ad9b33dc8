/*
 * api_story.c: /api/v1/verhalen: list and full-text search with filters, create, read and
 * merge-patch stories. Only stories the caller may view are listed (the domain asks the policy
 * per story). Creating or changing text runs the anonymisation check: with findings the call
 * answers 400 listing them ("bevindingen") unless anonimiseringBevestigd is true.
 */
#include "core/common.h"
#include "domain/story.h"
#include "web/api_json.h"
#include "web/router.h"

#define COLLECTION "/verhalen"

static const struct api_alias aliases[] = {
    {"owner_org_id", "eigenaarId"},
    {"kind", "soort"},
    {"consent", "toestemming"},
    {"title", "titel"},
    {"body", "tekst"},
    {"teller_role", "vertellerRol"},
    {"told_on", "datum"},
    {"gemeente", "gemeente"},
    {"aanbieder_id", "aanbiederId"},
    {"period_from", "periodeVan"},
    {"period_to", "periodeTot"},
    {"result_ids", "resultaatIds"},
    {"indicator_ids", "indicatorIds"},
    {"tags", "labels"},
    {"anon", "anonimiseringBevestigd"},
    {"version", "versie"},
    {"q", "zoek"},
    {NULL, NULL},
};

static json_t *day_json(day_t d)
{
    char s[11];
    day_format_iso(d, s);
    return json_string(s);
}

static json_t *ids_json(const struct story_link *l, int n)
{
    json_t *a = json_array();
    for (int i = 0; a && i < n; i++)
        json_array_append_new(a, json_integer((json_int_t)l[i].id));
    return a;
}

/* with_links: the single representation (list items carry no links; docs/api.md). */
static json_t *story_json(const struct story *s, bool with_links)
{
    char gm[8];
    snprintf(gm, sizeof gm, "GM%s", s->gemeente ? s->gemeente : "");
    json_t *j = json_pack(
        "{s:I, s:I, s:s?, s:s, s:s, s:s, s:s, s:o, s:s, s:s?, s:s?, s:o, s:s?, s:o, s:o, s:b, "
        "s:I, s:s?, s:s?}",
        "id", (json_int_t)s->id, "eigenaarId", (json_int_t)s->owner_org_id, "eigenaarNaam",
        s->owner_name, "soort", story_kind_code(s->kind), "titel", s->title, "tekst", s->body,
        "vertellerRol", s->teller_role, "datum", day_json(s->told_on), "toestemming",
        story_consent_code(s->consent), "gemeente", s->gemeente ? gm : NULL, "gemeenteNaam",
        s->gemeente_name, "aanbiederId",
        s->aanbieder_id ? json_integer((json_int_t)s->aanbieder_id) : json_null(), "aanbiederNaam",
        s->aanbieder_name, "periodeVan", s->has_period ? day_json(s->period_from) : json_null(),
        "periodeTot", s->has_period ? day_json(s->period_to) : json_null(), "gearchiveerd",
        s->archived, "versie", (json_int_t)s->version, "aangemaaktOp", s->created_at, "gewijzigdOp",
        s->updated_at);
    if (!j)
        return NULL;
    json_t *anon = json_loads(s->anon_checked ? s->anon_checked : "[]", 0, NULL);
    json_object_set_new(j, "anonimiseringsControle", anon ? anon : json_array());
    if (with_links) {
        json_t *tags = json_array();
        for (int i = 0; tags && i < s->ntags; i++)
            json_array_append_new(tags, json_string(s->tags[i]));
        json_object_set_new(j, "resultaatIds", ids_json(s->results, s->nresults));
        json_object_set_new(j, "indicatorIds", ids_json(s->indicators, s->nindicators));
        json_object_set_new(j, "labels", tags);
    }
    return j;
}

static void send_story(struct http_req *req, int status, int64_t id)
{
    struct story s;
    int rc = story_get(req->arena, req->app->store, &req->actor, id, &s);
    if (rc != 0) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    if (status == 201)
        api_send_created(req, COLLECTION, id, story_json(&s, true));
    else
        api_send(req, status, story_json(&s, true));
}

/* The anonymisation findings as a 400 problem with the list "bevindingen". */
static void reply_findings(struct http_req *req, const struct err_ctx *e,
                           const struct anon_report *r)
{
    json_t *found = json_array();
    for (size_t i = 0; found && i < r->nfindings; i++)
        json_array_append_new(found, json_pack("{s:s, s:s, s:s}", "soort",
                                               anon_kind_code(r->findings[i].kind), "label",
                                               anon_kind_label(r->findings[i].kind), "tekst",
                                               r->findings[i].excerpt));
    json_t *j = json_pack("{s:s, s:s, s:i, s:s, s:s, s:[{s:s, s:s}], s:o, s:I}", "type",
                          "about:blank", "title", _("Controleer de tekst op persoonsgegevens"),
                          "status", 400, "detail", e->msg, "instance", req->path, "invalidParams",
                          "name", "anonimiseringBevestigd", "reason", e->msg, "bevindingen",
                          found ? found : json_array(), "aantalBevindingen", (json_int_t)r->ntotal);
    api_send(req, 400, j);
    req->resp.content_type = "application/problem+json";
}

static int day_or_reply(struct http_req *req, const char *name, const char *s, day_t *out)
{
    if (str_parse_date_iso(str_from(s), out) != 0) {
        api_reply_invalid(req, name, _("Gebruik een datum als JJJJ-MM-DD."));
        return ERR_INVALID;
    }
    return 0;
}

static int kind_or_reply(struct http_req *req, const char *s, int *out)
{
    enum story_kind k;
    if (story_kind_parse(s, &k) != 0) {
        api_reply_invalid(req, "soort",
                          _("Onbekende soort. Kies uit citaat, casus, reflectie en interview."));
        return ERR_INVALID;
    }
    *out = (int)k;
    return 0;
}

static int consent_or_reply(struct http_req *req, const char *name, const char *s, int *out)
{
    enum story_consent c;
    if (story_consent_parse(s, &c) != 0) {
        api_reply_invalid(req, name,
                          _("Onbekende toestemming. Kies uit intern, gesprek en publicatie."));
        return ERR_INVALID;
    }
    *out = (int)c;
    return 0;
}

/* GET /api/v1/verhalen */
static void list(struct http_req *req)
{
    static const char *const params[] = {"zoek",
                                         "soort",
                                         "toestemming",
                                         "minimaleToestemming",
                                         "gemeente",
                                         "aanbieder",
                                         "resultaat",
                                         "indicator",
                                         "label",
                                         "van",
                                         "tot",
                                         "eigenaar",
                                         "inclusiefGearchiveerd",
                                         NULL};
    struct api_page p;
    struct story_filter f = {0};
    const char *kind = NULL, *consent = NULL, *minc = NULL, *from = NULL, *to = NULL;
    struct story *rows = NULL;
    struct err_ctx e = {0};
    int n = 0, total = 0;

    if (api_query_or_reply(req, params, &p) || api_query_text_or_reply(req, "zoek", &f.q) ||
        api_query_text_or_reply(req, "soort", &kind) ||
        api_query_text_or_reply(req, "toestemming", &consent) ||
        api_query_text_or_reply(req, "minimaleToestemming", &minc) ||
        api_query_text_or_reply(req, "gemeente", &f.gemeente) ||
        api_query_id_or_reply(req, "aanbieder", &f.aanbieder_id) ||
        api_query_id_or_reply(req, "resultaat", &f.result_id) ||
        api_query_id_or_reply(req, "indicator", &f.indicator_id) ||
        api_query_text_or_reply(req, "label", &f.tag) ||
        api_query_text_or_reply(req, "van", &from) || api_query_text_or_reply(req, "tot", &to) ||
        api_query_id_or_reply(req, "eigenaar", &f.owner_org_id) ||
        api_query_bool_or_reply(req, "inclusiefGearchiveerd", &f.include_archived) ||
        (kind && kind_or_reply(req, kind, &f.kind)) ||
        (consent && consent_or_reply(req, "toestemming", consent, &f.consent)) ||
        (minc && consent_or_reply(req, "minimaleToestemming", minc, &f.min_consent)))
        return;
    if (from || to) {
        f.has_period = true;
        f.period_from = STORY_DAY_MIN;
        f.period_to = STORY_DAY_MAX;
        if ((from && day_or_reply(req, "van", from, &f.period_from)) ||
            (to && day_or_reply(req, "tot", to, &f.period_to)))
            return;
    }
    f.limit = p.limit > STORY_LIST_MAX ? STORY_LIST_MAX : p.limit;
    f.offset = p.offset;
    int rc = story_list(req->arena, req->app->store, &req->actor, &f, &rows, &n, &total, &e);
    if (rc != 0) {
        api_reply_err(req, rc, &e, aliases);
        return;
    }
    json_t *items = json_array();
    for (int i = 0; items && i < n; i++)
        if (json_array_append_new(items, story_json(&rows[i], false)) != 0) {
            json_decref(items);
            items = NULL;
        }
    api_send_list(req, items, total, &p);
}

/* The attributes shared by create and patch, and what they were parsed into. */
struct story_body {
    const char *kind, *consent, *told_on, *gemeente, *from, *to;
    int64_t owner, aanbieder, version;
    bool confirmed, archived;
    int64_t result_ids[STORY_MAX_LINKS], indicator_ids[STORY_MAX_LINKS];
    struct api_list results, indicators, tags;
    bool has[16];
};

enum {
    H_KIND,
    H_CONSENT,
    H_TITLE,
    H_BODY,
    H_ROLE,
    H_DATE,
    H_GEMEENTE,
    H_AANBIEDER,
    H_FROM,
    H_TO,
    H_RESULTS,
    H_INDICATORS,
    H_TAGS,
    H_ARCHIVED,
};

static int body_or_reply(struct http_req *req, bool create, struct story_body *b,
                         struct story_input *in)
{
    json_t *body;
    unsigned req_flag = create ? API_REQUIRED : 0;
    b->results = (struct api_list){.ids = b->result_ids, .max = STORY_MAX_LINKS};
    b->indicators = (struct api_list){.ids = b->indicator_ids, .max = STORY_MAX_LINKS};
    b->tags = (struct api_list){.max = STORY_MAX_TAGS};
    const struct api_field fields[] = {
        {"soort", API_STRING, req_flag, &b->kind, &b->has[H_KIND], 0, 0},
        {"toestemming", API_STRING, req_flag, &b->consent, &b->has[H_CONSENT], 0, 0},
        {"titel", API_STRING, req_flag, &in->title, &b->has[H_TITLE], 0, 0},
        {"tekst", API_STRING, req_flag, &in->body, &b->has[H_BODY], 0, 0},
        {"vertellerRol", API_STRING, req_flag, &in->teller_role, &b->has[H_ROLE], 0, 0},
        {"datum", API_STRING, req_flag, &b->told_on, &b->has[H_DATE], 0, 0},
        {"gemeente", API_STRING, API_NULLABLE, &b->gemeente, &b->has[H_GEMEENTE], 0, 0},
        {"aanbiederId", API_INT, API_NULLABLE, &b->aanbieder, &b->has[H_AANBIEDER], 1, INT64_MAX},
        {"periodeVan", API_STRING, API_NULLABLE, &b->from, &b->has[H_FROM], 0, 0},
        {"periodeTot", API_STRING, API_NULLABLE, &b->to, &b->has[H_TO], 0, 0},
        {"resultaatIds", API_IDS, API_NULLABLE, &b->results, &b->has[H_RESULTS], 0, 0},
        {"indicatorIds", API_IDS, API_NULLABLE, &b->indicators, &b->has[H_INDICATORS], 0, 0},
        {"labels", API_STRINGS, API_NULLABLE, &b->tags, &b->has[H_TAGS], 0, 0},
        {"anonimiseringBevestigd", API_BOOL, 0, &b->confirmed, NULL, 0, 0},
        {"eigenaarId", create ? API_INT : API_READONLY, 0, create ? &b->owner : NULL, NULL, 1,
         INT64_MAX},
        {"versie", API_INT, create ? 0 : API_REQUIRED, &b->version, NULL, 1, INT64_MAX},
        {"gearchiveerd", create ? API_READONLY : API_BOOL, 0, create ? NULL : &b->archived,
         &b->has[H_ARCHIVED], 0, 0},
        {"id", API_READONLY, 0, NULL, NULL, 0, 0},
        {"eigenaarNaam", API_READONLY, 0, NULL, NULL, 0, 0},
        {"gemeenteNaam", API_READONLY, 0, NULL, NULL, 0, 0},
        {"aanbiederNaam", API_READONLY, 0, NULL, NULL, 0, 0},
        {"anonimiseringsControle", API_READONLY, 0, NULL, NULL, 0, 0},
        {"aangemaaktOp", API_READONLY, 0, NULL, NULL, 0, 0},
        {"gewijzigdOp", API_READONLY, 0, NULL, NULL, 0, 0},
    };
    if (api_body_or_reply(req, &body) ||
        api_fields_or_reply(req, body, fields, (int)ARRAY_LEN(fields)))
        return ERR_INVALID;
    if ((b->has[H_KIND] && kind_or_reply(req, b->kind, &in->kind)) ||
        (b->has[H_CONSENT] && consent_or_reply(req, "toestemming", b->consent, &in->consent)) ||
        (b->has[H_DATE] && day_or_reply(req, "datum", b->told_on, &in->told_on)))
        return ERR_INVALID;
    if ((b->has[H_FROM] && b->from) != (b->has[H_TO] && b->to) && create) {
        api_reply_invalid(req, "periodeTot",
                          _("Geef zowel het begin als het einde van de "
                            "periode, of geen van beide."));
        return ERR_INVALID;
    }
    if ((b->has[H_FROM] && b->from && day_or_reply(req, "periodeVan", b->from, &in->period_from)) ||
        (b->has[H_TO] && b->to && day_or_reply(req, "periodeTot", b->to, &in->period_to)))
        return ERR_INVALID;
    in->anon_confirmed = b->confirmed;
    return 0;
}

static void reply_write_err(struct http_req *req, int rc, const struct err_ctx *e,
                            const struct anon_report *r)
{
    if (rc == ERR_INVALID && e->field && strcmp(e->field, "anon") == 0) {
        reply_findings(req, e, r);
        return;
    }
    api_reply_err(req, rc, e, aliases);
}

/* POST /api/v1/verhalen. Without eigenaarId the story belongs to the caller's organisation. */
static void create(struct http_req *req)
{
    struct story_body *b = arena_calloc(req->arena, 1, sizeof *b);
    struct story_input in = {0};
    struct anon_report r;
    struct err_ctx e = {0};
    int64_t id = 0;
    if (!b) {
        api_reply_err(req, ERR_NOMEM, NULL, aliases);
        return;
    }
    if (api_query_or_reply(req, NULL, NULL) || body_or_reply(req, true, b, &in))
        return;
    in.owner_org_id = b->owner ? b->owner : req->actor.org_id;
    in.gemeente = b->gemeente;
    in.aanbieder_id = b->aanbieder;
    in.has_period = b->from && b->to;
    in.result_ids = b->result_ids;
    in.nresults = b->results.n;
    in.indicator_ids = b->indicator_ids;
    in.nindicators = b->indicators.n;
    in.tags = b->tags.strs;
    in.ntags = b->tags.n;
    int rc = story_create(req->app->store, &req->actor, &in, &id, req->arena, &r, &e);
    if (rc != 0) {
        reply_write_err(req, rc, &e, &r);
        return;
    }
    send_story(req, 201, id);
}

/* GET /api/v1/verhalen/{id} */
static void get(struct http_req *req)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, NULL))
        return;
    send_story(req, 200, id);
}

/* PATCH /api/v1/verhalen/{id}: JSON merge patch; `versie` is required. */
static void patch(struct http_req *req)
{
    struct story_body *b = arena_calloc(req->arena, 1, sizeof *b);
    struct story_input in = {0};
    struct story cur;
    struct anon_report r;
    struct err_ctx e = {0};
    int64_t id;
    if (!b) {
        api_reply_err(req, ERR_NOMEM, NULL, aliases);
        return;
    }
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, NULL) ||
        body_or_reply(req, false, b, &in))
        return;
    int rc = story_get(req->arena, req->app->store, &req->actor, id, &cur);
    if (rc != 0) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    bool edit = false;
    for (int k = 0; k < H_ARCHIVED; k++)
        edit = edit || b->has[k];
    if (!edit && b->version != cur.version) {
        http_resp_problem(req, 409, _("Conflict"),
                          _("Iemand anders heeft dit verhaal intussen gewijzigd. Haal de "
                            "nieuwste versie op en breng uw wijziging opnieuw aan."),
                          "versie");
        return;
    }
    if (edit) {
        in.owner_org_id = cur.owner_org_id;
        if (!b->has[H_KIND])
            in.kind = (int)cur.kind;
        if (!b->has[H_CONSENT])
            in.consent = (int)cur.consent;
        if (!b->has[H_TITLE])
            in.title = cur.title;
        if (!b->has[H_BODY])
            in.body = cur.body;
        if (!b->has[H_ROLE])
            in.teller_role = cur.teller_role;
        if (!b->has[H_DATE])
            in.told_on = cur.told_on;
        in.gemeente = b->has[H_GEMEENTE] ? b->gemeente : cur.gemeente;
        in.aanbieder_id = b->has[H_AANBIEDER] ? b->aanbieder : cur.aanbieder_id;
        if (!b->has[H_FROM])
            in.period_from = cur.period_from;
        if (!b->has[H_TO])
            in.period_to = cur.period_to;
        /* After the merge a period has both ends or neither. */
        bool from_set = b->has[H_FROM] ? b->from != NULL : cur.has_period;
        bool to_set = b->has[H_TO] ? b->to != NULL : cur.has_period;
        if (from_set != to_set) {
            api_reply_invalid(req, "periodeTot",
                              _("Geef zowel het begin als het einde van de periode, of geen van "
                                "beide."));
            return;
        }
        in.has_period = from_set;
        int64_t *rids = arena_calloc(req->arena, (size_t)cur.nresults + 1, sizeof *rids);
        int64_t *iids = arena_calloc(req->arena, (size_t)cur.nindicators + 1, sizeof *iids);
        if (!rids || !iids) {
            api_reply_err(req, ERR_NOMEM, NULL, aliases);
            return;
        }
        for (int k = 0; k < cur.nresults; k++)
            rids[k] = cur.results[k].id;
        for (int k = 0; k < cur.nindicators; k++)
            iids[k] = cur.indicators[k].id;
        in.result_ids = b->has[H_RESULTS] ? b->result_ids : rids;
        in.nresults = b->has[H_RESULTS] ? b->results.n : cur.nresults;
        in.indicator_ids = b->has[H_INDICATORS] ? b->indicator_ids : iids;
        in.nindicators = b->has[H_INDICATORS] ? b->indicators.n : cur.nindicators;
        in.tags = b->has[H_TAGS] ? b->tags.strs : cur.tags;
        in.ntags = b->has[H_TAGS] ? b->tags.n : cur.ntags;
        in.version = b->version;
        rc = story_update(req->app->store, &req->actor, id, &in, req->arena, &r, &e);
    }
    if (rc == 0 && b->has[H_ARCHIVED] && b->archived != cur.archived)
        rc = story_set_archived(req->app->store, &req->actor, id, b->archived, &e);
    if (rc != 0) {
        reply_write_err(req, rc, &e, &r);
        return;
    }
    send_story(req, 200, id);
}

const struct route api_story_routes[] = {
    {"GET", API_PREFIX COLLECTION, list, ROUTE_API, "api.story.list"},
    {"POST", API_PREFIX COLLECTION, create, ROUTE_API, "api.story.create"},
    {"GET", API_PREFIX COLLECTION "/{id}", get, ROUTE_API, "api.story.get"},
    {"PATCH", API_PREFIX COLLECTION "/{id}", patch, ROUTE_API, "api.story.patch"},
    ROUTES_END,
};
