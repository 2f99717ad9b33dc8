/*
 * test_view.c: disclosed views (metrics/view.c, protect.c, view_json.c) on a fresh database with
 * hand-inserted trajectories whose figures are known: hidden cells and their partners, the
 * trend from the extra previous period, rounding per audience, the actor's scope (a filter
 * outside it yields nothing, never more), filtered answers as slices of the two-way table,
 * targets, the anonymised benchmark, the JSON document and the Dutch number format, and the
 * questions refused (more than two characteristics, a filter with several values). Then the
 * reader's attacks through the routes a user has: the same figure in every answer (one-way,
 * two-way, filtered, other period ranges, years and quarters) gets the same decision; the
 * lines of a two-way breakdown with its margins (interval propagation); and an attacker who
 * pools every answer about a generated region with many small cells and eliminates over every
 * line (breakdowns, filters and their left-out rows, a year and its quarters) recovers nothing.
 */
#include "metrics/view.h"
#include "metrics/protect_cache.h"
#include "metrics/protect.h"
#include "core/buf.h"
#include "core/common.h"
#include "support/fixture.h"
#include "core/str.h"
#include "domain/org.h"
#include "domain/trajectory.h"
#include "metrics/definition.h"
#include "store/db.h"
#include "store/indicator_store.h"
#include "store/store.h"
#include "web/figures.h"
#include "core/config.h"
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <setjmp.h>
#include <unistd.h>
#include <cmocka.h>

enum { IND_STARTS = 1, IND_UITVAL = 2, IND_DOORLOOP = 3 };
#define NAANB 6

struct fixture {
    char dir[64];
    char path[128];
    struct store *s;
    struct arena *a;
    struct mx_engine *eng;
    int64_t region, gem[4], aanb[NAANB];
    int64_t next_person;
    int next_aanb;
    long starts[3][NAANB]; /* 2023-Q4, 2024-Q1, 2024-Q2: starts per aanbieder */
};

static struct fixture fx;

static const struct actor admin = {
    .user_id = -1, .org_kind = ORG_REGION, .roles = ROLE_ALL, .display_name = "test"};

static const char *const GEM[4] = {"0344", "0363", "0599", "0014"}; /* 0014 outside the region */

static void exec(struct db *db, const char *sql)
{
    int rc = db_exec(db, sql);
    if (rc)
        fail_msg("sql failed (%s): %.200s", err_name(rc), sql);
}

static day_t D(int y, int m, int d)
{
    return day_from_ymd(y, m, d);
}

static int quarter_slot(day_t start)
{
    if (start >= D(2024, 4, 1))
        return 2;
    if (start >= D(2024, 1, 1))
        return 1;
    return 0;
}

/*
 * n trajectories of gemeente g (index into GEM), law 1 (jw) or 2 (wmo), starting on `start`
 * (one day apart), ended on `end` (DAY_NONE: open) with CBS reason `cbs` (NULL: none).
 * Aanbieders take turns.
 */
static void add(struct db *db, int n, int g, int law, day_t start, day_t end, const char *cbs)
{
    for (int i = 0; i < n; i++) {
        int64_t person = ++fx.next_person;
        int ai = fx.next_aanb++ % NAANB;
        day_t s = start + i % 20;
        char sql[768];
        snprintf(sql, sizeof sql,
                 "INSERT INTO person(id, hkey, pseudonym) VALUES (%" PRId64 ", %" PRId64
                 ", randomblob(32));",
                 person, person);
        exec(db, sql);
        char endv[16] = "NULL", cbsv[8] = "NULL";
        if (end != DAY_NONE)
            snprintf(endv, sizeof endv, "%d", (int)end);
        if (cbs)
            snprintf(cbsv, sizeof cbsv, "'%s'", cbs);
        snprintf(sql, sizeof sql,
                 "INSERT INTO trajectory(person_id, aanbieder_id, law, gemeente, category, "
                 "hulpvorm, start_date, end_date, end_reason, end_reason_list, release, "
                 "cbs_reason, referrer, age_at_start, age_band, gender, flags, batch_id) VALUES "
                 "(%" PRId64 ", %" PRId64 ", %d, '%s', NULL, '01', %d, %s, NULL, 'CBS', 'v7', "
                 "%s, '01', 10, '%s', '%d', 8, 1);",
                 person, fx.aanb[ai], law, GEM[g], (int)s, endv, cbsv, law == 1 ? "4-11" : "18-64",
                 1 + i % 2);
        exec(db, sql);
        if (s >= D(2023, 10, 1) && s <= D(2024, 6, 30))
            fx.starts[quarter_slot(s)][ai]++;
    }
}

/* Registers nieuwe_starts, jw_uitval and doorlooptijd (ids 1-3) from the shipped standard set. */
static void define_standard(struct mx_engine *eng, struct arena *a)
{
    json_error_t je;
    json_t *set = json_load_file(TEST_SOURCE_DIR "/data/indicatoren/standaard.json", 0, &je);
    if (!set)
        fail_msg("standaard.json: %s", je.text);
    json_t *list = json_is_array(set) ? set : json_object_get(set, "indicatoren");
    assert_true(json_is_array(list));
    const char *want[] = {NULL, "nieuwe_starts", "jw_uitval", "doorlooptijd"};
    for (int id = 1; id <= 3; id++) {
        bool found = false;
        size_t i;
        json_t *d;
        json_array_foreach(list, i, d)
        {
            if (strcmp(json_string_value(json_object_get(d, "code")), want[id]) != 0)
                continue;
            char *text = json_dumps(d, JSON_COMPACT);
            struct ind_def def;
            struct ind_problems pr = {0};
            int rc = ind_def_parse(text, strlen(text), a, &def, &pr);
            free(text);
            if (rc == 0)
                rc = mx_engine_define(eng, id, 1, &def, &pr);
            if (rc)
                fail_msg("define %s: %s %s", want[id], pr.n ? pr.p[0].key : "",
                         pr.n ? pr.p[0].message : "");
            found = true;
        }
        assert_true(found);
    }
    json_decref(set);
}

static int setup(void **state)
{
    (void)state;
    memset(&fx, 0, sizeof fx);
    snprintf(fx.dir, sizeof fx.dir, "/tmp/duiding-test-view-XXXXXX");
    assert_non_null(mkdtemp(fx.dir));
    snprintf(fx.path, sizeof fx.path, "%s/d.db", fx.dir);
    struct err_ctx e = {0};
    assert_int_equal(store_open(fx.path, &fx.s, &e), 0);
    fx.a = arena_new(0);

    fx.region = ts_make_org(fx.s, ORG_REGION, "Regio Midden", NULL, NULL, 0);
    for (int g = 0; g < 3; g++)
        fx.gem[g] = ts_make_org(fx.s, ORG_GEMEENTE, NULL, GEM[g], NULL, fx.region);
    fx.gem[3] = ts_make_org(fx.s, ORG_GEMEENTE, NULL, GEM[3], NULL, 0);
    for (int i = 0; i < NAANB; i++) {
        char name[32], agb[24];
        snprintf(name, sizeof name, "Aanbieder %c", 'A' + i);
        snprintf(agb, sizeof agb, "7300000%d", i);
        fx.aanb[i] = ts_make_org(fx.s, ORG_AANBIEDER, name, NULL, agb, 0);
    }

    struct db *db;
    assert_int_equal(store_write_begin(fx.s, &db), 0);
    exec(db, "INSERT INTO import_batch(id, kind, file_name, file_sha256, file_bytes, via, "
             "status, created_at) VALUES (1, 'registratie', 'x.csv', "
             "'0000000000000000000000000000000000000000000000000000000000000000', 1, 'cli', "
             "'actief', '2024-07-01T00:00:00Z');");
    /* Starts (open trajectories). 2023-Q4: 18, 2, 30. */
    add(db, 18, 0, 1, D(2023, 10, 2), DAY_NONE, NULL);
    add(db, 2, 1, 1, D(2023, 10, 2), DAY_NONE, NULL);
    add(db, 30, 2, 1, D(2023, 10, 2), DAY_NONE, NULL);
    /* 2024-Q1: 0344 25 (20 jw + 5 wmo), 0363 3, 0599 14, 0014 40 (27 jw + 13 wmo). */
    add(db, 20, 0, 1, D(2024, 1, 8), DAY_NONE, NULL);
    add(db, 5, 0, 2, D(2024, 1, 8), DAY_NONE, NULL);
    add(db, 3, 1, 1, D(2024, 1, 8), DAY_NONE, NULL);
    add(db, 14, 2, 1, D(2024, 1, 8), DAY_NONE, NULL);
    add(db, 27, 3, 1, D(2024, 2, 5), DAY_NONE, NULL);
    add(db, 13, 3, 2, D(2024, 2, 5), DAY_NONE, NULL);
    /* 2024-Q2: 12, 11, 10, 20. */
    add(db, 12, 0, 1, D(2024, 4, 8), DAY_NONE, NULL);
    add(db, 11, 1, 1, D(2024, 4, 8), DAY_NONE, NULL);
    add(db, 10, 2, 1, D(2024, 4, 8), DAY_NONE, NULL);
    add(db, 20, 3, 1, D(2024, 5, 6), DAY_NONE, NULL);
    /* Ended in 2024-Q1 (started in 2022, so no start in the periods shown): 0344 12 ended,
     * 3 of them with CBS reason 03 (uitval); 0363 5 ended. */
    add(db, 9, 0, 1, D(2022, 3, 1), D(2024, 2, 1), "01");
    add(db, 3, 0, 1, D(2022, 3, 1), D(2024, 2, 1), "03");
    add(db, 5, 1, 1, D(2022, 3, 1), D(2024, 2, 1), "01");
    /* 2023-Q1: 15 jw starts in 0344 and 3 wmo starts in 0599, nothing else. */
    add(db, 15, 0, 1, D(2023, 1, 9), DAY_NONE, NULL);
    add(db, 3, 2, 2, D(2023, 1, 9), DAY_NONE, NULL);
    assert_int_equal(store_write_end(fx.s, true), 0);

    assert_int_equal(mx_engine_build(store_reader(fx.s), &fx.eng, &e), 0);
    /* Definitions from the shipped standard set (the file itself). */
    define_standard(fx.eng, fx.a);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    mx_engine_free(fx.eng);
    store_close(fx.s);
    arena_free(fx.a);
    ts_rm_dir(fx.dir);
    return 0;
}

/* ---- Helpers. ------------------------------------------------------------------------------ */

static struct period Q(int y, int q) {
    return (struct period){PERIOD_QUARTER, y, q};
}

static const struct mx_scope all_scope = {.all_gemeenten = true};

