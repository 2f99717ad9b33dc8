/*
 * view.c: a disclosed indicator view (view.h). The figures come from one decided table of
 * protect.c: the lattice of the constrained dimensions (breakdowns and single-value filters
 * together) at the period kind asked for, with its faces and coarser periods, decided once and
 * the same whatever the question. The answer is the slice of that table its filters select,
 * keyed by its breakdowns; what is shown is rounded, and the trend, the target and the
 * anonymised benchmark are added. The JSON and the Dutch number format are in view_json.c.
 *
 * Engine queries per view: one for the decided table (protect.c), and one for the benchmark
 * (by bench_dim, without the scope restriction on it). What is returned is in the caller's
 * arena.
 */
#include "metrics/view.h"
#include "core/common.h"
#include "metrics/protect_cache.h"
#include "metrics/protect.h"
#include "metrics/stats.h"
#include <math.h>

#define VIEW_MAX_PERIODS 240 /* periods shown; the extra trend period is left out at 240 */
#define VIEW_SCRATCH_CAP ((size_t)256 << 20) /* the view's own memory, freed before it returns */

/* ---- Keys and lookup. ---------------------------------------------------------------------- */

static int key_cmp(const char *a, const char *b)
{
    if (a == b)
        return 0;
    if (!a)
        return 1; /* NULL (the total) sorts last */
    if (!b)
        return -1;
    return strcmp(a, b);
}

static int cell_cmp(const void *x, const void *y)
{
    const struct mx_cell *a = x, *b = y;
    if (a->period_idx != b->period_idx)
        return a->period_idx < b->period_idx ? -1 : 1;
    int c = key_cmp(a->key[0], b->key[0]);
    return c ? c : key_cmp(a->key[1], b->key[1]);
}

/* ---- Scope and filters. -------------------------------------------------------------------- */

/* Gemeente codes are compared without the "GM" prefix ("0344"), as the engine keys them. */
static const char *norm_code(enum mx_dim d, const char *c)
{
    if (d == MX_DIM_GEMEENTE && c && (c[0] == 'G' || c[0] == 'g') && (c[1] == 'M' || c[1] == 'm'))
        return c + 2;
    return c;
}

static bool code_in(enum mx_dim d, const char *c, const struct mx_where *w)
{
    for (size_t i = 0; i < w->n; i++)
        if (strcmp(norm_code(d, w->codes[i]), c) == 0)
            return true;
    return false;
}

struct filters {
    struct mx_where eff[MX_DIM__COUNT];   /* what the query uses: user filter within the scope */
    struct mx_where scope[MX_DIM__COUNT]; /* the scope alone (n = 0: unrestricted) */
    bool scoped[MX_DIM__COUNT];
    bool user[MX_DIM__COUNT];
    bool empty; /* the user's filter lies outside the scope: nothing to show */
};

/* Normalised, de-duplicated copy of w's codes that are in `within` (NULL: all). */
static int where_copy(struct arena *a, enum mx_dim d, const struct mx_where *w,
                      const struct mx_where *within, struct mx_where *out)
{
    const char **codes = arena_calloc(a, w->n ? w->n : 1, sizeof *codes);
    if (!codes)
        return ERR_TOO_BIG;
    size_t n = 0;
    for (size_t i = 0; i < w->n; i++) {
        const char *c = norm_code(d, w->codes[i]);
        if (!c || (within && !code_in(d, c, within)))
            continue;
        bool dup = false;
        for (size_t j = 0; j < n && !dup; j++)
            dup = strcmp(codes[j], c) == 0;
        if (!dup)
            codes[n++] = c;
    }
    *out = (struct mx_where){codes, n};
    return 0;
}

