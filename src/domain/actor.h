/*
 * actor.h: who is acting. Built from the session or API token by the web layer; the domain
 * and the authorisation policy only ever see this.
 */
#ifndef DUIDING_DOMAIN_ACTOR_H
#define DUIDING_DOMAIN_ACTOR_H

#include "domain/role.h"
#include <stdbool.h>
#include <stdint.h>

#define ACTOR_MAX_REGIONS 8

struct actor {
    int64_t user_id; /* 0 = anonymous */
    int64_t org_id;  /* the user's organisation */
    enum org_kind org_kind;
    uint32_t roles; /* enum role bits */
    /* Regions the user's organisation belongs to (a gemeente; a toegang team: its gemeente's)
     * or is (a region). */
    int64_t region_ids[ACTOR_MAX_REGIONS];
    int nregions;
    uint32_t token_scopes; /* for API tokens: enum token_scope bits; 0 for sessions */
    bool via_token;
    const char *display_name; /* borrowed */
};

#endif
