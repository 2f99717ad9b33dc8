/*
 * page_conversation_eval.c: evaluating conversations. /gesprekken/{id}/evaluatie: the actor's
 * own short evaluation (how did it go 1-5, was the goal reached, what went well, tips) and the
 * aggregate of the conversation once at least CONV_STATS_MIN people evaluated;
 * /gesprekken/evaluaties: the evaluations per quarter over the conversations of a gemeente or
 * region (policy OBJ_CONVERSATION_STATS), so a region sees how its conversations improve.
 */
#include "core/common.h"
#include "store/store.h"
#include "web/app.h"
#include "web/page.h"
#include "web/page_conversation.h"
#include "web/page_kit.h"

static void stats_block(struct html *h, const struct conv_eval_stats *st)
{
    if (!st->shown) {
        html_raw(h, "<p class=\"utrecht-paragraph\">");
        html_textf(h,
                   _("%d evaluaties. Gemiddelden verschijnen vanaf %d evaluaties, zodat niemand "
                     "herkenbaar is."),
                   st->nevaluations, CONV_STATS_MIN);
        html_raw(h, "</p>");
        return;
    }
    kit_dl_begin(h);
    kit_dl_item_begin(h, _("Aantal evaluaties"));
    html_int(h, st->nevaluations);
    kit_dl_item_end(h);
    kit_dl_item_begin(h, _("Gemiddeld cijfer (1 tot 5)"));
    html_textf(h, "%.1f", st->avg_rating);
    kit_dl_item_end(h);
    kit_dl_item_begin(h, _("Doel bereikt"));
    html_textf(h, _("ja %d, deels %d, nee %d"), st->goal_ja, st->goal_deels, st->goal_nee);
    kit_dl_item_end(h);
    kit_dl_end(h);
}

static void render_eval(struct http_req *req, const struct conversation *c,
                        const struct form_errors *fe, const char *rating, const char *goal,
                        const char *well, const char *tips, int status)
{
    struct conv_evaluation mine;
    bool have =
        conversation_evaluation_get(req->arena, req->app->store, &req->actor, c->id, &mine) == 0;
    struct conv_eval_stats st;
    conversation_evaluation_summary(req->arena, req->app->store, &req->actor, c->id, &st);
    bool can = conv_page_may(req, ACT_EDIT, c) &&
               (c->status == CONV_GEHOUDEN || c->status == CONV_AFGEROND);
    struct html h;
    html_init(&h);
    conv_page_begin(&h, req, c, _("Evalueren"), STEP_EVALUEREN);
    kit_para(&h, _("Hoe ging het gesprek zelf? Uw evaluatie helpt om de volgende gesprekken beter "
                   "te maken. Anderen zien alleen gemiddelden, nooit uw naam."));
    if (!can && c->status != CONV_GEHOUDEN && c->status != CONV_AFGEROND)
        page_alert(&h, "info", _("U kunt het gesprek evalueren nadat het gehouden is."));
    if (can) {
        char rbuf[16];
        if (!rating && have) {
            snprintf(rbuf, sizeof rbuf, "%d", mine.rating);
            rating = rbuf;
        }
        if (!goal && have)
            goal = conv_goal_code(mine.goal_reached);
        if (!well && have)
            well = mine.went_well;
        if (!tips && have)
            tips = mine.tips;
        form_error_summary(&h, fe);
        form_begin(&h, req, conv_href(req, c->id, "/evaluatie"));
        const struct form_option ratings[] = {
            {"", _("Kies een cijfer")}, {"1", _("1 – slecht")}, {"2", _("2 – matig")},
            {"3", _("3 – voldoende")},  {"4", _("4 – goed")},   {"5", _("5 – heel goed")},
        };
        form_select(&h, fe, "cijfer", _("Hoe ging het gesprek?"), ratings, 6, rating, NULL);
        const struct form_option goals[] = {
            {"", _("Kies")},
            {"ja", conv_goal_label(GOAL_JA)},
            {"deels", conv_goal_label(GOAL_DEELS)},
            {"nee", conv_goal_label(GOAL_NEE)},
        };
        form_select(&h, fe, "doel_bereikt", _("Is het doel van het gesprek bereikt?"), goals, 4,
                    goal, NULL);
        form_textarea(&h, fe, "goed", _("Wat ging goed?"), well, NULL);
        form_textarea(&h, fe, "tips", _("Tips voor de volgende keer"), tips, NULL);
        form_submit(&h, have ? _("Evaluatie bijwerken") : _("Evaluatie opslaan"));
        form_end(&h);
    }
    kit_h2(&h, _("Alle evaluaties van dit gesprek"));
    stats_block(&h, &st);
    if (st.shown && st.ntips > 0) {
        html_raw(&h, "<h3 class=\"utrecht-heading-3\">");
        html_text(&h, _("Tips voor de volgende keer"));
        html_raw(&h, "</h3><ul class=\"utrecht-unordered-list\">");
        for (int k = 0; k < st.ntips; k++) {
            html_raw(&h, "<li class=\"utrecht-unordered-list__item\">");
            html_text(&h, st.tips[k]);
            html_raw(&h, "</li>");
        }
        html_raw(&h, "</ul>");
    }
    page_end(&h, req);
    page_send(req, &h, status);
}

