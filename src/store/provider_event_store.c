/*
 * provider_event_store.c: SQL of provider events (calamity, supervisor measure, complaint) with
 * the names of the aanbieder and the recording organisation, and the latest review started
 * from each event. Edits are guarded by the version column.
 */
#include "store/provider_event_store.h"
#include "core/common.h"

static const char *const kind_codes[] = {
    [PEV_CALAMITEIT] = "calamiteit",
    [PEV_MAATREGEL] = "maatregel_toezichthouder",
    [PEV_KLACHT] = "klacht",
    [PEV_OVERIG] = "overig",
};

static enum provider_event_kind kind_of(const char *c)
{
    for (int k = PEV_KIND_MIN; c && k <= PEV_KIND_MAX; k++)
        if (strcmp(kind_codes[k], c) == 0)
            return (enum provider_event_kind)k;
    return PEV_OVERIG;
}

static enum org_kind org_kind_of(const char *c)
{
    if (c && strcmp(c, "region") == 0)
        return ORG_REGION;
    if (c && strcmp(c, "aanbieder") == 0)
        return ORG_AANBIEDER;
    if (c && strcmp(c, "toezichthouder") == 0)
        return ORG_TOEZICHTHOUDER;
    if (c && strcmp(c, "toegang") == 0)
        return ORG_TOEGANG;
    return ORG_GEMEENTE;
}

int pev_store_insert(struct db *db, int64_t aanbieder_id, int64_t owner_org_id,
                     const char *kind_code, day_t on_date, const char *description, int64_t user_id,
                     const char *now, int64_t *id_out)
{
    static const char sql[] =
        "INSERT INTO provider_event (aanbieder_id, owner_org_id, kind, on_date, description, "
        "version, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $7)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "pev.insert", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, aanbieder_id)) &&
        !(ret = db_bind_i64(st, 2, owner_org_id)) &&
        !(ret = db_bind_text(st, 3, kind_code, (size_t)-1)) &&
        !(ret = db_bind_i64(st, 4, on_date)) &&
        !(ret = db_bind_text(st, 5, description, (size_t)-1)) &&
        !(ret = user_id > 0 ? db_bind_i64(st, 6, user_id) : db_bind_null(st, 6)) &&
        !(ret = db_bind_text(st, 7, now, (size_t)-1)))
        ret = db_run(st);
    db_done(st);
    if (!ret)
        *id_out = db_last_insert_id(db);
    return ret;
}

int pev_store_update(struct db *db, int64_t id, int64_t version, const char *kind_code,
                     day_t on_date, const char *description, const char *now)
{
    static const char sql[] =
        "UPDATE provider_event SET kind = $3, on_date = $4, description = $5, updated_at = $6, "
        "version = version + 1 WHERE id = $1 AND version = $2";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "pev.update", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id)) && !(ret = db_bind_i64(st, 2, version)) &&
        !(ret = db_bind_text(st, 3, kind_code, (size_t)-1)) &&
        !(ret = db_bind_i64(st, 4, on_date)) &&
        !(ret = db_bind_text(st, 5, description, (size_t)-1)) &&
        !(ret = db_bind_text(st, 6, now, (size_t)-1)))
        ret = db_run(st);
    db_done(st);
    if (ret)
        return ret;
    return db_changes(db) == 1 ? 0 : ERR_CONFLICT;
}

int pev_store_set_archived(struct db *db, int64_t id, int64_t version, bool archived,
                           const char *now)
{
    static const char sql[] = "UPDATE provider_event SET archived = $3, updated_at = $4, "
                              "version = version + 1 WHERE id = $1 AND version = $2";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "pev.archive", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id)) && !(ret = db_bind_i64(st, 2, version)) &&
        !(ret = db_bind_i64(st, 3, archived ? 1 : 0)) &&
        !(ret = db_bind_text(st, 4, now, (size_t)-1)))
        ret = db_run(st);
    db_done(st);
    if (ret)
        return ret;
    return db_changes(db) == 1 ? 0 : ERR_CONFLICT;
}

#define PEV_SELECT                                                                                 \
    "SELECT e.id, e.aanbieder_id, p.name, e.owner_org_id, o.kind, o.name, e.kind, e.on_date, "     \
    "e.description, e.archived, e.version, e.created_at, u.display_name, (SELECT "                 \
    "coalesce(max(r.id), 0) FROM review r WHERE r.provider_event_id = e.id AND r.archived = 0) "   \
    "FROM provider_event e JOIN organisation p ON p.id = e.aanbieder_id JOIN organisation o ON "   \
    "o.id = e.owner_org_id LEFT JOIN user_account u ON u.id = e.created_by "

static int read_event(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct provider_event *ev = row;
    memset(ev, 0, sizeof *ev);
    ev->id = db_col_i64(st, 0);
    ev->aanbieder_id = db_col_i64(st, 1);
    ev->owner_org_id = db_col_i64(st, 3);
    ev->owner_org_kind = org_kind_of(db_col_text(st, 4));
    ev->kind = kind_of(db_col_text(st, 6));
    ev->on_date = (day_t)db_col_i64(st, 7);
    ev->archived = db_col_i64(st, 9) != 0;
    ev->version = db_col_i64(st, 10);
    ev->review_id = db_col_i64(st, 13);
    if (!db_col_dup(a, st, 2, &ev->aanbieder_name) || !db_col_dup(a, st, 5, &ev->owner_name) ||
        !db_col_dup(a, st, 8, &ev->description) || !db_col_dup(a, st, 11, &ev->created_at) ||
        !db_col_dup(a, st, 12, &ev->created_by_name))
        return ERR_NOMEM;
    return 0;
}

int pev_store_get(struct arena *a, struct db *db, int64_t id, struct provider_event *out)
{
    static const char sql[] = PEV_SELECT "WHERE e.id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "pev.get", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id))) {
        ret = db_step(st);
        if (ret == DB_ROW)
            ret = read_event(a, st, out, NULL);
        else if (ret == DB_DONE)
            ret = ERR_NOT_FOUND;
    }
    db_done(st);
    return ret;
}

int pev_store_list(struct arena *a, struct db *db, int64_t aanbieder_id, bool include_archived,
                   int cap, struct provider_event **out, int *n)
{
    static const char sql[] = PEV_SELECT "WHERE ($1 = 0 OR e.aanbieder_id = $1) AND ($2 = 1 OR "
                                         "e.archived = 0) ORDER BY e.on_date DESC, e.id DESC "
                                         "LIMIT $3";
    struct db_stmt *st = NULL;
    size_t count = 0;
    void *rows = NULL;
    int ret = db_prepare(db, "pev.list", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, aanbieder_id)) &&
        !(ret = db_bind_i64(st, 2, include_archived ? 1 : 0)) &&
        !(ret = db_bind_i64(st, 3, cap > 0 ? cap : 500)))
        ret = db_collect(a, st, sizeof(struct provider_event), read_event, NULL, &rows, &count);
    db_done(st);
    *out = rows;
    *n = (int)count;
    return ret;
}
