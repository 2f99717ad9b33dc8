/*
 * theory_store.c: SQL for theories of change. The theory row carries the version (optimistic
 * locking for the whole chain: one UPDATE ... WHERE version = $n guards every save); the
 * activities are rewritten from the domain's new state inside the same transaction, and every
 * saved state is appended to theory_version (append-only by trigger).
 */
#include "store/theory_store.h"
#include "core/common.h"

#define NAME_SQL "coalesce(json_extract(i.definition, '$.naam'), i.code)"

static int bind_opt_id(struct db_stmt *st, int n, int64_t id)
{
    return id > 0 ? db_bind_i64(st, n, id) : db_bind_null(st, n);
}

static int dup_text(struct arena *a, struct db_stmt *st, int i, const char **out)
{
    if (!db_col_dup(a, st, i, out))
        return ERR_NOMEM;
    if (!*out)
        *out = "";
    return 0;
}

/* ---- Reading. -------------------------------------------------------------------------------- */

static int read_activity(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct theory_activity *t = row;
    memset(t, 0, sizeof *t);
    t->id = db_col_i64(st, 0);
    t->aanbieder_id = db_col_is_null(st, 1) ? 0 : db_col_i64(st, 1);
    if (!db_col_dup(a, st, 2, &t->aanbieder_name))
        return ERR_NOMEM;
    int ret;
    if ((ret = dup_text(a, st, 3, &t->product)) || (ret = dup_text(a, st, 4, &t->description)) ||
        (ret = dup_text(a, st, 5, &t->assumptions)) || (ret = dup_text(a, st, 6, &t->conditions)) ||
        (ret = dup_text(a, st, 7, &t->outcomes)))
        return ret;
    return 0;
}

struct link_row {
    int64_t activity_id;
    struct theory_indicator ind;
};

static int read_link(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct link_row *l = row;
    l->activity_id = db_col_i64(st, 0);
    l->ind.id = db_col_i64(st, 1);
    return dup_text(a, st, 2, &l->ind.name);
}

int theory_store_get(struct arena *a, struct db *db, int64_t result_id, struct theory *out)
{
    static const char sql_t[] =
        "SELECT t.known_here, t.known_helps, t.providers_do, t.with_result, t.version, "
        "t.updated_at, u.display_name FROM theory t "
        "LEFT JOIN user_account u ON u.id = t.updated_by WHERE t.result_id = $1";
    static const char sql_a[] =
        "SELECT a.id, a.aanbieder_id, o.name, a.product, a.description, a.assumptions, "
        "a.conditions, a.outcomes FROM theory_activity a "
        "LEFT JOIN organisation o ON o.id = a.aanbieder_id "
        "WHERE a.result_id = $1 ORDER BY a.position, a.id";
    static const char sql_l[] =
        "SELECT l.activity_id, i.id, " NAME_SQL " FROM theory_activity_indicator l "
        "JOIN theory_activity a ON a.id = l.activity_id "
        "JOIN indicator i ON i.id = l.indicator_id WHERE a.result_id = $1 "
        "ORDER BY a.position, 3, i.id";
    struct db_stmt *st = NULL;
    void *rows = NULL;
    size_t n = 0;
    int ret;

    for (int q = 0; q < THEORY_STARTERS; q++)
        out->starters[q] = "";
    out->version = 0;
    out->updated_at = NULL;
    out->updated_by_name = NULL;
    out->activities = NULL;
    out->nactivities = 0;

    if ((ret = db_prepare(db, "theory.get", sql_t, &st)) || (ret = db_bind_i64(st, 1, result_id)))
        goto out;
    ret = db_step(st);
    if (ret < 0)
        goto out;
    if (ret == DB_DONE) {
        ret = 0;
        goto out; /* no theory yet */
    }
    for (int q = 0; q < THEORY_STARTERS; q++)
        if ((ret = dup_text(a, st, q, &out->starters[q])))
            goto out;
    out->version = db_col_i64(st, 4);
    if (!db_col_dup(a, st, 5, &out->updated_at) || !db_col_dup(a, st, 6, &out->updated_by_name)) {
        ret = ERR_NOMEM;
        goto out;
    }
    db_done(st);
    st = NULL;

    if ((ret = db_prepare(db, "theory.activities", sql_a, &st)) ||
        (ret = db_bind_i64(st, 1, result_id)) ||
        (ret = db_collect(a, st, sizeof(struct theory_activity), read_activity, NULL, &rows, &n)))
        goto out;
    out->activities = rows;
    out->nactivities = (int)n;
    db_done(st);
    st = NULL;

    if ((ret = db_prepare(db, "theory.links", sql_l, &st)) ||
        (ret = db_bind_i64(st, 1, result_id)) ||
        (ret = db_collect(a, st, sizeof(struct link_row), read_link, NULL, &rows, &n)))
        goto out;
    struct link_row *links = rows;
    for (int k = 0; k < out->nactivities; k++) {
        struct theory_activity *act = &out->activities[k];
        int cnt = 0;
        for (size_t j = 0; j < n; j++)
            cnt += links[j].activity_id == act->id;
        if (!cnt)
            continue;
        act->indicators = arena_calloc(a, (size_t)cnt, sizeof *act->indicators);
        if (!act->indicators) {
            ret = ERR_NOMEM;
            goto out;
        }
        for (size_t j = 0; j < n; j++)
            if (links[j].activity_id == act->id)
                act->indicators[act->nindicators++] = links[j].ind;
    }
out:
    db_done(st);
    return ret;
}

