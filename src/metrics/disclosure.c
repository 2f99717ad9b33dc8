/*
 * disclosure.c: statistical disclosure control, the one choke point (disclosure.h,
 * docs/privacy.md "Disclosure control").
 *
 * Primary suppression hides cells that rest on too few units. Secondary suppression then works
 * line by line (a row or column of a breakdown with its total, a coarser period with its finer
 * ones) and models what a reader can work out: the reader knows every shown value, the line's
 * equation (members add up to the total), that a hidden cell holds at least one unit (an empty
 * cell is shown as "no data"), and the bounds each reason implies (a "small count" is
 * 1..min_count-1, a secondary or complement cell passed the primary rules so holds at least
 * min_count). Cells the caller marks fixed (decided before: protect.c's faces) keep their
 * reason. Every line must end sound: not exactly one hidden cell, hidden members under a shown
 * total that are no small group, and from the line alone no hidden cell determined nor a small
 * one left fewer than three values. The aim is stricter where the free cells allow: no small
 * cell narrowed at all. An unsafe line gets one more hidden cell: the smallest free shown member
 * that makes the line safe on its own (ties: the first); else a free total if that does; else,
 * with a free total, the largest member (the most slack); with a fixed total, the smallest while
 * the line is unsound. Lines are revisited until all are stable; each round hides at least one
 * more cell, so it ends. Then all lines together (interval propagation, for problems up to
 * DC_GUARD_CELLS cells).
 */
#include "metrics/disclosure.h"
#include "core/common.h"
#include "core/config.h"
#include "core/xalloc.h"

/* ---- Audiences and rules. ---------------------------------------------------------------- */

static const struct {
    const char *code, *label;
} audiences[DC__AUDIENCES] = {
    [DC_INTERNAL] = {"intern", N_("Intern")},
    [DC_PROVIDER] = {"aanbieder", N_("Aanbieder")},
    [DC_PUBLISHED] = {"publiek", N_("Publicatie")},
};

/* The defaults of disclosure.h; also in config_defaults(). */
static const struct dc_rules default_rules[DC__AUDIENCES] = {
    [DC_INTERNAL] = {10, 10, 1, 5},
    [DC_PROVIDER] = {10, 10, 5, 5},
    [DC_PUBLISHED] = {10, 10, 5, 5},
};

const char *dc_audience_code(enum dc_audience a)
{
    return (unsigned)a < DC__AUDIENCES ? audiences[a].code : audiences[DC_PUBLISHED].code;
}

const char *dc_audience_label(enum dc_audience a)
{
    return (unsigned)a < DC__AUDIENCES ? audiences[a].label : audiences[DC_PUBLISHED].label;
}

int dc_audience_parse(const char *code)
{
    if (!code)
        return -1;
    for (int i = 0; i < DC__AUDIENCES; i++)
        if (strcmp(code, audiences[i].code) == 0)
            return i;
    return -1;
}

static int pick(int configured, int fallback, int floor)
{
    /* A value the config reader did not set (0) or that could only weaken the rules is
     * replaced: thresholds are never below 1. */
    return configured >= floor ? configured : fallback;
}

void dc_rules_for(const struct config *cfg, enum dc_audience a, struct dc_rules *out)
{
    if ((unsigned)a >= DC__AUDIENCES)
        a = DC_PUBLISHED; /* unknown: the strictest */
    *out = default_rules[a];
    if (!cfg)
        return;
    _Static_assert(CONFIG_AUDIENCES == DC__AUDIENCES, "config and audiences agree");
    out->min_count = pick(cfg->disclosure_min_count[a], out->min_count, 1);
    out->min_denominator = pick(cfg->disclosure_min_denominator[a], out->min_denominator, 1);
    out->round_to = pick(cfg->disclosure_round[a], out->round_to, 1);
    out->min_benchmark = pick(cfg->disclosure_min_benchmark[a], out->min_benchmark, 3);
}

