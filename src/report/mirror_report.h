/*
 * mirror_report.h: the spiegelrapportage (mirror report) of one aanbieder — feedback that
 * flows back to the provider, not only up to the gemeente. For a period (default: the last four
 * complete quarters before the data date) it holds, in plain Dutch (B1):
 *   - its outcome indicators (the aanbieder's own trajectories, provider audience DC_PROVIDER)
 *     each beside the anonymised benchmark of the other aanbieders in the region (median and
 *     quartiles from metrics/view.h; no other aanbieder is ever named), with the trend;
 *   - the survey results of the rounds about this aanbieder (metrics/survey_result.h, same
 *     disclosure rules);
 *   - the verification status per theme of its latest review (domain/review.h);
 *   - the improvement actions agreed in conversations where it is owner or party, with status
 *     and whether they are overdue (domain/action.h);
 *   - the outcome agreements of its contracts (when domain/contract.h offers them).
 * The report is the same for every reader (the aanbieder and the gemeenten/regions that
 * contract it): the strictest audience of the two sides, like a data pack. Rendered as HTML by
 * web/page_mirror.c, as PDF and as CSV here. docs/mirror-report.md.
 */
#ifndef DUIDING_REPORT_MIRROR_REPORT_H
#define DUIDING_REPORT_MIRROR_REPORT_H

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/err.h"
#include "core/period.h"
#include "domain/action.h"
#include "domain/actor.h"
#include "domain/policy.h"
#include "domain/review.h"
#include "metrics/disclosure.h"
#include "metrics/engine.h"
#include "metrics/survey_result.h"
#include "metrics/view.h"
#include "report/figure_trend.h"
#include "store/store.h"
#include <stdbool.h>
#include <stdint.h>

#define MIRROR_QUARTERS        4  /* default period: the last four complete quarters */
#define MIRROR_QUARTERS_MAX    12 /* ?kwartalen= at most */
#define MIRROR_MAX_INDICATORS  40 /* indicators shown */
#define MIRROR_MAX_ROUNDS      10 /* survey rounds shown */
#define MIRROR_MAX_ACTIONS     100
#define MIRROR_MAX_AGREEMENTS  50
#define MIRROR_MAX_CONTRACTORS 64 /* gemeenten and regions contracting one aanbieder */

/* How the aanbieder's latest figure compares with the others (the benchmark). */
enum mirror_position {
    MPOS_NONE = 0, /* no figure or no benchmark */
    MPOS_BETTER,   /* better than three quarters of the others (past p75 / p25) */
    MPOS_MIDDLE,   /* between the quartiles */
    MPOS_WORSE,    /* worse than three quarters of the others */
    MPOS_HIGHER,   /* indicators without a direction: above p75 */
    MPOS_LOWER,    /* below p25 */
};

struct mirror_figure {
    int64_t ind_id;
    const char *code; /* the indicator's code */
    const char *name;
    const char *explanation; /* or NULL */
    bool ok;                 /* the view was computed */
    const char *problem;     /* why there is no figure, for people (when !ok or nothing shown) */
    struct mx_view view;     /* disclosed totals per quarter, benchmark per cell */
    int latest;              /* period index of the newest shown total; -1 none */
    const char *latest_value, *latest_period;
    const char *bench_text;  /* "mediaan 12,5% (midden: 10,0% – 15,0%, 7 aanbieders)" or NULL */
    enum report_trend trend; /* report/figure_trend.h */
    enum mirror_position position;
    const char *sentence; /* B1: the latest figure, the trend and the comparison */
};

struct mirror_survey_answer {
    const char *label;
    const char *count;   /* "15" or "." when hidden */
    const char *percent; /* "37,5%" or "." */
    const char *hidden;  /* reason when hidden, else NULL */
};

struct mirror_survey_question {
    const char *text;
    const char *base; /* respondents, "." when hidden */
    const char *mean; /* "7,4" for grades, or NULL */
    struct mirror_survey_answer *answers;
    int nanswers;
};

