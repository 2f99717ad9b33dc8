/*
 * page_org.c: the organisation pages: list with filters, details, create, edit, archive and
 * restore. A gemeente is picked from the CBS list, never typed. Without JavaScript one form
 * shows the fields of every kind, each group headed by the kind it applies to.
 */
#include "core/common.h"
#include "domain/cbs.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "domain/result.h"
#include "web/page.h"
#include "web/page_kit.h"
#include "web/router.h"

#define ORG_PAGE_SIZE        50
#define ORG_FORM_MAX_REGIONS 64 /* checked boxes kept for re-rendering; more is an error anyway */
#define ORG_DETAIL_RESULTS   20

/* What the form held, kept as strings so a refused form comes back exactly as it was sent. */
struct org_form {
    const char *soort;
    const char *naam;
    const char *gemeente; /* CBS code */
    const char *agb;
    const char *regio[ORG_FORM_MAX_REGIONS];
    int nregio;
    const char *ouder; /* the gemeente of a toegang team (organisation id) */
};

/* Form fields and the names the domain may give them in err_ctx.field. */
static const struct kit_field fields_common[] = {
    {"soort", "soort kind type orgkind"},
    {"naam", "naam name"},
    {"gemeente", "gemeente cbs cbscode code"},
    {"agb", "agb agbcode"},
};
static const struct kit_field fields_gemeente_parent[] = {
    {"regio", "regio regios region regions parent parents parentid parentids"},
};
static const struct kit_field fields_toegang_parent[] = {
    {"ouder", "ouder gemeente parent parents parentid parentids"},
};

static void add_domain_error(struct form_errors *fe, const struct err_ctx *e, enum org_kind kind)
{
    struct kit_field map[ARRAY_LEN(fields_common) + 1];
    memcpy(map, fields_common, sizeof fields_common);
    /* "parents" means the regions of a gemeente but the gemeente of a toegang team. */
    map[ARRAY_LEN(fields_common)] =
        kind == ORG_TOEGANG ? fields_toegang_parent[0] : fields_gemeente_parent[0];
    if (kind == ORG_TOEGANG && e->field && strcmp(e->field, "gemeente") == 0) {
        struct err_ctx copy = *e;
        copy.field = "ouder";
        kit_error_add(fe, &copy, map, (int)ARRAY_LEN(map));
        return;
    }
    kit_error_add(fe, e, map, (int)ARRAY_LEN(map));
}

static struct object_ref org_ref(const struct org *o)
{
    struct object_ref r = {.kind = OBJ_ORGANISATION};
    if (o) {
        r.id = o->id;
        r.owner_org_id = o->id;
        r.owner_org_kind = o->kind;
        if (o->kind == ORG_GEMEENTE) {
            r.owner_region_ids = o->parent_ids;
            r.owner_nregions = o->nparents;
        }
    }
    return r;
}

static bool may(struct http_req *req, enum action act, const struct org *o)
{
    struct object_ref r = org_ref(o);
    return policy_allows(&req->actor, act, &r);
}

static const char *org_href(struct http_req *req, int64_t id, const char *suffix)
{
    return arena_printf(req->arena, "/organisaties/%" PRId64 "%s", id, suffix ? suffix : "");
}

/* The organisations of one kind (not archived) for pick lists, sorted as the domain returns. */
static void orgs_of_kind(struct http_req *req, enum org_kind kind, bool archived, struct org **out,
                         int *n)
{
    struct org_filter f = {.kind = kind, .include_archived = archived, .limit = ORG_LIST_MAX};
    int total = 0;
    *out = NULL;
    *n = 0;
    if (org_list(req->arena, req->app->store, &req->actor, &f, out, n, &total) != 0) {
        *out = NULL;
        *n = 0;
    }
}

/* Names of regions and gemeenten, for the "hoort bij" column. */
struct name_index {
    struct org *regions, *gemeenten;
    int nregions, ngemeenten;
};

static void name_index_load(struct http_req *req, struct name_index *ix)
{
    orgs_of_kind(req, ORG_REGION, true, &ix->regions, &ix->nregions);
    orgs_of_kind(req, ORG_GEMEENTE, true, &ix->gemeenten, &ix->ngemeenten);
}

static const char *name_index_get(const struct name_index *ix, int64_t id)
{
    for (int i = 0; i < ix->nregions; i++)
        if (ix->regions[i].id == id)
            return ix->regions[i].name;
    for (int i = 0; i < ix->ngemeenten; i++)
        if (ix->gemeenten[i].id == id)
            return ix->gemeenten[i].name;
    return NULL;
}

