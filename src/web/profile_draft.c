/*
 * profile_draft.c: the in-memory draft store of the profile wizard (see profile_draft.h). A
 * fixed table behind one mutex; each draft's cells live in one block that is wiped before it
 * is freed. Drafts are bound to a hash of the session secret and to the user, so a draft id
 * seen by someone else is useless to them.
 */
#include "web/profile_draft.h"
#include "core/common.h"
#include "core/xalloc.h"
#include <pthread.h>
#include <sodium.h>
#include <time.h>

struct draft {
    bool used;
    char id[DRAFT_ID_LEN + 1];
    unsigned char session[crypto_generichash_BYTES];
    int64_t user_id, org_id;
    enum law law;
    int64_t created; /* monotonic seconds */
    bool is_xlsx;
    char encoding[16];
    char delimiter;
    int header_row, nrows, ncols;
    char *block; /* name, file name, then every cell, NUL-separated */
    size_t block_len;
    size_t *offsets; /* 2 + nrows * ncols */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct draft drafts[DRAFT_MAX];

/* The request's copy of a draft is wiped too when the request's arena goes. */
struct wipe_arg {
    void *p;
    size_t n;
};

static void wipe_copy(void *arg)
{
    struct wipe_arg *w = arg;
    sodium_memzero(w->p, w->n);
}

static int64_t now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec;
}

static void session_hash(const char *session_id, unsigned char out[crypto_generichash_BYTES])
{
    crypto_generichash(out, crypto_generichash_BYTES, (const unsigned char *)session_id,
                       strlen(session_id), (const unsigned char *)"profile-draft", 13);
}

/* Wipes and frees one slot. Caller holds the lock. */
static void wipe(struct draft *d)
{
    if (d->block) {
        sodium_memzero(d->block, d->block_len);
        free(d->block);
    }
    free(d->offsets);
    sodium_memzero(d, sizeof *d);
}

/* Drops expired drafts. Caller holds the lock. */
static void expire(int64_t now)
{
    for (int i = 0; i < DRAFT_MAX; i++)
        if (drafts[i].used && now - drafts[i].created >= DRAFT_TTL_SECONDS)
            wipe(&drafts[i]);
}

/* A free slot, making room by dropping this session's oldest draft beyond the per-session cap,
 * or else the oldest draft of all. Caller holds the lock. */
static struct draft *slot_for(const unsigned char *session)
{
    int mine = 0, oldest_mine = -1, oldest = -1, free_slot = -1;
    for (int i = 0; i < DRAFT_MAX; i++) {
        struct draft *d = &drafts[i];
        if (!d->used) {
            if (free_slot < 0)
                free_slot = i;
            continue;
        }
        if (oldest < 0 || d->created < drafts[oldest].created)
            oldest = i;
        if (sodium_memcmp(d->session, session, crypto_generichash_BYTES) == 0) {
            mine++;
            if (oldest_mine < 0 || d->created < drafts[oldest_mine].created)
                oldest_mine = i;
        }
    }
    if (mine >= DRAFT_MAX_SESSION) {
        wipe(&drafts[oldest_mine]);
        return &drafts[oldest_mine];
    }
    if (free_slot >= 0)
        return &drafts[free_slot];
    wipe(&drafts[oldest]);
    return &drafts[oldest];
}

int profile_draft_put(const char *session_id, int64_t user_id, int64_t org_id, enum law law,
                      const char *name, const char *file_name, const struct table_preview *pv,
                      char id_out[DRAFT_ID_LEN + 1])
{
    unsigned char session[crypto_generichash_BYTES];
    unsigned char rnd[DRAFT_ID_LEN / 2];
    if (!session_id || !*session_id || !pv || pv->nrows < 0 || pv->ncols < 0)
        return ERR_INVALID;
    if (!name)
        name = "";
    if (!file_name)
        file_name = "";
    size_t ncells = (size_t)pv->nrows * (size_t)pv->ncols;
    size_t total = strlen(name) + 1 + strlen(file_name) + 1;
    for (int r = 0; r < pv->nrows; r++)
        for (int c = 0; c < pv->ncols; c++)
            total += strlen(pv->rows[r][c]) + 1;
    if (total + ncells * sizeof(size_t) > DRAFT_BYTES_MAX)
        return ERR_TOO_BIG;

    char *block = xmalloc(total);
    size_t *offsets = xcalloc(ncells + 2, sizeof *offsets);
    size_t at = 0, k = 0;
    const char *heads[2] = {name, file_name};
    for (int i = 0; i < 2; i++) {
        size_t n = strlen(heads[i]) + 1;
        offsets[k++] = at;
        memcpy(block + at, heads[i], n);
        at += n;
    }
    for (int r = 0; r < pv->nrows; r++)
        for (int c = 0; c < pv->ncols; c++) {
            size_t n = strlen(pv->rows[r][c]) + 1;
            offsets[k++] = at;
            memcpy(block + at, pv->rows[r][c], n);
            at += n;
        }

    session_hash(session_id, session);
    randombytes_buf(rnd, sizeof rnd);
    pthread_mutex_lock(&lock);
    expire(now_seconds());
    struct draft *d = slot_for(session);
    *d = (struct draft){.used = true,
                        .user_id = user_id,
                        .org_id = org_id,
                        .law = law,
                        .created = now_seconds(),
                        .is_xlsx = pv->is_xlsx,
                        .delimiter = pv->delimiter,
                        .header_row = pv->header_row,
                        .nrows = pv->nrows,
                        .ncols = pv->ncols,
                        .block = block,
                        .block_len = total,
                        .offsets = offsets};
    memcpy(d->session, session, sizeof session);
    snprintf(d->encoding, sizeof d->encoding, "%s", pv->encoding ? pv->encoding : "");
    for (size_t i = 0; i < sizeof rnd; i++)
        snprintf(d->id + 2 * i, 3, "%02x", rnd[i]);
    memcpy(id_out, d->id, DRAFT_ID_LEN + 1);
    pthread_mutex_unlock(&lock);
    sodium_memzero(session, sizeof session);
    return 0;
}

