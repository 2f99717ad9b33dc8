/*
 * page_audit.c: the audit log for the beheerder: who did what and when, newest first, with a
 * filter on the kind of action and on the user. Read only: the log is append-only.
 */
#include "core/common.h"
#include "domain/audit.h"
#include "domain/policy.h"
#include "domain/user.h"
#include "web/page.h"
#include "web/page_kit.h"
#include "web/router.h"

#define AUDIT_PAGE_SIZE    50
#define AUDIT_USER_OPTIONS 1000 /* users offered in the filter; beyond that, open a user page */

/* Readable names of the actions the domain writes; unknown codes are shown as they are. */
static const struct {
    const char *code;
    const char *label; /* msgid */
} action_labels[] = {
    {"login.ok", N_("Ingelogd")},
    {"login.fail", N_("Inloggen mislukt")},
    {"login.limited", N_("Inloggen geblokkeerd (te veel pogingen)")},
    {"logout", N_("Uitgelogd")},
    {"org.create", N_("Organisatie aangemaakt")},
    {"org.update", N_("Organisatie gewijzigd")},
    {"org.archive", N_("Organisatie gearchiveerd")},
    {"org.restore", N_("Organisatie teruggezet")},
    {"user.create", N_("Gebruiker aangemaakt")},
    {"user.update", N_("Gebruiker gewijzigd")},
    {"user.deactivate", N_("Account gedeactiveerd")},
    {"user.activate", N_("Account geactiveerd")},
    {"user.password_reset", N_("Nieuw wachtwoord ingesteld door beheerder")},
    {"user.password_change", N_("Eigen wachtwoord gewijzigd")},
    {"token.create", N_("API-token gemaakt")},
    {"token.revoke", N_("API-token ingetrokken")},
    {"result.create", N_("Resultaat aangemaakt")},
    {"result.update", N_("Resultaat gewijzigd")},
    {"result.archive", N_("Resultaat gearchiveerd")},
    {"result.restore", N_("Resultaat teruggezet")},
    {"import.create", N_("Gegevens ingelezen")},
    {"import.failed", N_("Aanlevering mislukt")},
    {"import.undo", N_("Aanlevering ongedaan gemaakt")},
    {"import.rejections.view", N_("Afgewezen records bekeken")},
    {"import.correction.download", N_("Correctiebestand gedownload")},
    {"profile.create", N_("Kolomprofiel aangemaakt")},
    {"profile.update", N_("Kolomprofiel gewijzigd")},
    {"profile.archive", N_("Kolomprofiel gearchiveerd")},
    {"profile.restore", N_("Kolomprofiel teruggezet")},
};

/* Groups for the filter: the action prefix and its label. */
static const struct {
    const char *prefix;
    const char *label; /* msgid */
} action_groups[] = {
    {"login.", N_("Aanmeldingen")},
    {"org.", N_("Organisaties")},
    {"user.", N_("Gebruikers")},
    {"token.", N_("API-tokens")},
    {"result.", N_("Maatschappelijke resultaten")},
    {"import.", N_("Aanleveringen")},
    {"profile.", N_("Kolomprofielen")},
};

/* Object kinds as written by the domain: label and the page that shows one. */
static const struct {
    const char *kind;
    const char *label; /* msgid */
    const char *path;  /* NULL: no page */
} object_kinds[] = {
    {"organisation", N_("Organisatie"), "/organisaties/"},
    {"user", N_("Gebruiker"), "/gebruikers/"},
    {"result", N_("Resultaat"), "/resultaten/"},
    {"api_token", N_("API-token"), NULL},
    {"import_batch", N_("Aanlevering"), "/gegevens/batches/"},
    {"mapping_profile", N_("Kolomprofiel"), "/gegevens/profielen/"},
};

static const char *action_label(const char *code)
{
    for (size_t i = 0; code && i < ARRAY_LEN(action_labels); i++)
        if (strcmp(code, action_labels[i].code) == 0)
            return _(action_labels[i].label);
    return code;
}

static void object_cell(struct http_req *req, struct html *h, const struct audit_event *ev)
{
    kit_cell_begin(h);
    if (!ev->object_kind || !*ev->object_kind) {
        html_text(h, "–");
        kit_cell_end(h);
        return;
    }
    for (size_t i = 0; i < ARRAY_LEN(object_kinds); i++) {
        if (strcmp(ev->object_kind, object_kinds[i].kind) != 0)
            continue;
        if (object_kinds[i].path && ev->object_id > 0) {
            html_raw(h, "<a class=\"utrecht-link\"");
            html_url_attr(
                h, "href",
                arena_printf(req->arena, "%s%" PRId64, object_kinds[i].path, ev->object_id));
            html_raw(h, ">");
            html_textf(h, "%s %" PRId64, _(object_kinds[i].label), ev->object_id);
            html_raw(h, "</a>");
        } else if (ev->object_id > 0) {
            html_textf(h, "%s %" PRId64, _(object_kinds[i].label), ev->object_id);
        } else {
            html_text(h, _(object_kinds[i].label));
        }
        kit_cell_end(h);
        return;
    }
    html_text(h, ev->object_kind);
    if (ev->object_id > 0)
        html_textf(h, " %" PRId64, ev->object_id);
    kit_cell_end(h);
}

