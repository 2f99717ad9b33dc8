/*
 * rebuild.h: rebuilding the trajectories of one group (person x aanbieder x law) from all its
 * remaining facts, inside the caller's write transaction. Used by the import pipeline for every
 * group a batch touched and by undo for every group the undone batch touched.
 */
#ifndef DUIDING_INGEST_REBUILD_H
#define DUIDING_INGEST_REBUILD_H

#include "core/arena.h"
#include "store/intake_store.h"
#include <stdbool.h>
#include <stddef.h>

/* Flags that make an accepted record count as "flagged" in a batch report. */
#define REBUILD_FLAGGED (TRAJ_NO_ASSIGNMENT | TRAJ_STOP_WITHOUT_START | TRAJ_TEST_PERSON)

struct rebuild_result {
    size_t trajectories; /* built and stored */
    size_t replaced;     /* trajectories of the group deleted first */
    bool flagged;        /* one of the new ones carries a REBUILD_FLAGGED flag */
};

/**
 * Deletes the group's trajectories and writes the ones trajectory_build makes from its facts
 * through w (flushed by the caller; facts written through w must be flushed before). fresh:
 * the caller knows the group has no trajectories (its person is new in this batch and nothing
 * was stored for it yet), so the delete is left out. facts is a reusable buffer; a is reset by
 * the caller. 0, ERR_DB / ERR_CONFLICT, ERR_NOMEM.
 */
int rebuild_group(struct db *db, struct intake_writer *w, const struct intake_group *g, bool fresh,
                  struct arena *a, struct intake_facts *facts, struct rebuild_result *res);

/**
 * The fast path for a group whose facts are all in hand (a person new in this batch, its
 * records held until now): stores exactly what rebuild_group would, without reading the group
 * back or deleting anything. The group must have no trajectories yet.
 */
int rebuild_facts(struct intake_writer *w, const struct intake_group *g,
                  const struct traj_fact *facts, size_t n, bool test_person, struct arena *a,
                  struct rebuild_result *res);

#endif
