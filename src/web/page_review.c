/*
 * page_review.c: the provider pages and the review pages. /aanbieders (the aanbieders with their
 * latest review and open events), /aanbieders/{id} (reviews, events, status per theme, links to
 * contracts and the mirror report; forms to start a review and record an event),
 * /toetsingen/{id} (the triangulation per theme with "Voor het volgende gesprek", principles,
 * submission, conversation and decision), and the per-criterion forms for the self-declaration
 * and for a viewpoint's verdict. Rules live in domain/review.c and domain/provider_event.c;
 * this file only renders and maps errors onto fields.
 */
#include "core/common.h"
#include "report/mirror_report.h"
#include "core/str.h"
#include "domain/framework.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "domain/provider_event.h"
#include "domain/review.h"
#include "web/evidence_panel.h"
#include "web/figures.h"
#include "web/page.h"
#include "web/page_kit.h"
#include "web/router.h"
#include <time.h>

static const struct kit_field fields[] = {
    {"soort", "soort kind"},
    {"kader", "kader frameworkid"},
    {"van", "van periodfrom"},
    {"tot", "tot periodto"},
    {"wet", "wet laws"},
    {"gebeurtenis", "gebeurtenis providereventid"},
    {"contract", "contract contractid"},
    {"aanbieder", "aanbieder aanbiederid"},
    {"beschrijving", "beschrijving description"},
    {"datum", "datum ondate conversationon"},
    {"verslag", "verslag conversationreport"},
    {"reden", "reden reason"},
    {"zelfverklaring", "zelfverklaring selfdeclaration"},
    {"oordeel", "oordeel verdict"},
    {"methode", "methode method"},
    {"onderbouwing", "onderbouwing"},
    {"gezichtspunt", "gezichtspunt viewpoint"},
    {"besluit", "besluit decision"},
    {"criterium", "criterium criterionid"},
    {"principes", "principes principles"},
    {"versie", "versie version"},
};
#define NFIELDS ((int)ARRAY_LEN(fields))

static const char *id_text(struct arena *a, int64_t id)
{
    return id > 0 ? arena_printf(a, "%" PRId64, id) : NULL;
}

static void hidden_int(struct html *h, const char *name, int64_t v)
{
    html_raw(h, "<input type=\"hidden\"");
    html_attr(h, "name", name);
    html_attr_int(h, "value", v);
    html_raw(h, ">");
}

static void link(struct html *h, const char *href, const char *text)
{
    html_raw(h, "<a class=\"utrecht-link\"");
    html_url_attr(h, "href", href);
    html_raw(h, ">");
    html_text(h, text);
    html_raw(h, "</a>");
}

static void paragraphs(struct html *h, const char *text)
{
    struct str rest = str_from(text ? text : "");
    while (rest.len > 0) {
        size_t k = 0;
        while (k < rest.len && rest.p[k] != '\n')
            k++;
        struct str line = str_trim((struct str){rest.p, k});
        if (line.len > 0) {
            html_raw(h, "<p class=\"utrecht-paragraph\">");
            html_textn(h, line.p, line.len);
            html_raw(h, "</p>");
        }
        rest = k < rest.len ? (struct str){rest.p + k + 1, rest.len - k - 1} : (struct str){0};
    }
}

static void period_text(struct html *h, day_t from, day_t to)
{
    kit_time_day(h, from);
    html_text(h, " – ");
    kit_time_day(h, to);
}

static const char *laws_label(unsigned laws)
{
    if (laws == FW_LAW_ALL)
        return _("Jeugdwet en Wmo");
    return laws == FW_LAW_JW ? _("Jeugdwet") : _("Wmo");
}

static void status_tag(struct html *h, const struct review *r)
{
    html_raw(h, "<span class=\"duiding-tag\"");
    html_attr(h, "data-status", review_status_code(r->status));
    html_raw(h, ">");
    html_text(h, review_status_label(r->status));
    if (r->status == REVIEW_BESLOTEN) {
        html_text(h, ": ");
        html_text(h, review_decision_label(r->decision));
    }
    html_raw(h, "</span>");
}

/* ---- Provider list --------------------------------------------------------------------------- */

