/*
 * page_evidence.c: evidence files of a review (bewijsstukken) over HTTP: the upload (page form
 * and API), the download and the removal. Rules live in domain/evidence.c; this file maps them
 * to requests. Downloads are never shown inline: always Content-Disposition: attachment with
 * an RFC 6266 file name, the type detected at upload (never the client's), nosniff, a
 * sandboxing Content-Security-Policy and no caching. After an upload, the configured virus
 * scanner (config virusscan_command) runs on the job queue. docs/evidence.md.
 */
#include "core/common.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "domain/evidence.h"
#include "domain/review.h"
#include "web/api_json.h"
#include "web/evidence_panel.h"
#include "web/page.h"
#include "web/page_kit.h"
#include "web/router.h"
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#define API_EVIDENCE "/api/v1/toetsingen/{id}/bewijsstukken"

/* --- shared --- */

/* The review of path parameter 0, if the actor may view it; answers 404 itself otherwise. */
static int load_review(struct http_req *req, struct review *r, bool api)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id))
        return -1;
    int ret = review_get(req->arena, req->app->store, &req->actor, id, r);
    if (ret == 0)
        return 0;
    struct err_ctx e = {0};
    if (api)
        api_reply_err(req, ret == ERR_NOT_FOUND ? ERR_NOT_FOUND : ret, &e, NULL);
    else
        page_error(req, http_status_for_err(ret), NULL);
    return -1;
}

struct scan_job {
    struct store *store;
    char *data_dir;
    char *command;
    int64_t id;
};

static void scan_run(void *arg)
{
    struct scan_job *j = arg;
    enum evidence_scan result;
    struct err_ctx e = {0};
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)j->id);
    if (evidence_scan(j->store, j->data_dir, j->command, j->id, &result, &e) != 0)
        log_error("evidence.scan_fail", "id", id, "msg", e.msg, NULL);
    else
        log_info("evidence.scan", "id", id, "result", evidence_scan_code(result), NULL);
    free(j->data_dir);
    free(j->command);
    free(j);
}

/* Queues the virus scan of a new file when a scanner is configured. */
static void queue_scan(struct http_req *req, int64_t id)
{
    const struct config *cfg = req->app->cfg;
    if (!cfg->virusscan_command || !*cfg->virusscan_command || !req->app->jobs)
        return;
    struct scan_job *j = xcalloc(1, sizeof *j);
    *j = (struct scan_job){.store = req->app->store,
                           .data_dir = xstrdup(cfg->data_dir),
                           .command = xstrdup(cfg->virusscan_command),
                           .id = id};
    if (jobq_submit(req->app->jobs, scan_run, j) != 0) {
        char sid[24];
        snprintf(sid, sizeof sid, "%lld", (long long)id);
        log_warn("evidence.scan_queue_full", "id", sid, NULL); /* stays niet_gescand */
        free(j->data_dir);
        free(j->command);
        free(j);
    }
}

/* Runs the upload of this request into review r; 0 with *id, or the error in e. */
static int add_upload(struct http_req *req, const struct review *r, const char *name,
                      int64_t criterion_id, int64_t *id, struct err_ctx *e)
{
    const struct http_upload *up = http_upload(req);
    if (!up)
        return err_set(e, ERR_INVALID, "bestand", "%s", _("Kies een bestand."));
    if (up->bytes > (uint64_t)EVIDENCE_FILE_MAX)
        return err_set(e, ERR_TOO_BIG, "bestand",
                       _("Bestand ‘%.60s’ geweigerd: het bestand is groter dan 20 MiB (de grens "
                         "per bestand)."),
                       name ? name : "");
    struct evidence_upload u = {
        .data_dir = req->app->cfg->data_dir,
        .temp_path = up->path,
        .name = name,
        .name_len = name ? strlen(name) : 0,
        .criterion_id = criterion_id,
    };
    int ret = evidence_add(req->arena, req->app->store, &req->actor, r, &u, id, e);
    if (ret == 0)
        queue_scan(req, *id);
    return ret;
}

