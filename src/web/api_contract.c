/*
 * api_contract.c: /api/v1/contracten: the contracts the caller may view (filters gemeente,
 * aanbieder, jaar), create one, read one, merge-patch one (`versie` required; archiving via
 * `gearchiveerd`), and /{id}/bedrijfsvoering: the business figures of a year (spend per month,
 * projection, client counts through the disclosure rule). Rights are the domain's.
 */
#include "core/common.h"
#include "domain/contract.h"
#include "report/contract_figures.h"
#include "web/api_json.h"
#include "web/figures.h"
#include "web/router.h"
#include <math.h>
#include <time.h>

#define COLLECTION "/contracten"

static const struct api_alias aliases[] = {
    {"name", "naam"},
    {"owner_org_id", "eigenaarId"},
    {"aanbieder_id", "aanbiederId"},
    {"law", "wet"},
    {"variant", "uitvoeringsvariant"},
    {"valid_from", "begindatum"},
    {"valid_to", "einddatum"},
    {"budget", "budgetCent"},
    {"cap", "omzetplafondCent"},
    {"note", "toelichting"},
    {"gemeenten", "gemeenten"},
    {"products", "producten"},
    {"agreements", "resultaatafspraken"},
    {"version", "versie"},
    {"archived", "gearchiveerd"},
    {NULL, NULL},
};

static json_t *day_json(day_t d)
{
    if (d == DAY_NONE)
        return json_null();
    char s[11];
    day_format_iso(d, s);
    return json_string(s);
}

static json_t *contract_json(const struct contract *c)
{
    json_t *j = json_pack(
        "{s:I, s:s, s:I, s:s?, s:I, s:s?, s:s, s:s, s:o, s:o, s:I, s:o, s:s, s:I, s:b, s:s?, "
        "s:s?}",
        "id", (json_int_t)c->id, "naam", c->name, "eigenaarId", (json_int_t)c->owner_org_id,
        "eigenaarNaam", c->owner_name, "aanbiederId", (json_int_t)c->aanbieder_id, "aanbiederNaam",
        c->aanbieder_name, "wet", c->law == LAW_WMO ? "wmo" : "jeugdwet", "uitvoeringsvariant",
        contract_variant_code(c->variant), "begindatum", day_json(c->valid_from), "einddatum",
        day_json(c->valid_to), "budgetCent", (json_int_t)c->budget_cents, "omzetplafondCent",
        c->cap_cents >= 0 ? json_integer((json_int_t)c->cap_cents) : json_null(), "toelichting",
        c->note ? c->note : "", "versie", (json_int_t)c->version, "gearchiveerd", c->archived,
        "aangemaaktOp", c->created_at, "gewijzigdOp", c->updated_at);
    if (!j)
        return NULL;
    json_t *g = json_array(), *p = json_array(), *ag = json_array();
    for (int i = 0; g && i < c->ngemeenten; i++) {
        char code[8];
        snprintf(code, sizeof code, "GM%s", c->gemeenten[i]);
        json_array_append_new(g, json_string(code));
    }
    for (int i = 0; p && i < c->nproducts; i++)
        json_array_append_new(
            p, json_pack("{s:s, s:o}", "categorie", c->products[i].category, "code",
                         c->products[i].code[0] ? json_string(c->products[i].code) : json_null()));
    for (int i = 0; ag && i < c->nagreements; i++) {
        const struct contract_agreement *a = &c->agreements[i];
        json_array_append_new(ag, json_pack("{s:I, s:s?, s:s?, s:f, s:s, s:s}", "indicatorId",
                                            (json_int_t)a->indicator_id, "indicatorCode",
                                            a->indicator_code, "indicatorNaam", a->indicator_name,
                                            "streefwaarde", a->target, "vergelijking",
                                            agreement_comparison_code(a->comparison), "toelichting",
                                            a->note ? a->note : ""));
    }
    json_object_set_new(j, "gemeenten", g ? g : json_array());
    json_object_set_new(j, "producten", p ? p : json_array());
    json_object_set_new(j, "resultaatafspraken", ag ? ag : json_array());
    return j;
}

static void send_contract(struct http_req *req, int status, int64_t id)
{
    struct contract c;
    int rc = contract_get(req->arena, req->app->store, &req->actor, id, &c);
    if (rc != 0) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    if (status == 201)
        api_send_created(req, COLLECTION, id, contract_json(&c));
    else
        api_send(req, status, contract_json(&c));
}

