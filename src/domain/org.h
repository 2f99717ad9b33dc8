/*
 * org.h: organisations: regions, gemeenten (by CBS code), aanbieders (by AGB code),
 * toezichthouders and toegang teams. A gemeente belongs to one or more regions.
 */
#ifndef DUIDING_DOMAIN_ORG_H
#define DUIDING_DOMAIN_ORG_H

#include "core/arena.h"
#include "core/err.h"
#include "domain/actor.h"
#include "domain/role.h"
#include "store/store.h"
#include <stdbool.h>
#include <stdint.h>

#define ORG_NAME_MAX    120 /* code points */
#define ORG_MAX_PARENTS ACTOR_MAX_REGIONS

struct org {
    int64_t id;
    enum org_kind kind;
    const char *name;
    const char *cbs_code;                /* "GM0114" for gemeenten, else NULL */
    const char *agb_code;                /* 8 digits for aanbieders, else NULL */
    int64_t parent_ids[ORG_MAX_PARENTS]; /* regions of a gemeente; gemeente of a toegang team */
    int nparents;
    bool archived;
    int64_t population;     /* gemeente: inhabitants (CBS), 0 if unknown */
    const char *created_at; /* ISO 8601 UTC */
};

/* Input for create and edit. Strings are borrowed. */
struct org_input {
    enum org_kind kind;
    const char *name;     /* required for all but gemeente (taken from the CBS list if empty) */
    const char *cbs_code; /* required for gemeente: "GM0114" or "0114" */
    const char *agb_code; /* required for aanbieder: 8 digits */
    int64_t parent_ids[ORG_MAX_PARENTS];
    int nparents;
    int64_t population;
};

struct org_filter {
    int kind; /* 0 = all kinds */
    bool include_archived;
    const char *q;     /* name contains, case-insensitive; NULL = all */
    int64_t parent_id; /* 0 = any */
    int limit, offset; /* limit 0 = ORG_LIST_DEFAULT */
};
#define ORG_LIST_DEFAULT 100
#define ORG_LIST_MAX     1000

/**
 * Validates and creates an organisation as `who` (policy checked, audited). On ERR_INVALID,
 * `e` names the field and says why in the user's language. *id_out receives the new id.
 */
int org_create(struct store *s, const struct actor *who, const struct org_input *in,
               int64_t *id_out, struct err_ctx *e);
/** Validates and updates name, codes and parents (kind cannot change). Audited. */
int org_update(struct store *s, const struct actor *who, int64_t id, const struct org_input *in,
               struct err_ctx *e);
/** Archives or restores. Audited. */
int org_set_archived(struct store *s, const struct actor *who, int64_t id, bool archived,
                     struct err_ctx *e);
/** One organisation (arena-owned). ERR_NOT_FOUND or ERR_DENIED. */
int org_get(struct arena *a, struct store *s, const struct actor *who, int64_t id, struct org *out);
/** Filtered list (arena-owned array). *total receives the count before limit/offset. */
int org_list(struct arena *a, struct store *s, const struct actor *who, const struct org_filter *f,
             struct org **out, int *n, int *total);
/** Looks up without a policy check (internal: session building, demo). Arena-owned. */
int org_get_internal(struct arena *a, struct store *s, int64_t id, struct org *out);
/** True if an 8-digit AGB code is well-formed. */
bool org_agb_valid(const char *code);

#endif
