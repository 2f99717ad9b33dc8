/*
 * api_json.c: strict JSON input, JSON output and problem+json errors for the API handlers.
 * Attribute extraction is table-driven (one json_unpack_ex per attribute) rather than one big
 * format string, because jansson's unpack errors do not name the key whose type was wrong, and
 * ADR error handling wants every 400 to name the offending attribute in invalidParams.
 */
#include "web/api_json.h"
#include "core/common.h"
#include "core/log.h"
#include "core/str.h"
#include <strings.h>

static void decref(void *p)
{
    json_decref(p);
}

void api_reply_invalid(struct http_req *req, const char *name, const char *reason)
{
    http_resp_problem(req, 400, _("Ongeldige invoer"), reason, name);
}

/* "application/json; charset=utf-8" -> true for type "application/json". */
static bool media_type_is(const char *ct, const char *type)
{
    size_t n = strlen(type);
    if (!ct || strncasecmp(ct, type, n) != 0)
        return false;
    ct += n;
    while (*ct == ' ' || *ct == '\t')
        ct++;
    return *ct == '\0' || *ct == ';';
}

int api_body_or_reply(struct http_req *req, json_t **out)
{
    const char *ct = http_header(req, "Content-Type");
    bool patch = strcmp(req->method, "PATCH") == 0;
    json_error_t jerr;
    json_t *root;

    if (!media_type_is(ct, "application/json") &&
        !(patch && media_type_is(ct, "application/merge-patch+json"))) {
        if (patch)
            http_resp_header(req, "Accept-Patch", "application/merge-patch+json, application/json");
        http_resp_problem(req, 415, _("Mediatype niet ondersteund"),
                          patch ? _("Stuur de wijziging als application/merge-patch+json of "
                                    "application/json.")
                                : _("Stuur de gegevens als application/json."),
                          NULL);
        return ERR_INVALID;
    }
    if (req->body_len == 0) {
        http_resp_problem(req, 400, _("Ongeldige invoer"),
                          _("De inhoud ontbreekt: stuur een JSON-object."), NULL);
        return ERR_INVALID;
    }
    /* Duplicate keys are ambiguous (which one wins differs per parser), so they are refused
     * rather than silently resolved. jansson also rejects invalid UTF-8 and \u0000. */
    root = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        const char *why = json_error_code(&jerr) == json_error_duplicate_key
                              ? _("Een attribuut komt twee keer voor")
                              : _("Geen geldige JSON");
        char *detail =
            arena_printf(req->arena, _("%s (regel %d, kolom %d)."), why, jerr.line, jerr.column);
        http_resp_problem(req, 400, _("Ongeldige invoer"), detail ? detail : why, NULL);
        return ERR_INVALID;
    }
    arena_defer(req->arena, decref, root);
    if (!json_is_object(root)) {
        http_resp_problem(req, 400, _("Ongeldige invoer"),
                          _("De inhoud moet een JSON-object zijn."), NULL);
        return ERR_INVALID;
    }
    *out = root;
    return 0;
}

static const struct api_field *find_field(const struct api_field *fields, int n, const char *key)
{
    for (int i = 0; i < n; i++)
        if (strcmp(fields[i].name, key) == 0)
            return &fields[i];
    return NULL;
}

