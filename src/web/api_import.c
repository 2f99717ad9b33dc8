/*
 * api_import.c: /api/v1/aanleveringen: delivering a file (the raw request body, streamed to a
 * temp file by the server and imported on the job queue), listing and reading deliveries
 * (import batches) with their rejected records, and undoing one. Delivering through a token
 * needs the scope "import" (policy.c).
 */
#include "core/common.h"
#include "core/str.h"
#include "domain/policy.h"
#include "ingest/batch.h"
#include "ingest/pipeline.h"
#include "web/api_json.h"
#include "web/import_job.h"
#include "web/router.h"
#include <strings.h>

#define COLLECTION "/aanleveringen"

static const struct api_alias aliases[] = {
    {"profile", "profiel"},   {"profile_id", "profiel"}, {"kind", "soort"},
    {"path", "bestandsnaam"}, {"file", "bestandsnaam"},  {NULL, NULL},
};

/* Body types a delivery may have; the content decides what it is (import_detect_kind). */
static const char *const accepted_types[] = {
    "application/octet-stream",
    "application/zip",
    "application/x-zip-compressed",
    "application/xml",
    "text/xml",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

static const struct {
    const char *code;
    enum import_kind kind;
} kinds[] = {
    {"automatisch", IMPORT_AUTO},
    {"berichten", IMPORT_MESSAGES},
    {"registratie", IMPORT_REGISTRATION},
    {"bevolking", IMPORT_POPULATION},
};

static bool accepted_type(const char *ct)
{
    if (!ct)
        return false;
    size_t n = strcspn(ct, "; \t");
    for (size_t i = 0; i < ARRAY_LEN(accepted_types); i++)
        if (strlen(accepted_types[i]) == n && strncasecmp(ct, accepted_types[i], n) == 0)
            return true;
    return false;
}

static json_t *batch_json(const struct import_batch *b)
{
    json_t *counts =
        json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "gelezen", (json_int_t)b->n_read,
                  "geaccepteerd", (json_int_t)b->n_accepted, "afgewezen", (json_int_t)b->n_rejected,
                  "overgeslagen", (json_int_t)b->n_skipped, "gemarkeerd", (json_int_t)b->n_flagged,
                  "test", (json_int_t)b->n_test, "trajecten", (json_int_t)b->n_trajectories);
    if (!counts)
        return NULL;
    return json_pack("{s:I, s:s?, s:s?, s:s?, s:I, s:o, s:o, s:o, s:o, s:s?, s:o, s:o, s:s?, "
                     "s:o, s:s?, s:s?, s:s?, s:s?, s:s?}",
                     "id", (json_int_t)b->id, "soort", b->kind, "bestandsnaam", b->file_name,
                     "sha256", b->file_sha256, "bytes", (json_int_t)b->file_bytes, "organisatieId",
                     b->org_id ? json_integer(b->org_id) : json_null(), "organisatieNaam",
                     api_str_or_null(b->org_name), "gebruikerId",
                     b->user_id ? json_integer(b->user_id) : json_null(), "gebruikerNaam",
                     api_str_or_null(b->user_name), "via", b->via, "profielId",
                     b->profile_id ? json_integer(b->profile_id) : json_null(), "profielNaam",
                     api_str_or_null(b->profile_name), "status", b->status, "aantallen", counts,
                     "fout", b->error && *b->error ? b->error : NULL, "aangemaaktOp", b->created_at,
                     "afgerondOp", b->finished_at, "ongedaanOp", b->undone_at, "ongedaanDoor",
                     b->undone_by_name);
}

static json_t *rejection_json(const struct import_rejection *r)
{
    json_t *fields = NULL;
    if (r->fields) {
        fields = json_loads(r->fields, JSON_REJECT_DUPLICATES, NULL);
        if (fields && !json_is_array(fields)) {
            json_decref(fields);
            fields = NULL;
        }
    }
    return json_pack("{s:I, s:s, s:s?, s:o, s:o, s:o, s:s?, s:s?, s:o}", "volgnummer",
                     (json_int_t)r->seq, "uitkomst", r->skipped ? "overgeslagen" : "afgewezen",
                     "bron", r->source, "record",
                     r->record > 0 ? json_integer(r->record) : json_null(), "regel",
                     r->line > 0 ? json_integer(r->line) : json_null(), "kolom",
                     r->col > 0 ? json_integer(r->col) : json_null(), "element", r->element,
                     "reden", r->reason, "velden", fields ? fields : json_null());
}

/* Answers one batch (status 200 or 201) as the actor sees it. */
static void send_batch(struct http_req *req, int status, int64_t id)
{
    struct import_batch b;
    struct err_ctx e = {0};
    int rc = batch_get(req->app->store, &req->actor, id, req->arena, &b, &e);
    if (rc != 0) {
        api_reply_err(req, rc, &e, aliases);
        return;
    }
    if (status == 201)
        api_send_created(req, COLLECTION, id, batch_json(&b));
    else
        api_send(req, status, batch_json(&b));
}

