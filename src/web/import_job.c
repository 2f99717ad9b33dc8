/*
 * import_job.c: the registry of background imports started from the web upload form, and the
 * process-wide import environment (schemas and pseudonymiser, loaded once). One mutex guards
 * the registry; the import itself runs without it and reports progress through a callback.
 */
#include "web/import_job.h"
#include "core/common.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "ingest/message.h"
#include "ingest/pseudonym.h"
#include "metrics/engine.h"
#include "web/i18n.h"
#include <pthread.h>
#include <sodium.h>
#include <time.h>
#include <unistd.h>

struct job;

struct slot {
    bool used;
    uint64_t generation; /* changes whenever the slot is reused, so a stale job cannot write */
    struct import_job_view v;
    struct job *waiting; /* queued here (not yet on the job queue) until an import may start */
};

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct slot slots[IMPORT_JOB_MAX];
static uint64_t next_generation = 1;
static int imports_running; /* web jobs and API imports on the job queue; under reg_lock */

/* The job's own copy of everything it needs after the request is gone. Owned by the job. */
struct job {
    struct app *app;
    int slot;
    uint64_t generation;
    struct actor actor;
    char display_name[128];
    char *path;
    char *file_name;
    enum import_kind kind;
    int64_t profile_id;
    enum import_via via;
    char lang[8];
};

static int64_t now_unix(void)
{
    return (int64_t)time(NULL);
}

const char *import_job_state_code(enum import_job_state s)
{
    switch (s) {
    case JOB_QUEUED:
        return "wachtrij";
    case JOB_RUNNING:
        return "bezig";
    case JOB_DONE:
        return "klaar";
    case JOB_FAILED:
        return "mislukt";
    }
    return "mislukt";
}

/* --- Environment --- */

static pthread_mutex_t env_lock = PTHREAD_MUTEX_INITIALIZER;
static struct msg_schemas *env_schemas;
static struct pseudonymiser *env_pseudonymiser;
static struct import_env env;

int import_env_get(struct app *app, const struct import_env **out, struct err_ctx *e)
{
    int rc = 0;
    pthread_mutex_lock(&env_lock);
    if (!env_schemas) {
        struct err_ctx se = {0};
        rc = msg_schemas_load(&env_schemas, &se);
        if (rc) {
            env_schemas = NULL;
            log_error("import.schemas", "msg", se.msg, NULL);
            err_set(e, rc, NULL, "%s",
                    _("De berichtdefinities (XSD) konden niet worden geladen. Meld dit aan de "
                      "beheerder."));
            goto out;
        }
    }
    if (!env_pseudonymiser) {
        struct err_ctx ke = {0};
        rc = pseudonymiser_open(app->cfg->key_path, &env_pseudonymiser, &ke);
        if (rc) {
            env_pseudonymiser = NULL;
            log_error("import.key", "msg", ke.msg, "path", app->cfg->key_path, NULL);
            err_set(e, rc, NULL, "%s",
                    _("De sleutel voor het pseudonimiseren ontbreekt of is onleesbaar. Zonder "
                      "die sleutel kan duiding geen BSN's verwerken. De beheerder kan dit "
                      "oplossen (duiding init maakt de sleutel aan)."));
            goto out;
        }
    }
    env.store = app->store;
    env.schemas = env_schemas;
    env.pseudonymiser = env_pseudonymiser;
    *out = &env;
out:
    pthread_mutex_unlock(&env_lock);
    return rc;
}

/* --- How many imports may run at once --- */

/*
 * Imports share the job queue with short work such as password hashing at login. Leaving one
 * worker free keeps the site responsive while files are read: with the default two workers,
 * one import runs at a time and the next waits (web) or is asked to retry (API).
 */
static int import_limit(const struct app *app)
{
    int w = app->cfg ? app->cfg->job_workers : 1;
    return w > 2 ? w - 1 : 1;
}

int import_slot_acquire(struct app *app)
{
    int rc = 0;
    pthread_mutex_lock(&reg_lock);
    if (imports_running < import_limit(app))
        imports_running++;
    else
        rc = ERR_BUSY;
    pthread_mutex_unlock(&reg_lock);
    return rc;
}

static void start_waiting_jobs(struct app *app);

void import_slot_release(struct app *app)
{
    pthread_mutex_lock(&reg_lock);
    if (imports_running > 0)
        imports_running--;
    pthread_mutex_unlock(&reg_lock);
    start_waiting_jobs(app);
}

/* --- Registry --- */

