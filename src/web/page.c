/*
 * page.c: the shared page frame and form/table building blocks. Markup follows the NL Design
 * System (Utrecht components) so the look comes from utrecht.css plus duiding's own theme.
 */
#include "web/page.h"
#include "core/common.h"
#include "domain/policy.h"
#include "web/dispatch.h"

struct nav_item {
    const char *href;
    const char *label; /* msgid */
    enum object_kind obj;
    const char *also; /* another path prefix that belongs to this item, or NULL */
};

/* The main menu follows the cycle of DESIGN.md §2 in groups, so it stays one line on a laptop;
 * the items of the current group show as a second line. A group with one visible item shows
 * under that item's own name. */
struct nav_group {
    const char *label; /* msgid */
    struct nav_item items[4];
};

static const struct nav_group nav[] = {
    {N_("Resultaten"),
     {{"/resultaten", N_("Resultaten"), OBJ_RESULT, NULL},
      {"/raadsrapportage", N_("Raadsrapportage"), OBJ_RESULT, NULL}}},
    /* Figures: every user whose policy figure scope is not empty. */
    {N_("Cijfers"),
     {{"/dashboard", N_("Dashboard"), OBJ_FIGURES, NULL},
      {"/indicatoren", N_("Indicatoren"), OBJ_FIGURES, NULL}}},
    {N_("Tellen en vertellen"),
     {{"/enquetes", N_("Enquêtes"), OBJ_SURVEY, NULL},
      {"/verhalen", N_("Verhalen"), OBJ_STORY, NULL},
      {"/context", N_("Context"), OBJ_CONTEXT_EVENT, NULL}}},
    {N_("Gesprekken"),
     {{"/gesprekken", N_("Gesprekken"), OBJ_CONVERSATION, NULL},
      {"/acties", N_("Acties"), OBJ_ACTION, NULL}}},
    {N_("Kwaliteit"),
     {{"/kwaliteitskader", N_("Kwaliteitskader"), OBJ_FRAMEWORK, NULL},
      {"/aanbieders", N_("Aanbieders en toetsing"), OBJ_REVIEW, "/toetsingen"},
      {"/contracten", N_("Contracten"), OBJ_CONTRACT, NULL}}},
    /* Data intake: beheerder, contract/beleid of a gemeente or region, kwaliteit of an aanbieder
     * (policy: list import batches). */
    {N_("Gegevens"), {{"/gegevens", N_("Gegevens"), OBJ_IMPORT_BATCH, NULL}}},
    {N_("Beheer"),
     {{"/organisaties", N_("Organisaties"), OBJ_ORGANISATION, NULL},
      {"/gebruikers", N_("Gebruikers"), OBJ_USER, NULL},
      {"/audit", N_("Auditlog"), OBJ_AUDIT, NULL}}},
};

static bool nav_visible(struct http_req *req, const struct nav_item *it)
{
    if (!it->href)
        return false;
    struct object_ref o = {
        .kind = it->obj, .owner_org_id = req->actor.org_id, .owner_org_kind = req->actor.org_kind};
    /* Users: the list is for beheerders; others see colleagues through their account page. */
    if (it->obj == OBJ_USER && !(req->actor.roles & ROLE_BEHEERDER))
        return false;
    return policy_allows(&req->actor, ACT_LIST, &o);
}