/* Fills a list attribute; the reason for a 400 in *why, else 0. */
static int unpack_list(struct http_req *req, const struct api_field *f, json_t *v, const char **why)
{
    struct api_list *l = f->out;
    json_error_t jerr;
    size_t i, n;
    json_t *el;

    if (!json_is_array(v)) {
        *why = f->type == API_IDS ? _("Moet een lijst van id's zijn.")
                                  : _("Moet een lijst van teksten zijn.");
        return ERR_INVALID;
    }
    n = json_array_size(v);
    if (n > (size_t)l->max || n > API_LIST_MAX) {
        *why = arena_printf(req->arena, _("Bevat te veel elementen (hoogstens %d)."), l->max);
        return ERR_INVALID;
    }
    if (f->type == API_STRINGS) {
        l->strs = arena_calloc(req->arena, n + 1, sizeof *l->strs);
        if (!l->strs) {
            *why = _("Te groot.");
            return ERR_TOO_BIG;
        }
    }
    json_array_foreach(v, i, el)
    {
        if (f->type == API_IDS) {
            json_int_t id;
            if (json_unpack_ex(el, &jerr, JSON_STRICT, "I", &id) != 0 || id < 1) {
                *why = _("Moet een lijst van id's (positieve gehele getallen) zijn.");
                return ERR_INVALID;
            }
            l->ids[i] = (int64_t)id;
        } else {
            const char *s;
            if (json_unpack_ex(el, &jerr, JSON_STRICT, "s", &s) != 0) {
                *why = _("Moet een lijst van teksten zijn.");
                return ERR_INVALID;
            }
            l->strs[i] = s;
        }
    }
    l->n = (int)n;
    return 0;
}

/* Type-checks and stores one attribute value. Returns 0, or ERR_INVALID with *why set. */
static int unpack_one(struct http_req *req, const struct api_field *f, json_t *v, const char **why)
{
    json_error_t jerr;

    if (f->type == API_READONLY) {
        *why = _("Dit attribuut kan niet worden gewijzigd.");
        return ERR_INVALID;
    }
    if (json_is_null(v)) {
        if (!(f->flags & API_NULLABLE)) {
            *why = _("Mag niet null zijn.");
            return ERR_INVALID;
        }
        if (f->type == API_STRING)
            *(const char **)f->out = NULL;
        else if (f->type == API_IDS || f->type == API_STRINGS)
            ((struct api_list *)f->out)->n = 0;
        return 0;
    }
    switch (f->type) {
    case API_STRING:
        if (json_unpack_ex(v, &jerr, JSON_STRICT, "s", (const char **)f->out) != 0) {
            *why = _("Moet een tekst zijn.");
            return ERR_INVALID;
        }
        return 0;
    case API_INT: {
        json_int_t x;
        if (json_unpack_ex(v, &jerr, JSON_STRICT, "I", &x) != 0) {
            *why = _("Moet een geheel getal zijn.");
            return ERR_INVALID;
        }
        if (x < f->min || x > f->max) {
            *why = arena_printf(req->arena, _("Moet tussen %" PRId64 " en %" PRId64 " liggen."),
                                f->min, f->max);
            return ERR_INVALID;
        }
        *(int64_t *)f->out = (int64_t)x;
        return 0;
    }
    case API_BOOL: {
        int b;
        if (json_unpack_ex(v, &jerr, JSON_STRICT, "b", &b) != 0) {
            *why = _("Moet true of false zijn.");
            return ERR_INVALID;
        }
        *(bool *)f->out = b != 0;
        return 0;
    }
    case API_IDS:
    case API_STRINGS:
        return unpack_list(req, f, v, why);
    case API_READONLY:
        break;
    }
    *why = _("Ongeldige waarde.");
    return ERR_INVALID;
}

int api_fields_or_reply(struct http_req *req, json_t *obj, const struct api_field *fields, int n)
{
    const char *key;
    json_t *v;

    for (int i = 0; i < n; i++)
        if (fields[i].present)
            *fields[i].present = false;
    /* Unknown attributes are refused, not ignored: a misspelt "naaam" must not look like a
     * successful change that did nothing. */
    json_object_foreach(obj, key, v)
    {
        const struct api_field *f = find_field(fields, n, key);
        const char *why = NULL;
        if (!f) {
            bool echo = strlen(key) <= API_NAME_ECHO_MAX;
            api_reply_invalid(req, echo ? key : "?", _("Onbekend attribuut."));
            return ERR_INVALID;
        }
        if (unpack_one(req, f, v, &why) != 0) {
            api_reply_invalid(req, f->name, why ? why : _("Ongeldige waarde."));
            return ERR_INVALID;
        }
        if (f->present)
            *f->present = true;
    }
    for (int i = 0; i < n; i++)
        if ((fields[i].flags & API_REQUIRED) && !json_object_get(obj, fields[i].name)) {
            api_reply_invalid(req, fields[i].name, _("Dit attribuut is verplicht."));
            return ERR_INVALID;
        }
    return 0;
}

