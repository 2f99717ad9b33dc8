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
    bool flagged;        /* one of them carries a REBUILD_FLAGGED flag */
};

/**
 * Deletes the group's trajectories and stores the ones trajectory_build makes from its facts.
 * facts is a reusable buffer; a is reset by the caller. 0, ERR_DB / ERR_CONFLICT, ERR_NOMEM.
 */
int rebuild_group(struct db *db, const struct intake_group *g, struct arena *a,
                  struct intake_facts *facts, struct rebuild_result *res);

#endif
