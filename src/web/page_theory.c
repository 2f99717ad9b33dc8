/*
 * page_theory.c: the theory of change pages of a societal result (/resultaten/{id}/
 * verandertheorie): the readable chain (activity -> why -> what it needs -> expected outcomes ->
 * indicators; side by side on wide screens, stacked on phones, no JavaScript), the forms for
 * the four starter questions and for adding, editing, moving and deleting an activity (each
 * carrying the theory's version: optimistic locking), the history of versions and the
 * field-by-field comparison of two versions. All rules live in domain/theory.c.
 */
#include "core/common.h"
#include "domain/org.h"
#include "domain/theory.h"
#include "metrics/catalog.h"
#include "store/indicator_store.h"
#include "web/page.h"
#include "web/page_kit.h"
#include "web/router.h"

static const struct kit_field fields[] = {
    {"bekendHier", "bekendhier"},           {"bekendWatHelpt", "bekendwathelpt"},
    {"aanbiedersDoen", "aanbiedersdoen"},   {"metWelkResultaat", "metwelkresultaat"},
    {"aanbieder", "aanbieder aanbiederid"}, {"product", "product"},
    {"beschrijving", "beschrijving"},       {"aannames", "aannames"},
    {"voorwaarden", "voorwaarden"},         {"uitkomsten", "uitkomsten"},
    {"indicator", "indicatoren indicator"},
};

static const char *base_href(struct http_req *req, int64_t result_id, const char *suffix)
{
    return arena_printf(req->arena, "/resultaten/%" PRId64 "/verandertheorie%s", result_id,
                        suffix ? suffix : "");
}

static void add_css(struct html *h)
{
    html_raw(h, "<link rel=\"stylesheet\" href=\"/static/theory.css\">");
}

/* Text with blank-line separated paragraphs and kept line breaks. */
static void prose(struct html *h, const char *text, const char *empty)
{
    if (!text || !*text) {
        html_raw(h, "<p class=\"utrecht-paragraph duiding-muted\">");
        html_text(h, empty);
        html_raw(h, "</p>");
        return;
    }
    const char *p = text;
    while (*p) {
        const char *end = strstr(p, "\n\n");
        size_t n = end ? (size_t)(end - p) : strlen(p);
        html_raw(h, "<p class=\"utrecht-paragraph vt-text\">");
        html_textn(h, p, n);
        html_raw(h, "</p>");
        p += n;
        while (*p == '\n' || *p == '\r')
            p++;
    }
}

static void hidden(struct html *h, const char *name, int64_t v)
{
    html_raw(h, "<input type=\"hidden\"");
    html_attr(h, "name", name);
    html_attr_int(h, "value", v);
    html_raw(h, ">");
}

/* A one-button POST form carrying the theory's version. */
static void version_button(struct html *h, struct http_req *req, const char *action,
                           const char *label, int64_t version, bool danger, const char *aria)
{
    html_raw(h, "<form method=\"post\" class=\"vt-inline-form\"");
    html_url_attr(h, "action", action);
    html_raw(h, "><input type=\"hidden\" name=\"csrf\"");
    html_attr(h, "value", req->csrf_token ? req->csrf_token : "");
    html_raw(h, ">");
    hidden(h, "versie", version);
    html_raw(h, "<button type=\"submit\" class=\"utrecht-button ");
    if (danger)
        html_raw(h, "utrecht-button--secondary-action utrecht-button--danger\"");
    else
        html_raw(h, "utrecht-button--secondary-action\"");
    if (aria)
        html_attr(h, "aria-label", aria);
    html_raw(h, ">");
    html_text(h, label);
    html_raw(h, "</button></form>");
}

/* ---- The chain. ------------------------------------------------------------------------------ */

static const char *activity_title(struct arena *a, const struct theory_activity *act, int index)
{
    const char *what = act->product && *act->product ? act->product : NULL;
    if (what && act->aanbieder_name)
        return arena_printf(a, _("Activiteit %d: %s (%s)"), index + 1, what, act->aanbieder_name);
    if (what)
        return arena_printf(a, _("Activiteit %d: %s"), index + 1, what);
    if (act->aanbieder_name)
        return arena_printf(a, _("Activiteit %d van %s"), index + 1, act->aanbieder_name);
    return arena_printf(a, _("Activiteit %d"), index + 1);
}

static void step(struct html *h, const char *cls, const char *heading, const char *text,
                 const char *empty)
{
    html_raw(h, "<div");
    html_attr(h, "class", cls);
    html_raw(h, "><h4 class=\"utrecht-heading-4 vt-step__kop\">");
    html_text(h, heading);
    html_raw(h, "</h4>");
    prose(h, text, empty);
    html_raw(h, "</div>");
}

