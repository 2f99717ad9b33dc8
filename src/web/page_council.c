/*
 * page_council.c: the council report (raadsrapportage) on the web. GET /raadsrapportage shows a
 * choice of subject (a theme, or one societal result) and area (a gemeente within the reader's
 * figure scope, or the whole scope) and, once a subject is chosen, the report built by
 * report/council_report.h: plain Dutch, per result the key figures (a chart drawn by
 * static/charts.js with the table of the same figures beside it), stories with publication
 * consent, what was learned in conversations approved by every side, and the actions with their
 * status. GET /raadsrapportage.pdf takes the same query and returns the PDF. Every signed-in
 * user may read it (raad members in particular); the figures come through web/figures.h at the
 * published audience, never looser than the reader's own.
 */
#include "core/common.h"
#include "core/log.h"
#include "core/str.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "domain/result.h"
#include "metrics/engine.h"
#include "report/council_report.h"
#include "report/pdf.h"
#include "web/app.h"
#include "web/figures.h"
#include "web/figures_page.h"
#include "web/page.h"
#include "web/page_kit.h"
#include "web/router.h"
#include <time.h>

#define COUNCIL_MAX_AREAS   1000 /* gemeenten offered in the area menu */
#define COUNCIL_MENU_RESULT 200  /* results offered in the subject menu */

/* The area the report is about: one gemeente, or the reader's whole figure scope. */
struct area {
    const char *code; /* 4-digit CBS code, or NULL: the whole scope */
    const char *name;
    int64_t owners[COUNCIL_MAX_OWNERS]; /* whose results a theme report covers; none = all */
    int nowners;
};

struct area_option {
    const char *code; /* 4 digits */
    const char *name;
    int64_t org_id;
    const int64_t *parents;
    int nparents;
};

struct council_page {
    struct http_req *req;
    bool has_scope; /* the reader may see figures */
    struct mx_scope scope;
    struct area_option *opts;
    int nopts;
    bool offer_all; /* "the whole scope" is a choice (more than one gemeente) */
    const char *all_name;
    const char *area_value; /* the chosen menu value: a code or "alle" */
    struct area area;
    int64_t result_id;
    int theme;
    const char *subject_value; /* "thema-opgroeien" / "resultaat-12" or NULL */
};

static const char *bare_cbs(const char *s)
{
    return (s && (s[0] == 'G' || s[0] == 'g') && (s[1] == 'M' || s[1] == 'm')) ? s + 2 : s;
}

static bool in_scope(const struct mx_scope *sc, const char *code)
{
    if (sc->all_gemeenten)
        return true;
    for (size_t i = 0; i < sc->ngemeenten; i++)
        if (strcmp(sc->gemeenten[i], code) == 0)
            return true;
    return false;
}

static void add_owner(struct area *ar, int64_t id)
{
    if (id <= 0)
        return;
    for (int i = 0; i < ar->nowners; i++)
        if (ar->owners[i] == id)
            return;
    if (ar->nowners < COUNCIL_MAX_OWNERS)
        ar->owners[ar->nowners++] = id;
}

/* The gemeenten the reader may choose: those of the figure scope (every gemeente when the scope
 * is all of them, or when the reader sees no figures at all: the report still has its stories
 * and conversations, which are public). */
static int load_areas(struct council_page *p)
{
    struct http_req *req = p->req;
    p->has_scope = figures_scope(req, &p->scope) == 0;
    const struct object_ref fig = {.kind = OBJ_FIGURES};
    p->has_scope = p->has_scope && policy_allows(&req->actor, ACT_VIEW, &fig);
    struct org_filter f = {.kind = ORG_GEMEENTE, .limit = ORG_LIST_MAX};
    struct org *orgs = NULL;
    int n = 0, total = 0;
    int rc = org_list(req->arena, req->app->store, &req->actor, &f, &orgs, &n, &total);
    if (rc)
        return rc;
    p->opts = arena_calloc(req->arena, (size_t)(n ? n : 1), sizeof *p->opts);
    if (p->opts == NULL)
        return ERR_NOMEM;
    for (int i = 0; i < n && p->nopts < COUNCIL_MAX_AREAS; i++) {
        const char *code = bare_cbs(orgs[i].cbs_code);
        if (code == NULL || strlen(code) != 4)
            continue;
        if (p->has_scope && !in_scope(&p->scope, code))
            continue;
        if (!p->has_scope && req->actor.org_kind == ORG_GEMEENTE && orgs[i].id != req->actor.org_id)
            continue;
        struct area_option *o = &p->opts[p->nopts++];
        o->code = code;
        o->name = orgs[i].name;
        o->org_id = orgs[i].id;
        o->parents = orgs[i].parent_ids;
        o->nparents = orgs[i].nparents;
    }
    p->offer_all = p->nopts > 1;
    p->all_name = _("alle gemeenten");
    if (req->actor.org_kind == ORG_REGION) {
        struct org own;
        if (org_get_internal(req->arena, req->app->store, req->actor.org_id, &own) == 0)
            p->all_name = own.name;
    }
    return 0;
}

