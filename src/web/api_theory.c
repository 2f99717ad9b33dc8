/*
 * api_theory.c: /api/v1/maatschappelijke-resultaten/{id}/verandertheorie: read and replace the
 * theory of change of a societal result as its canonical JSON document (domain/theory.h), and
 * read its versions. A PUT carries the `versie` the client last saw (optimistic locking: a
 * stale version answers 409); an aanbieder may only change its own activities (403).
 */
#include "core/common.h"
#include "domain/theory.h"
#include "web/api_json.h"
#include "web/router.h"

#define PATH API_PREFIX "/maatschappelijke-resultaten/{id}/verandertheorie"

static const struct api_alias aliases[] = {
    {"aanbieder_id", "aanbieder"},
    {"version", "versie"},
    {NULL, NULL},
};

/* The canonical document of t plus who changed it when. New reference or NULL. */
static json_t *theory_doc(const struct theory *t)
{
    struct buf b;
    buf_init(&b, THEORY_DOC_MAX * 2);
    json_t *j = NULL;
    if (theory_to_json(t, &b) == 0) {
        const char *s = buf_cstr(&b);
        j = json_loadb(s, strlen(s), 0, NULL);
    }
    buf_release(&b);
    if (j && (json_object_set_new(j, "gewijzigdOp", api_str_or_null(t->updated_at)) ||
              json_object_set_new(j, "gewijzigdDoor", api_str_or_null(t->updated_by_name)))) {
        json_decref(j);
        j = NULL;
    }
    return j;
}

static void send_current(struct http_req *req, int64_t rid)
{
    struct theory t;
    int rc = theory_get(req->arena, req->app->store, &req->actor, rid, &t);
    if (rc) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    api_send(req, 200, theory_doc(&t));
}

/* GET .../verandertheorie: versie 0 and empty lists when none was saved yet. */
static void get(struct http_req *req)
{
    int64_t rid;
    if (http_param_id_or_404(req, 0, &rid) || api_query_or_reply(req, NULL, NULL))
        return;
    send_current(req, rid);
}

/* PUT .../verandertheorie: the whole document; activities matched by id (new ones without),
 * left-out activities are deleted. `resultaat`, `gewijzigdOp` and `gewijzigdDoor` are ignored. */
static void put(struct http_req *req)
{
    int64_t rid;
    json_t *body;
    if (http_param_id_or_404(req, 0, &rid) || api_query_or_reply(req, NULL, NULL) ||
        api_body_or_reply(req, &body)) /* checks the media type and that it is an object */
        return;
    json_t *v = json_object_get(body, "versie");
    if (!v || !json_is_integer(v) || json_integer_value(v) < 0) {
        api_reply_invalid(req, "versie",
                          _("Geef de versie mee die u het laatst hebt opgehaald (0 als er nog "
                            "geen verandertheorie is)."));
        return;
    }
    struct theory in;
    struct err_ctx e = {0};
    int rc = theory_from_json(req->arena, req->body, req->body_len, &in, &e);
    if (!rc)
        rc = theory_put(req->app->store, &req->actor, rid, &in, NULL, &e);
    if (rc == ERR_TOO_BIG)
        rc = ERR_INVALID; /* a limit of the document: the client can fix it */
    if (rc == ERR_CONFLICT) {
        http_resp_problem(req, 409, _("Conflict"),
                          _("Iemand anders heeft deze verandertheorie intussen gewijzigd. Haal de "
                            "nieuwste versie op en breng uw wijziging opnieuw aan."),
                          NULL);
        return;
    }
    if (rc) {
        api_reply_err(req, rc, &e, aliases);
        return;
    }
    send_current(req, rid);
}

/* GET .../verandertheorie/versies: newest first. */
static void versions(struct http_req *req)
{
    int64_t rid;
    struct api_page p;
    struct theory_version_info *v = NULL;
    int n = 0;
    if (http_param_id_or_404(req, 0, &rid) || api_query_or_reply(req, NULL, &p))
        return;
    int rc = theory_versions(req->arena, req->app->store, &req->actor, rid, &v, &n);
    if (rc) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    json_t *items = json_array();
    for (int i = p.offset; items && i < n && i < p.offset + p.size; i++) {
        json_t *row =
            json_pack("{s:I, s:s, s:s?, s:s}", "versie", (json_int_t)v[i].version, "gewijzigdOp",
                      v[i].at, "gewijzigdDoor", v[i].user_name, "samenvatting", v[i].summary);
        if (!row || json_array_append_new(items, row) != 0) {
            json_decref(items);
            items = NULL;
        }
    }
    api_send_list(req, items, n, &p);
}

/* GET .../verandertheorie/versies/{versie}: the document as it was saved. */
static void version(struct http_req *req)
{
    int64_t rid, ver;
    struct theory t;
    struct theory_version_info info;
    if (http_param_id_or_404(req, 0, &rid) || http_param_id_or_404(req, 1, &ver) ||
        api_query_or_reply(req, NULL, NULL))
        return;
    int rc = theory_version_get(req->arena, req->app->store, &req->actor, rid, ver, &t, &info);
    if (rc) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    json_t *j = theory_doc(&t);
    if (j && json_object_set_new(j, "samenvatting", json_string(info.summary))) {
        json_decref(j);
        j = NULL;
    }
    api_send(req, 200, j);
}

const struct route api_theory_routes[] = {
    {"GET", PATH, get, ROUTE_API, "api.theory.get"},
    {"PUT", PATH, put, ROUTE_API, "api.theory.put"},
    {"GET", PATH "/versies", versions, ROUTE_API, "api.theory.versions"},
    {"GET", PATH "/versies/{versie}", version, ROUTE_API, "api.theory.version"},
    ROUTES_END,
};