static void providers_page(struct http_req *req)
{
    struct review_provider *rows = NULL;
    int n = 0;
    int rc = review_providers(req->arena, req->app->store, &req->actor, &rows, &n);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    const struct crumb crumbs[] = {{_("Start"), "/"}, {_("Aanbieders"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Aanbieders"), crumbs, (int)ARRAY_LEN(crumbs));
    page_flash(&h, req);
    kit_para(&h, _("Per aanbieder de laatste toetsing die u mag zien en de gebeurtenissen van het "
                   "afgelopen jaar. Kies een aanbieder voor de toetsingen, gebeurtenissen en "
                   "de spiegelrapportage."));
    if (n == 0) {
        kit_para(&h, _("Er zijn geen aanbieders."));
    } else {
        const char *heads[] = {_("Aanbieder"), _("AGB-code"), _("Laatste toetsing"), _("Status"),
                               _("Gebeurtenissen (12 maanden)")};
        table_begin(&h, _("Aanbieders"), heads, (int)ARRAY_LEN(heads));
        for (int i = 0; i < n; i++) {
            table_row_begin(&h);
            table_cell_link(&h, arena_printf(req->arena, "/aanbieders/%" PRId64, rows[i].id),
                            rows[i].name);
            table_cell(&h, rows[i].agb_code ? rows[i].agb_code : "–");
            if (rows[i].has_review) {
                kit_cell_begin(&h);
                link(&h, arena_printf(req->arena, "/toetsingen/%" PRId64, rows[i].latest.id),
                     review_kind_label(rows[i].latest.kind));
                kit_cell_end(&h);
                kit_cell_begin(&h);
                status_tag(&h, &rows[i].latest);
                kit_cell_end(&h);
            } else {
                table_cell(&h, _("Nog geen toetsing"));
                table_cell(&h, "–");
            }
            kit_cell_begin(&h);
            html_int(&h, rows[i].open_events);
            kit_cell_end(&h);
            table_row_end(&h);
        }
        table_end(&h);
    }
    page_end(&h, req);
    page_send(req, &h, 200);
}

/* ---- Provider detail ------------------------------------------------------------------------- */

/* What a refused form on the provider page held, so it comes back as sent. */
struct provider_form {
    const struct form_errors *fe;
    const char *notice;
    /* new review */
    const char *soort, *kader, *van, *tot, *wet;
    /* new event */
    const char *esoort, *datum, *beschrijving;
};

/* The frameworks a review by the actor's organisation can use: those of its region(s). */
static int framework_options(struct http_req *req, struct form_option **out, int *n)
{
    struct framework *fws = NULL;
    int nf = 0;
    *out = NULL;
    *n = 0;
    int rc = framework_list(req->arena, req->app->store, &req->actor, 0, &fws, &nf);
    if (rc)
        return rc;
    struct form_option *opts = arena_calloc(req->arena, (size_t)nf + 1, sizeof *opts);
    if (!opts)
        return ERR_NOMEM;
    for (int i = 0; i < nf; i++) {
        bool mine = fws[i].owner_org_id == req->actor.org_id;
        for (int k = 0; k < req->actor.nregions && !mine; k++)
            mine = fws[i].owner_org_id == req->actor.region_ids[k];
        if (mine && !fws[i].archived)
            opts[(*n)++] = (struct form_option){id_text(req->arena, fws[i].id), fws[i].name};
    }
    *out = opts;
    return 0;
}

static bool may_create_review(struct http_req *req, int64_t aanbieder)
{
    struct review probe = {.owner_org_id = req->actor.org_id,
                           .owner_org_kind = req->actor.org_kind,
                           .aanbieder_id = aanbieder};
    struct object_ref o;
    review_object(&probe, req->arena, &o);
    return policy_allows(&req->actor, ACT_CREATE, &o);
}

static bool may_create_event(struct http_req *req, int64_t aanbieder)
{
    struct provider_event probe = {.aanbieder_id = aanbieder,
                                   .owner_org_id = req->actor.org_id,
                                   .owner_org_kind = req->actor.org_kind};
    struct object_ref o;
    provider_event_object(&probe, &o);
    return policy_allows(&req->actor, ACT_CREATE, &o);
}

static void theme_table(struct html *h, const struct review_theme_status *t, int n)
{
    const char *heads[] = {_("Thema"),    _("Criteria"), _("Voldoet"),    _("Deels"),
                           _("Nog niet"), _("Open"),     _("Verschillen")};
    table_begin(h, _("Stand per thema"), heads, (int)ARRAY_LEN(heads));
    for (int i = 0; i < n; i++) {
        table_row_begin(h);
        table_cell(h, t[i].theme);
        int v[] = {t[i].ncriteria, t[i].nvoldoet, t[i].ndeels,
                   t[i].nnog_niet, t[i].nopen,    t[i].ndifferences};
        for (size_t k = 0; k < ARRAY_LEN(v); k++) {
            kit_cell_begin(h);
            html_int(h, v[k]);
            kit_cell_end(h);
        }
        table_row_end(h);
    }
    table_end(h);
}

static void review_form(struct html *h, struct http_req *req, int64_t aanbieder,
                        const struct provider_form *pf)
{
    struct form_option *fw = NULL;
    int nfw = 0;
    if (framework_options(req, &fw, &nfw) != 0 || nfw == 0) {
        kit_h2(h, _("Toetsing starten"));
        kit_para(h, _("Uw regio heeft nog geen kwaliteitskader. Maak eerst een kwaliteitskader."));
        return;
    }
    const struct form_option kinds[] = {
        {"toelating", review_kind_label(REVIEW_TOELATING)},
        {"periodiek", review_kind_label(REVIEW_PERIODIEK)},
    };
    const struct form_option laws[] = {
        {"jw,wmo", _("Jeugdwet en Wmo")}, {"jw", _("Jeugdwet")}, {"wmo", _("Wmo")}};
    kit_h2_id(h, "toetsing-starten", _("Toetsing starten"));
    form_begin(h, req, arena_printf(req->arena, "/aanbieders/%" PRId64 "/toetsingen", aanbieder));
    form_select(h, pf->fe, "soort", _("Soort toetsing"), kinds, (int)ARRAY_LEN(kinds), pf->soort,
                NULL);
    form_select(h, pf->fe, "kader", _("Kwaliteitskader"), fw, nfw, pf->kader, NULL);
    form_select(h, pf->fe, "wet", _("Wet"), laws, (int)ARRAY_LEN(laws), pf->wet,
                _("Alleen de criteria voor deze wet horen bij de toetsing."));
    form_input(h, pf->fe, "van", _("Periode van"), "date", pf->van, NULL, true, "off");
    form_input(h, pf->fe, "tot", _("Periode tot en met"), "date", pf->tot, NULL, true, "off");
    form_submit(h, _("Toetsing starten"));
    form_end(h);
}

static void event_form(struct html *h, struct http_req *req, int64_t aanbieder,
                       const struct provider_form *pf)
{
    const struct form_option kinds[] = {
        {"calamiteit", provider_event_kind_label(PEV_CALAMITEIT)},
        {"maatregel_toezichthouder", provider_event_kind_label(PEV_MAATREGEL)},
        {"klacht", provider_event_kind_label(PEV_KLACHT)},
        {"overig", provider_event_kind_label(PEV_OVERIG)},
    };
    kit_h2_id(h, "gebeurtenis-vastleggen", _("Gebeurtenis vastleggen"));
    form_begin(h, req,
               arena_printf(req->arena, "/aanbieders/%" PRId64 "/gebeurtenissen", aanbieder));
    form_select(h, pf->fe, "soort_gebeurtenis", _("Soort gebeurtenis"), kinds,
                (int)ARRAY_LEN(kinds), pf->esoort, NULL);
    form_input(h, pf->fe, "datum", _("Datum"), "date", pf->datum, NULL, true, "off");
    form_textarea_required(h, pf->fe, "beschrijving", _("Beschrijving"), pf->beschrijving,
                           _("Schrijf geen namen, BSN, adressen of telefoonnummers op."));
    form_submit(h, _("Gebeurtenis vastleggen"));
    form_end(h);
}

static void events_section(struct html *h, struct http_req *req, int64_t aanbieder, bool can_review)
{
    struct provider_event *evs = NULL;
    int n = 0;
    kit_h2_id(h, "gebeurtenissen", _("Gebeurtenissen"));
    if (provider_event_list(req->arena, req->app->store, &req->actor, aanbieder, false, &evs, &n) !=
        0) {
        kit_para(h, _("De gebeurtenissen konden niet worden geladen."));
        return;
    }
    if (n == 0) {
        kit_para(h, _("Er zijn geen gebeurtenissen vastgelegd."));
        return;
    }
    html_raw(h, "<ul class=\"utrecht-unordered-list duiding-event-list\">");
    for (int i = 0; i < n; i++) {
        html_raw(h, "<li class=\"utrecht-unordered-list__item\"><p class=\"utrecht-paragraph\">"
                    "<strong>");
        html_text(h, provider_event_kind_label(evs[i].kind));
        html_raw(h, "</strong>, ");
        kit_time_day(h, evs[i].on_date);
        html_text(h, " — ");
        html_textf(h, _("vastgelegd door %s"), evs[i].owner_name ? evs[i].owner_name : "");
        html_raw(h, "</p>");
        paragraphs(h, evs[i].description);
        if (evs[i].review_id > 0) {
            html_raw(h, "<p class=\"utrecht-paragraph\">");
            link(h, arena_printf(req->arena, "/toetsingen/%" PRId64, evs[i].review_id),
                 _("Toetsing na deze gebeurtenis"));
            html_raw(h, "</p>");
        } else if (can_review) {
            struct form_option *fw = NULL;
            int nfw = 0;
            if (framework_options(req, &fw, &nfw) == 0 && nfw > 0) {
                form_begin(
                    h, req,
                    arena_printf(req->arena, "/aanbieders/%" PRId64 "/toetsingen", aanbieder));
                html_raw(h, "<input type=\"hidden\" name=\"soort\" value=\"gebeurtenis\">");
                hidden_int(h, "gebeurtenis", evs[i].id);
                html_raw(h, "<input type=\"hidden\" name=\"kader\"");
                html_attr(h, "value", fw[0].value);
                html_raw(h, "><input type=\"hidden\" name=\"wet\" value=\"jw,wmo\">");
                html_raw(h, "<input type=\"hidden\" name=\"van\"");
                html_attr(h, "value", kit_day_iso(req->arena, evs[i].on_date));
                html_raw(h, "><input type=\"hidden\" name=\"tot\"");
                html_attr(h, "value", kit_day_iso(req->arena, evs[i].on_date + 90));
                html_raw(h, "><button type=\"submit\" class=\"utrecht-button "
                            "utrecht-button--secondary-action\">");
                html_text(h, _("Toetsing starten na deze gebeurtenis"));
                html_raw(h, "</button>");
                form_end(h);
            }
        }
        html_raw(h, "</li>");
    }
    html_raw(h, "</ul>");
}

static void render_provider(struct http_req *req, int64_t id, const struct provider_form *pf,
                            int status)
{
    struct org o;
    int rc = org_get_internal(req->arena, req->app->store, id, &o);
    if (rc || o.kind != ORG_AANBIEDER) {
        kit_fail(req, rc ? rc : ERR_NOT_FOUND);
        return;
    }
    /* An aanbieder user sees only its own provider page (its status is its business). */
    if (req->actor.org_kind == ORG_AANBIEDER && req->actor.org_id != id) {
        kit_fail(req, ERR_NOT_FOUND);
        return;
    }
    struct review *revs = NULL;
    int nrevs = 0;
    struct review_filter f = {.aanbieder_id = id};
    if ((rc = review_list(req->arena, req->app->store, &req->actor, &f, &revs, &nrevs))) {
        kit_fail(req, rc);
        return;
    }
    const struct crumb crumbs[] = {
        {_("Start"), "/"}, {_("Aanbieders"), "/aanbieders"}, {o.name, NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, o.name, crumbs, (int)ARRAY_LEN(crumbs));
    page_flash(&h, req);
    if (pf && pf->fe)
        form_error_summary(&h, pf->fe);
    if (pf && pf->notice)
        page_alert(&h, "warning", pf->notice);
    /* The mirror report has its own audience: link to it only for those who may read it. */
    struct object_ref mirror;
    bool show_mirror = mirror_object(req->arena, req->app->store, id, &mirror) == 0 &&
                       policy_allows(&req->actor, ACT_VIEW, &mirror);
    kit_actions_begin(&h);
    if (show_mirror)
        kit_button_link(&h,
                        arena_printf(req->arena, "/aanbieders/%" PRId64 "/spiegelrapportage", id),
                        _("Spiegelrapportage"), false);
    kit_button_link(&h, arena_printf(req->arena, "/contracten?aanbieder=%" PRId64, id),
                    _("Contracten"), false);
    kit_actions_end(&h);
    kit_dl_begin(&h);
    kit_dl_item(&h, _("AGB-code"), o.agb_code);
    kit_dl_end(&h);

    /* The status per theme of the latest (decided) review. */
    struct review latest;
    bool found = false;
    struct review_theme_status *themes = NULL;
    int nthemes = 0;
    if (review_latest_status(req->arena, req->app->store, &req->actor, id, &latest, &found, &themes,
                             &nthemes) == 0 &&
        found) {
        kit_h2(&h, _("Stand van de verificatie"));
        html_raw(&h, "<p class=\"utrecht-paragraph\">");
        html_text(&h, review_kind_label(latest.kind));
        html_text(&h, ", ");
        period_text(&h, latest.period_from, latest.period_to);
        html_text(&h, ": ");
        status_tag(&h, &latest);
        html_raw(&h, "</p>");
        theme_table(&h, themes, nthemes);
    }

    kit_h2_id(&h, "toetsingen", _("Toetsingen"));
    if (nrevs == 0) {
        kit_para(&h, _("Er zijn nog geen toetsingen die u kunt zien."));
    } else {
        const char *heads[] = {_("Toetsing"), _("Door"), _("Periode"), _("Status")};
        table_begin(&h, _("Toetsingen"), heads, (int)ARRAY_LEN(heads));
        for (int i = 0; i < nrevs; i++) {
            table_row_begin(&h);
            table_cell_link(&h, arena_printf(req->arena, "/toetsingen/%" PRId64, revs[i].id),
                            review_kind_label(revs[i].kind));
            table_cell(&h, revs[i].owner_name);
            kit_cell_begin(&h);
            period_text(&h, revs[i].period_from, revs[i].period_to);
            kit_cell_end(&h);
            kit_cell_begin(&h);
            status_tag(&h, &revs[i]);
            kit_cell_end(&h);
            table_row_end(&h);
        }
        table_end(&h);
    }
    bool can_review = may_create_review(req, id);
    events_section(&h, req, id, can_review);
    static const struct provider_form empty = {0};
    if (!pf)
        pf = &empty;
    if (can_review)
        review_form(&h, req, id, pf);
    if (may_create_event(req, id))
        event_form(&h, req, id, pf);
    page_end(&h, req);
    page_send(req, &h, status);
}

static void provider_page(struct http_req *req)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id))
        return;
    render_provider(req, id, NULL, 200);
}

static unsigned parse_laws(const char *s)
{
    unsigned laws = 0;
    return s && fw_laws_parse(s, &laws) == 0 ? laws : 0;
}

static void create_review(struct http_req *req)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id))
        return;
    struct form_errors fe = {0};
    struct err_ctx e = {0};
    if (!may_create_review(req, id)) {
        kit_fail(req, ERR_DENIED);
        return;
    }
    struct provider_form pf = {.fe = &fe,
                               .soort = http_form(req, "soort"),
                               .kader = http_form(req, "kader"),
                               .van = http_form(req, "van"),
                               .tot = http_form(req, "tot"),
                               .wet = http_form(req, "wet")};
    enum review_kind kind = 0;
    day_t from = 0, to = 0;
    if (!pf.soort || review_kind_parse(pf.soort, &kind) != 0)
        kit_error(&fe, "soort", _("Kies de soort toetsing."));
    if (!pf.van || !kit_parse_day(pf.van, &from))
        kit_error(&fe, "van", _("Vul de begindatum in als dd-mm-jjjj."));
    if (!pf.tot || !kit_parse_day(pf.tot, &to))
        kit_error(&fe, "tot", _("Vul de einddatum in als dd-mm-jjjj."));
    if (fe.n > 0) {
        render_provider(req, id, &pf, 422);
        return;
    }
    struct review_input in = {.framework_id = kit_id(pf.kader),
                              .owner_org_id = req->actor.org_id,
                              .aanbieder_id = id,
                              .kind = (int)kind,
                              .provider_event_id = kit_id(http_form(req, "gebeurtenis")),
                              .period_from = from,
                              .period_to = to,
                              .laws = parse_laws(pf.wet)};
    int64_t rid = 0;
    int rc = review_create(req->app->store, &req->actor, &in, &rid, &e);
    if (rc == ERR_INVALID) {
        kit_error_add(&fe, &e, fields, NFIELDS);
        render_provider(req, id, &pf, 422);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req, arena_printf(req->arena, "/toetsingen/%" PRId64 "?melding=aangemaakt", rid));
}

