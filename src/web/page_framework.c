/*
 * page_framework.c: /kwaliteitskader: the regional quality frameworks. The framework page shows
 * the criteria per theme with source, law, evidence asked and verification, local points of
 * gemeenten marked; editors add and change criteria, merge duplicates or mark them "geen
 * dubbeling", and import or export the framework as CSV/XLSX; everyone sees the version
 * history. The framework's guiding principles (leidende principes, domain/review.h) are shown
 * and edited on the framework page; the outcome indicators a criterion bears on are shown under
 * each criterion and chosen on the criterion's form. Authorisation is the domain's (policy
 * OBJ_FRAMEWORK / OBJ_CRITERION); the buttons shown follow the same policy.
 */
#include "core/common.h"
#include "domain/framework.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "domain/review.h"
#include "ingest/framework_import.h"
#include "report/framework_export.h"
#include "web/app.h"
#include "web/page.h"
#include "web/page_kit.h"
#include "web/router.h"
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#define BASE      "/kwaliteitskader"
#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* Form fields. */
#define F_NAME     "naam"
#define F_DESC     "omschrijving"
#define F_CODE     "code"
#define F_THEME    "thema"
#define F_TEXT     "tekst"
#define F_SOURCE   "bronsoort"
#define F_REF      "bron"
#define F_LAWS     "wet"
#define F_CATS     "productcategorieen"
#define F_EVIDENCE "bewijs"
#define F_VERIFY   "verificatie"
#define F_GEMEENTE "gemeente"
#define F_VERSION  "versie"
#define F_FILE     "bestand"
#define F_PRINC    "principes"
#define F_IND      "indicator"

static const struct kit_field crit_fields[] = {
    {F_CODE, "code"},
    {F_THEME, "theme thema"},
    {F_TEXT, "text tekst"},
    {F_SOURCE, "source bronsoort"},
    {F_REF, "sourceref bron"},
    {F_LAWS, "laws wet"},
    {F_CATS, "categories productcategorieen"},
    {F_EVIDENCE, "evidence bewijs"},
    {F_VERIFY, "verify verificatie"},
    {F_GEMEENTE, "localorgid gemeente"},
};
static const struct kit_field fw_fields[] = {
    {F_NAME, "name naam"},
    {F_DESC, "description omschrijving"},
    {F_PRINC, "principles principes"},
    {F_IND, "indicatorid indicator"},
};

/* ---- Helpers. ---- */

static const char *fw_href(struct http_req *req, int64_t id, const char *suffix)
{
    return arena_printf(req->arena, BASE "/%" PRId64 "%s", id, suffix ? suffix : "");
}

static const char *crit_href(struct http_req *req, const struct criterion *c, const char *suffix)
{
    return arena_printf(req->arena, BASE "/%" PRId64 "/criteria/%" PRId64 "%s", c->framework_id,
                        c->id, suffix ? suffix : "");
}

/* The policy's view of a criterion owned by org (kind needed: the policy checks it). */
static bool may_crit(struct http_req *req, enum action act, int64_t owner, enum org_kind kind)
{
    struct object_ref o = {.kind = OBJ_CRITERION, .owner_org_id = owner, .owner_org_kind = kind};
    return policy_allows(&req->actor, act, &o);
}

static bool may_regional(struct http_req *req, const struct framework *f)
{
    return may_crit(req, ACT_EDIT, f->owner_org_id, ORG_REGION);
}

static bool may_edit_crit(struct http_req *req, const struct framework *f,
                          const struct criterion *c)
{
    return c->local_org_id ? may_crit(req, ACT_EDIT, c->local_org_id, ORG_GEMEENTE)
                           : may_regional(req, f);
}

/* May the actor add criteria at all (regional, or local points of its own gemeente)? */
static bool may_add(struct http_req *req, const struct framework *f)
{
    return may_regional(req, f) || framework_may_import(req->app->store, &req->actor, f->id) == 0;
}

/* May the actor edit the framework itself (name, guiding principles)? */
static bool may_edit_framework(struct http_req *req, const struct framework *f)
{
    struct object_ref o = {
        .kind = OBJ_FRAMEWORK, .owner_org_id = f->owner_org_id, .owner_org_kind = ORG_REGION};
    return policy_allows(&req->actor, ACT_EDIT, &o);
}

/* The framework {id} (param 0) the actor may view, or an error page. */
static int framework_or_fail(struct http_req *req, struct framework *f)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id))
        return ERR_NOT_FOUND;
    int rc = framework_get(req->arena, req->app->store, &req->actor, id, f);
    if (rc)
        kit_fail(req, rc);
    return rc;
}

static void source_text(struct html *h, enum fw_source kind, const char *ref)
{
    html_text(h, fw_source_label(kind));
    if (ref && *ref) {
        html_raw(h, ": ");
        html_text(h, ref);
    }
}

static const char *laws_text(unsigned laws)
{
    switch (laws) {
    case FW_LAW_JW:
        return _("Jeugdwet");
    case FW_LAW_WMO:
        return _("Wmo");
    default:
        return _("Jeugdwet en Wmo");
    }
}

static void verify_text(struct html *h, unsigned v)
{
    const char *parts[3];
    int n = 0;
    if (v & FW_VERIFY_DOCUMENT)
        parts[n++] = _("document");
    if (v & FW_VERIFY_GESPREK)
        parts[n++] = _("gesprek");
    if (v & FW_VERIFY_ONDERZOEK)
        parts[n++] = _("aanvullend onderzoek");
    for (int i = 0; i < n; i++) {
        if (i)
            html_raw(h, ", ");
        html_text(h, parts[i]);
    }
}

static void header(struct html *h, struct http_req *req, const struct framework *f,
                   const char *title, const char *current)
{
    const struct crumb crumbs[] = {{_("Start"), "/"},
                                   {_("Kwaliteitskader"), BASE},
                                   {f->name, current ? fw_href(req, f->id, NULL) : NULL},
                                   {current, NULL}};
    page_begin(h, req, title, crumbs, current ? 4 : 3);
}

/* A table whose container can scroll sideways on a phone: focusable with a name, so keyboard
 * users can scroll it too (axe: scrollable-region-focusable). Close with table_end. */
static void scroll_table_begin(struct html *h, const char *caption, const char *const *headers,
                               int nheaders)
{
    html_raw(h, "<div class=\"utrecht-table-container utrecht-table-container--overflow-inline\" "
                "tabindex=\"0\" role=\"group\"");
    html_attr(h, "aria-label", caption);
    html_raw(h, "><table class=\"utrecht-table utrecht-table--html-table\">");
    if (caption) {
        html_raw(h, "<caption class=\"utrecht-table__caption\">");
        html_text(h, caption);
        html_raw(h, "</caption>");
    }
    html_raw(h, "<thead class=\"utrecht-table__header\"><tr class=\"utrecht-table__row\">");
    for (int i = 0; i < nheaders; i++) {
        html_raw(h, "<th scope=\"col\" class=\"utrecht-table__header-cell\">");
        html_text(h, headers[i]);
        html_raw(h, "</th>");
    }
    html_raw(h, "</tr></thead><tbody class=\"utrecht-table__body\">");
}

