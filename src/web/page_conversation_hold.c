/*
 * page_conversation_hold.c: preparing and holding a conversation. /gesprekken/{id}/voorbereiden
 * shows the own side's preparation notes (with a share toggle), the notes the other sides
 * shared, and the link to the data pack; /gesprekken/{id}/houden is the run-sheet: per phase
 * the guiding questions, the notes, the planned minutes and a timer (static/gesprek.js; without
 * JavaScript the planned minutes show), the drift hint after saving, and for a voorkant
 * conversation the four starter questions of the theory of change (domain/theory.h).
 */
#include "core/common.h"
#include "domain/outcome_drift.h"
#include "domain/theory.h"
#include "store/store.h"
#include "web/app.h"
#include "web/page.h"
#include "web/page_conversation.h"
#include "web/page_kit.h"

/* ---- Prepare --------------------------------------------------------------------------------- */

static void note_form(struct html *h, struct http_req *req, const struct conversation *c,
                      const struct conv_prep_note *n, const char *body, const char *error)
{
    const char *action =
        n ? arena_printf(req->arena, "/gesprekken/%" PRId64 "/notities/%" PRId64, c->id, n->id)
          : conv_href(req, c->id, "/notities");
    const char *name = n ? arena_printf(req->arena, "notitie-%" PRId64, n->id) : "notitie";
    form_begin(h, req, action);
    if (n) {
        html_raw(h, "<input type=\"hidden\" name=\"versie\"");
        html_attr_int(h, "value", n->version);
        html_raw(h, ">");
    }
    struct form_errors fe = {0};
    if (error) {
        struct err_ctx e = {.code = ERR_INVALID, .field = name};
        snprintf(e.msg, sizeof e.msg, "%s", error);
        form_error_add(&fe, &e);
    }
    form_textarea_required(h, &fe, name, n ? _("Notitie") : _("Nieuwe notitie"), body,
                           _("Zichtbaar voor uw eigen organisatie, tot u hem deelt."));
    const struct form_option share[] = {{"1", _("Delen met de andere partijen")}};
    bool on = n ? n->shared_at != NULL : false;
    form_checkboxes(h, NULL, n ? arena_printf(req->arena, "delen-%" PRId64, n->id) : "delen",
                    _("Delen"), share, 1, &on);
    form_submit(h, n ? _("Notitie opslaan") : _("Notitie toevoegen"));
    form_end(h);
}

/* What a refused note form showed: the new-note form (note_id 0) or an existing note's. */
struct prep_state {
    int64_t note_id;
    const char *body, *error;
    bool conflict;
};

