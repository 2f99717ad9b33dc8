/*
 * questionnaire_store.c: SQL for stored questionnaires. Edits are guarded by the version column
 * (optimistic locking) and every version's document is kept in survey_version, because a round
 * refers to the exact version its residents answered.
 */
#include "store/questionnaire_store.h"
#include "core/common.h"

static int add_version(struct db *db, int64_t id, int64_t version, const char *document,
                       const char *now, int64_t user_id)
{
    static const char sql[] = "INSERT INTO survey_version (survey_id, version, document, "
                              "changed_at, changed_by) VALUES ($1, $2, $3, $4, $5)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "survey.version_add", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id)) && !(ret = db_bind_i64(st, 2, version)) &&
        !(ret = db_bind_text(st, 3, document, (size_t)-1)) &&
        !(ret = db_bind_text(st, 4, now, (size_t)-1)) &&
        !(ret = user_id > 0 ? db_bind_i64(st, 5, user_id) : db_bind_null(st, 5)))
        ret = db_run(st);
    db_done(st);
    return ret;
}

int questionnaire_store_insert(struct db *db, int64_t owner_org_id, const char *code,
                               const char *template_code, const char *document, const char *now,
                               int64_t user_id, int64_t *id_out)
{
    static const char sql[] =
        "INSERT INTO survey (owner_org_id, code, template, version, document, archived, "
        "created_at, updated_at, updated_by) VALUES ($1, $2, $3, 1, $4, 0, $5, $5, $6)";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "survey.insert", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, owner_org_id)) &&
        !(ret = db_bind_text(st, 2, code, (size_t)-1)) &&
        !(ret = db_bind_text(st, 3, template_code, (size_t)-1)) &&
        !(ret = db_bind_text(st, 4, document, (size_t)-1)) &&
        !(ret = db_bind_text(st, 5, now, (size_t)-1)) &&
        !(ret = user_id > 0 ? db_bind_i64(st, 6, user_id) : db_bind_null(st, 6)))
        ret = db_run(st);
    db_done(st);
    if (ret)
        return ret;
    *id_out = db_last_insert_id(db);
    return add_version(db, *id_out, 1, document, now, user_id);
}

int questionnaire_store_update(struct db *db, int64_t id, int64_t version, const char *code,
                               const char *document, const char *now, int64_t user_id)
{
    static const char sql[] =
        "UPDATE survey SET code = $3, document = $4, updated_at = $5, updated_by = $6, "
        "version = version + 1 WHERE id = $1 AND version = $2";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "survey.update", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id)) && !(ret = db_bind_i64(st, 2, version)) &&
        !(ret = db_bind_text(st, 3, code, (size_t)-1)) &&
        !(ret = db_bind_text(st, 4, document, (size_t)-1)) &&
        !(ret = db_bind_text(st, 5, now, (size_t)-1)) &&
        !(ret = user_id > 0 ? db_bind_i64(st, 6, user_id) : db_bind_null(st, 6)))
        ret = db_run(st);
    if (!ret && db_changes(db) == 0)
        ret = ERR_CONFLICT;
    db_done(st);
    if (ret)
        return ret;
    return add_version(db, id, version + 1, document, now, user_id);
}

int questionnaire_store_set_archived(struct db *db, int64_t id, bool archived, const char *now)
{
    static const char sql[] = "UPDATE survey SET archived = $2, updated_at = $3 WHERE id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "survey.set_archived", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id)) && !(ret = db_bind_i64(st, 2, archived)) &&
        !(ret = db_bind_text(st, 3, now, (size_t)-1)))
        ret = db_run(st);
    if (!ret && db_changes(db) == 0)
        ret = ERR_NOT_FOUND;
    db_done(st);
    return ret;
}

#define SURVEY_COLUMNS                                                                             \
    "s.id, s.owner_org_id, o.name, s.code, s.template, s.version, s.document, s.archived, "        \
    "s.created_at, s.updated_at, (SELECT count(*) FROM survey_round r WHERE r.survey_id = s.id) "

