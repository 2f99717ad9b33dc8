/*
 * page_indicator.c: the indicator pages. GET /indicatoren lists the indicators grouped by the
 * three RBA questions and by law, each with its latest shown figure and trend; GET
 * /indicatoren/{id} shows one indicator: what it means in plain words, the choice of periods,
 * breakdown, filters and audience, the trend and breakdown charts and the table with every
 * figure; GET /indicatoren/{id}.json is the same view as JSON (mx_view_to_json), the document
 * the charts and the API use. Figures come only through web/figures.h.
 */
#include "core/common.h"
#include "core/log.h"
#include "core/period.h"
#include "core/str.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "store/store.h"
#include "web/figures.h"
#include "web/figures_context.h"
#include "web/figures_page.h"
#include "web/page.h"
#include "web/page_kit.h"
#include "web/router.h"
#include <math.h>

#define LIST_PERIODS 4 /* the list looks back this many periods for a shown figure */

static bool may_view_figures(struct http_req *req)
{
    struct object_ref o = {.kind = OBJ_FIGURES,
                           .owner_org_id = req->actor.org_id,
                           .owner_org_kind = req->actor.org_kind};
    return policy_allows(&req->actor, ACT_VIEW, &o);
}

/* The stored indicators, parsed (standard set first, then by code). */
static int load_catalog(struct http_req *req, struct ind_catalog_entry **out, size_t *n)
{
    struct err_ctx e = {0};
    size_t nbad = 0;
    int rc = ind_catalog_load(store_reader(req->app->store), req->arena, out, n, &nbad, &e);
    if (rc != 0)
        log_error("indicator.catalog", "rid", req->rid, "msg", e.msg, NULL);
    return rc;
}

static const char *owner_name(struct http_req *req, int64_t org_id)
{
    struct org o;
    if (org_id == 0 || org_get_internal(req->arena, req->app->store, org_id, &o) != 0)
        return NULL;
    return o.name;
}

/* --- List --- */

struct list_row {
    const struct ind_catalog_entry *ind;
    struct mx_view view;
    bool ok;
};

static void list_table(struct html *h, struct http_req *req, struct list_row *rows, size_t n,
                       enum ind_quadrant q, const char *law)
{
    static const char *const headers[] = {N_("Indicator"), N_("Laatste cijfer"), N_("Periode"),
                                          N_("Ten opzichte van de periode ervoor")};
    bool any = false;
    for (size_t i = 0; i < n && !any; i++)
        any = rows[i].ind->def.quadrant == q && strcmp(fp_law_label(&rows[i].ind->def), law) == 0;
    if (!any)
        return;
    html_raw(h, "<h3 class=\"utrecht-heading-3\">");
    html_text(h, _(law));
    html_raw(h,
             "</h3><div class=\"utrecht-table-container utrecht-table-container--overflow-inline\">"
             "<table class=\"utrecht-table utrecht-table--html-table duiding-indicator-list\">"
             "<caption class=\"utrecht-table__caption\">");
    html_textf(h, "%s – %s", _(ind_quadrant_label(q)), _(law));
    html_raw(h,
             "</caption><thead class=\"utrecht-table__header\"><tr class=\"utrecht-table__row\">");
    for (size_t i = 0; i < ARRAY_LEN(headers); i++) {
        html_raw(h, "<th scope=\"col\" class=\"utrecht-table__header-cell\">");
        html_text(h, _(headers[i]));
        html_raw(h, "</th>");
    }
    html_raw(h, "</tr></thead><tbody class=\"utrecht-table__body\">");
    for (size_t i = 0; i < n; i++) {
        const struct ind_def *d = &rows[i].ind->def;
        char href[64], val[FP_NUM_MAX];
        if (d->quadrant != q || strcmp(fp_law_label(d), law) != 0)
            continue;
        snprintf(href, sizeof href, "/indicatoren/%" PRId64, rows[i].ind->id);
        html_raw(h, "<tr class=\"utrecht-table__row\"><th scope=\"row\" "
                    "class=\"utrecht-table__header-cell duiding-indicator-list__name\">"
                    "<a class=\"utrecht-link\"");
        html_url_attr(h, "href", href);
        html_raw(h, ">");
        html_text(h, d->name);
        html_raw(h, "</a>");
        if (!rows[i].ind->standard) {
            const char *owner = owner_name(req, rows[i].ind->owner_org_id);
            html_raw(h, " <span class=\"duiding-muted\">(");
            if (owner)
                html_textf(h, _("eigen indicator van %s"), owner);
            else
                html_text(h, _("eigen indicator"));
            html_raw(h, ")</span>");
        }
        html_raw(h, "</th>");
        const struct mx_vcell *c = rows[i].ok ? fp_latest_total(&rows[i].view) : NULL;
        if (c) {
            mx_view_format_value(&rows[i].view, c, val, sizeof val);
            html_raw(h, "<td class=\"utrecht-table__cell duiding-num duiding-big-num\">");
            html_text(h, val);
            html_raw(h, "</td><td class=\"utrecht-table__cell\">");
            html_text(h, fp_period_label(req->arena, &rows[i].view, c->period_idx));
            html_raw(h, "</td><td class=\"utrecht-table__cell\">");
            if (!isnan(c->prev))
                fp_trend(h, &rows[i].view, c);
            else
                html_text(h, "–");
            html_raw(h, "</td>");
        } else {
            html_raw(h, "<td class=\"utrecht-table__cell duiding-num\">.</td>"
                        "<td class=\"utrecht-table__cell\" colspan=\"2\">");
            html_text(h, rows[i].ok ? fp_no_figure_text(&rows[i].view)
                                    : _("Nu geen cijfer beschikbaar."));
            html_raw(h, "</td>");
        }
        html_raw(h, "</tr>");
    }
    html_raw(h, "</tbody></table></div>");
}

