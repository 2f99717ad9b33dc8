/*
 * user_store.h: the SQL of user accounts (table user_account) for domain/user.c and
 * domain/auth.c. Rows come back as struct user (domain/user.h) with arena strings; validation,
 * policy, transactions and audit stay in the domain layer.
 */
#ifndef DUIDING_STORE_USER_STORE_H
#define DUIDING_STORE_USER_STORE_H

#include "core/arena.h"
#include "domain/actor.h"
#include "domain/user.h"
#include "store/db.h"
#include <stdbool.h>
#include <stdint.h>

/* What authentication needs about an account. Strings are arena-owned. */
struct user_cred {
    int64_t id;
    const char *login;
    const char *password_hash;
    bool active;
    bool must_change_password;
};

/* A resolved user_filter: organisation restriction applied, limit defaulted and capped. */
struct user_query {
    int64_t org_id; /* 0 = every organisation */
    bool include_inactive;
    const char *like; /* LIKE pattern (db_like_pattern) on login or display name, or NULL */
    int limit, offset;
};

/* The columns written by insert and update. Strings are borrowed. */
struct user_values {
    const char *login; /* insert only */
    const char *display_name;
    int64_t org_id;
    uint32_t roles;
    const char *lang;
};

/**
 * Inserts an active account with its password hash; `now` is ISO 8601 UTC. *id_out receives
 * the id. 0, ERR_CONFLICT (login taken or constraint), ERR_DB.
 */
int user_store_insert(struct db *db, const struct user_values *v, const char *password_hash,
                      bool must_change_password, const char *now, int64_t *id_out);
/** Updates display name, organisation, roles and language. 0, ERR_NOT_FOUND, ERR_CONFLICT, ERR_DB.
 */
int user_store_update(struct db *db, int64_t id, const struct user_values *v, const char *now);
/** Sets active. 0, ERR_NOT_FOUND, ERR_DB. */
int user_store_set_active(struct db *db, int64_t id, bool active, const char *now);
/** Replaces the password hash. 0, ERR_NOT_FOUND, ERR_DB. */
int user_store_set_password(struct db *db, int64_t id, const char *password_hash,
                            bool must_change_password, const char *now);
/** Sets the interface language. 0, ERR_NOT_FOUND, ERR_DB. */
int user_store_set_lang(struct db *db, int64_t id, const char *lang, const char *now);
/** Records a successful login. 0 or ERR_DB. */
int user_store_touch_login(struct db *db, int64_t id, const char *now);

/** True in *exists if an account with this login exists. 0 or ERR_DB. */
int user_store_login_exists(struct db *db, const char *login, bool *exists);
/** Credentials by login (exact, already lower-case). 0, ERR_NOT_FOUND, ERR_DB, ERR_TOO_BIG. */
int user_store_cred_by_login(struct arena *a, struct db *db, const char *login,
                             struct user_cred *out);
/** Credentials by id. 0, ERR_NOT_FOUND, ERR_DB, ERR_TOO_BIG. */
int user_store_cred_by_id(struct arena *a, struct db *db, int64_t id, struct user_cred *out);

/** One account with its organisation's name. 0, ERR_NOT_FOUND, ERR_DB, ERR_TOO_BIG. */
int user_store_get(struct arena *a, struct db *db, int64_t id, struct user *out);
/** Number of active accounts holding any of the role bits. 0 or ERR_DB. */
int user_store_count_active_role(struct db *db, uint32_t role, int *count);
/** Counts the accounts matching q (limit/offset ignored). 0 or ERR_DB. */
int user_store_count(struct db *db, const struct user_query *q, int *total);
/**
 * Fills out[0..cap) with the accounts matching q, ordered by display name, strings in the
 * arena. *n receives the number of rows. 0, ERR_DB, ERR_TOO_BIG.
 */
int user_store_list(struct arena *a, struct db *db, const struct user_query *q, struct user *out,
                    int cap, int *n);

/**
 * The facts an actor is built from: user id, roles, organisation id and kind, display name
 * (arena) and the region ids (for a gemeente the regions it belongs to, for a region itself;
 * at most ACTOR_MAX_REGIONS). *lang_out (arena) and *active_out describe the account.
 * 0, ERR_NOT_FOUND, ERR_DB, ERR_TOO_BIG.
 */
int user_store_actor(struct arena *a, struct db *db, int64_t id, struct actor *out,
                     const char **lang_out, bool *active_out);

#endif
