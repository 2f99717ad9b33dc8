/*
 * org_store.c: SQL for organisations and their parent links. Kinds are stored as their stable
 * codes (role.c); names are compared case-insensitively with lower(), which SQLite and
 * PostgreSQL both have.
 */
#include "store/org_store.h"
#include "core/common.h"
#include "core/str.h"

/* Columns of every organisation read, in this order. */
#define ORG_COLUMNS                                                                                \
    "o.id, o.kind, o.name, o.cbs_code, o.agb_code, o.population, o.archived, "                     \
    "o.created_at"

/* The list order: kinds in their enum order (regions first), then by name. */
#define ORG_ORDER                                                                                  \
    "CASE o.kind WHEN 'region' THEN 1 WHEN 'gemeente' THEN 2 WHEN 'aanbieder' THEN 3 "             \
    "WHEN 'toezichthouder' THEN 4 ELSE 5 END, lower(o.name), o.id"

/* The filter shared by count and list: $1 kind code or '', $2 include archived, $3 name
 * pattern or '', $4 parent id or 0. */
#define ORG_WHERE                                                                                  \
    "WHERE ($1 = '' OR o.kind = $1) AND ($2 = 1 OR o.archived = 0) "                               \
    "AND ($3 = '' OR lower(o.name) LIKE lower($3) ESCAPE '\\') "                                   \
    "AND ($4 = 0 OR EXISTS (SELECT 1 FROM organisation_parent p "                                  \
    "WHERE p.child_id = o.id AND p.parent_id = $4)) "

static int bind_opt_text(struct db_stmt *st, int n, const char *s)
{
    return s && *s ? db_bind_text(st, n, s, (size_t)-1) : db_bind_null(st, n);
}

/* Binds $1..$6 = kind, name, cbs, agb, population, now. */
static int bind_input(struct db_stmt *st, const struct org_input *in, const char *now)
{
    int ret = db_bind_text(st, 1, org_kind_code(in->kind), (size_t)-1);
    if (!ret)
        ret = db_bind_text(st, 2, in->name, (size_t)-1);
    if (!ret)
        ret = bind_opt_text(st, 3, in->cbs_code);
    if (!ret)
        ret = bind_opt_text(st, 4, in->agb_code);
    if (!ret)
        ret = db_bind_i64(st, 5, in->population);
    if (!ret)
        ret = db_bind_text(st, 6, now, (size_t)-1);
    return ret;
}

int org_store_insert(struct db *db, const struct org_input *in, const char *now, int64_t *id_out)
{
    static const char sql[] =
        "INSERT INTO organisation (kind, name, cbs_code, agb_code, population, created_at, "
        "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "org.insert", sql, &st);
    if (!ret)
        ret = bind_input(st, in, now);
    if (!ret)
        ret = db_step(st);
    if (!ret)
        *id_out = db_last_insert_id(db);
    db_done(st);
    return ret;
}

int org_store_update(struct db *db, int64_t id, const struct org_input *in, const char *now)
{
    /* The kind is bound only to keep the $N numbering shared with insert; it never changes. */
    static const char sql[] =
        "UPDATE organisation SET name = $2, cbs_code = $3, agb_code = $4, population = $5, "
        "updated_at = $6 WHERE id = $7 AND kind = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "org.update", sql, &st);
    if (!ret)
        ret = bind_input(st, in, now);
    if (!ret)
        ret = db_bind_i64(st, 7, id);
    if (!ret)
        ret = db_step(st);
    if (!ret && db_changes(db) == 0)
        ret = ERR_NOT_FOUND;
    db_done(st);
    return ret;
}

int org_store_set_parents(struct db *db, int64_t id, const int64_t *parents, int n)
{
    static const char del[] = "DELETE FROM organisation_parent WHERE child_id = $1";
    static const char ins[] =
        "INSERT INTO organisation_parent (child_id, parent_id) VALUES ($1, $2)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "org.parents_clear", del, &st);
    if (!ret)
        ret = db_bind_i64(st, 1, id);
    if (!ret)
        ret = db_step(st);
    db_done(st);
    st = NULL;
    for (int i = 0; !ret && i < n; i++) {
        ret = db_prepare(db, "org.parent_add", ins, &st);
        if (!ret)
            ret = db_bind_i64(st, 1, id);
        if (!ret)
            ret = db_bind_i64(st, 2, parents[i]);
        if (!ret)
            ret = db_step(st);
        db_done(st);
        st = NULL;
    }
    return ret;
}

