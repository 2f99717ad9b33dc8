/*
 * context_event_store.h: the SQL of context events (table context_event) for
 * domain/context_event.c. Rows come back as struct context_event with arena strings.
 */
#ifndef DUIDING_STORE_CONTEXT_EVENT_STORE_H
#define DUIDING_STORE_CONTEXT_EVENT_STORE_H

#include "core/arena.h"
#include "domain/context_event.h"
#include "store/db.h"
#include <stdbool.h>
#include <stdint.h>

struct context_event_values {
    int64_t owner_org_id;
    const char *title, *description;
    day_t on_date;
    bool has_until;
    day_t until_date;
    const char *gemeente; /* 4 digits or NULL */
    int64_t aanbieder_id; /* 0 = NULL */
};

/* A resolved filter: CBS codes normalised to 4 digits, scope gemeenten as a comma list. */
struct context_event_query {
    int64_t owner_org_id;
    const char *gemeente;
    int64_t aanbieder_id;
    bool scoped;
    const char *scope_list; /* ",0114,0118," for instr(); NULL = none */
    bool scope_all_gemeenten;
    int64_t scope_aanbieder;
    bool has_range;
    day_t from, to;
    const char *like; /* db_like_pattern, or NULL */
    bool include_archived;
    int limit, offset;
};

int context_event_store_insert(struct db *db, const struct context_event_values *v, const char *now,
                               int64_t created_by, int64_t *id_out);
/** ERR_CONFLICT when no row had that id and version. */
int context_event_store_update(struct db *db, int64_t id, int64_t version,
                               const struct context_event_values *v, const char *now);
int context_event_store_set_archived(struct db *db, int64_t id, bool archived, const char *now);
int context_event_store_get(struct arena *a, struct db *db, int64_t id, struct context_event *out);
int context_event_store_count(struct db *db, const struct context_event_query *q, int *total);
/** Oldest first; arena array of at most q->limit rows. */
int context_event_store_list(struct arena *a, struct db *db, const struct context_event_query *q,
                             struct context_event **out, int *n);

#endif