static bool key_eq(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static struct mx_view_req base_req(int64_t ind, const struct dc_rules *rules)
{
    return (struct mx_view_req){.ind_id = ind,
                                .pkind = PERIOD_QUARTER,
                                .first = Q(2024, 1),
                                .last = Q(2024, 2),
                                .scope = &all_scope,
                                .audience = DC_INTERNAL,
                                .rules = rules,
                                .bench_dim = -1};
}

static const struct dc_rules internal = {10, 10, 1, 5};
static const struct dc_rules published = {10, 10, 5, 5};

static void compute(const struct mx_view_req *r, struct mx_view *v)
{
    struct err_ctx e = {0};
    int rc = mx_view_compute(fx.eng, r, fx.a, v, &e);
    if (rc)
        fail_msg("view: %s: %s", err_name(rc), e.msg);
}

static const struct mx_vcell *cell(const struct mx_view *v, int p, const char *k0, const char *k1)
{
    const struct mx_vcell *c = mx_view_cell(v, p, k0, k1);
    if (!c)
        fail_msg("no cell %d %s %s", p, k0 ? k0 : "-", k1 ? k1 : "-");
    return c;
}

static void assert_hidden(const struct mx_vcell *c, enum dc_reason r)
{
    assert_int_equal(c->reason, r);
    assert_true(c->n == -1 && c->num == -1 && c->den == -1);
    assert_true(isnan(c->value) && isnan(c->lo) && isnan(c->hi));
}

/* ---- Tests. -------------------------------------------------------------------------------- */

/* Every line of a one-way view (per period: the members over the codes and their total) has
 * no hidden cell or at least two, and with a shown total its hidden members add up to 0 or at
 * least min_count. truth: the undisclosed view of the same question (internal rules). */
static void assert_lines_sound(const struct mx_view *v, const struct mx_view *truth)
{
    for (int p = 0; p < v->nperiods; p++) {
        const struct mx_vcell *tot = mx_view_cell(v, p, NULL, NULL);
        int hidden = tot && tot->reason != DC_SHOWN && tot->reason != DC_NO_DATA;
        int64_t sum = 0;
        for (size_t i = 0; i < v->ncells; i++) {
            const struct mx_vcell *c = &v->cells[i];
            if (c->period_idx != p || !c->key[0] || c->reason == DC_SHOWN ||
                c->reason == DC_NO_DATA)
                continue;
            hidden++;
            const struct mx_vcell *t = mx_view_cell(truth, p, c->key[0], NULL);
            sum += t && t->n > 0 ? t->n : 0;
        }
        if (hidden == 1)
            fail_msg("period %d: exactly one hidden cell", p);
        if (tot && tot->reason == DC_SHOWN && sum > 0 && sum < v->rules.min_count)
            fail_msg("period %d: the hidden cells add up to %" PRId64, p, sum);
    }
}

/* The undisclosed figures of a question, as a view: every threshold 1 (the definition's own
 * minimum too, through a preview of the same definition). */
static void compute_truth(const struct mx_view_req *r, struct mx_view *v)
{
    static const struct dc_rules all = {1, 1, 1, 5};
    int version = 0;
    const struct ind_def *d = mx_engine_definition(fx.eng, r->ind_id, &version, fx.a);
    assert_non_null(d);
    struct ind_def *copy = arena_alloc(fx.a, sizeof *copy);
    *copy = *d;
    copy->min_n = 1;
    struct mx_view_req t = *r;
    t.rules = &all;
    t.preview = copy;
    compute(&t, v);
}

static void test_counts_by_gemeente(void **state)
{
    (void)state;
    struct mx_view_req r = base_req(IND_STARTS, &internal);
    r.by[0] = MX_DIM_GEMEENTE;
    r.nby = 1;
    struct mx_view v, truth;
    compute(&r, &v);
    compute_truth(&r, &truth);
    assert_int_equal(v.nperiods, 2); /* the trend period is not returned */
    for (size_t i = 0; i < v.ncells; i++)
        assert_true(v.cells[i].period_idx >= 0 && v.cells[i].period_idx < 2);
    /* 2024-Q1: 40, 25, 3, 14 = 82. The 3 is hidden with at least one partner; the total stays. */
    assert_hidden(cell(&v, 0, "0363", NULL), DC_SMALL_COUNT);
    assert_int_equal(cell(&v, 0, NULL, NULL)->n, 82);
    assert_true(cell(&v, 0, NULL, NULL)->value == 82.0);
    assert_int_equal(cell(&v, 0, "0014", NULL)->n, 40);
    assert_int_equal(cell(&truth, 0, "0363", NULL)->n, 3);
    assert_lines_sound(&v, &truth);
    /* Shown figures are the true ones; hidden ones are -1 and NAN, never 0. */
    for (size_t i = 0; i < v.ncells; i++) {
        const struct mx_vcell *c = &v.cells[i];
        const struct mx_vcell *t = cell(&truth, c->period_idx, c->key[0], NULL);
        if (c->reason == DC_SHOWN)
            assert_int_equal(c->n, t->n);
        else
            assert_hidden(c, c->reason);
    }
    assert_true(v.nhidden >= 2);
    /* Trend: the shown value of the previous period (2023-Q4 total: 50), else NAN. */
    assert_true(cell(&v, 0, NULL, NULL)->prev == 50.0);
    for (size_t i = 0; i < v.ncells; i++) {
        const struct mx_vcell *c = &v.cells[i];
        if (c->period_idx != 1)
            continue;
        const struct mx_vcell *q1 = mx_view_cell(&v, 0, c->key[0], NULL);
        if (q1 && q1->reason == DC_SHOWN)
            assert_true(c->prev == q1->value);
        else
            assert_true(isnan(c->prev));
    }
    /* Sorted by period, then key with the total last. */
    for (size_t i = 1; i < v.ncells; i++) {
        const struct mx_vcell *a = &v.cells[i - 1], *b = &v.cells[i];
        assert_true(a->period_idx < b->period_idx ||
                    (a->period_idx == b->period_idx &&
                     (b->key[0] == NULL || (a->key[0] && strcmp(a->key[0], b->key[0]) < 0))));
    }

    /* Published: counts rounded to 5, the same cells hidden (the rules are the same but for
     * the rounding). */
    struct mx_view pub;
    r.rules = &published;
    r.audience = DC_PUBLISHED;
    compute(&r, &pub);
    assert_int_equal(pub.ncells, v.ncells);
    for (size_t i = 0; i < v.ncells; i++) {
        assert_int_equal(pub.cells[i].reason, v.cells[i].reason);
        if (pub.cells[i].reason == DC_SHOWN) {
            assert_int_equal(pub.cells[i].n % 5, 0);
            assert_int_equal(pub.cells[i].n, dc_round(&published, v.cells[i].n));
        }
    }
    assert_int_equal(cell(&pub, 0, NULL, NULL)->n, 80);
    assert_true(cell(&pub, 0, "0014", NULL)->value == 40.0);
}

/* Two views agree cell by cell (figures, reasons, trend). */
static void same_view(const struct mx_view *a, const struct mx_view *b)
{
    assert_int_equal(a->ncells, b->ncells);
    assert_int_equal(a->nhidden, b->nhidden);
    for (size_t i = 0; i < a->ncells; i++) {
        const struct mx_vcell *x = &a->cells[i], *y = &b->cells[i];
        assert_int_equal(x->period_idx, y->period_idx);
        assert_true(key_eq(x->key[0], y->key[0]) && key_eq(x->key[1], y->key[1]));
        assert_int_equal(x->reason, y->reason);
        assert_int_equal(x->n, y->n);
        assert_true(x->value == y->value || (isnan(x->value) && isnan(y->value)));
        assert_true(x->prev == y->prev || (isnan(x->prev) && isnan(y->prev)));
    }
}

/*
 * Decided tables are cached (metrics/protect_cache.h): the same question, a shorter range of the
 * same years and a filtered question on the same dimension are answered from the cache, exactly
 * as a fresh decision would answer them; a change of the engine (here: a definition registered
 * again) is never answered from a table decided before it.
 */
static void test_decision_cache(void **state)
{
    (void)state;
    size_t h0, m0, h1, m1;
    pc_clear();
    struct mx_view_req r = base_req(IND_STARTS, &internal);
    r.by[0] = MX_DIM_GEMEENTE;
    r.nby = 1;
    struct mx_view v1, v2, fresh;
    compute(&r, &v1);
    pc_counts(&h0, &m0);
    assert_true(m0 >= 1);
    compute(&r, &v2);
    pc_counts(&h1, &m1);
    assert_int_equal(m1, m0); /* no new decision */
    assert_true(h1 > h0);
    same_view(&v1, &v2);

    /* a shorter range within the same years */
    r.first = r.last = Q(2024, 2);
    compute(&r, &v2);
    pc_counts(&h0, &m0);
    assert_int_equal(m0, m1);
    pc_clear();
    compute(&r, &fresh);
    same_view(&v2, &fresh);

    /* a filter on the decided dimension is a slice of the same table */
    const char *code[] = {"0344"};
    r = base_req(IND_STARTS, &internal);
    compute(&r, &v1); /* decides the table without dimensions (no hit needed) */
    r.where[MX_DIM_GEMEENTE] = (struct mx_where){code, 1};
    struct mx_view_req by = base_req(IND_STARTS, &internal);
    by.by[0] = MX_DIM_GEMEENTE;
    by.nby = 1;
    compute(&by, &v1);
    pc_counts(&h0, &m0);
    compute(&r, &v2);
    pc_counts(&h1, &m1);
    assert_int_equal(m1, m0);
    assert_true(h1 > h0);
    pc_clear();
    compute(&r, &fresh);
    same_view(&v2, &fresh);

    /* another engine state: decided afresh */
    compute(&by, &v1);
    pc_counts(&h0, &m0);
    define_standard(fx.eng, fx.a);
    compute(&by, &v2);
    pc_counts(&h1, &m1);
    assert_true(m1 > m0);
    same_view(&v1, &v2);

    /* other rules are another key */
    by.rules = &published;
    by.audience = DC_PUBLISHED;
    pc_counts(&h0, &m0);
    compute(&by, &v2);
    pc_counts(&h1, &m1);
    assert_true(m1 > m0);
}

static void test_scope(void **state)
{
    (void)state;
    const char *region[] = {"0344", "0363", "GM0599"};
    struct mx_scope sc = {.all_gemeenten = false, .gemeenten = region, .ngemeenten = 3};
    struct mx_view_req r = base_req(IND_STARTS, &internal);
    r.scope = &sc;
    r.by[0] = MX_DIM_GEMEENTE;
    r.nby = 1;
    struct mx_view v;
    compute(&r, &v);
    assert_null(mx_view_cell(&v, 0, "0014", NULL)); /* outside the scope */
    assert_int_equal(cell(&v, 0, NULL, NULL)->n, 42);
    assert_hidden(cell(&v, 0, "0363", NULL), DC_SMALL_COUNT);
    int partners = 0;
    for (size_t i = 0; i < v.ncells; i++)
        partners += v.cells[i].period_idx == 0 && v.cells[i].reason == DC_SECONDARY;
    assert_true(partners >= 1);

    /* A filter outside the scope yields nothing, never more. */
    const char *outside[] = {"0014"};
    r.where[MX_DIM_GEMEENTE] = (struct mx_where){outside, 1};
    compute(&r, &v);
    assert_int_equal(v.ncells, 0);
    assert_int_equal(v.nperiods, 2);
    assert_non_null(v.def);
    /* Partly outside: only the part inside, as the breakdown decides it. */
    struct mx_view all;
    r.where[MX_DIM_GEMEENTE] = (struct mx_where){NULL, 0};
    compute(&r, &all);
    const char *mixed[] = {"GM0344", "0014"};
    r.where[MX_DIM_GEMEENTE] = (struct mx_where){mixed, 2};
    compute(&r, &v);
    assert_null(mx_view_cell(&v, 0, "0014", NULL));
    assert_int_equal(cell(&v, 0, "0344", NULL)->reason, cell(&all, 0, "0344", NULL)->reason);
    assert_int_equal(cell(&v, 0, NULL, NULL)->n, cell(&all, 0, "0344", NULL)->n);
    /* The scope's every gemeente is no restriction: the same as no filter. */
    r.where[MX_DIM_GEMEENTE] = (struct mx_where){region, 3};
    struct mx_view whole;
    compute(&r, &whole);
    assert_int_equal(cell(&whole, 0, NULL, NULL)->n, 42);
    /* A scope without gemeenten sees nothing. */
    struct mx_scope none = {.all_gemeenten = false, .gemeenten = region, .ngemeenten = 0};
    r.scope = &none;
    r.where[MX_DIM_GEMEENTE] = (struct mx_where){NULL, 0};
    compute(&r, &v);
    assert_int_equal(v.ncells, 0);

    /* An aanbieder's scope: its own trajectories only. */
    struct mx_scope prov = {.all_gemeenten = true, .aanbieder_id = fx.aanb[2]};
    r = base_req(IND_STARTS, &internal);
    r.scope = &prov;
    compute(&r, &v);
    const struct mx_vcell *own = cell(&v, 0, NULL, NULL);
    if (own->reason == DC_SHOWN)
        assert_int_equal(own->n, fx.starts[1][2]);
    else
        assert_hidden(own, fx.starts[1][2] < 10 ? DC_SMALL_COUNT : DC_SECONDARY);
    /* asking for another aanbieder: nothing */
    char other[24];
    snprintf(other, sizeof other, "%" PRId64, fx.aanb[3]);
    const char *oth[] = {other};
    r.where[MX_DIM_AANBIEDER] = (struct mx_where){oth, 1};
    compute(&r, &v);
    assert_int_equal(v.ncells, 0);
}

/* A filtered answer is a slice of the table of its constrained dimensions: the same figures
 * with the same decisions as the two-way breakdown. */
static void test_filter_is_a_slice(void **state)
{
    (void)state;
    const char *jw[] = {"jw"};
    struct mx_view_req r = base_req(IND_STARTS, &internal);
    r.by[0] = MX_DIM_GEMEENTE;
    r.nby = 1;
    r.where[MX_DIM_LAW] = (struct mx_where){jw, 1};
    struct mx_view v, two;
    compute(&r, &v);
    struct mx_view_req r2 = base_req(IND_STARTS, &internal);
    r2.by[0] = MX_DIM_LAW;
    r2.by[1] = MX_DIM_GEMEENTE;
    r2.nby = 2;
    compute(&r2, &two);
    assert_true(v.ncells > 4);
    for (size_t i = 0; i < v.ncells; i++) {
        const struct mx_vcell *c = &v.cells[i];
        const struct mx_vcell *d = cell(&two, c->period_idx, "jw", c->key[0]);
        assert_int_equal(c->reason, d->reason);
        assert_int_equal(c->n, d->n);
    }
    /* 0344 in 2024-Q1: 20 of its 25 starts are jw; the 5 wmo starts must not follow from the
     * difference with the unfiltered figure: not both shown. */
    struct mx_view u;
    struct mx_view_req ru = base_req(IND_STARTS, &internal);
    ru.by[0] = MX_DIM_GEMEENTE;
    ru.nby = 1;
    compute(&ru, &u);
    assert_false(cell(&v, 0, "0344", NULL)->reason == DC_SHOWN &&
                 cell(&u, 0, "0344", NULL)->reason == DC_SHOWN);
    /* Differencing, the route a user has: for every cell shown both filtered and unfiltered,
     * the difference is 0 or at least min_count. */
    int compared = 0;
    for (size_t i = 0; i < v.ncells; i++) {
        const struct mx_vcell *c = &v.cells[i];
        const struct mx_vcell *d = mx_view_cell(&u, c->period_idx, c->key[0], NULL);
        if (c->reason != DC_SHOWN || !d || d->reason != DC_SHOWN)
            continue;
        int64_t diff = d->n - c->n;
        assert_true(diff == 0 || diff >= internal.min_count);
        compared++;
    }
    assert_true(compared >= 2);
    /* A breakdown that is filtered too: the filter's code and, as its margin, the same figure. */
    r.by[0] = MX_DIM_LAW;
    compute(&r, &v);
    for (int p = 0; p < 2; p++) {
        const struct mx_vcell *a = cell(&v, p, "jw", NULL), *b = cell(&v, p, NULL, NULL);
        assert_int_equal(a->reason, b->reason);
        assert_int_equal(a->n, b->n);
        assert_int_equal(a->n, cell(&two, p, "jw", NULL)->n);
    }
    assert_null(mx_view_cell(&v, 0, "wmo", NULL));
}

static void test_two_filters(void **state)
{
    (void)state;
    /* gemeente=0344 and wet=jw in 2023-Q1: no jw elsewhere, no wmo in 0344, but 3 wmo starts
     * in 0599: the figure (15) minus the unfiltered one (18) would reveal them. */
    const char *jw[] = {"jw"}, *utrecht[] = {"0344"};
    struct mx_view_req r = base_req(IND_STARTS, &internal);
    r.first = r.last = Q(2023, 1);
    r.where[MX_DIM_LAW] = (struct mx_where){jw, 1};
    r.where[MX_DIM_GEMEENTE] = (struct mx_where){utrecht, 1};
    struct mx_view v, u;
    compute(&r, &v);
    struct mx_view_req ur = base_req(IND_STARTS, &internal);
    ur.first = ur.last = Q(2023, 1);
    compute(&ur, &u);
    const struct mx_vcell *c = cell(&v, 0, NULL, NULL), *t = cell(&u, 0, NULL, NULL);
    assert_false(c->reason == DC_SHOWN && t->reason == DC_SHOWN);
    /* The same figure in the two-way breakdown gets the same decision. */
    struct mx_view_req r2 = base_req(IND_STARTS, &internal);
    r2.first = r2.last = Q(2023, 1);
    r2.by[0] = MX_DIM_GEMEENTE;
    r2.by[1] = MX_DIM_LAW;
    r2.nby = 2;
    struct mx_view two;
    compute(&r2, &two);
    assert_int_equal(cell(&two, 0, "0344", "jw")->reason, c->reason);
    assert_int_equal(cell(&two, 0, "0344", "jw")->n, c->n);
}

static void test_targets(void **state)
{
    (void)state;
    const struct mx_target t[] = {
        {"GM0344", 0, D(2024, 1, 1), DAY_NONE, 20.0},
        {NULL, 0, D(2023, 1, 1), DAY_NONE, 30.0},
        {"0599", 0, D(2024, 4, 1), D(2024, 12, 31), 15.0},
        {"0599", 0, D(2020, 1, 1), D(2020, 12, 31), 99.0}, /* expired */
        {"0344", 999999, D(2020, 1, 1), DAY_NONE, 77.0},   /* another aanbieder */
    };
    struct mx_view_req r = base_req(IND_STARTS, &internal);
    r.by[0] = MX_DIM_GEMEENTE;
    r.nby = 1;
    r.targets = t;
    r.ntargets = ARRAY_LEN(t);
    struct mx_view v;
    compute(&r, &v);
    assert_true(cell(&v, 0, "0344", NULL)->target == 20.0);
    assert_true(cell(&v, 0, "0599", NULL)->target == 30.0);
    assert_true(cell(&v, 1, "0599", NULL)->target == 15.0);
    assert_true(cell(&v, 0, "0014", NULL)->target == 30.0);
    assert_true(cell(&v, 0, NULL, NULL)->target == 30.0);
    r.ntargets = 1;
    compute(&r, &v);
    assert_true(isnan(cell(&v, 0, "0599", NULL)->target));
    assert_true(isnan(cell(&v, 0, NULL, NULL)->target));
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return x < y ? -1 : x > y;
}

static double quantile(const long *v, int n, double q)
{
    double h = (n - 1) * q;
    int lo = (int)floor(h);
    int hi = lo + 1 < n ? lo + 1 : lo;
    return (double)v[lo] + (h - lo) * (double)(v[hi] - v[lo]);
}

static void test_benchmark(void **state)
{
    (void)state;
    /* An aanbieder sees itself beside the quartiles of the other five. */
    struct mx_scope prov = {.all_gemeenten = true, .aanbieder_id = fx.aanb[0]};
    struct mx_view_req r = base_req(IND_STARTS, &internal);
    r.scope = &prov;
    r.bench_dim = MX_DIM_AANBIEDER;
    struct mx_view v;
    compute(&r, &v);
    for (int p = 0; p < 2; p++) {
        long others[NAANB];
        int n = 0;
        for (int i = 1; i < NAANB; i++)
            if (fx.starts[p + 1][i] >= 10)
                others[n++] = fx.starts[p + 1][i];
        qsort(others, (size_t)n, sizeof others[0], cmp_long);
        const struct mx_vcell *c = cell(&v, p, NULL, NULL);
        if (c->reason == DC_SHOWN)
            assert_int_equal(c->n, fx.starts[p + 1][0]);
        else if (fx.starts[p + 1][0] < 10)
            assert_hidden(c, DC_SMALL_COUNT); /* its own figure; the others' quartiles stay */
        else
            assert_hidden(c, DC_SECONDARY); /* a partner of its own small quarter */
        if (n >= 5) {
            assert_int_equal(c->bench_entities, n);
            assert_true(fabs(c->bench_median - quantile(others, n, 0.5)) < 1e-9);
            assert_true(fabs(c->bench_p25 - quantile(others, n, 0.25)) < 1e-9);
            assert_true(fabs(c->bench_p75 - quantile(others, n, 0.75)) < 1e-9);
        } else {
            assert_int_equal(c->bench_entities, 0);
            assert_true(isnan(c->bench_median));
        }
    }
    assert_int_equal(cell(&v, 0, NULL, NULL)->bench_entities, 5); /* Q1: 82 starts over 6 */
    /* Too few entities for the rules: no benchmark at all. */
    struct dc_rules strict = internal;
    strict.min_benchmark = 6;
    r.rules = &strict;
    compute(&r, &v);
    assert_int_equal(cell(&v, 0, NULL, NULL)->bench_entities, 0);
    assert_true(isnan(cell(&v, 0, NULL, NULL)->bench_p25));
    /* A breakdown by gemeente: a benchmark per gemeente cell (0014 had 40 starts: 6-7 per
     * aanbieder, all below 10: none). */
    r.rules = &internal;
    r.by[0] = MX_DIM_GEMEENTE;
    r.nby = 1;
    compute(&r, &v);
    assert_int_equal(cell(&v, 0, NULL, NULL)->bench_entities, 5);
    for (size_t i = 0; i < v.ncells; i++)
        if (v.cells[i].key[0])
            assert_int_equal(v.cells[i].bench_entities, 0);
}

static void test_percentage_and_json(void **state)
{
    (void)state;
    struct mx_view_req r = base_req(IND_UITVAL, &internal);
    r.first = r.last = Q(2024, 1);
    r.by[0] = MX_DIM_GEMEENTE;
    r.nby = 1;
    struct mx_view v;
    compute(&r, &v);
    /* 2024 (every end is in Q1): 0344 3 of 12 ended with uitval; 0363 5 ended, hidden. The
     * year's total (17) stays, so 0344 goes too; the quarter's cells are the year's. */
    const struct mx_vcell *c = cell(&v, 0, NULL, NULL);
    assert_int_equal(c->reason, DC_SHOWN);
    assert_true(fabs(c->value - 300.0 / 17.0) < 1e-9);
    assert_int_equal(c->num, 3);
    assert_int_equal(c->den, 17);
    assert_true(c->lo > 0 && c->lo < c->value && c->hi > c->value && c->hi < 100.0);
    char buf[64];
    mx_view_format_value(&v, c, buf, sizeof buf);
    assert_string_equal(buf, "17,6%");
    assert_hidden(cell(&v, 0, "0363", NULL), DC_SMALL_COUNT);
    assert_hidden(cell(&v, 0, "0344", NULL), DC_SECONDARY);
    mx_view_format_value(&v, cell(&v, 0, "0363", NULL), buf, sizeof buf);
    assert_string_equal(buf, ".");

    const char *text = mx_view_to_json(&v, NULL, NULL, fx.a);
    assert_non_null(text);
    json_error_t je;
    json_t *root = json_loads(text, 0, &je);
    assert_non_null(root);
    assert_string_equal(json_string_value(json_object_get(root, "publiek")), "intern");
    json_t *ind = json_object_get(root, "indicator");
    assert_string_equal(json_string_value(json_object_get(ind, "code")), "jw_uitval");
    assert_int_equal(json_array_size(json_object_get(root, "perioden")), 1);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(root, "perioden"), 0), "code")),
                        "2024-Q1");
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(json_object_get(root, "per"), 0), "code")),
        "gemeente");
    assert_int_equal(json_integer_value(json_object_get(root, "aantal_verborgen")), v.nhidden);
    json_t *cells = json_object_get(root, "cellen");
    assert_int_equal(json_array_size(cells), v.ncells);
    int seen_hidden = 0, seen_shown = 0;
    size_t i;
    json_t *jc;
    json_array_foreach(cells, i, jc)
    {
        json_t *hid = json_object_get(jc, "verborgen");
        json_t *key = json_array_get(json_object_get(jc, "sleutel"), 0);
        assert_int_equal(json_array_size(json_object_get(jc, "labels")), 1);
        if (json_is_null(hid)) {
            seen_shown++;
            assert_true(json_is_null(key));
            assert_true(fabs(json_real_value(json_object_get(jc, "waarde")) - 300.0 / 17.0) <
                        0.05); /* one decimal */
            assert_int_equal(json_integer_value(json_object_get(jc, "teller")), 3);
            assert_int_equal(json_integer_value(json_object_get(jc, "noemer")), 17);
            assert_true(json_is_real(json_object_get(jc, "ondergrens")));
        } else {
            seen_hidden++;
            /* Hidden: null, never 0, with the reason. */
            const char *fields[] = {"waarde", "n", "teller", "noemer", "ondergrens", "bovengrens"};
            for (size_t f = 0; f < ARRAY_LEN(fields); f++)
                assert_true(json_is_null(json_object_get(jc, fields[f])));
            const char *why = json_string_value(json_object_get(hid, "reden"));
            assert_true(strcmp(why, "klein_aantal") == 0 || strcmp(why, "secundair") == 0);
            assert_true(strlen(json_string_value(json_object_get(hid, "uitleg"))) > 10);
            assert_true(json_is_string(key));
        }
    }
    assert_int_equal(seen_shown, 1);
    assert_int_equal(seen_hidden, 2);
    assert_true(json_is_string(json_object_get(root, "peildatum")));
    json_decref(root);
    assert_null(strstr(text, "NaN"));
}

