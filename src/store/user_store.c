/*
 * user_store.c: SQL for user accounts. Reads join the organisation for its name (lists) or
 * kind and regions (building an actor); the password hash only leaves this file through the
 * credential lookups that authentication needs.
 */
#include "store/user_store.h"
#include "core/common.h"
#include "core/str.h"
#include "domain/role.h"

/* Runs a statement that returns no rows. */
int user_store_insert(struct db *db, const struct user_values *v, const char *password_hash,
                      bool must_change_password, const char *now, int64_t *id_out)
{
    static const char sql[] =
        "INSERT INTO user_account (login, display_name, org_id, roles, lang, password_hash, "
        "must_change_password, active, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "user.insert", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_text(st, 1, v->login, (size_t)-1)) ||
        (ret = db_bind_text(st, 2, v->display_name, (size_t)-1)) ||
        (ret = db_bind_i64(st, 3, v->org_id)) || (ret = db_bind_i64(st, 4, v->roles)) ||
        (ret = db_bind_text(st, 5, v->lang, (size_t)-1)) ||
        (ret = db_bind_text(st, 6, password_hash, (size_t)-1)) ||
        (ret = db_bind_i64(st, 7, must_change_password ? 1 : 0)) ||
        (ret = db_bind_text(st, 8, now, (size_t)-1)))
        goto out;
    ret = db_run(st);
    if (ret)
        goto out;
    *id_out = db_last_insert_id(db);
out:
    db_done(st);
    return ret;
}

int user_store_update(struct db *db, int64_t id, const struct user_values *v, const char *now)
{
    static const char sql[] = "UPDATE user_account SET display_name = $2, org_id = $3, roles = $4, "
                              "lang = $5, updated_at = $6 WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "user.update", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, id)) ||
        (ret = db_bind_text(st, 2, v->display_name, (size_t)-1)) ||
        (ret = db_bind_i64(st, 3, v->org_id)) || (ret = db_bind_i64(st, 4, v->roles)) ||
        (ret = db_bind_text(st, 5, v->lang, (size_t)-1)) ||
        (ret = db_bind_text(st, 6, now, (size_t)-1)))
        goto out;
    ret = db_run(st);
    if (!ret && db_changes(db) == 0)
        ret = ERR_NOT_FOUND;
out:
    db_done(st);
    return ret;
}

int user_store_set_active(struct db *db, int64_t id, bool active, const char *now)
{
    static const char sql[] = "UPDATE user_account SET active = $2, updated_at = $3 WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "user.set_active", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, id)) || (ret = db_bind_i64(st, 2, active ? 1 : 0)) ||
        (ret = db_bind_text(st, 3, now, (size_t)-1)))
        goto out;
    ret = db_run(st);
    if (!ret && db_changes(db) == 0)
        ret = ERR_NOT_FOUND;
out:
    db_done(st);
    return ret;
}

int user_store_set_password(struct db *db, int64_t id, const char *password_hash,
                            bool must_change_password, const char *now)
{
    static const char sql[] = "UPDATE user_account SET password_hash = $2, "
                              "must_change_password = $3, updated_at = $4 WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "user.set_password", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, id)) || (ret = db_bind_text(st, 2, password_hash, (size_t)-1)) ||
        (ret = db_bind_i64(st, 3, must_change_password ? 1 : 0)) ||
        (ret = db_bind_text(st, 4, now, (size_t)-1)))
        goto out;
    ret = db_run(st);
    if (!ret && db_changes(db) == 0)
        ret = ERR_NOT_FOUND;
out:
    db_done(st);
    return ret;
}

int user_store_set_lang(struct db *db, int64_t id, const char *lang, const char *now)
{
    static const char sql[] = "UPDATE user_account SET lang = $2, updated_at = $3 WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "user.set_lang", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, id)) || (ret = db_bind_text(st, 2, lang, (size_t)-1)) ||
        (ret = db_bind_text(st, 3, now, (size_t)-1)))
        goto out;
    ret = db_run(st);
    if (!ret && db_changes(db) == 0)
        ret = ERR_NOT_FOUND;
out:
    db_done(st);
    return ret;
}

int user_store_touch_login(struct db *db, int64_t id, const char *now)
{
    static const char sql[] = "UPDATE user_account SET last_login_at = $2 WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "user.touch_login", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, id)) || (ret = db_bind_text(st, 2, now, (size_t)-1)))
        goto out;
    ret = db_run(st);
out:
    db_done(st);
    return ret;
}

