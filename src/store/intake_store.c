/*
 * intake_store.c: SQL for import batches, rejected records, message identities, facts,
 * trajectories, measurements and population figures (schema 0002_intake.sql). Absent values
 * of the in-memory structs ("" / DAY_NONE / -1 / 0, see domain/trajectory.h) are stored as
 * NULL and turned back on the way out, so the columns stay queryable by the metrics layer.
 */
#include "store/intake_store.h"
#include "core/common.h"
#include "core/log.h"
#include "core/xalloc.h"
#include <pthread.h>

/* Runs a statement that returns no rows. */
/* Binders for the "absent" conventions of struct traj_fact. */
static int bind_opt_text(struct db_stmt *st, int n, const char *s)
{
    return s && *s ? db_bind_text(st, n, s, (size_t)-1) : db_bind_null(st, n);
}

/* For the per-row statements of an import: the strings live in the caller's struct until the
 * statement is done, so they are bound without a copy. An absent value is not bound at all:
 * db_prepare hands out statements with every parameter NULL (db.h), and a NULL bound again
 * costs a call per column and row. */
static int bind_ref(struct db_stmt *st, int n, const char *s)
{
    return n ? db_bind_text_static(st, n, s, (size_t)-1) : 0;
}

static int bind_opt_ref(struct db_stmt *st, int n, const char *s)
{
    return n && s && *s ? db_bind_text_static(st, n, s, (size_t)-1) : 0;
}

static int bind_day(struct db_stmt *st, int n, day_t d)
{
    return n && d != DAY_NONE ? db_bind_i64(st, n, d) : 0;
}

/* v == none stores NULL. */
static int bind_opt_i64(struct db_stmt *st, int n, int64_t v, int64_t none)
{
    return n && v != none ? db_bind_i64(st, n, v) : 0;
}

/* Parameter 0 (not bound by this call, see row_params) binds nothing; so do the binders above. */
static int bind_i64(struct db_stmt *st, int n, int64_t v)
{
    return n ? db_bind_i64(st, n, v) : 0;
}

static int bind_id(struct db_stmt *st, int n, int64_t id)
{
    return id > 0 ? db_bind_i64(st, n, id) : db_bind_null(st, n);
}

/* Copies a text column into a fixed buffer ("" for NULL, cut to fit). */
static void col_copy(struct db_stmt *st, int i, char *dst, size_t cap)
{
    const char *s = db_col_text(st, i);
    size_t n = s ? strlen(s) : 0;
    if (n >= cap)
        n = cap - 1;
    if (n)
        memcpy(dst, s, n);
    dst[n] = '\0';
}

static day_t col_day(struct db_stmt *st, int i)
{
    return db_col_is_null(st, i) ? DAY_NONE : (day_t)db_col_i64(st, i);
}

static int64_t col_opt(struct db_stmt *st, int i, int64_t none)
{
    return db_col_is_null(st, i) ? none : db_col_i64(st, i);
}

/* ---- Batches. -------------------------------------------------------------------------------- */

int intake_batch_insert(struct db *db, const struct intake_batch_new *b, int64_t *id_out)
{
    static const char sql[] =
        "INSERT INTO import_batch (kind, file_name, file_sha256, file_bytes, org_id, user_id, "
        "via, profile_id, status, error, detail, created_at, finished_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "intake.batch_insert", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_text(st, 1, b->kind, (size_t)-1)) ||
        (ret = db_bind_text(st, 2, b->file_name, (size_t)-1)) ||
        (ret = db_bind_text(st, 3, b->file_sha256, (size_t)-1)) ||
        (ret = db_bind_i64(st, 4, b->file_bytes)) || (ret = bind_id(st, 5, b->org_id)) ||
        (ret = bind_id(st, 6, b->user_id)) || (ret = db_bind_text(st, 7, b->via, (size_t)-1)) ||
        (ret = bind_id(st, 8, b->profile_id)) ||
        (ret = db_bind_text(st, 9, b->status, (size_t)-1)) ||
        (ret = db_bind_text(st, 10, b->error, (size_t)-1)) ||
        (ret = db_bind_text(st, 11, b->detail, (size_t)-1)) ||
        (ret = db_bind_text(st, 12, b->created_at, (size_t)-1)) ||
        (ret = db_bind_text(st, 13, b->finished_at, (size_t)-1)))
        goto out;
    ret = db_run(st);
    if (!ret)
        *id_out = db_last_insert_id(db);
out:
    db_done(st);
    return ret;
}

int intake_batch_finish(struct db *db, int64_t id, const struct intake_counts *c,
                        const char *detail, const char *finished_at, const char *sha256,
                        int64_t file_bytes)
{
    static const char sql[] =
        "UPDATE import_batch SET n_read = $2, n_accepted = $3, n_rejected = $4, n_skipped = $5, "
        "n_flagged = $6, n_test = $7, n_trajectories = $8, detail = $9, finished_at = $10, "
        "file_sha256 = coalesce($11, file_sha256), file_bytes = coalesce($12, file_bytes) "
        "WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "intake.batch_finish", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, id)) || (ret = db_bind_i64(st, 2, c->read)) ||
        (ret = db_bind_i64(st, 3, c->accepted)) || (ret = db_bind_i64(st, 4, c->rejected)) ||
        (ret = db_bind_i64(st, 5, c->skipped)) || (ret = db_bind_i64(st, 6, c->flagged)) ||
        (ret = db_bind_i64(st, 7, c->test)) || (ret = db_bind_i64(st, 8, c->trajectories)) ||
        (ret = db_bind_text(st, 9, detail, (size_t)-1)) ||
        (ret = db_bind_text(st, 10, finished_at, (size_t)-1)) ||
        (ret = db_bind_text(st, 11, sha256, (size_t)-1)) ||
        (ret = file_bytes >= 0 ? db_bind_i64(st, 12, file_bytes) : db_bind_null(st, 12)))
        goto out;
    ret = db_run(st);
    if (!ret && db_changes(db) == 0)
        ret = ERR_NOT_FOUND;
out:
    db_done(st);
    return ret;
}

int intake_batch_set_facts(struct db *db, int64_t id, int64_t first, int64_t last)
{
    static const char sql[] =
        "UPDATE import_batch SET fact_first = $2, fact_last = $3 WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "intake.batch_set_facts", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id)) && !(ret = db_bind_i64(st, 2, first)) &&
        !(ret = db_bind_i64(st, 3, last)))
        ret = db_run(st);
    if (!ret && db_changes(db) == 0)
        ret = ERR_NOT_FOUND;
    db_done(st);
    return ret;
}

int intake_batch_find_active(struct db *db, const char *sha256, int64_t profile_id, int64_t *id_out)
{
    static const char sql[] =
        "SELECT id FROM import_batch WHERE file_sha256 = $1 AND coalesce(profile_id, 0) = $2 "
        "AND status = 'actief' LIMIT 1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "intake.batch_find_active", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_text(st, 1, sha256, (size_t)-1)) ||
        (ret = db_bind_i64(st, 2, profile_id > 0 ? profile_id : 0)))
        goto out;
    ret = db_step(st);
    if (ret == DB_ROW) {
        *id_out = db_col_i64(st, 0);
        ret = 0;
    } else if (ret == DB_DONE) {
        ret = ERR_NOT_FOUND;
    }
out:
    db_done(st);
    return ret;
}

int intake_batch_find_size(struct db *db, int64_t file_bytes, int64_t profile_id)
{
    static const char sql[] =
        "SELECT 1 FROM import_batch WHERE file_bytes = $1 AND coalesce(profile_id, 0) = $2 "
        "AND status = 'actief' LIMIT 1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "intake.batch_find_size", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, file_bytes)) &&
        !(ret = db_bind_i64(st, 2, profile_id > 0 ? profile_id : 0))) {
        ret = db_step(st);
        ret = ret == DB_ROW ? 0 : ret == DB_DONE ? ERR_NOT_FOUND : ret;
    }
    db_done(st);
    return ret;
}

/* The columns of struct import_batch, in the order read_batch() expects. */
#define BATCH_COLUMNS                                                                              \
    "b.id, b.kind, b.file_name, b.file_sha256, b.file_bytes, b.org_id, o.name, b.user_id, "        \
    "u.display_name, b.via, b.profile_id, p.name, b.status, b.n_read, b.n_accepted, "              \
    "b.n_rejected, b.n_skipped, b.n_flagged, b.n_test, b.n_trajectories, b.error, b.detail, "      \
    "b.created_at, b.finished_at, b.undone_at, ub.display_name "