/* The starter questions as a data list. */
static void starters_list(struct html *h, const struct theory *t)
{
    html_raw(h, "<dl class=\"utrecht-data-list utrecht-data-list--rows vt-starters\">");
    for (int q = 0; q < THEORY_STARTERS; q++) {
        html_raw(
            h, "<div class=\"utrecht-data-list__item\"><dt class=\"utrecht-data-list__item-key\">");
        html_text(h, theory_starter_question((enum theory_starter)q));
        html_raw(h, "</dt><dd class=\"utrecht-data-list__item-value\">");
        prose(h, t->starters[q], _("Nog niet beantwoord."));
        html_raw(h, "</dd></div>");
    }
    html_raw(h, "</dl>");
}

/* The chain of activities; with edit buttons when can_edit (own_only: only own activities). */
static void chain(struct html *h, struct http_req *req, const struct theory *t, bool can_edit,
                  bool own_only)
{
    if (t->nactivities == 0) {
        html_raw(h, "<p class=\"utrecht-paragraph duiding-muted\">");
        html_text(h, _("Er zijn nog geen activiteiten beschreven."));
        html_raw(h, "</p>");
        return;
    }
    html_raw(h, "<ol class=\"vt-chain\">");
    for (int k = 0; k < t->nactivities; k++) {
        const struct theory_activity *act = &t->activities[k];
        const char *title = activity_title(req->arena, act, k);
        html_raw(h, "<li class=\"vt-activity\"><article");
        html_attr(h, "aria-labelledby", arena_printf(req->arena, "act-%d", k + 1));
        html_raw(h, "><h3 class=\"utrecht-heading-3 vt-activity__kop\"");
        html_attr(h, "id", arena_printf(req->arena, "act-%d", k + 1));
        html_raw(h, ">");
        html_text(h, title);
        html_raw(h, "</h3><div class=\"vt-links\">");
        step(h, "vt-step vt-step--wat", _("Wat er gebeurt"), act->description, "");
        step(h, "vt-step vt-step--waarom", _("Waarom het helpt"), act->assumptions,
             _("Nog niet beschreven."));
        step(h, "vt-step vt-step--nodig", _("Wat het nodig heeft"), act->conditions,
             _("Nog niet beschreven."));
        step(h, "vt-step vt-step--uitkomst", _("Verwachte uitkomsten"), act->outcomes,
             _("Nog niet beschreven."));
        html_raw(h, "<div class=\"vt-step vt-step--indicatoren\"><h4 class=\"utrecht-heading-4 "
                    "vt-step__kop\">");
        html_text(h, _("Zichtbaar in"));
        html_raw(h, "</h4>");
        if (act->nindicators == 0) {
            html_raw(h, "<p class=\"utrecht-paragraph duiding-muted\">");
            html_text(h, _("Nog geen indicatoren gekoppeld."));
            html_raw(h, "</p>");
        } else {
            html_raw(h, "<ul class=\"utrecht-unordered-list\">");
            for (int j = 0; j < act->nindicators; j++) {
                html_raw(h, "<li><a class=\"utrecht-link\"");
                html_url_attr(
                    h, "href",
                    arena_printf(req->arena, "/indicatoren/%" PRId64, act->indicators[j].id));
                html_raw(h, ">");
                html_text(h, act->indicators[j].name);
                html_raw(h, "</a></li>");
            }
            html_raw(h, "</ul>");
        }
        html_raw(h, "</div></div>");
        bool mine = !own_only || act->aanbieder_id == req->actor.org_id;
        if (can_edit && mine) {
            const char *sfx = arena_printf(req->arena, "/activiteiten/%" PRId64, act->id);
            html_raw(h, "<div class=\"utrecht-button-group vt-activity__acties\">");
            kit_button_link(
                h, base_href(req, t->result_id, arena_printf(req->arena, "%s/bewerken", sfx)),
                _("Bewerken"), false);
            if (k > 0)
                version_button(
                    h, req,
                    base_href(req, t->result_id, arena_printf(req->arena, "%s/omhoog", sfx)),
                    _("Omhoog"), t->version, false,
                    arena_printf(req->arena, _("%s omhoog"), title));
            if (k + 1 < t->nactivities)
                version_button(
                    h, req,
                    base_href(req, t->result_id, arena_printf(req->arena, "%s/omlaag", sfx)),
                    _("Omlaag"), t->version, false,
                    arena_printf(req->arena, _("%s omlaag"), title));
            version_button(
                h, req,
                base_href(req, t->result_id, arena_printf(req->arena, "%s/verwijderen", sfx)),
                _("Verwijderen"), t->version, true,
                arena_printf(req->arena, _("%s verwijderen"), title));
            html_raw(h, "</div>");
        }
        html_raw(h, "</article></li>");
    }
    html_raw(h, "</ol>");
}

static int load_theory(struct http_req *req, int64_t *rid, struct theory *t)
{
    if (http_param_id_or_404(req, 0, rid))
        return -1;
    int rc = theory_get(req->arena, req->app->store, &req->actor, *rid, t);
    if (rc) {
        kit_fail(req, rc);
        return -1;
    }
    return 0;
}