/* The area from ?gemeente= (a CBS code or "alle"); a gemeente outside the scope is refused. */
static int choose_area(struct council_page *p)
{
    struct http_req *req = p->req;
    const char *g = http_query(req, "gemeente");
    const struct area_option *pick = NULL;
    if (g && *g && strcmp(g, "alle") != 0) {
        const char *code = bare_cbs(g);
        for (int i = 0; i < p->nopts && !pick; i++)
            if (strcmp(p->opts[i].code, code) == 0)
                pick = &p->opts[i];
        if (!pick)
            return ERR_DENIED;
    } else if (!(g && *g) && p->nopts == 1) {
        pick = &p->opts[0];
    } else if (!(g && *g) && req->actor.org_kind == ORG_GEMEENTE) {
        for (int i = 0; i < p->nopts && !pick; i++)
            if (p->opts[i].org_id == req->actor.org_id)
                pick = &p->opts[i];
    }
    memset(&p->area, 0, sizeof p->area);
    if (pick) {
        p->area.code = pick->code;
        p->area.name = pick->name;
        p->area_value = pick->code;
        add_owner(&p->area, pick->org_id);
        for (int i = 0; i < pick->nparents; i++)
            add_owner(&p->area, pick->parents[i]);
        return 0;
    }
    if (p->nopts == 0)
        return ERR_DENIED; /* no gemeente to report on */
    p->area.name = p->all_name;
    p->area_value = "alle";
    /* The whole scope: the reader's own results and those of its regions; a reader who sees
     * every gemeente (or none of its own) gets the theme's results of every owner. */
    const struct actor *a = &req->actor;
    if (!p->scope.all_gemeenten &&
        (a->org_kind == ORG_GEMEENTE || a->org_kind == ORG_REGION || a->org_kind == ORG_TOEGANG)) {
        add_owner(&p->area, a->org_id);
        for (int i = 0; i < a->nregions && i < ACTOR_MAX_REGIONS; i++)
            add_owner(&p->area, a->region_ids[i]);
    }
    return 0;
}

/* The subject from ?onderwerp=thema-CODE|resultaat-ID, or ?thema= / ?resultaat=. 0 when none
 * was asked; ERR_INVALID for a bad value. */
static int choose_subject(struct council_page *p)
{
    struct http_req *req = p->req;
    const char *s = http_query(req, "onderwerp");
    const char *theme = http_query(req, "thema"), *result = http_query(req, "resultaat");
    if (s && strncmp(s, "thema-", 6) == 0)
        theme = s + 6;
    else if (s && strncmp(s, "resultaat-", 10) == 0)
        result = s + 10;
    else if (s && *s)
        return ERR_INVALID;
    if (result && *result) {
        p->result_id = kit_id(result);
        if (p->result_id <= 0)
            return ERR_INVALID;
        p->subject_value = arena_printf(req->arena, "resultaat-%" PRId64, p->result_id);
    } else if (theme && *theme) {
        enum result_theme t;
        if (theme_parse(theme, &t) != 0)
            return ERR_INVALID;
        p->theme = (int)t;
        p->subject_value = arena_printf(req->arena, "thema-%s", theme_code(t));
    }
    return 0;
}

/* ---- Figures through web/figures.h --------------------------------------------------------- */

struct view_ctx {
    struct http_req *req;
    const char *gemeente;
};

static int council_view(void *ctx, int64_t ind_id, struct period first, struct period last,
                        struct mx_view *out, struct err_ctx *e)
{
    struct view_ctx *vc = ctx;
    struct figures_opts o = {.ind_id = ind_id,
                             .pkind = PERIOD_QUARTER,
                             .first = first,
                             .last = last,
                             .audience = DC_PUBLISHED, /* never looser than what is published */
                             .bench_dim = -1};
    if (vc->gemeente) {
        const char **codes = arena_calloc(vc->req->arena, 1, sizeof *codes);
        if (codes == NULL)
            return ERR_NOMEM;
        codes[0] = vc->gemeente;
        o.where[MX_DIM_GEMEENTE].codes = codes;
        o.where[MX_DIM_GEMEENTE].n = 1;
    }
    return figures_view(vc->req, &o, out, e);
}

