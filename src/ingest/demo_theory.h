/*
 * demo_theory.h: the demo's theories of change. After the demo gemeenten, their societal
 * results, users and the standard indicators exist, this writes for every demo gemeente a
 * theory of change for two of its results (youth results first): the four starter questions
 * and three activities (two by the region's aanbieders, one programme of the gemeente) with
 * realistic Dutch texts and indicators of the standard set; version 1 by the gemeente's
 * beleidsadviseur, version 2 by another user (the aanbieder's kwaliteitsmedewerker on its own
 * activity, or the beheerder linking indicators). Written through domain/theory.h. Deterministic.
 */
#ifndef DUIDING_INGEST_DEMO_THEORY_H
#define DUIDING_INGEST_DEMO_THEORY_H

#include "core/err.h"
#include "store/store.h"
#include <stddef.h>

struct demo_theory_summary {
    size_t theories, activities, versions;
};

/** Writes the theories. 0, or an error in e. */
int demo_theory_generate(struct store *s, struct demo_theory_summary *out, struct err_ctx *e);

#endif
