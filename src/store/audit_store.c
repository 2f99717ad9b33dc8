/*
 * audit_store.c: SQL for the append-only audit log. The table refuses UPDATE and DELETE by
 * trigger (schema/0001_init.sql); this file only inserts and reads.
 */
#include "store/audit_store.h"
#include "core/common.h"

int audit_store_insert(struct db *db, const char *at, int64_t user_id, const char *login,
                       const char *action, const char *object_kind, int64_t object_id,
                       const char *detail)
{
    static const char sql[] =
        "INSERT INTO audit_event (at, user_id, user_login, action, object_kind, object_id, "
        "detail) VALUES ($1, $2, coalesce((SELECT login FROM user_account WHERE id = $2), $7), "
        "$3, $4, $5, $6)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "audit.insert", sql, &st);
    if (ret)
        goto out;
    ret = db_bind_text(st, 1, at, (size_t)-1);
    if (!ret)
        ret = user_id ? db_bind_i64(st, 2, user_id) : db_bind_null(st, 2);
    if (!ret)
        ret = db_bind_text(st, 3, action, (size_t)-1);
    if (!ret)
        ret = db_bind_text(st, 4, object_kind, (size_t)-1);
    if (!ret)
        ret = object_id ? db_bind_i64(st, 5, object_id) : db_bind_null(st, 5);
    if (!ret)
        ret = db_bind_text(st, 6, detail, (size_t)-1);
    if (!ret)
        ret = db_bind_text(st, 7, login, (size_t)-1);
    if (!ret)
        ret = db_step(st);
out:
    db_done(st);
    return ret;
}

/* Binds the filter part shared by count and list: $1 user, $2 action pattern. */
static int bind_filter(struct db_stmt *st, const struct audit_query *q)
{
    int ret = db_bind_i64(st, 1, q->user_id);
    if (!ret)
        ret = db_bind_text(st, 2, q->action_like ? q->action_like : "", (size_t)-1);
    return ret;
}

int audit_store_count(struct db *db, const struct audit_query *q, int *total)
{
    static const char sql[] = "SELECT count(*) FROM audit_event "
                              "WHERE ($1 = 0 OR user_id = $1) "
                              "AND ($2 = '' OR action LIKE $2 ESCAPE '\\')";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "audit.count", sql, &st);
    if (ret)
        goto out;
    ret = bind_filter(st, q);
    if (ret)
        goto out;
    ret = db_step(st);
    if (ret == DB_ROW) {
        *total = (int)db_col_i64(st, 0);
        ret = 0;
    } else if (ret == DB_DONE) {
        ret = ERR_DB;
    }
out:
    db_done(st);
    return ret;
}

/* Copies a nullable column into the arena; false past the arena cap. */
static bool copy_col(struct arena *a, struct db_stmt *st, int i, const char **dst)
{
    const char *v = db_col_text(st, i);
    *dst = v ? arena_strdup(a, v) : NULL;
    return !v || *dst;
}

int audit_store_list(struct arena *a, struct db *db, const struct audit_query *q,
                     struct audit_event *out, int cap, int *n)
{
    static const char sql[] = "SELECT id, at, user_id, user_login, action, object_kind, "
                              "object_id, detail FROM audit_event "
                              "WHERE ($1 = 0 OR user_id = $1) "
                              "AND ($2 = '' OR action LIKE $2 ESCAPE '\\') "
                              "ORDER BY id DESC LIMIT $3 OFFSET $4";
    struct db_stmt *st = NULL;
    int count = 0;
    int ret = db_prepare(db, "audit.list", sql, &st);
    if (ret)
        goto out;
    ret = bind_filter(st, q);
    if (!ret)
        ret = db_bind_i64(st, 3, q->limit);
    if (!ret)
        ret = db_bind_i64(st, 4, q->offset);
    if (ret)
        goto out;
    while (count < cap && (ret = db_step(st)) == DB_ROW) {
        struct audit_event *ev = &out[count];
        ev->id = db_col_i64(st, 0);
        ev->user_id = db_col_i64(st, 2); /* NULL reads as 0 */
        ev->object_id = db_col_i64(st, 6);
        if (!copy_col(a, st, 1, &ev->at) || !copy_col(a, st, 3, &ev->user_login) ||
            !copy_col(a, st, 4, &ev->action) || !copy_col(a, st, 5, &ev->object_kind) ||
            !copy_col(a, st, 7, &ev->detail)) {
            ret = ERR_TOO_BIG;
            goto out;
        }
        count++;
    }
    if (ret < 0)
        goto out;
    ret = 0;
    *n = count;
out:
    db_done(st);
    return ret;
}