static void render_prepare(struct http_req *req, const struct conversation *c, int status,
                           const struct prep_state *ps)
{
    const char *new_error = ps && ps->note_id == 0 ? ps->error : NULL;
    const char *new_body = ps && ps->note_id == 0 ? ps->body : NULL;
    struct conv_prep_note *notes = NULL;
    int n = 0;
    int rc = conversation_prep_notes(req->arena, req->app->store, &req->actor, c->id, &notes, &n);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    struct html h;
    html_init(&h);
    conv_page_begin(&h, req, c, _("Voorbereiden"), STEP_VOORBEREIDEN);
    if (new_error)
        page_alert(&h, "error", new_error);
    kit_h2(&h, _("Datapakket"));
    kit_para(&h, _("Het datapakket is een vaste momentopname van de cijfers, verhalen, "
                   "contextgebeurtenissen en open acties van het vorige gesprek. Iedereen "
                   "bereidt zich voor op dezelfde gegevens."));
    kit_buttons_begin(&h);
    kit_button_link(&h, conv_href(req, c->id, "/datapakket"), _("Datapakket bekijken"), true);
    kit_actions_end(&h);
    kit_h2(&h, _("Notities van uw organisatie"));
    bool any_mine = false;
    for (int k = 0; k < n; k++) {
        if (!notes[k].mine)
            continue;
        any_mine = true;
        html_raw(&h, "<article class=\"duiding-note\">");
        html_raw(&h, "<p class=\"utrecht-paragraph duiding-note__meta\">");
        html_text(&h, notes[k].author_name ? notes[k].author_name : "–");
        html_text(&h, " · ");
        kit_time_iso(&h, notes[k].updated_at, false, NULL);
        html_text(&h, " · ");
        html_text(&h, notes[k].shared_at ? _("gedeeld") : _("alleen eigen organisatie"));
        html_raw(&h, "</p>");
        bool refused = ps && ps->note_id == notes[k].id;
        if (refused && ps->conflict) {
            /* A stale edit: the saved text for reference, the typed text stays in the form
             * (with the current version, so saving again merges on purpose). */
            page_alert(&h, "warning", ps->error);
            html_raw(&h, "<h3 class=\"utrecht-heading-3\">");
            html_text(&h, _("De versie die intussen is opgeslagen"));
            html_raw(&h, "</h3>");
            conv_paragraphs(&h, notes[k].body);
        }
        if (c->status != CONV_GEANNULEERD) {
            note_form(&h, req, c, &notes[k], refused && ps->body ? ps->body : notes[k].body,
                      refused && !ps->conflict ? ps->error : NULL);
            form_button(&h, req,
                        arena_printf(req->arena,
                                     "/gesprekken/%" PRId64 "/notities/%" PRId64 "/verwijderen",
                                     c->id, notes[k].id),
                        _("Notitie verwijderen"), true);
        } else {
            conv_paragraphs(&h, notes[k].body);
        }
        html_raw(&h, "</article>");
    }
    if (!any_mine)
        kit_para(&h, _("Uw organisatie heeft nog geen notities."));
    if (c->status != CONV_GEANNULEERD && conv_page_may(req, ACT_EDIT, c)) {
        kit_h2(&h, _("Notitie toevoegen"));
        note_form(&h, req, c, NULL, new_body, new_error);
    }
    kit_h2(&h, _("Gedeeld door de andere partijen"));
    bool any_other = false;
    for (int k = 0; k < n; k++) {
        if (notes[k].mine || (notes[k].org_id == req->actor.org_id))
            continue;
        any_other = true;
        html_raw(&h, "<article class=\"duiding-note\"><h3 class=\"utrecht-heading-3\">");
        html_text(&h, notes[k].org_name);
        html_raw(&h, "</h3>");
        conv_paragraphs(&h, notes[k].body);
        html_raw(&h, "</article>");
    }
    if (!any_other)
        kit_para(&h, _("De andere partijen hebben nog niets gedeeld."));
    page_end(&h, req);
    page_send(req, &h, status);
}

void conv_prepare_page(struct http_req *req)
{
    struct conversation c;
    if (!conv_page_load(req, &c))
        render_prepare(req, &c, 200, NULL);
}

void conv_prep_create_post(struct http_req *req)
{
    struct conversation c;
    struct err_ctx e = {0};
    if (conv_page_load(req, &c))
        return;
    const char *body = http_form(req, "notitie");
    bool shared = http_form(req, "delen") != NULL;
    int64_t id = 0;
    int rc = conversation_prep_create(req->app->store, &req->actor, c.id, body, shared, &id, &e);
    if (rc == ERR_INVALID) {
        struct prep_state ps = {.body = body, .error = arena_strdup(req->arena, e.msg)};
        render_prepare(req, &c, 422, &ps);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req, conv_href(req, c.id, "/voorbereiden?melding=notitie"));
}

void conv_prep_update_post(struct http_req *req)
{
    struct conversation c;
    struct err_ctx e = {0};
    int64_t nid;
    if (conv_page_load(req, &c) || http_param_id_or_404(req, 1, &nid))
        return;
    const char *body = http_form(req, arena_printf(req->arena, "notitie-%" PRId64, nid));
    bool shared = http_form(req, arena_printf(req->arena, "delen-%" PRId64, nid)) != NULL;
    int rc = conversation_prep_update(req->app->store, &req->actor, c.id, nid, body, shared,
                                      kit_id(http_form(req, "versie")), &e);
    if (rc == ERR_INVALID || rc == ERR_CONFLICT) {
        /* The typed text comes back in the note's own form, the message beside it. */
        struct prep_state ps = {.note_id = nid,
                                .body = body,
                                .error = arena_strdup(req->arena, e.msg),
                                .conflict = rc == ERR_CONFLICT};
        render_prepare(req, &c, rc == ERR_CONFLICT ? 409 : 422, &ps);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req, conv_href(req, c.id, "/voorbereiden?melding=notitie"));
}

