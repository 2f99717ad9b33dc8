/*
 * view.h: an indicator result as people may see it — the only way figures leave metrics/.
 *
 * mx_view_compute runs the engine queries (engine.h) within the caller's scope (which rows the
 * actor may see, decided by the authorisation policy in the web layer), sends every cell
 * through the disclosure module (disclosure.h, protect.h: primary and secondary suppression,
 * decided per figure so that the same figure gets the same decision in every answer; rounding),
 * and adds per cell the trend against the previous period, the target that applies, and the
 * regional benchmark (median and quartiles over the shown values of the other aanbieders or
 * gemeenten, never naming them). Pages, API, CSV/XLSX export and reports all render a struct
 * mx_view; none of them sees a raw figure.
 *
 * A question constrains at most MX_MAX_CONSTRAINED dimensions, breakdowns and single-value
 * filters together (more would make small groups recoverable); a filter with several values is
 * refused unless it keeps the actor's whole scope. Both refusals are ERR_INVALID with e->field
 * the query parameter ("per2", or the filter's name, e.g. "wet").
 */
#ifndef DUIDING_METRICS_VIEW_H
#define DUIDING_METRICS_VIEW_H

#include "core/arena.h"
#include "core/err.h"
#include "core/period.h"
#include "metrics/disclosure.h"
#include "metrics/engine.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Breakdowns and single-value filters together: the dimensions a figure may be restricted by. */
#define MX_MAX_CONSTRAINED 2

/* What rows an actor may see, from the authorisation policy (web/figures.h builds it). */
struct mx_scope {
    bool all_gemeenten;           /* else only gemeenten[0..ngemeenten) */
    const char *const *gemeenten; /* CBS codes */
    size_t ngemeenten;
    int64_t aanbieder_id; /* 0: all aanbieders; else only this one (provider users) */
};

/* A target value (streefwaarde) agreed for an indicator (store: indicator_target). */
struct mx_target {
    const char *gemeente;       /* CBS code the target is for; NULL = every gemeente in scope */
    int64_t aanbieder_id;       /* 0 = every aanbieder */
    day_t valid_from, valid_to; /* valid_to DAY_NONE = open-ended */
    double value; /* in the unit of the figure: percentage 0-100, grade, days, count */
};

struct mx_view_req {
    int64_t ind_id;
    const struct ind_def *preview; /* editor preview of an unsaved definition, or NULL */
    enum period_kind pkind;
    struct period first, last; /* periods to show (inclusive) */
    enum mx_dim by[MX_MAX_BY];
    int nby;
    struct mx_where where[MX_DIM__COUNT]; /* the user's own filters (intersected with scope) */
    const struct mx_scope *scope;
    enum dc_audience audience;
    const struct dc_rules *rules; /* dc_rules_for(cfg, audience) */
    int bench_dim; /* MX_DIM_AANBIEDER or MX_DIM_GEMEENTE to compare with, -1 for none */
    const struct mx_target *targets;
    size_t ntargets;
};

/* One shown cell. Hidden figures have reason != DC_SHOWN and NAN / -1 values. */
struct mx_vcell {
    int period_idx;
    const char *key[MX_MAX_BY]; /* NULL = total over that dimension */
    enum dc_reason reason;
    int64_t n, num, den; /* rounded per the audience's rules; -1 when hidden */
    double value;        /* percentage 0-100 for aandeel; mean/median/count/rate otherwise */
    double lo, hi;       /* Wilson 95% in percent; NAN if not a proportion or hidden */
    double prev;         /* shown value of the previous period (trend), NAN if none/hidden */
    double target;       /* NAN when no target applies */
    /* Benchmark over the other entities of bench_dim in the same period and breakdown cell:
     * only when at least rules->min_benchmark entities have a shown value; else NAN. */
    double bench_p25, bench_median, bench_p75;
    int bench_entities;
};

struct mx_view {
    const struct ind_def *def;
    int64_t ind_id;
    enum dc_audience audience;
    struct dc_rules rules;
    struct period *periods;
    int nperiods;
    enum mx_dim by[MX_MAX_BY];
    int nby;
    struct mx_vcell *cells; /* sorted: period, then key[0], key[1] (NULL totals last) */
    size_t ncells;
    int bench_dim;
    day_t data_date;
    int nhidden; /* cells not shown (for the "." explanation under tables) */
};

/** Computes a disclosed view. 0, ERR_NOT_FOUND, ERR_INVALID (reason in e). */
int mx_view_compute(struct mx_engine *eng, const struct mx_view_req *req, struct arena *a,
                    struct mx_view *out, struct err_ctx *e);

/** The cell for (period_idx, key0, key1) or NULL (key NULL = total). */
const struct mx_vcell *mx_view_cell(const struct mx_view *v, int period_idx, const char *key0,
                                    const char *key1);

/** Formats a shown value for people: "12,5%", "7,4", "38 dagen", "1.234", "12,3 per 1.000";
 * "." for hidden. Dutch number format (decimal comma, thousands dot). */
void mx_view_format_value(const struct mx_view *v, const struct mx_vcell *c, char *out, size_t n);
/** Formats any number in the unit of the view's figures (a bound of the interval, the previous
 * value, a target, a benchmark) exactly as mx_view_format_value formats a figure; "–" for NAN. */
void mx_view_format_number(const struct mx_view *v, double x, char *out, size_t n);

/** The view as JSON (the same document the page table, the chart and the API use):
 * {"indicator":{...},"publiek":"intern","perioden":[...],"per":[...],"cellen":[{"periode":
 * "2024-Q3","sleutel":[...],"waarde":12.5,"n":40,"teller":5,"noemer":40,"ondergrens":..,
 * "bovengrens":..,"vorige":..,"streefwaarde":..,"benchmark":{"p25":..,"mediaan":..,"p75":..,
 * "aantal":7},"verborgen":null | {"reden":"klein_aantal","uitleg":"..."}}],"peildatum":"..."}
 * Hidden values are absent (null), never 0. Keys get a "labels" array beside "sleutel" from
 * label(ctx, dim, code) (e.g. organisation names; NULL callback: codes). Arena-owned string. */
typedef const char *(*mx_label_fn)(void *ctx, enum mx_dim d, const char *code);
const char *mx_view_to_json(const struct mx_view *v, mx_label_fn label, void *label_ctx,
                            struct arena *a);

/** How often a decided table was taken from the cache and how often decided afresh, since the
 * start of the process (metrics/protect_cache.h; `indicatoren meet` prints them). */
void mx_view_cache_counts(size_t *hits, size_t *misses);

#endif
