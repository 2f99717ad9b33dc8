/*
 * evidence_store.c: rows of evidence files (table evidence_file) and their content-addressed
 * bytes on disk (store/evidence_store.h). The bytes are written once per content: a temp file
 * in the final folder (mkstemp, 0600), fsync, then rename to the hash inside the caller's write
 * transaction, so an upload and a removal of the same content are serialised by the writer
 * lock and the folder never holds a partial file under a content name.
 */
#include "store/evidence_store.h"
#include "core/common.h"
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#define COLS                                                                                       \
    "f.id, f.review_id, f.criterion_id, f.name, f.media_type, f.size, f.sha256, f.uploaded_by, "   \
    "u.display_name, f.org_id, o.name, f.uploaded_at, f.scan_status, f.scanned_at "                \
    "FROM evidence_file f LEFT JOIN user_account u ON u.id = f.uploaded_by "                       \
    "JOIN organisation o ON o.id = f.org_id "

static int read_file_row(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct evidence_file *f = row;
    const char *type = db_col_text(st, 4), *scan = db_col_text(st, 12);
    *f = (struct evidence_file){
        .id = db_col_i64(st, 0),
        .review_id = db_col_i64(st, 1),
        .criterion_id = db_col_is_null(st, 2) ? 0 : db_col_i64(st, 2),
        .type = evidence_type_from_code(type),
        .size = db_col_i64(st, 5),
        .uploaded_by = db_col_is_null(st, 7) ? 0 : db_col_i64(st, 7),
        .org_id = db_col_i64(st, 9),
        .scan = evidence_scan_from_code(scan),
    };
    if (!db_col_dup(a, st, 3, &f->name) || !db_col_dup(a, st, 6, &f->sha256) ||
        !db_col_dup(a, st, 8, &f->uploaded_by_name) || !db_col_dup(a, st, 10, &f->org_name) ||
        !db_col_dup(a, st, 11, &f->uploaded_at) || !db_col_dup(a, st, 13, &f->scanned_at))
        return ERR_NOMEM;
    return 0;
}

int evidence_store_insert(struct db *db, const struct evidence_values *v, const char *now,
                          int64_t *id_out)
{
    static const char sql[] =
        "INSERT INTO evidence_file (review_id, criterion_id, name, media_type, size, sha256, "
        "uploaded_by, org_id, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "evidence.insert", sql, &st);
    if (ret)
        goto out;
    const char *type = evidence_type_code(v->type);
    if ((ret = db_bind_i64(st, 1, v->review_id)) ||
        (ret = v->criterion_id > 0 ? db_bind_i64(st, 2, v->criterion_id) : db_bind_null(st, 2)) ||
        (ret = db_bind_text(st, 3, v->name, (size_t)-1)) ||
        (ret = db_bind_text(st, 4, type, (size_t)-1)) || (ret = db_bind_i64(st, 5, v->size)) ||
        (ret = db_bind_text(st, 6, v->sha256, (size_t)-1)) ||
        (ret = v->uploaded_by > 0 ? db_bind_i64(st, 7, v->uploaded_by) : db_bind_null(st, 7)) ||
        (ret = db_bind_i64(st, 8, v->org_id)) || (ret = db_bind_text(st, 9, now, (size_t)-1)))
        goto out;
    if (!(ret = db_run(st)))
        *id_out = db_last_insert_id(db);
out:
    db_done(st);
    return ret;
}

int evidence_store_totals(struct db *db, int64_t review_id, int *nfiles, int64_t *bytes)
{
    static const char sql[] = "SELECT count(*), coalesce(sum(size), 0) FROM evidence_file "
                              "WHERE review_id = $1 AND removed_at IS NULL";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "evidence.totals", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, review_id)))
        goto out;
    ret = db_step(st);
    if (ret == DB_ROW) {
        *nfiles = (int)db_col_i64(st, 0);
        *bytes = db_col_i64(st, 1);
        ret = 0;
    } else if (ret == DB_DONE) {
        ret = ERR_DB;
    }
out:
    db_done(st);
    return ret;
}

int evidence_store_list(struct arena *a, struct db *db, int64_t review_id, int64_t criterion_id,
                        struct evidence_file **out, int *n)
{
    static const char sql[] = "SELECT " COLS "WHERE f.review_id = $1 AND f.removed_at IS NULL "
                              "AND ($2 = 0 OR f.criterion_id = $2) ORDER BY f.id";
    struct db_stmt *st = NULL;
    void *rows = NULL;
    size_t got = 0;
    *out = NULL;
    *n = 0;
    int ret = db_prepare(db, "evidence.list", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, review_id)) || (ret = db_bind_i64(st, 2, criterion_id)))
        goto out;
    if ((ret = db_collect(a, st, sizeof(struct evidence_file), read_file_row, NULL, &rows, &got)))
        goto out;
    *out = rows;
    *n = (int)got;
out:
    db_done(st);
    return ret;
}

int evidence_store_get(struct arena *a, struct db *db, int64_t review_id, int64_t id,
                       struct evidence_file *out)
{
    static const char sql[] = "SELECT " COLS "WHERE f.id = $1 AND ($2 = 0 OR f.review_id = $2) "
                              "AND f.removed_at IS NULL";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "evidence.get", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, id)) || (ret = db_bind_i64(st, 2, review_id)))
        goto out;
    ret = db_step(st);
    if (ret == DB_ROW)
        ret = read_file_row(a, st, out, NULL);
    else if (ret == DB_DONE)
        ret = ERR_NOT_FOUND;