/* 422 for a file that could not be read: problem+json that also names the (failed) batch. */
static void reply_unreadable(struct http_req *req, const struct import_report *rep)
{
    json_t *j = json_pack("{s:s, s:s, s:i, s:s, s:s, s:o}", "type", "about:blank", "title",
                          _("Bestand niet leesbaar"), "status", 422, "detail",
                          rep->error[0] ? rep->error : _("Het bestand kon niet worden gelezen."),
                          "instance", req->path, "aanleveringId",
                          rep->batch_id > 0 ? json_integer(rep->batch_id) : json_null());
    api_send(req, 422, j);
    if (req->resp.status == 422)
        req->resp.content_type = "application/problem+json";
    if (rep->batch_id > 0)
        http_resp_header(
            req, "Location",
            arena_printf(req->arena, API_PREFIX COLLECTION "/%" PRId64, rep->batch_id));
}

/* Runs on the job queue (http_defer): the HTTP thread is free while the file is imported. */
static void deliver_work(struct http_req *req)
{
    const struct http_upload *up = http_upload(req);
    const struct import_env *env = NULL;
    struct import_report rep;
    struct err_ctx e = {0};
    enum import_kind kind = IMPORT_AUTO;
    int64_t profile_id = 0;
    const char *soort = http_query(req, "soort");
    for (size_t i = 0; soort && i < ARRAY_LEN(kinds); i++)
        if (strcmp(soort, kinds[i].code) == 0)
            kind = kinds[i].kind;
    const char *profiel = http_query(req, "profiel"); /* checked before deferring */
    if (profiel && str_parse_i64_c(profiel, 1, INT64_MAX, &profile_id) != 0)
        profile_id = 0;
    memset(&rep, 0, sizeof rep);
    if (!up) {
        http_resp_problem(req, 500, _("Interne fout"), NULL, NULL);
        return;
    }
    if (import_slot_acquire(req->app) != 0) {
        http_resp_header(req, "Retry-After", "60");
        http_resp_problem(req, 503, _("Te druk"),
                          _("De server leest nu al een ander bestand in. Probeer het over een "
                            "minuut opnieuw."),
                          NULL);
        return;
    }
    int rc = import_env_get(req->app, &env, &e);
    if (rc != 0) {
        import_slot_release(req->app);
        http_resp_problem(req, 503, _("Inlezen kan nu niet"), e.msg, NULL);
        return;
    }
    struct import_request r = {.path = up->path,
                               .display_name = up->file_name,
                               .kind = kind,
                               .profile_id = profile_id,
                               .actor = &req->actor,
                               .via = VIA_API};
    rc = import_run(env, &r, &rep, &e);
    import_slot_release(req->app);
    if (rc != 0) {
        api_reply_err(req, rc, &e, aliases);
        return;
    }
    if (rep.failed) {
        reply_unreadable(req, &rep);
        return;
    }
    if (rep.duplicate) {
        /* The earlier delivery may be another organisation's, which this caller cannot see. */
        struct import_batch b;
        struct err_ctx ge = {0};
        if (batch_get(req->app->store, &req->actor, rep.batch_id, req->arena, &b, &ge) != 0) {
            http_resp_problem(req, 409, _("Al aangeleverd"),
                              _("Precies dit bestand is al eerder aangeleverd, door een andere "
                                "organisatie. Er is niets veranderd."),
                              NULL);
            return;
        }
        api_send(req, 200, batch_json(&b));
        return;
    }
    send_batch(req, 201, rep.batch_id);
}

/* POST /api/v1/aanleveringen?bestandsnaam=...&soort=...&profiel=... with the file as body. */
static void deliver(struct http_req *req)
{
    static const char *const params[] = {"bestandsnaam", "soort", "profiel", NULL};
    struct object_ref o = {.kind = OBJ_IMPORT_BATCH,
                           .owner_org_id = req->actor.org_id,
                           .owner_org_kind = req->actor.org_kind};
    const char *name = NULL, *soort = NULL;
    int64_t profile_id = 0;
    if (!policy_allows(&req->actor, ACT_CREATE, &o)) {
        http_resp_problem(req, 403, _("Geweigerd"),
                          req->actor.via_token
                              ? _("Dit token mag geen gegevens aanleveren: het mist het recht "
                                  "'import', of de gebruiker mag niet aanleveren.")
                              : _("U mag geen gegevens aanleveren."),
                          NULL);
        return;
    }
    if (api_query_or_reply(req, params, NULL) ||
        api_query_text_or_reply(req, "bestandsnaam", &name) ||
        api_query_text_or_reply(req, "soort", &soort) ||
        api_query_id_or_reply(req, "profiel", &profile_id))
        return;
    if (!name || !*http_sanitize_file_name(req->arena, name, strlen(name))) {
        api_reply_invalid(req, "bestandsnaam",
                          _("Geef de naam van het bestand mee in de parameter bestandsnaam."));
        return;
    }
    if (soort) {
        bool known = false;
        for (size_t i = 0; i < ARRAY_LEN(kinds); i++)
            known = known || strcmp(soort, kinds[i].code) == 0;
        if (!known) {
            api_reply_invalid(req, "soort",
                              _("Kies automatisch, berichten, registratie of bevolking."));
            return;
        }
    }
    if (!accepted_type(http_header(req, "Content-Type"))) {
        http_resp_problem(req, 415, _("Verkeerd mediatype"),
                          _("Stuur het bestand als application/octet-stream, application/zip, "
                            "application/xml, text/csv of als Excel-bestand (xlsx)."),
                          NULL);
        return;
    }
    const struct http_upload *up = http_upload(req);
    if (!up || up->bytes == 0) {
        api_reply_invalid(req, "bestand", _("Het bestand is leeg."));
        return;
    }
    http_defer(req, deliver_work);
}