static int build_filters(const struct mx_view_req *req, struct arena *a, struct filters *f)
{
    memset(f, 0, sizeof *f);
    const struct mx_scope *s = req->scope;
    if (s && !s->all_gemeenten) {
        struct mx_where sw = {s->gemeenten, s->ngemeenten};
        f->scoped[MX_DIM_GEMEENTE] = true;
        if (where_copy(a, MX_DIM_GEMEENTE, &sw, NULL, &f->scope[MX_DIM_GEMEENTE]))
            return ERR_TOO_BIG;
    }
    if (s && s->aanbieder_id != 0) {
        const char **codes = arena_calloc(a, 1, sizeof *codes);
        if (!codes || !(codes[0] = arena_printf(a, "%" PRId64, s->aanbieder_id)))
            return ERR_TOO_BIG;
        f->scoped[MX_DIM_AANBIEDER] = true;
        f->scope[MX_DIM_AANBIEDER] = (struct mx_where){codes, 1};
    }
    for (int d = 0; d < MX_DIM__COUNT; d++) {
        const struct mx_where *uw = &req->where[d];
        f->user[d] = uw->n > 0;
        if (f->scoped[d] && f->scope[d].n == 0)
            f->empty = true; /* a scope without any gemeente */
        if (!f->user[d]) {
            f->eff[d] = f->scope[d];
            continue;
        }
        if (where_copy(a, (enum mx_dim)d, uw, f->scoped[d] ? &f->scope[d] : NULL, &f->eff[d]))
            return ERR_TOO_BIG;
        if (f->eff[d].n == 0)
            f->empty = true; /* never more than the scope: outside it is nothing */
    }
    return 0;
}

/* ---- Figures as shown. --------------------------------------------------------------------- */

static bool is_pct(const struct ind_def *d)
{
    return d->agg == IND_AGG_PROPORTION;
}

/* Fills the shown figures of a cell with its reason; the values a reader gets. */
static void shown_figures(const struct ind_def *def, const struct dc_rules *r,
                          const struct mx_cell *c, enum dc_reason reason, struct mx_vcell *o)
{
    o->reason = reason;
    o->n = o->num = o->den = -1;
    o->value = o->lo = o->hi = NAN;
    if (reason == DC_NO_DATA) {
        o->n = o->num = 0;
        o->den = def->agg == IND_AGG_RATE ? c->den : 0;
        return;
    }
    if (reason != DC_SHOWN)
        return;
    o->n = dc_round(r, c->n);
    switch (def->agg) {
    case IND_AGG_PROPORTION:
        o->num = dc_round(r, c->num);
        o->den = dc_round(r, c->den);
        o->value = 100.0 * c->value; /* from unrounded figures */
        o->lo = 100.0 * c->lo;
        o->hi = 100.0 * c->hi;
        break;
    case IND_AGG_MEAN:
    case IND_AGG_MEDIAN:
        o->den = dc_round(r, c->den); /* the sum of values is no count people read */
        o->value = c->value;
        break;
    case IND_AGG_COUNT:
        o->num = o->den = o->n;
        o->value = (double)o->n; /* the count itself is rounded */
        break;
    case IND_AGG_RATE:
        /* Inhabitants are public, so the rate is computed from the rounded count. */
        o->num = dc_round(r, c->num);
        o->den = c->den;
        o->value = c->den > 0 ? 1000.0 * (double)o->num / (double)c->den : NAN;
        break;
    }
    if (!isfinite(o->value)) {
        o->reason = DC_NO_DATA;
        o->value = NAN;
    }
}

static bool passes_primary(const struct ind_def *def, const struct dc_rules *r,
                           const struct mx_cell *c)
{
    return c->n >= r->min_count && c->n >= def->min_n &&
           (!is_pct(def) || c->den >= r->min_denominator);
}

/* ---- Targets. ------------------------------------------------------------------------------ */

