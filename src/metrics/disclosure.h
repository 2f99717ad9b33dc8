/*
 * disclosure.h: statistical disclosure control — the one choke point every figure passes
 * before it leaves the engine, in any page, API answer, export or report (DESIGN.md §6,
 * domain.md §8.4, docs/privacy.md).
 *
 * Rules (defaults; configurable per deployment and audience, config keys
 * disclosure_<audience>_min_count / _min_denominator / _round / _min_benchmark):
 *   - a count below min_count (10) is not shown; neither is a figure resting on fewer units;
 *   - a percentage is shown only when its denominator is at least min_denominator (10);
 *   - shown counts are rounded to a multiple of round_to (published and provider: 5;
 *     internal: 1); percentages, means and intervals are computed from unrounded values;
 *   - secondary suppression: in every additive line (a row of a breakdown with its total, a
 *     column with its total, a year with its quarters) no hidden cell may be the only hidden
 *     one, so it cannot be recovered as total minus siblings, and the hidden members of a line
 *     with a shown total must not add up to a small group; the algorithm hides the smallest
 *     shown member that does, and repeats until every line is safe;
 *   - consistency across queries (metrics/protect.h): a figure's decision depends on the
 *     figure alone, never on the query that shows it; faces decided earlier (coarser totals,
 *     coarser periods) enter as fixed cells. Then differencing a filtered answer against the
 *     unfiltered one is a line like any other;
 *   - the complement rule (a figure hidden when the rows a filter left out number 1 to
 *     min_count - 1) remains for callers that pass a complement;
 *   - hidden figures are shown as "." with the reason, never as 0.
 */
#ifndef DUIDING_METRICS_DISCLOSURE_H
#define DUIDING_METRICS_DISCLOSURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct config;

enum dc_audience {
    DC_INTERNAL,  /* staff of the gemeente / region looking at their own data */
    DC_PROVIDER,  /* staff of an aanbieder */
    DC_PUBLISHED, /* council members, published reports, exports marked for publication */
    DC__AUDIENCES
};

struct dc_rules {
    int min_count;       /* hide counts (and figures resting on fewer units) below this */
    int min_denominator; /* percentages need at least this denominator */
    int round_to;        /* shown counts rounded to a multiple of this (1 = no rounding) */
    int min_benchmark;   /* a benchmark needs at least this many entities with a shown value */
};

enum dc_reason {
    DC_SHOWN = 0,
    DC_NO_DATA,           /* nothing to count (den == 0) */
    DC_SMALL_COUNT,       /* primary: fewer than min_count units */
    DC_SMALL_DENOMINATOR, /* primary: percentage with a denominator below min_denominator */
    DC_BELOW_MIN_N,       /* primary: below the definition's own min_n */
    DC_SECONDARY,         /* secondary: would let a hidden cell be recovered from its line */
    DC_COMPLEMENT,        /* the filter's complement is small: differencing would reveal it */
};

/** Audience code "intern" | "aanbieder" | "publiek", and its Dutch label (msgid). */
const char *dc_audience_code(enum dc_audience a);
const char *dc_audience_label(enum dc_audience a);
int dc_audience_parse(const char *code); /* -1 if unknown */

/** The rules for an audience from the config (defaults above when unset). */
void dc_rules_for(const struct config *cfg, enum dc_audience a, struct dc_rules *out);

/** Stable code of a reason for JSON, CSV and URLs: "" (shown), "geen_gegevens",
 * "klein_aantal", "kleine_noemer", "onder_minimum", "secundair", "complement". */
const char *dc_reason_code(enum dc_reason r);

/** Plain-language Dutch explanation of a reason (msgid, translate with _()). */
const char *dc_reason_text(enum dc_reason r);

/** A count as shown: rounded to the nearest multiple of round_to (halves up). */
int64_t dc_round(const struct dc_rules *r, int64_t v);

/* One cell of a table to protect. */
struct dc_cell {
    int64_t units;         /* units the figure rests on (mx_cell.n) */
    int64_t den;           /* denominator for percentages; 0 if not a percentage */
    int64_t complement;    /* rows left out by the query's filters for this cell; -1 = no filter */
    enum dc_reason reason; /* out; for a fixed cell: in (decided before, never changed) */
    /* A cell decided earlier (a face of the lattice: a coarser total, or the same cell in a
     * coarser period). Its reason is given; dc_protect only decides the free cells. A fixed
     * hidden cell with 0 units is an empty cell hidden on purpose (protect.c): the reader cannot
     * tell it from a hidden figure, and the module assumes nothing more than 0 or more of it. */
    bool fixed;
};

/* An additive line: members add up to total (indices into the cell array). */
struct dc_line {
    const size_t *members;
    size_t nmembers;
    size_t total; /* SIZE_MAX if the line has no shown total */
};

/**
 * Applies primary suppression (units, denominator, min_n, complement) and then secondary
 * suppression over the lines, setting every free cell's reason. min_n: the definition's
 * minimum. Every line ends with no hidden cell or at least two (a hidden total counts), and
 * when its total is shown, its hidden members together are no small group (their sum, the total
 * minus the shown members, is 0 or at least min_count). Fixed cells keep their reason; a free
 * cell that is the only member of a line with a fixed total gets that total's decision (it is
 * the same figure).
 */
void dc_protect(const struct dc_rules *r, int min_n, bool is_percentage, struct dc_cell *cells,
                size_t ncells, const struct dc_line *lines, size_t nlines);

/** True if the line meets the rule every line must meet: not exactly one hidden cell; with a
 * shown total, hidden members that are no small group; from this line alone no hidden cell
 * determined and no small one narrowed to fewer than three values. For the caller's own check
 * after solving. */
bool dc_line_sound(const struct dc_rules *r, int min_n, bool is_percentage,
                   const struct dc_cell *cells, size_t ncells, const struct dc_line *l);

/* Problems of more cells than this are made safe line by line only; the guard against
 * combining lines (interval propagation over all of them) is skipped. Lines of fixed cells
 * only then change nothing, so a caller may leave them out. */
#define DC_GUARD_CELLS 400

/** As dc_protect; returns how many lines it could not make safe because every cell that
 * would have to be hidden is fixed (0 when the decision is sound). */
size_t dc_protect_count(const struct dc_rules *r, int min_n, bool is_percentage,
                        struct dc_cell *cells, size_t ncells, const struct dc_line *lines,
                        size_t nlines);

#endif
