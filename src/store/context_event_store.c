/*
 * context_event_store.c: SQL for context events. Edits are guarded by the version column
 * (optimistic locking), as for results and stories.
 */
#include "store/context_event_store.h"
#include "core/common.h"

static int bind_values(struct db_stmt *st, const struct context_event_values *v)
{
    int ret;
    if ((ret = db_bind_i64(st, 3, v->owner_org_id)) ||
        (ret = db_bind_text(st, 4, v->title, (size_t)-1)) ||
        (ret = db_bind_text(st, 5, v->description, (size_t)-1)) ||
        (ret = db_bind_i64(st, 6, v->on_date)) ||
        (ret = v->has_until ? db_bind_i64(st, 7, v->until_date) : db_bind_null(st, 7)) ||
        (ret = db_bind_text(st, 8, v->gemeente, (size_t)-1)) ||
        (ret = v->aanbieder_id > 0 ? db_bind_i64(st, 9, v->aanbieder_id) : db_bind_null(st, 9)))
        return ret;
    return 0;
}

int context_event_store_insert(struct db *db, const struct context_event_values *v, const char *now,
                               int64_t created_by, int64_t *id_out)
{
    static const char sql[] =
        "INSERT INTO context_event (owner_org_id, title, description, on_date, until_date, "
        "gemeente, aanbieder_id, archived, version, created_at, updated_at, created_by) "
        "VALUES ($3, $4, $5, $6, $7, $8, $9, 0, 1, $1, $1, $2)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "cevent.insert", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_text(st, 1, now, (size_t)-1)) ||
        (ret = created_by > 0 ? db_bind_i64(st, 2, created_by) : db_bind_null(st, 2)) ||
        (ret = bind_values(st, v)))
        goto out;
    if (!(ret = db_run(st)))
        *id_out = db_last_insert_id(db);
out:
    db_done(st);
    return ret;
}

int context_event_store_update(struct db *db, int64_t id, int64_t version,
                               const struct context_event_values *v, const char *now)
{
    static const char sql[] =
        "UPDATE context_event SET owner_org_id = $3, title = $4, description = $5, "
        "on_date = $6, until_date = $7, gemeente = $8, aanbieder_id = $9, updated_at = $10, "
        "version = version + 1 WHERE id = $1 AND version = $2";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "cevent.update", sql, &st);
    if (ret)
        goto out;
    if ((ret = db_bind_i64(st, 1, id)) || (ret = db_bind_i64(st, 2, version)) ||
        (ret = bind_values(st, v)) || (ret = db_bind_text(st, 10, now, (size_t)-1)))
        goto out;
    ret = db_run(st);
    if (!ret && db_changes(db) == 0)
        ret = ERR_CONFLICT;
out:
    db_done(st);
    return ret;
}

