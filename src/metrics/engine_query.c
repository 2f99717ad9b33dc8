/*
 * engine_query.c: answering a query (mx_query) by one scan over a definition's class column and
 * the row columns, and the codes of a dimension (mx_dim_values). Rules: docs/indicators.md
 * ("Rekenregels"), the same the SQL oracle follows.
 *
 * A cell is a period and up to two breakdown codes. Its id is p * K + r0 * nk1 + r1, where r is
 * the code's position in sort order (engine_rank_dims) and the position nk - 1 stands for the
 * margin (the total over that dimension), so ids run in output order: period, first code,
 * second code, totals last. Nothing is sorted at the end.
 *
 * Two ways to count:
 * - dense, when the id space is small enough for plain arrays (nearly every query): one array
 *   per figure (den, num, last person). The scan visits only the rows of the population (the
 *   2-bit class column, 32 rows per word) and has no data-dependent branches: rows outside the
 *   periods or the filters count into a trash period that is never read. An 'actief' row adds
 *   +1 at its first period and -1 after its last (prefix sums afterwards) instead of touching
 *   every period it spans; distinct persons over 'actief' count a row directly unless it shares
 *   a period with another row of its person (the share column), and merge the periods of those
 *   per person and cell. Additive margins are summed from the cells afterwards.
 * - sparse, for huge breakdowns (gebied x aanbieder over many periods): an open-address hash of
 *   cells, the ids radix-sorted at the end.
 * Medians: per-cell histograms in the one pass when the definition's value range times the
 * cells is small; else a count, a second pass scattering the values into one slice per cell,
 * and a selection (by counting when the values lie close together).
 * The scan allocates nothing per row, does no I/O and makes no indirect calls.
 */
#include "core/common.h"
#include "core/xalloc.h"
#include "metrics/engine_internal.h"
#include "metrics/expr.h"
#include "metrics/stats.h"
#include <math.h>
#include <pthread.h>

#define MAX_PERIODS 240
#define POP_DEN     2520 /* lcm(1..10): exact band shares for bands up to 10 years wide */

#define ALWAYS_INLINE inline __attribute__((always_inline))

/* 2M cells: 8 MB of counts; gemeente x aanbieder x 40 quarters (4M) takes the hash, unless the
 * estimate of its cells says they fill the arrays well (run_query) */
uint64_t engine_dense_max = UINT64_C(1) << 21;
#define DENSE_FILLED_MAX (UINT64_C(1) << 24) /* plain arrays for well-filled tables up to here */
#define HASH_CELL_BYTES  48                  /* a hash slot, at half load, per cell */

int engine_scan_threads = 2;
int engine_sieve = 1;
size_t engine_two_min_rows = 131072; /* below this a second thread costs more than it saves */

enum mode { M_COUNT, M_PROP, M_SUM, M_DISTINCT, M_SCATTER };

/* What a scan needs, resolved once per query. */
struct plan {
    const struct mx_rows *r;
    const uint8_t *cls;
    const int32_t *val;
    bool span;           /* anchor actief: a row counts in every period it overlaps */
    const int32_t *date; /* other anchors: the start, end or response date */
    day_t base, top;     /* first day of the first period, last day of the last */
    uint32_t ndays;      /* top - base + 1 */
    const uint8_t *ptab; /* day - base -> period; ptab[ndays] = trash */
    uint32_t nper;       /* periods; the row nper is the trash (and the end of spans) */
    int nby;
    const uint16_t *col[MX_MAX_BY];
    const uint32_t *rk[MX_MAX_BY]; /* code -> rank */
    uint64_t nk[MX_MAX_BY];        /* ranks + 1 (the margin); 1 when absent */
    uint64_t K;                    /* keys per period */
    int nw;
    const uint16_t *wcol[MX_DIM__COUNT];
    const uint8_t *wallow[MX_DIM__COUNT];
    bool sieve;        /* sieve every word of rows by date before the body (in_range_word) */
    bool margins;      /* the query wants margins (nby >= 1) */
    bool first_only;   /* of them only the totals over by[0] (mx_query.first_margins_only) */
    uint8_t share_bit; /* the period kind's bit of the rows' share column */
    enum mode mode;
    bool median;
    size_t lo, hi; /* the rows to scan: all, or one thread's share (split between persons) */
};

/* 32 classes of the column from byte b (the column has nb bytes; bits past the rows are 0). */
static ALWAYS_INLINE uint64_t load_word(const uint8_t *cls, size_t b, size_t nb)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t w = 0;
    memcpy(&w, cls + b, nb - b >= 8 ? 8 : nb - b);
    return w;
#else
    uint64_t w = 0;
    for (size_t k = 0; k < 8 && b + k < nb; k++)
        w |= (uint64_t)cls[b + k] << (8 * k);
    return w;
#endif
}

/* Set bits of x (the build targets plain x86-64, where the builtin is a library call). */
static ALWAYS_INLINE unsigned popcount64(uint64_t x)
{
    x = x - ((x >> 1) & UINT64_C(0x5555555555555555));
    x = (x & UINT64_C(0x3333333333333333)) + ((x >> 2) & UINT64_C(0x3333333333333333));
    x = (x + (x >> 4)) & UINT64_C(0x0f0f0f0f0f0f0f0f);
    return (unsigned)((x * UINT64_C(0x0101010101010101)) >> 56);
}

/* Whether row i passes the query's filters. */
static ALWAYS_INLINE unsigned passes(const struct plan *P, size_t i)
{
    unsigned ok = 1;
    for (int f = 0; f < P->nw; f++)
        ok &= P->wallow[f][P->wcol[f][i]];
    return ok;
}

/* The periods [*p0, *p1] row i of an 'actief' definition overlaps; false when none. Written
 * without branches: whether a row is in range is data, not control flow. */
static ALWAYS_INLINE bool span_of(const struct plan *P, size_t i, uint32_t *p0, uint32_t *p1)
{
    const int64_t nd = P->ndays;
    int64_t st = P->r->start[i], en = P->r->end[i];
    en = en == DAY_NONE ? INT32_MAX : en;
    int64_t so = st - P->base, eo = en - P->base;
    bool in = (so < nd) & (eo >= 0);
    so = so < 0 ? 0 : so;
    so = so >= nd ? nd - 1 : so;
    eo = eo >= nd ? nd - 1 : eo;
    eo = eo < 0 ? 0 : eo;
    *p0 = P->ptab[so];
    *p1 = P->ptab[eo];
    return in;
}

/* The period of row i of a definition with one anchor date; the trash when outside. */
static ALWAYS_INLINE uint32_t period_of_row(const struct plan *P, size_t i)
{
    uint32_t off = (uint32_t)P->date[i] - (uint32_t)P->base;
    return P->ptab[off < P->ndays ? off : P->ndays];
}

/* Each of the low 32 bits of m twice: row j's bit to bits 2j and 2j + 1 (the class word's
 * layout). */
static ALWAYS_INLINE uint64_t spread_bits(uint32_t m)
{
    uint64_t x = m;
    x = (x | (x << 16)) & UINT64_C(0x0000FFFF0000FFFF);
    x = (x | (x << 8)) & UINT64_C(0x00FF00FF00FF00FF);
    x = (x | (x << 4)) & UINT64_C(0x0F0F0F0F0F0F0F0F);
    x = (x | (x << 2)) & UINT64_C(0x3333333333333333);
    x = (x | (x << 1)) & UINT64_C(0x5555555555555555);
    return x | (x << 1);
}

/*
 * The rows r0..r0+31 (below n) that lie in the query's days, as a mask over the class word.
 * Whether a row is in range is data the loop bodies test row by row; for a question over a
 * few periods most rows are not, and that test then mispredicts every few rows. Here it is a
 * straight loop over the dates (the compiler makes it vector code), so the bodies only see
 * rows that count. Exactly the rows span_of and period_of_row accept.
 */
static ALWAYS_INLINE uint64_t in_range_word(const struct plan *P, size_t r0, size_t n)
{
    const unsigned cnt = n - r0 < 32 ? (unsigned)(n - r0) : 32;
    uint32_t m = 0;
    if (P->span) {
        const int32_t *st = P->r->start + r0, *en = P->r->end + r0;
        const int32_t base = P->base, top = P->top;
        for (unsigned j = 0; j < cnt; j++)
            m |= (uint32_t)((st[j] <= top) & ((en[j] >= base) | (en[j] == DAY_NONE))) << j;
    } else {
        const int32_t *dt = P->date + r0;
        const uint32_t base = (uint32_t)P->base, nd = P->ndays;
        for (unsigned j = 0; j < cnt; j++)
            m |= (uint32_t)((uint32_t)dt[j] - base < nd) << j;
    }
    return spread_bits(m);
}

#define SIEVE_SAMPLE_STRIDE 64 /* words of rows per word looked at */

/* Whether the sieve pays: it costs a second look at every member's dates and saves the
 * bodies' mispredicted tests, so it is worth it when a good part of the members lies outside
 * the days asked for. A sample of every 64th word of rows tells. */
static bool sieve_pays(const struct plan *P)
{
    const size_t n = P->r->n, nb = (n + 3) / 4;
    uint64_t members = 0, inside = 0;
    for (size_t b = (P->lo / 32) * 8; b < nb && b * 4 < P->hi; b += 8 * SIEVE_SAMPLE_STRIDE) {
        uint64_t w = load_word(P->cls, b, nb);
        if (!w)
            continue;
        uint64_t any = (w | (w >> 1)) & UINT64_C(0x5555555555555555);
        members += popcount64(any);
        inside += popcount64(any & in_range_word(P, b * 4, n));
    }
    return members > 0 && inside * 4 < members * 3; /* more than a quarter outside */
}

/* The periods [*p0, *p1] row i counts in and its codes' ranks; false when it counts nowhere
 * (outside the periods or the filters). For the passes that test rows one by one anyway:
 * medians' values, the hash, the estimate of its cells. */