static void create_event(struct http_req *req)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id))
        return;
    struct form_errors fe = {0};
    struct err_ctx e = {0};
    if (!may_create_event(req, id)) {
        kit_fail(req, ERR_DENIED);
        return;
    }
    struct provider_form pf = {.fe = &fe,
                               .esoort = http_form(req, "soort_gebeurtenis"),
                               .datum = http_form(req, "datum"),
                               .beschrijving = http_form(req, "beschrijving")};
    enum provider_event_kind kind = 0;
    day_t on = 0;
    if (!pf.esoort || provider_event_kind_parse(pf.esoort, &kind) != 0)
        kit_error(&fe, "soort_gebeurtenis", _("Kies de soort gebeurtenis."));
    if (!pf.datum || !kit_parse_day(pf.datum, &on))
        kit_error(&fe, "datum", _("Vul de datum in als dd-mm-jjjj."));
    if (fe.n > 0) {
        render_provider(req, id, &pf, 422);
        return;
    }
    struct provider_event_input in = {
        .aanbieder_id = id, .kind = (int)kind, .on_date = on, .description = pf.beschrijving};
    int64_t eid = 0;
    int rc = provider_event_create(req->app->store, &req->actor, &in, &eid, &e);
    if (rc == ERR_INVALID) {
        kit_error_add(&fe, &e, fields, NFIELDS);
        render_provider(req, id, &pf, 422);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(
        req,
        arena_printf(req->arena, "/aanbieders/%" PRId64 "?melding=aangemaakt#gebeurtenissen", id));
}

