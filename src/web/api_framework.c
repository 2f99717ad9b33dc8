/*
 * api_framework.c: /api/v1/kwaliteitskaders: the regional quality frameworks, their criteria
 * (regional and local), the version history, the duplicate check with merge and "not a
 * duplicate", and import and export as CSV/XLSX. Edits carry the `versie` the client last saw
 * (optimistic locking). The framework's guiding principles (`leidendePrincipes`, stored by
 * domain/review.h) are part of the framework: shown by GET, changed by PATCH. Design notes:
 * docs/api.md, docs/framework.md and docs/verification.md.
 */
#include "core/common.h"
#include "domain/framework.h"
#include "domain/review.h"
#include "ingest/framework_import.h"
#include "report/framework_export.h"
#include "web/api_json.h"
#include "web/app.h"
#include "web/router.h"

#define COLLECTION "/kwaliteitskaders"
#define CRITERIA   "/kwaliteitscriteria" /* one criterion: flat, it knows its framework */
#define XLSX_TYPE  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

static const struct api_alias aliases[] = {
    {"owner_org_id", "eigenaarId"},
    {"name", "naam"},
    {"description", "omschrijving"},
    {"version", "versie"},
    {"theme", "thema"},
    {"code", "code"},
    {"text", "tekst"},
    {"source", "bronsoort"},
    {"source_ref", "bron"},
    {"laws", "wetten"},
    {"categories", "productcategorieen"},
    {"evidence", "bewijs"},
    {"verify", "verificatie"},
    {"local_org_id", "gemeenteId"},
    {"drop", "samenvoegenId"},
    {"b", "criteriumIdB"},
    {"principles", "leidendePrincipes"},
    {NULL, NULL},
};

/* ---- Representations. ---- */

static json_t *framework_json(const struct framework *f)
{
    return json_pack("{s:I, s:I, s:s?, s:s, s:s?, s:b, s:I, s:i, s:s?, s:s?}", "id",
                     (json_int_t)f->id, "eigenaarId", (json_int_t)f->owner_org_id, "eigenaarNaam",
                     f->owner_name, "naam", f->name, "omschrijving",
                     f->description && *f->description ? f->description : NULL, "gearchiveerd",
                     f->archived, "versie", (json_int_t)f->version, "aantalCriteria", f->ncriteria,
                     "aangemaaktOp", f->created_at, "gewijzigdOp", f->updated_at);
}

/* "jw,wmo" -> ["jw","wmo"]. */
static json_t *code_list(const char *codes)
{
    json_t *arr = json_array();
    const char *p = codes;
    while (arr && p && *p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (json_array_append_new(arr, json_stringn(p, n)) != 0) {
            json_decref(arr);
            return NULL;
        }
        p += n + (comma ? 1 : 0);
    }
    return arr;
}

static json_t *criterion_json(const struct criterion *c)
{
    json_t *extra = json_array();
    for (int i = 0; extra && i < c->nextra; i++)
        if (json_array_append_new(
                extra, json_pack("{s:s, s:s, s:I}", "bronsoort", fw_source_code(c->extra[i].kind),
                                 "bron", c->extra[i].ref ? c->extra[i].ref : "", "uitCriteriumId",
                                 (json_int_t)c->extra[i].from_criterion_id)) != 0) {
            json_decref(extra);
            extra = NULL;
        }
    json_t *laws = code_list(fw_laws_code(c->laws)), *verify = code_list(fw_verify_code(c->verify));
    json_t *gem = c->local_org_id ? json_integer(c->local_org_id) : json_null();
    json_t *merged = c->merged_into ? json_integer(c->merged_into) : json_null();
    if (!extra || !laws || !verify || !gem || !merged) {
        json_decref(extra);
        json_decref(laws);
        json_decref(verify);
        json_decref(gem);
        json_decref(merged);
        return NULL;
    }
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:o, s:o, s:s?, "
                     "s:b, s:o, s:I, s:s?}",
                     "id", (json_int_t)c->id, "kwaliteitskaderId", (json_int_t)c->framework_id,
                     "code", c->code, "thema", c->theme_name, "tekst", c->text, "bronsoort",
                     fw_source_code(c->source), "bron", c->source_ref ? c->source_ref : "",
                     "extraBronnen", extra, "wetten", laws, "productcategorieen",
                     c->categories ? c->categories : "", "bewijs", c->evidence ? c->evidence : "",
                     "verificatie", verify, "gemeenteId", gem, "gemeenteNaam", c->local_org_name,
                     "gearchiveerd", c->archived, "samengevoegdIn", merged, "versie",
                     (json_int_t)c->version, "gewijzigdOp", c->updated_at);
}

