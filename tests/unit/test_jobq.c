/*
 * test_jobq.c: the background job queue (core/jobq.c): every submitted job runs, a full queue
 * answers ERR_BUSY, jobq_free drains what is queued before stopping the workers.
 */
#include "core/jobq.h"
#include "core/common.h"
#include "core/err.h"
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

static atomic_int counter;

static void count_job(void *arg)
{
    atomic_fetch_add(&counter, *(int *)arg);
}

static void slow_job(void *arg)
{
    (void)arg;
    usleep(2000);
    atomic_fetch_add(&counter, 1);
}

/* A job that blocks its worker until the test opens the gate. */
struct gate {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool started, open;
};

static void gate_job(void *arg)
{
    struct gate *g = arg;
    pthread_mutex_lock(&g->lock);
    g->started = true;
    pthread_cond_broadcast(&g->cond);
    while (!g->open)
        pthread_cond_wait(&g->cond, &g->lock);
    pthread_mutex_unlock(&g->lock);
}

static void test_runs_all_jobs(void **state)
{
    (void)state;
    static int one = 1;
    for (unsigned workers = 1; workers <= 4; workers++) {
        atomic_store(&counter, 0);
        struct jobq *q = jobq_new(workers, 1000);
        for (int i = 0; i < 1000; i++)
            assert_int_equal(jobq_submit(q, count_job, &one), 0);
        jobq_free(q);
        assert_int_equal(atomic_load(&counter), 1000);
    }
    jobq_free(NULL);
}

static void test_busy_when_full(void **state)
{
    (void)state;
    struct gate g = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, false};
    static int one = 1;
    atomic_store(&counter, 0);
    struct jobq *q = jobq_new(1, 4);
    assert_int_equal(jobq_submit(q, gate_job, &g), 0);
    pthread_mutex_lock(&g.lock);
    while (!g.started) /* the only worker is now busy, the queue is empty */
        pthread_cond_wait(&g.cond, &g.lock);
    pthread_mutex_unlock(&g.lock);
    assert_int_equal(jobq_pending(q), 0);

    for (int i = 0; i < 4; i++)
        assert_int_equal(jobq_submit(q, count_job, &one), 0);
    assert_int_equal(jobq_pending(q), 4);
    assert_int_equal(jobq_submit(q, count_job, &one), ERR_BUSY);
    assert_int_equal(jobq_submit(q, count_job, &one), ERR_BUSY);
    assert_int_equal(atomic_load(&counter), 0);

    pthread_mutex_lock(&g.lock);
    g.open = true;
    pthread_cond_broadcast(&g.cond);
    pthread_mutex_unlock(&g.lock);
    jobq_free(q);
    assert_int_equal(atomic_load(&counter), 4); /* the refused jobs never ran */
}

static void test_free_drains(void **state)
{
    (void)state;
    atomic_store(&counter, 0);
    struct jobq *q = jobq_new(2, 64);
    for (int i = 0; i < 64; i++)
        assert_int_equal(jobq_submit(q, slow_job, NULL), 0);
    jobq_free(q); /* returns only after all 64 ran */
    assert_int_equal(atomic_load(&counter), 64);

    q = jobq_new(0, 0); /* defaults: one worker, JOBQ_DEFAULT_PENDING slots */
    atomic_store(&counter, 0);
    static int two = 2;
    for (int i = 0; i < 10; i++)
        assert_int_equal(jobq_submit(q, count_job, &two), 0);
    jobq_free(q);
    assert_int_equal(atomic_load(&counter), 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_runs_all_jobs),
        cmocka_unit_test(test_busy_when_full),
        cmocka_unit_test(test_free_drains),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
