/*
 * protect.c: query-independent disclosure decisions over the lattice of a table, its faces and
 * its coarser periods (protect.h). One engine query, for the kind asked for with margins, gives
 * the table and all its faces; for figures that add up over time it covers whole years and the
 * coarser kinds are its sums. The cells are then decided per block of periods (a year, or one
 * period when figures do not add up over time; blocks share no line, so large tables take them
 * on two threads), within a block table by table, top-down, with everything decided before as
 * fixed cells of the disclosure module; where a line cannot be made safe that way, an empty
 * cell beside it is hidden too (a phantom).
 */
#include "metrics/protect.h"
#include "core/buf.h"
#include "core/common.h"
#include "metrics/protect_cache.h"
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>

#define ENGINE_MAX_PERIODS 240                 /* mx_query's limit per call */
#define MAX_KINDS          4                   /* year, half year, quarter, month */
#define SCRATCH_CAP        ((size_t)256 << 20) /* the deciding's own memory, freed after it */

/* ---- Periods. ------------------------------------------------------------------------------ */

static struct period from_ord(enum period_kind k, int64_t o)
{
    int n = period_per_year(k);
    return (struct period){k, (int)(o / n), (int)(o % n) + 1};
}

bool pt_adds_up_over_time(const struct ind_def *def)
{
    return def && def->unit != IND_UNIT_PERSON && def->anchor != IND_ANCHOR_ACTIVE;
}

/* ---- Cells. -------------------------------------------------------------------------------- */

static int key_cmp(const char *a, const char *b)
{
    if (a == b)
        return 0;
    if (!a)
        return 1; /* NULL (the face) sorts last */
    if (!b)
        return -1;
    return strcmp(a, b);
}

static int rank_cmp(uint32_t a, uint32_t b)
{
    return a < b ? -1 : a > b;
}

/* Cells in order of period and codes, totals last: by the codes' ranks (the order of strcmp,
 * MX_RANK_TOTAL last), integers only, as every sort and search here runs often. */
static int cell_cmp(const void *x, const void *y)
{
    const struct mx_cell *a = x, *b = y;
    if (a->period_idx != b->period_idx)
        return a->period_idx < b->period_idx ? -1 : 1;
    int c = rank_cmp(a->rank[0], b->rank[0]);
    return c ? c : rank_cmp(a->rank[1], b->rank[1]);
}

/* The same order by the codes themselves (for pt_find, whose callers have codes). */
static int cell_cmp_str(const void *x, const void *y)
{
    const struct mx_cell *a = x, *b = y;
    if (a->period_idx != b->period_idx)
        return a->period_idx < b->period_idx ? -1 : 1;
    int c = key_cmp(a->key[0], b->key[0]);
    return c ? c : key_cmp(a->key[1], b->key[1]);
}

size_t pt_find(const struct pt_table *t, int period_idx, const char *k0, const char *k1)
{
    if (!t || !t->cells)
        return SIZE_MAX;
    struct mx_cell probe = {.period_idx = period_idx, .key = {k0, k1}};
    const struct mx_cell *c = bsearch(&probe, t->cells, t->ncells, sizeof *t->cells, cell_cmp_str);
    return c ? (size_t)(c - t->cells) : SIZE_MAX;
}

/* ---- One period kind of the chain. --------------------------------------------------------- */

/*
 * Cells are referred to by index; with PH set, the index is of a phantom: an empty cell (no
 * rows) that is hidden on purpose. A cell that is the only member of a line equals that line's
 * total, and when it is shown, another line through it may have no cell left to hide (a
 * provider of one category: its figure is its category's figure, so the other providers of that
 * category cannot be protected by hiding it). Hiding an empty partner beside it breaks that
 * equality for the reader, who cannot tell an empty hidden cell from a hidden figure.
 */
#define PH ((size_t)1 << 39)

struct kind_table {
    enum period_kind kind;
    struct period first;
    struct mx_result r; /* cells sorted with cell_cmp */
    struct dc_cell *dc; /* per cell: figures and, once decided, the fixed reason */
    int *block;         /* per cell: its block (index of the coarsest period holding it); a
                           block's problem (decide_block) holds the cells of one block only */
    int32_t *loc;       /* per cell: index in the problem being solved, or -1 */
    /* phantoms, in the order made */
    struct mx_cell *pc;
    struct dc_cell *pdc;
    int32_t *ploc;
    size_t np, capp;
    /* Open-addressing index of figures and phantoms by (period, ranks): slot = ref + 1, 0 for
     * none. Lookups are most of the deciding (every phantom candidate asks several). */
    size_t *slot;
    size_t nslots, nindexed; /* nslots: a power of two, at least twice nindexed */
    /* The members of a line over dimension j (a period and the other code fixed), for the
     * phantom search: figures through the sort order (j = 1) or tord, their indexes sorted by
     * period, second code, first code (j = 0, made when first asked); phantoms through chains
     * (pnext[j]) whose heads lhead[j] finds by hashing (period, other code). */
    size_t *tord;
    size_t *pnext[MX_MAX_BY];
    size_t *lhead[MX_MAX_BY]; /* phantom index + 1, 0 for none; nlheads slots */
    size_t nlheads;
    /* up[kc][p]: the index in coarser kind table kc of period p (date arithmetic done once,
     * as lines over time and phantom candidates ask it per cell) */
    int32_t *up[MAX_KINDS];
};

static const struct mx_cell *cell_at(const struct kind_table *t, size_t ref)
{
    return ref & PH ? &t->pc[ref & ~PH] : &t->r.cells[ref];
}

static struct dc_cell *dc_at(struct kind_table *t, size_t ref)
{
    return ref & PH ? &t->pdc[ref & ~PH] : &t->dc[ref];
}

static int32_t *loc_at(struct kind_table *t, size_t ref)
{
    return ref & PH ? &t->ploc[ref & ~PH] : &t->loc[ref];
}

static size_t hash_of(int p, uint32_t r0, uint32_t r1)
{
    uint64_t h = ((uint64_t)(uint32_t)p << 32 | r0) * UINT64_C(0x9E3779B97F4A7C15);
    h ^= (h >> 29) + (uint64_t)r1 * UINT64_C(0xBF58476D1CE4E5B9);
    return (size_t)(h ^ (h >> 32));
}

/* A cell of kind table t (figure or phantom), or SIZE_MAX when it holds no rows. */
static size_t lookup(const struct kind_table *t, int p, uint32_t r0, uint32_t r1)
{
    size_t mask = t->nslots - 1;
    for (size_t i = hash_of(p, r0, r1) & mask;; i = (i + 1) & mask) {
        size_t v = t->slot[i];
        if (v == 0)
            return SIZE_MAX;
        const struct mx_cell *c = cell_at(t, v - 1);
        if (c->period_idx == p && c->rank[0] == r0 && c->rank[1] == r1)
            return v - 1;
    }
}

static void index_put(struct kind_table *t, size_t ref)
{
    const struct mx_cell *c = cell_at(t, ref);
    size_t mask = t->nslots - 1, i = hash_of(c->period_idx, c->rank[0], c->rank[1]) & mask;
    while (t->slot[i] != 0)
        i = (i + 1) & mask;
    t->slot[i] = ref + 1;
    t->nindexed++;
}

/* (Re)builds the index of t's figures and phantoms with room for `room` more cells. */
static int index_build(struct kind_table *t, struct arena *a, size_t room)
{
    size_t want = 2 * (t->r.ncells + t->np + room), n = 64;
    while (n < want)
        n *= 2;
    size_t *slot = arena_calloc(a, n, sizeof *slot);
    if (!slot)
        return ERR_TOO_BIG;
    t->slot = slot;
    t->nslots = n;
    t->nindexed = 0;
    for (size_t i = 0; i < t->r.ncells; i++)
        index_put(t, i);
    for (size_t i = 0; i < t->np; i++)
        index_put(t, PH | i);
    return 0;
}

