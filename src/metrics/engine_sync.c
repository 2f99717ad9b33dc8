/*
 * engine_sync.c: keeping the engine fresh from the store's change journal (mx_engine_sync).
 *
 * For every data_change after the engine's seq: an import touched the groups of its fact range,
 * an undo the groups it recorded (data_change_group), a 'bevolking' batch the population. The
 * engine reloads the touched persons whole (every group of them: their follow-up fields depend
 * on all their rows) and, when persons were added above its largest person id, all of those by
 * one range scan (the bulk case). The new rows get their definition columns evaluated outside
 * the write lock; then, under it, each column is merged with the old one in person order
 * (dropping the old rows of the touched persons), one column at a time so that memory peaks at
 * one extra column. A changed data date re-evaluates only the rows whose follow-up window it
 * crosses.
 */
#include "core/common.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "metrics/engine_internal.h"
#include "store/metrics_store.h"
#include <time.h>

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- Collecting what changed. ---------------------------------------------------------------- */

struct persons {
    int64_t *v;
    size_t n, cap;
    int64_t upto; /* only persons up to this id (the engine's largest) */
};

static int add_group(void *ctx, const struct mstore_group *g)
{
    struct persons *p = ctx;
    if (g->person_id > p->upto)
        return 0; /* loaded by the range scan */
    if (p->n && p->v[p->n - 1] == g->person_id)
        return 0;
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 256;
        p->v = xrealloc(p->v, p->cap * sizeof *p->v);
    }
    p->v[p->n++] = g->person_id;
    return 0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void persons_unique(struct persons *p)
{
    if (p->n < 2)
        return;
    qsort(p->v, p->n, sizeof *p->v, cmp_i64);
    size_t k = 1;
    for (size_t i = 1; i < p->n; i++)
        if (p->v[i] != p->v[k - 1])
            p->v[k++] = p->v[i];
    p->n = k;
}

struct stage {
    struct mx_dicts ds; /* codes of the staged rows, merged into the engine's later */
    struct mx_dict items;
    struct mx_rows traj, resp;
    struct mx_pop pop;
    bool have_resp, have_pop;
    struct persons touched;
    bool above; /* persons above the engine's largest id were loaded */
    int64_t seq, max_person, resp_count, resp_max;
    /* per definition (index into eng->defs): new columns for the staged rows */
    uint8_t **cls;
    int32_t **val;
};

static int on_traj(void *ctx, const struct mstore_traj *t)
{
    struct stage *s = ctx;
    return rows_add_traj(&s->traj, &s->ds, t);
}

static int on_resp(void *ctx, const struct mstore_response *r)
{
    struct stage *s = ctx;
    return rows_add_response(&s->resp, &s->ds, &s->items, r);
}

#define JOURNAL_CHUNK 256

/* Reads everything that changed after the engine's state, in one snapshot. */
static int stage_load(struct mx_engine *eng, struct db *db, struct stage *s)
{
    int ret = mstore_snapshot_begin(db);
    if (ret)
        return ret;
    struct mstore_change ch[JOURNAL_CHUNK];
    size_t n = 0;
    int64_t at = eng->seq;
    bool reload_pop = false;
    s->touched.upto = eng->max_person;
    if ((ret = mstore_heads(db, &s->seq, &s->resp_count, &s->resp_max)) ||
        (ret = mstore_person_max_id(db, &s->max_person)))
        goto out;
    do {
        if ((ret = mstore_journal_after(db, at, ch, JOURNAL_CHUNK, &n)))
            goto out;
        for (size_t i = 0; i < n; i++) {
            const struct mstore_change *c = &ch[i];
            if (c->seq > s->seq)
                break; /* cannot happen inside one snapshot */
            if (c->population)
                reload_pop = true;
            else if (c->undo)
                ret = mstore_undo_groups(db, c->seq, add_group, &s->touched);
            else
                ret = mstore_import_groups(db, c, eng->max_person, add_group, &s->touched);
            if (ret)
                goto out;
            at = c->seq;
        }
    } while (n == JOURNAL_CHUNK);
    persons_unique(&s->touched);
    for (size_t i = 0; i < s->touched.n; i++)
        if ((ret = mstore_scan_person(db, s->touched.v[i], on_traj, s)))
            goto out;
    if (s->max_person > eng->max_person) {
        s->above = true;
        /* Many new persons: one pass over the table beats an index lookup per row. */
        int64_t fresh = s->max_person - eng->max_person;
        if (fresh * 4 > (int64_t)eng->npersons)
            ret = mstore_scan_trajectories(db, eng->max_person, on_traj, s);
        else
            ret = mstore_scan_trajectories_indexed(db, eng->max_person, on_traj, s);
        if (ret)
            goto out;
    }
    if (s->resp_count != eng->resp_count || s->resp_max != eng->resp_max) {
        s->have_resp = true;
        if ((ret = mstore_scan_responses(db, on_resp, s)))
            goto out;
    }
    if (reload_pop) {
        s->have_pop = true;
        ret = engine_load_population(db, &s->ds, &s->pop);
    }
out:
    mstore_snapshot_end(db);
    return ret;
}