/* RFC 6266 / RFC 8187: an ASCII fallback name and the exact UTF-8 name percent-encoded. */
static const char *disposition(struct arena *a, const char *name)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(name);
    char *ascii = arena_alloc(a, n + 1);
    char *enc = arena_alloc(a, n * 3 + 1);
    if (!ascii || !enc)
        return "attachment";
    size_t k = 0, m = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                     c == '.' || c == '-' || c == '_';
        if (plain || c == ' ')
            ascii[k++] = (char)c;
        else if ((c & 0xC0) != 0x80) /* one '_' per non-ASCII character */
            ascii[k++] = '_';
        if (plain) {
            enc[m++] = (char)c;
        } else {
            enc[m++] = '%';
            enc[m++] = hex[c >> 4];
            enc[m++] = hex[c & 15];
        }
    }
    ascii[k] = '\0';
    enc[m] = '\0';
    const char *d = arena_printf(a, "attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii, enc);
    return d ? d : "attachment";
}

static void release_body(void *p)
{
    free(p);
}

/* Sends file id of review r as a download, or answers the error. */
static void send_download(struct http_req *req, const struct review *r, int64_t id, bool api)
{
    struct evidence_file f;
    int fd = -1;
    const char *path = NULL;
    struct err_ctx e = {0};
    int ret = evidence_open(req->arena, req->app->store, &req->actor, r, req->app->cfg->data_dir,
                            id, &f, &fd, &path, &e);
    if (ret) {
        if (api)
            api_reply_err(req, ret, &e, NULL);
        else
            page_error(req, http_status_for_err(ret), ret == ERR_NOT_FOUND ? NULL : e.msg);
        return;
    }
    /* Files reach 20 MiB, more than a request arena holds: the body is heap memory released
     * with the request. */
    unsigned char *body = xmalloc((size_t)f.size ? (size_t)f.size : 1);
    size_t got = 0;
    while (got < (size_t)f.size) {
        ssize_t n = read(fd, body + got, (size_t)f.size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    if (got != (size_t)f.size) {
        free(body);
        if (api)
            api_reply_err(req, ERR_IO, &e, NULL);
        else
            page_error(req, 500, NULL);
        return;
    }
    arena_defer(req->arena, release_body, body);
    req->resp.status = 200;
    req->resp.content_type = evidence_type_media(f.type);
    req->resp.body = (const char *)body;
    req->resp.body_len = got;
    http_resp_header(req, "Content-Disposition", disposition(req->arena, f.name));
    /* Stricter than the site's policy: a browser that renders it anyway runs no script and
     * loads nothing. Both policies apply; the strictest wins. */
    http_resp_header(req, "Content-Security-Policy", "sandbox; default-src 'none'");
    http_resp_header(req, "Cache-Control", "private, no-store");
    http_resp_header(req, "Cross-Origin-Resource-Policy", "same-origin");
    http_resp_header(req, "X-Download-Options", "noopen");
}

/* --- pages --- */

static const char *back_path(struct http_req *req, const struct review *r)
{
    const char *t = http_form(req, "terug");
    if (t && http_local_path(t) && strncmp(t, "//", 2) != 0)
        return t;
    return arena_printf(req->arena, "/toetsingen/%lld#bewijsstukken", (long long)r->id);
}

/* The refusal page: the message in the error summary, the panel to try again. */
static void upload_refused(struct http_req *req, const struct review *r, const struct err_ctx *e,
                           int status)
{
    struct html h;
    struct form_errors fe = {0};
    struct err_ctx ce = *e;
    if (!ce.field)
        ce.field = "bestand";
    form_error_add(&fe, &ce);
    const char *rpath = arena_printf(req->arena, "/toetsingen/%lld", (long long)r->id);
    const struct crumb crumbs[] = {{_("Toetsingen"), "/toetsingen"},
                                   {_("Toetsing"), rpath},
                                   {_("Bewijsstuk toevoegen"), NULL}};
    html_init(&h);
    page_begin(&h, req, _("Bewijsstuk niet toegevoegd"), crumbs, 3);
    form_error_summary(&h, &fe);
    evidence_panel(&h, req, r, 0);
    kit_button_link(&h, back_path(req, r), _("Terug naar de toetsing"), false);
    page_end(&h, req);
    page_send(req, &h, status);
}

/* POST /toetsingen/{id}/bewijsstukken (multipart: bestand, criterium, terug) */
static void upload_page(struct http_req *req)
{
    struct review r;
    if (load_review(req, &r, false))
        return;
    if (!evidence_may_upload(&req->actor, &r, req->arena)) {
        page_error(req, r.status == REVIEW_BESLOTEN ? 409 : 403,
                   _("U kunt bij deze toetsing geen bewijsstukken toevoegen."));
        return;
    }
    int64_t criterion = 0;
    const char *c = http_form(req, "criterium");
    struct err_ctx e = {0};
    if (c && *c && !(criterion = kit_id(c))) {
        err_set(&e, ERR_INVALID, "criterium", "%s", _("Kies een criterium uit de lijst."));
        upload_refused(req, &r, &e, 422);
        return;
    }
    const struct http_upload *up = http_upload(req);
    int64_t id = 0;
    int ret = add_upload(req, &r, up ? up->file_name : NULL, criterion, &id, &e);
    if (ret) {
        int status = ret == ERR_INVALID ? 422 : http_status_for_err(ret);
        if (status >= 500)
            log_error("evidence.upload_fail", "rid", req->rid, "msg", e.msg, NULL);
        upload_refused(req, &r, &e, status);
        return;
    }
    const char *back = back_path(req, &r);
    const char *hash = strchr(back, '#');
    size_t base = hash ? (size_t)(hash - back) : strlen(back);
    http_redirect(req, arena_printf(req->arena, "%.*s%smelding=aangemaakt%s", (int)base, back,
                                    memchr(back, '?', base) ? "&" : "?", hash ? hash : ""));
}

static int64_t param_id(struct http_req *req, int i)
{
    int64_t id = 0;
    if (i < req->nparams && req->params[i])
        id = kit_id(req->params[i]);
    return id;
}

/* GET /toetsingen/{id}/bewijsstukken/{bestand} */
static void download_page(struct http_req *req)
{
    struct review r;
    if (load_review(req, &r, false))
        return;
    int64_t id = param_id(req, 1);
    if (!id) {
        page_error(req, 404, NULL);
        return;
    }
    send_download(req, &r, id, false);
}

/* POST /toetsingen/{id}/bewijsstukken/{bestand}/verwijderen */
static void remove_page(struct http_req *req)
{
    struct review r;
    if (load_review(req, &r, false))
        return;
    int64_t id = param_id(req, 1);
    struct err_ctx e = {0};
    int ret = id ? evidence_remove(req->arena, req->app->store, &req->actor, &r,
                                   req->app->cfg->data_dir, id, &e)
                 : ERR_NOT_FOUND;
    if (ret) {
        page_error(req, http_status_for_err(ret), ret == ERR_NOT_FOUND ? NULL : e.msg);
        return;
    }
    http_redirect(req, arena_printf(req->arena,
                                    "/toetsingen/%lld?melding=gearchiveerd"
                                    "#bewijsstukken",
                                    (long long)r.id));
}

/* --- API --- */

static json_t *file_json(const struct review *r, const struct evidence_file *f)
{
    return json_pack("{s:I, s:I, s:o, s:s, s:s, s:s, s:I, s:s, s:o, s:I, s:o, s:s, s:s, s:o, "
                     "s:s}",
                     "id", (json_int_t)f->id, "toetsingId", (json_int_t)r->id, "criteriumId",
                     f->criterion_id ? json_integer(f->criterion_id) : json_null(), "naam", f->name,
                     "soort", evidence_type_code(f->type), "mediaType",
                     evidence_type_media(f->type), "bytes", (json_int_t)f->size, "sha256",
                     f->sha256, "toegevoegdDoor",
                     f->uploaded_by ? json_integer(f->uploaded_by) : json_null(), "organisatieId",
                     (json_int_t)f->org_id, "organisatieNaam", api_str_or_null(f->org_name),
                     "toegevoegdOp", f->uploaded_at, "virusscan", evidence_scan_code(f->scan),
                     "gescandOp", api_str_or_null(f->scanned_at), "download", "");
}

static json_t *file_json_full(struct http_req *req, const struct review *r,
                              const struct evidence_file *f)
{
    json_t *j = file_json(r, f);
    if (j)
        json_object_set_new(
            j, "download",
            json_string(arena_printf(req->arena, "/api/v1/toetsingen/%lld/bewijsstukken/%lld",
                                     (long long)r->id, (long long)f->id)));
    return j;
}

/* GET /api/v1/toetsingen/{id}/bewijsstukken[?criterium=] */
static void api_list(struct http_req *req)
{
    static const char *const params[] = {"criterium", NULL};
    struct api_page p;
    struct review r;
    int64_t criterion = 0;
    if (api_query_or_reply(req, params, &p) ||
        api_query_id_or_reply(req, "criterium", &criterion) || load_review(req, &r, true))
        return;
    struct evidence_file *fs = NULL;
    int n = 0;
    int ret = evidence_list(req->arena, req->app->store, &req->actor, &r, criterion, &fs, &n);
    if (ret) {
        struct err_ctx e = {0};
        api_reply_err(req, ret, &e, NULL);
        return;
    }
    json_t *items = json_array();
    int from = p.offset < n ? p.offset : n;
    int to = from + p.limit < n ? from + p.limit : n;
    for (int i = from; items && i < to; i++)
        if (json_array_append_new(items, file_json_full(req, &r, &fs[i])) != 0) {
            json_decref(items);
            items = NULL;
        }
    api_send_list(req, items, n, &p);
}

/* POST /api/v1/toetsingen/{id}/bewijsstukken?bestandsnaam=...&criterium=... (body: the file) */
static void api_create(struct http_req *req)
{
    static const char *const params[] = {"bestandsnaam", "criterium", NULL};
    struct review r;
    const char *name = NULL;
    int64_t criterion = 0;
    if (api_query_or_reply(req, params, NULL) ||
        api_query_text_or_reply(req, "bestandsnaam", &name) ||
        api_query_id_or_reply(req, "criterium", &criterion) || load_review(req, &r, true))
        return;
    if (!evidence_may_upload(&req->actor, &r, req->arena)) {
        struct err_ctx e = {0};
        err_set(&e, r.status == REVIEW_BESLOTEN ? ERR_CONFLICT : ERR_DENIED, NULL, "%s",
                _("U kunt bij deze toetsing geen bewijsstukken toevoegen."));
        api_reply_err(req, e.code, &e, NULL);
        return;
    }
    if (!name || !*name) {
        api_reply_invalid(req, "bestandsnaam",
                          _("Geef de naam van het bestand mee in de parameter bestandsnaam."));
        return;
    }
    int64_t id = 0;
    struct err_ctx e = {0};
    int ret = add_upload(req, &r, name, criterion, &id, &e);
    if (ret) {
        api_reply_err(req, ret, &e, NULL);
        return;
    }
    struct evidence_file f;
    if (evidence_get(req->arena, req->app->store, &req->actor, &r, id, &f) != 0) {
        api_reply_err(req, ERR_INTERNAL, &e, NULL);
        return;
    }
    const char *coll = arena_printf(req->arena, "/toetsingen/%lld/bewijsstukken", (long long)r.id);
    api_send_created(req, coll ? coll : "/toetsingen", id, file_json_full(req, &r, &f));
}

/* GET /api/v1/toetsingen/{id}/bewijsstukken/{bestand} */
static void api_download(struct http_req *req)
{
    struct review r;
    if (api_query_or_reply(req, NULL, NULL) || load_review(req, &r, true))
        return;
    int64_t id = param_id(req, 1);
    if (!id) {
        struct err_ctx e = {0};
        api_reply_err(req, ERR_NOT_FOUND, &e, NULL);
        return;
    }
    send_download(req, &r, id, true);
}

/* DELETE /api/v1/toetsingen/{id}/bewijsstukken/{bestand} */
static void api_delete(struct http_req *req)
{
    struct review r;
    if (api_query_or_reply(req, NULL, NULL) || load_review(req, &r, true))
        return;
    int64_t id = param_id(req, 1);
    struct err_ctx e = {0};
    int ret = id ? evidence_remove(req->arena, req->app->store, &req->actor, &r,
                                   req->app->cfg->data_dir, id, &e)
                 : ERR_NOT_FOUND;
    if (ret) {
        api_reply_err(req, ret, &e, NULL);
        return;
    }
    req->resp.status = 204;
    req->resp.body = "";
    req->resp.body_len = 0;
}

const struct route evidence_page_routes[] = {
    {"POST", "/toetsingen/{id}/bewijsstukken", upload_page, ROUTE_UPLOAD, "evidence.upload"},
    {"GET", "/toetsingen/{id}/bewijsstukken/{bestand}", download_page, 0, "evidence.download"},
    {"POST", "/toetsingen/{id}/bewijsstukken/{bestand}/verwijderen", remove_page, 0,
     "evidence.remove"},
    {"GET", API_EVIDENCE, api_list, ROUTE_API, "api.evidence.list"},
    {"POST", API_EVIDENCE, api_create, ROUTE_API | ROUTE_UPLOAD, "api.evidence.create"},
    {"GET", API_EVIDENCE "/{bestand}", api_download, ROUTE_API, "api.evidence.download"},
    {"DELETE", API_EVIDENCE "/{bestand}", api_delete, ROUTE_API, "api.evidence.delete"},
    ROUTES_END,
};
