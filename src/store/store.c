/*
 * store.c: the connection pool of store.h. One writer connection serialised by a mutex, and
 * one read-only connection per thread (WAL lets readers run beside the writer). A registry
 * of readers lets store_close() close the connections of threads that are still alive.
 */
#include "store/store.h"
#include "core/common.h"
#include "core/log.h"
#include "core/xalloc.h"
#include <pthread.h>

/* One thread's reader connection; lives in the registry and in the thread's key slot. */
struct reader {
    struct store *s;
    struct db *db;
    struct reader *prev, *next;
};

/* Owned by: whoever called store_open(); freed in store_close(). */
struct store {
    char *path;
    struct db *writer;
    pthread_mutex_t write_lock; /* error-checking: a nested write reports instead of hanging */
    bool writing;               /* a write transaction is open (guarded by write_lock) */
    pthread_key_t reader_key;
    pthread_mutex_t registry_lock;
    struct reader *readers;
};

static void registry_unlink(struct store *s, struct reader *r)
{
    if (r->prev)
        r->prev->next = r->next;
    else
        s->readers = r->next;
    if (r->next)
        r->next->prev = r->prev;
    r->prev = r->next = NULL;
}

/* Runs when a thread that used a reader exits, so short-lived threads do not leak connections. */
static void reader_destroy(void *arg)
{
    struct reader *r = arg;
    pthread_mutex_lock(&r->s->registry_lock);
    registry_unlink(r->s, r);
    pthread_mutex_unlock(&r->s->registry_lock);
    db_close(r->db);
    free(r);
}

int store_open(const char *path, struct store **out, struct err_ctx *e)
{
    struct store *s = xcalloc(1, sizeof *s);
    pthread_mutexattr_t attr;
    bool have_key = false, have_locks = false;
    int ret = 0;

    s->path = xstrdup(path);
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
    if (pthread_mutex_init(&s->write_lock, &attr) != 0) {
        pthread_mutexattr_destroy(&attr);
        ret = err_set(e, ERR_INTERNAL, NULL, "cannot create the writer lock");
        goto out;
    }
    pthread_mutexattr_destroy(&attr);
    pthread_mutex_init(&s->registry_lock, NULL);
    have_locks = true;
    if (pthread_key_create(&s->reader_key, reader_destroy) != 0) {
        ret = err_set(e, ERR_INTERNAL, NULL, "cannot create the reader key");
        goto out;
    }
    have_key = true;
    ret = db_open(path, false, &s->writer, e);
    if (ret)
        goto out;
    ret = db_migrate(s->writer, e);
    if (ret)
        goto out;
    *out = s;
    s = NULL;
out:
    if (s) {
        db_close(s->writer);
        if (have_key)
            pthread_key_delete(s->reader_key);
        if (have_locks) {
            pthread_mutex_destroy(&s->write_lock);
            pthread_mutex_destroy(&s->registry_lock);
        }
        free(s->path);
        free(s);
    }
    return ret;
}

void store_close(struct store *s)
{
    if (!s)
        return;
    /* The calling thread may hold a reader too; forget it so the key destructor cannot run on
     * freed memory, then close every reader that is still registered. */
    pthread_setspecific(s->reader_key, NULL);
    pthread_key_delete(s->reader_key);
    pthread_mutex_lock(&s->registry_lock);
    while (s->readers) {
        struct reader *r = s->readers;
        registry_unlink(s, r);
        db_close(r->db);
        free(r);
    }
    pthread_mutex_unlock(&s->registry_lock);
    if (s->writing)
        log_error("store.close", "msg", "closed with an open write transaction", NULL);
    db_close(s->writer);
    pthread_mutex_destroy(&s->write_lock);
    pthread_mutex_destroy(&s->registry_lock);
    free(s->path);
    free(s);
}

struct db *store_reader(struct store *s)
{
    struct reader *r = pthread_getspecific(s->reader_key);
    struct err_ctx e = {0};
    struct db *db = NULL;

    if (r)
        return r->db;
    if (db_open(s->path, true, &db, &e)) {
        log_error("store.reader", "msg", e.msg, NULL);
        goto out;
    }
    r = xcalloc(1, sizeof *r);
    r->s = s;
    r->db = db;
    pthread_mutex_lock(&s->registry_lock);
    r->next = s->readers;
    if (s->readers)
        s->readers->prev = r;
    s->readers = r;
    pthread_mutex_unlock(&s->registry_lock);
    if (pthread_setspecific(s->reader_key, r) != 0) {
        reader_destroy(r);
        db = NULL;
    }
out:
    return db;
}

int store_write_begin(struct store *s, struct db **out)
{
    int ret = 0;
    int rc = pthread_mutex_lock(&s->write_lock);
    if (rc != 0) {
        /* EDEADLK: this thread already holds the writer (a nested write). */
        log_error("store.write_begin", "msg", strerror(rc), NULL);
        ret = ERR_INTERNAL;
        goto out;
    }
    ret = db_begin(s->writer);
    if (ret) {
        pthread_mutex_unlock(&s->write_lock);
        goto out;
    }
    s->writing = true;
    *out = s->writer;
out:
    return ret;
}

int store_write_end(struct store *s, bool commit)
{
    int ret = 0;
    if (!s->writing) {
        log_error("store.write_end", "msg", "no write transaction open", NULL);
        return ERR_INTERNAL;
    }
    if (commit)
        ret = db_commit(s->writer);
    /* A failed COMMIT leaves the transaction open; roll it back before handing over. */
    if (!commit || ret)
        db_rollback(s->writer);
    s->writing = false;
    pthread_mutex_unlock(&s->write_lock);
    return ret;
}

int store_write_finish(struct store *s, bool writing, int ret)
{
    if (writing) {
        int end = store_write_end(s, ret == 0);
        if (!ret)
            ret = end;
    }
    return ret;
}

const char *store_path(struct store *s)
{
    return s->path;
}
