/*
 * indicator_store.c: SQL of indicator definitions, their version history, targets and the
 * indicators linked to a maatschappelijk resultaat (indicator_store.h). Definitions are JSON
 * text here; metrics/definition.c parses them. Edits are guarded by the version column
 * (optimistic locking) and every stored version is kept in indicator_version.
 */
#include "store/indicator_store.h"
#include "core/common.h"
#include "core/str.h"

static int bind_user(struct db_stmt *st, int n, int64_t by)
{
    return by > 0 ? db_bind_i64(st, n, by) : db_bind_null(st, n);
}

/* ---- Definitions. --------------------------------------------------------------------------- */

#define IND_COLUMNS                                                                                \
    "i.id, i.code, i.owner_org_id, o.name, i.standard, i.version, i.definition, i.archived, "      \
    "i.updated_at, i.updated_by "
#define IND_FROM "FROM indicator i LEFT JOIN organisation o ON o.id = i.owner_org_id "

static int read_indicator(struct arena *a, struct db_stmt *st, struct indicator_row *out)
{
    struct indicator_row r = {
        .id = db_col_i64(st, 0),
        .owner_org_id = db_col_is_null(st, 2) ? 0 : db_col_i64(st, 2),
        .standard = db_col_i64(st, 4) != 0,
        .version = db_col_i64(st, 5),
        .archived = db_col_i64(st, 7) != 0,
        .updated_by = db_col_is_null(st, 9) ? 0 : db_col_i64(st, 9),
    };
    if (!db_col_dup(a, st, 1, &r.code) || !db_col_dup(a, st, 3, &r.owner_name) ||
        !db_col_dup(a, st, 6, &r.definition) || !db_col_dup(a, st, 8, &r.updated_at))
        return ERR_NOMEM;
    *out = r;
    return 0;
}

static int read_indicator_row(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    return read_indicator(a, st, row);
}

int indicator_store_list(struct arena *a, struct db *db, bool include_archived,
                         struct indicator_row **out, size_t *n)
{
    static const char sql[] = "SELECT " IND_COLUMNS IND_FROM "WHERE ($1 = 1 OR i.archived = 0) "
                              "ORDER BY i.standard DESC, i.code, i.id";
    struct db_stmt *st = NULL;
    *out = NULL;
    *n = 0;
    int ret = db_prepare(db, "indicator.list", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, include_archived ? 1 : 0)))
        ret = db_collect(a, st, sizeof **out, read_indicator_row, NULL, (void **)out, n);
    db_done(st);
    return ret;
}

/* Runs a query returning at most one indicator row. */
static int get_one(struct arena *a, struct db_stmt *st, struct indicator_row *out)
{
    int ret = db_step(st);
    if (ret == DB_DONE)
        return ERR_NOT_FOUND;
    if (ret < 0)
        return ret;
    return read_indicator(a, st, out);
}

int indicator_store_get(struct arena *a, struct db *db, int64_t id, struct indicator_row *out)
{
    static const char sql[] = "SELECT " IND_COLUMNS IND_FROM "WHERE i.id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "indicator.get", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id)))
        ret = get_one(a, st, out);
    db_done(st);
    return ret;
}

int indicator_store_find(struct arena *a, struct db *db, int64_t owner_org_id, const char *code,
                         struct indicator_row *out)
{
    static const char sql[] =
        "SELECT " IND_COLUMNS IND_FROM "WHERE coalesce(i.owner_org_id, 0) = $1 AND i.code = $2";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "indicator.find", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, owner_org_id)) &&
        !(ret = db_bind_text(st, 2, code, (size_t)-1)))
        ret = get_one(a, st, out);
    db_done(st);
    return ret;
}

/* Records version `version` of indicator id with its definition. */
static int insert_version(struct db *db, int64_t id, int64_t version, const char *json,
                          const char *now, int64_t by)
{
    static const char sql[] = "INSERT INTO indicator_version (indicator_id, version, definition, "
                              "changed_at, changed_by) VALUES ($1, $2, $3, $4, $5)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "indicator.insert_version", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, id)) || (ret = db_bind_i64(st, 2, version)) ||
        (ret = db_bind_text(st, 3, json, (size_t)-1)) ||
        (ret = db_bind_text(st, 4, now, (size_t)-1)) || (ret = bind_user(st, 5, by)))
        goto out;
    ret = db_run(st);
out:
    db_done(st);
    return ret;
}