static const struct mx_target *pick_target(const struct mx_view_req *req, day_t day,
                                           const char *gemeente, const char *aanbieder)
{
    const struct mx_target *best = NULL;
    int best_score = -1;
    int64_t aid = 0;
    if (aanbieder && str_parse_i64_c(aanbieder, 1, INT64_MAX, &aid))
        aid = 0;
    for (size_t i = 0; i < req->ntargets; i++) {
        const struct mx_target *t = &req->targets[i];
        if (t->valid_from != DAY_NONE && t->valid_from > day)
            continue;
        if (t->valid_to != DAY_NONE && t->valid_to < day)
            continue;
        if (!isfinite(t->value))
            continue;
        if (t->gemeente &&
            (!gemeente || strcmp(norm_code(MX_DIM_GEMEENTE, t->gemeente), gemeente) != 0))
            continue;
        if (t->aanbieder_id != 0 && t->aanbieder_id != aid)
            continue;
        int score = (t->gemeente ? 2 : 0) + (t->aanbieder_id ? 1 : 0);
        if (score > best_score || (score == best_score && t->valid_from > best->valid_from)) {
            best = t;
            best_score = score;
        }
    }
    return best;
}

/* The cell's value on a dimension: its key, or the one code the filters leave. */
static const char *cell_code(const struct mx_view_req *req, const struct filters *f,
                             const struct mx_cell *c, enum mx_dim d)
{
    for (int k = 0; k < req->nby; k++)
        if (req->by[k] == d && c->key[k])
            return c->key[k];
    return f->eff[d].n == 1 ? f->eff[d].codes[0] : NULL;
}

/* ---- Benchmark. ---------------------------------------------------------------------------- */

struct bench {
    struct mx_result r; /* sorted with cell_cmp */
    int key_slot;       /* which key of the bench cells holds the view's by[0]; -1 none */
    int ent_slot;       /* which key holds the entity */
    /* The cells of one period (and one group) form a run of r. At a run's first cell: where
     * it ends and how many entities in it have a shown value; those values, sorted, are at
     * sorted[first..first + shown). Per cell: its shown value, NAN when it does not count. */
    size_t *run_end, *run_shown;
    double *sorted, *value;
};

static bool same_run(const struct bench *b, const struct mx_cell *x, const struct mx_cell *y)
{
    return x->period_idx == y->period_idx &&
           (b->key_slot < 0 || key_cmp(x->key[b->key_slot], y->key[b->key_slot]) == 0);
}

/* Per run: the values a reader could see of every entity, sorted once for all the cells that
 * compare with them (each leaves only itself out). */
static int bench_runs(struct bench *b, const struct ind_def *def, const struct dc_rules *r,
                      struct arena *a)
{
    size_t n = b->r.ncells ? b->r.ncells : 1;
    b->run_end = arena_calloc(a, n, sizeof *b->run_end);
    b->run_shown = arena_calloc(a, n, sizeof *b->run_shown);
    b->sorted = arena_calloc(a, n, sizeof *b->sorted);
    b->value = arena_calloc(a, n, sizeof *b->value);
    if (!b->run_end || !b->run_shown || !b->sorted || !b->value)
        return ERR_TOO_BIG;
    for (size_t lo = 0, hi; lo < b->r.ncells; lo = hi) {
        size_t m = 0;
        for (hi = lo; hi < b->r.ncells && same_run(b, &b->r.cells[lo], &b->r.cells[hi]); hi++) {
            const struct mx_cell *c = &b->r.cells[hi];
            b->value[hi] = NAN;
            if (!c->key[b->ent_slot] || !*c->key[b->ent_slot])
                continue; /* a total, or rows without a known entity: no one to compare with */
            if (!passes_primary(def, r, c))
                continue;
            struct mx_vcell shown;
            shown_figures(def, r, c, DC_SHOWN, &shown);
            if (shown.reason == DC_SHOWN && isfinite(shown.value))
                b->sorted[lo + m++] = b->value[hi] = shown.value;
        }
        stats_sort(b->sorted + lo, m);
        b->run_end[lo] = hi;
        b->run_shown[lo] = m;
    }
    return 0;
}

