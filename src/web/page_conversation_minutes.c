/*
 * page_conversation_minutes.c: concluding a conversation and its minutes.
 * /gesprekken/{id}/afronden: summary and conclusions, and the improvement actions (the pages of
 * web/page_action.c; listed here through domain/action.h). /gesprekken/{id}/verslag: the
 * minutes (plan, phases, summary, conclusions, actions) with a print stylesheet, the approval
 * per side, and once every side approved the PDF (/verslag.pdf, made with report/pdf.h). Any
 * later edit of the notes or conclusions clears the approvals (domain/conversation.c).
 */
#include "core/buf.h"
#include "core/common.h"
#include "domain/action.h"
#include "domain/result.h"
#include "report/pdf.h"
#include "store/store.h"
#include "web/app.h"
#include "web/page.h"
#include "web/page_conversation.h"
#include "web/page_kit.h"

static int load_actions(struct http_req *req, const struct conversation *c,
                        struct improvement_action **out, int *n)
{
    struct action_filter f = {.conversation_id = c->id, .limit = ACTION_LIST_MAX};
    int total = 0;
    *out = NULL;
    *n = 0;
    return action_list(req->arena, req->app->store, &req->actor, &f, out, n, &total);
}

static void actions_table(struct html *h, struct http_req *req, struct improvement_action *acts,
                          int n)
{
    if (n == 0) {
        kit_para(h, _("Er zijn nog geen verbeteracties afgesproken."));
        return;
    }
    const char *heads[] = {_("Actie"), _("Eigenaar"), _("Uiterlijk"), _("Status")};
    table_begin(h, _("Verbeteracties"), heads, 4);
    for (int k = 0; k < n; k++) {
        table_row_begin(h);
        table_cell_link(h, arena_printf(req->arena, "/acties/%" PRId64, acts[k].id),
                        acts[k].description);
        kit_cell_begin(h);
        html_text(h, acts[k].owner_name);
        if (acts[k].owner_user_name) {
            html_text(h, " (");
            html_text(h, acts[k].owner_user_name);
            html_text(h, ")");
        }
        kit_cell_end(h);
        kit_cell_begin(h);
        kit_time_day(h, acts[k].due_on);
        if (acts[k].overdue) {
            html_raw(h, " <strong class=\"duiding-overdue\">");
            html_text(h, _("te laat"));
            html_raw(h, "</strong>");
        }
        kit_cell_end(h);
        table_cell(h, action_status_label(acts[k].status));
        table_row_end(h);
    }
    table_end(h);
}

/* ---- Conclude -------------------------------------------------------------------------------- */

static void render_conclude(struct http_req *req, const struct conversation *c, const char *sum,
                            const char *concl, const struct form_errors *fe, const char *notice,
                            int status)
{
    struct improvement_action *acts = NULL;
    int nacts = 0;
    load_actions(req, c, &acts, &nacts);
    bool can_edit = conv_page_may(req, ACT_EDIT, c) &&
                    (c->status == CONV_GEHOUDEN || c->status == CONV_AFGEROND);
    struct html h;
    html_init(&h);
    conv_page_begin(&h, req, c, _("Afronden"), STEP_AFRONDEN);
    if (notice)
        page_alert(&h, "warning", notice);
    if (c->status == CONV_GEPLAND || c->status == CONV_VOORBEREID)
        page_alert(&h, "info", _("Rond het gesprek af nadat het gehouden is (stap Houden)."));
    if (c->minutes_approved)
        page_alert(&h, "info",
                   _("Het verslag is door alle partijen goedgekeurd. Wijzigt u de samenvatting of "
                     "conclusies, dan moeten alle partijen opnieuw goedkeuren."));
    if (can_edit) {
        form_error_summary(&h, fe);
        form_begin(&h, req, conv_href(req, c->id, "/afronden"));
        html_raw(&h, "<input type=\"hidden\" name=\"versie\"");
        html_attr_int(&h, "value", c->version);
        html_raw(&h, ">");
        form_textarea_required(&h, fe, "samenvatting", _("Samenvatting"), sum,
                               _("In gewone taal: wat hebben we gezien en besproken?"));
        form_textarea(&h, fe, "conclusies", _("Conclusies"), concl,
                      _("Wat vinden we ervan, en wat spreken we af?"));
        form_submit(&h, _("Samenvatting en conclusies opslaan"));
        form_end(&h);
    } else {
        kit_h2(&h, _("Samenvatting"));
        conv_paragraphs(&h, c->summary);
        kit_h2(&h, _("Conclusies"));
        conv_paragraphs(&h, c->conclusions);
    }
    kit_h2(&h, _("Verbeteracties"));
    actions_table(&h, req, acts, nacts);
    kit_buttons_begin(&h);
    if (conv_page_may(req, ACT_EDIT, c) && c->status != CONV_GEANNULEERD)
        kit_button_link(&h, conv_href(req, c->id, "/acties/nieuw"), _("Actie toevoegen"), false);
    if (c->status == CONV_AFGEROND) {
        kit_button_link(&h, conv_href(req, c->id, "/verslag"), _("Naar het verslag"), true);
        kit_button_link(&h, conv_href(req, c->id, "/evaluatie"), _("Evalueren"), false);
    }
    kit_actions_end(&h);
    page_end(&h, req);
    page_send(req, &h, status);
}