/* GET /api/v1/aanleveringen */
static void list(struct http_req *req)
{
    static const char *const params[] = {"organisatie", "status", "soort", NULL};
    struct api_page p;
    struct batch_filter f = {0};
    struct import_batch *bs = NULL;
    int n = 0;
    int64_t total = 0;
    struct err_ctx e = {0};
    if (api_query_or_reply(req, params, &p) ||
        api_query_id_or_reply(req, "organisatie", &f.org_id) ||
        api_query_text_or_reply(req, "status", &f.status) ||
        api_query_text_or_reply(req, "soort", &f.kind))
        return;
    if (f.status && strcmp(f.status, "actief") != 0 && strcmp(f.status, "ongedaan") != 0 &&
        strcmp(f.status, "mislukt") != 0) {
        api_reply_invalid(req, "status", _("Kies actief, ongedaan of mislukt."));
        return;
    }
    if (f.kind && strcmp(f.kind, "berichten") != 0 && strcmp(f.kind, "registratie") != 0 &&
        strcmp(f.kind, "bevolking") != 0) {
        api_reply_invalid(req, "soort", _("Kies berichten, registratie of bevolking."));
        return;
    }
    f.limit = p.limit;
    f.offset = p.offset;
    int rc = batch_list(req->app->store, &req->actor, &f, req->arena, &bs, &n, &total, &e);
    if (rc != 0) {
        api_reply_err(req, rc, &e, aliases);
        return;
    }
    json_t *items = json_array();
    for (int i = 0; items && i < n; i++)
        if (json_array_append_new(items, batch_json(&bs[i])) != 0) {
            json_decref(items);
            items = NULL;
        }
    api_send_list(req, items, total > INT32_MAX ? INT32_MAX : (int)total, &p);
}

/* GET /api/v1/aanleveringen/{id} */
static void get(struct http_req *req)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, NULL))
        return;
    send_batch(req, 200, id);
}

/* GET /api/v1/aanleveringen/{id}/afwijzingen: rejected and skipped records, in order. */
static void rejections(struct http_req *req)
{
    int64_t id;
    struct api_page p;
    struct import_rejection *rs = NULL;
    int n = 0;
    int64_t total = 0;
    struct err_ctx e = {0};
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, &p))
        return;
    int rc = batch_rejections(req->app->store, &req->actor, id, p.offset, p.limit, req->arena, &rs,
                              &n, &total, &e);
    if (rc != 0) {
        api_reply_err(req, rc, &e, aliases);
        return;
    }
    json_t *items = json_array();
    for (int i = 0; items && i < n; i++)
        if (json_array_append_new(items, rejection_json(&rs[i])) != 0) {
            json_decref(items);
            items = NULL;
        }
    api_send_list(req, items, total > INT32_MAX ? INT32_MAX : (int)total, &p);
}

/* POST /api/v1/aanleveringen/{id}/ongedaan-maken */
static void undo(struct http_req *req)
{
    int64_t id;
    struct import_batch b;
    struct err_ctx e = {0};
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, NULL))
        return;
    /* Who may not undo hears so before anything about the batch's state. */
    int rc = batch_get(req->app->store, &req->actor, id, req->arena, &b, &e);
    if (rc != 0) {
        api_reply_err(req, rc, &e, aliases);
        return;
    }
    struct object_ref ref = {.kind = OBJ_IMPORT_BATCH, .id = b.id, .owner_org_id = b.org_id};
    if (!policy_allows(&req->actor, ACT_UNDO, &ref)) {
        http_resp_problem(req, 403, _("Geweigerd"),
                          _("U mag deze aanlevering niet ongedaan maken."), NULL);
        return;
    }
    rc = batch_undo(req->app->store, &req->actor, id, &e);
    if (rc != 0) {
        api_reply_err(req, rc, &e, aliases);
        return;
    }
    send_batch(req, 200, id);
}

const struct route api_import_routes[] = {
    {"GET", API_PREFIX COLLECTION, list, ROUTE_API, "api.import.list"},
    {"POST", API_PREFIX COLLECTION, deliver, ROUTE_API | ROUTE_UPLOAD, "api.import.create"},
    {"GET", API_PREFIX COLLECTION "/{id}", get, ROUTE_API, "api.import.get"},
    {"GET", API_PREFIX COLLECTION "/{id}/afwijzingen", rejections, ROUTE_API,
     "api.import.rejections"},
    {"POST", API_PREFIX COLLECTION "/{id}/ongedaan-maken", undo, ROUTE_API, "api.import.undo"},
    ROUTES_END,
};
