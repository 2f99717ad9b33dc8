/*
 * test_demo_conversations.c: the demo's quality conversations (ingest/demo_conversations.c) on a
 * demo region with its indicators and theories (no intake: the data packs are the caller's
 * hook, recorded here): per gemeente a held, concluded and fully approved conversation with
 * duos from both sides, notes in the four phases, preparation notes that stay on their own side
 * until shared, actions in every status (one overdue, the dropped one with a reason), four
 * evaluations and a follow-up pointing back; the voorkant conversation's starter answers in the
 * theory; the extra logins; determinism.
 */
#include "ingest/demo_conversations.h"
#include "core/common.h"
#include "support/fixture.h"
#include "domain/action.h"
#include "domain/auth.h"
#include "domain/conversation.h"
#include "domain/demo.h"
#include "domain/demo_data.h"
#include "domain/theory.h"
#include "domain/user.h"
#include "ingest/demo_intake.h"
#include "ingest/demo_survey.h"
#include "ingest/demo_theory.h"
#include <setjmp.h>
#include <cmocka.h>

struct hook_log {
    int64_t prepared[64];
    int nprepared;
    int baseline_calls;
};

struct demo_db {
    char dir[64], path[128];
    struct store *s;
    struct demo_conversations_summary sum;
    struct hook_log log;
};

struct fixture {
    struct demo_db a, b;
};

static int hook_prepare(void *ctx, const struct actor *who, int64_t id, struct err_ctx *e)
{
    (void)e;
    struct hook_log *log = ctx;
    /* The actor must be one who may edit (make a pack for) the conversation. */
    if (!who || who->user_id <= 0 || log->nprepared >= 64)
        return ERR_INVALID;
    log->prepared[log->nprepared++] = id;
    return 0;
}

static int hook_baselines(void *ctx, struct arena *a, const struct actor *who, int64_t id,
                          const int64_t *ids, int n, struct action_baseline **out)
{
    (void)who;
    (void)id;
    struct hook_log *log = ctx;
    log->baseline_calls++;
    *out = arena_calloc(a, (size_t)n, sizeof **out);
    for (int i = 0; *out && i < n; i++)
        (*out)[i] = (struct action_baseline){
            .indicator_id = ids[i], .has_value = true, .value = 40.0 + i, .period = "2026-Q2"};
    return *out ? 0 : ERR_NOMEM;
}

static void make_db(struct demo_db *d)
{
    struct err_ctx e = {0};
    struct demo_indicator_summary in;
    struct demo_theory_summary th;
    ts_store_open("democonv", d->dir, d->path, &d->s);
    if (demo_generate(d->s, DEMO_DEFAULT_SEED, NULL, &e) ||
        demo_indicator_material(d->s, &in, &e) || demo_theory_generate(d->s, &th, &e))
        fail_msg("demo setup: %s", e.msg);
    struct demo_conv_hooks hooks = {
        .ctx = &d->log, .prepare = hook_prepare, .baselines = hook_baselines};
    int rc = demo_conversations_generate(d->s, &hooks, &d->sum, &e);
    if (rc)
        fail_msg("demo_conversations_generate: %s", e.msg);
}

static int group_setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_int_equal(auth_init(), 0);
    make_db(&f->a);
    make_db(&f->b);
    *state = f;
    return 0;
}

static int group_teardown(void **state)
{
    struct fixture *f = *state;
    struct demo_db *ds[2] = {&f->a, &f->b};
    for (int i = 0; i < 2; i++) {
        demo_conversations_summary_free(&ds[i]->sum);
        store_close(ds[i]->s);
        ts_rm_dir(ds[i]->dir);
    }
    free(f);
    return 0;
}

static struct actor login_actor(struct store *s, struct arena *a, const char *login)
{
    struct user_filter f = {.q = login, .limit = 50};
    struct user *us = NULL;
    struct actor who;
    int n = 0, total = 0;
    assert_int_equal(user_list(a, s, &ts_admin, &f, &us, &n, &total), 0);
    for (int i = 0; i < n; i++)
        if (strcmp(us[i].login, login) == 0) {
            assert_int_equal(auth_actor_for_user(a, s, us[i].id, &who), 0);
            return who;
        }
    fail_msg("no demo user %s", login);
    return who;
}

static struct actor gemeente_beleid(struct store *s, struct arena *a, const struct conversation *c)
{
    struct user_filter f = {.org_id = c->owner_org_id, .q = "beleid.", .limit = 10};
    struct user *us = NULL;
    struct actor who;
    int n = 0, total = 0;
    assert_int_equal(user_list(a, s, &ts_admin, &f, &us, &n, &total), 0);
    assert_true(n >= 1);
    assert_int_equal(auth_actor_for_user(a, s, us[0].id, &who), 0);
    return who;
}

