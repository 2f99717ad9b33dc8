/*
 * engine_build.c: the engine's columns and dictionaries, and building them from the store
 * (mx_engine_build): one sequential pass over trajectories with their measurements, a stable
 * sort by person, the survey responses and the population figures, then the definitions.
 */
#include "core/common.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "metrics/engine_internal.h"
#include "domain/trajectory.h"
#include "store/indicator_store.h"
#include "store/metrics_store.h"
#include <math.h>
#include <time.h>

/* ---- Dictionaries. --------------------------------------------------------------------------- */

static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void dict_rehash(struct mx_dict *d, uint32_t nslots)
{
    free(d->slots);
    d->slots = xcalloc(nslots, sizeof *d->slots);
    d->nslots = nslots;
    for (uint32_t i = 0; i < d->n; i++) {
        uint32_t h = hash_str(d->codes[i]) & (nslots - 1);
        while (d->slots[h])
            h = (h + 1) & (nslots - 1);
        d->slots[h] = i + 1;
    }
}

void dict_init(struct mx_dict *d, uint32_t max)
{
    memset(d, 0, sizeof *d);
    d->max = max;
    dict_rehash(d, 16);
    dict_intern(d, "", MX_NULL);
}

void dict_free(struct mx_dict *d)
{
    for (uint32_t i = 0; i < d->n; i++)
        free(d->codes[i]);
    free(d->codes);
    free(d->packed);
    free(d->slots);
    memset(d, 0, sizeof *d);
}

int dict_find(const struct mx_dict *d, const char *code)
{
    uint32_t h = hash_str(code) & (d->nslots - 1);
    while (d->slots[h]) {
        uint32_t i = d->slots[h] - 1;
        if (strcmp(d->codes[i], code) == 0)
            return (int)i;
        h = (h + 1) & (d->nslots - 1);
    }
    return -1;
}

int dict_intern(struct mx_dict *d, const char *code, int64_t packed)
{
    int i = dict_find(d, code);
    if (i >= 0)
        return i;
    if (d->n >= d->max)
        return -1;
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->codes = xrealloc(d->codes, d->cap * sizeof *d->codes);
        d->packed = xrealloc(d->packed, d->cap * sizeof *d->packed);
    }
    d->codes[d->n] = xstrdup(code);
    d->packed[d->n] = packed;
    d->n++;
    if (d->n * 2 > d->nslots)
        dict_rehash(d, d->nslots * 2);
    else {
        uint32_t h = hash_str(code) & (d->nslots - 1);
        while (d->slots[h])
            h = (h + 1) & (d->nslots - 1);
        d->slots[h] = d->n;
    }
    return (int)d->n - 1;
}

size_t dict_bytes(const struct mx_dict *d)
{
    size_t b = d->cap * (sizeof *d->codes + sizeof *d->packed) + d->nslots * sizeof *d->slots;
    for (uint32_t i = 0; i < d->n; i++)
        b += strlen(d->codes[i]) + 1;
    return b;
}

void dicts_init(struct mx_dicts *ds)
{
    for (int i = 0; i < MX_DIM__COUNT; i++)
        dict_init(&ds->dim[i], UINT16_MAX);
    for (int i = 0; i < FD__COUNT; i++)
        dict_init(&ds->fd[i], i == FD_ZH ? UINT8_MAX : UINT16_MAX);
}

void dicts_free(struct mx_dicts *ds)
{
    for (int i = 0; i < MX_DIM__COUNT; i++)
        dict_free(&ds->dim[i]);
    for (int i = 0; i < FD__COUNT; i++)
        dict_free(&ds->fd[i]);
}

/* ---- Rows. ----------------------------------------------------------------------------------- */

