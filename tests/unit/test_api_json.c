/*
 * test_api_json.c: the JSON API helpers (web/api_json.c) without a server: media-type checks,
 * strict parsing (duplicate keys, non-objects), strict attribute extraction, query and paging
 * validation, the error mapping (no internal detail leaks) and the collection envelope.
 */
#include "web/api_json.h"
#include "core/common.h"
#include <setjmp.h>
#include <cmocka.h>

/* A request as server.c would hand it to a handler; everything lives in one arena. */
struct fake {
    struct http_req req;
    struct http_kv headers[4];
    struct http_kv query[8];
};

static void fake_init(struct fake *f, const char *method, const char *ctype, const char *body)
{
    memset(f, 0, sizeof *f);
    f->req.arena = arena_new(0);
    f->req.method = method;
    f->req.path = "/api/v1/test";
    f->req.is_api = true;
    f->req.headers = f->headers;
    if (ctype) {
        f->headers[0] = (struct http_kv){"Content-Type", ctype, strlen(ctype)};
        f->req.nheaders = 1;
    }
    f->req.body = body ? body : "";
    f->req.body_len = body ? strlen(body) : 0;
    f->req.query = f->query;
}

static void fake_query(struct fake *f, const char *k, const char *v)
{
    f->query[f->req.nquery++] = (struct http_kv){k, v, strlen(v)};
}

static void fake_release(struct fake *f)
{
    arena_free(f->req.arena);
}

/* The answer body as a parsed JSON object (new reference), or NULL. */
static json_t *answer(struct fake *f)
{
    json_error_t e;
    return json_loadb(f->req.resp.body, f->req.resp.body_len, 0, &e);
}

/* Asserts the answer names `field` in invalidParams. */
static void assert_invalid_param(struct fake *f, const char *field)
{
    json_t *j = answer(f);
    json_t *p = json_object_get(j, "invalidParams");
    assert_non_null(p);
    assert_string_equal(json_string_value(json_object_get(json_array_get(p, 0), "name")), field);
    json_decref(j);
}

static void test_body_media_type_and_parsing(void **state)
{
    (void)state;
    static const struct {
        const char *method, *ctype, *body;
        int status; /* 0 = accepted */
    } cases[] = {
        {"POST", "application/json", "{}", 0},
        {"POST", "application/json; charset=utf-8", "{\"a\":1}", 0},
        {"POST", "APPLICATION/JSON", "{}", 0},
        {"PATCH", "application/merge-patch+json", "{}", 0},
        {"PATCH", "application/json", "{}", 0},
        {"POST", "application/merge-patch+json", "{}", 415},
        {"POST", NULL, "{}", 415},
        {"POST", "text/plain", "{}", 415},
        {"POST", "application/jsonx", "{}", 415},
        {"POST", "application/x-www-form-urlencoded", "a=1", 415},
        {"POST", "application/json", NULL, 400},
        {"POST", "application/json", "{", 400},
        {"POST", "application/json", "{\"a\":1,\"a\":2}", 400},
        {"POST", "application/json", "[]", 400},
        {"POST", "application/json", "\"x\"", 400},
        {"POST", "application/json", "{\"a\":\"\\u0000\"}", 400},
        {"POST", "application/json", "{\"a\":\"\xff\"}", 400},
        {"POST", "application/json", "{} {}", 400},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct fake f;
        json_t *root = NULL;
        fake_init(&f, cases[i].method, cases[i].ctype, cases[i].body);
        int rc = api_body_or_reply(&f.req, &root);
        if (cases[i].status == 0) {
            if (rc != 0)
                fail_msg("case %zu: refused with %d", i, f.req.resp.status);
            assert_true(json_is_object(root));
        } else {
            if (rc == 0)
                fail_msg("case %zu: accepted", i);
            assert_int_equal(f.req.resp.status, cases[i].status);
            assert_string_equal(f.req.resp.content_type, "application/problem+json");
        }
        fake_release(&f); /* also drops root: the arena owns it */
    }
}