const char *dc_reason_code(enum dc_reason r)
{
    switch (r) {
    case DC_SHOWN:
        return "";
    case DC_NO_DATA:
        return "geen_gegevens";
    case DC_SMALL_COUNT:
        return "klein_aantal";
    case DC_SMALL_DENOMINATOR:
        return "kleine_noemer";
    case DC_BELOW_MIN_N:
        return "onder_minimum";
    case DC_SECONDARY:
        return "secundair";
    case DC_COMPLEMENT:
        return "complement";
    }
    return "klein_aantal";
}

const char *dc_reason_text(enum dc_reason r)
{
    switch (r) {
    case DC_SHOWN:
        return "";
    case DC_NO_DATA:
        return N_("Er zijn geen gegevens voor deze cel.");
    case DC_SMALL_COUNT:
        return N_("Dit cijfer is niet getoond: het gaat over te weinig mensen, zodat ze "
                  "herkenbaar zouden kunnen zijn.");
    case DC_SMALL_DENOMINATOR:
        return N_("Dit percentage is niet getoond: het is gebaseerd op te weinig mensen om "
                  "betrouwbaar en veilig te zijn.");
    case DC_BELOW_MIN_N:
        return N_("Dit cijfer is niet getoond: de indicator vraagt een minimum aantal mensen "
                  "dat hier niet gehaald wordt.");
    case DC_SECONDARY:
        return N_("Dit cijfer is niet getoond omdat anders een ander verborgen cijfer uit de "
                  "totalen terug te rekenen zou zijn.");
    case DC_COMPLEMENT:
        return N_("Dit cijfer is niet getoond omdat het verschil met het cijfer zonder filter "
                  "over te weinig mensen zou gaan.");
    }
    return "";
}

int64_t dc_round(const struct dc_rules *r, int64_t v)
{
    int64_t to = r && r->round_to > 1 ? r->round_to : 1;
    if (to == 1 || v < 0)
        return v;
    if (v > INT64_MAX - to)
        return v - v % to;
    return (v + to / 2) / to * to; /* halves up: 12 -> 10, 13 -> 15 with round_to 5 */
}

/* ---- Primary suppression. ---------------------------------------------------------------- */

static enum dc_reason primary(const struct dc_rules *r, int min_n, bool is_percentage,
                              const struct dc_cell *c)
{
    if (c->units <= 0)
        return DC_NO_DATA;
    if (c->units < r->min_count)
        return DC_SMALL_COUNT;
    if (c->units < min_n)
        return DC_BELOW_MIN_N;
    if (is_percentage && c->den < r->min_denominator)
        return DC_SMALL_DENOMINATOR;
    if (c->complement > 0 && c->complement < r->min_count)
        return DC_COMPLEMENT;
    return DC_SHOWN;
}

/* ---- What a reader knows about a cell. ----------------------------------------------------- */

#define UNBOUNDED    INT64_MAX
#define BIG          ((int64_t)1 << 40) /* "no upper bound" that sums safely */
#define BIG_SUM      BIG
#define SMALL_SPREAD 2 /* a small cell keeps at least 3 possible values */

struct bounds {
    int64_t lo, hi; /* hi UNBOUNDED: no upper bound */
};

struct ctx {
    const struct dc_rules *r;
    int min_n;
    bool is_percentage;
    struct dc_cell *cells;
    size_t ncells;
    bool *locked;    /* fixed by the caller, or the same figure as a fixed total: never changed */
    size_t *scratch; /* room for the longest line's members */
};

static bool is_free_shown(const struct ctx *c, size_t i)
{
    return !c->locked[i] && c->cells[i].reason == DC_SHOWN;
}

static bool is_hidden(enum dc_reason x)
{
    return x != DC_SHOWN && x != DC_NO_DATA;
}

/* The least units a cell that passed the primary rules holds. */
static int64_t passed_floor(const struct ctx *c)
{
    int64_t lo = c->r->min_count;
    if (c->min_n > lo)
        lo = c->min_n;
    /* For a percentage the units are the denominator. */
    if (c->is_percentage && c->r->min_denominator > lo)
        lo = c->r->min_denominator;
    return lo;
}