int row_columns(struct mx_rows *r, struct colref *out)
{
    int n = 0;
#define COL(x) (out[n++] = (struct colref){(void **)&(x), sizeof *(x)})
    COL(r->start);
    COL(r->end);
    COL(r->age);
    for (int d = 0; d < MX_DIM__COUNT; d++)
        COL(r->dim[d]);
    if (!r->is_resp) {
        COL(r->person);
        COL(r->fd[FD_PRODUCT]);
        COL(r->fd[FD_END_REASON]);
        COL(r->fd[FD_CBS]);
        COL(r->flags);
        COL(r->date_assigned);
        COL(r->date_requested);
        for (int k = 0; k < 3; k++) {
            COL(r->sat[k]);
            COL(r->zh[k]);
        }
        COL(r->goal);
        COL(r->share);
    }
#undef COL
    return n;
}

void rows_init(struct mx_rows *r, bool is_resp)
{
    memset(r, 0, sizeof *r);
    r->is_resp = is_resp;
}

void rows_free(struct mx_rows *r)
{
    struct colref c[MAX_COLS];
    int nc = row_columns(r, c);
    for (int i = 0; i < nc; i++)
        free(*c[i].p);
    free(r->ans_off);
    free(r->ans);
    free(r->reach);
    rows_init(r, r->is_resp);
}

void rows_grow(struct mx_rows *r, size_t need)
{
    if (need <= r->cap)
        return;
    size_t cap = r->cap ? r->cap : 1024;
    while (cap < need)
        cap *= 2;
    struct colref c[MAX_COLS];
    int nc = row_columns(r, c);
    for (int i = 0; i < nc; i++)
        *c[i].p = xrealloc(*c[i].p, cap * c[i].size);
    if (r->is_resp)
        r->ans_off = xrealloc(r->ans_off, (cap + 1) * sizeof *r->ans_off);
    r->cap = cap;
}

size_t rows_bytes(const struct mx_rows *r)
{
    struct colref c[MAX_COLS];
    int nc = row_columns((struct mx_rows *)r, c);
    size_t b = 0;
    for (int i = 0; i < nc; i++)
        b += r->cap * c[i].size;
    if (r->is_resp)
        b += (r->cap + 1) * sizeof *r->ans_off + r->cans * sizeof *r->ans;
    return b + r->nreach * sizeof *r->reach;
}

/* Shrinks the columns to n rows (after a build, so memory is what the rows need). */
static void rows_shrink(struct mx_rows *r)
{
    if (r->n == r->cap || r->n == 0)
        return;
    struct colref c[MAX_COLS];
    int nc = row_columns(r, c);
    for (int i = 0; i < nc; i++)
        *c[i].p = xrealloc(*c[i].p, r->n * c[i].size);
    if (r->is_resp)
        r->ans_off = xrealloc(r->ans_off, (r->n + 1) * sizeof *r->ans_off);
    r->cap = r->n;
}

/* The earliest day of row i: its start, or its end when that lies before (anchors count a row
 * at one of these, never earlier). */
static int32_t row_earliest(const struct mx_rows *r, size_t i)
{
    int32_t st = r->start[i], en = r->end ? r->end[i] : DAY_NONE;
    return en != DAY_NONE && en < st ? en : st;
}

/* The order of persons: earliest day, then id, as one number (day + 2^31 keeps the order of the
 * signed days). */
static uint64_t person_key(int32_t first, uint32_t pid)
{
    return ((uint64_t)((int64_t)first - INT32_MIN) << 32) | pid;
}

