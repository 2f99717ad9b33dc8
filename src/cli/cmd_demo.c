/*
 * cmd_demo.c: `duiding demo`: initialises the data directory if needed and fills it with the
 * generated demo region (see domain/demo.c), then with about five years of its intake:
 * generated iJw/iWmo messages and registration exports, imported through the real pipeline
 * (ingest/demo_intake.c), and finally with its indicator material: client-experience survey
 * answers, the standard indicators, targets and result links (ingest/demo_survey.c), and stories
 * and context events (ingest/demo_stories.c), theories of change (ingest/demo_theory.c) and
 * quality conversations with their data packs (ingest/demo_conversations.c; the packs and action
 * baselines are made here, through report/, as hooks). Running it on a filled directory is
 * refused.
 */
#include "cli/cli.h"
#include "cli/init.h"
#include "core/common.h"
#include "core/str.h"
#include "domain/demo.h"
#include "ingest/demo_intake.h"
#include "domain/survey_round.h"
#include "ingest/demo_rounds.h"
#include "ingest/demo_contracts.h"
#include "ingest/demo_framework.h"
#include "ingest/demo_reviews.h"
#include "ingest/demo_stories.h"
#include "ingest/demo_survey.h"
#include "ingest/demo_theory.h"
#include "ingest/demo_conversations.h"
#include "metrics/engine.h"
#include "report/action_movement.h"
#include "report/data_pack.h"
#include "ingest/message.h"
#include "ingest/pseudonym.h"
#include <getopt.h>

/* The intake step: schemas and key as for `duiding import`, then demo_intake. */
static int run_intake(struct cli_ctx *ctx, struct store *s, uint64_t seed, enum demo_size size)
{
    struct msg_schemas *schemas = NULL;
    struct pseudonymiser *ps = NULL;
    struct err_ctx e = {0};
    int rc = CLI_FAIL;
    if (pseudonymiser_open(ctx->cfg.key_path, &ps, &e) != 0 ||
        msg_schemas_load(&schemas, &e) != 0) {
        cli_error("cannot prepare the demo intake: %s", e.msg);
        goto out;
    }
    struct import_env env = {.store = s, .schemas = schemas, .pseudonymiser = ps};
    struct actor who = cli_actor();
    struct demo_intake_summary sum;
    printf("\nImporting about five years of generated intake (%s, period ending %04d-%02d-%02d):\n",
           size == DEMO_SIZE_SMALL ? "klein" : "normaal", DEMO_INTAKE_END_YEAR,
           DEMO_INTAKE_END_MONTH, DEMO_INTAKE_END_DAY);
    fflush(stdout);
    if (demo_intake(&env, &who, seed, size, ctx->data_dir, &sum, stdout, &e) != 0) {
        cli_error("demo intake: %s", e.msg[0] ? e.msg : "failed");
        goto out;
    }
    printf("Intake: %" PRIu64 " batches (%" PRIu64 " failed), %" PRIu64 " messages and %" PRIu64
           " export rows generated; %" PRIu64 " read, %" PRIu64 " accepted, %" PRIu64
           " rejected, %" PRIu64 " skipped; %" PRIu64 " trajectories (%" PRIu64 " open); %" PRIu64
           " mapping profiles (%.1f s)\n",
           sum.batches, sum.failed_batches, sum.messages, sum.rows, sum.read, sum.accepted,
           sum.rejected, sum.skipped, sum.trajectories, sum.open_trajectories, sum.profiles,
           sum.seconds);
    rc = sum.failed_batches ? CLI_FAIL : CLI_OK;
    if (sum.failed_batches)
        cli_error("%" PRIu64 " demo batches failed", sum.failed_batches);
out:
    msg_schemas_free(schemas);
    pseudonymiser_free(ps);
    return rc;
}

