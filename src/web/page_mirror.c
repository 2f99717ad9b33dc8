/*
 * page_mirror.c: the spiegelrapportage of an aanbieder on the web. GET
 * /aanbieders/{id}/spiegelrapportage shows the report built by report/mirror_report.h in plain
 * Dutch: per indicator a sentence, a chart (static/charts.js, with the benchmark band) and the
 * table of the same figures beside the other aanbieders' middle half; survey results; the
 * verification status per theme; the agreed improvement actions; the outcome agreements of the
 * contracts. static/spiegel.css makes it print as a document. The .pdf and .csv routes return
 * the same model as PDF (report/pdf.h) and CSV (report/text_table.h). Readers: policy
 * OBJ_MIRROR_REPORT (the aanbieder's content roles, those of the gemeenten and regions that
 * contract it); everyone else gets 404, so the existence of a report is not revealed.
 * Optional query: per=kwartaal|jaar (years give larger groups for small aanbieders), kwartalen=
 * 1..12 periods (default 4 quarters or 2 years), tot=2025-Q4 / 2025 (default: the last complete
 * one by the data date).
 */
#include "core/common.h"
#include "core/log.h"
#include "core/str.h"
#include "report/mirror_report.h"
#include "report/pdf.h"
#include "web/app.h"
#include "web/figures.h"
#include "web/figures_page.h"
#include "web/page.h"
#include "web/page_kit.h"
#include "web/router.h"

static const char *base_href(struct http_req *req, int64_t id, const char *tail)
{
    return arena_printf(req->arena, "/aanbieders/%" PRId64 "/spiegelrapportage%s", id, tail);
}

/* Parses kwartalen and tot; answers 400 itself (returns false then). */
static bool parse_request(struct http_req *req, int64_t id, struct mirror_request *rq)
{
    memset(rq, 0, sizeof *rq);
    rq->aanbieder_id = id;
    const char *nq = http_query(req, "kwartalen");
    if (nq && *nq) {
        int64_t v;
        if (str_parse_i64_c(nq, 1, MIRROR_QUARTERS_MAX, &v) != 0) {
            page_error(
                req, 400,
                arena_printf(req->arena, _("Kies 1 tot %d kwartalen."), MIRROR_QUARTERS_MAX));
            return false;
        }
        rq->nquarters = (int)v;
    }
    const char *per = http_query(req, "per");
    if (per && *per) {
        if (strcmp(per, "jaar") != 0 && strcmp(per, "kwartaal") != 0) {
            page_error(req, 400, _("Kies per kwartaal of per jaar."));
            return false;
        }
        rq->years = strcmp(per, "jaar") == 0;
    }
    const char *to = http_query(req, "tot");
    if (to && *to) {
        struct period p;
        enum period_kind k = rq->years ? PERIOD_YEAR : PERIOD_QUARTER;
        if (period_parse(str_from(to), &p) != 0 || p.kind != k) {
            page_error(req, 400,
                       rq->years ? _("Geef het laatste jaar als bijvoorbeeld 2025.")
                                 : _("Geef het laatste kwartaal als bijvoorbeeld 2025-Q4."));
            return false;
        }
        rq->last = p;
    }
    return true;
}

/* Builds the report; answers 404/400/500 itself (returns false then). */
static bool load(struct http_req *req, struct mirror_report *rep, int64_t *id_out)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id))
        return false;
    *id_out = id;
    struct mirror_request rq;
    if (!parse_request(req, id, &rq))
        return false;
    struct err_ctx e = {0};
    int rc = mirror_report_build(req->arena, req->app->store, figures_engine(req), req->app->cfg,
                                 &req->actor, &rq, rep, &e);
    if (rc == ERR_NOT_FOUND) {
        page_error(req, 404, NULL);
        return false;
    }
    if (rc) {
        if (rc != ERR_INVALID)
            log_error("mirror.build", "rid", req->rid, "error", e.msg[0] ? e.msg : err_name(rc),
                      NULL);
        page_error(req, rc == ERR_INVALID ? 400 : 500, e.msg[0] ? e.msg : NULL);
        return false;
    }
    return true;
}