uint64_t rows_person_key(const struct mx_rows *r, size_t i, size_t *run_end)
{
    uint32_t pid = r->person[i];
    int32_t first = row_earliest(r, i);
    size_t j = i + 1;
    for (; j < r->n && r->person[j] == pid; j++) {
        int32_t d = row_earliest(r, j);
        first = d < first ? d : first;
    }
    if (run_end)
        *run_end = j;
    return person_key(first, pid);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

void rows_sort_persons(struct mx_rows *r)
{
    size_t n = r->n;
    if (n < 2)
        return;
    uint32_t maxp = 0;
    for (size_t i = 0; i < n; i++)
        maxp = r->person[i] > maxp ? r->person[i] : maxp;
    /* Each person's earliest day, then the persons in key order: rank[pid] is the place. */
    int32_t *first = xmalloc(((size_t)maxp + 1) * sizeof *first);
    for (size_t p = 0; p <= maxp; p++)
        first[p] = INT32_MAX;
    for (size_t i = 0; i < n; i++) {
        int32_t d = row_earliest(r, i);
        if (d < first[r->person[i]])
            first[r->person[i]] = d;
    }
    size_t np = 0;
    uint64_t *keys = xmalloc(((size_t)maxp + 1) * sizeof *keys);
    for (size_t p = 0; p <= maxp; p++)
        if (first[p] != INT32_MAX)
            keys[np++] = person_key(first[p], (uint32_t)p);
    free(first);
    qsort(keys, np, sizeof *keys, cmp_u64);
    uint32_t *rank = xmalloc(((size_t)maxp + 1) * sizeof *rank);
    for (size_t k = 0; k < np; k++)
        rank[(uint32_t)keys[k]] = (uint32_t)k;
    free(keys);
    bool sorted = true;
    for (size_t i = 1; i < n && sorted; i++)
        sorted = rank[r->person[i]] >= rank[r->person[i - 1]];
    if (sorted) {
        free(rank);
        return;
    }
    /* Counting sort on the rank: stable, so a person's rows keep their order. */
    uint32_t *count = xcalloc(np + 1, sizeof *count);
    for (size_t i = 0; i < n; i++)
        count[rank[r->person[i]] + 1]++;
    for (size_t k = 1; k <= np; k++)
        count[k] += count[k - 1];
    uint32_t *perm = xmalloc(n * sizeof *perm); /* perm[new] = old */
    for (size_t i = 0; i < n; i++)
        perm[count[rank[r->person[i]]]++] = (uint32_t)i;
    free(count);
    free(rank);
    struct colref c[MAX_COLS];
    int nc = row_columns(r, c);
    for (int k = 0; k < nc; k++) {
        size_t sz = c[k].size;
        unsigned char *src = *c[k].p, *dst = xmalloc(r->cap * sz);
        for (size_t i = 0; i < n; i++)
            memcpy(dst + i * sz, src + (size_t)perm[i] * sz, sz);
        free(src);
        *c[k].p = dst;
    }
    free(perm);
}

void rows_index_reach(struct mx_rows *r)
{
    free(r->reach);
    r->reach = NULL;
    r->nreach = (r->n + MX_REACH_ROWS - 1) / MX_REACH_ROWS;
    if (!r->nreach)
        return;
    r->reach = xmalloc(r->nreach * sizeof *r->reach);
    int32_t low = INT32_MAX;
    for (size_t b = r->nreach; b-- > 0;) {
        size_t hi = (b + 1) * MX_REACH_ROWS < r->n ? (b + 1) * MX_REACH_ROWS : r->n;
        for (size_t i = b * MX_REACH_ROWS; i < hi; i++) {
            int32_t d = row_earliest(r, i);
            low = d < low ? d : low;
        }
        r->reach[b] = low;
    }
}

size_t rows_before_day(const struct mx_rows *r, day_t top)
{
    /* the first block whose rows all lie after top (reach is non-decreasing) */
    size_t lo = 0, hi = r->nreach;
    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        if (r->reach[m] > top)
            hi = m;
        else
            lo = m + 1;
    }
    size_t cut = lo * MX_REACH_ROWS;
    return cut < r->n ? cut : r->n;
}

/* Month number of a day (year * 12 + month - 1); open ends are far in the future. */
static int64_t month_of(day_t d)
{
    if (d == DAY_NONE)
        return INT32_MAX;
    int y, m, dd;
    day_to_ymd(d, &y, &m, &dd);
    return (int64_t)y * 12 + m - 1;
}

