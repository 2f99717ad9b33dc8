/*
 * dispatch.c: the request pipeline. Access is decided here only in the coarse sense (logged in
 * or not, CSRF); what a user may see or change is decided by domain/policy.c through the
 * domain functions the handlers call.
 */
#include "web/dispatch.h"
#include "core/common.h"
#include "core/err.h"
#include "core/log.h"
#include "domain/auth.h"
#include "web/i18n.h"
#include "web/page.h"
#include "web/router.h"
#include <sodium.h>

static bool is_safe_method(const char *m)
{
    return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0;
}

static void not_found(struct http_req *req)
{
    if (req->is_api)
        http_resp_problem(req, 404, _("Niet gevonden"), _("Deze bron bestaat niet."), NULL);
    else
        page_error(req, 404, NULL);
}

/* Session cookie -> actor. A stale cookie is removed so the browser stops sending it. */
static void resolve_session(struct http_req *req)
{
    const char *sid = http_cookie(req, COOKIE_SESSION);
    char *lang = NULL;
    if (!sid)
        return;
    if (strlen(sid) != AUTH_SECRET_B64_LEN ||
        auth_session_actor(req->arena, req->app->store, sid, req->app->cfg->session_hours,
                           &req->actor, &lang) != 0) {
        memset(&req->actor, 0, sizeof req->actor);
        http_set_cookie(req, COOKIE_SESSION, "", 0);
        return;
    }
    req->session_id = sid;
    if (i18n_supported(lang))
        req->lang = lang;
}

/* Bearer token -> actor. Returns non-zero after answering 401 for a bad token. */
static int resolve_token(struct http_req *req)
{
    const char *h = http_header(req, "Authorization");
    if (!h)
        return 0;
    if (strncmp(h, "Bearer ", 7) != 0 ||
        auth_token_actor(req->arena, req->app->store, h + 7, &req->actor) != 0) {
        memset(&req->actor, 0, sizeof req->actor);
        http_resp_header(req, "WWW-Authenticate", "Bearer");
        http_resp_problem(req, 401, _("Niet ingelogd"),
                          _("Het API-token ontbreekt, is verlopen of is ingetrokken."), NULL);
        return ERR_UNAUTH;
    }
    return 0;
}

static void choose_language(struct http_req *req)
{
    if (req->lang)
        return;
    const char *c = http_cookie(req, COOKIE_LANG);
    if (i18n_supported(c)) {
        req->lang = c;
        return;
    }
    const char *al = i18n_from_accept_language(http_header(req, "Accept-Language"));
    req->lang = al ? al : req->app->cfg->default_lang;
}

