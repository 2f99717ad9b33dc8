/*
 * page_survey.c: /enquetes: the list of questionnaires, a new one from a shipped template (or
 * an empty start), and the builder: sections and questions added, edited, moved and deleted,
 * conditions, the whole document as JSON for experts, and a preview that uses the residents'
 * own renderer (web/survey_form.h), so it shows exactly what they will see. Every edit is a
 * plain POST form with the version it started from (optimistic locking); no JavaScript.
 */
#include "core/common.h"
#include "core/str.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "domain/questionnaire.h"
#include "domain/survey.h"
#include "web/page.h"
#include "web/page_kit.h"
#include "web/router.h"
#include "web/survey_form.h"

#define MAX_OWNERS  64
#define OPTIONS_MAX 4000 /* bytes of the options text area */
#define PAGE_SIZE   50

/* ---- Helpers. ------------------------------------------------------------------------------ */

struct owner_choice {
    int64_t id;
    const char *name;
};

static bool may(struct http_req *req, enum action act, int64_t id, int64_t owner)
{
    struct object_ref o = {.kind = OBJ_SURVEY, .id = id, .owner_org_id = owner};
    struct org org;
    if (owner) {
        if (org_get_internal(req->arena, req->app->store, owner, &org) != 0)
            return false;
        o.owner_org_kind = org.kind;
        if (org.kind == ORG_GEMEENTE) {
            o.owner_region_ids = org.parent_ids;
            o.owner_nregions = org.nparents;
        }
    }
    return policy_allows(&req->actor, act, &o);
}

/* Gemeenten and regions the actor may create a questionnaire for. */
static int owner_choices(struct http_req *req, struct owner_choice *out)
{
    int n = 0;
    static const enum org_kind kinds[] = {ORG_GEMEENTE, ORG_REGION};
    for (size_t k = 0; k < ARRAY_LEN(kinds); k++) {
        struct org_filter f = {.kind = (int)kinds[k], .limit = ORG_LIST_MAX};
        struct org *list = NULL;
        int cnt = 0, total = 0;
        if (org_list(req->arena, req->app->store, &req->actor, &f, &list, &cnt, &total) != 0)
            continue;
        for (int i = 0; i < cnt && n < MAX_OWNERS; i++)
            if (may(req, ACT_CREATE, 0, list[i].id))
                out[n++] = (struct owner_choice){list[i].id, list[i].name};
    }
    return n;
}

static const char *survey_path(struct http_req *req, int64_t id, const char *suffix)
{
    return arena_printf(req->arena, "/enquetes/%" PRId64 "%s", id, suffix ? suffix : "");
}

/* Loads survey {id} (path parameter 0) and its parsed document; answers itself on failure. */
static int load(struct http_req *req, struct survey *sv, struct questionnaire *q)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id))
        return ERR_NOT_FOUND;
    int rc = survey_get(req->arena, req->app->store, &req->actor, id, sv);
    if (rc) {
        kit_fail(req, rc);
        return rc;
    }
    struct err_ctx e = {0};
    if (survey_parse(req->arena, sv->document, q, &e) != 0) {
        page_error(req, 500, NULL);
        return ERR_INTERNAL;
    }
    return 0;
}

static const char *lang_text(struct http_req *req, const char *nl, const char *en)
{
    return req->lang && strcmp(req->lang, "en") == 0 && en ? en : nl;
}

static void version_field(struct html *h, int64_t version)
{
    html_raw(h, "<input type=\"hidden\" name=\"versie\"");
    html_attr_int(h, "value", version);
    html_raw(h, ">");
}

/* ---- List. --------------------------------------------------------------------------------- */

