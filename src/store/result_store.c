/*
 * result_store.c: SQL for maatschappelijke resultaten. Edits are guarded by the version
 * column (optimistic locking): an UPDATE only applies to the version the editor saw, and
 * every change increments it.
 */
#include "store/result_store.h"
#include "core/common.h"

/* Runs a statement that returns no rows. */
int result_store_insert(struct db *db, const struct result_values *v, const char *now,
                        int64_t created_by, int64_t *id_out)
{
    static const char sql[] =
        "INSERT INTO societal_result (owner_org_id, theme, title, description, start_year, "
        "end_year, archived, version, created_at, updated_at, created_by) "
        "VALUES ($1, $2, $3, $4, $5, $6, 0, 1, $7, $7, $8)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "result.insert", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, v->owner_org_id)) ||
        (ret = db_bind_text(st, 2, v->theme_code, (size_t)-1)) ||
        (ret = db_bind_text(st, 3, v->title, (size_t)-1)) ||
        (ret = db_bind_text(st, 4, v->description, (size_t)-1)) ||
        (ret = db_bind_i64(st, 5, v->start_year)) || (ret = db_bind_i64(st, 6, v->end_year)) ||
        (ret = db_bind_text(st, 7, now, (size_t)-1)) ||
        (ret = created_by > 0 ? db_bind_i64(st, 8, created_by) : db_bind_null(st, 8)))
        goto out;
    ret = db_run(st);
    if (ret)
        goto out;
    *id_out = db_last_insert_id(db);
out:
    db_done(st);
    return ret;
}

int result_store_update(struct db *db, int64_t id, int64_t version, const struct result_values *v,
                        const char *now)
{
    static const char sql[] =
        "UPDATE societal_result SET owner_org_id = $3, theme = $4, title = $5, description = $6, "
        "start_year = $7, end_year = $8, updated_at = $9, version = version + 1 "
        "WHERE id = $1 AND version = $2";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "result.update", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, id)) || (ret = db_bind_i64(st, 2, version)) ||
        (ret = db_bind_i64(st, 3, v->owner_org_id)) ||
        (ret = db_bind_text(st, 4, v->theme_code, (size_t)-1)) ||
        (ret = db_bind_text(st, 5, v->title, (size_t)-1)) ||
        (ret = db_bind_text(st, 6, v->description, (size_t)-1)) ||
        (ret = db_bind_i64(st, 7, v->start_year)) || (ret = db_bind_i64(st, 8, v->end_year)) ||
        (ret = db_bind_text(st, 9, now, (size_t)-1)))
        goto out;
    ret = db_run(st);
    if (!ret && db_changes(db) == 0)
        ret = ERR_CONFLICT;
out:
    db_done(st);
    return ret;
}

int result_store_set_archived(struct db *db, int64_t id, bool archived, const char *now)
{
    static const char sql[] = "UPDATE societal_result SET archived = $2, updated_at = $3, "
                              "version = version + 1 WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "result.set_archived", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, id)) || (ret = db_bind_i64(st, 2, archived ? 1 : 0)) ||
        (ret = db_bind_text(st, 3, now, (size_t)-1)))
        goto out;
    ret = db_run(st);
    if (!ret && db_changes(db) == 0)
        ret = ERR_NOT_FOUND;
out:
    db_done(st);
    return ret;
}

/* The columns of struct result, in the order read_result() expects. */
#define RESULT_COLUMNS                                                                             \
    "r.id, r.owner_org_id, o.name, r.theme, r.title, r.description, r.start_year, r.end_year, "    \
    "r.archived, r.version, r.created_at, r.updated_at "

static int read_result(struct arena *a, struct db_stmt *st, struct result *out)
{
    enum result_theme theme;
    struct result r = {
        .id = db_col_i64(st, 0),
        .owner_org_id = db_col_i64(st, 1),
        .start_year = (int)db_col_i64(st, 6),
        .end_year = (int)db_col_i64(st, 7),
        .archived = db_col_i64(st, 8) != 0,
        .version = db_col_i64(st, 9),
    };
    const char *code = db_col_text(st, 3);
    if (!code || theme_parse(code, &theme) != 0)
        return ERR_INVALID;
    r.theme = theme;
    if (!db_col_dup(a, st, 2, &r.owner_name) || !db_col_dup(a, st, 4, &r.title) ||
        !db_col_dup(a, st, 5, &r.description) || !db_col_dup(a, st, 10, &r.created_at) ||
        !db_col_dup(a, st, 11, &r.updated_at))
        return ERR_TOO_BIG;
    *out = r;
    return 0;
}

int result_store_get(struct arena *a, struct db *db, int64_t id, struct result *out)
{
    static const char sql[] = "SELECT " RESULT_COLUMNS "FROM societal_result r "
                              "JOIN organisation o ON o.id = r.owner_org_id WHERE r.id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "result.get", sql, &st);
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
    ret = read_result(a, st, out);
out:
    db_done(st);
    return ret;
}

/* $1 owner (0 = all), $2 theme code (NULL = all), $3 include archived, $4 LIKE pattern. */
#define RESULT_WHERE                                                                               \
    "WHERE ($1 = 0 OR r.owner_org_id = $1) AND ($2 IS NULL OR r.theme = $2) AND "                  \
    "($3 = 1 OR r.archived = 0) AND ($4 IS NULL OR r.title LIKE $4 ESCAPE '\\' OR "                \
    "r.description LIKE $4 ESCAPE '\\') "

static int bind_query(struct db_stmt *st, const struct result_query *q)
{
    int ret;
    if ((ret = db_bind_i64(st, 1, q->owner_org_id)) ||
        (ret = db_bind_text(st, 2, q->theme_code, (size_t)-1)) ||
        (ret = db_bind_i64(st, 3, q->include_archived ? 1 : 0)) ||
        (ret = db_bind_text(st, 4, q->like, (size_t)-1)))
        return ret;
    return 0;
}

int result_store_count(struct db *db, const struct result_query *q, int *total)
{
    static const char sql[] = "SELECT count(*) FROM societal_result r " RESULT_WHERE;
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "result.count", sql, &st);
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

int result_store_list(struct arena *a, struct db *db, const struct result_query *q,
                      struct result *out, int cap, int *n)
{
    static const char sql[] = "SELECT " RESULT_COLUMNS "FROM societal_result r "
                              "JOIN organisation o ON o.id = r.owner_org_id " RESULT_WHERE
                              "ORDER BY o.name, r.title, r.id LIMIT $5 OFFSET $6";
    struct db_stmt *st = NULL;
    int got = 0;
    int ret = db_prepare(db, "result.list", sql, &st);
    if (ret)
        goto out;
    if ((ret = bind_query(st, q)) || (ret = db_bind_i64(st, 5, q->limit)) ||
        (ret = db_bind_i64(st, 6, q->offset)))
        goto out;
    while (got < cap && (ret = db_step(st)) == DB_ROW) {
        ret = read_result(a, st, &out[got]);
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