/* The indicator step: client-experience answers, the standard set, targets, result links. */
static int run_indicator_material(struct store *s, uint64_t seed, enum demo_size size)
{
    struct err_ctx e = {0};
    struct demo_survey_summary sv;
    struct demo_indicator_summary in;
    if (demo_survey_generate(s, seed, size, &sv, &e) != 0) {
        cli_error("demo survey answers: %s", e.msg[0] ? e.msg : "failed");
        return CLI_FAIL;
    }
    printf("Survey: %" PRIu64 " client-experience responses (%d-%d, %" PRIu64 "-%" PRIu64
           " per gemeente a year), %" PRIu64 " answers, %.1f%% agree, %" PRIu64 " weet niet\n",
           sv.responses, sv.first_year, sv.last_year, sv.min_per_year, sv.max_per_year, sv.answers,
           sv.opinions ? 100.0 * (double)sv.agree / (double)sv.opinions : 0.0, sv.dont_know);
    if (demo_indicator_material(s, &in, &e) != 0) {
        cli_error("demo indicators: %s", e.msg[0] ? e.msg : "failed");
        return CLI_FAIL;
    }
    printf("Indicators: standard set ready (%zu definitions added now), %zu targets, %zu links "
           "to %zu societal results\n",
           in.installed, in.targets, in.links, in.results);
    return CLI_OK;
}

/* The survey step: a Wmo questionnaire per gemeente with a completed and an open round, the
 * completed one tied to the responses written above (ingest/demo_rounds.c). */
static int run_survey_rounds(struct cli_ctx *ctx, struct store *s, uint64_t seed)
{
    struct err_ctx e = {0};
    struct survey_code_key *key = NULL;
    struct demo_rounds_summary sum;
    if (survey_code_key_open(ctx->cfg.key_path, &key, &e) != 0) {
        cli_error("%s", e.msg);
        return CLI_FAIL;
    }
    int rc = demo_rounds_generate(s, key, seed, &sum, &e);
    survey_code_key_free(key);
    if (rc != 0) {
        cli_error("demo survey rounds: %s", e.msg[0] ? e.msg : "failed");
        return CLI_FAIL;
    }
    printf("Survey rounds: %d questionnaires, %d rounds, %" PRId64 " invitation codes, %" PRId64
           " responses in the %d rounds (%.1f%% response)\n",
           sum.surveys, sum.rounds, sum.invitations, sum.responses, sum.year,
           sum.completed_invitations
               ? 100.0 * (double)sum.responses / (double)sum.completed_invitations
               : 0.0);
    return CLI_OK;
}

/* Stories and context events (ingest/demo_stories.c). */
static int run_stories(struct store *s, uint64_t seed)
{
    struct err_ctx e = {0};
    struct demo_stories_summary sum;
    if (demo_stories_generate(s, seed, &sum, &e) != 0) {
        cli_error("demo stories: %s", e.msg[0] ? e.msg : "failed");
        return CLI_FAIL;
    }
    printf("Stories: %zu (%zu publicatie, %zu gesprek, %zu intern), %zu links to indicators, "
           "%zu to societal results; %zu context events\n",
           sum.stories, sum.publicatie, sum.gesprek, sum.intern, sum.indicator_links,
           sum.result_links, sum.events);
    return CLI_OK;
}

/* Theories of change for two results per gemeente (ingest/demo_theory.c). */
static int run_theory(struct store *s)
{
    struct err_ctx e = {0};
    struct demo_theory_summary sum;
    if (demo_theory_generate(s, &sum, &e) != 0) {
        cli_error("demo verandertheorie: %s", e.msg[0] ? e.msg : "failed");
        return CLI_FAIL;
    }
    printf("Theories of change: %zu with %zu activities in %zu versions\n", sum.theories,
           sum.activities, sum.versions);
    return CLI_OK;
}

/* The report/ work the demo conversations need (ingest/ may not call report/). */
struct conv_env {
    struct mx_engine *eng;
    const struct config *cfg;
    struct store *s;
};

