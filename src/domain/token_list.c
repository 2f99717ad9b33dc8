/*
 * token_list.c: lists the API tokens of one user, for their own account page or a beheerder.
 * Kept apart from auth.c (sessions, hashing, token creation) because it is a plain read.
 */
#include "domain/auth.h"
#include "core/common.h"
#include "domain/policy.h"
#include "store/token_list_store.h"

int auth_token_list(struct arena *a, struct store *s, const struct actor *who, int64_t user_id,
                    struct api_token_info **out, int *n)
{
    /* policy.c: for OBJ_API_TOKEN the object id is the token owner's user id. */
    const struct object_ref obj = {.kind = OBJ_API_TOKEN, .id = user_id};
    struct api_token_info *rows = NULL;
    struct db *db = NULL;
    int got = 0;
    int ret = 0;

    if (!policy_allows(who, ACT_LIST, &obj)) {
        ret = ERR_DENIED;
        goto out;
    }
    if (user_id <= 0) {
        ret = ERR_INVALID;
        goto out;
    }
    db = store_reader(s);
    if (!db) {
        ret = ERR_DB;
        goto out;
    }
    rows = arena_calloc(a, AUTH_TOKEN_LIST_MAX, sizeof *rows);
    if (!rows) {
        ret = ERR_TOO_BIG;
        goto out;
    }
    ret = token_store_list(a, db, user_id, rows, AUTH_TOKEN_LIST_MAX, &got);
    if (ret)
        goto out;
    *out = rows;
    *n = got;
out:
    return ret;
}