/* The newest quarter of the data (or of today when there is none). */
static struct period last_quarter(struct http_req *req)
{
    day_t ref = DAY_NONE;
    struct mx_engine *eng = figures_engine(req);
    if (eng) {
        struct mx_engine_stats st;
        mx_engine_get_stats(eng, &st);
        ref = st.data_date;
    }
    if (ref == DAY_NONE || ref == 0)
        ref = day_today();
    return period_of(ref, PERIOD_QUARTER);
}

static int build(struct council_page *p, struct council_report *rep, struct view_ctx *vc,
                 struct dc_rules *pub, struct err_ctx *e)
{
    struct http_req *req = p->req;
    dc_rules_for(req->app->cfg, DC_PUBLISHED, pub);
    vc->req = req;
    vc->gemeente = p->area.code;
    struct council_request rq = {.result_id = p->result_id,
                                 .theme = p->theme,
                                 .gemeente = p->area.code,
                                 .area_name = p->area.name,
                                 .owner_org_ids = p->area.owners,
                                 .nowners = p->area.nowners,
                                 .last = last_quarter(req),
                                 .view = p->has_scope ? council_view : NULL,
                                 .view_ctx = vc,
                                 .published = pub,
                                 .today = day_today()};
    return council_report_build(req->arena, req->app->store, &req->actor, &rq, rep, e);
}

/* ---- The page ------------------------------------------------------------------------------ */

static void subject_menu(struct council_page *p, struct html *h)
{
    struct http_req *req = p->req;
    html_raw(h, "<div class=\"utrecht-form-field utrecht-form-field--select\">"
                "<div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
                "for=\"veld-onderwerp\">");
    html_text(h, _("Onderwerp"));
    html_raw(h, "</label></div><div class=\"utrecht-form-field__input\"><select "
                "class=\"utrecht-select utrecht-select--html-select\" id=\"veld-onderwerp\" "
                "name=\"onderwerp\"><option value=\"\">");
    html_text(h, _("Kies een thema of resultaat"));
    html_raw(h, "</option><optgroup");
    html_attr(h, "label", _("Thema's"));
    html_raw(h, ">");
    for (int t = THEME_MIN; t <= THEME_MAX; t++) {
        const char *v = arena_printf(req->arena, "thema-%s", theme_code((enum result_theme)t));
        html_raw(h, "<option");
        html_attr(h, "value", v);
        html_attr_bool(h, "selected", p->subject_value && v && strcmp(v, p->subject_value) == 0);
        html_raw(h, ">");
        html_text(h, theme_label((enum result_theme)t));
        html_raw(h, "</option>");
    }
    html_raw(h, "</optgroup>");
    /* The results of the area's owners (every result when the area has none). */
    html_raw(h, "<optgroup");
    html_attr(h, "label", _("Maatschappelijke resultaten"));
    html_raw(h, ">");
    int nowners = p->area.nowners > 0 ? p->area.nowners : 1;
    int shown = 0;
    for (int k = 0; k < nowners && shown < COUNCIL_MENU_RESULT; k++) {
        struct result_filter f = {.owner_org_id = p->area.nowners > 0 ? p->area.owners[k] : 0,
                                  .limit = COUNCIL_MENU_RESULT};
        struct result *rows = NULL;
        int n = 0, total = 0;
        if (result_list(req->arena, req->app->store, &req->actor, &f, &rows, &n, &total) != 0)
            continue;
        for (int i = 0; i < n && shown < COUNCIL_MENU_RESULT; i++, shown++) {
            const char *v = arena_printf(req->arena, "resultaat-%" PRId64, rows[i].id);
            html_raw(h, "<option");
            html_attr(h, "value", v);
            html_attr_bool(h, "selected",
                           p->subject_value && v && strcmp(v, p->subject_value) == 0);
            html_raw(h, ">");
            html_text(h, rows[i].title);
            html_raw(h, "</option>");
        }
    }
    html_raw(h, "</optgroup></select></div></div>");
}