/* ---- The reader's attack on a two-way breakdown. ------------------------------------------- */

struct iv {
    int64_t lo, hi;
};

#define BIG ((int64_t)1 << 40)

static struct iv seen(const struct mx_view *v, const struct mx_vcell *c)
{
    switch (c->reason) {
    case DC_SHOWN:
        return (struct iv){c->n, c->n};
    case DC_NO_DATA:
        return (struct iv){0, 0};
    case DC_SMALL_COUNT:
        return (struct iv){1, v->rules.min_count - 1};
    default:
        return (struct iv){v->rules.min_count, BIG};
    }
}

/* Lines of the view's cells for period p: rows (key0 fixed) and columns (key1 fixed), each
 * with its total; narrows the intervals; true if anything changed. Absent cells are 0. */
static bool tighten_view(const struct mx_view *v, int p, struct iv *iv)
{
    bool changed = false;
    for (int dir = 0; dir < 2; dir++)
        for (size_t t = 0; t < v->ncells; t++) {
            const struct mx_vcell *tot = &v->cells[t];
            if (tot->period_idx != p || tot->key[1 - dir] != NULL)
                continue;
            /* total cell: key[1-dir] NULL; members share key[dir] and have key[1-dir] set */
            int64_t slo = 0, shi = 0;
            for (size_t m = 0; m < v->ncells; m++) {
                const struct mx_vcell *c = &v->cells[m];
                if (c->period_idx != p || !c->key[1 - dir] ||
                    !((c->key[dir] == NULL && tot->key[dir] == NULL) ||
                      (c->key[dir] && tot->key[dir] && strcmp(c->key[dir], tot->key[dir]) == 0)))
                    continue;
                slo += iv[m].lo;
                shi += iv[m].hi;
            }
            struct iv *T = &iv[t];
            if (slo > T->lo) {
                T->lo = slo;
                changed = true;
            }
            if (shi < T->hi) {
                T->hi = shi;
                changed = true;
            }
            for (size_t m = 0; m < v->ncells; m++) {
                const struct mx_vcell *c = &v->cells[m];
                if (c->period_idx != p || !c->key[1 - dir] ||
                    !((c->key[dir] == NULL && tot->key[dir] == NULL) ||
                      (c->key[dir] && tot->key[dir] && strcmp(c->key[dir], tot->key[dir]) == 0)))
                    continue;
                int64_t lo = T->lo - (shi - iv[m].hi), hi = T->hi - (slo - iv[m].lo);
                if (lo > iv[m].lo) {
                    iv[m].lo = lo;
                    changed = true;
                }
                if (hi < iv[m].hi) {
                    iv[m].hi = hi;
                    changed = true;
                }
            }
        }
    return changed;
}