/* ---- Codes: the staged dictionaries into the engine's. --------------------------------------- */

struct remaps {
    uint16_t *dim[MX_DIM__COUNT];
    uint16_t *fd[FD__COUNT];
    uint16_t *items;
};

static int remap_dict(struct mx_dict *to, const struct mx_dict *from, uint16_t **out)
{
    *out = xmalloc(((size_t)from->n + 1) * sizeof **out);
    for (uint32_t i = 0; i < from->n; i++) {
        int k = dict_intern(to, from->codes[i], from->packed[i]);
        if (k < 0)
            return ERR_TOO_BIG;
        (*out)[i] = (uint16_t)k;
    }
    return 0;
}

static void remaps_free(struct remaps *m)
{
    for (int d = 0; d < MX_DIM__COUNT; d++)
        free(m->dim[d]);
    for (int d = 0; d < FD__COUNT; d++)
        free(m->fd[d]);
    free(m->items);
}

static void remap_col(uint16_t *col, size_t n, const uint16_t *map)
{
    for (size_t i = 0; i < n; i++)
        col[i] = map[col[i]];
}

static void remap_col8(uint8_t *col, size_t n, const uint16_t *map)
{
    for (size_t i = 0; i < n; i++)
        col[i] = (uint8_t)map[col[i]]; /* FD_ZH holds at most UINT8_MAX codes */
}

static void remap_rows(struct mx_rows *r, const struct remaps *m)
{
    for (int d = 0; d < MX_DIM__COUNT; d++)
        remap_col(r->dim[d], r->n, m->dim[d]);
    if (r->is_resp) {
        for (size_t k = 0; k < r->nans; k++)
            r->ans[k].item = m->items[r->ans[k].item];
        return;
    }
    remap_col(r->fd[FD_PRODUCT], r->n, m->fd[FD_PRODUCT]);
    remap_col(r->fd[FD_END_REASON], r->n, m->fd[FD_END_REASON]);
    remap_col(r->fd[FD_CBS], r->n, m->fd[FD_CBS]);
    for (int k = 0; k < 3; k++)
        remap_col8(r->zh[k], r->n, m->fd[FD_ZH]);
}

/* ---- Merging. -------------------------------------------------------------------------------- */

/* A run of rows of the result taken from the old columns or the staged ones. */
struct seg {
    bool staged;
    size_t at, len;
};

struct plan {
    struct seg *v;
    size_t n, cap;
    size_t total;
};

static void plan_emit(struct plan *p, bool staged, size_t at)
{
    if (p->n) {
        struct seg *l = &p->v[p->n - 1];
        if (l->staged == staged && l->at + l->len == at) {
            l->len++;
            p->total++;
            return;
        }
    }
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->v = xrealloc(p->v, p->cap * sizeof *p->v);
    }
    p->v[p->n++] = (struct seg){staged, at, 1};
    p->total++;
}