#define BATCH_FROM                                                                                 \
    "FROM import_batch b LEFT JOIN organisation o ON o.id = b.org_id "                             \
    "LEFT JOIN user_account u ON u.id = b.user_id "                                                \
    "LEFT JOIN mapping_profile p ON p.id = b.profile_id "                                          \
    "LEFT JOIN user_account ub ON ub.id = b.undone_by "

static int read_batch(struct arena *a, struct db_stmt *st, struct import_batch *out)
{
    struct import_batch b = {
        .id = db_col_i64(st, 0),
        .file_bytes = db_col_i64(st, 4),
        .org_id = db_col_i64(st, 5),
        .user_id = db_col_i64(st, 7),
        .profile_id = db_col_i64(st, 10),
        .n_read = db_col_i64(st, 13),
        .n_accepted = db_col_i64(st, 14),
        .n_rejected = db_col_i64(st, 15),
        .n_skipped = db_col_i64(st, 16),
        .n_flagged = db_col_i64(st, 17),
        .n_test = db_col_i64(st, 18),
        .n_trajectories = db_col_i64(st, 19),
    };
    if (!db_col_dup(a, st, 1, &b.kind) || !db_col_dup(a, st, 2, &b.file_name) ||
        !db_col_dup(a, st, 3, &b.file_sha256) || !db_col_dup(a, st, 6, &b.org_name) ||
        !db_col_dup(a, st, 8, &b.user_name) || !db_col_dup(a, st, 9, &b.via) ||
        !db_col_dup(a, st, 11, &b.profile_name) || !db_col_dup(a, st, 12, &b.status) ||
        !db_col_dup(a, st, 20, &b.error) || !db_col_dup(a, st, 21, &b.detail) ||
        !db_col_dup(a, st, 22, &b.created_at) || !db_col_dup(a, st, 23, &b.finished_at) ||
        !db_col_dup(a, st, 24, &b.undone_at) || !db_col_dup(a, st, 25, &b.undone_by_name))
        return ERR_TOO_BIG;
    *out = b;
    return 0;
}

int intake_batch_get(struct arena *a, struct db *db, int64_t id, struct import_batch *out)
{
    static const char sql[] = "SELECT " BATCH_COLUMNS BATCH_FROM "WHERE b.id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "intake.batch_get", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, id)))
        goto out;
    ret = db_step(st);
    if (ret == DB_DONE)
        ret = ERR_NOT_FOUND;
    else if (ret == DB_ROW)
        ret = read_batch(a, st, out);
out:
    db_done(st);
    return ret;
}

/* $1 org (0 = all), $2 system only, $3 status, $4 kind. */
#define BATCH_WHERE                                                                                \
    "WHERE ($1 = 0 OR b.org_id = $1) AND ($1 <> 0 OR $2 = 0 OR b.org_id IS NULL) AND "             \
    "($3 IS NULL OR b.status = $3) AND ($4 IS NULL OR b.kind = $4) "

static int bind_batch_query(struct db_stmt *st, const struct intake_batch_query *q)
{
    int ret;
    if ((ret = db_bind_i64(st, 1, q->org_id)) ||
        (ret = db_bind_i64(st, 2, q->system_only ? 1 : 0)) ||
        (ret = db_bind_text(st, 3, q->status, (size_t)-1)) ||
        (ret = db_bind_text(st, 4, q->kind, (size_t)-1)))
        return ret;
    return 0;
}

int intake_batch_count(struct db *db, const struct intake_batch_query *q, int64_t *total)
{
    static const char sql[] = "SELECT count(*) FROM import_batch b " BATCH_WHERE;
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "intake.batch_count", sql, &st);
    if (ret)
        goto out;
    if ((ret = bind_batch_query(st, q)))
        goto out;
    ret = db_step(st);
    if (ret == DB_ROW) {
        *total = db_col_i64(st, 0);
        ret = 0;
    } else if (ret == DB_DONE) {
        ret = ERR_DB;
    }
out:
    db_done(st);
    return ret;
}

int intake_batch_list(struct arena *a, struct db *db, const struct intake_batch_query *q,
                      struct import_batch *out, int cap, int *n)
{
    static const char sql[] =
        "SELECT " BATCH_COLUMNS BATCH_FROM BATCH_WHERE "ORDER BY b.id DESC LIMIT $5 OFFSET $6";
    struct db_stmt *st = NULL;
    int got = 0;
    int ret = db_prepare(db, "intake.batch_list", sql, &st);
    if (ret)
        goto out;
    if ((ret = bind_batch_query(st, q)) || (ret = db_bind_i64(st, 5, q->limit)) ||
        (ret = db_bind_i64(st, 6, q->offset)))
        goto out;
    while (got < cap && (ret = db_step(st)) == DB_ROW) {
        if ((ret = read_batch(a, st, &out[got])))
            goto out;
        got++;
    }
    if (ret < 0)
        goto out;
    *n = got;
    ret = 0;
out:
    db_done(st);
    return ret;
}

int intake_batch_set_undone(struct db *db, int64_t id, const char *at, int64_t by_user)
{
    static const char sql[] = "UPDATE import_batch SET status = 'ongedaan', undone_at = $2, "
                              "undone_by = $3 WHERE id = $1 AND status = 'actief'";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "intake.batch_undone", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, id)) || (ret = db_bind_text(st, 2, at, (size_t)-1)) ||
        (ret = bind_id(st, 3, by_user)))
        goto out;
    ret = db_run(st);
    if (!ret && db_changes(db) == 0)
        ret = ERR_CONFLICT;
out:
    db_done(st);
    return ret;
}

/* ---- Rejected and skipped records. ------------------------------------------------------------
 */

int intake_rejection_insert(struct db *db, const struct intake_rejection_new *r)
{
    static const char sql[] =
        "INSERT INTO import_rejection (batch_id, seq, skipped, source, record, line, col, "
        "element, reason, fields) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "intake.rejection_insert", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, r->batch_id)) || (ret = db_bind_i64(st, 2, r->seq)) ||
        (ret = db_bind_i64(st, 3, r->skipped ? 1 : 0)) ||
        (ret = db_bind_text(st, 4, r->source, (size_t)-1)) ||
        (ret = bind_opt_i64(st, 5, r->record, 0)) || (ret = bind_opt_i64(st, 6, r->line, 0)) ||
        (ret = bind_opt_i64(st, 7, r->col, 0)) || (ret = bind_opt_text(st, 8, r->element)) ||
        (ret = db_bind_text(st, 9, r->reason, (size_t)-1)) ||
        (ret = db_bind_text(st, 10, r->fields, (size_t)-1)))
        goto out;
    ret = db_run(st);
out:
    db_done(st);
    return ret;
}

int intake_rejection_count(struct db *db, int64_t batch_id, bool rejected_only, int64_t *total)
{
    static const char sql[] = "SELECT count(*) FROM import_rejection WHERE batch_id = $1 "
                              "AND ($2 = 0 OR skipped = 0)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "intake.rejection_count", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, batch_id)) || (ret = db_bind_i64(st, 2, rejected_only)))
        goto out;
    ret = db_step(st);
    if (ret == DB_ROW) {
        *total = db_col_i64(st, 0);
        ret = 0;
    } else if (ret == DB_DONE) {
        ret = ERR_DB;
    }
out:
    db_done(st);
    return ret;
}

