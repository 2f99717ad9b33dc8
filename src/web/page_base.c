/*
 * page_base.c: pages every user meets: the role-fitting home page, the language switch,
 * static assets, the health check and the accessibility statement.
 */
#include "core/common.h"
#include "core/resource.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "domain/result.h"
#include "domain/user.h"
#include "web/dispatch.h"
#include "web/i18n.h"
#include "web/page.h"
#include "web/router.h"

static void home_card(struct html *h, const char *href, const char *title, const char *text)
{
    html_raw(
        h, "<li class=\"duiding-card\"><h2 class=\"utrecht-heading-3\"><a class=\"utrecht-link\"");
    html_url_attr(h, "href", href);
    html_raw(h, ">");
    html_text(h, title);
    html_raw(h, "</a></h2><p class=\"utrecht-paragraph\">");
    html_text(h, text);
    html_raw(h, "</p></li>");
}

static void own_results(struct html *h, struct http_req *req)
{
    struct result_filter f = {.owner_org_id = req->actor.org_id, .limit = 10};
    struct result *rs = NULL;
    int n = 0, total = 0;
    if (result_list(req->arena, req->app->store, &req->actor, &f, &rs, &n, &total) != 0)
        return;
    html_raw(h, "<section class=\"duiding-section\"><h2 class=\"utrecht-heading-2\">");
    html_text(h, _("Maatschappelijke resultaten van uw organisatie"));
    html_raw(h, "</h2>");
    if (n == 0) {
        html_raw(h, "<p class=\"utrecht-paragraph\">");
        html_text(h, _("Er zijn nog geen resultaten vastgelegd."));
        html_raw(h, "</p>");
    } else {
        html_raw(h, "<ul class=\"utrecht-unordered-list\">");
        for (int i = 0; i < n; i++) {
            char href[64];
            snprintf(href, sizeof href, "/resultaten/%" PRId64, rs[i].id);
            html_raw(h, "<li><a class=\"utrecht-link\"");
            html_url_attr(h, "href", href);
            html_raw(h, ">");
            html_text(h, rs[i].title);
            html_raw(h, "</a> <span class=\"duiding-muted\">(");
            html_text(h, theme_label(rs[i].theme));
            html_textf(h, ", %d–%d", rs[i].start_year, rs[i].end_year);
            html_raw(h, ")</span></li>");
        }
        html_raw(h, "</ul>");
    }
    html_raw(h, "</section>");
}

static void home(struct http_req *req)
{
    struct html h;
    struct org org;
    uint32_t roles = req->actor.roles;
    html_init(&h);
    page_begin(&h, req, _("Start"), NULL, 0);
    page_flash(&h, req);
    html_raw(&h, "<p class=\"utrecht-paragraph duiding-lead\">");
    if (org_get_internal(req->arena, req->app->store, req->actor.org_id, &org) == 0) {
        html_textf(&h, _("Welkom, %s."), req->actor.display_name ? req->actor.display_name : "");
        html_raw(&h, " ");
        html_textf(&h, _("U werkt namens %s (%s)."), org.name, org_kind_label(org.kind));
    }
    html_raw(&h, "</p><ul class=\"duiding-cards\">");
    if (roles & ROLE_BELEID)
        home_card(&h, "/resultaten/nieuw", _("Nieuw maatschappelijk resultaat"),
                  _("Leg vast wat uw gemeente of regio wil bereiken: de stip op de horizon."));
    home_card(&h, "/resultaten", _("Maatschappelijke resultaten"),
              _("De resultaten die gemeenten en de regio nastreven, per thema en periode."));
    struct object_ref figures = {.kind = OBJ_FIGURES,
                                 .owner_org_id = req->actor.org_id,
                                 .owner_org_kind = req->actor.org_kind};
    if (policy_allows(&req->actor, ACT_VIEW, &figures)) {
        home_card(&h, "/dashboard", _("Dashboard"),
                  _("De belangrijkste cijfers in één overzicht, met streefwaarden en vergelijking "
                    "in de regio."));
        home_card(&h, "/indicatoren", _("Indicatoren"),
                  _("Alle uitkomstcijfers: verloop, verschillen tussen groepen en hoe ze "
                    "berekend worden."));
    }
    struct object_ref batches = {.kind = OBJ_IMPORT_BATCH,
                                 .owner_org_id = req->actor.org_id,
                                 .owner_org_kind = req->actor.org_kind};
    if (policy_allows(&req->actor, ACT_CREATE, &batches))
        home_card(&h, "/gegevens", _("Gegevens"),
                  _("Berichten en registratie-exports aanleveren en zien wat er is ingelezen."));
    home_card(&h, "/organisaties", _("Organisaties"),
              _("Gemeenten, regio, aanbieders, toegangsteams en toezichthouder."));
    if (roles & ROLE_BEHEERDER) {
        home_card(&h, "/gebruikers", _("Gebruikers"),
                  _("Accounts aanmaken, rollen toekennen en wachtwoorden opnieuw instellen."));
        home_card(&h, "/audit", _("Auditlog"),
                  _("Wie heeft wanneer wat gedaan: inloggen en alle wijzigingen."));
    }
    home_card(&h, "/account", _("Mijn account"),
              _("Uw wachtwoord, taal en API-tokens voor gegevenslevering."));
    html_raw(&h, "</ul>");
    if (req->actor.org_kind == ORG_GEMEENTE || req->actor.org_kind == ORG_REGION)
        own_results(&h, req);
    page_end(&h, req);
    page_send(req, &h, 200);
}

