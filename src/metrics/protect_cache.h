/*
 * protect_cache.h: decided tables kept for reuse (internal to metrics/protect.c).
 *
 * A decision of metrics/protect.c depends only on the figure's identity within one engine
 * state (engine generation), one definition, one actor scope and one set of rules, and blocks
 * of periods (a year for figures that add up over time, else one period) are decided
 * independently. So a decided table answers every later question about any range of its
 * blocks: the dashboard page, its JSON, its export, the next user of the same region, and a
 * filtered question about any code of the same dimensions. Entries are found by an exact key
 * (no hashing of scope or rules that could collide) and a covering range, and are dropped least
 * recently used beyond PC_MAX_BYTES.
 */
#ifndef DUIDING_METRICS_PROTECT_CACHE_H
#define DUIDING_METRICS_PROTECT_CACHE_H

#include "core/arena.h"
#include "core/period.h"
#include "metrics/disclosure.h"
#include "metrics/engine.h"
#include <stdbool.h>
#include <stddef.h>

#define PC_MAX_BYTES   ((size_t)64 << 20)
#define PC_MAX_ENTRIES 512

/* A whole decided table: figures and phantoms of the finest kind, sorted by period and codes,
 * period_idx relative to periods[0]. */
struct pc_table {
    const struct period *periods;
    int nperiods;
    const struct mx_cell *cells;
    const enum dc_reason *reason;
    size_t ncells;
    size_t unresolved, phantoms, weak_phantoms;
};

/** Copies t into the cache under key (a canonical text of everything the decision depends on
 * but the range). Silently keeps nothing when it does not fit. */
void pc_put(const char *key, const struct pc_table *t);

/** Finds a table under key whose periods cover first..last and copies the cells of those
 * periods (period_idx from first, key strings too) into a. True on a hit. */
bool pc_get(const char *key, struct period first, struct period last, struct arena *a,
            struct pc_table *out);

/** The periods first..last of table t (which must cover them) into a: cells with period_idx
 * from first, key strings copied. False when a is full. */
bool pc_slice(const struct pc_table *t, struct period first, struct period last, struct arena *a,
              struct pc_table *out);

/** Forgets everything (tests). */
void pc_clear(void);

/** Hits and misses since the start (for `indicatoren meet` and tests). */
void pc_counts(size_t *hits, size_t *misses);

#endif