int intake_rejection_list(struct arena *a, struct db *db, int64_t batch_id, bool rejected_only,
                          int64_t offset, int64_t limit, struct import_rejection *out, int cap,
                          int *n)
{
    static const char sql[] =
        "SELECT seq, skipped, source, record, line, col, element, reason, fields "
        "FROM import_rejection WHERE batch_id = $1 AND ($2 = 0 OR skipped = 0) "
        "ORDER BY seq LIMIT $3 OFFSET $4";
    struct db_stmt *st = NULL;
    int got = 0;
    int ret = db_prepare(db, "intake.rejection_list", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, batch_id)) || (ret = db_bind_i64(st, 2, rejected_only)) ||
        (ret = db_bind_i64(st, 3, limit)) || (ret = db_bind_i64(st, 4, offset)))
        goto out;
    while (got < cap && (ret = db_step(st)) == DB_ROW) {
        struct import_rejection *r = &out[got];
        memset(r, 0, sizeof *r);
        r->seq = db_col_i64(st, 0);
        r->skipped = db_col_i64(st, 1) != 0;
        r->record = db_col_i64(st, 3);
        r->line = db_col_i64(st, 4);
        r->col = db_col_i64(st, 5);
        if (!db_col_dup(a, st, 2, &r->source) || !db_col_dup(a, st, 6, &r->element) ||
            !db_col_dup(a, st, 7, &r->reason) || !db_col_dup(a, st, 8, &r->fields)) {
            ret = ERR_TOO_BIG;
            goto out;
        }
        got++;
    }
    if (ret < 0)
        goto out;
    *n = got;
    ret = 0;
out:
    db_done(st);
    return ret;
}

/* ---- Message identities. --------------------------------------------------------------------- */

int intake_message_find(struct db *db, int law, const char *name, const char *sender,
                        const char *ident, int64_t *batch_out)
{
    static const char sql[] = "SELECT batch_id FROM import_message WHERE law = $1 AND "
                              "name = $2 AND sender = $3 AND ident = $4";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "intake.message_find", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, law)) || (ret = db_bind_text(st, 2, name, (size_t)-1)) ||
        (ret = db_bind_text(st, 3, sender, (size_t)-1)) ||
        (ret = db_bind_text(st, 4, ident, (size_t)-1)))
        goto out;
    ret = db_step(st);
    if (ret == DB_ROW) {
        *batch_out = db_col_i64(st, 0);
        ret = 0;
    } else if (ret == DB_DONE) {
        ret = ERR_NOT_FOUND;
    }
out:
    db_done(st);
    return ret;
}

int intake_message_insert(struct db *db, int law, const char *name, const char *sender,
                          const char *ident, int64_t batch_id)
{
    static const char sql[] = "INSERT INTO import_message (law, name, sender, ident, batch_id) "
                              "VALUES ($1, $2, $3, $4, $5)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "intake.message_insert", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, law)) || (ret = db_bind_text(st, 2, name, (size_t)-1)) ||
        (ret = db_bind_text(st, 3, sender, (size_t)-1)) ||
        (ret = db_bind_text(st, 4, ident, (size_t)-1)) || (ret = db_bind_i64(st, 5, batch_id)))
        goto out;
    ret = db_run(st);
out:
    db_done(st);
    return ret;
}

static int delete_by_batch(struct db *db, const char *name, const char *sql, int64_t batch_id)
{
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, name, sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, batch_id)))
        ret = db_run(st);
    db_done(st);
    return ret;
}

int intake_message_delete_batch(struct db *db, int64_t batch_id)
{
    static const char sql[] = "DELETE FROM import_message WHERE batch_id = $1";
    return delete_by_batch(db, "intake.message_delete_batch", sql, batch_id);
}

/* ---- Persons. -------------------------------------------------------------------------------- */

/* The lookup key of a pseudonym: its first 8 bytes, big-endian (see person in the schema). */
int64_t intake_person_hkey(const unsigned char p[PSEUDONYM_BYTES])
{
    uint64_t h = 0;
    for (int i = 0; i < 8; i++)
        h = h << 8 | p[i];
    return (int64_t)h;
}

/* The person among those without hkey (another pseudonym has theirs). ERR_NOT_FOUND. */
static int person_find_overflow(struct db *db, const unsigned char pseudonym[PSEUDONYM_BYTES],
                                int64_t *id_out)
{
    static const char sql[] = "SELECT id FROM person WHERE hkey IS NULL AND pseudonym = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "intake.person_find_overflow", sql, &st);
    if (ret || (ret = db_bind_blob(st, 1, pseudonym, PSEUDONYM_BYTES)))
        goto out;
    ret = db_step(st);
    if (ret == DB_ROW) {
        *id_out = db_col_i64(st, 0);
        ret = 0;
    } else if (ret == DB_DONE) {
        ret = ERR_NOT_FOUND;
    }
out:
    db_done(st);
    return ret;
}

int intake_person_find(struct db *db, const unsigned char pseudonym[PSEUDONYM_BYTES],
                       int64_t *id_out)
{
    static const char sql[] = "SELECT id, pseudonym FROM person WHERE hkey = $1";
    struct db_stmt *st = NULL;
    bool other = false;
    int ret = db_prepare(db, "intake.person_find", sql, &st);
    if (ret || (ret = db_bind_i64(st, 1, intake_person_hkey(pseudonym))))
        goto out;
    ret = db_step(st);
    if (ret == DB_ROW) {
        size_t len = 0;
        const void *p = db_col_blob(st, 1, &len);
        if (p && len == PSEUDONYM_BYTES && memcmp(p, pseudonym, PSEUDONYM_BYTES) == 0) {
            *id_out = db_col_i64(st, 0);
            ret = 0;
        } else {
            other = true; /* the hkey is another pseudonym's */
        }
    } else if (ret == DB_DONE) {
        ret = ERR_NOT_FOUND; /* no hkey: a new pseudonym (the invariant) */
    }
out:
    db_done(st);
    return other ? person_find_overflow(db, pseudonym, id_out) : ret;
}

/* Adds a person with hkey NULL (another pseudonym has its hkey). */
static int person_insert_overflow(struct db *db, const unsigned char pseudonym[PSEUDONYM_BYTES],
                                  int64_t *id_out)
{
    static const char sql[] = "INSERT INTO person (hkey, pseudonym) VALUES (NULL, $1)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "intake.person_add_overflow", sql, &st);
    if (!ret && !(ret = db_bind_blob(st, 1, pseudonym, PSEUDONYM_BYTES)) && !(ret = db_run(st)))
        *id_out = db_last_insert_id(db);
    db_done(st);
    return ret;
}

int intake_person_add(struct db *db, const unsigned char pseudonym[PSEUDONYM_BYTES],
                      int64_t *id_out, bool *added)
{
    static const char sql[] = "INSERT INTO person (hkey, pseudonym) VALUES ($1, $2) "
                              "ON CONFLICT (hkey) DO NOTHING";
    struct db_stmt *st = NULL;
    *added = false;
    int ret = db_prepare(db, "intake.person_add", sql, &st);
    if (ret || (ret = db_bind_i64(st, 1, intake_person_hkey(pseudonym))) ||
        (ret = db_bind_blob(st, 2, pseudonym, PSEUDONYM_BYTES)) || (ret = db_run(st)))
        goto out;
    if (db_changes(db) > 0) {
        *added = true;
        *id_out = db_last_insert_id(db);
        goto out;
    }
    /* The hkey is taken: by this pseudonym, or (very rarely) by another one. */
    db_done(st);
    st = NULL;
    ret = intake_person_find(db, pseudonym, id_out);
    if (ret != ERR_NOT_FOUND)
        goto out;
    if (!(ret = person_insert_overflow(db, pseudonym, id_out)))
        *added = true;
out:
    db_done(st);
    return ret;
}

int intake_person_add_overflow(struct db *db, const unsigned char pseudonym[PSEUDONYM_BYTES],
                               int64_t *id_out, bool *added)
{
    *added = false;
    int ret = person_find_overflow(db, pseudonym, id_out);
    if (ret == ERR_NOT_FOUND && !(ret = person_insert_overflow(db, pseudonym, id_out)))
        *added = true;
    return ret;
}

int intake_person_count(struct db *db, int64_t *n)
{
    static const char sql[] = "SELECT count(*) FROM person";
    return db_query_i64(db, "intake.person_count", sql, n);
}

int intake_person_index(struct db *db, bool on)
{
    static const char cache_sql[] = "PRAGMA cache_size";
    if (!on)
        return db_exec(db, "DROP INDEX person_hkey");
    /* SQLite sorts for CREATE INDEX in runs the size of the page cache: with an import's large
     * cache that is one slow sort, with the default 2 MB runs and a second thread it is three
     * times faster (measured: 1.5 s and 0.55 s for 1.8 million persons). */
    struct db_stmt *st = NULL;
    int64_t cache = -2000;
    int ret = db_prepare(db, "intake.cache_size", cache_sql, &st);
    if (!ret && db_step(st) == DB_ROW)
        cache = db_col_i64(st, 0);
    db_done(st);
    char restore[64];
    snprintf(restore, sizeof restore, "PRAGMA cache_size=%" PRId64, cache);
    if (ret || (ret = db_exec(db, "PRAGMA cache_size=-2000")) ||
        (ret = db_exec(db, "PRAGMA threads=2")))
        return ret;
    /* The same definition as in the schema. */
    ret = db_exec(db, "CREATE UNIQUE INDEX person_hkey ON person(hkey)");
    int ret2 = db_exec(db, "PRAGMA threads=0");
    int ret3 = db_exec(db, restore);
    return ret ? ret : ret2 ? ret2 : ret3;
}