static int read_survey(struct arena *a, struct db_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct survey *out = row;
    struct survey r = {
        .id = db_col_i64(st, 0),
        .owner_org_id = db_col_i64(st, 1),
        .version = db_col_i64(st, 5),
        .archived = db_col_i64(st, 7) != 0,
        .nrounds = db_col_i64(st, 10),
    };
    if (!db_col_dup(a, st, 2, &r.owner_name) || !db_col_dup(a, st, 3, &r.code) ||
        !db_col_dup(a, st, 4, &r.template) || !db_col_dup(a, st, 6, &r.document) ||
        !db_col_dup(a, st, 8, &r.created_at) || !db_col_dup(a, st, 9, &r.updated_at))
        return ERR_TOO_BIG;
    *out = r;
    return 0;
}

int questionnaire_store_get(struct arena *a, struct db *db, int64_t id, struct survey *out)
{
    static const char sql[] = "SELECT " SURVEY_COLUMNS "FROM survey s "
                              "JOIN organisation o ON o.id = s.owner_org_id WHERE s.id = $1";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "survey.get", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id))) {
        ret = db_step(st);
        if (ret == DB_DONE)
            ret = ERR_NOT_FOUND;
        else if (ret == DB_ROW)
            ret = read_survey(a, st, out, NULL);
    }
    db_done(st);
    return ret;
}

int questionnaire_store_version(struct arena *a, struct db *db, int64_t id, int64_t version,
                                const char **json_out)
{
    static const char sql[] =
        "SELECT document FROM survey_version WHERE survey_id = $1 AND version = $2";
    struct db_stmt *st = NULL;
    int ret = db_prepare(db, "survey.version_get", sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, id)) && !(ret = db_bind_i64(st, 2, version))) {
        ret = db_step(st);
        if (ret == DB_DONE)
            ret = ERR_NOT_FOUND;
        else if (ret == DB_ROW)
            ret = db_col_dup(a, st, 0, json_out) ? 0 : ERR_TOO_BIG;
    }
    db_done(st);
    return ret;
}

int questionnaire_store_list(struct arena *a, struct db *db, int64_t owner_org_id,
                             bool include_archived, int limit, int offset, struct survey **out,
                             int *n, int *total)
{
    static const char count_sql[] =
        "SELECT count(*) FROM survey s WHERE ($1 = 0 OR s.owner_org_id = $1) AND "
        "($2 = 1 OR s.archived = 0)";
    static const char sql[] = "SELECT " SURVEY_COLUMNS "FROM survey s "
                              "JOIN organisation o ON o.id = s.owner_org_id "
                              "WHERE ($1 = 0 OR s.owner_org_id = $1) AND "
                              "($2 = 1 OR s.archived = 0) "
                              "ORDER BY o.name, s.code LIMIT $3 OFFSET $4";
    struct db_stmt *st = NULL;
    *out = NULL;
    *n = 0;
    int ret = db_prepare(db, "survey.count", count_sql, &st);
    if (!ret && !(ret = db_bind_i64(st, 1, owner_org_id)) &&
        !(ret = db_bind_i64(st, 2, include_archived))) {
        ret = db_step(st);
        if (ret == DB_ROW) {
            *total = (int)db_col_i64(st, 0);
            ret = 0;
        } else if (ret == DB_DONE) {
            ret = ERR_DB;
        }
    }
    db_done(st);
    if (ret)
        return ret;
    st = NULL;
    ret = db_prepare(db, "survey.list", sql, &st);
    size_t count = 0;
    if (!ret && !(ret = db_bind_i64(st, 1, owner_org_id)) &&
        !(ret = db_bind_i64(st, 2, include_archived)) && !(ret = db_bind_i64(st, 3, limit)) &&
        !(ret = db_bind_i64(st, 4, offset)))
        ret = db_collect(a, st, sizeof **out, read_survey, NULL, (void **)out, &count);
    db_done(st);
    *n = (int)count;
    return ret;
}
