/*
 * page_user.c: user accounts for the beheerder: list with filters, details, create, edit,
 * password reset, deactivate and activate. Creating a user and resetting a password hash a
 * password (Argon2id, slow), so those POSTs run on the job queue and show the new password once.
 */
#include "core/common.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "domain/user.h"
#include "web/page.h"
#include "web/page_kit.h"
#include "web/router.h"

#define USER_PAGE_SIZE 50

/* Form fields and the names the domain may give them in err_ctx.field. */
static const struct kit_field user_fields[] = {
    {"login", "login inlognaam username"},
    {"naam", "naam displayname name"},
    {"organisatie", "organisatie orgid org organisation organization organisatieid"},
    {"rollen", "rollen roles role rol"},
    {"taal", "taal lang language"},
};

/* What the form held, as strings, so a refused form comes back as it was sent. */
struct user_form {
    const char *login;
    const char *naam;
    const char *organisatie; /* org id */
    uint32_t roles;
    bool bad_roles; /* a role code that does not exist was sent */
    const char *taal;
};

static struct object_ref user_ref(const struct user *u)
{
    struct object_ref r = {.kind = OBJ_USER};
    if (u) {
        r.id = u->id;
        r.owner_org_id = u->org_id;
    }
    return r;
}

static bool may(struct http_req *req, enum action act, const struct user *u)
{
    struct object_ref r = user_ref(u);
    if (!u)
        r.owner_org_id = req->actor.org_id;
    return policy_allows(&req->actor, act, &r);
}

static const char *user_href(struct http_req *req, int64_t id, const char *suffix)
{
    return arena_printf(req->arena, "/gebruikers/%" PRId64 "%s", id, suffix ? suffix : "");
}

static const char *lang_label(const char *lang)
{
    /* Language names are shown in their own language, as in the switch in the header. */
    if (lang && strcmp(lang, "en") == 0)
        return "English";
    return "Nederlands";
}

/*
 * Options for an organisation select: "" (first_label, if not NULL) and every organisation as
 * "Emmen (Gemeente)". Archived ones only when with_archived (filters: old accounts).
 */
static struct form_option *org_options(struct http_req *req, const char *first_label,
                                       bool with_archived, int *n)
{
    struct org_filter f = {.include_archived = with_archived, .limit = ORG_LIST_MAX};
    struct org *os = NULL;
    int count = 0, total = 0, k = 0;
    *n = 0;
    if (org_list(req->arena, req->app->store, &req->actor, &f, &os, &count, &total) != 0)
        count = 0;
    struct form_option *opts = arena_calloc(req->arena, (size_t)count + 1, sizeof *opts);
    if (!opts)
        return NULL;
    if (first_label)
        opts[k++] = (struct form_option){"", first_label};
    for (int i = 0; i < count; i++) {
        const char *id = arena_printf(req->arena, "%" PRId64, os[i].id);
        const char *label = os[i].archived ? arena_printf(req->arena, _("%s (%s, gearchiveerd)"),
                                                          os[i].name, org_kind_label(os[i].kind))
                                           : arena_printf(req->arena, "%s (%s)", os[i].name,
                                                          org_kind_label(os[i].kind));
        if (id && label)
            opts[k++] = (struct form_option){id, label};
    }
    *n = k;
    return opts;
}

/* ---------------------------------------------------------------------------------------- */
/* GET /gebruikers                                                                            */