static const char *org_code(const struct org *o)
{
    if (o->kind == ORG_GEMEENTE && o->cbs_code)
        return o->cbs_code;
    if (o->kind == ORG_AANBIEDER && o->agb_code)
        return o->agb_code;
    return NULL;
}

static struct form_option *kind_options(struct http_req *req, const char *first_label, int *n)
{
    int count = ORG_KIND_MAX - ORG_KIND_MIN + 2;
    struct form_option *opts = arena_calloc(req->arena, (size_t)count, sizeof *opts);
    *n = 0;
    if (!opts)
        return NULL;
    opts[0] = (struct form_option){"", first_label};
    for (int k = ORG_KIND_MIN; k <= ORG_KIND_MAX; k++)
        opts[k - ORG_KIND_MIN + 1] =
            (struct form_option){org_kind_code((enum org_kind)k), org_kind_label((enum org_kind)k)};
    *n = count;
    return opts;
}

/* ---------------------------------------------------------------------------------------- */
/* GET /organisaties                                                                          */

static void org_list_page(struct http_req *req)
{
    const char *soort = http_query(req, "soort");
    const char *zoeken = kit_trimmed(req->arena, http_query(req, "zoeken"));
    bool archived = http_query(req, "gearchiveerd") != NULL;
    int offset = kit_offset(req);
    struct org_filter f = {
        .include_archived = archived, .q = zoeken, .limit = ORG_PAGE_SIZE, .offset = offset};
    enum org_kind kind;
    struct org *os = NULL;
    int n = 0, total = 0;

    if (soort && *soort && org_kind_parse(str_from(soort), &kind) == 0)
        f.kind = kind;
    else
        soort = NULL;
    int rc = org_list(req->arena, req->app->store, &req->actor, &f, &os, &n, &total);
    /* The domain refuses a search text that is too long or holds control characters. */
    bool bad_query = rc == ERR_INVALID && zoeken;
    if (rc && !bad_query) {
        kit_fail(req, rc);
        return;
    }
    if (bad_query)
        n = total = 0;

    const struct crumb crumbs[] = {{_("Start"), "/"}, {_("Organisaties"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Organisaties"), crumbs, 2);
    page_flash(&h, req);
    if (bad_query)
        page_alert(&h, "error",
                   _("Deze zoektekst kunnen we niet gebruiken: hij is te lang of "
                     "bevat ongeldige tekens. Probeer een kortere zoektekst."));
    kit_para(&h, _("Gemeenten, regio's, aanbieders, toegangsteams en toezichthouders die met "
                   "duiding werken."));
    if (may(req, ACT_CREATE, NULL)) {
        kit_actions_begin(&h);
        kit_button_link(&h, "/organisaties/nieuw", _("Nieuwe organisatie"), true);
        kit_actions_end(&h);
    }

    int nopts = 0;
    struct form_option *opts = kind_options(req, _("Alle soorten"), &nopts);
    kit_filter_begin(&h, "/organisaties", _("Organisaties zoeken"));
    form_select(&h, NULL, "soort", _("Soort"), opts, nopts, soort ? soort : "", NULL);
    kit_filter_text(&h, "zoeken", _("Naam bevat"), zoeken, NULL);
    kit_filter_check(&h, "gearchiveerd", _("Ook gearchiveerde organisaties tonen"), archived);
    kit_filter_end(&h, "/organisaties");

    if (n == 0) {
        kit_para(&h, _("Er zijn geen organisaties gevonden die passen bij uw zoekopdracht."));
    } else {
        struct name_index ix = {0};
        name_index_load(req, &ix);
        const char *headers[] = {_("Naam"), _("Soort"), _("Code (CBS of AGB)"), _("Hoort bij")};
        char caption[128];
        snprintf(caption, sizeof caption, _("Organisaties (%d gevonden)"), total);
        table_begin(&h, caption, headers, (int)ARRAY_LEN(headers));
        for (int i = 0; i < n; i++) {
            const struct org *o = &os[i];
            table_row_begin(&h);
            kit_cell_begin(&h);
            html_raw(&h, "<a class=\"utrecht-link\"");
            html_url_attr(&h, "href", org_href(req, o->id, NULL));
            html_raw(&h, ">");
            html_text(&h, o->name);
            html_raw(&h, "</a>");
            if (o->archived) {
                html_raw(&h, " <span class=\"duiding-muted\">(");
                html_text(&h, _("gearchiveerd"));
                html_raw(&h, ")</span>");
            }
            kit_cell_end(&h);
            table_cell(&h, org_kind_label(o->kind));
            table_cell(&h, org_code(o));
            kit_cell_begin(&h);
            for (int p = 0; p < o->nparents; p++) {
                const char *pname = name_index_get(&ix, o->parent_ids[p]);
                if (p > 0)
                    html_raw(&h, ", ");
                html_text(&h, pname ? pname : "?");
            }
            kit_cell_end(&h);
            table_row_end(&h);
        }
        table_end(&h);
        const char *kv[] = {"soort", soort,          "zoeken",
                            zoeken,  "gearchiveerd", archived ? "1" : NULL};
        page_pager(&h, kit_url(req->arena, "/organisaties", kv, 3), offset, ORG_PAGE_SIZE, total);
    }
    page_end(&h, req);
    page_send(req, &h, bad_query ? 400 : 200);
}

/* ---------------------------------------------------------------------------------------- */
/* Create and edit form                                                                       */

static void read_form(struct http_req *req, struct org_form *v)
{
    int n = 0;
    const char **regio = http_form_all(req, "regio", &n);
    memset(v, 0, sizeof *v);
    v->soort = http_form(req, "soort");
    v->naam = http_form(req, "naam");
    v->gemeente = http_form(req, "gemeente");
    v->agb = http_form(req, "agb");
    v->ouder = http_form(req, "ouder");
    for (int i = 0; regio && i < n && i < ORG_FORM_MAX_REGIONS; i++)
        v->regio[v->nregio++] = regio[i];
    if (n > ORG_FORM_MAX_REGIONS)
        v->nregio = ORG_FORM_MAX_REGIONS + 1; /* flagged as too many in build_input */
}

static void form_from_org(struct http_req *req, const struct org *o, struct org_form *v)
{
    memset(v, 0, sizeof *v);
    v->soort = org_kind_code(o->kind);
    v->naam = o->name;
    v->gemeente = o->cbs_code;
    v->agb = o->agb_code;
    for (int i = 0; i < o->nparents && i < ORG_FORM_MAX_REGIONS; i++) {
        const char *id = arena_printf(req->arena, "%" PRId64, o->parent_ids[i]);
        if (o->kind == ORG_TOEGANG && i == 0)
            v->ouder = id;
        else if (id)
            v->regio[v->nregio++] = id;
    }
}

/*
 * Turns the form into domain input for `kind`; fields of other kinds are ignored. Empty
 * required fields are reported here, all at once and in form order; the domain checks the rest.
 */
static int build_input(struct http_req *req, enum org_kind kind, const struct org_form *v,
                       struct org_input *in, struct form_errors *fe)
{
    memset(in, 0, sizeof *in);
    in->kind = kind;
    in->name = kit_trimmed(req->arena, v->naam);
    if (!in->name && kind != ORG_GEMEENTE)
        kit_error(fe, "naam", _("Vul de naam van de organisatie in."));
    if (kind == ORG_GEMEENTE) {
        in->cbs_code = kit_trimmed(req->arena, v->gemeente);
        if (!in->cbs_code)
            kit_error(fe, "gemeente", _("Kies de gemeente uit de lijst van het CBS."));
        if (v->nregio > ORG_MAX_PARENTS) {
            char msg[ERR_MSG_MAX];
            snprintf(msg, sizeof msg, _("Kies hoogstens %d regio's."), ORG_MAX_PARENTS);
            kit_error(fe, "regio", msg);
        }
        for (int i = 0; i < v->nregio && i < ORG_MAX_PARENTS; i++) {
            int64_t id = kit_id(v->regio[i]);
            if (!id) {
                kit_error(fe, "regio", _("Kies de regio's uit de lijst."));
                break;
            }
            in->parent_ids[in->nparents++] = id;
        }
    } else if (kind == ORG_AANBIEDER) {
        in->agb_code = kit_trimmed(req->arena, v->agb);
        if (!in->agb_code)
            kit_error(fe, "agb", _("Vul de AGB-code van de aanbieder in."));
    } else if (kind == ORG_TOEGANG) {
        int64_t id = kit_id(v->ouder);
        if (!v->ouder || !*v->ouder)
            kit_error(fe, "ouder", _("Kies de gemeente waar het toegangsteam bij hoort."));
        else if (!id)
            kit_error(fe, "ouder", _("Kies de gemeente uit de lijst."));
        else
            in->parent_ids[in->nparents++] = id;
    }
    return fe->n ? ERR_INVALID : 0;
}

static bool form_has(const struct org_form *v, const char *id)
{
    for (int i = 0; i < v->nregio && i < ORG_FORM_MAX_REGIONS; i++)
        if (v->regio[i] && strcmp(v->regio[i], id) == 0)
            return true;
    return false;
}

static void section_begin(struct html *h, const char *kind_code, const char *title,
                          const char *intro)
{
    /* data-soort lets duiding.js hide the sections of other kinds; without it all show. */
    html_raw(h, "<section class=\"duiding-form-section\"");
    html_attr(h, "data-soort", kind_code);
    html_raw(h, ">");
    kit_h2(h, title);
    if (intro) {
        html_raw(h, "<p class=\"utrecht-paragraph duiding-muted\">");
        html_text(h, intro);
        html_raw(h, "</p>");
    }
}

static void section_end(struct html *h)
{
    html_raw(h, "</section>");
}

static void gemeente_fields(struct http_req *req, struct html *h, const struct form_errors *fe,
                            const struct org_form *v)
{
    size_t ncbs = 0;
    const struct cbs_gemeente *cbs = cbs_gemeenten(&ncbs);
    struct form_option *opts = arena_calloc(req->arena, ncbs + 1, sizeof *opts);
    if (opts) {
        opts[0] = (struct form_option){"", _("Kies een gemeente")};
        for (size_t i = 0; i < ncbs; i++)
            opts[i + 1] = (struct form_option){
                cbs[i].code, arena_printf(req->arena, "%s (%s)", cbs[i].name, cbs[i].province)};
        form_select(h, fe, "gemeente", _("Gemeente (CBS)"), opts, (int)ncbs + 1, v->gemeente,
                    _("Kies de gemeente uit de lijst van het CBS. De CBS-code nemen we daaruit "
                      "over."));
    }

    struct org *regions = NULL;
    int nregions = 0;
    orgs_of_kind(req, ORG_REGION, false, &regions, &nregions);
    if (nregions == 0) {
        kit_para(h, _("Er zijn nog geen regio's. Maak eerst een regio aan als de gemeente bij "
                      "een regio hoort."));
        return;
    }
    struct form_option *ropts = arena_calloc(req->arena, (size_t)nregions, sizeof *ropts);
    bool *checked = arena_calloc(req->arena, (size_t)nregions, sizeof *checked);
    if (!ropts || !checked)
        return;
    for (int i = 0; i < nregions; i++) {
        const char *id = arena_printf(req->arena, "%" PRId64, regions[i].id);
        ropts[i] = (struct form_option){id ? id : "", regions[i].name};
        checked[i] = id && form_has(v, id);
    }
    form_checkboxes(h, fe, "regio", _("Regio's waar de gemeente bij hoort (niet verplicht)"), ropts,
                    nregions, checked);
}

static void toegang_fields(struct http_req *req, struct html *h, const struct form_errors *fe,
                           const struct org_form *v)
{
    struct org *gs = NULL;
    int ng = 0;
    orgs_of_kind(req, ORG_GEMEENTE, false, &gs, &ng);
    struct form_option *opts = arena_calloc(req->arena, (size_t)ng + 1, sizeof *opts);
    if (!opts)
        return;
    opts[0] = (struct form_option){"", _("Kies een gemeente")};
    for (int i = 0; i < ng; i++) {
        const char *id = arena_printf(req->arena, "%" PRId64, gs[i].id);
        opts[i + 1] = (struct form_option){id ? id : "", gs[i].name};
    }
    form_select(h, fe, "ouder", _("Hoort bij gemeente"), opts, ng + 1, v->ouder,
                _("De gemeente waarvoor dit toegangsteam werkt."));
}

/* editing: the organisation being edited, or NULL for a new one. */
static void render_form(struct http_req *req, int status, const struct org *editing,
                        const struct org_form *v, const struct form_errors *fe)
{
    struct html h;
    enum org_kind kind = editing ? editing->kind : 0;
    const char *title = editing ? arena_printf(req->arena, _("%s bewerken"), editing->name)
                                : _("Nieuwe organisatie");
    html_init(&h);
    if (editing) {
        const struct crumb crumbs[] = {{_("Start"), "/"},
                                       {_("Organisaties"), "/organisaties"},
                                       {editing->name, org_href(req, editing->id, NULL)},
                                       {_("Bewerken"), NULL}};
        page_begin(&h, req, title ? title : _("Organisatie bewerken"), crumbs, 4);
    } else {
        const struct crumb crumbs[] = {{_("Start"), "/"},
                                       {_("Organisaties"), "/organisaties"},
                                       {_("Nieuwe organisatie"), NULL}};
        page_begin(&h, req, title, crumbs, 3);
    }
    form_error_summary(&h, fe);
    form_begin(&h, req, editing ? org_href(req, editing->id, NULL) : "/organisaties");

    if (editing) {
        kit_dl_begin(&h);
        kit_dl_item(&h, _("Soort"), org_kind_label(kind));
        kit_dl_end(&h);
        html_raw(&h, "<p class=\"utrecht-paragraph duiding-muted\">");
        html_text(&h, _("De soort van een organisatie kan niet worden gewijzigd."));
        html_raw(&h, "</p>");
        form_input(&h, fe, "naam", _("Naam"), "text", v->naam,
                   kind == ORG_GEMEENTE ? _("Laat leeg om de naam van het CBS te gebruiken.")
                                        : NULL,
                   kind != ORG_GEMEENTE, "organization");
        if (kind == ORG_GEMEENTE)
            gemeente_fields(req, &h, fe, v);
        else if (kind == ORG_AANBIEDER)
            form_input(&h, fe, "agb", _("AGB-code"), "text", v->agb,
                       _("De AGB-code van de aanbieder: 8 cijfers, te vinden in het "
                         "AGB-register van Vektis."),
                       true, "off");
        else if (kind == ORG_TOEGANG)
            toegang_fields(req, &h, fe, v);
        form_submit(&h, _("Wijzigingen opslaan"));
    } else {
        int nopts = 0;
        struct form_option *opts = kind_options(req, _("Kies de soort"), &nopts);
        form_select(&h, fe, "soort", _("Soort organisatie"), opts, nopts, v->soort,
                    _("Vul daarna alleen de velden in die bij deze soort horen. De kopjes "
                      "hieronder zeggen voor welke soort ze zijn."));
        form_input(&h, fe, "naam", _("Naam"), "text", v->naam,
                   _("Verplicht, behalve bij een gemeente: laat de naam dan leeg om de naam van "
                     "het CBS te gebruiken."),
                   true, "organization");
        section_begin(&h, "gemeente", _("Alleen voor een gemeente"), NULL);
        gemeente_fields(req, &h, fe, v);
        section_end(&h);
        section_begin(&h, "aanbieder", _("Alleen voor een aanbieder"), NULL);
        form_input(&h, fe, "agb", _("AGB-code"), "text", v->agb,
                   _("De AGB-code van de aanbieder: 8 cijfers, te vinden in het AGB-register "
                     "van Vektis."),
                   true, "off");
        section_end(&h);
        section_begin(&h, "toegang", _("Alleen voor een toegangsteam"), NULL);
        toegang_fields(req, &h, fe, v);
        section_end(&h);
        form_submit(&h, _("Organisatie opslaan"));
    }
    form_end(&h);
    html_raw(&h, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\"");
    html_url_attr(&h, "href", editing ? org_href(req, editing->id, NULL) : "/organisaties");
    html_raw(&h, ">");
    html_text(&h, _("Annuleren en teruggaan"));
    html_raw(&h, "</a></p>");
    page_end(&h, req);
    page_send(req, &h, status);
}

/* Re-renders after a refused save: 422 with the errors at their fields, 409 for a conflict. */
static void form_refused(struct http_req *req, int rc, const struct err_ctx *e,
                         const struct org *editing, enum org_kind kind, const struct org_form *v)
{
    struct form_errors fe = {0};
    if (rc == ERR_INVALID) {
        add_domain_error(&fe, e, kind);
        render_form(req, 422, editing, v, &fe);
    } else if (rc == ERR_CONFLICT) {
        struct err_ctx c = *e;
        if (!c.msg[0])
            snprintf(c.msg, sizeof c.msg, "%s",
                     _("Er bestaat al een organisatie met deze naam of code."));
        add_domain_error(&fe, &c, kind);
        render_form(req, 409, editing, v, &fe);
    } else {
        kit_fail(req, rc);
    }
}

static void org_new_page(struct http_req *req)
{
    struct org_form v = {0};
    if (!may(req, ACT_CREATE, NULL)) {
        page_error(req, 403, NULL);
        return;
    }
    v.soort = http_query(req, "soort");
    render_form(req, 200, NULL, &v, NULL);
}

static void org_create_submit(struct http_req *req)
{
    struct org_form v;
    struct org_input in;
    struct form_errors fe = {0};
    struct err_ctx e = {0};
    enum org_kind kind = 0;
    int64_t id = 0;

    /* Authorisation before validation: someone who may not create organisations learns
     * nothing from validation messages. */
    if (!may(req, ACT_CREATE, NULL)) {
        page_error(req, 403, NULL);
        return;
    }
    read_form(req, &v);
    if (!v.soort || org_kind_parse(str_from(v.soort), &kind) != 0) {
        /* Without a kind nothing else can be judged. */
        kit_error(&fe, "soort", _("Kies de soort organisatie."));
        render_form(req, 422, NULL, &v, &fe);
        return;
    }
    if (build_input(req, kind, &v, &in, &fe)) {
        render_form(req, 422, NULL, &v, &fe);
        return;
    }
    int rc = org_create(req->app->store, &req->actor, &in, &id, &e);
    if (rc) {
        form_refused(req, rc, &e, NULL, kind, &v);
        return;
    }
    http_redirect(req, org_href(req, id, "?melding=aangemaakt"));
}

/* Loads the organisation of path parameter 0; answers 404/403 itself and returns non-zero. */
static int load_org(struct http_req *req, struct org *o)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id))
        return ERR_NOT_FOUND;
    int rc = org_get(req->arena, req->app->store, &req->actor, id, o);
    if (rc)
        kit_fail(req, rc);
    return rc;
}

