/*
 * api_user.c: /api/v1/gebruikers: list, create, read and merge-patch user accounts, and the
 * beheerder's password reset. Creating a user and resetting a password hash with Argon2id
 * (~60 ms, 64 MiB), so those two run on the job queue through http_defer(); the request is
 * parsed on the HTTP thread first so that malformed input never takes a job slot.
 */
#include "core/common.h"
#include "domain/user.h"
#include "web/api_json.h"
#include "web/router.h"
#include <sodium.h>

#define COLLECTION "/gebruikers"

static const struct api_alias aliases[] = {
    {"login", "inlognaam"},
    {"display_name", "naam"},
    {"name", "naam"},
    {"org_id", "organisatieId"},
    {"org", "organisatieId"},
    {"roles", "rollen"},
    {"lang", "taal"},
    {"password", "wachtwoord"},
    {NULL, NULL},
};

static json_t *user_json(const struct user *u)
{
    return json_pack("{s:I, s:s, s:s, s:I, s:s?, s:o, s:s, s:b, s:b, s:s?, s:s?}", "id",
                     (json_int_t)u->id, "inlognaam", u->login, "naam", u->display_name,
                     "organisatieId", (json_int_t)u->org_id, "organisatieNaam", u->org_name,
                     "rollen", api_roles_json(u->roles), "taal", u->lang ? u->lang : "nl", "actief",
                     u->active, "moetWachtwoordWijzigen", u->must_change_password, "aangemaaktOp",
                     u->created_at, "laatstIngelogdOp", u->last_login_at);
}

/* Role codes -> bits; answers 400 on an unknown code. */
static int roles_or_reply(struct http_req *req, const struct api_list *l, uint32_t *out)
{
    uint32_t bits = 0;
    for (int i = 0; i < l->n; i++) {
        enum role r;
        if (role_parse(str_from(l->strs[i]), &r) != 0) {
            api_reply_invalid(req, "rollen",
                              _("Onbekende rol. Kies uit beheerder, beleid, contract, kwaliteit, "
                                "professional, toezicht en raad."));
            return ERR_INVALID;
        }
        bits |= (uint32_t)r;
    }
    *out = bits;
    return 0;
}

/* Copies a heap secret from the domain into the JSON answer and wipes the heap copy. */
static json_t *take_secret(char *generated)
{
    json_t *s = generated ? json_string(generated) : json_null();
    if (generated) {
        sodium_memzero(generated, strlen(generated));
        free(generated);
    }
    return s;
}

/* Answers the user `id` as the caller sees it now; `password` (stolen, may be NULL) is added
 * as "wachtwoord" when the server generated one. */
static void send_user(struct http_req *req, int status, int64_t id, json_t *password)
{
    struct user u;
    json_t *j = NULL;
    int rc = user_get(req->arena, req->app->store, &req->actor, id, &u);
    if (rc != 0) {
        json_decref(password);
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    j = user_json(&u);
    if (j && password && !json_is_null(password) &&
        json_object_set(j, "wachtwoord", password) != 0) {
        json_decref(j);
        j = NULL;
    }
    json_decref(password);
    if (status == 201)
        api_send_created(req, COLLECTION, id, j);
    else
        api_send(req, status, j);
}

/* GET /api/v1/gebruikers */
static void list(struct http_req *req)
{
    static const char *const params[] = {"organisatie", "zoek", "inclusiefInactief", NULL};
    struct api_page p;
    struct user_filter f = {0};
    struct user *us = NULL;
    int n = 0, total = 0, rc;
    json_t *items;

    if (api_query_or_reply(req, params, &p) ||
        api_query_id_or_reply(req, "organisatie", &f.org_id) ||
        api_query_text_or_reply(req, "zoek", &f.q) ||
        api_query_bool_or_reply(req, "inclusiefInactief", &f.include_inactive))
        return;
    f.limit = p.limit;
    f.offset = p.offset;
    rc = user_list(req->arena, req->app->store, &req->actor, &f, &us, &n, &total);
    if (rc != 0) {
        api_reply_err(req, rc, NULL, aliases);
        return;
    }
    items = json_array();
    for (int i = 0; items && i < n; i++)
        if (json_array_append_new(items, user_json(&us[i])) != 0) {
            json_decref(items);
            items = NULL;
        }
    api_send_list(req, items, total, &p);
}

/* Parses a create request; runs on the HTTP thread and again in the job (see file comment). */
static int parse_create_or_reply(struct http_req *req, struct user_input *in)
{
    json_t *body;
    int64_t org_id = 0;
    struct api_list roles = {.max = ROLE_COUNT};
    const struct api_field fields[] = {
        {"inlognaam", API_STRING, API_REQUIRED, &in->login, NULL, 0, 0},
        {"naam", API_STRING, API_REQUIRED, &in->display_name, NULL, 0, 0},
        {"organisatieId", API_INT, API_REQUIRED, &org_id, NULL, 1, INT64_MAX},
        {"rollen", API_STRINGS, API_REQUIRED, &roles, NULL, 0, 0},
        {"taal", API_STRING, API_NULLABLE, &in->lang, NULL, 0, 0},
        {"wachtwoord", API_STRING, API_NULLABLE, &in->password, NULL, 0, 0},
    };

    memset(in, 0, sizeof *in);
    if (api_query_or_reply(req, NULL, NULL) || api_body_or_reply(req, &body) ||
        api_fields_or_reply(req, body, fields, (int)ARRAY_LEN(fields)) ||
        roles_or_reply(req, &roles, &in->roles))
        return ERR_INVALID;
    in->org_id = org_id;
    return 0;
}

static void create_work(struct http_req *req)
{
    struct user_input in;
    struct err_ctx e = {0};
    int64_t id = 0;
    char *generated = NULL;
    int rc;

    if (parse_create_or_reply(req, &in))
        return;
    rc = user_create(req->app->store, &req->actor, &in, &id, &generated, &e);
    if (rc != 0) {
        take_secret(generated);
        api_reply_err(req, rc, &e, aliases);
        return;
    }
    send_user(req, 201, id, take_secret(generated));
}

/* POST /api/v1/gebruikers */
static void create(struct http_req *req)
{
    struct user_input in;
    if (parse_create_or_reply(req, &in))
        return;
    http_defer(req, create_work);
}

/* GET /api/v1/gebruikers/{id} */
static void get(struct http_req *req)
{
    int64_t id;
    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, NULL))
        return;
    send_user(req, 200, id, NULL);
}