static void test_two_way_attack(void **state)
{
    (void)state;
    struct mx_view_req r = base_req(IND_STARTS, &internal);
    r.by[0] = MX_DIM_GEMEENTE;
    r.by[1] = MX_DIM_AANBIEDER;
    r.nby = 2;
    r.bench_dim = MX_DIM_AANBIEDER; /* ignored with two breakdowns */
    struct mx_view v;
    compute(&r, &v);
    assert_true(v.ncells > 30);
    int small = 0, secondary = 0, narrowed = 0;
    struct iv *iv = arena_calloc(fx.a, v.ncells, sizeof *iv);
    for (int p = 0; p < v.nperiods; p++) {
        for (size_t i = 0; i < v.ncells; i++)
            iv[i] = seen(&v, &v.cells[i]);
        for (int round = 0; round < 1000 && tighten_view(&v, p, iv); round++)
            ;
        for (size_t i = 0; i < v.ncells; i++) {
            const struct mx_vcell *c = &v.cells[i];
            if (c->period_idx != p)
                continue;
            assert_true(isnan(c->bench_median));
            if (c->reason == DC_SHOWN || c->reason == DC_NO_DATA)
                continue;
            small += c->reason == DC_SMALL_COUNT;
            secondary += c->reason == DC_SECONDARY;
            if (iv[i].lo >= iv[i].hi)
                fail_msg("period %d cell %s/%s pinned to %" PRId64, p, c->key[0] ? c->key[0] : "-",
                         c->key[1] ? c->key[1] : "-", iv[i].lo);
            /* Fewer than three values left: only where the line had nothing left to hide
             * (in 2024-Q2 every aanbieder is small and the total, decided first, is shown). */
            narrowed += c->reason == DC_SMALL_COUNT && iv[i].hi - iv[i].lo < 2;
        }
    }
    print_message("two-way: %d small cells, %d narrowed to two values\n", small, narrowed);
    assert_true(narrowed <= 6);
    assert_true(small > 10);
    assert_true(secondary > 0);
}

/* ---- What a reader pools: every answer, by the figure's identity. --------------------------- */

/*
 * The reader's knowledge, as tests/http/disclosure-recovery.test.mjs keeps it: a figure is its
 * period and its constraints {dimension = code} from breakdown keys and filters. Lines: a
 * breakdown's total is the sum of its members (absent members hold no rows); a filtered figure
 * plus the rows the filter left out ("d=!code") is the figure without the filter; a year is its
 * four quarters. Elimination: a line with one unknown gives it.
 */
#define NO_CODE ((const char *)0)

struct kfact {
    char *id;
    bool known, shown, derived, comp;
    int64_t val;
    unsigned hidden; /* reasons (bits) it was hidden with */
};

struct kline {
    size_t total, off, n;
};

struct know {
    struct kfact *f;
    size_t n, cap;
    size_t *tab, tcap; /* open addressing: index + 1 */
    size_t *pool, npool, cappool;
    struct kline *lines;
    size_t nlines, caplines;
    int min_count;
    int problems, leaks;
};

static void know_init(struct know *k, int min_count)
{
    memset(k, 0, sizeof *k);
    k->min_count = min_count;
    k->tcap = 1 << 16;
    k->tab = calloc(k->tcap, sizeof *k->tab);
}