/* The range a reader infers from a hidden cell's reason alone. */
static struct bounds reason_bounds(const struct ctx *c, enum dc_reason x);

/* As reason_bounds, for cell i: an empty cell hidden on purpose may hold 0 or more. */
static struct bounds cell_bounds(const struct ctx *c, size_t i, enum dc_reason x)
{
    if (c->cells[i].fixed && c->cells[i].units <= 0 && is_hidden(x))
        return (struct bounds){0, UNBOUNDED};
    return reason_bounds(c, x);
}

static struct bounds reason_bounds(const struct ctx *c, enum dc_reason x)
{
    int64_t floor = passed_floor(c);
    switch (x) {
    case DC_SMALL_COUNT:
        return (struct bounds){1, c->r->min_count - 1};
    case DC_BELOW_MIN_N:
        return (struct bounds){c->r->min_count, c->min_n - 1};
    case DC_SMALL_DENOMINATOR: {
        int64_t lo = c->r->min_count > c->min_n ? c->r->min_count : c->min_n;
        return (struct bounds){lo, c->r->min_denominator - 1};
    }
    default: /* secondary, complement: passed every primary rule */
        return (struct bounds){floor, UNBOUNDED};
    }
}

static bool is_small(enum dc_reason x)
{
    return x == DC_SMALL_COUNT || x == DC_BELOW_MIN_N || x == DC_SMALL_DENOMINATOR;
}

/* One line's view for the check, with an optional extra cell treated as hidden. */
struct line_view {
    const struct dc_line *l;
    size_t extra; /* SIZE_MAX: none */
};

/* What a line's hidden members add up to, as the reader bounds them; their indices in hid. */
struct agg {
    int64_t known;   /* K: sum of shown and empty members */
    int64_t hid_sum; /* true sum of hidden members (T - K when the total is known) */
    int64_t lo_sum;  /* reader's lower bounds summed over hidden members */
    int64_t hi_fin;  /* finite upper bounds summed */
    size_t n_unb;    /* hidden members without an upper bound */
    size_t *hid;     /* the hidden members (ctx scratch) */
    size_t nhid;
};

static void line_agg(const struct ctx *c, const struct dc_line *l, struct agg *g)
{
    memset(g, 0, sizeof *g);
    g->hid = c->scratch;
    for (size_t k = 0; k < l->nmembers; k++) {
        size_t i = l->members[k];
        enum dc_reason x = c->cells[i].reason;
        int64_t u = c->cells[i].units > 0 ? c->cells[i].units : 0;
        if (!is_hidden(x)) {
            g->known += u;
            continue;
        }
        struct bounds b = cell_bounds(c, i, x);
        g->hid_sum += u;
        g->lo_sum += b.lo;
        if (b.hi == UNBOUNDED)
            g->n_unb++;
        else
            g->hi_fin += b.hi;
        g->hid[g->nhid++] = i;
    }
}

/*
 * True if a reader cannot determine any hidden cell of the line, nor narrow a small cell's
 * range (strict), or narrow it below three values (not strict), with cell `extra` (a shown
 * member or the total; SIZE_MAX: none) hidden too. Equation: sum(members) = total. Known:
 * shown members (K), the total when shown (or when the line has no total in this table:
 * conservatively, the true sum). g: line_agg of the line as it is.
 */