/* PATCH /api/v1/gebruikers/{id}: JSON merge patch of name, organisation, roles, language and
 * active. The login name is fixed (it is how people and logs know the account). */
static void patch(struct http_req *req)
{
    int64_t id, org_id = 0;
    json_t *body;
    struct user cur;
    struct user_input in = {0};
    struct api_list roles = {.max = ROLE_COUNT};
    struct err_ctx e = {0};
    bool active = false;
    bool has_name = false, has_org = false, has_roles = false, has_lang = false;
    bool has_active = false;
    const char *name = NULL, *lang = NULL;
    uint32_t role_bits = 0;
    const struct api_field fields[] = {
        {"naam", API_STRING, 0, &name, &has_name, 0, 0},
        {"organisatieId", API_INT, 0, &org_id, &has_org, 1, INT64_MAX},
        {"rollen", API_STRINGS, 0, &roles, &has_roles, 0, 0},
        {"taal", API_STRING, 0, &lang, &has_lang, 0, 0},
        {"actief", API_BOOL, 0, &active, &has_active, 0, 0},
        {"id", API_READONLY, 0, NULL, NULL, 0, 0},
        {"inlognaam", API_READONLY, 0, NULL, NULL, 0, 0},
        {"organisatieNaam", API_READONLY, 0, NULL, NULL, 0, 0},
        {"moetWachtwoordWijzigen", API_READONLY, 0, NULL, NULL, 0, 0},
        {"aangemaaktOp", API_READONLY, 0, NULL, NULL, 0, 0},
        {"laatstIngelogdOp", API_READONLY, 0, NULL, NULL, 0, 0},
        {"wachtwoord", API_READONLY, 0, NULL, NULL, 0, 0},
    };
    int rc;

    if (http_param_id_or_404(req, 0, &id) || api_query_or_reply(req, NULL, NULL) ||
        api_body_or_reply(req, &body) ||
        api_fields_or_reply(req, body, fields, (int)ARRAY_LEN(fields)) ||
        (has_roles && roles_or_reply(req, &roles, &role_bits)))
        return;
    rc = user_get(req->arena, req->app->store, &req->actor, id, &cur);
    if (rc == 0 && (has_name || has_org || has_roles || has_lang)) {
        in.display_name = has_name ? name : cur.display_name;
        in.org_id = has_org ? org_id : cur.org_id;
        in.roles = has_roles ? role_bits : cur.roles;
        in.lang = has_lang ? lang : cur.lang;
        rc = user_update(req->app->store, &req->actor, id, &in, &e);
    }
    if (rc == 0 && has_active && active != cur.active)
        rc = user_set_active(req->app->store, &req->actor, id, active, &e);
    if (rc != 0) {
        api_reply_err(req, rc, &e, aliases);
        return;
    }
    send_user(req, 200, id, NULL);
}

/* Checks the reset request: a valid id and no body (or an empty JSON object). */
static int parse_reset_or_reply(struct http_req *req, int64_t *id)
{
    json_t *body;
    if (http_param_id_or_404(req, 0, id) || api_query_or_reply(req, NULL, NULL))
        return ERR_INVALID;
    if (req->body_len > 0 &&
        (api_body_or_reply(req, &body) || api_fields_or_reply(req, body, NULL, 0)))
        return ERR_INVALID;
    return 0;
}

static void reset_work(struct http_req *req)
{
    int64_t id;
    struct err_ctx e = {0};
    char *generated = NULL;
    int rc;

    if (parse_reset_or_reply(req, &id))
        return;
    rc = user_reset_password(req->app->store, &req->actor, id, &generated, &e);
    if (rc != 0 || !generated) {
        take_secret(generated);
        api_reply_err(req, rc ? rc : ERR_INTERNAL, &e, aliases);
        return;
    }
    /* The new password is shown exactly once: it is not stored anywhere readable. */
    api_send(
        req, 200,
        json_pack("{s:o, s:b}", "wachtwoord", take_secret(generated), "moetWachtwoordWijzigen", 1));
}

/* POST /api/v1/gebruikers/{id}/wachtwoord-reset */
static void reset(struct http_req *req)
{
    int64_t id;
    if (parse_reset_or_reply(req, &id))
        return;
    http_defer(req, reset_work);
}

const struct route api_user_routes[] = {
    {"GET", API_PREFIX COLLECTION, list, ROUTE_API, "api.user.list"},
    {"POST", API_PREFIX COLLECTION, create, ROUTE_API, "api.user.create"},
    {"GET", API_PREFIX COLLECTION "/{id}", get, ROUTE_API, "api.user.get"},
    {"PATCH", API_PREFIX COLLECTION "/{id}", patch, ROUTE_API, "api.user.patch"},
    {"POST", API_PREFIX COLLECTION "/{id}/wachtwoord-reset", reset, ROUTE_API,
     "api.user.password_reset"},
    ROUTES_END,
};
