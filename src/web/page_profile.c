/*
 * page_profile.c: the column-profile wizard and the pages of stored profiles, for beheerders
 * and the kwaliteit role of an aanbieder (policy: OBJ_MAPPING_PROFILE). Step 1 uploads a
 * sample export; its first rows are kept in memory for this session only (web/profile_draft.c)
 * and the file itself is dropped. Step 2 shows the rows (BSNs masked), the detected header
 * row, a column per field with the suggestion preselected, and a translation table for the
 * provider's own values of coded fields. Stored profiles can be viewed, edited without a new
 * upload (optimistic version), archived and restored.
 */
#include "core/common.h"
#include "core/str.h"
#include "domain/codelist.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "ingest/profile.h"
#include "ingest/registration.h"
#include "ingest/text_fold.h"
#include "web/page.h"
#include "web/page_kit.h"
#include "web/profile_draft.h"
#include "web/router.h"
#include <sodium.h>

#define BASE "/gegevens/profielen"

#define F_ORG          "organisatie"
#define F_LAW          "wet"
#define F_NAME         "naam"
#define F_FILE         "bestand"
#define F_HEADER       "kopregel"
#define F_HEADER_SHOWN "kopregel_getoond"
#define F_DELIM        "scheidingsteken"
#define F_VERSION      "versie"
#define F_ACTION       "actie"

#define SHOW_COLS_MAX   60 /* preview columns shown; wider files are cut (with a note) */
#define SHOW_CELL_MAX   40 /* bytes of a preview cell shown */
#define EDIT_BLANKS     2  /* empty translation rows per coded field on the edit page */
#define EDIT_VALUES_MAX 80 /* translation rows on one edit form (the form-field limit) */

/* ---- Small helpers. -------------------------------------------------------------------------- */

static struct object_ref profile_ref(int64_t id, int64_t org_id)
{
    return (struct object_ref){.kind = OBJ_MAPPING_PROFILE,
                               .id = id,
                               .owner_org_id = org_id,
                               .owner_org_kind = ORG_AANBIEDER};
}

/* May the actor work with profiles at all (their own organisation's, or any as beheerder)? */
static bool may_use(struct http_req *req)
{
    struct object_ref o = profile_ref(0, req->actor.org_id);
    return policy_allows(&req->actor, ACT_LIST, &o);
}

static bool may(struct http_req *req, enum action act, int64_t id, int64_t org_id)
{
    struct object_ref o = profile_ref(id, org_id);
    return policy_allows(&req->actor, act, &o);
}

static const char *profile_href(struct http_req *req, int64_t id, const char *suffix)
{
    return arena_printf(req->arena, BASE "/%" PRId64 "%s", id, suffix ? suffix : "");
}

static const char *law_label(enum law law)
{
    return law == LAW_WMO ? _("Wmo") : _("Jeugdwet");
}

static int law_parse(const char *s, enum law *out)
{
    if (s && strcmp(s, "jeugdwet") == 0)
        *out = LAW_JW;
    else if (s && strcmp(s, "wmo") == 0)
        *out = LAW_WMO;
    else
        return ERR_INVALID;
    return 0;
}

static const char *delimiter_label(char d)
{
    switch (d) {
    case ';':
        return _("puntkomma (;)");
    case ',':
        return _("komma (,)");
    case '\t':
        return _("tab");
    }
    return _("automatisch herkennen");
}

static const char *col_field(struct http_req *req, enum reg_field f)
{
    return arena_printf(req->arena, "kolom_%s", reg_field(f)->code);
}

static const char *values_field(struct http_req *req, enum reg_field f)
{
    return arena_printf(req->arena, "waarden_%s", reg_field(f)->code);
}

/* Form fields of the domain's errors that exist on these forms; others go to the summary. */
static void add_domain_error(struct http_req *req, struct form_errors *fe, const struct err_ctx *e)
{
    struct err_ctx copy = *e;
    const char *f = e->field;
    bool known = f && (strcmp(f, F_NAME) == 0 || strcmp(f, F_HEADER) == 0 ||
                       strcmp(f, F_ORG) == 0 || strcmp(f, F_LAW) == 0 || strcmp(f, F_DELIM) == 0 ||
                       strncmp(f, "kolom_", 6) == 0 || (strncmp(f, "waarden_", 8) == 0));
    copy.field = known ? arena_strdup(req->arena, f) : NULL;
    if (!copy.msg[0])
        snprintf(copy.msg, sizeof copy.msg, "%s",
                 _("Controleer de gegevens en probeer het opnieuw."));
    form_error_add(fe, &copy);
}

/* The domain's refusal as a page (for the cases a form cannot show). */
static void fail_page(struct http_req *req, int rc, const struct err_ctx *e)
{
    int status = http_status_for_err(rc);
    bool user_msg = e && e->msg[0] && (rc == ERR_INVALID || rc == ERR_CONFLICT);
    page_error(req, status == 400 ? 422 : status, user_msg ? e->msg : NULL);
}

/* "*****1234" for a BSN-like value (8 or 9 digits), else NULL. */
static const char *masked(struct http_req *req, const char *v)
{
    struct str t = str_trim(str_from(v));
    if (t.len < 8 || t.len > 9)
        return NULL;
    for (size_t i = 0; i < t.len; i++)
        if (t.p[i] < '0' || t.p[i] > '9')
            return NULL;
    return arena_printf(req->arena, "*****%.*s", 4, t.p + t.len - 4);
}

/* A cell value cut for display at a character boundary. */
static void cell_text(struct html *h, const char *v)
{
    size_t n = strlen(v);
    if (n <= SHOW_CELL_MAX) {
        html_text(h, v);
        return;
    }
    n = SHOW_CELL_MAX;
    while (n > 0 && ((unsigned char)v[n] & 0xc0) == 0x80)
        n--;
    html_textn(h, v, n);
    html_raw(h, "…");
}

/* Options of a field's code list: "" first (no translation), then "01 – label". */
static struct form_option *code_options(struct http_req *req, enum reg_field f, enum law law,
                                        const char *empty, int *n)
{
    const char *list, *release;
    size_t ncodes = 0;
    *n = 0;
    if (!reg_field_codelist(f, law, &list, &release) || codelist_load() != 0)
        return NULL;
    const struct code_entry *codes = codelist_entries(list, release, &ncodes);
    struct form_option *opts = arena_calloc(req->arena, ncodes + 1, sizeof *opts);
    if (!opts)
        return NULL;
    opts[(*n)++] = (struct form_option){"", empty};
    for (size_t i = 0; i < ncodes; i++)
        opts[(*n)++] = (struct form_option){
            codes[i].code, arena_printf(req->arena, "%s – %s", codes[i].code, codes[i].label)};
    return opts;
}

/* The standard code a value is translated to in p, or NULL. */
static const char *value_to(const struct mapping_profile *p, enum reg_field f, const char *from)
{
    for (int i = 0; i < p->nvalues; i++)
        if (p->values[i].field == f &&
            text_fold_eq(p->values[i].from, strlen(p->values[i].from), from, strlen(from)))
            return p->values[i].to;
    return NULL;
}

/* A select with an explicit label element (for table rows), option `selected` chosen. */
static void bare_select(struct html *h, const char *name, const struct form_option *opts, int n,
                        const char *selected, bool invalid, const char *aria_label)
{
    html_raw(h, "<select class=\"utrecht-select utrecht-select--html-select\" id=\"veld-");
    html_text(h, name);
    html_raw(h, "\"");
    html_attr(h, "name", name);
    html_attr(h, "aria-label", aria_label);
    if (invalid)
        html_raw(h, " aria-invalid=\"true\"");
    html_raw(h, ">");
    for (int i = 0; i < n; i++) {
        html_raw(h, "<option");
        html_attr(h, "value", opts[i].value);
        html_attr_bool(h, "selected", selected && strcmp(selected, opts[i].value) == 0);
        html_raw(h, ">");
        html_text(h, opts[i].label);
        html_raw(h, "</option>");
    }
    html_raw(h, "</select>");
}

static void section_begin(struct html *h, const char *id, const char *title)
{
    html_raw(h, "<section class=\"duiding-section\"");
    html_attr(h, "aria-labelledby", id);
    html_raw(h, "><h2 class=\"utrecht-heading-2\"");
    html_attr(h, "id", id);
    html_raw(h, ">");
    html_text(h, title);
    html_raw(h, "</h2>");
}

