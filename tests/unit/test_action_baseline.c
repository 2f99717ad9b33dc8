/*
 * test_action_baseline.c: which baseline an improvement action records for a linked indicator
 * (report/action_movement.c action_baselines). On a fresh store with hand-inserted trajectories
 * in the last quarters, conversations of a gemeente with one aanbieder get frozen data packs;
 * then newer data arrives. The baseline must come from the pack when the pack holds the
 * indicator (its newest shown value and period, not the newer live figure), from the live
 * figure of the conversation's scope (conv_figure_latest) when there is no pack or the pack
 * does not hold the indicator, and must be absent — never 0 — when the figure is hidden (in
 * the pack, even if a live figure shows now; or live). An outsider gets no baselines at all.
 */
#include "report/action_movement.h"
#include "core/common.h"
#include "core/config.h"
#include "domain/action.h"
#include "domain/conversation.h"
#include "domain/org.h"
#include "domain/result.h"
#include "domain/role.h"
#include "metrics/catalog.h"
#include "metrics/engine.h"
#include "report/conversation_figures.h"
#include "report/data_pack.h"
#include "store/db.h"
#include "store/indicator_store.h"
#include "store/store.h"
#include "support/fixture.h"
#include <jansson.h>
#include <math.h>
#include <setjmp.h>
#include <time.h>
#include <cmocka.h>

#define NAANB 6
#define SMALL 4 /* aanbieder E: too few trajectories to show a figure */

struct fx {
    char dir[64], path[128];
    struct store *s;
    struct arena *a;
    struct config cfg;
    struct mx_engine *eng;
    int64_t region, gem, aanb[NAANB], result, uitval, starts;
    int64_t conv_a, conv_a_nopack, conv_e, conv_e_nopack;
    struct actor beleid, kwaliteit, outsider;
    struct period qa, qb, qc; /* three quarters before the current one, oldest first */
    int64_t next_person;
};
static struct fx f;

static void exec(struct db *db, const char *sql)
{
    int rc = db_exec(db, sql);
    if (rc)
        fail_msg("sql failed (%s): %.200s", err_name(rc), sql);
}

/* n jeugdwet trajectories of gemeente 0344 at aanbieder ai from start to end (spread over up to
 * 20 days); every `every`-th one ended with CBS reason 03 (uitval), the others 01. */
static void add(struct db *db, int64_t batch, int n, int ai, day_t start, day_t end, int every)
{
    for (int i = 0; i < n; i++) {
        int64_t person = ++f.next_person;
        char sql[768];
        snprintf(sql, sizeof sql,
                 "INSERT INTO person(id, hkey, pseudonym) VALUES (%" PRId64 ", %" PRId64
                 ", randomblob(32));",
                 person, person);
        exec(db, sql);
        snprintf(sql, sizeof sql,
                 "INSERT INTO trajectory(person_id, aanbieder_id, law, gemeente, category, "
                 "hulpvorm, start_date, end_date, end_reason, end_reason_list, release, "
                 "cbs_reason, referrer, age_at_start, age_band, gender, flags, batch_id) VALUES "
                 "(%" PRId64 ", %" PRId64 ", 1, '0344', NULL, '01', %d, %d, NULL, 'CBS', 'v7', "
                 "'%s', '01', 10, '4-11', '%d', 8, %" PRId64 ");",
                 person, f.aanb[ai], (int)start + i % 20, (int)end + i % 20,
                 i % every == 0 ? "03" : "01", 1 + i % 2, batch);
        exec(db, sql);
    }
}

static void batch_row(struct db *db, int64_t id)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO import_batch(id, kind, file_name, file_sha256, file_bytes, via, "
             "status, created_at) VALUES (%" PRId64 ", 'registratie', 'x%" PRId64 ".csv', "
             "'%064" PRId64 "', 1, 'cli', 'actief', '2024-07-01T00:00:00Z');",
             id, id, id);
    exec(db, sql);
}

static void rebuild_engine(void)
{
    struct err_ctx e = {0};
    mx_engine_free(f.eng);
    f.eng = NULL;
    assert_int_equal(mx_engine_build(store_reader(f.s), &f.eng, &e), 0);
}