static ALWAYS_INLINE bool row_cells(const struct plan *P, size_t i, uint32_t *p0, uint32_t *p1,
                                    uint64_t *k0, uint64_t *k1)
{
    if (P->span) {
        if (!span_of(P, i, p0, p1))
            return false;
    } else {
        *p0 = *p1 = period_of_row(P, i);
        if (*p0 == P->nper)
            return false;
    }
    if (!passes(P, i))
        return false;
    *k0 = P->nby >= 1 ? P->rk[0][P->col[0][i]] : 0;
    *k1 = P->nby == 2 ? P->rk[1][P->col[1][i]] : 0;
    return true;
}

/* ---- Dense counting. ------------------------------------------------------------------------- */

/*
 * Every row of the population within the plan's row range [lo, hi) (and, with the sieve, within
 * the days asked for), i and its class cl (1 or 2), in row order. A word of 32 rows that are all
 * members is walked row by row; any other word bit by bit, so that the bodies never see a row
 * that is not a member: a test per row whether it is one mispredicts as often as members and
 * others alternate (walking mostly-member words row by row, as this did before, cost a fifth
 * of the scans). The body (the macro's last arguments) may `continue`.
 */
#define FOR_MEMBERS(P, ...)                                                                        \
    do {                                                                                           \
        const size_t n_ = (P)->r->n, nb_ = (n_ + 3) / 4, lo_ = (P)->lo, hi_ = (P)->hi;             \
        for (size_t b_ = (lo_ / 32) * 8; b_ < nb_ && b_ * 4 < hi_; b_ += 8) {                      \
            uint64_t w_ = load_word((P)->cls, b_, nb_);                                            \
            const size_t r0_ = b_ * 4;                                                             \
            /* a word at the edge of the row range: only its rows inside count */                  \
            const bool edge_ = r0_ < lo_ || r0_ + 32 > hi_;                                        \
            if (edge_) {                                                                           \
                if (r0_ < lo_)                                                                     \
                    w_ &= ~UINT64_C(0) << (2 * (lo_ - r0_));                                       \
                if (r0_ + 32 > hi_)                                                                \
                    w_ &= (UINT64_C(1) << (2 * (hi_ - r0_))) - 1;                                  \
            }                                                                                      \
            if (w_ && (P)->sieve)                                                                  \
                w_ &= in_range_word((P), r0_, n_);                                                 \
            if (!w_)                                                                               \
                continue;                                                                          \
            uint64_t any_ = (w_ | (w_ >> 1)) & UINT64_C(0x5555555555555555);                       \
            if (!edge_ && popcount64(any_) == 32) {                                                \
                for (unsigned j_ = 0; j_ < 32; j_++) {                                             \
                    const size_t i = r0_ + j_;                                                     \
                    const unsigned cl = (unsigned)(w_ >> (2 * j_)) & 3u;                           \
                    (void)cl; /* 1 or 2; not every body needs it */                                \
                    __VA_ARGS__                                                                    \
                }                                                                                  \
            } else {                                                                               \
                while (w_) {                                                                       \
                    const unsigned sh_ = (unsigned)__builtin_ctzll(w_) & ~1u;                      \
                    const unsigned cl = (unsigned)(w_ >> sh_) & 3u;                                \
                    (void)cl;                                                                      \
                    const size_t i = r0_ + sh_ / 2;                                                \
                    w_ &= ~(UINT64_C(3) << sh_);                                                   \
                    __VA_ARGS__                                                                    \
                }                                                                                  \
            }                                                                                      \
        }                                                                                          \
        (void)n_;                                                                                  \
    } while (0)

struct dense {
    uint64_t K;
    unsigned lshift; /* lanes: 1 << lshift copies of every cell, row i counting into lane i % L,
                        so that rows adding to the same few cells do not wait on each other */
    /* 'actief' counts key-major (key x (periods + 1)) while scanning: a row's +1 and -1 then
     * mostly fall in one cache line; transposed to period-major afterwards */
    bool kmajor;
    uint64_t rows; /* periods + 1 */
    uint32_t *den;
    uint32_t *num32; /* M_PROP */
    int64_t *num64;  /* M_SUM */
    uint32_t *last;  /* M_DISTINCT: the person counted last in the cell */
    uint32_t *cur;   /* medians: write position of the cell's values */
};

/* The cell key of row i: r0 * nk1 + r1 (0 without breakdown). */
static ALWAYS_INLINE uint64_t key_of(const struct plan *P, size_t i, const int NBY, uint64_t *k0,
                                     uint64_t *k1)
{
    *k0 = NBY >= 1 ? P->rk[0][P->col[0][i]] : 0;
    *k1 = NBY == 2 ? P->rk[1][P->col[1][i]] : 0;
    return *k0 * P->nk[1] + *k1;
}

static ALWAYS_INLINE void distinct_add(uint32_t *den, uint32_t *last, uint64_t id, uint32_t pid)
{
    den[id] += last[id] != pid;
    last[id] = pid;
}

/* One anchor date: every row of the population adds to one cell (distinct persons also to the
 * margins: rows are in person order, so a cell counts a person when it differs from the last).
 * Rows outside the periods or the filters count into the trash period. */
static ALWAYS_INLINE void scan_single(const struct plan *P, struct dense *D, const enum mode M,
                                      const int NBY)
{
    const int32_t *val = P->val;
    const uint32_t *person = P->r->person;
    const uint64_t K = D->K, nk1 = P->nk[1], m0 = P->nk[0] - 1, m1 = P->nk[1] - 1;
    const unsigned ls = D->lshift;
    const uint64_t lm = ((uint64_t)1 << ls) - 1;
    const uint32_t trash = P->nper;
    const bool filters = P->nw > 0, margins = M == M_DISTINCT && NBY > 0 && P->margins;
    uint32_t *den = D->den, *num32 = D->num32, *last = D->last;
    int64_t *num64 = D->num64;
    FOR_MEMBERS(P, {
        uint64_t p = period_of_row(P, i);
        if (filters)
            p = passes(P, i) ? p : trash;
        uint64_t k0, k1, k = key_of(P, i, NBY, &k0, &k1);
        uint64_t pk = p * K, id = ((pk + k) << ls) | (i & lm);
        switch (M) {
        case M_PROP:
            den[id]++;
            num32[id] += cl >> 1;
            break;
        case M_SUM:
            den[id]++;
            num64[id] += val[i];
            break;
        case M_DISTINCT: {
            uint32_t pid = person[i];
            distinct_add(den, last, id, pid);
            if (margins) {
                if (NBY == 1) {
                    distinct_add(den, last, pk + m0, pid);
                } else {
                    distinct_add(den, last, pk + k0 * nk1 + m1, pid);
                    distinct_add(den, last, pk + m0 * nk1 + k1, pid);
                    distinct_add(den, last, pk + m0 * nk1 + m1, pid);
                }
            }
            break;
        }
        default:
            den[id]++;
            break;
        }
    });
}

/* 'actief', additive figures: +1 in the first period of the row, -1 in the one after its last
 * (rows that do not count put both into the trash row); prefix sums follow. */
static ALWAYS_INLINE void scan_span(const struct plan *P, struct dense *D, const enum mode M,
                                    const int NBY)
{
    const int32_t *val = P->val;
    const uint64_t rows = D->rows; /* key-major: see struct dense */
    const unsigned ls = D->lshift;
    const uint64_t lm = ((uint64_t)1 << ls) - 1;
    const uint32_t trash = P->nper;
    const bool filters = P->nw > 0;
    uint32_t *den = D->den, *num32 = D->num32;
    int64_t *num64 = D->num64;
    FOR_MEMBERS(P, {
        uint32_t p0, p1;
        bool in = span_of(P, i, &p0, &p1);
        if (filters)
            in &= passes(P, i) != 0;
        uint64_t a = in ? p0 : trash, z = in ? p1 + 1 : trash;
        uint64_t k0, k1, k = key_of(P, i, NBY, &k0, &k1);
        uint64_t ia = ((k * rows + a) << ls) | (i & lm), iz = ((k * rows + z) << ls) | (i & lm);
        den[ia]++;
        den[iz]--;
        if (M == M_PROP) {
            num32[ia] += cl >> 1;
            num32[iz] -= cl >> 1;
        } else if (M == M_SUM) {
            num64[ia] += val[i];
            num64[iz] -= val[i];
        }
    });
}

/* ---- Distinct persons over 'actief'. ---------------------------------------------------------
 * A person counts once in a cell's period however many of their rows are active in it. A row
 * that shares no period of the query's kind with another row of its person (the share column;
 * most rows) adds its periods as scan_span does, to its cell and the margins. For the others,
 * which come in person order, the periods are collected as bit sets per key (cell and margin
 * cells), and each run of periods in a set is added once when the person ends. */

#define PWORDS ((MAX_PERIODS + 63) / 64)

struct person_key {
    uint64_t key;
    uint64_t bits[PWORDS];
};

static ALWAYS_INLINE void diff_add(const struct dense *D, uint64_t key, uint32_t p0, uint32_t p1,
                                   uint64_t lane)
{
    D->den[((key * D->rows + p0) << D->lshift) | lane]++;
    D->den[((key * D->rows + p1 + 1) << D->lshift) | lane]--;
}

/* Sets the bits p0..p1 of b. */
static ALWAYS_INLINE void bits_set(uint64_t *b, uint32_t p0, uint32_t p1, unsigned nw)
{
    for (unsigned w = 0; w < nw; w++) {
        uint32_t lo = w * 64, hi = lo + 63;
        if (p1 < lo || p0 > hi)
            continue;
        uint32_t a = p0 > lo ? p0 - lo : 0, z = p1 < hi ? p1 - lo : 63;
        b[w] |= (~UINT64_C(0) << a) & (~UINT64_C(0) >> (63 - z));
    }
}