static json_t *append_or_fail(json_t *arr, json_t *item)
{
    if (!arr || !item || json_array_append_new(arr, item) != 0) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

/* ---- Frameworks. ---- */

static void send_framework(struct http_req *req, int status, int64_t id)
{
    struct framework f;
    struct fw_theme *th = NULL;
    const char *principles = "";
    int nt = 0;
    int rc = framework_get(req->arena, req->app->store, &req->actor, id, &f);
    if (!rc)
        rc = framework_themes(req->arena, req->app->store, &req->actor, id, &th, &nt);
    if (!rc)
        rc = review_principles(req->arena, req->app->store, id, &principles);
    if (rc) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    json_t *j = framework_json(&f), *themes = json_array();
    for (int i = 0; themes && i < nt; i++)
        themes = append_or_fail(themes, json_pack("{s:I, s:i, s:s}", "id", (json_int_t)th[i].id,
                                                  "volgorde", th[i].position, "naam", th[i].name));
    if (j && (!themes || json_object_set_new(j, "themas", themes) != 0 ||
              json_object_set_new(j, "leidendePrincipes", json_string(principles)) != 0)) {
        json_decref(j);
        j = NULL;
    }
    if (status == 201)
        api_send_created(req, COLLECTION, id, j);
    else
        api_send(req, status, j);
}

/* GET /api/v1/kwaliteitskaders */
static void list(struct http_req *req)
{
    static const char *const params[] = {"eigenaar", NULL};
    struct api_page p;
    int64_t owner = 0;
    struct framework *fs = NULL;
    int n = 0;
    if (api_query_or_reply(req, params, &p) || api_query_id_or_reply(req, "eigenaar", &owner))
        return;
    int rc = framework_list(req->arena, req->app->store, &req->actor, owner, &fs, &n);
    if (rc) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    json_t *items = json_array();
    for (int i = p.offset; items && i < n && i < p.offset + p.size; i++)
        items = append_or_fail(items, framework_json(&fs[i]));
    api_send_list(req, items, n, &p);
}

/* POST /api/v1/kwaliteitskaders. Without eigenaarId the framework belongs to the caller's own
 * organisation (which must be a region). */
static void create(struct http_req *req)
{
    json_t *body;
    int64_t owner = 0, id = 0;
    struct framework_input in = {0};
    struct err_ctx e = {0};
    const struct api_field fields[] = {
        {"eigenaarId", API_INT, 0, &owner, NULL, 1, INT64_MAX},
        {"naam", API_STRING, API_REQUIRED, &in.name, NULL, 0, 0},
        {"omschrijving", API_STRING, API_NULLABLE, &in.description, NULL, 0, 0},
    };
    if (api_query_or_reply(req, NULL, NULL) || api_body_or_reply(req, &body) ||
        api_fields_or_reply(req, body, fields, (int)ARRAY_LEN(fields)))
        return;
    in.owner_org_id = owner ? owner : req->actor.org_id;
    int rc = framework_create(req->app->store, &req->actor, &in, &id, &e);
    if (rc) {
        api_reply_err(req, rc, &e, aliases);
        return;
    }
    send_framework(req, 201, id);
}

/* GET /api/v1/kwaliteitskaders/{id} */
static void get(struct http_req *req)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, NULL))
        return;
    send_framework(req, 200, id);
}

/* PATCH /api/v1/kwaliteitskaders/{id}: naam, omschrijving and leidendePrincipes; `versie`
 * required. Each part that changes makes a framework version; the principles are checked
 * before anything is written, so a bad text changes nothing. */