static void user_list_page(struct http_req *req)
{
    const char *org_s = http_query(req, "organisatie");
    const char *zoeken = kit_trimmed(req->arena, http_query(req, "zoeken"));
    bool inactive = http_query(req, "inactief") != NULL;
    bool beheerder = (req->actor.roles & ROLE_BEHEERDER) != 0;
    int offset = kit_offset(req);
    struct user_filter f = {.org_id = kit_id(org_s),
                            .include_inactive = inactive,
                            .q = zoeken,
                            .limit = USER_PAGE_SIZE,
                            .offset = offset};
    struct user *us = NULL;
    int n = 0, total = 0;

    /* Only a beheerder chooses an organisation; the others see their own (user_list). */
    if (!beheerder)
        f.org_id = 0;
    if (!f.org_id)
        org_s = NULL;
    int rc = user_list(req->arena, req->app->store, &req->actor, &f, &us, &n, &total);
    bool bad_query = rc == ERR_INVALID && zoeken;
    if (rc && !bad_query) {
        kit_fail(req, rc);
        return;
    }
    if (bad_query)
        n = total = 0;
    const struct crumb crumbs[] = {{_("Start"), "/"}, {_("Gebruikers"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Gebruikers"), crumbs, 2);
    page_flash(&h, req);
    if (bad_query)
        page_alert(&h, "error",
                   _("Deze zoektekst kunnen we niet gebruiken: hij is te lang of "
                     "bevat ongeldige tekens. Probeer een kortere zoektekst."));
    kit_para(&h, beheerder ? _("Alle accounts van alle organisaties. Open een gebruiker om rollen "
                               "te wijzigen, een nieuw wachtwoord in te stellen of het account "
                               "te deactiveren.")
                           : _("De accounts van uw organisatie."));
    if (may(req, ACT_CREATE, NULL)) {
        kit_actions_begin(&h);
        kit_button_link(&h,
                        org_s ? arena_printf(req->arena, "/gebruikers/nieuw?organisatie=%s", org_s)
                              : "/gebruikers/nieuw",
                        _("Nieuwe gebruiker"), true);
        kit_actions_end(&h);
    }

    kit_filter_begin(&h, "/gebruikers", _("Gebruikers zoeken"));
    if (beheerder) {
        int nopts = 0;
        struct form_option *opts = org_options(req, _("Alle organisaties"), true, &nopts);
        form_select(&h, NULL, "organisatie", _("Organisatie"), opts, nopts, org_s ? org_s : "",
                    NULL);
    }
    kit_filter_text(&h, "zoeken", _("Inlognaam of naam bevat"), zoeken, NULL);
    kit_filter_check(&h, "inactief", _("Ook gedeactiveerde accounts tonen"), inactive);
    kit_filter_end(&h, "/gebruikers");

    if (n == 0) {
        kit_para(&h, _("Er zijn geen gebruikers gevonden die passen bij uw zoekopdracht."));
    } else {
        const char *headers[] = {_("Inlognaam"), _("Naam"),   _("Organisatie"),
                                 _("Rollen"),    _("Status"), _("Laatst ingelogd")};
        char caption[128];
        snprintf(caption, sizeof caption, _("Gebruikers (%d gevonden)"), total);
        table_begin(&h, caption, headers, (int)ARRAY_LEN(headers));
        for (int i = 0; i < n; i++) {
            const struct user *u = &us[i];
            table_row_begin(&h);
            table_cell_link(&h, user_href(req, u->id, NULL), u->login);
            table_cell(&h, u->display_name);
            table_cell(&h, u->org_name);
            table_cell(&h, kit_roles_text(req->arena, u->roles));
            table_cell(&h, u->active ? _("Actief") : _("Gedeactiveerd"));
            kit_cell_begin(&h);
            kit_time_iso(&h, u->last_login_at, false, _("Nog nooit"));
            kit_cell_end(&h);
            table_row_end(&h);
        }
        table_end(&h);
        const char *kv[] = {"organisatie", org_s,      "zoeken",
                            zoeken,        "inactief", inactive ? "1" : NULL};
        page_pager(&h, kit_url(req->arena, "/gebruikers", kv, 3), offset, USER_PAGE_SIZE, total);
    }
    page_end(&h, req);
    page_send(req, &h, bad_query ? 400 : 200);
}

/* ---------------------------------------------------------------------------------------- */
/* Create and edit form                                                                       */

static void read_form(struct http_req *req, struct user_form *v)
{
    int n = 0;
    const char **roles = http_form_all(req, "rollen", &n);
    memset(v, 0, sizeof *v);
    v->login = http_form(req, "login");
    v->naam = http_form(req, "naam");
    v->organisatie = http_form(req, "organisatie");
    v->taal = http_form(req, "taal");
    for (int i = 0; roles && i < n; i++) {
        enum role r;
        if (role_parse(str_from(roles[i]), &r) != 0) {
            v->bad_roles = true;
            break;
        }
        v->roles |= (uint32_t)r;
    }
}

/* Domain input from the form. Empty and unparseable fields are reported here, all at once and
 * in form order; the domain validates the rest. */
static int build_input(struct http_req *req, const struct user_form *v, bool create,
                       struct user_input *in, struct form_errors *fe)
{
    memset(in, 0, sizeof *in);
    if (create) {
        in->login = kit_trimmed(req->arena, v->login);
        if (!in->login)
            kit_error(fe, "login", _("Vul een inlognaam in."));
    }
    in->display_name = kit_trimmed(req->arena, v->naam);
    if (!in->display_name)
        kit_error(fe, "naam", _("Vul de naam van de gebruiker in."));
    in->roles = v->roles;
    in->lang = v->taal && *v->taal ? v->taal : NULL;
    if (v->organisatie && *v->organisatie) {
        in->org_id = kit_id(v->organisatie);
        if (!in->org_id)
            kit_error(fe, "organisatie", _("Kies de organisatie uit de lijst."));
    } else {
        kit_error(fe, "organisatie", _("Kies de organisatie van de gebruiker."));
    }
    if (v->bad_roles)
        kit_error(fe, "rollen", _("Kies de rollen uit de lijst."));
    else if (!in->roles)
        kit_error(fe, "rollen", _("Kies minstens één rol."));
    return fe->n ? ERR_INVALID : 0;
}

/* editing: the user being edited, or NULL for a new one. */
static void render_form(struct http_req *req, int status, const struct user *editing,
                        const struct user_form *v, const struct form_errors *fe)
{
    struct html h;
    html_init(&h);
    if (editing) {
        const struct crumb crumbs[] = {{_("Start"), "/"},
                                       {_("Gebruikers"), "/gebruikers"},
                                       {editing->display_name, user_href(req, editing->id, NULL)},
                                       {_("Bewerken"), NULL}};
        const char *title = arena_printf(req->arena, _("%s bewerken"), editing->display_name);
        page_begin(&h, req, title ? title : _("Gebruiker bewerken"), crumbs, 4);
    } else {
        const struct crumb crumbs[] = {
            {_("Start"), "/"}, {_("Gebruikers"), "/gebruikers"}, {_("Nieuwe gebruiker"), NULL}};
        page_begin(&h, req, _("Nieuwe gebruiker"), crumbs, 3);
        kit_para(&h, _("Na het opslaan ziet u één keer het eerste wachtwoord. Geef het veilig "
                       "door; de gebruiker kiest bij de eerste keer inloggen een eigen "
                       "wachtwoord."));
    }
    form_error_summary(&h, fe);
    form_begin(&h, req, editing ? user_href(req, editing->id, NULL) : "/gebruikers");
    if (editing) {
        kit_dl_begin(&h);
        kit_dl_item(&h, _("Inlognaam"), editing->login);
        kit_dl_end(&h);
        html_raw(&h, "<p class=\"utrecht-paragraph duiding-muted\">");
        html_text(&h, _("De inlognaam kan niet worden gewijzigd."));
        html_raw(&h, "</p>");
    } else {
        form_input(&h, fe, "login", _("Inlognaam"), "text", v->login,
                   _("3 tot 64 tekens: kleine letters, cijfers en . _ @ -. Bijvoorbeeld "
                     "j.jansen of j.jansen@emmen.nl."),
                   true, "off");
    }
    form_input(&h, fe, "naam", _("Naam"), "text", v->naam,
               _("Zoals collega's de gebruiker kennen, bijvoorbeeld Jan Jansen."), true, "off");
    int nopts = 0;
    /* When editing, an archived organisation stays listed so the current one is selected. */
    struct form_option *opts = org_options(req, _("Kies een organisatie"), editing != NULL, &nopts);
    form_select(&h, fe, "organisatie", _("Organisatie"), opts, nopts, v->organisatie,
                _("De organisatie waarvoor de gebruiker werkt. Dit bepaalt wat hij of zij mag "
                  "zien."));

    struct form_option ropts[ROLE_COUNT];
    bool checked[ROLE_COUNT];
    for (int i = 0; i < ROLE_COUNT; i++) {
        enum role r = role_at(i);
        ropts[i] = (struct form_option){role_code(r), role_label(r)};
        checked[i] = (v->roles & (uint32_t)r) != 0;
    }
    form_checkboxes(&h, fe, "rollen", _("Rollen (kies er minstens één)"), ropts, ROLE_COUNT,
                    checked);
    static const struct form_option langs[] = {{"nl", "Nederlands"}, {"en", "English"}};
    form_select(&h, fe, "taal", _("Taal"), langs, 2, v->taal ? v->taal : "nl",
                _("De taal van de schermen. De gebruiker kan dit later zelf wijzigen."));
    form_submit(&h, editing ? _("Wijzigingen opslaan") : _("Gebruiker aanmaken"));
    form_end(&h);
    html_raw(&h, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\"");
    html_url_attr(&h, "href", editing ? user_href(req, editing->id, NULL) : "/gebruikers");
    html_raw(&h, ">");
    html_text(&h, _("Annuleren en teruggaan"));
    html_raw(&h, "</a></p>");
    page_end(&h, req);
    page_send(req, &h, status);
}

/* Re-renders after a refused save: 422 with the errors at their fields, 409 for a conflict. */
static void form_refused(struct http_req *req, int rc, const struct err_ctx *e,
                         const struct user *editing, const struct user_form *v)
{
    struct form_errors fe = {0};
    if (rc == ERR_INVALID || rc == ERR_CONFLICT) {
        struct err_ctx c = *e;
        if (rc == ERR_CONFLICT && !c.msg[0]) {
            snprintf(c.msg, sizeof c.msg, "%s", _("Deze inlognaam is al in gebruik."));
            c.field = "login";
        }
        kit_error_add(&fe, &c, user_fields, (int)ARRAY_LEN(user_fields));
        render_form(req, rc == ERR_INVALID ? 422 : 409, editing, v, &fe);
    } else {
        kit_fail(req, rc);
    }
}

static void user_new_page(struct http_req *req)
{
    struct user_form v = {0};
    if (!may(req, ACT_CREATE, NULL)) {
        page_error(req, 403, NULL);
        return;
    }
    v.organisatie = http_query(req, "organisatie");
    v.taal = "nl";
    render_form(req, 200, NULL, &v, NULL);
}

/* The page that shows a new password once. The caller wipes and frees the password. */
static void render_password(struct http_req *req, bool created, int64_t user_id,
                            const char *display_name, const char *login, const char *password)
{
    struct html h;
    const char *title = created ? _("Gebruiker aangemaakt") : _("Nieuw wachtwoord ingesteld");
    const struct crumb crumbs[] = {{_("Start"), "/"},
                                   {_("Gebruikers"), "/gebruikers"},
                                   {display_name, user_href(req, user_id, NULL)},
                                   {title, NULL}};
    html_init(&h);
    page_begin(&h, req, title, crumbs, 4);
    page_alert(&h, "ok",
               created ? arena_printf(req->arena,
                                      _("Het account van %s (inlognaam %s) is "
                                        "aangemaakt."),
                                      display_name, login)
                       : arena_printf(req->arena,
                                      _("%s (inlognaam %s) heeft een nieuw "
                                        "wachtwoord. Eerdere sessies zijn beëindigd."),
                                      display_name, login));
    kit_h2(&h, created ? _("Eerste wachtwoord") : _("Nieuw wachtwoord"));
    html_raw(&h, "<p class=\"utrecht-paragraph duiding-secret\"><code class=\"utrecht-code\">");
    html_text(&h, password);
    html_raw(&h, "</code></p>");
    page_alert(&h, "warning",
               _("U ziet dit wachtwoord maar één keer. Als u deze pagina verlaat, kunt u het "
                 "niet meer opvragen."));
    kit_h2(&h, _("Wat moet u nu doen?"));
    html_raw(&h, "<ul class=\"utrecht-unordered-list\"><li>");
    html_text(&h, _("Geef het wachtwoord veilig door: persoonlijk of via een ander kanaal dan de "
                    "inlognaam. Stuur bijvoorbeeld de inlognaam per e-mail en het wachtwoord "
                    "per sms, of bel het door."));
    html_raw(&h, "</li><li>");
    html_text(&h, _("Bewaar het wachtwoord niet in een e-mail, chat of document."));
    html_raw(&h, "</li><li>");
    html_text(&h, _("De gebruiker moet dit wachtwoord bij de eerste keer inloggen vervangen door "
                    "een eigen wachtwoord."));
    html_raw(&h, "</li></ul>");
    kit_buttons_begin(&h);
    kit_button_link(&h, user_href(req, user_id, NULL), _("Naar de gebruiker"), false);
    if (created)
        kit_button_link(&h, "/gebruikers/nieuw", _("Nog een gebruiker aanmaken"), false);
    kit_actions_end(&h);
    page_end(&h, req);
    page_send(req, &h, 200);
}

static void wipe_free(char *secret)
{
    if (secret) {
        explicit_bzero(secret, strlen(secret));
        free(secret);
    }
}

/* Runs on a job thread: user_create hashes the initial password. */
static void user_create_work(struct http_req *req)
{
    struct user_form v;
    struct user_input in;
    struct form_errors fe = {0};
    struct err_ctx e = {0};
    int64_t id = 0;
    char *generated = NULL;

    read_form(req, &v);
    if (build_input(req, &v, true, &in, &fe)) {
        render_form(req, 422, NULL, &v, &fe);
        goto out;
    }
    int rc = user_create(req->app->store, &req->actor, &in, &id, &generated, &e);
    if (rc) {
        form_refused(req, rc, &e, NULL, &v);
        goto out;
    }
    if (!generated) {
        page_error(req, 500, NULL);
        goto out;
    }
    render_password(req, true, id, in.display_name ? in.display_name : "", in.login ? in.login : "",
                    generated);
out:
    wipe_free(generated);
}

static void user_create_submit(struct http_req *req)
{
    /* Authorisation before validation (and before queueing slow work). */
    if (!may(req, ACT_CREATE, NULL)) {
        page_error(req, 403, NULL);
        return;
    }
    http_defer(req, user_create_work);
}

/* Loads the user of path parameter 0; answers 404/403 itself and returns non-zero. */
static int load_user(struct http_req *req, struct user *u)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id))
        return ERR_NOT_FOUND;
    int rc = user_get(req->arena, req->app->store, &req->actor, id, u);
    if (rc)
        kit_fail(req, rc);
    return rc;
}

