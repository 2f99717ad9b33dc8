/*
 * data_pack_store.c: SQL for frozen data packs (data_pack_store.h). Insert and read only: the
 * table's trigger refuses every UPDATE, so a pack stays as it was frozen.
 */
#include "store/data_pack_store.h"
#include "core/common.h"

static bool hex64(const char *s)
{
    if (s == NULL || strlen(s) != 64)
        return false;
    for (int i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

int data_pack_store_insert(struct db *db, const struct data_pack_row *row, int64_t *id_out,
                           struct err_ctx *e)
{
    if (!hex64(row->sha256))
        return err_set(e, ERR_INVALID, "sha256", "data pack: bad hash");
    if (row->document == NULL || row->document_len == 0 || row->document_len > DATA_PACK_DOC_MAX)
        return err_set(e, ERR_TOO_BIG, "document", "data pack: document empty or too large");
    static const char sql[] =
        "INSERT INTO data_pack (conversation_id, created_at, created_by, data_date, "
        "data_change_id, document, sha256) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "data_pack.insert", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, row->conversation_id)) ||
        (ret = db_bind_text(st, 2, row->created_at, (size_t)-1)) ||
        (ret = row->created_by > 0 ? db_bind_i64(st, 3, row->created_by) : db_bind_null(st, 3)) ||
        (ret = db_bind_i64(st, 4, row->data_date)) ||
        (ret = db_bind_i64(st, 5, row->data_change_id)) ||
        (ret = db_bind_text(st, 6, row->document, row->document_len)) ||
        (ret = db_bind_text(st, 7, row->sha256, 64)))
        goto out;
    if (!(ret = db_run(st)) && id_out)
        *id_out = db_last_insert_id(db);
out:
    db_done(st);
    if (ret)
        err_set(e, ret, NULL, "data pack: insert failed (%s)", err_name(ret));
    return ret;
}

#define PACK_COLUMNS                                                                               \
    "p.id, p.conversation_id, p.created_at, p.created_by, u.display_name, p.data_date, "           \
    "p.data_change_id, p.sha256 "
#define PACK_FROM "FROM data_pack p LEFT JOIN user_account u ON u.id = p.created_by "

static int read_row(struct arena *a, struct db_stmt *st, void *rowp, void *ctx)
{
    struct data_pack_row *r = rowp;
    bool with_doc = ctx != NULL;
    memset(r, 0, sizeof *r);
    r->id = db_col_i64(st, 0);
    r->conversation_id = db_col_i64(st, 1);
    r->created_by = db_col_is_null(st, 3) ? 0 : db_col_i64(st, 3);
    r->data_date = (day_t)db_col_i64(st, 5);
    r->data_change_id = db_col_i64(st, 6);
    if (!db_col_dup(a, st, 2, &r->created_at) || !db_col_dup(a, st, 4, &r->created_by_name) ||
        !db_col_dup(a, st, 7, &r->sha256))
        return ERR_NOMEM;
    if (with_doc) {
        if (!db_col_dup(a, st, 8, &r->document))
            return ERR_NOMEM;
        r->document_len = r->document ? strlen(r->document) : 0;
    }
    return 0;
}

static int get_one(struct arena *a, struct db *db, const char *name, const char *sql, int64_t id,
                   struct data_pack_row *out)
{
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, name, sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, id)))
        goto out;
    ret = db_step(st);
    if (ret == DB_DONE) {
        ret = ERR_NOT_FOUND;
        goto out;
    }
    if (ret < 0)
        goto out;
    ret = read_row(a, st, out, (void *)1);
out:
    db_done(st);
    return ret;
}

int data_pack_store_latest(struct arena *a, struct db *db, int64_t conversation_id,
                           struct data_pack_row *out)
{
    static const char sql[] = "SELECT " PACK_COLUMNS ", p.document " PACK_FROM
                              "WHERE p.conversation_id = $1 ORDER BY p.id DESC LIMIT 1";
    return get_one(a, db, "data_pack.latest", sql, conversation_id, out);
}

int data_pack_store_get(struct arena *a, struct db *db, int64_t id, struct data_pack_row *out)
{
    static const char sql[] = "SELECT " PACK_COLUMNS ", p.document " PACK_FROM "WHERE p.id = $1";
    return get_one(a, db, "data_pack.get", sql, id, out);
}

int data_pack_store_list(struct arena *a, struct db *db, int64_t conversation_id, int max,
                         struct data_pack_row **out, int *n)
{
    *out = NULL;
    *n = 0;
    static const char sql[] =
        "SELECT " PACK_COLUMNS PACK_FROM "WHERE p.conversation_id = $1 ORDER BY p.id DESC LIMIT $2";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "data_pack.list", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, conversation_id)) ||
        (ret = db_bind_i64(st, 2, max > 0 ? max : 1)))
        goto out;
    void *rows = NULL;
    size_t nrows = 0;
    ret = db_collect(a, st, sizeof(struct data_pack_row), read_row, NULL, &rows, &nrows);
    if (!ret) {
        *out = rows;
        *n = (int)nrows;
    }
out:
    db_done(st);
    return ret;
}

int data_pack_store_newest_change(struct db *db, int64_t *out)
{
    return db_query_i64(db, "data_pack.newest_change",
                        "SELECT coalesce(max(seq), 0) FROM data_change", out);
}
