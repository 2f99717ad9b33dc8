/*
 * trajectory.c: turning the facts of one group (person x aanbieder x law) into trajectories,
 * following the record rules written down in trajectory.h. The work is done in four passes,
 * all on sorted arrays in arena memory so that a group of n facts costs O(n log n):
 *   1. assignments (301) per ToewijzingNummer: the current version, and whether any version
 *      carried RedenWijziging 13 (verwijderd: counts as never sent);
 *   2. product lines: starts and stops grouped by line identity, replayed in message order
 *      (Dagtekening, batch, order in the batch) applying StatusAanlevering 1/2/3, then reduced
 *      to one period per line (restart after a temporary stop continues the line);
 *   3. lines of the same product category that overlap or touch merged into one trajectory;
 *   4. registration records keyed by hulpvorm + start date, one measurement per informant.
 * Which fact wins never depends on the order in which facts were passed in.
 */
#include "domain/trajectory.h"
#include "core/common.h"
#include "domain/codelist.h"

#define REASON_DELETED "13" /* JZ002 / WMO002: assignment sent in error */

/* ---- Ordering. -------------------------------------------------------------------------- */

static int cmp_i64(int64_t a, int64_t b)
{
    return (a > b) - (a < b);
}

/* "Latest message wins": Dagtekening, then batch, then order within the batch. The remaining
 * keys only make the order total, so that shuffled input gives the same result. */
static int cmp_order(const struct traj_fact *a, const struct traj_fact *b)
{
    int c;
    if ((c = cmp_i64(a->message_date, b->message_date)) ||
        (c = cmp_i64(a->batch_id, b->batch_id)) || (c = cmp_i64(a->seq, b->seq)) ||
        (c = cmp_i64(a->kind, b->kind)) || (c = cmp_i64(a->start, b->start)) ||
        (c = cmp_i64(a->end, b->end)) || (c = cmp_i64(a->assignment_nr, b->assignment_nr)) ||
        (c = cmp_i64(a->status, b->status)) || (c = strcmp(a->end_reason, b->end_reason)) ||
        (c = strcmp(a->category, b->category)) || (c = strcmp(a->product_code, b->product_code)) ||
        (c = cmp_i64(a->valid_from, b->valid_from)))
        return c;
    return 0;
}

static bool newer(const struct traj_fact *a, const struct traj_fact *b)
{
    return !b || (a && cmp_order(a, b) > 0);
}

/* Copies a code field. A field without its NUL (hostile input from another module) is not
 * cut down to a plausible-looking code: it becomes "". */
static void copy_code(char *dst, size_t dsz, const char *src, size_t ssz)
{
    size_t n = strnlen(src, ssz);
    if (n >= dsz)
        n = 0;
    memcpy(dst, src, n);
    dst[n] = '\0';
}
#define COPY(dst, src)     copy_code((dst), sizeof(dst), (src), sizeof(src))
#define COPY_STR(dst, src) copy_code((dst), sizeof(dst), (src), SIZE_MAX)

/* Code fields compared as bounded strings (facts come from other modules). */
static int cmp_code(const char *a, size_t an, const char *b, size_t bn)
{
    size_t la = strnlen(a, an), lb = strnlen(b, bn);
    int c = memcmp(a, b, la < lb ? la : lb);
    return c ? c : cmp_i64((int64_t)la, (int64_t)lb);
}
#define CMP_CODE(a, b)    cmp_code((a), sizeof(a), (b), sizeof(b))
#define code_cmp(a, b, n) cmp_code((a), (n), (b), (n))

/* A usable code: non-empty and terminated within its array. */
static bool code_ok(const char *s, size_t n)
{
    return s[0] != '\0' && strnlen(s, n) < n;
}
#define HAS_CODE(a) code_ok((a), sizeof(a))

/* ---- Pass 1: assignments. --------------------------------------------------------------- */

struct asg {
    int64_t nr;
    const struct traj_fact *cur; /* newest version */
    bool deleted;                /* some version has RedenWijziging 13 */
    int64_t batch_id;            /* newest batch of any version */
};

static int cmp_asg_fact(const void *x, const void *y)
{
    const struct traj_fact *a = *(const struct traj_fact *const *)x;
    const struct traj_fact *b = *(const struct traj_fact *const *)y;
    int c = cmp_i64(a->assignment_nr, b->assignment_nr);
    return c ? c : cmp_order(a, b);
}