static int bench_query(struct mx_engine *eng, const struct mx_view_req *req,
                       const struct mx_query *base, const struct ind_def *def,
                       const struct dc_rules *rules, struct arena *a, struct bench *b,
                       struct err_ctx *e)
{
    memset(b, 0, sizeof *b);
    b->key_slot = b->ent_slot = -1;
    if (req->bench_dim < 0 || req->bench_dim >= MX_DIM__COUNT || req->nby > 1)
        return 0;
    enum mx_dim bd = (enum mx_dim)req->bench_dim;
    struct mx_query q = *base;
    /* Others' figures: the scope's restriction on the bench dimension does not apply (only
     * quartiles leave this function), the user's own filter on it neither. */
    q.where[bd] = (struct mx_where){NULL, 0};
    if (req->nby == 1 && req->by[0] != bd) {
        q.by[0] = req->by[0];
        q.by[1] = bd;
        q.nby = 2;
        q.margins = true;
        /* the view's total against the entities; an entity's total is never compared */
        q.first_margins_only = true;
        b->key_slot = 0;
        b->ent_slot = 1;
    } else {
        q.by[0] = bd;
        q.nby = 1;
        q.margins = false;
        b->ent_slot = 0;
    }
    struct err_ctx be = {0};
    int rc = mx_query(eng, &q, a, &b->r, &be);
    if (rc == ERR_INVALID || rc == ERR_TOO_BIG) {
        /* e.g. a rate per 1,000 inhabitants cannot be split by aanbieder, or aanbieders by
         * gemeente over decades are more cells than a query may have: no benchmark. The
         * figures themselves do not depend on it. */
        memset(&b->r, 0, sizeof b->r);
        b->ent_slot = -1;
        return 0;
    }
    if (rc) {
        if (e)
            *e = be;
        return rc;
    }
    if (!mx_cells_in_order(b->r.cells, b->r.ncells)) /* the ranks' order is the codes' */
        qsort(b->r.cells, b->r.ncells, sizeof *b->r.cells, cell_cmp);
    if (bench_runs(b, def, rules, a)) {
        /* no room for the runs of a very large benchmark: the view goes without one, as when
         * the query itself is too large */
        memset(&b->r, 0, sizeof b->r);
        b->ent_slot = -1;
    }
    return 0;
}

/* The entity `self` in run [lo, hi) of b (sorted by entity), or SIZE_MAX. */
static size_t bench_find(const struct bench *b, enum mx_dim bd, size_t lo, size_t hi,
                         const char *self)
{
    const char *want = norm_code(bd, self);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *k = b->r.cells[mid].key[b->ent_slot];
        int d = key_cmp(k ? norm_code(bd, k) : NULL, want);
        if (d == 0)
            return mid;
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return SIZE_MAX;
}

static void bench_fill(const struct bench *b, const struct mx_view_req *req,
                       const struct filters *f, const struct dc_rules *r, int qp,
                       const struct mx_cell *cell, struct mx_vcell *o)
{
    o->bench_p25 = o->bench_median = o->bench_p75 = NAN;
    o->bench_entities = 0;
    if (b->ent_slot < 0 || b->r.ncells == 0)
        return;
    enum mx_dim bd = (enum mx_dim)req->bench_dim;
    const char *group = b->key_slot >= 0 ? cell->key[0] : NULL;
    /* The entity the viewer is: left out, so the benchmark is about the others. */
    const char *self = NULL;
    if (req->nby == 1 && req->by[0] == bd)
        self = cell->key[0];
    if (!self && f->eff[bd].n == 1)
        self = f->eff[bd].codes[0];
    /* The cells of this period and group are one run of the sorted bench result. */
    struct mx_cell probe = {.period_idx = qp};
    if (b->key_slot >= 0) {
        probe.key[0] = group;
        probe.key[1] = "";
    } else {
        probe.key[0] = "";
    }
    size_t lo = 0, hi = b->r.ncells;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cell_cmp(&b->r.cells[mid], &probe) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == b->r.ncells || !same_run(b, &b->r.cells[lo], &probe))
        return;
    size_t n = b->run_shown[lo], skip = n;
    const double *v = b->sorted + lo;
    size_t me = self ? bench_find(b, bd, lo, b->run_end[lo], self) : SIZE_MAX;
    if (me != SIZE_MAX && !isnan(b->value[me])) {
        /* one of the values equal to its own leaves (which one changes nothing) */
        size_t a = 0, z = n;
        while (a < z) {
            size_t mid = a + (z - a) / 2;
            if (v[mid] < b->value[me])
                a = mid + 1;
            else
                z = mid;
        }
        skip = a;
    }
    size_t others = skip < n ? n - 1 : n;
    if (others < (size_t)(r->min_benchmark > 0 ? r->min_benchmark : 1))
        return;
    o->bench_entities = (int)others;
    o->bench_p25 = stats_quantile_sorted(v, n, skip, 0.25);
    o->bench_median = stats_quantile_sorted(v, n, skip, 0.5);
    o->bench_p75 = stats_quantile_sorted(v, n, skip, 0.75);
}