static void user_edit_page(struct http_req *req)
{
    struct user u;
    if (load_user(req, &u))
        return;
    if (!may(req, ACT_EDIT, &u)) {
        page_error(req, 403, NULL);
        return;
    }
    struct user_form v = {.naam = u.display_name,
                          .organisatie = arena_printf(req->arena, "%" PRId64, u.org_id),
                          .roles = u.roles,
                          .taal = u.lang};
    render_form(req, 200, &u, &v, NULL);
}

static void user_update_submit(struct http_req *req)
{
    struct user u;
    struct user_form v;
    struct user_input in;
    struct form_errors fe = {0};
    struct err_ctx e = {0};
    if (load_user(req, &u))
        return;
    if (!may(req, ACT_EDIT, &u)) {
        page_error(req, 403, NULL);
        return;
    }
    read_form(req, &v);
    if (build_input(req, &v, false, &in, &fe)) {
        render_form(req, 422, &u, &v, &fe);
        return;
    }
    int rc = user_update(req->app->store, &req->actor, u.id, &in, &e);
    if (rc) {
        form_refused(req, rc, &e, &u, &v);
        return;
    }
    http_redirect(req, user_href(req, u.id, "?melding=opgeslagen"));
}

/* ---------------------------------------------------------------------------------------- */
/* GET /gebruikers/{id}                                                                       */

