/*
 * contract.h: contracts between a gemeente or region (owner) and an aanbieder: the taking-part
 * gemeenten, products (category and optionally code of the shipped code lists), law, period,
 * execution variant, yearly budget and omzetplafond, and outcome agreements (an indicator with
 * a target value and whether the value must be at least or at most the target). Agreements
 * are stored as indicator_target rows linked to the contract, so dashboards and data packs use
 * them like every other target. Visibility through the policy (OBJ_CONTRACT, rule 20).
 * Every change is audited; optimistic locking on `version`. docs/contracts.md.
 */
#ifndef DUIDING_DOMAIN_CONTRACT_H
#define DUIDING_DOMAIN_CONTRACT_H

#include "core/arena.h"
#include "core/err.h"
#include "core/period.h"
#include "domain/actor.h"
#include "domain/policy.h"
#include "domain/trajectory.h"
#include "store/store.h"
#include <stdbool.h>
#include <stdint.h>

#define CONTRACT_NAME_MAX       200  /* code points */
#define CONTRACT_NOTE_MAX       4000 /* code points */
#define CONTRACT_MAX_GEMEENTEN  64
#define CONTRACT_MAX_PRODUCTS   64
#define CONTRACT_MAX_AGREEMENTS 32
#define CONTRACT_MONEY_MAX      100000000000000LL /* cents: one trillion euro */
#define CONTRACT_LIST_DEFAULT   100
#define CONTRACT_LIST_MAX       1000
#define CONTRACT_SCAN_MAX       20000 /* candidate rows examined per list for the policy filter */

enum contract_variant {
    CONTRACT_INSPANNINGSGERICHT = 1, /* effort: price per unit of time */
    CONTRACT_OUTPUTGERICHT,          /* output: price per trajectory / product */
    CONTRACT_TAAKGERICHT,            /* task: a lump sum for a task */
};
const char *contract_variant_code(enum contract_variant v);  /* "inspanningsgericht" ... */
const char *contract_variant_label(enum contract_variant v); /* translated */
int contract_variant_parse(const char *code, enum contract_variant *out);

/* Must the indicator's value be at least or at most the target? */
enum agreement_comparison {
    AGREE_MIN = 1, /* value >= target ("ten minste") */
    AGREE_MAX,     /* value <= target ("ten hoogste") */
};
const char *agreement_comparison_code(enum agreement_comparison c);  /* "min", "max" */
const char *agreement_comparison_label(enum agreement_comparison c); /* translated */
int agreement_comparison_parse(const char *code, enum agreement_comparison *out);
/** Whether value meets target under c. */
bool agreement_met(enum agreement_comparison c, double value, double target);

struct contract_product {
    char category[3];
    char code[6]; /* "" = the whole category */
};

/* An outcome agreement (indicator_target row with contract_id). */
struct contract_agreement {
    int64_t target_id; /* indicator_target.id; 0 for new ones */
    int64_t indicator_id;
    const char *indicator_name; /* filled when loaded */
    const char *indicator_code;
    double target;
    enum agreement_comparison comparison;
    const char *note;
};

struct contract {
    int64_t id;
    const char *name;
    int64_t owner_org_id;
    const char *owner_name;
    enum org_kind owner_kind;
    int64_t aanbieder_id;
    const char *aanbieder_name;
    enum law law;
    enum contract_variant variant;
    day_t valid_from;
    day_t valid_to;       /* DAY_NONE = open-ended */
    int64_t budget_cents; /* per year */
    int64_t cap_cents;    /* omzetplafond per year; -1 = none */
    const char *note;
    int64_t version;
    bool archived;
    const char *created_at, *updated_at;
    char (*gemeenten)[5]; /* CBS codes, sorted */
    int ngemeenten;
    struct contract_product *products;
    int nproducts;
    struct contract_agreement *agreements;
    int nagreements;
};