static void patch(struct http_req *req)
{
    int64_t id, version = 0;
    json_t *body;
    struct framework cur;
    struct framework_input in = {0};
    struct err_ctx e = {0};
    bool has_name = false, has_desc = false, has_princ = false;
    const char *name = NULL, *desc = NULL, *princ = NULL;
    const struct api_field fields[] = {
        {"versie", API_INT, API_REQUIRED, &version, NULL, 1, INT64_MAX},
        {"naam", API_STRING, 0, &name, &has_name, 0, 0},
        {"omschrijving", API_STRING, API_NULLABLE, &desc, &has_desc, 0, 0},
        {"leidendePrincipes", API_STRING, API_NULLABLE, &princ, &has_princ, 0, 0},
        {"id", API_READONLY, 0, NULL, NULL, 0, 0},
        {"eigenaarId", API_READONLY, 0, NULL, NULL, 0, 0},
        {"eigenaarNaam", API_READONLY, 0, NULL, NULL, 0, 0},
        {"gearchiveerd", API_READONLY, 0, NULL, NULL, 0, 0},
        {"aantalCriteria", API_READONLY, 0, NULL, NULL, 0, 0},
        {"aangemaaktOp", API_READONLY, 0, NULL, NULL, 0, 0},
        {"gewijzigdOp", API_READONLY, 0, NULL, NULL, 0, 0},
        {"themas", API_READONLY, 0, NULL, NULL, 0, 0},
    };
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, NULL) ||
        api_body_or_reply(req, &body) ||
        api_fields_or_reply(req, body, fields, (int)ARRAY_LEN(fields)))
        return;
    int rc = framework_get(req->arena, req->app->store, &req->actor, id, &cur);
    if (rc) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    bool edit = has_name || has_desc;
    if (has_princ && !edit) { /* the domain checks rights, then the version, then the text */
        rc = review_update_principles(req->app->store, &req->actor, id, version, princ ? princ : "",
                                      &e);
    } else {
        in.owner_org_id = cur.owner_org_id;
        in.name = has_name ? name : cur.name;
        in.description = has_desc ? desc : cur.description;
        in.version = version;
        /* Both: the principles are validated before anything is written, so that nothing is
         * half done; rights and version still come first (as framework_update does). */
        struct object_ref o = {.kind = OBJ_FRAMEWORK,
                               .id = id,
                               .owner_org_id = cur.owner_org_id,
                               .owner_org_kind = ORG_REGION};
        if (has_princ && !policy_allows(&req->actor, ACT_EDIT, &o))
            rc = ERR_DENIED;
        else if (has_princ && version != cur.version)
            rc = err_set(&e, ERR_CONFLICT, "version", "%s",
                         _("Iemand anders heeft dit kwaliteitskader intussen gewijzigd. Laad de "
                           "pagina opnieuw."));
        else if (has_princ)
            rc = review_principles_check(princ ? princ : "", &e);
        if (rc == 0)
            rc = framework_update(req->app->store, &req->actor, id, &in, &e);
        if (rc == 0 && has_princ) {
            struct framework now;
            rc = framework_get(req->arena, req->app->store, &req->actor, id, &now);
            if (rc == 0)
                rc = review_update_principles(req->app->store, &req->actor, id, now.version,
                                              princ ? princ : "", &e);
        }
    }
    if (rc) {
        api_reply_err(req, rc, &e, aliases);
        return;
    }
    send_framework(req, 200, id);
}

/* GET /api/v1/kwaliteitskaders/{id}/versies */
static void versions(struct http_req *req)
{
    int64_t id;
    struct api_page p;
    struct fw_version *v = NULL;
    int n = 0;
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, &p))
        return;
    int rc = framework_versions(req->arena, req->app->store, &req->actor, id, &v, &n);
    if (rc) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    json_t *items = json_array();
    for (int i = p.offset; items && i < n && i < p.offset + p.size; i++)
        items = append_or_fail(items, json_pack("{s:I, s:s, s:s?, s:s}", "versie",
                                                (json_int_t)v[i].version, "gewijzigdOp",
                                                v[i].changed_at, "gewijzigdDoor", v[i].changed_by,
                                                "samenvatting", v[i].summary));
    api_send_list(req, items, n, &p);
}