void api_send(struct http_req *req, int status, json_t *j)
{
    char *p = NULL;
    size_t n;

    if (!j) {
        http_resp_problem(req, 500, _("Interne fout"), NULL, NULL);
        return;
    }
    n = json_dumpb(j, NULL, 0, JSON_COMPACT);
    if (n > 0)
        p = arena_alloc(req->arena, n);
    if (p && json_dumpb(j, p, n, JSON_COMPACT) == n)
        http_resp_json(req, status, p, n);
    else
        http_resp_problem(req, 500, _("Interne fout"), NULL, NULL);
    json_decref(j);
}

void api_send_created(struct http_req *req, const char *collection, int64_t id, json_t *j)
{
    char loc[256];
    int n = snprintf(loc, sizeof loc, API_PREFIX "%s/%" PRId64, collection, id);
    if (n > 0 && (size_t)n < sizeof loc)
        http_resp_header(req, "Location", loc);
    api_send(req, 201, j);
}

static const char *alias(const struct api_alias *aliases, const char *field)
{
    for (const struct api_alias *a = aliases; a && a->domain && field; a++)
        if (strcmp(a->domain, field) == 0)
            return a->api;
    return field;
}

void api_reply_err(struct http_req *req, int rc, const struct err_ctx *e,
                   const struct api_alias *aliases)
{
    int status = http_status_for_err(rc);
    const char *msg = e && e->msg[0] ? e->msg : NULL;

    switch (status) {
    case 400:
        http_resp_problem(req, 400, _("Ongeldige invoer"),
                          msg ? msg : _("De invoer is niet geldig."),
                          alias(aliases, e ? e->field : NULL));
        return;
    case 401:
        http_resp_header(req, "WWW-Authenticate", "Bearer");
        http_resp_problem(req, 401, _("Niet ingelogd"),
                          _("Log in of stuur een geldig API-token mee."), NULL);
        return;
    case 403:
        http_resp_problem(req, 403, _("Geweigerd"),
                          msg ? msg : _("U heeft geen toestemming voor deze handeling."), NULL);
        return;
    case 404:
        http_resp_problem(req, 404, _("Niet gevonden"), _("Dit object bestaat niet."), NULL);
        return;
    case 409:
        http_resp_problem(req, 409, _("Conflict"),
                          msg ? msg : _("Dit botst met de huidige toestand van het object."), NULL);
        return;
    case 413:
        http_resp_problem(req, 413, _("Te groot"), msg ? msg : _("De invoer is te groot."), NULL);
        return;
    case 503:
        http_resp_header(req, "Retry-After", "5");
        http_resp_problem(req, 503, _("Te druk"),
                          _("De server is even te druk. Probeer het zo opnieuw."), NULL);
        return;
    default:
        /* Internal detail (SQLite messages and the like) goes to the log, never the client. */
        log_error("api.error", "rid", req->rid, "path", req->path, "err", err_name(rc), "msg",
                  msg ? msg : "", NULL);
        http_resp_problem(req, 500, _("Interne fout"),
                          _("Er ging iets mis aan onze kant. Probeer het later opnieuw."), NULL);
        return;
    }
}

static bool allowed_param(const char *const *allowed, const char *key)
{
    if (strcmp(key, "pagina") == 0 || strcmp(key, "paginaGrootte") == 0)
        return true;
    for (; allowed && *allowed; allowed++)
        if (strcmp(*allowed, key) == 0)
            return true;
    return false;
}

static int int_param_or_reply(struct http_req *req, const char *name, int64_t min, int64_t max,
                              int64_t dflt, int64_t *out)
{
    const char *v = http_query(req, name);
    if (!v) {
        *out = dflt;
        return 0;
    }
    if (str_parse_i64_c(v, min, max, out) != 0) {
        char *why = arena_printf(req->arena,
                                 _("Moet een geheel getal tussen %" PRId64 " en %" PRId64 " zijn."),
                                 min, max);
        api_reply_invalid(req, name, why ? why : _("Ongeldige waarde."));
        return ERR_INVALID;
    }
    return 0;
}