static void list_page(struct http_req *req)
{
    static const enum ind_quadrant quadrants[] = {IND_HOW_MUCH, IND_HOW_WELL, IND_BETTER_OFF};
    static const char *const laws[] = {N_("Jeugdwet"), N_("Wmo"), N_("Jeugdwet en Wmo")};
    struct ind_catalog_entry *cat = NULL;
    size_t n = 0;
    struct figures_opts base;
    struct err_ctx e = {0};
    struct html h;
    const struct crumb crumbs[] = {{_("Start"), "/"}, {_("Indicatoren"), NULL}};

    if (!may_view_figures(req)) {
        page_error(req, 403, _("U kunt geen cijfers inzien."));
        return;
    }
    if (load_catalog(req, &cat, &n) != 0) {
        page_error(req, 500, NULL);
        return;
    }
    /* Defaults (period kind and range up to the data date) as every figure page has them;
     * the list itself ignores breakdowns and filters. */
    memset(&base, 0, sizeof base);
    if (figures_parse_query(req, &base, &e) != 0) {
        memset(&base, 0, sizeof base);
        err_clear(&e);
        struct http_req plain = *req;
        plain.nquery = 0;
        if (figures_parse_query(&plain, &base, &e) != 0) {
            page_error(req, 500, NULL);
            return;
        }
    }
    base.nby = 0;
    for (int d = 0; d < MX_DIM__COUNT; d++)
        base.where[d] = (struct mx_where){0};
    base.bench_dim = -1;
    /* Only the last few periods: enough to find the latest shown figure and its trend. */
    for (int i = 1; i < LIST_PERIODS; i++)
        if (base.first.year * 100 + base.first.index < base.last.year * 100 + base.last.index)
            base.first = period_next(base.first);

    struct list_row *rows = arena_calloc(req->arena, n ? n : 1, sizeof *rows);
    if (!rows) {
        page_error(req, 500, NULL);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        struct figures_opts o = base;
        struct err_ctx ve = {0};
        o.ind_id = cat[i].id;
        rows[i].ind = &cat[i];
        rows[i].ok = figures_view(req, &o, &rows[i].view, &ve) == 0;
        if (!rows[i].ok && ve.code != ERR_INVALID)
            log_warn("indicator.list.view", "rid", req->rid, "code", cat[i].def.code, "msg", ve.msg,
                     NULL);
    }

    html_init(&h);
    page_begin(&h, req, _("Indicatoren"), crumbs, ARRAY_LEN(crumbs));
    fp_assets(&h);
    html_raw(&h, "<p class=\"utrecht-paragraph duiding-lead\">");
    html_text(&h, _("Met deze cijfers ziet u hoe het gaat met de hulp in het sociaal domein. We "
                    "ordenen ze naar drie vragen: hoeveel doen we, hoe goed doen we het, en is "
                    "iemand beter af? Kies een indicator voor het verloop, de verschillen tussen "
                    "groepen en alle cijfers."));
    html_raw(&h,
             "</p><p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" href=\"/dashboard\">");
    html_text(&h, _("Naar het dashboard"));
    html_raw(&h, "</a></p>");
    if (n == 0) {
        html_raw(&h, "<p class=\"utrecht-paragraph\">");
        html_text(&h, _("Er zijn nog geen indicatoren."));
        html_raw(&h, "</p>");
    }
    for (size_t qi = 0; n > 0 && qi < ARRAY_LEN(quadrants); qi++) {
        bool any = false;
        for (size_t i = 0; i < n && !any; i++)
            any = cat[i].def.quadrant == quadrants[qi];
        if (!any)
            continue;
        html_raw(&h, "<section class=\"duiding-section duiding-quadrant\"><h2 "
                     "class=\"utrecht-heading-2\">");
        html_text(&h, _(ind_quadrant_label(quadrants[qi])));
        html_raw(&h, "</h2>");
        for (size_t li = 0; li < ARRAY_LEN(laws); li++)
            list_table(&h, req, rows, n, quadrants[qi], laws[li]);
        html_raw(&h, "</section>");
    }
    page_end(&h, req);
    page_send(req, &h, 200);
}