/* ---- Criteria. ---- */

/* Parses an array of codes with a parser like fw_laws_parse. */
static int codes_or_reply(struct http_req *req, const char *name, const struct api_list *l,
                          int (*parse)(const char *, unsigned *), unsigned *out)
{
    unsigned bits = 0;
    for (int i = 0; i < l->n; i++) {
        unsigned b = 0;
        if (parse(l->strs[i], &b) != 0) {
            api_reply_invalid(req, name, _("Onbekende waarde in de lijst."));
            return ERR_INVALID;
        }
        bits |= b;
    }
    *out = bits;
    return 0;
}

/* Reads the writable attributes of a criterion; `partial` for PATCH (nothing required). */
struct crit_body {
    const char *code, *theme, *text, *source, *source_ref, *categories, *evidence;
    struct api_list laws, verify;
    int64_t gemeente, version;
    bool archived;
    bool has[12];
};

enum {
    H_CODE,
    H_THEME,
    H_TEXT,
    H_SOURCE,
    H_REF,
    H_CATS,
    H_EVID,
    H_LAWS,
    H_VERIFY,
    H_GEM,
    H_ARCH,
    H_VERSION
};

static int crit_body_or_reply(struct http_req *req, struct crit_body *b, bool partial)
{
    json_t *body;
    unsigned req_flag = partial ? 0 : API_REQUIRED;
    b->laws.max = b->verify.max = 8;
    const struct api_field fields[] = {
        {"code", API_STRING, req_flag, &b->code, &b->has[H_CODE], 0, 0},
        {"thema", API_STRING, req_flag, &b->theme, &b->has[H_THEME], 0, 0},
        {"tekst", API_STRING, req_flag, &b->text, &b->has[H_TEXT], 0, 0},
        {"bronsoort", API_STRING, req_flag, &b->source, &b->has[H_SOURCE], 0, 0},
        {"bron", API_STRING, API_NULLABLE, &b->source_ref, &b->has[H_REF], 0, 0},
        {"productcategorieen", API_STRING, API_NULLABLE, &b->categories, &b->has[H_CATS], 0, 0},
        {"bewijs", API_STRING, API_NULLABLE, &b->evidence, &b->has[H_EVID], 0, 0},
        {"wetten", API_STRINGS, req_flag, &b->laws, &b->has[H_LAWS], 0, 0},
        {"verificatie", API_STRINGS, req_flag, &b->verify, &b->has[H_VERIFY], 0, 0},
        {"gemeenteId", API_INT, API_NULLABLE, &b->gemeente, &b->has[H_GEM], 1, INT64_MAX},
        {"gearchiveerd", partial ? API_BOOL : API_READONLY, 0, &b->archived, &b->has[H_ARCH], 0, 0},
        {"versie", partial ? API_INT : API_READONLY, partial ? API_REQUIRED : 0, &b->version,
         &b->has[H_VERSION], 1, INT64_MAX},
        {"id", API_READONLY, 0, NULL, NULL, 0, 0},
        {"kwaliteitskaderId", API_READONLY, 0, NULL, NULL, 0, 0},
        {"extraBronnen", API_READONLY, 0, NULL, NULL, 0, 0},
        {"gemeenteNaam", API_READONLY, 0, NULL, NULL, 0, 0},
        {"samengevoegdIn", API_READONLY, 0, NULL, NULL, 0, 0},
        {"gewijzigdOp", API_READONLY, 0, NULL, NULL, 0, 0},
    };
    return api_body_or_reply(req, &body) ||
           api_fields_or_reply(req, body, fields, (int)ARRAY_LEN(fields));
}