int user_store_login_exists(struct db *db, const char *login, bool *exists)
{
    static const char sql[] = "SELECT 1 FROM user_account WHERE login = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "user.login_exists", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_text(st, 1, login, (size_t)-1)))
        goto out;
    ret = db_step(st);
    if (ret < 0)
        goto out;
    *exists = ret == DB_ROW;
    ret = 0;
out:
    db_done(st);
    return ret;
}

static int read_cred(struct arena *a, struct db_stmt *st, struct user_cred *out)
{
    int ret = db_step(st);
    if (ret == DB_DONE)
        return ERR_NOT_FOUND;
    if (ret < 0)
        return ret;
    struct user_cred c = {
        .id = db_col_i64(st, 0),
        .active = db_col_i64(st, 3) != 0,
        .must_change_password = db_col_i64(st, 4) != 0,
    };
    if (!db_col_dup(a, st, 1, &c.login) || !db_col_dup(a, st, 2, &c.password_hash))
        return ERR_TOO_BIG;
    *out = c;
    return 0;
}

int user_store_cred_by_login(struct arena *a, struct db *db, const char *login,
                             struct user_cred *out)
{
    static const char sql[] =
        "SELECT id, login, password_hash, active, must_change_password FROM user_account "
        "WHERE login = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "user.cred_by_login", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_text(st, 1, login, (size_t)-1)))
        goto out;
    ret = read_cred(a, st, out);
out:
    db_done(st);
    return ret;
}

int user_store_cred_by_id(struct arena *a, struct db *db, int64_t id, struct user_cred *out)
{
    static const char sql[] =
        "SELECT id, login, password_hash, active, must_change_password FROM user_account "
        "WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "user.cred_by_id", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, id)))
        goto out;
    ret = read_cred(a, st, out);
out:
    db_done(st);
    return ret;
}

/* The columns of struct user, in the order read_user() expects. */
#define USER_COLUMNS                                                                               \
    "u.id, u.login, u.display_name, u.org_id, o.name, u.roles, u.lang, u.active, "                 \
    "u.must_change_password, u.created_at, u.last_login_at "

static int read_user(struct arena *a, struct db_stmt *st, struct user *out)
{
    struct user u = {
        .id = db_col_i64(st, 0),
        .org_id = db_col_i64(st, 3),
        .roles = (uint32_t)db_col_i64(st, 5),
        .active = db_col_i64(st, 7) != 0,
        .must_change_password = db_col_i64(st, 8) != 0,
    };
    if (!db_col_dup(a, st, 1, &u.login) || !db_col_dup(a, st, 2, &u.display_name) ||
        !db_col_dup(a, st, 4, &u.org_name) || !db_col_dup(a, st, 6, &u.lang) ||
        !db_col_dup(a, st, 9, &u.created_at) || !db_col_dup(a, st, 10, &u.last_login_at))
        return ERR_TOO_BIG;
    *out = u;
    return 0;
}

int user_store_get(struct arena *a, struct db *db, int64_t id, struct user *out)
{
    static const char sql[] = "SELECT " USER_COLUMNS "FROM user_account u "
                              "JOIN organisation o ON o.id = u.org_id WHERE u.id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "user.get", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, id)))
        goto out;
    ret = db_step(st);
    if (ret == DB_DONE) {
        ret = ERR_NOT_FOUND;
        goto out;
    }
    if (ret < 0)
        goto out;
    ret = read_user(a, st, out);
out:
    db_done(st);
    return ret;
}

int user_store_count_active_role(struct db *db, uint32_t role, int *count)
{
    static const char sql[] =
        "SELECT count(*) FROM user_account WHERE active = 1 AND (roles & $1) <> 0";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "user.count_active_role", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, role)))
        goto out;
    ret = db_step(st);
    if (ret < 0)
        goto out;
    if (ret != DB_ROW) {
        ret = ERR_DB;
        goto out;
    }
    *count = (int)db_col_i64(st, 0);
    ret = 0;
out:
    db_done(st);
    return ret;
}

/* The filter of user_count and user_list: $1 org (0 = all), $2 include inactive, $3 LIKE. */
#define USER_WHERE                                                                                 \
    "WHERE ($1 = 0 OR u.org_id = $1) AND ($2 = 1 OR u.active = 1) AND ($3 IS NULL OR "             \
    "u.login LIKE $3 ESCAPE '\\' OR u.display_name LIKE $3 ESCAPE '\\') "

static int bind_query(struct db_stmt *st, const struct user_query *q)
{
    int ret;
    if ((ret = db_bind_i64(st, 1, q->org_id)) ||
        (ret = db_bind_i64(st, 2, q->include_inactive ? 1 : 0)) ||
        (ret = db_bind_text(st, 3, q->like, (size_t)-1)))
        return ret;
    return 0;
}

