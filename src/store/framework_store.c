/*
 * framework_store.c: SQL for the quality framework. Edits of a framework and of a criterion
 * are guarded by their version columns (optimistic locking); every change also bumps the
 * framework version and records the changed criteria in criterion_version, so the history
 * can say what the framework looked like at any version.
 */
#include "store/framework_store.h"
#include "core/common.h"

static int bind_opt_id(struct db_stmt *st, int n, int64_t id)
{
    return id > 0 ? db_bind_i64(st, n, id) : db_bind_null(st, n);
}

static int step_done(struct db_stmt *st)
{
    int ret = db_run(st);
    db_done(st);
    return ret;
}

int fw_store_insert(struct db *db, int64_t owner, const char *name, const char *description,
                    const char *now, int64_t by, int64_t *id_out)
{
    static const char sql[] = "INSERT INTO framework (owner_org_id, name, description, archived, "
                              "version, created_at, updated_at, created_by) "
                              "VALUES ($1, $2, $3, 0, 1, $4, $4, $5)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "fw.insert", sql, &st);
    if (ret)
        return ret;
    if ((ret = db_bind_i64(st, 1, owner)) || (ret = db_bind_text(st, 2, name, (size_t)-1)) ||
        (ret = db_bind_text(st, 3, description, (size_t)-1)) ||
        (ret = db_bind_text(st, 4, now, (size_t)-1)) || (ret = bind_opt_id(st, 5, by))) {
        db_done(st);
        return ret;
    }
    if ((ret = step_done(st)))
        return ret;
    *id_out = db_last_insert_id(db);
    return 0;
}

int fw_store_update(struct db *db, int64_t id, int64_t version, const char *name,
                    const char *description, const char *now)
{
    static const char sql[] = "UPDATE framework SET name = $3, description = $4, updated_at = $5 "
                              "WHERE id = $1 AND version = $2";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "fw.update", sql, &st);
    if (ret)
        return ret;
    if ((ret = db_bind_i64(st, 1, id)) || (ret = db_bind_i64(st, 2, version)) ||
        (ret = db_bind_text(st, 3, name, (size_t)-1)) ||
        (ret = db_bind_text(st, 4, description, (size_t)-1)) ||
        (ret = db_bind_text(st, 5, now, (size_t)-1))) {
        db_done(st);
        return ret;
    }
    if ((ret = step_done(st)))
        return ret;
    return db_changes(db) == 0 ? ERR_CONFLICT : 0;
}

static int history_row(struct db *db, int64_t id, int64_t version, const char *summary,
                       const char *now, int64_t by)
{
    static const char sql[] = "INSERT INTO framework_version (framework_id, version, summary, "
                              "changed_at, changed_by) VALUES ($1, $2, $3, $4, $5)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "fw.history", sql, &st);
    if (ret)
        return ret;
    if ((ret = db_bind_i64(st, 1, id)) || (ret = db_bind_i64(st, 2, version)) ||
        (ret = db_bind_text(st, 3, summary, (size_t)-1)) ||
        (ret = db_bind_text(st, 4, now, (size_t)-1)) || (ret = bind_opt_id(st, 5, by))) {
        db_done(st);
        return ret;
    }
    return step_done(st);
}

int fw_store_first_version(struct db *db, int64_t id, const char *summary, const char *now,
                           int64_t by)
{
    return history_row(db, id, 1, summary, now, by);
}

int fw_store_bump(struct db *db, int64_t id, const char *summary, const char *now, int64_t by,
                  int64_t *version_out)
{
    static const char sql[] = "UPDATE framework SET version = version + 1, updated_at = $2 "
                              "WHERE id = $1 RETURNING version";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "fw.bump", sql, &st);
    if (ret)
        return ret;
    if ((ret = db_bind_i64(st, 1, id)) || (ret = db_bind_text(st, 2, now, (size_t)-1))) {
        db_done(st);
        return ret;
    }
    ret = db_step(st);
    if (ret == DB_ROW) {
        *version_out = db_col_i64(st, 0);
        ret = 0;
    } else if (ret == DB_DONE) {
        ret = ERR_NOT_FOUND;
    }
    /* RETURNING: step to the end so the UPDATE completes before the statement is reset. */
    while (ret == 0 && db_step(st) == DB_ROW)
        ;
    db_done(st);
    if (ret)
        return ret;
    return history_row(db, id, *version_out, summary, now, by);
}