static int conv_prepare(void *ctx, const struct actor *who, int64_t id, struct err_ctx *e)
{
    struct conv_env *env = ctx;
    struct arena *a = arena_new(0);
    struct data_pack pack;
    int rc = a ? data_pack_build(a, env->s, env->eng, env->cfg, who, id, &pack, e) : ERR_NOMEM;
    arena_free(a);
    return rc;
}

static int conv_baselines(void *ctx, struct arena *a, const struct actor *who, int64_t id,
                          const int64_t *ids, int n, struct action_baseline **out)
{
    struct conv_env *env = ctx;
    return action_baselines(env->eng, env->cfg, env->s, a, who, id, ids, n, out);
}

/* Conversations per gemeente with their data packs (ingest/demo_conversations.c). */
static int run_conversations(struct cli_ctx *ctx, struct store *s)
{
    struct err_ctx e = {0};
    struct demo_conversations_summary sum;
    struct conv_env env = {.cfg = &ctx->cfg, .s = s};
    if (mx_engine_build(store_reader(s), &env.eng, &e) != 0) {
        cli_error("demo gesprekken: cannot build the indicator engine: %s", e.msg);
        return CLI_FAIL;
    }
    struct demo_conv_hooks hooks = {
        .ctx = &env, .prepare = conv_prepare, .baselines = conv_baselines};
    int rc = demo_conversations_generate(s, &hooks, &sum, &e);
    mx_engine_free(env.eng);
    if (rc != 0) {
        demo_conversations_summary_free(&sum);
        cli_error("demo gesprekken: %s", e.msg[0] ? e.msg : "failed");
        return CLI_FAIL;
    }
    printf("Conversations: %zu held (%zu phase notes, %zu preparation notes, %zu approvals, %zu "
           "evaluations), %zu planned follow-ups, %zu voorkant; %zu data packs; %zu actions "
           "(%zu open, %zu bezig, %zu klaar, %zu vervallen)\n",
           sum.held, sum.phase_notes, sum.prep_notes, sum.approvals, sum.evaluations, sum.followups,
           sum.voorkant, sum.packs, sum.actions, sum.actions_by_status[ACTION_OPEN],
           sum.actions_by_status[ACTION_BEZIG], sum.actions_by_status[ACTION_KLAAR],
           sum.actions_by_status[ACTION_VERVALLEN]);
    if (sum.nlogins > 0) {
        printf("More demo logins for the conversations (password %s):\n", DEMO_PASSWORD);
        for (int i = 0; i < sum.nlogins; i++)
            printf("  %-24s %-13s %s\n", sum.logins[i].login, sum.logins[i].role,
                   sum.logins[i].org_name);
    }
    demo_conversations_summary_free(&sum);
    return CLI_OK;
}

/* The regional quality framework with its duplicates to find (ingest/demo_framework.c). */
static int run_framework(struct store *s)
{
    struct err_ctx e = {0};
    struct demo_framework_summary sum;
    if (demo_framework_generate(s, &sum, &e) != 0) {
        cli_error("demo kwaliteitskader: %s", e.msg[0] ? e.msg : "failed");
        return CLI_FAIL;
    }
    printf("Kwaliteitskader: %d criteria in %d themes (%d local), %d possible duplicates\n",
           sum.criteria, sum.themes, sum.local, sum.duplicates);
    return CLI_OK;
}

/* Contracts with outcome agreements and claims (ingest/demo_contracts.c). */
static int run_contracts(struct cli_ctx *ctx, struct store *s, uint64_t seed)
{
    struct err_ctx e = {0};
    struct demo_contracts_summary sum = {0};
    if (demo_contracts_generate(s, &ctx->cfg, seed, &sum, &e) != 0) {
        cli_error("demo contracten: %s", e.msg[0] ? e.msg : "failed");
        return CLI_FAIL;
    }
    if (sum.line[0])
        printf("%s\n", sum.line);
    return CLI_OK;
}

