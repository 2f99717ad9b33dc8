/*
 * page_survey_result.c: the results of a survey for signed-in users (docs/surveys.md
 * "Results"): per question the answers with counts and percentages over the rounds the user
 * may see (or one round), optionally broken down by gemeente, aanbieder or category, every
 * figure through the disclosure module (metrics/survey_result.h) for the user's audience;
 * CSV/XLSX downloads of the same; the open answers of a round (policy OBJ_SURVEY_OPEN_ANSWER:
 * flagged ones only for the owner until reviewed) and their review (release or redact).
 */
#include "core/common.h"
#include "core/log.h"
#include "core/str.h"
#include "domain/anon_check.h"
#include "domain/audit.h"
#include "domain/survey.h"
#include "domain/survey_response.h"
#include "domain/survey_round.h"
#include "metrics/survey_result.h"
#include "report/survey_export.h"
#include "web/figures.h"
#include "web/page.h"
#include "web/page_kit.h"
#include "web/router.h"
#include <math.h>

#define OPEN_PAGE_SIZE 50

/* Everything a results page needs, resolved from the request. */
struct results_ctx {
    struct survey sv;
    struct questionnaire q;
    struct survey_round *rounds; /* the rounds the actor may view */
    int nrounds;
    const struct survey_round *round; /* ?ronde=, or NULL for all */
    int64_t *ids;
    size_t nids;
    enum survey_dim dim;
    enum dc_audience audience;
    struct dc_rules rules;
};

/* Loads the survey, the visible rounds and the choices of the query. Answers the request and
 * returns non-zero on failure. */
static int load(struct http_req *req, struct results_ctx *c)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id))
        return ERR_NOT_FOUND;
    struct err_ctx e = {0};
    int rc = survey_get(req->arena, req->app->store, &req->actor, id, &c->sv);
    if (!rc)
        rc = survey_parse(req->arena, c->sv.document, &c->q, &e);
    if (!rc)
        rc = round_list(req->arena, req->app->store, &req->actor, id, &c->rounds, &c->nrounds);
    if (rc) {
        kit_fail(req, rc);
        return rc;
    }
    int64_t rid = kit_id(http_query(req, "ronde"));
    c->ids = arena_calloc(req->arena, c->nrounds > 0 ? (size_t)c->nrounds : 1, sizeof *c->ids);
    if (!c->ids) {
        page_error(req, 500, NULL);
        return ERR_NOMEM;
    }
    for (int i = 0; i < c->nrounds; i++) {
        if (rid && c->rounds[i].id != rid)
            continue;
        if (rid)
            c->round = &c->rounds[i];
        c->ids[c->nids++] = c->rounds[i].id;
    }
    if (rid && !c->round) {
        page_error(req, 404, _("Deze ronde bestaat niet of u mag hem niet zien."));
        return ERR_NOT_FOUND;
    }
    int d = survey_dim_parse(http_query(req, "per"));
    if (d < 0) {
        page_error(req, 400, _("Kies een geldige uitsplitsing."));
        return ERR_INVALID;
    }
    c->dim = (enum survey_dim)d;
    c->audience = figures_audience(req);
    dc_rules_for(req->app->cfg, c->audience, &c->rules);
    return 0;
}

static const char *dim_label(void *ctx, enum survey_dim d, const char *code)
{
    enum mx_dim md = d == SURVEY_DIM_GEMEENTE    ? MX_DIM_GEMEENTE
                     : d == SURVEY_DIM_AANBIEDER ? MX_DIM_AANBIEDER
                                                 : MX_DIM_CATEGORY;
    return figures_label(ctx, md, code);
}

static const char *self_url(struct http_req *req, const struct results_ctx *c, const char *tail)
{
    const char *ronde = c->round ? arena_printf(req->arena, "%" PRId64, c->round->id) : NULL;
    const char *kv[] = {"ronde", ronde, "per", c->dim ? survey_dim_code(c->dim) : NULL};
    return kit_url(req->arena, arena_printf(req->arena, "/enquetes/%" PRId64 "%s", c->sv.id, tail),
                   kv, 2);
}