#define FW_COLUMNS                                                                                 \
    "f.id, f.owner_org_id, o.name, f.name, f.description, f.archived, f.version, f.created_at, "   \
    "f.updated_at, (SELECT count(*) FROM criterion c WHERE c.framework_id = f.id AND "             \
    "c.archived = 0) "

static int read_fw(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct framework *f = row;
    f->id = db_col_i64(st, 0);
    f->owner_org_id = db_col_i64(st, 1);
    f->archived = db_col_i64(st, 5) != 0;
    f->version = db_col_i64(st, 6);
    f->ncriteria = (int)db_col_i64(st, 9);
    if (!db_col_dup(a, st, 2, &f->owner_name) || !db_col_dup(a, st, 3, &f->name) ||
        !db_col_dup(a, st, 4, &f->description) || !db_col_dup(a, st, 7, &f->created_at) ||
        !db_col_dup(a, st, 8, &f->updated_at))
        return ERR_NOMEM;
    return 0;
}

int fw_store_get(struct arena *a, struct db *db, int64_t id, struct framework *out)
{
    static const char sql[] = "SELECT " FW_COLUMNS "FROM framework f JOIN organisation o ON "
                              "o.id = f.owner_org_id WHERE f.id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "fw.get", sql, &st);
    if (ret)
        return ret;
    if ((ret = db_bind_i64(st, 1, id)) == 0) {
        ret = db_step(st);
        if (ret == DB_ROW)
            ret = read_fw(a, st, out, NULL);
        else if (ret == DB_DONE)
            ret = ERR_NOT_FOUND;
    }
    db_done(st);
    return ret;
}

int fw_store_list(struct arena *a, struct db *db, int64_t owner, struct framework **out, int *n)
{
    static const char sql[] = "SELECT " FW_COLUMNS "FROM framework f JOIN organisation o ON "
                              "o.id = f.owner_org_id WHERE ($1 = 0 OR f.owner_org_id = $1) "
                              "ORDER BY f.archived, o.name, f.name, f.id LIMIT 1000";
    struct db_stmt *st = NULL;
    void *rows = NULL;
    size_t got = 0;
    int ret = db_prepare(db, "fw.list", sql, &st);
    if (ret)
        return ret;
    if ((ret = db_bind_i64(st, 1, owner)) == 0)
        ret = db_collect(a, st, sizeof(struct framework), read_fw, NULL, &rows, &got);
    db_done(st);
    *out = rows;
    *n = (int)got;
    return ret;
}

static int read_theme(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct fw_theme *t = row;
    t->id = db_col_i64(st, 0);
    t->position = (int)db_col_i64(st, 1);
    return db_col_dup(a, st, 2, &t->name) ? 0 : ERR_NOMEM;
}

int fw_store_themes(struct arena *a, struct db *db, int64_t fw, struct fw_theme **out, int *n)
{
    static const char sql[] = "SELECT id, position, name FROM framework_theme "
                              "WHERE framework_id = $1 ORDER BY position, id";
    struct db_stmt *st = NULL;
    void *rows = NULL;
    size_t got = 0;
    int ret = db_prepare(db, "fw.themes", sql, &st);
    if (ret)
        return ret;
    if ((ret = db_bind_i64(st, 1, fw)) == 0)
        ret = db_collect(a, st, sizeof(struct fw_theme), read_theme, NULL, &rows, &got);
    db_done(st);
    *out = rows;
    *n = (int)got;
    return ret;
}