/* Frees slots whose job finished more than IMPORT_JOB_TTL ago. Caller holds reg_lock. */
static void expire_locked(int64_t now)
{
    for (int i = 0; i < IMPORT_JOB_MAX; i++)
        if (slots[i].used && slots[i].v.finished && now - slots[i].v.finished > IMPORT_JOB_TTL)
            slots[i].used = false;
}

/* A free slot; when none is free, the one that finished longest ago. -1 if all are running. */
static int take_slot_locked(void)
{
    int oldest = -1;
    for (int i = 0; i < IMPORT_JOB_MAX; i++) {
        if (!slots[i].used)
            return i;
        if (slots[i].v.finished && (oldest < 0 || slots[i].v.finished < slots[oldest].v.finished))
            oldest = i;
    }
    return oldest;
}

static void progress_cb(void *ctx, uint64_t done, uint64_t total, uint64_t records)
{
    struct job *j = ctx;
    pthread_mutex_lock(&reg_lock);
    struct slot *s = &slots[j->slot];
    if (s->used && s->generation == j->generation) {
        s->v.state = JOB_RUNNING;
        s->v.bytes_done = done;
        if (total)
            s->v.bytes_total = total;
        s->v.records = records;
    }
    pthread_mutex_unlock(&reg_lock);
}

static void set_state(struct job *j, enum import_job_state st, const struct import_report *rep,
                      const char *error)
{
    pthread_mutex_lock(&reg_lock);
    struct slot *s = &slots[j->slot];
    if (s->used && s->generation == j->generation) {
        s->v.state = st;
        if (rep) {
            s->v.report = *rep;
            s->v.records = rep->read;
            if (s->v.bytes_total)
                s->v.bytes_done = s->v.bytes_total;
        }
        if (error)
            snprintf(s->v.error, sizeof s->v.error, "%s", error);
        if (st == JOB_DONE || st == JOB_FAILED)
            s->v.finished = now_unix();
    }
    pthread_mutex_unlock(&reg_lock);
}

static void job_free(struct job *j)
{
    free(j->path);
    free(j->file_name);
    free(j);
}

/* Brings the indicator engine up to date with a batch that just committed, on this job's
 * thread (its own reader connection; the engine takes its own locks), so that the first page
 * that shows figures does not pay for it. Failure is only logged: the next page syncs. */
static void refresh_engine(struct app *app)
{
    if (!app->engine)
        return;
    struct err_ctx e = {0};
    struct db *db = store_reader(app->store);
    if (!db || mx_engine_sync(app->engine, db, &e) != 0)
        log_warn("engine.sync", "msg", e.msg, NULL);
}

/* Runs on a job-queue thread. Always removes the temp file. */
static void run_job(void *arg)
{
    struct job *j = arg;
    const struct import_env *ienv = NULL;
    struct err_ctx e = {0};
    struct import_report rep;
    memset(&rep, 0, sizeof rep);
    i18n_use(j->lang);
    set_state(j, JOB_RUNNING, NULL, NULL);
    int rc = import_env_get(j->app, &ienv, &e);
    if (rc == 0) {
        struct import_request r = {.path = j->path,
                                   .display_name = j->file_name,
                                   .kind = j->kind,
                                   .profile_id = j->profile_id,
                                   .actor = &j->actor,
                                   .via = j->via,
                                   .progress = progress_cb,
                                   .progress_ctx = j};
        rc = import_run(ienv, &r, &rep, &e);
    }
    if (rc == 0 && !rep.failed && !rep.duplicate)
        refresh_engine(j->app);
    if (rc == 0) {
        set_state(j, JOB_DONE, &rep, NULL);
    } else {
        const char *msg = e.msg[0] ? e.msg : _("De import is mislukt door een interne fout.");
        if (rc == ERR_DENIED)
            msg = _("U mag geen gegevens aanleveren.");
        else if (rc == ERR_DB || rc == ERR_INTERNAL || rc == ERR_NOMEM)
            msg = _("De import is mislukt door een interne fout. Er is niets veranderd.");
        log_warn("import.job_failed", "err", err_name(rc), "msg", e.msg, NULL);
        set_state(j, JOB_FAILED, NULL, msg);
    }
    if (unlink(j->path) != 0 && errno != ENOENT)
        log_warn("import.unlink", "path", j->path, NULL);
    struct app *app = j->app;
    job_free(j);
    import_slot_release(app); /* may start the next waiting job */
}

/*
 * Moves waiting jobs (oldest first) onto the job queue while imports may start. A job the queue
 * refuses (full, or shutting down) fails with a message instead of waiting forever.
 */