void conv_eval_page(struct http_req *req)
{
    struct conversation c;
    if (!conv_page_load(req, &c))
        render_eval(req, &c, NULL, NULL, NULL, NULL, NULL, 200);
}

void conv_eval_post(struct http_req *req)
{
    static const struct kit_field fields[] = {
        {"cijfer", "rating cijfer"},
        {"doel_bereikt", "goalreached doelbereikt"},
        {"goed", "wentwell goed"},
        {"tips", "tips"},
    };
    struct conversation c;
    struct err_ctx e = {0};
    struct form_errors fe = {0};
    if (conv_page_load(req, &c))
        return;
    const char *rating = http_form(req, "cijfer");
    const char *goal = http_form(req, "doel_bereikt");
    const char *well = http_form(req, "goed");
    const char *tips = http_form(req, "tips");
    int64_t r = 0;
    if (!rating || str_parse_i64_c(rating, 1, 5, &r) != 0)
        r = 0; /* the domain names the field */
    int rc =
        conversation_evaluate(req->app->store, &req->actor, c.id, (int)r, goal, well, tips, &e);
    if (rc == ERR_INVALID) {
        kit_error_add(&fe, &e, fields, (int)ARRAY_LEN(fields));
        render_eval(req, &c, &fe, rating, goal, well, tips, 422);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req, conv_href(req, c.id, "/evaluatie?melding=geevalueerd"));
}

void conv_stats_page(struct http_req *req)
{
    int64_t org = kit_id(http_query(req, "organisatie"));
    if (org == 0)
        org = req->actor.org_id;
    struct conv_stats_row *rows = NULL;
    int n = 0;
    struct conv_eval_stats total;
    int rc = conversation_stats(req->arena, req->app->store, &req->actor, org, &rows, &n, &total);
    if (rc == ERR_DENIED || rc == ERR_NOT_FOUND) {
        page_error(req, 403,
                   _("De evaluaties over gesprekken zijn voor beleids- en "
                     "contractmedewerkers van de gemeente of regio die de gesprekken "
                     "organiseert."));
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    const struct crumb crumbs[] = {
        {_("Start"), "/"}, {_("Gesprekken"), "/gesprekken"}, {_("Evaluaties"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Evaluaties over gesprekken"), crumbs, (int)ARRAY_LEN(crumbs));
    kit_para(&h, _("Hoe gaan onze kwaliteitsgesprekken? Per kwartaal het gemiddelde cijfer en hoe "
                   "vaak het doel bereikt werd. Een regio ziet ook de gesprekken van haar "
                   "gemeenten."));
    kit_h2(&h, _("Alle kwartalen samen"));
    stats_block(&h, &total);
    if (n > 0) {
        const char *heads[] = {_("Kwartaal"), _("Gesprekken"), _("Evaluaties"),
                               _("Gemiddeld cijfer"), _("Doel bereikt (ja / deels / nee)")};
        table_begin(&h, _("Evaluaties per kwartaal"), heads, 5);
        for (int k = 0; k < n; k++) {
            const struct conv_eval_stats *st = &rows[k].stats;
            table_row_begin(&h);
            table_cell(&h, rows[k].quarter);
            kit_cell_begin(&h);
            html_int(&h, st->nconversations);
            kit_cell_end(&h);
            kit_cell_begin(&h);
            html_int(&h, st->nevaluations);
            kit_cell_end(&h);
            kit_cell_begin(&h);
            if (st->shown)
                html_textf(&h, "%.1f", st->avg_rating);
            else
                html_textf(&h, _("minder dan %d evaluaties"), CONV_STATS_MIN);
            kit_cell_end(&h);
            kit_cell_begin(&h);
            if (st->shown)
                html_textf(&h, "%d / %d / %d", st->goal_ja, st->goal_deels, st->goal_nee);
            else
                html_text(&h, "–");
            kit_cell_end(&h);
            table_row_end(&h);
        }
        table_end(&h);
    } else {
        kit_para(&h, _("Er zijn nog geen evaluaties."));
    }
    page_end(&h, req);
    page_send(req, &h, 200);
}