struct mspan {
    int64_t s, e; /* months */
    size_t row;
};

static int cmp_mspan(const void *a, const void *b)
{
    const struct mspan *x = a, *y = b;
    return (x->s > y->s) - (x->s < y->s);
}

void rows_person_overlaps(struct mx_rows *r)
{
    static const int64_t months_per[4] = {1, 3, 6, 12}; /* enum period_kind */
    struct mspan *v = NULL;
    size_t cap = 0;
    for (size_t ps = 0; ps < r->n;) {
        size_t pe = ps + 1;
        while (pe < r->n && r->person[pe] == r->person[ps])
            pe++;
        size_t m = pe - ps;
        for (size_t i = ps; i < pe; i++)
            r->share[i] = 0;
        if (m > 1) {
            if (m > cap) {
                cap = m * 2;
                v = xrealloc(v, cap * sizeof *v);
            }
            for (int k = 0; k < 4; k++) {
                int64_t d = months_per[k];
                for (size_t i = 0; i < m; i++) {
                    int64_t sm = month_of(r->start[ps + i]), em = month_of(r->end[ps + i]);
                    v[i] = (struct mspan){sm / d, em < INT32_MAX ? em / d : INT32_MAX, ps + i};
                }
                /* sorted by first period, a row shares a period with an earlier one when the
                 * largest end so far reaches it, with a later one when the next starts in it */
                qsort(v, m, sizeof *v, cmp_mspan);
                int64_t maxend = INT64_MIN;
                for (size_t i = 0; i < m; i++) {
                    bool shares = maxend >= v[i].s || (i + 1 < m && v[i + 1].s <= v[i].e);
                    if (shares)
                        r->share[v[i].row] |= (uint8_t)(1u << k);
                    if (v[i].e > maxend)
                        maxend = v[i].e;
                }
            }
        }
        ps = pe;
    }
    free(v);
}

static int intern(struct mx_dict *d, const char *code, int64_t packed, uint16_t *out)
{
    int i = dict_intern(d, code, packed);
    if (i < 0)
        return ERR_TOO_BIG;
    *out = (uint16_t)i;
    return 0;
}

static int intern_code(struct mx_dict *d, const char *code, uint16_t *out)
{
    return intern(d, code, mx_code_pack(code, strlen(code)), out);
}

static int intern_num(struct mx_dict *d, int64_t v, uint16_t *out)
{
    char buf[24];
    if (v <= 0)
        buf[0] = '\0';
    else
        snprintf(buf, sizeof buf, "%" PRId64, v);
    return intern_code(d, buf, out);
}

static const char *law_code(int law)
{
    return law == 1 ? "jw" : law == 2 ? "wmo" : "";
}

