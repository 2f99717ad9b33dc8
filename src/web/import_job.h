/*
 * import_job.h: the imports that run in the background for the web upload form. A small
 * in-memory registry (fixed capacity, one mutex) holds each job's state and progress, so the
 * progress page can poll it; the job itself runs import_run() on the server's job queue. Jobs
 * are forgotten an hour after they finish, and on restart (the batch itself is in the
 * database; only the progress view is lost).
 */
#ifndef DUIDING_WEB_IMPORT_JOB_H
#define DUIDING_WEB_IMPORT_JOB_H

#include "core/err.h"
#include "domain/actor.h"
#include "ingest/pipeline.h"
#include "web/app.h"
#include <stdint.h>

#define IMPORT_JOB_MAX      64   /* jobs remembered at once */
#define IMPORT_JOB_ID_LEN   32   /* hex characters: 128 random bits, not guessable */
#define IMPORT_JOB_TTL      3600 /* seconds a finished job stays visible */
#define IMPORT_JOB_NAME_MAX 256  /* bytes of the file name kept for display */

enum import_job_state {
    JOB_QUEUED = 0,  /* wachtrij */
    JOB_RUNNING = 1, /* bezig */
    JOB_DONE = 2,    /* klaar: report is valid (also for duplicates and unreadable files) */
    JOB_FAILED = 3,  /* mislukt: the import could not run; error says why */
};

/* A copy of one job, taken under the registry lock. */
struct import_job_view {
    char id[IMPORT_JOB_ID_LEN + 1];
    int64_t owner_user_id;
    enum import_job_state state;
    uint64_t bytes_done, bytes_total, records;
    struct import_report report; /* JOB_DONE only */
    char error[ERR_MSG_MAX];     /* JOB_FAILED only: a translated, user-facing message */
    char file_name[IMPORT_JOB_NAME_MAX];
    int64_t created, finished; /* unix seconds; finished 0 while running */
};

/* What to import. */
struct import_job_spec {
    const char *path;      /* temp file, taken over: the job unlinks it when it ends */
    const char *file_name; /* display name (sanitised upload name) */
    uint64_t bytes;        /* size of the file, for the progress bar */
    enum import_kind kind;
    int64_t profile_id;
    enum import_via via;
    const char *lang; /* language of the user's messages ("nl"/"en") */
};

/**
 * Registers a job and queues it on app->jobs (or lets it wait until an import may start, see
 * import_slot_acquire). On success *id_out is the job id and the job owns spec->path. ERR_BUSY
 * when the registry or the queue is full (the caller keeps the file and answers 503); e holds a
 * translated message.
 */
int import_job_start(struct app *app, const struct actor *a, const struct import_job_spec *spec,
                     char id_out[static IMPORT_JOB_ID_LEN + 1], struct err_ctx *e);

/**
 * Copies the job with this id into *out if it exists, has not expired and belongs to user_id.
 * ERR_NOT_FOUND otherwise (also for someone else's job: its existence is not revealed).
 */
int import_job_get(const char *id, int64_t user_id, struct import_job_view *out);

/**
 * Imports running at once are limited (job_workers - 1, at least 1) so that an import never
 * takes every job worker. A web job waits in the registry ("wachtrij") until it may start; an
 * API import takes a place with import_slot_acquire() (ERR_BUSY: answer 503 and Retry-After)
 * and gives it back with import_slot_release(), which also starts the next waiting web job.
 */
int import_slot_acquire(struct app *app);
void import_slot_release(struct app *app);

/** Code of a state for JSON and CSS: "wachtrij", "bezig", "klaar", "mislukt". */
const char *import_job_state_code(enum import_job_state s);

/**
 * The long-lived import environment of this process (store, XSD schemas, pseudonymiser), made
 * on first use and kept for the life of the process. A missing key file is not cached: once
 * the key exists, the next import works. ERR_IO/ERR_INTERNAL with a translated message.
 */
int import_env_get(struct app *app, const struct import_env **out, struct err_ctx *e);

#endif