/* ---- The view. ----------------------------------------------------------------------------- */

static int period_count(struct period first, struct period last)
{
    int n = 0;
    for (struct period p = first; period_start(p) <= period_start(last); p = period_next(p))
        if (++n > VIEW_MAX_PERIODS + 1)
            break;
    return n;
}

/* The query parameter that set dimension d: a breakdown or a filter. */
static const char *param_of(const struct mx_view_req *req, enum mx_dim d)
{
    for (int k = 0; k < req->nby && k < MX_MAX_BY; k++)
        if (req->by[k] == d)
            return k == 0 ? "per" : "per2";
    return mx_dim_code(d);
}

/*
 * The constrained dimensions of a question: its breakdowns and its single-value filters, at
 * most MX_MAX_CONSTRAINED; fcode[d] the filter's code. A filter with several values is a union
 * of cells whose differences would reveal small groups: refused, unless it keeps the actor's
 * whole scope (then it restricts nothing).
 */
static int constrained_dims(const struct mx_view_req *req, const struct filters *f,
                            enum mx_dim *dims, int *nd, const char **fcode, struct err_ctx *e)
{
    *nd = 0;
    enum mx_dim want[MX_MAX_BY + MX_DIM__COUNT];
    int nwant = 0;
    for (int k = 0; k < req->nby; k++)
        want[nwant++] = req->by[k];
    for (int d = 0; d < MX_DIM__COUNT; d++) {
        const struct mx_where *w = &f->eff[d];
        if (!f->user[d] || w->n == 0)
            continue;
        if (w->n > 1) {
            if (f->scoped[d] && w->n == f->scope[d].n)
                continue; /* the actor's whole scope: no restriction */
            return err_set(e, ERR_INVALID, mx_dim_code((enum mx_dim)d),
                           _("Kies bij '%s' één waarde: een combinatie van waarden zou via "
                             "verschillen kleine groepen herleidbaar maken."),
                           mx_dim_code((enum mx_dim)d));
        }
        fcode[d] = w->codes[0];
        want[nwant++] = (enum mx_dim)d;
    }
    for (int i = 0; i < nwant; i++) {
        bool dup = false;
        for (int j = 0; j < *nd && !dup; j++)
            dup = dims[j] == want[i];
        if (dup)
            continue;
        if (*nd == MX_MAX_CONSTRAINED)
            return err_set(e, ERR_INVALID, param_of(req, want[i]), "%s",
                           _("Kies ten hoogste twee kenmerken tegelijk (uitsplitsing en filters "
                             "samen): meer zou kleine groepen herleidbaar maken."));
        dims[(*nd)++] = want[i];
    }
    /* Ascending: the same table whatever order the question names them in. */
    if (*nd == 2 && dims[0] > dims[1]) {
        enum mx_dim t = dims[0];
        dims[0] = dims[1];
        dims[1] = t;
    }
    return 0;
}

