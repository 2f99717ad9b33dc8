/*
 * figures_context.h: what lies behind the figures, beside them: the context events of the
 * region, gemeenten and aanbieder shown (markers on every time chart, "gebeurtenissen" in the
 * figure JSON, a list under the tables for readers without JavaScript), and the stories the
 * actor may view that are linked to the indicator shown ("verhalen").
 */
#ifndef DUIDING_WEB_FIGURES_CONTEXT_H
#define DUIDING_WEB_FIGURES_CONTEXT_H

#include "domain/context_event.h"
#include "domain/story.h"
#include "web/figures.h"
#include "web/html.h"
#include "web/http.h"

#define FIGCTX_MAX_EVENTS  100 /* events over the periods shown */
#define FIGCTX_MAX_STORIES 5   /* stories listed beside one indicator */

struct fig_context {
    struct context_event *events;
    int nevents;
    struct story *stories;
    int nstories, stories_total;
    int64_t ind_id;
    const char *gemeente; /* the one gemeente shown (CBS code), or NULL */
};

/**
 * Loads the context for the figures of o (its periods, gemeente and aanbieder filters, else the
 * actor's figure scope): region-wide events, events of the gemeenten shown (all gemeenten of a
 * scope when nothing is filtered, none beyond the region-wide ones for an all-gemeenten view),
 * events of the aanbieder shown; and, when ind_id is not 0, up to max_stories stories linked
 * to that indicator that the actor may view (about the one gemeente shown or about none).
 * Failures leave parts empty: context never stops the figures from showing. Never fails.
 */
void figures_context_load(struct http_req *req, const struct figures_opts *o, int64_t ind_id,
                          int max_stories, struct fig_context *out);
/** The view JSON with "gebeurtenissen" [{"datum","tot","label","id"}] and "verhalen"
 * [{"id","titel","soort","toestemming","url"}] added. view_json itself on any failure. */
const char *figures_context_json(struct http_req *req, const char *view_json,
                                 const struct fig_context *c);
/** The events as a list under a chart's table (nothing when there are none). */
void figures_context_events_html(struct html *h, struct http_req *req, const struct fig_context *c);
/** The linked stories as a short list with a link to all of them (nothing when none). */
void figures_context_stories_html(struct html *h, struct http_req *req,
                                  const struct fig_context *c);

/** On a dashboard card: "3 verhalen bij dit cijfer" linking to /verhalen?indicator=, counting
 * the stories the actor may view linked to ind_id (about c->gemeente or none). Nothing if 0. */
void figures_context_story_link(struct html *h, struct http_req *req, const struct fig_context *c,
                                int64_t ind_id);

#endif