static void choice_form(struct council_page *p, struct html *h)
{
    html_raw(h, "<form class=\"utrecht-form duiding-filter duiding-council-choice\" "
                "method=\"get\" action=\"/raadsrapportage\"");
    html_attr(h, "aria-label", _("Kies de rapportage"));
    html_raw(h, ">");
    subject_menu(p, h);
    if (p->nopts > 1) {
        struct form_option *o = arena_calloc(p->req->arena, (size_t)p->nopts + 1, sizeof *o);
        int n = 0;
        if (o) {
            if (p->offer_all)
                o[n++] = (struct form_option){"alle", p->all_name};
            for (int i = 0; i < p->nopts; i++)
                o[n++] = (struct form_option){p->opts[i].code, p->opts[i].name};
            form_select(h, NULL, "gemeente", _("Gemeente"), o, n, p->area_value, NULL);
        }
    } else if (p->nopts == 1) {
        html_raw(h, "<input type=\"hidden\" name=\"gemeente\"");
        html_attr(h, "value", p->opts[0].code);
        html_raw(h, ">");
    }
    html_raw(h, "<div class=\"utrecht-button-group\"><button type=\"submit\" "
                "class=\"utrecht-button utrecht-button--primary-action\">");
    html_text(h, _("Rapportage tonen"));
    html_raw(h, "</button></div></form>");
}

static void figure_html(struct http_req *req, struct html *h, const struct council_figure *f,
                        int no)
{
    const struct fp_card card = {.name = f->name,
                                 .heading = 4,
                                 .explanation = f->explanation,
                                 .ok = f->ok,
                                 .shown = f->latest >= 0,
                                 .sentence = f->sentence,
                                 .problem = f->problem,
                                 .view = &f->view,
                                 .id_prefix = "raad",
                                 .no = no,
                                 .label = figures_label,
                                 .label_ctx = req,
                                 .bench_title = _("Ter vergelijking: midden (middelste helft)")};
    fp_figure_card(h, req, &card);
}

static void counts_html(struct html *h, const struct council_result *r)
{
    const char *heads[] = {_("Open"), _("Bezig"), _("Klaar"), _("Vervallen"), _("Te laat")};
    table_begin(h, _("Afspraken per status"), heads, 5);
    table_row_begin(h);
    int v[5] = {r->counts.open, r->counts.bezig, r->counts.klaar, r->counts.vervallen,
                r->counts.overdue};
    for (int i = 0; i < 5; i++) {
        kit_cell_begin(h);
        html_int(h, v[i]);
        kit_cell_end(h);
    }
    table_row_end(h);
    table_end(h);
}

static void actions_html(struct html *h, const struct council_result *r, day_t now)
{
    html_raw(h, "<h3 class=\"utrecht-heading-3\">");
    html_text(h, _("Wat we doen"));
    html_raw(h, "</h3>");
    kit_para(h, council_intro_actions());
    if (r->nactions == 0) {
        kit_para(h, _("Er zijn (nog) geen afspraken uit goedgekeurde gesprekken."));
        return;
    }
    counts_html(h, r);
    const char *heads[] = {_("Afspraak"), _("Wie"), _("Klaar uiterlijk"), _("Status")};
    table_begin(h, _("Alle afspraken"), heads, 4);
    for (int i = 0; i < r->nconversations; i++)
        for (int k = 0; k < r->conversations[i].nactions; k++) {
            const struct conv_pub_action *x = &r->conversations[i].actions[k];
            table_row_begin(h);
            table_cell(h, x->description);
            table_cell(h, x->owner_name);
            kit_cell_begin(h);
            kit_time_day(h, x->due_on);
            kit_cell_end(h);
            kit_cell_begin(h);
            html_text(h, x->status >= ACTION_STATUS_MIN && x->status <= ACTION_STATUS_MAX
                             ? action_status_label(x->status)
                             : "");
            if ((x->status == ACTION_OPEN || x->status == ACTION_BEZIG) && x->due_on < now) {
                html_raw(h, " <strong class=\"duiding-overdue\">");
                html_text(h, _("(te laat)"));
                html_raw(h, "</strong>");
            }
            kit_cell_end(h);
            table_row_end(h);
        }
    table_end(h);
}

