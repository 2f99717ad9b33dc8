/*
 * role.h: user roles (DESIGN.md §5) and organisation kinds. Roles are a bit set so one user can
 * hold more than one (a contract manager who is also beheerder of a small gemeente).
 */
#ifndef DUIDING_DOMAIN_ROLE_H
#define DUIDING_DOMAIN_ROLE_H

#include "core/str.h"
#include <stdint.h>

enum role {
    ROLE_BEHEERDER = 1 << 0,    /* administrator: organisations, users, audit log */
    ROLE_BELEID = 1 << 1,       /* policy advisor: societal results, theory of change */
    ROLE_CONTRACT = 1 << 2,     /* contract manager */
    ROLE_KWALITEIT = 1 << 3,    /* provider quality officer */
    ROLE_PROFESSIONAL = 1 << 4, /* sociaal werker / professional */
    ROLE_TOEZICHT = 1 << 5,     /* supervisor */
    ROLE_RAAD = 1 << 6,         /* council member: published figures only */
    ROLE_BACKOFFICE = 1 << 7,   /* back office: message traffic, claims, business figures */
};
#define ROLE_ALL   0xff
#define ROLE_COUNT 8

enum org_kind {
    ORG_REGION = 1,
    ORG_GEMEENTE = 2,
    ORG_AANBIEDER = 3,
    ORG_TOEZICHTHOUDER = 4,
    ORG_TOEGANG = 5,
};
#define ORG_KIND_MIN ORG_REGION
#define ORG_KIND_MAX ORG_TOEGANG

/** Stable code of a single role ("beheerder", "beleid", ...), used in the API and database. */
const char *role_code(enum role r);
/** Translated display name of a single role. */
const char *role_label(enum role r);
/** Parses a role code. 0 or ERR_INVALID. */
int role_parse(struct str s, enum role *out);
/** The i-th role (0..ROLE_COUNT-1). */
enum role role_at(int i);

/** Stable code of an organisation kind ("region", "gemeente", "aanbieder", "toezichthouder",
 * "toegang"). */
const char *org_kind_code(enum org_kind k);
/** Translated display name of an organisation kind. */
const char *org_kind_label(enum org_kind k);
/** Parses a kind code. 0 or ERR_INVALID. */
int org_kind_parse(struct str s, enum org_kind *out);

#endif