/* Adds every run of set bits of e as one stretch. */
static void bits_flush(const struct dense *D, const struct person_key *e, unsigned nw,
                       uint64_t lane)
{
    for (unsigned w = 0; w < nw; w++) {
        uint64_t b = e->bits[w];
        uint64_t below = w > 0 ? e->bits[w - 1] >> 63 : 0;    /* bit just before */
        uint64_t above = w + 1 < nw ? e->bits[w + 1] & 1 : 0; /* bit just after */
        uint64_t starts = b & ~((b << 1) | below);
        uint64_t ends = b & ~((b >> 1) | (above << 63));
        while (starts) {
            uint64_t p = (uint64_t)w * 64 + (uint64_t)__builtin_ctzll(starts);
            D->den[((e->key * D->rows + p) << D->lshift) | lane]++;
            starts &= starts - 1;
        }
        while (ends) {
            uint64_t p = (uint64_t)w * 64 + (uint64_t)__builtin_ctzll(ends) + 1;
            D->den[((e->key * D->rows + p) << D->lshift) | lane]--;
            ends &= ends - 1;
        }
    }
}

/* The key of target t (0 the cell itself; 1-3 its margins) for ranks r0, r1. */
static ALWAYS_INLINE uint64_t target_key(const struct plan *P, const int NBY, int t, uint64_t r0,
                                         uint64_t r1)
{
    const uint64_t nk1 = P->nk[1], m0 = P->nk[0] - 1, m1 = P->nk[1] - 1;
    if (NBY == 0)
        return 0;
    if (NBY == 1)
        return t == 0 ? r0 : m0;
    switch (t) {
    case 0:
        return r0 * nk1 + r1;
    case 1:
        return r0 * nk1 + m1;
    case 2:
        return m0 * nk1 + r1;
    default:
        return m0 * nk1 + m1;
    }
}

/* Adds every run of set bits of a one-word period set as one stretch. */
static ALWAYS_INLINE void mask_flush(const struct dense *D, uint64_t key, uint64_t b, uint64_t lane)
{
    uint64_t starts = b & ~(b << 1), ends = b & ~(b >> 1);
    while (starts) {
        uint64_t p = (uint64_t)__builtin_ctzll(starts);
        D->den[((key * D->rows + p) << D->lshift) | lane]++;
        starts &= starts - 1;
    }
    while (ends) {
        uint64_t p = (uint64_t)__builtin_ctzll(ends) + 1;
        D->den[((key * D->rows + p) << D->lshift) | lane]--;
        ends &= ends - 1;
    }
}

/* The current person's keys (per target) with their periods: up to 64 periods as one word. */
struct person_masks {
    uint64_t *key[4], *mask[4];
    size_t n[4], cap;
};

static void pm_grow(struct person_masks *pm)
{
    pm->cap = pm->cap ? pm->cap * 2 : 16;
    for (int t = 0; t < 4; t++) {
        pm->key[t] = xrealloc(pm->key[t], pm->cap * sizeof *pm->key[t]);
        pm->mask[t] = xrealloc(pm->mask[t], pm->cap * sizeof *pm->mask[t]);
    }
}

static void pm_free(struct person_masks *pm)
{
    for (int t = 0; t < 4; t++) {
        free(pm->key[t]);
        free(pm->mask[t]);
    }
}

static ALWAYS_INLINE void scan_span_distinct(const struct plan *P, struct dense *D, const int NBY,
                                             const bool ONEWORD)
{
    const uint32_t *person = P->r->person;
    const uint8_t *share = P->r->share, bit = P->share_bit;
    const uint64_t lm = ((uint64_t)1 << D->lshift) - 1;
    const int ntargets = NBY == 0 || !P->margins ? 1 : NBY == 1 ? 2 : 4;
    const unsigned nw = (P->nper + 63) / 64;
    struct person_key *ent = NULL; /* more than 64 periods: keys with their period sets */
    struct person_masks pm = {0};
    size_t nent = 0, cap = 0;
    uint32_t who = 0;
    uint64_t lane = 0;
    if (ONEWORD)
        pm_grow(&pm);
    FOR_MEMBERS(P, {
        uint32_t p0, p1;
        if (!span_of(P, i, &p0, &p1) || !passes(P, i))
            continue;
        uint64_t k0, k1;
        (void)key_of(P, i, NBY, &k0, &k1);
        if (!(share[i] & bit)) {
            /* no other row of the person in these periods */
            for (int t = 0; t < ntargets; t++)
                diff_add(D, target_key(P, NBY, t, k0, k1), p0, p1, i & lm);
            continue;
        }
        uint32_t pid = person[i];
        if (pid != who) {
            if (ONEWORD) {
                for (int t = 0; t < ntargets; t++) {
                    for (size_t x = 0; x < pm.n[t]; x++)
                        mask_flush(D, pm.key[t][x], pm.mask[t][x], lane);
                    pm.n[t] = 0;
                }
            } else {
                for (size_t x = 0; x < nent; x++)
                    bits_flush(D, &ent[x], nw, lane);
                nent = 0;
            }
            who = pid;
            lane = i & lm;
        }
        if (ONEWORD) {
            uint64_t m = (~UINT64_C(0) << p0) & (~UINT64_C(0) >> (63 - p1));
            for (int t = 0; t < ntargets; t++) {
                uint64_t key = target_key(P, NBY, t, k0, k1);
                size_t x = 0, nx = pm.n[t];
                const uint64_t *ks = pm.key[t];
                while (x < nx && ks[x] != key)
                    x++;
                if (x == nx) {
                    if (nx == pm.cap)
                        pm_grow(&pm);
                    pm.key[t][nx] = key;
                    pm.mask[t][nx] = 0;
                    pm.n[t]++;
                }
                pm.mask[t][x] |= m;
            }
            continue;
        }
        for (int t = 0; t < ntargets; t++) {
            uint64_t key = target_key(P, NBY, t, k0, k1);
            size_t x = 0;
            while (x < nent && ent[x].key != key)
                x++;
            if (x == nent) {
                if (nent == cap) {
                    cap = cap ? cap * 2 : 64;
                    ent = xrealloc(ent, cap * sizeof *ent);
                }
                memset(&ent[nent], 0, sizeof *ent);
                ent[nent++].key = key;
            }
            bits_set(ent[x].bits, p0, p1, nw);
        }
    });
    if (ONEWORD)
        for (int t = 0; t < ntargets; t++)
            for (size_t x = 0; x < pm.n[t]; x++)
                mask_flush(D, pm.key[t][x], pm.mask[t][x], lane);
    for (size_t x = 0; x < nent; x++)
        bits_flush(D, &ent[x], nw, lane);
    free(ent);
    pm_free(&pm);
}

/* ---- Medians. --------------------------------------------------------------------------------
 * After counting, every cell without a margin key and (with two breakdowns) every column
 * margin gets a slice of the value array in id order; the values of a row margin are then the
 * slices of its row and those of a period's total the slices of the period, so they need no
 * copies of their own. */

static ALWAYS_INLINE bool has_slice(const struct plan *P, uint64_t k)
{
    const uint64_t nk1 = P->nk[1], m0 = P->nk[0] - 1, m1 = P->nk[1] - 1;
    if (P->nby == 0)
        return true;
    if (P->nby == 1)
        return k != m0;
    return k % nk1 != m1; /* base cells and column margins */
}

static void scatter_dense(const struct plan *P, struct dense *D, int32_t *vals)
{
    const uint64_t K = D->K, nk1 = P->nk[1], m0 = P->nk[0] - 1;
    const bool colmargins = P->margins && P->nby == 2;
    uint32_t *cur = D->cur;
    FOR_MEMBERS(P, {
        uint32_t p0, p1;
        uint64_t k0, k1;
        if (!row_cells(P, i, &p0, &p1, &k0, &k1))
            continue;
        int32_t v = P->val[i];
        for (uint64_t p = p0; p <= p1; p++) {
            uint64_t pk = p * K;
            vals[cur[pk + k0 * nk1 + k1]++] = v;
            if (colmargins)
                vals[cur[pk + m0 * nk1 + k1]++] = v;
        }
    });
}

/* The first value of cell id's values (after scatter_dense): its own slice, or the slice of the
 * first cell of its row (row margin) or of its period (total). */
static size_t value_start(const struct plan *P, const struct dense *D, uint64_t id)
{
    const uint64_t K = D->K, nk1 = P->nk[1], m0 = P->nk[0] - 1;
    uint64_t pk = id / K * K, k = id % K, from = id;
    if (!has_slice(P, k))
        from = P->nby == 1 || k / nk1 == m0 ? pk : pk + k / nk1 * nk1;
    return (size_t)(D->cur[from] - D->den[from]);
}

/* Median of v[0..n): counting when the values lie close together, else selection. */
static double median_of(int32_t *v, size_t n, uint32_t **hist, size_t *nhist)
{
    if (n >= 16) {
        int32_t lo = v[0], hi = v[0];
        for (size_t i = 1; i < n; i++) {
            lo = v[i] < lo ? v[i] : lo;
            hi = v[i] > hi ? v[i] : hi;
        }
        uint64_t range = (uint64_t)((int64_t)hi - lo) + 1;
        if ((range <= n * 8 || range <= 2048) && range <= (UINT64_C(1) << 20)) {
            if (*nhist < range) {
                free(*hist);
                *hist = xmalloc(range * sizeof **hist);
                *nhist = range;
            }
            uint32_t *h = *hist;
            memset(h, 0, range * sizeof *h);
            for (size_t i = 0; i < n; i++)
                h[v[i] - lo]++;
            /* the (n-1)/2-th and n/2-th smallest (0-based) */
            size_t want_lo = (n - 1) / 2, want_hi = n / 2, seen = 0;
            int64_t a = 0, b = 0;
            bool have_a = false;
            for (uint64_t x = 0; x < range; x++) {
                seen += h[x];
                if (!have_a && seen > want_lo) {
                    a = lo + (int64_t)x;
                    have_a = true;
                }
                if (seen > want_hi) {
                    b = lo + (int64_t)x;
                    break;
                }
            }
            return ((double)a + (double)b) / 2.0;
        }
    }
    return stats_median_i32(v, n);
}

