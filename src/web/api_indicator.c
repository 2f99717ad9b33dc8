/*
 * api_indicator.c: /api/v1/indicatoren: indicator definitions (list, create a local one, read,
 * replace with optimistic locking through If-Match) and their figures: the disclosed view
 * (through web/figures.h, so the disclosure module applies exactly as on the pages) and the
 * agreed targets. A definition is validated by metrics/definition.h and compiled by the engine
 * inside the write transaction, so a definition that does not compile is never stored.
 */
#include "core/common.h"
#include "core/log.h"
#include "core/str.h"
#include "domain/audit.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "metrics/definition.h"
#include "store/indicator_store.h"
#include "web/api_json.h"
#include "web/figures.h"
#include "web/figures_context.h"
#include "web/router.h"
#include <time.h>

#define COLLECTION "/indicatoren"

/* The query parameters of the figures (figures_parse_query), for the strict query check. */
static const char *const figure_params[] = {
    "periode",   "van",      "tot",      "per",      "per2",      "gemeente", "aanbieder", "wet",
    "categorie", "hulpvorm", "leeftijd", "geslacht", "verwijzer", "gebied",   "publiek",   NULL,
};

static void reply_denied(struct http_req *req, const char *detail)
{
    http_resp_problem(req, 403, _("Geweigerd"),
                      detail ? detail : _("U heeft geen toestemming voor deze handeling."), NULL);
}

static bool allowed(struct http_req *req, enum object_kind k, enum action act, int64_t id,
                    int64_t owner)
{
    struct object_ref o = {.kind = k, .id = id, .owner_org_id = owner};
    if (owner) {
        struct org org;
        if (org_get_internal(req->arena, req->app->store, owner, &org) != 0)
            return false;
        o.owner_org_kind = org.kind;
        o.owner_region_ids = org.parent_ids;
        o.owner_nregions = org.nparents;
    }
    return policy_allows(&req->actor, act, &o);
}

/* 400 naming every problem of a definition (ADR: invalidParams lists each attribute). */
static void reply_problems(struct http_req *req, const struct ind_problems *pr)
{
    json_t *list = json_array();
    for (int i = 0; list && i < pr->n && i < IND_MAX_PROBLEMS; i++)
        json_array_append_new(list, json_pack("{s:s, s:s}", "name",
                                              pr->p[i].key[0] ? pr->p[i].key : "definitie",
                                              "reason", pr->p[i].message));
    const char *detail = pr->n > 0 ? pr->p[0].message : _("De definitie is niet geldig.");
    json_t *j = json_pack("{s:s, s:s, s:i, s:s, s:s, s:o}", "type", "about:blank", "title",
                          _("Ongeldige invoer"), "status", 400, "detail", detail, "instance",
                          req->path, "invalidParams", list ? list : json_array());
    api_send(req, 400, j);
    if (req->resp.status == 400)
        req->resp.content_type = "application/problem+json";
}

static void set_etag(struct http_req *req, int64_t version)
{
    char tag[32];
    snprintf(tag, sizeof tag, "\"%" PRId64 "\"", version);
    http_resp_header(req, "ETag", tag);
}

static json_t *links_json(struct http_req *req, int64_t id)
{
    struct arena *a = req->arena;
    return json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}", "self",
                     arena_printf(a, API_PREFIX COLLECTION "/%" PRId64, id), "uitkomsten",
                     arena_printf(a, API_PREFIX COLLECTION "/%" PRId64 "/uitkomsten", id),
                     "streefwaarden",
                     arena_printf(a, API_PREFIX COLLECTION "/%" PRId64 "/streefwaarden", id),
                     "pagina", arena_printf(a, "/indicatoren/%" PRId64, id), "csv",
                     arena_printf(a, "/indicatoren/%" PRId64 "/export.csv", id), "xlsx",
                     arena_printf(a, "/indicatoren/%" PRId64 "/export.xlsx", id));
}

/* The summary of a list item; d may be NULL when the stored document no longer parses. */
static json_t *summary_json(const struct indicator_row *r, const struct ind_def *d)
{
    return json_pack("{s:I, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:o, s:s?, s:I, s:b, s:b}", "id",
                     (json_int_t)r->id, "code", r->code, "naam", d ? d->name : NULL, "eenheid",
                     d ? ind_unit_code(d->unit) : NULL, "aggregatie",
                     d ? ind_agg_code(d->agg) : NULL, "kwadrant",
                     d ? ind_quadrant_code(d->quadrant) : NULL, "groep", d ? d->group : NULL,
                     "eigenaarId", r->owner_org_id ? json_integer(r->owner_org_id) : json_null(),
                     "eigenaarNaam", r->owner_name, "versie", (json_int_t)r->version, "standaard",
                     r->standard, "gearchiveerd", r->archived);
}

