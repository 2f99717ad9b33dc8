/*
 * engine_eval.c: evaluating definitions into their per-row columns. For every row the fields
 * of fields.h are filled into a record (follow-up fields per definition, from the rows of the
 * same person), the compiled population / event / value programs run on it, and the outcome is
 * kept as a 2-bit class (0 outside the population, 1 in it, 2 with the event) plus an int32
 * value for gemiddelde / mediaan. This happens once per row when a definition is registered
 * and again only for rows that a sync changed, so queries never run an expression.
 */
#include "core/common.h"
#include "core/xalloc.h"
#include "metrics/engine_internal.h"
#include "metrics/expr.h"
#include <pthread.h>

#define FLAG_NO_ASSIGNMENT 1
#define FLAG_TEMP_STOPPED  4
#define FLAG_REGISTRATION  8

day_t eval_window_end(day_t end, int months)
{
    int y, m, d;
    day_to_ymd(end, &y, &m, &d);
    int mm = m - 1 + months;
    y += mm / 12;
    m = mm % 12 + 1;
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int last = mdays[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        last = 29;
    return day_from_ymd(y, m, d > last ? last : d);
}

static int64_t first_known_sat(const struct mx_rows *r, size_t i)
{
    /* jeugdige first, else ouder, else the measurement without informant */
    for (int k = 0; k < 3; k++)
        if (r->sat[k][i])
            return r->sat[k][i];
    return MX_NULL;
}

void eval_fill_traj(const struct mx_dicts *ds, const struct mx_rows *r, size_t i,
                    struct mx_record *rec)
{
    int64_t *v = rec->v;
    const struct mx_dict *dm = ds->dim;
    v[MX_F_LAW] = dm[MX_DIM_LAW].packed[r->dim[MX_DIM_LAW][i]];
    v[MX_F_GEMEENTE] = dm[MX_DIM_GEMEENTE].packed[r->dim[MX_DIM_GEMEENTE][i]];
    v[MX_F_CATEGORY] = dm[MX_DIM_CATEGORY].packed[r->dim[MX_DIM_CATEGORY][i]];
    v[MX_F_GENDER] = dm[MX_DIM_GENDER].packed[r->dim[MX_DIM_GENDER][i]];
    v[MX_F_AGE] = r->age[i] < 0 ? MX_NULL : r->age[i];
    v[MX_F_HULPVORM] = dm[MX_DIM_HULPVORM].packed[r->dim[MX_DIM_HULPVORM][i]];
    v[MX_F_PRODUCT] = ds->fd[FD_PRODUCT].packed[r->fd[FD_PRODUCT][i]];
    v[MX_F_END_REASON] = ds->fd[FD_END_REASON].packed[r->fd[FD_END_REASON][i]];
    v[MX_F_CBS_REASON] = ds->fd[FD_CBS].packed[r->fd[FD_CBS][i]];
    v[MX_F_REFERRER] = dm[MX_DIM_REFERRER].packed[r->dim[MX_DIM_REFERRER][i]];
    day_t s = r->start[i], e = r->end[i];
    v[MX_F_START] = s;
    v[MX_F_END] = e == DAY_NONE ? MX_NULL : e;
    v[MX_F_OPEN] = e == DAY_NONE;
    uint8_t f = r->flags[i];
    v[MX_F_TEMP_STOPPED] = (f & FLAG_TEMP_STOPPED) != 0;
    v[MX_F_NO_ASSIGNMENT] = (f & FLAG_NO_ASSIGNMENT) != 0;
    v[MX_F_REGISTRATION] = (f & FLAG_REGISTRATION) != 0;
    v[MX_F_DURATION] = e == DAY_NONE ? MX_NULL : (int64_t)e - s;
    v[MX_F_WAIT_ASSIGNED] =
        r->date_assigned[i] == DAY_NONE ? MX_NULL : (int64_t)s - r->date_assigned[i];
    v[MX_F_WAIT_REQUESTED] =
        r->date_requested[i] == DAY_NONE ? MX_NULL : (int64_t)s - r->date_requested[i];
    v[MX_F_SATISFACTION] = first_known_sat(r, i);
    v[MX_F_SATISFACTION_CLIENT] = r->sat[MX_INF_CLIENT][i] ? r->sat[MX_INF_CLIENT][i] : MX_NULL;
    v[MX_F_SATISFACTION_PARENT] = r->sat[MX_INF_PARENT][i] ? r->sat[MX_INF_PARENT][i] : MX_NULL;
    const int64_t *zp = ds->fd[FD_ZH].packed;
    uint16_t z = r->zh[MX_INF_CLIENT][i]   ? r->zh[MX_INF_CLIENT][i]
                 : r->zh[MX_INF_PARENT][i] ? r->zh[MX_INF_PARENT][i]
                                           : r->zh[MX_INF_NONE][i];
    v[MX_F_WITHOUT_HELP] = zp[z];
    v[MX_F_WITHOUT_HELP_CLIENT] = zp[r->zh[MX_INF_CLIENT][i]];
    v[MX_F_WITHOUT_HELP_PARENT] = zp[r->zh[MX_INF_PARENT][i]];
    v[MX_F_GOAL] = r->goal[i] == 255 ? MX_NULL : r->goal[i];
    v[MX_F_NEW_START] = MX_NULL;
    v[MX_F_FOLLOW_UP_ELAPSED] = MX_NULL;
    v[MX_F_RESPONSE_DATE] = MX_NULL;
    rec->answers = NULL;
}

/* Fills a response record; answers[] (nitems entries, all MX_NULL on entry) gets the row's
 * answers set, which the caller clears again with clear_answers. */
static void fill_resp(const struct mx_dicts *ds, const struct mx_rows *r, size_t i,
                      struct mx_record *rec, int64_t *answers, size_t nitems)
{
    int64_t *v = rec->v;
    for (int f = 0; f < MX_F__COUNT; f++)
        v[f] = MX_NULL;
    const struct mx_dict *dm = ds->dim;
    v[MX_F_LAW] = dm[MX_DIM_LAW].packed[r->dim[MX_DIM_LAW][i]];
    v[MX_F_GEMEENTE] = dm[MX_DIM_GEMEENTE].packed[r->dim[MX_DIM_GEMEENTE][i]];
    v[MX_F_CATEGORY] = dm[MX_DIM_CATEGORY].packed[r->dim[MX_DIM_CATEGORY][i]];
    v[MX_F_GENDER] = dm[MX_DIM_GENDER].packed[r->dim[MX_DIM_GENDER][i]];
    v[MX_F_AGE] = r->age[i] < 0 ? MX_NULL : r->age[i];
    v[MX_F_RESPONSE_DATE] = r->start[i];
    for (uint32_t k = r->ans_off[i]; k < r->ans_off[i + 1]; k++)
        if (r->ans[k].item < nitems)
            answers[r->ans[k].item] = r->ans[k].value;
    rec->answers = answers;
}

static void clear_answers(const struct mx_rows *r, size_t i, int64_t *answers, size_t nitems)
{
    for (uint32_t k = r->ans_off[i]; k < r->ans_off[i + 1]; k++)
        if (r->ans[k].item < nitems)
            answers[r->ans[k].item] = MX_NULL;
}

/* nieuwe_start and volgtermijn_verstreken of row i for a definition's window and gap, from the
 * person's rows [ps, pe). */
static void follow_up(const struct mx_rows *r, size_t ps, size_t pe, size_t i, int months, int gap,
                      day_t data_date, struct mx_record *rec)
{
    day_t e = r->end[i];
    if (e == DAY_NONE || months < 0) {
        rec->v[MX_F_NEW_START] = MX_NULL;
        rec->v[MX_F_FOLLOW_UP_ELAPSED] = 0;
        return;
    }
    day_t we = eval_window_end(e, months);
    int64_t after = (int64_t)e + (gap > 0 ? gap : 0);
    uint16_t law = r->dim[MX_DIM_LAW][i];
    int64_t found = 0;
    for (size_t j = ps; j < pe && !found; j++)
        if (j != i && r->dim[MX_DIM_LAW][j] == law && r->start[j] > after && r->start[j] <= we)
            found = 1;
    rec->v[MX_F_NEW_START] = found;
    rec->v[MX_F_FOLLOW_UP_ELAPSED] = data_date != DAY_NONE && we <= data_date;
}

/* The class of one row for one definition (value in *val for gemiddelde / mediaan). */
static inline unsigned classify(const struct mx_defslot *d, const struct mx_record *rec,
                                int32_t *val)
{
    if (!d->c.population || !expr_test(d->c.population, rec))
        return 0;
    switch (d->c.def.agg) {
    case IND_AGG_PROPORTION:
        return d->c.event && expr_test(d->c.event, rec) ? 2 : 1;
    case IND_AGG_MEAN:
    case IND_AGG_MEDIAN: {
        int64_t v = d->c.value ? expr_value(d->c.value, rec) : MX_NULL;
        if (v == MX_NULL)
            return 0;
        *val = (int32_t)(v > INT32_MAX ? INT32_MAX : v < INT32_MIN + 1 ? INT32_MIN + 1 : v);
        return 1;
    }
    default:
        return 1;
    }
}

static inline void put_class(uint8_t *cls, size_t i, unsigned c, bool atomic)
{
    if (!c)
        return;
    uint8_t bits = (uint8_t)(c << ((i & 3) * 2));
    if (atomic)
        __atomic_fetch_or(&cls[i >> 2], bits, __ATOMIC_RELAXED);
    else
        cls[i >> 2] |= bits;
}

struct eval_job {
    const struct mx_rows *r;
    const struct mx_dicts *ds;
    struct mx_defslot *const *defs;
    size_t ndefs;
    day_t data_date;
    uint8_t **cls;
    int32_t **val;
    size_t from, to;             /* rows; person boundaries */
    size_t shared_lo, shared_hi; /* rows whose class byte another thread writes too */
    size_t nitems;
};

static void *eval_range(void *arg)
{
    struct eval_job *j = arg;
    const struct mx_rows *r = j->r;
    struct mx_record rec;
    int64_t *answers = NULL;
    if (r->is_resp) {
        answers = xmalloc((j->nitems + 1) * sizeof *answers);
        for (size_t k = 0; k <= j->nitems; k++)
            answers[k] = MX_NULL;
    }
    size_t ps = j->from;
    while (ps < j->to) {
        size_t pe = ps + 1;
        if (!r->is_resp)
            while (pe < j->to && r->person[pe] == r->person[ps])
                pe++;
        for (size_t i = ps; i < pe; i++) {
            if (r->is_resp)
                fill_resp(j->ds, r, i, &rec, answers, j->nitems);
            else
                eval_fill_traj(j->ds, r, i, &rec);
            bool atomic = i >= j->shared_lo && i < j->shared_hi;
            for (size_t k = 0; k < j->ndefs; k++) {
                const struct mx_defslot *d = j->defs[k];
                if (d->c.uses_follow_up && !r->is_resp)
                    follow_up(r, ps, pe, i, d->c.def.follow_up_months, d->c.def.gap_days,
                              j->data_date, &rec);
                int32_t v = 0;
                unsigned c = classify(d, &rec, &v);
                put_class(j->cls[k], i, c, atomic);
                if (j->val[k])
                    j->val[k][i] = c ? v : 0;
            }
            if (r->is_resp)
                clear_answers(r, i, answers, j->nitems);
        }
        ps = pe;
    }
    free(answers);
    return NULL;
}

#define EVAL_PARALLEL_MIN 100000

int eval_defs(const struct mx_rows *r, const struct mx_dicts *ds, size_t nitems,
              struct mx_defslot *const *defs, size_t ndefs, day_t data_date, uint8_t **cls_out,
              int32_t **val_out)
{
    size_t n = r->n;
    for (size_t k = 0; k < ndefs; k++) {
        cls_out[k] = xcalloc(n / 4 + 1, 1);
        val_out[k] = defs[k]->has_val ? xcalloc(n + 1, sizeof(int32_t)) : NULL;
    }
    struct eval_job job = {.r = r,
                           .ds = ds,
                           .defs = defs,
                           .ndefs = ndefs,
                           .data_date = data_date,
                           .cls = cls_out,
                           .val = val_out,
                           .from = 0,
                           .to = n,
                           .nitems = nitems};
    if (n < EVAL_PARALLEL_MIN || ndefs == 0) {
        eval_range(&job);
        return 0;
    }
    /* Two halves split at a person boundary; the class byte both halves share is written
     * with an atomic OR. */
    size_t mid = n / 2;
    if (!r->is_resp)
        while (mid < n && r->person[mid] == r->person[mid - 1])
            mid++;
    struct eval_job a = job, b = job;
    a.to = mid;
    b.from = mid;
    a.shared_lo = b.shared_lo = mid & ~(size_t)3;
    a.shared_hi = b.shared_hi = (mid & ~(size_t)3) + 4;
    pthread_t th;
    if (pthread_create(&th, NULL, eval_range, &b) != 0) {
        eval_range(&job);
        return 0;
    }
    eval_range(&a);
    pthread_join(th, NULL);
    return 0;
}

void slot_value_range(struct mx_defslot *d, size_t n)
{
    d->vmin = d->vmax = 0;
    slot_value_widen(d, d->val, n);
}

void slot_value_widen(struct mx_defslot *d, const int32_t *val, size_t n)
{
    int32_t lo = d->vmin, hi = d->vmax;
    if (val)
        for (size_t i = 0; i < n; i++) {
            lo = val[i] < lo ? val[i] : lo;
            hi = val[i] > hi ? val[i] : hi;
        }
    d->vmin = lo;
    d->vmax = hi;
}

void eval_one(const struct mx_engine *eng, struct mx_defslot *d, size_t i, day_t data_date)
{
    const struct mx_rows *r = &eng->traj;
    size_t ps = i, pe = i + 1;
    while (ps > 0 && r->person[ps - 1] == r->person[i])
        ps--;
    while (pe < r->n && r->person[pe] == r->person[i])
        pe++;
    struct mx_record rec;
    eval_fill_traj(&eng->ds, r, i, &rec);
    if (d->c.uses_follow_up)
        follow_up(r, ps, pe, i, d->c.def.follow_up_months, d->c.def.gap_days, data_date, &rec);
    int32_t v = 0;
    unsigned c = classify(d, &rec, &v);
    d->cls[i >> 2] = (uint8_t)((d->cls[i >> 2] & ~(3u << ((i & 3) * 2))) | (c << ((i & 3) * 2)));
    if (d->val) {
        d->val[i] = c ? v : 0;
        slot_value_widen(d, &d->val[i], 1);
    }
}