/* The slot of the chain of phantoms on the line over j through period p and other code. */
static size_t *line_head(struct kind_table *t, int j, int p, uint32_t other)
{
    size_t mask = t->nlheads - 1;
    for (size_t i = hash_of(p, other, (uint32_t)j) & mask;; i = (i + 1) & mask) {
        size_t v = t->lhead[j][i];
        if (v == 0 || (t->pc[v - 1].period_idx == p && t->pc[v - 1].rank[1 - j] == other))
            return &t->lhead[j][i];
    }
}

static void chain_phantom(struct kind_table *t, size_t i)
{
    for (int j = 0; j < MX_MAX_BY; j++) {
        size_t *head = line_head(t, j, t->pc[i].period_idx, t->pc[i].rank[1 - j]);
        t->pnext[j][i] = *head ? *head - 1 : SIZE_MAX;
        *head = i + 1;
    }
}

/* The cells of block b: [*lo, *hi) in t's sorted figures (blocks follow the periods). */
static void block_range(const struct kind_table *t, int b, size_t *lo, size_t *hi)
{
    size_t a = 0, z = t->r.ncells;
    while (a < z) {
        size_t m = a + (z - a) / 2;
        if (t->block[m] < b)
            a = m + 1;
        else
            z = m;
    }
    *lo = a;
    z = t->r.ncells;
    while (a < z) {
        size_t m = a + (z - a) / 2;
        if (t->block[m] <= b)
            a = m + 1;
        else
            z = m;
    }
    *hi = a;
}

/* A code of a dimension with its rank. */
struct code {
    const char *key;
    uint32_t rank;
};

static int code_cmp(const void *x, const void *y)
{
    return rank_cmp(((const struct code *)x)->rank, ((const struct code *)y)->rank);
}

/* The engine's answer for [first, last] of kind k, in calls of at most ENGINE_MAX_PERIODS. */
static int query_kind(struct mx_engine *eng, const struct pt_spec *s, enum period_kind k,
                      struct period first, struct period last, struct arena *a,
                      struct mx_result *out, struct err_ctx *e)
{
    struct mx_query q = {
        .ind_id = s->ind_id,
        .pkind = k,
        .nby = s->ndims,
        .margins = s->ndims > 0,
        .preview = s->preview,
    };
    for (int j = 0; j < s->ndims; j++)
        q.by[j] = s->dims[j];
    for (int d = 0; d < MX_DIM__COUNT; d++)
        q.where[d] = s->scope ? s->scope[d] : (struct mx_where){NULL, 0};
    int64_t n = period_ordinal(last) - period_ordinal(first) + 1;
    if (n <= 0)
        return err_set(e, ERR_INVALID, "periode", "%s", _("Deze reeks perioden klopt niet."));
    if (n <= ENGINE_MAX_PERIODS) {
        q.first = first;
        q.last = last;
        return mx_query(eng, &q, a, out, e);
    }
    /* Longer (whole years of months): chunks, merged with their period indexes shifted. */
    int64_t chunk = ENGINE_MAX_PERIODS / period_per_year(k) * period_per_year(k);
    int64_t nchunks = (n + chunk - 1) / chunk;
    struct mx_result *parts = arena_calloc(a, (size_t)nchunks, sizeof *parts);
    if (!parts)
        return ERR_TOO_BIG;
    size_t total = 0;
    for (int64_t c = 0; c < nchunks; c++) {
        int64_t lo = period_ordinal(first) + c * chunk, hi = lo + chunk - 1;
        if (hi > period_ordinal(last))
            hi = period_ordinal(last);
        q.first = from_ord(k, lo);
        q.last = from_ord(k, hi);
        int rc = mx_query(eng, &q, a, &parts[c], e);
        if (rc)
            return rc;
        total += parts[c].ncells;
    }
    *out = parts[0];
    out->periods = arena_calloc(a, (size_t)n, sizeof *out->periods);
    out->cells = arena_calloc(a, total ? total : 1, sizeof *out->cells);
    if (!out->periods || !out->cells)
        return ERR_TOO_BIG;
    out->nperiods = (int)n;
    out->ncells = 0;
    for (int64_t i = 0; i < n; i++)
        out->periods[i] = from_ord(k, period_ordinal(first) + i);
    for (int64_t c = 0; c < nchunks; c++)
        for (size_t i = 0; i < parts[c].ncells; i++) {
            struct mx_cell x = parts[c].cells[i];
            x.period_idx += (int)(c * chunk);
            out->cells[out->ncells++] = x;
        }
    return 0;
}

/* ---- Coarser periods as sums. ------------------------------------------------------------- */

static int sum_cmp(const void *x, const void *y)
{
    return cell_cmp(x, y);
}

/*
 * The table of kind k over [f, l] (whole years) as the sums of fine's cells (sorted), for
 * figures that add up over time: units, numerator and denominator add up; values are not
 * needed (coarser periods are decided here, never shown by this answer).
 */
static int sum_up(const struct mx_result *fine, enum period_kind k, struct period f,
                  struct period l, struct arena *a, struct mx_result *out)
{
    memset(out, 0, sizeof *out);
    int64_t n = period_ordinal(l) - period_ordinal(f) + 1;
    out->periods = arena_calloc(a, (size_t)n, sizeof *out->periods);
    struct mx_cell *c = arena_calloc(a, fine->ncells ? fine->ncells : 1, sizeof *c);
    if (!out->periods || !c)
        return ERR_TOO_BIG;
    out->nperiods = (int)n;
    for (int64_t i = 0; i < n; i++)
        out->periods[i] = from_ord(k, period_ordinal(f) + i);
    out->nby = fine->nby;
    for (int j = 0; j < MX_MAX_BY; j++)
        out->by[j] = fine->by[j];
    out->def = fine->def;
    for (size_t i = 0; i < fine->ncells; i++) {
        struct period p = fine->periods[fine->cells[i].period_idx];
        c[i] = fine->cells[i];
        c[i].period_idx = (int)(period_ordinal(period_of(period_start(p), k)) - period_ordinal(f));
        c[i].value = c[i].lo = c[i].hi = NAN;
    }
    if (fine->ncells > 1)
        qsort(c, fine->ncells, sizeof *c, sum_cmp);
    size_t m = 0;
    for (size_t i = 0; i < fine->ncells; i++) {
        if (m > 0 && cell_cmp(&c[m - 1], &c[i]) == 0) {
            c[m - 1].n += c[i].n;
            c[m - 1].num += c[i].num;
            c[m - 1].den += c[i].den;
        } else {
            c[m++] = c[i];
        }
    }
    out->cells = c;
    out->ncells = m;
    return 0;
}

/* ---- Solving one table of one block. ------------------------------------------------------- */

#define MAX_PHANTOM_ROUNDS 12
#define WEAK               1000 /* score bonus of a phantom whose coarser periods hold rows */

struct problem {
    struct arena *a;   /* what lasts while deciding: kind tables, phantoms */
    struct arena *tmp; /* one block's problem, released after it */
    const struct pt_spec *s;
    const struct ind_def *def;
    struct kind_table *kt;
    int nk;
    /* the problem being built */
    struct dc_cell *cells;
    size_t ncells, capcells;
    size_t *origin; /* per local cell: kind << 40 | reference (to map back) */
    size_t caporigin;
    struct dc_line *lines;
    size_t nlines, caplines;
    size_t *pool;
    size_t npool, cappool;
    size_t last_unresolved, unresolved, phantoms, weak;
    /* Per kind and dimension: the codes of the one-way face in one block (block_codes). */
    struct code_list {
        bool made;
        struct code *codes;
        size_t n;
    } codes[MAX_KINDS][MX_MAX_BY];
    struct code *cand; /* line_codes' answer */
    size_t capcand;
};