int intake_person_keys(struct db *db, int (*fn)(void *ctx, int64_t id, int64_t hkey), void *ctx)
{
    static const char sql[] = "SELECT id, hkey FROM person WHERE hkey IS NOT NULL ORDER BY id";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "intake.person_keys", sql, &st);
    if (ret)
        goto out;
    while ((ret = db_step(st)) == DB_ROW)
        if ((ret = fn(ctx, db_col_i64(st, 0), db_col_i64(st, 1))))
            goto out;
    if (ret > 0)
        ret = 0;
out:
    db_done(st);
    return ret;
}

int intake_person_get(struct db *db, int64_t id, unsigned char pseudonym[PSEUDONYM_BYTES])
{
    static const char sql[] = "SELECT pseudonym FROM person WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "intake.person_get", sql, &st);
    if (ret || (ret = db_bind_i64(st, 1, id)))
        goto out;
    ret = db_step(st);
    if (ret == DB_ROW) {
        size_t len = 0;
        const void *p = db_col_blob(st, 0, &len);
        ret = p && len == PSEUDONYM_BYTES ? 0 : ERR_INTERNAL;
        if (!ret)
            memcpy(pseudonym, p, PSEUDONYM_BYTES);
    } else if (ret == DB_DONE) {
        ret = ERR_NOT_FOUND;
    }
out:
    db_done(st);
    return ret;
}

int intake_person_append(struct db *db, const unsigned char pseudonym[PSEUDONYM_BYTES],
                         int64_t *id_out)
{
    static const char sql[] = "INSERT INTO person (hkey, pseudonym) VALUES ($1, $2)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "intake.person_append", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, intake_person_hkey(pseudonym))) &&
        !(ret = db_bind_blob(st, 2, pseudonym, PSEUDONYM_BYTES)) && !(ret = db_run(st)))
        *id_out = db_last_insert_id(db);
    db_done(st);
    return ret;
}

int intake_person_max_id(struct db *db, int64_t *id_out)
{
    static const char sql[] = "SELECT coalesce(max(id), 0) FROM person";
    return db_query_i64(db, "intake.person_max_id", sql, id_out);
}

int intake_person_delete_unused(struct db *db, int64_t id, bool *removed)
{
    static const char sql[] = "DELETE FROM person WHERE id = $1 AND NOT EXISTS "
                              "(SELECT 1 FROM fact WHERE person_id = $1) RETURNING hkey";
    /* Keeps the invariant: a pseudonym without hkey whose first 8 bytes are those of the
     * removed one takes over its hkey. */
    static const char sql_promote[] =
        "UPDATE person SET hkey = $1 WHERE id = (SELECT id FROM person WHERE hkey IS NULL AND "
        "substr(pseudonym, 1, 8) = $2 LIMIT 1)";
    struct db_stmt *st = NULL;
    unsigned char prefix[8];
    int64_t hkey = 0;
    bool had_hkey = false;
    *removed = false;
    int ret = db_prepare(db, "intake.person_delete_unused", sql, &st);
    if (ret || (ret = db_bind_i64(st, 1, id)))
        goto out;
    ret = db_step(st);
    if (ret == DB_ROW) {
        *removed = true;
        had_hkey = !db_col_is_null(st, 0);
        hkey = db_col_i64(st, 0);
        ret = db_step(st);
    }
    if (ret != DB_DONE)
        goto out;
    ret = 0;
    db_done(st);
    st = NULL;
    if (!had_hkey)
        goto out;
    for (int i = 0; i < 8; i++)
        prefix[i] = (unsigned char)((uint64_t)hkey >> (56 - 8 * i));
    if ((ret = db_prepare(db, "intake.person_promote", sql_promote, &st)) ||
        (ret = db_bind_i64(st, 1, hkey)) || (ret = db_bind_blob(st, 2, prefix, sizeof prefix)))
        goto out;
    ret = db_run(st);
out:
    db_done(st);
    return ret < 0 ? ret : ret == 0 ? 0 : ERR_DB;
}

/* ---- Facts. ---------------------------------------------------------------------------------- */

int intake_fact_max_id(struct db *db, int64_t *id_out)
{
    static const char sql[] = "SELECT coalesce(max(id), 0) FROM fact";
    return db_query_i64(db, "intake.fact_max_id", sql, id_out);
}

/* The facts of batch $1: a range of ids, since there is no index on batch_id (a batch without
 * a recorded range would be found by a scan). */
#define FACTS_OF_BATCH                                                                             \
    "id BETWEEN coalesce((SELECT fact_first FROM import_batch WHERE id = $1), 0) AND "             \
    "coalesce((SELECT fact_last FROM import_batch WHERE id = $1), 9223372036854775807) AND "       \
    "batch_id = $1"

static int bind_group(struct db_stmt *st, const struct intake_group *g)
{
    int ret;
    if ((ret = db_bind_i64(st, 1, g->person_id)) || (ret = db_bind_i64(st, 2, g->aanbieder_id)) ||
        (ret = db_bind_i64(st, 3, g->law)))
        return ret;
    return 0;
}

static void read_fact(struct db_stmt *st, struct traj_fact *f, bool *test)
{
    memset(f, 0, sizeof *f);
    f->batch_id = db_col_i64(st, 0);
    f->seq = db_col_i64(st, 1);
    f->kind = (enum fact_kind)db_col_i64(st, 2);
    *test = db_col_i64(st, 3) != 0;
    col_copy(st, 4, f->release, sizeof f->release);
    f->message_date = col_day(st, 5);
    col_copy(st, 6, f->gemeente, sizeof f->gemeente);
    f->age = (int)col_opt(st, 7, -1);
    const char *g = db_col_text(st, 8);
    f->gender = g ? g[0] : 0;
    col_copy(st, 9, f->postcode4, sizeof f->postcode4);
    f->assignment_nr = col_opt(st, 10, -1);
    col_copy(st, 11, f->category, sizeof f->category);
    col_copy(st, 12, f->product_code, sizeof f->product_code);
    col_copy(st, 13, f->reference, sizeof f->reference);
    f->date_assigned = col_day(st, 14);
    f->valid_from = col_day(st, 15);
    f->valid_to = col_day(st, 16);
    col_copy(st, 17, f->change_reason, sizeof f->change_reason);
    f->start = col_day(st, 18);
    f->end = col_day(st, 19);
    col_copy(st, 20, f->end_reason, sizeof f->end_reason);
    f->status = (int)col_opt(st, 21, 0);
    col_copy(st, 22, f->referrer, sizeof f->referrer);
    col_copy(st, 23, f->hulpvorm, sizeof f->hulpvorm);
    col_copy(st, 24, f->cbs_reason, sizeof f->cbs_reason);
    f->satisfaction = (int)col_opt(st, 25, 0);
    col_copy(st, 26, f->zonder_hulp, sizeof f->zonder_hulp);
    col_copy(st, 27, f->informant, sizeof f->informant);
    f->goal_realisation = (int)col_opt(st, 28, -1);
}

int intake_fact_select_group(struct db *db, const struct intake_group *g, struct intake_facts *out)
{
    static const char sql[] =
        "SELECT batch_id, seq, kind, test_person, release, message_date, gemeente, age, gender, "
        "postcode4, assignment_nr, category, product_code, reference, date_assigned, valid_from, "
        "valid_to, change_reason, start_date, end_date, end_reason, status, referrer, hulpvorm, "
        "cbs_reason, satisfaction, zonder_hulp, informant, goal_realisation FROM fact "
        "WHERE person_id = $1 AND aanbieder_id = $2 AND law = $3";
    struct db_stmt *st = NULL;
    out->n = 0;
    out->test_person = false;
    int ret = db_prepare(db, "intake.fact_select_group", sql, &st);
    if (ret)
        goto out;
    if ((ret = bind_group(st, g)))
        goto out;
    while ((ret = db_step(st)) == DB_ROW) {
        if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 16;
            out->v = xrealloc(out->v, out->cap * sizeof *out->v);
        }
        bool test = false;
        read_fact(st, &out->v[out->n++], &test);
        out->test_person |= test;
    }
    if (ret > 0)
        ret = 0;