int fw_store_theme_id(struct db *db, int64_t fw, const char *name, int64_t *id_out)
{
    static const char find[] = "SELECT id FROM framework_theme WHERE framework_id = $1 AND "
                               "name = $2";
    static const char add[] =
        "INSERT INTO framework_theme (framework_id, position, name) VALUES ($1, (SELECT "
        "coalesce(max(position), 0) + 1 FROM framework_theme WHERE framework_id = $1), $2)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "fw.theme_find", find, &st);
    if (ret)
        return ret;
    if ((ret = db_bind_i64(st, 1, fw)) || (ret = db_bind_text(st, 2, name, (size_t)-1))) {
        db_done(st);
        return ret;
    }
    ret = db_step(st);
    if (ret == DB_ROW)
        *id_out = db_col_i64(st, 0);
    db_done(st);
    if (ret == DB_ROW)
        return 0;
    if (ret < 0)
        return ret;
    if ((ret = db_prepare(db, "fw.theme_add", add, &st)))
        return ret;
    if ((ret = db_bind_i64(st, 1, fw)) || (ret = db_bind_text(st, 2, name, (size_t)-1))) {
        db_done(st);
        return ret;
    }
    if ((ret = step_done(st)))
        return ret;
    *id_out = db_last_insert_id(db);
    return 0;
}

static int read_version(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct fw_version *v = row;
    v->version = db_col_i64(st, 0);
    if (!db_col_dup(a, st, 1, &v->changed_at) || !db_col_dup(a, st, 2, &v->changed_by) ||
        !db_col_dup(a, st, 3, &v->summary))
        return ERR_NOMEM;
    return 0;
}

int fw_store_versions(struct arena *a, struct db *db, int64_t fw, struct fw_version **out, int *n)
{
    static const char sql[] =
        "SELECT v.version, v.changed_at, u.display_name, v.summary FROM framework_version v "
        "LEFT JOIN user_account u ON u.id = v.changed_by WHERE v.framework_id = $1 "
        "ORDER BY v.version DESC LIMIT 200";
    struct db_stmt *st = NULL;
    void *rows = NULL;
    size_t got = 0;
    int ret = db_prepare(db, "fw.versions", sql, &st);
    if (ret)
        return ret;
    if ((ret = db_bind_i64(st, 1, fw)) == 0)
        ret = db_collect(a, st, sizeof(struct fw_version), read_version, NULL, &rows, &got);
    db_done(st);
    *out = rows;
    *n = (int)got;
    return ret;
}

/* ---- Criteria. ------------------------------------------------------------------------------- */

static int bind_values(struct db_stmt *st, int first, const struct criterion_values *v)
{
    int ret;
    if ((ret = db_bind_i64(st, first, v->theme_id)) ||
        (ret = bind_opt_id(st, first + 1, v->local_org_id)) ||
        (ret = db_bind_text(st, first + 2, v->code, (size_t)-1)) ||
        (ret = db_bind_text(st, first + 3, v->text, (size_t)-1)) ||
        (ret = db_bind_text(st, first + 4, v->source_code, (size_t)-1)) ||
        (ret = db_bind_text(st, first + 5, v->source_ref ? v->source_ref : "", (size_t)-1)) ||
        (ret = db_bind_i64(st, first + 6, v->laws)) ||
        (ret = db_bind_text(st, first + 7, v->categories ? v->categories : "", (size_t)-1)) ||
        (ret = db_bind_text(st, first + 8, v->evidence ? v->evidence : "", (size_t)-1)) ||
        (ret = db_bind_i64(st, first + 9, v->verify)))
        return ret;
    return 0;
}

int crit_store_insert(struct db *db, int64_t fw, const struct criterion_values *v, const char *now,
                      int64_t *id_out)
{
    static const char sql[] =
        "INSERT INTO criterion (framework_id, theme_id, local_org_id, code, text, source_kind, "
        "source_ref, laws, categories, evidence, verify, archived, version, created_at, "
        "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0, 1, $12, $12)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "crit.insert", sql, &st);
    if (ret)
        return ret;
    if ((ret = db_bind_i64(st, 1, fw)) || (ret = bind_values(st, 2, v)) ||
        (ret = db_bind_text(st, 12, now, (size_t)-1))) {
        db_done(st);
        return ret;
    }
    if ((ret = step_done(st)))
        return ret;
    *id_out = db_last_insert_id(db);
    return 0;
}