#define ORIGIN(k, ref) (((size_t)(k) << 40) | (ref))
#define ORIGIN_KIND(o) ((int)((o) >> 40))
#define ORIGIN_REF(o)  ((o) & (((size_t)1 << 40) - 1))

static int grow(struct arena *a, void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 64;
    while (ncap < need)
        ncap *= 2;
    void *np = arena_alloc(a, ncap * size);
    if (!np)
        return ERR_TOO_BIG;
    if (*cap)
        memcpy(np, *p, *cap * size);
    *p = np;
    *cap = ncap;
    return 0;
}

/* The local index of cell ref of kind k, added (as it is: free or fixed) when new. */
static int local(struct problem *pb, int k, size_t ref, size_t *out)
{
    struct kind_table *t = &pb->kt[k];
    int32_t *loc = loc_at(t, ref);
    if (*loc < 0) {
        if (grow(pb->tmp, (void **)&pb->cells, &pb->capcells, pb->ncells + 1, sizeof *pb->cells) ||
            grow(pb->tmp, (void **)&pb->origin, &pb->caporigin, pb->ncells + 1, sizeof *pb->origin))
            return ERR_TOO_BIG;
        *loc = (int32_t)pb->ncells;
        pb->cells[pb->ncells] = *dc_at(t, ref);
        pb->origin[pb->ncells] = ORIGIN(k, ref);
        pb->ncells++;
    }
    *out = (size_t)*loc;
    return 0;
}

static int add_line(struct problem *pb, const size_t *members, size_t n, size_t total)
{
    if (n == 0)
        return 0;
    if (grow(pb->tmp, (void **)&pb->lines, &pb->caplines, pb->nlines + 1, sizeof *pb->lines) ||
        grow(pb->tmp, (void **)&pb->pool, &pb->cappool, pb->npool + n, sizeof *pb->pool))
        return ERR_TOO_BIG;
    /* The pool may still move: lines hold offsets until the problem is complete. */
    memcpy(pb->pool + pb->npool, members, n * sizeof *members);
    pb->lines[pb->nlines++] = (struct dc_line){(const size_t *)(uintptr_t)pb->npool, n, total};
    pb->npool += n;
    return 0;
}

/* A cell with the keys that group it into a line. */
struct grouped {
    int64_t g;       /* period (or coarser period) */
    uint32_t r0, r1; /* the codes (ranks) that stay the same along the line */
    size_t ref;
};

static int grouped_cmp(const void *x, const void *y)
{
    const struct grouped *a = x, *b = y;
    if (a->g != b->g)
        return a->g < b->g ? -1 : 1;
    int c = rank_cmp(a->r0, b->r0);
    if (!c)
        c = rank_cmp(a->r1, b->r1);
    if (!c)
        c = a->ref < b->ref ? -1 : a->ref > b->ref;
    return c;
}

/* Lines from runs of equal (g, k0, k1): the members of one total, found in kind tk. */
static int lines_from_groups(struct problem *pb, int k, struct grouped *gr, size_t n, int tk,
                             size_t *scratch)
{
    qsort(gr, n, sizeof *gr, grouped_cmp);
    for (size_t i = 0; i < n;) {
        size_t j = i, nm = 0;
        while (j < n && gr[j].g == gr[i].g && gr[j].r0 == gr[i].r0 && gr[j].r1 == gr[i].r1) {
            int rc = local(pb, k, gr[j].ref, &scratch[nm]);
            if (rc)
                return rc;
            nm++;
            j++;
        }
        size_t tref = lookup(&pb->kt[tk], (int)gr[i].g, gr[i].r0, gr[i].r1);
        size_t total = SIZE_MAX;
        if (tref == SIZE_MAX) {
            /* No total: only phantoms can be here (a figure's faces hold rows), whose coarser
             * period is empty (weak phantoms, counted apart). No line to keep. */
            bool all_phantoms = true;
            for (size_t q = i; q < j && all_phantoms; q++)
                all_phantoms = (gr[q].ref & PH) != 0;
            if (all_phantoms) {
                i = j;
                continue;
            }
        } else {
            int rc = local(pb, tk, tref, &total);
            if (rc)
                return rc;
        }
        int rc = add_line(pb, scratch, nm, total);
        if (rc)
            return rc;
        i = j;
    }
    return 0;
}

static unsigned mask_of(const struct mx_cell *c, int nd)
{
    unsigned m = 0;
    for (int j = 0; j < nd; j++)
        if (c->key[j])
            m |= 1u << j;
    return m;
}

/* The index of period p of kind table t in the coarser kind table ct. */
static int64_t coarse_ord(const struct kind_table *t, const struct kind_table *ct, int p)
{
    struct period per = from_ord(t->kind, period_ordinal(t->first) + p);
    return period_ordinal(period_of(period_start(per), ct->kind)) - period_ordinal(ct->first);
}

/* The same for the kind table k of a problem and its coarser kind kc, from the table. */
static int64_t coarse_idx(const struct problem *pb, int k, int kc, int p)
{
    return pb->kt[k].up[kc][p];
}

/* The within-period lines of table (k, mask), all decided: context. */
static int context_lines(struct problem *pb, int k, unsigned mask)
{
    struct kind_table *t = &pb->kt[k];
    size_t n = 0;
    for (size_t i = 0; i < t->r.ncells; i++)
        n += mask_of(&t->r.cells[i], pb->s->ndims) == mask;
    for (size_t i = 0; i < t->np; i++)
        n += mask_of(&t->pc[i], pb->s->ndims) == mask;
    if (n == 0)
        return 0;
    struct grouped *gr = arena_calloc(pb->tmp, n, sizeof *gr);
    size_t *refs = arena_calloc(pb->tmp, n, sizeof *refs);
    size_t *scratch = arena_calloc(pb->tmp, n, sizeof *scratch);
    if (!gr || !refs || !scratch)
        return ERR_TOO_BIG;
    size_t m = 0;
    for (size_t i = 0; i < t->r.ncells; i++)
        if (mask_of(&t->r.cells[i], pb->s->ndims) == mask)
            refs[m++] = i;
    for (size_t i = 0; i < t->np; i++)
        if (mask_of(&t->pc[i], pb->s->ndims) == mask)
            refs[m++] = PH | i;
    for (int j = 0; j < pb->s->ndims; j++) {
        if (!(mask & (1u << j)))
            continue;
        for (size_t i = 0; i < n; i++) {
            const struct mx_cell *c = cell_at(t, refs[i]);
            gr[i] = (struct grouped){c->period_idx, j == 0 ? MX_RANK_TOTAL : c->rank[0],
                                     j == 1 ? MX_RANK_TOTAL : c->rank[1], refs[i]};
        }
        int rc = lines_from_groups(pb, k, gr, n, k, scratch);
        if (rc)
            return rc;
    }
    return 0;
}

/* Decides the cells refs[0..n) of kind k (one table, one block; free figures and the fixed
 * phantoms). The free figures' reasons are written back, not yet fixed. */
