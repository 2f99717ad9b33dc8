/*
 * page_login.c: logging in and out. Password checking is slow on purpose (Argon2id), so the
 * POST is deferred to the job queue; the answer never says whether the account exists.
 */
#include "core/common.h"
#include "core/log.h"
#include "domain/auth.h"
#include "web/dispatch.h"
#include "web/page.h"
#include "web/router.h"

static const char *safe_back(const char *back)
{
    /* Only local paths: the login form must not become an open redirect. */
    if (http_local_path(back) && strncmp(back, "/inloggen", 9) != 0)
        return back;
    return "/";
}

static void render_form(struct http_req *req, int status, const char *error, const char *login)
{
    struct html h;
    html_init(&h);
    page_begin(&h, req, _("Inloggen"), NULL, 0);
    page_flash(&h, req);
    if (error)
        page_alert(&h, "error", error);
    html_raw(&h, "<p class=\"utrecht-paragraph\">");
    html_text(&h, _("Log in met de inlognaam en het wachtwoord die u van de beheerder van uw "
                    "organisatie heeft gekregen."));
    html_raw(&h, "</p>");
    form_begin(&h, req, "/inloggen");
    const char *back = http_form(req, "terug");
    if (!back)
        back = http_query(req, "terug");
    html_raw(&h, "<input type=\"hidden\" name=\"terug\"");
    html_attr(&h, "value", safe_back(back));
    html_raw(&h, ">");
    form_input(&h, NULL, "login", _("Inlognaam"), "text", login, NULL, true, "username");
    form_input(&h, NULL, "password", _("Wachtwoord"), "password", NULL, NULL, true,
               "current-password");
    form_submit(&h, _("Inloggen"));
    form_end(&h);
    page_end(&h, req);
    page_send(req, &h, status);
}

static void login_page(struct http_req *req)
{
    if (req->actor.user_id) {
        http_redirect(req, "/");
        return;
    }
    render_form(req, 200, NULL, NULL);
}

/* Runs on a job thread. */
static void login_work(struct http_req *req)
{
    const char *login = http_form(req, "login");
    const char *password = http_form(req, "password");
    char *sid = NULL;
    struct err_ctx e = {0};
    int rc = ERR_UNAUTH;
    if (login && password && *login && *password)
        rc = auth_login(req->app->store, login, password, req->client_addr, &sid, &e);
    if (rc == 0) {
        /* A fresh session id on login prevents session fixation. */
        http_set_cookie(req, COOKIE_SESSION, sid, -1);
        http_set_cookie(req, COOKIE_CSRF, "", 0);
        free(sid);
        http_redirect(req, safe_back(http_form(req, "terug")));
        return;
    }
    free(sid);
    if (rc == ERR_BUSY)
        render_form(req, 429,
                    _("Te veel mislukte pogingen. Wacht een kwartier en probeer het opnieuw."),
                    login);
    else if (rc == ERR_UNAUTH)
        render_form(req, 401, _("De inlognaam of het wachtwoord klopt niet."), login);
    else
        page_error(req, 500, NULL);
}

static void login_submit(struct http_req *req)
{
    http_defer(req, login_work);
}

static void logout(struct http_req *req)
{
    if (req->session_id)
        auth_logout(req->app->store, req->session_id);
    http_set_cookie(req, COOKIE_SESSION, "", 0);
    http_redirect(req, "/inloggen?melding=uitgelogd");
}

const struct route login_routes[] = {
    {"GET", "/inloggen", login_page, ROUTE_PUBLIC, "login.form"},
    {"POST", "/inloggen", login_submit, ROUTE_PUBLIC, "login.submit"},
    {"POST", "/uitloggen", logout, 0, "logout"},
    ROUTES_END,
};