int crit_store_update(struct db *db, int64_t id, int64_t version, const struct criterion_values *v,
                      const char *now)
{
    static const char sql[] =
        "UPDATE criterion SET theme_id = $3, local_org_id = $4, code = $5, text = $6, "
        "source_kind = $7, source_ref = $8, laws = $9, categories = $10, evidence = $11, "
        "verify = $12, updated_at = $13, version = version + 1 WHERE id = $1 AND version = $2";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "crit.update", sql, &st);
    if (ret)
        return ret;
    if ((ret = db_bind_i64(st, 1, id)) || (ret = db_bind_i64(st, 2, version)) ||
        (ret = bind_values(st, 3, v)) || (ret = db_bind_text(st, 13, now, (size_t)-1))) {
        db_done(st);
        return ret;
    }
    if ((ret = step_done(st)))
        return ret;
    return db_changes(db) == 0 ? ERR_CONFLICT : 0;
}

int crit_store_set_archived(struct db *db, int64_t id, bool archived, int64_t merged_into,
                            const char *now)
{
    static const char sql[] = "UPDATE criterion SET archived = $2, merged_into = $3, "
                              "updated_at = $4, version = version + 1 WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "crit.archive", sql, &st);
    if (ret)
        return ret;
    if ((ret = db_bind_i64(st, 1, id)) || (ret = db_bind_i64(st, 2, archived ? 1 : 0)) ||
        (ret = bind_opt_id(st, 3, merged_into)) || (ret = db_bind_text(st, 4, now, (size_t)-1))) {
        db_done(st);
        return ret;
    }
    if ((ret = step_done(st)))
        return ret;
    return db_changes(db) == 0 ? ERR_NOT_FOUND : 0;
}

#define CRIT_COLUMNS                                                                               \
    "c.id, c.framework_id, c.theme_id, t.name, c.local_org_id, lo.name, c.code, c.text, "          \
    "c.source_kind, c.source_ref, c.laws, c.categories, c.evidence, c.verify, c.archived, "        \
    "c.merged_into, c.version, c.updated_at, lo.cbs_code "
#define CRIT_FROM                                                                                  \
    "FROM criterion c JOIN framework_theme t ON t.id = c.theme_id "                                \
    "LEFT JOIN organisation lo ON lo.id = c.local_org_id "

static int read_crit(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct criterion *c = row;
    enum fw_source src;
    memset(c, 0, sizeof *c);
    c->id = db_col_i64(st, 0);
    c->framework_id = db_col_i64(st, 1);
    c->theme_id = db_col_i64(st, 2);
    c->local_org_id = db_col_i64(st, 4);
    const char *code = db_col_text(st, 8);
    if (!code || fw_source_parse(code, &src) != 0)
        return ERR_INVALID;
    c->source = src;
    c->laws = (unsigned)db_col_i64(st, 10);
    c->verify = (unsigned)db_col_i64(st, 13);
    c->archived = db_col_i64(st, 14) != 0;
    c->merged_into = db_col_i64(st, 15);
    c->version = db_col_i64(st, 16);
    if (!db_col_dup(a, st, 3, &c->theme_name) || !db_col_dup(a, st, 5, &c->local_org_name) ||
        !db_col_dup(a, st, 6, &c->code) || !db_col_dup(a, st, 7, &c->text) ||
        !db_col_dup(a, st, 9, &c->source_ref) || !db_col_dup(a, st, 11, &c->categories) ||
        !db_col_dup(a, st, 12, &c->evidence) || !db_col_dup(a, st, 17, &c->updated_at) ||
        !db_col_dup(a, st, 18, &c->local_cbs))
        return ERR_NOMEM;
    return 0;
}

/* The extra sources of one criterion (at most FW_EXTRA_SOURCES). */
static int read_sources(struct arena *a, struct db *db, struct criterion *c)
{
    static const char sql[] = "SELECT source_kind, source_ref, from_criterion_id FROM "
                              "criterion_source WHERE criterion_id = $1 ORDER BY "
                              "from_criterion_id, source_kind, source_ref";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "crit.sources", sql, &st);
    if (ret)
        return ret;
    if ((ret = db_bind_i64(st, 1, c->id))) {
        db_done(st);
        return ret;
    }
    c->extra = arena_calloc(a, FW_EXTRA_SOURCES, sizeof *c->extra);
    c->nextra = 0;
    if (!c->extra) {
        db_done(st);
        return ERR_NOMEM;
    }
    while ((ret = db_step(st)) == DB_ROW) {
        enum fw_source src;
        if (c->nextra >= FW_EXTRA_SOURCES)
            continue;
        const char *k = db_col_text(st, 0);
        if (!k || fw_source_parse(k, &src) != 0)
            continue;
        struct fw_extra_source *x = &c->extra[c->nextra];
        x->kind = src;
        x->from_criterion_id = db_col_i64(st, 2);
        if (!db_col_dup(a, st, 1, &x->ref)) {
            ret = ERR_NOMEM;
            break;
        }
        c->nextra++;
    }
    db_done(st);
    return ret < 0 ? ret : 0;
}