/* The engine refused a breakdown ("by"): name the parameter of the dimension it refused. */
static void name_refused(struct mx_engine *eng, const struct mx_view_req *req,
                         const struct pt_spec *ps, struct arena *a, struct err_ctx *e)
{
    if (!e || !e->field || strcmp(e->field, "by") != 0 || ps->ndims == 0)
        return;
    enum mx_dim bad = ps->dims[0];
    if (ps->ndims == 2) {
        struct mx_query q = {.ind_id = ps->ind_id,
                             .pkind = ps->kind,
                             .first = ps->last,
                             .last = ps->last,
                             .by = {ps->dims[0]},
                             .nby = 1,
                             .preview = ps->preview};
        struct mx_result r;
        struct err_ctx e1 = {0};
        if (mx_query(eng, &q, a, &r, &e1) != ERR_INVALID)
            bad = ps->dims[1];
    }
    e->field = param_of(req, bad);
}

/* A cell of the answer: a cell of the decided table under the answer's own keys. */
struct answer {
    int period_idx; /* in the view */
    const char *key[MX_MAX_BY];
    size_t ti; /* index in the table */
};

static int answer_cmp(const void *x, const void *y)
{
    const struct answer *a = x, *b = y;
    if (a->period_idx != b->period_idx)
        return a->period_idx < b->period_idx ? -1 : 1;
    int c = key_cmp(a->key[0], b->key[0]);
    return c ? c : key_cmp(a->key[1], b->key[1]);
}

static int view_compute(struct mx_engine *eng, const struct mx_view_req *req, struct arena *a,
                        struct arena *scratch, struct mx_view *out, struct err_ctx *e);

int mx_view_compute(struct mx_engine *eng, const struct mx_view_req *req, struct arena *a,
                    struct mx_view *out, struct err_ctx *e)
{
    struct arena *scratch = arena_new(VIEW_SCRATCH_CAP);
    int rc = view_compute(eng, req, a, scratch, out, e);
    arena_free(scratch);
    if (rc)
        memset(out, 0, sizeof *out);
    return rc;
}

/* a: what the view returns; scratch: the decided table, the answer's index and the benchmark's
 * cells, often far larger than the view (a filter is a slice of the table of all codes). */
static int view_compute(struct mx_engine *eng, const struct mx_view_req *req, struct arena *a,
                        struct arena *scratch, struct mx_view *out, struct err_ctx *e)
{
    memset(out, 0, sizeof *out);
    if (!eng || !req || req->nby < 0 || req->nby > MX_MAX_BY ||
        (req->nby == 2 && req->by[0] == req->by[1]))
        return err_set(e, ERR_INVALID, NULL, "%s", _("Ongeldige opvraag van cijfers."));
    for (int k = 0; k < req->nby; k++)
        if ((unsigned)req->by[k] >= MX_DIM__COUNT)
            return err_set(e, ERR_INVALID, k == 0 ? "per" : "per2", "%s",
                           _("Onbekend kenmerk om naar uit te splitsen."));
    if (req->first.kind != req->pkind || req->last.kind != req->pkind)
        return err_set(e, ERR_INVALID, "periode", "%s",
                       _("De perioden passen niet bij de gekozen periodesoort."));
    if (period_start(req->first) > period_start(req->last))
        return err_set(e, ERR_INVALID, "van", "%s", _("De beginperiode ligt na de eindperiode."));
    int np = period_count(req->first, req->last);
    if (np > VIEW_MAX_PERIODS)
        return err_set(e, ERR_INVALID, "tot", _("Kies hoogstens %d perioden."), VIEW_MAX_PERIODS);

    struct dc_rules rules;
    if (req->rules)
        rules = *req->rules;
    else
        dc_rules_for(NULL, req->audience, &rules);

    struct filters f;
    if (build_filters(req, a, &f))
        return err_set(e, ERR_TOO_BIG, NULL, "%s", _("De opvraag is te groot."));
    enum mx_dim dims[MX_MAX_CONSTRAINED];
    const char *fcode[MX_DIM__COUNT] = {0};
    int nd = 0;
    int rc = constrained_dims(req, &f, dims, &nd, fcode, e);
    if (rc)
        return rc;

