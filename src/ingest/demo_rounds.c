/*
 * demo_rounds.c: the demo's questionnaires and survey rounds (demo_rounds.h). Everything goes
 * through the domain (domain/survey.h, domain/survey_round.h) as a beheerder-like demo actor,
 * so the rounds carry audit events like real ones; only linking the already generated
 * responses and marking codes used are demo-only store calls.
 */
#include "ingest/demo_rounds.h"
#include "core/arena.h"
#include "core/common.h"
#include "core/rng.h"
#include "core/str.h"
#include "domain/org.h"
#include "domain/survey.h"
#include "domain/survey_round.h"
#include "ingest/demo_intake.h"
#include "store/round_store.h"

#define ROUNDS_STEP       "uitvragen" /* seeds this generator's own stream */
#define RATE_MIN_PERMILLE 300
#define RATE_SPREAD       151 /* 30.0% .. 45.0% */
#define OPEN_ROUND_CODES  40  /* codes of the current, still open round */
#define MAX_GEMEENTEN     64

static const struct actor demo_actor = {
    .user_id = -1, .org_kind = ORG_REGION, .roles = ROLE_ALL, .display_name = "demo"};

static int fail(struct err_ctx *e, int rc, const char *what, const char *gemeente)
{
    char why[ERR_MSG_MAX];
    /* Copied first: e->msg is both the reason and the destination. */
    snprintf(why, sizeof why, "%s", e && e->msg[0] ? e->msg : err_name(rc));
    return err_set(e, rc, NULL, "%s for %s: %s", what, gemeente, why);
}

/* The completed round of `year`: codes for the responses at the gemeente's response rate. */
static int completed_round(struct store *s, const struct survey_code_key *key, struct rng *r,
                           int64_t survey_id, const char *gm, int year,
                           struct demo_rounds_summary *out, struct err_ctx *e)
{
    struct round_input in = {.survey_id = survey_id,
                             .gemeente = gm,
                             .law = 2,
                             .opens_on = day_from_ymd(year, 1, 1),
                             .closes_on = day_from_ymd(year, 12, 31)};
    char name[64];
    snprintf(name, sizeof name, "Cliëntervaring Wmo %d", year);
    in.name = name;
    int64_t rid = 0, linked = 0;
    int rc = round_create(s, &demo_actor, &in, &rid, e);
    if (rc)
        return fail(e, rc, "round", gm);
    struct db *db = NULL;
    if ((rc = store_write_begin(s, &db)))
        return fail(e, rc, "round responses", gm);
    rc = round_store_demo_link(db, rid, gm, in.opens_on, in.closes_on, &linked);
    int end = store_write_end(s, rc == 0);
    if (rc || end)
        return fail(e, rc ? rc : end, "round responses", gm);
    int rate = RATE_MIN_PERMILLE + (int)rng_below(r, RATE_SPREAD);
    int64_t codes = (linked * 1000 + rate - 1) / rate;
    if (codes < 1)
        codes = 1;
    if (codes > ROUND_MAX_CODES)
        codes = ROUND_MAX_CODES;
    if ((rc = round_make_codes(s, key, &demo_actor, rid, (int)codes, e)) ||
        (rc = round_set_status(s, &demo_actor, rid, ROUND_OPEN, e)))
        return fail(e, rc, "round codes", gm);
    if ((rc = store_write_begin(s, &db)))
        return fail(e, rc, "round counts", gm);
    rc = round_store_demo_complete(db, rid, linked < codes ? linked : codes, linked);
    end = store_write_end(s, rc == 0);
    if (rc || end)
        return fail(e, rc ? rc : end, "round counts", gm);
    if ((rc = round_set_status(s, &demo_actor, rid, ROUND_CLOSED, e)))
        return fail(e, rc, "round close", gm);
    out->rounds++;
    out->invitations += codes;
    out->completed_invitations += codes;
    out->responses += linked;
    return 0;
}

/* The current round: open until the end of the year, a few unused codes (to try answering). */
static int open_round(struct store *s, const struct survey_code_key *key, int64_t survey_id,
                      const char *gm, struct demo_rounds_summary *out, struct err_ctx *e)
{
    int y = DEMO_INTAKE_END_YEAR;
    struct round_input in = {.survey_id = survey_id,
                             .gemeente = gm,
                             .law = 2,
                             .opens_on = day_from_ymd(y, DEMO_INTAKE_END_MONTH, 1),
                             .closes_on = day_from_ymd(y, 12, 31)};
    char name[64];
    snprintf(name, sizeof name, "Cliëntervaring Wmo %d", y);
    in.name = name;
    int64_t rid = 0;
    int rc = round_create(s, &demo_actor, &in, &rid, e);
    if (!rc)
        rc = round_make_codes(s, key, &demo_actor, rid, OPEN_ROUND_CODES, e);
    if (!rc)
        rc = round_set_status(s, &demo_actor, rid, ROUND_OPEN, e);
    if (rc)
        return fail(e, rc, "open round", gm);
    out->rounds++;
    out->invitations += OPEN_ROUND_CODES;
    return 0;
}

int demo_rounds_generate(struct store *s, const struct survey_code_key *key, uint64_t seed,
                         struct demo_rounds_summary *out, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    memset(out, 0, sizeof *out);
    if (!a)
        return err_set(e, ERR_NOMEM, NULL, "out of memory");
    struct org_filter f = {.kind = ORG_GEMEENTE, .limit = ORG_LIST_MAX};
    struct org *gem = NULL;
    int ngem = 0, total = 0;
    int rc = org_list(a, s, &demo_actor, &f, &gem, &ngem, &total);
    if (rc) {
        rc = err_set(e, rc, NULL, "cannot list the demo gemeenten: %s", err_name(rc));
        goto done;
    }
    /* The last year the demo intake covers whole (it ends on 1 November). */
    out->year = DEMO_INTAKE_END_YEAR - 1;
    for (int i = 0; i < ngem && i < MAX_GEMEENTEN; i++) {
        const char *cbs = gem[i].cbs_code;
        if (!cbs || strlen(cbs) != 6)
            continue;
        const char *gm = cbs + 2;
        struct rng r;
        rng_seed(&r, seed ^ rng_hash_name(ROUNDS_STEP) ^ rng_hash_name(gm));
        int64_t sid = 0;
        if ((rc = survey_create(s, &demo_actor, gem[i].id, "wmo-cevo", NULL, 0, &sid, e))) {
            rc = fail(e, rc, "questionnaire", gm);
            goto done;
        }
        out->surveys++;
        if ((rc = completed_round(s, key, &r, sid, gm, out->year, out, e)) ||
            (rc = open_round(s, key, sid, gm, out, e)))
            goto done;
    }
done:
    arena_free(a);
    return rc;
}