static void test_fields_strict(void **state)
{
    (void)state;
    static const struct {
        const char *body;
        const char *bad_field; /* NULL = accepted */
    } cases[] = {
        {"{\"naam\":\"x\",\"aantal\":3,\"actief\":true,\"ids\":[1,2],\"rollen\":[\"a\"]}", NULL},
        {"{\"naam\":\"x\"}", NULL},
        {"{\"naam\":\"x\",\"code\":null,\"ids\":null}", NULL},
        {"{}", "naam"},              /* required */
        {"{\"naam\":null}", "naam"}, /* not nullable */
        {"{\"naam\":1}", "naam"},    /* wrong type */
        {"{\"naam\":\"x\",\"aantal\":\"3\"}", "aantal"},
        {"{\"naam\":\"x\",\"aantal\":3.0}", "aantal"},
        {"{\"naam\":\"x\",\"aantal\":11}", "aantal"}, /* above max */
        {"{\"naam\":\"x\",\"aantal\":-1}", "aantal"},
        {"{\"naam\":\"x\",\"actief\":1}", "actief"},
        {"{\"naam\":\"x\",\"ids\":[0]}", "ids"},
        {"{\"naam\":\"x\",\"ids\":[1,2,3,4]}", "ids"}, /* too many */
        {"{\"naam\":\"x\",\"ids\":\"1\"}", "ids"},
        {"{\"naam\":\"x\",\"rollen\":[1]}", "rollen"},
        {"{\"naam\":\"x\",\"id\":5}", "id"},       /* read-only */
        {"{\"naam\":\"x\",\"naaam\":5}", "naaam"}, /* unknown */
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct fake f;
        json_t *root = NULL;
        const char *naam = NULL, *code = "unchanged";
        int64_t aantal = 0, idbuf[3];
        bool actief = false, has_code = false;
        struct api_list ids = {.ids = idbuf, .max = 3}, rollen = {.max = 4};
        const struct api_field fields[] = {
            {"naam", API_STRING, API_REQUIRED, &naam, NULL, 0, 0},
            {"code", API_STRING, API_NULLABLE, &code, &has_code, 0, 0},
            {"aantal", API_INT, 0, &aantal, NULL, 0, 10},
            {"actief", API_BOOL, 0, &actief, NULL, 0, 0},
            {"ids", API_IDS, API_NULLABLE, &ids, NULL, 0, 0},
            {"rollen", API_STRINGS, 0, &rollen, NULL, 0, 0},
            {"id", API_READONLY, 0, NULL, NULL, 0, 0},
        };
        fake_init(&f, "POST", "application/json", cases[i].body);
        assert_int_equal(api_body_or_reply(&f.req, &root), 0);
        int rc = api_fields_or_reply(&f.req, root, fields, (int)ARRAY_LEN(fields));
        if (!cases[i].bad_field) {
            if (rc != 0)
                fail_msg("case %zu: refused: %.*s", i, (int)f.req.resp.body_len, f.req.resp.body);
            assert_string_equal(naam, "x");
        } else {
            if (rc == 0)
                fail_msg("case %zu: accepted", i);
            assert_int_equal(f.req.resp.status, 400);
            assert_invalid_param(&f, cases[i].bad_field);
        }
        if (i == 0) {
            assert_int_equal(aantal, 3);
            assert_true(actief);
            assert_int_equal(ids.n, 2);
            assert_int_equal(idbuf[1], 2);
            assert_int_equal(rollen.n, 1);
            assert_string_equal(rollen.strs[0], "a");
            assert_false(has_code);
            assert_string_equal(code, "unchanged"); /* absent: output untouched */
        }
        if (i == 2) {
            assert_true(has_code);
            assert_null(code);
            assert_int_equal(ids.n, 0);
        }
        fake_release(&f);
    }
}