static void section_end(struct html *h)
{
    html_raw(h, "</section>");
}

static bool required_field(enum reg_field f)
{
    return f == RF_CLIENT_BSN || f == RF_CLIENT_KEY || f == RF_GEMEENTE || f == RF_HULPVORM ||
           f == RF_START;
}

/* ---- Aanbieders. ----------------------------------------------------------------------------- */

/* Aanbieders the actor may make a profile for: their own, or every active one (beheerder). */
static int org_choices(struct http_req *req, struct org **out)
{
    struct org *all = NULL;
    int n = 0, total = 0, got = 0;
    struct org_filter f = {.kind = ORG_AANBIEDER, .limit = ORG_LIST_MAX};
    if (org_list(req->arena, req->app->store, &req->actor, &f, &all, &n, &total) != 0)
        n = 0;
    struct org *mine = arena_calloc(req->arena, (size_t)(n > 0 ? n : 1), sizeof *mine);
    if (!mine)
        return 0;
    for (int i = 0; i < n; i++)
        if (!all[i].archived && may(req, ACT_CREATE, 0, all[i].id))
            mine[got++] = all[i];
    *out = mine;
    return got;
}

/* ---- List. ----------------------------------------------------------------------------------- */

static void list_page(struct http_req *req)
{
    struct mapping_profile *ps = NULL;
    struct err_ctx e = {0};
    int n = 0;
    const char *s = http_query(req, "archief");
    bool archived = s && strcmp(s, "1") == 0;
    int64_t org = kit_id(http_query(req, F_ORG));
    int rc = profile_list(req->app->store, &req->actor, org, req->arena, &ps, &n, &e);
    if (rc != 0) {
        page_error(req, rc == ERR_DENIED ? 403 : http_status_for_err(rc),
                   rc == ERR_DENIED ? _("Alleen beheerders en kwaliteitsmedewerkers van een "
                                        "aanbieder werken met kolomprofielen.")
                                    : NULL);
        return;
    }
    const struct crumb crumbs[] = {
        {_("Start"), "/"}, {_("Gegevens"), "/gegevens"}, {_("Kolomprofielen"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Kolomprofielen"), crumbs, (int)ARRAY_LEN(crumbs));
    page_flash(&h, req);
    kit_para(&h, _("Een kolomprofiel vertelt duiding welke kolom van de export uit uw "
                   "registratiesysteem wat betekent, en hoe uw eigen codes heten in de "
                   "standaardcodes. U maakt het één keer met een voorbeeldbestand en gebruikt "
                   "het daarna bij elke aanlevering."));
    struct org *orgs = NULL;
    if (org_choices(req, &orgs) > 0) {
        kit_actions_begin(&h);
        kit_button_link(&h, BASE "/nieuw", _("Nieuw profiel"), true);
        kit_actions_end(&h);
    }
    kit_filter_begin(&h, BASE, _("Profielen filteren"));
    kit_filter_check(&h, "archief", _("Ook gearchiveerde profielen tonen"), archived);
    kit_filter_end(&h, BASE);

    int shown = 0;
    for (int i = 0; i < n; i++)
        shown += archived || !ps[i].archived;
    if (shown == 0) {
        kit_para(&h, _("Er zijn nog geen kolomprofielen."));
    } else {
        const char *headers[] = {_("Naam"), _("Aanbieder"), _("Wet"), _("Laatst gewijzigd")};
        table_begin(&h, _("Kolomprofielen"), headers, (int)ARRAY_LEN(headers));
        for (int i = 0; i < n; i++) {
            const struct mapping_profile *p = &ps[i];
            if (p->archived && !archived)
                continue;
            table_row_begin(&h);
            kit_cell_begin(&h);
            html_raw(&h, "<a class=\"utrecht-link\"");
            html_url_attr(&h, "href", profile_href(req, p->id, NULL));
            html_raw(&h, ">");
            html_text(&h, p->name);
            html_raw(&h, "</a>");
            if (p->archived) {
                html_raw(&h, " <span class=\"duiding-muted\">(");
                html_text(&h, _("gearchiveerd"));
                html_raw(&h, ")</span>");
            }
            kit_cell_end(&h);
            table_cell(&h, p->org_name);
            table_cell(&h, law_label(p->law));
            kit_cell_begin(&h);
            kit_time_iso(&h, p->updated_at, false, "–");
            kit_cell_end(&h);
            table_row_end(&h);
        }
        table_end(&h);
    }
    page_end(&h, req);
    page_send(req, &h, 200);
}

/* ---- Step 1: sample upload. ------------------------------------------------------------------ */

struct new_form {
    const char *org, *law, *name;
};

static void file_field(struct html *h, const struct form_errors *fe)
{
    const char *error = form_error_for(fe, F_FILE);
    html_raw(h, "<div class=\"utrecht-form-field utrecht-form-field--text");
    if (error)
        html_raw(h, " utrecht-form-field--invalid");
    html_raw(h, "\"><div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
                "for=\"veld-" F_FILE "\">");
    html_text(h, _("Voorbeeldbestand"));
    html_raw(h, "</label></div><div class=\"utrecht-form-field-description "
                "utrecht-form-field__description\" id=\"hint-" F_FILE "\">");
    html_text(h, _("Een export uit uw registratiesysteem als CSV of Excel (.xlsx), zoals u die "
                   "later ook aanlevert."));
    html_raw(h, "</div>");
    if (error) {
        html_raw(h, "<div class=\"utrecht-form-field-error-message "
                    "utrecht-form-field__error-message\" id=\"fout-" F_FILE "\">");
        html_text(h, error);
        html_raw(h, "</div>");
    }
    html_raw(h, "<div class=\"utrecht-form-field__input\"><input type=\"file\" "
                "class=\"utrecht-textbox utrecht-textbox--html-input duiding-file\" "
                "id=\"veld-" F_FILE "\" name=\"" F_FILE "\" accept=\".csv,.xlsx,.txt\" required");
    if (error)
        html_raw(h, " aria-invalid=\"true\" aria-describedby=\"hint-" F_FILE " fout-" F_FILE "\"");
    else
        html_raw(h, " aria-describedby=\"hint-" F_FILE "\"");
    html_raw(h, "></div></div>");
}

static void render_new(struct http_req *req, const struct new_form *nf,
                       const struct form_errors *fe, int status)
{
    const struct crumb crumbs[] = {{_("Start"), "/"},
                                   {_("Gegevens"), "/gegevens"},
                                   {_("Kolomprofielen"), BASE},
                                   {_("Nieuw profiel"), NULL}};
    struct org *orgs = NULL;
    int norgs = org_choices(req, &orgs);
    struct html h;
    struct buf action;
    html_init(&h);
    page_begin(&h, req, _("Nieuw kolomprofiel"), crumbs, (int)ARRAY_LEN(crumbs));
    form_error_summary(&h, fe);
    kit_para(&h, _("Stap 1 van 2. Kies de aanbieder en de wet en upload een voorbeeld van de "
                   "export. In stap 2 ziet u de eerste regels en kiest u per gegeven de kolom."));
    /* A multipart body is streamed to disk before it is parsed, so the CSRF token travels in
     * the action's query string; the server checks it before accepting a byte. */
    buf_init(&action, BUF_MAX_SMALL);
    if (buf_append_str(&action, BASE "/nieuw?csrf=") ||
        buf_append_urlenc(&action, req->csrf_token ? req->csrf_token : "",
                          req->csrf_token ? strlen(req->csrf_token) : 0))
        buf_reset(&action);
    html_raw(&h, "<form class=\"utrecht-form\" method=\"post\" enctype=\"multipart/form-data\" "
                 "novalidate");
    html_url_attr(&h, "action", action.len ? buf_cstr(&action) : BASE "/nieuw");
    html_raw(&h, ">");
    buf_release(&action);
    if (norgs == 1) {
        /* Only one choice (a kwaliteit user's own aanbieder): nothing to pick. */
        html_raw(&h, "<div class=\"utrecht-form-field\"><p class=\"utrecht-paragraph\">");
        html_text(&h, _("Aanbieder:"));
        html_raw(&h, " <strong>");
        html_text(&h, orgs[0].name);
        html_raw(&h, "</strong></p></div>");
    } else {
        struct form_option *opts = arena_calloc(req->arena, (size_t)norgs + 1, sizeof *opts);
        int n = 0;
        if (opts) {
            opts[n++] = (struct form_option){"", _("Kies een aanbieder")};
            for (int i = 0; i < norgs; i++)
                opts[n++] = (struct form_option){arena_printf(req->arena, "%" PRId64, orgs[i].id),
                                                 orgs[i].name};
        }
        form_select(&h, fe, F_ORG, _("Aanbieder"), opts, n, nf->org,
                    _("De aanbieder van wie de export komt."));
    }
    const struct form_option laws[] = {{"jeugdwet", _("Jeugdwet")}, {"wmo", _("Wmo")}};
    form_select(&h, fe, F_LAW, _("Wet"), laws, 2, nf->law ? nf->law : "jeugdwet",
                _("Jeugdwet: hulpvormen van het CBS. Wmo: productcategorieën."));
    form_input(&h, fe, F_NAME, _("Naam van het profiel"), "text", nf->name,
               _("Bijvoorbeeld de naam van het registratiesysteem: Export Zorgboog."), true, "off");
    file_field(&h, fe);
    html_raw(&h, "<div class=\"utrecht-button-group\"><button type=\"submit\" "
                 "class=\"utrecht-button utrecht-button--primary-action\">");
    html_text(&h, _("Verder naar stap 2"));
    html_raw(&h, "</button><a class=\"utrecht-button-link utrecht-button-link--html-a "
                 "utrecht-button-link--subtle\" href=\"" BASE "\">");
    html_text(&h, _("Annuleren"));
    html_raw(&h, "</a></div></form>");
    section_begin(&h, "kop-privacy", _("Wat gebeurt er met het voorbeeldbestand?"));
    kit_para(&h, _("duiding bewaart het bestand niet. Alleen de eerste 20 regels worden gelezen "
                   "en maximaal 15 minuten in het geheugen vastgehouden, alleen voor u, om de "
                   "kolommen te kunnen kiezen. Burgerservicenummers ziet u gemaskeerd. In het "
                   "profiel komen alleen kolomnamen en codes, geen gegevens van cliënten."));
    section_end(&h);
    page_end(&h, req);
    page_send(req, &h, status);
}

static void new_page(struct http_req *req)
{
    struct org *orgs = NULL;
    struct new_form nf = {0};
    if (!may_use(req) || org_choices(req, &orgs) == 0) {
        page_error(req, 403, _("U kunt geen kolomprofielen maken."));
        return;
    }
    render_new(req, &nf, NULL, 200);
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    if (n < m)
        return false;
    for (size_t i = 0; i < m; i++) {
        char c = s[n - m + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != suffix[i])
            return false;
    }
    return true;
}

/* POST /gegevens/profielen/nieuw (streamed upload). */
static void new_submit(struct http_req *req)
{
    struct new_form nf = {
        .org = http_form(req, F_ORG), .law = http_form(req, F_LAW), .name = http_form(req, F_NAME)};
    struct form_errors fe = {0};
    struct org *orgs = NULL;
    int norgs = org_choices(req, &orgs);
    int64_t org_id = 0;
    enum law law = LAW_JW;
    if (!may_use(req) || norgs == 0) {
        page_error(req, 403, _("U kunt geen kolomprofielen maken."));
        return;
    }
    if (norgs == 1) {
        org_id = orgs[0].id;
    } else {
        org_id = kit_id(nf.org);
        bool listed = false;
        for (int i = 0; i < norgs && !listed; i++)
            listed = orgs[i].id == org_id;
        if (!listed) {
            kit_error(&fe, F_ORG, _("Kies een aanbieder uit de lijst."));
            org_id = 0;
        }
    }
    if (org_id && !may(req, ACT_CREATE, 0, org_id)) {
        page_error(req, 403, NULL);
        return;
    }
    if (law_parse(nf.law, &law) != 0)
        kit_error(&fe, F_LAW, _("Kies de Jeugdwet of de Wmo."));
    if (!kit_trimmed(req->arena, nf.name))
        kit_error(&fe, F_NAME, _("Vul een naam in voor het profiel."));
    const struct http_upload *up = http_upload(req);
    if (!up)
        kit_error(&fe, F_FILE, _("Kies een voorbeeldbestand."));
    else if (up->bytes == 0)
        kit_error(&fe, F_FILE, _("Het bestand is leeg. Kies een ander bestand."));
    else if (up->file_name[0] && !has_suffix(up->file_name, ".csv") &&
             !has_suffix(up->file_name, ".xlsx") && !has_suffix(up->file_name, ".txt"))
        kit_error(&fe, F_FILE, _("Kies een CSV- of Excel-bestand (.csv of .xlsx)."));
    if (fe.n > 0) {
        render_new(req, &nf, &fe, 422);
        return;
    }
    struct table_preview pv;
    struct err_ctx e = {0};
    int rc = table_preview(up->path, req->arena, &pv, &e);
    if (rc != 0) {
        kit_error(&fe, F_FILE,
                  arena_printf(req->arena, "%s %s", _("Dit bestand kan niet worden gelezen."),
                               e.msg[0] && rc != ERR_IO ? e.msg : ""));
        render_new(req, &nf, &fe, 422);
        return;
    }
    char id[DRAFT_ID_LEN + 1];
    const char *name = kit_trimmed(req->arena, nf.name);
    rc = profile_draft_put(req->session_id, req->actor.user_id, org_id, law, name, up->file_name,
                           &pv, id);
    if (rc == ERR_TOO_BIG) {
        kit_error(&fe, F_FILE,
                  _("Dit bestand heeft te veel of te brede kolommen voor een voorbeeld."));
        render_new(req, &nf, &fe, 422);
        return;
    }
    if (rc != 0) {
        page_error(req, 500, NULL);
        return;
    }
    http_redirect(req, arena_printf(req->arena, BASE "/concept/%s", id));
}

/* ---- Step 2: columns and values. ------------------------------------------------------------- */

/* The distinct non-empty header cells of the header row (the choices for every field). */
static int header_choices(struct http_req *req, const struct table_preview *pv, int header_row,
                          const char ***out)
{
    int n = 0;
    const char **hs = arena_calloc(req->arena, (size_t)(pv->ncols > 0 ? pv->ncols : 1), sizeof *hs);
    *out = hs;
    if (!hs || header_row < 1 || header_row > pv->nrows)
        return 0;
    for (int c = 0; c < pv->ncols; c++) {
        struct str t = str_trim(str_from(pv->rows[header_row - 1][c]));
        bool dup = false;
        if (t.len == 0)
            continue;
        for (int i = 0; i < n && !dup; i++)
            dup = text_fold_eq(hs[i], strlen(hs[i]), t.p, t.len);
        if (!dup)
            hs[n++] = arena_strndup(req->arena, t.p, t.len);
    }
    return n;
}

/* Column index of a header text in the header row, -1 if absent. */
static int column_of(const struct table_preview *pv, int header_row, const char *name)
{
    if (!name || header_row < 1 || header_row > pv->nrows)
        return -1;
    for (int c = 0; c < pv->ncols; c++) {
        const char *hc = pv->rows[header_row - 1][c];
        if (text_fold_eq(hc, strlen(hc), name, strlen(name)))
            return c;
    }
    return -1;
}

static void preview_table(struct http_req *req, struct html *h, const struct table_preview *pv,
                          const struct mapping_profile *p)
{
    int bsn_col = column_of(pv, p->header_row, p->columns[RF_CLIENT_BSN]);
    int ncols = pv->ncols < SHOW_COLS_MAX ? pv->ncols : SHOW_COLS_MAX;
    html_raw(h, "<div class=\"utrecht-table-container utrecht-table-container--overflow-inline\" "
                "tabindex=\"0\"><table class=\"utrecht-table utrecht-table--html-table\">"
                "<caption class=\"utrecht-table__caption\">");
    html_textf(h, _("De eerste %d regels van het bestand"), pv->nrows);
    html_raw(h, "</caption><thead class=\"utrecht-table__header\"><tr class=\"utrecht-table__row\">"
                "<th class=\"utrecht-table__header-cell\" scope=\"col\">");
    html_text(h, _("Regel"));
    html_raw(h, "</th>");
    for (int c = 0; c < ncols; c++) {
        html_raw(h, "<th class=\"utrecht-table__header-cell\" scope=\"col\">");
        html_textf(h, _("Kolom %d"), c + 1);
        html_raw(h, "</th>");
    }
    html_raw(h, "</tr></thead><tbody class=\"utrecht-table__body\">");
    for (int r = 0; r < pv->nrows; r++) {
        bool is_header = r + 1 == p->header_row;
        html_raw(h, "<tr class=\"utrecht-table__row\"><th class=\"utrecht-table__header-cell\" "
                    "scope=\"row\">");
        html_int(h, r + 1);
        if (is_header) {
            html_raw(h, " <span class=\"duiding-tag\">");
            html_text(h, _("kopregel"));
            html_raw(h, "</span>");
        }
        html_raw(h, "</th>");
        for (int c = 0; c < ncols; c++) {
            const char *v = pv->rows[r][c];
            const char *m = is_header ? NULL : masked(req, v);
            if (is_header)
                html_raw(h, "<td class=\"utrecht-table__cell\"><strong>");
            else
                html_raw(h, "<td class=\"utrecht-table__cell\">");
            if (!is_header && c == bsn_col && r + 1 > p->header_row && !m &&
                str_trim(str_from(v)).len > 0)
                html_text(h, "*****"); /* whatever the BSN column holds stays hidden */
            else
                cell_text(h, m ? m : v);
            if (is_header)
                html_raw(h, "</strong></td>");
            else
                html_raw(h, "</td>");
        }
        html_raw(h, "</tr>");
    }
    html_raw(h, "</tbody></table></div>");
    if (pv->ncols > ncols)
        kit_para(h, arena_printf(req->arena,
                                 _("Alleen de eerste %d van de %d kolommen staan in "
                                   "dit voorbeeld."),
                                 ncols, pv->ncols));
}

/* One select per field, with the file's columns; required fields first. */
static void column_selects(struct http_req *req, struct html *h, const struct form_errors *fe,
                           const struct mapping_profile *p, const char *const *headers,
                           int nheaders)
{
    struct form_option *opts = arena_calloc(req->arena, (size_t)nheaders + 1, sizeof *opts);
    int n = 0;
    if (!opts)
        return;
    opts[n++] = (struct form_option){"", _("– niet in dit bestand –")};
    for (int i = 0; i < nheaders; i++)
        opts[n++] = (struct form_option){headers[i], headers[i]};
    for (int pass = 0; pass < 2; pass++) {
        section_begin(h, pass == 0 ? "kop-verplicht" : "kop-aanvullend",
                      pass == 0 ? _("Verplichte kolommen") : _("Kolommen als uw bestand ze heeft"));
        if (pass == 0)
            kit_para(h, _("Kies de kolom met het BSN of, als uw bestand geen BSN heeft, met uw "
                          "eigen cliëntnummer. Gemeente, hulpvorm en startdatum zijn altijd "
                          "nodig."));
        for (int f = 0; f < RF_COUNT; f++) {
            if (required_field((enum reg_field)f) != (pass == 0))
                continue;
            const struct reg_field_info *fi = reg_field((enum reg_field)f);
            const char *sel = "";
            for (int i = 0; i < nheaders && p->columns[f]; i++)
                if (text_fold_eq(headers[i], strlen(headers[i]), p->columns[f],
                                 strlen(p->columns[f])))
                    sel = headers[i];
            form_select(h, fe, col_field(req, (enum reg_field)f), _(fi->label), opts, n, sel,
                        _(fi->help));
        }
        section_end(h);
    }
}

/* The translation table of field f for the values in vals (concept) with selects. */
static void value_table(struct http_req *req, struct html *h, const struct form_errors *fe,
                        enum reg_field f, enum law law, const char *const *vals, int nvals,
                        const struct mapping_profile *p)
{
    const struct reg_field_info *fi = reg_field(f);
    const char *list = NULL, *release = NULL;
    const char *vf = values_field(req, f);
    const char *error = form_error_for(fe, vf);
    int nopts = 0;
    struct form_option *opts = code_options(req, f, law, _("– niet vertalen –"), &nopts);
    reg_field_codelist(f, law, &list, &release);
    html_raw(h, "<div class=\"duiding-section\" id=\"veld-");
    html_text(h, vf);
    html_raw(h, "\"><h3 class=\"utrecht-heading-3\">");
    html_text(h, _(fi->label));
    html_raw(h, "</h3>");
    if (error) {
        html_raw(h, "<div class=\"utrecht-form-field-error-message\">");
        html_text(h, error);
        html_raw(h, "</div>");
    }
    html_raw(h, "<div class=\"utrecht-table-container\"><table class=\"utrecht-table "
                "utrecht-table--html-table\"><caption class=\"utrecht-table__caption\">");
    html_textf(h, _("Waarden in uw bestand en de code in de lijst %s"), list ? list : "");
    html_raw(h, "</caption><thead class=\"utrecht-table__header\"><tr class=\"utrecht-table__row\">"
                "<th class=\"utrecht-table__header-cell\" scope=\"col\">");
    html_text(h, _("Waarde in uw bestand"));
    html_raw(h, "</th><th class=\"utrecht-table__header-cell\" scope=\"col\">");
    html_text(h, _("Wordt"));
    html_raw(h, "</th></tr></thead><tbody class=\"utrecht-table__body\">");
    for (int i = 0; i < nvals; i++) {
        const char *name = arena_printf(req->arena, "naar_%s_%d", fi->code, i);
        html_raw(h, "<tr class=\"utrecht-table__row\"><th class=\"utrecht-table__header-cell\" "
                    "scope=\"row\"><label class=\"utrecht-form-label\" for=\"veld-");
        html_text(h, name);
        html_raw(h, "\">");
        html_text(h, vals[i]);
        html_raw(h, "</label></th><td class=\"utrecht-table__cell\">");
        const char *to = value_to(p, f, vals[i]);
        bare_select(h, name, opts, nopts, to ? to : "", error != NULL, NULL);
        html_raw(h, "</td></tr>");
    }
    html_raw(h, "</tbody></table></div></div>");
}

/*
 * A trial import of the preview's rows with the current choices, so the user sees at once
 * whether dates, codes and gemeenten are understood. The pseudonyms are made with a throwaway
 * key and dropped; the reasons quote no BSN or birth date.
 */
static void trial_section(struct http_req *req, struct html *h, const struct profile_draft *d,
                          const struct mapping_profile *p)
{
    struct mapping_profile check = *p;
    struct err_ctx e = {0};
    struct reg_binding *b = arena_calloc(req->arena, 1, sizeof *b);
    section_begin(h, "kop-proef", _("Proef met het voorbeeld"));
    check.name = "proef";
    if (!b || profile_validate(&check, &e) != 0 || p->header_row > d->pv.nrows) {
        kit_para(h, _("Kies eerst de verplichte kolommen. Daarna ziet u hier hoe duiding de "
                      "regels van het voorbeeld zou inlezen."));
        section_end(h);
        return;
    }
    const char **hf = arena_calloc(req->arena, (size_t)d->pv.ncols + 1, sizeof *hf);
    size_t *hl = arena_calloc(req->arena, (size_t)d->pv.ncols + 1, sizeof *hl);
    if (!hf || !hl) {
        section_end(h);
        return;
    }
    for (int c = 0; c < d->pv.ncols; c++) {
        hf[c] = d->pv.rows[p->header_row - 1][c];
        hl[c] = strlen(hf[c]);
    }
    struct table_row hdr = {.fields = hf,
                            .lens = hl,
                            .nfields = d->pv.ncols,
                            .record = (uint64_t)p->header_row,
                            .line = (uint64_t)p->header_row};
    if (registration_bind(p, &hdr, b, &e) != 0) {
        kit_para(h, e.msg);
        section_end(h);
        return;
    }
    unsigned char key[KEY_FILE_BYTES];
    struct pseudonymiser *ps = NULL;
    randombytes_buf(key, sizeof key);
    int rc = pseudonymiser_from_key(key, &ps);
    sodium_memzero(key, sizeof key);
    if (rc != 0) {
        section_end(h);
        return;
    }
    struct org org;
    char agb[9] = "00000000";
    if (org_get_internal(req->arena, req->app->store, d->org_id, &org) == 0 && org.agb_code &&
        strlen(org.agb_code) == 8)
        memcpy(agb, org.agb_code, 9);
    struct buf reasons;
    buf_init(&reasons, 64 * 1024);
    int good = 0, total = 0;
    const char *heads[] = {_("Regel"), _("Uitkomst"), _("Toelichting")};
    html_raw(h, "<div id=\"proef-tabel\">");
    table_begin(h, _("Zo zou duiding de regels van het voorbeeld inlezen"), heads, 3);
    for (int r = p->header_row; r < d->pv.nrows; r++) {
        struct table_row row = {.fields = d->pv.rows[r],
                                .nfields = d->pv.ncols,
                                .record = (uint64_t)r + 1,
                                .line = (uint64_t)r + 1};
        struct reg_result res;
        enum reg_outcome o = registration_convert(b, ps, agb, &row, &res, &reasons);
        if (o != REG_EMPTY)
            total++;
        good += o == REG_ACCEPTED;
        table_row_begin(h);
        table_cell(h, arena_printf(req->arena, "%d", r + 1));
        table_cell(h, o == REG_ACCEPTED ? (res.test_person ? _("goed (test-BSN)") : _("goed"))
                      : o == REG_EMPTY  ? _("lege regel, wordt overgeslagen")
                                        : _("afgewezen"));
        table_cell(h, o == REG_REJECTED ? buf_cstr(&reasons) : "");
        table_row_end(h);
    }
    table_end(h);
    html_raw(h, "</div>");
    kit_para(h, arena_printf(req->arena, _("%d van de %d regels in het voorbeeld zijn goed."), good,
                             total));
    buf_release(&reasons);
    pseudonymiser_free(ps);
    section_end(h);
}

struct concept_view {
    const struct profile_draft *d;
    struct mapping_profile p; /* the current choices */
    const char *notice;       /* info shown above the form */
};

static void render_concept(struct http_req *req, struct concept_view *cv,
                           const struct form_errors *fe, int status)
{
    const struct profile_draft *d = cv->d;
    const struct mapping_profile *p = &cv->p;
    const struct crumb crumbs[] = {{_("Start"), "/"},
                                   {_("Gegevens"), "/gegevens"},
                                   {_("Kolomprofielen"), BASE},
                                   {_("Kolommen kiezen"), NULL}};
    const char **headers = NULL;
    int nheaders = header_choices(req, &d->pv, p->header_row, &headers);
    const char *action = arena_printf(req->arena, BASE "/concept/%s", d->id);
    struct org org;
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Kolommen kiezen"), crumbs, (int)ARRAY_LEN(crumbs));
    form_error_summary(&h, fe);
    if (cv->notice)
        page_alert(&h, "info", cv->notice);
    kit_para(&h, _("Stap 2 van 2. duiding heeft de kolommen al zo goed mogelijk gekozen. "
                   "Controleer ze en kies zo nodig een andere kolom."));
    kit_dl_begin(&h);
    kit_dl_item(&h, _("Aanbieder"),
                org_get_internal(req->arena, req->app->store, d->org_id, &org) == 0 ? org.name
                                                                                    : "?");
    kit_dl_item(&h, _("Wet"), law_label(d->law));
    kit_dl_item(&h, _("Voorbeeldbestand"), d->file_name);
    kit_dl_item(&h, _("Tekenset"), d->pv.encoding);
    if (!d->pv.is_xlsx)
        kit_dl_item(&h, _("Scheidingsteken"), delimiter_label(d->pv.delimiter));
    kit_dl_end(&h);
    preview_table(req, &h, &d->pv, p);

    form_begin(&h, req, action);
    html_raw(&h, "<input type=\"hidden\" name=\"" F_HEADER_SHOWN "\"");
    html_attr_int(&h, "value", p->header_row);
    html_raw(&h, ">");
    form_input(&h, fe, F_NAME, _("Naam van het profiel"), "text", p->name, NULL, true, "off");
    section_begin(&h, "kop-kopregel", _("Kopregel"));
    form_input(&h, fe, F_HEADER, _("Regel met de kolomnamen"), "number",
               arena_printf(req->arena, "%d", p->header_row),
               _("Het nummer van de regel met de kolomnamen. Regels erboven (titels) worden "
                 "overgeslagen. Kies Voorbeeld bijwerken nadat u dit hebt veranderd."),
               true, "off");
    html_raw(&h, "<div class=\"utrecht-button-group\"><button type=\"submit\" name=\"" F_ACTION
                 "\" value=\"bijwerken\" class=\"utrecht-button "
                 "utrecht-button--secondary-action\">");
    html_text(&h, _("Voorbeeld bijwerken"));
    html_raw(&h, "</button></div>");
    section_end(&h);

    column_selects(req, &h, fe, p, headers, nheaders);

    section_begin(&h, "kop-waarden", _("Uw eigen codes vertalen"));
    kit_para(&h, _("Gebruikt uw systeem eigen woorden of codes, kies dan per waarde de "
                   "standaardcode. Waarden die al een standaardcode zijn, staan hier niet."));
    int tables = 0;
    for (int f = 0; f < RF_COUNT; f++) {
        if (!reg_field_codelist((enum reg_field)f, d->law, NULL, NULL))
            continue;
        int col = column_of(&d->pv, p->header_row, p->columns[f]);
        if (col < 0)
            continue;
        html_raw(&h, "<input type=\"hidden\"");
        html_attr(&h, "name",
                  arena_printf(req->arena, "kolom_getoond_%s", reg_field((enum reg_field)f)->code));
        html_attr(&h, "value", p->columns[f]);
        html_raw(&h, ">");
        const char **vals = NULL;
        int nvals = profile_preview_values(&d->pv, p->header_row, col, (enum reg_field)f, d->law,
                                           req->arena, &vals);
        if (nvals == 0)
            continue;
        value_table(req, &h, fe, (enum reg_field)f, d->law, vals, nvals, p);
        tables++;
    }
    if (tables == 0)
        kit_para(&h, _("In het voorbeeld staan alleen standaardcodes: er is niets te vertalen."));
    section_end(&h);
    trial_section(req, &h, d, p);

    html_raw(&h, "<div class=\"utrecht-button-group\"><button type=\"submit\" name=\"" F_ACTION
                 "\" value=\"opslaan\" class=\"utrecht-button utrecht-button--primary-action\">");
    html_text(&h, _("Profiel opslaan"));
    html_raw(&h, "</button><a class=\"utrecht-button-link utrecht-button-link--html-a "
                 "utrecht-button-link--subtle\" href=\"" BASE "\">");
    html_text(&h, _("Annuleren"));
    html_raw(&h, "</a></div>");
    form_end(&h);
    page_end(&h, req);
    page_send(req, &h, status);
}

/* Loads the draft of the path for this session; answers 404/403 itself. */
static int load_draft(struct http_req *req, struct profile_draft *d)
{
    if (!may_use(req)) {
        page_error(req, 403, NULL);
        return ERR_DENIED;
    }
    if (req->nparams < 1 || profile_draft_get(req->session_id, req->actor.user_id, req->params[0],
                                              req->arena, d) != 0) {
        page_error(req, 404,
                   _("Dit concept bestaat niet (meer). Een concept blijft 15 minuten bewaard; "
                     "begin opnieuw met een voorbeeldbestand."));
        return ERR_NOT_FOUND;
    }
    if (!may(req, ACT_CREATE, 0, d->org_id)) {
        page_error(req, 403, NULL);
        return ERR_DENIED;
    }
    return 0;
}

/* The suggestion for the draft with this header row (0 = detect). */
static void suggest(struct http_req *req, const struct profile_draft *d, int header_row,
                    struct mapping_profile *p)
{
    struct table_preview pv = d->pv;
    pv.header_row = header_row;
    profile_suggest(&pv, d->law, req->arena, p);
    p->org_id = d->org_id;
    p->name = d->name;
}

static void concept_page(struct http_req *req)
{
    struct profile_draft d;
    struct concept_view cv = {.d = &d};
    if (load_draft(req, &d))
        return;
    suggest(req, &d, d.pv.header_row, &cv.p);
    render_concept(req, &cv, NULL, 200);
}

/* Reads the column fields. With a preview each must name a header cell of the header row
 * (and becomes that cell's text); without one (editing) the typed name is taken as it is. */
static void read_columns(struct http_req *req, const struct table_preview *pv,
                         struct mapping_profile *p, struct form_errors *fe)
{
    for (int f = 0; f < RF_COUNT; f++) {
        const char *name = col_field(req, (enum reg_field)f);
        const char *v = kit_trimmed(req->arena, http_form(req, name));
        p->columns[f] = NULL;
        if (!v)
            continue;
        if (!pv) {
            p->columns[f] = v;
            continue;
        }
        int col = column_of(pv, p->header_row, v);
        if (col < 0) {
            kit_error(fe, name, _("Kies een kolom uit de lijst."));
            continue;
        }
        struct str t = str_trim(str_from(pv->rows[p->header_row - 1][col]));
        p->columns[f] = arena_strndup(req->arena, t.p, t.len);
    }
}

static struct value_map *values_alloc(struct http_req *req, int cap)
{
    return arena_calloc(req->arena, (size_t)(cap > 0 ? cap : 1), sizeof(struct value_map));
}

static void concept_submit(struct http_req *req)
{
    struct profile_draft d;
    struct concept_view cv = {.d = &d};
    struct mapping_profile *p = &cv.p;
    struct form_errors fe = {0};
    int64_t header = 0, shown = 0;
    if (load_draft(req, &d))
        return;
    int max_header = d.pv.nrows < PROFILE_MAX_HEADER_ROW ? d.pv.nrows : PROFILE_MAX_HEADER_ROW;
    const char *hs = http_form(req, F_HEADER_SHOWN);
    if (!hs || str_parse_i64_c(hs, 1, max_header, &shown) != 0) {
        page_error(req, 400, _("Het formulier is niet compleet. Open het opnieuw."));
        return;
    }
    const char *hv = http_form(req, F_HEADER);
    if (!hv || str_parse_i64(str_trim(str_from(hv)), 1, max_header, &header) != 0) {
        suggest(req, &d, (int)shown, p);
        p->name = kit_trimmed(req->arena, http_form(req, F_NAME));
        kit_error(&fe, F_HEADER,
                  arena_printf(req->arena,
                               _("Vul het nummer in van de regel met de kolomnamen (1 tot en "
                                 "met %d)."),
                               max_header));
        render_concept(req, &cv, &fe, 422);
        return;
    }
    if (header != shown) {
        /* Another header row means other column names: suggest again from that row. */
        suggest(req, &d, (int)header, p);
        p->name = kit_trimmed(req->arena, http_form(req, F_NAME));
        cv.notice = _("De kopregel is veranderd. duiding heeft de kolommen opnieuw gekozen; "
                      "controleer ze.");
        render_concept(req, &cv, NULL, 200);
        return;
    }
    memset(p, 0, sizeof *p);
    p->org_id = d.org_id;
    p->law = d.law;
    p->header_row = (int)header;
    p->delimiter = d.pv.is_xlsx ? 0 : d.pv.delimiter;
    p->name = kit_trimmed(req->arena, http_form(req, F_NAME));
    read_columns(req, &d.pv, p, &fe);

    /* Translations: the values of the column the table was shown for, in the same order. */
    p->values = values_alloc(req, RF_COUNT * PREVIEW_MAX_ROWS);
    bool changed = false;
    for (int f = 0; p->values && f < RF_COUNT; f++) {
        const struct reg_field_info *fi = reg_field((enum reg_field)f);
        if (!reg_field_codelist((enum reg_field)f, d.law, NULL, NULL))
            continue;
        const char *was = kit_trimmed(
            req->arena, http_form(req, arena_printf(req->arena, "kolom_getoond_%s", fi->code)));
        int col = column_of(&d.pv, p->header_row, was);
        const char *now = p->columns[f];
        bool same =
            (!was && !now) || (was && now && text_fold_eq(was, strlen(was), now, strlen(now)));
        if (!same) {
            /* The table showed another column's values: suggest for the new one. */
            changed = true;
            int ncol = column_of(&d.pv, p->header_row, now);
            const char **vals = NULL;
            int n = profile_preview_values(&d.pv, p->header_row, ncol, (enum reg_field)f, d.law,
                                           req->arena, &vals);
            for (int i = 0; i < n; i++) {
                const char *to =
                    reg_suggest_code((enum reg_field)f, d.law, vals[i], strlen(vals[i]));
                if (to)
                    p->values[p->nvalues++] = (struct value_map){(enum reg_field)f, vals[i], to};
            }
            continue;
        }
        const char **vals = NULL;
        int n = profile_preview_values(&d.pv, p->header_row, col, (enum reg_field)f, d.law,
                                       req->arena, &vals);
        for (int i = 0; i < n; i++) {
            const char *to = http_form(req, arena_printf(req->arena, "naar_%s_%d", fi->code, i));
            if (to && *to)
                p->values[p->nvalues++] = (struct value_map){(enum reg_field)f, vals[i], to};
        }
    }
    if (fe.n > 0) {
        render_concept(req, &cv, &fe, 422);
        return;
    }
    const char *act = http_form(req, F_ACTION);
    if (changed || (act && strcmp(act, "bijwerken") == 0)) {
        if (changed)
            cv.notice = _("U hebt een andere kolom gekozen. Controleer hieronder de vertaling "
                          "van de waarden in die kolom.");
        render_concept(req, &cv, NULL, 200);
        return;
    }
    struct err_ctx e = {0};
    int64_t id = 0;
    int rc = profile_save(req->app->store, &req->actor, p, &id, &e);
    if (rc == ERR_INVALID || (rc == ERR_CONFLICT && e.field && strcmp(e.field, F_NAME) == 0)) {
        add_domain_error(req, &fe, &e);
        render_concept(req, &cv, &fe, 422);
        return;
    }
    if (rc != 0) {
        fail_page(req, rc, &e);
        return;
    }
    profile_draft_drop(req->session_id, d.id);
    http_redirect(req, profile_href(req, id, "?melding=aangemaakt"));
}

/* ---- One profile. ---------------------------------------------------------------------------- */

static int load_profile(struct http_req *req, struct mapping_profile *p)
{
    int64_t id;
    struct err_ctx e = {0};
    if (req->nparams < 1 || str_parse_i64_c(req->params[0], 1, INT64_MAX, &id) != 0) {
        page_error(req, 404, NULL);
        return ERR_NOT_FOUND;
    }
    /* Someone who may not use profiles at all is refused before anything is looked up. */
    if (!may_use(req)) {
        page_error(req, 403, NULL);
        return ERR_DENIED;
    }
    int rc = profile_get(req->app->store, &req->actor, id, req->arena, p, &e);
    if (rc != 0) {
        fail_page(req, rc, &e);
        return rc;
    }
    return 0;
}

static const char *code_label(enum reg_field f, enum law law, const char *code)
{
    const char *list, *release;
    if (!reg_field_codelist(f, law, &list, &release) || codelist_load() != 0)
        return "";
    const struct code_entry *ce = codelist_find(list, release, code);
    return ce ? ce->label : "";
}

static void archive_button(struct html *h, struct http_req *req, int64_t id, bool archive)
{
    html_raw(h, "<form class=\"duiding-inline-form\" method=\"post\"");
    html_url_attr(h, "action", profile_href(req, id, archive ? "/archiveren" : "/herstellen"));
    if (archive)
        html_attr(h, "data-confirm",
                  _("Weet u zeker dat u dit profiel wilt archiveren? U kunt het later "
                    "herstellen."));
    html_raw(h, "><input type=\"hidden\" name=\"csrf\"");
    html_attr(h, "value", req->csrf_token);
    html_raw(h, "><button type=\"submit\" class=\"utrecht-button utrecht-button--secondary-action");
    if (archive)
        html_raw(h, " utrecht-button--danger");
    html_raw(h, "\">");
    html_text(h, archive ? _("Archiveren") : _("Herstellen"));
    html_raw(h, "</button></form>");
}

static void view_page(struct http_req *req)
{
    struct mapping_profile p;
    if (load_profile(req, &p))
        return;
    const struct crumb crumbs[] = {{_("Start"), "/"},
                                   {_("Gegevens"), "/gegevens"},
                                   {_("Kolomprofielen"), BASE},
                                   {p.name, NULL}};
    bool can_edit = may(req, ACT_EDIT, p.id, p.org_id);
    bool can_archive = may(req, ACT_ARCHIVE, p.id, p.org_id);
    struct html h;
    html_init(&h);
    page_begin(&h, req, p.name, crumbs, (int)ARRAY_LEN(crumbs));
    page_flash(&h, req);
    if (p.archived)
        page_alert(&h, "info",
                   _("Dit profiel staat in het archief en kan niet worden gebruikt bij een "
                     "aanlevering."));
    kit_dl_begin(&h);
    kit_dl_item(&h, _("Aanbieder"), p.org_name);
    kit_dl_item(&h, _("Wet"), law_label(p.law));
    kit_dl_item(&h, _("Kopregel"), arena_printf(req->arena, "%d", p.header_row));
    kit_dl_item(&h, _("Scheidingsteken"), delimiter_label(p.delimiter));
    kit_dl_item(&h, _("Versie"), arena_printf(req->arena, "%" PRId64, p.version));
    kit_dl_item_begin(&h, _("Laatst gewijzigd"));
    kit_time_iso(&h, p.updated_at, false, "–");
    kit_dl_item_end(&h);
    kit_dl_end(&h);

    if (can_edit || can_archive) {
        kit_actions_begin(&h);
        if (can_edit && !p.archived)
            kit_button_link(&h, profile_href(req, p.id, "/bewerken"), _("Bewerken"), true);
        if (can_archive)
            archive_button(&h, req, p.id, !p.archived);
        kit_actions_end(&h);
    }

    section_begin(&h, "kop-kolommen", _("Kolommen"));
    const char *ch[] = {_("Gegeven"), _("Kolom in uw bestand"), _("Betekenis")};
    table_begin(&h, _("Welke kolom wat betekent"), ch, (int)ARRAY_LEN(ch));
    for (int f = 0; f < RF_COUNT; f++) {
        const struct reg_field_info *fi = reg_field((enum reg_field)f);
        if (!p.columns[f])
            continue;
        table_row_begin(&h);
        table_cell(&h, _(fi->label));
        table_cell(&h, p.columns[f]);
        table_cell(&h, _(fi->help));
        table_row_end(&h);
    }
    table_end(&h);
    section_end(&h);

    section_begin(&h, "kop-vertalingen", _("Vertaalde waarden"));
    if (p.nvalues == 0) {
        kit_para(&h, _("Dit profiel vertaalt geen waarden: het bestand bevat standaardcodes."));
    } else {
        const char *vh[] = {_("Gegeven"), _("Waarde in uw bestand"), _("Code"), _("Betekenis")};
        table_begin(&h, _("Uw eigen waarden en de standaardcode"), vh, (int)ARRAY_LEN(vh));
        for (int f = 0; f < RF_COUNT; f++)
            for (int i = 0; i < p.nvalues; i++) {
                const struct value_map *v = &p.values[i];
                if (v->field != (enum reg_field)f)
                    continue;
                table_row_begin(&h);
                table_cell(&h, _(reg_field(v->field)->label));
                table_cell(&h, v->from);
                table_cell(&h, v->to);
                table_cell(&h, code_label(v->field, p.law, v->to));
                table_row_end(&h);
            }
        table_end(&h);
    }
    section_end(&h);
    page_end(&h, req);
    page_send(req, &h, 200);
}

/* ---- Edit. ----------------------------------------------------------------------------------- */

static void render_edit(struct http_req *req, const struct mapping_profile *p,
                        const struct form_errors *fe, int status, const char *notice)
{
    const struct crumb crumbs[] = {
        {_("Start"), "/"},
        {_("Gegevens"), "/gegevens"},
        {_("Kolomprofielen"), BASE},
        {p->name && *p->name ? p->name : _("Profiel"), profile_href(req, p->id, NULL)},
        {_("Bewerken"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Kolomprofiel bewerken"), crumbs, (int)ARRAY_LEN(crumbs));
    form_error_summary(&h, fe);
    if (notice)
        page_alert(&h, "warning", notice);
    form_begin(&h, req, profile_href(req, p->id, "/bewerken"));
    html_raw(&h, "<input type=\"hidden\" name=\"" F_VERSION "\"");
    html_attr_int(&h, "value", p->version);
    html_raw(&h, ">");
    kit_dl_begin(&h);
    kit_dl_item(&h, _("Aanbieder"), p->org_name);
    kit_dl_item(&h, _("Wet"), law_label(p->law));
    kit_dl_end(&h);
    form_input(&h, fe, F_NAME, _("Naam van het profiel"), "text", p->name, NULL, true, "off");
    form_input(&h, fe, F_HEADER, _("Regel met de kolomnamen"), "number",
               arena_printf(req->arena, "%d", p->header_row),
               _("Regels boven de kopregel (titels) worden overgeslagen."), true, "off");
    const struct form_option delims[] = {{"", _("automatisch herkennen")},
                                         {";", _("puntkomma (;)")},
                                         {",", _("komma (,)")},
                                         {"tab", _("tab")}};
    const char *dsel = p->delimiter == ';'    ? ";"
                       : p->delimiter == ','  ? ","
                       : p->delimiter == '\t' ? "tab"
                                              : "";
    form_select(&h, fe, F_DELIM, _("Scheidingsteken (CSV)"), delims, 4, dsel,
                _("Alleen voor CSV-bestanden."));

    for (int pass = 0; pass < 2; pass++) {
        section_begin(&h, pass == 0 ? "kop-verplicht" : "kop-aanvullend",
                      pass == 0 ? _("Verplichte kolommen") : _("Kolommen als uw bestand ze heeft"));
        kit_para(&h, _("Schrijf de kolomnaam zoals die in de kopregel van uw bestand staat. "
                       "Hoofdletters, accenten en leestekens maken niet uit. Laat leeg wat uw "
                       "bestand niet heeft."));
        for (int f = 0; f < RF_COUNT; f++) {
            if (required_field((enum reg_field)f) != (pass == 0))
                continue;
            const struct reg_field_info *fi = reg_field((enum reg_field)f);
            form_input(&h, fe, col_field(req, (enum reg_field)f), _(fi->label), "text",
                       p->columns[f], _(fi->help), false, "off");
        }
        section_end(&h);
    }

    section_begin(&h, "kop-waarden", _("Uw eigen codes vertalen"));
    kit_para(&h, _("Kies bij een waarde “– verwijderen –” om de vertaling te schrappen. In de "
                   "lege regels kunt u nieuwe vertalingen toevoegen."));
    for (int f = 0; f < RF_COUNT; f++) {
        const struct reg_field_info *fi = reg_field((enum reg_field)f);
        if (!reg_field_codelist((enum reg_field)f, p->law, NULL, NULL))
            continue;
        const char *vf = values_field(req, (enum reg_field)f);
        const char *error = form_error_for(fe, vf);
        int nopts = 0;
        struct form_option *opts =
            code_options(req, (enum reg_field)f, p->law, _("– verwijderen –"), &nopts);
        html_raw(&h, "<div class=\"duiding-section\" id=\"veld-");
        html_text(&h, vf);
        html_raw(&h, "\"><h3 class=\"utrecht-heading-3\">");
        html_text(&h, _(fi->label));
        html_raw(&h, "</h3>");
        if (error) {
            html_raw(&h, "<div class=\"utrecht-form-field-error-message\">");
            html_text(&h, error);
            html_raw(&h, "</div>");
        }
        html_raw(&h, "<div class=\"utrecht-table-container\"><table class=\"utrecht-table "
                     "utrecht-table--html-table\"><thead class=\"utrecht-table__header\"><tr "
                     "class=\"utrecht-table__row\"><th class=\"utrecht-table__header-cell\" "
                     "scope=\"col\">");
        html_text(&h, _("Waarde in uw bestand"));
        html_raw(&h, "</th><th class=\"utrecht-table__header-cell\" scope=\"col\">");
        html_text(&h, _("Wordt"));
        html_raw(&h, "</th></tr></thead><tbody class=\"utrecht-table__body\">");
        int row = 0;
        for (int i = 0; i <= p->nvalues; i++) {
            bool blank = i == p->nvalues;
            if (!blank && p->values[i].field != (enum reg_field)f)
                continue;
            for (int k = 0; k < (blank ? EDIT_BLANKS : 1); k++, row++) {
                const char *van = arena_printf(req->arena, "van_%s_%d", fi->code, row);
                const char *naar = arena_printf(req->arena, "naar_%s_%d", fi->code, row);
                html_raw(&h, "<tr class=\"utrecht-table__row\"><td class=\"utrecht-table__cell\">"
                             "<input class=\"utrecht-textbox utrecht-textbox--html-input\" "
                             "type=\"text\" autocomplete=\"off\"");
                html_attr(&h, "name", van);
                html_attr(&h, "value", blank ? "" : p->values[i].from);
                html_attr(&h, "aria-label",
                          arena_printf(req->arena, _("%s: waarde in uw bestand, regel %d"),
                                       _(fi->label), row + 1));
                html_raw(&h, "></td><td class=\"utrecht-table__cell\">");
                bare_select(&h, naar, opts, nopts, blank ? "" : p->values[i].to, error != NULL,
                            arena_printf(req->arena, _("%s: standaardcode, regel %d"), _(fi->label),
                                         row + 1));
                html_raw(&h, "</td></tr>");
            }
        }
        html_raw(&h, "</tbody></table></div></div>");
    }
    section_end(&h);
    html_raw(&h, "<div class=\"utrecht-button-group\"><button type=\"submit\" "
                 "class=\"utrecht-button utrecht-button--primary-action\">");
    html_text(&h, _("Wijzigingen opslaan"));
    html_raw(&h, "</button><a class=\"utrecht-button-link utrecht-button-link--html-a "
                 "utrecht-button-link--subtle\"");
    html_url_attr(&h, "href", profile_href(req, p->id, NULL));
    html_raw(&h, ">");
    html_text(&h, _("Annuleren"));
    html_raw(&h, "</a></div>");
    form_end(&h);
    page_end(&h, req);
    page_send(req, &h, status);
}

static void edit_page(struct http_req *req)
{
    struct mapping_profile p;
    if (load_profile(req, &p))
        return;
    if (!may(req, ACT_EDIT, p.id, p.org_id)) {
        page_error(req, 403, NULL);
        return;
    }
    if (p.nvalues > EDIT_VALUES_MAX) {
        page_error(req, 422,
                   _("Dit profiel heeft te veel vertaalde waarden om hier te bewerken. Maak een "
                     "nieuw profiel met een voorbeeldbestand."));
        return;
    }
    render_edit(req, &p, NULL, 200, NULL);
}

static void edit_submit(struct http_req *req)
{
    struct mapping_profile cur, p;
    struct form_errors fe = {0};
    int64_t version, header = 0;
    if (load_profile(req, &cur))
        return;
    if (!may(req, ACT_EDIT, cur.id, cur.org_id)) {
        /* Before any validation: someone who may not edit learns nothing from error texts. */
        page_error(req, 403, NULL);
        return;
    }
    const char *vs = http_form(req, F_VERSION);
    if (!vs || str_parse_i64_c(vs, 0, INT64_MAX, &version) != 0) {
        page_error(req, 400, _("Het formulier is niet compleet. Open het opnieuw."));
        return;
    }
    p = cur;
    p.version = version;
    p.name = kit_trimmed(req->arena, http_form(req, F_NAME));
    const char *hv = http_form(req, F_HEADER);
    if (!hv || str_parse_i64(str_trim(str_from(hv)), 1, PROFILE_MAX_HEADER_ROW, &header) != 0)
        kit_error(&fe, F_HEADER,
                  arena_printf(req->arena,
                               _("Vul het nummer in van de regel met de kolomnamen (1 tot en "
                                 "met %d)."),
                               PROFILE_MAX_HEADER_ROW));
    else
        p.header_row = (int)header;
    const char *dv = http_form(req, F_DELIM);
    if (!dv || !*dv)
        p.delimiter = 0;
    else if (strcmp(dv, ";") == 0 || strcmp(dv, ",") == 0)
        p.delimiter = dv[0];
    else if (strcmp(dv, "tab") == 0)
        p.delimiter = '\t';
    else
        kit_error(&fe, F_DELIM, _("Kies een scheidingsteken uit de lijst."));
    read_columns(req, NULL, &p, &fe);

    p.values = values_alloc(req, EDIT_VALUES_MAX + RF_COUNT * EDIT_BLANKS);
    p.nvalues = 0;
    for (int f = 0; p.values && f < RF_COUNT; f++) {
        const struct reg_field_info *fi = reg_field((enum reg_field)f);
        if (!reg_field_codelist((enum reg_field)f, p.law, NULL, NULL))
            continue;
        for (int i = 0; i < EDIT_VALUES_MAX + EDIT_BLANKS; i++) {
            const char *van = http_form(req, arena_printf(req->arena, "van_%s_%d", fi->code, i));
            const char *naar = http_form(req, arena_printf(req->arena, "naar_%s_%d", fi->code, i));
            if (!van)
                break;
            const char *from = kit_trimmed(req->arena, van);
            if (!from && naar && *naar) {
                kit_error(&fe, values_field(req, (enum reg_field)f),
                          _("Vul bij elke gekozen code ook de waarde uit uw bestand in."));
                continue;
            }
            if (!from || !naar || !*naar)
                continue; /* an empty row, or a translation that is removed */
            if (p.nvalues < EDIT_VALUES_MAX + RF_COUNT * EDIT_BLANKS)
                p.values[p.nvalues++] = (struct value_map){(enum reg_field)f, from, naar};
        }
    }
    if (fe.n > 0) {
        render_edit(req, &p, &fe, 422, NULL);
        return;
    }
    struct err_ctx e = {0};
    int rc = profile_save(req->app->store, &req->actor, &p, NULL, &e);
    if (rc == ERR_INVALID || (rc == ERR_CONFLICT && e.field && strcmp(e.field, F_NAME) == 0)) {
        add_domain_error(req, &fe, &e);
        render_edit(req, &p, &fe, 422, NULL);
        return;
    }
    if (rc == ERR_CONFLICT) {
        /* Keep the user's choices, but carry the current version: saving again is then a
         * deliberate choice to overwrite the other change. */
        struct mapping_profile now;
        struct err_ctx e2 = {0};
        if (profile_get(req->app->store, &req->actor, p.id, req->arena, &now, &e2) == 0)
            p.version = now.version;
        render_edit(req, &p, NULL, 409,
                    _("Iemand anders heeft dit profiel gewijzigd terwijl u het bewerkte. Uw "
                      "wijzigingen zijn nog niet opgeslagen; ze staan hieronder. Klik opnieuw "
                      "op Wijzigingen opslaan om uw versie te bewaren."));
        return;
    }
    if (rc != 0) {
        fail_page(req, rc, &e);
        return;
    }
    http_redirect(req, profile_href(req, p.id, "?melding=opgeslagen"));
}

/* ---- Archive and restore. -------------------------------------------------------------------- */

static void set_archived(struct http_req *req, bool archived)
{
    int64_t id;
    struct err_ctx e = {0};
    if (req->nparams < 1 || str_parse_i64_c(req->params[0], 1, INT64_MAX, &id) != 0) {
        page_error(req, 404, NULL);
        return;
    }
    if (!may_use(req)) {
        page_error(req, 403, NULL);
        return;
    }
    int rc = profile_set_archived(req->app->store, &req->actor, id, archived, &e);
    if (rc != 0) {
        fail_page(req, rc, &e);
        return;
    }
    http_redirect(req,
                  profile_href(req, id, archived ? "?melding=gearchiveerd" : "?melding=hersteld"));
}

static void archive(struct http_req *req)
{
    set_archived(req, true);
}

static void restore(struct http_req *req)
{
    set_archived(req, false);
}

/* "nieuw" and "concept" come before "{id}": the router takes the first pattern that matches. */
const struct route profile_page_routes[] = {
    {"GET", BASE, list_page, 0, "profile.list"},
    {"GET", BASE "/nieuw", new_page, 0, "profile.new"},
    {"POST", BASE "/nieuw", new_submit, ROUTE_UPLOAD, "profile.upload"},
    {"GET", BASE "/concept/{id}", concept_page, 0, "profile.concept"},
    {"POST", BASE "/concept/{id}", concept_submit, 0, "profile.concept_save"},
    {"GET", BASE "/{id}", view_page, 0, "profile.view"},
    {"GET", BASE "/{id}/bewerken", edit_page, 0, "profile.edit"},
    {"POST", BASE "/{id}/bewerken", edit_submit, 0, "profile.update"},
    {"POST", BASE "/{id}/archiveren", archive, 0, "profile.archive"},
    {"POST", BASE "/{id}/herstellen", restore, 0, "profile.restore"},
    ROUTES_END,
};