/* ---- List and create. ---- */

static bool may_create_framework(struct http_req *req)
{
    struct object_ref o = {.kind = OBJ_FRAMEWORK,
                           .owner_org_id = req->actor.org_id,
                           .owner_org_kind = req->actor.org_kind};
    return req->actor.org_kind == ORG_REGION && policy_allows(&req->actor, ACT_CREATE, &o);
}

static void render_list(struct http_req *req, const struct form_errors *fe, const char *name,
                        const char *desc, int status)
{
    struct framework *fs = NULL;
    int n = 0;
    int rc = framework_list(req->arena, req->app->store, &req->actor, 0, &fs, &n);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    const struct crumb crumbs[] = {{_("Start"), "/"}, {_("Kwaliteitskader"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Kwaliteitskader"), crumbs, 2);
    form_error_summary(&h, fe);
    page_flash(&h, req);
    kit_para(&h, _("Het kwaliteitskader van de regio: de kwaliteitscriteria die voor alle "
                   "aanbieders gelden, met hun bron, het gevraagde bewijs en hoe ze worden "
                   "getoetst. Gemeenten kunnen lokale punten toevoegen. Minder eisen is beter: "
                   "duiding zoekt criteria die hetzelfde vragen."));
    if (n == 0) {
        kit_para(&h, _("Er is nog geen kwaliteitskader."));
    } else {
        const char *heads[] = {_("Kwaliteitskader"), _("Regio"), _("Criteria"), _("Versie")};
        scroll_table_begin(&h, _("Kwaliteitskaders"), heads, 4);
        for (int i = 0; i < n; i++) {
            table_row_begin(&h);
            table_cell_link(&h, fw_href(req, fs[i].id, NULL), fs[i].name);
            table_cell(&h, fs[i].owner_name);
            table_cell(&h, arena_printf(req->arena, "%d", fs[i].ncriteria));
            table_cell(&h, arena_printf(req->arena, "%" PRId64, fs[i].version));
            table_row_end(&h);
        }
        table_end(&h);
    }
    if (may_create_framework(req)) {
        kit_h2(&h, _("Nieuw kwaliteitskader"));
        form_begin(&h, req, BASE);
        form_input(&h, fe, F_NAME, _("Naam"), "text", name, NULL, true, "off");
        form_textarea(&h, fe, F_DESC, _("Omschrijving"), desc,
                      _("Voor welke wetten en aanbieders het kader geldt."));
        form_submit(&h, _("Kwaliteitskader maken"));
        form_end(&h);
    }
    page_end(&h, req);
    page_send(req, &h, status);
}

static void list_page(struct http_req *req)
{
    render_list(req, NULL, NULL, NULL, 200);
}

static void create(struct http_req *req)
{
    struct framework_input in = {.owner_org_id = req->actor.org_id,
                                 .name = http_form(req, F_NAME),
                                 .description = http_form(req, F_DESC)};
    struct err_ctx e = {0};
    struct form_errors fe = {0};
    int64_t id = 0;
    int rc = framework_create(req->app->store, &req->actor, &in, &id, &e);
    if (rc == ERR_INVALID) {
        kit_error_add(&fe, &e, fw_fields, (int)ARRAY_LEN(fw_fields));
        render_list(req, &fe, in.name, in.description, 422);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req, arena_printf(req->arena, BASE "/%" PRId64 "?melding=aangemaakt", id));
}

/* ---- The framework. ---- */

/* With a gemeente chosen: the regional criteria and that gemeente's local points only. */
static bool shown_for(const struct criterion *c, int64_t only_gem)
{
    return only_gem == 0 || c->local_org_id == 0 || c->local_org_id == only_gem;
}

/* "Geldt in": all criteria, or what applies in one gemeente of the region. */
static int64_t gemeente_filter(struct html *h, struct http_req *req, const struct framework *f)
{
    struct org *gs = NULL;
    int ng = 0, total = 0;
    int64_t chosen = kit_id(http_query(req, F_GEMEENTE)), valid = 0;
    struct org_filter of = {
        .kind = ORG_GEMEENTE, .parent_id = f->owner_org_id, .limit = ORG_LIST_MAX};
    if (org_list(req->arena, req->app->store, &req->actor, &of, &gs, &ng, &total) != 0 || ng == 0)
        return 0;
    struct form_option *opts = arena_calloc(req->arena, (size_t)ng + 1, sizeof *opts);
    if (!opts)
        return 0;
    opts[0] = (struct form_option){"", _("Alle gemeenten: regionaal en alle lokale punten")};
    for (int i = 0; i < ng; i++) {
        opts[i + 1] =
            (struct form_option){arena_printf(req->arena, "%" PRId64, gs[i].id), gs[i].name};
        if (gs[i].id == chosen)
            valid = chosen;
    }
    kit_filter_begin(h, fw_href(req, f->id, NULL), _("Criteria per gemeente"));
    form_select(h, NULL, F_GEMEENTE, _("Geldt in"), opts, ng + 1,
                valid ? arena_printf(req->arena, "%" PRId64, valid) : "",
                _("Kies een gemeente om alleen de regionale criteria en de lokale punten van die "
                  "gemeente te zien."));
    kit_filter_end(h, fw_href(req, f->id, NULL));
    return valid;
}

/* "Uitkomstindicatoren: a, b" under a criterion (links sorted per criterion by code). */
static void links_text(struct html *h, const struct criterion_link *l, int nl, int64_t crit)
{
    int k = 0;
    for (int i = 0; i < nl; i++) {
        if (l[i].criterion_id != crit)
            continue;
        if (k++) {
            html_raw(h, ", ");
        } else {
            html_raw(h, "<br><small>");
            html_text(h, _("Uitkomstindicatoren: "));
        }
        html_text(h, l[i].indicator_name);
    }
    if (k)
        html_raw(h, "</small>");
}

struct crit_links {
    const struct criterion_link *l;
    int n;
};

static void criteria_table(struct html *h, struct http_req *req, const struct framework *f,
                           const struct criterion *cs, int n, int64_t theme_id,
                           const char *theme_name, bool archived, int64_t only_gem,
                           const struct crit_links *links)
{
    const char *heads[] = {_("Code"), _("Criterium"), _("Bron"), _("Wet"), _("Toetsing")};
    bool any = false;
    for (int i = 0; i < n && !any; i++)
        any = (theme_id == 0 || cs[i].theme_id == theme_id) && cs[i].archived == archived &&
              shown_for(&cs[i], only_gem);
    if (!any)
        return;
    scroll_table_begin(h, archived ? _("Gearchiveerde en samengevoegde criteria") : theme_name,
                       heads, 5);
    for (int i = 0; i < n; i++) {
        const struct criterion *c = &cs[i];
        if ((theme_id && c->theme_id != theme_id) || c->archived != archived ||
            !shown_for(c, only_gem))
            continue;
        table_row_begin(h);
        kit_cell_begin(h);
        if (may_edit_crit(req, f, c)) {
            html_raw(h, "<a class=\"utrecht-link\"");
            html_url_attr(h, "href", crit_href(req, c, NULL));
            html_raw(h, ">");
            html_text(h, c->code);
            html_raw(h, "</a>");
        } else {
            html_text(h, c->code);
        }
        kit_cell_end(h);
        kit_cell_begin(h);
        html_text(h, c->text);
        if (c->local_org_id) {
            html_raw(h, " <span class=\"duiding-tag\">");
            html_textf(h, _("lokaal: %s"), c->local_org_name ? c->local_org_name : "");
            html_raw(h, "</span>");
        }
        if (c->merged_into) {
            html_raw(h, " <span class=\"duiding-tag\">");
            html_text(h, _("samengevoegd"));
            html_raw(h, "</span>");
        }
        if (c->evidence && *c->evidence) {
            html_raw(h, "<br><small>");
            html_text(h, _("Bewijs: "));
            html_text(h, c->evidence);
            html_raw(h, "</small>");
        }
        if (c->categories && *c->categories) {
            html_raw(h, "<br><small>");
            html_text(h, _("Productcategorieën: "));
            html_text(h, c->categories);
            html_raw(h, "</small>");
        }
        links_text(h, links->l, links->n, c->id);
        kit_cell_end(h);
        kit_cell_begin(h);
        source_text(h, c->source, c->source_ref);
        for (int k = 0; k < c->nextra; k++) {
            html_raw(h, "<br>");
            source_text(h, c->extra[k].kind, c->extra[k].ref);
        }
        kit_cell_end(h);
        table_cell(h, laws_text(c->laws));
        kit_cell_begin(h);
        verify_text(h, c->verify);
        kit_cell_end(h);
        table_row_end(h);
    }
    table_end(h);
}

/* "Leidende principes": the text for everyone who views the framework, a form for its
 * editors. aanbieders commit to them before they submit a review (docs/verification.md). */
static void principles_section(struct html *h, struct http_req *req, const struct framework *f,
                               const char *text, const char *value, const struct form_errors *fe)
{
    html_raw(h, "<section aria-labelledby=\"leidende-principes\">");
    html_raw(h, "<h2 class=\"utrecht-heading-2\" id=\"leidende-principes\">");
    html_text(h, _("Leidende principes"));
    html_raw(h, "</h2>");
    if (text && *text) {
        struct str rest = str_from(text);
        while (rest.len > 0) { /* one paragraph per line */
            const char *nl = memchr(rest.p, '\n', rest.len);
            size_t len = nl ? (size_t)(nl - rest.p) : rest.len;
            struct str line = str_trim((struct str){rest.p, len});
            if (line.len)
                kit_para(h, arena_strndup(req->arena, line.p, line.len));
            rest.p += nl ? len + 1 : len;
            rest.len -= nl ? len + 1 : len;
        }
    } else {
        kit_para(h, _("Er zijn nog geen leidende principes vastgelegd."));
    }
    if (may_edit_framework(req, f)) {
        form_begin(h, req, fw_href(req, f->id, "/principes"));
        html_raw(h, "<input type=\"hidden\" name=\"" F_VERSION "\"");
        html_attr_int(h, "value", f->version);
        html_raw(h, ">");
        form_textarea(h, fe, F_PRINC, _("Leidende principes wijzigen"), value,
                      arena_printf(req->arena,
                                   _("Aanbieders aanvaarden deze principes voordat zij een "
                                     "toetsing indienen. Ten hoogste %d tekens; iedere regel "
                                     "wordt een alinea."),
                                   REVIEW_PRINCIPLES_MAX));
        form_submit(h, _("Leidende principes opslaan"));
        form_end(h);
    }
    html_raw(h, "</section>");
}

static void render_view(struct http_req *req, const struct framework *fp,
                        const struct form_errors *fe, const char *princ_value, int status)
{
    struct framework f = *fp;
    struct fw_theme *th = NULL;
    struct criterion *cs = NULL;
    struct fw_duplicate *d = NULL;
    struct crit_links links = {0};
    struct criterion_link *lk = NULL;
    const char *principles = "";
    int nt = 0, nc = 0, nd = 0, rc;
    if ((rc = framework_themes(req->arena, req->app->store, &req->actor, f.id, &th, &nt)) ||
        (rc = framework_criteria(req->arena, req->app->store, &req->actor, f.id, true, &cs, &nc)) ||
        (rc = framework_duplicates(req->arena, req->app->store, &req->actor, f.id, &d, &nd)) ||
        (rc = review_principles(req->arena, req->app->store, f.id, &principles)) ||
        (rc = review_links(req->arena, req->app->store, f.id, &lk, &links.n))) {
        kit_fail(req, rc);
        return;
    }
    links.l = lk;
    struct html h;
    html_init(&h);
    header(&h, req, &f, f.name, NULL);
    form_error_summary(&h, fe);
    page_flash(&h, req);
    if (f.description && *f.description)
        kit_para(&h, f.description);
    kit_dl_begin(&h);
    kit_dl_item(&h, _("Regio"), f.owner_name);
    kit_dl_item(&h, _("Actieve criteria"), arena_printf(req->arena, "%d", f.ncriteria));
    kit_dl_item(&h, _("Versie"), arena_printf(req->arena, "%" PRId64, f.version));
    kit_dl_end(&h);
    kit_actions_begin(&h);
    if (may_add(req, &f))
        kit_button_link(&h, fw_href(req, f.id, "/criteria/nieuw"), _("Criterium toevoegen"), true);
    kit_button_link(&h, fw_href(req, f.id, "/dubbelingen"),
                    arena_printf(req->arena, _("Dubbelingen (%d)"), nd), false);
    kit_button_link(&h, fw_href(req, f.id, "/versies"), _("Versies"), false);
    kit_button_link(&h, fw_href(req, f.id, "/export.csv"), _("Exporteren (CSV)"), false);
    kit_button_link(&h, fw_href(req, f.id, "/export.xlsx"), _("Exporteren (Excel)"), false);
    if (may_add(req, &f))
        kit_button_link(&h, fw_href(req, f.id, "/importeren"), _("Importeren"), false);
    kit_actions_end(&h);
    principles_section(&h, req, &f, principles, princ_value ? princ_value : principles, fe);
    int64_t only_gem = gemeente_filter(&h, req, &f);
    for (int t = 0; t < nt; t++) {
        bool any = false;
        for (int i = 0; i < nc && !any; i++)
            any = cs[i].theme_id == th[t].id && !cs[i].archived && shown_for(&cs[i], only_gem);
        if (!any)
            continue;
        kit_h2(&h, th[t].name);
        criteria_table(&h, req, &f, cs, nc, th[t].id, th[t].name, false, only_gem, &links);
    }
    bool archived = false;
    for (int i = 0; i < nc; i++)
        archived = archived || cs[i].archived;
    if (archived) {
        kit_h2(&h, _("Archief"));
        criteria_table(&h, req, &f, cs, nc, 0, NULL, true, only_gem, &links);
    }
    page_end(&h, req);
    page_send(req, &h, status);
}

static void view_page(struct http_req *req)
{
    struct framework f;
    if (framework_or_fail(req, &f))
        return;
    render_view(req, &f, NULL, NULL, 200);
}

/* POST /kwaliteitskader/{id}/principes */
static void save_principles(struct http_req *req)
{
    struct framework f;
    struct err_ctx e = {0};
    struct form_errors fe = {0};
    if (framework_or_fail(req, &f))
        return;
    const char *text = http_form(req, F_PRINC);
    int rc = review_update_principles(req->app->store, &req->actor, f.id,
                                      kit_id(http_form(req, F_VERSION)), text ? text : "", &e);
    if (rc == ERR_INVALID || rc == ERR_CONFLICT) {
        if (framework_get(req->arena, req->app->store, &req->actor, f.id, &f) != 0) {
            kit_fail(req, ERR_INTERNAL);
            return;
        }
        if (rc == ERR_CONFLICT)
            kit_error(&fe, F_PRINC, e.msg);
        else
            kit_error_add(&fe, &e, fw_fields, (int)ARRAY_LEN(fw_fields));
        render_view(req, &f, &fe, text ? text : "", rc == ERR_CONFLICT ? 409 : 422);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req, fw_href(req, f.id, "?melding=opgeslagen#leidende-principes"));
}

/* ---- Criterion form. ---- */

struct crit_form {
    const char *code, *theme, *text, *source, *ref, *cats, *evidence, *gemeente;
    unsigned laws, verify;
    int64_t version;
    const int64_t *ind; /* indicators chosen in a refused links form (ind_set) */
    int nind;
    bool ind_set;
};

/* "Uitkomstindicatoren bij dit criterium": a checkbox per active indicator (by name), in its
 * own form so that it does not disturb the criterion's version. */
static void links_form(struct html *h, struct http_req *req, const struct criterion *cur,
                       const struct crit_form *cf, const struct form_errors *fe)
{
    struct criterion_link *choices = NULL, *links = NULL;
    int nch = 0, nl = 0;
    if (review_indicator_choices(req->arena, req->app->store, &choices, &nch) != 0 ||
        review_criterion_links(req->arena, req->app->store, cur->id, &links, &nl) != 0)
        return;
    kit_h2(h, _("Uitkomstindicatoren"));
    kit_para(h, _("Bij een toetsing staan de uitkomsten van de aanbieder op deze indicatoren naast "
                  "het criterium."));
    if (nch == 0) {
        kit_para(h, _("Er zijn nog geen indicatoren."));
        return;
    }
    struct form_option *opts = arena_calloc(req->arena, (size_t)nch, sizeof *opts);
    bool *on = arena_calloc(req->arena, (size_t)nch, sizeof *on);
    if (!opts || !on)
        return;
    for (int i = 0; i < nch; i++) {
        opts[i] =
            (struct form_option){arena_printf(req->arena, "%" PRId64, choices[i].indicator_id),
                                 arena_printf(req->arena, "%s (%s)", choices[i].indicator_name,
                                              choices[i].indicator_code)};
        for (int k = 0; cf->ind_set && k < cf->nind && !on[i]; k++)
            on[i] = cf->ind[k] == choices[i].indicator_id;
        for (int k = 0; !cf->ind_set && k < nl && !on[i]; k++)
            on[i] = links[k].indicator_id == choices[i].indicator_id;
    }
    form_begin(h, req, crit_href(req, cur, "/indicatoren"));
    form_checkboxes(h, fe, F_IND, _("Uitkomstindicatoren bij dit criterium"), opts, nch, on);
    form_submit(h, _("Indicatoren opslaan"));
    form_end(h);
}

/* The gemeenten whose local points the actor may add in this framework ("" = regional). */
static int owner_options(struct http_req *req, const struct framework *f, struct form_option *out,
                         int cap)
{
    int n = 0;
    if (may_regional(req, f) && n < cap)
        out[n++] = (struct form_option){"", _("Regionaal (hele regio)")};
    struct org *gs = NULL;
    int ng = 0, total = 0;
    struct org_filter of = {
        .kind = ORG_GEMEENTE, .parent_id = f->owner_org_id, .limit = ORG_LIST_MAX};
    if (org_list(req->arena, req->app->store, &req->actor, &of, &gs, &ng, &total) != 0)
        return n;
    for (int i = 0; i < ng && n < cap; i++)
        if (may_crit(req, ACT_CREATE, gs[i].id, ORG_GEMEENTE))
            out[n++] =
                (struct form_option){arena_printf(req->arena, "%" PRId64, gs[i].id),
                                     arena_printf(req->arena, _("Lokaal punt van %s"), gs[i].name)};
    return n;
}

static void render_crit_form(struct http_req *req, const struct framework *f,
                             const struct criterion *cur, const struct crit_form *cf,
                             const struct form_errors *fe, int status)
{
    struct form_option owners[64];
    int nowners = owner_options(req, f, owners, (int)ARRAY_LEN(owners));
    struct form_option srcs[FW_SRC_MAX];
    for (int s = FW_SRC_MIN; s <= FW_SRC_MAX; s++)
        srcs[s - 1] = (struct form_option){fw_source_code((enum fw_source)s),
                                           fw_source_label((enum fw_source)s)};
    const struct form_option laws[] = {{"jw", _("Jeugdwet")}, {"wmo", _("Wmo")}};
    const bool law_on[] = {(cf->laws & FW_LAW_JW) != 0, (cf->laws & FW_LAW_WMO) != 0};
    const struct form_option ver[] = {{"document", _("Document")},
                                      {"gesprek", _("Verificatiegesprek")},
                                      {"onderzoek", _("Aanvullend onderzoek")}};
    const bool ver_on[] = {(cf->verify & FW_VERIFY_DOCUMENT) != 0,
                           (cf->verify & FW_VERIFY_GESPREK) != 0,
                           (cf->verify & FW_VERIFY_ONDERZOEK) != 0};
    struct html h;
    html_init(&h);
    const char *title =
        cur ? arena_printf(req->arena, _("Criterium %s"), cur->code) : _("Criterium toevoegen");
    header(&h, req, f, title, cur ? cur->code : _("Nieuw criterium"));
    form_error_summary(&h, fe);
    page_flash(&h, req);
    form_begin(&h, req, cur ? crit_href(req, cur, NULL) : fw_href(req, f->id, "/criteria"));
    if (cur) {
        html_raw(&h, "<input type=\"hidden\" name=\"" F_VERSION "\"");
        html_attr_int(&h, "value", cf->version);
        html_raw(&h, ">");
    }
    if (!cur && nowners > 0)
        form_select(&h, fe, F_GEMEENTE, _("Geldt voor"), owners, nowners, cf->gemeente,
                    _("Een lokaal punt geldt alleen in die gemeente, bovenop het regionale "
                      "kader."));
    form_input(&h, fe, F_CODE, _("Code"), "text", cf->code, _("Bijvoorbeeld K2.3"), true, "off");
    form_input(&h, fe, F_THEME, _("Thema"), "text", cf->theme,
               _("Een bestaand thema, of een nieuwe naam om een thema toe te voegen."), true,
               "off");
    form_textarea(&h, fe, F_TEXT, _("Criterium"), cf->text,
                  _("Wat de aanbieder doet of heeft, in gewone taal."));
    form_select(&h, fe, F_SOURCE, _("Soort bron"), srcs, FW_SRC_MAX, cf->source, NULL);
    form_input(&h, fe, F_REF, _("Bron"), "text", cf->ref, _("Bijvoorbeeld: Wmo 2015, art. 3.4"),
               false, "off");
    form_checkboxes(&h, fe, F_LAWS, _("Wet"), laws, 2, law_on);
    form_input(&h, fe, F_CATS, _("Productcategorieën"), "text", cf->cats,
               _("Codes gescheiden door komma's; leeg is alle categorieën."), false, "off");
    form_textarea(&h, fe, F_EVIDENCE, _("Gevraagd bewijs"), cf->evidence, NULL);
    form_checkboxes(&h, fe, F_VERIFY, _("Toetsing"), ver, 3, ver_on);
    form_submit(&h, cur ? _("Wijzigingen opslaan") : _("Criterium opslaan"));
    form_end(&h);
    if (cur) {
        kit_buttons_begin(&h);
        form_button(&h, req, crit_href(req, cur, cur->archived ? "/herstellen" : "/archiveren"),
                    cur->archived ? _("Herstellen") : _("Archiveren"), !cur->archived);
        kit_actions_end(&h);
        links_form(&h, req, cur, cf, fe);
    }
    page_end(&h, req);
    page_send(req, &h, status);
}

static unsigned form_bits(struct http_req *req, const char *name,
                          int (*parse)(const char *, unsigned *))
{
    int n = 0;
    unsigned bits = 0;
    const char **v = http_form_all(req, name, &n);
    for (int i = 0; v && i < n; i++) {
        unsigned b = 0;
        if (parse(v[i], &b) == 0)
            bits |= b;
    }
    return bits;
}

static void read_crit_form(struct http_req *req, struct crit_form *cf, struct criterion_input *in)
{
    cf->code = http_form(req, F_CODE);
    cf->theme = http_form(req, F_THEME);
    cf->text = http_form(req, F_TEXT);
    cf->source = http_form(req, F_SOURCE);
    cf->ref = http_form(req, F_REF);
    cf->cats = http_form(req, F_CATS);
    cf->evidence = http_form(req, F_EVIDENCE);
    cf->gemeente = http_form(req, F_GEMEENTE);
    cf->laws = form_bits(req, F_LAWS, fw_laws_parse);
    cf->verify = form_bits(req, F_VERIFY, fw_verify_parse);
    cf->version = kit_id(http_form(req, F_VERSION));
    enum fw_source s;
    *in = (struct criterion_input){.theme = cf->theme,
                                   .code = cf->code,
                                   .text = cf->text,
                                   .source = fw_source_parse(cf->source, &s) == 0 ? (int)s : 0,
                                   .source_ref = cf->ref,
                                   .laws = cf->laws,
                                   .categories = cf->cats,
                                   .evidence = cf->evidence,
                                   .verify = cf->verify,
                                   .local_org_id = kit_id(cf->gemeente),
                                   .version = cf->version};
}

static void new_page(struct http_req *req)
{
    struct framework f;
    if (framework_or_fail(req, &f))
        return;
    if (!may_add(req, &f)) {
        page_error(req, 403, NULL);
        return;
    }
    struct crit_form cf = {.source = "lokaal", .laws = FW_LAW_ALL, .verify = FW_VERIFY_DOCUMENT};
    render_crit_form(req, &f, NULL, &cf, NULL, 200);
}

static void create_crit(struct http_req *req)
{
    struct framework f;
    struct crit_form cf = {0};
    struct criterion_input in;
    struct err_ctx e = {0};
    struct form_errors fe = {0};
    int64_t id = 0;
    if (framework_or_fail(req, &f))
        return;
    read_crit_form(req, &cf, &in);
    int rc = criterion_create(req->app->store, &req->actor, f.id, &in, &id, &e);
    if (rc == ERR_INVALID || (rc == ERR_CONFLICT && e.field)) {
        kit_error_add(&fe, &e, crit_fields, (int)ARRAY_LEN(crit_fields));
        render_crit_form(req, &f, NULL, &cf, &fe, 422);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req, fw_href(req, f.id, "?melding=aangemaakt"));
}

/* The criterion {criteriumId} of framework {id}, with edit rights, or an error page. */
static int crit_or_fail(struct http_req *req, struct framework *f, struct criterion *c)
{
    int64_t cid;
    if (framework_or_fail(req, f) || http_param_id_or_404(req, 1, &cid))
        return ERR_NOT_FOUND;
    int rc = criterion_get(req->arena, req->app->store, &req->actor, cid, c);
    if (rc == 0 && c->framework_id != f->id)
        rc = ERR_NOT_FOUND;
    if (rc == 0 && !may_edit_crit(req, f, c))
        rc = ERR_DENIED;
    if (rc)
        kit_fail(req, rc);
    return rc;
}

static void edit_page(struct http_req *req)
{
    struct framework f;
    struct criterion c;
    if (crit_or_fail(req, &f, &c))
        return;
    struct crit_form cf = {.code = c.code,
                           .theme = c.theme_name,
                           .text = c.text,
                           .source = fw_source_code(c.source),
                           .ref = c.source_ref,
                           .cats = c.categories,
                           .evidence = c.evidence,
                           .laws = c.laws,
                           .verify = c.verify,
                           .version = c.version};
    render_crit_form(req, &f, &c, &cf, NULL, 200);
}

static void update_crit(struct http_req *req)
{
    struct framework f;
    struct criterion c;
    struct crit_form cf = {0};
    struct criterion_input in;
    struct err_ctx e = {0};
    struct form_errors fe = {0};
    if (crit_or_fail(req, &f, &c))
        return;
    read_crit_form(req, &cf, &in);
    in.local_org_id = c.local_org_id; /* moving between owners: through the API */
    int rc = criterion_update(req->app->store, &req->actor, c.id, &in, &e);
    if (rc == ERR_INVALID || rc == ERR_CONFLICT) {
        kit_error_add(&fe, &e, crit_fields, (int)ARRAY_LEN(crit_fields));
        if (rc == ERR_CONFLICT && !e.field)
            kit_error(&fe, NULL, e.msg);
        render_crit_form(req, &f, &c, &cf, &fe, rc == ERR_CONFLICT ? 409 : 422);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req, fw_href(req, f.id, "?melding=opgeslagen"));
}

static void set_archived(struct http_req *req, bool archived)
{
    struct framework f;
    struct criterion c;
    struct err_ctx e = {0};
    if (crit_or_fail(req, &f, &c))
        return;
    int rc = criterion_set_archived(req->app->store, &req->actor, c.id, archived, &e);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req,
                  fw_href(req, f.id, archived ? "?melding=gearchiveerd" : "?melding=hersteld"));
}

static void archive(struct http_req *req)
{
    set_archived(req, true);
}

static void restore(struct http_req *req)
{
    set_archived(req, false);
}

/* POST /kwaliteitskader/{id}/criteria/{criteriumId}/indicatoren: the linked indicators. */
static void save_links(struct http_req *req)
{
    struct framework f;
    struct criterion c;
    struct err_ctx e = {0};
    struct form_errors fe = {0};
    if (crit_or_fail(req, &f, &c))
        return;
    int n = 0;
    const char **v = http_form_all(req, F_IND, &n);
    int64_t *ids = n > 0 ? arena_calloc(req->arena, (size_t)n, sizeof *ids) : NULL;
    if (n > 0 && !ids) {
        kit_fail(req, ERR_NOMEM);
        return;
    }
    for (int i = 0; i < n; i++)
        ids[i] = v && v[i] ? kit_id(v[i]) : 0; /* 0 is no indicator: refused with the field */
    int rc = review_set_criterion_links(req->app->store, &req->actor, c.id, ids, n, &e);
    if (rc == ERR_INVALID) {
        struct crit_form cf = {.code = c.code,
                               .theme = c.theme_name,
                               .text = c.text,
                               .source = fw_source_code(c.source),
                               .ref = c.source_ref,
                               .cats = c.categories,
                               .evidence = c.evidence,
                               .laws = c.laws,
                               .verify = c.verify,
                               .version = c.version,
                               .ind = ids,
                               .nind = n,
                               .ind_set = true};
        kit_error_add(&fe, &e, fw_fields, (int)ARRAY_LEN(fw_fields));
        render_crit_form(req, &f, &c, &cf, &fe, 422);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req, crit_href(req, &c, "?melding=opgeslagen"));
}

/* ---- Duplicates. ---- */

static void crit_summary(struct html *h, const struct criterion *c)
{
    html_raw(h, "<strong>");
    html_text(h, c->code);
    html_raw(h, "</strong> ");
    html_text(h, c->text);
    html_raw(h, "<br><small>");
    source_text(h, c->source, c->source_ref);
    if (c->local_org_id) {
        html_raw(h, " · ");
        html_textf(h, _("lokaal: %s"), c->local_org_name ? c->local_org_name : "");
    }
    html_raw(h, "</small>");
}

/* One POST form with the pair and an action button. */
static void pair_button(struct html *h, struct http_req *req, const struct framework *f,
                        const struct fw_duplicate *d, const char *action, const char *label)
{
    html_raw(h, "<form class=\"duiding-inline-form\" method=\"post\"");
    html_url_attr(h, "action", fw_href(req, f->id, "/dubbelingen"));
    html_raw(h, "><input type=\"hidden\" name=\"csrf\"");
    html_attr(h, "value", req->csrf_token);
    html_raw(h, "><input type=\"hidden\" name=\"a\"");
    html_attr_int(h, "value", d->a->id);
    html_raw(h, "><input type=\"hidden\" name=\"b\"");
    html_attr_int(h, "value", d->b->id);
    html_raw(h, "><input type=\"hidden\" name=\"actie\"");
    html_attr(h, "value", action);
    html_raw(h,
             "><button type=\"submit\" class=\"utrecht-button utrecht-button--secondary-action\">");
    html_text(h, label);
    html_raw(h, "</button></form> ");
}

static void render_duplicates(struct http_req *req, const struct framework *f, const char *error,
                              int status)
{
    struct fw_duplicate *d = NULL;
    int n = 0;
    int rc = framework_duplicates(req->arena, req->app->store, &req->actor, f->id, &d, &n);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    struct html h;
    html_init(&h);
    header(&h, req, f, _("Mogelijke dubbelingen"), _("Dubbelingen"));
    if (error)
        page_alert(&h, "error", error);
    page_flash(&h, req);
    kit_para(&h, _("Minder eisen is beter: criteria die (bijna) hetzelfde vragen uit verschillende "
                   "bronnen. Voeg ze samen, zodat aanbieders hetzelfde bewijs maar één keer "
                   "leveren. Het criterium dat blijft krijgt de bron van het andere erbij; het "
                   "andere wordt gearchiveerd, niet verwijderd. Gelijkenis: het aandeel "
                   "gedeelde inhoudswoorden (vanaf 55% voorgesteld)."));
    if (n == 0) {
        kit_para(&h, _("Er zijn geen mogelijke dubbelingen gevonden."));
    } else {
        const char *heads[] = {_("Gelijkenis"), _("Criterium A"), _("Criterium B"), _("Actie")};
        scroll_table_begin(&h, _("Mogelijke dubbelingen"), heads, 4);
        for (int i = 0; i < n; i++) {
            table_row_begin(&h);
            table_cell(&h, arena_printf(req->arena, "%d%%", (int)(d[i].similarity * 100.0 + 0.5)));
            kit_cell_begin(&h);
            crit_summary(&h, d[i].a);
            kit_cell_end(&h);
            kit_cell_begin(&h);
            crit_summary(&h, d[i].b);
            kit_cell_end(&h);
            kit_cell_begin(&h);
            bool ea = may_edit_crit(req, f, d[i].a), eb = may_edit_crit(req, f, d[i].b);
            if (ea && eb) {
                pair_button(&h, req, f, &d[i], "behoud-a",
                            arena_printf(req->arena, _("Samenvoegen in %s"), d[i].a->code));
                pair_button(&h, req, f, &d[i], "behoud-b",
                            arena_printf(req->arena, _("Samenvoegen in %s"), d[i].b->code));
            }
            if (ea || eb)
                pair_button(&h, req, f, &d[i], "geen", _("Geen dubbeling"));
            if (!ea && !eb)
                html_text(&h, "–");
            kit_cell_end(&h);
            table_row_end(&h);
        }
        table_end(&h);
    }
    page_end(&h, req);
    page_send(req, &h, status);
}

static void duplicates_page(struct http_req *req)
{
    struct framework f;
    if (framework_or_fail(req, &f))
        return;
    render_duplicates(req, &f, NULL, 200);
}

static void duplicates_post(struct http_req *req)
{
    struct framework f;
    struct err_ctx e = {0};
    if (framework_or_fail(req, &f))
        return;
    int64_t a = kit_id(http_form(req, "a")), b = kit_id(http_form(req, "b"));
    const char *act = http_form(req, "actie");
    struct criterion ca;
    int rc =
        a && b ? criterion_get(req->arena, req->app->store, &req->actor, a, &ca) : ERR_NOT_FOUND;
    if (rc == 0 && ca.framework_id != f.id)
        rc = ERR_NOT_FOUND;
    /* Authorisation before validation: only editors of one of the pair get further. */
    if (rc == 0) {
        struct criterion cb;
        bool may = may_edit_crit(req, &f, &ca) ||
                   (criterion_get(req->arena, req->app->store, &req->actor, b, &cb) == 0 &&
                    may_edit_crit(req, &f, &cb));
        if (!may)
            rc = ERR_DENIED;
    }
    if (rc == 0) {
        if (act && strcmp(act, "behoud-a") == 0)
            rc = framework_merge(req->app->store, &req->actor, a, b, &e);
        else if (act && strcmp(act, "behoud-b") == 0)
            rc = framework_merge(req->app->store, &req->actor, b, a, &e);
        else if (act && strcmp(act, "geen") == 0)
            rc = framework_not_duplicate(req->app->store, &req->actor, a, b, &e);
        else
            rc = err_set(&e, ERR_INVALID, "actie", "%s", _("Kies een actie."));
    }
    if (rc == ERR_INVALID || (rc == ERR_CONFLICT && e.msg[0])) {
        render_duplicates(req, &f, e.msg, rc == ERR_CONFLICT ? 409 : 422);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req, fw_href(req, f.id, "/dubbelingen?melding=opgeslagen"));
}

/* ---- Versions. ---- */

static void versions_page(struct http_req *req)
{
    struct framework f;
    struct fw_version *v = NULL;
    int n = 0;
    if (framework_or_fail(req, &f))
        return;
    int rc = framework_versions(req->arena, req->app->store, &req->actor, f.id, &v, &n);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    struct html h;
    html_init(&h);
    header(&h, req, &f, _("Versies"), _("Versies"));
    kit_para(&h, _("Iedere wijziging van het kader of een criterium maakt een nieuwe versie. "
                   "Van elke versie kunt u het kader downloaden zoals het toen was."));
    const char *heads[] = {_("Versie"), _("Wanneer"), _("Door"), _("Wijziging"),
                           _("Kader in deze versie")};
    scroll_table_begin(&h, _("Versiegeschiedenis"), heads, 5);
    for (int i = 0; i < n; i++) {
        table_row_begin(&h);
        table_cell(&h, arena_printf(req->arena, "%" PRId64, v[i].version));
        kit_cell_begin(&h);
        kit_time_iso(&h, v[i].changed_at, false, "–");
        kit_cell_end(&h);
        table_cell(&h, v[i].changed_by ? v[i].changed_by : _("systeem"));
        table_cell(&h, v[i].summary);
        kit_cell_begin(&h);
        html_raw(&h, "<a class=\"utrecht-link\"");
        html_url_attr(&h, "href",
                      arena_printf(req->arena, BASE "/%" PRId64 "/export.csv?versie=%" PRId64, f.id,
                                   v[i].version));
        html_raw(&h, ">");
        html_textf(&h, _("CSV van versie %lld"), (long long)v[i].version);
        html_raw(&h, "</a>");
        kit_cell_end(&h);
        table_row_end(&h);
    }
    table_end(&h);
    page_end(&h, req);
    page_send(req, &h, 200);
}

/* ---- Export and import. ---- */

static void export(struct http_req *req, bool xlsx)
{
    struct framework f;
    struct criterion *cs = NULL;
    int n = 0;
    const char *out = NULL;
    size_t len = 0;
    struct err_ctx e = {0};
    if (framework_or_fail(req, &f))
        return;
    /* ?versie=N: the framework as it stood then (docs/framework.md#versions). */
    int64_t version = kit_id(http_query(req, "versie"));
    int rc = version ? framework_criteria_at(req->arena, req->app->store, &req->actor, f.id,
                                             version, &cs, &n)
                     : framework_criteria(req->arena, req->app->store, &req->actor, f.id, false,
                                          &cs, &n);
    if (version)
        f.version = version;
    if (!rc)
        rc = xlsx ? framework_export_xlsx(
                        req->arena, cs, n,
                        arena_printf(req->arena, "%s/tmp", req->app->cfg->data_dir), &out, &len, &e)
                  : framework_export_csv(req->arena, cs, n, &out, &len, &e);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    req->resp.status = 200;
    req->resp.content_type = xlsx ? XLSX_TYPE : "text/csv; charset=utf-8";
    req->resp.body = out;
    req->resp.body_len = len;
    /* framework_export_name is [a-z0-9.-] only. */
    http_resp_header(req, "Content-Disposition",
                     arena_printf(req->arena, "attachment; filename=\"%s\"",
                                  framework_export_name(req->arena, &f, xlsx)));
}

static void export_csv(struct http_req *req)
{
    export(req, false);
}

static void export_xlsx(struct http_req *req)
{
    export(req, true);
}

static void render_import(struct http_req *req, const struct framework *f,
                          const struct fwi_result *r, const char *error, int status)
{
    struct html h;
    html_init(&h);
    header(&h, req, f, _("Criteria importeren"), _("Importeren"));
    if (error)
        page_alert(&h, "error", error);
    if (r && r->nerrors) {
        html_raw(&h, "<div class=\"utrecht-alert utrecht-alert--error\" role=\"alert\">"
                     "<p class=\"utrecht-paragraph\">");
        html_text(&h, _("Het bestand is niet ingelezen; er is niets opgeslagen. Verbeter deze "
                        "regels en lees het hele bestand opnieuw in:"));
        html_raw(&h, "</p><ul class=\"utrecht-unordered-list\">");
        for (int i = 0; i < r->nerrors; i++) {
            html_raw(&h, "<li class=\"utrecht-unordered-list__item\">");
            html_text(&h, r->errors[i].msg);
            html_raw(&h, "</li>");
        }
        if (r->more_errors) {
            html_raw(&h, "<li class=\"utrecht-unordered-list__item\">");
            html_text(&h, _("… en meer fouten."));
            html_raw(&h, "</li>");
        }
        html_raw(&h, "</ul></div>");
    } else if (r) {
        page_alert(&h, "ok",
                   arena_printf(req->arena,
                                _("Ingelezen: %d regels, %d criteria toegevoegd, %d gewijzigd."),
                                r->rows, r->created, r->updated));
    }
    kit_para(&h, _("Een CSV- of Excel-bestand met de kolommen code, thema, criterium, bronsoort, "
                   "bron, wet, productcategorieen, bewijs, verificatie en gemeente (zoals de "
                   "export). Een bestaande code werkt dat criterium bij, een nieuwe code voegt "
                   "er een toe. Alles of niets: bij één fout wordt niets opgeslagen."));
    /* The body is streamed to disk before it is parsed, so the CSRF token rides in the URL. */
    const char *action = arena_printf(req->arena, BASE "/%" PRId64 "/importeren?csrf=%s", f->id,
                                      req->csrf_token ? req->csrf_token : "");
    html_raw(&h, "<form class=\"utrecht-form\" method=\"post\" enctype=\"multipart/form-data\"");
    html_url_attr(&h, "action", action);
    html_raw(&h, "><div class=\"utrecht-form-field\"><label class=\"utrecht-form-label\" "
                 "for=\"" F_FILE "\">");
    html_text(&h, _("Bestand (CSV of XLSX, ten hoogste 4 MiB)"));
    html_raw(&h,
             "</label><input class=\"utrecht-textbox\" type=\"file\" id=\"" F_FILE
             "\" name=\"" F_FILE "\" required accept=\".csv,.xlsx,text/csv," XLSX_TYPE "\"></div>");
    form_submit(&h, _("Bestand inlezen"));
    html_raw(&h, "</form>");
    kit_buttons_begin(&h);
    kit_button_link(&h, fw_href(req, f->id, NULL), _("Terug naar het kader"), false);
    kit_actions_end(&h);
    page_end(&h, req);
    page_send(req, &h, status);
}

static void import_page(struct http_req *req)
{
    struct framework f;
    if (framework_or_fail(req, &f))
        return;
    if (!may_add(req, &f)) {
        page_error(req, 403, NULL);
        return;
    }
    render_import(req, &f, NULL, NULL, 200);
}

/* Reads the uploaded temp file (at most FWI_MAX_BYTES + 1 bytes: more is refused by the
 * importer with its own message). */
static int read_upload(struct http_req *req, const struct http_upload *up, char **out, size_t *len)
{
    size_t cap = up->bytes > FWI_MAX_BYTES ? FWI_MAX_BYTES + 1 : (size_t)up->bytes;
    char *p = arena_alloc(req->arena, cap + 1);
    int fd = open(up->path, O_RDONLY | O_CLOEXEC);
    size_t got = 0;
    if (!p || fd < 0) {
        if (fd >= 0)
            close(fd);
        return ERR_IO;
    }
    while (got < cap) {
        ssize_t r = read(fd, p + got, cap - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    p[got] = '\0';
    *out = p;
    *len = got;
    return 0;
}

static void import_post(struct http_req *req)
{
    struct framework f;
    struct fwi_result r;
    if (framework_or_fail(req, &f))
        return;
    if (framework_may_import(req->app->store, &req->actor, f.id) != 0) {
        page_error(req, 403, NULL);
        return;
    }
    const struct http_upload *up = http_upload(req);
    if (!up || up->bytes == 0) {
        render_import(req, &f, NULL, _("Kies een bestand."), 422);
        return;
    }
    char *data = NULL;
    size_t len = 0;
    if (read_upload(req, up, &data, &len) != 0) {
        page_error(req, 500, NULL);
        return;
    }
    /* Small and bounded (4 MiB, 2000 criteria, one transaction): done inline. */
    int rc = framework_import(req->arena, req->app->store, &req->actor, f.id,
                              up->file_name[0] ? up->file_name : _("bestand"), data, len, &r);
    if (rc == ERR_INVALID || rc == ERR_TOO_BIG || (rc == ERR_CONFLICT && r.nerrors)) {
        render_import(req, &f, &r, NULL, 422);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    render_import(req, &f, &r, NULL, 200);
}

/* "nieuw" comes before "{criteriumId}": the router takes the first pattern that matches. */
const struct route framework_page_routes[] = {
    {"GET", BASE, list_page, 0, "framework.list"},
    {"POST", BASE, create, 0, "framework.create"},
    {"GET", BASE "/{id}", view_page, 0, "framework.view"},
    {"POST", BASE "/{id}/principes", save_principles, 0, "framework.principles"},
    {"GET", BASE "/{id}/criteria/nieuw", new_page, 0, "framework.criterion.new"},
    {"POST", BASE "/{id}/criteria", create_crit, 0, "framework.criterion.create"},
    {"GET", BASE "/{id}/criteria/{id}", edit_page, 0, "framework.criterion.edit"},
    {"POST", BASE "/{id}/criteria/{id}", update_crit, 0, "framework.criterion.update"},
    {"POST", BASE "/{id}/criteria/{id}/archiveren", archive, 0, "framework.criterion.archive"},
    {"POST", BASE "/{id}/criteria/{id}/herstellen", restore, 0, "framework.criterion.restore"},
    {"POST", BASE "/{id}/criteria/{id}/indicatoren", save_links, 0,
     "framework.criterion.indicators"},
    {"GET", BASE "/{id}/dubbelingen", duplicates_page, 0, "framework.duplicates"},
    {"POST", BASE "/{id}/dubbelingen", duplicates_post, 0, "framework.duplicates.decide"},
    {"GET", BASE "/{id}/versies", versions_page, 0, "framework.versions"},
    {"GET", BASE "/{id}/export.csv", export_csv, 0, "framework.export.csv"},
    {"GET", BASE "/{id}/export.xlsx", export_xlsx, 0, "framework.export.xlsx"},
    {"GET", BASE "/{id}/importeren", import_page, 0, "framework.import"},
    {"POST", BASE "/{id}/importeren", import_post, ROUTE_UPLOAD, "framework.import.upload"},
    ROUTES_END,
};