static void know_free(struct know *k)
{
    for (size_t i = 0; i < k->n; i++)
        free(k->f[i].id);
    free(k->f);
    free(k->tab);
    free(k->pool);
    free(k->lines);
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static size_t fact(struct know *k, const char *id)
{
    assert_true(k->n < k->tcap / 2);
    size_t h = (size_t)hash_str(id) & (k->tcap - 1);
    for (; k->tab[h]; h = (h + 1) & (k->tcap - 1))
        if (strcmp(k->f[k->tab[h] - 1].id, id) == 0)
            return k->tab[h] - 1;
    if (k->n == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 1024;
        k->f = realloc(k->f, k->cap * sizeof *k->f);
    }
    size_t len = strlen(id);
    char *copy = malloc(len + 1);
    memcpy(copy, id, len + 1);
    k->f[k->n] = (struct kfact){.id = copy};
    k->tab[h] = ++k->n;
    return k->n - 1;
}

static void kline_add(struct know *k, size_t total, const size_t *m, size_t n)
{
    if (n == 0)
        return;
    if (k->npool + n > k->cappool) {
        k->cappool = (k->cappool + n) * 2;
        k->pool = realloc(k->pool, k->cappool * sizeof *k->pool);
    }
    if (k->nlines == k->caplines) {
        k->caplines = k->caplines ? k->caplines * 2 : 1024;
        k->lines = realloc(k->lines, k->caplines * sizeof *k->lines);
    }
    memcpy(k->pool + k->npool, m, n * sizeof *m);
    k->lines[k->nlines++] = (struct kline){total, k->npool, n};
    k->npool += n;
}

/* "2024-Q1|gemeente=0344,wet=jw": codes[d] set (NO_CODE: unconstrained). */
static void ident_of(struct period p, const char *const *codes, char *out, size_t n)
{
    char pc[PERIOD_CODE_MAX];
    period_code(p, pc);
    struct buf b;
    buf_init(&b, 4096);
    buf_appendf(&b, "%s|", pc);
    for (int d = 0; d < MX_DIM__COUNT; d++)
        if (codes[d])
            buf_appendf(&b, "%s=%s,", mx_dim_code((enum mx_dim)d), codes[d]);
    const char *s = buf_cstr(&b);
    size_t len = strlen(s);
    assert_true(len < n);
    memcpy(out, s, len + 1);
    buf_release(&b);
}

static bool is_primary(enum dc_reason x)
{
    return x == DC_SMALL_COUNT || x == DC_SMALL_DENOMINATOR || x == DC_BELOW_MIN_N;
}

static void learn_cell(struct know *k, size_t i, const struct mx_vcell *c, const char *where)
{
    struct kfact *f = &k->f[i];
    if (c->reason == DC_SHOWN || c->reason == DC_NO_DATA) {
        int64_t v = c->reason == DC_NO_DATA ? 0 : c->den >= 0 && c->num >= 0 ? c->den : c->n;
        if (f->known && f->val != v) {
            print_error("%s: %" PRId64 " and %" PRId64 " (%s)\n", f->id, f->val, v, where);
            k->problems++;
        }
        if (f->hidden & ~(1u << DC_SECONDARY)) {
            print_error("%s hidden as small elsewhere but shown in %s\n", f->id, where);
            k->leaks++;
        }
        f->known = f->shown = true;
        f->val = v;
        return;
    }
    if (f->shown && is_primary(c->reason)) {
        print_error("%s shown elsewhere but hidden as small in %s\n", f->id, where);
        k->leaks++;
    }
    f->hidden |= 1u << c->reason;
}

/* One answer into the knowledge. */
static void know_view(struct know *k, const struct mx_view *v, const struct mx_view_req *r,
                      const char *where)
{
    const char *filt[MX_DIM__COUNT] = {0};
    for (int d = 0; d < MX_DIM__COUNT; d++)
        if (r->where[d].n == 1) {
            const char *c = r->where[d].codes[0];
            filt[d] = d == MX_DIM_GEMEENTE && c[0] == 'G' ? c + 2 : c;
        }
    char id[256], id2[256];
    size_t *members = calloc(v->ncells + 1, sizeof *members);
    for (size_t i = 0; i < v->ncells; i++) {
        const struct mx_vcell *c = &v->cells[i];
        const char *cons[MX_DIM__COUNT];
        memcpy(cons, filt, sizeof cons);
        for (int b = 0; b < v->nby; b++)
            if (c->key[b])
                cons[v->by[b]] = c->key[b];
        ident_of(v->periods[c->period_idx], cons, id, sizeof id);
        size_t fi = fact(k, id);
        learn_cell(k, fi, c, where);
        /* Differencing: the figure plus the left-out rows is the figure without the filter. */
        for (int d = 0; d < MX_DIM__COUNT; d++) {
            if (!filt[d])
                continue;
            const char *base[MX_DIM__COUNT];
            memcpy(base, cons, sizeof base);
            base[d] = NO_CODE;
            ident_of(v->periods[c->period_idx], base, id, sizeof id);
            char notc[64];
            snprintf(notc, sizeof notc, "!%s", filt[d]);
            base[d] = notc;
            ident_of(v->periods[c->period_idx], base, id2, sizeof id2);
            size_t comp = fact(k, id2);
            k->f[comp].comp = true;
            size_t m[2] = {fi, comp};
            kline_add(k, fact(k, id), m, 2);
        }
    }
    /* Breakdown lines: members with their key set, the total without it. */
    for (int p = 0; p < v->nperiods; p++)
        for (int b = 0; b < v->nby; b++) {
            int o = v->nby == 2 ? 1 - b : -1; /* the other key, fixed along the line */
            /* groups of equal other key (NULL included: the margin line) */
            for (size_t g = 0; g < v->ncells; g++) {
                const struct mx_vcell *head = &v->cells[g];
                if (head->period_idx != p || !head->key[b])
                    continue;
                /* only the first cell of each group starts it */
                bool first = true;
                for (size_t h = 0; h < g && first; h++) {
                    const struct mx_vcell *x = &v->cells[h];
                    first = !(x->period_idx == p && x->key[b] &&
                              (o < 0 || key_eq(x->key[o], head->key[o])));
                }
                if (!first)
                    continue;
                size_t nm = 0;
                const char *cons[MX_DIM__COUNT];
                for (size_t h = g; h < v->ncells; h++) {
                    const struct mx_vcell *x = &v->cells[h];
                    if (x->period_idx != p || !x->key[b] ||
                        (o >= 0 && !key_eq(x->key[o], head->key[o])))
                        continue;
                    memcpy(cons, filt, sizeof cons);
                    for (int bb = 0; bb < v->nby; bb++)
                        if (x->key[bb])
                            cons[v->by[bb]] = x->key[bb];
                    ident_of(v->periods[p], cons, id, sizeof id);
                    members[nm++] = fact(k, id);
                }
                memcpy(cons, filt, sizeof cons);
                if (o >= 0 && head->key[o])
                    cons[v->by[o]] = head->key[o];
                ident_of(v->periods[p], cons, id, sizeof id);
                kline_add(k, fact(k, id), members, nm);
            }
        }
    free(members);
}

/* A year is its four quarters, for every identity seen with a year. */
static void know_year_lines(struct know *k)
{
    size_t n = k->n;
    char id[256];
    for (size_t i = 0; i < n; i++) {
        const char *s = k->f[i].id, *bar = strchr(s, '|');
        if (!bar || bar - s != 4)
            continue;
        size_t m[4];
        for (int q = 0; q < 4; q++) {
            snprintf(id, sizeof id, "%.4s-Q%d%s", s, q + 1, bar);
            m[q] = fact(k, id);
        }
        kline_add(k, i, m, 4);
    }
}

/* Single-unknown elimination until nothing follows; counts what should not have followed. */
static size_t know_eliminate(struct know *k)
{
    size_t derived = 0;
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t l = 0; l < k->nlines; l++) {
            const struct kline *x = &k->lines[l];
            size_t unknown = SIZE_MAX, nu = !k->f[x->total].known;
            if (nu)
                unknown = x->total;
            int64_t sum = 0;
            for (size_t m = 0; m < x->n; m++) {
                size_t i = k->pool[x->off + m];
                if (k->f[i].known)
                    sum += k->f[i].val;
                else if (i != unknown) {
                    nu++;
                    unknown = i;
                }
            }
            if (nu != 1)
                continue;
            struct kfact *u = &k->f[unknown];
            u->val = unknown == x->total ? sum : k->f[x->total].val - sum;
            u->known = u->derived = true;
            derived++;
            changed = true;
            if (u->hidden & ~(1u << DC_SECONDARY)) {
                print_error("recovered %s = %" PRId64 " (hidden as small)\n", u->id, u->val);
                k->leaks++;
            }
            if (u->comp && u->val >= 1 && u->val < k->min_count) {
                print_error("left-out rows %s = %" PRId64 "\n", u->id, u->val);
                k->leaks++;
            }
        }
    }
    return derived;
}

static size_t know_hidden(const struct know *k)
{
    size_t n = 0;
    for (size_t i = 0; i < k->n; i++)
        n += k->f[i].hidden != 0;
    return n;
}

/* ---- The same figure, the same decision. --------------------------------------------------- */

static void pool(struct know *k, struct mx_view_req r, const char *where)
{
    struct arena *a = arena_new(0);
    struct mx_view v;
    struct err_ctx e = {0};
    int rc = mx_view_compute(fx.eng, &r, a, &v, &e);
    if (rc)
        fail_msg("%s: %s %s", where, err_name(rc), e.msg);
    know_view(k, &v, &r, where);
    arena_free(a);
}

static void test_same_figure_same_decision(void **state)
{
    (void)state;
    struct know k;
    know_init(&k, internal.min_count);
    const char *jw[] = {"jw"}, *g344[] = {"0344"};
    const enum mx_dim dims[][2] = {{MX_DIM_GEMEENTE, 0},          {MX_DIM_LAW, 0},
                                   {MX_DIM_AANBIEDER, 0},         {MX_DIM_GEMEENTE, MX_DIM_LAW},
                                   {MX_DIM_LAW, MX_DIM_GEMEENTE}, {MX_DIM_AANBIEDER, MX_DIM_LAW}};
    const int nby[] = {1, 1, 1, 2, 2, 2};
    const struct period ranges[][2] = {{{PERIOD_QUARTER, 2024, 1}, {PERIOD_QUARTER, 2024, 2}},
                                       {{PERIOD_QUARTER, 2023, 3}, {PERIOD_QUARTER, 2024, 4}},
                                       {{PERIOD_YEAR, 2023, 1}, {PERIOD_YEAR, 2024, 1}}};
    for (size_t g = 0; g < ARRAY_LEN(ranges); g++) {
        struct mx_view_req r = base_req(IND_STARTS, &internal);
        r.pkind = ranges[g][0].kind;
        r.first = ranges[g][0];
        r.last = ranges[g][1];
        pool(&k, r, "totaal");
        for (size_t i = 0; i < ARRAY_LEN(nby); i++) {
            struct mx_view_req b = r;
            b.by[0] = dims[i][0];
            b.by[1] = dims[i][1];
            b.nby = nby[i];
            pool(&k, b, "uitsplitsing");
        }
        struct mx_view_req f = r;
        f.where[MX_DIM_LAW] = (struct mx_where){jw, 1};
        pool(&k, f, "wet=jw");
        f.by[0] = MX_DIM_GEMEENTE;
        f.nby = 1;
        pool(&k, f, "wet=jw per gemeente");
        f.by[0] = MX_DIM_AANBIEDER;
        pool(&k, f, "wet=jw per aanbieder");
        f.where[MX_DIM_GEMEENTE] = (struct mx_where){g344, 1};
        f.nby = 0;
        pool(&k, f, "wet=jw gemeente=0344");
        f.where[MX_DIM_LAW] = (struct mx_where){NULL, 0};
        f.by[0] = MX_DIM_LAW;
        f.nby = 1;
        pool(&k, f, "gemeente=0344 per wet");
    }
    /* Pooled: no figure both hidden as small and shown, no two different values. */
    assert_int_equal(k.problems, 0);
    assert_int_equal(k.leaks, 0);
    assert_true(know_hidden(&k) > 10);
    /* Nothing follows from the lines (breakdowns, filters, a year and its quarters). */
    know_year_lines(&k);
    know_eliminate(&k);
    assert_int_equal(k.leaks, 0);
    know_free(&k);
}

/* ---- Questions that are refused. ----------------------------------------------------------- */

static void expect_refused(const struct mx_view_req *r, const char *field)
{
    struct mx_view v;
    struct err_ctx e = {0};
    assert_int_equal(mx_view_compute(fx.eng, r, fx.a, &v, &e), ERR_INVALID);
    assert_non_null(e.field);
    assert_string_equal(e.field, field);
    assert_true(strlen(e.msg) > 20);
}

static void test_refusals(void **state)
{
    (void)state;
    const char *jw[] = {"jw"}, *both[] = {"jw", "wmo"}, *cat[] = {"44"}, *g344[] = {"0344"},
               *band[] = {"4-11"};
    /* Two breakdowns and a filter: three characteristics. */
    struct mx_view_req r = base_req(IND_STARTS, &internal);
    r.by[0] = MX_DIM_GEMEENTE;
    r.by[1] = MX_DIM_AANBIEDER;
    r.nby = 2;
    r.where[MX_DIM_LAW] = (struct mx_where){jw, 1};
    expect_refused(&r, "wet");
    /* A breakdown and two filters: the second filter is one too many. */
    r.nby = 1;
    r.where[MX_DIM_CATEGORY] = (struct mx_where){cat, 1};
    expect_refused(&r, "categorie");
    /* Three filters. */
    r = base_req(IND_STARTS, &internal);
    r.where[MX_DIM_GEMEENTE] = (struct mx_where){g344, 1};
    r.where[MX_DIM_LAW] = (struct mx_where){jw, 1};
    r.where[MX_DIM_AGE_BAND] = (struct mx_where){band, 1};
    expect_refused(&r, "leeftijd");
    /* A filter on a breakdown's own dimension counts once. */
    r = base_req(IND_STARTS, &internal);
    r.by[0] = MX_DIM_LAW;
    r.by[1] = MX_DIM_GEMEENTE;
    r.nby = 2;
    r.where[MX_DIM_LAW] = (struct mx_where){jw, 1};
    struct mx_view v;
    compute(&r, &v);
    assert_true(v.ncells > 0);
    /* Several values in one filter: a union of cells, refused. */
    r = base_req(IND_STARTS, &internal);
    r.where[MX_DIM_LAW] = (struct mx_where){both, 2};
    expect_refused(&r, "wet");
    /* ... unless they are the actor's whole scope (then nothing is restricted). */
    const char *region[] = {"0344", "0363", "0599"};
    struct mx_scope sc = {.all_gemeenten = false, .gemeenten = region, .ngemeenten = 3};
    r = base_req(IND_STARTS, &internal);
    r.scope = &sc;
    r.by[0] = MX_DIM_AANBIEDER;
    r.by[1] = MX_DIM_LAW;
    r.nby = 2;
    r.where[MX_DIM_GEMEENTE] = (struct mx_where){region, 3};
    compute(&r, &v);
    r.where[MX_DIM_GEMEENTE] = (struct mx_where){region, 2};
    expect_refused(&r, "gemeente");
}