/* ---- Writing. -------------------------------------------------------------------------------- */

static int save_theory_row(struct db *db, int64_t result_id, int64_t version,
                           const struct theory *t, const char *now, int64_t user_id)
{
    static const char sql_ins[] =
        "INSERT INTO theory (result_id, known_here, known_helps, providers_do, with_result, "
        "version, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, 1, $6, $7) "
        "ON CONFLICT (result_id) DO NOTHING";
    static const char sql_upd[] =
        "UPDATE theory SET known_here = $3, known_helps = $4, providers_do = $5, with_result = $6, "
        "version = version + 1, updated_at = $7, updated_by = $8 "
        "WHERE result_id = $1 AND version = $2";
    struct db_stmt *st = NULL;
    int ret;

    if (version == 0) {
        if ((ret = db_prepare(db, "theory.insert", sql_ins, &st)) ||
            (ret = db_bind_i64(st, 1, result_id)))
            goto out;
        for (int q = 0; q < THEORY_STARTERS && !ret; q++)
            ret = db_bind_text(st, 2 + q, t->starters[q], (size_t)-1);
        if (ret || (ret = db_bind_text(st, 6, now, (size_t)-1)) ||
            (ret = bind_opt_id(st, 7, user_id)) || (ret = db_run(st)))
            goto out;
        if (db_changes(db) == 0)
            ret = ERR_CONFLICT; /* someone saved the first version meanwhile */
        goto out;
    }
    if ((ret = db_prepare(db, "theory.update", sql_upd, &st)) ||
        (ret = db_bind_i64(st, 1, result_id)) || (ret = db_bind_i64(st, 2, version)))
        goto out;
    for (int q = 0; q < THEORY_STARTERS && !ret; q++)
        ret = db_bind_text(st, 3 + q, t->starters[q], (size_t)-1);
    if (ret || (ret = db_bind_text(st, 7, now, (size_t)-1)) ||
        (ret = bind_opt_id(st, 8, user_id)) || (ret = db_run(st)))
        goto out;
    if (db_changes(db) == 0)
        ret = ERR_CONFLICT;
out:
    db_done(st);
    return ret;
}

/* Deletes the activities of the result whose id is not among t's. */
static int delete_missing(struct db *db, int64_t result_id, const struct theory *t)
{
    static const char sql_ids[] = "SELECT id FROM theory_activity WHERE result_id = $1";
    static const char sql_del[] = "DELETE FROM theory_activity WHERE id = $1";
    int64_t gone[THEORY_MAX_ACTIVITIES * 2];
    int ngone = 0;
    struct db_stmt *st = NULL;
    int ret;

    if ((ret = db_prepare(db, "theory.activity_ids", sql_ids, &st)) ||
        (ret = db_bind_i64(st, 1, result_id)))
        goto out;
    while ((ret = db_step(st)) == DB_ROW) {
        int64_t id = db_col_i64(st, 0);
        bool keep = false;
        for (int k = 0; k < t->nactivities && !keep; k++)
            keep = t->activities[k].id == id;
        if (keep)
            continue;
        if (ngone == (int)(sizeof gone / sizeof gone[0])) {
            ret = ERR_TOO_BIG;
            goto out;
        }
        gone[ngone++] = id;
    }
    if (ret < 0)
        goto out;
    db_done(st);
    st = NULL;
    ret = 0;
    for (int k = 0; k < ngone && !ret; k++) {
        if (!(ret = db_prepare(db, "theory.activity_delete", sql_del, &st)) &&
            !(ret = db_bind_i64(st, 1, gone[k])))
            ret = db_run(st);
        db_done(st);
        st = NULL;
    }
out:
    db_done(st);
    return ret;
}