/* Medians by counting: when a definition's values span a small range and the cells are few,
 * every cell gets a histogram of its values in the one pass (+1 / -1 per period stretch for
 * 'actief'), margins are sums of histograms, and a median is read off its histogram. */

#define HIST_MAX (UINT64_C(1) << 21) /* counters: 8 MB */

static ALWAYS_INLINE void hist_scan(const struct plan *P, uint32_t *H, uint64_t R, int32_t vmin,
                                    const bool SPAN)
{
    const uint64_t K = P->K, nk1 = P->nk[1];
    const uint32_t trash = P->nper;
    FOR_MEMBERS(P, {
        uint64_t k = (P->nby >= 1 ? P->rk[0][P->col[0][i]] * nk1 : 0) +
                     (P->nby == 2 ? P->rk[1][P->col[1][i]] : 0);
        uint64_t b = (uint64_t)((int64_t)P->val[i] - vmin);
        bool in = passes(P, i);
        if (SPAN) {
            uint32_t p0, p1;
            in = span_of(P, i, &p0, &p1) && in;
            uint64_t a = in ? p0 : trash, z = in ? p1 + 1 : trash;
            H[(a * K + k) * R + b]++;
            H[(z * K + k) * R + b]--;
        } else {
            uint64_t p = period_of_row(P, i);
            p = in ? p : trash;
            H[(p * K + k) * R + b]++;
        }
    });
}

static void hist_margins(uint32_t *H, const struct plan *P, uint64_t R)
{
    if (P->nby == 0)
        return;
    const uint64_t K = P->K, nk1 = P->nk[1], m0 = P->nk[0] - 1, m1 = P->nk[1] - 1;
    for (uint32_t p = 0; p < P->nper; p++) {
        uint32_t *row = H + (uint64_t)p * K * R;
        if (P->nby == 1) {
            uint32_t *m = row + m0 * R;
            for (uint64_t k = 0; k < m0; k++)
                for (uint64_t b = 0; b < R; b++)
                    m[b] += row[k * R + b];
            continue;
        }
        uint32_t *tot = row + (m0 * nk1 + m1) * R;
        for (uint64_t r0 = 0; r0 < m0; r0++) {
            uint32_t *rm = row + (r0 * nk1 + m1) * R;
            for (uint64_t r1 = 0; r1 < m1; r1++) {
                const uint32_t *c = row + (r0 * nk1 + r1) * R;
                uint32_t *cm = row + (m0 * nk1 + r1) * R;
                for (uint64_t b = 0; b < R; b++) {
                    rm[b] += c[b];
                    cm[b] += c[b];
                    tot[b] += c[b];
                }
            }
        }
    }
}

/* Median of the n values counted in h (bin b is the value vmin + b). */
static double hist_median(const uint32_t *h, uint64_t R, int32_t vmin, uint64_t n)
{
    uint64_t want_lo = (n - 1) / 2, want_hi = n / 2, seen = 0;
    int64_t a = 0;
    bool have_a = false;
    for (uint64_t b = 0; b < R; b++) {
        seen += h[b];
        if (!have_a && seen > want_lo) {
            a = vmin + (int64_t)b;
            have_a = true;
        }
        if (seen > want_hi)
            return ((double)a + (double)(vmin + (int64_t)b)) / 2.0;
    }
    return NAN;
}

/* Sums the lanes of every cell into a plain array (in place: cell c's lanes lie at or after c). */
#define LANES_FN(name, T)                                                                          \
    static void name(T *a, uint64_t cells, unsigned lshift)                                        \
    {                                                                                              \
        if (!a || lshift == 0)                                                                     \
            return;                                                                                \
        const uint64_t L = (uint64_t)1 << lshift;                                                  \
        for (uint64_t c = 0; c < cells; c++) {                                                     \
            T s = 0;                                                                               \
            for (uint64_t l = 0; l < L; l++)                                                       \
                s += a[c * L + l];                                                                 \
            a[c] = s;                                                                              \
        }                                                                                          \
    }
LANES_FN(lanes_u32, uint32_t)
LANES_FN(lanes_i64, int64_t)

/* Key-major counts (struct dense) to period-major. */
#define TRANSPOSE_FN(name, T)                                                                      \
    static T *name(T *a, uint64_t K, uint64_t rows)                                                \
    {                                                                                              \
        if (!a)                                                                                    \
            return NULL;                                                                           \
        T *b = xmalloc(K * rows * sizeof *b);                                                      \
        for (uint64_t k = 0; k < K; k++)                                                           \
            for (uint64_t p = 0; p < rows; p++)                                                    \
                b[p * K + k] = a[k * rows + p];                                                    \
        free(a);                                                                                   \
        return b;                                                                                  \
    }
TRANSPOSE_FN(transpose_u32, uint32_t)
TRANSPOSE_FN(transpose_i64, int64_t)

/* Prefix sums over the periods (after scan_span / scan_span_distinct). */
#define PREFIX_FN(name, T)                                                                         \
    static void name(T *a, uint64_t K, uint32_t nper)                                              \
    {                                                                                              \
        if (!a)                                                                                    \
            return;                                                                                \
        for (uint32_t p = 1; p < nper; p++) {                                                      \
            T *row = a + (uint64_t)p * K;                                                          \
            const T *prev = row - K;                                                               \
            for (uint64_t k = 0; k < K; k++)                                                       \
                row[k] += prev[k];                                                                 \
        }                                                                                          \
    }
PREFIX_FN(prefix_u32, uint32_t)
PREFIX_FN(prefix_i64, int64_t)

/* Additive margins: the totals of every row and column of cells of a period. */
#define MARGINS_FN(name, T)                                                                        \
    static void name(T *a, const struct plan *P, uint64_t K)                                       \
    {                                                                                              \
        if (!a || P->nby == 0)                                                                     \
            return;                                                                                \
        const uint64_t nk1 = P->nk[1], m0 = P->nk[0] - 1, m1 = P->nk[1] - 1;                       \
        for (uint32_t p = 0; p < P->nper; p++) {                                                   \
            T *row = a + (uint64_t)p * K;                                                          \
            if (P->nby == 1) {                                                                     \
                T s = 0;                                                                           \
                for (uint64_t k = 0; k < m0; k++)                                                  \
                    s += row[k];                                                                   \
                row[m0] = s;                                                                       \
                continue;                                                                          \
            }                                                                                      \
            T *col = row + m0 * nk1;                                                               \
            for (uint64_t r0 = 0; r0 < m0; r0++) {                                                 \
                const T *line = row + r0 * nk1;                                                    \
                T s = 0;                                                                           \
                for (uint64_t r1 = 0; r1 < m1; r1++) {                                             \
                    s += line[r1];                                                                 \
                    col[r1] += line[r1];                                                           \
                }                                                                                  \
                row[r0 * nk1 + m1] = s;                                                            \
            }                                                                                      \
            T s = 0;                                                                               \
            for (uint64_t r1 = 0; r1 < m1; r1++)                                                   \
                s += col[r1];                                                                      \
            col[m1] = s;                                                                           \
        }                                                                                          \
    }
MARGINS_FN(margins_u32, uint32_t)
MARGINS_FN(margins_i64, int64_t)

/* The dense scan for one mode, specialised per breakdown count. */
#define DISPATCH(fn, P, D, M)                                                                      \
    do {                                                                                           \
        if ((P)->nby == 0)                                                                         \
            fn(P, D, M, 0);                                                                        \
        else if ((P)->nby == 1)                                                                    \
            fn(P, D, M, 1);                                                                        \
        else                                                                                       \
            fn(P, D, M, 2);                                                                        \
    } while (0)

static ALWAYS_INLINE void span_distinct(const struct plan *P, struct dense *D, const enum mode M,
                                        const int NBY)
{
    (void)M;
    if (P->nper <= 64)
        scan_span_distinct(P, D, NBY, true);
    else
        scan_span_distinct(P, D, NBY, false);
}

static void dense_count(const struct plan *P, struct dense *D, enum mode m)
{
    if (P->span && m == M_DISTINCT) {
        DISPATCH(span_distinct, P, D, m);
        return;
    }
    if (P->span) {
        switch (m) {
        case M_PROP:
            DISPATCH(scan_span, P, D, M_PROP);
            break;
        case M_SUM:
            DISPATCH(scan_span, P, D, M_SUM);
            break;
        default:
            DISPATCH(scan_span, P, D, M_COUNT);
            break;
        }
        return;
    }
    switch (m) {
    case M_PROP:
        DISPATCH(scan_single, P, D, M_PROP);
        break;
    case M_SUM:
        DISPATCH(scan_single, P, D, M_SUM);
        break;
    case M_DISTINCT:
        DISPATCH(scan_single, P, D, M_DISTINCT);
        break;
    default:
        DISPATCH(scan_single, P, D, M_COUNT);
        break;
    }
}

/* ---- Sparse counting (huge id spaces). ------------------------------------------------------- */

/* A slot of the hash: its key beside its counts, so that finding a cell is one cache miss. */
struct cell {
    uint64_t key; /* id + 1; 0 = empty */
    int64_t num;
    uint32_t den; /* rows or persons: a cell never holds more than the engine's rows */
    union {
        uint32_t last; /* person counted last (distinct persons) */
        uint32_t cur;  /* median: write position of the cell's values (medians never count
                          distinct persons) */
    };
};

struct acc {
    struct cell *cells;
    size_t nslots, used;
    int bits;
};

static void acc_init(struct acc *A, int bits)
{
    memset(A, 0, sizeof *A);
    A->bits = bits;
    A->nslots = (size_t)1 << bits;
    A->cells = xcalloc(A->nslots, sizeof *A->cells);
}

