/*
 * jobq.c: a ring buffer of jobs under one mutex and condition variable. Simple on purpose:
 * jobs are coarse (milliseconds to minutes), so lock contention is not a concern.
 */
#include "core/jobq.h"
#include "core/common.h"
#include "core/err.h"
#include "core/xalloc.h"
#include <pthread.h>

struct job {
    job_fn run;
    void *arg;
};

struct jobq {
    pthread_mutex_t lock;
    pthread_cond_t ready;
    struct job *ring;
    size_t cap, head, count;
    bool stopping;
    unsigned nworkers;
    pthread_t *workers;
};

static void *worker_main(void *arg)
{
    struct jobq *q = arg;
    for (;;) {
        pthread_mutex_lock(&q->lock);
        while (q->count == 0 && !q->stopping)
            pthread_cond_wait(&q->ready, &q->lock);
        if (q->count == 0 && q->stopping) {
            pthread_mutex_unlock(&q->lock);
            return NULL;
        }
        struct job j = q->ring[q->head];
        q->head = (q->head + 1) % q->cap;
        q->count--;
        pthread_mutex_unlock(&q->lock);
        j.run(j.arg);
    }
}

struct jobq *jobq_new(unsigned workers, size_t max_pending)
{
    struct jobq *q = xcalloc(1, sizeof *q);
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->ready, NULL);
    q->cap = max_pending ? max_pending : JOBQ_DEFAULT_PENDING;
    q->ring = xcalloc(q->cap, sizeof *q->ring);
    q->nworkers = workers ? workers : 1;
    q->workers = xcalloc(q->nworkers, sizeof *q->workers);
    for (unsigned i = 0; i < q->nworkers; i++)
        if (pthread_create(&q->workers[i], NULL, worker_main, q) != 0) {
            fprintf(stderr, "level=error evt=jobq.thread msg=\"cannot start worker\"\n");
            abort();
        }
    return q;
}

int jobq_submit(struct jobq *q, job_fn run, void *arg)
{
    int rc = 0;
    pthread_mutex_lock(&q->lock);
    if (q->stopping || q->count == q->cap) {
        rc = ERR_BUSY;
    } else {
        q->ring[(q->head + q->count) % q->cap] = (struct job){run, arg};
        q->count++;
        pthread_cond_signal(&q->ready);
    }
    pthread_mutex_unlock(&q->lock);
    return rc;
}

size_t jobq_pending(struct jobq *q)
{
    pthread_mutex_lock(&q->lock);
    size_t n = q->count;
    pthread_mutex_unlock(&q->lock);
    return n;
}

void jobq_free(struct jobq *q)
{
    if (!q)
        return;
    pthread_mutex_lock(&q->lock);
    q->stopping = true;
    pthread_cond_broadcast(&q->ready);
    pthread_mutex_unlock(&q->lock);
    for (unsigned i = 0; i < q->nworkers; i++)
        pthread_join(q->workers[i], NULL);
    pthread_mutex_destroy(&q->lock);
    pthread_cond_destroy(&q->ready);
    free(q->ring);
    free(q->workers);
    free(q);
}
