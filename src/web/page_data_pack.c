/*
 * page_data_pack.c: the data pack of a conversation on the web — /gesprekken/{id}/datapakket
 * shows the newest frozen pack as a readable, printable page (static/datapakket.css has the
 * print rules), with the notice that it is a snapshot and, when data changed since, a notice
 * and a button to make a new one (only before the conversation is held); POST on the same
 * path makes a pack (CSRF-checked by the dispatcher; ACT_EDIT decided in report/data_pack.c);
 * /gesprekken/{id}/datapakket.pdf downloads the PDF. Everything shown comes from the frozen
 * JSON document (charts too, through static/charts.js): nothing is computed afresh here.
 */
#include <jansson.h>

#include "web/router.h"
#include "core/common.h"
#include "core/log.h"
#include "core/str.h"
#include "domain/conversation.h"
#include "domain/policy.h"
#include "report/data_pack.h"
#include "report/pdf.h"
#include "web/app.h"
#include "web/figures.h"
#include "web/figures_page.h"
#include "web/page.h"
#include "web/page_kit.h"
#include <time.h>

static const char *jget(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static const char *pack_href(struct http_req *req, int64_t id, const char *tail)
{
    return arena_printf(req->arena, "/gesprekken/%" PRId64 "/datapakket%s", id, tail);
}

/* An ISO date of the document as the long Dutch form ("" stays "–"). */
static void day_out(struct html *h, const char *iso)
{
    day_t d;
    if (iso && *iso && str_parse_date_iso(str_from(iso), &d) == 0)
        kit_time_day(h, d);
    else
        html_text(h, iso && *iso ? iso : "–");
}

static bool may_make(struct http_req *req, const struct conversation *c)
{
    if (c->kind != CONV_ACHTERKANT || (c->status != CONV_GEPLAND && c->status != CONV_VOORBEREID))
        return false;
    struct object_ref obj;
    conversation_object(c, req->arena, &obj);
    return policy_allows(&req->actor, ACT_EDIT, &obj);
}

static void make_button(struct http_req *req, struct html *h, int64_t id, const char *label)
{
    form_button(h, req, pack_href(req, id, ""), label, false);
}

static const char *movement_text(const char *code)
{
    if (strcmp(code, "beter") == 0)
        return _("beter");
    if (strcmp(code, "slechter") == 0)
        return _("slechter");
    if (strcmp(code, "gelijk") == 0)
        return _("gelijk (binnen de marge)");
    if (strcmp(code, "hoger") == 0)
        return _("hoger");
    if (strcmp(code, "lager") == 0)
        return _("lager");
    return _("onbekend");
}

/* ---- Sections of the pack ----------------------------------------------------------------- */

static void theory_section(struct html *h, const json_t *t)
{
    if (!json_is_object(t))
        return;
    html_raw(h, "<h3 class=\"utrecht-heading-3\">");
    html_text(h, _("Verandertheorie"));
    html_raw(h, "</h3>");
    size_t i;
    const json_t *x;
    if (json_array_size(json_object_get(t, "startvragen")) > 0) {
        kit_dl_begin(h);
        json_array_foreach(json_object_get(t, "startvragen"), i, x)
            kit_dl_item(h, jget(x, "vraag"), jget(x, "antwoord"));
        kit_dl_end(h);
    }
    html_raw(h, "<ol class=\"duiding-pack-chain\">");
    json_array_foreach(json_object_get(t, "activiteiten"), i, x)
    {
        html_raw(h,
                 "<li class=\"duiding-pack-chain__item\"><p class=\"utrecht-paragraph\"><strong>");
        html_text(h, *jget(x, "aanbieder") ? jget(x, "aanbieder") : _("Gemeente"));
        if (*jget(x, "product")) {
            html_text(h, " – ");
            html_text(h, jget(x, "product"));
        }
        html_raw(h, "</strong></p>");
        kit_dl_begin(h);
        kit_dl_item(h, _("Activiteit"), jget(x, "activiteit"));
        kit_dl_item(h, _("Waarom (aannames)"), jget(x, "aannames"));
        kit_dl_item(h, _("Wat nodig is"), jget(x, "voorwaarden"));
        kit_dl_item(h, _("Verwachte uitkomsten"), jget(x, "uitkomsten"));
        kit_dl_end(h);
        html_raw(h, "</li>");
    }
    html_raw(h, "</ol>");
}

static void series_section(struct http_req *req, struct html *h, const json_t *ind,
                           const json_t *series, const json_t *events, int *chart_no)
{
    const char *title =
        arena_printf(req->arena, "%s – %s", jget(ind, "naam"), jget(series, "naam"));
    /* The chart: the frozen view document with the pack's events, drawn by charts.js. */
    json_t *view = json_deep_copy(json_object_get(series, "grafiek"));
    if (json_is_object(view)) {
        json_object_set(view, "gebeurtenissen", (json_t *)events);
        char *text = json_dumps(view, JSON_COMPACT);
        const char *id = arena_printf(req->arena, "pakket-grafiek-%d", ++*chart_no);
        fp_json_script(h, id, text);
        free(text);
        html_raw(h, "<figure class=\"duiding-chart\" hidden data-grafiek=\"trend\"");
        html_attr(h, "data-bron", id);
        html_attr(h, "data-label-gebeurtenis", _("Gebeurtenis"));
        html_attr(h, "data-label-totaal", _("Totaal"));
        html_attr(h, "data-label-verborgen", _("niet getoond"));
        html_raw(h, "><figcaption class=\"duiding-chart__title\">");
        html_text(h, title);
        html_raw(h, " <span class=\"duiding-chart__hint\">");
        html_text(h, _("(de cijfers staan ook in de tabel)"));
        html_raw(h, "</span></figcaption><div class=\"duiding-chart__plot\" aria-hidden=\"true\">"
                    "</div></figure>");
    }
    json_decref(view);
    const char *heads[] = {_("Periode"), _("Waarde"), _("Onzekerheidsmarge (95%)"),
                           _("Streefwaarde"), _("Middelste helft ter vergelijking")};
    table_begin(h, title, heads, (int)ARRAY_LEN(heads));
    size_t i;
    const json_t *p;
    json_array_foreach(json_object_get(series, "perioden"), i, p)
    {
        table_row_begin(h);
        table_cell(h, jget(p, "periode"));
        kit_cell_begin(h);
        if (json_is_null(json_object_get(p, "waarde"))) {
            html_raw(h, "<abbr");
            html_attr(h, "title", jget(p, "verborgen"));
            html_raw(h, ">.</abbr>");
        } else {
            html_text(h, jget(p, "weergave"));
        }
        kit_cell_end(h);
        table_cell(h, jget(p, "interval_weergave"));
        table_cell(h, jget(p, "streefwaarde_weergave"));
        const json_t *bm = json_object_get(p, "benchmark");
        table_cell(h, json_is_object(bm) ? jget(bm, "weergave") : "");
        table_row_end(h);
    }
    table_end(h);
    html_raw(h, "<p class=\"utrecht-paragraph duiding-pack-trend\">");
    html_text(h, _("Ontwikkeling ten opzichte van het kwartaal ervoor:"));
    html_text(h, " ");
    html_text(h, movement_text(jget(series, "trend")));
    html_raw(h, "</p>");
}

static void results_section(struct http_req *req, struct html *h, const json_t *root)
{
    const json_t *events = json_object_get(root, "contextgebeurtenissen");
    int chart_no = 0;
    size_t i, k, s;
    const json_t *r, *ind, *ser;
    json_array_foreach(json_object_get(root, "resultaten"), i, r)
    {
        html_raw(h, "<section class=\"duiding-section duiding-pack-result\">"
                    "<h2 class=\"utrecht-heading-2\"");
        char rid[32];
        snprintf(rid, sizeof rid, "resultaat-%zu", i + 1);
        html_attr(h, "id", rid);
        html_raw(h, ">");
        html_text(h, _("Resultaat:"));
        html_text(h, " ");
        html_text(h, jget(r, "titel"));
        html_raw(h, "</h2>");
        if (*jget(r, "omschrijving"))
            kit_para(h, jget(r, "omschrijving"));
        theory_section(h, json_object_get(r, "verandertheorie"));
        if (json_array_size(json_object_get(r, "indicatoren")) == 0)
            kit_para(h, _("Aan dit resultaat zijn geen indicatoren gekoppeld."));
        json_array_foreach(json_object_get(r, "indicatoren"), k, ind)
        {
            html_raw(h, "<div class=\"duiding-pack-indicator\"><h3 class=\"utrecht-heading-3\">");
            html_text(h, jget(ind, "naam"));
            html_raw(h, "</h3>");
            if (*jget(ind, "uitleg"))
                kit_para(h, jget(ind, "uitleg"));
            json_array_foreach(json_object_get(ind, "reeksen"), s, ser)
                series_section(req, h, ind, ser, events, &chart_no);
            html_raw(h, "</div>");
        }
        html_raw(h, "</section>");
    }
}

static void stories_section(struct html *h, const json_t *root)
{
    kit_h2_id(h, "verhalen", _("Verhalen"));
    const json_t *arr = json_object_get(root, "verhalen");
    if (json_array_size(arr) == 0) {
        kit_para(
            h,
            _("Er zijn geen verhalen uit deze periode die in dit gesprek gedeeld mogen worden."));
        return;
    }
    size_t i;
    const json_t *x;
    json_array_foreach(arr, i, x)
    {
        html_raw(h, "<article class=\"duiding-pack-story\"><h3 class=\"utrecht-heading-3\">");
        html_text(h, jget(x, "titel"));
        html_raw(h, "</h3><p class=\"utrecht-paragraph duiding-pack-meta\">");
        html_text(h, jget(x, "soort"));
        html_text(h, " · ");
        html_text(h, jget(x, "verteller"));
        html_text(h, " · ");
        day_out(h, jget(x, "verteld_op"));
        html_raw(h, "</p><blockquote class=\"duiding-quote\"><p class=\"utrecht-paragraph\">");
        html_text(h, jget(x, "tekst"));
        html_raw(h, "</p></blockquote></article>");
    }
}

static void events_section(struct html *h, const json_t *root)
{
    kit_h2_id(h, "context", _("Contextgebeurtenissen"));
    const json_t *arr = json_object_get(root, "contextgebeurtenissen");
    if (json_array_size(arr) == 0) {
        kit_para(h, _("Geen contextgebeurtenissen in deze periode."));
        return;
    }
    html_raw(h, "<ul class=\"utrecht-unordered-list\">");
    size_t i;
    const json_t *x;
    json_array_foreach(arr, i, x)
    {
        html_raw(h, "<li class=\"utrecht-unordered-list__item\">");
        day_out(h, jget(x, "datum"));
        html_text(h, " – ");
        html_raw(h, "<strong>");
        html_text(h, jget(x, "titel"));
        html_raw(h, "</strong>");
        if (*jget(x, "omschrijving")) {
            html_text(h, ": ");
            html_text(h, jget(x, "omschrijving"));
        }
        html_raw(h, "</li>");
    }
    html_raw(h, "</ul>");
}

static void surveys_section(struct http_req *req, struct html *h, const json_t *root)
{
    kit_h2_id(h, "enquetes", _("Enquêteresultaten"));
    const json_t *arr = json_object_get(root, "enquetes");
    if (json_array_size(arr) == 0) {
        kit_para(h, _("Geen enquêterondes in deze periode."));
        return;
    }
    size_t i, k, o;
    const json_t *x, *q, *an;
    json_array_foreach(arr, i, x)
    {
        html_raw(h, "<h3 class=\"utrecht-heading-3\">");
        html_text(h, jget(x, "vragenlijst"));
        html_text(h, " – ");
        html_text(h, jget(x, "ronde"));
        html_raw(h, "</h3>");
        json_array_foreach(json_object_get(x, "vragen"), k, q)
        {
            const char *heads[] = {_("Antwoord"), _("Aantal"), _("Procent")};
            table_begin(h, jget(q, "vraag"), heads, 3);
            json_array_foreach(json_object_get(q, "antwoorden"), o, an)
            {
                table_row_begin(h);
                table_cell(h, jget(an, "antwoord"));
                const json_t *n = json_object_get(an, "aantal"),
                             *pc = json_object_get(an, "procent");
                table_cell(h, json_is_integer(n) ? arena_printf(req->arena, "%" JSON_INTEGER_FORMAT,
                                                                json_integer_value(n))
                                                 : ".");
                table_cell(h, json_is_number(pc)
                                  ? arena_printf(req->arena, "%.0f%%", json_number_value(pc))
                                  : ".");
                table_row_end(h);
            }
            table_end(h);
        }
    }
}

static void actions_section(struct http_req *req, struct html *h, const json_t *root)
{
    kit_h2_id(h, "acties", _("Open acties van het vorige gesprek"));
    const json_t *arr = json_object_get(root, "acties_vorig_gesprek");
    if (json_array_size(arr) == 0) {
        kit_para(h, _("Er staan geen acties open uit een vorig gesprek."));
        return;
    }
    size_t i, k;
    const json_t *x, *y;
    json_array_foreach(arr, i, x)
    {
        html_raw(h, "<article class=\"duiding-pack-action\"><h3 class=\"utrecht-heading-3\">");
        html_text(h, jget(x, "omschrijving"));
        html_raw(h, "</h3>");
        kit_dl_begin(h);
        kit_dl_item(h, _("Eigenaar"), jget(x, "eigenaar"));
        kit_dl_item(h, _("Status"), jget(x, "status_label"));
        kit_dl_item_begin(h, _("Deadline"));
        day_out(h, jget(x, "deadline"));
        if (json_is_true(json_object_get(x, "te_laat"))) {
            html_raw(h, " <strong class=\"duiding-overdue\">");
            html_text(h, _("(te laat)"));
            html_raw(h, "</strong>");
        }
        kit_dl_item_end(h);
        kit_dl_end(h);
        if (json_array_size(json_object_get(x, "indicatoren")) == 0)
            continue;
        const char *heads[] = {_("Indicator"), _("Bij afspraak"), _("Nu"), _("Beweging")};
        table_begin(h, _("Hoe de indicatoren bewogen"), heads, 4);
        json_array_foreach(json_object_get(x, "indicatoren"), k, y)
        {
            table_row_begin(h);
            table_cell(h, jget(y, "naam"));
            table_cell(h, *jget(y, "basis_weergave")
                              ? arena_printf(req->arena, "%s (%s)", jget(y, "basis_weergave"),
                                             jget(y, "basis_periode"))
                              : "–");
            table_cell(h, *jget(y, "nu_weergave")
                              ? arena_printf(req->arena, "%s (%s)", jget(y, "nu_weergave"),
                                             jget(y, "nu_periode"))
                              : "–");
            table_cell(h, movement_text(jget(y, "beweging")));
            table_row_end(h);
        }
        table_end(h);
        html_raw(h, "</article>");
    }
}

/* ---- Handlers ----------------------------------------------------------------------------- */

/* The pack is a long document: its parts, linked (also in print, as a list). */
static void contents(struct html *h, const json_t *root)
{
    html_raw(h, "<nav class=\"duiding-pack-contents\" aria-labelledby=\"kop-inhoud\">"
                "<h2 class=\"utrecht-heading-2\" id=\"kop-inhoud\">");
    html_text(h, _("Inhoud"));
    html_raw(h, "</h2><ol class=\"utrecht-ordered-list\">");
    size_t i;
    const json_t *r;
    json_array_foreach(json_object_get(root, "resultaten"), i, r)
    {
        char href[40];
        snprintf(href, sizeof href, "#resultaat-%zu", i + 1);
        html_raw(h, "<li class=\"utrecht-ordered-list__item\"><a class=\"utrecht-link\"");
        html_url_attr(h, "href", href);
        html_raw(h, ">");
        html_text(h, _("Resultaat:"));
        html_text(h, " ");
        html_text(h, jget(r, "titel"));
        html_raw(h, "</a></li>");
    }
    const struct {
        const char *href, *label;
    } parts[] = {{"#verhalen", _("Verhalen")},
                 {"#context", _("Contextgebeurtenissen")},
                 {"#enquetes", _("Enquêteresultaten")},
                 {"#acties", _("Open acties van het vorige gesprek")}};
    for (size_t k = 0; k < ARRAY_LEN(parts); k++) {
        html_raw(h, "<li class=\"utrecht-ordered-list__item\"><a class=\"utrecht-link\"");
        html_url_attr(h, "href", parts[k].href);
        html_raw(h, ">");
        html_text(h, parts[k].label);
        html_raw(h, "</a></li>");
    }
    html_raw(h, "</ol></nav>");
}

static void pack_page(struct http_req *req)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id))
        return;
    struct conversation c;
    int rc = conversation_get(req->arena, req->app->store, &req->actor, id, &c);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    struct data_pack p;
    rc = data_pack_latest(req->arena, req->app->store, &req->actor, id, &p);
    if (rc && rc != ERR_NOT_FOUND) {
        kit_fail(req, rc);
        return;
    }
    bool have = rc == 0;
    const char *conv_href = arena_printf(req->arena, "/gesprekken/%" PRId64, id);
    const struct crumb crumbs[] = {{_("Start"), "/"},
                                   {_("Gesprekken"), "/gesprekken"},
                                   {c.title, conv_href},
                                   {_("Datapakket"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, arena_printf(req->arena, _("Datapakket: %s"), c.title), crumbs,
               (int)ARRAY_LEN(crumbs));
    html_raw(&h, "<link rel=\"stylesheet\" href=\"/static/datapakket.css\">");
    fp_assets(&h);
    if (http_query(req, "melding") && strcmp(http_query(req, "melding"), "aangemaakt") == 0)
        page_alert(&h, "ok", _("Het datapakket is gemaakt en vastgezet."));
    bool can_make = may_make(req, &c);
    if (!have) {
        kit_para(&h,
                 c.kind == CONV_ACHTERKANT
                     ? _("Voor dit gesprek is nog geen datapakket gemaakt. Een datapakket is een "
                         "momentopname van de cijfers, verhalen, contextgebeurtenissen, "
                         "enquêteresultaten en open acties; het verandert daarna niet meer.")
                     : _("Een voorkantgesprek heeft geen datapakket."));
        kit_buttons_begin(&h);
        if (can_make)
            make_button(req, &h, id, _("Datapakket maken"));
        kit_button_link(&h, conv_href, _("Terug naar het gesprek"), false);
        kit_actions_end(&h);
        page_end(&h, req);
        page_send(req, &h, 200);
        return;
    }
    json_error_t je;
    json_t *root = json_loadb(p.row.document, p.row.document_len, 0, &je);
    if (root == NULL) {
        html_release(&h);
        log_error("data_pack.page", "rid", req->rid, "error", "stored document is not JSON", NULL);
        page_error(req, 500, NULL);
        return;
    }
    char made[11], created[KIT_TIME_MAX];
    date_format_nl(p.row.data_date, made);
    if (!kit_time_from_iso(p.row.created_at, false, created))
        snprintf(created, sizeof created, "%s", p.row.created_at ? p.row.created_at : "");
    page_alert(&h, "info",
               arena_printf(req->arena,
                            _("Momentopname gemaakt op %s, met gegevens tot en met %s; latere "
                              "correcties staan hier niet in."),
                            created, made));
    bool outdated = data_pack_outdated(req->app->store, &p);
    if (outdated)
        page_alert(&h, "warning", _("Sinds deze momentopname zijn gegevens gewijzigd."));
    kit_actions_begin(&h);
    kit_button_link(&h, pack_href(req, id, ".pdf"), _("PDF downloaden"), true);
    kit_button_link(&h, conv_href, _("Terug naar het gesprek"), false);
    kit_actions_end(&h);
    if (can_make) {
        kit_buttons_begin(&h);
        make_button(req, &h, id,
                    outdated ? _("Nieuw datapakket maken met de nieuwe gegevens")
                             : _("Nieuw datapakket maken"));
        kit_actions_end(&h);
    }

    const json_t *g = json_object_get(root, "gesprek");
    kit_h2(&h, _("Over dit datapakket"));
    kit_dl_begin(&h);
    kit_dl_item_begin(&h, _("Gemaakt op"));
    kit_time_iso(&h, p.row.created_at, false, NULL);
    kit_dl_item_end(&h);
    kit_dl_item(&h, _("Gemaakt door"), p.row.created_by_name);
    kit_dl_item(&h, _("Peildatum van de cijfers"), made);
    kit_dl_item_begin(&h, _("Periode"));
    day_out(&h, jget(g, "periode_van"));
    html_text(&h, " – ");
    day_out(&h, jget(g, "periode_tot"));
    kit_dl_item_end(&h);
    kit_dl_item_begin(&h, _("Controlegetal (sha256)"));
    html_raw(&h, "<code class=\"duiding-pack-hash\">");
    html_text(&h, p.row.sha256);
    html_raw(&h, "</code>");
    kit_dl_item_end(&h);
    kit_dl_end(&h);
    kit_para(&h,
             _("Cijfers zijn beschermd: een punt (.) betekent dat een waarde verborgen is omdat "
               "de aantallen te klein zijn. Een verborgen waarde is geen nul."));

    contents(&h, root);
    results_section(req, &h, root);
    stories_section(&h, root);
    events_section(&h, root);
    surveys_section(req, &h, root);
    actions_section(req, &h, root);

    struct data_pack_row *hist = NULL;
    int nh = 0;
    if (data_pack_history(req->arena, req->app->store, &req->actor, id, &hist, &nh) == 0 &&
        nh > 1) {
        kit_h2(&h, _("Eerdere datapakketten"));
        html_raw(&h, "<ul class=\"utrecht-unordered-list\">");
        for (int i = 1; i < nh; i++) {
            html_raw(&h, "<li class=\"utrecht-unordered-list__item\">");
            kit_time_iso(&h, hist[i].created_at, false, NULL);
            html_raw(&h, " · <code>");
            html_textf(&h, "%.16s…", hist[i].sha256 ? hist[i].sha256 : "");
            html_raw(&h, "</code></li>");
        }
        html_raw(&h, "</ul>");
    }
    json_decref(root);
    page_end(&h, req);
    page_send(req, &h, 200);
}

static void pack_make(struct http_req *req)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id))
        return;
    struct mx_engine *eng = figures_engine(req);
    struct data_pack p;
    struct err_ctx e = {0};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc =
        data_pack_build(req->arena, req->app->store, eng, req->app->cfg, &req->actor, id, &p, &e);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    char msbuf[24];
    snprintf(msbuf, sizeof msbuf, "%ld", ms);
    if (rc) {
        log_info("data_pack.refused", "rid", req->rid, "error", err_name(rc), "ms", msbuf, NULL);
        if (rc == ERR_NOT_FOUND || rc == ERR_DENIED)
            kit_fail(req, rc);
        else
            page_error(req,
                       rc == ERR_CONFLICT  ? 409
                       : rc == ERR_INVALID ? 400
                                           : 500,
                       e.msg[0] ? e.msg : NULL);
        return;
    }
    log_info("data_pack.made", "rid", req->rid, "ms", msbuf, NULL);
    http_redirect(req, pack_href(req, id, "?melding=aangemaakt"));
}