/* ---- Review page ----------------------------------------------------------------------------- */

struct review_page {
    struct review r;
    struct review_item *items;
    int nitems;
    struct review_view *views;
    int nviews;
    struct review_row *rows;
    int nrows;
    unsigned mine; /* viewpoints the actor holds */
    bool can_decide;
    struct criterion_link *links;
    int nlinks;
};

static int load_page(struct http_req *req, int64_t id, struct review_page *p)
{
    memset(p, 0, sizeof *p);
    int rc;
    if ((rc = review_get(req->arena, req->app->store, &req->actor, id, &p->r)) ||
        (rc = review_items(req->arena, req->app->store, &req->actor, id, &p->items, &p->nitems)) ||
        (rc = review_views(req->arena, req->app->store, &req->actor, id, &p->views, &p->nviews)) ||
        (rc = review_triangulate(req->arena, p->items, p->nitems, p->views, p->nviews, &p->rows,
                                 &p->nrows)))
        return rc;
    p->mine = review_my_viewpoints(req->arena, &req->actor, &p->r);
    struct object_ref o;
    review_object(&p->r, req->arena, &o);
    p->can_decide = policy_allows(&req->actor, ACT_APPROVE, &o);
    if (review_links(req->arena, req->app->store, p->r.framework_id, &p->links, &p->nlinks) != 0)
        p->nlinks = 0;
    return 0;
}

static const char *steps_text(struct arena *a, int d)
{
    return arena_printf(
        a, ngettext("verschil van %d stap", "verschil van %d stappen", (unsigned long)d), d);
}

static void cell_text(struct html *h, const struct review_row *row, int k)
{
    if (!row->present[k]) {
        /* Plain text: a visually hidden span (position: absolute) inside a scrolling table
         * would widen the page on a phone. */
        html_text(h, _("geen oordeel"));
        return;
    }
    const struct review_view *v = &row->cells[k];
    if (v->hidden) {
        html_raw(h, "<em>");
        html_text(h, _("niet gedeeld"));
        html_raw(h, "</em>");
        return;
    }
    html_raw(h, "<span class=\"duiding-verdict\"");
    html_attr(h, "data-verdict", review_verdict_code(v->verdict));
    html_raw(h, ">");
    html_text(h, review_verdict_label(v->verdict));
    html_raw(h, "</span>");
    if (!v->shared) {
        html_text(h, " ");
        html_raw(h, "<small>");
        html_text(h, _("(niet gedeeld)"));
        html_raw(h, "</small>");
    }
}

/* The provider's latest value and the benchmark of one linked indicator, through the
 * disclosure module (provider level). */
static void indicator_figure(struct html *h, struct http_req *req, int64_t aanbieder,
                             const struct criterion_link *l)
{
    struct figures_opts o = {0}; /* figures_parse_query keeps ind_id and preview */
    struct err_ctx e = {0};
    struct mx_view v;
    link(h,
         arena_printf(req->arena, "/indicatoren/%" PRId64 "?aanbieder=%" PRId64, l->indicator_id,
                      aanbieder),
         l->indicator_name ? l->indicator_name : l->indicator_code);
    if (figures_parse_query(req, &o, &e) != 0)
        return;
    o.ind_id = l->indicator_id;
    const char **code = arena_calloc(req->arena, 1, sizeof *code);
    if (!code)
        return;
    code[0] = id_text(req->arena, aanbieder);
    o.where[MX_DIM_AANBIEDER] = (struct mx_where){.codes = code, .n = 1};
    o.bench_dim = MX_DIM_AANBIEDER;
    if (figures_view(req, &o, &v, &e) != 0 || v.nperiods == 0)
        return;
    const struct mx_vcell *c = mx_view_cell(&v, v.nperiods - 1, NULL, NULL);
    if (!c)
        return;
    char val[48], bench[48];
    mx_view_format_value(&v, c, val, sizeof val);
    html_text(h, ": ");
    html_text(h, val);
    if (c->bench_entities > 0) {
        mx_view_format_number(&v, c->bench_median, bench, sizeof bench);
        html_text(h, " ");
        html_textf(h, _("(regio: mediaan %s)"), bench);
    }
}

static void indicators_cell(struct html *h, struct http_req *req, const struct review_page *p,
                            int64_t criterion_id)
{
    int shown = 0;
    for (int i = 0; i < p->nlinks; i++) {
        if (p->links[i].criterion_id != criterion_id)
            continue;
        if (shown)
            html_raw(h, "<br>");
        indicator_figure(h, req, p->r.aanbieder_id, &p->links[i]);
        shown++;
    }
    if (!shown)
        html_text(h, "–");
}