int user_store_count(struct db *db, const struct user_query *q, int *total)
{
    static const char sql[] = "SELECT count(*) FROM user_account u " USER_WHERE;
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "user.count", sql, &st);
    if (ret)
        goto out;
    if ((ret = bind_query(st, q)))
        goto out;
    ret = db_step(st);
    if (ret < 0)
        goto out;
    if (ret != DB_ROW) {
        ret = ERR_DB;
        goto out;
    }
    *total = (int)db_col_i64(st, 0);
    ret = 0;
out:
    db_done(st);
    return ret;
}

int user_store_list(struct arena *a, struct db *db, const struct user_query *q, struct user *out,
                    int cap, int *n)
{
    static const char sql[] = "SELECT " USER_COLUMNS "FROM user_account u "
                              "JOIN organisation o ON o.id = u.org_id " USER_WHERE
                              "ORDER BY lower(u.display_name), u.login LIMIT $4 OFFSET $5";
    struct db_stmt *st = NULL;
    int got = 0;
    int ret = db_prepare(db, "user.list", sql, &st);
    if (ret)
        goto out;
    if ((ret = bind_query(st, q)) || (ret = db_bind_i64(st, 4, q->limit)) ||
        (ret = db_bind_i64(st, 5, q->offset)))
        goto out;
    while (got < cap && (ret = db_step(st)) == DB_ROW) {
        ret = read_user(a, st, &out[got]);
        if (ret)
            goto out;
        got++;
    }
    if (ret < 0)
        goto out;
    *n = got;
    ret = 0;
out:
    db_done(st);
    return ret;
}

static int load_regions(struct db *db, int64_t org_id, struct actor *out)
{
    /* A gemeente's regions are its parents; a toegang team's are its gemeente's. */
    static const char sql[] =
        "SELECT o.id FROM organisation o WHERE o.kind = 'region' AND ("
        "o.id IN (SELECT parent_id FROM organisation_parent WHERE child_id = $1) OR "
        "o.id IN (SELECT p2.parent_id FROM organisation_parent p1 "
        "JOIN organisation_parent p2 ON p2.child_id = p1.parent_id WHERE p1.child_id = $1)) "
        "ORDER BY o.id";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "user.actor_regions", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, org_id)))
        goto out;
    out->nregions = 0;
    while ((ret = db_step(st)) == DB_ROW) {
        /* More memberships than an actor can carry would be a data error; keep the first. */
        if (out->nregions < ACTOR_MAX_REGIONS)
            out->region_ids[out->nregions++] = db_col_i64(st, 0);
    }
    if (ret < 0)
        goto out;
    ret = 0;
out:
    db_done(st);
    return ret;
}

int user_store_actor(struct arena *a, struct db *db, int64_t id, struct actor *out,
                     const char **lang_out, bool *active_out)
{
    static const char sql[] =
        "SELECT u.roles, u.org_id, o.kind, u.display_name, u.lang, u.active "
        "FROM user_account u JOIN organisation o ON o.id = u.org_id WHERE u.id = $1";
    struct db_stmt *st = NULL;
    struct actor act;
    const char *lang = NULL;
    bool active = false;
    enum org_kind kind;
    int ret = db_prepare(db, "user.actor", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, id)))
        goto out;
    ret = db_step(st);
    if (ret == DB_DONE) {
        ret = ERR_NOT_FOUND;
        goto out;
    }
    if (ret < 0)
        goto out;
    memset(&act, 0, sizeof act);
    act.user_id = id;
    act.roles = (uint32_t)db_col_i64(st, 0);
    act.org_id = db_col_i64(st, 1);
    if (org_kind_parse(str_from(db_col_text(st, 2)), &kind) != 0) {
        ret = ERR_DB; /* the schema's CHECK makes this a corrupt database */
        goto out;
    }
    act.org_kind = kind;
    active = db_col_i64(st, 5) != 0;
    if (!db_col_dup(a, st, 3, &act.display_name) || !db_col_dup(a, st, 4, &lang)) {
        ret = ERR_TOO_BIG;
        goto out;
    }
    db_done(st);
    st = NULL;
    ret = 0;
    if (kind == ORG_REGION) {
        act.region_ids[0] = act.org_id;
        act.nregions = 1;
    } else if (kind == ORG_GEMEENTE || kind == ORG_TOEGANG) {
        ret = load_regions(db, act.org_id, &act);
        if (ret)
            goto out;
    }
    *out = act;
    if (lang_out)
        *lang_out = lang;
    if (active_out)
        *active_out = active;
out:
    db_done(st);
    return ret;
}
