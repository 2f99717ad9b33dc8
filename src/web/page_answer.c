/*
 * page_answer.c: the public answering pages of resident surveys (docs/surveys.md "Answering"):
 * /enquete (enter the code; ?code= from the QR letter fills it in), the questionnaire one
 * section per page, "Later verder" (pause, resume with the code), and the exactly-once submit;
 * /enquete/open/{slug} for an open round without codes (no pause; single-use form nonce).
 *
 * No account, no session and no JavaScript. The pages keep no state on the server between
 * steps: every step is a POST that carries the code (or nonce), the step and all answers so
 * far (the other sections' as hidden fields), and is checked again from the start. So the code
 * is never in a path (the server logs paths, never query strings or bodies), and a resident's
 * answers reach the database only at "Later verder" (survey_draft) and at the submit.
 */
#include "core/common.h"
#include "core/log.h"
#include "core/str.h"
#include "domain/auth.h"
#include "domain/survey.h"
#include "domain/survey_answer.h"
#include "domain/survey_response.h"
#include "domain/survey_round.h"
#include "web/page.h"
#include "web/page_kit.h"
#include "web/router.h"
#include "web/survey_form.h"
#include <time.h>

#define CODE_ATTEMPTS 20  /* wrong codes per client address ... */
#define CODE_WINDOW   900 /* ... per quarter of an hour (in memory only, never stored) */

enum step_action { ACT_START, ACT_NEXT, ACT_PREV, ACT_LATER, ACT_SUBMIT };

/* What a resident is answering: resolved again on every request. */
struct answering {
    struct survey_round round;
    int64_t invitation_id; /* 0 for an open link */
    const char *code;      /* normalised; NULL for an open link */
    const char *nonce;     /* open link */
    const char *slug;
    struct questionnaire q;
    struct survey_answers ans;
};

/* Today in the Netherlands (a round closes at the end of its last Dutch day; the response is
 * dated by the day residents live in), from the same Europe/Amsterdam rule as the pages use. */
static int32_t today(void)
{
    char buf[KIT_TIME_MAX];
    day_t d;
    kit_time_from_unix((int64_t)time(NULL), false, buf);
    if (strlen(buf) >= 10 && str_parse_date_nl((struct str){buf, 10}, &d) == 0)
        return (int32_t)d;
    return (int32_t)(time(NULL) / 86400);
}

/* ---- The code page. ------------------------------------------------------------------------ */

static void code_page(struct http_req *req, int status, const char *code, const char *error,
                      const char *notice)
{
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Vragenlijst invullen"), NULL, 0);
    if (notice)
        page_alert(&h, "ok", notice);
    struct form_errors fe = {0};
    if (error) {
        kit_error(&fe, "code", error);
        form_error_summary(&h, &fe);
    }
    html_raw(&h, "<p class=\"utrecht-paragraph\">");
    html_text(&h, _("U hebt een brief gekregen met een code. Met die code kunt u de vragenlijst "
                    "invullen. U hoeft niet in te loggen."));
    html_raw(&h, "</p><p class=\"utrecht-paragraph\">");
    html_text(&h, _("Uw antwoorden zijn anoniem. Wij weten niet wie welke antwoorden gaf."));
    html_raw(&h, "</p>");
    form_begin(&h, req, "/enquete");
    html_raw(&h, "<input type=\"hidden\" name=\"actie\" value=\"start\">");
    form_input(&h, &fe, "code", _("Uw code"), "text", code,
               _("De code staat in de brief. Bijvoorbeeld: ABCD-EFGH-JK."), true, "off");
    form_submit(&h, _("Beginnen"));
    form_end(&h);
    html_raw(&h, "<p class=\"utrecht-paragraph\">");
    html_text(&h, _("Bent u eerder begonnen en hebt u op ‘Later verder’ gedrukt? Vul dan "
                    "dezelfde code in. U gaat verder waar u was."));
    html_raw(&h, "</p>");
    page_end(&h, req);
    page_send(req, &h, status);
}

/* The code may be in this page's URL (?code= from the QR code): no Referer may carry it to
 * the static files, a proxy's log or anywhere else. */