    /* The period before the first, for the trend, unless that would pass the limit. */
    int offset = np < VIEW_MAX_PERIODS ? 1 : 0;
    struct mx_query q = {
        .ind_id = req->ind_id,
        .pkind = req->pkind,
        .first = offset ? period_prev(req->first) : req->first,
        .last = req->last,
        .nby = req->nby,
        .margins = req->nby >= 1,
        .preview = req->preview,
    };
    for (int k = 0; k < req->nby; k++)
        q.by[k] = req->by[k];
    memcpy(q.where, f.eff, sizeof q.where);

    out->ind_id = req->ind_id;
    out->audience = req->audience;
    out->rules = rules;
    out->nperiods = np;
    out->nby = req->nby;
    for (int k = 0; k < req->nby; k++)
        out->by[k] = req->by[k];
    out->bench_dim = req->bench_dim;
    out->periods = arena_calloc(a, (size_t)np, sizeof *out->periods);
    if (!out->periods)
        return err_set(e, ERR_TOO_BIG, NULL, "%s", _("De opvraag is te groot."));
    struct period p = req->first;
    for (int i = 0; i < np; i++, p = period_next(p))
        out->periods[i] = p;
    struct mx_engine_stats st;
    mx_engine_get_stats(eng, &st);
    out->data_date = st.data_date;

    if (f.empty) {
        /* The filter lies outside what the actor may see: nothing, never more. */
        int version = 0;
        out->def =
            req->preview ? req->preview : mx_engine_definition(eng, req->ind_id, &version, a);
        if (!out->def)
            return err_set(e, ERR_NOT_FOUND, NULL, "%s", _("Deze indicator bestaat niet."));
        return 0;
    }

    /* The decided table of the constrained dimensions; the answer is its slice. */
    struct pt_spec ps = {.ind_id = req->ind_id,
                         .preview = req->preview,
                         .scope = f.scope,
                         .rules = &rules,
                         .ndims = nd,
                         .kind = req->pkind,
                         .first = q.first,
                         .last = q.last};
    for (int j = 0; j < nd; j++)
        ps.dims[j] = dims[j];
    struct pt_table t;
    rc = pt_decide(eng, &ps, scratch, &t, e);
    if (rc) {
        if (rc == ERR_INVALID)
            name_refused(eng, req, &ps, scratch, e);
        return rc;
    }
    if (!t.def)
        return err_set(e, ERR_INTERNAL, NULL, "%s", _("De indicator kon niet worden berekend."));
    /* The table's copy is in the scratch space: the view gets its own. */
    const struct ind_def *def =
        req->preview ? req->preview : mx_engine_definition(eng, req->ind_id, NULL, a);
    if (!def)
        return err_set(e, ERR_TOO_BIG, NULL, "%s", _("De opvraag is te groot."));
    out->def = def;

    int pos[MX_DIM__COUNT];
    for (int d = 0; d < MX_DIM__COUNT; d++)
        pos[d] = -1;
    for (int j = 0; j < nd; j++)
        pos[dims[j]] = j;
    /* Breakdowns that are filtered too show the filter's code and, as their margin, the same
     * figure again (as the engine's filtered answer did). */
    unsigned both = 0;
    for (int k = 0; k < req->nby; k++)
        if (fcode[req->by[k]])
            both |= 1u << k;