/* ---- HTML ---------------------------------------------------------------------------------- */

static void num_cell(struct html *h, const char *text)
{
    html_raw(h, "<td class=\"utrecht-table__cell duiding-num\">");
    html_text(h, text);
    html_raw(h, "</td>");
}

static void hidden_cell(struct html *h, const char *reason)
{
    html_raw(
        h,
        "<td class=\"utrecht-table__cell duiding-num\">.<span class=\"duiding-visually-hidden\"> ");
    html_text(h, reason);
    html_raw(h, "</span></td>");
}

static void head_cell(struct html *h, const char *text, bool num)
{
    if (num)
        html_raw(h, "<th scope=\"col\" class=\"utrecht-table__header-cell duiding-num\">");
    else
        html_raw(h, "<th scope=\"col\" class=\"utrecht-table__header-cell\">");
    html_text(h, text);
    html_raw(h, "</th>");
}

static void table_open(struct http_req *req, struct html *h, const char *caption)
{
    html_raw(h, "<div class=\"duiding-mirror-table\" tabindex=\"0\" role=\"region\"");
    html_attr(h, "aria-label", caption);
    html_raw(h, "><table class=\"utrecht-table\"><caption class=\"utrecht-table__caption\">");
    html_text(h, caption);
    html_raw(h,
             "</caption><thead class=\"utrecht-table__header\"><tr class=\"utrecht-table__row\">");
    (void)req;
}

static void figure_html(struct http_req *req, struct html *h, const struct mirror_figure *f, int no)
{
    /* No breakdown: the JSON holds this aanbieder's totals and the others' quartiles only. */
    const struct fp_card card = {.name = f->name ? f->name : f->code,
                                 .heading = 3,
                                 .explanation = f->explanation,
                                 .ok = f->ok,
                                 .shown = f->latest >= 0,
                                 .sentence = f->sentence,
                                 .problem = f->problem,
                                 .view = &f->view,
                                 .id_prefix = "spiegel",
                                 .no = no,
                                 .bench_title = _("Andere aanbieders: midden (middelste helft)")};
    fp_figure_card(h, req, &card);
}

static void section_begin(struct http_req *req, struct html *h, const char *id, const char *title,
                          const char *intro)
{
    html_raw(h, "<section class=\"duiding-section duiding-mirror-section\"");
    html_attr(h, "aria-labelledby", id);
    html_raw(h, ">");
    kit_h2_id(h, id, title);
    if (intro)
        kit_para(h, intro);
    (void)req;
}

static void figures_html(struct http_req *req, struct html *h, const struct mirror_report *r)
{
    section_begin(req, h, "cijfers", _("Resultaten naast de regio"),
                  mirror_intro_figures(req->arena, &r->rules));
    if (r->figures_problem)
        page_alert(h, "warning", r->figures_problem);
    else if (r->nfigures == 0)
        kit_para(h, _("Er zijn (nog) geen indicatoren."));
    for (int i = 0; i < r->nfigures; i++)
        figure_html(req, h, &r->figures[i], i + 1);
    html_raw(h, "</section>");
}