int crit_store_get(struct arena *a, struct db *db, int64_t id, struct criterion *out)
{
    static const char sql[] = "SELECT " CRIT_COLUMNS CRIT_FROM "WHERE c.id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "crit.get", sql, &st);
    if (ret)
        return ret;
    if ((ret = db_bind_i64(st, 1, id)) == 0) {
        ret = db_step(st);
        if (ret == DB_ROW)
            ret = read_crit(a, st, out, NULL);
        else if (ret == DB_DONE)
            ret = ERR_NOT_FOUND;
    }
    db_done(st);
    return ret ? ret : read_sources(a, db, out);
}

int crit_store_by_code(struct db *db, int64_t fw, const char *code, int64_t *id_out)
{
    static const char sql[] = "SELECT id FROM criterion WHERE framework_id = $1 AND code = $2";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "crit.by_code", sql, &st);
    if (ret)
        return ret;
    if ((ret = db_bind_i64(st, 1, fw)) == 0 && (ret = db_bind_text(st, 2, code, (size_t)-1)) == 0) {
        ret = db_step(st);
        if (ret == DB_ROW) {
            *id_out = db_col_i64(st, 0);
            ret = 0;
        } else if (ret == DB_DONE) {
            ret = ERR_NOT_FOUND;
        }
    }
    db_done(st);
    return ret;
}

int crit_store_list(struct arena *a, struct db *db, int64_t fw, bool include_archived,
                    struct criterion **out, int *n)
{
    static const char sql[] =
        "SELECT " CRIT_COLUMNS CRIT_FROM "WHERE c.framework_id = $1 AND ($2 = 1 OR c.archived = 0) "
        "ORDER BY t.position, c.local_org_id IS NOT NULL, c.code, c.id "
        "LIMIT 4000";
    struct db_stmt *st = NULL;
    void *rows = NULL;
    size_t got = 0;
    int ret = db_prepare(db, "crit.list", sql, &st);
    if (ret)
        return ret;
    if ((ret = db_bind_i64(st, 1, fw)) == 0 &&
        (ret = db_bind_i64(st, 2, include_archived ? 1 : 0)) == 0)
        ret = db_collect(a, st, sizeof(struct criterion), read_crit, NULL, &rows, &got);
    db_done(st);
    if (ret)
        return ret;
    struct criterion *cs = rows;
    for (size_t i = 0; i < got; i++)
        if ((ret = read_sources(a, db, &cs[i])))
            return ret;
    *out = cs;
    *n = (int)got;
    return 0;
}

int crit_store_snapshot(struct db *db, int64_t id, int64_t fw_version)
{
    static const char sql[] =
        "INSERT OR REPLACE INTO criterion_version (criterion_id, fw_version, theme, code, text, "
        "source_kind, source_ref, laws, categories, evidence, verify, local_org_id, archived) "
        "SELECT c.id, $2, t.name, c.code, c.text, c.source_kind, c.source_ref, c.laws, "
        "c.categories, c.evidence, c.verify, c.local_org_id, c.archived FROM criterion c "
        "JOIN framework_theme t ON t.id = c.theme_id WHERE c.id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "crit.snapshot", sql, &st);
    if (ret)
        return ret;
    if ((ret = db_bind_i64(st, 1, id)) || (ret = db_bind_i64(st, 2, fw_version))) {
        db_done(st);
        return ret;
    }
    return step_done(st);
}