/* Fills in from the body, on top of cur (PATCH) or empty (POST). */
static int crit_input_or_reply(struct http_req *req, const struct crit_body *b,
                               const struct criterion *cur, struct criterion_input *in)
{
    if (cur) {
        *in = (struct criterion_input){.theme = cur->theme_name,
                                       .local_org_id = cur->local_org_id,
                                       .code = cur->code,
                                       .text = cur->text,
                                       .source = (int)cur->source,
                                       .source_ref = cur->source_ref,
                                       .laws = cur->laws,
                                       .categories = cur->categories,
                                       .evidence = cur->evidence,
                                       .verify = cur->verify};
    }
    if (b->has[H_CODE])
        in->code = b->code;
    if (b->has[H_THEME])
        in->theme = b->theme;
    if (b->has[H_TEXT])
        in->text = b->text;
    if (b->has[H_REF])
        in->source_ref = b->source_ref;
    if (b->has[H_CATS])
        in->categories = b->categories;
    if (b->has[H_EVID])
        in->evidence = b->evidence;
    if (b->has[H_GEM])
        in->local_org_id = b->gemeente;
    in->version = b->version;
    if (b->has[H_SOURCE]) {
        enum fw_source s;
        if (fw_source_parse(b->source, &s) != 0) {
            api_reply_invalid(req, "bronsoort",
                              _("Onbekende bronsoort. Kies uit branchenorm, certificering, "
                                "wetsartikel, contracteis en lokaal."));
            return ERR_INVALID;
        }
        in->source = (int)s;
    }
    if (b->has[H_LAWS] && codes_or_reply(req, "wetten", &b->laws, fw_laws_parse, &in->laws))
        return ERR_INVALID;
    if (b->has[H_VERIFY] &&
        codes_or_reply(req, "verificatie", &b->verify, fw_verify_parse, &in->verify))
        return ERR_INVALID;
    return 0;
}

/* The criterion {id} (GET/PATCH /api/v1/kwaliteitscriteria/{id}), or a reply. */
static int criterion_or_reply(struct http_req *req, struct criterion *c)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id))
        return ERR_NOT_FOUND;
    int rc = criterion_get(req->arena, req->app->store, &req->actor, id, c);
    if (rc)
        api_reply_err(req, rc, NULL, aliases);
    return rc;
}

/* GET /api/v1/kwaliteitskaders/{id}/criteria */
static void criteria_list(struct http_req *req)
{
    static const char *const params[] = {"inclusiefGearchiveerd", NULL};
    int64_t id;
    struct api_page p;
    bool archived = false;
    struct criterion *cs = NULL;
    int n = 0;
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, params, &p) ||
        api_query_bool_or_reply(req, "inclusiefGearchiveerd", &archived))
        return;
    int rc = framework_criteria(req->arena, req->app->store, &req->actor, id, archived, &cs, &n);
    if (rc) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    json_t *items = json_array();
    for (int i = p.offset; items && i < n && i < p.offset + p.size; i++)
        items = append_or_fail(items, criterion_json(&cs[i]));
    api_send_list(req, items, n, &p);
}

static void send_criterion(struct http_req *req, int status, int64_t fw, int64_t id)
{
    struct criterion c;
    int rc = criterion_get(req->arena, req->app->store, &req->actor, id, &c);
    if (rc) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    (void)fw;
    if (status == 201)
        api_send_created(req, CRITERIA, id, criterion_json(&c));
    else
        api_send(req, status, criterion_json(&c));
}

/* POST /api/v1/kwaliteitskaders/{id}/criteria */
static void criteria_create(struct http_req *req)
{
    int64_t fw, id = 0;
    struct crit_body b = {0};
    const char *laws[8], *verify[8];
    struct criterion_input in = {0};
    struct err_ctx e = {0};
    b.laws.strs = laws;
    b.verify.strs = verify;
    if (http_param_id_or_404(req, 0, &fw) || api_query_or_reply(req, NULL, NULL) ||
        crit_body_or_reply(req, &b, false) || crit_input_or_reply(req, &b, NULL, &in))
        return;
    int rc = criterion_create(req->app->store, &req->actor, fw, &in, &id, &e);
    if (rc) {
        api_reply_err(req, rc, &e, aliases);
        return;
    }
    send_criterion(req, 201, fw, id);
}

/* GET /api/v1/kwaliteitscriteria/{id} */
static void criteria_get(struct http_req *req)
{
    struct criterion c;
    if (api_query_or_reply(req, NULL, NULL) || criterion_or_reply(req, &c))
        return;
    api_send(req, 200, criterion_json(&c));
}

