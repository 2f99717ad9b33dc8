/*
 * evidence_store.h: the rows of evidence files (table evidence_file, schema 0010) and their
 * bytes on disk, content addressed under <data_dir>/bewijsstukken/<first 2 hex>/<sha256>, for
 * domain/evidence.c. Bytes are written to a temp file in the same folder, fsynced and renamed,
 * so a file is either absent or complete; the same content is stored once.
 */
#ifndef DUIDING_STORE_EVIDENCE_STORE_H
#define DUIDING_STORE_EVIDENCE_STORE_H

#include "core/arena.h"
#include "domain/evidence.h"
#include "store/db.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EVIDENCE_DIR "bewijsstukken"

struct evidence_values {
    int64_t review_id;
    int64_t criterion_id; /* 0 = NULL */
    const char *name;
    enum evidence_type type;
    int64_t size;
    const char *sha256;
    int64_t uploaded_by;
    int64_t org_id;
};

int evidence_store_insert(struct db *db, const struct evidence_values *v, const char *now,
                          int64_t *id_out);
/** Live (not removed) files of a review: how many and their total size. */
int evidence_store_totals(struct db *db, int64_t review_id, int *nfiles, int64_t *bytes);
/** Live files of a review (criterion_id 0 = all), oldest first. Arena array. */
int evidence_store_list(struct arena *a, struct db *db, int64_t review_id, int64_t criterion_id,
                        struct evidence_file **out, int *n);
/** One live file; review_id 0 = any review. ERR_NOT_FOUND when absent or removed. */
int evidence_store_get(struct arena *a, struct db *db, int64_t review_id, int64_t id,
                       struct evidence_file *out);
/** Marks a live row removed. ERR_NOT_FOUND when it was not live. */
int evidence_store_mark_removed(struct db *db, int64_t id, int64_t by, const char *now);
/** Live rows using these bytes. */
int evidence_store_refs(struct db *db, const char *sha256, int *n);
/** Sets the scan status of every live row with these bytes. */
int evidence_store_set_scan(struct db *db, const char *sha256, enum evidence_scan scan,
                            const char *now);

/** Whether criterion_id is one of the review's applicable criteria (review_item, 0009). */
int evidence_store_criterion_in_review(struct db *db, int64_t review_id, int64_t criterion_id,
                                       bool *found);

/* --- Bytes on disk --- */
/** <data_dir>/bewijsstukken/<2 hex>/<sha256>, arena string. NULL for a malformed hash. */
const char *evidence_blob_path(struct arena *a, const char *data_dir, const char *sha256);
/**
 * Writes n bytes to a temp file in their final folder (made 0700 when missing), fsyncs it and
 * fills sha256 (64 hex + NUL). *staged_out: the temp path (arena) for evidence_blob_commit or
 * evidence_blob_discard.
 */
int evidence_blob_stage(struct arena *a, const char *data_dir, const unsigned char *p, size_t n,
                        char sha256[65], const char **staged_out);
/** Renames the staged file to its content address (replacing identical bytes is harmless)
 * and fsyncs the folder. */
int evidence_blob_commit(struct arena *a, const char *data_dir, const char *staged,
                         const char *sha256);
/** Removes a staged file (after a refusal or rollback). */
void evidence_blob_discard(const char *staged);
/** Unlinks the bytes of sha256 (missing is fine). */
int evidence_blob_unlink(struct arena *a, const char *data_dir, const char *sha256);

#endif
