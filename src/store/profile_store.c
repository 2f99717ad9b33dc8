/*
 * profile_store.c: SQL for column-mapping profiles. Edits are guarded by the version column
 * (optimistic locking), as for every other editable object.
 */
#include "store/profile_store.h"
#include "core/common.h"

int profile_store_insert(struct db *db, int64_t org_id, const char *name, int law,
                         const char *definition, const char *now, int64_t created_by,
                         int64_t *id_out)
{
    static const char sql[] =
        "INSERT INTO mapping_profile (org_id, name, law, definition, version, archived, "
        "created_at, updated_at, created_by) VALUES ($1, $2, $3, $4, 1, 0, $5, $5, $6)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "profile.insert", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, org_id)) || (ret = db_bind_text(st, 2, name, (size_t)-1)) ||
        (ret = db_bind_i64(st, 3, law)) || (ret = db_bind_text(st, 4, definition, (size_t)-1)) ||
        (ret = db_bind_text(st, 5, now, (size_t)-1)) ||
        (ret = created_by > 0 ? db_bind_i64(st, 6, created_by) : db_bind_null(st, 6)))
        goto out;
    ret = db_run(st);
    if (ret)
        goto out;
    *id_out = db_last_insert_id(db);
out:
    db_done(st);
    return ret;
}

int profile_store_update(struct db *db, int64_t id, int64_t version, const char *name, int law,
                         const char *definition, const char *now, bool *name_taken)
{
    static const char sql[] =
        "UPDATE mapping_profile SET name = $3, law = $4, definition = $5, updated_at = $6, "
        "version = version + 1 WHERE id = $1 AND version = $2";
    struct db_stmt *st = NULL;
    if (name_taken)
        *name_taken = false;
    int ret = db_prepare(db, "profile.update", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, id)) || (ret = db_bind_i64(st, 2, version)) ||
        (ret = db_bind_text(st, 3, name, (size_t)-1)) || (ret = db_bind_i64(st, 4, law)) ||
        (ret = db_bind_text(st, 5, definition, (size_t)-1)) ||
        (ret = db_bind_text(st, 6, now, (size_t)-1)))
        goto out;
    ret = db_run(st);
    if (ret == ERR_CONFLICT && name_taken)
        *name_taken = true; /* the only constraint an update can break: the unique name */
    if (!ret && db_changes(db) == 0)
        ret = ERR_CONFLICT;
out:
    db_done(st);
    return ret;
}

int profile_store_set_archived(struct db *db, int64_t id, bool archived, const char *now)
{
    static const char sql[] = "UPDATE mapping_profile SET archived = $2, updated_at = $3, "
                              "version = version + 1 WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "profile.set_archived", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, id)) || (ret = db_bind_i64(st, 2, archived ? 1 : 0)) ||
        (ret = db_bind_text(st, 3, now, (size_t)-1)))
        goto out;
    ret = db_run(st);
    if (!ret && db_changes(db) == 0)
        ret = ERR_NOT_FOUND;
out:
    db_done(st);
    return ret;
}

/* The columns of struct profile_row, in the order read_row() expects. */
#define PROFILE_COLUMNS                                                                            \
    "p.id, p.org_id, o.name, p.name, p.law, p.definition, p.version, p.archived, p.created_at, "   \
    "p.updated_at "

static int read_row(struct arena *a, struct db_stmt *st, struct profile_row *out)
{
    struct profile_row r = {
        .id = db_col_i64(st, 0),
        .org_id = db_col_i64(st, 1),
        .law = (int)db_col_i64(st, 4),
        .version = db_col_i64(st, 6),
        .archived = db_col_i64(st, 7) != 0,
    };
    if (!db_col_dup(a, st, 2, &r.org_name) || !db_col_dup(a, st, 3, &r.name) ||
        !db_col_dup(a, st, 5, &r.definition) || !db_col_dup(a, st, 8, &r.created_at) ||
        !db_col_dup(a, st, 9, &r.updated_at))
        return ERR_TOO_BIG;
    *out = r;
    return 0;
}

int profile_store_get(struct arena *a, struct db *db, int64_t id, struct profile_row *out)
{
    static const char sql[] = "SELECT " PROFILE_COLUMNS "FROM mapping_profile p "
                              "JOIN organisation o ON o.id = p.org_id WHERE p.id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "profile.get", sql, &st);
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
    ret = read_row(a, st, out);
out:
    db_done(st);
    return ret;
}

/* Steps st into out[0..cap). */
static int read_rows(struct arena *a, struct db_stmt *st, struct profile_row *out, int cap, int *n)
{
    int got = 0, ret = 0;
    while (got < cap && (ret = db_step(st)) == DB_ROW) {
        if ((ret = read_row(a, st, &out[got])))
            return ret;
        got++;
    }
    if (ret < 0)
        return ret;
    *n = got;
    return 0;
}

int profile_store_find(struct arena *a, struct db *db, int64_t org_id, const char *name,
                       struct profile_row *out, int cap, int *n)
{
    static const char sql[] = "SELECT " PROFILE_COLUMNS "FROM mapping_profile p "
                              "JOIN organisation o ON o.id = p.org_id "
                              "WHERE ($1 = 0 OR p.org_id = $1) AND p.name = $2 "
                              "ORDER BY p.id LIMIT $3";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "profile.find", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, org_id)) || (ret = db_bind_text(st, 2, name, (size_t)-1)) ||
        (ret = db_bind_i64(st, 3, cap)))
        goto out;
    ret = read_rows(a, st, out, cap, n);
out:
    db_done(st);
    return ret;
}

int profile_store_list(struct arena *a, struct db *db, int64_t org_id, struct profile_row *out,
                       int cap, int *n)
{
    static const char sql[] = "SELECT " PROFILE_COLUMNS "FROM mapping_profile p "
                              "JOIN organisation o ON o.id = p.org_id "
                              "WHERE ($1 = 0 OR p.org_id = $1) "
                              "ORDER BY o.name, p.name, p.id LIMIT $2";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "profile.list", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, org_id)) || (ret = db_bind_i64(st, 2, cap)))
        goto out;
    ret = read_rows(a, st, out, cap, n);
out:
    db_done(st);
    return ret;
}