void conv_conclude_page(struct http_req *req)
{
    struct conversation c;
    if (!conv_page_load(req, &c))
        render_conclude(req, &c, c.summary, c.conclusions, NULL, NULL, 200);
}

void conv_conclude_post(struct http_req *req)
{
    static const struct kit_field fields[] = {
        {"samenvatting", "summary samenvatting"},
        {"conclusies", "conclusions conclusies"},
    };
    struct conversation c;
    struct err_ctx e = {0};
    struct form_errors fe = {0};
    if (conv_page_load(req, &c))
        return;
    const char *sum = http_form(req, "samenvatting");
    const char *concl = http_form(req, "conclusies");
    int rc = conversation_conclude(req->app->store, &req->actor, c.id, sum ? sum : "",
                                   concl ? concl : "", kit_id(http_form(req, "versie")), &e);
    if (rc == ERR_INVALID && e.field && strcmp(e.field, "status") == 0) {
        render_conclude(req, &c, sum, concl, NULL, e.msg, 409);
        return;
    }
    if (rc == ERR_INVALID) {
        kit_error_add(&fe, &e, fields, (int)ARRAY_LEN(fields));
        render_conclude(req, &c, sum, concl, &fe, NULL, 422);
        return;
    }
    if (rc == ERR_CONFLICT) {
        render_conclude(req, &c, sum, concl, NULL, e.msg, 409);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req, conv_href(req, c.id, "/afronden?melding=afgerond"));
}

/* ---- Minutes --------------------------------------------------------------------------------- */

static const char *result_title(struct http_req *req, int64_t id)
{
    struct result r;
    if (result_get(req->arena, req->app->store, &req->actor, id, &r) == 0)
        return r.title;
    return arena_printf(req->arena, "%" PRId64, id);
}

static const char *day_text(struct http_req *req, day_t d)
{
    char *out = arena_alloc(req->arena, 64);
    if (out)
        date_format_long(d, out, 64);
    return out ? out : "";
}