int indicator_store_insert(struct db *db, int64_t owner_org_id, bool standard, const char *code,
                           const char *json, const char *now, int64_t by, int64_t *id_out)
{
    static const char sql[] =
        "INSERT INTO indicator (code, owner_org_id, standard, version, definition, archived, "
        "created_at, updated_at, updated_by) VALUES ($1, $2, $3, 1, $4, 0, $5, $5, $6)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "indicator.insert", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_text(st, 1, code, (size_t)-1)) ||
        (ret = owner_org_id > 0 ? db_bind_i64(st, 2, owner_org_id) : db_bind_null(st, 2)) ||
        (ret = db_bind_i64(st, 3, standard ? 1 : 0)) ||
        (ret = db_bind_text(st, 4, json, (size_t)-1)) ||
        (ret = db_bind_text(st, 5, now, (size_t)-1)) || (ret = bind_user(st, 6, by)))
        goto out;
    if ((ret = db_run(st)))
        goto out;
    int64_t id = db_last_insert_id(db);
    db_done(st);
    st = NULL;
    if ((ret = insert_version(db, id, 1, json, now, by)))
        goto out;
    if (id_out)
        *id_out = id;
out:
    db_done(st);
    return ret;
}

int indicator_store_update(struct db *db, int64_t id, int64_t version, const char *json,
                           const char *now, int64_t by)
{
    static const char sql[] = "UPDATE indicator SET definition = $3, version = version + 1, "
                              "updated_at = $4, updated_by = $5 WHERE id = $1 AND version = $2";
    static const char exists_sql[] = "SELECT 1 FROM indicator WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "indicator.update", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, id)) || (ret = db_bind_i64(st, 2, version)) ||
        (ret = db_bind_text(st, 3, json, (size_t)-1)) ||
        (ret = db_bind_text(st, 4, now, (size_t)-1)) || (ret = bind_user(st, 5, by)))
        goto out;
    if ((ret = db_run(st)))
        goto out;
    bool changed = db_changes(db) > 0;
    db_done(st);
    st = NULL;
    if (changed) {
        ret = insert_version(db, id, version + 1, json, now, by);
        goto out;
    }
    /* Nothing changed: someone saved first (stale version), or the indicator is gone. */
    if ((ret = db_prepare(db, "indicator.exists", exists_sql, &st)) ||
        (ret = db_bind_i64(st, 1, id)))
        goto out;
    ret = db_step(st);
    if (ret >= 0)
        ret = ret == DB_ROW ? ERR_CONFLICT : ERR_NOT_FOUND;
out:
    db_done(st);
    return ret;
}

int indicator_store_set_archived(struct db *db, int64_t id, bool archived, const char *now,
                                 int64_t by)
{
    /* Archiving does not change the definition, so it makes no new version. */
    static const char sql[] = "UPDATE indicator SET archived = $2, updated_at = $3, "
                              "updated_by = $4 WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "indicator.set_archived", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, id)) || (ret = db_bind_i64(st, 2, archived ? 1 : 0)) ||
        (ret = db_bind_text(st, 3, now, (size_t)-1)) || (ret = bind_user(st, 4, by)))
        goto out;
    ret = db_run(st);
    if (!ret && db_changes(db) == 0)
        ret = ERR_NOT_FOUND;
out:
    db_done(st);
    return ret;
}

static int read_version(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct indicator_version_row *r = row;
    r->version = db_col_i64(st, 0);
    r->changed_by = db_col_is_null(st, 3) ? 0 : db_col_i64(st, 3);
    if (!db_col_dup(a, st, 1, &r->definition) || !db_col_dup(a, st, 2, &r->changed_at) ||
        !db_col_dup(a, st, 4, &r->changed_by_name))
        return ERR_NOMEM;
    return 0;
}

int indicator_store_versions(struct arena *a, struct db *db, int64_t id,
                             struct indicator_version_row **out, size_t *n)
{
    static const char sql[] =
        "SELECT v.version, v.definition, v.changed_at, v.changed_by, u.display_name "
        "FROM indicator_version v LEFT JOIN user_account u ON u.id = v.changed_by "
        "WHERE v.indicator_id = $1 ORDER BY v.version DESC";
    struct db_stmt *st = NULL;
    *out = NULL;
    *n = 0;
    int ret = db_prepare(db, "indicator.versions", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id)))
        ret = db_collect(a, st, sizeof **out, read_version, NULL, (void **)out, n);
    db_done(st);
    return ret;
}

/* ---- Targets. ------------------------------------------------------------------------------- */