static void view_page(struct http_req *req)
{
    int64_t rid;
    struct theory t;
    if (load_theory(req, &rid, &t))
        return;
    bool own_only = false;
    bool can_edit = theory_may_edit(&req->actor, &t, req->arena, &own_only);
    const struct crumb crumbs[] = {
        {_("Start"), "/"},
        {_("Resultaten"), "/resultaten"},
        {t.result_title, arena_printf(req->arena, "/resultaten/%" PRId64, rid)},
        {_("Verandertheorie"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, arena_printf(req->arena, _("Verandertheorie: %s"), t.result_title), crumbs,
               (int)ARRAY_LEN(crumbs));
    add_css(&h);
    page_flash(&h, req);
    kit_para(&h, _("Hoe dragen de activiteiten van gemeente en aanbieders bij aan dit resultaat? "
                   "Per activiteit: wat er gebeurt, waarom dat helpt, wat het nodig heeft, welke "
                   "uitkomsten we verwachten en in welke indicatoren dat zichtbaar wordt."));
    html_raw(&h, "<p class=\"utrecht-paragraph duiding-muted\">");
    if (t.version > 0) {
        html_textf(&h, _("Versie %" PRId64 ", laatst gewijzigd "), t.version);
        kit_time_iso(&h, t.updated_at, false, NULL);
        if (t.updated_by_name) {
            html_text(&h, _(" door "));
            html_text(&h, t.updated_by_name);
        }
        html_text(&h, ". ");
        html_raw(&h, "<a class=\"utrecht-link\"");
        html_url_attr(&h, "href", base_href(req, rid, "/versies"));
        html_raw(&h, ">");
        html_text(&h, _("Geschiedenis en vergelijken"));
        html_raw(&h, "</a>");
    } else {
        html_text(&h, _("Er is nog geen verandertheorie vastgelegd."));
    }
    html_raw(&h, "</p>");
    if (can_edit) {
        kit_actions_begin(&h);
        kit_button_link(&h, base_href(req, rid, "/activiteiten/nieuw"), _("Activiteit toevoegen"),
                        true);
        if (!own_only)
            kit_button_link(&h, base_href(req, rid, "/startvragen"), _("Startvragen bewerken"),
                            false);
        kit_actions_end(&h);
        if (own_only)
            page_alert(&h, "info",
                       _("U kunt de activiteiten van uw eigen organisatie toevoegen en wijzigen."));
    }
    html_raw(&h, "<section class=\"duiding-section\" aria-labelledby=\"kop-startvragen\">"
                 "<h2 class=\"utrecht-heading-2\" id=\"kop-startvragen\">");
    html_text(&h, _("Startvragen"));
    html_raw(&h, "</h2>");
    starters_list(&h, &t);
    html_raw(&h, "</section><section class=\"duiding-section\" aria-labelledby=\"kop-keten\">"
                 "<h2 class=\"utrecht-heading-2\" id=\"kop-keten\">");
    html_text(&h, _("Van activiteit naar resultaat"));
    html_raw(&h, "</h2>");
    chain(&h, req, &t, can_edit, own_only);
    html_raw(&h, "</section>");
    page_end(&h, req);
    page_send(req, &h, 200);
}

/* ---- Starter questions form. ----------------------------------------------------------------- */

static void render_starters(struct http_req *req, const struct theory *t, const char *const *vals,
                            int64_t version, const struct form_errors *fe, int status,
                            const char *notice)
{
    const struct crumb crumbs[] = {
        {_("Start"), "/"},
        {_("Resultaten"), "/resultaten"},
        {t->result_title, arena_printf(req->arena, "/resultaten/%" PRId64, t->result_id)},
        {_("Verandertheorie"), base_href(req, t->result_id, NULL)},
        {_("Startvragen"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Startvragen bewerken"), crumbs, (int)ARRAY_LEN(crumbs));
    add_css(&h);
    form_error_summary(&h, fe);
    if (notice)
        page_alert(&h, "warning", notice);
    kit_para(&h, _("Als er nog weinig cijfers zijn, begint het gesprek met deze vier vragen. "
                   "Schrijf op wat u samen weet; het mag kort."));
    form_begin(&h, req, base_href(req, t->result_id, "/startvragen"));
    hidden(&h, "versie", version);
    for (int q = 0; q < THEORY_STARTERS; q++)
        form_textarea(&h, fe, theory_starter_code((enum theory_starter)q),
                      theory_starter_question((enum theory_starter)q), vals[q], NULL);
    html_raw(&h, "<div class=\"utrecht-button-group\"><button type=\"submit\" "
                 "class=\"utrecht-button utrecht-button--primary-action\">");
    html_text(&h, _("Opslaan"));
    html_raw(&h, "</button><a class=\"utrecht-button-link utrecht-button-link--html-a "
                 "utrecht-button-link--subtle\"");
    html_url_attr(&h, "href", base_href(req, t->result_id, NULL));
    html_raw(&h, ">");
    html_text(&h, _("Annuleren"));
    html_raw(&h, "</a></div>");
    form_end(&h);
    page_end(&h, req);
    page_send(req, &h, status);
}

static void starters_page(struct http_req *req)
{
    int64_t rid;
    struct theory t;
    if (load_theory(req, &rid, &t))
        return;
    bool own_only = false;
    if (!theory_may_edit(&req->actor, &t, req->arena, &own_only) || own_only) {
        page_error(req, 403, NULL);
        return;
    }
    render_starters(req, &t, t.starters, t.version, NULL, 200, NULL);
}

static void starters_save(struct http_req *req)
{
    int64_t rid;
    struct theory t;
    if (load_theory(req, &rid, &t))
        return;
    const char *vals[THEORY_STARTERS];
    for (int q = 0; q < THEORY_STARTERS; q++) {
        vals[q] = http_form(req, theory_starter_code((enum theory_starter)q));
        if (!vals[q])
            vals[q] = "";
    }
    int64_t version = 0;
    const char *v = http_form(req, "versie");
    if (v && str_parse_i64_c(v, 0, INT64_MAX, &version) != 0)
        version = -1;
    struct err_ctx e = {0};
    int rc = theory_save_starters(req->app->store, &req->actor, rid, vals, version, NULL, &e);
    if (rc == ERR_INVALID || rc == ERR_TOO_BIG) {
        struct form_errors fe = {0};
        kit_error_add(&fe, &e, fields, (int)ARRAY_LEN(fields));
        render_starters(req, &t, vals, version, &fe, 422, NULL);
        return;
    }
    if (rc == ERR_CONFLICT) {
        render_starters(req, &t, vals, t.version, NULL, 409, e.msg);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req, base_href(req, rid, "?melding=opgeslagen"));
}

/* ---- Activity form. -------------------------------------------------------------------------- */

struct act_form {
    int64_t id; /* 0: new */
    int64_t version;
    const char *aanbieder, *product, *beschrijving, *aannames, *voorwaarden, *uitkomsten;
    int64_t *indicators;
    int nindicators;
};

static bool has_id(const int64_t *ids, int n, int64_t id)
{
    for (int i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

/* Checkbox fieldset of indicators ids[] (names from the catalog). */
static void indicator_boxes(struct html *h, struct http_req *req, const char *legend,
                            const struct ind_catalog_entry *cat, size_t ncat, const int64_t *ids,
                            int nids, bool from_result, const struct act_form *af)
{
    struct form_option *opts = arena_calloc(req->arena, ncat + 1, sizeof *opts);
    bool *on = arena_calloc(req->arena, ncat + 1, sizeof *on);
    int n = 0;
    if (!opts || !on)
        return;
    for (size_t i = 0; i < ncat; i++) {
        bool linked = has_id(ids, nids, cat[i].id);
        if (linked != from_result)
            continue;
        opts[n] =
            (struct form_option){arena_printf(req->arena, "%" PRId64, cat[i].id), cat[i].def.name};
        on[n] = has_id(af->indicators, af->nindicators, cat[i].id);
        n++;
    }
    if (n)
        form_checkboxes(h, NULL, "indicator", legend, opts, n, on);
}

static void render_activity(struct http_req *req, const struct theory *t, const struct act_form *af,
                            const struct form_errors *fe, int status, const char *notice)
{
    bool own_only = false;
    theory_may_edit(&req->actor, t, req->arena, &own_only);
    const char *title = af->id ? _("Activiteit bewerken") : _("Activiteit toevoegen");
    const struct crumb crumbs[] = {
        {_("Start"), "/"},
        {_("Resultaten"), "/resultaten"},
        {t->result_title, arena_printf(req->arena, "/resultaten/%" PRId64, t->result_id)},
        {_("Verandertheorie"), base_href(req, t->result_id, NULL)},
        {title, NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, title, crumbs, (int)ARRAY_LEN(crumbs));
    add_css(&h);
    form_error_summary(&h, fe);
    if (notice)
        page_alert(&h, "warning", notice);
    form_begin(&h, req,
               af->id ? base_href(req, t->result_id,
                                  arena_printf(req->arena, "/activiteiten/%" PRId64, af->id))
                      : base_href(req, t->result_id, "/activiteiten"));
    hidden(&h, "versie", af->version);

    /* Aanbieder: an aanbieder user can only name itself. */
    struct org_filter of = {.kind = ORG_AANBIEDER, .limit = ORG_LIST_MAX};
    struct org *orgs = NULL;
    int norgs = 0, total = 0;
    if (own_only) {
        html_raw(&h, "<input type=\"hidden\" name=\"aanbieder\"");
        html_attr_int(&h, "value", req->actor.org_id);
        html_raw(&h, ">");
    } else if (org_list(req->arena, req->app->store, &req->actor, &of, &orgs, &norgs, &total) ==
               0) {
        struct form_option *opts = arena_calloc(req->arena, (size_t)norgs + 1, sizeof *opts);
        if (opts) {
            opts[0] = (struct form_option){"", _("Geen aanbieder: een programma van de gemeente")};
            for (int i = 0; i < norgs; i++)
                opts[i + 1] = (struct form_option){arena_printf(req->arena, "%" PRId64, orgs[i].id),
                                                   orgs[i].name};
            form_select(&h, fe, "aanbieder", _("Aanbieder"), opts, norgs + 1, af->aanbieder,
                        _("Wie voert deze activiteit uit?"));
        }
    }
    form_input(&h, fe, "product", _("Product of programma"), "text", af->product,
               _("Bijvoorbeeld: Buurtteam Jeugd, Opvoedondersteuning. Niet verplicht."), false,
               "off");
    form_textarea(&h, fe, "beschrijving", _("Wat er gebeurt"), af->beschrijving,
                  _("Beschrijf de activiteit in een paar zinnen. Verplicht."));
    form_textarea(&h, fe, "aannames", _("Waarom het helpt"), af->aannames,
                  _("De aannames: waarom zou dit bijdragen aan het resultaat? Wat weten we over "
                    "wat werkt?"));
    form_textarea(&h, fe, "voorwaarden", _("Wat het nodig heeft"), af->voorwaarden,
                  _("Deskundigheid, capaciteit, de setting."));
    form_textarea(&h, fe, "uitkomsten", _("Verwachte uitkomsten"), af->uitkomsten,
                  _("Wat is er voor inwoners anders als het werkt?"));

    struct db *db = store_reader(req->app->store);
    struct ind_catalog_entry *cat = NULL;
    size_t ncat = 0, nlinks = 0;
    int64_t *links = NULL;
    struct err_ctx e = {0};
    if (db && ind_catalog_load(db, req->arena, &cat, &ncat, NULL, &e) == 0) {
        if (indicator_store_result_links(req->arena, db, t->result_id, &links, &nlinks) != 0)
            nlinks = 0;
        const char *err = form_error_for(fe, "indicator");
        if (err)
            page_alert(&h, "error", err);
        indicator_boxes(&h, req, _("Indicatoren van dit resultaat"), cat, ncat, links, (int)nlinks,
                        true, af);
        html_raw(&h, "<details class=\"vt-more\"><summary>");
        html_text(&h, _("Andere indicatoren"));
        html_raw(&h, "</summary>");
        indicator_boxes(&h, req, _("Andere indicatoren"), cat, ncat, links, (int)nlinks, false, af);
        html_raw(&h, "</details>");
    }
    html_raw(&h, "<div class=\"utrecht-button-group\"><button type=\"submit\" "
                 "class=\"utrecht-button utrecht-button--primary-action\">");
    html_text(&h, _("Opslaan"));
    html_raw(&h, "</button><a class=\"utrecht-button-link utrecht-button-link--html-a "
                 "utrecht-button-link--subtle\"");
    html_url_attr(&h, "href", base_href(req, t->result_id, NULL));
    html_raw(&h, ">");
    html_text(&h, _("Annuleren"));
    html_raw(&h, "</a></div>");
    form_end(&h);
    page_end(&h, req);
    page_send(req, &h, status);
}

static int find_act(const struct theory *t, int64_t id)
{
    for (int k = 0; k < t->nactivities; k++)
        if (t->activities[k].id == id)
            return k;
    return -1;
}

static void new_activity_page(struct http_req *req)
{
    int64_t rid;
    struct theory t;
    if (load_theory(req, &rid, &t))
        return;
    if (!theory_may_edit(&req->actor, &t, req->arena, NULL)) {
        page_error(req, 403, NULL);
        return;
    }
    struct act_form af = {.version = t.version};
    render_activity(req, &t, &af, NULL, 200, NULL);
}

static void edit_activity_page(struct http_req *req)
{
    int64_t rid, aid;
    struct theory t;
    if (load_theory(req, &rid, &t) || http_param_id_or_404(req, 1, &aid))
        return;
    int k = find_act(&t, aid);
    if (k < 0) {
        page_error(req, 404, NULL);
        return;
    }
    bool own_only = false;
    if (!theory_may_edit(&req->actor, &t, req->arena, &own_only) ||
        (own_only && t.activities[k].aanbieder_id != req->actor.org_id)) {
        page_error(req, 403, NULL);
        return;
    }
    const struct theory_activity *act = &t.activities[k];
    struct act_form af = {.id = aid,
                          .version = t.version,
                          .aanbieder = act->aanbieder_id
                                           ? arena_printf(req->arena, "%" PRId64, act->aanbieder_id)
                                           : "",
                          .product = act->product,
                          .beschrijving = act->description,
                          .aannames = act->assumptions,
                          .voorwaarden = act->conditions,
                          .uitkomsten = act->outcomes};
    af.indicators = arena_calloc(req->arena, (size_t)act->nindicators + 1, sizeof(int64_t));
    for (int j = 0; af.indicators && j < act->nindicators; j++)
        af.indicators[af.nindicators++] = act->indicators[j].id;
    render_activity(req, &t, &af, NULL, 200, NULL);
}

static void save_activity(struct http_req *req, int64_t aid)
{
    int64_t rid;
    struct theory t;
    if (load_theory(req, &rid, &t))
        return;
    struct form_errors fe = {0};
    struct act_form af = {.id = aid};
    const char *v = http_form(req, "versie");
    if (!v || str_parse_i64_c(v, 0, INT64_MAX, &af.version) != 0)
        af.version = -1;
    af.aanbieder = http_form(req, "aanbieder");
    af.product = http_form(req, "product");
    af.beschrijving = http_form(req, "beschrijving");
    af.aannames = http_form(req, "aannames");
    af.voorwaarden = http_form(req, "voorwaarden");
    af.uitkomsten = http_form(req, "uitkomsten");
    int nind = 0;
    const char **inds = http_form_all(req, "indicator", &nind);
    if (nind > THEORY_MAX_INDICATORS * 4)
        nind = THEORY_MAX_INDICATORS * 4 + 1; /* the domain refuses; no need to read them all */
    af.indicators = arena_calloc(req->arena, (size_t)nind + 1, sizeof(int64_t));
    struct theory_indicator *ti = arena_calloc(req->arena, (size_t)nind + 1, sizeof *ti);
    if (!af.indicators || !ti) {
        page_error(req, 500, NULL);
        return;
    }
    for (int i = 0; i < nind; i++) {
        int64_t id = kit_id(inds[i]);
        if (!id) {
            kit_error(&fe, "indicator", _("Kies indicatoren uit de lijst."));
            break;
        }
        af.indicators[af.nindicators] = id;
        ti[af.nindicators++].id = id;
    }
    struct theory_activity act = {.id = aid,
                                  .product = af.product ? af.product : "",
                                  .description = af.beschrijving ? af.beschrijving : "",
                                  .assumptions = af.aannames ? af.aannames : "",
                                  .conditions = af.voorwaarden ? af.voorwaarden : "",
                                  .outcomes = af.uitkomsten ? af.uitkomsten : "",
                                  .indicators = ti,
                                  .nindicators = af.nindicators};
    if (af.aanbieder && *af.aanbieder) {
        act.aanbieder_id = kit_id(af.aanbieder);
        if (!act.aanbieder_id)
            kit_error(&fe, "aanbieder", _("Kies een aanbieder uit de lijst."));
    }
    if (fe.n) {
        render_activity(req, &t, &af, &fe, 422, NULL);
        return;
    }
    struct err_ctx e = {0};
    int rc = theory_activity_save(req->app->store, &req->actor, rid, &act, af.version, NULL, &e);
    if (rc == ERR_INVALID || rc == ERR_TOO_BIG) {
        kit_error_add(&fe, &e, fields, (int)ARRAY_LEN(fields));
        render_activity(req, &t, &af, &fe, 422, NULL);
        return;
    }
    if (rc == ERR_CONFLICT) {
        af.version = t.version;
        render_activity(req, &t, &af, NULL, 409, e.msg);
        return;
    }
    if (rc == ERR_DENIED && e.msg[0]) {
        page_error(req, 403, e.msg);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req, base_href(req, rid, "?melding=opgeslagen"));
}

static void create_activity(struct http_req *req)
{
    save_activity(req, 0);
}

static void update_activity(struct http_req *req)
{
    int64_t aid;
    if (!http_param_id_or_404(req, 1, &aid))
        save_activity(req, aid);
}

/* POST .../activiteiten/{id}/verwijderen|omhoog|omlaag */
static void change_activity(struct http_req *req, int move)
{
    int64_t rid, aid, version = -1;
    if (http_param_id_or_404(req, 0, &rid) || http_param_id_or_404(req, 1, &aid))
        return;
    const char *v = http_form(req, "versie");
    if (!v || str_parse_i64_c(v, 0, INT64_MAX, &version) != 0)
        version = -1;
    struct err_ctx e = {0};
    int rc = move ? theory_activity_move(req->app->store, &req->actor, rid, aid, move, version, &e)
                  : theory_activity_delete(req->app->store, &req->actor, rid, aid, version, &e);
    if (rc == ERR_CONFLICT || rc == ERR_INVALID) {
        page_error(req, rc == ERR_CONFLICT ? 409 : 422, e.msg[0] ? e.msg : NULL);
        return;
    }
    if (rc == ERR_DENIED && e.msg[0]) {
        page_error(req, 403, e.msg);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req, base_href(req, rid, "?melding=opgeslagen"));
}

static void delete_activity(struct http_req *req)
{
    change_activity(req, 0);
}

static void move_up(struct http_req *req)
{
    change_activity(req, -1);
}

static void move_down(struct http_req *req)
{
    change_activity(req, 1);
}

/* ---- History and comparison. ----------------------------------------------------------------- */

static void version_select(struct html *h, struct http_req *req, const char *name,
                           const char *label, const struct theory_version_info *v, int n,
                           int64_t selected)
{
    struct form_option *opts = arena_calloc(req->arena, (size_t)n + 1, sizeof *opts);
    if (!opts)
        return;
    for (int i = 0; i < n; i++) {
        char when[KIT_TIME_MAX];
        if (!kit_time_from_iso(v[i].at, false, when))
            snprintf(when, sizeof when, "%s", v[i].at);
        opts[i] = (struct form_option){
            arena_printf(req->arena, "%" PRId64, v[i].version),
            arena_printf(req->arena, _("Versie %" PRId64 " (%s)"), v[i].version, when)};
    }
    form_select(h, NULL, name, label, opts, n, arena_printf(req->arena, "%" PRId64, selected),
                NULL);
}

static void comparison(struct html *h, struct http_req *req, int64_t rid, int64_t from, int64_t to)
{
    struct theory a, b;
    struct theory_version_info ia, ib;
    int rc = theory_version_get(req->arena, req->app->store, &req->actor, rid, from, &a, &ia);
    if (!rc)
        rc = theory_version_get(req->arena, req->app->store, &req->actor, rid, to, &b, &ib);
    if (rc) {
        page_alert(h, "warning", _("Deze versies bestaan niet."));
        return;
    }
    struct theory_change *ch = NULL;
    int n = 0;
    if (theory_compare(req->arena, &a, &b, &ch, &n) != 0) {
        page_alert(h, "error", _("De versies kunnen nu niet worden vergeleken."));
        return;
    }
    html_raw(h, "<section class=\"duiding-section\" aria-labelledby=\"kop-vergelijking\">"
                "<h2 class=\"utrecht-heading-2\" id=\"kop-vergelijking\">");
    html_textf(h, _("Versie %" PRId64 " vergeleken met versie %" PRId64), from, to);
    html_raw(h, "</h2><p class=\"utrecht-paragraph\">");
    html_textf(h, _("Versie %" PRId64 ": "), from);
    kit_time_iso(h, ia.at, false, NULL);
    html_text(h, ", ");
    html_text(h, ia.user_name);
    html_raw(h, "<br>");
    html_textf(h, _("Versie %" PRId64 ": "), to);
    kit_time_iso(h, ib.at, false, NULL);
    html_text(h, ", ");
    html_text(h, ib.user_name);
    html_raw(h, "</p>");
    if (n == 0) {
        kit_para(h, _("Er is niets verschillend tussen deze versies."));
        html_raw(h, "</section>");
        return;
    }
    const char *headers[] = {_("Onderdeel"), _("Veld"), _("Wijziging"), _("Was"), _("Werd")};
    table_begin(h, _("Verschillen per veld"), headers, (int)ARRAY_LEN(headers));
    for (int i = 0; i < n; i++) {
        table_row_begin(h);
        table_cell(h, ch[i].activity_label ? ch[i].activity_label : _("startvragen"));
        table_cell(h, ch[i].field ? ch[i].field : _("hele activiteit"));
        table_cell(h, ch[i].what);
        kit_cell_begin(h);
        html_raw(h, "<div class=\"vt-diff vt-diff--oud\">");
        html_text(h, ch[i].before ? ch[i].before : "–");
        html_raw(h, "</div>");
        kit_cell_end(h);
        kit_cell_begin(h);
        html_raw(h, "<div class=\"vt-diff vt-diff--nieuw\">");
        html_text(h, ch[i].after ? ch[i].after : "–");
        html_raw(h, "</div>");
        kit_cell_end(h);
        table_row_end(h);
    }
    table_end(h);
    html_raw(h, "</section>");
}

static void versions_page(struct http_req *req)
{
    int64_t rid;
    struct theory t;
    if (load_theory(req, &rid, &t))
        return;
    struct theory_version_info *v = NULL;
    int n = 0;
    int rc = theory_versions(req->arena, req->app->store, &req->actor, rid, &v, &n);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    const struct crumb crumbs[] = {
        {_("Start"), "/"},
        {_("Resultaten"), "/resultaten"},
        {t.result_title, arena_printf(req->arena, "/resultaten/%" PRId64, rid)},
        {_("Verandertheorie"), base_href(req, rid, NULL)},
        {_("Versies"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Versies van de verandertheorie"), crumbs, (int)ARRAY_LEN(crumbs));
    add_css(&h);
    if (n == 0) {
        kit_para(&h, _("Er is nog geen versie opgeslagen."));
        page_end(&h, req);
        page_send(req, &h, 200);
        return;
    }
    int64_t from = kit_id(http_query(req, "van")), to = kit_id(http_query(req, "tot"));
    if (n >= 2) {
        kit_filter_begin(&h, base_href(req, rid, "/versies"), _("Versies vergelijken"));
        html_raw(&h, "<div class=\"duiding-filter__fields\">");
        version_select(&h, req, "van", _("Van versie"), v, n, from ? from : v[1].version);
        version_select(&h, req, "tot", _("Tot versie"), v, n, to ? to : v[0].version);
        html_raw(&h, "</div><div class=\"utrecht-button-group\"><button type=\"submit\" "
                     "class=\"utrecht-button utrecht-button--primary-action\">");
        html_text(&h, _("Vergelijken"));
        html_raw(&h, "</button></div></form>");
    }
    if (from && to)
        comparison(&h, req, rid, from < to ? from : to, from < to ? to : from);
    const char *headers[] = {_("Versie"), _("Wanneer"), _("Door"), _("Wat er veranderde")};
    table_begin(&h, _("Alle versies, nieuwste eerst"), headers, (int)ARRAY_LEN(headers));
    for (int i = 0; i < n; i++) {
        table_row_begin(&h);
        table_cell_link(
            &h, base_href(req, rid, arena_printf(req->arena, "/versies/%" PRId64, v[i].version)),
            arena_printf(req->arena, _("Versie %" PRId64), v[i].version));
        kit_cell_begin(&h);
        kit_time_iso(&h, v[i].at, false, NULL);
        kit_cell_end(&h);
        table_cell(&h, v[i].user_name);
        kit_cell_begin(&h);
        html_text(&h, v[i].summary);
        if (i + 1 < n) {
            html_raw(&h, " <a class=\"utrecht-link\"");
            html_url_attr(&h, "href",
                          arena_printf(req->arena, "%s?van=%" PRId64 "&tot=%" PRId64,
                                       base_href(req, rid, "/versies"), v[i + 1].version,
                                       v[i].version));
            html_raw(&h, ">");
            html_text(&h, _("vergelijk met de vorige"));
            html_raw(&h, "<span class=\"utrecht-visually-hidden\">");
            html_textf(&h, _(" (versie %" PRId64 ")"), v[i].version);
            html_raw(&h, "</span></a>");
        }
        kit_cell_end(&h);
        table_row_end(&h);
    }
    table_end(&h);
    page_end(&h, req);
    page_send(req, &h, 200);
}

static void version_page(struct http_req *req)
{
    int64_t rid, ver;
    struct theory t;
    struct theory_version_info info;
    if (http_param_id_or_404(req, 0, &rid) || http_param_id_or_404(req, 1, &ver))
        return;
    int rc = theory_version_get(req->arena, req->app->store, &req->actor, rid, ver, &t, &info);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    const char *title = arena_printf(req->arena, _("Versie %" PRId64), ver);
    const struct crumb crumbs[] = {
        {_("Start"), "/"},
        {_("Resultaten"), "/resultaten"},
        {t.result_title, arena_printf(req->arena, "/resultaten/%" PRId64, rid)},
        {_("Verandertheorie"), base_href(req, rid, NULL)},
        {_("Versies"), base_href(req, rid, "/versies")},
        {title, NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, arena_printf(req->arena, _("Verandertheorie, versie %" PRId64), ver),
               crumbs, (int)ARRAY_LEN(crumbs));
    add_css(&h);
    html_raw(&h, "<p class=\"utrecht-paragraph duiding-muted\">");
    html_text(&h, _("Opgeslagen "));
    kit_time_iso(&h, info.at, false, NULL);
    html_text(&h, _(" door "));
    html_text(&h, info.user_name);
    html_text(&h, ". ");
    html_text(&h, info.summary);
    html_raw(&h, "</p>");
    kit_h2(&h, _("Startvragen"));
    starters_list(&h, &t);
    kit_h2(&h, _("Van activiteit naar resultaat"));
    chain(&h, req, &t, false, false);
    page_end(&h, req);
    page_send(req, &h, 200);
}

const struct route theory_page_routes[] = {
    {"GET", "/resultaten/{id}/verandertheorie", view_page, 0, "theory.view"},
    {"GET", "/resultaten/{id}/verandertheorie/startvragen", starters_page, 0, "theory.starters"},
    {"POST", "/resultaten/{id}/verandertheorie/startvragen", starters_save, 0,
     "theory.starters_save"},
    {"GET", "/resultaten/{id}/verandertheorie/activiteiten/nieuw", new_activity_page, 0,
     "theory.activity_new"},
    {"POST", "/resultaten/{id}/verandertheorie/activiteiten", create_activity, 0,
     "theory.activity_create"},
    {"GET", "/resultaten/{id}/verandertheorie/activiteiten/{id}/bewerken", edit_activity_page, 0,
     "theory.activity_edit"},
    {"POST", "/resultaten/{id}/verandertheorie/activiteiten/{id}", update_activity, 0,
     "theory.activity_update"},
    {"POST", "/resultaten/{id}/verandertheorie/activiteiten/{id}/verwijderen", delete_activity, 0,
     "theory.activity_delete"},
    {"POST", "/resultaten/{id}/verandertheorie/activiteiten/{id}/omhoog", move_up, 0,
     "theory.activity_up"},
    {"POST", "/resultaten/{id}/verandertheorie/activiteiten/{id}/omlaag", move_down, 0,
     "theory.activity_down"},
    {"GET", "/resultaten/{id}/verandertheorie/versies", versions_page, 0, "theory.versions"},
    {"GET", "/resultaten/{id}/verandertheorie/versies/{versie}", version_page, 0, "theory.version"},
    ROUTES_END,
};