static void acc_free(struct acc *A)
{
    free(A->cells);
}

static inline size_t hash_slot(uint64_t id, int bits)
{
    return (size_t)((id * UINT64_C(0x9E3779B97F4A7C15)) >> (64 - bits));
}

static void acc_grow(struct acc *A)
{
    struct acc B;
    acc_init(&B, A->bits + 1);
    for (size_t s = 0; s < A->nslots; s++) {
        if (!A->cells[s].key)
            continue;
        size_t h = hash_slot(A->cells[s].key - 1, B.bits);
        while (B.cells[h].key)
            h = (h + 1) & (B.nslots - 1);
        B.cells[h] = A->cells[s];
    }
    B.used = A->used;
    acc_free(A);
    *A = B;
}

static inline struct cell *acc_cell(struct acc *A, uint64_t id)
{
    for (;;) {
        size_t mask = A->nslots - 1, h = hash_slot(id, A->bits);
        for (;;) {
            uint64_t k = A->cells[h].key;
            if (k == id + 1)
                return &A->cells[h];
            if (!k)
                break;
            h = (h + 1) & mask;
        }
        if ((A->used + 1) * 2 <= A->nslots) {
            A->cells[h].key = id + 1;
            A->used++;
            return &A->cells[h];
        }
        acc_grow(A);
    }
}

static inline void update(struct cell *c, enum mode mode, unsigned cl, int32_t v, uint32_t pid,
                          int32_t *vals)
{
    switch (mode) {
    case M_COUNT:
        c->den++;
        break;
    case M_PROP:
        c->den++;
        c->num += cl == 2;
        break;
    case M_SUM:
        c->den++;
        c->num += v;
        break;
    case M_DISTINCT:
        if (c->last != pid) {
            c->last = pid;
            c->den++;
        }
        break;
    case M_SCATTER:
        vals[c->cur++] = v;
        break;
    }
}

/* Whether the cell key k is part of the answer: with first_only not the totals over the second
 * dimension (nor the grand total). */
static ALWAYS_INLINE bool key_wanted(const struct plan *P, uint64_t k)
{
    return !P->first_only || k % P->nk[1] != P->nk[1] - 1;
}

/* One pass in `mode`; with in_scan_margins the margin cells are updated row by row (distinct
 * persons, median values), else additive margins are summed afterwards (sparse_margins). */
static void sparse_scan(const struct plan *P, struct acc *A, enum mode mode, int32_t *vals,
                        bool in_scan_margins)
{
    const uint64_t K = P->K, nk1 = P->nk[1], m0 = P->nk[0] - 1, m1 = P->nk[1] - 1;
    const bool margins = in_scan_margins && P->nby > 0;
    FOR_MEMBERS(P, {
        uint32_t p0, p1;
        uint64_t k0, k1;
        if (!row_cells(P, i, &p0, &p1, &k0, &k1))
            continue;
        int32_t v = P->val ? P->val[i] : 0;
        uint32_t pid = P->r->person ? P->r->person[i] : 0;
        for (uint64_t p = p0; p <= p1; p++) {
            uint64_t pk = p * K;
            update(acc_cell(A, pk + k0 * nk1 + k1), mode, cl, v, pid, vals);
            if (!margins)
                continue;
            if (P->nby == 1) {
                update(acc_cell(A, pk + m0), mode, cl, v, pid, vals);
            } else {
                update(acc_cell(A, pk + m0 * nk1 + k1), mode, cl, v, pid, vals);
                if (P->first_only)
                    continue;
                update(acc_cell(A, pk + k0 * nk1 + m1), mode, cl, v, pid, vals);
                update(acc_cell(A, pk + m0 * nk1 + m1), mode, cl, v, pid, vals);
            }
        }
    });
}

/*
 * How many cells a query beyond the plain arrays' limit will fill, from every 16th word of its
 * rows: the cells seen in the sample plus Chao's estimate of those it missed (from the cells
 * seen once and twice). It decides between the hash and plain arrays after all (a hash slot
 * costs 48-96 bytes a cell, an array 4-12 bytes an id, so a table that fills a good part of its
 * ids is smaller as arrays) and how large the hash starts, so that it does not grow and rehash
 * ten times on the way. Only an estimate: the answer does not depend on it.
 */
#define SAMPLE_STRIDE   16
#define HASH_FIRST_BITS 12 /* a hash starts at 4,096 slots at least */
/* and at most 4M (96 MB), however large the estimate: beyond, it grows with the cells */
#define HASH_START_MAX_BITS 22

static uint64_t estimate_cells(const struct plan *P)
{
    struct acc S;
    acc_init(&S, HASH_FIRST_BITS);
    uint64_t updates = 0; /* a cell needs one; the whole counts about STRIDE x as many */
    const uint64_t K = P->K, nk1 = P->nk[1];
    const size_t n = P->r->n, nb = (n + 3) / 4;
    for (size_t b = 0; b < nb && b * 4 < P->hi; b += 8 * SAMPLE_STRIDE) {
        uint64_t w = load_word(P->cls, b, nb);
        while (w) {
            unsigned sh = (unsigned)__builtin_ctzll(w) & ~1u;
            w &= ~(UINT64_C(3) << sh);
            size_t i = b * 4 + sh / 2;
            if (i >= P->hi)
                break;
            uint32_t p0, p1;
            uint64_t k0, k1;
            if (!row_cells(P, i, &p0, &p1, &k0, &k1))
                continue;
            for (uint64_t p = p0; p <= p1; p++) {
                acc_cell(&S, p * K + k0 * nk1 + k1)->den++;
                updates++;
            }
        }
    }
    uint64_t seen = S.used, once = 0, twice = 0;
    for (size_t s = 0; s < S.nslots; s++) {
        once += S.cells[s].key && S.cells[s].den == 1;
        twice += S.cells[s].key && S.cells[s].den == 2;
    }
    acc_free(&S);
    uint64_t est = seen + once * (once > 0 ? once - 1 : 0) / (2 * (twice + 1));
    /* with nearly every cell seen once Chao's term runs away: no more cells than updates */
    return est < updates * SAMPLE_STRIDE ? est : updates * SAMPLE_STRIDE;
}

/* Additive margins of the sparse cells: the sums of their cells. */
static void sparse_margins(const struct plan *P, struct acc *A)
{
    if (P->nby == 0)
        return;
    const uint64_t K = P->K, nk1 = P->nk[1], m0 = P->nk[0] - 1, m1 = P->nk[1] - 1;
    /* the base cells first: adding may grow the hash */
    size_t nbase = 0;
    struct base {
        uint64_t id;
        int64_t num;
        uint32_t den;
    } *base = xmalloc((A->used + 1) * sizeof *base);
    for (size_t s = 0; s < A->nslots; s++) {
        if (!A->cells[s].key)
            continue;
        uint64_t id = A->cells[s].key - 1, k = id % K, k0 = k / nk1, k1 = k % nk1;
        if (k0 == m0 || (P->nby == 2 && k1 == m1))
            continue;
        base[nbase++] = (struct base){id, A->cells[s].num, A->cells[s].den};
    }
    for (size_t i = 0; i < nbase; i++) {
        uint64_t id = base[i].id, pk = id / K * K, k = id % K, k0 = k / nk1, k1 = k % nk1;
        uint64_t targets[3];
        int nt = 0;
        if (P->nby == 1) {
            targets[nt++] = pk + m0;
        } else {
            targets[nt++] = pk + m0 * nk1 + k1;
            if (!P->first_only) {
                targets[nt++] = pk + k0 * nk1 + m1;
                targets[nt++] = pk + m0 * nk1 + m1;
            }
        }
        for (int t = 0; t < nt; t++) {
            struct cell *c = acc_cell(A, targets[t]);
            c->num += base[i].num;
            c->den += base[i].den;
        }
    }
    free(base);
}

struct idslot {
    uint64_t id;
    size_t slot;
};

/* LSD radix sort by id, 11 bits a pass. */
static void radix_sort(struct idslot *v, size_t n, uint64_t maxid)
{
    if (n < 2)
        return;
    struct idslot *tmp = xmalloc(n * sizeof *tmp), *src = v, *dst = tmp;
    for (unsigned shift = 0; shift < 64 && (maxid >> shift) != 0; shift += 11) {
        size_t count[2049] = {0};
        for (size_t i = 0; i < n; i++)
            count[((src[i].id >> shift) & 2047) + 1]++;
        for (size_t d = 1; d <= 2048; d++)
            count[d] += count[d - 1];
        for (size_t i = 0; i < n; i++)
            dst[count[(src[i].id >> shift) & 2047]++] = src[i];
        struct idslot *t = src;
        src = dst;
        dst = t;
    }
    if (src != v)
        memcpy(v, src, n * sizeof *v);
    free(tmp);
}

/* ---- Population for per_1000. ---------------------------------------------------------------- */

enum sex { SEX_ALL, SEX_MEN, SEX_WOMEN, SEX_NONE };

/* Inhabitants of gemeente g in the band [from, to] for `year` (or the latest year before it),
 * times POP_DEN. */
static int64_t pop_share(const struct mx_pop *pop, uint32_t g, int year, int from, int to,
                         enum sex sex)
{
    if (g >= pop->ngem || sex == SEX_NONE)
        return 0;
    uint32_t a = pop->first[g], b = pop->first[g + 1];
    int best = -1;
    for (uint32_t i = a; i < b; i++)
        if (pop->v[i].year <= year && pop->v[i].year > best)
            best = pop->v[i].year;
    if (best < 0)
        return 0;
    int64_t sum = 0;
    for (uint32_t i = a; i < b; i++) {
        const struct mx_pop_entry *x = &pop->v[i];
        if (x->year != best)
            continue;
        int lo = x->lo > from ? x->lo : from, hi = x->hi < to ? x->hi : to;
        int64_t overlap = hi - lo + 1, width = x->hi - x->lo + 1;
        if (overlap <= 0)
            continue;
        int64_t inh = sex == SEX_MEN ? x->men : sex == SEX_WOMEN ? x->women : x->inhabitants;
        if (POP_DEN % width == 0)
            sum += inh * overlap * (POP_DEN / width);
        else /* a band wider than 10 years or odd: nearest unit of 1/POP_DEN */
            sum += llround((double)inh * (double)overlap * POP_DEN / (double)width);
    }
    return sum;
}