static void org_edit_page(struct http_req *req)
{
    struct org o;
    struct org_form v;
    if (load_org(req, &o))
        return;
    if (!may(req, ACT_EDIT, &o)) {
        page_error(req, 403, NULL);
        return;
    }
    form_from_org(req, &o, &v);
    render_form(req, 200, &o, &v, NULL);
}

static void org_update_submit(struct http_req *req)
{
    struct org o;
    struct org_form v;
    struct org_input in;
    struct form_errors fe = {0};
    struct err_ctx e = {0};
    if (load_org(req, &o))
        return;
    if (!may(req, ACT_EDIT, &o)) {
        page_error(req, 403, NULL);
        return;
    }
    read_form(req, &v);
    if (build_input(req, o.kind, &v, &in, &fe)) {
        render_form(req, 422, &o, &v, &fe);
        return;
    }
    in.population = o.population; /* not on the form: keep what the CBS import set */
    int rc = org_update(req->app->store, &req->actor, o.id, &in, &e);
    if (rc) {
        form_refused(req, rc, &e, &o, o.kind, &v);
        return;
    }
    http_redirect(req, org_href(req, o.id, "?melding=opgeslagen"));
}

/* ---------------------------------------------------------------------------------------- */
/* GET /organisaties/{id}                                                                     */