static void no_referrer(struct http_req *req)
{
    http_resp_header(req, "Referrer-Policy", "no-referrer");
}

static void enquete_get(struct http_req *req)
{
    no_referrer(req);
    /* From the QR code: the code is in the query string. The server never logs query strings;
     * the page only fills the field in, so nothing happens before the resident presses a
     * button (and a link preview or scanner that fetches the URL uses nothing up). */
    const char *code = http_query(req, "code");
    if (code && strlen(code) > SURVEY_CODE_INPUT_MAX)
        code = NULL;
    code_page(req, 200, code, NULL, NULL);
}

/* ---- Loading what is answered. ------------------------------------------------------------- */

static int load_questionnaire(struct http_req *req, struct answering *w)
{
    const char *json = NULL;
    struct err_ctx e = {0};
    int rc = survey_get_version(req->arena, req->app->store, w->round.survey_id,
                                w->round.survey_version, &json);
    if (!rc)
        rc = survey_parse(req->arena, json, &w->q, &e);
    if (!rc)
        rc = survey_answers_init(req->arena, &w->q, &w->ans);
    if (rc)
        log_error("survey.load", "rid", req->rid, "err", err_name(rc), NULL);
    return rc;
}

static const char *closed_message(const struct survey_round *r)
{
    if (r->status == ROUND_OPEN && today() < r->opens_on)
        return _("U kunt deze vragenlijst nog niet invullen. Probeer het later nog eens.");
    return _("Deze vragenlijst is gesloten. U kunt niet meer meedoen. Bedankt voor uw moeite.");
}

static int too_many(struct http_req *req)
{
    code_page(req, 429, NULL,
              _("U hebt te vaak een verkeerde code ingevuld. Wacht een kwartier en probeer "
                "het dan opnieuw."),
              NULL);
    return ERR_BUSY;
}

/* Looks up the posted code. Answers the request itself (code page with a message) and returns
 * non-zero when the code cannot be used. */
static int resolve_code(struct http_req *req, struct answering *w)
{
    const char *in = http_form(req, "code");
    char norm[SURVEY_CODE_LEN + 1];
    struct err_ctx e = {0};
    char key[96];
    snprintf(key, sizeof key, "enquete:%s", req->client_addr ? req->client_addr : "-");
    /* The limit on wrong codes only ever stops a wrong code: behind a proxy or a shared mobile
     * address many residents count as one, and a resident in the middle of the questions (whose
     * answers live in the form) must never be stopped by someone else's typing or guessing.
     * A right code passing anyway tells a guesser nothing useful: codes are 50 random bits. */
    bool limited = !auth_rate_allow(key, CODE_ATTEMPTS, CODE_WINDOW);
    if (!in || !*in) {
        code_page(req, 400, NULL, _("Vul de code uit uw brief in."), NULL);
        return ERR_INVALID;
    }
    if (strlen(in) > SURVEY_CODE_INPUT_MAX ||
        survey_code_normalise(in, strlen(in), norm, &e) != 0) {
        if (limited)
            return too_many(req);
        auth_rate_hit(key);
        code_page(req, 400, strlen(in) > SURVEY_CODE_INPUT_MAX ? NULL : in,
                  e.msg[0] ? e.msg : _("Deze code klopt niet. Kijk goed in uw brief."), NULL);
        return ERR_INVALID;
    }
    const struct survey_code_key *k = survey_code_key_shared(req->app->cfg->key_path, &e);
    if (!k) {
        log_error("survey.code_key", "rid", req->rid, "err", e.msg, NULL);
        page_error(req, 500, NULL);
        return ERR_INTERNAL;
    }
    struct round_invitation inv;
    int rc = round_find_by_code(req->arena, req->app->store, k, norm, &inv);
    if (rc == ERR_NOT_FOUND) {
        if (limited)
            return too_many(req);
        auth_rate_hit(key);
        code_page(req, 404, in,
                  _("Deze code kennen we niet. Kijk goed in uw brief: een code heeft 10 letters "
                    "en cijfers."),
                  NULL);
        return rc;
    }
    if (rc) {
        page_error(req, 500, NULL);
        return rc;
    }
    if (inv.used) {
        code_page(req, 409, NULL,
                  _("Met deze code zijn de vragen al ingevuld. Een code kunt u maar één keer "
                    "gebruiken."),
                  NULL);
        return ERR_CONFLICT;
    }
    if (!round_accepts(&inv.round, today())) {
        code_page(req, 410, NULL, closed_message(&inv.round), NULL);
        return ERR_INVALID;
    }
    w->round = inv.round;
    w->invitation_id = inv.invitation_id;
    w->code = arena_strdup(req->arena, norm);
    if (load_questionnaire(req, w)) {
        page_error(req, 500, NULL);
        return ERR_INTERNAL;
    }
    return 0;
}

