/*
 * token_list_store.c: reads a user's API tokens for the account page and the API. Only the
 * metadata leaves this file; token_hash is never selected.
 */
#include "store/token_list_store.h"
#include "core/common.h"

int token_store_list(struct arena *a, struct db *db, int64_t user_id, struct api_token_info *out,
                     int cap, int *n)
{
    static const char sql[] = "SELECT id, label, scopes, created_at, expires_at, revoked, "
                              "last_used_at FROM api_token WHERE user_id = $1 "
                              "ORDER BY created_at DESC, id DESC LIMIT $2";
    struct db_stmt *st = NULL;
    int count = 0;
    int ret = db_prepare(db, "token.list", sql, &st);
    if (ret)
        goto out;
    ret = db_bind_i64(st, 1, user_id);
    if (!ret)
        ret = db_bind_i64(st, 2, cap);
    if (ret)
        goto out;
    while (count < cap && (ret = db_step(st)) == DB_ROW) {
        struct api_token_info *t = &out[count];
        const char *label = db_col_text(st, 1);
        t->id = db_col_i64(st, 0);
        t->label = arena_strdup(a, label ? label : "");
        if (!t->label) {
            ret = ERR_TOO_BIG;
            goto out;
        }
        t->scopes = (uint32_t)db_col_i64(st, 2);
        t->created_at = db_col_i64(st, 3);
        t->expires_at = db_col_i64(st, 4);
        t->revoked = db_col_i64(st, 5) != 0;
        t->last_used_at = db_col_i64(st, 6); /* NULL reads as 0: never used */
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