/* The cell's gemeenten when it has no gemeente key: those the filter allows (each once), or
 * every gemeente of the population table. */
static int64_t all_gemeenten_share(const struct mx_engine *eng, const struct mx_query *q, int year,
                                   const struct ind_def *def, enum sex sex)
{
    int64_t sum = 0;
    const struct mx_where *w = &q->where[MX_DIM_GEMEENTE];
    const struct mx_dict *dict = &eng->ds.dim[MX_DIM_GEMEENTE];
    if (w->n == 0) {
        for (uint32_t g = 0; g < eng->pop.ngem; g++)
            sum += pop_share(&eng->pop, g, year, def->age_from, def->age_to, sex);
        return sum;
    }
    uint8_t *seen = xcalloc(dict->n + 1, 1);
    for (size_t i = 0; i < w->n; i++) {
        int k = w->codes[i] ? dict_find(dict, w->codes[i]) : -1;
        if (k < 0 || seen[k])
            continue;
        seen[k] = 1;
        sum += pop_share(&eng->pop, (uint32_t)k, year, def->age_from, def->age_to, sex);
    }
    free(seen);
    return sum;
}

/* ---- Query helpers. ----------------------------------------------------------------------- */

/* antwoord() items of a preview: known items map to their slot, others to a slot no response
 * has (the answer is unknown). */
struct preview_slots {
    const struct mx_dict *items;
    char extra[64][52];
    int nextra;
};

static int preview_slot(void *ctx, const char *code)
{
    struct preview_slots *ps = ctx;
    if (!code || !code[0] || strlen(code) > 48)
        return -1;
    int k = dict_find(ps->items, code);
    if (k >= 0)
        return k;
    for (int i = 0; i < ps->nextra; i++)
        if (strcmp(ps->extra[i], code) == 0)
            return (int)ps->items->n + i;
    if (ps->nextra == 64)
        return -1;
    snprintf(ps->extra[ps->nextra], sizeof ps->extra[0], "%s", code);
    return (int)ps->items->n + ps->nextra++;
}

static int count_periods(const struct mx_query *q, struct period *out, int *n)
{
    if (q->first.kind != q->pkind || q->last.kind != q->pkind)
        return ERR_INVALID;
    struct period p = q->first;
    int k = 0;
    day_t last = period_start(q->last);
    if (period_start(p) > last)
        return ERR_INVALID;
    for (;;) {
        if (k == MAX_PERIODS)
            return ERR_TOO_BIG;
        out[k++] = p;
        if (period_start(p) >= last)
            break;
        p = period_next(p);
    }
    *n = k;
    return 0;
}

static const char *per1000_forbidden(enum mx_dim d)
{
    switch (d) {
    case MX_DIM_AGE_BAND:
    case MX_DIM_CATEGORY:
    case MX_DIM_HULPVORM:
    case MX_DIM_AANBIEDER:
    case MX_DIM_REFERRER:
    case MX_DIM_AREA:
        return mx_dim_code(d);
    default:
        return NULL;
    }
}

/* ---- Cells out. ------------------------------------------------------------------------------ */

struct emitter {
    struct mx_engine *eng;
    const struct mx_query *q;
    const struct ind_def *def;
    const struct plan *P;
    const struct period *periods;
    struct arena *a;
    struct mx_cell *cells;
    const char **names[MX_MAX_BY]; /* per rank, copied into the arena on first use */
    const uint32_t *order[MX_MAX_BY];
    const struct mx_dict *dict[MX_MAX_BY];
    int gem_by, sex_by;
    int64_t *all_share; /* per_1000: per period x sex, the sum over the cell's gemeenten */
    uint8_t *all_done;
    int64_t *gem_share; /* per_1000: per gemeente x sex, for the year gem_year */
    uint8_t *gem_done;
    int gem_year;
    bool oom;
};

static void emit(struct emitter *E, size_t at, uint64_t id, int64_t num, int64_t den, double med)
{
    const struct plan *P = E->P;
    const struct ind_def *def = E->def;
    struct mx_cell *c = &E->cells[at];
    uint64_t k = id % P->K;
    uint32_t p = (uint32_t)(id / P->K),
             r[MX_MAX_BY] = {(uint32_t)(k / P->nk[1]), (uint32_t)(k % P->nk[1])};
    c->period_idx = (int)p;
    c->key[0] = c->key[1] = NULL;
    c->rank[0] = c->rank[1] = MX_RANK_TOTAL;
    for (int j = 0; j < P->nby; j++) {
        if (r[j] == P->nk[j] - 1) {
            c->key[j] = NULL;
            continue;
        }
        c->rank[j] = r[j];
        if (!E->names[j][r[j]]) {
            E->names[j][r[j]] = arena_strdup(E->a, E->dict[j]->codes[E->order[j][r[j]]]);
            if (!E->names[j][r[j]])
                E->oom = true;
        }
        c->key[j] = E->names[j][r[j]];
    }
    c->lo = c->hi = NAN;
    switch (def->agg) {
    case IND_AGG_PROPORTION:
        c->num = num;
        c->den = c->n = den;
        c->value = (double)num / (double)den;
        stats_wilson(num, den, &c->lo, &c->hi);
        break;
    case IND_AGG_MEAN:
        c->num = num;
        c->den = c->n = den;
        c->value = (double)num / (double)den;
        break;
    case IND_AGG_MEDIAN:
        c->num = 0;
        c->den = c->n = den;
        c->value = med;
        break;
    case IND_AGG_COUNT:
        c->num = c->den = c->n = den;
        c->value = (double)den;
        break;
    case IND_AGG_RATE: {
        c->num = c->n = den;
        enum sex sex = SEX_ALL;
        if (E->sex_by >= 0 && c->key[E->sex_by])
            sex = strcmp(c->key[E->sex_by], "1") == 0   ? SEX_MEN
                  : strcmp(c->key[E->sex_by], "2") == 0 ? SEX_WOMEN
                                                        : SEX_NONE;
        int year = E->periods[p].year;
        int64_t share = 0;
        if (E->gem_by >= 0 && c->key[E->gem_by]) {
            /* cells come in period order: one year at a time */
            uint32_t g = E->order[E->gem_by][r[E->gem_by]];
            size_t ng = P->nk[E->gem_by];
            if (year != E->gem_year) {
                memset(E->gem_done, 0, ng * 4);
                E->gem_year = year;
            }
            size_t gi = (size_t)r[E->gem_by] * 4 + sex;
            if (!E->gem_done[gi]) {
                E->gem_share[gi] =
                    pop_share(&E->eng->pop, g, year, def->age_from, def->age_to, sex);
                E->gem_done[gi] = 1;
            }
            share = E->gem_share[gi];
        } else {
            size_t mi = (size_t)p * 4 + sex;
            if (!E->all_done[mi]) {
                E->all_share[mi] = all_gemeenten_share(E->eng, E->q, year, def, sex);
                E->all_done[mi] = 1;
            }
            share = E->all_share[mi];
        }
        c->den = (share + POP_DEN / 2) / POP_DEN; /* round half up */
        c->value = c->den > 0 ? 1000.0 * (double)c->num / (double)c->den : NAN;
        break;
    }
    }
    if (c->den == 0 && def->agg != IND_AGG_COUNT)
        c->value = NAN;
}

/* ---- The query. ------------------------------------------------------------------------------ */

/* The query proper, under the read lock. */
/* ---- Two threads. -------------------------------------------------------------------------
 * A dense scan of many rows into few cells runs in two threads, each over its own half of the
 * rows into its own counts, which are summed afterwards. The halves meet between two persons,
 * so a person's rows are all in one half and distinct persons stay exact. Worth it only when
 * the counts are small next to the rows (summing them is the price). */

struct half {
    struct plan P;
    struct dense D;
    enum mode mode;
    uint32_t *H; /* histograms (medians by counting), or NULL */
    uint64_t R;
    int32_t vmin;
};

static bool worth_two(const struct plan *P, uint64_t slots)
{
    const size_t n = P->hi - P->lo;
    return engine_scan_threads > 1 && n >= engine_two_min_rows && slots * 8 <= n;
}

/* A row near the middle of the plan's rows where a new person starts (responses have no
 * persons). */
static size_t split_row(const struct plan *P)
{
    const struct mx_rows *r = P->r;
    size_t m = P->lo + (P->hi - P->lo) / 2;
    if (r->person)
        while (m > P->lo && m < P->hi && r->person[m] == r->person[m - 1])
            m++;
    return m;
}

static void half_scan(struct half *h)
{
    if (h->H) {
        if (h->P.span)
            hist_scan(&h->P, h->H, h->R, h->vmin, true);
        else
            hist_scan(&h->P, h->H, h->R, h->vmin, false);
    } else {
        dense_count(&h->P, &h->D, h->mode);
    }
}

static void *half_main(void *arg)
{
    half_scan(arg);
    return NULL;
}

#define ADD_FN(name, T)                                                                            \
    static void name(T *to, const T *from, uint64_t n)                                             \
    {                                                                                              \
        if (to && from)                                                                            \
            for (uint64_t i = 0; i < n; i++)                                                       \
                to[i] += from[i];                                                                  \
    }
ADD_FN(add_u32, uint32_t)
ADD_FN(add_i64, int64_t)

/* Runs the scan of h (whose P covers all rows) in two threads when worth it, else in this one;
 * the counts end up in h. slots: the size of each count array. */