static void next_conversation(struct html *h, struct http_req *req, const struct review_page *p)
{
    int n = 0;
    for (int i = 0; i < p->nrows; i++)
        if (p->rows[i].max_distance > 1)
            n++;
    kit_h2_id(h, "volgend-gesprek", _("Voor het volgende gesprek"));
    if (n == 0) {
        kit_para(h, _("De oordelen die u kunt zien liggen niet meer dan één stap uit elkaar."));
        return;
    }
    kit_para(h, _("Bij deze criteria liggen de oordelen meer dan één stap uit elkaar. Bespreek "
                  "ze in het volgende gesprek."));
    html_raw(h, "<ul class=\"utrecht-unordered-list\">");
    for (int i = 0; i < p->nrows; i++) {
        const struct review_row *r = &p->rows[i];
        if (r->max_distance <= 1)
            continue;
        html_raw(h, "<li class=\"utrecht-unordered-list__item\"><strong>");
        html_text(h, r->item->code);
        html_raw(h, "</strong> ");
        html_textf(h, _("%s: %s, %s: %s (%s)"),
                   review_viewpoint_label((enum review_viewpoint)(1u << r->diff_a)),
                   review_verdict_label(r->cells[r->diff_a].verdict),
                   review_viewpoint_label((enum review_viewpoint)(1u << r->diff_b)),
                   review_verdict_label(r->cells[r->diff_b].verdict),
                   steps_text(req->arena, r->max_distance));
        html_raw(h, "</li>");
    }
    html_raw(h, "</ul>");
}

static void triangulation(struct html *h, struct http_req *req, const struct review_page *p)
{
    bool declare = (p->mine & VIEWPOINT_AANBIEDER) && p->r.status == REVIEW_CONCEPT;
    bool judge = (p->mine & ~(unsigned)VIEWPOINT_AANBIEDER) &&
                 (p->r.status == REVIEW_INGEDIEND || p->r.status == REVIEW_IN_BEOORDELING);
    kit_h2_id(h, "criteria", _("Oordelen per criterium"));
    for (int i = 0; i < p->nrows;) {
        int64_t theme = p->rows[i].item->theme_id;
        const char *heads[] = {_("Criterium"),
                               review_viewpoint_label(VIEWPOINT_AANBIEDER),
                               review_viewpoint_label(VIEWPOINT_CONTRACTMANAGER),
                               review_viewpoint_label(VIEWPOINT_TOEGANG),
                               review_viewpoint_label(VIEWPOINT_BACKOFFICE),
                               review_viewpoint_label(VIEWPOINT_TOEZICHTHOUDER),
                               _("Verschil"),
                               _("Indicatoren van de aanbieder")};
        /* The criterion's text needs room; the narrow verdict columns do not (duiding.css). */
        html_raw(h, "<div class=\"duiding-triangulation\">");
        table_begin(h, p->rows[i].item->theme, heads, (int)ARRAY_LEN(heads));
        for (; i < p->nrows && p->rows[i].item->theme_id == theme; i++) {
            const struct review_row *r = &p->rows[i];
            table_row_begin(h);
            kit_cell_begin(h);
            html_raw(h, "<strong>");
            html_text(h, r->item->code);
            html_raw(h, "</strong> ");
            html_text(h, r->item->text);
            if (!r->item->applicable) {
                html_raw(h, "<br><em>");
                html_text(h, _("Niet van toepassing volgens de aanbieder"));
                html_raw(h, "</em>");
            }
            if (declare || judge) {
                html_raw(h, "<br>");
                link(h,
                     arena_printf(req->arena, "/toetsingen/%" PRId64 "/%s?criterium=%" PRId64,
                                  p->r.id, declare ? "zelfverklaring" : "oordeel",
                                  r->item->criterion_id),
                     declare ? _("Zelfverklaring invullen") : _("Oordeel geven"));
            }
            kit_cell_end(h);
            for (int k = 0; k < VIEWPOINT_COUNT; k++) {
                kit_cell_begin(h);
                cell_text(h, r, k);
                kit_cell_end(h);
            }
            kit_cell_begin(h);
            if (r->max_distance > 1) {
                html_raw(h, "<strong class=\"duiding-tag duiding-overdue\">");
                html_text(h, steps_text(req->arena, r->max_distance));
                html_raw(h, "</strong>");
            } else {
                html_text(h, "–");
            }
            kit_cell_end(h);
            kit_cell_begin(h);
            indicators_cell(h, req, p, r->item->criterion_id);
            kit_cell_end(h);
            table_row_end(h);
        }
        table_end(h);
        html_raw(h, "</div>");
    }
}

struct review_form_state {
    const struct form_errors *fe;
    const char *notice;
    const char *datum, *verslag, *besluit, *reden;
};

static void owner_forms(struct html *h, struct http_req *req, const struct review_page *p,
                        const struct review_form_state *st)
{
    bool open = p->r.status == REVIEW_INGEDIEND || p->r.status == REVIEW_IN_BEOORDELING;
    if (!open)
        return;
    if (p->mine & VIEWPOINT_CONTRACTMANAGER) {
        kit_h2_id(h, "gesprek", _("Verificatiegesprek"));
        form_begin(h, req, arena_printf(req->arena, "/toetsingen/%" PRId64 "/gesprek", p->r.id));
        hidden_int(h, "versie", p->r.version);
        form_input(h, st->fe, "datum", _("Datum van het gesprek"), "date",
                   st->datum ? st->datum : p->r.conversation_on, NULL, true, "off");
        form_textarea_required(h, st->fe, "verslag", _("Verslag"),
                               st->verslag ? st->verslag : p->r.conversation_report,
                               _("Wat is besproken en wat is afgesproken."));
        form_submit(h, _("Gesprek opslaan"));
        form_end(h);
    }
    if (p->can_decide) {
        const struct form_option opts[] = {
            {"", _("Kies een besluit")},
            {"toegelaten", review_decision_label(DECISION_TOEGELATEN)},
            {"voorwaardelijk", review_decision_label(DECISION_VOORWAARDELIJK)},
            {"niet_toegelaten", review_decision_label(DECISION_NIET_TOEGELATEN)},
        };
        kit_h2_id(h, "besluit", _("Besluit"));
        form_begin(h, req, arena_printf(req->arena, "/toetsingen/%" PRId64 "/besluit", p->r.id));
        hidden_int(h, "versie", p->r.version);
        form_select(h, st->fe, "besluit", _("Besluit"), opts, (int)ARRAY_LEN(opts), st->besluit,
                    NULL);
        form_textarea(h, st->fe, "reden", _("Reden"), st->reden,
                      _("Verplicht als de aanbieder niet zonder voorwaarden wordt toegelaten."));
        form_submit(h, _("Besluit vastleggen"));
        form_end(h);
    }
}

static void provider_forms(struct html *h, struct http_req *req, const struct review_page *p)
{
    if (!(p->mine & VIEWPOINT_AANBIEDER) || p->r.status != REVIEW_CONCEPT)
        return;
    const char *principles = "";
    review_principles(req->arena, req->app->store, p->r.framework_id, &principles);
    kit_h2_id(h, "principes", _("Leidende principes"));
    if (principles && *principles)
        paragraphs(h, principles);
    else
        kit_para(h, _("De regio werkt volgens de leidende principes van het kwaliteitskader."));
    if (p->r.principles_accepted_at) {
        html_raw(h, "<p class=\"utrecht-paragraph\">");
        html_text(h, _("U heeft de leidende principes aangenomen op "));
        kit_time_iso(h, p->r.principles_accepted_at, false, NULL);
        html_text(h, ".");
        html_raw(h, "</p>");
    } else {
        form_begin(h, req, arena_printf(req->arena, "/toetsingen/%" PRId64 "/principes", p->r.id));
        hidden_int(h, "versie", p->r.version);
        form_submit(h, _("Ik neem de leidende principes aan"));
        form_end(h);
    }
    kit_h2_id(h, "indienen", _("Indienen"));
    kit_para(h, _("Vul bij ieder criterium de zelfverklaring in. Daarna kunt u de toetsing "
                  "indienen. Na het indienen kunt u niets meer wijzigen."));
    form_begin(h, req, arena_printf(req->arena, "/toetsingen/%" PRId64 "/indienen", p->r.id));
    hidden_int(h, "versie", p->r.version);
    form_submit(h, _("Toetsing indienen"));
    form_end(h);
}