static int solve(struct problem *pb, int k, const size_t *refs, size_t n, unsigned mask)
{
    struct kind_table *t = &pb->kt[k];
    pb->ncells = pb->nlines = pb->npool = 0;
    for (size_t i = 0; i < n; i++) {
        size_t li;
        int rc = local(pb, k, refs[i], &li);
        if (rc)
            return rc;
    }
    struct grouped *gr = arena_calloc(pb->tmp, n, sizeof *gr);
    size_t *scratch = arena_calloc(pb->tmp, n, sizeof *scratch);
    if (!gr || !scratch)
        return ERR_TOO_BIG;
    /* Within the period: for each constrained dimension j, the cells over all codes of j add
     * up to the face without j. */
    for (int j = 0; j < pb->s->ndims; j++) {
        if (!(mask & (1u << j)))
            continue;
        for (size_t i = 0; i < n; i++) {
            const struct mx_cell *c = cell_at(t, refs[i]);
            gr[i] = (struct grouped){c->period_idx, j == 0 ? MX_RANK_TOTAL : c->rank[0],
                                     j == 1 ? MX_RANK_TOTAL : c->rank[1], refs[i]};
        }
        int rc = lines_from_groups(pb, k, gr, n, k, scratch);
        if (rc)
            return rc;
    }
    /* Over time: the cells of the finer periods inside a coarser one add up to it. */
    for (int kc = 0; kc < k; kc++) {
        for (size_t i = 0; i < n; i++) {
            const struct mx_cell *c = cell_at(t, refs[i]);
            gr[i] = (struct grouped){coarse_idx(pb, k, kc, c->period_idx), c->rank[0], c->rank[1],
                                     refs[i]};
        }
        int rc = lines_from_groups(pb, k, gr, n, kc, scratch);
        if (rc)
            return rc;
    }
    /* Context for the guard against combining lines: the lines of the faces decided before
     * (all fixed): the faces with fewer constraints in this period kind, and this table at the
     * coarser kinds, within the block. */
    /* Beyond the guard's size the context (all fixed) would change nothing. */
    for (int kk = 0; kk <= k && pb->ncells <= DC_GUARD_CELLS; kk++)
        for (unsigned m = 0; m <= mask; m++) {
            if ((m & mask) != m || (kk == k && m == mask) || (kk < k && m != mask) || m == 0)
                continue;
            int rc = context_lines(pb, kk, m);
            if (rc)
                return rc;
        }
    for (size_t l = 0; l < pb->nlines; l++)
        pb->lines[l].members = pb->pool + (uintptr_t)pb->lines[l].members;
    pb->last_unresolved =
        dc_protect_count(pb->s->rules, pb->def->min_n, pb->def->agg == IND_AGG_PROPORTION,
                         pb->cells, pb->ncells, pb->lines, pb->nlines);
    for (size_t li = 0; li < pb->ncells; li++) {
        struct kind_table *lt = &pb->kt[ORIGIN_KIND(pb->origin[li])];
        size_t ref = ORIGIN_REF(pb->origin[li]);
        struct dc_cell *d = dc_at(lt, ref);
        if (!d->fixed)
            d->reason = pb->cells[li].reason;
        *loc_at(lt, ref) = -1;
    }
    return 0;
}

/* ---- Phantoms. ----------------------------------------------------------------------------- */

static bool hidden(enum dc_reason x)
{
    return x != DC_SHOWN && x != DC_NO_DATA;
}

/* Scores phantom-to-be P (period and keys set) of kind k; -1 when it cannot be one: it holds
 * rows, or one of its faces holds none (the reader would know it is empty). A face whose total
 * is hidden scores 2 (one more hidden empty cell in that line needs no other), and so does a
 * hidden coarser period. skip_j: the dimension of the line it joins, whose face is that line's
 * total (it exists, and is not asked again), or -1 for a line over time, with skip_kc that
 * coarser kind. cidx[kc]: the index of P's period in kind kc (the caller's, as all candidates
 * of a line over a dimension share the period). */
static int phantom_score(struct problem *pb, int k, const struct mx_cell *P, int skip_j,
                         int skip_kc, const int64_t *cidx)
{
    struct kind_table *t = &pb->kt[k];
    if (lookup(t, P->period_idx, P->rank[0], P->rank[1]) != SIZE_MAX)
        return -1;
    int score = 0;
    for (int j = 0; j < pb->s->ndims; j++) {
        if (!P->key[j] || j == skip_j)
            continue;
        uint32_t r0 = j == 0 ? MX_RANK_TOTAL : P->rank[0], r1 = j == 1 ? MX_RANK_TOTAL : P->rank[1];
        size_t fref = lookup(t, P->period_idx, r0, r1);
        if (fref == SIZE_MAX)
            return -1;
        score += hidden(dc_at(t, fref)->reason) ? 2 : 0;
    }
    /* A coarser period without rows tells the reader this one has none either: such a phantom
     * is a last resort (WEAK below every other). */
    bool weak = false;
    for (int kc = 0; kc < k; kc++) {
        struct kind_table *ct = &pb->kt[kc];
        size_t cref = lookup(ct, (int)cidx[kc], P->rank[0], P->rank[1]);
        if (cref == SIZE_MAX)
            weak = true;
        else if (kc != skip_kc && hidden(dc_at(ct, cref)->reason))
            score += 2;
    }
    return weak ? score : score + WEAK;
}

static int add_phantom(struct problem *pb, int k, const struct mx_cell *P)
{
    struct kind_table *t = &pb->kt[k];
    if (t->np == t->capp) {
        size_t cap = t->capp ? t->capp * 2 : 16;
        struct mx_cell *pc = arena_calloc(pb->a, cap, sizeof *pc);
        struct dc_cell *pdc = arena_calloc(pb->a, cap, sizeof *pdc);
        int32_t *ploc = arena_calloc(pb->a, cap, sizeof *ploc);
        size_t *pnext0 = arena_calloc(pb->a, cap, sizeof *pnext0);
        size_t *pnext1 = arena_calloc(pb->a, cap, sizeof *pnext1);
        size_t *lhead0 = arena_calloc(pb->a, 2 * cap, sizeof *lhead0);
        size_t *lhead1 = arena_calloc(pb->a, 2 * cap, sizeof *lhead1);
        if (!pc || !pdc || !ploc || !pnext0 || !pnext1 || !lhead0 || !lhead1)
            return ERR_TOO_BIG;
        if (t->np) {
            memcpy(pc, t->pc, t->np * sizeof *pc);
            memcpy(pdc, t->pdc, t->np * sizeof *pdc);
            memcpy(ploc, t->ploc, t->np * sizeof *ploc);
        }
        t->pc = pc;
        t->pdc = pdc;
        t->ploc = ploc;
        t->capp = cap;
        /* the chains anew, in tables twice the phantoms' room */
        t->pnext[0] = pnext0;
        t->pnext[1] = pnext1;
        t->lhead[0] = lhead0;
        t->lhead[1] = lhead1;
        t->nlheads = 2 * cap;
        for (size_t i = 0; i < t->np; i++)
            chain_phantom(t, i);
    }
    struct mx_cell c = *P;
    c.n = c.num = c.den = 0;
    c.value = c.lo = c.hi = NAN;
    t->pc[t->np] = c;
    t->pdc[t->np] = (struct dc_cell){0, 0, -1, DC_SECONDARY, true};
    t->ploc[t->np] = -1;
    chain_phantom(t, t->np);
    t->np++;
    if (2 * (t->nindexed + 1) <= t->nslots)
        index_put(t, PH | (t->np - 1));
    else if (index_build(t, pb->a, t->np)) /* room for as many again */
        return ERR_TOO_BIG;
    pb->phantoms++;
    return 0;
}

/* Sorts codes by rank and keeps each once; returns how many are left. */
static size_t sort_unique(struct code *codes, size_t n)
{
    qsort(codes, n, sizeof *codes, code_cmp);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || codes[i].rank != codes[u - 1].rank)
            codes[u++] = codes[i];
    return u;
}

/* The codes of dimension j in the block's kind k, in rank order, each once: those of its
 * one-way face table. Made once (the figures do not change while deciding; phantoms are not
 * codes of their own), as phantom_beside asks for them for many lines. */