static int resolve_slug(struct http_req *req, struct answering *w)
{
    const char *slug = req->nparams > 0 ? req->params[0] : NULL;
    if (!slug || strlen(slug) > 64) {
        page_error(req, 404, NULL);
        return ERR_NOT_FOUND;
    }
    int rc = round_find_by_slug(req->arena, req->app->store, slug, &w->round);
    if (rc) {
        page_error(req, rc == ERR_NOT_FOUND ? 404 : 500, NULL);
        return rc;
    }
    if (!round_accepts(&w->round, today())) {
        page_error(req, 410, closed_message(&w->round));
        return ERR_INVALID;
    }
    w->slug = slug;
    if (load_questionnaire(req, w)) {
        page_error(req, 500, NULL);
        return ERR_INTERNAL;
    }
    return 0;
}

/* ---- The questionnaire pages. -------------------------------------------------------------- */

static const char *pick(const char *nl, const char *en, const char *lang)
{
    return lang && strcmp(lang, "en") == 0 && en && *en ? en : nl;
}

/* Visible sections in order (a section whose questions all depend on answers that rule them
 * out is skipped). Returns the count; idx gets the section indices. */
static int visible_sections(const struct answering *w, int *idx)
{
    int n = 0;
    for (int s = 0; s < w->q.nsections; s++)
        if (survey_answers_section_visible(&w->ans, s))
            idx[n++] = s;
    return n;
}

static void hidden_field(struct html *h, const char *name, const char *value)
{
    html_raw(h, "<input type=\"hidden\"");
    html_attr(h, "name", name);
    html_attr(h, "value", value);
    html_raw(h, ">");
}

static void button(struct html *h, const char *action, const char *label, bool primary)
{
    html_raw(h, "<button type=\"submit\" name=\"actie\" class=\"utrecht-button ");
    if (primary)
        html_raw(h, "utrecht-button--primary-action");
    else
        html_raw(h, "utrecht-button--secondary-action");
    html_raw(h, "\"");
    html_attr(h, "value", action);
    html_raw(h, ">");
    html_text(h, label);
    html_raw(h, "</button>");
}