static int64_t plan(int ai, const char *title)
{
    struct err_ctx e = {0};
    struct conv_party_input parties[1] = {{f.aanb[ai], 0}};
    struct conv_participant_input people[2] = {{f.beleid.user_id, CROLE_GESPREKSLEIDER},
                                               {f.kwaliteit.user_id, CROLE_DEELNEMER}};
    int64_t results[1] = {f.result}, id = 0;
    struct conv_input ci = {.owner_org_id = f.gem,
                            .kind = CONV_ACHTERKANT,
                            .title = title,
                            .goal = "Samen de uitval begrijpen.",
                            .period_from = period_start(f.qa),
                            .period_to = period_end(f.qb),
                            .held_on = period_end(f.qc) + 40,
                            .place = "Stadskantoor",
                            .result_ids = results,
                            .nresults = 1,
                            .parties = parties,
                            .nparties = 1,
                            .participants = people,
                            .nparticipants = ai == 0 ? 2 : 1};
    int rc = conversation_create(f.s, &f.beleid, &ci, &id, &e);
    if (rc)
        fail_msg("conversation_create: %s %s", err_name(rc), e.msg);
    return id;
}

static void make_pack(int64_t conv)
{
    struct arena *a = arena_new(0);
    struct err_ctx e = {0};
    struct data_pack p;
    int rc = data_pack_build(a, f.s, f.eng, &f.cfg, &f.beleid, conv, &p, &e);
    if (rc)
        fail_msg("data_pack_build: %s %s", err_name(rc), e.msg);
    arena_free(a);
}

static int setup(void **state)
{
    (void)state;
    memset(&f, 0, sizeof f);
    ts_store_open("baseline", f.dir, f.path, &f.s);
    f.a = arena_new(0);
    config_defaults(&f.cfg, f.dir);
    struct err_ctx e = {0};
    size_t added = 0;
    assert_int_equal(ind_catalog_ensure_standard(f.s, &added, &e), 0);

    struct period cur = period_of((day_t)(time(NULL) / 86400), PERIOD_QUARTER);
    f.qc = period_prev(cur);
    f.qb = period_prev(f.qc);
    f.qa = period_prev(f.qb);

    f.region = ts_make_org(f.s, ORG_REGION, "Regio Midden", NULL, NULL, 0);
    f.gem = ts_make_org(f.s, ORG_GEMEENTE, NULL, "0344", NULL, f.region);
    for (int i = 0; i < NAANB; i++) {
        char name[32], agb[24];
        snprintf(name, sizeof name, "Aanbieder %c", 'A' + i);
        snprintf(agb, sizeof agb, "7300000%d", i);
        f.aanb[i] = ts_make_org(f.s, ORG_AANBIEDER, name, NULL, agb, 0);
    }
    f.beleid = ts_make_actor(f.s, f.a, "beleid.utrecht", f.gem, ROLE_BELEID, "Wachtwoord-123!x");
    f.kwaliteit =
        ts_make_actor(f.s, f.a, "kwaliteit.a", f.aanb[0], ROLE_KWALITEIT, "Wachtwoord-123!x");
    f.outsider =
        ts_make_actor(f.s, f.a, "kwaliteit.c", f.aanb[2], ROLE_KWALITEIT, "Wachtwoord-123!x");

    struct result_input ri = {.owner_org_id = f.gem,
                              .theme = THEME_OPGROEIEN,
                              .title = "Jongeren groeien veilig op",
                              .description = "Minder uitval, passende hulp.",
                              .start_year = f.qa.year - 1,
                              .end_year = cur.year + 2};
    assert_int_equal(result_create(f.s, &f.beleid, &ri, &f.result, &e), 0);

    struct db *db;
    assert_int_equal(store_write_begin(f.s, &db), 0);
    f.uitval = ind_catalog_standard_id(db, "jw_uitval");
    f.starts = ind_catalog_standard_id(db, "nieuwe_starts");
    assert_true(f.uitval > 0 && f.starts > 0);
    /* Only uitval is linked when the packs are made; nieuwe_starts comes later. */
    assert_int_equal(indicator_store_set_result_links(db, f.result, &f.uitval, 1), 0);
    batch_row(db, 1);
    for (int ai = 0; ai < NAANB; ai++) {
        int n = ai == SMALL ? 3 : 30 + 5 * ai;
        add(db, 1, n, ai, period_start(f.qa) - 300, period_start(f.qa) + 5, 3);
        add(db, 1, n, ai, period_start(f.qb) - 300, period_start(f.qb) + 5, 3);
    }
    exec(db, "INSERT INTO data_change(batch_id, kind, at) VALUES (1, 'import', "
             "'2024-07-01T00:00:00Z');");
    assert_int_equal(store_write_end(f.s, true), 0);
    rebuild_engine();

    f.conv_a = plan(0, "Kwaliteitsgesprek met Aanbieder A");
    f.conv_a_nopack = plan(0, "Tweede gesprek met Aanbieder A, zonder datapakket");
    f.conv_e = plan(SMALL, "Kwaliteitsgesprek met Aanbieder E");
    f.conv_e_nopack = plan(SMALL, "Tweede gesprek met Aanbieder E, zonder datapakket");
    make_pack(f.conv_a);
    make_pack(f.conv_e);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    mx_engine_free(f.eng);
    store_close(f.s);
    config_release(&f.cfg);
    arena_free(f.a);
    ts_rm_dir(f.dir);
    return 0;
}

