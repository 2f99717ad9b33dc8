/*
 * response.c: building responses. Holds the one table that maps error codes to HTTP statuses,
 * and the problem+json envelope (RFC 9457) the API uses for every error.
 */
#include "web/http.h"
#include "core/common.h"
#include "core/err.h"

int http_status_for_err(int err)
{
    static const struct {
        int err, status;
    } map[] = {
        {ERR_OK, 200},        {ERR_INVALID, 400},  {ERR_UNAUTH, 401},  {ERR_DENIED, 403},
        {ERR_NOT_FOUND, 404}, {ERR_CONFLICT, 409}, {ERR_TOO_BIG, 413}, {ERR_BUSY, 503},
        {ERR_NOMEM, 500},     {ERR_IO, 500},       {ERR_DB, 500},      {ERR_INTERNAL, 500},
    };
    for (size_t i = 0; i < ARRAY_LEN(map); i++)
        if (map[i].err == err)
            return map[i].status;
    return 500;
}

void http_resp_header(struct http_req *req, const char *name, const char *value)
{
    struct http_resp *r = &req->resp;
    if (NEVER(r->nheaders >= HTTP_MAX_RESP_HEADERS))
        return;
    r->headers[r->nheaders].key = arena_strdup(req->arena, name);
    r->headers[r->nheaders].value = arena_strdup(req->arena, value);
    if (r->headers[r->nheaders].key && r->headers[r->nheaders].value)
        r->nheaders++;
}

static void set_body(struct http_req *req, int status, const char *type, const char *body,
                     size_t len)
{
    char *copy = arena_strndup(req->arena, body ? body : "", body ? len : 0);
    req->resp.status = copy ? status : 500;
    req->resp.content_type = type;
    req->resp.body = copy ? copy : "";
    req->resp.body_len = copy ? len : 0;
}

void http_resp_html(struct http_req *req, int status, const char *body, size_t len)
{
    set_body(req, status, "text/html; charset=utf-8", body, len);
}

void http_resp_json(struct http_req *req, int status, const char *body, size_t len)
{
    set_body(req, status, "application/json; charset=utf-8", body, len);
}

void http_resp_text(struct http_req *req, int status, const char *text)
{
    set_body(req, status, "text/plain; charset=utf-8", text, strlen(text));
}

void http_resp_static(struct http_req *req, const char *content_type, const void *p, size_t len)
{
    req->resp.status = 200;
    req->resp.content_type = content_type;
    req->resp.body = p;
    req->resp.body_len = len;
    req->resp.is_static_asset = true;
}

bool http_local_path(const char *p)
{
    if (!p || p[0] != '/' || p[1] == '/')
        return false;
    for (const unsigned char *c = (const unsigned char *)p; *c; c++)
        if (*c <= 0x20 || *c == 0x7f || *c == '\\')
            return false;
    return true;
}

void http_redirect(struct http_req *req, const char *location)
{
    /* Only local targets: an open redirect would let a link to duiding lead elsewhere. */
    if (!http_local_path(location))
        location = "/";
    req->resp.status = 303;
    req->resp.content_type = "text/plain; charset=utf-8";
    req->resp.body = "";
    req->resp.body_len = 0;
    http_resp_header(req, "Location", location);
}

void http_resp_problem(struct http_req *req, int status, const char *title, const char *detail,
                       const char *field)
{
    struct buf b;
    buf_init(&b, BUF_MAX_SMALL);
    int rc = buf_appendf(&b, "{\"type\":\"about:blank\",\"title\":\"");
    if (!rc)
        rc = buf_append_json_str(&b, title, strlen(title));
    if (!rc)
        rc = buf_appendf(&b, "\",\"status\":%d,\"detail\":\"", status);
    if (!rc)
        rc = buf_append_json_str(&b, detail ? detail : "", detail ? strlen(detail) : 0);
    if (!rc)
        rc = buf_append_str(&b, "\",\"instance\":\"");
    if (!rc)
        rc = buf_append_json_str(&b, req->path, strlen(req->path));
    if (!rc && field) {
        rc = buf_append_str(&b, "\",\"invalidParams\":[{\"name\":\"");
        if (!rc)
            rc = buf_append_json_str(&b, field, strlen(field));
        if (!rc)
            rc = buf_append_str(&b, "\",\"reason\":\"");
        if (!rc)
            rc = buf_append_json_str(&b, detail ? detail : "", detail ? strlen(detail) : 0);
        if (!rc)
            rc = buf_append_str(&b, "\"}]");
    } else if (!rc) {
        rc = buf_append_str(&b, "\"");
    }
    if (!rc)
        rc = buf_append_str(&b, "}");
    if (rc) {
        buf_release(&b);
        set_body(req, 500, "application/problem+json", "{\"title\":\"error\",\"status\":500}", 31);
        return;
    }
    set_body(req, status, "application/problem+json", b.p, b.len);
    buf_release(&b);
}

void http_set_cookie(struct http_req *req, const char *name, const char *value, long max_age)
{
    char line[512];
    const char *secure =
        req->app && req->app->cfg && req->app->cfg->secure_cookies ? "; Secure" : "";
    int n;
    if (max_age < 0)
        n = snprintf(line, sizeof line, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s", name, value,
                     secure);
    else
        n = snprintf(line, sizeof line, "%s=%s; Path=/; Max-Age=%ld; HttpOnly; SameSite=Lax%s",
                     name, value, max_age, secure);
    if (n > 0 && (size_t)n < sizeof line)
        http_resp_header(req, "Set-Cookie", line);
}