static const struct code_list *block_codes(struct problem *pb, int k, int j)
{
    struct code_list *cl = &pb->codes[k][j];
    if (cl->made)
        return cl;
    struct kind_table *t = &pb->kt[k];
    size_t nc = 0;
    for (size_t i = 0; i < t->r.ncells; i++)
        nc += mask_of(&t->r.cells[i], pb->s->ndims) == 1u << j;
    struct code *codes = arena_alloc(pb->a, (nc ? nc : 1) * sizeof *codes);
    if (!codes)
        return NULL;
    nc = 0;
    for (size_t i = 0; i < t->r.ncells; i++)
        if (mask_of(&t->r.cells[i], pb->s->ndims) == 1u << j)
            codes[nc++] = (struct code){t->r.cells[i].key[j], t->r.cells[i].rank[j]};
    *cl = (struct code_list){true, codes, sort_unique(codes, nc)};
    return cl;
}

static _Thread_local const struct mx_cell *sort_cells; /* for the qsort comparators below */

/* Period, second code, first code: the order of tord. */
static int transposed_cmp(const void *x, const void *y)
{
    const struct mx_cell *a = &sort_cells[*(const size_t *)x], *b = &sort_cells[*(const size_t *)y];
    if (a->period_idx != b->period_idx)
        return a->period_idx < b->period_idx ? -1 : 1;
    int c = rank_cmp(a->rank[1], b->rank[1]);
    return c ? c : rank_cmp(a->rank[0], b->rank[0]);
}

/* The codes of dimension j (not the total) of the cells of kind table t on the line through
 * period p and the other code `other`, figures and phantoms, in code order, each once. */
static int line_codes(struct problem *pb, struct kind_table *t, int j, int p, uint32_t other,
                      size_t *n)
{
    *n = 0;
    size_t lo = 0, hi = t->r.ncells;
    if (j == 0 && !t->tord) {
        t->tord = arena_alloc(pb->a, (t->r.ncells ? t->r.ncells : 1) * sizeof *t->tord);
        if (!t->tord)
            return ERR_TOO_BIG;
        for (size_t i = 0; i < t->r.ncells; i++)
            t->tord[i] = i;
        sort_cells = t->r.cells;
        qsort(t->tord, t->r.ncells, sizeof *t->tord, transposed_cmp);
        sort_cells = NULL;
    }
#define AT(i) (&t->r.cells[j == 0 ? t->tord[i] : (i)])
    while (lo < hi) { /* the first cell at (p, other) in the order of j */
        size_t m = lo + (hi - lo) / 2;
        const struct mx_cell *c = AT(m);
        int d = c->period_idx != p ? (c->period_idx < p ? -1 : 1) : rank_cmp(c->rank[1 - j], other);
        if (d < 0)
            lo = m + 1;
        else
            hi = m;
    }
    for (size_t i = lo; i < t->r.ncells; i++) {
        const struct mx_cell *c = AT(i);
        if (c->period_idx != p || c->rank[1 - j] != other)
            break;
        if (c->rank[j] == MX_RANK_TOTAL)
            continue;
        if (grow(pb->a, (void **)&pb->cand, &pb->capcand, *n + 1, sizeof *pb->cand))
            return ERR_TOO_BIG;
        pb->cand[(*n)++] = (struct code){c->key[j], c->rank[j]};
    }
#undef AT
    size_t nfig = *n;
    size_t head = t->np ? *line_head(t, j, p, other) : 0;
    for (size_t i = head ? head - 1 : SIZE_MAX; i != SIZE_MAX; i = t->pnext[j][i]) {
        if (grow(pb->a, (void **)&pb->cand, &pb->capcand, *n + 1, sizeof *pb->cand))
            return ERR_TOO_BIG;
        pb->cand[(*n)++] = (struct code){t->pc[i].key[j], t->pc[i].rank[j]};
    }
    if (*n > nfig) /* phantoms come in any order */
        *n = sort_unique(pb->cand, *n);
    return 0;
}

static bool has_code(const struct code_list *cl, uint32_t rank)
{
    size_t lo = 0, hi = cl->n;
    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        if (cl->codes[m].rank == rank)
            return true;
        if (cl->codes[m].rank < rank)
            lo = m + 1;
        else
            hi = m;
    }
    return false;
}

/*
 * Line lf (local) has cell F (local, of kind k) as its only member, so F is the same figure as
 * the fixed total. Makes the best-placed phantom beside F in that line: another code of the
 * line's dimension in the same period, or another period inside the same coarser period.
 * Returns 1 when one was made, 0 when no empty cell qualifies.
 */
static int phantom_beside(struct problem *pb, int k, size_t F, const struct dc_line *lf)
{
    struct kind_table *t = &pb->kt[k];
    const struct mx_cell *f = cell_at(t, ORIGIN_REF(pb->origin[F]));
    int tk = ORIGIN_KIND(pb->origin[lf->total]);
    const struct mx_cell *tot = cell_at(&pb->kt[tk], ORIGIN_REF(pb->origin[lf->total]));
    struct mx_cell best = {0}, P;
    int best_score = -1;
    if (tk == k) {
        int j = f->key[0] && !tot->key[0] ? 0 : 1;
        const struct code_list *cl = block_codes(pb, k, j);
        if (!cl)
            return -1;
        int64_t cidx[MAX_KINDS];
        for (int kc = 0; kc < k; kc++)
            cidx[kc] = coarse_idx(pb, k, kc, f->period_idx);
        /* The best a candidate can score: every other face and coarser period hidden. The
         * first (in code order) to reach it is the one the whole loop would pick. */
        int top = WEAK + 2 * k;
        for (int jj = 0; jj < pb->s->ndims; jj++)
            top += jj != j && f->key[jj] ? 2 : 0;
        /* Two passes, the same choice as one over all codes: first only the codes whose cell
         * in the next coarser period holds rows (the others are WEAK; line_codes lists them),
         * and only when none of those qualifies, every code. In sparse tables most codes never
         * meet the line's other code, and phantoms are made by the thousand there. */
        struct kind_table *ct = k > 0 ? &pb->kt[k - 1] : NULL;
        for (int pass = ct ? 0 : 1; pass < 2 && best_score < WEAK; pass++) {
            best_score = -1; /* the full pass decides alone, ties included */
            const struct code *codes = cl->codes;
            size_t n = cl->n;
            if (pass == 0) {
                /* The codes met on this line in the next coarser period: the members of
                 * that line there, not a lookup per code of the block. */
                if (line_codes(pb, ct, j, (int)cidx[k - 1], f->rank[1 - j], &n))
                    return -1;
                codes = pb->cand;
            }
            for (size_t i = 0; i < n && best_score < top; i++) {
                const struct code *code = &codes[i];
                if (code->rank == f->rank[j] || (pass == 0 && !has_code(cl, code->rank)))
                    continue;
                P = *f;
                P.key[j] = code->key;
                P.rank[j] = code->rank;
                int sc = phantom_score(pb, k, &P, j, -1, cidx);
                if (sc > best_score) {
                    best = P;
                    best_score = sc;
                }
            }
        }
    } else {
        for (int p = 0; p < t->r.nperiods; p++) {
            if (p == f->period_idx || coarse_idx(pb, k, tk, p) != tot->period_idx)
                continue;
            P = *f;
            P.period_idx = p;
            int64_t cidx[MAX_KINDS];
            for (int kc = 0; kc < k; kc++)
                cidx[kc] = coarse_idx(pb, k, kc, p);
            int sc = phantom_score(pb, k, &P, -1, tk, cidx);
            if (sc > best_score) {
                best = P;
                best_score = sc;
            }
        }
    }
    if (best_score < 0)
        return 0;
    if (best_score < WEAK)
        pb->weak++;
    return add_phantom(pb, k, &best) ? -1 : 1;
}

static bool has_free(const struct problem *pb, const struct dc_line *x)
{
    if (x->total != SIZE_MAX && !pb->cells[x->total].fixed)
        return true;
    for (size_t m = 0; m < x->nmembers; m++)
        if (!pb->cells[x->members[m]].fixed)
            return true;
    return false;
}