static void result_html(struct http_req *req, struct html *h, const struct council_report *rep,
                        const struct council_result *r, int *chart_no)
{
    html_raw(h, "<section class=\"duiding-section duiding-council-result\"");
    html_attr(h, "aria-labelledby", arena_printf(req->arena, "resultaat-%" PRId64, r->result.id));
    html_raw(h, "><h2 class=\"utrecht-heading-2\"");
    html_attr(h, "id", arena_printf(req->arena, "resultaat-%" PRId64, r->result.id));
    html_raw(h, ">");
    html_text(h, r->result.title);
    html_raw(h, "</h2>");
    kit_para(h, r->intro);
    if (r->result.description && *r->result.description)
        kit_para(h, r->result.description);

    html_raw(h, "<h3 class=\"utrecht-heading-3\">");
    html_text(h, _("De cijfers"));
    html_raw(h, "</h3>");
    if (!rep->has_figures)
        kit_para(h, _("U kunt geen cijfers inzien."));
    else if (r->nfigures == 0)
        kit_para(h, _("Aan dit doel zijn (nog) geen indicatoren gekoppeld."));
    else
        kit_para(h, council_intro_figures(req->arena, &rep->rules));
    for (int i = 0; i < r->nfigures; i++)
        figure_html(req, h, &r->figures[i], ++*chart_no);

    html_raw(h, "<h3 class=\"utrecht-heading-3\">");
    html_text(h, _("Verhalen"));
    html_raw(h, "</h3>");
    kit_para(h, council_intro_stories());
    if (r->nstories == 0)
        kit_para(h, _("Er zijn (nog) geen verhalen die openbaar gemaakt mogen worden."));
    for (int i = 0; i < r->nstories; i++) {
        const struct council_story *st = &r->stories[i];
        html_raw(h, "<article class=\"duiding-council-story\"><h4 class=\"utrecht-heading-4\">");
        html_text(h, st->title);
        html_raw(h, "</h4><p class=\"utrecht-paragraph duiding-muted\">");
        html_text(h, st->kind_label);
        html_text(h, " · ");
        html_text(h, st->teller_role);
        html_text(h, " · ");
        kit_time_day(h, st->told_on);
        html_raw(h, "</p><blockquote class=\"duiding-quote\"><p class=\"utrecht-paragraph\">");
        html_text(h, st->body);
        html_raw(h, "</p></blockquote></article>");
    }

    html_raw(h, "<h3 class=\"utrecht-heading-3\">");
    html_text(h, _("Wat we leerden in gesprekken"));
    html_raw(h, "</h3>");
    kit_para(h, council_intro_conversations());
    if (r->nconversations == 0)
        kit_para(h, _("Er is (nog) geen gesprek over dit doel waarvan iedereen het verslag heeft "
                      "goedgekeurd."));
    for (int i = 0; i < r->nconversations; i++) {
        const struct conv_published *c = &r->conversations[i];
        html_raw(h, "<article class=\"duiding-council-conversation\">"
                    "<h4 class=\"utrecht-heading-4\">");
        html_text(h, c->title);
        html_raw(h, "</h4><p class=\"utrecht-paragraph duiding-muted\">");
        html_text(h, _("Gesprek op"));
        html_text(h, " ");
        kit_time_day(h, c->held_on);
        html_text(h, " ");
        html_text(h, _("met"));
        html_text(h, " ");
        for (int k = 0; k < c->nparties; k++) {
            if (k)
                html_text(h, ", ");
            html_text(h, c->parties[k].name);
        }
        html_raw(h, "</p>");
        kit_dl_begin(h);
        if (c->summary && *c->summary)
            kit_dl_item(h, _("Wat we zagen"), c->summary);
        if (c->conclusions && *c->conclusions)
            kit_dl_item(h, _("Wat we concludeerden"), c->conclusions);
        kit_dl_end(h);
        html_raw(h, "</article>");
    }
    actions_html(h, r, rep->made_on);
    html_raw(h, "</section>");
}

/* Loads areas, area and subject; answers 403/400 itself (returns false then). */
static bool prepare(struct council_page *p, struct http_req *req)
{
    memset(p, 0, sizeof *p);
    p->req = req;
    int rc = load_areas(p);
    if (rc) {
        kit_fail(req, rc);
        return false;
    }
    rc = choose_area(p);
    if (rc == ERR_DENIED) {
        page_error(req, 403,
                   p->nopts == 0 ? _("Er is geen gemeente waarover u een rapportage kunt lezen.")
                                 : _("Over deze gemeente kunt u geen rapportage lezen."));
        return false;
    }
    if (choose_subject(p)) {
        page_error(req, 400, _("Kies een thema of maatschappelijk resultaat uit de lijst."));
        return false;
    }
    return true;
}

static const char *pdf_href(struct council_page *p)
{
    const char *kv[4] = {"onderwerp", p->subject_value, "gemeente", p->area_value};
    return kit_url(p->req->arena, "/raadsrapportage.pdf", kv, 2);
}