/* One person's rows [at, end) and the person's key (rows_person_key). */
struct run {
    size_t at, end;
    uint64_t key;
};

/* The first person at or after row `at` that is not in skip (sorted ids; NULL: none). */
static bool next_run(const struct mx_rows *r, size_t at, const struct persons *skip,
                     struct run *out)
{
    while (at < r->n) {
        size_t end;
        uint64_t key = rows_person_key(r, at, &end);
        int64_t pid = r->person[at];
        if (!skip || !skip->n || !bsearch(&pid, skip->v, skip->n, sizeof *skip->v, cmp_i64)) {
            *out = (struct run){at, end, key};
            return true;
        }
        at = end;
    }
    return false;
}

/* Old rows of untouched persons and staged rows, the persons in key order (rows_sort_persons;
 * both sides are in it). The two sets of persons are disjoint: staged persons are the touched
 * ones and those above the engine's largest id. */
static void plan_make(const struct mx_rows *old, const struct mx_rows *st,
                      const struct persons *touched, struct plan *p)
{
    struct run a = {0}, b = {0};
    bool ha = next_run(old, 0, touched, &a), hb = next_run(st, 0, NULL, &b);
    while (ha || hb) {
        if (ha && (!hb || a.key < b.key)) {
            for (size_t k = a.at; k < a.end; k++)
                plan_emit(p, false, k);
            ha = next_run(old, a.end, touched, &a);
        } else {
            for (size_t k = b.at; k < b.end; k++)
                plan_emit(p, true, k);
            hb = next_run(st, b.end, NULL, &b);
        }
    }
}

static void *apply_bytes(const struct plan *p, const void *old, const void *st, size_t sz)
{
    unsigned char *dst = xmalloc((p->total + 1) * sz), *o = dst;
    for (size_t k = 0; k < p->n; k++) {
        const struct seg *s = &p->v[k];
        const unsigned char *src = s->staged ? st : old;
        memcpy(o, src + s->at * sz, s->len * sz);
        o += s->len * sz;
    }
    return dst;
}

static inline void cls_put(uint8_t *d, size_t i, unsigned c)
{
    d[i >> 2] |= (uint8_t)(c << ((i & 3) * 2));
}

/* Copies len 2-bit classes from src[at..] to dst[out..] (dst zeroed). */
static void cls_copy(uint8_t *dst, size_t out, const uint8_t *src, size_t at, size_t len)
{
    while (len && (out & 3)) {
        cls_put(dst, out++, CLS_GET(src, at));
        at++;
        len--;
    }
    size_t nb = len / 4, sh = (at & 3) * 2;
    const uint8_t *s = src + (at >> 2);
    uint8_t *d = dst + (out >> 2);
    if (sh == 0)
        memcpy(d, s, nb);
    else
        for (size_t b = 0; b < nb; b++)
            d[b] = (uint8_t)((s[b] >> sh) | (s[b + 1] << (8 - sh)));
    out += nb * 4;
    at += nb * 4;
    len -= nb * 4;
    while (len--) {
        cls_put(dst, out++, CLS_GET(src, at));
        at++;
    }
}

static uint8_t *apply_cls(const struct plan *p, const uint8_t *old, const uint8_t *st)
{
    uint8_t *dst = xcalloc(p->total / 4 + 1, 1);
    size_t out = 0;
    for (size_t k = 0; k < p->n; k++) {
        const struct seg *s = &p->v[k];
        cls_copy(dst, out, s->staged ? st : old, s->at, s->len);
        out += s->len;
    }
    return dst;
}

/* ---- The data date and the rows whose follow-up window it crosses. ---------------------------
 */

static day_t merged_data_date(const struct mx_rows *old, const struct plan *p,
                              const struct mx_rows *st)
{
    day_t dd = DAY_NONE;
    for (size_t k = 0; k < p->n; k++) {
        const struct seg *s = &p->v[k];
        const struct mx_rows *r = s->staged ? st : old;
        for (size_t i = s->at; i < s->at + s->len; i++) {
            if (r->start[i] > dd)
                dd = r->start[i];
            if (r->end[i] > dd)
                dd = r->end[i];
        }
    }
    return dd;
}

