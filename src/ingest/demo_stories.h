/*
 * demo_stories.h: the demo's stories and context events. After the demo region, its societal
 * results and the standard indicators exist, this records a few dozen Dutch stories (resident
 * quotes, case descriptions, professional reflections, interview summaries) with varied
 * tellers, consents and links to the demo's results and indicators, and about ten context
 * events (region-wide, per gemeente, per aanbieder) inside the demo's five years.
 *
 * Written through the domain (story_create, context_event_create), so they pass the same
 * validation and anonymisation check as stories typed in the browser. Deterministic.
 */
#ifndef DUIDING_INGEST_DEMO_STORIES_H
#define DUIDING_INGEST_DEMO_STORIES_H

#include "core/err.h"
#include "store/store.h"
#include <stddef.h>
#include <stdint.h>

struct demo_stories_summary {
    size_t stories, publicatie, gesprek, intern;
    size_t events;
    size_t result_links, indicator_links;
};

/* The texts, for tests (each must pass the anonymisation check without findings). */
struct demo_story_text {
    int kind;    /* enum story_kind */
    int consent; /* enum story_consent */
    int law;     /* enum demo_law: who owns it (jeugd stories partly by the youth provider) */
    const char *role, *title, *body;
    const char *indicators[2]; /* codes of the standard set, or NULL */
    const char *tags;          /* comma-separated */
};
extern const struct demo_story_text demo_story_texts[];
extern const size_t demo_story_text_count;

struct demo_event_text {
    const char *title, *description;
    int y, m, d;          /* on */
    int uy, um, ud;       /* until (0 = none) */
    const char *gemeente; /* demo gemeente name, or NULL */
    int provider;         /* index in demo_providers + 1, or 0 */
};
extern const struct demo_event_text demo_event_texts[];
extern const size_t demo_event_text_count;

/** Records the stories and context events. 0, or an error in e. */
int demo_stories_generate(struct store *s, uint64_t seed, struct demo_stories_summary *out,
                          struct err_ctx *e);

#endif