int api_query_or_reply(struct http_req *req, const char *const *allowed, struct api_page *p)
{
    int64_t page, size;

    /* Unknown parameters are refused so that a misspelt filter ("paginagrootte") does not
     * silently return an unfiltered answer. */
    for (int i = 0; i < req->nquery; i++)
        if (!allowed_param(allowed, req->query[i].key)) {
            bool echo = strlen(req->query[i].key) <= API_NAME_ECHO_MAX;
            api_reply_invalid(req, echo ? req->query[i].key : "?", _("Onbekende queryparameter."));
            return ERR_INVALID;
        }
    const char *twice = http_query_repeated(req);
    if (twice) {
        api_reply_invalid(req, twice, _("Deze queryparameter komt meer dan eens voor."));
        return ERR_INVALID;
    }
    if (int_param_or_reply(req, "pagina", 1, API_PAGE_MAX, 1, &page) ||
        int_param_or_reply(req, "paginaGrootte", 1, API_PAGE_SIZE_MAX, API_PAGE_SIZE_DEFAULT,
                           &size))
        return ERR_INVALID;
    if (p) {
        p->page = (int)page;
        p->size = (int)size;
        p->limit = (int)size;
        p->offset = (int)((page - 1) * size);
    }
    return 0;
}

int api_query_id_or_reply(struct http_req *req, const char *name, int64_t *out)
{
    const char *v = http_query(req, name);
    if (!v) {
        *out = 0;
        return 0;
    }
    if (str_parse_i64_c(v, 1, INT64_MAX, out) != 0) {
        api_reply_invalid(req, name, _("Moet een id (positief geheel getal) zijn."));
        return ERR_INVALID;
    }
    return 0;
}

int api_query_bool_or_reply(struct http_req *req, const char *name, bool *out)
{
    const char *v = http_query(req, name);
    if (!v)
        return 0;
    if (strcmp(v, "true") == 0)
        *out = true;
    else if (strcmp(v, "false") == 0)
        *out = false;
    else {
        api_reply_invalid(req, name, _("Moet true of false zijn."));
        return ERR_INVALID;
    }
    return 0;
}

int api_query_text_or_reply(struct http_req *req, const char *name, const char **out)
{
    const char *v = http_query(req, name);
    *out = NULL;
    if (!v)
        return 0;
    if (strlen(v) > API_QUERY_TEXT_MAX) {
        char *why =
            arena_printf(req->arena, _("Is te lang (hoogstens %d bytes)."), API_QUERY_TEXT_MAX);
        api_reply_invalid(req, name, why ? why : _("Te lang."));
        return ERR_INVALID;
    }
    *out = v[0] ? v : NULL;
    return 0;
}

void api_send_list(struct http_req *req, json_t *items, int total, const struct api_page *p)
{
    int pages = total > 0 ? (total + p->size - 1) / p->size : 0;
    api_send(req, 200,
             json_pack("{s:o, s:i, s:i, s:i, s:i}", "items", items, "totaal", total, "pagina",
                       p->page, "paginaGrootte", p->size, "aantalPaginas", pages));
}

json_t *api_str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

const char *api_org_kind_code(enum org_kind k)
{
    return k == ORG_REGION ? "regio" : org_kind_code(k);
}

int api_org_kind_parse(const char *s, enum org_kind *out)
{
    enum org_kind k;
    if (!s || strcmp(s, "region") == 0) /* only the Dutch spelling is part of the API */
        return ERR_INVALID;
    if (strcmp(s, "regio") == 0) {
        *out = ORG_REGION;
        return 0;
    }
    if (org_kind_parse(str_from(s), &k) != 0)
        return ERR_INVALID;
    *out = k;
    return 0;
}

json_t *api_roles_json(uint32_t roles)
{
    json_t *a = json_array();
    for (int i = 0; a && i < ROLE_COUNT; i++) {
        enum role r = role_at(i);
        if ((roles & (uint32_t)r) && json_array_append_new(a, json_string(role_code(r))) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}