out:
    db_done(st);
    return ret;
}

int evidence_store_mark_removed(struct db *db, int64_t id, int64_t by, const char *now)
{
    static const char sql[] = "UPDATE evidence_file SET removed_at = $2, removed_by = $3 "
                              "WHERE id = $1 AND removed_at IS NULL";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "evidence.remove", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, id)) || (ret = db_bind_text(st, 2, now, (size_t)-1)) ||
        (ret = by > 0 ? db_bind_i64(st, 3, by) : db_bind_null(st, 3)))
        goto out;
    ret = db_run(st);
    if (!ret && db_changes(db) == 0)
        ret = ERR_NOT_FOUND;
out:
    db_done(st);
    return ret;
}

int evidence_store_refs(struct db *db, const char *sha256, int *n)
{
    static const char sql[] =
        "SELECT count(*) FROM evidence_file WHERE sha256 = $1 AND removed_at IS NULL";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "evidence.refs", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_text(st, 1, sha256, (size_t)-1)))
        goto out;
    ret = db_step(st);
    if (ret == DB_ROW) {
        *n = (int)db_col_i64(st, 0);
        ret = 0;
    } else if (ret == DB_DONE) {
        ret = ERR_DB;
    }
out:
    db_done(st);
    return ret;
}

int evidence_store_set_scan(struct db *db, const char *sha256, enum evidence_scan scan,
                            const char *now)
{
    /* A file once found besmet stays besmet, whatever a later scan says. */
    static const char sql[] = "UPDATE evidence_file SET scan_status = $2, scanned_at = $3 "
                              "WHERE sha256 = $1 AND removed_at IS NULL "
                              "AND scan_status <> 'besmet'";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "evidence.scan", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_text(st, 1, sha256, (size_t)-1)) ||
        (ret = db_bind_text(st, 2, evidence_scan_code(scan), (size_t)-1)) ||
        (ret = db_bind_text(st, 3, now, (size_t)-1)))
        goto out;
    ret = db_run(st);
out:
    db_done(st);
    return ret;
}

int evidence_store_criterion_in_review(struct db *db, int64_t review_id, int64_t criterion_id,
                                       bool *found)
{
    static const char sql[] = "SELECT 1 FROM review_item WHERE review_id = $1 AND "
                              "criterion_id = $2 AND applicable = 1";
    struct db_stmt *st = NULL;
    *found = false;
    int ret = db_prepare(db, "evidence.criterion", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, review_id)) || (ret = db_bind_i64(st, 2, criterion_id)))
        goto out;
    ret = db_step(st);
    if (ret >= 0) {
        *found = ret == DB_ROW;
        ret = 0;
    }
out:
    db_done(st);
    return ret;
}

/* --- bytes on disk --- */

static bool hash_ok(const char *h)
{
    if (!h || strlen(h) != 64)
        return false;
    for (int i = 0; i < 64; i++)
        if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f')))
            return false;
    return true;
}

const char *evidence_blob_path(struct arena *a, const char *data_dir, const char *sha256)
{
    if (!hash_ok(sha256) || !data_dir)
        return NULL;
    return arena_printf(a, "%s/" EVIDENCE_DIR "/%.2s/%s", data_dir, sha256, sha256);
}

static int mkdir_0700(const char *path)
{
    if (mkdir(path, 0700) == 0 || errno == EEXIST)
        return 0;
    return ERR_IO;
}

static int fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return ERR_IO;
    int ret = fsync(fd) == 0 ? 0 : ERR_IO;
    close(fd);
    return ret;
}

int evidence_blob_stage(struct arena *a, const char *data_dir, const unsigned char *p, size_t n,
                        char sha256[65], const char **staged_out)
{
    *staged_out = NULL;
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(d, p, n);
    sodium_bin2hex(sha256, 65, d, sizeof d);
    const char *root = arena_printf(a, "%s/" EVIDENCE_DIR, data_dir);
    const char *sub = arena_printf(a, "%s/%.2s", root ? root : "", sha256);
    char *tmpl = arena_printf(a, "%s/.upload-XXXXXX", sub ? sub : "");
    if (!root || !sub || !tmpl)
        return ERR_NOMEM;
    if (mkdir_0700(root) || mkdir_0700(sub))
        return ERR_IO;
    int fd = mkstemp(tmpl); /* 0600 */
    if (fd < 0)
        return ERR_IO;
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, p + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    int ret = done == n && fsync(fd) == 0 ? 0 : ERR_IO;
    if (close(fd) != 0)
        ret = ERR_IO;
    if (ret) {
        unlink(tmpl);
        return ret;
    }
    *staged_out = tmpl;
    return 0;
}

int evidence_blob_commit(struct arena *a, const char *data_dir, const char *staged,
                         const char *sha256)
{
    const char *dest = evidence_blob_path(a, data_dir, sha256);
    if (!dest || !staged)
        return ERR_INTERNAL;
    if (rename(staged, dest) != 0)
        return ERR_IO;
    const char *sub = arena_printf(a, "%s/" EVIDENCE_DIR "/%.2s", data_dir, sha256);
    return sub ? fsync_dir(sub) : ERR_NOMEM;
}

void evidence_blob_discard(const char *staged)
{
    if (staged)
        unlink(staged);
}

int evidence_blob_unlink(struct arena *a, const char *data_dir, const char *sha256)
{
    const char *path = evidence_blob_path(a, data_dir, sha256);
    if (!path)
        return ERR_INTERNAL;
    if (unlink(path) != 0 && errno != ENOENT)
        return ERR_IO;
    return 0;
}