static void test_counts(void **state)
{
    struct fixture *f = *state;
    const struct demo_conversations_summary *sum = &f->a.sum;
    assert_int_equal(sum->held, DEMO_GEMEENTE_COUNT);
    assert_int_equal(sum->followups, DEMO_GEMEENTE_COUNT);
    assert_int_equal(sum->voorkant, 1);
    assert_int_equal(sum->phase_notes, DEMO_GEMEENTE_COUNT * CONV_PHASES);
    assert_int_equal(sum->evaluations, DEMO_GEMEENTE_COUNT * 4);
    assert_int_equal(sum->approvals, DEMO_GEMEENTE_COUNT * 3); /* gemeente + two aanbieders */
    assert_int_equal(sum->actions, DEMO_GEMEENTE_COUNT * 5);
    for (int st = ACTION_OPEN; st <= ACTION_VERVALLEN; st++)
        assert_true(sum->actions_by_status[st] >= DEMO_GEMEENTE_COUNT);
    /* Packs: one for each held conversation (before holding) and each follow-up. */
    assert_int_equal(sum->packs, 2 * DEMO_GEMEENTE_COUNT);
    assert_int_equal(f->a.log.nprepared, 2 * DEMO_GEMEENTE_COUNT);
    assert_int_equal(f->a.log.baseline_calls, DEMO_GEMEENTE_COUNT * 5);
    /* New logins: a contract user per gemeente and two at the second aanbieder. */
    assert_int_equal(sum->nlogins, DEMO_GEMEENTE_COUNT + 2);
    int contracts = 0;
    for (int i = 0; i < sum->nlogins; i++)
        contracts += strncmp(sum->logins[i].login, "contract.", 9) == 0 &&
                     strcmp(sum->logins[i].role, "contract") == 0;
    assert_int_equal(contracts, DEMO_GEMEENTE_COUNT);
}

static void test_held(void **state)
{
    struct fixture *f = *state;
    struct store *s = f->a.s;
    struct arena *a = arena_new(0);
    struct actor kwal = login_actor(s, a, "kwaliteit.aanbieder");
    struct actor hunze = login_actor(s, a, "kwaliteit.hunzedal");
    day_t end = day_from_ymd(DEMO_INTAKE_END_YEAR, DEMO_INTAKE_END_MONTH, DEMO_INTAKE_END_DAY);
    for (int i = 0; i < f->a.sum.nheld; i++) {
        int64_t id = f->a.sum.held_ids[i];
        struct conversation c;
        /* The aanbieder's quality officer is a member of every held conversation. */
        assert_int_equal(conversation_get(a, s, &kwal, id, &c), 0);
        assert_int_equal(c.kind, CONV_ACHTERKANT);
        assert_int_equal(c.status, CONV_AFGEROND);
        assert_true(c.minutes_approved);
        assert_int_equal(c.nparties, 3);
        assert_true(c.held_on < end && c.held_on >= end - 130);
        assert_true(c.summary && strlen(c.summary) > 100);
        /* Duos: two people of every party. */
        for (int p = 0; p < c.nparties; p++)
            assert_int_equal(conversation_count_participants_of(&c, c.parties[p].org_id), 2);
        struct actor beleid = gemeente_beleid(s, a, &c);

        struct conv_phase_notes ph[CONV_PHASES];
        assert_int_equal(conversation_phases(a, s, &beleid, id, ph), 0);
        for (int p = 0; p < CONV_PHASES; p++) {
            assert_true(ph[p].notes && strlen(ph[p].notes) > 200);
            assert_true(ph[p].planned_minutes > 0);
        }

        /* Preparation notes: each side sees its own two and the other side's shared one. */
        struct conv_prep_note *notes = NULL;
        int n = 0;
        assert_int_equal(conversation_prep_notes(a, s, &beleid, id, &notes, &n), 0);
        assert_int_equal(n, 3);
        assert_int_equal(conversation_prep_notes(a, s, &kwal, id, &notes, &n), 0);
        assert_int_equal(n, 3);
        assert_int_equal(conversation_prep_notes(a, s, &hunze, id, &notes, &n), 0);
        assert_int_equal(n, 2); /* nothing of its own: only the two shared ones */
        for (int k = 0; k < n; k++)
            assert_non_null(notes[k].shared_at);

        /* Actions in every status; the dropped one has a reason; one is overdue. */
        struct action_filter af = {.conversation_id = id, .today = end};
        struct improvement_action *acts = NULL;
        int na = 0, total = 0;
        assert_int_equal(action_list(a, s, &beleid, &af, &acts, &na, &total), 0);
        assert_int_equal(na, 5);
        int seen[5] = {0}, overdue = 0, linked = 0;
        for (int k = 0; k < na; k++) {
            seen[acts[k].status]++;
            overdue += action_is_overdue(&acts[k], end);
            linked += acts[k].nindicators > 0;
            assert_true(acts[k].due_on != 0);
            if (acts[k].status == ACTION_VERVALLEN)
                assert_true(acts[k].drop_reason && strlen(acts[k].drop_reason) > 10);
        }
        for (int st = ACTION_OPEN; st <= ACTION_VERVALLEN; st++)
            assert_true(seen[st] >= 1);
        assert_int_equal(overdue, 1);
        assert_int_equal(linked, 5);

        struct conv_eval_stats ev;
        assert_int_equal(conversation_evaluation_summary(a, s, &beleid, id, &ev), 0);
        assert_int_equal(ev.nevaluations, 4);
        assert_true(ev.shown);
        assert_true(ev.avg_rating >= 3.0 && ev.avg_rating <= 5.0);
    }
    arena_free(a);
}