static void scan_rows(struct half *h, uint64_t slots)
{
    size_t mid = split_row(&h->P);
    if (!worth_two(&h->P, slots) || mid <= h->P.lo || mid >= h->P.hi) {
        half_scan(h);
        return;
    }
    struct half two = *h;
    two.P.lo = mid;
    h->P.hi = mid;
    if (h->H)
        two.H = xcalloc(slots, sizeof *two.H);
    else {
        two.D.den = xcalloc(slots, sizeof *two.D.den);
        two.D.num32 = h->D.num32 ? xcalloc(slots, sizeof *two.D.num32) : NULL;
        two.D.num64 = h->D.num64 ? xcalloc(slots, sizeof *two.D.num64) : NULL;
        two.D.last = h->D.last ? xcalloc(slots, sizeof *two.D.last) : NULL;
    }
    pthread_t t;
    bool threaded = pthread_create(&t, NULL, half_main, &two) == 0;
    half_scan(h);
    if (threaded)
        pthread_join(t, NULL);
    else
        half_scan(&two);
    h->P.hi = two.P.hi;
    if (h->H) {
        add_u32(h->H, two.H, slots);
        free(two.H);
        return;
    }
    add_u32(h->D.den, two.D.den, slots);
    add_u32(h->D.num32, two.D.num32, slots);
    add_i64(h->D.num64, two.D.num64, slots);
    free(two.D.den);
    free(two.D.num32);
    free(two.D.num64);
    free(two.D.last);
}

static int run_query(struct mx_engine *eng, const struct mx_query *q, const struct mx_defslot *d,
                     const struct period *periods, int nper, struct arena *a, struct mx_result *out,
                     struct err_ctx *e)
{
    const struct ind_def *def = &d->c.def;
    const struct mx_rows *r = d->resp ? &eng->resp : &eng->traj;
    int ret = 0;

    if (def->agg == IND_AGG_RATE)
        for (int j = 0; j < q->nby; j++) {
            const char *bad = per1000_forbidden(q->by[j]);
            if (bad)
                return err_set(e, ERR_INVALID, "by",
                               _("Een cijfer per 1.000 inwoners kan niet per %s worden "
                                 "uitgesplitst."),
                               bad);
        }

    struct plan P;
    memset(&P, 0, sizeof P);
    P.r = r;
    P.lo = 0;
    P.cls = d->cls;
    P.val = d->val;
    P.span = def->anchor == IND_ANCHOR_ACTIVE;
    P.date = def->anchor == IND_ANCHOR_END ? r->end : r->start;
    P.nper = (uint32_t)nper;
    P.base = period_start(periods[0]);
    P.top = period_end(periods[nper - 1]);
    P.ndays = (uint32_t)(P.top - P.base) + 1;
    P.hi = rows_before_day(r, P.top); /* the rows after it all lie after the periods */
    P.sieve = engine_sieve == 2 || (engine_sieve == 1 && sieve_pays(&P));
    uint8_t *ptab = xmalloc((size_t)P.ndays + 1);
    for (int p = 0; p < nper; p++) {
        day_t s = period_start(periods[p]), t = period_end(periods[p]);
        memset(ptab + (s - P.base), p, (size_t)(t - s) + 1);
    }
    ptab[P.ndays] = (uint8_t)nper; /* the trash */
    P.ptab = ptab;
    P.nby = q->nby;
    P.K = 1;
    for (int j = 0; j < MX_MAX_BY; j++) {
        P.nk[j] = 1;
        if (j < q->nby) {
            P.col[j] = r->dim[q->by[j]];
            P.rk[j] = eng->rank[q->by[j]];
            P.nk[j] = (uint64_t)eng->nranked[q->by[j]] + 1;
        }
        P.K *= P.nk[j];
    }
    P.margins = q->margins && q->nby > 0;
    P.first_only = P.margins && q->nby == 2 && q->first_margins_only;
    P.share_bit = (uint8_t)(1u << (q->pkind & 3));
    uint8_t *allow[MX_DIM__COUNT] = {0};
    bool filtered_empty = false;
    for (int dm = 0; dm < MX_DIM__COUNT; dm++) {
        const struct mx_where *w = &q->where[dm];
        if (w->n == 0)
            continue;
        const struct mx_dict *dict = &eng->ds.dim[dm];
        allow[dm] = xcalloc(dict->n + 1, 1);
        bool any = false;
        for (size_t c = 0; c < w->n; c++) {
            int k = w->codes[c] ? dict_find(dict, w->codes[c]) : -1;
            if (k >= 0) {
                allow[dm][k] = 1;
                any = true;
            }
        }
        if (!any)
            filtered_empty = true;
        P.wcol[P.nw] = r->dim[dm];
        P.wallow[P.nw] = allow[dm];
        P.nw++;
    }

    bool distinct = def->unit == IND_UNIT_PERSON && !d->resp;
    switch (def->agg) {
    case IND_AGG_PROPORTION:
        P.mode = M_PROP;
        break;
    case IND_AGG_MEAN:
        P.mode = M_SUM;
        break;
    case IND_AGG_MEDIAN:
        P.mode = M_COUNT;
        P.median = true;
        break;
    default:
        P.mode = distinct ? M_DISTINCT : M_COUNT;
        break;
    }

    /* Count. */
    const uint64_t ncell_ids = (uint64_t)nper * P.K, space = ncell_ids + P.K;
    /* Plain arrays up to engine_dense_max ids; beyond, up to DENSE_FILLED_MAX when the cells
     * would fill them well enough (estimate_cells), else the hash. */
    uint64_t est_cells = 0;
    bool dense = space <= engine_dense_max;
    if (!dense && !filtered_empty) {
        est_cells = estimate_cells(&P);
        est_cells = est_cells < space ? est_cells : space;
        uint64_t id_bytes = 4 + (P.mode == M_PROP || P.median      ? 4
                                 : P.mode == M_SUM                 ? 8
                                 : P.mode == M_DISTINCT && !P.span ? 4
                                                                   : 0);
        if (P.span)
            id_bytes *= 2; /* counted key-major, then turned */
        dense = engine_dense_max > 0 && space <= DENSE_FILLED_MAX &&
                est_cells * HASH_CELL_BYTES >= space * id_bytes;
    }
    struct dense D = {.K = P.K};
    struct acc A = {0};
    struct idslot *ids = NULL;
    int32_t *vals = NULL;
    uint32_t *hist = NULL; /* medians by counting a cell's slice */
    uint32_t *H = NULL;    /* medians by histograms per cell */
    uint64_t hist_bins = 0;
    size_t nout = 0, nhist = 0;
    if (filtered_empty) {
        /* a filter none of whose codes exists: no rows, no cells */
    } else if (dense) {
        /* medians by counting when the histograms are small (see hist_scan) */
        if (P.median)
            hist_bins = (uint64_t)((int64_t)d->vmax - d->vmin) + 1;
        if (P.median && hist_bins <= 65536 && space * hist_bins <= HIST_MAX) {
            H = xcalloc(space * hist_bins, sizeof *H);
            struct half h = {.P = P, .H = H, .R = hist_bins, .vmin = d->vmin};
            scan_rows(&h, space * hist_bins);
            if (P.span)
                prefix_u32(H, P.K * hist_bins, P.nper);
            if (P.margins)
                hist_margins(H, &P, hist_bins);
            P.median = false; /* no scatter */
            P.mode = M_COUNT;
        }
        /* lanes for the few-cell queries of additive figures (see struct dense) */
        if (!H && (P.mode != M_DISTINCT || P.span))
            while (D.lshift < 3 && (P.K << D.lshift) < 64 &&
                   (space << (D.lshift + 1)) <= engine_dense_max)
                D.lshift++;
        D.rows = P.nper + 1;
        D.kmajor = P.span && !H;
        const uint64_t nslots = space << D.lshift;
        D.den = xcalloc(nslots, sizeof *D.den);
        if (H) {
            /* the counts are the histograms' sums */
            for (uint64_t id = 0; id < ncell_ids; id++) {
                uint32_t c = 0;
                for (uint64_t b = 0; b < hist_bins; b++)
                    c += H[id * hist_bins + b];
                D.den[id] = c;
            }
        } else {
            if (P.mode == M_PROP)
                D.num32 = xcalloc(nslots, sizeof *D.num32);
            if (P.mode == M_SUM)
                D.num64 = xcalloc(nslots, sizeof *D.num64);
            if (P.mode == M_DISTINCT && !P.span)
                D.last = xcalloc(nslots, sizeof *D.last);
            struct half h = {.P = P, .D = D, .mode = P.mode};
            scan_rows(&h, nslots);
        }
        lanes_u32(D.den, space, D.lshift);
        lanes_u32(D.num32, space, D.lshift);
        lanes_i64(D.num64, space, D.lshift);
        if (D.kmajor) {
            D.den = transpose_u32(D.den, P.K, D.rows);
            D.num32 = transpose_u32(D.num32, P.K, D.rows);
            D.num64 = transpose_i64(D.num64, P.K, D.rows);
        }
        if (P.span && !H) {
            prefix_u32(D.den, P.K, P.nper);
            prefix_u32(D.num32, P.K, P.nper);
            prefix_i64(D.num64, P.K, P.nper);
        }
        if (P.mode != M_DISTINCT && P.margins && !H) {
            margins_u32(D.den, &P, P.K);
            margins_u32(D.num32, &P, P.K);
            margins_i64(D.num64, &P, P.K);
        }
        if (P.median) {
            D.cur = xmalloc(space * sizeof *D.cur);
            size_t total = 0;
            for (uint64_t id = 0; id < ncell_ids; id++) {
                D.cur[id] = (uint32_t)total;
                if (has_slice(&P, id % P.K))
                    total += D.den[id];
            }
            vals = xmalloc((total + 1) * sizeof *vals);
            scatter_dense(&P, &D, vals);
        }
        for (uint64_t id = 0; id < ncell_ids; id++)
            nout += D.den[id] != 0 && key_wanted(&P, id % P.K);
    } else {
        /* between the estimate and twice it in slots (at half load: room for half of it to
         * all of it): the estimate errs upwards, and a table twice too large costs more in
         * page faults and misses than one late growth */
        int bits = HASH_FIRST_BITS;
        while (bits < HASH_START_MAX_BITS && ((uint64_t)2 << bits) <= est_cells * 2)
            bits++;
        acc_init(&A, bits);
        sparse_scan(&P, &A, P.mode, NULL, P.mode == M_DISTINCT && P.margins);
        if (P.mode != M_DISTINCT && P.margins)
            sparse_margins(&P, &A);
        if (P.median) {
            size_t total = 0;
            for (size_t s = 0; s < A.nslots; s++) {
                A.cells[s].cur = (uint32_t)total;
                total += (size_t)A.cells[s].den;
            }
            vals = xmalloc((total + 1) * sizeof *vals);
            sparse_scan(&P, &A, M_SCATTER, vals, P.margins);
        }
        ids = xmalloc((A.used + 1) * sizeof *ids);
        for (size_t s = 0; s < A.nslots; s++)
            if (A.cells[s].key && A.cells[s].den > 0)
                ids[nout++] = (struct idslot){A.cells[s].key - 1, s};
        radix_sort(ids, nout, space);
    }

