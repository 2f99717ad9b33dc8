/*
 * provider_event.h: events recorded on an aanbieder (calamity, supervisor measure, complaint,
 * other) by a gemeente or region, a toezichthouder or the aanbieder itself, without person
 * data (domain/anon_check.h). An event can start an event-driven review (domain/review.h,
 * REVIEW_GEBEURTENIS). Policy OBJ_PROVIDER_EVENT (rule 19). docs/verification.md.
 */
#ifndef DUIDING_DOMAIN_PROVIDER_EVENT_H
#define DUIDING_DOMAIN_PROVIDER_EVENT_H

#include "core/arena.h"
#include "core/err.h"
#include "core/period.h"
#include "domain/actor.h"
#include "domain/policy.h"
#include "store/store.h"
#include <stdbool.h>
#include <stdint.h>

#define PEV_TEXT_MAX 4000 /* code points of a description */
#define PEV_LIST_MAX 500

enum provider_event_kind {
    PEV_CALAMITEIT = 1, /* calamity report */
    PEV_MAATREGEL,      /* supervisor measure (maatregel toezichthouder) */
    PEV_KLACHT,         /* complaint */
    PEV_OVERIG,         /* other */
};
#define PEV_KIND_MIN PEV_CALAMITEIT
#define PEV_KIND_MAX PEV_OVERIG

const char *provider_event_kind_code(enum provider_event_kind k);  /* calamiteit, ... */
const char *provider_event_kind_label(enum provider_event_kind k); /* translated */
int provider_event_kind_parse(const char *code, enum provider_event_kind *out);

struct provider_event {
    int64_t id;
    int64_t aanbieder_id;
    const char *aanbieder_name;
    int64_t owner_org_id; /* the recording organisation */
    enum org_kind owner_org_kind;
    const char *owner_name;
    enum provider_event_kind kind;
    day_t on_date;
    const char *description;
    bool archived;
    int64_t version;
    const char *created_at;
    const char *created_by_name;
    int64_t review_id; /* the latest event-driven review started from it, 0 none */
};

struct provider_event_input {
    int64_t aanbieder_id;
    int kind; /* enum provider_event_kind */
    day_t on_date;
    const char *description;
    int64_t version; /* update: the version being edited */
};

/** The policy object (OBJ_PROVIDER_EVENT): owner = the recording organisation, party = the
 * aanbieder. */
void provider_event_object(const struct provider_event *ev, struct object_ref *out);

/** Records an event for the actor's own organisation. ERR_DENIED, ERR_INVALID (e->field:
 * aanbieder_id, kind, on_date, description; person data refused by anon_check). */
int provider_event_create(struct store *s, const struct actor *who,
                          const struct provider_event_input *in, int64_t *id_out,
                          struct err_ctx *e);
/** Changes kind, date and description. ERR_CONFLICT on a stale version. */
int provider_event_update(struct store *s, const struct actor *who, int64_t id,
                          const struct provider_event_input *in, struct err_ctx *e);
/** Archives (or restores) an event. */
int provider_event_set_archived(struct store *s, const struct actor *who, int64_t id,
                                int64_t version, bool archived, struct err_ctx *e);
/** One event if the actor may view it; ERR_NOT_FOUND otherwise. */
int provider_event_get(struct arena *a, struct store *s, const struct actor *who, int64_t id,
                       struct provider_event *out);
/** The events the actor may view (aanbieder_id 0 = all), newest first, at most PEV_LIST_MAX. */
int provider_event_list(struct arena *a, struct store *s, const struct actor *who,
                        int64_t aanbieder_id, bool include_archived, struct provider_event **out,
                        int *n);

#endif
