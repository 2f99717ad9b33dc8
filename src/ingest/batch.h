/*
 * batch.h: looking at and undoing import batches. Reads go through the policy (OBJ_IMPORT_BATCH)
 * and every read of rejected records (person-level data) is written to the audit log.
 */
#ifndef DUIDING_INGEST_BATCH_H
#define DUIDING_INGEST_BATCH_H

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "domain/actor.h"
#include "store/store.h"
#include <stdbool.h>
#include <stdint.h>

struct import_batch {
    int64_t id;
    const char *kind; /* "berichten" | "registratie" | "bevolking" */
    const char *file_name;
    const char *file_sha256;
    int64_t file_bytes;
    int64_t org_id;       /* 0 = system (CLI, demo) */
    const char *org_name; /* NULL for system */
    int64_t user_id;
    const char *user_name; /* display name, NULL for system */
    const char *via;       /* "web" | "api" | "cli" | "demo" */
    int64_t profile_id;
    const char *profile_name;
    const char *status; /* "actief" | "ongedaan" | "mislukt" */
    int64_t n_read, n_accepted, n_rejected, n_skipped, n_flagged, n_test, n_trajectories;
    const char *error;  /* failed batches */
    const char *detail; /* JSON text, see pipeline.c */
    const char *created_at, *finished_at, *undone_at;
    const char *undone_by_name;
};

struct import_rejection {
    int64_t seq;
    bool skipped;
    const char *source;
    int64_t record, line, col; /* 0 when not applicable */
    const char *element;       /* NULL unless XML */
    const char *reason;
    const char *fields; /* JSON array text or NULL */
};

struct batch_filter {
    int64_t org_id;     /* 0 = all the actor may see */
    const char *status; /* NULL = all */
    const char *kind;   /* NULL = all */
    int64_t offset, limit;
};

/** Batches the actor may see, newest first. Arena-owned. */
int batch_list(struct store *s, const struct actor *a, const struct batch_filter *f,
               struct arena *ar, struct import_batch **out, int *n, int64_t *total,
               struct err_ctx *e);
/** One batch (ERR_NOT_FOUND / ERR_DENIED). */
int batch_get(struct store *s, const struct actor *a, int64_t id, struct arena *ar,
              struct import_batch *out, struct err_ctx *e);
/** Rejected and skipped records of a batch, in order. Audited as a read of person-level data. */
int batch_rejections(struct store *s, const struct actor *a, int64_t id, int64_t offset,
                     int64_t limit, struct arena *ar, struct import_rejection **out, int *n,
                     int64_t *total, struct err_ctx *e);
/**
 * The correction file of a batch: for registrations the same columns as the delivered file
 * (identifying columns left empty) plus "regel" and "reden"; for messages a CSV listing file,
 * line, element and reason. Written into out (UTF-8 with BOM, ';' separated, CRLF, so Excel
 * opens it right); *file_name receives a suggested download name. Audited.
 */
int batch_correction_file(struct store *s, const struct actor *a, int64_t id, struct arena *ar,
                          struct buf *out, const char **file_name, struct err_ctx *e);
/**
 * Undoes an active batch: its facts go, the trajectories of every group it touched are rebuilt
 * from what remains (so an earlier delivery of the same record comes back), and the batch is
 * marked "ongedaan" with who and when. One transaction; audited. ERR_CONFLICT if not active.
 */
int batch_undo(struct store *s, const struct actor *a, int64_t id, struct err_ctx *e);

/** Totals for the intake overview page: trajectories, open trajectories, persons, batches. */
struct intake_totals {
    int64_t trajectories, open_trajectories, batches_active, facts;
};
int intake_totals(struct store *s, const struct actor *a, struct intake_totals *out,
                  struct err_ctx *e);

#endif