out:
    db_done(st);
    return ret;
}

void intake_facts_free(struct intake_facts *f)
{
    free(f->v);
    memset(f, 0, sizeof *f);
}

int intake_fact_groups_of_batch(struct db *db, int64_t batch_id,
                                int (*fn)(void *ctx, const struct intake_group *g), void *ctx)
{
    static const char sql[] = "SELECT DISTINCT person_id, aanbieder_id, law FROM fact "
                              "WHERE " FACTS_OF_BATCH " ORDER BY person_id, aanbieder_id, law";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "intake.fact_groups_of_batch", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, batch_id)))
        goto out;
    while ((ret = db_step(st)) == DB_ROW) {
        struct intake_group g = {.person_id = db_col_i64(st, 0),
                                 .aanbieder_id = db_col_i64(st, 1),
                                 .law = (int)db_col_i64(st, 2)};
        if ((ret = fn(ctx, &g)))
            goto out;
    }
    if (ret > 0)
        ret = 0;
out:
    db_done(st);
    return ret;
}

int intake_fact_delete_batch(struct db *db, int64_t batch_id)
{
    static const char sql[] = "DELETE FROM fact WHERE " FACTS_OF_BATCH;
    return delete_by_batch(db, "intake.fact_delete_batch", sql, batch_id);
}

/* ---- Trajectories. --------------------------------------------------------------------------- */

int intake_traj_delete_group(struct db *db, const struct intake_group *g, int64_t *deleted)
{
    /* The measurements first, not left to ON DELETE CASCADE: an import may run without
     * foreign-key enforcement (db_begin_bulk), and then the cascade does not act. */
    static const char meas_sql[] =
        "DELETE FROM measurement WHERE trajectory_id IN (SELECT id FROM trajectory "
        "WHERE person_id = $1 AND aanbieder_id = $2 AND law = $3)";
    static const char sql[] = "DELETE FROM trajectory WHERE person_id = $1 AND aanbieder_id = $2 "
                              "AND law = $3";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "intake.meas_delete_group", meas_sql, &st);
    if (!ret && !(ret = bind_group(st, g)))
        ret = db_run(st);
    db_done(st);
    st = NULL;
    if (!ret)
        ret = db_prepare(db, "intake.traj_delete_group", sql, &st);
    if (!ret && !(ret = bind_group(st, g)))
        ret = db_run(st);
    if (!ret && deleted)
        *deleted = db_changes(db);
    db_done(st);
    return ret;
}

/* ---- Batched writes. -------------------------------------------------------------------------
 * Rows are bound from the writer's own copies (no string copies by the database) and written
 * WRITE_ROWS at a time by one multi-row INSERT, the remainder one by one at a flush. */

#define WRITE_ROWS 64 /* measured on 2,000,000 rows: 16 rows 5% slower, 32 rows 3% */
#define FACT_COLS  32
#define TRAJ_COLS  24
#define MEAS_COLS  5
#define PERS_COLS  2

struct wfact {
    struct traj_fact f;
    struct intake_group g;
    bool test;
    char gender[2];
};

struct wtraj {
    struct trajectory t;
    struct intake_group g;
    int64_t id;
    const char *age_band;
    char gender[2];
};

struct wmeas {
    struct traj_measurement m;
    int64_t traj_id;
};

struct wpers {
    int64_t id, hkey;
    unsigned char pseudonym[PSEUDONYM_BYTES];
};

struct intake_writer {
    struct db *db;
    int64_t next_traj; /* id of the next trajectory */
    struct wfact f[WRITE_ROWS];
    struct wtraj t[WRITE_ROWS];
    struct wmeas m[WRITE_ROWS];
    struct wpers p[WRITE_ROWS];
    int nf, nt, nm, np;
};

#define FACT_INSERT                                                                                \
    "INSERT OR FAIL INTO fact (batch_id, seq, person_id, aanbieder_id, law, kind, test_person, "   \
    "release, message_date, gemeente, age, gender, postcode4, assignment_nr, category, "           \
    "product_code, reference, date_assigned, valid_from, valid_to, change_reason, start_date, "    \
    "end_date, end_reason, status, referrer, hulpvorm, cbs_reason, satisfaction, zonder_hulp, "    \
    "informant, goal_realisation) VALUES "
#define TRAJ_INSERT                                                                                \
    "INSERT OR FAIL INTO trajectory (id, person_id, aanbieder_id, law, gemeente, category, "       \
    "hulpvorm, product_code, start_date, end_date, end_reason, end_reason_list, release, "         \
    "cbs_reason, referrer, age_at_start, age_band, gender, postcode4, flags, batch_id, nlines, "   \
    "date_requested, date_assigned) VALUES "
#define MEAS_INSERT                                                                                \
    "INSERT OR FAIL INTO measurement (trajectory_id, informant, satisfaction, zonder_hulp, "       \
    "goal_realisation) VALUES "
/* Without the id: SQLite numbers new rows largest + 1 without a search for the given id
 * (measured: a third less time per person); flush_persons checks the numbers. */
#define PERS_INSERT "INSERT OR FAIL INTO person (hkey, pseudonym) VALUES "

/* Columns that are the same in every row of an import's registration export (batch, aanbieder,
 * law, kind ...) are bound once per statement when the rows to write agree on them: parameters
 * $1..$k, the other columns of row r after those (measured: a fifth less binding). A column map
 * gives, per column (1-based), the parameter's number relative to the row's first parameter
 * (0: not bound here): every column (map_all), the columns not shared (*_rowpart), or the
 * shared ones, at $1..$k (*_shared). Made in make_sql. */
#define FACT_SHARED 6
#define TRAJ_SHARED 5
#define MAX_COLS    FACT_COLS
static const int fact_shared[FACT_COLS + 1] = {
    [1] = 1, [4] = 2, [5] = 3, [6] = 4, [8] = 5, [9] = 6};
static const int traj_shared[TRAJ_COLS + 1] = {[3] = 1, [4] = 2, [12] = 3, [13] = 4, [21] = 5};
static int map_all[MAX_COLS + 1], fact_rowpart[FACT_COLS + 1], traj_rowpart[TRAJ_COLS + 1];

static void make_rowpart(const int *shared, int cols, int *rowpart)
{
    for (int c = 1, n = 0; c <= cols; c++)
        rowpart[c] = shared[c] ? 0 : ++n;
}

/* The parameter numbers of one row's columns: map[c] + off, or 0. */
static void row_params(const int *map, int cols, int off, int *pn)
{
    for (int c = 1; c <= cols; c++)
        pn[c] = map[c] ? off + map[c] : 0;
}

/* Room for an INSERT of rows x cols parameters ("$nnnn, " each, "(...), " per row). */
#define SQL_CAP(rows, cols) (512 + (rows) * (8 * (cols) + 4))

/* OR FAIL: a constraint that fails stops the statement where it is, without undoing the rows
 * it wrote before, so SQLite keeps no statement journal (a copy of every page the statement
 * changes, per statement); the caller rolls the whole transaction back anyway. */

/* The statements, one row and WRITE_ROWS rows, with parameters $1 .. $(rows x columns). Made
 * once per process; their addresses are the statement cache keys. */
static char fact_sql1[SQL_CAP(1, FACT_COLS)], fact_sqln[SQL_CAP(WRITE_ROWS, FACT_COLS)],
    fact_sqls[SQL_CAP(WRITE_ROWS, FACT_COLS)], traj_sql1[SQL_CAP(1, TRAJ_COLS)],
    traj_sqln[SQL_CAP(WRITE_ROWS, TRAJ_COLS)], traj_sqls[SQL_CAP(WRITE_ROWS, TRAJ_COLS)],
    meas_sql1[SQL_CAP(1, MEAS_COLS)], meas_sqln[SQL_CAP(WRITE_ROWS, MEAS_COLS)],
    pers_sql1[SQL_CAP(1, PERS_COLS)], pers_sqln[SQL_CAP(WRITE_ROWS, PERS_COLS)];
