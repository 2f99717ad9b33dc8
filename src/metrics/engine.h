/*
 * engine.h: the in-memory indicator engine (DESIGN.md §4, §6; docs/indicators.md).
 *
 * Person-level facts (trajectories with their measurements, survey responses) are held in
 * compact columns built from the store at start (mx_engine_build) and kept fresh by
 * mx_engine_sync, which applies the store's change journal (table data_change: one row per
 * committed import batch or undo) incrementally: only the person x aanbieder x law groups a
 * batch touched are reloaded. The store stays the source of truth.
 *
 * Definitions are registered with mx_engine_define; the engine evaluates their population,
 * event and value expressions once per row into per-definition columns (again incrementally on
 * sync), so a query is a scan of small integer columns.
 *
 * Thread safety: one engine is shared by all server threads. Queries take a read lock, sync and
 * define a write lock; results are copied into the caller's arena, so no lock is held after a
 * call returns.
 *
 * Raw figures: mx_query returns undisclosed figures. Only metrics/view.c (which sends every
 * figure through metrics/disclosure.h), the engine's own tests and the oracle tool may call it;
 * scripts/test.sh fails the build when src/web, src/report or src/cli call mx_query.
 */
#ifndef DUIDING_METRICS_ENGINE_H
#define DUIDING_METRICS_ENGINE_H

#include "core/arena.h"
#include "core/err.h"
#include "core/period.h"
#include "metrics/definition.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct mx_engine;

/* Breakdown / filter dimensions (the period is separate: kind + range). Codes per dimension:
 * gemeente "0344"; gebied (area) postcode4 "3511"; aanbieder the organisation id in decimal
 * ("12"); wet "jw" | "wmo"; categorie product category; hulpvorm CBS code; leeftijd the age band
 * of trajectory_age_band() ("4-11", "18-64", "onbekend"); geslacht "0" | "1" | "2"; verwijzer
 * COD327 code. An unknown value is the code "" (shown as "onbekend"). */
enum mx_dim {
    MX_DIM_GEMEENTE,
    MX_DIM_AREA,
    MX_DIM_AANBIEDER,
    MX_DIM_LAW,
    MX_DIM_CATEGORY,
    MX_DIM_HULPVORM,
    MX_DIM_AGE_BAND,
    MX_DIM_GENDER,
    MX_DIM_REFERRER,
    MX_DIM__COUNT
};

#define MX_MAX_BY     2
#define MX_RANK_TOTAL UINT32_MAX /* mx_cell.rank of a total over a dimension */

/** Stable code of a dimension as used in URLs and the API ("gemeente", "gebied", "aanbieder",
 * "wet", "categorie", "hulpvorm", "leeftijd", "geslacht", "verwijzer"). */
const char *mx_dim_code(enum mx_dim d);
/** Dutch label (msgid) of a dimension ("Gemeente", "Aanbieder", ...). */
const char *mx_dim_label(enum mx_dim d);
/** Parses a dimension code; -1 if unknown. */
int mx_dim_parse(const char *code);

struct mx_engine_stats {
    size_t trajectories, responses, persons, definitions;
    size_t bytes; /* memory held by columns and dictionaries */
    int64_t seq;  /* last applied data_change.seq */
    /* Changes with every change of rows or definitions, never repeats in a process: what was
     * computed at one generation holds until it changes. */
    uint64_t generation;
    day_t data_date; /* newest start/end/response date in the data (follow-up reference) */
    double build_seconds, last_sync_seconds;
};

/** Builds the engine from the store: all trajectories, measurements, responses, population and
 * the active indicator definitions (indicator_store). 0 or an error in e. */
int mx_engine_build(struct db *db, struct mx_engine **out, struct err_ctx *e);
/** Applies journal entries after the engine's seq; a no-op (one cheap query) when nothing
 * changed. Safe to call before every query. 0 or an error (engine unchanged). */
int mx_engine_sync(struct mx_engine *eng, struct db *db, struct err_ctx *e);
void mx_engine_free(struct mx_engine *eng);
/** Threads one question may use, 1 or 2 (default 2: a large scan into few cells is split
 * between two threads, and so are the blocks of a large disclosure decision, metrics/protect.c).
 * Process-wide; for `indicatoren meet --draden` and small machines. */