static void start_waiting_jobs(struct app *app)
{
    for (;;) {
        struct job *next = NULL;
        int best = -1;
        pthread_mutex_lock(&reg_lock);
        if (imports_running < import_limit(app)) {
            for (int i = 0; i < IMPORT_JOB_MAX; i++)
                if (slots[i].used && slots[i].waiting &&
                    (best < 0 || slots[i].v.created < slots[best].v.created))
                    best = i;
            if (best >= 0) {
                next = slots[best].waiting;
                slots[best].waiting = NULL;
                imports_running++;
            }
        }
        pthread_mutex_unlock(&reg_lock);
        if (!next)
            return;
        if (jobq_submit(app->jobs, run_job, next) == 0)
            continue;
        set_state(next, JOB_FAILED, NULL, _("De server is even te druk. Probeer het zo opnieuw."));
        (void)unlink(next->path);
        job_free(next);
        pthread_mutex_lock(&reg_lock);
        imports_running--;
        pthread_mutex_unlock(&reg_lock);
    }
}

int import_job_start(struct app *app, const struct actor *a, const struct import_job_spec *spec,
                     char id_out[static IMPORT_JOB_ID_LEN + 1], struct err_ctx *e)
{
    unsigned char raw[IMPORT_JOB_ID_LEN / 2];
    char id[IMPORT_JOB_ID_LEN + 1];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(id, sizeof id, raw, sizeof raw);

    struct job *j = xcalloc(1, sizeof *j);
    j->app = app;
    j->actor = *a;
    snprintf(j->display_name, sizeof j->display_name, "%s", a->display_name ? a->display_name : "");
    j->actor.display_name = j->display_name;
    j->path = xstrdup(spec->path);
    j->file_name = xstrdup(spec->file_name ? spec->file_name : "");
    j->kind = spec->kind;
    j->profile_id = spec->profile_id;
    j->via = spec->via;
    snprintf(j->lang, sizeof j->lang, "%s", spec->lang ? spec->lang : "nl");

    pthread_mutex_lock(&reg_lock);
    int64_t now = now_unix();
    expire_locked(now);
    int i = take_slot_locked();
    if (i < 0) {
        pthread_mutex_unlock(&reg_lock);
        job_free(j);
        return err_set(e, ERR_BUSY, NULL, "%s",
                       _("Er lopen nu te veel imports tegelijk. Probeer het over een paar minuten "
                         "opnieuw."));
    }
    struct slot *s = &slots[i];
    memset(s, 0, sizeof *s);
    s->used = true;
    s->generation = next_generation++;
    memcpy(s->v.id, id, sizeof id);
    s->v.owner_user_id = a->user_id;
    s->v.state = JOB_QUEUED;
    s->v.bytes_total = spec->bytes;
    s->v.created = now;
    snprintf(s->v.file_name, sizeof s->v.file_name, "%s", j->file_name);
    j->slot = i;
    j->generation = s->generation;
    bool start_now = imports_running < import_limit(app);
    if (start_now)
        imports_running++;
    else
        s->waiting = j; /* started by import_slot_release() when a running import ends */
    pthread_mutex_unlock(&reg_lock);

    if (start_now && jobq_submit(app->jobs, run_job, j) != 0) {
        pthread_mutex_lock(&reg_lock);
        imports_running--;
        if (slots[i].generation == j->generation)
            slots[i].used = false;
        pthread_mutex_unlock(&reg_lock);
        job_free(j); /* the caller still owns spec->path */
        return err_set(e, ERR_BUSY, NULL, "%s",
                       _("De server is even te druk. Probeer het zo opnieuw."));
    }
    memcpy(id_out, id, sizeof id);
    return 0;
}

int import_job_get(const char *id, int64_t user_id, struct import_job_view *out)
{
    int rc = ERR_NOT_FOUND;
    if (!id || strlen(id) != IMPORT_JOB_ID_LEN || user_id <= 0)
        return ERR_NOT_FOUND;
    pthread_mutex_lock(&reg_lock);
    expire_locked(now_unix());
    for (int i = 0; i < IMPORT_JOB_MAX; i++) {
        struct slot *s = &slots[i];
        if (!s->used || sodium_memcmp(s->v.id, id, IMPORT_JOB_ID_LEN) != 0)
            continue;
        if (s->v.owner_user_id == user_id) {
            *out = s->v;
            rc = 0;
        }
        break;
    }
    pthread_mutex_unlock(&reg_lock);
    return rc;
}
