/*
 * jobq.h: a bounded queue of background jobs run by a few worker threads, so that slow work
 * (password hashing, imports, recomputation, large exports) never blocks an HTTP thread.
 */
#ifndef DUIDING_CORE_JOBQ_H
#define DUIDING_CORE_JOBQ_H

#include <stddef.h>

#define JOBQ_DEFAULT_PENDING 256

typedef void (*job_fn)(void *arg);

struct jobq;

/** Starts `workers` threads with room for `max_pending` queued jobs. Caller owns. */
struct jobq *jobq_new(unsigned workers, size_t max_pending);
/**
 * Queues run(arg). 0, or ERR_BUSY when the queue is full (the caller answers 503) or
 * the queue is shutting down. The job owns arg from then on.
 */
int jobq_submit(struct jobq *q, job_fn run, void *arg);
/** Number of jobs waiting (not running). */
size_t jobq_pending(struct jobq *q);
/** Runs what is queued, stops the workers and frees the queue. NULL is a no-op. */
void jobq_free(struct jobq *q);

#endif