static bool agg_check(const struct ctx *c, const struct dc_line *l, const struct agg *g0,
                      size_t extra, bool strict)
{
    struct agg g = *g0;
    bool extra_member = extra != SIZE_MAX && extra != l->total;
    struct bounds xb = reason_bounds(c, DC_SECONDARY);
    if (extra_member) {
        int64_t u = c->cells[extra].units > 0 ? c->cells[extra].units : 0;
        g.known -= u;
        g.hid_sum += u;
        g.lo_sum += xb.lo;
        g.n_unb++; /* a secondary cell has no upper bound */
    }
    enum dc_reason tr = DC_SHOWN;
    if (l->total != SIZE_MAX)
        tr = extra == l->total ? DC_SECONDARY : c->cells[l->total].reason;
    bool total_hidden = l->total != SIZE_MAX && is_hidden(tr);
    struct bounds tb = {0, 0};
    if (total_hidden)
        tb = cell_bounds(c, l->total, tr);
    size_t nhidden = g.nhid + extra_member + total_hidden;
    if (nhidden == 0)
        return true;
    if (nhidden == 1)
        return false; /* the one hidden cell is the total minus the others */

    /* Each hidden member m = T - K - (the other hidden members). */
    for (size_t k = 0; k <= g.nhid; k++) {
        size_t i;
        enum dc_reason x;
        if (k < g.nhid) {
            i = g.hid[k];
            x = c->cells[i].reason;
        } else if (extra_member) {
            i = extra;
            x = DC_SECONDARY;
        } else {
            break;
        }
        struct bounds own = k < g.nhid ? cell_bounds(c, i, x) : xb;
        int64_t others_lo = g.lo_sum - own.lo;
        bool others_unb = g.n_unb > (own.hi == UNBOUNDED ? 1u : 0u);
        int64_t others_hi = others_unb ? UNBOUNDED : g.hi_fin - (own.hi == UNBOUNDED ? 0 : own.hi);
        int64_t lo, hi;
        if (total_hidden) {
            lo = others_hi == UNBOUNDED ? own.lo : tb.lo - g.known - others_hi;
            hi = tb.hi == UNBOUNDED ? UNBOUNDED : tb.hi - g.known - others_lo;
        } else {
            lo = others_hi == UNBOUNDED ? own.lo : g.hid_sum - others_hi;
            hi = g.hid_sum - others_lo;
        }
        if (lo < own.lo)
            lo = own.lo;
        if (own.hi != UNBOUNDED && (hi == UNBOUNDED || hi > own.hi))
            hi = own.hi;
        if (hi != UNBOUNDED && lo >= hi)
            return false; /* determined */
        if (is_small(x) && (strict ? lo > own.lo || hi < own.hi : hi - lo < SMALL_SPREAD))
            return false; /* narrowed beyond what the reason says */
    }
    if (total_hidden) {
        /* T = K + the hidden members. */
        int64_t lo = g.known + g.lo_sum;
        int64_t hi = g.n_unb ? UNBOUNDED : g.known + g.hi_fin;
        if (lo < tb.lo)
            lo = tb.lo;
        if (tb.hi != UNBOUNDED && (hi == UNBOUNDED || hi > tb.hi))
            hi = tb.hi;
        if (hi != UNBOUNDED && lo >= hi)
            return false;
        if (is_small(tr) && (strict ? lo > tb.lo || hi < tb.hi : hi - lo < SMALL_SPREAD))
            return false;
    }
    return true;
}

static bool line_check(const struct ctx *c, const struct line_view *v, bool strict)
{
    struct agg g;
    line_agg(c, v->l, &g);
    return agg_check(c, v->l, &g, v->extra, strict);
}

static bool line_safe(const struct ctx *c, const struct line_view *v)
{
    return line_check(c, v, true);
}

/*
 * The rule every line must meet whatever is fixed: not exactly one hidden cell (it would be
 * the total minus the others), and with a known total, hidden members that do not add up to a
 * small group (total minus the shown members reveals their sum). A line without a total here
 * counts as having a known one (its sum may be shown elsewhere).
 */
static bool line_sound(const struct ctx *c, const struct dc_line *l)
{
    size_t nhidden = 0;
    int64_t sum = 0;
    for (size_t k = 0; k < l->nmembers; k++) {
        const struct dc_cell *m = &c->cells[l->members[k]];
        if (is_hidden(m->reason)) {
            nhidden++;
            if (m->units > 0 && sum < BIG_SUM)
                sum += m->units;
        }
    }
    bool total_hidden = l->total != SIZE_MAX && is_hidden(c->cells[l->total].reason);
    if (nhidden + total_hidden == 1)
        return false;
    if (!total_hidden && sum > 0 && sum < c->r->min_count)
        return false;
    struct line_view v = {l, SIZE_MAX};
    return line_check(c, &v, false);
}

static bool line_ok(size_t ncells, const struct dc_line *l);