int rows_add_traj(struct mx_rows *r, struct mx_dicts *ds, const struct mstore_traj *t)
{
    rows_grow(r, r->n + 1);
    size_t i = r->n;
    int ret;
    if (t->person_id <= 0 || t->person_id > UINT32_MAX - 1)
        return ERR_TOO_BIG;
    r->person[i] = (uint32_t)t->person_id;
    r->start[i] = t->start;
    r->end[i] = t->end;
    r->age[i] = (int16_t)(t->age_at_start >= 0 && t->age_at_start < 1000 ? t->age_at_start : -1);
    uint16_t v;
#define DIM(d, code)                                                                               \
    do {                                                                                           \
        if ((ret = intern_code(&ds->dim[d], code, &v)))                                            \
            return ret;                                                                            \
        r->dim[d][i] = v;                                                                          \
    } while (0)
    DIM(MX_DIM_GEMEENTE, t->gemeente);
    DIM(MX_DIM_AREA, t->postcode4);
    if ((ret = intern_num(&ds->dim[MX_DIM_AANBIEDER], t->aanbieder_id, &v)))
        return ret;
    r->dim[MX_DIM_AANBIEDER][i] = v;
    DIM(MX_DIM_LAW, law_code(t->law));
    DIM(MX_DIM_CATEGORY, t->category);
    DIM(MX_DIM_HULPVORM, t->hulpvorm);
    DIM(MX_DIM_AGE_BAND, t->age_band);
    DIM(MX_DIM_GENDER, t->gender);
    DIM(MX_DIM_REFERRER, t->referrer);
#undef DIM
    if ((ret = intern_code(&ds->fd[FD_PRODUCT], t->product_code, &v)))
        return ret;
    r->fd[FD_PRODUCT][i] = v;
    /* reden_einde: a code of JZ588 / WMO588; NULL for registrations (CBS list) and open rows. */
    enum mx_code_list list = strcmp(t->end_reason_list, "JZ588") == 0    ? MX_LIST_JZ588
                             : strcmp(t->end_reason_list, "WMO588") == 0 ? MX_LIST_WMO588
                                                                         : MX_LIST_NONE;
    v = 0;
    if (list != MX_LIST_NONE && t->end != DAY_NONE && t->end_reason[0]) {
        char key[24];
        snprintf(key, sizeof key, "%s:%s", t->end_reason_list, t->end_reason);
        if ((ret = intern(&ds->fd[FD_END_REASON], key,
                          mx_code_pack_list(list, t->end_reason, strlen(t->end_reason)), &v)))
            return ret;
    }
    r->fd[FD_END_REASON][i] = v;
    v = 0;
    if (t->end != DAY_NONE && (ret = intern_code(&ds->fd[FD_CBS], t->cbs_reason, &v)))
        return ret;
    r->fd[FD_CBS][i] = v;
    r->flags[i] = (uint8_t)t->flags;
    r->date_assigned[i] = t->date_assigned;
    r->date_requested[i] = t->date_requested;
    for (int k = 0; k < 3; k++) {
        r->sat[k][i] = 0;
        r->zh[k][i] = 0;
    }
    int goal = -1;
    for (int m = 0; m < t->nmeas; m++) {
        const struct mstore_meas *ms = &t->meas[m];
        int k = strcmp(ms->informant, "01") == 0   ? MX_INF_CLIENT
                : strcmp(ms->informant, "02") == 0 ? MX_INF_PARENT
                : ms->informant[0] == '\0'         ? MX_INF_NONE
                                                   : -1;
        if (k >= 0) {
            r->sat[k][i] =
                (uint8_t)(ms->satisfaction >= 1 && ms->satisfaction <= 10 ? ms->satisfaction : 0);
            uint16_t z = 0;
            if (ms->zonder_hulp[0] && (ret = intern_code(&ds->fd[FD_ZH], ms->zonder_hulp, &z)))
                return ret;
            r->zh[k][i] = (uint8_t)z; /* FD_ZH holds at most UINT8_MAX codes */
        }
        /* doelrealisatie: the max over all the trajectory's measurements */
        if (ms->goal_realisation >= 0 && ms->goal_realisation <= 100 && ms->goal_realisation > goal)
            goal = ms->goal_realisation;
    }
    r->goal[i] = (uint8_t)(goal < 0 ? 255 : goal);
    r->share[i] = 0; /* rows_person_overlaps */
    r->n++;
    return 0;
}