/* For every unsound line of the last problem: the smallest shown figure in it that is the same
 * figure as a fixed total gets a phantom beside it in each such line. Returns how many were
 * made (-1 on memory exhaustion). */
static int add_phantoms(struct problem *pb, int k)
{
    /* Per local cell, the lines it is the only member of (with a fixed total): CSR. */
    size_t *single = arena_calloc(pb->tmp, pb->ncells + 1, sizeof *single);
    size_t *start = arena_calloc(pb->tmp, pb->ncells + 2, sizeof *start);
    size_t *of = arena_calloc(pb->tmp, pb->nlines + 1, sizeof *of);
    size_t *fill = arena_calloc(pb->tmp, pb->ncells + 1, sizeof *fill);
    if (!single || !start || !of || !fill)
        return -1;
    for (size_t l = 0; l < pb->nlines; l++) {
        const struct dc_line *x = &pb->lines[l];
        if (x->nmembers == 1 && x->total != SIZE_MAX && pb->cells[x->total].fixed)
            single[x->members[0]]++;
    }
    for (size_t i = 0; i < pb->ncells; i++)
        start[i + 1] = start[i] + single[i];
    for (size_t l = 0; l < pb->nlines; l++) {
        const struct dc_line *x = &pb->lines[l];
        if (x->nmembers == 1 && x->total != SIZE_MAX && pb->cells[x->total].fixed) {
            size_t i = x->members[0];
            of[start[i] + fill[i]++] = l;
        }
    }
    int made = 0;
    size_t nlines = pb->nlines;
    for (size_t l = 0; l < nlines; l++) {
        const struct dc_line *x = &pb->lines[l];
        if (!has_free(pb, x) ||
            dc_line_sound(pb->s->rules, pb->def->min_n, pb->def->agg == IND_AGG_PROPORTION,
                          pb->cells, pb->ncells, x))
            continue;
        size_t F = SIZE_MAX;
        for (size_t m = 0; m < x->nmembers; m++) {
            size_t i = x->members[m];
            if (!single[i] || pb->cells[i].reason != DC_SHOWN || pb->cells[i].fixed ||
                ORIGIN_KIND(pb->origin[i]) != k || (ORIGIN_REF(pb->origin[i]) & PH))
                continue;
            if (F == SIZE_MAX || pb->cells[i].units < pb->cells[F].units)
                F = i;
        }
        if (F == SIZE_MAX) {
            /* Nothing left to hide in the line: an empty cell hidden in it instead (another
             * code, or another period), which the reader must count with. */
            size_t M = SIZE_MAX;
            for (size_t m = 0; m < x->nmembers && M == SIZE_MAX; m++) {
                size_t i = x->members[m];
                if (!pb->cells[i].fixed && ORIGIN_KIND(pb->origin[i]) == k)
                    M = i;
            }
            if (M == SIZE_MAX || x->total == SIZE_MAX)
                continue;
            int rc = phantom_beside(pb, k, M, x);
            if (rc < 0)
                return -1;
            made += rc;
            continue;
        }
        for (size_t q = start[F]; q < start[F + 1]; q++) {
            const struct dc_line *y = &pb->lines[of[q]];
            int rc = phantom_beside(pb, k, F, y);
            if (rc < 0)
                return -1;
            made += rc;
        }
        single[F] = 0; /* once per figure in this round */
    }
    return made;
}

/* Decides one table of the block (the cells of kind k with constraint pattern mask). */
static int decide_table(struct problem *pb, int k, unsigned mask)
{
    struct kind_table *t = &pb->kt[k];
    size_t n = 0;
    for (size_t i = 0; i < t->r.ncells; i++)
        n += mask_of(&t->r.cells[i], pb->s->ndims) == mask;
    if (!n)
        return 0;
    /* The table's problem lives in the scratch arena, released after it. */
    struct arena_mark mark = arena_mark(pb->tmp);
    pb->capcells = pb->caporigin = pb->caplines = pb->cappool = 0;
    size_t cap = n + 16;
    size_t *refs = arena_calloc(pb->tmp, cap, sizeof *refs);
    if (!refs)
        return ERR_TOO_BIG;
    n = 0;
    for (size_t q = 0; q < t->r.ncells; q++)
        if (mask_of(&t->r.cells[q], pb->s->ndims) == mask)
            refs[n++] = q;
    size_t before = SIZE_MAX; /* lines left unresolved by the round before */
    for (int round = 0;; round++) {
        size_t nr = n;
        for (size_t q = 0; q < t->np; q++)
            if (mask_of(&t->pc[q], pb->s->ndims) == mask) {
                if (grow(pb->tmp, (void **)&refs, &cap, nr + 1, sizeof *refs))
                    return ERR_TOO_BIG;
                refs[nr++] = PH | q;
            }
        int rc = solve(pb, k, refs, nr, mask);
        if (rc)
            return rc;
        /* Phantoms that resolved nothing will not in the next round either: what they can
         * mend (a figure that equals its line's total) they mend at once; a line whose hidden
         * members add up to a small group no empty cell can mend. */
        if (pb->last_unresolved == 0 || pb->last_unresolved >= before ||
            round == MAX_PHANTOM_ROUNDS)
            break;
        before = pb->last_unresolved;
        int made = add_phantoms(pb, k);
        if (made < 0)
            return ERR_TOO_BIG;
        if (made == 0)
            break;
    }
    pb->unresolved += pb->last_unresolved;
    for (size_t q = 0; q < n; q++)
        t->dc[refs[q]].fixed = true;
    arena_reset_to(pb->tmp, mark);
    return 0;
}

/* ---- Blocks. ------------------------------------------------------------------------------- */

/*
 * A block (a year with its halves, quarters and months, or one period when figures do not add
 * up over time) shares no line with another block, so each is its own problem: the slice of
 * every kind table it holds, with its own index and phantoms. Large tables have many blocks,
 * which two threads take in turn; the decisions are the same as one after the other.
 */

size_t pt_two_min_cells = 2048; /* below this a second thread costs more than it saves */

/* Memory: a worker's scratch space (SCRATCH_CAP each for the block's problem and what lasts
 * while it is decided) is reset after every block, so the cap holds per block, not per
 * decision: a decision may use the kind tables' arena and two workers' scratch at once. */

/* What a block leaves behind: the phantoms of the finest kind, with their reasons. */
struct block_result {
    int rc;
    struct mx_cell *pc;
    enum dc_reason *reason;
    size_t np;
    size_t unresolved, phantoms, weak;
};

struct blocks {
    const struct pt_spec *s;
    const struct ind_def *def;
    struct kind_table *kt; /* the whole kind tables; a block writes only its own cells */
    int nk;
    int *ids; /* the blocks that hold cells, ascending */
    size_t nblocks;
    struct block_result *res;
    atomic_size_t next; /* the next block to take */
    size_t unresolved, phantoms, weak;
};