static void health(struct http_req *req)
{
    http_resp_text(req, 200, "ok");
}

static const char *content_type_for(const char *name)
{
    const char *dot = strrchr(name, '.');
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".css", "text/css; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".svg", "image/svg+xml"},           {".png", "image/png"},
        {".json", "application/json"},       {".woff2", "font/woff2"},
    };
    for (size_t i = 0; dot && i < ARRAY_LEN(types); i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

static void static_asset(struct http_req *req)
{
    char name[128];
    const char *file = req->nparams ? req->params[0] : "";
    int n = snprintf(name, sizeof name, "static/%s", file);
    const struct resource *r = NULL;
    if (n > 0 && (size_t)n < sizeof name && !strstr(file, ".."))
        r = resource_find(name);
    if (!r) {
        http_resp_text(req, 404, "Not found");
        return;
    }
    http_resp_static(req, content_type_for(name), r->data, r->len);
}

/* POST /taal: remembers the language in a cookie and, for a logged-in user, in the account. */
static void set_language(struct http_req *req)
{
    const char *lang = http_form(req, "taal");
    const char *back = http_form(req, "terug");
    if (!i18n_supported(lang)) {
        page_error(req, 400, _("Onbekende taal."));
        return;
    }
    http_set_cookie(req, COOKIE_LANG, lang, 365L * 24 * 3600);
    if (req->actor.user_id) {
        struct err_ctx e = {0};
        /* Best effort: the cookie already does the work for this browser. */
        (void)user_set_lang(req->app->store, &req->actor, lang, &e);
    }
    http_redirect(req, back);
}

static void accessibility(struct http_req *req)
{
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Toegankelijkheid"), NULL, 0);
    html_raw(&h, "<p class=\"utrecht-paragraph\">");
    html_text(&h, _("duiding wil voor iedereen bruikbaar zijn en voldoet aan WCAG 2.1 niveau AA "
                    "(EN 301 549). Elke pagina werkt zonder JavaScript, met toetsenbord en met "
                    "een schermlezer. Iedere pagina wordt bij elke wijziging automatisch getest "
                    "met axe-core."));
    html_raw(&h, "</p><p class=\"utrecht-paragraph\">");
    html_text(&h, _("Loopt u toch tegen een probleem aan? Meld het bij de beheerder van uw "
                    "organisatie."));
    html_raw(&h, "</p>");
    page_end(&h, req);
    page_send(req, &h, 200);
}

const struct route base_routes[] = {
    {"GET", "/", home, 0, "home"},
    {"GET", "/gezondheid", health, ROUTE_PUBLIC | ROUTE_STATIC, "health"},
    {"GET", "/static/{file}", static_asset, ROUTE_PUBLIC | ROUTE_STATIC, "static"},
    {"POST", "/taal", set_language, ROUTE_PUBLIC, "language.set"},
    {"GET", "/toegankelijkheid", accessibility, ROUTE_PUBLIC, "accessibility"},
    ROUTES_END,
};