int context_event_store_set_archived(struct db *db, int64_t id, bool archived, const char *now)
{
    static const char sql[] = "UPDATE context_event SET archived = $2, updated_at = $3, "
                              "version = version + 1 WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "cevent.set_archived", sql, &st);
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

#define CEVENT_COLUMNS                                                                             \
    "c.id, c.owner_org_id, o.name, c.title, c.description, c.on_date, c.until_date, "              \
    "c.gemeente, g.name, coalesce(c.aanbieder_id, 0), p.name, c.archived, c.version, "             \
    "c.created_at, c.updated_at "
#define CEVENT_FROM                                                                                \
    "FROM context_event c JOIN organisation o ON o.id = c.owner_org_id "                           \
    "LEFT JOIN organisation g ON g.cbs_code = 'GM' || c.gemeente "                                 \
    "LEFT JOIN organisation p ON p.id = c.aanbieder_id "

static int read_event(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct context_event *e = row;
    memset(e, 0, sizeof *e);
    e->id = db_col_i64(st, 0);
    e->owner_org_id = db_col_i64(st, 1);
    e->on_date = (day_t)db_col_i64(st, 5);
    e->has_until = !db_col_is_null(st, 6);
    e->until_date = e->has_until ? (day_t)db_col_i64(st, 6) : e->on_date;
    e->aanbieder_id = db_col_i64(st, 9);
    e->archived = db_col_i64(st, 11) != 0;
    e->version = db_col_i64(st, 12);
    if (!db_col_dup(a, st, 2, &e->owner_name) || !db_col_dup(a, st, 3, &e->title) ||
        !db_col_dup(a, st, 4, &e->description) || !db_col_dup(a, st, 7, &e->gemeente) ||
        !db_col_dup(a, st, 8, &e->gemeente_name) || !db_col_dup(a, st, 10, &e->aanbieder_name) ||
        !db_col_dup(a, st, 13, &e->created_at) || !db_col_dup(a, st, 14, &e->updated_at))
        return ERR_TOO_BIG;
    return 0;
}

int context_event_store_get(struct arena *a, struct db *db, int64_t id, struct context_event *out)
{
    static const char sql[] = "SELECT " CEVENT_COLUMNS CEVENT_FROM "WHERE c.id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "cevent.get", sql, &st);
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
    ret = read_event(a, st, out, NULL);
out:
    db_done(st);
    return ret;
}

/*
 * $1 owner, $2 gemeente (exact), $3 aanbieder (exact), $4 scoped, $5 scope list,
 * $6 scope all gemeenten, $7 scope aanbieder, $8 from, $9 to, $10 LIKE, $11 include archived.
 * Scoped: region-wide events, events of a listed gemeente (or any gemeente with $6), events of
 * the aanbieder.
 */
#define CEVENT_WHERE                                                                               \
    "WHERE ($1 = 0 OR c.owner_org_id = $1) AND ($2 IS NULL OR c.gemeente = $2) AND "               \
    "($3 = 0 OR c.aanbieder_id = $3) AND "                                                         \
    "($4 = 0 OR (c.gemeente IS NULL AND c.aanbieder_id IS NULL) OR "                               \
    "(c.gemeente IS NOT NULL AND ($6 = 1 OR instr($5, ',' || c.gemeente || ',') > 0)) OR "         \
    "(c.aanbieder_id IS NOT NULL AND c.aanbieder_id = $7)) AND "                                   \
    "($8 IS NULL OR coalesce(c.until_date, c.on_date) >= $8) AND "                                 \
    "($9 IS NULL OR c.on_date <= $9) AND "                                                         \
    "($10 IS NULL OR c.title LIKE $10 ESCAPE '\\' OR c.description LIKE $10 ESCAPE '\\') AND "     \
    "($11 = 1 OR c.archived = 0) "

static int bind_query(struct db_stmt *st, const struct context_event_query *q)
{
    int ret;
    if ((ret = db_bind_i64(st, 1, q->owner_org_id)) ||
        (ret = db_bind_text(st, 2, q->gemeente, (size_t)-1)) ||
        (ret = db_bind_i64(st, 3, q->aanbieder_id)) ||
        (ret = db_bind_i64(st, 4, q->scoped ? 1 : 0)) ||
        (ret = db_bind_text(st, 5, q->scope_list ? q->scope_list : "", (size_t)-1)) ||
        (ret = db_bind_i64(st, 6, q->scope_all_gemeenten ? 1 : 0)) ||
        (ret = db_bind_i64(st, 7, q->scope_aanbieder)) ||
        (ret = q->has_range ? db_bind_i64(st, 8, q->from) : db_bind_null(st, 8)) ||
        (ret = q->has_range ? db_bind_i64(st, 9, q->to) : db_bind_null(st, 9)) ||
        (ret = db_bind_text(st, 10, q->like, (size_t)-1)) ||
        (ret = db_bind_i64(st, 11, q->include_archived ? 1 : 0)))
        return ret;
    return 0;
}

int context_event_store_count(struct db *db, const struct context_event_query *q, int *total)
{
    static const char sql[] = "SELECT count(*) FROM context_event c " CEVENT_WHERE;
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "cevent.count", sql, &st);
    if (ret)
        goto out;
    if ((ret = bind_query(st, q)))
        goto out;
    ret = db_step(st);
    if (ret < 0)
        goto out;
    if (ret != DB_ROW) {
        ret = ERR_DB;
        goto out;
    }
    *total = (int)db_col_i64(st, 0);
    ret = 0;
out:
    db_done(st);
    return ret;
}

int context_event_store_list(struct arena *a, struct db *db, const struct context_event_query *q,
                             struct context_event **out, int *n)
{
    static const char sql[] = "SELECT " CEVENT_COLUMNS CEVENT_FROM CEVENT_WHERE
                              "ORDER BY c.on_date, c.id LIMIT $12 OFFSET $13";
    struct db_stmt *st = NULL;
    void *rows = NULL;
    size_t got = 0;
    int ret = db_prepare(db, "cevent.list", sql, &st);
    if (ret)
        goto out;
    if ((ret = bind_query(st, q)) || (ret = db_bind_i64(st, 12, q->limit)) ||
        (ret = db_bind_i64(st, 13, q->offset)))
        goto out;
    if ((ret = db_collect(a, st, sizeof(struct context_event), read_event, NULL, &rows, &got)))
        goto out;
    *out = rows;
    *n = (int)got;
out:
    db_done(st);
    return ret;
}
