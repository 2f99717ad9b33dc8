/*
 * demo_conversations.h: the demo's quality conversations. After the demo gemeenten, their
 * results, users, indicators, stories and theories of change exist, this writes per demo
 * gemeente a held achterkant conversation (in the last quarter before the demo's end date) with
 * two aanbieders and duos from every side: preparation notes (one shared, one not), notes in the
 * four phases, summary and conclusions approved by every side, improvement actions in every
 * status and four evaluations; then a planned follow-up conversation (previous_id = the held
 * one). One gemeente also gets a held voorkant conversation with the four starter questions
 * answered in its theory of change. A few extra demo users make the duos (a contract user per
 * gemeente, a kwaliteit and a professional user at the second aanbieder). Everything goes
 * through the domain API (policy, validation, audit). Deterministic: no randomness, fixed dates.
 *
 * The data packs and action baselines are report/ work, which ingest/ may not call: the caller
 * (cli/cmd_demo.c) passes hooks for them.
 */
#ifndef DUIDING_INGEST_DEMO_CONVERSATIONS_H
#define DUIDING_INGEST_DEMO_CONVERSATIONS_H

#include "core/arena.h"
#include "core/err.h"
#include "domain/action.h"
#include "domain/actor.h"
#include "store/store.h"
#include <stddef.h>
#include <stdint.h>

#define DEMO_CONV_MAX       32 /* follow-ups remembered in the summary */
#define DEMO_CONV_MAX_USERS 16 /* extra logins remembered in the summary */

/* What the caller does for the demo (both optional: NULL skips the step). */
struct demo_conv_hooks {
    void *ctx;
    /* Freezes the data pack of a planned conversation as `who` (report/data_pack.h). */
    int (*prepare)(void *ctx, const struct actor *who, int64_t conversation_id, struct err_ctx *e);
    /* Baselines for the indicators ids of a new action (report/action_movement.h); *out an
     * array of n in a. */
    int (*baselines)(void *ctx, struct arena *a, const struct actor *who, int64_t conversation_id,
                     const int64_t *ids, int n, struct action_baseline **out);
};

struct demo_conv_login {
    const char *login; /* static or owned by the summary's arena: valid until ..._free */
    const char *role;  /* role code */
    const char *org_name;
};

struct demo_conversations_summary {
    size_t held, followups, voorkant, prep_notes, phase_notes, actions, evaluations, approvals,
        packs;
    size_t actions_by_status[5]; /* index enum action_status */
    int64_t held_ids[DEMO_CONV_MAX], followup_ids[DEMO_CONV_MAX];
    int nheld, nfollowup_ids;
    int64_t voorkant_id;
    struct demo_conv_login logins[DEMO_CONV_MAX_USERS]; /* the demo users added here */
    int nlogins;
    struct arena *arena; /* owns the strings above */
};

/** Writes the demo conversations. 0, or an error in e. Free the summary with
 * demo_conversations_summary_free (also after an error). */
int demo_conversations_generate(struct store *s, const struct demo_conv_hooks *hooks,
                                struct demo_conversations_summary *out, struct err_ctx *e);
void demo_conversations_summary_free(struct demo_conversations_summary *sum);

#endif