bool dc_line_sound(const struct dc_rules *r, int min_n, bool is_percentage,
                   const struct dc_cell *cells, size_t ncells, const struct dc_line *l)
{
    struct dc_rules fallback = default_rules[DC_PUBLISHED];
    if (!line_ok(ncells, l))
        return true;
    size_t *scratch = xcalloc(l->nmembers ? l->nmembers : 1, sizeof *scratch);
    struct ctx c = {
        r ? r : &fallback, min_n, is_percentage, (struct dc_cell *)cells, ncells, NULL, scratch};
    bool ok = line_sound(&c, l);
    free(scratch);
    return ok;
}

/* Would hiding every free shown member make the line safe? (Then it is worth going on.) */
static bool safe_when_all_hidden(struct ctx *c, const struct dc_line *l)
{
    enum dc_reason saved[64];
    if (l->nmembers > ARRAY_LEN(saved))
        return false; /* long lines: settle for the sound rule */
    for (size_t k = 0; k < l->nmembers; k++) {
        size_t i = l->members[k];
        saved[k] = c->cells[i].reason;
        if (is_free_shown(c, i))
            c->cells[i].reason = DC_SECONDARY;
    }
    struct line_view v = {l, SIZE_MAX};
    bool ok = line_safe(c, &v);
    for (size_t k = 0; k < l->nmembers; k++)
        c->cells[l->members[k]].reason = saved[k];
    return ok;
}

/* Hides one more cell of an unsafe line: the smallest free shown member that makes the line
 * safe on its own (ties: the first); else a free total if that does; else, with a free total,
 * the largest member (the most slack) and the caller tries again. With a fixed total: the
 * smallest member while the line is not sound, then the largest only while hiding them all
 * would make it safe. Returns the cell it hid, SIZE_MAX when nothing (more) can be done. */
static size_t fix_line(struct ctx *c, const struct dc_line *l)
{
    size_t best_fit = SIZE_MAX, largest = SIZE_MAX, smallest = SIZE_MAX;
    int64_t best_fit_units = 0, largest_units = 0, smallest_units = 0;
    struct agg g;
    line_agg(c, l, &g);
    for (size_t k = 0; k < l->nmembers; k++) {
        size_t i = l->members[k];
        if (!is_free_shown(c, i))
            continue;
        int64_t u = c->cells[i].units;
        if (largest == SIZE_MAX || u > largest_units) {
            largest = i;
            largest_units = u;
        }
        if (smallest == SIZE_MAX || u < smallest_units) {
            smallest = i;
            smallest_units = u;
        }
        if (best_fit != SIZE_MAX && u >= best_fit_units)
            continue;
        if (agg_check(c, l, &g, i, true)) {
            best_fit = i;
            best_fit_units = u;
        }
    }
    size_t pick = best_fit;
    bool total_free = l->total != SIZE_MAX && is_free_shown(c, l->total);
    if (pick == SIZE_MAX && total_free)
        pick = agg_check(c, l, &g, l->total, true) || largest == SIZE_MAX ? l->total : largest;
    if (pick == SIZE_MAX && largest != SIZE_MAX) {
        if (!line_sound(c, l))
            pick = smallest;
        else if (safe_when_all_hidden(c, l))
            pick = largest;
    }
    if (pick == SIZE_MAX)
        return SIZE_MAX;
    c->cells[pick].reason = DC_SECONDARY;
    return pick;
}

/* ---- All lines together. ----------------------------------------------------------------- */

/*
 * A reader can combine lines: a secondary cell pinned between 92 and 100 by one line may pin a
 * small cell in another. propagate() runs that attack (interval propagation over every line
 * until nothing changes) and a hidden cell it pins to one value gets one more partner.
 */

#define PROP_ROUNDS 200
#define FIX_TRIALS  8 /* candidates tried per line before taking the one with most slack */

static bool line_ok(size_t ncells, const struct dc_line *l)
{
    for (size_t m = 0; m < l->nmembers; m++)
        if (l->members[m] >= ncells)
            return false;
    return l->total == SIZE_MAX || l->total < ncells;
}

