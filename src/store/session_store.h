/*
 * session_store.h: the SQL of server-side login sessions (table session), used by
 * domain/auth.c. Sessions are keyed by the SHA-256 of the cookie secret; times are unix
 * seconds. Expiry rules live in the domain layer.
 */
#ifndef DUIDING_STORE_SESSION_STORE_H
#define DUIDING_STORE_SESSION_STORE_H

#include "store/db.h"
#include <stdint.h>

#define SESSION_HASH_LEN 32 /* crypto_hash_sha256_BYTES */

/* One session row (no secret: the id is only known by its hash). */
struct session_row {
    int64_t user_id;
    int64_t created_at;
    int64_t last_seen_at;
    int64_t expires_at; /* absolute end */
};

/** Inserts a session. 0, ERR_CONFLICT (hash collision: practically never), ERR_DB. */
int session_store_insert(struct db *db, const unsigned char hash[SESSION_HASH_LEN], int64_t user_id,
                         int64_t now, int64_t expires_at);
/** Looks a session up by hash. 0 with *out filled, ERR_NOT_FOUND, ERR_DB. */
int session_store_find(struct db *db, const unsigned char hash[SESSION_HASH_LEN],
                       struct session_row *out);
/** Sets last_seen_at. 0 or ERR_DB (a vanished session is not an error). */
int session_store_touch(struct db *db, const unsigned char hash[SESSION_HASH_LEN], int64_t now);
/** Deletes one session. 0 or ERR_DB (deleting an unknown session is not an error). */
int session_store_delete(struct db *db, const unsigned char hash[SESSION_HASH_LEN]);
/** Deletes every session of a user (deactivation, password reset). 0 or ERR_DB. */
int session_store_delete_user(struct db *db, int64_t user_id);
/**
 * Deletes sessions past their absolute end, or idle since before idle_before (unix seconds;
 * 0 = ignore idleness). Keeps the table small. 0 or ERR_DB.
 */
int session_store_purge(struct db *db, int64_t now, int64_t idle_before);

#endif