static void org_link(struct http_req *req, struct html *h, int64_t id, const char *name)
{
    html_raw(h, "<a class=\"utrecht-link\"");
    html_url_attr(h, "href", org_href(req, id, NULL));
    html_raw(h, ">");
    html_text(h, name);
    html_raw(h, "</a>");
}

/* "107.893": Dutch thousands separator. */
static void html_count_nl(struct html *h, int64_t v)
{
    char digits[32], out[48];
    int n = snprintf(digits, sizeof digits, "%" PRId64, v < 0 ? -v : v);
    size_t j = 0;
    if (n <= 0 || (size_t)n >= sizeof digits)
        return;
    if (v < 0)
        out[j++] = '-';
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[j++] = '.';
        out[j++] = digits[i];
    }
    out[j] = '\0';
    html_text(h, out);
}

static void detail_parents(struct http_req *req, struct html *h, const struct org *o)
{
    if (o->nparents == 0) {
        kit_dl_item(h, _("Hoort bij"), NULL);
        return;
    }
    kit_dl_item_begin(h, _("Hoort bij"));
    html_raw(h, "<ul class=\"utrecht-unordered-list duiding-plain-list\">");
    for (int i = 0; i < o->nparents; i++) {
        struct org p;
        html_raw(h, "<li>");
        if (org_get(req->arena, req->app->store, &req->actor, o->parent_ids[i], &p) == 0) {
            org_link(req, h, p.id, p.name);
            html_raw(h, " <span class=\"duiding-muted\">(");
            html_text(h, org_kind_label(p.kind));
            html_raw(h, ")</span>");
        } else {
            html_text(h, _("Onbekende organisatie"));
        }
        html_raw(h, "</li>");
    }
    html_raw(h, "</ul>");
    kit_dl_item_end(h);
}