static void surveys_html(struct http_req *req, struct html *h, const struct mirror_report *r)
{
    section_begin(req, h, "enquetes", _("Wat cliënten zeggen"),
                  _("Dit zijn de uitkomsten van enquêtes onder cliënten van deze aanbieder. Ook "
                    "hier laten we kleine groepen niet zien."));
    if (r->nsurveys == 0)
        kit_para(h, _("In deze periode was er geen enquête over deze aanbieder."));
    for (int i = 0; i < r->nsurveys; i++) {
        const struct mirror_survey *ms = &r->surveys[i];
        html_raw(h, "<article class=\"duiding-mirror-survey\"><h3 class=\"utrecht-heading-3\">");
        html_text(h, ms->round_name);
        html_raw(h, "</h3><p class=\"utrecht-paragraph duiding-muted\">");
        html_text(h, ms->questionnaire);
        html_text(h, " · ");
        kit_time_day(h, ms->opens_on);
        html_text(h, " – ");
        kit_time_day(h, ms->closes_on);
        html_text(h, " · ");
        html_text(h, arena_printf(req->arena, _("%s reacties"), ms->responses));
        html_raw(h, "</p>");
        for (int k = 0; k < ms->nquestions; k++) {
            const struct mirror_survey_question *q = &ms->questions[k];
            table_open(req, h, q->text);
            head_cell(h, _("Antwoord"), false);
            head_cell(h, _("Aantal"), true);
            head_cell(h, _("Procent"), true);
            html_raw(h, "</tr></thead><tbody class=\"utrecht-table__body\">");
            for (int x = 0; x < q->nanswers; x++) {
                const struct mirror_survey_answer *an = &q->answers[x];
                html_raw(h, "<tr class=\"utrecht-table__row\"><th scope=\"row\" "
                            "class=\"utrecht-table__header-cell\">");
                html_text(h, an->label);
                html_raw(h, "</th>");
                if (an->hidden) {
                    hidden_cell(h, an->hidden);
                    hidden_cell(h, an->hidden);
                } else {
                    num_cell(h, an->count);
                    num_cell(h, an->percent);
                }
                html_raw(h, "</tr>");
            }
            html_raw(h, "</tbody></table></div>");
            if (q->mean)
                kit_para(h, arena_printf(req->arena, _("Gemiddeld cijfer: %s"), q->mean));
        }
        html_raw(h, "</article>");
    }
    html_raw(h, "</section>");
}

static void review_html(struct http_req *req, struct html *h, const struct mirror_report *r)
{
    section_begin(req, h, "toetsing", _("Toetsing aan het kwaliteitskader"),
                  _("Per thema van het kwaliteitskader: hoeveel punten voldoen volgens de "
                    "laatste toetsing."));
    if (r->review_problem) {
        page_alert(h, "warning", r->review_problem);
    } else if (!r->has_review) {
        kit_para(h, _("Er is (nog) geen toetsing van deze aanbieder die u kunt inzien."));
    } else {
        const struct review *rv = &r->review;
        kit_dl_begin(h);
        kit_dl_item(h, _("Soort toetsing"), review_kind_label(rv->kind));
        kit_dl_item(h, _("Getoetst door"), rv->owner_name ? rv->owner_name : "");
        kit_dl_item(h, _("Status"), review_status_label(rv->status));
        if (rv->decision != DECISION_NONE)
            kit_dl_item(h, _("Besluit"), review_decision_label(rv->decision));
        kit_dl_end(h);
        table_open(req, h, _("Stand per thema"));
        head_cell(h, _("Thema"), false);
        head_cell(h, _("Voldoet"), true);
        head_cell(h, _("Deels"), true);
        head_cell(h, _("Nog niet"), true);
        head_cell(h, _("Nog open"), true);
        head_cell(h, _("Verschil van inzicht"), true);
        html_raw(h, "</tr></thead><tbody class=\"utrecht-table__body\">");
        for (int i = 0; i < r->nthemes; i++) {
            const struct review_theme_status *t = &r->themes[i];
            html_raw(h, "<tr class=\"utrecht-table__row\"><th scope=\"row\" "
                        "class=\"utrecht-table__header-cell\">");
            html_text(h, t->theme);
            html_raw(h, "</th>");
            num_cell(h, arena_printf(req->arena, _("%d van %d"), t->nvoldoet, t->ncriteria));
            num_cell(h, arena_printf(req->arena, "%d", t->ndeels));
            num_cell(h, arena_printf(req->arena, "%d", t->nnog_niet));
            num_cell(h, arena_printf(req->arena, "%d", t->nopen));
            num_cell(h, arena_printf(req->arena, "%d", t->ndifferences));
            html_raw(h, "</tr>");
        }
        html_raw(h, "</tbody></table></div>");
    }
    html_raw(h, "</section>");
}