/* Input for create and update. Strings and arrays are borrowed. */
struct contract_input {
    const char *name;
    int64_t owner_org_id; /* create: the gemeente or region (default: the actor's organisation) */
    int64_t aanbieder_id;
    enum law law;
    enum contract_variant variant;
    day_t valid_from, valid_to;
    int64_t budget_cents;
    int64_t cap_cents; /* -1 = none */
    const char *note;
    const char *const *gemeenten; /* CBS codes "0114" or "GM0114"; a gemeente owner: its own */
    int ngemeenten;
    const struct contract_product *products;
    int nproducts;
    const struct contract_agreement *agreements; /* replace the set on update */
    int nagreements;
    int64_t version; /* update: the version being edited */
};

struct contract_filter {
    int64_t aanbieder_id; /* 0 = any */
    int64_t owner_org_id; /* 0 = any */
    const char *gemeente; /* taking part ("0114" / "GM0114"); NULL = any */
    int year;             /* contracts whose period overlaps this calendar year; 0 = any */
    bool include_archived;
    int limit, offset;
};

/**
 * The policy object of a contract (OBJ_CONTRACT): owner with its kind and regions, parties
 * the aanbieder and the organisations of the taking-part gemeenten. Arrays arena-owned.
 */
int contract_object(struct arena *a, struct store *s, const struct contract *c,
                    struct object_ref *out);

/** Validates and creates a contract as `who`. ERR_DENIED, ERR_INVALID (e->field named). */
int contract_create(struct store *s, const struct actor *who, const struct contract_input *in,
                    int64_t *id_out, struct arena *a, struct err_ctx *e);
/** Replaces the fields, gemeenten, products and agreements. ERR_CONFLICT on a stale version. */
int contract_update(struct store *s, const struct actor *who, int64_t id,
                    const struct contract_input *in, struct arena *a, struct err_ctx *e);
/** Archives (archived = true) or restores a contract. ERR_CONFLICT on a stale version. */
int contract_set_archived(struct store *s, const struct actor *who, int64_t id, int64_t version,
                          bool archived, struct arena *a, struct err_ctx *e);

/** One contract with gemeenten, products and agreements if the actor may view it;
 * ERR_NOT_FOUND otherwise (its existence is not revealed). */
int contract_get(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                 struct contract *out);
/** The contracts matching f the actor may view, by name then id (gemeenten, products and
 * agreements filled). *total counts every viewable match. */
int contract_list(struct arena *a, struct store *s, const struct actor *who,
                  const struct contract_filter *f, struct contract **out, int *n, int *total);

/* For the mirror report (report/mirror_report.c): the outcome agreements of one aanbieder. */
struct contract_agreement_ref {
    int64_t contract_id;
    const char *contract_name;
    day_t valid_from, valid_to;
    struct contract_agreement agreement;
};

/**
 * The outcome agreements of the non-archived contracts of aanbieder_id that `who` may view
 * (policy OBJ_CONTRACT view per contract), whose period overlaps [from, to] (DAY_NONE = no
 * bound), ordered by contract name then indicator. Arena-owned. 0 or a negative err.
 */
int contract_agreements_of_aanbieder(struct arena *a, struct store *s, const struct actor *who,
                                     int64_t aanbieder_id, day_t from, day_t to,
                                     struct contract_agreement_ref **out, int *n);

/** The organisations that contract aanbieder_id (owners of its non-archived contracts), for
 * the mirror report's audience. Arena-owned, distinct. */
int contract_owners_of_aanbieder(struct arena *a, struct store *s, int64_t aanbieder_id,
                                 int64_t **out, int *n);

/* An indicator that an agreement can name. */
struct contract_indicator_choice {
    int64_t id;
    const char *code, *name;
};
/** The indicators (not archived) for the agreement choices, by name. At most 500. */
int contract_indicator_choices(struct arena *a, struct store *s,
                               struct contract_indicator_choice **out, int *n);

/** Parses a money amount in euro ("1.234.567,89", "1234567", "1234567.89", "€ 12,50") into
 * cents. ERR_INVALID for anything else, negative amounts or more than CONTRACT_MONEY_MAX. */
int contract_parse_euro(const char *text, int64_t *cents_out);

#endif