static pthread_once_t sql_once = PTHREAD_ONCE_INIT;

/* Appends s at out[at] when it fits; returns the length there would be. */
static size_t put(char *out, size_t cap, size_t at, const char *s)
{
    size_t n = strlen(s);
    if (at + n < cap)
        memcpy(out + at, s, n + 1);
    return at + n;
}

/* INSERT ... VALUES with rows x cols parameters; with shared (a column map, see fact_shared),
 * the shared columns of every row are $1..$k and the others follow row by row. */
static void make_insert(char *out, size_t cap, const char *head, int rows, int cols,
                        const int *shared, int k)
{
    char num[16];
    int rowpart[MAX_COLS + 1];
    if (shared)
        make_rowpart(shared, cols, rowpart);
    size_t at = put(out, cap, 0, head);
    for (int r = 0; r < rows; r++) {
        at = put(out, cap, at, r ? ", (" : "(");
        for (int c = 1; c <= cols; c++) {
            int n = !shared     ? r * cols + c
                    : shared[c] ? shared[c]
                                : k + r * (cols - k) + rowpart[c];
            snprintf(num, sizeof num, "%s$%d", c > 1 ? ", " : "", n);
            at = put(out, cap, at, num);
        }
        at = put(out, cap, at, ")");
    }
    if (at >= cap)
        out[0] = '\0'; /* SQL_CAP too small: an empty statement, refused by db_prepare */
}

static void make_sql(void)
{
    make_insert(fact_sql1, sizeof fact_sql1, FACT_INSERT, 1, FACT_COLS, NULL, 0);
    make_insert(fact_sqln, sizeof fact_sqln, FACT_INSERT, WRITE_ROWS, FACT_COLS, NULL, 0);
    make_insert(fact_sqls, sizeof fact_sqls, FACT_INSERT, WRITE_ROWS, FACT_COLS, fact_shared,
                FACT_SHARED);
    make_insert(traj_sql1, sizeof traj_sql1, TRAJ_INSERT, 1, TRAJ_COLS, NULL, 0);
    make_insert(traj_sqln, sizeof traj_sqln, TRAJ_INSERT, WRITE_ROWS, TRAJ_COLS, NULL, 0);
    make_insert(traj_sqls, sizeof traj_sqls, TRAJ_INSERT, WRITE_ROWS, TRAJ_COLS, traj_shared,
                TRAJ_SHARED);
    make_insert(meas_sql1, sizeof meas_sql1, MEAS_INSERT, 1, MEAS_COLS, NULL, 0);
    make_insert(meas_sqln, sizeof meas_sqln, MEAS_INSERT, WRITE_ROWS, MEAS_COLS, NULL, 0);
    make_insert(pers_sql1, sizeof pers_sql1, PERS_INSERT, 1, PERS_COLS, NULL, 0);
    make_insert(pers_sqln, sizeof pers_sqln, PERS_INSERT, WRITE_ROWS, PERS_COLS, NULL, 0);
    for (int c = 1; c <= MAX_COLS; c++)
        map_all[c] = c;
    make_rowpart(fact_shared, FACT_COLS, fact_rowpart);
    make_rowpart(traj_shared, TRAJ_COLS, traj_rowpart);
}

static int bind_gender(struct db_stmt *st, int n, char g, char buf[2])
{
    buf[0] = g;
    buf[1] = '\0';
    return n && g ? db_bind_text_static(st, n, buf, 1) : 0; /* NULL: see bind_opt_ref */
}

/* Column c (1 .. FACT_COLS) at parameter pn[c] (0: not bound by this call). */
static int bind_fact(struct db_stmt *st, const int *pn, void *row)
{
    struct wfact *w = row;
    const struct traj_fact *f = &w->f;
    int ret;
    if ((ret = bind_i64(st, pn[1], f->batch_id)) || (ret = bind_i64(st, pn[2], f->seq)) ||
        (ret = bind_i64(st, pn[3], w->g.person_id)) ||
        (ret = bind_i64(st, pn[4], w->g.aanbieder_id)) || (ret = bind_i64(st, pn[5], w->g.law)) ||
        (ret = bind_i64(st, pn[6], f->kind)) || (ret = bind_i64(st, pn[7], w->test ? 1 : 0)) ||
        (ret = bind_ref(st, pn[8], f->release)) || (ret = bind_day(st, pn[9], f->message_date)) ||
        (ret = bind_ref(st, pn[10], f->gemeente)) || (ret = bind_opt_i64(st, pn[11], f->age, -1)) ||
        (ret = bind_gender(st, pn[12], f->gender, w->gender)) ||
        (ret = bind_opt_ref(st, pn[13], f->postcode4)) ||
        (ret = bind_opt_i64(st, pn[14], f->assignment_nr, -1)) ||
        (ret = bind_opt_ref(st, pn[15], f->category)) ||
        (ret = bind_opt_ref(st, pn[16], f->product_code)) ||
        (ret = bind_opt_ref(st, pn[17], f->reference)) ||
        (ret = bind_day(st, pn[18], f->date_assigned)) ||
        (ret = bind_day(st, pn[19], f->valid_from)) || (ret = bind_day(st, pn[20], f->valid_to)) ||
        (ret = bind_opt_ref(st, pn[21], f->change_reason)) ||
        (ret = bind_day(st, pn[22], f->start)) || (ret = bind_day(st, pn[23], f->end)) ||
        (ret = bind_opt_ref(st, pn[24], f->end_reason)) ||
        (ret = bind_opt_i64(st, pn[25], f->status, 0)) ||
        (ret = bind_opt_ref(st, pn[26], f->referrer)) ||
        (ret = bind_opt_ref(st, pn[27], f->hulpvorm)) ||
        (ret = bind_opt_ref(st, pn[28], f->cbs_reason)) ||
        (ret = bind_opt_i64(st, pn[29], f->satisfaction, 0)) ||
        (ret = bind_opt_ref(st, pn[30], f->zonder_hulp)) ||
        (ret = bind_opt_ref(st, pn[31], f->informant)) ||
        (ret = bind_opt_i64(st, pn[32], f->goal_realisation, -1)))
        return ret;
    return 0;
}

/* Column c (1 .. TRAJ_COLS) at parameter pn[c] (0: not bound by this call). */
static int bind_traj(struct db_stmt *st, const int *pn, void *row)
{
    struct wtraj *w = row;
    const struct trajectory *t = &w->t;
    int ret;
    if ((ret = bind_i64(st, pn[1], w->id)) || (ret = bind_i64(st, pn[2], w->g.person_id)) ||
        (ret = bind_i64(st, pn[3], w->g.aanbieder_id)) || (ret = bind_i64(st, pn[4], w->g.law)) ||
        (ret = bind_ref(st, pn[5], t->gemeente)) || (ret = bind_opt_ref(st, pn[6], t->category)) ||
        (ret = bind_opt_ref(st, pn[7], t->hulpvorm)) ||
        (ret = bind_opt_ref(st, pn[8], t->product_code)) || (ret = bind_i64(st, pn[9], t->start)) ||
        (ret = bind_day(st, pn[10], t->end)) || (ret = bind_opt_ref(st, pn[11], t->end_reason)) ||
        (ret = bind_opt_ref(st, pn[12], t->end_reason_list)) ||
        (ret = bind_opt_ref(st, pn[13], t->release)) ||
        (ret = bind_opt_ref(st, pn[14], t->cbs_reason)) ||
        (ret = bind_opt_ref(st, pn[15], t->referrer)) ||
        (ret = bind_opt_i64(st, pn[16], t->age_at_start, -1)) ||
        (ret = bind_opt_ref(st, pn[17], w->age_band)) ||
        (ret = bind_gender(st, pn[18], t->gender, w->gender)) ||
        (ret = bind_opt_ref(st, pn[19], t->postcode4)) || (ret = bind_i64(st, pn[20], t->flags)) ||
        (ret = bind_i64(st, pn[21], t->batch_id)) || (ret = bind_i64(st, pn[22], t->nlines)) ||
        (ret = bind_day(st, pn[23], t->date_requested)) ||
        (ret = bind_day(st, pn[24], t->date_assigned)))
        return ret;
    return 0;
}

