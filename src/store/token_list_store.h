/*
 * token_list_store.h: the SQL that lists a user's API tokens (table api_token) for
 * domain/token_list.c. Creating, resolving and revoking tokens lives in the auth store.
 */
#ifndef DUIDING_STORE_TOKEN_LIST_STORE_H
#define DUIDING_STORE_TOKEN_LIST_STORE_H

#include "core/arena.h"
#include "domain/auth.h"
#include "store/db.h"
#include <stdint.h>

/**
 * Fills out[0..cap) with the tokens of user_id, newest first; labels are copied into the
 * arena. *n receives the number of rows. 0, ERR_DB, or ERR_TOO_BIG past the arena cap.
 */
int token_store_list(struct arena *a, struct db *db, int64_t user_id, struct api_token_info *out,
                     int cap, int *n);

#endif
