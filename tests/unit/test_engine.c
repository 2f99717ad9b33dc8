/*
 * test_engine.c: the in-memory indicator engine (metrics/engine*.c, store/metrics_store.c).
 *
 * 1. Hand-made rows with figures worked out by hand: period anchors (an active trajectory in
 *    several quarters), distinct persons in cells and margins, two-way margins, median of an
 *    even count, the mean of satisfaction (jeugdige before ouder), follow-up with the data
 *    date (a test person's later date must not count), per 1,000 inhabitants with band shares,
 *    the latest earlier population year, half-up rounding and men/women columns, survey
 *    answers, filters, previews, errors, and an incremental sync through hand-written journal
 *    rows against a fresh build.
 * 2. The real intake: generated iJw/iWmo traffic and registration exports imported through
 *    import_run in many batches, CBS population figures, undo and re-import; after every step
 *    the synced engine must give exactly the same figures for every standard definition as
 *    an engine freshly built from the store.
 */
#include "metrics/engine.h"
#include "core/common.h"
#include "core/log.h"
#include "domain/auth.h"
#include "domain/cbs.h"
#include "domain/codelist.h"
#include "domain/demo.h"
#include "domain/trajectory.h"
#include "ingest/batch.h"
#include "ingest/pipeline.h"
#include "ingest/profile.h"
#include "ingest/synth.h"
#include "metrics/engine_internal.h"
#include "metrics/stats.h"
#include "core/rng.h"
#include "store/db.h"
#include "store/store.h"
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#define CBS_POP                                                                                    \
    TEST_SHARED_DIR "/external/cbs/certegis-2021/DERIVED_inwoners_per_gemeente_leeftijd_2021.csv"

struct fixture {
    char dir[64];
    char path[128];
    struct store *s;
    struct arena *a;
};

static struct fixture fx;
static struct msg_schemas *schemas;

static const struct actor admin = {
    .user_id = -1, .org_kind = ORG_REGION, .roles = ROLE_ALL, .display_name = "test"};

