/*
 * audit.h: the audit log: logins, every change, and (from the intake issue on) every read of
 * person-level data. Append-only; written in the same transaction as the change it records.
 */
#ifndef DUIDING_DOMAIN_AUDIT_H
#define DUIDING_DOMAIN_AUDIT_H

#include "core/arena.h"
#include "core/err.h"
#include "domain/actor.h"
#include "store/db.h"
#include "store/store.h"
#include <stdint.h>
#include <time.h>

#define AUDIT_TS_SIZE      21  /* "2026-11-23T08:00:00Z" and its NUL */
#define AUDIT_DETAIL_MAX   500 /* bytes; longer details are cut at a character boundary */
#define AUDIT_LIST_DEFAULT 100
#define AUDIT_LIST_MAX     1000

struct audit_event {
    int64_t id;
    const char *at;  /* ISO 8601 UTC */
    int64_t user_id; /* 0 for system / anonymous */
    const char *user_login;
    const char *action; /* "login.ok", "login.fail", "org.create", "result.update", ... */
    const char *object_kind;
    int64_t object_id;
    const char *detail; /* short, no personal data */
};

/**
 * Formats t as ISO 8601 UTC with seconds ("2026-11-23T08:00:00Z"), the form of every stored
 * timestamp (audit events, created_at/updated_at).
 */
void audit_format_time(time_t t, char out[static AUDIT_TS_SIZE]);

/** Appends an event using the caller's open write transaction on db. */
int audit_write(struct db *db, const struct actor *who, const char *action, const char *object_kind,
                int64_t object_id, const char *detail);
/** Appends an event in its own transaction (logins, failed logins). */
int audit_record(struct store *s, const struct actor *who, const char *action,
                 const char *object_kind, int64_t object_id, const char *detail);

struct audit_filter {
    int64_t user_id;
    const char *action_prefix;
    int limit, offset;
};

/**
 * Newest first; policy-checked (beheerder, else ERR_DENIED). f may be NULL (everything);
 * limit 0 means AUDIT_LIST_DEFAULT and is capped at AUDIT_LIST_MAX; a negative limit or offset
 * is ERR_INVALID. *out is an arena array of *n events; *total counts all matches.
 */
int audit_list(struct arena *a, struct store *s, const struct actor *who,
               const struct audit_filter *f, struct audit_event **out, int *n, int *total);

#endif
