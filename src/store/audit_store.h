/*
 * audit_store.h: the SQL of the audit log (table audit_event), used by domain/audit.c. Rows
 * come back as struct audit_event (a plain data struct from domain/audit.h); validation,
 * policy and transactions stay in the domain layer.
 */
#ifndef DUIDING_STORE_AUDIT_STORE_H
#define DUIDING_STORE_AUDIT_STORE_H

#include "core/arena.h"
#include "domain/audit.h"
#include "store/db.h"
#include <stdint.h>

/* A resolved audit_filter: limit already defaulted and capped. */
struct audit_query {
    int64_t user_id;         /* 0 = everyone */
    const char *action_like; /* LIKE pattern (db_like_pattern) or NULL = every action */
    int limit, offset;
};

/**
 * Inserts one event. user_id and object_id 0 are stored as NULL; user_login is copied from
 * user_account so the log stays readable after the account is gone, or is `login` (may be
 * NULL) when user_id has no account (the CLI actor). 0 or ERR_DB.
 */
int audit_store_insert(struct db *db, const char *at, int64_t user_id, const char *login,
                       const char *action, const char *object_kind, int64_t object_id,
                       const char *detail);
/** Counts the events matching q (limit/offset ignored). */
int audit_store_count(struct db *db, const struct audit_query *q, int *total);
/**
 * Fills out[0..cap) with the matching events, newest first, strings copied into the arena.
 * *n receives the number of rows. ERR_TOO_BIG past the arena cap.
 */
int audit_store_list(struct arena *a, struct db *db, const struct audit_query *q,
                     struct audit_event *out, int cap, int *n);

#endif
