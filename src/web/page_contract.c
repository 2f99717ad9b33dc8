/*
 * page_contract.c: the /contracten pages: the contracts the actor may view (filters gemeente,
 * aanbieder, jaar; spend against budget as a bar with the numbers in text), a contract with
 * its outcome agreements and business figures of a year (monthly spend as a table-backed bar
 * chart without JavaScript, projection with its method, warnings over budget and cap, client
 * counts through the disclosure rule), CSV/XLSX export of the figures, and the form to create
 * and edit a contract; archive and restore. Rights are the domain's (domain/contract.h).
 */
#include "core/common.h"
#include "domain/cbs.h"
#include "domain/contract.h"
#include "domain/org.h"
#include "report/contract_figures.h"
#include "store/intake_store.h"
#include "web/figures.h"
#include "web/page.h"
#include "web/page_kit.h"
#include "web/router.h"
#include <math.h>
#include <time.h>

#define BASE            "/contracten"
#define XLSX_TYPE       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define FORM_AGREEMENTS 4 /* agreement rows on the form */
#define FORM_LIST_MAX   1000

/* ---- Small helpers. -------------------------------------------------------------------------- */

static int this_year(day_t *today)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    if (today)
        *today = day_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    return tm.tm_year + 1900;
}

/* "€ 1.234.567,89" */
static const char *euro(struct arena *a, int64_t cents)
{
    char digits[32], grouped[48];
    int64_t abs = cents < 0 ? -cents : cents;
    snprintf(digits, sizeof digits, "%" PRId64, abs / 100);
    size_t n = strlen(digits), o = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            grouped[o++] = '.';
        grouped[o++] = digits[i];
    }
    grouped[o] = '\0';
    return arena_printf(a, "%s\xE2\x82\xAC\xC2\xA0%s,%02d", cents < 0 ? "-" : "", grouped,
                        (int)(abs % 100));
}

static const char *euro_input(struct arena *a, int64_t cents)
{
    if (cents < 0)
        return "";
    return arena_printf(a, "%" PRId64 ",%02d", cents / 100, (int)(cents % 100));
}

static const char *law_label(enum law l)
{
    return l == LAW_WMO ? _("Wmo") : _("Jeugdwet");
}

/* "1 januari 2025 tot en met 31 december 2026", as the other pages write days. */
static const char *period_text(struct arena *a, const struct contract *c)
{
    char from[40], to[40];
    date_format_long(c->valid_from, from, sizeof from);
    if (c->valid_to == DAY_NONE)
        snprintf(to, sizeof to, "%s", _("onbepaalde tijd"));
    else
        date_format_long(c->valid_to, to, sizeof to);
    return arena_printf(a, _("%s tot en met %s"), from, to);
}

/* A bar of value against max (a <progress>: no inline style under the CSP), with the amounts
 * and the percentage as text so nothing rests on the bar alone; above 100% the text says so. */
static void bar(struct html *h, struct arena *a, int64_t value, int64_t max, const char *label)
{
    double pct = max > 0 ? (double)value * 100.0 / (double)max : 0;
    int w = pct < 0 ? 0 : pct > 100 ? 100 : (int)lround(pct);
    html_raw(h, "<progress class=\"duiding-progress__bar\" aria-hidden=\"true\" max=\"100\" "
                "value=\"");
    html_int(h, w);
    html_raw(h, "\"></progress> ");
    html_text(h, label);
    if (max > 0)
        html_text(h, arena_printf(a, " (%.0f%%)", pct));
}

/* ---- List. ----------------------------------------------------------------------------------- */