static void cell_out(struct html *h, const struct sr_cell *c, bool pct)
{
    kit_cell_begin(h);
    if (c->n < 0) {
        html_raw(h, "<abbr");
        html_attr(h, "title", _(dc_reason_text(c->reason)));
        html_raw(h, ">.</abbr>");
    } else if (pct) {
        if (isfinite(c->pct))
            html_textf(h, "%.0f%%", c->pct);
    } else {
        html_int(h, c->n);
    }
    kit_cell_end(h);
}

static void question_table(struct http_req *req, struct html *h, const struct results_ctx *c,
                           const struct survey_result *r, const struct sr_question *sq)
{
    const struct q_question *qq = &c->q.questions[sq->question];
    int ncol = 1 + r->nkeys;
    html_raw(h, "<h3 class=\"utrecht-heading-3\">");
    html_text(h, qq->text);
    html_raw(h, "</h3>");
    const char **heads = arena_calloc(req->arena, (size_t)ncol * 2 + 1, sizeof *heads);
    if (!heads)
        return;
    int nh = 0;
    heads[nh++] = _("Antwoord");
    for (int k = 0; k < ncol; k++) {
        const char *col = k == 0 ? _("Totaal")
                                 : (dim_label(req, r->dim, r->keys[k - 1])
                                        ? dim_label(req, r->dim, r->keys[k - 1])
                                        : r->keys[k - 1]);
        heads[nh++] = arena_printf(req->arena, "%s: %s", col, _("aantal"));
        heads[nh++] = arena_printf(req->arena, "%s: %s", col, _("procent"));
    }
    /* A wide table scrolls sideways; the container is focusable so keyboard users can scroll
     * it (WCAG 2.1.1), and named after the question. */
    /* duiding-results: the heading above names the table, so the caption is for screen readers. */
    html_raw(h, "<div class=\"duiding-results\"><div class=\"utrecht-table-container "
                "utrecht-table-container--overflow-inline\" tabindex=\"0\" role=\"region\"");
    html_attr(h, "aria-label", qq->text);
    html_raw(h, "><table class=\"utrecht-table utrecht-table--html-table\">"
                "<caption class=\"utrecht-table__caption\">");
    html_text(h, qq->text);
    html_raw(h,
             "</caption><thead class=\"utrecht-table__header\"><tr class=\"utrecht-table__row\">");
    for (int i = 0; i < nh; i++) {
        html_raw(h, "<th scope=\"col\" class=\"utrecht-table__header-cell\">");
        html_text(h, heads[i]);
        html_raw(h, "</th>");
    }
    html_raw(h, "</tr></thead><tbody class=\"utrecht-table__body\">");
    for (int o = 0; o <= sq->noptions; o++) {
        table_row_begin(h);
        html_raw(h, "<th scope=\"row\" class=\"utrecht-table__header-cell\">");
        html_text(h, o < sq->noptions ? sq->options[o].label : _("Beantwoord (totaal)"));
        html_raw(h, "</th>");
        for (int k = 0; k < ncol; k++) {
            const struct sr_cell *cell =
                o < sq->noptions ? &sq->cells[(size_t)k * (size_t)sq->noptions + (size_t)o]
                                 : &sq->base[k];
            cell_out(h, cell, false);
            cell_out(h, cell, true);
        }
        table_row_end(h);
    }
    table_end(h);
    html_raw(h, "</div>");
    if (qq->kind == Q_CIJFER && isfinite(sq->mean)) {
        html_raw(h, "<p class=\"utrecht-paragraph\">");
        html_text(h, _("Gemiddeld cijfer"));
        html_textf(h, ": %.1f", sq->mean);
        html_raw(h, "</p>");
    }
    if (qq->kind == Q_MEERKEUZE)
        kit_para(h, _("Meer antwoorden mogelijk: de percentages tellen niet op tot 100."));
}