/* GET /api/v1/contracten */
static void list(struct http_req *req)
{
    static const char *const params[] = {"gemeente", "aanbieder",    "eigenaar",
                                         "jaar",     "gearchiveerd", NULL};
    struct api_page p;
    struct contract_filter f = {0};
    const char *year = NULL;
    if (api_query_or_reply(req, params, &p) ||
        api_query_text_or_reply(req, "gemeente", &f.gemeente) ||
        api_query_id_or_reply(req, "aanbieder", &f.aanbieder_id) ||
        api_query_id_or_reply(req, "eigenaar", &f.owner_org_id) ||
        api_query_text_or_reply(req, "jaar", &year) ||
        api_query_bool_or_reply(req, "gearchiveerd", &f.include_archived))
        return;
    if (year) {
        int64_t y;
        if (str_parse_i64_c(year, 1900, 2099, &y) != 0) {
            api_reply_invalid(req, "jaar", _("Gebruik een jaartal, bijvoorbeeld 2026."));
            return;
        }
        f.year = (int)y;
    }
    f.limit = p.limit;
    f.offset = p.offset;
    struct contract *rows = NULL;
    int n = 0, total = 0;
    int rc = contract_list(req->arena, req->app->store, &req->actor, &f, &rows, &n, &total);
    if (rc != 0) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    json_t *items = json_array();
    for (int i = 0; items && i < n; i++)
        if (json_array_append_new(items, contract_json(&rows[i])) != 0) {
            json_decref(items);
            items = NULL;
        }
    api_send_list(req, items, total, &p);
}

/* The attributes of create and patch. */
struct contract_body {
    const char *law, *variant, *from, *to;
    int64_t owner, aanbieder, budget, cap, version;
    bool archived;
    struct api_list gemeenten;
    bool has_name, has_owner, has_aanbieder, has_law, has_variant, has_from, has_to, has_budget,
        has_cap, has_note, has_gemeenten, has_products, has_agreements, has_archived;
    struct contract_product products[CONTRACT_MAX_PRODUCTS];
    int nproducts;
    struct contract_agreement agreements[CONTRACT_MAX_AGREEMENTS];
    int nagreements;
};

/* "producten": [{"categorie": "45", "code": "45A03" | null}] */
static int products_or_reply(struct http_req *req, json_t *arr, struct contract_body *b)
{
    const char *why = _("Geef een lijst van {\"categorie\": \"45\", \"code\": \"45A03\" of null}.");
    if (!json_is_array(arr) || json_array_size(arr) > CONTRACT_MAX_PRODUCTS) {
        api_reply_invalid(req, "producten", why);
        return ERR_INVALID;
    }
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        json_t *cat = json_object_get(v, "categorie"), *code = json_object_get(v, "code");
        if (!json_is_object(v) || json_object_size(v) > 2 || !json_is_string(cat) ||
            json_string_length(cat) != 2 ||
            (code && !json_is_null(code) && !json_is_string(code)) ||
            (json_is_string(code) && json_string_length(code) > 5)) {
            api_reply_invalid(req, "producten", why);
            return ERR_INVALID;
        }
        struct contract_product *p = &b->products[b->nproducts++];
        snprintf(p->category, sizeof p->category, "%s", json_string_value(cat));
        snprintf(p->code, sizeof p->code, "%s",
                 json_is_string(code) ? json_string_value(code) : "");
    }
    return 0;
}

/* "resultaatafspraken": [{"indicatorId": 3, "streefwaarde": 80, "vergelijking": "min",
 * "toelichting": ""}] */
static int agreements_or_reply(struct http_req *req, json_t *arr, struct contract_body *b)
{
    const char *why = _("Geef een lijst van {\"indicatorId\", \"streefwaarde\", \"vergelijking\": "
                        "\"min\" of \"max\", \"toelichting\"}.");
    if (!json_is_array(arr) || json_array_size(arr) > CONTRACT_MAX_AGREEMENTS) {
        api_reply_invalid(req, "resultaatafspraken", why);
        return ERR_INVALID;
    }
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        json_t *ind = json_object_get(v, "indicatorId"), *t = json_object_get(v, "streefwaarde"),
               *cmp = json_object_get(v, "vergelijking"), *note = json_object_get(v, "toelichting");
        size_t known = (ind != NULL) + (t != NULL) + (cmp != NULL) + (note != NULL);
        struct contract_agreement *a = &b->agreements[b->nagreements];
        if (!json_is_object(v) || json_object_size(v) != known || !json_is_integer(ind) ||
            json_integer_value(ind) <= 0 || !json_is_number(t) || !json_is_string(cmp) ||
            agreement_comparison_parse(json_string_value(cmp), &a->comparison) != 0 ||
            (note && !json_is_string(note))) {
            api_reply_invalid(req, "resultaatafspraken", why);
            return ERR_INVALID;
        }
        a->indicator_id = (int64_t)json_integer_value(ind);
        a->target = json_number_value(t);
        a->note = note ? json_string_value(note) : "";
        b->nagreements++;
    }
    return 0;
}