void mx_engine_set_scan_threads(int n);
int mx_engine_scan_threads(void);
void mx_engine_get_stats(struct mx_engine *eng, struct mx_engine_stats *out);

/** Registers (or replaces) definition id at the given version: compiles it and evaluates it
 * over all rows. 0, or ERR_INVALID with the problems in pr. */
int mx_engine_define(struct mx_engine *eng, int64_t ind_id, int version, const struct ind_def *def,
                     struct ind_problems *pr);
/** Forgets a definition (archived / deleted). */
void mx_engine_undefine(struct mx_engine *eng, int64_t ind_id);
/** Copies the registered definition into a (NULL if unknown); version in *version. */
const struct ind_def *mx_engine_definition(struct mx_engine *eng, int64_t ind_id, int *version,
                                           struct arena *a);

/* A filter on one dimension: rows whose code is one of codes[0..n). n == 0: no filter. */
struct mx_where {
    const char *const *codes;
    size_t n;
};

struct mx_query {
    int64_t ind_id;
    enum period_kind pkind;
    struct period first, last; /* inclusive range of periods of kind pkind (at most 240) */
    enum mx_dim by[MX_MAX_BY];
    int nby; /* 0, 1 or 2 breakdown dimensions */
    struct mx_where where[MX_DIM__COUNT];
    bool margins; /* with nby >= 1: also the totals over each breakdown dimension */
    /* with margins and nby 2: only the totals over by[0] (cells keyed NULL, code of by[1]), not
     * those over by[1] nor the grand total; a benchmark needs no more, and a huge breakdown
     * then updates two cells per row instead of four */
    bool first_margins_only;
    /* Preview of a definition that is not registered: used instead of ind_id when non-NULL. */
    const struct ind_def *preview;
};

/* One cell: a period and, per breakdown dimension, a code (NULL = the total over that
 * dimension, i.e. a margin). Figures are raw (undisclosed):
 *   aandeel:    den = rows in the population, num = rows with the event, value = num / den
 *   gemiddelde: den = rows in the population with a known value, num = sum of values, value = mean
 *   mediaan:    den as for the mean, num = 0, value = median (mean of the two middle values)
 *   aantal:     num = den = rows (or distinct persons), value = num
 *   per_1000:   num = rows (or distinct persons), den = inhabitants of the band, value = 1000
 * num/den n is the number of units the figure rests on (den, except per_1000: num). value is NAN
 * when den == 0. lo/hi: Wilson 95% interval for aandeel, else NAN. */
struct mx_cell {
    int period_idx;
    const char *key[MX_MAX_BY];
    /* Position of key[j] in the engine's sort order of its dimension's codes (the order of
     * strcmp), MX_RANK_TOTAL for a NULL key: lets metrics/ order and find cells by integers.
     * Valid within one engine generation (mx_engine_stats). */
    uint32_t rank[MX_MAX_BY];
    int64_t n, num, den;
    double value, lo, hi;
};

struct mx_result {
    struct period *periods;
    int nperiods;
    enum mx_dim by[MX_MAX_BY];
    int nby;
    struct mx_cell *cells; /* every (period, key...) combination that has rows, plus margins */
    size_t ncells;
    const struct ind_def *def; /* the definition used (arena copy) */
};

/** Runs a query. 0; ERR_NOT_FOUND for an unknown definition; ERR_INVALID for a query the
 * definition cannot answer (e.g. per_1000 by age band), with a Dutch reason in e. */
int mx_query(struct mx_engine *eng, const struct mx_query *q, struct arena *a,
             struct mx_result *out, struct err_ctx *e);

/** True when cells[0..n) are in the order of period, then rank[0], then rank[1] (the order of
 * their codes, totals last), in which metrics/ keeps them; a query's cells usually come out
 * so, and a check is far cheaper than a sort. */
bool mx_cells_in_order(const struct mx_cell *cells, size_t n);

/** The codes present in a dimension (sorted), e.g. for filter menus. Arena-owned. */
int mx_dim_values(struct mx_engine *eng, enum mx_dim d, struct arena *a, const char ***out,
                  size_t *n);

#endif