static void results_page(struct http_req *req)
{
    struct results_ctx c = {0};
    if (load(req, &c))
        return;
    struct survey_result r = {0};
    int rc = c.nids ? survey_result_compute(req->arena, store_reader(req->app->store), &c.q, c.ids,
                                            c.nids, c.dim, &c.rules, &r)
                    : 0;
    if (rc) {
        log_error("survey.results", "rid", req->rid, "err", err_name(rc), NULL);
        page_error(req, rc == ERR_TOO_BIG ? 400 : 500,
                   rc == ERR_TOO_BIG ? _("Te veel groepen om naast elkaar te tonen.") : NULL);
        return;
    }
    struct html h;
    html_init(&h);
    const char *back = arena_printf(req->arena, "/enquetes/%" PRId64, c.sv.id);
    const struct crumb crumbs[] = {
        {_("Enquêtes"), "/enquetes"}, {c.sv.title, back}, {_("Resultaten"), NULL}};
    page_begin(&h, req, arena_printf(req->arena, "%s: %s", _("Resultaten"), c.sv.title), crumbs, 3);
    /* Choice of round and breakdown (GET, changes nothing). */
    kit_filter_begin(&h, arena_printf(req->arena, "/enquetes/%" PRId64 "/resultaten", c.sv.id),
                     _("Resultaten kiezen"));
    struct form_option *ro = arena_calloc(req->arena, (size_t)c.nrounds + 1, sizeof *ro);
    int nro = 0;
    ro[nro++] = (struct form_option){"", _("Alle rondes")};
    for (int i = 0; i < c.nrounds; i++)
        ro[nro++] = (struct form_option){arena_printf(req->arena, "%" PRId64, c.rounds[i].id),
                                         c.rounds[i].name};
    form_select(&h, NULL, "ronde", _("Ronde"), ro, nro,
                c.round ? arena_printf(req->arena, "%" PRId64, c.round->id) : "", NULL);
    const struct form_option per[] = {{"", _("Geen")},
                                      {"gemeente", _("Gemeente")},
                                      {"aanbieder", _("Aanbieder")},
                                      {"categorie", _("Productcategorie")}};
    form_select(&h, NULL, "per", _("Uitsplitsen naar"), per, 4, survey_dim_code(c.dim), NULL);
    kit_filter_end(&h, arena_printf(req->arena, "/enquetes/%" PRId64 "/resultaten", c.sv.id));

    if (c.nids == 0) {
        kit_para(&h, _("Er zijn nog geen rondes van deze enquête die u mag zien."));
        page_end(&h, req);
        page_send(req, &h, 200);
        return;
    }
    kit_dl_begin(&h);
    kit_dl_item(&h, _("Rondes"), c.round ? c.round->name : arena_printf(req->arena, "%zu", c.nids));
    kit_dl_item_begin(&h, _("Reacties"));
    if (r.responses.n >= 0)
        html_int(&h, r.responses.n);
    else
        html_text(&h, _(dc_reason_text(r.responses.reason)));
    kit_dl_item_end(&h);
    kit_dl_item(&h, _("Regels voor kleine aantallen"), _(dc_audience_label(c.audience)));
    kit_dl_end(&h);
    kit_actions_begin(&h);
    kit_button_link(&h, self_url(req, &c, "/resultaten/csv"), _("Download CSV"), false);
    kit_button_link(&h, self_url(req, &c, "/resultaten/xlsx"), _("Download Excel"), false);
    kit_button_link(&h, self_url(req, &c, "/open-antwoorden"), _("Open antwoorden lezen"), false);
    kit_actions_end(&h);
    kit_para(&h, _("Een punt (.) betekent: dit aantal is te klein om te tonen, of zou een klein "
                   "aantal verraden. Aantallen zijn afgerond; percentages zijn berekend op de "
                   "echte aantallen."));
    int cur_section = -1;
    for (int i = 0; i < r.nquestions; i++) {
        const struct q_question *qq = &c.q.questions[r.questions[i].question];
        if (qq->section != cur_section) {
            cur_section = qq->section;
            kit_h2(&h, c.q.sections[cur_section].title);
        }
        question_table(req, &h, &c, &r, &r.questions[i]);
    }
    page_end(&h, req);
    page_send(req, &h, 200);
}

