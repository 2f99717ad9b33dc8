/*
 * server.c: libmicrohttpd glue. Owns the request lifecycle: the per-request arena (created in
 * the URI-log callback, freed in the completion callback), header checks that MHD 0.9.75 does
 * not do itself (duplicate or conflicting Content-Length / Transfer-Encoding), body limits,
 * suspension while deferred work runs on the job queue, and the security headers.
 */
#include "web/server.h"
#include "core/common.h"
#include "core/log.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "web/dispatch.h"
#include "web/http.h"
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#define SERVER_CONN_MEMORY (64u * 1024u) /* header + URL cap: larger gets 431/414 from MHD */

struct server {
    struct MHD_Daemon *daemon;
    struct app *app;
};

enum conn_phase { PHASE_NEW, PHASE_BODY, PHASE_DEFERRED, PHASE_READY };

/* Per-request state. Owned by MHD's req_cls; freed in on_completed(). */
struct conn {
    struct http_req req;
    struct MHD_Connection *mhd;
    struct server *srv;
    enum conn_phase phase;
    struct buf body;
    size_t body_limit;
    const char *raw_query;
    struct timespec started;
    bool bad_utf8;
    bool bad_path; /* the raw path held an escaped control character or a bad escape */
};

static atomic_uint_fast64_t request_counter;
static uint32_t rid_prefix;

static double ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* MHD hands the access handler an unescaped path, in which "%00" silently truncates the path
 * and "%0a" becomes a line break. Check the raw path instead: every escape must be two hex
 * digits and must not encode a control character. */
static bool raw_path_ok(const char *uri, const char *end)
{
    if (!uri)
        return false;
    for (const char *p = uri; *p && p != end; p++) {
        if (*p != '%')
            continue;
        int hi = hex_digit(p[1]), lo = hi < 0 ? -1 : hex_digit(p[2]);
        if (hi < 0 || lo < 0)
            return false;
        int c = hi * 16 + lo;
        if (c < 0x20 || c == 0x7f)
            return false;
        p += 2;
    }
    return true;
}

/* Called by MHD before anything else with the raw request URI: we create the request here
 * so that the query string is parsed by our own strict parser, not MHD's lenient one. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    struct server *srv = cls;
    struct conn *cn = xcalloc(1, sizeof *cn);
    cn->srv = srv;
    cn->mhd = c;
    cn->req.arena = arena_new(0);
    cn->req.app = srv->app;
    cn->req.server_ctx = cn;
    clock_gettime(CLOCK_MONOTONIC, &cn->started);
    uint64_t n = atomic_fetch_add(&request_counter, 1) + 1;
    cn->req.rid = arena_printf(cn->req.arena, "%08x%06" PRIx64, rid_prefix, n & 0xffffff);
    const char *q = uri ? strchr(uri, '?') : NULL;
    cn->bad_path = !raw_path_ok(uri, q);
    cn->raw_query = q ? arena_strdup(cn->req.arena, q + 1) : NULL;
    buf_init(&cn->body, HTTP_MAX_BODY_FORM + 1);
    return cn;
}

struct header_scan {
    struct conn *cn;
    int content_length_count;
    int transfer_encoding_count;
    bool te_not_chunked;
    int64_t content_length;
    bool cl_invalid;
};

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *value)
{
    struct header_scan *hs = cls;
    struct http_req *req = &hs->cn->req;
    UNUSED(kind);
    if (!key)
        return MHD_YES;
    if (!value)
        value = "";
    if (strcasecmp(key, "Content-Length") == 0) {
        hs->content_length_count++;
        if (str_parse_i64_c(value, 0, INT64_MAX, &hs->content_length))
            hs->cl_invalid = true;
    } else if (strcasecmp(key, "Transfer-Encoding") == 0) {
        hs->transfer_encoding_count++;
        if (strcasecmp(value, "chunked") != 0)
            hs->te_not_chunked = true;
    }
    size_t vlen = strlen(value);
    /* RFC 9112 5.1: whitespace before the colon ("Content-Length : 5") must be a 400; MHD keeps
     * it in the name, so such a header would silently not count as a Content-Length. */
    if (strpbrk(key, " \t") || !utf8_valid(key, strlen(key), NULL) ||
        !utf8_valid(value, vlen, NULL)) {
        hs->cn->bad_utf8 = true;
        return MHD_YES;
    }
    if (req->nheaders < HTTP_MAX_HEADERS) {
        req->headers[req->nheaders].key = arena_strdup(req->arena, key);
        req->headers[req->nheaders].value = arena_strndup(req->arena, value, vlen);
        req->headers[req->nheaders].value_len = vlen;
        if (req->headers[req->nheaders].key && req->headers[req->nheaders].value)
            req->nheaders++;
    }
    return MHD_YES;
}