static void test_query_and_paging(void **state)
{
    (void)state;
    static const char *const allowed[] = {"zoek", NULL};
    static const struct {
        const char *k1, *v1, *k2, *v2;
        const char *bad; /* NULL = accepted */
        int page, size, offset;
    } cases[] = {
        {NULL, NULL, NULL, NULL, NULL, 1, API_PAGE_SIZE_DEFAULT, 0},
        {"pagina", "3", "paginaGrootte", "20", NULL, 3, 20, 40},
        {"pagina", "1000000", "paginaGrootte", "1000", NULL, 1000000, 1000, 999999000},
        {"zoek", "x", NULL, NULL, NULL, 1, API_PAGE_SIZE_DEFAULT, 0},
        {"pagina", "0", NULL, NULL, "pagina", 0, 0, 0},
        {"pagina", "1000001", NULL, NULL, "pagina", 0, 0, 0},
        {"pagina", "01x", NULL, NULL, "pagina", 0, 0, 0},
        {"paginaGrootte", "0", NULL, NULL, "paginaGrootte", 0, 0, 0},
        {"paginaGrootte", "1001", NULL, NULL, "paginaGrootte", 0, 0, 0},
        {"limit", "10", NULL, NULL, "limit", 0, 0, 0},
        {"zoek", "a", "zoek", "b", "zoek", 0, 0, 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct fake f;
        struct api_page p = {0};
        fake_init(&f, "GET", NULL, NULL);
        if (cases[i].k1)
            fake_query(&f, cases[i].k1, cases[i].v1);
        if (cases[i].k2)
            fake_query(&f, cases[i].k2, cases[i].v2);
        int rc = api_query_or_reply(&f.req, allowed, &p);
        if (!cases[i].bad) {
            if (rc != 0)
                fail_msg("case %zu: refused", i);
            assert_int_equal(p.page, cases[i].page);
            assert_int_equal(p.size, cases[i].size);
            assert_int_equal(p.limit, cases[i].size);
            assert_int_equal(p.offset, cases[i].offset);
        } else {
            if (rc == 0)
                fail_msg("case %zu: accepted", i);
            assert_int_equal(f.req.resp.status, 400);
            assert_invalid_param(&f, cases[i].bad);
        }
        fake_release(&f);
    }
}

static void test_typed_query_params(void **state)
{
    (void)state;
    struct fake f;
    int64_t id = -1;
    bool b = false;
    const char *t = "x";

    fake_init(&f, "GET", NULL, NULL);
    assert_int_equal(api_query_id_or_reply(&f.req, "ouder", &id), 0);
    assert_int_equal(id, 0);
    assert_int_equal(api_query_text_or_reply(&f.req, "zoek", &t), 0);
    assert_null(t);
    fake_query(&f, "ouder", "12");
    fake_query(&f, "arch", "true");
    assert_int_equal(api_query_id_or_reply(&f.req, "ouder", &id), 0);
    assert_int_equal(id, 12);
    assert_int_equal(api_query_bool_or_reply(&f.req, "arch", &b), 0);
    assert_true(b);
    fake_release(&f);

    static const char *const bad[][2] = {{"ouder", "0"}, {"ouder", "-1"},  {"ouder", "1.5"},
                                         {"arch", "1"},  {"arch", "TRUE"}, {"zoek", NULL}};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        char longtext[API_QUERY_TEXT_MAX + 2];
        memset(longtext, 'a', sizeof longtext - 1);
        longtext[sizeof longtext - 1] = '\0';
        fake_init(&f, "GET", NULL, NULL);
        fake_query(&f, bad[i][0], bad[i][1] ? bad[i][1] : longtext);
        int rc = strcmp(bad[i][0], "ouder") == 0  ? api_query_id_or_reply(&f.req, "ouder", &id)
                 : strcmp(bad[i][0], "arch") == 0 ? api_query_bool_or_reply(&f.req, "arch", &b)
                                                  : api_query_text_or_reply(&f.req, "zoek", &t);
        assert_int_not_equal(rc, 0);
        assert_int_equal(f.req.resp.status, 400);
        assert_invalid_param(&f, bad[i][0]);
        fake_release(&f);
    }
}

