/*
 * council_report.h: the council report (raadsrapportage) — a picture of learning for the
 * gemeenteraad, per theme or per societal result, for one gemeente (or a region), in plain Dutch
 * (B1). Per result: a short introduction, the key figures of its linked indicators at the
 * *published* strictness (disclosure control, counts rounded) with trend and target, the stories
 * with publication consent linked to the result or its indicators, what was learned in the
 * conversations whose minutes every side approved (domain/conversation_published.h), and the
 * improvement actions of those conversations with their status. Nothing else reaches it.
 * Rendered as HTML by web/page_council.c and as PDF here (report/pdf.h).
 * docs/conversations.md "Council report".
 */
#ifndef DUIDING_REPORT_COUNCIL_REPORT_H
#define DUIDING_REPORT_COUNCIL_REPORT_H

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/period.h"
#include "domain/actor.h"
#include "domain/conversation_published.h"
#include "domain/result.h"
#include "metrics/disclosure.h"
#include "metrics/view.h"
#include "report/figure_trend.h"
#include "store/store.h"
#include <stdbool.h>
#include <stdint.h>

#define COUNCIL_MAX_RESULTS    24 /* results of one theme */
#define COUNCIL_MAX_INDICATORS 12 /* key figures per result */
#define COUNCIL_MAX_STORIES    12 /* stories per result */
#define COUNCIL_MAX_CONV       20 /* published conversations per result */
#define COUNCIL_MAX_OWNERS     16 /* organisations whose results a theme report covers */
#define COUNCIL_QUARTERS       8  /* quarters shown by default (two years) */
#define COUNCIL_QUARTERS_MAX   24

/*
 * Where the figures come from: a function that returns the disclosed view of one indicator,
 * totals per quarter from first to last, for the report's area and reader, at the published
 * audience (the web layer passes web/figures.h figures_view with audience DC_PUBLISHED). The
 * report refuses any view that is not at least as strict as the published rules.
 */
typedef int (*council_view_fn)(void *ctx, int64_t ind_id, struct period first, struct period last,
                               struct mx_view *out, struct err_ctx *e);

struct council_request {
    int64_t result_id;     /* one result; or 0 and a theme */
    int theme;             /* enum result_theme when result_id == 0 */
    const char *gemeente;  /* CBS code (4 digits) of the gemeente; NULL: the whole area (region) */
    const char *area_name; /* "Emmen", "Regio Zuid-Drenthe": used in titles and sentences */
    /* Theme: the organisations whose results count (the gemeente and its regions, or the
     * region), at most COUNCIL_MAX_OWNERS. */
    const int64_t *owner_org_ids;
    int nowners;
    struct period last;   /* newest quarter shown (the data date's quarter) */
    int nquarters;        /* 0 = COUNCIL_QUARTERS */
    council_view_fn view; /* NULL: no figures (the reader has no figure scope) */
    void *view_ctx;
    const struct dc_rules *published; /* dc_rules_for(cfg, DC_PUBLISHED): the minimum */
    day_t today;                      /* for "te laat" and the date on the report */
};

struct council_figure {
    int64_t ind_id;
    const char *name;
    const char *explanation;   /* the definition's explanation, or NULL */
    bool ok;                   /* the view was computed */
    const char *problem;       /* why there are no figures, for people (when !ok or none shown) */
    struct mx_view view;       /* disclosed, totals per quarter (valid when ok) */
    int latest;                /* period index of the newest shown total; -1 none */
    const char *latest_value;  /* "12,5%" */
    const char *latest_period; /* "1e kwartaal 2025" */
    enum report_trend trend;   /* report/figure_trend.h */
    const char *sentence;      /* B1: what the latest figure is, its trend and the target */
};

struct council_story {
    int64_t id;
    const char *title, *body, *teller_role;
    const char *kind_label;
    day_t told_on;
    const char *aanbieder_name; /* or NULL */
};

struct council_action_counts {
    int open, bezig, klaar, vervallen;
    int overdue; /* open or bezig and due before today */
};

struct council_result {
    struct result result;
    const char *intro; /* B1: what this result is about and what follows */
    struct council_figure *figures;
    int nfigures;
    struct council_story *stories;
    int nstories;
    struct conv_published *conversations;
    int nconversations;
    struct council_action_counts counts; /* over the actions of those conversations */
    int nactions;
};

struct council_report {
    const char *title;    /* "Raadsrapportage: <theme or result>" */
    const char *subtitle; /* "Emmen · 23-11-2026" */
    const char *intro;    /* B1: what this report is and how to read it */
    const char *area_name;
    int64_t result_id;
    int theme;
    struct council_result *results;
    int nresults;
    struct period first, last;
    struct dc_rules rules; /* the published rules the figures were checked against */
    day_t made_on;
    bool has_figures; /* a view function was given */
};

/* Plain-language introductions of the parts of a result (msgids, translated). */
const char *council_intro_figures(struct arena *a, const struct dc_rules *r);
const char *council_intro_stories(void);
const char *council_intro_conversations(void);
const char *council_intro_actions(void);

/**
 * Builds the report. The results are read as `who` (every signed-in user may read results);
 * figures come from rq->view only. ERR_NOT_FOUND (no such result), ERR_INVALID (neither a result
 * nor a theme, a bad gemeente, a view looser than published) with the reason in e.
 */
int council_report_build(struct arena *a, struct store *s, const struct actor *who,
                         const struct council_request *rq, struct council_report *out,
                         struct err_ctx *e);

/** Renders the report as a PDF (report/pdf.h; charts from the disclosed values). 0,
 * ERR_TOO_BIG, ERR_INTERNAL with the reason in e. *pages (optional) gets the page count. */
int council_report_pdf(struct arena *a, const struct council_report *r, struct buf *out, int *pages,
                       struct err_ctx *e);

#endif