static void rm_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        unlink(dir);
        return;
    }
    struct dirent *de;
    while ((de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char p[512];
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            rm_tree(p);
        else
            unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

static int setup(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    memset(&fx, 0, sizeof fx);
    snprintf(fx.dir, sizeof fx.dir, "/tmp/duiding-test-engine-XXXXXX");
    assert_non_null(mkdtemp(fx.dir));
    snprintf(fx.path, sizeof fx.path, "%s/engine.db", fx.dir);
    if (store_open(fx.path, &fx.s, &e))
        fail_msg("store_open: %s", e.msg);
    fx.a = arena_new(0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_close(fx.s);
    arena_free(fx.a);
    rm_tree(fx.dir);
    return 0;
}

static int group_setup(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    assert_int_equal(auth_init(), 0);
    assert_int_equal(cbs_load(), 0);
    assert_int_equal(codelist_load(), 0);
    log_set_level("warn");
    if (msg_schemas_load(&schemas, &e) != 0)
        fail_msg("schemas: %s", e.msg);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    msg_schemas_free(schemas);
    return 0;
}

/* ---- Writing rows by hand. ------------------------------------------------------------------- */

static day_t ymd(int y, int m, int d)
{
    day_t v = day_from_ymd(y, m, d);
    assert_int_not_equal(v, DAY_NONE);
    return v;
}

static void exec(const char *sql)
{
    struct db *db = NULL;
    assert_int_equal(store_write_begin(fx.s, &db), 0);
    int rc = db_exec(db, sql);
    if (rc)
        fail_msg("exec failed (%s): %s", err_name(rc), sql);
    assert_int_equal(store_write_end(fx.s, true), 0);
}

static void execf(const char *fmt, ...) ATTR_PRINTF(1, 2);
static void execf(const char *fmt, ...)
{
    char sql[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    assert_true(n > 0 && (size_t)n < sizeof sql);
    exec(sql);
}

/* A trajectory row; "NULL"-able values as text. */
struct trow {
    int64_t id, person, aanb;
    int law;
    const char *gem;
    day_t start, end;
    const char *cbs, *gender;
    int age;
    unsigned flags;
    day_t assigned;
};

static const char *opt_day(day_t d, char *buf)
{
    if (d == DAY_NONE)
        return "NULL";
    snprintf(buf, 16, "%d", d);
    return buf;
}

static const char *opt_str(const char *s, char *buf)
{
    if (!s)
        return "NULL";
    snprintf(buf, 32, "'%s'", s);
    return buf;
}

static void add_traj(const struct trow *t)
{
    char b1[16], b2[16], b3[32], b4[32], b5[32];
    execf("INSERT INTO trajectory (id, person_id, aanbieder_id, law, gemeente, start_date, "
          "end_date, cbs_reason, end_reason_list, gender, age_at_start, age_band, flags, batch_id, "
          "date_assigned, postcode4) VALUES (%" PRId64 ", %" PRId64 ", %" PRId64
          ", %d, '%s', %d, %s, %s, 'CBS', %s, %d, %s, %u, 1, %s, '1011')",
          t->id, t->person, t->aanb, t->law, t->gem, t->start, opt_day(t->end, b1),
          opt_str(t->end == DAY_NONE ? NULL : t->cbs, b3), opt_str(t->gender, b4), t->age,
          opt_str(trajectory_age_band(t->law == 1 ? LAW_JW : LAW_WMO, t->age), b5), t->flags,
          opt_day(t->assigned, b2));
}

static void add_meas(int64_t traj, const char *informant, int sat, const char *zh, int goal)
{
    char b1[32], b2[16];
    snprintf(b2, sizeof b2, "%d", goal);
    execf("INSERT INTO measurement (trajectory_id, informant, satisfaction, zonder_hulp, "
          "goal_realisation) VALUES (%" PRId64 ", '%s', %s, %s, %s)",
          traj, informant, sat ? (snprintf(b1, sizeof b1, "%d", sat), b1) : "NULL",
          zh ? zh : "NULL", goal >= 0 ? b2 : "NULL");
}

static void add_pop(const char *gem, int year, const char *band, int64_t inh, int64_t men,
                    int64_t women, int64_t batch)
{
    char m[24], w[24];
    snprintf(m, sizeof m, "%" PRId64, men);
    snprintf(w, sizeof w, "%" PRId64, women);
    execf("INSERT INTO population (gemeente, year, age_band, inhabitants, men, women, batch_id) "
          "VALUES ('%s', %d, '%s', %" PRId64 ", %s, %s, %" PRId64 ")",
          gem, year, band, inh, men >= 0 ? m : "NULL", women >= 0 ? w : "NULL", batch);
}

static void add_batch(int64_t id, const char *kind, const char *status)
{
    execf("INSERT INTO import_batch (id, kind, file_name, file_sha256, file_bytes, via, status, "
          "created_at) VALUES (%" PRId64 ", '%s', 'f%" PRId64 "', printf('%%064d', %" PRId64
          "), 0, 'cli', '%s', '2024-01-01T00:00:00Z')",
          id, kind, id, id, status);
}

static void add_person(int64_t id)
{
    execf("INSERT INTO person (id, hkey, pseudonym) VALUES (%" PRId64 ", %" PRId64
          ", zeroblob(32))",
          id, id);
}

/* ---- Definitions and queries. ---------------------------------------------------------------- */

static struct ind_def mkdef(const char *code, enum ind_unit u, enum ind_anchor an, enum ind_agg ag,
                            const char *pop, const char *ev, const char *val)
{
    struct ind_def d = {.version = 1,
                        .code = code,
                        .name = code,
                        .unit = u,
                        .anchor = an,
                        .agg = ag,
                        .population = pop,
                        .event = ev,
                        .value = val,
                        .age_from = -1,
                        .age_to = -1,
                        .follow_up_months = -1,
                        .gap_days = -1,
                        .polarity = IND_NEUTRAL,
                        .quadrant = IND_HOW_WELL,
                        .display = IND_SHOW_COUNT,
                        .min_n = 10};
    return d;
}

static void define(struct mx_engine *eng, int64_t id, const struct ind_def *d)
{
    struct ind_problems pr = {0};
    int rc = mx_engine_define(eng, id, 1, d, &pr);
    if (rc)
        fail_msg("define %s: %s %s %s", d->code, err_name(rc), pr.n ? pr.p[0].key : "",
                 pr.n ? pr.p[0].message : "");
}

static struct period per(const char *code)
{
    struct period p;
    assert_int_equal(period_parse(str_from(code), &p), 0);
    return p;
}

struct qopt {
    const char *first, *last;
    int nby;
    enum mx_dim by0, by1;
    bool margins;
    enum mx_dim wdim;
    const char *const *wcodes;
    size_t nw;
    const struct ind_def *preview;
};

static struct arena *query_arena;     /* NULL: fx.a */
static bool query_first_margins_only; /* mx_query.first_margins_only for query() */

static int query(struct mx_engine *eng, int64_t id, const struct qopt *o, struct mx_result *res,
                 struct err_ctx *e)
{
    struct mx_query q;
    memset(&q, 0, sizeof q);
    q.ind_id = id;
    q.first = per(o->first);
    q.last = per(o->last);
    q.pkind = q.first.kind;
    q.nby = o->nby;
    q.by[0] = o->by0;
    q.by[1] = o->by1;
    q.margins = o->margins;
    q.first_margins_only = query_first_margins_only;
    q.preview = o->preview;
    if (o->nw) {
        q.where[o->wdim].codes = o->wcodes;
        q.where[o->wdim].n = o->nw;
    }
    memset(e, 0, sizeof *e);
    return mx_query(eng, &q, query_arena ? query_arena : fx.a, res, e);
}

static struct mx_result query_ok(struct mx_engine *eng, int64_t id, const struct qopt *o)
{
    struct mx_result r;
    struct err_ctx e;
    int rc = query(eng, id, o, &r, &e);
    if (rc)
        fail_msg("query %" PRId64 ": %s %s", id, err_name(rc), e.msg);
    return r;
}

static bool key_eq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static const struct mx_cell *cell(const struct mx_result *r, int p, const char *k0, const char *k1)
{
    for (size_t i = 0; i < r->ncells; i++) {
        const struct mx_cell *c = &r->cells[i];
        if (c->period_idx == p && (r->nby < 1 || key_eq(c->key[0], k0)) &&
            (r->nby < 2 || key_eq(c->key[1], k1)))
            return c;
    }
    return NULL;
}

static void expect(const struct mx_result *r, int p, const char *k0, const char *k1, int64_t num,
                   int64_t den)
{
    const struct mx_cell *c = cell(r, p, k0, k1);
    if (!c)
        fail_msg("no cell for period %d, %s, %s", p, k0 ? k0 : "*", k1 ? k1 : "*");
    if (c->num != num || c->den != den)
        fail_msg("cell %d %s %s: %" PRId64 "/%" PRId64 ", want %" PRId64 "/%" PRId64, p,
                 k0 ? k0 : "*", k1 ? k1 : "*", c->num, c->den, num, den);
}

/* ---- 1. Hand-made rows. ---------------------------------------------------------------------- */

enum { D_UITVAL = 1, D_CLIENTS, D_TRAJ, D_MEDIAN, D_MEAN, D_RATE, D_RATE_OLD, D_FOLLOW, D_RESP };

static void hand_data(void)
{
    exec("INSERT INTO organisation (id, kind, name, created_at, updated_at) VALUES "
         "(11, 'aanbieder', 'A1', 'x', 'x'), (12, 'aanbieder', 'A2', 'x', 'x')");
    add_batch(1, "registratie", "actief");
    add_batch(2, "bevolking", "actief");
    add_batch(3, "bevolking", "ongedaan");
    for (int p = 1; p <= 5; p++)
        add_person(p);
    const day_t N = DAY_NONE;
    /* P1 man: T1 jw 0363 Jan 10 - Feb 20 uitval, T8 jw Feb 1 - Feb 10, T2 jw open from May 1 */
    add_traj(&(struct trow){1, 1, 11, 1, "0363", ymd(2024, 1, 10), ymd(2024, 2, 20), "03", "1", 8,
                            0, ymd(2024, 1, 1)});
    add_traj(
        &(struct trow){8, 1, 12, 1, "0363", ymd(2024, 2, 1), ymd(2024, 2, 10), "01", "1", 8, 0, N});
    add_traj(&(struct trow){2, 1, 12, 1, "0363", ymd(2024, 5, 1), N, NULL, "1", 8, 0, N});
    /* P2 vrouw: T3 jw 0384 Nov 1 2023 - Mar 31 volgens plan, T4 wmo 0384 Apr 15 - Sep 30 */
    add_traj(&(struct trow){3, 2, 11, 1, "0384", ymd(2023, 11, 1), ymd(2024, 3, 31), "01", "2", 15,
                            0, N});
    add_traj(&(struct trow){4, 2, 11, 2, "0384", ymd(2024, 4, 15), ymd(2024, 9, 30), NULL, "2", 19,
                            0, N});
    /* P3 man: T5 jw 0363 Mar 1 - Mar 31 uitval, T9 wmo 0384 open from Mar 15 */
    add_traj(
        &(struct trow){5, 3, 12, 1, "0363", ymd(2024, 3, 1), ymd(2024, 3, 31), "03", "1", 3, 0, N});
    add_traj(&(struct trow){9, 3, 11, 2, "0384", ymd(2024, 3, 15), N, NULL, "1", 70, 0, N});
    /* P4: a test person, ending after everything else (must not move the data date) */
    add_traj(&(struct trow){6, 4, 11, 1, "0363", ymd(2024, 1, 1), ymd(2025, 6, 30), "03", "1", 5,
                            16, N});
    /* P5 vrouw: T7 jw 0363 Jul 1 - Dec 31 eenzijdig aanbieder */
    add_traj(&(struct trow){7, 5, 11, 1, "0363", ymd(2024, 7, 1), ymd(2024, 12, 31), "02", "2", 10,
                            0, N});
    /* satisfaction: jeugdige first, then ouder, then without informant */
    add_meas(1, "01", 8, "'03'", 50);
    add_meas(3, "02", 6, NULL, -1);
    add_meas(5, "01", 7, NULL, 80);
    add_meas(5, "02", 2, NULL, 90);
    add_meas(7, "", 5, NULL, -1);
    add_meas(6, "01", 1, NULL, -1); /* test person: never counted */
    /* population: 0363 only 2023 (used for 2024); 0384 2024 and 2025; 0999 without rows */
    const char *bands[] = {"0-4", "5-9", "10-14", "15-19"};
    int64_t inh[] = {1000, 1000, 1000, 1001};
    for (int i = 0; i < 4; i++)
        add_pop("0363", 2023, bands[i], inh[i], 500, 500, 2);
    add_pop("0363", 2023, "90-94", 1, 1, 0, 2);
    add_pop("0363", 2023, "95+", 3, 1, 2, 2);
    add_pop("0384", 2024, "0-4", 2, -1, -1, 2);
    add_pop("0384", 2024, "15-19", 5, -1, -1, 2);
    add_pop("0384", 2025, "0-4", 99999, -1, -1, 2);
    add_pop("0999", 2024, "0-4", 10, 4, 6, 2);
    add_pop("0999", 2024, "5-9", 77777, 0, 0, 3); /* an undone batch: ignored */
    /* survey responses (anonymous) */
    exec("INSERT INTO survey_response (id, gemeente, response_date) VALUES "
         "(1, '0363', 19890), (2, '0363', 19891), (3, '0363', 19892), (4, '0363', 19893), "
         "(5, '0363', 19894)");
    exec("INSERT INTO survey_answer (response_id, item, value) VALUES (1, 'q1', 5), (2, 'q1', 4), "
         "(3, 'q1', 2), (4, 'q1', 0), (5, 'q2', 5)");
}

static void hand_defs(struct mx_engine *eng)
{
    struct ind_def d;
    d = mkdef("uitval", IND_UNIT_TRAJECTORY, IND_ANCHOR_END, IND_AGG_PROPORTION, "wet = \"jw\"",
              "reden_cbs = \"03\"", NULL);
    define(eng, D_UITVAL, &d);
    d = mkdef("clienten", IND_UNIT_PERSON, IND_ANCHOR_ACTIVE, IND_AGG_COUNT, "waar", NULL, NULL);
    define(eng, D_CLIENTS, &d);
    d = mkdef("trajecten", IND_UNIT_TRAJECTORY, IND_ANCHOR_ACTIVE, IND_AGG_COUNT, "waar", NULL,
              NULL);
    define(eng, D_TRAJ, &d);
    d = mkdef("doorloop", IND_UNIT_TRAJECTORY, IND_ANCHOR_END, IND_AGG_MEDIAN, "niet open", NULL,
              "doorlooptijd");
    define(eng, D_MEDIAN, &d);
    d = mkdef("tevreden", IND_UNIT_TRAJECTORY, IND_ANCHOR_END, IND_AGG_MEAN, "bekend(tevredenheid)",
              NULL, "tevredenheid");
    define(eng, D_MEAN, &d);
    d = mkdef("bereik", IND_UNIT_PERSON, IND_ANCHOR_ACTIVE, IND_AGG_RATE, "wet = \"jw\"", NULL,
              NULL);
    d.age_from = 0;
    d.age_to = 17;
    define(eng, D_RATE, &d);
    d = mkdef("bereik_oud", IND_UNIT_PERSON, IND_ANCHOR_ACTIVE, IND_AGG_RATE, "waar", NULL, NULL);
    d.age_from = 90;
    d.age_to = 99;
    define(eng, D_RATE_OLD, &d);
    d = mkdef("geen_nieuwe", IND_UNIT_TRAJECTORY, IND_ANCHOR_END, IND_AGG_PROPORTION,
              "wet = \"jw\" en volgtermijn_verstreken", "niet nieuwe_start", NULL);
    d.follow_up_months = 6;
    d.gap_days = 1;
    define(eng, D_FOLLOW, &d);
    d = mkdef("eens", IND_UNIT_RESPONSE, IND_ANCHOR_RESPONSE, IND_AGG_PROPORTION,
              "antwoord(\"q1\") tussen 1 en 5", "antwoord(\"q1\") >= 4", NULL);
    define(eng, D_RESP, &d);
}

static struct mx_engine *build(void)
{
    struct mx_engine *eng = NULL;
    struct err_ctx e = {0};
    int rc = mx_engine_build(store_reader(fx.s), &eng, &e);
    if (rc)
        fail_msg("build: %s", e.msg);
    return eng;
}

static void check_hand_figures(struct mx_engine *eng)
{
    struct mx_result r;
    /* uitval by gemeente, quarters, with margins */
    r = query_ok(
        eng, D_UITVAL,
        &(struct qopt){"2024-Q1", "2024-Q4", 1, MX_DIM_GEMEENTE, 0, true, 0, NULL, 0, NULL});
    assert_int_equal(r.nperiods, 4);
    expect(&r, 0, "0363", NULL, 2, 3); /* T1, T5 uitval; T8 volgens plan (test person out) */
    expect(&r, 0, "0384", NULL, 0, 1);
    expect(&r, 0, NULL, NULL, 2, 4);
    expect(&r, 3, "0363", NULL, 0, 1);
    assert_null(cell(&r, 1, NULL, NULL)); /* no jw trajectory ended in Q2 */
    assert_null(cell(&r, 2, NULL, NULL));
    const struct mx_cell *c = cell(&r, 0, NULL, NULL);
    assert_true(fabs(c->value - 0.5) < 1e-12 && c->n == 4);
    double lo, hi;
    stats_wilson(2, 4, &lo, &hi);
    assert_true(c->lo == lo && c->hi == hi);
    /* cells come sorted: period, then code, the margin last */
    assert_int_equal(r.ncells, 5);
    assert_string_equal(r.cells[0].key[0], "0363");
    assert_string_equal(r.cells[1].key[0], "0384");
    assert_null(r.cells[2].key[0]);
    /* without margins */
    r = query_ok(
        eng, D_UITVAL,
        &(struct qopt){"2024-Q1", "2024-Q1", 1, MX_DIM_GEMEENTE, 0, false, 0, NULL, 0, NULL});
    assert_int_equal(r.ncells, 2);

    /* two dimensions with all margins: gemeente x aanbieder, year */
    r = query_ok(eng, D_UITVAL,
                 &(struct qopt){"2024", "2024", 2, MX_DIM_GEMEENTE, MX_DIM_AANBIEDER, true, 0, NULL,
                                0, NULL});
    expect(&r, 0, "0363", "11", 1, 2); /* T1, T7 */
    expect(&r, 0, "0363", "12", 1, 2); /* T5, T8 */
    expect(&r, 0, "0384", "11", 0, 1); /* T3 */
    expect(&r, 0, "0363", NULL, 2, 4);
    expect(&r, 0, NULL, "11", 1, 3);
    expect(&r, 0, NULL, "12", 1, 2);
    expect(&r, 0, NULL, NULL, 2, 5);
    assert_int_equal(r.ncells, 3 + 2 + 2 + 1);

    /* distinct persons per quarter: a person counts once per cell and once in a margin */
    r = query_ok(
        eng, D_CLIENTS,
        &(struct qopt){"2024-Q1", "2024-Q4", 1, MX_DIM_GEMEENTE, 0, true, 0, NULL, 0, NULL});
    expect(&r, 0, "0363", NULL, 2, 2); /* P1 (T1, T8), P3 */
    expect(&r, 0, "0384", NULL, 2, 2); /* P2, P3 */
    expect(&r, 0, NULL, NULL, 3, 3);   /* P1, P2, P3: P3 once */
    expect(&r, 1, "0363", NULL, 1, 1); /* P1 (T2 from May) */
    expect(&r, 1, "0384", NULL, 2, 2); /* P2 (T4), P3 (T9) */
    expect(&r, 1, NULL, NULL, 3, 3);
    expect(&r, 2, "0363", NULL, 2, 2); /* P1, P5 */
    expect(&r, 2, NULL, NULL, 4, 4);
    expect(&r, 3, "0384", NULL, 1, 1); /* P3; T4 ended Sep 30 */
    expect(&r, 3, NULL, NULL, 3, 3);
    /* trajectories (not distinct): Q1 0363 has T1, T8, T5 */
    r = query_ok(
        eng, D_TRAJ,
        &(struct qopt){"2024-Q1", "2024-Q4", 1, MX_DIM_GEMEENTE, 0, true, 0, NULL, 0, NULL});
    expect(&r, 0, "0363", NULL, 3, 3);
    expect(&r, 0, NULL, NULL, 5, 5);
    expect(&r, 2, NULL, NULL, 4, 4); /* T2, T4, T9, T7 */
    /* months: T3 active from Nov 2023 */
    r = query_ok(eng, D_TRAJ,
                 &(struct qopt){"2023-11", "2024-01", 0, 0, 0, false, 0, NULL, 0, NULL});
    expect(&r, 0, NULL, NULL, 1, 1);
    expect(&r, 1, NULL, NULL, 1, 1);
    expect(&r, 2, NULL, NULL, 2, 2);

    /* median of six durations (even): mean of the two middle ones */
    r = query_ok(eng, D_MEDIAN, &(struct qopt){"2024", "2024", 0, 0, 0, false, 0, NULL, 0, NULL});
    int64_t dur[] = {ymd(2024, 2, 20) - ymd(2024, 1, 10), ymd(2024, 2, 10) - ymd(2024, 2, 1),
                     ymd(2024, 3, 31) - ymd(2023, 11, 1), ymd(2024, 9, 30) - ymd(2024, 4, 15),
                     ymd(2024, 3, 31) - ymd(2024, 3, 1),  ymd(2024, 12, 31) - ymd(2024, 7, 1)};
    double want = stats_median_i64(dur, 6);
    c = cell(&r, 0, NULL, NULL);
    assert_non_null(c);
    assert_true(c->value == want && c->den == 6 && c->num == 0 && c->n == 6);
    /* medians with margins by wet */
    r = query_ok(eng, D_MEDIAN,
                 &(struct qopt){"2024", "2024", 1, MX_DIM_LAW, 0, true, 0, NULL, 0, NULL});
    c = cell(&r, 0, "wmo", NULL);
    assert_true(c && c->value == (double)(ymd(2024, 9, 30) - ymd(2024, 4, 15)));
    c = cell(&r, 0, NULL, NULL);
    assert_true(c && c->value == want && c->den == 6);

    /* mean satisfaction: T1 8 (jeugdige), T3 6 (ouder), T5 7 (jeugdige before ouder 2), T7 5 */
    r = query_ok(eng, D_MEAN, &(struct qopt){"2024", "2024", 0, 0, 0, false, 0, NULL, 0, NULL});
    expect(&r, 0, NULL, NULL, 26, 4);
    assert_true(cell(&r, 0, NULL, NULL)->value == 6.5);

    /* follow-up: data date Dec 31 2024 (the test person's 2025 end does not count); elapsed:
     * ends up to Jun 30; T1 and T8 followed by T2 (P1, jw, May 1); T3 and T5 not */
    r = query_ok(eng, D_FOLLOW, &(struct qopt){"2024", "2024", 0, 0, 0, false, 0, NULL, 0, NULL});
    expect(&r, 0, NULL, NULL, 2, 4);
    struct mx_engine_stats st;
    mx_engine_get_stats(eng, &st);
    assert_int_equal(st.data_date, ymd(2024, 12, 31));
    assert_int_equal(st.trajectories, 8);
    assert_int_equal(st.persons, 4);
    assert_int_equal(st.responses, 5);
    assert_true(st.bytes > 0);

    /* per 1,000: 0363 from 2023 (no 2024): 3000 + 1001 * 3/5 = 3600.6 -> 3601; 0384 2024:
     * 2 + 5 * 3/5 = 5 (not 2025); all gemeenten: 3600.6 + 5 + 10 = 3615.6 -> 3616 */
    r = query_ok(
        eng, D_RATE,
        &(struct qopt){"2024-Q1", "2024-Q1", 1, MX_DIM_GEMEENTE, 0, true, 0, NULL, 0, NULL});
    expect(&r, 0, "0363", NULL, 2, 3601);
    expect(&r, 0, "0384", NULL, 1, 5);
    expect(&r, 0, NULL, NULL, 3, 3616);
    c = cell(&r, 0, "0384", NULL);
    assert_true(c->value == 200.0 && c->n == 1 && isnan(c->lo));
    /* a filter decides the gemeenten of the margin */
    const char *only[] = {"0363", "0363", "9999"};
    r = query_ok(
        eng, D_RATE,
        &(struct qopt){"2024-Q1", "2024-Q1", 0, 0, 0, false, MX_DIM_GEMEENTE, only, 3, NULL});
    expect(&r, 0, NULL, NULL, 2, 3601);
    /* men and women: men 1800 (0363) + 4 (0999); women 1800 + 6 */
    r = query_ok(eng, D_RATE,
                 &(struct qopt){"2024-Q1", "2024-Q1", 1, MX_DIM_GENDER, 0, true, 0, NULL, 0, NULL});
    expect(&r, 0, "1", NULL, 2, 1804);
    expect(&r, 0, "2", NULL, 1, 1806);
    expect(&r, 0, NULL, NULL, 3, 3616);
    /* half up: 90-94 full (1) + 95+ half of 3 = 2.5 -> 3 */
    r = query_ok(
        eng, D_RATE_OLD,
        &(struct qopt){"2024-Q1", "2024-Q1", 1, MX_DIM_GEMEENTE, 0, false, 0, NULL, 0, NULL});
    expect(&r, 0, "0363", NULL, 2, 3);
    /* per 1,000 cannot be split by age band */
    struct err_ctx e;
    assert_int_equal(
        query(eng, D_RATE,
              &(struct qopt){"2024", "2024", 1, MX_DIM_AGE_BAND, 0, false, 0, NULL, 0, NULL}, &r,
              &e),
        ERR_INVALID);
    assert_non_null(strstr(e.msg, "leeftijd"));

    /* survey answers: 5 and 4 agree, 2 does not, 0 (weet niet) and no answer are out */
    r = query_ok(eng, D_RESP, &(struct qopt){"2024", "2024", 0, 0, 0, false, 0, NULL, 0, NULL});
    expect(&r, 0, NULL, NULL, 2, 3);

    /* filters */
    const char *g0363[] = {"0363"};
    r = query_ok(eng, D_UITVAL,
                 &(struct qopt){"2024-Q1", "2024-Q1", 1, MX_DIM_GEMEENTE, 0, true, MX_DIM_GEMEENTE,
                                g0363, 1, NULL});
    expect(&r, 0, "0363", NULL, 2, 3);
    expect(&r, 0, NULL, NULL, 2, 3);
    assert_int_equal(r.ncells, 2);
    const char *nowhere[] = {"9999"};
    r = query_ok(
        eng, D_UITVAL,
        &(struct qopt){"2024-Q1", "2024-Q1", 0, 0, 0, false, MX_DIM_GEMEENTE, nowhere, 1, NULL});
    assert_int_equal(r.ncells, 0);
    const char *men[] = {"1"};
    r = query_ok(eng, D_UITVAL,
                 &(struct qopt){"2024", "2024", 0, 0, 0, false, MX_DIM_GENDER, men, 1, NULL});
    expect(&r, 0, NULL, NULL, 2, 3); /* T1, T8, T5 */

    /* a preview gives what the registered definition gives */
    struct ind_def pv = mkdef("uitval", IND_UNIT_TRAJECTORY, IND_ANCHOR_END, IND_AGG_PROPORTION,
                              "wet = \"jw\"", "reden_cbs = \"03\"", NULL);
    r = query_ok(
        eng, 0, &(struct qopt){"2024-Q1", "2024-Q4", 1, MX_DIM_GEMEENTE, 0, true, 0, NULL, 0, &pv});
    expect(&r, 0, NULL, NULL, 2, 4);
    assert_int_equal(r.ncells, 5);
    struct ind_def bad = pv;
    bad.population = "wet = ";
    assert_int_equal(
        query(eng, 0, &(struct qopt){"2024", "2024", 0, 0, 0, false, 0, NULL, 0, &bad}, &r, &e),
        ERR_INVALID);
    struct ind_def pvr = mkdef("x", IND_UNIT_RESPONSE, IND_ANCHOR_RESPONSE, IND_AGG_PROPORTION,
                               "antwoord(\"onbekend\") tussen 1 en 5 of antwoord(\"q2\") = 5",
                               "antwoord(\"q2\") = 5", NULL);
    r = query_ok(eng, 0, &(struct qopt){"2024", "2024", 0, 0, 0, false, 0, NULL, 0, &pvr});
    expect(&r, 0, NULL, NULL, 1, 1);

    /* errors */
    assert_int_equal(
        query(eng, 999, &(struct qopt){"2024", "2024", 0, 0, 0, false, 0, NULL, 0, NULL}, &r, &e),
        ERR_NOT_FOUND);
    assert_int_equal(query(eng, D_UITVAL,
                           &(struct qopt){"2000-01", "2020-12", 0, 0, 0, false, 0, NULL, 0, NULL},
                           &r, &e),
                     ERR_INVALID); /* 252 months */
    assert_int_equal(query(eng, D_UITVAL,
                           &(struct qopt){"2025", "2024", 0, 0, 0, false, 0, NULL, 0, NULL}, &r,
                           &e),
                     ERR_INVALID);
    assert_int_equal(
        query(eng, D_UITVAL,
              &(struct qopt){"2024", "2024", 2, MX_DIM_LAW, MX_DIM_LAW, false, 0, NULL, 0, NULL},
              &r, &e),
        ERR_INVALID);
    r = query_ok(eng, D_UITVAL,
                 &(struct qopt){"2005-01", "2024-12", 0, 0, 0, false, 0, NULL, 0, NULL});
    assert_int_equal(r.nperiods, 240);
}

static void test_hand(void **state)
{
    (void)state;
    hand_data();
    struct mx_engine *eng = build();
    hand_defs(eng);
    check_hand_figures(eng);

    /* definitions: copy, replace, forget */
    int version = 0;
    const struct ind_def *d = mx_engine_definition(eng, D_MEAN, &version, fx.a);
    assert_non_null(d);
    assert_string_equal(d->code, "tevreden");
    assert_string_equal(d->value, "tevredenheid");
    assert_int_equal(version, 1);
    assert_null(mx_engine_definition(eng, 4711, NULL, fx.a));
    mx_engine_undefine(eng, D_MEAN);
    struct mx_result r;
    struct err_ctx e;
    assert_int_equal(query(eng, D_MEAN,
                           &(struct qopt){"2024", "2024", 0, 0, 0, false, 0, NULL, 0, NULL}, &r,
                           &e),
                     ERR_NOT_FOUND);
    struct ind_def bad = mkdef("kapot", IND_UNIT_TRAJECTORY, IND_ANCHOR_END, IND_AGG_PROPORTION,
                               "onzin = 3", NULL, NULL);
    struct ind_problems pr = {0};
    assert_int_equal(mx_engine_define(eng, 77, 1, &bad, &pr), ERR_INVALID);
    assert_true(pr.n > 0);

    /* dimension values: codes present in rows, sorted */
    const char **v = NULL;
    size_t n = 0;
    assert_int_equal(mx_dim_values(eng, MX_DIM_GEMEENTE, fx.a, &v, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(v[0], "0363");
    assert_string_equal(v[1], "0384");
    assert_int_equal(mx_dim_values(eng, MX_DIM_LAW, fx.a, &v, &n), 0);
    assert_int_equal(n, 3); /* "" (responses without law), jw, wmo */
    assert_int_equal(mx_dim_parse("verwijzer"), MX_DIM_REFERRER);
    assert_int_equal(mx_dim_parse("nee"), -1);
    assert_string_equal(mx_dim_code(MX_DIM_AREA), "gebied");

    /* window ends clamp to the month's last day */
    assert_int_equal(eval_window_end(ymd(2024, 8, 31), 6), ymd(2025, 2, 28));
    assert_int_equal(eval_window_end(ymd(2023, 8, 31), 6), ymd(2024, 2, 29));
    assert_int_equal(eval_window_end(ymd(2024, 1, 15), 12), ymd(2025, 1, 15));
    mx_engine_free(eng);
}

/* Both engines give the same cells for a query (or the same error). */
static void same_result(struct mx_engine *a, struct mx_engine *b, int64_t id, const struct qopt *o,
                        const char *what, size_t *cells)
{
    struct mx_result ra, rb;
    struct err_ctx ea, eb;
    struct arena_mark mk = arena_mark(fx.a);
    int rca = query(a, id, o, &ra, &ea), rcb = query(b, id, o, &rb, &eb);
    if (rca != rcb)
        fail_msg("%s: def %" PRId64 ": %s vs %s", what, id, err_name(rca), err_name(rcb));
    if (rca) {
        arena_reset_to(fx.a, mk);
        return;
    }
    if (ra.ncells != rb.ncells)
        fail_msg("%s: def %" PRId64 " (%s): %zu cells synced, %zu fresh", what, id,
                 ra.def ? ra.def->code : "?", ra.ncells, rb.ncells);
    for (size_t i = 0; i < ra.ncells; i++) {
        const struct mx_cell *x = &ra.cells[i], *y = &rb.cells[i];
        bool same = x->period_idx == y->period_idx && x->n == y->n && x->num == y->num &&
                    x->den == y->den &&
                    (x->value == y->value || (isnan(x->value) && isnan(y->value))) &&
                    (x->lo == y->lo || (isnan(x->lo) && isnan(y->lo))) &&
                    (x->hi == y->hi || (isnan(x->hi) && isnan(y->hi)));
        for (int j = 0; j < ra.nby; j++)
            same = same && key_eq(x->key[j], y->key[j]);
        if (!same)
            fail_msg("%s: def %s cell %zu: p%d %s/%s %" PRId64 "/%" PRId64 " vs p%d %s/%s %" PRId64
                     "/%" PRId64,
                     what, ra.def->code, i, x->period_idx, x->key[0] ? x->key[0] : "*",
                     ra.nby > 1 && x->key[1] ? x->key[1] : "*", x->num, x->den, y->period_idx,
                     y->key[0] ? y->key[0] : "*", ra.nby > 1 && y->key[1] ? y->key[1] : "*", y->num,
                     y->den);
    }
    *cells += ra.ncells;
    arena_reset_to(fx.a, mk);
}

static void compare_hand(struct mx_engine *synced, const char *what)
{
    struct mx_engine *fresh = build();
    hand_defs(fresh);
    size_t cells = 0;
    for (int64_t id = D_UITVAL; id <= D_RESP; id++) {
        same_result(
            synced, fresh, id,
            &(struct qopt){"2023-Q1", "2025-Q4", 1, MX_DIM_GEMEENTE, 0, true, 0, NULL, 0, NULL},
            what, &cells);
        same_result(
            synced, fresh, id,
            &(struct qopt){"2024", "2025", 2, MX_DIM_LAW, MX_DIM_GENDER, true, 0, NULL, 0, NULL},
            what, &cells);
    }
    assert_true(cells > 0);
    mx_engine_free(fresh);
}

static void sync_engine(struct mx_engine *eng)
{
    struct err_ctx e = {0};
    int rc = mx_engine_sync(eng, store_reader(fx.s), &e);
    if (rc)
        fail_msg("sync: %s", e.msg);
}

static void test_hand_sync(void **state)
{
    (void)state;
    hand_data();
    struct mx_engine *eng = build();
    hand_defs(eng);
    struct mx_engine_stats st;
    mx_engine_get_stats(eng, &st);
    assert_int_equal(st.seq, 0);
    sync_engine(eng); /* nothing changed: a no-op */

    /* P2's jw trajectory gets another end: an undo-style journal entry names the group */
    exec("UPDATE trajectory SET end_date = 19950, cbs_reason = '03' WHERE id = 3");
    exec("INSERT INTO data_change (seq, batch_id, kind, at) VALUES (1, 1, 'undo', 'x')");
    exec("INSERT INTO data_change_group VALUES (1, 2, 11, 1)");
    sync_engine(eng);
    mx_engine_get_stats(eng, &st);
    assert_int_equal(st.seq, 1);
    struct mx_result r =
        query_ok(eng, D_UITVAL, &(struct qopt){"2024", "2024", 0, 0, 0, false, 0, NULL, 0, NULL});
    expect(&r, 0, NULL, NULL, 3, 5); /* T3 now uitval */
    compare_hand(eng, "after a changed group");

    /* new persons above the largest id (the range scan), a new gemeente code, an import
     * journal entry whose batch has no facts, and a later data date */
    add_person(6);
    add_person(7);
    add_traj(&(struct trow){20, 6, 12, 1, "0518", ymd(2025, 1, 5), ymd(2025, 3, 1), "03", "0", 12,
                            0, ymd(2024, 12, 1)});
    add_traj(
        &(struct trow){21, 7, 11, 1, "0363", ymd(2025, 2, 1), DAY_NONE, NULL, "2", 1, 0, DAY_NONE});
    add_traj(&(struct trow){22, 1, 11, 1, "0363", ymd(2024, 8, 1), ymd(2024, 9, 1), "04", "1", 8, 0,
                            DAY_NONE}); /* P1 again: starts within 6 months after T1/T8 */
    add_meas(20, "02", 9, "'04'", 100);
    exec("INSERT INTO data_change (seq, batch_id, kind, at) VALUES (2, 1, 'import', 'x')");
    exec("INSERT INTO data_change (seq, batch_id, kind, at) VALUES (3, 1, 'undo', 'x')");
    exec("INSERT INTO data_change_group VALUES (3, 1, 11, 1)");
    sync_engine(eng);
    mx_engine_get_stats(eng, &st);
    assert_int_equal(st.seq, 3);
    assert_int_equal(st.trajectories, 11);
    assert_int_equal(st.persons, 6);
    assert_int_equal(st.data_date, ymd(2025, 3, 1));
    compare_hand(eng, "after new persons");

    /* a population batch: reloaded; a survey response added (not journalled: counted) */
    add_batch(4, "bevolking", "actief");
    add_pop("0518", 2025, "0-4", 50, 25, 25, 4);
    add_pop("0363", 2023, "0-4", 2000, 1000, 1000, 4); /* the newest batch wins */
    exec("INSERT INTO data_change (seq, batch_id, kind, at) VALUES (4, 4, 'import', 'x')");
    exec("INSERT INTO survey_response (id, gemeente, response_date) VALUES (6, '0518', 20100)");
    exec("INSERT INTO survey_answer VALUES (6, 'q1', 4)");
    sync_engine(eng);
    r = query_ok(
        eng, D_RATE,
        &(struct qopt){"2024-Q1", "2024-Q1", 1, MX_DIM_GEMEENTE, 0, false, 0, NULL, 0, NULL});
    expect(&r, 0, "0363", NULL, 2, 4601);
    r = query_ok(eng, D_RESP, &(struct qopt){"2025", "2025", 0, 0, 0, false, 0, NULL, 0, NULL});
    expect(&r, 0, NULL, NULL, 1, 1);
    compare_hand(eng, "after population and responses");

    /* a person disappears entirely; the data date goes back */
    exec("DELETE FROM trajectory WHERE person_id IN (6, 7)");
    exec("INSERT INTO data_change (seq, batch_id, kind, at) VALUES (5, 1, 'undo', 'x')");
    exec("INSERT INTO data_change_group VALUES (5, 6, 12, 1), (5, 7, 11, 1)");
    sync_engine(eng);
    mx_engine_get_stats(eng, &st);
    assert_int_equal(st.trajectories, 9);
    assert_int_equal(st.data_date, ymd(2024, 12, 31));
    compare_hand(eng, "after removing persons");
    mx_engine_free(eng);
}

/* ---- 2. The real intake, imported and undone step by step. ----------------------------------- */

struct intake {
    struct pseudonymiser *ps;
    struct import_env env;
    struct synth_provider providers[SYNTH_MAX_PROVIDERS];
    struct synth_gemeente gemeenten[SYNTH_MAX_GEMEENTEN];
    size_t np, ng;
    struct ind_def *std;
    size_t nstd;
};

static struct intake in;

/* The shipped set from the source tree, for a build that does not embed it (yet). */
static void load_standard_file(void)
{
    json_error_t jerr;
    json_t *root = json_load_file(TEST_SOURCE_DIR "/data/indicatoren/standaard.json", 0, &jerr);
    if (!root)
        fail_msg("standaard.json: %s", jerr.text);
    in.nstd = json_array_size(root);
    in.std = arena_calloc(fx.a, in.nstd, sizeof *in.std);
    for (size_t i = 0; i < in.nstd; i++) {
        char *text = json_dumps(json_array_get(root, i), 0);
        struct ind_problems pr = {0};
        if (ind_def_parse(text, strlen(text), fx.a, &in.std[i], &pr))
            fail_msg("standaard.json entry %zu: %s %s", i, pr.n ? pr.p[0].key : "",
                     pr.n ? pr.p[0].message : "");
        free(text);
    }
    json_decref(root);
}

static void define_standard(struct mx_engine *eng)
{
    for (size_t i = 0; i < in.nstd; i++)
        define(eng, (int64_t)i + 1, &in.std[i]);
}

static int64_t import_file(const char *path, enum import_kind kind, int64_t profile)
{
    struct import_request req = {
        .path = path, .kind = kind, .profile_id = profile, .actor = &admin, .via = VIA_CLI};
    struct import_report rep;
    struct err_ctx e = {0};
    int rc = import_run(&in.env, &req, &rep, &e);
    if (rc || rep.failed)
        fail_msg("import %s: %s %s %s", path, err_name(rc), e.msg, rep.error);
    assert_false(rep.duplicate);
    return rep.batch_id;
}

static int64_t org_by_agb(const char *agb)
{
    static const char sql[] = "SELECT id FROM organisation WHERE agb_code = $1";
    struct db_stmt *st = NULL;
    struct db *db = store_reader(fx.s);
    assert_int_equal(db_prepare(db, "test.org_by_agb", sql, &st), 0);
    assert_int_equal(db_bind_text(st, 1, agb, (size_t)-1), 0);
    assert_int_equal(db_step(st), DB_ROW);
    int64_t id = db_col_i64(st, 0);
    db_done(st);
    return id;
}

/* Imports a generated file: messages, or a registration export through its profile. */
static int64_t import_generated(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (strncmp(name, "berichten-", 10) == 0)
        return import_file(path, IMPORT_MESSAGES, 0);
    char agb[9] = {0};
    memcpy(agb, name + 12, 8);
    const struct synth_provider *sp = NULL;
    for (size_t j = 0; j < in.np && !sp; j++)
        if (strcmp(in.providers[j].agb, agb) == 0)
            sp = &in.providers[j];
    assert_non_null(sp);
    int64_t org = org_by_agb(agb);
    struct mapping_profile p;
    char pname[64];
    snprintf(pname, sizeof pname, "Export %s %s", agb, dir + strlen(dir) - 6);
    synth_registration_profile(sp->csv_style, org, pname, &p);
    int64_t profile_id = 0;
    struct err_ctx e = {0};
    if (profile_save(fx.s, &admin, &p, &profile_id, &e))
        fail_msg("profile: %s", e.msg);
    return import_file(path, IMPORT_REGISTRATION, profile_id);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t list_dir(const char *dir, char names[][64], size_t cap)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    char *ptrs[256];
    struct dirent *de;
    while ((de = readdir(d)) && n < cap) {
        if (de->d_name[0] == '.')
            continue;
        size_t len = strlen(de->d_name);
        assert_true(len < 64);
        memcpy(names[n], de->d_name, len + 1);
        ptrs[n] = names[n];
        n++;
    }
    closedir(d);
    qsort(ptrs, n, sizeof *ptrs, cmp_name);
    char tmp[256][64];
    for (size_t i = 0; i < n; i++)
        memcpy(tmp[i], ptrs[i], 64);
    memcpy(names, tmp, n * 64);
    return n;
}

/* The trajectory rows in rows_sort_persons' order (each person's rows together, the persons'
 * keys rising), the reach index their suffix minimum, and rows_before_day never leaving out a
 * row a query up to that day could count. */
static void check_row_order(const struct mx_engine *eng, const char *what)
{
    const struct mx_rows *r = &eng->traj;
    uint64_t prev = 0;
    for (size_t i = 0, end; i < r->n; i = end) {
        uint64_t key = rows_person_key(r, i, &end);
        if (i > 0 && key <= prev)
            fail_msg("%s: person %u at row %zu out of order", what, r->person[i], i);
        prev = key;
    }
    assert_int_equal(r->nreach, (r->n + MX_REACH_ROWS - 1) / MX_REACH_ROWS);
    int32_t low = INT32_MAX;
    for (size_t i = r->n; i-- > 0;) {
        int32_t d = r->start[i];
        if (r->end[i] != DAY_NONE && r->end[i] < d)
            d = r->end[i];
        low = d < low ? d : low;
        if (i % MX_REACH_ROWS == 0 && r->reach[i / MX_REACH_ROWS] != low)
            fail_msg("%s: reach of block %zu is %d, not %d", what, i / MX_REACH_ROWS,
                     r->reach[i / MX_REACH_ROWS], low);
    }
    if (r->n == 0)
        return;
    const day_t lo = r->reach[0], hi = eng->data_date;
    for (int k = 0; k <= 8; k++) {
        day_t top = lo + (day_t)((int64_t)(hi - lo) * k / 8);
        size_t cut = rows_before_day(r, top);
        for (size_t i = cut; i < r->n; i++)
            if (r->start[i] <= top || (r->end[i] != DAY_NONE && r->end[i] <= top))
                fail_msg("%s: row %zu (day %d) left out of a query up to day %d", what, i,
                         r->start[i], top);
        /* in key order, a query up to the first quarter of the days reads few rows */
        if (k == 2 && r->n >= 4 * MX_REACH_ROWS && cut > r->n * 3 / 4)
            fail_msg("%s: a query up to day %d reads %zu of %zu rows", what, top, cut, r->n);
    }
}

static size_t compare_all(struct mx_engine *synced, const char *what)
{
    double t0 = (double)clock() / CLOCKS_PER_SEC;
    struct mx_engine *fresh = build();
    define_standard(fresh);
    struct mx_engine_stats a, b;
    mx_engine_get_stats(synced, &a);
    mx_engine_get_stats(fresh, &b);
    if (a.trajectories != b.trajectories || a.persons != b.persons || a.data_date != b.data_date ||
        a.seq != b.seq || a.responses != b.responses)
        fail_msg("%s: stats differ: %zu/%zu rows, %zu/%zu persons, seq %" PRId64 "/%" PRId64, what,
                 a.trajectories, b.trajectories, a.persons, b.persons, a.seq, b.seq);
    /* a sync merges its rows into the order a fresh build makes */
    check_row_order(synced, what);
    check_row_order(fresh, what);
    for (size_t i = 0; i < synced->traj.n; i++)
        if (synced->traj.person[i] != fresh->traj.person[i])
            fail_msg("%s: row %zu is of person %u synced, %u fresh", what, i,
                     synced->traj.person[i], fresh->traj.person[i]);
    static const char *wet_jw[] = {"jw"};
    size_t cells = 0;
    for (int64_t id = 1; id <= (int64_t)in.nstd; id++) {
        same_result(
            synced, fresh, id,
            &(struct qopt){"2022-Q1", "2026-Q4", 1, MX_DIM_GEMEENTE, 0, true, 0, NULL, 0, NULL},
            what, &cells);
        same_result(
            synced, fresh, id,
            &(struct qopt){"2022", "2026", 2, MX_DIM_AANBIEDER, MX_DIM_LAW, true, 0, NULL, 0, NULL},
            what, &cells);
        same_result(synced, fresh, id,
                    &(struct qopt){"2025-01", "2026-10", 0, 0, 0, false, 0, NULL, 0, NULL}, what,
                    &cells);
        same_result(synced, fresh, id,
                    &(struct qopt){"2023-H1", "2026-H2", 2, MX_DIM_GENDER, MX_DIM_GEMEENTE, true,
                                   MX_DIM_LAW, wet_jw, 1, NULL},
                    what, &cells);
        same_result(synced, fresh, id,
                    &(struct qopt){"2024", "2026", 2, MX_DIM_HULPVORM, MX_DIM_AGE_BAND, true, 0,
                                   NULL, 0, NULL},
                    what, &cells);
    }
    mx_engine_free(fresh);
    print_message("  %-28s %6zu rows %5zu persons seq %2" PRId64 ": %6zu cells equal (%.1f s)\n",
                  what, a.trajectories, a.persons, a.seq, cells,
                  (double)clock() / CLOCKS_PER_SEC - t0);
    return cells;
}

static void generate(uint64_t seed, uint64_t trajectories, const char *dir)
{
    struct synth_options o = {
        .seed = seed,
        .end_date = ymd(2026, 11, 1),
        .years = 4,
        .n_trajectories = trajectories,
        .per_zip = 700,
        .providers = in.providers,
        .nproviders = in.np,
        .gemeenten = in.gemeenten,
        .ngemeenten = in.ng,
    };
    struct synth_stats st;
    struct err_ctx e = {0};
    assert_int_equal(mkdir(dir, 0700), 0);
    if (synth_messages(&o, dir, &st, &e))
        fail_msg("synth: %s", e.msg);
}

static void test_intake_sync(void **state)
{
    (void)state;
    struct err_ctx e = {0};
    memset(&in, 0, sizeof in);
    assert_int_equal(demo_generate(fx.s, DEMO_DEFAULT_SEED, NULL, &e), 0);
    assert_int_equal(
        synth_demo_region(DEMO_DEFAULT_SEED, in.providers, &in.np, in.gemeenten, &in.ng, &e), 0);
    unsigned char key[KEY_FILE_BYTES];
    memset(key, 0x33, sizeof key);
    assert_int_equal(pseudonymiser_from_key(key, &in.ps), 0);
    in.env = (struct import_env){.store = fx.s, .schemas = schemas, .pseudonymiser = in.ps};
    if (ind_standard_set(fx.a, &in.std, &in.nstd, &e))
        load_standard_file();
    assert_true(in.nstd >= 20);

    struct mx_engine *eng = build(); /* empty: everything arrives through sync */
    define_standard(eng);

    char dir1[128], dir2[128];
    snprintf(dir1, sizeof dir1, "%s/gen-a1", fx.dir);
    snprintf(dir2, sizeof dir2, "%s/gen-b2", fx.dir);
    generate(11, 700, dir1);
    static char names[256][64];
    size_t nf = list_dir(dir1, names, 256);
    assert_true(nf >= 4);
    int64_t batches[256];
    size_t total_cells = 0;
    for (size_t i = 0; i < nf; i++) {
        batches[i] = import_generated(dir1, names[i]);
        if (i % 2 == 1 || i + 1 == nf) {
            sync_engine(eng);
            char what[96];
            snprintf(what, sizeof what, "import %zu/%zu", i + 1, nf);
            total_cells += compare_all(eng, what);
        }
    }
    /* figures exist for most standard definitions (registrations bring measurements) */
    size_t with_cells = 0;
    for (int64_t id = 1; id <= (int64_t)in.nstd; id++) {
        struct mx_result r =
            query_ok(eng, id, &(struct qopt){"2022", "2026", 0, 0, 0, false, 0, NULL, 0, NULL});
        with_cells += r.ncells > 0;
        if (r.ncells == 0)
            print_message("  no figures: %s\n", in.std[id - 1].code);
    }
    print_message("  %zu of %zu standard definitions have figures\n", with_cells, in.nstd);
    assert_true(with_cells >= 13);

    /* population figures, then undo of a message batch, then of the population */
    int64_t popb = import_file(CBS_POP, IMPORT_POPULATION, 0);
    sync_engine(eng);
    compare_all(eng, "population");
    assert_int_equal(batch_undo(fx.s, &admin, batches[1], &e), 0);
    sync_engine(eng);
    compare_all(eng, "undo of a message batch");
    assert_int_equal(batch_undo(fx.s, &admin, popb, &e), 0);
    sync_engine(eng);
    compare_all(eng, "undo of the population");
    /* the undone file again, and an import + undo before one sync */
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir1, names[1]);
    import_file(path, IMPORT_MESSAGES, 0);
    int64_t last = 0;
    for (size_t i = nf; i-- > 0;)
        if (strncmp(names[i], "registratie-", 12) == 0) {
            last = batches[i];
            break;
        }
    if (last)
        assert_int_equal(batch_undo(fx.s, &admin, last, &e), 0);
    sync_engine(eng);
    compare_all(eng, "re-import + undo");

    /* a second generation: many new persons at once (the bulk path), then a few */
    generate(12, 400, dir2);
    size_t nf2 = list_dir(dir2, names, 256);
    for (size_t i = 0; i < nf2; i++) {
        import_generated(dir2, names[i]);
        if (i == 0 || i + 1 == nf2) {
            sync_engine(eng);
            total_cells += compare_all(eng, i == 0 ? "second run, first" : "second run, all");
        }
    }
    assert_true(total_cells > 1000);
    mx_engine_free(eng);
    pseudonymiser_free(in.ps);
}

/* ---- 3. Scale: generated rows written straight into the store, with timings. ----------------
 * DUIDING_ENGINE_ROWS sets the number of trajectories (default 40,000 so that the sanitizer
 * build stays quick); run a release build with 2000000 for the targets. */

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0)
            kb = strtol(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return kb;
}

/* n trajectories of persons first_person.. (ids from first_id), 60% Jeugdwet, 85% ended, 40%
 * of the ended Jeugdwet ones with measurements; deterministic in the ids. */
/* Youth ages use y / 7: y / 3 is a multiple of 23 (69621 = 3 x 23 x 1009), which made every
 * youth trajectory age 0. */
static void scale_rows(int64_t first_id, int64_t n, int64_t first_person, int64_t persons)
{
    execf("WITH RECURSIVE c(i) AS (SELECT %" PRId64
          " UNION ALL SELECT i + 1 FROM c WHERE i < %" PRId64
          "), r AS (SELECT i, (i * 48271) %% 2147483647 AS x, (i * 69621) %% 2147483647 AS y, "
          "(i * 16807 + 7) %% 2147483647 AS z FROM c), "
          "s AS (SELECT i, x, y, z, CASE WHEN z %% 5 < 3 THEN 1 ELSE 2 END AS law, "
          "16071 + (x / 7) %% 3650 AS st, CASE WHEN (z / 11) %% 100 < 85 THEN 1 ELSE 0 END AS "
          "ended FROM r), t AS (SELECT *, CASE WHEN law = 1 THEN (y / 7) %% 23 ELSE 18 + (y / 3) "
          "%% 80 END AS age FROM s) "
          "INSERT INTO trajectory (id, person_id, aanbieder_id, law, gemeente, category, hulpvorm, "
          "product_code, start_date, end_date, end_reason, end_reason_list, cbs_reason, referrer, "
          "age_at_start, age_band, gender, postcode4, flags, batch_id, nlines, date_requested, "
          "date_assigned) SELECT i, %" PRId64 " + (x %% %" PRId64 "), 100 + (y %% 60), law, "
          "printf('%%04d', 3 * (1 + (y / 60) %% 342)), printf('%%02d', (x / 5) %% 12), "
          "printf('%%02d', 1 + (z / 3) %% 4), printf('%%05d', (x / 9) %% 300), st, "
          "CASE WHEN ended THEN st + (y / 13) %% 730 END, NULL, 'CBS', "
          "CASE WHEN ended THEN printf('%%02d', 1 + (x / 17) %% 5) END, "
          "printf('%%02d', 1 + (z / 7) %% 8), age, CASE WHEN law = 1 THEN CASE WHEN age < 4 THEN "
          "'0-3' WHEN age < 12 THEN '4-11' WHEN age < 18 THEN '12-17' WHEN age < 23 THEN '18-22' "
          "ELSE '23+' END ELSE CASE WHEN age < 18 THEN '0-17' WHEN age < 65 THEN '18-64' WHEN "
          "age < 75 THEN '65-74' WHEN age < 85 THEN '75-84' ELSE '85+' END END, "
          "CAST((z / 13) %% 3 AS TEXT), printf('%%04d', 1000 + (y / 17) %% 4000), "
          "CASE WHEN (x / 3) %% 4 = 0 THEN 8 ELSE 0 END, 1, 1, "
          "CASE WHEN (z / 19) %% 3 = 0 THEN st - (y / 23) %% 90 END, "
          "CASE WHEN (z / 19) %% 3 < 2 THEN st - (x / 29) %% 60 END FROM t",
          first_id, first_id + n - 1, first_person, persons);
    execf("INSERT INTO measurement (trajectory_id, informant, satisfaction, zonder_hulp, "
          "goal_realisation) SELECT id, '01', 1 + (id * 31) %% 10, '0' || (1 + (id * 7) %% 4), "
          "(id * 13) %% 101 FROM trajectory WHERE id >= %" PRId64 " AND law = 1 AND end_date IS "
          "NOT NULL AND (id * 3) %% 10 < 4",
          first_id);
    execf("INSERT INTO measurement (trajectory_id, informant, satisfaction, zonder_hulp, "
          "goal_realisation) SELECT id, '02', 1 + (id * 37) %% 10, NULL, NULL FROM trajectory "
          "WHERE id >= %" PRId64 " AND law = 1 AND end_date IS NOT NULL AND (id * 3) %% 10 = 0",
          first_id);
}

static void scale_data(int64_t n)
{
    int64_t persons = n * 3 / 4;
    add_batch(1, "registratie", "actief");
    add_batch(2, "bevolking", "actief");
    exec("WITH RECURSIVE c(i) AS (SELECT 100 UNION ALL SELECT i + 1 FROM c WHERE i < 159) "
         "INSERT INTO organisation (id, kind, name, created_at, updated_at) SELECT i, "
         "'aanbieder', 'A' || i, 'x', 'x' FROM c");
    execf("WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < %" PRId64
          ") INSERT INTO person (id, hkey, pseudonym) SELECT i, i, zeroblob(32) FROM c",
          persons);
    scale_rows(1, n, 1, persons);
    exec("WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 342), "
         "y(v) AS (SELECT 2013 UNION ALL SELECT v + 1 FROM y WHERE v < 2024), "
         "b(lo) AS (SELECT 0 UNION ALL SELECT lo + 5 FROM b WHERE lo < 95) "
         "INSERT INTO population (gemeente, year, age_band, inhabitants, men, women, batch_id) "
         "SELECT printf('%04d', 3 * i), v, CASE WHEN lo = 95 THEN '95+' ELSE lo || '-' || (lo + 4) "
         "END, 1000 + (i * 37 + lo) % 5000, 500 + (i * 37 + lo) % 2500, 500 + (i * 37 + lo) % "
         "2500, 2 FROM g, y, b");
    exec("WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 20000) "
         "INSERT INTO survey_response (id, gemeente, aanbieder_id, law, age, gender, "
         "response_date) SELECT i, printf('%04d', 3 * (1 + i % 342)), 100 + i % 60, 2, 18 + i % "
         "80, CAST(i % 3 AS TEXT), 17532 + (i * 7) % 3650 FROM c");
    exec("WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 10) "
         "INSERT INTO survey_answer (response_id, item, value) SELECT id, 'wmo_ceo_' || j, "
         "CASE WHEN j = 5 THEN 1 + (id + j) % 2 ELSE (id * j) % 6 END FROM survey_response, k");
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Cells of two results must be the same, in the same order. */
static void same_cells(const struct mx_result *a, const struct mx_result *b, const char *what)
{
    if (a->ncells != b->ncells)
        fail_msg("%s: %zu cells against %zu", what, a->ncells, b->ncells);
    for (size_t i = 0; i < a->ncells; i++) {
        const struct mx_cell *x = &a->cells[i], *y = &b->cells[i];
        bool same =
            x->period_idx == y->period_idx && x->n == y->n && x->num == y->num && x->den == y->den;
        for (int k = 0; k < MX_MAX_BY && same; k++)
            same = (x->key[k] == NULL) == (y->key[k] == NULL) &&
                   (!x->key[k] || strcmp(x->key[k], y->key[k]) == 0);
        double v[3][2] = {{x->value, y->value}, {x->lo, y->lo}, {x->hi, y->hi}};
        for (int k = 0; k < 3 && same; k++)
            same = isnan(v[k][0]) ? isnan(v[k][1])
                                  : fabs(v[k][0] - v[k][1]) <= 1e-9 * fmax(1.0, fabs(v[k][0]));
        if (!same)
            fail_msg("%s: cell %zu differs: p %d/%d n %" PRId64 "/%" PRId64 " num %" PRId64
                     "/%" PRId64 " den %" PRId64 "/%" PRId64 " value %.17g/%.17g",
                     what, i, x->period_idx, y->period_idx, x->n, y->n, x->num, y->num, x->den,
                     y->den, x->value, y->value);
    }
}

/* The cells of r whose key k is NULL (a margin over that dimension) and the other key not. */
static struct mx_result margin_slice(const struct mx_result *r, int k)
{
    struct mx_result m = *r;
    m.cells = arena_calloc(query_arena, r->ncells ? r->ncells : 1, sizeof *m.cells);
    assert_non_null(m.cells);
    m.ncells = 0;
    m.nby = r->nby - 1;
    for (size_t i = 0; i < r->ncells; i++) {
        const struct mx_cell *c = &r->cells[i];
        if (c->key[k] != NULL || (r->nby == 2 && c->key[1 - k] == NULL))
            continue;
        struct mx_cell x = *c;
        x.key[0] = r->nby == 2 ? c->key[1 - k] : NULL;
        x.key[1] = NULL;
        m.cells[m.ncells++] = x;
    }
    return m;
}

/*
 * The query paths agree with each other and with the rules on margins: every random query
 * (period kinds, 0-2 breakdowns, margins, filters) gives the same cells through the plain
 * arrays (split over two threads and in one), through the hash (engine_dense_max = 0) and as
 * the estimate of the cells chooses past a small limit of plain arrays, with
 * and without the sieve by date (engine_sieve), and the margins of a breakdown are the
 * figures of the query without that dimension. The data has many persons with several,
 * overlapping trajectories, so distinct persons over 'actief' take the slow path too.
 */
/* The cells of r that have a code (no total) for key[slot], in the query arena. */
static struct mx_result with_key(const struct mx_result *r, int slot)
{
    struct mx_result out = *r;
    out.cells = arena_calloc(query_arena, r->ncells ? r->ncells : 1, sizeof *out.cells);
    assert_non_null(out.cells);
    out.ncells = 0;
    for (size_t i = 0; i < r->ncells; i++)
        if (r->cells[i].key[slot])
            out.cells[out.ncells++] = r->cells[i];
    return out;
}

static void test_paths_agree(void **state)
{
    (void)state;
    int64_t n = 20000;
    memset(&in, 0, sizeof in);
    struct err_ctx e = {0};
    if (ind_standard_set(fx.a, &in.std, &in.nstd, &e))
        load_standard_file();
    scale_data(n);
    /* 10,000 more rows for 1,000 persons in the middle of the person order, where a scan in two
     * threads splits the rows: a split inside a person would count them twice */
    scale_rows(n + 1, n / 2, n * 3 / 8 - n / 40, n / 20);
    struct mx_engine *eng = build();
    define_standard(eng);
    /* paths the standard set does not take: medians, means and proportions over 'actief',
     * distinct persons at one date */
    const struct ind_def extra[] = {
        mkdef("med_actief", IND_UNIT_TRAJECTORY, IND_ANCHOR_ACTIVE, IND_AGG_MEDIAN, "niet open",
              NULL, "doorlooptijd"),
        mkdef("gem_actief", IND_UNIT_TRAJECTORY, IND_ANCHOR_ACTIVE, IND_AGG_MEAN, "waar", NULL,
              "doorlooptijd"),
        mkdef("aandeel_actief", IND_UNIT_TRAJECTORY, IND_ANCHOR_ACTIVE, IND_AGG_PROPORTION, "waar",
              "wet = \"jw\"", NULL),
        mkdef("pers_start", IND_UNIT_PERSON, IND_ANCHOR_START, IND_AGG_COUNT, "waar", NULL, NULL),
        mkdef("pers_einde", IND_UNIT_PERSON, IND_ANCHOR_END, IND_AGG_COUNT, "niet open", NULL,
              NULL),
    };
    const size_t nextra = sizeof extra / sizeof *extra;
    for (size_t i = 0; i < nextra; i++)
        define(eng, (int64_t)(in.nstd + 1 + i), &extra[i]);

    struct rng rg;
    rng_seed(&rg, 11);
    static const char *kinds[][2] = {
        {"2014-Q1", "2023-Q4"}, {"2019-01", "2023-12"}, {"2014-H1", "2023-H2"}, {"2014", "2023"}};
    /* the same first periods with an earlier end: the query reads only the rows before it */
    static const char *early[] = {"2017-Q3", "2020-05", "2017-H1", "2017"};
    /* and with a late start: most rows lie before it */
    static const char *late[] = {"2023-Q3", "2023-11", "2023-H1", "2022"};
    static const char *gems[] = {"0003", "0006", "0009", "0300", "0513", "1026"};
    static const char *wet[] = {"jw", "wmo"};
    static const char *sex[] = {"1", "2"};
    const uint64_t dense_max = engine_dense_max;
    const size_t two_min = engine_two_min_rows;
    int rc;
    query_arena = arena_new(1024u * 1024 * 1024); /* some breakdowns give 100,000s of cells */
    struct arena_mark mk = arena_mark(query_arena);
    for (int k = 0; k < 500; k++) {
        int64_t id = 1 + (int64_t)rng_below(&rg, in.nstd + nextra);
        const struct ind_def *d =
            id <= (int64_t)in.nstd ? &in.std[id - 1] : &extra[id - 1 - (int64_t)in.nstd];
        int kind = (int)rng_below(&rg, 4);
        struct qopt o = {
            kinds[kind][0], kinds[kind][1], (int)rng_below(&rg, 3), 0, 0, true, 0, NULL, 0, NULL};
        static const enum mx_dim rate_dims[] = {MX_DIM_GEMEENTE, MX_DIM_LAW, MX_DIM_GENDER};
        for (int j = 0; j < o.nby; j++) {
            enum mx_dim dm;
            do {
                dm = d->agg == IND_AGG_RATE ? rate_dims[rng_below(&rg, 3)]
                                            : (enum mx_dim)rng_below(&rg, MX_DIM__COUNT);
            } while (j == 1 && dm == o.by0);
            if (j == 0)
                o.by0 = dm;
            else
                o.by1 = dm;
        }
        unsigned f = (unsigned)rng_below(&rg, 8);
        if (f < 2) {
            o.wdim = MX_DIM_GEMEENTE;
            o.wcodes = gems;
            o.nw = 1 + rng_below(&rg, 6);
        } else if (f < 4) {
            o.wdim = MX_DIM_LAW;
            o.wcodes = wet;
            o.nw = 1;
        } else if (f < 5) {
            o.wdim = MX_DIM_GENDER;
            o.wcodes = sex;
            o.nw = 1 + rng_below(&rg, 2);
        }
        char what[160];
        snprintf(what, sizeof what, "query %d: %s %s..%s by %d (%s, %s) filter %s x%zu", k, d->code,
                 o.first, o.last, o.nby, mx_dim_code(o.by0), mx_dim_code(o.by1),
                 o.nw ? mx_dim_code(o.wdim) : "-", o.nw);
        struct mx_result r, sparse, less, one;
        engine_dense_max = dense_max;
        /* two threads whenever the counts are small enough, against one thread */
        engine_two_min_rows = 0;
        if (query(eng, id, &o, &r, &e))
            fail_msg("%s: %s", what, e.msg);
        engine_scan_threads = 1;
        rc = query(eng, id, &o, &one, &e);
        engine_scan_threads = 2;
        engine_two_min_rows = two_min;
        if (rc)
            fail_msg("%s (one thread): %s", what, e.msg);
        same_cells(&r, &one, what);
        engine_dense_max = 0;
        rc = query(eng, id, &o, &sparse, &e);
        engine_dense_max = dense_max;
        if (rc)
            fail_msg("%s (hash): %s", what, e.msg);
        same_cells(&r, &sparse, what);
        /* past a small limit of plain arrays the estimate of the cells chooses: arrays after
         * all for a well-filled table, else the hash sized by it */
        engine_dense_max = 64;
        rc = query(eng, id, &o, &sparse, &e);
        engine_dense_max = dense_max;
        if (rc)
            fail_msg("%s (estimated): %s", what, e.msg);
        char what_est[200];
        snprintf(what_est, sizeof what_est, "%s (past 64 ids: by the estimate)", what);
        same_cells(&r, &sparse, what_est);
        /* only the totals over the first dimension: the same cells without the others */
        if (o.nby == 2) {
            struct mx_result kept = with_key(&r, 1), fm;
            char what_fm[200];
            for (int path = 0; path < 2; path++) {
                engine_dense_max = path ? 0 : dense_max;
                query_first_margins_only = true;
                rc = query(eng, id, &o, &fm, &e);
                query_first_margins_only = false;
                engine_dense_max = dense_max;
                if (rc)
                    fail_msg("%s (first margins only): %s", what, e.msg);
                snprintf(what_fm, sizeof what_fm, "%s, first margins only%s", what,
                         path ? " (hash)" : "");
                same_cells(&kept, &fm, what_fm);
            }
        }
        /* the sieve by date never and always (the queries above let a sample decide), on the
         * whole range, on its last two periods (most rows lie before them) and ending early
         * (most rows lie after): each the same through the arrays (in two threads, so that
         * the sieve meets the split's edge words) and through the hash */
        struct qopt ranges[3] = {o, o, o};
        ranges[1].first = late[kind];
        ranges[2].last = early[kind];
        struct mx_result ref[3];
        for (int g = 0; g < 3; g++) {
            engine_sieve = 0;
            rc = query(eng, id, &ranges[g], &ref[g], &e);
            engine_sieve = 1;
            if (rc)
                fail_msg("%s (%s..%s, no sieve): %s", what, ranges[g].first, ranges[g].last, e.msg);
        }
        for (int sieve = 0; sieve <= 2; sieve += 2)
            for (int path = 0; path < 2; path++)
                for (int g = 0; g < 3; g++) {
                    struct mx_result sv;
                    char what_sv[200];
                    engine_sieve = sieve;
                    engine_dense_max = path ? 0 : dense_max;
                    engine_two_min_rows = 0;
                    rc = query(eng, id, &ranges[g], &sv, &e);
                    engine_two_min_rows = two_min;
                    engine_sieve = 1;
                    engine_dense_max = dense_max;
                    snprintf(what_sv, sizeof what_sv, "%s, %s..%s, sieve %d%s", what,
                             ranges[g].first, ranges[g].last, sieve, path ? " (hash)" : "");
                    if (rc)
                        fail_msg("%s: %s", what_sv, e.msg);
                    same_cells(&ref[g], &sv, what_sv);
                }
        same_cells(&r, &ref[0], what); /* and the reference is the answer itself */
        /* ending early: the first periods of the whole answer, as they were */
        struct qopt eo = o;
        eo.last = early[kind];
        struct mx_result er;
        if (query(eng, id, &eo, &er, &e))
            fail_msg("%s (ending %s): %s", what, eo.last, e.msg);
        struct mx_result head = r;
        head.ncells = 0;
        while (head.ncells < r.ncells && r.cells[head.ncells].period_idx < er.nperiods)
            head.ncells++;
        char what_early[200];
        snprintf(what_early, sizeof what_early, "%s, ending %s", what, eo.last);
        same_cells(&head, &er, what_early);
        /* margins: the query without the dimension */
        for (int j = 0; j < o.nby; j++) {
            struct qopt w = o;
            w.nby = o.nby - 1;
            w.by0 = o.nby == 2 ? (j == 0 ? o.by1 : o.by0) : 0;
            if (query(eng, id, &w, &less, &e))
                fail_msg("%s (without %d): %s", what, j, e.msg);
            struct mx_result m = margin_slice(&r, j);
            char what2[200];
            snprintf(what2, sizeof what2, "%s: margin over %s", what,
                     mx_dim_code(j == 0 ? o.by0 : o.by1));
            /* the query without the dimension has no margins of its own for nby 1 */
            struct mx_result l = w.nby == 1 ? with_key(&less, 0) : less;
            same_cells(&m, &l, what2);
        }
        arena_reset_to(query_arena, mk);
    }
    arena_free(query_arena);
    query_arena = NULL;
    mx_engine_free(eng);
}

static void test_scale(void **state)
{
    (void)state;
    const char *env = getenv("DUIDING_ENGINE_ROWS");
    int64_t n = env ? strtoll(env, NULL, 10) : 40000;
    if (n < 1000)
        n = 1000;
    memset(&in, 0, sizeof in);
    struct err_ctx e = {0};
    if (ind_standard_set(fx.a, &in.std, &in.nstd, &e))
        load_standard_file();
    double t0 = mono();
    scale_data(n);
    double t_gen = mono() - t0;
    long rss0 = rss_kb();
    t0 = mono();
    struct mx_engine *eng = build();
    double t_rows = mono() - t0;
    define_standard(eng);
    double t_build = mono() - t0;
    long rss1 = rss_kb();
    struct mx_engine_stats st;
    mx_engine_get_stats(eng, &st);
    assert_int_equal((int64_t)st.trajectories, n);
    print_message("  %" PRId64 " rows generated in %.1f s; engine: %zu rows, %zu persons, %zu "
                  "responses, %zu definitions\n",
                  n, t_gen, st.trajectories, st.persons, st.responses, st.definitions);
    print_message("  build %.2f s (rows %.2f s, definitions %.2f s); engine memory %.1f MB "
                  "(RSS grew %.1f MB)\n",
                  t_build, t_rows, t_build - t_rows, (double)st.bytes / 1048576.0,
                  (double)(rss1 - rss0) / 1024.0);

    /* the whole standard set for all gemeenten x quarters (10 years), with margins */
    struct arena_mark mk = arena_mark(fx.a);
    t0 = mono();
    size_t cells = 0;
    for (int64_t id = 1; id <= (int64_t)in.nstd; id++) {
        struct mx_result r = query_ok(
            eng, id,
            &(struct qopt){"2014-Q1", "2023-Q4", 1, MX_DIM_GEMEENTE, 0, true, 0, NULL, 0, NULL});
        cells += r.ncells;
        arena_reset_to(fx.a, mk);
    }
    double t_set = mono() - t0;
    print_message("  standard set x gemeenten x 40 quarters: %.3f s (%zu cells)\n", t_set, cells);

    /* random breakdown queries */
    struct rng rg;
    rng_seed(&rg, 2026);
    static const enum mx_dim rate_dims[] = {MX_DIM_GEMEENTE, MX_DIM_LAW, MX_DIM_GENDER};
    static const char *kinds[][2] = {
        {"2014-Q1", "2023-Q4"}, {"2019-01", "2023-12"}, {"2014-H1", "2023-H2"}, {"2014", "2023"}};
    static const char *gems[] = {"0003", "0006", "0009", "0300", "0513", "1026"};
    static const char *wet[] = {"jw"};
    enum { NQ = 1000 };
    /* some random combinations (area x referrer by month) give 100,000s of cells: more than a
     * request's arena holds, so the benchmark gives them room */
    query_arena = arena_new(512u * 1024 * 1024);
    struct arena_mark qmk = arena_mark(query_arena);
    double *lat = malloc(NQ * sizeof *lat);
    for (int k = 0; k < NQ; k++) {
        int64_t id = 1 + (int64_t)rng_below(&rg, in.nstd);
        const struct ind_def *d = &in.std[id - 1];
        int kind = (int)rng_below(&rg, 4);
        struct qopt o = {kinds[kind][0],
                         kinds[kind][1],
                         (int)rng_below(&rg, 3),
                         0,
                         0,
                         rng_below(&rg, 10) < 7,
                         0,
                         NULL,
                         0,
                         NULL};
        for (int j = 0; j < o.nby; j++) {
            enum mx_dim dm;
            do {
                dm = d->agg == IND_AGG_RATE ? rate_dims[rng_below(&rg, 3)]
                                            : (enum mx_dim)rng_below(&rg, MX_DIM__COUNT);
            } while (j == 1 && dm == o.by0);
            if (j == 0)
                o.by0 = dm;
            else
                o.by1 = dm;
        }
        unsigned f = (unsigned)rng_below(&rg, 10);
        if (f < 3) {
            o.wdim = MX_DIM_GEMEENTE;
            o.wcodes = gems;
            o.nw = 1 + rng_below(&rg, 6);
        } else if (f < 5) {
            o.wdim = MX_DIM_LAW;
            o.wcodes = wet;
            o.nw = 1;
        }
        struct mx_result r;
        double q0 = mono();
        int rc = query(eng, id, &o, &r, &e);
        lat[k] = mono() - q0;
        if (rc)
            fail_msg("random query %d (%s): %s", k, d->code, e.msg);
        arena_reset_to(query_arena, qmk);
    }
    qsort(lat, NQ, sizeof *lat, cmp_double);
    print_message("  %d random breakdown queries: p50 %.2f ms, p95 %.2f ms, max %.2f ms\n", NQ,
                  lat[NQ / 2] * 1e3, lat[NQ * 95 / 100] * 1e3, lat[NQ - 1] * 1e3);
    free(lat);
    arena_free(query_arena);
    query_arena = NULL;

    /* an incremental change: 1,000 persons' trajectories change (journalled as an undo) */
    exec("UPDATE trajectory SET end_date = start_date + 30, cbs_reason = '03' WHERE person_id "
         "<= 1000");
    exec("INSERT INTO data_change (seq, batch_id, kind, at) VALUES (1, 1, 'undo', 'x')");
    exec("INSERT INTO data_change_group SELECT DISTINCT 1, person_id, aanbieder_id, law FROM "
         "trajectory WHERE person_id <= 1000");
    t0 = mono();
    sync_engine(eng);
    double t_sync = mono() - t0;
    /* and a bulk import: 10% more persons with new trajectories */
    int64_t persons = n * 3 / 4, more = n / 10;
    execf("WITH RECURSIVE c(i) AS (SELECT %" PRId64
          " UNION ALL SELECT i + 1 FROM c WHERE i < %" PRId64
          ") INSERT INTO person (id, hkey, pseudonym) SELECT i, i, zeroblob(32) FROM c",
          persons + 1, persons + more * 3 / 4);
    scale_rows(n + 1, more, persons + 1, more * 3 / 4);
    exec("INSERT INTO data_change (seq, batch_id, kind, at) VALUES (2, 1, 'import', 'x')");
    t0 = mono();
    sync_engine(eng);
    double t_bulk = mono() - t0;
    mx_engine_get_stats(eng, &st);
    assert_int_equal((int64_t)st.trajectories, n + more);
    print_message("  sync of 1,000 changed persons %.3f s; of %" PRId64 " new rows %.3f s\n",
                  t_sync, more, t_bulk);
    if (n <= 100000)
        compare_all(eng, "scale, synced vs fresh");
    mx_engine_free(eng);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hand, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hand_sync, setup, teardown),
        cmocka_unit_test_setup_teardown(test_intake_sync, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paths_agree, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scale, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
