/*
 * engine.c: the indicator engine's public odds and ends (metrics/engine.h): dimension codes,
 * registering and forgetting definitions, statistics and freeing. Building is in
 * engine_build.c, the journal in engine_sync.c, evaluation in engine_eval.c and queries in
 * engine_query.c.
 */
#include "metrics/engine.h"
#include "core/common.h"
#include "core/xalloc.h"
#include "metrics/engine_internal.h"

/* ---- Dimensions. ----------------------------------------------------------------------------- */

static const struct {
    const char *code, *label;
} dims[MX_DIM__COUNT] = {
    [MX_DIM_GEMEENTE] = {"gemeente", N_("Gemeente")},
    [MX_DIM_AREA] = {"gebied", N_("Gebied")},
    [MX_DIM_AANBIEDER] = {"aanbieder", N_("Aanbieder")},
    [MX_DIM_LAW] = {"wet", N_("Wet")},
    [MX_DIM_CATEGORY] = {"categorie", N_("Categorie")},
    [MX_DIM_HULPVORM] = {"hulpvorm", N_("Hulpvorm")},
    [MX_DIM_AGE_BAND] = {"leeftijd", N_("Leeftijd")},
    [MX_DIM_GENDER] = {"geslacht", N_("Geslacht")},
    [MX_DIM_REFERRER] = {"verwijzer", N_("Verwijzer")},
};

const char *mx_dim_code(enum mx_dim d)
{
    return (unsigned)d < MX_DIM__COUNT ? dims[d].code : "";
}

const char *mx_dim_label(enum mx_dim d)
{
    return (unsigned)d < MX_DIM__COUNT ? dims[d].label : "";
}

int mx_dim_parse(const char *code)
{
    if (!code)
        return -1;
    for (int d = 0; d < MX_DIM__COUNT; d++)
        if (strcmp(code, dims[d].code) == 0)
            return d;
    return -1;
}

/* ---- Definitions. ---------------------------------------------------------------------------- */

static const char *dup(struct arena *a, const char *s)
{
    return s ? arena_strdup(a, s) : NULL;
}

void def_copy(struct arena *a, const struct ind_def *src, struct ind_def *dst)
{
    *dst = *src;
    dst->code = dup(a, src->code);
    dst->name = dup(a, src->name);
    dst->name_en = dup(a, src->name_en);
    dst->explanation = dup(a, src->explanation);
    dst->explanation_en = dup(a, src->explanation_en);
    dst->source = dup(a, src->source);
    dst->group = dup(a, src->group);
    dst->population = dup(a, src->population);
    dst->event = dup(a, src->event);
    dst->value = dup(a, src->value);
    for (int i = 0; i < src->nsettings && i < IND_MAX_SETTINGS; i++) {
        dst->settings[i].code = dup(a, src->settings[i].code);
        dst->settings[i].label = dup(a, src->settings[i].label);
        dst->settings[i].label_en = dup(a, src->settings[i].label_en);
        dst->settings[i].help = dup(a, src->settings[i].help);
    }
}

struct mx_defslot *engine_find_def(struct mx_engine *eng, int64_t id)
{
    for (size_t i = 0; i < eng->ndefs; i++)
        if (eng->defs[i].id == id)
            return &eng->defs[i];
    return NULL;
}

/* antwoord("item") of a registered definition: a slot in the engine's item dictionary (added
 * when no response has the item yet). Called under the write lock. */
int engine_answer_slot(void *ctx, const char *code)
{
    struct mx_engine *eng = ctx;
    if (!code || !code[0] || strlen(code) > 48)
        return -1;
    return dict_intern(&eng->items, code, MX_NULL);
}

static void slot_free(struct mx_defslot *d)
{
    free(d->cls);
    free(d->val);
    arena_free(d->arena);
    memset(d, 0, sizeof *d);
}

uint64_t engine_next_generation(void)
{
    static _Atomic uint64_t next = 1;
    return next++;
}

int mx_engine_define(struct mx_engine *eng, int64_t ind_id, int version, const struct ind_def *def,
                     struct ind_problems *pr)
{
    struct mx_defslot s = {.id = ind_id, .version = version, .arena = arena_new(0)};
    struct ind_def copy;
    def_copy(s.arena, def, &copy);
    pthread_mutex_lock(&eng->sync);
    pthread_rwlock_wrlock(&eng->lock); /* compiling may add answer items */
    int ret = ind_compile(&copy, engine_answer_slot, eng, s.arena, &s.c, pr);
    pthread_rwlock_unlock(&eng->lock);
    if (ret) {
        pthread_mutex_unlock(&eng->sync);
        arena_free(s.arena);
        return ret;
    }
    s.c.def = copy; /* the arena copy, whatever ind_compile kept */
    s.resp = copy.unit == IND_UNIT_RESPONSE;
    s.has_val = copy.agg == IND_AGG_MEAN || copy.agg == IND_AGG_MEDIAN;
    /* The whole evaluation happens outside the write lock: queries go on meanwhile (only this
     * thread, holding the sync mutex, changes rows). */
    struct mx_defslot *one = &s;
    eval_defs(s.resp ? &eng->resp : &eng->traj, &eng->ds, eng->items.n, &one, 1, eng->data_date,
              &s.cls, &s.val);
    slot_value_range(&s, s.resp ? eng->resp.n : eng->traj.n);
    pthread_rwlock_wrlock(&eng->lock);
    struct mx_defslot *old = engine_find_def(eng, ind_id);
    if (old) {
        slot_free(old);
        *old = s;
    } else {
        if (eng->ndefs == eng->cdefs) {
            eng->cdefs = eng->cdefs ? eng->cdefs * 2 : 32;
            eng->defs = xrealloc(eng->defs, eng->cdefs * sizeof *eng->defs);
        }
        eng->defs[eng->ndefs++] = s;
    }
    eng->generation = engine_next_generation();
    pthread_rwlock_unlock(&eng->lock);
    pthread_mutex_unlock(&eng->sync);
    return 0;
}