/* PATCH /api/v1/kwaliteitscriteria/{id}: merge patch with `versie`. */
static void criteria_patch(struct http_req *req)
{
    struct criterion cur;
    struct crit_body b = {0};
    const char *laws[8], *verify[8];
    struct criterion_input in = {0};
    struct err_ctx e = {0};
    b.laws.strs = laws;
    b.verify.strs = verify;
    if (api_query_or_reply(req, NULL, NULL) || crit_body_or_reply(req, &b, true) ||
        criterion_or_reply(req, &cur) || crit_input_or_reply(req, &b, &cur, &in))
        return;
    bool edit = false;
    for (int i = H_CODE; i <= H_GEM; i++)
        edit = edit || b.has[i];
    int rc = 0;
    if (!edit && b.version != cur.version) {
        http_resp_problem(req, 409, _("Conflict"),
                          _("Iemand anders heeft dit criterium intussen gewijzigd. Haal de "
                            "nieuwste versie op en breng uw wijziging opnieuw aan."),
                          NULL);
        return;
    }
    if (edit)
        rc = criterion_update(req->app->store, &req->actor, cur.id, &in, &e);
    if (rc == 0 && b.has[H_ARCH] && b.archived != cur.archived)
        rc = criterion_set_archived(req->app->store, &req->actor, cur.id, b.archived, &e);
    if (rc) {
        api_reply_err(req, rc, &e, aliases);
        return;
    }
    send_criterion(req, 200, cur.framework_id, cur.id);
}

/* ---- Duplicates. ---- */

/* GET /api/v1/kwaliteitskaders/{id}/dubbelingen */
static void duplicates(struct http_req *req)
{
    int64_t id;
    struct api_page p;
    struct fw_duplicate *d = NULL;
    int n = 0;
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, &p))
        return;
    int rc = framework_duplicates(req->arena, req->app->store, &req->actor, id, &d, &n);
    if (rc) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    json_t *items = json_array();
    for (int i = p.offset; items && i < n && i < p.offset + p.size; i++) {
        /* Two decimals: the measure is not more precise than that. */
        double sim = (double)(int64_t)(d[i].similarity * 100.0 + 0.5) / 100.0;
        items =
            append_or_fail(items, json_pack("{s:f, s:o, s:o}", "gelijkenis", sim, "a",
                                            criterion_json(d[i].a), "b", criterion_json(d[i].b)));
    }
    api_send_list(req, items, n, &p);
}

/* POST /api/v1/kwaliteitskaders/{id}/dubbelingen/samenvoegen {behoudenId, samenvoegenId} */
static void merge(struct http_req *req)
{
    int64_t fw, keep = 0, drop = 0;
    json_t *body;
    struct err_ctx e = {0};
    const struct api_field fields[] = {
        {"behoudenId", API_INT, API_REQUIRED, &keep, NULL, 1, INT64_MAX},
        {"samenvoegenId", API_INT, API_REQUIRED, &drop, NULL, 1, INT64_MAX},
    };
    struct criterion c;
    if (http_param_id_or_404(req, 0, &fw) || api_query_or_reply(req, NULL, NULL) ||
        api_body_or_reply(req, &body) ||
        api_fields_or_reply(req, body, fields, (int)ARRAY_LEN(fields)))
        return;
    int rc = criterion_get(req->arena, req->app->store, &req->actor, keep, &c);
    if (rc == 0 && c.framework_id != fw)
        rc = ERR_NOT_FOUND;
    if (rc == 0)
        rc = framework_merge(req->app->store, &req->actor, keep, drop, &e);
    if (rc) {
        api_reply_err(req, rc, &e, aliases);
        return;
    }
    send_criterion(req, 200, fw, keep);
}