static int read_target(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct indicator_target_row *t = row;
    t->id = db_col_i64(st, 0);
    t->indicator_id = db_col_i64(st, 1);
    t->owner_org_id = db_col_i64(st, 2);
    t->aanbieder_id = db_col_is_null(st, 4) ? 0 : db_col_i64(st, 4);
    t->valid_from = (int32_t)db_col_i64(st, 5);
    t->valid_to = db_col_is_null(st, 6) ? DAY_NONE : (int32_t)db_col_i64(st, 6);
    t->value = db_col_double(st, 7);
    if (!db_col_dup(a, st, 3, &t->gemeente) || !db_col_dup(a, st, 8, &t->note))
        return ERR_NOMEM;
    return 0;
}

int indicator_store_targets(struct arena *a, struct db *db, int64_t indicator_id,
                            struct indicator_target_row **out, size_t *n)
{
    static const char sql[] =
        "SELECT id, indicator_id, owner_org_id, gemeente, aanbieder_id, valid_from, valid_to, "
        "value, note FROM indicator_target WHERE indicator_id = $1 ORDER BY valid_from, id";
    struct db_stmt *st = NULL;
    *out = NULL;
    *n = 0;
    int ret = db_prepare(db, "indicator.targets", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, indicator_id)))
        ret = db_collect(a, st, sizeof **out, read_target, NULL, (void **)out, n);
    db_done(st);
    return ret;
}

int indicator_store_target_insert(struct db *db, const struct indicator_target_row *t,
                                  int64_t *id_out)
{
    static const char sql[] =
        "INSERT INTO indicator_target (indicator_id, owner_org_id, gemeente, aanbieder_id, "
        "valid_from, valid_to, value, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "indicator.target_insert", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, t->indicator_id)) ||
        (ret = db_bind_i64(st, 2, t->owner_org_id)) ||
        (ret = db_bind_text(st, 3, t->gemeente, (size_t)-1)) ||
        (ret = t->aanbieder_id > 0 ? db_bind_i64(st, 4, t->aanbieder_id) : db_bind_null(st, 4)) ||
        (ret = db_bind_i64(st, 5, t->valid_from)) ||
        (ret = t->valid_to == DAY_NONE ? db_bind_null(st, 6) : db_bind_i64(st, 6, t->valid_to)) ||
        (ret = db_bind_double(st, 7, t->value)) ||
        (ret = db_bind_text(st, 8, t->note ? t->note : "", (size_t)-1)))
        goto out;
    if ((ret = db_run(st)))
        goto out;
    if (id_out)
        *id_out = db_last_insert_id(db);
out:
    db_done(st);
    return ret;
}

int indicator_store_target_delete(struct db *db, int64_t id)
{
    static const char sql[] = "DELETE FROM indicator_target WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "indicator.target_delete", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id)) && !(ret = db_run(st)) && db_changes(db) == 0)
        ret = ERR_NOT_FOUND;
    db_done(st);
    return ret;
}

/* ---- Links to societal results. ------------------------------------------------------------- */

int indicator_store_result_links(struct arena *a, struct db *db, int64_t result_id, int64_t **ids,
                                 size_t *n)
{
    static const char sql[] = "SELECT indicator_id FROM result_indicator WHERE result_id = $1 "
                              "ORDER BY position, indicator_id";
    struct db_stmt *st = NULL;
    *ids = NULL;
    *n = 0;
    int ret = db_prepare(db, "indicator.result_links", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, result_id)))
        ret = db_collect_ids(a, st, ids, n);
    db_done(st);
    return ret;
}

int indicator_store_set_result_links(struct db *db, int64_t result_id, const int64_t *ids, size_t n)
{
    static const char del_sql[] = "DELETE FROM result_indicator WHERE result_id = $1";
    static const char ins_sql[] = "INSERT INTO result_indicator (result_id, indicator_id, "
                                  "position) VALUES ($1, $2, $3)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "indicator.result_links_clear", del_sql, &st);
    if (ret || (ret = db_bind_i64(st, 1, result_id)) || (ret = db_run(st)))
        goto out;
    db_done(st);
    st = NULL;
    for (size_t i = 0; i < n; i++) {
        if ((ret = db_prepare(db, "indicator.result_link", ins_sql, &st)) ||
            (ret = db_bind_i64(st, 1, result_id)) || (ret = db_bind_i64(st, 2, ids[i])) ||
            (ret = db_bind_i64(st, 3, (int64_t)i)) || (ret = db_run(st)))
            goto out;
        db_done(st);
        st = NULL;
    }
out:
    db_done(st);
    return ret;
}