int rows_add_response(struct mx_rows *r, struct mx_dicts *ds, struct mx_dict *items,
                      const struct mstore_response *s)
{
    rows_grow(r, r->n + 1);
    size_t i = r->n;
    uint16_t v;
    int ret;
    if (i == 0)
        r->ans_off[0] = 0;
    r->start[i] = s->date;
    r->end[i] = DAY_NONE;
    r->age[i] = (int16_t)(s->age >= 0 && s->age < 1000 ? s->age : -1);
    for (int d = 0; d < MX_DIM__COUNT; d++)
        r->dim[d][i] = 0;
    if ((ret = intern_code(&ds->dim[MX_DIM_GEMEENTE], s->gemeente, &v)))
        return ret;
    r->dim[MX_DIM_GEMEENTE][i] = v;
    if ((ret = intern_num(&ds->dim[MX_DIM_AANBIEDER], s->aanbieder_id, &v)))
        return ret;
    r->dim[MX_DIM_AANBIEDER][i] = v;
    if ((ret = intern_code(&ds->dim[MX_DIM_LAW], law_code(s->law), &v)))
        return ret;
    r->dim[MX_DIM_LAW][i] = v;
    if ((ret = intern_code(&ds->dim[MX_DIM_CATEGORY], s->category, &v)))
        return ret;
    r->dim[MX_DIM_CATEGORY][i] = v;
    /* leeftijd: the band of the answered age (law unknown: Wmo bands) */
    if ((ret = intern_code(&ds->dim[MX_DIM_AGE_BAND],
                           trajectory_age_band(s->law == 1 ? LAW_JW : LAW_WMO, s->age), &v)))
        return ret;
    r->dim[MX_DIM_AGE_BAND][i] = v;
    if ((ret = intern_code(&ds->dim[MX_DIM_GENDER], s->gender, &v)))
        return ret;
    r->dim[MX_DIM_GENDER][i] = v;
    if (r->nans + (size_t)s->nanswers > r->cans) {
        size_t c = r->cans ? r->cans : 1024;
        while (c < r->nans + (size_t)s->nanswers)
            c *= 2;
        r->ans = xrealloc(r->ans, c * sizeof *r->ans);
        r->cans = c;
    }
    for (int k = 0; k < s->nanswers; k++) {
        int it = dict_intern(items, s->answers[k].item, MX_NULL);
        if (it < 0)
            return ERR_TOO_BIG;
        int64_t val = s->answers[k].value;
        r->ans[r->nans++] = (struct mx_ans){.item = (uint16_t)it,
                                            .value = (int32_t)(val > INT32_MAX   ? INT32_MAX
                                                               : val < INT32_MIN ? INT32_MIN
                                                                                 : val)};
    }
    r->ans_off[i + 1] = (uint32_t)r->nans;
    r->n++;
    return 0;
}

/* ---- Population. ----------------------------------------------------------------------------- */

void pop_free(struct mx_pop *p)
{
    free(p->v);
    free(p->first);
    memset(p, 0, sizeof *p);
}

struct pop_load {
    struct mx_dicts *ds;
    struct mx_pop_entry *v;
    size_t n, cap;
};

/* "0-4" -> [0, 4]; "95+" -> [95, 104] (docs/indicators.md). False if not a band. */
static bool parse_band(const char *s, int *lo, int *hi)
{
    int64_t a = 0, b = 0;
    const char *dash = strchr(s, '-');
    size_t len = strlen(s);
    if (len > 1 && s[len - 1] == '+') {
        if (str_parse_i64((struct str){s, len - 1}, 0, 104, &a))
            return false;
        *lo = (int)a;
        *hi = 104;
        return true;
    }
    if (!dash || str_parse_i64((struct str){s, (size_t)(dash - s)}, 0, 200, &a) ||
        str_parse_i64_c(dash + 1, 0, 200, &b) || b < a)
        return false;
    *lo = (int)a;
    *hi = (int)b;
    return true;
}