void conv_minutes_page(struct http_req *req)
{
    struct conversation c;
    struct conv_phase_notes ph[CONV_PHASES];
    struct improvement_action *acts = NULL;
    int nacts = 0;
    if (conv_page_load(req, &c))
        return;
    int rc = conversation_phases(req->arena, req->app->store, &req->actor, c.id, ph);
    if (!rc)
        rc = load_actions(req, &c, &acts, &nacts);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    struct html h;
    html_init(&h);
    conv_page_begin(&h, req, &c, _("Verslag"), STEP_AFRONDEN);
    html_raw(&h, "<div class=\"duiding-minutes\">");
    if (c.minutes_approved)
        page_alert(&h, "ok",
                   _("Alle partijen hebben dit verslag goedgekeurd. Het mag gedeeld en "
                     "geëxporteerd worden."));
    else
        page_alert(&h, "info",
                   _("Concept: nog niet alle partijen hebben dit verslag goedgekeurd. "
                     "Deel het nog niet buiten de deelnemers."));
    kit_h2(&h, _("Over het gesprek"));
    kit_dl_begin(&h);
    kit_dl_item(&h, _("Datum"), day_text(req, c.held_on));
    kit_dl_item(&h, _("Plaats"), c.place);
    kit_dl_item_begin(&h, _("Periode van de cijfers"));
    html_text(&h, day_text(req, c.period_from));
    html_text(&h, " – ");
    html_text(&h, day_text(req, c.period_to));
    kit_dl_item_end(&h);
    kit_dl_item_begin(&h, _("Maatschappelijke resultaten"));
    for (int k = 0; k < c.nresults; k++) {
        if (k)
            html_raw(&h, "; ");
        html_text(&h, result_title(req, c.result_ids[k]));
    }
    kit_dl_item_end(&h);
    kit_dl_item_begin(&h, _("Partijen"));
    for (int k = 0; k < c.nparties; k++) {
        if (k)
            html_raw(&h, "; ");
        html_text(&h, c.parties[k].org_name);
    }
    kit_dl_item_end(&h);
    kit_dl_item_begin(&h, _("Deelnemers"));
    for (int k = 0; k < c.nparticipants; k++) {
        if (k)
            html_raw(&h, "; ");
        html_text(&h, c.participants[k].display_name);
        html_text(&h, " (");
        html_text(&h, c.participants[k].org_name);
        html_text(&h, ", ");
        html_text(&h, conv_role_label(c.participants[k].role));
        html_text(&h, ")");
    }
    kit_dl_item_end(&h);
    kit_dl_end(&h);
    kit_h2(&h, _("Doel"));
    conv_paragraphs(&h, c.goal);
    for (int k = 0; k < CONV_PHASES; k++) {
        kit_h2(&h, conv_phase_label(ph[k].phase));
        conv_paragraphs(&h, ph[k].notes);
    }
    kit_h2(&h, _("Samenvatting"));
    conv_paragraphs(&h, c.summary);
    kit_h2(&h, _("Conclusies"));
    conv_paragraphs(&h, c.conclusions);
    kit_h2(&h, _("Verbeteracties"));
    actions_table(&h, req, acts, nacts);
    kit_h2(&h, _("Goedkeuring"));
    const char *heads[] = {_("Partij"), _("Goedgekeurd")};
    table_begin(&h, _("Goedkeuring per partij"), heads, 2);
    for (int k = 0; k < c.nparties; k++) {
        table_row_begin(&h);
        table_cell(&h, c.parties[k].org_name);
        kit_cell_begin(&h);
        if (c.parties[k].approved_at) {
            html_text(&h, c.parties[k].approved_by_name ? c.parties[k].approved_by_name : "–");
            html_text(&h, ", ");
            kit_time_iso(&h, c.parties[k].approved_at, false, NULL);
        } else {
            html_text(&h, _("Nog niet"));
        }
        kit_cell_end(&h);
        table_row_end(&h);
    }
    table_end(&h);
    html_raw(&h, "</div><div class=\"duiding-no-print\">");
    const struct conv_party *own = conversation_own_party(&c, &req->actor);
    if (c.status == CONV_AFGEROND && own && conv_page_may(req, ACT_APPROVE, &c)) {
        if (own->approved_at)
            form_button(&h, req, conv_href(req, c.id, "/goedkeuring-intrekken"),
                        _("Goedkeuring intrekken"), true);
        else
            form_button(&h, req, conv_href(req, c.id, "/goedkeuren"),
                        _("Verslag goedkeuren namens mijn organisatie"), false);
    } else if (c.status != CONV_AFGEROND) {
        kit_para(&h, _("Het verslag kan worden goedgekeurd zodra het gesprek is afgerond."));
    }
    kit_buttons_begin(&h);
    if (c.minutes_approved)
        kit_button_link(&h, conv_href(req, c.id, "/verslag.pdf"), _("Verslag als PDF"), true);
    kit_actions_end(&h);
    html_raw(&h, "</div>");
    page_end(&h, req);
    page_send(req, &h, 200);
}