static void user_cell(struct http_req *req, struct html *h, const struct audit_event *ev)
{
    kit_cell_begin(h);
    if (ev->user_id > 0) {
        html_raw(h, "<a class=\"utrecht-link\"");
        html_url_attr(h, "href", arena_printf(req->arena, "/gebruikers/%" PRId64, ev->user_id));
        html_raw(h, ">");
        if (ev->user_login)
            html_text(h, ev->user_login);
        else
            html_textf(h, "%s %" PRId64, _("Gebruiker"), ev->user_id);
        html_raw(h, "</a>");
    } else {
        html_raw(h, "<span class=\"duiding-muted\">");
        html_text(h, _("niet ingelogd of systeem"));
        html_raw(h, "</span>");
    }
    kit_cell_end(h);
}

/* The "Soort actie" select; a prefix from the URL that is not a group stays selectable. */
static void action_select(struct http_req *req, struct html *h, const char *actie)
{
    size_t n = ARRAY_LEN(action_groups) + 2;
    struct form_option *opts = arena_calloc(req->arena, n, sizeof *opts);
    int k = 0;
    bool known = !actie;
    if (!opts)
        return;
    opts[k++] = (struct form_option){"", _("Alle acties")};
    for (size_t i = 0; i < ARRAY_LEN(action_groups); i++) {
        opts[k++] = (struct form_option){action_groups[i].prefix, _(action_groups[i].label)};
        if (actie && strcmp(actie, action_groups[i].prefix) == 0)
            known = true;
    }
    if (!known)
        opts[k++] = (struct form_option){actie, actie};
    form_select(h, NULL, "actie", _("Soort actie"), opts, k, actie ? actie : "", NULL);
}

static void user_select(struct http_req *req, struct html *h, const char *gebruiker)
{
    struct user_filter f = {.include_inactive = true, .limit = AUDIT_USER_OPTIONS};
    struct user *us = NULL;
    int n = 0, total = 0, k = 0;
    if (user_list(req->arena, req->app->store, &req->actor, &f, &us, &n, &total) != 0)
        n = 0;
    struct form_option *opts = arena_calloc(req->arena, (size_t)n + 1, sizeof *opts);
    if (!opts)
        return;
    opts[k++] = (struct form_option){"", _("Alle gebruikers")};
    for (int i = 0; i < n; i++) {
        const char *id = arena_printf(req->arena, "%" PRId64, us[i].id);
        const char *label = arena_printf(req->arena, "%s (%s)", us[i].display_name, us[i].login);
        if (id && label)
            opts[k++] = (struct form_option){id, label};
    }
    form_select(h, NULL, "gebruiker", _("Gebruiker"), opts, k, gebruiker ? gebruiker : "", NULL);
}

static void audit_list_page(struct http_req *req)
{
    const char *actie = kit_trimmed(req->arena, http_query(req, "actie"));
    const char *gebruiker = http_query(req, "gebruiker");
    int offset = kit_offset(req);
    struct audit_filter f = {.user_id = kit_id(gebruiker),
                             .action_prefix = actie,
                             .limit = AUDIT_PAGE_SIZE,
                             .offset = offset};
    struct audit_event *evs = NULL;
    int n = 0, total = 0;

    if (!f.user_id)
        gebruiker = NULL;
    if (actie && strlen(actie) > KIT_QUERY_MAX)
        actie = f.action_prefix = NULL; /* no action code is that long */
    int rc = audit_list(req->arena, req->app->store, &req->actor, &f, &evs, &n, &total);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    const struct crumb crumbs[] = {{_("Start"), "/"}, {_("Auditlog"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Auditlog"), crumbs, 2);
    kit_para(&h, _("Alle inlogpogingen en wijzigingen, de nieuwste bovenaan. Tijden zijn in "
                   "Nederlandse tijd. Het log kan niet worden gewijzigd of gewist."));
    kit_filter_begin(&h, "/audit", _("Auditlog filteren"));
    action_select(req, &h, actie);
    user_select(req, &h, gebruiker);
    kit_filter_end(&h, "/audit");

    if (n == 0) {
        kit_para(&h, offset > 0 ? _("Er zijn geen gebeurtenissen meer op deze pagina.")
                                : _("Er zijn geen gebeurtenissen gevonden die passen bij uw "
                                    "filter."));
    } else {
        const char *headers[] = {_("Tijdstip"), _("Gebruiker"), _("Actie"), _("Object"),
                                 _("Toelichting")};
        char caption[128];
        snprintf(caption, sizeof caption, _("Gebeurtenissen (%d gevonden), nieuwste eerst"), total);
        table_begin(&h, caption, headers, (int)ARRAY_LEN(headers));
        for (int i = 0; i < n; i++) {
            const struct audit_event *ev = &evs[i];
            table_row_begin(&h);
            kit_cell_begin(&h);
            kit_time_iso(&h, ev->at, true, "–");
            kit_cell_end(&h);
            user_cell(req, &h, ev);
            table_cell(&h, action_label(ev->action));
            object_cell(req, &h, ev);
            table_cell(&h, ev->detail);
            table_row_end(&h);
        }
        table_end(&h);
    }
    const char *kv[] = {"actie", actie, "gebruiker", gebruiker};
    page_pager(&h, kit_url(req->arena, "/audit", kv, 2), offset, AUDIT_PAGE_SIZE, total);
    page_end(&h, req);
    page_send(req, &h, 200);
}

const struct route audit_page_routes[] = {
    {"GET", "/audit", audit_list_page, 0, "audit.list"},
    ROUTES_END,
};