/* volgtermijn_verstreken (window_end(end) <= data date) flips for rows whose window end lies
 * between the old and the new data date: re-evaluate those. */
static void refresh_follow_up(struct mx_engine *eng, day_t was, day_t now)
{
    if (was == now)
        return;
    int64_t lo = was < now ? was : now, hi = was < now ? now : was; /* (lo, hi] */
    if (lo == DAY_NONE)
        lo = INT32_MIN + 1;
    const struct mx_rows *r = &eng->traj;
    for (size_t k = 0; k < eng->ndefs; k++) {
        struct mx_defslot *d = &eng->defs[k];
        if (d->resp || !d->c.uses_follow_up)
            continue;
        int months = d->c.def.follow_up_months;
        if (months < 0)
            continue;
        /* window_end(e) lies in [e + 28 m, e + 31 m]: a cheap filter before the exact test */
        int64_t emin = lo - 31LL * months, emax = hi - 28LL * months;
        for (size_t i = 0; i < r->n; i++) {
            day_t e = r->end[i];
            if (e == DAY_NONE || e < emin || e > emax)
                continue;
            day_t we = eval_window_end(e, months);
            if (we > lo && we <= hi)
                eval_one(eng, d, i, now);
        }
    }
}

/* ---- Sync. ----------------------------------------------------------------------------------- */

static void stage_free(struct stage *s, size_t ndefs)
{
    dicts_free(&s->ds);
    dict_free(&s->items);
    rows_free(&s->traj);
    rows_free(&s->resp);
    pop_free(&s->pop);
    free(s->touched.v);
    if (s->cls)
        for (size_t k = 0; k < ndefs; k++) {
            free(s->cls[k]);
            free(s->val[k]);
        }
    free(s->cls);
    free(s->val);
}