/* --- One indicator --- */

static const char *unit_label(enum ind_unit u)
{
    switch (u) {
    case IND_UNIT_TRAJECTORY:
        return _("Traject (een periode van hulp bij één aanbieder)");
    case IND_UNIT_PERSON:
        return _("Persoon");
    case IND_UNIT_RESPONSE:
        return _("Antwoord op een vragenlijst");
    }
    return "";
}

static const char *polarity_label(enum ind_polarity p)
{
    switch (p) {
    case IND_HIGHER_BETTER:
        return _("Hoger is beter");
    case IND_LOWER_BETTER:
        return _("Lager is beter");
    case IND_NEUTRAL:
        return _("Hoger of lager is niet vanzelf beter");
    }
    return "";
}

static void code_item(struct html *h, const char *key, const char *expr)
{
    if (!expr || !*expr)
        return;
    kit_dl_item_begin(h, key);
    html_raw(h, "<code class=\"duiding-expr\">");
    html_text(h, expr);
    html_raw(h, "</code>");
    kit_dl_item_end(h);
}

static void definition_block(struct html *h, struct http_req *req, const struct ind_def *d)
{
    html_raw(h, "<section class=\"duiding-section duiding-definition\" "
                "aria-labelledby=\"over-indicator\"><h2 class=\"utrecht-heading-2\" "
                "id=\"over-indicator\">");
    html_text(h, _("Wat deze indicator laat zien"));
    html_raw(h, "</h2>");
    kit_dl_begin(h);
    kit_dl_item(h, _("Vraag"), _(ind_quadrant_label(d->quadrant)));
    kit_dl_item(h, _("Wet"), _(fp_law_label(d)));
    kit_dl_item(h, _("Berekening"), fp_formula_text(req->arena, d));
    kit_dl_item(h, _("Wat telt"), unit_label(d->unit));
    kit_dl_item(h, _("Richting"), polarity_label(d->polarity));
    if (d->follow_up_months > 0) {
        kit_dl_item_begin(h, _("Volgtermijn"));
        html_textf(h, _("%d maanden na het einde (tussenruimte %d dagen)"), d->follow_up_months,
                   d->gap_days < 0 ? 0 : d->gap_days);
        kit_dl_item_end(h);
    }
    kit_dl_item_begin(h, _("Minimaal aantal"));
    html_textf(h, _("We tonen een cijfer pas vanaf %d %s."), d->min_n,
               d->unit == IND_UNIT_RESPONSE ? _("antwoorden")
               : d->unit == IND_UNIT_PERSON ? _("personen")
                                            : _("trajecten"));
    kit_dl_item_end(h);
    kit_dl_item(h, _("Bron"), d->source);
    kit_dl_end(h);

    html_raw(h, "<details class=\"duiding-formula\"><summary>");
    html_text(h, _("De precieze rekenregel"));
    html_raw(h, "</summary>");
    kit_dl_begin(h);
    code_item(h, _("Wie telt mee (noemer)"), d->population);
    code_item(h, _("Wat telt als uitkomst (teller)"), d->event);
    code_item(h, _("Welke waarde"), d->value);
    for (int i = 0; i < d->nsettings && i < IND_MAX_SETTINGS; i++) {
        const struct ind_setting *s = &d->settings[i];
        kit_dl_item_begin(h, s->label ? s->label : s->code);
        if (s->is_bool)
            html_text(h, s->value ? _("ja") : _("nee"));
        else
            html_int(h, s->value);
        if (s->help && *s->help) {
            html_raw(h, "<br><span class=\"duiding-muted\">");
            html_text(h, s->help);
            html_raw(h, "</span>");
        }
        kit_dl_item_end(h);
    }
    kit_dl_end(h);
    html_raw(h, "</details></section>");
}