/* ---- The reader's attack on a generated region. -------------------------------------------- */

#define GEN_AANB 9

static struct {
    char dir[64];
    struct store *s;
    struct mx_engine *eng;
    int64_t aanb[GEN_AANB];
} gen;

static uint64_t gen_rng;
static uint64_t gen_rnd(void)
{
    gen_rng ^= gen_rng >> 12;
    gen_rng ^= gen_rng << 25;
    gen_rng ^= gen_rng >> 27;
    return gen_rng * 2685821657736338717ULL;
}

/* 700 trajectories over 2023-2024 in three gemeenten, nine aanbieders of very different size
 * (several with one category), both laws, many small cells. */
static int attack_setup(void **state)
{
    (void)state;
    memset(&gen, 0, sizeof gen);
    snprintf(gen.dir, sizeof gen.dir, "/tmp/duiding-test-view-gen-XXXXXX");
    assert_non_null(mkdtemp(gen.dir));
    char path[128];
    snprintf(path, sizeof path, "%s/d.db", gen.dir);
    struct err_ctx e = {0};
    assert_int_equal(store_open(path, &gen.s, &e), 0);
    for (int i = 0; i < GEN_AANB; i++) {
        char name[32], agb[24];
        snprintf(name, sizeof name, "Gen %c", 'A' + i);
        snprintf(agb, sizeof agb, "7310000%d", i);
        struct org_input in = {.kind = ORG_AANBIEDER, .name = name, .agb_code = agb};
        assert_int_equal(org_create(gen.s, &admin, &in, &gen.aanb[i], &e), 0);
    }
    struct db *db;
    assert_int_equal(store_write_begin(gen.s, &db), 0);
    exec(db, "INSERT INTO import_batch(id, kind, file_name, file_sha256, file_bytes, via, "
             "status, created_at) VALUES (1, 'registratie', 'x.csv', "
             "'0000000000000000000000000000000000000000000000000000000000000000', 1, 'cli', "
             "'actief', '2024-07-01T00:00:00Z');");
    static const char *const gems[] = {"0344", "0363", "0599"};
    static const char *const jwcat[] = {"41", "44", "45", "54"}, *const wmocat[] = {"01", "02"};
    static const int weight[GEN_AANB] = {30, 25, 15, 10, 8, 5, 3, 2, 2};
    gen_rng = 0x9E3779B97F4A7C15ULL;
    for (int t = 0; t < 700; t++) {
        int w = (int)(gen_rnd() % 100), a = 0;
        while (a < GEN_AANB - 1 && w >= weight[a]) {
            w -= weight[a];
            a++;
        }
        int law = a < 6 ? 1 : a < 8 ? (gen_rnd() % 3 ? 1 : 2) : 2;
        const char *cat =
            law == 1 ? jwcat[a % 3 == 0 ? gen_rnd() % 4 : (size_t)a % 4] : wmocat[gen_rnd() % 2];
        int age = law == 1 ? (int)(gen_rnd() % 23) : 18 + (int)(gen_rnd() % 75);
        day_t start = D(2023, 1, 1) + (day_t)(gen_rnd() % 730);
        bool ended = gen_rnd() % 10 < 6;
        day_t end = ended ? start + 30 + (day_t)(gen_rnd() % 200) : DAY_NONE;
        if (end != DAY_NONE && end > D(2024, 12, 31))
            end = DAY_NONE;
        const char *reason = end == DAY_NONE ? NULL : gen_rnd() % 6 == 0 ? "03" : "01";
        int g = (int)(gen_rnd() % 7);
        g = g < 4 ? 0 : g < 6 ? 1 : 2;
        char sql[900], endv[16] = "NULL", cbsv[8] = "NULL";
        snprintf(sql, sizeof sql,
                 "INSERT INTO person(id, hkey, pseudonym) VALUES (%d, %d, randomblob(32));", t + 1,
                 t + 1);
        exec(db, sql);
        if (end != DAY_NONE)
            snprintf(endv, sizeof endv, "%d", (int)end);
        if (reason)
            snprintf(cbsv, sizeof cbsv, "'%s'", reason);
        snprintf(sql, sizeof sql,
                 "INSERT INTO trajectory(person_id, aanbieder_id, law, gemeente, category, "
                 "hulpvorm, start_date, end_date, end_reason, end_reason_list, release, "
                 "cbs_reason, referrer, age_at_start, age_band, gender, flags, batch_id) VALUES "
                 "(%d, %" PRId64 ", %d, '%s', '%s', '01', %d, %s, NULL, 'CBS', 'v7', %s, '01', "
                 "%d, '%s', '%d', 8, 1);",
                 t + 1, gen.aanb[a], law, gems[g], cat, (int)start, endv, cbsv, age,
                 trajectory_age_band(law == 1 ? LAW_JW : LAW_WMO, age), 1 + (int)(gen_rnd() % 2));
        exec(db, sql);
    }
    assert_int_equal(store_write_end(gen.s, true), 0);
    assert_int_equal(mx_engine_build(store_reader(gen.s), &gen.eng, &e), 0);
    define_standard(gen.eng, fx.a);
    return 0;
}

static int attack_teardown(void **state)
{
    (void)state;
    mx_engine_free(gen.eng);
    store_close(gen.s);
    ts_rm_dir(gen.dir);
    return 0;
}

/* The codes of a one-way answer, smallest (or hidden) first. */
static size_t codes_by_size(const struct mx_view *v, const char **out, size_t cap)
{
    size_t n = 0;
    int64_t size[64];
    for (size_t i = 0; i < v->ncells; i++) {
        const struct mx_vcell *c = &v->cells[i];
        if (!c->key[0])
            continue;
        int64_t s = c->reason == DC_SHOWN ? c->n : -1;
        size_t j = 0;
        while (j < n && strcmp(out[j], c->key[0]) != 0)
            j++;
        if (j == n) {
            if (n == cap)
                continue;
            out[n] = c->key[0];
            size[n++] = s;
        } else if (s < size[j]) {
            size[j] = s;
        }
    }
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && size[j] < size[j - 1]; j--) {
            int64_t t = size[j];
            size[j] = size[j - 1];
            size[j - 1] = t;
            const char *c = out[j];
            out[j] = out[j - 1];
            out[j - 1] = c;
        }
    return n;
}

static void gen_pool(struct know *k, struct arena *a, struct mx_view_req r, struct mx_view *keep,
                     const char *where)
{
    struct mx_view v;
    struct err_ctx e = {0};
    int rc = mx_view_compute(gen.eng, &r, a, &v, &e);
    if (rc)
        fail_msg("%s: %s %s", where, err_name(rc), e.msg);
    know_view(k, &v, &r, where);
    if (keep)
        *keep = v;
}

static void test_attacker(void **state)
{
    (void)state;
    static const enum mx_dim bys[][2] = {
        {0, 0},
        {MX_DIM_GEMEENTE, 0},
        {MX_DIM_AANBIEDER, 0},
        {MX_DIM_CATEGORY, 0},
        {MX_DIM_LAW, 0},
        {MX_DIM_AGE_BAND, 0},
        {MX_DIM_GENDER, 0},
        {MX_DIM_AANBIEDER, MX_DIM_CATEGORY},
        {MX_DIM_CATEGORY, MX_DIM_AANBIEDER},
        {MX_DIM_GEMEENTE, MX_DIM_LAW},
        {MX_DIM_LAW, MX_DIM_AGE_BAND},
        {MX_DIM_AANBIEDER, MX_DIM_GENDER},
    };
    static const int nbys[] = {0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2};
    static const enum mx_dim fdims[] = {MX_DIM_LAW, MX_DIM_CATEGORY, MX_DIM_AANBIEDER,
                                        MX_DIM_AGE_BAND};
    size_t hidden = 0, lines = 0, derived = 0;
    for (int64_t ind = IND_STARTS; ind <= IND_DOORLOOP; ind++) {
        struct know k;
        know_init(&k, internal.min_count);
        struct arena *a = arena_new(0); /* the one-way answers: their codes are used below */
        const char *codes[MX_DIM__COUNT][16];
        size_t ncodes[MX_DIM__COUNT] = {0};
        for (int pk = 0; pk < 2; pk++) {
            struct mx_view_req r = base_req(ind, &internal);
            r.pkind = pk ? PERIOD_QUARTER : PERIOD_YEAR;
            r.first = pk ? Q(2023, 1) : (struct period){PERIOD_YEAR, 2023, 1};
            r.last = pk ? Q(2024, 4) : (struct period){PERIOD_YEAR, 2024, 1};
            for (size_t b = 0; b < ARRAY_LEN(nbys); b++) {
                struct mx_view_req q = r;
                q.by[0] = bys[b][0];
                q.by[1] = bys[b][1];
                q.nby = nbys[b];
                struct mx_view v;
                gen_pool(&k, a, q, &v, "uitsplitsing");
                if (pk == 0 && q.nby == 1)
                    ncodes[q.by[0]] = codes_by_size(&v, codes[q.by[0]], 16);
            }
        }
        /* Filtered: the three smallest groups and the largest of each filter dimension. */
        for (size_t fd = 0; fd < ARRAY_LEN(fdims); fd++) {
            enum mx_dim d = fdims[fd];
            for (size_t c = 0; c < ncodes[d]; c++) {
                if (c >= 3 && c != ncodes[d] - 1)
                    continue;
                const char *code[] = {codes[d][c]};
                for (int pk = 0; pk < 2; pk++)
                    for (int b = 0; b < 3; b++) {
                        struct mx_view_req q = base_req(ind, &internal);
                        q.pkind = pk ? PERIOD_QUARTER : PERIOD_YEAR;
                        q.first = pk ? Q(2023, 1) : (struct period){PERIOD_YEAR, 2023, 1};
                        q.last = pk ? Q(2024, 4) : (struct period){PERIOD_YEAR, 2024, 1};
                        q.where[d] = (struct mx_where){code, 1};
                        if (b > 0) {
                            q.by[0] = b == 1                 ? MX_DIM_GEMEENTE
                                      : d == MX_DIM_CATEGORY ? MX_DIM_AANBIEDER
                                                             : MX_DIM_CATEGORY;
                            q.nby = 1;
                        }
                        struct arena *fa = arena_new(0);
                        gen_pool(&k, fa, q, NULL, "gefilterd");
                        arena_free(fa);
                    }
            }
        }
        assert_int_equal(k.problems, 0);
        know_year_lines(&k);
        derived += know_eliminate(&k);
        hidden += know_hidden(&k);
        lines += k.nlines;
        know_free(&k);
        arena_free(a);
        if (k.leaks)
            fail_msg("indicator %" PRId64 ": %d recoveries", ind, k.leaks);
    }
    print_message("attacker: %zu hidden figures, %zu lines, %zu facts derived, none small\n",
                  hidden, lines, derived);
    assert_true(hidden > 100); /* the data has small cells: the attack had something to try */
    assert_true(lines > 1000);
    assert_true(derived > 0); /* complements and secondary cells do follow: the attack works */
}

/* The blocks of a decision on two threads decide exactly as on one: every cell and phantom of
 * monthly two-way tables over two years (24 blocks of one month for persons, 2 of a year
 * otherwise), with the same counts of phantoms and unresolved lines. */
static size_t saved_two_min_cells;

static int threads_setup(void **state)
{
    saved_two_min_cells = pt_two_min_cells;
    return attack_setup(state);
}