static void pack_pdf(struct http_req *req)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id))
        return;
    struct data_pack p;
    int rc = data_pack_latest(req->arena, req->app->store, &req->actor, id, &p);
    if (rc) {
        if (rc == ERR_NOT_FOUND)
            page_error(req, 404, _("Er is (nog) geen datapakket voor dit gesprek."));
        else
            kit_fail(req, rc);
        return;
    }
    struct buf out;
    buf_init(&out, PDF_MAX_BYTES);
    struct err_ctx e = {0};
    rc = data_pack_pdf(req->arena, &p, &out, &e);
    if (rc) {
        buf_release(&out);
        log_error("data_pack.pdf", "rid", req->rid, "error", e.msg, NULL);
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
                     arena_printf(req->arena,
                                  "attachment; filename=\"datapakket-%" PRId64 "-%" PRId64 ".pdf\"",
                                  id, p.row.id));
}

const struct route data_pack_page_routes[] = {
    {"GET", "/gesprekken/{id}/datapakket", pack_page, 0, "data_pack.view"},
    {"POST", "/gesprekken/{id}/datapakket", pack_make, 0, "data_pack.create"},
    {"GET", "/gesprekken/{id}/datapakket.pdf", pack_pdf, 0, "data_pack.pdf"},
    ROUTES_END,
};