void conv_prep_delete_post(struct http_req *req)
{
    struct conversation c;
    struct err_ctx e = {0};
    int64_t nid;
    if (conv_page_load(req, &c) || http_param_id_or_404(req, 1, &nid))
        return;
    int rc = conversation_prep_delete(req->app->store, &req->actor, c.id, nid, &e);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req, conv_href(req, c.id, "/voorbereiden?melding=verwijderd"));
}

/* ---- Hold ------------------------------------------------------------------------------------ */

/* What one phase form showed when it was refused (or after saving, with the hint). */
struct phase_state {
    int phase; /* -1: none */
    const char *notes, *minutes;
    const char *error, *hint;
    bool conflict;
};

static void phase_section(struct html *h, struct http_req *req, const struct conversation *c,
                          const struct conv_phase_notes *p, const struct phase_state *ps,
                          bool can_edit)
{
    const char *code = conv_phase_code(p->phase);
    bool mine = ps && ps->phase == (int)p->phase;
    const char *notes = mine && ps->notes ? ps->notes : p->notes;
    int minutes = p->planned_minutes;
    html_raw(h, "<section class=\"duiding-phase\" aria-labelledby=\"fase-");
    html_text(h, code);
    html_raw(h, "\" id=\"");
    html_text(h, code);
    html_raw(h, "\"><h2 class=\"utrecht-heading-2\" id=\"fase-");
    html_text(h, code);
    html_raw(h, "\">");
    html_int(h, (int)p->phase + 1);
    html_text(h, ". ");
    html_text(h, conv_phase_label(p->phase));
    html_raw(h, "</h2><ul class=\"utrecht-unordered-list duiding-questions\">");
    for (const char *const *q = conv_phase_questions(p->phase); *q; q++) {
        html_raw(h, "<li class=\"utrecht-unordered-list__item\">");
        html_text(h, _(*q));
        html_raw(h, "</li>");
    }
    html_raw(h, "</ul>");
    /* The timer: the planned minutes as text; gesprek.js adds start/pause when available. */
    html_raw(h, "<p class=\"utrecht-paragraph duiding-timer\" data-minuten=\"");
    html_int(h, minutes);
    html_raw(h, "\"");
    /* The timer's words for static/gesprek.js, translated here (the script has none). */
    html_attr(h, "data-label-start", _("Start timer"));
    html_attr(h, "data-label-pauze", _("Pauze"));
    html_attr(h, "data-label-verder", _("Verder"));
    html_attr(h, "data-label-opnieuw", _("Opnieuw"));
    html_attr(h, "data-label-om", _("De geplande tijd voor deze fase is om."));
    html_attr(h, "data-label-klok", _("Resterende tijd van deze fase"));
    html_raw(h, ">");
    if (minutes > 0)
        html_textf(h, _("Gepland: %d minuten."), minutes);
    else
        html_text(h, _("Geen tijd gepland."));
    html_raw(h, "</p>");
    /* The gentle hint follows the saved notes, so it stays until the notes are about outcomes
     * (and a refresh after saving never re-sends the form). */
    struct drift_result drift;
    const char *hint = mine && ps->hint
                           ? ps->hint
                           : (p->notes && *p->notes ? outcome_drift_check(p->notes, &drift) : NULL);
    if (hint && !(mine && ps->conflict))
        page_alert(h, "info", hint);
    if (mine && ps->error)
        page_alert(h, ps->conflict ? "warning" : "error", ps->error);
    if (mine && ps->conflict) {
        html_raw(h, "<h3 class=\"utrecht-heading-3\">");
        html_text(h, _("De versie die intussen is opgeslagen"));
        html_raw(h, "</h3>");
        conv_paragraphs(h, p->notes);
    }
    if (can_edit) {
        form_begin(h, req,
                   arena_printf(req->arena, "/gesprekken/%" PRId64 "/fasen/%s", c->id, code));
        html_raw(h, "<input type=\"hidden\" name=\"versie\"");
        html_attr_int(h, "value", p->version);
        html_raw(h, ">");
        const char *name = arena_printf(req->arena, "aantekeningen-%s", code);
        form_textarea(h, NULL, name ? name : "aantekeningen", _("Aantekeningen"), notes,
                      _("Schrijf op wat er gezegd is over de resultaten: wat herkennen we, hoe "
                        "verklaren we het, wat vinden we ervan, wat gaan we doen?"));
        const char *mname = arena_printf(req->arena, "minuten-%s", code);
        const char *mval =
            mine && ps->minutes ? ps->minutes : arena_printf(req->arena, "%d", minutes);
        form_input(h, NULL, mname ? mname : "minuten", _("Geplande minuten"), "number", mval, NULL,
                   false, "off");
        form_submit(h, _("Aantekeningen opslaan"));
        form_end(h);
        /* On paper (the form is not printed): the notes so far and room to write by hand, so
         * the run-sheet also works printed on a meeting table. */
        html_raw(h, "<div class=\"duiding-print-only\">");
        if (p->notes && *p->notes)
            conv_paragraphs(h, p->notes);
        html_raw(h, "<div class=\"duiding-write-space\" aria-hidden=\"true\"></div></div>");
    } else {
        conv_paragraphs(h, notes);
    }
    if (p->updated_at) {
        html_raw(h, "<p class=\"utrecht-paragraph duiding-note__meta\">");
        html_text(h, _("Laatst opgeslagen door "));
        html_text(h, p->updated_by_name ? p->updated_by_name : "–");
        html_text(h, " ");
        kit_time_iso(h, p->updated_at, false, NULL);
        html_raw(h, "</p>");
    }
    html_raw(h, "</section>");
}