struct mirror_survey {
    int64_t round_id;
    const char *round_name, *questionnaire;
    day_t opens_on, closes_on;
    const char *responses; /* "40" or "." */
    struct mirror_survey_question *questions;
    int nquestions;
};

struct mirror_agreement {
    const char *contract;  /* contract name */
    const char *indicator; /* indicator name */
    const char *target;    /* "≥ 80%" as agreed */
    const char *latest;    /* latest shown value or "." */
    const char *met;       /* "gehaald" / "nog niet gehaald" / "" */
};

struct mirror_report {
    int64_t aanbieder_id;
    const char *aanbieder_name;
    const char *title, *subtitle, *intro;
    struct period first, last; /* quarters, or years when the request asked for years */
    enum dc_audience audience;
    struct dc_rules rules;
    day_t made_on, data_date;

    struct mirror_figure *figures;
    int nfigures;
    const char *figures_problem; /* set when no figures could be made at all */

    struct mirror_survey *surveys;
    int nsurveys;

    bool has_review; /* a review the reader may view exists */
    struct review review;
    struct review_theme_status *themes;
    int nthemes;
    const char *review_problem; /* set when the review part could not be read */

    struct improvement_action *actions;
    int nactions;
    struct action_counts counts;

    bool agreements_available; /* the contract module offers outcome agreements */
    struct mirror_agreement *agreements;
    int nagreements;
};

struct mirror_request {
    int64_t aanbieder_id;
    struct period last; /* newest quarter; year 0 = the last complete quarter by the data date */
    int nquarters;      /* 0 = MIRROR_QUARTERS; with years: the number of years (0 = 2) */
    bool years;         /* calendar years instead of quarters (small aanbieders: larger groups) */
    day_t today;        /* 0 = the current date */
};

/** The policy object of an aanbieder's mirror report (OBJ_MIRROR_REPORT): owner the aanbieder,
 * parties the gemeenten and regions that contract or review it (mirror_contractors). ERR_NOT_FOUND
 * when aanbieder_id is not an aanbieder. Arrays arena-owned. */
int mirror_object(struct arena *a, struct store *s, int64_t aanbieder_id, struct object_ref *out);

/** The organisations (gemeenten, regions) that contract or review an aanbieder, sorted; see
 * docs/mirror-report.md. */
int mirror_contractors(struct arena *a, struct store *s, int64_t aanbieder_id, int64_t **ids,
                       int *n);

/** Texts used by the page and the PDF (translated). */
const char *mirror_intro_figures(struct arena *a, const struct dc_rules *r);
const char *mirror_position_text(enum mirror_position p);

/**
 * Builds the report for a reader who may view it (policy_allows ACT_VIEW on mirror_object);
 * others get ERR_NOT_FOUND (existence not revealed). Every figure comes from metrics/view.h
 * and every survey count from metrics/survey_result.h at the provider rules. ERR_INVALID (bad
 * period) with the reason in e.
 */
int mirror_report_build(struct arena *a, struct store *s, struct mx_engine *eng,
                        const struct config *cfg, const struct actor *who,
                        const struct mirror_request *rq, struct mirror_report *out,
                        struct err_ctx *e);

/** The report as a PDF (report/pdf.h, A4, charts with the benchmark band). 0, ERR_TOO_BIG,
 * ERR_INTERNAL (reason in e). *pages optional. */
int mirror_report_pdf(struct arena *a, const struct mirror_report *r, struct buf *out, int *pages,
                      struct err_ctx *e);

/** The report as one CSV table (report/text_table.h): a row per figure and period, per survey
 * answer, per theme, per action and per agreement, with a "onderdeel" column. Hidden values
 * are "." with the reason. */
int mirror_report_csv(struct arena *a, const struct mirror_report *r, const char **out, size_t *len,
                      struct err_ctx *e);

#endif
