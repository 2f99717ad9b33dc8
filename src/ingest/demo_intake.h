/*
 * demo_intake.h: the demo's intake step. After domain/demo.c has built the region, this
 * generates about five years of message traffic and registration exports for it
 * (ingest/synth.c), stores the mapping profiles of the providers that deliver exports, and
 * imports everything through the real pipeline (import_run), so the demo's trajectories are
 * made exactly as real ones are. It lives in ingest/, above domain/, because it calls the
 * importer.
 *
 * The period ends on a fixed reference date (DEMO_INTAKE_END_*: 1 November 2026), not today,
 * so the same seed gives the same trajectories on every run and every day. Pseudonyms differ
 * between data directories: each has its own key.
 */
#ifndef DUIDING_INGEST_DEMO_INTAKE_H
#define DUIDING_INGEST_DEMO_INTAKE_H

#include "core/err.h"
#include "domain/actor.h"
#include "ingest/pipeline.h"
#include <stdint.h>
#include <stdio.h>

#define DEMO_INTAKE_END_YEAR  2026
#define DEMO_INTAKE_END_MONTH 11
#define DEMO_INTAKE_END_DAY   1

enum demo_size {
    DEMO_SIZE_NONE = 0,   /* no intake at all */
    DEMO_SIZE_SMALL = 1,  /* a few hundred trajectories: tests (seconds, also under ASan) */
    DEMO_SIZE_NORMAL = 2, /* tens of thousands: a realistic region over five years */
};

struct demo_intake_summary {
    uint64_t batches, failed_batches;
    uint64_t messages, rows;  /* generated */
    uint64_t population_rows; /* rows of the shipped CBS population file */
    uint64_t read, accepted, rejected, skipped;
    uint64_t trajectories; /* in the database afterwards */
    uint64_t open_trajectories;
    uint64_t profiles;
    double seconds;
};

/**
 * Generates and imports the intake of the demo region made with `seed` into the store. The
 * material is written to a fresh temporary folder inside work_dir (the data directory) and
 * removed afterwards, also on failure. `actor` is the importing actor (the CLI's); a progress
 * line per batch goes to `log` (may be NULL). 0, or an error with the reason in e.
 */
int demo_intake(const struct import_env *env, const struct actor *actor, uint64_t seed,
                enum demo_size size, const char *work_dir, struct demo_intake_summary *out,
                FILE *log, struct err_ctx *e);

/** "klein" / "normaal" -> size; DEMO_SIZE_NONE for anything else. */
enum demo_size demo_size_parse(const char *s);

#endif
