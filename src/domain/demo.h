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

#define DEMO_PASSWORD     "demo-wachtwoord" /* shared by all demo users; printed by duiding demo */
#define DEMO_AGB_LEN      8
#define DEMO_DEFAULT_SEED 2026 /* `duiding demo` without --seed; also `duiding synth`'s region */

/**
 * Fills an empty database with the demo region. Refuses (ERR_CONFLICT) if organisations exist.
 * Writes a summary with URL-independent login lines to `out` (may be NULL).
 */
int demo_generate(struct store *s, uint64_t seed, FILE *out, struct err_ctx *e);

/**
 * The AGB codes demo_generate(seed) gives the first n providers (demo_providers order), without
 * a database: generators of intake material (ingest/synth.c) use them so that their messages
 * concern the demo's aanbieders. demo_generate draws its codes through this same function.
 */
int demo_provider_agb_codes(uint64_t seed, char (*out)[DEMO_AGB_LEN + 1], size_t n,
                            struct err_ctx *e);

/** Inhabitants of each demo gemeente (demo_gemeente_names order), from the embedded CBS table. */
int demo_gemeente_populations(int64_t *out, size_t n, struct err_ctx *e);

#endif