/* The JSON answer of /indicatoren/{id}.json, errors as problem+json. */
static void send_json(struct http_req *req, int rc, const struct mx_view *v,
                      const struct err_ctx *e, const struct fig_context *ctx)
{
    if (rc == 0) {
        /* With the context events and linked stories (web/figures_context.h). */
        const char *json =
            figures_context_json(req, mx_view_to_json(v, figures_label, req, req->arena), ctx);
        if (json) {
            http_resp_json(req, 200, json, strlen(json));
            return;
        }
        rc = ERR_NOMEM;
    }
    switch (rc) {
    case ERR_INVALID:
        http_resp_problem(req, 400, _("Ongeldige vraag"),
                          e && e->msg[0] ? e->msg : _("Deze vraag kan niet worden beantwoord."),
                          e ? e->field : NULL);
        return;
    case ERR_DENIED:
        http_resp_problem(req, 403, _("Geen toegang"), _("U kunt deze cijfers niet inzien."), NULL);
        return;
    case ERR_NOT_FOUND:
        http_resp_problem(req, 404, _("Niet gevonden"), _("Deze indicator bestaat niet."), NULL);
        return;
    default:
        http_resp_problem(req, 500, _("Er ging iets mis"),
                          _("De cijfers konden niet worden berekend."), NULL);
        return;
    }
}

/* Links to the same view as CSV, Excel and JSON. */
static void export_links(struct html *h, struct http_req *req, int64_t id)
{
    const char *q = fp_query_string(req, NULL, 0);
    const char *sep = *q ? "?" : "";
    const char *csv =
        arena_printf(req->arena, "/indicatoren/%" PRId64 "/export.csv%s%s", id, sep, q);
    const char *xlsx =
        arena_printf(req->arena, "/indicatoren/%" PRId64 "/export.xlsx%s%s", id, sep, q);
    const char *json = arena_printf(req->arena, "/indicatoren/%" PRId64 ".json%s%s", id, sep, q);
    html_raw(h, "<ul class=\"duiding-downloads\" aria-label=\"");
    html_text(h, _("Downloaden"));
    html_raw(h, "\">");
    const struct {
        const char *href, *label;
        bool download;
    } links[] = {
        {csv, _("Cijfers downloaden als CSV"), true},
        {xlsx, _("Cijfers downloaden als Excel (XLSX)"), true},
        {json, _("Cijfers als JSON (voor programma's)"), true},
    };
    for (size_t i = 0; i < ARRAY_LEN(links); i++) {
        if (!links[i].href)
            continue;
        html_raw(h, "<li><a class=\"utrecht-link\"");
        html_url_attr(h, "href", links[i].href);
        html_attr_bool(h, "download", links[i].download);
        html_raw(h, ">");
        html_text(h, links[i].label);
        html_raw(h, "</a></li>");
    }
    html_raw(h, "</ul>");
}

