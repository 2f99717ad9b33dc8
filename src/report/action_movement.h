/*
 * action_movement.h: "how did it move since": for the indicators an improvement action links,
 * the baseline recorded when it was agreed against the newest shown figure of the action's
 * conversation scope (report/conversation_figures.h, disclosed through metrics/view.h), judged
 * with the indicator's polarity: better, worse, or the same when the baseline lies within the
 * 95% interval of the current figure. Also computes the baselines to store for newly linked
 * indicators (from the conversation's frozen data pack when it holds them, else live). Used by the
 * action pages and API. docs/conversations.md "Improvement actions".
 */
#ifndef DUIDING_REPORT_ACTION_MOVEMENT_H
#define DUIDING_REPORT_ACTION_MOVEMENT_H

#include "core/arena.h"
#include "core/config.h"
#include "core/err.h"
#include "core/period.h"
#include "domain/action.h"
#include "metrics/definition.h"
#include "metrics/engine.h"
#include "store/store.h"
#include <stdbool.h>
#include <stdint.h>

#define ACTION_MOVE_QUARTERS 8 /* quarters looked back for the newest shown figure */

enum action_move {
    MOVE_UNKNOWN = 0, /* no baseline or no current figure (hidden or absent) */
    MOVE_SAME,        /* equal, or the baseline within the interval of the current figure */
    MOVE_BETTER,
    MOVE_WORSE,
    MOVE_HIGHER, /* neutral indicators: only the direction */
    MOVE_LOWER,
};

const char *action_move_code(enum action_move m);     /* "onbekend", "gelijk", "beter", ... */
const char *action_move_label(enum action_move m);    /* translated, in words (never colour only) */
enum action_move action_move_parse(const char *code); /* MOVE_UNKNOWN when not a code */

/**
 * Judges a movement from base to now. lo and hi: the 95% interval of now (NAN when it has
 * none, e.g. not a proportion); a baseline inside it counts as the same. NAN base or now:
 * MOVE_UNKNOWN.
 */
enum action_move action_move_classify(enum ind_polarity pol, double base, double now, double lo,
                                      double hi);

/* The movement of one linked indicator, with the numbers formatted in the indicator's unit. */
struct action_move_row {
    int64_t indicator_id;
    const char *name;
    bool has_baseline;
    double baseline;
    const char *baseline_period; /* as stored: "2025-Q4" */
    bool has_now;
    double now, lo, hi;
    char now_period[PERIOD_CODE_MAX];
    char baseline_text[32], now_text[32]; /* "12,5%"; "–" when absent */
    enum action_move move;
};

/**
 * The movement of every indicator of act, computed for act's conversation as the actor sees it
 * (conversation_get: no conversation, no current figures). Never fails for one indicator: a
 * figure that cannot be computed is MOVE_UNKNOWN. Arena array of act->nindicators rows.
 */
int action_movements(struct mx_engine *eng, const struct config *cfg, struct store *s,
                     struct arena *a, const struct actor *who, const struct improvement_action *act,
                     struct action_move_row **out, int *n);

/**
 * Baselines for linking ids to an action of conversation conv_id, with their period. When the
 * conversation's newest frozen data pack (report/data_pack.h) holds an indicator, the newest
 * shown value of the pack's series for the whole scope is taken (what was on the table; the
 * pack decides even when it hid every value). Otherwise the newest shown live figure of the
 * conversation's scope (conv_figure_latest: ACTION_MOVE_QUARTERS back from today). has_value
 * false when the value is hidden or absent (never 0). Arena array of n. 0, ERR_NOT_FOUND
 * (conversation).
 */
int action_baselines(struct mx_engine *eng, const struct config *cfg, struct store *s,
                     struct arena *a, const struct actor *who, int64_t conv_id, const int64_t *ids,
                     int n, struct action_baseline **out);

#endif