/* What a refused starter form showed (the typed answers stay on the page). */
struct starter_state {
    int64_t result_id; /* 0: none */
    const char *vals[THEORY_STARTERS];
    const char *error;
    bool conflict;
};

static const char *starter_field(struct http_req *req, int q, int64_t rid)
{
    return arena_printf(req->arena, "%s-%" PRId64, theory_starter_code((enum theory_starter)q),
                        rid);
}

/* The four starter questions with the theory's answers as a data list. */
static void starters_list(struct html *h, const struct theory *t, bool print_only)
{
    if (print_only)
        html_raw(h, "<dl class=\"utrecht-data-list duiding-starters__list duiding-print-only\">");
    else
        html_raw(h, "<dl class=\"utrecht-data-list duiding-starters__list\">");
    for (int q = 0; q < THEORY_STARTERS; q++) {
        html_raw(h, "<dt class=\"utrecht-data-list__item-key\">");
        html_text(h, theory_starter_question((enum theory_starter)q));
        html_raw(h, "</dt><dd class=\"utrecht-data-list__item-value\">");
        if (t->starters[q] && *t->starters[q])
            conv_paragraphs(h, t->starters[q]);
        else
            html_text(h, _("Nog niet beantwoord."));
        html_raw(h, "</dd>");
    }
    html_raw(h, "</dl>");
}

/* One result's four starter questions with the theory's current answers; editable by whoever
 * may change the theory's starter questions (policy rule 11: not an aanbieder). */
static void starters_form(struct html *h, struct http_req *req, const struct conversation *c,
                          int64_t rid, const struct starter_state *ss, bool can_edit)
{
    struct theory t;
    int rc = theory_get(req->arena, req->app->store, &req->actor, rid, &t);
    if (rc) {
        page_alert(h, "error", _("De verandertheorie van dit resultaat kan niet worden geladen."));
        return;
    }
    bool own_only = false;
    bool editable =
        can_edit && theory_may_edit(&req->actor, &t, req->arena, &own_only) && !own_only;
    bool mine = ss && ss->result_id == rid;
    const char *hid = arena_printf(req->arena, "startvragen-%" PRId64, rid);
    html_raw(h, "<section class=\"duiding-starters\" aria-labelledby=\"");
    html_text(h, hid);
    html_raw(h, "\"><h3 class=\"utrecht-heading-3\" id=\"");
    html_text(h, hid);
    html_raw(h, "\">");
    html_text(h, t.result_title ? t.result_title : _("Resultaat"));
    html_raw(h, "</h3><p class=\"utrecht-paragraph\"><a class=\"utrecht-link\"");
    html_url_attr(h, "href",
                  arena_printf(req->arena, "/resultaten/%" PRId64 "/verandertheorie", rid));
    html_raw(h, ">");
    html_text(h, _("Verandertheorie bekijken"));
    html_raw(h, "</a></p>");
    if (mine && ss->error)
        page_alert(h, ss->conflict ? "warning" : "error", ss->error);
    if (mine && ss->conflict) {
        /* Show what was saved meanwhile; the form below keeps the typed answers. */
        html_raw(h, "<h4 class=\"utrecht-heading-4\">");
        html_text(h, _("De antwoorden die intussen zijn opgeslagen"));
        html_raw(h, "</h4>");
        starters_list(h, &t, false);
    } else {
        /* Read-only for who may not change the theory; for the others only in print (a printed
         * run-sheet leaves the form out, not the questions and the current answers). */
        starters_list(h, &t, editable);
    }
    if (editable) {
        form_begin(
            h, req,
            arena_printf(req->arena, "/gesprekken/%" PRId64 "/startvragen/%" PRId64, c->id, rid));
        html_raw(h, "<input type=\"hidden\" name=\"versie\"");
        html_attr_int(h, "value", t.version);
        html_raw(h, ">");
        for (int q = 0; q < THEORY_STARTERS; q++) {
            const char *val = mine && ss->vals[q] ? ss->vals[q] : t.starters[q];
            form_textarea(h, NULL, starter_field(req, q, rid),
                          theory_starter_question((enum theory_starter)q), val, NULL);
        }
        form_submit(h, _("Antwoorden opslaan in de verandertheorie"));
        form_end(h);
    }
    html_raw(h, "</section>");
}