static int bind_activity(struct db_stmt *st, int64_t result_id, int position,
                         const struct theory_activity *act)
{
    int ret;
    if ((ret = db_bind_i64(st, 1, result_id)) || (ret = db_bind_i64(st, 2, position)) ||
        (ret = bind_opt_id(st, 3, act->aanbieder_id)) ||
        (ret = db_bind_text(st, 4, act->product ? act->product : "", (size_t)-1)) ||
        (ret = db_bind_text(st, 5, act->description ? act->description : "", (size_t)-1)) ||
        (ret = db_bind_text(st, 6, act->assumptions ? act->assumptions : "", (size_t)-1)) ||
        (ret = db_bind_text(st, 7, act->conditions ? act->conditions : "", (size_t)-1)) ||
        (ret = db_bind_text(st, 8, act->outcomes ? act->outcomes : "", (size_t)-1)))
        return ret;
    return 0;
}

static int save_activity(struct db *db, int64_t result_id, int position,
                         struct theory_activity *act)
{
    static const char sql_ins[] =
        "INSERT INTO theory_activity (result_id, position, aanbieder_id, product, description, "
        "assumptions, conditions, outcomes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    static const char sql_upd[] =
        "UPDATE theory_activity SET position = $2, aanbieder_id = $3, product = $4, "
        "description = $5, assumptions = $6, conditions = $7, outcomes = $8 "
        "WHERE result_id = $1 AND id = $9";
    static const char sql_del_l[] = "DELETE FROM theory_activity_indicator WHERE activity_id = $1";
    static const char sql_ins_l[] = "INSERT OR IGNORE INTO theory_activity_indicator "
                                    "(activity_id, indicator_id) VALUES ($1, $2)";
    struct db_stmt *st = NULL;
    int ret;

    if (act->id == 0) {
        if ((ret = db_prepare(db, "theory.activity_insert", sql_ins, &st)) ||
            (ret = bind_activity(st, result_id, position, act)) || (ret = db_run(st)))
            goto out;
        act->id = db_last_insert_id(db);
    } else {
        if ((ret = db_prepare(db, "theory.activity_update", sql_upd, &st)) ||
            (ret = bind_activity(st, result_id, position, act)) ||
            (ret = db_bind_i64(st, 9, act->id)) || (ret = db_run(st)))
            goto out;
        if (db_changes(db) == 0) {
            ret = ERR_CONFLICT; /* deleted meanwhile, or of another result */
            goto out;
        }
    }
    db_done(st);
    st = NULL;
    if ((ret = db_prepare(db, "theory.links_delete", sql_del_l, &st)) ||
        (ret = db_bind_i64(st, 1, act->id)) || (ret = db_run(st)))
        goto out;
    db_done(st);
    st = NULL;
    for (int k = 0; k < act->nindicators; k++) {
        if ((ret = db_prepare(db, "theory.link_insert", sql_ins_l, &st)) ||
            (ret = db_bind_i64(st, 1, act->id)) ||
            (ret = db_bind_i64(st, 2, act->indicators[k].id)) || (ret = db_run(st)))
            goto out;
        db_done(st);
        st = NULL;
    }
out:
    db_done(st);
    return ret;
}

int theory_store_save(struct db *db, int64_t result_id, int64_t version, struct theory *t,
                      const char *now, int64_t user_id)
{
    int ret;
    if ((ret = save_theory_row(db, result_id, version, t, now, user_id)) ||
        (ret = delete_missing(db, result_id, t)))
        return ret;
    for (int k = 0; k < t->nactivities; k++)
        if ((ret = save_activity(db, result_id, k + 1, &t->activities[k])))
            return ret;
    return 0;
}