static void council_page(struct http_req *req)
{
    struct council_page p;
    if (!prepare(&p, req))
        return;
    struct council_report rep;
    struct view_ctx vc;
    struct dc_rules pub;
    struct err_ctx e = {0};
    bool chosen = p.subject_value != NULL;
    int rc = chosen ? build(&p, &rep, &vc, &pub, &e) : 0;
    if (rc == ERR_NOT_FOUND) {
        page_error(req, 404, e.msg[0] ? e.msg : NULL);
        return;
    }
    if (rc) {
        page_error(req, rc == ERR_INVALID ? 400 : 500, e.msg[0] ? e.msg : NULL);
        return;
    }
    const struct crumb crumbs[] = {{_("Start"), "/"}, {_("Raadsrapportage"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, chosen ? rep.title : _("Raadsrapportage"), crumbs, (int)ARRAY_LEN(crumbs));
    fp_assets(&h);
    html_raw(&h, "<link rel=\"stylesheet\" href=\"/static/raad.css\">");
    if (!chosen) {
        kit_para(&h, _("De raadsrapportage laat per thema of maatschappelijk resultaat zien hoe "
                       "het gaat: de belangrijkste cijfers, verhalen van inwoners en "
                       "professionals, wat gemeente en zorgaanbieders samen leerden en wat zij "
                       "nu doen. In gewone taal, om te lezen, te printen of als PDF te delen."));
        choice_form(&p, &h);
        page_end(&h, req);
        page_send(req, &h, 200);
        return;
    }
    html_raw(&h, "<p class=\"utrecht-paragraph duiding-council-subtitle\">");
    html_text(&h, rep.subtitle);
    html_raw(&h, "</p>");
    choice_form(&p, &h);
    kit_actions_begin(&h);
    kit_button_link(&h, pdf_href(&p), _("PDF downloaden"), true);
    kit_actions_end(&h);
    html_raw(&h, "<p class=\"utrecht-paragraph duiding-council-intro\">");
    html_text(&h, rep.intro);
    html_raw(&h, "</p>");
    if (p.scope.aanbieder_id != 0 && p.has_scope)
        page_alert(&h, "info",
                   _("U ziet alleen de cijfers over de cliënten van uw eigen "
                     "organisatie."));
    if (rep.nresults == 0)
        page_alert(&h, "info",
                   _("Bij dit thema zijn (nog) geen maatschappelijke resultaten vastgesteld."));
    int chart_no = 0;
    for (int i = 0; i < rep.nresults; i++)
        result_html(req, &h, &rep, &rep.results[i], &chart_no);
    page_end(&h, req);
    page_send(req, &h, 200);
}

static void council_pdf(struct http_req *req)
{
    struct council_page p;
    if (!prepare(&p, req))
        return;
    if (p.subject_value == NULL) {
        page_error(req, 400, _("Kies een thema of maatschappelijk resultaat uit de lijst."));
        return;
    }
    struct council_report rep;
    struct view_ctx vc;
    struct dc_rules pub;
    struct err_ctx e = {0};
    int rc = build(&p, &rep, &vc, &pub, &e);
    if (rc) {
        page_error(req,
                   rc == ERR_NOT_FOUND ? 404
                   : rc == ERR_INVALID ? 400
                                       : 500,
                   e.msg[0] ? e.msg : NULL);
        return;
    }
    struct buf out;
    buf_init(&out, PDF_MAX_BYTES);
    rc = council_report_pdf(req->arena, &rep, &out, NULL, &e);
    if (rc) {
        buf_release(&out);
        log_error("council.pdf", "rid", req->rid, "error", e.msg[0] ? e.msg : err_name(rc), NULL);
        page_error(req, 500, NULL);
        return;
    }
    char *body = arena_alloc(req->arena, out.len ? out.len : 1);
    if (body == NULL) {
        buf_release(&out);
        page_error(req, 500, NULL);
        return;
    }
    memcpy(body, out.p, out.len);
    req->resp.status = 200;
    req->resp.content_type = "application/pdf";
    req->resp.body = body;
    req->resp.body_len = out.len;
    buf_release(&out);
    http_resp_header(req, "Content-Disposition",
                     arena_printf(req->arena, "attachment; filename=\"raadsrapportage-%s-%s.pdf\"",
                                  p.area.code ? p.area.code : "alle", p.subject_value));
}

const struct route council_page_routes[] = {
    {"GET", "/raadsrapportage", council_page, 0, "council.view"},
    {"GET", "/raadsrapportage.pdf", council_pdf, 0, "council.pdf"},
    ROUTES_END,
};