    size_t cap = t.ncells * (both ? 4 : 1) + 1, nans = 0;
    struct answer *ans = arena_calloc(scratch, cap, sizeof *ans);
    if (!ans)
        return err_set(e, ERR_TOO_BIG, NULL, "%s", _("De opvraag is te groot."));
    for (size_t i = 0; i < t.ncells; i++) {
        const struct mx_cell *c = &t.cells[i];
        int pi = c->period_idx - t.first_idx - offset;
        if (pi < 0 || pi >= np)
            continue;
        bool in = true;
        for (int d = 0; d < MX_DIM__COUNT && in; d++)
            if (fcode[d])
                in = c->key[pos[d]] && strcmp(c->key[pos[d]], fcode[d]) == 0;
        if (!in)
            continue;
        for (unsigned v = 0; v < (1u << MX_MAX_BY); v++) {
            if (v & ~both)
                continue;
            struct answer *x = &ans[nans++];
            x->period_idx = pi;
            x->ti = i;
            for (int k = 0; k < MX_MAX_BY; k++)
                x->key[k] = k < req->nby && !(v & (1u << k)) ? c->key[pos[req->by[k]]] : NULL;
        }
    }
    bool ordered = true; /* as the table, unless the question names its breakdowns the other
                            way round or shows a filtered breakdown's margin */
    for (size_t i = 1; i < nans && ordered; i++)
        ordered = answer_cmp(&ans[i - 1], &ans[i]) <= 0;
    if (!ordered)
        qsort(ans, nans, sizeof *ans, answer_cmp);

    struct bench b;
    rc = bench_query(eng, req, &q, def, &rules, scratch, &b, e);
    if (rc)
        return rc;

    out->cells = arena_calloc(a, nans ? nans : 1, sizeof *out->cells);
    struct arena_copies kc; /* the keys shown, copied out of the scratch space */
    if (!out->cells || !arena_copies_init(&kc, scratch, MX_MAX_BY * nans))
        return err_set(e, ERR_TOO_BIG, NULL, "%s", _("De opvraag is te groot."));
    for (size_t i = 0; i < nans; i++) {
        const struct answer *x = &ans[i];
        const struct mx_cell *c = &t.cells[x->ti];
        struct mx_vcell *o = &out->cells[out->ncells++];
        shown_figures(def, &rules, c, t.reason[x->ti], o);
        o->period_idx = x->period_idx;
        for (int k = 0; k < MX_MAX_BY; k++) {
            o->key[k] = arena_copy_once(&kc, a, x->key[k]);
            if (x->key[k] && !o->key[k])
                return err_set(e, ERR_TOO_BIG, NULL, "%s", _("De opvraag is te groot."));
        }
        o->prev = NAN;
        size_t pj =
            c->period_idx > 0 ? pt_find(&t, c->period_idx - 1, c->key[0], c->key[1]) : SIZE_MAX;
        if (pj != SIZE_MAX && t.reason[pj] == DC_SHOWN) {
            struct mx_vcell pv;
            shown_figures(def, &rules, &t.cells[pj], DC_SHOWN, &pv);
            if (pv.reason == DC_SHOWN)
                o->prev = pv.value;
        }
        /* The cell as the question keys it, for the target and the benchmark. */
        struct mx_cell as = *c;
        as.key[0] = x->key[0];
        as.key[1] = x->key[1];
        const struct mx_target *tg = pick_target(req, period_end(out->periods[x->period_idx]),
                                                 cell_code(req, &f, &as, MX_DIM_GEMEENTE),
                                                 cell_code(req, &f, &as, MX_DIM_AANBIEDER));
        o->target = tg ? tg->value : NAN;
        bench_fill(&b, req, &f, &rules, x->period_idx + offset, &as, o);
        if (o->reason != DC_SHOWN)
            out->nhidden++;
    }
    return 0;
}

const struct mx_vcell *mx_view_cell(const struct mx_view *v, int period_idx, const char *key0,
                                    const char *key1)
{
    if (!v || !v->cells)
        return NULL;
    size_t lo = 0, hi = v->ncells;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct mx_vcell *c = &v->cells[mid];
        int d = c->period_idx != period_idx ? (c->period_idx < period_idx ? -1 : 1) : 0;
        if (!d)
            d = key_cmp(c->key[0], key0);
        if (!d)
            d = key_cmp(c->key[1], key1);
        if (!d)
            return c;
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

void mx_view_cache_counts(size_t *hits, size_t *misses)
{
    pc_counts(hits, misses);
}