static void render_review(struct http_req *req, const struct review_page *p,
                          const struct review_form_state *st, int status)
{
    static const struct review_form_state none = {0};
    if (!st)
        st = &none;
    const char *title = arena_printf(req->arena, _("%s: %s"), review_kind_label(p->r.kind),
                                     p->r.aanbieder_name ? p->r.aanbieder_name : "");
    const struct crumb crumbs[] = {
        {_("Start"), "/"},
        {_("Aanbieders"), "/aanbieders"},
        {p->r.aanbieder_name, arena_printf(req->arena, "/aanbieders/%" PRId64, p->r.aanbieder_id)},
        {_("Toetsing"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, title, crumbs, (int)ARRAY_LEN(crumbs));
    page_flash(&h, req);
    if (st->fe)
        form_error_summary(&h, st->fe);
    if (st->notice)
        page_alert(&h, "warning", st->notice);
    kit_dl_begin(&h);
    kit_dl_item_begin(&h, _("Status"));
    status_tag(&h, &p->r);
    kit_dl_item_end(&h);
    kit_dl_item(&h, _("Getoetst door"), p->r.owner_name);
    kit_dl_item_begin(&h, _("Periode"));
    period_text(&h, p->r.period_from, p->r.period_to);
    kit_dl_item_end(&h);
    kit_dl_item(&h, _("Wet"), laws_label(p->r.laws));
    if (p->r.provider_event_id > 0) {
        kit_dl_item_begin(&h, _("Aanleiding"));
        link(&h,
             arena_printf(req->arena, "/aanbieders/%" PRId64 "#gebeurtenissen", p->r.aanbieder_id),
             _("Gebeurtenis bij de aanbieder"));
        kit_dl_item_end(&h);
    }
    if (p->r.contract_id > 0) {
        kit_dl_item_begin(&h, _("Contract"));
        link(&h, arena_printf(req->arena, "/contracten/%" PRId64, p->r.contract_id),
             _("Contract bekijken"));
        kit_dl_item_end(&h);
    }
    if (p->r.conversation_on) {
        kit_dl_item(&h, _("Verificatiegesprek"), p->r.conversation_on);
        kit_dl_item(&h, _("Verslag"), p->r.conversation_report);
    }
    if (p->r.status == REVIEW_BESLOTEN) {
        kit_dl_item(&h, _("Besluit"), review_decision_label(p->r.decision));
        kit_dl_item(&h, _("Reden"), p->r.decision_reason);
    }
    if (p->mine) {
        const char *held = "";
        for (int k = 0; k < VIEWPOINT_COUNT; k++)
            if (p->mine & (1u << k))
                held = arena_printf(req->arena, "%s%s%s", held, *held ? ", " : "",
                                    review_viewpoint_label((enum review_viewpoint)(1u << k)));
        kit_dl_item(&h, _("Uw gezichtspunt"), held);
    }
    kit_dl_end(&h);
    next_conversation(&h, req, p);
    triangulation(&h, req, p);
    provider_forms(&h, req, p);
    owner_forms(&h, req, p, st);
    kit_h2_id(&h, "bewijsstukken", _("Bewijsstukken"));
    evidence_panel(&h, req, &p->r, 0);
    page_end(&h, req);
    page_send(req, &h, status);
}

static void review_page(struct http_req *req)
{
    int64_t id;
    struct review_page p;
    if (http_param_id_or_404(req, 0, &id))
        return;
    int rc = load_page(req, id, &p);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    render_review(req, &p, NULL, 200);
}

/* The answer to a POST on the review page: a redirect, a 422/409 re-render, or the error page. */
static void answer(struct http_req *req, int64_t id, int rc, const struct err_ctx *e,
                   struct review_form_state *st, const char *anchor)
{
    struct form_errors fe = {0};
    struct review_page p;
    if (rc == 0) {
        http_redirect(req, arena_printf(req->arena, "/toetsingen/%" PRId64 "?melding=opgeslagen%s",
                                        id, anchor ? anchor : ""));
        return;
    }
    if (rc != ERR_INVALID && rc != ERR_CONFLICT) {
        kit_fail(req, rc);
        return;
    }
    int lr = load_page(req, id, &p);
    if (lr) {
        kit_fail(req, lr);
        return;
    }
    if (rc == ERR_INVALID) {
        kit_error_add(&fe, e, fields, NFIELDS);
        st->fe = &fe;
        render_review(req, &p, st, 422);
    } else {
        st->notice = e->msg[0] ? e->msg : _("Deze toetsing is intussen gewijzigd.");
        render_review(req, &p, st, 409);
    }
}

static void accept_principles(struct http_req *req)
{
    int64_t id;
    struct err_ctx e = {0};
    struct review_form_state st = {0};
    if (http_param_id_or_404(req, 0, &id))
        return;
    int rc = review_accept_principles(req->app->store, &req->actor, id,
                                      kit_id(http_form(req, "versie")), &e);
    answer(req, id, rc, &e, &st, "#indienen");
}

static void submit(struct http_req *req)
{
    int64_t id;
    struct err_ctx e = {0};
    struct review_form_state st = {0};
    if (http_param_id_or_404(req, 0, &id))
        return;
    int rc = review_submit(req->app->store, &req->actor, id, kit_id(http_form(req, "versie")), &e);
    answer(req, id, rc, &e, &st, NULL);
}

static void save_conversation(struct http_req *req)
{
    int64_t id;
    struct err_ctx e = {0};
    struct review_form_state st = {.datum = http_form(req, "datum"),
                                   .verslag = http_form(req, "verslag")};
    if (http_param_id_or_404(req, 0, &id))
        return;
    day_t d;
    const char *iso =
        st.datum && kit_parse_day(st.datum, &d) ? kit_day_iso(req->arena, d) : st.datum;
    int rc = review_set_conversation(req->app->store, &req->actor, id,
                                     kit_id(http_form(req, "versie")), iso, st.verslag, &e);
    answer(req, id, rc, &e, &st, "#gesprek");
}

static void decide(struct http_req *req)
{
    int64_t id;
    struct err_ctx e = {0};
    struct review_form_state st = {.besluit = http_form(req, "besluit"),
                                   .reden = http_form(req, "reden")};
    if (http_param_id_or_404(req, 0, &id))
        return;
    enum review_decision d = DECISION_NONE;
    if (st.besluit)
        review_decision_parse(st.besluit, &d);
    int rc = review_decide(req->app->store, &req->actor, id, kit_id(http_form(req, "versie")),
                           (int)d, st.reden, &e);
    answer(req, id, rc, &e, &st, NULL);
}

/* ---- Per-criterion forms --------------------------------------------------------------------- */

struct crit_form {
    const struct form_errors *fe;
    const char *notice;
    const char *toepassing, *reden, *zelfverklaring, *oordeel, *gezichtspunt, *methode,
        *onderbouwing;
    bool gedeeld, gedeeld_set;
};

static const struct review_row *row_of(const struct review_page *p, int64_t crit)
{
    for (int i = 0; i < p->nrows; i++)
        if (p->rows[i].item->criterion_id == crit)
            return &p->rows[i];
    return NULL;
}

static void verdict_options(struct form_option *o, int *n, bool with_empty)
{
    *n = 0;
    if (with_empty)
        o[(*n)++] = (struct form_option){"", _("Kies een oordeel")};
    const enum review_verdict vs[] = {VERDICT_VOLDOET, VERDICT_DEELS, VERDICT_NOG_NIET,
                                      VERDICT_NVT};
    for (size_t k = 0; k < ARRAY_LEN(vs); k++)
        o[(*n)++] = (struct form_option){review_verdict_code(vs[k]), review_verdict_label(vs[k])};
}

static void render_crit(struct http_req *req, const struct review_page *p,
                        const struct review_row *row, bool declare, const struct crit_form *cf,
                        int status)
{
    static const struct crit_form none = {0};
    if (!cf)
        cf = &none;
    const struct review_item *it = row->item;
    const char *back = arena_printf(req->arena, "/toetsingen/%" PRId64, p->r.id);
    const struct crumb crumbs[] = {{_("Start"), "/"},
                                   {_("Aanbieders"), "/aanbieders"},
                                   {_("Toetsing"), back},
                                   {it->code, NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req,
               arena_printf(req->arena, declare ? _("Zelfverklaring bij %s") : _("Oordeel bij %s"),
                            it->code),
               crumbs, (int)ARRAY_LEN(crumbs));
    if (cf->fe)
        form_error_summary(&h, cf->fe);
    if (cf->notice)
        page_alert(&h, "warning", cf->notice);
    kit_dl_begin(&h);
    kit_dl_item(&h, _("Thema"), it->theme);
    kit_dl_item(&h, _("Criterium"), it->text);
    kit_dl_item(&h, _("Gevraagd bewijs"), it->evidence && *it->evidence ? it->evidence : NULL);
    kit_dl_item(&h, _("Zelfverklaring van de aanbieder"),
                it->applicable ? it->self_declaration : it->not_applicable_reason);
    kit_dl_end(&h);
    struct form_option vopts[6];
    int nv = 0;
    form_begin(&h, req,
               arena_printf(req->arena, "/toetsingen/%" PRId64 "/%s", p->r.id,
                            declare ? "zelfverklaring" : "oordeel"));
    hidden_int(&h, "versie", p->r.version);
    hidden_int(&h, "criterium", it->criterion_id);
    int ab = review_viewpoint_index(VIEWPOINT_AANBIEDER);
    if (declare) {
        const struct form_option yn[] = {{"ja", _("Ja")}, {"nee", _("Nee")}};
        const char *own = row->present[ab] ? review_verdict_code(row->cells[ab].verdict) : NULL;
        form_select(&h, cf->fe, "toepassing", _("Is dit criterium van toepassing?"), yn, 2,
                    cf->toepassing ? cf->toepassing : (it->applicable ? "ja" : "nee"), NULL);
        form_textarea(&h, cf->fe, "reden", _("Waarom niet van toepassing"),
                      cf->reden ? cf->reden : it->not_applicable_reason,
                      _("Alleen invullen als het criterium niet van toepassing is."));
        form_textarea(&h, cf->fe, "zelfverklaring", _("Zelfverklaring"),
                      cf->zelfverklaring ? cf->zelfverklaring : it->self_declaration,
                      _("Hoe voldoet u aan dit criterium? Noem het bewijs dat u meestuurt."));
        verdict_options(vopts, &nv, true);
        form_select(&h, cf->fe, "oordeel", _("Uw eigen oordeel"), vopts, nv,
                    cf->oordeel ? cf->oordeel : own, NULL);
        form_submit(&h, _("Zelfverklaring opslaan"));
    } else {
        struct form_option vps[VIEWPOINT_COUNT];
        int nvp = 0;
        for (int k = 0; k < VIEWPOINT_COUNT; k++) {
            unsigned bit = 1u << k;
            if ((p->mine & bit) && bit != VIEWPOINT_AANBIEDER)
                vps[nvp++] =
                    (struct form_option){review_viewpoint_code(bit), review_viewpoint_label(bit)};
        }
        const struct form_option methods[] = {
            {"document", review_method_label(METHOD_DOCUMENT)},
            {"gesprek", review_method_label(METHOD_GESPREK)},
            {"onderzoek", review_method_label(METHOD_ONDERZOEK)},
        };
        form_select(&h, cf->fe, "gezichtspunt", _("Gezichtspunt"), vps, nvp, cf->gezichtspunt,
                    NULL);
        verdict_options(vopts, &nv, true);
        form_select(&h, cf->fe, "oordeel", _("Oordeel"), vopts, nv, cf->oordeel, NULL);
        form_textarea(&h, cf->fe, "onderbouwing", _("Onderbouwing"), cf->onderbouwing,
                      _("Verplicht behalve bij voldoet."));
        form_select(&h, cf->fe, "methode", _("Hoe vastgesteld"), methods, 3, cf->methode, NULL);
        bool shared = cf->gedeeld_set ? cf->gedeeld : !(p->mine & VIEWPOINT_TOEZICHTHOUDER);
        const struct form_option share[] = {{"1", _("Delen met de aanbieder en de anderen")}};
        form_checkboxes(&h, cf->fe, "gedeeld", _("Delen"), share, 1, &shared);
        form_submit(&h, _("Oordeel opslaan"));
    }
    form_end(&h);
    html_raw(&h, "<p class=\"utrecht-paragraph\">");
    link(&h, back, _("Terug naar de toetsing"));
    html_raw(&h, "</p>");
    if (declare) {
        kit_h2(&h, _("Bewijsstukken bij dit criterium"));
        evidence_panel(&h, req, &p->r, it->criterion_id);
    }
    page_end(&h, req);
    page_send(req, &h, status);
}

static int crit_page_load(struct http_req *req, struct review_page *p,
                          const struct review_row **row, int64_t crit)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id))
        return 1;
    int rc = load_page(req, id, p);
    if (!rc && crit == 0 && p->nrows > 0)
        crit = p->rows[0].item->criterion_id; /* no criterion asked: the first */
    if (!rc && !(*row = row_of(p, crit)))
        rc = ERR_NOT_FOUND;
    if (rc) {
        kit_fail(req, rc);
        return 1;
    }
    return 0;
}

