/*
 * api_audit.c: /api/v1/audit-gebeurtenissen: the audit log for beheerders (newest first),
 * filtered by action prefix and user. Read-only: the log is append-only by design.
 */
#include "core/common.h"
#include "domain/audit.h"
#include "web/api_json.h"
#include "web/router.h"

static json_t *event_json(const struct audit_event *ev)
{
    return json_pack(
        "{s:I, s:s?, s:o, s:s?, s:s, s:s?, s:o, s:s?}", "id", (json_int_t)ev->id, "tijdstip",
        ev->at, "gebruikerId", ev->user_id > 0 ? json_integer(ev->user_id) : json_null(),
        "gebruikerInlognaam", ev->user_login, "actie", ev->action, "objectSoort", ev->object_kind,
        "objectId", ev->object_id ? json_integer(ev->object_id) : json_null(), "toelichting",
        ev->detail);
}

/* GET /api/v1/audit-gebeurtenissen */
static void list(struct http_req *req)
{
    static const char *const params[] = {"actie", "gebruiker", NULL};
    struct api_page p;
    struct audit_filter f = {0};
    struct audit_event *evs = NULL;
    int n = 0, total = 0, rc;
    json_t *items;

    if (api_query_or_reply(req, params, &p) ||
        api_query_text_or_reply(req, "actie", &f.action_prefix) ||
        api_query_id_or_reply(req, "gebruiker", &f.user_id))
        return;
    f.limit = p.limit;
    f.offset = p.offset;
    rc = audit_list(req->arena, req->app->store, &req->actor, &f, &evs, &n, &total);
    if (rc != 0) {
        api_reply_err(req, rc, NULL, NULL);
        return;
    }
    items = json_array();
    for (int i = 0; items && i < n; i++)
        if (json_array_append_new(items, event_json(&evs[i])) != 0) {
            json_decref(items);
            items = NULL;
        }
    api_send_list(req, items, total, &p);
}

const struct route api_audit_routes[] = {
    {"GET", API_PREFIX "/audit-gebeurtenissen", list, ROUTE_API, "api.audit.list"},
    ROUTES_END,
};
