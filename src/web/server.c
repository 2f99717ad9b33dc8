/*
 * server.c: libmicrohttpd glue. Owns the request lifecycle: the per-request arena (created in
 * the URI-log callback, freed in the completion callback), header checks that MHD 0.9.75 does
 * not do itself (duplicate or conflicting Content-Length / Transfer-Encoding), body limits,
 * streamed uploads (multipart through MHD's post processor, or a raw API body) into temp files
 * under <data_dir>/tmp, suspension while deferred work runs on the job queue, and the security
 * headers.
 */
#include "web/server.h"
#include "core/common.h"
#include "core/log.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "web/dispatch.h"
#include "web/http.h"
#include "web/i18n.h"
#include "web/page.h"
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SERVER_CONN_MEMORY (64u * 1024u)   /* header + URL cap: larger gets 431/414 from MHD */
#define UPLOAD_PP_BUFFER   (16u * 1024u)   /* post processor buffer: part headers, field names */
#define UPLOAD_SLACK       (1024u * 1024u) /* multipart framing and small fields beyond the file */
#define UPLOAD_TMP_PREFIX  "upload-"

struct server {
    struct MHD_Daemon *daemon;
    struct app *app;
    char *tmp_dir;         /* <data_dir>/tmp, mode 0700 */
    uint64_t upload_limit; /* bytes of one uploaded file */
};