static void detail_children(struct http_req *req, struct html *h, const struct org *o)
{
    struct org_filter f = {.parent_id = o->id, .include_archived = true, .limit = ORG_LIST_MAX};
    struct org *cs = NULL;
    int n = 0, total = 0;
    if (o->kind != ORG_REGION && o->kind != ORG_GEMEENTE)
        return;
    if (org_list(req->arena, req->app->store, &req->actor, &f, &cs, &n, &total) != 0)
        return;
    html_raw(h, "<section class=\"duiding-section\">");
    kit_h2(h, o->kind == ORG_REGION ? _("Gemeenten in deze regio")
                                    : _("Toegangsteams van deze gemeente"));
    if (n == 0) {
        kit_para(h, o->kind == ORG_REGION ? _("Er horen nog geen gemeenten bij deze regio.")
                                          : _("Deze gemeente heeft nog geen toegangsteam."));
    } else {
        html_raw(h, "<ul class=\"utrecht-unordered-list\">");
        for (int i = 0; i < n; i++) {
            html_raw(h, "<li>");
            org_link(req, h, cs[i].id, cs[i].name);
            if (cs[i].archived) {
                html_raw(h, " <span class=\"duiding-muted\">(");
                html_text(h, _("gearchiveerd"));
                html_raw(h, ")</span>");
            }
            html_raw(h, "</li>");
        }
        html_raw(h, "</ul>");
    }
    html_raw(h, "</section>");
}