static bool tighten(const struct ctx *c, const struct dc_line *l, struct bounds *iv)
{
    int64_t slo = 0, shi = 0, truth = 0;
    for (size_t k = 0; k < l->nmembers; k++) {
        slo += iv[l->members[k]].lo;
        shi += iv[l->members[k]].hi;
        truth += c->cells[l->members[k]].units > 0 ? c->cells[l->members[k]].units : 0;
    }
    /* A line without a total here: its sum may be known elsewhere (conservative). */
    struct bounds virt = {truth, truth};
    struct bounds *t = l->total != SIZE_MAX ? &iv[l->total] : &virt;
    bool changed = false;
    /* Bounds stay within [0, BIG]: a contradictory line (e.g. rounded values) must not let
     * them grow round after round until they overflow. */
    if (slo > t->lo && t->lo < BIG) {
        t->lo = slo < BIG ? slo : BIG;
        changed = true;
    }
    if (shi < t->hi && t->hi > 0) {
        t->hi = shi > 0 ? shi : 0;
        changed = true;
    }
    for (size_t k = 0; k < l->nmembers; k++) {
        struct bounds *m = &iv[l->members[k]];
        int64_t lo = t->lo - (shi - m->hi), hi = t->hi - (slo - m->lo);
        if (lo > m->lo && m->lo < BIG) {
            m->lo = lo < BIG ? lo : BIG;
            changed = true;
        }
        if (hi < m->hi && m->hi > 0) {
            m->hi = hi > 0 ? hi : 0;
            changed = true;
        }
    }
    return changed;
}

static void propagate(const struct ctx *c, const struct dc_line *lines, size_t nlines,
                      struct bounds *iv)
{
    for (size_t i = 0; i < c->ncells; i++) {
        enum dc_reason x = c->cells[i].reason;
        if (!is_hidden(x)) {
            int64_t u = c->cells[i].units > 0 ? c->cells[i].units : 0;
            iv[i] = (struct bounds){u, u};
        } else {
            iv[i] = cell_bounds(c, i, x);
            if (iv[i].hi == UNBOUNDED)
                iv[i].hi = BIG;
        }
    }
    for (int round = 0; round < PROP_ROUNDS; round++) {
        bool changed = false;
        for (size_t k = 0; k < nlines; k++)
            if (line_ok(c->ncells, &lines[k]))
                changed |= tighten(c, &lines[k], iv);
        if (!changed)
            break;
    }
}

static bool pinned(const struct ctx *c, const struct bounds *iv, size_t i)
{
    enum dc_reason x = c->cells[i].reason;
    if (!is_hidden(x))
        return false;
    return iv[i].hi - iv[i].lo < (is_small(x) ? SMALL_SPREAD : 1);
}

static bool in_line(const struct dc_line *l, size_t i)
{
    if (l->total == i)
        return true;
    for (size_t k = 0; k < l->nmembers; k++)
        if (l->members[k] == i)
            return true;
    return false;
}

/* Hides one more cell in a line through cell i so that i is no longer pinned; false when no
 * line through i has anything left to hide. */
static bool fix_pinned(struct ctx *c, const struct dc_line *lines, size_t nlines, size_t i,
                       struct bounds *iv)
{
    size_t fallback = SIZE_MAX;
    for (size_t k = 0; k < nlines; k++) {
        const struct dc_line *l = &lines[k];
        if (!line_ok(c->ncells, l) || !in_line(l, i))
            continue;
        /* Shown members, smallest first (ties: first), then the total. */
        size_t tried = 0;
        int64_t floor_units = -1;
        size_t floor_idx = 0;
        for (;;) {
            size_t best = SIZE_MAX;
            for (size_t m = 0; m < l->nmembers; m++) {
                size_t q = l->members[m];
                if (!is_free_shown(c, q))
                    continue;
                int64_t u = c->cells[q].units;
                bool after = u > floor_units || (u == floor_units && q > floor_idx);
                if (after && (best == SIZE_MAX || u < c->cells[best].units))
                    best = q;
            }
            if (best == SIZE_MAX || tried >= FIX_TRIALS)
                break;
            tried++;
            floor_units = c->cells[best].units;
            floor_idx = best;
            if (fallback == SIZE_MAX || c->cells[best].units > c->cells[fallback].units)
                fallback = best;
            c->cells[best].reason = DC_SECONDARY;
            propagate(c, lines, nlines, iv);
            if (!pinned(c, iv, i))
                return true;
            c->cells[best].reason = DC_SHOWN;
        }
        if (fallback == SIZE_MAX && l->total != SIZE_MAX && is_free_shown(c, l->total))
            fallback = l->total;
    }
    if (fallback == SIZE_MAX)
        return false;
    c->cells[fallback].reason = DC_SECONDARY;
    return true;
}