int crit_store_add_source(struct db *db, int64_t id, int64_t from, const char *kind,
                          const char *ref)
{
    static const char sql[] = "INSERT OR IGNORE INTO criterion_source (criterion_id, "
                              "from_criterion_id, source_kind, source_ref) VALUES ($1, $2, $3, $4)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "crit.add_source", sql, &st);
    if (ret)
        return ret;
    if ((ret = db_bind_i64(st, 1, id)) || (ret = db_bind_i64(st, 2, from)) ||
        (ret = db_bind_text(st, 3, kind, (size_t)-1)) ||
        (ret = db_bind_text(st, 4, ref ? ref : "", (size_t)-1))) {
        db_done(st);
        return ret;
    }
    return step_done(st);
}

int crit_store_not_dup_add(struct db *db, int64_t low, int64_t high, const char *now, int64_t by)
{
    static const char sql[] = "INSERT OR IGNORE INTO criterion_not_duplicate (low_id, high_id, "
                              "decided_at, decided_by) VALUES ($1, $2, $3, $4)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "crit.not_dup", sql, &st);
    if (ret)
        return ret;
    if ((ret = db_bind_i64(st, 1, low)) || (ret = db_bind_i64(st, 2, high)) ||
        (ret = db_bind_text(st, 3, now, (size_t)-1)) || (ret = bind_opt_id(st, 4, by))) {
        db_done(st);
        return ret;
    }
    return step_done(st);
}

static int read_pair(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)a;
    (void)ctx;
    struct fw_pair *p = row;
    p->low = db_col_i64(st, 0);
    p->high = db_col_i64(st, 1);
    return 0;
}

int crit_store_not_dup_list(struct arena *a, struct db *db, int64_t fw, struct fw_pair **out,
                            int *n)
{
    static const char sql[] = "SELECT d.low_id, d.high_id FROM criterion_not_duplicate d "
                              "JOIN criterion c ON c.id = d.low_id WHERE c.framework_id = $1 "
                              "ORDER BY d.low_id, d.high_id";
    struct db_stmt *st = NULL;
    void *rows = NULL;
    size_t got = 0;
    int ret = db_prepare(db, "crit.not_dup_list", sql, &st);
    if (ret)
        return ret;
    if ((ret = db_bind_i64(st, 1, fw)) == 0)
        ret = db_collect(a, st, sizeof(struct fw_pair), read_pair, NULL, &rows, &got);
    db_done(st);
    *out = rows;
    *n = (int)got;
    return ret;
}

/* The values of every criterion as they stood at framework version `version`: per criterion
 * its newest copy at or before that version, archived ones left out. Ordered by theme
 * position (today's order; a theme is never removed) and code. */
int crit_store_list_at(struct arena *a, struct db *db, int64_t fw, int64_t version,
                       struct criterion **out, int *n)
{
    static const char sql[] =
        "SELECT cv.criterion_id, c.framework_id, t.id, cv.theme, cv.local_org_id, lo.name, "
        "cv.code, cv.text, cv.source_kind, cv.source_ref, cv.laws, cv.categories, cv.evidence, "
        "cv.verify, cv.archived, NULL, cv.fw_version, NULL, lo.cbs_code "
        "FROM criterion_version cv JOIN criterion c ON c.id = cv.criterion_id "
        "LEFT JOIN framework_theme t ON t.framework_id = c.framework_id AND t.name = cv.theme "
        "LEFT JOIN organisation lo ON lo.id = cv.local_org_id "
        "WHERE c.framework_id = $1 AND cv.archived = 0 AND cv.fw_version = (SELECT "
        "max(x.fw_version) FROM criterion_version x WHERE x.criterion_id = cv.criterion_id "
        "AND x.fw_version <= $2) ORDER BY t.position, cv.local_org_id IS NOT NULL, cv.code "
        "LIMIT 4000";
    struct db_stmt *st = NULL;
    void *rows = NULL;
    size_t got = 0;
    int ret = db_prepare(db, "crit.list_at", sql, &st);
    if (ret)
        return ret;
    if ((ret = db_bind_i64(st, 1, fw)) == 0 && (ret = db_bind_i64(st, 2, version)) == 0)
        ret = db_collect(a, st, sizeof(struct criterion), read_crit, NULL, &rows, &got);
    db_done(st);
    *out = rows;
    *n = (int)got;
    return ret;
}
