/*
 * protect.h: disclosure decisions that do not depend on the query (docs/privacy.md,
 * "Disclosure control"). metrics/view.c is its only caller.
 *
 * A figure is identified by its period and the set of constraints {dimension = code} it is
 * restricted to, whether they come from a breakdown or from a filter (within one indicator
 * version, one actor scope and one audience). pt_decide decides every figure of the table
 * T(D, K) — the constrained dimensions D (at most two) at period kind K — together with all its
 * faces: the tables over every subset of D, and, for figures that add up over time (start, end
 * and response dates; not persons, not "active in period"), the same tables at every coarser
 * kind (year, half year, quarter, month) over whole years. It decides top-down: coarse kinds
 * before fine ones, fewer constraints before more, and what is decided is fixed. So a figure
 * gets the same decision in whichever answer shows it, and every answer is a slice of one
 * decided table: a breakdown, its margins, a filtered question, a year or its quarters.
 *
 * The lines of the lattice: for each constrained dimension d of a figure, the figure without d
 * is the total of the figures over all codes of d (codes without rows are known zeros); for
 * figures that add up over time, a coarser period's figure is the total of the finer ones
 * inside it. Every line ends with no hidden figure or at least two, and a shown total never
 * lets the hidden members of its line add up to a small group (disclosure.h).
 */
#ifndef DUIDING_METRICS_PROTECT_H
#define DUIDING_METRICS_PROTECT_H

#include "core/arena.h"
#include "core/err.h"
#include "core/period.h"
#include "metrics/disclosure.h"
#include "metrics/engine.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pt_spec {
    int64_t ind_id;
    const struct ind_def *preview; /* an unsaved definition (editor), or NULL */
    const struct mx_where *scope;  /* [MX_DIM__COUNT]: the actor's scope (n = 0: all) */
    const struct dc_rules *rules;
    enum mx_dim dims[MX_MAX_BY]; /* the constrained dimensions, ascending */
    int ndims;
    enum period_kind kind;
    struct period first, last; /* the periods needed (inclusive, of kind) */
};

/* A decided table T(dims, kind) with its faces, over whole blocks of periods. */
struct pt_table {
    const struct ind_def *def;
    enum mx_dim dims[MX_MAX_BY];
    int ndims;
    struct period *periods; /* of kind, contiguous; periods[first_idx] is spec.first */
    int nperiods, first_idx;
    /* Sorted by period, key[0], key[1] (NULL, the face without that dimension, last); key[j]
     * is the code of dims[j]. Raw figures: only view.c reads them, through the reasons. */
    const struct mx_cell *cells;
    const enum dc_reason *reason;
    size_t ncells;
    size_t unresolved;    /* lines no decision could make safe (0 when sound) */
    size_t phantoms;      /* empty cells hidden on purpose, over all kinds and faces */
    size_t weak_phantoms; /* of which a coarser period shows the reader they are empty */
};

/** True when a figure of this definition adds up over periods (year = its quarters): trajectory
 * or response units counted at one date (start, end, response), not persons, not "active". */
bool pt_adds_up_over_time(const struct ind_def *def);

/** Decides T(spec->dims, spec->kind) over spec->first..last and every face it needs. 0,
 * ERR_NOT_FOUND, ERR_INVALID (the engine refuses the breakdown; e->field "by"), ERR_TOO_BIG. */
int pt_decide(struct mx_engine *eng, const struct pt_spec *spec, struct arena *a,
              struct pt_table *out, struct err_ctx *e);

/* A decision of at least this many cells of the kind asked for, over several blocks, takes its
 * blocks on two threads when mx_engine_scan_threads() allows (tests lower it). */
extern size_t pt_two_min_cells;

/** Index of the cell (period_idx, k0, k1) in t (NULL keys: faces), or SIZE_MAX. */
size_t pt_find(const struct pt_table *t, int period_idx, const char *k0, const char *k1);

#endif
