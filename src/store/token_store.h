/*
 * token_store.h: the SQL that creates, resolves and revokes API tokens (table api_token) for
 * domain/auth.c. Tokens are keyed by the SHA-256 of the whole token string; the secret itself
 * is never stored. Listing tokens lives in token_list_store.h.
 */
#ifndef DUIDING_STORE_TOKEN_STORE_H
#define DUIDING_STORE_TOKEN_STORE_H

#include "store/db.h"
#include <stdbool.h>
#include <stdint.h>

#define TOKEN_HASH_LEN 32 /* crypto_hash_sha256_BYTES */

/* One token row as needed to authenticate with it. */
struct token_row {
    int64_t id;
    int64_t user_id;
    uint32_t scopes;
    int64_t expires_at;   /* unix seconds */
    int64_t last_used_at; /* unix seconds; 0 if never used */
    bool revoked;
};

/** Inserts a token; *id_out receives its id. 0, ERR_CONFLICT, ERR_DB. */
int token_store_insert(struct db *db, const unsigned char hash[TOKEN_HASH_LEN], int64_t user_id,
                       const char *label, uint32_t scopes, int64_t now, int64_t expires_at,
                       int64_t *id_out);
/** Looks a token up by hash. 0 with *out filled, ERR_NOT_FOUND, ERR_DB. */
int token_store_find(struct db *db, const unsigned char hash[TOKEN_HASH_LEN],
                     struct token_row *out);
/** The owner of token id. 0, ERR_NOT_FOUND, ERR_DB. */
int token_store_owner(struct db *db, int64_t id, int64_t *user_id_out, bool *revoked_out);
/** Sets last_used_at. 0 or ERR_DB. */
int token_store_touch(struct db *db, int64_t id, int64_t now);
/** Marks one token revoked. 0, ERR_NOT_FOUND, ERR_DB. */
int token_store_revoke(struct db *db, int64_t id);
/** Revokes every token of a user (deactivation). 0 or ERR_DB. */
int token_store_revoke_user(struct db *db, int64_t user_id);

#endif
