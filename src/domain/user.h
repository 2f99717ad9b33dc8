/*
 * user.h: user accounts. A user belongs to one organisation and has one or more roles.
 * No e-mail or real name is required: a login name and a display name are enough.
 */
#ifndef DUIDING_DOMAIN_USER_H
#define DUIDING_DOMAIN_USER_H

#include "core/arena.h"
#include "core/err.h"
#include "domain/actor.h"
#include "store/store.h"
#include <stdbool.h>
#include <stdint.h>

#define USER_LOGIN_MIN    3
#define USER_LOGIN_MAX    64  /* [a-z0-9._@-] */
#define USER_DISPLAY_MAX  120 /* code points */
#define USER_PASSWORD_MIN 12  /* bytes; NCSC / NIST 800-63B style length over complexity */
#define USER_PASSWORD_MAX 256
#define USER_LIST_DEFAULT 100 /* user_filter.limit 0 */
#define USER_LIST_MAX     1000

struct user {
    int64_t id;
    const char *login;
    const char *display_name;
    int64_t org_id;
    const char *org_name;
    uint32_t roles;
    const char *lang; /* "nl" or "en" */
    bool active;
    bool must_change_password;
    const char *created_at;
    const char *last_login_at; /* NULL if never */
};

struct user_input {
    const char *login; /* create only */
    const char *display_name;
    int64_t org_id;
    uint32_t roles;
    const char *lang;     /* NULL = "nl" */
    const char *password; /* create: initial password (NULL = generate one) */
};

struct user_filter {
    int64_t org_id; /* 0 = all the actor may see */
    bool include_inactive;
    const char *q;
    int limit, offset;
};

/**
 * Creates a user (policy, validation, audit). Password hashing is slow (Argon2id): call this
 * from a job, never from an HTTP thread. If in->password is NULL a random one is generated and
 * returned in *generated (heap, caller frees; NULL otherwise).
 */
int user_create(struct store *s, const struct actor *who, const struct user_input *in,
                int64_t *id_out, char **generated, struct err_ctx *e);
/** Updates display name, organisation, roles, language. Audited. */
int user_update(struct store *s, const struct actor *who, int64_t id, const struct user_input *in,
                struct err_ctx *e);
/** Activates or deactivates (deactivation ends the user's sessions and tokens). Audited. */
int user_set_active(struct store *s, const struct actor *who, int64_t id, bool active,
                    struct err_ctx *e);
/**
 * Sets a new random password that must be changed at next login (beheerder action; slow:
 * run on a job). *generated receives it (heap, caller frees). Ends the user's sessions.
 */
int user_reset_password(struct store *s, const struct actor *who, int64_t id, char **generated,
                        struct err_ctx *e);
/** The user changes their own password (slow: job). Checks the current one. */
int user_change_password(struct store *s, const struct actor *who, const char *current,
                         const char *next, struct err_ctx *e);
/** Sets the user's own interface language ("nl"/"en"). */
int user_set_lang(struct store *s, const struct actor *who, const char *lang, struct err_ctx *e);
int user_get(struct arena *a, struct store *s, const struct actor *who, int64_t id,
             struct user *out);
int user_list(struct arena *a, struct store *s, const struct actor *who,
              const struct user_filter *f, struct user **out, int *n, int *total);

#endif