void mx_engine_undefine(struct mx_engine *eng, int64_t ind_id)
{
    pthread_mutex_lock(&eng->sync);
    pthread_rwlock_wrlock(&eng->lock);
    struct mx_defslot *d = engine_find_def(eng, ind_id);
    if (d) {
        slot_free(d);
        size_t k = (size_t)(d - eng->defs);
        memmove(d, d + 1, (eng->ndefs - k - 1) * sizeof *d);
        eng->ndefs--;
        eng->generation = engine_next_generation();
    }
    pthread_rwlock_unlock(&eng->lock);
    pthread_mutex_unlock(&eng->sync);
}

const struct ind_def *mx_engine_definition(struct mx_engine *eng, int64_t ind_id, int *version,
                                           struct arena *a)
{
    struct ind_def *out = NULL;
    pthread_rwlock_rdlock(&eng->lock);
    struct mx_defslot *d = engine_find_def(eng, ind_id);
    if (d) {
        out = arena_alloc(a, sizeof *out);
        if (out) {
            def_copy(a, &d->c.def, out);
            if (version)
                *version = d->version;
        }
    }
    pthread_rwlock_unlock(&eng->lock);
    return out;
}

/* ---- Whole engine. --------------------------------------------------------------------------- */

bool mx_cells_in_order(const struct mx_cell *cells, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        const struct mx_cell *a = &cells[i - 1], *b = &cells[i];
        if (a->period_idx != b->period_idx) {
            if (a->period_idx > b->period_idx)
                return false;
        } else if (a->rank[0] != b->rank[0]) {
            if (a->rank[0] > b->rank[0])
                return false;
        } else if (a->rank[1] > b->rank[1]) {
            return false;
        }
    }
    return true;
}

void mx_engine_get_stats(struct mx_engine *eng, struct mx_engine_stats *out)
{
    memset(out, 0, sizeof *out);
    pthread_rwlock_rdlock(&eng->lock);
    out->trajectories = eng->traj.n;
    out->responses = eng->resp.n;
    out->persons = eng->npersons;
    out->definitions = eng->ndefs;
    size_t b = sizeof *eng + rows_bytes(&eng->traj) + rows_bytes(&eng->resp);
    for (int d = 0; d < MX_DIM__COUNT; d++)
        b += dict_bytes(&eng->ds.dim[d]);
    for (int d = 0; d < FD__COUNT; d++)
        b += dict_bytes(&eng->ds.fd[d]);
    b += dict_bytes(&eng->items);
    b += eng->pop.n * sizeof *eng->pop.v + ((size_t)eng->pop.ngem + 1) * sizeof *eng->pop.first;
    for (int d = 0; d < MX_DIM__COUNT; d++)
        b += 2 * ((size_t)eng->nranked[d] + 1) * sizeof *eng->rank[d];
    b += eng->cdefs * sizeof *eng->defs;
    for (size_t i = 0; i < eng->ndefs; i++) {
        const struct mx_defslot *d = &eng->defs[i];
        size_t n = d->resp ? eng->resp.n : eng->traj.n;
        b += n / 4 + 1;
        if (d->val)
            b += (n + 1) * sizeof *d->val;
        b += 4096; /* definition text and compiled programs (arena), roughly */
    }
    out->bytes = b;
    out->seq = eng->seq;
    out->generation = eng->generation;
    out->data_date = eng->data_date;
    out->build_seconds = eng->build_seconds;
    out->last_sync_seconds = eng->last_sync_seconds;
    pthread_rwlock_unlock(&eng->lock);
}

void mx_engine_free(struct mx_engine *eng)
{
    if (!eng)
        return;
    for (size_t i = 0; i < eng->ndefs; i++)
        slot_free(&eng->defs[i]);
    free(eng->defs);
    rows_free(&eng->traj);
    rows_free(&eng->resp);
    pop_free(&eng->pop);
    for (int d = 0; d < MX_DIM__COUNT; d++) {
        free(eng->rank[d]);
        free(eng->order[d]);
    }
    dicts_free(&eng->ds);
    dict_free(&eng->items);
    pthread_rwlock_destroy(&eng->lock);
    pthread_mutex_destroy(&eng->sync);
    free(eng);
}