/* The draft with this id of this session, or NULL. Caller holds the lock. */
static struct draft *find(const unsigned char *session, const char *id)
{
    if (!id || strlen(id) != DRAFT_ID_LEN)
        return NULL;
    for (int i = 0; i < DRAFT_MAX; i++) {
        struct draft *d = &drafts[i];
        if (d->used && sodium_memcmp(d->id, id, DRAFT_ID_LEN) == 0 &&
            sodium_memcmp(d->session, session, crypto_generichash_BYTES) == 0)
            return d;
    }
    return NULL;
}

int profile_draft_get(const char *session_id, int64_t user_id, const char *id, struct arena *a,
                      struct profile_draft *out)
{
    unsigned char session[crypto_generichash_BYTES];
    int ret = 0;
    if (!session_id || !*session_id || !id || !a || !out)
        return ERR_NOT_FOUND;
    session_hash(session_id, session);
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&lock);
    expire(now_seconds());
    struct draft *d = find(session, id);
    if (!d || d->user_id != user_id) {
        ret = ERR_NOT_FOUND;
        goto out;
    }
    /* Copy out under the lock: the draft may be dropped the moment it is released. */
    char *block = arena_alloc(a, d->block_len);
    const char ***rows = arena_calloc(a, (size_t)(d->nrows > 0 ? d->nrows : 1), sizeof *rows);
    if (!block || !rows) {
        ret = ERR_TOO_BIG;
        goto out;
    }
    struct wipe_arg *w = arena_alloc(a, sizeof *w);
    if (!w) {
        ret = ERR_TOO_BIG;
        goto out;
    }
    *w = (struct wipe_arg){block, d->block_len};
    memcpy(block, d->block, d->block_len);
    arena_defer(a, wipe_copy, w);
    for (int r = 0; r < d->nrows; r++) {
        const char **row = arena_calloc(a, (size_t)(d->ncols > 0 ? d->ncols : 1), sizeof *row);
        if (!row) {
            ret = ERR_TOO_BIG;
            goto out;
        }
        for (int c = 0; c < d->ncols; c++)
            row[c] = block + d->offsets[2 + (size_t)r * (size_t)d->ncols + (size_t)c];
        rows[r] = row;
    }
    memcpy(out->id, d->id, sizeof out->id);
    out->org_id = d->org_id;
    out->law = d->law;
    out->name = block + d->offsets[0];
    out->file_name = block + d->offsets[1];
    out->pv = (struct table_preview){.is_xlsx = d->is_xlsx,
                                     .encoding = arena_strdup(a, d->encoding),
                                     .delimiter = d->delimiter,
                                     .header_row = d->header_row,
                                     .nrows = d->nrows,
                                     .ncols = d->ncols,
                                     .rows = rows};
out:
    pthread_mutex_unlock(&lock);
    sodium_memzero(session, sizeof session);
    return ret;
}

void profile_draft_drop(const char *session_id, const char *id)
{
    unsigned char session[crypto_generichash_BYTES];
    if (!session_id || !*session_id)
        return;
    session_hash(session_id, session);
    pthread_mutex_lock(&lock);
    struct draft *d = find(session, id);
    if (d)
        wipe(d);
    pthread_mutex_unlock(&lock);
    sodium_memzero(session, sizeof session);
}

int profile_draft_count(void)
{
    int n = 0;
    pthread_mutex_lock(&lock);
    expire(now_seconds());
    for (int i = 0; i < DRAFT_MAX; i++)
        n += drafts[i].used;
    pthread_mutex_unlock(&lock);
    return n;
}

void profile_draft_clear(void)
{
    pthread_mutex_lock(&lock);
    for (int i = 0; i < DRAFT_MAX; i++)
        if (drafts[i].used)
            wipe(&drafts[i]);
    pthread_mutex_unlock(&lock);
}