int org_store_set_archived(struct db *db, int64_t id, bool archived, const char *now)
{
    static const char sql[] =
        "UPDATE organisation SET archived = $2, updated_at = $3 WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "org.set_archived", sql, &st);
    if (!ret)
        ret = db_bind_i64(st, 1, id);
    if (!ret)
        ret = db_bind_i64(st, 2, archived ? 1 : 0);
    if (!ret)
        ret = db_bind_text(st, 3, now, (size_t)-1);
    if (!ret)
        ret = db_step(st);
    if (!ret && db_changes(db) == 0)
        ret = ERR_NOT_FOUND;
    db_done(st);
    return ret;
}

int org_store_kind(struct db *db, int64_t id, enum org_kind *kind, bool *archived)
{
    static const char sql[] = "SELECT kind, archived FROM organisation WHERE id = $1";
    struct db_stmt *st = NULL;
    enum org_kind k;
    int ret = db_prepare(db, "org.kind", sql, &st);
    if (!ret)
        ret = db_bind_i64(st, 1, id);
    if (!ret)
        ret = db_step(st);
    if (ret == DB_DONE) {
        ret = ERR_NOT_FOUND;
    } else if (ret == DB_ROW) {
        ret = org_kind_parse(str_from(db_col_text(st, 0)), &k) ? ERR_DB : 0;
        if (!ret) {
            *kind = k;
            *archived = db_col_i64(st, 1) != 0;
        }
    }
    db_done(st);
    return ret;
}

/* Runs a "SELECT id ... LIMIT 1" lookup with text $1, optional text $3 and except id $2. */
static int find_one(struct db *db, const char *name, const char *sql, const char *v1,
                    const char *v3, int64_t except_id, int64_t *id_out)
{
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, name, sql, &st);
    if (!ret)
        ret = db_bind_text(st, 1, v1, (size_t)-1);
    if (!ret)
        ret = db_bind_i64(st, 2, except_id);
    if (!ret && v3)
        ret = db_bind_text(st, 3, v3, (size_t)-1);
    if (!ret)
        ret = db_step(st);
    if (ret == DB_ROW) {
        *id_out = db_col_i64(st, 0);
        ret = 0;
    } else if (ret == DB_DONE) {
        ret = ERR_NOT_FOUND;
    }
    db_done(st);
    return ret;
}

int org_store_find_cbs(struct db *db, const char *cbs_code, int64_t except_id, int64_t *id_out)
{
    static const char sql[] =
        "SELECT id FROM organisation WHERE cbs_code = $1 AND id <> $2 LIMIT 1";
    return find_one(db, "org.find_cbs", sql, cbs_code, NULL, except_id, id_out);
}

int org_store_find_agb(struct db *db, const char *agb_code, int64_t except_id, int64_t *id_out)
{
    static const char sql[] =
        "SELECT id FROM organisation WHERE agb_code = $1 AND id <> $2 LIMIT 1";
    return find_one(db, "org.find_agb", sql, agb_code, NULL, except_id, id_out);
}

int org_store_find_name(struct db *db, enum org_kind kind, const char *name, int64_t except_id,
                        int64_t *id_out)
{
    static const char sql[] = "SELECT id FROM organisation WHERE kind = $1 AND id <> $2 "
                              "AND lower(name) = lower($3) LIMIT 1";
    return find_one(db, "org.find_name", sql, org_kind_code(kind), name, except_id, id_out);
}

/* Loads the parent ids of o->id (at most ORG_MAX_PARENTS, in id order). */
static int load_parents(struct db *db, struct org *o)
{
    static const char sql[] = "SELECT parent_id FROM organisation_parent WHERE child_id = $1 "
                              "ORDER BY parent_id";
    struct db_stmt *st = NULL;
    int n = 0;
    int ret = db_prepare(db, "org.parents", sql, &st);
    if (!ret)
        ret = db_bind_i64(st, 1, o->id);
    while (!ret && (ret = db_step(st)) == DB_ROW) {
        if (n < ORG_MAX_PARENTS)
            o->parent_ids[n++] = db_col_i64(st, 0);
        ret = 0;
    }
    if (ret == DB_DONE) {
        o->nparents = n;
        ret = 0;
    }
    db_done(st);
    return ret;
}