/*
 * A free cell that is the only member of a line with a fixed total is the same figure as that
 * total (the other members hold no rows): it gets the total's decision and is fixed too.
 * Repeated until nothing changes (a locked cell may be the total of another line).
 */
static void lock_single_members(struct ctx *c, const struct dc_line *lines, size_t nlines)
{
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t k = 0; k < nlines; k++) {
            const struct dc_line *l = &lines[k];
            if (!line_ok(c->ncells, l) || l->nmembers != 1 || l->total == SIZE_MAX ||
                !c->locked[l->total] || c->locked[l->members[0]])
                continue;
            size_t m = l->members[0];
            enum dc_reason t = c->cells[l->total].reason;
            enum dc_reason own = c->cells[m].reason;
            if (is_hidden(t))
                c->cells[m].reason = is_hidden(own) ? own : DC_SECONDARY;
            else if (is_hidden(own))
                continue; /* a shown total, the member small: not the same figure after all */
            c->locked[m] = true;
            changed = true;
        }
    }
}

/* A line of fixed cells only: context (decided before), not this call's to make safe. */
static bool all_fixed(const struct dc_cell *cells, const struct dc_line *l)
{
    if (l->total != SIZE_MAX && !cells[l->total].fixed)
        return false;
    for (size_t k = 0; k < l->nmembers; k++)
        if (!cells[l->members[k]].fixed)
            return false;
    return true;
}

/* The lines through each cell (as member or total), to check again only the lines a change
 * touched; dirty[k]: line k is to be checked. */
struct cell_lines {
    size_t *start; /* lines through cell i: of[start[i] .. start[i + 1]) */
    size_t *of;
    bool *dirty;
};

static void cell_lines_build(struct cell_lines *cl, const struct dc_line *lines, size_t nlines,
                             size_t ncells)
{
    cl->start = xcalloc(ncells + 1, sizeof *cl->start);
    cl->dirty = xcalloc(nlines ? nlines : 1, sizeof *cl->dirty);
    size_t total = 0;
    for (size_t k = 0; k < nlines; k++) {
        cl->dirty[k] = true;
        if (!line_ok(ncells, &lines[k]))
            continue;
        for (size_t m = 0; m < lines[k].nmembers; m++)
            cl->start[lines[k].members[m]]++;
        if (lines[k].total != SIZE_MAX)
            cl->start[lines[k].total]++;
        total += lines[k].nmembers + (lines[k].total != SIZE_MAX);
    }
    /* counts to offsets: start[i] is where cell i's lines end until filled below */
    size_t sum = 0;
    for (size_t i = 0; i <= ncells; i++) {
        sum += cl->start[i];
        cl->start[i] = sum;
    }
    cl->of = xcalloc(total ? total : 1, sizeof *cl->of);
    for (size_t k = nlines; k-- > 0;) {
        if (!line_ok(ncells, &lines[k]))
            continue;
        for (size_t m = 0; m < lines[k].nmembers; m++)
            cl->of[--cl->start[lines[k].members[m]]] = k;
        if (lines[k].total != SIZE_MAX)
            cl->of[--cl->start[lines[k].total]] = k;
    }
}

static void cell_lines_touch(struct cell_lines *cl, size_t i)
{
    for (size_t q = cl->start[i]; q < cl->start[i + 1]; q++)
        cl->dirty[cl->of[q]] = true;
}

