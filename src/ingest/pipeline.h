/*
 * pipeline.h: one import, start to end (DESIGN.md §3 "nothing is lost, nothing is silent").
 *
 *   input (file | folder | zip) -> hash -> already imported? -> read every record
 *   (message.c / csv.c / xlsx.c + registration.c / population.c) -> validate -> pseudonymise
 *   -> stage facts -> rebuild the trajectories of every touched group -> one COMMIT.
 *
 * All accepted records of a batch commit in one transaction or none do: a crash, kill or error
 * in the middle leaves the database as it was. Importing the same file again changes nothing
 * (the report says which batch has it). read = accepted + rejected + skipped, always; every
 * rejected or skipped record is stored with its reasons (import_rejection). A file that cannot
 * be read at all (unknown format, limit exceeded, unsupported release) is recorded as a failed
 * batch with the reason, and nothing else changes.
 *
 * Access: the actor must be allowed to create import batches (policy: OBJ_IMPORT_BATCH), and a
 * record is only accepted when it concerns the actor's own organisation (an aanbieder delivers
 * its own trajectories by AGB code, a gemeente its own residents by CBS code); beheerders and
 * the CLI may deliver for anyone. Records about unknown aanbieders (AGB not registered in
 * duiding) or unknown gemeenten are rejected with that reason.
 */
#ifndef DUIDING_INGEST_PIPELINE_H
#define DUIDING_INGEST_PIPELINE_H

#include "core/err.h"
#include "domain/actor.h"
#include "ingest/message.h"
#include "ingest/pseudonym.h"
#include "store/store.h"
#include <stdbool.h>
#include <stdint.h>

/* Limits on what one import may hold (ERR_TOO_BIG with a plain reason). */
#define IMPORT_MAX_FILE_BYTES   (2ULL * 1024 * 1024 * 1024) /* one file, one upload */
#define IMPORT_MAX_ZIP_ENTRIES  1000000
#define IMPORT_MAX_ZIP_EXPANDED (8ULL * 1024 * 1024 * 1024) /* sum of uncompressed entries */
#define IMPORT_MAX_ZIP_RATIO    200                         /* per entry, zip-bomb guard */
#define IMPORT_MAX_DIR_FILES    1000000
#define IMPORT_MAX_REJECTIONS   100000 /* stored per batch; beyond that only counted */
#define IMPORT_BULK_MIN_ROWS    100000 /* not a limit: see import_limits.bulk_min_rows */

/* Limits of one import; a field 0 means the default above. Lower limits suit tests and
 * deployments that want tighter uploads. */
struct import_limits {
    uint64_t max_zip_entries;  /* IMPORT_MAX_ZIP_ENTRIES */
    uint64_t max_zip_expanded; /* IMPORT_MAX_ZIP_EXPANDED */
    uint64_t zip_ratio;        /* IMPORT_MAX_ZIP_RATIO */
    uint64_t max_dir_files;    /* IMPORT_MAX_DIR_FILES */
    uint64_t max_rejections;   /* IMPORT_MAX_REJECTIONS */
    uint64_t bulk_min_rows;    /* registrations expecting this many rows use bulk mode for
                                  persons (pipeline.c); 0 = IMPORT_BULK_MIN_ROWS */
};

enum import_kind {
    IMPORT_AUTO = 0,         /* decide from the content */
    IMPORT_MESSAGES = 1,     /* iJw/iWmo XML: a file, a folder or a zip of them */
    IMPORT_REGISTRATION = 2, /* a provider's CSV/XLSX export, read through a mapping profile */
    IMPORT_POPULATION = 3,   /* CBS population per gemeente x age band (CSV) */
};

enum import_via { VIA_WEB = 1, VIA_API = 2, VIA_CLI = 3, VIA_DEMO = 4 };

/* Called now and then from the importing thread (at most every 50 ms and at the end). */
typedef void (*import_progress_fn)(void *ctx, uint64_t bytes_done, uint64_t bytes_total,
                                   uint64_t records_read);

struct import_request {
    const char *path;         /* file, folder or zip on local disk */
    const char *display_name; /* name shown in reports (upload's original name); NULL = path */
    enum import_kind kind;    /* IMPORT_AUTO unless the caller knows better */
    int64_t profile_id;       /* mapping profile for registrations (0 = none) */
    const struct actor *actor;
    enum import_via via;
    import_progress_fn progress; /* may be NULL */
    void *progress_ctx;
    const struct import_limits *limits; /* NULL = the defaults */
};

/* Everything a caller needs for the batch report. */
struct import_report {
    int64_t batch_id; /* the new batch; or the existing one when duplicate */
    bool duplicate;   /* this file was already imported: nothing changed */
    bool failed;      /* the file could not be read at all: see error */
    enum import_kind kind;
    char file_sha256[65];
    uint64_t file_bytes;
    uint64_t read, accepted, rejected, skipped;
    uint64_t flagged, test_records;
    uint64_t trajectories; /* trajectories (re)built */
    double seconds;
    char error[ERR_MSG_MAX]; /* Dutch msgid-based message for failed imports */
};

/* Long-lived things an importer needs; made once per process (server or CLI). */
struct import_env {
    struct store *store;
    const struct msg_schemas *schemas;
    const struct pseudonymiser *pseudonymiser;
};

/**
 * Runs one import. Returns 0 when a report was produced (also for duplicates, failed files and
 * batches with rejected records: read the report), ERR_DENIED if the actor may not import,
 * ERR_NOT_FOUND for a missing path or profile, ERR_DB/ERR_IO when the database or disk failed
 * (nothing committed). Safe to call from several threads; batches commit one at a time.
 */
int import_run(const struct import_env *env, const struct import_request *r,
               struct import_report *out, struct err_ctx *e);

/** What a path holds, judged from its content: messages, registration table, population. */
enum import_kind import_detect_kind(const char *path);

/** Dutch name of a kind ("berichten", "registratie", "bevolking"). */
const char *import_kind_code(enum import_kind k);

#endif