static void starters_section(struct html *h, struct http_req *req, const struct conversation *c,
                             const struct starter_state *ss, bool can_edit)
{
    kit_h2(h, _("Startvragen voor de verandertheorie"));
    kit_para(h, _("Bij weinig gegevens begint het gesprek aan de voorkant met vier vragen. De "
                  "antwoorden komen in de verandertheorie van het resultaat, met de naam van wie "
                  "ze opsloeg."));
    for (int k = 0; k < c->nresults; k++)
        starters_form(h, req, c, c->result_ids[k], ss, can_edit);
}

static void render_hold(struct http_req *req, const struct conversation *c,
                        const struct phase_state *ps, const struct starter_state *ss, int status)
{
    struct conv_phase_notes ph[CONV_PHASES];
    int rc = conversation_phases(req->arena, req->app->store, &req->actor, c->id, ph);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    bool can_edit = c->status != CONV_GEANNULEERD && conv_page_may(req, ACT_EDIT, c);
    struct html h;
    html_init(&h);
    conv_page_begin(&h, req, c, _("Houden"), STEP_HOUDEN);
    html_raw(&h, "<script src=\"/static/gesprek.js\" defer></script>");
    kit_para(&h, _("Het draaiboek: vier fasen met hun vragen. Houd het gesprek bij de resultaten "
                   "voor inwoners, niet bij de activiteiten."));
    kit_buttons_begin(&h);
    kit_button_link(&h, conv_href(req, c->id, "/datapakket"), _("Datapakket"), false);
    kit_button_link(&h, conv_href(req, c->id, "/verslag"), _("Verslag (afdrukken)"), false);
    kit_actions_end(&h);
    if (c->kind == CONV_VOORKANT)
        starters_section(&h, req, c, ss, can_edit);
    for (int k = 0; k < CONV_PHASES; k++)
        phase_section(&h, req, c, &ph[k], ps, can_edit);
    if (can_edit && (c->status == CONV_GEPLAND || c->status == CONV_VOORBEREID)) {
        kit_h2(&h, _("Gesprek gehouden?"));
        kit_para(&h, _("Leg vast dat het gesprek heeft plaatsgevonden. Daarna kunt u het afronden "
                       "met een samenvatting, conclusies en verbeteracties."));
        form_begin(&h, req, conv_href(req, c->id, "/gehouden"));
        html_raw(&h, "<input type=\"hidden\" name=\"versie\"");
        html_attr_int(&h, "value", c->version);
        html_raw(&h, ">");
        form_submit(&h, _("Het gesprek is gehouden"));
        form_end(&h);
    } else if (c->status == CONV_GEHOUDEN || c->status == CONV_AFGEROND) {
        kit_buttons_begin(&h);
        kit_button_link(&h, conv_href(req, c->id, "/afronden"), _("Naar afronden"), true);
        kit_actions_end(&h);
    }
    page_end(&h, req);
    page_send(req, &h, status);
}