int theory_store_add_version(struct db *db, int64_t result_id, int64_t version, const char *now,
                             int64_t user_id, const char *user_login, const char *summary,
                             const char *document)
{
    static const char sql[] =
        "INSERT INTO theory_version (result_id, version, at, user_id, user_login, summary, "
        "document) VALUES ($1, $2, $3, $4, "
        "coalesce((SELECT login FROM user_account WHERE id = $4), $5), $6, $7)";
    struct db_stmt *st = NULL;
    int ret;
    if ((ret = db_prepare(db, "theory.version_insert", sql, &st)) ||
        (ret = db_bind_i64(st, 1, result_id)) || (ret = db_bind_i64(st, 2, version)) ||
        (ret = db_bind_text(st, 3, now, (size_t)-1)) || (ret = bind_opt_id(st, 4, user_id)) ||
        (ret = db_bind_text(st, 5, user_login, (size_t)-1)) ||
        (ret = db_bind_text(st, 6, summary, (size_t)-1)) ||
        (ret = db_bind_text(st, 7, document, (size_t)-1)))
        goto out;
    ret = db_run(st);
out:
    db_done(st);
    return ret;
}

/* ---- Versions. ------------------------------------------------------------------------------- */

static int read_version(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct theory_version_info *v = row;
    v->version = db_col_i64(st, 0);
    v->user_id = db_col_is_null(st, 2) ? 0 : db_col_i64(st, 2);
    int ret;
    if ((ret = dup_text(a, st, 1, &v->at)) || (ret = dup_text(a, st, 3, &v->user_name)) ||
        (ret = dup_text(a, st, 4, &v->summary)))
        return ret;
    return 0;
}

int theory_store_versions(struct arena *a, struct db *db, int64_t result_id, int cap,
                          struct theory_version_info **out, int *n)
{
    static const char sql[] =
        "SELECT v.version, v.at, v.user_id, coalesce(u.display_name, v.user_login), v.summary "
        "FROM theory_version v LEFT JOIN user_account u ON u.id = v.user_id "
        "WHERE v.result_id = $1 ORDER BY v.version DESC LIMIT $2";
    struct db_stmt *st = NULL;
    void *rows = NULL;
    size_t cnt = 0;
    int ret;
    if ((ret = db_prepare(db, "theory.versions", sql, &st)) ||
        (ret = db_bind_i64(st, 1, result_id)) || (ret = db_bind_i64(st, 2, cap)) ||
        (ret = db_collect(a, st, sizeof(struct theory_version_info), read_version, NULL, &rows,
                          &cnt)))
        goto out;
    *out = rows;
    *n = (int)cnt;
out:
    db_done(st);
    return ret;
}

int theory_store_version(struct arena *a, struct db *db, int64_t result_id, int64_t version,
                         struct theory_version_info *info, const char **document)
{
    static const char sql[] =
        "SELECT v.version, v.at, v.user_id, coalesce(u.display_name, v.user_login), v.summary, "
        "v.document FROM theory_version v LEFT JOIN user_account u ON u.id = v.user_id "
        "WHERE v.result_id = $1 AND v.version = $2";
    struct db_stmt *st = NULL;
    int ret;
    if ((ret = db_prepare(db, "theory.version", sql, &st)) ||
        (ret = db_bind_i64(st, 1, result_id)) || (ret = db_bind_i64(st, 2, version)))
        goto out;
    ret = db_step(st);
    if (ret < 0)
        goto out;
    if (ret == DB_DONE) {
        ret = ERR_NOT_FOUND;
        goto out;
    }
    if ((ret = read_version(a, st, info, NULL)) || (ret = dup_text(a, st, 5, document)))
        goto out;
out:
    db_done(st);
    return ret;
}

/* ---- Lookups. -------------------------------------------------------------------------------- */

int theory_store_aanbieder(struct arena *a, struct db *db, int64_t org_id, const char **name)
{
    static const char sql[] = "SELECT name FROM organisation WHERE id = $1 AND kind = 'aanbieder'";
    struct db_stmt *st = NULL;
    int ret;
    if ((ret = db_prepare(db, "theory.aanbieder", sql, &st)) || (ret = db_bind_i64(st, 1, org_id)))
        goto out;
    ret = db_step(st);
    if (ret < 0)
        goto out;
    ret = ret == DB_DONE ? ERR_NOT_FOUND : dup_text(a, st, 0, name);
out:
    db_done(st);
    return ret;
}

int theory_store_indicator(struct arena *a, struct db *db, int64_t id, const char **name)
{
    static const char sql[] = "SELECT " NAME_SQL " FROM indicator i WHERE i.id = $1";
    struct db_stmt *st = NULL;
    int ret;
    if ((ret = db_prepare(db, "theory.indicator", sql, &st)) || (ret = db_bind_i64(st, 1, id)))
        goto out;
    ret = db_step(st);
    if (ret < 0)
        goto out;
    ret = ret == DB_DONE ? ERR_NOT_FOUND : dup_text(a, st, 0, name);
out:
    db_done(st);
    return ret;
}
