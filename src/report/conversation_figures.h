/*
 * conversation_figures.h: the figures of a quality conversation, as every participant may see
 * them. The scope of a conversation is its gemeente's residents (the conversation's gemeente,
 * or the owner's; a region owner: its gemeenten), narrowed to the one aanbieder party when
 * there is exactly one; the audience is the strictest of the parties' audiences (an aanbieder
 * party makes it DC_PROVIDER; an invited raad member DC_PUBLISHED), so nothing is shown in the
 * pack that one of the sides could not see on its own pages. The benchmark runs over the other
 * aanbieders. All figures pass through metrics/view.h (disclosure control); none is raw.
 * Used by the data pack (report/data_pack.h) and by action pages for "how did it move since".
 */
#ifndef DUIDING_REPORT_CONVERSATION_FIGURES_H
#define DUIDING_REPORT_CONVERSATION_FIGURES_H

#include "core/arena.h"
#include "core/config.h"
#include "core/err.h"
#include "core/period.h"
#include "domain/conversation.h"
#include "metrics/view.h"
#include "store/store.h"

#define CONV_FIG_MAX_GEMEENTEN  64
#define CONV_FIG_MAX_AANBIEDERS CONV_MAX_PARTIES

struct conv_fig_scope {
    struct mx_scope scope;  /* rows: the gemeente(n), narrowed to one aanbieder party */
    const char **gemeenten; /* CBS codes (arena) */
    size_t ngemeenten;
    const int64_t *aanbieders; /* the aanbieder parties (organisation ids) */
    int naanbieders;
    enum dc_audience audience;
    struct dc_rules rules;
    int bench_dim; /* MX_DIM_AANBIEDER */
};

/** The scope and audience of a conversation's figures. 0; ERR_NOT_FOUND when the conversation
 * names no gemeente and its owner has none (reason in e). */
int conv_fig_scope(struct arena *a, struct store *s, const struct config *cfg,
                   const struct conversation *c, struct conv_fig_scope *out, struct err_ctx *e);

/** A disclosed view of one indicator for the conversation: quarters first..last, the scope
 * and audience above, with targets and the benchmark. aanbieder_id != 0 narrows the rows to
 * that aanbieder party (it must be one). 0, ERR_NOT_FOUND, ERR_INVALID (reason in e). */
int conv_fig_view(struct mx_engine *eng, const struct config *cfg, struct store *s, struct arena *a,
                  const struct conversation *c, int64_t ind_id, int64_t aanbieder_id,
                  struct period first, struct period last, struct mx_view *out, struct err_ctx *e);

/** The newest shown value (total over the conversation's scope) of an indicator, looking back
 * at most eight quarters from the newest data date, and its period. 0; ERR_NOT_FOUND when no
 * shown value exists (hidden values are never returned). */
int conv_figure_latest(struct mx_engine *eng, const struct config *cfg, struct store *s,
                       const struct conversation *c, int64_t ind_id, double *value,
                       struct period *p);

#endif