static void list_page(struct http_req *req)
{
    struct survey *list = NULL;
    int n = 0, total = 0, offset = kit_offset(req);
    bool archived = http_query(req, "gearchiveerd") != NULL;
    struct survey_filter f = {.include_archived = archived, .limit = PAGE_SIZE, .offset = offset};
    int rc = survey_list(req->arena, req->app->store, &req->actor, &f, &list, &n, &total);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    struct owner_choice owners[MAX_OWNERS];
    const struct crumb crumbs[] = {{_("Start"), "/"}, {_("Enquêtes"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Enquêtes onder inwoners"), crumbs, (int)ARRAY_LEN(crumbs));
    page_flash(&h, req);
    html_raw(&h, "<p class=\"utrecht-paragraph duiding-lead\">");
    html_text(&h, _("Vragenlijsten voor cliëntervaringsonderzoek en uitkomstvragen. Een "
                    "vragenlijst stuurt u rond in een uitvraag: per gemeente, met eenmalige codes "
                    "op een brief of met een open link."));
    html_raw(&h, "</p>");
    if (owner_choices(req, owners) > 0) {
        kit_actions_begin(&h);
        kit_button_link(&h, "/enquetes/nieuw", _("Nieuwe vragenlijst"), true);
        kit_actions_end(&h);
    }
    kit_filter_begin(&h, "/enquetes", _("Vragenlijsten filteren"));
    kit_filter_check(&h, "gearchiveerd", _("Ook gearchiveerde vragenlijsten"), archived);
    kit_filter_end(&h, "/enquetes");
    if (n == 0) {
        kit_para(&h, _("Er zijn nog geen vragenlijsten."));
    } else {
        const char *heads[] = {_("Vragenlijst"), _("Eigenaar"), _("Versie"), _("Uitvragen")};
        table_begin(&h, _("Vragenlijsten"), heads, (int)ARRAY_LEN(heads));
        for (int i = 0; i < n; i++) {
            table_row_begin(&h);
            kit_cell_begin(&h);
            html_raw(&h, "<a class=\"utrecht-link\"");
            html_url_attr(&h, "href", survey_path(req, list[i].id, NULL));
            html_raw(&h, ">");
            html_text(&h, list[i].title);
            html_raw(&h, "</a> <code class=\"duiding-code\">");
            html_text(&h, list[i].code);
            html_raw(&h, "</code>");
            if (list[i].archived) {
                html_raw(&h, " <span class=\"duiding-tag\">");
                html_text(&h, _("gearchiveerd"));
                html_raw(&h, "</span>");
            }
            kit_cell_end(&h);
            table_cell(&h, list[i].owner_name);
            kit_cell_begin(&h);
            html_int(&h, list[i].version);
            kit_cell_end(&h);
            kit_cell_begin(&h);
            html_raw(&h, "<a class=\"utrecht-link\"");
            html_url_attr(&h, "href", survey_path(req, list[i].id, "/rondes"));
            html_raw(&h, ">");
            html_textf(&h,
                       ngettext("%" PRId64 " uitvraag", "%" PRId64 " uitvragen",
                                (unsigned long)list[i].nrounds),
                       list[i].nrounds);
            html_raw(&h, "</a>");
            kit_cell_end(&h);
            table_row_end(&h);
        }
        table_end(&h);
        page_pager(&h, archived ? "/enquetes?gearchiveerd=1" : "/enquetes", offset, PAGE_SIZE,
                   total);
    }
    page_end(&h, req);
    page_send(req, &h, 200);
}

/* ---- New. ---------------------------------------------------------------------------------- */

static void new_form(struct http_req *req, const struct form_errors *fe, int status)
{
    struct owner_choice owners[MAX_OWNERS];
    int nowners = owner_choices(req, owners);
    if (nowners == 0) {
        page_error(req, 403,
                   _("Alleen beleidsadviseurs van een gemeente of regio kunnen een vragenlijst "
                     "maken."));
        return;
    }
    const struct crumb crumbs[] = {
        {_("Start"), "/"}, {_("Enquêtes"), "/enquetes"}, {_("Nieuwe vragenlijst"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Nieuwe vragenlijst"), crumbs, (int)ARRAY_LEN(crumbs));
    form_error_summary(&h, fe);
    form_begin(&h, req, "/enquetes");
    struct form_option oo[MAX_OWNERS];
    for (int i = 0; i < nowners; i++)
        oo[i] = (struct form_option){arena_printf(req->arena, "%" PRId64, owners[i].id),
                                     owners[i].name};
    form_select(&h, fe, "eigenaar", _("Eigenaar"), oo, nowners, http_form(req, "eigenaar"),
                _("De gemeente of regio die de vragenlijst beheert."));
    int nt = 0;
    const struct q_template *t = questionnaire_templates(&nt);
    struct form_option to[8];
    int k = 0;
    for (int i = 0; i < nt && k < 7; i++)
        to[k++] = (struct form_option){t[i].code, _(t[i].label)};
    to[k++] = (struct form_option){"leeg", _("Lege vragenlijst (zelf opbouwen)")};
    const char *sel = http_form(req, "sjabloon");
    form_select(&h, fe, "sjabloon", _("Begin met"), to, k, sel ? sel : "wmo-cevo",
                _("Een sjabloon heeft de vragen en de Engelse vertaling al. U kunt alles "
                  "daarna aanpassen."));
    form_input(&h, fe, "code", _("Code"), "text", http_form(req, "code"),
               _("Alleen bij een lege vragenlijst: kleine letters, cijfers en _, bijvoorbeeld "
                 "tevredenheid_2026."),
               false, "off");
    form_input(&h, fe, "titel", _("Titel"), "text", http_form(req, "titel"),
               _("Alleen bij een lege vragenlijst: de titel die inwoners boven de vragen zien."),
               false, "off");
    form_submit(&h, _("Vragenlijst maken"));
    form_end(&h);
    page_end(&h, req);
    page_send(req, &h, status);
}

static void new_page(struct http_req *req)
{
    new_form(req, NULL, 200);
}

static const struct kit_field new_fields[] = {
    {"eigenaar", "owner ownerorgid eigenaar"},
    {"sjabloon", "template sjabloon"},
    {"code", "code document"},
};

static void create(struct http_req *req)
{
    struct form_errors fe = {0};
    struct err_ctx e = {0};
    int64_t owner = kit_id(http_form(req, "eigenaar")), id = 0;
    const char *tmpl = http_form(req, "sjabloon");
    if (!may(req, ACT_CREATE, 0, owner)) {
        page_error(req, 403, NULL);
        return;
    }
    int rc;
    if (tmpl && strcmp(tmpl, "leeg") == 0) {
        /* A start that validates: one section with one open question, to be rebuilt. */
        const char *code = kit_trimmed(req->arena, http_form(req, "code"));
        const char *title = kit_trimmed(req->arena, http_form(req, "titel"));
        struct q_question first = {
            .item = "opmerking", .kind = Q_OPEN, .text = _("Wilt u nog iets kwijt?")};
        struct q_section sec = {.code = "algemeen", .title = _("Algemeen"), .count = 1};
        struct questionnaire q = {.version = 1,
                                  .code = code,
                                  .title = title,
                                  .sections = &sec,
                                  .nsections = 1,
                                  .questions = &first,
                                  .nquestions = 1};
        if (!code || !title) {
            kit_error(&fe, code ? "titel" : "code",
                      code ? _("Vul een titel in.") : _("Vul een code in."));
            new_form(req, &fe, 422);
            return;
        }
        rc = questionnaire_validate(req->arena, &q, &e);
        const char *json = rc ? NULL : questionnaire_write(req->arena, &q);
        if (!rc && !json)
            rc = ERR_NOMEM;
        if (!rc)
            rc = survey_create(req->app->store, &req->actor, owner, NULL, json, strlen(json), &id,
                               &e);
    } else {
        rc = survey_create(req->app->store, &req->actor, owner, tmpl, NULL, 0, &id, &e);
    }
    if (rc == ERR_INVALID || rc == ERR_CONFLICT || rc == ERR_NOT_FOUND) {
        kit_error_add(&fe, &e, new_fields, (int)ARRAY_LEN(new_fields));
        new_form(req, &fe, rc == ERR_CONFLICT ? 409 : 422);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req, survey_path(req, id, "?melding=aangemaakt"));
}

/* ---- The builder. -------------------------------------------------------------------------- */

static void condition_text(struct html *h, struct http_req *req, const struct questionnaire *q,
                           const struct q_question *qu)
{
    const struct q_question *ref = questionnaire_find(q, qu->cond.item);
    html_raw(h, "<p class=\"utrecht-paragraph duiding-hint\">");
    html_text(h, _("Alleen als het antwoord op"));
    html_raw(h, " <code class=\"duiding-code\">");
    html_text(h, qu->cond.item);
    html_raw(h, "</code> ");
    html_text(h, _("is:"));
    for (int i = 0; i < qu->cond.nvalues; i++) {
        html_text(h, i ? ", " : " ");
        const char *label = qu->cond.values[i];
        if (ref && ref->kind == Q_KEUZE) {
            for (int k = 0; k < ref->noptions; k++)
                if (strcmp(ref->options[k].code, label) == 0)
                    label = lang_text(req, ref->options[k].label, ref->options[k].label_en);
        } else if (ref && ref->kind == Q_EENS5) {
            int64_t v = 0;
            if (str_parse_i64_c(label, 0, 5, &v) == 0)
                label = q_eens5_label((int)v);
        }
        html_text(h, label);
    }
    html_raw(h, "</p>");
}

static void small_post(struct html *h, struct http_req *req, const char *action, const char *label,
                       const char *aria, int64_t version, bool danger)
{
    html_raw(h, "<form method=\"post\" class=\"duiding-inline-form\"");
    html_url_attr(h, "action", action);
    html_raw(h, "><input type=\"hidden\" name=\"csrf\"");
    html_attr(h, "value", req->csrf_token);
    html_raw(h, ">");
    version_field(h, version);
    html_raw(h, "<button type=\"submit\" class=\"utrecht-button utrecht-button--secondary-action");
    if (danger)
        html_raw(h, " duiding-button--danger");
    html_raw(h, "\"");
    html_attr(h, "aria-label", aria);
    html_raw(h, ">");
    html_text(h, label);
    html_raw(h, "</button></form>");
}

static void builder_page(struct http_req *req, const struct survey *sv,
                         const struct questionnaire *q, const char *alert, int status)
{
    bool edit = !sv->archived && may(req, ACT_EDIT, sv->id, sv->owner_org_id);
    const struct crumb crumbs[] = {
        {_("Start"), "/"}, {_("Enquêtes"), "/enquetes"}, {sv->title, NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, sv->title, crumbs, (int)ARRAY_LEN(crumbs));
    page_flash(&h, req);
    if (alert)
        page_alert(&h, "error", alert);
    kit_dl_begin(&h);
    kit_dl_item(&h, _("Code"), sv->code);
    kit_dl_item(&h, _("Eigenaar"), sv->owner_name);
    kit_dl_item(&h, _("Versie"), arena_printf(req->arena, "%" PRId64, sv->version));
    kit_dl_item(&h, _("Sjabloon"), sv->template);
    kit_dl_item(&h, _("Uitvragen"), arena_printf(req->arena, "%" PRId64, sv->nrounds));
    kit_dl_end(&h);
    kit_actions_begin(&h);
    kit_button_link(&h, survey_path(req, sv->id, "/voorbeeld"), _("Voorbeeld bekijken"), true);
    kit_button_link(&h, survey_path(req, sv->id, "/rondes"), _("Uitvragen en codes"), false);
    if (sv->nrounds > 0) {
        kit_button_link(&h, survey_path(req, sv->id, "/resultaten"), _("Resultaten"), false);
        kit_button_link(&h, survey_path(req, sv->id, "/open-antwoorden"), _("Open antwoorden"),
                        false);
    }
    if (edit)
        kit_button_link(&h, survey_path(req, sv->id, "/json"), _("Als JSON bewerken"), false);
    kit_actions_end(&h);
    if (sv->nrounds > 0 && edit)
        page_alert(&h, "info",
                   _("Er zijn al uitvragen met deze vragenlijst. U kunt teksten aanpassen en "
                     "vragen of opties achteraan toevoegen, maar de soort van een vraag en de "
                     "volgorde van opties liggen vast."));
    if (q->intro) {
        html_raw(&h, "<p class=\"utrecht-paragraph\">");
        html_text(&h, lang_text(req, q->intro, q->intro_en));
        html_raw(&h, "</p>");
    }
    for (int s = 0; s < q->nsections; s++) {
        const struct q_section *sec = &q->sections[s];
        html_raw(&h, "<section class=\"duiding-builder-section\"");
        html_attr(&h, "id", arena_printf(req->arena, "sectie-%d", s + 1));
        html_raw(&h, "><h2 class=\"utrecht-heading-2\">");
        html_textf(&h, _("Stap %d: %s"), s + 1, lang_text(req, sec->title, sec->title_en));
        html_raw(&h, "</h2>");
        if (sec->intro) {
            html_raw(&h, "<p class=\"utrecht-paragraph\">");
            html_text(&h, lang_text(req, sec->intro, sec->intro_en));
            html_raw(&h, "</p>");
        }
        if (edit) {
            kit_buttons_begin(&h);
            kit_button_link(
                &h, survey_path(req, sv->id, arena_printf(req->arena, "/secties/%d", s + 1)),
                _("Stap bewerken"), false);
            const char *base =
                arena_printf(req->arena, "/enquetes/%" PRId64 "/secties/%d", sv->id, s + 1);
            const char *name = lang_text(req, sec->title, sec->title_en);
            if (s > 0)
                small_post(&h, req, arena_printf(req->arena, "%s/omhoog", base), _("Stap omhoog"),
                           arena_printf(req->arena, _("Stap omhoog: %s"), name), sv->version,
                           false);
            if (s + 1 < q->nsections)
                small_post(&h, req, arena_printf(req->arena, "%s/omlaag", base), _("Stap omlaag"),
                           arena_printf(req->arena, _("Stap omlaag: %s"), name), sv->version,
                           false);
            if (q->nsections > 1)
                small_post(
                    &h, req, arena_printf(req->arena, "%s/verwijderen", base),
                    _("Stap verwijderen"),
                    arena_printf(req->arena, _("Stap verwijderen: %s, met haar vragen"), name),
                    sv->version, true);
            kit_actions_end(&h);
        }
        html_raw(&h, "<ol class=\"duiding-builder-questions\"");
        html_attr_int(&h, "start", sec->first + 1);
        html_raw(&h, ">");
        for (int k = sec->first; k < sec->first + sec->count; k++) {
            const struct q_question *qu = &q->questions[k];
            html_raw(&h, "<li class=\"duiding-builder-question\"><p class=\"utrecht-paragraph\">"
                         "<strong>");
            html_text(&h, lang_text(req, qu->text, qu->text_en));
            html_raw(&h, "</strong></p><p class=\"utrecht-paragraph duiding-hint\">");
            html_text(&h, q_kind_label(qu->kind));
            html_text(&h, " · ");
            html_raw(&h, "<code class=\"duiding-code\">");
            html_text(&h, qu->item);
            html_raw(&h, "</code>");
            if (qu->required) {
                html_text(&h, " · ");
                html_text(&h, _("verplicht"));
            }
            if (!qu->text_en) {
                html_text(&h, " · ");
                html_text(&h, _("geen Engelse tekst"));
            }
            html_raw(&h, "</p>");
            if (qu->noptions > 0) {
                html_raw(&h, "<ul class=\"utrecht-unordered-list duiding-builder-options\">");
                for (int o = 0; o < qu->noptions; o++) {
                    html_raw(&h, "<li>");
                    html_text(&h, lang_text(req, qu->options[o].label, qu->options[o].label_en));
                    html_raw(&h, " <code class=\"duiding-code\">");
                    html_text(&h, qu->options[o].code);
                    html_raw(&h, "</code></li>");
                }
                html_raw(&h, "</ul>");
            }
            if (qu->has_condition)
                condition_text(&h, req, q, qu);
            if (edit) {
                const char *base =
                    arena_printf(req->arena, "/enquetes/%" PRId64 "/vragen/%d", sv->id, k + 1);
                kit_buttons_begin(&h);
                kit_button_link(&h, base, _("Bewerken"), false);
                if (k > 0)
                    small_post(&h, req, arena_printf(req->arena, "%s/omhoog", base), _("Omhoog"),
                               arena_printf(req->arena, _("Omhoog: vraag %s"), qu->item),
                               sv->version, false);
                if (k + 1 < q->nquestions)
                    small_post(&h, req, arena_printf(req->arena, "%s/omlaag", base), _("Omlaag"),
                               arena_printf(req->arena, _("Omlaag: vraag %s"), qu->item),
                               sv->version, false);
                small_post(&h, req, arena_printf(req->arena, "%s/verwijderen", base),
                           _("Verwijderen"),
                           arena_printf(req->arena, _("Verwijderen: vraag %s"), qu->item),
                           sv->version, true);
                kit_actions_end(&h);
            }
            html_raw(&h, "</li>");
        }
        html_raw(&h, "</ol>");
        if (edit) {
            kit_buttons_begin(&h);
            kit_button_link(&h,
                            survey_path(req, sv->id,
                                        arena_printf(req->arena, "/secties/%d/vraag-nieuw", s + 1)),
                            arena_printf(req->arena, _("Vraag toevoegen aan stap %d"), s + 1),
                            false);
            kit_actions_end(&h);
        }
        html_raw(&h, "</section>");
    }
    if (edit) {
        kit_actions_begin(&h);
        kit_button_link(&h, survey_path(req, sv->id, "/secties/nieuw"), _("Stap toevoegen"), false);
        kit_actions_end(&h);
        kit_h2(&h, _("Archief"));
        form_button(&h, req, survey_path(req, sv->id, "/archiveren"), _("Vragenlijst archiveren"),
                    true);
    } else if (sv->archived && may(req, ACT_ARCHIVE, sv->id, sv->owner_org_id)) {
        form_button(&h, req, survey_path(req, sv->id, "/herstellen"), _("Terugzetten uit archief"),
                    false);
    }
    page_end(&h, req);
    page_send(req, &h, status);
}

static void view_page(struct http_req *req)
{
    struct survey sv;
    struct questionnaire q;
    if (load(req, &sv, &q))
        return;
    builder_page(req, &sv, &q, NULL, 200);
}

/* Saves an edited document; on a validation error shows the builder with the message and the
 * stored version; on success redirects to `back`. */
static void save(struct http_req *req, const struct survey *sv, struct questionnaire *q,
                 const char *back)
{
    struct err_ctx e = {0};
    int64_t version = kit_id(http_form(req, "versie"));
    int rc = questionnaire_validate(req->arena, q, &e);
    const char *json = rc ? NULL : questionnaire_write(req->arena, q);
    if (!rc && !json)
        rc = ERR_NOMEM;
    if (!rc)
        rc = survey_update(req->app->store, &req->actor, sv->id, version, json, strlen(json), &e);
    if (rc == ERR_INVALID || rc == ERR_TOO_BIG || rc == ERR_CONFLICT) {
        struct survey cur;
        struct questionnaire stored;
        if (survey_get(req->arena, req->app->store, &req->actor, sv->id, &cur) != 0 ||
            survey_parse(req->arena, cur.document, &stored, &e) != 0) {
            page_error(req, 500, NULL);
            return;
        }
        builder_page(req, &cur, &stored,
                     arena_printf(req->arena, "%s %s", _("Niet opgeslagen:"), e.msg),
                     rc == ERR_CONFLICT ? 409 : 422);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req, back);
}

/* Loads the survey for an edit (ACT_EDIT, not archived) and the index in path parameter 1. */
static int load_edit(struct http_req *req, struct survey *sv, struct questionnaire *q, int *index,
                     int count)
{
    if (load(req, sv, q))
        return ERR_NOT_FOUND;
    if (!may(req, ACT_EDIT, sv->id, sv->owner_org_id) || sv->archived) {
        page_error(req, 403, NULL);
        return ERR_DENIED;
    }
    if (index) {
        int64_t i;
        if (http_param_id_or_404(req, 1, &i))
            return ERR_NOT_FOUND;
        if (i > count) {
            page_error(req, 404, NULL);
            return ERR_NOT_FOUND;
        }
        *index = (int)i - 1;
    }
    return 0;
}

static void structural(struct http_req *req, bool section, int op)
{
    struct survey sv;
    struct questionnaire q;
    int i = 0;
    if (load_edit(req, &sv, &q, &i, 0x7fffffff))
        return;
    int count = section ? q.nsections : q.nquestions;
    if (i >= count) {
        page_error(req, 404, NULL);
        return;
    }
    int rc;
    if (op == 0)
        rc = section ? questionnaire_delete_section(req->arena, &q, i)
                     : questionnaire_delete_question(req->arena, &q, i);
    else
        rc = section ? questionnaire_move_section(req->arena, &q, i, op)
                     : questionnaire_move_question(req->arena, &q, i, op);
    if (rc) {
        builder_page(req, &sv, &q, _("Dit kan niet verder die kant op."), 422);
        return;
    }
    save(req, &sv, &q, survey_path(req, sv.id, "?melding=opgeslagen"));
}

static void question_up(struct http_req *req)
{
    structural(req, false, -1);
}
static void question_down(struct http_req *req)
{
    structural(req, false, 1);
}
static void question_delete(struct http_req *req)
{
    structural(req, false, 0);
}
static void section_up(struct http_req *req)
{
    structural(req, true, -1);
}
static void section_down(struct http_req *req)
{
    structural(req, true, 1);
}
static void section_delete(struct http_req *req)
{
    structural(req, true, 0);
}

/* ---- Question form. ------------------------------------------------------------------------ */

/* Options as text: one per line, "code | label | English label". */
static const char *options_text(struct http_req *req, const struct q_question *qu)
{
    struct buf b;
    buf_init(&b, OPTIONS_MAX * 4);
    for (int i = 0; qu && i < qu->noptions; i++)
        buf_appendf(&b, "%s | %s%s%s\n", qu->options[i].code, qu->options[i].label,
                    qu->options[i].label_en ? " | " : "",
                    qu->options[i].label_en ? qu->options[i].label_en : "");
    const char *out = arena_strdup(req->arena, buf_cstr(&b));
    buf_release(&b);
    return out;
}

static const char *join_values(struct http_req *req, const struct q_question *qu)
{
    if (!qu || !qu->has_condition)
        return NULL;
    struct buf b;
    buf_init(&b, 4096);
    for (int i = 0; i < qu->cond.nvalues; i++)
        buf_appendf(&b, "%s%s", i ? ", " : "", qu->cond.values[i]);
    const char *out = arena_strdup(req->arena, buf_cstr(&b));
    buf_release(&b);
    return out;
}

/* The question form; qu NULL = new (posted values are shown again after an error). */
static void question_form(struct http_req *req, const struct survey *sv,
                          const struct questionnaire *q, int section, int qi,
                          const struct q_question *qu, const struct form_errors *fe, int status)
{
    bool posted = http_form(req, "tekst") != NULL;
#define VAL(field, from) (posted ? http_form(req, field) : (qu ? (from) : NULL))
    const char *title = qi >= 0 ? _("Vraag bewerken") : _("Vraag toevoegen");
    const struct crumb crumbs[] = {{_("Start"), "/"},
                                   {_("Enquêtes"), "/enquetes"},
                                   {sv->title, survey_path(req, sv->id, NULL)},
                                   {title, NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, title, crumbs, (int)ARRAY_LEN(crumbs));
    form_error_summary(&h, fe);
    form_begin(&h, req,
               qi >= 0 ? survey_path(req, sv->id, arena_printf(req->arena, "/vragen/%d", qi + 1))
                       : survey_path(req, sv->id,
                                     arena_printf(req->arena, "/secties/%d/vragen", section + 1)));
    version_field(&h, sv->version);
    form_input(&h, fe, "item", _("Itemcode"), "text", VAL("item", qu->item),
               _("Kleine letters, cijfers en _, hoogstens 48 tekens. Indicatoren gebruiken deze "
                 "code: antwoord(\"itemcode\")."),
               true, "off");
    struct form_option kinds[5];
    for (int k = Q_EENS5; k <= Q_OPEN; k++)
        kinds[k - 1] =
            (struct form_option){q_kind_code((enum q_kind)k), q_kind_label((enum q_kind)k)};
    form_select(&h, fe, "soort", _("Soort vraag"), kinds, 5, VAL("soort", q_kind_code(qu->kind)),
                NULL);
    form_input(&h, fe, "tekst", _("Vraag"), "text", VAL("tekst", qu->text),
               _("Schrijf op B1-niveau: korte zinnen, gewone woorden."), true, "off");
    form_input(&h, fe, "tekst_en", _("Vraag in het Engels"), "text", VAL("tekst_en", qu->text_en),
               NULL, false, "off");
    form_textarea(&h, fe, "hulp", _("Uitleg bij de vraag"), VAL("hulp", qu->help), NULL);
    form_textarea(&h, fe, "hulp_en", _("Uitleg in het Engels"), VAL("hulp_en", qu->help_en), NULL);
    struct form_option req_opt = {"1", _("Deze vraag moet beantwoord worden")};
    bool req_on = posted ? http_form(req, "verplicht") != NULL : (qu && qu->required);
    form_checkboxes(&h, fe, "verplicht", _("Verplicht"), &req_opt, 1, &req_on);
    form_textarea(&h, fe, "opties", _("Antwoordopties"), VAL("opties", options_text(req, qu)),
                  _("Alleen bij keuze en meerkeuze: één optie per regel, als code | tekst | "
                    "Engelse tekst. Bijvoorbeeld: ja | Ja | Yes. Nieuwe opties alleen "
                    "achteraan als er al uitvragen zijn."));
    /* Condition: an earlier eens5, cijfer or keuze question. */
    int limit = qi >= 0 ? qi : q->nquestions;
    struct form_option *co = arena_calloc(req->arena, (size_t)limit + 1, sizeof *co);
    int nco = 0;
    co[nco++] = (struct form_option){"", _("Altijd tonen")};
    for (int i = 0; i < limit; i++) {
        const struct q_question *r = &q->questions[i];
        if (r->kind == Q_EENS5 || r->kind == Q_CIJFER || r->kind == Q_KEUZE)
            co[nco++] =
                (struct form_option){r->item, arena_printf(req->arena, "%s: %s", r->item, r->text)};
    }
    form_select(&h, fe, "als_item", _("Alleen tonen als het antwoord op"), co, nco,
                VAL("als_item", qu->has_condition ? qu->cond.item : ""),
                _("Een vraag kan alleen afhangen van een eerdere vraag."));
    form_input(&h, fe, "als_waarden", _("een van deze antwoorden is"), "text",
               VAL("als_waarden", join_values(req, qu)),
               _("Met komma's ertussen. Bij keuze: de optiecodes; bij eens/oneens: 1 tot 5 (0 = "
                 "weet niet); bij een cijfer: 1 tot 10."),
               false, "off");
#undef VAL
    form_submit(&h, _("Vraag opslaan"));
    form_end(&h);
    page_end(&h, req);
    page_send(req, &h, status);
}

/* Reads the posted question into out. Problems the form can see are added to fe. */
static void read_question(struct http_req *req, struct q_question *out, struct form_errors *fe)
{
    memset(out, 0, sizeof *out);
    out->item = kit_trimmed(req->arena, http_form(req, "item"));
    out->text = kit_trimmed(req->arena, http_form(req, "tekst"));
    out->text_en = kit_trimmed(req->arena, http_form(req, "tekst_en"));
    out->help = kit_trimmed(req->arena, http_form(req, "hulp"));
    out->help_en = kit_trimmed(req->arena, http_form(req, "hulp_en"));
    out->required = http_form(req, "verplicht") != NULL;
    if (q_kind_parse(http_form(req, "soort"), &out->kind))
        kit_error(fe, "soort", _("Kies een soort vraag."));
    const char *opts = http_form(req, "opties");
    if (opts && strlen(opts) > OPTIONS_MAX) {
        kit_error(fe, "opties", _("Te veel tekst bij de opties."));
        return;
    }
    if (opts && (out->kind == Q_KEUZE || out->kind == Q_MEERKEUZE)) {
        out->options = arena_calloc(req->arena, Q_MAX_OPTIONS + 1, sizeof *out->options);
        const char *p = opts;
        while (*p && out->options) {
            const char *nl = strchr(p, '\n');
            size_t len = nl ? (size_t)(nl - p) : strlen(p);
            char *line = arena_strndup(req->arena, p, len);
            p += len + (nl ? 1 : 0);
            if (!line || !kit_trimmed(req->arena, line))
                continue;
            if (out->noptions == Q_MAX_OPTIONS + 1)
                break;
            struct q_option *o = &out->options[out->noptions++];
            char *bar1 = strchr(line, '|');
            char *bar2 = bar1 ? strchr(bar1 + 1, '|') : NULL;
            if (bar1)
                *bar1 = '\0';
            if (bar2)
                *bar2 = '\0';
            o->code = kit_trimmed(req->arena, line);
            o->label = bar1 ? kit_trimmed(req->arena, bar1 + 1) : NULL;
            o->label_en = bar2 ? kit_trimmed(req->arena, bar2 + 1) : NULL;
        }
        if (out->noptions > Q_MAX_OPTIONS)
            kit_error(fe, "opties", _("Te veel opties (hoogstens 20)."));
    }
    const char *ci = kit_trimmed(req->arena, http_form(req, "als_item"));
    const char *cv = http_form(req, "als_waarden");
    if (ci) {
        out->has_condition = true;
        out->cond.item = ci;
        out->cond.values = arena_calloc(req->arena, Q_MAX_COND_VALUES + 1, sizeof(char *));
        char *vals = arena_strdup(req->arena, cv ? cv : "");
        char *save = vals;
        while (save && *save && out->cond.values && out->cond.nvalues <= Q_MAX_COND_VALUES) {
            char *comma = strchr(save, ',');
            if (comma)
                *comma = '\0';
            const char *v = kit_trimmed(req->arena, save);
            if (v)
                out->cond.values[out->cond.nvalues++] = v;
            save = comma ? comma + 1 : NULL;
        }
        if (out->cond.nvalues == 0)
            kit_error(fe, "als_waarden", _("Noem bij welke antwoorden de vraag getoond wordt."));
        if (out->cond.nvalues > Q_MAX_COND_VALUES)
            kit_error(fe, "als_waarden", _("Te veel antwoorden (hoogstens 20)."));
    }
}

static const struct kit_field question_fields[] = {
    {"item", "item"},
    {"tekst", "tekst text"},
    {"opties", "opties options"},
    {"als_waarden", "als condition"},
};

/* Saves a question (new at the end of section, or replacing qi); errors go back to the form. */
static void save_question(struct http_req *req, struct survey *sv, struct questionnaire *q,
                          int section, int qi)
{
    struct form_errors fe = {0};
    struct q_question nq;
    read_question(req, &nq, &fe);
    if (fe.n > 0) {
        question_form(req, sv, q, section, qi, NULL, &fe, 422);
        return;
    }
    struct questionnaire edited = *q;
    int rc;
    if (qi >= 0) {
        struct q_question *copy = arena_calloc(req->arena, (size_t)q->nquestions, sizeof *copy);
        if (!copy) {
            page_error(req, 500, NULL);
            return;
        }
        memcpy(copy, q->questions, (size_t)q->nquestions * sizeof *copy);
        nq.section = copy[qi].section;
        copy[qi] = nq;
        edited.questions = copy;
        rc = 0;
    } else {
        rc = questionnaire_add_question(req->arena, &edited, section, &nq);
    }
    struct err_ctx e = {0};
    if (!rc)
        rc = questionnaire_validate(req->arena, &edited, &e);
    if (rc) {
        /* The validator names the question ("vraag 3 (x): ..."); show it at the closest field. */
        e.field = strstr(e.msg, "optie")        ? "opties"
                  : strstr(e.msg, "voorwaarde") ? "als_waarden"
                  : strstr(e.msg, "\"tekst")    ? "tekst"
                                                : "item";
        kit_error_add(&fe, &e, question_fields, (int)ARRAY_LEN(question_fields));
        question_form(req, sv, q, section, qi, NULL, &fe, 422);
        return;
    }
    int s = qi >= 0 ? q->questions[qi].section : section;
    save(
        req, sv, &edited,
        survey_path(req, sv->id, arena_printf(req->arena, "?melding=opgeslagen#sectie-%d", s + 1)));
}

static void question_edit_page(struct http_req *req)
{
    struct survey sv;
    struct questionnaire q;
    int qi;
    if (load_edit(req, &sv, &q, &qi, 0x7fffffff))
        return;
    if (qi >= q.nquestions) {
        page_error(req, 404, NULL);
        return;
    }
    question_form(req, &sv, &q, q.questions[qi].section, qi, &q.questions[qi], NULL, 200);
}

static void question_update(struct http_req *req)
{
    struct survey sv;
    struct questionnaire q;
    int qi;
    if (load_edit(req, &sv, &q, &qi, 0x7fffffff))
        return;
    if (qi >= q.nquestions) {
        page_error(req, 404, NULL);
        return;
    }
    save_question(req, &sv, &q, q.questions[qi].section, qi);
}

static void question_new_page(struct http_req *req)
{
    struct survey sv;
    struct questionnaire q;
    int s;
    if (load_edit(req, &sv, &q, &s, 0x7fffffff))
        return;
    if (s >= q.nsections) {
        page_error(req, 404, NULL);
        return;
    }
    question_form(req, &sv, &q, s, -1, NULL, NULL, 200);
}

static void question_create(struct http_req *req)
{
    struct survey sv;
    struct questionnaire q;
    int s;
    if (load_edit(req, &sv, &q, &s, 0x7fffffff))
        return;
    if (s >= q.nsections) {
        page_error(req, 404, NULL);
        return;
    }
    save_question(req, &sv, &q, s, -1);
}

/* ---- Section form. ------------------------------------------------------------------------- */

static void section_form(struct http_req *req, const struct survey *sv, int s,
                         const struct q_section *sec, const struct form_errors *fe, int status)
{
    bool posted = http_form(req, "titel") != NULL;
#define VAL(field, from) (posted ? http_form(req, field) : (sec ? (from) : NULL))
    const char *title = s >= 0 ? _("Stap bewerken") : _("Stap toevoegen");
    const struct crumb crumbs[] = {{_("Start"), "/"},
                                   {_("Enquêtes"), "/enquetes"},
                                   {sv->title, survey_path(req, sv->id, NULL)},
                                   {title, NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, title, crumbs, (int)ARRAY_LEN(crumbs));
    form_error_summary(&h, fe);
    kit_para(&h, _("Inwoners zien één stap per pagina, met de titel als kop."));
    form_begin(&h, req,
               s >= 0 ? survey_path(req, sv->id, arena_printf(req->arena, "/secties/%d", s + 1))
                      : survey_path(req, sv->id, "/secties"));
    version_field(&h, sv->version);
    form_input(&h, fe, "code", _("Code"), "text", VAL("code", sec->code),
               _("Kleine letters, cijfers en _, bijvoorbeeld toegang."), true, "off");
    form_input(&h, fe, "titel", _("Titel"), "text", VAL("titel", sec->title), NULL, true, "off");
    form_input(&h, fe, "titel_en", _("Titel in het Engels"), "text", VAL("titel_en", sec->title_en),
               NULL, false, "off");
    form_textarea(&h, fe, "intro", _("Inleiding"), VAL("intro", sec->intro), NULL);
    form_textarea(&h, fe, "intro_en", _("Inleiding in het Engels"), VAL("intro_en", sec->intro_en),
                  NULL);
#undef VAL
    if (s < 0) {
        kit_h2(&h, _("Eerste vraag van deze stap"));
        form_input(&h, fe, "item", _("Itemcode"), "text", http_form(req, "item"), NULL, true,
                   "off");
        struct form_option kinds[5];
        for (int k = Q_EENS5; k <= Q_OPEN; k++)
            kinds[k - 1] =
                (struct form_option){q_kind_code((enum q_kind)k), q_kind_label((enum q_kind)k)};
        form_select(&h, fe, "soort", _("Soort vraag"), kinds, 5, http_form(req, "soort"),
                    _("Opties en voorwaarden vult u daarna in bij Bewerken."));
        form_input(&h, fe, "tekst", _("Vraag"), "text", http_form(req, "tekst"), NULL, true, "off");
    }
    form_submit(&h, _("Stap opslaan"));
    form_end(&h);
    page_end(&h, req);
    page_send(req, &h, status);
}

static const struct kit_field section_fields[] = {
    {"code", "code"}, {"titel", "titel title"}, {"item", "item"}, {"tekst", "tekst"}};

static void section_save(struct http_req *req, bool create_new)
{
    struct survey sv;
    struct questionnaire q;
    int s = -1;
    if (load_edit(req, &sv, &q, create_new ? NULL : &s, 0x7fffffff))
        return;
    if (!create_new && s >= q.nsections) {
        page_error(req, 404, NULL);
        return;
    }
    struct q_section ns = {
        .code = kit_trimmed(req->arena, http_form(req, "code")),
        .title = kit_trimmed(req->arena, http_form(req, "titel")),
        .title_en = kit_trimmed(req->arena, http_form(req, "titel_en")),
        .intro = kit_trimmed(req->arena, http_form(req, "intro")),
        .intro_en = kit_trimmed(req->arena, http_form(req, "intro_en")),
    };
    struct form_errors fe = {0};
    struct err_ctx e = {0};
    struct questionnaire edited = q;
    int rc = 0;
    if (create_new) {
        struct q_question first = {.item = kit_trimmed(req->arena, http_form(req, "item")),
                                   .text = kit_trimmed(req->arena, http_form(req, "tekst"))};
        if (q_kind_parse(http_form(req, "soort"), &first.kind))
            first.kind = Q_OPEN;
        if (first.kind == Q_KEUZE || first.kind == Q_MEERKEUZE) {
            /* Choices need options: start with two that the author then renames. */
            static struct q_option two[2] = {{"optie_1", "Optie 1", NULL},
                                             {"optie_2", "Optie 2", NULL}};
            first.options = two;
            first.noptions = 2;
        }
        rc = questionnaire_add_section(req->arena, &edited, &ns, &first);
    } else {
        struct q_section *copy = arena_calloc(req->arena, (size_t)q.nsections, sizeof *copy);
        if (!copy) {
            page_error(req, 500, NULL);
            return;
        }
        memcpy(copy, q.sections, (size_t)q.nsections * sizeof *copy);
        ns.first = copy[s].first;
        ns.count = copy[s].count;
        copy[s] = ns;
        edited.sections = copy;
    }
    if (!rc)
        rc = questionnaire_validate(req->arena, &edited, &e);
    if (rc) {
        e.field = strstr(e.msg, "vraag")   ? (strstr(e.msg, "tekst") ? "tekst" : "item")
                  : strstr(e.msg, "titel") ? "titel"
                                           : "code";
        kit_error_add(&fe, &e, section_fields, (int)ARRAY_LEN(section_fields));
        section_form(req, &sv, s, NULL, &fe, 422);
        return;
    }
    int at = create_new ? edited.nsections : s + 1;
    save(req, &sv, &edited,
         survey_path(req, sv.id, arena_printf(req->arena, "?melding=opgeslagen#sectie-%d", at)));
}

static void section_edit_page(struct http_req *req)
{
    struct survey sv;
    struct questionnaire q;
    int s;
    if (load_edit(req, &sv, &q, &s, 0x7fffffff))
        return;
    if (s >= q.nsections) {
        page_error(req, 404, NULL);
        return;
    }
    section_form(req, &sv, s, &q.sections[s], NULL, 200);
}

static void section_new_page(struct http_req *req)
{
    struct survey sv;
    struct questionnaire q;
    if (load_edit(req, &sv, &q, NULL, 0))
        return;
    section_form(req, &sv, -1, NULL, NULL, 200);
}

static void section_update(struct http_req *req)
{
    section_save(req, false);
}

static void section_create(struct http_req *req)
{
    section_save(req, true);
}

/* ---- JSON. --------------------------------------------------------------------------------- */

static void json_form(struct http_req *req, const struct survey *sv, const char *text,
                      const struct form_errors *fe, int status)
{
    const struct crumb crumbs[] = {{_("Start"), "/"},
                                   {_("Enquêtes"), "/enquetes"},
                                   {sv->title, survey_path(req, sv->id, NULL)},
                                   {_("JSON"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Vragenlijst als JSON bewerken"), crumbs, (int)ARRAY_LEN(crumbs));
    form_error_summary(&h, fe);
    kit_para(&h, _("Voor wie de vragenlijst in één keer wil aanpassen of uit een ander systeem "
                   "overneemt. De opbouw staat in de handleiding (docs/surveys.md)."));
    form_begin(&h, req, survey_path(req, sv->id, "/json"));
    version_field(&h, sv->version);
    form_textarea(&h, fe, "document", _("Vragenlijst (JSON)"), text, NULL);
    form_submit(&h, _("Opslaan"));
    form_end(&h);
    page_end(&h, req);
    page_send(req, &h, status);
}

static void json_page(struct http_req *req)
{
    struct survey sv;
    struct questionnaire q;
    if (load_edit(req, &sv, &q, NULL, 0))
        return;
    json_form(req, &sv, sv.document, NULL, 200);
}

static void json_save(struct http_req *req)
{
    struct survey sv;
    struct questionnaire q;
    if (load_edit(req, &sv, &q, NULL, 0))
        return;
    const char *doc = http_form(req, "document");
    struct err_ctx e = {0};
    int rc = survey_update(req->app->store, &req->actor, sv.id, kit_id(http_form(req, "versie")),
                           doc, doc ? strlen(doc) : 0, &e);
    if (rc == ERR_INVALID || rc == ERR_TOO_BIG || rc == ERR_CONFLICT) {
        struct form_errors fe = {0};
        e.field = "document";
        form_error_add(&fe, &e);
        json_form(req, &sv, doc, &fe, rc == ERR_CONFLICT ? 409 : 422);
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req, survey_path(req, sv.id, "?melding=opgeslagen"));
}

/* ---- Preview. ------------------------------------------------------------------------------ */

static void preview_page(struct http_req *req)
{
    struct survey sv;
    struct questionnaire q;
    if (load(req, &sv, &q))
        return;
    int64_t step = 1;
    const char *st = http_query(req, "stap");
    if (st && str_parse_i64_c(st, 1, q.nsections, &step))
        step = 1;
    const char *lang = http_query(req, "taal");
    if (!lang || (strcmp(lang, "en") != 0))
        lang = "nl";
    const struct crumb crumbs[] = {{_("Start"), "/"},
                                   {_("Enquêtes"), "/enquetes"},
                                   {sv.title, survey_path(req, sv.id, NULL)},
                                   {_("Voorbeeld"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Voorbeeld voor inwoners"), crumbs, (int)ARRAY_LEN(crumbs));
    page_alert(&h, "info",
               _("Zo ziet een inwoner deze stap. Dit is een voorbeeld: er wordt niets "
                 "opgeslagen. Vragen met een voorwaarde staan er allemaal, met uitleg wanneer "
                 "ze getoond worden."));
    html_raw(&h, "<nav class=\"duiding-preview-steps\"");
    html_attr(&h, "aria-label", _("Stappen van de vragenlijst"));
    html_raw(&h, "><ol class=\"utrecht-ordered-list\">");
    for (int s = 0; s < q.nsections; s++) {
        html_raw(&h, "<li>");
        const char *href = arena_printf(
            req->arena, "/enquetes/%" PRId64 "/voorbeeld?stap=%d&taal=%s", sv.id, s + 1, lang);
        if (s + 1 == step) {
            html_raw(&h, "<span aria-current=\"step\">");
            html_text(&h, lang_text(req, q.sections[s].title, NULL));
            html_raw(&h, "</span>");
        } else {
            html_raw(&h, "<a class=\"utrecht-link\"");
            html_url_attr(&h, "href", href);
            html_raw(&h, ">");
            html_text(&h, q.sections[s].title);
            html_raw(&h, "</a>");
        }
        html_raw(&h, "</li>");
    }
    html_raw(&h, "</ol><p class=\"utrecht-paragraph\"><a class=\"utrecht-link\"");
    html_url_attr(&h, "href",
                  arena_printf(req->arena,
                               "/enquetes/%" PRId64 "/voorbeeld?stap=%" PRId64 "&taal=%s", sv.id,
                               step, strcmp(lang, "en") == 0 ? "nl" : "en"));
    html_raw(&h, ">");
    html_text(&h, strcmp(lang, "en") == 0 ? _("Toon in het Nederlands") : _("Toon in het Engels"));
    html_raw(&h, "</a></p></nav>");
    html_raw(&h, "<div class=\"duiding-survey-preview\"><p class=\"utrecht-paragraph\">");
    html_textf(&h, _("Stap %d van %d"), (int)step, q.nsections);
    html_raw(&h, "</p><form action=\"#\" method=\"get\" class=\"duiding-survey\">");
    struct survey_form_opts o = {.lang = lang, .preview = true};
    if (survey_form_render(&h, &q, (int)step - 1, &o) != 0) {
        html_raw(&h, "<p class=\"utrecht-paragraph\">");
        html_text(&h, _("Deze stap kan niet getoond worden."));
        html_raw(&h, "</p>");
    }
    html_raw(&h, "</form></div>");
    page_end(&h, req);
    page_send(req, &h, 200);
}

/* ---- Archive. ------------------------------------------------------------------------------ */

static void set_archived(struct http_req *req, bool archived)
{
    kit_set_archived(req, survey_set_archived, "/enquetes", archived);
}

static void archive(struct http_req *req)
{
    set_archived(req, true);
}

static void restore(struct http_req *req)
{
    set_archived(req, false);
}

const struct route survey_page_routes[] = {
    {"GET", "/enquetes", list_page, 0, "survey.list"},
    {"GET", "/enquetes/nieuw", new_page, 0, "survey.new"},
    {"POST", "/enquetes", create, 0, "survey.create"},
    {"GET", "/enquetes/{id}", view_page, 0, "survey.view"},
    {"GET", "/enquetes/{id}/voorbeeld", preview_page, 0, "survey.preview"},
    {"GET", "/enquetes/{id}/json", json_page, 0, "survey.json"},
    {"POST", "/enquetes/{id}/json", json_save, 0, "survey.json_save"},
    {"POST", "/enquetes/{id}/archiveren", archive, 0, "survey.archive"},
    {"POST", "/enquetes/{id}/herstellen", restore, 0, "survey.restore"},
    {"GET", "/enquetes/{id}/secties/nieuw", section_new_page, 0, "survey.section_new"},
    {"POST", "/enquetes/{id}/secties", section_create, 0, "survey.section_create"},
    {"GET", "/enquetes/{id}/secties/{id}", section_edit_page, 0, "survey.section_edit"},
    {"POST", "/enquetes/{id}/secties/{id}", section_update, 0, "survey.section_update"},
    {"POST", "/enquetes/{id}/secties/{id}/omhoog", section_up, 0, "survey.section_up"},
    {"POST", "/enquetes/{id}/secties/{id}/omlaag", section_down, 0, "survey.section_down"},
    {"POST", "/enquetes/{id}/secties/{id}/verwijderen", section_delete, 0, "survey.section_delete"},
    {"GET", "/enquetes/{id}/secties/{id}/vraag-nieuw", question_new_page, 0, "survey.question_new"},
    {"POST", "/enquetes/{id}/secties/{id}/vragen", question_create, 0, "survey.question_create"},
    {"GET", "/enquetes/{id}/vragen/{id}", question_edit_page, 0, "survey.question_edit"},
    {"POST", "/enquetes/{id}/vragen/{id}", question_update, 0, "survey.question_update"},
    {"POST", "/enquetes/{id}/vragen/{id}/omhoog", question_up, 0, "survey.question_up"},
    {"POST", "/enquetes/{id}/vragen/{id}/omlaag", question_down, 0, "survey.question_down"},
    {"POST", "/enquetes/{id}/vragen/{id}/verwijderen", question_delete, 0,
     "survey.question_delete"},
    ROUTES_END,
};