static void list_page(struct http_req *req)
{
    struct contract_filter f = {0};
    const char *gem = kit_trimmed(req->arena, http_query(req, "gemeente"));
    const char *aanb = kit_trimmed(req->arena, http_query(req, "aanbieder"));
    const char *year_s = kit_trimmed(req->arena, http_query(req, "jaar"));
    const char *notice = NULL;
    day_t today;
    int year = this_year(&today);
    f.gemeente = gem && *gem ? gem : NULL;
    if (aanb && *aanb && (f.aanbieder_id = kit_id(aanb)) <= 0)
        notice = _("Gebruik het nummer van een aanbieder.");
    if (year_s && *year_s) {
        int64_t y;
        if (str_parse_i64_c(year_s, 1900, 2099, &y) != 0)
            notice = _("Gebruik een jaartal, bijvoorbeeld 2026.");
        else
            year = (int)y;
    }
    f.year = year;
    f.limit = CONTRACT_LIST_MAX;
    struct contract *rows = NULL;
    int n = 0, total = 0;
    int rc =
        notice ? 0 : contract_list(req->arena, req->app->store, &req->actor, &f, &rows, &n, &total);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    const struct crumb crumbs[] = {{_("Start"), "/"}, {_("Contracten"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Contracten"), crumbs, (int)ARRAY_LEN(crumbs));
    page_flash(&h, req);
    kit_para(&h, _("De contracten met aanbieders die u mag inzien, met de resultaatafspraken en "
                   "de uitgaven uit declaraties tegenover het budget."));
    struct form_option *gems = NULL, *provs = NULL;
    int ng = kit_org_options(req, ORG_GEMEENTE, _("Alle gemeenten"), &gems);
    int np = kit_org_options(req, ORG_AANBIEDER, _("Alle aanbieders"), &provs);
    kit_filter_begin(&h, BASE, _("Filter de contracten"));
    html_raw(&h, "<div class=\"duiding-filter__fields\">");
    if (gems)
        form_select(&h, NULL, "gemeente", _("Gemeente"), gems, ng, gem, NULL);
    if (provs)
        form_select(&h, NULL, "aanbieder", _("Aanbieder"), provs, np, aanb, NULL);
    kit_filter_text(&h, "jaar", _("Jaar"), arena_printf(req->arena, "%d", year), NULL);
    html_raw(&h, "</div>");
    kit_filter_end(&h, BASE);
    if (notice)
        page_alert(&h, "warning", notice);
    struct object_ref any = {.kind = OBJ_CONTRACT,
                             .owner_org_id = req->actor.org_id,
                             .owner_org_kind = req->actor.org_kind};
    if (policy_allows(&req->actor, ACT_CREATE, &any)) {
        kit_buttons_begin(&h);
        kit_button_link(&h, BASE "/nieuw", _("Nieuw contract"), true);
        kit_actions_end(&h);
    }
    html_raw(&h, "<p class=\"utrecht-paragraph duiding-count\" role=\"status\">");
    html_textf(&h,
               ngettext("%d contract gevonden.", "%d contracten gevonden.", (unsigned long)total),
               total);
    html_raw(&h, "</p>");
    if (n > 0) {
        const char *heads[] = {_("Contract"), _("Aanbieder"), _("Eigenaar"),
                               _("Wet"),      _("Periode"),   _("Uitgaven tegenover budget")};
        table_begin(&h, arena_printf(req->arena, _("Contracten in %d"), year), heads, 6);
        struct dc_rules rules;
        dc_rules_for(req->app->cfg, figures_audience(req), &rules);
        for (int i = 0; i < n; i++) {
            const struct contract *c = &rows[i];
            struct contract_figures fg;
            bool have = contract_figures_compute(req->arena, req->app->store, c, year, today,
                                                 &rules, &fg) == 0;
            table_row_begin(&h);
            table_cell_link(&h, arena_printf(req->arena, BASE "/%" PRId64 "?jaar=%d", c->id, year),
                            c->name);
            table_cell(&h, c->aanbieder_name);
            table_cell(&h, c->owner_name);
            table_cell(&h, law_label(c->law));
            table_cell(&h, period_text(req->arena, c));
            kit_cell_begin(&h);
            if (have)
                bar(&h, req->arena, fg.spend_total, c->budget_cents,
                    arena_printf(req->arena, _("%s van %s"), euro(req->arena, fg.spend_total),
                                 euro(req->arena, c->budget_cents)));
            if (c->archived)
                html_text(&h, _(" (gearchiveerd)"));
            kit_cell_end(&h);
            table_row_end(&h);
        }
        table_end(&h);
    } else if (!notice) {
        kit_para(&h, _("Er zijn geen contracten die passen bij deze filters."));
    }
    page_end(&h, req);
    page_send(req, &h, 200);
}

/* ---- One contract. --------------------------------------------------------------------------- */

static bool may(struct http_req *req, const struct contract *c, enum action act)
{
    struct object_ref o;
    return contract_object(req->arena, req->app->store, c, &o) == 0 &&
           policy_allows(&req->actor, act, &o);
}

static int year_param(struct http_req *req, int *year)
{
    const char *y = http_query(req, "jaar");
    *year = this_year(NULL);
    if (y && *y) {
        int64_t v;
        if (str_parse_i64_c(y, 1900, 2099, &v) != 0)
            return ERR_INVALID;
        *year = (int)v;
    }
    return 0;
}

static void count_item(struct html *h, struct arena *a, const char *key,
                       const struct disclosed_count *d)
{
    kit_dl_item_begin(h, key);
    if (d->hidden) {
        html_text(h, ". ");
        html_raw(h, "<span class=\"duiding-hidden\">");
        html_text(h, arena_printf(a, _("(niet getoond: %s)"), d->why ? d->why : ""));
        html_raw(h, "</span>");
    } else {
        html_int(h, d->value);
    }
    kit_dl_item_end(h);
}

static void figures_section(struct html *h, struct http_req *req, const struct contract *c,
                            int year)
{
    day_t today;
    this_year(&today);
    struct dc_rules rules;
    dc_rules_for(req->app->cfg, figures_audience(req), &rules);
    struct contract_figures f;
    kit_h2_id(h, "bedrijfsvoering", arena_printf(req->arena, _("Bedrijfsvoering %d"), year));
    if (contract_figures_compute(req->arena, req->app->store, c, year, today, &rules, &f) != 0) {
        page_alert(h, "error", _("De bedrijfsvoeringscijfers konden niet worden berekend."));
        return;
    }
    if (f.over_cap)
        page_alert(h, "error",
                   arena_printf(req->arena,
                                _("Let op: de uitgaven (%s) liggen al boven het omzetplafond "
                                  "(%s)."),
                                euro(req->arena, f.spend_total), euro(req->arena, f.cap_cents)));
    else if (f.over_cap_projected)
        page_alert(h, "warning",
                   arena_printf(req->arena,
                                _("Let op: de prognose voor het hele jaar (%s) komt boven het "
                                  "omzetplafond (%s)."),
                                euro(req->arena, f.projected_total),
                                euro(req->arena, f.cap_cents)));
    else if (f.over_budget_projected)
        page_alert(h, "warning",
                   arena_printf(req->arena,
                                _("De prognose voor het hele jaar (%s) komt boven het budget "
                                  "(%s)."),
                                euro(req->arena, f.projected_total),
                                euro(req->arena, f.budget_cents)));
    kit_dl_begin(h);
    kit_dl_item(h, _("Gedeclareerd"), euro(req->arena, f.spend_total));
    kit_dl_item(h, _("Budget"), euro(req->arena, f.budget_cents));
    kit_dl_item(h, _("Omzetplafond"),
                f.cap_cents >= 0 ? euro(req->arena, f.cap_cents) : _("geen omzetplafond"));
    kit_dl_item(h, _("Prognose tot 31 december"), euro(req->arena, f.projected_total));
    kit_dl_item(h, _("Hoe de prognose is berekend"), projection_method_label(f.method));
    count_item(h, req->arena, _("Cliënten met een traject"), &f.clients);
    count_item(h, req->arena, _("Trajecten"), &f.trajectories);
    count_item(h, req->arena, _("Trajecten gestart"), &f.started);
    count_item(h, req->arena, _("Trajecten beëindigd"), &f.ended);
    kit_dl_item(h, _("Mediane doorlooptijd"),
                f.has_median ? arena_printf(req->arena, _("%.0f dagen"), f.median_days)
                             : _("niet getoond: te weinig beëindigde trajecten"));
    kit_dl_end(h);
    /* Monthly spend: a table is the chart's text alternative and the chart at once. Each month
     * is measured against a twelfth of the yearly budget, the pace that just uses it up. */
    int64_t month_budget = f.budget_cents > 0 ? f.budget_cents / 12 : 0;
    static const char *const months[] = {N_("januari"), N_("februari"), N_("maart"),
                                         N_("april"),   N_("mei"),      N_("juni"),
                                         N_("juli"),    N_("augustus"), N_("september"),
                                         N_("oktober"), N_("november"), N_("december")};
    const char *heads[] = {
        _("Maand"), month_budget > 0 ? _("Gedeclareerd (deel van een twaalfde van het budget)")
                                     : _("Gedeclareerd")};
    table_begin(h, arena_printf(req->arena, _("Gedeclareerd per maand in %d"), year), heads, 2);
    for (int i = 0; i < 12; i++) {
        table_row_begin(h);
        table_cell(h, _(months[i]));
        kit_cell_begin(h);
        bar(h, req->arena, f.spend_month[i] > 0 ? f.spend_month[i] : 0, month_budget,
            euro(req->arena, f.spend_month[i]));
        kit_cell_end(h);
        table_row_end(h);
    }
    table_end(h);
    kit_buttons_begin(h);
    kit_button_link(
        h, arena_printf(req->arena, BASE "/%" PRId64 "/bedrijfsvoering.csv?jaar=%d", c->id, year),
        _("Download als CSV"), false);
    kit_button_link(
        h, arena_printf(req->arena, BASE "/%" PRId64 "/bedrijfsvoering.xlsx?jaar=%d", c->id, year),
        _("Download als Excel"), false);
    kit_actions_end(h);
}

/* The latest shown value of an agreement's indicator for the contract's aanbieder and
 * gemeenten, through the disclosure module (web/figures.h: the viewer's scope and audience). */
struct latest {
    const char *target, *value, *met;
};

static void latest_value(struct http_req *req, const struct contract *c,
                         const struct contract_agreement *a, struct latest *out)
{
    out->target = arena_printf(req->arena, "%g", a->target);
    out->value = _("nog geen gegevens");
    out->met = "–";
    struct figures_opts o;
    struct err_ctx e = {0};
    memset(&o, 0, sizeof o);
    if (figures_parse_query(req, &o, &e) != 0)
        return;
    o.ind_id = a->indicator_id;
    o.nby = 0;
    char *aanb = arena_printf(req->arena, "%" PRId64, c->aanbieder_id);
    const char **aanbs = arena_calloc(req->arena, 1, sizeof *aanbs);
    const char **gems = arena_calloc(req->arena, (size_t)c->ngemeenten + 1, sizeof *gems);
    if (!aanb || !aanbs || !gems)
        return;
    aanbs[0] = aanb;
    o.where[MX_DIM_AANBIEDER] = (struct mx_where){aanbs, 1};
    /* The disclosure module refuses a combination of several gemeenten (differences of such
     * questions would reveal small groups): with more than one taking-part gemeente the figure
     * is the aanbieder's over the viewer's whole scope, which the page says. */
    if (c->ngemeenten == 1) {
        gems[0] = c->gemeenten[0];
        o.where[MX_DIM_GEMEENTE] = (struct mx_where){gems, 1};
    }
    struct mx_view v;
    if (figures_view(req, &o, &v, &e) != 0 || v.nperiods == 0)
        return;
    char buf[64], plabel[64];
    mx_view_format_number(&v, a->target, buf, sizeof buf);
    out->target = arena_strdup(req->arena, buf);
    /* The newest shown figure; when every figure is hidden, why the newest one is. */
    for (int p = v.nperiods - 1; p >= 0; p--) {
        const struct mx_vcell *cell = mx_view_cell(&v, p, NULL, NULL);
        if (!cell || cell->reason != DC_SHOWN || !isfinite(cell->value))
            continue;
        period_label(v.periods[p], plabel, sizeof plabel);
        mx_view_format_value(&v, cell, buf, sizeof buf);
        out->value = arena_printf(req->arena, "%s (%s)", buf, plabel);
        out->met = agreement_met(a->comparison, cell->value, a->target) ? _("ja") : _("nee");
        return;
    }
    for (int p = v.nperiods - 1; p >= 0; p--) {
        const struct mx_vcell *cell = mx_view_cell(&v, p, NULL, NULL);
        if (!cell)
            continue;
        period_label(v.periods[p], plabel, sizeof plabel);
        out->value =
            arena_printf(req->arena, _(". (%s: %s)"), plabel, _(dc_reason_text(cell->reason)));
        return;
    }
}

static void view_page(struct http_req *req)
{
    int64_t id;
    int year;
    if (http_param_id_or_404(req, 0, &id))
        return;
    if (year_param(req, &year)) {
        page_error(req, 400, _("Gebruik een jaartal, bijvoorbeeld 2026."));
        return;
    }
    struct contract c;
    int rc = contract_get(req->arena, req->app->store, &req->actor, id, &c);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    const struct crumb crumbs[] = {{_("Start"), "/"}, {_("Contracten"), BASE}, {c.name, NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, c.name, crumbs, (int)ARRAY_LEN(crumbs));
    page_flash(&h, req);
    if (c.archived)
        page_alert(&h, "info", _("Dit contract is gearchiveerd."));
    kit_dl_begin(&h);
    kit_dl_item(&h, _("Aanbieder"), c.aanbieder_name);
    kit_dl_item(&h, _("Eigenaar"), c.owner_name);
    kit_dl_item(&h, _("Wet"), law_label(c.law));
    kit_dl_item(&h, _("Uitvoeringsvariant"), contract_variant_label(c.variant));
    kit_dl_item(&h, _("Periode"), period_text(req->arena, &c));
    kit_dl_item(&h, _("Budget per jaar"), euro(req->arena, c.budget_cents));
    kit_dl_item(&h, _("Omzetplafond per jaar"),
                c.cap_cents >= 0 ? euro(req->arena, c.cap_cents) : _("geen omzetplafond"));
    struct buf gb;
    buf_init(&gb, 8192);
    for (int i = 0; i < c.ngemeenten; i++) {
        char code[8];
        snprintf(code, sizeof code, "GM%s", c.gemeenten[i]);
        const struct cbs_gemeente *g = cbs_current(code);
        buf_appendf(&gb, "%s%s", i ? ", " : "", g ? g->name : code);
    }
    kit_dl_item(&h, _("Gemeenten"), buf_cstr(&gb));
    buf_reset(&gb);
    for (int i = 0; i < c.nproducts; i++)
        buf_appendf(&gb, "%s%s%s%s", i ? ", " : "", c.products[i].category,
                    c.products[i].code[0] ? " / " : "", c.products[i].code);
    kit_dl_item(&h, _("Producten"), c.nproducts ? buf_cstr(&gb) : _("alle producten van de wet"));
    buf_release(&gb);
    if (c.note && *c.note)
        kit_dl_item(&h, _("Toelichting"), c.note);
    kit_dl_end(&h);

    kit_h2(&h, _("Resultaatafspraken"));
    if (c.nagreements == 0) {
        kit_para(&h, _("Dit contract heeft geen resultaatafspraken."));
    } else {
        kit_para(&h, _("Deze streefwaarden gelden ook in de dashboards en datapakketten voor "
                       "deze aanbieder."));
        if (c.ngemeenten > 1)
            kit_para(&h, _("De laatste waarde is die van de aanbieder over alle gemeenten die u "
                           "mag zien: cijfers van een combinatie van gemeenten laten we niet "
                           "zien, omdat kleine groepen dan via verschillen herleidbaar worden."));
        const char *heads[] = {_("Indicator"), _("Afspraak"), _("Laatste waarde"), _("Gehaald")};
        table_begin(&h, _("Resultaatafspraken"), heads, 4);
        for (int i = 0; i < c.nagreements; i++) {
            const struct contract_agreement *a = &c.agreements[i];
            struct latest l;
            latest_value(req, &c, a, &l);
            table_row_begin(&h);
            table_cell_link(&h, arena_printf(req->arena, "/indicatoren/%" PRId64, a->indicator_id),
                            a->indicator_name);
            table_cell(&h, arena_printf(req->arena, "%s %s",
                                        agreement_comparison_label(a->comparison), l.target));
            table_cell(&h, l.value);
            table_cell(&h, l.met);
            table_row_end(&h);
        }
        table_end(&h);
    }
    figures_section(&h, req, &c, year);
    if (may(req, &c, ACT_EDIT)) {
        kit_h2(&h, _("Beheer"));
        kit_buttons_begin(&h);
        if (!c.archived)
            kit_button_link(&h, arena_printf(req->arena, BASE "/%" PRId64 "/bewerken", c.id),
                            _("Contract bewerken"), true);
        kit_actions_end(&h);
        form_button(&h, req,
                    arena_printf(req->arena, BASE "/%" PRId64 "/%s?versie=%" PRId64, c.id,
                                 c.archived ? "herstellen" : "archiveren", c.version),
                    c.archived ? _("Terugzetten") : _("Archiveren"), !c.archived);
    }
    page_end(&h, req);
    page_send(req, &h, 200);
}

static void export_figures(struct http_req *req, bool xlsx)
{
    int64_t id;
    int year;
    if (http_param_id_or_404(req, 0, &id))
        return;
    if (year_param(req, &year)) {
        page_error(req, 400, _("Gebruik een jaartal, bijvoorbeeld 2026."));
        return;
    }
    struct contract c;
    int rc = contract_get(req->arena, req->app->store, &req->actor, id, &c);
    struct dc_rules rules;
    dc_rules_for(req->app->cfg, figures_audience(req), &rules);
    struct contract_figures f;
    day_t today;
    this_year(&today);
    const char *out = NULL;
    size_t len = 0;
    struct err_ctx e = {0};
    if (!rc)
        rc = contract_figures_compute(req->arena, req->app->store, &c, year, today, &rules, &f);
    if (!rc)
        rc = contract_figures_export(req->arena, &c, &f, xlsx,
                                     arena_printf(req->arena, "%s/tmp", req->app->cfg->data_dir),
                                     &out, &len, &e);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    req->resp.status = 200;
    req->resp.content_type = xlsx ? XLSX_TYPE : "text/csv; charset=utf-8";
    req->resp.body = out;
    req->resp.body_len = len;
    http_resp_header(req, "Content-Disposition",
                     arena_printf(req->arena, "attachment; filename=\"contract-%" PRId64 "-%d.%s\"",
                                  id, year, xlsx ? "xlsx" : "csv"));
}

static void export_csv(struct http_req *req)
{
    export_figures(req, false);
}

static void export_xlsx(struct http_req *req)
{
    export_figures(req, true);
}

/* ---- Form. ----------------------------------------------------------------------------------- */

struct contract_form {
    const char *naam, *aanbieder, *wet, *variant, *van, *tot, *budget, *plafond, *producten,
        *toelichting, *versie;
    const char **gemeenten;
    int ngemeenten;
    const char *ind[FORM_AGREEMENTS], *cmp[FORM_AGREEMENTS], *target[FORM_AGREEMENTS];
};

static const struct kit_field field_map[] = {
    {"naam", "name naam"},        {"aanbieder", "aanbiederid aanbieder"},
    {"wet", "law wet"},           {"variant", "variant"},
    {"van", "validfrom van"},     {"tot", "validto tot"},
    {"budget", "budget"},         {"plafond", "cap plafond"},
    {"gemeenten", "gemeenten"},   {"producten", "products producten"},
    {"afspraak0", "agreements"},  {"toelichting", "note toelichting"},
    {"versie", "version versie"},
};

static void render_form(struct http_req *req, const struct contract *cur,
                        const struct contract_form *cf, const struct form_errors *fe, int status)
{
    const char *title = cur ? _("Contract bewerken") : _("Nieuw contract");
    const struct crumb crumbs[] = {{_("Start"), "/"}, {_("Contracten"), BASE}, {title, NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, title, crumbs, (int)ARRAY_LEN(crumbs));
    if (fe)
        form_error_summary(&h, fe);
    form_begin(&h, req, cur ? arena_printf(req->arena, BASE "/%" PRId64, cur->id) : BASE "/nieuw");
    if (cur)
        html_raw(&h, "<input type=\"hidden\" name=\"versie\" value=\""),
            html_text(&h, cf->versie ? cf->versie : ""), html_raw(&h, "\">");
    form_input(&h, fe, "naam", _("Naam van het contract"), "text", cf->naam, NULL, true, "off");
    struct form_option *ao = NULL;
    int nao = kit_org_options(req, ORG_AANBIEDER, _("Kies een aanbieder"), &ao);
    form_select(&h, fe, "aanbieder", _("Aanbieder"), ao, nao, cf->aanbieder, NULL);
    const struct form_option laws[] = {{"jeugdwet", _("Jeugdwet")}, {"wmo", _("Wmo")}};
    form_select(&h, fe, "wet", _("Wet"), laws, 2, cf->wet, NULL);
    const struct form_option variants[] = {{"inspanningsgericht", _("Inspanningsgericht")},
                                           {"outputgericht", _("Outputgericht")},
                                           {"taakgericht", _("Taakgericht")}};
    form_select(&h, fe, "variant", _("Uitvoeringsvariant"), variants, 3, cf->variant, NULL);
    form_input(&h, fe, "van", _("Begindatum"), "date", cf->van, NULL, true, "off");
    form_input(&h, fe, "tot", _("Einddatum"), "date", cf->tot,
               _("Leeg laten voor een contract voor onbepaalde tijd."), false, "off");
    form_input(&h, fe, "budget", _("Budget per jaar in euro"), "text", cf->budget,
               _("Bijvoorbeeld 1.250.000 of 1250000,00."), true, "off");
    form_input(&h, fe, "plafond", _("Omzetplafond per jaar in euro"), "text", cf->plafond,
               _("Leeg laten als er geen omzetplafond is."), false, "off");
    /* Gemeenten of a region's contract. */
    int64_t owner = cur ? cur->owner_org_id : req->actor.org_id;
    enum org_kind owner_kind = cur ? cur->owner_kind : req->actor.org_kind;
    if (owner_kind == ORG_REGION) {
        char **codes = NULL;
        int ncodes = 0;
        if (intake_region_gemeenten(req->arena, store_reader(req->app->store), owner, &codes,
                                    &ncodes) != 0)
            ncodes = 0;
        struct form_option *go = arena_calloc(req->arena, (size_t)ncodes + 1, sizeof *go);
        bool *on = arena_calloc(req->arena, (size_t)ncodes + 1, sizeof *on);
        for (int i = 0; go && on && i < ncodes; i++) {
            go[i].value = arena_printf(req->arena, "GM%s", codes[i]);
            go[i].label = figures_label(req, MX_DIM_GEMEENTE, codes[i]);
            for (int k = 0; k < cf->ngemeenten; k++)
                on[i] = on[i] || (strstr(cf->gemeenten[k], codes[i]) != NULL);
        }
        if (go && on && ncodes > 0)
            form_checkboxes(&h, fe, "gemeenten", _("Deelnemende gemeenten (geen keuze: alle)"), go,
                            ncodes, on);
    }
    form_input(&h, fe, "producten", _("Producten"), "text", cf->producten,
               _("Productcategorieën, eventueel met productcode, gescheiden door komma's: "
                 "bijvoorbeeld 45, 54/54A01. Leeg laten voor alle producten van de wet."),
               false, "off");
    /* Agreements. */
    struct contract_indicator_choice *inds = NULL;
    int ninds = 0;
    if (contract_indicator_choices(req->arena, req->app->store, &inds, &ninds) != 0)
        ninds = 0;
    struct form_option *io = arena_calloc(req->arena, (size_t)ninds + 1, sizeof *io);
    int nio = 0;
    if (io) {
        io[nio++] = (struct form_option){"", _("Geen")};
        for (int i = 0; i < ninds; i++)
            io[nio++] = (struct form_option){arena_printf(req->arena, "%" PRId64, inds[i].id),
                                             inds[i].name};
    }
    const struct form_option cmps[] = {{"min", _("ten minste")}, {"max", _("ten hoogste")}};
    kit_h2(&h, _("Resultaatafspraken"));
    kit_para(&h, _("Kies een indicator, of de waarde ten minste of ten hoogste de streefwaarde "
                   "moet zijn, en de streefwaarde."));
    for (int i = 0; i < FORM_AGREEMENTS; i++) {
        char *n1 = arena_printf(req->arena, "afspraak%d", i);
        char *n2 = arena_printf(req->arena, "vergelijking%d", i);
        char *n3 = arena_printf(req->arena, "streefwaarde%d", i);
        form_select(&h, fe, n1, arena_printf(req->arena, _("Indicator %d"), i + 1), io, nio,
                    cf->ind[i], NULL);
        form_select(&h, NULL, n2, arena_printf(req->arena, _("Vergelijking %d"), i + 1), cmps, 2,
                    cf->cmp[i], NULL);
        form_input(&h, NULL, n3, arena_printf(req->arena, _("Streefwaarde %d"), i + 1), "text",
                   cf->target[i], NULL, false, "off");
    }
    form_textarea(&h, fe, "toelichting", _("Toelichting"), cf->toelichting, NULL);
    form_submit(&h, cur ? _("Wijzigingen opslaan") : _("Contract aanmaken"));
    form_end(&h);
    page_end(&h, req);
    page_send(req, &h, status);
}

static void read_form(struct http_req *req, struct contract_form *cf)
{
    memset(cf, 0, sizeof *cf);
    cf->naam = http_form(req, "naam");
    cf->aanbieder = http_form(req, "aanbieder");
    cf->wet = http_form(req, "wet");
    cf->variant = http_form(req, "variant");
    cf->van = http_form(req, "van");
    cf->tot = http_form(req, "tot");
    cf->budget = http_form(req, "budget");
    cf->plafond = http_form(req, "plafond");
    cf->producten = http_form(req, "producten");
    cf->toelichting = http_form(req, "toelichting");
    cf->versie = http_form(req, "versie");
    cf->gemeenten = http_form_all(req, "gemeenten", &cf->ngemeenten);
    for (int i = 0; i < FORM_AGREEMENTS; i++) {
        char n[32];
        snprintf(n, sizeof n, "afspraak%d", i);
        cf->ind[i] = http_form(req, n);
        snprintf(n, sizeof n, "vergelijking%d", i);
        cf->cmp[i] = http_form(req, n);
        snprintf(n, sizeof n, "streefwaarde%d", i);
        cf->target[i] = http_form(req, n);
    }
}

/* Form values -> input; page-level errors into fe. */
static void form_to_input(struct http_req *req, const struct contract_form *cf,
                          struct contract_input *in, struct form_errors *fe)
{
    memset(in, 0, sizeof *in);
    in->name = cf->naam;
    in->note = cf->toelichting;
    in->aanbieder_id = cf->aanbieder ? kit_id(cf->aanbieder) : 0;
    if (!kit_trimmed(req->arena, cf->naam)) /* every form problem at once; the rest: domain */
        kit_error(fe, "naam", _("Vul de naam van het contract in."));
    if (in->aanbieder_id <= 0)
        kit_error(fe, "aanbieder", _("Kies de aanbieder met wie het contract is."));
    in->law = cf->wet && strcmp(cf->wet, "wmo") == 0 ? LAW_WMO : LAW_JW;
    if (!cf->variant || contract_variant_parse(cf->variant, &in->variant) != 0)
        kit_error(fe, "variant", _("Kies een uitvoeringsvariant."));
    if (!cf->van || !kit_parse_day(cf->van, &in->valid_from))
        kit_error(fe, "van", _("Vul een geldige begindatum in."));
    in->valid_to = DAY_NONE;
    if (cf->tot && *cf->tot && !kit_parse_day(cf->tot, &in->valid_to))
        kit_error(fe, "tot", _("Vul een geldige einddatum in, of laat het veld leeg."));
    if (!cf->budget || contract_parse_euro(cf->budget, &in->budget_cents) != 0)
        kit_error(fe, "budget", _("Vul het budget in als bedrag in euro, bijvoorbeeld 1.250.000."));
    in->cap_cents = -1;
    if (kit_trimmed(req->arena, cf->plafond) &&
        contract_parse_euro(cf->plafond, &in->cap_cents) != 0)
        kit_error(fe, "plafond",
                  _("Vul het omzetplafond in als bedrag in euro, of laat het veld leeg."));
    in->gemeenten = cf->gemeenten;
    in->ngemeenten = cf->ngemeenten;
    /* Products: "45, 54/54A01". */
    struct contract_product *prods =
        arena_calloc(req->arena, CONTRACT_MAX_PRODUCTS + 1, sizeof *prods);
    const char *p = cf->producten ? cf->producten : "";
    int np = 0;
    while (prods && *p) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!*p)
            break;
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char item[32];
        snprintf(item, sizeof item, "%.*s", (int)(len < 31 ? len : 31), p);
        char *slash = strchr(item, '/');
        char *cat = item, *code = slash ? slash + 1 : "";
        if (slash)
            *slash = '\0';
        struct str c1 = str_trim(str_from(cat)), c2 = str_trim(str_from(code));
        if (np >= CONTRACT_MAX_PRODUCTS || c1.len != 2 || c2.len > 5) {
            kit_error(fe, "producten",
                      _("Schrijf producten als categorie of categorie/code, bijvoorbeeld 45, "
                        "54/54A01."));
            break;
        }
        memcpy(prods[np].category, c1.p, 2);
        prods[np].category[2] = '\0';
        memcpy(prods[np].code, c2.p, c2.len);
        prods[np].code[c2.len] = '\0';
        np++;
        p += len;
    }
    in->products = prods;
    in->nproducts = np;
    struct contract_agreement *ags = arena_calloc(req->arena, FORM_AGREEMENTS, sizeof *ags);
    int na = 0;
    for (int i = 0; ags && i < FORM_AGREEMENTS; i++) {
        if (!cf->ind[i] || !*cf->ind[i])
            continue;
        struct contract_agreement *a = &ags[na];
        a->indicator_id = kit_id(cf->ind[i]);
        a->note = "";
        if (!cf->cmp[i] || agreement_comparison_parse(cf->cmp[i], &a->comparison) != 0)
            a->comparison = AGREE_MIN;
        struct str t = str_trim(str_from(cf->target[i] ? cf->target[i] : ""));
        char num[40];
        size_t tl = t.len < sizeof num - 1 ? t.len : sizeof num - 1;
        memcpy(num, t.p, tl);
        num[tl] = '\0';
        for (char *c = num; *c; c++)
            if (*c == ',')
                *c = '.';
        char *endp = NULL;
        a->target = t.len ? strtod(num, &endp) : NAN;
        if (!t.len || !endp || *endp || !isfinite(a->target)) {
            kit_error(fe, "afspraak0",
                      arena_printf(req->arena,
                                   _("Vul bij resultaatafspraak %d een streefwaarde in (een "
                                     "getal)."),
                                   i + 1));
            continue;
        }
        na++;
    }
    in->agreements = ags;
    in->nagreements = na;
}

/* Whether the actor may create a contract for its own organisation; else answers 403. */
static bool may_create_or_403(struct http_req *req)
{
    struct object_ref any = {.kind = OBJ_CONTRACT,
                             .owner_org_id = req->actor.org_id,
                             .owner_org_kind = req->actor.org_kind};
    if (policy_allows(&req->actor, ACT_CREATE, &any))
        return true;
    page_error(req, 403, _("U kunt geen contracten aanmaken."));
    return false;
}

static void new_page(struct http_req *req)
{
    struct contract_form cf = {.wet = "jeugdwet", .variant = "inspanningsgericht"};
    if (may_create_or_403(req))
        render_form(req, NULL, &cf, NULL, 200);
}

static void create(struct http_req *req)
{
    struct contract_form cf;
    struct form_errors fe = {0};
    struct contract_input in;
    struct err_ctx e = {0};
    if (!may_create_or_403(req))
        return;
    read_form(req, &cf);
    form_to_input(req, &cf, &in, &fe);
    if (fe.n) {
        render_form(req, NULL, &cf, &fe, 422);
        return;
    }
    int64_t id = 0;
    int rc = contract_create(req->app->store, &req->actor, &in, &id, req->arena, &e);
    if (rc == ERR_INVALID) {
        kit_error_add(&fe, &e, field_map, (int)ARRAY_LEN(field_map));
        render_form(req, NULL, &cf, &fe, 422);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req, arena_printf(req->arena, BASE "/%" PRId64 "?melding=opgeslagen", id));
}

static int editable_or_fail(struct http_req *req, struct contract *c)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id))
        return ERR_NOT_FOUND;
    int rc = contract_get(req->arena, req->app->store, &req->actor, id, c);
    if (!rc && !may(req, c, ACT_EDIT))
        rc = ERR_DENIED;
    if (rc)
        kit_fail(req, rc);
    return rc;
}