/* Anonymous forms (login, language) use a double-submit cookie; sessions use HMAC(session). */
static void prepare_csrf(struct http_req *req)
{
    if (req->session_id) {
        char tok[AUTH_SECRET_B64_LEN + 1];
        auth_csrf_token(req->session_id, tok);
        req->csrf_token = arena_strdup(req->arena, tok);
        return;
    }
    const char *c = http_cookie(req, COOKIE_CSRF);
    if (c && strlen(c) == AUTH_SECRET_B64_LEN) {
        req->csrf_token = c;
        return;
    }
    unsigned char raw[32];
    char tok[AUTH_SECRET_B64_LEN + 1];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(tok, sizeof tok, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    req->csrf_token = arena_strdup(req->arena, tok);
    http_set_cookie(req, COOKIE_CSRF, tok, -1);
}

static bool csrf_ok(struct http_req *req, const char *submitted)
{
    if (!submitted || !req->csrf_token)
        return false;
    if (req->session_id)
        return auth_csrf_check(req->session_id, submitted);
    size_t n = strlen(req->csrf_token);
    return strlen(submitted) == n && sodium_memcmp(submitted, req->csrf_token, n) == 0;
}

/*
 * Routing, authentication, language and the login check: everything before CSRF. Returns the
 * route to run, or NULL when the request has been answered (or was a static asset, served).
 */
static const struct route *prepare(struct http_req *req)
{
    const struct route *r = NULL;
    req->is_api = strncmp(req->path, "/api/", 5) == 0 || strcmp(req->path, "/api") == 0;
    req->lang = NULL;
    int m = router_match(req, &r);
    if (m != ROUTE_FOUND) {
        /* Error pages keep the frame of the logged-in user (menu, language, logout). */
        if (!req->is_api)
            resolve_session(req);
        choose_language(req);
        if (!req->is_api)
            prepare_csrf(req);
        i18n_use(req->lang);
        if (m == ROUTE_BAD_METHOD) {
            if (req->is_api)
                http_resp_problem(req, 405, _("Methode niet toegestaan"),
                                  _("Deze bron ondersteunt deze HTTP-methode niet."), NULL);
            else
                page_error(req, 405, NULL);
        } else {
            not_found(req);
        }
        return NULL;
    }
    if (r->flags & ROUTE_STATIC) {
        r->fn(req);
        return NULL;
    }
    if (req->is_api) {
        /* A refused token is answered right here: choose the language from the request first,
         * or the message would come out in whatever language this thread used last. */
        choose_language(req);
        i18n_use(req->lang);
        if (resolve_token(req))
            return NULL;
        /* The web UI's own scripts may read the API with the session cookie; changes through
         * a cookie need the CSRF header, tokens do not (they are not sent automatically). */
        if (!req->actor.user_id)
            resolve_session(req);
    } else {
        resolve_session(req);
    }
    choose_language(req);
    i18n_use(req->lang);
    /* The API keeps no client state (NL API Design Rules /core/stateless): no double-submit
     * cookie for anonymous API calls; only sessions get a CSRF token there. */
    if (!req->is_api || req->session_id)
        prepare_csrf(req);

    if (!(r->flags & ROUTE_PUBLIC) && !req->actor.user_id) {
        if (req->is_api) {
            http_resp_header(req, "WWW-Authenticate", "Bearer");
            http_resp_problem(req, 401, _("Niet ingelogd"),
                              _("Log in of stuur een geldig API-token mee."), NULL);
        } else {
            struct buf b;
            buf_init(&b, BUF_MAX_SMALL);
            if (buf_append_str(&b, "/inloggen?terug=") == 0 &&
                buf_append_urlenc(&b, req->path, strlen(req->path)) == 0)
                http_redirect(req, b.p);
            else
                http_redirect(req, "/inloggen");
            buf_release(&b);
        }
        return NULL;
    }
    return r;
}

/*
 * CSRF for unsafe methods. API: a token, or the X-CSRF-Token header with a session. Pages: the
 * form field "csrf"; for a streamed upload the body is not parsed yet, so the token travels in
 * the query string (?csrf=...) of the form's action instead. Answers 403 and returns false.
 */
static bool csrf_passes(struct http_req *req, bool streamed_upload)
{
    if (is_safe_method(req->method))
        return true;
    bool ok;
    if (req->is_api)
        ok = req->actor.via_token || csrf_ok(req, http_header(req, "X-CSRF-Token"));
    else
        ok = csrf_ok(req, streamed_upload ? http_query(req, FORM_CSRF) : http_form(req, FORM_CSRF));
    if (ok)
        return true;
    log_info("http.csrf", "rid", req->rid, "path", req->path, NULL);
    if (req->is_api)
        http_resp_problem(req, 403, _("Geweigerd"), _("Het CSRF-token ontbreekt of klopt niet."),
                          NULL);
    else
        page_error(req, 403,
                   _("Het formulier is verlopen of kwam niet van deze site. "
                     "Ga terug, laad de pagina opnieuw en probeer het nog eens."));
    return false;
}

bool dispatch_is_upload(struct http_req *req)
{
    const struct route *r = NULL;
    return router_match(req, &r) == ROUTE_FOUND && (r->flags & ROUTE_UPLOAD);
}

bool dispatch_upload_begin(struct http_req *req)
{
    const struct route *r = prepare(req);
    if (!r || !csrf_passes(req, true))
        return false;
    req->upload_checked = true;
    return true;
}

void dispatch(struct http_req *req)
{
    const struct route *r = NULL;
    if (req->upload_checked) {
        /* Authenticated and CSRF-checked before the body was accepted; only the route again. */
        if (router_match(req, &r) != ROUTE_FOUND)
            r = NULL;
        i18n_use(req->lang);
    } else {
        r = prepare(req);
        if (r && !csrf_passes(req, false))
            return;
    }
    if (!r)
        return;
    r->fn(req);
    if (!req->resp.status && !req->deferred) {
        log_error("http.no_response", "rid", req->rid, "route", r->name, NULL);
        if (req->is_api)
            http_resp_problem(req, 500, _("Interne fout"), NULL, NULL);
        else
            page_error(req, 500, NULL);
    }
}

void dispatch_run_deferred(struct http_req *req)
{
    i18n_use(req->lang);
    http_work w = req->deferred;
    w(req);
    if (!req->resp.status) {
        if (req->is_api)
            http_resp_problem(req, 500, _("Interne fout"), NULL, NULL);
        else
            page_error(req, 500, NULL);
    }
}