static void figures_block(struct html *h, struct http_req *req, const struct mx_view *v, int64_t id,
                          const struct fig_context *ctx)
{
    char json_id[48], caption[512], period[PERIOD_CODE_MAX];
    const char *json =
        figures_context_json(req, mx_view_to_json(v, figures_label, req, req->arena), ctx);
    const char *name = v->def && v->def->name ? v->def->name : "";
    char data_date[64] = "";

    snprintf(json_id, sizeof json_id, "cijfers-%" PRId64, id);
    fp_json_script(h, json_id, json);

    /* Trend */
    html_raw(h, "<section class=\"duiding-section\" aria-labelledby=\"verloop\"><h2 "
                "class=\"utrecht-heading-2\" id=\"verloop\">");
    html_text(h, _("Verloop door de tijd"));
    html_raw(h, "</h2>");
    const struct mx_vcell *latest = fp_latest_total(v);
    if (latest) {
        char val[FP_NUM_MAX];
        mx_view_format_value(v, latest, val, sizeof val);
        html_raw(h, "<p class=\"utrecht-paragraph duiding-summary\"><span "
                    "class=\"duiding-big-num\">");
        html_text(h, val);
        html_raw(h, "</span> ");
        html_text(h, fp_period_label(req->arena, v, latest->period_idx));
        html_raw(h, " ");
        fp_trend(h, v, latest);
        html_raw(h, "</p>");
        if (!isnan(latest->target)) {
            html_raw(h, "<p class=\"utrecht-paragraph\">");
            fp_target_text(h, v, latest);
            html_raw(h, "</p>");
        }
        if (fp_bench_shown(v, latest)) {
            html_raw(h, "<p class=\"utrecht-paragraph duiding-muted\">");
            fp_bench_text(h, v, latest);
            html_raw(h, "</p>");
        }
    } else {
        html_raw(h, "<p class=\"utrecht-paragraph duiding-summary\"><span "
                    "class=\"duiding-big-num\">.</span> ");
        html_text(h, fp_no_figure_text(v));
        html_raw(h, "</p>");
    }
    snprintf(caption, sizeof caption, _("%s per periode"), name);
    fp_chart(h, v, "trend", json_id, caption, NULL, false);
    snprintf(caption, sizeof caption, _("%s: totaal per periode"), name);
    fp_table(h, req, v, caption, "tabel-totaal", FP_ROWS_TOTALS, -1);
    figures_context_events_html(h, req, ctx);
    figures_context_stories_html(h, req, ctx);
    html_raw(h, "</section>");

    /* Breakdown */
    if (v->nby > 0) {
        int p = fp_latest_breakdown_period(v);
        html_raw(h, "<section class=\"duiding-section\" aria-labelledby=\"verschillen\"><h2 "
                    "class=\"utrecht-heading-2\" id=\"verschillen\">");
        html_textf(h, _("Verschillen per %s"), fp_dim_word(req->arena, v->by[0]));
        html_raw(h, "</h2><p class=\"utrecht-paragraph\">");
        html_text(h, _("Zijn er groepen waarvoor de uitkomsten anders zijn? De streepjes bij elke "
                       "balk tonen de onzekerheidsmarge: overlappen die, dan is het verschil "
                       "misschien toeval."));
        html_raw(h, "</p>");
        const char *per = fp_dim_word(req->arena, v->by[0]);
        if (p >= 0) {
            period_code(v->periods[p], period);
            snprintf(caption, sizeof caption, _("%s per %s, %s"), name, per,
                     fp_period_label(req->arena, v, p));
            fp_chart(h, v, "verdeling", json_id, caption, period, false);
        } else {
            html_raw(h, "<p class=\"utrecht-paragraph\">");
            html_text(h,
                      _("Er zijn geen cijfers per groep die we mogen tonen. Bij kleine aantallen "
                        "laten we ze weg, om de privacy te beschermen. Kies een langere periode "
                        "(bijvoorbeeld per jaar) of een grovere uitsplitsing."));
            html_raw(h, "</p>");
        }
        snprintf(caption, sizeof caption, _("%s per %s en per periode"), name, per);
        fp_table(h, req, v, caption, "tabel-verdeling", FP_ROWS_ALL, -1);
        html_raw(h, "</section>");
    }

    html_raw(h, "<section class=\"duiding-section\" aria-labelledby=\"downloaden\"><h2 "
                "class=\"utrecht-heading-2\" id=\"downloaden\">");
    html_text(h, _("Cijfers downloaden"));
    html_raw(h, "</h2>");
    export_links(h, req, id);
    if (v->data_date != DAY_NONE && v->data_date != 0) {
        date_format_long(v->data_date, data_date, sizeof data_date);
        html_raw(h, "<p class=\"utrecht-paragraph duiding-muted\">");
        html_textf(h, _("De gegevens lopen tot en met %s."), data_date);
        html_raw(h, "</p>");
    }
    html_raw(h, "</section>");
}