static json_t *indicator_json(struct http_req *req, const struct indicator_row *r)
{
    json_t *def = json_loads(r->definition, JSON_REJECT_DUPLICATES, NULL);
    if (def && !json_is_object(def)) {
        json_decref(def);
        def = NULL;
    }
    json_t *links = links_json(req, r->id);
    if (!links) {
        json_decref(def);
        return NULL;
    }
    return json_pack("{s:I, s:s, s:o, s:s?, s:b, s:I, s:b, s:s?, s:o, s:o}", "id",
                     (json_int_t)r->id, "code", r->code, "eigenaarId",
                     r->owner_org_id ? json_integer(r->owner_org_id) : json_null(), "eigenaarNaam",
                     r->owner_name, "standaard", r->standard, "versie", (json_int_t)r->version,
                     "gearchiveerd", r->archived, "gewijzigdOp", r->updated_at, "definitie",
                     def ? def : json_null(), "links", links);
}

static int load_or_reply(struct http_req *req, int64_t id, struct indicator_row *out)
{
    int rc = indicator_store_get(req->arena, store_reader(req->app->store), id, out);
    if (rc != 0)
        api_reply_err(req, rc, NULL, NULL);
    return rc;
}

static void send_indicator(struct http_req *req, int status, int64_t id)
{
    struct indicator_row r;
    if (load_or_reply(req, id, &r) != 0)
        return;
    set_etag(req, r.version);
    if (status == 201)
        api_send_created(req, COLLECTION, id, indicator_json(req, &r));
    else
        api_send(req, status, indicator_json(req, &r));
}

/* GET /api/v1/indicatoren */
static void list(struct http_req *req)
{
    static const char *const params[] = {"inclusiefGearchiveerd", "eigenaar", NULL};
    struct api_page p;
    bool archived = false;
    int64_t owner = 0;
    struct indicator_row *rows = NULL;
    size_t n = 0;

    if (!allowed(req, OBJ_INDICATOR, ACT_LIST, 0, 0)) {
        reply_denied(req, NULL);
        return;
    }
    if (api_query_or_reply(req, params, &p) ||
        api_query_bool_or_reply(req, "inclusiefGearchiveerd", &archived) ||
        api_query_id_or_reply(req, "eigenaar", &owner))
        return;
    int rc = indicator_store_list(req->arena, store_reader(req->app->store), archived, &rows, &n);
    if (rc != 0) {
        api_reply_err(req, rc, NULL, NULL);
        return;
    }
    json_t *items = json_array();
    int total = 0;
    for (size_t i = 0; items && i < n; i++) {
        if (owner && rows[i].owner_org_id != owner)
            continue;
        total++;
        if (total <= p.offset || total > p.offset + p.limit)
            continue;
        struct ind_def d;
        struct ind_problems pr = {0};
        bool ok =
            rows[i].definition &&
            ind_def_parse(rows[i].definition, strlen(rows[i].definition), req->arena, &d, &pr) == 0;
        if (!ok)
            log_warn("indicator.unparsable", "id", arena_printf(req->arena, "%" PRId64, rows[i].id),
                     NULL);
        if (json_array_append_new(items, summary_json(&rows[i], ok ? &d : NULL)) != 0) {
            json_decref(items);
            items = NULL;
        }
    }
    api_send_list(req, items, total, &p);
}

static void now_iso(char at[static AUDIT_TS_SIZE])
{
    audit_format_time(time(NULL), at);
}

/* Parses the body as a definition; answers 400/413 itself. */
static int parse_or_reply(struct http_req *req, struct ind_def *d)
{
    json_t *body;
    struct ind_problems pr = {0};
    if (api_body_or_reply(req, &body)) /* media type, valid JSON, an object, no duplicates */
        return ERR_INVALID;
    int rc = ind_def_parse(req->body, req->body_len, req->arena, d, &pr);
    if (rc == ERR_INVALID) {
        reply_problems(req, &pr);
        return rc;
    }
    if (rc == ERR_TOO_BIG) {
        http_resp_problem(req, 413, _("Te groot"), _("Een definitie is hoogstens 64 kB groot."),
                          NULL);
        return rc;
    }
    if (rc != 0)
        api_reply_err(req, rc, NULL, NULL);
    return rc;
}