static void results_export(struct http_req *req, bool xlsx)
{
    struct results_ctx c = {0};
    if (load(req, &c))
        return;
    struct survey_result r = {0};
    int rc = c.nids ? survey_result_compute(req->arena, store_reader(req->app->store), &c.q, c.ids,
                                            c.nids, c.dim, &c.rules, &r)
                    : 0;
    const char *out = NULL;
    size_t len = 0;
    struct err_ctx e = {0};
    struct survey_export_meta m = {
        .title = c.sv.title,
        .rounds = c.round ? c.round->name : _("Alle rondes"),
        .audience = _(dc_audience_label(c.audience)),
        .label = dim_label,
        .label_ctx = req,
        .tmp_dir = arena_printf(req->arena, "%s/tmp", req->app->cfg->data_dir),
    };
    if (!rc)
        rc = xlsx ? survey_export_xlsx(&c.q, &r, &m, req->arena, &out, &len, &e)
                  : survey_export_csv(&c.q, &r, &m, req->arena, &out, &len, &e);
    if (rc) {
        log_error("survey.export", "rid", req->rid, "err", e.msg[0] ? e.msg : err_name(rc), NULL);
        page_error(req, 500, NULL);
        return;
    }
    char name[96];
    snprintf(name, sizeof name, "attachment; filename=\"enquete-%" PRId64 "%s.%s\"", c.sv.id,
             c.round ? "-ronde" : "", xlsx ? "xlsx" : "csv");
    req->resp.status = 200;
    req->resp.content_type =
        xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
             : "text/csv; charset=utf-8";
    req->resp.body = out;
    req->resp.body_len = len;
    http_resp_header(req, "Content-Disposition", name);
    audit_record(req->app->store, &req->actor, "survey.export", "survey", c.sv.id,
                 xlsx ? "xlsx" : "csv");
}

static void results_csv(struct http_req *req)
{
    results_export(req, false);
}

static void results_xlsx(struct http_req *req)
{
    results_export(req, true);
}

/* ---- Open answers. ------------------------------------------------------------------------- */

static const char *review_label(const char *review)
{
    if (strcmp(review, SURVEY_REVIEW_PENDING) == 0)
        return _("Te beoordelen");
    if (strcmp(review, SURVEY_REVIEW_RELEASED) == 0)
        return _("Vrijgegeven");
    if (strcmp(review, SURVEY_REVIEW_REDACTED) == 0)
        return _("Geschoond");
    return NULL;
}

static void flags_text(struct html *h, unsigned flags)
{
    static const enum anon_kind kinds[] = {ANON_BSN_LIKE, ANON_EMAIL, ANON_PHONE};
    bool first = true;
    for (size_t i = 0; i < ARRAY_LEN(kinds); i++) {
        if (!(flags & kinds[i]))
            continue;
        if (!first)
            html_raw(h, ", ");
        html_text(h, _(anon_kind_label(kinds[i])));
        first = false;
    }
}