static void edit_page(struct http_req *req)
{
    struct contract c;
    if (editable_or_fail(req, &c))
        return;
    struct contract_form cf = {
        .naam = c.name,
        .aanbieder = arena_printf(req->arena, "%" PRId64, c.aanbieder_id),
        .wet = c.law == LAW_WMO ? "wmo" : "jeugdwet",
        .variant = contract_variant_code(c.variant),
        .van = kit_day_iso(req->arena, c.valid_from),
        .tot = c.valid_to == DAY_NONE ? "" : kit_day_iso(req->arena, c.valid_to),
        .budget = euro_input(req->arena, c.budget_cents),
        .plafond = euro_input(req->arena, c.cap_cents),
        .toelichting = c.note,
        .versie = arena_printf(req->arena, "%" PRId64, c.version),
    };
    struct buf b;
    buf_init(&b, 8192);
    for (int i = 0; i < c.nproducts; i++)
        buf_appendf(&b, "%s%s%s%s", i ? ", " : "", c.products[i].category,
                    c.products[i].code[0] ? "/" : "", c.products[i].code);
    cf.producten = arena_strdup(req->arena, buf_cstr(&b));
    buf_release(&b);
    const char **gs = arena_calloc(req->arena, (size_t)c.ngemeenten + 1, sizeof *gs);
    for (int i = 0; gs && i < c.ngemeenten; i++)
        gs[i] = c.gemeenten[i];
    cf.gemeenten = gs;
    cf.ngemeenten = gs ? c.ngemeenten : 0;
    for (int i = 0; i < c.nagreements && i < FORM_AGREEMENTS; i++) {
        cf.ind[i] = arena_printf(req->arena, "%" PRId64, c.agreements[i].indicator_id);
        cf.cmp[i] = agreement_comparison_code(c.agreements[i].comparison);
        cf.target[i] = arena_printf(req->arena, "%g", c.agreements[i].target);
    }
    render_form(req, &c, &cf, NULL, 200);
}