static void detail_results(struct http_req *req, struct html *h, const struct org *o)
{
    struct result_filter f = {.owner_org_id = o->id, .limit = ORG_DETAIL_RESULTS};
    struct result *rs = NULL;
    int n = 0, total = 0;
    if (o->kind != ORG_REGION && o->kind != ORG_GEMEENTE)
        return;
    if (result_list(req->arena, req->app->store, &req->actor, &f, &rs, &n, &total) != 0)
        return;
    html_raw(h, "<section class=\"duiding-section\">");
    kit_h2(h, _("Maatschappelijke resultaten"));
    if (n == 0) {
        kit_para(h, _("Deze organisatie heeft nog geen maatschappelijke resultaten vastgelegd."));
    } else {
        html_raw(h, "<ul class=\"utrecht-unordered-list\">");
        for (int i = 0; i < n; i++) {
            html_raw(h, "<li><a class=\"utrecht-link\"");
            html_url_attr(h, "href", arena_printf(req->arena, "/resultaten/%" PRId64, rs[i].id));
            html_raw(h, ">");
            html_text(h, rs[i].title);
            html_raw(h, "</a> <span class=\"duiding-muted\">(");
            html_text(h, theme_label(rs[i].theme));
            html_textf(h, ", %d–%d", rs[i].start_year, rs[i].end_year);
            html_raw(h, ")</span></li>");
        }
        html_raw(h, "</ul>");
        if (total > n) {
            html_raw(h, "<p class=\"utrecht-paragraph\">");
            html_textf(h, _("En nog %d andere. "), total - n);
            html_raw(h, "<a class=\"utrecht-link\"");
            html_url_attr(h, "href",
                          arena_printf(req->arena, "/resultaten?eigenaar=%" PRId64, o->id));
            html_raw(h, ">");
            html_text(h, _("Alle resultaten van deze organisatie"));
            html_raw(h, "</a></p>");
        }
    }
    html_raw(h, "</section>");
}