static void section_page(struct http_req *req, struct answering *w, int section,
                         const struct sa_errors *errs, int status, const char *notice)
{
    struct html h;
    html_init(&h);
    const char *lang = req->lang;
    page_begin(&h, req, pick(w->q.title, w->q.title_en, lang), NULL, 0);
    int idx[Q_MAX_SECTIONS], nvis = visible_sections(w, idx), pos = 0;
    for (int i = 0; i < nvis; i++)
        if (idx[i] == section)
            pos = i;
    html_raw(&h, "<p class=\"utrecht-paragraph duiding-progress\">");
    html_text(&h, _("Stap"));
    html_raw(&h, " ");
    html_int(&h, pos + 1);
    html_raw(&h, " ");
    html_text(&h, _("van"));
    html_raw(&h, " ");
    html_int(&h, nvis > 0 ? nvis : 1);
    html_raw(&h, "</p>");
    if (notice)
        page_alert(&h, "info", notice);
    if (pos == 0 && (!errs || errs->n == 0)) {
        const char *intro = pick(w->q.intro, w->q.intro_en, lang);
        if (intro && *intro) {
            html_raw(&h, "<p class=\"utrecht-paragraph\">");
            html_text(&h, intro);
            html_raw(&h, "</p>");
        }
    }
    /* The error summary: one link per question, to its first control. */
    struct survey_form_error *fe = NULL;
    size_t nfe = 0;
    if (errs && errs->n > 0) {
        fe = arena_calloc(req->arena, (size_t)errs->n, sizeof *fe);
        html_raw(
            &h,
            "<div class=\"utrecht-alert utrecht-alert--error duiding-error-summary\" "
            "role=\"alert\" tabindex=\"-1\" id=\"fouten\"><div class=\"utrecht-alert__content\">"
            "<div class=\"utrecht-alert__message\"><h2 class=\"utrecht-heading-2\">");
        html_text(&h, _("Nog niet alles is goed ingevuld"));
        html_raw(&h, "</h2><ul class=\"utrecht-unordered-list\">");
        for (int i = 0; fe && i < errs->n; i++) {
            const struct q_question *qq = &w->q.questions[errs->items[i].question];
            fe[nfe].item = qq->item;
            fe[nfe++].message = errs->items[i].e.msg;
            html_raw(&h, "<li><a class=\"utrecht-link\" href=\"#veld-");
            html_text(&h, qq->item);
            html_raw(&h, "\">");
            html_text(&h, pick(qq->text, qq->text_en, lang));
            html_raw(&h, " – ");
            form_sentence(&h, errs->items[i].e.msg);
            html_raw(&h, "</a></li>");
        }
        html_raw(&h, "</ul></div></div></div>");
    }
    const char *action =
        w->slug ? arena_printf(req->arena, "/enquete/open/%s", w->slug) : "/enquete";
    form_begin(&h, req, action ? action : "/enquete");
    if (w->code)
        hidden_field(&h, "code", w->code);
    if (w->nonce)
        hidden_field(&h, "formulier", w->nonce);
    html_raw(&h, "<input type=\"hidden\" name=\"stap\"");
    html_attr_int(&h, "value", section);
    html_raw(&h, ">");
    /* Answers of the other sections travel along as hidden fields. */
    struct sa_field *all = NULL;
    size_t nall = 0;
    survey_answers_fields(req->arena, &w->ans, -1, &all, &nall);
    struct survey_form_value *vals = arena_calloc(req->arena, nall ? nall : 1, sizeof *vals);
    size_t nvals = 0;
    for (size_t i = 0; vals && i < nall; i++) {
        const struct q_question *qq = questionnaire_find(&w->q, all[i].name);
        if (qq && qq->section != section)
            hidden_field(&h, all[i].name, all[i].value);
        vals[nvals].item = all[i].name;
        vals[nvals++].value = all[i].value;
    }
    struct survey_form_opts o = {
        .lang = lang, .values = vals, .nvalues = nvals, .errors = fe, .nerrors = nfe};
    survey_form_render(&h, &w->q, section, &o);
    html_raw(&h, "<div class=\"utrecht-button-group\">");
    bool last = pos >= nvis - 1;
    if (last)
        button(&h, "verzenden", _("Antwoorden versturen"), true);
    else
        button(&h, "volgende", _("Volgende"), true);
    if (pos > 0)
        button(&h, "vorige", _("Vorige"), false);
    if (w->invitation_id > 0)
        button(&h, "later", _("Later verder"), false);
    html_raw(&h, "</div>");
    form_end(&h);
    if (last) {
        html_raw(&h, "<p class=\"utrecht-paragraph\">");
        html_text(&h, _("Na het versturen kunt u uw antwoorden niet meer veranderen."));
        html_raw(&h, "</p>");
    }
    page_end(&h, req);
    page_send(req, &h, status);
}

static void message_page(struct http_req *req, int status, const char *title, const char *text,
                         const char *text2)
{
    struct html h;
    html_init(&h);
    page_begin(&h, req, title, NULL, 0);
    html_raw(&h, "<p class=\"utrecht-paragraph\">");
    html_text(&h, text);
    html_raw(&h, "</p>");
    if (text2) {
        html_raw(&h, "<p class=\"utrecht-paragraph\">");
        html_text(&h, text2);
        html_raw(&h, "</p>");
    }
    page_end(&h, req);
    page_send(req, &h, status);
}