/* Column c (1 .. MEAS_COLS) at parameter pn[c] (0: not bound by this call). */
static int bind_meas(struct db_stmt *st, const int *pn, void *row)
{
    struct wmeas *w = row;
    const struct traj_measurement *m = &w->m;
    int ret;
    if ((ret = bind_i64(st, pn[1], w->traj_id)) || (ret = bind_ref(st, pn[2], m->informant)) ||
        (ret = bind_opt_i64(st, pn[3], m->satisfaction, 0)) ||
        (ret = bind_opt_ref(st, pn[4], m->zonder_hulp)) ||
        (ret = bind_opt_i64(st, pn[5], m->goal_realisation, -1)))
        return ret;
    return 0;
}

/* Column c (1 .. PERS_COLS) at parameter pn[c] (0: not bound by this call). */
static int bind_pers(struct db_stmt *st, const int *pn, void *row)
{
    struct wpers *w = row;
    int ret;
    if ((ret = bind_i64(st, pn[1], w->hkey)) ||
        (ret = db_bind_blob_static(st, pn[2], w->pseudonym, PSEUDONYM_BYTES)))
        return ret;
    return 0;
}

/* The rows of one table and how to write them. */
struct rows_sql {
    const char *name;
    const char *sql1, *sqln, *sqls; /* one row; WRITE_ROWS rows; the same with shared columns */
    int cols, nshared;
    const int *shared, *rowpart; /* column maps, or NULL: nothing shared */
    int (*bind)(struct db_stmt *st, const int *pn, void *row);
    bool (*same)(const void *a, const void *b); /* rows agree on the shared columns */
    size_t size;                                /* of a row */
};

/* Writes rows [0, n) of one kind: all at once when there are WRITE_ROWS (their shared columns
 * once when they agree on them), else one by one. */
static int write_rows(struct db *db, const struct rows_sql *k, void *v, int n)
{
    int ret = 0, pn[MAX_COLS + 1];
    int per = n == WRITE_ROWS ? WRITE_ROWS : 1;
    for (int i = 0; i < n && !ret; i += per) {
        char *first = (char *)v + (size_t)i * k->size;
        bool shared = per == WRITE_ROWS && k->sqls;
        for (int r = 1; r < per && shared; r++)
            shared = k->same(first, first + (size_t)r * k->size);
        struct db_stmt *st = NULL;
        ret = db_prepare(db, k->name, shared ? k->sqls : per == 1 ? k->sql1 : k->sqln, &st);
        if (!ret && shared)
            ret = k->bind(st, k->shared, first);
        for (int r = 0; r < per && !ret; r++) {
            if (shared)
                row_params(k->rowpart, k->cols, k->nshared + r * (k->cols - k->nshared), pn);
            else
                row_params(map_all, k->cols, r * k->cols, pn);
            ret = k->bind(st, pn, first + (size_t)r * k->size);
        }
        if (!ret)
            ret = db_run(st);
        db_done(st);
    }
    return ret;
}

static bool same_fact(const void *a, const void *b)
{
    const struct wfact *x = a, *y = b;
    return x->f.batch_id == y->f.batch_id && x->g.aanbieder_id == y->g.aanbieder_id &&
           x->g.law == y->g.law && x->f.kind == y->f.kind &&
           x->f.message_date == y->f.message_date && strcmp(x->f.release, y->f.release) == 0;
}

static bool same_traj(const void *a, const void *b)
{
    const struct wtraj *x = a, *y = b;
    return x->t.batch_id == y->t.batch_id && x->g.aanbieder_id == y->g.aanbieder_id &&
           x->g.law == y->g.law && strcmp(x->t.end_reason_list, y->t.end_reason_list) == 0 &&
           strcmp(x->t.release, y->t.release) == 0;
}

static int write_facts(struct db *db, struct wfact *v, int n)
{
    static const struct rows_sql k = {
        "intake.fact_insert", fact_sql1,    fact_sqln, fact_sqls, FACT_COLS, FACT_SHARED,
        fact_shared,          fact_rowpart, bind_fact, same_fact, sizeof *v};
    return write_rows(db, &k, v, n);
}

static int write_trajs(struct db *db, struct wtraj *v, int n)
{
    static const struct rows_sql k = {
        "intake.traj_insert", traj_sql1,    traj_sqln, traj_sqls, TRAJ_COLS, TRAJ_SHARED,
        traj_shared,          traj_rowpart, bind_traj, same_traj, sizeof *v};
    return write_rows(db, &k, v, n);
}

static int write_meas(struct db *db, struct wmeas *v, int n)
{
    static const struct rows_sql k = {"intake.measurement_insert",
                                      meas_sql1,
                                      meas_sqln,
                                      NULL,
                                      MEAS_COLS,
                                      0,
                                      NULL,
                                      NULL,
                                      bind_meas,
                                      NULL,
                                      sizeof *v};
    return write_rows(db, &k, v, n);
}

/* The persons collected so far: before any fact or trajectory (foreign keys). */
static int flush_persons(struct intake_writer *w)
{
    if (w->np == 0)
        return 0;
    static const struct rows_sql k = {"intake.person_write",
                                      pers_sql1,
                                      pers_sqln,
                                      NULL,
                                      PERS_COLS,
                                      0,
                                      NULL,
                                      NULL,
                                      bind_pers,
                                      NULL,
                                      sizeof *w->p};
    int ret = write_rows(w->db, &k, w->p, w->np);
    /* The ids the caller handed out must be SQLite's: they follow each other, and nothing
     * else adds persons meanwhile (intake_person_write). */
    if (!ret && db_last_insert_id(w->db) != w->p[w->np - 1].id) {
        log_error("intake.person_write", "msg", "person ids out of step", NULL);
        ret = ERR_INTERNAL;
    }
    if (!ret)
        w->np = 0;
    return ret;
}

int intake_writer_open(struct db *db, struct intake_writer **out)
{
    static const char sql[] = "SELECT coalesce(max(id), 0) FROM trajectory";
    struct db_stmt *st = NULL;
    pthread_once(&sql_once, make_sql);
    int ret = db_prepare(db, "intake.traj_max_id", sql, &st);
    if (ret)
        goto out;
    ret = db_step(st);
    if (ret == DB_ROW) {
        struct intake_writer *w = xcalloc(1, sizeof *w);
        w->db = db;
        w->next_traj = db_col_i64(st, 0) + 1;
        *out = w;
        ret = 0;
    } else if (ret == DB_DONE) {
        ret = ERR_DB;
    }
out:
    db_done(st);
    return ret;
}

int intake_writer_flush(struct intake_writer *w)
{
    /* Persons before facts and trajectories, trajectories before their measurements (foreign
     * keys). */
    int ret = flush_persons(w);
    if (!ret && w->nf && !(ret = write_facts(w->db, w->f, w->nf)))
        w->nf = 0;
    if (!ret && w->nt && !(ret = write_trajs(w->db, w->t, w->nt)))
        w->nt = 0;
    if (!ret && w->nm && !(ret = write_meas(w->db, w->m, w->nm)))
        w->nm = 0;
    return ret;
}

void intake_writer_close(struct intake_writer *w)
{
    free(w);
}

int intake_fact_write(struct intake_writer *w, const struct intake_group *g, bool test_person,
                      const struct traj_fact *f)
{
    struct wfact *x = &w->f[w->nf++];
    x->f = *f;
    x->g = *g;
    x->test = test_person;
    if (w->nf < WRITE_ROWS)
        return 0;
    int ret = flush_persons(w);
    if (!ret)
        ret = write_facts(w->db, w->f, w->nf);
    w->nf = 0;
    return ret;
}

int intake_person_write(struct intake_writer *w, int64_t id,
                        const unsigned char pseudonym[PSEUDONYM_BYTES])
{
    if (w->np == WRITE_ROWS) {
        int ret = flush_persons(w);
        if (ret)
            return ret;
    }
    struct wpers *x = &w->p[w->np++];
    x->id = id;
    x->hkey = intake_person_hkey(pseudonym);
    memcpy(x->pseudonym, pseudonym, PSEUDONYM_BYTES);
    return 0;
}

int intake_writer_person_get(struct intake_writer *w, int64_t id,
                             unsigned char pseudonym[PSEUDONYM_BYTES])
{
    for (int i = 0; i < w->np; i++) {
        if (w->p[i].id == id) {
            memcpy(pseudonym, w->p[i].pseudonym, PSEUDONYM_BYTES);
            return 0;
        }
    }
    return intake_person_get(w->db, id, pseudonym);
}