/* A streamed upload (ROUTE_UPLOAD). The temp file is unlinked in on_completed unless kept. */
struct upload_state {
    struct MHD_PostProcessor *pp; /* multipart form; NULL for a raw API body */
    int fd;                       /* open temp file, or -1 */
    const char *path;             /* arena; NULL until the file exists */
    bool kept;                    /* http_upload_keep(): the file now belongs to someone else */
    bool file_started;            /* multipart: a file part with content was seen */
    bool extra_file;              /* multipart: more than one file was sent (refused) */
    const char *file_key;         /* multipart: the part name of the file */
    uint64_t raw_bytes;           /* body bytes received (framing included) */
    int status;                   /* 0, or the HTTP status to refuse with */
    const char *status_text;
    /* Multipart text fields, gathered into req->form when the body is complete. */
    struct buf field;      /* value of the field being received */
    const char *field_key; /* arena */
    bool field_open;
    size_t fields_bytes;     /* all text field bytes, limited like a form body */
    struct http_upload info; /* what http_upload() returns */
    bool have_file;
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
    bool bad_path;  /* the raw path held an escaped control character or a bad escape */
    bool bad_query; /* the query string did not parse (answered 400 once the body is in) */
    bool streaming; /* the body goes to cn->up, not cn->body */
    bool draining;  /* refused before the body: read and drop it, then send req->resp */
    struct upload_state up;
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
    cn->up.fd = -1;
    buf_init(&cn->up.field, HTTP_MAX_FIELD_LEN + 1);
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

static bool has_own_header(const struct http_resp *resp, const char *name)
{
    for (int i = 0; i < resp->nheaders; i++)
        if (strcasecmp(resp->headers[i].key, name) == 0)
            return true;
    return false;
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
    /* A handler may ask for a stricter policy than the default (the survey pages' referrer
     * policy; the sandbox and no caching at all of an evidence download): its header replaces
     * the default instead of being sent beside it. */
    if (!has_own_header(resp, "Referrer-Policy"))
        add_header(r, "Referrer-Policy", "same-origin");
    add_header(r, "X-Frame-Options", "DENY");
    if (!has_own_header(resp, "Content-Security-Policy"))
        add_header(r, "Content-Security-Policy",
                   "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src "
                   "'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                   "frame-ancestors 'none'");
    add_header(r, "Cross-Origin-Opener-Policy", "same-origin");
    add_header(r, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    if (req->rid)
        add_header(r, "X-Request-Id", req->rid);
    if (!has_own_header(resp, "Cache-Control"))
        add_header(r, "Cache-Control", resp->is_static_asset ? "public, max-age=3600" : "no-store");
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

/* --- Streamed uploads --- */

static bool has_content_type(struct http_req *req, const char *type)
{
    const char *ct = http_header(req, "Content-Type");
    size_t n = strlen(type);
    return ct && strncasecmp(ct, type, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static void upload_fail(struct upload_state *up, int status, const char *text)
{
    if (!up->status) {
        up->status = status;
        up->status_text = text;
    }
}

/* Creates the temp file (mode 0600 by mkstemp) in the server's tmp folder. */
static int upload_open(struct conn *cn)
{
    struct upload_state *up = &cn->up;
    char *tmpl = arena_printf(cn->req.arena, "%s/" UPLOAD_TMP_PREFIX "XXXXXX", cn->srv->tmp_dir);
    if (!tmpl)
        return ERR_NOMEM;
    int fd = mkstemp(tmpl);
    if (fd < 0) {
        log_error("upload.mkstemp", "dir", cn->srv->tmp_dir, "err", strerror(errno), NULL);
        return ERR_IO;
    }
    up->fd = fd;
    up->path = tmpl;
    return 0;
}

/* Appends to the temp file, counting against the limit. */
static int upload_write(struct conn *cn, const char *data, size_t n)
{
    struct upload_state *up = &cn->up;
    if (up->info.bytes + n > cn->srv->upload_limit) {
        upload_fail(up, 413, "Bestand te groot");
        return ERR_TOO_BIG;
    }
    while (n > 0) {
        ssize_t w = write(up->fd, data, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            log_error("upload.write", "rid", cn->req.rid, "err", strerror(errno), NULL);
            upload_fail(up, 500, "Het bestand kon niet worden opgeslagen");
            return ERR_IO;
        }
        data += w;
        n -= (size_t)w;
        up->info.bytes += (uint64_t)w;
    }
    return 0;
}

/* Ends the text field being received: it becomes a form field. */
static int field_close(struct conn *cn)
{
    struct upload_state *up = &cn->up;
    struct http_req *req = &cn->req;
    if (!up->field_open)
        return 0;
    up->field_open = false;
    const char *v = buf_cstr(&up->field);
    size_t vlen = up->field.len;
    if (!utf8_valid(v, vlen, NULL) || memchr(v, '\0', vlen)) {
        upload_fail(up, 400, "Ongeldig formulier");
        return ERR_INVALID;
    }
    if (req->nform >= HTTP_MAX_FIELDS) {
        upload_fail(up, 413, "Te veel formuliervelden");
        return ERR_TOO_BIG;
    }
    struct http_kv *kv = &req->form[req->nform];
    kv->key = up->field_key;
    kv->value = arena_strndup(req->arena, v, vlen);
    kv->value_len = vlen;
    buf_reset(&up->field);
    if (!kv->value) {
        upload_fail(up, 500, "Interne fout");
        return ERR_NOMEM;
    }
    req->nform++;
    return 0;
}

/* MHD's post processor hands us each part in pieces: off == 0 starts a part's value. */
static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *filename, const char *content_type,
                               const char *transfer_encoding, const char *data, uint64_t off,
                               size_t size)
{
    struct conn *cn = cls;
    struct upload_state *up = &cn->up;
    struct http_req *req = &cn->req;
    UNUSED(kind);
    UNUSED(transfer_encoding);
    if (up->status)
        return MHD_NO;
    if (!key || !utf8_valid(key, strlen(key), NULL) || utf8_has_controls(key, strlen(key)) ||
        strlen(key) > 256) {
        upload_fail(up, 400, "Ongeldig formulier");
        return MHD_NO;
    }
    if (filename) {
        /* A file input. An empty one (no file chosen) sends filename="" and no bytes. */
        if (field_close(cn))
            return MHD_NO;
        if (size == 0 && !up->file_started)
            return MHD_YES;
        if (!up->file_started) {
            if (upload_open(cn)) {
                upload_fail(up, 500, "Het bestand kon niet worden opgeslagen");
                return MHD_NO;
            }
            up->file_started = true;
            up->file_key = arena_strdup(req->arena, key);
            up->info.file_name = http_sanitize_file_name(req->arena, filename, strlen(filename));
            up->info.content_type = content_type &&
                                            utf8_valid(content_type, strlen(content_type), NULL) &&
                                            !utf8_has_controls(content_type, strlen(content_type))
                                        ? arena_strdup(req->arena, content_type)
                                        : "";
        } else if (up->extra_file || off == 0 || strcmp(up->file_key, key) != 0) {
            /* A second file: read on (the size limit still counts) and refuse at the end,
             * where the refusal can be sent as a page instead of a cut connection. */
            up->extra_file = true;
            return MHD_YES;
        }
        return upload_write(cn, data, size) ? MHD_NO : MHD_YES;
    }
    /* A text field: a new one starts at off 0 (a repeated empty call for the same field does
     * not start another). */
    bool same =
        up->field_open && up->field.len == 0 && up->field_key && strcmp(up->field_key, key) == 0;
    if (off == 0 && !same) {
        if (field_close(cn))
            return MHD_NO;
        up->field_key = arena_strdup(req->arena, key);
        up->field_open = true;
        buf_reset(&up->field);
    }
    if (!up->field_open || !up->field_key) {
        upload_fail(up, 400, "Ongeldig formulier");
        return MHD_NO;
    }
    up->fields_bytes += size;
    if (up->fields_bytes > HTTP_MAX_BODY_FORM || (size && buf_append(&up->field, data, size))) {
        upload_fail(up, 413, "Formulierveld te groot");
        return MHD_NO;
    }
    return MHD_YES;
}

/*
 * Prepares streaming once the upload route's checks passed: a post processor for a multipart
 * form, or a temp file for the raw API body.
 */
static int upload_begin(struct conn *cn)
{
    struct http_req *req = &cn->req;
    struct upload_state *up = &cn->up;
    cn->streaming = true;
    if (req->is_api)
        return upload_open(cn);
    req->form = arena_calloc(req->arena, HTTP_MAX_FIELDS, sizeof *req->form);
    if (!req->form)
        return ERR_NOMEM;
    up->pp = MHD_create_post_processor(cn->mhd, UPLOAD_PP_BUFFER, on_part, cn);
    return up->pp ? 0 : ERR_INVALID;
}

/* One piece of a streamed body. */
static void upload_feed(struct conn *cn, const char *data, size_t n)
{
    struct upload_state *up = &cn->up;
    if (up->status)
        return;
    up->raw_bytes += n;
    if (up->raw_bytes > cn->srv->upload_limit + (up->pp ? UPLOAD_SLACK : 0)) {
        upload_fail(up, 413, "Bestand te groot");
        return;
    }
    if (up->pp) {
        if (MHD_post_process(up->pp, data, n) != MHD_YES)
            upload_fail(up, 400, "Ongeldig formulier");
    } else {
        (void)upload_write(cn, data, n);
    }
}

/* The whole body is in: close the file and hand the upload to the handler. */
static void upload_finish(struct conn *cn)
{
    struct upload_state *up = &cn->up;
    struct http_req *req = &cn->req;
    if (up->pp) {
        if (MHD_destroy_post_processor(up->pp) != MHD_YES)
            upload_fail(up, 400, "Onvolledig formulier");
        up->pp = NULL;
        if (!up->status)
            (void)field_close(cn);
        if (up->extra_file)
            upload_fail(up, 400, "Meer dan een bestand");
    }
    if (up->fd >= 0) {
        if (close(up->fd) != 0)
            upload_fail(up, 500, "Het bestand kon niet worden opgeslagen");
        up->fd = -1;
    }
    if (req->is_api) {
        /* The raw body: its name comes from the query (?bestandsnaam=...). */
        const char *name = http_query(req, "bestandsnaam");
        const char *ct = http_header(req, "Content-Type");
        up->info.file_name = http_sanitize_file_name(req->arena, name, name ? strlen(name) : 0);
        up->info.content_type = ct ? ct : "";
        up->have_file = up->path != NULL;
    } else {
        up->have_file = up->file_started && up->path != NULL;
    }
    up->info.path = up->path;
    if (!up->info.file_name)
        up->info.file_name = "";
    if (!up->info.content_type)
        up->info.content_type = "";
}

/* Ends an upload when the request ends: the temp file goes unless a handler kept it. */
static void upload_release(struct conn *cn)
{
    struct upload_state *up = &cn->up;
    if (up->pp)
        MHD_destroy_post_processor(up->pp);
    up->pp = NULL;
    if (up->fd >= 0)
        close(up->fd);
    up->fd = -1;
    if (up->path && !up->kept && unlink(up->path) != 0 && errno != ENOENT)
        log_warn("upload.unlink", "path", up->path, "err", strerror(errno), NULL);
    buf_release(&up->field);
}

const struct http_upload *http_upload(struct http_req *req)
{
    struct conn *cn = req->server_ctx;
    if (!cn || !cn->up.have_file || cn->up.kept)
        return NULL;
    return &cn->up.info;
}

const char *http_upload_keep(struct http_req *req)
{
    struct conn *cn = req->server_ctx;
    if (!cn || !cn->up.have_file || cn->up.kept)
        return NULL;
    cn->up.kept = true;
    return cn->up.path;
}

/* The upload limit from the config: upload_max_mb MiB, never above HTTP_MAX_UPLOAD. */
static uint64_t upload_limit(const struct config *cfg)
{
    uint64_t mb = cfg->upload_max_mb > 0 ? (uint64_t)cfg->upload_max_mb : 2048;
    uint64_t n = mb * 1024u * 1024u;
    return n < HTTP_MAX_UPLOAD ? n : HTTP_MAX_UPLOAD;
}

/* Makes <data_dir>/tmp (0700) and removes what earlier runs left there (a crash mid-upload). */
static int prepare_tmp_dir(struct server *s, struct err_ctx *e)
{
    size_t dl = strlen(s->app->cfg->data_dir);
    s->tmp_dir = xmalloc(dl + sizeof "/tmp");
    memcpy(s->tmp_dir, s->app->cfg->data_dir, dl);
    memcpy(s->tmp_dir + dl, "/tmp", sizeof "/tmp");
    if (mkdir(s->tmp_dir, 0700) != 0 && errno != EEXIST)
        return err_set(e, ERR_IO, "data_dir", "cannot create %s: %s", s->tmp_dir, strerror(errno));
    struct stat st;
    if (lstat(s->tmp_dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return err_set(e, ERR_IO, "data_dir", "%s is not a folder", s->tmp_dir);
    if ((st.st_mode & 0777) != 0700 && chmod(s->tmp_dir, 0700) != 0)
        return err_set(e, ERR_IO, "data_dir", "cannot make %s private (0700)", s->tmp_dir);
    DIR *d = opendir(s->tmp_dir);
    if (!d)
        return err_set(e, ERR_IO, "data_dir", "cannot read %s", s->tmp_dir);
    int removed = 0;
    for (struct dirent *de = readdir(d); de; de = readdir(d)) {
        if (strncmp(de->d_name, UPLOAD_TMP_PREFIX, strlen(UPLOAD_TMP_PREFIX)) != 0)
            continue;
        if (unlinkat(dirfd(d), de->d_name, 0) == 0)
            removed++;
    }
    closedir(d);
    if (removed) {
        char num[16];
        snprintf(num, sizeof num, "%d", removed);
        log_info("upload.cleanup", "removed", num, "dir", s->tmp_dir, NULL);
    }
    return 0;
}

static bool is_form(struct http_req *req)
{
    const char *ct = http_header(req, "Content-Type");
    return ct && strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0;
}

/* Refuses a streamed upload with a page or problem+json in the user's language, and closes. */
static enum MHD_Result refuse_upload(struct conn *cn, int status, const char *text)
{
    struct http_req *req = &cn->req;
    memset(&req->resp, 0, sizeof req->resp);
    const char *detail = NULL;
    if (status == 413)
        detail = _("Het bestand is te groot. Splits het in kleinere bestanden of vraag de "
                   "beheerder om de grens (upload_max_mb) te verhogen.");
    else if (status == 400 && cn->up.extra_file)
        detail = _("Stuur één bestand tegelijk. Wilt u meer bestanden aanleveren, zet ze dan "
                   "samen in een zip-bestand.");
    else if (status == 400)
        detail = _("Het formulier kwam niet goed aan. Probeer het opnieuw.");
    else
        detail = _("Het bestand kon niet worden opgeslagen. Probeer het later opnieuw.");
    if (req->is_api) {
        http_resp_problem(req, status, text, detail, NULL);
    } else {
        i18n_use(req->lang);
        page_error(req, status, detail);
    }
    http_resp_header(req, "Connection", "close");
    cn->phase = PHASE_READY;
    return send_response(cn);
}

/*
 * First call of an upload route: only the headers are in. Authentication and CSRF come first
 * (401/403 without reading a byte), then the declared size, then the temp file.
 */
static enum MHD_Result start_upload(struct conn *cn, const struct header_scan *hs)
{
    struct http_req *req = &cn->req;
    if (cn->bad_query)
        return reject(cn, 400, "Ongeldige querystring");
    if (!dispatch_upload_begin(req)) {
        /* A small declared body (no more than any form may send) is read and dropped before
         * the answer, so the client is not cut off mid-write and sees the 401/403; anything
         * larger, or of unknown length, is answered now and the connection closed. */
        if (hs->content_length_count && (uint64_t)hs->content_length <= HTTP_MAX_BODY_FORM) {
            cn->draining = true;
            return MHD_YES;
        }
        http_resp_header(req, "Connection", "close");
        cn->phase = PHASE_READY;
        return send_response(cn);
    }
    uint64_t slack = req->is_api ? 0 : UPLOAD_SLACK;
    if (hs->content_length_count && (uint64_t)hs->content_length > cn->srv->upload_limit + slack)
        return refuse_upload(cn, 413, "Bestand te groot");
    int rc = upload_begin(cn);
    if (rc)
        return refuse_upload(cn, rc == ERR_INVALID ? 400 : 500,
                             rc == ERR_INVALID ? "Ongeldig formulier" : "Interne fout");
    return MHD_YES;
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
        req->client_addr = client_addr(cn);
        if (cn->raw_query && *cn->raw_query &&
            http_parse_urlencoded(req->arena, cn->raw_query, strlen(cn->raw_query), &req->query,
                                  &req->nquery) != 0)
            cn->bad_query = true;
        if (dispatch_is_upload(req) &&
            (strncmp(req->path, "/api/", 5) == 0 || has_content_type(req, "multipart/form-data")))
            return start_upload(cn, &hs);
        cn->body_limit =
            strncmp(req->path, "/api/", 5) == 0 ? HTTP_MAX_BODY_API : HTTP_MAX_BODY_FORM;
        if (hs.content_length_count && (uint64_t)hs.content_length > cn->body_limit)
            return reject(cn, 413, "Verzoek te groot");
        return MHD_YES;
    }

    if (cn->phase == PHASE_READY && *upload_data_size > 0)
        return MHD_NO; /* refused mid-body: do not read the rest */

    if (cn->phase == PHASE_BODY && cn->draining) {
        if (*upload_data_size > 0) {
            cn->up.raw_bytes += *upload_data_size;
            *upload_data_size = 0;
            return cn->up.raw_bytes > HTTP_MAX_BODY_FORM ? MHD_NO : MHD_YES;
        }
        cn->phase = PHASE_READY;
        return send_response(cn);
    }

    if (cn->phase == PHASE_BODY && cn->streaming && *upload_data_size > 0) {
        upload_feed(cn, upload_data, *upload_data_size);
        *upload_data_size = 0;
        if (cn->up.status) {
            /* MHD may not accept a response in the middle of a body; then the connection
             * closes, which also stops the client. */
            log_info("http.upload_refused", "rid", req->rid, "status",
                     cn->up.status == 413 ? "413" : "400", NULL);
            return refuse_upload(cn, cn->up.status, cn->up.status_text);
        }
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
        if (cn->bad_query)
            return reject(cn, 400, "Ongeldige querystring");
        if (cn->streaming) {
            upload_finish(cn);
            if (cn->up.status)
                return refuse_upload(cn, cn->up.status, cn->up.status_text);
        } else if (req->body_len && is_form(req) &&
                   http_parse_urlencoded(req->arena, req->body, req->body_len, &req->form,
                                         &req->nform) != 0)
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
    upload_release(cn);
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
    s->upload_limit = upload_limit(app->cfg);
    if (prepare_tmp_dir(s, e) != 0) {
        free(s->tmp_dir);
        free(s);
        return e ? e->code : ERR_IO;
    }
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
        free(s->tmp_dir);
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
    free(s->tmp_dir);
    free(s);
}
