/*
 * fixture.c: the shared set-up of the unit tests that need a store (fixture.h).
 */
#include "fixture.h"
#include "core/common.h"
#include "domain/auth.h"
#include "domain/org.h"
#include "domain/user.h"
#include <dirent.h>
#include <setjmp.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

const struct actor ts_admin = {
    .user_id = -1, .org_kind = ORG_REGION, .roles = ROLE_ALL, .display_name = "test"};

void ts_rm_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char p[512];
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

void ts_store_open(const char *name, char *dir, char *path, struct store **s)
{
    snprintf(dir, 64, "/tmp/duiding-test-%s-XXXXXX", name);
    if (!mkdtemp(dir))
        fail_msg("mkdtemp %s failed", dir);
    snprintf(path, 128, "%s/%s.db", dir, name);
    struct err_ctx e = {0};
    int rc = store_open(path, s, &e);
    if (rc)
        fail_msg("store_open %s: %s (%s)", path, err_name(rc), e.msg);
}

int64_t ts_make_org(struct store *s, enum org_kind kind, const char *name, const char *cbs,
                    const char *agb, int64_t parent)
{
    struct org_input in = {.kind = kind, .name = name, .cbs_code = cbs, .agb_code = agb};
    if (parent) {
        in.parent_ids[0] = parent;
        in.nparents = 1;
    }
    struct err_ctx e = {0};
    int64_t id = 0;
    int rc = org_create(s, &ts_admin, &in, &id, &e);
    if (rc)
        fail_msg("org %s: %s (%s)", name ? name : cbs, err_name(rc), e.msg);
    return id;
}

struct actor ts_make_actor(struct store *s, struct arena *a, const char *login, int64_t org,
                           uint32_t roles, const char *password)
{
    struct user_input in = {
        .login = login, .display_name = login, .org_id = org, .roles = roles, .password = password};
    struct err_ctx e = {0};
    int64_t id = 0;
    struct actor act;
    int rc = user_create(s, &ts_admin, &in, &id, NULL, &e);
    if (rc)
        fail_msg("user %s: %s (%s: %s)", login, err_name(rc), e.field ? e.field : "-", e.msg);
    assert_int_equal(auth_actor_for_user(a, s, id, &act), 0);
    return act;
}