static void test_followups(void **state)
{
    struct fixture *f = *state;
    struct store *s = f->a.s;
    struct arena *a = arena_new(0);
    struct actor kwal = login_actor(s, a, "kwaliteit.aanbieder");
    struct actor raad = login_actor(s, a, "raad.emmen");
    assert_int_equal(f->a.sum.nfollowup_ids, DEMO_GEMEENTE_COUNT);
    for (int i = 0; i < f->a.sum.nfollowup_ids; i++) {
        int64_t id = f->a.sum.followup_ids[i];
        struct conversation c, prev;
        assert_int_equal(conversation_get(a, s, &kwal, id, &c), 0);
        assert_int_equal(c.status, CONV_GEPLAND); /* the test's hook makes no real pack */
        assert_int_equal(c.previous_id, f->a.sum.held_ids[i]);
        assert_int_equal(conversation_get(a, s, &kwal, c.previous_id, &prev), 0);
        assert_true(c.held_on > prev.held_on);
        assert_int_equal(c.nresults, prev.nresults);
        /* The hook was asked for the held one's pack first, then the follow-up's. */
        assert_int_equal(f->a.log.prepared[2 * i], prev.id);
        assert_int_equal(f->a.log.prepared[2 * i + 1], id);
        /* A raad member is no member of the conversation. */
        assert_int_equal(conversation_get(a, s, &raad, id, &c), ERR_NOT_FOUND);
    }
    arena_free(a);
}

static void test_voorkant(void **state)
{
    struct fixture *f = *state;
    struct store *s = f->a.s;
    struct arena *a = arena_new(0);
    struct actor beleid = login_actor(s, a, "beleid.emmen");
    struct conversation c;
    assert_int_equal(conversation_get(a, s, &beleid, f->a.sum.voorkant_id, &c), 0);
    assert_int_equal(c.kind, CONV_VOORKANT);
    assert_int_equal(c.status, CONV_AFGEROND);
    assert_int_equal(c.nresults, 1);
    struct theory t;
    assert_int_equal(theory_get(a, s, &beleid, c.result_ids[0], &t), 0);
    assert_true(t.version >= 1);
    for (int q = 0; q < THEORY_STARTERS; q++)
        assert_true(t.starters[q] && strlen(t.starters[q]) > 40);
    assert_non_null(strstr(t.starters[0], "Emmen"));
    arena_free(a);
}

/* The same seed gives the same conversations: titles, dates, notes, actions. */
static void dump(struct demo_db *d, struct buf *b)
{
    struct arena *a = arena_new(0);
    struct actor kwal = login_actor(d->s, a, "kwaliteit.aanbieder");
    struct conversation *cs = NULL;
    int n = 0, total = 0;
    struct conv_filter cf = {.limit = 100};
    assert_int_equal(conversation_list(a, d->s, &kwal, &cf, &cs, &n, &total), 0);
    assert_true(n >= 2 * DEMO_GEMEENTE_COUNT);
    for (int i = 0; i < n; i++) {
        struct conv_phase_notes ph[CONV_PHASES];
        assert_int_equal(conversation_phases(a, d->s, &kwal, cs[i].id, ph), 0);
        buf_appendf(b, "%s|%d|%d|%s|%s\n", cs[i].title, (int)cs[i].held_on, (int)cs[i].status,
                    cs[i].summary ? cs[i].summary : "", ph[PHASE_BEGRIJPEN].notes);
    }
    struct action_filter af = {.limit = 100};
    struct improvement_action *acts = NULL;
    assert_int_equal(action_list(a, d->s, &kwal, &af, &acts, &n, &total), 0);
    for (int i = 0; i < n; i++)
        buf_appendf(b, "%s|%d|%d\n", acts[i].description, (int)acts[i].due_on, (int)acts[i].status);
    arena_free(a);
}

static void test_deterministic(void **state)
{
    struct fixture *f = *state;
    struct buf x, y;
    buf_init(&x, 1u << 22);
    buf_init(&y, 1u << 22);
    dump(&f->a, &x);
    dump(&f->b, &y);
    assert_true(strlen(buf_cstr(&x)) > 1000);
    assert_string_equal(buf_cstr(&x), buf_cstr(&y));
    buf_release(&x);
    buf_release(&y);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),        cmocka_unit_test(test_held),
        cmocka_unit_test(test_followups),     cmocka_unit_test(test_voorkant),
        cmocka_unit_test(test_deterministic),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