static int on_pop(void *ctx, const struct mstore_population *p)
{
    struct pop_load *L = ctx;
    int lo, hi;
    uint16_t g;
    if (!parse_band(p->age_band, &lo, &hi) || p->year < 1900 || p->year > 2200)
        return 0; /* not a band the rules know: left out */
    int ret = intern_code(&L->ds->dim[MX_DIM_GEMEENTE], p->gemeente, &g);
    if (ret)
        return ret;
    if (L->n == L->cap) {
        L->cap = L->cap ? L->cap * 2 : 256;
        L->v = xrealloc(L->v, L->cap * sizeof *L->v);
    }
    L->v[L->n++] = (struct mx_pop_entry){.gem = g,
                                         .year = (int16_t)p->year,
                                         .lo = (int16_t)lo,
                                         .hi = (int16_t)hi,
                                         .inhabitants = p->inhabitants,
                                         .men = p->men < 0 ? 0 : p->men,
                                         .women = p->women < 0 ? 0 : p->women};
    return 0;
}

static int cmp_pop(const void *a, const void *b)
{
    const struct mx_pop_entry *x = a, *y = b;
    if (x->gem != y->gem)
        return x->gem < y->gem ? -1 : 1;
    if (x->year != y->year)
        return x->year < y->year ? -1 : 1;
    return (x->lo > y->lo) - (x->lo < y->lo);
}

void pop_index(struct mx_pop *p, uint32_t ngem)
{
    if (p->n)
        qsort(p->v, p->n, sizeof *p->v, cmp_pop);
    free(p->first);
    p->ngem = ngem;
    p->first = xcalloc((size_t)ngem + 1, sizeof *p->first);
    /* first[g] = first entry of gemeente g (entries sorted by gemeente); first[ngem] = n */
    size_t k = 0;
    for (uint32_t g = 0; g <= ngem; g++) {
        while (k < p->n && p->v[k].gem < g)
            k++;
        p->first[g] = (uint32_t)k;
    }
}

int engine_load_population(struct db *db, struct mx_dicts *ds, struct mx_pop *out)
{
    struct pop_load L = {.ds = ds};
    int ret = mstore_scan_population(db, on_pop, &L);
    if (ret) {
        free(L.v);
        return ret;
    }
    memset(out, 0, sizeof *out);
    out->v = L.v;
    out->n = L.n;
    pop_index(out, ds->dim[MX_DIM_GEMEENTE].n);
    return 0;
}

/* ---- Whole-engine figures. ------------------------------------------------------------------- */

void engine_data_date(struct mx_engine *eng)
{
    day_t dd = DAY_NONE;
    const struct mx_rows *r = &eng->traj;
    for (size_t i = 0; i < r->n; i++) {
        if (r->start[i] > dd)
            dd = r->start[i];
        if (r->end[i] > dd)
            dd = r->end[i];
    }
    eng->data_date = dd;
}

size_t engine_count_persons(const struct mx_rows *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++)
        if (i == 0 || r->person[i] != r->person[i - 1])
            n++;
    return n;
}

struct code_pos {
    const char *code;
    uint32_t idx;
};

static int cmp_code_pos(const void *a, const void *b)
{
    return strcmp(((const struct code_pos *)a)->code, ((const struct code_pos *)b)->code);
}

void engine_rank_dims(struct mx_engine *eng)
{
    for (int d = 0; d < MX_DIM__COUNT; d++) {
        const struct mx_dict *dict = &eng->ds.dim[d];
        uint32_t n = dict->n;
        if (eng->rank[d] && eng->nranked[d] == n)
            continue;
        struct code_pos *v = xmalloc(((size_t)n + 1) * sizeof *v);
        for (uint32_t i = 0; i < n; i++)
            v[i] = (struct code_pos){dict->codes[i], i};
        qsort(v, n, sizeof *v, cmp_code_pos);
        free(eng->rank[d]);
        free(eng->order[d]);
        eng->rank[d] = xmalloc(((size_t)n + 1) * sizeof *eng->rank[d]);
        eng->order[d] = xmalloc(((size_t)n + 1) * sizeof *eng->order[d]);
        for (uint32_t i = 0; i < n; i++) {
            eng->rank[d][v[i].idx] = i;
            eng->order[d][i] = v[i].idx;
        }
        eng->rank[d][n] = eng->order[d][n] = n; /* the margin */
        eng->nranked[d] = n;
        free(v);
    }
}