/* POST /api/v1/kwaliteitskaders/{id}/dubbelingen/geen-dubbeling {criteriumIdA, criteriumIdB} */
static void not_duplicate(struct http_req *req)
{
    int64_t fw, x = 0, y = 0;
    json_t *body;
    struct err_ctx e = {0};
    const struct api_field fields[] = {
        {"criteriumIdA", API_INT, API_REQUIRED, &x, NULL, 1, INT64_MAX},
        {"criteriumIdB", API_INT, API_REQUIRED, &y, NULL, 1, INT64_MAX},
    };
    struct criterion c;
    if (http_param_id_or_404(req, 0, &fw) || api_query_or_reply(req, NULL, NULL) ||
        api_body_or_reply(req, &body) ||
        api_fields_or_reply(req, body, fields, (int)ARRAY_LEN(fields)))
        return;
    int rc = criterion_get(req->arena, req->app->store, &req->actor, x, &c);
    if (rc == 0 && c.framework_id != fw)
        rc = ERR_NOT_FOUND;
    if (rc == 0)
        rc = framework_not_duplicate(req->app->store, &req->actor, x, y, &e);
    if (rc) {
        api_reply_err(req, rc, &e, aliases);
        return;
    }
    /* 200 with the pair (not 204): every API answer has a JSON body. */
    api_send(req, 200,
             json_pack("{s:I, s:I}", "criteriumIdA", (json_int_t)x, "criteriumIdB", (json_int_t)y));
}

/* ---- Import and export. ---- */

/* GET /api/v1/kwaliteitskaders/{id}/export?formaat=csv|xlsx */
static void export(struct http_req *req)
{
    static const char *const params[] = {"formaat", "versie", NULL};
    int64_t id, version = 0;
    const char *fmt = NULL, *out = NULL;
    size_t len = 0;
    struct framework f;
    struct criterion *cs = NULL;
    int n = 0;
    struct err_ctx e = {0};
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, params, NULL) ||
        api_query_text_or_reply(req, "formaat", &fmt) ||
        api_query_id_or_reply(req, "versie", &version))
        return;
    bool xlsx = fmt && strcmp(fmt, "xlsx") == 0;
    if (fmt && !xlsx && strcmp(fmt, "csv") != 0) {
        api_reply_invalid(req, "formaat", _("Kies csv of xlsx."));
        return;
    }
    int rc = framework_get(req->arena, req->app->store, &req->actor, id, &f);
    /* ?versie=N: the framework as it stood then (docs/framework.md#versions). */
    if (!rc && version)
        rc = framework_criteria_at(req->arena, req->app->store, &req->actor, id, version, &cs, &n);
    else if (!rc)
        rc = framework_criteria(req->arena, req->app->store, &req->actor, id, false, &cs, &n);
    if (version)
        f.version = version;
    if (!rc)
        rc = xlsx ? framework_export_xlsx(
                        req->arena, cs, n,
                        arena_printf(req->arena, "%s/tmp", req->app->cfg->data_dir), &out, &len, &e)
                  : framework_export_csv(req->arena, cs, n, &out, &len, &e);
    if (rc) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    req->resp.status = 200;
    req->resp.content_type = xlsx ? XLSX_TYPE : "text/csv; charset=utf-8";
    req->resp.body = out;
    req->resp.body_len = len;
    http_resp_header(req, "Content-Disposition",
                     arena_printf(req->arena, "attachment; filename=\"%s\"",
                                  framework_export_name(req->arena, &f, xlsx)));
}

/* 400 problem+json with every import error ("fouten": [{regel, kolom, melding}]). */
static void reply_import_errors(struct http_req *req, int rc, const struct fwi_result *r)
{
    json_t *errs = json_array();
    for (int i = 0; errs && i < r->nerrors; i++)
        errs = append_or_fail(errs,
                              json_pack("{s:I, s:i, s:s}", "regel", (json_int_t)r->errors[i].line,
                                        "kolom", r->errors[i].column, "melding", r->errors[i].msg));
    (void)rc; /* too many rows is bad input too; 413 is the HTTP layer's (body over 1 MiB) */
    int status = 400;
    json_t *j =
        errs ? json_pack("{s:s, s:s, s:i, s:s, s:s, s:o, s:b}", "type", "about:blank", "title",
                         _("Het bestand is niet ingelezen"), "status", status, "detail",
                         _("Er is niets opgeslagen: verbeter de regels hieronder en lees "
                           "het hele bestand opnieuw in."),
                         "instance", req->path, "fouten", errs, "meerFouten", r->more_errors)
             : NULL;
    api_send(req, status, j);
    if (j || !errs)
        req->resp.content_type = "application/problem+json";
}