static void open_page(struct http_req *req)
{
    struct results_ctx c = {0};
    if (load(req, &c))
        return;
    struct html h;
    html_init(&h);
    const char *back = arena_printf(req->arena, "/enquetes/%" PRId64, c.sv.id);
    const char *res = arena_printf(req->arena, "/enquetes/%" PRId64 "/resultaten", c.sv.id);
    const struct crumb crumbs[] = {{_("Enquêtes"), "/enquetes"},
                                   {c.sv.title, back},
                                   {_("Resultaten"), res},
                                   {_("Open antwoorden"), NULL}};
    page_begin(&h, req, arena_printf(req->arena, "%s: %s", _("Open antwoorden"), c.sv.title),
               crumbs, 4);
    page_flash(&h, req);
    const char *melding = http_query(req, "melding");
    if (melding && strcmp(melding, "beoordeeld") == 0)
        page_alert(&h, "ok", _("De beoordeling is opgeslagen."));
    if (!c.round) {
        /* Open answers are read per round: policy and review belong to the round. */
        kit_para(&h, _("Kies een ronde om de open antwoorden te lezen."));
        html_raw(&h, "<ul class=\"utrecht-unordered-list\">");
        for (int i = 0; i < c.nrounds; i++) {
            html_raw(&h, "<li class=\"utrecht-unordered-list__item\"><a class=\"utrecht-link\"");
            html_url_attr(&h, "href",
                          arena_printf(req->arena,
                                       "/enquetes/%" PRId64 "/open-antwoorden?ronde=%" PRId64,
                                       c.sv.id, c.rounds[i].id));
            html_raw(&h, ">");
            html_text(&h, c.rounds[i].name);
            html_raw(&h, "</a></li>");
        }
        html_raw(&h, "</ul>");
        page_end(&h, req);
        page_send(req, &h, 200);
        return;
    }
    const char *item = kit_trimmed(req->arena, http_query(req, "vraag"));
    if (item && !questionnaire_find(&c.q, item))
        item = NULL;
    int offset = kit_offset(req), n = 0, total = 0;
    struct survey_open_answer *rows = NULL;
    int rc = survey_open_list(req->arena, req->app->store, &req->actor, c.round, item,
                              OPEN_PAGE_SIZE, offset, &rows, &n, &total);
    if (rc == ERR_DENIED) {
        html_release(&h);
        page_error(req, 403, _("U mag de open antwoorden van deze ronde niet lezen."));
        return;
    }
    if (rc) {
        html_release(&h);
        page_error(req, 500, NULL);
        return;
    }
    bool reviewer = survey_open_may_review(&req->actor, c.round);
    kit_para(&h, _("Dit zijn de antwoorden die inwoners zelf hebben geschreven. Antwoorden "
                   "waarin iets lijkt te staan waarmee iemand te herkennen is (zoals een "
                   "telefoonnummer), ziet alleen de eigenaar van de enquête, tot iemand ze heeft "
                   "beoordeeld."));
    html_raw(&h, "<p class=\"utrecht-paragraph duiding-count\">");
    html_int(&h, total);
    html_raw(&h, " ");
    html_text(&h, _("antwoorden"));
    html_raw(&h, "</p>");
    for (int i = 0; i < n; i++) {
        const struct survey_open_answer *a = &rows[i];
        const struct q_question *qq = questionnaire_find(&c.q, a->item);
        html_raw(&h, "<section class=\"duiding-open-answer\"><h2 class=\"utrecht-heading-3\">");
        html_text(&h, qq ? qq->text : a->item);
        html_raw(&h,
                 "</h2><blockquote class=\"utrecht-blockquote\"><p class=\"utrecht-paragraph\">");
        html_text(&h, a->text);
        html_raw(&h, "</p></blockquote>");
        const char *rl = review_label(a->review);
        if (rl || a->flags) {
            html_raw(&h, "<p class=\"utrecht-paragraph\">");
            if (rl) {
                html_raw(&h, "<strong>");
                html_text(&h, rl);
                html_raw(&h, "</strong>");
            }
            if (a->flags) {
                html_raw(&h, " — ");
                html_text(&h, _("gevonden"));
                html_raw(&h, ": ");
                flags_text(&h, a->flags);
            }
            html_raw(&h, "</p>");
        }
        if (reviewer && strcmp(a->review, SURVEY_REVIEW_PENDING) == 0) {
            form_begin(&h, req,
                       arena_printf(req->arena, "/enquetes/%" PRId64 "/open-antwoorden/beoordelen",
                                    c.sv.id));
            html_raw(&h, "<input type=\"hidden\" name=\"ronde\"");
            html_attr_int(&h, "value", c.round->id);
            html_raw(&h, "><input type=\"hidden\" name=\"antwoord\"");
            html_attr_int(&h, "value", a->response_id);
            html_raw(&h, "><input type=\"hidden\" name=\"vraag\"");
            html_attr(&h, "value", a->item);
            html_raw(&h, "><div class=\"utrecht-button-group\">"
                         "<button type=\"submit\" name=\"actie\" value=\"schonen\" "
                         "class=\"utrecht-button utrecht-button--primary-action\">");
            html_text(&h, _("Schonen (gevonden gegevens weghalen)"));
            html_raw(&h, "</button><button type=\"submit\" name=\"actie\" value=\"vrijgeven\" "
                         "class=\"utrecht-button utrecht-button--secondary-action\">");
            html_text(&h, _("Vrijgeven zoals het is"));
            html_raw(&h, "</button></div>");
            form_end(&h);
        }
        html_raw(&h, "</section>");
    }
    const char *kv[] = {"ronde", arena_printf(req->arena, "%" PRId64, c.round->id), "vraag", item};
    page_pager(&h,
               kit_url(req->arena,
                       arena_printf(req->arena, "/enquetes/%" PRId64 "/open-antwoorden", c.sv.id),
                       kv, 2),
               offset, OPEN_PAGE_SIZE, total);
    page_end(&h, req);
    page_send(req, &h, 200);
}