/* ---- Build. ---------------------------------------------------------------------------------- */

struct traj_load {
    struct mx_rows *r;
    struct mx_dicts *ds;
};

static int on_traj(void *ctx, const struct mstore_traj *t)
{
    struct traj_load *L = ctx;
    return rows_add_traj(L->r, L->ds, t);
}

struct resp_load {
    struct mx_rows *r;
    struct mx_dicts *ds;
    struct mx_dict *items;
};

static int on_resp(void *ctx, const struct mstore_response *s)
{
    struct resp_load *L = ctx;
    return rows_add_response(L->r, L->ds, L->items, s);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Registers the active definitions of the store. A definition that does not parse or compile
 * is logged and left out: the engine serves the others. */
static void load_definitions(struct mx_engine *eng, struct db *db)
{
    struct arena *a = arena_new(0);
    struct indicator_row *rows = NULL;
    size_t n = 0;
    int ret = indicator_store_list(a, db, false, &rows, &n);
    if (ret) {
        log_warn("engine.definitions", "error", err_name(ret), NULL);
        arena_free(a);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        struct ind_def def;
        struct ind_problems pr = {0};
        char id[24];
        snprintf(id, sizeof id, "%" PRId64, rows[i].id);
        if (!rows[i].definition ||
            (ret = ind_def_parse(rows[i].definition, strlen(rows[i].definition), a, &def, &pr)) ||
            (ret = mx_engine_define(eng, rows[i].id, (int)rows[i].version, &def, &pr))) {
            log_warn("engine.definition_skipped", "id", id, "code", rows[i].code, "problem",
                     pr.n > 0 ? pr.p[0].message : err_name(ret), NULL);
        }
    }
    arena_free(a);
}

int mx_engine_build(struct db *db, struct mx_engine **out, struct err_ctx *e)
{
    double t0 = now_seconds();
    struct mx_engine *eng = xcalloc(1, sizeof *eng);
    pthread_rwlock_init(&eng->lock, NULL);
    pthread_mutex_init(&eng->sync, NULL);
    dicts_init(&eng->ds);
    dict_init(&eng->items, UINT16_MAX);
    rows_init(&eng->traj, false);
    rows_init(&eng->resp, true);
    *out = NULL;

    int ret = mstore_snapshot_begin(db);
    if (ret) {
        mx_engine_free(eng);
        return err_set(e, ret, NULL, "engine: could not read the store");
    }
    struct traj_load tl = {.r = &eng->traj, .ds = &eng->ds};
    struct resp_load rl = {.r = &eng->resp, .ds = &eng->ds, .items = &eng->items};
    if ((ret = mstore_heads(db, &eng->seq, &eng->resp_count, &eng->resp_max)) ||
        (ret = mstore_person_max_id(db, &eng->max_person)) ||
        (ret = mstore_scan_trajectories(db, 0, on_traj, &tl)) ||
        (ret = mstore_scan_responses(db, on_resp, &rl)) ||
        (ret = engine_load_population(db, &eng->ds, &eng->pop))) {
        mstore_snapshot_end(db);
        mx_engine_free(eng);
        return err_set(e, ret, NULL, "engine: reading the store failed (%s)", err_name(ret));
    }
    mstore_snapshot_end(db);
    rows_sort_persons(&eng->traj);
    rows_person_overlaps(&eng->traj);
    rows_shrink(&eng->traj);
    rows_shrink(&eng->resp);
    rows_index_reach(&eng->traj);
    rows_index_reach(&eng->resp);
    engine_data_date(eng);
    eng->npersons = engine_count_persons(&eng->traj);
    engine_rank_dims(eng);
    load_definitions(eng, db);
    eng->build_seconds = now_seconds() - t0;
    eng->generation = engine_next_generation();
    *out = eng;
    return 0;
}
