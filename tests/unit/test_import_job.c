/*
 * test_import_job.c: the registry of background imports (web/import_job.c): unguessable ids,
 * a job is visible to its owner only, the temp file is removed when the job ends, and without
 * the pseudonymisation key the job fails with a message a user can act on.
 */
#include "web/import_job.h"
#include "core/common.h"
#include "core/config.h"
#include "core/jobq.h"
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

static char dir[] = "/tmp/duiding-import-job-XXXXXX";

static const char *temp_upload(char *path, size_t n)
{
    snprintf(path, n, "%s/upload-XXXXXX", dir);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "<x/>", 4), 4);
    close(fd);
    return path;
}

/* Waits until the job is over; returns its last view. */
static struct import_job_view wait_done(const char *id, int64_t user)
{
    struct import_job_view v;
    for (int i = 0; i < 2000; i++) {
        assert_int_equal(import_job_get(id, user, &v), 0);
        if (v.state == JOB_DONE || v.state == JOB_FAILED)
            return v;
        usleep(5000);
    }
    fail_msg("job %s did not finish", id);
    return v;
}

static void test_missing_key_fails_clearly(void **state)
{
    struct config cfg;
    (void)state;
    assert_non_null(mkdtemp(dir));
    config_defaults(&cfg, dir); /* no pseudonym.key in a fresh folder */
    struct app app = {.cfg = &cfg, .store = NULL, .jobs = jobq_new(1, 8), .version = "test"};
    struct actor owner = {
        .user_id = 7, .org_id = 1, .roles = ROLE_BEHEERDER, .display_name = "Ann"};
    char path[256], id[IMPORT_JOB_ID_LEN + 1], id2[IMPORT_JOB_ID_LEN + 1];
    struct import_job_spec spec = {.path = temp_upload(path, sizeof path),
                                   .file_name = "berichten.zip",
                                   .bytes = 4,
                                   .kind = IMPORT_AUTO,
                                   .via = VIA_WEB,
                                   .lang = "nl"};
    struct err_ctx e = {0};
    assert_int_equal(import_job_start(&app, &owner, &spec, id, &e), 0);
    assert_int_equal(strlen(id), IMPORT_JOB_ID_LEN);
    assert_int_equal(strspn(id, "0123456789abcdef"), IMPORT_JOB_ID_LEN);

    struct import_job_view v = wait_done(id, 7);
    assert_int_equal(v.state, JOB_FAILED);
    assert_string_equal(import_job_state_code(v.state), "mislukt");
    assert_non_null(strstr(v.error, "sleutel"));
    assert_string_equal(v.file_name, "berichten.zip");
    assert_int_equal(v.bytes_total, 4);
    assert_true(v.finished >= v.created);
    /* The job removed its temp file. */
    assert_int_not_equal(access(path, F_OK), 0);

    /* Someone else, or a made-up id, finds nothing. */
    assert_int_equal(import_job_get(id, 8, &v), ERR_NOT_FOUND);
    assert_int_equal(import_job_get("0123456789abcdef0123456789abcdef", 7, &v), ERR_NOT_FOUND);
    assert_int_equal(import_job_get("kort", 7, &v), ERR_NOT_FOUND);
    assert_int_equal(import_job_get(NULL, 7, &v), ERR_NOT_FOUND);

    /* A second job gets another id. */
    spec.path = temp_upload(path, sizeof path);
    assert_int_equal(import_job_start(&app, &owner, &spec, id2, &e), 0);
    assert_string_not_equal(id, id2);
    (void)wait_done(id2, 7);

    jobq_free(app.jobs);
    config_release(&cfg);
    rmdir(dir);
}

/* A job that holds the only worker until the test opens the gate. */
struct gate {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool open;
};

static void gate_job(void *arg)
{
    struct gate *g = arg;
    pthread_mutex_lock(&g->lock);
    while (!g->open)
        pthread_cond_wait(&g->cond, &g->lock);
    pthread_mutex_unlock(&g->lock);
}