/*
 * POST /api/v1/kwaliteitskaders/{id}/import: the body is the file itself (Content-Type
 * text/csv or the XLSX type; at most the API body limit, 1 MiB). All or nothing.
 */
static void import(struct http_req *req)
{
    static const char *const params[] = {"bestandsnaam", NULL};
    int64_t id;
    const char *name = NULL;
    struct framework f;
    struct fwi_result r;
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, params, NULL) ||
        api_query_text_or_reply(req, "bestandsnaam", &name))
        return;
    int rc = framework_get(req->arena, req->app->store, &req->actor, id, &f);
    if (rc == 0) /* authorisation before anything about the body */
        rc = framework_may_import(req->app->store, &req->actor, id);
    if (rc) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    const char *ct = http_header(req, "Content-Type");
    bool csv = ct && strncmp(ct, "text/csv", 8) == 0;
    bool xlsx = ct && strncmp(ct, XLSX_TYPE, strlen(XLSX_TYPE)) == 0;
    if (!csv && !xlsx) {
        http_resp_problem(req, 415, _("Niet ondersteund mediatype"),
                          _("Stuur het bestand als text/csv of als XLSX."), NULL);
        return;
    }
    const char *file =
        http_sanitize_file_name(req->arena, name ? name : "", name ? strlen(name) : 0);
    if (!file || !*file)
        file = xlsx ? "kwaliteitskader.xlsx" : "kwaliteitskader.csv";
    rc = framework_import(req->arena, req->app->store, &req->actor, id, file,
                          req->body ? req->body : "", req->body ? req->body_len : 0, &r);
    if (rc == ERR_INVALID || rc == ERR_TOO_BIG || (rc == ERR_CONFLICT && r.nerrors)) {
        reply_import_errors(req, rc, &r);
        return;
    }
    if (rc) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    api_send(req, 200,
             json_pack("{s:i, s:i, s:i}", "regels", r.rows, "aangemaakt", r.created, "gewijzigd",
                       r.updated));
}

const struct route api_framework_routes[] = {
    {"GET", API_PREFIX COLLECTION, list, ROUTE_API, "api.framework.list"},
    {"POST", API_PREFIX COLLECTION, create, ROUTE_API, "api.framework.create"},
    {"GET", API_PREFIX COLLECTION "/{id}", get, ROUTE_API, "api.framework.get"},
    {"PATCH", API_PREFIX COLLECTION "/{id}", patch, ROUTE_API, "api.framework.patch"},
    {"GET", API_PREFIX COLLECTION "/{id}/versies", versions, ROUTE_API, "api.framework.versions"},
    {"GET", API_PREFIX COLLECTION "/{id}/criteria", criteria_list, ROUTE_API,
     "api.framework.criteria"},
    {"POST", API_PREFIX COLLECTION "/{id}/criteria", criteria_create, ROUTE_API,
     "api.framework.criterion.create"},
    {"GET", API_PREFIX CRITERIA "/{id}", criteria_get, ROUTE_API, "api.framework.criterion.get"},
    {"PATCH", API_PREFIX CRITERIA "/{id}", criteria_patch, ROUTE_API,
     "api.framework.criterion.patch"},
    {"GET", API_PREFIX COLLECTION "/{id}/dubbelingen", duplicates, ROUTE_API,
     "api.framework.duplicates"},
    {"POST", API_PREFIX COLLECTION "/{id}/dubbelingen/samenvoegen", merge, ROUTE_API,
     "api.framework.merge"},
    {"POST", API_PREFIX COLLECTION "/{id}/dubbelingen/geen-dubbeling", not_duplicate, ROUTE_API,
     "api.framework.not_duplicate"},
    {"GET", API_PREFIX COLLECTION "/{id}/export", export, ROUTE_API, "api.framework.export"},
    {"POST", API_PREFIX COLLECTION "/{id}/import", import, ROUTE_API, "api.framework.import"},
    ROUTES_END,
};