static void detail_users(struct http_req *req, struct html *h, const struct org *o)
{
    struct object_ref users = {.kind = OBJ_USER, .owner_org_id = o->id, .owner_org_kind = o->kind};
    /* The user list is a beheerder page (as in the main menu). */
    if (!(req->actor.roles & ROLE_BEHEERDER) || !policy_allows(&req->actor, ACT_LIST, &users))
        return;
    html_raw(h, "<section class=\"duiding-section\">");
    kit_h2(h, _("Gebruikers"));
    html_raw(h, "<ul class=\"utrecht-unordered-list\"><li><a class=\"utrecht-link\"");
    html_url_attr(h, "href", arena_printf(req->arena, "/gebruikers?organisatie=%" PRId64, o->id));
    html_raw(h, ">");
    html_text(h, _("Gebruikers van deze organisatie bekijken"));
    html_raw(h, "</a></li>");
    if (!o->archived && policy_allows(&req->actor, ACT_CREATE, &users)) {
        html_raw(h, "<li><a class=\"utrecht-link\"");
        html_url_attr(h, "href",
                      arena_printf(req->arena, "/gebruikers/nieuw?organisatie=%" PRId64, o->id));
        html_raw(h, ">");
        html_text(h, _("Nieuwe gebruiker voor deze organisatie"));
        html_raw(h, "</a></li>");
    }
    html_raw(h, "</ul></section>");
}