static int day_or_reply(struct http_req *req, const char *name, const char *s, day_t *out)
{
    if (!s) {
        *out = DAY_NONE;
        return 0;
    }
    if (str_parse_date_iso(str_from(s), out) != 0) {
        api_reply_invalid(req, name, _("Gebruik een datum als JJJJ-MM-DD."));
        return ERR_INVALID;
    }
    return 0;
}

static int body_or_reply(struct http_req *req, bool create, struct contract_body *b,
                         struct contract_input *in)
{
    json_t *body;
    unsigned rq = create ? API_REQUIRED : 0;
    b->gemeenten = (struct api_list){.max = CONTRACT_MAX_GEMEENTEN};
    if (api_body_or_reply(req, &body))
        return ERR_INVALID;
    /* Arrays of objects are read here; the flat attributes by the strict table. */
    json_t *prods = json_object_get(body, "producten"),
           *ags = json_object_get(body, "resultaatafspraken");
    if (prods) {
        b->has_products = true;
        if (!json_is_null(prods) && products_or_reply(req, prods, b))
            return ERR_INVALID;
        json_object_del(body, "producten");
    }
    if (ags) {
        b->has_agreements = true;
        if (!json_is_null(ags) && agreements_or_reply(req, ags, b))
            return ERR_INVALID;
        json_object_del(body, "resultaatafspraken");
    }
    const struct api_field fields[] = {
        {"naam", API_STRING, rq, &in->name, &b->has_name, 0, 0},
        {"eigenaarId", create ? API_INT : API_READONLY, 0, create ? &b->owner : NULL, &b->has_owner,
         1, INT64_MAX},
        {"aanbiederId", API_INT, rq, &b->aanbieder, &b->has_aanbieder, 1, INT64_MAX},
        {"wet", API_STRING, rq, &b->law, &b->has_law, 0, 0},
        {"uitvoeringsvariant", API_STRING, rq, &b->variant, &b->has_variant, 0, 0},
        {"begindatum", API_STRING, rq, &b->from, &b->has_from, 0, 0},
        {"einddatum", API_STRING, API_NULLABLE, &b->to, &b->has_to, 0, 0},
        {"budgetCent", API_INT, 0, &b->budget, &b->has_budget, 0, CONTRACT_MONEY_MAX},
        {"omzetplafondCent", API_INT, API_NULLABLE, &b->cap, &b->has_cap, 0, CONTRACT_MONEY_MAX},
        {"toelichting", API_STRING, API_NULLABLE, &in->note, &b->has_note, 0, 0},
        {"gemeenten", API_STRINGS, API_NULLABLE, &b->gemeenten, &b->has_gemeenten, 0, 0},
        {"gearchiveerd", create ? API_READONLY : API_BOOL, 0, create ? NULL : &b->archived,
         &b->has_archived, 0, 0},
        {"versie", create ? API_READONLY : API_INT, create ? 0 : API_REQUIRED,
         create ? NULL : &b->version, NULL, 1, INT64_MAX},
        {"id", API_READONLY, 0, NULL, NULL, 0, 0},
        {"eigenaarNaam", API_READONLY, 0, NULL, NULL, 0, 0},
        {"aanbiederNaam", API_READONLY, 0, NULL, NULL, 0, 0},
        {"aangemaaktOp", API_READONLY, 0, NULL, NULL, 0, 0},
        {"gewijzigdOp", API_READONLY, 0, NULL, NULL, 0, 0},
    };
    if (api_fields_or_reply(req, body, fields, (int)ARRAY_LEN(fields)))
        return ERR_INVALID;
    if (b->has_law) {
        if (strcmp(b->law, "jeugdwet") == 0)
            in->law = LAW_JW;
        else if (strcmp(b->law, "wmo") == 0)
            in->law = LAW_WMO;
        else {
            api_reply_invalid(req, "wet", _("Kies jeugdwet of wmo."));
            return ERR_INVALID;
        }
    }
    if (b->has_variant && contract_variant_parse(b->variant, &in->variant) != 0) {
        api_reply_invalid(req, "uitvoeringsvariant",
                          _("Kies inspanningsgericht, outputgericht of taakgericht."));
        return ERR_INVALID;
    }
    if ((b->has_from && day_or_reply(req, "begindatum", b->from, &in->valid_from)) ||
        (b->has_to && day_or_reply(req, "einddatum", b->to, &in->valid_to)))
        return ERR_INVALID;
    return 0;
}

