/*
 * page_account.c: the user's own account: profile, language, password change and API tokens.
 * Changing a password hashes it (Argon2id, slow), so that POST runs on the job queue. A new
 * API token is shown exactly once; only its hash is stored.
 */
#include "core/common.h"
#include "domain/auth.h"
#include "domain/policy.h"
#include "domain/user.h"
#include "web/page.h"
#include "web/page_kit.h"
#include "web/router.h"
#include <time.h>

#define TOKEN_DAYS_MIN     1
#define TOKEN_DAYS_MAX     366
#define TOKEN_DAYS_DEFAULT "90"

static const struct kit_field password_fields[] = {
    {"huidig", "huidig current currentpassword old oldpassword"},
    {"nieuw", "nieuw next new newpassword password wachtwoord"},
    {"herhaal", "herhaal repeat confirm"},
};

static const struct kit_field token_fields[] = {
    {"label", "label naam name"},
    {"rechten", "rechten scopes scope"},
    {"dagen", "dagen days validity expires"},
};

static const struct {
    uint32_t bit;
    const char *code;
    const char *label; /* msgid */
    const char *hint;  /* msgid */
} scopes[] = {
    {SCOPE_READ, "read", N_("Lezen"), N_("gegevens ophalen")},
    {SCOPE_WRITE, "write", N_("Wijzigen"), N_("gegevens aanpassen")},
    {SCOPE_IMPORT, "import", N_("Aanleveren"), N_("bestanden aanleveren")},
};