void conv_hold_page(struct http_req *req)
{
    struct conversation c;
    if (!conv_page_load(req, &c))
        render_hold(req, &c, NULL, NULL, 200);
}

void conv_phase_post(struct http_req *req)
{
    struct conversation c;
    struct err_ctx e = {0};
    if (conv_page_load(req, &c))
        return;
    enum conv_phase phase;
    if (req->nparams < 2 || conv_phase_parse(req->params[1], &phase)) {
        page_error(req, 404, NULL);
        return;
    }
    const char *code = conv_phase_code(phase);
    struct phase_state ps = {.phase = (int)phase};
    ps.notes = http_form(req, arena_printf(req->arena, "aantekeningen-%s", code));
    ps.minutes = http_form(req, arena_printf(req->arena, "minuten-%s", code));
    int64_t minutes = 0;
    if (ps.minutes && *ps.minutes &&
        str_parse_i64_c(ps.minutes, 0, CONV_MINUTES_MAX, &minutes) != 0) {
        ps.error = _("Vul de geplande minuten in als een getal van 0 tot 240.");
        render_hold(req, &c, &ps, NULL, 422);
        return;
    }
    const char *hint = NULL;
    int rc = conversation_phase_save(req->arena, req->app->store, &req->actor, c.id, phase,
                                     ps.notes ? ps.notes : "", (int)minutes,
                                     kit_id(http_form(req, "versie")), &hint, &e);
    if (rc == ERR_INVALID || rc == ERR_CONFLICT) {
        ps.error = arena_strdup(req->arena, e.msg);
        ps.conflict = rc == ERR_CONFLICT;
        render_hold(req, &c, &ps, NULL, rc == ERR_CONFLICT ? 409 : 422);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    /* Post/redirect/get: the page shows the drift hint of the saved notes itself. */
    http_redirect(req,
                  arena_printf(req->arena, "/gesprekken/%" PRId64 "/houden?melding=opgeslagen#%s",
                               c.id, code));
}

void conv_held_post(struct http_req *req)
{
    struct conversation c;
    struct err_ctx e = {0};
    if (conv_page_load(req, &c))
        return;
    int rc = conversation_mark_held(req->app->store, &req->actor, c.id,
                                    kit_id(http_form(req, "versie")), &e);
    if (rc == ERR_INVALID || rc == ERR_CONFLICT) {
        page_error(req, 409, e.msg);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req, conv_href(req, c.id, "/afronden?melding=gehouden"));
}

void conv_starters_post(struct http_req *req)
{
    struct conversation c;
    struct err_ctx e = {0};
    int64_t rid;
    if (conv_page_load(req, &c) || http_param_id_or_404(req, 1, &rid))
        return;
    bool about = false;
    for (int k = 0; k < c.nresults; k++)
        about = about || c.result_ids[k] == rid;
    if (!about || c.kind != CONV_VOORKANT) {
        page_error(req, 404, NULL);
        return;
    }
    if (c.status == CONV_GEANNULEERD || !conv_page_may(req, ACT_EDIT, &c)) {
        page_error(req, 403, NULL);
        return;
    }
    struct starter_state ss = {.result_id = rid};
    for (int q = 0; q < THEORY_STARTERS; q++) {
        const char *v = http_form(req, starter_field(req, q, rid));
        ss.vals[q] = v ? v : "";
    }
    int rc = theory_save_starters(req->app->store, &req->actor, rid, ss.vals,
                                  kit_id(http_form(req, "versie")), NULL, &e);
    if (rc == ERR_INVALID || rc == ERR_TOO_BIG || rc == ERR_CONFLICT) {
        ss.conflict = rc == ERR_CONFLICT;
        ss.error = rc == ERR_CONFLICT
                       ? _("Iemand anders heeft de startvragen intussen gewijzigd. De opgeslagen "
                           "antwoorden staan hieronder; uw eigen tekst staat nog in het formulier. "
                           "Voeg ze samen en sla opnieuw op.")
                       : arena_strdup(req->arena, e.msg);
        render_hold(req, &c, NULL, &ss, rc == ERR_CONFLICT ? 409 : 422);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req,
                  arena_printf(req->arena,
                               "/gesprekken/%" PRId64 "/houden?melding=startvragen#startvragen-"
                               "%" PRId64,
                               c.id, rid));
}