/* POST /api/v1/contracten */
static void create(struct http_req *req)
{
    struct contract_body *b = arena_calloc(req->arena, 1, sizeof *b);
    struct contract_input in = {.valid_to = DAY_NONE, .cap_cents = -1};
    struct err_ctx e = {0};
    int64_t id = 0;
    if (!b) {
        api_reply_err(req, ERR_NOMEM, NULL, aliases);
        return;
    }
    b->cap = -1;
    if (api_query_or_reply(req, NULL, NULL) || body_or_reply(req, true, b, &in))
        return;
    in.owner_org_id = b->has_owner ? b->owner : 0;
    in.aanbieder_id = b->aanbieder;
    in.budget_cents = b->has_budget ? b->budget : 0;
    in.cap_cents = b->cap; /* -1 when absent or null: no omzetplafond */
    in.gemeenten = b->gemeenten.strs;
    in.ngemeenten = b->gemeenten.n;
    in.products = b->products;
    in.nproducts = b->nproducts;
    in.agreements = b->agreements;
    in.nagreements = b->nagreements;
    int rc = contract_create(req->app->store, &req->actor, &in, &id, req->arena, &e);
    if (rc != 0) {
        api_reply_err(req, rc, &e, aliases);
        return;
    }
    send_contract(req, 201, id);
}

/* GET /api/v1/contracten/{id} */
static void get(struct http_req *req)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, NULL))
        return;
    send_contract(req, 200, id);
}

/* PATCH /api/v1/contracten/{id}: merge patch; `gearchiveerd` archives or restores. */
static void patch(struct http_req *req)
{
    struct contract_body *b = arena_calloc(req->arena, 1, sizeof *b);
    struct contract_input in = {.valid_to = DAY_NONE, .cap_cents = -1};
    struct contract cur;
    struct err_ctx e = {0};
    int64_t id;
    if (!b) {
        api_reply_err(req, ERR_NOMEM, NULL, aliases);
        return;
    }
    b->cap = -1;
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, NULL) ||
        body_or_reply(req, false, b, &in))
        return;
    int rc = contract_get(req->arena, req->app->store, &req->actor, id, &cur);
    if (rc != 0) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    bool edit = b->has_name || b->has_aanbieder || b->has_law || b->has_variant || b->has_from ||
                b->has_to || b->has_budget || b->has_cap || b->has_note || b->has_gemeenten ||
                b->has_products || b->has_agreements;
    int64_t version = b->version;
    /* Restoring comes before an edit (an archived contract cannot be edited). */
    if (b->has_archived && !b->archived && cur.archived) {
        rc =
            contract_set_archived(req->app->store, &req->actor, id, version, false, req->arena, &e);
        version++;
    }
    if (rc == 0 && edit) {
        in.version = version;
        if (!b->has_name)
            in.name = cur.name;
        in.aanbieder_id = b->has_aanbieder ? b->aanbieder : cur.aanbieder_id;
        if (!b->has_law)
            in.law = cur.law;
        if (!b->has_variant)
            in.variant = cur.variant;
        if (!b->has_from)
            in.valid_from = cur.valid_from;
        if (!b->has_to)
            in.valid_to = cur.valid_to;
        in.budget_cents = b->has_budget ? b->budget : cur.budget_cents;
        in.cap_cents = b->has_cap ? b->cap : cur.cap_cents;
        if (!b->has_note)
            in.note = cur.note;
        const char **gs = arena_calloc(req->arena, (size_t)cur.ngemeenten + 1, sizeof *gs);
        for (int k = 0; gs && k < cur.ngemeenten; k++)
            gs[k] = cur.gemeenten[k];
        in.gemeenten = b->has_gemeenten ? b->gemeenten.strs : gs;
        in.ngemeenten = b->has_gemeenten ? b->gemeenten.n : cur.ngemeenten;
        in.products = b->has_products ? b->products : cur.products;
        in.nproducts = b->has_products ? b->nproducts : cur.nproducts;
        in.agreements = b->has_agreements ? b->agreements : cur.agreements;
        in.nagreements = b->has_agreements ? b->nagreements : cur.nagreements;
        rc = contract_update(req->app->store, &req->actor, id, &in, req->arena, &e);
        version++;
    }
    if (rc == 0 && b->has_archived && b->archived && !cur.archived)
        rc = contract_set_archived(req->app->store, &req->actor, id, version, true, req->arena, &e);
    else if (rc == 0 && !edit && !b->has_archived && b->version != cur.version)
        rc = err_set(&e, ERR_CONFLICT, "version", "%s",
                     _("Iemand anders heeft dit contract intussen gewijzigd. Laad het opnieuw."));
    if (rc != 0) {
        api_reply_err(req, rc, &e, aliases);
        return;
    }
    send_contract(req, 200, id);
}