static enum step_action parse_action(const char *a)
{
    if (!a || strcmp(a, "start") == 0)
        return ACT_START;
    if (strcmp(a, "volgende") == 0)
        return ACT_NEXT;
    if (strcmp(a, "vorige") == 0)
        return ACT_PREV;
    if (strcmp(a, "later") == 0)
        return ACT_LATER;
    if (strcmp(a, "verzenden") == 0)
        return ACT_SUBMIT;
    return ACT_START;
}

/* The fields of the request as the domain reads them. */
static struct sa_field *form_fields(struct http_req *req, size_t *n)
{
    struct sa_field *f = arena_calloc(req->arena, req->nform ? (size_t)req->nform : 1, sizeof *f);
    *n = 0;
    for (int i = 0; f && i < req->nform; i++) {
        f[*n].name = req->form[i].key;
        f[*n].value = req->form[i].value;
        f[(*n)++].len = req->form[i].value_len;
    }
    return f;
}

/* First section (in visible order) with a problem, for the submit. */
static int first_error_section(const struct answering *w, const struct sa_errors *errs)
{
    int best = -1;
    for (int i = 0; i < errs->n; i++) {
        int s = w->q.questions[errs->items[i].question].section;
        if (best < 0 || s < best)
            best = s;
    }
    return best < 0 ? 0 : best;
}

static void step(struct http_req *req, struct answering *w)
{
    enum step_action act = parse_action(http_form(req, "actie"));
    struct sa_errors *errs = arena_calloc(req->arena, 1, sizeof *errs);
    if (!errs) {
        page_error(req, 500, NULL);
        return;
    }
    if (act == ACT_START) {
        bool found = false;
        if (w->invitation_id > 0 &&
            survey_draft_load(req->arena, req->app->store, w->invitation_id, &w->ans, &found)) {
            page_error(req, 500, NULL);
            return;
        }
        int idx[Q_MAX_SECTIONS];
        int nvis = visible_sections(w, idx);
        section_page(req, w, nvis > 0 ? idx[0] : 0, NULL, 200,
                     found ? _("Welkom terug. Uw eerdere antwoorden staan er nog. U kunt verder "
                               "gaan waar u was.")
                           : NULL);
        return;
    }
    size_t nf = 0;
    struct sa_field *fields = form_fields(req, &nf);
    if (!fields) {
        page_error(req, 500, NULL);
        return;
    }
    if (nf > SA_MAX_FIELDS) {
        page_error(req, 413, _("Dit formulier is te groot."));
        return;
    }
    int64_t sec = 0;
    const char *st = http_form(req, "stap");
    if (!st || str_parse_i64_c(st, 0, w->q.nsections - 1, &sec) != 0) {
        page_error(req, 400, _("Dit formulier is niet geldig. Begin opnieuw met uw code."));
        return;
    }
    int rc = survey_answers_read(req->arena, &w->ans, -1, fields, nf, errs);
    if (rc) {
        page_error(req, rc == ERR_TOO_BIG ? 413 : 400, _("Dit formulier is niet geldig."));
        return;
    }
    int idx[Q_MAX_SECTIONS];
    int nvis = visible_sections(w, idx), pos = -1;
    for (int i = 0; i < nvis; i++)
        if (idx[i] == (int)sec)
            pos = i;
    struct err_ctx e = {0};
    switch (act) {
    case ACT_PREV:
        /* Going back keeps what was typed; problems are shown when going forward again. */
        survey_answers_prune(&w->ans);
        section_page(req, w, pos > 0 ? idx[pos - 1] : (nvis ? idx[0] : 0), NULL, 200, NULL);
        return;
    case ACT_LATER:
        if (w->invitation_id <= 0)
            break;
        survey_answers_prune(&w->ans);
        rc = survey_draft_save(req->app->store, w->invitation_id, &w->ans, today(), &e);
        if (rc == ERR_CONFLICT) {
            code_page(req, 409, NULL, e.msg, NULL);
            return;
        }
        if (rc) {
            section_page(req, w, (int)sec, errs, 500, NULL);
            return;
        }
        message_page(req, 200, _("Uw antwoorden zijn bewaard"),
                     _("U kunt later verder gaan. Ga dan weer naar deze website en vul dezelfde "
                       "code in. Bewaar uw brief met de code goed."),
                     _("Wacht niet te lang: als de vragenlijst sluit, zijn uw antwoorden weg."));
        return;
    case ACT_NEXT:
        survey_answers_check_required(&w->ans, (int)sec, errs);
        {
            /* Only the problems of this page stop the resident here. */
            struct sa_errors *own = arena_calloc(req->arena, 1, sizeof *own);
            for (int i = 0; own && i < errs->n; i++)
                if (w->q.questions[errs->items[i].question].section == (int)sec)
                    own->items[own->n++] = errs->items[i];
            if (own && own->n > 0) {
                section_page(req, w, (int)sec, own, 422, NULL);
                return;
            }
        }
        survey_answers_prune(&w->ans);
        nvis = visible_sections(w, idx);
        for (int i = 0; i < nvis; i++)
            if (idx[i] > (int)sec) {
                section_page(req, w, idx[i], NULL, 200, NULL);
                return;
            }
        section_page(req, w, (int)sec, NULL, 200, NULL); /* already the last */
        return;
    case ACT_SUBMIT:
        survey_answers_check_required(&w->ans, -1, errs);
        if (errs->n > 0) {
            int s = first_error_section(w, errs);
            struct sa_errors *own = arena_calloc(req->arena, 1, sizeof *own);
            for (int i = 0; own && i < errs->n; i++)
                if (w->q.questions[errs->items[i].question].section == s)
                    own->items[own->n++] = errs->items[i];
            section_page(req, w, s, own ? own : errs, 422, NULL);
            return;
        }
        rc = survey_response_submit(req->app->store, &w->round, w->invitation_id, w->nonce, &w->ans,
                                    today(), &e);
        if (rc == ERR_CONFLICT) {
            message_page(req, 409, _("Al verstuurd"), e.msg, NULL);
            return;
        }
        if (rc == ERR_INVALID) {
            message_page(req, 400, _("Niet verstuurd"), e.msg, NULL);
            return;
        }
        if (rc) {
            log_error("survey.submit", "rid", req->rid, "err", err_name(rc), NULL);
            page_error(req, 500,
                       _("Uw antwoorden konden niet worden opgeslagen. Probeer het "
                         "later nog eens."));
            return;
        }
        message_page(req, 200, _("Bedankt voor uw antwoorden"),
                     _("Uw antwoorden zijn verstuurd. Wij gebruiken ze om de hulp en "
                       "ondersteuning beter te maken."),
                     _("U kunt dit venster nu sluiten."));
        return;
    case ACT_START:
        break;
    }
    page_error(req, 400, NULL);
}