static int threads_teardown(void **state)
{
    pt_two_min_cells = saved_two_min_cells; /* also when an assertion failed */
    mx_engine_set_scan_threads(2);
    pc_clear();
    return attack_teardown(state);
}

static void test_threads_same_decisions(void **state)
{
    (void)state;
    static const enum mx_dim dims[][2] = {{MX_DIM_AANBIEDER, MX_DIM_CATEGORY},
                                          {MX_DIM_GEMEENTE, MX_DIM_AGE_BAND},
                                          {MX_DIM_AANBIEDER, MX_DIM_GENDER}};
    static const struct mx_where everyone[MX_DIM__COUNT];
    size_t compared = 0, hidden = 0, phantoms = 0;
    for (int64_t ind = IND_STARTS; ind <= IND_DOORLOOP; ind++)
        for (size_t b = 0; b < ARRAY_LEN(dims); b++) {
            struct pt_spec ps = {.ind_id = ind,
                                 .scope = everyone,
                                 .rules = &internal,
                                 .dims = {dims[b][0] < dims[b][1] ? dims[b][0] : dims[b][1],
                                          dims[b][0] < dims[b][1] ? dims[b][1] : dims[b][0]},
                                 .ndims = 2,
                                 .kind = PERIOD_MONTH,
                                 .first = {PERIOD_MONTH, 2023, 1},
                                 .last = {PERIOD_MONTH, 2024, 12}};
            struct pt_table t[2];
            struct arena *a = arena_new(0);
            for (int th = 0; th < 2; th++) {
                pc_clear(); /* decide afresh */
                mx_engine_set_scan_threads(th + 1);
                pt_two_min_cells = th ? 0 : saved_two_min_cells;
                struct err_ctx e = {0};
                int rc = pt_decide(gen.eng, &ps, a, &t[th], &e);
                if (rc)
                    fail_msg("indicator %" PRId64 ": %s %s", ind, err_name(rc), e.msg);
            }
            assert_int_equal(t[0].ncells, t[1].ncells);
            assert_int_equal(t[0].phantoms, t[1].phantoms);
            assert_int_equal(t[0].weak_phantoms, t[1].weak_phantoms);
            assert_int_equal(t[0].unresolved, t[1].unresolved);
            for (size_t i = 0; i < t[0].ncells; i++) {
                const struct mx_cell *x = &t[0].cells[i], *y = &t[1].cells[i];
                assert_int_equal(x->period_idx, y->period_idx);
                for (int k = 0; k < MX_MAX_BY; k++)
                    assert_true(x->key[k] == y->key[k] ||
                                (x->key[k] && y->key[k] && strcmp(x->key[k], y->key[k]) == 0));
                if (t[0].reason[i] != t[1].reason[i] || x->n != y->n)
                    fail_msg("indicator %" PRId64 " cell %zu: reason %d/%d, n %" PRId64 "/%" PRId64,
                             ind, i, (int)t[0].reason[i], (int)t[1].reason[i], x->n, y->n);
                hidden += t[0].reason[i] != DC_SHOWN && t[0].reason[i] != DC_NO_DATA;
            }
            compared += t[0].ncells;
            phantoms += t[0].phantoms;
            arena_free(a);
        }
    print_message("threads: %zu cells compared, %zu hidden, %zu phantoms\n", compared, hidden,
                  phantoms);
    assert_true(compared > 1000);
    assert_true(hidden > 100); /* small cells: the decisions had something to differ in */
}

static void test_format(void **state)
{
    (void)state;
    struct ind_def def = {.display = IND_SHOW_COUNT};
    struct mx_view v = {.def = &def};
    struct mx_vcell c = {.reason = DC_SHOWN, .value = 1234};
    char b[64];
    mx_view_format_value(&v, &c, b, sizeof b);
    assert_string_equal(b, "1.234");
    c.value = 1234567;
    mx_view_format_value(&v, &c, b, sizeof b);
    assert_string_equal(b, "1.234.567");
    c.value = 12;
    mx_view_format_value(&v, &c, b, sizeof b);
    assert_string_equal(b, "12");
    def.display = IND_SHOW_PERCENT;
    c.value = 12.5;
    mx_view_format_value(&v, &c, b, sizeof b);
    assert_string_equal(b, "12,5%");
    c.value = 100;
    mx_view_format_value(&v, &c, b, sizeof b);
    assert_string_equal(b, "100,0%");
    def.display = IND_SHOW_GRADE;
    c.value = 7.44;
    mx_view_format_value(&v, &c, b, sizeof b);
    assert_string_equal(b, "7,4");
    def.display = IND_SHOW_DAYS;
    c.value = 38;
    mx_view_format_value(&v, &c, b, sizeof b);
    assert_string_equal(b, "38 dagen");
    c.value = 1;
    mx_view_format_value(&v, &c, b, sizeof b);
    assert_string_equal(b, "1 dag");
    c.value = 1200.5;
    mx_view_format_value(&v, &c, b, sizeof b);
    assert_string_equal(b, "1.200,5 dagen");
    def.display = IND_SHOW_RATE;
    c.value = 12.34;
    mx_view_format_value(&v, &c, b, sizeof b);
    assert_string_equal(b, "12,3 per 1.000");
    c.value = -0.01;
    def.display = IND_SHOW_GRADE;
    mx_view_format_value(&v, &c, b, sizeof b);
    assert_string_equal(b, "0,0");
    /* Hidden or not a number: "." and never 0. */
    c.reason = DC_SMALL_COUNT;
    c.value = 0;
    mx_view_format_value(&v, &c, b, sizeof b);
    assert_string_equal(b, ".");
    c.reason = DC_SHOWN;
    c.value = NAN;
    mx_view_format_value(&v, &c, b, sizeof b);
    assert_string_equal(b, ".");
    mx_view_format_value(&v, NULL, b, sizeof b);
    assert_string_equal(b, ".");
    char tiny[3];
    c.value = 1234;
    def.display = IND_SHOW_COUNT;
    mx_view_format_value(&v, &c, tiny, sizeof tiny);
    assert_string_equal(tiny, "1.");
}

static void test_invalid(void **state)
{
    (void)state;
    struct mx_view_req r = base_req(IND_STARTS, &internal);
    struct mx_view v;
    struct err_ctx e = {0};
    r.first = Q(2024, 3);
    assert_int_equal(mx_view_compute(fx.eng, &r, fx.a, &v, &e), ERR_INVALID);
    r = base_req(IND_STARTS, &internal);
    r.first = Q(2000, 1);
    r.last = Q(2080, 1);
    assert_int_equal(mx_view_compute(fx.eng, &r, fx.a, &v, &e), ERR_INVALID);
    r = base_req(IND_STARTS, &internal);
    r.first = (struct period){PERIOD_MONTH, 2024, 1};
    assert_int_equal(mx_view_compute(fx.eng, &r, fx.a, &v, &e), ERR_INVALID);
    r = base_req(424242, &internal);
    assert_int_equal(mx_view_compute(fx.eng, &r, fx.a, &v, &e), ERR_NOT_FOUND);
    /* 240 periods: allowed, without the trend period (the engine's limit). */
    r = base_req(IND_STARTS, &internal);
    r.pkind = PERIOD_MONTH;
    r.first = (struct period){PERIOD_MONTH, 2005, 1};
    r.last = (struct period){PERIOD_MONTH, 2024, 12};
    compute(&r, &v);
    assert_int_equal(v.nperiods, 240);
}

/* ---- The web layer's door (web/figures.c). ------------------------------------------------ */

struct fake {
    struct app app;
    struct config cfg;
    struct http_req req;
    struct http_kv q[64];
};

static void fake_init(struct fake *f, const struct actor *who)
{
    memset(f, 0, sizeof *f);
    config_defaults(&f->cfg, fx.dir);
    f->app.cfg = &f->cfg;
    f->app.store = fx.s;
    f->app.engine = fx.eng;
    f->req.arena = fx.a;
    f->req.app = &f->app;
    f->req.rid = "test";
    f->req.query = f->q;
    if (who)
        f->req.actor = *who;
}

static void fake_query(struct fake *f, const char *k, const char *v)
{
    assert_true(f->req.nquery < 64);
    f->q[f->req.nquery++] = (struct http_kv){k, v, strlen(v)};
}

static int parse(struct fake *f, struct figures_opts *o, struct err_ctx *e)
{
    memset(o, 0, sizeof *o);
    err_clear(e);
    return figures_parse_query(&f->req, o, e);
}

static void expect_bad(const char *k, const char *v, const char *field)
{
    struct fake f;
    fake_init(&f, NULL);
    fake_query(&f, k, v);
    struct figures_opts o;
    struct err_ctx e = {0};
    assert_int_equal(parse(&f, &o, &e), ERR_INVALID);
    assert_non_null(e.field);
    assert_string_equal(e.field, field);
    assert_true(strlen(e.msg) > 10);
    config_release(&f.cfg);
}

static void test_figures_parse_query(void **state)
{
    (void)state;
    struct fake f;
    struct figures_opts o;
    struct err_ctx e = {0};
    fake_init(&f, NULL);
    /* Defaults: eight quarters up to the data date (2024-06: the newest start). */
    assert_int_equal(parse(&f, &o, &e), 0);
    assert_int_equal(o.pkind, PERIOD_QUARTER);
    assert_true(o.last.year == 2024 && o.last.index == 2);
    assert_true(o.first.year == 2022 && o.first.index == 3);
    assert_int_equal(o.nby, 0);
    assert_int_equal(o.audience, -1);
    assert_int_equal(o.bench_dim, -1);
    config_release(&f.cfg);

    fake_init(&f, NULL);
    fake_query(&f, "periode", "maand");
    fake_query(&f, "van", "2024-01");
    fake_query(&f, "tot", "2024-03");
    fake_query(&f, "per", "gemeente");
    fake_query(&f, "per2", "wet");
    fake_query(&f, "gemeente", "GM0344, 0363,,");
    fake_query(&f, "aanbieder", "12,7");
    fake_query(&f, "wet", "jw");
    fake_query(&f, "leeftijd", "4-11,onbekend");
    fake_query(&f, "geslacht", "onbekend");
    fake_query(&f, "publiek", "publiek");
    assert_int_equal(parse(&f, &o, &e), 0);
    assert_int_equal(o.pkind, PERIOD_MONTH);
    assert_true(o.first.index == 1 && o.last.index == 3 && o.last.year == 2024);
    assert_int_equal(o.nby, 2);
    assert_int_equal(o.by[0], MX_DIM_GEMEENTE);
    assert_int_equal(o.by[1], MX_DIM_LAW);
    assert_int_equal(o.where[MX_DIM_GEMEENTE].n, 2);
    assert_string_equal(o.where[MX_DIM_GEMEENTE].codes[0], "0344");
    assert_string_equal(o.where[MX_DIM_GEMEENTE].codes[1], "0363");
    assert_int_equal(o.where[MX_DIM_AANBIEDER].n, 2);
    assert_string_equal(o.where[MX_DIM_LAW].codes[0], "jw");
    assert_string_equal(o.where[MX_DIM_AGE_BAND].codes[1], "onbekend");
    assert_string_equal(o.where[MX_DIM_GENDER].codes[0], ""); /* the unknown value */
    assert_int_equal(o.audience, DC_PUBLISHED);
    config_release(&f.cfg);

    /* Only 'van': up to the data date. */
    fake_init(&f, NULL);
    fake_query(&f, "periode", "jaar");
    fake_query(&f, "van", "2020");
    assert_int_equal(parse(&f, &o, &e), 0);
    assert_true(o.first.year == 2020 && o.last.year == 2024 && o.pkind == PERIOD_YEAR);
    config_release(&f.cfg);

    expect_bad("periode", "week", "periode");
    expect_bad("van", "2024-07", "van"); /* a month while the periods are quarters */
    expect_bad("van", "2024-13", "van");
    expect_bad("tot", "gisteren", "tot");
    expect_bad("per", "postcode", "per");
    expect_bad("per2", "wet", "per2"); /* without per */
    expect_bad("gemeente", "Utrecht", "gemeente");
    expect_bad("gemeente", "0344;DROP", "gemeente");
    expect_bad("aanbieder", "0", "aanbieder");
    expect_bad("aanbieder", "-3", "aanbieder");
    expect_bad("wet", "wlz", "wet");
    expect_bad("hulpvorm", "0123456789012345678901234567890123", "hulpvorm");
    expect_bad("publiek", "iedereen", "publiek");
    struct buf many;
    buf_init(&many, 512);
    for (int i = 0; i < 51; i++)
        buf_appendf(&many, "%s%02d", i ? "," : "", i);
    expect_bad("categorie", buf_cstr(&many), "categorie");
    buf_release(&many);

    fake_init(&f, NULL);
    fake_query(&f, "per", "wet");
    fake_query(&f, "per2", "wet");
    assert_int_equal(parse(&f, &o, &e), ERR_INVALID);
    assert_string_equal(e.field, "per2");
    config_release(&f.cfg);
    fake_init(&f, NULL);
    fake_query(&f, "van", "2024-Q2");
    fake_query(&f, "tot", "2024-Q1");
    assert_int_equal(parse(&f, &o, &e), ERR_INVALID);
    config_release(&f.cfg);
    fake_init(&f, NULL);
    fake_query(&f, "periode", "maand");
    fake_query(&f, "van", "2000-01");
    fake_query(&f, "tot", "2024-12");
    assert_int_equal(parse(&f, &o, &e), ERR_INVALID);
    assert_string_equal(e.field, "tot");
    config_release(&f.cfg);
    fake_init(&f, NULL);
    fake_query(&f, "periode", "maand");
    fake_query(&f, "van", "2005-01");
    fake_query(&f, "tot", "2024-12");
    assert_int_equal(parse(&f, &o, &e), 0); /* exactly 240 */
    config_release(&f.cfg);
}