/* Provider reviews against the framework (ingest/demo_reviews.c). */
static int run_reviews(struct store *s, uint64_t seed)
{
    struct err_ctx e = {0};
    struct demo_reviews_summary sum = {0};
    if (demo_reviews_generate(s, seed, &sum, &e) != 0) {
        cli_error("demo toetsing: %s", e.msg[0] ? e.msg : "failed");
        return CLI_FAIL;
    }
    if (sum.line[0])
        printf("%s\n", sum.line);
    return CLI_OK;
}

int cmd_demo(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"seed", required_argument, NULL, 's'},
        {"omvang", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int64_t seed = DEMO_DEFAULT_SEED;
    /* $DUIDING_DEMO_OMVANG sets the default: the test harness (tests/lib/server.mjs) sets it to
     * klein so that every test's demo stays small, also where a test calls `demo` itself. */
    const char *env_size = getenv("DUIDING_DEMO_OMVANG");
    enum demo_size size = env_size && *env_size ? demo_size_parse(env_size) : DEMO_SIZE_NORMAL;
    if (size == DEMO_SIZE_NONE) {
        cli_error("DUIDING_DEMO_OMVANG must be klein or normaal");
        return CLI_USAGE;
    }
    int c;
    bool created;
    while ((c = getopt_long(argc, argv, "s:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            if (str_parse_i64_c(optarg, 0, INT64_MAX, &seed)) {
                cli_error("--seed must be a non-negative whole number");
                return CLI_USAGE;
            }
            break;
        case 'o':
            size = demo_size_parse(optarg);
            if (size == DEMO_SIZE_NONE) {
                cli_error("--omvang must be klein or normaal");
                return CLI_USAGE;
            }
            break;
        case 'h':
            printf("Usage: duiding [-d DIR] demo [--seed N] [--omvang klein|normaal]\n\n"
                   "Creates DIR if needed and fills it with the demo region Zuid-Drenthe and\n"
                   "five years of its intake (iJw/iWmo messages and registration exports,\n"
                   "imported like real deliveries). --omvang klein makes a few hundred\n"
                   "trajectories (for tests), normaal (default, or $DUIDING_DEMO_OMVANG) tens of\n"
                   "thousands. The same seed gives the same data: the period ends on a fixed\n"
                   "date, %04d-%02d-%02d.\n",
                   DEMO_INTAKE_END_YEAR, DEMO_INTAKE_END_MONTH, DEMO_INTAKE_END_DAY);
            return CLI_OK;
        default:
            return CLI_USAGE;
        }
    }
    if (cli_ensure_initialised(ctx, &created) != CLI_OK)
        return CLI_FAIL;
    struct store *s = NULL;
    if (cli_open_store(ctx, &s) != CLI_OK)
        return CLI_FAIL;
    struct err_ctx e = {0};
    printf("Generating the demo region in %s (seed %" PRId64 ")...\n", ctx->data_dir, seed);
    int rc = demo_generate(s, (uint64_t)seed, stdout, &e);
    if (rc != 0) {
        store_close(s);
        cli_error("%s", e.msg[0] ? e.msg : "demo generation failed");
        return CLI_FAIL;
    }
    int ret = run_intake(ctx, s, (uint64_t)seed, size);
    if (ret == CLI_OK)
        ret = run_indicator_material(s, (uint64_t)seed, size);
    if (ret == CLI_OK)
        ret = run_survey_rounds(ctx, s, (uint64_t)seed);
    if (ret == CLI_OK)
        ret = run_stories(s, (uint64_t)seed);
    if (ret == CLI_OK)
        ret = run_framework(s);
    if (ret == CLI_OK)
        ret = run_contracts(ctx, s, (uint64_t)seed);
    if (ret == CLI_OK)
        ret = run_theory(s);
    if (ret == CLI_OK)
        ret = run_conversations(ctx, s);
    if (ret == CLI_OK)
        ret = run_reviews(s, (uint64_t)seed);
    store_close(s);
    return ret;
}