static void actions_html(struct http_req *req, struct html *h, const struct mirror_report *r)
{
    section_begin(req, h, "afspraken", _("Wat we hebben afgesproken"),
                  _("De verbeteracties uit kwaliteitsgesprekken met deze aanbieder, en hoe ver "
                    "ze zijn."));
    if (r->nactions == 0) {
        kit_para(h, _("Er zijn (nog) geen verbeteracties afgesproken."));
    } else {
        kit_para(h,
                 arena_printf(req->arena,
                              _("Open: %d · Bezig: %d · Klaar: %d · Vervallen: %d · Te laat: %d"),
                              r->counts.open, r->counts.bezig, r->counts.klaar, r->counts.vervallen,
                              r->counts.overdue));
        const char *heads[] = {_("Afspraak"), _("Wie"), _("Klaar uiterlijk"), _("Status")};
        table_begin(h, _("Verbeteracties"), heads, 4);
        for (int i = 0; i < r->nactions; i++) {
            const struct improvement_action *x = &r->actions[i];
            table_row_begin(h);
            table_cell(h, x->description);
            table_cell(h, x->owner_name ? x->owner_name : "");
            kit_cell_begin(h);
            kit_time_day(h, x->due_on);
            kit_cell_end(h);
            kit_cell_begin(h);
            html_text(h, x->status >= ACTION_STATUS_MIN && x->status <= ACTION_STATUS_MAX
                             ? action_status_label(x->status)
                             : "");
            if (x->overdue) {
                html_raw(h, " <strong class=\"duiding-overdue\">");
                html_text(h, _("(te laat)"));
                html_raw(h, "</strong>");
            }
            kit_cell_end(h);
            table_row_end(h);
        }
        table_end(h);
    }
    html_raw(h, "</section>");
    if (!r->agreements_available)
        return;
    section_begin(req, h, "resultaatafspraken", _("Resultaatafspraken in contracten"),
                  _("Wat in de contracten met deze aanbieder is afgesproken over resultaten, met "
                    "het laatste cijfer."));
    if (r->nagreements == 0) {
        kit_para(h, _("Er zijn geen resultaatafspraken in contracten die u kunt inzien."));
    } else {
        const char *heads[] = {_("Contract"), _("Indicator"), _("Afspraak"), _("Laatste cijfer"),
                               _("Gehaald?")};
        table_begin(h, _("Resultaatafspraken"), heads, 5);
        for (int i = 0; i < r->nagreements; i++) {
            const struct mirror_agreement *m = &r->agreements[i];
            table_row_begin(h);
            table_cell(h, m->contract);
            table_cell(h, m->indicator);
            table_cell(h, m->target);
            table_cell(h, m->latest);
            table_cell(h, m->met);
            table_row_end(h);
        }
        table_end(h);
    }
    html_raw(h, "</section>");
}