static void wipe_free(char *secret)
{
    if (secret) {
        explicit_bzero(secret, strlen(secret));
        free(secret);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* GET /account                                                                               */

static void account_page(struct http_req *req)
{
    struct user u;
    int rc = user_get(req->arena, req->app->store, &req->actor, req->actor.user_id, &u);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    const struct crumb crumbs[] = {{_("Start"), "/"}, {_("Mijn account"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Mijn account"), crumbs, 2);
    page_flash(&h, req);
    if (u.must_change_password)
        page_alert(&h, "warning",
                   _("U logt in met een wachtwoord dat u van de beheerder heeft "
                     "gekregen. Kies nu een eigen wachtwoord."));

    kit_h2(&h, _("Uw gegevens"));
    kit_dl_begin(&h);
    kit_dl_item(&h, _("Naam"), u.display_name);
    kit_dl_item(&h, _("Inlognaam"), u.login);
    kit_dl_item_begin(&h, _("Organisatie"));
    html_raw(&h, "<a class=\"utrecht-link\"");
    html_url_attr(&h, "href", arena_printf(req->arena, "/organisaties/%" PRId64, u.org_id));
    html_raw(&h, ">");
    html_text(&h, u.org_name);
    html_raw(&h, "</a>");
    kit_dl_item_end(&h);
    kit_dl_item(&h, _("Rollen"), kit_roles_text(req->arena, u.roles));
    kit_dl_end(&h);
    html_raw(&h, "<p class=\"utrecht-paragraph duiding-muted\">");
    html_text(&h, _("Klopt uw naam, organisatie of rol niet? Vraag de beheerder van uw "
                    "organisatie om het aan te passen."));
    html_raw(&h, "</p>");

    kit_h2(&h, _("Taal"));
    form_begin(&h, req, "/taal");
    html_raw(&h, "<input type=\"hidden\" name=\"terug\" value=\"/account\">");
    static const struct form_option langs[] = {{"nl", "Nederlands"}, {"en", "English"}};
    form_select(&h, NULL, "taal", _("Taal van de schermen"), langs, 2,
                req->lang ? req->lang : u.lang, NULL);
    form_submit(&h, _("Taal opslaan"));
    form_end(&h);

    kit_h2(&h, _("Wachtwoord"));
    kit_para(&h, _("Kies een lang wachtwoord dat u nergens anders gebruikt."));
    kit_buttons_begin(&h);
    kit_button_link(&h, "/account/wachtwoord", _("Wachtwoord wijzigen"), u.must_change_password);
    kit_actions_end(&h);

    kit_h2(&h, _("API-tokens"));
    kit_para(&h, _("Met een API-token kan een ander systeem, zoals het registratiesysteem van een "
                   "aanbieder, namens u gegevens ophalen of aanleveren."));
    kit_buttons_begin(&h);
    kit_button_link(&h, "/account/tokens", _("API-tokens beheren"), false);
    kit_actions_end(&h);
    page_end(&h, req);
    page_send(req, &h, 200);
}

/* ---------------------------------------------------------------------------------------- */
/* Password                                                                                   */

static void render_password_form(struct http_req *req, int status, const struct form_errors *fe)
{
    const struct crumb crumbs[] = {
        {_("Start"), "/"}, {_("Mijn account"), "/account"}, {_("Wachtwoord wijzigen"), NULL}};
    struct html h;
    char hint[ERR_MSG_MAX];
    html_init(&h);
    page_begin(&h, req, _("Wachtwoord wijzigen"), crumbs, 3);
    form_error_summary(&h, fe);
    snprintf(hint, sizeof hint,
             _("Minstens %d tekens. Een zin van een paar woorden is sterk en goed te onthouden."),
             USER_PASSWORD_MIN);
    form_begin(&h, req, "/account/wachtwoord");
    form_input(&h, fe, "huidig", _("Huidig wachtwoord"), "password", NULL, NULL, true,
               "current-password");
    form_input(&h, fe, "nieuw", _("Nieuw wachtwoord"), "password", NULL, hint, true,
               "new-password");
    form_input(&h, fe, "herhaal", _("Herhaal het nieuwe wachtwoord"), "password", NULL, NULL, true,
               "new-password");
    form_submit(&h, _("Wachtwoord wijzigen"));
    form_end(&h);
    html_raw(&h, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" href=\"/account\">");
    html_text(&h, _("Annuleren en teruggaan"));
    html_raw(&h, "</a></p>");
    page_end(&h, req);
    page_send(req, &h, status);
}

static void password_page(struct http_req *req)
{
    render_password_form(req, 200, NULL);
}

/* Runs on a job thread: checking the old and hashing the new password is slow. */
static void password_work(struct http_req *req)
{
    struct form_errors fe = {0};
    struct err_ctx e = {0};
    int rc = user_change_password(req->app->store, &req->actor, http_form(req, "huidig"),
                                  http_form(req, "nieuw"), &e);
    switch (rc) {
    case 0:
        http_redirect(req, "/account?melding=wachtwoord");
        break;
    case ERR_INVALID:
        kit_error_add(&fe, &e, password_fields, (int)ARRAY_LEN(password_fields));
        render_password_form(req, 422, &fe);
        break;
    case ERR_UNAUTH:
        /* The current password did not match. */
        kit_error(&fe, "huidig", e.msg[0] ? e.msg : _("Het huidige wachtwoord klopt niet."));
        render_password_form(req, 422, &fe);
        break;
    case ERR_BUSY:
        kit_error(&fe, "huidig",
                  e.msg[0] ? e.msg
                           : _("Te veel pogingen. Wacht een kwartier en probeer het opnieuw."));
        render_password_form(req, 429, &fe);
        break;
    default:
        kit_fail(req, rc);
        break;
    }
}

static void password_submit(struct http_req *req)
{
    const char *current = http_form(req, "huidig");
    const char *next = http_form(req, "nieuw");
    const char *repeat = http_form(req, "herhaal");
    struct form_errors fe = {0};
    /* Cheap checks first, so a typo does not wait for the job queue. */
    if (!current || !*current)
        kit_error(&fe, "huidig", _("Vul uw huidige wachtwoord in."));
    if (!next || !*next)
        kit_error(&fe, "nieuw", _("Vul een nieuw wachtwoord in."));
    else if (!repeat || strcmp(next, repeat) != 0)
        kit_error(&fe, "herhaal", _("De twee nieuwe wachtwoorden zijn niet gelijk."));
    if (fe.n) {
        render_password_form(req, 422, &fe);
        return;
    }
    http_defer(req, password_work);
}

/* ---------------------------------------------------------------------------------------- */
/* API tokens                                                                                 */

struct token_form {
    const char *label;
    uint32_t scopes;
    const char *dagen;
};

static void revoke_button(struct http_req *req, struct html *h, const struct api_token_info *t)
{
    html_raw(h, "<form class=\"duiding-inline-form\" method=\"post\"");
    html_url_attr(h, "action",
                  arena_printf(req->arena, "/account/tokens/%" PRId64 "/intrekken", t->id));
    html_raw(h, "><input type=\"hidden\" name=\"csrf\"");
    html_attr(h, "value", req->csrf_token);
    /* Every row has this button: the accessible name says which token it revokes. */
    html_raw(h, "><button type=\"submit\" class=\"utrecht-button utrecht-button--secondary-action "
                "utrecht-button--danger\"");
    html_attr(h, "aria-label", arena_printf(req->arena, _("Intrekken: %s"), t->label));
    html_raw(h, ">");
    html_text(h, _("Intrekken"));
    html_raw(h, "</button></form>");
}

static const char *scopes_text(struct http_req *req, uint32_t bits)
{
    const char *s = "";
    for (size_t i = 0; i < ARRAY_LEN(scopes); i++)
        if (bits & scopes[i].bit)
            s = arena_printf(req->arena, "%s%s%s", s ? s : "", s && *s ? ", " : "",
                             _(scopes[i].label));
    return s;
}

static void token_table(struct http_req *req, struct html *h, const struct api_token_info *ts,
                        int n)
{
    int64_t now = (int64_t)time(NULL);
    const char *headers[] = {_("Naam"),       _("Rechten"),         _("Gemaakt op"),
                             _("Geldig tot"), _("Laatst gebruikt"), _("Status"),
                             _("Actie")};
    table_begin(h, _("Uw API-tokens, nieuwste eerst"), headers, (int)ARRAY_LEN(headers));
    for (int i = 0; i < n; i++) {
        const struct api_token_info *t = &ts[i];
        bool active = !t->revoked && t->expires_at > now;
        table_row_begin(h);
        table_cell(h, t->label);
        table_cell(h, scopes_text(req, t->scopes));
        kit_cell_begin(h);
        kit_time_unix(h, t->created_at, false, "–");
        kit_cell_end(h);
        kit_cell_begin(h);
        kit_time_unix(h, t->expires_at, false, "–");
        kit_cell_end(h);
        kit_cell_begin(h);
        kit_time_unix(h, t->last_used_at, false, _("Nog nooit"));
        kit_cell_end(h);
        table_cell(h, t->revoked ? _("Ingetrokken") : active ? _("Actief") : _("Verlopen"));
        kit_cell_begin(h);
        if (active)
            revoke_button(req, h, t);
        else
            html_text(h, "–");
        kit_cell_end(h);
        table_row_end(h);
    }
    table_end(h);
}

static void render_tokens(struct http_req *req, int status, const struct token_form *v,
                          const struct form_errors *fe, const char *error)
{
    struct api_token_info *ts = NULL;
    int n = 0;
    int rc = auth_token_list(req->arena, req->app->store, &req->actor, req->actor.user_id, &ts, &n);
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    const struct crumb crumbs[] = {
        {_("Start"), "/"}, {_("Mijn account"), "/account"}, {_("API-tokens"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("API-tokens"), crumbs, 3);
    page_flash(&h, req);
    if (error)
        page_alert(&h, "error", error);
    kit_para(&h, _("Met een API-token kan een ander systeem namens u de API van duiding "
                   "gebruiken, bijvoorbeeld om gegevens uit een registratiesysteem aan te "
                   "leveren. Ga met een token om als met een wachtwoord. Trek een token in als u "
                   "het niet meer gebruikt of als iemand anders het kan kennen."));

    kit_h2(&h, _("Uw tokens"));
    if (n == 0)
        kit_para(&h, _("U heeft nog geen API-tokens."));
    else
        token_table(req, &h, ts, n);

    kit_h2(&h, _("Nieuw token maken"));
    form_error_summary(&h, fe);
    form_begin(&h, req, "/account/tokens");
    form_input(&h, fe, "label", _("Naam van het token"), "text", v ? v->label : NULL,
               _("Waarvoor is het token? Bijvoorbeeld: koppeling registratiesysteem."), true,
               "off");
    struct form_option opts[ARRAY_LEN(scopes)];
    bool checked[ARRAY_LEN(scopes)];
    for (size_t i = 0; i < ARRAY_LEN(scopes); i++) {
        opts[i] = (struct form_option){
            scopes[i].code,
            arena_printf(req->arena, "%s: %s", _(scopes[i].label), _(scopes[i].hint))};
        checked[i] = v ? (v->scopes & scopes[i].bit) != 0 : scopes[i].bit == SCOPE_READ;
    }
    form_checkboxes(&h, fe, "rechten", _("Wat mag het token? (kies er minstens één)"), opts,
                    (int)ARRAY_LEN(scopes), checked);
    char hint[ERR_MSG_MAX];
    snprintf(hint, sizeof hint,
             _("Van %d tot en met %d dagen. Kies niet langer dan nodig: daarna werkt het token "
               "niet meer."),
             TOKEN_DAYS_MIN, TOKEN_DAYS_MAX);
    form_input(&h, fe, "dagen", _("Geldig (aantal dagen)"), "number",
               v && v->dagen ? v->dagen : TOKEN_DAYS_DEFAULT, hint, true, "off");
    form_submit(&h, _("Token maken"));
    form_end(&h);
    page_end(&h, req);
    page_send(req, &h, status);
}

static void tokens_page(struct http_req *req)
{
    render_tokens(req, 200, NULL, NULL, NULL);
}

static void render_new_token(struct http_req *req, const char *label, const char *token)
{
    const struct crumb crumbs[] = {{_("Start"), "/"},
                                   {_("Mijn account"), "/account"},
                                   {_("API-tokens"), "/account/tokens"},
                                   {_("Token gemaakt"), NULL}};
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Token gemaakt"), crumbs, 4);
    page_alert(&h, "ok", arena_printf(req->arena, _("Het token ‘%s’ is gemaakt."), label));
    kit_h2(&h, _("Uw nieuwe token"));
    html_raw(&h, "<p class=\"utrecht-paragraph duiding-secret\"><code class=\"utrecht-code\">");
    html_text(&h, token);
    html_raw(&h, "</code></p>");
    page_alert(&h, "warning",
               _("Kopieer het token nu en bewaar het veilig, bijvoorbeeld in de instellingen van "
                 "het systeem dat het gebruikt. U ziet het maar één keer: duiding bewaart het "
                 "token zelf niet."));
    kit_para(&h, _("Het systeem stuurt het token mee in de kop Authorization: Bearer, gevolgd "
                   "door het token."));
    kit_buttons_begin(&h);
    kit_button_link(&h, "/account/tokens", _("Terug naar uw API-tokens"), false);
    kit_actions_end(&h);
    page_end(&h, req);
    page_send(req, &h, 200);
}

static void token_create_submit(struct http_req *req)
{
    struct token_form v = {0};
    struct form_errors fe = {0};
    struct err_ctx e = {0};
    int64_t days = 0, id = 0;
    char *token = NULL;
    int n = 0;
    const char **sc = http_form_all(req, "rechten", &n);

    v.label = kit_trimmed(req->arena, http_form(req, "label"));
    v.dagen = http_form(req, "dagen");
    for (int i = 0; sc && i < n; i++) {
        size_t j = 0;
        while (j < ARRAY_LEN(scopes) && strcmp(sc[i], scopes[j].code) != 0)
            j++;
        if (j == ARRAY_LEN(scopes)) {
            kit_error(&fe, "rechten", _("Kies de rechten uit de lijst."));
            break;
        }
        v.scopes |= scopes[j].bit;
    }
    if (!v.label)
        kit_error(&fe, "label", _("Geef het token een naam, zodat u het later herkent."));
    if (!v.scopes && !form_error_for(&fe, "rechten"))
        kit_error(&fe, "rechten", _("Kies minstens één recht."));
    if (!v.dagen || str_parse_i64_c(v.dagen, TOKEN_DAYS_MIN, TOKEN_DAYS_MAX, &days)) {
        char msg[ERR_MSG_MAX];
        snprintf(msg, sizeof msg, _("Vul een aantal dagen in van %d tot en met %d."),
                 TOKEN_DAYS_MIN, TOKEN_DAYS_MAX);
        kit_error(&fe, "dagen", msg);
    }
    if (fe.n) {
        render_tokens(req, 422, &v, &fe, NULL);
        goto out;
    }
    int rc = auth_token_create(req->app->store, &req->actor, req->actor.user_id, v.label, v.scopes,
                               (int)days, &token, &id, &e);
    if (rc == ERR_INVALID || rc == ERR_CONFLICT) {
        kit_error_add(&fe, &e, token_fields, (int)ARRAY_LEN(token_fields));
        render_tokens(req, rc == ERR_INVALID ? 422 : 409, &v, &fe, NULL);
        goto out;
    }
    if (rc || !token) {
        kit_fail(req, rc ? rc : ERR_INTERNAL);
        goto out;
    }
    render_new_token(req, v.label, token);
out:
    wipe_free(token);
}

static void token_revoke_submit(struct http_req *req)
{
    int64_t id;
    struct err_ctx e = {0};
    if (http_param_id_or_404(req, 0, &id))
        return;
    int rc = auth_token_revoke(req->app->store, &req->actor, id, &e);
    if (rc == ERR_INVALID || rc == ERR_CONFLICT) {
        render_tokens(req, rc == ERR_INVALID ? 422 : 409, NULL, NULL,
                      e.msg[0] ? e.msg : _("Dit token kan niet worden ingetrokken."));
        return;
    }
    if (rc) {
        kit_fail(req, rc);
        return;
    }
    http_redirect(req, "/account/tokens?melding=ingetrokken");
}

const struct route account_routes[] = {
    {"GET", "/account", account_page, 0, "account.view"},
    {"GET", "/account/wachtwoord", password_page, 0, "account.password_form"},
    {"POST", "/account/wachtwoord", password_submit, 0, "account.password"},
    {"GET", "/account/tokens", tokens_page, 0, "account.tokens"},
    {"POST", "/account/tokens", token_create_submit, 0, "account.token_create"},
    {"POST", "/account/tokens/{id}/intrekken", token_revoke_submit, 0, "account.token_revoke"},
    ROUTES_END,
};
