/*
 * metrics_store.h: the SQL the in-memory indicator engine (metrics/engine.h) reads: streaming
 * scans of trajectories with their measurements, survey responses with their answers, the
 * population figures of active batches, and the change journal (data_change,
 * data_change_group) with the persons each change touched. Rows are handed to a callback one
 * at a time in fixed-size structs, so a scan of millions of rows allocates nothing per row.
 *
 * Test persons (trajectory.flags & TRAJ_TEST_PERSON) never leave this module. Callers that want
 * one consistent view across several scans wrap them in mstore_snapshot_begin/_end.
 */
#ifndef DUIDING_STORE_METRICS_STORE_H
#define DUIDING_STORE_METRICS_STORE_H

#include "core/str.h"
#include "store/db.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A trajectory as the engine reads it. Absent values: "" / DAY_NONE / -1. */
#define MSTORE_MAX_MEAS 4

struct mstore_meas {
    char informant[4];    /* "01", "02", "" */
    int satisfaction;     /* 1-10, 0 unknown */
    char zonder_hulp[8];  /* "01".."04", "" */
    int goal_realisation; /* 0-100, -1 unknown */
};

struct mstore_traj {
    int64_t id, person_id, aanbieder_id;
    int law; /* 1 jw, 2 wmo */
    char gemeente[8];
    char category[8];
    char hulpvorm[8];
    char product_code[8];
    day_t start, end; /* end DAY_NONE while open */
    char end_reason[8];
    char end_reason_list[8]; /* "JZ588", "WMO588", "CBS", "" */
    char cbs_reason[8];
    char referrer[8];
    int age_at_start;  /* -1 unknown */
    char age_band[16]; /* "onbekend" when NULL */
    char gender[4];
    char postcode4[8];
    uint32_t flags;
    day_t date_requested, date_assigned;
    struct mstore_meas meas[MSTORE_MAX_MEAS]; /* ordered by informant */
    int nmeas;
};

typedef int (*mstore_traj_fn)(void *ctx, const struct mstore_traj *t);

/** Opens one read snapshot for the scans that follow (a deferred transaction on a reader
 * connection, BEGIN IMMEDIATE on a writer). The db must not be inside a transaction. */
int mstore_snapshot_begin(struct db *db);
/** Ends the snapshot. */
void mstore_snapshot_end(struct db *db);

/**
 * Every non-test trajectory of a person with id above `above` (0: all), in trajectory id order,
 * with its measurements: one sequential pass over trajectory and one over measurement (merge
 * join on the trajectory id). For building and for the bulk case (most rows new). fn returns 0
 * to go on; anything else stops the scan and is returned.
 */
int mstore_scan_trajectories(struct db *db, int64_t above, mstore_traj_fn fn, void *ctx);
/** The same through the index on person_id: for a few persons above `above`. */
int mstore_scan_trajectories_indexed(struct db *db, int64_t above, mstore_traj_fn fn, void *ctx);
/** Every non-test trajectory of one person, with measurements. */
int mstore_scan_person(struct db *db, int64_t person_id, mstore_traj_fn fn, void *ctx);

/* A survey response with its answers (borrowed until the callback returns). */
struct mstore_answer {
    char item[52];
    int64_t value;
};

#define MSTORE_MAX_ANSWERS 256

struct mstore_response {
    int64_t id;
    char gemeente[8];
    int64_t aanbieder_id; /* 0 = unknown */
    int law;              /* 0 = unknown */
    char category[8];
    int age; /* -1 unknown */
    char gender[4];
    day_t date;
    const struct mstore_answer *answers; /* the first MSTORE_MAX_ANSWERS, by item */
    int nanswers;
};

typedef int (*mstore_response_fn)(void *ctx, const struct mstore_response *r);

/** Every survey response in id order with its answers. */
int mstore_scan_responses(struct db *db, mstore_response_fn fn, void *ctx);
/** The change check of one query: the newest journal seq (0 = none), and the number and
 * largest id of the survey responses (which are not journalled). */
int mstore_heads(struct db *db, int64_t *seq, int64_t *resp_count, int64_t *resp_max);

/* One CBS population figure; for each (gemeente, year, age band) only the row of the newest
 * active batch. men/women < 0 = unknown. */
struct mstore_population {
    char gemeente[8];
    int year;
    char age_band[16];
    int64_t inhabitants, men, women;
};

typedef int (*mstore_population_fn)(void *ctx, const struct mstore_population *p);
int mstore_scan_population(struct db *db, mstore_population_fn fn, void *ctx);

/* ---- The change journal. ---------------------------------------------------------------------
 */

struct mstore_change {
    int64_t seq, batch_id;
    bool undo;                     /* else an import */
    bool population;               /* the batch is a 'bevolking' batch */
    int64_t fact_first, fact_last; /* the batch's fact range (first > last: none) */
};

/** The newest journal seq (0 = none). */
int mstore_journal_head(struct db *db, int64_t *seq);
/** Journal entries after seq in order, at most cap; *n receives how many. */
int mstore_journal_after(struct db *db, int64_t seq, struct mstore_change *out, size_t cap,
                         size_t *n);

struct mstore_group {
    int64_t person_id, aanbieder_id;
    int law;
};
typedef int (*mstore_group_fn)(void *ctx, const struct mstore_group *g);

/** The groups an import touched, from the batch's fact range, for persons with id <= upto. */
int mstore_import_groups(struct db *db, const struct mstore_change *c, int64_t upto,
                         mstore_group_fn fn, void *ctx);
/** The groups an undo recorded (data_change_group). */
int mstore_undo_groups(struct db *db, int64_t seq, mstore_group_fn fn, void *ctx);

/** The largest person id (0 = none). */
int mstore_person_max_id(struct db *db, int64_t *id);
/** max(start_date, end_date) over non-test trajectories; DAY_NONE when there are none. */
int mstore_data_date(struct db *db, day_t *out);

#endif