/* Decides block B->ids[bi] with keep and tmp (both reset after it); its phantoms go into out. */
static int decide_block(struct blocks *B, size_t bi, struct arena *keep, struct arena *tmp,
                        struct arena *out)
{
    struct block_result *res = &B->res[bi];
    int b = B->ids[bi];
    struct kind_table sub[MAX_KINDS];
    memset(sub, 0, sizeof sub);
    struct arena_mark km = arena_mark(keep);
    for (int ki = 0; ki < B->nk; ki++) {
        const struct kind_table *t = &B->kt[ki];
        size_t lo, hi;
        block_range(t, b, &lo, &hi);
        sub[ki].kind = t->kind;
        sub[ki].first = t->first;
        sub[ki].r = t->r;
        sub[ki].r.cells = t->r.cells + lo;
        sub[ki].r.ncells = hi - lo;
        sub[ki].dc = t->dc + lo;
        sub[ki].loc = t->loc + lo;
        memcpy(sub[ki].up, t->up, sizeof sub[ki].up);
        if (index_build(&sub[ki], keep, 0))
            return ERR_TOO_BIG;
    }
    struct problem pb = {.a = keep, .tmp = tmp, .s = B->s, .def = B->def, .kt = sub, .nk = B->nk};
    for (int ki = 0; ki < B->nk; ki++)
        for (int level = 0; level <= B->s->ndims; level++)
            for (unsigned mask = 0; mask < (1u << B->s->ndims); mask++) {
                if (__builtin_popcount(mask) != level)
                    continue;
                int rc = decide_table(&pb, ki, mask);
                if (rc)
                    return rc;
            }
    const struct kind_table *ft = &sub[B->nk - 1];
    res->np = ft->np;
    res->pc = arena_calloc(out, ft->np ? ft->np : 1, sizeof *res->pc);
    res->reason = arena_calloc(out, ft->np ? ft->np : 1, sizeof *res->reason);
    if (!res->pc || !res->reason)
        return ERR_TOO_BIG;
    for (size_t i = 0; i < ft->np; i++) {
        res->pc[i] = ft->pc[i];
        res->reason[i] = ft->pdc[i].reason;
    }
    res->unresolved = pb.unresolved;
    res->phantoms = pb.phantoms;
    res->weak = pb.weak;
    arena_reset_to(keep, km);
    return 0;
}

/* One thread's share: blocks taken in turn until none is left or one fails. */
struct block_worker {
    struct blocks *B;
    struct arena *out; /* the phantoms it found, read after the join */
};

static void *block_worker_main(void *arg)
{
    struct block_worker *w = arg;
    struct blocks *B = w->B;
    struct arena *keep = arena_new(SCRATCH_CAP), *tmp = arena_new(SCRATCH_CAP);
    for (;;) {
        size_t bi = atomic_fetch_add(&B->next, 1);
        if (bi >= B->nblocks)
            break;
        struct arena_mark tm = arena_mark(tmp);
        B->res[bi].rc = decide_block(B, bi, keep, tmp, w->out);
        arena_reset_to(tmp, tm);
        if (B->res[bi].rc) {
            atomic_store(&B->next, B->nblocks); /* the answer fails anyway */
            break;
        }
    }
    arena_free(tmp);
    arena_free(keep);
    return NULL;
}

static void free_arena(void *p)
{
    arena_free(p);
}

/* Decides every block of B's kind tables; the phantoms in B->res live in `a`. 0 or ERR_TOO_BIG. */
static int decide_blocks(struct blocks *B, struct arena *a)
{
    const struct kind_table *ft = &B->kt[B->nk - 1];
    B->ids = arena_alloc(a, (ft->r.ncells ? ft->r.ncells : 1) * sizeof *B->ids);
    if (!B->ids)
        return ERR_TOO_BIG;
    /* Every coarser cell is a sum of finest ones, so the finest kind holds every block. */
    for (size_t i = 0; i < ft->r.ncells; i++)
        if (B->nblocks == 0 || ft->block[i] != B->ids[B->nblocks - 1])
            B->ids[B->nblocks++] = ft->block[i];
    B->res = arena_calloc(a, B->nblocks ? B->nblocks : 1, sizeof *B->res);
    if (!B->res)
        return ERR_TOO_BIG;
    atomic_init(&B->next, 0);
    struct block_worker w[2] = {{B, a}, {B, NULL}};
    pthread_t t;
    bool two = mx_engine_scan_threads() > 1 && B->nblocks > 1 && ft->r.ncells >= pt_two_min_cells;
    if (two) {
        w[1].out = arena_new(SCRATCH_CAP);
        two = pthread_create(&t, NULL, block_worker_main, &w[1]) == 0;
        if (!two)
            arena_free(w[1].out);
    }
    block_worker_main(&w[0]);
    if (two) {
        pthread_join(t, NULL);
        /* its phantoms move into `a`, whose lifetime the caller knows */
        arena_defer(a, free_arena, w[1].out);
    }
    int rc = 0;
    for (size_t bi = 0; bi < B->nblocks; bi++) {
        if (!rc)
            rc = B->res[bi].rc;
        B->unresolved += B->res[bi].unresolved;
        B->phantoms += B->res[bi].phantoms;
        B->weak += B->res[bi].weak;
    }
    /* A block never taken (another failed first) has rc 0 and no result: only fail counts. */
    return rc;
}

/* ---- The whole lattice. -------------------------------------------------------------------- */

static int order_cmp(const void *x, const void *y)
{
    return cell_cmp(&sort_cells[*(const size_t *)x], &sort_cells[*(const size_t *)y]);
}

/* The cache key of a spec: everything a decision depends on but the periods (protect_cache.h).
 * Codes are length-prefixed, so no code can pose as a separator. NULL for previews (unsaved
 * definitions are not cached) or when the key would be unreasonably long. */
static char *cache_key(struct mx_engine *eng, const struct pt_spec *s, struct arena *a)
{
    if (s->preview)
        return NULL;
    struct mx_engine_stats st;
    mx_engine_get_stats(eng, &st);
    struct buf b;
    buf_init(&b, BUF_MAX_SMALL);
    int rc = buf_appendf(&b, "g%" PRIu64 " i%" PRId64 " r%d,%d,%d,%d k%d d", st.generation,
                         s->ind_id, s->rules->min_count, s->rules->min_denominator,
                         s->rules->round_to, s->rules->min_benchmark, (int)s->kind);
    for (int j = 0; j < s->ndims && !rc; j++)
        rc = buf_appendf(&b, "%d,", (int)s->dims[j]);
    for (int d = 0; d < MX_DIM__COUNT && s->scope && !rc; d++)
        for (size_t c = 0; c < s->scope[d].n && !rc; c++) {
            const char *code = s->scope[d].codes[c] ? s->scope[d].codes[c] : "";
            rc = buf_appendf(&b, " s%d:%zu:%s", d, strlen(code), code);
        }
    char *key = rc ? NULL : arena_strdup(a, buf_cstr(&b));
    buf_release(&b);
    return key;
}

/* The answer from a cached table, when there is one. */
static bool from_cache(struct mx_engine *eng, const struct pt_spec *s, const char *key,
                       struct arena *a, struct pt_table *out)
{
    struct pc_table c;
    if (!key || !pc_get(key, s->first, s->last, a, &c))
        return false;
    const struct ind_def *def = mx_engine_definition(eng, s->ind_id, NULL, a);
    if (!def)
        return false;
    out->def = def;
    out->ndims = s->ndims;
    for (int j = 0; j < s->ndims; j++)
        out->dims[j] = s->dims[j];
    out->periods = (struct period *)c.periods;
    out->nperiods = c.nperiods;
    out->first_idx = 0;
    out->cells = c.cells;
    out->reason = c.reason;
    out->ncells = c.ncells;
    out->unresolved = c.unresolved;
    out->phantoms = c.phantoms;
    out->weak_phantoms = c.weak_phantoms;
    return true;
}

/* The decision proper, with keep (kind tables, coarser results) and tmp (the blocks' phantoms,
 * the whole table for the cache) as private arenas; only the table asked for goes into a. */