static void declare_page(struct http_req *req)
{
    struct review_page p;
    const struct review_row *row;
    if (crit_page_load(req, &p, &row, kit_id(http_query(req, "criterium"))))
        return;
    if (!(p.mine & VIEWPOINT_AANBIEDER)) {
        kit_fail(req, ERR_DENIED);
        return;
    }
    render_crit(req, &p, row, true, NULL, 200);
}

static void verdict_page(struct http_req *req)
{
    struct review_page p;
    const struct review_row *row;
    if (crit_page_load(req, &p, &row, kit_id(http_query(req, "criterium"))))
        return;
    if (!(p.mine & ~(unsigned)VIEWPOINT_AANBIEDER)) {
        kit_fail(req, ERR_DENIED);
        return;
    }
    render_crit(req, &p, row, false, NULL, 200);
}

/* Re-renders a per-criterion form after a refused POST (422/409), or answers. */
static void crit_answer(struct http_req *req, int rc, const struct err_ctx *e, bool declare,
                        struct crit_form *cf, int64_t crit)
{
    struct form_errors fe = {0};
    struct review_page p;
    const struct review_row *row;
    if (rc == 0) {
        int64_t id;
        if (http_param_id_or_404(req, 0, &id))
            return;
        http_redirect(req, arena_printf(req->arena,
                                        "/toetsingen/%" PRId64 "?melding=opgeslagen#criteria", id));
        return;
    }
    if (rc != ERR_INVALID && rc != ERR_CONFLICT) {
        kit_fail(req, rc);
        return;
    }
    if (crit_page_load(req, &p, &row, crit))
        return;
    if (rc == ERR_INVALID) {
        struct err_ctx moved = *e;
        if (!declare && moved.field && strcmp(moved.field, "reason") == 0)
            moved.field = "onderbouwing"; /* the verdict form calls its reason so */
        kit_error_add(&fe, &moved, fields, NFIELDS);
        cf->fe = &fe;
        render_crit(req, &p, row, declare, cf, 422);
    } else {
        cf->notice = e->msg[0] ? e->msg : _("Deze toetsing is intussen gewijzigd.");
        render_crit(req, &p, row, declare, cf, 409);
    }
}