/* Writes a new or changed definition: the store row, the engine's compiled copy and the audit
 * event, all or nothing. cur: the row being replaced, or NULL for a new one. */
static int write_definition(struct http_req *req, const struct ind_def *d,
                            const struct indicator_row *cur, int64_t owner, int64_t version,
                            int64_t *id_out)
{
    struct mx_engine *eng = figures_engine(req);
    const char *json = ind_def_to_json(d, req->arena);
    struct ind_problems pr = {0};
    char at[AUDIT_TS_SIZE];
    struct db *db = NULL;
    int64_t id = cur ? cur->id : 0;
    bool defined = false;
    int rc;

    if (!eng || !json) {
        api_reply_err(req, ERR_INTERNAL, NULL, NULL);
        return ERR_INTERNAL;
    }
    now_iso(at);
    rc = store_write_begin(req->app->store, &db);
    if (rc != 0) {
        api_reply_err(req, rc, NULL, NULL);
        return rc;
    }
    if (cur)
        rc = indicator_store_update(db, id, version, json, at, req->actor.user_id);
    else
        rc = indicator_store_insert(db, owner, false, d->code, json, at, req->actor.user_id, &id);
    if (rc == 0) {
        /* Compiling against the engine (which knows the survey items) is the last check. */
        rc = mx_engine_define(eng, id, (int)(cur ? version + 1 : 1), d, &pr);
        defined = rc == 0;
    }
    if (rc == 0)
        rc = audit_write(db, &req->actor, cur ? "indicator.update" : "indicator.create",
                         "indicator", id, d->code);
    int end = store_write_end(req->app->store, rc == 0);
    if (rc == 0 && end != 0)
        rc = end;
    if (rc != 0 && defined) {
        /* The store kept the old state: so must the engine. */
        struct ind_def old;
        struct ind_problems opr = {0};
        if (cur &&
            ind_def_parse(cur->definition, strlen(cur->definition), req->arena, &old, &opr) == 0)
            mx_engine_define(eng, id, (int)cur->version, &old, &opr);
        else
            mx_engine_undefine(eng, id);
    }
    if (rc == ERR_INVALID && pr.n > 0) {
        reply_problems(req, &pr);
    } else if (rc == ERR_CONFLICT && cur) {
        http_resp_problem(req, 412, _("Verouderde versie"),
                          _("Iemand anders heeft deze indicator intussen gewijzigd. Haal de "
                            "nieuwste versie op en breng uw wijziging opnieuw aan."),
                          NULL);
    } else if (rc == ERR_CONFLICT) {
        http_resp_problem(req, 409, _("Conflict"),
                          _("Uw organisatie heeft al een indicator met deze code."), "code");
    } else if (rc != 0) {
        api_reply_err(req, rc, NULL, NULL);
    }
    if (rc == 0 && id_out)
        *id_out = id;
    return rc;
}

/* POST /api/v1/indicatoren: a local definition of the caller's organisation (a beheerder may
 * name another owner with ?eigenaar=). The standard set is shipped, never created here. */
static void create(struct http_req *req)
{
    static const char *const params[] = {"eigenaar", NULL};
    int64_t owner = 0, id = 0;
    struct ind_def d;

    if (api_query_or_reply(req, params, NULL) || api_query_id_or_reply(req, "eigenaar", &owner))
        return;
    if (!owner)
        owner = req->actor.org_id;
    /* The policy first: a caller without rights hears 403 whatever the body says. */
    if (!owner || !allowed(req, OBJ_INDICATOR, ACT_CREATE, 0, owner)) {
        reply_denied(req, _("Alleen beleidsmedewerkers van een gemeente of regio maken eigen "
                            "indicatoren, voor hun eigen organisatie."));
        return;
    }
    struct org o;
    if (org_get_internal(req->arena, req->app->store, owner, &o) != 0 ||
        (o.kind != ORG_GEMEENTE && o.kind != ORG_REGION)) {
        api_reply_invalid(req, "eigenaar",
                          _("Een eigen indicator hoort bij een gemeente of regio."));
        return;
    }
    if (parse_or_reply(req, &d) != 0)
        return;
    /* As in the editor: a local code never shadows one of the standard set. */
    struct indicator_row std;
    if (indicator_store_find(req->arena, store_reader(req->app->store), 0, d.code, &std) == 0) {
        http_resp_problem(req, 409, _("Conflict"),
                          _("Deze code hoort bij de standaardset. Kies een andere code."), "code");
        return;
    }
    if (write_definition(req, &d, NULL, owner, 0, &id) == 0)
        send_indicator(req, 201, id);
}

