/*
 * session_store.c: SQL for server-side sessions. A session row carries only the SHA-256 of
 * the cookie secret, the user and three unix times; domain/auth.c decides what is expired.
 */
#include "store/session_store.h"
#include "core/common.h"

/* Runs a statement that returns no rows. */
int session_store_insert(struct db *db, const unsigned char hash[SESSION_HASH_LEN], int64_t user_id,
                         int64_t now, int64_t expires_at)
{
    static const char sql[] =
        "INSERT INTO session (id_hash, user_id, created_at, last_seen_at, expires_at) "
        "VALUES ($1, $2, $3, $3, $4)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "session.insert", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_blob(st, 1, hash, SESSION_HASH_LEN)) ||
        (ret = db_bind_i64(st, 2, user_id)) || (ret = db_bind_i64(st, 3, now)) ||
        (ret = db_bind_i64(st, 4, expires_at)))
        goto out;
    ret = db_run(st);
out:
    db_done(st);
    return ret;
}

int session_store_find(struct db *db, const unsigned char hash[SESSION_HASH_LEN],
                       struct session_row *out)
{
    static const char sql[] = "SELECT user_id, created_at, last_seen_at, expires_at "
                              "FROM session WHERE id_hash = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "session.find", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_blob(st, 1, hash, SESSION_HASH_LEN)))
        goto out;
    ret = db_step(st);
    if (ret == DB_DONE) {
        ret = ERR_NOT_FOUND;
        goto out;
    }
    if (ret < 0)
        goto out;
    out->user_id = db_col_i64(st, 0);
    out->created_at = db_col_i64(st, 1);
    out->last_seen_at = db_col_i64(st, 2);
    out->expires_at = db_col_i64(st, 3);
    ret = 0;
out:
    db_done(st);
    return ret;
}

int session_store_touch(struct db *db, const unsigned char hash[SESSION_HASH_LEN], int64_t now)
{
    static const char sql[] = "UPDATE session SET last_seen_at = $2 WHERE id_hash = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "session.touch", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_blob(st, 1, hash, SESSION_HASH_LEN)) || (ret = db_bind_i64(st, 2, now)))
        goto out;
    ret = db_run(st);
out:
    db_done(st);
    return ret;
}

int session_store_delete(struct db *db, const unsigned char hash[SESSION_HASH_LEN])
{
    static const char sql[] = "DELETE FROM session WHERE id_hash = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "session.delete", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_blob(st, 1, hash, SESSION_HASH_LEN)))
        goto out;
    ret = db_run(st);
out:
    db_done(st);
    return ret;
}

int session_store_delete_user(struct db *db, int64_t user_id)
{
    static const char sql[] = "DELETE FROM session WHERE user_id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "session.delete_user", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, user_id)))
        goto out;
    ret = db_run(st);
out:
    db_done(st);
    return ret;
}

int session_store_purge(struct db *db, int64_t now, int64_t idle_before)
{
    static const char sql[] =
        "DELETE FROM session WHERE expires_at <= $1 OR ($2 > 0 AND last_seen_at < $2)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "session.purge", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, now)) || (ret = db_bind_i64(st, 2, idle_before)))
        goto out;
    ret = db_run(st);
out:
    db_done(st);
    return ret;
}