static void save_declaration(struct http_req *req)
{
    int64_t id;
    struct err_ctx e = {0};
    if (http_param_id_or_404(req, 0, &id))
        return;
    int64_t crit = kit_id(http_form(req, "criterium"));
    struct crit_form cf = {.toepassing = http_form(req, "toepassing"),
                           .reden = http_form(req, "reden"),
                           .zelfverklaring = http_form(req, "zelfverklaring"),
                           .oordeel = http_form(req, "oordeel")};
    enum review_verdict v = VERDICT_NONE;
    if (cf.oordeel && *cf.oordeel && review_verdict_parse(cf.oordeel, &v) != 0)
        v = (enum review_verdict)5; /* refused by the domain with the field named */
    bool applicable = !cf.toepassing || strcmp(cf.toepassing, "nee") != 0;
    int rc = review_set_item(req->app->store, &req->actor, id, kit_id(http_form(req, "versie")),
                             crit, applicable, cf.reden, cf.zelfverklaring, (int)v, &e);
    crit_answer(req, rc, &e, true, &cf, crit);
}

static void save_verdict(struct http_req *req)
{
    int64_t id;
    struct err_ctx e = {0};
    if (http_param_id_or_404(req, 0, &id))
        return;
    int64_t crit = kit_id(http_form(req, "criterium"));
    struct crit_form cf = {.gezichtspunt = http_form(req, "gezichtspunt"),
                           .oordeel = http_form(req, "oordeel"),
                           .onderbouwing = http_form(req, "onderbouwing"),
                           .methode = http_form(req, "methode"),
                           .gedeeld = http_form(req, "gedeeld") != NULL,
                           .gedeeld_set = true};
    enum review_viewpoint vp = 0;
    enum review_verdict v = VERDICT_NONE;
    enum review_method m = 0;
    if (cf.gezichtspunt)
        review_viewpoint_parse(cf.gezichtspunt, &vp);
    if (cf.oordeel)
        review_verdict_parse(cf.oordeel, &v);
    if (cf.methode)
        review_method_parse(cf.methode, &m);
    struct review_view_input in = {.criterion_id = crit,
                                   .viewpoint = (unsigned)vp,
                                   .verdict = (int)v,
                                   .reason = cf.onderbouwing,
                                   .method = (int)m,
                                   .shared = cf.gedeeld};
    int rc = review_set_view(req->app->store, &req->actor, id, kit_id(http_form(req, "versie")),
                             &in, &e);
    crit_answer(req, rc, &e, false, &cf, crit);
}

/* ---- Review list ----------------------------------------------------------------------------- */

static void reviews_page(struct http_req *req)
{
    struct review *rows = NULL;
    int n = 0;
    int rc = review_list(req->arena, req->app->store, &req->actor, NULL, &rows, &n);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    const struct crumb crumbs[] = {{_("Start"), "/"}, {_("Toetsingen"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Toetsingen"), crumbs, (int)ARRAY_LEN(crumbs));
    if (n == 0) {
        kit_para(&h, _("Er zijn geen toetsingen die u kunt zien."));
    } else {
        const char *heads[] = {_("Aanbieder"), _("Toetsing"), _("Door"), _("Status")};
        table_begin(&h, _("Toetsingen"), heads, (int)ARRAY_LEN(heads));
        for (int i = 0; i < n; i++) {
            table_row_begin(&h);
            table_cell(&h, rows[i].aanbieder_name);
            table_cell_link(&h, arena_printf(req->arena, "/toetsingen/%" PRId64, rows[i].id),
                            review_kind_label(rows[i].kind));
            table_cell(&h, rows[i].owner_name);
            kit_cell_begin(&h);
            status_tag(&h, &rows[i]);
            kit_cell_end(&h);
            table_row_end(&h);
        }
        table_end(&h);
    }
    page_end(&h, req);
    page_send(req, &h, 200);
}

const struct route review_page_routes[] = {
    {"GET", "/aanbieders", providers_page, 0, "review.providers"},
    {"GET", "/aanbieders/{id}", provider_page, 0, "review.provider"},
    {"POST", "/aanbieders/{id}/toetsingen", create_review, 0, "review.create"},
    {"POST", "/aanbieders/{id}/gebeurtenissen", create_event, 0, "review.event_create"},
    {"GET", "/toetsingen", reviews_page, 0, "review.list"},
    {"GET", "/toetsingen/{id}", review_page, 0, "review.view"},
    {"GET", "/toetsingen/{id}/zelfverklaring", declare_page, 0, "review.declaration"},
    {"POST", "/toetsingen/{id}/zelfverklaring", save_declaration, 0, "review.declaration_save"},
    {"GET", "/toetsingen/{id}/oordeel", verdict_page, 0, "review.verdict"},
    {"POST", "/toetsingen/{id}/oordeel", save_verdict, 0, "review.verdict_save"},
    {"POST", "/toetsingen/{id}/principes", accept_principles, 0, "review.principles"},
    {"POST", "/toetsingen/{id}/indienen", submit, 0, "review.submit"},
    {"POST", "/toetsingen/{id}/gesprek", save_conversation, 0, "review.conversation"},
    {"POST", "/toetsingen/{id}/besluit", decide, 0, "review.decide"},
    ROUTES_END,
};
