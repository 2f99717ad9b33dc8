/*
 * context_event.h: context events (contextgebeurtenissen): dated notes on the whole region, a
 * gemeente or an aanbieder ("coronamaatregelen", "nieuw toegangsteam", "wachtlijstmaatregel")
 * shown as markers on every time chart and in data packs, so a change in a curve can be read
 * with its cause. Every signed-in user reads them; content roles of the owner write them.
 */
#ifndef DUIDING_DOMAIN_CONTEXT_EVENT_H
#define DUIDING_DOMAIN_CONTEXT_EVENT_H

#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include "domain/actor.h"
#include "store/store.h"
#include <stdbool.h>
#include <stdint.h>

#define CEVENT_TITLE_MAX       160 /* code points */
#define CEVENT_DESCRIPTION_MAX 4000
#define CEVENT_LIST_DEFAULT    100
#define CEVENT_LIST_MAX        1000
#define CEVENT_DAY_MIN         (-25567) /* 1900-01-01 */
#define CEVENT_DAY_MAX         47482    /* 2099-12-31 */

struct context_event {
    int64_t id;
    int64_t owner_org_id;
    const char *owner_name;
    const char *title;
    const char *description;
    day_t on_date;
    bool has_until;
    day_t until_date;
    const char *gemeente;      /* 4-digit CBS code, NULL = not for one gemeente */
    const char *gemeente_name; /* or NULL */
    int64_t aanbieder_id;      /* 0 = not for one aanbieder */
    const char *aanbieder_name;
    bool archived;
    int64_t version;
    const char *created_at, *updated_at;
};

struct context_event_input {
    int64_t owner_org_id;
    const char *title;
    const char *description;
    day_t on_date;
    bool has_until;
    day_t until_date;
    const char *gemeente; /* "0114" / "GM0114"; NULL or "" = region-wide */
    int64_t aanbieder_id; /* 0 = none */
    int64_t version;      /* update: the version being edited */
};

/*
 * Filter. For a chart: scoped = true with the gemeenten (CBS codes) and aanbieder shown; then
 * events of the whole region (no gemeente and no aanbieder), of one of those gemeenten and of
 * that aanbieder match. Without scoped, gemeente/aanbieder_id select exactly.
 */
struct context_event_filter {
    int64_t owner_org_id; /* 0 = any */
    const char *gemeente; /* exact (not scoped), NULL = any */
    int64_t aanbieder_id; /* exact (not scoped), 0 = any */
    bool scoped;
    const char *const *scope_gemeenten; /* scoped: CBS codes ("0114" or "GM0114") */
    int nscope_gemeenten;
    bool scope_all_gemeenten; /* scoped: every gemeente's events match too */
    int64_t scope_aanbieder;  /* scoped: 0 = no aanbieder's events */
    bool has_range;           /* events overlapping [from, to] */
    day_t from, to;
    const char *q; /* title or description contains */
    bool include_archived;
    int limit, offset;
};

int context_event_create(struct store *s, const struct actor *who,
                         const struct context_event_input *in, int64_t *id_out, struct err_ctx *e);
/** ERR_CONFLICT when in->version is stale. The owner does not change. */
int context_event_update(struct store *s, const struct actor *who, int64_t id,
                         const struct context_event_input *in, struct err_ctx *e);
int context_event_set_archived(struct store *s, const struct actor *who, int64_t id, bool archived,
                               struct err_ctx *e);
int context_event_get(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                      struct context_event *out);
/** Oldest first (by date). *total counts all matches. */
int context_event_list(struct arena *a, struct store *s, const struct actor *who,
                       const struct context_event_filter *f, struct context_event **out, int *n,
                       int *total, struct err_ctx *e);

#endif