/* GET /api/v1/indicatoren/{id} */
static void get(struct http_req *req)
{
    int64_t id;
    struct indicator_row r;
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, NULL) ||
        load_or_reply(req, id, &r) != 0)
        return;
    if (!allowed(req, OBJ_INDICATOR, ACT_VIEW, id, r.owner_org_id)) {
        reply_denied(req, NULL);
        return;
    }
    set_etag(req, r.version);
    api_send(req, 200, indicator_json(req, &r));
}

/* The version an If-Match header names: "3", W/"3" or 3; "*" is the current one. */
static int if_match_version(const char *h, int64_t current, int64_t *out)
{
    struct str s = str_trim(str_from(h));
    if (s.len == 1 && s.p[0] == '*') {
        *out = current;
        return 0;
    }
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

/* The standard set is harmonised across the region: a beheerder may change the values of its
 * settings (the visible choices, such as whether external reasons count), nothing else — the
 * same rule as the editor. True if d is the stored definition with only setting values changed. */
static bool only_settings_changed(struct http_req *req, const struct indicator_row *cur,
                                  const struct ind_def *d)
{
    struct ind_def merged;
    struct ind_problems pr = {0};
    if (ind_def_parse(cur->definition, strlen(cur->definition), req->arena, &merged, &pr) != 0)
        return false;
    for (int i = 0; i < d->nsettings && i < IND_MAX_SETTINGS; i++) {
        const struct ind_setting *s = &d->settings[i];
        char v[32];
        if (s->is_bool)
            snprintf(v, sizeof v, "%s", s->value ? "ja" : "nee");
        else
            snprintf(v, sizeof v, "%" PRId64, s->value);
        if (ind_def_set(&merged, s->code, v) != 0)
            return false;
    }
    const char *a = ind_def_to_json(&merged, req->arena), *b = ind_def_to_json(d, req->arena);
    return a && b && strcmp(a, b) == 0;
}

/* PUT /api/v1/indicatoren/{id}: replaces the definition. If-Match carries the version (ETag)
 * the client read; a stale one answers 412 and changes nothing. */
static void put(struct http_req *req)
{
    int64_t id, version;
    struct indicator_row cur;
    struct ind_def d;

    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, NULL) ||
        load_or_reply(req, id, &cur) != 0)
        return;
    if (!allowed(req, OBJ_INDICATOR, ACT_EDIT, id, cur.owner_org_id)) {
        reply_denied(req, cur.owner_org_id == 0
                              ? _("De standaardset wordt alleen door de beheerder gewijzigd.")
                              : _("Alleen beleidsmedewerkers van de eigenaar wijzigen deze "
                                  "indicator."));
        return;
    }
    if (parse_or_reply(req, &d) != 0)
        return;
    if (strcmp(d.code, cur.code) != 0) {
        api_reply_invalid(req, "code", _("De code van een indicator verandert niet."));
        return;
    }
    if ((cur.standard || cur.owner_org_id == 0) && !only_settings_changed(req, &cur, &d)) {
        api_reply_invalid(req, "instellingen",
                          _("Van een indicator uit de standaardset veranderen alleen de waarden "
                            "van de instellingen; de rest is regionaal afgesproken."));
        return;
    }
    if (cur.archived) {
        http_resp_problem(req, 409, _("Conflict"),
                          _("Deze indicator is gearchiveerd en wordt niet meer gewijzigd."), NULL);
        return;
    }
    const char *im = http_header(req, "If-Match");
    if (!im) {
        http_resp_problem(req, 428, _("Versie ontbreekt"),
                          _("Stuur de header If-Match mee met de ETag (versie) die u het laatst "
                            "ophaalde."),
                          NULL);
        return;
    }
    if (if_match_version(im, cur.version, &version) != 0) {
        api_reply_invalid(req, "If-Match", _("If-Match moet een versie zijn, zoals \"3\"."));
        return;
    }
    if (version != cur.version) {
        http_resp_problem(req, 412, _("Verouderde versie"),
                          _("Iemand anders heeft deze indicator intussen gewijzigd. Haal de "
                            "nieuwste versie op en breng uw wijziging opnieuw aan."),
                          NULL);
        return;
    }
    if (write_definition(req, &d, &cur, cur.owner_org_id, version, NULL) == 0)
        send_indicator(req, 200, id);
}