static void detail_page(struct http_req *req)
{
    const char *param = req->nparams ? req->params[0] : "";
    size_t plen = strlen(param);
    bool as_json = plen > 5 && strcmp(param + plen - 5, ".json") == 0;
    int64_t id;
    struct figures_opts o;
    struct mx_scope sc;
    struct mx_view v;
    struct err_ctx e = {0};
    int rc;

    if (str_parse_i64((struct str){param, as_json ? plen - 5 : plen}, 1, INT64_MAX, &id) != 0) {
        if (as_json)
            send_json(req, ERR_NOT_FOUND, NULL, NULL, NULL);
        else
            page_error(req, 404, NULL);
        return;
    }
    if (!may_view_figures(req) || figures_scope(req, &sc) != 0) {
        if (as_json)
            send_json(req, ERR_DENIED, NULL, NULL, NULL);
        else
            page_error(req, 403, _("U kunt geen cijfers inzien."));
        return;
    }
    memset(&o, 0, sizeof o);
    memset(&v, 0, sizeof v);
    rc = figures_parse_query(req, &o, &e);
    if (rc != 0 && !as_json) {
        /* The form still needs the default range to show beside the message. */
        struct http_req plain = *req;
        struct err_ctx ignored = {0};
        plain.nquery = 0;
        memset(&o, 0, sizeof o);
        (void)figures_parse_query(&plain, &o, &ignored);
    }
    if (rc == 0 && !fp_filters_in_scope(&sc, &o)) {
        /* Asking by URL for another provider's or gemeente's figures is refused outright. */
        if (as_json)
            send_json(req, ERR_DENIED, NULL, NULL, NULL);
        else
            page_error(req, 403, _("Deze cijfers vallen buiten wat u mag inzien."));
        return;
    }
    o.ind_id = id;
    if (rc == 0)
        rc = figures_view(req, &o, &v, &e);
    struct fig_context ctx = {0};
    if (rc == 0)
        figures_context_load(req, &o, id, FIGCTX_MAX_STORIES, &ctx);
    if (as_json) {
        send_json(req, rc, &v, &e, &ctx);
        return;
    }
    if (rc == ERR_NOT_FOUND || rc == ERR_DENIED || (rc != 0 && rc != ERR_INVALID)) {
        if (rc != ERR_NOT_FOUND && rc != ERR_DENIED)
            log_error("indicator.view", "rid", req->rid, "msg", e.msg, NULL);
        page_error(req,
                   rc == ERR_NOT_FOUND ? 404
                   : rc == ERR_DENIED  ? 403
                                       : 500,
                   rc == ERR_DENIED ? _("U kunt deze cijfers niet inzien.") : NULL);
        return;
    }

    /* The definition: from the view, or (when the question was invalid) from the catalogue. */
    const struct ind_def *d = rc == 0 ? v.def : NULL;
    if (!d) {
        struct ind_catalog_entry *cat = NULL;
        size_t n = 0;
        if (load_catalog(req, &cat, &n) == 0)
            for (size_t i = 0; i < n && !d; i++)
                if (cat[i].id == id)
                    d = &cat[i].def;
        if (!d) {
            page_error(req, 404, NULL);
            return;
        }
    }

    struct html h;
    const char *title = d->name && *d->name ? d->name : d->code;
    const struct crumb crumbs[] = {
        {_("Start"), "/"}, {_("Indicatoren"), "/indicatoren"}, {title, NULL}};
    char action[64];
    snprintf(action, sizeof action, "/indicatoren/%" PRId64, id);

    html_init(&h);
    page_begin(&h, req, title, crumbs, ARRAY_LEN(crumbs));
    fp_assets(&h);
    if (d->explanation && *d->explanation) {
        html_raw(&h, "<p class=\"utrecht-paragraph duiding-lead\">");
        html_text(&h, d->explanation);
        html_raw(&h, "</p>");
    }
    html_raw(&h, "<p class=\"utrecht-paragraph duiding-audience\">");
    html_textf(&h, _("U ziet de cijfers als: %s."),
               _(dc_audience_label(rc == 0 ? v.audience : figures_audience(req))));
    html_raw(&h, "</p>");
    fp_filter_form(&h, req, action, &o, &sc, true, NULL, 0);
    if (rc == ERR_INVALID) {
        page_alert(&h, "error", e.msg[0] ? e.msg : _("Deze vraag kan niet worden beantwoord."));
    } else {
        figures_block(&h, req, &v, id, &ctx);
    }
    definition_block(&h, req, d);
    page_end(&h, req);
    page_send(req, &h, rc == ERR_INVALID ? 400 : 200);
}

const struct route indicator_page_routes[] = {
    {"GET", "/indicatoren", list_page, 0, "indicator.list"},
    /* Also /indicatoren/{id}.json: the router matches whole segments, so the handler splits. */
    {"GET", "/indicatoren/{id}", detail_page, 0, "indicator.view"},
    ROUTES_END,
};