/* Copies a nullable text column into the arena; false past the arena cap. */
static bool copy_col(struct arena *a, struct db_stmt *st, int i, const char **dst)
{
    const char *v = db_col_text(st, i);
    *dst = v ? arena_strdup(a, v) : NULL;
    return !v || *dst;
}

/* Reads the ORG_COLUMNS of the current row into o (parents not yet loaded). */
static int read_row(struct arena *a, struct db_stmt *st, struct org *o)
{
    enum org_kind k;
    memset(o, 0, sizeof *o);
    if (org_kind_parse(str_from(db_col_text(st, 1)), &k))
        return ERR_DB;
    o->id = db_col_i64(st, 0);
    o->kind = k;
    o->population = db_col_i64(st, 5);
    o->archived = db_col_i64(st, 6) != 0;
    if (!copy_col(a, st, 2, &o->name) || !copy_col(a, st, 3, &o->cbs_code) ||
        !copy_col(a, st, 4, &o->agb_code) || !copy_col(a, st, 7, &o->created_at))
        return ERR_TOO_BIG;
    return 0;
}

int org_store_get(struct arena *a, struct db *db, int64_t id, struct org *out)
{
    static const char sql[] = "SELECT " ORG_COLUMNS " FROM organisation o WHERE o.id = $1";
    struct db_stmt *st = NULL;
    struct org o;
    int ret = db_prepare(db, "org.get", sql, &st);
    if (!ret)
        ret = db_bind_i64(st, 1, id);
    if (!ret)
        ret = db_step(st);
    if (ret == DB_DONE)
        ret = ERR_NOT_FOUND;
    else if (ret == DB_ROW)
        ret = read_row(a, st, &o);
    db_done(st);
    if (!ret)
        ret = load_parents(db, &o);
    if (!ret)
        *out = o;
    return ret;
}

static int bind_query(struct db_stmt *st, const struct org_query *q)
{
    const char *kind = q->kind ? org_kind_code((enum org_kind)q->kind) : "";
    int ret = db_bind_text(st, 1, kind, (size_t)-1);
    if (!ret)
        ret = db_bind_i64(st, 2, q->include_archived ? 1 : 0);
    if (!ret)
        ret = db_bind_text(st, 3, q->name_like ? q->name_like : "", (size_t)-1);
    if (!ret)
        ret = db_bind_i64(st, 4, q->parent_id);
    return ret;
}

int org_store_count(struct db *db, const struct org_query *q, int *total)
{
    static const char sql[] = "SELECT count(*) FROM organisation o " ORG_WHERE;
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "org.count", sql, &st);
    if (!ret)
        ret = bind_query(st, q);
    if (!ret)
        ret = db_step(st);
    if (ret == DB_ROW) {
        *total = (int)db_col_i64(st, 0);
        ret = 0;
    } else if (ret == DB_DONE) {
        ret = ERR_DB;
    }
    db_done(st);
    return ret;
}

int org_store_list(struct arena *a, struct db *db, const struct org_query *q, struct org *out,
                   int cap, int *n)
{
    static const char sql[] = "SELECT " ORG_COLUMNS " FROM organisation o " ORG_WHERE
                              "ORDER BY " ORG_ORDER " LIMIT $5 OFFSET $6";
    struct db_stmt *st = NULL;
    int count = 0;
    int ret = db_prepare(db, "org.list", sql, &st);
    if (!ret)
        ret = bind_query(st, q);
    if (!ret)
        ret = db_bind_i64(st, 5, q->limit);
    if (!ret)
        ret = db_bind_i64(st, 6, q->offset);
    while (!ret && count < cap && (ret = db_step(st)) == DB_ROW) {
        ret = read_row(a, st, &out[count]);
        if (!ret)
            count++;
    }
    if (ret == DB_DONE)
        ret = 0;
    db_done(st);
    /* Parents afterwards: the list statement is finished, so its snapshot stays the same. */
    for (int i = 0; !ret && i < count; i++)
        ret = load_parents(db, &out[i]);
    if (!ret)
        *n = count;
    return ret;
}