int intake_traj_write(struct intake_writer *w, const struct intake_group *g,
                      const struct trajectory *t, const char *age_band)
{
    int ret = 0;
    if (w->nt == WRITE_ROWS) {
        if (!(ret = flush_persons(w)))
            ret = write_trajs(w->db, w->t, w->nt);
        w->nt = 0;
    }
    int64_t id = w->next_traj++;
    struct wtraj *x = &w->t[w->nt++];
    x->t = *t;
    x->t.measurements = NULL; /* the caller's arena: copied below */
    x->g = *g;
    x->id = id;
    x->age_band = age_band;
    for (int i = 0; i < t->nmeasurements && !ret; i++) {
        if (w->nm == WRITE_ROWS) {
            /* Their trajectories first (foreign key). */
            if ((ret = write_trajs(w->db, w->t, w->nt)))
                break;
            w->nt = 0;
            ret = write_meas(w->db, w->m, w->nm);
            w->nm = 0;
        }
        w->m[w->nm++] = (struct wmeas){.m = t->measurements[i], .traj_id = id};
    }
    return ret;
}

/* ---- Population. ----------------------------------------------------------------------------- */

int intake_population_insert(struct db *db, int64_t batch_id, const struct intake_population *p)
{
    static const char sql[] = "INSERT INTO population (gemeente, year, age_band, inhabitants, "
                              "men, women, batch_id) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "intake.population_insert", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_text(st, 1, p->gemeente, (size_t)-1)) ||
        (ret = db_bind_i64(st, 2, p->year)) ||
        (ret = db_bind_text(st, 3, p->age_band, (size_t)-1)) ||
        (ret = db_bind_i64(st, 4, p->inhabitants)) ||
        (ret = p->men >= 0 ? db_bind_i64(st, 5, p->men) : db_bind_null(st, 5)) ||
        (ret = p->women >= 0 ? db_bind_i64(st, 6, p->women) : db_bind_null(st, 6)) ||
        (ret = db_bind_i64(st, 7, batch_id)))
        goto out;
    ret = db_run(st);
out:
    db_done(st);
    return ret;
}

int intake_population_delete_batch(struct db *db, int64_t batch_id)
{
    static const char sql[] = "DELETE FROM population WHERE batch_id = $1";
    return delete_by_batch(db, "intake.population_delete_batch", sql, batch_id);
}

/* ---- Change journal. ------------------------------------------------------------------------ */

int intake_change_insert(struct db *db, int64_t batch_id, const char *kind, const char *at,
                         int64_t *seq_out)
{
    static const char sql[] = "INSERT INTO data_change (batch_id, kind, at) VALUES ($1, $2, $3)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "intake.change_insert", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, batch_id)) &&
        !(ret = db_bind_text(st, 2, kind, (size_t)-1)) &&
        !(ret = db_bind_text(st, 3, at, (size_t)-1)))
        ret = db_run(st);
    if (!ret && seq_out)
        *seq_out = db_last_insert_id(db);
    db_done(st);
    return ret;
}

int intake_change_group_insert(struct db *db, int64_t seq, const struct intake_group *g)
{
    static const char sql[] = "INSERT OR IGNORE INTO data_change_group (seq, person_id, "
                              "aanbieder_id, law) VALUES ($1, $2, $3, $4)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "intake.change_group_insert", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, seq)) && !(ret = db_bind_i64(st, 2, g->person_id)) &&
        !(ret = db_bind_i64(st, 3, g->aanbieder_id)) && !(ret = db_bind_i64(st, 4, g->law)))
        ret = db_run(st);
    db_done(st);
    return ret;
}

/* ---- Totals. --------------------------------------------------------------------------------- */

/* $1 all, $2 aanbieder id (0 = none), $3 gemeente code (NULL = none), $4 region id (0). */
#define TRAJ_SCOPE                                                                                 \
    "WHERE $1 = 1 OR ($2 <> 0 AND t.aanbieder_id = $2) OR ($3 IS NOT NULL AND t.gemeente = $3) "   \
    "OR ($4 <> 0 AND t.gemeente IN (SELECT substr(o.cbs_code, 3, 4) FROM organisation o "          \
    "JOIN organisation_parent op ON op.child_id = o.id WHERE op.parent_id = $4 AND "               \
    "o.cbs_code IS NOT NULL))"

static int bind_scope(struct db_stmt *st, const struct intake_scope *sc)
{
    int ret;
    if ((ret = db_bind_i64(st, 1, sc->all ? 1 : 0)) ||
        (ret = db_bind_i64(st, 2, sc->aanbieder_id)) ||
        (ret = db_bind_text(st, 3, sc->gemeente, (size_t)-1)) ||
        (ret = db_bind_i64(st, 4, sc->region_id)))
        return ret;
    return 0;
}

int intake_store_totals(struct db *db, const struct intake_scope *sc, int64_t *trajectories,
                        int64_t *open_trajectories, int64_t *batches_active, int64_t *facts)
{
    static const char traj_sql[] = "SELECT count(*), coalesce(sum(CASE WHEN t.end_date IS NULL "
                                   "THEN 1 ELSE 0 END), 0) FROM trajectory t " TRAJ_SCOPE;
    static const char fact_sql[] = "SELECT count(*) FROM fact t " TRAJ_SCOPE;
    static const char batch_sql[] = "SELECT count(*) FROM import_batch WHERE status = 'actief' "
                                    "AND ($1 = 1 OR org_id = $2)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "intake.totals_traj", traj_sql, &st);
    if (ret || (ret = bind_scope(st, sc)))
        goto out;
    if ((ret = db_step(st)) != DB_ROW)
        goto done;
    *trajectories = db_col_i64(st, 0);
    *open_trajectories = db_col_i64(st, 1);
    db_done(st);
    st = NULL;
    if ((ret = db_prepare(db, "intake.totals_fact", fact_sql, &st)) || (ret = bind_scope(st, sc)))
        goto out;
    if ((ret = db_step(st)) != DB_ROW)
        goto done;
    *facts = db_col_i64(st, 0);
    db_done(st);
    st = NULL;
    if ((ret = db_prepare(db, "intake.totals_batch", batch_sql, &st)) ||
        (ret = db_bind_i64(st, 1, sc->all ? 1 : 0)) || (ret = db_bind_i64(st, 2, sc->org_id)))
        goto out;
    if ((ret = db_step(st)) != DB_ROW)
        goto done;
    *batches_active = db_col_i64(st, 0);
    ret = 0;
    goto out;
done:
    if (ret == DB_DONE)
        ret = ERR_DB;
out:
    db_done(st);
    return ret;
}

int intake_region_gemeenten(struct arena *a, struct db *db, int64_t region_id, char ***out, int *n)
{
    static const char sql[] =
        "SELECT substr(o.cbs_code, 3, 4) FROM organisation o JOIN organisation_parent op "
        "ON op.child_id = o.id WHERE op.parent_id = $1 AND o.cbs_code IS NOT NULL "
        "ORDER BY o.cbs_code";
    struct db_stmt *st = NULL;
    char **v = NULL;
    int got = 0, cap = 0;
    int ret = db_prepare(db, "intake.region_gemeenten", sql, &st);
    if (ret || (ret = db_bind_i64(st, 1, region_id)))
        goto out;
    while ((ret = db_step(st)) == DB_ROW) {
        if (got == cap) {
            int ncap = cap ? cap * 2 : 16;
            char **nv = arena_alloc(a, (size_t)ncap * sizeof *nv);
            if (!nv) {
                ret = ERR_TOO_BIG;
                goto out;
            }
            if (got)
                memcpy(nv, v, (size_t)got * sizeof *v);
            v = nv;
            cap = ncap;
        }
        const char *s = db_col_text(st, 0);
        if (!(v[got] = arena_strdup(a, s ? s : ""))) {
            ret = ERR_TOO_BIG;
            goto out;
        }
        got++;
    }
    if (ret < 0)
        goto out;
    *out = v;
    *n = got;
    ret = 0;
out:
    db_done(st);
    return ret;
}

void intake_store_import_mode(struct db *db, bool importing)
{
    db_exec(db, importing ? "PRAGMA cache_size=-65536" : "PRAGMA cache_size=-2000");
}
