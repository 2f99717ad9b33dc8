/*
 * protect_cache.c: the cache of decided tables (protect_cache.h). One process-wide list under a
 * mutex, least recently used last; entries own their memory (one arena each), and every hit
 * copies its slice into the caller's arena, so no entry is ever shared with a caller.
 */
#include "metrics/protect_cache.h"
#include "core/common.h"
#include "core/xalloc.h"
#include <pthread.h>

#define MAP_CAP ((size_t)1 << 30) /* a slice's map of key strings: a bound, not what is used */

struct entry {
    char *key;
    struct arena *mem;
    struct pc_table t;
    size_t bytes;
    uint64_t used; /* tick of the last hit or put */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry entries[PC_MAX_ENTRIES];
static size_t nentries, total_bytes, hits, misses;
static uint64_t tick;

static void drop(size_t i)
{
    total_bytes -= entries[i].bytes;
    free(entries[i].key);
    arena_free(entries[i].mem);
    entries[i] = entries[--nentries];
}

/* Copies cells [lo, hi) of t into a, period_idx minus shift, strings included. */
static bool copy_cells(const struct pc_table *t, size_t lo, size_t hi, int shift, struct arena *a,
                       struct mx_cell **cells, enum dc_reason **reason)
{
    size_t n = hi - lo;
    *cells = arena_calloc(a, n ? n : 1, sizeof **cells);
    *reason = arena_calloc(a, n ? n : 1, sizeof **reason);
    if (!*cells || !*reason)
        return false;
    /* Key strings: one copy per distinct pointer (cells of one query share them), the map in
     * memory of its own so that a's cap is spent on the answer. */
    struct arena *map_arena = arena_new(MAP_CAP);
    struct arena_copies m;
    bool oom = !arena_copies_init(&m, map_arena, MX_MAX_BY * n);
    for (size_t i = 0; i < n && !oom; i++) {
        struct mx_cell c = t->cells[lo + i];
        c.period_idx -= shift;
        for (int j = 0; j < MX_MAX_BY && !oom; j++) {
            const char *key = c.key[j];
            c.key[j] = arena_copy_once(&m, a, key);
            oom = key && !c.key[j];
        }
        (*cells)[i] = c;
        (*reason)[i] = t->reason[lo + i];
    }
    arena_free(map_arena);
    return !oom;
}

/* First cell of period p or later (cells sorted by period). */
static size_t first_at(const struct pc_table *t, int p)
{
    size_t lo = 0, hi = t->ncells;
    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        if (t->cells[m].period_idx < p)
            lo = m + 1;
        else
            hi = m;
    }
    return lo;
}

void pc_put(const char *key, const struct pc_table *t)
{
    if (!key || !t || t->nperiods <= 0)
        return;
    size_t guess = t->ncells * (sizeof(struct mx_cell) + sizeof(enum dc_reason) + 24) +
                   (size_t)t->nperiods * sizeof(struct period) + 4096;
    if (guess > PC_MAX_BYTES / 4)
        return; /* one huge table would push out everything else */
    struct arena *mem = arena_new(guess + (guess >> 1));
    if (!mem)
        return;
    struct mx_cell *cells;
    enum dc_reason *reason;
    struct period *periods = arena_alloc(mem, (size_t)t->nperiods * sizeof *periods);
    if (!periods || !copy_cells(t, 0, t->ncells, 0, mem, &cells, &reason)) {
        arena_free(mem);
        return;
    }
    memcpy(periods, t->periods, (size_t)t->nperiods * sizeof *periods);
    struct entry e = {.key = xstrdup(key), .mem = mem, .t = *t, .bytes = guess};
    e.t.periods = periods;
    e.t.cells = cells;
    e.t.reason = reason;

    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < nentries; i++)
        if (strcmp(entries[i].key, key) == 0 &&
            period_ordinal(entries[i].t.periods[0]) == period_ordinal(t->periods[0]) &&
            entries[i].t.nperiods == t->nperiods) {
            drop(i); /* the same table again (two threads decided it at once) */
            break;
        }
    while (nentries > 0 && (nentries == PC_MAX_ENTRIES || total_bytes + e.bytes > PC_MAX_BYTES)) {
        size_t oldest = 0;
        for (size_t i = 1; i < nentries; i++)
            if (entries[i].used < entries[oldest].used)
                oldest = i;
        drop(oldest);
    }
    e.used = ++tick;
    entries[nentries++] = e;
    total_bytes += e.bytes;
    pthread_mutex_unlock(&lock);
}

bool pc_slice(const struct pc_table *t, struct period first, struct period last, struct arena *a,
              struct pc_table *out)
{
    memset(out, 0, sizeof *out);
    int64_t p0 = period_ordinal(first) - period_ordinal(t->periods[0]),
            p1 = period_ordinal(last) - period_ordinal(t->periods[0]);
    if (p0 < 0 || p1 >= t->nperiods || p1 < p0 || first.kind != t->periods[0].kind)
        return false;
    size_t lo = first_at(t, (int)p0), hi = first_at(t, (int)p1 + 1);
    struct mx_cell *cells;
    enum dc_reason *reason;
    int np = (int)(p1 - p0) + 1;
    struct period *periods = arena_alloc(a, (size_t)np * sizeof *periods);
    if (!periods || !copy_cells(t, lo, hi, (int)p0, a, &cells, &reason))
        return false;
    memcpy(periods, t->periods + p0, (size_t)np * sizeof *periods);
    *out = *t;
    out->periods = periods;
    out->nperiods = np;
    out->cells = cells;
    out->reason = reason;
    out->ncells = hi - lo;
    return true;
}

bool pc_get(const char *key, struct period first, struct period last, struct arena *a,
            struct pc_table *out)
{
    memset(out, 0, sizeof *out);
    bool hit = false;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < nentries && !hit; i++) {
        struct entry *en = &entries[i];
        if (strcmp(en->key, key) != 0 || en->t.periods[0].kind != first.kind)
            continue;
        int64_t p0 = period_ordinal(first) - period_ordinal(en->t.periods[0]),
                p1 = period_ordinal(last) - period_ordinal(en->t.periods[0]);
        if (p0 < 0 || p1 >= en->t.nperiods || p1 < p0)
            continue;
        if (!pc_slice(&en->t, first, last, a, out))
            break; /* the caller's arena is full: decide afresh, which will say so */
        en->used = ++tick;
        hit = true;
    }
    if (hit)
        hits++;
    else
        misses++;
    pthread_mutex_unlock(&lock);
    return hit;
}

void pc_clear(void)
{
    pthread_mutex_lock(&lock);
    while (nentries > 0)
        drop(nentries - 1);
    hits = misses = 0;
    pthread_mutex_unlock(&lock);
}

void pc_counts(size_t *h, size_t *m)
{
    pthread_mutex_lock(&lock);
    *h = hits;
    *m = misses;
    pthread_mutex_unlock(&lock);
}