static void enquete_post(struct http_req *req)
{
    no_referrer(req);
    struct answering w = {0};
    if (resolve_code(req, &w))
        return;
    step(req, &w);
}

static void open_get(struct http_req *req)
{
    no_referrer(req);
    struct answering w = {0};
    if (resolve_slug(req, &w))
        return;
    char nonce[SURVEY_NONCE_B64_LEN + 1];
    survey_nonce_new(nonce);
    w.nonce = arena_strdup(req->arena, nonce);
    int idx[Q_MAX_SECTIONS];
    int nvis = visible_sections(&w, idx);
    section_page(req, &w, nvis > 0 ? idx[0] : 0, NULL, 200, NULL);
}

static void open_post(struct http_req *req)
{
    no_referrer(req);
    struct answering w = {0};
    if (resolve_slug(req, &w))
        return;
    const char *nonce = http_form(req, "formulier");
    if (!nonce || strlen(nonce) != SURVEY_NONCE_B64_LEN) {
        page_error(req, 400, _("Dit formulier is niet geldig. Open de vragenlijst opnieuw."));
        return;
    }
    w.nonce = nonce;
    step(req, &w);
}

const struct route answer_page_routes[] = {
    {"GET", "/enquete", enquete_get, ROUTE_PUBLIC, "answer.code"},
    {"POST", "/enquete", enquete_post, ROUTE_PUBLIC, "answer.step"},
    {"GET", "/enquete/open/{slug}", open_get, ROUTE_PUBLIC, "answer.open"},
    {"POST", "/enquete/open/{slug}", open_post, ROUTE_PUBLIC, "answer.open_step"},
    ROUTES_END,
};