/* GET /api/v1/indicatoren/{id}/uitkomsten: the disclosed view, the document the pages use. */
static void results(struct http_req *req)
{
    int64_t id;
    struct indicator_row r;
    struct figures_opts o;
    struct mx_view v;
    struct err_ctx e = {0};

    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, figure_params, NULL) ||
        load_or_reply(req, id, &r) != 0)
        return;
    if (!allowed(req, OBJ_FIGURES, ACT_VIEW, id, 0)) {
        reply_denied(req, _("U kunt geen cijfers inzien."));
        return;
    }
    memset(&o, 0, sizeof o);
    int rc = figures_parse_query(req, &o, &e);
    if (rc == 0) {
        o.ind_id = id;
        rc = figures_view(req, &o, &v, &e);
    }
    /* e.field names the query parameter (figures.c maps the engine's names to them). */
    if (rc != 0) {
        api_reply_err(req, rc, &e, NULL);
        return;
    }
    /* With the context events and linked stories, as on the pages (web/figures_context.h). */
    struct fig_context ctx;
    figures_context_load(req, &o, id, FIGCTX_MAX_STORIES, &ctx);
    const char *json =
        figures_context_json(req, mx_view_to_json(&v, figures_label, req, req->arena), &ctx);
    if (!json) {
        api_reply_err(req, ERR_NOMEM, NULL, NULL);
        return;
    }
    http_resp_json(req, 200, json, strlen(json));
}

static json_t *target_json(const struct indicator_target_row *t)
{
    char from[11] = "", to[11] = "";
    day_format_iso(t->valid_from, from);
    if (t->valid_to != DAY_NONE)
        day_format_iso(t->valid_to, to);
    return json_pack("{s:I, s:I, s:I, s:s?, s:o, s:s, s:s?, s:f, s:s?}", "id", (json_int_t)t->id,
                     "indicatorId", (json_int_t)t->indicator_id, "eigenaarId",
                     (json_int_t)t->owner_org_id, "gemeente", t->gemeente, "aanbiederId",
                     t->aanbieder_id ? json_integer(t->aanbieder_id) : json_null(), "geldigVanaf",
                     from, "geldigTot", to[0] ? to : NULL, "waarde", t->value, "toelichting",
                     t->note && *t->note ? t->note : NULL);
}

/* GET /api/v1/indicatoren/{id}/streefwaarden */
static void targets(struct http_req *req)
{
    int64_t id;
    struct api_page p;
    struct indicator_row r;
    struct indicator_target_row *ts = NULL;
    size_t n = 0;

    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, &p) ||
        load_or_reply(req, id, &r) != 0)
        return;
    if (!allowed(req, OBJ_INDICATOR_TARGET, ACT_LIST, 0, 0)) {
        reply_denied(req, NULL);
        return;
    }
    int rc = indicator_store_targets(req->arena, store_reader(req->app->store), id, &ts, &n);
    if (rc != 0) {
        api_reply_err(req, rc, NULL, NULL);
        return;
    }
    json_t *items = json_array();
    for (size_t i = (size_t)p.offset; items && i < n && i < (size_t)p.offset + (size_t)p.limit; i++)
        if (json_array_append_new(items, target_json(&ts[i])) != 0) {
            json_decref(items);
            items = NULL;
        }
    api_send_list(req, items, n > INT32_MAX ? INT32_MAX : (int)n, &p);
}

const struct route api_indicator_routes[] = {
    {"GET", API_PREFIX COLLECTION, list, ROUTE_API, "api.indicator.list"},
    {"POST", API_PREFIX COLLECTION, create, ROUTE_API, "api.indicator.create"},
    {"GET", API_PREFIX COLLECTION "/{id}", get, ROUTE_API, "api.indicator.get"},
    {"PUT", API_PREFIX COLLECTION "/{id}", put, ROUTE_API, "api.indicator.put"},
    {"GET", API_PREFIX COLLECTION "/{id}/uitkomsten", results, ROUTE_API, "api.indicator.results"},
    {"GET", API_PREFIX COLLECTION "/{id}/streefwaarden", targets, ROUTE_API,
     "api.indicator.targets"},
    ROUTES_END,
};