static void update(struct http_req *req)
{
    struct contract c;
    if (editable_or_fail(req, &c))
        return;
    struct contract_form cf;
    struct form_errors fe = {0};
    struct contract_input in;
    struct err_ctx e = {0};
    read_form(req, &cf);
    form_to_input(req, &cf, &in, &fe);
    in.version = cf.versie ? kit_id(cf.versie) : 0;
    if (fe.n) {
        render_form(req, &c, &cf, &fe, 422);
        return;
    }
    int rc = contract_update(req->app->store, &req->actor, c.id, &in, req->arena, &e);
    if (rc == ERR_INVALID || rc == ERR_CONFLICT) {
        kit_error_add(&fe, &e, field_map, (int)ARRAY_LEN(field_map));
        render_form(req, &c, &cf, &fe, rc == ERR_CONFLICT ? 409 : 422);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req, arena_printf(req->arena, BASE "/%" PRId64 "?melding=opgeslagen", c.id));
}

static void set_archived(struct http_req *req, bool archived)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id))
        return;
    const char *v = http_query(req, "versie");
    struct err_ctx e = {0};
    int rc = contract_set_archived(req->app->store, &req->actor, id, v ? kit_id(v) : 0, archived,
                                   req->arena, &e);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req, arena_printf(req->arena, BASE "/%" PRId64 "?melding=%s", id,
                                    archived ? "gearchiveerd" : "hersteld"));
}

static void archive(struct http_req *req)
{
    set_archived(req, true);
}

static void restore(struct http_req *req)
{
    set_archived(req, false);
}

const struct route contract_page_routes[] = {
    {"GET", BASE, list_page, 0, "contract.list"},
    {"GET", BASE "/nieuw", new_page, 0, "contract.new"},
    {"POST", BASE "/nieuw", create, 0, "contract.create"},
    {"GET", BASE "/{id}", view_page, 0, "contract.view"},
    {"GET", BASE "/{id}/bewerken", edit_page, 0, "contract.edit"},
    {"POST", BASE "/{id}", update, 0, "contract.update"},
    {"POST", BASE "/{id}/archiveren", archive, 0, "contract.archive"},
    {"POST", BASE "/{id}/herstellen", restore, 0, "contract.restore"},
    {"GET", BASE "/{id}/bedrijfsvoering.csv", export_csv, 0, "contract.figures_csv"},
    {"GET", BASE "/{id}/bedrijfsvoering.xlsx", export_xlsx, 0, "contract.figures_xlsx"},
    ROUTES_END,
};