static void test_figures_actor(void **state)
{
    (void)state;
    const struct actor gem = {.user_id = 5,
                              .org_id = fx.gem[0],
                              .org_kind = ORG_GEMEENTE,
                              .roles = ROLE_BELEID,
                              .region_ids = {fx.region},
                              .nregions = 1};
    const struct actor reg = {.user_id = 6,
                              .org_id = fx.region,
                              .org_kind = ORG_REGION,
                              .roles = ROLE_BELEID,
                              .region_ids = {fx.region},
                              .nregions = 1};
    const struct actor prov = {
        .user_id = 7, .org_id = fx.aanb[1], .org_kind = ORG_AANBIEDER, .roles = ROLE_KWALITEIT};
    const struct actor raad = {.user_id = 8,
                               .org_id = fx.gem[0],
                               .org_kind = ORG_GEMEENTE,
                               .roles = ROLE_RAAD,
                               .region_ids = {fx.region},
                               .nregions = 1};
    struct fake f;
    struct mx_scope sc;

    fake_init(&f, &gem);
    assert_int_equal(figures_audience(&f.req), DC_INTERNAL);
    assert_int_equal(figures_scope(&f.req, &sc), 0);
    assert_false(sc.all_gemeenten);
    assert_int_equal(sc.ngemeenten, 1);
    assert_string_equal(sc.gemeenten[0], "0344");
    config_release(&f.cfg);

    fake_init(&f, &reg);
    assert_int_equal(figures_scope(&f.req, &sc), 0);
    assert_int_equal(sc.ngemeenten, 3);
    bool has[3] = {false};
    for (size_t i = 0; i < sc.ngemeenten; i++)
        for (int g = 0; g < 3; g++)
            has[g] |= strcmp(sc.gemeenten[i], GEM[g]) == 0;
    assert_true(has[0] && has[1] && has[2]);
    config_release(&f.cfg);

    fake_init(&f, &prov);
    assert_int_equal(figures_audience(&f.req), DC_PROVIDER);
    assert_int_equal(figures_scope(&f.req, &sc), 0);
    assert_true(sc.all_gemeenten);
    assert_int_equal(sc.aanbieder_id, fx.aanb[1]);
    config_release(&f.cfg);

    fake_init(&f, &raad);
    assert_int_equal(figures_audience(&f.req), DC_PUBLISHED);
    config_release(&f.cfg);

    fake_init(&f, NULL);
    assert_int_equal(figures_audience(&f.req), DC_PUBLISHED);
    assert_int_equal(figures_scope(&f.req, &sc), ERR_DENIED);
    struct figures_opts o = {.ind_id = IND_STARTS,
                             .pkind = PERIOD_QUARTER,
                             .first = Q(2024, 1),
                             .last = Q(2024, 2),
                             .audience = -1,
                             .bench_dim = -1};
    struct mx_view v;
    struct err_ctx e = {0};
    assert_int_equal(figures_view(&f.req, &o, &v, &e), ERR_DENIED);
    config_release(&f.cfg);

    /* Labels. */
    fake_init(&f, &gem);
    assert_string_equal(figures_label(&f.req, MX_DIM_GEMEENTE, "0344"), "Utrecht");
    char id[24];
    snprintf(id, sizeof id, "%" PRId64, fx.aanb[0]);
    assert_string_equal(figures_label(&f.req, MX_DIM_AANBIEDER, id), "Aanbieder A");
    assert_string_equal(figures_label(&f.req, MX_DIM_AANBIEDER, id), "Aanbieder A"); /* cached */
    assert_string_equal(figures_label(&f.req, MX_DIM_LAW, "jw"), "Jeugdwet");
    assert_string_equal(figures_label(&f.req, MX_DIM_GENDER, "2"), "Vrouw");
    assert_string_equal(figures_label(&f.req, MX_DIM_AREA, ""), "onbekend");
    assert_string_equal(figures_label(&f.req, MX_DIM_AREA, NULL), "Totaal");
    assert_true(strstr(figures_label(&f.req, MX_DIM_HULPVORM, "01"), "wijk") != NULL);
    assert_string_equal(figures_label(&f.req, MX_DIM_REFERRER, "02"), "Huisarts");
    assert_true(strstr(figures_label(&f.req, MX_DIM_CATEGORY, "02"), "Begeleiding") != NULL);
    assert_string_equal(figures_label(&f.req, MX_DIM_AGE_BAND, "4-11"), "4-11 jaar");
    assert_string_equal(figures_label(&f.req, MX_DIM_GEMEENTE, "9999"), "9999");
    config_release(&f.cfg);
}

static void test_figures_view(void **state)
{
    (void)state;
    /* An indicator row and targets in the store: the region's own target holds for all its
     * gemeenten, the gemeente's target only for its own cells. */
    struct db *db;
    int64_t ind = 0, tid;
    assert_int_equal(store_write_begin(fx.s, &db), 0);
    assert_int_equal(
        indicator_store_insert(db, 0, true, "nieuwe_starts", "{}", "2024-07-01T00:00:00Z", 0, &ind),
        0);
    struct indicator_target_row t1 = {.indicator_id = ind,
                                      .owner_org_id = fx.region,
                                      .valid_from = D(2023, 1, 1),
                                      .valid_to = DAY_NONE,
                                      .value = 30};
    struct indicator_target_row t2 = {.indicator_id = ind,
                                      .owner_org_id = fx.gem[0],
                                      .valid_from = D(2023, 1, 1),
                                      .valid_to = DAY_NONE,
                                      .value = 20};
    assert_int_equal(indicator_store_target_insert(db, &t1, &tid), 0);
    assert_int_equal(indicator_store_target_insert(db, &t2, &tid), 0);
    assert_int_equal(store_write_end(fx.s, true), 0);
    /* The engine knows the indicator under the store's id. */
    struct ind_problems pr = {0};
    int version = 0;
    const struct ind_def *def = mx_engine_definition(fx.eng, IND_STARTS, &version, fx.a);
    assert_non_null(def);
    assert_int_equal(mx_engine_define(fx.eng, ind, 1, def, &pr), 0);

    const struct actor reg = {.user_id = 6,
                              .org_id = fx.region,
                              .org_kind = ORG_REGION,
                              .roles = ROLE_BELEID,
                              .region_ids = {fx.region},
                              .nregions = 1};
    struct fake f;
    fake_init(&f, &reg);
    struct figures_opts o = {.ind_id = ind,
                             .pkind = PERIOD_QUARTER,
                             .first = Q(2024, 1),
                             .last = Q(2024, 2),
                             .by = {MX_DIM_GEMEENTE},
                             .nby = 1,
                             .audience = -1,
                             .bench_dim = -1};
    struct mx_view v;
    struct err_ctx e = {0};
    assert_int_equal(figures_view(&f.req, &o, &v, &e), 0);
    assert_int_equal(v.audience, DC_INTERNAL);
    assert_null(mx_view_cell(&v, 0, "0014", NULL)); /* outside the region */
    assert_int_equal(cell(&v, 0, NULL, NULL)->n, 42);
    assert_true(cell(&v, 1, "0344", NULL)->target == 20.0);
    assert_true(cell(&v, 1, "0363", NULL)->target == 30.0);
    assert_true(cell(&v, 1, NULL, NULL)->target == 30.0);
    /* The natural benchmark for a region: the other gemeenten (too few here). */
    assert_int_equal(v.bench_dim, MX_DIM_GEMEENTE);
    const char *json = mx_view_to_json(&v, figures_label, &f.req, fx.a);
    assert_non_null(strstr(json, "\"Utrecht\""));

    /* A stricter audience on request; a looser one is ignored. */
    o.audience = DC_PUBLISHED;
    assert_int_equal(figures_view(&f.req, &o, &v, &e), 0);
    assert_int_equal(v.audience, DC_PUBLISHED);
    assert_int_equal(v.rules.round_to, 5);
    assert_int_equal(cell(&v, 0, NULL, NULL)->n, 40);
    config_release(&f.cfg);

    const struct actor prov = {
        .user_id = 7, .org_id = fx.aanb[0], .org_kind = ORG_AANBIEDER, .roles = ROLE_KWALITEIT};
    fake_init(&f, &prov);
    o.audience = DC_INTERNAL;
    o.nby = 0;
    assert_int_equal(figures_view(&f.req, &o, &v, &e), 0);
    assert_int_equal(v.audience, DC_PROVIDER);
    assert_int_equal(v.rules.round_to, 5);
    assert_int_equal(v.bench_dim, MX_DIM_AANBIEDER);
    assert_int_equal(cell(&v, 0, NULL, NULL)->bench_entities, 5);
    config_release(&f.cfg);
    mx_engine_undefine(fx.eng, ind);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_counts_by_gemeente),
        cmocka_unit_test(test_scope),
        cmocka_unit_test(test_decision_cache),
        cmocka_unit_test(test_filter_is_a_slice),
        cmocka_unit_test(test_two_filters),
        cmocka_unit_test(test_same_figure_same_decision),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test_setup_teardown(test_attacker, attack_setup, attack_teardown),
        cmocka_unit_test_setup_teardown(test_threads_same_decisions, threads_setup,
                                        threads_teardown),
        cmocka_unit_test(test_targets),
        cmocka_unit_test(test_benchmark),
        cmocka_unit_test(test_percentage_and_json),
        cmocka_unit_test(test_two_way_attack),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_figures_parse_query),
        cmocka_unit_test(test_figures_actor),
        cmocka_unit_test(test_figures_view),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
