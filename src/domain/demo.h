/*
 * demo.h: the demo region generator. Deterministic from a seed: the 7 gemeenten of jeugdregio
 * Zuid-Drenthe with real CBS codes and population, a region, ~25 providers, a toezichthouder,
 * demo users for every role and societal results. Later issues add their own generators as
 * further steps in demo.c's step table.
 */
#ifndef DUIDING_DOMAIN_DEMO_H
#define DUIDING_DOMAIN_DEMO_H

#include "core/err.h"
#include "store/store.h"
#include <stdint.h>
#include <stdio.h>

#define DEMO_PASSWORD "demo-wachtwoord" /* shared by all demo users; printed by duiding demo */

/**
 * Fills an empty database with the demo region. Refuses (ERR_CONFLICT) if organisations exist.
 * Writes a summary with URL-independent login lines to `out` (may be NULL).
 */
int demo_generate(struct store *s, uint64_t seed, FILE *out, struct err_ctx *e);

#endif