static void mirror_page(struct http_req *req)
{
    struct mirror_report rep;
    int64_t id;
    if (!load(req, &rep, &id))
        return;
    const struct crumb crumbs[] = {
        {_("Start"), "/"},
        {_("Aanbieders"), "/aanbieders"},
        {rep.aanbieder_name, arena_printf(req->arena, "/aanbieders/%" PRId64, id)},
        {_("Spiegelrapportage"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, rep.title, crumbs, (int)ARRAY_LEN(crumbs));
    fp_assets(&h);
    html_raw(&h, "<link rel=\"stylesheet\" href=\"/static/spiegel.css\">");
    html_raw(&h, "<p class=\"utrecht-paragraph duiding-mirror-subtitle\">");
    html_text(&h, rep.subtitle);
    html_raw(&h, "</p>");
    const char *q = fp_query_string(req, NULL, 0);
    const char *tail = q && *q ? arena_printf(req->arena, "?%s", q) : "";
    kit_actions_begin(&h);
    kit_button_link(&h, base_href(req, id, arena_printf(req->arena, ".pdf%s", tail)),
                    _("PDF downloaden"), true);
    kit_button_link(&h, base_href(req, id, arena_printf(req->arena, ".csv%s", tail)),
                    _("Download als CSV"), false);
    kit_actions_end(&h);
    html_raw(&h, "<p class=\"utrecht-paragraph duiding-mirror-intro\">");
    html_text(&h, rep.intro);
    html_raw(&h, "</p>");
    bool years = rep.last.kind == PERIOD_YEAR;
    int shown = 0;
    for (int i = 0; i < rep.nfigures; i++)
        shown += rep.figures[i].latest >= 0;
    if (!years && rep.nfigures > 0 && shown * 2 < rep.nfigures)
        page_alert(&h, "info",
                   _("Veel cijfers per kwartaal zijn te klein om te tonen. Per jaar zijn de "
                     "groepen groter."));
    html_raw(&h, "<p class=\"utrecht-paragraph duiding-mirror-switch\"><a class=\"utrecht-link\"");
    html_attr(&h, "href", base_href(req, id, years ? "?per=kwartaal" : "?per=jaar"));
    html_raw(&h, ">");
    html_text(&h, years ? _("Bekijk de cijfers per kwartaal") : _("Bekijk de cijfers per jaar"));
    html_raw(&h, "</a></p>");
    figures_html(req, &h, &rep);
    surveys_html(req, &h, &rep);
    review_html(req, &h, &rep);
    actions_html(req, &h, &rep);
    page_end(&h, req);
    page_send(req, &h, 200);
}

/* "spiegelrapportage-<id>-2025-Q4.pdf": no organisation name in a header. */
static const char *file_name(struct http_req *req, int64_t id, const struct mirror_report *r,
                             const char *ext)
{
    char code[PERIOD_CODE_MAX];
    period_code(r->last, code);
    return arena_printf(req->arena, "attachment; filename=\"spiegelrapportage-%" PRId64 "-%s.%s\"",
                        id, code, ext);
}

static void mirror_pdf(struct http_req *req)
{
    struct mirror_report rep;
    int64_t id;
    if (!load(req, &rep, &id))
        return;
    struct buf out;
    buf_init(&out, PDF_MAX_BYTES);
    struct err_ctx e = {0};
    int rc = mirror_report_pdf(req->arena, &rep, &out, NULL, &e);
    char *body = rc ? NULL : arena_alloc(req->arena, out.len ? out.len : 1);
    if (rc || body == NULL) {
        buf_release(&out);
        log_error("mirror.pdf", "rid", req->rid, "error", e.msg[0] ? e.msg : err_name(rc), NULL);
        page_error(req, 500, NULL);
        return;
    }
    memcpy(body, out.p, out.len);
    req->resp.status = 200;
    req->resp.content_type = "application/pdf";
    req->resp.body = body;
    req->resp.body_len = out.len;
    buf_release(&out);
    http_resp_header(req, "Content-Disposition", file_name(req, id, &rep, "pdf"));
    http_resp_header(req, "Cache-Control", "private, no-store");
}

static void mirror_csv(struct http_req *req)
{
    struct mirror_report rep;
    int64_t id;
    if (!load(req, &rep, &id))
        return;
    const char *out = NULL;
    size_t len = 0;
    struct err_ctx e = {0};
    int rc = mirror_report_csv(req->arena, &rep, &out, &len, &e);
    if (rc) {
        log_error("mirror.csv", "rid", req->rid, "error", e.msg[0] ? e.msg : err_name(rc), NULL);
        page_error(req, 500, NULL);
        return;
    }
    req->resp.status = 200;
    req->resp.content_type = "text/csv; charset=utf-8";
    req->resp.body = out;
    req->resp.body_len = len;
    http_resp_header(req, "Content-Disposition", file_name(req, id, &rep, "csv"));
    http_resp_header(req, "Cache-Control", "private, no-store");
}

const struct route mirror_page_routes[] = {
    {"GET", "/aanbieders/{id}/spiegelrapportage", mirror_page, 0, "mirror.view"},
    {"GET", "/aanbieders/{id}/spiegelrapportage.pdf", mirror_pdf, 0, "mirror.pdf"},
    {"GET", "/aanbieders/{id}/spiegelrapportage.csv", mirror_csv, 0, "mirror.csv"},
    ROUTES_END,
};