static void render_detail(struct http_req *req, const struct user *u, int status, const char *error)
{
    const struct crumb crumbs[] = {
        {_("Start"), "/"}, {_("Gebruikers"), "/gebruikers"}, {u->display_name, NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, u->display_name, crumbs, 3);
    page_flash(&h, req);
    if (error)
        page_alert(&h, "error", error);
    if (!u->active)
        page_alert(&h, "info",
                   _("Dit account is gedeactiveerd. De gebruiker kan niet inloggen "
                     "en de API-tokens werken niet meer."));

    bool self = u->id == req->actor.user_id;
    bool can_edit = may(req, ACT_EDIT, u), can_reset = may(req, ACT_RESET_PASSWORD, u),
         can_archive = may(req, ACT_ARCHIVE, u);
    if (can_edit || can_reset || can_archive) {
        kit_actions_begin(&h);
        if (can_edit)
            kit_button_link(&h, user_href(req, u->id, "/bewerken"), _("Bewerken"), true);
        if (can_reset && u->active && !self)
            form_button(&h, req, user_href(req, u->id, "/wachtwoord-reset"),
                        _("Nieuw wachtwoord instellen"), false);
        /* Deactivating yourself would lock you out; another beheerder has to do it. */
        if (can_archive && u->active && !self)
            form_button(&h, req, user_href(req, u->id, "/deactiveren"), _("Account deactiveren"),
                        true);
        if (can_archive && !u->active)
            form_button(&h, req, user_href(req, u->id, "/activeren"), _("Account activeren"),
                        false);
        kit_actions_end(&h);
        if (can_reset && u->active && !self) {
            html_raw(&h, "<p class=\"utrecht-paragraph duiding-muted\">");
            html_text(&h, _("Een nieuw wachtwoord instellen logt de gebruiker overal uit. "
                            "U ziet het nieuwe wachtwoord één keer."));
            html_raw(&h, "</p>");
        }
    }
    if (self) {
        html_raw(&h, "<p class=\"utrecht-paragraph\">");
        html_text(&h, _("Dit is uw eigen account. Uw wachtwoord en API-tokens beheert u via "));
        html_raw(&h, "<a class=\"utrecht-link\" href=\"/account\">");
        html_text(&h, _("Mijn account"));
        html_raw(&h, "</a>.</p>");
    }

    kit_h2(&h, _("Kerngegevens"));
    kit_dl_begin(&h);
    kit_dl_item(&h, _("Inlognaam"), u->login);
    kit_dl_item(&h, _("Naam"), u->display_name);
    kit_dl_item_begin(&h, _("Organisatie"));
    html_raw(&h, "<a class=\"utrecht-link\"");
    html_url_attr(&h, "href", arena_printf(req->arena, "/organisaties/%" PRId64, u->org_id));
    html_raw(&h, ">");
    html_text(&h, u->org_name);
    html_raw(&h, "</a>");
    kit_dl_item_end(&h);
    kit_dl_item(&h, _("Rollen"), kit_roles_text(req->arena, u->roles));
    kit_dl_item(&h, _("Taal"), lang_label(u->lang));
    kit_dl_item(&h, _("Status"), u->active ? _("Actief") : _("Gedeactiveerd"));
    if (u->must_change_password)
        kit_dl_item(&h, _("Wachtwoord"), _("Moet bij de volgende keer inloggen worden gewijzigd"));
    kit_dl_item_begin(&h, _("Aangemaakt op"));
    kit_time_iso(&h, u->created_at, false, "–");
    kit_dl_item_end(&h);
    kit_dl_item_begin(&h, _("Laatst ingelogd"));
    kit_time_iso(&h, u->last_login_at, false, _("Nog nooit"));
    kit_dl_item_end(&h);
    kit_dl_end(&h);

    struct object_ref audit = {.kind = OBJ_AUDIT};
    if (policy_allows(&req->actor, ACT_LIST, &audit)) {
        html_raw(&h, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\"");
        html_url_attr(&h, "href", arena_printf(req->arena, "/audit?gebruiker=%" PRId64, u->id));
        html_raw(&h, ">");
        html_text(&h, _("Bekijk in het auditlog wat deze gebruiker heeft gedaan"));
        html_raw(&h, "</a></p>");
    }
    page_end(&h, req);
    page_send(req, &h, status);
}

static void user_detail_page(struct http_req *req)
{
    struct user u;
    if (load_user(req, &u))
        return;
    render_detail(req, &u, 200, NULL);
}

/* An action on the detail page was refused for a reason the user can fix or should know. */
static void detail_refused(struct http_req *req, const struct user *u, int rc,
                           const struct err_ctx *e)
{
    if (rc == ERR_INVALID || rc == ERR_CONFLICT)
        render_detail(req, u, rc == ERR_INVALID ? 422 : 409,
                      e->msg[0] ? e->msg
                                : _("Dit kan nu niet. Ververs de pagina en probeer het opnieuw."));
    else
        kit_fail(req, rc);
}

/* Runs on a job thread: hashing the new password is slow. */
static void user_reset_work(struct http_req *req)
{
    struct user u;
    struct err_ctx e = {0};
    char *generated = NULL;
    if (load_user(req, &u))
        goto out;
    int rc = user_reset_password(req->app->store, &req->actor, u.id, &generated, &e);
    if (rc) {
        detail_refused(req, &u, rc, &e);
        goto out;
    }
    if (!generated) {
        page_error(req, 500, NULL);
        goto out;
    }
    render_password(req, false, u.id, u.display_name, u.login, generated);
out:
    wipe_free(generated);
}

static void user_reset_submit(struct http_req *req)
{
    http_defer(req, user_reset_work);
}

static void set_active(struct http_req *req, bool active)
{
    struct user u;
    struct err_ctx e = {0};
    if (load_user(req, &u))
        return;
    int rc = user_set_active(req->app->store, &req->actor, u.id, active, &e);
    if (rc) {
        detail_refused(req, &u, rc, &e);
        return;
    }
    http_redirect(req,
                  user_href(req, u.id, active ? "?melding=geactiveerd" : "?melding=gedeactiveerd"));
}

static void user_deactivate_submit(struct http_req *req)
{
    set_active(req, false);
}

static void user_activate_submit(struct http_req *req)
{
    set_active(req, true);
}

const struct route user_page_routes[] = {
    {"GET", "/gebruikers", user_list_page, 0, "user.list"},
    {"GET", "/gebruikers/nieuw", user_new_page, 0, "user.new"},
    {"POST", "/gebruikers", user_create_submit, 0, "user.create"},
    {"GET", "/gebruikers/{id}", user_detail_page, 0, "user.view"},
    {"GET", "/gebruikers/{id}/bewerken", user_edit_page, 0, "user.edit"},
    {"POST", "/gebruikers/{id}", user_update_submit, 0, "user.update"},
    {"POST", "/gebruikers/{id}/wachtwoord-reset", user_reset_submit, 0, "user.reset_password"},
    {"POST", "/gebruikers/{id}/deactiveren", user_deactivate_submit, 0, "user.deactivate"},
    {"POST", "/gebruikers/{id}/activeren", user_activate_submit, 0, "user.activate"},
    ROUTES_END,
};
