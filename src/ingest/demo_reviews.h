/*
 * demo_reviews.h: the demo's provider verification: admissions and periodic reviews of the demo
 * aanbieders against the regional framework (ingest/demo_framework.h), with self-declarations,
 * verdicts of the viewpoints (differing by more than a step for a few aanbieders), provider
 * events with an event-driven review, and decisions.
 */
#ifndef DUIDING_INGEST_DEMO_REVIEWS_H
#define DUIDING_INGEST_DEMO_REVIEWS_H

#include "core/err.h"
#include "store/store.h"
#include <stdint.h>

struct demo_reviews_summary {
    char line[600]; /* what was made, one line for `duiding demo` to print */
};

/** Creates the demo reviews (after the framework and the contracts). 0, or an error in e. */
int demo_reviews_generate(struct store *s, uint64_t seed, struct demo_reviews_summary *out,
                          struct err_ctx *e);

#endif