int mx_engine_sync(struct mx_engine *eng, struct db *db, struct err_ctx *e)
{
    int64_t seq = 0, rc = 0, rm = 0;
    pthread_mutex_lock(&eng->sync);
    int ret = mstore_heads(db, &seq, &rc, &rm);
    if (ret || (seq == eng->seq && rc == eng->resp_count && rm == eng->resp_max)) {
        pthread_mutex_unlock(&eng->sync);
        return ret ? err_set(e, ret, NULL, "engine: journal unreadable (%s)", err_name(ret)) : 0;
    }
    double t0 = now_seconds();
    struct stage s;
    memset(&s, 0, sizeof s);
    dicts_init(&s.ds);
    dict_init(&s.items, UINT16_MAX);
    rows_init(&s.traj, false);
    rows_init(&s.resp, true);
    struct remaps m;
    memset(&m, 0, sizeof m);
    size_t ndefs = eng->ndefs; /* defs change only under the sync mutex, which we hold */
    struct plan p = {0};

    if ((ret = stage_load(eng, db, &s)))
        goto out;
    rows_sort_persons(&s.traj);
    rows_person_overlaps(&s.traj); /* staged persons come with all their rows */

    /* The staged codes into the engine's dictionaries (they only grow; queries that run
     * meanwhile see codes without rows, which they skip). */
    pthread_rwlock_wrlock(&eng->lock);
    for (int d = 0; d < MX_DIM__COUNT && !ret; d++)
        ret = remap_dict(&eng->ds.dim[d], &s.ds.dim[d], &m.dim[d]);
    for (int d = 0; d < FD__COUNT && !ret; d++)
        ret = remap_dict(&eng->ds.fd[d], &s.ds.fd[d], &m.fd[d]);
    if (!ret)
        ret = remap_dict(&eng->items, &s.items, &m.items);
    pthread_rwlock_unlock(&eng->lock);
    if (ret)
        goto out;
    remap_rows(&s.traj, &m);
    remap_rows(&s.resp, &m);
    if (s.have_pop) {
        for (size_t i = 0; i < s.pop.n; i++)
            s.pop.v[i].gem = m.dim[MX_DIM_GEMEENTE][s.pop.v[i].gem];
        pop_index(&s.pop, eng->ds.dim[MX_DIM_GEMEENTE].n);
    }

    /* Evaluate the definitions over the staged rows with the data date they will have. */
    plan_make(&eng->traj, &s.traj, &s.touched, &p);
    day_t dd = merged_data_date(&eng->traj, &p, &s.traj);
    s.cls = xcalloc(ndefs + 1, sizeof *s.cls);
    s.val = xcalloc(ndefs + 1, sizeof *s.val);
    for (size_t k = 0; k < ndefs; k++) {
        struct mx_defslot *d = &eng->defs[k];
        if (d->resp && !s.have_resp)
            continue;
        eval_defs(d->resp ? &s.resp : &s.traj, &eng->ds, eng->items.n, &d, 1, dd, &s.cls[k],
                  &s.val[k]);
    }

    /* Swap in, one column at a time. */
    pthread_rwlock_wrlock(&eng->lock);
    struct colref oc[MAX_COLS], sc[MAX_COLS];
    int nc = row_columns(&eng->traj, oc);
    row_columns(&s.traj, sc);
    for (int c = 0; c < nc; c++) {
        void *nw = apply_bytes(&p, *oc[c].p, *sc[c].p, oc[c].size);
        free(*oc[c].p);
        *oc[c].p = nw;
    }
    eng->traj.n = eng->traj.cap = p.total;
    rows_index_reach(&eng->traj);
    for (size_t k = 0; k < ndefs; k++) {
        struct mx_defslot *d = &eng->defs[k];
        if (d->resp) {
            if (s.have_resp) {
                free(d->cls);
                free(d->val);
                d->cls = s.cls[k];
                d->val = s.val[k];
                s.cls[k] = NULL;
                s.val[k] = NULL;
                slot_value_range(d, s.resp.n); /* the staged set is the whole new one */
            }
            continue;
        }
        slot_value_widen(d, s.val[k], s.traj.n);
        uint8_t *nc2 = apply_cls(&p, d->cls, s.cls[k]);
        free(d->cls);
        d->cls = nc2;
        if (d->val) {
            int32_t *nv = apply_bytes(&p, d->val, s.val[k], sizeof *d->val);
            free(d->val);
            d->val = nv;
        }
    }
    if (s.have_resp) {
        struct mx_rows tmp = eng->resp;
        eng->resp = s.resp;
        s.resp = tmp;
        rows_index_reach(&eng->resp);
        eng->resp_count = s.resp_count;
        eng->resp_max = s.resp_max;
    }
    if (s.have_pop) {
        struct mx_pop tmp = eng->pop;
        eng->pop = s.pop;
        s.pop = tmp;
    }
    refresh_follow_up(eng, eng->data_date, dd);
    engine_rank_dims(eng);
    eng->data_date = dd;
    eng->npersons = engine_count_persons(&eng->traj);
    eng->seq = s.seq;
    eng->generation = engine_next_generation();
    if (s.max_person > eng->max_person)
        eng->max_person = s.max_person;
    eng->last_sync_seconds = now_seconds() - t0;
    pthread_rwlock_unlock(&eng->lock);
    {
        char secs[320], rows[32], persons[32];
        snprintf(secs, sizeof secs, "%.3f", eng->last_sync_seconds);
        snprintf(rows, sizeof rows, "%zu", s.traj.n);
        snprintf(persons, sizeof persons, "%zu", s.touched.n);
        log_debug("engine.synced", "rows", rows, "persons", persons, "seconds", secs, NULL);
    }
out:
    free(p.v);
    remaps_free(&m);
    stage_free(&s, ndefs);
    pthread_mutex_unlock(&eng->sync);
    if (ret)
        return err_set(e, ret, NULL, "engine: sync failed (%s)", err_name(ret));
    return 0;
}