static void open_review(struct http_req *req)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id))
        return;
    int64_t rid = kit_id(http_form(req, "ronde")), resp = kit_id(http_form(req, "antwoord"));
    const char *item = http_form(req, "vraag"), *act = http_form(req, "actie");
    struct survey_round r;
    struct err_ctx e = {0};
    int rc = rid ? round_get(req->arena, req->app->store, &req->actor, rid, &r) : ERR_NOT_FOUND;
    if (!rc && r.survey_id != id)
        rc = ERR_NOT_FOUND;
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    enum survey_review_action ra = act && strcmp(act, "schonen") == 0     ? SURVEY_REDACT
                                   : act && strcmp(act, "vrijgeven") == 0 ? SURVEY_RELEASE
                                                                          : 0;
    if (!resp || !item || !ra) {
        page_error(req, 400, _("Dit formulier is niet geldig."));
        return;
    }
    rc = survey_open_review(req->arena, req->app->store, &req->actor, &r, resp, item, ra, &e);
    if (rc) {
        if (rc == ERR_DENIED || rc == ERR_NOT_FOUND)
            kit_fail(req, rc);
        else
            page_error(req, 500, NULL);
        return;
    }
    http_redirect(req, arena_printf(req->arena,
                                    "/enquetes/%" PRId64 "/open-antwoorden?ronde=%" PRId64
                                    "&melding=beoordeeld",
                                    id, rid));
}

const struct route survey_result_routes[] = {
    {"GET", "/enquetes/{id}/resultaten", results_page, 0, "survey.results"},
    {"GET", "/enquetes/{id}/resultaten/csv", results_csv, 0, "survey.results_csv"},
    {"GET", "/enquetes/{id}/resultaten/xlsx", results_xlsx, 0, "survey.results_xlsx"},
    {"GET", "/enquetes/{id}/open-antwoorden", open_page, 0, "survey.open_answers"},
    {"POST", "/enquetes/{id}/open-antwoorden/beoordelen", open_review, 0, "survey.open_review"},
    ROUTES_END,
};