static void render_detail(struct http_req *req, const struct org *o, int status, const char *error)
{
    const struct crumb crumbs[] = {
        {_("Start"), "/"}, {_("Organisaties"), "/organisaties"}, {o->name, NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, o->name, crumbs, 3);
    page_flash(&h, req);
    if (error)
        page_alert(&h, "error", error);
    if (o->archived)
        page_alert(&h, "info",
                   _("Deze organisatie is gearchiveerd. U kunt haar terugzetten "
                     "als ze weer nodig is."));

    bool can_edit = may(req, ACT_EDIT, o), can_archive = may(req, ACT_ARCHIVE, o);
    if (can_edit || can_archive) {
        kit_actions_begin(&h);
        if (can_edit)
            kit_button_link(&h, org_href(req, o->id, "/bewerken"), _("Bewerken"), true);
        if (can_archive && !o->archived)
            form_button(&h, req, org_href(req, o->id, "/archiveren"), _("Organisatie archiveren"),
                        true);
        if (can_archive && o->archived)
            form_button(&h, req, org_href(req, o->id, "/herstellen"),
                        _("Terugzetten uit het archief"), false);
        kit_actions_end(&h);
    }

    kit_h2(&h, _("Kerngegevens"));
    kit_dl_begin(&h);
    kit_dl_item(&h, _("Naam"), o->name);
    kit_dl_item(&h, _("Soort"), org_kind_label(o->kind));
    if (o->kind == ORG_GEMEENTE) {
        kit_dl_item(&h, _("CBS-code"), o->cbs_code);
        if (o->population > 0) {
            kit_dl_item_begin(&h, _("Inwoners (CBS)"));
            html_count_nl(&h, o->population);
            kit_dl_item_end(&h);
        }
    }
    if (o->kind == ORG_AANBIEDER)
        kit_dl_item(&h, _("AGB-code"), o->agb_code);
    detail_parents(req, &h, o);
    kit_dl_item(&h, _("Status"), o->archived ? _("Gearchiveerd") : _("Actief"));
    kit_dl_item_begin(&h, _("Aangemaakt op"));
    kit_time_iso(&h, o->created_at, false, "–");
    kit_dl_item_end(&h);
    kit_dl_end(&h);

    detail_children(req, &h, o);
    detail_results(req, &h, o);
    detail_users(req, &h, o);
    page_end(&h, req);
    page_send(req, &h, status);
}

static void org_detail_page(struct http_req *req)
{
    struct org o;
    if (load_org(req, &o))
        return;
    render_detail(req, &o, 200, NULL);
}

static void set_archived(struct http_req *req, bool archived)
{
    struct org o;
    struct err_ctx e = {0};
    if (load_org(req, &o))
        return;
    int rc = org_set_archived(req->app->store, &req->actor, o.id, archived, &e);
    if (rc == ERR_INVALID || rc == ERR_CONFLICT) {
        render_detail(req, &o, rc == ERR_INVALID ? 422 : 409,
                      e.msg[0] ? e.msg : _("Dit kan nu niet. Probeer het later opnieuw."));
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req,
                  org_href(req, o.id, archived ? "?melding=gearchiveerd" : "?melding=hersteld"));
}

static void org_archive_submit(struct http_req *req)
{
    set_archived(req, true);
}

static void org_restore_submit(struct http_req *req)
{
    set_archived(req, false);
}

const struct route org_page_routes[] = {
    {"GET", "/organisaties", org_list_page, 0, "org.list"},
    {"GET", "/organisaties/nieuw", org_new_page, 0, "org.new"},
    {"POST", "/organisaties", org_create_submit, 0, "org.create"},
    {"GET", "/organisaties/{id}", org_detail_page, 0, "org.view"},
    {"GET", "/organisaties/{id}/bewerken", org_edit_page, 0, "org.edit"},
    {"POST", "/organisaties/{id}", org_update_submit, 0, "org.update"},
    {"POST", "/organisaties/{id}/archiveren", org_archive_submit, 0, "org.archive"},
    {"POST", "/organisaties/{id}/herstellen", org_restore_submit, 0, "org.restore"},
    ROUTES_END,
};