static struct action_baseline *baselines(struct arena *a, int64_t conv, const int64_t *ids, int n)
{
    struct action_baseline *bl = NULL;
    int rc = action_baselines(f.eng, &f.cfg, f.s, a, &f.beleid, conv, ids, n, &bl);
    if (rc)
        fail_msg("action_baselines: %s", err_name(rc));
    for (int k = 0; k < n; k++)
        assert_int_equal(bl[k].indicator_id, ids[k]);
    return bl;
}

static void code_of(struct period p, char out[static PERIOD_CODE_MAX])
{
    period_code(p, out);
}

/* The value the frozen pack of conv shows for uitval in period code, from its JSON. */
static double pack_value(struct arena *a, int64_t conv, const char *code)
{
    struct data_pack p;
    assert_int_equal(data_pack_latest(a, f.s, &f.beleid, conv, &p), 0);
    json_t *doc = json_loadb(p.row.document, p.row.document_len, 0, NULL);
    assert_non_null(doc);
    json_t *ind = json_array_get(
        json_object_get(json_array_get(json_object_get(doc, "resultaten"), 0), "indicatoren"), 0);
    assert_int_equal(json_integer_value(json_object_get(ind, "id")), f.uitval);
    json_t *ser = json_array_get(json_object_get(ind, "reeksen"), 0);
    assert_true(json_is_null(json_object_get(ser, "aanbieder")));
    double v = NAN;
    size_t i;
    json_t *per;
    json_array_foreach(json_object_get(ser, "perioden"), i, per)
    {
        if (strcmp(json_string_value(json_object_get(per, "periode")), code) == 0)
            v = json_is_number(json_object_get(per, "waarde"))
                    ? json_number_value(json_object_get(per, "waarde"))
                    : NAN;
    }
    json_decref(doc);
    return v;
}

/* Before newer data arrives: E's figures are hidden in its pack and live; A's are shown. */
static void hidden_gives_no_baseline(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct action_baseline *bl = baselines(a, f.conv_e, &f.uitval, 1);
    assert_false(bl[0].has_value); /* hidden in the pack */
    assert_null(bl[0].period);
    bl = baselines(a, f.conv_e_nopack, &f.uitval, 1);
    assert_false(bl[0].has_value); /* hidden live */
    assert_null(bl[0].period);
    struct conversation c;
    assert_int_equal(conversation_get(a, f.s, &f.beleid, f.conv_e_nopack, &c), 0);
    double v;
    struct period p;
    assert_int_equal(conv_figure_latest(f.eng, &f.cfg, f.s, &c, f.uitval, &v, &p), ERR_NOT_FOUND);

    /* A: the pack and the live figure agree while no data changed. */
    char qb[PERIOD_CODE_MAX];
    code_of(f.qb, qb);
    bl = baselines(a, f.conv_a, &f.uitval, 1);
    assert_true(bl[0].has_value);
    assert_string_equal(bl[0].period, qb);
    arena_free(a);
}