static void add_header(struct MHD_Response *r, const char *k, const char *v)
{
    if (MHD_add_response_header(r, k, v) != MHD_YES)
        log_warn("http.header", "name", k, NULL);
}

static enum MHD_Result send_response(struct conn *cn)
{
    struct http_req *req = &cn->req;
    struct http_resp *resp = &req->resp;
    if (!resp->status) {
        resp->status = 500;
        resp->content_type = "text/plain; charset=utf-8";
        resp->body = "Interne fout";
        resp->body_len = strlen(resp->body);
    }
    bool head = req->method && strcmp(req->method, "HEAD") == 0;
    struct MHD_Response *r = MHD_create_response_from_buffer(
        head ? 0 : resp->body_len, (void *)resp->body,
        resp->is_static_asset ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    if (resp->content_type)
        add_header(r, "Content-Type", resp->content_type);
    add_header(r, "X-Content-Type-Options", "nosniff");
    add_header(r, "Referrer-Policy", "same-origin");
    add_header(r, "X-Frame-Options", "DENY");
    add_header(r, "Content-Security-Policy",
               "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
               "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    add_header(r, "Cross-Origin-Opener-Policy", "same-origin");
    add_header(r, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    if (req->rid)
        add_header(r, "X-Request-Id", req->rid);
    if (resp->is_static_asset)
        add_header(r, "Cache-Control", "public, max-age=3600");
    else
        add_header(r, "Cache-Control", "no-store");
    if (req->is_api || (req->path && strncmp(req->path, "/api/", 5) == 0))
        add_header(r, "API-Version", API_VERSION);
    for (int i = 0; i < resp->nheaders; i++)
        add_header(r, resp->headers[i].key, resp->headers[i].value);
    enum MHD_Result ok = MHD_queue_response(cn->mhd, (unsigned)resp->status, r);
    MHD_destroy_response(r);
    return ok;
}

/* Answers before the handler: malformed framing, oversized body, bad encoding. */
static enum MHD_Result reject(struct conn *cn, int status, const char *text)
{
    struct http_req *req = &cn->req;
    if (!req->path)
        req->path = "/";
    if (strncmp(req->path, "/api/", 5) == 0) {
        req->is_api = true;
        http_resp_problem(req, status, text, NULL, NULL);
    } else {
        http_resp_text(req, status, text);
    }
    http_resp_header(req, "Connection", "close");
    cn->phase = PHASE_READY;
    return send_response(cn);
}

static void run_deferred_job(void *arg)
{
    struct conn *cn = arg;
    dispatch_run_deferred(&cn->req);
    cn->phase = PHASE_READY;
    MHD_resume_connection(cn->mhd);
}

void http_defer(struct http_req *req, http_work work)
{
    req->deferred = work;
}

static const char *client_addr(struct conn *cn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(cn->mhd, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char tmp[INET6_ADDRSTRLEN] = "";
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, tmp,
                      sizeof tmp);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, tmp,
                      sizeof tmp);
    }
    return arena_strdup(cn->req.arena, tmp);
}

static bool is_form(struct http_req *req)
{
    const char *ct = http_header(req, "Content-Type");
    return ct && strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0;
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *c, const char *url,
                                 const char *method, const char *version, const char *upload_data,
                                 size_t *upload_data_size, void **req_cls)
{
    struct conn *cn = *req_cls;
    UNUSED(cls);
    UNUSED(c);
    UNUSED(version);
    if (!cn)
        return MHD_NO; /* on_uri always runs first */
    struct http_req *req = &cn->req;

    if (cn->phase == PHASE_NEW) {
        req->method = arena_strdup(req->arena, method);
        req->headers = arena_calloc(req->arena, HTTP_MAX_HEADERS, sizeof *req->headers);
        req->path = "/";
        if (!req->method || !req->headers)
            return MHD_NO;
        struct header_scan hs = {.cn = cn};
        MHD_get_connection_values(c, MHD_HEADER_KIND, collect_header, &hs);
        cn->phase = PHASE_BODY;
        if (!url || cn->bad_path || !utf8_valid(url, strlen(url), NULL) ||
            utf8_has_controls(url, strlen(url)))
            return reject(cn, 400, "Ongeldige URL");
        req->path = arena_strdup(req->arena, url);
        /* Request smuggling defences that bookworm's MHD lacks (engineering.md A1.4). */
        if (hs.content_length_count > 1)
            return reject(cn, 400, "Meer dan een Content-Length");
        if (hs.content_length_count && hs.transfer_encoding_count)
            return reject(cn, 400, "Content-Length en Transfer-Encoding samen");
        if (hs.transfer_encoding_count > 1 || hs.te_not_chunked)
            return reject(cn, 400, "Transfer-Encoding niet ondersteund");
        if (hs.cl_invalid)
            return reject(cn, 400, "Ongeldige Content-Length");
        if (cn->bad_utf8)
            return reject(cn, 400, "Ongeldige tekens in een header");
        cn->body_limit =
            strncmp(req->path, "/api/", 5) == 0 ? HTTP_MAX_BODY_API : HTTP_MAX_BODY_FORM;
        if (hs.content_length_count && (uint64_t)hs.content_length > cn->body_limit)
            return reject(cn, 413, "Verzoek te groot");
        req->client_addr = client_addr(cn);
        return MHD_YES;
    }

    if (cn->phase == PHASE_BODY && *upload_data_size > 0) {
        /* Chunked bodies have no declared length: count as they stream in. MHD allows a
         * response only before or after the body, so an overflow closes the connection. */
        if (cn->body.len + *upload_data_size > cn->body_limit ||
            buf_append(&cn->body, upload_data, *upload_data_size) != 0) {
            log_info("http.body_too_big", "rid", req->rid, NULL);
            return MHD_NO;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }

    if (cn->phase == PHASE_BODY) {
        /* Whole request received. */
        req->body = buf_cstr(&cn->body);
        req->body_len = cn->body.len;
        if (cn->raw_query && *cn->raw_query &&
            http_parse_urlencoded(req->arena, cn->raw_query, strlen(cn->raw_query), &req->query,
                                  &req->nquery) != 0)
            return reject(cn, 400, "Ongeldige querystring");
        if (req->body_len && is_form(req) &&
            http_parse_urlencoded(req->arena, req->body, req->body_len, &req->form, &req->nform) !=
                0)
            return reject(cn, 400, "Ongeldig formulier");
        dispatch(req);
        if (req->deferred && !req->resp.status) {
            cn->phase = PHASE_DEFERRED;
            MHD_suspend_connection(c);
            if (jobq_submit(req->app->jobs, run_deferred_job, cn) != 0) {
                req->deferred = NULL;
                MHD_resume_connection(c);
                cn->phase = PHASE_READY;
                http_resp_header(req, "Retry-After", "5");
                if (req->is_api)
                    http_resp_problem(req, 503, "Te druk",
                                      "De server is even te druk. Probeer het zo opnieuw.", NULL);
                else
                    http_resp_text(req, 503, "Te druk, probeer het zo opnieuw.");
                return send_response(cn);
            }
            return MHD_YES;
        }
        cn->phase = PHASE_READY;
        return send_response(cn);
    }

    if (cn->phase == PHASE_READY)
        return send_response(cn);
    return MHD_YES; /* still deferred (spurious call) */
}

static void on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct conn *cn = *req_cls;
    UNUSED(cls);
    UNUSED(c);
    if (!cn)
        return;
    if (cn->req.method) {
        char status[16], dur[32];
        int64_t us = (int64_t)(ms_since(&cn->started) * 1000.0);
        snprintf(status, sizeof status, "%d", cn->req.resp.status);
        snprintf(dur, sizeof dur, "%" PRId64 ".%03" PRId64, us / 1000, us % 1000);
        /* No client address in the log: it is personal data we do not need. */
        log_info("http.req", "rid", cn->req.rid, "method", cn->req.method, "path", cn->req.path,
                 "status", status, "dur_ms", dur, "done",
                 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "ok" : "aborted", NULL);
    }
    buf_release(&cn->body);
    arena_free(cn->req.arena);
    free(cn);
    *req_cls = NULL;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    char msg[256];
    UNUSED(cls);
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        msg[--n] = '\0';
    log_debug("mhd", "msg", msg, NULL);
}

int server_start(struct app *app, struct server **out, int *port_out, struct err_ctx *e)
{
    struct server *s = xcalloc(1, sizeof *s);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)app->cfg->port);
    if (inet_pton(AF_INET, app->cfg->listen, &addr.sin_addr) != 1) {
        free(s);
        return err_set(e, ERR_INVALID, "listen", "listen must be an IPv4 address, not '%.60s'",
                       app->cfg->listen);
    }
    s->app = app;
    uint32_t seed = (uint32_t)time(NULL) ^ (uint32_t)(uintptr_t)s;
    rid_prefix = seed * 2654435761u;
    s->daemon = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG, 0, NULL, NULL,
        on_access, s, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)app->cfg->threads,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)app->cfg->conn_limit, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)app->cfg->conn_timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)SERVER_CONN_MEMORY, MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, s, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_END);
    if (!s->daemon) {
        free(s);
        return err_set(e, ERR_IO, "port", "cannot listen on %s:%d (in use, or no permission)",
                       app->cfg->listen, app->cfg->port);
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    if (port_out)
        *port_out = di ? (int)di->port : app->cfg->port;
    *out = s;
    return 0;
}

void server_stop(struct server *s)
{
    if (!s)
        return;
    MHD_stop_daemon(s->daemon);
    free(s);
}