/* GET /api/v1/contracten/{id}/bedrijfsvoering?jaar=2026 */
static void figures(struct http_req *req)
{
    static const char *const params[] = {"jaar", NULL};
    int64_t id;
    const char *year_s = NULL;
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, params, NULL) ||
        api_query_text_or_reply(req, "jaar", &year_s))
        return;
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    day_t today = day_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    int64_t year = tm.tm_year + 1900;
    if (year_s && str_parse_i64_c(year_s, 1900, 2099, &year) != 0) {
        api_reply_invalid(req, "jaar", _("Gebruik een jaartal, bijvoorbeeld 2026."));
        return;
    }
    struct contract c;
    int rc = contract_get(req->arena, req->app->store, &req->actor, id, &c);
    if (rc != 0) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    struct dc_rules rules;
    dc_rules_for(req->app->cfg, figures_audience(req), &rules);
    struct contract_figures f;
    if ((rc = contract_figures_compute(req->arena, req->app->store, &c, (int)year, today, &rules,
                                       &f))) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    json_t *months = json_array();
    for (int i = 0; months && i < 12; i++)
        json_array_append_new(months, json_integer((json_int_t)f.spend_month[i]));
    const struct disclosed_count *counts[] = {&f.clients, &f.trajectories, &f.started, &f.ended};
    static const char *const names[] = {"clienten", "trajecten", "gestart", "beeindigd"};
    json_t *cnt = json_object();
    for (size_t i = 0; cnt && i < ARRAY_LEN(counts); i++)
        json_object_set_new(cnt, names[i],
                            counts[i]->hidden
                                ? json_pack("{s:n, s:b, s:s?}", "waarde", "verborgen", true,
                                            "reden", counts[i]->why)
                                : json_pack("{s:I, s:b}", "waarde", (json_int_t)counts[i]->value,
                                            "verborgen", false));
    json_t *j = json_pack(
        "{s:I, s:I, s:o, s:I, s:I, s:o, s:s, s:s, s:I, s:I, s:o, s:b, s:b, s:b, s:o, s:o}",
        "contractId", (json_int_t)c.id, "jaar", (json_int_t)year, "uitgavenPerMaandCent", months,
        "uitgavenCent", (json_int_t)f.spend_total, "declaratieregels", (json_int_t)f.claim_lines,
        "prognoseCent", json_integer((json_int_t)f.projected_total), "prognoseMethode",
        projection_method_code(f.method), "prognoseUitleg", projection_method_label(f.method),
        "budgetCent", (json_int_t)f.budget_cents, "laatsteMaand", (json_int_t)f.last_month,
        "omzetplafondCent", f.cap_cents >= 0 ? json_integer((json_int_t)f.cap_cents) : json_null(),
        "bovenPlafond", f.over_cap, "prognoseBovenPlafond", f.over_cap_projected,
        "prognoseBovenBudget", f.over_budget_projected, "aantallen", cnt ? cnt : json_object(),
        "medianeDoorlooptijdDagen", f.has_median ? json_real(f.median_days) : json_null());
    api_send(req, 200, j);
}

const struct route api_contract_routes[] = {
    {"GET", API_PREFIX COLLECTION, list, ROUTE_API, "api.contract.list"},
    {"POST", API_PREFIX COLLECTION, create, ROUTE_API, "api.contract.create"},
    {"GET", API_PREFIX COLLECTION "/{id}", get, ROUTE_API, "api.contract.get"},
    {"PATCH", API_PREFIX COLLECTION "/{id}", patch, ROUTE_API, "api.contract.patch"},
    {"GET", API_PREFIX COLLECTION "/{id}/bedrijfsvoering", figures, ROUTE_API,
     "api.contract.figures"},
    ROUTES_END,
};