static const struct asg *asg_find(const struct asg *v, size_t n, int64_t nr)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].nr == nr)
            return &v[mid];
        if (v[mid].nr < nr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* ---- Pass 2: product lines. ------------------------------------------------------------- */

/* Line identity: the assignment number, or without one category + product + Begindatum. */
static int cmp_line_key(const struct traj_fact *a, const struct traj_fact *b)
{
    int64_t na = a->assignment_nr > 0 ? a->assignment_nr : 0;
    int64_t nb = b->assignment_nr > 0 ? b->assignment_nr : 0;
    int c = cmp_i64(na, nb);
    if (c || na > 0)
        return c;
    if ((c = CMP_CODE(a->category, b->category)) ||
        (c = CMP_CODE(a->product_code, b->product_code)))
        return c;
    return cmp_i64(a->start, b->start);
}

static int cmp_line_fact(const void *x, const void *y)
{
    const struct traj_fact *a = *(const struct traj_fact *const *)x;
    const struct traj_fact *b = *(const struct traj_fact *const *)y;
    int c = cmp_line_key(a, b);
    return c ? c : cmp_order(a, b);
}

/* A delivery slot: one start or stop record of a line, identified by kind and Begindatum. */
struct slot {
    const struct traj_fact *cur;
    uint32_t version; /* bumped on every change, so stale stack entries are recognised */
    bool alive;
};

struct push {
    uint32_t slot, version;
};

struct line {
    int64_t nr; /* assignment number, 0 if none */
    const struct asg *asg;
    char category[3];
    char product[6];
    day_t start;
    day_t end;       /* DAY_NONE while open */
    day_t pause_end; /* temporary stop: its Einddatum */
    bool open, temp;
    uint32_t flags;
    const struct traj_fact *first; /* the fact at the start (age at start) */
    const struct traj_fact *gov;   /* the stop that decides the end, NULL */
    const struct traj_fact *newest, *f_gender, *f_postcode, *f_gemeente;
    int64_t batch_id;
};

static int cmp_slot_key(const void *x, const void *y)
{
    const struct traj_fact *a = *(const struct traj_fact *const *)x;
    const struct traj_fact *b = *(const struct traj_fact *const *)y;
    int c = cmp_i64(a->kind, b->kind);
    return c ? c : cmp_i64(a->start, b->start);
}

/* The most recently applied live slot of a kind (lazy-deletion stack), or -1. */
static int64_t stack_top(struct push *st, size_t *n, const struct slot *slots)
{
    while (*n > 0) {
        struct push p = st[*n - 1];
        if (slots[p.slot].alive && slots[p.slot].version == p.version)
            return p.slot;
        (*n)--; /* stale for good: versions only grow */
    }
    return -1;
}

static day_t stop_end(const struct traj_fact *f)
{
    return f->end != DAY_NONE ? f->end : f->start;
}

static void note_fact(struct line *l, const struct traj_fact *f)
{
    if (newer(f, l->newest))
        l->newest = f;
    if (f->gender && newer(f, l->f_gender))
        l->f_gender = f;
    if (HAS_CODE(f->postcode4) && newer(f, l->f_postcode))
        l->f_postcode = f;
    if (HAS_CODE(f->gemeente) && newer(f, l->f_gemeente))
        l->f_gemeente = f;
}

/*
 * Replays the facts of one line (sorted by message order) and reduces the surviving starts
 * and stops to one period. Returns 1 if the line exists, 0 if nothing survived, or ERR_NOMEM.
 */
static int build_line(enum law law, const struct traj_fact **lf, size_t k, const struct asg *asgs,
                      size_t nasg, struct arena *a, struct line *l)
{
    const struct traj_fact **byslot = arena_alloc(a, k * sizeof *byslot);
    uint32_t *slot_of = arena_alloc(a, k * sizeof *slot_of);
    struct slot *slots = arena_calloc(a, k, sizeof *slots);
    struct push *st[2];
    size_t nst[2] = {0, 0};
    st[0] = arena_alloc(a, k * sizeof *st[0]);
    st[1] = arena_alloc(a, k * sizeof *st[1]);
    if (!byslot || !slot_of || !slots || !st[0] || !st[1])
        return ERR_NOMEM;

    /* Slots: one per distinct (kind, Begindatum). lf is in message order; slot_of maps back. */
    memcpy(byslot, lf, k * sizeof *byslot);
    qsort(byslot, k, sizeof *byslot, cmp_slot_key);
    uint32_t nslots = 0;
    const struct traj_fact **rep = arena_alloc(a, k * sizeof *rep); /* first fact of each slot */
    if (!rep)
        return ERR_NOMEM;
    for (size_t i = 0; i < k; i++)
        if (i == 0 || cmp_slot_key(&byslot[i - 1], &byslot[i]) != 0)
            rep[nslots++] = byslot[i];
    for (size_t i = 0; i < k; i++) {
        size_t lo = 0, hi = nslots;
        while (lo < hi) { /* every fact has a slot, so this finds it */
            size_t mid = lo + (hi - lo) / 2;
            if (cmp_slot_key(&rep[mid], &lf[i]) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        slot_of[i] = (uint32_t)lo;
    }

    memset(l, 0, sizeof *l);
    l->nr = lf[0]->assignment_nr > 0 ? lf[0]->assignment_nr : 0;
    l->start = l->end = l->pause_end = DAY_NONE;
    for (size_t i = 0; i < k; i++) {
        const struct traj_fact *f = lf[i];
        int kind = f->kind == FACT_STOP ? 1 : 0;
        uint32_t s = slot_of[i];
        if (f->batch_id > l->batch_id)
            l->batch_id = f->batch_id;
        if (f->status == 3) { /* delete: this Begindatum, else the latest delivery of the kind */
            int64_t t = slots[s].alive ? (int64_t)s : stack_top(st[kind], &nst[kind], slots);
            if (t >= 0) {
                slots[t].alive = false;
                slots[t].version++;
            }
            continue;
        }
        if (f->status == 2 && !slots[s].alive) { /* correction of another Begindatum */
            int64_t t = stack_top(st[kind], &nst[kind], slots);
            if (t >= 0) {
                slots[t].alive = false;
                slots[t].version++;
            }
        }
        slots[s].cur = f; /* first delivery, correction, or the same record again */
        slots[s].alive = true;
        slots[s].version++;
        st[kind][nst[kind]++] = (struct push){s, slots[s].version};
    }

    /* Reduce the live records to one period. */
    const struct traj_fact *first_start = NULL, *last_start = NULL, *first_stop = NULL;
    const struct traj_fact *gov = NULL;
    const struct traj_fact *cat_fact = NULL, *prod_fact = NULL;
    size_t nalive = 0;
    for (uint32_t s = 0; s < nslots; s++) {
        const struct traj_fact *f = slots[s].cur;
        if (!slots[s].alive)
            continue;
        nalive++;
        note_fact(l, f);
        if (HAS_CODE(f->category) && newer(f, cat_fact))
            cat_fact = f;
        if (HAS_CODE(f->product_code) && newer(f, prod_fact))
            prod_fact = f;
        if (f->kind == FACT_START) {
            if (!first_start || f->start < first_start->start)
                first_start = f;
            if (!last_start || f->start > last_start->start)
                last_start = f;
        } else {
            if (!first_stop || f->start < first_stop->start)
                first_stop = f;
            /* The stop that ends latest decides; ties: the later delivery, then later message. */
            if (!gov || stop_end(f) > stop_end(gov) ||
                (stop_end(f) == stop_end(gov) &&
                 (f->start > gov->start || (f->start == gov->start && newer(f, gov)))))
                gov = f;
        }
    }
    if (nalive == 0)
        return 0;

    l->asg = l->nr ? asg_find(asgs, nasg, l->nr) : NULL;
    if (l->asg && l->asg->deleted)
        l->asg = NULL; /* RedenWijziging 13: as if never sent */
    if (l->nr && !l->asg)
        l->flags |= TRAJ_NO_ASSIGNMENT;
    if (l->asg) {
        note_fact(l, l->asg->cur);
        if (l->asg->batch_id > l->batch_id)
            l->batch_id = l->asg->batch_id;
    }
    /* The start and stop carry the product; a generic start leans on its assignment. */
    if (cat_fact)
        COPY(l->category, cat_fact->category);
    else if (l->asg)
        COPY(l->category, l->asg->cur->category);
    if (prod_fact)
        COPY(l->product, prod_fact->product_code);
    else if (l->asg)
        COPY(l->product, l->asg->cur->product_code);

    if (first_start) {
        l->start = first_start->start;
        l->first = first_start;
    } else {
        l->start = first_stop->start; /* a stop without a start: its Begindatum */
        l->first = first_stop;
        l->flags |= TRAJ_STOP_WITHOUT_START;
    }

    /* A start after the governing stop is a restart: the line continues. A start on the very
     * day the stop ended only counts when it is another delivery than the one stopped. */
    bool restarted = false;
    if (gov && last_start) {
        day_t ge = stop_end(gov);
        restarted =
            last_start->start > ge || (last_start->start == ge && last_start->start > gov->start);
    }
    l->open = true;
    if (gov && !restarted) {
        l->gov = gov;
        char rel[sizeof gov->release], reason[sizeof gov->end_reason];
        COPY(rel, gov->release);
        COPY(reason, gov->end_reason);
        if (codelist_is_temporary_stop(law, rel, reason)) {
            l->temp = true;
            l->pause_end = stop_end(gov);
            l->flags |= TRAJ_TEMP_STOPPED;
        } else {
            l->open = false;
            l->end = stop_end(gov);
        }
    }
    return 1;
}

/* ---- Pass 3: merging lines into trajectories. ------------------------------------------- */

static int cmp_line(const void *x, const void *y)
{
    const struct line *a = x, *b = y;
    int c;
    if ((c = CMP_CODE(a->category, b->category)) || (c = cmp_i64(a->start, b->start)))
        return c;
    /* Equal starts: deterministic by end (open last), product, assignment, newest fact. */
    int64_t ea = a->open ? INT64_MAX : a->end, eb = b->open ? INT64_MAX : b->end;
    if ((c = cmp_i64(ea, eb)) || (c = CMP_CODE(a->product, b->product)) ||
        (c = cmp_i64(a->nr, b->nr)))
        return c;
    return cmp_order(a->newest, b->newest);
}

/* Time of a fact for "age at start": its own date (start, Ingangsdatum, else Dagtekening). */
static day_t fact_day(const struct traj_fact *f)
{
    if (f->start != DAY_NONE)
        return f->start;
    if (f->valid_from != DAY_NONE)
        return f->valid_from;
    return f->message_date;
}

static int64_t day_dist(day_t a, day_t b)
{
    if (a == DAY_NONE || b == DAY_NONE)
        return INT64_MAX;
    int64_t d = (int64_t)a - (int64_t)b;
    return d < 0 ? -d : d;
}

struct group {
    enum law law;
    const struct traj_fact **req_ref; /* 315s with a reference, by (reference, message order) */
    size_t nreq_ref;
    const struct traj_fact **req_cat; /* dated 315s, by (category, date, message order) */
    size_t nreq_cat;
    const struct traj_fact **aged; /* dated facts with an age, by (own date, message order) */
    size_t naged;
    const struct traj_fact *aged_undated; /* newest fact with an age but no date */
    const struct traj_fact *g_gender, *g_postcode, *g_gemeente; /* newest in the group */
};

/* The age of the fact at `start`, else of the fact whose own date is nearest to it (equally
 * near: the newer message). Binary search in g->aged. */
static int pick_age(const struct group *g, const struct traj_fact *at, day_t start)
{
    if (at && at->age >= 0)
        return at->age;
    size_t n = g->naged, lo = 0, hi = n;
    if (n == 0)
        return g->aged_undated ? g->aged_undated->age : -1;
    while (lo < hi) { /* first fact dated on or after the start */
        size_t mid = lo + (hi - lo) / 2;
        if (fact_day(g->aged[mid]) < start)
            lo = mid + 1;
        else
            hi = mid;
    }
    const struct traj_fact *after = NULL, *before = lo > 0 ? g->aged[lo - 1] : NULL;
    if (lo < n) { /* the newest fact of that day */
        size_t u = lo;
        while (u + 1 < n && fact_day(g->aged[u + 1]) == fact_day(g->aged[lo]))
            u++;
        after = g->aged[u];
    }
    if (!after || !before)
        return (after ? after : before)->age;
    int64_t da = day_dist(fact_day(after), start), db = day_dist(fact_day(before), start);
    if (da != db)
        return da < db ? after->age : before->age;
    return newer(after, before) ? after->age : before->age;
}

static day_t request_day(const struct traj_fact *f)
{
    return f->message_date != DAY_NONE ? f->message_date : f->valid_from;
}

static int cmp_req_ref(const void *x, const void *y)
{
    const struct traj_fact *a = *(const struct traj_fact *const *)x;
    const struct traj_fact *b = *(const struct traj_fact *const *)y;
    int c = CMP_CODE(a->reference, b->reference);
    return c ? c : cmp_order(a, b);
}

static int cmp_req_cat(const void *x, const void *y)
{
    const struct traj_fact *a = *(const struct traj_fact *const *)x;
    const struct traj_fact *b = *(const struct traj_fact *const *)y;
    int c = CMP_CODE(a->category, b->category);
    if (c || (c = cmp_i64(request_day(a), request_day(b))))
        return c;
    return cmp_order(a, b);
}

static int cmp_aged(const void *x, const void *y)
{
    const struct traj_fact *a = *(const struct traj_fact *const *)x;
    const struct traj_fact *b = *(const struct traj_fact *const *)y;
    int c = cmp_i64(fact_day(a), fact_day(b));
    return c ? c : cmp_order(a, b);
}

/* The newest request with this ReferentieAanbieder, or NULL. */
static const struct traj_fact *request_by_ref(const struct group *g, const char ref[64])
{
    size_t lo = 0, hi = g->nreq_ref;
    while (lo < hi) { /* past the last request with this reference */
        size_t mid = lo + (hi - lo) / 2;
        if (code_cmp(g->req_ref[mid]->reference, ref, 64) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo > 0 && code_cmp(g->req_ref[lo - 1]->reference, ref, 64) == 0)
        return g->req_ref[lo - 1];
    return NULL;
}

/* Referrer: the request with the assignment's ReferentieAanbieder, else the latest request of
 * the same category on or before the start. */
static void pick_referrer(const struct group *g, const struct line *ls, size_t nl,
                          struct trajectory *t)
{
    const struct traj_fact *hit = NULL;
    for (size_t i = 0; i < nl && !hit; i++) {
        const struct asg *as = ls[i].asg;
        if (as && HAS_CODE(as->cur->reference))
            hit = request_by_ref(g, as->cur->reference);
    }
    if (!hit) {
        size_t lo = 0, hi = g->nreq_cat;
        while (lo < hi) { /* past the last request of the category dated on or before start */
            size_t mid = lo + (hi - lo) / 2;
            const struct traj_fact *r = g->req_cat[mid];
            int c = CMP_CODE(r->category, t->category);
            if (c < 0 || (c == 0 && request_day(r) <= t->start))
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo > 0 && CMP_CODE(g->req_cat[lo - 1]->category, t->category) == 0)
            hit = g->req_cat[lo - 1];
    }
    if (hit) {
        COPY(t->referrer, hit->referrer);
        t->date_requested = request_day(hit);
    }
}

static void fill_person(const struct group *g, const struct traj_fact *fg,
                        const struct traj_fact *fp, const struct traj_fact *fm,
                        struct trajectory *t)
{
    fg = fg ? fg : g->g_gender;
    fp = fp ? fp : g->g_postcode;
    fm = fm ? fm : g->g_gemeente;
    t->gender = fg ? fg->gender : 0;
    if (fp)
        COPY(t->postcode4, fp->postcode4);
    if (fm)
        COPY(t->gemeente, fm->gemeente);
}

/* One trajectory from lines ls[0..nl) of one category, sorted by start. */
static void make_trajectory(const struct group *g, const struct line *ls, size_t nl,
                            struct trajectory *t)
{
    memset(t, 0, sizeof *t);
    t->law = g->law;
    COPY(t->category, ls[0].category);
    COPY(t->product_code, ls[0].product);
    t->start = ls[0].start;
    t->end = DAY_NONE;
    t->date_requested = DAY_NONE;
    t->date_assigned = DAY_NONE;
    t->age_at_start = -1;
    t->nlines = (int)nl;
    COPY_STR(t->end_reason_list, codelist_end_reason_list(g->law));

    bool open = false, all_open_temp = true;
    const struct line *last = NULL; /* the line that ended last */
    const struct traj_fact *newest = NULL, *fg = NULL, *fp = NULL, *fm = NULL;
    day_t max_start = ls[nl - 1].start;
    for (size_t i = 0; i < nl; i++) {
        const struct line *l = &ls[i];
        t->flags |= l->flags & (TRAJ_NO_ASSIGNMENT | TRAJ_STOP_WITHOUT_START);
        if (l->asg && l->asg->cur->date_assigned != DAY_NONE &&
            (t->date_assigned == DAY_NONE || l->asg->cur->date_assigned < t->date_assigned))
            t->date_assigned = l->asg->cur->date_assigned;
        if (l->batch_id > t->batch_id)
            t->batch_id = l->batch_id;
        if (newer(l->newest, newest))
            newest = l->newest;
        if (l->f_gender && newer(l->f_gender, fg))
            fg = l->f_gender;
        if (l->f_postcode && newer(l->f_postcode, fp))
            fp = l->f_postcode;
        if (l->f_gemeente && newer(l->f_gemeente, fm))
            fm = l->f_gemeente;
        if (l->temp) {
            /* A later line that starts after the pause is the restart: the pause is over. */
            bool superseded = i + 1 < nl && (max_start > l->pause_end ||
                                             (max_start == l->pause_end && max_start > l->start));
            if (!superseded)
                open = true;
            continue;
        }
        if (l->open) {
            open = true;
            all_open_temp = false;
            continue;
        }
        if (!last || l->end > last->end ||
            (l->end == last->end &&
             (l->start > last->start || (l->start == last->start && newer(l->gov, last->gov)))))
            last = l;
    }

    const struct traj_fact *rel_fact = newest; /* whose release the codes are read in */
    if (open) {
        if (all_open_temp)
            t->flags |= TRAJ_TEMP_STOPPED;
    } else if (last) {
        t->end = last->end;
        COPY(t->end_reason, last->gov->end_reason);
        rel_fact = last->gov;
    }
    if (rel_fact)
        COPY(t->release, rel_fact->release);
    const char *cbs =
        t->end != DAY_NONE ? codelist_cbs_reason(g->law, t->release, t->end_reason) : NULL;
    if (cbs)
        COPY_STR(t->cbs_reason, cbs);
    const struct code_entry *cat =
        codelist_find(codelist_category_list(g->law), t->release, t->category);
    if (cat && cat->cbs)
        COPY_STR(t->hulpvorm, cat->cbs);

    pick_referrer(g, ls, nl, t);
    t->age_at_start = pick_age(g, ls[0].first, t->start);
    fill_person(g, fg, fp, fm, t);
}

/* ---- Pass 4: registration records. ------------------------------------------------------ */

static int cmp_reg(const void *x, const void *y)
{
    const struct traj_fact *a = *(const struct traj_fact *const *)x;
    const struct traj_fact *b = *(const struct traj_fact *const *)y;
    int c;
    if ((c = CMP_CODE(a->hulpvorm, b->hulpvorm)) || (c = cmp_i64(a->start, b->start)) ||
        (c = CMP_CODE(a->informant, b->informant)) || (c = cmp_i64(a->batch_id, b->batch_id)) ||
        (c = cmp_i64(a->seq, b->seq)))
        return c;
    return cmp_order(a, b);
}

/* Newest record per informant wins; "newest" is batch then order within the batch. */
static bool reg_newer(const struct traj_fact *a, const struct traj_fact *b)
{
    if (!b)
        return true;
    if (a->batch_id != b->batch_id)
        return a->batch_id > b->batch_id;
    if (a->seq != b->seq)
        return a->seq > b->seq;
    return cmp_order(a, b) > 0;
}

/* Records r[0..k) share hulpvorm and start; sorted by informant, then age of the record. */
static int make_registration(const struct group *g, const struct traj_fact **r, size_t k,
                             struct arena *a, struct trajectory *t)
{
    struct traj_measurement *m = arena_calloc(a, k, sizeof *m);
    if (!m)
        return ERR_NOMEM;
    const struct traj_fact *top = NULL;
    int nwin = 0, nm = 0;
    for (size_t i = 0; i < k; i++) {
        if (i + 1 < k && CMP_CODE(r[i]->informant, r[i + 1]->informant) == 0)
            continue; /* an older record of the same informant: replaced */
        const struct traj_fact *w = r[i];
        nwin++;
        if (reg_newer(w, top))
            top = w;
        if (w->satisfaction <= 0 && !HAS_CODE(w->zonder_hulp) && w->goal_realisation < 0)
            continue; /* no outcome measured */
        COPY(m[nm].informant, w->informant);
        m[nm].satisfaction = w->satisfaction;
        COPY(m[nm].zonder_hulp, w->zonder_hulp);
        m[nm].goal_realisation = w->goal_realisation;
        nm++;
    }
    memset(t, 0, sizeof *t);
    t->law = g->law;
    COPY(t->hulpvorm, top->hulpvorm);
    /* Wmo registrations deliver a WMO020 category, which is both "hulpvorm" and category. */
    COPY(t->category, top->category);
    COPY(t->product_code, top->product_code);
    t->start = top->start;
    t->end = top->end;
    t->date_requested = DAY_NONE; /* registration exports carry no request or assignment */
    t->date_assigned = DAY_NONE;
    COPY(t->cbs_reason, top->cbs_reason);
    COPY(t->end_reason, top->cbs_reason);
    COPY_STR(t->end_reason_list, "CBS");
    COPY(t->release, top->release);
    COPY(t->referrer, top->referrer);
    t->age_at_start = top->age;
    t->gender = top->gender;
    COPY(t->postcode4, top->postcode4);
    COPY(t->gemeente, top->gemeente);
    t->flags = TRAJ_FROM_REGISTRATION;
    t->batch_id = top->batch_id;
    t->nlines = nwin;
    t->measurements = nm ? m : NULL;
    t->nmeasurements = nm;
    if (t->end == DAY_NONE)
        t->cbs_reason[0] = t->end_reason[0] = '\0'; /* open: a reason would be premature */
    return 0;
}

/* ---- Entry point. ----------------------------------------------------------------------- */

static int cmp_traj(const void *x, const void *y)
{
    const struct trajectory *a = x, *b = y;
    int c;
    if ((c = cmp_i64(a->start, b->start)) || (c = CMP_CODE(a->category, b->category)) ||
        (c = CMP_CODE(a->hulpvorm, b->hulpvorm)) ||
        (c = cmp_i64(a->end == DAY_NONE ? INT64_MAX : a->end,
                     b->end == DAY_NONE ? INT64_MAX : b->end)) ||
        (c = CMP_CODE(a->product_code, b->product_code)))
        return c;
    return cmp_i64(a->flags, b->flags);
}

static int cmp_fact_ptr(const void *x, const void *y)
{
    return cmp_order(*(const struct traj_fact *const *)x, *(const struct traj_fact *const *)y);
}

int trajectory_build(enum law law, const struct traj_fact *facts, size_t n, bool test_person,
                     struct arena *a, struct trajectory **out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    if (codelist_load() || (law != LAW_JW && law != LAW_WMO) || (n && !facts))
        return ERR_INTERNAL;
    if (n == 0)
        return 0;
    if (n > SIZE_MAX / sizeof(void *) / 4)
        return ERR_NOMEM;

    const struct traj_fact **all = arena_alloc(a, n * sizeof *all);
    const struct traj_fact **as = arena_alloc(a, n * sizeof *as);
    const struct traj_fact **ln = arena_alloc(a, n * sizeof *ln);
    const struct traj_fact **rg = arena_alloc(a, n * sizeof *rg);
    struct group g = {.law = law};
    g.req_ref = arena_alloc(a, n * sizeof *g.req_ref);
    g.req_cat = arena_alloc(a, n * sizeof *g.req_cat);
    g.aged = arena_alloc(a, n * sizeof *g.aged);
    if (!all || !as || !ln || !rg || !g.req_ref || !g.req_cat || !g.aged)
        return ERR_NOMEM;
    size_t nas = 0, nln = 0, nrg = 0;
    for (size_t i = 0; i < n; i++)
        all[i] = &facts[i];
    qsort(all, n, sizeof *all, cmp_fact_ptr);
    for (size_t i = 0; i < n; i++) {
        const struct traj_fact *f = all[i];
        if (f->gender)
            g.g_gender = f;
        if (HAS_CODE(f->postcode4))
            g.g_postcode = f;
        if (HAS_CODE(f->gemeente))
            g.g_gemeente = f;
        if (f->age >= 0 && fact_day(f) != DAY_NONE)
            g.aged[g.naged++] = f;
        else if (f->age >= 0)
            g.aged_undated = f;
        switch (f->kind) {
        case FACT_ASSIGNMENT:
            if (f->assignment_nr > 0)
                as[nas++] = f;
            break;
        case FACT_START:
        case FACT_STOP:
            if (f->start != DAY_NONE) /* without a Begindatum a line cannot be placed in time */
                ln[nln++] = f;
            break;
        case FACT_REQUEST:
            if (HAS_CODE(f->reference))
                g.req_ref[g.nreq_ref++] = f;
            if (request_day(f) != DAY_NONE)
                g.req_cat[g.nreq_cat++] = f;
            break;
        case FACT_REGISTRATION:
            if (f->start != DAY_NONE)
                rg[nrg++] = f;
            break;
        }
    }
    qsort(g.req_ref, g.nreq_ref, sizeof *g.req_ref, cmp_req_ref);
    qsort(g.req_cat, g.nreq_cat, sizeof *g.req_cat, cmp_req_cat);
    qsort(g.aged, g.naged, sizeof *g.aged, cmp_aged);

    /* Pass 1. */
    qsort(as, nas, sizeof *as, cmp_asg_fact);
    struct asg *asgs = arena_calloc(a, nas ? nas : 1, sizeof *asgs);
    if (!asgs)
        return ERR_NOMEM;
    size_t nasg = 0;
    for (size_t i = 0; i < nas; i++) {
        if (i == 0 || as[i]->assignment_nr != as[i - 1]->assignment_nr)
            asgs[nasg++] = (struct asg){.nr = as[i]->assignment_nr};
        struct asg *cur = &asgs[nasg - 1];
        cur->cur = as[i]; /* sorted by message order within the number: the last is newest */
        if (strncmp(as[i]->change_reason, REASON_DELETED, sizeof as[i]->change_reason) == 0)
            cur->deleted = true;
        if (as[i]->batch_id > cur->batch_id)
            cur->batch_id = as[i]->batch_id;
    }

    /* Pass 2. */
    qsort(ln, nln, sizeof *ln, cmp_line_fact);
    struct line *lines = arena_alloc(a, (nln ? nln : 1) * sizeof *lines);
    if (!lines)
        return ERR_NOMEM;
    size_t nlines = 0;
    for (size_t i = 0; i < nln;) {
        size_t j = i + 1;
        while (j < nln && cmp_line_key(ln[i], ln[j]) == 0)
            j++;
        int r = build_line(law, ln + i, j - i, asgs, nasg, a, &lines[nlines]);
        if (r < 0)
            return r;
        nlines += (size_t)r;
        i = j;
    }

    /* Pass 3 and 4 write into one output array: at most one trajectory per line or record. */
    struct trajectory *t = arena_alloc(a, (nlines + nrg ? nlines + nrg : 1) * sizeof *t);
    if (!t)
        return ERR_NOMEM;
    size_t nt = 0;
    qsort(lines, nlines, sizeof *lines, cmp_line);
    for (size_t i = 0; i < nlines;) {
        size_t j = i + 1;
        bool open = lines[i].open;
        int64_t end = lines[i].open ? INT64_MAX : lines[i].end;
        while (j < nlines && CMP_CODE(lines[j].category, lines[i].category) == 0 &&
               (open || (int64_t)lines[j].start <= end + 1)) {
            open = open || lines[j].open;
            if (!lines[j].open && lines[j].end > end)
                end = lines[j].end;
            j++;
        }
        make_trajectory(&g, lines + i, j - i, &t[nt++]);
        i = j;
    }
    qsort(rg, nrg, sizeof *rg, cmp_reg);
    for (size_t i = 0; i < nrg;) {
        size_t j = i + 1;
        while (j < nrg && CMP_CODE(rg[j]->hulpvorm, rg[i]->hulpvorm) == 0 &&
               rg[j]->start == rg[i]->start)
            j++;
        int r = make_registration(&g, rg + i, j - i, a, &t[nt++]);
        if (r)
            return r;
        i = j;
    }

    for (size_t i = 0; i < nt; i++)
        if (test_person)
            t[i].flags |= TRAJ_TEST_PERSON;
    qsort(t, nt, sizeof *t, cmp_traj);
    *out = nt ? t : NULL;
    *nout = nt;
    return 0;
}

/* ---- Ages. ------------------------------------------------------------------------------ */

const char *trajectory_age_band(enum law law, int age)
{
    if (age < 0)
        return "onbekend";
    if (law == LAW_JW) {
        if (age <= 3)
            return "0-3";
        if (age <= 11)
            return "4-11";
        if (age <= 17)
            return "12-17";
        if (age <= 22)
            return "18-22";
        return "23+";
    }
    if (age <= 17)
        return "0-17";
    if (age <= 64)
        return "18-64";
    if (age <= 74)
        return "65-74";
    if (age <= 84)
        return "75-84";
    return "85+";
}

int age_on(day_t birth, day_t date)
{
    if (birth == DAY_NONE || date == DAY_NONE || date < birth)
        return -1;
    int by, bm, bd, y, m, d;
    day_to_ymd(birth, &by, &bm, &bd);
    day_to_ymd(date, &y, &m, &d);
    /* Birthday not yet reached this year. Someone born on 29 February turns a year older on
     * 1 March in a common year: (2, 28) < (2, 29). */
    int age = y - by;
    if (m < bm || (m == bm && d < bd))
        age--;
    return age;
}
