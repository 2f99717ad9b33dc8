/*
 * auth.h: authentication: passwords (Argon2id via libsodium), server-side sessions, API tokens
 * and login rate limiting. Secrets are random 256-bit values; only their SHA-256 is stored.
 */
#ifndef DUIDING_DOMAIN_AUTH_H
#define DUIDING_DOMAIN_AUTH_H

#include "core/arena.h"
#include "core/err.h"
#include "domain/actor.h"
#include "store/store.h"
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define AUTH_SECRET_B64_LEN             43 /* 32 bytes, base64url without padding */
#define AUTH_TOKEN_PREFIX               "dui_"
#define AUTH_LOGIN_MAX_FAILS            5   /* per account or per address ... */
#define AUTH_LOGIN_WINDOW_SEC           900 /* ... within 15 minutes, then locked for the rest */
#define AUTH_RATE_SLOTS                 4096 /* limiter entries; full: the stalest unlocked one goes */
#define AUTH_SESSION_MAX_SEC            (7 * 24 * 3600) /* absolute session lifetime */
#define AUTH_SESSION_IDLE_DEFAULT_HOURS 8               /* when the caller passes idle_hours <= 0 */
#define AUTH_TOUCH_SEC                  60 /* last_seen_at / last_used_at written at most this often */
#define AUTH_TOKEN_DAYS_MAX             366 /* API token lifetime 1..366 days */
#define AUTH_TOKEN_LABEL_MAX            80  /* code points */

enum token_scope {
    SCOPE_READ = 1 << 0,   /* GET on the API */
    SCOPE_WRITE = 1 << 1,  /* changes through the API */
    SCOPE_IMPORT = 1 << 2, /* deliver files (intake issue) */
};
#define SCOPE_ALL 0x7

/** Initialises libsodium. Call once at start. 0 or ERR_INTERNAL. */
int auth_init(void);

/** Argon2id hash (INTERACTIVE limits) into a heap string. Slow (~60 ms, 64 MiB): job only. */
int auth_hash_password(const char *password, char **hash_out);
/** Constant-time verify. Slow: job only. */
bool auth_verify_password(const char *hash, const char *password);
/** A random password that is easy to type: 4 groups of 5 lower-case letters/digits. Heap. */
char *auth_generate_password(void);

/**
 * Checks login name and password and, on success, creates a session. Returns ERR_UNAUTH for a
 * wrong name or password (the same for both, and after the same work, so an account's existence
 * does not leak), ERR_BUSY when rate limited. *session_id receives the secret for the cookie
 * (heap, caller frees). Slow: job only. `addr` is the client address used for rate limiting
 * (not stored).
 */
int auth_login(struct store *s, const char *login, const char *password, const char *addr,
               char **session_id, struct err_ctx *e);
/** Resolves a session cookie value into an actor (arena strings). ERR_UNAUTH if unknown/expired. */
int auth_session_actor(struct arena *a, struct store *s, const char *session_id, int idle_hours,
                       struct actor *out, char **lang_out);
/** Ends a session. */
int auth_logout(struct store *s, const char *session_id);
/** The CSRF token of a session: base64url(HMAC-SHA-256(key = session id, "csrf")). */
void auth_csrf_token(const char *session_id, char out[AUTH_SECRET_B64_LEN + 1]);
/** Constant-time check of a submitted CSRF token. */
bool auth_csrf_check(const char *session_id, const char *submitted);

/**
 * Creates an API token for user_id with scopes, valid for `days`. *token receives
 * "dui_<secret>" (heap, shown once). Policy-checked and audited.
 */
int auth_token_create(struct store *s, const struct actor *who, int64_t user_id, const char *label,
                      uint32_t scopes, int days, char **token, int64_t *id_out, struct err_ctx *e);
/** Revokes a token. */
int auth_token_revoke(struct store *s, const struct actor *who, int64_t token_id,
                      struct err_ctx *e);
/* One API token as its owner or a beheerder sees it: never the secret or its hash. */
struct api_token_info {
    int64_t id;
    const char *label;
    uint32_t scopes;      /* enum token_scope bits */
    int64_t created_at;   /* unix seconds */
    int64_t expires_at;   /* unix seconds */
    int64_t last_used_at; /* unix seconds; 0 if never used */
    bool revoked;
};
#define AUTH_TOKEN_LIST_MAX 500 /* tokens listed per user; older ones beyond this are left out */

/**
 * The API tokens of user_id, newest first, revoked and expired ones included (at most
 * AUTH_TOKEN_LIST_MAX). Policy: OBJ_API_TOKEN with obj.id = user_id (the owner or a
 * beheerder). *out is an arena array of *n entries with arena strings. ERR_DENIED, ERR_DB,
 * ERR_TOO_BIG past the arena cap.
 */
int auth_token_list(struct arena *a, struct store *s, const struct actor *who, int64_t user_id,
                    struct api_token_info **out, int *n);
/** Resolves "Bearer dui_..." into an actor. ERR_UNAUTH if unknown, revoked or expired. */
int auth_token_actor(struct arena *a, struct store *s, const char *token, struct actor *out);

/** Builds the actor for a user id (roles, organisation, regions). Internal use. */
int auth_actor_for_user(struct arena *a, struct store *s, int64_t user_id, struct actor *out);

/** Generic in-memory limiter: true if `key` has had fewer than max events in window_sec. */
bool auth_rate_allow(const char *key, int max, int window_sec);
/** Records one failed attempt for key. */
void auth_rate_hit(const char *key);
/** Forgets key (after a successful login). */
void auth_rate_clear(const char *key);

#endif