static bool under(const char *path, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(path, prefix, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static bool is_current(struct http_req *req, const struct nav_item *it)
{
    return under(req->path, it->href) || (it->also && under(req->path, it->also));
}

static void lang_switch(struct html *h, struct http_req *req)
{
    bool en = req->lang && strcmp(req->lang, "en") == 0;
    html_raw(h, "<form class=\"duiding-lang\" method=\"post\" action=\"/taal\">");
    html_raw(h, "<input type=\"hidden\" name=\"csrf\"");
    html_attr(h, "value", req->csrf_token);
    html_raw(h, "><input type=\"hidden\" name=\"terug\"");
    html_attr(h, "value", req->path);
    html_raw(h, ">");
    if (en)
        html_raw(h, "<button class=\"utrecht-button utrecht-button--subtle\" type=\"submit\" "
                    "name=\"taal\" value=\"nl\" lang=\"nl\">Nederlands</button>");
    else
        html_raw(h, "<button class=\"utrecht-button utrecht-button--subtle\" type=\"submit\" "
                    "name=\"taal\" value=\"en\" lang=\"en\">English</button>");
    html_raw(h, "</form>");
}

void page_begin(struct html *h, struct http_req *req, const char *title, const struct crumb *crumbs,
                int ncrumbs)
{
    page_begin_refresh(h, req, title, crumbs, ncrumbs, 0);
}

void page_begin_refresh(struct html *h, struct http_req *req, const char *title,
                        const struct crumb *crumbs, int ncrumbs, int refresh_seconds)
{
    html_raw(h, "<!DOCTYPE html>\n<html");
    html_attr(h, "lang", req->lang ? req->lang : "nl");
    html_raw(h, " class=\"utrecht-root duiding-theme\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                "<title>");
    html_text(h, title);
    html_raw(h, " – duiding</title>"
                "<link rel=\"stylesheet\" href=\"/static/utrecht.css\">"
                "<link rel=\"stylesheet\" href=\"/static/duiding-theme.css\">"
                "<link rel=\"stylesheet\" href=\"/static/duiding.css\">"
                "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">"
                "<script src=\"/static/duiding.js\" defer></script>");
    if (refresh_seconds > 0) {
        /* Only without JavaScript: with it, the page updates itself instead of reloading. */
        html_raw(h, "<noscript><meta http-equiv=\"refresh\" content=\"");
        html_int(h, refresh_seconds);
        html_raw(h, "\"></noscript>");
    }
    html_raw(h, "</head><body class=\"utrecht-body\">");
    html_raw(h, "<a class=\"utrecht-skip-link utrecht-skip-link--visible-on-focus\" "
                "href=\"#inhoud\">");
    html_text(h, _("Naar de inhoud"));
    html_raw(h, "</a><div class=\"utrecht-page-layout\"><header class=\"utrecht-page-header "
                "duiding-header\"><div class=\"utrecht-page-header__content duiding-header__bar\">"
                "<a class=\"duiding-brand\" href=\"/\">duiding</a>");
    if (req->actor.user_id) {
        html_raw(h, "<span class=\"duiding-whoami\">");
        html_text(h, req->actor.display_name);
        html_raw(h, "</span>");
    }
    lang_switch(h, req);
    if (req->actor.user_id) {
        html_raw(h, "<a class=\"utrecht-link duiding-account-link\" href=\"/account\">");
        html_text(h, _("Mijn account"));
        html_raw(h, "</a>");
        form_button(h, req, "/uitloggen", _("Uitloggen"), false);
    }
    html_raw(h, "</div>");
    if (req->actor.user_id) {
        html_raw(h, "<nav class=\"utrecht-nav-bar duiding-nav\" aria-label=\"");
        html_text(h, _("Hoofdmenu"));
        html_raw(h, "\"><ul class=\"utrecht-nav-list\"><li class=\"utrecht-nav-list__item\">"
                    "<a class=\"utrecht-nav-list__link\" href=\"/\"");
        if (strcmp(req->path, "/") == 0)
            html_raw(h, " aria-current=\"page\"");
        html_raw(h, ">");
        html_text(h, _("Start"));
        html_raw(h, "</a></li>");
        const struct nav_group *current = NULL;
        for (size_t g = 0; g < ARRAY_LEN(nav); g++) {
            const struct nav_item *first = NULL;
            int nvisible = 0;
            bool here = false;
            for (size_t i = 0; i < ARRAY_LEN(nav[g].items); i++) {
                const struct nav_item *it = &nav[g].items[i];
                if (!nav_visible(req, it))
                    continue;
                if (!first)
                    first = it;
                nvisible++;
                here = here || is_current(req, it);
            }
            if (!first)
                continue;
            if (here && nvisible > 1)
                current = &nav[g];
            html_raw(h, "<li class=\"utrecht-nav-list__item\"><a class=\"utrecht-nav-list__link\"");
            html_url_attr(h, "href", first->href);
            if (here && strcmp(req->path, first->href) == 0)
                html_raw(h, " aria-current=\"page\"");
            else if (here)
                html_raw(h, " aria-current=\"true\"");
            html_raw(h, ">");
            html_text(h, _(nvisible > 1 ? nav[g].label : first->label));
            html_raw(h, "</a></li>");
        }
        html_raw(h, "</ul></nav>");
        if (current) {
            html_raw(h, "<nav class=\"duiding-subnav\" aria-label=\"");
            html_text(h, _(current->label));
            html_raw(h, "\"><ul>");
            for (size_t i = 0; i < ARRAY_LEN(current->items); i++) {
                const struct nav_item *it = &current->items[i];
                if (!nav_visible(req, it))
                    continue;
                html_raw(h, "<li><a class=\"utrecht-link\"");
                html_url_attr(h, "href", it->href);
                if (is_current(req, it))
                    html_raw(h, " aria-current=\"page\"");
                html_raw(h, ">");
                html_text(h, _(it->label));
                html_raw(h, "</a></li>");
            }
            html_raw(h, "</ul></nav>");
        }
    }
    html_raw(h, "</header><div class=\"utrecht-page-body\"><div class=\"utrecht-page-body__content "
                "duiding-content\">");
    if (ncrumbs > 0) {
        html_raw(h, "<nav class=\"utrecht-breadcrumb-nav\" aria-label=\"");
        html_text(h, _("Kruimelpad"));
        html_raw(
            h,
            "\"><ol class=\"utrecht-breadcrumb-nav__list utrecht-breadcrumb-nav__list--html-ol\">");
        for (int i = 0; i < ncrumbs; i++) {
            html_raw(h, "<li class=\"utrecht-breadcrumb-nav__item\">");
            if (crumbs[i].href) {
                html_raw(h, "<a class=\"utrecht-breadcrumb-nav__link\"");
                html_url_attr(h, "href", crumbs[i].href);
                html_raw(h, ">");
                html_text(h, crumbs[i].label);
                html_raw(h, "</a>");
            } else {
                html_raw(h, "<span class=\"utrecht-breadcrumb-nav__link "
                            "utrecht-breadcrumb-nav__link--current\" aria-current=\"page\">");
                html_text(h, crumbs[i].label);
                html_raw(h, "</span>");
            }
            html_raw(h, "</li>");
        }
        html_raw(h, "</ol></nav>");
    }
    html_raw(h, "<main id=\"inhoud\" class=\"duiding-main\" tabindex=\"-1\">"
                "<h1 class=\"utrecht-heading-1\">");
    html_text(h, title);
    html_raw(h, "</h1>");
}

void page_end(struct html *h, struct http_req *req)
{
    UNUSED(req);
    html_raw(h, "</main></div></div><footer class=\"utrecht-page-footer duiding-footer\">"
                "<div class=\"utrecht-page-footer__content\"><p class=\"utrecht-paragraph\">");
    html_text(h, _("duiding – samen leren over maatschappelijke resultaten in het sociaal domein"));
    html_raw(h, "</p><p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" "
                "href=\"/toegankelijkheid\">");
    html_text(h, _("Toegankelijkheid"));
    html_raw(h, "</a> · <a class=\"utrecht-link\" href=\"/api/v1/openapi.json\">");
    html_text(h, _("API-documentatie (OpenAPI)"));
    html_raw(h, "</a></p></div></footer></div></body></html>\n");
}

void page_send(struct http_req *req, struct html *h, int status)
{
    if (html_error(h)) {
        html_release(h);
        http_resp_text(req, 500, _("De pagina is te groot om te tonen."));
        return;
    }
    http_resp_html(req, status, buf_cstr(&h->b), h->b.len);
    html_release(h);
}

void page_error(struct http_req *req, int status, const char *detail)
{
    const char *title, *text;
    switch (status) {
    case 403:
        title = _("Geen toegang");
        text = _("U heeft geen rechten voor deze pagina of deze actie.");
        break;
    case 404:
        title = _("Pagina niet gevonden");
        text =
            _("Deze pagina bestaat niet (meer). Controleer het adres of ga naar de startpagina.");
        break;
    case 405:
        title = _("Niet toegestaan");
        text = _("Deze pagina kan zo niet worden gebruikt.");
        break;
    case 409:
        title = _("Conflict");
        text = _("Iemand anders heeft dit intussen gewijzigd.");
        break;
    case 503:
        title = _("Even geduld");
        text = _("Het is nu te druk. Probeer het over een paar seconden opnieuw.");
        break;
    default:
        title = _("Er ging iets mis");
        text = _("Er is een fout opgetreden. Probeer het later opnieuw.");
        break;
    }
    struct html h;
    html_init(&h);
    page_begin(&h, req, title, NULL, 0);
    html_raw(&h, "<p class=\"utrecht-paragraph\">");
    html_text(&h, detail ? detail : text);
    html_raw(&h, "</p><p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" href=\"/\">");
    html_text(&h, _("Naar de startpagina"));
    html_raw(&h, "</a></p>");
    if (req->rid) {
        html_raw(&h, "<p class=\"utrecht-paragraph duiding-muted\">");
        html_text(&h, _("Foutcode voor de beheerder:"));
        html_raw(&h, " <code>");
        html_text(&h, req->rid);
        html_raw(&h, "</code></p>");
    }
    page_end(&h, req);
    page_send(req, &h, status);
}

void page_alert(struct html *h, const char *kind, const char *message)
{
    bool err = strcmp(kind, "error") == 0;
    html_raw(h, "<div class=\"utrecht-alert utrecht-alert--");
    html_text(h, kind);
    html_raw(h, "\"");
    if (err)
        html_raw(h, " role=\"alert\"");
    else
        html_raw(h, " role=\"status\"");
    html_raw(h, "><div class=\"utrecht-alert__content\"><div class=\"utrecht-alert__message\">"
                "<p class=\"utrecht-paragraph\">");
    html_text(h, message);
    html_raw(h, "</p></div></div></div>");
}

void page_flash(struct html *h, struct http_req *req)
{
    static const struct {
        const char *code, *msg;
    } flashes[] = {
        {"opgeslagen", N_("De wijzigingen zijn opgeslagen.")},
        {"aangemaakt", N_("Aangemaakt.")},
        {"gearchiveerd", N_("Gearchiveerd.")},
        {"hersteld", N_("Teruggezet uit het archief.")},
        {"gedeactiveerd", N_("Het account is gedeactiveerd.")},
        {"geactiveerd", N_("Het account is weer actief.")},
        {"uitgelogd", N_("U bent uitgelogd.")},
        {"wachtwoord", N_("Uw wachtwoord is gewijzigd.")},
        {"ingetrokken", N_("Het token is ingetrokken.")},
    };
    const char *m = http_query(req, "melding");
    if (!m)
        return;
    for (size_t i = 0; i < ARRAY_LEN(flashes); i++)
        if (strcmp(m, flashes[i].code) == 0)
            page_alert(h, "ok", _(flashes[i].msg));
}

void form_error_add(struct form_errors *fe, const struct err_ctx *e)
{
    if (fe->n < (int)ARRAY_LEN(fe->items))
        fe->items[fe->n++] = *e;
}

const char *form_error_for(const struct form_errors *fe, const char *field)
{
    if (!fe)
        return NULL;
    for (int i = 0; i < fe->n; i++)
        if (fe->items[i].field && strcmp(fe->items[i].field, field) == 0)
            return fe->items[i].msg;
    return NULL;
}

void form_begin(struct html *h, struct http_req *req, const char *action)
{
    html_raw(h, "<form class=\"utrecht-form\" method=\"post\" novalidate");
    html_url_attr(h, "action", action);
    html_raw(h, "><input type=\"hidden\" name=\"csrf\"");
    html_attr(h, "value", req->csrf_token);
    html_raw(h, ">");
}

void form_end(struct html *h)
{
    html_raw(h, "</form>");
}

void form_error_summary(struct html *h, const struct form_errors *fe)
{
    if (!fe || fe->n == 0)
        return;
    html_raw(h, "<div class=\"utrecht-alert utrecht-alert--error duiding-error-summary\" "
                "role=\"alert\" tabindex=\"-1\"><div class=\"utrecht-alert__content\">"
                "<div class=\"utrecht-alert__message\"><h2 class=\"utrecht-heading-2\">");
    html_text(h, _("Er is een probleem"));
    html_raw(h, "</h2><ul class=\"utrecht-unordered-list\">");
    for (int i = 0; i < fe->n; i++) {
        html_raw(h, "<li>");
        if (fe->items[i].field) {
            html_raw(h, "<a class=\"utrecht-link\" href=\"#veld-");
            html_text(h, fe->items[i].field);
            html_raw(h, "\">");
            html_text(h, fe->items[i].msg);
            html_raw(h, "</a>");
        } else {
            html_text(h, fe->items[i].msg);
        }
        html_raw(h, "</li>");
    }
    html_raw(h, "</ul></div></div></div>");
}

void form_sentence(struct html *h, const char *msg)
{
    if (msg[0] >= 'a' && msg[0] <= 'z') {
        char first[2] = {(char)(msg[0] - 'a' + 'A'), '\0'};
        html_text(h, first);
        msg++;
    }
    html_text(h, msg);
}

/* Opening of a form field: wrapper, label, hint and error message with ids for aria. */
void form_field_open(struct html *h, const char *name, const char *label, const char *hint,
                     const char *error, bool required)
{
    html_raw(h, "<div class=\"utrecht-form-field utrecht-form-field--text");
    if (error)
        html_raw(h, " utrecht-form-field--invalid");
    html_raw(h, "\"><div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
                "for=\"veld-");
    html_text(h, name);
    html_raw(h, "\">");
    html_text(h, label);
    if (!required) {
        html_raw(h, " <span class=\"duiding-optional\">(");
        html_text(h, _("niet verplicht"));
        html_raw(h, ")</span>");
    }
    html_raw(h, "</label></div>");
    if (hint) {
        html_raw(h, "<div class=\"utrecht-form-field-description utrecht-form-field__description\" "
                    "id=\"hint-");
        html_text(h, name);
        html_raw(h, "\">");
        html_text(h, hint);
        html_raw(h, "</div>");
    }
    if (error) {
        html_raw(h, "<div class=\"utrecht-form-field-error-message "
                    "utrecht-form-field__error-message\" id=\"fout-");
        html_text(h, name);
        html_raw(h, "\">");
        form_sentence(h, error);
        html_raw(h, "</div>");
    }
}

void form_described_by(struct html *h, const char *name, const char *hint, const char *error)
{
    if (!hint && !error)
        return;
    html_raw(h, " aria-describedby=\"");
    if (hint) {
        html_raw(h, "hint-");
        html_text(h, name);
    }
    if (error) {
        if (hint)
            html_raw(h, " ");
        html_raw(h, "fout-");
        html_text(h, name);
    }
    html_raw(h, "\"");
}

void form_input(struct html *h, const struct form_errors *fe, const char *name, const char *label,
                const char *type, const char *value, const char *hint, bool required,
                const char *autocomplete)
{
    const char *error = form_error_for(fe, name);
    form_field_open(h, name, label, hint, error, required);
    html_raw(h, "<div class=\"utrecht-form-field__input\"><input class=\"utrecht-textbox "
                "utrecht-textbox--html-input");
    if (error)
        html_raw(h, " utrecht-textbox--invalid");
    html_raw(h, "\"");
    html_attr(h, "type", type);
    html_raw(h, " id=\"veld-");
    html_text(h, name);
    html_raw(h, "\"");
    html_attr(h, "name", name);
    if (value && strcmp(type, "password") != 0)
        html_attr(h, "value", value);
    html_attr(h, "autocomplete", autocomplete);
    html_attr_bool(h, "required", required);
    if (error)
        html_raw(h, " aria-invalid=\"true\"");
    form_described_by(h, name, hint, error);
    html_raw(h, "></div></div>");
}

static void textarea(struct html *h, const struct form_errors *fe, const char *name,
                     const char *label, const char *value, const char *hint, bool required)
{
    const char *error = form_error_for(fe, name);
    form_field_open(h, name, label, hint, error, required);
    html_raw(h, "<div class=\"utrecht-form-field__input\"><textarea class=\"utrecht-textarea "
                "utrecht-textarea--html-textarea\" rows=\"6\" id=\"veld-");
    html_text(h, name);
    html_raw(h, "\"");
    html_attr(h, "name", name);
    if (error)
        html_raw(h, " aria-invalid=\"true\"");
    form_described_by(h, name, hint, error);
    html_attr_bool(h, "required", required);
    html_raw(h, ">");
    html_text(h, value);
    html_raw(h, "</textarea></div></div>");
}

void form_textarea(struct html *h, const struct form_errors *fe, const char *name,
                   const char *label, const char *value, const char *hint)
{
    textarea(h, fe, name, label, value, hint, false);
}

void form_textarea_required(struct html *h, const struct form_errors *fe, const char *name,
                            const char *label, const char *value, const char *hint)
{
    textarea(h, fe, name, label, value, hint, true);
}

void form_select(struct html *h, const struct form_errors *fe, const char *name, const char *label,
                 const struct form_option *opts, int nopts, const char *selected, const char *hint)
{
    const char *error = form_error_for(fe, name);
    form_field_open(h, name, label, hint, error, true);
    html_raw(h, "<div class=\"utrecht-form-field__input\"><select class=\"utrecht-select "
                "utrecht-select--html-select\" id=\"veld-");
    html_text(h, name);
    html_raw(h, "\"");
    html_attr(h, "name", name);
    if (error)
        html_raw(h, " aria-invalid=\"true\"");
    form_described_by(h, name, hint, error);
    html_raw(h, ">");
    for (int i = 0; i < nopts; i++) {
        html_raw(h, "<option");
        html_attr(h, "value", opts[i].value);
        html_attr_bool(h, "selected", selected && strcmp(selected, opts[i].value) == 0);
        html_raw(h, ">");
        html_text(h, opts[i].label);
        html_raw(h, "</option>");
    }
    html_raw(h, "</select></div></div>");
}

void form_checkboxes(struct html *h, const struct form_errors *fe, const char *name,
                     const char *legend, const struct form_option *opts, int nopts,
                     const bool *checked)
{
    const char *error = form_error_for(fe, name);
    html_raw(h, "<fieldset class=\"utrecht-form-fieldset utrecht-form-fieldset--html-fieldset");
    if (error)
        html_raw(h, " utrecht-form-fieldset--invalid");
    html_raw(h, "\" id=\"veld-");
    html_text(h, name);
    html_raw(h, "\"><legend class=\"utrecht-form-fieldset__legend "
                "utrecht-form-fieldset__legend--html-legend\">");
    html_text(h, legend);
    html_raw(h, "</legend>");
    if (error) {
        html_raw(h, "<div class=\"utrecht-form-field-error-message\">");
        html_text(h, error);
        html_raw(h, "</div>");
    }
    for (int i = 0; i < nopts; i++) {
        html_raw(h, "<div class=\"utrecht-form-field utrecht-form-field--checkbox\">"
                    "<div class=\"utrecht-form-field__input\"><input type=\"checkbox\" "
                    "class=\"utrecht-checkbox utrecht-checkbox--html-input\"");
        html_attr(h, "name", name);
        html_attr(h, "value", opts[i].value);
        html_raw(h, " id=\"veld-");
        html_text(h, name);
        html_raw(h, "-");
        html_text(h, opts[i].value);
        html_raw(h, "\"");
        html_attr_bool(h, "checked", checked && checked[i]);
        html_raw(
            h, "></div><div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label "
               "utrecht-form-label--checkbox\" for=\"veld-");
        html_text(h, name);
        html_raw(h, "-");
        html_text(h, opts[i].value);
        html_raw(h, "\">");
        html_text(h, opts[i].label);
        html_raw(h, "</label></div></div>");
    }
    html_raw(h, "</fieldset>");
}

void form_submit(struct html *h, const char *label)
{
    html_raw(h, "<div class=\"utrecht-button-group\"><button type=\"submit\" "
                "class=\"utrecht-button utrecht-button--primary-action\">");
    html_text(h, label);
    html_raw(h, "</button></div>");
}

void form_button(struct html *h, struct http_req *req, const char *action, const char *label,
                 bool danger)
{
    html_raw(h, "<form class=\"duiding-inline-form\" method=\"post\"");
    html_url_attr(h, "action", action);
    html_raw(h, "><input type=\"hidden\" name=\"csrf\"");
    html_attr(h, "value", req->csrf_token);
    html_raw(h, "><button type=\"submit\" class=\"utrecht-button ");
    if (danger)
        html_raw(h, "utrecht-button--secondary-action utrecht-button--danger");
    else
        html_raw(h, "utrecht-button--secondary-action");
    html_raw(h, "\">");
    html_text(h, label);
    html_raw(h, "</button></form>");
}

void table_begin(struct html *h, const char *caption, const char *const *headers, int nheaders)
{
    /* On a phone the table scrolls sideways inside its container (duiding.css): the container
     * is focusable and named after the caption, so keyboard users can scroll it too (WCAG
     * 2.1.1; axe: scrollable-region-focusable), as in page_framework.c. */
    html_raw(h, "<div class=\"utrecht-table-container utrecht-table-container--overflow-inline\" "
                "tabindex=\"0\"");
    if (caption) {
        html_raw(h, " role=\"group\"");
        html_attr(h, "aria-label", caption);
    }
    html_raw(h, "><table class=\"utrecht-table utrecht-table--html-table\">");
    if (caption) {
        html_raw(h, "<caption class=\"utrecht-table__caption\">");
        html_text(h, caption);
        html_raw(h, "</caption>");
    }
    html_raw(h, "<thead class=\"utrecht-table__header\"><tr class=\"utrecht-table__row\">");
    for (int i = 0; i < nheaders; i++) {
        html_raw(h, "<th scope=\"col\" class=\"utrecht-table__header-cell\">");
        html_text(h, headers[i]);
        html_raw(h, "</th>");
    }
    html_raw(h, "</tr></thead><tbody class=\"utrecht-table__body\">");
}

void table_row_begin(struct html *h)
{
    html_raw(h, "<tr class=\"utrecht-table__row\">");
}

void table_cell(struct html *h, const char *text)
{
    html_raw(h, "<td class=\"utrecht-table__cell\">");
    html_text(h, text);
    html_raw(h, "</td>");
}

void table_cell_link(struct html *h, const char *href, const char *text)
{
    html_raw(h, "<td class=\"utrecht-table__cell\"><a class=\"utrecht-link\"");
    html_url_attr(h, "href", href);
    html_raw(h, ">");
    html_text(h, text);
    html_raw(h, "</a></td>");
}

void table_row_end(struct html *h)
{
    html_raw(h, "</tr>");
}

void table_end(struct html *h)
{
    html_raw(h, "</tbody></table></div>");
}

/* One pager link: path may already carry a query (list filters), so join with '?' or '&'. */
static void pager_link(struct html *h, const char *path, int offset, const char *rel,
                       const char *label)
{
    struct buf b;
    buf_init(&b, BUF_MAX_SMALL);
    if (buf_appendf(&b, "%s%coffset=%d", path, strchr(path, '?') ? '&' : '?', offset) == 0) {
        html_raw(h, "<a class=\"utrecht-link\"");
        html_attr(h, "rel", rel);
        html_url_attr(h, "href", buf_cstr(&b));
        html_raw(h, ">");
        html_text(h, label);
        html_raw(h, "</a>");
    }
    buf_release(&b);
}

void page_pager(struct html *h, const char *path, int offset, int limit, int total)
{
    if (total <= limit)
        return;
    html_raw(h, "<nav class=\"duiding-pager\" aria-label=\"");
    html_text(h, _("Paginering"));
    html_raw(h, "\"><p class=\"utrecht-paragraph\">");
    if (offset > 0) {
        pager_link(h, path, offset - limit < 0 ? 0 : offset - limit, "prev", _("Vorige"));
        html_raw(h, " ");
    }
    html_raw(h, "<span class=\"duiding-pager__status\">");
    html_textf(h, _("%d–%d van %d"), offset + 1, offset + limit > total ? total : offset + limit,
               total);
    html_raw(h, "</span>");
    if (offset + limit < total) {
        html_raw(h, " ");
        pager_link(h, path, offset + limit, "next", _("Volgende"));
    }
    html_raw(h, "</p></nav>");
}