static void cell_lines_free(struct cell_lines *cl)
{
    free(cl->start);
    free(cl->of);
    free(cl->dirty);
}

size_t dc_protect_count(const struct dc_rules *r, int min_n, bool is_percentage,
                        struct dc_cell *cells, size_t ncells, const struct dc_line *lines,
                        size_t nlines)
{
    struct dc_rules fallback = default_rules[DC_PUBLISHED];
    if (!r)
        r = &fallback;
    for (size_t i = 0; i < ncells; i++)
        if (!cells[i].fixed)
            cells[i].reason = primary(r, min_n, is_percentage, &cells[i]);
    if (nlines == 0 || ncells == 0)
        return 0;

    bool *locked = xcalloc(ncells, sizeof *locked);
    for (size_t i = 0; i < ncells; i++)
        locked[i] = cells[i].fixed;
    size_t longest = 1;
    for (size_t k = 0; k < nlines; k++)
        if (lines[k].nmembers > longest)
            longest = lines[k].nmembers;
    size_t *scratch = xcalloc(longest, sizeof *scratch);
    struct ctx c = {r, min_n, is_percentage, cells, ncells, locked, scratch};
    lock_single_members(&c, lines, nlines);
    struct bounds *iv = xcalloc(ncells, sizeof *iv);
    bool *given_up = xcalloc(ncells, sizeof *given_up);
    struct cell_lines cl;
    cell_lines_build(&cl, lines, nlines, ncells);
    size_t unresolved = 0;
    /* Each round hides at least one cell or ends: at most ncells rounds. */
    for (size_t round = 0; round <= ncells; round++) {
        /* Line by line: cheap, and settles nearly everything. A line is checked again only
         * when a cell of it changed: whether it is safe depends on its own cells alone, so
         * the passes decide exactly as passes over every line would. */
        for (size_t pass = 0; pass <= ncells; pass++) {
            bool changed = false;
            for (size_t k = 0; k < nlines; k++) {
                const struct dc_line *l = &lines[k];
                if (!cl.dirty[k]) /* checked, and none of its cells changed since */
                    continue;
                if (!line_ok(ncells, l))
                    continue; /* NEVER: a malformed line from the caller */
                struct line_view v = {l, SIZE_MAX};
                while (!line_safe(&c, &v)) {
                    size_t hid = fix_line(&c, l);
                    if (hid == SIZE_MAX)
                        break;
                    cell_lines_touch(&cl, hid);
                    changed = true;
                }
                cl.dirty[k] = false; /* safe now, or nothing left to do in it */
            }
            if (!changed)
                break;
        }
        /* All lines together. */
        if (ncells > DC_GUARD_CELLS) /* the guard's cost grows fast */
            break;
        propagate(&c, lines, nlines, iv);
        /* The first pinned cell gets a partner. When nothing is left to hide around it, no cell
         * changed (fix_pinned tries nothing then), so the bounds still hold: on to the next. */
        bool fixed = false;
        for (size_t i = 0; i < ncells && !fixed; i++) {
            if (given_up[i] || !pinned(&c, iv, i))
                continue;
            if (fix_pinned(&c, lines, nlines, i, iv))
                fixed = true;
            else
                given_up[i] = true;
        }
        if (!fixed)
            break;
        memset(cl.dirty, 1, nlines * sizeof *cl.dirty); /* small problems: every line again */
    }
    cell_lines_free(&cl);
    for (size_t k = 0; k < nlines; k++)
        if (line_ok(ncells, &lines[k]) && !all_fixed(cells, &lines[k]) &&
            !line_sound(&c, &lines[k]))
            unresolved++;
    free(iv);
    free(given_up);
    free(locked);
    free(scratch);
    return unresolved;
}

void dc_protect(const struct dc_rules *r, int min_n, bool is_percentage, struct dc_cell *cells,
                size_t ncells, const struct dc_line *lines, size_t nlines)
{
    (void)dc_protect_count(r, min_n, is_percentage, cells, ncells, lines, nlines);
}