static int decide(struct mx_engine *eng, const struct pt_spec *s, struct arena *a,
                  struct arena *keep, struct arena *tmp, struct pt_table *out, struct err_ctx *e)
{
    struct kind_table kt[MAX_KINDS];
    memset(kt, 0, sizeof kt);
    struct period first = s->first, last = s->last;
    char *key = cache_key(eng, s, tmp);
    if (from_cache(eng, s, key, a, out))
        return 0;
    const struct ind_def *def = s->preview;
    if (!def) {
        int version = 0;
        def = mx_engine_definition(eng, s->ind_id, &version, keep);
        if (!def)
            return err_set(e, ERR_NOT_FOUND, NULL, "%s", _("Deze indicator bestaat niet."));
    }
    bool additive = pt_adds_up_over_time(def);
    enum period_kind chain[MAX_KINDS];
    int nk = 0;
    if (additive) {
        /* Whole years at every kind from the year down to the one asked for. */
        for (int k = PERIOD_YEAR; k >= (int)s->kind; k--)
            chain[nk++] = (enum period_kind)k;
    } else {
        chain[nk++] = s->kind;
    }
    /* One engine query, for the kind asked for (whole years when figures add up over time);
     * the answer copies what it shows into the caller's arena. The coarser kinds
     * are its sums: every row lies in one period of each kind, and the engine classifies a
     * row once, whatever the period asked for. */
    for (int ki = nk - 1; ki >= 0; ki--) {
        enum period_kind k = chain[ki];
        struct period f = first, l = last;
        if (additive) {
            f = from_ord(k, (int64_t)first.year * period_per_year(k));
            l = from_ord(k, (int64_t)last.year * period_per_year(k) + period_per_year(k) - 1);
        }
        if (ki == nk - 1) {
            int rc = query_kind(eng, s, k, f, l, keep, &kt[ki].r, e);
            if (rc)
                return rc;
        } else if (sum_up(&kt[nk - 1].r, k, f, l, keep, &kt[ki].r)) {
            return err_set(e, ERR_TOO_BIG, NULL, "%s", _("De opvraag is te groot."));
        }
        kt[ki].kind = k;
        kt[ki].first = f;
        struct mx_result *r = &kt[ki].r;
        if (!mx_cells_in_order(r->cells, r->ncells)) /* the sums of coarser kinds are not */
            qsort(r->cells, r->ncells, sizeof *r->cells, cell_cmp);
        kt[ki].dc = arena_calloc(keep, r->ncells ? r->ncells : 1, sizeof *kt[ki].dc);
        kt[ki].block = arena_calloc(keep, r->ncells ? r->ncells : 1, sizeof *kt[ki].block);
        kt[ki].loc = arena_alloc(keep, (r->ncells ? r->ncells : 1) * sizeof *kt[ki].loc);
        if (!kt[ki].dc || !kt[ki].block || !kt[ki].loc)
            return err_set(e, ERR_TOO_BIG, NULL, "%s", _("De opvraag is te groot."));
        bool pct = r->def ? r->def->agg == IND_AGG_PROPORTION : false;
        for (size_t i = 0; i < r->ncells; i++) {
            const struct mx_cell *c = &r->cells[i];
            kt[ki].dc[i] = (struct dc_cell){c->n, pct ? c->den : 0, -1, DC_SHOWN, false};
            struct period p = r->periods[c->period_idx];
            kt[ki].block[i] = additive ? p.year - first.year : c->period_idx;
            kt[ki].loc[i] = -1;
        }
    }
    for (int ki = 1; ki < nk; ki++)
        for (int kc = 0; kc < ki; kc++) {
            int np = kt[ki].r.nperiods;
            kt[ki].up[kc] = arena_alloc(keep, (size_t)(np ? np : 1) * sizeof *kt[ki].up[kc]);
            if (!kt[ki].up[kc])
                return err_set(e, ERR_TOO_BIG, NULL, "%s", _("De opvraag is te groot."));
            for (int p = 0; p < np; p++)
                kt[ki].up[kc][p] = (int32_t)coarse_ord(&kt[ki], &kt[kc], p);
        }
    struct kind_table *ft = &kt[nk - 1];
    if (!ft->r.def)
        return err_set(e, ERR_INTERNAL, NULL, "%s", _("De indicator kon niet worden berekend."));
    def = ft->r.def;

    struct blocks B = {.s = s, .def = def, .kt = kt, .nk = nk};
    int rc = decide_blocks(&B, tmp);
    if (rc)
        return err_set(e, rc, NULL, "%s", _("De opvraag is te groot."));

    /* The whole table of the kind asked for, figures and phantoms in one sorted array, kept in
     * the cache; the answer is the slice of the periods asked for, in the caller's arena. The
     * figures are in order; the phantoms (far fewer) are sorted here and merged with them. */
    size_t nph = 0;
    for (size_t bi = 0; bi < B.nblocks; bi++)
        nph += B.res[bi].np;
    size_t n = ft->r.ncells + nph;
    struct mx_cell *ph = arena_calloc(tmp, nph ? nph : 1, sizeof *ph);
    enum dc_reason *phr = arena_calloc(tmp, nph ? nph : 1, sizeof *phr);
    size_t *order = arena_calloc(tmp, nph ? nph : 1, sizeof *order);
    struct mx_cell *sorted = arena_calloc(tmp, n ? n : 1, sizeof *sorted);
    enum dc_reason *rs = arena_calloc(tmp, n ? n : 1, sizeof *rs);
    if (!ph || !phr || !order || !sorted || !rs)
        return err_set(e, ERR_TOO_BIG, NULL, "%s", _("De opvraag is te groot."));
    size_t q = 0;
    for (size_t bi = 0; bi < B.nblocks; bi++)
        for (size_t i = 0; i < B.res[bi].np; i++, q++) {
            ph[q] = B.res[bi].pc[i];
            phr[q] = B.res[bi].reason[i];
            order[q] = q;
        }
    sort_cells = ph; /* the reasons ride along through an index */
    qsort(order, nph, sizeof *order, order_cmp);
    sort_cells = NULL;
    for (size_t i = 0, f = 0, p = 0; i < n; i++) {
        bool figure =
            p == nph || (f < ft->r.ncells && cell_cmp(&ft->r.cells[f], &ph[order[p]]) < 0);
        if (figure) {
            sorted[i] = ft->r.cells[f];
            rs[i] = ft->dc[f++].reason;
        } else {
            sorted[i] = ph[order[p]];
            rs[i] = phr[order[p++]];
        }
    }
    struct pc_table whole = {.periods = ft->r.periods,
                             .nperiods = ft->r.nperiods,
                             .cells = sorted,
                             .reason = rs,
                             .ncells = n,
                             .unresolved = B.unresolved,
                             .phantoms = B.phantoms,
                             .weak_phantoms = B.weak};
    if (key)
        pc_put(key, &whole);

    struct pc_table slice;
    def = s->preview ? s->preview : mx_engine_definition(eng, s->ind_id, NULL, a);
    if (!def || !pc_slice(&whole, s->first, s->last, a, &slice))
        return err_set(e, ERR_TOO_BIG, NULL, "%s", _("De opvraag is te groot."));
    out->def = def;
    out->ndims = s->ndims;
    for (int j = 0; j < s->ndims; j++)
        out->dims[j] = s->dims[j];
    out->periods = (struct period *)slice.periods;
    out->nperiods = slice.nperiods;
    out->first_idx = 0;
    out->cells = slice.cells;
    out->reason = slice.reason;
    out->ncells = slice.ncells;
    out->unresolved = B.unresolved;
    out->phantoms = B.phantoms;
    out->weak_phantoms = B.weak;
    return 0;
}

int pt_decide(struct mx_engine *eng, const struct pt_spec *s, struct arena *a, struct pt_table *out,
              struct err_ctx *e)
{
    memset(out, 0, sizeof *out);
    if (!eng || !s || s->ndims < 0 || s->ndims > MX_MAX_BY || s->first.kind != s->kind ||
        s->last.kind != s->kind || period_ordinal(s->first) > period_ordinal(s->last))
        return err_set(e, ERR_INVALID, NULL, "%s", _("Ongeldige opvraag van cijfers."));
    struct arena *keep = arena_new(SCRATCH_CAP), *tmp = arena_new(SCRATCH_CAP);
    int rc = decide(eng, s, a, keep, tmp, out, e);
    arena_free(tmp);
    arena_free(keep);
    if (rc)
        memset(out, 0, sizeof *out);
    return rc;
}
