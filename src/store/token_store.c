/*
 * token_store.c: SQL that creates, resolves and revokes API tokens. Only the SHA-256 of a
 * token is stored and looked up; revocation is a flag so the audit trail keeps the row.
 */
#include "store/token_store.h"
#include "core/common.h"

/* Runs a statement that returns no rows. */
int token_store_insert(struct db *db, const unsigned char hash[TOKEN_HASH_LEN], int64_t user_id,
                       const char *label, uint32_t scopes, int64_t now, int64_t expires_at,
                       int64_t *id_out)
{
    static const char sql[] =
        "INSERT INTO api_token (token_hash, user_id, label, scopes, created_at, expires_at) "
        "VALUES ($1, $2, $3, $4, $5, $6)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "token.insert", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_blob(st, 1, hash, TOKEN_HASH_LEN)) || (ret = db_bind_i64(st, 2, user_id)) ||
        (ret = db_bind_text(st, 3, label, (size_t)-1)) || (ret = db_bind_i64(st, 4, scopes)) ||
        (ret = db_bind_i64(st, 5, now)) || (ret = db_bind_i64(st, 6, expires_at)))
        goto out;
    ret = db_run(st);
    if (ret)
        goto out;
    *id_out = db_last_insert_id(db);
out:
    db_done(st);
    return ret;
}

int token_store_find(struct db *db, const unsigned char hash[TOKEN_HASH_LEN], struct token_row *out)
{
    static const char sql[] = "SELECT id, user_id, scopes, expires_at, revoked, last_used_at "
                              "FROM api_token WHERE token_hash = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "token.find", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_blob(st, 1, hash, TOKEN_HASH_LEN)))
        goto out;
    ret = db_step(st);
    if (ret == DB_DONE) {
        ret = ERR_NOT_FOUND;
        goto out;
    }
    if (ret < 0)
        goto out;
    out->id = db_col_i64(st, 0);
    out->user_id = db_col_i64(st, 1);
    out->scopes = (uint32_t)db_col_i64(st, 2);
    out->expires_at = db_col_i64(st, 3);
    out->revoked = db_col_i64(st, 4) != 0;
    out->last_used_at = db_col_is_null(st, 5) ? 0 : db_col_i64(st, 5);
    ret = 0;
out:
    db_done(st);
    return ret;
}

int token_store_owner(struct db *db, int64_t id, int64_t *user_id_out, bool *revoked_out)
{
    static const char sql[] = "SELECT user_id, revoked FROM api_token WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "token.owner", sql, &st);
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
    *user_id_out = db_col_i64(st, 0);
    *revoked_out = db_col_i64(st, 1) != 0;
    ret = 0;
out:
    db_done(st);
    return ret;
}

int token_store_touch(struct db *db, int64_t id, int64_t now)
{
    static const char sql[] = "UPDATE api_token SET last_used_at = $2 WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "token.touch", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, id)) || (ret = db_bind_i64(st, 2, now)))
        goto out;
    ret = db_run(st);
out:
    db_done(st);
    return ret;
}

int token_store_revoke(struct db *db, int64_t id)
{
    static const char sql[] = "UPDATE api_token SET revoked = 1 WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "token.revoke", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, id)))
        goto out;
    ret = db_run(st);
    if (!ret && db_changes(db) == 0)
        ret = ERR_NOT_FOUND;
out:
    db_done(st);
    return ret;
}

int token_store_revoke_user(struct db *db, int64_t user_id)
{
    static const char sql[] = "UPDATE api_token SET revoked = 1 WHERE user_id = $1 AND revoked = 0";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "token.revoke_user", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, user_id)))
        goto out;
    ret = db_run(st);
out:
    db_done(st);
    return ret;
}