    /* Cells out, in id order: period, code, code, totals last. */
    struct emitter E = {.eng = eng,
                        .q = q,
                        .def = def,
                        .P = &P,
                        .periods = periods,
                        .a = a,
                        .gem_by = -1,
                        .sex_by = -1};
    out->periods = arena_alloc(a, (size_t)nper * sizeof *out->periods);
    out->cells = E.cells = arena_alloc(a, (nout ? nout : 1) * sizeof *out->cells);
    struct ind_def *dcopy = arena_alloc(a, sizeof *dcopy);
    for (int j = 0; j < q->nby; j++) {
        E.names[j] = arena_calloc(a, P.nk[j], sizeof *E.names[j]);
        E.order[j] = eng->order[q->by[j]];
        E.dict[j] = &eng->ds.dim[q->by[j]];
        if (!E.names[j])
            E.oom = true;
        if (q->by[j] == MX_DIM_GEMEENTE)
            E.gem_by = j;
        if (q->by[j] == MX_DIM_GENDER)
            E.sex_by = j;
    }
    if (!out->periods || !out->cells || !dcopy || E.oom)
        goto too_big;
    memcpy(out->periods, periods, (size_t)nper * sizeof *periods);
    out->nperiods = nper;
    out->nby = q->nby;
    for (int j = 0; j < q->nby; j++)
        out->by[j] = q->by[j];
    def_copy(a, def, dcopy);
    out->def = dcopy;
    if (def->agg == IND_AGG_RATE) {
        E.all_share = xcalloc((size_t)nper * 4, sizeof *E.all_share);
        E.all_done = xcalloc((size_t)nper * 4, 1);
        if (E.gem_by >= 0) {
            E.gem_share = xcalloc(P.nk[E.gem_by] * 4, sizeof *E.gem_share);
            E.gem_done = xcalloc(P.nk[E.gem_by] * 4, 1);
            E.gem_year = INT32_MIN;
        }
    }
    size_t at = 0;
    if (dense && !filtered_empty) {
        for (uint64_t id = 0; id < ncell_ids; id++) {
            if (!D.den[id] || !key_wanted(&P, id % P.K))
                continue;
            int64_t num = D.num32 ? D.num32[id] : D.num64 ? D.num64[id] : 0;
            double med = NAN;
            if (H)
                med = hist_median(H + id * hist_bins, hist_bins, d->vmin, D.den[id]);
            else if (P.median)
                med = median_of(vals + value_start(&P, &D, id), D.den[id], &hist, &nhist);
            emit(&E, at++, id, num, D.den[id], med);
        }
    } else {
        for (size_t i = 0; i < nout; i++) {
            const struct cell *c = &A.cells[ids[i].slot];
            double med = NAN;
            if (P.median)
                med = median_of(vals + (c->cur - (uint32_t)c->den), (size_t)c->den, &hist, &nhist);
            emit(&E, at++, ids[i].id, c->num, c->den, med);
        }
    }
    if (E.oom)
        goto too_big;
    out->ncells = nout;
    goto done;
too_big:
    memset(out, 0, sizeof *out);
    ret = err_set(e, ERR_TOO_BIG, "by", "%s",
                  _("Deze uitsplitsing geeft te veel cellen. Kies minder perioden of "
                    "kenmerken."));
done:
    free(E.all_share);
    free(E.all_done);
    free(E.gem_share);
    free(E.gem_done);
    free(D.den);
    free(D.num32);
    free(D.num64);
    free(D.last);
    free(D.cur);
    free(ids);
    free(vals);
    free(hist);
    free(H);
    acc_free(&A);
    for (int dm = 0; dm < MX_DIM__COUNT; dm++)
        free(allow[dm]);
    free(ptab);
    return ret;
}

void mx_engine_set_scan_threads(int n)
{
    engine_scan_threads = n < 1 ? 1 : n > 2 ? 2 : n;
}

int mx_engine_scan_threads(void)
{
    return engine_scan_threads;
}

int mx_query(struct mx_engine *eng, const struct mx_query *q, struct arena *a,
             struct mx_result *out, struct err_ctx *e)
{
    struct period periods[MAX_PERIODS];
    int nper = 0;
    memset(out, 0, sizeof *out);
    if (q->nby < 0 || q->nby > MX_MAX_BY)
        return err_set(e, ERR_INVALID, "by",
                       _("Er kan naar hoogstens twee kenmerken worden "
                         "uitgesplitst."));
    for (int j = 0; j < q->nby; j++) {
        if ((unsigned)q->by[j] >= MX_DIM__COUNT)
            return err_set(e, ERR_INVALID, "by", _("Onbekend kenmerk om naar uit te splitsen."));
        if (j == 1 && q->by[0] == q->by[1])
            return err_set(e, ERR_INVALID, "by",
                           _("Twee keer hetzelfde kenmerk om naar uit te splitsen."));
    }
    int ret = count_periods(q, periods, &nper);
    if (ret == ERR_TOO_BIG)
        return err_set(e, ERR_INVALID, "periode", _("Kies hoogstens %d perioden tegelijk."),
                       MAX_PERIODS);
    if (ret)
        return err_set(e, ERR_INVALID, "periode", _("Deze reeks perioden klopt niet."));

    pthread_rwlock_rdlock(&eng->lock);
    if (!q->preview) {
        const struct mx_defslot *d = engine_find_def(eng, q->ind_id);
        if (!d)
            ret = err_set(e, ERR_NOT_FOUND, NULL, _("Deze indicator bestaat niet (meer)."));
        else
            ret = run_query(eng, q, d, periods, nper, a, out, e);
        pthread_rwlock_unlock(&eng->lock);
        return ret;
    }
    /* A preview: compiled and evaluated now, into columns of its own. */
    struct arena *pa = arena_new(0);
    struct mx_defslot d = {.id = 0, .arena = pa};
    struct preview_slots ps = {.items = &eng->items};
    struct ind_problems pr = {0};
    struct ind_def copy;
    def_copy(pa, q->preview, &copy);
    ret = ind_compile(&copy, preview_slot, &ps, pa, &d.c, &pr);
    if (ret) {
        if (pr.n > 0)
            err_set(e, ERR_INVALID, pr.p[0].key, "%s", pr.p[0].message);
        else
            err_set(e, ret, NULL, "%s", _("Deze definitie kan niet worden berekend."));
        ret = ret == ERR_NOMEM ? ret : ERR_INVALID;
    } else {
        d.c.def = copy;
        d.resp = copy.unit == IND_UNIT_RESPONSE;
        d.has_val = copy.agg == IND_AGG_MEAN || copy.agg == IND_AGG_MEDIAN;
        struct mx_defslot *one = &d;
        eval_defs(d.resp ? &eng->resp : &eng->traj, &eng->ds, eng->items.n + (size_t)ps.nextra,
                  &one, 1, eng->data_date, &d.cls, &d.val);
        slot_value_range(&d, d.resp ? eng->resp.n : eng->traj.n);
        ret = run_query(eng, q, &d, periods, nper, a, out, e);
        free(d.cls);
        free(d.val);
    }
    pthread_rwlock_unlock(&eng->lock);
    arena_free(pa);
    return ret;
}

/* ---- Dimension values. ----------------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int mx_dim_values(struct mx_engine *eng, enum mx_dim d, struct arena *a, const char ***out,
                  size_t *n)
{
    *out = NULL;
    *n = 0;
    if ((unsigned)d >= MX_DIM__COUNT)
        return ERR_INVALID;
    pthread_rwlock_rdlock(&eng->lock);
    const struct mx_dict *dict = &eng->ds.dim[d];
    uint8_t *seen = xcalloc(dict->n + 1, 1);
    const struct mx_rows *sets[2] = {&eng->traj, &eng->resp};
    for (int s = 0; s < 2; s++) {
        const uint16_t *col = sets[s]->dim[d];
        for (size_t i = 0; i < sets[s]->n; i++)
            seen[col[i]] = 1;
    }
    size_t k = 0;
    for (uint32_t i = 0; i < dict->n; i++)
        k += seen[i];
    const char **v = arena_alloc(a, (k ? k : 1) * sizeof *v);
    int ret = 0;
    if (!v) {
        ret = ERR_NOMEM;
    } else {
        size_t j = 0;
        for (uint32_t i = 0; i < dict->n && !ret; i++)
            if (seen[i] && !(v[j++] = arena_strdup(a, dict->codes[i])))
                ret = ERR_NOMEM;
        if (!ret) {
            qsort(v, k, sizeof *v, cmp_str);
            *out = v;
            *n = k;
        }
    }
    free(seen);
    pthread_rwlock_unlock(&eng->lock);
    return ret;
}