/* Newer data (a quarter later, more uitval) and a newly linked indicator. */
static void pack_first_live_second(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct db *db;
    assert_int_equal(store_write_begin(f.s, &db), 0);
    batch_row(db, 2);
    /* Many trajectories of every aanbieder that started and ended in qc, half of them early. */
    for (int ai = 0; ai < NAANB; ai++)
        add(db, 2, 60 + 5 * ai, ai, period_start(f.qc) + 2, period_start(f.qc) + 30, 2);
    /* A late import for E fills its earlier quarters too, so its figures can be shown now. */
    add(db, 2, 60, SMALL, period_start(f.qa) - 300, period_start(f.qa) + 5, 3);
    add(db, 2, 60, SMALL, period_start(f.qb) - 300, period_start(f.qb) + 5, 3);
    assert_int_equal(
        indicator_store_set_result_links(db, f.result, (int64_t[]){f.uitval, f.starts}, 2), 0);
    exec(db, "INSERT INTO data_change(batch_id, kind, at) VALUES (2, 'import', "
             "'2024-08-01T00:00:00Z');");
    assert_int_equal(store_write_end(f.s, true), 0);
    rebuild_engine();

    char qb[PERIOD_CODE_MAX], qc[PERIOD_CODE_MAX];
    code_of(f.qb, qb);
    code_of(f.qc, qc);

    /* The live figure of A's conversation is now the newer quarter. */
    struct conversation ca;
    assert_int_equal(conversation_get(a, f.s, &f.beleid, f.conv_a, &ca), 0);
    double live = NAN, live_starts = NAN;
    struct period lp, lps;
    assert_int_equal(conv_figure_latest(f.eng, &f.cfg, f.s, &ca, f.uitval, &live, &lp), 0);
    char lpc[PERIOD_CODE_MAX];
    code_of(lp, lpc);
    assert_string_equal(lpc, qc);
    assert_int_equal(conv_figure_latest(f.eng, &f.cfg, f.s, &ca, f.starts, &live_starts, &lps), 0);

    /* Pack first: uitval is in A's pack, so its newest shown value there is the baseline. */
    int64_t ids[2] = {f.uitval, f.starts};
    struct action_baseline *bl = baselines(a, f.conv_a, ids, 2);
    assert_true(bl[0].has_value);
    assert_string_equal(bl[0].period, qb);
    double frozen = pack_value(a, f.conv_a, qb);
    assert_true(isfinite(frozen));
    assert_true(bl[0].value == frozen);
    assert_true(fabs(bl[0].value - live) > 1e-9); /* the newer figure is not taken */
    /* Live second: nieuwe_starts was linked after the pack was made. */
    assert_true(bl[1].has_value);
    assert_true(bl[1].value == live_starts);
    char lpsc[PERIOD_CODE_MAX];
    code_of(lps, lpsc);
    assert_string_equal(bl[1].period, lpsc);

    /* No pack: the live figure. */
    bl = baselines(a, f.conv_a_nopack, ids, 2);
    assert_true(bl[0].has_value);
    assert_string_equal(bl[0].period, qc);
    assert_true(bl[0].value == live);

    /* E: its pack hid uitval; a live figure shows now, but the pack decides. */
    struct conversation ce;
    assert_int_equal(conversation_get(a, f.s, &f.beleid, f.conv_e, &ce), 0);
    double ve;
    struct period pe;
    assert_int_equal(conv_figure_latest(f.eng, &f.cfg, f.s, &ce, f.uitval, &ve, &pe), 0);
    bl = baselines(a, f.conv_e, &f.uitval, 1);
    assert_false(bl[0].has_value);
    assert_null(bl[0].period);
    /* ... while E's conversation without a pack now gets the live figure. */
    bl = baselines(a, f.conv_e_nopack, &f.uitval, 1);
    assert_true(bl[0].has_value);
    assert_true(bl[0].value == ve);

    /* Stored through the domain: the action keeps the pack's baseline and period. */
    bl = baselines(a, f.conv_a, ids, 2);
    struct action_input in = {.conversation_id = f.conv_a,
                              .owner_org_id = f.aanb[0],
                              .description = "Vaste contactpersoon na een afgezegde afspraak.",
                              .expected_effect = "Minder uitval.",
                              .due_on = period_end(f.qc) + 200,
                              .indicator_ids = ids,
                              .nindicators = 2,
                              .baselines = bl,
                              .nbaselines = 2};
    struct err_ctx e = {0};
    int64_t id = 0;
    int rc = action_create(f.s, &f.beleid, &in, &id, a, &e);
    if (rc)
        fail_msg("action_create: %s %s", err_name(rc), e.msg);
    struct improvement_action act;
    assert_int_equal(action_get(a, f.s, &f.beleid, id, &act), 0);
    assert_int_equal(act.nindicators, 2);
    for (int k = 0; k < 2; k++) {
        const struct action_indicator *ai = &act.indicators[k];
        assert_true(ai->has_baseline);
        assert_string_equal(ai->baseline_period, ai->indicator_id == f.uitval ? qb : lpsc);
    }
    arena_free(a);
}

static void outsider_gets_none(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    struct action_baseline *bl = NULL;
    assert_int_equal(
        action_baselines(f.eng, &f.cfg, f.s, a, &f.outsider, f.conv_a, &f.uitval, 1, &bl),
        ERR_NOT_FOUND);
    assert_null(bl);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hidden_gives_no_baseline),
        cmocka_unit_test(pack_first_live_second),
        cmocka_unit_test(outsider_gets_none),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