void conv_minutes_pdf(struct http_req *req)
{
    struct conversation c;
    struct conv_phase_notes ph[CONV_PHASES];
    struct improvement_action *acts = NULL;
    int nacts = 0;
    struct err_ctx e = {0};
    if (conv_page_load(req, &c))
        return;
    if (!c.minutes_approved) {
        page_error(req, 409,
                   _("Het verslag kan pas als PDF worden gedownload als alle partijen het "
                     "hebben goedgekeurd."));
        return;
    }
    int rc = conversation_phases(req->arena, req->app->store, &req->actor, c.id, ph);
    if (!rc)
        rc = load_actions(req, &c, &acts, &nacts);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    struct arena *a = req->arena;
    struct pdf_doc *d = pdf_doc_new(a, arena_printf(a, "%s: %s", _("Verslag"), c.title));
    if (!d) {
        page_error(req, 500, NULL);
        return;
    }
    pdf_set_subtitle(d,
                     arena_printf(a, "%s – %s", _("Kwaliteitsgesprek"), day_text(req, c.held_on)));
    pdf_set_meta(d, c.owner_name, _("Verslag van een kwaliteitsgesprek"));
    pdf_set_footer(d, arena_printf(a, "%s · %s", _("Goedgekeurd door alle partijen"), c.title));
    pdf_kv(d, _("Datum"), day_text(req, c.held_on));
    pdf_kv(d, _("Plaats"), c.place && *c.place ? c.place : "–");
    pdf_kv(d, _("Periode"),
           arena_printf(a, "%s – %s", day_text(req, c.period_from), day_text(req, c.period_to)));
    for (int k = 0; k < c.nresults; k++)
        pdf_kv(d, k ? "" : _("Resultaten"), result_title(req, c.result_ids[k]));
    pdf_heading(d, 2, _("Partijen en deelnemers"));
    for (int k = 0; k < c.nparties; k++)
        pdf_bullet(
            d, arena_printf(a, "%s (%s) – %s %s", c.parties[k].org_name,
                            conv_side_label(c.parties[k].side), _("goedgekeurd door"),
                            c.parties[k].approved_by_name ? c.parties[k].approved_by_name : "–"));
    for (int k = 0; k < c.nparticipants; k++)
        pdf_bullet(d, arena_printf(a, "%s, %s (%s)", c.participants[k].display_name,
                                   c.participants[k].org_name,
                                   conv_role_label(c.participants[k].role)));
    pdf_heading(d, 2, _("Doel"));
    pdf_para(d, c.goal && *c.goal ? c.goal : "–");
    for (int k = 0; k < CONV_PHASES; k++) {
        pdf_heading(d, 2, conv_phase_label(ph[k].phase));
        pdf_para(d, ph[k].notes && *ph[k].notes ? ph[k].notes : "–");
    }
    pdf_heading(d, 2, _("Samenvatting"));
    pdf_para(d, c.summary && *c.summary ? c.summary : "–");
    pdf_heading(d, 2, _("Conclusies"));
    pdf_para(d, c.conclusions && *c.conclusions ? c.conclusions : "–");
    pdf_heading(d, 2, _("Verbeteracties"));
    if (nacts == 0) {
        pdf_para(d, _("Er zijn geen verbeteracties afgesproken."));
    } else {
        const char *heads[] = {_("Actie"), _("Eigenaar"), _("Uiterlijk"), _("Status")};
        const double widths[] = {5, 3, 2, 2};
        pdf_table_begin(d, 4, heads, widths, "llll");
        for (int k = 0; k < nacts; k++) {
            char due[11];
            date_format_nl(acts[k].due_on, due);
            const char *cells[] = {acts[k].description, acts[k].owner_name, arena_strdup(a, due),
                                   action_status_label(acts[k].status)};
            pdf_table_row(d, cells);
        }
        pdf_table_end(d);
    }
    struct buf out;
    buf_init(&out, PDF_MAX_BYTES);
    rc = pdf_render(d, &out, NULL, &e);
    if (rc) {
        buf_release(&out);
        page_error(req, 500, e.msg[0] ? e.msg : NULL);
        return;
    }
    size_t len = out.len;
    char *body = arena_alloc(a, len ? len : 1);
    if (!body) {
        buf_release(&out);
        page_error(req, 500, NULL);
        return;
    }
    memcpy(body, buf_cstr(&out), len);
    buf_release(&out);
    req->resp.status = 200;
    req->resp.content_type = "application/pdf";
    req->resp.body = body;
    req->resp.body_len = len;
    http_resp_header(
        req, "Content-Disposition",
        arena_printf(a, "attachment; filename=\"verslag-gesprek-%" PRId64 ".pdf\"", c.id));
}

static void approval(struct http_req *req, bool approve)
{
    struct conversation c;
    struct err_ctx e = {0};
    if (conv_page_load(req, &c))
        return;
    int rc = approve ? conversation_approve(req->app->store, &req->actor, c.id, &e)
                     : conversation_unapprove(req->app->store, &req->actor, c.id, &e);
    if (rc == ERR_INVALID) {
        page_error(req, 409, e.msg);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req, conv_href(req, c.id,
                                 approve ? "/verslag?melding=goedgekeurd"
                                         : "/verslag?melding=ingetrokken-akkoord"));
}

void conv_approve_post(struct http_req *req)
{
    approval(req, true);
}

void conv_unapprove_post(struct http_req *req)
{
    approval(req, false);
}