static void test_reply_err_mapping(void **state)
{
    (void)state;
    static const struct api_alias aliases[] = {{"display_name", "naam"}, {NULL, NULL}};
    static const struct {
        int err;
        const char *field;
        int status;
        const char *param; /* expected invalidParams name, NULL = none */
    } cases[] = {
        {ERR_INVALID, "display_name", 400, "naam"},
        {ERR_INVALID, "other", 400, "other"},
        {ERR_INVALID, NULL, 400, NULL},
        {ERR_DENIED, NULL, 403, NULL},
        {ERR_NOT_FOUND, NULL, 404, NULL},
        {ERR_CONFLICT, NULL, 409, NULL},
        {ERR_UNAUTH, NULL, 401, NULL},
        {ERR_TOO_BIG, NULL, 413, NULL},
        {ERR_BUSY, NULL, 503, NULL},
        {ERR_DB, NULL, 500, NULL},
        {ERR_INTERNAL, NULL, 500, NULL},
        {ERR_NOMEM, NULL, 500, NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct fake f;
        struct err_ctx e = {0};
        err_set(&e, cases[i].err, cases[i].field, "%s", "geheim: SQLITE_CONSTRAINT op tabel x");
        fake_init(&f, "POST", NULL, NULL);
        api_reply_err(&f.req, cases[i].err, &e, aliases);
        assert_int_equal(f.req.resp.status, cases[i].status);
        assert_string_equal(f.req.resp.content_type, "application/problem+json");
        json_t *j = answer(&f);
        assert_non_null(j);
        assert_int_equal(json_integer_value(json_object_get(j, "status")), cases[i].status);
        assert_non_null(json_string_value(json_object_get(j, "title")));
        assert_non_null(json_string_value(json_object_get(j, "detail")));
        json_t *p = json_object_get(j, "invalidParams");
        if (cases[i].param)
            assert_string_equal(json_string_value(json_object_get(json_array_get(p, 0), "name")),
                                cases[i].param);
        else
            assert_null(p);
        /* Internal detail never reaches the client on a 500. */
        if (cases[i].status == 500 && strstr(f.req.resp.body, "SQLITE"))
            fail_msg("case %zu leaks the internal message", i);
        json_decref(j);
        fake_release(&f);
    }
}

static void test_send_list_and_created(void **state)
{
    (void)state;
    struct fake f;
    struct api_page p = {.page = 2, .size = 10, .limit = 10, .offset = 10};
    json_t *items = json_pack("[{s:i}]", "id", 11);

    fake_init(&f, "GET", NULL, NULL);
    api_send_list(&f.req, items, 21, &p);
    assert_int_equal(f.req.resp.status, 200);
    assert_string_equal(f.req.resp.content_type, "application/json; charset=utf-8");
    assert_string_equal(f.req.resp.body, "{\"items\":[{\"id\":11}],\"totaal\":21,\"pagina\":2,"
                                         "\"paginaGrootte\":10,\"aantalPaginas\":3}");
    fake_release(&f);

    fake_init(&f, "GET", NULL, NULL);
    api_send_list(&f.req, json_array(), 0, &p);
    assert_non_null(strstr(f.req.resp.body, "\"aantalPaginas\":0"));
    fake_release(&f);

    fake_init(&f, "GET", NULL, NULL);
    api_send_list(&f.req, NULL, 0, &p); /* building the items failed */
    assert_int_equal(f.req.resp.status, 500);
    fake_release(&f);

    fake_init(&f, "POST", NULL, NULL);
    api_send_created(&f.req, "/organisaties", 42, json_pack("{s:i}", "id", 42));
    assert_int_equal(f.req.resp.status, 201);
    assert_int_equal(f.req.resp.nheaders, 1);
    assert_string_equal(f.req.resp.headers[0].key, "Location");
    assert_string_equal(f.req.resp.headers[0].value, "/api/v1/organisaties/42");
    fake_release(&f);
}

static void test_org_kind_codes(void **state)
{
    (void)state;
    enum org_kind k;
    assert_string_equal(api_org_kind_code(ORG_REGION), "regio");
    assert_string_equal(api_org_kind_code(ORG_GEMEENTE), "gemeente");
    for (enum org_kind i = ORG_KIND_MIN; i <= ORG_KIND_MAX; i++) {
        assert_int_equal(api_org_kind_parse(api_org_kind_code(i), &k), 0);
        assert_int_equal(k, i);
    }
    assert_int_not_equal(api_org_kind_parse("region", &k), 0);
    assert_int_not_equal(api_org_kind_parse("Gemeente", &k), 0);
    assert_int_not_equal(api_org_kind_parse(NULL, &k), 0);
    json_t *r = api_roles_json(ROLE_BEHEERDER | ROLE_RAAD);
    char *s = json_dumps(r, JSON_COMPACT);
    assert_string_equal(s, "[\"beheerder\",\"raad\"]");
    free(s);
    json_decref(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_body_media_type_and_parsing),
        cmocka_unit_test(test_fields_strict),
        cmocka_unit_test(test_query_and_paging),
        cmocka_unit_test(test_typed_query_params),
        cmocka_unit_test(test_reply_err_mapping),
        cmocka_unit_test(test_send_list_and_created),
        cmocka_unit_test(test_org_kind_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