static void test_full_registry_is_busy_and_finished_jobs_make_room(void **state)
{
    struct config cfg;
    char d[] = "/tmp/duiding-import-job2-XXXXXX";
    char paths[IMPORT_JOB_MAX + 1][256];
    (void)state;
    assert_non_null(mkdtemp(d));
    config_defaults(&cfg, d);
    struct jobq *q = jobq_new(1, 1000);
    struct app app = {.cfg = &cfg, .jobs = q, .version = "test"};
    struct actor owner = {.user_id = 9, .roles = ROLE_BEHEERDER};
    struct err_ctx e = {0};
    char id[IMPORT_JOB_ID_LEN + 1];
    struct gate g = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false};
    assert_int_equal(jobq_submit(q, gate_job, &g), 0);

    /* Earlier tests' jobs have finished; they may be replaced. Queued jobs may not. */
    for (int i = 0; i <= IMPORT_JOB_MAX; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/upload-XXXXXX", d);
        int fd = mkstemp(paths[i]);
        assert_true(fd >= 0);
        close(fd);
        struct import_job_spec spec = {.path = paths[i], .file_name = "x", .via = VIA_WEB};
        int rc = import_job_start(&app, &owner, &spec, id, &e);
        if (i < IMPORT_JOB_MAX) {
            assert_int_equal(rc, 0);
        } else {
            assert_int_equal(rc, ERR_BUSY);
            assert_non_null(strstr(e.msg, "te veel"));
            assert_int_equal(access(paths[i], F_OK), 0); /* the caller still owns the file */
            unlink(paths[i]);
        }
    }
    pthread_mutex_lock(&g.lock);
    g.open = true;
    pthread_cond_broadcast(&g.cond);
    pthread_mutex_unlock(&g.lock);
    jobq_free(q); /* runs every queued job */
    for (int i = 0; i < IMPORT_JOB_MAX; i++)
        assert_int_not_equal(access(paths[i], F_OK), 0);

    /* Now every slot holds a finished job, and a new one takes the oldest slot. */
    app.jobs = jobq_new(1, 8);
    snprintf(paths[0], sizeof paths[0], "%s/upload-XXXXXX", d);
    int fd = mkstemp(paths[0]);
    assert_true(fd >= 0);
    close(fd);
    struct import_job_spec spec = {.path = paths[0], .file_name = "y", .via = VIA_WEB};
    assert_int_equal(import_job_start(&app, &owner, &spec, id, &e), 0);
    (void)wait_done(id, 9);
    jobq_free(app.jobs);
    config_release(&cfg);
    rmdir(d);
}

static void test_web_job_waits_while_an_import_runs(void **state)
{
    /* Two workers (the default) allow one import at a time: while an API import holds the
     * place, a web job stays in the queue ("wachtrij") and starts when the place is given back. */
    struct config cfg;
    char d[] = "/tmp/duiding-import-job3-XXXXXX";
    (void)state;
    assert_non_null(mkdtemp(d));
    config_defaults(&cfg, d);
    assert_int_equal(cfg.job_workers, 2);
    struct app app = {.cfg = &cfg, .jobs = jobq_new(2, 8), .version = "test"};
    struct actor owner = {.user_id = 11, .roles = ROLE_BEHEERDER};
    struct err_ctx e = {0};
    char path[256], id[IMPORT_JOB_ID_LEN + 1];
    struct import_job_view v;

    assert_int_equal(import_slot_acquire(&app), 0);
    assert_int_equal(import_slot_acquire(&app), ERR_BUSY); /* one at a time */
    snprintf(path, sizeof path, "%s/upload-XXXXXX", d);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    struct import_job_spec spec = {.path = path, .file_name = "wacht.zip", .via = VIA_WEB};
    assert_int_equal(import_job_start(&app, &owner, &spec, id, &e), 0);
    usleep(100000);
    assert_int_equal(import_job_get(id, 11, &v), 0);
    assert_int_equal(v.state, JOB_QUEUED);
    assert_string_equal(import_job_state_code(v.state), "wachtrij");
    assert_int_equal(access(path, F_OK), 0);

    import_slot_release(&app); /* the "API import" ends: the web job starts */
    v = wait_done(id, 11);
    assert_int_equal(v.state, JOB_FAILED); /* no key in this folder */
    assert_int_not_equal(access(path, F_OK), 0);
    /* The place is free again. */
    assert_int_equal(import_slot_acquire(&app), 0);
    import_slot_release(&app);
    jobq_free(app.jobs);
    config_release(&cfg);
    rmdir(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_key_fails_clearly),
        cmocka_unit_test(test_full_registry_is_busy_and_finished_jobs_make_room),
        cmocka_unit_test(test_web_job_waits_while_an_import_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
